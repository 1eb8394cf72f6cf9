/* bench/switch.c — context-switch cost: two tasks each cio_yield() N times
 * (default 1,000,000). One "switch" is one yield: a task gives way and the
 * other one runs. Prints switches, elapsed ns and ns per switch.
 * Usage: bench_switch [N]
 */
#include <cio.h>
#include "bench.h"

static intptr_t yielder(void *arg)
{
    long n = *(long *)arg;
    for (long i = 0; i < n; i++)
        if (cio_yield() < 0)
            return -1;
    return 0;
}

/* Runs two yielders of n yields each; returns elapsed ns. */
static uint64_t round_of(long n)
{
    uint64_t t0 = bench_now_ns();
    cio_task *a = cio_spawn(yielder, &n);
    cio_task *b = cio_spawn(yielder, &n);
    if (CIO_AWAIT(a) < 0 || CIO_AWAIT(b) < 0)
        return 0;
    return bench_now_ns() - t0;
}

static intptr_t main_task(void *arg)
{
    long n = *(long *)arg;
    round_of(n / 10 + 1); /* warm up: stacks, caches, branch predictors */
    uint64_t ns = round_of(n);
    if (ns == 0)
        return -1;
    printf("impl=cio switches=%ld elapsed_ns=%llu ns_per_switch=%.2f\n", 2 * n, (unsigned long long)ns,
           (double)ns / (double)(2 * n));
    return 0;
}

int main(int argc, char **argv)
{
    long n = bench_arg(argc, argv, 1, 1000000);
    intptr_t rc = cio_run(main_task, &n, NULL);
    if (rc < 0)
        fprintf(stderr, "bench_switch: %s\n", cio_strerror(rc));
    return rc < 0;
}
