/* http_static.c — a static-file HTTP/1.1 server (cio_http_static_start).
 *
 *   http_static ROOT [PORT]   serve ROOT on 127.0.0.1:PORT (0: any free
 *                             port, printed) until ^C
 *   http_static               demo: serve a small site from a scratch
 *                             directory and fetch from it with a client task
 */
#include <cio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Sends one request and prints the status line and body length. */
static void fetch(cio_stream *s, const char *method, const char *path)
{
    char req[256], line[512];
    int n = snprintf(req, sizeof req, "%s %s HTTP/1.1\r\nHost: localhost\r\n\r\n", method, path);
    cio_stream_write(s, req, (size_t)n);
    intptr_t m = cio_stream_readline(s, line, sizeof line);
    if (m <= 0)
        return;
    long len = 0;
    printf("%-4s %-22s -> %.*s", method, path, (int)(m - 2), line);
    while ((m = cio_stream_readline(s, line, sizeof line)) > 2)
        if (!strncmp(line, "Content-Length: ", 16))
            len = atol(line + 16);
    char body[256] = "";
    if (strcmp(method, "HEAD") && len > 0 && len < (long)sizeof body)
        cio_stream_readexactly(s, body, (size_t)len);
    printf(", %ld bytes%s%.*s", len, body[0] ? ": " : "\n", (int)strlen(body), body);
}

static intptr_t demo(void *arg)
{
    (void)arg;
    mkdir("site", 0700);
    mkdir("site/docs", 0700);
    FILE *f = fopen("site/index.html", "w");
    fputs("<h1>cio</h1>\n", f);
    fclose(f);
    f = fopen("site/docs/hello.txt", "w");
    fputs("hello from io_uring\n", f);
    fclose(f);
    cio_server *srv;
    int rc = cio_http_static_start("site", "127.0.0.1", 0, NULL, &srv);
    if (rc < 0)
        return rc;
    printf("serving ./site on 127.0.0.1 (port chosen by the kernel)\n");
    intptr_t fd = CIO_AWAIT(cio_open_connection("127.0.0.1", cio_server_port(srv)));
    cio_stream *s = cio_stream_new((int)fd, NULL);
    fetch(s, "GET", "/");
    fetch(s, "GET", "/docs/hello.txt");
    fetch(s, "HEAD", "/docs/hello.txt");
    fetch(s, "GET", "/nope.html");
    fetch(s, "GET", "/../../etc/passwd");
    fetch(s, "GET", "/docs/%2e%2e/%2e%2e/x");
    fetch(s, "POST", "/");
    cio_stream_close(s);
    printf("closed: %ld handlers cancelled\n", (long)cio_server_close(srv, CIO_MS(1000)));
    return 0;
}

static void on_sigint(void *arg) { cio_future_set_result(arg, 0); }

static intptr_t serve(void *arg)
{
    char **argv = arg;
    cio_server *srv;
    int rc = cio_http_static_start(argv[1], "127.0.0.1", (uint16_t)(argv[2] ? atoi(argv[2]) : 0), NULL, &srv);
    if (rc < 0) {
        fprintf(stderr, "http_static: %s\n", cio_strerror(rc));
        return rc;
    }
    printf("serving %s on http://127.0.0.1:%u/ ; ^C to stop\n", argv[1], cio_server_port(srv));
    fflush(stdout);
    cio_future *stop = cio_future_new(NULL);
    cio_signal_handler *h = cio_signal_handler_add(SIGINT, on_sigint, stop);
    CIO_AWAIT(stop);
    cio_server_close(srv, CIO_MS(2000));
    cio_signal_handler_remove(h);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return cio_run(serve, argv, NULL) < 0;
    return cio_run(demo, NULL, NULL) < 0;
}
