/* http/request.c — one HTTP request as a future: configures an easy handle,
 * collects headers and body, and settles once curl and the kernel are both
 * done with it.
 *
 * Invariant: the request holds one reference to its own future (the
 * "transfer's") from creation until settle; settle runs exactly once, when
 * the transfer is out of the multi and no file write is in flight.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "internal.h"

/* ---- curl callbacks --------------------------------------------------------- */

static bool append(char **buf, size_t *len, size_t *cap, const char *data, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t c = *cap ? *cap : 1024;
        while (c < *len + n + 1)
            c *= 2;
        char *b = cio__realloc(*buf, c);
        if (!b)
            return false;
        *buf = b;
        *cap = c;
    }
    memcpy(*buf + *len, data, n);
    *len += n;
    (*buf)[*len] = '\0';
    return true;
}

static size_t on_header(char *data, size_t size, size_t n, void *p)
{
    cio__http_req *r = p;
    cio_http_response *resp = r->resp;
    size_t len = size * n;
    if (!r->out)
        return len;
    if (len >= 5 && !memcmp(data, "HTTP/", 5))
        resp->headers_len = 0; /* a new response (redirect, 100 Continue) */
    if (!append(&resp->headers, &resp->headers_len, &r->headers_cap, data, len)) {
        r->err = -ENOMEM;
        return 0;
    }
    return len;
}

static size_t on_body(char *data, size_t size, size_t n, void *p)
{
    cio__http_req *r = p;
    cio_http_response *resp = r->resp;
    size_t len = size * n;
    if (r->max_size > 0 && resp->bytes + (int64_t)len > r->max_size) {
        r->err = -EFBIG;
        return 0;
    }
    if (r->has_sink)
        return cio__http_sink_write(r, data, len);
    resp->bytes += (int64_t)len;
    if (r->keep_body && !append(&resp->body, &resp->body_len, &r->body_cap, data, len)) {
        r->err = -ENOMEM;
        return 0;
    }
    return len;
}

static int on_progress(void *p, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    cio__http_req *r = p;
    return r->progress(r->progress_arg, dlnow, dltotal, ulnow, ultotal) ? 1 : 0;
}

/* ---- results ---------------------------------------------------------------- */

int cio__http_errno(CURLcode code, long os_errno)
{
    int os = os_errno > 0 && os_errno < 4096 ? -(int)os_errno : 0;
    switch (code) {
    case CURLE_OK: return 0;
    case CURLE_OPERATION_TIMEDOUT: return -ETIMEDOUT;
    case CURLE_COULDNT_CONNECT: return os ? os : -ECONNREFUSED;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return -EHOSTUNREACH;
    case CURLE_GOT_NOTHING: return -ECONNRESET;
    case CURLE_RECV_ERROR: return os ? os : -ECONNRESET;
    case CURLE_SEND_ERROR: return os ? os : -EPIPE;
    case CURLE_PARTIAL_FILE:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION: return -EPROTO;
    case CURLE_TOO_MANY_REDIRECTS: return -ELOOP;
    case CURLE_FILESIZE_EXCEEDED: return -EFBIG;
    case CURLE_OUT_OF_MEMORY: return -ENOMEM;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_BAD_FUNCTION_ARGUMENT: return -EINVAL;
    case CURLE_ABORTED_BY_CALLBACK: return -ECANCELED;
    case CURLE_LOGIN_DENIED:
    case CURLE_REMOTE_ACCESS_DENIED: return -EACCES;
    default: return -EIO;
    }
}

static int status_errno(long status)
{
    switch (status) {
    case 404: case 410: return -ENOENT;
    case 401: case 403: return -EACCES;
    case 408: case 504: return -ETIMEDOUT;
    case 429: case 503: return -EAGAIN;
    default: return -EPROTO;
    }
}

static intptr_t result_of(cio__http_req *r)
{
    if (r->err)
        return r->err;
    if (r->has_sink && r->sink.err)
        return r->sink.err;
    if (r->code != CURLE_OK) {
        long os = 0;
        curl_easy_getinfo(r->easy, CURLINFO_OS_ERRNO, &os);
        return cio__http_errno(r->code, os);
    }
    if (r->fail_on_status && r->resp->status >= 400)
        return status_errno(r->resp->status);
    return r->download ? r->resp->bytes : r->resp->status;
}

/* Copies what curl knows about the finished transfer into the response. */
static void fill_response(cio__http_req *r)
{
    cio_http_response *resp = r->resp;
    long redirects = 0;
    char *url = NULL;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &resp->status);
    curl_easy_getinfo(r->easy, CURLINFO_REDIRECT_COUNT, &redirects);
    curl_easy_getinfo(r->easy, CURLINFO_TOTAL_TIME, &resp->total_s);
    curl_easy_getinfo(r->easy, CURLINFO_EFFECTIVE_URL, &url);
    resp->redirects = (int)redirects;
    resp->curl_code = (int)r->code;
    if (url && r->out) {
        size_t n = strlen(url) + 1;
        if ((resp->effective_url = cio__malloc(n)))
            memcpy(resp->effective_url, url, n);
    }
    if (r->keep_body && !resp->body)
        resp->body = cio__calloc(1, 1);
}

static void set_message(cio__http_req *r, intptr_t res)
{
    const char *msg = r->errbuf[0] ? r->errbuf
                      : r->code != CURLE_OK ? curl_easy_strerror(r->code)
                      : res < 0 ? cio_strerror(res) : "";
    snprintf(r->resp->error, sizeof(r->resp->error), "%s", msg);
}

/* A caller's handle must not point into this request once it is freed. */
static void forget_easy(CURL *e)
{
    curl_easy_setopt(e, CURLOPT_PRIVATE, NULL);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, NULL);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, NULL);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, stdout);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, NULL);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, NULL);
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, NULL);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, NULL);
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 1L);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, NULL); /* the list is freed */
}

/* Gives back everything but the response. */
static void release(cio__http_req *r, intptr_t res)
{
    if (r->has_sink) {
        cio__http_sink_close(&r->sink);
        if (r->path && res < 0)
            unlink(r->path);
    }
    cio__free(r->path);
    r->path = NULL;
    curl_slist_free_all(r->headers);
    r->headers = NULL;
    if (r->own_easy)
        cio__http_easy_put(r->h, r->easy);
    else
        forget_easy(r->easy);
}

void cio__http_req_settle(cio__http_req *r)
{
    if (r->settled || !r->finished || r->in_multi || (r->has_sink && r->sink.writing))
        return;
    r->settled = true;
    fill_response(r);
    intptr_t res = result_of(r);
    set_message(r, res);
    release(r, res);
    if (r->out)
        *r->out = r->resp;
    else
        cio_http_response_free(r->resp);
    r->resp = NULL;
    cio__future_complete(&r->fut, res);
    cio__future_unref(&r->fut); /* the transfer's reference */
}

void cio__http_req_done(cio__http_req *r, CURLcode code)
{
    if (r->finished)
        return;
    r->finished = true;
    r->code = code;
    if (r->has_sink && code == CURLE_OK && !r->err)
        cio__http_sink_flush(r);
    cio__http_req_settle(r);
}

/* ---- the future kind ---------------------------------------------------------- */

static int req_cancel(cio_future *f)
{
    cio__http_req *r = (cio__http_req *)f;
    if (r->settled)
        return 1;
    if (!r->err)
        r->err = -ECANCELED;
    cio__http_stop(r);
    if (r->has_sink && r->sink.writing)
        cio__op_cancel(f->loop, &r->sink.op); /* settles from its completion */
    cio__http_req_done(r, CURLE_ABORTED_BY_CALLBACK);
    return 1;
}

static void req_destroy(cio_future *f) { cio__future_free(f, sizeof(cio__http_req)); }

static const cio__future_ops req_ops = { .kind = "http", .cancel = req_cancel, .destroy = req_destroy };

/* ---- setup -------------------------------------------------------------------- */

static void set_method(CURL *e, const cio_http_opts *o)
{
    const char *m = o->method;
    if (o->body || o->body_len) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, o->body);
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)o->body_len);
    }
    if (!m)
        return;
    if (!strcasecmp(m, "HEAD"))
        curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    else if (!strcasecmp(m, "GET"))
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    else if (!strcasecmp(m, "POST") && (o->body || o->body_len))
        ; /* POSTFIELDS made it a POST */
    else
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m);
}

static int set_headers(cio__http_req *r, const char *const *headers)
{
    for (; headers && *headers; headers++) {
        struct curl_slist *l = curl_slist_append(r->headers, *headers);
        if (!l)
            return -ENOMEM;
        r->headers = l;
    }
    if (r->headers)
        curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->headers);
    return 0;
}

static void set_limits(CURL *e, const cio_http_opts *o)
{
    if (o->timeout_ms)
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)o->timeout_ms);
    if (o->connect_timeout_ms)
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)o->connect_timeout_ms);
    if (o->max_redirects) {
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(e, CURLOPT_MAXREDIRS, (long)o->max_redirects);
    }
    if (o->max_size > 0)
        curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_size);
}

static int open_output(cio__http_req *r, const cio_http_opts *o)
{
    if (o->output_path) {
        size_t n = strlen(o->output_path) + 1;
        if (!(r->path = cio__malloc(n)))
            return -ENOMEM;
        memcpy(r->path, o->output_path, n);
        int fd = open(o->output_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
            return -errno;
        cio__http_sink_init(&r->sink, fd, true);
    } else if (o->output_fd > 0) {
        cio__http_sink_init(&r->sink, o->output_fd, false);
    } else {
        return 0;
    }
    r->has_sink = true;
    return 0;
}

static int setup(cio__http_req *r, const char *url, const cio_http_opts *o)
{
    CURL *e = r->easy;
    if (url)
        curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)r);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
    if (o->progress) {
        curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(e, CURLOPT_XFERINFODATA, r);
    }
    set_method(e, o);
    set_limits(e, o);
    int rc = set_headers(r, o->headers);
    return rc < 0 ? rc : open_output(r, o);
}

/* A new request, or NULL with *err = -ELIBACC (no libcurl) or -ENOMEM. */
static cio__http_req *req_new(cio_loop *l, const cio_http_opts *o, cio_http_response **out, int *err)
{
    cio__http *h = cio__http_get(l, err);
    if (!h)
        return NULL;
    *err = -ENOMEM;
    cio__http_req *r = (cio__http_req *)cio__future_alloc(l, sizeof(*r), &req_ops);
    if (!r)
        return NULL;
    memset((char *)r + sizeof(r->fut), 0, sizeof(*r) - sizeof(r->fut));
    r->h = h;
    cio__list_init(&r->link);
    r->resp = cio__calloc(1, sizeof(*r->resp));
    r->own_easy = !o->easy;
    r->easy = o->easy ? o->easy : cio__http_easy_get(h);
    if (!r->resp || !r->easy) {
        cio__free(r->resp);
        if (r->own_easy && r->easy)
            cio__http_easy_put(h, r->easy);
        cio__future_unref(&r->fut);
        return NULL;
    }
    r->out = out;
    r->max_size = o->max_size;
    r->fail_on_status = o->fail_on_status;
    r->progress = o->progress;
    r->progress_arg = o->progress_arg;
    r->fut.refs++; /* the transfer's, until settle */
    return r;
}

static cio_future *request(const char *url, const cio_http_opts *opts, cio_http_response **out, bool download)
{
    static const cio_http_opts defaults;
    const cio_http_opts *o = opts ? opts : &defaults;
    if (out)
        *out = NULL;
    if (!url && !o->easy)
        return cio__future_failed(cio__misuse_report(-EINVAL, "cio_http_request", "url is NULL and no easy handle given"));
    cio_loop *l = cio_loop_current();
    if (!l)
        return cio__future_failed(cio__misuse_report(-EPERM, "cio_http_request", "no current loop"));
    int err;
    cio__http_req *r = req_new(l, o, out, &err);
    if (!r)
        return cio__future_failed(err);
    r->keep_body = out && !o->output_path && o->output_fd <= 0;
    r->download = download;
    int rc = setup(r, url, o);
    if (rc == 0)
        rc = cio__http_start(r);
    if (rc < 0) {
        r->err = rc;
        cio__http_req_done(r, CURLE_OK);
    }
    return &r->fut;
}

cio_future *cio_http_request(const char *url, const cio_http_opts *opts, cio_http_response **out)
{
    return request(url, opts, out, false);
}

cio_future *cio_http_download(const char *url, const char *path)
{
    if (!path)
        return cio__future_failed(cio__misuse(-EINVAL, "path is NULL"));
    cio_http_opts o = { .output_path = path, .max_redirects = 20, .fail_on_status = true };
    return request(url, &o, NULL, true);
}
