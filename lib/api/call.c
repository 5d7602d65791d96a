/* SPDX-License-Identifier: Apache-2.0 */
/* Calls: the arena a response lives in, and the deadline. */
#include <string.h>

#include "api/op.h"
#include "core/error.h"
#include "core/thread.h"

void ssm_call__init(ssm_call *call, int64_t timeout_ms)
{
	memset(call, 0, sizeof(*call));
	if (timeout_ms > 0)
		call->deadline_ms = ssm__mono_ms() + timeout_ms;
}

void ssm_call__dispose(ssm_call *call)
{
	/* responses may hold secrets (decrypted SecureString values) */
	ssm_arena_dispose_secure(&call->arena);
}

void *ssm_call__alloc(ssm_call *call, size_t size)
{
	return ssm_arena_calloc(&call->arena, 1, size);
}

char *ssm_call__strdup(ssm_call *call, const char *s)
{
	return s ? ssm_arena_strdup(&call->arena, s) : NULL;
}

char *ssm_call__strndup(ssm_call *call, const char *s, size_t n)
{
	return ssm_arena_strndup(&call->arena, s, n);
}

int64_t ssm_call_remaining_ms(const ssm_call *call)
{
	int64_t left;

	if (!call || !call->deadline_ms)
		return INT64_MAX;
	left = call->deadline_ms - ssm__mono_ms();
	return left > 0 ? left : 0;
}
