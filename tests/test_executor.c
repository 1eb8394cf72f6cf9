/* test_executor.c — [threads] run_in_executor, cancellation, shutdown, the loop's
 * wakeup (both modes), thread-safe entry and the resolver pool. Real threads
 * throughout; run under TSan and ASan. */
#include <netdb.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <time.h>
#include "harness.h"

static enum cio_wakeup_mode g_mode;

static void nap_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static cio_loop *tloop(void)
{
    cio_loop *l = test_loop_new();
    CHECK_EQ(cio_loop_set_wakeup(l, g_mode), 0);
    CHECK_EQ(cio_loop_wakeup(l), g_mode);
    return l;
}

/* Runs the loop until jobs main left behind have delivered their late results. */
static void drain(cio_loop *l)
{
    while (cio_loop_alive(l))
        cio_loop_run_until_complete(l, cio_with_timeout(cio_future_new(l), CIO_MS(1)));
}

static intptr_t run_loop(cio_task_fn fn, void *arg)
{
    cio_loop *l = tloop();
    intptr_t r = cio_loop_run_until_complete(l, cio_spawn_ex(l, fn, arg, NULL));
    drain(l);
    test_loop_free(l);
    return r;
}

/* Runs fn as main of a fresh loop, then checks nothing is left allocated. */
static intptr_t run_main(cio_task_fn fn, void *arg)
{
    long live = test_alloc_live();
    intptr_t r = run_loop(fn, arg);
    CHECK_EQ(test_alloc_live(), live);
    return r;
}

/* ---- jobs ---------------------------------------------------------------- */

static intptr_t square(void *arg) { return (intptr_t)arg * (intptr_t)arg; }
static intptr_t fail_eio(void *arg) { (void)arg; return -EIO; }

static atomic_int g_gate;   /* jobs that wait, wait for this */
static atomic_int g_ran;    /* jobs that ran */

static intptr_t gated(void *arg)
{
    atomic_fetch_add(&g_ran, 1);
    while (!atomic_load(&g_gate))
        nap_ms(1);
    return (intptr_t)arg;
}

static intptr_t counted(void *arg)
{
    atomic_fetch_add(&g_ran, 1);
    return (intptr_t)arg;
}

static intptr_t until_cancelled(void *arg)
{
    (void)arg;
    atomic_fetch_add(&g_ran, 1);
    while (!cio_job_cancelled())
        nap_ms(1);
    atomic_store(&g_gate, 2); /* saw the flag */
    return 7;
}

/* ---- results and errors ----------------------------------------------------- */

static intptr_t basic_main(void *arg)
{
    (void)arg;
    cio_executor *ex;
    CHECK_EQ(cio_executor_new(&ex, 2), 0);
    CHECK_EQ(cio_executor_workers(ex), 2);
    for (intptr_t i = 0; i < 200; i++)
        CHECK_EQ(CIO_AWAIT(cio_run_in_executor(ex, square, (void *)i)), i * i);
    cio_future *f[64];
    for (intptr_t i = 0; i < 64; i++)
        f[i] = cio_run_in_executor(ex, i % 2 ? fail_eio : square, (void *)i);
    for (intptr_t i = 0; i < 64; i++)
        CHECK_EQ(CIO_AWAIT(f[i]), i % 2 ? -EIO : i * i);
    CHECK_EQ(CIO_AWAIT(cio_run_in_executor(ex, NULL, NULL)), -EINVAL);
    CHECK_EQ(cio_executor_free(ex), 0);
    return 1;
}

static void test_results_and_errors(void) { CHECK_EQ(run_main(basic_main, NULL), 1); }

static intptr_t default_main(void *arg)
{
    (void)arg;
    CHECK_EQ(CIO_AWAIT(cio_run_in_executor(NULL, square, (void *)9)), 81);
    CHECK_EQ(CIO_AWAIT(cio_to_thread(square, (void *)5)), 25);
    CHECK_EQ(CIO_AWAIT(cio_to_thread(fail_eio, NULL)), -EIO);
    return 2;
}

static void test_default_executor(void)
{
    CHECK_EQ(run_main(default_main, NULL), 2); /* the loop frees its default executor */
    CHECK_EQ(CIO_AWAIT(cio_to_thread(square, NULL)), -EPERM); /* no loop: a failed future */
}

/* From a plain loop callback, not a task. */
static void on_job_done(cio_future *f, void *arg)
{
    cio_future_set_result(arg, cio_future_result(f));
}

static void submit_from_callback(void *arg)
{
    cio_future *f = cio_run_in_executor(NULL, square, (void *)12);
    CHECK_EQ(cio_future_add_done_callback(f, on_job_done, arg), 0);
    cio_future_release(f);
}

static void test_from_callback(void)
{
    long live = test_alloc_live();
    cio_loop *l = tloop();
    cio_future *done = cio_future_new(l);
    CHECK(cio_loop_call_soon(l, submit_from_callback, done) > 0);
    CHECK_EQ(cio_loop_run_until_complete(l, done), 144);
    test_loop_free(l);
    CHECK_EQ(test_alloc_live(), live);
}

/* ---- cancellation ---------------------------------------------------------- */

static intptr_t cancel_queued_main(void *arg)
{
    (void)arg;
    cio_executor *ex;
    CHECK_EQ(cio_executor_new(&ex, 1), 0);
    atomic_store(&g_gate, 0);
    atomic_store(&g_ran, 0);
    cio_future *a = cio_run_in_executor(ex, gated, (void *)1);
    cio_future *b = cio_run_in_executor(ex, counted, (void *)2);
    while (atomic_load(&g_ran) == 0)
        CIO_AWAIT(cio_sleep(CIO_MS(1))); /* a is running, b is queued */
    CHECK_EQ(cio_future_cancel(b), 1);
    CHECK(cio_future_cancelled(b));
    atomic_store(&g_gate, 1);
    CHECK_EQ(CIO_AWAIT(a), 1);
    CHECK_EQ(CIO_AWAIT(b), -ECANCELED);
    CHECK_EQ(cio_executor_free(ex), 0);
    CHECK_EQ(atomic_load(&g_ran), 1); /* b never ran */
    return 3;
}

static void test_cancel_queued(void) { CHECK_EQ(run_main(cancel_queued_main, NULL), 3); }

static intptr_t cancel_running_main(void *arg)
{
    (void)arg;
    atomic_store(&g_gate, 0);
    atomic_store(&g_ran, 0);
    cio_future *f = cio_run_in_executor(NULL, until_cancelled, NULL);
    while (atomic_load(&g_ran) == 0)
        CIO_AWAIT(cio_sleep(CIO_MS(1)));
    cio_future_retain(f);
    CHECK_EQ(cio_future_cancel(f), 1);
    CHECK(cio_future_done(f)); /* completed at once */
    CHECK_EQ(CIO_AWAIT(f), -ECANCELED);
    CHECK_EQ(cio_future_result(f), -ECANCELED); /* the late 7 is discarded */
    cio_future_release(f);
    /* A deadline on a running job: -ETIMEDOUT, the job sees the flag. */
    atomic_store(&g_ran, 0);
    CHECK_EQ(CIO_AWAIT(cio_with_timeout(cio_run_in_executor(NULL, until_cancelled, NULL), CIO_MS(20))), -ETIMEDOUT);
    return 4;
}

static void test_cancel_running(void)
{
    CHECK_EQ(run_main(cancel_running_main, NULL), 4);
    CHECK_EQ(atomic_load(&g_gate), 2); /* the job saw cio_job_cancelled() */
    CHECK(!cio_job_cancelled());       /* false outside jobs */
}

static int g_outcomes;
static void count_outcome(cio_future *f, void *arg)
{
    intptr_t want = (intptr_t)arg, r = cio_future_result(f);
    CHECK(r == want || r == -ECANCELED);
    g_outcomes++;
}

/* Cancels jobs at every stage (queued, running, finished but not yet
 * delivered): each future gets exactly one outcome and nothing leaks. */
static intptr_t cancel_race_main(void *arg)
{
    (void)arg;
    cio_executor *ex;
    CHECK_EQ(cio_executor_new(&ex, 2), 0);
    g_outcomes = 0;
    enum { N = 3000 };
    for (int round = 0; round < N / 100; round++) {
        cio_future *f[100];
        for (intptr_t i = 0; i < 100; i++) {
            f[i] = cio_run_in_executor(ex, square, (void *)i);
            CHECK_EQ(cio_future_add_done_callback(f[i], count_outcome, (void *)(i * i)), 0);
        }
        for (int i = 0; i < 100; i += 1 + round % 3) {
            if (round % 2)
                cio_yield();
            cio_future_cancel(f[i]);
        }
        for (int i = 0; i < 100; i++)
            CIO_AWAIT(f[i]);
    }
    CHECK_EQ(cio_executor_free(ex), 0);
    CIO_AWAIT(cio_sleep(0)); /* let the last done callbacks run */
    CHECK_EQ(g_outcomes, N);
    return 5;
}

static void test_cancel_races_completion(void) { CHECK_EQ(run_main(cancel_race_main, NULL), 5); }

/* ---- shutdown --------------------------------------------------------------- */

static intptr_t free_queued_main(void *arg)
{
    (void)arg;
    cio_executor *ex;
    CHECK_EQ(cio_executor_new(&ex, 1), 0);
    atomic_store(&g_gate, 0);
    atomic_store(&g_ran, 0);
    cio_future *f[10];
    for (intptr_t i = 0; i < 10; i++)
        f[i] = cio_run_in_executor(ex, gated, (void *)i);
    while (atomic_load(&g_ran) == 0)
        CIO_AWAIT(cio_sleep(CIO_MS(1)));
    CHECK_EQ(cio_executor_shutdown(ex, false, true), 0); /* drops f[1..9] */
    atomic_store(&g_gate, 1);
    CHECK_EQ(cio_executor_free(ex), 0); /* waits for f[0] */
    CHECK_EQ(CIO_AWAIT(f[0]), 0);
    for (int i = 1; i < 10; i++)
        CHECK_EQ(CIO_AWAIT(f[i]), -ECANCELED);
    CHECK_EQ(atomic_load(&g_ran), 1);
    return 6;
}

static void test_free_with_queued_work(void) { CHECK_EQ(run_main(free_queued_main, NULL), 6); }

static intptr_t shutdown_nowait_main(void *arg)
{
    (void)arg;
    cio_executor *ex;
    CHECK_EQ(cio_executor_new(&ex, 2), 0);
    cio_future *f[20];
    for (intptr_t i = 0; i < 20; i++)
        f[i] = cio_run_in_executor(ex, square, (void *)i);
    CHECK_EQ(cio_executor_shutdown(ex, false, false), 0); /* queued jobs still run */
    CHECK_EQ(CIO_AWAIT(cio_run_in_executor(ex, square, (void *)3)), -ESHUTDOWN);
    for (intptr_t i = 0; i < 20; i++)
        CHECK_EQ(CIO_AWAIT(f[i]), i * i);
    CHECK_EQ(cio_executor_shutdown(ex, true, false), 0); /* idempotent */
    CHECK_EQ(cio_executor_free(ex), 0);
    return 7;
}

static void test_shutdown_semantics(void) { CHECK_EQ(run_main(shutdown_nowait_main, NULL), 7); }

static intptr_t slow_job(void *arg)
{
    nap_ms((long)(intptr_t)arg);
    atomic_fetch_add(&g_ran, 1);
    return 1;
}

/* main returns while jobs are still running (their futures released or
 * cancelled): cio_run waits for their late results before freeing the loop. */
static intptr_t abandon_main(void *arg)
{
    (void)arg;
    for (intptr_t i = 0; i < 20; i++) {
        cio_future *f = cio_run_in_executor(NULL, slow_job, (void *)(1 + i % 5));
        if (i % 2)
            cio_future_cancel(f);
        cio_future_release(f);
    }
    return 8;
}

static void test_jobs_finish_while_loop_shuts_down(void)
{
    long live = test_alloc_live();
    atomic_store(&g_ran, 0);
    cio_loop_opts o = test_loop_opts();
    CHECK_EQ(cio_run(abandon_main, NULL, &o), 8);
    CHECK_EQ(test_alloc_live(), live);
    CHECK(atomic_load(&g_ran) >= 10); /* the uncancelled ones ran to the end */
}

/* One executor shared by several loops, each on its own thread, with
 * cancellations mixed in; the executor is freed from yet another thread
 * only after every loop is done. */
static cio_executor *g_shared;

static intptr_t shared_main(void *arg)
{
    (void)arg;
    intptr_t sum = 0;
    for (intptr_t round = 0; round < 50; round++) {
        cio_future *f[20];
        for (intptr_t i = 0; i < 20; i++)
            f[i] = cio_run_in_executor(g_shared, square, (void *)i);
        if (round % 3 == 0)
            cio_future_cancel(f[round % 20]);
        for (intptr_t i = 0; i < 20; i++) {
            intptr_t r = CIO_AWAIT(f[i]);
            CHECK(r == i * i || r == -ECANCELED);
            sum += r == -ECANCELED ? 0 : 1;
        }
    }
    return sum;
}

static void *shared_loop_thread(void *arg)
{
    *(intptr_t *)arg = run_loop(shared_main, NULL);
    return NULL;
}

static void test_executor_shared_by_loops(void)
{
    long live = test_alloc_live();
    CHECK_EQ(cio_executor_new(&g_shared, 3), 0);
    pthread_t th[4];
    intptr_t got[4];
    for (int i = 0; i < 4; i++)
        CHECK_EQ(pthread_create(&th[i], NULL, shared_loop_thread, &got[i]), 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK(got[i] >= 50 * 19 && got[i] <= 50 * 20);
    }
    CHECK_EQ(cio_executor_free(g_shared), 0);
    CHECK_EQ(test_alloc_live(), live);
}

/* Another thread frees the executor while this loop awaits queued jobs:
 * the running one finishes, the queued ones come back -ECANCELED. */
static void *free_later(void *arg)
{
    while (atomic_load(&g_ran) == 0)
        nap_ms(1);
    nap_ms(5);
    CHECK_EQ(cio_executor_shutdown(arg, false, true), 0); /* drops the queued ones */
    atomic_store(&g_gate, 1);
    CHECK_EQ(cio_executor_free(arg), 0); /* waits for the running one */
    return NULL;
}

static intptr_t foreign_free_main(void *arg)
{
    cio_executor *ex = arg;
    cio_future *f[6];
    for (intptr_t i = 0; i < 6; i++)
        f[i] = cio_run_in_executor(ex, gated, (void *)(i + 1));
    CHECK_EQ(CIO_AWAIT(f[0]), 1);
    for (int i = 1; i < 6; i++)
        CHECK_EQ(CIO_AWAIT(f[i]), -ECANCELED);
    return 12;
}

static void test_free_from_another_thread(void)
{
    cio_executor *ex;
    CHECK_EQ(cio_executor_new(&ex, 1), 0);
    atomic_store(&g_gate, 0);
    atomic_store(&g_ran, 0);
    pthread_t th;
    CHECK_EQ(pthread_create(&th, NULL, free_later, ex), 0);
    CHECK_EQ(run_loop(foreign_free_main, ex), 12);
    pthread_join(th, NULL);
    CHECK_EQ(atomic_load(&g_ran), 1);
}

/* ---- no polling ------------------------------------------------------------ */

static double thread_cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static intptr_t idle_main(void *arg)
{
    double t0 = thread_cpu_ms();
    CHECK_EQ(CIO_AWAIT(cio_run_in_executor(NULL, slow_job, (void *)1000)), 1);
    *(double *)arg = thread_cpu_ms() - t0;
    return 9;
}

static void test_idle_loop_uses_no_cpu(void)
{
    double cpu_ms = 0;
    CHECK_EQ(run_main(idle_main, &cpu_ms), 9);
    printf("  loop thread CPU while waiting 1 s: %.3f ms\n", cpu_ms);
    CHECK(cpu_ms < 10.0);
}

/* ---- call_soon_threadsafe --------------------------------------------------- */

enum { TS_THREADS = 8, TS_CALLS = 5000 };

typedef struct ts_state {
    cio_loop *loop;
    cio_future *all_done;
    long count;               /* loop thread only */
    int last[TS_THREADS];     /* per-thread order check, loop thread only */
} ts_state;

typedef struct ts_msg {
    ts_state *st;
    int thread, seq;
} ts_msg;

static ts_msg g_msgs[TS_THREADS][TS_CALLS];

static void ts_cb(void *arg)
{
    ts_msg *m = arg;
    CHECK_EQ(m->seq, m->st->last[m->thread] + 1); /* FIFO per caller */
    m->st->last[m->thread] = m->seq;
    if (++m->st->count == TS_THREADS * TS_CALLS)
        cio_future_set_result(m->st->all_done, 0);
}

static void *ts_thread(void *arg)
{
    ts_msg *msgs = arg;
    for (int i = 0; i < TS_CALLS; i++)
        CHECK_EQ(cio_loop_call_soon_threadsafe(msgs[i].st->loop, ts_cb, &msgs[i]), 0);
    return NULL;
}

static void test_many_threads_call_soon_threadsafe(void)
{
    long live = test_alloc_live();
    ts_state st = { .loop = tloop() };
    memset(st.last, 0xff, sizeof st.last);
    st.all_done = cio_future_new(st.loop);
    pthread_t th[TS_THREADS];
    for (int t = 0; t < TS_THREADS; t++) {
        for (int i = 0; i < TS_CALLS; i++)
            g_msgs[t][i] = (ts_msg){ &st, t, i };
        CHECK_EQ(pthread_create(&th[t], NULL, ts_thread, g_msgs[t]), 0);
    }
    CHECK_EQ(cio_loop_run_until_complete(st.loop, st.all_done), 0);
    for (int t = 0; t < TS_THREADS; t++)
        pthread_join(th[t], NULL);
    CHECK_EQ(st.count, TS_THREADS * TS_CALLS);
    test_loop_free(st.loop);
    CHECK_EQ(test_alloc_live(), live);
}

/* ---- run_coroutine_threadsafe ------------------------------------------------ */

static void stop_loop(void *arg) { cio_loop_stop(arg); }

static void *loop_thread(void *arg)
{
    cio_loop *l = arg;
    cio_loop_run_forever(l);
    return NULL;
}

static atomic_int g_remote_cancelled;

static intptr_t remote_add(void *arg)
{
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(1))), 0);
    return (intptr_t)arg + 1000;
}

static intptr_t remote_forever(void *arg)
{
    (void)arg;
    intptr_t r = CIO_AWAIT(cio_sleep(CIO_MS(60000)));
    if (r == -ECANCELED)
        atomic_store(&g_remote_cancelled, 1);
    return r;
}

static intptr_t spawn_ts_main(void *arg)
{
    cio_loop *other = arg;
    CHECK_EQ(CIO_AWAIT(cio_spawn_threadsafe(other, remote_add, (void *)5)), 1005);
    cio_future *f[50];
    for (intptr_t i = 0; i < 50; i++)
        f[i] = cio_spawn_threadsafe(other, remote_add, (void *)i);
    for (intptr_t i = 0; i < 50; i++)
        CHECK_EQ(CIO_AWAIT(f[i]), 1000 + i);
    /* Cancel: the local future completes at once, the remote task is cancelled. */
    CHECK_EQ(CIO_AWAIT(cio_with_timeout(cio_spawn_threadsafe(other, remote_forever, NULL), CIO_MS(10))), -ETIMEDOUT);
    CHECK_EQ(CIO_AWAIT(cio_spawn_threadsafe(cio_loop_current(), remote_add, NULL)), -EINVAL);
    return 10;
}

static void test_spawn_threadsafe_between_loops(void)
{
    long live = test_alloc_live();
    atomic_store(&g_remote_cancelled, 0);
    cio_loop *other = tloop();
    pthread_t th;
    CHECK_EQ(pthread_create(&th, NULL, loop_thread, other), 0);
    CHECK_EQ(run_loop(spawn_ts_main, other), 10); /* `other` allocates meanwhile */
    while (!atomic_load(&g_remote_cancelled))
        nap_ms(1);
    CHECK_EQ(cio_run_threadsafe(other, remote_add, (void *)1), 1001); /* blocking form */
    CHECK_EQ(cio_loop_call_soon_threadsafe(other, stop_loop, other), 0);
    pthread_join(th, NULL);
    test_loop_free(other);
    CHECK_EQ(test_alloc_live(), live);
}

/* ---- getaddrinfo ------------------------------------------------------------- */

static intptr_t resolve_main(void *arg)
{
    (void)arg;
    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST };
    intptr_t r = CIO_AWAIT(cio_getaddrinfo("127.0.0.1", "8080", &hints));
    CHECK(r > 0);
    struct addrinfo *ai = (struct addrinfo *)r;
    struct sockaddr_in *sin = (struct sockaddr_in *)ai->ai_addr;
    CHECK_EQ(ntohs(sin->sin_port), 8080);
    CHECK_EQ(sin->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    freeaddrinfo(ai);
    CHECK_EQ(CIO_AWAIT(cio_getaddrinfo("not-a-number", NULL, &hints)), -ENOENT);
    hints.ai_family = 12345;
    CHECK_EQ(CIO_AWAIT(cio_getaddrinfo("127.0.0.1", NULL, &hints)), -EAFNOSUPPORT);
    CHECK_EQ(CIO_AWAIT(cio_getaddrinfo(NULL, NULL, NULL)), -EINVAL);
    hints.ai_family = AF_UNSPEC;
    /* Abandoned and cancelled lookups free their own results (LSan checks). */
    for (int i = 0; i < 20; i++) {
        cio_future *f = cio_getaddrinfo("::1", "80", &hints);
        if (i % 2)
            cio_future_cancel(f);
        cio_future_release(f);
    }
    /* The resolver pool is not the default executor: a busy executor does
     * not delay a lookup. */
    atomic_store(&g_gate, 0);
    cio_future *busy[8];
    for (int i = 0; i < 8; i++)
        busy[i] = cio_run_in_executor(NULL, gated, NULL);
    r = CIO_AWAIT(cio_getaddrinfo("127.0.0.1", NULL, &(struct addrinfo){ .ai_flags = AI_NUMERICHOST }));
    CHECK(r > 0);
    freeaddrinfo((struct addrinfo *)r);
    atomic_store(&g_gate, 1);
    for (int i = 0; i < 8; i++)
        CIO_AWAIT(busy[i]);
    return 11;
}

static void test_getaddrinfo(void) { CHECK_EQ(run_main(resolve_main, NULL), 11); }

/* ---- allocation failures -------------------------------------------------- */

static intptr_t nomem_main(void *arg)
{
    (void)arg;
    test_alloc_fail_after(1);
    CHECK_EQ(cio_loop_call_soon_threadsafe(cio_loop_current(), stop_loop, NULL), -ENOMEM);
    test_alloc_fail_after(1);
    CHECK_EQ(CIO_AWAIT(cio_getaddrinfo("127.0.0.1", "80", NULL)), -ENOMEM);
    test_alloc_fail_after(0);
    intptr_t r = CIO_AWAIT(cio_getaddrinfo("127.0.0.1", "80", &(struct addrinfo){ .ai_flags = AI_NUMERICHOST }));
    CHECK(r > 0);
    freeaddrinfo((struct addrinfo *)r);
    cio_executor *ex;
    test_alloc_fail_after(1);
    CHECK_EQ(cio_executor_new(&ex, 2), -ENOMEM);
    return 13;
}

static void test_out_of_memory(void) { CHECK_EQ(run_main(nomem_main, NULL), 13); }

/* ---- the wakeup's own contract -------------------------------------------- */

static void test_wakeup_modes(void)
{
    cio_loop *l = test_loop_new();
    CHECK(cio_loop_wakeup(l) == CIO_WAKEUP_EVENTFD || cio_loop_wakeup(l) == CIO_WAKEUP_MSG_RING);
    CHECK_EQ(cio_loop_set_wakeup(l, (enum cio_wakeup_mode)9), -EINVAL);
    CHECK_EQ(cio_loop_set_wakeup(l, CIO_WAKEUP_EVENTFD), 0);
    CHECK_EQ(cio_loop_call_soon_threadsafe(l, stop_loop, l), 0);
    CHECK_EQ(cio_loop_set_wakeup(l, CIO_WAKEUP_AUTO), -EBUSY); /* a call is queued */
    CHECK(cio_loop_alive(l) > 0);
    CHECK_EQ(cio_loop_free(l), -EBUSY);
    CHECK_EQ(cio_loop_run_forever(l), 0);
    test_loop_free(l);
}

/* Runs the MSG_RING tests again in a child forced onto the pre-6.13 sender
 * (a small ring per posting thread instead of IORING_REGISTER_SEND_MSG_RING). */
static void test_msg_ring_own_ring_sender(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        setenv("CIO_TEST_MSG_RING_OWN_RING", "1", 1);
        execl("/proc/self/exe", "test_executor", "msg_ring", (char *)NULL);
        _exit(127);
    }
    int st;
    CHECK_EQ(waitpid(pid, &st, 0), pid);
    CHECK(WIFEXITED(st));
    CHECK_EQ(WEXITSTATUS(st), 0);
}

int main(int argc, char **argv)
{
    test_alloc_install();
    bool only_msg_ring = argc > 1 && !strcmp(argv[1], "msg_ring");
    if (!only_msg_ring)
        RUN(test_wakeup_modes);
    enum cio_wakeup_mode modes[] = { CIO_WAKEUP_EVENTFD, CIO_WAKEUP_MSG_RING };
    for (int m = only_msg_ring ? 1 : 0; m < 2; m++) {
        g_mode = modes[m];
        cio_loop *probe = test_loop_new();
        int rc = cio_loop_set_wakeup(probe, g_mode);
        test_loop_free(probe);
        if (rc == -EOPNOTSUPP) {
            printf("# MSG_RING unsupported here; skipping that mode\n");
            continue;
        }
        printf("# wakeup mode %s\n", g_mode == CIO_WAKEUP_EVENTFD ? "eventfd" : "msg_ring");
        RUN(test_results_and_errors);
        RUN(test_default_executor);
        RUN(test_from_callback);
        RUN(test_cancel_queued);
        RUN(test_cancel_running);
        RUN(test_cancel_races_completion);
        RUN(test_free_with_queued_work);
        RUN(test_shutdown_semantics);
        RUN(test_jobs_finish_while_loop_shuts_down);
        RUN(test_executor_shared_by_loops);
        RUN(test_free_from_another_thread);
        RUN(test_many_threads_call_soon_threadsafe);
        RUN(test_spawn_threadsafe_between_loops);
        RUN(test_getaddrinfo);
        RUN(test_out_of_memory);
        RUN(test_idle_loop_uses_no_cpu);
        if (g_mode == CIO_WAKEUP_MSG_RING && !only_msg_ring)
            RUN(test_msg_ring_own_ring_sender);
    }
    return 0;
}
