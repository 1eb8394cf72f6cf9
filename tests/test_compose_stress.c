/* test_compose_stress.c — thousands of tasks contending on each primitive
 * while a chaos task cancels random ones and short deadlines expire. Checks
 * the invariants (mutual exclusion, permit counts, item conservation), that
 * every waiter list ends empty (the *_free calls succeed) and that nothing
 * leaks. Meant to run under ASan+UBSan too. */
#include "harness.h"

#if defined(__SANITIZE_THREAD__)
#define NTASKS 500 /* TSan counts every task's fiber against its ~8k thread limit */
#else
#define NTASKS 2000
#endif

static uint64_t g_rng = 88172645463325252ull;
static uint64_t rnd(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}
static uint64_t some_timeout(void) { return rnd() % 4 == 0 ? CIO_US(rnd() % 300) : CIO_NO_TIMEOUT; }

typedef struct stress {
    cio_task *tasks[NTASKS];
    size_t n;
    bool stop;
} stress;

/* Cancels a random task now and then until told to stop. */
static intptr_t chaos(void *arg)
{
    stress *s = arg;
    while (!s->stop) {
        cio_task_cancel(s->tasks[rnd() % s->n]);
        if (cio_yield() < 0)
            break;
    }
    return 0;
}

static void spawn_all(stress *s, cio_task_fn fn, void *arg)
{
    s->n = NTASKS;
    s->stop = false;
    for (size_t i = 0; i < s->n; i++)
        s->tasks[i] = cio_spawn(fn, arg);
}

static void finish_all(stress *s)
{
    cio_task *c = cio_spawn(chaos, s);
    for (size_t i = 0; i < s->n; i++) { /* keep them alive for chaos meanwhile */
        intptr_t r = CIO_AWAIT(cio_future_retain(s->tasks[i]));
        CHECK(r >= 0 || r == -ECANCELED || r == -ETIMEDOUT || r == -ESHUTDOWN || r == -EPIPE);
    }
    s->stop = true;
    CIO_AWAIT(c);
    for (size_t i = 0; i < s->n; i++)
        cio_future_release(s->tasks[i]);
}

/* ---- lock / semaphore ------------------------------------------------------- */

static cio_lock *g_lock;
static cio_sem *g_sem;
static int g_inside, g_max_inside;

static intptr_t lock_user(void *arg)
{
    (void)arg;
    for (int i = 0; i < 5; i++) {
        intptr_t r = CIO_AWAIT(cio_lock_acquire(g_lock, some_timeout()));
        if (r < 0)
            continue;
        CHECK_EQ(g_inside++, 0);
        r = cio_yield();
        g_inside--;
        CHECK_EQ(cio_lock_release(g_lock), 0);
        if (r < 0)
            return r;
    }
    return 0;
}

static intptr_t sem_user(void *arg)
{
    (void)arg;
    for (int i = 0; i < 5; i++) {
        intptr_t r = CIO_AWAIT(cio_sem_acquire(g_sem, some_timeout()));
        if (r < 0)
            continue;
        if (++g_inside > g_max_inside)
            g_max_inside = g_inside;
        CHECK(g_inside <= 7);
        r = cio_yield();
        g_inside--;
        CHECK_EQ(cio_sem_release(g_sem), 0);
        if (r < 0)
            return r;
    }
    return 0;
}

static intptr_t lock_sem_main(void *arg)
{
    stress *s = arg;
    g_lock = cio_lock_new();
    spawn_all(s, lock_user, NULL);
    finish_all(s);
    CHECK(!cio_lock_locked(g_lock));
    CHECK_EQ(cio_lock_free(g_lock), 0);

    g_sem = cio_sem_new_bounded(7);
    g_max_inside = 0;
    spawn_all(s, sem_user, NULL);
    finish_all(s);
    CHECK_EQ(cio_sem_value(g_sem), 7); /* no permit lost or duplicated */
    CHECK_EQ(g_max_inside, 7);
    CHECK_EQ(cio_sem_free(g_sem), 0);
    return 0;
}

/* ---- event / condition / barrier -------------------------------------------------- */

static cio_event *g_event;
static cio_cond *g_cond;
static cio_barrier *g_barrier;
static long g_tokens;

static intptr_t event_user(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        intptr_t r = CIO_AWAIT(cio_event_wait(g_event, some_timeout()));
        if (r == -ECANCELED)
            return r;
        if (rnd() % 8 == 0)
            cio_event_set(g_event);
        else if (rnd() % 8 == 0)
            cio_event_clear(g_event);
        if (cio_yield() < 0)
            return -ECANCELED;
    }
    return 0;
}

static intptr_t cond_user(void *arg)
{
    (void)arg;
    cio_lock *l = cio_cond_lock(g_cond);
    for (int i = 0; i < 3; i++) {
        if (CIO_AWAIT(cio_lock_acquire(l, CIO_NO_TIMEOUT)) < 0)
            return -ECANCELED;
        if (rnd() % 2) { /* produce */
            g_tokens++;
            cio_cond_notify(g_cond, 1);
        } else { /* consume, waiting for a token */
            intptr_t r = 0;
            while (g_tokens == 0 && r == 0)
                r = CIO_AWAIT(cio_cond_wait(g_cond, some_timeout()));
            CHECK(cio_lock_locked(l));
            if (r == 0)
                g_tokens--;
        }
        CHECK_EQ(cio_lock_release(l), 0);
        if (cio_yield() < 0)
            return -ECANCELED;
    }
    return 0;
}

static intptr_t barrier_user(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        intptr_t r = CIO_AWAIT(cio_barrier_wait(g_barrier, some_timeout()));
        if (r == -ECANCELED || r == -EPIPE)
            return r;
        CHECK(r < 0 || r < 10);
    }
    return 0;
}

static intptr_t barrier_ender(void *arg)
{
    stress *s = arg;
    while (!s->stop)
        if (CIO_AWAIT(cio_sleep(CIO_MS(20))) < 0)
            break;
    return 0;
}

static intptr_t ev_cond_barrier_main(void *arg)
{
    stress *s = arg;
    g_event = cio_event_new();
    spawn_all(s, event_user, NULL);
    cio_event_set(g_event);
    finish_all(s);
    CHECK_EQ(cio_event_free(g_event), 0);

    g_cond = cio_cond_new(NULL);
    g_tokens = 0;
    spawn_all(s, cond_user, NULL);
    finish_all(s);
    CHECK(g_tokens >= 0);
    CHECK(!cio_lock_locked(cio_cond_lock(g_cond)));
    CHECK_EQ(cio_cond_free(g_cond), 0);

    g_barrier = cio_barrier_new(10);
    spawn_all(s, barrier_user, NULL);
    /* leftovers that can never fill a round are released by aborting */
    for (size_t i = 0; i < s->n; i++) {
        cio_future *w = cio_wait(&s->tasks[i], 1, CIO_WAIT_ALL_COMPLETED, CIO_MS(50));
        if (CIO_AWAIT(w) == 0)
            cio_barrier_abort(g_barrier);
    }
    finish_all(s);
    CHECK_EQ(cio_barrier_waiting(g_barrier), 0);
    CHECK_EQ(cio_barrier_free(g_barrier), 0);
    (void)barrier_ender;
    return 0;
}

/* ---- queue ------------------------------------------------------------------------- */

static cio_queue *g_queue;
static long g_put, g_got;

static intptr_t queue_user(void *arg)
{
    (void)arg;
    bool producer = rnd() % 2;
    for (int i = 0; i < 5; i++) {
        intptr_t r = producer ? CIO_AWAIT(cio_queue_put(g_queue, 1 + (intptr_t)(rnd() % 1000), some_timeout()))
                              : CIO_AWAIT(cio_queue_get(g_queue, some_timeout()));
        if (r >= 0)
            producer ? g_put++ : g_got++;
        if (r == -ECANCELED || r == -ESHUTDOWN)
            return r;
    }
    return 0;
}

static intptr_t queue_main(void *arg)
{
    stress *s = arg;
    cio_queue_kind kinds[3] = { CIO_QUEUE_FIFO, CIO_QUEUE_LIFO, CIO_QUEUE_PRIORITY };
    for (int k = 0; k < 3; k++) {
        g_queue = cio_queue_new(kinds[k], 8);
        g_put = g_got = 0;
        spawn_all(s, queue_user, NULL);
        cio_task *c = cio_spawn(chaos, s);
        CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(30))), 0);
        cio_queue_shutdown(g_queue, false); /* wakes everyone still waiting */
        finish_all(s);
        CIO_AWAIT(c);
        CHECK_EQ(g_put, g_got + (long)cio_queue_len(g_queue)); /* conservation */
        CHECK_EQ(cio_queue_free(g_queue), 0);
    }
    return 0;
}

/* ---- pool and group ------------------------------------------------------------------ */

static cio_pool *g_pool;

static intptr_t pooled(void *arg)
{
    (void)arg;
    CHECK(cio_pool_running(g_pool) <= 16);
    return cio_yield() < 0 ? -ECANCELED : 1;
}

static intptr_t pool_user(void *arg)
{
    (void)arg;
    cio_task *t = cio_pool_spawn(g_pool, pooled, NULL);
    return CIO_AWAIT(t);
}

static intptr_t group_child(void *arg)
{
    (void)arg;
    intptr_t r = CIO_AWAIT(cio_sleep(CIO_US(rnd() % 500)));
    if (r == 0 && rnd() % 1000 == 0)
        return -EIO;
    return r;
}

static intptr_t group_user(void *arg)
{
    (void)arg;
    cio_group *g = cio_group_new();
    for (int i = 0; i < 5; i++)
        cio_group_spawn(g, group_child, NULL);
    intptr_t r = cio_group_join(g);
    CHECK(r == 0 || r == -EIO || r == -ECANCELED);
    return r == -EIO ? 0 : r;
}

static intptr_t pool_group_main(void *arg)
{
    stress *s = arg;
    g_pool = cio_pool_new(16);
    spawn_all(s, pool_user, NULL);
    finish_all(s);
    CHECK_EQ(CIO_AWAIT(cio_pool_join(g_pool, CIO_NO_TIMEOUT)), 0);
    CHECK_EQ(cio_pool_free(g_pool), 0);
    spawn_all(s, group_user, NULL);
    finish_all(s);
    return 0;
}

static stress g_stress;

int main(void)
{
    test_alloc_install();
    long before = test_alloc_live();
    CHECK_EQ(test_run(lock_sem_main, &g_stress), 0);
    printf("ok lock_semaphore\n");
    CHECK_EQ(test_run(ev_cond_barrier_main, &g_stress), 0);
    printf("ok event_condition_barrier\n");
    CHECK_EQ(test_run(queue_main, &g_stress), 0);
    printf("ok queue\n");
    CHECK_EQ(test_run(pool_group_main, &g_stress), 0);
    printf("ok pool_group\n");
    CHECK_EQ(test_alloc_live(), before);
    return 0;
}
