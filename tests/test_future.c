/* test_future.c — the future state machine and its done callbacks: never
 * run inside set_result, run in the order added, removable, and callbacks
 * on already-done (including static failed) futures run on the next
 * iteration. */
#include "harness.h"

static char g_log[32];

static intptr_t one_ms(void *arg) { return CIO_AWAIT(cio_sleep(CIO_MS(1))); }

/* A future on `l` that completes after a few iterations. */
static cio_future *cio_sleep_on(cio_loop *l) { return cio_spawn_ex(l, one_ms, NULL, NULL); }

static void cb(cio_future *f, void *arg)
{
    size_t n = strlen(g_log);
    g_log[n] = (char)(intptr_t)arg;
    g_log[n + 1] = 0;
    CHECK(cio_future_done(f));
}

static void test_callbacks_are_deferred_and_ordered(void)
{
    cio_loop *l = test_loop_new();
    g_log[0] = 0;
    cio_future *f = cio_future_new(l);
    CHECK_EQ(cio_future_add_done_callback(f, cb, (void *)'a'), 0);
    CHECK_EQ(cio_future_add_done_callback(f, cb, (void *)'x'), 0);
    CHECK_EQ(cio_future_add_done_callback(f, cb, (void *)'b'), 0);
    CHECK_EQ(cio_future_add_done_callback(f, cb, (void *)'c'), 0);
    CHECK_EQ(cio_future_remove_done_callback(f, cb, (void *)'x'), 1);
    CHECK_EQ(cio_future_result(f), -EAGAIN);
    CHECK_EQ(cio_future_set_result(f, 3), 0);
    CHECK_EQ(g_log[0], 0); /* not re-entrant: nothing ran yet */
    CHECK(cio_future_done(f));
    CHECK_EQ(cio_future_result(f), 3);
    CHECK_EQ(cio_loop_run_until_complete(l, cio_sleep_on(l)), 0);
    CHECK(!strcmp(g_log, "abc"));
    /* Added after completion: runs on a later iteration. */
    CHECK_EQ(cio_future_add_done_callback(f, cb, (void *)'d'), 0);
    CHECK(!strcmp(g_log, "abc"));
    cio_future_release(f);
    CHECK_EQ(cio_loop_run_until_complete(l, cio_sleep_on(l)), 0);
    CHECK(!strcmp(g_log, "abcd"));
    test_loop_free(l);
}

/* Callbacks beyond the first live in an array: freed with a future that
 * never completes, and freed once removals leave one callback or none. */
static intptr_t callback_array(void *arg)
{
    (void)arg;
    long live = test_alloc_live_unpooled();
    cio_future *f = cio_future_new(NULL);
    long with_future = test_alloc_live_unpooled(); /* live + 1 where the pools are off (sanitizers) */
    for (int i = 0; i < 10; i++)
        CHECK_EQ(cio_future_add_done_callback(f, cb, (void *)(intptr_t)('0' + i)), 0);
    CHECK_EQ(test_alloc_live_unpooled(), with_future + 1); /* one array for the nine after the first */
    cio_future_release(f); /* never completed: its callbacks go with it */
    CHECK_EQ(test_alloc_live_unpooled(), live);
    g_log[0] = 0;
    f = cio_future_new(NULL);
    CHECK_EQ(cio_future_add_done_callback(f, cb, (void *)'a'), 0);
    CHECK_EQ(cio_future_add_done_callback(f, cb, (void *)'b'), 0);
    CHECK_EQ(cio_future_remove_done_callback(f, cb, (void *)'a'), 1);
    CHECK_EQ(cio_future_remove_done_callback(f, cb, (void *)'b'), 1);
    CHECK_EQ(cio_future_remove_done_callback(f, cb, (void *)'b'), 0);
    CHECK_EQ(test_alloc_live_unpooled(), with_future); /* the array went when one callback was left */
    CHECK_EQ(cio_future_add_done_callback(f, cb, (void *)'c'), 0);
    CHECK_EQ(cio_future_set_result(f, 1), 0);
    CHECK_EQ(cio_yield(), 0); /* the callbacks run from the loop */
    CHECK(!strcmp(g_log, "c"));
    CHECK_EQ(CIO_AWAIT(f), 1);
    CHECK_EQ(test_alloc_live_unpooled(), live);
    return 0;
}

static void test_callback_array_lifetime(void) { CHECK_EQ(test_run(callback_array, NULL), 0); }

static void test_cancel_plain_future(void)
{
    cio_loop *l = test_loop_new();
    g_log[0] = 0;
    cio_future *f = cio_future_new(l);
    cio_future_add_done_callback(f, cb, (void *)'k');
    CHECK_EQ(cio_future_cancel(f), 1);
    CHECK_EQ(cio_future_cancel(f), 0);
    CHECK(cio_future_cancelled(f));
    CHECK_EQ(cio_future_result(f), -ECANCELED);
    CHECK_EQ(cio_future_set_result(f, 1), -EINVAL);
    CHECK_EQ(cio_loop_run_until_complete(l, f), -ECANCELED);
    CHECK(!strcmp(g_log, "k"));
    test_loop_free(l);
}

static intptr_t static_failed(void *arg)
{
    g_log[0] = 0;
    cio_future *f = cio_sleep(0); /* a real one, to compare */
    cio_future *bad = cio_file_open(NULL, 0, 0); /* an immortal failed future */
    CHECK(cio_future_done(bad));
    CHECK_EQ(cio_future_result(bad), -EINVAL);
    CHECK(cio_future_loop(bad) == NULL);
    CHECK_EQ(cio_future_add_done_callback(bad, cb, (void *)'s'), 0);
    cio_future_release(bad); /* harmless */
    CHECK_EQ(CIO_AWAIT(f), 0);
    CHECK(!strcmp(g_log, "s"));
    return CIO_AWAIT(bad);
}

static void test_static_failed_futures(void) { CHECK_EQ(test_run(static_failed, NULL), -EINVAL); }

int main(void)
{
    test_alloc_install();
    long before = test_alloc_live();
    RUN(test_callbacks_are_deferred_and_ordered);
    RUN(test_callback_array_lifetime);
    RUN(test_cancel_plain_future);
    RUN(test_static_failed_futures);
    CHECK_EQ(test_alloc_live(), before);
    return 0;
}
