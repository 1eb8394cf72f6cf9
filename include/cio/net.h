/* cio/net.h — awaitable sockets, addresses, connections and servers.
 *
 * Socket calls queue one io_uring operation and return a future for the
 * kernel's result (>= 0 on success, negative errno on failure), exactly like
 * cio/fs.h. Every call is cancellable (cio_future_cancel, or cancelling the
 * awaiting task) and takes a deadline through cio_with_timeout(), which
 * becomes a linked timeout in the kernel and completes the future with
 * -ETIMEDOUT. Buffers, iovecs and msghdrs passed in must stay valid until
 * the future is done; awaiting it with CIO_AWAIT guarantees that even under
 * cancellation. Socket addresses passed *in* (connect, sendto) are copied
 * into the operation, so they may live on the caller's stack without that
 * guarantee. All functions are loop-thread only; without a current loop they
 * return a failed future (-EPERM).
 */
#ifndef CIO_NET_H
#define CIO_NET_H

#include <sys/socket.h>
#include <sys/types.h>
#include "base.h"
#include "task.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- sockets ---------------------------------------------------------------- */

/* socket(domain, type | SOCK_CLOEXEC, protocol). Result: the new fd. */
CIO_API cio_future *cio_socket(int domain, int type, int protocol);

/* connect(fd, addr, addrlen); `addr` is copied. Result: 0. */
CIO_API cio_future *cio_connect(int fd, const struct sockaddr *addr, socklen_t addrlen);

/* accept4(fd, addr, addrlen, flags | SOCK_CLOEXEC). `addr`/`addrlen` may be
 * NULL; when given they are written by the kernel (buffer rule applies).
 * Result: the connected fd. */
CIO_API cio_future *cio_accept(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);

/* recv(fd, buf, len, flags). Result: bytes received, 0 at end of stream. */
CIO_API cio_future *cio_recv(int fd, void *buf, size_t len, int flags);

/* send(fd, buf, len, flags | MSG_NOSIGNAL): a closed peer gives -EPIPE, not
 * SIGPIPE. Result: bytes sent (may be fewer than len). */
CIO_API cio_future *cio_send(int fd, const void *buf, size_t len, int flags);

/* sendmsg / recvmsg with the caller's msghdr (which must stay valid, with
 * everything it points to, until the future is done). Result: bytes. */
CIO_API cio_future *cio_sendmsg(int fd, const struct msghdr *msg, int flags);
CIO_API cio_future *cio_recvmsg(int fd, struct msghdr *msg, int flags);

/* UDP-style datagrams. sendto copies `addr`. recvfrom stores the source in
 * `addr` (may be NULL) and its length in *addrlen before the future is done.
 * Result: bytes. */
CIO_API cio_future *cio_sendto(int fd, const void *buf, size_t len, int flags,
                               const struct sockaddr *addr, socklen_t addrlen);
CIO_API cio_future *cio_recvfrom(int fd, void *buf, size_t len, int flags,
                                 struct sockaddr *addr, socklen_t *addrlen);

/* shutdown(fd, how) with SHUT_RD / SHUT_WR / SHUT_RDWR. Result: 0. */
CIO_API cio_future *cio_shutdown(int fd, int how);

/* close(fd) through the ring (same as cio_file_close). Result: 0. */
CIO_API cio_future *cio_close(int fd);

/* ---- addresses ---------------------------------------------------------------- */

/* An address of any family (IPv4, IPv6, Unix). */
typedef struct cio_addr {
    struct sockaddr_storage ss;
    socklen_t len;
} cio_addr;

/* Parses a numeric host without any lookup: "1.2.3.4", "::1", "[::1]",
 * "localhost" (127.0.0.1), "" or NULL (the IPv4 wildcard), or a Unix socket
 * path: "unix:/path", a string starting with '/', or "unix:@name" (abstract).
 * `port` is ignored for Unix paths. Returns 0, or -EINVAL if `host` is not
 * numeric (use cio_open_connection, which resolves names). Thread-safe. */
CIO_API int cio_addr_parse(cio_addr *out, const char *host, uint16_t port);

/* Formats `a` as "1.2.3.4:80", "[::1]:80" or "unix:/path" into buf (always
 * NUL-terminated). Returns the length, or -ENOSPC if it did not fit.
 * Thread-safe. */
CIO_API int cio_addr_format(const cio_addr *a, char *buf, size_t cap);

/* The port of an IPv4/IPv6 address (0 for others). */
CIO_API uint16_t cio_addr_port(const cio_addr *a);

/* ---- connections ---------------------------------------------------------------- */

/* Connects a TCP (or Unix) stream socket to host:port and returns a future
 * for the connected fd (owned by the caller; SOCK_CLOEXEC, TCP_NODELAY set).
 * Numeric hosts, "localhost" and Unix paths are used directly; other names
 * are resolved with cio_getaddrinfo (the executor's resolver pool; -ENOSYS
 * when the library is built without it). Each address is tried in turn; the
 * result is the first success or the last error. Runs as a task: cancel it
 * or give it a deadline with cio_with_timeout like any future. */
CIO_API cio_future *cio_open_connection(const char *host, uint16_t port);

/* ---- servers ---------------------------------------------------------------------- */

typedef struct cio_server cio_server;
typedef struct cio_stream cio_stream;

/* A connection handler: runs as its own task with a stream over the
 * accepted socket. The server closes the stream (flushing what was written)
 * after the handler returns; the handler must not close or free it. */
typedef intptr_t (*cio_conn_handler)(cio_stream *stream, void *arg);

typedef struct cio_server_opts {
    int backlog;               /* listen(2) backlog; 0 means 511 */
    bool reuse_port;           /* SO_REUSEPORT, for one server per loop/thread */
    size_t max_connections;    /* concurrent handlers; 0 means unlimited. At the
                                  limit the server stops accepting until one ends */
    size_t handler_stack_size; /* 0 means the loop's default */
    size_t read_limit;         /* each stream's reader limit; 0: 64 KiB */
    bool plain_recv;           /* true: one recv per read. false (default): keep
                                  one multishot recv armed per stream, receiving
                                  into the loop's provided-buffer ring, where the
                                  kernel has it (>= 6.0; else this fallback).
                                  CIO_FASTRECV=0 in the environment forces plain */
} cio_server_opts;

/* Starts listening on host:port (numeric host, "localhost", "" for all IPv4
 * addresses, "::" for IPv6, or a Unix path — see cio_addr_parse; port 0
 * picks a free port, see cio_server_port) and serves every accepted
 * connection with handler(stream, arg) in a new task. Accepting uses a
 * multishot accept; running out of fds (EMFILE/ENFILE) backs off and keeps
 * serving. Stores the server in *out and returns 0, or a negative errno
 * (bind/listen errors such as -EADDRINUSE, -EINVAL for bad arguments,
 * -EPERM without a current loop). Loop thread only. */
CIO_API int cio_start_server(const char *host, uint16_t port, cio_conn_handler handler, void *arg,
                             const cio_server_opts *opts, cio_server **out);

/* The bound address / port (useful after port 0). */
CIO_API const cio_addr *cio_server_addr(const cio_server *s);
CIO_API uint16_t cio_server_port(const cio_server *s);

/* Handlers currently running. */
CIO_API size_t cio_server_connections(const cio_server *s);

/* Connections accepted so far (including ones refused at the limit). */
CIO_API uint64_t cio_server_accepted(const cio_server *s);

/* Graceful close, from a task: stops accepting and closes the listening
 * socket, then waits up to `grace_ns` (0: not at all, UINT64_MAX: forever)
 * for running handlers to return, cancels the rest and waits for them, and
 * frees the server. Returns the number of handlers that had to be
 * cancelled, or -EPERM outside a task / -EINVAL for NULL. Must be called
 * exactly once per server, not from one of its handlers. */
CIO_API intptr_t cio_server_close(cio_server *s, uint64_t grace_ns);

/* ---- a static-file HTTP/1.1 server -------------------------------------------------- */

/* Starts a small HTTP/1.1 file server for directory `root` on host:port
 * (port 0: any free port; read it with cio_server_port). Serves GET and
 * HEAD with Content-Length and keep-alive, answers 404 for missing files,
 * 403 for paths escaping `root` (".." segments or symlinks out of it),
 * 405 for other methods and 400 for malformed requests. Files are read with
 * io_uring. Close it with cio_server_close. Same returns as
 * cio_start_server; `root` is copied. */
CIO_API int cio_http_static_start(const char *root, const char *host, uint16_t port,
                                  const cio_server_opts *opts, cio_server **out);

typedef struct cio_http_static_opts {
    cio_server_opts server;
    uint64_t delay_ns; /* wait this long before answering each request: a
                          stand-in for network latency in tests and demos */
} cio_http_static_opts;

/* cio_http_static_start with more options; `opts` is required (zeroed
 * fields mean defaults) and copied. Same returns as cio_http_static_start,
 * plus -EINVAL for NULL `opts`. Loop thread only. */
CIO_API int cio_http_static_start_ex(const char *root, const char *host, uint16_t port,
                                     const cio_http_static_opts *opts, cio_server **out);

#ifdef __cplusplus
}
#endif
#endif
