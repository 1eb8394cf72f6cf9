/* test_cancel.c [threads] — cancellation and deadlines: where a task sees -ECANCELED,
 * propagation into what it awaits, and the io_uring buffer-lifetime rule
 * (an await never returns before the kernel is done with the buffer). */
#include <fcntl.h>
#include <unistd.h>
#include "harness.h"

static intptr_t sleep_long(void *arg)
{
    int *cleaned = arg;
    intptr_t r = CIO_AWAIT(cio_sleep(CIO_MS(10000)));
    if (r == -ECANCELED && cleaned)
        (*cleaned)++; /* a cancelled task may still clean up */
    return r == -ECANCELED ? 99 : r;
}

static intptr_t cancel_parked(void *arg)
{
    int cleaned = 0;
    cio_task *t = cio_spawn(sleep_long, &cleaned);
    CHECK_EQ(cio_yield(), 0); /* let it park */
    CHECK_EQ(cio_task_cancel(t), 1);
    CHECK_EQ(CIO_AWAIT(t), 99);
    CHECK_EQ(cleaned, 1);
    return 0;
}

static void test_cancel_parked_task(void) { CHECK_EQ(test_run(cancel_parked, NULL), 0); }

static intptr_t never_runs(void *arg)
{
    *(int *)arg = 1;
    return 0;
}

static intptr_t cancel_before_start(void *arg)
{
    int ran = 0;
    cio_task *t = cio_spawn(never_runs, &ran);
    CHECK_EQ(cio_task_cancel(t), 1);
    cio_future_retain(t);
    CHECK_EQ(CIO_AWAIT(t), -ECANCELED);
    CHECK(cio_future_cancelled(t));
    CHECK_EQ(cio_task_cancel(t), 0); /* finished: a no-op */
    cio_future_release(t);
    CHECK_EQ(ran, 0);
    return 0;
}

static void test_cancel_before_start(void) { CHECK_EQ(test_run(cancel_before_start, NULL), 0); }

static intptr_t yield_loop(void *arg)
{
    for (int i = 0;; i++)
        if (cio_yield() == -ECANCELED)
            return i > 0 ? -ECANCELED : -EINVAL;
}

static intptr_t cancel_yielding(void *arg)
{
    cio_task *t = cio_spawn(yield_loop, NULL);
    for (int i = 0; i < 3; i++)
        cio_yield();
    cio_task_cancel(t);
    return CIO_AWAIT(t);
}

static void test_cancel_in_yield(void) { CHECK_EQ(test_run(cancel_yielding, NULL), -ECANCELED); }

static intptr_t await_child(void *arg)
{
    int *cleaned = arg;
    return CIO_AWAIT(cio_spawn(sleep_long, cleaned)); /* 99 when the child is cancelled */
}

static intptr_t cancel_propagates(void *arg)
{
    int cleaned = 0;
    cio_task *t = cio_spawn(await_child, &cleaned);
    cio_yield();
    cio_yield();
    cio_task_cancel(t);
    /* The child absorbed the cancellation and returned 99, so the parent's
     * await returns 99 and the cancellation stays pending for its next await:
     * the parent returns 99 without awaiting again. */
    CHECK_EQ(CIO_AWAIT(t), 99);
    CHECK_EQ(cleaned, 1);
    return 0;
}

static void test_cancel_propagates_to_child(void) { CHECK_EQ(test_run(cancel_propagates, NULL), 0); }

static intptr_t result_then_cancel_waiter(void *arg)
{
    cio_future *f = arg;
    intptr_t first = CIO_AWAIT(cio_future_retain(f));
    intptr_t second = CIO_AWAIT(cio_sleep(CIO_MS(10000)));
    return first * 1000 + (second == -ECANCELED ? 1 : 0);
}

static intptr_t result_wins_race(void *arg)
{
    cio_future *f = cio_future_new(NULL);
    cio_task *t = cio_spawn(result_then_cancel_waiter, f);
    cio_yield();
    CHECK_EQ(cio_future_set_result(f, 7), 0); /* done, waiter not yet resumed */
    cio_task_cancel(t);                        /* cannot take the result away */
    intptr_t r = CIO_AWAIT(t);
    cio_future_release(f);
    return r;
}

static void test_result_wins_then_next_await_cancelled(void)
{
    CHECK_EQ(test_run(result_wins_race, NULL), 7001);
}

/* ---- io_uring buffer lifetime ----------------------------------------------- */

enum { NREADERS = 2000, BUFSZ = 256 };

typedef struct pipe_job {
    int fd;
    int mode; /* 0: cancelled by main, 1: linked timeout, 2: timer deadline */
} pipe_job;

static intptr_t pipe_reader(void *arg)
{
    pipe_job *j = arg;
    char buf[BUFSZ]; /* on this task's stack: must outlive the kernel's use */
    memset(buf, 0x5a, sizeof buf);
    cio_future *f = cio_file_read(j->fd, buf, sizeof buf, -1);
    if (j->mode == 1)
        f = cio_with_timeout(f, CIO_US(200)); /* still queued: linked timeout */
    else if (j->mode == 2) {
        cio_yield(); /* now in the ring: the deadline is a loop timer + cancel */
        f = cio_with_timeout(f, CIO_US(300));
    }
    intptr_t r = CIO_AWAIT(f);
    for (size_t i = 0; i < sizeof buf; i++)
        CHECK(buf[i] == 0x5a); /* the kernel never wrote: nothing was read */
    return r;
}

static intptr_t many_reads(void *arg)
{
    int p[2];
    CHECK_EQ(pipe2(p, O_CLOEXEC), 0);
    static pipe_job jobs[NREADERS];
    cio_task *t[NREADERS];
    for (int i = 0; i < NREADERS; i++) {
        jobs[i] = (pipe_job){ .fd = p[0], .mode = i % 3 };
        t[i] = cio_spawn(pipe_reader, &jobs[i]);
    }
    CIO_AWAIT(cio_sleep(CIO_MS(2)));
    for (int i = 0; i < NREADERS; i += 3)
        cio_task_cancel(t[i]);
    int counts[3] = { 0, 0, 0 };
    for (int i = 0; i < NREADERS; i++) {
        intptr_t r = CIO_AWAIT(t[i]);
        int mode = i % 3;
        CHECK_EQ(r, mode == 0 ? -ECANCELED : -ETIMEDOUT);
        counts[mode]++;
    }
    /* Every read has really finished: data written now stays in the pipe. */
    CHECK_EQ(write(p[1], "hello", 5), 5);
    char back[8];
    CHECK_EQ(read(p[0], back, sizeof back), 5);
    close(p[0]);
    close(p[1]);
    return counts[0] + counts[1] + counts[2];
}

static void test_cancel_and_timeout_thousands_of_reads(void)
{
    CHECK_EQ(test_run(many_reads, NULL), NREADERS);
}

/* Reads of a real file racing tiny deadlines: each ends either complete
 * (with the right bytes) or timed out, never anything else. */
static intptr_t racing_reads(void *arg)
{
    int fd = (int)(intptr_t)arg;
    int done = 0, timed = 0;
    for (int i = 0; i < 2000; i++) {
        char buf[512] = { 0 }; /* Valgrind cannot see io_uring fill it */
        intptr_t r = CIO_AWAIT(cio_with_timeout(cio_file_read(fd, buf, sizeof buf, 4096), (uint64_t)(i % 7) * 1000));
        if (r == -ETIMEDOUT) {
            timed++;
        } else {
            CHECK_EQ(r, sizeof buf);
            CHECK(buf[0] == 'x' && buf[511] == 'x');
            done++;
        }
    }
    CHECK_EQ(done + timed, 2000);
    return 0;
}

static void test_reads_racing_deadlines(void)
{
    char path[] = "/tmp/cio-test-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    unlink(path);
    char data[8192];
    memset(data, 'x', sizeof data);
    CHECK_EQ(write(fd, data, sizeof data), sizeof data);
    CHECK_EQ(test_run(racing_reads, (void *)(intptr_t)fd), 0);
    close(fd);
}

static intptr_t plain_sleep(void *arg) { return CIO_AWAIT(cio_sleep(CIO_MS(10000))); }

static intptr_t timeout_task(void *arg)
{
    /* A task that ends cancelled by its deadline reads -ETIMEDOUT... */
    CHECK_EQ(CIO_AWAIT(cio_with_timeout(cio_spawn(plain_sleep, NULL), CIO_MS(5))), -ETIMEDOUT);
    /* ...one that absorbs the cancellation returns what it chose (99). */
    return CIO_AWAIT(cio_with_timeout(cio_spawn(sleep_long, NULL), CIO_MS(5)));
}

static intptr_t timeout_sleep(void *arg)
{
    CHECK_EQ(CIO_AWAIT(cio_with_timeout(cio_sleep(CIO_MS(10000)), CIO_MS(1))), -ETIMEDOUT);
    CHECK_EQ(CIO_AWAIT(cio_with_timeout(cio_sleep(CIO_MS(1)), CIO_MS(1000))), 0);
    cio_future *f = cio_future_new(NULL);
    cio_future_retain(f);
    CHECK_EQ(CIO_AWAIT(cio_with_timeout(f, CIO_MS(1))), -ETIMEDOUT);
    CHECK(!cio_future_cancelled(f)); /* timed out, not cancelled */
    cio_future_release(f);
    return CIO_AWAIT(cio_spawn(timeout_task, NULL));
}

static void test_deadlines(void) { CHECK_EQ(test_run(timeout_sleep, NULL), 99); }

int main(void)
{
    test_alloc_install();
    long before = test_alloc_live();
    RUN(test_cancel_parked_task);
    RUN(test_cancel_before_start);
    RUN(test_cancel_in_yield);
    RUN(test_cancel_propagates_to_child);
    RUN(test_result_wins_then_next_await_cancelled);
    RUN(test_cancel_and_timeout_thousands_of_reads);
    RUN(test_reads_racing_deadlines);
    RUN(test_deadlines);
    CHECK_EQ(test_alloc_live(), before);
    return 0;
}
