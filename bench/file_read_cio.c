/* bench/file_read_cio.c — the cio reader of the file_read suite: reads a
 * whole file in CHUNK-byte pieces (default 128 KiB) with INFLIGHT reads in
 * flight (default 16). INFLIGHT tasks each own one buffer and loop: take
 * the next unread offset, CIO_AWAIT(cio_file_read(fd, buf, CHUNK, off)),
 * repeat — so a read is refilled as soon as one completes and the loop
 * submits them together. The buffers are allocated before the clock
 * starts, as in the liburing peer. The data is not touched after the read (dd and
 * cat only copy it to /dev/null either). Timed from open to close.
 * Prints bytes, seconds and GB/s (10^9 bytes per second).
 * Usage: bench_file_read_cio FILE [CHUNK=131072] [INFLIGHT=16]
 */
#include <cio.h>
#include <fcntl.h>
#include <sys/stat.h>
#include "bench.h"

typedef struct job {
    char **bufs;        /* one per reader, allocated before the clock starts */
    long nbufs;         /* readers started so far (each takes the next buffer) */
    int fd;
    size_t chunk;
    int64_t next, size; /* the next offset to read; the file's size */
    int64_t bytes;      /* read so far */
    intptr_t err;
} job;

static intptr_t reader(void *arg)
{
    job *j = arg;
    char *buf = j->bufs[j->nbufs++];
    while (j->next < j->size && !j->err) {
        int64_t off = j->next;
        j->next += (int64_t)j->chunk;
        intptr_t n = CIO_AWAIT(cio_file_read(j->fd, buf, j->chunk, off));
        if (n < 0)
            j->err = n;
        else
            j->bytes += n;
    }
    return 0;
}

static intptr_t main_task(void *arg)
{
    char **argv = arg;
    long chunk = argv[2] ? strtol(argv[2], NULL, 0) : 128 * 1024;
    long inflight = argv[2] && argv[3] ? strtol(argv[3], NULL, 0) : 16;
    if (chunk < 1 || inflight < 1 || inflight > 4096)
        return -EINVAL;
    char **bufs = calloc((size_t)inflight, sizeof *bufs);
    for (long i = 0; i < inflight; i++)
        if (!(bufs[i] = aligned_alloc(4096, (size_t)chunk)))
            return -ENOMEM;
    uint64_t t0 = bench_now_ns();
    intptr_t fd = CIO_AWAIT(cio_file_open(argv[1], O_RDONLY, 0));
    if (fd < 0) {
        fprintf(stderr, "file_read_cio: %s: %s\n", argv[1], cio_strerror(fd));
        return fd;
    }
    struct statx st;
    intptr_t rc = CIO_AWAIT(cio_file_fstatx((int)fd, STATX_SIZE, &st));
    if (rc < 0)
        return rc;
    job j = { .bufs = bufs, .fd = (int)fd, .chunk = (size_t)chunk, .size = (int64_t)st.stx_size };
    cio_task **ts = calloc((size_t)inflight, sizeof *ts);
    for (long i = 0; i < inflight; i++)
        ts[i] = cio_spawn(reader, &j);
    for (long i = 0; i < inflight; i++)
        CIO_AWAIT(ts[i]);
    CIO_AWAIT(cio_file_close((int)fd));
    uint64_t ns = bench_now_ns() - t0;
    free(ts);
    for (long i = 0; i < inflight; i++)
        free(bufs[i]);
    free(bufs);
    if (j.err) {
        fprintf(stderr, "file_read_cio: %s\n", cio_strerror(j.err));
        return j.err;
    }
    printf("impl=cio bytes=%lld chunk=%ld inflight=%ld seconds=%.3f gb_per_s=%.3f\n", (long long)j.bytes, chunk,
           inflight, (double)ns / 1e9, (double)j.bytes / (double)ns);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [CHUNK] [INFLIGHT]\n", argv[0]);
        return 2;
    }
    return cio_run(main_task, argv, NULL) < 0;
}
