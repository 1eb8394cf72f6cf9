/* future/event.c — cio_event: a flag tasks wait for.
 *
 * Invariant: waiters non-empty implies the flag is clear; set wakes them
 * all, in the order they started waiting.
 */
#include "waitq.h"
#include "cio/sync.h"

struct cio_event {
    bool set;
    cio__waitq waiters;
};

cio_event *cio_event_new(void)
{
    cio_event *e = cio__malloc(sizeof(*e));
    if (e) {
        e->set = false;
        cio__waitq_init(&e->waiters);
    }
    return e;
}

int cio_event_free(cio_event *e)
{
    if (!e)
        return 0;
    if (!cio__waitq_empty(&e->waiters))
        return cio__misuse(-EBUSY, "event freed while %zu task(s) wait on it", e->waiters.len);
    cio__free(e);
    return 0;
}

void cio_event_set(cio_event *e)
{
    if (!e || e->set)
        return;
    e->set = true;
    cio__waitq_fail_all(&e->waiters, 0);
}

void cio_event_clear(cio_event *e)
{
    if (e)
        e->set = false;
}

bool cio_event_is_set(const cio_event *e) { return e && e->set; }

cio_future *cio_event_wait(cio_event *e, uint64_t timeout_ns)
{
    if (!e)
        return cio__future_failed(cio__misuse(-EINVAL, "event is NULL"));
    if (e->set)
        return cio__future_ok();
    int err;
    cio__waiter *w = cio__waiter_new(e, timeout_ns, &err);
    if (!w)
        return cio__future_failed(err);
    cio__waitq_push(&e->waiters, w);
    return &w->fut;
}
