/* future/fs.c — awaitable file operations (cio/fs.h). */
#include <fcntl.h>
#include <limits.h>
#include "cio/fs.h"
#include "io.h"

#define MAX_RW 0x7ffff000u /* what read(2)/write(2) transfer at most */

/* Starts an I/O future or returns why not (as a failed future in *fail). */
static cio__io *start(const char *func, cio_future **fail)
{
    int err = 0;
    cio__io *io = cio__io_new(&err);
    if (!io)
        *fail = cio__future_failed(err == -EPERM ? cio__misuse_report(err, func, "no current loop") : err);
    return io;
}

static cio_future *bad(const char *func, const char *what)
{
    return cio__future_failed(cio__misuse_report(-EINVAL, func, "%s", what));
}

cio_future *cio_file_open(const char *path, int flags, mode_t mode)
{
    if (!path)
        return bad(__func__, "path is NULL");
    cio_future *fail;
    cio__io *io = start(__func__, &fail);
    if (!io)
        return fail;
    io_uring_prep_openat(&io->op.sqe, AT_FDCWD, path, flags | O_CLOEXEC, mode);
    return cio__io_submit(io);
}

static cio_future *rw(const char *func, bool write, int fd, const void *buf, size_t len, int64_t offset)
{
    if (!buf && len)
        return bad(func, "buf is NULL");
    if (offset < -1)
        return bad(func, "offset is negative (use -1 for the file position)");
    cio_future *fail;
    cio__io *io = start(func, &fail);
    if (!io)
        return fail;
    unsigned n = len > MAX_RW ? MAX_RW : (unsigned)len;
    if (write)
        io_uring_prep_write(&io->op.sqe, fd, buf, n, (uint64_t)offset);
    else
        io_uring_prep_read(&io->op.sqe, fd, (void *)buf, n, (uint64_t)offset);
    return cio__io_submit(io);
}

cio_future *cio_file_read(int fd, void *buf, size_t len, int64_t offset)
{
    return rw(__func__, false, fd, buf, len, offset);
}

cio_future *cio_file_write(int fd, const void *buf, size_t len, int64_t offset)
{
    return rw(__func__, true, fd, buf, len, offset);
}

cio_future *cio_file_fsync(int fd, bool datasync)
{
    cio_future *fail;
    cio__io *io = start(__func__, &fail);
    if (!io)
        return fail;
    io_uring_prep_fsync(&io->op.sqe, fd, datasync ? IORING_FSYNC_DATASYNC : 0);
    return cio__io_submit(io);
}

cio_future *cio_file_close(int fd)
{
    cio_future *fail;
    cio__io *io = start(__func__, &fail);
    if (!io)
        return fail;
    io_uring_prep_close(&io->op.sqe, fd);
    return cio__io_submit(io);
}

cio_future *cio_nop(void)
{
    cio_future *fail;
    cio__io *io = start(__func__, &fail);
    if (!io)
        return fail;
    io_uring_prep_nop(&io->op.sqe);
    return cio__io_submit(io);
}
