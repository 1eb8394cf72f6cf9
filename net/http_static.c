/* net/http_static.c — a small static-file HTTP/1.1 server on top of
 * cio_start_server: GET and HEAD, Content-Length, keep-alive, 404, and no
 * way out of the root (".." is refused, and files are opened with openat2
 * RESOLVE_BENEATH relative to the root's fd, so symlinks cannot escape it
 * either). File data is read with io_uring at offsets and streamed through
 * the connection's writer with drain-based backpressure. */
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cio/fs.h"
#include "http_request.h"
#include "server_internal.h"

enum { CHUNK = 64 * 1024 };
#define IDLE_TIMEOUT CIO_MS(30000)

typedef struct site {
    int rootfd;
    uint64_t delay_ns;
} site;

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    default: return "Internal Server Error";
    }
}

static const char *content_type(const char *path)
{
    static const char *const map[][2] = {
        { ".html", "text/html" }, { ".htm", "text/html" },       { ".txt", "text/plain" },
        { ".css", "text/css" },   { ".js", "text/javascript" },  { ".json", "application/json" },
        { ".png", "image/png" },  { ".jpg", "image/jpeg" },      { ".gif", "image/gif" },
        { ".svg", "image/svg+xml" },
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(dot, map[i][0]))
            return map[i][1];
    return "application/octet-stream";
}

static int send_head(cio_stream *s, int status, uint64_t len, const char *type, bool keep)
{
    char h[256];
    int n = snprintf(h, sizeof h, "HTTP/1.1 %d %s\r\nContent-Length: %llu\r\nContent-Type: %s\r\n%s\r\n",
                     status, reason(status), (unsigned long long)len, type,
                     keep ? "" : "Connection: close\r\n");
    return cio_stream_write(s, h, (size_t)n);
}

static int send_error(cio_stream *s, int status, bool head_only, bool keep)
{
    char body[64];
    int n = snprintf(body, sizeof body, "%d %s\n", status, reason(status));
    int rc = send_head(s, status, (uint64_t)n, "text/plain", keep);
    if (rc == 0 && !head_only)
        rc = cio_stream_write(s, body, (size_t)n);
    return rc ? rc : cio_stream_drain(s);
}

/* openat2(root, path, RESOLVE_BENEATH) through the ring. Result: fd or
 * -errno (-EXDEV when the path would leave the root). */
static intptr_t open_beneath(int rootfd, const char *path)
{
    struct open_how how = { .flags = O_RDONLY | O_CLOEXEC,
                            .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
    cio_future *fail;
    cio__netop *n = cio__netop_new(__func__, &fail);
    if (!n)
        return cio_await(fail);
    io_uring_prep_openat2(&n->op.sqe, rootfd, *path ? path : ".", &how);
    return cio_await(cio__netop_submit(n)); /* `how` and `path` outlive the await */
}

/* Opens the file for `rel` (a directory's index.html). fd or an HTTP status. */
static intptr_t open_file(const site *st, const char *rel, struct statx *sx, char *used, size_t cap)
{
    snprintf(used, cap, "%s", rel);
    for (int tries = 0; tries < 2; tries++) {
        intptr_t fd = open_beneath(st->rootfd, used);
        if (fd == -EXDEV || fd == -ELOOP)
            return -403;
        if (fd < 0)
            return fd == -ENOENT || fd == -ENOTDIR || fd == -EACCES ? -404 : -500;
        if (cio_await(cio_file_fstatx((int)fd, STATX_TYPE | STATX_SIZE, sx)) < 0) {
            close((int)fd);
            return -500;
        }
        if (S_ISREG(sx->stx_mode))
            return fd;
        close((int)fd);
        if (!S_ISDIR(sx->stx_mode) || strlen(rel) + 12 > cap)
            return -404;
        snprintf(used, cap, "%s%sindex.html", rel, *rel ? "/" : "");
    }
    return -404;
}

static int send_body(cio_stream *s, int fd, uint64_t size)
{
    char *buf = cio__malloc(CHUNK);
    if (!buf)
        return -ENOMEM;
    int rc = 0;
    for (uint64_t off = 0; off < size && rc == 0;) {
        intptr_t n = cio_await(cio_file_read(fd, buf, CHUNK, (int64_t)off));
        if (n <= 0) {
            rc = n < 0 ? (int)n : -EIO; /* the file shrank: the response cannot be completed */
            break;
        }
        off += (uint64_t)n;
        rc = cio_stream_write(s, buf, (size_t)n);
        if (rc == 0)
            rc = cio_stream_drain(s);
    }
    cio__free(buf);
    return rc;
}

/* Answers one request. 0 to keep going, <0 to drop the connection. */
static int respond(const site *st, cio_stream *s, const http_request *req)
{
    bool head = !strcmp(req->method, "HEAD");
    if (st->delay_ns && CIO_AWAIT(cio_sleep(st->delay_ns)) < 0)
        return -ECANCELED; /* the server is closing */
    if (!head && strcmp(req->method, "GET"))
        return send_error(s, 405, false, req->keep_alive);
    if (req->escapes)
        return send_error(s, 403, head, req->keep_alive);
    struct statx sx;
    char used[HTTP_PATH_MAX + 16];
    intptr_t fd = open_file(st, req->path, &sx, used, sizeof used);
    if (fd < 0)
        return send_error(s, (int)-fd, head, req->keep_alive);
    int rc = send_head(s, 200, sx.stx_size, content_type(used), req->keep_alive);
    if (rc == 0 && !head)
        rc = send_body(s, (int)fd, sx.stx_size);
    close((int)fd);
    return rc ? rc : cio_stream_drain(s);
}

static intptr_t serve_conn(cio_stream *s, void *arg)
{
    const site *st = arg;
    cio_stream_set_timeout(s, IDLE_TIMEOUT);
    http_request req;
    for (;;) {
        int r = cio__http_read_request(s, &req);
        if (r <= 0)
            return r; /* end of stream, reset, timeout */
        if (r > 1) {  /* malformed: answer and close */
            send_error(s, r, false, false);
            return 0;
        }
        if (respond(st, s, &req) < 0 || !req.keep_alive)
            return 0;
    }
}

static void site_free(void *ctx)
{
    site *st = ctx;
    close(st->rootfd);
    cio__free(st);
}

int cio_http_static_start(const char *root, const char *host, uint16_t port, const cio_server_opts *opts,
                          cio_server **out)
{
    cio_http_static_opts o = { .server = opts ? *opts : (cio_server_opts){ 0 } };
    return cio_http_static_start_ex(root, host, port, &o, out);
}

int cio_http_static_start_ex(const char *root, const char *host, uint16_t port, const cio_http_static_opts *opts,
                             cio_server **out)
{
    if (!root || !out || !opts)
        return cio__misuse(-EINVAL, "root, opts or out is NULL");
    site *st = cio__malloc(sizeof *st);
    if (!st)
        return -ENOMEM;
    st->delay_ns = opts->delay_ns;
    st->rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (st->rootfd < 0) {
        int err = -errno;
        cio__free(st);
        return err;
    }
    int rc = cio_start_server(host, port, serve_conn, st, &opts->server, out);
    if (rc < 0) {
        site_free(st);
        return rc;
    }
    (*out)->ctx = st;
    (*out)->free_ctx = site_free;
    return 0;
}
