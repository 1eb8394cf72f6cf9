/* net/stream_read.c — the buffered reader (cio/stream.h).
 *
 * Invariant: only one task reads at a time (s->reading), so at most one
 * receive into rbuf is in flight and rbuf may be moved or grown between
 * receives. End of stream and receive errors are sticky. On the fast path
 * (s->pool) data lands in rbuf from completions (stream_fastrecv.c), so
 * every read goes through rbuf, never straight into the caller's buffer.
 */
#include <string.h>
#include "stream_internal.h"

enum { FIRST_RBUF = 16 * 1024 };

static size_t buffered(const cio_stream *s) { return s->rend - s->rstart; }

/* Makes room for at least `want` buffered bytes (compacting, then growing). */
int cio__stream_make_room(cio_stream *s, size_t want)
{
    if (s->rstart == s->rend)
        s->rstart = s->rend = 0;
    if (s->rend < s->rcap && s->rcap - s->rstart >= want)
        return 0;
    if (s->rstart > 0) {
        memmove(s->rbuf, s->rbuf + s->rstart, buffered(s));
        s->rend -= s->rstart;
        s->rstart = 0;
    }
    if (s->rend < s->rcap && s->rcap >= want)
        return 0;
    size_t cap = s->rcap ? s->rcap : FIRST_RBUF;
    while (cap < want || cap <= s->rend)
        cap *= 2;
    char *b = cio__realloc(s->rbuf, cap);
    if (!b)
        return -ENOMEM;
    s->rbuf = b;
    s->rcap = cap;
    return 0;
}

/* The fast path's fill: waits for the multishot until data arrives, or
 * returns 1 with *fallback set when a plain recv must be done instead. */
static intptr_t fill_fast(cio_stream *s, uint64_t deadline, bool *fallback)
{
    for (;;) {
        if (s->rerr)
            return s->rerr;
        if (s->eof)
            return 0;
        if (!s->pool || (s->nobufs && !s->mrecv)) {
            s->nobufs = false; /* one plain recv, then the multishot again */
            *fallback = true;
            return 1;
        }
        intptr_t r = cio__stream_fill_fast(s, deadline);
        if (r != 0)
            return r;
    }
}

/* One receive into the buffer. Returns bytes (0 at end of stream) or -errno. */
static intptr_t fill(cio_stream *s, size_t want, uint64_t deadline)
{
    bool fallback = false;
    if (s->pool) {
        intptr_t r = fill_fast(s, deadline, &fallback);
        if (!fallback)
            return r;
    }
    if (s->rerr)
        return s->rerr;
    if (s->eof)
        return 0;
    int rc = cio__stream_make_room(s, want);
    if (rc < 0)
        return rc;
    intptr_t r = cio_await(cio__stream_timed(cio_recv(s->fd, s->rbuf + s->rend, s->rcap - s->rend, 0), deadline));
    if (r > 0)
        s->rend += (size_t)r;
    else if (r == 0)
        s->eof = true;
    else if (r != -ECANCELED && r != -ETIMEDOUT)
        s->rerr = (int)r;
    return r;
}

static size_t take(cio_stream *s, void *buf, size_t n)
{
    size_t k = buffered(s) < n ? buffered(s) : n;
    if (k == 0)
        return 0; /* rbuf may still be NULL */
    memcpy(buf, s->rbuf + s->rstart, k);
    s->rstart += k;
    if (s->pool)
        cio__stream_fast_refill(s);
    return k;
}

static int enter(cio_stream *s, const void *buf, size_t n)
{
    if (!s || (!buf && n))
        return cio__misuse(-EINVAL, "%s is NULL", s ? "buf" : "stream");
    if (s->reading)
        return cio__misuse(-EBUSY, "another task is reading this stream");
    s->reading = true;
    return 0;
}

static intptr_t leave(cio_stream *s, intptr_t r)
{
    s->reading = false;
    return r;
}

intptr_t cio_stream_read(cio_stream *s, void *buf, size_t n)
{
    int rc = enter(s, buf, n);
    if (rc < 0)
        return rc;
    if (n == 0 || buffered(s))
        return leave(s, (intptr_t)take(s, buf, n));
    if (s->rerr || s->eof)
        return leave(s, s->rerr);
    if (n >= FIRST_RBUF && !s->pool) { /* big read: straight into the caller's buffer */
        intptr_t r = cio_await(cio__stream_timed(cio_recv(s->fd, buf, n, 0), cio__stream_deadline(s)));
        if (r == 0)
            s->eof = true;
        else if (r < 0 && r != -ECANCELED && r != -ETIMEDOUT)
            s->rerr = (int)r;
        return leave(s, r);
    }
    intptr_t r = fill(s, 1, cio__stream_deadline(s));
    return leave(s, r > 0 ? (intptr_t)take(s, buf, n) : r);
}

intptr_t cio_stream_readexactly(cio_stream *s, void *buf, size_t n)
{
    int rc = enter(s, buf, n);
    if (rc < 0)
        return rc;
    uint64_t deadline = cio__stream_deadline(s);
    size_t got = take(s, buf, n);
    while (got < n) {
        bool fast = s->pool; /* fill may drop to the plain path, into rbuf still */
        intptr_t r = fast ? fill(s, 1, deadline) : s->rerr ? s->rerr : s->eof ? 0
                   : cio_await(cio__stream_timed(cio_recv(s->fd, (char *)buf + got, n - got, 0), deadline));
        if (r == 0) {
            s->eof = true;
            s->partial = got;
            return leave(s, -ENODATA);
        }
        if (r < 0) {
            if (r != -ECANCELED && r != -ETIMEDOUT)
                s->rerr = (int)r;
            s->partial = got;
            return leave(s, r);
        }
        got += fast ? take(s, (char *)buf + got, n - got) : (size_t)r;
    }
    return leave(s, (intptr_t)n);
}

size_t cio_stream_partial(const cio_stream *s) { return s ? s->partial : 0; }

bool cio_stream_at_eof(const cio_stream *s) { return s && s->eof && s->rstart == s->rend; }

static intptr_t until(cio_stream *s, const void *delim, size_t dlen, void *buf, size_t cap)
{
    size_t max = cap < s->limit ? cap : s->limit, scanned = 0;
    uint64_t deadline = cio__stream_deadline(s);
    for (;;) {
        size_t from = scanned >= dlen ? scanned - dlen + 1 : 0;
        const char *hit = buffered(s) > from ? memmem(s->rbuf + s->rstart + from, buffered(s) - from, delim, dlen) : NULL;
        if (hit) {
            size_t len = (size_t)(hit - (s->rbuf + s->rstart)) + dlen;
            return len > max ? -EMSGSIZE : (intptr_t)take(s, buf, len);
        }
        scanned = buffered(s);
        if (scanned >= max)
            return -EMSGSIZE;
        intptr_t r = fill(s, max + 1, deadline);
        if (r == 0)
            return -ENODATA;
        if (r < 0)
            return r;
    }
}

intptr_t cio_stream_readuntil(cio_stream *s, const void *delim, size_t dlen, void *buf, size_t cap)
{
    if (!delim || dlen == 0)
        return cio__misuse(-EINVAL, "empty delimiter");
    int rc = enter(s, buf, cap);
    if (rc < 0)
        return rc;
    return leave(s, until(s, delim, dlen, buf, cap));
}

intptr_t cio_stream_readline(cio_stream *s, void *buf, size_t cap)
{
    int rc = enter(s, buf, cap);
    if (rc < 0)
        return rc;
    intptr_t r = until(s, "\n", 1, buf, cap);
    if (r == -ENODATA) /* end of stream: the partial last line (fits: < max) */
        r = (intptr_t)take(s, buf, cap);
    return leave(s, r);
}
