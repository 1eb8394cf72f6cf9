/* future/await.c — waiting for futures: from a task (cio_await), from plain
 * code (run_until_complete), and the asyncio.run-style entry point.
 */
#include "internal.h"

intptr_t cio_await(cio_future *f)
{
    if (!f)
        return cio__misuse(-EINVAL, "future is NULL");
    if (cio__future_is_static(f))
        return f->result;
    cio__task *t = cio__task_current();
    intptr_t r;
    if (!t)
        r = cio__misuse(-EPERM, "awaiting outside a task (use cio_loop_run_until_complete)");
    else if (f->loop != t->fut.loop)
        r = cio__misuse(-EINVAL, "task '%s' awaits a future of another loop", cio_task_name(&t->fut));
    else if (f == &t->fut)
        r = cio__misuse(-EDEADLK, "task '%s' awaits itself", cio_task_name(&t->fut));
    else {
        if (f->state == CIO_F_PENDING && t->cancel_pending)
            cio_future_cancel(f); /* deliver the pending cancellation here */
        if (f->state == CIO_F_PENDING)
            cio__task_park(t, f);
        r = f->result;
        if (r == -ECANCELED)
            t->cancel_pending = false; /* delivered */
    }
    cio_future_release(f);
    return r;
}

typedef struct until {
    cio_future *f;
    cio_loop *l;
    bool ran;
} until;

/* Keeps going while `f` is pending, and for at least one iteration (as
 * asyncio does), so callbacks already queued still run. That iteration
 * must not wait when `f` is already done: it runs as if stopped. */
static bool not_done(void *arg)
{
    until *u = arg;
    bool pending = u->f->state == CIO_F_PENDING;
    if (!u->ran && !pending)
        u->l->stopping = true;
    bool go = !u->ran || pending;
    u->ran = true;
    return go;
}

intptr_t cio_loop_run_until_complete(cio_loop *l, cio_future *f)
{
    if (!l || !f)
        return cio__misuse(-EINVAL, "%s is NULL", l ? "future" : "loop");
    if (cio__future_is_static(f))
        return f->result;
    intptr_t r;
    if (f->loop != l) {
        r = cio__misuse(-EINVAL, "future belongs to another loop");
    } else {
        until u = { f, l, false };
        int rc = cio__loop_run(l, not_done, &u);
        r = rc < 0 ? rc : f->state != CIO_F_PENDING ? f->result : -EINTR;
    }
    cio_future_release(f);
    return r;
}

/* ---- cio_run -------------------------------------------------------------- */

static bool busy(void *arg)
{
    cio_loop *l = arg;
    cio__sched *s = l->sched;
    return s->ntasks_running || l->inflight || l->ready_len || !cio__list_empty(&l->pending) ||
           cio__wakeup_busy(l);
}

/* Cancels the tasks and operations main left behind and runs until they
 * have all finished, so the loop can be freed. */
static void drain(cio_loop *l)
{
    cio__sched *s = l->sched;
    cio__list *pos;
    cio__list_for_each(pos, &s->tasks) {
        cio__task *t = cio__container_of(pos, cio__task, link);
        if (t->tstate != CIO_T_DONE)
            cio_future_cancel(&t->fut);
    }
    cio__uhandles_discard(l);
    if (busy(l))
        cio__loop_run(l, busy, l);
    cio__ring_cancel_all(l);
    if (busy(l))
        cio__loop_run(l, busy, l);
}

intptr_t cio_run(cio_task_fn main, void *arg, const cio_loop_opts *opts)
{
    cio_loop *cur = cio_loop_current();
    if (cur && cur->running)
        return cio__misuse(-EPERM, "cio_run called inside a running loop");
    if (!main)
        return cio__misuse(-EINVAL, "main is NULL");
    cio_loop *l;
    int rc = cio_loop_new(&l, opts);
    if (rc < 0)
        return rc;
    cio_task *t = cio_spawn_ex(l, main, arg, &(cio_task_opts){ .name = "main" });
    intptr_t r = cio_loop_run_until_complete(l, t);
    if (l->sched)
        drain(l);
    cio_loop_free(l); /* on -EBUSY (futures still referenced) debug builds list them */
    cio__loop_set_current(cur);
    return r;
}
