/* pool_limit.c — seed 003's gevent.pool.Pool(2).map over three URLs, with
 * cio_sleep standing in for the download: at most two run at once, so the
 * third starts only when the first of them finishes.
 *
 *   pool = Pool(2); pool.map(run_task, urls)
 */
#include <stdio.h>
#include <cio.h>

typedef struct job {
    const char *url;
    int ms;    /* how long the "download" takes */
    int bytes;
} job;

static cio_pool *pool;

static intptr_t run_task(void *arg)
{
    const job *j = arg;
    printf("visit ---> %s (running: %zu of 2)\n", j->url, cio_pool_running(pool));
    CIO_AWAIT(cio_sleep(CIO_MS(j->ms)));
    printf("%d bytes received from %s.\n", j->bytes, j->url);
    return j->bytes;
}

static intptr_t main_task(void *arg)
{
    (void)arg;
    static job jobs[] = {
        { "http://github.com", 150, 1000 },
        { "https://www.python.org", 50, 2000 },
        { "http://example.win", 50, 3000 },
    };
    void *args[] = { &jobs[0], &jobs[1], &jobs[2] };
    intptr_t results[3];
    pool = cio_pool_new(2);
    intptr_t rc = CIO_AWAIT(cio_pool_map(pool, run_task, args, 3, results));
    printf("map: %s, results in order: %ld %ld %ld\n", cio_strerror(rc), (long)results[0], (long)results[1],
           (long)results[2]);
    return cio_pool_free(pool);
}

int main(void) { return cio_run(main_task, NULL, NULL) != 0; }
