/* net/server.c — cio_start_server: a listening socket, a serve task that
 * keeps a multishot accept armed, and one handler task per connection.
 *
 * Invariants: every accepted fd is either handed to a conn (whose task and
 * record live in s->conns until the task's done callback frees them) or
 * closed at once (limit reached or closing); the server record outlives
 * every conn (cio_server_close waits for them all), and the serve task
 * closes the listening fd when it ends.
 */
#include <string.h>
#include <unistd.h>
#include "server_internal.h"

typedef struct conn {
    cio__list link;
    cio_server *srv;
    cio_task *task;
    cio_stream *stream;
} conn;

static void wake(cio_future **fp)
{
    if (*fp && !cio_future_done(*fp))
        cio_future_set_result(*fp, 0);
}

/* Parks the calling task on a fresh plain future stored in *slot until
 * someone wakes it. */
static intptr_t park(cio_server *s, cio_future **slot, uint64_t timeout_ns)
{
    *slot = cio_future_new(s->loop);
    cio_future *f = cio_future_retain(*slot);
    intptr_t r = cio_await(timeout_ns ? cio_with_timeout(f, timeout_ns) : f);
    cio_future_release(*slot);
    *slot = NULL;
    return r;
}

/* ---- connections ------------------------------------------------------------ */

static intptr_t conn_main(void *arg)
{
    conn *c = arg;
    intptr_t r = c->srv->handler(c->stream, c->srv->arg);
    if (r == -ECANCELED)
        cio_stream_abort(c->stream); /* cancelled: don't wait for a slow peer */
    else
        cio_stream_close(c->stream);
    c->stream = NULL;
    return r;
}

static void conn_start(cio_server *s, int fd);

static void conn_done(cio_future *task, void *arg)
{
    conn *c = arg;
    cio_server *s = c->srv;
    if (c->stream) /* cancelled before it first ran */
        cio_stream_abort(c->stream);
    cio__list_remove(&c->link);
    s->nconns--;
    cio_future_release(task);
    cio__free(c);
    if (s->nwaiting && !s->closing) { /* oldest first */
        int fd = s->waiting[0];
        memmove(s->waiting, s->waiting + 1, --s->nwaiting * sizeof *s->waiting);
        conn_start(s, fd);
    }
    if (!s->opts.max_connections || s->nconns < s->opts.max_connections)
        wake(&s->slot);
    if (s->nconns == 0)
        wake(&s->idle);
}

static void conn_start(cio_server *s, int fd)
{
    if (s->addr.ss.ss_family != AF_UNIX)
        cio__net_tune(fd); /* TCP_NODELAY: the writer already batches */
    conn *c = cio__calloc(1, sizeof *c);
    cio_stream *st = c ? cio__stream_new_server(fd, s->opts.read_limit, !s->opts.plain_recv) : NULL;
    cio_task *t = st ? cio_spawn_ex(s->loop, conn_main, c,
                                    &(cio_task_opts){ .name = "conn", .stack_size = s->opts.handler_stack_size })
                     : NULL;
    if (!t || cio_future_done(t) || cio_future_add_done_callback(t, conn_done, c) < 0) {
        if (t && !cio_future_done(t)) {
            cio_task_cancel(t);
            cio_task_detach(t);
        }
        st ? cio_stream_abort(st) : (void)close(fd);
        cio__free(c);
        return;
    }
    cio__task_unhold((cio__task *)t); /* owned by the server, not by whoever runs now */
    c->srv = s;
    c->task = t;
    c->stream = st;
    cio__list_push_back(&s->conns, &c->link);
    s->nconns++;
}

static bool at_limit(const cio_server *s)
{
    return s->opts.max_connections && s->nconns >= s->opts.max_connections;
}

/* Keeps an fd accepted at the limit until a handler ends (closes it if
 * there is no memory to keep it). */
static void park_fd(cio_server *s, int fd)
{
    if (s->nwaiting == s->waiting_cap) {
        size_t cap = s->waiting_cap ? s->waiting_cap * 2 : 16;
        int *w = cio__realloc(s->waiting, cap * sizeof *w);
        if (!w) {
            close(fd);
            return;
        }
        s->waiting = w;
        s->waiting_cap = cap;
    }
    s->waiting[s->nwaiting++] = fd;
}

/* Multishot accept item: runs from the ring's completion, outside tasks. */
static void on_accept(cio__netop *n, int fd)
{
    cio_server *s = n->ctx;
    if (fd < 0)
        return;
    s->accepted++;
    if (s->closing) {
        close(fd);
        return;
    }
    if (at_limit(s)) { /* accepted before the cancel below took effect */
        park_fd(s, fd);
        return;
    }
    conn_start(s, fd);
    if (at_limit(s) && s->accept) {
        s->paused = true;
        cio_future_cancel(s->accept);
    }
}

/* ---- the serve task --------------------------------------------------------- */

static bool transient(intptr_t r)
{
    return r == -EMFILE || r == -ENFILE || r == -ENOBUFS || r == -ENOMEM || r == -ECONNABORTED ||
           r == -EPERM || r == -EPROTO;
}

static intptr_t serve_main(void *arg)
{
    cio_server *s = arg;
    uint64_t backoff = 0;
    while (!s->closing) {
        if (at_limit(s)) {
            if (park(s, &s->slot, 0) == -ECANCELED)
                break;
            continue;
        }
        s->accept = cio__accept_multishot(s->fd, on_accept, s);
        intptr_t r = cio_await(cio_future_retain(s->accept));
        cio_future_release(s->accept);
        s->accept = NULL;
        if (r == -ECANCELED && s->paused) {
            s->paused = false;
            continue;
        }
        if (r == -ECANCELED || (r < 0 && !transient(r)))
            break;
        if (r < 0) { /* out of fds or memory: back off, keep serving */
            s->backoffs++;
            backoff = backoff ? (backoff * 2 > CIO_MS(200) ? CIO_MS(200) : backoff * 2) : CIO_MS(1);
            if (cio_await(cio_sleep(backoff)) < 0)
                break;
        } else {
            backoff = 0;
        }
    }
    close(s->fd);
    s->fd = -1;
    return 0;
}

/* ---- setup and teardown ------------------------------------------------------- */

static int listen_on(cio_server *s, const char *host, uint16_t port)
{
    int rc = cio_addr_parse(&s->addr, host, port);
    if (rc < 0)
        return cio__misuse(rc, "'%s' is not a numeric address (servers bind numeric hosts)", host);
    int family = s->addr.ss.ss_family, one = 1;
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (family != AF_UNIX)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (s->opts.reuse_port && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0)
        goto fail;
    if (bind(fd, (struct sockaddr *)&s->addr.ss, s->addr.len) < 0 || listen(fd, s->opts.backlog) < 0)
        goto fail;
    s->addr.len = sizeof s->addr.ss;
    getsockname(fd, (struct sockaddr *)&s->addr.ss, &s->addr.len);
    s->fd = fd;
    return 0;
fail:
    rc = -errno;
    close(fd);
    return rc;
}

int cio_start_server(const char *host, uint16_t port, cio_conn_handler handler, void *arg,
                     const cio_server_opts *opts, cio_server **out)
{
    cio_loop *l = cio_loop_current();
    if (!l || !handler || !out)
        return cio__misuse(l ? -EINVAL : -EPERM, "%s", l ? "handler or out is NULL" : "no current loop");
    cio_server *s = cio__calloc(1, sizeof *s);
    if (!s)
        return -ENOMEM;
    s->loop = l;
    s->fd = -1;
    s->handler = handler;
    s->arg = arg;
    s->opts = opts ? *opts : (cio_server_opts){ 0 };
    if (s->opts.backlog <= 0)
        s->opts.backlog = 511;
    cio__list_init(&s->conns);
    int rc = listen_on(s, host, port);
    cio_task *t = rc < 0 ? NULL : cio_spawn_ex(l, serve_main, s, &(cio_task_opts){ .name = "serve" });
    if (t && cio_future_done(t))
        rc = (int)cio_future_result(t);
    if (rc < 0) {
        if (s->fd >= 0)
            close(s->fd);
        cio__free(s);
        return rc;
    }
    s->serve = cio_future_retain(t);
    cio_task_detach(t); /* no parent owns it; s->serve keeps our reference */
    *out = s;
    return 0;
}

const cio_addr *cio_server_addr(const cio_server *s) { return &s->addr; }
uint16_t cio_server_port(const cio_server *s) { return cio_addr_port(&s->addr); }
size_t cio_server_connections(const cio_server *s) { return s->nconns; }
uint64_t cio_server_accepted(const cio_server *s) { return s->accepted; }

static size_t cancel_all(cio_server *s)
{
    size_t n = 0;
    cio__list *pos;
    cio__list_for_each(pos, &s->conns) {
        conn *c = cio__container_of(pos, conn, link);
        n += cio_task_cancel(c->task) == 1;
    }
    return n;
}

intptr_t cio_server_close(cio_server *s, uint64_t grace_ns)
{
    if (!s)
        return cio__misuse(-EINVAL, "server is NULL");
    if (!cio_current_task())
        return cio__misuse(-EPERM, "cio_server_close must be called from a task");
    s->closing = true;
    if (s->accept)
        cio_future_cancel(s->accept);
    wake(&s->slot);
    cio_await(s->serve); /* closes the listening socket; consumes our reference */
    s->serve = NULL;
    if (s->nconns && grace_ns)
        park(s, &s->idle, grace_ns == UINT64_MAX ? 0 : grace_ns);
    size_t cancelled = cancel_all(s);
    while (s->nconns)
        park(s, &s->idle, 0);
    while (s->nwaiting)
        close(s->waiting[--s->nwaiting]);
    cio__free(s->waiting);
    if (s->free_ctx)
        s->free_ctx(s->ctx);
    cio__free(s);
    return (intptr_t)cancelled;
}
