/* net/http_request.c — reads one HTTP/1.x request head from a stream and
 * turns its target into a safe relative path (percent-decoded, query
 * dropped, "." segments removed, ".." flagged as an escape). */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "http_request.h"

static int hexval(int c)
{
    return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

/* Decodes `t` (up to '?' or '#') into out; 0 or 400. */
static int decode(const char *t, char *out, size_t cap)
{
    size_t n = 0;
    for (; *t && *t != '?' && *t != '#'; t++) {
        int c = (unsigned char)*t;
        if (c == '%') {
            int hi = hexval(t[1]), lo = hi < 0 ? -1 : hexval(t[2]);
            if (lo < 0)
                return 400;
            c = hi * 16 + lo;
            t += 2;
        }
        if (n + 1 >= cap)
            return 414;
        out[n++] = (char)c;
    }
    out[n] = '\0';
    return memchr(out, '\0', n) ? 400 : 0; /* %00 */
}

/* Normalises "/a/./b//c" to "a/b/c" and flags ".." segments. */
static void normalise(http_request *r, const char *decoded, size_t len)
{
    size_t n = 0;
    const char *p = decoded, *end = decoded + len;
    r->escapes = false;
    while (p < end) {
        const char *seg = p;
        while (p < end && *p != '/')
            p++;
        size_t sl = (size_t)(p - seg);
        if (sl == 2 && seg[0] == '.' && seg[1] == '.')
            r->escapes = true;
        else if (sl > 0 && !(sl == 1 && seg[0] == '.')) {
            if (n)
                r->path[n++] = '/';
            memcpy(r->path + n, seg, sl);
            n += sl;
        }
        p++;
    }
    r->path[n] = '\0';
}

static int parse_request_line(char *line, http_request *r)
{
    char *sp1 = strchr(line, ' '), *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    if (!sp1 || !sp2 || (size_t)(sp1 - line) >= sizeof r->method || strncmp(sp2 + 1, "HTTP/1.", 7))
        return 400;
    memcpy(r->method, line, (size_t)(sp1 - line));
    r->method[sp1 - line] = '\0';
    *sp2 = '\0';
    r->keep_alive = sp2[8] == '1'; /* HTTP/1.1 defaults to keep-alive, 1.0 to close */
    char *target = sp1 + 1;
    if (!strncmp(target, "http://", 7)) { /* absolute form: drop scheme and host */
        target = strchr(target + 7, '/');
        if (!target)
            target = (char *)"/";
    }
    if (target[0] != '/')
        return 400;
    char decoded[HTTP_PATH_MAX];
    int rc = decode(target, decoded, sizeof decoded);
    if (rc)
        return rc;
    normalise(r, decoded, strlen(decoded));
    return 0;
}

/* Trims trailing CR/LF; returns the new length. */
static size_t chomp(char *s, size_t n)
{
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return n;
}

static void header(char *line, http_request *r)
{
    char *colon = strchr(line, ':');
    if (!colon)
        return;
    *colon = '\0';
    char *v = colon + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    if (!strcasecmp(line, "Connection"))
        r->keep_alive = strcasecmp(v, "close") != 0 && (r->keep_alive || !strcasecmp(v, "keep-alive"));
}

int cio__http_read_request(cio_stream *s, http_request *req)
{
    char line[HTTP_LINE_MAX];
    intptr_t n;
    do /* tolerate empty lines before a request (RFC 9112 2.2) */
        n = cio_stream_readline(s, line, sizeof line - 1);
    while (n > 0 && chomp(line, (size_t)n) == 0);
    if (n == 0)
        return 0;
    if (n == -EMSGSIZE)
        return 414;
    if (n < 0)
        return (int)n;
    line[n] = '\0';
    chomp(line, strlen(line));
    memset(req, 0, sizeof *req);
    int rc = parse_request_line(line, req);
    for (int headers = 0;; headers++) {
        n = cio_stream_readline(s, line, sizeof line - 1);
        if (n == -EMSGSIZE || headers > 100)
            return 431;
        if (n <= 0)
            return n < 0 ? (int)n : 400; /* end of stream inside the head */
        line[n] = '\0';
        if (chomp(line, (size_t)n) == 0)
            break;
        header(line, req);
    }
    return rc ? rc : 1;
}
