/* net/internal.h — the net layer's operation record and shared helpers.
 *
 * A cio__netop is an I/O future (like future/io.c's) with room for the
 * things the kernel reads or writes after submission: a copied sockaddr, a
 * msghdr + iovec, a signalfd_siginfo. It lives until the op's final CQE, so
 * none of those may sit on a caller's stack. Multishot ops report each
 * intermediate CQE (IORING_CQE_F_MORE) through `on_item`; the future itself
 * completes only with the final CQE. Internal; never installed.
 */
#ifndef CIO_NET_INTERNAL_H
#define CIO_NET_INTERNAL_H

#include <netinet/in.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include "future/internal.h"
#include "cio/net.h"

typedef struct cio__netop cio__netop;

struct cio__netop {
    cio_future fut;
    cio__op op;
    bool deadline, multishot;
    unsigned cqe_flags;        /* multishot: the flags of the CQE on_item sees */
    /* Multishot: called for every CQE carrying a result (F_MORE or not). */
    void (*on_item)(cio__netop *n, int res);
    /* Called with the final result before the future completes; may change it. */
    int (*on_final)(cio__netop *n, int res);
    void *ctx;
    struct sockaddr *addr_out; /* recvfrom: where the source address goes */
    socklen_t *addrlen_out;
    int fd;                    /* signal waits: the signalfd to close */
    union {
        struct sockaddr_storage addr;
        struct {
            struct msghdr msg;
            struct iovec iov;
            struct sockaddr_storage name;
        } m;
        struct signalfd_siginfo si;
    } u;
};

/* A new net op on the current loop (prep n->op.sqe, then cio__netop_submit),
 * or NULL with the failed future to return in *fail. */
CIO_HIDDEN cio__netop *cio__netop_new(const char *func, cio_future **fail);
CIO_HIDDEN cio_future *cio__netop_submit(cio__netop *n);
/* A failed future for a bad argument, reported as misuse. */
CIO_HIDDEN cio_future *cio__net_bad(const char *func, const char *what);

/* Sets the options every stream socket of ours gets (TCP_NODELAY on TCP). */
CIO_HIDDEN void cio__net_tune(int fd);

/* Multishot accept on `fd`: on_item(n, fd or -errno) per connection; the
 * future completes when the multishot ends (error, cancellation, or the
 * kernel stopping it: 0). */
CIO_HIDDEN cio_future *cio__accept_multishot(int fd, void (*on_item)(cio__netop *, int), void *ctx);

/* Multishot recv on `fd` selecting buffers from group `bgid`: on_item(n,
 * bytes or 0 at end of stream) per CQE, with n->cqe_flags carrying the
 * buffer id; the future completes when the multishot ends (an error such as
 * -ENOBUFS, cancellation, or 0). `cap` > 0 ends it after that many bytes
 * (Linux >= 6.16; older kernels refuse it with -EINVAL). `msg_flags` go to
 * the kernel as given (MSG_WAITALL makes every kernel refuse it, which is
 * how the tests get a kernel without multishot recv). */
CIO_HIDDEN cio_future *cio__recv_multishot(int fd, uint16_t bgid, unsigned cap, int msg_flags,
                                           void (*on_item)(cio__netop *, int), void *ctx);

/* Streams (stream.c) used by the server; `fast` asks for the fast receive
 * path (a multishot recv into the loop's buffer ring) where available. */
CIO_HIDDEN cio_stream *cio__stream_new_server(int fd, size_t limit, bool fast);

#endif
