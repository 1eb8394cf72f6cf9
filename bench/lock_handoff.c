/* bench/lock_handoff.c — T tasks each acquiring and releasing one cio_lock
 * K times with a cio_yield inside (default 100 x 10,000): every acquire
 * waits and every release hands the lock to the next task. Prints ns per
 * handoff (per acquire/release pair). Usage: bench_lock_handoff [T] [K] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <cio.h>

static long g_k;
static cio_lock *g_lock;

static intptr_t worker(void *arg)
{
    (void)arg;
    for (long i = 0; i < g_k; i++) {
        if (CIO_AWAIT(cio_lock_acquire(g_lock, CIO_NO_TIMEOUT)) < 0)
            return -1;
        cio_yield();
        cio_lock_release(g_lock);
    }
    return 0;
}

static intptr_t main_task(void *arg)
{
    long t = (long)(intptr_t)arg;
    g_lock = cio_lock_new();
    cio_task **ts = malloc(sizeof(*ts) * (size_t)t);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < t; i++)
        ts[i] = cio_spawn(worker, NULL);
    intptr_t rc = CIO_AWAIT(cio_gather(ts, (size_t)t, NULL, 0));
    clock_gettime(CLOCK_MONOTONIC, &b);
    double dt = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
    printf("bench=lock_handoff impl=cio tasks=%ld iters=%ld ns_per_handoff=%.1f ok=%d\n", t, g_k, dt / (t * g_k),
           rc == 0);
    free(ts);
    cio_lock_free(g_lock);
    return rc;
}

int main(int argc, char **argv)
{
    long t = argc > 1 ? atol(argv[1]) : 100;
    g_k = argc > 2 ? atol(argv[2]) : 10000;
    return cio_run(main_task, (void *)(intptr_t)t, NULL) != 0;
}
