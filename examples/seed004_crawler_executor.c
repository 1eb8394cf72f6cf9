/* seed004_crawler_executor.c — seed 004's mix: a CPU-bound job runs on a
 * one-thread executor (ThreadPoolExecutor(1) + loop.run_in_executor) while
 * the loop keeps crawling; the loop never blocks on the computation.
 *
 *   res = loop.run_in_executor(executor, cpu_bound, i, j)
 *   ... gevent-style spiders run meanwhile ...
 *   await res
 */
#include "local_web.h"

static web_page pages[] = {
    { "https://www.python.org/", 100, 45661, "" },
    { "https://www.yahoo.com/", 200, 304034, "" },
    { "https://github.com/", 30, 14823, "" },
};

/* The CPU job: primes below `limit` (runs on the executor's thread). */
static intptr_t cpu_bound(void *arg)
{
    intptr_t limit = (intptr_t)arg, count = 0;
    for (intptr_t n = 2; n < limit; n++) {
        bool prime = true;
        for (intptr_t d = 2; d * d <= n && prime; d++)
            prime = n % d != 0;
        count += prime;
    }
    return count;
}

static intptr_t spider(void *arg)
{
    const web_page *p = arg;
    printf("GET: %s\n", p->name);
    cio_http_response *r = NULL;
    intptr_t st = CIO_AWAIT(cio_http_get(p->url, &r));
    if (st == 200)
        printf("%zu bytes received from %s.\n", r->body_len, p->name);
    cio_http_response_free(r);
    return st < 0 ? st : 0;
}

static intptr_t main_task(void *arg)
{
    (void)arg;
    web_site site = { pages, 3, NULL };
    int rc = web_start(&site);
    if (rc < 0)
        return rc;
    cio_executor *ex;
    if ((rc = cio_executor_new(&ex, 1)) < 0)
        return rc;
    cio_future *job = cio_run_in_executor(ex, cpu_bound, (void *)(intptr_t)300000);
    printf("cpu_bound(300000) submitted to the executor\n");
    cio_future *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = cio_spawn(spider, &pages[i]);
    rc = (int)CIO_AWAIT(cio_gather(tasks, 3, NULL, 0));
    printf("crawl: %s\n", rc < 0 ? cio_strerror(rc) : "done");
    printf("cpu_bound(300000) = %ld primes\n", (long)CIO_AWAIT(job));
    cio_executor_free(ex);
    web_stop(&site);
    return rc;
}

int main(void) { return cio_run(main_task, NULL, NULL) != 0; }
