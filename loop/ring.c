/* loop/ring.c — the io_uring backend: ring setup ladder, batched submission
 * with an overflow queue, async cancel, linked timeouts and reaping.
 *
 * Invariants: an op's user_data is (gen << 48 | address), unique per use, so
 * a late CQE or a cancel never matches a newer use of the same record; an op
 * record stays owned by the kernel (INFLIGHT) until its final CQE; at most
 * max_inflight ops are in flight. On kernels without IORING_FEAT_NODROP that
 * is cq_entries, so the CQ cannot overflow and drop our completions; with
 * NODROP the kernel queues what does not fit and reap() fetches it.
 */
#include <string.h>
#include <time.h>
#include "internal.h"

#define UD_IGNORE 0ull /* CQEs of cancels and linked timeouts */
#define UD_PTR_MASK ((1ull << 48) - 1)
_Static_assert(UD_IGNORE == 0 && CIO__UD_WAKE_MSG == 1 && CIO__UD_WAKE_POLL == 2 &&
                   LIBURING_UDATA_TIMEOUT == UINT64_MAX,
               "complete_cqe tells these from ops with one compare");

static const unsigned ladder[] = {
    IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_SINGLE_ISSUER |
        IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_R_DISABLED,
    IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
    IORING_SETUP_CQSIZE,
    0,
};

uint64_t cio__clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int cio__ring_init(cio_loop *l)
{
    unsigned first = l->opts.ring_mode == CIO_RING_COOP ? 1 : l->opts.ring_mode == CIO_RING_PLAIN ? 2 : 0;
    int rc = -EINVAL;
    for (unsigned i = first; i < sizeof(ladder) / sizeof(ladder[0]); i++) {
        struct io_uring_params p;
        memset(&p, 0, sizeof p);
        p.flags = ladder[i];
        p.cq_entries = l->cq_entries;
        rc = io_uring_queue_init_params(l->sq_entries, &l->ring, &p);
        if (rc == 0) {
            l->ring_flags = p.flags;
            l->cq_entries = p.cq_entries;
            l->sq_entries = p.sq_entries;
            l->max_inflight = l->opts.max_inflight       ? l->opts.max_inflight
                              : p.features & IORING_FEAT_NODROP ? SIZE_MAX
                                                                : p.cq_entries;
            l->ring_enabled = !(p.flags & IORING_SETUP_R_DISABLED);
            return 0;
        }
        if (rc != -EINVAL)
            break; /* ENOSYS, EPERM, ENOMEM...: no point trying weaker flags */
    }
    return rc;
}

/* A SINGLE_ISSUER ring is created disabled and bound to the thread that
 * first runs the loop, so a loop may be created on one thread and run on
 * another. */
int cio__ring_enable(cio_loop *l)
{
    if (l->ring_enabled)
        return 0;
    int rc = cio__uring_enable_rings(&l->ring);
    if (rc < 0)
        return rc;
    l->ring_enabled = true;
    io_uring_register_ring_fd(&l->ring); /* fewer fd lookups per enter; optional */
    return 0;
}

void cio__ring_exit(cio_loop *l)
{
    io_uring_queue_exit(&l->ring);
}

void cio__op_init(cio__op *op, void (*complete)(cio__op *, int, unsigned))
{
    /* Zeroed in two halves: one memset of the whole record compiles to
     * `rep stosq`, whose start-up cost was ~5 ns of a no-op round trip. */
    memset(op, 0, offsetof(cio__op, complete));
    memset(&op->complete, 0, sizeof(*op) - offsetof(cio__op, complete));
    op->complete = complete;
    cio__list_init(&op->node);
    cio__list_init(&op->cancel_node);
}

void cio__op_submit(cio_loop *l, cio__op *op)
{
    op->gen++;
    op->state = CIO_OP_QUEUED;
    op->has_timeout = op->cancel_requested = false;
    cio__list_push_back(&l->pending, &op->node);
    l->npending++;
}

/* The deadline of an op waiting in the queue behind others: a loop timer
 * that fails it with -ETIMEDOUT if it is still queued then. Allocated only
 * for such ops; gone once the op leaves the queue. */
typedef struct cio__queued_deadline {
    cio__timer timer;
    cio_loop *l;
    cio__op *op;
} cio__queued_deadline;

static void queued_deadline_drop(cio_loop *l, cio__op *op)
{
    if (!op->qd)
        return;
    cio__timer_stop(l, &op->qd->timer);
    cio__free(op->qd);
    op->qd = NULL;
}

/* Takes a QUEUED op off the queue and completes it with `err`. */
static void fail_queued(cio_loop *l, cio__op *op, int err)
{
    queued_deadline_drop(l, op);
    cio__list_remove(&op->node);
    l->npending--;
    op->state = CIO_OP_IDLE;
    op->complete(op, err, 0);
}

static void queued_deadline_fire(cio__timer *t)
{
    cio__queued_deadline *qd = cio__container_of(t, cio__queued_deadline, timer);
    fail_queued(qd->l, qd->op, -ETIMEDOUT); /* frees qd */
}

/* Arms (or moves) the queue-time deadline of `op`, due at absolute `at`.
 * Without memory the deadline still holds once the op reaches the ring. */
static void queued_deadline_arm(cio_loop *l, cio__op *op, uint64_t at)
{
    if (!op->qd && (op->qd = cio__malloc(sizeof(*op->qd)))) {
        cio__timer_init(&op->qd->timer, queued_deadline_fire);
        op->qd->l = l;
        op->qd->op = op;
    }
    if (op->qd && cio__timer_start(l, &op->qd->timer, at) < 0)
        queued_deadline_drop(l, op);
}

int cio__op_set_timeout(cio_loop *l, cio__op *op, uint64_t timeout_ns)
{
    if (op->state != CIO_OP_QUEUED)
        return -EINVAL;
    /* Absolute (CLOCK_MONOTONIC, io_uring's default clock): an op that waits
     * in the queue for SQ space or an in-flight slot keeps its deadline. */
    uint64_t at = cio__clock_ns() + (timeout_ns < UINT64_MAX / 2 ? timeout_ns : UINT64_MAX / 2);
    if (op->has_timeout && (uint64_t)op->ts.tv_sec * 1000000000ull + (uint64_t)op->ts.tv_nsec <= at)
        return 0; /* a second deadline: the earlier one wins, as with loop timers */
    op->ts.tv_sec = (long long)(at / 1000000000ull);
    op->ts.tv_nsec = (long long)(at % 1000000000ull);
    op->has_timeout = true;
    if (l->inflight + l->npending > l->max_inflight || op->qd)
        queued_deadline_arm(l, op, at); /* beyond the cap: may wait past its deadline */
    return 0;
}

static inline uint64_t op_user_data(const cio__op *op)
{
    return ((uint64_t)op->gen << 48) | ((uintptr_t)op & UD_PTR_MASK);
}

void cio__op_cancel(cio_loop *l, cio__op *op)
{
    if (op->cancel_requested || op->state == CIO_OP_IDLE)
        return;
    op->cancel_requested = true;
    if (op->state == CIO_OP_QUEUED) {
        fail_queued(l, op, -ECANCELED);
    } else {
        cio__list_push_back(&l->cancels, &op->cancel_node);
        l->cancelling++;
    }
}

/* Gets an SQE, pushing queued ones to the kernel when the SQ is full.
 * NULL means the kernel would not take more now (CQ backlog): retry later. */
static struct io_uring_sqe *get_sqe(cio_loop *l)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&l->ring);
    if (sqe || io_uring_submit(&l->ring) < 0)
        return sqe;
    return io_uring_get_sqe(&l->ring);
}

struct io_uring_sqe *cio__ring_sqe(cio_loop *l) { return get_sqe(l); }

static bool flush_cancel(cio_loop *l, cio__op *op)
{
    struct io_uring_sqe *sqe = get_sqe(l);
    if (!sqe)
        return false;
    io_uring_prep_cancel64(sqe, op_user_data(op), 0);
    io_uring_sqe_set_data64(sqe, UD_IGNORE);
    cio__list_remove(&op->cancel_node);
    return true;
}

/* The next SQE, when the caller knows the SQ has room (and the ring has
 * 64-byte SQEs: IORING_SETUP_SQE128 is never asked for). It still holds
 * what its last user wrote: fill it whole (newer liburing clears SQEs in
 * io_uring_get_sqe, not in the prep helpers). */
static inline struct io_uring_sqe *sqe_with_room(cio_loop *l)
{
    struct io_uring_sq *sq = &l->ring.sq;
    return &sq->sqes[sq->sqe_tail++ & sq->ring_mask];
}

/* Copies `op` (and its linked timeout) into the SQ, which has room. */
static void put_op(cio_loop *l, cio__op *op)
{
    struct io_uring_sqe *sqe = sqe_with_room(l);
    memcpy(sqe, &op->sqe, sizeof(*sqe));
    io_uring_sqe_set_data64(sqe, op_user_data(op));
    if (op->has_timeout) { /* only these can have a queue-time deadline to drop */
        queued_deadline_drop(l, op);
        sqe->flags |= IOSQE_IO_LINK;
        struct io_uring_sqe *t = sqe_with_room(l);
        memset(t, 0, sizeof(*t));
        io_uring_prep_link_timeout(t, &op->ts, IORING_TIMEOUT_ABS);
        io_uring_sqe_set_data64(t, UD_IGNORE);
    }
#ifdef CIO_DEBUG
    op->node.next = op->node.prev = NULL; /* stale from here (flush_queued): use would crash */
#endif
    op->state = CIO_OP_INFLIGHT;
}

/* Moves queued cancels, then queued ops, into the SQ, as far as the ring
 * and the in-flight cap allow; a full SQ is submitted to make room. The ops
 * put are cut off the front of the pending list at once (their `node`s are
 * not touched again until their next submit). */
static void flush_queued(cio_loop *l)
{
    while (!cio__list_empty(&l->cancels))
        if (!flush_cancel(l, cio__container_of(l->cancels.next, cio__op, cancel_node)))
            return;
    unsigned room = io_uring_sq_space_left(&l->ring);
    size_t allowed = l->inflight < l->max_inflight ? l->max_inflight - l->inflight : 0, put = 0;
    cio__list *n = l->pending.next;
    for (; n != &l->pending && put < allowed; put++) {
        cio__op *op = cio__container_of(n, cio__op, node);
        unsigned need = op->has_timeout ? 2 : 1;
        if (room < need && (io_uring_submit(&l->ring) < 0 || (room = io_uring_sq_space_left(&l->ring)) < need))
            break; /* the kernel takes no more now (CQ backlog): next iteration */
        n = n->next;
        put_op(l, op);
        room -= need;
    }
    l->inflight += put;
    l->npending -= put;
    l->pending.next = n;
    n->prev = &l->pending;
}

static void complete_cqe(cio_loop *l, const struct io_uring_cqe *cqe)
{
    uint64_t ud = cqe->user_data;
    if (cio__unlikely(ud + 1 <= CIO__UD_WAKE_POLL + 1)) { /* -1, 0, 1 or 2: not an op */
        if (ud == CIO__UD_WAKE_MSG || ud == CIO__UD_WAKE_POLL)
            cio__wakeup_cqe(l, ud, cqe->res);
        return; /* UD_IGNORE, LIBURING_UDATA_TIMEOUT */
    }
    cio__op *op = (cio__op *)(uintptr_t)(ud & UD_PTR_MASK);
    if (cio__unlikely(op->gen != (uint16_t)(ud >> 48) || op->state != CIO_OP_INFLIGHT))
        return; /* cannot happen while records outlive their final CQE */
    unsigned flags = cqe->flags;
    if (!(flags & IORING_CQE_F_MORE)) {
        op->state = CIO_OP_IDLE;
        l->inflight--;
        if (op->cancel_requested) {
            cio__list_remove(&op->cancel_node); /* a cancel still queued: drop it */
            l->cancelling--;
        }
    }
    op->complete(op, cqe->res, flags);
}

/* Completes every CQE in the ring, walking it in place (no call into
 * liburing, no array of pointers), and fetches overflowed ones. */
static unsigned reap(cio_loop *l)
{
    unsigned total = 0;
    for (;;) {
        struct io_uring_cq *cq = &l->ring.cq;
        unsigned head = *cq->khead, tail = io_uring_smp_load_acquire(cq->ktail), n = tail - head;
        for (; head != tail; head++) /* 16-byte CQEs: IORING_SETUP_CQE32 is never asked for */
            complete_cqe(l, &cq->cqes[head & cq->ring_mask]);
        io_uring_cq_advance(&l->ring, n);
        total += n;
        if (n == 0 && !(io_uring_cq_has_overflow(&l->ring) && io_uring_get_events(&l->ring) == 0))
            return total; /* else the kernel moved overflowed CQEs into the ring */
    }
}

void cio__ring_poll(cio_loop *l, uint64_t timeout_ns)
{
    if (timeout_ns == 0 && cio__ring_idle(l))
        return; /* nothing to submit, nothing owed: a busy loop of tasks only */
    flush_queued(l);
    bool queued = io_uring_sq_ready(&l->ring) > 0;
    if (timeout_ns == 0) {
        if (queued || l->inflight)
            io_uring_submit_and_get_events(&l->ring);
    } else if (timeout_ns == UINT64_MAX) {
        struct io_uring_cqe *cqe;
        io_uring_submit_and_wait_timeout(&l->ring, &cqe, 1, NULL, NULL);
    } else {
        struct __kernel_timespec ts = { .tv_sec = (long long)(timeout_ns / 1000000000ull),
                                        .tv_nsec = (long long)(timeout_ns % 1000000000ull) };
        struct io_uring_cqe *cqe;
        io_uring_submit_and_wait_timeout(&l->ring, &cqe, 1, &ts, NULL);
    }
    reap(l);
}

void cio__ring_settle_cancels(cio_loop *l)
{
    uint64_t until = cio__clock_ns() + 1000000000ull;
    while (l->inflight && l->inflight == l->cancelling && cio__clock_ns() < until)
        cio__ring_poll(l, 10000000ull);
}

void cio__ring_cancel_all(cio_loop *l)
{
    /* Ops not yet in the ring complete at once; the rest get one ANY|ALL cancel. */
    while (!cio__list_empty(&l->pending))
        cio__op_cancel(l, cio__container_of(l->pending.next, cio__op, node));
    struct io_uring_sqe *sqe = l->inflight ? get_sqe(l) : NULL;
    if (sqe) {
        io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL);
        io_uring_sqe_set_data64(sqe, UD_IGNORE);
    }
}
