/* coro/switch_x86_64.S — context switch for the x86-64 System V ABI.
 *
 * void cio__ctx_switch(void **save_sp, void *load_sp)
 *   Pushes the callee-saved registers (rbp, rbx, r12-r15) and the MXCSR / x87
 *   control words, stores rsp in *save_sp, loads load_sp and pops the same
 *   layout. No syscall, no signal-mask change.
 *   What keeps it at a few nanoseconds:
 *   - ldmxcsr/fldcw are slow, so the control words are only reloaded when
 *     the resumed context's differ from the current ones (MXCSR status
 *     flags, bits 0-5, are not callee-saved and are ignored). Each word is
 *     read back with a load of its own size so store forwarding works.
 *   - It resumes with a plain ret, keeping calls and returns paired for the
 *     return-stack predictor. Tasks hand off to each other from the same
 *     call sites (cio__task_switch_away is inline in each waiting
 *     function), so the predicted return address is the right one; a
 *     pop + indirect jmp left the switch's call unmatched and made the next
 *     return in the resumed task miss instead (measured on an AMD EPYC
 *     guest: a yield 12 ns with ret, 19-23 ns with jmp; a no-op 101 vs
 *     116 ns).
 *
 * cio__ctx_entry: first "return address" of a new context. The initial frame
 * built by cio__ctx_make() puts the entry function in r12 and its argument
 * in r13; the entry function never returns.
 */
    .text
    .globl cio__ctx_switch
    .hidden cio__ctx_switch
    .type cio__ctx_switch,@function
    .p2align 4
cio__ctx_switch:
    .cfi_startproc
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    subq $8, %rsp
    stmxcsr (%rsp)
    fnstcw 4(%rsp)
    movq %rsp, (%rdi)
    movl (%rsp), %eax
    movzwl 4(%rsp), %edx
    movq %rsi, %rsp
    xorl (%rsp), %eax
    testl $0xFFC0, %eax
    jnz 2f
    cmpw 4(%rsp), %dx
    jne 2f
1:
    addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
2:
    ldmxcsr (%rsp)
    fldcw 4(%rsp)
    jmp 1b
    .cfi_endproc
    .size cio__ctx_switch,.-cio__ctx_switch

    .globl cio__ctx_entry
    .hidden cio__ctx_entry
    .type cio__ctx_entry,@function
    .p2align 4
cio__ctx_entry:
    .cfi_startproc
    .cfi_undefined rip
    movq %r13, %rdi
    callq *%r12
    ud2
    .cfi_endproc
    .size cio__ctx_entry,.-cio__ctx_entry

    .section .note.GNU-stack,"",@progbits
