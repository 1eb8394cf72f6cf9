/* http/curl_api.c — loading libcurl on first use (see curl_api.h). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include "curl_api.h"

#ifndef CIO_LIBCURL_SONAME
#define CIO_LIBCURL_SONAME "libcurl.so.4" /* the SONAME since libcurl 7.16 */
#endif

cio__curl_api cio__curl;

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static int g_rc;

/* One table slot per name: where it goes and the symbol to look up. */
#define SLOT(field, name) { (void **)(void *)&cio__curl.field, name }
static const struct {
    void **where;
    const char *name;
} g_slots[] = {
    SLOT(global_init, "curl_global_init"),
    SLOT(easy_init, "curl_easy_init"),
    SLOT(easy_cleanup, "curl_easy_cleanup"),
    SLOT(easy_reset, "curl_easy_reset"),
    SLOT(easy_setopt, "curl_easy_setopt"),
    SLOT(easy_getinfo, "curl_easy_getinfo"),
    SLOT(easy_pause, "curl_easy_pause"),
    SLOT(easy_strerror, "curl_easy_strerror"),
    SLOT(multi_init, "curl_multi_init"),
    SLOT(multi_cleanup, "curl_multi_cleanup"),
    SLOT(multi_setopt, "curl_multi_setopt"),
    SLOT(multi_add_handle, "curl_multi_add_handle"),
    SLOT(multi_remove_handle, "curl_multi_remove_handle"),
    SLOT(multi_socket_action, "curl_multi_socket_action"),
    SLOT(multi_assign, "curl_multi_assign"),
    SLOT(multi_info_read, "curl_multi_info_read"),
    SLOT(slist_append, "curl_slist_append"),
    SLOT(slist_free_all, "curl_slist_free_all"),
};

/* Fills the table from `lib` (a dlopen handle, or RTLD_DEFAULT); the name
 * of the first missing symbol, or NULL. */
static const char *resolve(void *lib)
{
    for (size_t i = 0; i < sizeof(g_slots) / sizeof(g_slots[0]); i++)
        if (!(*g_slots[i].where = dlsym(lib, g_slots[i].name)))
            return g_slots[i].name;
    return NULL;
}

/* The library to use: $CIO_LIBCURL if set; else the libcurl the program
 * already has (linked in, or loaded), so that easy handles it passes in
 * (cio_http_opts.easy) belong to the same library; else the soname of the
 * libcurl cio was built against. Returns 0 with the table filled. */
static int find_curl(void)
{
    const char *path = getenv("CIO_LIBCURL");
    if (!(path && *path) && !resolve(RTLD_DEFAULT))
        return 0;
    path = path && *path ? path : CIO_LIBCURL_SONAME;
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        return cio__misuse_report(-ELIBACC, "cio_http", "cannot load %s: %s", path, dlerror());
    const char *missing = resolve(lib);
    if (missing) {
        dlclose(lib);
        return cio__misuse_report(-ELIBACC, "cio_http", "%s has no %s", path, missing);
    }
    return 0; /* kept loaded for the life of the process: curl keeps global state */
}

static void load_once(void)
{
    g_rc = find_curl();
    if (g_rc == 0 && cio__curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        g_rc = -ENOMEM;
}

int cio__curl_load(void)
{
    pthread_once(&g_once, load_once);
    return g_rc;
}
