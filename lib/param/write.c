/* SPDX-License-Identifier: Apache-2.0 */
/* DeleteParameter(s), LabelParameterVersion, UnlabelParameterVersion
 * (spec §3.5, §3.7). Each is one transaction guarded by the head's mod
 * revision, retried when another writer got there first. */
#include <inttypes.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "param/param.h"

/* A retryable failure: a compare of the transaction did not hold. */
static bool retry(ssm_err error)
{
	return error == SSM_ECONFLICT && !ssm_error_last()->service_code;
}

/* ---- delete -------------------------------------------------------------- */

/* Delete @norm: head, versions, tags, timers, count. SSM_ENOTFOUND (no
 * message) when absent. *@type_out gets the type of what was deleted. */
static ssm_err delete_once(param_txn *t, ssm_service *svc, const char *norm,
			   int *type_out)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_arena arena = SSM_ARENA_INIT;
	size_t len = strlen(norm), i;
	param_rec head;
	ssm_str *key;
	ssm_err error;

	param_txn_reset(t);
	error = param_head_get(&kv, &head, svc, norm, len, &arena);
	if (error < 0)
		goto done;
	*type_out = head.type;
	error = SSM_ELIMIT;
	if (!(key = param_txn_buf(t)) ||
	    (error = param_key_head(key, svc, norm, len)) < 0)
		goto done;
	param_txn_cmp(t, key->ptr, key->size, kv.mod_revision);
	param_txn_delete(t, key);
	error = SSM_ELIMIT;
	if (!(key = param_txn_buf(t)) ||
	    (error = param_key_versions(key, svc, norm, len)) < 0)
		goto done;
	param_txn_delete_prefix(t, key);
	error = SSM_ELIMIT;
	if (!(key = param_txn_buf(t)) ||
	    (error = ssm_tags__key(key, svc, "Parameter", norm, len)) < 0)
		goto done;
	param_txn_delete(t, key);
	for (i = 0; i < head.npolicies; i++) {
		if (!head.pstate[i].due_ms)
			continue;
		error = SSM_ELIMIT;
		if (!(key = param_txn_buf(t)) ||
		    (error = param_key_timer(key, svc, head.pstate[i].due_ms,
					     norm, len, i)) < 0)
			goto done;
		param_txn_delete(t, key);
	}
	if ((error = param_txn_count(t, svc, norm, len, head.tier, -1)) < 0)
		goto done;
	error = param_txn_commit(t, svc);
	if (error == SSM_OK) {
		param_engine *pe = param_engine_of(svc);

		pthread_mutex_lock(&pe->lock);
		if (pe->count_cache[head.tier])
			pe->count_cache[head.tier]--;
		pthread_mutex_unlock(&pe->lock);
	}
done:
	ssm_store_kv_dispose(&kv);
	ssm_arena_dispose(&arena);
	return error;
}

/* Delete with retries; SSM_ENOTFOUND without a message when absent. */
static ssm_err delete_norm(ssm_service *svc, const char *norm, int *type_out)
{
	param_txn *t = ssm__calloc(1, sizeof(*t));
	unsigned attempt;
	ssm_err error;

	if (!t)
		return SSM_ERROR;
	for (attempt = 0;; attempt++) {
		error = delete_once(t, svc, norm, type_out);
		if (!retry(error))
			break;
		if (attempt + 1 >= PARAM_WRITE_ATTEMPTS) {
			error = param_too_many_updates(norm);
			break;
		}
		param_backoff(attempt);
	}
	param_txn_dispose(t);
	ssm__free(t);
	return error;
}

ssm_err param_op_delete(ssm_service_call *sc, const void *request,
			void *response)
{
	const ssm_api_delete_parameter_in *in = request;
	param_engine *pe = param_engine_of(sc->svc);
	ssm_arena arena = SSM_ARENA_INIT;
	param_ref ref;
	int type = 0;
	ssm_err error;

	(void)response;
	error = param_parse_ref(&ref, pe, in->name, false, false, &arena);
	if (error == SSM_OK)
		error = delete_norm(sc->svc, ref.name, &type);
	if (error == SSM_ENOTFOUND)
		error = param_not_found(in->name);
	if (error == SSM_OK)
		param_emit_change(sc->svc, "Delete", in->name,
				  param_type_name(type), NULL, sc->now_ms);
	ssm_arena_dispose(&arena);
	return error;
}

ssm_err param_op_delete_many(ssm_service_call *sc, const void *request,
			     void *response)
{
	const ssm_api_delete_parameters_in *in = request;
	ssm_api_delete_parameters_out *out = response;
	param_engine *pe = param_engine_of(sc->svc);
	char *const *names = in->names.items;
	char **deleted, **invalid;
	size_t i, k, nd = 0, ni = 0;
	ssm_err error = SSM_OK;

	deleted = ssm_call__alloc(sc->call, in->names.count * sizeof(char *));
	invalid = ssm_call__alloc(sc->call, in->names.count * sizeof(char *));
	if (!deleted || !invalid)
		return SSM_ERROR;
	for (i = 0; i < in->names.count && error == SSM_OK; i++) {
		ssm_arena arena = SSM_ARENA_INIT;
		param_ref ref;
		int type = 0;

		for (k = 0; k < i; k++)
			if (strcmp(names[k], names[i]) == 0)
				break;
		if (k < i)
			continue;
		error = param_parse_ref(&ref, pe, names[i], false, false,
					&arena);
		if (error == SSM_OK)
			error = delete_norm(sc->svc, ref.name, &type);
		if (error == SSM_OK) {
			deleted[nd] = ssm_call__strdup(sc->call, names[i]);
			error = deleted[nd++] ? SSM_OK : SSM_ERROR;
			param_emit_change(sc->svc, "Delete", names[i],
					  param_type_name(type), NULL,
					  sc->now_ms);
		} else if (error == SSM_ENOTFOUND || error == SSM_EINVALID) {
			invalid[ni] = ssm_call__strdup(sc->call, names[i]);
			error = invalid[ni++] ? SSM_OK : SSM_ERROR;
		}
		ssm_arena_dispose(&arena);
	}
	if (error < 0)
		return error;
	out->deleted_parameters.items = deleted;
	out->deleted_parameters.count = nd;
	out->invalid_parameters.items = invalid;
	out->invalid_parameters.count = ni;
	return SSM_OK;
}

/* ---- labels ------------------------------------------------------------ */

struct label_job {
	ssm_service_call *sc;
	const char *asked;
	const char *norm;
	uint64_t version; /* 0: the latest (Label only) */
	char *const *labels;
	size_t nlabels;
	bool remove;
	/* results, from the call's arena */
	uint64_t version_out;
	char **changed, **invalid;
	size_t nchanged, ninvalid;
	bool wrote;
};

static bool listed(char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

static ssm_err label_once(struct label_job *j, param_txn *t)
{
	ssm_service *svc = j->sc->svc;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_arena arena = SSM_ARENA_INIT;
	ssm_str buf = SSM_STR_INIT;
	param_label *labels = NULL;
	size_t len = strlen(j->norm), i, k, n, on_version;
	param_rec head;
	ssm_str *key;
	uint64_t v;
	ssm_err error;

	param_txn_reset(t);
	j->nchanged = j->ninvalid = 0;
	j->wrote = false;
	error = param_head_get(&kv, &head, svc, j->norm, len, &arena);
	if (error == SSM_ENOTFOUND)
		error = param_not_found(j->asked);
	if (error < 0)
		goto done;
	v = j->version ? j->version : head.version;
	if (v < head.oldest || v > head.version) {
		error = param_version_not_found(head.name, v);
		goto done;
	}
	j->version_out = v;
	/* the new label map: at most the old one plus every label asked */
	labels = ssm_arena_calloc(&arena, head.nlabels + j->nlabels + 1,
				  sizeof(*labels));
	if (!labels) {
		error = SSM_ERROR;
		goto done;
	}
	n = 0;
	for (i = 0; i < head.nlabels; i++)
		labels[n++] = head.labels[i];
	for (i = 0; i < j->nlabels; i++) {
		const char *l = j->labels[i];

		if (listed(j->changed, j->nchanged, l) ||
		    listed(j->invalid, j->ninvalid, l))
			continue;
		for (k = 0; k < n; k++)
			if (strcmp(labels[k].label, l) == 0)
				break;
		if (j->remove) {
			if (k == n || labels[k].version != v) {
				j->invalid[j->ninvalid++] = (char *)l;
				continue;
			}
			labels[k] = labels[--n];
			j->changed[j->nchanged++] = (char *)l;
			continue;
		}
		if (!param_label_valid(l)) {
			j->invalid[j->ninvalid++] = (char *)l;
			continue;
		}
		if (k == n) {
			labels[n].label = l;
			labels[n++].version = v;
		} else {
			labels[k].version = v; /* a move */
		}
		j->changed[j->nchanged++] = (char *)l;
	}
	for (i = 0, on_version = 0; i < n; i++)
		if (labels[i].version == v)
			on_version++;
	if (!j->remove && on_version > PARAM_LABELS_PER_VERSION) {
		error = ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_PARAM,
				       "ParameterVersionLabelLimitExceeded",
				       "A parameter version can have maximum "
				       "10 labels. Move one or more labels to "
				       "another version and try again.");
		goto done;
	}
	if (!j->nchanged)
		goto done; /* nothing to write */
	head.labels = labels;
	head.nlabels = n;
	if ((error = param_rec_encode(&buf, &head, true)) < 0)
		goto done;
	error = SSM_ELIMIT;
	if (!(key = param_txn_buf(t)) ||
	    (error = param_key_head(key, svc, j->norm, len)) < 0)
		goto done;
	param_txn_cmp(t, key->ptr, key->size, kv.mod_revision);
	param_txn_put(t, key, buf.ptr, buf.size);
	error = param_txn_commit(t, svc);
	j->wrote = error == SSM_OK;
done:
	ssm_str_dispose(&buf);
	ssm_store_kv_dispose(&kv);
	ssm_arena_dispose(&arena);
	return error;
}

static ssm_err label_run(struct label_job *j, const char *name)
{
	param_engine *pe = param_engine_of(j->sc->svc);
	ssm_arena arena = SSM_ARENA_INIT;
	param_txn *t = NULL;
	param_ref ref;
	unsigned attempt;
	ssm_err error;

	j->asked = name;
	j->changed =
		ssm_call__alloc(j->sc->call, (j->nlabels + 1) * sizeof(char *));
	j->invalid =
		ssm_call__alloc(j->sc->call, (j->nlabels + 1) * sizeof(char *));
	t = ssm__calloc(1, sizeof(*t));
	if (!j->changed || !j->invalid || !t) {
		error = SSM_ERROR;
		goto done;
	}
	error = param_parse_ref(&ref, pe, name, false, false, &arena);
	if (error == SSM_ENOTFOUND)
		error = param_not_found(name);
	if (error < 0)
		goto done;
	j->norm = ref.name;
	for (attempt = 0;; attempt++) {
		error = label_once(j, t);
		if (!retry(error))
			break;
		if (attempt + 1 >= PARAM_WRITE_ATTEMPTS) {
			error = param_too_many_updates(name);
			break;
		}
		param_backoff(attempt);
	}
	if (error == SSM_OK && j->wrote)
		param_emit_change(j->sc->svc,
				  j->remove ? "UnlabelParameterVersion"
					    : "LabelParameterVersion",
				  name, NULL, NULL, j->sc->now_ms);
done:
	if (t) {
		param_txn_dispose(t);
		ssm__free(t);
	}
	ssm_arena_dispose(&arena);
	return error;
}

/* The strings of @list copied to the call's arena. */
static ssm_err copy_list(ssm_api_list *out, ssm_call *call, char **items,
			 size_t n)
{
	char **copy;
	size_t i;

	out->items = NULL;
	out->count = 0;
	copy = ssm_call__alloc(call, (n + 1) * sizeof(*copy));
	if (!copy)
		return SSM_ERROR;
	for (i = 0; i < n; i++)
		if (!(copy[i] = ssm_call__strdup(call, items[i])))
			return SSM_ERROR;
	out->items = copy;
	out->count = n;
	return SSM_OK;
}

ssm_err param_op_label(ssm_service_call *sc, const void *request,
		       void *response)
{
	const ssm_api_label_in *in = request;
	ssm_api_label_out *out = response;
	struct label_job j;

	memset(&j, 0, sizeof(j));
	j.sc = sc;
	j.version = (uint64_t)in->parameter_version;
	if (in->parameter_version < 0)
		return param_version_not_found(in->name, j.version);
	j.labels = in->labels.items;
	j.nlabels = in->labels.count;
	SSM_TRY(label_run(&j, in->name));
	SSM_TRY(copy_list(&out->invalid_labels, sc->call, j.invalid,
			  j.ninvalid));
	out->parameter_version = (int64_t)j.version_out;
	return SSM_OK;
}

ssm_err param_op_unlabel(ssm_service_call *sc, const void *request,
			 void *response)
{
	const ssm_api_label_in *in = request;
	ssm_api_unlabel_out *out = response;
	struct label_job j;

	memset(&j, 0, sizeof(j));
	j.sc = sc;
	j.version = (uint64_t)in->parameter_version;
	if (in->parameter_version < 0)
		return param_version_not_found(in->name, j.version);
	j.labels = in->labels.items;
	j.nlabels = in->labels.count;
	j.remove = true;
	SSM_TRY(label_run(&j, in->name));
	SSM_TRY(copy_list(&out->removed_labels, sc->call, j.changed,
			  j.nchanged));
	SSM_TRY(copy_list(&out->invalid_labels, sc->call, j.invalid,
			  j.ninvalid));
	return SSM_OK;
}
