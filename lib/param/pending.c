/* SPDX-License-Identifier: Apache-2.0 */
/* Placeholders until core/json and core/crypto land. */
#include "core/error.h"
#include "param/param.h"

void param_emit_change(ssm_service *svc, const char *operation,
		       const char *name, const char *type,
		       const char *description, int64_t now_ms)
{
	(void)svc;
	(void)operation;
	(void)name;
	(void)type;
	(void)description;
	(void)now_ms;
}

void param_emit_policy(ssm_service *svc, const char *name, const char *norm,
		       const char *type, const char *policy_type,
		       int64_t due_ms, int64_t modified_ms)
{
	(void)svc;
	(void)name;
	(void)norm;
	(void)type;
	(void)policy_type;
	(void)due_ms;
	(void)modified_ms;
}

ssm_err param_policies_parse(param_policy **out, size_t *count_out,
			     const char *text, int64_t now_ms, ssm_arena *arena)
{
	(void)text;
	(void)now_ms;
	(void)arena;
	*out = NULL;
	*count_out = 0;
	return ssm_error__set(SSM_EUNSUPPORTED, SSM_ERRCLASS_PARAM, NULL,
			      "parameter policies are not available yet");
}
