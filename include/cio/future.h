/* cio/future.h — futures: one result value, delivered once, awaited by tasks.
 *
 * States: pending -> done (result >= 0, or an error as a negative errno)
 *                 -> cancelled (result -ECANCELED).
 * Ownership: every function returning a cio_future * hands the caller one
 * reference. cio_await / CIO_AWAIT consume that reference, so the ordinary
 * `n = CIO_AWAIT(cio_file_read(...))` leaks nothing. Keep a future past an
 * await with cio_future_retain(). A function that cannot create its future
 * (bad argument, out of memory) returns an already-failed static future
 * carrying the negative errno, never NULL, so errors flow through the await.
 * Futures belong to their loop's thread.
 */
#ifndef CIO_FUTURE_H
#define CIO_FUTURE_H

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*cio_done_fn)(cio_future *f, void *arg);

/* Creates a pending future on `loop` (NULL: the current loop), to be
 * completed with cio_future_set_result. Returns a new reference; on failure
 * a failed static future (-EINVAL without a loop, -ENOMEM). */
CIO_API cio_future *cio_future_new(cio_loop *loop);

/* Completes a pending future with `result` (>= 0 a value, negative errno an
 * error). Done-callbacks and awaiters are woken from the loop, never from
 * inside this call. Returns 0, or -EINVAL if `f` is NULL, is a task, or is
 * already done. Loop thread only. */
CIO_API int cio_future_set_result(cio_future *f, intptr_t result);

/* Requests cancellation. A pending plain future becomes cancelled at once; a
 * task is cancelled at its current or next await; an I/O operation is
 * cancelled in the kernel and completes once the kernel is done with its
 * buffers. Returns 1 if cancellation was requested, 0 if `f` was already done
 * (a no-op), -EINVAL if `f` is NULL. Loop thread only. */
CIO_API int cio_future_cancel(cio_future *f);

/* True once `f` has a result (including errors and cancellation). */
CIO_API bool cio_future_done(const cio_future *f);

/* True if `f` ended cancelled (result -ECANCELED). */
CIO_API bool cio_future_cancelled(const cio_future *f);

/* The result of a done future; -EAGAIN while pending (check cio_future_done
 * first where an operation may itself fail with -EAGAIN). */
CIO_API intptr_t cio_future_result(const cio_future *f);

/* Calls fn(f, arg) from the loop once `f` is done (on the next iteration if
 * it already is). Callbacks run in the order added. Returns 0, -ENOMEM, or
 * -EINVAL for NULL arguments. Loop thread only. */
CIO_API int cio_future_add_done_callback(cio_future *f, cio_done_fn fn, void *arg);

/* Removes every pending callback equal to (fn, arg). Returns how many were
 * removed. Loop thread only. */
CIO_API int cio_future_remove_done_callback(cio_future *f, cio_done_fn fn, void *arg);

/* Adds a reference and returns `f`. */
CIO_API cio_future *cio_future_retain(cio_future *f);

/* Drops a reference; the future is freed with the last one. A pending
 * operation keeps its own reference until the kernel is done with it. */
CIO_API void cio_future_release(cio_future *f);

/* The loop `f` belongs to (NULL for the static failed futures). */
CIO_API cio_loop *cio_future_loop(const cio_future *f);

/* Suspends the calling task until `f` is done and returns its result.
 * Consumes the caller's reference to `f`. Never returns before `f` is done:
 * if the task is cancelled meanwhile, the cancellation is passed on to `f`
 * and the await still waits for `f` to settle (so buffers an operation uses
 * stay valid), then returns -ECANCELED — or the operation's real result if
 * it finished first, in which case the cancellation is delivered by the
 * task's next await. Errors: -EPERM outside a task, -EINVAL for NULL or a
 * future of another loop, -EDEADLK when a task awaits itself. */
CIO_API intptr_t cio_await(cio_future *f);

#define CIO_AWAIT(f) cio_await(f)

/* Gives `f` a deadline. Returns `f` itself (the same reference). If `f` is
 * not done within `timeout_ns`, it is cancelled and completes with
 * -ETIMEDOUT. For an io_uring operation that has not been submitted yet the
 * deadline is a linked timeout inside the kernel. Loop thread only. */
CIO_API cio_future *cio_with_timeout(cio_future *f, uint64_t timeout_ns);

#define CIO_MS(ms) ((uint64_t)(ms) * 1000000ull) /* milliseconds as nanoseconds */
#define CIO_US(us) ((uint64_t)(us) * 1000ull)    /* microseconds as nanoseconds */

#ifdef __cplusplus
}
#endif
#endif
