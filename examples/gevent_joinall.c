/* gevent_joinall.c — seed 001's gevent example in cio:
 *
 *   def func1(): print("func1 running"); gevent.sleep(2); print("switch func1")
 *   def func2(): print("func2 running"); gevent.sleep(1); print("switch func2")
 *   def func3(): print("func3  running"); gevent.sleep(0); print("func3 done..")
 *   gevent.joinall([gevent.spawn(func1), gevent.spawn(func2), gevent.spawn(func3)])
 *
 * The three tasks start in spawn order; each sleep lets the others run; they
 * finish in order of their sleeps. Total time ~2 s, not 3.
 */
#include <stdio.h>
#include <cio.h>

static intptr_t func1(void *arg)
{
    printf("func1 running\n");
    CIO_AWAIT(cio_sleep(CIO_MS(2000)));
    printf("switch func1\n");
    return 0;
}

static intptr_t func2(void *arg)
{
    printf("func2 running\n");
    CIO_AWAIT(cio_sleep(CIO_MS(1000)));
    printf("switch func2\n");
    return 0;
}

static intptr_t func3(void *arg)
{
    printf("func3  running\n");
    CIO_AWAIT(cio_sleep(0));
    printf("func3 done..\n");
    return 0;
}

static intptr_t joinall(void *arg)
{
    cio_task *t[] = { cio_spawn(func1, NULL), cio_spawn(func2, NULL), cio_spawn(func3, NULL) };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        CIO_AWAIT(t[i]);
    return 0;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    intptr_t r = cio_run(joinall, NULL, NULL);
    if (r < 0)
        fprintf(stderr, "gevent_joinall: %s\n", cio_strerror(r));
    return r < 0;
}
