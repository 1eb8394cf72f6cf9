/* executor_seed004.c — seed 004 in cio: a CPU-bound function runs on a
 * one-thread executor (asyncio's ThreadPoolExecutor(1)) while the main task
 * keeps looping and printing; once n > 20 it awaits the job's result.
 *
 *   Python (seed 004)                            cio
 *   executor = ThreadPoolExecutor(1)             cio_executor_new(&ex, 1)
 *   res = loop.run_in_executor(executor,         res = cio_run_in_executor(ex,
 *             cpu_bound, i, j)                             cpu_bound, &args)
 *   time.sleep(1)                                CIO_AWAIT(cio_sleep(...))
 *   await_res = await res                        CIO_AWAIT(res)
 *   loop.run_until_complete(main())              cio_run(main_task, ...)
 *
 * Two deliberate differences: the main task sleeps with cio_sleep (the
 * seed's time.sleep blocks the whole loop; here the loop stays free), and
 * the job starts printing only after main printed its first line, so the
 * output order is the one the seed shows rather than a race.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <cio.h>

struct args {
    intptr_t i, j;
    atomic_int main_started;
};

static intptr_t cpu_bound(void *p)
{
    struct args *a = p;
    while (!atomic_load(&a->main_started))
        nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
    for (int o = 0; o < 10; o++)
        printf("a----->> %d\n", o);
    printf("%ld %ld\n", (long)a->i, (long)a->j);
    return a->i + a->j; /* sum((i, j)) */
}

static intptr_t main_task(void *arg)
{
    (void)arg;
    cio_executor *executor;
    if (cio_executor_new(&executor, 1) < 0)
        return -1;
    struct args a = { .i = 0, .j = 1 };
    cio_future *res = cio_run_in_executor(executor, cpu_bound, &a);
    intptr_t n = 0, rc = 0;
    for (int l = 0; l < 10; l++) {
        printf("m---> %d\n", l);
        atomic_store(&a.main_started, 1);
        CIO_AWAIT(cio_sleep(CIO_MS(200))); /* time.sleep(1), without blocking the loop */
        n += l;
        if (n > 20) {
            intptr_t await_res = CIO_AWAIT(res);
            res = NULL;
            printf("%ld %ld\n", (long)n, (long)await_res);
            break;
        }
    }
    if (res) /* not reached with these numbers; never leave a job's future behind */
        rc = CIO_AWAIT(res);
    cio_executor_free(executor);
    return rc < 0 ? rc : 0;
}

int main(void)
{
    intptr_t rc = cio_run(main_task, NULL, NULL);
    if (rc == -ENOSYS || rc == -EPERM) {
        printf("io_uring unavailable here\n");
        return 77;
    }
    return rc < 0;
}
