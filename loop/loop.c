/* loop/loop.c — loop lifecycle and the run loop, a list of named phases:
 *
 *   1. poll:    submit queued operations, reap completions (waiting only when
 *               nothing is ready, at most until the next timer is due, and
 *               after the layers above gave back spare memory), then take
 *               what other threads posted (wakeup.c)
 *   2. timers:  fire the timers that are due
 *   3. ready:   run the callbacks that were ready when this phase began
 *
 * Completions and timers only schedule work (they complete futures, which
 * queue their callbacks); tasks resume in phase 3.
 */
#include <stdio.h>
#include <string.h>
#include "coro/stack.h"
#include "internal.h"

static CIO_TLS cio_loop *tls_loop;

cio_loop *cio_loop_current(void) { return tls_loop; }

cio_loop *cio__loop_set_current(cio_loop *l)
{
    cio_loop *prev = tls_loop;
    tls_loop = l;
    return prev;
}

static int opts_check(cio_loop_opts *o)
{
    if (o->sq_entries == 0)
        o->sq_entries = 256;
    if (o->sq_entries < 2 || o->sq_entries > 32768) /* an op with a linked timeout takes 2 */
        return cio__misuse_report(-EINVAL, "cio_loop_new", "sq_entries %u is not in [2, 32768]", o->sq_entries);
    if (o->cq_entries == 0)
        o->cq_entries = 4 * o->sq_entries;
    if (o->cq_entries < o->sq_entries)
        return cio__misuse_report(-EINVAL, "cio_loop_new", "cq_entries %u is smaller than sq_entries %u", o->cq_entries, o->sq_entries);
    if (o->stack_cache == 0)
        o->stack_cache = 256;
    if (o->ring_mode > CIO_RING_PLAIN)
        return cio__misuse_report(-EINVAL, "cio_loop_new", "unknown ring_mode %d", (int)o->ring_mode);
    return 0;
}

int cio_loop_new(cio_loop **out, const cio_loop_opts *opts)
{
    if (!out)
        return cio__misuse(-EINVAL, "out is NULL");
    cio_loop_opts o = opts ? *opts : (cio_loop_opts){ 0 };
    int rc = opts_check(&o);
    if (rc < 0)
        return rc;
    cio_loop *l = cio__calloc(1, sizeof(*l));
    if (!l)
        return -ENOMEM;
    l->opts = o;
    l->sq_entries = o.sq_entries;
    l->cq_entries = o.cq_entries;
    l->ready_tail = &l->ready_head;
    cio__heap_init(&l->timers);
    cio__list_init(&l->pending);
    cio__list_init(&l->cancels);
    rc = cio__ring_init(l);
    if (rc < 0) {
        cio__free(l);
        return rc;
    }
    rc = cio__wakeup_init(l);
    if (rc < 0) {
        cio__ring_exit(l);
        cio__free(l);
        return rc;
    }
    l->now_ns = cio__clock_ns();
    *out = l;
    return 0;
}

size_t cio_loop_alive(const cio_loop *l)
{
    size_t sched = l->sched ? l->sched_hooks->alive(l->sched) : 0;
    return sched + (l->inflight - l->cancelling) + l->timers.len + l->ready_len + !cio__list_empty(&l->pending) +
           cio__wakeup_busy(l);
}

static void report_alive(const cio_loop *l)
{
#ifdef CIO_DEBUG
    fprintf(stderr, "cio: cio_loop_free: loop still busy: %zu ready callbacks, %zu timers, "
            "%zu operations in flight, %s\n", l->ready_len, l->timers.len, l->inflight,
            cio__list_empty(&l->pending) ? "none queued" : "some queued");
    if (l->sched)
        l->sched_hooks->report(l->sched);
#else
    (void)l;
#endif
}

int cio_loop_free(cio_loop *l)
{
    if (!l)
        return cio__misuse(-EINVAL, "loop is NULL");
    if (l->running)
        return cio__misuse(-EPERM, "cannot free a running loop");
    cio__ring_settle_cancels(l);
    if (cio_loop_alive(l)) {
        report_alive(l);
        return -EBUSY;
    }
    while (l->exts) {
        cio__loop_ext *e = l->exts;
        l->exts = e->next;
        e->destroy(e);
    }
    if (l->sched)
        l->sched_hooks->destroy(l->sched);
    cio__uhandles_free(l);
    cio__heap_free(&l->timers);
    cio__wakeup_exit(l); /* first: a late poster may still signal the ring */
    cio__ring_exit(l);
    if (tls_loop == l)
        tls_loop = NULL;
    cio__free(l);
    return 0;
}

void cio__loop_set_sched(cio_loop *l, void *sched, const cio__sched_hooks *hooks)
{
    l->sched = sched;
    l->sched_hooks = hooks;
}

cio__loop_ext *cio__loop_ext_find(cio_loop *l, const void *key)
{
    for (cio__loop_ext *e = l->exts; e; e = e->next)
        if (e->key == key)
            return e;
    return NULL;
}

void cio__loop_ext_add(cio_loop *l, cio__loop_ext *e)
{
    e->next = l->exts;
    l->exts = e;
}

/* The ready queue becomes the snapshot the ready phase runs; it lives in
 * the loop so tasks can take from it. */
static void take_snapshot(cio_loop *l)
{
    l->run_next = l->ready_head;
    l->run_left = l->ready_len;
    l->ready_head = NULL;
    l->ready_tail = &l->ready_head;
    l->ready_len = 0;
}

static void run_ready(cio_loop *l)
{
    take_snapshot(l);
    while (l->run_left) {
        cio__handle *h = l->run_next;
        l->run_next = h->next;
        l->run_left--;
        h->fn(h);
    }
}

static void run_once(cio_loop *l)
{
    uint64_t wait = 0;
    if (!l->ready_len && !l->stopping && l->timers.len)
        wait = cio__timers_next(l, cio__clock_ns());
    else if (!l->ready_len && !l->stopping)
        wait = UINT64_MAX;
    if (wait && l->sched)
        l->sched_hooks->idle(l->sched);
    wait = cio__wakeup_prepare(l, wait);
    cio__ring_poll(l, wait);
    cio__wakeup_drain(l);
    l->now_stale = true; /* reread on first use (cio__loop_now) */
    if (l->timers.len)
        cio__timers_run(l, cio__loop_now(l));
    run_ready(l);
}

/* An iteration whose poll and timer phases would do nothing: no timers,
 * nothing queued for or owed by the ring, nothing posted by other threads,
 * and the run condition still holds. */
static bool iteration_is_trivial(cio_loop *l)
{
    return l->keep_going && !l->timers.len && !l->stopping && cio__ring_idle(l) && cio__list_empty(&l->wake.batch) &&
           !atomic_load_explicit(&l->wake.head, memory_order_relaxed) && l->keep_going(l->keep_arg);
}

bool cio__loop_next_iteration(cio_loop *l)
{
    if (l->run_left || !l->ready_len || !iteration_is_trivial(l))
        return false;
    l->now_stale = true;
    take_snapshot(l);
    return true;
}

/* Shared by run_forever and run_until_complete: claims the thread, runs
 * iterations while `keep_going(arg)`, releases the thread. */
CIO_HIDDEN int cio__loop_run(cio_loop *l, bool (*keep_going)(void *), void *arg)
{
    if (!l)
        return cio__misuse(-EINVAL, "loop is NULL");
    if (tls_loop && tls_loop->running)
        return cio__misuse(-EPERM, "a loop is already running on this thread");
    int rc = cio__ring_enable(l);
    if (rc < 0)
        return cio__misuse(rc, "io_uring ring cannot be enabled on this thread");
    cio_loop *prev = cio__loop_set_current(l);
    l->running = true;
    l->stopping = false;
    cio__overflow_handler_install(&l->altstack);
    l->now_ns = cio__clock_ns();
    l->keep_going = keep_going;
    l->keep_arg = arg;
    while (!l->stopping && keep_going(arg))
        run_once(l);
    cio__overflow_handler_uninstall(&l->altstack);
    l->keep_going = NULL;
    l->keep_arg = NULL;
    l->running = false;
    l->stopping = false;
    cio__loop_set_current(prev ? prev : l);
    return 0;
}

static bool forever(void *arg)
{
    (void)arg;
    return true;
}

int cio_loop_run_forever(cio_loop *l)
{
    return cio__loop_run(l, forever, NULL);
}

void cio_loop_stop(cio_loop *l)
{
    if (l && l->running)
        l->stopping = true;
}

uint64_t cio_loop_time_ns(const cio_loop *l)
{
    return l ? cio__loop_now((cio_loop *)l) : cio__clock_ns(); /* the cache is not part of its value */
}

unsigned cio_loop_ring_flags(const cio_loop *l) { return l ? l->ring_flags : 0; }
