/* test_misuse.c — API misuse is a negative errno (and a debug message),
 * never a crash or a leak; allocation failures are clean -ENOMEM. */
#include "harness.h"

static intptr_t ret_zero(void *arg) { return 0; }

static void test_await_outside_task(void)
{
    cio_loop *l = test_loop_new();
    cio_future *f = cio_future_new(l);
    CHECK_EQ(cio_await(f), -EPERM); /* reference consumed all the same */
    CHECK_EQ(cio_await(NULL), -EINVAL);
    CHECK_EQ(cio_yield(), -EPERM);
    test_loop_free(l);
}

static intptr_t await_foreign(void *arg)
{
    cio_loop *other = arg;
    CHECK_EQ(CIO_AWAIT(cio_future_new(other)), -EINVAL);
    CHECK_EQ(CIO_AWAIT(cio_future_retain(cio_current_task())), -EDEADLK);
    CHECK_EQ(cio_loop_run_until_complete(other, cio_future_new(other)), -EPERM);
    CHECK_EQ(cio_run(ret_zero, NULL, NULL), -EPERM);
    CHECK_EQ(cio_loop_free(cio_loop_current()), -EPERM);
    return 0;
}

static void test_foreign_self_nested(void)
{
    cio_loop *other = test_loop_new();
    CHECK_EQ(test_run(await_foreign, other), 0);
    test_loop_free(other);
}

static void test_null_arguments(void)
{
    CHECK_EQ(cio_future_set_result(NULL, 1), -EINVAL);
    CHECK_EQ(cio_future_cancel(NULL), -EINVAL);
    CHECK_EQ(cio_future_result(NULL), -EINVAL);
    CHECK_EQ(cio_future_add_done_callback(NULL, NULL, NULL), -EINVAL);
    CHECK_EQ(cio_task_detach(NULL), -EINVAL);
    CHECK_EQ(cio_task_cancel(NULL), -EINVAL);
    CHECK_EQ(cio_set_allocator(NULL), -EINVAL);
    /* Without a loop: failed futures, not NULL. */
    CHECK_EQ(cio_future_result(cio_spawn(ret_zero, NULL)), -EPERM);
    CHECK_EQ(cio_future_result(cio_sleep(1)), -EPERM);
    CHECK_EQ(cio_future_result(cio_nop()), -EPERM);
    CHECK_EQ(cio_future_result(cio_future_new(NULL)), -EINVAL);
    cio_loop *l = test_loop_new();
    CHECK_EQ(cio_future_result(cio_spawn_ex(l, NULL, NULL, NULL)), -EINVAL);
    CHECK_EQ(cio_future_result(cio_spawn_ex(l, ret_zero, NULL, &(cio_task_opts){ .stack_size = 1ull << 40 })), -EINVAL);
    cio_future *plain = cio_future_new(l);
    CHECK_EQ(cio_task_detach(plain), -EINVAL); /* not a task */
    cio_future_release(plain);
    test_loop_free(l);
}

static intptr_t wrong_results(void *arg)
{
    cio_task *t = cio_spawn(ret_zero, NULL);
    CHECK_EQ(cio_future_set_result(t, 5), -EINVAL); /* a task's result is its return value */
    CHECK_EQ(CIO_AWAIT(t), 0);
    CHECK_EQ(CIO_AWAIT(cio_file_read(0, NULL, 10, 0)), -EINVAL);
    CHECK_EQ(CIO_AWAIT(cio_file_read(0, "", 1, -5)), -EINVAL);
    CHECK_EQ(CIO_AWAIT(cio_file_open(NULL, 0, 0)), -EINVAL);
    CHECK_EQ(CIO_AWAIT(cio_file_read(-1, (char[4]){ 0 }, 4, 0)), -EBADF); /* the kernel's answer */
    return 0;
}

static void test_wrong_results(void) { CHECK_EQ(test_run(wrong_results, NULL), 0); }

static intptr_t child_forever(void *arg)
{
    int *cancelled = arg;
    if (CIO_AWAIT(cio_sleep(CIO_MS(100000))) == -ECANCELED)
        (*cancelled)++;
    return 0;
}

static intptr_t abandons_children(void *arg)
{
    cio_spawn(child_forever, arg);
    cio_spawn(child_forever, arg);
    cio_yield();
    return 0; /* returns while holding two children */
}

static intptr_t parent_of_abandoner(void *arg)
{
    intptr_t r = CIO_AWAIT(cio_spawn(abandons_children, arg));
    CIO_AWAIT(cio_sleep(CIO_MS(1))); /* let the cancelled children finish */
    return r;
}

static void test_task_returns_holding_children(void)
{
    int cancelled = 0;
    CHECK_EQ(test_run(parent_of_abandoner, &cancelled), -EBUSY);
    CHECK_EQ(cancelled, 2);
}

static intptr_t spawn_some(void *arg)
{
    cio_task *t[4];
    for (int i = 0; i < 4; i++)
        t[i] = cio_spawn(ret_zero, NULL);
    intptr_t r = 0;
    for (int i = 0; i < 4; i++) {
        intptr_t x = CIO_AWAIT(t[i]);
        if (x < 0)
            r = x;
    }
    intptr_t s = CIO_AWAIT(cio_sleep(1));
    return s < 0 ? s : r;
}

/* Fails the n-th allocation for every n until a run needs no more: each
 * run ends in success or -ENOMEM, never a crash, and leaks nothing. */
static void test_allocation_failures(void)
{
    int nomem = 0;
    for (long n = 1; n < 200; n++) {
        long before = test_alloc_live();
        cio_loop *l = NULL;
        test_alloc_fail_after(n);
        int rc = cio_loop_new(&l, NULL);
        if (rc == 0) {
            intptr_t r = cio_loop_run_until_complete(l, cio_spawn_ex(l, spawn_some, NULL, NULL));
            CHECK(r == 0 || r == -ENOMEM);
            nomem += r == -ENOMEM;
            CHECK_EQ(cio_loop_free(l), 0);
        } else {
            CHECK_EQ(rc, -ENOMEM);
        }
        test_alloc_fail_after(0);
        CHECK_EQ(test_alloc_live(), before);
    }
    CHECK(nomem > 0);
}

int main(void)
{
    test_alloc_install();
    long before = test_alloc_live();
    RUN(test_await_outside_task);
    RUN(test_foreign_self_nested);
    RUN(test_null_arguments);
    RUN(test_wrong_results);
    RUN(test_task_returns_holding_children);
    RUN(test_allocation_failures);
    CHECK_EQ(test_alloc_live(), before);
    return 0;
}
