/* net/op.c — the net layer's I/O future kind (see internal.h).
 *
 * Invariant: the op holds one reference to its future until its final CQE,
 * so the record (addresses, msghdr, siginfo) and, through the await
 * contract, the caller's buffers outlive any cancellation or timeout.
 */
#include "internal.h"

static void netop_complete(cio__op *op, int res, unsigned flags)
{
    cio__netop *n = cio__container_of(op, cio__netop, op);
    bool more = flags & IORING_CQE_F_MORE;
    if (n->multishot && (more || res >= 0)) {
        n->cqe_flags = flags;
        n->on_item(n, res);
        if (more)
            return;
        res = 0; /* ended after an item: the caller re-arms */
    }
    if (res == -ECANCELED || res == -EINTR) {
        if (op->cancel_requested)
            res = -ECANCELED; /* read as -ETIMEDOUT if a deadline timer did it */
        else if (n->deadline)
            res = -ETIMEDOUT; /* the linked timeout fired */
    }
    if (n->on_final)
        res = n->on_final(n, res);
    cio__future_complete(&n->fut, res);
    cio__future_unref(&n->fut);
}

static int netop_cancel(cio_future *f)
{
    cio__op_cancel(f->loop, &((cio__netop *)f)->op);
    return 1;
}

static int netop_set_timeout(cio_future *f, uint64_t timeout_ns)
{
    cio__netop *n = (cio__netop *)f;
    if (n->multishot || cio__op_set_timeout(f->loop, &n->op, timeout_ns) < 0)
        return -EINVAL; /* in the ring already, or multishot: a loop timer does it */
    n->deadline = true;
    return 0;
}

static void netop_destroy(cio_future *f) { cio__future_free(f, sizeof(cio__netop)); }

static const cio__future_ops netop_ops = {
    .kind = "net", .cancel = netop_cancel, .destroy = netop_destroy, .set_timeout = netop_set_timeout,
};

cio__netop *cio__netop_new(const char *func, cio_future **fail)
{
    cio_loop *l = cio_loop_current();
    if (!l) {
        *fail = cio__future_failed(cio__misuse_report(-EPERM, func, "no current loop"));
        return NULL;
    }
    cio__netop *n = (cio__netop *)cio__future_alloc(l, sizeof(cio__netop), &netop_ops);
    if (!n) {
        *fail = cio__future_failed(-ENOMEM);
        return NULL;
    }
    cio__op_init(&n->op, netop_complete);
    n->deadline = n->multishot = false;
    n->cqe_flags = 0;
    n->on_item = NULL;
    n->on_final = NULL;
    n->ctx = NULL;
    n->addr_out = NULL;
    n->addrlen_out = NULL;
    n->fd = -1;
    return n;
}

cio_future *cio__netop_submit(cio__netop *n)
{
    n->fut.refs++; /* the op's, until its final completion */
    cio__op_submit(n->fut.loop, &n->op);
    return &n->fut;
}

cio_future *cio__net_bad(const char *func, const char *what)
{
    return cio__future_failed(cio__misuse_report(-EINVAL, func, "%s", what));
}
