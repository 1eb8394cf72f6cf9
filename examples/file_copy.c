/* file_copy.c — copy a file with io_uring: a few tasks each copy every
 * Nth chunk (read at an offset, write at the same offset), so several reads
 * and writes are in flight at once.
 *
 *   file_copy SRC DST    copy SRC to DST
 *   file_copy            self-check: copy a generated 8 MiB file and compare
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cio.h>

enum { CHUNK = 128 * 1024, WORKERS = 8 };

typedef struct copy {
    int in, out;
    int64_t size;
    int index;
} copy;

/* Copies chunks index, index + WORKERS, ... Returns bytes copied or -errno. */
static intptr_t copy_worker(void *arg)
{
    copy *c = arg;
    char *buf = malloc(CHUNK);
    intptr_t total = buf ? 0 : -ENOMEM;
    for (int64_t off = (int64_t)c->index * CHUNK; total >= 0 && off < c->size; off += (int64_t)WORKERS * CHUNK) {
        intptr_t n = CIO_AWAIT(cio_file_read(c->in, buf, CHUNK, off));
        for (intptr_t done = 0; n > 0 && done < n;) {
            intptr_t w = CIO_AWAIT(cio_file_write(c->out, buf + done, (size_t)(n - done), off + done));
            if (w <= 0)
                n = w < 0 ? w : -EIO;
            else
                done += w;
        }
        total = n < 0 ? n : total + n;
    }
    free(buf);
    return total;
}

typedef struct paths {
    const char *src, *dst;
} paths;

static intptr_t copy_file(void *arg)
{
    const paths *p = arg;
    intptr_t in = CIO_AWAIT(cio_file_open(p->src, O_RDONLY, 0));
    if (in < 0)
        return in;
    intptr_t out = CIO_AWAIT(cio_file_open(p->dst, O_WRONLY | O_CREAT | O_TRUNC, 0644));
    struct stat st;
    if (out < 0 || fstat((int)in, &st) < 0) {
        CIO_AWAIT(cio_file_close((int)in));
        return out < 0 ? out : -errno;
    }
    copy c[WORKERS];
    cio_task *t[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        c[i] = (copy){ .in = (int)in, .out = (int)out, .size = st.st_size, .index = i };
        t[i] = cio_spawn(copy_worker, &c[i]);
    }
    intptr_t total = 0;
    for (int i = 0; i < WORKERS; i++) {
        intptr_t n = CIO_AWAIT(t[i]);
        total = total < 0 ? total : n < 0 ? n : total + n;
    }
    intptr_t rc = CIO_AWAIT(cio_file_fsync((int)out, false));
    CIO_AWAIT(cio_file_close((int)in));
    CIO_AWAIT(cio_file_close((int)out));
    return total < 0 ? total : rc < 0 ? rc : total;
}

static int self_check(void)
{
    char src[] = "/tmp/cio-copy-src-XXXXXX", dst[] = "/tmp/cio-copy-dst-XXXXXX";
    int fs = mkstemp(src), fd = mkstemp(dst);
    size_t size = 8u << 20;
    unsigned char *data = malloc(size), *back = malloc(size);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < size; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        data[i] = (unsigned char)x;
    }
    int ok = fs >= 0 && fd >= 0 && data && back && write(fs, data, size) == (ssize_t)size;
    intptr_t n = ok ? cio_run(copy_file, &(paths){ src, dst }, NULL) : -EIO;
    ok = n == (intptr_t)size && pread(fd, back, size, 0) == (ssize_t)size && !memcmp(data, back, size);
    if (ok)
        printf("copied %zu bytes, contents match\n", size);
    else
        fprintf(stderr, "file_copy: self-check failed (%s)\n", n < 0 ? cio_strerror(n) : "contents differ");
    unlink(src);
    unlink(dst);
    free(data);
    free(back);
    return !ok;
}

int main(int argc, char **argv)
{
    if (argc == 1)
        return self_check();
    if (argc != 3) {
        fprintf(stderr, "usage: %s [SRC DST]\n", argv[0]);
        return 2;
    }
    intptr_t n = cio_run(copy_file, &(paths){ argv[1], argv[2] }, NULL);
    if (n < 0) {
        fprintf(stderr, "file_copy: %s\n", cio_strerror(n));
        return 1;
    }
    printf("copied %ld bytes\n", (long)n);
    return 0;
}
