/* test_signal.c — awaitable signal waits and loop signal handlers through
 * signalfd: delivery, cancellation, deadlines, removal, and a shutdown
 * driven by a handler. */
#include <signal.h>
#include <unistd.h>
#include "harness.h"

static intptr_t wait_usr1(void *arg)
{
    (void)arg;
    cio_future *f = cio_signal_wait_one(SIGUSR1);
    CHECK_EQ(cio_yield(), 0);
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    CHECK_EQ(CIO_AWAIT(f), SIGUSR1);
    /* a signal that arrived while nobody waited stays pending for the next wait */
    CHECK_EQ(kill(getpid(), SIGUSR1), 0);
    CHECK_EQ(CIO_AWAIT(cio_signal_wait_one(SIGUSR1)), SIGUSR1);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    f = cio_signal_wait(&set);
    CHECK_EQ(kill(getpid(), SIGUSR2), 0);
    CHECK_EQ(CIO_AWAIT(f), SIGUSR2);
    return 0;
}

static void test_wait(void) { CHECK_EQ(test_run(wait_usr1, NULL), 0); }

static intptr_t waiter(void *arg)
{
    (void)arg;
    return CIO_AWAIT(cio_signal_wait_one(SIGUSR2));
}

static intptr_t cancel_and_deadline(void *arg)
{
    (void)arg;
    CHECK_EQ(CIO_AWAIT(cio_with_timeout(cio_signal_wait_one(SIGUSR2), CIO_MS(10))), -ETIMEDOUT);
    cio_task *t = cio_spawn(waiter, NULL);
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(2))), 0);
    cio_task_cancel(t);
    CHECK_EQ(CIO_AWAIT(t), -ECANCELED);
    sigset_t empty;
    sigemptyset(&empty);
    CHECK_EQ(CIO_AWAIT(cio_signal_wait(&empty)), -EINVAL);
    return 0;
}

static void test_cancel_and_deadline(void) { CHECK_EQ(test_run(cancel_and_deadline, NULL), 0); }

static int g_hits;
static cio_future *g_stop;
static cio_signal_handler *g_left;

static void on_signal(void *arg)
{
    (void)arg;
    if (++g_hits == 3)
        cio_future_set_result(g_stop, 0);
}

static intptr_t handlers(void *arg)
{
    (void)arg;
    g_hits = 0;
    g_stop = cio_future_new(NULL);
    cio_signal_handler *h = cio_signal_handler_add(SIGUSR1, on_signal, NULL);
    CHECK(h);
    for (int i = 0; i < 3; i++) { /* one at a time: pending signals of a kind merge */
        int before = g_hits;
        CHECK_EQ(kill(getpid(), SIGUSR1), 0);
        while (g_hits == before)
            CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(1))), 0);
    }
    CHECK_EQ(CIO_AWAIT(g_stop), 0);
    cio_signal_handler_remove(h);
    CHECK_EQ(g_hits, 3);
    /* a handler left installed is ended by cio_run's shutdown */
    g_left = cio_signal_handler_add(SIGUSR2, on_signal, NULL);
    return 0;
}

static void test_handlers(void)
{
    cio_loop_opts o = test_loop_opts();
    CHECK_EQ(cio_run(handlers, NULL, &o), 0);
    CHECK(g_left);
    cio_signal_handler_remove(g_left); /* its task has ended: this frees it */
}

int main(void)
{
    test_alloc_install();
    RUN(test_wait);
    RUN(test_cancel_and_deadline);
    RUN(test_handlers);
    CHECK_EQ(test_alloc_live(), 0);
    return 0;
}
