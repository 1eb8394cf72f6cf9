/* bench/million.c — memory per parked task: N tasks (default 1,000,000) all
 * parked in cio_sleep at the same time. The main task spawns them all, yields
 * once (every task runs up to its await and parks), checks they are all
 * parked and samples memory, then lets them finish and awaits them.
 * Prints peak RSS (getrusage ru_maxrss), bytes per task over the baseline,
 * page-table memory at the peak (VmPTE, not part of RSS), the number of
 * memory mappings at the peak and vm.max_map_count.
 * Usage: bench_million [N] [STACK_KIB]   (STACK_KIB 0: the default 128 KiB)
 */
#include <cio.h>
#include "bench.h"

static long parked;

static intptr_t sleeper(void *arg)
{
    (void)arg;
    parked++;
    intptr_t r = CIO_AWAIT(cio_sleep(CIO_MS(100)));
    parked--;
    return r;
}

static long read_max_map_count(void)
{
    FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
    long v = -1;
    if (f) {
        if (fscanf(f, "%ld", &v) != 1)
            v = -1;
        fclose(f);
    }
    return v;
}

static intptr_t main_task(void *arg)
{
    const size_t *args = arg;
    long n = (long)args[0];
    cio_task **tasks = malloc((size_t)n * sizeof(*tasks));
    if (!tasks)
        return -1;
    uint64_t base = bench_rss_bytes(), t0 = bench_now_ns();
    for (long i = 0; i < n; i++)
        tasks[i] = cio_spawn(sleeper, NULL);
    cio_yield(); /* runs after every spawned task has parked */
    uint64_t park_ns = bench_now_ns() - t0;
    long at_peak = parked, maps = bench_map_count();
    uint64_t rss = bench_rss_bytes(), pte = bench_status_bytes("VmPTE");
    intptr_t bad = 0;
    for (long i = 0; i < n; i++)
        bad |= CIO_AWAIT(tasks[i]);
    uint64_t ns = bench_now_ns() - t0, peak = bench_maxrss_bytes();
    free(tasks);
    printf("impl=cio tasks=%ld parked_at_once=%ld stack_kib=%zu rss_parked_bytes=%llu rss_peak_bytes=%llu "
           "rss_peak_gib=%.2f bytes_per_task=%.0f page_tables_bytes=%llu maps_at_peak=%ld max_map_count=%ld spawn_park_ns_per_task=%.0f "
           "elapsed_ns=%llu\n",
           n, at_peak, args[1] / 1024, (unsigned long long)rss, (unsigned long long)peak,
           (double)peak / (double)(1ull << 30), (double)(peak - base) / (double)n, (unsigned long long)pte, maps, read_max_map_count(), (double)park_ns / (double)n,
           (unsigned long long)ns);
    return bad || at_peak != n ? -1 : 0;
}

int main(int argc, char **argv)
{
    size_t args[2] = { (size_t)bench_arg(argc, argv, 1, 1000000), (size_t)bench_arg(argc, argv, 2, 0) * 1024 };
    cio_loop_opts opts = { .stack_size = args[1] };
    if (args[1] == 0)
        args[1] = 128 * 1024;
    intptr_t rc = cio_run(main_task, args, &opts);
    if (rc < 0)
        fprintf(stderr, "bench_million: %s\n", cio_strerror(rc));
    return rc < 0;
}
