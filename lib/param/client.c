/* SPDX-License-Identifier: Apache-2.0 */
/* The public Parameter Store API (ssm/param.h): each function builds the
 * operation's request struct and runs it through the client's transport.
 * Result objects own the call (and so the arena) their response lives in,
 * so nothing is copied. */
#include <string.h>

#include "ssm/param.h"
#include "api/client.h"
#include "core/alloc.h"
#include "core/error.h"
#include "param/api.h"

struct ssm_param {
	ssm_call call; /* used when standalone */
	bool standalone;
	const ssm_api_parameter *p;
};

struct ssm_param_list {
	ssm_call call;
	ssm_api_get_parameters_out out;
	ssm_param *items;
};

enum iter_kind { ITER_BY_PATH = 1, ITER_DESCRIBE = 2, ITER_HISTORY = 3 };

struct ssm_param_iter {
	ssm_client *client;
	enum iter_kind kind;
	ssm_arena arena; /* the request's copies */
	union {
		ssm_api_get_by_path_in by_path;
		ssm_api_describe_in describe;
		ssm_api_history_in history;
	} in;
	ssm_call page;
	bool have_page;
	ssm_api_params_page_out out;
	size_t pos;
	bool done;
	ssm_param view;
};

/* ---- options ------------------------------------------------------------- */

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

OPTIONS_INIT_FN(ssm_param_put_options_init, ssm_param_put_options,
		SSM_PARAM_PUT_OPTIONS_VERSION, "ssm_param_put_options")
OPTIONS_INIT_FN(ssm_param_get_by_path_options_init,
		ssm_param_get_by_path_options,
		SSM_PARAM_GET_BY_PATH_OPTIONS_VERSION,
		"ssm_param_get_by_path_options")
OPTIONS_INIT_FN(ssm_param_describe_options_init, ssm_param_describe_options,
		SSM_PARAM_DESCRIBE_OPTIONS_VERSION,
		"ssm_param_describe_options")
OPTIONS_INIT_FN(ssm_param_history_options_init, ssm_param_history_options,
		SSM_PARAM_HISTORY_OPTIONS_VERSION, "ssm_param_history_options")

const char *ssm_param_type_str(ssm_param_type type)
{
	switch (type) {
	case SSM_PARAM_STRING:
		return "String";
	case SSM_PARAM_STRING_LIST:
		return "StringList";
	case SSM_PARAM_SECURE_STRING:
		return "SecureString";
	case SSM_PARAM_TYPE_DEFAULT:
		break;
	}
	return NULL;
}

const char *ssm_param_tier_str(ssm_param_tier tier)
{
	switch (tier) {
	case SSM_PARAM_TIER_STANDARD:
		return "Standard";
	case SSM_PARAM_TIER_ADVANCED:
		return "Advanced";
	case SSM_PARAM_TIER_INTELLIGENT:
		return "Intelligent-Tiering";
	case SSM_PARAM_TIER_DEFAULT:
		break;
	}
	return NULL;
}

static ssm_param_tier tier_parse(const char *s)
{
	if (!s)
		return SSM_PARAM_TIER_DEFAULT;
	if (strcmp(s, "Standard") == 0)
		return SSM_PARAM_TIER_STANDARD;
	if (strcmp(s, "Advanced") == 0)
		return SSM_PARAM_TIER_ADVANCED;
	if (strcmp(s, "Intelligent-Tiering") == 0)
		return SSM_PARAM_TIER_INTELLIGENT;
	return SSM_PARAM_TIER_DEFAULT;
}

/* A caller's filter array as the wire's, copied into @arena. */
static ssm_err filters_copy(ssm_api_list *out, ssm_arena *arena,
			    const ssm_param_filter *filters, size_t count)
{
	ssm_api_param_filter *fs;
	size_t i, k;

	out->items = NULL;
	out->count = 0;
	if (!count)
		return SSM_OK;
	SSM_ASSERT_ARG(filters);
	fs = ssm_arena_calloc(arena, count, sizeof(*fs));
	if (!fs)
		return SSM_ERROR;
	for (i = 0; i < count; i++) {
		char **values;

		if (!filters[i].key)
			return ssm_error__set(SSM_EINVALID,
					      SSM_ERRCLASS_INVALID, NULL,
					      "filter %zu has no key", i + 1);
		fs[i].key = ssm_arena_strdup(arena, filters[i].key);
		fs[i].option =
			filters[i].option
				? ssm_arena_strdup(arena, filters[i].option)
				: NULL;
		if (!fs[i].key || (filters[i].option && !fs[i].option))
			return SSM_ERROR;
		if (!filters[i].values_count)
			continue;
		values = ssm_arena_calloc(arena, filters[i].values_count,
					  sizeof(*values));
		if (!values)
			return SSM_ERROR;
		for (k = 0; k < filters[i].values_count; k++) {
			if (!filters[i].values || !filters[i].values[k])
				return ssm_error__set(
					SSM_EINVALID, SSM_ERRCLASS_INVALID,
					NULL, "filter %zu has a NULL value",
					i + 1);
			values[k] =
				ssm_arena_strdup(arena, filters[i].values[k]);
			if (!values[k])
				return SSM_ERROR;
		}
		fs[i].values.items = values;
		fs[i].values.count = filters[i].values_count;
	}
	out->items = fs;
	out->count = count;
	return SSM_OK;
}

/* ---- put ----------------------------------------------------------------- */

ssm_err ssm_param_put(uint64_t *version_out, ssm_param_tier *tier_out,
		      ssm_client *client, const char *name, const char *value,
		      const ssm_param_put_options *opts)
{
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	ssm_api_put_parameter_in in;
	ssm_api_put_parameter_out out;
	ssm_call call;
	ssm_err error;
	size_t i;

	if (version_out)
		*version_out = 0;
	if (tier_out)
		*tier_out = SSM_PARAM_TIER_DEFAULT;
	SSM_ASSERT_ARG(client);
	SSM_ASSERT_ARG(name);
	SSM_ASSERT_ARG(value);
	if (opts) {
		SSM_CHECK_VERSION(opts, SSM_PARAM_PUT_OPTIONS_VERSION,
				  "ssm_param_put_options");
		o.type = opts->type;
		o.flags = opts->flags;
		o.description = opts->description;
		o.key_id = opts->key_id;
		o.allowed_pattern = opts->allowed_pattern;
		o.tier = opts->tier;
		o.policies = opts->policies;
		o.data_type = opts->data_type;
		o.tags = opts->tags;
		o.tags_count = opts->tags_count;
	}
	if (o.type && !ssm_param_type_str(o.type))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "%d is not a parameter type",
				      (int)o.type);
	if (o.tier && !ssm_param_tier_str(o.tier))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "%d is not a parameter tier",
				      (int)o.tier);
	if (o.flags & ~SSM_PARAM_PUT_OVERWRITE)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "unknown put flags 0x%x", o.flags);
	if (o.tags_count && !o.tags)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "invalid argument: 'tags'");
	memset(&in, 0, sizeof(in));
	in.name = (char *)name;
	in.value = (char *)value;
	in.type = (char *)ssm_param_type_str(o.type);
	in.description = (char *)o.description;
	in.key_id = (char *)o.key_id;
	in.overwrite = (o.flags & SSM_PARAM_PUT_OVERWRITE) != 0;
	in.allowed_pattern = (char *)o.allowed_pattern;
	in.tier = (char *)ssm_param_tier_str(o.tier);
	in.policies = (char *)o.policies;
	in.data_type = (char *)o.data_type;
	ssm_client__call_init(&call, client);
	if (o.tags_count) {
		ssm_api_tag *tags =
			ssm_call__alloc(&call, o.tags_count * sizeof(*tags));

		if (!tags) {
			error = SSM_ERROR;
			goto done;
		}
		for (i = 0; i < o.tags_count; i++) {
			tags[i].key = (char *)o.tags[i].key;
			tags[i].value =
				(char *)(o.tags[i].value ? o.tags[i].value
							 : "");
		}
		in.tags.items = tags;
		in.tags.count = o.tags_count;
	}
	error = ssm_client__call(client, &ssm_param__op_put, &in, &out, &call);
	if (error < 0)
		goto done;
	if (version_out)
		*version_out = (uint64_t)out.version;
	if (tier_out)
		*tier_out = tier_parse(out.tier);
done:
	ssm_call__dispose(&call);
	return error;
}

/* ---- get ----------------------------------------------------------------- */

static ssm_err no_parameter(const char *op)
{
	return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_API, NULL,
			      "%s answered without a parameter", op);
}

ssm_err ssm_param_get(ssm_param **out, ssm_client *client, const char *name,
		      unsigned int flags)
{
	ssm_api_get_parameter_in in;
	ssm_api_get_parameter_out resp;
	ssm_param *p;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(client);
	SSM_ASSERT_ARG(name);
	if (flags & ~SSM_PARAM_WITH_DECRYPTION)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "unknown get flags 0x%x", flags);
	p = ssm__calloc(1, sizeof(*p));
	if (!p)
		return SSM_ERROR;
	p->standalone = true;
	memset(&in, 0, sizeof(in));
	in.name = (char *)name;
	in.with_decryption = (flags & SSM_PARAM_WITH_DECRYPTION) != 0;
	ssm_client__call_init(&p->call, client);
	error = ssm_client__call(client, &ssm_param__op_get, &in, &resp,
				 &p->call);
	if (error == SSM_OK && !resp.parameter)
		error = no_parameter("GetParameter");
	if (error < 0) {
		ssm_param_free(p);
		return error;
	}
	p->p = resp.parameter;
	*out = p;
	return SSM_OK;
}

ssm_err ssm_param_get_many(ssm_param_list **out, ssm_client *client,
			   const char *const *names, size_t count,
			   unsigned int flags)
{
	ssm_api_get_parameters_in in;
	ssm_param_list *list;
	const ssm_api_parameter *ps;
	ssm_err error;
	size_t i;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(client);
	if (!names && count)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "invalid argument: 'names'");
	if (flags & ~SSM_PARAM_WITH_DECRYPTION)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "unknown get flags 0x%x", flags);
	for (i = 0; i < count; i++)
		if (!names[i])
			return ssm_error__set(SSM_EINVALID,
					      SSM_ERRCLASS_INVALID, NULL,
					      "names[%zu] is NULL", i);
	list = ssm__calloc(1, sizeof(*list));
	if (!list)
		return SSM_ERROR;
	memset(&in, 0, sizeof(in));
	in.names.items = (void *)names;
	in.names.count = count;
	in.with_decryption = (flags & SSM_PARAM_WITH_DECRYPTION) != 0;
	ssm_client__call_init(&list->call, client);
	error = ssm_client__call(client, &ssm_param__op_get_many, &in,
				 &list->out, &list->call);
	if (error == SSM_OK && list->out.parameters.count) {
		list->items = ssm_call__alloc(&list->call,
					      list->out.parameters.count *
						      sizeof(*list->items));
		if (!list->items)
			error = SSM_ERROR;
	}
	if (error < 0) {
		ssm_param_list_free(list);
		return error;
	}
	ps = list->out.parameters.items;
	for (i = 0; i < list->out.parameters.count; i++)
		list->items[i].p = &ps[i];
	*out = list;
	return SSM_OK;
}

size_t ssm_param_list_count(const ssm_param_list *list)
{
	return list ? list->out.parameters.count : 0;
}

const ssm_param *ssm_param_list_at(const ssm_param_list *list, size_t i)
{
	if (!list || i >= list->out.parameters.count)
		return NULL;
	return &list->items[i];
}

size_t ssm_param_list_invalid_count(const ssm_param_list *list)
{
	return list ? list->out.invalid_parameters.count : 0;
}

const char *ssm_param_list_invalid_at(const ssm_param_list *list, size_t i)
{
	if (!list || i >= list->out.invalid_parameters.count)
		return NULL;
	return ((char *const *)list->out.invalid_parameters.items)[i];
}

void ssm_param_list_free(ssm_param_list *list)
{
	if (!list)
		return;
	ssm_call__dispose(&list->call);
	ssm__free(list);
}

/* ---- iterators --------------------------------------------------------- */

static ssm_err iter_new(ssm_param_iter **out, ssm_client *client,
			enum iter_kind kind)
{
	ssm_param_iter *it = ssm__calloc(1, sizeof(*it));

	if (!it)
		return SSM_ERROR;
	it->client = client;
	it->kind = kind;
	*out = it;
	return SSM_OK;
}

ssm_err ssm_param_get_by_path(ssm_param_iter **out, ssm_client *client,
			      const char *path,
			      const ssm_param_get_by_path_options *opts)
{
	ssm_param_get_by_path_options o = SSM_PARAM_GET_BY_PATH_OPTIONS_INIT;
	ssm_param_iter *it = NULL;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(client);
	SSM_ASSERT_ARG(path);
	if (opts) {
		SSM_CHECK_VERSION(opts, SSM_PARAM_GET_BY_PATH_OPTIONS_VERSION,
				  "ssm_param_get_by_path_options");
		o.flags = opts->flags;
		o.filters = opts->filters;
		o.filters_count = opts->filters_count;
		o.page_size = opts->page_size;
	}
	if (o.flags & ~(SSM_PARAM_WITH_DECRYPTION | SSM_PARAM_RECURSIVE))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "unknown get-by-path flags 0x%x",
				      o.flags);
	if (o.page_size > 10)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "page_size %zu is out of range (1..10)",
				      o.page_size);
	SSM_TRY(iter_new(&it, client, ITER_BY_PATH));
	error = filters_copy(&it->in.by_path.parameter_filters, &it->arena,
			     o.filters, o.filters_count);
	if (error == SSM_OK &&
	    !(it->in.by_path.path = ssm_arena_strdup(&it->arena, path)))
		error = SSM_ERROR;
	if (error < 0) {
		ssm_param_iter_free(it);
		return error;
	}
	it->in.by_path.recursive = (o.flags & SSM_PARAM_RECURSIVE) != 0;
	it->in.by_path.with_decryption =
		(o.flags & SSM_PARAM_WITH_DECRYPTION) != 0;
	it->in.by_path.max_results = (int64_t)o.page_size;
	*out = it;
	return SSM_OK;
}

ssm_err ssm_param_describe(ssm_param_iter **out, ssm_client *client,
			   const ssm_param_describe_options *opts)
{
	ssm_param_describe_options o = SSM_PARAM_DESCRIBE_OPTIONS_INIT;
	ssm_param_iter *it = NULL;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(client);
	if (opts) {
		SSM_CHECK_VERSION(opts, SSM_PARAM_DESCRIBE_OPTIONS_VERSION,
				  "ssm_param_describe_options");
		o.filters = opts->filters;
		o.filters_count = opts->filters_count;
		o.page_size = opts->page_size;
		o.shared = opts->shared;
	}
	if (o.page_size > 50)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "page_size %zu is out of range (1..50)",
				      o.page_size);
	SSM_TRY(iter_new(&it, client, ITER_DESCRIBE));
	error = filters_copy(&it->in.describe.parameter_filters, &it->arena,
			     o.filters, o.filters_count);
	if (error < 0) {
		ssm_param_iter_free(it);
		return error;
	}
	it->in.describe.max_results = (int64_t)o.page_size;
	it->in.describe.shared = o.shared;
	*out = it;
	return SSM_OK;
}

ssm_err ssm_param_history(ssm_param_iter **out, ssm_client *client,
			  const char *name,
			  const ssm_param_history_options *opts)
{
	ssm_param_history_options o = SSM_PARAM_HISTORY_OPTIONS_INIT;
	ssm_param_iter *it = NULL;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(client);
	SSM_ASSERT_ARG(name);
	if (opts) {
		SSM_CHECK_VERSION(opts, SSM_PARAM_HISTORY_OPTIONS_VERSION,
				  "ssm_param_history_options");
		o.flags = opts->flags;
		o.page_size = opts->page_size;
	}
	if (o.flags & ~SSM_PARAM_WITH_DECRYPTION)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "unknown history flags 0x%x", o.flags);
	if (o.page_size > 50)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "page_size %zu is out of range (1..50)",
				      o.page_size);
	SSM_TRY(iter_new(&it, client, ITER_HISTORY));
	if (!(it->in.history.name = ssm_arena_strdup(&it->arena, name))) {
		ssm_param_iter_free(it);
		return SSM_ERROR;
	}
	it->in.history.with_decryption =
		(o.flags & SSM_PARAM_WITH_DECRYPTION) != 0;
	it->in.history.max_results = (int64_t)o.page_size;
	*out = it;
	return SSM_OK;
}

/* Fetch the page after the current one. */
static ssm_err iter_fetch(ssm_param_iter *it)
{
	const ssm_operation *op;
	char **token;
	char *next = NULL;
	const void *in;
	ssm_call call;
	ssm_api_params_page_out out;
	ssm_err error;

	switch (it->kind) {
	case ITER_BY_PATH:
		op = &ssm_param__op_get_by_path;
		token = &it->in.by_path.next_token;
		in = &it->in.by_path;
		break;
	case ITER_DESCRIBE:
		op = &ssm_param__op_describe;
		token = &it->in.describe.next_token;
		in = &it->in.describe;
		break;
	default:
		op = &ssm_param__op_history;
		token = &it->in.history.next_token;
		in = &it->in.history;
		break;
	}
	ssm_client__call_init(&call, it->client);
	error = ssm_client__call(it->client, op, in, &out, &call);
	if (error == SSM_OK && out.next_token && *out.next_token &&
	    !(next = ssm__strdup(out.next_token)))
		error = SSM_ERROR;
	if (error < 0) {
		ssm_call__dispose(&call);
		return error;
	}
	/* the token now lives in the iterator (the old page goes) */
	ssm__free(*token);
	*token = next;
	if (it->have_page)
		ssm_call__dispose(&it->page);
	it->page = call;
	it->have_page = true;
	it->out = out;
	it->pos = 0;
	it->done = next == NULL;
	return SSM_OK;
}

ssm_err ssm_param_iter_next(const ssm_param **out, ssm_param_iter *iter)
{
	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(iter);
	for (;;) {
		if (iter->have_page && iter->pos < iter->out.parameters.count) {
			const ssm_api_parameter *ps =
				iter->out.parameters.items;

			iter->view.p = &ps[iter->pos++];
			*out = &iter->view;
			return SSM_OK;
		}
		if (iter->have_page && iter->done)
			return SSM_ITEROVER;
		SSM_TRY(iter_fetch(iter));
	}
}

void ssm_param_iter_free(ssm_param_iter *iter)
{
	if (!iter)
		return;
	if (iter->have_page)
		ssm_call__dispose(&iter->page);
	switch (iter->kind) {
	case ITER_BY_PATH:
		ssm__free(iter->in.by_path.next_token);
		break;
	case ITER_DESCRIBE:
		ssm__free(iter->in.describe.next_token);
		break;
	case ITER_HISTORY:
		ssm__free(iter->in.history.next_token);
		break;
	}
	ssm_arena_dispose(&iter->arena);
	ssm__free(iter);
}

/* ---- delete ------------------------------------------------------------ */

ssm_err ssm_param_delete(ssm_client *client, const char *name)
{
	ssm_api_delete_parameter_in in;
	ssm_api_empty out;
	ssm_call call;
	ssm_err error;

	SSM_ASSERT_ARG(client);
	SSM_ASSERT_ARG(name);
	in.name = (char *)name;
	ssm_client__call_init(&call, client);
	error = ssm_client__call(client, &ssm_param__op_delete, &in, &out,
				 &call);
	ssm_call__dispose(&call);
	return error;
}

/* Copy a wire string list into a caller's ssm_strarray. */
static ssm_err strarray_from(ssm_strarray *out, const ssm_api_list *list)
{
	char *const *items = list->items;
	size_t i;

	out->strings = NULL;
	out->count = 0;
	if (!list->count)
		return SSM_OK;
	out->strings = ssm__calloc(list->count, sizeof(char *));
	if (!out->strings)
		return SSM_ERROR;
	for (i = 0; i < list->count; i++) {
		out->strings[i] = ssm__strdup(items[i]);
		if (!out->strings[i]) {
			out->count = i;
			ssm_strarray_dispose(out);
			return SSM_ERROR;
		}
	}
	out->count = list->count;
	return SSM_OK;
}

static ssm_err check_strings(const char *const *s, size_t count,
			     const char *what)
{
	size_t i;

	if (!s && count)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "invalid argument: '%s'", what);
	for (i = 0; i < count; i++)
		if (!s[i])
			return ssm_error__set(SSM_EINVALID,
					      SSM_ERRCLASS_INVALID, NULL,
					      "%s[%zu] is NULL", what, i);
	return SSM_OK;
}

static void strarrays_reset(ssm_strarray *a, ssm_strarray *b)
{
	if (a) {
		a->strings = NULL;
		a->count = 0;
	}
	if (b) {
		b->strings = NULL;
		b->count = 0;
	}
}

ssm_err ssm_param_delete_many(ssm_strarray *deleted_out,
			      ssm_strarray *invalid_out, ssm_client *client,
			      const char *const *names, size_t count)
{
	ssm_api_delete_parameters_in in;
	ssm_api_delete_parameters_out out;
	ssm_strarray d = SSM_STRARRAY_INIT, v = SSM_STRARRAY_INIT;
	ssm_call call;
	ssm_err error;

	strarrays_reset(deleted_out, invalid_out);
	SSM_ASSERT_ARG(client);
	SSM_TRY(check_strings(names, count, "names"));
	in.names.items = (void *)names;
	in.names.count = count;
	ssm_client__call_init(&call, client);
	error = ssm_client__call(client, &ssm_param__op_delete_many, &in, &out,
				 &call);
	if (error == SSM_OK && deleted_out)
		error = strarray_from(&d, &out.deleted_parameters);
	if (error == SSM_OK && invalid_out)
		error = strarray_from(&v, &out.invalid_parameters);
	ssm_call__dispose(&call);
	if (error < 0) {
		ssm_strarray_dispose(&d);
		ssm_strarray_dispose(&v);
		return error;
	}
	if (deleted_out)
		*deleted_out = d;
	if (invalid_out)
		*invalid_out = v;
	return SSM_OK;
}

/* ---- labels ------------------------------------------------------------ */

ssm_err ssm_param_label(uint64_t *version_out, ssm_strarray *invalid_labels_out,
			ssm_client *client, const char *name, uint64_t version,
			const char *const *labels, size_t count)
{
	ssm_api_label_in in;
	ssm_api_label_out out;
	ssm_strarray v = SSM_STRARRAY_INIT;
	ssm_call call;
	ssm_err error;

	if (version_out)
		*version_out = 0;
	strarrays_reset(invalid_labels_out, NULL);
	SSM_ASSERT_ARG(client);
	SSM_ASSERT_ARG(name);
	SSM_TRY(check_strings(labels, count, "labels"));
	if (version > INT64_MAX)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "version %llu is out of range",
				      (unsigned long long)version);
	in.name = (char *)name;
	in.parameter_version = (int64_t)version;
	in.labels.items = (void *)labels;
	in.labels.count = count;
	ssm_client__call_init(&call, client);
	error = ssm_client__call(client, &ssm_param__op_label, &in, &out,
				 &call);
	if (error == SSM_OK && invalid_labels_out)
		error = strarray_from(&v, &out.invalid_labels);
	if (error == SSM_OK && version_out)
		*version_out = (uint64_t)out.parameter_version;
	ssm_call__dispose(&call);
	if (error < 0) {
		if (version_out)
			*version_out = 0;
		return error;
	}
	if (invalid_labels_out)
		*invalid_labels_out = v;
	return SSM_OK;
}

ssm_err ssm_param_unlabel(ssm_strarray *removed_out, ssm_strarray *invalid_out,
			  ssm_client *client, const char *name,
			  uint64_t version, const char *const *labels,
			  size_t count)
{
	ssm_api_label_in in;
	ssm_api_unlabel_out out;
	ssm_strarray r = SSM_STRARRAY_INIT, v = SSM_STRARRAY_INIT;
	ssm_call call;
	ssm_err error;

	strarrays_reset(removed_out, invalid_out);
	SSM_ASSERT_ARG(client);
	SSM_ASSERT_ARG(name);
	SSM_TRY(check_strings(labels, count, "labels"));
	if (version > INT64_MAX)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "version %llu is out of range",
				      (unsigned long long)version);
	in.name = (char *)name;
	in.parameter_version = (int64_t)version;
	in.labels.items = (void *)labels;
	in.labels.count = count;
	ssm_client__call_init(&call, client);
	error = ssm_client__call(client, &ssm_param__op_unlabel, &in, &out,
				 &call);
	if (error == SSM_OK && removed_out)
		error = strarray_from(&r, &out.removed_labels);
	if (error == SSM_OK && invalid_out)
		error = strarray_from(&v, &out.invalid_labels);
	ssm_call__dispose(&call);
	if (error < 0) {
		ssm_strarray_dispose(&r);
		ssm_strarray_dispose(&v);
		return error;
	}
	if (removed_out)
		*removed_out = r;
	if (invalid_out)
		*invalid_out = v;
	return SSM_OK;
}

/* ---- accessors -------------------------------------------------------------
 */

void ssm_param_free(ssm_param *param)
{
	if (!param || !param->standalone)
		return;
	ssm_call__dispose(&param->call);
	ssm__free(param);
}

const char *ssm_param_name(const ssm_param *param)
{
	return param->p->name;
}

ssm_param_type ssm_param_type_of(const ssm_param *param)
{
	const char *t = param->p->type;

	if (!t)
		return SSM_PARAM_TYPE_DEFAULT;
	if (strcmp(t, "String") == 0)
		return SSM_PARAM_STRING;
	if (strcmp(t, "StringList") == 0)
		return SSM_PARAM_STRING_LIST;
	if (strcmp(t, "SecureString") == 0)
		return SSM_PARAM_SECURE_STRING;
	return SSM_PARAM_TYPE_DEFAULT;
}

const char *ssm_param_value(const ssm_param *param)
{
	return param->p->value;
}

uint64_t ssm_param_version(const ssm_param *param)
{
	return (uint64_t)param->p->version;
}

const char *ssm_param_selector(const ssm_param *param)
{
	return param->p->selector;
}

int64_t ssm_param_last_modified_ms(const ssm_param *param)
{
	return param->p->last_modified_ms;
}

const char *ssm_param_last_modified_user(const ssm_param *param)
{
	return param->p->last_modified_user;
}

const char *ssm_param_arn(const ssm_param *param)
{
	return param->p->arn;
}

const char *ssm_param_data_type(const ssm_param *param)
{
	return param->p->data_type;
}

const char *ssm_param_description(const ssm_param *param)
{
	return param->p->description;
}

const char *ssm_param_allowed_pattern(const ssm_param *param)
{
	return param->p->allowed_pattern;
}

const char *ssm_param_key_id(const ssm_param *param)
{
	return param->p->key_id;
}

ssm_param_tier ssm_param_tier_of(const ssm_param *param)
{
	return tier_parse(param->p->tier);
}

size_t ssm_param_labels_count(const ssm_param *param)
{
	return param->p->labels.count;
}

const char *ssm_param_label_at(const ssm_param *param, size_t i)
{
	if (i >= param->p->labels.count)
		return NULL;
	return ((char *const *)param->p->labels.items)[i];
}

size_t ssm_param_policies_count(const ssm_param *param)
{
	return param->p->policies.count;
}

const char *ssm_param_policy_at(const char **type_out, const char **status_out,
				const ssm_param *param, size_t i)
{
	const ssm_api_policy *pol;

	if (type_out)
		*type_out = NULL;
	if (status_out)
		*status_out = NULL;
	if (i >= param->p->policies.count)
		return NULL;
	pol = (const ssm_api_policy *)param->p->policies.items + i;
	if (type_out)
		*type_out = pol->policy_type;
	if (status_out)
		*status_out = pol->policy_status;
	return pol->policy_text;
}
