/* base/slab.h — pools of equal-sized objects carved from 2 MiB chunks.
 *
 * Each chunk is 2 MiB-aligned memory, with its header at the start, so an
 * object finds its chunk by masking its address. With the default
 * allocator chunks are mmap'd (and unmapped when given back); with a
 * cio_set_allocator hook they come from the hook. A chunk hands out
 * never-used objects in address order, then reuses freed ones (its own free
 * list). When a chunk empties it becomes the pool's one spare and the
 * previous spare is given back, so a burst of objects does not stay
 * resident. From a pool's second chunk on, mmap'd chunks are advised as
 * huge pages: where page faults are expensive (paravirtualised MMUs) a new
 * 4 KiB page cost ~15 us, and one million tasks' records were 80,000 of
 * them. Not thread-safe: one pool per loop. Internal.
 */
#ifndef CIO_BASE_SLAB_H
#define CIO_BASE_SLAB_H

#include "common.h"
#include "list.h"

#define CIO__SLAB_CHUNK ((size_t)2 << 20)

typedef struct cio__slab_chunk cio__slab_chunk;

typedef struct cio__slab {
    size_t size;              /* bytes per object: a multiple of 16 (the callers use <= 512) */
    cio__list partial;        /* chunks with room; the first serves allocations */
    cio__list all;            /* every chunk held but the spare */
    cio__slab_chunk *spare;   /* an empty chunk kept for the next growth */
    size_t nchunks;           /* chunks held, the spare included */
} cio__slab;

/* Prepares an empty pool of `size`-byte objects (rounded up to 16). */
CIO_HIDDEN void cio__slab_init(cio__slab *s, size_t size);
/* Gives every chunk back. Objects still allocated die with them. */
CIO_HIDDEN void cio__slab_destroy(cio__slab *s);
/* An uninitialised object, or NULL when the hook has no memory. */
CIO_HIDDEN void *cio__slab_alloc(cio__slab *s);
/* Returns an object of this pool. */
CIO_HIDDEN void cio__slab_free(cio__slab *s, void *p);

#endif
