/* loop/handles.c — user callbacks: call_soon, call_later, call_at, cancel.
 *
 * Each scheduled callback gets a record and an id = (generation << 32 |
 * slot + 1). Ids are never reused while the loop lives, so cancelling an id
 * whose callback already ran is a clean -ENOENT, not a hit on a newer one.
 */
#include "internal.h"

struct cio__uhandle {
    cio__handle h;       /* on the ready queue (call_soon, or a fired timer) */
    cio__timer t;        /* on the heap (call_later / call_at) */
    cio_callback fn;
    void *arg;
    int64_t id;
    bool cancelled;
};

static int slot_reserve(cio_loop *l, uint32_t *slot)
{
    if (l->uh_nfree) {
        *slot = l->uh_free[--l->uh_nfree];
        return 0;
    }
    if (l->uh_used == l->uh_cap) {
        uint32_t cap = l->uh_cap ? l->uh_cap * 2 : 64;
        cio__uhandle **s = cio__realloc(l->uh_slots, cap * sizeof(*s));
        if (!s)
            return -ENOMEM;
        l->uh_slots = s;
        uint32_t *f = cio__realloc(l->uh_free, cap * sizeof(*f));
        if (!f)
            return -ENOMEM;
        l->uh_free = f;
        l->uh_cap = cap;
    }
    *slot = l->uh_used++;
    return 0;
}

static void uhandle_release(cio_loop *l, cio__uhandle *u)
{
    uint32_t slot = (uint32_t)(u->id & 0xffffffff) - 1;
    l->uh_slots[slot] = NULL;
    l->uh_free[l->uh_nfree++] = slot;
    cio__free(u);
}

static void uhandle_run(cio__handle *h)
{
    cio__uhandle *u = cio__container_of(h, cio__uhandle, h);
    cio_loop *l = cio_loop_current();
    if (!u->cancelled)
        u->fn(u->arg);
    uhandle_release(l, u);
}

static void uhandle_fire(cio__timer *t)
{
    cio__uhandle *u = cio__container_of(t, cio__uhandle, t);
    cio__loop_ready(cio_loop_current(), &u->h);
}

static cio__uhandle *uhandle_new(cio_loop *l, cio_callback fn, void *arg, int64_t *err)
{
    uint32_t slot;
    cio__uhandle *u = cio__calloc(1, sizeof(*u));
    if (!u || slot_reserve(l, &slot) < 0) {
        cio__free(u);
        *err = -ENOMEM;
        return NULL;
    }
    u->h.fn = uhandle_run;
    cio__timer_init(&u->t, uhandle_fire);
    u->fn = fn;
    u->arg = arg;
    u->id = ((int64_t)(++l->uh_gen & 0x7fffffff) << 32) | (int64_t)(slot + 1);
    l->uh_slots[slot] = u;
    return u;
}

int64_t cio_loop_call_soon(cio_loop *l, cio_callback fn, void *arg)
{
    if (!l || !fn)
        return cio__misuse(-EINVAL, "%s is NULL", l ? "fn" : "loop");
    int64_t err = 0;
    cio__uhandle *u = uhandle_new(l, fn, arg, &err);
    if (!u)
        return err;
    cio__loop_ready(l, &u->h);
    return u->id;
}

int64_t cio_loop_call_at(cio_loop *l, uint64_t when_ns, cio_callback fn, void *arg)
{
    if (!l || !fn)
        return cio__misuse(-EINVAL, "%s is NULL", l ? "fn" : "loop");
    int64_t err = 0;
    cio__uhandle *u = uhandle_new(l, fn, arg, &err);
    if (!u)
        return err;
    if (cio__timer_start(l, &u->t, when_ns) < 0) {
        uhandle_release(l, u);
        return -ENOMEM;
    }
    return u->id;
}

int64_t cio_loop_call_later(cio_loop *l, uint64_t delay_ns, cio_callback fn, void *arg)
{
    if (!l)
        return cio__misuse(-EINVAL, "loop is NULL");
    return cio_loop_call_at(l, cio__clock_ns() + delay_ns, fn, arg);
}

int cio_loop_cancel(cio_loop *l, int64_t id)
{
    if (!l)
        return cio__misuse(-EINVAL, "loop is NULL");
    uint32_t slot = (uint32_t)(id & 0xffffffff) - 1;
    if (id <= 0 || slot >= l->uh_used || !l->uh_slots[slot] || l->uh_slots[slot]->id != id)
        return -ENOENT;
    cio__uhandle *u = l->uh_slots[slot];
    if (u->cancelled)
        return -ENOENT;
    if (cio__timer_armed(&u->t)) {
        cio__timer_stop(l, &u->t);
        uhandle_release(l, u);
    } else {
        u->cancelled = true; /* already on the ready queue: skipped when reached */
    }
    return 0;
}

void cio__uhandles_discard(cio_loop *l)
{
    for (uint32_t i = 0; i < l->uh_used; i++) {
        cio__uhandle *u = l->uh_slots[i];
        if (u && cio__timer_armed(&u->t)) {
            cio__timer_stop(l, &u->t);
            uhandle_release(l, u);
        } else if (u) {
            u->cancelled = true;
        }
    }
}

void cio__uhandles_free(cio_loop *l)
{
    cio__free(l->uh_slots);
    cio__free(l->uh_free);
}
