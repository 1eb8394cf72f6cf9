/* coro/sanitizer.h — which sanitizers and tools this build talks to. */
#ifndef CIO_CORO_SANITIZER_H
#define CIO_CORO_SANITIZER_H

#if defined(__SANITIZE_ADDRESS__)
#define CIO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CIO_ASAN 1
#endif
#endif

#if defined(__SANITIZE_THREAD__)
#define CIO_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CIO_TSAN 1
#endif
#endif

#ifdef CIO_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef CIO_TSAN
#include <sanitizer/tsan_interface.h>
#endif
#ifdef CIO_HAVE_VALGRIND
#include <valgrind/valgrind.h>
#endif

#endif
