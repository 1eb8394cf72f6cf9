/* test_net_10k.c — 10,000 concurrent connections held by one loop, twice:
 * every handler is alive at once, and after the peers close, the fd count
 * is back to where it was and the live allocations do not grow from one
 * round to the next. The clients run in a forked child (plain blocking
 * sockets) so each process stays within its fd limit. */
#include <sys/resource.h>
#include <sys/wait.h>
#include "net_util.h"

enum { N = 10000, ROUNDS = 2 };

static int to_child[2], to_parent[2];

static void child(void)
{
    uint16_t port;
    CHECK_EQ(read(to_child[0], &port, sizeof port), (ssize_t)sizeof port);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    static int fds[N];
    for (int round = 0; round < ROUNDS; round++) {
        char c;
        CHECK_EQ(read(to_child[0], &c, 1), 1); /* 'C': connect */
        for (int i = 0; i < N; i++) {
            fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            CHECK(fds[i] >= 0);
            CHECK_EQ(connect(fds[i], (struct sockaddr *)&a, sizeof a), 0);
            CHECK_EQ(write(fds[i], "hi\n", 3), 3);
        }
        for (int i = 0; i < N; i++) {
            char b[3];
            CHECK_EQ(recv(fds[i], b, 3, MSG_WAITALL), 3);
            CHECK(!memcmp(b, "hi\n", 3));
        }
        CHECK_EQ(write(to_parent[1], "R", 1), 1);
        CHECK_EQ(read(to_child[0], &c, 1), 1); /* 'G': go away */
        for (int i = 0; i < N; i++)
            close(fds[i]);
    }
    _exit(0);
}

static intptr_t hold(cio_stream *s, void *arg)
{
    (void)arg;
    char line[16];
    intptr_t n = cio_stream_readline(s, line, sizeof line);
    if (n <= 0)
        return n;
    cio_stream_write(s, line, (size_t)n);
    return cio_stream_readline(s, line, sizeof line); /* 0 when the peer closes */
}

static intptr_t parent(void *arg)
{
    (void)arg;
    cio_server *srv;
    cio_server_opts o = { .backlog = 4096, .handler_stack_size = 64 * 1024 };
    CHECK_EQ(cio_start_server("127.0.0.1", 0, hold, NULL, &o, &srv), 0);
    uint16_t port = cio_server_port(srv);
    CHECK_EQ(write(to_child[1], &port, sizeof port), (ssize_t)sizeof port);
    int fds0 = tu_count_fds();
    long live[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
        CHECK_EQ(write(to_child[1], "C", 1), 1);
        char c = 0;
        CHECK_EQ(CIO_AWAIT(cio_file_read(to_parent[0], &c, 1, -1)), 1);
        CHECK_EQ(c, 'R');
        CHECK_EQ(cio_server_connections(srv), N);
        CHECK(tu_count_fds() >= fds0 + N);
        CHECK_EQ(write(to_child[1], "G", 1), 1);
        while (cio_server_connections(srv))
            CIO_AWAIT(cio_sleep(CIO_MS(5)));
        CHECK_EQ(tu_count_fds(), fds0);
        live[round] = test_alloc_live_unpooled();
        printf("round %d: %d connections held; after close: fds %d, live allocations %ld\n", round, N,
               tu_count_fds(), live[round]);
    }
    CHECK(live[1] <= live[0]); /* caches reach their size in round one; no growth after */
    CHECK_EQ(cio_server_accepted(srv), (uint64_t)N * ROUNDS);
    CHECK_EQ(cio_server_close(srv, 0), 0);
    return 0;
}

int main(void)
{
    struct rlimit rl;
    CHECK_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
    if (rl.rlim_max < N + 200) {
        struct rlimit want = { N + 1000, N + 1000 };
        if (setrlimit(RLIMIT_NOFILE, &want) < 0) {
            printf("SKIP: RLIMIT_NOFILE hard limit %lu < %d\n", (unsigned long)rl.rlim_max, N + 200);
            return TEST_SKIP;
        }
    } else {
        rl.rlim_cur = rl.rlim_max;
        CHECK_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
    }
    CHECK_EQ(pipe2(to_child, O_CLOEXEC), 0);
    CHECK_EQ(pipe2(to_parent, O_CLOEXEC), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        child();
    test_alloc_install();
    CHECK_EQ(tu_run_inflight(parent, NULL, 4 * N), 0);
    int status;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_EQ(test_alloc_live(), 0);
    return 0;
}
