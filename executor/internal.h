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

/* Job states; transitions out of QUEUED happen under the executor's mutex. */
enum { CIO_JOB_QUEUED, CIO_JOB_RUNNING, CIO_JOB_REMOVED, CIO_JOB_DROPPED };

typedef struct cio__job cio__job;

/* Called on the loop thread once the job's outcome is known. `delivered`
 * is false when nobody can see `result` (the future was cancelled first or
 * released), so the owner frees what the result points to. */
typedef void (*cio__job_cleanup)(cio__job *j, intptr_t result, bool delivered);

struct cio__job {
    cio_future fut;          /* first: a job is a future of its loop */
    cio__remote done;        /* posted to the loop by the worker (or shutdown) */
    cio__list qnode;         /* in ex->queue while QUEUED */
    cio_executor *ex;        /* holds one executor reference */
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
    unsigned nworkers, nidle;
    bool shutdown;           /* refuse new jobs; workers exit once the queue is empty */
    atomic_int refs;         /* the user's (or loop's) + one per unfinished job */
    pthread_mutex_t join_mu; /* serialises joining */
    bool joined;
    pthread_t *threads;
};

/* Queues a job of the current loop on `ex`; returns its future (or a failed
 * one). `cleanup` may be NULL. Loop thread. */
CIO_HIDDEN cio_future *cio__job_submit(cio_executor *ex, cio_job_fn fn, void *arg, cio__job_cleanup cleanup);
/* Hands `j` to a worker; -ESHUTDOWN after shutdown. */
CIO_HIDDEN int cio__executor_push(cio_executor *ex, cio__job *j);
/* Removes `j` if still QUEUED (true) so it never runs. */
CIO_HIDDEN bool cio__executor_remove(cio_executor *ex, cio__job *j);
CIO_HIDDEN void cio__executor_ref(cio_executor *ex);
CIO_HIDDEN void cio__executor_unref(cio_executor *ex);
/* Runs `j` on this worker thread and posts its outcome to its loop. */
CIO_HIDDEN void cio__job_run(cio__job *j);
/* The loop's default executor (0) or resolver pool (1), created on first
 * use and freed with the loop; NULL on failure (*err set). */
CIO_HIDDEN cio_executor *cio__loop_executor(cio_loop *l, int which, int *err);

#endif
