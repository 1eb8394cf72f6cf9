/* cio/http.h — awaitable HTTP(S) requests on libcurl, driven by the loop.
 *
 *   cio_http_response *r = NULL;
 *   intptr_t status = CIO_AWAIT(cio_http_get("http://127.0.0.1:8080/", &r));
 *   if (status >= 0)
 *       printf("%ld: %zu bytes\n", r->status, r->body_len);
 *   cio_http_response_free(r);
 *
 * Each loop owns one curl multi handle (created on the first request, freed
 * with the loop), so all its requests share connections and the DNS cache.
 * curl's sockets are watched with io_uring polls and its timeouts with one
 * loop timer; no threads of ours are involved.
 *
 * libcurl is loaded by the first request of the process (the one the program
 * already links if it does, else a dlopen of the libcurl cio was built
 * against, e.g. "libcurl.so.4"; $CIO_LIBCURL overrides both), so programs
 * that make none do not load it, and need not have it installed; without it
 * requests fail with -ELIBACC. cio_http_init does that loading ahead of
 * time.
 *
 * Results: a request's future completes with the HTTP status (>= 100) or a
 * negative errno: -ETIMEDOUT (timeout_ms or cio_with_timeout), -ECONNREFUSED,
 * -ECONNRESET (connection closed early or empty reply), -EPROTO (truncated
 * body, malformed reply), -ELOOP (too many redirects), -EFBIG (max_size),
 * -EHOSTUNREACH (name not resolved), -EINVAL (bad URL), -ECANCELED, -EIO
 * (other curl errors). The curl code and message stay on the response.
 *
 * Ownership of the response: when `out` is not NULL, *out is set to NULL at
 * the call and to a new response once the request has finished — on
 * success and on failure alike, except when the request could not start
 * (the future is then already failed and *out stays NULL). The caller owns
 * it and frees it with cio_http_response_free. `out`, the options, the
 * headers and the request body must stay valid until the future is done
 * (CIO_AWAIT guarantees that). With `out` NULL the body is counted but not
 * kept.
 *
 * Cancelling the future (cio_future_cancel, cancelling the awaiting task,
 * cio_with_timeout) aborts the transfer, removes it from curl and frees
 * everything it used; a file being written is closed once its last io_uring
 * write has completed. All functions are loop-thread only and need a
 * current loop; without one they return a failed future (-EPERM).
 */
#ifndef CIO_HTTP_H
#define CIO_HTTP_H

#include <sys/types.h>
#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called from the loop as data moves (curl's XFERINFOFUNCTION): bytes
 * received / expected (0 when unknown), bytes sent / to send. Return 0 to
 * go on, non-zero to abort the transfer (its result becomes -ECANCELED).
 * It must not cancel or free the request itself. */
typedef int (*cio_http_progress_fn)(void *arg, int64_t dl_now, int64_t dl_total, int64_t ul_now,
                                    int64_t ul_total);

/* Options of one request. Zero-initialised members mean the defaults. */
typedef struct cio_http_opts {
    const char *method;          /* "GET", "POST", "PUT", "DELETE", "HEAD", ...;
                                    NULL: GET, or POST when body is set */
    const char *const *headers;  /* NULL-terminated list of "Name: value" */
    const void *body;            /* request body (copied by no one: keep it valid) */
    size_t body_len;
    uint64_t timeout_ms;         /* whole transfer; 0: none */
    uint64_t connect_timeout_ms; /* 0: curl's default (300 s) */
    int max_redirects;           /* follow up to this many redirects; 0: don't
                                    follow; -1: no limit */
    int64_t max_size;            /* fail with -EFBIG past this many body bytes;
                                    0: no limit */
    bool fail_on_status;         /* HTTP status >= 400 becomes a negative errno
                                    (404/410 -ENOENT, 401/403 -EACCES, 408/504
                                    -ETIMEDOUT, 429/503 -EAGAIN, else -EPROTO) */
    const char *output_path;     /* stream the body into this file (created or
                                    truncated, mode 0644) with io_uring writes,
                                    in constant memory; removed if the request
                                    fails */
    int output_fd;               /* or into this open fd from its offset 0 (used
                                    when > 0 and output_path is NULL; not closed) */
    cio_http_progress_fn progress;
    void *progress_arg;
    void *easy;                  /* a caller-configured CURL * easy handle to
                                    perform (its URL is used when `url` is NULL).
                                    cio sets its write, header, progress, private
                                    and error-buffer options, and the options
                                    above that are non-zero; the caller keeps
                                    ownership and may reuse it once the future is
                                    done (cio's callbacks, error buffer and
                                    header list are unset by then). NULL: cio
                                    uses a handle of its own. */
} cio_http_opts;

/* A finished request. Strings are NUL-terminated. */
typedef struct cio_http_response {
    long status;            /* HTTP status of the last response; 0 if none */
    char *body;             /* the body in memory (NUL-terminated); NULL when
                               streamed to a file */
    size_t body_len;
    int64_t bytes;          /* body bytes received (also when streamed or discarded) */
    char *headers;          /* raw header block of the last response ("Name: value\r\n"...) */
    size_t headers_len;
    char *effective_url;    /* URL of the last request (after redirects) */
    int redirects;          /* redirects followed */
    double total_s;         /* transfer time in seconds, as curl measured it */
    int curl_code;          /* CURLcode; 0 (CURLE_OK) on success */
    char error[256];        /* curl's message; "" on success */
} cio_http_response;

/* Starts a request for `url` (NULL only with opts->easy). `opts` may be
 * NULL. Returns a new reference to a future for the HTTP status or a
 * negative errno; see the top of this file for errors and ownership of
 * *out. Loop thread only. */
CIO_API cio_future *cio_http_request(const char *url, const cio_http_opts *opts, cio_http_response **out);

/* Shorthands for cio_http_request with default options. */
CIO_API cio_future *cio_http_get(const char *url, cio_http_response **out);
CIO_API cio_future *cio_http_head(const char *url, cio_http_response **out);
CIO_API cio_future *cio_http_delete(const char *url, cio_http_response **out);
/* `body` (len bytes) must stay valid until the future is done. */
CIO_API cio_future *cio_http_post(const char *url, const void *body, size_t len, cio_http_response **out);
CIO_API cio_future *cio_http_put(const char *url, const void *body, size_t len, cio_http_response **out);

/* Downloads `url` into the file `path` with io_uring writes, following
 * redirects, in constant memory. The future's result is the number of
 * bytes written, or a negative errno (HTTP status >= 400 included, as in
 * fail_on_status); on failure the file is removed. Loop thread only. */
CIO_API cio_future *cio_http_download(const char *url, const char *path);

/* The value of the first header `name` (case-insensitive) of the response,
 * copied into buf (truncated to len - 1 bytes, NUL-terminated). Returns the
 * value's full length, or -ENOENT if absent, -EINVAL for bad arguments. */
CIO_API ssize_t cio_http_response_header(const cio_http_response *r, const char *name, char *buf, size_t len);

/* Frees a response and everything in it. NULL is a no-op. */
CIO_API void cio_http_response_free(cio_http_response *r);

/* Loads libcurl if needed and creates the HTTP state of `loop` (NULL: the
 * current loop), which the first request would otherwise do: for programs
 * that want that cost (~16 ms on a 2-core machine) out of the first
 * request's time, or to learn early that libcurl is missing. Returns 0,
 * -EPERM without a loop, -ELIBACC (libcurl could not be loaded; debug
 * builds say why), -ENOMEM. Loop thread only. */
CIO_API int cio_http_init(cio_loop *loop);

/* Limits the connections the requests of `loop` (NULL: the current loop)
 * open: at most `per_host` to one host and `total` overall (0: no limit, the
 * default). Transfers beyond the limits wait inside curl for a free
 * connection (their futures simply stay pending longer). Returns 0, -EPERM
 * without a loop, -EINVAL for negative limits, -ELIBACC (no libcurl),
 * -ENOMEM. Loop thread only. */
CIO_API int cio_http_set_limits(cio_loop *loop, long per_host, long total);

/* Number of requests in flight on `loop` (NULL: the current loop). */
CIO_API size_t cio_http_active(cio_loop *loop);

#ifdef __cplusplus
}
#endif
#endif
