/* test_group_pool.c — task groups (join, first failure, owner cancelled, no
 * task outlives the group) and pools (limit, FIFO slots, map, unordered
 * map, join, kill). */
#include "harness.h"

static int g_running, g_peak;
static char g_log[256];

static intptr_t counted_sleep(void *arg)
{
    intptr_t ms = (intptr_t)arg;
    if (++g_running > g_peak)
        g_peak = g_running;
    intptr_t r = CIO_AWAIT(cio_sleep(CIO_MS(ms)));
    g_running--;
    return r < 0 ? r : ms;
}

static intptr_t failing(void *arg)
{
    CIO_AWAIT(cio_sleep(CIO_MS((intptr_t)arg)));
    return -EIO;
}

static intptr_t group_ok(void *arg)
{
    (void)arg;
    cio_group *g = cio_group_new();
    for (intptr_t i = 1; i <= 5; i++)
        CHECK(cio_future_loop(cio_group_spawn(g, counted_sleep, (void *)i)) != NULL);
    CHECK_EQ(cio_group_size(g), 5);
    CHECK_EQ(cio_group_join(g), 0);
    CHECK_EQ(g_running, 0); /* nobody outlived the group */
    g = cio_group_new();
    CHECK_EQ(cio_group_join(g), 0); /* empty */
    return 0;
}

static void test_group_ok(void) { CHECK_EQ(test_run(group_ok, NULL), 0); }

static intptr_t group_fail(void *arg)
{
    (void)arg;
    cio_group *g = cio_group_new();
    cio_task *a = cio_group_spawn(g, counted_sleep, (void *)1000);
    cio_group_spawn(g, failing, (void *)2);
    cio_task *c = cio_group_spawn(g, counted_sleep, (void *)1000);
    CHECK_EQ(cio_group_join(g), -EIO);
    (void)a, (void)c;
    CHECK_EQ(g_running, 0);
    return 0;
}

static void test_group_first_failure(void) { CHECK_EQ(test_run(group_fail, NULL), 0); }

static intptr_t group_owner(void *arg)
{
    intptr_t *out = arg;
    cio_group *g = cio_group_new();
    cio_group_spawn(g, counted_sleep, (void *)1000);
    cio_group_spawn(g, counted_sleep, (void *)1000);
    if (out[1]) /* cancelled in the body, then joins */
        CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(1000))), -ECANCELED);
    CHECK(cio_future_loop(cio_group_spawn(g, counted_sleep, (void *)1)) == NULL || !out[1]);
    out[0] = cio_group_join(g);
    out[2] = g_running;
    return out[0];
}

static intptr_t group_cancel(void *arg)
{
    (void)arg;
    for (int body = 0; body < 2; body++) {
        intptr_t out[3] = { 1, body, -1 };
        cio_task *t = cio_spawn(group_owner, out);
        CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(2))), 0);
        cio_task_cancel(t);
        CHECK_EQ(CIO_AWAIT(t), -ECANCELED);
        CHECK_EQ(out[0], -ECANCELED);
        CHECK_EQ(out[2], 0); /* children had all finished when join returned */
    }
    return 0;
}

static void test_group_owner_cancelled(void) { CHECK_EQ(test_run(group_cancel, NULL), 0); }

/* ---- pools ------------------------------------------------------------------ */

static intptr_t pool_main(void *arg)
{
    (void)arg;
    g_peak = 0;
    cio_pool *p = cio_pool_new(2);
    cio_task *t[5];
    for (intptr_t i = 0; i < 5; i++)
        t[i] = cio_pool_spawn(p, counted_sleep, (void *)(i + 1)); /* waits for slots */
    CHECK(cio_pool_running(p) <= 2);
    CHECK_EQ(CIO_AWAIT(cio_pool_join(p, CIO_NO_TIMEOUT)), 0);
    CHECK_EQ(cio_pool_running(p), 0);
    CHECK_EQ(cio_pool_free_count(p), 2);
    for (int i = 0; i < 5; i++)
        CHECK_EQ(CIO_AWAIT(t[i]), i + 1);
    CHECK_EQ(g_peak, 2);

    /* map: ordered results, never more than 2 at once */
    g_peak = 0;
    void *args[6] = { (void *)6, (void *)1, (void *)4, (void *)2, (void *)3, (void *)1 };
    intptr_t res[6];
    CHECK_EQ(CIO_AWAIT(cio_pool_map(p, counted_sleep, args, 6, res)), 0);
    for (int i = 0; i < 6; i++)
        CHECK_EQ(res[i], (intptr_t)args[i]);
    CHECK_EQ(g_peak, 2);

    /* a failure cancels the rest */
    void *fargs[4] = { (void *)1000, (void *)1, (void *)1000, (void *)1000 };
    cio_task_fn fns = failing;
    (void)fns;
    CHECK_EQ(CIO_AWAIT(cio_pool_map(p, failing, fargs + 1, 1, NULL)), -EIO);
    CHECK_EQ(cio_pool_running(p), 0);
    CHECK_EQ(cio_pool_free(p), 0);
    return 0;
}

static void test_pool(void) { CHECK_EQ(test_run(pool_main, NULL), 0); }

static void on_result(void *ctx, size_t i, intptr_t r)
{
    (void)ctx;
    size_t n = strlen(g_log);
    g_log[n] = (char)('0' + i);
    g_log[n + 1] = 0;
    CHECK(r >= 0);
}

static intptr_t pool_unordered(void *arg)
{
    (void)arg;
    g_log[0] = 0;
    cio_pool *p = cio_pool_new(3);
    void *args[4] = { (void *)30, (void *)10, (void *)20, (void *)1 };
    CHECK_EQ(CIO_AWAIT(cio_pool_map_unordered(p, counted_sleep, args, 4, on_result, NULL)), 0);
    CHECK(!strcmp(g_log, "1302") || !strcmp(g_log, "1320"));
    CHECK_EQ(cio_pool_free(p), 0);
    return 0;
}

static void test_pool_unordered(void) { CHECK_EQ(test_run(pool_unordered, NULL), 0); }

static intptr_t map_then_cancel(void *arg)
{
    cio_pool *p = arg;
    void *args[4] = { (void *)1000, (void *)1000, (void *)1000, (void *)1000 };
    intptr_t res[4] = { 0 };
    return CIO_AWAIT(cio_pool_map(p, counted_sleep, args, 4, res));
}

static intptr_t pool_kill_cancel(void *arg)
{
    (void)arg;
    cio_pool *p = cio_pool_new(2);
    for (int i = 0; i < 2; i++)
        cio_task_detach(cio_pool_spawn(p, counted_sleep, (void *)1000));
    CHECK_EQ(cio_pool_running(p), 2);
    CHECK_EQ(cio_pool_free(p), -EBUSY);
    CHECK_EQ(cio_pool_kill(p), 2);
    CHECK_EQ(CIO_AWAIT(cio_pool_join(p, CIO_NO_TIMEOUT)), 0);
    CHECK_EQ(g_running, 0);

    /* cancelling a map cancels what it started and waits for it */
    cio_task *m = cio_spawn(map_then_cancel, p);
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(2))), 0);
    CHECK_EQ(cio_pool_running(p), 2);
    cio_task_cancel(m);
    CHECK_EQ(CIO_AWAIT(m), -ECANCELED);
    CHECK_EQ(cio_pool_running(p), 0);
    CHECK_EQ(g_running, 0);
    CHECK_EQ(CIO_AWAIT(cio_pool_join(p, 0)), 0);
    CHECK_EQ(cio_pool_free(p), 0);
    return 0;
}

static void test_pool_kill_cancel(void) { CHECK_EQ(test_run(pool_kill_cancel, NULL), 0); }

int main(void)
{
    test_alloc_install();
    long before = test_alloc_live();
    RUN(test_group_ok);
    RUN(test_group_first_failure);
    RUN(test_group_owner_cancelled);
    RUN(test_pool);
    RUN(test_pool_unordered);
    RUN(test_pool_kill_cancel);
    CHECK_EQ(test_alloc_live(), before);
    return 0;
}
