/* SPDX-License-Identifier: Apache-2.0 */
/* DescribeParameters (spec §3.7): metadata of the latest versions, with the
 * ParameterFilters (or the deprecated Filters) and pagination. */
#include <string.h>

#include "core/error.h"
#include "param/param.h"

#define OP_DESCRIBE 3
#define SCAN_MAX 1000

enum dkey {
	DK_NAME,
	DK_TYPE,
	DK_KEY_ID,
	DK_PATH,
	DK_TIER,
	DK_DATA_TYPE,
	DK_COUNT
};

struct dfilters {
	const ssm_api_param_filter *by_key[DK_COUNT];
	const ssm_api_param_filter *tags[50];
	size_t ntags;
	char **paths; /* Path values, normalised with a trailing '/' */
	bool path_recursive;
	ssm_api_param_filter converted[3]; /* from deprecated Filters */
};

static bool one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

static ssm_err check_filter(struct dfilters *df, const ssm_api_param_filter *f,
			    ssm_arena *arena)
{
	static const char *const eq_bw[] = { "Equals", "BeginsWith", NULL };
	static const char *const name_opts[] = { "Equals", "BeginsWith",
						 "Contains", NULL };
	static const char *const path_opts[] = { "OneLevel", "Recursive",
						 NULL };
	static const char *const tiers[] = { "Standard", "Advanced",
					     "Intelligent-Tiering", NULL };
	const char *opt = f->option;
	char *const *v = f->values.items;
	enum dkey k;
	size_t i;

	if (strncmp(f->key, "tag:", 4) == 0 && f->key[4]) {
		for (i = 0; i < df->ntags; i++)
			if (strcmp(df->tags[i]->key, f->key) == 0)
				goto duplicated;
		if (df->ntags == sizeof(df->tags) / sizeof(df->tags[0]))
			return param_filter_key_error(f->key, "tag:<key>");
		if (opt && !one_of(opt, eq_bw))
			return param_filter_option_error(opt,
							 "BeginsWith, Equals");
		df->tags[df->ntags++] = f;
		return SSM_OK;
	}
	if (strcmp(f->key, "Name") == 0)
		k = DK_NAME;
	else if (strcmp(f->key, "Type") == 0)
		k = DK_TYPE;
	else if (strcmp(f->key, "KeyId") == 0)
		k = DK_KEY_ID;
	else if (strcmp(f->key, "Path") == 0)
		k = DK_PATH;
	else if (strcmp(f->key, "Tier") == 0)
		k = DK_TIER;
	else if (strcmp(f->key, "DataType") == 0)
		k = DK_DATA_TYPE;
	else
		return param_filter_key_error(f->key,
					      "Path, Name, Type, KeyId, Tier");
	if (df->by_key[k])
		goto duplicated;
	df->by_key[k] = f;
	if (k == DK_PATH) {
		if (opt && !one_of(opt, path_opts))
			return param_filter_option_error(opt,
							 "Recursive, OneLevel");
		df->path_recursive = opt && strcmp(opt, "Recursive") == 0;
	} else if (k == DK_NAME) {
		if (opt && !one_of(opt, name_opts))
			return param_filter_option_error(
				opt, "BeginsWith, Contains, Equals");
	} else if (opt && !one_of(opt, eq_bw)) {
		return param_filter_option_error(opt, "BeginsWith, Equals");
	}
	if (!f->values.count &&
	    (k == DK_NAME || k == DK_TYPE || k == DK_PATH || k == DK_TIER))
		return param_filter_values_missing(f->key);
	if (k == DK_TYPE && (!opt || strcmp(opt, "Equals") == 0))
		return param_filter_type_values(f);
	if (k == DK_TIER) {
		for (i = 0; i < f->values.count; i++)
			if (!one_of(v[i], tiers))
				return ssm_error__set(
					SSM_EINVALID, SSM_ERRCLASS_PARAM,
					"InvalidFilterOption",
					"The following filter value is not "
					"valid: %.64s. Valid values include: "
					"[Standard, Advanced, "
					"Intelligent-Tiering].",
					v[i]);
	}
	if (k == DK_PATH) {
		df->paths = ssm_arena_calloc(arena, f->values.count + 1,
					     sizeof(*df->paths));
		if (!df->paths)
			return SSM_ERROR;
		for (i = 0; i < f->values.count; i++)
			SSM_TRY(param_path_check(&df->paths[i], v[i], true,
						 arena));
	}
	return SSM_OK;
duplicated:
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM,
			      "InvalidFilterKey",
			      "The following filter is duplicated in the "
			      "request: %.132s. A request can contain only one "
			      "occurrence of a specific filter.",
			      f->key);
}

static ssm_err check_filters(struct dfilters *df, const ssm_api_describe_in *in,
			     ssm_arena *arena)
{
	const ssm_api_param_filter *pf = in->parameter_filters.items;
	const ssm_api_params_filter *old = in->filters.items;
	size_t i;

	memset(df, 0, sizeof(*df));
	if (in->filters.count && in->parameter_filters.count)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM,
				      "ValidationException",
				      "You can use either Filters or "
				      "ParameterFilters in a single request.");
	/* the deprecated form: Name, Type, KeyId with Equals */
	for (i = 0; i < in->filters.count && i < 3; i++) {
		df->converted[i].key = old[i].key;
		df->converted[i].values = old[i].values;
		SSM_TRY(check_filter(df, &df->converted[i], arena));
	}
	for (i = 0; i < in->parameter_filters.count; i++)
		SSM_TRY(check_filter(df, &pf[i], arena));
	return SSM_OK;
}

/* "/"-prefixed form of a name or value, into @buf. */
static const char *slashed(char *buf, size_t size, const char *s)
{
	size_t n;

	if (*s == '/')
		return s;
	n = strlen(s);
	if (n > size - 2)
		n = size - 2;
	buf[0] = '/';
	memcpy(buf + 1, s, n);
	buf[n + 1] = '\0';
	return buf;
}

static bool name_match(const ssm_api_param_filter *f, const char *name)
{
	char nb[2100], vb[2100];
	const char *n = slashed(nb, sizeof(nb), name);
	char *const *v = f->values.items;
	const char *opt = f->option ? f->option : "Equals";
	size_t i;

	for (i = 0; i < f->values.count; i++) {
		const char *val = slashed(vb, sizeof(vb), v[i]);

		if (strcmp(opt, "Contains") == 0) {
			if (strstr(name, v[i]))
				return true;
		} else if (strcmp(opt, "BeginsWith") == 0) {
			if (strncmp(n, val, strlen(val)) == 0)
				return true;
		} else if (strcmp(n, val) == 0) {
			return true;
		}
	}
	return false;
}

/* Is the normalised name @norm under one of the Path values? */
static bool path_match(const struct dfilters *df, const char *norm)
{
	const char *last = strrchr(norm, '/');
	size_t parent = last ? (size_t)(last - norm) + 1 : 1, i, n;

	for (i = 0; df->paths[i]; i++) {
		const char *p = df->paths[i];

		n = strlen(p);
		if (df->path_recursive) {
			if (n == 1 || strncmp(norm, p, n) == 0)
				return true;
		} else if (n == 1 ? !last
				  : (parent == n && strncmp(norm, p, n) == 0)) {
			return true;
		}
	}
	return false;
}

static ssm_err tags_match(bool *match, ssm_service *svc,
			  const struct dfilters *df, const char *norm)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_str key = SSM_STR_INIT;
	size_t i, k;
	ssm_err error;

	*match = false;
	error = ssm_tags__key(&key, svc, "Parameter", norm, strlen(norm));
	if (error == SSM_OK)
		error = ssm_store_get(&kv, svc->store, key.ptr, key.size);
	ssm_str_dispose(&key);
	if (error == SSM_ENOTFOUND)
		return SSM_OK;
	if (error < 0)
		return error;
	*match = true;
	for (i = 0; i < df->ntags && *match; i++) {
		const ssm_api_param_filter *f = df->tags[i];
		const char *val =
			ssm_tags__find(kv.value.ptr, kv.value.size, f->key + 4);
		char *const *v = f->values.items;
		bool begins = f->option && strcmp(f->option, "BeginsWith") == 0;

		if (!val) {
			*match = false;
			break;
		}
		if (!f->values.count)
			continue;
		*match = false;
		for (k = 0; k < f->values.count; k++)
			if (begins ? strncmp(val, v[k], strlen(v[k])) == 0
				   : strcmp(val, v[k]) == 0)
				*match = true;
	}
	ssm_store_kv_dispose(&kv);
	return SSM_OK;
}

static ssm_err matches(bool *match, ssm_service *svc, const struct dfilters *df,
		       const param_rec *h, const char *norm)
{
	const ssm_api_param_filter *const *f = df->by_key;

	*match = false;
	if (f[DK_NAME] && !name_match(f[DK_NAME], h->name))
		return SSM_OK;
	if (f[DK_TYPE] &&
	    !param_filter_match(f[DK_TYPE], param_type_name(h->type)))
		return SSM_OK;
	if (f[DK_KEY_ID] && (h->type != PT_SECURE ||
			     (f[DK_KEY_ID]->values.count &&
			      !param_filter_match(f[DK_KEY_ID], h->key_id))))
		return SSM_OK;
	if (f[DK_PATH] && !path_match(df, norm))
		return SSM_OK;
	if (f[DK_TIER] &&
	    !param_filter_match(f[DK_TIER], param_tier_name(h->tier)))
		return SSM_OK;
	if (f[DK_DATA_TYPE] && f[DK_DATA_TYPE]->values.count &&
	    !param_filter_match(f[DK_DATA_TYPE],
				h->data_type ? h->data_type : "text"))
		return SSM_OK;
	if (df->ntags)
		return tags_match(match, svc, df, norm);
	*match = true;
	return SSM_OK;
}

static uint32_t request_hash(const ssm_api_describe_in *in)
{
	const ssm_api_param_filter *pf = in->parameter_filters.items;
	const ssm_api_params_filter *old = in->filters.items;
	uint32_t h = 2166136261u;
	size_t i, k;

	for (i = 0; i < in->parameter_filters.count; i++) {
		char *const *v = pf[i].values.items;

		h = param_hash(h, pf[i].key, strlen(pf[i].key));
		if (pf[i].option)
			h = param_hash(h, pf[i].option, strlen(pf[i].option));
		for (k = 0; k < pf[i].values.count; k++)
			h = param_hash(h, v[k], strlen(v[k]));
	}
	for (i = 0; i < in->filters.count; i++) {
		char *const *v = old[i].values.items;

		h = param_hash(h, old[i].key, strlen(old[i].key));
		for (k = 0; k < old[i].values.count; k++)
			h = param_hash(h, v[k], strlen(v[k]));
	}
	return h;
}

ssm_err param_op_describe(ssm_service_call *sc, const void *request,
			  void *response)
{
	const ssm_api_describe_in *in = request;
	ssm_api_params_page_out *out = response;
	param_engine *pe = param_engine_of(sc->svc);
	ssm_store_range_options ro = SSM_STORE_RANGE_OPTIONS_INIT;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	ssm_arena arena = SSM_ARENA_INIT;
	ssm_str prefix = SSM_STR_INIT, after = SSM_STR_INIT;
	size_t max = in->max_results ? (size_t)in->max_results : 10;
	size_t np = 0, scanned = 0, base_len, plen = 0, i;
	ssm_api_parameter *params = NULL;
	const char *path = NULL;
	bool done_scan = false, one_level = false;
	struct dfilters df;
	uint32_t query;
	ssm_err error;

	if ((error = check_filters(&df, in, &arena)) < 0)
		goto done;
	query = request_hash(in);
	/* one Path value: read only that part of the key space */
	if (df.paths && df.paths[0] && !df.paths[1] &&
	    strcmp(df.paths[0], "/") != 0) {
		path = df.paths[0];
		plen = strlen(path);
		one_level = !df.path_recursive;
	}
	if ((error = param_key_head(&prefix, sc->svc, path ? path : "", plen)) <
	    0)
		goto done;
	base_len = prefix.size - plen;
	if (in->next_token) {
		const void *pos;
		size_t pos_len;

		error = param_token_open(&pos, &pos_len, pe, OP_DESCRIBE, query,
					 in->next_token, &arena);
		if (error < 0)
			goto done;
		if ((error = ssm_str_put(&after, prefix.ptr, base_len)) < 0 ||
		    (error = ssm_str_put(&after, pos, pos_len)) < 0)
			goto done;
	}
	params = ssm_call__alloc(sc->call, max * sizeof(*params));
	if (!params) {
		error = SSM_ERROR;
		goto done;
	}
	if (in->shared)
		done_scan = true; /* nothing is shared with this account */
	while (np < max && !done_scan && scanned < SCAN_MAX) {
		ro.start_after = after.size ? after.ptr : NULL;
		ro.start_after_len = after.size;
		ro.limit = max - np + 1;
		ssm_store_kvs_dispose(&kvs);
		error = ssm_store_range(&kvs, sc->svc->store, prefix.ptr,
					prefix.size, &ro);
		if (error < 0)
			goto done;
		if (!kvs.count) {
			done_scan = true;
			break;
		}
		for (i = 0; i < kvs.count && np < max; i++) {
			ssm_store_kv *kv = &kvs.items[i];
			const char *norm = kv->key.ptr + base_len;
			const char *slash = strchr(norm + plen, '/');
			param_rec head;
			bool match;

			scanned++;
			ssm_str_clear(&after);
			if ((error = ssm_str_put(&after, kv->key.ptr,
						 kv->key.size)) < 0)
				goto done;
			if (one_level && slash) {
				ssm_str_truncate(&after,
						 (size_t)(slash - kv->key.ptr) +
							 1);
				if ((error = ssm_str_putc(&after, '\xff')) < 0)
					goto done;
				break;
			}
			if ((error = param_rec_decode(&head, &arena,
						      kv->value.ptr,
						      kv->value.size)) < 0 ||
			    (error = matches(&match, sc->svc, &df, &head,
					     norm)) < 0)
				goto done;
			if (!match)
				continue;
			error = param_fill(&params[np], sc, &head, &head, norm,
					   true, false, false, true, false);
			if (error < 0)
				goto done;
			np++;
		}
		if (np >= max)
			done_scan = i >= kvs.count && !kvs.more;
		else if (i >= kvs.count && !kvs.more)
			done_scan = true;
	}
	if (!done_scan && after.size > base_len) {
		error = param_token_make(&out->next_token, pe, OP_DESCRIBE,
					 query, after.ptr + base_len,
					 after.size - base_len,
					 &sc->call->arena);
		if (error < 0)
			goto done;
	}
	out->parameters.items = params;
	out->parameters.count = np;
done:
	ssm_store_kvs_dispose(&kvs);
	ssm_str_dispose(&prefix);
	ssm_str_dispose(&after);
	ssm_arena_dispose(&arena);
	return error;
}
