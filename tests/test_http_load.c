/* test_http_load.c — libcurl is loaded by the first HTTP use, not by
 * linking cio: a program that makes no request never maps it; one whose
 * libcurl cannot be loaded ($CIO_LIBCURL pointing nowhere) gets -ELIBACC
 * from cio_http_init, cio_http_set_limits and every request, and its loop
 * stays usable and empty. This binary does not link libcurl itself. */
#include <sys/wait.h>
#include "harness.h"

static intptr_t no_http(void *arg)
{
    (void)arg;
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(1))), 0);
    return 0;
}

static intptr_t missing_curl(void *arg)
{
    (void)arg;
    CHECK_EQ(cio_http_init(NULL), -ELIBACC);
    CHECK_EQ(cio_http_set_limits(NULL, 1, 1), -ELIBACC);
    cio_http_response *r = (cio_http_response *)1;
    CHECK_EQ(CIO_AWAIT(cio_http_request("http://127.0.0.1:1/", NULL, &r)), -ELIBACC);
    CHECK(r == NULL); /* could not start: *out stays NULL */
    CHECK_EQ(CIO_AWAIT(cio_http_get("http://127.0.0.1:1/", NULL)), -ELIBACC);
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(1))), 0); /* the loop carries on */
    return 0;
}

static intptr_t with_curl(void *arg)
{
    (void)arg;
    CHECK_EQ(test_libcurls_mapped(), 0);
    CHECK_EQ(cio_http_init(NULL), 0);
    CHECK_EQ(test_libcurls_mapped(), 1);
    CHECK_EQ(cio_http_init(NULL), 0); /* once per loop: a no-op now */
    return 0;
}

static void test_not_loaded_without_http(void)
{
    CHECK_EQ(test_run(no_http, NULL), 0);
    CHECK_EQ(test_libcurls_mapped(), 0);
}

/* In a child: the load happens once per process. */
static void test_missing_libcurl_is_an_error(void)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        setenv("CIO_LIBCURL", "/nonexistent/libcurl.so.4", 1);
        CHECK_EQ(test_run(missing_curl, NULL), 0);
        CHECK_EQ(test_libcurls_mapped(), 0);
        CHECK_EQ(test_alloc_live(), 0);
        _exit(0);
    }
    int st;
    CHECK_EQ(waitpid(pid, &st, 0), pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void test_loaded_by_first_use(void)
{
    CHECK_EQ(test_run(with_curl, NULL), 0);
    CHECK_EQ(test_alloc_live(), 0);
}

int main(void)
{
    test_alloc_install();
    RUN(test_not_loaded_without_http);
    RUN(test_missing_libcurl_is_an_error);
    RUN(test_loaded_by_first_use);
    return 0;
}
