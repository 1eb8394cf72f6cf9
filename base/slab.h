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
 * resident only while the loop is busy. From a pool's second chunk on, mmap'd chunks are advised as
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
    cio__list all;            /* every chunk held but the spares */
    cio__list spares;         /* empty chunks kept for the next growth, newest first */
    size_t nspares;
    size_t nchunks;           /* chunks held, the spares included */
} cio__slab;

/* Prepares an empty pool of `size`-byte objects (rounded up to 16). */
CIO_HIDDEN void cio__slab_init(cio__slab *s, size_t size);
/* Gives every chunk back. Objects still allocated die with them. */
CIO_HIDDEN void cio__slab_destroy(cio__slab *s);
/* An uninitialised object, or NULL when the hook has no memory. */
CIO_HIDDEN void *cio__slab_alloc(cio__slab *s);
/* Returns an object of this pool. */
CIO_HIDDEN void cio__slab_free(cio__slab *s, void *p);
/* Gives back the spares beyond the `keep` most recently emptied. */
CIO_HIDDEN void cio__slab_trim(cio__slab *s, size_t keep);

#endif
