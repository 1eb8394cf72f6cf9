/* coro/ctx.h — the raw context backend (assembly or ucontext): no
 * annotations, just registers and stack pointers. Exactly one backend file
 * is compiled in. Internal to coro/.
 */
#ifndef CIO_CORO_CTX_H
#define CIO_CORO_CTX_H

#include "coro.h"

/* The first function every coroutine runs (coro.c); it calls c->entry(c->arg). */
CIO_HIDDEN __attribute__((noreturn)) void cio__coro_start(void *c);

/* Builds the initial context of `c` so that switching to it calls
 * cio__coro_start(c). Returns 0 or -ENOMEM. */
CIO_HIDDEN int cio__ctx_make(cio__coro *c);
CIO_HIDDEN int cio__ctx_init_thread(cio__coro *c);
CIO_HIDDEN void cio__ctx_raw_switch(cio__coro *from, cio__coro *to);
CIO_HIDDEN void cio__ctx_destroy(cio__coro *c);

#endif
