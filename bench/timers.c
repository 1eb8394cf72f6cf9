/* bench/timers.c — many concurrent sleeps: N tasks (default 100,000), task i
 * sleeps until i * STEP µs after the start (default 10 µs, so the deadlines
 * spread over 0–1 s; a task that starts late sleeps correspondingly less,
 * so the schedule does not drift with the time it takes to start 100,000
 * tasks). Prints wall time from the first spawn until every task is done,
 * the CPU time (getrusage, user + system) over the same span, the time
 * until every task was parked (startup), and how late the wake-ups were
 * (mean and max, µs after each task's deadline).
 * Usage: bench_timers [N] [STEP_US]
 */
#include <cio.h>
#include "bench.h"

typedef struct job {
    uint64_t due_ns;
    uint64_t late_ns;
} job;

static intptr_t sleeper(void *arg)
{
    job *j = arg;
    uint64_t now = bench_now_ns();
    intptr_t r = CIO_AWAIT(cio_sleep(j->due_ns > now ? j->due_ns - now : 0));
    j->late_ns = bench_now_ns() - j->due_ns;
    return r;
}

static intptr_t main_task(void *arg)
{
    long *p = arg, n = p[0], step_us = p[1];
    job *jobs = calloc((size_t)n, sizeof(*jobs));
    cio_task **tasks = malloc((size_t)n * sizeof(*tasks));
    if (!jobs || !tasks)
        return -1;
    uint64_t t0 = bench_now_ns(), c0 = bench_cpu_ns();
    for (long i = 0; i < n; i++) {
        jobs[i].due_ns = t0 + CIO_US((uint64_t)i * (uint64_t)step_us);
        tasks[i] = cio_spawn(sleeper, &jobs[i]);
    }
    cio_yield(); /* resumes once every task has run up to its sleep */
    uint64_t startup = bench_now_ns() - t0, startup_cpu = bench_cpu_ns() - c0;
    intptr_t bad = 0;
    for (long i = 0; i < n; i++)
        bad |= CIO_AWAIT(tasks[i]);
    uint64_t wall = bench_now_ns() - t0, cpu = bench_cpu_ns() - c0, late = 0, late_max = 0;
    for (long i = 0; i < n; i++) {
        late += jobs[i].late_ns;
        late_max = jobs[i].late_ns > late_max ? jobs[i].late_ns : late_max;
    }
    printf("impl=cio timers=%ld step_us=%ld wall_ns=%llu cpu_ns=%llu startup_ns=%llu startup_cpu_ns=%llu "
           "late_mean_us=%.1f late_max_us=%.1f\n", n, step_us, (unsigned long long)wall, (unsigned long long)cpu,
           (unsigned long long)startup, (unsigned long long)startup_cpu, (double)late / (double)n / 1e3,
           (double)late_max / 1e3);
    free(jobs);
    free(tasks);
    return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
    long args[2] = { bench_arg(argc, argv, 1, 100000), bench_arg(argc, argv, 2, 10) };
    intptr_t rc = cio_run(main_task, args, NULL);
    if (rc < 0)
        fprintf(stderr, "bench_timers: %s\n", cio_strerror(rc));
    return rc < 0;
}
