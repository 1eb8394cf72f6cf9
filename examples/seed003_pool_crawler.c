/* seed003_pool_crawler.c — seed 003's crawler with gevent.pool.Pool(2):
 * at most two downloads run at once, so the third starts only when one of
 * the first two is done. The third site does not answer at all (the seed's
 * unreachable domain): its error is printed, the others carry on.
 *
 *   pool = Pool(2); pool.map(run_task, urls)
 */
#include "local_web.h"

static web_page pages[] = {
    { "http://github.com", 150, 14823, "" },
    { "https://www.python.org", 50, 48861, "" },
    { "http://痛点就是起点.win", 0, 0, "" },
};

static intptr_t run_task(void *arg)
{
    const web_page *p = arg;
    printf("visit ---> %s\n", p->name);
    cio_http_response *r = NULL;
    intptr_t st = CIO_AWAIT(cio_http_get(p->url, &r));
    if (st == 200)
        printf("%zu bytes received from %s.\n", r->body_len, p->name);
    else
        printf("%s: %s\n", p->name, st < 0 ? cio_strerror(st) : "bad status");
    cio_http_response_free(r);
    return 0; /* handled, like the seed's try/except around urlopen */
}

static intptr_t main_task(void *arg)
{
    (void)arg;
    web_site site = { pages, 2, NULL }; /* the third page is not served */
    int rc = web_start(&site);
    if (rc < 0)
        return rc;
    strcpy(pages[2].url, "http://127.0.0.1:1/"); /* nobody listens there */
    void *args[] = { &pages[0], &pages[1], &pages[2] };
    intptr_t results[3];
    cio_pool *pool = cio_pool_new(2);
    cio_future *map = cio_pool_map(pool, run_task, args, 3, results);
    rc = (int)CIO_AWAIT(map);
    printf("pool.map: %s\n", rc < 0 ? cio_strerror(rc) : "done");
    cio_pool_free(pool);
    web_stop(&site);
    return 0;
}

int main(void) { return cio_run(main_task, NULL, NULL) != 0; }
