/* bench/nop.c — io_uring round trips through the whole stack: T tasks
 * (default 64) each await K cio_nop() in a row (default 100,000), so up to
 * T no-ops are in flight and the loop submits them in one batch per
 * iteration. Prints ns per op (elapsed / (T * K)).
 * Usage: bench_nop [K] [T]
 */
#include <cio.h>
#include "bench.h"

static intptr_t nopper(void *arg)
{
    long k = *(long *)arg;
    for (long i = 0; i < k; i++) {
        intptr_t r = CIO_AWAIT(cio_nop());
        if (r < 0)
            return r;
    }
    return 0;
}

enum { MAX_TASKS = 4096 };

static uint64_t round_of(long tasks, long k)
{
    cio_task *t[MAX_TASKS];
    uint64_t t0 = bench_now_ns();
    for (long i = 0; i < tasks; i++)
        t[i] = cio_spawn(nopper, &k);
    intptr_t bad = 0;
    for (long i = 0; i < tasks; i++)
        bad |= CIO_AWAIT(t[i]);
    return bad ? 0 : bench_now_ns() - t0;
}

static intptr_t main_task(void *arg)
{
    long *p = arg, k = p[0], tasks = p[1];
    round_of(tasks, k / 10 + 1); /* warm up */
    uint64_t ns = round_of(tasks, k);
    if (ns == 0)
        return -1;
    printf("impl=cio tasks=%ld ops=%ld elapsed_ns=%llu ns_per_op=%.2f ring_flags=0x%x\n", tasks, tasks * k,
           (unsigned long long)ns, (double)ns / (double)(tasks * k), cio_loop_ring_flags(cio_loop_current()));
    return 0;
}

int main(int argc, char **argv)
{
    long args[2] = { bench_arg(argc, argv, 1, 100000), bench_arg(argc, argv, 2, 64) };
    if (args[1] < 1 || args[1] > MAX_TASKS)
        return 2;
    intptr_t rc = cio_run(main_task, args, NULL);
    if (rc < 0)
        fprintf(stderr, "bench_nop: %s\n", cio_strerror(rc));
    return rc < 0;
}
