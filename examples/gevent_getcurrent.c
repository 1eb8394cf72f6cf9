/* gevent_getcurrent.c — seed 000's gevent example in cio:
 *
 *   def f(n):
 *       for i in range(n):
 *           print(gevent.getcurrent(), i)
 *           gevent.sleep(0.5)
 *   gevent.joinall([gevent.spawn(f, 5), gevent.spawn(f, 5), gevent.spawn(f, 5)])
 *
 * All three sleep at once, so the run takes ~2.5 s rather than 7.5 s.
 */
#include <stdio.h>
#include <cio.h>

static intptr_t f(void *arg)
{
    int n = (int)(intptr_t)arg;
    for (int i = 0; i < n; i++) {
        printf("<Task '%s'> %d\n", cio_task_name(cio_current_task()), i);
        CIO_AWAIT(cio_sleep(CIO_MS(500)));
    }
    return 0;
}

static intptr_t joinall(void *arg)
{
    cio_task *t[3];
    for (int i = 0; i < 3; i++)
        t[i] = cio_spawn(f, (void *)5);
    uint64_t t0 = cio_loop_time_ns(cio_loop_current());
    for (int i = 0; i < 3; i++)
        CIO_AWAIT(t[i]);
    double s = (double)(cio_loop_time_ns(cio_loop_current()) - t0) / 1e9;
    printf("15 lines in %s 3 s\n", s < 3.0 ? "under" : "over");
    return 0;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    intptr_t r = cio_run(joinall, NULL, NULL);
    if (r < 0)
        fprintf(stderr, "gevent_getcurrent: %s\n", cio_strerror(r));
    return r < 0;
}
