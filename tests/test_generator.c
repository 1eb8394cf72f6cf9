/* test_generator.c — generators (yield/send, return value, errors) and
 * greenlets (ping-pong values, parent on finish, inside a task, awaiting
 * inside a greenlet is refused). */
#include "harness.h"

static intptr_t counter(cio_gen *g, void *arg)
{
    intptr_t n = (intptr_t)arg, sum = 0;
    for (intptr_t i = 0; i < n; i++)
        sum += cio_gen_yield(g, i * 10);
    return sum + 1000;
}

static void test_gen_send(void)
{
    cio_gen *g = cio_gen_new(counter, (void *)3, 0);
    intptr_t v = -1;
    CHECK_EQ(cio_gen_next(g, &v), 1);
    CHECK_EQ(v, 0);
    CHECK_EQ(cio_gen_send(g, 1, &v), 1);
    CHECK_EQ(v, 10);
    CHECK_EQ(cio_gen_send(g, 2, &v), 1);
    CHECK_EQ(v, 20);
    CHECK(!cio_gen_done(g));
    CHECK_EQ(cio_gen_send(g, 3, &v), 0); /* the body returned */
    CHECK_EQ(v, 1006);
    CHECK(cio_gen_done(g));
    CHECK_EQ(cio_gen_send(g, 0, &v), -EPIPE);
    CHECK_EQ(cio_gen_yield(g, 0), -EPERM); /* not inside it */
    CHECK_EQ(cio_gen_free(g), 0);

    /* dropped half-way: the suspended body is discarded */
    g = cio_gen_new(counter, (void *)100, 16 * 1024);
    CHECK_EQ(cio_gen_next(g, NULL), 1);
    CHECK_EQ(cio_gen_free(g), 0);
}

/* A generator that drives another (nested sends). */
static intptr_t doubler(cio_gen *g, void *arg)
{
    cio_gen *inner = arg;
    intptr_t v;
    while (cio_gen_next(inner, &v) == 1)
        cio_gen_yield(g, v * 2);
    return -1;
}

static void test_gen_nested(void)
{
    cio_gen *inner = cio_gen_new(counter, (void *)3, 0);
    cio_gen *outer = cio_gen_new(doubler, inner, 0);
    intptr_t v, got[4];
    int n = 0;
    while (cio_gen_next(outer, &v) == 1)
        got[n++] = v;
    CHECK_EQ(n, 3);
    CHECK_EQ(got[0], 0);
    CHECK_EQ(got[1], 20);
    CHECK_EQ(got[2], 40);
    CHECK_EQ(v, -1);
    CHECK_EQ(cio_gen_free(outer), 0);
    CHECK_EQ(cio_gen_free(inner), 0);
}

static cio_greenlet *gr1, *gr2;
static char g_log[64];

static intptr_t ping(void *arg, intptr_t v)
{
    (void)arg;
    strcat(g_log, "a");
    v = cio_greenlet_switch(gr2, v + 1); /* starts gr2 with 2 */
    strcat(g_log, "c");
    CHECK_EQ(v, 3);
    CHECK(cio_greenlet_current() == gr1);
    return v + 100; /* to the parent: main */
}

static intptr_t pong(void *arg, intptr_t v)
{
    (void)arg;
    CHECK_EQ(v, 2);
    strcat(g_log, "b");
    cio_greenlet_switch(gr1, v + 1);
    strcat(g_log, "X"); /* never resumed */
    return 0;
}

static void test_greenlet(void)
{
    g_log[0] = 0;
    gr1 = cio_greenlet_new(ping, NULL, 0);
    gr2 = cio_greenlet_new(pong, NULL, 0);
    CHECK(cio_greenlet_current() == NULL);
    CHECK(cio_greenlet_parent(gr1) == NULL);
    CHECK_EQ(cio_greenlet_switch(gr1, 1), 103);
    CHECK(!strcmp(g_log, "abc"));
    CHECK(cio_greenlet_dead(gr1));
    CHECK(!cio_greenlet_dead(gr2));
    CHECK_EQ(cio_greenlet_switch(gr1, 0), -EPIPE);
    CHECK_EQ(cio_greenlet_switch(NULL, 7), 7); /* already in main */
    CHECK_EQ(cio_greenlet_free(gr1), 0);
    CHECK_EQ(cio_greenlet_free(gr2), 0);
}

/* Inside a task: awaiting from a greenlet is refused, the task can await
 * between switches, and its identity is restored. */
static intptr_t awaits_inside(void *arg, intptr_t v)
{
    (void)arg;
    CHECK(cio_current_task() == NULL);
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(1))), -EPERM);
    v = cio_greenlet_switch(NULL, v + 1);
    return v * 2;
}

static intptr_t task_host(void *arg)
{
    (void)arg;
    cio_task *self = cio_current_task();
    cio_greenlet *g = cio_greenlet_new(awaits_inside, NULL, 0);
    CHECK_EQ(cio_greenlet_switch(g, 1), 2);
    CHECK(cio_current_task() == self);
    CHECK_EQ(CIO_AWAIT(cio_sleep(CIO_MS(1))), 0);
    CHECK_EQ(cio_greenlet_switch(g, 21), 42);
    CHECK_EQ(cio_greenlet_free(g), 0);
    return 0;
}

static void test_greenlet_in_task(void) { CHECK_EQ(test_run(task_host, NULL), 0); }

int main(void)
{
    test_alloc_install();
    long before = test_alloc_live();
    RUN(test_gen_send);
    RUN(test_gen_nested);
    RUN(test_greenlet);
    RUN(test_greenlet_in_task);
    CHECK_EQ(test_alloc_live(), before);
    return 0;
}
