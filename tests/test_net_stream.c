/* test_net_stream.c — buffered streams over socketpairs and loopback TCP:
 * readline/readuntil/readexactly/read, limits, end of stream and
 * incomplete reads, background writes with drain/flush/write_eof, errors
 * from a vanished or resetting peer, deadlines, and abort with a send in
 * flight. */
#include <netinet/tcp.h>
#include "net_util.h"

static void pair(int sv[2]) { CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0); }

static void put(int fd, const char *s) { CHECK_EQ(write(fd, s, strlen(s)), (ssize_t)strlen(s)); }

static intptr_t reading(void *arg)
{
    (void)arg;
    int sv[2];
    pair(sv);
    cio_stream *s = cio_stream_new(sv[0], &(cio_stream_opts){ .limit = 16 });
    CHECK(s);
    char buf[64];
    put(sv[1], "one\ntwo\r\nthree-four");
    CHECK_EQ(cio_stream_readline(s, buf, sizeof buf), 4);
    CHECK(!memcmp(buf, "one\n", 4));
    CHECK_EQ(cio_stream_readuntil(s, "\r\n", 2, buf, sizeof buf), 5);
    CHECK(!memcmp(buf, "two\r\n", 5));
    CHECK_EQ(cio_stream_readexactly(s, buf, 5), 5);
    CHECK(!memcmp(buf, "three", 5));
    CHECK_EQ(cio_stream_read(s, buf, 2), 2); /* "-f" */
    CHECK_EQ(cio_stream_readuntil(s, "x", 1, buf, 2), -EMSGSIZE); /* "our" > cap 2: stays buffered */
    put(sv[1], "0123456789abcdefghij");
    CHECK_EQ(cio_stream_readline(s, buf, sizeof buf), -EMSGSIZE); /* limit 16 */
    CHECK_EQ(cio_stream_read(s, buf, 16), 16);
    CHECK(!memcmp(buf, "our0123456789abc", 16));
    CHECK_EQ(cio_stream_read(s, buf, sizeof buf), 7); /* "defghij" */
    put(sv[1], "tail");
    close(sv[1]);
    CHECK_EQ(cio_stream_readexactly(s, buf, 10), -ENODATA);
    CHECK_EQ(cio_stream_partial(s), 4);
    CHECK(!memcmp(buf, "tail", 4));
    CHECK(cio_stream_at_eof(s));
    CHECK_EQ(cio_stream_readline(s, buf, sizeof buf), 0);
    CHECK_EQ(cio_stream_read(s, buf, sizeof buf), 0);
    CHECK_EQ(cio_stream_close(s), 0);
    return 0;
}

static void test_reading(void) { CHECK_EQ(test_run(reading, NULL), 0); }

static intptr_t partial_line(void *arg)
{
    (void)arg;
    int sv[2];
    pair(sv);
    cio_stream *s = cio_stream_new(sv[0], NULL);
    char buf[64];
    put(sv[1], "a\nno newline");
    shutdown(sv[1], SHUT_WR);
    CHECK_EQ(cio_stream_readline(s, buf, sizeof buf), 2);
    CHECK_EQ(cio_stream_readuntil(s, "\n", 1, buf, sizeof buf), -ENODATA); /* kept buffered */
    CHECK_EQ(cio_stream_readline(s, buf, sizeof buf), 10);                 /* asyncio: the partial line */
    CHECK(!memcmp(buf, "no newline", 10));
    CHECK_EQ(cio_stream_readline(s, buf, sizeof buf), 0);
    close(sv[1]);
    CHECK_EQ(cio_stream_close(s), 0);
    return 0;
}

static void test_partial_line_at_eof(void) { CHECK_EQ(test_run(partial_line, NULL), 0); }

/* A peer task reading everything until end of stream; returns the count
 * and checks the byte pattern. */
static intptr_t sink(void *arg)
{
    int fd = (int)(intptr_t)arg;
    static char buf[65536];
    intptr_t total = 0, n;
    while ((n = CIO_AWAIT(cio_recv(fd, buf, sizeof buf, 0))) > 0) {
        for (intptr_t i = 0; i < n; i++)
            CHECK_EQ((unsigned char)buf[i], (unsigned char)((total + i) % 251));
        total += n;
        CIO_AWAIT(cio_sleep(CIO_US(100))); /* a slowish reader */
    }
    return n < 0 ? n : total;
}

static intptr_t writing(void *arg)
{
    (void)arg;
    int sv[2];
    pair(sv);
    cio_task *peer = cio_spawn(sink, (void *)(intptr_t)sv[1]);
    cio_stream *s = cio_stream_new(sv[0], &(cio_stream_opts){ .high_water = 32768 });
    char chunk[1000];
    size_t total = 0;
    for (int i = 0; i < 2000; i++) {
        for (size_t j = 0; j < sizeof chunk; j++)
            chunk[j] = (char)((total + j) % 251);
        CHECK_EQ(cio_stream_write(s, chunk, sizeof chunk), 0);
        total += sizeof chunk;
        CHECK_EQ(cio_stream_drain(s), 0);
        CHECK(cio_stream_buffered(s) <= 32768 + sizeof chunk);
    }
    CHECK_EQ(cio_stream_write_eof(s), 0);
    CHECK_EQ(cio_stream_buffered(s), 0);
    CHECK_EQ(cio_stream_write(s, "x", 1), -EPIPE);
    CHECK_EQ(CIO_AWAIT(peer), (intptr_t)total);
    close(sv[1]);
    CHECK_EQ(cio_stream_close(s), 0);
    return 0;
}

static void test_writing_with_backpressure(void) { CHECK_EQ(test_run(writing, NULL), 0); }

static intptr_t peer_gone(void *arg)
{
    (void)arg;
    int sv[2];
    pair(sv);
    cio_stream *s = cio_stream_new(sv[0], NULL);
    close(sv[1]);
    CHECK_EQ(cio_stream_write(s, "hello", 5), 0); /* queued; the send fails later */
    CHECK_EQ(cio_stream_flush(s), -EPIPE);
    CHECK_EQ(cio_stream_write(s, "again", 5), -EPIPE);
    CHECK_EQ(cio_stream_close(s), -EPIPE);
    return 0;
}

static void test_peer_gone(void) { CHECK_EQ(test_run(peer_gone, NULL), 0); }

static intptr_t reset(void *arg)
{
    (void)arg;
    uint16_t port;
    int lfd = tu_listen4(&port);
    intptr_t c = CIO_AWAIT(cio_open_connection("127.0.0.1", port));
    CHECK(c >= 0);
    int a = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    CHECK(a >= 0);
    cio_stream *s = cio_stream_new((int)c, NULL);
    struct linger lg = { 1, 0 };
    CHECK_EQ(setsockopt(a, SOL_SOCKET, SO_LINGER, &lg, sizeof lg), 0);
    put(a, "partial");
    close(a); /* RST */
    char buf[32];
    CHECK_EQ(cio_stream_readline(s, buf, sizeof buf), -ECONNRESET);
    CHECK_EQ(cio_stream_readline(s, buf, sizeof buf), -ECONNRESET); /* sticky */
    cio_stream_close(s);
    close(lfd);
    return 0;
}

static void test_reset(void) { CHECK_EQ(test_run(reset, NULL), 0); }

static intptr_t timeouts(void *arg)
{
    (void)arg;
    int sv[2];
    pair(sv);
    cio_stream *s = cio_stream_new(sv[0], &(cio_stream_opts){ .timeout_ns = CIO_MS(20) });
    char buf[32];
    put(sv[1], "abc");
    CHECK_EQ(cio_stream_readline(s, buf, sizeof buf), -ETIMEDOUT);
    put(sv[1], "\n");
    CHECK_EQ(cio_stream_readline(s, buf, sizeof buf), 4); /* nothing was lost */
    CHECK_EQ(cio_stream_readexactly(s, buf, 4), -ETIMEDOUT);
    cio_stream_set_timeout(s, 0);
    close(sv[1]);
    CHECK_EQ(cio_stream_close(s), 0);
    return 0;
}

static void test_timeouts(void) { CHECK_EQ(test_run(timeouts, NULL), 0); }

static intptr_t stuck_writer(void *arg)
{
    (void)arg;
    int sv[2];
    pair(sv);
    cio_stream *s = cio_stream_new(sv[0], NULL);
    static char big[1 << 20];
    CHECK_EQ(cio_stream_write(s, big, sizeof big), 0);
    CHECK_EQ(cio_yield(), 0);
    CHECK_EQ(cio_yield(), 0); /* the send is in the kernel, blocked on a full peer */
    cio_stream_abort(s);      /* freed by the send's completion */
    /* The deadline only bounds the test: the peer closes within iterations. */
    cio_stream *s2 = cio_stream_new(sv[1], &(cio_stream_opts){ .timeout_ns = CIO_MS(5000) });
    CHECK_EQ(cio_stream_write(s2, big, sizeof big), 0);
    CHECK_EQ(cio_stream_close(s2), -EPIPE); /* peer gone */
    return 0;
}

static void test_abort_with_send_in_flight(void) { CHECK_EQ(test_run(stuck_writer, NULL), 0); }

static intptr_t two_readers_b(void *arg)
{
    char buf[4];
    return cio_stream_read(arg, buf, sizeof buf);
}

static intptr_t two_readers(void *arg)
{
    (void)arg;
    int sv[2];
    pair(sv);
    cio_stream *s = cio_stream_new(sv[0], NULL);
    cio_task *a = cio_spawn(two_readers_b, s);
    CHECK_EQ(cio_yield(), 0);
    char buf[4];
    CHECK_EQ(cio_stream_read(s, buf, sizeof buf), -EBUSY);
    put(sv[1], "xy");
    CHECK_EQ(CIO_AWAIT(a), 2);
    close(sv[1]);
    cio_stream_close(s);
    return 0;
}

static void test_one_reader_at_a_time(void) { CHECK_EQ(test_run(two_readers, NULL), 0); }

int main(void)
{
    test_alloc_install();
    int fds = tu_count_fds();
    RUN(test_reading);
    RUN(test_partial_line_at_eof);
    RUN(test_writing_with_backpressure);
    RUN(test_peer_gone);
    RUN(test_reset);
    RUN(test_timeouts);
    RUN(test_abort_with_send_in_flight);
    RUN(test_one_reader_at_a_time);
    CHECK_EQ(tu_count_fds(), fds);
    CHECK_EQ(test_alloc_live(), 0);
    return 0;
}
