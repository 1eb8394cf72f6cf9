/* net/stream_fastrecv.c — the server fast receive path: one multishot recv
 * per stream selecting buffers from the loop's buffer ring (bufring.c).
 * Each completion's bytes are copied into rbuf and the buffer goes back to
 * the ring at once, so buffers are never held by slow readers, and a
 * reader waiting with nothing buffered gives rbuf back: an idle connection
 * holds no receive memory (the plain path keeps rbuf, 16 KiB or more,
 * under its parked recv).
 *
 * Invariants: only the reader arms the multishot (fill), never while a
 * plain recv into rbuf is in flight. Backpressure: each arming asks the
 * kernel to stop after the bytes rbuf may still take below the stream's
 * limit (Linux >= 6.16), and the multishot is cancelled when rbuf reaches
 * the limit anyway (older kernels: bounded then by what the kernel had
 * queued when the cancel landed); the reader re-arms when it wants more,
 * or as soon as it has taken rbuf down to half the limit, so a bulk sender
 * is not stalled for a round trip whenever the limit is reached. A dead stream stays
 * allocated until the multishot's final CQE (mrecv_done frees it).
 */
#include <string.h>
#include "stream_internal.h"

static size_t buffered(const cio_stream *s) { return s->rend - s->rstart; }

/* Buffered bytes at which the multishot stops. */
static size_t high_mark(const cio_stream *s)
{
    return s->limit > s->pool->bufsz ? s->limit : s->pool->bufsz;
}

static void wake_reader(cio_stream *s)
{
    if (s->rwait && !cio_future_done(s->rwait))
        cio_future_set_result(s->rwait, 0);
}

/* Appends one completion's bytes (0: end of stream). */
static void deliver(cio_stream *s, const char *data, int res, bool more)
{
    if (res == 0) {
        s->eof = true;
    } else if (cio__stream_make_room(s, buffered(s) + (size_t)res) < 0) {
        s->rerr = -ENOMEM;
        if (more)
            cio_future_cancel(s->mrecv);
    } else {
        memcpy(s->rbuf + s->rend, data, (size_t)res);
        s->rend += (size_t)res;
        if (more && buffered(s) >= high_mark(s))
            cio_future_cancel(s->mrecv); /* re-armed when the reader wants more */
    }
    wake_reader(s);
}

/* Multishot item: runs from the ring's completion, outside tasks. */
static void on_data(cio__netop *n, int res)
{
    cio_stream *s = n->ctx;
    unsigned flags = n->cqe_flags;
    bool has_buf = flags & IORING_CQE_F_BUFFER;
    unsigned bid = flags >> IORING_CQE_BUFFER_SHIFT;
    if (!s->dead && res >= 0 && (has_buf || res == 0))
        deliver(s, has_buf ? cio__bufring_data(s->pool, bid) : NULL, res, flags & IORING_CQE_F_MORE);
    if (has_buf)
        cio__bufring_put(s->pool, bid);
}

static void mrecv_done(cio_future *f, void *arg)
{
    cio_stream *s = arg;
    intptr_t r = cio_future_result(f);
    cio_future_release(f);
    s->mrecv = NULL;
    if (s->dead) {
        cio__stream_reap(s);
        return;
    }
    if (r == -ENOBUFS) {
        s->nobufs = true; /* the reader does one plain recv, then re-arms */
        s->pool->nobufs++;
    } else if ((r == -EINVAL || r == -EOPNOTSUPP) && s->capped) {
        s->pool->no_cap = true; /* no byte limit before 6.16: re-armed without one */
    } else if (r == -EINVAL || r == -EOPNOTSUPP) {
        s->pool->broken = true; /* no multishot recv in this kernel: plain from now on */
        s->pool = NULL;
    } else if (r < 0 && r != -ECANCELED) {
        s->rerr = (int)r;
    }
    wake_reader(s);
}

static void arm(cio_stream *s)
{
    size_t room = high_mark(s) > buffered(s) ? high_mark(s) - buffered(s) : s->pool->bufsz;
    s->capped = !s->pool->no_cap;
    unsigned cap = s->capped ? (unsigned)(room < UINT32_MAX ? room : UINT32_MAX) : 0;
    int msg_flags = s->pool->refused ? MSG_WAITALL : 0; /* tests: the kernel refuses */
    cio_future *f = cio__recv_multishot(s->fd, CIO__BUFRING_BGID, cap, msg_flags, on_data, s);
    if (cio_future_done(f) || cio_future_add_done_callback(f, mrecv_done, s) < 0) {
        intptr_t r = cio_future_done(f) ? cio_future_result(f) : -ENOMEM;
        cio_future_cancel(f);
        cio_future_release(f); /* an op still in flight keeps its own reference */
        s->rerr = (int)(r < 0 ? r : -EIO);
        return;
    }
    s->mrecv = f;
}

intptr_t cio__stream_fill_fast(cio_stream *s, uint64_t deadline)
{
    if (!s->mrecv)
        arm(s);
    if (s->rerr)
        return 0;
    if (buffered(s) == 0 && s->rbuf) { /* idle: hold no memory until bytes come */
        cio__free(s->rbuf);
        s->rbuf = NULL;
        s->rcap = s->rstart = s->rend = 0;
    }
    size_t before = buffered(s);
    s->rwait = cio_future_new(s->loop);
    intptr_t r = cio_await(cio__stream_timed(cio_future_retain(s->rwait), deadline));
    cio_future_release(s->rwait);
    s->rwait = NULL;
    if (r < 0)
        return r; /* what arrived stays buffered */
    return (intptr_t)(buffered(s) - before);
}

void cio__stream_fast_refill(cio_stream *s)
{
    if (!s->mrecv && !s->eof && !s->rerr && !s->nobufs && !s->dead && buffered(s) <= high_mark(s) / 2)
        arm(s);
}

void cio__stream_fast_stop(cio_stream *s)
{
    if (s->mrecv)
        cio_future_cancel(s->mrecv);
}
