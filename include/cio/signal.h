/* cio/signal.h — POSIX signals as loop events, through signalfd on io_uring.
 *
 * A signal handled by cio is blocked in the calling thread (pthread_sigmask)
 * so that it queues for the signalfd instead of running its default action.
 * It stays blocked afterwards: a later delivery stays pending until the next
 * wait picks it up. Process-directed signals (kill(2), the terminal's ^C)
 * reach the loop as long as every thread of the process blocks them; call
 * cio_signal_block() before starting other threads. Loop thread only.
 */
#ifndef CIO_SIGNAL_H
#define CIO_SIGNAL_H

#include <signal.h>
#include "base.h"
#include "loop.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Blocks `signo` in the calling thread (threads started afterwards inherit
 * the mask). Returns 0 or -EINVAL. Thread-safe. */
CIO_API int cio_signal_block(int signo);

/* A future that completes with the signal number when one of `set`
 * arrives (the set is blocked in this thread first). Cancellable; takes a
 * deadline through cio_with_timeout. Returns a new reference, or a failed
 * future (-EINVAL empty/NULL set, -EPERM no current loop, -EMFILE...). */
CIO_API cio_future *cio_signal_wait(const sigset_t *set);

/* cio_signal_wait for one signal. */
CIO_API cio_future *cio_signal_wait_one(int signo);

typedef struct cio_signal_handler cio_signal_handler;

/* asyncio's add_signal_handler: calls fn(arg) from the loop (as a loop
 * callback, never inside a real signal handler) every time `signo` arrives.
 * Implemented as a small detached task, so cio_run's shutdown cancels it.
 * Returns the handler (NULL on -ENOMEM / no current loop / bad signo). */
CIO_API cio_signal_handler *cio_signal_handler_add(int signo, cio_callback fn, void *arg);

/* Removes a handler (safe from inside its own callback). Its memory is
 * returned once its task has ended. */
CIO_API void cio_signal_handler_remove(cio_signal_handler *h);

#ifdef __cplusplus
}
#endif
#endif
