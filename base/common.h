/* base/common.h — what every cio source file needs: visibility, branch hints,
 * container_of, the allocation hook and misuse reporting.
 * Internal; never installed.
 */
#ifndef CIO_BASE_COMMON_H
#define CIO_BASE_COMMON_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "cio/base.h"

#define CIO_HIDDEN __attribute__((visibility("hidden")))
/* Thread-locals on hot paths: initial-exec, so the shared library reaches
 * them without a __tls_get_addr call (a few pointers of static TLS; a
 * dlopen'ed libcio still fits glibc's surplus). */
#define CIO_TLS __thread __attribute__((tls_model("initial-exec")))
/* For slow paths split off hot functions, so these keep few registers. */
#define CIO_COLD __attribute__((noinline, cold))
#define cio__likely(x) __builtin_expect(!!(x), 1)
#define cio__unlikely(x) __builtin_expect(!!(x), 0)
#define cio__container_of(ptr, type, member) \
    ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

CIO_HIDDEN void *cio__malloc(size_t size);
CIO_HIDDEN void *cio__calloc(size_t count, size_t size);
CIO_HIDDEN void *cio__realloc(void *ptr, size_t size);
CIO_HIDDEN void cio__free(void *ptr);
/* True while no cio_set_allocator hook replaces malloc. */
CIO_HIDDEN bool cio__alloc_is_default(void);

/* Reports API misuse: in debug builds prints "cio: <func>: <message>" to
 * stderr; always returns `err` so call sites read `return cio__misuse(...)`. */
CIO_HIDDEN int cio__misuse_report(int err, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define cio__misuse(err, ...) cio__misuse_report((err), __func__, __VA_ARGS__)

/* Debug-build diagnostics (no-ops in release builds). */
#ifdef CIO_DEBUG
CIO_HIDDEN void cio__debug_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define cio__debugf(...) cio__debug_print(__VA_ARGS__)
#else
#define cio__debugf(...) ((void)0)
#endif

#endif
