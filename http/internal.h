/* http/internal.h — the libcurl glue's records: the per-loop multi handle,
 * watched sockets, requests and their file sinks. Internal; never installed.
 *
 * Lifetimes: a request holds a reference to its own future while curl or
 * the kernel still uses it (transfer in the multi, a file write in flight);
 * a socket record lives until its poll op's final completion, even after
 * curl has forgotten the socket.
 */
#ifndef CIO_HTTP_INTERNAL_H
#define CIO_HTTP_INTERNAL_H

#include "cio/http.h"
#include "curl_api.h"
#include "future/internal.h"

typedef struct cio__http {
    cio__loop_ext ext;        /* first: attached to the loop */
    cio_loop *loop;
    CURLM *multi;
    cio__timer timer;         /* curl's one timeout */
    cio__handle kick;         /* the timeout "now", when the timer could not be armed */
    bool kick_queued, doomed; /* doomed: a request failed inside a curl callback */
    cio__list requests;       /* cio__http_req.link, transfers in the multi */
    size_t nrequests;
    CURL *idle[32];           /* reset easy handles kept for reuse */
    int nidle;
    bool closing;
} cio__http;

/* A socket curl asked us to watch: one oneshot poll op at a time. */
typedef struct cio__http_sock {
    cio__op op;
    cio__http *h;
    curl_socket_t fd;
    int want;                 /* CURL_POLL_IN / OUT / INOUT */
    unsigned armed;           /* poll mask of the op in flight */
    bool removed, in_action;
} cio__http_sock;

/* Streams a body into a file: fill one buffer while the other is written. */
typedef struct cio__http_sink {
    cio__op op;               /* the one write in flight */
    int fd;
    bool own_fd, writing, paused;
    char *buf[2];
    size_t len[2], cap;
    int cur;                  /* buffer being filled; the other is written */
    size_t done;              /* bytes of buf[!cur] written so far */
    int64_t offset;           /* file offset of the write in flight */
    int err;                  /* first write error */
} cio__http_sink;

typedef struct cio__http_req {
    cio_future fut;
    cio__http *h;
    cio__list link;
    CURL *easy;
    bool own_easy, in_multi, finished, settled, has_sink, keep_body, download;
    int err;                  /* our own failure (e.g. -EFBIG), wins over curl's */
    CURLcode code;
    struct curl_slist *headers;
    cio_http_response *resp;
    cio_http_response **out;
    size_t body_cap, headers_cap;
    int64_t max_size;
    bool fail_on_status;
    char *path;               /* output_path copy, removed on failure */
    cio__http_sink sink;
    cio_http_progress_fn progress;
    void *progress_arg;
    char errbuf[CURL_ERROR_SIZE];
} cio__http_req;

/* multi.c */
/* The loop's HTTP state, created (and libcurl loaded) on first use; NULL
 * with *err = -ELIBACC (no libcurl) or -ENOMEM. *err means nothing when
 * the result is not NULL. */
CIO_HIDDEN cio__http *cio__http_get(cio_loop *l, int *err);
/* An easy handle, reset, from the idle cache or new; NULL on -ENOMEM. */
CIO_HIDDEN CURL *cio__http_easy_get(cio__http *h);
CIO_HIDDEN void cio__http_easy_put(cio__http *h, CURL *easy);
/* Adds the request's easy handle to the multi. Returns 0 or -errno. */
CIO_HIDDEN int cio__http_start(cio__http_req *r);
/* Removes it (abort); safe outside curl callbacks only. */
CIO_HIDDEN void cio__http_stop(cio__http_req *r);

/* request.c */
/* curl reported the transfer done (or it was aborted) with `code`. */
CIO_HIDDEN void cio__http_req_done(cio__http_req *r, CURLcode code);
/* Completes the request once nothing of it is in flight any more. */
CIO_HIDDEN void cio__http_req_settle(cio__http_req *r);
/* Maps a curl result to a negative errno (0 for CURLE_OK). */
CIO_HIDDEN int cio__http_errno(CURLcode code, long os_errno);

/* sink.c */
CIO_HIDDEN void cio__http_sink_init(cio__http_sink *s, int fd, bool own_fd);
/* curl write callback body for a streamed response. */
CIO_HIDDEN size_t cio__http_sink_write(cio__http_req *r, const char *data, size_t n);
/* Starts writing what is buffered (end of body). True while a write is in flight. */
CIO_HIDDEN bool cio__http_sink_flush(cio__http_req *r);
/* Releases buffers and closes an owned fd (nothing may be in flight). */
CIO_HIDDEN void cio__http_sink_close(cio__http_sink *s);

#endif
