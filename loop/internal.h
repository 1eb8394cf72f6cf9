/* loop/internal.h — the loop's internal contract for the layers above it.
 *
 * The loop knows three kinds of records, all embedded in their owners so the
 * hot path allocates nothing:
 *   cio__handle — a callback on the ready queue (call_soon);
 *   cio__timer  — a callback on the timer heap (call_at);
 *   cio__op     — an io_uring operation whose completion calls back.
 * It never calls into future/ or coro/; those attach their per-loop state
 * through the `sched` hooks. Internal; never installed.
 */
#ifndef CIO_LOOP_INTERNAL_H
#define CIO_LOOP_INTERNAL_H

#include <stdatomic.h>
#include "base/common.h"
#include "base/heap.h"
#include "base/list.h"
#include "cio/loop.h"
#include "uring_shim.h"

typedef struct cio__handle {
    struct cio__handle *next;
    void (*fn)(struct cio__handle *h);
} cio__handle;

typedef struct cio__timer {
    cio__heap_node node; /* node.key is the deadline in loop ns */
    void (*fn)(struct cio__timer *t);
    uint64_t slack_ns;   /* how late it may fire (timer.c), set by start */
} cio__timer;

enum cio__op_state { CIO_OP_IDLE, CIO_OP_QUEUED, CIO_OP_INFLIGHT };

typedef struct cio__op {
    struct io_uring_sqe sqe;     /* prepared by the owner; copied into the ring at flush */
    void (*complete)(struct cio__op *op, int res, unsigned cqe_flags);
    cio__list node;              /* pending-submit list while QUEUED (stale after) */
    cio__list cancel_node;       /* pending-cancel list while a cancel waits for the ring */
    struct __kernel_timespec ts; /* linked timeout (absolute), when has_timeout */
    struct cio__queued_deadline *qd; /* a loop timer for the deadline while it waits in
                                        the queue behind others (ring.c) */
    uint16_t gen;                /* bumped per use: user_data = gen << 48 | address */
    uint8_t state;
    bool has_timeout, cancel_requested;
} cio__op;

/* Per-loop state of the layers above (tasks, stacks, object pools). */
typedef struct cio__sched_hooks {
    size_t (*alive)(void *sched);
    void (*report)(void *sched);   /* debug: print what is alive */
    void (*destroy)(void *sched);
    void (*idle)(void *sched);     /* the loop is about to wait: give back spare memory */
} cio__sched_hooks;

typedef struct cio__uhandle cio__uhandle;

/* Per-loop state of an optional layer (http/, ...), attached on first use
 * and destroyed by cio_loop_free (before the sched state), once nothing is
 * alive. */
typedef struct cio__loop_ext {
    struct cio__loop_ext *next;
    const void *key;                          /* identifies the layer */
    void (*destroy)(struct cio__loop_ext *e);
} cio__loop_ext;
/* A record another thread hands to the loop (wakeup.c): pushed on the
 * loop's lock-free MPSC list by any thread, fn runs on the loop thread. */
typedef struct cio__remote {
    struct cio__remote *next;
    void (*fn)(struct cio__remote *r);
} cio__remote;

/* Cross-thread entry into the loop (wakeup.c). */
typedef struct cio__wakeup {
    /* What posting threads touch, alone on its cache line(s): the loop's
     * own bookkeeping (`pending` changes once per job) shared a line with
     * `head` and cost every post a miss. */
    char pad_before[128]; /* 128: Intel's adjacent-line prefetcher pairs lines */
    _Atomic(cio__remote *) head; /* MPSC list, newest first; the loop takes it whole */
    atomic_int sleeping;         /* 1 while the loop may block in the ring */
    atomic_int posters;          /* threads inside cio__loop_post (free waits for 0) */
    atomic_int mode;             /* enum cio_wakeup_mode, never AUTO */
    int efd;                     /* eventfd of the EVENTFD mode, or -1 */
    char pad_after[128];
    bool armed;                  /* a poll on efd is in the ring */
    size_t pending;              /* results other threads still owe the loop (loop thread) */
    uint64_t spin_ns;            /* current pre-sleep spin (adapts; loop thread) */
    uint64_t slept_at;           /* when the loop last blocked owing results, or 0 */
    void *owned[2];              /* executors freed with the loop (default, resolver) */
    void (*owned_free)(void *);
    /* Work this loop submits, handed over once per iteration (before the
     * poll) by the layer that queued it: one lock per batch, not per job. */
    cio__list batch;
    size_t batch_len;
    void *batch_owner;
    void (*batch_flush)(cio_loop *l);
} cio__wakeup;

struct cio_loop {
    cio__handle *ready_head, **ready_tail; /* FIFO; runs a snapshot per iteration */
    size_t ready_len;
    cio__handle *run_next;      /* the rest of the snapshot being run */
    size_t run_left;
    bool (*keep_going)(void *); /* the run condition of cio__loop_run */
    void *keep_arg;
    cio__heap timers;
    uint64_t now_ns;
    bool now_stale;             /* now_ns is from an earlier iteration: reread it */
    bool running, stopping;

    struct io_uring ring;
    unsigned ring_flags, sq_entries, cq_entries;
    size_t max_inflight;        /* cap on `inflight`; SIZE_MAX for none */
    bool ring_enabled;
    cio__list pending;          /* ops waiting for SQ space */
    size_t npending;            /* how many */
    cio__list cancels;          /* cancels waiting for SQ space */
    size_t inflight;            /* ops the kernel owes a final completion */
    size_t cancelling;          /* of those, ops whose cancel was requested */

    cio__uhandle **uh_slots;    /* user handles by id (call_soon/later/at) */
    uint32_t *uh_free, uh_cap, uh_nfree, uh_used;
    uint32_t uh_gen;

    void *sched;
    const cio__sched_hooks *sched_hooks;
    cio__loop_ext *exts;
    void *altstack;
    cio_loop_opts opts;
    cio__wakeup wake;
};

/* Appends `h` to the ready queue. `h` must not already be queued. */
static inline void cio__loop_ready(cio_loop *l, cio__handle *h)
{
    h->next = NULL;
    *l->ready_tail = h;
    l->ready_tail = &h->next;
    l->ready_len++;
}

CIO_HIDDEN uint64_t cio__clock_ns(void);

/* Loop time of this iteration. The clock is read on first use per
 * iteration: a busy loop without timers never needs it, and clock_gettime
 * is a large share of a yield (~10 ns of ~50 ns measured under KVM). */
static inline uint64_t cio__loop_now(cio_loop *l)
{
    if (l->now_stale) {
        l->now_ns = cio__clock_ns();
        l->now_stale = false;
    }
    return l->now_ns;
}

/* The handle the ready phase runs next, if `fn` is its callback: taken
 * off the snapshot (the caller runs it instead); NULL otherwise. Lets a
 * yielding task switch straight to the next ready task. */
static inline cio__handle *cio__loop_take_next(cio_loop *l, void (*fn)(cio__handle *))
{
    cio__handle *h = l->run_next;
    if (!l->run_left || h->fn != fn)
        return NULL;
    l->run_next = h->next;
    l->run_left--;
    return h;
}

/* Called when the snapshot is used up (run_left == 0) by code that would
 * otherwise return to the loop's stack for the next iteration: if that
 * iteration's poll and timer phases would do nothing, starts it here (the
 * ready queue becomes the snapshot) and returns true; the caller may then
 * take from it. Iterations stay the same; only the trip through the
 * loop's stack is saved. */
CIO_HIDDEN bool cio__loop_next_iteration(cio_loop *l);

static inline void cio__timer_init(cio__timer *t, void (*fn)(cio__timer *))
{
    t->node.index = SIZE_MAX;
    t->fn = fn;
}
/* Arms `t` for absolute loop time `when_ns`. Returns 0 or -ENOMEM. */
CIO_HIDDEN int cio__timer_start(cio_loop *l, cio__timer *t, uint64_t when_ns);
/* Disarms `t` (no-op if not armed). */
CIO_HIDDEN void cio__timer_stop(cio_loop *l, cio__timer *t);
static inline bool cio__timer_armed(const cio__timer *t) { return cio__heap_node_linked(&t->node); }

/* Ops. The owner fills op->sqe with io_uring_prep_*() after cio__op_init,
 * then submits; `complete` runs once per CQE (flags carry IORING_CQE_F_MORE
 * for multishot ops) and the op is IDLE again after the final one. */
CIO_HIDDEN void cio__op_init(cio__op *op, void (*complete)(cio__op *, int, unsigned));
CIO_HIDDEN void cio__op_submit(cio_loop *l, cio__op *op);
/* Adds a linked timeout; only while QUEUED. An op queued behind others (a
 * full SQ or the max_inflight cap) also gets a loop timer, so it fails with
 * -ETIMEDOUT at its deadline even if it never reaches the ring. Returns 0
 * or -EINVAL. */
CIO_HIDDEN int cio__op_set_timeout(cio_loop *l, cio__op *op, uint64_t timeout_ns);
/* Cancels: a QUEUED op completes at once with -ECANCELED; an INFLIGHT op
 * gets an async cancel and completes when the kernel says so. */
CIO_HIDDEN void cio__op_cancel(cio_loop *l, cio__op *op);

/* Nothing queued for the ring and nothing it owes: polling would neither
 * submit nor reap anything. */
static inline bool cio__ring_idle(cio_loop *l)
{
    return !l->inflight && cio__list_empty(&l->pending) && cio__list_empty(&l->cancels) &&
           !io_uring_sq_ready(&l->ring) && !io_uring_cq_ready(&l->ring) && !io_uring_cq_has_overflow(&l->ring);
}

/* Ring backend (ring.c). */
CIO_HIDDEN int cio__ring_init(cio_loop *l);
CIO_HIDDEN void cio__ring_exit(cio_loop *l);
CIO_HIDDEN int cio__ring_enable(cio_loop *l);
/* Submits what is queued and reaps completions, waiting up to `timeout_ns`
 * (0: don't wait, UINT64_MAX: until something completes). */
CIO_HIDDEN void cio__ring_poll(cio_loop *l, uint64_t timeout_ns);

/* Fires due timers (timer.c); nanoseconds until the next one. */
CIO_HIDDEN void cio__timers_run(cio_loop *l, uint64_t now);
CIO_HIDDEN uint64_t cio__timers_next(const cio_loop *l, uint64_t now);

/* Attaches the upper layers' per-loop state (once). */
CIO_HIDDEN void cio__loop_set_sched(cio_loop *l, void *sched, const cio__sched_hooks *hooks);
/* The extension attached under `key`, or NULL. */
CIO_HIDDEN cio__loop_ext *cio__loop_ext_find(cio_loop *l, const void *key);
/* Attaches `e` (e->key set by the caller). */
CIO_HIDDEN void cio__loop_ext_add(cio_loop *l, cio__loop_ext *e);
/* Sets the thread's current loop (returns the previous one). */
CIO_HIDDEN cio_loop *cio__loop_set_current(cio_loop *l);
CIO_HIDDEN void cio__uhandles_free(cio_loop *l);
/* Drops every scheduled user callback (shutdown). */
CIO_HIDDEN void cio__uhandles_discard(cio_loop *l);
/* Runs iterations while keep_going(arg) (and until stopped). 0 or -EPERM. */
CIO_HIDDEN int cio__loop_run(cio_loop *l, bool (*keep_going)(void *), void *arg);
/* Waits (up to 1 s) for the final completions of cancelled operations when
 * they are all the kernel still owes: their owners have let go of them. */
CIO_HIDDEN void cio__ring_settle_cancels(cio_loop *l);
/* Cancels every operation in the ring (shutdown). */
CIO_HIDDEN void cio__ring_cancel_all(cio_loop *l);
/* An SQE for an internal request, or NULL when the SQ is full right now. */
CIO_HIDDEN struct io_uring_sqe *cio__ring_sqe(cio_loop *l);

/* A pause inside spin loops. */
#if defined(__x86_64__) || defined(__i386__)
#define cio__cpu_relax() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define cio__cpu_relax() __asm__ __volatile__("yield" ::: "memory")
#else
#define cio__cpu_relax() ((void)0)
#endif

/* Cross-thread entry (wakeup.c). user_data of the wakeup's CQEs (no op
 * record lives at such an address): */
#define CIO__UD_WAKE_MSG 1ull  /* a MSG_RING from another thread */
#define CIO__UD_WAKE_POLL 2ull /* the poll on the eventfd */
CIO_HIDDEN int cio__wakeup_init(cio_loop *l);
CIO_HIDDEN void cio__wakeup_exit(cio_loop *l);
/* Any thread: queues `r` for the loop and wakes the loop if it sleeps. */
CIO_HIDDEN void cio__loop_post(cio_loop *l, cio__remote *r);
/* Loop thread, before polling: flushes the batch, returns the wait to use
 * (0 when remote records are queued) and arms the wakeup when the loop
 * would block. */
CIO_HIDDEN uint64_t cio__wakeup_prepare(cio_loop *l, uint64_t wait_ns);
/* Loop thread, after polling: runs the queued remote records in FIFO order. */
CIO_HIDDEN void cio__wakeup_drain(cio_loop *l);
/* A CQE with user_data CIO__UD_WAKE_*. */
CIO_HIDDEN void cio__wakeup_cqe(cio_loop *l, uint64_t ud, int res);
/* True while remote records are queued or owed to the loop. */
static inline bool cio__wakeup_busy(const cio_loop *l)
{
    return l->wake.pending || atomic_load_explicit(&l->wake.head, memory_order_acquire);
}

#endif
