/* future/generator.c — generators (yield / send) on top of greenlets.
 *
 * A generator is a greenlet whose parent is re-pointed at each send to the
 * sender, so cio_gen_yield (a switch to the parent) and the body's return
 * (which finishes into the parent) both land back in the send that resumed
 * it. Invariant: `done` is set exactly when the body has returned.
 */
#include "internal.h"
#include "cio/generator.h"

CIO_HIDDEN void cio__greenlet_set_parent(cio_greenlet *g, cio_greenlet *parent);

struct cio_gen {
    cio_greenlet *gl;
    cio_gen_fn fn;
    void *arg;
    bool done;
};

static intptr_t gen_body(void *arg, intptr_t first)
{
    (void)first;
    cio_gen *g = arg;
    intptr_t r = g->fn(g, g->arg);
    g->done = true;
    return r;
}

cio_gen *cio_gen_new(cio_gen_fn fn, void *arg, size_t stack_size)
{
    if (!fn) {
        cio__misuse(-EINVAL, "generator function is NULL");
        return NULL;
    }
    cio_gen *g = cio__calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    g->fn = fn;
    g->arg = arg;
    if (!(g->gl = cio_greenlet_new(gen_body, g, stack_size))) {
        cio__free(g);
        return NULL;
    }
    return g;
}

int cio_gen_free(cio_gen *g)
{
    if (!g)
        return 0;
    int rc = cio_greenlet_free(g->gl);
    if (rc == 0)
        cio__free(g);
    return rc;
}

int cio_gen_send(cio_gen *g, intptr_t value, intptr_t *out)
{
    if (!g)
        return cio__misuse(-EINVAL, "generator is NULL");
    if (g->done)
        return -EPIPE;
    cio_greenlet *self = cio_greenlet_current();
    if (self == g->gl)
        return cio__misuse(-EBUSY, "a generator cannot send to itself");
    cio__greenlet_set_parent(g->gl, self);
    intptr_t r = cio_greenlet_switch(g->gl, value);
    if (out)
        *out = r;
    return g->done ? 0 : 1;
}

int cio_gen_next(cio_gen *g, intptr_t *out) { return cio_gen_send(g, 0, out); }

intptr_t cio_gen_yield(cio_gen *g, intptr_t value)
{
    if (!g || cio_greenlet_current() != g->gl)
        return cio__misuse(-EPERM, "cio_gen_yield outside the generator's body");
    return cio_greenlet_switch(cio_greenlet_parent(g->gl), value);
}

bool cio_gen_done(const cio_gen *g) { return !g || g->done; }
