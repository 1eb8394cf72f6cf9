/* gevent_interleave.c — seed 004's gevent example in cio: three tasks run
 * f(5), printing the current task and a counter.
 *
 *   def f(n):
 *       for i in range(n):
 *           print gevent.getcurrent(), i
 *           gevent.sleep(0)        # only in the second run
 *
 * Without a yield each task runs to completion in turn; with cio_yield()
 * (gevent.sleep(0)) they take turns.
 */
#include <stdio.h>
#include <cio.h>

typedef struct run {
    int n;
    bool yield;
} run;

static intptr_t f(void *arg)
{
    const run *r = arg;
    for (int i = 0; i < r->n; i++) {
        printf("<Task '%s'> %d\n", cio_task_name(cio_current_task()), i);
        if (r->yield)
            cio_yield();
    }
    return 0;
}

static intptr_t three(void *arg)
{
    cio_task *t[3];
    for (int i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "g%d", i + 1);
        t[i] = cio_spawn_ex(NULL, f, arg, &(cio_task_opts){ .name = name });
    }
    for (int i = 0; i < 3; i++)
        CIO_AWAIT(t[i]);
    return 0;
}

int main(void)
{
    run sequential = { 5, false }, alternating = { 5, true };
    printf("-- without sleep(0): one after another\n");
    intptr_t r = cio_run(three, &sequential, NULL);
    printf("-- with sleep(0): taking turns\n");
    if (r >= 0)
        r = cio_run(three, &alternating, NULL);
    if (r < 0)
        fprintf(stderr, "gevent_interleave: %s\n", cio_strerror(r));
    return r < 0;
}
