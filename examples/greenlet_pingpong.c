/* greenlet_pingpong.c — seed 000's greenlet example: explicit switches
 * between two coroutines. gr1 prints 12, switches to gr2 (56), which
 * switches back to gr1 (34); gr1 then finishes into main, and gr2 is left
 * suspended (78 is never printed), exactly as with Python's greenlet.
 *
 *   gr1 = greenlet(test1); gr2 = greenlet(test2); gr1.switch()
 */
#include <stdio.h>
#include <cio.h>

static cio_greenlet *gr1, *gr2;

static intptr_t test1(void *arg, intptr_t v)
{
    (void)arg, (void)v;
    printf("12\n");
    cio_greenlet_switch(gr2, 0);
    printf("34\n");
    return 0;
}

static intptr_t test2(void *arg, intptr_t v)
{
    (void)arg, (void)v;
    printf("56\n");
    cio_greenlet_switch(gr1, 0);
    printf("78\n");
    return 0;
}

int main(void)
{
    gr1 = cio_greenlet_new(test1, NULL, 0);
    gr2 = cio_greenlet_new(test2, NULL, 0);
    if (!gr1 || !gr2)
        return 1;
    cio_greenlet_switch(gr1, 0);
    cio_greenlet_free(gr1);
    cio_greenlet_free(gr2); /* suspended: discarded, like a collected greenlet */
    return 0;
}
