/* future/lock.h — the lock's record, shared with the condition variable,
 * which moves its notified waiters onto the lock's wait list. Internal. */
#ifndef CIO_FUTURE_LOCK_H
#define CIO_FUTURE_LOCK_H

#include "waitq.h"
#include "cio/sync.h"

struct cio_lock {
    bool locked;
    cio__waitq waiters; /* their w->val is the result they complete with */
};

/* Makes `w` the holder if the lock is free (completing it with w->val),
 * else queues it for the lock. */
CIO_HIDDEN void cio__lock_grant_or_queue(cio_lock *l, cio__waiter *w);

#endif
