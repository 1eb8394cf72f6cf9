/* cio/executor.h — thread pools, run_in_executor, and thread-safe entry
 * into a loop.
 *
 * CPU-bound or blocking work runs on an executor's worker threads; its
 * result resumes the awaiting task on the loop's own thread. Workers never
 * touch a loop's ring: finished jobs are pushed on the loop's lock-free list
 * and the loop is woken only when it sleeps (eventfd or io_uring MSG_RING).
 *
 *   static intptr_t cpu_bound(void *arg) { ...; return sum; }
 *   intptr_t r = CIO_AWAIT(cio_run_in_executor(NULL, cpu_bound, arg));
 *
 * Threads: executor functions and every *_threadsafe function may be called
 * from any thread; cio_run_in_executor, cio_to_thread and cio_getaddrinfo
 * from a loop's thread (they return futures of the current loop). Don't free
 * an executor while another thread may still submit to it.
 */
#ifndef CIO_EXECUTOR_H
#define CIO_EXECUTOR_H

#include "base.h"
#include "loop.h"
#include "task.h"

#ifdef __cplusplus
extern "C" {
#endif

struct addrinfo;

typedef struct cio_executor cio_executor;

/* A job body: runs on a worker thread. Its return value (>= 0, or a
 * negative errno) is the job future's result. It must not call loop-thread
 * functions of any loop; it may call the *_threadsafe ones. */
typedef intptr_t (*cio_job_fn)(void *arg);

/* Creates an executor with `nworkers` threads (0: the number of online
 * CPUs; at most 1024). Stores it in *out and returns 0, or -EINVAL, -ENOMEM,
 * -EAGAIN (threads could not be created). Any thread. */
CIO_API int cio_executor_new(cio_executor **out, unsigned nworkers);

/* concurrent.futures' shutdown(wait, cancel_futures). After it, new work is
 * refused with -ESHUTDOWN. cancel_futures: jobs still queued never run and
 * their futures complete with -ECANCELED (delivered through their loops).
 * Otherwise queued jobs still run. wait: returns after every worker has
 * finished (running and, unless cancelled, queued jobs); otherwise returns
 * at once. Returns 0, -EINVAL for NULL, -EDEADLK when called with wait from
 * one of the executor's own workers. Any thread; idempotent. */
CIO_API int cio_executor_shutdown(cio_executor *ex, bool wait, bool cancel_futures);

/* Shuts down with wait and cancel_futures (running jobs finish, queued ones
 * complete with -ECANCELED) and frees the executor. Jobs' futures stay
 * valid: they live on their loops. Returns 0, -EINVAL, -EDEADLK (from a
 * worker of `ex`; nothing freed). Any thread. */
CIO_API int cio_executor_free(cio_executor *ex);

/* Number of worker threads. */
CIO_API unsigned cio_executor_workers(const cio_executor *ex);

/* asyncio loop.run_in_executor: runs fn(arg) on `ex` (NULL: the loop's
 * default executor, created on first use with one worker per online CPU and
 * freed with the loop). Returns a new reference to a future of the current
 * loop whose result is fn's return value. Jobs are handed to the executor
 * once per loop iteration (or every 256 jobs), so fn may not start before
 * the caller next yields to the loop (awaits, or returns from its callback).
 * Cancelling the future: a job
 * still queued is removed and never runs; a running job's future completes
 * at once with -ECANCELED and cio_job_cancelled() turns true inside fn, whose
 * late result is discarded. Failed futures: -EPERM without a current loop,
 * -EINVAL for NULL fn, -ESHUTDOWN after shutdown, -ENOMEM. Loop thread. */
CIO_API cio_future *cio_run_in_executor(cio_executor *ex, cio_job_fn fn, void *arg);

/* asyncio.to_thread: cio_run_in_executor(NULL, fn, arg). */
CIO_API cio_future *cio_to_thread(cio_job_fn fn, void *arg);

/* Inside a job: true once its future was cancelled (poll it to stop early).
 * False outside jobs. Worker threads. */
CIO_API bool cio_job_cancelled(void);

/* Makes `ex` the default executor of `loop` (used when NULL is passed); the
 * loop takes ownership and frees it with itself. Returns 0, -EINVAL, or
 * -EBUSY when the loop already has a default executor. Loop thread (or
 * before the loop runs). */
CIO_API int cio_loop_set_default_executor(cio_loop *loop, cio_executor *ex);

/* ---- thread-safe entry into a loop ------------------------------------------ */

/* asyncio loop.call_soon_threadsafe: schedules fn(arg) on `loop`'s thread,
 * on its next iteration, waking it if it sleeps. Calls from one thread run in
 * the order made. Returns 0, -EINVAL, or -ENOMEM. Any thread, as long as the
 * loop is not being freed (cio_loop_free refuses while calls are queued). */
CIO_API int cio_loop_call_soon_threadsafe(cio_loop *loop, cio_callback fn, void *arg);

/* asyncio.run_coroutine_threadsafe, awaitable form: starts fn(arg) as a task
 * on `loop` (another loop, run by another thread) and returns a new reference
 * to a future of the *calling* loop that completes with the task's result.
 * Cancelling that future completes it at once with -ECANCELED and cancels
 * the remote task. Failed futures: -EPERM without a current loop, -EINVAL
 * for NULL arguments or loop == the current loop, -ENOMEM. Loop thread (of
 * the calling loop). */
CIO_API cio_future *cio_spawn_threadsafe(cio_loop *loop, cio_task_fn fn, void *arg);

/* asyncio.run_coroutine_threadsafe(...).result(): from a thread that is not
 * running `loop`, starts fn(arg) as a task on `loop` and blocks until it
 * finishes. Returns the task's result, or -EINVAL, -ENOMEM, -EDEADLK (called
 * on the thread running `loop`). `loop` must be running (or run later) on
 * another thread. Any thread. */
CIO_API intptr_t cio_run_threadsafe(cio_loop *loop, cio_task_fn fn, void *arg);

/* How other threads wake a sleeping loop. EVENTFD: a poll on an eventfd is
 * kept in the ring while the loop sleeps and workers write the eventfd.
 * MSG_RING: workers post a CQE straight into the loop's ring with
 * IORING_OP_MSG_RING (kernel >= 6.13: without a ring of their own, via
 * IORING_REGISTER_SEND_MSG_RING; older: from a small per-thread ring). AUTO
 * picks the measured default (see docs/executor.md). */
enum cio_wakeup_mode {
    CIO_WAKEUP_AUTO = 0,
    CIO_WAKEUP_EVENTFD,
    CIO_WAKEUP_MSG_RING,
};

/* Selects the wakeup of `loop`. Returns 0, -EINVAL, -EOPNOTSUPP (MSG_RING
 * not supported by this kernel), -EBUSY while other threads owe the loop
 * results, or -errno from eventfd(). Loop thread, or before the loop runs. */
CIO_API int cio_loop_set_wakeup(cio_loop *loop, enum cio_wakeup_mode mode);

/* The wakeup mode in effect (never AUTO). */
CIO_API enum cio_wakeup_mode cio_loop_wakeup(const cio_loop *loop);

/* ---- name resolution ---------------------------------------------------------- */

/* getaddrinfo(host, service, hints) on the loop's resolver pool (2 threads,
 * separate from every executor, so slow DNS never starves CPU jobs). The
 * strings and hints are copied. Result: a `struct addrinfo *` cast to
 * intptr_t, which the caller frees with freeaddrinfo(); or a negative errno
 * mapped from EAI_*: NONAME, NODATA, ADDRFAMILY -> -ENOENT; AGAIN -> -EAGAIN;
 * FAIL -> -EIO; MEMORY -> -ENOMEM; FAMILY -> -EAFNOSUPPORT; SOCKTYPE ->
 * -ESOCKTNOSUPPORT; SERVICE -> -ESRCH; BADFLAGS -> -EINVAL; OVERFLOW ->
 * -EOVERFLOW; SYSTEM -> -errno; others -> -EIO. A cancelled or abandoned
 * lookup frees its own result. Failed futures: -EPERM without a current
 * loop, -EINVAL when host and service are both NULL, -ENOMEM. Loop thread. */
CIO_API cio_future *cio_getaddrinfo(const char *host, const char *service, const struct addrinfo *hints);

#ifdef __cplusplus
}
#endif
#endif
