/* bench/peers/nop_uring.c — the floor for the nop benchmark: a hand-written
 * liburing loop keeping T no-ops in flight (default 64): prep T nops, one
 * io_uring_submit_and_wait per batch, reap T CQEs, K batches (default
 * 100,000). The ring gets the setup flags cio prefers (SINGLE_ISSUER |
 * DEFER_TASKRUN, else COOP_TASKRUN, else none). Prints ns per op.
 * Usage: peer_nop_uring [K] [T]
 */
#include <liburing.h>
#include <string.h>
#include "bench.h"
#include "uring_setup.h"

/* Runs k batches of t no-ops; returns elapsed ns (0 on error). */
static uint64_t round_of(struct io_uring *ring, long k, unsigned t)
{
    uint64_t t0 = bench_now_ns();
    for (long b = 0; b < k; b++) {
        for (unsigned i = 0; i < t; i++) {
            struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
            io_uring_prep_nop(sqe);
            io_uring_sqe_set_data64(sqe, i + 1);
        }
        if (io_uring_submit_and_wait(ring, t) < 0)
            return 0;
        unsigned seen = 0, head;
        struct io_uring_cqe *cqe;
        io_uring_for_each_cqe(ring, head, cqe) {
            if (cqe->res < 0)
                return 0;
            seen++;
        }
        io_uring_cq_advance(ring, seen);
        if (seen != t)
            return 0;
    }
    return bench_now_ns() - t0;
}

int main(int argc, char **argv)
{
    long k = bench_arg(argc, argv, 1, 100000), t = bench_arg(argc, argv, 2, 64);
    struct io_uring ring;
    unsigned flags = 0;
    if (t < 1 || t > 4096 || peer_ring_init(&ring, (unsigned)t, &flags) < 0)
        return 2;
    round_of(&ring, k / 10 + 1, (unsigned)t); /* warm up */
    uint64_t ns = round_of(&ring, k, (unsigned)t);
    io_uring_queue_exit(&ring);
    if (ns == 0)
        return 1;
    printf("impl=liburing tasks=%ld ops=%ld elapsed_ns=%llu ns_per_op=%.2f ring_flags=0x%x\n", t, t * k,
           (unsigned long long)ns, (double)ns / (double)(t * k), flags);
    return 0;
}
