/* base/heap.c — the timer min-heap (see heap.h). Slot i's children are
 * 4i+1 .. 4i+4, its parent (i-1)/4. */
#include "common.h"
#include "heap.h"

#define ARITY 4

static inline bool less(cio__heap_entry a, cio__heap_entry b)
{
    return a.key < b.key || (a.key == b.key && a.node->seq < b.node->seq);
}

static inline void place(cio__heap *h, size_t i, cio__heap_entry x)
{
    h->e[i] = x;
    x.node->index = i;
}

static void sift_up(cio__heap *h, size_t i, cio__heap_entry x)
{
    while (i > 0) {
        size_t parent = (i - 1) / ARITY;
        if (!less(x, h->e[parent]))
            break;
        place(h, i, h->e[parent]);
        i = parent;
    }
    place(h, i, x);
}

/* The least of slot i's children, or 0 when it has none. */
static inline size_t least_child(const cio__heap *h, size_t i)
{
    size_t first = ARITY * i + 1;
    if (first >= h->len)
        return 0;
    size_t last = first + ARITY < h->len ? first + ARITY : h->len, best = first;
    for (size_t c = first + 1; c < last; c++)
        if (less(h->e[c], h->e[best]))
            best = c;
    return best;
}

static void sift_down(cio__heap *h, size_t i, cio__heap_entry x)
{
    size_t c;
    while ((c = least_child(h, i)) && less(h->e[c], x)) {
        place(h, i, h->e[c]);
        i = c;
    }
    place(h, i, x);
}

void cio__heap_init(cio__heap *h)
{
    h->e = NULL;
    h->len = h->cap = 0;
    h->next_seq = 0;
}

void cio__heap_free(cio__heap *h)
{
    cio__free(h->e);
    cio__heap_init(h);
}

int cio__heap_push(cio__heap *h, cio__heap_node *n)
{
    if (h->len == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        cio__heap_entry *e = cio__realloc(h->e, cap * sizeof(*e));
        if (!e)
            return -ENOMEM;
        h->e = e;
        h->cap = cap;
    }
    n->seq = h->next_seq++;
    sift_up(h, h->len++, (cio__heap_entry){ n->key, n });
    return 0;
}

void cio__heap_remove(cio__heap *h, cio__heap_node *n)
{
    size_t i = n->index;
    if (i == SIZE_MAX)
        return;
    n->index = SIZE_MAX;
    cio__heap_entry last = h->e[--h->len];
    if (last.node == n)
        return;
    if (i > 0 && less(last, h->e[(i - 1) / ARITY]))
        sift_up(h, i, last);
    else
        sift_down(h, i, last);
}
