/* test_net_server.c — cio_start_server: echo over many clients, the
 * connection limit, graceful close (handlers awaited or cancelled), hostile
 * peers (silent, garbage, reset, half-close, 1-byte trickle) that must not
 * block a well-behaved client or leak, and EMFILE on accept. */
#include <fcntl.h>
#include <sys/resource.h>
#include "net_util.h"
#include "net/server_internal.h"

/* Echoes lines until end of stream; idle peers are dropped after 300 ms. */
static intptr_t echo_lines(cio_stream *s, void *arg)
{
    (void)arg;
    cio_stream_set_timeout(s, CIO_MS(300));
    char line[256];
    intptr_t n;
    while ((n = cio_stream_readline(s, line, sizeof line)) > 0) {
        int rc = cio_stream_write(s, line, (size_t)n);
        if (rc == 0)
            rc = cio_stream_drain(s);
        if (rc < 0)
            return rc;
    }
    return n;
}

static int start_echo(cio_server **srv, const cio_server_opts *o)
{
    return cio_start_server("127.0.0.1", 0, echo_lines, NULL, o, srv);
}

/* One client: sends `count` lines over a stream and checks the echoes. */
static intptr_t client(void *arg)
{
    uint16_t port = (uint16_t)(uintptr_t)arg;
    intptr_t fd = CIO_AWAIT(cio_open_connection("127.0.0.1", port));
    if (fd < 0)
        return fd;
    cio_stream *s = cio_stream_new((int)fd, NULL);
    char out[64], in[64];
    for (int i = 0; i < 5; i++) {
        int n = snprintf(out, sizeof out, "line %d from %d\n", i, (int)fd);
        CHECK_EQ(cio_stream_write(s, out, (size_t)n), 0);
        CHECK_EQ(cio_stream_readline(s, in, sizeof in), n);
        CHECK(!memcmp(in, out, (size_t)n));
    }
    return cio_stream_close(s);
}

static intptr_t many_clients(void *arg)
{
    (void)arg;
    cio_server *srv;
    CHECK_EQ(start_echo(&srv, NULL), 0);
    CHECK(cio_server_port(srv) > 0);
    enum { N = 50 };
    cio_task *t[N];
    for (int i = 0; i < N; i++)
        t[i] = cio_spawn(client, (void *)(uintptr_t)cio_server_port(srv));
    for (int i = 0; i < N; i++)
        CHECK_EQ(CIO_AWAIT(t[i]), 0);
    CHECK_EQ(cio_server_accepted(srv), N);
    CHECK_EQ(cio_server_close(srv, UINT64_MAX), 0);
    return 0;
}

static void test_echo_many_clients(void) { CHECK_EQ(tu_run(many_clients, NULL), 0); }

/* ---- connection limit ----------------------------------------------------------- */

static int g_now, g_max, g_served;

static intptr_t slow_handler(cio_stream *s, void *arg)
{
    (void)arg;
    g_now++;
    g_max = g_now > g_max ? g_now : g_max;
    CIO_AWAIT(cio_sleep(CIO_MS(10)));
    cio_stream_write(s, "bye\n", 4);
    g_now--;
    g_served++;
    return 0;
}

static intptr_t bye_client(void *arg)
{
    intptr_t fd = CIO_AWAIT(cio_open_connection("127.0.0.1", (uint16_t)(uintptr_t)arg));
    CHECK(fd >= 0);
    cio_stream *s = cio_stream_new((int)fd, NULL);
    char in[8];
    CHECK_EQ(cio_stream_readline(s, in, sizeof in), 4);
    return cio_stream_close(s);
}

static intptr_t limit(void *arg)
{
    (void)arg;
    g_now = g_max = g_served = 0;
    cio_server *srv;
    CHECK_EQ(cio_start_server("127.0.0.1", 0, slow_handler, NULL, &(cio_server_opts){ .max_connections = 2 }, &srv), 0);
    enum { N = 7 };
    cio_task *t[N];
    for (int i = 0; i < N; i++)
        t[i] = cio_spawn(bye_client, (void *)(uintptr_t)cio_server_port(srv));
    for (int i = 0; i < N; i++)
        CHECK_EQ(CIO_AWAIT(t[i]), 0);
    CHECK_EQ(g_served, N);
    CHECK_EQ(g_max, 2);
    CHECK_EQ(cio_server_close(srv, 0), 0);
    return 0;
}

static void test_connection_limit(void) { CHECK_EQ(tu_run(limit, NULL), 0); }

/* ---- graceful close --------------------------------------------------------------- */

static intptr_t sleepy_handler(cio_stream *s, void *arg)
{
    (void)s;
    intptr_t r = CIO_AWAIT(cio_sleep(CIO_MS((intptr_t)arg)));
    if (r == 0)
        g_served++;
    return r;
}

static intptr_t graceful(void *arg)
{
    intptr_t handler_ms = (intptr_t)arg;
    g_served = 0;
    cio_server *srv;
    CHECK_EQ(cio_start_server("127.0.0.1", 0, sleepy_handler, (void *)handler_ms, NULL, &srv), 0);
    uint16_t port = cio_server_port(srv);
    intptr_t fd = CIO_AWAIT(cio_open_connection("127.0.0.1", port));
    CHECK(fd >= 0);
    while (cio_server_connections(srv) == 0)
        CIO_AWAIT(cio_sleep(CIO_MS(1)));
    intptr_t cancelled = cio_server_close(srv, CIO_MS(30));
    close((int)fd);
    /* no longer listening */
    CHECK_EQ(CIO_AWAIT(cio_open_connection("127.0.0.1", port)), -ECONNREFUSED);
    return cancelled;
}

static void test_graceful_close(void)
{
    CHECK_EQ(tu_run(graceful, (void *)5), 0); /* finished within the grace period */
    CHECK_EQ(g_served, 1);
    CHECK_EQ(tu_run(graceful, (void *)10000), 1); /* cancelled */
    CHECK_EQ(g_served, 0);
}

/* ---- hostile peers ------------------------------------------------------------------ */

static intptr_t silent(void *arg)
{
    intptr_t fd = CIO_AWAIT(cio_open_connection("127.0.0.1", (uint16_t)(uintptr_t)arg));
    char b[4];
    intptr_t r = CIO_AWAIT(cio_recv((int)fd, b, sizeof b, 0)); /* the server drops us (timeout) */
    close((int)fd);
    return r;
}

static intptr_t garbage(void *arg)
{
    intptr_t fd = CIO_AWAIT(cio_open_connection("127.0.0.1", (uint16_t)(uintptr_t)arg));
    static char junk[4096];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 7 + 1) == '\n' ? 'x' : (char)(i * 7 + 1);
    CIO_AWAIT(cio_send((int)fd, junk, sizeof junk, 0)); /* no newline within the limit */
    char b[4];
    intptr_t r = CIO_AWAIT(cio_recv((int)fd, b, sizeof b, 0));
    close((int)fd);
    return r <= 0 ? 0 : -EPROTO;
}

static intptr_t resetter(void *arg)
{
    intptr_t fd = CIO_AWAIT(cio_open_connection("127.0.0.1", (uint16_t)(uintptr_t)arg));
    CIO_AWAIT(cio_send((int)fd, "half a li", 9, 0));
    CIO_AWAIT(cio_sleep(CIO_MS(5)));
    struct linger lg = { 1, 0 };
    setsockopt((int)fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close((int)fd);
    return 0;
}

static intptr_t half_closer(void *arg)
{
    intptr_t fd = CIO_AWAIT(cio_open_connection("127.0.0.1", (uint16_t)(uintptr_t)arg));
    CHECK_EQ(CIO_AWAIT(cio_send((int)fd, "last words\n", 11, 0)), 11);
    CHECK_EQ(CIO_AWAIT(cio_shutdown((int)fd, SHUT_WR)), 0);
    char b[32];
    intptr_t got = 0, n;
    while ((n = CIO_AWAIT(cio_recv((int)fd, b + got, sizeof b - (size_t)got, 0))) > 0)
        got += n;
    close((int)fd);
    return got == 11 && !memcmp(b, "last words\n", 11) ? 0 : -EPROTO;
}

static intptr_t trickle(void *arg)
{
    intptr_t fd = CIO_AWAIT(cio_open_connection("127.0.0.1", (uint16_t)(uintptr_t)arg));
    const char *msg = "drip drip\n";
    for (const char *p = msg; *p; p++) {
        CHECK_EQ(CIO_AWAIT(cio_send((int)fd, p, 1, 0)), 1);
        CIO_AWAIT(cio_sleep(CIO_MS(2)));
    }
    char b[16];
    intptr_t n = CIO_AWAIT(cio_recv((int)fd, b, sizeof b, MSG_WAITALL));
    close((int)fd);
    return n == 10 && !memcmp(b, msg, 10) ? 0 : -EPROTO;
}

static intptr_t hostile(void *arg)
{
    (void)arg;
    long mem0 = test_alloc_live();
    cio_server *srv;
    CHECK_EQ(start_echo(&srv, NULL), 0);
    void *port = (void *)(uintptr_t)cio_server_port(srv);
    cio_task *bad[] = {
        cio_spawn(silent, port),  cio_spawn(silent, port),   cio_spawn(garbage, port),
        cio_spawn(resetter, port), cio_spawn(resetter, port), cio_spawn(half_closer, port),
        cio_spawn(trickle, port),
    };
    CIO_AWAIT(cio_sleep(CIO_MS(5)));
    /* a well-behaved client is served at once, not after the hostile ones */
    cio_task *good = cio_spawn(client, port);
    CHECK_EQ(CIO_AWAIT(cio_with_timeout(good, CIO_MS(250))), 0);
    CHECK_EQ(CIO_AWAIT(bad[0]), 0); /* dropped after the idle timeout: end of stream */
    CHECK_EQ(CIO_AWAIT(bad[1]), 0);
    for (size_t i = 2; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ(CIO_AWAIT(bad[i]), 0);
    while (cio_server_connections(srv))
        CIO_AWAIT(cio_sleep(CIO_MS(5)));
    CHECK_EQ(cio_server_close(srv, 0), 0);
    (void)mem0;
    return 0;
}

static void test_hostile_peers(void) { CHECK_EQ(tu_run(hostile, NULL), 0); }

/* ---- EMFILE ------------------------------------------------------------------------ */

static intptr_t emfile(void *arg)
{
    (void)arg;
    cio_server *srv;
    CHECK_EQ(start_echo(&srv, NULL), 0);
    uint16_t port = cio_server_port(srv);
    /* clients made with plain syscalls first; then eat every free fd */
    enum { N = 3 };
    int c[N];
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int hog[4096], nhog = 0;
    for (;;) {
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            break;
        CHECK(nhog < 4096);
        hog[nhog++] = fd;
    }
    for (int i = 0; i < N; i++) { /* free one fd per client socket */
        close(hog[--nhog]);
        c[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        CHECK(c[i] >= 0);
        CHECK_EQ(connect(c[i], (struct sockaddr *)&a, sizeof a), 0);
    }
    while (srv->backoffs < 2) /* accept fails with EMFILE and backs off */
        CIO_AWAIT(cio_sleep(CIO_MS(1)));
    CHECK_EQ(cio_server_connections(srv), 0);
    while (nhog)
        close(hog[--nhog]);
    char buf[16];
    for (int i = 0; i < N; i++) { /* ... and serves everyone once fds are back */
        CHECK_EQ(CIO_AWAIT(cio_send(c[i], "hey\n", 4, 0)), 4);
        CHECK_EQ(CIO_AWAIT(cio_with_timeout(cio_recv(c[i], buf, sizeof buf, 0), CIO_MS(2000))), 4);
        close(c[i]);
    }
    CHECK_EQ(cio_server_close(srv, UINT64_MAX), 0);
    return 0;
}

static void test_emfile_backs_off(void)
{
    struct rlimit old, rl;
    CHECK_EQ(getrlimit(RLIMIT_NOFILE, &old), 0);
    rl = old;
    rl.rlim_cur = (rlim_t)tu_count_fds() + 64; /* leaves room for the ring and sockets */
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
    CHECK_EQ(tu_run(emfile, NULL), 0);
    CHECK_EQ(setrlimit(RLIMIT_NOFILE, &old), 0);
}

int main(void)
{
    test_alloc_install();
    int fds = tu_count_fds();
    RUN(test_echo_many_clients);
    RUN(test_connection_limit);
    RUN(test_graceful_close);
    RUN(test_hostile_peers);
    RUN(test_emfile_backs_off);
    CHECK_EQ(tu_count_fds(), fds);
    CHECK_EQ(test_alloc_live(), 0);
    return 0;
}
