/* SPDX-License-Identifier: Apache-2.0 */
/* PutParameter (spec §3.1 - §3.6). Everything that does not depend on the
 * current version is checked before the store is read; the write itself is
 * one transaction guarded by the head's mod revision and retried when
 * another writer got there first. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/shape.h"
#include "core/alloc.h"
#include "core/ctx.h"
#include "core/error.h"
#include "param/param.h"

#define MSG_TYPE_REQUIRED \
	"A parameter type is required when you create a parameter."
#define MSG_EXISTS                                                        \
	"The parameter already exists. To overwrite this value, set the " \
	"overwrite option in the request to true."
#define MSG_TAGS_OVERWRITE                                                     \
	"Invalid request: tags and overwrite can't be used together. To "      \
	"create a parameter with tags, please remove overwrite flag. To "      \
	"update tags for an existing parameter, please use AddTagsToResource " \
	"or RemoveTagsFromResource."
#define MSG_STANDARD_SIZE                                                      \
	"Standard tier parameters support a maximum parameter value of 4096 "  \
	"characters. To create a larger parameter value, upgrade the "         \
	"parameter to use the advanced-parameter tier. For more information, " \
	"see https://docs.aws.amazon.com/systems-manager/latest/userguide/"    \
	"parameter-store-advanced-parameters.html"
#define MSG_ADVANCED_SIZE                                                     \
	"Advanced tier parameters support a maximum parameter value of 8192 " \
	"characters."
#define MSG_DOWNGRADE                                                         \
	"This parameter uses the advanced-parameter tier. You can't "         \
	"downgrade "                                                          \
	"a parameter from the advanced-parameter tier to the "                \
	"standard-parameter tier. If necessary, you can delete the advanced " \
	"parameter and recreate it as a standard parameter."
#define MSG_POLICIES_TIER \
	"Parameter policies are only supported for the Advanced tier."
#define MSG_NESTED                                                        \
	"Parameter values can't contain parameter references ({{...}}): " \
	"a value may not refer to another parameter."

/* PCRE2 limits for AllowedPattern: a pattern that needs more work than this
 * to check one value is refused instead of stalling the service. */
#define PATTERN_MATCH_LIMIT 200000
#define PATTERN_DEPTH_LIMIT 10000
#define PATTERN_HEAP_LIMIT_KB 8192

/* A count within this distance of its limit is checked exactly: every
 * shard is read and guarded by the transaction. */
#define COUNT_MARGIN 256
#define COUNT_CACHE_MS 1000

static ssm_err validation(const char *msg)
{
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM,
			      "ValidationException", "%s", msg);
}

/* ---- AllowedPattern --------------------------------------------------- */

static ssm_err pattern_compile(pcre2_code **out, const char *pattern)
{
	PCRE2_UCHAR msg[160];
	PCRE2_SIZE off;
	int code;

	*out = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			     PCRE2_UTF, &code, &off, NULL);
	if (*out)
		return SSM_OK;
	pcre2_get_error_message(code, msg, sizeof(msg));
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM,
			      "InvalidAllowedPatternException",
			      "The allowed pattern '%.200s' is not a valid "
			      "regular expression: %s at offset %zu",
			      pattern, (const char *)msg, (size_t)off);
}

static ssm_err pattern_check(const char *pattern, const char *value, size_t len)
{
	pcre2_match_context *mctx = NULL;
	pcre2_match_data *md = NULL;
	pcre2_code *code = NULL;
	ssm_err error;
	int rc;

	SSM_TRY(pattern_compile(&code, pattern));
	mctx = pcre2_match_context_create(NULL);
	md = pcre2_match_data_create_from_pattern(code, NULL);
	if (!mctx || !md) {
		ssm_error__oom();
		error = SSM_ERROR;
		goto done;
	}
	pcre2_set_match_limit(mctx, PATTERN_MATCH_LIMIT);
	pcre2_set_depth_limit(mctx, PATTERN_DEPTH_LIMIT);
	pcre2_set_heap_limit(mctx, PATTERN_HEAP_LIMIT_KB);
	rc = pcre2_match(code, (PCRE2_SPTR)value, len, 0, 0, md, mctx);
	if (rc >= 0) {
		error = SSM_OK;
	} else if (rc == PCRE2_ERROR_NOMATCH) {
		error = ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM,
				       "ParameterPatternMismatchException",
				       "Parameter value, cannot be validated "
				       "against allowedPattern: %.900s",
				       pattern);
	} else if (rc == PCRE2_ERROR_MATCHLIMIT ||
		   rc == PCRE2_ERROR_DEPTHLIMIT ||
		   rc == PCRE2_ERROR_HEAPLIMIT) {
		error = ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM,
				       "InvalidAllowedPatternException",
				       "The allowed pattern '%.200s' needs too "
				       "much backtracking to check a value "
				       "(PCRE2 match limit exceeded)",
				       pattern);
	} else {
		PCRE2_UCHAR msg[160];

		pcre2_get_error_message(rc, msg, sizeof(msg));
		error = ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM,
				       "InvalidAllowedPatternException",
				       "The allowed pattern '%.200s' cannot be "
				       "checked: %s",
				       pattern, (const char *)msg);
	}
done:
	pcre2_match_data_free(md);
	pcre2_match_context_free(mctx);
	pcre2_code_free(code);
	return error;
}

/* ---- checks that need no store ------------------------------------------ */

static ssm_err data_type_check(const char *dt)
{
	if (strcmp(dt, "text") == 0 || strcmp(dt, "aws:ec2:image") == 0 ||
	    strcmp(dt, "aws:ssm:integration") == 0)
		return SSM_OK;
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM,
			      "ValidationException",
			      "The following data type is not supported: "
			      "%.128s (Data type names are all lowercase.)",
			      dt);
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static ssm_err image_id_check(const char *value)
{
	size_t i, n = strlen(value);

	if (n >= 12 && n <= 21 && memcmp(value, "ami-", 4) == 0) {
		for (i = 4; i < n && is_hex(value[i]); i++)
			;
		if (i == n)
			return SSM_OK;
	}
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM,
			      "ValidationException",
			      "The value '%.64s' is not valid for data type "
			      "aws:ec2:image: an image id is ami- followed by "
			      "8 to 17 hexadecimal digits",
			      value);
}

static bool has_reference(const char *value)
{
	const char *open = strstr(value, "{{");

	return open && strstr(open + 2, "}}");
}

/* ---- counts ------------------------------------------------------------ */

struct count_guard {
	ssm_store_kvs shards; /* exact mode: every shard of the tier */
	bool exact;
};

/* Sum the shards of @tier (one range read); refresh the cache. */
static ssm_err count_read(uint64_t *total_out, ssm_store_kvs *kvs,
			  param_engine *pe, int tier)
{
	ssm_str prefix = SSM_STR_INIT;
	uint64_t total = 0;
	size_t i;
	ssm_err error;

	error = param_key_count(&prefix, pe->svc, tier, 0);
	if (error == SSM_OK) {
		ssm_str_truncate(&prefix, prefix.size - 2); /* ".../<tier>/" */
		error = ssm_store_range(kvs, pe->svc->store, prefix.ptr,
					prefix.size, NULL);
	}
	ssm_str_dispose(&prefix);
	if (error < 0)
		return error;
	for (i = 0; i < kvs->count; i++)
		total += strtoull(kvs->items[i].value.ptr, NULL, 10);
	*total_out = total;
	return SSM_OK;
}

/* May one more parameter of @tier be made? In exact mode @g keeps the
 * shards read, to be guarded by the transaction. */
static ssm_err count_check(struct count_guard *g, param_engine *pe, int tier,
			   int64_t now_ms)
{
	uint64_t total, max;
	int64_t age;

	pthread_mutex_lock(&pe->lock);
	max = pe->count_max[tier];
	total = pe->count_cache[tier];
	age = now_ms - pe->count_cache_ms[tier];
	pthread_mutex_unlock(&pe->lock);
	if (pe->count_cache_ms[tier] && age >= 0 && age < COUNT_CACHE_MS &&
	    total + COUNT_MARGIN < max)
		return SSM_OK;
	ssm_store_kvs_dispose(&g->shards);
	SSM_TRY(count_read(&total, &g->shards, pe, tier));
	pthread_mutex_lock(&pe->lock);
	pe->count_cache[tier] = total;
	pe->count_cache_ms[tier] = now_ms ? now_ms : 1;
	pthread_mutex_unlock(&pe->lock);
	if (total >= max)
		return ssm_error__set(
			SSM_ELIMIT, SSM_ERRCLASS_PARAM,
			"ParameterLimitExceeded",
			"You have reached the limit of %" PRIu64 " %s "
			"parameters in this account and Region. Delete "
			"parameters you no longer need, or use the "
			"advanced-parameter tier.",
			max, param_tier_name(tier));
	g->exact = total + COUNT_MARGIN >= max;
	return SSM_OK;
}

/* Near the limit: guard every shard of @tier (absent ones too), so two
 * creates racing on different shards cannot both take the last place. */
static ssm_err guard_all_shards(param_txn *t, param_engine *pe,
				const struct count_guard *g, int tier)
{
	unsigned shard;
	size_t i;

	for (shard = 0; shard < PARAM_COUNT_SHARDS; shard++) {
		ssm_str *key = param_txn_buf(t);
		uint64_t rev = 0;

		if (!key)
			return SSM_ELIMIT;
		SSM_TRY(param_key_count(key, pe->svc, tier, shard));
		for (i = 0; i < g->shards.count; i++)
			if (g->shards.items[i].key.size == key->size &&
			    memcmp(g->shards.items[i].key.ptr, key->ptr,
				   key->size) == 0)
				rev = g->shards.items[i].mod_revision;
		param_txn_cmp(t, key->ptr, key->size, rev);
	}
	return SSM_OK;
}

/* Would Intelligent-Tiering have to pick Advanced for the count? */
static ssm_err standard_full(bool *full, param_engine *pe, int64_t now_ms)
{
	struct count_guard g = { SSM_STORE_KVS_INIT, false };
	int64_t age;
	ssm_err error;

	/* a recent count at the limit will do: picking Advanced a moment
	 * too long is harmless */
	pthread_mutex_lock(&pe->lock);
	age = now_ms - pe->count_cache_ms[TIER_STANDARD];
	*full = pe->count_cache_ms[TIER_STANDARD] && age >= 0 &&
		age < COUNT_CACHE_MS &&
		pe->count_cache[TIER_STANDARD] >= pe->count_max[TIER_STANDARD];
	pthread_mutex_unlock(&pe->lock);
	if (*full)
		return SSM_OK;
	error = count_check(&g, pe, TIER_STANDARD, now_ms);

	ssm_store_kvs_dispose(&g.shards);
	*full = error == SSM_ELIMIT;
	return error == SSM_ELIMIT ? SSM_OK : error;
}

/* ---- the write ----------------------------------------------------------- */

/* Everything PutParameter decided before reading the store. */
struct put_req {
	const ssm_api_put_parameter_in *in;
	char *norm, *given;
	size_t norm_len;
	int type, tier;
	param_policy *policies;
	size_t npolicies;
	char *policies_text; /* lines "<kind><json>\n", or NULL */
	size_t value_chars;
};

static ssm_err policies_text(char **out, const param_policy *p, size_t n,
			     ssm_arena *arena)
{
	ssm_str s = SSM_STR_INIT;
	size_t i;
	ssm_err error = SSM_OK;

	*out = NULL;
	if (!n)
		return SSM_OK;
	for (i = 0; i < n && error == SSM_OK; i++) {
		error = ssm_str_putc(&s, (char)('0' + p[i].kind));
		if (error == SSM_OK)
			error = ssm_str_put(&s, p[i].text, p[i].text_len);
		if (error == SSM_OK)
			error = ssm_str_putc(&s, '\n');
	}
	if (error == SSM_OK &&
	    !(*out = ssm_arena_strndup(arena, s.ptr, s.size)))
		error = SSM_ERROR;
	ssm_str_dispose(&s);
	return error;
}

/* Rebuild the parsed policies of a kept "Policies" text. */
static ssm_err policies_from_text(param_policy **out, size_t *n_out,
				  const char *text, int64_t now_ms,
				  ssm_arena *arena)
{
	ssm_str arr = SSM_STR_INIT;
	const char *p, *nl;
	ssm_err error = SSM_OK;

	*out = NULL;
	*n_out = 0;
	if (!text)
		return SSM_OK;
	error = ssm_str_putc(&arr, '[');
	for (p = text; error == SSM_OK && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		if (p != text)
			error = ssm_str_putc(&arr, ',');
		if (error == SSM_OK)
			error = ssm_str_put(&arr, p + 1, (size_t)(nl - p - 1));
	}
	if (error == SSM_OK)
		error = ssm_str_putc(&arr, ']');
	/* kept policies were valid when written; a passed expiration is
	 * not an error here (its timer deletes the parameter) */
	if (error == SSM_OK)
		error = param_policies_parse(out, n_out, arr.ptr, INT64_MIN,
					     arena);
	(void)now_ms;
	ssm_str_dispose(&arr);
	return error;
}

struct put_ctx {
	param_engine *pe;
	ssm_service_call *sc;
	struct put_req *rq;
	ssm_arena *arena;
	param_txn *t;
	ssm_str blob;
	ssm_str head_buf, ver_buf;
	struct count_guard g;
	uint64_t version;
	int tier;
	int64_t due_min;
	bool created;
	bool counted;
	const char *type_name;
	const char *description;
};

/* The timers of @rec as (due, index) keys, skipping those of @skip. */
static ssm_err timer_ops(struct put_ctx *pc, const param_rec *rec,
			 const param_rec *other, bool put)
{
	param_txn *t = pc->t;
	size_t i;

	for (i = 0; i < rec->npolicies; i++) {
		ssm_str *key;
		bool same = false;

		if (!rec->pstate[i].due_ms)
			continue;
		same = other && i < other->npolicies &&
		       other->pstate[i].due_ms == rec->pstate[i].due_ms;
		if (same)
			continue;
		if (!(key = param_txn_buf(t)))
			return SSM_ELIMIT;
		SSM_TRY(param_key_timer(key, pc->pe->svc, rec->pstate[i].due_ms,
					pc->rq->norm, pc->rq->norm_len, i));
		if (put) {
			param_txn_put(t, key, "t", 1);
			if (rec->pstate[i].due_ms < pc->due_min)
				pc->due_min = rec->pstate[i].due_ms;
		} else {
			param_txn_delete(t, key);
		}
	}
	return SSM_OK;
}

/* One attempt: read the head, decide, write. SSM_ECONFLICT: try again. */
static ssm_err put_attempt(struct put_ctx *pc)
{
	const ssm_api_put_parameter_in *in = pc->rq->in;
	struct put_req *rq = pc->rq;
	param_engine *pe = pc->pe;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	param_rec old, rec;
	param_policy *pol = rq->policies;
	size_t npol = rq->npolicies;
	bool exists, picked_standard = false;
	int type, tier;
	ssm_str *key;
	ssm_err error;

	param_txn_reset(pc->t);
	ssm_str_clear(&pc->head_buf);
	ssm_str_clear(&pc->ver_buf);
	ssm_str_dispose_secure(&pc->blob);
	pc->due_min = INT64_MAX;
	memset(&rec, 0, sizeof(rec));

	error = param_head_get(&kv, &old, pe->svc, rq->norm, rq->norm_len,
			       pc->arena);
	if (error < 0 && error != SSM_ENOTFOUND)
		goto done;
	exists = error == SSM_OK;
	if (exists && !in->overwrite) {
		error = ssm_error__set(SSM_EEXISTS, SSM_ERRCLASS_PARAM,
				       "ParameterAlreadyExists", MSG_EXISTS);
		goto done;
	}
	if (!exists && rq->type == PT_NONE) {
		error = validation(MSG_TYPE_REQUIRED);
		goto done;
	}
	type = rq->type ? rq->type : old.type;
	if (exists && type != old.type) {
		error = ssm_error__set(
			SSM_ECONFLICT, SSM_ERRCLASS_PARAM,
			"HierarchyTypeMismatchException",
			"The parameter type can't be changed: %.900s is a %s "
			"parameter, not %s. Delete it and create it again to "
			"change its type.",
			old.name, param_type_name(old.type),
			param_type_name(type));
		goto done;
	}
	if (in->key_id && type != PT_SECURE) {
		error = ssm_error__set(SSM_EUNSUPPORTED, SSM_ERRCLASS_PARAM,
				       "UnsupportedParameterType",
				       "KeyId can only be given for "
				       "SecureString parameters; %.900s is a "
				       "%s parameter.",
				       rq->given, param_type_name(type));
		goto done;
	}
	rec.type = (uint8_t)type;
	rec.name = exists ? old.name : rq->given;
	rec.user = pc->sc->principal;
	rec.modified_ms = pc->sc->now_ms;
	rec.description = in->description
				  ? (*in->description ? in->description : NULL)
			  : exists ? old.description
				   : NULL;
	rec.allowed_pattern =
		in->allowed_pattern
			? (*in->allowed_pattern ? in->allowed_pattern : NULL)
		: exists ? old.allowed_pattern
			 : NULL;
	rec.data_type = in->data_type ? in->data_type
			: exists      ? old.data_type
				      : NULL;
	if (rec.data_type && strcmp(rec.data_type, "text") == 0)
		rec.data_type = NULL;
	if (rec.data_type && strcmp(rec.data_type, "aws:ec2:image") == 0) {
		if (type != PT_STRING) {
			error = ssm_error__set(
				SSM_EINVALID, SSM_ERRCLASS_PARAM,
				"ValidationException",
				"The data type aws:ec2:image is only supported "
				"for parameters of type String.");
			goto done;
		}
		if ((error = image_id_check(in->value)) < 0)
			goto done;
	}
	if (type == PT_SECURE)
		rec.key_id = in->key_id ? in->key_id
			     : exists	? old.key_id
					: "alias/aws/ssm";
	if (!in->policies && exists && old.policies) {
		/* kept policies */
		error = policies_from_text(&pol, &npol, old.policies,
					   pc->sc->now_ms, pc->arena);
		if (error < 0)
			goto done;
		rec.policies = old.policies;
	} else {
		rec.policies = rq->policies_text;
	}

	/* the tier */
	tier = rq->tier;
	if (tier == TIER_STANDARD && exists && old.tier == TIER_ADVANCED) {
		error = validation(MSG_DOWNGRADE);
		goto done;
	}
	if (tier == TIER_INTELLIGENT) {
		bool full = false;

		if (exists && old.tier == TIER_ADVANCED) {
			tier = TIER_ADVANCED;
		} else if (rq->value_chars > PARAM_STANDARD_VALUE_MAX || npol) {
			tier = TIER_ADVANCED;
		} else {
			error = standard_full(&full, pe, pc->sc->now_ms);
			if (error < 0)
				goto done;
			tier = full ? TIER_ADVANCED : TIER_STANDARD;
			picked_standard = !full;
		}
	} else if (tier == TIER_NONE) {
		tier = exists ? old.tier : TIER_STANDARD;
	}
	if (npol && tier != TIER_ADVANCED) {
		error = validation(MSG_POLICIES_TIER);
		goto done;
	}
	if (tier == TIER_STANDARD &&
	    rq->value_chars > PARAM_STANDARD_VALUE_MAX) {
		error = validation(MSG_STANDARD_SIZE);
		goto done;
	}
	if (rq->value_chars > PARAM_ADVANCED_VALUE_MAX) {
		error = validation(MSG_ADVANCED_SIZE);
		goto done;
	}
	rec.tier = (uint8_t)tier;
	if (rec.allowed_pattern &&
	    (error = pattern_check(rec.allowed_pattern, in->value,
				   strlen(in->value))) < 0)
		goto done;

	/* versions: a ring of 100 */
	rec.version = exists ? old.version + 1 : 1;
	rec.oldest = exists ? old.oldest : 1;
	if (exists) {
		rec.labels = old.labels;
		rec.nlabels = old.nlabels;
	}
	if (rec.version - rec.oldest + 1 > PARAM_MAX_VERSIONS) {
		size_t i;

		for (i = 0; i < old.nlabels; i++)
			if (old.labels[i].version == rec.oldest)
				break;
		if (i < old.nlabels) {
			error = ssm_error__set(
				SSM_ELIMIT, SSM_ERRCLASS_PARAM,
				"ParameterMaxVersionLimitExceeded",
				"You attempted to create a new version of "
				"%.900s by calling the PutParameter API with "
				"the overwrite flag. Version %" PRIu64 ", the "
				"oldest version, can't be deleted because it "
				"has a label associated with it. Move the "
				"label to another version of the parameter, "
				"and try again.",
				old.name, rec.oldest);
			goto done;
		}
		if (!(key = param_txn_buf(pc->t))) {
			error = SSM_ELIMIT;
			goto done;
		}
		if ((error = param_key_version(key, pe->svc, rq->norm,
					       rq->norm_len, rec.oldest)) < 0)
			goto done;
		param_txn_delete(pc->t, key);
		rec.oldest++;
	}

	/* counts: a new parameter, or a Standard one going Advanced */
	pc->counted = false;
	if (!exists || old.tier != tier) {
		pc->counted = true;
		pc->g.exact = false;
		error = count_check(&pc->g, pe, tier, pc->sc->now_ms);
		if (error == SSM_ELIMIT && picked_standard) {
			/* Intelligent-Tiering: Standard filled up meanwhile */
			tier = TIER_ADVANCED;
			rec.tier = TIER_ADVANCED;
			pc->g.exact = false;
			error = count_check(&pc->g, pe, tier, pc->sc->now_ms);
		}
		if (error < 0)
			goto done;
		if ((error = param_txn_count(pc->t, pe->svc, rq->norm,
					     rq->norm_len, tier, 1)) < 0)
			goto done;
		if (exists &&
		    (error = param_txn_count(pc->t, pe->svc, rq->norm,
					     rq->norm_len, old.tier, -1)) < 0)
			goto done;
		if (pc->g.exact &&
		    (error = guard_all_shards(pc->t, pe, &pc->g, tier)) < 0)
			goto done;
	}

	/* policies: statuses and timers */
	if (npol) {
		rec.pstate =
			ssm_arena_calloc(pc->arena, npol, sizeof(*rec.pstate));
		if (!rec.pstate) {
			error = SSM_ERROR;
			goto done;
		}
		rec.npolicies = npol;
		param_policies_schedule(rec.pstate, pol, npol, rec.modified_ms,
					exists && !in->policies ? &old : NULL,
					true);
	}
	if (exists && (error = timer_ops(pc, &old, &rec, false)) < 0)
		goto done;
	if ((error = timer_ops(pc, &rec, exists ? &old : NULL, true)) < 0)
		goto done;

	/* tags of a new parameter */
	if (!exists && in->tags.count) {
		ssm_str *tkey = param_txn_buf(pc->t), *tval;

		if (!tkey || !(tval = param_txn_buf(pc->t))) {
			error = SSM_ELIMIT;
			goto done;
		}
		if ((error = ssm_tags__key(tkey, pe->svc, "Parameter", rq->norm,
					   rq->norm_len)) < 0 ||
		    (error = ssm_tags__encode(tval, in->tags.items,
					      in->tags.count)) < 0)
			goto done;
		param_txn_put(pc->t, tkey, tval->ptr, tval->size);
	}

	/* the value */
	if (type == PT_SECURE) {
		error = param_encrypt(&pc->blob, pe, rq->norm, rec.key_id,
				      in->value, strlen(in->value));
		if (error < 0)
			goto done;
		rec.value = pc->blob.ptr;
		rec.value_len = pc->blob.size;
	} else {
		rec.value = in->value;
		rec.value_len = strlen(in->value);
	}

	/* head and version record */
	if ((error = param_rec_encode(&pc->head_buf, &rec, true)) < 0 ||
	    (error = param_rec_encode(&pc->ver_buf, &rec, false)) < 0)
		goto done;
	if (!(key = param_txn_buf(pc->t))) {
		error = SSM_ELIMIT;
		goto done;
	}
	if ((error = param_key_head(key, pe->svc, rq->norm, rq->norm_len)) < 0)
		goto done;
	param_txn_cmp(pc->t, key->ptr, key->size, exists ? kv.mod_revision : 0);
	param_txn_put(pc->t, key, pc->head_buf.ptr, pc->head_buf.size);
	if (!(key = param_txn_buf(pc->t))) {
		error = SSM_ELIMIT;
		goto done;
	}
	if ((error = param_key_version(key, pe->svc, rq->norm, rq->norm_len,
				       rec.version)) < 0)
		goto done;
	param_txn_put(pc->t, key, pc->ver_buf.ptr, pc->ver_buf.size);

	error = param_txn_commit(pc->t, pe->svc);
	if (error == SSM_OK) {
		pc->version = rec.version;
		pc->tier = tier;
		pc->created = !exists;
		pc->type_name = param_type_name(type);
		pc->description =
			rec.description
				? ssm_arena_strdup(pc->arena, rec.description)
				: NULL;
		if (pc->counted) {
			/* the cached count is now one behind */
			pthread_mutex_lock(&pe->lock);
			pe->count_cache[tier]++;
			pthread_mutex_unlock(&pe->lock);
		}
	}
done:
	ssm_store_kv_dispose(&kv);
	return error;
}

ssm_err param_op_put(ssm_service_call *sc, const void *request, void *response)
{
	const ssm_api_put_parameter_in *in = request;
	ssm_api_put_parameter_out *out = response;
	param_engine *pe = param_engine_of(sc->svc);
	ssm_arena arena = SSM_ARENA_INIT;
	struct put_req rq;
	struct put_ctx pc;
	param_txn *t = NULL;
	unsigned attempt;
	int64_t chars;
	ssm_err error;

	memset(&rq, 0, sizeof(rq));
	memset(&pc, 0, sizeof(pc));
	rq.in = in;
	error = param_name_for_write(&rq.norm, &rq.given, pe, in->name, &arena);
	if (error < 0)
		goto done;
	rq.norm_len = strlen(rq.norm);
	rq.type = param_type_parse(in->type);
	rq.tier = param_tier_parse(in->tier);
	if (in->overwrite && in->tags.count) {
		error = validation(MSG_TAGS_OVERWRITE);
		goto done;
	}
	if (in->tags.count &&
	    (error = ssm_tags__check_new(in->tags.items, in->tags.count)) < 0)
		goto done;
	if (in->data_type && (error = data_type_check(in->data_type)) < 0)
		goto done;
	if (has_reference(in->value)) {
		error = validation(MSG_NESTED);
		goto done;
	}
	chars = ssm_api__utf8_length(in->value, strlen(in->value));
	rq.value_chars = chars < 0 ? 0 : (size_t)chars;
	if (in->allowed_pattern && *in->allowed_pattern) {
		pcre2_code *code = NULL;

		if ((error = pattern_compile(&code, in->allowed_pattern)) < 0)
			goto done;
		pcre2_code_free(code);
	}
	if (in->policies) {
		error = param_policies_parse(&rq.policies, &rq.npolicies,
					     in->policies, sc->now_ms, &arena);
		if (error < 0)
			goto done;
		error = policies_text(&rq.policies_text, rq.policies,
				      rq.npolicies, &arena);
		if (error < 0)
			goto done;
	}
	if (in->key_id && rq.type == PT_SECURE &&
	    (error = param_key_check(pe, in->key_id)) < 0)
		goto done;

	t = ssm__calloc(1, sizeof(*t));
	if (!t) {
		error = SSM_ERROR;
		goto done;
	}
	pc.pe = pe;
	pc.sc = sc;
	pc.rq = &rq;
	pc.arena = &arena;
	pc.t = t;
	for (attempt = 0;; attempt++) {
		error = put_attempt(&pc);
		/* only a failed compare (no AWS name) is worth a retry */
		if (error != SSM_ECONFLICT || ssm_error_last()->service_code)
			break;
		if (attempt + 1 >= PARAM_WRITE_ATTEMPTS) {
			error = param_too_many_updates(rq.given);
			break;
		}
		param_backoff(attempt);
	}
	if (error < 0)
		goto done;
	out->version = (int64_t)pc.version;
	out->tier = ssm_call__strdup(sc->call, param_tier_name(pc.tier));
	if (!out->tier) {
		error = SSM_ERROR;
		goto done;
	}
	if (pc.due_min != INT64_MAX)
		param_timer_kick(pe, pc.due_min);
	param_emit_change(sc->svc, pc.created ? "Create" : "Update", rq.given,
			  pc.type_name, pc.description, sc->now_ms);
done:
	if (t) {
		param_txn_dispose(t);
		ssm__free(t);
	}
	ssm_store_kvs_dispose(&pc.g.shards);
	ssm_str_dispose_secure(&pc.blob);
	ssm_str_dispose(&pc.head_buf);
	ssm_str_dispose(&pc.ver_buf);
	ssm_arena_dispose(&arena);
	return error;
}
