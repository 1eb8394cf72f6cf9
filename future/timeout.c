/* future/timeout.c — timeout scopes (asyncio.timeout): a deadline over a
 * block of awaits. Firing cancels the owning task; exiting the scope stops
 * the timer and absorbs the cancellation it caused, reporting -ETIMEDOUT.
 * Invariant: the timer is armed only while the scope is open and unfired.
 */
#include "waitq.h"
#include "cio/compose.h"

struct cio_timeout {
    cio__timer timer;
    cio__task *task;
    bool fired;
};

static void scope_fire(cio__timer *tm)
{
    cio_timeout *s = cio__container_of(tm, cio_timeout, timer);
    s->fired = true;
    cio_future_cancel(&s->task->fut);
}

static int arm(cio_timeout *s, uint64_t timeout_ns)
{
    if (timeout_ns == CIO_NO_TIMEOUT)
        return 0;
    uint64_t now = cio__clock_ns();
    return cio__timer_start(s->task->fut.loop, &s->timer, timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns);
}

cio_timeout *cio_timeout_enter(uint64_t timeout_ns)
{
    cio__task *t = cio__task_current();
    if (!t) {
        cio__misuse(-EPERM, "timeout scope outside a task");
        return NULL;
    }
    cio_timeout *s = cio__pool_get(cio__task_sched(t), sizeof(*s));
    if (!s)
        return NULL;
    *s = (cio_timeout){ .task = t };
    cio__timer_init(&s->timer, scope_fire);
    if (arm(s, timeout_ns) < 0) {
        cio__pool_put(cio__task_sched(t), sizeof(*s), s);
        return NULL;
    }
    return s;
}

int cio_timeout_reschedule(cio_timeout *s, uint64_t timeout_ns)
{
    if (!s)
        return cio__misuse(-EINVAL, "scope is NULL");
    if (s->fired)
        return -EALREADY;
    if (cio__timer_armed(&s->timer))
        cio__timer_stop(s->task->fut.loop, &s->timer);
    return arm(s, timeout_ns);
}

int cio_timeout_exit(cio_timeout *s)
{
    if (!s)
        return cio__misuse(-EINVAL, "scope is NULL");
    if (cio__timer_armed(&s->timer))
        cio__timer_stop(s->task->fut.loop, &s->timer);
    bool fired = s->fired;
    if (fired)
        s->task->cancel_pending = false; /* ours; delivered or not, it ends here */
    cio__pool_put(cio__task_sched(s->task), sizeof(*s), s);
    return fired ? -ETIMEDOUT : 0;
}
