/* coro/ctx_ucontext.c — the portable fallback backend (makecontext /
 * swapcontext). swapcontext saves the signal mask with a syscall per switch,
 * so this is for architectures without an assembly switch and for testing.
 *
 * swapcontext also *restores* the mask saved in the target context, which
 * would undo any pthread_sigmask() done since (signalfd users block signals):
 * the thread's current mask is copied into the target before each switch,
 * so the mask stays a property of the thread, as with the assembly switch.
 */
#include <signal.h>
#include <ucontext.h>
#include "ctx.h"

static void uc_start(unsigned hi, unsigned lo)
{
    cio__coro_start((void *)(((uintptr_t)hi << 32) | (uintptr_t)lo));
}

/* A new coroutine starts with the default FP control words, as with the
 * assembly backend, not with those of whoever made it (getcontext copies
 * the caller's, and a task may start another one). Only on x86-64: on
 * other architectures this backend leaves them as the maker's. */
static void default_fp_control(ucontext_t *uc)
{
#if defined(__x86_64__) && defined(__GLIBC__)
    uc->uc_mcontext.fpregs->mxcsr = 0x1F80; /* all exceptions masked, round to nearest */
    uc->uc_mcontext.fpregs->cwd = 0x037F;   /* the same for x87, 64-bit precision */
#else
    (void)uc;
#endif
}

int cio__ctx_make(cio__coro *c)
{
    ucontext_t *uc = cio__calloc(1, sizeof(*uc));
    if (!uc)
        return -ENOMEM;
    if (getcontext(uc) < 0) {
        cio__free(uc);
        return -errno;
    }
    default_fp_control(uc);
    uc->uc_stack.ss_sp = c->stack_lo;
    uc->uc_stack.ss_size = c->stack_size;
    uc->uc_link = NULL;
    /* makecontext passes int arguments: split the pointer in two. */
    c->sp = uc;
    uintptr_t p = (uintptr_t)c;
    makecontext(uc, (void (*)(void))uc_start, 2, (unsigned)(p >> 32), (unsigned)(p & 0xffffffffu));
    return 0;
}

int cio__ctx_init_thread(cio__coro *c)
{
    c->sp = cio__calloc(1, sizeof(ucontext_t));
    return c->sp ? 0 : -ENOMEM;
}

void cio__ctx_raw_switch(cio__coro *from, cio__coro *to)
{
    ucontext_t *target = to->sp;
    pthread_sigmask(SIG_SETMASK, NULL, &target->uc_sigmask);
    swapcontext((ucontext_t *)from->sp, target);
}

void cio__ctx_destroy(cio__coro *c)
{
    cio__free(c->sp);
    c->sp = NULL;
}
