/* future/barrier.c — cio_barrier: a cyclic barrier for N tasks.
 *
 * Invariant: the waiters on the list are exactly the arrivals of the current
 * round (cancelled or timed-out ones have left it), so the N-th arrival
 * trips the barrier and each waiter learns its index from its position.
 */
#include "waitq.h"
#include "cio/sync.h"

struct cio_barrier {
    size_t parties;
    bool broken;
    cio__waitq waiters;
};

cio_barrier *cio_barrier_new(size_t parties)
{
    if (parties == 0) {
        cio__misuse(-EINVAL, "a barrier needs at least one party");
        return NULL;
    }
    cio_barrier *b = cio__malloc(sizeof(*b));
    if (b) {
        b->parties = parties;
        b->broken = false;
        cio__waitq_init(&b->waiters);
    }
    return b;
}

int cio_barrier_free(cio_barrier *b)
{
    if (!b)
        return 0;
    if (!cio__waitq_empty(&b->waiters))
        return cio__misuse(-EBUSY, "barrier freed while %zu task(s) wait on it", b->waiters.len);
    cio__free(b);
    return 0;
}

static void trip(cio_barrier *b)
{
    intptr_t index = 0;
    cio__waiter *w;
    while ((w = cio__waitq_pop(&b->waiters)))
        cio__waiter_complete(w, index++);
}

cio_future *cio_barrier_wait(cio_barrier *b, uint64_t timeout_ns)
{
    if (!b)
        return cio__future_failed(cio__misuse(-EINVAL, "barrier is NULL"));
    if (b->broken)
        return cio__future_error(-EPIPE);
    int err;
    cio__waiter *w = cio__waiter_new(b, timeout_ns, &err);
    if (!w)
        return cio__future_failed(err);
    cio__waitq_push(&b->waiters, w);
    if (b->waiters.len == b->parties)
        trip(b);
    return &w->fut;
}

void cio_barrier_abort(cio_barrier *b)
{
    if (!b)
        return;
    b->broken = true;
    cio__waitq_fail_all(&b->waiters, -EPIPE);
}

void cio_barrier_reset(cio_barrier *b)
{
    if (!b)
        return;
    cio__waitq_fail_all(&b->waiters, -EPIPE);
    b->broken = false;
}

size_t cio_barrier_waiting(const cio_barrier *b) { return b ? b->waiters.len : 0; }
