/* future/pool_map.c — pool.map and pool.imap_unordered.
 *
 * A driver task spawns the jobs into the pool in order (waiting for slots)
 * and collects them through a ring of completed indices (capacity n: each
 * job completes once, so it never overflows), filled by each job's done
 * callback, which also wakes the driver's waiter. Invariant: `outstanding` jobs are spawned and not yet
 * collected; the driver returns only when it is 0, so no job outlives the
 * map and results[] is complete when the map's future is done.
 */
#include "waitq.h"
#include "cio/compose.h"

typedef struct mapjob mapjob;
typedef struct mslot {
    cio_task *t;
    mapjob *j;
} mslot;

struct mapjob {
    cio_pool *p;
    cio_task_fn fn;
    void *const *args;
    size_t n;
    intptr_t *results;
    cio_pool_result_fn on_result;
    void *ctx;
    mslot *slots;
    size_t *ring, rhead, rlen;
    cio__waiter *waiter; /* the driver, while it waits for a completion */
};

static void job_done(cio_future *f, void *arg)
{
    (void)f;
    mslot *s = arg;
    mapjob *j = s->j;
    j->ring[(j->rhead + j->rlen++) % j->n] = (size_t)(s - j->slots);
    if (j->waiter) {
        cio__waiter_complete(j->waiter, 0);
        j->waiter = NULL;
    }
}

/* The index of the next finished job, waiting for one if needed; or
 * -ECANCELED / -ENOMEM. */
static intptr_t next_done(mapjob *j)
{
    while (j->rlen == 0) {
        int err;
        cio__waiter *w = cio__waiter_new(j, CIO_NO_TIMEOUT, &err);
        if (!w) {
            if (cio_yield() < 0) /* no memory to park: poll */
                return -ECANCELED;
            continue;
        }
        j->waiter = w;
        intptr_t r = cio_await(&w->fut);
        j->waiter = NULL;
        if (r < 0)
            return r;
    }
    size_t k = j->ring[j->rhead];
    j->rhead = (j->rhead + 1) % j->n;
    j->rlen--;
    return (intptr_t)k;
}

static void cancel_outstanding(mapjob *j, size_t spawned)
{
    for (size_t i = 0; i < spawned; i++)
        if (j->slots[i].t)
            cio_task_cancel(j->slots[i].t);
}

/* Takes one completion; returns the job's result. */
static intptr_t collect(mapjob *j, size_t k)
{
    cio_task *t = j->slots[k].t;
    j->slots[k].t = NULL;
    intptr_t r = cio_future_result(t);
    cio_future_release(t);
    if (j->results)
        j->results[k] = r;
    if (j->on_result)
        j->on_result(j->ctx, k, r);
    return r;
}

static intptr_t spawn_one(mapjob *j, size_t k)
{
    cio_task *t = cio_pool_spawn(j->p, j->fn, j->args ? j->args[k] : NULL);
    if (!cio_future_loop(t))
        return cio_future_result(t);
    j->slots[k] = (mslot){ t, j };
    if (cio_future_add_done_callback(t, job_done, &j->slots[k]) < 0) {
        cio_task_cancel(t);
        cio_await(t);
        return -ENOMEM;
    }
    return 0;
}

static intptr_t drive(mapjob *j)
{
    size_t spawned = 0, limit = j->n, outstanding = 0;
    intptr_t err = 0;
    while (spawned < limit || outstanding > 0) {
        if (spawned < limit && (outstanding == 0 || cio_pool_free_count(j->p) > 0)) {
            intptr_t r = spawn_one(j, spawned);
            if (r < 0) {
                err = err ? err : r;
                limit = spawned;
                cancel_outstanding(j, spawned);
                continue;
            }
            spawned++;
            outstanding++;
            continue;
        }
        intptr_t k = next_done(j);
        if (k < 0) { /* the driver was cancelled: stop and drain */
            err = err ? err : k;
            limit = spawned;
            cancel_outstanding(j, spawned);
            continue;
        }
        outstanding--;
        intptr_t r = collect(j, (size_t)k);
        if (r < 0 && !err) {
            err = r;
            limit = spawned;
            cancel_outstanding(j, spawned);
        }
    }
    return err;
}

static intptr_t map_driver(void *arg)
{
    mapjob *j = arg;
    j->slots = cio__calloc(j->n ? j->n : 1, sizeof(mslot));
    j->ring = cio__malloc((j->n ? j->n : 1) * sizeof(size_t));
    intptr_t r = j->slots && j->ring ? drive(j) : -ENOMEM;
    cio__free(j->slots);
    cio__free(j->ring);
    return r;
}

static void job_free(cio_future *f, void *arg)
{
    (void)f;
    cio__free(arg);
}

static cio_future *map_start(cio_pool *p, cio_task_fn fn, void *const *args, size_t n, const mapjob *tmpl)
{
    if (!p || !fn)
        return cio__future_failed(cio__misuse(-EINVAL, "%s is NULL", p ? "fn" : "pool"));
    mapjob *j = cio__malloc(sizeof(*j));
    if (!j)
        return cio__future_failed(-ENOMEM);
    *j = *tmpl;
    j->p = p;
    j->fn = fn;
    j->args = args;
    j->n = n;
    cio_task *d = cio_spawn_ex(NULL, map_driver, j, &(cio_task_opts){ .name = "pool-map" });
    if (!cio_future_loop(d) || cio_future_add_done_callback(d, job_free, j) < 0) {
        if (cio_future_loop(d)) { /* cannot free the job later: never start */
            cio_task_cancel(d); /* it never runs, so never touches j */
            cio_task_detach(d);
            d = cio__future_failed(-ENOMEM);
        }
        cio__free(j);
    }
    return d;
}

cio_future *cio_pool_map(cio_pool *p, cio_task_fn fn, void *const *args, size_t n, intptr_t *results)
{
    return map_start(p, fn, args, n, &(mapjob){ .results = results });
}

cio_future *cio_pool_map_unordered(cio_pool *p, cio_task_fn fn, void *const *args, size_t n,
                                   cio_pool_result_fn on_result, void *ctx)
{
    return map_start(p, fn, args, n, &(mapjob){ .on_result = on_result, .ctx = ctx });
}
