/* bench/echo_cio.c — the cio server of the echo suite, written as a user
 * would write it: cio_start_server on 127.0.0.1 and a handler per
 * connection. Two handlers:
 *   stream (default, the headline): cio_stream_read into a 4 KiB buffer,
 *          cio_stream_write the bytes back, cio_stream_drain (which returns
 *          at once unless more than the high-water mark is queued) — the
 *          asyncio StreamReader/StreamWriter echo;
 *   raw:   CIO_AWAIT(cio_recv) / CIO_AWAIT(cio_send) on the stream's fd, one
 *          receive and one send per message, no stream buffering.
 * Prints "listening port=N" once it accepts connections and serves until
 * SIGTERM/SIGINT.
 * Usage: bench_echo_cio [PORT=0 (any free port)] [stream|raw]
 */
#include <cio.h>
#include <signal.h>
#include "bench.h"

static intptr_t echo_stream(cio_stream *s, void *arg)
{
    (void)arg;
    char buf[4096];
    intptr_t n;
    while ((n = cio_stream_read(s, buf, sizeof buf)) > 0)
        if (cio_stream_write(s, buf, (size_t)n) < 0 || cio_stream_drain(s) < 0)
            break;
    return 0;
}

static intptr_t echo_raw(cio_stream *s, void *arg)
{
    (void)arg;
    int fd = cio_stream_fd(s);
    char buf[4096];
    intptr_t n;
    while ((n = CIO_AWAIT(cio_recv(fd, buf, sizeof buf, 0))) > 0)
        for (intptr_t off = 0; off < n;) {
            intptr_t k = CIO_AWAIT(cio_send(fd, buf + off, (size_t)(n - off), 0));
            if (k <= 0)
                return 0;
            off += k;
        }
    return 0;
}

static void on_stop(void *arg)
{
    cio_future_set_result(arg, 0);
}

static intptr_t main_task(void *arg)
{
    char **argv = arg;
    int port = argv[1] ? atoi(argv[1]) : 0;
    bool raw = argv[1] && argv[2] && !strcmp(argv[2], "raw");
    cio_server *srv;
    int rc = cio_start_server("127.0.0.1", (uint16_t)port, raw ? echo_raw : echo_stream, NULL, NULL, &srv);
    if (rc < 0) {
        fprintf(stderr, "echo_cio: %s\n", cio_strerror(rc));
        return rc;
    }
    cio_future *stop = cio_future_new(NULL);
    cio_signal_handler *ht = cio_signal_handler_add(SIGTERM, on_stop, stop);
    cio_signal_handler *hi = cio_signal_handler_add(SIGINT, on_stop, stop);
    printf("listening port=%u impl=cio_%s\n", cio_server_port(srv), raw ? "raw" : "stream");
    fflush(stdout);
    CIO_AWAIT(stop);
    cio_server_close(srv, 0);
    cio_signal_handler_remove(ht);
    cio_signal_handler_remove(hi);
    return 0;
}

int main(int argc, char **argv)
{
    (void)argc;
    return cio_run(main_task, argv, NULL) < 0;
}
