/* net/bufring.h — the loop's pool of provided receive buffers (an io_uring
 * buffer ring) for the server fast receive path. Internal. */
#ifndef CIO_NET_BUFRING_H
#define CIO_NET_BUFRING_H

#include "loop/internal.h"

typedef struct cio__bufring {
    cio__loop_ext ext;              /* first: attached to the loop, freed with it */
    struct io_uring *ring;
    struct io_uring_buf_ring *br;   /* NULL: no fast path on this loop */
    char *bufs;                     /* nbufs buffers of bufsz bytes, after the ring */
    size_t map_len;
    unsigned nbufs, bufsz, mask;
    bool broken;                    /* the kernel refused multishot recv: stop using it */
    bool no_cap;                    /* ... refused a byte limit on it (before 6.16) */
    bool refused;                   /* tests: arm it so that the kernel refuses it */
    uint64_t nobufs;                /* multishot receives ended by an empty ring */
} cio__bufring;

/* The group id our buffers are registered under (one group per ring). */
#define CIO__BUFRING_BGID 1

/* The pool of loop `l`, created on first use (loop thread). Returns NULL
 * when the fast path is unavailable: disabled with CIO_FASTRECV=0 (and, for
 * tests, CIO_FASTRECV=nocap acts as a kernel without multishot byte limits,
 * CIO_FASTRECV=refuse as one without multishot recv at all), no
 * memory, or the kernel refused the registration (older than 5.19). The
 * answer is remembered: a refused loop is not asked again. */
CIO_HIDDEN cio__bufring *cio__bufring_get(cio_loop *l);

/* Buffer `bid`'s bytes (valid until it is put back). */
static inline const char *cio__bufring_data(const cio__bufring *p, unsigned bid)
{
    return p->bufs + (size_t)bid * p->bufsz;
}

/* Gives buffer `bid` back to the kernel. */
CIO_HIDDEN void cio__bufring_put(cio__bufring *p, unsigned bid);

#endif
