/* base/list.h — intrusive circular doubly-linked list (header-only).
 * A node is its own empty list when linked to itself; unlinked nodes are kept
 * self-linked so removal is idempotent. (One exception, documented where it
 * is: an op's `node` goes stale when flush_queued cuts a run of ops off the
 * pending list at once.)
 */
#ifndef CIO_BASE_LIST_H
#define CIO_BASE_LIST_H

#include <stdbool.h>

typedef struct cio__list {
    struct cio__list *next, *prev;
} cio__list;

static inline void cio__list_init(cio__list *l) { l->next = l->prev = l; }
static inline bool cio__list_empty(const cio__list *l) { return l->next == l; }

static inline void cio__list_insert_before(cio__list *pos, cio__list *n)
{
    n->prev = pos->prev;
    n->next = pos;
    pos->prev->next = n;
    pos->prev = n;
}

static inline void cio__list_push_back(cio__list *l, cio__list *n) { cio__list_insert_before(l, n); }

static inline void cio__list_remove(cio__list *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->next = n->prev = n;
}

static inline cio__list *cio__list_pop_front(cio__list *l)
{
    cio__list *n = l->next;
    if (n == l)
        return NULL;
    cio__list_remove(n);
    return n;
}

#define cio__list_for_each(pos, head) for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

#endif
