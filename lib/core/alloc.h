/* SPDX-License-Identifier: Apache-2.0 */
/* The only allocator libssm uses, with failure injection for tests, and
 * overflow-checked size arithmetic. */
#ifndef SSM_CORE_ALLOC_H
#define SSM_CORE_ALLOC_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

void *ssm__malloc(size_t size);
void *ssm__calloc(size_t count, size_t size);
void *ssm__realloc(void *ptr, size_t size);
void ssm__free(void *ptr);
/* Wipe @len bytes of @ptr before freeing it (secrets). */
void ssm__free_secure(void *ptr, size_t len);
char *ssm__strdup(const char *s);
char *ssm__strndup(const char *s, size_t n);
void *ssm__memdup(const void *p, size_t n);
/* Wipe memory so the compiler cannot elide it. */
void ssm__zeroize(void *ptr, size_t len);

/* true on overflow; *out is then SIZE_MAX. */
static inline bool ssm__add_overflow(size_t *out, size_t a, size_t b)
{
	if (__builtin_add_overflow(a, b, out)) {
		*out = SIZE_MAX;
		return true;
	}
	return false;
}

static inline bool ssm__mul_overflow(size_t *out, size_t a, size_t b)
{
	if (__builtin_mul_overflow(a, b, out)) {
		*out = SIZE_MAX;
		return true;
	}
	return false;
}

/* Test hooks: make the Nth allocation from now fail (1 = the next one);
 * 0 disables. With @persist every allocation from the Nth on fails. */
void ssm__alloc_fail_at(uint64_t nth, bool persist);
/* Allocations made since the process started (for tests). */
uint64_t ssm__alloc_count(void);
/* How many injected failures have happened since the last fail_at. */
uint64_t ssm__alloc_failures(void);

#endif
