/* base/heap.h — array-backed 4-ary min-heap of intrusive nodes, ordered by
 * (key, seq): equal keys pop in insertion order. The array holds each
 * node's key beside its pointer, so sifting compares keys without touching
 * the nodes (100,000 timers are 100,000 scattered records); a node's seq is
 * read only to break a tie. Four children per node halve the depth, and
 * their keys share a cache line or two. Each node remembers its slot, so
 * removal is O(log n) too.
 */
#ifndef CIO_BASE_HEAP_H
#define CIO_BASE_HEAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct cio__heap_node {
    uint64_t key;   /* e.g. a deadline in ns; set before push, not changed while in the heap */
    uint64_t seq;   /* assigned on insert; breaks ties in FIFO order */
    size_t index;   /* slot in the heap; SIZE_MAX when not in a heap */
} cio__heap_node;

typedef struct cio__heap_entry {
    uint64_t key;   /* a copy of node->key */
    cio__heap_node *node;
} cio__heap_entry;

typedef struct cio__heap {
    cio__heap_entry *e;
    size_t len, cap;
    uint64_t next_seq;
} cio__heap;

void cio__heap_init(cio__heap *h);
void cio__heap_free(cio__heap *h);
/* Inserts `n` (key already set). Returns 0 or -ENOMEM. */
int cio__heap_push(cio__heap *h, cio__heap_node *n);
/* Removes `n` if it is in the heap (no-op otherwise). */
void cio__heap_remove(cio__heap *h, cio__heap_node *n);
static inline cio__heap_node *cio__heap_min(const cio__heap *h) { return h->len ? h->e[0].node : NULL; }
static inline int cio__heap_node_linked(const cio__heap_node *n) { return n->index != SIZE_MAX; }

#endif
