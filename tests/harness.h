/* tests/harness.h — the test harness: checks, a counting allocator, loops
 * built for the ring configuration under test, and a skip exit code.
 *
 * Every test binary runs its cases in order and exits non-zero at the first
 * failed check; ctest runs each binary under every ring configuration
 * (CIO_TEST_RING = auto | coop | plain | tiny) with a timeout.
 */
#ifndef CIO_TEST_HARNESS_H
#define CIO_TEST_HARNESS_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cio.h>

#define TEST_SKIP 77

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            exit(1);                                                                  \
        }                                                                             \
    } while (0)

#define CHECK_EQ(a, b)                                                                         \
    do {                                                                                       \
        long long va_ = (long long)(a), vb_ = (long long)(b);                                  \
        if (va_ != vb_) {                                                                      \
            fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %s (%lld vs %lld)\n", __FILE__,     \
                    __LINE__, #a, #b, va_, vb_);                                               \
            exit(1);                                                                           \
        }                                                                                      \
    } while (0)

#define RUN(fn)                               \
    do {                                      \
        fn();                                 \
        printf("ok %s\n", #fn);               \
        fflush(stdout);                       \
    } while (0)

/* Loop options for the ring configuration named by $CIO_TEST_RING. */
cio_loop_opts test_loop_opts(void);
/* A new loop for the configuration under test; exits with TEST_SKIP (and a
 * message) when io_uring is unavailable here. */
cio_loop *test_loop_new(void);
/* Frees `l`, checking nothing is alive in it. */
void test_loop_free(cio_loop *l);

/* Routes cio's allocations through a counter (call first in main). */
void test_alloc_install(void);
/* Allocations not yet freed. */
long test_alloc_live(void);
/* Those of them that are not the current loop's pool chunks (pooled
 * futures and tasks are counted by the loop itself: cio_loop_free refuses
 * while any is alive). How many chunks a burst leaves depends on where its
 * last long-lived objects landed, so tests of growth compare this. */
long test_alloc_live_unpooled(void);
/* Makes the n-th allocation from now fail (0: none). */
void test_alloc_fail_after(long n);

/* Distinct libcurl files mapped into this process (/proc/self/maps). */
int test_libcurls_mapped(void);

/* Runs `fn(arg)` as the main task of a fresh test loop and frees the loop,
 * checking it is empty. Returns the task's result. */
intptr_t test_run(cio_task_fn fn, void *arg);

#endif
