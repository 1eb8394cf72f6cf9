/* net/stream_internal.h — the stream record shared by stream.c (lifecycle,
 * writer) and stream_read.c (reader). Internal. */
#ifndef CIO_NET_STREAM_INTERNAL_H
#define CIO_NET_STREAM_INTERNAL_H

#include "cio/stream.h"
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
};

/* Absolute deadline for a call starting now (0: none). */
CIO_HIDDEN uint64_t cio__stream_deadline(const cio_stream *s);
/* Applies an absolute deadline to `f` (no-op for 0). */
CIO_HIDDEN cio_future *cio__stream_timed(cio_future *f, uint64_t deadline);

#endif
