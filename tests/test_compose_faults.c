/* test_compose_faults.c — allocation failure at every point of a scenario
 * that uses every part of this layer: for k = 1, 2, ... the k-th allocation
 * fails; whatever each call reports, the run must finish (no hang, no
 * crash), leave its loop empty and leak nothing. */
#include "harness.h"

static intptr_t nap(void *arg)
{
    intptr_t r = CIO_AWAIT(cio_sleep(CIO_US((intptr_t)arg)));
    return r < 0 ? r : (intptr_t)arg;
}

static intptr_t locker(void *arg)
{
    cio_lock *l = arg;
    if (CIO_AWAIT(cio_lock_acquire(l, CIO_MS(100))) < 0)
        return -1;
    cio_yield();
    cio_lock_release(l);
    return 0;
}

static intptr_t getter(void *arg) { return CIO_AWAIT(cio_queue_get(arg, CIO_MS(100))); }

static intptr_t gen_body(cio_gen *g, void *arg)
{
    (void)arg;
    return cio_gen_yield(g, 1) + 1;
}

static void combinators(void)
{
    intptr_t res[3];
    cio_future *fs[3] = { cio_spawn(nap, (void *)10), cio_spawn(nap, (void *)20), cio_sleep(CIO_US(5)) };
    CIO_AWAIT(cio_gather(fs, 3, res, 0));
    cio_task *w[2] = { cio_spawn(nap, (void *)10), cio_spawn(nap, (void *)30) };
    CIO_AWAIT(cio_wait(w, 2, CIO_WAIT_FIRST_COMPLETED, CIO_MS(100)));
    CIO_AWAIT(w[0]);
    CIO_AWAIT(w[1]);
    cio_future *a[2] = { cio_spawn(nap, (void *)20), cio_spawn(nap, (void *)10) };
    cio_as_completed *it = cio_as_completed_new(a, 2, CIO_MS(100));
    if (it) {
        while (cio_as_completed_next(it, NULL) >= 0) {
        }
        cio_as_completed_free(it);
    }
    CIO_AWAIT(cio_shield(cio_spawn(nap, (void *)5)));
    cio_timeout *t = cio_timeout_enter(CIO_MS(100));
    CIO_AWAIT(cio_sleep(CIO_US(5)));
    if (t)
        cio_timeout_exit(t);
}

static void sync_and_queue(void)
{
    cio_lock *l = cio_lock_new();
    if (l) {
        cio_task *t[2] = { cio_spawn(locker, l), cio_spawn(locker, l) };
        CIO_AWAIT(cio_gather(t, 2, NULL, CIO_GATHER_RETURN_ERRORS));
        CHECK_EQ(cio_lock_free(l), 0);
    }
    cio_queue *q = cio_queue_new(CIO_QUEUE_PRIORITY, 1);
    if (q) {
        cio_task *g = cio_spawn(getter, q);
        cio_yield();
        CIO_AWAIT(cio_queue_put(q, 3, CIO_MS(100)));
        CIO_AWAIT(cio_queue_put(q, 4, CIO_MS(100)));
        CIO_AWAIT(g);
        cio_queue_shutdown(q, true);
        CHECK_EQ(cio_queue_free(q), 0);
    }
}

static void groups_pools_generators(void)
{
    cio_group *g = cio_group_new();
    if (g) {
        for (int i = 0; i < 3; i++)
            cio_group_spawn(g, nap, (void *)10);
        cio_group_join(g);
    }
    cio_pool *p = cio_pool_new(2);
    if (p) {
        void *args[4] = { (void *)10, (void *)5, (void *)5, (void *)1 };
        intptr_t res[4];
        CIO_AWAIT(cio_pool_map(p, nap, args, 4, res));
        CIO_AWAIT(cio_pool_join(p, CIO_MS(100)));
        CHECK_EQ(cio_pool_free(p), 0);
    }
    cio_gen *gen = cio_gen_new(gen_body, NULL, 0);
    if (gen) {
        intptr_t v;
        cio_gen_next(gen, &v);
        cio_gen_send(gen, 5, &v);
        cio_gen_free(gen);
    }
}

static intptr_t scenario(void *arg)
{
    test_alloc_fail_after((long)(intptr_t)arg);
    combinators();
    sync_and_queue();
    groups_pools_generators();
    bool hit = test_alloc_live() >= 0 && (intptr_t)arg > 0;
    test_alloc_fail_after(0);
    return hit;
}

int main(void)
{
    test_alloc_install();
    long before = test_alloc_live();
    CHECK_EQ(test_run(scenario, (void *)0), 0); /* a clean run first */
    int k;
    for (k = 1; k < (getenv("FAULTS_MAX") ? atoi(getenv("FAULTS_MAX")) : 400); k++) {
        test_alloc_fail_after(0);
        test_run(scenario, (void *)(intptr_t)k);
        CHECK_EQ(test_alloc_live(), before);
    }
    printf("ok %d failure points\n", k - 1);
    return 0;
}
