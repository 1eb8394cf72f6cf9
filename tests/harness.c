/* tests/harness.c — see harness.h. */
#include <stdatomic.h>
#include "future/internal.h"
#include "harness.h"

static atomic_long g_live;
static atomic_long g_fail_after;

static bool should_fail(void)
{
    long n = atomic_load(&g_fail_after);
    if (n <= 0)
        return false;
    if (atomic_fetch_sub(&g_fail_after, 1) == 1)
        return true;
    return false;
}

static void *t_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    void *p = malloc(n);
    if (p)
        atomic_fetch_add(&g_live, 1);
    return p;
}

static void *t_calloc(size_t c, size_t n)
{
    if (should_fail())
        return NULL;
    void *p = calloc(c, n);
    if (p)
        atomic_fetch_add(&g_live, 1);
    return p;
}

static void *t_realloc(void *old, size_t n)
{
    if (should_fail())
        return NULL;
    void *p = realloc(old, n);
    if (p && !old)
        atomic_fetch_add(&g_live, 1);
    return p;
}

static void t_free(void *p)
{
    if (p)
        atomic_fetch_sub(&g_live, 1);
    free(p);
}

void test_alloc_install(void)
{
    cio_allocator a = { t_malloc, t_calloc, t_realloc, t_free };
    CHECK_EQ(cio_set_allocator(&a), 0);
}

long test_alloc_live(void) { return atomic_load(&g_live); }

long test_alloc_live_unpooled(void)
{
    cio_loop *l = cio_loop_current();
    cio__sched *s = l ? cio__sched_get(l) : NULL;
    long chunks = 0;
    for (int i = 0; s && i < CIO_POOL_COUNT; i++)
        chunks += (long)s->pools[i].nchunks;
    return test_alloc_live() - chunks;
}
void test_alloc_fail_after(long n) { atomic_store(&g_fail_after, n); }

cio_loop_opts test_loop_opts(void)
{
    cio_loop_opts o = { 0 };
    const char *ring = getenv("CIO_TEST_RING");
    if (!ring || !strcmp(ring, "auto"))
        return o;
    if (!strcmp(ring, "coop"))
        o.ring_mode = CIO_RING_COOP;
    else if (!strcmp(ring, "plain"))
        o.ring_mode = CIO_RING_PLAIN;
    else if (!strcmp(ring, "tiny")) {
        o.sq_entries = 2; /* forces the SQ-full and in-flight-cap paths */
        o.cq_entries = 4;
        o.max_inflight = 4;
    }
    return o;
}

cio_loop *test_loop_new(void)
{
    cio_loop_opts o = test_loop_opts();
    cio_loop *l = NULL;
    int rc = cio_loop_new(&l, &o);
    if (rc == -ENOSYS || rc == -EPERM) {
        printf("SKIP: io_uring unavailable here (%s)\n", cio_strerror(rc));
        exit(TEST_SKIP);
    }
    CHECK_EQ(rc, 0);
    return l;
}

void test_loop_free(cio_loop *l)
{
    CHECK_EQ(cio_loop_alive(l), 0);
    CHECK_EQ(cio_loop_free(l), 0);
}

intptr_t test_run(cio_task_fn fn, void *arg)
{
    cio_loop *l = test_loop_new();
    intptr_t r = cio_loop_run_until_complete(l, cio_spawn_ex(l, fn, arg, &(cio_task_opts){ .name = "main" }));
    test_loop_free(l);
    return r;
}

int test_libcurls_mapped(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    CHECK(f != NULL);
    char line[512], seen[4][256];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        char *p = strstr(line, "/libcurl");
        if (!p)
            continue;
        p = strchr(line, '/');
        p[strcspn(p, "\n")] = 0;
        bool dup = false;
        for (int i = 0; i < n; i++)
            dup |= !strcmp(seen[i], p);
        if (!dup && n < 4)
            snprintf(seen[n++], sizeof seen[0], "%s", p);
    }
    fclose(f);
    return n;
}
