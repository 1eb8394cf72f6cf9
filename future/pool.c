/* future/pool.c — cio_pool: at most N tasks at once (gevent.pool.Pool).
 *
 * Invariant: a task holds one of the pool's semaphore permits from spawn
 * until its done callback runs (which also unlinks it from `members`), so
 * `running` <= size and the permit comes back on every outcome — even for
 * a task cancelled before it first ran.
 */
#include "waitq.h"
#include "cio/compose.h"
#include "cio/queue.h"
#include "cio/sync.h"

struct cio_pool {
    cio_sem *slots;
    size_t size, running;
    cio__list members;
    cio__waitq joiners;
};

typedef struct member {
    cio__list link;
    cio_pool *p;
    cio_task *task; /* borrowed: alive while linked */
} member;

cio_pool *cio_pool_new(size_t size)
{
    if (size == 0 || size > UINT32_MAX) {
        cio__misuse(-EINVAL, "pool size %zu out of range", size);
        return NULL;
    }
    cio_pool *p = cio__calloc(1, sizeof(*p));
    if (!p || !(p->slots = cio_sem_new((unsigned)size))) {
        cio__free(p);
        return NULL;
    }
    p->size = size;
    cio__list_init(&p->members);
    cio__waitq_init(&p->joiners);
    return p;
}

int cio_pool_free(cio_pool *p)
{
    if (!p)
        return 0;
    if (p->running || !cio__waitq_empty(&p->joiners) || cio_sem_free(p->slots) < 0)
        return cio__misuse(-EBUSY, "pool freed while busy (%zu running)", p->running);
    cio__free(p);
    return 0;
}

size_t cio_pool_running(const cio_pool *p) { return p ? p->running : 0; }
size_t cio_pool_free_count(const cio_pool *p) { return p ? cio_sem_value(p->slots) : 0; }

static void member_done(cio_future *f, void *arg)
{
    (void)f;
    member *m = arg;
    cio_pool *p = m->p;
    cio__list_remove(&m->link);
    cio__free(m);
    p->running--;
    cio_sem_release(p->slots);
    if (p->running == 0)
        cio__waitq_fail_all(&p->joiners, 0);
}

static cio_task *start(cio_pool *p, cio_task_fn fn, void *arg)
{
    member *m = cio__malloc(sizeof(*m));
    cio_task *t = m ? cio_spawn(fn, arg) : cio__future_failed(-ENOMEM);
    if (cio_future_loop(t) && cio_future_add_done_callback(t, member_done, m) < 0) {
        cio_task_cancel(t);
        cio_task_detach(t);
        t = cio__future_failed(-ENOMEM);
    }
    if (!cio_future_loop(t)) {
        cio__free(m);
        cio_sem_release(p->slots);
        return t;
    }
    *m = (member){ .p = p, .task = t };
    cio__list_push_back(&p->members, &m->link);
    p->running++;
    return t;
}

cio_task *cio_pool_spawn(cio_pool *p, cio_task_fn fn, void *arg)
{
    if (!p || !fn)
        return cio__future_failed(cio__misuse(-EINVAL, "%s is NULL", p ? "fn" : "pool"));
    if (!cio_sem_try_acquire(p->slots)) {
        if (!cio__task_current())
            return cio__future_failed(cio__misuse(-EPERM, "no free slot and not in a task to wait"));
        intptr_t r = cio_await(cio_sem_acquire(p->slots, CIO_NO_TIMEOUT));
        if (r < 0)
            return cio__future_failed((int)r);
    }
    return start(p, fn, arg);
}

cio_future *cio_pool_join(cio_pool *p, uint64_t timeout_ns)
{
    if (!p)
        return cio__future_failed(cio__misuse(-EINVAL, "pool is NULL"));
    if (p->running == 0)
        return cio__future_ok();
    int err;
    cio__waiter *w = cio__waiter_new(p, timeout_ns, &err);
    if (!w)
        return cio__future_failed(err);
    cio__waitq_push(&p->joiners, w);
    return &w->fut;
}

size_t cio_pool_kill(cio_pool *p)
{
    size_t n = 0;
    cio__list *pos;
    if (!p)
        return 0;
    cio__list_for_each(pos, &p->members) {
        member *m = cio__container_of(pos, member, link);
        n += cio_task_cancel(m->task) == 1;
    }
    return n;
}
