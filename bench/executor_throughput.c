/* bench/executor_throughput.c — 1,000,000 trivial jobs on a 2-worker
 * executor, submitted in waves of 1,000 and awaited together.
 * Usage: bench_executor_throughput [TOTAL] [eventfd|msg_ring|auto]
 * Prints: mode=... jobs=N jobs_per_s=X cpu_ns_per_job=Y (process CPU). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <cio.h>

enum { WAVE = 1000 };
static long g_total = 1000000;

static intptr_t trivial(void *arg) { return (intptr_t)arg & 0xffff; }

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the whole process (loop + workers), in ms: steadier than
 * wall time on a shared machine. */
static double cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static intptr_t main_task(void *arg)
{
    cio_executor *ex = arg;
    static cio_future *f[WAVE];
    double t0 = now_s(), c0 = cpu_ms();
    for (long done = 0; done < g_total; done += WAVE) {
        for (long i = 0; i < WAVE; i++)
            f[i] = cio_run_in_executor(ex, trivial, (void *)(done + i));
        for (long i = 0; i < WAVE; i++)
            if (CIO_AWAIT(f[i]) != ((done + i) & 0xffff))
                return -1;
    }
    printf("jobs_per_s=%.0f cpu_ns_per_job=%.0f\n", (double)g_total / (now_s() - t0),
           (cpu_ms() - c0) * 1e6 / (double)g_total);
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
    printf("mode=%s jobs=%ld ", name, g_total);
    intptr_t rc = cio_loop_run_until_complete(l, cio_spawn_ex(l, main_task, ex, NULL));
    cio_executor_free(ex);
    cio_loop_free(l);
    return rc != 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        g_total = atol(argv[1]) / WAVE * WAVE;
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
