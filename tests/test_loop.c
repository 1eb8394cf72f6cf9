/* test_loop.c [threads] — the loop API: call_soon/later/at ordering and cancel,
 * run_forever/stop, run_until_complete, free refusing while busy, ring
 * setup per configuration, SQ-full batching, running on another thread. */
#include <pthread.h>
#include <unistd.h>
#include "harness.h"

static char g_log[64];
static void append(void *arg)
{
    size_t n = strlen(g_log);
    g_log[n] = (char)(intptr_t)arg;
    g_log[n + 1] = 0;
}

static void stop_loop(void *arg) { cio_loop_stop(arg); }

static void test_call_soon_and_later_order(void)
{
    cio_loop *l = test_loop_new();
    g_log[0] = 0;
    uint64_t base = cio_loop_time_ns(l);
    CHECK(cio_loop_call_at(l, base + CIO_MS(3), append, (void *)'d') > 0);
    CHECK(cio_loop_call_at(l, base + CIO_MS(1), append, (void *)'b') > 0);
    CHECK(cio_loop_call_at(l, base + CIO_MS(1), append, (void *)'c') > 0); /* tie: start order */
    CHECK(cio_loop_call_soon(l, append, (void *)'a') > 0);
    int64_t x = cio_loop_call_later(l, CIO_MS(2), append, (void *)'x');
    int64_t y = cio_loop_call_soon(l, append, (void *)'y');
    CHECK_EQ(cio_loop_cancel(l, x), 0);
    CHECK_EQ(cio_loop_cancel(l, y), 0);
    CHECK_EQ(cio_loop_cancel(l, y), -ENOENT);
    CHECK(cio_loop_call_at(l, base + CIO_MS(5), stop_loop, l) > 0);
    CHECK_EQ(cio_loop_run_forever(l), 0);
    CHECK(!strcmp(g_log, "abcd"));
    CHECK_EQ(cio_loop_cancel(l, x), -ENOENT); /* ids are never reused */
    CHECK_EQ(cio_loop_cancel(l, 12345), -ENOENT);
    test_loop_free(l);
}

static void set_later(void *arg) { cio_future_set_result(arg, 17); }

static void test_run_until_complete_plain_future(void)
{
    cio_loop *l = test_loop_new();
    cio_future *f = cio_future_new(l);
    uint64_t t0 = cio_loop_time_ns(l);
    CHECK(cio_loop_call_later(l, CIO_MS(2), set_later, f) > 0);
    CHECK_EQ(cio_loop_run_until_complete(l, f), 17);
    CHECK(cio_loop_time_ns(l) >= t0 + CIO_MS(2));
    test_loop_free(l);
}

static void count_call(void *arg) { ++*(int *)arg; }

/* A future already done: one iteration runs what is queued, without
 * waiting for anything else (asyncio's run_until_complete does the same). */
static void test_run_until_complete_done_future(void)
{
    cio_loop *l = test_loop_new();
    alarm(10); /* it used to wait forever with nothing else on the loop */
    cio_future *f = cio_future_new(l);
    CHECK_EQ(cio_future_set_result(f, 7), 0);
    CHECK_EQ(cio_loop_run_until_complete(l, f), 7);
    f = cio_future_new(l);
    CHECK_EQ(cio_future_set_result(f, 8), 0);
    int calls = 0;
    CHECK(cio_loop_call_soon(l, count_call, &calls) > 0);
    CHECK_EQ(cio_loop_run_until_complete(l, f), 8);
    CHECK_EQ(calls, 1);
    alarm(0);
    test_loop_free(l);
}

static intptr_t sleepy(void *arg)
{
    return CIO_AWAIT(cio_sleep(CIO_MS(20)));
}

static void test_free_refuses_while_busy(void)
{
    cio_loop *l = test_loop_new();
    cio_task *t = cio_spawn_ex(l, sleepy, NULL, NULL);
    CHECK(cio_loop_alive(l) > 0);
    CHECK_EQ(cio_loop_free(l), -EBUSY); /* prints what is alive in debug builds */
    CHECK_EQ(cio_loop_run_until_complete(l, t), 0);
    test_loop_free(l);
}

static void test_stop_interrupts_run_until_complete(void)
{
    cio_loop *l = test_loop_new();
    cio_future *f = cio_future_new(l);
    cio_loop_call_later(l, CIO_MS(1), stop_loop, l);
    CHECK_EQ(cio_loop_run_until_complete(l, cio_future_retain(f)), -EINTR);
    cio_loop_call_soon(l, set_later, f);
    CHECK_EQ(cio_loop_run_until_complete(l, f), 17); /* the loop can run again */
    test_loop_free(l);
}

static void test_ring_setup_matches_mode(void)
{
    cio_loop *l = test_loop_new();
    unsigned flags = cio_loop_ring_flags(l);
    const char *ring = getenv("CIO_TEST_RING");
    bool defer = flags & (1u << 13), coop = flags & (1u << 8);
    if (ring && !strcmp(ring, "coop"))
        CHECK(!defer);
    if (ring && !strcmp(ring, "plain"))
        CHECK(!defer && !coop);
    printf("  ring flags 0x%x (%s)\n", flags, defer ? "DEFER_TASKRUN" : coop ? "COOP_TASKRUN" : "plain");
    test_loop_free(l);
}

static intptr_t nopper(void *arg)
{
    for (int i = 0; i < 10; i++)
        CHECK_EQ(CIO_AWAIT(cio_nop()), 0);
    return 1;
}

static intptr_t many_nops(void *arg)
{
    enum { N = 1000 };
    static cio_task *t[N];
    for (int i = 0; i < N; i++)
        t[i] = cio_spawn(nopper, NULL);
    intptr_t sum = 0;
    for (int i = 0; i < N; i++)
        sum += CIO_AWAIT(t[i]);
    return sum;
}

static void test_many_ops_in_flight(void) { CHECK_EQ(test_run(many_nops, NULL), 1000); }

/* More operations parked in the kernel than the CQ has entries must not
 * hold back a later one: with IORING_FEAT_NODROP the loop sets no cap, and a
 * read on a second pipe completes while 3,000 reads wait on the first. */
static intptr_t parked_reads(void *arg)
{
    enum { N = 3000 };
    static char bytes[N];
    static cio_future *r[N];
    int idle[2], ping[2];
    CHECK_EQ(pipe(idle), 0);
    CHECK_EQ(pipe(ping), 0);
    for (int i = 0; i < N; i++)
        r[i] = cio_file_read(idle[0], &bytes[i], 1, -1);
    CHECK_EQ(CIO_AWAIT(cio_sleep(1000000)), 0); /* all of them submitted and parked */
    char c = 0;
    cio_future *got = cio_with_timeout(cio_file_read(ping[0], &c, 1, -1), 2000000000ull);
    CHECK_EQ(write(ping[1], "p", 1), 1);
    CHECK_EQ(CIO_AWAIT(got), 1);
    static char fill[N];
    CHECK_EQ(write(idle[1], fill, N), N);
    intptr_t sum = 0;
    for (int i = 0; i < N; i++)
        sum += CIO_AWAIT(r[i]);
    for (int i = 0; i < 2; i++)
        CHECK(close(idle[i]) == 0 && close(ping[i]) == 0);
    return sum;
}

static void test_parked_ops_beyond_cq_size(void)
{
    if (test_loop_opts().max_inflight) {
        printf("  (skipped: this configuration caps operations in flight)\n");
        return;
    }
    CHECK_EQ(test_run(parked_reads, NULL), 3000);
}

/* A task cancels a read it no longer wants and returns: the loop's free
 * waits for the kernel to confirm the cancel instead of reporting -EBUSY. */
static int g_pipe[2];

static intptr_t let_go(void *arg)
{
    (void)arg;
    static char c;
    cio_future *f = cio_file_read(g_pipe[0], &c, 1, -1);
    CHECK_EQ(CIO_AWAIT(cio_nop()), 0); /* the read is in the kernel now */
    cio_future_cancel(f);
    cio_future_release(f);
    return 7;
}

static void test_free_settles_cancelled_ops(void)
{
    CHECK_EQ(pipe(g_pipe), 0);
    cio_loop *l = test_loop_new();
    CHECK_EQ(cio_loop_run_until_complete(l, cio_spawn_ex(l, let_go, NULL, NULL)), 7);
    CHECK_EQ(cio_loop_free(l), 0);
    CHECK(close(g_pipe[0]) == 0 && close(g_pipe[1]) == 0);
}

/* With max_inflight = 1 and one read parked in the kernel, a read with a
 * 20 ms deadline waits in the loop's queue: it must fail with -ETIMEDOUT
 * at its deadline, not when (if ever) it reaches the ring (it used to wait
 * forever: the alarm ends the test then). A second, later deadline on the
 * same op changes nothing: the earlier one wins. Then a deadline that does
 * not expire leaves nothing behind once the queue moves, and cancelling a
 * queued op with a deadline frees its timer. */
static intptr_t queued_deadline(void *arg)
{
    int *p = arg;
    static char a, b, c;
    cio_future *first = cio_file_read(p[0], &a, 1, -1);
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(1))), 0); /* in the kernel now */
    uint64_t t0 = cio_loop_time_ns(cio_loop_current());
    alarm(10);
    cio_future *late = cio_with_timeout(cio_with_timeout(cio_file_read(p[0], &b, 1, -1), CIO_MS(20)), CIO_MS(2000));
    CHECK_EQ(CIO_AWAIT(late), -ETIMEDOUT);
    alarm(0);
    uint64_t took = cio_loop_time_ns(cio_loop_current()) - t0;
    CHECK(took >= CIO_MS(20) && took < CIO_MS(1000));
    cio_future *queued = cio_with_timeout(cio_file_read(p[0], &b, 1, -1), CIO_MS(5000));
    cio_future *dropped = cio_with_timeout(cio_file_read(p[0], &c, 1, -1), CIO_MS(5000));
    CHECK_EQ(cio_future_cancel(dropped), 1);
    CHECK_EQ(CIO_AWAIT(dropped), -ECANCELED);
    CHECK_EQ(write(p[1], "xy", 2), 2);
    CHECK_EQ(CIO_AWAIT(first), 1);
    CHECK_EQ(CIO_AWAIT(queued), 1); /* reached the ring, its loop timer gone */
    CHECK(a == 'x' && b == 'y');
    return 0;
}

static void test_queued_op_deadline(void)
{
    int p[2];
    CHECK_EQ(pipe(p), 0);
    cio_loop_opts o = test_loop_opts();
    o.max_inflight = 1;
    cio_loop *l = NULL;
    CHECK_EQ(cio_loop_new(&l, &o), 0);
    CHECK_EQ(cio_loop_run_until_complete(l, cio_spawn_ex(l, queued_deadline, p, NULL)), 0);
    CHECK_EQ(cio_loop_free(l), 0);
    CHECK(close(p[0]) == 0 && close(p[1]) == 0);
}

static void *run_on_thread(void *arg)
{
    cio_loop *l = arg;
    return (void *)cio_loop_run_until_complete(l, cio_spawn_ex(l, many_nops, NULL, NULL));
}

static void test_created_here_run_there(void)
{
    cio_loop *l = test_loop_new();
    pthread_t th;
    void *ret;
    CHECK_EQ(pthread_create(&th, NULL, run_on_thread, l), 0);
    CHECK_EQ(pthread_join(th, &ret), 0);
    CHECK_EQ((intptr_t)ret, 1000);
    test_loop_free(l);
}

static void test_bad_options(void)
{
    cio_loop *l = NULL;
    CHECK_EQ(cio_loop_new(NULL, NULL), -EINVAL);
    CHECK_EQ(cio_loop_new(&l, &(cio_loop_opts){ .sq_entries = 8, .cq_entries = 4 }), -EINVAL);
    CHECK_EQ(cio_loop_new(&l, &(cio_loop_opts){ .sq_entries = 1u << 20 }), -EINVAL);
    CHECK_EQ(cio_loop_new(&l, &(cio_loop_opts){ .sq_entries = 1 }), -EINVAL);
    CHECK_EQ(cio_loop_new(&l, &(cio_loop_opts){ .ring_mode = (enum cio_ring_mode)9 }), -EINVAL);
    CHECK(l == NULL);
    CHECK_EQ(cio_loop_free(NULL), -EINVAL);
    CHECK_EQ(cio_loop_call_soon(NULL, append, NULL), -EINVAL);
}

int main(void)
{
    test_alloc_install();
    long before = test_alloc_live();
    RUN(test_call_soon_and_later_order);
    RUN(test_run_until_complete_plain_future);
    RUN(test_run_until_complete_done_future);
    RUN(test_free_refuses_while_busy);
    RUN(test_stop_interrupts_run_until_complete);
    RUN(test_ring_setup_matches_mode);
    RUN(test_many_ops_in_flight);
    RUN(test_parked_ops_beyond_cq_size);
    RUN(test_free_settles_cancelled_ops);
    RUN(test_queued_op_deadline);
    RUN(test_created_here_run_there);
    RUN(test_bad_options);
    CHECK_EQ(test_alloc_live(), before);
    return 0;
}
