/* bench/peers/file_read_uring.c — the floor for the file_read suite: a
 * hand-written liburing reader keeping INFLIGHT (default 16) reads of CHUNK
 * bytes (default 128 KiB) in flight over one file, each into its own
 * buffer; every completion is refilled at once with the next unread offset
 * and the batch is submitted in the same io_uring_submit_and_wait. The
 * ring gets the setup flags cio prefers (SINGLE_ISSUER | DEFER_TASKRUN,
 * else COOP_TASKRUN, else none); plain buffered reads, no registered
 * buffers or files (cio uses neither). Timed from open to close.
 * Prints bytes, seconds and GB/s (10^9 bytes per second).
 * Usage: peer_file_read_uring FILE [CHUNK=131072] [INFLIGHT=16]
 */
#include <fcntl.h>
#include <liburing.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bench.h"
#include "uring_setup.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [CHUNK] [INFLIGHT]\n", argv[0]);
        return 2;
    }
    long chunk = bench_arg(argc, argv, 2, 128 * 1024), inflight = bench_arg(argc, argv, 3, 16);
    struct io_uring ring;
    if (chunk < 1 || inflight < 1 || inflight > 4096 || peer_ring_init(&ring, (unsigned)inflight, NULL) < 0)
        return 2;
    char **bufs = calloc((size_t)inflight, sizeof *bufs);
    for (long i = 0; i < inflight; i++)
        if (!(bufs[i] = aligned_alloc(4096, (size_t)chunk)))
            return 1;

    uint64_t t0 = bench_now_ns();
    int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        perror(argv[1]);
        return 1;
    }
    long long size = st.st_size, next = 0, bytes = 0;
    long pending = 0;
    for (long i = 0; i < inflight && next < size; i++, next += chunk, pending++) {
        struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
        io_uring_prep_read(sqe, fd, bufs[i], (unsigned)chunk, (uint64_t)next);
        io_uring_sqe_set_data64(sqe, (uint64_t)i);
    }
    while (pending > 0) {
        if (io_uring_submit_and_wait(&ring, 1) < 0)
            continue; /* EINTR */
        unsigned head, seen = 0;
        struct io_uring_cqe *cqe;
        io_uring_for_each_cqe(&ring, head, cqe) {
            seen++;
            pending--;
            if (cqe->res < 0) {
                fprintf(stderr, "file_read_uring: %s\n", strerror(-cqe->res));
                return 1;
            }
            bytes += cqe->res;
            if (next < size) { /* refill this buffer with the next chunk */
                long i = (long)cqe->user_data;
                struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
                io_uring_prep_read(sqe, fd, bufs[i], (unsigned)chunk, (uint64_t)next);
                io_uring_sqe_set_data64(sqe, (uint64_t)i);
                next += chunk;
                pending++;
            }
        }
        io_uring_cq_advance(&ring, seen);
    }
    close(fd);
    uint64_t ns = bench_now_ns() - t0;
    printf("impl=liburing bytes=%lld chunk=%ld inflight=%ld seconds=%.3f gb_per_s=%.3f\n", bytes, chunk, inflight,
           (double)ns / 1e9, (double)bytes / (double)ns);
    io_uring_queue_exit(&ring);
    for (long i = 0; i < inflight; i++)
        free(bufs[i]);
    free(bufs);
    return 0;
}
