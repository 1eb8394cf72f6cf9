/* future/queue_store.h — the item storage behind cio_queue: a growable ring
 * used as a deque (FIFO takes the front, LIFO the back) or a binary min-heap
 * on (priority, insertion order) for priority queues. Knows nothing about
 * waiting. Internal. */
#ifndef CIO_FUTURE_QUEUE_STORE_H
#define CIO_FUTURE_QUEUE_STORE_H

#include "base/common.h"
#include "cio/queue.h"

typedef struct cio__qentry {
    intptr_t item;
    int64_t prio;
    uint64_t seq;
} cio__qentry;

typedef struct cio__qstore {
    cio_queue_kind kind;
    cio__qentry *v;     /* ring (FIFO/LIFO) or heap (PRIORITY) */
    size_t cap, head, len;
    uint64_t seq;
} cio__qstore;

CIO_HIDDEN void cio__qstore_init(cio__qstore *s, cio_queue_kind kind);
CIO_HIDDEN void cio__qstore_free(cio__qstore *s);
/* 0 or -ENOMEM. */
CIO_HIDDEN int cio__qstore_push(cio__qstore *s, intptr_t item, int64_t prio);
/* Removes the next item by the queue's order; the store must not be empty. */
CIO_HIDDEN intptr_t cio__qstore_pop(cio__qstore *s);

#endif
