/* future/greenlet.c — greenlets: coroutines switched to explicitly.
 *
 * Invariant: `tls_current` is the greenlet running on this thread, NULL
 * when the main context (plain code or a task, not in any greenlet) runs.
 * While a greenlet runs, the main context is suspended inside the
 * cio_greenlet_switch that left it, with its saved registers in a cio__coro
 * on its own stack (`tls_main`) and the thread's current task cleared, so
 * an await inside a greenlet fails cleanly instead of parking the host task.
 */
#include <sys/mman.h>
#include <unistd.h>
#include "coro/sanitizer.h"
#include "greenlet.h"
#include "internal.h"
#ifdef CIO_ASAN
#include <sanitizer/asan_interface.h>
#endif

enum { GL_NEW, GL_SUSPENDED, GL_RUNNING, GL_DEAD };

struct cio_greenlet {
    cio__coro coro;
    char *map;
    size_t map_len;
    cio_greenlet_fn fn;
    void *arg;
    cio_greenlet *parent;
    int state;
};

static CIO_TLS cio_greenlet *tls_current;
static CIO_TLS cio__coro *tls_main;
static CIO_TLS intptr_t tls_xfer;

cio_greenlet *cio_greenlet_current(void) { return tls_current; }
bool cio_greenlet_dead(const cio_greenlet *g) { return !g || g->state == GL_DEAD; }
cio_greenlet *cio_greenlet_parent(const cio_greenlet *g) { return g ? g->parent : NULL; }

void cio__greenlet_set_parent(cio_greenlet *g, cio_greenlet *parent) { g->parent = parent; }

/* Hands control to `to` (NULL: main) from the greenlet `from` (never main). */
static __attribute__((noreturn)) void finish_to(cio_greenlet *from, cio_greenlet *to, intptr_t value)
{
    tls_current = to;
    tls_xfer = value;
    if (to)
        to->state = GL_RUNNING;
    cio__coro_exit(&from->coro, to ? &to->coro : tls_main);
}

static void greenlet_entry(void *arg)
{
    cio_greenlet *g = arg;
    intptr_t r = g->fn(g->arg, tls_xfer);
    g->state = GL_DEAD;
    cio_greenlet *p = g->parent;
    while (p && p->state == GL_DEAD)
        p = p->parent;
    finish_to(g, p, r);
}

cio_greenlet *cio_greenlet_new(cio_greenlet_fn fn, void *arg, size_t stack_size)
{
    if (!fn) {
        cio__misuse(-EINVAL, "greenlet function is NULL");
        return NULL;
    }
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t size = ((stack_size ? stack_size : 128 * 1024) + page - 1) & ~(page - 1);
    cio_greenlet *g = cio__calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    g->map_len = size + page;
    g->map = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (g->map == MAP_FAILED || mprotect(g->map, page, PROT_NONE) < 0 ||
        cio__coro_make(&g->coro, g->map + page, size, greenlet_entry, g) < 0) {
        if (g->map != MAP_FAILED)
            munmap(g->map, g->map_len);
        cio__free(g);
        return NULL;
    }
    g->coro.label = "greenlet";
    g->fn = fn;
    g->arg = arg;
    g->parent = tls_current;
    g->state = GL_NEW;
    return g;
}

int cio_greenlet_free(cio_greenlet *g)
{
    if (!g)
        return 0;
    if (g->state == GL_RUNNING)
        return cio__misuse(-EBUSY, "freeing the running greenlet");
    cio__coro_destroy(&g->coro);
#ifdef CIO_ASAN
    __asan_unpoison_memory_region(g->map, g->map_len); /* frames left suspended */
#endif
    munmap(g->map, g->map_len);
    cio__free(g);
    return 0;
}

/* Switching away from the main context: its registers go into a context on
 * this very stack frame, which stays alive until something switches back. */
static intptr_t switch_from_main(cio_greenlet *to, intptr_t value)
{
    cio__coro main_ctx;
    if (cio__coro_init_thread(&main_ctx) < 0)
        return -ENOMEM;
    cio__task *task = cio__task_set_current(NULL);
    cio__coro *saved = tls_main;
    tls_main = &main_ctx;
    tls_current = to;
    tls_xfer = value;
    to->state = GL_RUNNING;
    cio__coro_switch(&main_ctx, &to->coro);
    tls_main = saved;
    cio__coro_destroy(&main_ctx);
    cio__task_set_current(task);
    return tls_xfer;
}

intptr_t cio_greenlet_switch(cio_greenlet *g, intptr_t value)
{
    cio_greenlet *self = tls_current;
    if (g == self)
        return value;
    if (g && g->state == GL_DEAD)
        return -EPIPE;
    if (!self)
        return switch_from_main(g, value);
    self->state = GL_SUSPENDED;
    tls_current = g;
    tls_xfer = value;
    if (g)
        g->state = GL_RUNNING;
    cio__coro_switch(&self->coro, g ? &g->coro : tls_main);
    return tls_xfer;
}
