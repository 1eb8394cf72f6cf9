/* test_net_socket.c — awaitable socket calls over socketpairs and loopback:
 * data, end of stream, IPv4/IPv6/Unix, UDP, msghdrs, errors, deadlines and
 * cancellation, and addresses. */
#include <sys/un.h>
#include "net_util.h"

static intptr_t pair_roundtrip(void *arg)
{
    (void)arg;
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    char buf[16] = { 0 };
    cio_future *r = cio_recv(sv[1], buf, sizeof buf, 0);
    CHECK_EQ(CIO_AWAIT(cio_send(sv[0], "hello", 5, 0)), 5);
    CHECK_EQ(CIO_AWAIT(r), 5);
    CHECK(!memcmp(buf, "hello", 5));
    CHECK_EQ(CIO_AWAIT(cio_shutdown(sv[0], SHUT_WR)), 0);
    CHECK_EQ(CIO_AWAIT(cio_recv(sv[1], buf, sizeof buf, 0)), 0); /* end of stream */
    CHECK_EQ(CIO_AWAIT(cio_close(sv[0])), 0);
    /* the peer is gone: send reports -EPIPE, never raises SIGPIPE */
    CHECK_EQ(CIO_AWAIT(cio_send(sv[1], "x", 1, 0)), -EPIPE);
    CHECK_EQ(CIO_AWAIT(cio_close(sv[1])), 0);
    return 0;
}

static void test_socketpair(void) { CHECK_EQ(test_run(pair_roundtrip, NULL), 0); }

/* connect + accept + echo over one address family. */
static intptr_t tcp_echo(const char *host, uint16_t port_hint)
{
    (void)port_hint;
    cio_addr a;
    CHECK_EQ(cio_addr_parse(&a, host, 0), 0);
    int lfd = socket(a.ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(lfd >= 0);
    if (bind(lfd, (struct sockaddr *)&a.ss, a.len) < 0) {
        close(lfd);
        return -EADDRNOTAVAIL; /* e.g. no IPv6 here */
    }
    CHECK_EQ(listen(lfd, 16), 0);
    a.len = sizeof a.ss;
    CHECK_EQ(getsockname(lfd, (struct sockaddr *)&a.ss, &a.len), 0);

    struct sockaddr_storage peer;
    socklen_t plen = sizeof peer;
    cio_future *acc = cio_accept(lfd, (struct sockaddr *)&peer, &plen, 0);
    intptr_t c = CIO_AWAIT(cio_socket(a.ss.ss_family, SOCK_STREAM, 0));
    CHECK(c >= 0);
    CHECK_EQ(CIO_AWAIT(cio_connect((int)c, (struct sockaddr *)&a.ss, a.len)), 0);
    intptr_t s = CIO_AWAIT(acc);
    CHECK(s >= 0);
    CHECK_EQ(((struct sockaddr *)&peer)->sa_family, a.ss.ss_family);

    char buf[8];
    CHECK_EQ(CIO_AWAIT(cio_send((int)c, "ping", 4, 0)), 4);
    CHECK_EQ(CIO_AWAIT(cio_recv((int)s, buf, sizeof buf, 0)), 4);
    CHECK_EQ(CIO_AWAIT(cio_send((int)s, buf, 4, 0)), 4);
    CHECK_EQ(CIO_AWAIT(cio_recv((int)c, buf, sizeof buf, 0)), 4);
    CHECK(!memcmp(buf, "ping", 4));
    CHECK_EQ(CIO_AWAIT(cio_close((int)c)), 0);
    CHECK_EQ(CIO_AWAIT(cio_recv((int)s, buf, sizeof buf, 0)), 0);
    CHECK_EQ(CIO_AWAIT(cio_close((int)s)), 0);
    close(lfd);
    return 0;
}

static intptr_t tcp_families(void *arg)
{
    (void)arg;
    CHECK_EQ(tcp_echo("127.0.0.1", 0), 0);
    intptr_t r6 = tcp_echo("::1", 0);
    CHECK(r6 == 0 || r6 == -EADDRNOTAVAIL);
    char path[64];
    snprintf(path, sizeof path, "unix:@cio-test-%d", (int)getpid());
    CHECK_EQ(tcp_echo(path, 0), 0);
    return 0;
}

static void test_tcp_ipv4_ipv6_unix(void) { CHECK_EQ(test_run(tcp_families, NULL), 0); }

static intptr_t udp(void *arg)
{
    (void)arg;
    cio_addr a;
    CHECK_EQ(cio_addr_parse(&a, "127.0.0.1", 0), 0);
    int rx = (int)CIO_AWAIT(cio_socket(AF_INET, SOCK_DGRAM, 0));
    int tx = (int)CIO_AWAIT(cio_socket(AF_INET, SOCK_DGRAM, 0));
    CHECK(rx >= 0 && tx >= 0);
    CHECK_EQ(bind(rx, (struct sockaddr *)&a.ss, a.len), 0);
    a.len = sizeof a.ss;
    CHECK_EQ(getsockname(rx, (struct sockaddr *)&a.ss, &a.len), 0);

    char buf[32];
    cio_addr from = { .len = sizeof from.ss };
    cio_future *r = cio_recvfrom(rx, buf, sizeof buf, 0, (struct sockaddr *)&from.ss, &from.len);
    {
        cio_addr copy = a; /* sendto copies the address: this one may die at once */
        cio_future *s = cio_sendto(tx, "datagram", 8, 0, (struct sockaddr *)&copy.ss, copy.len);
        memset(&copy, 0xff, sizeof copy);
        CHECK_EQ(CIO_AWAIT(s), 8);
    }
    CHECK_EQ(CIO_AWAIT(r), 8);
    CHECK(!memcmp(buf, "datagram", 8));
    CHECK_EQ(from.len, sizeof(struct sockaddr_in));
    struct sockaddr_in me;
    socklen_t mlen = sizeof me;
    CHECK_EQ(getsockname(tx, (struct sockaddr *)&me, &mlen), 0);
    CHECK_EQ(cio_addr_port(&from), ntohs(me.sin_port));
    close(rx);
    close(tx);
    return 0;
}

static void test_udp(void) { CHECK_EQ(test_run(udp, NULL), 0); }

static intptr_t msgs(void *arg)
{
    (void)arg;
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    struct iovec out[2] = { { "ab", 2 }, { "cde", 3 } };
    struct msghdr m = { .msg_iov = out, .msg_iovlen = 2 };
    CHECK_EQ(CIO_AWAIT(cio_sendmsg(sv[0], &m, 0)), 5);
    char x[2], y[8];
    struct iovec in[2] = { { x, 2 }, { y, 8 } };
    struct msghdr mi = { .msg_iov = in, .msg_iovlen = 2 };
    CHECK_EQ(CIO_AWAIT(cio_recvmsg(sv[1], &mi, 0)), 5);
    CHECK(!memcmp(x, "ab", 2) && !memcmp(y, "cde", 3));
    close(sv[0]);
    close(sv[1]);
    return 0;
}

static void test_sendmsg_recvmsg(void) { CHECK_EQ(test_run(msgs, NULL), 0); }

static intptr_t errors(void *arg)
{
    (void)arg;
    uint16_t port;
    int lfd = tu_listen4(&port);
    close(lfd); /* nothing listens there now */
    cio_addr a;
    CHECK_EQ(cio_addr_parse(&a, "127.0.0.1", port), 0);
    int fd = (int)CIO_AWAIT(cio_socket(AF_INET, SOCK_STREAM, 0));
    CHECK_EQ(CIO_AWAIT(cio_connect(fd, (struct sockaddr *)&a.ss, a.len)), -ECONNREFUSED);
    close(fd);
    CHECK_EQ(CIO_AWAIT(cio_recv(-1, NULL, 0, 0)), -EBADF);
    CHECK_EQ(CIO_AWAIT(cio_shutdown(0, 42)), -EINVAL);
    CHECK_EQ(CIO_AWAIT(cio_connect(0, NULL, 0)), -EINVAL);
    CHECK_EQ(CIO_AWAIT(cio_open_connection("127.0.0.1", port)), -ECONNREFUSED);
    CHECK_EQ(CIO_AWAIT(cio_open_connection("no-such-host.invalid", 80)), -ENOSYS);
    return 0;
}

static void test_errors(void) { CHECK_EQ(test_run(errors, NULL), 0); }

/* A receive that never completes: a deadline ends it with -ETIMEDOUT, a
 * cancelled task with -ECANCELED, and in both cases the buffer (on this
 * stack) is released by the kernel before the await returns. */
static intptr_t blocked_recv(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char buf[64];
    return CIO_AWAIT(cio_recv(fd, buf, sizeof buf, 0));
}

static intptr_t deadlines(void *arg)
{
    (void)arg;
    int sv[2];
    CHECK_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    char buf[8];
    CHECK_EQ(CIO_AWAIT(cio_with_timeout(cio_recv(sv[0], buf, sizeof buf, 0), CIO_MS(20))), -ETIMEDOUT);
    cio_future *late = cio_recv(sv[0], buf, sizeof buf, 0);
    CHECK_EQ(cio_yield(), 0);
    CHECK_EQ(CIO_AWAIT(cio_with_timeout(late, CIO_MS(20))), -ETIMEDOUT); /* in the ring: a loop timer */
    cio_task *t = cio_spawn(blocked_recv, (void *)(intptr_t)sv[0]);
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(5))), 0);
    cio_task_cancel(t);
    CHECK_EQ(CIO_AWAIT(t), -ECANCELED);
    /* the socket still works afterwards: nothing was consumed by a stale op */
    CHECK_EQ(CIO_AWAIT(cio_send(sv[1], "ok", 2, 0)), 2);
    CHECK_EQ(CIO_AWAIT(cio_recv(sv[0], buf, sizeof buf, 0)), 2);
    cio_future *c = cio_with_timeout(cio_open_connection("127.0.0.1", 1), CIO_MS(1000));
    intptr_t r = CIO_AWAIT(c);
    CHECK(r == -ECONNREFUSED || r == -ETIMEDOUT);
    close(sv[0]);
    close(sv[1]);
    return 0;
}

static void test_deadline_and_cancel(void) { CHECK_EQ(test_run(deadlines, NULL), 0); }

static void test_addr(void)
{
    cio_addr a;
    char s[80];
    CHECK_EQ(cio_addr_parse(&a, "10.1.2.3", 80), 0);
    CHECK(cio_addr_format(&a, s, sizeof s) > 0 && !strcmp(s, "10.1.2.3:80"));
    CHECK_EQ(cio_addr_parse(&a, "[::1]", 8080), 0);
    CHECK(cio_addr_format(&a, s, sizeof s) > 0 && !strcmp(s, "[::1]:8080"));
    CHECK_EQ(cio_addr_port(&a), 8080);
    CHECK_EQ(cio_addr_parse(&a, "localhost", 1), 0);
    CHECK(cio_addr_format(&a, s, sizeof s) > 0 && !strcmp(s, "127.0.0.1:1"));
    CHECK_EQ(cio_addr_parse(&a, "/tmp/x.sock", 0), 0);
    CHECK(cio_addr_format(&a, s, sizeof s) > 0 && !strcmp(s, "unix:/tmp/x.sock"));
    CHECK_EQ(cio_addr_parse(&a, "unix:@abs", 0), 0);
    CHECK(cio_addr_format(&a, s, sizeof s) > 0 && !strcmp(s, "unix:@abs"));
    CHECK_EQ(cio_addr_parse(&a, "", 9), 0);
    CHECK(cio_addr_format(&a, s, sizeof s) > 0 && !strcmp(s, "0.0.0.0:9"));
    CHECK_EQ(cio_addr_parse(&a, "example.com", 80), -EINVAL);
    CHECK_EQ(cio_addr_format(&a, s, 3), -ENOSPC);
}

int main(void)
{
    test_alloc_install();
    int fds = tu_count_fds();
    RUN(test_addr);
    RUN(test_socketpair);
    RUN(test_tcp_ipv4_ipv6_unix);
    RUN(test_udp);
    RUN(test_sendmsg_recvmsg);
    RUN(test_errors);
    RUN(test_deadline_and_cancel);
    CHECK_EQ(tu_count_fds(), fds);
    CHECK_EQ(test_alloc_live(), 0);
    return 0;
}
