/* net/connect.c — cio_open_connection: numeric hosts directly, names via
 * the executor's resolver pool, each address tried in turn, as a task.
 *
 * The task's argument (a copy of the host) is freed by the task's done
 * callback, so a connection cancelled before it ever ran leaks nothing.
 */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

/* Provided by the executor (cio/executor.h): resolves on its resolver pool;
 * the result is a struct addrinfo * (free with freeaddrinfo) or -errno.
 * Weak until that layer is part of every build. */
extern cio_future *cio_getaddrinfo(const char *host, const char *service, const struct addrinfo *hints)
    __attribute__((weak));

typedef struct conn_req {
    uint16_t port;
    char host[];
} conn_req;

/* Connects one address. Returns the fd or -errno (the socket closed). */
static intptr_t try_addr(const struct sockaddr *sa, socklen_t len)
{
    intptr_t fd = cio_await(cio_socket(sa->sa_family, SOCK_STREAM, 0));
    if (fd < 0)
        return fd;
    intptr_t r = cio_await(cio_connect((int)fd, sa, len));
    if (r < 0) {
        close((int)fd);
        return r;
    }
    cio__net_tune((int)fd);
    return fd;
}

static intptr_t try_resolved(const char *host, uint16_t port)
{
    if (!cio_getaddrinfo)
        return -ENOSYS; /* built without the executor's resolver */
    char service[8];
    snprintf(service, sizeof service, "%u", port);
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
    intptr_t r = cio_await(cio_getaddrinfo(host, service, &hints));
    if (r < 0)
        return r;
    struct addrinfo *list = (struct addrinfo *)r;
    r = -EHOSTUNREACH;
    for (struct addrinfo *ai = list; ai; ai = ai->ai_next) {
        r = try_addr(ai->ai_addr, ai->ai_addrlen);
        if (r >= 0 || r == -ECANCELED || r == -ETIMEDOUT)
            break;
    }
    freeaddrinfo(list);
    return r;
}

static intptr_t open_main(void *arg)
{
    conn_req *q = arg;
    cio_addr a;
    if (cio_addr_parse(&a, q->host, q->port) < 0)
        return try_resolved(q->host, q->port);
    intptr_t r = try_addr((struct sockaddr *)&a.ss, a.len);
    if (r < 0 && r != -ECANCELED && !strcmp(q->host, "localhost")) {
        cio_addr_parse(&a, "::1", q->port);
        r = try_addr((struct sockaddr *)&a.ss, a.len);
    }
    return r;
}

static void free_req(cio_future *f, void *arg)
{
    (void)f;
    cio__free(arg);
}

cio_future *cio_open_connection(const char *host, uint16_t port)
{
    if (!host)
        return cio__net_bad(__func__, "host is NULL");
    size_t n = strlen(host) + 1;
    conn_req *q = cio__malloc(sizeof *q + n);
    if (!q)
        return cio__future_failed(-ENOMEM);
    q->port = port;
    memcpy(q->host, host, n);
    cio_task *t = cio_spawn_ex(NULL, open_main, q, &(cio_task_opts){ .name = "open_connection" });
    if (cio_future_done(t) || cio_future_add_done_callback(t, free_req, q) < 0) {
        cio__free(q); /* a failed spawn (static future) never ran */
        if (!cio_future_done(t))
            cio_task_cancel(t);
        return t;
    }
    return t;
}
