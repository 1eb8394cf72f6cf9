/* future/internal.h — futures, tasks and the per-loop scheduler state.
 *
 * A future is a refcounted record with a result and a list of done
 * callbacks. Completing it never runs callbacks inline: it queues the
 * future's own handle on the ready queue, and the loop runs the callbacks.
 * Kinds (plain, task, sleep, I/O, ...) differ only in their ops table.
 * Internal; never installed.
 */
#ifndef CIO_FUTURE_INTERNAL_H
#define CIO_FUTURE_INTERNAL_H

#include "base/common.h"
#include "base/list.h"
#include "base/slab.h"
#include "cio/future.h"
#include "cio/task.h"
#include "coro/coro.h"
#include "coro/stack.h"
#include "loop/internal.h"

typedef struct cio__future_ops {
    const char *kind;
    /* Requests cancellation of a pending future. Returns 1. NULL: complete
     * with -ECANCELED at once. */
    int (*cancel)(cio_future *f);
    /* Returns the memory of a future whose last reference is gone. */
    void (*destroy)(cio_future *f);
    /* Optional: applies a deadline natively (linked timeout). 0 if it did. */
    int (*set_timeout)(cio_future *f, uint64_t timeout_ns);
} cio__future_ops;

typedef struct cio__cb {
    cio_done_fn fn;
    void *arg;
} cio__cb;

enum { CIO_F_PENDING = 0, CIO_F_DONE = 1 };
enum {
    CIO_FF_STATIC = 1,      /* immortal, shared, already failed */
    CIO_FF_TIMED_OUT = 2,   /* its deadline fired: -ECANCELED reads -ETIMEDOUT */
    CIO_FF_CB_QUEUED = 4,   /* cb_handle is on the ready queue */
    CIO_FF_CANCELLED = 8,
    CIO_FF_MORE = 16,       /* `more` is allocated (read only then: it is past the first 64 bytes) */
};

/* The callbacks after a future's first: any number of them (a million
 * tasks may await one future). */
typedef struct cio__cb_vec {
    uint32_t len, cap;
    cio__cb at[];
} cio__cb_vec;

struct cio_future {
    const cio__future_ops *ops;
    cio__cb_vec *more;     /* the callbacks after cb0, allocated (CIO_FF_MORE) when needed */
    intptr_t result;
    uint32_t refs;
    uint8_t state, flags;
    bool has_cb;           /* cb0 holds a callback; `more` any later ones */
    cio__handle cb_handle;
    cio__cb cb0;           /* the first callback lives inline, in the first 64 bytes */
    cio_loop *loop;        /* last: in a task record, on the line of its hot fields */
};

/* Object pools by size in 16-byte steps (16, 32, ... 512 bytes), so an
 * object takes no more than it needs (a task is 256 bytes); larger objects
 * go straight to the allocation hook. */
enum { CIO_POOL_STEP = 16, CIO_POOL_COUNT = 32 };

typedef struct cio__task cio__task;

/* Called (in the order added) when the task it is attached to is cancelled,
 * before the cancellation reaches the future the task is parked on. Task
 * groups and timeout scopes use it. The hook may not remove itself. */
typedef struct cio__cancel_hook {
    cio__list link;
    void (*fn)(struct cio__cancel_hook *h);
} cio__cancel_hook;

/* Per-loop state of this layer, attached to the loop on first use. */
typedef struct cio__sched {
    cio_loop *loop;
    cio__coro thread_ctx;      /* the loop's own stack */
    cio__stack_pool stacks;
    cio__list tasks;           /* every task not yet freed */
    size_t ntasks_running;     /* tasks not yet finished */
    size_t nfutures;           /* future records alive (tasks included) */
    uint64_t next_task_id;
    bool hold_handoff;         /* a future's callbacks are running and more follow */
    bool pools_off;            /* objects from the allocation hook (ASan, Valgrind) */
    bool pools_spare;          /* a chunk became a spare since the last trim */
    cio__slab pools[CIO_POOL_COUNT];
    struct cio__task *zombie;  /* finished, started the next task, stack not yet given back (task.c) */
} cio__sched;

/* What a task needs only while it has a stack, kept at the top of that
 * stack (task_start): a million spawned tasks that have not run yet, or are
 * done, do not carry it. */
typedef struct cio__task_run {
    cio__coro coro;
    cio__stack stack;
} cio__task_run;

struct cio__task {
    cio_future fut;            /* first: a task is a future */
    /* What a hand-off and an await read or write, on the line of fut.loop
     * (a woken task's record has been idle since it parked: each line is
     * a miss of its own). */
    cio__task_run *run;        /* at the top of its stack while started */
    cio__handle wake;          /* start / resume on the ready queue */
    cio_future *awaiting;      /* what it is parked on */
    uint8_t tstate;
    bool cancel_pending, detached, started;
    cio_task_fn fn;
    void *arg;
    size_t stack_size;         /* requested (0: the loop's default) */
    cio__task *parent;
    cio__list link;            /* in sched->tasks */
    cio__list children;        /* spawned, neither awaited nor detached */
    cio__list child_link;      /* in parent->children */
    cio__list cancel_hooks;    /* cio__cancel_hook.link */
    uint64_t id;
    char name[32];
};
_Static_assert(offsetof(cio__task, fut.loop) / 64 == offsetof(cio__task, started) / 64 &&
                   offsetof(cio__task, wake) / 64 == offsetof(cio__task, started) / 64,
               "a hand-off reads one line of a task record (64-byte aligned in its pool)");

/* The scheduler state of the task's loop. */
static inline cio__sched *cio__task_sched(const cio__task *t) { return t->fut.loop->sched; }

/* A sleep: a future completed by a loop timer. */
typedef struct cio__sleep {
    cio_future fut;
    cio__timer timer;
} cio__sleep;

/* An io_uring operation's future; the op holds a reference while in flight. */
typedef struct cio__io {
    cio_future fut;
    cio__op op;
    bool deadline; /* carries a linked timeout */
} cio__io;

enum { CIO_T_NEW, CIO_T_READY, CIO_T_RUNNING, CIO_T_PARKED, CIO_T_DONE };

/* Creates the scheduler state of `l` (cio__sched_get's cold path). */
CIO_HIDDEN cio__sched *cio__sched_create(cio_loop *l);
/* Scheduler state of `l`, created on first use; NULL on -ENOMEM. */
static inline cio__sched *cio__sched_get(cio_loop *l)
{
    return cio__likely(l->sched != NULL) ? (cio__sched *)l->sched : cio__sched_create(l);
}

/* Pool i holds objects of up to (i + 1) * CIO_POOL_STEP bytes; -1: none
 * does. A constant for the callers' constant sizes. */
static inline int cio__pool_index(size_t size)
{
    size_t i = (size + CIO_POOL_STEP - 1) / CIO_POOL_STEP;
    return i >= 1 && i <= CIO_POOL_COUNT ? (int)i - 1 : -1;
}

/* Memory for a `size`-byte internal object of this loop (its pools);
 * NULL on -ENOMEM. */
static inline void *cio__pool_get(cio__sched *s, size_t size)
{
    int which = s->pools_off ? -1 : cio__pool_index(size);
    return which < 0 ? cio__malloc(size) : cio__slab_alloc(&s->pools[which]);
}

/* Returns what cio__pool_get(s, size) gave. */
static inline void cio__pool_put(cio__sched *s, size_t size, void *p)
{
    int which = s->pools_off ? -1 : cio__pool_index(size);
    if (which < 0)
        cio__free(p);
    else if (cio__slab_free(&s->pools[which], p))
        s->pools_spare = true;
}

/* The handle function that runs a future's done callbacks (future.c). */
CIO_HIDDEN void cio__future_run_callbacks(cio__handle *h);

/* Initialises a pending future of kind `ops` with one reference. */
static inline void cio__future_init(cio_future *f, cio_loop *l, const cio__future_ops *ops)
{
    memset(f, 0, sizeof(*f));
    f->ops = ops;
    f->loop = l;
    f->refs = 1;
    f->cb_handle.fn = cio__future_run_callbacks;
}

/* Allocates a `size`-byte object that starts with a cio_future of kind
 * `ops`, initialised pending with one reference; NULL on -ENOMEM. Counted
 * as alive in its loop until freed. Inline, as is cio__future_free: with
 * a constant size both come down to a pool's free list. */
static inline cio_future *cio__future_alloc(cio_loop *l, size_t size, const cio__future_ops *ops)
{
    cio__sched *s = cio__sched_get(l);
    cio_future *f = s ? (cio_future *)cio__pool_get(s, size) : NULL;
    if (!f)
        return NULL;
    cio__future_init(f, l, ops);
    s->nfutures++;
    return f;
}

/* Returns the memory of such an object (call from ops->destroy). */
static inline void cio__future_free(cio_future *f, size_t size)
{
    cio__sched *s = f->loop->sched;
    if (f->flags & CIO_FF_MORE) /* callbacks added and never run */
        cio__free(f->more);
    s->nfutures--;
    cio__pool_put(s, size, f);
}
/* Completes a pending future (no-op if done). Queues its callbacks. */
CIO_HIDDEN void cio__future_complete(cio_future *f, intptr_t result);
/* Drops an internal reference (no effect on task ownership tracking). */
CIO_HIDDEN void cio__future_unref(cio_future *f);
/* An immortal future already failed with `err`. */
CIO_HIDDEN cio_future *cio__future_failed(int err);
static inline bool cio__future_is_static(const cio_future *f) { return f->flags & CIO_FF_STATIC; }

CIO_HIDDEN cio__task *cio__task_current(void);
/* The done callback that resumes a task parked on `f` (arg: the task). */
CIO_HIDDEN void cio__task_wake_parked(cio_future *f, void *arg);
/* Parking without memory for a callback: yields until `f` is done. */
CIO_HIDDEN void cio__task_park_polling(cio__task *t, cio_future *f);

/* The running task (task.c); cio__task_current() outside this layer. */
CIO_HIDDEN extern CIO_TLS cio__task *cio__tls_task;
/* The task the ready phase would start or resume next, taken off its
 * snapshot (and started, if new), if the next handle does nothing but
 * that (and, with `new_only`, the task has not started); else NULL. */
CIO_HIDDEN cio__task *cio__task_take_next(cio_loop *l, bool new_only);
/* Queues task `t` of loop `l` to resume (it yielded, or what it awaits is
 * done). Only writes to the task's record: a woken task's record has been
 * idle since it parked, and reading its loop from it was a miss the whole
 * completion waited for (the caller has the loop at hand). */
CIO_HIDDEN void cio__task_ready(cio_loop *l, cio__task *t);

/* The task the running task `t` (queued, parked or finished) may hand the
 * CPU to, taken off the ready phase's snapshot: what the loop would start
 * or resume next (only start, with `new_only`), if anything. When the
 * snapshot is used up, the next iteration may start right here
 * (cio__loop_next_iteration), and `t` itself may be first in it. None
 * while the loop's stack is in the middle of a future's callbacks
 * (hold_handoff): the rest of them run first. */
static inline cio__task *cio__task_handoff_next(cio__task *t, bool new_only)
{
    cio_loop *l = t->fut.loop;
    if (cio__task_sched(t)->hold_handoff || !(l->run_left || cio__loop_next_iteration(l)))
        return NULL;
    return cio__task_take_next(l, new_only);
}

/* Switches from the running task `t`, which has queued or parked itself,
 * straight to cio__task_handoff_next's task when there is one (one switch
 * instead of two, same order), else to the loop. If that is `t`, it runs
 * on. */
static inline void cio__task_switch_away(cio__task *t)
{
    cio__sched *s = cio__task_sched(t);
    cio__task *next = cio__task_handoff_next(t, false);
    if (next == t) {
        cio__coro_check_canary(&t->run->coro); /* no switch to check it */
        t->tstate = CIO_T_RUNNING;
    } else if (next) {
        next->tstate = CIO_T_RUNNING;
        cio__tls_task = next;
        cio__coro_switch(&t->run->coro, &next->run->coro);
    } else {
        cio__coro_switch(&t->run->coro, &s->thread_ctx);
    }
}

/* Parks the current task until `f` is done (no reference consumed: the
 * caller holds one until it returns, which queue_callbacks relies on when it
 * queues the task itself instead of the callback). Inline so the switch
 * sits in the awaiting function, the same call site for every task parked
 * there (see cio__coro_switch). */
static inline void cio__task_park(cio__task *t, cio_future *f)
{
    if (cio__likely(!f->has_cb)) { /* the usual lone waiter; f is pending, not static */
        f->cb0 = (cio__cb){ cio__task_wake_parked, t };
        f->has_cb = true;
    } else if (cio_future_add_done_callback(f, cio__task_wake_parked, t) < 0) {
        cio__task_park_polling(t, f);
        return;
    }
    t->awaiting = f;
    t->tstate = CIO_T_PARKED;
    cio__task_switch_away(t);
    t->awaiting = NULL;
}
/* Removes `t` from its parent's list of held children. */
CIO_HIDDEN void cio__task_unhold(cio__task *t);
CIO_HIDDEN bool cio__future_is_task(const cio_future *f);
/* Makes `t` the thread's current task (NULL: none); returns the previous.
 * Coroutines that are not tasks (greenlets, generators) run with none. */
CIO_HIDDEN cio__task *cio__task_set_current(cio__task *t);
/* Attaches / detaches a cancel hook (detach: cio__list_remove(&h->link)). */
CIO_HIDDEN void cio__task_add_cancel_hook(cio__task *t, cio__cancel_hook *h);

#endif
