/* coro/ctx_asm.c — the assembly context backend (switch_<arch>.S).
 * The initial frame mirrors what cio__ctx_switch pops, so the first switch
 * "returns" into cio__ctx_entry with the start function and its argument in
 * callee-saved registers.
 */
#include <string.h>
#include "ctx.h"

void cio__ctx_entry(void);

int cio__ctx_make(cio__coro *c)
{
    uintptr_t top = ((uintptr_t)c->stack_lo + c->stack_size) & ~(uintptr_t)15;
#if defined(__x86_64__)
    /* [top-16, top): zero padding (end of backtraces); rsp is 16-aligned after
     * the ret into cio__ctx_entry, as the ABI wants before its call. */
    uint64_t *f = (uint64_t *)(top - 16) - 8;
    memset(f, 0, 10 * sizeof(uint64_t));
    uint32_t ctl[2] = { 0x1F80, 0x037F }; /* default MXCSR, x87 control word */
    memcpy(&f[0], ctl, sizeof(ctl));
    f[1] = 0;                            /* r15 */
    f[2] = 0;                            /* r14 */
    f[3] = (uint64_t)(uintptr_t)c;       /* r13: argument */
    f[4] = (uint64_t)(uintptr_t)cio__coro_start;   /* r12: function */
    f[5] = 0;                            /* rbx */
    f[6] = 0;                            /* rbp */
    f[7] = (uint64_t)(uintptr_t)cio__ctx_entry;
#elif defined(__aarch64__)
    uint64_t *f = (uint64_t *)(top - 176);
    memset(f, 0, 176);
    f[0] = (uint64_t)(uintptr_t)cio__coro_start;   /* x19: function */
    f[1] = (uint64_t)(uintptr_t)c;       /* x20: argument */
    f[11] = (uint64_t)(uintptr_t)cio__ctx_entry; /* x30 */
#else
#error "no assembly context switch for this architecture: configure with -DCIO_UCONTEXT=ON"
#endif
    c->sp = f;
    return 0;
}

int cio__ctx_init_thread(cio__coro *c)
{
    c->sp = NULL;
    return 0;
}

void cio__ctx_raw_switch(cio__coro *from, cio__coro *to)
{
    cio__ctx_switch(&from->sp, to->sp);
}

void cio__ctx_destroy(cio__coro *c)
{
    c->sp = NULL;
}
