/* test_http_static.c — the static-file HTTP/1.1 server against a plain
 * socket client: GET/HEAD, Content-Length, keep-alive, index.html, 404,
 * 403 for ".." and for symlinks out of the root, 405, 400, HTTP/1.0
 * closing, a large file, and no leaks. */
#include <sys/stat.h>
#include "net_util.h"

static char g_root[64];

static void write_file(const char *rel, const char *data, size_t len)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", g_root, rel);
    FILE *f = fopen(p, "wb");
    CHECK(f && fwrite(data, 1, len, f) == len);
    fclose(f);
}

/* Sends `req` on fd and reads one response: status, body (into body, cap). */
static int exchange(int fd, const char *req, char *body, size_t cap, size_t *blen, bool *closed)
{
    if (req)
        CHECK_EQ(CIO_AWAIT(cio_send(fd, req, strlen(req), 0)), (intptr_t)strlen(req));
    static char buf[1 << 20];
    static size_t got; /* bytes of the next response(s) already received */
    char *end = NULL;
    while (!(end = memmem(buf, got, "\r\n\r\n", 4))) {
        intptr_t n = CIO_AWAIT(cio_recv(fd, buf + got, sizeof buf - got, 0));
        CHECK(n > 0);
        got += (size_t)n;
    }
    int status = atoi(buf + 9);
    const char *cl = memmem(buf, (size_t)(end - buf), "Content-Length: ", 16);
    CHECK(cl && cl < end);
    size_t len = strtoul(cl + 16, NULL, 10);
    bool head = req && !strncmp(req, "HEAD", 4);
    size_t need = (size_t)(end + 4 - buf) + (head ? 0 : len);
    while (got < need) {
        intptr_t n = CIO_AWAIT(cio_recv(fd, buf + got, sizeof buf - got, 0));
        CHECK(n > 0);
        got += (size_t)n;
    }
    size_t b = head ? 0 : len;
    if (body) {
        CHECK(b <= cap);
        memcpy(body, end + 4, b);
    }
    if (blen)
        *blen = head ? len : b;
    if (closed) {
        const char *c = memmem(buf, (size_t)(end - buf), "Connection: close", 17);
        *closed = c != NULL;
        CHECK(!*closed || got == need); /* nothing may follow a closing response */
    }
    memmove(buf, buf + need, got - need); /* a pipelined response may follow */
    got -= need;
    return status;
}

static int connect_to(uint16_t port)
{
    intptr_t fd = CIO_AWAIT(cio_open_connection("127.0.0.1", port));
    CHECK(fd >= 0);
    return (int)fd;
}

static intptr_t http(void *arg)
{
    (void)arg;
    cio_server *srv;
    CHECK_EQ(cio_http_static_start(g_root, "127.0.0.1", 0, NULL, &srv), 0);
    uint16_t port = cio_server_port(srv);
    char body[256];
    size_t len;
    bool closed;

    int fd = connect_to(port); /* keep-alive: many requests on one connection */
    CHECK_EQ(exchange(fd, "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n", body, sizeof body, &len, &closed), 200);
    CHECK(len == 6 && !memcmp(body, "hello\n", 6) && !closed);
    CHECK_EQ(exchange(fd, "HEAD /hello.txt HTTP/1.1\r\n\r\n", NULL, 0, &len, NULL), 200);
    CHECK_EQ(len, 6);
    CHECK_EQ(exchange(fd, "GET / HTTP/1.1\r\n\r\n", body, sizeof body, &len, NULL), 200); /* index.html */
    CHECK(len == 7 && !memcmp(body, "<html>\n", 7));
    CHECK_EQ(exchange(fd, "GET /missing HTTP/1.1\r\n\r\n", body, sizeof body, NULL, NULL), 404);
    CHECK_EQ(exchange(fd, "GET /../etc/passwd HTTP/1.1\r\n\r\n", body, sizeof body, NULL, NULL), 403);
    CHECK_EQ(exchange(fd, "GET /sub/%2e%2e/%2E%2E/x HTTP/1.1\r\n\r\n", body, sizeof body, NULL, NULL), 403);
    CHECK_EQ(exchange(fd, "GET /out HTTP/1.1\r\n\r\n", body, sizeof body, NULL, NULL), 403); /* symlink to / */
    CHECK_EQ(exchange(fd, "GET /sub/./a.txt?x=1 HTTP/1.1\r\n\r\n", body, sizeof body, &len, NULL), 200);
    CHECK(len == 2 && !memcmp(body, "a\n", 2));
    CHECK_EQ(exchange(fd, "DELETE /hello.txt HTTP/1.1\r\n\r\n", body, sizeof body, NULL, NULL), 405);
    /* pipelined: two requests in one send, two responses in order */
    CHECK_EQ(exchange(fd, "GET /hello.txt HTTP/1.1\r\n\r\nGET /sub/a.txt HTTP/1.1\r\n\r\n", body, sizeof body,
                      &len, NULL), 200);
    CHECK_EQ(exchange(fd, NULL, body, sizeof body, &len, NULL), 200);
    CHECK(len == 2);
    /* a large file, with the client as the slow side */
    static char big[1 << 20];
    CHECK_EQ(exchange(fd, "GET /big.bin HTTP/1.1\r\n\r\n", big, sizeof big, &len, NULL), 200);
    CHECK_EQ(len, 700000);
    for (size_t i = 0; i < len; i++)
        CHECK_EQ((unsigned char)big[i], (unsigned char)(i % 253));
    CHECK_EQ(exchange(fd, "GET /hello.txt HTTP/1.1\r\nConnection: close\r\n\r\n", body, sizeof body, NULL, &closed), 200);
    CHECK(closed);
    char c;
    CHECK_EQ(CIO_AWAIT(cio_recv(fd, &c, 1, 0)), 0); /* the server closed */
    close(fd);

    fd = connect_to(port); /* HTTP/1.0 closes by default */
    CHECK_EQ(exchange(fd, "GET /hello.txt HTTP/1.0\r\n\r\n", body, sizeof body, NULL, &closed), 200);
    CHECK(closed);
    CHECK_EQ(CIO_AWAIT(cio_recv(fd, &c, 1, 0)), 0);
    close(fd);

    fd = connect_to(port); /* garbage: 400 and close */
    CHECK_EQ(exchange(fd, "\x01\x02 garbage\r\n\r\n", body, sizeof body, NULL, &closed), 400);
    CHECK(closed);
    close(fd);

    while (cio_server_connections(srv))
        CIO_AWAIT(cio_sleep(CIO_MS(1)));
    CHECK_EQ(cio_server_close(srv, 0), 0);
    return 0;
}

static void test_http_static(void) { CHECK_EQ(tu_run(http, NULL), 0); }

/* delay_ns: each answer comes no sooner than the delay; closing the server
 * while a handler waits out a delay ends it at once. */
static intptr_t delayed(void *arg)
{
    (void)arg;
    cio_server *srv;
    CHECK_EQ(cio_http_static_start_ex(g_root, "127.0.0.1", 0, NULL, &srv), -EINVAL);
    cio_http_static_opts o = { .delay_ns = CIO_MS(40) };
    CHECK_EQ(cio_http_static_start_ex(g_root, "127.0.0.1", 0, &o, &srv), 0);
    int fd = connect_to(cio_server_port(srv));
    char body[16];
    uint64_t t0 = cio_loop_time_ns(cio_loop_current());
    CHECK_EQ(exchange(fd, "GET /hello.txt HTTP/1.1\r\n\r\n", body, sizeof body, NULL, NULL), 200);
    CHECK(cio_loop_time_ns(cio_loop_current()) - t0 >= CIO_MS(40));
    const char *req = "GET /hello.txt HTTP/1.1\r\n\r\n";
    CHECK_EQ(CIO_AWAIT(cio_send(fd, req, strlen(req), 0)), (intptr_t)strlen(req));
    CIO_AWAIT(cio_sleep(CIO_MS(5))); /* the handler is inside its delay */
    CHECK_EQ(cio_server_close(srv, 0), 1); /* cancelled, not waited for */
    close(fd);
    return 0;
}

static void test_delay(void) { CHECK_EQ(tu_run(delayed, NULL), 0); }

int main(void)
{
    test_alloc_install();
    snprintf(g_root, sizeof g_root, "/tmp/cio-http-%d", (int)getpid());
    CHECK_EQ(mkdir(g_root, 0700), 0);
    char p[128];
    snprintf(p, sizeof p, "%s/sub", g_root);
    CHECK_EQ(mkdir(p, 0700), 0);
    write_file("hello.txt", "hello\n", 6);
    write_file("index.html", "<html>\n", 7);
    write_file("sub/a.txt", "a\n", 2);
    static char big[700000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)(i % 253);
    write_file("big.bin", big, sizeof big);
    snprintf(p, sizeof p, "%s/out", g_root);
    CHECK_EQ(symlink("/etc/hostname", p), 0);
    int fds = tu_count_fds();
    RUN(test_http_static);
    RUN(test_delay);
    CHECK_EQ(tu_count_fds(), fds);
    CHECK_EQ(test_alloc_live(), 0);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_root);
    CHECK_EQ(system(cmd), 0);
    return 0;
}
