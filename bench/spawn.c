/* bench/spawn.c — task creation cost: the main task spawns N tasks
 * (default 1,000,000) that return at once, then awaits every one of them.
 * Prints ns per task (spawn + run + finish + await), wall clock, for two
 * rounds: the first ("cold") maps the memory of a million task records,
 * the second reuses it, as a long-running program does (the loop keeps a
 * burst's memory while it stays busy). Where a first touch of a page is
 * slow (paravirtualised MMUs), the two differ by the page faults.
 * Usage: bench_spawn [N]
 */
#include <cio.h>
#include "bench.h"

static intptr_t nothing(void *arg)
{
    (void)arg;
    return 0;
}

/* Spawns and awaits n tasks; returns elapsed ns (0 on error). */
static uint64_t round_of(cio_task **tasks, long n)
{
    uint64_t t0 = bench_now_ns();
    for (long i = 0; i < n; i++)
        tasks[i] = cio_spawn(nothing, NULL);
    intptr_t bad = 0;
    for (long i = 0; i < n; i++)
        bad |= CIO_AWAIT(tasks[i]) != 0;
    return bad ? 0 : bench_now_ns() - t0;
}

static intptr_t main_task(void *arg)
{
    long n = *(long *)arg;
    cio_task **tasks = malloc((size_t)n * sizeof(*tasks));
    if (!tasks)
        return -1;
    uint64_t cold = round_of(tasks, n);
    uint64_t ns = round_of(tasks, n);
    free(tasks);
    if (ns == 0 || cold == 0)
        return -1;
    printf("impl=cio tasks=%ld elapsed_ns=%llu ns_per_task=%.2f cold_ns_per_task=%.2f first_touch_ns_per_page=%.0f\n",
           n, (unsigned long long)ns, (double)ns / (double)n, (double)cold / (double)n,
           bench_first_touch_ns_per_page());
    return 0;
}

int main(int argc, char **argv)
{
    long n = bench_arg(argc, argv, 1, 1000000);
    intptr_t rc = cio_run(main_task, &n, NULL);
    if (rc < 0)
        fprintf(stderr, "bench_spawn: %s\n", cio_strerror(rc));
    return rc < 0;
}
