/* http/multi.c — one curl multi handle per loop, driven by the ring.
 *
 * curl's socket callback becomes oneshot io_uring polls (re-armed after
 * each event, which gives the level-triggered behaviour curl expects), its
 * timer callback one loop timer, and every curl_multi_socket_action is
 * followed by a scan for finished transfers. Invariant: a socket record is
 * freed only after its poll op's final completion; while a completion runs
 * curl (`in_action`), a removal only marks it and the completion frees it.
 */
#include <poll.h>
#include <pthread.h>
#include "internal.h"

static const char http_key; /* the loop extension's identity */

static void kick(cio__http *h);

/* ---- finished transfers ------------------------------------------------- */

/* Ends requests that failed inside a curl callback (out of memory for a
 * socket record): curl must not be told, or it marks the whole multi dead. */
static void reap_doomed(cio__http *h)
{
    h->doomed = false;
    cio__list *pos = h->requests.next;
    while (pos != &h->requests) {
        cio__http_req *r = cio__container_of(pos, cio__http_req, link);
        pos = pos->next;
        if (r->err) {
            cio__http_stop(r);
            cio__http_req_done(r, CURLE_OK);
        }
    }
}

static void check_done(cio__http *h)
{
    CURLMsg *m;
    int left;
    if (h->doomed)
        reap_doomed(h);
    while ((m = curl_multi_info_read(h->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        CURLcode code = m->data.result;
        cio__http_req *r = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
        cio__http_stop(r); /* m is invalid from here on */
        cio__http_req_done(r, code);
    }
}

static void action(cio__http *h, curl_socket_t fd, int ev)
{
    int running;
    curl_multi_socket_action(h->multi, fd, ev, &running);
    check_done(h);
}

/* Aborts every transfer: the loop is shutting down (someone cancelled our
 * polls from outside, as cio_run's drain does). */
static void abort_all(cio__http *h)
{
    while (!cio__list_empty(&h->requests)) {
        cio__http_req *r = cio__container_of(h->requests.next, cio__http_req, link);
        cio__http_stop(r);
        cio__http_req_done(r, CURLE_ABORTED_BY_CALLBACK);
    }
}

/* ---- sockets -------------------------------------------------------------- */

static unsigned poll_mask(int want)
{
    return (want & CURL_POLL_IN ? POLLIN : 0) | (want & CURL_POLL_OUT ? POLLOUT : 0);
}

static int curl_events(int revents)
{
    int ev = 0;
    if (revents & (POLLIN | POLLHUP | POLLERR))
        ev |= CURL_CSELECT_IN;
    if (revents & (POLLOUT | POLLERR))
        ev |= CURL_CSELECT_OUT;
    if (revents & POLLERR)
        ev |= CURL_CSELECT_ERR;
    return ev;
}

static void sock_arm(cio__http_sock *s)
{
    s->armed = poll_mask(s->want);
    io_uring_prep_poll_add(&s->op.sqe, s->fd, s->armed);
    cio__op_submit(s->h->loop, &s->op);
}

static void sock_polled(cio__op *op, int res, unsigned flags)
{
    cio__http_sock *s = cio__container_of(op, cio__http_sock, op);
    (void)flags;
    if (!s->removed) {
        s->in_action = true;
        if (res == -ECANCELED && !op->cancel_requested)
            abort_all(s->h); /* not our cancel: shutdown */
        else if (res != -ECANCELED)
            action(s->h, s->fd, res < 0 ? CURL_CSELECT_ERR : curl_events(res));
        s->in_action = false;
    }
    if (s->removed) {
        cio__free(s);
        return;
    }
    if (s->op.state == CIO_OP_IDLE)
        sock_arm(s);
}

/* curl changed what it wants from a socket we already watch. */
static void sock_update(cio__http_sock *s)
{
    if (s->in_action)
        return; /* the running completion re-arms */
    if (s->op.state == CIO_OP_IDLE)
        sock_arm(s);
    else if (s->armed != poll_mask(s->want))
        cio__op_cancel(s->h->loop, &s->op); /* its completion re-arms */
}

static void sock_remove(cio__http_sock *s)
{
    s->removed = true;
    if (s->in_action)
        return;
    if (s->op.state == CIO_OP_IDLE)
        cio__free(s);
    else
        cio__op_cancel(s->h->loop, &s->op); /* its completion frees */
}

/* Fails the transfer of `e` from inside a curl callback: recorded now,
 * ended by the next action (kicked). */
static int doom(cio__http *h, CURL *e, int err)
{
    cio__http_req *r = NULL;
    curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&r);
    if (r && !r->err)
        r->err = err;
    h->doomed = true;
    kick(h);
    return 0; /* -1 would mark the whole multi handle dead */
}

static int socket_cb(CURL *e, curl_socket_t fd, int what, void *p, void *sockp)
{
    cio__http *h = p;
    cio__http_sock *s = sockp;
    (void)e;
    if (what == CURL_POLL_REMOVE) {
        if (s)
            sock_remove(s);
        return 0;
    }
    if (h->closing)
        return 0; /* curl_multi_cleanup: nothing is watched any more */
    if (!s) {
        s = cio__calloc(1, sizeof(*s));
        if (!s)
            return doom(h, e, -ENOMEM);
        cio__op_init(&s->op, sock_polled);
        s->h = h;
        s->fd = fd;
        curl_multi_assign(h->multi, fd, s);
    }
    s->want = what;
    sock_update(s);
    return 0;
}

/* ---- the timer ------------------------------------------------------------ */

static void timer_fire(cio__timer *t)
{
    action(cio__container_of(t, cio__http, timer), CURL_SOCKET_TIMEOUT, 0);
}

static void kick_run(cio__handle *k)
{
    cio__http *h = cio__container_of(k, cio__http, kick);
    h->kick_queued = false;
    action(h, CURL_SOCKET_TIMEOUT, 0);
}

/* Runs curl's timeouts on the next iteration, without allocating. */
static void kick(cio__http *h)
{
    if (!h->kick_queued && !h->closing) {
        h->kick_queued = true;
        cio__loop_ready(h->loop, &h->kick);
    }
}

/* Returning -1 would mark the whole multi handle dead: never do. */
static int timer_cb(CURLM *m, long timeout_ms, void *p)
{
    cio__http *h = p;
    (void)m;
    if (timeout_ms < 0 || h->closing) {
        cio__timer_stop(h->loop, &h->timer);
        return 0;
    }
    uint64_t when = cio__clock_ns() + (uint64_t)(h->doomed ? 0 : timeout_ms) * 1000000ull;
    if (cio__timer_start(h->loop, &h->timer, when) < 0)
        kick(h); /* no memory for the heap: check early instead */
    return 0;
}

/* ---- lifecycle ------------------------------------------------------------ */

static void http_destroy(cio__loop_ext *e)
{
    cio__http *h = (cio__http *)e;
    h->closing = true;
    while (h->nidle)
        curl_easy_cleanup(h->idle[--h->nidle]);
    curl_multi_cleanup(h->multi);
    cio__timer_stop(h->loop, &h->timer);
    cio__free(h);
}

cio__http *cio__http_get(cio_loop *l, int *err)
{
    cio__http *h = (cio__http *)cio__loop_ext_find(l, &http_key);
    if (h)
        return h;
    if ((*err = cio__curl_load()) < 0)
        return NULL;
    *err = -ENOMEM;
    if (!cio__sched_get(l))
        return NULL;
    h = cio__calloc(1, sizeof(*h));
    if (!h || !(h->multi = curl_multi_init())) {
        cio__free(h);
        return NULL;
    }
    h->loop = l;
    h->ext.key = &http_key;
    h->ext.destroy = http_destroy;
    cio__list_init(&h->requests);
    cio__timer_init(&h->timer, timer_fire);
    h->kick.fn = kick_run;
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
    cio__loop_ext_add(l, &h->ext);
    return h;
}

CURL *cio__http_easy_get(cio__http *h)
{
    return h->nidle ? h->idle[--h->nidle] : curl_easy_init();
}

void cio__http_easy_put(cio__http *h, CURL *easy)
{
    if (h->nidle < (int)(sizeof(h->idle) / sizeof(h->idle[0]))) {
        curl_easy_reset(easy);
        h->idle[h->nidle++] = easy;
    } else {
        curl_easy_cleanup(easy);
    }
}

int cio__http_start(cio__http_req *r)
{
    CURLMcode mc = curl_multi_add_handle(r->h->multi, r->easy);
    if (mc != CURLM_OK)
        return mc == CURLM_OUT_OF_MEMORY ? -ENOMEM : -EINVAL;
    r->in_multi = true;
    cio__list_push_back(&r->h->requests, &r->link);
    r->h->nrequests++;
    return 0;
}

void cio__http_stop(cio__http_req *r)
{
    if (!r->in_multi)
        return;
    cio__http *h = r->h;
    r->in_multi = false;
    cio__list_remove(&r->link);
    h->nrequests--;
    curl_multi_remove_handle(h->multi, r->easy);
    if (h->nrequests == 0)
        cio__timer_stop(h->loop, &h->timer); /* nothing to time out any more */
}

size_t cio_http_active(cio_loop *l)
{
    l = l ? l : cio_loop_current();
    cio__http *h = l ? (cio__http *)cio__loop_ext_find(l, &http_key) : NULL;
    return h ? h->nrequests : 0;
}

int cio_http_init(cio_loop *l)
{
    l = l ? l : cio_loop_current();
    if (!l)
        return cio__misuse(-EPERM, "no loop given and none is current");
    int err = 0;
    return cio__http_get(l, &err) ? 0 : err;
}

int cio_http_set_limits(cio_loop *l, long per_host, long total)
{
    l = l ? l : cio_loop_current();
    if (!l)
        return cio__misuse(-EPERM, "no loop given and none is current");
    if (per_host < 0 || total < 0)
        return cio__misuse(-EINVAL, "negative connection limit");
    int err;
    cio__http *h = cio__http_get(l, &err);
    if (!h)
        return err;
    curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, per_host);
    curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, total);
    return 0;
}
