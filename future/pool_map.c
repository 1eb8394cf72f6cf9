/* future/pool_map.c — pool.map and pool.imap_unordered.
 *
 * A driver task spawns the jobs into the pool in order (waiting for slots)
 * and collects them through a completion queue of indices, filled by each
 * job's done callback. Invariant: `outstanding` jobs are spawned and not yet
 * collected; the driver returns only when it is 0, so no job outlives the
 * map and results[] is complete when the map's future is done.
 */
#include "waitq.h"
#include "cio/compose.h"
#include "cio/queue.h"

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
    cio_queue *done;
    mslot *slots;
};

static void job_done(cio_future *f, void *arg)
{
    (void)f;
    mslot *s = arg;
    if (cio_queue_try_put(s->j->done, (intptr_t)(s - s->j->slots)) < 0)
        cio__misuse(-ENOMEM, "pool map lost a completion");
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
        intptr_t k = cio_await(cio_queue_get(j->done, CIO_NO_TIMEOUT));
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
    j->done = cio_queue_new(CIO_QUEUE_FIFO, 0);
    j->slots = cio__calloc(j->n ? j->n : 1, sizeof(mslot));
    intptr_t r = j->done && j->slots ? drive(j) : -ENOMEM;
    cio_queue_free(j->done);
    cio__free(j->slots);
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
