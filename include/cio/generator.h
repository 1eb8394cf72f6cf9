/* cio/generator.h — generators and greenlets: explicit switching between
 * stackful coroutines (Python's yield/send and greenlet.switch).
 *
 * These coroutines are not tasks: a switch runs the other coroutine at once,
 * on the same thread, without the event loop (no loop is needed at all), and
 * they may not await (CIO_AWAIT inside one fails with -EPERM). They may be
 * used from plain code or from inside a task. Each has its own mmap'd stack
 * with a guard page. Not thread-safe: a coroutine belongs to the thread that
 * made it.
 */
#ifndef CIO_GENERATOR_H
#define CIO_GENERATOR_H

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- greenlets ---------------------------------------------------------------- */
typedef struct cio_greenlet cio_greenlet;

/* A greenlet body: `value` is what the first switch into it sent. Its return
 * value is sent to its parent, which the finished greenlet switches to. */
typedef intptr_t (*cio_greenlet_fn)(void *arg, intptr_t value);

/* A new greenlet, not started, whose parent is the calling greenlet (or the
 * thread/task that is not in a greenlet). stack_size 0: 128 KiB. NULL on
 * -ENOMEM or -EINVAL. */
CIO_API cio_greenlet *cio_greenlet_new(cio_greenlet_fn fn, void *arg, size_t stack_size);
/* Frees a greenlet that is not running. A suspended one is discarded
 * without unwinding its stack (C has no destructors to run). 0, or -EBUSY if
 * it is running or switched away from in a chain that must come back. */
CIO_API int cio_greenlet_free(cio_greenlet *g);
/* Switches to `g` (NULL: to the main context — the code that is not in any
 * greenlet), starting it if new, and passes `value` (the argument of a new
 * greenlet's body, or the return value of the switch that suspended it).
 * Returns the value passed by whoever switches back here. Switching to a
 * finished greenlet returns -EPIPE at once; to the current one returns
 * `value`. */
CIO_API intptr_t cio_greenlet_switch(cio_greenlet *g, intptr_t value);
/* The running greenlet, or NULL in the main context. */
CIO_API cio_greenlet *cio_greenlet_current(void);
CIO_API bool cio_greenlet_dead(const cio_greenlet *g);
/* The greenlet's parent (NULL: the main context). */
CIO_API cio_greenlet *cio_greenlet_parent(const cio_greenlet *g);

/* ---- generators ----------------------------------------------------------------- */
typedef struct cio_gen cio_gen;

/* A generator body: yields values with cio_gen_yield; its return value ends
 * the generation (Python's StopIteration value). */
typedef intptr_t (*cio_gen_fn)(cio_gen *g, void *arg);

/* A new generator, not started. NULL on -ENOMEM or -EINVAL. */
CIO_API cio_gen *cio_gen_new(cio_gen_fn fn, void *arg, size_t stack_size);
/* Frees a generator that is not running (a suspended body is discarded). */
CIO_API int cio_gen_free(cio_gen *g);
/* Resumes the body with `value` (the result of its pending cio_gen_yield;
 * ignored by the first send, which starts the body — like Python, send the
 * first one with 0). Returns 1 and stores the next yielded value in *out, or
 * 0 when the body returned (its return value in *out), or -EPIPE if it had
 * already finished, -EBUSY if called from inside the generator itself. `out`
 * may be NULL. */
CIO_API int cio_gen_send(cio_gen *g, intptr_t value, intptr_t *out);
/* cio_gen_send(g, 0, out): Python's next(). */
CIO_API int cio_gen_next(cio_gen *g, intptr_t *out);
/* Inside the body only: hands `value` to the sender and suspends; returns
 * the value of the next send. */
CIO_API intptr_t cio_gen_yield(cio_gen *g, intptr_t value);
CIO_API bool cio_gen_done(const cio_gen *g);

#ifdef __cplusplus
}
#endif
#endif
