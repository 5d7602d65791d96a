/* SPDX-License-Identifier: Apache-2.0 */
#include "core/arena.h"

#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

struct ssm_arena_chunk {
	ssm_arena_chunk *next;
	size_t size;
	size_t used;
	_Alignas(16) unsigned char data[];
};

#define ARENA_ALIGN 16
#define ARENA_CHUNK 4096

void *ssm_arena_alloc(ssm_arena *a, size_t size)
{
	ssm_arena_chunk *c = a->head;
	size_t rounded, csize;

	if (ssm__add_overflow(&rounded, size, ARENA_ALIGN - 1)) {
		ssm_error__oom();
		return NULL;
	}
	rounded &= ~(size_t)(ARENA_ALIGN - 1);
	if (!rounded)
		rounded = ARENA_ALIGN;
	if (a->max && (rounded > a->max || a->total > a->max - rounded)) {
		ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_INVALID, NULL,
			       "input needs more than %zu bytes of memory",
			       a->max);
		return NULL;
	}
	if (!c || c->size - c->used < rounded) {
		/* Chunks double as the arena grows, so big trees need few. */
		csize = c ? c->size * 2 : ARENA_CHUNK;
		if (csize > (1u << 20))
			csize = 1u << 20;
		if (csize < rounded)
			csize = rounded;
		c = ssm__malloc(sizeof(*c) + csize);
		if (!c)
			return NULL;
		c->size = csize;
		c->used = 0;
		/* A big one-off allocation goes behind the current chunk so
		 * the current chunk's free space stays usable. */
		if (a->head && csize == rounded &&
		    a->head->size - a->head->used > 256) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	a->total += rounded;
	c->used += rounded;
	return c->data + c->used - rounded;
}

void *ssm_arena_calloc(ssm_arena *a, size_t count, size_t size)
{
	size_t n;
	void *p;

	if (ssm__mul_overflow(&n, count, size)) {
		ssm_error__oom();
		return NULL;
	}
	p = ssm_arena_alloc(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

void *ssm_arena_memdup(ssm_arena *a, const void *src, size_t n)
{
	void *p = ssm_arena_alloc(a, n);

	if (p && n)
		memcpy(p, src, n);
	return p;
}

char *ssm_arena_strndup(ssm_arena *a, const char *s, size_t n)
{
	size_t size;
	char *p;

	if (ssm__add_overflow(&size, n, 1)) {
		ssm_error__oom();
		return NULL;
	}
	p = ssm_arena_alloc(a, size);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *ssm_arena_strdup(ssm_arena *a, const char *s)
{
	return ssm_arena_strndup(a, s, strlen(s));
}

static void dispose(ssm_arena *a, int wipe)
{
	ssm_arena_chunk *c = a->head, *next;

	while (c) {
		next = c->next;
		if (wipe)
			ssm__zeroize(c->data, c->used);
		ssm__free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}

void ssm_arena_dispose(ssm_arena *a)
{
	dispose(a, 0);
}

void ssm_arena_dispose_secure(ssm_arena *a)
{
	dispose(a, 1);
}
