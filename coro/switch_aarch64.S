/* coro/switch_aarch64.S — context switch for the AArch64 AAPCS64 ABI.
 *
 * void cio__ctx_switch(void **save_sp, void *load_sp)
 *   Saves x19-x30, d8-d15 and FPCR on the stack, stores sp in *save_sp, loads
 *   load_sp and restores the same layout, returning through x30.
 *
 * cio__ctx_entry: x30 of a new context. cio__ctx_make() puts the entry
 * function in x19 and its argument in x20; the entry function never returns.
 */
    .text
    .globl cio__ctx_switch
    .hidden cio__ctx_switch
    .type cio__ctx_switch,%function
    .p2align 4
cio__ctx_switch:
    sub sp, sp, #176
    stp x19, x20, [sp, #0]
    stp x21, x22, [sp, #16]
    stp x23, x24, [sp, #32]
    stp x25, x26, [sp, #48]
    stp x27, x28, [sp, #64]
    stp x29, x30, [sp, #80]
    stp d8, d9, [sp, #96]
    stp d10, d11, [sp, #112]
    stp d12, d13, [sp, #128]
    stp d14, d15, [sp, #144]
    mrs x9, fpcr
    str x9, [sp, #160]
    mov x9, sp
    str x9, [x0]
    mov sp, x1
    ldp x19, x20, [sp, #0]
    ldp x21, x22, [sp, #16]
    ldp x23, x24, [sp, #32]
    ldp x25, x26, [sp, #48]
    ldp x27, x28, [sp, #64]
    ldp x29, x30, [sp, #80]
    ldp d8, d9, [sp, #96]
    ldp d10, d11, [sp, #112]
    ldp d12, d13, [sp, #128]
    ldp d14, d15, [sp, #144]
    ldr x9, [sp, #160]
    msr fpcr, x9
    add sp, sp, #176
    ret
    .size cio__ctx_switch,.-cio__ctx_switch

    .globl cio__ctx_entry
    .hidden cio__ctx_entry
    .type cio__ctx_entry,%function
    .p2align 4
cio__ctx_entry:
    mov x0, x20
    blr x19
    brk #0
    .size cio__ctx_entry,.-cio__ctx_entry

    .section .note.GNU-stack,"",%progbits
