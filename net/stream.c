/* net/stream.c — a stream's lifecycle, its per-call deadlines and its
 * background writer (cio/stream.h). Reading is in stream_read.c.
 *
 * Writer invariant: `out` is the buffer the kernel may be reading (a send
 * is in flight iff s->send != NULL) and is never resized or freed while it
 * is; writes append to `acc`, and the two swap when `out` is fully sent.
 * A stream aborted with a send or a multishot receive in flight is marked
 * dead and freed by the last of their completions, never before.
 */
#include <string.h>
#include <unistd.h>
#include "stream_internal.h"

enum { DEFAULT_LIMIT = 64 * 1024, DEFAULT_HIGH = 64 * 1024 };

cio_stream *cio__stream_new_server(int fd, size_t limit, bool fast)
{
    cio_stream *s = cio_stream_new(fd, &(cio_stream_opts){ .limit = limit });
    if (s && fast)
        s->pool = cio__bufring_get(s->loop);
    return s;
}

cio_stream *cio_stream_new(int fd, const cio_stream_opts *opts)
{
    cio_loop *l = cio_loop_current();
    if (!l || fd < 0) {
        cio__misuse(-EINVAL, "%s", l ? "fd is negative" : "no current loop");
        return NULL;
    }
    cio_stream *s = cio__calloc(1, sizeof *s);
    if (!s)
        return NULL;
    cio_stream_opts o = opts ? *opts : (cio_stream_opts){ 0 };
    s->loop = l;
    s->fd = fd;
    s->limit = o.limit ? o.limit : DEFAULT_LIMIT;
    s->high = o.high_water ? o.high_water : DEFAULT_HIGH;
    s->low = o.low_water ? o.low_water : s->high / 4;
    s->timeout_ns = o.timeout_ns;
    return s;
}

int cio_stream_fd(const cio_stream *s) { return s ? s->fd : -EINVAL; }
void cio_stream_set_timeout(cio_stream *s, uint64_t timeout_ns) { s->timeout_ns = timeout_ns; }

uint64_t cio__stream_deadline(const cio_stream *s)
{
    return s->timeout_ns ? cio__clock_ns() + s->timeout_ns : 0;
}

cio_future *cio__stream_timed(cio_future *f, uint64_t deadline)
{
    if (!deadline)
        return f;
    uint64_t now = cio__clock_ns();
    return cio_with_timeout(f, deadline > now ? deadline - now : 1);
}

/* ---- the background writer ------------------------------------------------ */

size_t cio_stream_buffered(const cio_stream *s) { return s->out_len - s->out_off + s->acc_len; }

void cio__stream_reap(cio_stream *s)
{
    if (!s->dead || s->send || s->mrecv)
        return;
    cio__free(s->rbuf);
    cio__free(s->out);
    cio__free(s->acc);
    cio__free(s);
}

static void send_done(cio_future *f, void *arg);

static void start_send(cio_stream *s)
{
    if (s->out_off == s->out_len) { /* out is sent: take what was queued */
        char *b = s->out;
        size_t cap = s->out_cap;
        s->out = s->acc, s->out_cap = s->acc_cap, s->out_len = s->acc_len, s->out_off = 0;
        s->acc = b, s->acc_cap = cap, s->acc_len = 0;
    }
    if (s->out_len == s->out_off)
        return;
    cio_future *f = cio_send(s->fd, s->out + s->out_off, s->out_len - s->out_off, 0);
    if (cio_future_done(f) || cio_future_add_done_callback(f, send_done, s) < 0) {
        intptr_t r = cio_future_done(f) ? cio_future_result(f) : -ENOMEM;
        cio_future_cancel(f);
        cio_future_release(f); /* an op still in flight keeps its own reference */
        s->werr = (int)(r < 0 ? r : -EIO);
        s->out_len = s->out_off = s->acc_len = 0;
        return;
    }
    s->send = f;
}

static void wake_waiter(cio_stream *s)
{
    if (s->waiter && !cio_future_done(s->waiter) && (s->werr || cio_stream_buffered(s) <= s->wake_at))
        cio_future_set_result(s->waiter, 0);
}

static void send_done(cio_future *f, void *arg)
{
    cio_stream *s = arg;
    intptr_t r = cio_future_result(f);
    cio_future_release(f);
    s->send = NULL;
    if (s->dead) {
        cio__stream_reap(s);
        return;
    }
    if (r <= 0) {
        s->werr = r < 0 ? (int)r : -EPIPE; /* 0 bytes sent: the socket cannot take more */
        s->out_len = s->out_off = s->acc_len = 0;
    } else {
        s->out_off += (size_t)r;
        start_send(s);
    }
    wake_waiter(s);
}

static int reserve(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 4096;
    while (n < need)
        n *= 2;
    char *b = cio__realloc(*buf, n);
    if (!b)
        return -ENOMEM;
    *buf = b;
    *cap = n;
    return 0;
}

int cio_stream_write(cio_stream *s, const void *data, size_t len)
{
    if (!s || (!data && len))
        return cio__misuse(-EINVAL, "%s is NULL", s ? "data" : "stream");
    if (s->werr)
        return s->werr;
    if (s->wclosed)
        return -EPIPE;
    if (len == 0)
        return 0;
    if (reserve(&s->acc, &s->acc_cap, s->acc_len + len) < 0)
        return -ENOMEM;
    memcpy(s->acc + s->acc_len, data, len);
    s->acc_len += len;
    if (!s->send)
        start_send(s);
    return s->werr;
}

/* Waits until at most `target` bytes are queued (or a send failed). */
static int wait_until(cio_stream *s, size_t target, uint64_t deadline)
{
    if (s->waiter)
        return cio__misuse(-EBUSY, "another task is draining this stream");
    while (!s->werr && cio_stream_buffered(s) > target) {
        s->waiter = cio_future_new(s->loop);
        s->wake_at = target;
        intptr_t r = cio_await(cio__stream_timed(cio_future_retain(s->waiter), deadline));
        cio_future_release(s->waiter);
        s->waiter = NULL;
        if (r < 0)
            return (int)r;
    }
    return s->werr;
}

int cio_stream_drain(cio_stream *s)
{
    if (!s)
        return cio__misuse(-EINVAL, "stream is NULL");
    if (cio_stream_buffered(s) <= s->high)
        return s->werr;
    return wait_until(s, s->low, cio__stream_deadline(s));
}

int cio_stream_flush(cio_stream *s)
{
    if (!s)
        return cio__misuse(-EINVAL, "stream is NULL");
    return wait_until(s, 0, cio__stream_deadline(s));
}

int cio_stream_write_eof(cio_stream *s)
{
    if (!s)
        return cio__misuse(-EINVAL, "stream is NULL");
    if (s->wclosed)
        return 0;
    int rc = cio_stream_flush(s);
    s->wclosed = true;
    if (rc < 0)
        return rc;
    intptr_t r = cio_await(cio__stream_timed(cio_shutdown(s->fd, SHUT_WR), cio__stream_deadline(s)));
    return r < 0 ? (int)r : 0;
}

void cio_stream_abort(cio_stream *s)
{
    if (!s)
        return;
    close(s->fd); /* an op in flight holds its own file reference */
    s->dead = true; /* freed now, or by the completion of the last op in flight */
    if (s->send)
        cio_future_cancel(s->send);
    cio__stream_fast_stop(s);
    cio__stream_reap(s);
}

int cio_stream_close(cio_stream *s)
{
    if (!s)
        return cio__misuse(-EINVAL, "stream is NULL");
    int rc = s->werr;
    if (!rc && cio_current_task())
        rc = cio_stream_flush(s);
    if (s->send) { /* flush failed or timed out: stop the send and wait for the kernel */
        cio_future *f = cio_future_retain(s->send);
        cio_future_cancel(f);
        if (cio_current_task())
            cio_await(f); /* send_done (added first) runs before we resume */
        else
            cio_future_release(f);
    }
    cio_stream_abort(s);
    return rc;
}
