/* future/fs_more.c — the rest of the file surface (cio/fs.h): vectored I/O,
 * fdatasync, statx, unlink/rmdir/rename/mkdir, and copy helpers. One
 * io_uring op each; no thread pool. Paths and buffers follow the await
 * contract (valid until the future is done). */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "cio/fs.h"
#include "io.h"

#define START(io)                                                         \
    int err_ = 0;                                                         \
    cio__io *io = cio__io_new(&err_);                                     \
    if (!io)                                                              \
        return cio__future_failed(err_ == -EPERM ? cio__misuse(err_, "no current loop") : err_)

#define REQUIRE(cond, what)                                   \
    if (!(cond))                                              \
    return cio__future_failed(cio__misuse(-EINVAL, "%s", what))

cio_future *cio_file_readv(int fd, const struct iovec *iov, int iovcnt, int64_t offset)
{
    REQUIRE(iov && iovcnt > 0 && offset >= -1, "bad iovec array or offset");
    START(io);
    io_uring_prep_readv(&io->op.sqe, fd, iov, (unsigned)iovcnt, (uint64_t)offset);
    return cio__io_submit(io);
}

cio_future *cio_file_writev(int fd, const struct iovec *iov, int iovcnt, int64_t offset)
{
    REQUIRE(iov && iovcnt > 0 && offset >= -1, "bad iovec array or offset");
    START(io);
    io_uring_prep_writev(&io->op.sqe, fd, iov, (unsigned)iovcnt, (uint64_t)offset);
    return cio__io_submit(io);
}

cio_future *cio_file_fdatasync(int fd) { return cio_file_fsync(fd, true); }

cio_future *cio_file_statx(const char *path, int flags, unsigned mask, struct statx *out)
{
    REQUIRE(path && out, "path or out is NULL");
    START(io);
    io_uring_prep_statx(&io->op.sqe, AT_FDCWD, path, flags, mask, out);
    return cio__io_submit(io);
}

cio_future *cio_file_fstatx(int fd, unsigned mask, struct statx *out)
{
    REQUIRE(out, "out is NULL");
    START(io);
    io_uring_prep_statx(&io->op.sqe, fd, "", AT_EMPTY_PATH, mask, out);
    return cio__io_submit(io);
}

static cio_future *unlink_at(const char *path, int flags)
{
    REQUIRE(path, "path is NULL");
    START(io);
    io_uring_prep_unlinkat(&io->op.sqe, AT_FDCWD, path, flags);
    return cio__io_submit(io);
}

cio_future *cio_file_unlink(const char *path) { return unlink_at(path, 0); }
cio_future *cio_file_rmdir(const char *path) { return unlink_at(path, AT_REMOVEDIR); }

cio_future *cio_file_rename(const char *oldpath, const char *newpath)
{
    REQUIRE(oldpath && newpath, "path is NULL");
    START(io);
    io_uring_prep_renameat(&io->op.sqe, AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
    return cio__io_submit(io);
}

cio_future *cio_file_mkdir(const char *path, mode_t mode)
{
    REQUIRE(path, "path is NULL");
    START(io);
    io_uring_prep_mkdirat(&io->op.sqe, AT_FDCWD, path, mode);
    return cio__io_submit(io);
}

/* ---- copying ----------------------------------------------------------------- */

enum { CHUNK = 128 * 1024 };

/* Writes all of buf[0, n) at `off`. Returns 0 or -errno. */
static intptr_t write_all(int fd, const char *buf, size_t n, int64_t off)
{
    while (n > 0) {
        intptr_t w = cio_await(cio_file_write(fd, buf, n, off));
        if (w <= 0)
            return w < 0 ? w : -EIO;
        buf += w, n -= (size_t)w, off += w;
    }
    return 0;
}

/* Double buffering: the read of chunk i+1 is in flight while chunk i is
 * written. Both futures are always awaited, so no op outlives `bufs`. */
static int64_t copy_loop(int in, int out, char *bufs)
{
    int64_t off = 0;
    int cur = 0;
    intptr_t n = cio_await(cio_file_read(in, bufs, CHUNK, 0));
    while (n > 0) {
        cio_future *next = cio_file_read(in, bufs + (1 - cur) * CHUNK, CHUNK, off + n);
        intptr_t w = write_all(out, bufs + cur * CHUNK, (size_t)n, off);
        intptr_t r = cio_await(next);
        if (w < 0)
            return w;
        off += n;
        n = r;
        cur = 1 - cur;
    }
    return n < 0 ? n : off;
}

int64_t cio_file_copy_fd(int in, int out)
{
    if (!cio_current_task())
        return cio__misuse(-EPERM, "cio_file_copy_fd must be called from a task");
    char *bufs = cio__malloc(2 * CHUNK);
    if (!bufs)
        return -ENOMEM;
    int64_t r = copy_loop(in, out, bufs);
    cio__free(bufs);
    return r;
}

int64_t cio_file_copy(const char *src, const char *dst, mode_t mode)
{
    if (!src || !dst)
        return cio__misuse(-EINVAL, "path is NULL");
    if (!cio_current_task())
        return cio__misuse(-EPERM, "cio_file_copy must be called from a task");
    intptr_t in = cio_await(cio_file_open(src, O_RDONLY, 0));
    if (in < 0)
        return in;
    intptr_t out = cio_await(cio_file_open(dst, O_WRONLY | O_CREAT | O_TRUNC, mode));
    int64_t r = out < 0 ? out : cio_file_copy_fd((int)in, (int)out);
    close((int)in); /* plain close: must happen even in a cancelled task */
    if (out >= 0)
        close((int)out);
    return r;
}
