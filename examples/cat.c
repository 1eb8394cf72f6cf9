/* cat.c — `cat FILE...` with io_uring reads and writes (no thread pool).
 * Without arguments it writes a small demo file and cats that. */
#include <cio.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

static intptr_t cat_one(const char *path)
{
    intptr_t fd = CIO_AWAIT(cio_file_open(path, O_RDONLY, 0));
    if (fd < 0)
        return fd;
    static char buf[128 * 1024];
    int64_t off = 0;
    intptr_t n;
    while ((n = CIO_AWAIT(cio_file_read((int)fd, buf, sizeof buf, off))) > 0) {
        for (intptr_t w = 0; w < n;) { /* stdout: the file position (-1) */
            intptr_t k = CIO_AWAIT(cio_file_write(1, buf + w, (size_t)(n - w), -1));
            if (k < 0)
                return k;
            w += k;
        }
        off += n;
    }
    CIO_AWAIT(cio_file_close((int)fd));
    return n;
}

static intptr_t main_task(void *arg)
{
    char **paths = arg;
    for (; *paths; paths++) {
        intptr_t r = cat_one(*paths);
        if (r < 0) {
            fprintf(stderr, "cat: %s: %s\n", *paths, cio_strerror(r));
            return r;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    char *demo[] = { "demo.txt", NULL };
    if (argc < 2) {
        FILE *f = fopen("demo.txt", "w");
        for (int i = 1; i <= 3; i++)
            fprintf(f, "line %d of a file read with io_uring\n", i);
        fclose(f);
    }
    return cio_run(main_task, argc < 2 ? demo : argv + 1, NULL) < 0;
}
