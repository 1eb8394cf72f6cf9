/* echo_server.c — a line echo server with graceful shutdown on SIGINT/SIGTERM.
 *
 *   echo_server PORT     serve on 0.0.0.0:PORT until ^C
 *   echo_server          demo: serve on a free port, talk to it with a
 *                        client task, then send ourselves SIGINT
 */
#include <cio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static intptr_t echo(cio_stream *s, void *arg)
{
    (void)arg;
    char line[1024];
    intptr_t n;
    while ((n = cio_stream_readline(s, line, sizeof line)) > 0) {
        if (cio_stream_write(s, line, (size_t)n) < 0 || cio_stream_drain(s) < 0)
            break;
    }
    return 0;
}

static intptr_t client(void *arg)
{
    uint16_t port = (uint16_t)(uintptr_t)arg;
    intptr_t fd = CIO_AWAIT(cio_open_connection("127.0.0.1", port));
    if (fd < 0)
        return fd;
    cio_stream *s = cio_stream_new((int)fd, NULL);
    const char *lines[] = { "hello\n", "asyncio for C\n", "bye\n" };
    char reply[64];
    for (int i = 0; i < 3; i++) {
        cio_stream_write(s, lines[i], strlen(lines[i]));
        intptr_t n = cio_stream_readline(s, reply, sizeof reply);
        if (n <= 0)
            break;
        printf("client got: %.*s", (int)n, reply);
    }
    return cio_stream_close(s);
}

static void on_stop(void *arg)
{
    cio_future_set_result(arg, 0);
}

static intptr_t main_task(void *arg)
{
    int port = (int)(intptr_t)arg;
    cio_server *srv;
    int rc = cio_start_server(port ? "0.0.0.0" : "127.0.0.1", (uint16_t)port, echo, NULL, NULL, &srv);
    if (rc < 0) {
        fprintf(stderr, "echo_server: %s\n", cio_strerror(rc));
        return rc;
    }
    cio_future *stop = cio_future_new(NULL);
    cio_signal_handler *hi = cio_signal_handler_add(SIGINT, on_stop, stop);
    cio_signal_handler *ht = cio_signal_handler_add(SIGTERM, on_stop, stop);
    if (port) {
        printf("listening on port %u; ^C to stop\n", cio_server_port(srv));
        fflush(stdout);
    } else {
        printf("echo server up\n");
        cio_task *c = cio_spawn(client, (void *)(uintptr_t)cio_server_port(srv));
        printf("client done: %s\n", cio_strerror(CIO_AWAIT(c)));
        kill(getpid(), SIGINT); /* as if ^C were pressed */
    }
    CIO_AWAIT(stop);
    printf("SIGINT or SIGTERM: closing gracefully\n");
    intptr_t cancelled = cio_server_close(srv, CIO_MS(2000));
    printf("server closed (%ld handlers cancelled)\n", (long)cancelled);
    cio_signal_handler_remove(hi);
    cio_signal_handler_remove(ht);
    return 0;
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 0;
    return cio_run(main_task, (void *)(intptr_t)port, NULL) < 0;
}
