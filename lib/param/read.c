/* SPDX-License-Identifier: Apache-2.0 */
/* GetParameter, GetParameters, GetParametersByPath, GetParameterHistory
 * and the {{ssm:...}} resolver (spec §3.7). */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "param/param.h"
#include "param/resolve.h"

#define OP_BY_PATH 1
#define OP_HISTORY 2
/* A page reads at most this many heads before answering with a token. */
#define SCAN_MAX 1000

/* A parameter found by a read: the record asked for and its head. */
struct found {
	ssm_store_kv head_kv, ver_kv;
	param_rec head, rec; /* rec == head for the latest version */
	const param_rec *recp;
};

#define FOUND_INIT                                                       \
	{                                                                \
		SSM_STORE_KV_INIT, SSM_STORE_KV_INIT, { 0 }, { 0 }, NULL \
	}

static void found_dispose(struct found *f)
{
	ssm_store_kv_dispose(&f->head_kv);
	ssm_store_kv_dispose(&f->ver_kv);
	f->recp = NULL;
}

/* Look a reference up. SSM_ENOTFOUND with ParameterNotFound or
 * ParameterVersionNotFound set (message naming @asked). */
static ssm_err lookup(struct found *f, ssm_service *svc, const param_ref *ref,
		      const char *asked, ssm_arena *arena)
{
	uint64_t v;
	ssm_err error;

	error = param_head_get(&f->head_kv, &f->head, svc, ref->name,
			       ref->name_len, arena);
	if (error == SSM_ENOTFOUND)
		return param_not_found(asked);
	if (error < 0)
		return error;
	f->recp = &f->head;
	if (!ref->version && !ref->label)
		return SSM_OK;
	if (ref->label) {
		v = param_label_version(&f->head, ref->label);
		if (!v)
			return param_not_found(asked);
	} else {
		v = ref->version;
		if (v < f->head.oldest || v > f->head.version)
			return param_version_not_found(f->head.name, v);
	}
	if (v == f->head.version)
		return SSM_OK;
	error = param_version_get(&f->ver_kv, &f->rec, svc, ref->name,
				  ref->name_len, v, arena);
	if (error == SSM_ENOTFOUND)
		return param_version_not_found(f->head.name, v);
	if (error < 0)
		return error;
	f->recp = &f->rec;
	return SSM_OK;
}

/* ---- GetParameter ------------------------------------------------------ */

ssm_err param_op_get(ssm_service_call *sc, const void *request, void *response)
{
	const ssm_api_get_parameter_in *in = request;
	ssm_api_get_parameter_out *out = response;
	param_engine *pe = param_engine_of(sc->svc);
	ssm_arena arena = SSM_ARENA_INIT;
	struct found f = FOUND_INIT;
	ssm_api_parameter *p;
	param_ref ref;
	ssm_err error;

	error = param_parse_ref(&ref, pe, in->name, true, true, &arena);
	if (error == SSM_ENOTFOUND)
		error = param_not_found(in->name);
	if (error < 0)
		goto done;
	error = lookup(&f, sc->svc, &ref, in->name, &arena);
	if (error < 0)
		goto done;
	p = ssm_call__alloc(sc->call, sizeof(*p));
	if (!p) {
		error = SSM_ERROR;
		goto done;
	}
	error = param_fill(p, sc, f.recp, &f.head, ref.name, false, true,
			   in->with_decryption, true, false);
	if (error < 0)
		goto done;
	if (ref.selector &&
	    !(p->selector = ssm_call__strdup(sc->call, ref.selector))) {
		error = SSM_ERROR;
		goto done;
	}
	out->parameter = p;
done:
	found_dispose(&f);
	ssm_arena_dispose(&arena);
	return error;
}

/* ---- GetParameters --------------------------------------------------- */

static bool seen_before(const ssm_api_list *names, size_t i)
{
	char *const *n = names->items;
	size_t k;

	for (k = 0; k < i; k++)
		if (strcmp(n[k], n[i]) == 0)
			return true;
	return false;
}

ssm_err param_op_get_many(ssm_service_call *sc, const void *request,
			  void *response)
{
	const ssm_api_get_parameters_in *in = request;
	ssm_api_get_parameters_out *out = response;
	param_engine *pe = param_engine_of(sc->svc);
	char *const *names = in->names.items;
	ssm_api_parameter *params;
	char **invalid;
	size_t i, np = 0, ni = 0;
	ssm_err error = SSM_OK;

	params = ssm_call__alloc(sc->call,
				 in->names.count * sizeof(*params) + 1);
	invalid = ssm_call__alloc(sc->call,
				  in->names.count * sizeof(*invalid) + 1);
	if (!params || !invalid)
		return SSM_ERROR;
	for (i = 0; i < in->names.count && error == SSM_OK; i++) {
		ssm_arena arena = SSM_ARENA_INIT;
		struct found f = FOUND_INIT;
		param_ref ref;

		if (seen_before(&in->names, i))
			continue;
		error = param_parse_ref(&ref, pe, names[i], true, true, &arena);
		if (error == SSM_OK)
			error = lookup(&f, sc->svc, &ref, names[i], &arena);
		if (error == SSM_ENOTFOUND || error == SSM_EINVALID) {
			/* unknown or malformed: reported, not raised */
			invalid[ni] = ssm_call__strdup(sc->call, names[i]);
			error = invalid[ni++] ? SSM_OK : SSM_ERROR;
		} else if (error == SSM_OK) {
			error = param_fill(&params[np], sc, f.recp, &f.head,
					   ref.name, false, true,
					   in->with_decryption, true, false);
			if (error == SSM_OK && ref.selector &&
			    !(params[np].selector =
				      ssm_call__strdup(sc->call, ref.selector)))
				error = SSM_ERROR;
			np++;
		}
		found_dispose(&f);
		ssm_arena_dispose(&arena);
	}
	if (error < 0)
		return error;
	out->parameters.items = params;
	out->parameters.count = np;
	out->invalid_parameters.items = invalid;
	out->invalid_parameters.count = ni;
	return SSM_OK;
}

/* ---- filters of GetParametersByPath ----------------------------------- */

struct path_filters {
	const ssm_api_param_filter *type, *key_id, *label;
};

ssm_err param_filter_key_error(const char *key, const char *valid)
{
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM,
			      "InvalidFilterKey",
			      "The following filter key is not valid: %.132s. "
			      "Valid filter keys include: [%s].",
			      key, valid);
}

ssm_err param_filter_option_error(const char *option, const char *valid)
{
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM,
			      "InvalidFilterOption",
			      "The following filter option is not valid: "
			      "%.32s. Valid options include: [%s].",
			      option, valid);
}

ssm_err param_filter_values_missing(const char *key)
{
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM,
			      "InvalidFilterValue",
			      "The following filter values are missing : null "
			      "for filter key %.132s.",
			      key);
}

ssm_err param_filter_type_values(const ssm_api_param_filter *f)
{
	char *const *v = f->values.items;
	size_t i;

	for (i = 0; i < f->values.count; i++)
		if (!param_type_parse(v[i]))
			return ssm_error__set(
				SSM_EINVALID, SSM_ERRCLASS_PARAM,
				"InvalidFilterOption",
				"The following filter value is not valid: "
				"%.64s. Valid values include: [String, "
				"StringList, SecureString].",
				v[i]);
	return SSM_OK;
}

static ssm_err path_filters_check(struct path_filters *pf,
				  const ssm_api_list *filters)
{
	const ssm_api_param_filter *fs = filters->items;
	size_t i;

	memset(pf, 0, sizeof(*pf));
	for (i = 0; i < filters->count; i++) {
		const ssm_api_param_filter *f = &fs[i];
		const ssm_api_param_filter **slot;
		const char *opt = f->option ? f->option : "Equals";

		if (strcmp(f->key, "Type") == 0)
			slot = &pf->type;
		else if (strcmp(f->key, "KeyId") == 0)
			slot = &pf->key_id;
		else if (strcmp(f->key, "Label") == 0)
			slot = &pf->label;
		else
			return param_filter_key_error(f->key, "Type, KeyId");
		if (*slot)
			return ssm_error__set(
				SSM_EINVALID, SSM_ERRCLASS_PARAM,
				"InvalidFilterKey",
				"The following filter is duplicated in the "
				"request: %s. A request can contain only one "
				"occurrence of a specific filter.",
				f->key);
		*slot = f;
		if (slot == &pf->label) {
			if (strcmp(opt, "Equals") != 0)
				return param_filter_option_error(opt, "Equals");
		} else if (strcmp(opt, "Equals") != 0 &&
			   strcmp(opt, "BeginsWith") != 0) {
			return param_filter_option_error(opt,
							 "BeginsWith, Equals");
		}
		if (!f->values.count)
			return param_filter_values_missing(f->key);
		if (slot == &pf->type && strcmp(opt, "Equals") == 0)
			SSM_TRY(param_filter_type_values(f));
	}
	return SSM_OK;
}

/* Does @s match the filter's values (Equals or BeginsWith)? */
bool param_filter_match(const ssm_api_param_filter *f, const char *s)
{
	char *const *v = f->values.items;
	bool begins = f->option && strcmp(f->option, "BeginsWith") == 0;
	size_t i;

	if (!s)
		return false;
	for (i = 0; i < f->values.count; i++)
		if (begins ? strncmp(s, v[i], strlen(v[i])) == 0
			   : strcmp(s, v[i]) == 0)
			return true;
	return false;
}

/* ---- GetParametersByPath ------------------------------------------------- */

static uint32_t filters_hash(uint32_t h, const ssm_api_list *filters)
{
	const ssm_api_param_filter *fs = filters->items;
	size_t i, k;

	for (i = 0; i < filters->count; i++) {
		char *const *v = fs[i].values.items;

		h = param_hash(h, fs[i].key, strlen(fs[i].key));
		if (fs[i].option)
			h = param_hash(h, fs[i].option, strlen(fs[i].option));
		for (k = 0; k < fs[i].values.count; k++)
			h = param_hash(h, v[k], strlen(v[k]));
	}
	return h;
}

ssm_err param_op_get_by_path(ssm_service_call *sc, const void *request,
			     void *response)
{
	const ssm_api_get_by_path_in *in = request;
	ssm_api_params_page_out *out = response;
	param_engine *pe = param_engine_of(sc->svc);
	ssm_store_range_options ro = SSM_STORE_RANGE_OPTIONS_INIT;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	ssm_arena arena = SSM_ARENA_INIT;
	ssm_str prefix = SSM_STR_INIT, after = SSM_STR_INIT;
	struct path_filters pf;
	ssm_api_parameter *params = NULL;
	size_t max = in->max_results ? (size_t)in->max_results : 10;
	size_t np = 0, scanned = 0, base_len, plen, i;
	bool root, done_scan = false;
	char *path;
	uint32_t query;
	ssm_err error;

	error = param_path_check(&path, in->path, false, &arena);
	if (error < 0)
		goto done;
	if ((error = path_filters_check(&pf, &in->parameter_filters)) < 0)
		goto done;
	root = strcmp(path, "/") == 0;
	plen = root ? 0 : strlen(path);
	query = param_hash(2166136261u, path, strlen(path));
	query = param_hash(query, in->recursive ? "r" : "o", 1);
	query = filters_hash(query, &in->parameter_filters);

	/* keys "<prefix>param/n/<path>..." */
	if ((error = param_key_head(&prefix, sc->svc, path, plen)) < 0)
		goto done;
	base_len = prefix.size - plen; /* up to "param/n/" */
	if (in->next_token) {
		const void *pos;
		size_t pos_len;

		error = param_token_open(&pos, &pos_len, pe, OP_BY_PATH, query,
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
			const char *name = kv->key.ptr + base_len;
			const char *rest = name + plen;
			const char *slash;
			param_rec head;
			const param_rec *rec;
			struct found f = FOUND_INIT;

			scanned++;
			ssm_str_clear(&after);
			if ((error = ssm_str_put(&after, kv->key.ptr,
						 kv->key.size)) < 0)
				goto done;
			slash = strchr(rest, '/');
			if (!in->recursive && root && *name == '/') {
				/* hierarchical names are below the root
				 * level: skip every name starting with '/' */
				ssm_str_truncate(&after, base_len);
				if ((error = ssm_str_puts(&after, "/\xff")) < 0)
					goto done;
				break;
			}
			if (!in->recursive && !root && slash) {
				/* a deeper level: skip its whole subtree */
				ssm_str_truncate(&after,
						 (size_t)(slash - kv->key.ptr) +
							 1);
				if ((error = ssm_str_putc(&after, '\xff')) < 0)
					goto done;
				break;
			}
			if ((error = param_rec_decode(&head, &arena,
						      kv->value.ptr,
						      kv->value.size)) < 0)
				goto done;
			if (pf.type &&
			    !param_filter_match(pf.type,
						param_type_name(head.type)))
				continue;
			if (pf.key_id &&
			    (head.type != PT_SECURE ||
			     !param_filter_match(pf.key_id, head.key_id)))
				continue;
			rec = &head;
			if (pf.label) {
				char *const *lv = pf.label->values.items;
				uint64_t v = 0;
				size_t k;

				for (k = 0; !v && k < pf.label->values.count;
				     k++)
					v = param_label_version(&head, lv[k]);
				if (!v)
					continue;
				if (v != head.version) {
					error = param_version_get(
						&f.ver_kv, &f.rec, sc->svc,
						name, strlen(name), v, &arena);
					if (error == SSM_ENOTFOUND) {
						found_dispose(&f);
						continue;
					}
					if (error < 0)
						goto done;
					rec = &f.rec;
				}
			}
			error = param_fill(&params[np], sc, rec, &head, name,
					   false, true, in->with_decryption,
					   true, false);
			found_dispose(&f);
			if (error < 0)
				goto done;
			np++;
		}
		if (np >= max) {
			/* stopped on a full page: more only if keys remain */
			done_scan = i >= kvs.count && !kvs.more;
		} else if (i >= kvs.count && !kvs.more) {
			done_scan = true;
		}
	}
	if (!done_scan && after.size > base_len) {
		error = param_token_make(&out->next_token, pe, OP_BY_PATH,
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

/* ---- GetParameterHistory ----------------------------------------------- */

ssm_err param_op_history(ssm_service_call *sc, const void *request,
			 void *response)
{
	const ssm_api_history_in *in = request;
	ssm_api_params_page_out *out = response;
	param_engine *pe = param_engine_of(sc->svc);
	ssm_store_range_options ro = SSM_STORE_RANGE_OPTIONS_INIT;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	ssm_store_kv head_kv = SSM_STORE_KV_INIT;
	ssm_arena arena = SSM_ARENA_INIT;
	ssm_str prefix = SSM_STR_INIT, after = SSM_STR_INIT;
	size_t max = in->max_results ? (size_t)in->max_results : 50, i;
	ssm_api_parameter *params;
	param_rec head;
	param_ref ref;
	uint32_t query;
	ssm_err error;

	error = param_parse_ref(&ref, pe, in->name, true, false, &arena);
	if (error == SSM_ENOTFOUND)
		error = param_not_found(in->name);
	if (error < 0)
		goto done;
	error = param_head_get(&head_kv, &head, sc->svc, ref.name, ref.name_len,
			       &arena);
	if (error == SSM_ENOTFOUND)
		error = param_not_found(in->name);
	if (error < 0)
		goto done;
	query = param_hash(2166136261u, ref.name, ref.name_len);
	if ((error = param_key_versions(&prefix, sc->svc, ref.name,
					ref.name_len)) < 0)
		goto done;
	if (in->next_token) {
		const void *pos;
		size_t pos_len;

		error = param_token_open(&pos, &pos_len, pe, OP_HISTORY, query,
					 in->next_token, &arena);
		if (error < 0)
			goto done;
		if ((error = ssm_str_put(&after, prefix.ptr, prefix.size)) <
			    0 ||
		    (error = ssm_str_put(&after, pos, pos_len)) < 0)
			goto done;
		ro.start_after = after.ptr;
		ro.start_after_len = after.size;
	}
	ro.limit = max;
	error = ssm_store_range(&kvs, sc->svc->store, prefix.ptr, prefix.size,
				&ro);
	if (error < 0)
		goto done;
	params = ssm_call__alloc(sc->call, (kvs.count + 1) * sizeof(*params));
	if (!params) {
		error = SSM_ERROR;
		goto done;
	}
	for (i = 0; i < kvs.count; i++) {
		param_rec rec;

		if ((error = param_rec_decode(&rec, &arena,
					      kvs.items[i].value.ptr,
					      kvs.items[i].value.size)) < 0 ||
		    (error = param_fill(&params[i], sc, &rec, &head, ref.name,
					true, true, in->with_decryption, false,
					true)) < 0)
			goto done;
	}
	if (kvs.more && kvs.count) {
		ssm_store_kv *last = &kvs.items[kvs.count - 1];

		error = param_token_make(&out->next_token, pe, OP_HISTORY,
					 query, last->key.ptr + prefix.size,
					 last->key.size - prefix.size,
					 &sc->call->arena);
		if (error < 0)
			goto done;
	}
	out->parameters.items = params;
	out->parameters.count = kvs.count;
done:
	ssm_store_kvs_dispose(&kvs);
	ssm_store_kv_dispose(&head_kv);
	ssm_str_dispose(&prefix);
	ssm_str_dispose(&after);
	ssm_arena_dispose(&arena);
	return error;
}

/* ---- the resolver ------------------------------------------------------ */

ssm_err ssm_param__resolve(ssm_param_resolved *out, ssm_service *svc,
			   const char *const *refs, size_t count,
			   bool with_decryption, ssm_arena *arena)
{
	param_engine *pe = param_engine_of(svc);
	size_t i, k;
	ssm_err error = SSM_OK;

	if (!pe)
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_PARAM, NULL,
				      "the parameter engine is not running");
	for (i = 0; i < count && error == SSM_OK; i++) {
		ssm_arena scratch = SSM_ARENA_INIT;
		struct found f = FOUND_INIT;
		ssm_param_resolved *r = &out[i];
		param_ref ref;

		memset(r, 0, sizeof(*r));
		r->ref = refs[i];
		/* duplicates are looked up once */
		for (k = 0; k < i; k++)
			if (strcmp(refs[k], refs[i]) == 0)
				break;
		if (k < i) {
			*r = out[k];
			r->ref = refs[i];
			continue;
		}
		error = param_parse_ref(&ref, pe, refs[i], true, true,
					&scratch);
		if (error == SSM_OK)
			error = lookup(&f, svc, &ref, refs[i], &scratch);
		if (error == SSM_OK) {
			const param_rec *rec = f.recp;
			char *value = NULL;
			size_t len = rec->value_len;

			r->found = true;
			r->type = rec->type;
			r->version = rec->version;
			r->name = ssm_arena_strdup(arena, rec->name);
			if (rec->type != PT_SECURE)
				value = ssm_arena_strndup(arena, rec->value,
							  rec->value_len);
			else if (with_decryption)
				error = param_decrypt(&value, &len, pe,
						      ref.name, rec->value,
						      rec->value_len, arena);
			else
				error = param_blob_text(&value, rec->value,
							rec->value_len, arena);
			if (error == SSM_OK && (!value || !r->name))
				error = SSM_ERROR;
			r->value = value;
			r->value_len = value ? strlen(value) : 0;
		} else if (error == SSM_ENOTFOUND || error == SSM_EINVALID) {
			error = SSM_OK;
		}
		found_dispose(&f);
		ssm_arena_dispose(&scratch);
	}
	return error;
}
