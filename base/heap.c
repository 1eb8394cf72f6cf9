/* base/heap.c — the timer min-heap (see heap.h). */
#include "common.h"
#include "heap.h"

static inline int less(const cio__heap_node *a, const cio__heap_node *b)
{
    return a->key < b->key || (a->key == b->key && a->seq < b->seq);
}

static inline void place(cio__heap *h, size_t i, cio__heap_node *n)
{
    h->nodes[i] = n;
    n->index = i;
}

static void sift_up(cio__heap *h, size_t i, cio__heap_node *n)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!less(n, h->nodes[parent]))
            break;
        place(h, i, h->nodes[parent]);
        i = parent;
    }
    place(h, i, n);
}

static void sift_down(cio__heap *h, size_t i, cio__heap_node *n)
{
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= h->len)
            break;
        if (child + 1 < h->len && less(h->nodes[child + 1], h->nodes[child]))
            child++;
        if (!less(h->nodes[child], n))
            break;
        place(h, i, h->nodes[child]);
        i = child;
    }
    place(h, i, n);
}

void cio__heap_init(cio__heap *h)
{
    h->nodes = NULL;
    h->len = h->cap = 0;
    h->next_seq = 0;
}

void cio__heap_free(cio__heap *h)
{
    cio__free(h->nodes);
    cio__heap_init(h);
}

int cio__heap_push(cio__heap *h, cio__heap_node *n)
{
    if (h->len == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        cio__heap_node **nodes = cio__realloc(h->nodes, cap * sizeof(*nodes));
        if (!nodes)
            return -ENOMEM;
        h->nodes = nodes;
        h->cap = cap;
    }
    n->seq = h->next_seq++;
    sift_up(h, h->len++, n);
    return 0;
}

void cio__heap_remove(cio__heap *h, cio__heap_node *n)
{
    size_t i = n->index;
    if (i == SIZE_MAX)
        return;
    n->index = SIZE_MAX;
    cio__heap_node *last = h->nodes[--h->len];
    if (last == n)
        return;
    if (i > 0 && less(last, h->nodes[(i - 1) / 2]))
        sift_up(h, i, last);
    else
        sift_down(h, i, last);
}
