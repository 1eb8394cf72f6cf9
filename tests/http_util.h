/* tests/http_util.h — real HTTP servers on loopback for the HTTP tests and
 * examples: Python's own http.server over a directory, and the small custom
 * server tests/http_server.py for the odd cases. Each runs as a child
 * process (killed with the test) on a free port it chose itself.
 */
#ifndef CIO_TEST_HTTP_UTIL_H
#define CIO_TEST_HTTP_UTIL_H

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CIO_TEST_DIR
#define CIO_TEST_DIR "tests"
#endif
#define TEST_PYTHON "/usr/bin/python3"

typedef struct test_server {
    pid_t pid;
    int port;
} test_server;

/* Runs argv with stdout on a pipe and returns once a line gives the port
 * (after `marker`). Exits 77 (skip) when python3 is missing. */
static inline test_server test_server_spawn(char *const argv[], const char *marker)
{
    if (access(TEST_PYTHON, X_OK) != 0) {
        printf("SKIP: %s not found\n", TEST_PYTHON);
        exit(77);
    }
    int p[2];
    if (pipe(p) != 0)
        abort();
    pid_t ppid = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != ppid)
            _exit(1);
        dup2(p[1], 1);
        if (!getenv("CIO_TEST_VERBOSE")) {
            int null = open("/dev/null", O_WRONLY);
            dup2(null, 2);
        }
        close(p[0]);
        close(p[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(p[1]);
    FILE *f = fdopen(p[0], "r");
    char line[512];
    test_server s = { pid, 0 };
    while (s.port == 0 && fgets(line, sizeof line, f)) {
        char *m = strstr(line, marker);
        if (m)
            s.port = atoi(m + strlen(marker));
    }
    fclose(f); /* the server's later output goes to a closed pipe: it prints nothing more */
    if (s.port == 0) {
        fprintf(stderr, "server %s did not start\n", argv[0]);
        exit(1);
    }
    return s;
}

/* tests/http_server.py, serving `dir` under /files/ (NULL: "."). */
static inline test_server test_server_custom(const char *dir)
{
    char *argv[] = { TEST_PYTHON, "-u", CIO_TEST_DIR "/http_server.py", "--dir", (char *)(dir ? dir : "."), NULL };
    return test_server_spawn(argv, "PORT ");
}

/* python3 -m http.server on 127.0.0.1 serving `dir`. */
static inline test_server test_server_python(const char *dir)
{
    char *argv[] = { TEST_PYTHON, "-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", (char *)dir,
                     "0", NULL };
    return test_server_spawn(argv, " port ");
}

static inline void test_server_stop(test_server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
    }
    s->pid = 0;
}

#endif
