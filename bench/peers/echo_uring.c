/* bench/peers/echo_uring.c — the floor for the echo suite: a hand-written
 * liburing echo server on 127.0.0.1. One ring (with the setup flags cio
 * prefers: SINGLE_ISSUER | DEFER_TASKRUN, else COOP_TASKRUN, else none),
 * one thread. A single-shot accept is re-armed after each connection
 * (TCP_NODELAY set, as cio's server does); each connection has its own
 * 4 KiB buffer and alternates IORING_OP_RECV and IORING_OP_SEND (a short
 * send is re-sent from where it stopped). No provided buffers, no
 * multishot receive, no registered files — the same operations cio issues.
 * Each loop iteration submits everything prepared so far and waits for at
 * least one completion in one io_uring_submit_and_wait, then reaps every
 * CQE that is there.
 * Prints "listening port=N" once it accepts connections; runs until killed.
 * Usage: peer_echo_uring [PORT=0 (any free port)]
 */
#include <arpa/inet.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>
#include "bench.h"
#include "uring_setup.h"

enum { BUF = 4096, OP_ACCEPT = 0, OP_RECV = 1, OP_SEND = 2 };

typedef struct conn {
    int fd;
    unsigned len, off; /* bytes in buf / already sent */
    char buf[BUF];
} conn;

static struct io_uring ring;

static struct io_uring_sqe *sqe_get(void)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    if (!sqe) { /* SQ full: flush it and retry */
        io_uring_submit(&ring);
        sqe = io_uring_get_sqe(&ring);
    }
    return sqe;
}

/* user_data: the conn pointer with the op in its low bits (conns are
 * malloc'd, so 16-byte aligned). */
static void arm(conn *c, int op, int listen_fd)
{
    struct io_uring_sqe *sqe = sqe_get();
    if (op == OP_ACCEPT)
        io_uring_prep_accept(sqe, listen_fd, NULL, NULL, 0);
    else if (op == OP_RECV)
        io_uring_prep_recv(sqe, c->fd, c->buf, BUF, 0);
    else
        io_uring_prep_send(sqe, c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, (uint64_t)(uintptr_t)c | (uint64_t)op);
}

int main(int argc, char **argv)
{
    int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)bench_arg(argc, argv, 1, 0)) };
    socklen_t salen = sizeof sa;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, 511) < 0 ||
        getsockname(lfd, (struct sockaddr *)&sa, &salen) < 0) {
        perror("echo_uring");
        return 1;
    }
    if (peer_ring_init(&ring, 256, NULL) < 0) {
        fprintf(stderr, "echo_uring: io_uring setup failed\n");
        return 1;
    }
    arm(NULL, OP_ACCEPT, lfd);
    printf("listening port=%u impl=liburing\n", ntohs(sa.sin_port));
    fflush(stdout);
    for (;;) {
        if (io_uring_submit_and_wait(&ring, 1) < 0)
            continue; /* EINTR */
        unsigned head, seen = 0;
        struct io_uring_cqe *cqe;
        io_uring_for_each_cqe(&ring, head, cqe) {
            seen++;
            int op = (int)(cqe->user_data & 3), res = cqe->res;
            conn *c = (conn *)(uintptr_t)(cqe->user_data & ~(uint64_t)3);
            if (op == OP_ACCEPT) {
                if (res >= 0 && (c = malloc(sizeof *c))) {
                    setsockopt(res, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    c->fd = res;
                    arm(c, OP_RECV, lfd);
                }
                arm(NULL, OP_ACCEPT, lfd);
            } else if (res <= 0) { /* end of stream or error: drop the connection */
                close(c->fd);
                free(c);
            } else if (op == OP_RECV) {
                c->len = (unsigned)res;
                c->off = 0;
                arm(c, OP_SEND, lfd);
            } else if ((c->off += (unsigned)res) < c->len) {
                arm(c, OP_SEND, lfd);
            } else {
                arm(c, OP_RECV, lfd);
            }
        }
        io_uring_cq_advance(&ring, seen);
    }
}
