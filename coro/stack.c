/* coro/stack.c — the stack pool (see stack.h). */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include "sanitizer.h"
#include "stack.h"

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102 /* Linux 6.13; absent from older headers */
#endif
#ifndef PIDFD_SELF
#define PIDFD_SELF (-10000) /* recent kernels: "this thread", no pidfd needed */
#endif

#define TRIM_IOV 64 /* stacks given back per system call (1 KiB of iovecs on the stack) */

#define CHUNK_BYTES (16u << 20) /* target virtual size of one chunk */
#define CHUNK_SLOTS_MAX 64

typedef struct chunk {
    struct chunk *next;
    char *base;
    size_t bytes;
} chunk;

/* All stacks of one size: chunks they come from, and idle stacks to reuse. */
struct cio__stack_class {
    cio__stack_class *next;
    size_t size;            /* usable bytes */
    size_t slot;            /* guard + usable */
    chunk *chunks;
    char *fresh;            /* next never-used slot in the newest chunk */
    size_t fresh_left;
    bool fresh_guarded;     /* the newest chunk got all its guards at once */
    cio__stack *idle;       /* returned stacks: cold ones below, resident ones
                               above (newest last), reused from the top */
    size_t idle_len, idle_cap;
    size_t resident;        /* resident stacks at the top of `idle` */
};

/* Applies `advice` to n ranges in one process_madvise() call where the
 * kernel allows it on the caller itself (recent kernels: PIDFD_SELF and
 * any advice for oneself; else -EBADF/-EINVAL and we stop trying); returns whether it
 * did. Stacks are given back and guarded in batches: one madvise() per
 * stack cost ~2 us each and dominated 100,000 concurrent sleeps. */
static bool madvise_batch(cio__stack_pool *p, struct iovec *iov, size_t n, int advice)
{
    if (p->no_batch || n == 0)
        return n == 0;
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += iov[i].iov_len;
    long r = syscall(SYS_process_madvise, PIDFD_SELF, iov, n, advice, 0);
    if (r < 0 && errno != ENOMEM && errno != EAGAIN)
        p->no_batch = true; /* older kernel: one madvise per range from now on */
    return r == (long)total;
}

static enum cio__guard_mode probe_guard_mode(size_t page)
{
    char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return CIO_GUARD_MPROTECT;
    int rc = madvise(p, page, MADV_GUARD_INSTALL);
    munmap(p, page);
    return rc == 0 ? CIO_GUARD_MADVISE : CIO_GUARD_MPROTECT;
}

static size_t read_max_map_count(void)
{
    FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
    unsigned long v = 65530;
    if (f) {
        if (fscanf(f, "%lu", &v) != 1)
            v = 65530;
        fclose(f);
    }
    return v;
}

int cio__stack_pool_init(cio__stack_pool *p, size_t default_size, size_t cache_max)
{
    memset(p, 0, sizeof(*p));
    p->page = (size_t)sysconf(_SC_PAGESIZE);
    p->default_size = cio__stack_round(p, default_size ? default_size : 128 * 1024);
    p->cache_max = cache_max;
    p->mode = probe_guard_mode(p->page);
    /* Each mprotect'd guard adds a mapping; leave most of the limit to the
     * rest of the process and fall back to canaries beyond this budget. */
    p->mprotect_budget = read_max_map_count() / 4;
#ifdef CIO_HAVE_VALGRIND
    p->no_batch = RUNNING_ON_VALGRIND; /* it does not know process_madvise */
#endif
    return 0;
}

size_t cio__stack_round(const cio__stack_pool *p, size_t size)
{
    if (size < 16 * 1024)
        size = 16 * 1024;
    return (size + p->page - 1) & ~(p->page - 1);
}

/* The size class a request for `size` bytes (0: the default) falls in. */
static size_t class_size(const cio__stack_pool *p, size_t size)
{
    return size ? cio__stack_round(p, size) : p->default_size;
}

/* The class of `size`-byte stacks, or NULL when there is none yet. */
static cio__stack_class *class_of(const cio__stack_pool *p, size_t size)
{
    for (cio__stack_class *c = p->classes; c; c = c->next)
        if (c->size == size)
            return c;
    return NULL;
}

/* The class of `size`-byte stacks, created if need be; NULL on -ENOMEM. */
static cio__stack_class *find_class(cio__stack_pool *p, size_t size)
{
    cio__stack_class *c = class_of(p, size);
    if (c)
        return c;
    c = cio__calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->size = size;
    c->slot = size + p->page;
    c->next = p->classes;
    p->classes = c;
    return c;
}

bool cio__stack_ready(const cio__stack_pool *p, size_t size)
{
    const cio__stack_class *c = class_of(p, class_size(p, size));
    return c && (c->idle_len || (c->fresh_left && c->fresh_guarded));
}

static int add_chunk(cio__stack_class *c)
{
    size_t slots = CHUNK_BYTES / c->slot;
    slots = slots < 1 ? 1 : slots > CHUNK_SLOTS_MAX ? CHUNK_SLOTS_MAX : slots;
    chunk *k = cio__malloc(sizeof(*k));
    if (!k)
        return -ENOMEM;
    k->bytes = slots * c->slot;
    k->base = mmap(NULL, k->bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (k->base == MAP_FAILED) {
        cio__free(k);
        return -ENOMEM;
    }
    k->next = c->chunks;
    c->chunks = k;
    c->fresh = k->base;
    c->fresh_left = slots;
    c->fresh_guarded = false;
    return 0;
}

/* Guards every slot of the newest chunk in one call (MADV_GUARD_INSTALL
 * adds no mapping); if that fails, slots are guarded one by one. */
static void guard_chunk(cio__stack_pool *p, cio__stack_class *c)
{
    struct iovec iov[CHUNK_SLOTS_MAX];
    if (p->mode != CIO_GUARD_MADVISE)
        return;
    for (size_t i = 0; i < c->fresh_left; i++)
        iov[i] = (struct iovec){ .iov_base = c->fresh + i * c->slot, .iov_len = p->page };
    c->fresh_guarded = madvise_batch(p, iov, c->fresh_left, MADV_GUARD_INSTALL);
    /* Fault in the top page of every stack (where a task starts) in the same
     * batched way: one trap per page cost more than the page itself. */
    for (size_t i = 0; i < c->fresh_left; i++)
        iov[i] = (struct iovec){ .iov_base = c->fresh + (i + 1) * c->slot - p->page, .iov_len = p->page };
    madvise_batch(p, iov, c->fresh_left, MADV_POPULATE_WRITE);
}

/* Puts a guard under a never-used slot; returns whether it has one. */
static bool guard_slot(cio__stack_pool *p, char *slot)
{
    if (p->mode == CIO_GUARD_MADVISE && madvise(slot, p->page, MADV_GUARD_INSTALL) == 0)
        return true;
    if (p->mprotect_budget > 0 && mprotect(slot, p->page, PROT_NONE) == 0) {
        p->mprotect_budget--;
        return true;
    }
    return false;
}

/* Bytes at the top of a stack that a starting task writes first (its run
 * record, its first frames), prefetched for the stack handed out after the
 * next one: an idle stack is on pages of its own, out of every cache, and
 * each of those lines was a miss of its own. Two ahead, not one: `perf` put
 * the time on the prefetches themselves when they ran one task ahead (they
 * wait for the page walk). Warm timers rounds (100,000 tasks started),
 * CPU to start them all, median of four: 36 ms one ahead, 27 two ahead.
 * Always inlined, or GCC drops a call that has no effect but prefetches
 * (see warm_resume_after in future/task.c). */
#define START_WARM_BYTES 768

static inline __attribute__((always_inline)) void warm_after_next(const cio__stack_class *c)
{
    const cio__stack *n = c->idle_len > 1 ? &c->idle[c->idle_len - 2] : NULL;
    if (n && !n->cold)
        for (size_t off = 64; off <= START_WARM_BYTES; off += 64)
            __builtin_prefetch(n->lo + n->size - off, 1);
}

int cio__stack_get(cio__stack_pool *p, size_t size, cio__stack *out)
{
    size = class_size(p, size);
    cio__stack_class *c = find_class(p, size);
    if (!c)
        return -ENOMEM;
    if (c->idle_len) {
        *out = c->idle[--c->idle_len];
        warm_after_next(c);
        if (!out->cold) {
            p->idle_resident--;
            c->resident--;
        }
        out->cold = false;
    } else {
        if (!c->fresh_left) {
            if (add_chunk(c) < 0)
                return -ENOMEM;
            guard_chunk(p, c);
        }
        char *slot = c->fresh;
        c->fresh += c->slot;
        c->fresh_left--;
        *out = (cio__stack){ .lo = slot + p->page, .size = size,
                             .guarded = c->fresh_guarded || guard_slot(p, slot) };
    }
    p->live++;
    return 0;
}

/* Gives back the memory of the oldest resident idle stacks of `c` until
 * the pool is down to cache_max resident ones (mappings and guards stay). */
static void trim(cio__stack_pool *p, cio__stack_class *c)
{
    size_t excess = p->idle_resident > p->cache_max ? p->idle_resident - p->cache_max : 0;
    size_t n = excess < c->resident ? excess : c->resident;
    cio__stack *s = &c->idle[c->idle_len - c->resident]; /* oldest resident first */
    struct iovec iov[TRIM_IOV];
    for (size_t done = 0; done < n;) {
        size_t k = 0;
        for (; k < TRIM_IOV && done + k < n; k++) {
            s[done + k].cold = true;
            iov[k] = (struct iovec){ .iov_base = s[done + k].lo, .iov_len = s[done + k].size };
        }
        if (!madvise_batch(p, iov, k, MADV_DONTNEED))
            for (size_t i = 0; i < k; i++)
                madvise(iov[i].iov_base, iov[i].iov_len, MADV_DONTNEED);
        done += k;
    }
    c->resident -= n;
    p->idle_resident -= n;
}

void cio__stack_put(cio__stack_pool *p, const cio__stack *s)
{
    cio__stack_class *c = find_class(p, s->size);
    p->live--;
    if (c && c->idle_len == c->idle_cap) {
        size_t cap = c->idle_cap ? c->idle_cap * 2 : 64;
        cio__stack *idle = cio__realloc(c->idle, cap * sizeof(*idle));
        if (idle) {
            c->idle = idle;
            c->idle_cap = cap;
        }
    }
    if (!c || c->idle_len == c->idle_cap)
        return; /* out of memory: the stack stays mapped until the pool is freed */
    cio__stack idle = *s;
    idle.cold = false;
    c->idle[c->idle_len++] = idle;
    c->resident++;
    if (++p->idle_resident >= 2 * p->cache_max)
        trim(p, c);
}

void cio__stack_pool_free(cio__stack_pool *p)
{
    while (p->classes) {
        cio__stack_class *c = p->classes;
        p->classes = c->next;
        while (c->chunks) {
            chunk *k = c->chunks;
            c->chunks = k->next;
            munmap(k->base, k->bytes);
            cio__free(k);
        }
        cio__free(c->idle);
        cio__free(c);
    }
}
