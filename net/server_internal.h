/* net/server_internal.h — the server record (server.c), shared with the
 * static HTTP server that stores its root in `ctx`. Internal. */
#ifndef CIO_NET_SERVER_INTERNAL_H
#define CIO_NET_SERVER_INTERNAL_H

#include "cio/stream.h"
#include "internal.h"

struct cio_server {
    cio_loop *loop;
    int fd;                  /* listening socket; -1 once the serve task ended */
    cio_addr addr;
    cio_conn_handler handler;
    void *arg;
    cio_server_opts opts;
    cio_task *serve;         /* our reference to the serve task */
    cio_future *accept;      /* the multishot accept in flight, or NULL */
    cio_future *slot;        /* the serve task waits here at the limit */
    cio_future *idle;        /* close waits here for handlers to end */
    cio__list conns;
    size_t nconns;
    int *waiting;            /* accepted at the limit, served when a slot frees */
    size_t nwaiting, waiting_cap;
    uint64_t accepted, backoffs;
    bool closing, paused;
    void *ctx;               /* owner's data, freed with free_ctx at close */
    void (*free_ctx)(void *ctx);
};

#endif
