/* coro/coro.c — annotated switching between coroutines.
 *
 * Invariant: `tls_running` is the coroutine executing on this thread (NULL
 * for the thread's own stack). Around every raw switch we tell ASan which
 * stack we go to (and learn the stack we came from), TSan which fiber runs,
 * and check the canary of guard-less stacks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "ctx.h"
#include "sanitizer.h"

#define CANARY CIO__CORO_CANARY
#define tls_running cio__coro_tls_running

CIO_TLS cio__coro *cio__coro_tls_running;
#ifdef CIO_ASAN
static CIO_TLS cio__coro *tls_switch_from; /* who switched to the context now resuming */
#endif

cio__coro *cio__coro_running(void) { return tls_running; }

void cio__coro_report_overflow(const cio__coro *c)
{
    char id_name[32], msg[200];
    const char *name = c->label ? c->label : "?";
    if (!name[0]) {
        snprintf(id_name, sizeof id_name, "task-%llu", (unsigned long long)c->label_id);
        name = id_name;
    }
    int n = snprintf(msg, sizeof msg, "cio: stack overflow in task '%s' (stack size %zu bytes)\n", name, c->stack_size);
    if (n > 0)
        (void)!write(2, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
}

void cio__coro_overflow(const cio__coro *c)
{
    cio__coro_report_overflow(c);
    abort();
}

/* Runs in the resumed context right after a raw switch lands there. */
static inline void after_switch(cio__coro *self)
{
#ifdef CIO_ASAN
    cio__coro *from = tls_switch_from;
    const void *lo = NULL;
    size_t size = 0;
    __sanitizer_finish_switch_fiber(self ? self->asan_fake : NULL, &lo, &size);
    if (from && !from->stack_lo) { /* learn the thread stack's bounds once */
        from->stack_lo = (char *)lo;
        from->stack_size = size;
    }
#endif
    (void)self;
}

static inline void before_switch(cio__coro *from, cio__coro *to, bool exiting)
{
    cio__coro_check_canary(from);
#ifdef CIO_ASAN
    tls_switch_from = from;
    __sanitizer_start_switch_fiber(exiting ? NULL : &from->asan_fake, to->stack_lo, to->stack_size);
#endif
#ifdef CIO_TSAN
    __tsan_switch_to_fiber(to->tsan_fiber, 0);
#endif
    (void)exiting;
    tls_running = to->entry ? to : NULL;
}

void cio__coro_start(void *arg)
{
    cio__coro *c = arg;
    after_switch(c);
    c->entry(c->arg);
    fputs("cio: a coroutine entry function returned\n", stderr);
    abort();
}

int cio__coro_make(cio__coro *c, char *lo, size_t size, void (*entry)(void *), void *arg)
{
    *c = (cio__coro){ .stack_lo = lo, .stack_size = size, .entry = entry, .arg = arg };
    int rc = cio__ctx_make(c);
    if (rc < 0)
        return rc;
#ifdef CIO_TSAN
    c->tsan_fiber = __tsan_create_fiber(0);
#endif
#ifdef CIO_HAVE_VALGRIND
    c->valgrind_id = VALGRIND_STACK_REGISTER(lo, lo + size);
#endif
    return 0;
}

int cio__coro_init_thread(cio__coro *c)
{
    *c = (cio__coro){ 0 };
#ifdef CIO_TSAN
    c->tsan_fiber = __tsan_get_current_fiber();
#endif
    return cio__ctx_init_thread(c);
}

void cio__coro_set_canary(cio__coro *c, uint64_t *where)
{
    c->canary = where;
    *where = CANARY;
}

void cio__coro_switch_annotated(cio__coro *from, cio__coro *to)
{
    before_switch(from, to, false);
    cio__ctx_raw_switch(from, to);
    after_switch(from);
}

void cio__coro_exit(cio__coro *from, cio__coro *to)
{
    before_switch(from, to, true);
    cio__ctx_raw_switch(from, to);
    abort(); /* nothing switches back to a finished coroutine */
}

void cio__coro_destroy(cio__coro *c)
{
#ifdef CIO_TSAN
    if (c->entry && c->tsan_fiber)
        __tsan_destroy_fiber(c->tsan_fiber);
#endif
#ifdef CIO_HAVE_VALGRIND
    if (c->entry)
        VALGRIND_STACK_DEREGISTER(c->valgrind_id);
#endif
    cio__ctx_destroy(c);
}
