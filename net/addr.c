/* net/addr.c — numeric address parsing and formatting; no lookups here
 * (names go through the executor's resolver in connect.c). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>
#include "internal.h"

static int parse_unix(cio_addr *out, const char *path)
{
    struct sockaddr_un *un = (struct sockaddr_un *)&out->ss;
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof un->sun_path)
        return -EINVAL;
    memset(un, 0, sizeof *un);
    un->sun_family = AF_UNIX;
    memcpy(un->sun_path, path, n);
    if (path[0] == '@')
        un->sun_path[0] = '\0'; /* abstract namespace: no NUL terminator counted */
    out->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (path[0] != '@'));
    return 0;
}

static int parse_v6(cio_addr *out, const char *host, uint16_t port)
{
    char buf[INET6_ADDRSTRLEN + 2];
    size_t n = strlen(host);
    if (host[0] == '[' && n >= 2 && host[n - 1] == ']' && n - 2 < sizeof buf) {
        memcpy(buf, host + 1, n - 2);
        buf[n - 2] = '\0';
        host = buf;
    }
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&out->ss;
    memset(s6, 0, sizeof *s6);
    if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
        return -EINVAL;
    s6->sin6_family = AF_INET6;
    s6->sin6_port = htons(port);
    out->len = sizeof *s6;
    return 0;
}

int cio_addr_parse(cio_addr *out, const char *host, uint16_t port)
{
    if (!out)
        return cio__misuse(-EINVAL, "out is NULL");
    memset(out, 0, sizeof *out);
    if (host && !strncmp(host, "unix:", 5))
        return parse_unix(out, host + 5);
    if (host && host[0] == '/')
        return parse_unix(out, host);
    struct sockaddr_in *s4 = (struct sockaddr_in *)&out->ss;
    s4->sin_family = AF_INET;
    s4->sin_port = htons(port);
    out->len = sizeof *s4;
    if (!host || !*host) {
        s4->sin_addr.s_addr = htonl(INADDR_ANY);
        return 0;
    }
    if (!strcmp(host, "localhost")) {
        s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return 0;
    }
    if (inet_pton(AF_INET, host, &s4->sin_addr) == 1)
        return 0;
    return parse_v6(out, host, port);
}

int cio_addr_format(const cio_addr *a, char *buf, size_t cap)
{
    if (!a || !buf || cap == 0)
        return cio__misuse(-EINVAL, "NULL argument or zero capacity");
    char ip[INET6_ADDRSTRLEN];
    int n;
    const struct sockaddr *sa = (const struct sockaddr *)&a->ss;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *s4 = (const void *)sa;
        inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof ip);
        n = snprintf(buf, cap, "%s:%u", ip, ntohs(s4->sin_port));
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const void *)sa;
        inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof ip);
        n = snprintf(buf, cap, "[%s]:%u", ip, ntohs(s6->sin6_port));
    } else if (sa->sa_family == AF_UNIX) {
        const struct sockaddr_un *un = (const void *)sa;
        bool abstract = a->len > offsetof(struct sockaddr_un, sun_path) && un->sun_path[0] == '\0';
        n = snprintf(buf, cap, "unix:%s%s", abstract ? "@" : "", un->sun_path + abstract);
    } else {
        n = snprintf(buf, cap, "(family %d)", sa->sa_family);
    }
    return n < 0 || (size_t)n >= cap ? -ENOSPC : n;
}

uint16_t cio_addr_port(const cio_addr *a)
{
    if (!a)
        return 0;
    if (a->ss.ss_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)&a->ss)->sin_port);
    if (a->ss.ss_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)&a->ss)->sin6_port);
    return 0;
}
