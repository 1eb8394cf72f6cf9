/* bench/fastrecv.c — the server receive path, fast (multishot recv into the
 * loop's buffer ring) against plain (one recv per read), side by side in
 * one run. A cio server on the main thread; the peers are plain blocking
 * sockets on other threads, so only the server side differs between runs.
 *   pingpong: C connections (default 50), each sending 64 bytes and
 *             waiting for the echo, R rounds (default 2000); messages/s.
 *   bulk:     B connections (default 4) each sending M MiB (default 64) to
 *             a handler that reads 64 KiB at a time; MiB/s.
 *   idle:     2000 connections that each sent one line and wait, their
 *             handlers parked in readline; server RSS growth per connection.
 * Each case runs fast, plain, fast, plain (REPS pairs, default 3) and
 * prints every run (throughput, wall time, CPU time of the server thread
 * alone) plus the best of each mode and the ratio.
 * Usage: bench_fastrecv [C] [R] [B] [M] [REPS]
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>
#include <cio.h>
#include "bench.h"

static long g_conns, g_rounds, g_bulk_conns, g_bulk_mib;
static uint16_t g_port;
static atomic_int g_done;

static int dial(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(g_port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        perror("connect");
        exit(1);
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static void xfer(int fd, char *b, size_t n, bool out)
{
    for (size_t k = 0; k < n;) {
        ssize_t r = out ? send(fd, b + k, n - k, MSG_NOSIGNAL) : recv(fd, b + k, n - k, 0);
        if (r <= 0) {
            perror(out ? "send" : "recv");
            exit(1);
        }
        k += (size_t)r;
    }
}

/* One thread keeps every connection busy: a round sends 64 bytes on each,
 * then collects every echo. */
static void *pingpong_peer(void *arg)
{
    (void)arg;
    int *fds = calloc((size_t)g_conns, sizeof *fds);
    char msg[64] = "ping", in[64];
    for (long i = 0; i < g_conns; i++)
        fds[i] = dial();
    for (long r = 0; r < g_rounds; r++) {
        for (long i = 0; i < g_conns; i++)
            xfer(fds[i], msg, sizeof msg, true);
        for (long i = 0; i < g_conns; i++)
            xfer(fds[i], in, sizeof in, false);
    }
    for (long i = 0; i < g_conns; i++)
        close(fds[i]);
    free(fds);
    return NULL;
}

static void *bulk_peer(void *arg)
{
    (void)arg;
    int fd = dial();
    enum { CH = 256 * 1024 };
    char *b = calloc(1, CH);
    for (long i = 0; i < g_bulk_mib * 4; i++)
        xfer(fd, b, CH, true);
    shutdown(fd, SHUT_WR);
    char c;
    xfer(fd, &c, 1, false); /* the handler's ack: everything was read */
    close(fd);
    free(b);
    return NULL;
}

static intptr_t echo(cio_stream *s, void *arg)
{
    (void)arg;
    char b[4096];
    intptr_t n;
    while ((n = cio_stream_read(s, b, sizeof b)) > 0)
        if (cio_stream_write(s, b, (size_t)n) < 0)
            break;
    return 0;
}

static intptr_t lines(cio_stream *s, void *arg)
{
    (void)arg;
    char b[256];
    while (cio_stream_readline(s, b, sizeof b) > 0)
        cio_stream_write(s, "k", 1);
    return 0;
}

enum { IDLE_CONNS = 2000 };

/* Opens IDLE_CONNS connections, one line each, and waits for every reply;
 * the server measures its RSS, then sets g_done = 2 to let us close. */
static void *idle_peer(void *arg)
{
    (void)arg;
    int *fds = calloc(IDLE_CONNS, sizeof *fds);
    char c;
    for (int i = 0; i < IDLE_CONNS; i++) {
        fds[i] = dial();
        xfer(fds[i], (char[]){ "hello\n" }, 6, true);
        xfer(fds[i], &c, 1, false);
    }
    atomic_store(&g_done, 1);
    while (atomic_load(&g_done) != 2)
        usleep(1000);
    for (int i = 0; i < IDLE_CONNS; i++)
        close(fds[i]);
    free(fds);
    return NULL;
}

static intptr_t serve_idle(void *arg)
{
    bool plain = arg != NULL;
    cio_server *srv;
    if (cio_start_server("127.0.0.1", 0, lines, NULL, &(cio_server_opts){ .plain_recv = plain }, &srv) < 0)
        return -1;
    g_port = cio_server_port(srv);
    atomic_store(&g_done, 0);
    uint64_t rss0 = bench_rss_bytes();
    pthread_t peer;
    pthread_create(&peer, NULL, idle_peer, NULL);
    while (!atomic_load(&g_done))
        CIO_AWAIT(cio_sleep(CIO_MS(1)));
    CIO_AWAIT(cio_sleep(CIO_MS(20))); /* every handler back in readline */
    uint64_t rss = bench_rss_bytes();
    printf("impl=cio case=idle recv=%s conns=%d rss_growth_bytes_per_conn=%.0f\n", plain ? "plain" : "fast",
           IDLE_CONNS, (double)(rss - rss0) / IDLE_CONNS);
    atomic_store(&g_done, 2);
    pthread_join(peer, NULL);
    cio_server_close(srv, UINT64_MAX);
    return 0;
}

static intptr_t sink(cio_stream *s, void *arg)
{
    (void)arg;
    static char b[65536];
    while (cio_stream_read(s, b, sizeof b) > 0)
        ;
    cio_stream_write(s, "k", 1);
    return 0;
}

static void *peers_main(void *arg)
{
    bool bulk = arg != NULL;
    long n = bulk ? g_bulk_conns : 1;
    pthread_t t[64];
    for (long i = 0; i < n; i++)
        pthread_create(&t[i], NULL, bulk ? bulk_peer : pingpong_peer, NULL);
    for (long i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    atomic_store(&g_done, 1);
    return NULL;
}

typedef struct run { bool bulk, plain; double wall_s, cpu_s; } run;

/* CPU time of the calling (server) thread only, not the peers'. */
static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static intptr_t serve(void *arg)
{
    run *r = arg;
    cio_server *srv;
    cio_server_opts o = { .plain_recv = r->plain, .read_limit = 256 * 1024 };
    if (cio_start_server("127.0.0.1", 0, r->bulk ? sink : echo, NULL, &o, &srv) < 0)
        return -1;
    g_port = cio_server_port(srv);
    atomic_store(&g_done, 0);
    pthread_t peers;
    uint64_t t0 = bench_now_ns(), c0 = thread_cpu_ns();
    pthread_create(&peers, NULL, peers_main, r->bulk ? r : NULL);
    while (!atomic_load(&g_done))
        CIO_AWAIT(cio_sleep(CIO_US(200)));
    r->wall_s = (double)(bench_now_ns() - t0) / 1e9;
    r->cpu_s = (double)(thread_cpu_ns() - c0) / 1e9;
    pthread_join(peers, NULL);
    cio_server_close(srv, UINT64_MAX);
    return 0;
}

static double rate(const run *r)
{
    return r->bulk ? (double)(g_bulk_conns * g_bulk_mib) / r->wall_s : (double)(g_conns * g_rounds) / r->wall_s;
}

static void bench_case(bool bulk, long reps)
{
    double best[2] = { 0, 0 };
    for (long i = 0; i < 2 * reps; i++) {
        run r = { .bulk = bulk, .plain = i % 2 };
        if (cio_run(serve, &r, NULL) != 0) {
            fprintf(stderr, "server failed\n");
            exit(1);
        }
        double x = rate(&r);
        best[r.plain] = x > best[r.plain] ? x : best[r.plain];
        printf("impl=cio case=%s recv=%s %s=%.0f wall_s=%.3f server_cpu_s=%.3f\n", bulk ? "bulk" : "pingpong",
               r.plain ? "plain" : "fast", bulk ? "mib_per_s" : "msgs_per_s", x, r.wall_s, r.cpu_s);
    }
    printf("result case=%s best_fast=%.0f best_plain=%.0f fast_over_plain=%.3f\n", bulk ? "bulk" : "pingpong",
           best[0], best[1], best[0] / best[1]);
}

int main(int argc, char **argv)
{
    g_conns = argc > 1 ? atol(argv[1]) : 50;
    g_rounds = argc > 2 ? atol(argv[2]) : 2000;
    g_bulk_conns = argc > 3 ? atol(argv[3]) : 4;
    g_bulk_mib = argc > 4 ? atol(argv[4]) : 64;
    long reps = argc > 5 ? atol(argv[5]) : 3;
    if (g_bulk_conns > 64)
        g_bulk_conns = 64;
    bench_case(false, reps);
    bench_case(true, reps);
    cio_run(serve_idle, NULL, NULL); /* a parked read per connection: no in-flight cap needed */
    cio_run(serve_idle, (void *)1, NULL);
    return 0;
}
