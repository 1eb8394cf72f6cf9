/* loop/wakeup.c — how other threads get into a loop: a lock-free MPSC list
 * of records the loop drains once per iteration, and a wakeup used only when
 * the loop sleeps (a poll on an eventfd kept in the ring, or a CQE posted
 * with IORING_OP_MSG_RING). Other threads never submit to the loop's ring.
 *
 * Invariant (no lost wakeup): the loop stores sleeping = 1 and then looks at
 * the list before blocking; a poster pushes and then exchanges sleeping to 0,
 * signalling when it was 1. With sequentially consistent atomics on both
 * sides, either the loop sees the record or the poster sees the sleeper.
 * A poster counts itself in `posters` for the whole post, so the loop is not
 * freed under it.
 */
#include <pthread.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cio/executor.h"
#include "internal.h"

#ifndef IORING_REGISTER_SEND_MSG_RING
#define IORING_REGISTER_SEND_MSG_RING 31 /* kernel 6.13: MSG_RING without a ring */
#endif

/* The default wakeup, chosen by measurement (bench/suites/executor_wakeup.sh,
 * numbers in docs/executor.md): MSG_RING woke a sleeping loop faster at the
 * median in 14 of 18 paired runs and costs the loop no syscall of its own (no
 * eventfd read, no re-arm). EVENTFD where the kernel lacks MSG_RING. */
static const enum cio_wakeup_mode default_mode = CIO_WAKEUP_MSG_RING;

/* ---- MSG_RING senders ------------------------------------------------------ */

static bool g_sync_msg;     /* IORING_REGISTER_SEND_MSG_RING works */
static bool g_op_msg;       /* IORING_OP_MSG_RING works (from a ring of our own) */
static pthread_once_t g_probe_once = PTHREAD_ONCE_INIT;
static pthread_key_t g_sender_key;

static int sync_msg(int ring_fd, uint64_t ud)
{
    struct io_uring_sqe sqe;
    memset(&sqe, 0, sizeof sqe);
    io_uring_prep_msg_ring(&sqe, ring_fd, 0, ud, 0);
    long rc = syscall(__NR_io_uring_register, -1, IORING_REGISTER_SEND_MSG_RING, &sqe, 1);
    return rc < 0 ? -errno : 0;
}

/* Kernels before 6.13: each posting thread sends from a small ring of its
 * own, kept in TLS (no allocation) and closed when the thread exits. */
static __thread struct io_uring tls_sender;
static __thread bool tls_sender_ok;

static void sender_exit(void *p) { io_uring_queue_exit(p); }

static int ring_msg(int ring_fd, uint64_t ud)
{
    struct io_uring *r = &tls_sender;
    if (!tls_sender_ok) {
        if (io_uring_queue_init(4, r, 0) < 0)
            return -ENOMEM;
        tls_sender_ok = true;
        pthread_setspecific(g_sender_key, r);
    }
    struct io_uring_sqe *sqe = io_uring_get_sqe(r);
    io_uring_prep_msg_ring(sqe, ring_fd, 0, ud, 0);
    io_uring_sqe_set_data64(sqe, 0);
    io_uring_sqe_set_flags(sqe, IOSQE_CQE_SKIP_SUCCESS);
    int rc = io_uring_submit(r);
    struct io_uring_cqe *cqe;
    while (io_uring_peek_cqe(r, &cqe) == 0) /* only failures post a CQE */
        io_uring_cqe_seen(r, cqe);
    return rc < 0 ? rc : 0;
}

static void probe(void)
{
    pthread_key_create(&g_sender_key, sender_exit);
    struct io_uring r;
    if (io_uring_queue_init(2, &r, 0) < 0)
        return;
    struct io_uring_probe *p = io_uring_get_probe_ring(&r);
    g_op_msg = p && io_uring_opcode_supported(p, IORING_OP_MSG_RING);
    io_uring_free_probe(p);
    struct io_uring_cqe *cqe;
    if (sync_msg(r.ring_fd, 42) == 0 && io_uring_peek_cqe(&r, &cqe) == 0)
        g_sync_msg = cqe->user_data == 42;
    io_uring_queue_exit(&r);
    if (getenv("CIO_TEST_MSG_RING_OWN_RING")) /* tests: force the pre-6.13 sender */
        g_sync_msg = false;
}

static bool msg_ring_supported(void)
{
    pthread_once(&g_probe_once, probe);
    return g_sync_msg || g_op_msg;
}

/* ---- the wakeup ------------------------------------------------------------ */

static void signal_loop(cio_loop *l)
{
    if (atomic_load_explicit(&l->wake.mode, memory_order_relaxed) == CIO_WAKEUP_EVENTFD) {
        eventfd_write(l->wake.efd, 1);
        return;
    }
    int fd = l->ring.ring_fd;
    if (g_sync_msg ? sync_msg(fd, CIO__UD_WAKE_MSG) < 0 : ring_msg(fd, CIO__UD_WAKE_MSG) < 0)
        cio__debugf("cio: MSG_RING wakeup failed; the loop wakes at its next timer\n");
}

static int eventfd_open(cio_loop *l)
{
    if (l->wake.efd >= 0)
        return 0;
    int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (fd < 0)
        return -errno;
    l->wake.efd = fd;
    return 0;
}

int cio__wakeup_init(cio_loop *l)
{
    l->wake.efd = -1;
    atomic_init(&l->wake.head, NULL);
    cio__list_init(&l->wake.batch);
    return cio_loop_set_wakeup(l, CIO_WAKEUP_AUTO);
}

/* Before the ring closes: a poster whose record the loop already ran may
 * still be about to signal the ring (or eventfd); wait for it. */
void cio__wakeup_exit(cio_loop *l)
{
    while (atomic_load(&l->wake.posters))
        sched_yield();
    for (int i = 0; i < 2; i++)
        if (l->wake.owned[i])
            l->wake.owned_free(l->wake.owned[i]);
    if (l->wake.efd >= 0)
        close(l->wake.efd);
}

int cio_loop_set_wakeup(cio_loop *l, enum cio_wakeup_mode mode)
{
    if (!l || mode > CIO_WAKEUP_MSG_RING)
        return cio__misuse(-EINVAL, "%s", l ? "unknown wakeup mode" : "loop is NULL");
    if (cio__wakeup_busy(l))
        return cio__misuse(-EBUSY, "other threads still owe this loop results");
    bool msg = msg_ring_supported();
    if (mode == CIO_WAKEUP_AUTO)
        mode = default_mode == CIO_WAKEUP_MSG_RING && !msg ? CIO_WAKEUP_EVENTFD : default_mode;
    if (mode == CIO_WAKEUP_MSG_RING && !msg)
        return -EOPNOTSUPP;
    if (mode == CIO_WAKEUP_EVENTFD) {
        int rc = eventfd_open(l);
        if (rc < 0)
            return rc;
    }
    atomic_store(&l->wake.mode, (int)mode);
    return 0;
}

enum cio_wakeup_mode cio_loop_wakeup(const cio_loop *l)
{
    return l ? (enum cio_wakeup_mode)atomic_load(&l->wake.mode) : CIO_WAKEUP_AUTO;
}

/* Puts a poll on the eventfd into the ring (once; it stays until it fires). */
static bool arm_eventfd(cio_loop *l)
{
    if (l->wake.armed)
        return true;
    struct io_uring_sqe *sqe = cio__ring_sqe(l);
    if (!sqe)
        return false;
    io_uring_prep_poll_add(sqe, l->wake.efd, POLLIN);
    io_uring_sqe_set_data64(sqe, CIO__UD_WAKE_POLL);
    l->wake.armed = true;
    return true;
}

/* How long a loop owed results spins before sleeping: a job that finishes
 * within it costs no syscall on either side. Adaptive: a spin that times out
 * halves the next one (down to 1 us), so a loop waiting for long jobs stops
 * burning CPU and stops delaying its own I/O and timers; a post that arrives
 * within the maximum (while spinning, or soon after the loop fell asleep)
 * restores the maximum. Never longer than the loop's wait.
 * CIO_SPIN_NS=<max ns> in the environment (0: off) tunes the maximum. */
static uint64_t spin_max_ns(void)
{
    static _Atomic int64_t cached = -1;
    int64_t v = atomic_load_explicit(&cached, memory_order_relaxed);
    if (v < 0) {
        const char *e = getenv("CIO_SPIN_NS");
        v = e ? atoll(e) : 20000;
        atomic_store_explicit(&cached, v < 0 ? 0 : v, memory_order_relaxed);
    }
    return (uint64_t)v;
}

static bool spin_for_post(cio__wakeup *w, uint64_t wait_ns)
{
    uint64_t max = spin_max_ns();
    if (!max)
        return false;
    if (!w->spin_ns || w->spin_ns > max)
        w->spin_ns = max;
    uint64_t limit = w->spin_ns < wait_ns ? w->spin_ns : wait_ns;
    uint64_t deadline = cio__clock_ns() + limit;
    do {
        for (int i = 0; i < 32; i++) {
            if (atomic_load_explicit(&w->head, memory_order_relaxed))
                return true;
            cio__cpu_relax();
        }
    } while (cio__clock_ns() < deadline);
    if (limit == w->spin_ns)
        w->spin_ns = w->spin_ns / 2 > 1000 ? w->spin_ns / 2 : 1000;
    return false;
}

uint64_t cio__wakeup_prepare(cio_loop *l, uint64_t wait_ns)
{
    cio__wakeup *w = &l->wake;
    if (!cio__list_empty(&w->batch))
        w->batch_flush(l);
    if (wait_ns == 0 || atomic_load_explicit(&w->head, memory_order_relaxed))
        return 0;
    if (w->pending && spin_for_post(w, wait_ns))
        return 0;
    if (w->pending)
        w->slept_at = cio__clock_ns();
    if (atomic_load_explicit(&w->mode, memory_order_relaxed) == CIO_WAKEUP_EVENTFD && !arm_eventfd(l))
        return 0; /* SQ full: poll without sleeping this time */
    atomic_store(&w->sleeping, 1);
    if (atomic_load(&w->head)) {
        atomic_store_explicit(&w->sleeping, 0, memory_order_relaxed);
        return 0;
    }
    return wait_ns;
}

void cio__wakeup_cqe(cio_loop *l, uint64_t ud, int res)
{
    if (ud != CIO__UD_WAKE_POLL)
        return; /* a MSG_RING: its only job was to end the wait */
    l->wake.armed = false;
    eventfd_t v;
    if (res > 0)
        eventfd_read(l->wake.efd, &v); /* reset the counter; nonblocking */
}

void cio__loop_post(cio_loop *l, cio__remote *r)
{
    cio__wakeup *w = &l->wake;
    atomic_fetch_add(&w->posters, 1);
    cio__remote *old = atomic_load_explicit(&w->head, memory_order_relaxed);
    do
        r->next = old;
    while (!atomic_compare_exchange_weak(&w->head, &old, r));
    if (atomic_load(&w->sleeping) && atomic_exchange(&w->sleeping, 0))
        signal_loop(l);
    atomic_fetch_sub_explicit(&w->posters, 1, memory_order_release);
}

void cio__wakeup_drain(cio_loop *l)
{
    cio__wakeup *w = &l->wake;
    if (atomic_load_explicit(&w->sleeping, memory_order_relaxed)) /* no store to the shared line when 0 */
        atomic_store_explicit(&w->sleeping, 0, memory_order_relaxed);
    if (!atomic_load_explicit(&w->head, memory_order_relaxed))
        return;
    if (w->slept_at) { /* would a full spin have caught this post? */
        if (cio__clock_ns() - w->slept_at <= spin_max_ns())
            w->spin_ns = spin_max_ns();
        w->slept_at = 0;
    }
    cio__remote *r = atomic_exchange_explicit(&w->head, NULL, memory_order_acquire);
    cio__remote *fifo = NULL;
    while (r) { /* newest first -> oldest first */
        cio__remote *next = r->next;
        r->next = fifo;
        fifo = r;
        r = next;
    }
    while (fifo) {
        cio__remote *next = fifo->next;
        fifo->fn(fifo);
        fifo = next;
    }
}

/* ---- call_soon_threadsafe -------------------------------------------------- */

typedef struct ts_call {
    cio__remote r;
    cio__handle h;
    cio_loop *loop;
    cio_callback fn;
    void *arg;
} ts_call;

static void ts_call_run(cio__handle *h)
{
    ts_call *c = cio__container_of(h, ts_call, h);
    c->fn(c->arg);
    cio__free(c);
}

static void ts_call_arrive(cio__remote *r)
{
    ts_call *c = cio__container_of(r, ts_call, r);
    cio__loop_ready(c->loop, &c->h);
}

int cio_loop_call_soon_threadsafe(cio_loop *l, cio_callback fn, void *arg)
{
    if (!l || !fn)
        return cio__misuse(-EINVAL, "%s is NULL", l ? "fn" : "loop");
    ts_call *c = cio__malloc(sizeof(*c));
    if (!c)
        return -ENOMEM;
    *c = (ts_call){ .r.fn = ts_call_arrive, .h.fn = ts_call_run, .loop = l, .fn = fn, .arg = arg };
    cio__loop_post(l, &c->r);
    return 0;
}
