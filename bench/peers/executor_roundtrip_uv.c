/* peer: libuv uv_queue_work round trips (run with UV_THREADPOOL_SIZE=2).
 * Usage: peer_executor_roundtrip_uv [N]. Prints us_per_roundtrip=X. */
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

static long g_n = 100000, g_done, g_warm = 1000;
static uint64_t g_t0;
static uv_work_t g_req;

static void work(uv_work_t *req) { req->data = (void *)((intptr_t)req->data + 1); }

static void after(uv_work_t *req, int status)
{
    (void)status;
    if (g_warm > 0 && --g_warm == 0)
        g_t0 = uv_hrtime();
    else if (g_warm == 0 && ++g_done == g_n)
        return;
    uv_queue_work(uv_default_loop(), req, work, after);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        g_n = atol(argv[1]);
    uv_queue_work(uv_default_loop(), &g_req, work, after);
    uv_run(uv_default_loop(), UV_RUN_DEFAULT);
    printf("roundtrips=%ld us_per_roundtrip=%.3f\n", g_n, (double)(uv_hrtime() - g_t0) / 1e3 / (double)g_n);
    return 0;
}
