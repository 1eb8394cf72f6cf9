/* bench/peers/echo_uv.c — the libuv peer of the echo suite: the usual libuv
 * echo server on 127.0.0.1 (uv_listen, uv_accept, uv_read_start), with
 * TCP_NODELAY (uv_tcp_nodelay) as cio sets it. Each connection reads into
 * its own 4 KiB buffer (alloc_cb hands it out, so no malloc per read) and
 * echoes with uv_try_write; only what the socket does not take at once is
 * copied into a uv_write request (never the case for 64-byte ping-pong,
 * but it keeps the server correct).
 * Prints "listening port=N" once it accepts connections; runs until killed.
 * Usage: peer_echo_uv [PORT=0 (any free port)]
 */
#include <uv.h>
#include "bench.h"

enum { BUF = 4096 };

typedef struct conn {
    uv_tcp_t tcp; /* first: the handle's address is the conn's */
    char buf[BUF];
} conn;

typedef struct wreq {
    uv_write_t req;
    char data[];
} wreq;

static void on_close(uv_handle_t *h)
{
    free(h);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    *buf = uv_buf_init(((conn *)h)->buf, BUF);
}

static void on_written(uv_write_t *req, int status)
{
    if (status < 0)
        uv_close((uv_handle_t *)req->handle, on_close);
    free(req);
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    if (n < 0) {
        uv_close((uv_handle_t *)s, on_close);
        return;
    }
    uv_buf_t b = uv_buf_init(buf->base, (unsigned)n);
    int k = n ? uv_try_write(s, &b, 1) : 0;
    if (k == UV_EAGAIN)
        k = 0;
    if (k < 0) {
        uv_close((uv_handle_t *)s, on_close);
        return;
    }
    if (k < n) { /* the rest goes through a queued write */
        wreq *w = malloc(sizeof *w + (size_t)(n - k));
        memcpy(w->data, buf->base + k, (size_t)(n - k));
        uv_buf_t rest = uv_buf_init(w->data, (unsigned)(n - k));
        uv_write(&w->req, s, &rest, 1, on_written);
    }
}

static void on_connection(uv_stream_t *server, int status)
{
    if (status < 0)
        return;
    conn *c = malloc(sizeof *c);
    uv_tcp_init(server->loop, &c->tcp);
    if (uv_accept(server, (uv_stream_t *)&c->tcp) < 0) {
        uv_close((uv_handle_t *)&c->tcp, on_close);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

int main(int argc, char **argv)
{
    uv_loop_t *loop = uv_default_loop();
    uv_tcp_t server;
    struct sockaddr_in sa;
    int salen = sizeof sa;
    uv_ip4_addr("127.0.0.1", (int)bench_arg(argc, argv, 1, 0), &sa);
    uv_tcp_init(loop, &server);
    int rc = uv_tcp_bind(&server, (const struct sockaddr *)&sa, 0);
    if (rc == 0)
        rc = uv_listen((uv_stream_t *)&server, 511, on_connection);
    if (rc == 0)
        rc = uv_tcp_getsockname(&server, (struct sockaddr *)&sa, &salen);
    if (rc < 0) {
        fprintf(stderr, "echo_uv: %s\n", uv_strerror(rc));
        return 1;
    }
    printf("listening port=%u impl=libuv\n", ntohs(sa.sin_port));
    fflush(stdout);
    return uv_run(loop, UV_RUN_DEFAULT);
}
