/* future/task.c — tasks: spawn, run on a pooled stack, park, finish, cancel.
 *
 * A task is switched in from the loop's own stack (the ready phase), and
 * goes back there when it yields, waits or ends and nothing else can run
 * without the loop. Otherwise it switches straight to the task the ready
 * phase would start or resume next (same order, one switch instead of
 * two), starting the next iteration itself when that iteration's poll and
 * timer phases would do nothing (cio__task_handoff_next). The loop
 * learns from tls_task which task came back to it. References: the spawner
 * holds one, the running task holds one until its stack is given back
 * (task_reap). A started task's context and stack descriptor live at the
 * top of its stack (cio__task_run).
 */
#include <string.h>
#include "internal.h"

CIO_TLS cio__task *cio__tls_task;
#define tls_task cio__tls_task

static int task_cancel(cio_future *f);
static void task_destroy(cio_future *f);
static const cio__future_ops task_ops = { .kind = "task", .cancel = task_cancel, .destroy = task_destroy };

cio__task *cio__task_current(void) { return tls_task; }
cio_task *cio_current_task(void) { return tls_task ? &tls_task->fut : NULL; }

cio__task *cio__task_set_current(cio__task *t)
{
    cio__task *old = tls_task;
    tls_task = t;
    return old;
}
bool cio__future_is_task(const cio_future *f) { return f->ops == &task_ops; }

static cio__task *as_task(const cio_future *f)
{
    return f && !cio__future_is_static(f) && cio__future_is_task(f) ? (cio__task *)f : NULL;
}

/* ---- running -------------------------------------------------------------- */

static void task_reap(cio__task *t)
{
    if (t->started) {
        cio__stack stack = t->run->stack; /* the record lives on it */
        cio__coro_destroy(&t->run->coro);
        cio__stack_put(&cio__task_sched(t)->stacks, &stack);
    }
    cio__future_unref(&t->fut); /* the running reference */
}

/* A task that finished and started the next task itself (task_entry)
 * cannot give back the stack it is running on: the task it started does,
 * first thing, so it is never seen alive after that. Only new tasks are
 * started that way: a parked task resumed by a finished one would have to
 * check for a zombie after every switch (~0.4 ns on a bare switch). */
static void reap_zombie(cio__sched *s)
{
    cio__task *z = s->zombie;
    s->zombie = NULL;
    task_reap(z);
}

static void switch_in(cio__task *t)
{
    t->tstate = CIO_T_RUNNING;
    tls_task = t;
    cio__coro_switch(&cio__task_sched(t)->thread_ctx, &t->run->coro);
    /* Whoever switched back: `t`, or a task `t` handed the CPU to (cio_yield). */
    cio__task *back = tls_task ? tls_task : t;
    tls_task = NULL;
    if (back->tstate == CIO_T_DONE)
        task_reap(back);
}

/* Cancels and lets go of children the task neither awaited nor detached. */
static intptr_t drop_held_children(cio__task *t, intptr_t r)
{
    size_t n = 0;
    cio__list *pos;
    while ((pos = cio__list_pop_front(&t->children))) {
        cio__task *c = cio__container_of(pos, cio__task, child_link);
        c->parent = NULL;
        c->detached = true;
        cio_future_cancel(&c->fut);
        cio__future_unref(&c->fut);
        n++;
    }
    if (n == 0)
        return r;
    cio__misuse_report(-EBUSY, "task", "'%s' returned while holding %zu child task(s) it neither awaited nor detached",
                cio_task_name(&t->fut), n);
    return r < 0 ? r : -EBUSY;
}

static void task_finish(cio__task *t, intptr_t r)
{
    r = drop_held_children(t, r);
    t->tstate = CIO_T_DONE;
    cio__task_sched(t)->ntasks_running--;
    if (t->detached && r < 0 && r != -ECANCELED)
        cio__debugf("detached task '%s' failed: %s", cio_task_name(&t->fut), cio_strerror(r));
    cio__future_complete(&t->fut, r);
}

/* Runs the task, then starts the next task if that is what the loop
 * would do next (that task gives this one's stack back: reap_zombie),
 * else goes back to the loop, which gives it back. */
static void task_entry(void *arg)
{
    cio__task *t = arg;
    cio__sched *s = cio__task_sched(t);
    if (s->zombie) /* the task that started this one, if it had finished */
        reap_zombie(s);
    task_finish(t, t->fn(t->arg));
    cio__task *next = cio__task_handoff_next(t, true);
    if (next) { /* take_next warmed the ones after it (warm_ahead) */
        s->zombie = t;
        next->tstate = CIO_T_RUNNING;
        tls_task = next;
        cio__coro_exit(&t->run->coro, &next->run->coro);
    }
    cio__coro_exit(&t->run->coro, &s->thread_ctx);
}

/* Bytes at the top of every task stack for its cio__task_run. */
#define RUN_RESERVE ((sizeof(cio__task_run) + 63) & ~(size_t)63)

/* Takes a stack and puts the run record at its top (the page the pool
 * populated); the coroutine gets the rest. */
static int run_make(cio__task *t)
{
    cio__stack_pool *pool = &cio__task_sched(t)->stacks;
    cio__stack st;
    int rc = cio__stack_get(pool, t->stack_size, &st);
    if (rc < 0)
        return rc;
    cio__task_run *run = (cio__task_run *)(void *)(st.lo + st.size - RUN_RESERVE);
#ifdef CIO_ASAN
    ASAN_UNPOISON_MEMORY_REGION(run, RUN_RESERVE); /* frames an earlier task left suspended */
#endif
    run->stack = st;
    rc = cio__coro_make(&run->coro, st.lo, st.size - RUN_RESERVE, task_entry, t);
    if (rc < 0) {
        cio__stack_put(pool, &st);
        return rc;
    }
    if (!st.guarded)
        cio__coro_set_canary(&run->coro, (uint64_t *)(void *)st.lo);
    run->coro.stack_size = st.size; /* the first frame is below the record; overflow reports and sanitizers see the whole stack */
    run->coro.label = t->name; /* empty until someone asks for the default name */
    run->coro.label_id = t->id;
    t->run = run;
    return 0;
}

static int task_start(cio__task *t)
{
    int rc = t->cancel_pending ? -ECANCELED : run_make(t);
    if (rc < 0) { /* never ran */
        task_finish(t, rc);
        task_reap(t);
        return rc;
    }
    t->started = true;
    return 0;
}

static inline __attribute__((always_inline)) void warm_resume_after(const cio_loop *l);

/* The loop's hand-off to a task: starts or resumes it, warming the one
 * after it (see warm_resume_after). */
static void task_wake(cio__handle *h)
{
    cio__task *t = cio__container_of(h, cio__task, wake);
    warm_resume_after(t->fut.loop);
    if (t->started || task_start(t) == 0)
        switch_in(t);
}

void cio__task_wake_parked(cio_future *f, void *arg)
{
    (void)f;
    switch_in(arg);
}

void cio__task_ready(cio_loop *l, cio__task *t)
{
    t->tstate = CIO_T_READY;
    t->awaiting = NULL;
    cio__loop_ready(l, &t->wake);
}

void cio__task_park_polling(cio__task *t, cio_future *f)
{
    while (f->state == CIO_F_PENDING)
        if (cio_yield() < 0)
            t->cancel_pending = true;
}

/* The task handle `h` starts or resumes, or NULL when it does something
 * else (or is NULL). */
static inline cio__task *task_of(const cio__handle *h)
{
    return h && h->fn == task_wake ? cio__container_of(h, cio__task, wake) : NULL;
}

/* The started task handle `h` resumes, or NULL. */
static inline const cio__task *started_task_of(const cio__handle *h)
{
    const cio__task *t = task_of(h);
    return t && t->started ? t : NULL;
}

/* The ready phase's next handle, or NULL when the snapshot is used up. */
static inline const cio__handle *next_handle(const cio_loop *l) { return l->run_left ? l->run_next : NULL; }

/* The task the ready phase's next handle starts or resumes, or NULL. */
static inline cio__task *next_task(const cio_loop *l) { return task_of(next_handle(l)); }

/* The started task the ready phase resumes after the current handle. */
static inline const cio__task *task_after(const cio_loop *l) { return started_task_of(next_handle(l)); }

/* Warms the loop's next switch into a parked task: its run record at the
 * top of its stack, and below it the saved registers and the frames it
 * returns through (a task parked a few calls deep). The stack is on pages
 * of its own, idle since the task parked, so each of those lines is a miss
 * of its own: one prefetch for the record alone changed nothing, the
 * window cut a warm timers round (100,000 sleeping tasks) from 94-106 to
 * 64-66 ms CPU. Only here, not on a task's own hand-off (take_next, which
 * warms fewer lines: warm_ahead): there it made 100,000 tasks yielding
 * round-robin 2x slower (lines fetched that a shallow task never touches
 * cost bandwidth).
 * Always inlined: as a function of its own it has no effect GCC must keep
 * (prefetches and loads), so GCC deems it pure and drops the call. */
#define RESUME_WARM_BYTES 768

static inline __attribute__((always_inline)) void warm_resume_after(const cio_loop *l)
{
    const cio__task *t = task_after(l);
    if (t)
        for (size_t off = 0; off < RESUME_WARM_BYTES; off += 64)
            __builtin_prefetch((const char *)t->run - off);
}

/* The lines of a parked task's stack its resume reads first: the saved
 * context at its stack pointer and the frames of the switch and the
 * await above it. */
#define RESUME_STACK_BYTES 192

/* Warms the hand-offs ahead, in three stages that each read only lines
 * the stage before warmed one hand-off earlier (a woken task's record has
 * been idle since it parked, so reading it to find what to prefetch was
 * itself a miss every hand-off waited for): the top of the stack of the
 * task after the next (RESUME_STACK_BYTES from its saved stack pointer,
 * not the wider window warm_resume_after takes), the run record of the
 * one after that, and the hot line of the record of the third (see
 * struct cio__task), by address alone. */
static inline __attribute__((always_inline)) void warm_ahead(const cio_loop *l)
{
    const cio__task *a1 = task_after(l);
    if (!a1)
        return;
    const char *sp = a1->run->coro.sp;
    for (size_t off = 0; off < RESUME_STACK_BYTES; off += 64)
        __builtin_prefetch(sp + off);
    const cio__task *a2 = started_task_of(a1->wake.next);
    if (!a2)
        return;
    __builtin_prefetch(a2->run);
    if (a2->wake.next)
        __builtin_prefetch(a2->wake.next);
}

/* Whether new task `t` may start from a task's hand-off, on that task's
 * stack: it was not cancelled first (it would finish at once) and its stack
 * comes without a system call (mapping and guarding a chunk of stacks
 * takes a deeper frame than a parked task may have room for). */
static bool can_start_here(const cio__task *t)
{
    return !t->cancel_pending && cio__stack_ready(&cio__task_sched(t)->stacks, t->stack_size);
}

/* The next handle of the running ready phase, if it starts a task or
 * resumes a started one (one that yielded, or was parked on a future that
 * completed; see queue_callbacks in future.c): taken off the snapshot, the
 * task started (given its stack) if it was new. New tasks that
 * can_start_here refuses are left to the loop; one that still fails to
 * start is finished instead, in its turn, and NULL returned. */
cio__task *cio__task_take_next(cio_loop *l, bool new_only)
{
    cio__task *n = next_task(l);
    if (!n || (n->started ? new_only : !can_start_here(n)))
        return NULL;
    cio__loop_take_next(l, task_wake);
    if (!n->started && task_start(n) < 0)
        return NULL;
    warm_ahead(l);
    return n;
}

int cio_yield(void)
{
    cio__task *t = tls_task;
    if (!t)
        return cio__misuse(-EPERM, "called outside a task");
    if (!t->cancel_pending) {
        cio__task_ready(t->fut.loop, t);
        cio__task_switch_away(t);
    }
    if (!t->cancel_pending)
        return 0;
    t->cancel_pending = false;
    return -ECANCELED;
}

/* ---- spawning ------------------------------------------------------------- */

/* Writes "task-<id>" into t->name. Done when the name is first asked for,
 * not at spawn: formatting the digits was ~130 of the ~710 instructions a
 * spawned task cost from spawn to reap. */
static void set_default_name(cio__task *t)
{
    char digits[24];
    int n = 0;
    uint64_t v = t->id;
    do
        digits[n++] = (char)('0' + v % 10);
    while ((v /= 10) && n < 20);
    memcpy(t->name, "task-", 5);
    for (int i = 0; i < n; i++)
        t->name[5 + i] = digits[n - 1 - i];
    t->name[5 + n] = '\0';
}

static void task_setup(cio__task *t, cio__sched *s, cio_task_fn fn, void *arg, const cio_task_opts *o)
{
    memset((char *)t + sizeof(t->fut), 0, offsetof(cio__task, name) - sizeof(t->fut));
    t->name[0] = '\0'; /* the default name: see set_default_name */
    t->name[sizeof(t->name) - 1] = '\0'; /* strncpy below and in cio_task_set_name stop short of it */
    t->fut.refs = 2; /* the caller's and the running task's */
    t->fn = fn;
    t->arg = arg;
    t->id = ++s->next_task_id;
    t->stack_size = o ? o->stack_size : 0;
    t->wake.fn = task_wake;
    t->tstate = CIO_T_NEW;
    cio__list_init(&t->children);
    cio__list_init(&t->child_link);
    cio__list_init(&t->cancel_hooks);
    if (o && o->name)
        strncpy(t->name, o->name, sizeof(t->name) - 1);
    cio__list_push_back(&s->tasks, &t->link);
    s->ntasks_running++;
    if (tls_task && tls_task->fut.loop == s->loop) {
        t->parent = tls_task;
        cio__list_push_back(&tls_task->children, &t->child_link);
    }
}

cio_task *cio_spawn_ex(cio_loop *l, cio_task_fn fn, void *arg, const cio_task_opts *opts)
{
    l = l ? l : cio_loop_current();
    if (!l)
        return cio__future_failed(cio__misuse(-EPERM, "no loop given and none is current"));
    if (!fn)
        return cio__future_failed(cio__misuse(-EINVAL, "task function is NULL"));
    if (opts && opts->stack_size > (1ull << 30))
        return cio__future_failed(cio__misuse(-EINVAL, "stack_size %zu exceeds 1 GiB", opts->stack_size));
    cio__task *t = (cio__task *)cio__future_alloc(l, sizeof(cio__task), &task_ops);
    if (!t)
        return cio__future_failed(-ENOMEM);
    task_setup(t, l->sched, fn, arg, opts);
    cio__loop_ready(l, &t->wake);
    return &t->fut;
}

cio_task *cio_spawn(cio_task_fn fn, void *arg)
{
    return cio_spawn_ex(NULL, fn, arg, NULL);
}

/* ---- ownership, cancellation, names --------------------------------------- */

static void task_destroy(cio_future *f)
{
    cio__task *t = (cio__task *)f;
    cio__list_remove(&t->link);
    cio__future_free(f, sizeof(cio__task));
}

void cio__task_unhold(cio__task *t)
{
    cio__list_remove(&t->child_link);
    t->parent = NULL;
}

static int task_cancel(cio_future *f)
{
    cio__task *t = (cio__task *)f;
    t->cancel_pending = true;
    cio__list *pos;
    cio__list_for_each(pos, &t->cancel_hooks) {
        cio__cancel_hook *h = cio__container_of(pos, cio__cancel_hook, link);
        h->fn(h);
    }
    if (t->tstate == CIO_T_PARKED && t->awaiting)
        cio_future_cancel(t->awaiting);
    return 1;
}

void cio__task_add_cancel_hook(cio__task *t, cio__cancel_hook *h)
{
    cio__list_push_back(&t->cancel_hooks, &h->link);
}

int cio_task_cancel(cio_task *t)
{
    if (!as_task(t))
        return cio__misuse(-EINVAL, "not a task");
    return cio_future_cancel(t);
}

int cio_task_detach(cio_task *t)
{
    cio__task *task = as_task(t);
    if (!task)
        return cio__misuse(-EINVAL, "not a task");
    task->detached = true;
    cio_future_release(t);
    return 0;
}

const char *cio_task_name(const cio_task *t)
{
    cio__task *task = as_task(t);
    if (!task)
        return "(not a task)";
    if (!task->name[0])
        set_default_name(task);
    return task->name;
}

int cio_task_set_name(cio_task *t, const char *name)
{
    cio__task *task = as_task(t);
    if (!task || !name)
        return cio__misuse(-EINVAL, "%s", task ? "name is NULL" : "not a task");
    strncpy(task->name, name, sizeof(task->name) - 1); /* "" restores the default */
    return 0;
}

uint64_t cio_task_id(const cio_task *t)
{
    const cio__task *task = as_task(t);
    return task ? task->id : 0;
}
