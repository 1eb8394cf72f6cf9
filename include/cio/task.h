/* cio/task.h — stackful tasks: a plain function running on its own stack.
 *
 * A task is a future (cio_task is cio_future): awaiting it yields the task's
 * return value. Spawning hands the caller one reference; give it up by
 * awaiting the task or by cio_task_detach(). A task that returns while still
 * holding un-awaited, un-detached children is an error: the children are
 * cancelled and detached, and the parent's result becomes -EBUSY.
 */
#ifndef CIO_TASK_H
#define CIO_TASK_H

#include "base.h"
#include "loop.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A task body. Its return value (>= 0, or a negative errno) is the task's
 * result. */
typedef intptr_t (*cio_task_fn)(void *arg);

typedef struct cio_task_opts {
    const char *name;  /* copied (first 31 bytes); NULL means "task-<id>" */
    size_t stack_size; /* 0 means the loop's default */
} cio_task_opts;

/* Starts fn(arg) as a new task on the current loop; it first runs on a later
 * loop iteration. Returns a new reference to the task, or a failed static
 * future (-EPERM with no current loop, -EINVAL for NULL fn, -ENOMEM).
 * Loop thread only. */
CIO_API cio_task *cio_spawn(cio_task_fn fn, void *arg);

/* Like cio_spawn on an explicit loop (NULL: current) with options (may be
 * NULL). Usable before the loop runs, from its own thread. */
CIO_API cio_task *cio_spawn_ex(cio_loop *loop, cio_task_fn fn, void *arg, const cio_task_opts *opts);

/* Gives up the caller's reference: the task runs on and its result is
 * discarded (errors other than -ECANCELED are printed in debug builds).
 * Returns 0, or -EINVAL if `t` is not a task. */
CIO_API int cio_task_detach(cio_task *t);

/* Same as cio_future_cancel on a task: the task sees -ECANCELED from the
 * await it is parked in (or its next one) and may clean up. A task cancelled
 * before it first runs never runs. Returns 1 if requested, 0 if the task had
 * already finished (no-op), -EINVAL if `t` is not a task. */
CIO_API int cio_task_cancel(cio_task *t);

/* The calling task (borrowed; no reference added), or NULL outside tasks. */
CIO_API cio_task *cio_current_task(void);

/* The task's name; never NULL. Borrowed: valid while the task is. */
CIO_API const char *cio_task_name(const cio_task *t);

/* Renames a task (copies up to 31 bytes; "" restores "task-<id>"). Returns
 * 0 or -EINVAL. */
CIO_API int cio_task_set_name(cio_task *t, const char *name);

/* A number unique among the loop's tasks (1, 2, ...), or 0 if not a task. */
CIO_API uint64_t cio_task_id(const cio_task *t);

/* Lets every other ready task run once, then resumes (asyncio.sleep(0)).
 * Returns 0, -ECANCELED if the task was cancelled, -EPERM outside a task. */
CIO_API int cio_yield(void);

/* A future that completes with 0 after `delay_ns` nanoseconds of loop time
 * (use CIO_MS()): never earlier, and at most the timer slack later (the
 * loop batches wake-ups: 1/64 of the delay, at least 50 us, at most 1 ms).
 * Cancelling it removes the timer. Returns a new reference (failed static
 * future -EPERM with no current loop, -ENOMEM). */
CIO_API cio_future *cio_sleep(uint64_t delay_ns);

/* Like cio_sleep with an absolute deadline in loop time (cio_loop_time_ns,
 * CLOCK_MONOTONIC): completes with 0 once `when_ns` has passed, with the same
 * slack; a deadline already past completes on the next iteration. Repeating
 * `when += period` gives a schedule that does not drift (trio.sleep_until,
 * asyncio's call_at). Returns a new reference (failed static future -EPERM
 * with no current loop, -ENOMEM). Loop thread only: it arms a timer on the
 * calling thread's current loop. */
CIO_API cio_future *cio_sleep_until(uint64_t when_ns);

/* asyncio.run: creates a loop (opts may be NULL), runs main(arg) as a task
 * named "main" until it returns, cancels and drains any tasks it left
 * behind, frees the loop and returns main's result (or a setup error such as
 * -ENOSYS when io_uring is unavailable, -EPERM inside a running loop). */
CIO_API intptr_t cio_run(cio_task_fn main, void *arg, const cio_loop_opts *opts);

#ifdef __cplusplus
}
#endif
#endif
