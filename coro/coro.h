/* coro/coro.h — coroutine contexts: make, switch, destroy.
 *
 * A cio__coro is a saved execution context plus the bounds of the stack it
 * runs on. Switching is asymmetric in use (tasks switch to the scheduler and
 * back) but the primitive is symmetric. Every switch is annotated for ASan,
 * TSan and Valgrind so those tools follow the stacks. Internal.
 */
#ifndef CIO_CORO_H
#define CIO_CORO_H

#include <stddef.h>
#include "base/common.h"
#include "sanitizer.h"

#define CIO__CORO_CANARY 0xC10DEADC0FFEE5EDull

typedef struct cio__coro {
    void *sp;              /* asm backend: saved stack pointer; ucontext: ucontext_t * */
    char *stack_lo;        /* lowest usable byte of the stack (NULL: thread stack) */
    size_t stack_size;     /* usable bytes */
    const char *label;     /* names the coroutine in crash messages (the task name) */
    uint64_t label_id;     /* when label is "" (a default task name not yet written): "task-<label_id>" */
    void (*entry)(void *); /* first function run on the coroutine */
    void *arg;
    uint64_t *canary;      /* non-NULL for stacks without a guard page */
#ifdef CIO_ASAN
    void *asan_fake;       /* ASan fake-stack handle while switched out */
#endif
#ifdef CIO_TSAN
    void *tsan_fiber;
#endif
    unsigned valgrind_id;
} cio__coro;

/* Prepares `c` to run entry(arg) on [lo, lo + size) at the first switch to it.
 * Returns 0 or -ENOMEM (ucontext backend). */
CIO_HIDDEN int cio__coro_make(cio__coro *c, char *lo, size_t size, void (*entry)(void *), void *arg);

/* Initialises `c` as the calling thread's own context (the scheduler). */
CIO_HIDDEN int cio__coro_init_thread(cio__coro *c);

/* The coroutine running on this thread (NULL: the thread's own stack). */
CIO_HIDDEN extern CIO_TLS cio__coro *cio__coro_tls_running;

/* cio__coro_switch with every annotation, out of line. */
CIO_HIDDEN void cio__coro_switch_annotated(cio__coro *from, cio__coro *to);
/* Writes "cio: stack overflow in task '<name>' (stack size N bytes)" to
 * stderr, the name being the label ("task-<label_id>" when it is ""). */
CIO_HIDDEN void cio__coro_report_overflow(const cio__coro *c);
/* Reports a clobbered canary (stack overflow of `c`) and aborts. */
CIO_HIDDEN __attribute__((noreturn, cold)) void cio__coro_overflow(const cio__coro *c);
#ifdef CIO_CTX_ASM
CIO_HIDDEN void cio__ctx_switch(void **save_sp, void *load_sp);
#endif

/* Aborts with a named report if `c` runs without a guard page and its
 * canary was overwritten (a stack overflow). */
static inline void cio__coro_check_canary(const cio__coro *c)
{
    if (c->canary && cio__unlikely(*c->canary != CIO__CORO_CANARY))
        cio__coro_overflow(c);
}

/* Saves the current context into `from` and resumes `to`. Returns when
 * something switches back to `from`.
 * Inline in plain assembly-backend builds: the raw switch ends in `ret`, so
 * it returns correctly predicted when `to` was suspended at the same call
 * site as `from` (tasks handing off to each other); every function return
 * between a switch and the code it resumes would be one more chance for the
 * two contexts' return addresses to differ. */
static inline void cio__coro_switch(cio__coro *from, cio__coro *to)
{
#if defined(CIO_CTX_ASM) && !defined(CIO_ASAN) && !defined(CIO_TSAN)
    cio__coro_check_canary(from);
    cio__coro_tls_running = to->entry ? to : NULL;
    cio__ctx_switch(&from->sp, to->sp);
#else
    cio__coro_switch_annotated(from, to);
#endif
}

/* Like cio__coro_switch for a coroutine that will never be resumed: lets the
 * sanitizers release what they keep for it. Does not return. */
CIO_HIDDEN __attribute__((noreturn)) void cio__coro_exit(cio__coro *from, cio__coro *to);

/* Marks `c` as running on a stack without a guard page: `where` (the lowest
 * word of the stack) gets a canary checked at every switch away from `c`. */
CIO_HIDDEN void cio__coro_set_canary(cio__coro *c, uint64_t *where);

/* Releases what cio__coro_make / init_thread acquired (not the stack). */
CIO_HIDDEN void cio__coro_destroy(cio__coro *c);

/* The coroutine running on this thread (NULL: the thread's own context). */
CIO_HIDDEN cio__coro *cio__coro_running(void);

#endif
