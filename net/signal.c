/* net/signal.c — signal waits (a read of a signalfd on the ring) and
 * loop signal handlers (a detached task looping on such waits).
 *
 * Invariant: the signalfd and the siginfo buffer belong to the wait's op
 * record; the fd is closed by the op's final completion, never earlier.
 */
#include <pthread.h>
#include <unistd.h>
#include "cio/signal.h"
#include "internal.h"

int cio_signal_block(int signo)
{
    sigset_t set;
    sigemptyset(&set);
    if (sigaddset(&set, signo) < 0)
        return -EINVAL;
    return -pthread_sigmask(SIG_BLOCK, &set, NULL);
}

static int wait_final(cio__netop *n, int res)
{
    close(n->fd);
    if (res < 0)
        return res;
    return res == (int)sizeof n->u.si ? (int)n->u.si.ssi_signo : -EIO;
}

static bool set_empty(const sigset_t *set)
{
    for (int s = 1; s < NSIG; s++)
        if (sigismember(set, s) == 1)
            return false;
    return true;
}

cio_future *cio_signal_wait(const sigset_t *set)
{
    if (!set || set_empty(set))
        return cio__net_bad(__func__, "empty signal set");
    cio_future *fail;
    cio__netop *n = cio__netop_new(__func__, &fail);
    if (!n)
        return fail;
    pthread_sigmask(SIG_BLOCK, set, NULL);
    n->fd = signalfd(-1, set, SFD_CLOEXEC); /* blocking: the ring polls it */
    if (n->fd < 0) {
        int err = -errno;
        cio_future_release(&n->fut);
        return cio__future_failed(err);
    }
    n->on_final = wait_final;
    io_uring_prep_read(&n->op.sqe, n->fd, &n->u.si, sizeof n->u.si, 0);
    return cio__netop_submit(n);
}

cio_future *cio_signal_wait_one(int signo)
{
    sigset_t set;
    sigemptyset(&set);
    if (sigaddset(&set, signo) < 0)
        return cio__net_bad(__func__, "bad signal number");
    return cio_signal_wait(&set);
}

/* ---- loop signal handlers ---------------------------------------------------- */

struct cio_signal_handler {
    cio_task *task;
    int signo;
    cio_callback fn;
    void *arg;
    bool removed;
};

static intptr_t handler_main(void *arg)
{
    cio_signal_handler *h = arg;
    while (!h->removed) {
        intptr_t r = cio_await(cio_signal_wait_one(h->signo));
        if (r < 0 && r != -EINTR)
            return r == -ECANCELED ? 0 : r;
        if (r > 0 && !h->removed)
            h->fn(h->arg);
    }
    return 0;
}

static void handler_done(cio_future *t, void *arg)
{
    cio_signal_handler *h = arg;
    cio_future_release(t);
    if (h->removed)
        cio__free(h);
    else
        h->task = NULL; /* ended (loop shutdown): remove() frees it */
}

cio_signal_handler *cio_signal_handler_add(int signo, cio_callback fn, void *arg)
{
    if (!fn || signo <= 0 || signo >= NSIG || !cio_loop_current()) {
        cio__misuse(-EINVAL, "bad signal, NULL fn, or no current loop");
        return NULL;
    }
    cio_signal_handler *h = cio__calloc(1, sizeof *h);
    if (!h)
        return NULL;
    *h = (cio_signal_handler){ .signo = signo, .fn = fn, .arg = arg };
    cio_signal_block(signo); /* from now on, not only once the task first runs */
    cio_task *t = cio_spawn_ex(NULL, handler_main, h, &(cio_task_opts){ .name = "signal" });
    if (cio_future_done(t) || cio_future_add_done_callback(t, handler_done, h) < 0) {
        if (!cio_future_done(t)) {
            cio_task_cancel(t);
            cio_task_detach(t);
        }
        cio__free(h);
        return NULL;
    }
    h->task = cio_future_retain(t);
    cio_task_detach(t);
    return h;
}

void cio_signal_handler_remove(cio_signal_handler *h)
{
    if (!h)
        return;
    if (!h->task) {
        cio__free(h);
        return;
    }
    h->removed = true;
    cio_task_cancel(h->task);
}
