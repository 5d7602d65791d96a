/* SPDX-License-Identifier: Apache-2.0 */
/* Entry points of the Parameter Store engine for other engines and tests.
 *
 * The document engine resolves {{ssm:name}} references with
 * ssm_param__resolve(): one call for every unique reference of a document
 * (any number of names; duplicates are looked up once), straight on the
 * store, without going through the operation layer. */
#ifndef SSM_PARAM_RESOLVE_H
#define SSM_PARAM_RESOLVE_H

#include <stdbool.h>
#include <stdint.h>

#include "api/op.h"
#include "core/arena.h"

/* Types as ssm_param_resolved::type reports them. */
#define SSM_PARAM_RESOLVED_STRING 1
#define SSM_PARAM_RESOLVED_STRING_LIST 2
#define SSM_PARAM_RESOLVED_SECURE_STRING 3

typedef struct ssm_param_resolved {
	const char *ref;   /* the reference as asked ("name", "name:3") */
	bool found;	   /* false: unknown name, version or label, or a
			      malformed reference (AWS's InvalidParameters) */
	int type;	   /* SSM_PARAM_RESOLVED_* */
	const char *name;  /* the parameter's name as created */
	const char *value; /* the value; for a SecureString read without
			      @with_decryption, the base64 blob */
	size_t value_len;
	uint64_t version; /* the version resolved */
} ssm_param_resolved;

/* Resolve @count references ("name", "name:<version>", "name:<label>" or
 * an ARN) of the service's Parameter Store. @out has @count entries, filled
 * in order; strings are allocated from @arena (decrypted values are wiped
 * when the arena is disposed with ssm_arena_dispose_secure()). A reference
 * that cannot be answered sets found = false and is not an error; errors
 * are store failures, out of memory, or decryption failures (InvalidKeyId,
 * authentication). */
ssm_err ssm_param__resolve(ssm_param_resolved *out, ssm_service *svc,
			   const char *const *refs, size_t count,
			   bool with_decryption, ssm_arena *arena);

/* Run every policy timer due at the service clock (ssm_ctx__now_ms) now, on
 * the calling thread; *@fired_out (may be NULL) gets how many fired. The
 * engine's own timer thread does the same when timers fall due. */
ssm_err ssm_param__run_due(size_t *fired_out, ssm_service *svc);

/* Tests: stop (or start again) the service's policy timer thread, so that a
 * test driving a controlled clock fires timers only through
 * ssm_param__run_due(). */
ssm_err ssm_param__set_timer(ssm_service *svc, bool running);

/* Tests: lower the ParameterLimitExceeded thresholds (0: AWS's 10,000
 * Standard and 100,000 Advanced). */
void ssm_param__set_count_limits(ssm_service *svc, uint64_t standard,
				 uint64_t advanced);

#endif
