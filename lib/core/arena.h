/* SPDX-License-Identifier: Apache-2.0 */
/* A bump allocator: many small allocations freed all at once (parse trees,
 * decoded requests and responses). */
#ifndef SSM_CORE_ARENA_H
#define SSM_CORE_ARENA_H

#include <stddef.h>

typedef struct ssm_arena_chunk ssm_arena_chunk;

typedef struct ssm_arena {
	ssm_arena_chunk *head;
	size_t total; /* bytes handed out */
	size_t max;   /* 0: unlimited; else allocations past it fail */
} ssm_arena;

#define SSM_ARENA_INIT     \
	{                  \
		NULL, 0, 0 \
	}

/* NULL on failure, with the error set (out of memory or over max). */
void *ssm_arena_alloc(ssm_arena *a, size_t size);
void *ssm_arena_calloc(ssm_arena *a, size_t count, size_t size);
void *ssm_arena_memdup(ssm_arena *a, const void *p, size_t n);
/* Copies n bytes and adds a NUL. */
char *ssm_arena_strndup(ssm_arena *a, const char *s, size_t n);
char *ssm_arena_strdup(ssm_arena *a, const char *s);
void ssm_arena_dispose(ssm_arena *a);
/* Wipe every chunk before freeing (the arena held secrets). */
void ssm_arena_dispose_secure(ssm_arena *a);

#endif
