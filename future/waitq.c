/* future/waitq.c — waiter futures and their FIFO lists (see waitq.h).
 *
 * Invariant: w->q != NULL exactly while w is linked on w->q, and a linked
 * waiter is pending. Every completion goes through cio__waiter_complete,
 * which unlinks and disarms first.
 */
#include "waitq.h"
#include "cio/compose.h"

static int waiter_cancel(cio_future *f);
static void waiter_destroy(cio_future *f);
static const cio__future_ops waiter_ops = { .kind = "waiter", .cancel = waiter_cancel, .destroy = waiter_destroy };

static void waiter_deadline(cio__timer *tm)
{
    cio__waiter *w = cio__container_of(tm, cio__waiter, timer);
    w->fut.flags |= CIO_FF_TIMED_OUT;
    cio_future_cancel(&w->fut);
}

cio__waiter *cio__waiter_new(void *obj, uint64_t timeout_ns, int *err)
{
    cio_loop *l = cio_loop_current();
    if (!l) {
        *err = cio__misuse(-EPERM, "no current loop to wait on");
        return NULL;
    }
    cio__waiter *w = (cio__waiter *)cio__future_alloc(l, sizeof(cio__waiter), &waiter_ops);
    if (!w) {
        *err = -ENOMEM;
        return NULL;
    }
    cio__list_init(&w->link);
    w->q = NULL;
    w->val = 0;
    w->aux = 0;
    w->obj = obj;
    w->on_cancel = NULL;
    cio__timer_init(&w->timer, waiter_deadline);
    if (timeout_ns != CIO_NO_TIMEOUT) {
        uint64_t now = cio__clock_ns();
        uint64_t when = timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
        if (cio__timer_start(l, &w->timer, when) < 0) {
            cio__future_unref(&w->fut);
            *err = -ENOMEM;
            return NULL;
        }
    }
    return w;
}

void cio__waitq_push(cio__waitq *q, cio__waiter *w)
{
    cio__list_push_back(&q->head, &w->link);
    w->q = q;
    q->len++;
}

void cio__waiter_unlink(cio__waiter *w)
{
    if (!w->q)
        return;
    cio__list_remove(&w->link);
    w->q->len--;
    w->q = NULL;
}

cio__waiter *cio__waitq_pop(cio__waitq *q)
{
    if (q->len == 0)
        return NULL;
    cio__waiter *w = cio__container_of(q->head.next, cio__waiter, link);
    cio__waiter_unlink(w);
    return w;
}

void cio__waiter_disarm(cio__waiter *w)
{
    if (cio__timer_armed(&w->timer))
        cio__timer_stop(w->fut.loop, &w->timer);
}

void cio__waiter_complete(cio__waiter *w, intptr_t result)
{
    cio__waiter_unlink(w);
    cio__waiter_disarm(w);
    cio__future_complete(&w->fut, result);
}

void cio__waitq_fail_all(cio__waitq *q, intptr_t result)
{
    cio__waiter *w;
    while ((w = cio__waitq_pop(q)))
        cio__waiter_complete(w, result);
}

static int waiter_cancel(cio_future *f)
{
    cio__waiter *w = (cio__waiter *)f;
    if (w->on_cancel)
        w->on_cancel(w);
    else
        cio__waiter_complete(w, -ECANCELED);
    return 1;
}

static void waiter_destroy(cio_future *f)
{
    cio__waiter *w = (cio__waiter *)f;
    cio__waiter_unlink(w);
    cio__waiter_disarm(w);
    cio__future_free(f, sizeof(cio__waiter));
}

/* ---- ready-made futures ------------------------------------------------------- */

static cio_future g_ok = { .result = 0, .refs = 1, .state = CIO_F_DONE, .flags = CIO_FF_STATIC };
static cio_future g_timedout = { .result = -ETIMEDOUT, .refs = 1, .state = CIO_F_DONE, .flags = CIO_FF_STATIC };
static cio_future g_pipe = { .result = -EPIPE, .refs = 1, .state = CIO_F_DONE, .flags = CIO_FF_STATIC };
static cio_future g_nodata = { .result = -ENODATA, .refs = 1, .state = CIO_F_DONE, .flags = CIO_FF_STATIC };
static cio_future g_overflow = { .result = -EOVERFLOW, .refs = 1, .state = CIO_F_DONE, .flags = CIO_FF_STATIC };

cio_future *cio__future_ok(void) { return &g_ok; }

cio_future *cio__future_error(int err)
{
    switch (err) {
    case -ETIMEDOUT: return &g_timedout;
    case -EPIPE: return &g_pipe;
    case -ENODATA: return &g_nodata;
    case -EOVERFLOW: return &g_overflow;
    default: return cio__future_failed(err);
    }
}

cio_future *cio__future_value(intptr_t value)
{
    if (value == 0)
        return &g_ok;
    int err = 0;
    cio__waiter *w = cio__waiter_new(NULL, CIO_NO_TIMEOUT, &err);
    if (!w)
        return cio__future_failed(err);
    cio__future_complete(&w->fut, value);
    return &w->fut;
}
