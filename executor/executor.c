/* executor/executor.c — the thread pool: workers, the job queue, shutdown.
 *
 * Invariants: a job leaves the queue exactly once, under `mu`, popped by a
 * worker or by shutdown, and is then handed back to its loop exactly once
 * (cio__loop_post). The loop never touches the executor after submitting:
 * cancelling a queued job is a CAS on the job's state, so an executor may be
 * freed from any thread while its jobs' futures live on.
 */
#include <stdlib.h>
#include <unistd.h>
#include "internal.h"

enum { MAX_WORKERS = 1024 };

/* A worker spins this many times on an empty queue before sleeping: a job
 * submitted right after another one then costs no futex wake-up. 1,000
 * pauses are ~20 us on an AMD EPYC (Zen 5) guest; with 200 the workers fell
 * asleep between the waves of a throughput run and futex waits and wake-ups
 * took a third of its CPU (6.3M -> 10.1M jobs/s). A pause lasts ~40 ns on
 * Skylake-class Intel, so there it is ~40 us; a spin bounded by the clock
 * instead (read every 64 pauses) measured slower and less steady here. */
enum { SPIN_ROUNDS = 1000 };

/* The most jobs a worker takes from the queue at once. */
enum { MAX_TAKE = 16 };

static void unqueue(cio_executor *ex, cio__job *j)
{
    cio__list_remove(&j->qnode);
    atomic_store_explicit(&ex->nqueued, atomic_load_explicit(&ex->nqueued, memory_order_relaxed) - 1,
                          memory_order_relaxed);
}

/* Moves up to a fair share of the queue (1..MAX_TAKE jobs) to `mine`, so a
 * long queue costs one lock per few jobs, while a short one is still spread
 * over all workers. */
static void take(cio_executor *ex, cio__list *mine)
{
    size_t n = atomic_load_explicit(&ex->nqueued, memory_order_relaxed) / (2 * ex->nworkers);
    n = n < 1 ? 1 : n > MAX_TAKE ? MAX_TAKE : n;
    while (n-- && !cio__list_empty(&ex->queue)) {
        cio__job *j = cio__container_of(ex->queue.next, cio__job, qnode);
        unqueue(ex, j);
        cio__list_push_back(mine, &j->qnode);
    }
}

/* Only decides whether to keep spinning; the queue itself is read under mu.
 * While a worker spins, submitters skip the condition-variable signal: the
 * spinner re-checks the queue under mu before it sleeps. (Letting only one
 * worker spin at a time was measured: round trips got 2-3x slower, since the
 * worker that just finished is the one the next job wants.) */
static void spin_briefly(cio_executor *ex)
{
    atomic_fetch_add(&ex->nspinning, 1);
    for (int i = 0; i < SPIN_ROUNDS && !atomic_load_explicit(&ex->nqueued, memory_order_relaxed); i++)
        cio__cpu_relax();
    atomic_fetch_sub(&ex->nspinning, 1);
}

/* Takes the next jobs into `mine`; false once shut down and drained. */
static bool next_jobs(cio_executor *ex, cio__list *mine)
{
    pthread_mutex_lock(&ex->mu);
    while (cio__list_empty(&ex->queue) && !ex->shutdown) {
        ex->nidle++;
        pthread_cond_wait(&ex->work, &ex->mu);
        ex->nidle--;
        if (ex->nwaking)
            ex->nwaking--;
    }
    bool got = !cio__list_empty(&ex->queue);
    if (got)
        take(ex, mine);
    bool more = !cio__list_empty(&ex->queue) && ex->nidle > ex->nwaking;
    if (more)
        ex->nwaking++;
    pthread_mutex_unlock(&ex->mu);
    if (more)
        pthread_cond_signal(&ex->work); /* pass the backlog on to a sleeper */
    return got;
}

static void *worker_main(void *arg)
{
    cio_executor *ex = arg;
    cio__list mine;
    cio__list_init(&mine);
    while (next_jobs(ex, &mine)) {
        while (!cio__list_empty(&mine)) {
            cio__job *j = cio__container_of(cio__list_pop_front(&mine), cio__job, qnode);
            /* shutdown(cancel_futures) also covers jobs already taken */
            cio__job_run(j, atomic_load_explicit(&ex->cancel_all, memory_order_relaxed));
        }
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
    int rc = start_workers(ex);
    if (rc < 0) {
        cio_executor_free(ex);
        return rc;
    }
    *out = ex;
    return 0;
}

unsigned cio_executor_workers(const cio_executor *ex) { return ex ? ex->nworkers : 0; }

static void list_append(cio__list *dst, cio__list *src)
{
    if (cio__list_empty(src))
        return;
    src->next->prev = dst->prev;
    dst->prev->next = src->next;
    src->prev->next = dst;
    dst->prev = src->prev;
    cio__list_init(src);
}

int cio__executor_push(cio_executor *ex, cio__list *jobs, size_t n)
{
    pthread_mutex_lock(&ex->mu);
    if (ex->shutdown) {
        pthread_mutex_unlock(&ex->mu);
        return -ESHUTDOWN;
    }
    list_append(&ex->queue, jobs);
    atomic_store_explicit(&ex->nqueued, atomic_load_explicit(&ex->nqueued, memory_order_relaxed) + n,
                          memory_order_relaxed);
    /* Spinning workers re-check the queue under mu before sleeping, and
     * signalled ones are on their way: wake only the rest that is needed. */
    size_t spinning = (size_t)atomic_load(&ex->nspinning);
    size_t want = n > spinning ? n - spinning : 0, sleepers = ex->nidle - ex->nwaking;
    unsigned wake = (unsigned)(want < sleepers ? want : sleepers);
    ex->nwaking += wake;
    pthread_mutex_unlock(&ex->mu);
    while (wake--)
        pthread_cond_signal(&ex->work);
    return 0;
}

/* Moves every queued job to `out` (under mu). */
static void take_all(cio_executor *ex, cio__list *out)
{
    while (!cio__list_empty(&ex->queue)) {
        cio__job *j = cio__container_of(ex->queue.next, cio__job, qnode);
        unqueue(ex, j);
        cio__list_push_back(out, &j->qnode);
    }
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
    cio__job_flush_for(ex); /* jobs this thread's loop has not handed over yet */
    cio__list dropped;
    cio__list_init(&dropped);
    pthread_mutex_lock(&ex->mu);
    ex->shutdown = true;
    atomic_store(&ex->closed, true);
    if (cancel_futures) {
        atomic_store(&ex->cancel_all, true); /* also stops jobs workers took but did not start */
        take_all(ex, &dropped);
    }
    pthread_mutex_unlock(&ex->mu);
    pthread_cond_broadcast(&ex->work);
    while (!cio__list_empty(&dropped)) /* back to their loops unrun: -ECANCELED */
        cio__job_run(cio__container_of(cio__list_pop_front(&dropped), cio__job, qnode), true);
    if (wait)
        join_workers(ex);
    return 0;
}

int cio_executor_free(cio_executor *ex)
{
    int rc = cio_executor_shutdown(ex, true, true);
    if (rc < 0)
        return rc;
    executor_destroy(ex);
    return 0;
}
