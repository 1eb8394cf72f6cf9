/* cio/queue.h — asyncio-style queues between tasks: FIFO, LIFO, priority.
 *
 * Items are intptr_t values (integers or pointers) outside the error range
 * [-4095, -1], so a get's future carries the item itself as its result.
 * put/get return futures to await (CIO_AWAIT consumes them); they wait while
 * the queue is full / empty, waiters are served FIFO, each takes a
 * `timeout_ns` (CIO_NO_TIMEOUT: none) and fails with -ETIMEDOUT on expiry.
 * A put or get cancelled (or timed out, or released unawaited) before it
 * completes has no effect on the queue. One that completed did its work: a
 * completed get owns its item even if its task was cancelled meanwhile (the
 * await still returns the item). A queue belongs to one loop's thread.
 */
#ifndef CIO_QUEUE_H
#define CIO_QUEUE_H

#include "base.h"
#include "future.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef CIO_NO_TIMEOUT
#define CIO_NO_TIMEOUT UINT64_MAX
#endif

typedef struct cio_queue cio_queue;

typedef enum cio_queue_kind {
    CIO_QUEUE_FIFO = 0,
    CIO_QUEUE_LIFO,
    CIO_QUEUE_PRIORITY, /* lowest priority value first; equal ones FIFO */
} cio_queue_kind;

/* A new queue holding at most `maxsize` items (0: unbounded), or NULL
 * (-EINVAL for a bad kind, -ENOMEM). */
CIO_API cio_queue *cio_queue_new(cio_queue_kind kind, size_t maxsize);
/* Frees the queue and any items left in it. 0, or -EBUSY while tasks wait
 * on it (shut it down first). */
CIO_API int cio_queue_free(cio_queue *q);

/* A future done with 0 once `item` is in the queue (or handed to a waiting
 * getter). Fails with -EINVAL for an item in the error range, -ESHUTDOWN if
 * the queue is (or gets) shut down, -ETIMEDOUT, -ECANCELED. On a priority
 * queue the item's priority is the item value itself. */
CIO_API cio_future *cio_queue_put(cio_queue *q, intptr_t item, uint64_t timeout_ns);
/* put with an explicit priority (any queue kind; only priority queues use it). */
CIO_API cio_future *cio_queue_put_prio(cio_queue *q, intptr_t item, int64_t prio, uint64_t timeout_ns);
/* A future whose result is the next item; -ESHUTDOWN once the queue is shut
 * down and empty, -ETIMEDOUT, -ECANCELED. */
CIO_API cio_future *cio_queue_get(cio_queue *q, uint64_t timeout_ns);

/* Non-waiting variants: 0, -EAGAIN (full / empty), -ESHUTDOWN, -EINVAL. */
CIO_API int cio_queue_try_put(cio_queue *q, intptr_t item);
CIO_API int cio_queue_try_put_prio(cio_queue *q, intptr_t item, int64_t prio);
CIO_API int cio_queue_try_get(cio_queue *q, intptr_t *item);

/* Marks one item taken by get as processed. 0, or -EINVAL if called more
 * times than items were put. */
CIO_API int cio_queue_task_done(cio_queue *q);
/* A future done with 0 once every item put so far has been task_done. */
CIO_API cio_future *cio_queue_join(cio_queue *q, uint64_t timeout_ns);

/* Shuts the queue down: waiting and later puts fail with -ESHUTDOWN; gets
 * drain what is left, then fail with -ESHUTDOWN (waiting getters fail at
 * once). `immediate` also discards the items left (counting them as done
 * for join). Idempotent. */
CIO_API void cio_queue_shutdown(cio_queue *q, bool immediate);

CIO_API size_t cio_queue_len(const cio_queue *q);
CIO_API bool cio_queue_full(const cio_queue *q);
CIO_API bool cio_queue_empty(const cio_queue *q);

#ifdef __cplusplus
}
#endif
#endif
