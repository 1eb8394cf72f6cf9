/* future/gather.c — cio_gather: one future for many.
 *
 * Invariant: the gather holds a reference to itself while `pending` > 0
 * (its children's callbacks point into it) and completes only when the last
 * child has settled, so results[] is never written after the gather is done.
 */
#include "waitq.h"
#include "cio/compose.h"

typedef struct gather gather;
typedef struct gslot {
    cio_future *f; /* NULL once settled and released */
    gather *g;
} gslot;

struct gather {
    cio_future fut;
    gslot *slots;
    size_t n, pending;
    intptr_t *results;
    intptr_t first_err;
    int flags;
    bool cancelled;
};

static void cancel_children(gather *g)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->slots[i].f)
            cio_future_cancel(g->slots[i].f);
}

static int gather_cancel(cio_future *f)
{
    gather *g = (gather *)f;
    g->cancelled = true;
    cancel_children(g);
    return 1;
}

static void gather_destroy(cio_future *f)
{
    cio__free(((gather *)f)->slots);
    cio__future_free(f, sizeof(gather));
}

static const cio__future_ops gather_ops = { .kind = "gather", .cancel = gather_cancel, .destroy = gather_destroy };

static void settle(gather *g, size_t i, intptr_t r)
{
    if (g->results)
        g->results[i] = r;
    if (!(g->flags & CIO_GATHER_RETURN_ERRORS) && r < 0 && !g->first_err) {
        g->first_err = r;
        cancel_children(g);
    }
    if (--g->pending > 0)
        return;
    cio__future_complete(&g->fut, g->first_err ? g->first_err : g->cancelled ? -ECANCELED : 0);
    cio__future_unref(&g->fut);
}

static void child_done(cio_future *f, void *arg)
{
    gslot *s = arg;
    intptr_t r = cio_future_result(f);
    s->f = NULL;
    cio_future_release(f);
    settle(s->g, (size_t)(s - s->g->slots), r);
}

/* The loop all non-static futures share (else NULL with *err). */
static cio_loop *common_loop(cio_future *const *fs, size_t n, int *err)
{
    cio_loop *l = NULL;
    for (size_t i = 0; i < n; i++) {
        cio_loop *fl = fs[i] ? cio_future_loop(fs[i]) : NULL;
        if (!fs[i] || (fl && l && fl != l)) {
            *err = cio__misuse(-EINVAL, "%s", fs[i] ? "futures of different loops" : "NULL future in the array");
            return NULL;
        }
        l = fl ? fl : l;
    }
    if (!l && !(l = cio_loop_current()))
        *err = cio__misuse(-EPERM, "no loop to gather on");
    return l;
}

static void release_all(cio_future *const *fs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cio_future_release(fs[i]);
}

static void attach(gather *g, size_t i, cio_future *f)
{
    g->slots[i] = (gslot){ f, g };
    if (cio_future_add_done_callback(f, child_done, &g->slots[i]) < 0) {
        cio_future_cancel(f); /* cannot follow it: let it go, count it failed */
        g->slots[i].f = NULL;
        cio_future_release(f);
        settle(g, i, -ENOMEM);
    }
}

cio_future *cio_gather(cio_future *const *fs, size_t n, intptr_t *results, int flags)
{
    if (n > 0 && !fs)
        return cio__future_failed(cio__misuse(-EINVAL, "futures array is NULL"));
    int err = 0;
    cio_loop *l = common_loop(fs, n, &err);
    gather *g = l ? (gather *)cio__future_alloc(l, sizeof(gather), &gather_ops) : NULL;
    gslot *slots = g && n ? cio__malloc(n * sizeof(gslot)) : NULL;
    if (!g || (n && !slots)) {
        if (g)
            cio__future_unref(&g->fut);
        release_all(fs, n);
        return cio__future_failed(l ? -ENOMEM : err);
    }
    g->slots = slots;
    g->n = n;
    g->pending = n + 1; /* +1 until every child is attached */
    g->results = results;
    g->first_err = 0;
    g->flags = flags;
    g->cancelled = false;
    g->fut.refs++; /* held while children are pending */
    for (size_t i = 0; i < n; i++)
        attach(g, i, fs[i]);
    if (--g->pending == 0) {
        cio__future_complete(&g->fut, g->first_err);
        cio__future_unref(&g->fut);
    }
    return &g->fut;
}
