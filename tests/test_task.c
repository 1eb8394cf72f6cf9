/* test_task.c [threads] — spawning, awaiting, yielding, names, results and errors. */
#include "harness.h"
#include "coro/sanitizer.h" /* CIO_TSAN */

static char g_log[256];
static void logc(char c)
{
    size_t n = strlen(g_log);
    g_log[n] = c;
    g_log[n + 1] = '\0';
}

static intptr_t ret_arg(void *arg) { return (intptr_t)arg; }

static intptr_t spawn_and_await(void *arg)
{
    cio_task *t = cio_spawn(ret_arg, (void *)(intptr_t)42);
    CHECK(!cio_future_done(t));
    return CIO_AWAIT(t);
}

static void test_spawn_await(void)
{
    CHECK_EQ(test_run(spawn_and_await, NULL), 42);
}

static intptr_t yielder(void *arg)
{
    char c = (char)(intptr_t)arg;
    for (int i = 0; i < 3; i++) {
        logc(c);
        CHECK_EQ(cio_yield(), 0);
    }
    return 0;
}

static intptr_t interleave(void *arg)
{
    cio_task *a = cio_spawn(yielder, (void *)'a');
    cio_task *b = cio_spawn(yielder, (void *)'b');
    cio_task *c = cio_spawn(yielder, (void *)'c');
    CHECK_EQ(CIO_AWAIT(a), 0);
    CHECK_EQ(CIO_AWAIT(b), 0);
    CHECK_EQ(CIO_AWAIT(c), 0);
    return 0;
}

static void test_yield_interleaves_fifo(void)
{
    g_log[0] = 0;
    CHECK_EQ(test_run(interleave, NULL), 0);
    CHECK(!strcmp(g_log, "abcabcabc"));
}

/* New tasks started by the task before them as it parks (the hand-off),
 * or by the loop when that cannot be done there: a task cancelled before
 * it ran, one whose stack size has no pool yet. The order is the spawn
 * order either way, each runs as the current task, and the cancelled one
 * never runs. */
static cio_task *g_order_tasks[4];

static intptr_t logs_twice(void *arg)
{
    int i = (int)(intptr_t)arg;
    CHECK(cio_current_task() == g_order_tasks[i]);
    logc((char)('a' + i));
    CHECK_EQ(cio_yield(), 0);
    CHECK(cio_current_task() == g_order_tasks[i]);
    logc((char)('A' + i));
    return i;
}

static intptr_t start_order(void *arg)
{
    for (int i = 0; i < 4; i++) {
        cio_task_opts o = { .stack_size = i == 2 ? 256 * 1024 : 0 };
        g_order_tasks[i] = cio_spawn_ex(NULL, logs_twice, (void *)(intptr_t)i, &o);
    }
    CHECK_EQ(cio_task_cancel(g_order_tasks[1]), 1);
    for (int i = 0; i < 4; i++)
        CHECK_EQ(CIO_AWAIT(g_order_tasks[i]), i == 1 ? -ECANCELED : i);
    return 0;
}

static void test_start_order(void)
{
    g_log[0] = 0;
    CHECK_EQ(test_run(start_order, NULL), 0);
    CHECK(!strcmp(g_log, "acdACD"));
}

/* A task that finishes starts the next new task itself, which gives the
 * finished one's stack back before it runs: nothing of it is alive by
 * then. */
static intptr_t counts_alive(void *arg)
{
    (void)arg;
    cio_loop *l = cio_loop_current();
    size_t first = cio_loop_alive(l); /* the detached tasks before it ran and finished */
    CHECK_EQ(cio_yield(), 0);
    CHECK_EQ(cio_loop_alive(l), first);
    return 0;
}

static intptr_t finish_handoff(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++)
        CHECK_EQ(cio_task_detach(cio_spawn(ret_arg, NULL)), 0);
    return CIO_AWAIT(cio_spawn(counts_alive, NULL));
}

static void test_finish_handoff(void) { CHECK_EQ(test_run(finish_handoff, NULL), 0); }

static intptr_t sleeper(void *arg)
{
    intptr_t ms = (intptr_t)arg;
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(ms))), 0);
    logc((char)('0' + ms / 40));
    return ms;
}

static intptr_t sleep_order(void *arg)
{
    /* 40 ms apart: each task computes its deadline when it first runs, so
     * the spacing must exceed any start-up jitter (sanitizers, loaded CI). */
    cio_task *t[4] = { cio_spawn(sleeper, (void *)120), cio_spawn(sleeper, (void *)40),
                       cio_spawn(sleeper, (void *)80), cio_spawn(sleeper, (void *)0) };
    intptr_t sum = 0;
    for (int i = 0; i < 4; i++)
        sum += CIO_AWAIT(t[i]);
    return sum;
}

static void test_sleep_order(void)
{
    g_log[0] = 0;
    CHECK_EQ(test_run(sleep_order, NULL), 240);
    CHECK(!strcmp(g_log, "0123"));
}

static intptr_t names(void *arg)
{
    CHECK(!strcmp(cio_task_name(cio_current_task()), "main"));
    cio_task *t = cio_spawn_ex(NULL, ret_arg, NULL, &(cio_task_opts){ .name = "worker" });
    CHECK(!strcmp(cio_task_name(t), "worker"));
    CHECK_EQ(cio_task_set_name(t, "renamed"), 0);
    CHECK(!strcmp(cio_task_name(t), "renamed"));
    CHECK_EQ(cio_task_set_name(t, "a name longer than thirty-one bytes"), 0);
    CHECK(!strcmp(cio_task_name(t), "a name longer than thirty-one b")); /* the first 31 */
    cio_task *u = cio_spawn(ret_arg, NULL), *v = cio_spawn(ret_arg, NULL);
    char want[32];
    snprintf(want, sizeof want, "task-%llu", (unsigned long long)cio_task_id(u));
    CHECK(!strcmp(cio_task_name(u), want));
    CHECK(cio_task_id(u) > cio_task_id(t));
    CHECK_EQ(cio_task_set_name(t, ""), 0); /* back to the default */
    snprintf(want, sizeof want, "task-%llu", (unsigned long long)cio_task_id(t));
    CHECK(!strcmp(cio_task_name(t), want));
    CIO_AWAIT(t);
    CIO_AWAIT(u);
    cio_yield(); /* v has run and finished; its name was never asked for */
    snprintf(want, sizeof want, "task-%llu", (unsigned long long)cio_task_id(v));
    CHECK(!strcmp(cio_task_name(v), want));
    CIO_AWAIT(v);
    return 0;
}

static void test_names(void) { CHECK_EQ(test_run(names, NULL), 0); }

static intptr_t fails(void *arg) { return -ENOENT; }

static intptr_t error_propagates(void *arg)
{
    return CIO_AWAIT(cio_spawn(fails, NULL));
}

static void test_error_result(void) { CHECK_EQ(test_run(error_propagates, NULL), -ENOENT); }

static intptr_t detached_child(void *arg)
{
    int *done = arg;
    CIO_AWAIT(cio_sleep(CIO_MS(5)));
    (*done)++;
    return 0;
}

/* Waits for the detached child by polling, not with a longer sleep: the
 * child's sleep starts when it first runs, which a loaded machine (TSan,
 * two tests per core) delayed by more than 15 ms once, so main outlived
 * it and the loop was freed with the child still asleep. */
static intptr_t detach_main(void *arg)
{
    const int *done = arg;
    CHECK_EQ(cio_task_detach(cio_spawn(detached_child, arg)), 0);
    for (int i = 0; i < 5000 && *done == 0; i++)
        CIO_AWAIT(cio_sleep(CIO_MS(1)));
    return 0;
}

static void test_detach(void)
{
    int done = 0;
    CHECK_EQ(test_run(detach_main, &done), 0);
    CHECK_EQ(done, 1);
}

static intptr_t many_awaiters_wait(void *arg)
{
    return CIO_AWAIT(cio_future_retain(arg));
}

/* More awaiters than a 16-bit count holds (the callback array's capacity
 * once wrapped to 0 there and freed itself). ThreadSanitizer keeps a thread
 * record per fiber and stops at 8,128. */
#ifdef CIO_TSAN
enum { AWAITERS = 200 };
#else
enum { AWAITERS = 70000 };
#endif

static intptr_t many_awaiters(void *arg)
{
    cio_future *f = cio_future_new(NULL);
    static cio_task *t[AWAITERS];
    cio_task_opts small = { .stack_size = 16 * 1024 };
    for (int i = 0; i < AWAITERS; i++)
        CHECK((t[i] = cio_spawn_ex(NULL, many_awaiters_wait, f, &small)) != NULL);
    CHECK_EQ(cio_yield(), 0);
    CHECK_EQ(cio_future_set_result(f, 7), 0);
    CHECK_EQ(cio_future_set_result(f, 8), -EINVAL);
    intptr_t sum = 0;
    for (int i = 0; i < AWAITERS; i++)
        sum += CIO_AWAIT(t[i]);
    cio_future_release(f);
    return sum;
}

static void test_many_awaiters(void) { CHECK_EQ(test_run(many_awaiters, NULL), 7 * AWAITERS); }

static intptr_t cio_run_main(void *arg)
{
    CIO_AWAIT(cio_sleep(CIO_MS(1)));
    return 5;
}

static void test_cio_run(void)
{
    cio_loop_opts o = test_loop_opts();
    CHECK_EQ(cio_run(cio_run_main, NULL, &o), 5);
}

static intptr_t spin_forever(void *arg)
{
    for (;;)
        if (CIO_AWAIT(cio_sleep(CIO_MS(1))) == -ECANCELED)
            return -ECANCELED;
}

static intptr_t leaves_detached_work(void *arg)
{
    cio_task_detach(cio_spawn(spin_forever, NULL));
    return 1;
}

static void test_cio_run_cancels_leftovers(void)
{
    cio_loop_opts o = test_loop_opts();
    long before = test_alloc_live();
    CHECK_EQ(cio_run(leaves_detached_work, NULL, &o), 1);
    CHECK_EQ(test_alloc_live(), before);
}

int main(void)
{
    test_alloc_install();
    long before = test_alloc_live();
    RUN(test_spawn_await);
    RUN(test_yield_interleaves_fifo);
    RUN(test_start_order);
    RUN(test_finish_handoff);
    RUN(test_sleep_order);
    RUN(test_names);
    RUN(test_error_result);
    RUN(test_detach);
    RUN(test_many_awaiters);
    RUN(test_cio_run);
    RUN(test_cio_run_cancels_leftovers);
    CHECK_EQ(test_alloc_live(), before);
    return 0;
}
