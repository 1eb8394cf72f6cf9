/* base/slab.h — pools of equal-sized objects carved from 2 MiB chunks.
 *
 * Each chunk is 2 MiB-aligned memory, with its header at the start, so an
 * object finds its chunk by masking its address. With the default
 * allocator chunks are mmap'd (and unmapped when given back); with a
 * cio_set_allocator hook they come from the hook. A chunk hands out
 * never-used objects in address order, then reuses freed ones (its own free
 * list). A chunk that empties becomes a spare, reused (most recent first)
 * before new memory is mapped; cio__slab_trim gives spares back, and the
 * loop calls it whenever it is about to wait, so a burst of objects stays
 * resident only while the loop is busy. From a pool's second chunk on,
 * mmap'd chunks are advised as huge pages: where page faults are expensive
 * (paravirtualised MMUs) a new 4 KiB page cost ~15 us, and one million
 * tasks' records were 80,000 of them. Allocating and freeing are inline
 * while the first partial chunk's free list serves.
 *
 * The object freed last waits in a slot of its own (`hot`) and serves the
 * next allocation without its chunk being touched: the usual pattern is a
 * task freeing the future it awaited and allocating the next one straight
 * after (16 instructions fewer per io_uring no-op round trip). The slot's
 * object still counts as used in its chunk until cio__slab_flush puts it
 * back, so a chunk becomes a spare only then; cio__slab_trim flushes
 * first. Not thread-safe: one pool per loop. Internal.
 */
#ifndef CIO_BASE_SLAB_H
#define CIO_BASE_SLAB_H

#include <string.h>
#include "common.h"
#include "list.h"

#define CIO__SLAB_CHUNK ((size_t)2 << 20)

typedef struct cio__slab cio__slab;

/* The header at the start of each chunk. */
typedef struct cio__slab_chunk {
    cio__list link;    /* in the pool's partial list (self-linked when full) or spares */
    cio__list all;     /* in the pool's list of chunks */
    void *raw;         /* what the allocation hook returned, or NULL: mmap'd */
    void *free;        /* freed objects, each holding the next */
    char *fresh, *end; /* never-used objects: [fresh, end) */
    size_t used;
    cio__slab *owner;  /* checked in debug builds */
} cio__slab_chunk;

struct cio__slab {
    size_t size;              /* bytes per object: a multiple of 16 (the callers use <= 512) */
    cio__list partial;        /* chunks with room; the first serves allocations */
    cio__list all;            /* every chunk held but the spares */
    cio__list spares;         /* empty chunks kept for the next growth, newest first */
    size_t nspares;
    size_t nchunks;           /* chunks held, the spares included */
    void *hot;                /* freed last, not yet back in its chunk (or NULL) */
};

/* Prepares an empty pool of `size`-byte objects (rounded up to 16). */
CIO_HIDDEN void cio__slab_init(cio__slab *s, size_t size);
/* Gives every chunk back. Objects still allocated die with them. */
CIO_HIDDEN void cio__slab_destroy(cio__slab *s);
/* Gives back the spares beyond the `keep` most recently emptied. */
CIO_HIDDEN void cio__slab_trim(cio__slab *s, size_t keep);
/* Puts the slot's object back in its chunk; true when that made the chunk
 * a spare. */
CIO_HIDDEN bool cio__slab_flush(cio__slab *s);
/* Debug builds: aborts with a message unless `p` comes from `s`. */
CIO_HIDDEN void cio__slab_check_owner(const cio__slab *s, const void *p);
/* The out-of-line halves of cio__slab_alloc / cio__slab_free. */
CIO_HIDDEN void *cio__slab_alloc_slow(cio__slab *s);
CIO_HIDDEN bool cio__slab_free_slow(cio__slab *s, void *p);

/* A free object's first word links to the next free one. Read and written
 * with memcpy: the same memory is a future or a task of another type
 * before and after, and LTO inlines these into code using those types. */
static inline void *cio__slab_link_get(const void *p)
{
    void *next;
    memcpy(&next, p, sizeof(next));
    return next;
}
static inline void cio__slab_link_set(void *p, void *next) { memcpy(p, &next, sizeof(next)); }

static inline cio__slab_chunk *cio__slab_chunk_of(const void *p)
{
    return (cio__slab_chunk *)((uintptr_t)p & ~(uintptr_t)(CIO__SLAB_CHUNK - 1));
}

/* An uninitialised object, or NULL when the hook has no memory. Inline:
 * the slot, else the first partial chunk's free list; the rest out of line. */
static inline void *cio__slab_alloc(cio__slab *s)
{
    void *p = s->hot;
    if (cio__likely(p != NULL)) {
        s->hot = NULL;
        return p;
    }
    if (cio__likely(!cio__list_empty(&s->partial))) {
        cio__slab_chunk *c = cio__container_of(s->partial.next, cio__slab_chunk, link);
        p = c->free;
        if (cio__likely(p != NULL)) {
            void *next = cio__slab_link_get(p);
            c->free = next;
            c->used++;
            if (cio__unlikely(!next && c->fresh == c->end))
                cio__list_remove(&c->link); /* full: self-linked */
            return p;
        }
    }
    return cio__slab_alloc_slow(s);
}

/* Returns an object of this pool; true when that made its chunk a spare
 * (something for cio__slab_trim). Into the slot when it is empty, else
 * the slot's object goes back to its chunk's free list: inline unless
 * that chunk was full or empties (or in debug builds, which check the
 * owner). */
static inline bool cio__slab_free(cio__slab *s, void *p)
{
#ifdef CIO_DEBUG
    cio__slab_check_owner(s, p);
#endif
    void *older = s->hot;
    s->hot = p;
    if (cio__likely(older == NULL))
        return false;
    p = older;
#ifndef CIO_DEBUG
    cio__slab_chunk *c = cio__slab_chunk_of(p);
    if (cio__likely(c->used > 1 && !cio__list_empty(&c->link))) {
        cio__slab_link_set(p, c->free);
        c->free = p;
        c->used--;
        return false;
    }
#endif
    return cio__slab_free_slow(s, p);
}

#endif
