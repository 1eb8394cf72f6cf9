/* cio/compose.h — composing futures and tasks: gather, wait, wait_for,
 * as_completed, shield, timeout scopes, task groups and bounded pools.
 *
 * Ownership: the combinators that take an array of futures (gather,
 * as_completed) CONSUME the caller's reference to each element, whatever
 * happens (even when they fail), exactly like CIO_AWAIT does for one future;
 * cio_wait BORROWS them (you inspect them afterwards). The array itself is
 * copied and may be reused at once. Static failed futures may appear in the
 * arrays. All of it belongs to the loop's thread.
 *
 * Cancellation keeps cio's rule that an await never returns before the
 * awaited future is done: a gather or group that is cancelled cancels its
 * children and completes only once every child has settled, so buffers the
 * children use stay valid until the await returns.
 */
#ifndef CIO_COMPOSE_H
#define CIO_COMPOSE_H

#include "base.h"
#include "future.h"
#include "task.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef CIO_NO_TIMEOUT
#define CIO_NO_TIMEOUT UINT64_MAX /* timeout_ns meaning "wait as long as it takes" */
#endif

/* ---- gather ---------------------------------------------------------------- */

enum {
    CIO_GATHER_RETURN_ERRORS = 1, /* don't stop at the first error; result 0 */
};

/* A future done once all `n` futures are done (asyncio.gather / joinall).
 * Consumes the references in fs[0..n). If `results` is not NULL, results[i]
 * receives fs[i]'s result as it completes (the array must stay valid until
 * the gather is done). Default mode: the first error (in completion order)
 * cancels the others and, once they have settled, is the gather's result;
 * otherwise the result is 0. CIO_GATHER_RETURN_ERRORS: nothing is cancelled,
 * every result (errors included) lands in results[], the result is 0.
 * Cancelling the gather cancels every child; it then completes with
 * -ECANCELED once they have all settled. n == 0 gives a done future (0).
 * Errors: -EINVAL (NULL fs with n > 0, futures of different loops),
 * -ENOMEM. */
CIO_API cio_future *cio_gather(cio_future *const *fs, size_t n, intptr_t *results, int flags);

/* ---- wait -------------------------------------------------------------------- */

typedef enum cio_wait_mode {
    CIO_WAIT_ALL_COMPLETED = 0,
    CIO_WAIT_FIRST_COMPLETED,
    CIO_WAIT_FIRST_ERROR, /* the first future done with an error; else all */
} cio_wait_mode;

/* asyncio.wait: a future done when `mode` is satisfied or `timeout_ns`
 * passed, whose result is how many of fs[0..n) are done by then (0 on a
 * timeout with none done). BORROWS the futures (it holds its own references
 * while waiting); check each with cio_future_done / cio_future_result and
 * cancel or await the rest yourself. Nothing is cancelled, not even on
 * timeout. Cancelling the wait completes it at once with -ECANCELED.
 * Errors: -EINVAL, -ENOMEM. */
CIO_API cio_future *cio_wait(cio_future *const *fs, size_t n, cio_wait_mode mode, uint64_t timeout_ns);

/* asyncio.wait_for: `f` itself with a deadline — cancelled on expiry and,
 * once it has settled, done with -ETIMEDOUT. Same as cio_with_timeout;
 * returns the same reference. */
CIO_API cio_future *cio_wait_for(cio_future *f, uint64_t timeout_ns);

/* ---- as_completed --------------------------------------------------------------- */

typedef struct cio_as_completed cio_as_completed;

/* An iterator over fs[0..n) in completion order. Consumes the references.
 * The deadline (CIO_NO_TIMEOUT: none) bounds the whole iteration. NULL on
 * -ENOMEM or -EINVAL (the futures are released then). */
CIO_API cio_as_completed *cio_as_completed_new(cio_future *const *fs, size_t n, uint64_t timeout_ns);
/* Suspends the calling task until the next future completes; returns its
 * index in fs (>= 0) and stores its result in *result (may be NULL).
 * Returns -ENODATA when every future has been returned, -ETIMEDOUT when the
 * deadline passed, -ECANCELED if the task is cancelled, -EPERM outside a
 * task. */
CIO_API intptr_t cio_as_completed_next(cio_as_completed *it, intptr_t *result);
/* Frees the iterator; futures not yet returned are cancelled and released.
 * Returns how many were still pending. */
CIO_API size_t cio_as_completed_free(cio_as_completed *it);

/* ---- shield ----------------------------------------------------------------------- */

/* asyncio.shield: a new future that completes with `f`'s result; cancelling
 * it completes it at once with -ECANCELED but does not cancel `f`, which
 * runs on (cancel or await it elsewhere if you kept a reference). Consumes
 * the reference to `f`. */
CIO_API cio_future *cio_shield(cio_future *f);

/* ---- timeout scope ---------------------------------------------------------------- */

typedef struct cio_timeout cio_timeout;

/* asyncio.timeout: bounds every await of the calling task until
 * cio_timeout_exit. When the deadline passes, the task is cancelled (the
 * pending await returns -ECANCELED and so does every later one until the
 * task stops awaiting or exits the scope). Returns the scope, or NULL
 * (-EPERM outside a task, -ENOMEM: then nothing is bounded). Scopes nest. */
CIO_API cio_timeout *cio_timeout_enter(uint64_t timeout_ns);
/* Ends the scope (in LIFO order) and frees it. Returns -ETIMEDOUT if the
 * deadline fired (the cancellation it caused is absorbed here, even if no
 * await saw it), else 0. */
CIO_API int cio_timeout_exit(cio_timeout *s);
/* Moves the deadline to `timeout_ns` from now (asyncio Timeout.reschedule);
 * 0, or -EALREADY once it has fired. */
CIO_API int cio_timeout_reschedule(cio_timeout *s, uint64_t timeout_ns);

/* ---- task groups ------------------------------------------------------------------ */

typedef struct cio_group cio_group;

/* A task group owned by the calling task (asyncio.TaskGroup). NULL on
 * -EPERM (outside a task) or -ENOMEM. Tasks spawned into it are the group's;
 * cio_group_join waits for all of them. The first task to fail (an error
 * other than -ECANCELED) cancels the rest. Cancelling the owner task cancels
 * every task in the group. No task outlives the group: join is the only way
 * to free it and returns only when every task has finished. */
CIO_API cio_group *cio_group_new(void);
/* Spawns fn(arg) into the group. Returns the task, BORROWED (the group holds
 * the reference; valid until join), or a failed static future: -ESHUTDOWN
 * once the group is failing or cancelled, -ENOMEM, -EINVAL. */
CIO_API cio_task *cio_group_spawn(cio_group *g, cio_task_fn fn, void *arg);
/* Cancels every task of the group (they finish on their own terms). */
CIO_API void cio_group_cancel(cio_group *g);
/* Owner only. Waits for every task, frees the group and returns: the first
 * failure, else -ECANCELED if the owner was cancelled or cio_group_cancel
 * was called, else 0. Cancelling the owner while it waits here cancels the
 * tasks and still waits for them. */
CIO_API intptr_t cio_group_join(cio_group *g);
/* Tasks of the group not yet finished. */
CIO_API size_t cio_group_size(const cio_group *g);

/* ---- pools ------------------------------------------------------------------------- */

typedef struct cio_pool cio_pool;

/* gevent.pool.Pool(n): runs at most `size` (>= 1) tasks at once. NULL on
 * -EINVAL or -ENOMEM. */
CIO_API cio_pool *cio_pool_new(size_t size);
/* Frees an idle pool. 0, or -EBUSY while its tasks run or tasks wait on it. */
CIO_API int cio_pool_free(cio_pool *p);
/* Suspends the calling task until a slot is free, then spawns fn(arg) in it
 * and returns the task (a new reference: await or detach it). Failed static
 * future on -ECANCELED (the caller was cancelled while waiting), -EPERM
 * (outside a task and no slot free), -ENOMEM. */
CIO_API cio_task *cio_pool_spawn(cio_pool *p, cio_task_fn fn, void *arg);
/* pool.map: runs fn(args[i]) for every i, at most `size` at once, started in
 * order. A future (a driver task) done once all have finished: results[i]
 * (may be NULL) receives fn(args[i]); the result is 0 or the first error,
 * which cancels the others (like cio_gather). `args` and `results` must stay
 * valid until it is done. Cancelling it cancels everything it started. */
CIO_API cio_future *cio_pool_map(cio_pool *p, cio_task_fn fn, void *const *args, size_t n, intptr_t *results);
/* pool.imap_unordered: like map, but on_result(ctx, i, result) is called as
 * each one finishes, in completion order, from the driver task (so it may
 * await). The future's result is 0 or the first error (which cancels the
 * rest). */
typedef void (*cio_pool_result_fn)(void *ctx, size_t index, intptr_t result);
CIO_API cio_future *cio_pool_map_unordered(cio_pool *p, cio_task_fn fn, void *const *args, size_t n,
                                           cio_pool_result_fn on_result, void *ctx);
/* A future done with 0 once the pool has no running task (pool.join). */
CIO_API cio_future *cio_pool_join(cio_pool *p, uint64_t timeout_ns);
/* Cancels every running task of the pool (pool.kill); returns how many.
 * Await cio_pool_join to wait for them to finish. */
CIO_API size_t cio_pool_kill(cio_pool *p);
/* Tasks running in the pool / free slots. */
CIO_API size_t cio_pool_running(const cio_pool *p);
CIO_API size_t cio_pool_free_count(const cio_pool *p);

#ifdef __cplusplus
}
#endif
#endif
