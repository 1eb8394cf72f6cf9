/* future/io.c — futures backed by one io_uring operation.
 *
 * The op record lives inside the future and the op holds a reference until
 * its final CQE, so the record (and, through the await contract, the
 * caller's buffers) outlive any cancellation or timeout.
 */
#include "io.h"

static void io_complete(cio__op *op, int res, unsigned flags)
{
    cio__io *io = cio__container_of(op, cio__io, op);
    (void)flags;
    if (res == -ECANCELED || res == -EINTR) {
        if (op->cancel_requested)
            res = -ECANCELED;            /* -ETIMEDOUT if a deadline timer did it */
        else if (io->deadline)
            res = -ETIMEDOUT;            /* the linked timeout fired */
    }
    cio__future_complete(&io->fut, res);
    cio__future_unref(&io->fut);
}

static int io_cancel(cio_future *f)
{
    cio__io *io = (cio__io *)f;
    cio__op_cancel(f->loop, &io->op);
    return 1;
}

static int io_set_timeout(cio_future *f, uint64_t timeout_ns)
{
    cio__io *io = (cio__io *)f;
    if (cio__op_set_timeout(f->loop, &io->op, timeout_ns) < 0)
        return -EINVAL; /* already in the ring: fall back to a loop timer */
    io->deadline = true;
    return 0;
}

static void io_destroy(cio_future *f) { cio__future_free(f, sizeof(cio__io)); }

static const cio__future_ops io_ops = {
    .kind = "io", .cancel = io_cancel, .destroy = io_destroy, .set_timeout = io_set_timeout,
};

cio__io *cio__io_new(int *err)
{
    cio_loop *l = cio_loop_current();
    if (!l) {
        *err = -EPERM;
        return NULL;
    }
    cio__io *io = (cio__io *)cio__future_alloc(l, sizeof(cio__io), &io_ops);
    if (!io) {
        *err = -ENOMEM;
        return NULL;
    }
    cio__op_init(&io->op, io_complete);
    io->deadline = false;
    return io;
}

cio_future *cio__io_submit(cio__io *io)
{
    io->fut.refs++; /* the op's, until its final completion */
    cio__op_submit(io->fut.loop, &io->op);
    return &io->fut;
}
