/* bench/switch_many.c — switches among many tasks: T tasks (default
 * 100,000) each cio_yield() R times (default 20), round-robin, so every
 * switch resumes a task whose stack has gone cold since its last turn
 * (T stacks do not fit in the caches). Prints ns per yield for the second
 * of two rounds (the first maps and first-touches the stacks).
 * Usage: bench_switch_many [T] [R]
 */
#include <cio.h>
#include "bench.h"

static intptr_t yielder(void *arg)
{
    long r = *(long *)arg;
    for (long i = 0; i < r; i++)
        if (cio_yield() < 0)
            return -1;
    return 0;
}

/* Starts t yielders, then times their r rounds of yields; 0 on failure. */
static uint64_t round_of(cio_task **tasks, long t, long r)
{
    for (long i = 0; i < t; i++)
        tasks[i] = cio_spawn(yielder, &r);
    if (cio_yield() < 0) /* every task has run up to its first yield */
        return 0;
    uint64_t t0 = bench_now_ns();
    intptr_t bad = 0;
    for (long i = 0; i < t; i++)
        bad |= CIO_AWAIT(tasks[i]);
    return bad ? 0 : bench_now_ns() - t0;
}

static intptr_t main_task(void *arg)
{
    long *p = arg, t = p[0], r = p[1];
    cio_task **tasks = malloc((size_t)t * sizeof(*tasks));
    uint64_t ns = tasks && round_of(tasks, t, r) ? round_of(tasks, t, r) : 0;
    free(tasks);
    if (ns == 0)
        return -1;
    printf("impl=cio tasks=%ld yields=%ld elapsed_ns=%llu ns_per_yield=%.2f\n", t, t * r, (unsigned long long)ns,
           (double)ns / (double)(t * r));
    return 0;
}

int main(int argc, char **argv)
{
    long args[2] = { bench_arg(argc, argv, 1, 100000), bench_arg(argc, argv, 2, 20) };
    cio_loop_opts opts = { .stack_cache = (size_t)args[0] };
    intptr_t rc = cio_run(main_task, args, &opts);
    if (rc < 0)
        fprintf(stderr, "bench_switch_many: %s\n", cio_strerror(rc));
    return rc < 0;
}
