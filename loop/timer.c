/* loop/timer.c — timers on the min-heap; firing expired ones per iteration. */
#include "internal.h"

int cio__timer_start(cio_loop *l, cio__timer *t, uint64_t when_ns)
{
    cio__heap_remove(&l->timers, &t->node);
    t->node.key = when_ns;
    return cio__heap_push(&l->timers, &t->node);
}

void cio__timer_stop(cio_loop *l, cio__timer *t)
{
    cio__heap_remove(&l->timers, &t->node);
}

/* Fires every timer due at `now` that was armed before this pass began, in
 * deadline then start order. Timers armed by callbacks wait for the next
 * pass, so a callback re-arming itself for "now" cannot starve the loop. */
void cio__timers_run(cio_loop *l, uint64_t now)
{
    uint64_t seq_limit = l->timers.next_seq;
    cio__heap_node *n;
    while ((n = cio__heap_min(&l->timers)) && n->key <= now && n->seq < seq_limit) {
        cio__timer *t = cio__container_of(n, cio__timer, node);
        cio__heap_remove(&l->timers, n);
        t->fn(t);
    }
}

/* Nanoseconds until the earliest timer, 0 if one is due, UINT64_MAX if none. */
uint64_t cio__timers_next(const cio_loop *l, uint64_t now)
{
    const cio__heap_node *n = cio__heap_min(&l->timers);
    if (!n)
        return UINT64_MAX;
    return n->key > now ? n->key - now : 0;
}
