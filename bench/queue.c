/* bench/queue.c — one producer task and one consumer task passing N
 * integers through a cio_queue of size S (default 1,000,000 through 128).
 * Prints ns per item. Usage: bench_queue [N] [S] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <cio.h>

static long g_n;
static size_t g_size;
static cio_queue *g_q;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static intptr_t producer(void *arg)
{
    (void)arg;
    for (long i = 0; i < g_n; i++)
        if (CIO_AWAIT(cio_queue_put(g_q, i, CIO_NO_TIMEOUT)) < 0)
            return -1;
    return 0;
}

static intptr_t consumer(void *arg)
{
    (void)arg;
    long sum = 0;
    for (long i = 0; i < g_n; i++)
        sum += CIO_AWAIT(cio_queue_get(g_q, CIO_NO_TIMEOUT));
    return sum == g_n * (g_n - 1) / 2 ? 0 : -1;
}

static intptr_t main_task(void *arg)
{
    (void)arg;
    g_q = cio_queue_new(CIO_QUEUE_FIFO, g_size);
    double t0 = now_ns();
    cio_task *c = cio_spawn(consumer, NULL);
    cio_task *p = cio_spawn(producer, NULL);
    intptr_t rc = CIO_AWAIT(p) | CIO_AWAIT(c);
    double dt = now_ns() - t0;
    printf("bench=queue impl=cio items=%ld maxsize=%zu ns_per_item=%.1f ok=%d\n", g_n, g_size, dt / g_n, rc == 0);
    cio_queue_free(g_q);
    return rc;
}

int main(int argc, char **argv)
{
    g_n = argc > 1 ? atol(argv[1]) : 1000000;
    g_size = argc > 2 ? (size_t)atol(argv[2]) : 128;
    return cio_run(main_task, NULL, NULL) != 0;
}
