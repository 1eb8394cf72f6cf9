/* base/slab.c — the object pools (see slab.h).
 *
 * Invariants: a chunk is on the `partial` list exactly when it has a free
 * or never-used object; `used` counts its objects handed out; a spare has
 * used == 0, is on neither list, and its `link` is in the pool's spares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "slab.h"

/* The header, rounded up to a cache line. */
#define FIRST_OFFSET ((sizeof(cio__slab_chunk) + 63) & ~(size_t)63)

void cio__slab_init(cio__slab *s, size_t size)
{
    memset(s, 0, sizeof(*s));
    s->size = (size + 15) & ~(size_t)15;
    cio__list_init(&s->partial);
    cio__list_init(&s->all);
    cio__list_init(&s->spares);
}

static void chunk_reset(cio__slab *s, cio__slab_chunk *c)
{
    c->free = NULL;
    c->fresh = (char *)c + FIRST_OFFSET;
    c->end = c->fresh + (CIO__SLAB_CHUNK - FIRST_OFFSET) / s->size * s->size;
    c->used = 0;
    cio__list_init(&c->link);
    cio__list_init(&c->all);
}

/* 2 MiB-aligned memory of our own: map twice that, unmap the slack. With
 * the default allocator, so that a chunk given back leaves the process
 * (glibc keeps large blocks it serves from its heap after raising its mmap
 * threshold) and huge-page advice never lands on memory malloc reuses. */
static void *map_aligned(void)
{
    size_t len = 2 * CIO__SLAB_CHUNK;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    char *at = (char *)(((uintptr_t)p + CIO__SLAB_CHUNK - 1) & ~(uintptr_t)(CIO__SLAB_CHUNK - 1));
    if (at > p)
        munmap(p, (size_t)(at - p));
    if (at + CIO__SLAB_CHUNK < p + len)
        munmap(at + CIO__SLAB_CHUNK, (size_t)(p + len - (at + CIO__SLAB_CHUNK)));
    return at;
}

static cio__slab_chunk *chunk_new(cio__slab *s)
{
    void *raw = NULL, *at;
    if (cio__alloc_is_default()) {
        if (!(at = map_aligned()))
            return NULL;
#ifdef MADV_HUGEPAGE
        if (s->nchunks > 0)
            madvise(at, CIO__SLAB_CHUNK, MADV_HUGEPAGE); /* advice only: failure changes nothing */
#endif
    } else {
        if (!(raw = cio__malloc(2 * CIO__SLAB_CHUNK))) /* room to align; the slack is never touched */
            return NULL;
        at = (void *)(((uintptr_t)raw + CIO__SLAB_CHUNK - 1) & ~(uintptr_t)(CIO__SLAB_CHUNK - 1));
    }
    cio__slab_chunk *c = at;
    chunk_reset(s, c);
    c->raw = raw;
    c->owner = s;
    s->nchunks++;
    return c;
}

static void chunk_release(cio__slab *s, cio__slab_chunk *c)
{
    cio__list_remove(&c->link);
    cio__list_remove(&c->all);
    s->nchunks--;
    if (c->raw)
        cio__free(c->raw);
    else
        munmap(c, CIO__SLAB_CHUNK);
}

/* A chunk for a pool with no partial one: the newest spare, else a new one. */
static CIO_COLD cio__slab_chunk *chunk_refill(cio__slab *s)
{
    cio__slab_chunk *c;
    if (s->nspares) {
        c = cio__container_of(s->spares.next, cio__slab_chunk, link);
        cio__list_remove(&c->link);
        s->nspares--;
    } else if (!(c = chunk_new(s))) {
        return NULL;
    }
    cio__list_push_back(&s->partial, &c->link);
    cio__list_push_back(&s->all, &c->all);
    return c;
}

/* A chunk with room: the first partial one, else chunk_refill's. */
static inline cio__slab_chunk *chunk_with_room(cio__slab *s)
{
    if (cio__likely(!cio__list_empty(&s->partial)))
        return cio__container_of(s->partial.next, cio__slab_chunk, link);
    return chunk_refill(s);
}

void *cio__slab_alloc_slow(cio__slab *s)
{
    cio__slab_chunk *c = chunk_with_room(s);
    if (!c)
        return NULL;
    void *p = c->free;
    if (p) {
        c->free = cio__slab_link_get(p);
    } else {
        p = c->fresh;
        c->fresh += s->size;
    }
    c->used++;
    if (!c->free && c->fresh == c->end)
        cio__list_remove(&c->link); /* full: self-linked */
    return p;
}

void cio__slab_check_owner(const cio__slab *s, const void *p)
{
    if (cio__slab_chunk_of(p)->owner != s) {
        fprintf(stderr, "cio: internal error: object %p freed to a %zu-byte pool it does not come from\n", p, s->size);
        abort();
    }
}

bool cio__slab_free_slow(cio__slab *s, void *p)
{
    cio__slab_chunk *c = cio__slab_chunk_of(p);
    cio__slab_link_set(p, c->free);
    c->free = p;
    if (cio__list_empty(&c->link)) /* was full: serves the next allocations */
        cio__list_insert_before(s->partial.next, &c->link);
    if (--c->used > 0)
        return false;
    cio__list_remove(&c->link);
    cio__list_remove(&c->all);
    chunk_reset(s, c);
    cio__list_insert_before(s->spares.next, &c->link);
    s->nspares++;
    return true;
}

bool cio__slab_flush(cio__slab *s)
{
    void *p = s->hot;
    s->hot = NULL;
    return p && cio__slab_free_slow(s, p);
}

void cio__slab_trim(cio__slab *s, size_t keep)
{
    cio__slab_flush(s);
    while (s->nspares > keep) {
        chunk_release(s, cio__container_of(s->spares.prev, cio__slab_chunk, link)); /* the oldest */
        s->nspares--;
    }
}

void cio__slab_destroy(cio__slab *s)
{
    cio__slab_trim(s, 0);
    while (!cio__list_empty(&s->all))
        chunk_release(s, cio__container_of(s->all.next, cio__slab_chunk, all));
}
