/* test_slab.c — the per-loop object pools (base/slab.c): objects spread
 * over several chunks keep their contents, freed objects are reused before
 * new memory is taken, emptied chunks are kept as spares and reused until
 * trimmed back to the allocation hook, the hook's failure is an error,
 * chunks of the default allocator are mmap'd, aligned and unmapped when
 * given back, many tasks alive at once (several chunks of task records)
 * leave nothing behind, and a loop keeps a burst's chunks while busy and
 * gives them back when it waits. */
#include <sys/mman.h>
#include "base/slab.h"
#include "future/internal.h"
#include "harness.h"

enum { OBJ = 100, N = 50000 };
static void *g_obj[N];

/* The chunks n objects need: each chunk gives up at most a few cache
 * lines to its header. */
static void check_chunks_for(const cio__slab *s, size_t n)
{
    size_t lo = (n * s->size + CIO__SLAB_CHUNK - 1) / CIO__SLAB_CHUNK;
    size_t hi = (n * s->size + (CIO__SLAB_CHUNK - 256) - 1) / (CIO__SLAB_CHUNK - 256);
    CHECK(s->nchunks >= lo && s->nchunks <= hi);
}

/* Allocates g_obj[from, to) and stamps each with its index. */
static void fill(cio__slab *s, int from, int to)
{
    for (int i = from; i < to; i++) {
        g_obj[i] = cio__slab_alloc(s);
        CHECK(g_obj[i] != NULL);
        CHECK_EQ((uintptr_t)g_obj[i] % 16, 0);
        memset(g_obj[i], i & 0xff, OBJ);
        *(int *)((char *)g_obj[i] + OBJ - sizeof(int)) = i;
    }
}

static void check_stamps(int step)
{
    for (int i = 0; i < N; i += step) {
        CHECK_EQ(*(unsigned char *)g_obj[i], i & 0xff);
        CHECK_EQ(*(int *)((char *)g_obj[i] + OBJ - sizeof(int)), i);
    }
}

static void test_objects_keep_their_contents(void)
{
    cio__slab s;
    cio__slab_init(&s, OBJ);
    CHECK_EQ(s.size, 112);
    fill(&s, 0, N);
    check_stamps(1); /* no two objects overlap, nor any object a chunk header */
    check_chunks_for(&s, N);
    CHECK_EQ(test_alloc_live(), (long)s.nchunks);
    cio__slab_destroy(&s);
    CHECK_EQ(test_alloc_live(), 0);
}

static void test_freed_objects_reused_and_chunks_returned(void)
{
    cio__slab s;
    cio__slab_init(&s, OBJ);
    fill(&s, 0, N);
    size_t chunks = s.nchunks;
    for (int i = 0; i < N; i += 2)
        cio__slab_free(&s, g_obj[i]);
    fill(&s, 0, 1); /* every chunk has room again; none is added */
    for (int i = 2; i < N; i += 2)
        g_obj[i] = cio__slab_alloc(&s);
    CHECK_EQ(s.nchunks, chunks);
    for (int i = 1; i < N; i += 2) /* the odd ones were never freed */
        CHECK_EQ(*(int *)((char *)g_obj[i] + OBJ - sizeof(int)), i);
    for (int i = N - 1; i >= 0; i--)
        cio__slab_free(&s, g_obj[i]);
    CHECK(s.hot == g_obj[0]); /* the last freed waits in the slot, its chunk not yet a spare */
    CHECK_EQ(s.nspares, chunks - 1);
    CHECK(cio__slab_flush(&s));
    CHECK_EQ(s.nspares, chunks); /* every chunk is kept as a spare... */
    CHECK_EQ(test_alloc_live(), (long)chunks);
    fill(&s, 0, N); /* ...and serves the next burst without new memory */
    CHECK_EQ(test_alloc_live(), (long)chunks);
    CHECK_EQ(s.nspares, 0);
    check_stamps(1);
    for (int i = 0; i < N; i++)
        cio__slab_free(&s, g_obj[i]);
    cio__slab_trim(&s, 1);
    CHECK_EQ(s.nchunks, 1); /* the one spare kept */
    CHECK_EQ(test_alloc_live(), 1);
    fill(&s, 0, 10); /* from the spare */
    CHECK_EQ(test_alloc_live(), 1);
    for (int i = 0; i < 10; i++)
        cio__slab_free(&s, g_obj[i]);
    cio__slab_destroy(&s);
    CHECK_EQ(s.nchunks, 0);
    CHECK_EQ(test_alloc_live(), 0);
}

static void test_hook_failure(void)
{
    cio__slab s;
    cio__slab_init(&s, OBJ);
    test_alloc_fail_after(1);
    CHECK(cio__slab_alloc(&s) == NULL);
    CHECK_EQ(s.nchunks, 0);
    void *p = cio__slab_alloc(&s); /* the hook works again */
    CHECK(p != NULL);
    cio__slab_free(&s, p);
    cio__slab_destroy(&s);
    CHECK_EQ(test_alloc_live(), 0);
}

static bool mapped(void *p) { return msync(p, 4096, MS_ASYNC) == 0; }

/* With the default allocator: chunks are 2 MiB-aligned mappings of their
 * own (huge pages advised from the second), unmapped when given back. */
static void test_default_allocator_chunks(void)
{
    CHECK_EQ(cio_set_allocator(&(cio_allocator){ 0 }), 0);
    cio__slab s;
    cio__slab_init(&s, OBJ);
    fill(&s, 0, N);
    check_stamps(1);
    check_chunks_for(&s, N);
    char *first = (char *)((uintptr_t)g_obj[0] & ~(uintptr_t)(CIO__SLAB_CHUNK - 1));
    char *last = (char *)((uintptr_t)g_obj[N - 1] & ~(uintptr_t)(CIO__SLAB_CHUNK - 1));
    CHECK(first != last && mapped(first) && mapped(last));
    for (int i = 0; i < N; i++)
        cio__slab_free(&s, g_obj[i]);
    cio__slab_trim(&s, 1);
    CHECK_EQ(s.nchunks, 1); /* the newest spare: the last chunk emptied */
    CHECK(!mapped(first) && mapped(last));
    cio__slab_destroy(&s);
    CHECK(!mapped(first) && !mapped(last));
    test_alloc_install();
}

enum { TASKS = 20000 };

static intptr_t child(void *arg) { return (intptr_t)arg; }

/* 20,000 task records alive at once span several chunks. */
static intptr_t many_main(void *arg)
{
    (void)arg;
    static cio_task *t[TASKS];
    for (int i = 0; i < TASKS; i++)
        CHECK((t[i] = cio_spawn(child, (void *)(intptr_t)i)) != NULL);
    for (int i = 0; i < TASKS; i++)
        CHECK_EQ(CIO_AWAIT(t[i]), i);
    return 0;
}

static void test_many_tasks_leave_nothing(void)
{
    CHECK_EQ(test_run(many_main, NULL), 0);
    CHECK_EQ(test_alloc_live(), 0);
}

/* The burst's records stay (as spares, but for the one the task pool's
 * slot pins) while the main task keeps running, and all but one spare
 * per pool go back once the loop waits (in cio_sleep). */
static intptr_t burst_main(void *arg)
{
    (void)arg;
    CHECK_EQ(many_main(NULL), 0);
    cio__sched *s = cio__sched_get(cio_loop_current());
    if (s->pools_off)
        return 0; /* sanitizer builds allocate per object */
    const cio__slab *tasks = &s->pools[cio__pool_index(sizeof(cio__task))];
    CHECK_EQ(tasks->nchunks, 3); /* 20,000 records of 256 bytes, and main's */
    CHECK_EQ(tasks->nspares, 1); /* the third is pinned by the record in the slot */
    CHECK(tasks->hot != NULL);
    /* The trim runs when the loop is about to wait. A sleep already due by
     * the time the loop looks (the process descheduled for a millisecond,
     * as under a loaded CI) does not make it wait: sleep until it has. */
    for (int i = 0; i < 100 && tasks->hot; i++)
        CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(1))), 0);
    for (int i = 0; i < CIO_POOL_COUNT; i++)
        CHECK(s->pools[i].nspares <= 1);
    CHECK(tasks->hot == NULL);
    CHECK_EQ(tasks->nchunks, 2); /* main's, and the one spare kept */
    return 0;
}

static void test_loop_trims_when_it_waits(void)
{
    CHECK_EQ(test_run(burst_main, NULL), 0);
    CHECK_EQ(test_alloc_live(), 0);
}

int main(void)
{
    test_alloc_install();
    RUN(test_objects_keep_their_contents);
    RUN(test_freed_objects_reused_and_chunks_returned);
    RUN(test_hook_failure);
    RUN(test_default_allocator_chunks);
    RUN(test_many_tasks_leave_nothing);
    RUN(test_loop_trims_when_it_waits);
    return 0;
}
