/* greenlet_pingpong2.c — seed 001's greenlet variant: two switches each
 * way. test1 prints 123, switches to test2 (789), back to test1 (456), to
 * test2 again where it left off (666); test2 then finishes into its parent
 * (main), so the program ends there.
 */
#include <stdio.h>
#include <cio.h>

static cio_greenlet *gr1, *gr2;

static intptr_t test1(void *arg, intptr_t v)
{
    (void)arg, (void)v;
    printf("123\n");
    cio_greenlet_switch(gr2, 0); /* switch to test2 */
    printf("456\n");
    cio_greenlet_switch(gr2, 0); /* back to where test2 left off */
    return 0;
}

static intptr_t test2(void *arg, intptr_t v)
{
    (void)arg, (void)v;
    printf("789\n");
    cio_greenlet_switch(gr1, 0); /* back to where test1 left off */
    printf("666\n");
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
    cio_greenlet_free(gr2);
    return 0;
}
