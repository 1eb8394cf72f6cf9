/* seed002_multitask.c — seed 002's three ways to run task_1 and task_2 "at
 * the same time", each printing --task1-- or --task2-- and sleeping:
 *
 *   1. generators:  t1 = task_1(); t2 = task_2(); while True: next(t1); next(t2)
 *   2. greenlets:   task_1 prints and gr2.switch()es; task_2 prints and gr1.switch()es
 *   3. gevent:      g1 = gevent.spawn(task_1); g2 = ...; each gevent.sleep(0.5)s; g1.join(); g2.join()
 *
 * and its note on monkey.patch_all: a plain time.sleep inside a greenlet
 * blocks them all, only gevent.sleep lets the other run. Part 4 shows that
 * with cio: a task that sleeps with usleep(3) runs all its rounds before the
 * other starts; with cio_sleep the two take turns.
 *
 * The seed's loops run for ever; here each runs ROUNDS times, and its 0.1
 * and 0.5 s sleeps are 10 and 50 ms.
 */
#include <stdio.h>
#include <unistd.h>
#include <cio.h>

enum { ROUNDS = 3 };

/* ---- 1. generators: the caller's loop decides who runs next ---------------- */

static intptr_t gen_task(cio_gen *g, void *arg)
{
    for (;;) {
        printf("--%s--\n", (const char *)arg);
        usleep(10 * 1000); /* time.sleep(0.1): blocks, but only this caller waits */
        cio_gen_yield(g, 0);
    }
    return 0;
}

static int with_generators(void)
{
    cio_gen *t1 = cio_gen_new(gen_task, "task1", 0), *t2 = cio_gen_new(gen_task, "task2", 0);
    int rc = t1 && t2 ? 0 : -1;
    for (int i = 0; i < ROUNDS && rc == 0; i++)
        rc = cio_gen_next(t1, NULL) == 1 && cio_gen_next(t2, NULL) == 1 ? 0 : -1;
    cio_gen_free(t1); /* suspended in their loops: discarded */
    cio_gen_free(t2);
    return rc;
}

/* ---- 2. greenlets: each names the next one to run ------------------------ */

static cio_greenlet *gr1, *gr2;

static intptr_t greenlet_task_1(void *arg, intptr_t v)
{
    (void)arg, (void)v;
    for (int i = 0; i < ROUNDS; i++) {
        printf("--task1--\n");
        usleep(50 * 1000); /* time.sleep(0.5) */
        cio_greenlet_switch(gr2, 0);
    }
    return 0;
}

static intptr_t greenlet_task_2(void *arg, intptr_t v)
{
    (void)arg, (void)v;
    for (int i = 0; i < ROUNDS; i++) {
        printf("--task2--\n");
        usleep(50 * 1000);
        if (i + 1 < ROUNDS)
            cio_greenlet_switch(gr1, 0);
    }
    return 0; /* back to the parent: main */
}

static int with_greenlets(void)
{
    gr1 = cio_greenlet_new(greenlet_task_1, NULL, 0);
    gr2 = cio_greenlet_new(greenlet_task_2, NULL, 0);
    int rc = gr1 && gr2 && cio_greenlet_switch(gr1, 0) == 0 ? 0 : -1; /* main(): gr1.switch() */
    cio_greenlet_free(gr1); /* suspended in its last switch to gr2: discarded */
    cio_greenlet_free(gr2);
    return rc;
}

/* ---- 3. and 4. tasks on the loop: cio_sleep lets the other run ------------- */

static bool g_blocking; /* part 4: sleep like an unpatched time.sleep */

static intptr_t loop_task(void *arg)
{
    for (int i = 0; i < ROUNDS; i++) {
        printf("--%s--\n", (const char *)arg);
        if (g_blocking)
            usleep(50 * 1000); /* holds up the whole loop */
        else
            CIO_AWAIT(cio_sleep(CIO_MS(50))); /* gevent.sleep(0.5) */
    }
    return 0;
}

static intptr_t with_tasks(void *arg)
{
    (void)arg;
    cio_task *g1 = cio_spawn(loop_task, "task1"), *g2 = cio_spawn(loop_task, "task2");
    intptr_t r1 = CIO_AWAIT(g1); /* g1.join() */
    intptr_t r2 = CIO_AWAIT(g2);
    return r1 < 0 ? r1 : r2;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("1. generators (yield)\n");
    if (with_generators() < 0)
        return 1;
    printf("2. greenlets (switch)\n");
    if (with_greenlets() < 0)
        return 1;
    printf("3. tasks with cio_sleep (gevent.sleep)\n");
    intptr_t r = cio_run(with_tasks, NULL, NULL);
    printf("4. tasks with a blocking usleep (time.sleep without monkey.patch_all)\n");
    g_blocking = true;
    if (r == 0)
        r = cio_run(with_tasks, NULL, NULL);
    if (r < 0)
        fprintf(stderr, "seed002_multitask: %s\n", cio_strerror(r));
    return r < 0;
}
