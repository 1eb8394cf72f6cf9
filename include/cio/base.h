/* cio/base.h — error values, the allocation hook and version of the cio library.
 *
 * Error convention used by every cio function: 0 or a non-negative value on
 * success, a negative errno on failure. A future's result is an intptr_t where
 * values in [-4095, -1] are errors (the io_uring cqe->res convention).
 */
#ifndef CIO_BASE_H
#define CIO_BASE_H

#include <errno.h> /* results are negative errno values: users compare with -ECANCELED etc. */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define CIO_API
#else
#define CIO_API __attribute__((visibility("default")))
#endif

#define CIO_VERSION_MAJOR 0
#define CIO_VERSION_MINOR 1
#define CIO_VERSION_PATCH 0

/* Forward declarations of the opaque types; see loop.h, future.h, task.h. */
typedef struct cio_loop cio_loop;
typedef struct cio_future cio_future;
typedef struct cio_future cio_task; /* a task is a future (its result is the task's return value) */

/* True when a result value encodes an error (a negative errno in [-4095, -1]). */
#define CIO_IS_ERR(v) ((intptr_t)(v) < 0 && (intptr_t)(v) >= -4095)

/* Returns a static, human-readable message for a cio result value: the errno
 * text for negative errno values, "success" for values >= 0. Never NULL.
 * Thread-safe. */
CIO_API const char *cio_strerror(intptr_t err);

/* The replaceable allocator. All memory cio allocates goes through these.
 * Any NULL member keeps the libc default. */
typedef struct cio_allocator {
    void *(*malloc_fn)(size_t size);
    void *(*calloc_fn)(size_t count, size_t size);
    void *(*realloc_fn)(void *ptr, size_t size);
    void (*free_fn)(void *ptr);
} cio_allocator;

/* Installs the allocator used by all of cio (process-wide). Must be called
 * before any other cio function, or after every loop and executor has been
 * freed. Returns 0, or -EINVAL if `a` is NULL. Not thread-safe. */
CIO_API int cio_set_allocator(const cio_allocator *a);

/* Returns "MAJOR.MINOR.PATCH". Thread-safe. */
CIO_API const char *cio_version(void);

#ifdef __cplusplus
}
#endif
#endif
