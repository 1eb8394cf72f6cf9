/* future/semaphore.c — cio_sem: counting and bounded semaphores, FIFO.
 *
 * Invariant: waiters non-empty implies value == 0. A release with waiters
 * hands its permit to the first waiter (completing it) instead of raising
 * the value, so a permit is never lost to a cancelled waiter: cancelled
 * waiters are off the list before any release can pick them.
 */
#include "waitq.h"
#include "cio/sync.h"

struct cio_sem {
    unsigned value, bound; /* bound: UINT_MAX unless bounded */
    cio__waitq waiters;
};

static cio_sem *sem_make(unsigned value, unsigned bound)
{
    cio_sem *s = cio__malloc(sizeof(*s));
    if (s) {
        s->value = value;
        s->bound = bound;
        cio__waitq_init(&s->waiters);
    }
    return s;
}

cio_sem *cio_sem_new(unsigned value) { return sem_make(value, UINT32_MAX); }
cio_sem *cio_sem_new_bounded(unsigned value) { return sem_make(value, value); }

int cio_sem_free(cio_sem *s)
{
    if (!s)
        return 0;
    if (!cio__waitq_empty(&s->waiters))
        return cio__misuse(-EBUSY, "semaphore freed while %zu task(s) wait on it", s->waiters.len);
    cio__free(s);
    return 0;
}

cio_future *cio_sem_acquire(cio_sem *s, uint64_t timeout_ns)
{
    if (!s)
        return cio__future_failed(cio__misuse(-EINVAL, "semaphore is NULL"));
    if (s->value > 0) {
        s->value--;
        return cio__future_ok();
    }
    int err;
    cio__waiter *w = cio__waiter_new(s, timeout_ns, &err);
    if (!w)
        return cio__future_failed(err);
    cio__waitq_push(&s->waiters, w);
    return &w->fut;
}

bool cio_sem_try_acquire(cio_sem *s)
{
    if (!s || s->value == 0)
        return false;
    s->value--;
    return true;
}

int cio_sem_release(cio_sem *s)
{
    if (!s)
        return cio__misuse(-EINVAL, "semaphore is NULL");
    cio__waiter *w = cio__waitq_pop(&s->waiters);
    if (w) {
        cio__waiter_complete(w, 0);
        return 0;
    }
    if (s->value >= s->bound)
        return s->bound == UINT32_MAX ? -EOVERFLOW : cio__misuse(-EOVERFLOW, "bounded semaphore released too many times");
    s->value++;
    return 0;
}

unsigned cio_sem_value(const cio_sem *s) { return s ? s->value : 0; }
