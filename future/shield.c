/* future/shield.c — cio_shield: a future whose cancellation does not reach
 * the future it mirrors. Invariant: the shield holds a reference to itself
 * and to the inner future until the inner one is done. */
#include "waitq.h"
#include "cio/compose.h"

typedef struct shield {
    cio_future fut;
} shield;

static void shield_destroy(cio_future *f) { cio__future_free(f, sizeof(shield)); }

static const cio__future_ops shield_ops = { .kind = "shield", .destroy = shield_destroy };

static void inner_done(cio_future *inner, void *arg)
{
    cio_future *outer = arg;
    cio__future_complete(outer, cio_future_result(inner)); /* no-op if cancelled */
    cio_future_release(inner);
    cio__future_unref(outer);
}

cio_future *cio_shield(cio_future *f)
{
    if (!f)
        return cio__future_failed(cio__misuse(-EINVAL, "future is NULL"));
    if (cio_future_done(f))
        return f; /* nothing left to protect */
    cio_future *s = cio__future_alloc(f->loop, sizeof(shield), &shield_ops);
    if (!s) {
        cio_future_release(f);
        return cio__future_failed(-ENOMEM);
    }
    s->refs++; /* the callback's */
    if (cio_future_add_done_callback(f, inner_done, s) < 0) {
        cio__future_unref(s);
        cio__future_unref(s);
        cio_future_release(f);
        return cio__future_failed(-ENOMEM);
    }
    return s;
}
