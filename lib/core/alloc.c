/* SPDX-License-Identifier: Apache-2.0 */
#include "core/alloc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/platform_util.h>

#include "core/error.h"

static atomic_uint_fast64_t alloc_count;
static atomic_uint_fast64_t fail_at; /* absolute count; 0: off */
static atomic_bool fail_persist;
static atomic_uint_fast64_t fail_count;

static bool should_fail(void)
{
	uint64_t n = atomic_fetch_add_explicit(&alloc_count, 1,
					       memory_order_relaxed) +
		     1;
	uint64_t at = atomic_load_explicit(&fail_at, memory_order_relaxed);

	if (at == 0 || n < at)
		return false;
	if (n > at &&
	    !atomic_load_explicit(&fail_persist, memory_order_relaxed))
		return false;
	atomic_fetch_add_explicit(&fail_count, 1, memory_order_relaxed);
	return true;
}

static void *oom(void)
{
	ssm_error__oom();
	return NULL;
}

void *ssm__malloc(size_t size)
{
	void *p;

	if (should_fail())
		return oom();
	p = malloc(size ? size : 1);
	return p ? p : oom();
}

void *ssm__calloc(size_t count, size_t size)
{
	void *p;

	if (should_fail())
		return oom();
	p = calloc(count ? count : 1, size ? size : 1);
	return p ? p : oom();
}

void *ssm__realloc(void *ptr, size_t size)
{
	void *p;

	if (should_fail())
		return oom();
	p = realloc(ptr, size ? size : 1);
	return p ? p : oom();
}

void ssm__free(void *ptr)
{
	free(ptr);
}

void ssm__zeroize(void *ptr, size_t len)
{
	/* a memset through a volatile function pointer: never elided */
	if (ptr && len)
		mbedtls_platform_zeroize(ptr, len);
}

void ssm__free_secure(void *ptr, size_t len)
{
	if (!ptr)
		return;
	ssm__zeroize(ptr, len);
	free(ptr);
}

char *ssm__strdup(const char *s)
{
	return ssm__strndup(s, strlen(s));
}

char *ssm__strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = ssm__malloc(len + 1);

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void *ssm__memdup(const void *src, size_t n)
{
	void *p = ssm__malloc(n);

	if (p && n)
		memcpy(p, src, n);
	return p;
}

void ssm__alloc_fail_at(uint64_t nth, bool persist)
{
	uint64_t now = atomic_load(&alloc_count);

	atomic_store(&fail_count, 0);
	atomic_store(&fail_persist, persist);
	atomic_store(&fail_at, nth ? now + nth : 0);
}

uint64_t ssm__alloc_count(void)
{
	return atomic_load(&alloc_count);
}

uint64_t ssm__alloc_failures(void)
{
	return atomic_load(&fail_count);
}
