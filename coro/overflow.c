/* coro/overflow.c — turns a guard-page hit into a message naming the task.
 *
 * The SIGSEGV handler runs on an alternate signal stack (the faulting stack
 * is exhausted). If the fault address lies in the guard page below the
 * running coroutine's stack it prints the task's name and stack size and
 * aborts; any other fault goes to the previous handler. Sanitizer builds keep
 * the sanitizer's own handler.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "coro.h"
#include "sanitizer.h"
#include "stack.h"

#define ALTSTACK_SIZE (64 * 1024)

#if !defined(CIO_ASAN) && !defined(CIO_TSAN) /* sanitizers keep their own handler */
static struct sigaction g_prev_segv;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void on_segv(int sig, siginfo_t *si, void *uctx)
{
    cio__coro *c = cio__coro_running();
    char *addr = si->si_addr;
    size_t page = 4096 * 4; /* guard page plus slack for large frames */
    if (c && c->stack_lo && addr < c->stack_lo && addr >= c->stack_lo - page) {
        cio__coro_report_overflow(c);
        signal(SIGABRT, SIG_DFL);
        abort();
    }
    if (g_prev_segv.sa_flags & SA_SIGINFO && g_prev_segv.sa_sigaction) {
        g_prev_segv.sa_sigaction(sig, si, uctx);
        return;
    }
    /* Default or ignored: reinstate it and let the fault happen again. */
    sigaction(SIGSEGV, &g_prev_segv, NULL);
    if (g_prev_segv.sa_handler != SIG_DFL && g_prev_segv.sa_handler != SIG_IGN)
        g_prev_segv.sa_handler(sig);
}

static void install_once(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &g_prev_segv);
}
#endif

void cio__overflow_handler_install(void **altstack)
{
    *altstack = NULL;
#if !defined(CIO_ASAN) && !defined(CIO_TSAN)
    stack_t cur;
    if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE))
        return; /* the thread already has one: use it */
    stack_t ss = { .ss_sp = cio__malloc(ALTSTACK_SIZE), .ss_size = ALTSTACK_SIZE };
    if (!ss.ss_sp || sigaltstack(&ss, NULL) < 0) {
        cio__free(ss.ss_sp);
        return;
    }
    *altstack = ss.ss_sp;
    pthread_once(&g_once, install_once);
#endif
}

void cio__overflow_handler_uninstall(void **altstack)
{
    if (!*altstack)
        return;
    stack_t ss = { .ss_flags = SS_DISABLE };
    sigaltstack(&ss, NULL);
    cio__free(*altstack);
    *altstack = NULL;
}
