/* base/error.c — error text, misuse reports and the version string. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "common.h"

const char *cio_strerror(intptr_t err)
{
    if (err >= 0)
        return "success";
    if (!CIO_IS_ERR(err))
        return "not an error code";
    /* strerrordesc_np is thread-safe and returns static text (glibc >= 2.32). */
    const char *s = strerrordesc_np((int)-err);
    return s ? s : "unknown error";
}

int cio__misuse_report(int err, const char *func, const char *fmt, ...)
{
#ifdef CIO_DEBUG
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "cio: %s: ", func);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (%s)\n", cio_strerror(err));
    va_end(ap);
#else
    (void)func;
    (void)fmt;
#endif
    return err;
}

#ifdef CIO_DEBUG
void cio__debug_print(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("cio: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
#endif

const char *cio_version(void)
{
#define CIO__STR2(x) #x
#define CIO__STR(x) CIO__STR2(x)
    return CIO__STR(CIO_VERSION_MAJOR) "." CIO__STR(CIO_VERSION_MINOR) "." CIO__STR(CIO_VERSION_PATCH);
}
