/* executor/executor.c — the thread pool: workers, the job queue, shutdown.
 *
 * Invariants: a job leaves the queue exactly once, under `mu`, by a worker
 * (RUNNING), by cancellation (REMOVED) or by shutdown (DROPPED); the
 * executor's memory lives until its last reference (the user's, and one per
 * job whose outcome its loop has not yet taken), so a late cancel never
 * touches a freed mutex.
 */
#include <stdlib.h>
#include <unistd.h>
#include "internal.h"

enum { MAX_WORKERS = 1024 };

/* A worker spins this many times on an empty queue before sleeping: a job
 * submitted right after another one then costs no futex wake-up. */
enum { SPIN_ROUNDS = 200 };

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define cpu_relax() __asm__ __volatile__("yield")
#else
#define cpu_relax() ((void)0)
#endif

static void unqueue(cio_executor *ex, cio__job *j)
{
    cio__list_remove(&j->qnode);
    atomic_store_explicit(&ex->nqueued, atomic_load_explicit(&ex->nqueued, memory_order_relaxed) - 1,
                          memory_order_relaxed);
}

static cio__job *take(cio_executor *ex)
{
    cio__job *j = cio__container_of(ex->queue.next, cio__job, qnode);
    unqueue(ex, j);
    atomic_store_explicit(&j->state, CIO_JOB_RUNNING, memory_order_relaxed);
    return j;
}

/* Only decides whether to keep spinning; the queue itself is read under mu. */
static void spin_briefly(cio_executor *ex)
{
    for (int i = 0; i < SPIN_ROUNDS && !atomic_load_explicit(&ex->nqueued, memory_order_relaxed); i++)
        cpu_relax();
}

/* Returns the next job, or NULL once shut down and drained. */
static cio__job *next_job(cio_executor *ex)
{
    pthread_mutex_lock(&ex->mu);
    while (cio__list_empty(&ex->queue) && !ex->shutdown) {
        ex->nidle++;
        pthread_cond_wait(&ex->work, &ex->mu);
        ex->nidle--;
    }
    cio__job *j = cio__list_empty(&ex->queue) ? NULL : take(ex);
    pthread_mutex_unlock(&ex->mu);
    return j;
}

static void *worker_main(void *arg)
{
    cio_executor *ex = arg;
    cio__job *j;
    while ((j = next_job(ex))) {
        cio__job_run(j);
        spin_briefly(ex);
    }
    return NULL;
}

static unsigned default_workers(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : (unsigned)n;
}

static void executor_destroy(cio_executor *ex)
{
    pthread_mutex_destroy(&ex->mu);
    pthread_mutex_destroy(&ex->join_mu);
    pthread_cond_destroy(&ex->work);
    cio__free(ex->threads);
    cio__free(ex);
}

static int start_workers(cio_executor *ex)
{
    for (unsigned i = 0; i < ex->nworkers; i++) {
        int rc = pthread_create(&ex->threads[i], NULL, worker_main, ex);
        if (rc != 0) {
            ex->nworkers = i; /* shut down and join the ones started */
            return -rc;
        }
    }
    return 0;
}

int cio_executor_new(cio_executor **out, unsigned nworkers)
{
    if (!out || nworkers > MAX_WORKERS)
        return cio__misuse(-EINVAL, "%s", out ? "more than 1024 workers" : "out is NULL");
    nworkers = nworkers ? nworkers : default_workers();
    cio_executor *ex = cio__calloc(1, sizeof(*ex));
    pthread_t *threads = cio__calloc(nworkers, sizeof(pthread_t));
    if (!ex || !threads) {
        cio__free(ex);
        cio__free(threads);
        return -ENOMEM;
    }
    pthread_mutex_init(&ex->mu, NULL);
    pthread_mutex_init(&ex->join_mu, NULL);
    pthread_cond_init(&ex->work, NULL);
    cio__list_init(&ex->queue);
    ex->threads = threads;
    ex->nworkers = nworkers;
    atomic_init(&ex->refs, 1);
    int rc = start_workers(ex);
    if (rc < 0) {
        cio_executor_free(ex);
        return rc;
    }
    *out = ex;
    return 0;
}

unsigned cio_executor_workers(const cio_executor *ex) { return ex ? ex->nworkers : 0; }

void cio__executor_ref(cio_executor *ex) { atomic_fetch_add_explicit(&ex->refs, 1, memory_order_relaxed); }

void cio__executor_unref(cio_executor *ex)
{
    if (atomic_fetch_sub_explicit(&ex->refs, 1, memory_order_acq_rel) == 1)
        executor_destroy(ex);
}

int cio__executor_push(cio_executor *ex, cio__job *j)
{
    pthread_mutex_lock(&ex->mu);
    if (ex->shutdown) {
        pthread_mutex_unlock(&ex->mu);
        return -ESHUTDOWN;
    }
    cio__list_push_back(&ex->queue, &j->qnode);
    atomic_store_explicit(&ex->nqueued, atomic_load_explicit(&ex->nqueued, memory_order_relaxed) + 1,
                          memory_order_relaxed);
    bool wake = ex->nidle > 0;
    pthread_mutex_unlock(&ex->mu);
    if (wake)
        pthread_cond_signal(&ex->work);
    return 0;
}

bool cio__executor_remove(cio_executor *ex, cio__job *j)
{
    pthread_mutex_lock(&ex->mu);
    bool queued = atomic_load_explicit(&j->state, memory_order_relaxed) == CIO_JOB_QUEUED;
    if (queued) {
        unqueue(ex, j);
        atomic_store_explicit(&j->state, CIO_JOB_REMOVED, memory_order_relaxed);
    }
    pthread_mutex_unlock(&ex->mu);
    return queued;
}

/* Takes every queued job out (DROPPED) and posts -ECANCELED to its loop. */
static void drop_queued(cio_executor *ex)
{
    cio__list dropped;
    cio__list_init(&dropped);
    while (!cio__list_empty(&ex->queue)) {
        cio__job *j = cio__container_of(ex->queue.next, cio__job, qnode);
        unqueue(ex, j);
        atomic_store_explicit(&j->state, CIO_JOB_DROPPED, memory_order_relaxed);
        cio__list_push_back(&dropped, &j->qnode);
    }
    pthread_mutex_unlock(&ex->mu);
    while (!cio__list_empty(&dropped)) {
        cio__job *j = cio__container_of(dropped.next, cio__job, qnode);
        cio__list_remove(&j->qnode);
        j->result = -ECANCELED;
        cio__loop_post(j->fut.loop, &j->done);
    }
    pthread_mutex_lock(&ex->mu);
}

static bool on_worker(cio_executor *ex)
{
    for (unsigned i = 0; i < ex->nworkers; i++)
        if (pthread_equal(ex->threads[i], pthread_self()))
            return true;
    return false;
}

static void join_workers(cio_executor *ex)
{
    pthread_mutex_lock(&ex->join_mu);
    if (!ex->joined)
        for (unsigned i = 0; i < ex->nworkers; i++)
            pthread_join(ex->threads[i], NULL);
    ex->joined = true;
    pthread_mutex_unlock(&ex->join_mu);
}

int cio_executor_shutdown(cio_executor *ex, bool wait, bool cancel_futures)
{
    if (!ex)
        return cio__misuse(-EINVAL, "executor is NULL");
    if (wait && on_worker(ex))
        return cio__misuse(-EDEADLK, "a worker cannot wait for its own executor");
    pthread_mutex_lock(&ex->mu);
    ex->shutdown = true;
    if (cancel_futures)
        drop_queued(ex);
    pthread_mutex_unlock(&ex->mu);
    pthread_cond_broadcast(&ex->work);
    if (wait)
        join_workers(ex);
    return 0;
}

int cio_executor_free(cio_executor *ex)
{
    int rc = cio_executor_shutdown(ex, true, true);
    if (rc < 0)
        return rc;
    cio__executor_unref(ex);
    return 0;
}
