/* cio/fs.h — awaitable file operations on io_uring.
 *
 * Each call queues one io_uring operation and returns a future for its
 * result (the kernel's cqe->res: >= 0 on success, negative errno on error).
 * Buffers and paths must stay valid until the future is done; awaiting it
 * with CIO_AWAIT guarantees that, even when the awaiting task is cancelled.
 * All functions are loop-thread only and need a current loop (inside a task
 * or loop callback); without one they return a failed future (-EPERM).
 */
#ifndef CIO_FS_H
#define CIO_FS_H

#include <sys/types.h>
#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* openat(AT_FDCWD, path, flags, mode). Result: the new fd. */
CIO_API cio_future *cio_file_open(const char *path, int flags, mode_t mode);

/* pread: up to `len` bytes at `offset` (-1: the file position). Result:
 * bytes read (0 at end of file). */
CIO_API cio_future *cio_file_read(int fd, void *buf, size_t len, int64_t offset);

/* pwrite: up to `len` bytes at `offset` (-1: the file position). Result:
 * bytes written. */
CIO_API cio_future *cio_file_write(int fd, const void *buf, size_t len, int64_t offset);

/* fsync, or fdatasync when `datasync` is true. Result: 0. */
CIO_API cio_future *cio_file_fsync(int fd, bool datasync);

/* close(fd). Pending operations on fd are not cancelled by it. Result: 0. */
CIO_API cio_future *cio_file_close(int fd);

/* ---- more of the file surface (future/fs_more.c) -------------------------- */

struct iovec;
struct statx;

/* preadv / pwritev at `offset` (-1: the file position). The iovec array and
 * the buffers must stay valid until the future is done. Result: bytes. */
CIO_API cio_future *cio_file_readv(int fd, const struct iovec *iov, int iovcnt, int64_t offset);
CIO_API cio_future *cio_file_writev(int fd, const struct iovec *iov, int iovcnt, int64_t offset);

/* fdatasync(fd). Result: 0. */
CIO_API cio_future *cio_file_fdatasync(int fd);

/* statx(AT_FDCWD, path, flags, mask, out): fills *out (which must stay
 * valid until done). Use flags AT_SYMLINK_NOFOLLOW etc., mask STATX_BASIC_STATS.
 * Result: 0. */
CIO_API cio_future *cio_file_statx(const char *path, int flags, unsigned mask, struct statx *out);

/* statx of an open fd (AT_EMPTY_PATH). Result: 0. */
CIO_API cio_future *cio_file_fstatx(int fd, unsigned mask, struct statx *out);

/* unlink(path); rmdir(path) with cio_file_rmdir. Result: 0. */
CIO_API cio_future *cio_file_unlink(const char *path);
CIO_API cio_future *cio_file_rmdir(const char *path);

/* rename(oldpath, newpath). Result: 0. */
CIO_API cio_future *cio_file_rename(const char *oldpath, const char *newpath);

/* mkdir(path, mode). Result: 0. */
CIO_API cio_future *cio_file_mkdir(const char *path, mode_t mode);

/* Copies everything from fd `in` (from offset 0) to fd `out` (from offset
 * 0) with reads and writes overlapped on the ring. Suspends the calling
 * task (task only). Returns the bytes copied or a negative errno (-EPERM
 * outside a task, -ENOMEM, the first I/O error, -ECANCELED). */
CIO_API int64_t cio_file_copy_fd(int in, int out);

/* Opens `src`, creates/truncates `dst` with `mode`, copies, fsyncs nothing
 * and closes both. Task only. Returns bytes copied or a negative errno. */
CIO_API int64_t cio_file_copy(const char *src, const char *dst, mode_t mode);

/* An io_uring no-op: completes with 0 after a round trip through the ring. */
CIO_API cio_future *cio_nop(void);

#ifdef __cplusplus
}
#endif
#endif
