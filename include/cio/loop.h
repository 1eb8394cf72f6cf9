/* cio/loop.h — the event loop: ready queue, timers and the io_uring backend.
 *
 * A loop and everything attached to it belong to the thread that runs it.
 * Only functions named *_threadsafe may be called from other threads.
 */
#ifndef CIO_LOOP_H
#define CIO_LOOP_H

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*cio_callback)(void *arg);

/* How the io_uring ring is set up. AUTO tries SINGLE_ISSUER|DEFER_TASKRUN,
 * then COOP_TASKRUN, then no flags, keeping the first the kernel accepts. */
enum cio_ring_mode {
    CIO_RING_AUTO = 0,
    CIO_RING_COOP,  /* start the ladder at COOP_TASKRUN (no DEFER_TASKRUN) */
    CIO_RING_PLAIN, /* no setup flags at all */
};

typedef struct cio_loop_opts {
    unsigned sq_entries;        /* submission queue size, 2..32768; 0 means 256 */
    unsigned cq_entries;        /* completion queue size; 0 means 4 * sq_entries */
    enum cio_ring_mode ring_mode;
    size_t stack_size;          /* default task stack size; 0 means 128 KiB */
    size_t stack_cache;         /* idle stacks kept resident; 0 means 256 */
    size_t max_inflight;        /* operations the kernel may owe at once; more
                                   wait in the loop's queue. 0 means no limit
                                   where the kernel keeps completions that do
                                   not fit the CQ (IORING_FEAT_NODROP, Linux
                                   5.5+), else cq_entries */
} cio_loop_opts;

/* Creates a loop. `opts` may be NULL for defaults. On success stores the loop
 * in *out and returns 0; otherwise returns -EINVAL (bad argument), -ENOMEM, or
 * the io_uring setup error (-ENOSYS / -EPERM when io_uring is unavailable).
 * The loop must be run on the thread that creates it. */
CIO_API int cio_loop_new(cio_loop **out, const cio_loop_opts *opts);

/* Frees an idle loop. Returns 0, or -EBUSY (and frees nothing) while tasks,
 * operations, timers or callbacks are still alive; debug builds then print
 * what is alive. Cancelled operations still in the kernel are waited for
 * (up to 1 s). -EPERM if called while the loop runs. Call it on the thread
 * that ran the loop. */
CIO_API int cio_loop_free(cio_loop *loop);

/* Runs the loop until cio_loop_stop(). Returns 0, or -EPERM if a loop is
 * already running on this thread. */
CIO_API int cio_loop_run_forever(cio_loop *loop);

/* Runs the loop until `f` is done (at least one iteration, so callbacks
 * already queued run) and returns its result. Consumes the
 * caller's reference to `f`. Returns -EPERM if a loop is already running on
 * this thread, -EINVAL if `f` is NULL or belongs to another loop, and
 * -EINTR if cio_loop_stop() ended the run before `f` was done. */
CIO_API intptr_t cio_loop_run_until_complete(cio_loop *loop, cio_future *f);

/* Asks a running loop to return after finishing its current iteration.
 * Loop thread only. */
CIO_API void cio_loop_stop(cio_loop *loop);

/* Schedules fn(arg) to run on the next loop iteration, in FIFO order.
 * Returns a handle id (> 0) usable with cio_loop_cancel, or -ENOMEM/-EINVAL.
 * Loop thread only. */
CIO_API int64_t cio_loop_call_soon(cio_loop *loop, cio_callback fn, void *arg);

/* Schedules fn(arg) to run once `delay_ns` nanoseconds have passed (from
 * now, on the loop's monotonic clock). Equal deadlines run in the order they were scheduled. Returns a
 * handle id (> 0) or a negative errno. Loop thread only. Timers have slack
 * (the loop batches wake-ups): a callback may run up to 1/64 of its delay
 * late, at least 50 us and at most 1 ms; never early. */
CIO_API int64_t cio_loop_call_later(cio_loop *loop, uint64_t delay_ns, cio_callback fn, void *arg);

/* Like cio_loop_call_later with an absolute deadline in loop time
 * (cio_loop_time_ns). A deadline in the past runs on the next iteration. */
CIO_API int64_t cio_loop_call_at(cio_loop *loop, uint64_t when_ns, cio_callback fn, void *arg);

/* Cancels a callback scheduled by call_soon/call_later/call_at. Returns 0, or
 * -ENOENT if it already ran or was cancelled (ids are never reused). */
CIO_API int cio_loop_cancel(cio_loop *loop, int64_t handle);

/* The loop's monotonic clock in nanoseconds, refreshed once per iteration. */
CIO_API uint64_t cio_loop_time_ns(const cio_loop *loop);

/* The loop running on (or last run on) the calling thread, or NULL. */
CIO_API cio_loop *cio_loop_current(void);

/* Number of live things keeping the loop busy: tasks, in-flight operations,
 * timers and scheduled callbacks. Operations already being cancelled whose
 * owner has let go (an idle connection curl dropped, say) are not counted:
 * cio_loop_free waits for their final completion, which the kernel gives
 * at once. 0 means cio_loop_free will succeed. */
CIO_API size_t cio_loop_alive(const cio_loop *loop);

/* The io_uring setup flags the ring ended up with (IORING_SETUP_*). */
CIO_API unsigned cio_loop_ring_flags(const cio_loop *loop);

#ifdef __cplusplus
}
#endif
#endif
