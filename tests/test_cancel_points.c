/* test_cancel_points.c — the waiting points the per-primitive tests leave
 * out: a condition waiter cancelled while re-acquiring its lock, queue join,
 * pool slot and pool join, group join from a cancelled owner's body, and
 * as_completed_next — each cancelled or timed out, checking the wait leaves
 * no trace (the object frees) and nothing leaks. */
#include "harness.h"

static cio_cond *g_cond;

static intptr_t cond_phase2(void *arg)
{
    cio_lock *l = cio_cond_lock(g_cond);
    CHECK_EQ(CIO_AWAIT(cio_lock_acquire(l, CIO_NO_TIMEOUT)), 0);
    intptr_t r = CIO_AWAIT(cio_cond_wait(g_cond, arg ? CIO_MS(100) : CIO_NO_TIMEOUT));
    CHECK(cio_lock_locked(l));
    cio_lock_release(l);
    return r;
}

static intptr_t cond_main(void *arg)
{
    (void)arg;
    g_cond = cio_cond_new(NULL);
    cio_lock *l = cio_cond_lock(g_cond);
    cio_task *t = cio_spawn(cond_phase2, NULL);
    CHECK_EQ(cio_yield(), 0);
    CHECK_EQ(CIO_AWAIT(cio_lock_acquire(l, CIO_NO_TIMEOUT)), 0);
    CHECK_EQ(cio_cond_notify(g_cond, 1), 1); /* now waiting for the lock we hold */
    CHECK_EQ(cio_task_cancel(t), 1);
    CHECK_EQ(cio_yield(), 0);
    CHECK(!cio_future_done(t)); /* still waiting to re-acquire */
    CHECK_EQ(cio_lock_release(l), 0);
    CHECK_EQ(CIO_AWAIT(t), -ECANCELED);
    CHECK(!cio_lock_locked(l));
    /* notified, then its deadline passes while it waits for the lock: the
     * deadline covers only the wait for the notify, so it succeeds */
    t = cio_spawn(cond_phase2, (void *)1);
    CHECK_EQ(cio_yield(), 0);
    CHECK_EQ(CIO_AWAIT(cio_lock_acquire(l, CIO_NO_TIMEOUT)), 0);
    CHECK_EQ(cio_cond_notify_all(g_cond), 1); /* well within its 100 ms, even on a loaded machine */
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(150))), 0);
    CHECK_EQ(cio_lock_release(l), 0);
    CHECK_EQ(CIO_AWAIT(t), 0);
    CHECK_EQ(cio_cond_free(g_cond), 0);
    return 0;
}

static void test_cond_cancel_while_relocking(void) { CHECK_EQ(test_run(cond_main, NULL), 0); }

static intptr_t queue_join_main(void *arg)
{
    (void)arg;
    cio_queue *q = cio_queue_new(CIO_QUEUE_FIFO, 0);
    CHECK_EQ(cio_queue_try_put(q, 1), 0);
    CHECK_EQ(CIO_AWAIT(cio_queue_join(q, CIO_MS(1))), -ETIMEDOUT);
    cio_future *j = cio_queue_join(q, CIO_NO_TIMEOUT);
    CHECK_EQ(cio_future_cancel(j), 1);
    CHECK_EQ(CIO_AWAIT(j), -ECANCELED);
    cio_future_release(cio_queue_join(q, CIO_NO_TIMEOUT)); /* dropped */
    CHECK_EQ(cio_queue_free(q), 0);                        /* no waiter left */
    return 0;
}

static void test_queue_join(void) { CHECK_EQ(test_run(queue_join_main, NULL), 0); }

static intptr_t nap(void *arg)
{
    intptr_t r = CIO_AWAIT(cio_sleep(CIO_MS((intptr_t)arg)));
    return r < 0 ? r : 1;
}

static intptr_t spawner(void *arg)
{
    return CIO_AWAIT(cio_pool_spawn(arg, nap, (void *)1));
}

static intptr_t pool_main(void *arg)
{
    (void)arg;
    cio_pool *p = cio_pool_new(1);
    cio_task *busy = cio_pool_spawn(p, nap, (void *)200); /* outlasts the 1 ms join below */
    cio_task *s1 = cio_spawn(spawner, p), *s2 = cio_spawn(spawner, p);
    CHECK_EQ(cio_yield(), 0);
    cio_task_cancel(s1); /* waiting for a slot: leaves the line */
    CHECK_EQ(CIO_AWAIT(s1), -ECANCELED);
    CHECK_EQ(CIO_AWAIT(cio_pool_join(p, CIO_MS(1))), -ETIMEDOUT);
    cio_future *j = cio_pool_join(p, CIO_NO_TIMEOUT);
    cio_future_cancel(j);
    CHECK_EQ(CIO_AWAIT(j), -ECANCELED);
    CHECK_EQ(CIO_AWAIT(busy), 1);
    CHECK_EQ(CIO_AWAIT(s2), 1); /* got the slot s1 gave up */
    CHECK_EQ(CIO_AWAIT(cio_pool_join(p, CIO_NO_TIMEOUT)), 0);
    CHECK_EQ(cio_pool_free_count(p), 1);
    CHECK_EQ(cio_pool_free(p), 0);
    return 0;
}

static void test_pool_waits(void) { CHECK_EQ(test_run(pool_main, NULL), 0); }

static intptr_t iterate(void *arg)
{
    cio_as_completed *it = arg;
    return cio_as_completed_next(it, NULL);
}

static intptr_t as_completed_main(void *arg)
{
    (void)arg;
    cio_future *fs[1] = { cio_spawn(nap, (void *)1000) };
    cio_as_completed *it = cio_as_completed_new(fs, 1, CIO_NO_TIMEOUT);
    cio_task *t = cio_spawn(iterate, it);
    CHECK_EQ(cio_yield(), 0);
    cio_task_cancel(t);
    CHECK_EQ(CIO_AWAIT(t), -ECANCELED);
    CHECK_EQ(cio_as_completed_free(it), 1);
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(1))), 0);
    return 0;
}

static void test_as_completed_cancel(void) { CHECK_EQ(test_run(as_completed_main, NULL), 0); }

/* A task of the group spawns more into it; the owner is cancelled while
 * awaiting something else in its body, once the last of them has started
 * (an event, not a short sleep: on a loaded machine 2 ms could pass before
 * the owner first ran). */
static cio_group *g_group;
static cio_event *g_started;
static int g_done;

static intptr_t grandchild(void *arg)
{
    cio_event_set(g_started);
    intptr_t r = CIO_AWAIT(cio_sleep(CIO_MS((intptr_t)arg)));
    g_done++;
    return r;
}

static intptr_t child_spawns(void *arg)
{
    (void)arg;
    cio_group_spawn(g_group, grandchild, (void *)1000);
    return CIO_AWAIT(cio_sleep(CIO_MS(1000)));
}

static intptr_t owner(void *arg)
{
    (void)arg;
    g_group = cio_group_new();
    cio_group_spawn(g_group, child_spawns, NULL);
    intptr_t r = CIO_AWAIT(cio_sleep(CIO_MS(1000)));
    CHECK_EQ(r, -ECANCELED);
    CHECK_EQ(cio_group_size(g_group), 2);
    return cio_group_join(g_group);
}

static intptr_t group_main(void *arg)
{
    (void)arg;
    g_done = 0;
    g_started = cio_event_new();
    cio_task *t = cio_spawn(owner, NULL);
    CHECK_EQ(CIO_AWAIT(cio_event_wait(g_started, CIO_MS(5000))), 0);
    cio_task_cancel(t);
    CHECK_EQ(CIO_AWAIT(t), -ECANCELED);
    CHECK_EQ(g_done, 1);
    CHECK_EQ(cio_event_free(g_started), 0);
    return 0;
}

static void test_group_owner_cancelled_in_body(void) { CHECK_EQ(test_run(group_main, NULL), 0); }

int main(void)
{
    test_alloc_install();
    long before = test_alloc_live();
    RUN(test_cond_cancel_while_relocking);
    RUN(test_queue_join);
    RUN(test_pool_waits);
    RUN(test_as_completed_cancel);
    RUN(test_group_owner_cancelled_in_body);
    CHECK_EQ(test_alloc_live(), before);
    return 0;
}
