/* test_compose.c — gather, wait, wait_for, as_completed, shield and
 * timeout scopes: ordering, errors, deadlines, cancellation, leaks. */
#include "harness.h"

static intptr_t sleep_ret(void *arg)
{
    intptr_t ms = (intptr_t)arg;
    intptr_t r = CIO_AWAIT(cio_sleep(CIO_MS(ms)));
    return r < 0 ? r : ms;
}

static intptr_t fail_after(void *arg)
{
    CIO_AWAIT(cio_sleep(CIO_MS((intptr_t)arg)));
    return -EIO;
}

static intptr_t gather_main(void *arg)
{
    (void)arg;
    intptr_t res[4];
    cio_future *fs[4] = { cio_spawn(sleep_ret, (void *)30), cio_spawn(sleep_ret, (void *)10),
                          cio_spawn(sleep_ret, (void *)20), cio_sleep(CIO_MS(1)) };
    CHECK_EQ(CIO_AWAIT(cio_gather(fs, 4, res, 0)), 0);
    CHECK_EQ(res[0], 30); /* results in argument order */
    CHECK_EQ(res[1], 10);
    CHECK_EQ(res[2], 20);
    CHECK_EQ(res[3], 0);
    CHECK_EQ(CIO_AWAIT(cio_gather(NULL, 0, NULL, 0)), 0);

    /* first error: the others are cancelled and awaited */
    cio_future *fe[3] = { cio_spawn(sleep_ret, (void *)1000), cio_spawn(fail_after, (void *)1),
                          cio_spawn(sleep_ret, (void *)1000) };
    CHECK_EQ(CIO_AWAIT(cio_gather(fe, 3, res, 0)), -EIO);
    CHECK_EQ(res[0], -ECANCELED);
    CHECK_EQ(res[1], -EIO);
    CHECK_EQ(res[2], -ECANCELED);

    /* return-errors mode: nothing cancelled, every result */
    cio_future *fr[3] = { cio_spawn(sleep_ret, (void *)5), cio_spawn(fail_after, (void *)1),
                          cio_gather(NULL, 0, NULL, 0) };
    CHECK_EQ(CIO_AWAIT(cio_gather(fr, 3, res, CIO_GATHER_RETURN_ERRORS)), 0);
    CHECK_EQ(res[0], 5);
    CHECK_EQ(res[1], -EIO);
    CHECK_EQ(res[2], 0);

    /* a static failed future in the array */
    cio_future *fz[2] = { cio_spawn(sleep_ret, (void *)1), cio_queue_get(NULL, 0) };
    CHECK_EQ(CIO_AWAIT(cio_gather(fz, 2, res, CIO_GATHER_RETURN_ERRORS)), 0);
    CHECK_EQ(res[0], 1);
    CHECK_EQ(res[1], -EINVAL);
    return 0;
}

static void test_gather(void) { CHECK_EQ(test_run(gather_main, NULL), 0); }

static intptr_t gather_inner(void *arg)
{
    intptr_t *res = arg;
    cio_future *fs[2] = { cio_spawn(sleep_ret, (void *)1000), cio_spawn(sleep_ret, (void *)2000) };
    return CIO_AWAIT(cio_gather(fs, 2, res, 0));
}

static intptr_t gather_cancel_main(void *arg)
{
    (void)arg;
    intptr_t res[2] = { 1, 1 };
    cio_task *t = cio_spawn(gather_inner, res);
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(2))), 0);
    cio_task_cancel(t); /* reaches the gather, which cancels both children */
    CHECK_EQ(CIO_AWAIT(t), -ECANCELED);
    CHECK_EQ(res[0], -ECANCELED); /* both settled before the await returned */
    CHECK_EQ(res[1], -ECANCELED);
    return 0;
}

static void test_gather_cancel(void) { CHECK_EQ(test_run(gather_cancel_main, NULL), 0); }

static intptr_t wait_main(void *arg)
{
    (void)arg;
    /* Far apart (1, 100, 400 ms) so a loaded machine cannot reorder them. */
    cio_future *fs[3] = { cio_spawn(sleep_ret, (void *)400), cio_spawn(sleep_ret, (void *)1),
                          cio_spawn(fail_after, (void *)100) };
    CHECK_EQ(CIO_AWAIT(cio_wait(fs, 3, CIO_WAIT_FIRST_COMPLETED, CIO_NO_TIMEOUT)), 1);
    CHECK(cio_future_done(fs[1]) && !cio_future_done(fs[0]));
    CHECK_EQ(CIO_AWAIT(cio_wait(fs, 3, CIO_WAIT_FIRST_ERROR, CIO_NO_TIMEOUT)), 2);
    CHECK_EQ(cio_future_result(fs[2]), -EIO);
    CHECK_EQ(CIO_AWAIT(cio_wait(fs, 3, CIO_WAIT_ALL_COMPLETED, CIO_MS(1))), 2); /* timeout: no error */
    CHECK_EQ(CIO_AWAIT(cio_wait(fs, 3, CIO_WAIT_ALL_COMPLETED, CIO_NO_TIMEOUT)), 3);
    for (int i = 0; i < 3; i++) /* wait borrowed them: still ours */
        CIO_AWAIT(fs[i]);
    CHECK_EQ(CIO_AWAIT(cio_wait(NULL, 0, CIO_WAIT_ALL_COMPLETED, 0)), 0);

    /* an already-failed static future counts at once and ends FIRST_ERROR */
    cio_future *mixed[2] = { cio_spawn(sleep_ret, (void *)1000), cio_lock_acquire(NULL, 0) };
    CHECK_EQ(CIO_AWAIT(cio_wait(mixed, 2, CIO_WAIT_FIRST_ERROR, CIO_NO_TIMEOUT)), 1);
    cio_task_cancel(mixed[0]);
    CHECK_EQ(CIO_AWAIT(mixed[0]), -ECANCELED);
    CHECK_EQ(CIO_AWAIT(mixed[1]), -EINVAL);

    /* wait_for: cancels on expiry and settles first */
    CHECK_EQ(CIO_AWAIT(cio_wait_for(cio_spawn(sleep_ret, (void *)1000), CIO_MS(2))), -ETIMEDOUT);
    CHECK_EQ(CIO_AWAIT(cio_wait_for(cio_spawn(sleep_ret, (void *)1), CIO_MS(1000))), 1);

    /* cancelling a wait completes it; the futures are untouched */
    cio_task *s = cio_spawn(sleep_ret, (void *)5);
    cio_future *w = cio_wait(&s, 1, CIO_WAIT_ALL_COMPLETED, CIO_NO_TIMEOUT);
    CHECK_EQ(cio_future_cancel(w), 1);
    CHECK_EQ(CIO_AWAIT(w), -ECANCELED);
    CHECK_EQ(CIO_AWAIT(s), 5);
    return 0;
}

static void test_wait(void) { CHECK_EQ(test_run(wait_main, NULL), 0); }

static intptr_t as_completed_main(void *arg)
{
    (void)arg;
    cio_future *fs[4] = { cio_spawn(sleep_ret, (void *)30), cio_spawn(sleep_ret, (void *)10),
                          cio_spawn(fail_after, (void *)20), cio_spawn(sleep_ret, (void *)0) };
    cio_as_completed *it = cio_as_completed_new(fs, 4, CIO_NO_TIMEOUT);
    static const intptr_t order[] = { 3, 1, 2, 0 };
    static const intptr_t want[] = { 0, 10, -EIO, 30 };
    intptr_t r;
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(cio_as_completed_next(it, &r), order[i]);
        CHECK_EQ(r, want[i]);
    }
    CHECK_EQ(cio_as_completed_next(it, &r), -ENODATA);
    CHECK_EQ(cio_as_completed_free(it), 0);

    /* a deadline over the whole iteration; free cancels the rest */
    cio_future *ft[2] = { cio_spawn(sleep_ret, (void *)1), cio_spawn(sleep_ret, (void *)1000) };
    it = cio_as_completed_new(ft, 2, CIO_MS(20));
    CHECK_EQ(cio_as_completed_next(it, &r), 0);
    CHECK_EQ(cio_as_completed_next(it, &r), -ETIMEDOUT);
    CHECK_EQ(cio_as_completed_free(it), 1);
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(1))), 0); /* let the cancelled task finish */
    return 0;
}

static void test_as_completed(void) { CHECK_EQ(test_run(as_completed_main, NULL), 0); }

static intptr_t shield_main(void *arg)
{
    (void)arg;
    cio_task *inner = cio_spawn(sleep_ret, (void *)5);
    cio_future *s = cio_shield(cio_future_retain(inner));
    CHECK_EQ(cio_future_cancel(s), 1);
    CHECK_EQ(CIO_AWAIT(s), -ECANCELED);
    CHECK_EQ(CIO_AWAIT(inner), 5); /* ran on, unharmed */
    CHECK_EQ(CIO_AWAIT(cio_shield(cio_spawn(sleep_ret, (void *)1))), 1);
    return 0;
}

static void test_shield(void) { CHECK_EQ(test_run(shield_main, NULL), 0); }

static intptr_t timeout_main(void *arg)
{
    (void)arg;
    cio_timeout *s = cio_timeout_enter(CIO_MS(50));
    CHECK(s);
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(1))), 0);
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(1000))), -ECANCELED); /* the scope's deadline */
    CHECK_EQ(cio_timeout_reschedule(s, CIO_MS(5)), -EALREADY);
    CHECK_EQ(cio_timeout_exit(s), -ETIMEDOUT);
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(1))), 0); /* absorbed: later awaits are fine */

    s = cio_timeout_enter(CIO_MS(1000));
    CHECK_EQ(cio_timeout_reschedule(s, CIO_MS(2000)), 0);
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(1))), 0);
    CHECK_EQ(cio_timeout_exit(s), 0);

    /* fired while the task was busy: nothing saw it, exit still reports it */
    s = cio_timeout_enter(0);
    CHECK_EQ(cio_timeout_exit(s), 0); /* has not fired yet: no loop turn */
    s = cio_timeout_enter(0);
    CHECK_EQ(cio_yield(), -ECANCELED);
    CHECK_EQ(cio_timeout_exit(s), -ETIMEDOUT);
    CHECK_EQ(cio_yield(), 0);
    return 0;
}

static void test_timeout_scope(void) { CHECK_EQ(test_run(timeout_main, NULL), 0); }

int main(void)
{
    test_alloc_install();
    long before = test_alloc_live();
    RUN(test_gather);
    RUN(test_gather_cancel);
    RUN(test_wait);
    RUN(test_as_completed);
    RUN(test_shield);
    RUN(test_timeout_scope);
    CHECK_EQ(test_alloc_live(), before);
    return 0;
}
