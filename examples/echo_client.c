/* echo_client.c — sends each line of stdin to an echo server and prints
 * the replies: `echo_client HOST PORT < file` (names are resolved on the
 * executor's resolver pool; numeric hosts need none). */
#include <cio.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct args {
    const char *host;
    uint16_t port;
} args;

static intptr_t main_task(void *arg)
{
    const args *a = arg;
    intptr_t fd = CIO_AWAIT(cio_with_timeout(cio_open_connection(a->host, a->port), CIO_MS(5000)));
    if (fd < 0) {
        fprintf(stderr, "echo_client: connect: %s\n", cio_strerror(fd));
        return fd;
    }
    cio_stream *s = cio_stream_new((int)fd, &(cio_stream_opts){ .timeout_ns = CIO_MS(5000) });
    char line[4096], reply[4096];
    intptr_t rc = 0;
    while (fgets(line, sizeof line, stdin)) { /* stdin may be a file: plain stdio */
        cio_stream_write(s, line, strlen(line));
        intptr_t m = cio_stream_readline(s, reply, sizeof reply);
        if (m <= 0) {
            rc = m < 0 ? m : -ECONNRESET;
            break;
        }
        fwrite(reply, 1, (size_t)m, stdout);
    }
    cio_stream_close(s);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: echo_client HOST PORT < lines\n");
        return 2;
    }
    args a = { argv[1], (uint16_t)atoi(argv[2]) };
    return cio_run(main_task, &a, NULL) < 0;
}
