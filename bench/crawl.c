/* bench/crawl.c — GETs every URL of a list with `inflight` requests at a
 * time (worker tasks pulling from a shared index), bodies counted and
 * dropped. Prints requests/s.
 *
 *   bench_crawl URL_LIST [INFLIGHT=100]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cio.h>

static char **urls;
static size_t nurls, next, errors;

static intptr_t worker(void *arg)
{
    (void)arg;
    while (next < nurls) {
        intptr_t st = CIO_AWAIT(cio_http_get(urls[next++], NULL));
        errors += st != 200;
    }
    return 0;
}

static intptr_t main_task(void *arg)
{
    size_t inflight = (size_t)(uintptr_t)arg;
    cio_task **t = calloc(inflight, sizeof(*t));
    if (!t || cio_http_init(NULL) < 0) { /* libcurl loaded before the clock starts, as curl's own is */
        free(t);
        return -1;
    }
    uint64_t t0 = cio_loop_time_ns(cio_loop_current());
    for (size_t i = 0; i < inflight; i++)
        t[i] = cio_spawn(worker, NULL);
    for (size_t i = 0; i < inflight; i++)
        CIO_AWAIT(t[i]);
    double s = (double)(cio_loop_time_ns(cio_loop_current()) - t0) / 1e9;
    printf("requests=%zu errors=%zu seconds=%.3f requests_per_s=%.0f\n", nurls, errors, s, (double)nurls / s);
    free(t);
    return errors ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_crawl URL_LIST [INFLIGHT]\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    char line[1024];
    size_t cap = 0;
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0])
            continue;
        if (nurls == cap)
            urls = realloc(urls, (cap = cap ? 2 * cap : 1024) * sizeof(char *));
        urls[nurls++] = strdup(line);
    }
    if (f)
        fclose(f);
    size_t inflight = argc > 2 ? strtoul(argv[2], NULL, 10) : 100;
    intptr_t r = cio_run(main_task, (void *)(uintptr_t)(inflight ? inflight : 1), NULL);
    for (size_t i = 0; i < nurls; i++)
        free(urls[i]);
    free(urls);
    return r != 0;
}
