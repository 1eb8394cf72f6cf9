/* readme_snippet.c — the README's first example, kept here verbatim so the
 * build proves it compiles against the current API (tests/CMakeLists.txt
 * compiles it; tests/readme_check.sh keeps it equal to the README). */
#include <cio.h>

static const char *urls[] = { "http://127.0.0.1:8080/a.jpg", "http://127.0.0.1:8080/b.jpg" };

static intptr_t checksum(void *arg)                   /* runs on an executor thread */
{
    const cio_http_response *res = arg;
    return (intptr_t)(res->body_len % 65521);
}

static intptr_t download(void *arg)                   /* a task: runs on its own stack */
{
    cio_http_response *res = NULL;
    intptr_t status = CIO_AWAIT(cio_http_get(arg, &res));
    if (status < 0)                                     /* -errno: errors travel as values */
        return status;
    intptr_t sum = CIO_AWAIT(cio_run_in_executor(NULL, checksum, res)); /* CPU work off the loop */
    cio_http_response_free(res);
    return sum;
}

static intptr_t main_task(void *arg)
{
    cio_pool *pool = cio_pool_new(2);                   /* gevent.pool.Pool(2) */
    intptr_t sums[2];
    intptr_t rc = CIO_AWAIT(cio_pool_map(pool, download, (void *const *)urls, 2, sums));
    cio_pool_free(pool);
    return rc;                                          /* first error, or 0 */
}

int main(void) { return cio_run(main_task, NULL, NULL) < 0; } /* asyncio.run */
