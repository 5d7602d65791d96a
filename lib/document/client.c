/* SPDX-License-Identifier: Apache-2.0 */
/* The store half of ssm/document.h: each function builds its operation's
 * request struct and runs it through the client's transport. Results own
 * the call (and so the arena) their response lives in. */
#include <stdlib.h>
#include <string.h>

#include "api/client.h"
#include "core/alloc.h"
#include "core/error.h"
#include "document/api.h"
#include "document/doc.h"

struct ssm_document_info {
	ssm_call call;
	bool standalone; /* owns call; else a view into an iterator's page */
	const ssm_api_document_description *d;
	const ssm_api_get_document_out *g;
	const ssm_api_document_identifier *id;
	const ssm_api_document_version_info *vi;
	const ssm_api_default_version_description *dv;
};

enum iter_kind { ITER_DOCUMENTS = 1, ITER_VERSIONS = 2 };

struct ssm_document_iter {
	ssm_client *client;
	enum iter_kind kind;
	ssm_arena arena; /* the request's copies */
	union {
		ssm_api_list_documents_in docs;
		ssm_api_list_versions_in versions;
	} in;
	ssm_call page;
	bool have_page;
	union {
		ssm_api_list_documents_out docs;
		ssm_api_list_versions_out versions;
	} out;
	size_t pos;
	bool done;
	ssm_document_info view;
};

/* ---- options ---------------------------------------------------------------
 */

#define OPTIONS_INIT_FN(fn, type, ver, label)                             \
	ssm_err fn(type *opts, unsigned int version)                      \
	{                                                                 \
		SSM_ASSERT_ARG(opts);                                     \
		if (version == 0 || version > (ver))                      \
			return ssm_error__set(SSM_EINVALID,               \
					      SSM_ERRCLASS_INVALID, NULL, \
					      label " version %u is not " \
						    "supported (1..%u)",  \
					      version, (unsigned)(ver));  \
		memset(opts, 0, sizeof(*opts));                           \
		opts->version = version;                                  \
		return SSM_OK;                                            \
	}

OPTIONS_INIT_FN(ssm_document_create_options_init, ssm_document_create_options,
		SSM_DOCUMENT_CREATE_OPTIONS_VERSION,
		"ssm_document_create_options")
OPTIONS_INIT_FN(ssm_document_get_options_init, ssm_document_get_options,
		SSM_DOCUMENT_GET_OPTIONS_VERSION, "ssm_document_get_options")
OPTIONS_INIT_FN(ssm_document_update_options_init, ssm_document_update_options,
		SSM_DOCUMENT_UPDATE_OPTIONS_VERSION,
		"ssm_document_update_options")
OPTIONS_INIT_FN(ssm_document_delete_options_init, ssm_document_delete_options,
		SSM_DOCUMENT_DELETE_OPTIONS_VERSION,
		"ssm_document_delete_options")
OPTIONS_INIT_FN(ssm_document_list_options_init, ssm_document_list_options,
		SSM_DOCUMENT_LIST_OPTIONS_VERSION, "ssm_document_list_options")

static ssm_err format_name(const char **out, ssm_document_format f)
{
	*out = NULL;
	if (f == SSM_DOCUMENT_FORMAT_DEFAULT)
		return SSM_OK;
	*out = ssm_document_format_str(f);
	if (!*out)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "unknown document format %d", (int)f);
	return SSM_OK;
}

/* ---- results
 * ----------------------------------------------------------------- */

static ssm_err info_new(ssm_document_info **out, ssm_client *client)
{
	ssm_document_info *info = ssm__calloc(1, sizeof(*info));

	*out = NULL;
	if (!info)
		return SSM_ERROR;
	info->standalone = true;
	ssm_client__call_init(&info->call, client);
	*out = info;
	return SSM_OK;
}

void ssm_document_info_free(ssm_document_info *info)
{
	if (!info || !info->standalone)
		return;
	ssm_call__dispose(&info->call);
	ssm__free(info);
}

/* Run @op into a response allocated from a new result's call. */
static ssm_err run(ssm_document_info **out, ssm_client *client,
		   const ssm_operation *op, const void *in, void **resp)
{
	ssm_document_info *info;
	ssm_err error;

	SSM_TRY(info_new(&info, client));
	*resp = ssm_call__alloc(&info->call, op->output->size);
	if (!*resp) {
		ssm_document_info_free(info);
		return SSM_ERROR;
	}
	error = ssm_client__call(client, op, in, *resp, &info->call);
	if (error < 0) {
		ssm_document_info_free(info);
		return error;
	}
	*out = info;
	return SSM_OK;
}

ssm_err ssm_document_create(ssm_document_info **out, ssm_client *client,
			    const char *name, const char *content,
			    const ssm_document_create_options *opts)
{
	ssm_document_create_options o = SSM_DOCUMENT_CREATE_OPTIONS_INIT;
	ssm_api_create_document_in in = { 0 };
	ssm_api_document_description_out *resp;
	ssm_api_document_requires *req = NULL;
	ssm_api_tag *tags = NULL;
	ssm_document_info *info = NULL;
	ssm_err error;
	size_t i;

	if (out)
		*out = NULL;
	SSM_ASSERT_ARG(client);
	SSM_ASSERT_ARG(name);
	SSM_ASSERT_ARG(content);
	if (opts) {
		SSM_CHECK_VERSION(opts, SSM_DOCUMENT_CREATE_OPTIONS_VERSION,
				  "ssm_document_create_options");
		o = *opts;
	}
	if (o.type && !ssm_document_type_str(o.type))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "unknown document type %d", (int)o.type);
	in.document_type = (char *)ssm_document_type_str(o.type);
	SSM_TRY(format_name((const char **)&in.document_format, o.format));
	in.name = (char *)name;
	in.content = (char *)content;
	in.version_name = (char *)o.version_name;
	in.display_name = (char *)o.display_name;
	in.target_type = (char *)o.target_type;
	if (o.requires_count) {
		SSM_ASSERT_ARG(o.requires);
		req = ssm__calloc(o.requires_count, sizeof(*req));
		if (!req)
			return SSM_ERROR;
		for (i = 0; i < o.requires_count; i++) {
			req[i].name = (char *)o.requires[i].name;
			req[i].version = (char *)o.requires[i].version;
			req[i].require_type =
				(char *)o.requires[i].require_type;
			req[i].version_name =
				(char *)o.requires[i].version_name;
		}
		in.requires.items = req;
		in.requires.count = o.requires_count;
	}
	if (o.tags_count) {
		if (!o.tags) {
			ssm__free(req);
			return ssm_error__set(SSM_EINVALID,
					      SSM_ERRCLASS_INVALID, NULL,
					      "invalid argument: 'tags'");
		}
		tags = ssm__calloc(o.tags_count, sizeof(*tags));
		if (!tags) {
			ssm__free(req);
			return SSM_ERROR;
		}
		for (i = 0; i < o.tags_count; i++) {
			tags[i].key = (char *)o.tags[i].key;
			tags[i].value = o.tags[i].value
						? (char *)o.tags[i].value
						: (char *)"";
		}
		in.tags.items = tags;
		in.tags.count = o.tags_count;
	}
	error = run(&info, client, &ssm_document__op_create, &in,
		    (void **)&resp);
	ssm__free(req);
	ssm__free(tags);
	if (error < 0)
		return error;
	info->d = resp->document_description;
	if (out)
		*out = info;
	else
		ssm_document_info_free(info);
	return SSM_OK;
}

static ssm_err get_options(ssm_document_get_options *o,
			   const ssm_document_get_options *opts)
{
	*o = (ssm_document_get_options)SSM_DOCUMENT_GET_OPTIONS_INIT;
	if (!opts)
		return SSM_OK;
	SSM_CHECK_VERSION(opts, SSM_DOCUMENT_GET_OPTIONS_VERSION,
			  "ssm_document_get_options");
	o->document_version = opts->document_version;
	o->version_name = opts->version_name;
	o->format = opts->format;
	return SSM_OK;
}

ssm_err ssm_document_get(ssm_document_info **out, ssm_client *client,
			 const char *name, const ssm_document_get_options *opts)
{
	ssm_document_get_options o;
	ssm_api_get_document_in in = { 0 };
	ssm_api_get_document_out *resp;
	ssm_document_info *info;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(client);
	SSM_ASSERT_ARG(name);
	SSM_TRY(get_options(&o, opts));
	in.name = (char *)name;
	in.document_version = (char *)o.document_version;
	in.version_name = (char *)o.version_name;
	SSM_TRY(format_name((const char **)&in.document_format, o.format));
	SSM_TRY(run(&info, client, &ssm_document__op_get, &in, (void **)&resp));
	info->g = resp;
	*out = info;
	return SSM_OK;
}

ssm_err ssm_document_describe(ssm_document_info **out, ssm_client *client,
			      const char *name,
			      const ssm_document_get_options *opts)
{
	ssm_document_get_options o;
	ssm_api_describe_document_in in = { 0 };
	ssm_api_describe_document_out *resp;
	ssm_document_info *info;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(client);
	SSM_ASSERT_ARG(name);
	SSM_TRY(get_options(&o, opts));
	in.name = (char *)name;
	in.document_version = (char *)o.document_version;
	in.version_name = (char *)o.version_name;
	SSM_TRY(run(&info, client, &ssm_document__op_describe, &in,
		    (void **)&resp));
	info->d = resp->document;
	*out = info;
	return SSM_OK;
}

ssm_err ssm_document_update(ssm_document_info **out, ssm_client *client,
			    const char *name, const char *content,
			    const ssm_document_update_options *opts)
{
	ssm_document_update_options o = SSM_DOCUMENT_UPDATE_OPTIONS_INIT;
	ssm_api_update_document_in in = { 0 };
	ssm_api_document_description_out *resp;
	ssm_document_info *info;

	if (out)
		*out = NULL;
	SSM_ASSERT_ARG(client);
	SSM_ASSERT_ARG(name);
	SSM_ASSERT_ARG(content);
	if (opts) {
		SSM_CHECK_VERSION(opts, SSM_DOCUMENT_UPDATE_OPTIONS_VERSION,
				  "ssm_document_update_options");
		o.document_version = opts->document_version;
		o.version_name = opts->version_name;
		o.display_name = opts->display_name;
		o.target_type = opts->target_type;
		o.format = opts->format;
	}
	in.name = (char *)name;
	in.content = (char *)content;
	in.document_version = (char *)o.document_version;
	in.version_name = (char *)o.version_name;
	in.display_name = (char *)o.display_name;
	in.target_type = (char *)o.target_type;
	SSM_TRY(format_name((const char **)&in.document_format, o.format));
	SSM_TRY(run(&info, client, &ssm_document__op_update, &in,
		    (void **)&resp));
	info->d = resp->document_description;
	if (out)
		*out = info;
	else
		ssm_document_info_free(info);
	return SSM_OK;
}

ssm_err ssm_document_update_default_version(ssm_document_info **out,
					    ssm_client *client,
					    const char *name,
					    const char *document_version)
{
	ssm_api_update_default_in in = { 0 };
	ssm_api_update_default_out *resp;
	ssm_document_info *info;

	if (out)
		*out = NULL;
	SSM_ASSERT_ARG(client);
	SSM_ASSERT_ARG(name);
	SSM_ASSERT_ARG(document_version);
	in.name = (char *)name;
	in.document_version = (char *)document_version;
	SSM_TRY(run(&info, client, &ssm_document__op_update_default, &in,
		    (void **)&resp));
	info->dv = resp->description;
	if (out)
		*out = info;
	else
		ssm_document_info_free(info);
	return SSM_OK;
}

ssm_err ssm_document_delete(ssm_client *client, const char *name,
			    const ssm_document_delete_options *opts)
{
	ssm_api_delete_document_in in = { 0 };
	ssm_document_info *info;
	void *resp;

	SSM_ASSERT_ARG(client);
	SSM_ASSERT_ARG(name);
	if (opts) {
		SSM_CHECK_VERSION(opts, SSM_DOCUMENT_DELETE_OPTIONS_VERSION,
				  "ssm_document_delete_options");
		in.document_version = (char *)opts->document_version;
		in.version_name = (char *)opts->version_name;
		in.force = opts->force;
	}
	in.name = (char *)name;
	SSM_TRY(run(&info, client, &ssm_document__op_delete, &in, &resp));
	ssm_document_info_free(info);
	return SSM_OK;
}

/* ---- iterators -------------------------------------------------------------
 */

ssm_err ssm_document_list(ssm_document_iter **out, ssm_client *client,
			  const ssm_document_list_options *opts)
{
	ssm_document_list_options o = SSM_DOCUMENT_LIST_OPTIONS_INIT;
	ssm_document_iter *it;
	ssm_api_document_kv_filter *fs = NULL;
	size_t i, k;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(client);
	if (opts) {
		SSM_CHECK_VERSION(opts, SSM_DOCUMENT_LIST_OPTIONS_VERSION,
				  "ssm_document_list_options");
		o.filters = opts->filters;
		o.filters_count = opts->filters_count;
		o.page_size = opts->page_size;
	}
	if (o.page_size > 50)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "page_size must be 1..50");
	it = ssm__calloc(1, sizeof(*it));
	if (!it)
		return SSM_ERROR;
	it->client = client;
	it->kind = ITER_DOCUMENTS;
	it->in.docs.max_results = (int64_t)o.page_size;
	if (o.filters_count) {
		if (!o.filters)
			goto bad;
		fs = ssm_arena_calloc(&it->arena, o.filters_count, sizeof(*fs));
		if (!fs)
			goto oom;
		for (i = 0; i < o.filters_count; i++) {
			char **vals = NULL;

			if (!o.filters[i].key ||
			    (o.filters[i].values_count && !o.filters[i].values))
				goto bad;
			fs[i].key =
				ssm_arena_strdup(&it->arena, o.filters[i].key);
			if (!fs[i].key)
				goto oom;
			if (o.filters[i].values_count) {
				vals = ssm_arena_calloc(
					&it->arena, o.filters[i].values_count,
					sizeof(*vals));
				if (!vals)
					goto oom;
			}
			for (k = 0; k < o.filters[i].values_count; k++) {
				if (!o.filters[i].values[k])
					goto bad;
				vals[k] = ssm_arena_strdup(
					&it->arena, o.filters[i].values[k]);
				if (!vals[k])
					goto oom;
			}
			fs[i].values.items = vals;
			fs[i].values.count = o.filters[i].values_count;
		}
		it->in.docs.filters.items = fs;
		it->in.docs.filters.count = o.filters_count;
	}
	*out = it;
	return SSM_OK;
bad:
	ssm_document_iter_free(it);
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
			      "a filter has no key or a NULL value");
oom:
	ssm_document_iter_free(it);
	return SSM_ERROR;
}

ssm_err ssm_document_list_versions(ssm_document_iter **out, ssm_client *client,
				   const char *name, size_t page_size)
{
	ssm_document_iter *it;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(client);
	SSM_ASSERT_ARG(name);
	if (page_size > 50)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "page_size must be 1..50");
	it = ssm__calloc(1, sizeof(*it));
	if (!it)
		return SSM_ERROR;
	it->client = client;
	it->kind = ITER_VERSIONS;
	it->in.versions.max_results = (int64_t)page_size;
	it->in.versions.name = ssm_arena_strdup(&it->arena, name);
	if (!it->in.versions.name) {
		ssm_document_iter_free(it);
		return SSM_ERROR;
	}
	*out = it;
	return SSM_OK;
}

static size_t page_count(const ssm_document_iter *it)
{
	return it->kind == ITER_DOCUMENTS
		       ? it->out.docs.document_identifiers.count
		       : it->out.versions.document_versions.count;
}

static const char *page_token(const ssm_document_iter *it)
{
	return it->kind == ITER_DOCUMENTS ? it->out.docs.next_token
					  : it->out.versions.next_token;
}

static ssm_err fetch(ssm_document_iter *it)
{
	const char *token = it->have_page ? page_token(it) : NULL;
	char *next = NULL;
	ssm_err error;

	if (it->have_page && (!token || !*token)) {
		it->done = true;
		return SSM_OK;
	}
	if (token) {
		next = ssm_arena_strdup(&it->arena, token);
		if (!next)
			return SSM_ERROR;
	}
	if (it->have_page)
		ssm_call__dispose(&it->page);
	it->have_page = false;
	ssm_client__call_init(&it->page, it->client);
	if (it->kind == ITER_DOCUMENTS) {
		it->in.docs.next_token = next;
		error = ssm_client__call(it->client, &ssm_document__op_list,
					 &it->in.docs, &it->out.docs,
					 &it->page);
	} else {
		it->in.versions.next_token = next;
		error = ssm_client__call(
			it->client, &ssm_document__op_list_versions,
			&it->in.versions, &it->out.versions, &it->page);
	}
	it->have_page = true;
	it->pos = 0;
	if (error < 0) {
		memset(&it->out, 0, sizeof(it->out));
		return error;
	}
	return SSM_OK;
}

ssm_err ssm_document_iter_next(const ssm_document_info **out,
			       ssm_document_iter *iter)
{
	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(iter);
	while (!iter->done &&
	       (!iter->have_page || iter->pos == page_count(iter)))
		SSM_TRY(fetch(iter));
	if (iter->done)
		return SSM_ITEROVER;
	memset(&iter->view, 0, sizeof(iter->view));
	if (iter->kind == ITER_DOCUMENTS)
		iter->view.id =
			&((const ssm_api_document_identifier *)iter->out.docs
				  .document_identifiers.items)[iter->pos];
	else
		iter->view.vi =
			&((const ssm_api_document_version_info *)iter->out
				  .versions.document_versions.items)[iter->pos];
	iter->pos++;
	*out = &iter->view;
	return SSM_OK;
}

void ssm_document_iter_free(ssm_document_iter *iter)
{
	if (!iter)
		return;
	if (iter->have_page)
		ssm_call__dispose(&iter->page);
	ssm_arena_dispose(&iter->arena);
	ssm__free(iter);
}

/* ---- permissions ------------------------------------------------------------
 */

static ssm_err strarray_add(ssm_strarray *a, size_t *cap, const char *s)
{
	char *copy;

	if (a->count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		char **n = ssm__realloc(a->strings, ncap * sizeof(*n));

		if (!n)
			return SSM_ERROR;
		a->strings = n;
		*cap = ncap;
	}
	copy = ssm__strdup(s ? s : "");
	if (!copy)
		return SSM_ERROR;
	a->strings[a->count++] = copy;
	return SSM_OK;
}

ssm_err ssm_document_permissions(ssm_strarray *accounts_out,
				 ssm_strarray *versions_out, ssm_client *client,
				 const char *name)
{
	ssm_api_describe_permission_in in = { 0 };
	ssm_strarray accounts = SSM_STRARRAY_INIT, versions = SSM_STRARRAY_INIT;
	size_t acap = 0, vcap = 0, i;
	char *token = NULL;
	ssm_err error = SSM_OK;

	SSM_ASSERT_ARG(accounts_out);
	*accounts_out = (ssm_strarray)SSM_STRARRAY_INIT;
	if (versions_out)
		*versions_out = (ssm_strarray)SSM_STRARRAY_INIT;
	SSM_ASSERT_ARG(client);
	SSM_ASSERT_ARG(name);
	in.name = (char *)name;
	in.permission_type = (char *)"Share";
	do {
		ssm_api_describe_permission_out out;
		ssm_call call;

		in.next_token = token;
		ssm_client__call_init(&call, client);
		error = ssm_client__call(client,
					 &ssm_document__op_describe_permission,
					 &in, &out, &call);
		for (i = 0; error == SSM_OK && i < out.account_ids.count; i++)
			error = strarray_add(
				&accounts, &acap,
				((char **)out.account_ids.items)[i]);
		for (i = 0; error == SSM_OK && versions_out &&
			    i < out.account_sharing_info_list.count;
		     i++)
			error = strarray_add(
				&versions, &vcap,
				((ssm_api_account_sharing_info *)
					 out.account_sharing_info_list.items)[i]
					.shared_document_version);
		ssm__free(token);
		token = NULL;
		if (error == SSM_OK && out.next_token && *out.next_token &&
		    !(token = ssm__strdup(out.next_token)))
			error = SSM_ERROR;
		ssm_call__dispose(&call);
	} while (error == SSM_OK && token);
	if (error < 0) {
		ssm_strarray_dispose(&accounts);
		ssm_strarray_dispose(&versions);
		return error;
	}
	*accounts_out = accounts;
	if (versions_out)
		*versions_out = versions;
	else
		ssm_strarray_dispose(&versions);
	return SSM_OK;
}

ssm_err ssm_document_modify_permission(ssm_client *client, const char *name,
				       const char *const *add, size_t add_count,
				       const char *const *remove,
				       size_t remove_count,
				       const char *shared_version)
{
	ssm_api_modify_permission_in in = { 0 };
	ssm_document_info *info;
	void *resp;

	SSM_ASSERT_ARG(client);
	SSM_ASSERT_ARG(name);
	SSM_ASSERT_ARG(add || !add_count);
	SSM_ASSERT_ARG(remove || !remove_count);
	in.name = (char *)name;
	in.permission_type = (char *)"Share";
	in.account_ids_to_add.items = (void *)add;
	in.account_ids_to_add.count = add_count;
	in.account_ids_to_remove.items = (void *)remove;
	in.account_ids_to_remove.count = remove_count;
	in.shared_document_version = (char *)shared_version;
	SSM_TRY(run(&info, client, &ssm_document__op_modify_permission, &in,
		    &resp));
	ssm_document_info_free(info);
	return SSM_OK;
}

/* ---- accessors
 * --------------------------------------------------------------- */

static uint64_t version_num(const char *s)
{
	return s ? strtoull(s, NULL, 10) : 0;
}

const char *ssm_document_info_name(const ssm_document_info *info)
{
	if (info->d)
		return info->d->name;
	if (info->g)
		return info->g->name;
	if (info->id)
		return info->id->name;
	if (info->vi)
		return info->vi->name;
	return info->dv ? info->dv->name : NULL;
}

const char *ssm_document_info_owner(const ssm_document_info *info)
{
	if (info->d)
		return info->d->owner;
	return info->id ? info->id->owner : NULL;
}

uint64_t ssm_document_info_version(const ssm_document_info *info)
{
	if (info->d)
		return version_num(info->d->document_version);
	if (info->g)
		return version_num(info->g->document_version);
	if (info->id)
		return version_num(info->id->document_version);
	if (info->vi)
		return version_num(info->vi->document_version);
	return info->dv ? version_num(info->dv->default_version) : 0;
}

uint64_t ssm_document_info_latest_version(const ssm_document_info *info)
{
	return info->d ? version_num(info->d->latest_version) : 0;
}

uint64_t ssm_document_info_default_version(const ssm_document_info *info)
{
	if (info->d)
		return version_num(info->d->default_version);
	if (info->dv)
		return version_num(info->dv->default_version);
	if (info->id)
		return version_num(info->id->document_version);
	return 0;
}

bool ssm_document_info_is_default_version(const ssm_document_info *info)
{
	if (info->vi)
		return info->vi->is_default_version;
	if (info->d)
		return info->d->document_version && info->d->default_version &&
		       strcmp(info->d->document_version,
			      info->d->default_version) == 0;
	return info->id != NULL || info->dv != NULL;
}

const char *ssm_document_info_version_name(const ssm_document_info *info)
{
	if (info->d)
		return info->d->version_name;
	if (info->g)
		return info->g->version_name;
	if (info->id)
		return info->id->version_name;
	if (info->vi)
		return info->vi->version_name;
	return info->dv ? info->dv->default_version_name : NULL;
}

const char *ssm_document_info_display_name(const ssm_document_info *info)
{
	if (info->d)
		return info->d->display_name;
	if (info->g)
		return info->g->display_name;
	if (info->id)
		return info->id->display_name;
	return info->vi ? info->vi->display_name : NULL;
}

const char *ssm_document_info_description(const ssm_document_info *info)
{
	return info->d ? info->d->description : NULL;
}

const char *ssm_document_info_hash(const ssm_document_info *info)
{
	return info->d ? info->d->hash : NULL;
}

const char *ssm_document_info_status(const ssm_document_info *info)
{
	if (info->d)
		return info->d->status;
	if (info->g)
		return info->g->status;
	return info->vi ? info->vi->status : NULL;
}

int64_t ssm_document_info_created_ms(const ssm_document_info *info)
{
	if (info->d)
		return info->d->created_ms;
	if (info->g)
		return info->g->created_ms;
	if (info->id)
		return info->id->created_ms;
	return info->vi ? info->vi->created_ms : 0;
}

ssm_document_type ssm_document_info_type(const ssm_document_info *info)
{
	const char *t = info->d	   ? info->d->document_type
			: info->g  ? info->g->document_type
			: info->id ? info->id->document_type
				   : NULL;

	return t ? ssm_doc__type_parse(t, strlen(t))
		 : SSM_DOCUMENT_TYPE_DEFAULT;
}

ssm_document_format ssm_document_info_format(const ssm_document_info *info)
{
	const char *f = info->d	   ? info->d->document_format
			: info->g  ? info->g->document_format
			: info->id ? info->id->document_format
			: info->vi ? info->vi->document_format
				   : NULL;
	ssm_document_format out = SSM_DOCUMENT_FORMAT_DEFAULT;

	if (f && ssm_document_format_parse(&out, f) < 0)
		out = SSM_DOCUMENT_FORMAT_DEFAULT;
	return out;
}

const char *ssm_document_info_schema_version(const ssm_document_info *info)
{
	if (info->d)
		return info->d->schema_version;
	return info->id ? info->id->schema_version : NULL;
}

const char *ssm_document_info_target_type(const ssm_document_info *info)
{
	if (info->d)
		return info->d->target_type;
	return info->id ? info->id->target_type : NULL;
}

const char *ssm_document_info_content(const ssm_document_info *info)
{
	return info->g ? info->g->content : NULL;
}

unsigned int ssm_document_info_platforms(const ssm_document_info *info)
{
	const ssm_api_list *l = info->d	   ? &info->d->platform_types
				: info->id ? &info->id->platform_types
					   : NULL;
	unsigned int bits = 0;
	size_t i;

	for (i = 0; l && i < l->count; i++) {
		ssm_document_platform p;

		if (ssm_document_platform_parse(&p, ((char **)l->items)[i]) ==
		    SSM_OK)
			bits |= SSM_DOCUMENT_PLATFORM_BIT(p);
	}
	return bits;
}

size_t ssm_document_info_params_count(const ssm_document_info *info)
{
	return info->d ? info->d->parameters.count : 0;
}

const char *ssm_document_info_param_at(const char **type_out,
				       const char **description_out,
				       const char **default_out,
				       const ssm_document_info *info, size_t i)
{
	const ssm_api_document_parameter *p;

	if (type_out)
		*type_out = NULL;
	if (description_out)
		*description_out = NULL;
	if (default_out)
		*default_out = NULL;
	if (!info->d || i >= info->d->parameters.count)
		return NULL;
	p = &((const ssm_api_document_parameter *)info->d->parameters.items)[i];
	if (type_out)
		*type_out = p->type;
	if (description_out)
		*description_out = p->description;
	if (default_out)
		*default_out = p->default_value;
	return p->name;
}

static const ssm_api_list *tag_list(const ssm_document_info *info)
{
	if (info->d)
		return &info->d->tags;
	return info->id ? &info->id->tags : NULL;
}

size_t ssm_document_info_tags_count(const ssm_document_info *info)
{
	const ssm_api_list *l = tag_list(info);

	return l ? l->count : 0;
}

const char *ssm_document_info_tag_at(const char **value_out,
				     const ssm_document_info *info, size_t i)
{
	const ssm_api_list *l = tag_list(info);
	const ssm_api_tag *t;

	if (value_out)
		*value_out = NULL;
	if (!l || i >= l->count)
		return NULL;
	t = &((const ssm_api_tag *)l->items)[i];
	if (value_out)
		*value_out = t->value;
	return t->key;
}
