/* net/stream_internal.h — the stream record shared by stream.c (lifecycle,
 * writer) and stream_read.c (reader). Internal. */
#ifndef CIO_NET_STREAM_INTERNAL_H
#define CIO_NET_STREAM_INTERNAL_H

#include "cio/stream.h"
#include "bufring.h"
#include "internal.h"

struct cio_stream {
    cio_loop *loop;
    int fd;
    uint64_t timeout_ns;
    /* reader: bytes rbuf[rstart, rend) are buffered */
    char *rbuf;
    size_t rcap, rstart, rend, limit, partial;
    int rerr;           /* sticky receive error */
    bool eof, reading;
    /* writer: out[out_off, out_len) is being sent, acc[0, acc_len) is queued */
    char *out, *acc;
    size_t out_cap, out_len, out_off, acc_cap, acc_len;
    size_t high, low, wake_at;
    cio_future *send;   /* the send in flight (our reference), or NULL */
    cio_future *waiter; /* completed when buffered <= wake_at */
    int werr;           /* sticky send error */
    bool wclosed, dead;
    /* fast receive path (stream_fastrecv.c): a multishot recv copying into rbuf */
    cio__bufring *pool; /* the loop's buffer ring, or NULL: one recv per read */
    cio_future *mrecv;  /* the multishot in flight (our reference), or NULL */
    cio_future *rwait;  /* the reader waits here for data or the multishot's end */
    bool nobufs;        /* the last multishot found the ring empty: recv once */
    bool capped;        /* the multishot in flight has a byte limit */
};

/* Frees a dead stream once no op of its is in flight (stream.c). */
CIO_HIDDEN void cio__stream_reap(cio_stream *s);
/* Makes room in rbuf for at least `want` buffered bytes (stream_read.c). */
CIO_HIDDEN int cio__stream_make_room(cio_stream *s, size_t want);
/* Fast path (stream_fastrecv.c): arms the multishot if needed and waits
 * once for it. Returns bytes that arrived (> 0), a wait error (-ETIMEDOUT,
 * -ECANCELED), or 0 when nothing arrived: end of stream, a sticky error or
 * the multishot's end (the caller looks at eof, rerr and nobufs). */
CIO_HIDDEN intptr_t cio__stream_fill_fast(cio_stream *s, uint64_t deadline);
/* Fast path, after the reader took bytes: re-arms a multishot that ended
 * at the limit once rbuf is down to half of it. */
CIO_HIDDEN void cio__stream_fast_refill(cio_stream *s);
/* Fast path: stops the multishot (abort). */
CIO_HIDDEN void cio__stream_fast_stop(cio_stream *s);

/* Absolute deadline for a call starting now (0: none). */
CIO_HIDDEN uint64_t cio__stream_deadline(const cio_stream *s);
/* Applies an absolute deadline to `f` (no-op for 0). */
CIO_HIDDEN cio_future *cio__stream_timed(cio_future *f, uint64_t deadline);

#endif
