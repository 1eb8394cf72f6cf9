/* test_sync.c — Lock, Semaphore, BoundedSemaphore, Event, Condition,
 * Barrier: FIFO wake-ups, deadlines, and cancellation at every waiting point
 * (waiter lists stay consistent, no wake-up is swallowed, nothing leaks). */
#include "harness.h"

static char g_log[512];
static void logs(const char *s) { strcat(g_log, s); }

/* ---- Lock ---------------------------------------------------------------- */

typedef struct {
    cio_lock *l;
    const char *name;
} lock_arg;

static intptr_t lock_user(void *arg)
{
    lock_arg *a = arg;
    intptr_t r = CIO_AWAIT(cio_lock_acquire(a->l, CIO_NO_TIMEOUT));
    if (r < 0)
        return r;
    logs(a->name);
    CHECK_EQ(cio_yield(), 0);
    CHECK_EQ(cio_lock_release(a->l), 0);
    return 0;
}

static intptr_t lock_fifo(void *arg)
{
    (void)arg;
    cio_lock *l = cio_lock_new();
    CHECK(cio_lock_try_acquire(l));
    CHECK(!cio_lock_try_acquire(l));
    lock_arg a[4] = { { l, "a" }, { l, "b" }, { l, "c" }, { l, "d" } };
    cio_task *t[4];
    for (int i = 0; i < 4; i++)
        t[i] = cio_spawn(lock_user, &a[i]);
    CHECK_EQ(cio_yield(), 0); /* all four queue up */
    CHECK_EQ(cio_lock_release(l), 0);
    CHECK_EQ(CIO_AWAIT(cio_gather(t, 4, NULL, 0)), 0);
    CHECK(!cio_lock_locked(l));
    CHECK_EQ(cio_lock_release(l), -EPERM);
    CHECK_EQ(cio_lock_free(l), 0);
    return 0;
}

static void test_lock_fifo(void)
{
    g_log[0] = 0;
    CHECK_EQ(test_run(lock_fifo, NULL), 0);
    CHECK(!strcmp(g_log, "abcd"));
}

static intptr_t lock_cancel_and_timeout(void *arg)
{
    (void)arg;
    cio_lock *l = cio_lock_new();
    CHECK_EQ(CIO_AWAIT(cio_lock_acquire(l, CIO_NO_TIMEOUT)), 0);
    /* a deadline expires: the waiter leaves */
    CHECK_EQ(CIO_AWAIT(cio_lock_acquire(l, CIO_MS(1))), -ETIMEDOUT);
    /* b waits and is cancelled; c waits; a release must reach c */
    lock_arg b = { l, "b" }, c = { l, "c" };
    cio_task *tb = cio_spawn(lock_user, &b), *tc = cio_spawn(lock_user, &c);
    CHECK_EQ(cio_yield(), 0);
    CHECK_EQ(cio_task_cancel(tb), 1);
    CHECK_EQ(CIO_AWAIT(tb), -ECANCELED);
    /* an acquire future released unawaited leaves no trace either */
    cio_future_release(cio_lock_acquire(l, CIO_NO_TIMEOUT));
    CHECK_EQ(cio_lock_release(l), 0);
    CHECK_EQ(CIO_AWAIT(tc), 0);
    CHECK(!cio_lock_locked(l));
    CHECK_EQ(cio_lock_free(l), 0);
    return 0;
}

static void test_lock_cancel_timeout(void)
{
    g_log[0] = 0;
    CHECK_EQ(test_run(lock_cancel_and_timeout, NULL), 0);
    CHECK(!strcmp(g_log, "c"));
}

/* Granted, then cancelled before it ran: the await still returns 0 (the
 * task holds the lock), the cancellation comes at its next await, and its
 * release passes the lock on. */
static intptr_t granted_then_cancelled(void *arg)
{
    cio_lock *l = arg;
    intptr_t r = CIO_AWAIT(cio_lock_acquire(l, CIO_NO_TIMEOUT));
    CHECK_EQ(r, 0);
    logs("g");
    r = CIO_AWAIT(cio_sleep(CIO_MS(1000)));
    CHECK_EQ(r, -ECANCELED);
    cio_lock_release(l);
    return r;
}

static intptr_t lock_grant_race(void *arg)
{
    (void)arg;
    cio_lock *l = cio_lock_new();
    CHECK(cio_lock_try_acquire(l));
    cio_task *t = cio_spawn(granted_then_cancelled, l);
    lock_arg n = { l, "n" };
    cio_task *next = cio_spawn(lock_user, &n);
    CHECK_EQ(cio_yield(), 0);
    CHECK_EQ(cio_lock_release(l), 0); /* t's future completes now... */
    CHECK_EQ(cio_task_cancel(t), 1);  /* ...and t is cancelled before it runs */
    CHECK_EQ(CIO_AWAIT(t), -ECANCELED);
    CHECK_EQ(CIO_AWAIT(next), 0);
    CHECK_EQ(cio_lock_free(l), 0);
    return 0;
}

static void test_lock_grant_then_cancel(void)
{
    g_log[0] = 0;
    CHECK_EQ(test_run(lock_grant_race, NULL), 0);
    CHECK(!strcmp(g_log, "gn"));
}

/* ---- Semaphore ------------------------------------------------------------ */

typedef struct {
    cio_sem *s;
    const char *name;
    uint64_t timeout;
} sem_arg;

static intptr_t sem_user(void *arg)
{
    sem_arg *a = arg;
    intptr_t r = CIO_AWAIT(cio_sem_acquire(a->s, a->timeout));
    if (r < 0)
        return r;
    logs(a->name);
    CHECK_EQ(cio_yield(), 0);
    return cio_sem_release(a->s);
}

static intptr_t sem_main(void *arg)
{
    (void)arg;
    cio_sem *s = cio_sem_new(2);
    CHECK(cio_sem_try_acquire(s));
    CHECK(cio_sem_try_acquire(s));
    CHECK(!cio_sem_try_acquire(s));
    sem_arg a[4] = { { s, "a", CIO_NO_TIMEOUT }, { s, "b", CIO_NO_TIMEOUT }, { s, "c", CIO_MS(1) },
                     { s, "d", CIO_NO_TIMEOUT } };
    cio_task *t[4];
    for (int i = 0; i < 4; i++)
        t[i] = cio_spawn(sem_user, &a[i]);
    CHECK_EQ(cio_yield(), 0);
    CHECK_EQ(cio_task_cancel(t[1]), 1); /* b leaves while waiting */
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(5))), 0); /* c times out */
    CHECK_EQ(cio_sem_release(s), 0); /* -> a */
    CHECK_EQ(cio_sem_release(s), 0); /* -> d, not the cancelled b or expired c */
    intptr_t res[4];
    CHECK_EQ(CIO_AWAIT(cio_gather(t, 4, res, CIO_GATHER_RETURN_ERRORS)), 0);
    CHECK_EQ(res[0], 0);
    CHECK_EQ(res[1], -ECANCELED);
    CHECK_EQ(res[2], -ETIMEDOUT);
    CHECK_EQ(res[3], 0);
    CHECK_EQ(cio_sem_value(s), 2);
    CHECK_EQ(cio_sem_free(s), 0);

    cio_sem *b = cio_sem_new_bounded(1);
    CHECK_EQ(cio_sem_release(b), -EOVERFLOW);
    CHECK_EQ(CIO_AWAIT(cio_sem_acquire(b, 0)), 0);
    CHECK_EQ(CIO_AWAIT(cio_sem_acquire(b, 0)), -ETIMEDOUT);
    CHECK_EQ(cio_sem_release(b), 0);
    CHECK_EQ(cio_sem_value(b), 1);
    CHECK_EQ(cio_sem_free(b), 0);
    return 0;
}

static void test_semaphore(void)
{
    g_log[0] = 0;
    CHECK_EQ(test_run(sem_main, NULL), 0);
    CHECK(!strcmp(g_log, "ad"));
}

/* ---- Event ------------------------------------------------------------------ */

static intptr_t event_waiter(void *arg)
{
    intptr_t r = CIO_AWAIT(cio_event_wait(arg, CIO_NO_TIMEOUT));
    logs("w");
    return r;
}

static intptr_t event_main(void *arg)
{
    (void)arg;
    cio_event *e = cio_event_new();
    CHECK_EQ(CIO_AWAIT(cio_event_wait(e, CIO_MS(1))), -ETIMEDOUT);
    cio_task *t[3];
    for (int i = 0; i < 3; i++)
        t[i] = cio_spawn(event_waiter, e);
    CHECK_EQ(cio_yield(), 0);
    CHECK_EQ(cio_event_free(e), -EBUSY);
    cio_task_cancel(t[1]);
    cio_event_set(e);
    CHECK(cio_event_is_set(e));
    intptr_t res[3];
    CHECK_EQ(CIO_AWAIT(cio_gather(t, 3, res, CIO_GATHER_RETURN_ERRORS)), 0);
    CHECK_EQ(res[0], 0);
    CHECK_EQ(res[1], -ECANCELED);
    CHECK_EQ(res[2], 0);
    CHECK_EQ(CIO_AWAIT(cio_event_wait(e, 0)), 0);
    cio_event_clear(e);
    CHECK(!cio_event_is_set(e));
    CHECK_EQ(cio_event_free(e), 0);
    return 0;
}

static void test_event(void)
{
    g_log[0] = 0;
    CHECK_EQ(test_run(event_main, NULL), 0);
    CHECK(!strcmp(g_log, "www"));
}

/* ---- Condition ---------------------------------------------------------------- */

typedef struct {
    cio_cond *c;
    const char *name;
    uint64_t timeout;
} cond_arg;

static intptr_t cond_waiter(void *arg)
{
    cond_arg *a = arg;
    cio_lock *l = cio_cond_lock(a->c);
    CHECK_EQ(CIO_AWAIT(cio_lock_acquire(l, CIO_NO_TIMEOUT)), 0);
    intptr_t r = CIO_AWAIT(cio_cond_wait(a->c, a->timeout));
    CHECK(cio_lock_locked(l)); /* held again on every outcome */
    logs(a->name);
    cio_lock_release(l);
    return r;
}

static intptr_t cond_main(void *arg)
{
    (void)arg;
    cio_cond *c = cio_cond_new(NULL);
    cio_lock *l = cio_cond_lock(c);
    CHECK_EQ(CIO_AWAIT(cio_cond_wait(c, CIO_NO_TIMEOUT)), -EPERM); /* lock not held */
    cond_arg a[4] = { { c, "a", CIO_NO_TIMEOUT }, { c, "b", CIO_NO_TIMEOUT }, { c, "c", CIO_MS(1) },
                      { c, "d", CIO_NO_TIMEOUT } };
    cio_task *t[4];
    for (int i = 0; i < 4; i++)
        t[i] = cio_spawn(cond_waiter, &a[i]);
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(5))), 0); /* c times out (and re-locks) */
    CHECK_EQ(CIO_AWAIT(cio_lock_acquire(l, CIO_NO_TIMEOUT)), 0);
    cio_task_cancel(t[1]); /* b: cancelled, must re-acquire before returning */
    CHECK_EQ(cio_cond_notify(c, 1), 1); /* a */
    CHECK_EQ(cio_cond_notify_all(c), 1); /* d */
    CHECK_EQ(cio_lock_release(l), 0);
    intptr_t res[4];
    CHECK_EQ(CIO_AWAIT(cio_gather(t, 4, res, CIO_GATHER_RETURN_ERRORS)), 0);
    CHECK_EQ(res[0], 0);
    CHECK_EQ(res[1], -ECANCELED);
    CHECK_EQ(res[2], -ETIMEDOUT);
    CHECK_EQ(res[3], 0);
    CHECK(!cio_lock_locked(l));
    CHECK_EQ(cio_cond_free(c), 0);
    return 0;
}

static void test_condition(void)
{
    g_log[0] = 0;
    CHECK_EQ(test_run(cond_main, NULL), 0);
    CHECK(!strcmp(g_log, "cbad"));
}

/* ---- Barrier --------------------------------------------------------------------- */

static intptr_t barrier_user(void *arg) { return CIO_AWAIT(cio_barrier_wait(arg, CIO_NO_TIMEOUT)); }

static intptr_t barrier_main(void *arg)
{
    (void)arg;
    cio_barrier *b = cio_barrier_new(3);
    cio_task *t[4];
    for (int i = 0; i < 4; i++)
        t[i] = cio_spawn(barrier_user, b);
    CHECK_EQ(cio_yield(), 0);
    CHECK_EQ(cio_barrier_waiting(b), 1); /* the first three tripped it; the fourth waits */
    CHECK_EQ(CIO_AWAIT(cio_barrier_wait(b, CIO_MS(1))), -ETIMEDOUT); /* leaves: not counted */
    CHECK_EQ(cio_barrier_waiting(b), 1);
    cio_task *u = cio_spawn(barrier_user, b);
    CHECK_EQ(cio_yield(), 0);
    cio_task_cancel(u); /* leaves too */
    CHECK_EQ(CIO_AWAIT(u), -ECANCELED);
    CHECK_EQ(cio_barrier_waiting(b), 1);
    cio_barrier_abort(b);
    intptr_t res[4];
    CHECK_EQ(CIO_AWAIT(cio_gather(t, 4, res, CIO_GATHER_RETURN_ERRORS)), 0);
    CHECK_EQ(res[0], 0);
    CHECK_EQ(res[1], 1);
    CHECK_EQ(res[2], 2);
    CHECK_EQ(res[3], -EPIPE);
    CHECK_EQ(CIO_AWAIT(cio_barrier_wait(b, 0)), -EPIPE);
    cio_barrier_reset(b);
    CHECK_EQ(cio_barrier_free(b), 0);
    cio_barrier *one = cio_barrier_new(1);
    CHECK_EQ(CIO_AWAIT(cio_barrier_wait(one, 0)), 0);
    CHECK_EQ(cio_barrier_free(one), 0);
    return 0;
}

static void test_barrier(void) { CHECK_EQ(test_run(barrier_main, NULL), 0); }

/* ---- allocation failure -------------------------------------------------------------- */

static intptr_t lock_nomem(void *arg)
{
    (void)arg;
    cio_lock *l = cio_lock_new();
    CHECK(cio_lock_try_acquire(l));
    test_alloc_fail_after(1);
    CHECK_EQ(CIO_AWAIT(cio_lock_acquire(l, CIO_NO_TIMEOUT)), -ENOMEM);
    test_alloc_fail_after(0);
    CHECK_EQ(cio_lock_release(l), 0);
    CHECK_EQ(cio_lock_free(l), 0);
    return 0;
}

static void test_nomem(void)
{
    /* the cache may hold a free waiter: empty it by using a fresh loop */
    CHECK_EQ(test_run(lock_nomem, NULL), 0);
}

int main(void)
{
    test_alloc_install();
    long before = test_alloc_live();
    RUN(test_lock_fifo);
    RUN(test_lock_cancel_timeout);
    RUN(test_lock_grant_then_cancel);
    RUN(test_semaphore);
    RUN(test_event);
    RUN(test_condition);
    RUN(test_barrier);
    RUN(test_nomem);
    CHECK_EQ(test_alloc_live(), before);
    return 0;
}
