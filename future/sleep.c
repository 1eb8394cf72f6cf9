/* future/sleep.c — time: sleep futures (cio_sleep, cio_sleep_until) and
 * deadlines on any future. */
#include "internal.h"

static void sleep_fire(cio__timer *tm)
{
    cio__sleep *s = cio__container_of(tm, cio__sleep, timer);
    cio__future_complete(&s->fut, 0);
    cio__future_unref(&s->fut); /* the timer's reference */
}

static int sleep_cancel(cio_future *f)
{
    cio__sleep *s = (cio__sleep *)f;
    if (cio__timer_armed(&s->timer)) {
        cio__timer_stop(f->loop, &s->timer);
        cio__future_complete(f, -ECANCELED);
        cio__future_unref(f);
    }
    return 1;
}

static void sleep_destroy(cio_future *f) { cio__future_free(f, sizeof(cio__sleep)); }

static const cio__future_ops sleep_ops = { .kind = "sleep", .cancel = sleep_cancel, .destroy = sleep_destroy };

/* A sleep future on `l` due at `when_ns` (loop time). */
static cio_future *sleep_at(cio_loop *l, uint64_t when_ns)
{
    cio__sleep *s = (cio__sleep *)cio__future_alloc(l, sizeof(cio__sleep), &sleep_ops);
    if (!s)
        return cio__future_failed(-ENOMEM);
    cio__timer_init(&s->timer, sleep_fire);
    if (cio__timer_start(l, &s->timer, when_ns) < 0) {
        cio__future_unref(&s->fut);
        return cio__future_failed(-ENOMEM);
    }
    s->fut.refs++; /* the timer's */
    return &s->fut;
}

cio_future *cio_sleep(uint64_t delay_ns)
{
    cio_loop *l = cio_loop_current();
    if (!l)
        return cio__future_failed(cio__misuse(-EPERM, "no current loop"));
    uint64_t now = cio__clock_ns(); /* not the iteration's time: never short of delay_ns from now */
    return sleep_at(l, delay_ns > UINT64_MAX - now ? UINT64_MAX : now + delay_ns);
}

cio_future *cio_sleep_until(uint64_t when_ns)
{
    cio_loop *l = cio_loop_current();
    if (!l)
        return cio__future_failed(cio__misuse(-EPERM, "no current loop"));
    return sleep_at(l, when_ns);
}

/* ---- deadlines on arbitrary futures --------------------------------------- */

typedef struct deadline {
    cio__timer timer;
    cio_future *f;
} deadline;

static void deadline_fire(cio__timer *tm)
{
    deadline *d = cio__container_of(tm, deadline, timer);
    d->f->flags |= CIO_FF_TIMED_OUT;
    cio_future_cancel(d->f);
}

static void deadline_done(cio_future *f, void *arg)
{
    deadline *d = arg;
    cio__timer_stop(f->loop, &d->timer);
    cio__pool_put(f->loop->sched, sizeof(deadline), d);
    cio__future_unref(f);
}

cio_future *cio_with_timeout(cio_future *f, uint64_t timeout_ns)
{
    if (!f)
        return cio__future_failed(cio__misuse(-EINVAL, "future is NULL"));
    if (cio__future_is_static(f) || f->state != CIO_F_PENDING)
        return f;
    if (f->ops->set_timeout && f->ops->set_timeout(f, timeout_ns) == 0)
        return f;
    deadline *d = cio__pool_get(f->loop->sched, sizeof(deadline));
    if (!d) {
        cio__misuse(-ENOMEM, "no memory for a deadline; the future keeps none");
        return f;
    }
    cio__timer_init(&d->timer, deadline_fire);
    d->f = f;
    uint64_t now = cio__clock_ns();
    uint64_t when = timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
    if (cio__timer_start(f->loop, &d->timer, when) < 0 || cio_future_add_done_callback(f, deadline_done, d) < 0) {
        cio__timer_stop(f->loop, &d->timer);
        cio__pool_put(f->loop->sched, sizeof(deadline), d);
        cio__misuse(-ENOMEM, "no memory for a deadline; the future keeps none");
        return f;
    }
    f->refs++; /* the deadline's, until f is done */
    return f;
}
