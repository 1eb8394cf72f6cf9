/* future/as_completed.c — iterate futures in the order they complete.
 *
 * Invariant: each future is in exactly one state — watched (callback
 * attached, slot->f set), ready (its index in the `ready` ring, slot->f
 * set), or returned (slot->f NULL, reference dropped). `next` parks the
 * task on a waiter that the first completion wakes.
 */
#include "waitq.h"
#include "cio/compose.h"

typedef struct aslot {
    cio_future *f;
    cio_as_completed *it;
} aslot;

struct cio_as_completed {
    aslot *slots;
    size_t n, returned;
    size_t *ready, rhead, rlen; /* ring of indices, capacity n */
    uint64_t deadline;          /* loop clock ns, or CIO_NO_TIMEOUT */
    cio__waiter *waiter;        /* the task blocked in next, if any */
};

static void push_ready(cio_as_completed *it, size_t i)
{
    it->ready[(it->rhead + it->rlen++) % it->n] = i;
    if (it->waiter) {
        cio__waiter_complete(it->waiter, 0);
        it->waiter = NULL;
    }
}

static void on_done(cio_future *f, void *arg)
{
    (void)f;
    aslot *s = arg;
    push_ready(s->it, (size_t)(s - s->it->slots));
}

cio_as_completed *cio_as_completed_new(cio_future *const *fs, size_t n, uint64_t timeout_ns)
{
    cio_as_completed *it = cio__calloc(1, sizeof(*it));
    if (it) {
        it->slots = cio__malloc((n ? n : 1) * sizeof(aslot));
        it->ready = cio__malloc((n ? n : 1) * sizeof(size_t));
    }
    if (!it || !it->slots || !it->ready || (n && !fs)) {
        for (size_t i = 0; fs && i < n; i++)
            cio_future_release(fs[i]);
        if (it) {
            cio__free(it->slots);
            cio__free(it->ready);
            cio__free(it);
        }
        return NULL;
    }
    it->n = n;
    uint64_t now = cio__clock_ns();
    it->deadline = timeout_ns == CIO_NO_TIMEOUT || timeout_ns > UINT64_MAX - now ? CIO_NO_TIMEOUT : now + timeout_ns;
    for (size_t i = 0; i < n; i++) {
        it->slots[i] = (aslot){ fs[i], it };
        if (!fs[i] || cio_future_loop(fs[i]) == NULL || cio_future_add_done_callback(fs[i], on_done, &it->slots[i]) < 0) {
            if (fs[i] && !cio_future_done(fs[i]))
                cio_future_cancel(fs[i]); /* cannot follow it: report it as it is now */
            push_ready(it, i);
        }
    }
    return it;
}

static intptr_t take(cio_as_completed *it, intptr_t *result)
{
    size_t i = it->ready[it->rhead];
    it->rhead = (it->rhead + 1) % it->n;
    it->rlen--;
    it->returned++;
    cio_future *f = it->slots[i].f;
    it->slots[i].f = NULL;
    intptr_t r = f ? cio_future_result(f) : -EINVAL;
    if (r == -EAGAIN && f && !cio_future_done(f))
        r = -ENOMEM; /* followed without a callback and still pending */
    if (result)
        *result = r;
    cio_future_release(f);
    return (intptr_t)i;
}

intptr_t cio_as_completed_next(cio_as_completed *it, intptr_t *result)
{
    if (!it)
        return cio__misuse(-EINVAL, "iterator is NULL");
    while (it->rlen == 0) {
        if (it->returned == it->n)
            return -ENODATA;
        if (!cio__task_current())
            return cio__misuse(-EPERM, "called outside a task");
        uint64_t now = cio__clock_ns();
        if (it->deadline != CIO_NO_TIMEOUT && now >= it->deadline)
            return -ETIMEDOUT;
        int err;
        cio__waiter *w = cio__waiter_new(it, it->deadline == CIO_NO_TIMEOUT ? CIO_NO_TIMEOUT : it->deadline - now, &err);
        if (!w)
            return err;
        it->waiter = w;
        intptr_t r = cio_await(&w->fut);
        it->waiter = NULL;
        if (r < 0)
            return r;
    }
    return take(it, result);
}

size_t cio_as_completed_free(cio_as_completed *it)
{
    if (!it)
        return 0;
    size_t pending = 0;
    for (size_t i = 0; i < it->n; i++) {
        cio_future *f = it->slots[i].f;
        if (!f)
            continue;
        cio_future_remove_done_callback(f, on_done, &it->slots[i]);
        if (!cio_future_done(f)) {
            pending++;
            cio_future_cancel(f);
        }
        cio_future_release(f);
    }
    cio__free(it->slots);
    cio__free(it->ready);
    cio__free(it);
    return pending;
}
