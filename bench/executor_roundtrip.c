/* bench/executor_roundtrip.c — sequential awaits of a trivial job on a
 * 2-worker executor: the latency of one loop -> worker -> loop round trip.
 * Usage: bench_executor_roundtrip [N] [eventfd|msg_ring|auto]  (default 100000; all three)
 * Prints: mode=... roundtrips=N us_per_roundtrip=X (one line per mode). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cio.h>

static long g_n = 100000;

static intptr_t trivial(void *arg) { return (intptr_t)arg + 1; }

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static intptr_t main_task(void *arg)
{
    cio_executor *ex = arg;
    for (long i = 0; i < 1000; i++) /* warm up */
        CIO_AWAIT(cio_run_in_executor(ex, trivial, (void *)i));
    double t0 = now_s();
    for (long i = 0; i < g_n; i++)
        if (CIO_AWAIT(cio_run_in_executor(ex, trivial, (void *)i)) != i + 1)
            return -1;
    double us = (now_s() - t0) * 1e6 / (double)g_n;
    printf("us_per_roundtrip=%.3f\n", us);
    return 0;
}

static int run(enum cio_wakeup_mode mode, const char *name)
{
    cio_loop *l;
    if (cio_loop_new(&l, NULL) < 0)
        return 1;
    if (cio_loop_set_wakeup(l, mode) < 0) {
        printf("mode=%s unsupported\n", name);
        cio_loop_free(l);
        return 0;
    }
    cio_executor *ex;
    cio_executor_new(&ex, 2);
    if (mode == CIO_WAKEUP_AUTO)
        name = cio_loop_wakeup(l) == CIO_WAKEUP_MSG_RING ? "auto/msg_ring" : "auto/eventfd";
    printf("mode=%s roundtrips=%ld ", name, g_n);
    intptr_t rc = cio_loop_run_until_complete(l, cio_spawn_ex(l, main_task, ex, NULL));
    cio_executor_free(ex);
    cio_loop_free(l);
    return rc != 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        g_n = atol(argv[1]);
    const char *only = argc > 2 ? argv[2] : NULL;
    int rc = 0;
    if (!only || !strcmp(only, "eventfd"))
        rc |= run(CIO_WAKEUP_EVENTFD, "eventfd");
    if (!only || !strcmp(only, "msg_ring"))
        rc |= run(CIO_WAKEUP_MSG_RING, "msg_ring");
    if (!only || !strcmp(only, "auto"))
        rc |= run(CIO_WAKEUP_AUTO, "auto");
    return rc;
}
