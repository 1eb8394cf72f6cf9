/* bench/timers.c — many concurrent sleeps: N tasks (default 100,000), task i
 * sleeps until i * STEP µs after the start (default 10 µs, so the deadlines
 * spread over 0–1 s). cio_sleep_until takes the absolute deadline, so the
 * schedule does not drift with the time it takes to start 100,000 tasks,
 * and, as with libuv arming its timers, no task reads the clock to sleep.
 * For each round it measures the wall time from the first spawn until every
 * task is done, the CPU time (getrusage, user + system) over the same span,
 * the time until every task was parked (startup), and how late the wake-ups
 * were (mean and max, µs after each task's deadline). The first round
 * ("cold") maps and first-touches a stack page per task; the loop keeps N
 * stacks resident (`stack_cache`, as a program that parks this many tasks
 * again and again would set it), so the warm rounds that follow
 * (WARM_ROUNDS) reuse them; the warm figures are those of the round that
 * used the least CPU, as the host's noise only ever adds.
 * Usage: bench_timers [N] [STEP_US]
 */
#include <cio.h>
#include "bench.h"

enum { WARM_ROUNDS = 3 };

typedef struct job {
    uint64_t due_ns;
    uint64_t late_ns;
} job;

typedef struct round_stats {
    uint64_t wall, cpu, startup, startup_cpu, late_sum, late_max;
} round_stats;

static intptr_t sleeper(void *arg)
{
    job *j = arg;
    intptr_t r = CIO_AWAIT(cio_sleep_until(j->due_ns));
    j->late_ns = bench_now_ns() - j->due_ns;
    return r;
}

/* One round of n sleepers; returns 0 when every sleep succeeded. */
static intptr_t one_round(job *jobs, cio_task **tasks, long n, long step_us, round_stats *st)
{
    uint64_t t0 = bench_now_ns(), c0 = bench_cpu_ns();
    for (long i = 0; i < n; i++) {
        jobs[i] = (job){ .due_ns = t0 + CIO_US((uint64_t)i * (uint64_t)step_us) };
        tasks[i] = cio_spawn(sleeper, &jobs[i]);
    }
    cio_yield(); /* resumes once every task has run up to its sleep */
    st->startup = bench_now_ns() - t0;
    st->startup_cpu = bench_cpu_ns() - c0;
    intptr_t bad = 0;
    for (long i = 0; i < n; i++)
        bad |= CIO_AWAIT(tasks[i]);
    st->wall = bench_now_ns() - t0;
    st->cpu = bench_cpu_ns() - c0;
    st->late_sum = st->late_max = 0;
    for (long i = 0; i < n; i++) {
        st->late_sum += jobs[i].late_ns;
        st->late_max = jobs[i].late_ns > st->late_max ? jobs[i].late_ns : st->late_max;
    }
    return bad;
}

static intptr_t main_task(void *arg)
{
    long *p = arg, n = p[0], step_us = p[1];
    job *jobs = calloc((size_t)n, sizeof(*jobs));
    cio_task **tasks = malloc((size_t)n * sizeof(*tasks));
    round_stats cold, warm = { .cpu = UINT64_MAX }, r;
    intptr_t bad = !jobs || !tasks;
    if (!bad)
        bad = one_round(jobs, tasks, n, step_us, &cold);
    for (int i = 0; i < WARM_ROUNDS && !bad; i++) {
        bad = one_round(jobs, tasks, n, step_us, &r);
        warm = r.cpu < warm.cpu ? r : warm;
    }
    if (!bad)
        printf("impl=cio timers=%ld step_us=%ld wall_ns=%llu cpu_ns=%llu startup_ns=%llu startup_cpu_ns=%llu "
               "late_mean_us=%.1f late_max_us=%.1f cold_wall_ns=%llu cold_cpu_ns=%llu cold_startup_ns=%llu "
               "first_touch_ns_per_page=%.0f\n", n, step_us, (unsigned long long)warm.wall,
               (unsigned long long)warm.cpu, (unsigned long long)warm.startup, (unsigned long long)warm.startup_cpu,
               (double)warm.late_sum / (double)n / 1e3, (double)warm.late_max / 1e3, (unsigned long long)cold.wall,
               (unsigned long long)cold.cpu, (unsigned long long)cold.startup, bench_first_touch_ns_per_page());
    free(jobs);
    free(tasks);
    return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
    long args[2] = { bench_arg(argc, argv, 1, 100000), bench_arg(argc, argv, 2, 10) };
    cio_loop_opts opts = { .stack_cache = (size_t)args[0] };
    intptr_t rc = cio_run(main_task, args, &opts);
    if (rc < 0)
        fprintf(stderr, "bench_timers: %s\n", cio_strerror(rc));
    return rc < 0;
}
