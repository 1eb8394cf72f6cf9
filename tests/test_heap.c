/* test_heap.c [no ring] — the timer heap (base/heap.c): nodes pop in
 * (key, insertion) order whatever order they were pushed in, removing any
 * node (the root, a leaf, one in the middle, one twice) keeps that order for
 * the rest, and keys equal across many nodes pop first-in first-out. Checked
 * against a sort of the same nodes, over heaps of every size up to a few
 * levels. */
#include <stdlib.h>
#include "base/heap.h"
#include "harness.h"

enum { N = 5000 };
static cio__heap_node g_nodes[N];

static int by_key_then_seq(const void *a, const void *b)
{
    const cio__heap_node *x = *(cio__heap_node *const *)a, *y = *(cio__heap_node *const *)b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Pops everything and checks it against the sorted nodes still linked. */
static void check_pop_order(cio__heap *h, size_t n)
{
    static cio__heap_node *want[N];
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (cio__heap_node_linked(&g_nodes[i]))
            want[k++] = &g_nodes[i];
    CHECK_EQ(h->len, k);
    qsort(want, k, sizeof(*want), by_key_then_seq);
    for (size_t i = 0; i < k; i++) {
        cio__heap_node *m = cio__heap_min(h);
        CHECK(m == want[i]);
        cio__heap_remove(h, m);
        CHECK(!cio__heap_node_linked(m));
    }
    CHECK(cio__heap_min(h) == NULL);
}

/* n nodes with keys from a small range (so many tie), pushed in random
 * order; every third removed before popping (some twice). */
static void run_case(size_t n, uint64_t key_range, bool remove_some)
{
    cio__heap h;
    cio__heap_init(&h);
    for (size_t i = 0; i < n; i++) {
        g_nodes[i] = (cio__heap_node){ .key = (uint64_t)rand() % key_range, .index = SIZE_MAX };
        CHECK_EQ(cio__heap_push(&h, &g_nodes[i]), 0);
        CHECK(cio__heap_node_linked(&g_nodes[i]));
    }
    if (remove_some)
        for (size_t i = 0; i < n; i += 3) {
            size_t j = (size_t)rand() % n;
            cio__heap_remove(&h, &g_nodes[j]);
            cio__heap_remove(&h, &g_nodes[j]); /* a second time: no-op */
        }
    check_pop_order(&h, n);
    cio__heap_free(&h);
}

static void test_pop_order_every_size(void)
{
    for (size_t n = 0; n <= 90; n++) {
        run_case(n, 1000000, false);
        run_case(n, 5, false);
        run_case(n, 5, true);
    }
}

static void test_large_with_removals(void)
{
    run_case(N, 1u << 30, true);
    run_case(N, 50, true);
}

/* Equal keys: first pushed, first popped, also after removals. */
static void test_ties_are_fifo(void)
{
    cio__heap h;
    cio__heap_init(&h);
    for (size_t i = 0; i < 100; i++) {
        g_nodes[i] = (cio__heap_node){ .key = 7, .index = SIZE_MAX };
        CHECK_EQ(cio__heap_push(&h, &g_nodes[i]), 0);
    }
    cio__heap_remove(&h, &g_nodes[0]);
    cio__heap_remove(&h, &g_nodes[50]);
    for (size_t i = 1; i < 100; i++) {
        if (i == 50)
            continue;
        CHECK(cio__heap_min(&h) == &g_nodes[i]);
        cio__heap_remove(&h, &g_nodes[i]);
    }
    CHECK_EQ(h.len, 0);
    cio__heap_free(&h);
}

int main(void)
{
    test_alloc_install();
    srand(12345);
    RUN(test_pop_order_every_size);
    RUN(test_large_with_removals);
    RUN(test_ties_are_fifo);
    CHECK_EQ(test_alloc_live(), 0);
    return 0;
}
