/* gevent_joinall.c — seed 001's gevent example: three tasks that "do I/O"
 * (sleep) for different times, all joined. The shortest wait finishes
 * first; one task's sleep never blocks the others.
 *
 *   gevent.joinall([gevent.spawn(func1), gevent.spawn(func2), gevent.spawn(func3)])
 */
#include <stdio.h>
#include <cio.h>

static intptr_t func1(void *arg)
{
    (void)arg;
    printf("func1 running\n");
    CIO_AWAIT(cio_sleep(CIO_MS(200))); /* gevent.sleep(2) */
    printf("switch func1\n");
    return 0;
}

static intptr_t func2(void *arg)
{
    (void)arg;
    printf("func2 running\n");
    CIO_AWAIT(cio_sleep(CIO_MS(100))); /* gevent.sleep(1) */
    printf("switch func2\n");
    return 0;
}

static intptr_t func3(void *arg)
{
    (void)arg;
    printf("func3  running\n");
    CIO_AWAIT(cio_sleep(0)); /* gevent.sleep(0) */
    printf("func3 done..\n");
    return 0;
}

static intptr_t main_task(void *arg)
{
    (void)arg;
    cio_task *all[] = { cio_spawn(func1, NULL), cio_spawn(func2, NULL), cio_spawn(func3, NULL) };
    return CIO_AWAIT(cio_gather(all, 3, NULL, 0)); /* joinall */
}

int main(void) { return cio_run(main_task, NULL, NULL) != 0; }
