/* cp.c — `cp SRC DST` with cio_file_copy (reads and writes overlapped on
 * io_uring). Without arguments it copies a generated 1 MiB file and
 * checks the copy. */
#include <cio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static intptr_t main_task(void *arg)
{
    char **p = arg;
    int64_t n = cio_file_copy(p[0], p[1], 0644);
    if (n < 0)
        fprintf(stderr, "cp: %s -> %s: %s\n", p[0], p[1], cio_strerror(n));
    return n < 0 ? n : 0;
}

static int same(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int ok = fa && fb;
    while (ok) {
        int ca = fgetc(fa), cb = fgetc(fb);
        ok = ca == cb;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc == 3)
        return cio_run(main_task, argv + 1, NULL) < 0;
    if (argc != 1) {
        fprintf(stderr, "usage: cp SRC DST\n");
        return 2;
    }
    FILE *f = fopen("src.bin", "wb");
    for (long i = 0; i < (1 << 20); i++)
        fputc((int)(i * 31 % 251), f);
    fclose(f);
    char *demo[] = { "src.bin", "dst.bin" };
    if (cio_run(main_task, demo, NULL) < 0)
        return 1;
    printf("copied src.bin -> dst.bin: %s\n", same("src.bin", "dst.bin") ? "identical" : "DIFFERENT");
    return 0;
}
