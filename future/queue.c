/* future/queue.c — cio_queue: waiting put/get, task_done/join, shutdown.
 *
 * Invariants: getters wait only while the store is empty and putters only
 * while it is full, so a put first serves the oldest getter directly and a
 * get refills from the oldest putter. `unfinished` counts items put and not
 * yet task_done; joiners wake when it reaches 0.
 */
#include "queue_store.h"
#include "waitq.h"

struct cio_queue {
    cio__qstore store;
    size_t maxsize; /* 0: unbounded */
    size_t unfinished;
    bool shut;
    cio__waitq getters, putters, joiners;
};

cio_queue *cio_queue_new(cio_queue_kind kind, size_t maxsize)
{
    if (kind != CIO_QUEUE_FIFO && kind != CIO_QUEUE_LIFO && kind != CIO_QUEUE_PRIORITY) {
        cio__misuse(-EINVAL, "unknown queue kind %d", (int)kind);
        return NULL;
    }
    cio_queue *q = cio__calloc(1, sizeof(*q));
    if (!q)
        return NULL;
    cio__qstore_init(&q->store, kind);
    q->maxsize = maxsize;
    cio__waitq_init(&q->getters);
    cio__waitq_init(&q->putters);
    cio__waitq_init(&q->joiners);
    return q;
}

int cio_queue_free(cio_queue *q)
{
    if (!q)
        return 0;
    size_t n = q->getters.len + q->putters.len + q->joiners.len;
    if (n)
        return cio__misuse(-EBUSY, "queue freed while %zu task(s) wait on it", n);
    cio__qstore_free(&q->store);
    cio__free(q);
    return 0;
}

size_t cio_queue_len(const cio_queue *q) { return q ? q->store.len : 0; }
bool cio_queue_empty(const cio_queue *q) { return !q || q->store.len == 0; }
bool cio_queue_full(const cio_queue *q) { return q && q->maxsize && q->store.len >= q->maxsize; }

/* ---- put ---------------------------------------------------------------------- */

/* Puts without waiting when it can: 1 done, 0 must wait, or a negative errno. */
static int put_now(cio_queue *q, intptr_t item, int64_t prio)
{
    if (q->shut)
        return -ESHUTDOWN;
    cio__waiter *g = cio__waitq_pop(&q->getters);
    if (g) {
        q->unfinished++;
        cio__waiter_complete(g, item);
        return 1;
    }
    if (cio_queue_full(q))
        return 0;
    int rc = cio__qstore_push(&q->store, item, prio);
    if (rc < 0)
        return rc;
    q->unfinished++;
    return 1;
}

static int check_item(const cio_queue *q, intptr_t item)
{
    if (!q)
        return cio__misuse(-EINVAL, "queue is NULL");
    if (CIO_IS_ERR(item))
        return cio__misuse(-EINVAL, "item %ld is in the error range", (long)item);
    return 0;
}

int cio_queue_try_put_prio(cio_queue *q, intptr_t item, int64_t prio)
{
    int rc = check_item(q, item);
    if (rc == 0)
        rc = put_now(q, item, prio);
    return rc == 1 ? 0 : rc == 0 ? -EAGAIN : rc;
}

int cio_queue_try_put(cio_queue *q, intptr_t item) { return cio_queue_try_put_prio(q, item, item); }

cio_future *cio_queue_put_prio(cio_queue *q, intptr_t item, int64_t prio, uint64_t timeout_ns)
{
    int rc = check_item(q, item);
    if (rc == 0)
        rc = put_now(q, item, prio);
    if (rc == 1)
        return cio__future_ok();
    if (rc < 0)
        return cio__future_failed(rc);
    cio__waiter *w = cio__waiter_new(q, timeout_ns, &rc);
    if (!w)
        return cio__future_failed(rc);
    w->val = item;
    w->aux = prio;
    cio__waitq_push(&q->putters, w);
    return &w->fut;
}

cio_future *cio_queue_put(cio_queue *q, intptr_t item, uint64_t timeout_ns)
{
    return cio_queue_put_prio(q, item, item, timeout_ns);
}

/* ---- get ---------------------------------------------------------------------- */

/* Takes an item when there is one (then lets the oldest putter in):
 * 1 with *item set, 0 must wait, -ESHUTDOWN. */
static int get_now(cio_queue *q, intptr_t *item)
{
    if (q->store.len == 0)
        return q->shut ? -ESHUTDOWN : 0;
    *item = cio__qstore_pop(&q->store);
    cio__waiter *p = cio__waitq_pop(&q->putters);
    if (p) { /* the store just had room for one: cannot fail */
        (void)cio__qstore_push(&q->store, p->val, p->aux);
        q->unfinished++;
        cio__waiter_complete(p, 0);
    }
    return 1;
}

int cio_queue_try_get(cio_queue *q, intptr_t *item)
{
    if (!q || !item)
        return cio__misuse(-EINVAL, "%s is NULL", q ? "item" : "queue");
    int rc = get_now(q, item);
    return rc == 0 ? -EAGAIN : rc < 0 ? rc : 0;
}

cio_future *cio_queue_get(cio_queue *q, uint64_t timeout_ns)
{
    if (!q)
        return cio__future_failed(cio__misuse(-EINVAL, "queue is NULL"));
    intptr_t item;
    int rc = get_now(q, &item);
    if (rc == 1)
        return cio__future_value(item);
    if (rc < 0)
        return cio__future_failed(rc);
    cio__waiter *w = cio__waiter_new(q, timeout_ns, &rc);
    if (!w)
        return cio__future_failed(rc);
    cio__waitq_push(&q->getters, w);
    return &w->fut;
}

/* ---- task_done / join / shutdown ----------------------------------------------- */

static void finished(cio_queue *q, size_t n)
{
    q->unfinished -= n;
    if (q->unfinished == 0)
        cio__waitq_fail_all(&q->joiners, 0);
}

int cio_queue_task_done(cio_queue *q)
{
    if (!q || q->unfinished == 0)
        return cio__misuse(-EINVAL, "task_done called more times than items were put");
    finished(q, 1);
    return 0;
}

cio_future *cio_queue_join(cio_queue *q, uint64_t timeout_ns)
{
    if (!q)
        return cio__future_failed(cio__misuse(-EINVAL, "queue is NULL"));
    if (q->unfinished == 0)
        return cio__future_ok();
    int err;
    cio__waiter *w = cio__waiter_new(q, timeout_ns, &err);
    if (!w)
        return cio__future_failed(err);
    cio__waitq_push(&q->joiners, w);
    return &w->fut;
}

void cio_queue_shutdown(cio_queue *q, bool immediate)
{
    if (!q)
        return;
    q->shut = true;
    cio__waitq_fail_all(&q->putters, -ESHUTDOWN);
    cio__waitq_fail_all(&q->getters, -ESHUTDOWN);
    if (immediate && q->store.len) {
        size_t n = q->store.len;
        cio__qstore_free(&q->store);
        finished(q, n < q->unfinished ? n : q->unfinished);
    }
}
