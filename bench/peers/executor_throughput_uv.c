/* peer: libuv uv_queue_work throughput — TOTAL trivial jobs in waves of
 * 1,000 (run with UV_THREADPOOL_SIZE=2). Prints jobs_per_s=X cpu_ns_per_job=Y. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <uv.h>

enum { WAVE = 1000 };
static long g_total = 1000000, g_submitted, g_outstanding;
static uv_work_t g_req[WAVE];

static void work(uv_work_t *req) { req->data = (void *)((intptr_t)req->data + 1); }
static void after(uv_work_t *req, int status);

static void wave(void)
{
    for (int i = 0; i < WAVE; i++) {
        g_req[i].data = (void *)(intptr_t)i;
        uv_queue_work(uv_default_loop(), &g_req[i], work, after);
    }
    g_submitted += WAVE;
    g_outstanding = WAVE;
}

static void after(uv_work_t *req, int status)
{
    (void)req, (void)status;
    if (--g_outstanding == 0 && g_submitted < g_total)
        wave();
}

static double cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        g_total = atol(argv[1]) / WAVE * WAVE;
    uint64_t t0 = uv_hrtime();
    double c0 = cpu_ms();
    wave();
    uv_run(uv_default_loop(), UV_RUN_DEFAULT);
    printf("jobs=%ld jobs_per_s=%.0f cpu_ns_per_job=%.0f\n", g_total,
           (double)g_total / ((double)(uv_hrtime() - t0) / 1e9), (cpu_ms() - c0) * 1e6 / (double)g_total);
    return 0;
}
