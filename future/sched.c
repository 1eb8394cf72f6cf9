/* future/sched.c — this layer's per-loop state: the object pools, the
 * stack pool, the list of live tasks, and the hooks the loop calls to count,
 * report and destroy it.
 */
#include <stdio.h>
#include "coro/sanitizer.h"
#include "internal.h"

static size_t sched_alive(void *p)
{
    cio__sched *s = p;
    return s->nfutures + s->ntasks_running;
}

static void sched_report(void *p)
{
#ifdef CIO_DEBUG
    cio__sched *s = p;
    fprintf(stderr, "cio:   %zu futures alive, %zu tasks not finished\n", s->nfutures, s->ntasks_running);
    cio__list *pos;
    cio__list_for_each(pos, &s->tasks) {
        cio__task *t = cio__container_of(pos, cio__task, link);
        static const char *const states[] = { "new", "ready", "running", "parked", "done" };
        fprintf(stderr, "cio:   task '%s' (%s, %u refs)%s%s\n", cio_task_name(&t->fut), states[t->tstate],
                t->fut.refs, t->awaiting ? " awaiting a " : "", t->awaiting ? t->awaiting->ops->kind : "");
    }
#else
    (void)p;
#endif
}

/* Keeps one spare chunk per pool while the loop waits: a burst's memory
 * serves the next burst while the loop stays busy, not after. Only after a
 * chunk became a spare (cio__pool_put says so), not at every wait. The
 * trim puts each pool's slot back first, so the chunk the last freed
 * object pinned goes too. */
static void sched_idle(void *p)
{
    cio__sched *s = p;
    if (!s->pools_spare)
        return;
    s->pools_spare = false;
    for (int i = 0; i < CIO_POOL_COUNT; i++)
        cio__slab_trim(&s->pools[i], 1);
}

static void sched_destroy(void *p)
{
    cio__sched *s = p;
    for (int i = 0; i < CIO_POOL_COUNT; i++)
        cio__slab_destroy(&s->pools[i]);
    cio__stack_pool_free(&s->stacks);
    cio__coro_destroy(&s->thread_ctx);
    cio__free(s);
}

static const cio__sched_hooks hooks = { sched_alive, sched_report, sched_destroy, sched_idle };

/* Under ASan or Valgrind every object comes from the allocation hook, so
 * the tool sees each use after free; otherwise from the loop's pools. */
static bool pools_off(void)
{
#if defined(CIO_ASAN)
    return true;
#elif defined(CIO_HAVE_VALGRIND)
    return RUNNING_ON_VALGRIND;
#else
    return false;
#endif
}

CIO_COLD cio__sched *cio__sched_create(cio_loop *l)
{
    cio__sched *s = cio__calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->loop = l;
    cio__list_init(&s->tasks);
    if (cio__coro_init_thread(&s->thread_ctx) < 0 ||
        cio__stack_pool_init(&s->stacks, l->opts.stack_size, l->opts.stack_cache) < 0) {
        cio__free(s);
        return NULL;
    }
    for (int i = 0; i < CIO_POOL_COUNT; i++)
        cio__slab_init(&s->pools[i], (size_t)(i + 1) * CIO_POOL_STEP);
    s->pools_off = pools_off();
    cio__loop_set_sched(l, s, &hooks);
    return s;
}
