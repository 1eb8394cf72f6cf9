/* test_stack.c — task stacks: usable to their size, custom sizes, a clean
 * named crash on overflow, and many concurrent tasks at default settings. */
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "harness.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#endif

/* Touches `kib` KiB of stack, one page at a time, through recursion. */
static __attribute__((noinline)) int use_stack(int kib)
{
    volatile char page[1024];
    page[0] = (char)kib;
    if (kib <= 1)
        return page[0];
    return use_stack(kib - 1) + page[0] - (char)kib + 1;
}

static intptr_t use_kib(void *arg) { return use_stack((int)(intptr_t)arg); }

static intptr_t stack_sizes(void *arg)
{
    /* Default stack (128 KiB): 64 KiB of frames fit. */
    CHECK_EQ(CIO_AWAIT(cio_spawn(use_kib, (void *)64)), 64);
    /* A 2 MiB stack holds 1 MiB of frames. */
    cio_task_opts big = { .name = "big", .stack_size = 2u << 20 };
    CHECK_EQ(CIO_AWAIT(cio_spawn_ex(NULL, use_kib, (void *)1024, &big)), 1024);
    return 0;
}

static void test_stack_sizes(void) { CHECK_EQ(test_run(stack_sizes, NULL), 0); }

#ifndef UNDER_SANITIZER
/* Overflows a 64 KiB stack in a task named `arg`, or (NULL) in one left
 * with its default name, never asked for before the crash. */
static intptr_t overflow_main(void *arg)
{
    cio_task_opts o = { .name = arg, .stack_size = 64 * 1024 };
    return CIO_AWAIT(cio_spawn_ex(NULL, use_kib, (void *)100000, &o));
}

/* Runs overflow_main(name) in a child process; checks it aborted and that
 * its stderr holds `want`. */
static void check_overflow_report(const char *name, const char *want)
{
    int err[2];
    CHECK_EQ(pipe(err), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        dup2(err[1], 2);
        test_run(overflow_main, (void *)name);
        _exit(0);
    }
    close(err[1]);
    char buf[512] = { 0 };
    ssize_t n, len = 0;
    while ((n = read(err[0], buf + len, sizeof buf - 1 - (size_t)len)) > 0)
        len += n;
    close(err[0]);
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    CHECK(strstr(buf, want) != NULL);
}
#endif

static void test_overflow_names_the_task(void)
{
#ifdef UNDER_SANITIZER
    printf("  (skipped: sanitizers report stack overflows themselves)\n");
#else
    check_overflow_report("deep", "stack overflow in task 'deep' (stack size 65536 bytes)");
    /* main is task 1, its child task 2 */
    check_overflow_report(NULL, "stack overflow in task 'task-2' (stack size 65536 bytes)");
#endif
}

#ifdef __SANITIZE_THREAD__
enum { NPARKED = 4000 }; /* TSan counts each fiber against its 8128-thread limit */
#else
enum { NPARKED = 100000 };
#endif

static intptr_t parked(void *arg)
{
    return CIO_AWAIT(cio_sleep(CIO_MS(50)));
}

static intptr_t many_parked(void *arg)
{
    cio_task **t = malloc(NPARKED * sizeof(*t));
    for (int i = 0; i < NPARKED; i++)
        t[i] = cio_spawn(parked, NULL);
    intptr_t bad = 0;
    for (int i = 0; i < NPARKED; i++)
        bad += CIO_AWAIT(t[i]) != 0;
    free(t);
    return bad;
}

/* 100,000 tasks parked at once, each on its own guarded 128 KiB stack:
 * works within the default vm.max_map_count (1,000,000 is in bench/). */
static void test_hundred_thousand_parked(void)
{
    CHECK_EQ(test_run(many_parked, NULL), 0);
}

int main(void)
{
    test_alloc_install();
    long before = test_alloc_live();
    RUN(test_stack_sizes);
    RUN(test_overflow_names_the_task);
    RUN(test_hundred_thousand_parked);
    CHECK_EQ(test_alloc_live(), before);
    return 0;
}
