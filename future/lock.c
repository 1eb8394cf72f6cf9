/* future/lock.c — cio_lock: a FIFO task lock with direct hand-off.
 *
 * Invariant: waiters non-empty implies locked. Release never unlocks while
 * someone waits: it makes the first waiter the holder by completing its
 * future, so no newcomer can barge in between and no wake-up is lost.
 */
#include "lock.h"

cio_lock *cio_lock_new(void)
{
    cio_lock *l = cio__malloc(sizeof(*l));
    if (l) {
        l->locked = false;
        cio__waitq_init(&l->waiters);
    }
    return l;
}

int cio_lock_free(cio_lock *l)
{
    if (!l)
        return 0;
    if (!cio__waitq_empty(&l->waiters))
        return cio__misuse(-EBUSY, "lock freed while %zu task(s) wait on it", l->waiters.len);
    cio__free(l);
    return 0;
}

cio_future *cio_lock_acquire(cio_lock *l, uint64_t timeout_ns)
{
    if (!l)
        return cio__future_failed(cio__misuse(-EINVAL, "lock is NULL"));
    if (!l->locked) {
        l->locked = true;
        return cio__future_ok();
    }
    int err;
    cio__waiter *w = cio__waiter_new(l, timeout_ns, &err);
    if (!w)
        return cio__future_failed(err);
    cio__waitq_push(&l->waiters, w);
    return &w->fut;
}

bool cio_lock_try_acquire(cio_lock *l)
{
    if (!l || l->locked)
        return false;
    l->locked = true;
    return true;
}

int cio_lock_release(cio_lock *l)
{
    if (!l || !l->locked)
        return cio__misuse(-EPERM, "releasing a lock that is not locked");
    cio__waiter *w = cio__waitq_pop(&l->waiters);
    if (w)
        cio__waiter_complete(w, w->val);
    else
        l->locked = false;
    return 0;
}

bool cio_lock_locked(const cio_lock *l) { return l && l->locked; }

void cio__lock_grant_or_queue(cio_lock *l, cio__waiter *w)
{
    if (!l->locked) {
        l->locked = true;
        cio__waiter_complete(w, w->val);
    } else {
        cio__waitq_push(&l->waiters, w);
    }
}
