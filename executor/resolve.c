/* executor/resolve.c — cio_getaddrinfo: blocking getaddrinfo on the loop's
 * resolver pool (two threads of its own, so slow DNS never starves CPU jobs).
 *
 * Invariant: every addrinfo list is freed exactly once — by the caller when
 * the future delivered it, else by the job's cleanup (cancelled or released
 * future). The request record is freed by that cleanup too.
 */
#include <netdb.h>
#include <string.h>
#include "internal.h"

typedef struct resolve_req {
    char *host, *service;
    struct addrinfo hints;
    bool has_hints;
} resolve_req;

/* EAI_* to negative errno (documented in cio/executor.h). */
static intptr_t eai_to_errno(int eai, int saved_errno)
{
    switch (eai) {
    case EAI_NONAME:
#ifdef EAI_NODATA
    case EAI_NODATA:
#endif
#ifdef EAI_ADDRFAMILY
    case EAI_ADDRFAMILY:
#endif
        return -ENOENT;
    case EAI_AGAIN: return -EAGAIN;
    case EAI_FAIL: return -EIO;
    case EAI_MEMORY: return -ENOMEM;
    case EAI_FAMILY: return -EAFNOSUPPORT;
    case EAI_SOCKTYPE: return -ESOCKTNOSUPPORT;
    case EAI_SERVICE: return -ESRCH;
    case EAI_BADFLAGS: return -EINVAL;
    case EAI_OVERFLOW: return -EOVERFLOW;
    case EAI_SYSTEM: return saved_errno > 0 ? -saved_errno : -EIO;
    default: return -EIO;
    }
}

static intptr_t resolve_run(void *arg)
{
    resolve_req *q = arg;
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(q->host, q->service, q->has_hints ? &q->hints : NULL, &res);
    if (rc != 0)
        return eai_to_errno(rc, errno);
    return (intptr_t)res;
}

static void req_free(resolve_req *q)
{
    cio__free(q->host);
    cio__free(q->service);
    cio__free(q);
}

static void resolve_cleanup(cio__job *j, intptr_t result, bool delivered)
{
    if (!delivered && !CIO_IS_ERR(result) && result != 0)
        freeaddrinfo((struct addrinfo *)result);
    req_free(j->arg);
}

static char *dup_str(const char *s, bool *ok)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = cio__malloc(n);
    if (!d)
        *ok = false;
    else
        memcpy(d, s, n);
    return d;
}

static resolve_req *req_new(const char *host, const char *service, const struct addrinfo *hints)
{
    resolve_req *q = cio__calloc(1, sizeof(*q));
    if (!q)
        return NULL;
    bool ok = true;
    q->host = dup_str(host, &ok);
    q->service = dup_str(service, &ok);
    if (!ok) {
        req_free(q);
        return NULL;
    }
    if (hints) {
        q->hints.ai_flags = hints->ai_flags;
        q->hints.ai_family = hints->ai_family;
        q->hints.ai_socktype = hints->ai_socktype;
        q->hints.ai_protocol = hints->ai_protocol;
        q->has_hints = true;
    }
    return q;
}

cio_future *cio_getaddrinfo(const char *host, const char *service, const struct addrinfo *hints)
{
    cio_loop *l = cio_loop_current();
    if (!l)
        return cio__future_failed(cio__misuse(-EPERM, "no current loop"));
    if (!host && !service)
        return cio__future_failed(cio__misuse(-EINVAL, "host and service are both NULL"));
    int err = 0;
    cio_executor *pool = cio__loop_executor(l, 1, &err);
    if (!pool)
        return cio__future_failed(err);
    resolve_req *q = req_new(host, service, hints);
    if (!q)
        return cio__future_failed(-ENOMEM);
    cio_future *f = cio__job_submit(pool, resolve_run, q, resolve_cleanup);
    if (cio__future_is_static(f))
        req_free(q); /* never queued: no cleanup will run */
    return f;
}
