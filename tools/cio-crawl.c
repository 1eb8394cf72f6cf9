/* cio-crawl — the crawler demo: every piece of cio in one program.
 *
 * With no arguments it makes up a site of 500 "images" of mixed sizes,
 * serves it with cio's static HTTP server on loopback, downloads everything
 * through a Pool(n) with libcurl driven by io_uring, writes each body with
 * io_uring writes, checksums each file on the executor's threads, shows a
 * live progress bar on a terminal, verifies every checksum, and ends with
 * seed 001's comparison: the same crawl one file at a time. The local site
 * answers each request after a few milliseconds (-l), a stand-in for the
 * network latency that concurrency overlaps.
 *
 *   cio-crawl [-n N] [-f FILES] [-l MS] [-u URL_LIST] [-o DIR] [-q] [--no-compare]
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cio.h>

typedef struct item {
    char url[512], path[600];
    uint64_t expect, sum;  /* FNV-1a 64 of the source / of the download */
    bool has_expect;
    int64_t seen;          /* bytes counted by the progress callback */
    intptr_t rc;
} item;

static struct {
    size_t nfiles, concurrency, latency_ms;
    const char *urls, *outdir;
    bool quiet, compare;
    item *items;
    size_t n, done, failed;
    int64_t bytes;
    uint64_t t0;
    bool tty, running;
    char tmp[64];
} g = { .nfiles = 500, .concurrency = 16, .latency_ms = 3, .compare = true };

/* ---- checksums (on the executor) ------------------------------------------------ */

static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}
#define FNV_START 0xcbf29ce484222325ull

static intptr_t checksum_job(void *arg)
{
    item *it = arg;
    int fd = open(it->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    static __thread unsigned char buf[1 << 16];
    uint64_t h = FNV_START;
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        h = fnv1a(h, buf, (size_t)n);
    close(fd);
    it->sum = h;
    return n < 0 ? -EIO : 0;
}

/* ---- the made-up site ------------------------------------------------------------ */

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Sizes from 2 KiB to 512 KiB, log-uniform, like a gallery of thumbnails and photos. */
static int make_site(const char *dir, uint16_t port)
{
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    static unsigned char buf[1 << 19];
    for (size_t i = 0; i < g.n; i++) {
        double u = (double)(rng_next(&seed) % 1000000) / 1e6;
        size_t size = (size_t)(2048.0 * pow(256.0, u));
        for (size_t k = 0; k < size; k += 8) {
            uint64_t v = rng_next(&seed);
            memcpy(buf + k, &v, 8);
        }
        char path[600];
        snprintf(path, sizeof path, "%s/img%04zu.jpg", dir, i);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(buf, 1, size, f) != size || fclose(f) != 0)
            return -EIO;
        item *it = &g.items[i];
        it->expect = fnv1a(FNV_START, buf, size);
        it->has_expect = true;
        snprintf(it->url, sizeof it->url, "http://127.0.0.1:%u/img%04zu.jpg", port, i);
    }
    return 0;
}

static int read_urls(const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return -errno;
    char line[512];
    size_t cap = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        if (g.n == cap) {
            cap = cap ? cap * 2 : 64;
            g.items = realloc(g.items, cap * sizeof(item));
        }
        memset(&g.items[g.n], 0, sizeof(item));
        snprintf(g.items[g.n++].url, sizeof g.items[0].url, "%s", line);
    }
    fclose(f);
    return 0;
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char p[600];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* ---- progress ------------------------------------------------------------------------ */

static int on_progress(void *arg, int64_t now, int64_t total, int64_t ul_now, int64_t ul_total)
{
    item *it = arg;
    (void)total, (void)ul_now, (void)ul_total;
    g.bytes += now - it->seen;
    it->seen = now;
    return 0;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static double elapsed(void) { return (double)(now_ns() - g.t0) / 1e9; }

static void draw(bool last)
{
    double t = elapsed(), mib = (double)g.bytes / 1048576.0;
    int width = 30, fill = g.n ? (int)(width * g.done / g.n) : width;
    printf("\r[%.*s%s%*s] %zu/%zu files  %.1f MiB  %.1f MiB/s\033[K%s", fill,
           "==============================", fill < width ? ">" : "", width - fill - (fill < width), "", g.done, g.n,
           mib, t > 0 ? mib / t : 0.0, last ? "\n" : "");
    fflush(stdout);
}

static intptr_t progress_task(void *arg)
{
    (void)arg;
    while (g.running) {
        draw(false);
        if (CIO_AWAIT(cio_sleep(CIO_MS(100))) < 0)
            break;
    }
    return 0;
}

/* ---- the crawl ------------------------------------------------------------------------- */

static intptr_t fetch_one(void *arg)
{
    item *it = arg;
    cio_http_opts o = { .output_path = it->path, .max_redirects = 10, .fail_on_status = true,
                        .progress = on_progress, .progress_arg = it };
    it->seen = 0;
    it->rc = CIO_AWAIT(cio_http_request(it->url, &o, NULL));
    if (it->rc >= 0)
        it->rc = CIO_AWAIT(cio_run_in_executor(NULL, checksum_job, it));
    if (it->rc >= 0 && it->has_expect && it->sum != it->expect)
        it->rc = -EBADMSG;
    g.failed += it->rc < 0;
    g.done++;
    return 0; /* failures are counted, the crawl goes on */
}

/* Downloads everything with `n` at a time; returns the seconds it took. */
static double crawl(size_t n, bool show)
{
    g.done = g.failed = 0;
    g.bytes = 0;
    for (size_t i = 0; i < g.n; i++) /* fresh files: ext4 flushes files truncated and rewritten on close */
        unlink(g.items[i].path);
    g.t0 = now_ns();
    g.running = true;
    cio_task *bar = show ? cio_spawn(progress_task, NULL) : NULL;
    void **args = malloc(g.n * sizeof(void *));
    for (size_t i = 0; i < g.n; i++)
        args[i] = &g.items[i];
    cio_pool *pool = cio_pool_new(n);
    CIO_AWAIT(cio_pool_map(pool, fetch_one, args, g.n, NULL));
    cio_pool_free(pool);
    free(args);
    double t = elapsed();
    g.running = false;
    if (bar) {
        cio_task_cancel(bar);
        CIO_AWAIT(bar);
        draw(true);
    }
    return t;
}

static void report_failures(void)
{
    for (size_t i = 0, shown = 0; i < g.n && shown < 10; i++)
        if (g.items[i].rc < 0 && ++shown)
            fprintf(stderr, "cio-crawl: %s: %s\n", g.items[i].url, cio_strerror(g.items[i].rc));
}

static intptr_t run(void *arg)
{
    (void)arg;
    cio_server *srv = NULL;
    char site[128], out[600];
    snprintf(site, sizeof site, "%s/site", g.tmp);
    snprintf(out, sizeof out, "%s", g.outdir ? g.outdir : g.tmp);
    mkdir(out, 0755);
    if (!g.urls) {
        mkdir(site, 0755);
        cio_http_static_opts so = { .delay_ns = CIO_MS(g.latency_ms) };
        int rc = cio_http_static_start_ex(site, "127.0.0.1", 0, &so, &srv);
        if (rc < 0 || (rc = make_site(site, cio_server_port(srv))) < 0) {
            fprintf(stderr, "cio-crawl: cannot set up the site: %s\n", cio_strerror(rc));
            return rc;
        }
        printf("serving %zu files on http://127.0.0.1:%u/ (cio's static server, %zu ms latency)\n", g.n,
               cio_server_port(srv), g.latency_ms);
    }
    for (size_t i = 0; i < g.n; i++) {
        const char *base = strrchr(g.items[i].url, '/');
        snprintf(g.items[i].path, sizeof g.items[i].path, "%.400s/%04zu-%.80s", out, i % 10000, base && base[1] ? base + 1 : "index");
    }
    printf("downloading %zu files, %zu at a time, into %s\n", g.n, g.concurrency, out);
    fflush(stdout);
    double t_conc = crawl(g.concurrency, g.tty && !g.quiet);
    size_t failed = g.failed;
    int64_t bytes = g.bytes;
    printf("%zu files, %.1f MiB in %.3f s (%.1f MiB/s)\n", g.n - failed, (double)bytes / 1048576.0, t_conc,
           (double)bytes / 1048576.0 / t_conc);
    if (failed)
        report_failures();
    if (failed)
        printf("%zu of %zu files FAILED\n", failed, g.n);
    else if (g.urls)
        printf("all %zu files downloaded and checksummed\n", g.n);
    else
        printf("all %zu files verified (FNV-1a checksums match the originals)\n", g.n);
    if (g.compare && !failed) { /* both with warm caches, after the crawl above */
        double t_seq = crawl(1, false);
        double t_again = crawl(g.concurrency, false);
        printf("seed 001 comparison: sequential %.3f s, concurrent (Pool(%zu)) %.3f s: %.2fx\n", t_seq,
               g.concurrency, t_again, t_seq / t_again);
    }
    if (srv)
        cio_server_close(srv, 0);
    if (!g.outdir)
        for (size_t i = 0; i < g.n; i++)
            unlink(g.items[i].path);
    return failed ? 1 : 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: cio-crawl [-n N] [-f FILES] [-l MS] [-u URL_LIST] [-o DIR] [-q] [--no-compare]\n"
               "  -n, --concurrency N  downloads at once (Pool(N)); default 16\n"
               "  -f, --files N        size of the made-up site; default 500\n"
               "  -l, --latency MS     the local site answers each request after MS ms; default 3\n"
               "  -u, --urls FILE      crawl these URLs (one per line) instead of the local site\n"
               "  -o, --output DIR     keep the downloads in DIR (default: a temporary directory)\n"
               "  -q, --quiet          no progress bar\n"
               "      --no-compare     skip the sequential run\n");
}

static int parse(int argc, char **argv)
{
    static const struct option longs[] = {
        { "concurrency", 1, 0, 'n' }, { "files", 1, 0, 'f' }, { "latency", 1, 0, 'l' }, { "urls", 1, 0, 'u' },
        { "output", 1, 0, 'o' },
        { "quiet", 0, 0, 'q' },       { "no-compare", 0, 0, 'C' }, { "help", 0, 0, 'h' }, { 0, 0, 0, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "n:f:l:u:o:qh", longs, NULL)) != -1) {
        switch (c) {
        case 'n': g.concurrency = strtoul(optarg, NULL, 10); break;
        case 'f': g.nfiles = strtoul(optarg, NULL, 10); break;
        case 'l': g.latency_ms = strtoul(optarg, NULL, 10); break;
        case 'u': g.urls = optarg; break;
        case 'o': g.outdir = optarg; break;
        case 'q': g.quiet = true; break;
        case 'C': g.compare = false; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return -1;
        }
    }
    return g.concurrency && g.nfiles ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (parse(argc, argv) < 0)
        return 2;
    g.tty = isatty(1);
    strcpy(g.tmp, "/tmp/cio-crawl-XXXXXX");
    if (!mkdtemp(g.tmp))
        return perror("mkdtemp"), 1;
    int rc = g.urls ? read_urls(g.urls) : 0;
    if (!g.urls) {
        g.n = g.nfiles;
        g.items = calloc(g.n, sizeof(item));
    }
    if (rc < 0 || !g.items) {
        fprintf(stderr, "cio-crawl: %s: %s\n", g.urls ? g.urls : "setup", cio_strerror(rc < 0 ? rc : -ENOMEM));
        return 1;
    }
    intptr_t r = cio_run(run, NULL, NULL);
    char site[128];
    snprintf(site, sizeof site, "%s/site", g.tmp);
    remove_dir(site);
    rmdir(g.tmp);
    free(g.items);
    if (r < 0)
        fprintf(stderr, "cio-crawl: %s\n", cio_strerror(r));
    return r != 0;
}
