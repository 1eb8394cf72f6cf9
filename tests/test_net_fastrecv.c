/* test_net_fastrecv.c — the server fast receive path (multishot recv into
 * the loop's buffer ring) and its fallback: echo over many clients, a
 * flooding peer against a slow reader (memory bounded, bytes in order),
 * more connections than ring buffers (-ENOBUFS), reset and half-close mid
 * stream, handlers returning or aborting with the multishot armed, server
 * close with connections open. Every case runs five ways: fast path, fast
 * path without the kernel's multishot byte limit (CIO_FASTRECV=nocap, as
 * before Linux 6.16), a kernel refusing multishot recv itself
 * (CIO_FASTRECV=refuse: the fallback to plain receives mid stream),
 * cio_server_opts.plain_recv, and CIO_FASTRECV=0. */
#include <sys/socket.h>
#include "net_util.h"
#include "net/stream_internal.h"

enum mode { FAST, FAST_NOCAP, FAST_REFUSED, PLAIN_OPT, PLAIN_ENV };
static enum mode g_mode;
static bool g_avail;         /* the kernel has the fast path */
static int g_streams, g_fast; /* handler streams seen, those on the fast path */

/* Each mode's name and its CIO_FASTRECV value (NULL: unset). */
static const struct {
    const char *name, *env;
} modes[] = {
    [FAST] = { "fast", NULL },
    [FAST_NOCAP] = { "CIO_FASTRECV=nocap", "nocap" },
    [FAST_REFUSED] = { "CIO_FASTRECV=refuse", "refuse" },
    [PLAIN_OPT] = { "plain_recv", NULL },
    [PLAIN_ENV] = { "CIO_FASTRECV=0", "0" },
};
static bool fast_mode(void) { return (g_mode == FAST || g_mode == FAST_NOCAP) && g_avail; }

static uint8_t pat(size_t i, unsigned seed) { return (uint8_t)(i * 131 + i / 251 + seed); }

static void note_stream(cio_stream *s)
{
    g_streams++;
    g_fast += s->pool != NULL;
}

static int start(cio_conn_handler h, cio_server_opts o, cio_server **srv)
{
    o.plain_recv = g_mode == PLAIN_OPT;
    return cio_start_server("127.0.0.1", 0, h, NULL, &o, srv);
}

/* After a run: every handler stream was on the path the mode asks for (a
 * refusing kernel: the fast path until the first refusal, then plain). */
static void check_path(void)
{
    CHECK(g_streams > 0);
    if (g_mode == FAST_REFUSED)
        CHECK(g_fast >= (g_avail ? 1 : 0) && g_fast <= g_streams);
    else
        CHECK_EQ(g_fast, fast_mode() ? g_streams : 0);
}

static intptr_t connect_to(cio_server *srv)
{
    intptr_t fd = CIO_AWAIT(cio_open_connection("127.0.0.1", cio_server_port(srv)));
    CHECK(fd >= 0);
    return fd;
}

/* ---- echo ------------------------------------------------------------------------ */

static intptr_t echo(cio_stream *s, void *arg)
{
    (void)arg;
    note_stream(s);
    char b[4096];
    intptr_t n;
    while ((n = cio_stream_read(s, b, sizeof b)) > 0) {
        int rc = cio_stream_write(s, b, (size_t)n);
        if (rc == 0)
            rc = cio_stream_drain(s);
        if (rc < 0)
            return rc;
    }
    return n;
}

typedef struct { cio_server *srv; unsigned seed; size_t len, rounds; } job;

/* `rounds` exchanges of `len` bytes each, checked byte by byte. */
static intptr_t echo_client(void *arg)
{
    job *j = arg;
    cio_stream *s = cio_stream_new((int)connect_to(j->srv), NULL);
    char *out = malloc(j->len), *in = malloc(j->len);
    for (size_t r = 0; r < j->rounds; r++) {
        for (size_t i = 0; i < j->len; i++)
            out[i] = (char)pat(i + r * j->len, j->seed);
        CHECK_EQ(cio_stream_write(s, out, j->len), 0);
        CHECK_EQ(cio_stream_readexactly(s, in, j->len), (intptr_t)j->len);
        CHECK(!memcmp(in, out, j->len));
    }
    free(out);
    free(in);
    return cio_stream_close(s);
}

static void run_clients(cio_server *srv, int n, size_t len, size_t rounds)
{
    cio_task **t = calloc((size_t)n, sizeof *t);
    job *j = calloc((size_t)n, sizeof *j);
    for (int i = 0; i < n; i++) {
        j[i] = (job){ srv, (unsigned)i, len, rounds };
        t[i] = cio_spawn(echo_client, &j[i]);
    }
    for (int i = 0; i < n; i++)
        CHECK_EQ(CIO_AWAIT(t[i]), 0);
    free(t);
    free(j);
}

static intptr_t many_echo(void *arg)
{
    (void)arg;
    cio_server *srv;
    CHECK_EQ(start(echo, (cio_server_opts){ 0 }, &srv), 0);
    run_clients(srv, 50, 64, 20);   /* ping-pong */
    run_clients(srv, 4, 300000, 2); /* bulk, bigger than the read limit */
    CHECK_EQ(cio_server_close(srv, UINT64_MAX), 0);
    return 0;
}

/* ---- more connections than ring buffers ---------------------------------------------- */

static intptr_t starved(void *arg)
{
    (void)arg;
    cio_server *srv;
    CHECK_EQ(start(echo, (cio_server_opts){ 0 }, &srv), 0);
    run_clients(srv, 40, 65536, 3);
    cio__bufring *p = cio__bufring_get(cio_loop_current());
    if (fast_mode())
        CHECK(p && p->nbufs == 2 && p->nobufs > 0); /* the -ENOBUFS path ran */
    if (p)
        printf("# ring of %u buffers ran dry %llu times\n", p->nbufs, (unsigned long long)p->nobufs);
    CHECK_EQ(cio_server_close(srv, UINT64_MAX), 0);
    return 0;
}

/* ---- a peer flooding a slow reader ---------------------------------------------------- */

enum { FLOOD = 16 << 20, CHUNK = 65536 };
static size_t g_max_cap, g_sunk;

static intptr_t slow_sink(cio_stream *s, void *arg)
{
    (void)arg;
    note_stream(s);
    char *b = malloc(CHUNK);
    intptr_t n;
    size_t chunks = 0;
    while ((n = cio_stream_readexactly(s, b, CHUNK)) == CHUNK) {
        for (size_t i = 0; i < CHUNK; i += 97)
            CHECK_EQ((uint8_t)b[i], pat(g_sunk + i, 7));
        g_sunk += CHUNK;
        if (++chunks % 16 == 0)
            CIO_AWAIT(cio_sleep(CIO_MS(2))); /* the peer runs ahead meanwhile */
        g_max_cap = s->rcap > g_max_cap ? s->rcap : g_max_cap;
    }
    free(b);
    CHECK_EQ(n, -ENODATA);
    CHECK_EQ(cio_stream_partial(s), 0);
    cio_stream_write(s, "done", 4);
    return 0;
}

static intptr_t flooder(void *arg)
{
    int fd = (int)connect_to(arg);
    enum { SEND = 256 * 1024 };
    char *b = malloc(SEND);
    for (size_t off = 0; off < FLOOD; off += SEND) {
        for (size_t i = 0; i < SEND; i++)
            b[i] = (char)pat(off + i, 7);
        for (size_t k = 0; k < SEND;) {
            intptr_t r = CIO_AWAIT(cio_send(fd, b + k, SEND - k, 0));
            CHECK(r > 0);
            k += (size_t)r;
        }
    }
    free(b);
    CHECK_EQ(CIO_AWAIT(cio_shutdown(fd, SHUT_WR)), 0);
    char in[8];
    CHECK_EQ(CIO_AWAIT(cio_recv(fd, in, sizeof in, MSG_WAITALL)), 4);
    close(fd);
    return 0;
}

static intptr_t flood(void *arg)
{
    (void)arg;
    g_max_cap = g_sunk = 0;
    cio_server *srv;
    CHECK_EQ(start(slow_sink, (cio_server_opts){ .read_limit = 16384 }, &srv), 0);
    CHECK_EQ(CIO_AWAIT(cio_spawn(flooder, srv)), 0);
    CHECK_EQ(cio_server_close(srv, UINT64_MAX), 0);
    CHECK_EQ(g_sunk, FLOOD);
    /* With the kernel's byte limit rbuf stays within twice the limit (it
     * grows by doubling); without it, the cancel at the limit lands after
     * what the kernel had queued: bounded by the socket's receive window. */
    printf("# max rbuf %zu KiB\n", g_max_cap >> 10);
    CHECK(g_max_cap <= (g_mode == FAST_NOCAP ? 8u << 20 : 32u << 10));
    return 0;
}

/* ---- reset and half-close mid-stream -------------------------------------------------- */

static intptr_t g_last, g_again;
static size_t g_total;

static intptr_t counter(cio_stream *s, void *arg)
{
    (void)arg;
    note_stream(s);
    char b[512];
    intptr_t n;
    g_total = 0;
    while ((n = cio_stream_read(s, b, sizeof b)) > 0)
        g_total += (size_t)n;
    g_last = n;
    g_again = cio_stream_read(s, b, sizeof b); /* errors and end of stream are sticky */
    return 0;
}

static intptr_t reset_mid(void *arg)
{
    (void)arg;
    cio_server *srv;
    CHECK_EQ(start(counter, (cio_server_opts){ 0 }, &srv), 0);
    int fd = (int)connect_to(srv);
    static char junk[1000];
    CHECK_EQ(CIO_AWAIT(cio_send(fd, junk, sizeof junk, 0)), 1000);
    CIO_AWAIT(cio_sleep(CIO_MS(20)));
    struct linger lg = { 1, 0 };
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(fd);
    while (cio_server_connections(srv) || !cio_server_accepted(srv))
        CIO_AWAIT(cio_sleep(CIO_MS(2)));
    CHECK_EQ(g_total, 1000);
    CHECK_EQ(g_last, -ECONNRESET);
    CHECK_EQ(g_again, -ECONNRESET);
    CHECK_EQ(cio_server_close(srv, 0), 0);
    return 0;
}

static intptr_t echo_partial(cio_stream *s, void *arg)
{
    (void)arg;
    note_stream(s);
    char b[4096];
    CHECK_EQ(cio_stream_readexactly(s, b, sizeof b), -ENODATA);
    size_t got = cio_stream_partial(s);
    CHECK(cio_stream_at_eof(s));
    CHECK_EQ(cio_stream_read(s, b + got, 1), 0);
    return cio_stream_write(s, b, got);
}

static intptr_t half_close(void *arg)
{
    (void)arg;
    cio_server *srv;
    CHECK_EQ(start(echo_partial, (cio_server_opts){ 0 }, &srv), 0);
    int fd = (int)connect_to(srv);
    char out[3000], in[3001];
    for (size_t i = 0; i < sizeof out; i++)
        out[i] = (char)pat(i, 3);
    CHECK_EQ(CIO_AWAIT(cio_send(fd, out, 1000, 0)), 1000);
    CIO_AWAIT(cio_sleep(CIO_MS(5))); /* two arrivals */
    CHECK_EQ(CIO_AWAIT(cio_send(fd, out + 1000, 2000, 0)), 2000);
    CHECK_EQ(CIO_AWAIT(cio_shutdown(fd, SHUT_WR)), 0);
    CHECK_EQ(CIO_AWAIT(cio_recv(fd, in, sizeof in, MSG_WAITALL)), 3000);
    CHECK(!memcmp(in, out, sizeof out));
    close(fd);
    CHECK_EQ(cio_server_close(srv, UINT64_MAX), 0);
    return 0;
}

/* ---- handlers leaving with the multishot armed ------------------------------------------- */

static intptr_t read_one_and_leave(cio_stream *s, void *arg)
{
    (void)arg;
    note_stream(s);
    char c;
    CHECK_EQ(cio_stream_read(s, &c, 1), 1);
    return c == 'a' ? -ECANCELED : 0; /* -ECANCELED: the server aborts the stream */
}

/* Sends until the server goes away. */
static intptr_t hose(void *arg)
{
    int fd = (int)connect_to(((void **)arg)[0]);
    char b[8192];
    memset(b, *(char *)((void **)arg)[1], sizeof b);
    intptr_t r;
    size_t sent = 0;
    while ((r = CIO_AWAIT(cio_send(fd, b, sizeof b, 0))) > 0 && sent < (64u << 20))
        sent += (size_t)r;
    close(fd);
    return r == -EPIPE || r == -ECONNRESET ? 0 : r;
}

static intptr_t leave_armed(void *arg)
{
    (void)arg;
    cio_server *srv;
    CHECK_EQ(start(read_one_and_leave, (cio_server_opts){ 0 }, &srv), 0);
    void *a[] = { srv, "a" }, *c[] = { srv, "c" };
    cio_task *t1 = cio_spawn(hose, a), *t2 = cio_spawn(hose, c);
    CHECK_EQ(CIO_AWAIT(t1), 0);
    CHECK_EQ(CIO_AWAIT(t2), 0);
    CHECK_EQ(cio_server_close(srv, UINT64_MAX), 0);
    return 0;
}

/* ---- server close with connections open ------------------------------------------------ */

static intptr_t idle_client(void *arg)
{
    int fd = (int)connect_to(arg);
    CHECK_EQ(CIO_AWAIT(cio_send(fd, "hi\n", 3, 0)), 3);
    char b[4];
    intptr_t r = CIO_AWAIT(cio_recv(fd, b, sizeof b, MSG_WAITALL)); /* the echo, then the server closes */
    close(fd);
    return r == 3 ? 0 : -EPROTO;
}

static intptr_t close_open(void *arg)
{
    (void)arg;
    cio_server *srv;
    CHECK_EQ(start(echo, (cio_server_opts){ 0 }, &srv), 0);
    enum { N = 10 };
    cio_task *t[N];
    for (int i = 0; i < N; i++)
        t[i] = cio_spawn(idle_client, srv);
    while (cio_server_connections(srv) < N || g_streams < N)
        CIO_AWAIT(cio_sleep(CIO_MS(2)));
    CIO_AWAIT(cio_sleep(CIO_MS(10))); /* echoes sent: every handler waits in a read */
    CHECK_EQ(cio_server_close(srv, 0), N);
    for (int i = 0; i < N; i++)
        CHECK(CIO_AWAIT(t[i]) <= 0);
    return 0;
}

/* ---- driver ---------------------------------------------------------------------------- */

static intptr_t probe(void *arg)
{
    (void)arg;
    g_avail = cio__bufring_get(cio_loop_current()) != NULL;
    return 0;
}

/* Runs a case; with a refusing kernel, the loop's fast path must have
 * given up by the end. */
static intptr_t run_case(void *arg)
{
    intptr_t r = ((cio_task_fn)arg)(NULL);
    if (g_mode == FAST_REFUSED && g_avail)
        CHECK(cio__bufring_get(cio_loop_current()) == NULL);
    return r;
}

static void each_mode(const char *name, cio_task_fn fn)
{
    for (enum mode m = FAST; m <= PLAIN_ENV; m++) {
        g_mode = m;
        g_streams = g_fast = 0;
        if (modes[m].env)
            setenv("CIO_FASTRECV", modes[m].env, 1);
        CHECK_EQ(tu_run(run_case, (void *)fn), 0);
        unsetenv("CIO_FASTRECV");
        check_path();
        printf("ok %s (%s)\n", name, modes[m].name);
        fflush(stdout);
    }
}

static void test_starved(void)
{
    setenv("CIO_FASTRECV_BUFS", "2", 1);
    each_mode("starved", starved);
    unsetenv("CIO_FASTRECV_BUFS");
}

int main(void)
{
    unsetenv("CIO_FASTRECV");
    unsetenv("CIO_FASTRECV_BUFS");
    CHECK_EQ(tu_run(probe, NULL), 0);
    if (!g_avail)
        printf("# fast receive path unavailable here: every mode runs the fallback\n");
    each_mode("echo", many_echo);
    test_starved();
    each_mode("flood", flood);
    each_mode("reset", reset_mid);
    each_mode("half_close", half_close);
    each_mode("leave_armed", leave_armed);
    each_mode("close_open", close_open);
    return 0;
}
