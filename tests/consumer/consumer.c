/* consumer.c — the smallest program built against an installed cio. */
#include <stdio.h>
#include <cio.h>

static intptr_t hello(void *arg)
{
    CIO_AWAIT(cio_sleep(CIO_MS(1)));
    return CIO_AWAIT(cio_nop()) == 0 ? 42 : -1;
}

int main(void)
{
    intptr_t r = cio_run(hello, NULL, NULL);
    if (r == -ENOSYS || r == -EPERM) {
        printf("cio %s installed; io_uring unavailable here\n", cio_version());
        return 0;
    }
    printf("cio %s consumer: %ld\n", cio_version(), (long)r);
    return r != 42;
}
