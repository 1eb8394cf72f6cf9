/* test_queue.c — FIFO / LIFO / priority order, maxsize waits, try variants,
 * task_done / join, shutdown, deadlines and cancellation of waiting puts
 * and gets (no effect on the queue, nothing leaks). */
#include "harness.h"

static intptr_t order_main(void *arg)
{
    (void)arg;
    static const intptr_t in[] = { 5, 1, 4, 1, 3 };
    cio_queue *q[3] = { cio_queue_new(CIO_QUEUE_FIFO, 0), cio_queue_new(CIO_QUEUE_LIFO, 0),
                        cio_queue_new(CIO_QUEUE_PRIORITY, 0) };
    static const intptr_t want[3][5] = { { 5, 1, 4, 1, 3 }, { 3, 1, 4, 1, 5 }, { 1, 1, 3, 4, 5 } };
    for (int k = 0; k < 3; k++) {
        for (int i = 0; i < 5; i++)
            CHECK_EQ(CIO_AWAIT(cio_queue_put(q[k], in[i], CIO_NO_TIMEOUT)), 0);
        CHECK_EQ(cio_queue_len(q[k]), 5);
        for (int i = 0; i < 5; i++)
            CHECK_EQ(CIO_AWAIT(cio_queue_get(q[k], CIO_NO_TIMEOUT)), want[k][i]);
        CHECK(cio_queue_empty(q[k]));
        CHECK_EQ(cio_queue_free(q[k]), 0);
    }
    /* explicit priorities; equal ones keep insertion order */
    cio_queue *p = cio_queue_new(CIO_QUEUE_PRIORITY, 0);
    CHECK_EQ(cio_queue_try_put_prio(p, 100, 2), 0);
    CHECK_EQ(cio_queue_try_put_prio(p, 200, 1), 0);
    CHECK_EQ(cio_queue_try_put_prio(p, 300, 2), 0);
    CHECK_EQ(cio_queue_try_put_prio(p, 400, -7), 0);
    intptr_t v;
    static const intptr_t pw[] = { 400, 200, 100, 300 };
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(cio_queue_try_get(p, &v), 0);
        CHECK_EQ(v, pw[i]);
    }
    CHECK_EQ(cio_queue_try_get(p, &v), -EAGAIN);
    CHECK_EQ(cio_queue_try_put(p, -5), -EINVAL); /* error range */
    CHECK_EQ(cio_queue_free(p), 0);
    CHECK(cio_queue_new((cio_queue_kind)9, 0) == NULL);
    return 0;
}

static void test_order(void) { CHECK_EQ(test_run(order_main, NULL), 0); }

/* Many wrap-arounds and growth of the ring. */
static intptr_t ring_main(void *arg)
{
    (void)arg;
    cio_queue *q = cio_queue_new(CIO_QUEUE_FIFO, 0);
    intptr_t next_in = 0, next_out = 0, v;
    for (int round = 0; round < 200; round++) {
        for (int i = 0; i < round % 37 + 1; i++)
            CHECK_EQ(cio_queue_try_put(q, next_in++), 0);
        for (int i = 0; i < round % 23 + 1 && cio_queue_try_get(q, &v) == 0; i++)
            CHECK_EQ(v, next_out++);
    }
    while (cio_queue_try_get(q, &v) == 0)
        CHECK_EQ(v, next_out++);
    CHECK_EQ(next_in, next_out);
    CHECK_EQ(cio_queue_free(q), 0);
    return 0;
}

static void test_ring(void) { CHECK_EQ(test_run(ring_main, NULL), 0); }

static intptr_t putter(void *arg)
{
    cio_queue *q = arg;
    for (intptr_t i = 1; i <= 6; i++) {
        intptr_t r = CIO_AWAIT(cio_queue_put(q, i, CIO_NO_TIMEOUT));
        if (r < 0)
            return r;
    }
    return 0;
}

static intptr_t bounded_main(void *arg)
{
    (void)arg;
    cio_queue *q = cio_queue_new(CIO_QUEUE_FIFO, 2);
    cio_task *p = cio_spawn(putter, q);
    CHECK_EQ(cio_yield(), 0);
    CHECK(cio_queue_full(q));
    CHECK_EQ(cio_queue_try_put(q, 99), -EAGAIN);
    CHECK_EQ(CIO_AWAIT(cio_queue_put(q, 99, CIO_MS(1))), -ETIMEDOUT);
    for (intptr_t i = 1; i <= 6; i++)
        CHECK_EQ(CIO_AWAIT(cio_queue_get(q, CIO_NO_TIMEOUT)), i); /* the waiting putter refills in order */
    CHECK_EQ(CIO_AWAIT(p), 0);
    CHECK_EQ(CIO_AWAIT(cio_queue_get(q, CIO_MS(1))), -ETIMEDOUT);
    CHECK_EQ(cio_queue_free(q), 0);
    return 0;
}

static void test_bounded(void) { CHECK_EQ(test_run(bounded_main, NULL), 0); }

static intptr_t getter(void *arg) { return CIO_AWAIT(cio_queue_get(arg, CIO_NO_TIMEOUT)); }

static intptr_t cancel_main(void *arg)
{
    (void)arg;
    cio_queue *q = cio_queue_new(CIO_QUEUE_FIFO, 1);
    /* getters: the cancelled one never takes an item */
    cio_task *g[3] = { cio_spawn(getter, q), cio_spawn(getter, q), cio_spawn(getter, q) };
    CHECK_EQ(cio_yield(), 0);
    cio_task_cancel(g[0]);
    cio_future_release(cio_queue_get(q, CIO_NO_TIMEOUT)); /* dropped: leaves no trace */
    CHECK_EQ(cio_queue_try_put(q, 10), 0);
    CHECK_EQ(cio_queue_try_put(q, 20), 0);
    intptr_t res[3];
    CHECK_EQ(CIO_AWAIT(cio_gather(g, 3, res, CIO_GATHER_RETURN_ERRORS)), 0);
    CHECK_EQ(res[0], -ECANCELED);
    CHECK_EQ(res[1], 10);
    CHECK_EQ(res[2], 20);
    /* putters: a cancelled put adds nothing */
    CHECK_EQ(cio_queue_try_put(q, 1), 0);
    cio_future *p2 = cio_queue_put(q, 2, CIO_NO_TIMEOUT);
    cio_future *p3 = cio_queue_put(q, 3, CIO_NO_TIMEOUT);
    CHECK_EQ(cio_future_cancel(p2), 1);
    CHECK_EQ(CIO_AWAIT(p2), -ECANCELED);
    CHECK_EQ(CIO_AWAIT(cio_queue_get(q, 0)), 1);
    CHECK_EQ(CIO_AWAIT(p3), 0);
    CHECK_EQ(CIO_AWAIT(cio_queue_get(q, 0)), 3);
    CHECK(cio_queue_empty(q));
    CHECK_EQ(cio_queue_free(q), 0);
    return 0;
}

static void test_cancel(void) { CHECK_EQ(test_run(cancel_main, NULL), 0); }

static intptr_t worker(void *arg)
{
    cio_queue *q = arg;
    intptr_t n = 0;
    for (;;) {
        intptr_t v = CIO_AWAIT(cio_queue_get(q, CIO_NO_TIMEOUT));
        if (v < 0)
            return v == -ESHUTDOWN ? n : v;
        CIO_AWAIT(cio_sleep(0));
        n++;
        CHECK_EQ(cio_queue_task_done(q), 0);
    }
}

static intptr_t join_shutdown_main(void *arg)
{
    (void)arg;
    cio_queue *q = cio_queue_new(CIO_QUEUE_FIFO, 0);
    CHECK_EQ(cio_queue_task_done(q), -EINVAL);
    CHECK_EQ(CIO_AWAIT(cio_queue_join(q, 0)), 0); /* nothing unfinished */
    cio_task *w[2] = { cio_spawn(worker, q), cio_spawn(worker, q) };
    for (int i = 1; i <= 10; i++)
        CHECK_EQ(cio_queue_try_put(q, i), 0);
    CHECK_EQ(CIO_AWAIT(cio_queue_join(q, CIO_NO_TIMEOUT)), 0);
    CHECK_EQ(cio_queue_free(q), -EBUSY); /* workers wait in get */
    cio_queue_shutdown(q, false);
    intptr_t res[2];
    CHECK_EQ(CIO_AWAIT(cio_gather(w, 2, res, 0)), 0);
    CHECK_EQ(res[0] + res[1], 10);
    CHECK_EQ(CIO_AWAIT(cio_queue_put(q, 1, 0)), -ESHUTDOWN);
    CHECK_EQ(cio_queue_free(q), 0);

    /* graceful shutdown lets gets drain; immediate drops and releases join */
    q = cio_queue_new(CIO_QUEUE_FIFO, 2);
    CHECK_EQ(cio_queue_try_put(q, 7), 0);
    CHECK_EQ(cio_queue_try_put(q, 8), 0);
    cio_future *blocked_put = cio_queue_put(q, 9, CIO_NO_TIMEOUT);
    cio_future *join = cio_queue_join(q, CIO_NO_TIMEOUT);
    cio_queue_shutdown(q, false);
    CHECK_EQ(CIO_AWAIT(blocked_put), -ESHUTDOWN);
    CHECK_EQ(CIO_AWAIT(cio_queue_get(q, 0)), 7);
    CHECK_EQ(cio_queue_task_done(q), 0);
    cio_queue_shutdown(q, true);
    CHECK_EQ(CIO_AWAIT(join), 0);
    CHECK_EQ(CIO_AWAIT(cio_queue_get(q, CIO_NO_TIMEOUT)), -ESHUTDOWN);
    CHECK_EQ(cio_queue_free(q), 0);
    return 0;
}

static void test_join_shutdown(void) { CHECK_EQ(test_run(join_shutdown_main, NULL), 0); }

int main(void)
{
    test_alloc_install();
    long before = test_alloc_live();
    RUN(test_order);
    RUN(test_ring);
    RUN(test_bounded);
    RUN(test_cancel);
    RUN(test_join_shutdown);
    CHECK_EQ(test_alloc_live(), before);
    return 0;
}
