/* future/io.h — building awaitable io_uring operations: allocate, prep the
 * SQE with io_uring_prep_*(&io->op.sqe, ...), submit. Internal. */
#ifndef CIO_FUTURE_IO_H
#define CIO_FUTURE_IO_H

#include "internal.h"

/* A new I/O future on the current loop, or NULL with *err = -EPERM (no
 * loop) or -ENOMEM. Prep io->op.sqe, then call cio__io_submit. */
CIO_HIDDEN cio__io *cio__io_new(int *err);
/* Queues the prepared op; returns the caller's reference to its future. */
CIO_HIDDEN cio_future *cio__io_submit(cio__io *io);

#endif
