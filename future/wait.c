/* future/wait.c — cio_wait (asyncio.wait) and cio_wait_for.
 *
 * Invariant: until it finishes, the wait holds one reference to itself and
 * one to every future it watches, with a done callback on each; finishing
 * removes the callbacks that have not run and drops all those references,
 * so a finished wait is never called back.
 */
#include "waitq.h"
#include "cio/compose.h"

typedef struct waitf waitf;
typedef struct wslot {
    cio_future *f;
    waitf *w;
} wslot;

struct waitf {
    cio_future fut;
    wslot *slots;
    size_t n, ndone;
    cio_wait_mode mode;
    cio__timer timer;
    bool finished;
};

static void watched_done(cio_future *f, void *arg);

static void finish(waitf *w, bool cancelled)
{
    if (w->finished)
        return;
    w->finished = true;
    if (cio__timer_armed(&w->timer))
        cio__timer_stop(w->fut.loop, &w->timer);
    intptr_t done = 0;
    for (size_t i = 0; i < w->n; i++) {
        cio_future *f = w->slots[i].f;
        done += cio_future_done(f);
        cio_future_remove_done_callback(f, watched_done, &w->slots[i]);
        cio_future_release(f);
    }
    cio__future_complete(&w->fut, cancelled ? -ECANCELED : done);
    cio__future_unref(&w->fut);
}

static void watched_done(cio_future *f, void *arg)
{
    wslot *s = arg;
    waitf *w = s->w;
    w->ndone++;
    bool stop = w->ndone == w->n || w->mode == CIO_WAIT_FIRST_COMPLETED ||
                (w->mode == CIO_WAIT_FIRST_ERROR && cio_future_result(f) < 0);
    if (stop)
        finish(w, false);
}

static void wait_timeout(cio__timer *tm) { finish(cio__container_of(tm, waitf, timer), false); }

static int wait_cancel(cio_future *f)
{
    finish((waitf *)f, true);
    return 1;
}

static void wait_destroy(cio_future *f)
{
    cio__free(((waitf *)f)->slots);
    cio__future_free(f, sizeof(waitf));
}

static const cio__future_ops wait_ops = { .kind = "wait", .cancel = wait_cancel, .destroy = wait_destroy };

/* Static (already failed, immortal) futures get no callback: their
 * callbacks could not be removed. They count as done at once. */
static int watch_all(waitf *w, cio_future *const *fs)
{
    for (size_t i = 0; i < w->n; i++) {
        w->slots[i] = (wslot){ cio_future_retain(fs[i]), w };
        if (cio_future_loop(fs[i]) == NULL)
            continue;
        if (cio_future_add_done_callback(fs[i], watched_done, &w->slots[i]) < 0) {
            w->n = i + 1; /* finish() releases what is held so far */
            return -ENOMEM;
        }
    }
    return 0;
}

static int arm(waitf *w, uint64_t timeout_ns)
{
    cio__timer_init(&w->timer, wait_timeout);
    if (timeout_ns == CIO_NO_TIMEOUT)
        return 0;
    uint64_t now = cio__clock_ns();
    return cio__timer_start(w->fut.loop, &w->timer, timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns);
}

cio_future *cio_wait(cio_future *const *fs, size_t n, cio_wait_mode mode, uint64_t timeout_ns)
{
    if ((n && !fs) || mode > CIO_WAIT_FIRST_ERROR)
        return cio__future_failed(cio__misuse(-EINVAL, "%s", n && !fs ? "futures array is NULL" : "bad wait mode"));
    for (size_t i = 0; i < n; i++)
        if (!fs[i])
            return cio__future_failed(cio__misuse(-EINVAL, "NULL future in the array"));
    cio_loop *l = cio_loop_current();
    if (!l)
        return cio__future_failed(cio__misuse(-EPERM, "no current loop"));
    waitf *w = (waitf *)cio__future_alloc(l, sizeof(waitf), &wait_ops);
    if (!w)
        return cio__future_failed(-ENOMEM);
    w->slots = n ? cio__malloc(n * sizeof(wslot)) : NULL;
    w->n = 0;
    w->ndone = 0;
    w->mode = mode;
    w->finished = false;
    w->fut.refs++; /* held until finished */
    int rc = n && !w->slots ? -ENOMEM : arm(w, timeout_ns);
    if (rc == 0) {
        w->n = n;
        rc = watch_all(w, fs);
    }
    for (size_t i = 0; rc == 0 && i < n && !w->finished; i++)
        if (cio_future_loop(fs[i]) == NULL)
            watched_done(fs[i], &w->slots[i]);
    if (rc < 0 || n == 0) {
        finish(w, false);
        if (rc < 0) {
            cio_future_release(&w->fut);
            return cio__future_failed(rc);
        }
    }
    return &w->fut;
}

cio_future *cio_wait_for(cio_future *f, uint64_t timeout_ns)
{
    return timeout_ns == CIO_NO_TIMEOUT ? f : cio_with_timeout(f, timeout_ns);
}
