/* coro/stack.h — pooled, guard-protected coroutine stacks.
 *
 * Stacks are carved from large mmap'd chunks, handed out and taken back by a
 * pool per loop, and only unmapped when the pool is freed (unmapping single
 * stacks would split mappings and eat into vm.max_map_count). Each stack has
 * a guard page below it: MADV_GUARD_INSTALL where the kernel has it (no new
 * mapping), else mprotect while the mapping budget lasts, else a canary word
 * checked on every switch. When twice the cache limit of idle stacks are
 * resident, the oldest give their memory back with MADV_DONTNEED down to
 * the limit, many per system call (process_madvise) where the kernel
 * allows. Internal.
 */
#ifndef CIO_CORO_STACK_H
#define CIO_CORO_STACK_H

#include "base/common.h"

enum cio__guard_mode { CIO_GUARD_MADVISE, CIO_GUARD_MPROTECT, CIO_GUARD_CANARY };

typedef struct cio__stack {
    char *lo;          /* lowest usable byte */
    size_t size;       /* usable bytes */
    bool guarded;      /* false: protected by a canary at `lo` instead */
    bool cold;         /* idle and given back with MADV_DONTNEED */
} cio__stack;

typedef struct cio__stack_class cio__stack_class;

typedef struct cio__stack_pool {
    size_t page;
    size_t default_size;
    size_t cache_max;          /* idle stacks kept resident */
    size_t idle_resident;
    size_t live;               /* stacks handed out */
    size_t mprotect_budget;    /* guards mprotect may still create */
    enum cio__guard_mode mode;
    bool no_batch;             /* process_madvise on ourselves is refused */
    cio__stack_class *classes; /* one per distinct stack size */
} cio__stack_pool;

CIO_HIDDEN int cio__stack_pool_init(cio__stack_pool *p, size_t default_size, size_t cache_max);
/* Unmaps every chunk. All stacks must have been returned. */
CIO_HIDDEN void cio__stack_pool_free(cio__stack_pool *p);
/* Takes a stack of at least `size` usable bytes (0: the default).
 * Returns 0 or -ENOMEM. */
CIO_HIDDEN int cio__stack_get(cio__stack_pool *p, size_t size, cio__stack *out);
CIO_HIDDEN void cio__stack_put(cio__stack_pool *p, const cio__stack *s);
/* Whether cio__stack_get(p, size) would be served without a system call
 * (an idle stack, or a guarded slot never used), so with a shallow frame. */
CIO_HIDDEN bool cio__stack_ready(const cio__stack_pool *p, size_t size);
/* Rounds a requested size up to what the pool hands out. */
CIO_HIDDEN size_t cio__stack_round(const cio__stack_pool *p, size_t size);

/* Installs (once per process) the SIGSEGV handler that turns a guard-page
 * hit into "stack overflow in task '<name>'", and an alternate signal stack
 * for the calling thread (kept in *altstack; release with the matching
 * uninstall). */
CIO_HIDDEN void cio__overflow_handler_install(void **altstack);
CIO_HIDDEN void cio__overflow_handler_uninstall(void **altstack);

#endif
