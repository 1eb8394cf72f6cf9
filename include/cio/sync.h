/* cio/sync.h — task-level synchronisation: Lock, Semaphore, BoundedSemaphore,
 * Event, Condition, Barrier (asyncio's set, for stackful tasks).
 *
 * None of these blocks the thread: a wait returns a future the calling task
 * awaits (CIO_AWAIT consumes it). Common rules:
 *  - Waiters are woken in FIFO order.
 *  - Every wait takes `timeout_ns` (CIO_NO_TIMEOUT: none). On expiry the
 *    wait leaves the list and its future fails with -ETIMEDOUT.
 *  - A wake-up is handed over by completing the waiter's future: a future
 *    that completed with 0 from acquire means the caller holds the lock /
 *    permit, even if its task was cancelled meanwhile (the await returns 0
 *    and the cancellation arrives at the task's next await — so a task
 *    releases what it holds on its cancellation path and nothing is lost).
 *  - A wait cancelled (task cancelled, cio_future_cancel, deadline) or whose
 *    future is released before it completes leaves no trace in the list and
 *    never consumes a wake-up: the next waiter gets it.
 *  - Uncontended acquires return an already-done future (no allocation).
 *  - An object belongs to one loop's thread. Not thread-safe. *_free refuses
 *    with -EBUSY while tasks wait on the object.
 */
#ifndef CIO_SYNC_H
#define CIO_SYNC_H

#include "base.h"
#include "future.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef CIO_NO_TIMEOUT
#define CIO_NO_TIMEOUT UINT64_MAX /* timeout_ns meaning "wait as long as it takes" */
#endif

/* ---- Lock ------------------------------------------------------------------ */
typedef struct cio_lock cio_lock;

/* A new unlocked lock, or NULL on -ENOMEM. */
CIO_API cio_lock *cio_lock_new(void);
/* Frees an unlocked or locked lock nobody waits on. 0, or -EBUSY. */
CIO_API int cio_lock_free(cio_lock *l);
/* A future done with 0 once the caller holds the lock; -ETIMEDOUT,
 * -ECANCELED, or a failed future (-EPERM without a loop, -ENOMEM). Not
 * reentrant: a holder acquiring again waits for itself. */
CIO_API cio_future *cio_lock_acquire(cio_lock *l, uint64_t timeout_ns);
/* Takes the lock if it is free and nobody waits: true if taken. */
CIO_API bool cio_lock_try_acquire(cio_lock *l);
/* Releases: the first waiter (if any) becomes the holder. Any task may
 * release (like asyncio.Lock). 0, or -EPERM if not locked. */
CIO_API int cio_lock_release(cio_lock *l);
CIO_API bool cio_lock_locked(const cio_lock *l);

/* ---- Semaphore / BoundedSemaphore --------------------------------------------- */
typedef struct cio_sem cio_sem;

/* A semaphore with `value` permits, or NULL on -ENOMEM. A bounded one
 * refuses to be released above its initial value. */
CIO_API cio_sem *cio_sem_new(unsigned value);
CIO_API cio_sem *cio_sem_new_bounded(unsigned value);
/* 0, or -EBUSY while tasks wait. */
CIO_API int cio_sem_free(cio_sem *s);
/* A future done with 0 once the caller holds a permit (see the rules above). */
CIO_API cio_future *cio_sem_acquire(cio_sem *s, uint64_t timeout_ns);
CIO_API bool cio_sem_try_acquire(cio_sem *s);
/* Returns a permit: to the first waiter if any. 0, or -EOVERFLOW for a
 * bounded semaphore already at its initial value. */
CIO_API int cio_sem_release(cio_sem *s);
/* Permits available now. */
CIO_API unsigned cio_sem_value(const cio_sem *s);

/* ---- Event --------------------------------------------------------------------- */
typedef struct cio_event cio_event;

/* A new, clear event, or NULL on -ENOMEM. */
CIO_API cio_event *cio_event_new(void);
CIO_API int cio_event_free(cio_event *e);
/* Sets the flag and wakes every waiter (FIFO). */
CIO_API void cio_event_set(cio_event *e);
CIO_API void cio_event_clear(cio_event *e);
CIO_API bool cio_event_is_set(const cio_event *e);
/* A future done with 0 once the event is set (at once if it is). */
CIO_API cio_future *cio_event_wait(cio_event *e, uint64_t timeout_ns);

/* ---- Condition ------------------------------------------------------------------ */
typedef struct cio_cond cio_cond;

/* A condition variable over `lock` (borrowed; NULL: the condition makes and
 * owns one). NULL on -ENOMEM. */
CIO_API cio_cond *cio_cond_new(cio_lock *lock);
CIO_API int cio_cond_free(cio_cond *c);
/* The lock to acquire around waits and notifies (borrowed). */
CIO_API cio_lock *cio_cond_lock(cio_cond *c);
/* The caller must hold the lock. Releases it, waits to be notified, and
 * re-acquires it before the future completes — on every outcome, so the
 * caller always holds the lock again when the await returns: 0 (notified),
 * -ETIMEDOUT, -ECANCELED. -EPERM (failed future) if the lock is not held. */
CIO_API cio_future *cio_cond_wait(cio_cond *c, uint64_t timeout_ns);
/* Wakes up to `n` waiters (FIFO); they re-acquire the lock in that order.
 * Returns how many were woken. */
CIO_API size_t cio_cond_notify(cio_cond *c, size_t n);
CIO_API size_t cio_cond_notify_all(cio_cond *c);

/* ---- Barrier --------------------------------------------------------------------- */
typedef struct cio_barrier cio_barrier;

/* A cyclic barrier for `parties` (>= 1) tasks, or NULL (-EINVAL/-ENOMEM). */
CIO_API cio_barrier *cio_barrier_new(size_t parties);
CIO_API int cio_barrier_free(cio_barrier *b);
/* A future done with the caller's arrival index (0 .. parties-1) once
 * `parties` tasks wait; the barrier then resets for the next round. A wait
 * cancelled or timed out before that leaves and is not counted. -EPIPE if the
 * barrier is broken (aborted). */
CIO_API cio_future *cio_barrier_wait(cio_barrier *b, uint64_t timeout_ns);
/* Breaks the barrier: waiters and later waits fail with -EPIPE. */
CIO_API void cio_barrier_abort(cio_barrier *b);
/* Mends a broken barrier (waiters present are failed with -EPIPE first). */
CIO_API void cio_barrier_reset(cio_barrier *b);
/* Tasks currently waiting. */
CIO_API size_t cio_barrier_waiting(const cio_barrier *b);

#ifdef __cplusplus
}
#endif
#endif
