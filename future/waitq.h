/* future/waitq.h — FIFO wait lists of waiter futures, the building block of
 * every sync primitive, queue, pool and group in this layer.
 *
 * A waiter is a future that sits on at most one wait list. The list holds no
 * reference: dropping the last reference to a pending waiter unlinks it, so
 * a waiter nobody awaits leaves no trace. Cancelling a waiter (directly, by
 * its task being cancelled, or by its deadline) unlinks it and completes it
 * with -ECANCELED (-ETIMEDOUT for the deadline) unless its `on_cancel` hook
 * says otherwise. A primitive hands a wake-up over by completing the waiter
 * (cio__waiter_complete): once done, the waiter owns what it was given, so a
 * later cancellation cannot swallow it. Internal.
 */
#ifndef CIO_FUTURE_WAITQ_H
#define CIO_FUTURE_WAITQ_H

#include "internal.h"

typedef struct cio__waitq {
    cio__list head;
    size_t len;
} cio__waitq;

typedef struct cio__waiter cio__waiter;
struct cio__waiter {
    cio_future fut;            /* first: a waiter is a future */
    cio__list link;            /* in q->head while linked */
    cio__waitq *q;             /* NULL while not linked */
    cio__timer timer;          /* the deadline, when armed */
    intptr_t val;              /* payload: an item, a stored result, ... */
    int64_t aux;               /* second payload (a priority) */
    void *obj;                 /* the primitive waited on */
    /* NULL: unlink and complete with -ECANCELED. Otherwise decides itself. */
    void (*on_cancel)(cio__waiter *w);
};

static inline void cio__waitq_init(cio__waitq *q)
{
    cio__list_init(&q->head);
    q->len = 0;
}
static inline bool cio__waitq_empty(const cio__waitq *q) { return q->len == 0; }

/* A new pending waiter on the current loop for `obj`, not linked, with a
 * deadline `timeout_ns` from now (CIO_NO_TIMEOUT: none). NULL with *err set
 * (-EPERM without a loop, -ENOMEM). */
CIO_HIDDEN cio__waiter *cio__waiter_new(void *obj, uint64_t timeout_ns, int *err);
CIO_HIDDEN void cio__waitq_push(cio__waitq *q, cio__waiter *w);
/* Unlinks and returns the first waiter, or NULL. */
CIO_HIDDEN cio__waiter *cio__waitq_pop(cio__waitq *q);
/* Unlinks `w` from its list (no-op when not linked). */
CIO_HIDDEN void cio__waiter_unlink(cio__waiter *w);
/* Unlinks `w`, disarms its deadline and completes it with `result`. */
CIO_HIDDEN void cio__waiter_complete(cio__waiter *w, intptr_t result);
/* Disarms the deadline only (the wait has succeeded; finishing remains). */
CIO_HIDDEN void cio__waiter_disarm(cio__waiter *w);
/* Completes every waiter on `q` with `result`, in FIFO order. */
CIO_HIDDEN void cio__waitq_fail_all(cio__waitq *q, intptr_t result);

/* The immortal future already done with result 0 (uncontended fast paths). */
CIO_HIDDEN cio_future *cio__future_ok(void);
/* A future already done with `value` on the current loop (a failed static
 * future on error). */
CIO_HIDDEN cio_future *cio__future_value(intptr_t value);
/* A failed future for any errno (static when the core has one, else
 * allocated on the current loop). */
CIO_HIDDEN cio_future *cio__future_error(int err);

#endif
