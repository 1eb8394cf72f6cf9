/* bench/executor_wakeup.c — latency of waking a sleeping loop from another
 * thread: the thread stamps the time and calls cio_loop_call_soon_threadsafe;
 * the callback, on the loop thread, measures the delay. The loop is given
 * time to fall asleep before each ping, so every ping pays the wakeup.
 * Usage: bench_executor_wakeup [N] — both modes, one line each:
 *   mode=eventfd pings=N wake_us_p50=X wake_us_p90=Y wake_us_mean=Z */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <cio.h>

static long g_n = 20000;
static uint64_t *g_lat;
static atomic_uint_fast64_t g_stamp;
static atomic_long g_acked;
static cio_loop *g_loop;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void pong(void *arg)
{
    long i = (long)(intptr_t)arg;
    g_lat[i] = now_ns() - atomic_load(&g_stamp);
    atomic_store(&g_acked, i + 1);
}

static void stop(void *arg) { cio_loop_stop(arg); }

static void *pinger(void *arg)
{
    (void)arg;
    for (long i = 0; i < g_n; i++) {
        nanosleep(&(struct timespec){ 0, 50000 }, NULL); /* let the loop fall asleep */
        atomic_store(&g_stamp, now_ns());
        cio_loop_call_soon_threadsafe(g_loop, pong, (void *)(intptr_t)i);
        while (atomic_load(&g_acked) != i + 1)
            sched_yield();
    }
    cio_loop_call_soon_threadsafe(g_loop, stop, g_loop);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void run(enum cio_wakeup_mode mode, const char *name)
{
    if (cio_loop_new(&g_loop, NULL) < 0 || cio_loop_set_wakeup(g_loop, mode) < 0) {
        printf("mode=%s unsupported\n", name);
        return;
    }
    atomic_store(&g_acked, 0);
    pthread_t th;
    pthread_create(&th, NULL, pinger, NULL);
    cio_loop_run_forever(g_loop);
    pthread_join(th, NULL);
    cio_loop_free(g_loop);
    qsort(g_lat, (size_t)g_n, sizeof *g_lat, cmp);
    double sum = 0;
    for (long i = 0; i < g_n; i++)
        sum += (double)g_lat[i];
    printf("mode=%s pings=%ld wake_us_p50=%.2f wake_us_p90=%.2f wake_us_mean=%.2f\n", name, g_n,
           (double)g_lat[g_n / 2] / 1e3, (double)g_lat[g_n * 9 / 10] / 1e3, sum / (double)g_n / 1e3);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        g_n = atol(argv[1]);
    g_lat = calloc((size_t)g_n, sizeof *g_lat);
    run(CIO_WAKEUP_EVENTFD, "eventfd");
    run(CIO_WAKEUP_MSG_RING, "msg_ring");
    run(CIO_WAKEUP_EVENTFD, "eventfd");
    run(CIO_WAKEUP_MSG_RING, "msg_ring");
    free(g_lat);
    return 0;
}
