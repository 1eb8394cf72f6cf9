/* executor/internal.h — thread pools and their jobs.
 *
 * A job is a future of the submitting loop (cio__job) plus a work item the
 * pool's workers take from a mutex-protected queue. The worker's outcome
 * travels back through the loop's MPSC list (cio__loop_post); every future
 * operation happens on the loop thread. Internal; never installed.
 */
#ifndef CIO_EXECUTOR_INTERNAL_H
#define CIO_EXECUTOR_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include "cio/executor.h"
#include "future/internal.h"

/* Job states. QUEUED -> RUNNING (a worker, by CAS), -> REMOVED (the loop
 * cancels it, by CAS; it stays in the queue until a worker or shutdown pops
 * it and hands it back unrun) or -> DROPPED (shutdown, under the mutex). */
enum { CIO_JOB_QUEUED, CIO_JOB_RUNNING, CIO_JOB_REMOVED, CIO_JOB_DROPPED };

typedef struct cio__job cio__job;

/* Called on the loop thread once the job's outcome is known. `delivered`
 * is false when nobody can see `result` (the future was cancelled first or
 * released), so the owner frees what the result points to. */
typedef void (*cio__job_cleanup)(cio__job *j, intptr_t result, bool delivered);

struct cio__job {
    cio_future fut;          /* first: a job is a future of its loop */
    cio__remote done;        /* posted to the loop by the worker (or shutdown) */
    cio__list qnode;         /* in ex->queue until a worker or shutdown pops it */
    cio_job_fn fn;
    void *arg;
    cio__job_cleanup cleanup;
    intptr_t result;         /* written by the worker before posting */
    atomic_int state;
    atomic_bool cancelled;   /* what cio_job_cancelled() reads */
};

struct cio_executor {
    pthread_mutex_t mu;
    pthread_cond_t work;     /* workers wait here for jobs */
    cio__list queue;         /* QUEUED jobs, FIFO */
    atomic_size_t nqueued;   /* its length (written under mu; read racily to spin) */
    unsigned nworkers, nidle, nwaking; /* asleep; signalled but not yet up */
    bool shutdown;           /* refuse new jobs; workers exit once the queue is empty */
    atomic_bool closed;      /* = shutdown, readable without mu */
    atomic_bool cancel_all;  /* shutdown(cancel_futures): taken jobs do not run either */
    atomic_int nspinning;    /* workers spinning for the next job (need no signal) */
    pthread_mutex_t join_mu; /* serialises joining */
    bool joined;
    pthread_t *threads;
};

/* Queues a job of the current loop on `ex`; returns its future (or a failed
 * one). `cleanup` may be NULL. Loop thread. */
CIO_HIDDEN cio_future *cio__job_submit(cio_executor *ex, cio_job_fn fn, void *arg, cio__job_cleanup cleanup);
/* Hands the `n` jobs on `jobs` to the workers (the list is emptied);
 * -ESHUTDOWN (jobs left on the list) after shutdown. */
CIO_HIDDEN int cio__executor_push(cio_executor *ex, cio__list *jobs, size_t n);
/* Loop thread: hands over the jobs the current loop batched for `ex`. */
CIO_HIDDEN void cio__job_flush_for(cio_executor *ex);
/* Runs `j` on this thread (unless it was removed, or `drop`: then it
 * never runs and its outcome is -ECANCELED) and hands it back to its loop. */
CIO_HIDDEN void cio__job_run(cio__job *j, bool drop);
/* The loop's default executor (0) or resolver pool (1), created on first
 * use and freed with the loop; NULL on failure (*err set). */
CIO_HIDDEN cio_executor *cio__loop_executor(cio_loop *l, int which, int *err);

#endif
