/* future/group.c — task groups (structured concurrency, asyncio.TaskGroup).
 *
 * Invariants: the group holds one reference to each of its tasks until
 * join; `running` counts those not yet finished (their done callbacks point
 * at the group, which join frees only once `running` is 0). The owner's
 * cancel hook and the first failure both cancel every task.
 */
#include "waitq.h"
#include "cio/compose.h"

struct cio_group {
    cio__task *owner;
    cio__cancel_hook hook;
    cio_task **tasks;
    size_t ntasks, cap, running;
    intptr_t first_err;
    bool cancelled;
    cio__waiter *joiner;
};

static intptr_t outcome(const cio_group *g)
{
    return g->first_err ? g->first_err : g->cancelled ? -ECANCELED : 0;
}

static void cancel_all(cio_group *g)
{
    for (size_t i = 0; i < g->ntasks; i++)
        cio_task_cancel(g->tasks[i]);
}

void cio_group_cancel(cio_group *g)
{
    if (!g)
        return;
    g->cancelled = true;
    cancel_all(g);
}

static void owner_cancelled(cio__cancel_hook *h) { cio_group_cancel(cio__container_of(h, cio_group, hook)); }

cio_group *cio_group_new(void)
{
    cio__task *owner = cio__task_current();
    if (!owner) {
        cio__misuse(-EPERM, "a task group needs an owner task");
        return NULL;
    }
    cio_group *g = cio__calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    g->owner = owner;
    g->hook.fn = owner_cancelled;
    cio__task_add_cancel_hook(owner, &g->hook);
    return g;
}

static void task_done(cio_future *f, void *arg)
{
    cio_group *g = arg;
    intptr_t r = cio_future_result(f);
    g->running--;
    if (r < 0 && r != -ECANCELED && !g->first_err) {
        g->first_err = r;
        cancel_all(g);
    }
    if (g->running == 0 && g->joiner)
        cio__waiter_complete(g->joiner, outcome(g));
}

static int reserve(cio_group *g)
{
    if (g->ntasks < g->cap)
        return 0;
    size_t cap = g->cap ? g->cap * 2 : 8;
    cio_task **v = cio__realloc(g->tasks, cap * sizeof(*v));
    if (!v)
        return -ENOMEM;
    g->tasks = v;
    g->cap = cap;
    return 0;
}

cio_task *cio_group_spawn(cio_group *g, cio_task_fn fn, void *arg)
{
    if (!g || !fn)
        return cio__future_failed(cio__misuse(-EINVAL, "%s is NULL", g ? "fn" : "group"));
    if (g->first_err || g->cancelled)
        return cio__future_failed(-ESHUTDOWN);
    if (reserve(g) < 0)
        return cio__future_failed(-ENOMEM);
    cio_task *t = cio_spawn_ex(g->owner->fut.loop, fn, arg, NULL);
    if (cio_future_loop(t) == NULL)
        return t;
    cio__task_unhold((cio__task *)t); /* the group's, not the spawner's */
    if (cio_future_add_done_callback(t, task_done, g) < 0) {
        cio_task_cancel(t);
        cio_task_detach(t);
        return cio__future_failed(-ENOMEM);
    }
    g->tasks[g->ntasks++] = t;
    g->running++;
    return t;
}

size_t cio_group_size(const cio_group *g) { return g ? g->running : 0; }

static void join_cancel(cio__waiter *w)
{
    cio_group_cancel(w->obj); /* stay pending until every task has finished */
}

static intptr_t wait_all(cio_group *g)
{
    if (g->running == 0)
        return outcome(g);
    int err;
    cio__waiter *w = cio__waiter_new(g, CIO_NO_TIMEOUT, &err);
    if (!w) { /* no memory to park: poll */
        while (g->running)
            if (cio_yield() < 0)
                cio_group_cancel(g);
        return outcome(g);
    }
    w->obj = g;
    w->on_cancel = join_cancel;
    g->joiner = w;
    intptr_t r = cio_await(&w->fut);
    g->joiner = NULL;
    return r;
}

intptr_t cio_group_join(cio_group *g)
{
    if (!g)
        return cio__misuse(-EINVAL, "group is NULL");
    if (cio__task_current() != g->owner)
        return cio__misuse(-EPERM, "only the task that made the group may join it");
    intptr_t r = wait_all(g);
    cio__list_remove(&g->hook.link);
    for (size_t i = 0; i < g->ntasks; i++)
        cio_future_release(g->tasks[i]);
    cio__free(g->tasks);
    cio__free(g);
    return r;
}
