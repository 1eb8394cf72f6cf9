/* http/curl_api.h — libcurl, loaded on first use with dlopen, so that a
 * program that never makes an HTTP request neither loads libcurl (and the
 * ~30 libraries it pulls in) nor needs it installed. Internal.
 *
 * The http layer includes this instead of <curl/curl.h> and calls curl by
 * curl's own names: each name below is a macro for the function pointer
 * cio__curl_load() fills in. Nothing may call them before that succeeded.
 */
#ifndef CIO_HTTP_CURL_API_H
#define CIO_HTTP_CURL_API_H

#include <curl/curl.h>
#include "base/common.h"

typedef struct cio__curl_api {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *e);
    void (*easy_reset)(CURL *e);
    CURLcode (*easy_setopt)(CURL *e, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *e, CURLINFO info, ...);
    CURLcode (*easy_pause)(CURL *e, int bitmask);
    const char *(*easy_strerror)(CURLcode code);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *m);
    CURLMcode (*multi_setopt)(CURLM *m, CURLMoption option, ...);
    CURLMcode (*multi_add_handle)(CURLM *m, CURL *e);
    CURLMcode (*multi_remove_handle)(CURLM *m, CURL *e);
    CURLMcode (*multi_socket_action)(CURLM *m, curl_socket_t s, int ev_bitmask, int *running);
    CURLMcode (*multi_assign)(CURLM *m, curl_socket_t s, void *sockp);
    CURLMsg *(*multi_info_read)(CURLM *m, int *msgs_in_queue);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
    void (*slist_free_all)(struct curl_slist *list);
} cio__curl_api;

CIO_HIDDEN extern cio__curl_api cio__curl;

/* Loads libcurl and runs curl_global_init, once per process (thread-safe).
 * The library is $CIO_LIBCURL if set, else the libcurl already in the
 * process if there is one, else the soname of the libcurl cio was built
 * against (CIO_LIBCURL_SONAME, e.g. "libcurl.so.4"). Returns 0, or -ELIBACC
 * when it cannot be loaded or lacks a function (debug builds say which), or
 * -ENOMEM when curl_global_init fails. (curl_global_init is reference
 * counted, so a program that also calls it is fine.) */
CIO_HIDDEN int cio__curl_load(void);

/* curl's type-checking macros (typecheck-gcc.h) wrap these names; the
 * calls go through the table instead. */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_multi_setopt
#define curl_global_init (cio__curl.global_init)
#define curl_easy_init (cio__curl.easy_init)
#define curl_easy_cleanup (cio__curl.easy_cleanup)
#define curl_easy_reset (cio__curl.easy_reset)
#define curl_easy_setopt (cio__curl.easy_setopt)
#define curl_easy_getinfo (cio__curl.easy_getinfo)
#define curl_easy_pause (cio__curl.easy_pause)
#define curl_easy_strerror (cio__curl.easy_strerror)
#define curl_multi_init (cio__curl.multi_init)
#define curl_multi_cleanup (cio__curl.multi_cleanup)
#define curl_multi_setopt (cio__curl.multi_setopt)
#define curl_multi_add_handle (cio__curl.multi_add_handle)
#define curl_multi_remove_handle (cio__curl.multi_remove_handle)
#define curl_multi_socket_action (cio__curl.multi_socket_action)
#define curl_multi_assign (cio__curl.multi_assign)
#define curl_multi_info_read (cio__curl.multi_info_read)
#define curl_slist_append (cio__curl.slist_append)
#define curl_slist_free_all (cio__curl.slist_free_all)

#endif
