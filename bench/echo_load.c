/* bench/echo_load.c — the load generator of the echo suite (plain C, no cio).
 *
 * Opens CONNS TCP connections to HOST:PORT and runs a ping-pong on each:
 * send MSGSIZE bytes, wait until all MSGSIZE bytes came back, send again.
 * One thread, epoll (level-triggered) over non-blocking sockets with
 * TCP_NODELAY, so the generator costs a read and a write per round trip and
 * stays well below the server's cost. The suite pins it to one core and the
 * server to the other.
 *
 * The first 0.5 s are a warm-up and not counted; then SECONDS are measured.
 * Every round trip's latency (send to last byte back, CLOCK_MONOTONIC) goes
 * into a histogram of 100 ns buckets (up to 100 ms; slower ones land in the
 * last bucket), from which p50/p99 are read.
 * Prints: rtt_per_s, p50_us, p99_us, the measured round trips and all of
 * them including the warm-up (rtts_with_warmup, for CPU per round trip).
 * Usage: bench_echo_load HOST PORT [CONNS=50] [SECONDS=5] [MSGSIZE=64]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include "bench.h"

enum { BUCKET_NS = 100, NBUCKETS = 1000000, WARMUP_NS = 500000000 };

typedef struct conn {
    int fd;
    size_t got;       /* bytes of the current echo received so far */
    uint64_t sent_at; /* when the current message was sent */
} conn;

static uint32_t hist[NBUCKETS];

static int dial(const struct sockaddr_in *sa)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (fd < 0 || connect(fd, (const struct sockaddr *)sa, sizeof *sa) < 0)
        return -1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

/* The latency (in µs) below which a fraction q of the samples fall. */
static double percentile(uint64_t total, double q)
{
    uint64_t want = (uint64_t)((double)total * q), seen = 0;
    for (int i = 0; i < NBUCKETS; i++)
        if ((seen += hist[i]) > want)
            return (i + 1) * BUCKET_NS / 1000.0;
    return NBUCKETS * BUCKET_NS / 1000.0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s HOST PORT [CONNS] [SECONDS] [MSGSIZE]\n", argv[0]);
        return 2;
    }
    long nconns = bench_arg(argc, argv, 3, 50), seconds = bench_arg(argc, argv, 4, 5);
    long msgsize = bench_arg(argc, argv, 5, 64);
    if (nconns < 1 || seconds < 1 || msgsize < 1 || msgsize > 65536)
        return 2;
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2])) };
    if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1)
        return 2;

    char *msg = malloc((size_t)msgsize), *buf = malloc((size_t)msgsize);
    conn *cs = calloc((size_t)nconns, sizeof *cs);
    struct epoll_event *evs = calloc((size_t)nconns, sizeof *evs);
    int ep = epoll_create1(0);
    memset(msg, 'x', (size_t)msgsize);
    for (long i = 0; i < nconns; i++) {
        if ((cs[i].fd = dial(&sa)) < 0) {
            perror("echo_load: connect");
            return 1;
        }
        struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &cs[i] };
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
    }

    uint64_t start = bench_now_ns(), measure_from = start + WARMUP_NS;
    uint64_t end = measure_from + (uint64_t)seconds * 1000000000ull, rtts = 0, all = 0, now = start;
    for (long i = 0; i < nconns; i++) {
        cs[i].sent_at = start;
        if (write(cs[i].fd, msg, (size_t)msgsize) != msgsize)
            return 1;
    }
    while (now < end) {
        int n = epoll_wait(ep, evs, (int)nconns, 100);
        if (n < 0 && errno != EINTR)
            return 1;
        now = bench_now_ns();
        for (int i = 0; i < n; i++) {
            conn *c = evs[i].data.ptr;
            ssize_t r = read(c->fd, buf, (size_t)msgsize - c->got);
            if (r < 0 && errno == EAGAIN)
                continue;
            if (r <= 0) {
                fprintf(stderr, "echo_load: the server closed a connection (%s)\n", r ? strerror(errno) : "eof");
                return 1;
            }
            if ((c->got += (size_t)r) < (size_t)msgsize)
                continue;
            all++;
            if (c->sent_at >= measure_from && now <= end) {
                uint64_t b = (now - c->sent_at) / BUCKET_NS;
                hist[b < NBUCKETS ? b : NBUCKETS - 1]++;
                rtts++;
            }
            c->got = 0;
            c->sent_at = now;
            if (write(c->fd, msg, (size_t)msgsize) != msgsize)
                return 1; /* 64 bytes into an empty socket buffer: never partial */
        }
    }
    double secs = (double)(end - measure_from) / 1e9;
    printf("conns=%ld msgsize=%ld seconds=%.1f rtts=%llu rtts_with_warmup=%llu rtt_per_s=%.0f p50_us=%.1f p99_us=%.1f\n",
           nconns, msgsize, secs, (unsigned long long)rtts, (unsigned long long)all, (double)rtts / secs,
           percentile(rtts, 0.50), percentile(rtts, 0.99));
    for (long i = 0; i < nconns; i++)
        close(cs[i].fd);
    return 0;
}
