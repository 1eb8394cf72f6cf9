/* net/bufring.c — one io_uring provided-buffer ring per loop, shared by
 * every fast-path stream of that loop (stream_fastrecv.c).
 *
 * Sizing: buffers are handed back the moment a completion is copied out,
 * so a buffer is busy only between the kernel filling it and the next reap;
 * the pool needs to cover one reap's worth of completions, not one buffer
 * per connection. 256 × 16 KiB (4 MiB per loop, touched as used) takes a
 * full loopback segment in few completions and lets 256 connections land
 * data between two reaps; past that a receive ends with -ENOBUFS and the
 * stream does one plain recv before re-arming (stream_read.c).
 *
 * Invariant: the mapping lives until the loop is freed, after every op
 * (hence every multishot receive that may write a buffer) has ended.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "bufring.h"

enum { DEFAULT_NBUFS = 256, DEFAULT_BUFSZ = 16 * 1024, MAX_NBUFS = 32768 };

static const char bufring_key;

static void bufring_destroy(cio__loop_ext *e)
{
    cio__bufring *p = (cio__bufring *)e;
    if (p->br) {
        io_uring_unregister_buf_ring(p->ring, CIO__BUFRING_BGID);
        munmap(p->br, p->map_len);
    }
    cio__free(p);
}

/* Buffer count: CIO_FASTRECV_BUFS (a power of two, for tests that need an
 * empty ring), else the default. 0 when CIO_FASTRECV=0 (`mode`) disables
 * the path. */
static unsigned nbufs_wanted(const char *mode)
{
    if (mode && mode[0] == '0')
        return 0;
    const char *e = getenv("CIO_FASTRECV_BUFS");
    long n = e ? strtol(e, NULL, 10) : DEFAULT_NBUFS;
    if (n < 1 || n > MAX_NBUFS || (n & (n - 1)))
        n = DEFAULT_NBUFS;
    return (unsigned)n;
}

/* Maps the ring and its buffers, fills the ring and registers it. */
static int setup(cio__bufring *p, unsigned nbufs)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), ring_len = (nbufs * sizeof(struct io_uring_buf) + page - 1) & ~(page - 1);
    p->map_len = ring_len + (size_t)nbufs * DEFAULT_BUFSZ;
    void *m = mmap(NULL, p->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return -ENOMEM;
    struct io_uring_buf_reg reg = { .ring_addr = (uintptr_t)m, .ring_entries = nbufs, .bgid = CIO__BUFRING_BGID };
    int rc = io_uring_register_buf_ring(p->ring, &reg, 0);
    if (rc < 0) {
        munmap(m, p->map_len);
        return rc;
    }
    p->br = m;
    p->bufs = (char *)m + ring_len;
    p->nbufs = nbufs;
    p->bufsz = DEFAULT_BUFSZ;
    p->mask = nbufs - 1;
    io_uring_buf_ring_init(p->br);
    for (unsigned i = 0; i < nbufs; i++)
        io_uring_buf_ring_add(p->br, p->bufs + (size_t)i * p->bufsz, p->bufsz, (unsigned short)i, (int)p->mask, (int)i);
    io_uring_buf_ring_advance(p->br, (int)nbufs);
    return 0;
}

cio__bufring *cio__bufring_get(cio_loop *l)
{
    cio__bufring *p = (cio__bufring *)cio__loop_ext_find(l, &bufring_key);
    if (!p) {
        p = cio__calloc(1, sizeof *p);
        if (!p)
            return NULL; /* not remembered: memory may come back */
        p->ext.key = &bufring_key;
        p->ext.destroy = bufring_destroy;
        p->ring = &l->ring;
        const char *mode = getenv("CIO_FASTRECV");
        unsigned n = nbufs_wanted(mode);
        if (n)
            setup(p, n); /* on failure p->br stays NULL: the plain path, for good */
        p->no_cap = mode && !strcmp(mode, "nocap"); /* tests: behave as before 6.16 */
        p->refused = mode && !strcmp(mode, "refuse"); /* tests: as before 6.0 */
        cio__loop_ext_add(l, &p->ext);
    }
    return p->br && !p->broken ? p : NULL;
}

void cio__bufring_put(cio__bufring *p, unsigned bid)
{
    io_uring_buf_ring_add(p->br, (void *)cio__bufring_data(p, bid), p->bufsz, (unsigned short)bid, (int)p->mask, 0);
    io_uring_buf_ring_advance(p->br, 1);
}
