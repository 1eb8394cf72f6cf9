/* cio/stream.h — buffered streams over a connected socket (asyncio
 * StreamReader + StreamWriter in one object).
 *
 * Reading functions suspend the calling task (call them from a task only)
 * and return a byte count or a negative errno:
 *   0            end of stream (the peer closed its side), where noted;
 *   -ENODATA     incomplete read: the stream ended before `n` bytes or the
 *                delimiter arrived (asyncio IncompleteReadError). The
 *                partial bytes are kept (see each function);
 *   -EMSGSIZE    the delimiter was not found within the limit (asyncio
 *                LimitOverrunError); the data stays buffered;
 *   -ECONNRESET  the peer reset the connection (other kernel errors pass
 *                through as they are);
 *   -ETIMEDOUT   the stream's per-call deadline passed (cio_stream_set_timeout);
 *   -ECANCELED   the calling task was cancelled;
 *   -EBUSY       another task is already reading this stream.
 * Writing never suspends: cio_stream_write queues the bytes and sends them
 * in the background; cio_stream_drain waits for the buffer to go below the
 * low-water mark. A failed send is reported by the next write/drain/close
 * (-EPIPE or -ECONNRESET when the peer went away; SIGPIPE is never raised).
 * A stream belongs to its loop's thread; it owns its fd.
 */
#ifndef CIO_STREAM_H
#define CIO_STREAM_H

#include <sys/types.h>
#include "base.h"
#include "net.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cio_stream_opts {
    size_t limit;       /* most bytes readuntil/readline buffer; 0 means 64 KiB */
    size_t high_water;  /* drain waits when more is queued; 0 means 64 KiB */
    size_t low_water;   /* ... until at most this much is; 0 means high_water / 4 */
    uint64_t timeout_ns;/* deadline of every read/drain/close call; 0: none */
} cio_stream_opts;

/* Wraps connected socket `fd` (taking ownership). `opts` may be NULL.
 * Returns the stream, or NULL on -ENOMEM or without a current loop (the fd
 * is then left open). Loop thread only. */
CIO_API cio_stream *cio_stream_new(int fd, const cio_stream_opts *opts);

/* The socket (still owned by the stream). */
CIO_API int cio_stream_fd(const cio_stream *s);

/* Sets the deadline applied to each later read/drain/close call (0: none). */
CIO_API void cio_stream_set_timeout(cio_stream *s, uint64_t timeout_ns);

/* Reads up to `n` bytes (what is buffered, or one receive). Returns the
 * count, 0 at end of stream. */
CIO_API intptr_t cio_stream_read(cio_stream *s, void *buf, size_t n);

/* Reads exactly `n` bytes into buf. Returns n, or -ENODATA if the stream
 * ended first: the partial bytes are then in buf and their count is given
 * by cio_stream_partial(). */
CIO_API intptr_t cio_stream_readexactly(cio_stream *s, void *buf, size_t n);

/* How many bytes the last -ENODATA from readexactly delivered. */
CIO_API size_t cio_stream_partial(const cio_stream *s);

/* Reads up to and including `delim` (dlen bytes) into buf (capacity cap).
 * Returns the length including the delimiter; -EMSGSIZE if the delimiter is
 * not within min(cap, limit) bytes; -ENODATA if the stream ended first (the
 * partial data stays buffered for cio_stream_read). */
CIO_API intptr_t cio_stream_readuntil(cio_stream *s, const void *delim, size_t dlen, void *buf, size_t cap);

/* readuntil("\n") except that at end of stream it returns the partial last
 * line (0 when nothing is left), like asyncio's readline. */
CIO_API intptr_t cio_stream_readline(cio_stream *s, void *buf, size_t cap);

/* True once the peer's end of stream was seen and the buffer is empty. */
CIO_API bool cio_stream_at_eof(const cio_stream *s);

/* Queues `len` bytes (copied) for sending. Never suspends. Returns 0, or the
 * error of an earlier failed send, -EPIPE after write_eof/close, -ENOMEM. */
CIO_API int cio_stream_write(cio_stream *s, const void *data, size_t len);

/* Waits (from a task) until at most low_water bytes are queued, if more
 * than high_water are. Returns 0 or a send error / -ETIMEDOUT / -ECANCELED. */
CIO_API int cio_stream_drain(cio_stream *s);

/* Waits until everything queued is sent. Same returns as drain. */
CIO_API int cio_stream_flush(cio_stream *s);

/* Bytes queued and not yet sent. */
CIO_API size_t cio_stream_buffered(const cio_stream *s);

/* Flushes, then shuts down the sending side (the peer reads end of stream);
 * reading still works. Returns 0 or an error. Task only. */
CIO_API int cio_stream_write_eof(cio_stream *s);

/* Flushes (within the stream's deadline; skipped after an error or when
 * the task is cancelled), stops any send still in flight, closes the fd and
 * frees the stream. Returns 0 or the flush error; the stream is freed in
 * every case. Task only. */
CIO_API int cio_stream_close(cio_stream *s);

/* Frees the stream without flushing: cancels a send in flight and closes
 * the fd. Usable outside tasks. */
CIO_API void cio_stream_abort(cio_stream *s);

#ifdef __cplusplus
}
#endif
#endif
