/* switch_test.c — the context switch alone, for every architecture we have
 * assembly for (run natively, and for aarch64 under qemu by run.sh):
 * ping-pong between coroutines with values live in callee-saved integer and
 * floating-point registers across every switch, deep frames, and the FP
 * control register preserved per context. */
#include <fenv.h>
#include <stdio.h>
#include <stdlib.h>
#include "coro/coro.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); exit(1); } } while (0)

static cio__coro g_main, g_a, g_b;
static volatile long g_steps;

static __attribute__((noinline)) double deep(int n, double x)
{
    volatile double pad[32];
    pad[n % 32] = x;
    if (n == 0) {
        cio__coro_switch(cio__coro_running(), &g_main);
        return pad[0];
    }
    return deep(n - 1, x * 1.000001) + pad[n % 32] * 0.0;
}

static void body(void *arg)
{
    long id = (long)arg;
    double f = (double)id * 1.5;  /* kept in registers across switches */
    long acc = id;
    if (id == 2)
        fesetround(FE_DOWNWARD);  /* this context's own rounding mode */
    for (int i = 0; i < 100000; i++) {
        acc = acc * 31 + i;
        f = f * 1.0000001 + 1.0;
        g_steps++;
        cio__coro_switch(id == 1 ? &g_a : &g_b, &g_main);
        CHECK(fegetround() == (id == 2 ? FE_DOWNWARD : FE_TONEAREST));
    }
    deep(200, f);
    printf("coroutine %ld: acc=%ld f=%.3f\n", id, acc, f);
    cio__coro_exit(id == 1 ? &g_a : &g_b, &g_main);
}

int main(void)
{
    size_t size = 1 << 20;
    char *sa = malloc(size), *sb = malloc(size);
    CHECK(cio__coro_init_thread(&g_main) == 0);
    CHECK(cio__coro_make(&g_a, sa, size, body, (void *)1) == 0);
    CHECK(cio__coro_make(&g_b, sb, size, body, (void *)2) == 0);
    for (int i = 0; i < 100000; i++) {
        cio__coro_switch(&g_main, &g_a);
        cio__coro_switch(&g_main, &g_b);
        CHECK(fegetround() == FE_TONEAREST);
    }
    cio__coro_switch(&g_main, &g_a); /* into deep(), back out */
    cio__coro_switch(&g_main, &g_a); /* finishes */
    cio__coro_switch(&g_main, &g_b);
    cio__coro_switch(&g_main, &g_b);
    CHECK(g_steps == 200000);
    printf("switch test ok\n");
    return 0;
}
