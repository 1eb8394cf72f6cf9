/* seed001_crawler.c — seed 001's crawler: fetch three pages one after the
 * other, then all at once (gevent.spawn + joinall), and compare the times.
 * The "internet" is a local server (local_web.h) with a latency per page.
 *
 *   for url in urls: spider(url)                        # 同步耗时
 *   gevent.joinall([gevent.spawn(spider, url), ...])    # 异步耗时
 */
#include "local_web.h"

static web_page pages[] = {
    { "https://www.python.org/", 150, 48861, "" },
    { "https://www.yahoo.com/", 250, 304034, "" },
    { "https://github.com/", 50, 14823, "" },
};

static intptr_t spider(void *arg)
{
    const web_page *p = arg;
    printf("GET:%s\n", p->name);
    cio_http_response *r = NULL;
    intptr_t st = CIO_AWAIT(cio_http_get(p->url, &r));
    if (st == 200)
        printf("%zu bytes received from %s..\n", r->body_len, p->name);
    else
        printf("%s failed: %s\n", p->name, st < 0 ? cio_strerror(st) : "bad status");
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
    double t0 = web_now();
    for (int i = 0; i < 3; i++)
        spider(&pages[i]);
    double sync_s = web_now() - t0;
    printf("-- sequential done\n");

    t0 = web_now();
    cio_future *tasks[3];
    for (int i = 0; i < 3; i++)
        tasks[i] = cio_spawn(spider, &pages[i]);
    rc = (int)CIO_AWAIT(cio_gather(tasks, 3, NULL, 0));
    double async_s = web_now() - t0;
    printf("-- concurrent done\n");
    fprintf(stderr, "同步耗时 (sequential): %.3f s\n异步耗时 (concurrent): %.3f s\n", sync_s, async_s);
    printf("concurrent faster than sequential: %s\n", async_s < sync_s ? "yes" : "no");
    web_stop(&site);
    return rc;
}

int main(void) { return cio_run(main_task, NULL, NULL) != 0; }
