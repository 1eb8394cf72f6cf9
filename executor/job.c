/* executor/job.c — the job future: run_in_executor, to_thread, cooperative
 * cancellation, and the loop's default executor.
 *
 * Invariant: exactly one outcome per job future. The worker's result only
 * ever reaches the loop through the MPSC list (job_arrive), and
 * cio__future_complete ignores a future that cancellation already completed,
 * so a late result is discarded (and `cleanup` told it was not delivered).
 * While a job is owed to its loop (until a worker or shutdown hands it
 * back, even after a cancel), the loop counts it (wake.pending) and the job
 * holds one reference to its future.
 */
#include "internal.h"

static CIO_TLS cio__job *tls_job; /* the job running on this worker */

/* Loop thread: the job's outcome is known; settle and release it. */
static void job_finish(cio__job *j, intptr_t result)
{
    bool pending = j->fut.state == CIO_F_PENDING;
    bool delivered = pending && j->fut.refs > 1; /* someone besides us holds it */
    j->fut.loop->wake.pending--;
    if (pending)
        cio__future_complete(&j->fut, result);
    if (j->cleanup)
        j->cleanup(j, result, delivered);
    cio__future_unref(&j->fut); /* the worker's reference */
}

static void job_arrive(cio__remote *r)
{
    cio__job *j = cio__container_of(r, cio__job, done);
    job_finish(j, j->result);
}

/* Queued: the job will never run (the worker that pops it hands it back).
 * Running: it may poll cio_job_cancelled(). Either way the awaiter resumes
 * now with -ECANCELED. */
static int job_cancel(cio_future *f)
{
    cio__job *j = (cio__job *)f;
    int queued = CIO_JOB_QUEUED;
    if (!atomic_compare_exchange_strong(&j->state, &queued, CIO_JOB_REMOVED))
        atomic_store_explicit(&j->cancelled, true, memory_order_relaxed);
    cio__future_complete(f, -ECANCELED);
    return 1;
}

static void job_destroy(cio_future *f) { cio__future_free(f, sizeof(cio__job)); }

static const cio__future_ops job_ops = { .kind = "job", .cancel = job_cancel, .destroy = job_destroy };

void cio__job_run(cio__job *j, bool drop)
{
    cio_loop *l = j->fut.loop;
    intptr_t r = -ECANCELED;
    int queued = CIO_JOB_QUEUED;
    if (atomic_compare_exchange_strong(&j->state, &queued, drop ? CIO_JOB_DROPPED : CIO_JOB_RUNNING) && !drop) {
        tls_job = j;
        r = j->fn(j->arg);
        tls_job = NULL;
    }
    j->result = r;
    cio__loop_post(l, &j->done); /* the last touch: the loop may free j now */
}

bool cio_job_cancelled(void)
{
    return tls_job && atomic_load_explicit(&tls_job->cancelled, memory_order_relaxed);
}

/* ---- batching: jobs reach the executor once per loop iteration ---------- */

/* A batch this long is handed over at once, so workers start on a burst
 * while the loop is still submitting it. */
enum { BATCH_MAX = 256 };

static void batch_flush(cio_loop *l)
{
    cio__wakeup *w = &l->wake;
    size_t n = w->batch_len;
    w->batch_len = 0;
    if (cio__executor_push(w->batch_owner, &w->batch, n) == 0)
        return;
    while (!cio__list_empty(&w->batch)) { /* shut down meanwhile */
        cio__job *j = cio__container_of(cio__list_pop_front(&w->batch), cio__job, qnode);
        job_finish(j, -ESHUTDOWN);
    }
}

void cio__job_flush_for(cio_executor *ex)
{
    cio_loop *l = cio_loop_current();
    if (l && l->wake.batch_owner == ex && !cio__list_empty(&l->wake.batch))
        batch_flush(l);
}

static void batch_add(cio_loop *l, cio_executor *ex, cio__job *j)
{
    cio__wakeup *w = &l->wake;
    if (w->batch_owner != ex && !cio__list_empty(&w->batch))
        batch_flush(l);
    w->batch_owner = ex;
    w->batch_flush = batch_flush;
    cio__list_push_back(&w->batch, &j->qnode);
    if (++w->batch_len >= BATCH_MAX)
        batch_flush(l);
}

cio_future *cio__job_submit(cio_executor *ex, cio_job_fn fn, void *arg, cio__job_cleanup cleanup)
{
    cio_loop *l = cio_loop_current();
    if (atomic_load_explicit(&ex->closed, memory_order_relaxed))
        return cio__future_failed(cio__misuse(-ESHUTDOWN, "the executor is shut down"));
    cio__job *j = (cio__job *)cio__future_alloc(l, sizeof(cio__job), &job_ops);
    if (!j)
        return cio__future_failed(-ENOMEM);
    j->done.fn = job_arrive;
    j->fn = fn;
    j->arg = arg;
    j->cleanup = cleanup;
    j->result = 0;
    atomic_init(&j->state, CIO_JOB_QUEUED);
    atomic_init(&j->cancelled, false);
    j->fut.refs++; /* the worker's, until job_finish */
    l->wake.pending++;
    batch_add(l, ex, j);
    return &j->fut;
}

/* ---- the loop's own executors ---------------------------------------------- */

static void owned_free(void *ex) { cio_executor_free(ex); }

cio_executor *cio__loop_executor(cio_loop *l, int which, int *err)
{
    if (l->wake.owned[which])
        return l->wake.owned[which];
    cio_executor *ex;
    *err = cio_executor_new(&ex, which == 0 ? 0 : 2);
    if (*err < 0)
        return NULL;
    l->wake.owned[which] = ex;
    l->wake.owned_free = owned_free;
    return ex;
}

int cio_loop_set_default_executor(cio_loop *l, cio_executor *ex)
{
    if (!l || !ex)
        return cio__misuse(-EINVAL, "%s is NULL", l ? "executor" : "loop");
    if (l->wake.owned[0])
        return cio__misuse(-EBUSY, "the loop already has a default executor");
    l->wake.owned[0] = ex;
    l->wake.owned_free = owned_free;
    return 0;
}

cio_future *cio_run_in_executor(cio_executor *ex, cio_job_fn fn, void *arg)
{
    cio_loop *l = cio_loop_current();
    if (!l)
        return cio__future_failed(cio__misuse(-EPERM, "no current loop"));
    if (!fn)
        return cio__future_failed(cio__misuse(-EINVAL, "fn is NULL"));
    int err = 0;
    if (!ex && !(ex = cio__loop_executor(l, 0, &err)))
        return cio__future_failed(err);
    return cio__job_submit(ex, fn, arg, NULL);
}

cio_future *cio_to_thread(cio_job_fn fn, void *arg) { return cio_run_in_executor(NULL, fn, arg); }
