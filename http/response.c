/* http/response.c — the response object and the shorthand requests. */
#include <string.h>
#include <strings.h>
#include "internal.h"

void cio_http_response_free(cio_http_response *r)
{
    if (!r)
        return;
    cio__free(r->body);
    cio__free(r->headers);
    cio__free(r->effective_url);
    cio__free(r);
}

static const char *skip_blanks(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

ssize_t cio_http_response_header(const cio_http_response *r, const char *name, char *buf, size_t len)
{
    if (!r || !name || (!buf && len))
        return cio__misuse(-EINVAL, "%s is NULL", !r ? "response" : !name ? "name" : "buf");
    size_t nlen = strlen(name);
    const char *p = r->headers, *end = r->headers ? r->headers + r->headers_len : NULL;
    while (p && p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *next = eol ? eol + 1 : end;
        const char *stop = eol ? eol : end;
        if ((size_t)(stop - p) > nlen && p[nlen] == ':' && !strncasecmp(p, name, nlen)) {
            const char *v = skip_blanks(p + nlen + 1, stop);
            while (stop > v && (stop[-1] == '\r' || stop[-1] == ' '))
                stop--;
            size_t vlen = (size_t)(stop - v);
            if (len) {
                size_t c = vlen < len - 1 ? vlen : len - 1;
                memcpy(buf, v, c);
                buf[c] = '\0';
            }
            return (ssize_t)vlen;
        }
        p = next;
    }
    return -ENOENT;
}

static cio_future *with_method(const char *method, const char *url, const void *body, size_t len,
                               cio_http_response **out)
{
    cio_http_opts o = { .method = method, .body = body, .body_len = len };
    return cio_http_request(url, &o, out);
}

cio_future *cio_http_get(const char *url, cio_http_response **out)
{
    return cio_http_request(url, NULL, out);
}

cio_future *cio_http_head(const char *url, cio_http_response **out)
{
    return with_method("HEAD", url, NULL, 0, out);
}

cio_future *cio_http_delete(const char *url, cio_http_response **out)
{
    return with_method("DELETE", url, NULL, 0, out);
}

cio_future *cio_http_post(const char *url, const void *body, size_t len, cio_http_response **out)
{
    return with_method("POST", url, body ? body : "", len, out);
}

cio_future *cio_http_put(const char *url, const void *body, size_t len, cio_http_response **out)
{
    return with_method("PUT", url, body ? body : "", len, out);
}
