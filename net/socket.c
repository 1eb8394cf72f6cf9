/* net/socket.c — awaitable socket calls (cio/net.h), one io_uring op each.
 *
 * Addresses passed in are copied into the op record; msghdrs built for
 * sendto/recvfrom live there too, so only the data buffers are the
 * caller's (covered by the await contract).
 */
#include <string.h>
#include <netinet/tcp.h>
#include "cio/fs.h"
#include "internal.h"

#define MAX_RW 0x7ffff000u /* what read(2)/write(2) transfer at most */
#define START(n)                                     \
    cio_future *fail_;                               \
    cio__netop *n = cio__netop_new(__func__, &fail_); \
    if (!n)                                          \
        return fail_

static unsigned clamp(size_t len) { return len > MAX_RW ? MAX_RW : (unsigned)len; }

void cio__net_tune(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* fails harmlessly on Unix sockets */
}

cio_future *cio_socket(int domain, int type, int protocol)
{
    START(n);
    io_uring_prep_socket(&n->op.sqe, domain, type | SOCK_CLOEXEC, protocol, 0);
    return cio__netop_submit(n);
}

cio_future *cio_connect(int fd, const struct sockaddr *addr, socklen_t addrlen)
{
    if (!addr || addrlen == 0 || addrlen > sizeof(struct sockaddr_storage))
        return cio__net_bad(__func__, "bad address or address length");
    START(n);
    memcpy(&n->u.addr, addr, addrlen);
    io_uring_prep_connect(&n->op.sqe, fd, (struct sockaddr *)&n->u.addr, addrlen);
    return cio__netop_submit(n);
}

cio_future *cio_accept(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags)
{
    if (!addr != !addrlen)
        return cio__net_bad(__func__, "addr and addrlen must both be given or both be NULL");
    START(n);
    io_uring_prep_accept(&n->op.sqe, fd, addr, addrlen, flags | SOCK_CLOEXEC);
    return cio__netop_submit(n);
}

cio_future *cio__accept_multishot(int fd, void (*on_item)(cio__netop *, int), void *ctx)
{
    START(n);
    io_uring_prep_multishot_accept(&n->op.sqe, fd, NULL, NULL, SOCK_CLOEXEC);
    n->multishot = true;
    n->on_item = on_item;
    n->ctx = ctx;
    return cio__netop_submit(n);
}

cio_future *cio__recv_multishot(int fd, uint16_t bgid, unsigned cap, int msg_flags,
                                void (*on_item)(cio__netop *, int), void *ctx)
{
    START(n);
    io_uring_prep_recv_multishot(&n->op.sqe, fd, NULL, 0, msg_flags);
    n->op.sqe.flags |= IOSQE_BUFFER_SELECT;
    n->op.sqe.buf_group = bgid;
    n->op.sqe.file_index = cap; /* sqe->optlen in newer headers: the byte limit */
    n->multishot = true;
    n->on_item = on_item;
    n->ctx = ctx;
    return cio__netop_submit(n);
}

cio_future *cio_recv(int fd, void *buf, size_t len, int flags)
{
    if (!buf && len)
        return cio__net_bad(__func__, "buf is NULL");
    START(n);
    io_uring_prep_recv(&n->op.sqe, fd, buf, clamp(len), flags);
    return cio__netop_submit(n);
}

cio_future *cio_send(int fd, const void *buf, size_t len, int flags)
{
    if (!buf && len)
        return cio__net_bad(__func__, "buf is NULL");
    START(n);
    io_uring_prep_send(&n->op.sqe, fd, buf, clamp(len), flags | MSG_NOSIGNAL);
    return cio__netop_submit(n);
}

cio_future *cio_sendmsg(int fd, const struct msghdr *msg, int flags)
{
    if (!msg)
        return cio__net_bad(__func__, "msg is NULL");
    START(n);
    io_uring_prep_sendmsg(&n->op.sqe, fd, msg, (unsigned)(flags | MSG_NOSIGNAL));
    return cio__netop_submit(n);
}

cio_future *cio_recvmsg(int fd, struct msghdr *msg, int flags)
{
    if (!msg)
        return cio__net_bad(__func__, "msg is NULL");
    START(n);
    io_uring_prep_recvmsg(&n->op.sqe, fd, msg, (unsigned)flags);
    return cio__netop_submit(n);
}

cio_future *cio_sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr,
                       socklen_t addrlen)
{
    if ((!buf && len) || (addr && (addrlen == 0 || addrlen > sizeof(struct sockaddr_storage))))
        return cio__net_bad(__func__, "bad buffer or address");
    START(n);
    memset(&n->u.m.msg, 0, sizeof n->u.m.msg);
    n->u.m.iov = (struct iovec){ (void *)buf, clamp(len) };
    n->u.m.msg.msg_iov = &n->u.m.iov;
    n->u.m.msg.msg_iovlen = 1;
    if (addr) {
        memcpy(&n->u.m.name, addr, addrlen);
        n->u.m.msg.msg_name = &n->u.m.name;
        n->u.m.msg.msg_namelen = addrlen;
    }
    io_uring_prep_sendmsg(&n->op.sqe, fd, &n->u.m.msg, (unsigned)(flags | MSG_NOSIGNAL));
    return cio__netop_submit(n);
}

/* Copies the source address out before the future completes. */
static int recvfrom_final(cio__netop *n, int res)
{
    if (res >= 0 && n->addrlen_out) {
        socklen_t got = n->u.m.msg.msg_namelen;
        if (n->addr_out)
            memcpy(n->addr_out, &n->u.m.name, got < *n->addrlen_out ? got : *n->addrlen_out);
        *n->addrlen_out = got;
    }
    return res;
}

cio_future *cio_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *addr, socklen_t *addrlen)
{
    if ((!buf && len) || (addr && !addrlen))
        return cio__net_bad(__func__, "bad buffer, or addr without addrlen");
    START(n);
    memset(&n->u.m.msg, 0, sizeof n->u.m.msg);
    n->u.m.iov = (struct iovec){ buf, clamp(len) };
    n->u.m.msg.msg_iov = &n->u.m.iov;
    n->u.m.msg.msg_iovlen = 1;
    n->u.m.msg.msg_name = &n->u.m.name;
    n->u.m.msg.msg_namelen = sizeof n->u.m.name;
    n->addr_out = addr;
    n->addrlen_out = addrlen;
    n->on_final = recvfrom_final;
    io_uring_prep_recvmsg(&n->op.sqe, fd, &n->u.m.msg, (unsigned)flags);
    return cio__netop_submit(n);
}

cio_future *cio_shutdown(int fd, int how)
{
    if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
        return cio__net_bad(__func__, "how is not SHUT_RD, SHUT_WR or SHUT_RDWR");
    START(n);
    io_uring_prep_shutdown(&n->op.sqe, fd, how);
    return cio__netop_submit(n);
}

cio_future *cio_close(int fd) { return cio_file_close(fd); }
