/* future/future.c — the future state machine and its done callbacks.
 *
 * Invariant: callbacks never run inside cio__future_complete; completion
 * queues `cb_handle` (holding a reference) and the loop calls them in the
 * order they were added — or, when the only callback resumes a parked task,
 * queues that task's handle in the same place (the task's cio_await holds
 * the reference). A future is freed when its last reference goes.
 */
#include <string.h>
#include "internal.h"

/* ---- immortal failed futures --------------------------------------------- */

#define STATIC_FAILED(e) { .result = -(e), .refs = 1, .state = CIO_F_DONE, .flags = CIO_FF_STATIC }
static cio_future g_failed[] = {
    STATIC_FAILED(EINVAL), STATIC_FAILED(EPERM),     STATIC_FAILED(ENOMEM),
    STATIC_FAILED(ENOSYS), STATIC_FAILED(EBUSY),     STATIC_FAILED(ECANCELED),
    STATIC_FAILED(EBADF),  STATIC_FAILED(ESHUTDOWN), STATIC_FAILED(EDEADLK),
    STATIC_FAILED(ENOENT), STATIC_FAILED(EAGAIN),    STATIC_FAILED(ELIBACC),
    STATIC_FAILED(EIO), /* last: what any other error becomes */
};

cio_future *cio__future_failed(int err)
{
    for (size_t i = 0; i < sizeof(g_failed) / sizeof(g_failed[0]); i++)
        if (g_failed[i].result == err)
            return &g_failed[i];
    return &g_failed[sizeof(g_failed) / sizeof(g_failed[0]) - 1]; /* -EIO */
}

/* ---- lifecycle ------------------------------------------------------------ */

static void plain_destroy(cio_future *f) { cio__future_free(f, sizeof(*f)); }

cio_future *cio_future_new(cio_loop *l)
{
    static const cio__future_ops ops = { .kind = "future", .destroy = plain_destroy };
    l = l ? l : cio_loop_current();
    if (!l)
        return cio__future_failed(cio__misuse(-EINVAL, "no loop given and none is current"));
    cio_future *f = cio__future_alloc(l, sizeof(cio_future), &ops);
    return f ? f : cio__future_failed(-ENOMEM);
}

cio_future *cio_future_retain(cio_future *f)
{
    if (f && !cio__future_is_static(f))
        f->refs++;
    return f;
}

void cio__future_unref(cio_future *f)
{
    if (--f->refs == 0)
        f->ops->destroy(f);
}

void cio_future_release(cio_future *f)
{
    if (!f || cio__future_is_static(f))
        return;
    if (cio__future_is_task(f))
        cio__task_unhold((cio__task *)f);
    cio__future_unref(f);
}

/* ---- completion ----------------------------------------------------------- */

/* The callbacks after the first, or NULL when there are none. */
static inline cio__cb_vec *cb_more(const cio_future *f) { return f->flags & CIO_FF_MORE ? f->more : NULL; }

static void queue_callbacks(cio_future *f)
{
    if (!f->has_cb || (f->flags & CIO_FF_CB_QUEUED))
        return;
    if (f->cb0.fn == cio__task_wake_parked && !(f->flags & CIO_FF_MORE)) {
        /* Its only callback resumes a parked task: queue the task itself,
         * in the same place. The task's cio_await holds a reference. */
        f->has_cb = false;
        cio__task_ready(f->loop, f->cb0.arg);
        return;
    }
    f->flags |= CIO_FF_CB_QUEUED;
    f->refs++; /* held until the callbacks have run */
    cio__loop_ready(f->loop, &f->cb_handle);
}

void cio__future_complete(cio_future *f, intptr_t result)
{
    if (f->state != CIO_F_PENDING)
        return;
    if (result == -ECANCELED && (f->flags & CIO_FF_TIMED_OUT))
        result = -ETIMEDOUT;
    else if (result == -ECANCELED)
        f->flags |= CIO_FF_CANCELLED;
    f->result = result;
    f->state = CIO_F_DONE;
    queue_callbacks(f);
}

/* Runs the callbacks registered so far; ones added meanwhile are queued for
 * the next iteration. */
void cio__future_run_callbacks(cio__handle *h)
{
    cio_future *f = cio__container_of(h, cio_future, cb_handle);
    f->flags &= (uint8_t)~CIO_FF_CB_QUEUED;
    cio__cb first = f->cb0;
    cio__cb_vec *more = cb_more(f);
    size_t n = f->has_cb + (more ? more->len : 0);
    f->has_cb = false;
    f->flags &= (uint8_t)~CIO_FF_MORE;
    cio__sched *s = f->loop->sched;
    for (size_t i = 0; i < n; i++) {
        s->hold_handoff = i + 1 < n; /* a task resumed here comes back for the rest */
        cio__cb cb = i == 0 ? first : more->at[i - 1];
        cb.fn(f, cb.arg);
    }
    s->hold_handoff = false;
    if (more) /* rare: saves a call per completion */
        cio__free(more);
    cio__future_unref(f);
}

int cio_future_set_result(cio_future *f, intptr_t result)
{
    if (!f)
        return cio__misuse(-EINVAL, "future is NULL");
    if (cio__future_is_task(f))
        return cio__misuse(-EINVAL, "a task's result is its return value");
    if (f->state != CIO_F_PENDING || cio__future_is_static(f))
        return cio__misuse(-EINVAL, "future is already done");
    cio__future_complete(f, result);
    return 0;
}

int cio_future_cancel(cio_future *f)
{
    if (!f)
        return cio__misuse(-EINVAL, "future is NULL");
    if (f->state != CIO_F_PENDING)
        return 0;
    if (f->ops->cancel)
        return f->ops->cancel(f);
    cio__future_complete(f, -ECANCELED);
    return 1;
}

bool cio_future_done(const cio_future *f) { return f && f->state != CIO_F_PENDING; }
bool cio_future_cancelled(const cio_future *f) { return f && (f->flags & CIO_FF_CANCELLED); }
cio_loop *cio_future_loop(const cio_future *f) { return f ? f->loop : NULL; }

intptr_t cio_future_result(const cio_future *f)
{
    if (!f)
        return cio__misuse(-EINVAL, "future is NULL");
    return f->state == CIO_F_PENDING ? -EAGAIN : f->result;
}

/* ---- callbacks ------------------------------------------------------------ */

/* Appends to the callbacks after the first, doubling their room. */
static int push_more(cio_future *f, cio__cb cb)
{
    cio__cb_vec *v = cb_more(f);
    if (!v || v->len == v->cap) {
        uint32_t cap = v ? v->cap : 2;
        if (cap > (UINT32_MAX - 1) / 2 || 2 * (size_t)cap > (SIZE_MAX - sizeof(*v)) / sizeof(v->at[0]))
            return -ENOMEM; /* the second: 32-bit size_t */
        cap = 2 * cap;
        if (!(v = cio__realloc(v, sizeof(*v) + cap * sizeof(v->at[0]))))
            return -ENOMEM;
        if (!(f->flags & CIO_FF_MORE))
            v->len = 0;
        v->cap = cap;
        f->more = v;
        f->flags |= CIO_FF_MORE;
    }
    v->at[v->len++] = cb;
    return 0;
}

static int push_callback(cio_future *f, cio_done_fn fn, void *arg)
{
    if (f->has_cb)
        return push_more(f, (cio__cb){ fn, arg });
    f->cb0 = (cio__cb){ fn, arg };
    f->has_cb = true;
    return 0;
}

/* A callback on an immortal future: runs once on the current loop. */
typedef struct static_cb {
    cio__handle h;
    cio_future *f;
    cio__cb cb;
} static_cb;

static void static_cb_run(cio__handle *h)
{
    static_cb *c = cio__container_of(h, static_cb, h);
    c->cb.fn(c->f, c->cb.arg);
    cio__free(c);
}

static int static_callback(cio_future *f, cio_done_fn fn, void *arg)
{
    cio_loop *l = cio_loop_current();
    if (!l)
        return cio__misuse(-EPERM, "no current loop to run the callback on");
    static_cb *c = cio__malloc(sizeof(*c));
    if (!c)
        return -ENOMEM;
    *c = (static_cb){ .h.fn = static_cb_run, .f = f, .cb = { fn, arg } };
    cio__loop_ready(l, &c->h);
    return 0;
}

int cio_future_add_done_callback(cio_future *f, cio_done_fn fn, void *arg)
{
    if (!f || !fn)
        return cio__misuse(-EINVAL, "%s is NULL", f ? "fn" : "future");
    if (cio__future_is_static(f))
        return static_callback(f, fn, arg);
    int rc = push_callback(f, fn, arg);
    if (rc == 0 && f->state != CIO_F_PENDING)
        queue_callbacks(f);
    return rc;
}

int cio_future_remove_done_callback(cio_future *f, cio_done_fn fn, void *arg)
{
    if (!f || cio__future_is_static(f) || !f->has_cb)
        return 0;
    int removed = 0;
    cio__cb_vec *more = cb_more(f);
    size_t n = 1 + (more ? more->len : 0), kept = 0;
    for (size_t i = 0; i < n; i++) {
        cio__cb cb = i == 0 ? f->cb0 : more->at[i - 1];
        if (cb.fn == fn && cb.arg == arg) {
            removed++;
            continue;
        }
        if (kept == 0)
            f->cb0 = cb;
        else
            more->at[kept - 1] = cb;
        kept++;
    }
    f->has_cb = kept > 0;
    if (more && kept > 1) {
        more->len = (uint32_t)(kept - 1);
    } else if (more) { /* none left after the first: a lone waiter takes the fast path again */
        cio__free(more);
        f->flags &= (uint8_t)~CIO_FF_MORE;
    }
    return removed;
}
