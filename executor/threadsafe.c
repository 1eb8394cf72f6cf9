/* executor/threadsafe.c — run_coroutine_threadsafe: starting a task on a
 * loop from another thread, and getting its result back either as a future
 * of the caller's loop (cio_spawn_threadsafe) or by blocking
 * (cio_run_threadsafe).
 *
 * A call record (xcall) is shared by two threads and freed with its last
 * reference (atomic). Each side keeps its own loop from being freed while
 * the other may still post to it: the origin loop counts the reply it is
 * owed (wake.pending); the target loop counts the call from its start until
 * the task is done and no cancel request can still arrive. `state` decides
 * the race between "task done" (target) and "cancel requested" (origin).
 */
#include "internal.h"

enum { X_RUNNING, X_DONE, X_CANCELLING };

typedef struct xfut xfut;

typedef struct xcall {
    cio__remote start, cancel, reply;
    atomic_int refs, state;
    cio_loop *target;
    cio_task_fn fn;
    void *arg;
    intptr_t result;
    cio_task *task;             /* target thread only */
    bool task_done, cancel_arrived;
    cio_loop *origin;           /* NULL: a blocked thread waits on cv */
    xfut *fut;                  /* origin thread only */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool done;
} xcall;

struct xfut {
    cio_future fut;
    xcall *x;
};

static void xcall_unref(xcall *x)
{
    if (atomic_fetch_sub_explicit(&x->refs, 1, memory_order_acq_rel) != 1)
        return;
    if (!x->origin) {
        pthread_mutex_destroy(&x->mu);
        pthread_cond_destroy(&x->cv);
    }
    cio__free(x);
}

/* ---- target side (the loop running the task) ------------------------------ */

static void target_release(xcall *x)
{
    x->target->wake.pending--;
    xcall_unref(x);
}

/* Target thread: the result is known; hand it to the origin. */
static void send_reply(xcall *x, intptr_t result)
{
    x->result = result;
    x->task_done = true;
    if (x->origin) {
        cio__loop_post(x->origin, &x->reply);
    } else {
        pthread_mutex_lock(&x->mu);
        x->done = true;
        pthread_cond_signal(&x->cv);
        pthread_mutex_unlock(&x->mu);
    }
    int running = X_RUNNING;
    if (atomic_compare_exchange_strong(&x->state, &running, X_DONE) || x->cancel_arrived)
        target_release(x); /* no cancel request can come any more */
}

static void task_done(cio_future *t, void *arg)
{
    xcall *x = arg;
    x->task = NULL;
    send_reply(x, cio_future_result(t));
    cio_future_release(t);
}

static void start_arrive(cio__remote *r)
{
    xcall *x = cio__container_of(r, xcall, start);
    x->target->wake.pending++;
    cio_task *t = cio_spawn_ex(x->target, x->fn, x->arg, NULL);
    if (cio__future_is_static(t) || cio_future_add_done_callback(t, task_done, x) < 0) {
        if (!cio__future_is_static(t))
            cio_task_cancel(t), cio_task_detach(t);
        send_reply(x, cio__future_is_static(t) ? cio_future_result(t) : -ENOMEM);
        return;
    }
    x->task = t;
}

static void cancel_arrive(cio__remote *r)
{
    xcall *x = cio__container_of(r, xcall, cancel);
    x->cancel_arrived = true;
    if (x->task_done)
        target_release(x);
    else
        cio_task_cancel(x->task);
    xcall_unref(x); /* the cancel request's reference */
}

/* ---- origin side: a future of the calling loop ----------------------------- */

static void reply_arrive(cio__remote *r)
{
    xcall *x = cio__container_of(r, xcall, reply);
    xfut *f = x->fut;
    x->origin->wake.pending--;
    cio__future_complete(&f->fut, x->result); /* no-op if cancelled first */
    f->x = NULL;
    cio__future_unref(&f->fut);
    xcall_unref(x);
}

static int xfut_cancel(cio_future *fut)
{
    xfut *f = (xfut *)fut;
    xcall *x = f->x;
    int running = X_RUNNING;
    if (x && atomic_compare_exchange_strong(&x->state, &running, X_CANCELLING)) {
        atomic_fetch_add_explicit(&x->refs, 1, memory_order_relaxed);
        cio__loop_post(x->target, &x->cancel);
    }
    cio__future_complete(fut, -ECANCELED);
    return 1;
}

static void xfut_destroy(cio_future *f) { cio__future_free(f, sizeof(xfut)); }

static const cio__future_ops xfut_ops = { .kind = "threadsafe task", .cancel = xfut_cancel, .destroy = xfut_destroy };

static xcall *xcall_new(cio_loop *target, cio_task_fn fn, void *arg, cio_loop *origin)
{
    xcall *x = cio__calloc(1, sizeof(*x));
    if (!x)
        return NULL;
    x->start.fn = start_arrive;
    x->cancel.fn = cancel_arrive;
    x->reply.fn = reply_arrive;
    atomic_init(&x->refs, 2); /* origin's and target's */
    atomic_init(&x->state, X_RUNNING);
    x->target = target;
    x->fn = fn;
    x->arg = arg;
    x->origin = origin;
    return x;
}

cio_future *cio_spawn_threadsafe(cio_loop *target, cio_task_fn fn, void *arg)
{
    cio_loop *l = cio_loop_current();
    if (!l)
        return cio__future_failed(cio__misuse(-EPERM, "no current loop to deliver the result to"));
    if (!target || !fn || target == l)
        return cio__future_failed(cio__misuse(-EINVAL, "%s", target == l ? "target is the current loop (use cio_spawn)" : "NULL argument"));
    xfut *f = (xfut *)cio__future_alloc(l, sizeof(xfut), &xfut_ops);
    xcall *x = f ? xcall_new(target, fn, arg, l) : NULL;
    if (!x) {
        if (f)
            cio__future_unref(&f->fut);
        return cio__future_failed(-ENOMEM);
    }
    f->x = x;
    x->fut = f;
    f->fut.refs++; /* the reply's */
    l->wake.pending++;
    cio__loop_post(target, &x->start);
    return &f->fut;
}

/* ---- origin side: a blocked thread ------------------------------------------ */

intptr_t cio_run_threadsafe(cio_loop *target, cio_task_fn fn, void *arg)
{
    if (!target || !fn)
        return cio__misuse(-EINVAL, "%s is NULL", target ? "fn" : "loop");
    cio_loop *cur = cio_loop_current();
    if (cur == target && cur->running)
        return cio__misuse(-EDEADLK, "blocking the thread that runs the target loop");
    xcall *x = xcall_new(target, fn, arg, NULL);
    if (!x)
        return -ENOMEM;
    pthread_mutex_init(&x->mu, NULL);
    pthread_cond_init(&x->cv, NULL);
    cio__loop_post(target, &x->start);
    pthread_mutex_lock(&x->mu);
    while (!x->done)
        pthread_cond_wait(&x->cv, &x->mu);
    pthread_mutex_unlock(&x->mu);
    intptr_t r = x->result;
    xcall_unref(x);
    return r;
}
