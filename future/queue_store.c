/* future/queue_store.c — ring deque and priority heap for cio_queue (see
 * queue_store.h). Invariant: ring entries are v[(head + i) % cap] for
 * i < len; heap entries are v[0 .. len) with v[0] the smallest. */
#include "queue_store.h"

void cio__qstore_init(cio__qstore *s, cio_queue_kind kind)
{
    *s = (cio__qstore){ .kind = kind };
}

void cio__qstore_free(cio__qstore *s)
{
    cio__free(s->v);
    s->v = NULL;
    s->cap = s->len = s->head = 0;
}

static int grow(cio__qstore *s)
{
    size_t cap = s->cap ? s->cap * 2 : 16;
    cio__qentry *v = cio__malloc(cap * sizeof(*v));
    if (!v)
        return -ENOMEM;
    for (size_t i = 0; i < s->len; i++) /* unwrap the ring (a heap has head 0) */
        v[i] = s->v[(s->head + i) & (s->cap - 1)];
    cio__free(s->v);
    s->v = v;
    s->cap = cap;
    s->head = 0;
    return 0;
}

static bool less(const cio__qentry *a, const cio__qentry *b)
{
    return a->prio < b->prio || (a->prio == b->prio && a->seq < b->seq);
}

static void heap_up(cio__qentry *v, size_t i)
{
    cio__qentry e = v[i];
    while (i > 0 && less(&e, &v[(i - 1) / 2])) {
        v[i] = v[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    v[i] = e;
}

static void heap_down(cio__qentry *v, size_t n, size_t i)
{
    cio__qentry e = v[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && less(&v[c + 1], &v[c]))
            c++;
        if (!less(&v[c], &e))
            break;
        v[i] = v[c];
        i = c;
    }
    v[i] = e;
}

int cio__qstore_push(cio__qstore *s, intptr_t item, int64_t prio)
{
    if (s->len == s->cap && grow(s) < 0)
        return -ENOMEM;
    cio__qentry e = { item, prio, s->seq++ };
    if (s->kind == CIO_QUEUE_PRIORITY) {
        s->v[s->len] = e;
        heap_up(s->v, s->len++);
    } else {
        s->v[(s->head + s->len++) & (s->cap - 1)] = e;
    }
    return 0;
}

intptr_t cio__qstore_pop(cio__qstore *s)
{
    intptr_t item;
    if (s->kind == CIO_QUEUE_PRIORITY) {
        item = s->v[0].item;
        s->v[0] = s->v[--s->len];
        if (s->len)
            heap_down(s->v, s->len, 0);
    } else if (s->kind == CIO_QUEUE_LIFO) {
        item = s->v[(s->head + --s->len) & (s->cap - 1)].item;
    } else {
        item = s->v[s->head].item;
        s->head = (s->head + 1) & (s->cap - 1);
        s->len--;
    }
    return item;
}
