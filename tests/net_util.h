/* tests/net_util.h — small helpers shared by the network tests: blocking
 * listeners made with plain syscalls (so the code under test is only on
 * one side), fd counting. */
#ifndef CIO_TEST_NET_UTIL_H
#define CIO_TEST_NET_UTIL_H

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include "harness.h"

/* A listening TCP socket on 127.0.0.1 with a kernel-chosen port. */
static inline int tu_listen4(uint16_t *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(fd >= 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    CHECK_EQ(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(fd, 128), 0);
    socklen_t len = sizeof a;
    CHECK_EQ(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

/* Open fds of this process. */
static inline int tu_count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    CHECK(d);
    int n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n - 3; /* ".", ".." and the DIR's own fd */
}

/* Like test_run, but the loop may keep at least `min_inflight` operations
 * in the kernel: servers park one receive per idle connection, and the
 * "tiny" configuration caps in-flight ops at 4 (its 2-entry SQ still runs
 * the SQ-full paths). */
static inline intptr_t tu_run_inflight(cio_task_fn fn, void *arg, size_t min_inflight)
{
    cio_loop_opts o = test_loop_opts();
    if (o.max_inflight && o.max_inflight < min_inflight)
        o.max_inflight = min_inflight;
    cio_loop *l = NULL;
    int rc = cio_loop_new(&l, &o);
    if (rc == -ENOSYS || rc == -EPERM) {
        printf("SKIP: io_uring unavailable here (%s)\n", cio_strerror(rc));
        exit(TEST_SKIP);
    }
    CHECK_EQ(rc, 0);
    intptr_t r = cio_loop_run_until_complete(l, cio_spawn_ex(l, fn, arg, &(cio_task_opts){ .name = "main" }));
    test_loop_free(l);
    return r;
}

static inline intptr_t tu_run(cio_task_fn fn, void *arg) { return tu_run_inflight(fn, arg, 1024); }

#endif
