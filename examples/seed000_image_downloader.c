/* seed000_image_downloader.c — seed 000's image downloader: three
 * downloads spawned at once and joined (gevent.joinall), each body written
 * to its file with io_uring writes. The images come from the project's
 * static HTTP server on loopback, serving files made up on the spot.
 *
 *   def downloader(img_name, img_url):
 *       res = urllib.request.urlopen(img_url)
 *       with open(img_name, 'wb') as f: f.write(res.read())
 *   gevent.joinall([gevent.spawn(downloader, name, url), ...])
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <cio.h>

typedef struct image {
    const char *name;
    size_t size;
    char url[128], path[64];
    intptr_t result;
} image;

static image images[] = {
    { "cat.jpg", 183201, "", "", 0 },
    { "dog.jpg", 52417, "", "", 0 },
    { "bird.jpg", 1048576 + 7, "", "", 0 },
};

static unsigned char pixel(size_t i, size_t k) { return (unsigned char)((k * 2654435761u + i) >> 7); }

/* A fake JPEG: the SOI/APP0 magic, then deterministic bytes. */
static int make_image(const char *dir, size_t i)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, images[i].name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -errno;
    static const unsigned char magic[] = { 0xff, 0xd8, 0xff, 0xe0 };
    fwrite(magic, 1, sizeof magic, f);
    for (size_t k = sizeof magic; k < images[i].size; k++)
        fputc(pixel(i, k), f);
    return fclose(f) == 0 ? 0 : -errno;
}

static bool same_file(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    bool same = fa && fb;
    while (same) {
        int ca = fgetc(fa), cb = fgetc(fb);
        same = ca == cb;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

static intptr_t downloader(void *arg)
{
    image *img = arg;
    printf("downloading %s\n", img->name);
    img->result = CIO_AWAIT(cio_http_download(img->url, img->path));
    return img->result < 0 ? img->result : 0;
}

static intptr_t main_task(void *arg)
{
    (void)arg;
    mkdir("site", 0755);
    mkdir("downloads", 0755);
    for (size_t i = 0; i < 3; i++)
        if (make_image("site", i) < 0)
            return -EIO;
    cio_server *srv;
    int rc = cio_http_static_start("site", "127.0.0.1", 0, NULL, &srv);
    if (rc < 0)
        return rc;
    cio_future *tasks[3];
    for (size_t i = 0; i < 3; i++) {
        snprintf(images[i].url, sizeof images[i].url, "http://127.0.0.1:%u/%s", cio_server_port(srv), images[i].name);
        snprintf(images[i].path, sizeof images[i].path, "downloads/%s", images[i].name);
        tasks[i] = cio_spawn(downloader, &images[i]);
    }
    rc = (int)CIO_AWAIT(cio_gather(tasks, 3, NULL, 0)); /* gevent.joinall */
    for (size_t i = 0; i < 3; i++) {
        char orig[128];
        snprintf(orig, sizeof orig, "site/%s", images[i].name);
        printf("%-9s %8ld bytes -> %s (%s)\n", images[i].name, (long)images[i].result, images[i].path,
               same_file(orig, images[i].path) ? "identical" : "DIFFERENT");
    }
    cio_server_close(srv, 0);
    return rc;
}

int main(void) { return cio_run(main_task, NULL, NULL) != 0; }
