/* examples/local_web.h — a pretend internet on loopback for the crawler
 * examples: a cio server whose pages have a size and a latency, so that
 * "fetching python.org" is deterministic, offline, and still slow enough
 * for concurrency to show. Included by the seed examples (header-only).
 */
#ifndef CIO_EXAMPLES_LOCAL_WEB_H
#define CIO_EXAMPLES_LOCAL_WEB_H

#include <stdio.h>
#include <string.h>
#include <cio.h>

typedef struct web_page {
    const char *name;  /* what the seed fetched, e.g. "https://www.python.org/" */
    int latency_ms;    /* how long the server thinks before answering */
    size_t size;       /* body bytes */
    char url[128];     /* filled by web_start: the local mirror's URL */
} web_page;

typedef struct web_site {
    web_page *pages;
    size_t n;
    cio_server *srv;
} web_site;

static inline const web_page *web_find(const web_site *site, const char *path)
{
    for (size_t i = 0; i < site->n; i++)
        if (!strcmp(strstr(site->pages[i].url + 7, "/"), path))
            return &site->pages[i];
    return NULL;
}

static inline void web_body(cio_stream *s, size_t size)
{
    static const char text[] = "<p>cio: asyncio for C, on io_uring</p>\n";
    char chunk[4096];
    for (size_t i = 0; i < sizeof chunk; i++)
        chunk[i] = text[i % (sizeof text - 1)];
    for (size_t sent = 0; sent < size;) {
        size_t k = size - sent < sizeof chunk ? size - sent : sizeof chunk;
        cio_stream_write(s, chunk, k);
        cio_stream_drain(s);
        sent += k;
    }
}

/* One connection: answers requests (keep-alive) until the client leaves. */
static inline intptr_t web_handler(cio_stream *s, void *arg)
{
    const web_site *site = arg;
    char line[1024], method[16], path[512];
    for (;;) {
        intptr_t n = cio_stream_readline(s, line, sizeof line);
        if (n <= 0 || sscanf(line, "%15s %511s", method, path) != 2)
            return 0;
        while ((n = cio_stream_readline(s, line, sizeof line)) > 2)
            ;
        if (n <= 0)
            return 0;
        const web_page *p = web_find(site, path);
        if (p)
            CIO_AWAIT(cio_sleep(CIO_MS(p->latency_ms)));
        size_t size = p ? p->size : 9;
        int k = snprintf(line, sizeof line, "HTTP/1.1 %s\r\nContent-Length: %zu\r\nContent-Type: text/html\r\n\r\n",
                         p ? "200 OK" : "404 Not Found", size);
        cio_stream_write(s, line, (size_t)k);
        if (!p)
            cio_stream_write(s, "not found", 9);
        else
            web_body(s, size);
        if (cio_stream_flush(s) < 0)
            return 0;
    }
}

/* Starts the site on 127.0.0.1 (a free port) and fills in each page's URL:
 * http://127.0.0.1:PORT/<name without its scheme>. Returns 0 or -errno. */
static inline int web_start(web_site *site)
{
    int rc = cio_start_server("127.0.0.1", 0, web_handler, site, NULL, &site->srv);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < site->n; i++) {
        const char *host = strstr(site->pages[i].name, "://");
        snprintf(site->pages[i].url, sizeof site->pages[i].url, "http://127.0.0.1:%u/%s",
                 cio_server_port(site->srv), host ? host + 3 : site->pages[i].name);
    }
    return 0;
}

/* Stops the site; curl keeps idle keep-alive connections, so do not wait. */
static inline void web_stop(web_site *site) { cio_server_close(site->srv, 0); }

static inline double web_now(void) { return (double)cio_loop_time_ns(cio_loop_current()) / 1e9; }

#endif
