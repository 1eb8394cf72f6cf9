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

/* An io_uring no-op: completes with 0 after a round trip through the ring. */
CIO_API cio_future *cio_nop(void);

#ifdef __cplusplus
}
#endif
#endif
