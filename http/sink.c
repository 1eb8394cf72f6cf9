/* http/sink.c — streams a response body into a file with io_uring writes in
 * constant memory: curl fills one buffer while the other is being written;
 * when both are busy the transfer is paused (CURL_WRITEFUNC_PAUSE) and
 * resumed once the write completes.
 *
 * Invariant: at most one write is in flight, always of buf[!cur]; the
 * request cannot settle while `writing`.
 */
#include <string.h>
#include <unistd.h>
#include "internal.h"

enum {
    SINK_CAP = 256 * 1024, /* bytes per buffer */
    SINK_MIN = 64 * 1024,  /* start a write once this much is buffered */
};

static void sink_written(cio__op *op, int res, unsigned flags);

void cio__http_sink_init(cio__http_sink *s, int fd, bool own_fd)
{
    memset(s, 0, sizeof(*s));
    cio__op_init(&s->op, sink_written);
    s->fd = fd;
    s->own_fd = own_fd;
    s->cap = SINK_CAP;
}

static void submit_chunk(cio__http_req *r)
{
    cio__http_sink *s = &r->sink;
    int w = !s->cur;
    io_uring_prep_write(&s->op.sqe, s->fd, s->buf[w] + s->done, (unsigned)(s->len[w] - s->done),
                        (uint64_t)s->offset);
    cio__op_submit(r->fut.loop, &s->op);
}

/* Hands the filled buffer to the kernel and starts filling the other. */
static void start_write(cio__http_req *r)
{
    cio__http_sink *s = &r->sink;
    s->cur ^= 1;
    s->done = 0;
    s->writing = true;
    submit_chunk(r);
}

static bool ensure(cio__http_sink *s, size_t need)
{
    if (need > s->cap) { /* curl delivers at most CURL_MAX_WRITE_SIZE; be safe anyway */
        for (int i = 0; i < 2; i++) {
            if (i != s->cur && s->writing)
                continue;
            char *b = cio__realloc(s->buf[i], need);
            if (!b)
                return false;
            s->buf[i] = b;
        }
        s->cap = need;
    }
    if (!s->buf[s->cur])
        s->buf[s->cur] = cio__malloc(s->cap);
    return s->buf[s->cur] != NULL;
}

size_t cio__http_sink_write(cio__http_req *r, const char *data, size_t n)
{
    cio__http_sink *s = &r->sink;
    if (s->err)
        return 0; /* curl ends the transfer with CURLE_WRITE_ERROR */
    if (s->len[s->cur] + n > s->cap && s->len[s->cur] > 0) {
        if (s->writing) {
            s->paused = true;
            return CURL_WRITEFUNC_PAUSE;
        }
        start_write(r);
    }
    if (!ensure(s, s->len[s->cur] + n)) {
        s->err = -ENOMEM;
        return 0;
    }
    memcpy(s->buf[s->cur] + s->len[s->cur], data, n);
    s->len[s->cur] += n;
    r->resp->bytes += (int64_t)n;
    if (!s->writing && s->len[s->cur] >= SINK_MIN)
        start_write(r);
    return n;
}

bool cio__http_sink_flush(cio__http_req *r)
{
    cio__http_sink *s = &r->sink;
    if (!s->writing && !s->err && s->len[s->cur] > 0)
        start_write(r);
    return s->writing;
}

/* A write failed: remember why and stop the transfer. */
static void sink_failed(cio__http_req *r, int err)
{
    cio__http_sink *s = &r->sink;
    s->writing = false;
    if (!s->err)
        s->err = err;
    cio__http_stop(r);
    if (r->finished)
        cio__http_req_settle(r);
    else
        cio__http_req_done(r, CURLE_WRITE_ERROR); /* settles (r may be freed) */
}

static void sink_written(cio__op *op, int res, unsigned flags)
{
    cio__http_req *r = cio__container_of(op, cio__http_req, sink.op);
    cio__http_sink *s = &r->sink;
    int w = !s->cur;
    (void)flags;
    if (res <= 0 || r->err) {
        sink_failed(r, res < 0 ? res : r->err ? r->err : -EIO);
        return;
    }
    s->done += (size_t)res;
    s->offset += res;
    if (s->done < s->len[w]) {
        submit_chunk(r); /* short write */
        return;
    }
    s->len[w] = 0;
    s->writing = false;
    if (s->paused && r->in_multi) {
        s->paused = false;
        curl_easy_pause(r->easy, CURLPAUSE_CONT); /* re-delivers the held data */
    }
    if (r->finished)
        cio__http_sink_flush(r);
    cio__http_req_settle(r);
}

void cio__http_sink_close(cio__http_sink *s)
{
    cio__free(s->buf[0]);
    cio__free(s->buf[1]);
    s->buf[0] = s->buf[1] = NULL;
    if (s->own_fd && s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}
