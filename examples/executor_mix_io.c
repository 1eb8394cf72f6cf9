/* executor_mix_io.c — CPU jobs mixed with I/O: tasks read files with
 * io_uring (cio_file_read) and hash each chunk on the executor, so reading
 * chunk k+1 overlaps hashing chunk k, and all files proceed at once.
 *
 * stdout (checked by the tests) has the per-file hashes; the throughput
 * line goes to stderr because it depends on the machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <cio.h>

enum { NFILES = 8, FILE_SIZE = 4 << 20, CHUNK = 256 << 10 };

struct chunk {
    const unsigned char *data;
    size_t len;
    uint64_t hash; /* out: FNV-1a 64 of data */
};

static intptr_t hash_chunk(void *arg) /* runs on a worker */
{
    struct chunk *c = arg;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < c->len; i++)
        h = (h ^ c->data[i]) * 0x100000001b3ull;
    c->hash = h;
    return 0;
}

static uint64_t combine(uint64_t acc, uint64_t h) { return (acc ^ h) * 0x100000001b3ull; }

struct file_job {
    char path[64];
    int index;
    uint64_t hash;
    size_t bytes;
};

/* Writes FILE_SIZE deterministic pseudo-random bytes to the job's file. */
static intptr_t make_file(struct file_job *fj, unsigned char *buf)
{
    uint64_t x = 0x9e3779b97f4a7c15ull * (uint64_t)(fj->index + 1);
    for (size_t i = 0; i < CHUNK; i += 8) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        memcpy(buf + i, &x, 8);
    }
    intptr_t fd = CIO_AWAIT(cio_file_open(fj->path, O_CREAT | O_WRONLY | O_TRUNC, 0644));
    if (fd < 0)
        return fd;
    intptr_t rc = 0;
    for (size_t off = 0; off < FILE_SIZE && rc >= 0; off += CHUNK) {
        buf[0] = (unsigned char)(off / CHUNK); /* chunks differ */
        rc = CIO_AWAIT(cio_file_write((int)fd, buf, CHUNK, (int64_t)off));
    }
    CIO_AWAIT(cio_file_close((int)fd));
    return rc < 0 ? rc : 0;
}

/* Reads the file chunk by chunk; hashing of one chunk runs on the executor
 * while the next one is read. */
static intptr_t hash_file(void *arg)
{
    struct file_job *fj = arg;
    unsigned char *buf[2] = { malloc(CHUNK), malloc(CHUNK) };
    struct chunk ch[2];
    intptr_t fd = CIO_AWAIT(cio_file_open(fj->path, O_RDONLY, 0));
    cio_future *hashing = NULL;
    intptr_t rc = fd < 0 ? fd : 0;
    uint64_t acc = 0xcbf29ce484222325ull;
    for (int cur = 0; rc >= 0; cur ^= 1) {
        intptr_t n = CIO_AWAIT(cio_file_read((int)fd, buf[cur], CHUNK, (int64_t)fj->bytes));
        if (hashing) { /* the other buffer's hash */
            rc = CIO_AWAIT(hashing);
            acc = combine(acc, ch[cur ^ 1].hash);
            hashing = NULL;
        }
        if (n <= 0) {
            rc = n < 0 ? n : rc;
            break;
        }
        fj->bytes += (size_t)n;
        ch[cur] = (struct chunk){ buf[cur], (size_t)n, 0 };
        hashing = cio_run_in_executor(NULL, hash_chunk, &ch[cur]);
    }
    if (fd >= 0)
        CIO_AWAIT(cio_file_close((int)fd));
    free(buf[0]);
    free(buf[1]);
    fj->hash = acc;
    return rc;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static intptr_t main_task(void *arg)
{
    struct file_job *jobs = arg;
    unsigned char *buf = malloc(CHUNK);
    intptr_t rc = 0;
    for (int i = 0; i < NFILES && rc == 0; i++) {
        jobs[i].index = i;
        snprintf(jobs[i].path, sizeof jobs[i].path, "mix-io-%d.bin", i);
        rc = make_file(&jobs[i], buf);
    }
    free(buf);
    double t0 = now_ms();
    cio_task *t[NFILES];
    for (int i = 0; i < NFILES; i++)
        t[i] = cio_spawn(hash_file, &jobs[i]);
    for (int i = 0; i < NFILES; i++) {
        intptr_t r = CIO_AWAIT(t[i]);
        rc = rc < 0 ? rc : r;
    }
    double ms = now_ms() - t0;
    size_t total = 0;
    for (int i = 0; i < NFILES; i++) {
        printf("%s: %zu bytes, hash %016llx\n", jobs[i].path, jobs[i].bytes, (unsigned long long)jobs[i].hash);
        total += jobs[i].bytes;
        unlink(jobs[i].path);
    }
    printf("%d files, %zu MiB read with io_uring and hashed on the executor\n", NFILES, total >> 20);
    fprintf(stderr, "throughput: %zu MiB in %.1f ms = %.0f MiB/s\n", total >> 20, ms,
            (double)(total >> 20) / (ms / 1e3));
    return rc;
}

int main(void)
{
    static struct file_job jobs[NFILES];
    intptr_t rc = cio_run(main_task, jobs, NULL);
    if (rc == -ENOSYS || rc == -EPERM) {
        printf("io_uring unavailable here\n");
        return 77;
    }
    if (rc < 0)
        fprintf(stderr, "error: %s\n", cio_strerror(rc));
    return rc < 0;
}
