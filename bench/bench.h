/* bench/bench.h — helpers shared by the cio benchmark programs and the C
 * peers: clocks, CPU time and peak RSS from getrusage, the host's cost of
 * touching fresh memory, argument parsing.
 * Every program prints one line of `key=value` pairs for the suites.
 */
#ifndef CIO_BENCH_H
#define CIO_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

static inline uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* User + system CPU time of the process so far, in nanoseconds. */
static inline uint64_t bench_cpu_ns(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000ull +
           ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000ull;
}

/* What this host charges for the first write to a 4 KiB page of fresh
 * memory, in ns (64 MiB mapped, written a page at a time, unmapped). About
 * 100-300 ns on bare metal; far more where the hypervisor builds the page
 * tables (a paravirtualised MMU), which is what cold rounds measure there. */
static inline double bench_first_touch_ns_per_page(void)
{
    size_t len = (size_t)64 << 20;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 0;
    madvise(p, len, MADV_NOHUGEPAGE); /* 4 KiB pages even where THP is "always" */
    uint64_t t0 = bench_now_ns();
    for (size_t i = 0; i < len; i += 4096)
        ((volatile char *)p)[i] = 1;
    uint64_t ns = bench_now_ns() - t0;
    munmap(p, len);
    return (double)ns / (double)(len / 4096);
}

/* Peak resident set size of the process so far, in bytes. */
static inline uint64_t bench_maxrss_bytes(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (uint64_t)ru.ru_maxrss * 1024ull;
}

/* Current resident set size (VmRSS), in bytes; 0 if unreadable. */
static inline uint64_t bench_rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0, rss = 0;
    if (f) {
        if (fscanf(f, "%lu %lu", &pages, &rss) != 2)
            rss = 0;
        fclose(f);
    }
    return (uint64_t)rss * 4096ull;
}

/* Number of memory mappings of the process (lines of /proc/self/maps). */
static inline long bench_map_count(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    long n = 0;
    int c;
    if (!f)
        return -1;
    while ((c = getc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

/* A "Name:  <n> kB" field of /proc/self/status (e.g. "VmPTE"), in bytes;
 * 0 if absent. */
static inline uint64_t bench_status_bytes(const char *name)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    size_t len = strlen(name);
    unsigned long long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, name, len) && line[len] == ':' && sscanf(line + len + 1, "%llu", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return (uint64_t)kb * 1024ull;
}

/* argv[i] as a number, or `def` when absent. */
static inline long bench_arg(int argc, char **argv, int i, long def)
{
    return argc > i ? strtol(argv[i], NULL, 0) : def;
}

#endif
