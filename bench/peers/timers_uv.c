/* bench/peers/timers_uv.c — the timers benchmark in libuv: one uv_timer per
 * "task", timer i due after i * STEP µs. libuv timers have millisecond
 * resolution, so each delay is rounded to the nearest millisecond (the same
 * 0–1 s schedule, in 1 ms buckets of 100 timers). Prints the same figures
 * as bench_timers. Usage: peer_timers_uv [N] [STEP_US]
 */
#include <uv.h>
#include "bench.h"

typedef struct job {
    uv_timer_t timer;
    uint64_t due_ns;
    uint64_t late_ns;
} job;

static void fired(uv_timer_t *t)
{
    job *j = (job *)t;
    uint64_t now = bench_now_ns();
    j->late_ns = now > j->due_ns ? now - j->due_ns : 0;
    uv_close((uv_handle_t *)t, NULL);
}

int main(int argc, char **argv)
{
    long n = bench_arg(argc, argv, 1, 100000), step_us = bench_arg(argc, argv, 2, 10);
    job *jobs = calloc((size_t)n, sizeof(*jobs));
    uv_loop_t *loop = uv_default_loop();
    if (!jobs || !loop)
        return 1;
    uv_update_time(loop);
    uint64_t t0 = bench_now_ns(), c0 = bench_cpu_ns();
    for (long i = 0; i < n; i++) {
        uint64_t ms = ((uint64_t)i * (uint64_t)step_us + 500) / 1000; /* relative to uv_now() = t0 */
        jobs[i].due_ns = t0 + (uint64_t)i * (uint64_t)step_us * 1000ull;
        uv_timer_init(loop, &jobs[i].timer);
        uv_timer_start(&jobs[i].timer, fired, ms, 0);
    }
    uint64_t startup = bench_now_ns() - t0, startup_cpu = bench_cpu_ns() - c0;
    uv_run(loop, UV_RUN_DEFAULT);
    uint64_t wall = bench_now_ns() - t0, cpu = bench_cpu_ns() - c0, late = 0, late_max = 0;
    for (long i = 0; i < n; i++) {
        late += jobs[i].late_ns;
        late_max = jobs[i].late_ns > late_max ? jobs[i].late_ns : late_max;
    }
    printf("impl=libuv timers=%ld step_us=%ld rounding=1ms wall_ns=%llu cpu_ns=%llu startup_ns=%llu "
           "startup_cpu_ns=%llu late_mean_us=%.1f late_max_us=%.1f\n", n, step_us, (unsigned long long)wall,
           (unsigned long long)cpu, (unsigned long long)startup, (unsigned long long)startup_cpu,
           (double)late / (double)n / 1e3, (double)late_max / 1e3);
    uv_loop_close(loop);
    free(jobs);
    return 0;
}
