/* future/condition.c — cio_cond: condition variables over a cio_lock.
 *
 * A wait is one waiter future that lives in two phases: first on the
 * condition's list (lock released), then — once notified, cancelled or timed
 * out — on the lock's list until it holds the lock again. It completes only
 * in the second phase, with the result stored in w->val, so every outcome
 * returns with the lock held. The deadline only covers the first phase.
 */
#include "lock.h"

struct cio_cond {
    cio_lock *lock;
    bool own_lock;
    cio__waitq waiters;
};

cio_cond *cio_cond_new(cio_lock *lock)
{
    cio_cond *c = cio__malloc(sizeof(*c));
    if (!c)
        return NULL;
    c->own_lock = !lock;
    c->lock = lock ? lock : cio_lock_new();
    if (!c->lock) {
        cio__free(c);
        return NULL;
    }
    cio__waitq_init(&c->waiters);
    return c;
}

int cio_cond_free(cio_cond *c)
{
    if (!c)
        return 0;
    if (!cio__waitq_empty(&c->waiters))
        return cio__misuse(-EBUSY, "condition freed while %zu task(s) wait on it", c->waiters.len);
    if (c->own_lock && cio_lock_free(c->lock) < 0)
        return -EBUSY;
    cio__free(c);
    return 0;
}

cio_lock *cio_cond_lock(cio_cond *c) { return c ? c->lock : NULL; }

/* Phase two: wait for the lock, then complete with `result`. */
static void to_lock(cio_cond *c, cio__waiter *w, intptr_t result)
{
    cio__waiter_unlink(w);
    cio__waiter_disarm(w);
    w->val = result;
    cio__lock_grant_or_queue(c->lock, w);
}

static void cond_cancel(cio__waiter *w)
{
    cio_cond *c = w->obj;
    if (w->q == &c->waiters)
        to_lock(c, w, -ECANCELED); /* -ETIMEDOUT when the deadline did it */
    else
        w->val = -ECANCELED; /* re-acquiring: keep at it, report the cancel */
}

cio_future *cio_cond_wait(cio_cond *c, uint64_t timeout_ns)
{
    if (!c)
        return cio__future_failed(cio__misuse(-EINVAL, "condition is NULL"));
    if (!c->lock->locked)
        return cio__future_failed(cio__misuse(-EPERM, "waiting on a condition without holding its lock"));
    int err;
    cio__waiter *w = cio__waiter_new(c, timeout_ns, &err);
    if (!w)
        return cio__future_failed(err);
    w->on_cancel = cond_cancel;
    cio__waitq_push(&c->waiters, w);
    cio_lock_release(c->lock);
    return &w->fut;
}

size_t cio_cond_notify(cio_cond *c, size_t n)
{
    size_t woken = 0;
    cio__waiter *w;
    while (c && woken < n && (w = cio__waitq_pop(&c->waiters))) {
        to_lock(c, w, 0);
        woken++;
    }
    return woken;
}

size_t cio_cond_notify_all(cio_cond *c) { return cio_cond_notify(c, SIZE_MAX); }
