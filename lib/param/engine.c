/* SPDX-License-Identifier: Apache-2.0 */
/* The Parameter Store engine: module life cycle, store keys, reading and
 * presenting records, shared errors. */
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/ctx.h"
#include "core/error.h"
#include "core/thread.h"
#include "param/param.h"
#include "param/resolve.h"

/* ---- names of enums ---------------------------------------------------- */

const char *param_type_name(int type)
{
	switch (type) {
	case PT_STRING:
		return "String";
	case PT_STRING_LIST:
		return "StringList";
	case PT_SECURE:
		return "SecureString";
	}
	return NULL;
}

int param_type_parse(const char *s)
{
	if (!s)
		return PT_NONE;
	if (strcmp(s, "String") == 0)
		return PT_STRING;
	if (strcmp(s, "StringList") == 0)
		return PT_STRING_LIST;
	if (strcmp(s, "SecureString") == 0)
		return PT_SECURE;
	return PT_NONE;
}

const char *param_tier_name(int tier)
{
	switch (tier) {
	case TIER_STANDARD:
		return "Standard";
	case TIER_ADVANCED:
		return "Advanced";
	case TIER_INTELLIGENT:
		return "Intelligent-Tiering";
	}
	return NULL;
}

int param_tier_parse(const char *s)
{
	if (!s)
		return TIER_NONE;
	if (strcmp(s, "Standard") == 0)
		return TIER_STANDARD;
	if (strcmp(s, "Advanced") == 0)
		return TIER_ADVANCED;
	if (strcmp(s, "Intelligent-Tiering") == 0)
		return TIER_INTELLIGENT;
	return TIER_NONE;
}

/* ---- keys ---------------------------------------------------------------- */

static ssm_err key_start(ssm_str *out, const ssm_service *svc, const char *what)
{
	ssm_str_clear(out);
	SSM_TRY(ssm_str_put(out, svc->prefix, svc->prefix_len));
	return ssm_str_puts(out, what);
}

ssm_err param_key_head(ssm_str *out, const ssm_service *svc, const char *norm,
		       size_t len)
{
	SSM_TRY(key_start(out, svc, "param/n/"));
	return ssm_str_put(out, norm, len);
}

ssm_err param_key_versions(ssm_str *out, const ssm_service *svc,
			   const char *norm, size_t len)
{
	SSM_TRY(key_start(out, svc, "param/v/"));
	SSM_TRY(ssm_str_put(out, norm, len));
	return ssm_str_putc(out, ':');
}

ssm_err param_key_version(ssm_str *out, const ssm_service *svc,
			  const char *norm, size_t len, uint64_t version)
{
	SSM_TRY(param_key_versions(out, svc, norm, len));
	return ssm_str_printf(out, "%020" PRIu64, version);
}

ssm_err param_key_timer(ssm_str *out, const ssm_service *svc, int64_t due_ms,
			const char *norm, size_t len, size_t index)
{
	SSM_TRY(key_start(out, svc, "param/s/"));
	SSM_TRY(ssm_str_printf(out, "%016" PRId64 ":",
			       due_ms < 0 ? (int64_t)0 : due_ms));
	SSM_TRY(ssm_str_put(out, norm, len));
	return ssm_str_printf(out, ":%zu", index);
}

ssm_err param_key_count(ssm_str *out, const ssm_service *svc, int tier,
			unsigned shard)
{
	SSM_TRY(key_start(out, svc, "param/c/"));
	return ssm_str_printf(out, "%d/%02u", tier, shard);
}

unsigned param_count_shard(const char *norm, size_t len)
{
	return param_hash(2166136261u, norm, len) % PARAM_COUNT_SHARDS;
}

uint32_t param_hash(uint32_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	/* a separator, so ("ab","c") and ("a","bc") differ */
	h ^= 0xff;
	h *= 16777619u;
	return h;
}

/* ---- records --------------------------------------------------------- */

ssm_err param_head_get(ssm_store_kv *kv, param_rec *rec, ssm_service *svc,
		       const char *norm, size_t len, ssm_arena *arena)
{
	ssm_str key = SSM_STR_INIT;
	ssm_err error;

	error = param_key_head(&key, svc, norm, len);
	if (error == SSM_OK)
		error = ssm_store_get(kv, svc->store, key.ptr, key.size);
	ssm_str_dispose(&key);
	if (error < 0)
		return error;
	return param_rec_decode(rec, arena, kv->value.ptr, kv->value.size);
}

ssm_err param_version_get(ssm_store_kv *kv, param_rec *rec, ssm_service *svc,
			  const char *norm, size_t len, uint64_t version,
			  ssm_arena *arena)
{
	ssm_str key = SSM_STR_INIT;
	ssm_err error;

	error = param_key_version(&key, svc, norm, len, version);
	if (error == SSM_OK)
		error = ssm_store_get(kv, svc->store, key.ptr, key.size);
	ssm_str_dispose(&key);
	if (error < 0)
		return error;
	return param_rec_decode(rec, arena, kv->value.ptr, kv->value.size);
}

uint64_t param_label_version(const param_rec *head, const char *label)
{
	size_t i;

	for (i = 0; i < head->nlabels; i++)
		if (strcmp(head->labels[i].label, label) == 0)
			return head->labels[i].version;
	return 0;
}

static const char *status_name(int status)
{
	switch (status) {
	case POLICY_FINISHED:
		return "Finished";
	case POLICY_IN_PROGRESS:
		return "InProgress";
	case POLICY_FAILED:
		return "Failed";
	}
	return "Pending";
}

static const char *policy_kind_name(int kind)
{
	switch (kind) {
	case POLICY_EXPIRATION:
		return "Expiration";
	case POLICY_EXPIRATION_NOTIFICATION:
		return "ExpirationNotification";
	case POLICY_NO_CHANGE_NOTIFICATION:
		return "NoChangeNotification";
	}
	return "Unknown";
}

/* Policies are kept as lines "<kind digit><JSON text of the policy>\n". */
static ssm_err fill_policies(ssm_api_list *out, ssm_call *call,
			     const param_rec *rec, const param_rec *head)
{
	const char *p = rec->policies, *nl;
	ssm_api_policy *items;
	size_t n = 0, i = 0;
	bool same = head && head->policies &&
		    strcmp(head->policies, rec->policies) == 0;

	for (nl = p; (nl = strchr(nl, '\n')); nl++)
		n++;
	if (!n)
		return SSM_OK;
	items = ssm_call__alloc(call, n * sizeof(*items));
	if (!items)
		return SSM_ERROR;
	for (; *p && i < n; p = nl + 1, i++) {
		nl = strchr(p, '\n');
		items[i].policy_type =
			ssm_call__strdup(call, policy_kind_name(p[0] - '0'));
		items[i].policy_text =
			ssm_call__strndup(call, p + 1, (size_t)(nl - p - 1));
		items[i].policy_status = ssm_call__strdup(
			call, status_name(same && i < head->npolicies
						  ? head->pstate[i].status
						  : POLICY_PENDING));
		if (!items[i].policy_type || !items[i].policy_text ||
		    !items[i].policy_status)
			return SSM_ERROR;
	}
	out->items = items;
	out->count = i;
	return SSM_OK;
}

static ssm_err fill_labels(ssm_api_list *out, ssm_call *call,
			   const param_rec *head, uint64_t version)
{
	char **items;
	size_t i, n = 0;

	for (i = 0; i < head->nlabels; i++)
		if (head->labels[i].version == version)
			n++;
	if (!n)
		return SSM_OK;
	items = ssm_call__alloc(call, n * sizeof(*items));
	if (!items)
		return SSM_ERROR;
	for (i = 0, n = 0; i < head->nlabels; i++) {
		if (head->labels[i].version != version)
			continue;
		items[n] = ssm_call__strdup(call, head->labels[i].label);
		if (!items[n++])
			return SSM_ERROR;
	}
	out->items = items;
	out->count = n;
	return SSM_OK;
}

ssm_err param_fill(ssm_api_parameter *out, ssm_service_call *sc,
		   const param_rec *rec, const param_rec *head,
		   const char *norm, bool meta, bool value, bool decrypt,
		   bool arn, bool labels)
{
	param_engine *pe = param_engine_of(sc->svc);
	ssm_call *call = sc->call;

	memset(out, 0, sizeof(*out));
	out->name = ssm_call__strdup(call, rec->name);
	out->type = ssm_call__strdup(call, param_type_name(rec->type));
	out->version = (int64_t)rec->version;
	out->last_modified_ms = rec->modified_ms;
	out->data_type = ssm_call__strdup(call, rec->data_type ? rec->data_type
							       : "text");
	if (!out->name || !out->type || !out->data_type)
		return SSM_ERROR;
	if (arn && !(out->arn = param_arn(pe, norm, &call->arena)))
		return SSM_ERROR;
	if (value) {
		if (rec->type != PT_SECURE) {
			out->value = ssm_call__strndup(call, rec->value,
						       rec->value_len);
			if (!out->value)
				return SSM_ERROR;
		} else if (decrypt) {
			size_t len;

			SSM_TRY(param_decrypt(&out->value, &len, pe, norm,
					      rec->value, rec->value_len,
					      &call->arena));
		} else {
			SSM_TRY(param_blob_text(&out->value, rec->value,
						rec->value_len, &call->arena));
		}
	}
	if (meta) {
		if (rec->key_id &&
		    !(out->key_id = ssm_call__strdup(call, rec->key_id)))
			return SSM_ERROR;
		if (!(out->last_modified_user = ssm_call__strdup(
			      call, rec->user ? rec->user : pe->default_user)))
			return SSM_ERROR;
		if (rec->description && !(out->description = ssm_call__strdup(
						  call, rec->description)))
			return SSM_ERROR;
		if (rec->allowed_pattern &&
		    !(out->allowed_pattern =
			      ssm_call__strdup(call, rec->allowed_pattern)))
			return SSM_ERROR;
		if (!(out->tier = ssm_call__strdup(call,
						   param_tier_name(rec->tier))))
			return SSM_ERROR;
		if (rec->policies)
			SSM_TRY(fill_policies(&out->policies, call, rec, head));
	}
	if (labels && head)
		SSM_TRY(fill_labels(&out->labels, call, head, rec->version));
	return SSM_OK;
}

/* ---- errors ------------------------------------------------------------ */

ssm_err param_not_found(const char *name)
{
	return ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_PARAM,
			      "ParameterNotFound",
			      "Parameter %.900s not found.", name);
}

ssm_err param_version_not_found(const char *name, uint64_t version)
{
	return ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_PARAM,
			      "ParameterVersionNotFound",
			      "Systems Manager could not find version %" PRIu64
			      " of %.900s. Verify the version and try again.",
			      version, name);
}

ssm_err param_too_many_updates(const char *name)
{
	return ssm_error__set(SSM_ECONFLICT, SSM_ERRCLASS_PARAM,
			      "TooManyUpdates",
			      "There are too many concurrent updates of "
			      "parameter %.900s. Try again.",
			      name);
}

void param_backoff(unsigned attempt)
{
	static _Thread_local unsigned seed;
	struct timespec ts;
	unsigned cap;

	if (attempt < 3) {
		sched_yield();
		return;
	}
	if (!seed)
		seed = (unsigned)ssm__mono_ns() | 1u;
	seed = seed * 1103515245u + 12345u;
	cap = attempt < 12 ? 1u << attempt : 4096u; /* microseconds */
	ts.tv_sec = 0;
	ts.tv_nsec = (long)((seed >> 8) % cap) * 1000;
	nanosleep(&ts, NULL);
}

/* ---- module -------------------------------------------------------------- */

param_engine *param_engine_of(const ssm_service *svc)
{
	return svc->engine[SSM_ENGINE_PARAM];
}

static void engine_free(param_engine *pe)
{
	if (!pe)
		return;
	param_keys_close(pe);
	ssm__zeroize(pe->token_key, sizeof(pe->token_key));
	ssm__free(pe->arn_prefix);
	ssm__free(pe->default_user);
	pthread_cond_destroy(&pe->cond);
	pthread_mutex_destroy(&pe->lock);
	ssm__free(pe);
}

/* The key that signs NextTokens: made once per store and service, so every
 * process on the store accepts the others' tokens. */
static ssm_err token_key_load(param_engine *pe)
{
	ssm_service *svc = pe->svc;
	ssm_store_put_options po = SSM_STORE_PUT_OPTIONS_INIT;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_str key = SSM_STR_INIT;
	unsigned char fresh[sizeof(pe->token_key)];
	ssm_err error;
	int attempt;

	error = key_start(&key, svc, "param/k");
	for (attempt = 0; error == SSM_OK && attempt < 3; attempt++) {
		error = ssm_store_get(&kv, svc->store, key.ptr, key.size);
		if (error == SSM_OK) {
			if (kv.value.size != sizeof(pe->token_key)) {
				error = ssm_error__set(
					SSM_ERROR, SSM_ERRCLASS_PARAM, NULL,
					"corrupt token key in the store");
				break;
			}
			memcpy(pe->token_key, kv.value.ptr, kv.value.size);
			break;
		}
		if (error != SSM_ENOTFOUND)
			break;
		error = param_random(fresh, sizeof(fresh));
		if (error < 0)
			break;
		po.flags = SSM_STORE_PUT_IF_ABSENT;
		error = ssm_store_put(NULL, svc->store, key.ptr, key.size,
				      fresh, sizeof(fresh), &po);
		if (error == SSM_OK) {
			memcpy(pe->token_key, fresh, sizeof(fresh));
			break;
		}
		if (error == SSM_EEXISTS)
			error = SSM_OK; /* another process made it: read it */
	}
	ssm__zeroize(fresh, sizeof(fresh));
	ssm_store_kv_dispose(&kv);
	ssm_str_dispose(&key);
	return error;
}

static ssm_err param_start(ssm_service *svc)
{
	param_engine *pe;
	char buf[160];
	ssm_err error;

	pe = ssm__calloc(1, sizeof(*pe));
	if (!pe)
		return SSM_ERROR;
	pe->svc = svc;
	pthread_mutex_init(&pe->lock, NULL);
	ssm__cond_init(&pe->cond);
	pe->next_due_ms = INT64_MAX;
	pe->count_max[TIER_STANDARD] = PARAM_STANDARD_COUNT_MAX;
	pe->count_max[TIER_ADVANCED] = PARAM_ADVANCED_COUNT_MAX;
	snprintf(buf, sizeof(buf), "arn:aws:ssm:%s:%s:parameter/", svc->region,
		 svc->account_id);
	pe->arn_prefix = ssm__strdup(buf);
	snprintf(buf, sizeof(buf), "arn:aws:iam::%s:root", svc->account_id);
	pe->default_user = ssm__strdup(buf);
	if (!pe->arn_prefix || !pe->default_user) {
		engine_free(pe);
		return SSM_ERROR;
	}
	pe->arn_prefix_len = strlen(pe->arn_prefix);
	error = token_key_load(pe);
	if (error < 0) {
		engine_free(pe);
		return error;
	}
	svc->engine[SSM_ENGINE_PARAM] = pe;
	error = param_timer_start(pe);
	if (error < 0) {
		svc->engine[SSM_ENGINE_PARAM] = NULL;
		engine_free(pe);
		return error;
	}
	return SSM_OK;
}

static void param_stop(ssm_service *svc)
{
	param_engine *pe = param_engine_of(svc);

	if (!pe)
		return;
	param_timer_stop(pe);
	svc->engine[SSM_ENGINE_PARAM] = NULL;
	engine_free(pe);
}

static const ssm_operation *const param_ops[] = {
	&ssm_param__op_put,
	&ssm_param__op_get,
	&ssm_param__op_get_many,
	&ssm_param__op_get_by_path,
	&ssm_param__op_describe,
	&ssm_param__op_history,
	&ssm_param__op_delete,
	&ssm_param__op_delete_many,
	&ssm_param__op_label,
	&ssm_param__op_unlabel,
	NULL,
};

const ssm_engine_module ssm_param__module = {
	"param",
	param_start,
	param_stop,
	param_ops,
};

void ssm_param__set_count_limits(ssm_service *svc, uint64_t standard,
				 uint64_t advanced)
{
	param_engine *pe = param_engine_of(svc);

	pthread_mutex_lock(&pe->lock);
	pe->count_max[TIER_STANDARD] =
		standard ? standard : PARAM_STANDARD_COUNT_MAX;
	pe->count_max[TIER_ADVANCED] =
		advanced ? advanced : PARAM_ADVANCED_COUNT_MAX;
	pe->count_cache_ms[TIER_STANDARD] = 0;
	pe->count_cache_ms[TIER_ADVANCED] = 0;
	pthread_mutex_unlock(&pe->lock);
}

/* ---- tags on parameters -------------------------------------------------- */

static ssm_err param_tag_resolve(ssm_service *svc, const char *id,
				 ssm_str *canonical_out, ssm_str *guard_key_out)
{
	param_engine *pe = param_engine_of(svc);
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_arena arena = SSM_ARENA_INIT;
	param_ref ref;
	ssm_err error;

	error = param_parse_ref(&ref, pe, id, true, false, &arena);
	if (error == SSM_OK)
		error = param_key_head(guard_key_out, svc, ref.name,
				       ref.name_len);
	if (error == SSM_OK)
		error = ssm_store_get(&kv, svc->store, guard_key_out->ptr,
				      guard_key_out->size);
	if (error == SSM_OK) {
		ssm_str_clear(canonical_out);
		error = ssm_str_put(canonical_out, ref.name, ref.name_len);
	}
	ssm_store_kv_dispose(&kv);
	ssm_arena_dispose(&arena);
	return error;
}

const ssm_taggable ssm_param__taggable = { "Parameter", param_tag_resolve };
