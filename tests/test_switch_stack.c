/* test_switch_stack.c — [threads] the fast paths the benchmarks tuned: per-task
 * floating-point control words across switches, stacks reused after the
 * pool has given their memory back (batched trimming), many stacks from
 * fresh chunks (batched guards), sleeps (relative and absolute) never
 * ending early with timer slack, loop time read lazily, tasks handing the
 * CPU straight to the next ready task (yield and await), with cancellation
 * in the mix, and iterations started by a yielding task without a trip
 * through the loop's stack, which must neither reorder work nor starve
 * timers, I/O or other threads. */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include "harness.h"

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#if defined(__x86_64__)
static unsigned get_mxcsr(void)
{
    unsigned v;
    __asm__ volatile("stmxcsr %0" : "=m"(v));
    return v;
}
static void set_mxcsr(unsigned v) { __asm__ volatile("ldmxcsr %0" : : "m"(v)); }
static unsigned short get_x87cw(void)
{
    unsigned short v;
    __asm__ volatile("fnstcw %0" : "=m"(v));
    return v;
}
static void set_x87cw(unsigned short v) { __asm__ volatile("fldcw %0" : : "m"(v)); }

#define MXCSR_ROUND_UP 0x4000u
#define X87_ROUND_UP 0x0800u

/* Switches its rounding mode to "up", yields a few times and checks it
 * kept its mode while the other task kept the default one. */
static intptr_t fp_changer(void *arg)
{
    (void)arg;
    unsigned m = get_mxcsr();
    unsigned short cw = get_x87cw();
    set_mxcsr((m & ~0x6000u) | MXCSR_ROUND_UP);
    set_x87cw((unsigned short)((cw & ~0x0C00u) | X87_ROUND_UP));
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(cio_yield(), 0);
        CHECK_EQ(get_mxcsr() & 0x6000u, MXCSR_ROUND_UP);
        CHECK_EQ(get_x87cw() & 0x0C00u, X87_ROUND_UP);
    }
    set_mxcsr(m);
    set_x87cw(cw);
    return 0;
}

static intptr_t fp_default(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(cio_yield(), 0);
        CHECK_EQ(get_mxcsr() & 0x6000u, 0);
        CHECK_EQ(get_x87cw() & 0x0C00u, 0);
    }
    return 0;
}

static intptr_t fp_main(void *arg)
{
    (void)arg;
    cio_task *a = cio_spawn(fp_changer, NULL);
    cio_task *b = cio_spawn(fp_default, NULL);
    CHECK_EQ(CIO_AWAIT(a), 0);
    CHECK_EQ(CIO_AWAIT(b), 0);
    CHECK_EQ(get_mxcsr() & 0x6000u, 0);
    return 0;
}
#endif

static void test_fp_control_per_task(void)
{
#if defined(__x86_64__)
    CHECK_EQ(test_run(fp_main, NULL), 0);
#endif
}

/* Fills a page of its stack, yields, and checks it is intact. */
static intptr_t stack_user(void *arg)
{
    volatile unsigned char buf[4096];
    unsigned char seed = (unsigned char)(intptr_t)arg;
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(seed + i);
    CHECK_EQ(cio_yield(), 0);
    for (size_t i = 0; i < sizeof buf; i++)
        CHECK_EQ(buf[i], (unsigned char)(seed + i));
    return seed;
}

enum { WAVE = 300 };

/* Two waves of WAVE concurrent tasks: the first wave's stacks are mostly
 * trimmed (stack_cache is 4) and the second wave reuses them cold. */
static intptr_t waves(void *arg)
{
    (void)arg;
    static cio_task *t[WAVE];
    for (int wave = 0; wave < 2; wave++) {
        for (int i = 0; i < WAVE; i++)
            t[i] = cio_spawn(stack_user, (void *)(intptr_t)(i + wave));
        for (int i = 0; i < WAVE; i++)
            CHECK_EQ(CIO_AWAIT(t[i]), (unsigned char)(i + wave));
    }
    return 0;
}

static void test_stacks_trimmed_and_reused(void)
{
    cio_loop_opts o = test_loop_opts();
    o.stack_cache = 4;
    CHECK_EQ(cio_run(waves, NULL, &o), 0);
}

static intptr_t sleep_not_early(void *arg)
{
    (void)arg;
    for (uint64_t us = 1; us <= 4000; us *= 4) {
        uint64_t t0 = now_ns();
        CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_US(us))), 0);
        CHECK(now_ns() - t0 >= CIO_US(us));
    }
    return 0;
}

static void test_sleep_never_early(void)
{
    CHECK_EQ(test_run(sleep_not_early, NULL), 0);
}

typedef struct until_job {
    uint64_t when;
    char tag;
} until_job;

static char until_log[8];

static intptr_t until_one(void *arg)
{
    const until_job *j = arg;
    CHECK_EQ(CIO_AWAIT(cio_sleep_until(j->when)), 0);
    CHECK(now_ns() >= j->when);
    until_log[strlen(until_log)] = j->tag;
    return 0;
}

/* Deadlines armed in one order wake in deadline order: they are absolute,
 * so unlike relative sleeps, when each task first runs does not matter. */
static void sleep_until_order(void)
{
    uint64_t base = cio_loop_time_ns(cio_loop_current()) + CIO_MS(5);
    until_job jobs[3] = { { base + CIO_MS(3), 'c' }, { base + CIO_MS(1), 'a' }, { base + CIO_MS(2), 'b' } };
    cio_task *t[3];
    memset(until_log, 0, sizeof until_log);
    for (int i = 0; i < 3; i++)
        t[i] = cio_spawn(until_one, &jobs[i]);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(CIO_AWAIT(t[i]), 0);
    CHECK(!strcmp(until_log, "abc"));
}

/* A periodic schedule (when += period) never wakes before its deadline; a
 * deadline already past completes with 0 on a later iteration, not inside
 * the call; cancelling removes the timer. */
static intptr_t sleep_until_cases(void *arg)
{
    (void)arg;
    cio_loop *l = cio_loop_current();
    uint64_t when = cio_loop_time_ns(l);
    for (int k = 0; k < 5; k++) {
        when += CIO_MS(2);
        CHECK_EQ(CIO_AWAIT(cio_sleep_until(when)), 0);
        CHECK(now_ns() >= when);
    }
    sleep_until_order();
    size_t alive = cio_loop_alive(l);
    cio_future *past = cio_sleep_until(0);
    CHECK(!cio_future_done(past));
    CHECK_EQ(CIO_AWAIT(past), 0);
    cio_future *never = cio_sleep_until(UINT64_MAX);
    CHECK(cio_loop_alive(l) > alive);
    CHECK_EQ(cio_future_cancel(never), 1);
    CHECK_EQ(CIO_AWAIT(never), -ECANCELED);
    CHECK_EQ(cio_loop_alive(l), alive);
    return 0;
}

static void test_sleep_until(void)
{
    CHECK_EQ(test_run(sleep_until_cases, NULL), 0);
    cio_future *f = cio_sleep_until(0); /* no loop on this thread now */
    CHECK(cio_future_done(f));
    CHECK_EQ(cio_future_result(f), -EPERM);
    cio_future_release(f);
}

/* Loop time must be fresh even after iterations that did not read it. */
static intptr_t loop_time_fresh(void *arg)
{
    (void)arg;
    cio_loop *l = cio_loop_current();
    for (int i = 0; i < 100; i++)
        CHECK_EQ(cio_yield(), 0);
    uint64_t before = now_ns();
    CHECK_EQ(cio_yield(), 0);
    CHECK(cio_loop_time_ns(l) >= before);
    return 0;
}

static void test_loop_time_fresh(void)
{
    CHECK_EQ(test_run(loop_time_fresh, NULL), 0);
}

enum { NOPPERS = 40, NOPS = 300 };
static int g_done[NOPPERS];

/* Awaits NOPS no-ops, counting them; yields now and then. */
static intptr_t nopper(void *arg)
{
    int id = (int)(intptr_t)arg;
    for (int i = 0; i < NOPS; i++) {
        intptr_t r = CIO_AWAIT(cio_nop());
        if (r == -ECANCELED)
            return -ECANCELED;
        CHECK_EQ(r, 0);
        g_done[id]++;
        if (i % 17 == id % 17 && cio_yield() == -ECANCELED)
            return -ECANCELED;
    }
    return id;
}

/* Awaits a child that awaits a grandchild: task futures with one waiter. */
static intptr_t chain(void *arg)
{
    intptr_t depth = (intptr_t)arg;
    if (depth == 0)
        return CIO_AWAIT(cio_nop()) == 0 ? 7 : -1;
    return CIO_AWAIT(cio_spawn(chain, (void *)(depth - 1))) + 1;
}

static intptr_t handoff_main(void *arg)
{
    (void)arg;
    cio_task *t[NOPPERS];
    for (int i = 0; i < NOPPERS; i++)
        t[i] = cio_spawn(nopper, (void *)(intptr_t)i);
    cio_task *c = cio_spawn(chain, (void *)(intptr_t)20);
    for (int i = 0; i < 5; i++)
        CHECK_EQ(cio_yield(), 0);
    for (int i = 0; i < NOPPERS; i += 7)
        CHECK_EQ(cio_task_cancel(t[i]), 1);
    for (int i = 0; i < NOPPERS; i++) {
        intptr_t r = CIO_AWAIT(t[i]);
        if (i % 7 == 0) {
            CHECK_EQ(r, -ECANCELED);
            CHECK(g_done[i] < NOPS);
        } else {
            CHECK_EQ(r, i);
            CHECK_EQ(g_done[i], NOPS);
        }
    }
    CHECK_EQ(CIO_AWAIT(c), 27);
    return 0;
}

static void test_handoff_with_cancellation(void)
{
    CHECK_EQ(test_run(handoff_main, NULL), 0);
}

/* ---- iterations started inline ------------------------------------------ */

enum { ROUNDS = 200 };
static char g_log[3 * ROUNDS + 64];
static size_t g_log_len;

static void log_char(void *arg) { g_log[g_log_len++] = (char)(intptr_t)arg; }

/* Logs its letter, yields, ROUNDS times; the first task also schedules a
 * plain callback each round, which must run in its place in the queue. */
static intptr_t logger(void *arg)
{
    char c = (char)(intptr_t)arg;
    for (int i = 0; i < ROUNDS; i++) {
        g_log[g_log_len++] = c;
        if (c == 'a' && i % 50 == 0)
            CHECK(cio_loop_call_soon(cio_loop_current(), log_char, (void *)(intptr_t)'x') > 0);
        CHECK_EQ(cio_yield(), 0);
    }
    return 0;
}

static intptr_t order_main(void *arg)
{
    (void)arg;
    cio_task *t[3];
    for (int i = 0; i < 3; i++)
        t[i] = cio_spawn(logger, (void *)(intptr_t)('a' + i));
    for (int i = 0; i < 3; i++)
        CHECK_EQ(CIO_AWAIT(t[i]), 0);
    return 0;
}

/* Round robin a b c, and each 'x' callback one place after the 'a' that
 * scheduled it (it runs before the tasks that yielded after it). */
static void test_yield_order_kept(void)
{
    g_log_len = 0;
    CHECK_EQ(test_run(order_main, NULL), 0);
    char want[sizeof g_log];
    size_t n = 0;
    for (int i = 0; i < ROUNDS; i++) {
        want[n++] = 'a';
        want[n++] = 'b';
        want[n++] = 'c';
        if (i % 50 == 0)
            want[n++] = 'x';
    }
    CHECK_EQ(g_log_len, n);
    CHECK(memcmp(g_log, want, n) == 0);
}

static void count_call(void *arg) { ++*(int *)arg; }

/* A task yielding alone: each yield is a whole iteration of its own, so a
 * callback scheduled before the yield has run when it returns. */
static intptr_t lone_yielder(void *arg)
{
    (void)arg;
    int calls = 0;
    for (int i = 0; i < 1000; i++) {
        CHECK(cio_loop_call_soon(cio_loop_current(), count_call, &calls) > 0);
        CHECK_EQ(cio_yield(), 0);
        CHECK_EQ(calls, i + 1);
    }
    return 5;
}

static void test_lone_yielder(void)
{
    CHECK_EQ(test_run(lone_yielder, NULL), 5);
}

static atomic_int g_stop_spin;

enum { SPIN_LIMIT = 10000000 }; /* far more than any of these needs: fail, don't hang */

static intptr_t spinner(void *arg)
{
    long *yields = arg;
    while (!atomic_load(&g_stop_spin)) {
        CHECK_EQ(cio_yield(), 0);
        CHECK(++*yields < SPIN_LIMIT);
    }
    return 0;
}

static void stop_spinning(void *arg)
{
    (void)arg;
    atomic_store(&g_stop_spin, 1);
}

static void *post_stop(void *arg)
{
    struct timespec ts = { 0, 2000000 };
    nanosleep(&ts, NULL);
    CHECK_EQ(cio_loop_call_soon_threadsafe(arg, stop_spinning, NULL), 0);
    return NULL;
}

/* Two tasks yield to each other until `how` ends it: a timer, an I/O
 * completion or another thread. None may be starved by the yield loop. */
static intptr_t spin_until(void *arg)
{
    int how = (int)(intptr_t)arg;
    long yields[2] = { 0, 0 };
    atomic_store(&g_stop_spin, 0);
    cio_task *s[2] = { cio_spawn(spinner, &yields[0]), cio_spawn(spinner, &yields[1]) };
    pthread_t th;
    if (how == 0) {
        CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(2))), 0);
        stop_spinning(NULL);
    } else if (how == 1) {
        for (int i = 0; i < 100; i++)
            CHECK_EQ(CIO_AWAIT(cio_nop()), 0);
        stop_spinning(NULL);
    } else {
        CHECK_EQ(pthread_create(&th, NULL, post_stop, cio_loop_current()), 0);
    }
    CHECK_EQ(CIO_AWAIT(s[0]), 0);
    CHECK_EQ(CIO_AWAIT(s[1]), 0);
    if (how == 2)
        CHECK_EQ(pthread_join(th, NULL), 0);
    CHECK(yields[0] > 0 && yields[1] > 0);
    CHECK(yields[0] - yields[1] <= 1 && yields[1] - yields[0] <= 1);
    return 0;
}

static void test_yield_loop_starves_nothing(void)
{
    for (int how = 0; how < 3; how++)
        CHECK_EQ(test_run(spin_until, (void *)(intptr_t)how), 0);
}

/* A future with two callbacks: a parked task's wake-up, then a plain one.
 * The task resumes from inside the callbacks; tasks it hands off to must not
 * keep the second callback waiting (asyncio runs it right after the task's
 * step). */
static cio_future *g_two_cb;
static int g_cb2_ran, g_waiter_steps, g_steps_at_cb2 = -1;

static void second_cb(cio_future *f, void *arg)
{
    (void)f;
    (void)arg;
    g_cb2_ran = 1;
    g_steps_at_cb2 = g_waiter_steps;
}

static intptr_t two_cb_waiter(void *arg)
{
    (void)arg;
    CHECK_EQ(CIO_AWAIT(cio_future_retain(g_two_cb)), 1);
    while (!g_cb2_ran) {
        g_waiter_steps++;
        CHECK_EQ(cio_yield(), 0);
        CHECK(g_waiter_steps < SPIN_LIMIT);
    }
    return 0;
}

static intptr_t two_cb_spinner(void *arg)
{
    (void)arg;
    for (long n = 0; !g_cb2_ran; n++) {
        CHECK_EQ(cio_yield(), 0);
        CHECK(n < SPIN_LIMIT);
    }
    return 0;
}

static intptr_t two_cb_main(void *arg)
{
    (void)arg;
    g_two_cb = cio_future_new(NULL);
    cio_task *a = cio_spawn(two_cb_waiter, NULL);
    cio_task *b = cio_spawn(two_cb_spinner, NULL);
    CHECK_EQ(cio_yield(), 0); /* a parks on the future: its first callback */
    CHECK_EQ(cio_future_add_done_callback(g_two_cb, second_cb, NULL), 0);
    CHECK_EQ(cio_future_set_result(g_two_cb, 1), 0);
    CHECK_EQ(CIO_AWAIT(a), 0);
    CHECK_EQ(CIO_AWAIT(b), 0);
    cio_future_release(g_two_cb);
    return 0;
}

static void test_callbacks_after_a_wake_run_next(void)
{
    CHECK_EQ(test_run(two_cb_main, NULL), 0);
    CHECK_EQ(g_steps_at_cb2, 1); /* the waiter's first step, then the callback */
}

/* cio_loop_stop from a task in a yield loop ends run_forever at once. */
static intptr_t stop_then_spin(void *arg)
{
    long *yields = arg;
    cio_loop_stop(cio_loop_current());
    while (cio_yield() == 0)
        CHECK(++*yields < SPIN_LIMIT);
    return 0;
}

static void test_stop_ends_yield_loop(void)
{
    cio_loop *l = test_loop_new();
    long yields = 0;
    cio_task *t = cio_spawn_ex(l, stop_then_spin, &yields, NULL);
    CHECK_EQ(cio_loop_run_forever(l), 0);
    CHECK(yields <= 1);
    CHECK_EQ(cio_task_cancel(t), 1);
    CHECK_EQ(cio_loop_run_until_complete(l, t), 0);
    test_loop_free(l);
}

/* cio_run returns once main does, though a detached task yields forever:
 * the loop stops handing off when its run condition ends, and the task is
 * cancelled. */
static long g_detached_yields;

static intptr_t forever_yielder(void *arg)
{
    (void)arg;
    while (cio_yield() == 0)
        CHECK(++g_detached_yields < SPIN_LIMIT);
    return 0;
}

static intptr_t main_leaves_yielder(void *arg)
{
    (void)arg;
    CHECK_EQ(cio_task_detach(cio_spawn(forever_yielder, NULL)), 0);
    for (int i = 0; i < 10; i++)
        CHECK_EQ(cio_yield(), 0);
    return 3;
}

static void test_run_ends_with_yielder_left(void)
{
    CHECK_EQ(cio_run(main_leaves_yielder, NULL, NULL), 3);
    CHECK(g_detached_yields >= 9 && g_detached_yields <= 12);
}

int main(void)
{
    test_alloc_install();
    RUN(test_fp_control_per_task);
    RUN(test_stacks_trimmed_and_reused);
    RUN(test_sleep_never_early);
    RUN(test_sleep_until);
    RUN(test_loop_time_fresh);
    RUN(test_handoff_with_cancellation);
    RUN(test_yield_order_kept);
    RUN(test_lone_yielder);
    RUN(test_yield_loop_starves_nothing);
    RUN(test_callbacks_after_a_wake_run_next);
    RUN(test_stop_ends_yield_loop);
    RUN(test_run_ends_with_yielder_left);
    CHECK_EQ(test_alloc_live(), 0);
    return 0;
}
