/* base/alloc.c — the one replaceable allocation hook all of cio goes through. */
#include <stdlib.h>
#include "common.h"

static cio_allocator g_alloc = { malloc, calloc, realloc, free };

int cio_set_allocator(const cio_allocator *a)
{
    if (!a)
        return cio__misuse(-EINVAL, "allocator is NULL");
    g_alloc.malloc_fn = a->malloc_fn ? a->malloc_fn : malloc;
    g_alloc.calloc_fn = a->calloc_fn ? a->calloc_fn : calloc;
    g_alloc.realloc_fn = a->realloc_fn ? a->realloc_fn : realloc;
    g_alloc.free_fn = a->free_fn ? a->free_fn : free;
    return 0;
}

bool cio__alloc_is_default(void) { return g_alloc.malloc_fn == malloc; }

void *cio__malloc(size_t size) { return g_alloc.malloc_fn(size); }
void *cio__calloc(size_t count, size_t size) { return g_alloc.calloc_fn(count, size); }
void *cio__realloc(void *ptr, size_t size) { return g_alloc.realloc_fn(ptr, size); }
void cio__free(void *ptr)
{
    if (ptr)
        g_alloc.free_fn(ptr);
}
