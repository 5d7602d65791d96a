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

ssm_err param_encrypt(ssm_str *blob_out, param_engine *pe, const char *norm,
		      const char *key_id, const void *value, size_t len)
{
	(void)blob_out;
	(void)pe;
	(void)norm;
	(void)key_id;
	(void)value;
	(void)len;
	return ssm_error__set(SSM_EUNSUPPORTED, SSM_ERRCLASS_PARAM, NULL,
			      "SecureString is not available yet");
}

ssm_err param_decrypt(char **out, size_t *len_out, param_engine *pe,
		      const char *norm, const void *blob, size_t blob_len,
		      ssm_arena *arena)
{
	(void)out;
	(void)len_out;
	(void)pe;
	(void)norm;
	(void)blob;
	(void)blob_len;
	(void)arena;
	return ssm_error__set(SSM_EUNSUPPORTED, SSM_ERRCLASS_PARAM, NULL,
			      "SecureString is not available yet");
}

ssm_err param_blob_text(char **out, const void *blob, size_t len,
			ssm_arena *arena)
{
	return param_b64_encode(out, blob, len, arena);
}

ssm_err param_key_check(param_engine *pe, const char *key_id)
{
	(void)pe;
	(void)key_id;
	return SSM_OK;
}

void param_keys_close(param_engine *pe)
{
	(void)pe;
}
