/* bench/peers/uring_setup.h — ring setup shared by the hand-written liburing
 * peers: the same ladder cio's loop tries (SINGLE_ISSUER|DEFER_TASKRUN, then
 * COOP_TASKRUN, then no flags), so a peer never runs with a cheaper ring
 * mode than cio gets. Header-only. */
#ifndef CIO_BENCH_URING_SETUP_H
#define CIO_BENCH_URING_SETUP_H

#include <errno.h>
#include <liburing.h>
#include <string.h>

/* io_uring_queue_init_params with the first flags the kernel accepts.
 * Returns 0 (the flags used in *flags, if not NULL) or a negative errno. */
static inline int peer_ring_init(struct io_uring *ring, unsigned entries, unsigned *flags)
{
    static const unsigned ladder[] = {
        IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
        IORING_SETUP_COOP_TASKRUN,
        0,
    };
    int rc = -EINVAL;
    for (unsigned i = 0; i < sizeof(ladder) / sizeof(ladder[0]); i++) {
        struct io_uring_params p;
        memset(&p, 0, sizeof p);
        p.flags = ladder[i];
        if ((rc = io_uring_queue_init_params(entries, ring, &p)) == 0) {
            if (flags)
                *flags = p.flags;
            return 0;
        }
    }
    return rc;
}

#endif
