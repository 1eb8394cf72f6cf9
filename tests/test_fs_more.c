/* test_fs_more.c — the rest of the file surface: readv/writev at offsets,
 * fsync/fdatasync, statx on paths and fds, mkdir/rename/unlink/rmdir, and
 * the overlapped copy helpers, with error codes. */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "harness.h"

static char g_dir[64];

static void path(char *out, size_t cap, const char *name) { snprintf(out, cap, "%s/%s", g_dir, name); }

static intptr_t vectored(void *arg)
{
    (void)arg;
    char p[128];
    path(p, sizeof p, "v.txt");
    intptr_t fd = CIO_AWAIT(cio_file_open(p, O_RDWR | O_CREAT | O_TRUNC, 0600));
    CHECK(fd >= 0);
    struct iovec w[3] = { { "hello ", 6 }, { "vectored ", 9 }, { "world", 5 } };
    CHECK_EQ(CIO_AWAIT(cio_file_writev((int)fd, w, 3, 0)), 20);
    CHECK_EQ(CIO_AWAIT(cio_file_fdatasync((int)fd)), 0);
    CHECK_EQ(CIO_AWAIT(cio_file_fsync((int)fd, false)), 0);
    char a[6], b[32] = { 0 };
    struct iovec r[2] = { { a, 6 }, { b, sizeof b } };
    CHECK_EQ(CIO_AWAIT(cio_file_readv((int)fd, r, 2, 0)), 20);
    CHECK(!memcmp(a, "hello ", 6) && !strcmp(b, "vectored world"));
    CHECK_EQ(CIO_AWAIT(cio_file_readv((int)fd, r, 2, 15)), 5);
    CHECK(!memcmp(a, "world", 5));
    struct statx st;
    CHECK_EQ(CIO_AWAIT(cio_file_fstatx((int)fd, STATX_SIZE, &st)), 0);
    CHECK_EQ(st.stx_size, 20);
    CHECK_EQ(CIO_AWAIT(cio_file_close((int)fd)), 0);
    CHECK_EQ(CIO_AWAIT(cio_file_readv(-1, r, 2, 0)), -EBADF);
    CHECK_EQ(CIO_AWAIT(cio_file_readv(0, NULL, 0, 0)), -EINVAL);
    return 0;
}

static void test_vectored(void) { CHECK_EQ(test_run(vectored, NULL), 0); }

static intptr_t namespace_ops(void *arg)
{
    (void)arg;
    char d[128], f[128], g[128];
    path(d, sizeof d, "sub");
    path(f, sizeof f, "sub/a");
    path(g, sizeof g, "sub/b");
    CHECK_EQ(CIO_AWAIT(cio_file_mkdir(d, 0700)), 0);
    CHECK_EQ(CIO_AWAIT(cio_file_mkdir(d, 0700)), -EEXIST);
    intptr_t fd = CIO_AWAIT(cio_file_open(f, O_WRONLY | O_CREAT, 0600));
    CHECK(fd >= 0);
    CHECK_EQ(CIO_AWAIT(cio_file_write((int)fd, "xyz", 3, 0)), 3);
    close((int)fd);
    struct statx st;
    CHECK_EQ(CIO_AWAIT(cio_file_statx(d, 0, STATX_TYPE, &st)), 0);
    CHECK(S_ISDIR(st.stx_mode));
    CHECK_EQ(CIO_AWAIT(cio_file_rename(f, g)), 0);
    CHECK_EQ(CIO_AWAIT(cio_file_statx(f, 0, STATX_SIZE, &st)), -ENOENT);
    CHECK_EQ(CIO_AWAIT(cio_file_statx(g, 0, STATX_SIZE, &st)), 0);
    CHECK_EQ(st.stx_size, 3);
    CHECK_EQ(CIO_AWAIT(cio_file_rmdir(d)), -ENOTEMPTY);
    CHECK_EQ(CIO_AWAIT(cio_file_unlink(g)), 0);
    CHECK_EQ(CIO_AWAIT(cio_file_unlink(g)), -ENOENT);
    CHECK_EQ(CIO_AWAIT(cio_file_rmdir(d)), 0);
    return 0;
}

static void test_namespace_ops(void) { CHECK_EQ(test_run(namespace_ops, NULL), 0); }

static intptr_t copying(void *arg)
{
    (void)arg;
    char src[128], dst[128];
    path(src, sizeof src, "src.bin");
    path(dst, sizeof dst, "dst.bin");
    enum { SIZE = 3 * 128 * 1024 + 12345 };
    static unsigned char data[SIZE], back[SIZE];
    for (size_t i = 0; i < SIZE; i++)
        data[i] = (unsigned char)(i * 2654435761u >> 24);
    FILE *fp = fopen(src, "wb");
    CHECK(fp && fwrite(data, 1, SIZE, fp) == SIZE);
    fclose(fp);
    CHECK_EQ(cio_file_copy(src, dst, 0600), SIZE);
    fp = fopen(dst, "rb");
    CHECK(fp && fread(back, 1, SIZE, fp) == SIZE);
    fclose(fp);
    CHECK(!memcmp(data, back, SIZE));
    CHECK_EQ(cio_file_copy(src, dst, 0600), SIZE); /* truncates, same result */
    path(src, sizeof src, "missing");
    CHECK_EQ(cio_file_copy(src, dst, 0600), -ENOENT);
    unlink(dst);
    path(src, sizeof src, "src.bin");
    unlink(src);
    return 0;
}

static void test_copy(void) { CHECK_EQ(test_run(copying, NULL), 0); }

int main(void)
{
    test_alloc_install();
    snprintf(g_dir, sizeof g_dir, "/tmp/cio-fs-%d", (int)getpid());
    CHECK_EQ(mkdir(g_dir, 0700), 0);
    RUN(test_vectored);
    RUN(test_namespace_ops);
    RUN(test_copy);
    char p[128];
    path(p, sizeof p, "v.txt");
    unlink(p);
    CHECK_EQ(rmdir(g_dir), 0);
    CHECK_EQ(cio_file_copy_fd(0, 1), -EPERM); /* outside a task */
    CHECK_EQ(test_alloc_live(), 0);
    return 0;
}
