/* net/http_request.h — parsing one HTTP/1.x request head for the static
 * file server (http_static.c). Internal. */
#ifndef CIO_NET_HTTP_REQUEST_H
#define CIO_NET_HTTP_REQUEST_H

#include "cio/stream.h"
#include "internal.h"

enum { HTTP_LINE_MAX = 8192, HTTP_PATH_MAX = 4096 };

typedef struct http_request {
    char method[8];
    char path[HTTP_PATH_MAX]; /* decoded, relative to the root, no leading '/' */
    bool keep_alive;
    bool escapes;             /* had a ".." segment: refuse with 403 */
} http_request;

/* Reads and parses one request head. Returns 1 with *req filled, 0 at a
 * clean end of stream before a request, or an HTTP status for a bad
 * request (400, 414, 431), or a negative errno from the stream. */
CIO_HIDDEN int cio__http_read_request(cio_stream *s, http_request *req);

#endif
