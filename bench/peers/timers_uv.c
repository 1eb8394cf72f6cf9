/* bench/peers/timers_uv.c — the timers benchmark in libuv: one uv_timer per
 * "task", timer i due after i * STEP µs. libuv timers have millisecond
 * resolution, so each delay is rounded to the nearest millisecond (the same
 * 0–1 s schedule, in 1 ms buckets of 100 timers). Runs a cold round and
 * WARM_ROUNDS on the same memory, keeps the warm round that used the least
 * CPU, and prints the same figures as bench_timers.
 * Usage: peer_timers_uv [N] [STEP_US]
 */
#include <uv.h>
#include "bench.h"

enum { WARM_ROUNDS = 3 };

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

typedef struct round_stats {
    uint64_t wall, cpu, startup, startup_cpu, late_sum, late_max;
} round_stats;

static void one_round(uv_loop_t *loop, job *jobs, long n, long step_us, round_stats *st)
{
    uv_update_time(loop);
    uint64_t t0 = bench_now_ns(), c0 = bench_cpu_ns();
    for (long i = 0; i < n; i++) {
        uint64_t ms = ((uint64_t)i * (uint64_t)step_us + 500) / 1000; /* relative to uv_now() = t0 */
        jobs[i].due_ns = t0 + (uint64_t)i * (uint64_t)step_us * 1000ull;
        uv_timer_init(loop, &jobs[i].timer);
        uv_timer_start(&jobs[i].timer, fired, ms, 0);
    }
    st->startup = bench_now_ns() - t0;
    st->startup_cpu = bench_cpu_ns() - c0;
    uv_run(loop, UV_RUN_DEFAULT);
    st->wall = bench_now_ns() - t0;
    st->cpu = bench_cpu_ns() - c0;
    st->late_sum = st->late_max = 0;
    for (long i = 0; i < n; i++) {
        st->late_sum += jobs[i].late_ns;
        st->late_max = jobs[i].late_ns > st->late_max ? jobs[i].late_ns : st->late_max;
    }
}

int main(int argc, char **argv)
{
    long n = bench_arg(argc, argv, 1, 100000), step_us = bench_arg(argc, argv, 2, 10);
    job *jobs = calloc((size_t)n, sizeof(*jobs));
    uv_loop_t *loop = uv_default_loop();
    if (!jobs || !loop)
        return 1;
    round_stats cold, warm = { .cpu = UINT64_MAX }, r;
    one_round(loop, jobs, n, step_us, &cold);
    for (int i = 0; i < WARM_ROUNDS; i++) {
        one_round(loop, jobs, n, step_us, &r);
        warm = r.cpu < warm.cpu ? r : warm;
    }
    printf("impl=libuv timers=%ld step_us=%ld rounding=1ms wall_ns=%llu cpu_ns=%llu startup_ns=%llu "
           "startup_cpu_ns=%llu late_mean_us=%.1f late_max_us=%.1f cold_wall_ns=%llu cold_cpu_ns=%llu\n", n,
           step_us, (unsigned long long)warm.wall, (unsigned long long)warm.cpu, (unsigned long long)warm.startup,
           (unsigned long long)warm.startup_cpu, (double)warm.late_sum / (double)n / 1e3,
           (double)warm.late_max / 1e3, (unsigned long long)cold.wall, (unsigned long long)cold.cpu);
    uv_loop_close(loop);
    free(jobs);
    return 0;
}
