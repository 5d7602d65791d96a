/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON codec of shapes (lib/api/codec.h), and the public
 * ssm_operation_encode_request() / ssm_operation_decode_response() built on
 * it. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ssm/sys/transport.h"
#include "api/codec.h"
#include "api/op.h"
#include "core/alloc.h"
#include "core/encode.h"
#include "core/error.h"
#include "core/time.h"

#define PATH_TEXT_MAX 256
#define PATH_DEPTH_MAX 32

/* Where a value sits, for messages: a member name or a list index. */
struct path {
	const struct path *up;
	const char *name; /* NULL: an index */
	size_t name_len;
	size_t index;
};

static void path_format(char *buf, size_t size, const struct path *p)
{
	const struct path *chain[PATH_DEPTH_MAX];
	size_t n = 0, used = 0, i;
	int k;

	for (; p && n < PATH_DEPTH_MAX; p = p->up)
		chain[n++] = p;
	buf[0] = '\0';
	for (i = n; i-- > 0 && used < size;) {
		p = chain[i];
		if (p->name)
			k = snprintf(
				buf + used, size - used, "%s%.*s",
				used ? "." : "",
				(int)(p->name_len > 100 ? 100 : p->name_len),
				p->name);
		else
			k = snprintf(buf + used, size - used, "[%zu]",
				     p->index);
		if (k < 0)
			break;
		used += (size_t)k;
	}
}

static ssm_err serialization(const struct path *p, const char *what)
{
	char path[PATH_TEXT_MAX];

	path_format(path, sizeof(path), p);
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_API,
			      SSM_API_SERIALIZATION, "'%s' %s", path, what);
}

static ssm_err type_error(const struct path *p, const char *want,
			  const ssm_json *v)
{
	char path[PATH_TEXT_MAX];
	ssm_json_type t = ssm_json_typeof(v);

	path_format(path, sizeof(path), p);
	return ssm_error__set(
		SSM_EINVALID, SSM_ERRCLASS_API, SSM_API_SERIALIZATION,
		"'%s' must be %s, not %s%s", path, want,
		t == SSM_JSON_NULL			      ? ""
		: t == SSM_JSON_ARRAY || t == SSM_JSON_OBJECT ? "an "
							      : "a ",
		ssm_json_type_name(t));
}

/* ---- decoding ----------------------------------------------------------- */

static ssm_err decode_shape(void *out, const ssm_api_shape *shape,
			    const ssm_json *obj, ssm_arena *a,
			    const struct path *p);

static ssm_err decode_string(char **out, const ssm_json *v, ssm_arena *a,
			     const struct path *p)
{
	const char *s = ssm_json_str(v);
	size_t len = ssm_json_str_len(v);

	if (ssm_json_typeof(v) != SSM_JSON_STRING)
		return type_error(p, "a string", v);
	if (memchr(s, '\0', len))
		return serialization(p, "must not contain NUL characters");
	*out = ssm_arena_strndup(a, s, len);
	return *out ? SSM_OK : SSM_ERROR;
}

static ssm_err decode_list(ssm_api_list *out, const ssm_api_field *f,
			   const ssm_json *v, ssm_arena *a,
			   const struct path *p)
{
	size_t n = ssm_json_size(v), i, elem_size;
	struct path sub = { p, NULL, 0, 0 };
	char *items;

	if (ssm_json_typeof(v) != SSM_JSON_ARRAY)
		return type_error(p, "an array", v);
	elem_size = f->elem == SSM_API_STRUCT ? f->shape->size : sizeof(char *);
	/* an empty list is present: items is set, count 0 */
	items = ssm_arena_calloc(a, n ? n : 1, elem_size);
	if (!items)
		return SSM_ERROR;
	for (i = 0; i < n; i++) {
		const ssm_json *e = ssm_json_at(v, i);

		sub.index = i;
		if (f->elem == SSM_API_STRUCT) {
			if (ssm_json_typeof(e) != SSM_JSON_OBJECT)
				return type_error(&sub, "an object", e);
			SSM_TRY(decode_shape(items + i * elem_size, f->shape, e,
					     a, &sub));
		} else if (ssm_json_typeof(e) != SSM_JSON_NULL) {
			/* a null element stays NULL: validation names it */
			SSM_TRY(decode_string((char **)items + i, e, a, &sub));
		}
	}
	out->items = items;
	out->count = n;
	return SSM_OK;
}

static ssm_err decode_map(ssm_api_map *out, const ssm_api_field *f,
			  const ssm_json *v, ssm_arena *a, const struct path *p)
{
	size_t n = ssm_json_size(v), i;
	struct path sub = { p, NULL, 0, 0 };
	ssm_api_map_entry *items;
	static const ssm_api_field strings = { .type = SSM_API_LIST,
					       .elem = SSM_API_STRING };

	if (ssm_json_typeof(v) != SSM_JSON_OBJECT)
		return type_error(p, "an object", v);
	items = ssm_arena_calloc(a, n ? n : 1, sizeof(*items));
	if (!items)
		return SSM_ERROR;
	for (i = 0; i < n; i++) {
		const ssm_json_member *m = ssm_json_member_at(v, i);

		sub.name = m->key;
		sub.name_len = m->key_len;
		if (memchr(m->key, '\0', m->key_len))
			return serialization(
				p, "must not have keys with NUL characters");
		items[i].key = ssm_arena_strndup(a, m->key, m->key_len);
		if (!items[i].key)
			return SSM_ERROR;
		if (f->elem == SSM_API_LIST)
			SSM_TRY(decode_list(&items[i].values, &strings,
					    m->value, a, &sub));
		else
			SSM_TRY(decode_string(&items[i].value, m->value, a,
					      &sub));
	}
	out->items = items;
	out->count = n;
	return SSM_OK;
}

static ssm_err decode_field(void *base, const ssm_api_field *f,
			    const ssm_json *v, ssm_arena *a,
			    const struct path *p)
{
	char *slot = (char *)base + f->offset;
	ssm_json_type t = ssm_json_typeof(v);

	switch (f->type) {
	case SSM_API_STRING:
		return decode_string((char **)slot, v, a, p);
	case SSM_API_BOOL:
		if (t != SSM_JSON_BOOL)
			return type_error(p, "a boolean", v);
		*(bool *)slot = ssm_json_bool(v);
		return SSM_OK;
	case SSM_API_INT:
		if (t != SSM_JSON_NUMBER)
			return type_error(p, "an integer", v);
		if (!ssm_json_is_integer(v))
			return serialization(p, "must be an integer in the "
						"64-bit range");
		return ssm_json_get_int64((int64_t *)slot, v, INT64_MIN,
					  INT64_MAX);
	case SSM_API_DOUBLE:
		if (t != SSM_JSON_NUMBER)
			return type_error(p, "a number", v);
		*(double *)slot = ssm_json_double(v);
		return SSM_OK;
	case SSM_API_TIME:
		if (t != SSM_JSON_NUMBER)
			return type_error(p, "a number of epoch seconds", v);
		if (ssm_json_get_epoch_ms((int64_t *)slot, v) < 0)
			return serialization(p, "is out of range");
		return SSM_OK;
	case SSM_API_ISOTIME:
		if (t != SSM_JSON_STRING)
			return type_error(p, "an ISO-8601 string", v);
		/* "" is how AWS says "not yet" (GetCommandInvocation) */
		if (!ssm_json_str_len(v))
			return SSM_OK;
		if (ssm_time_parse_iso8601((int64_t *)slot, ssm_json_str(v),
					   ssm_json_str_len(v)) < 0)
			return serialization(p, "is not an ISO-8601 time");
		return SSM_OK;
	case SSM_API_BLOB: {
		ssm_api_blob *b = (ssm_api_blob *)slot;
		size_t len = ssm_json_str_len(v), n = 0;

		if (t != SSM_JSON_STRING)
			return type_error(p, "a base64 string", v);
		b->ptr = ssm_arena_alloc(a, SSM_BASE64_DECODED_MAX(len) + 1);
		if (!b->ptr)
			return SSM_ERROR;
		if (ssm_base64_decode(b->ptr, &n, SSM_BASE64_DECODED_MAX(len),
				      ssm_json_str(v), len) < 0) {
			b->ptr = NULL;
			return serialization(p, "is not valid base64");
		}
		b->ptr[n] = 0;
		b->len = n;
		return SSM_OK;
	}
	case SSM_API_STRUCT: {
		void *sv;

		if (t != SSM_JSON_OBJECT)
			return type_error(p, "an object", v);
		sv = ssm_arena_calloc(a, 1,
				      f->shape->size ? f->shape->size : 1);
		if (!sv)
			return SSM_ERROR;
		SSM_TRY(decode_shape(sv, f->shape, v, a, p));
		*(void **)slot = sv;
		return SSM_OK;
	}
	case SSM_API_LIST:
		return decode_list((ssm_api_list *)slot, f, v, a, p);
	case SSM_API_MAP:
		return decode_map((ssm_api_map *)slot, f, v, a, p);
	}
	return serialization(p, "has a type this build cannot decode");
}

static const ssm_api_field *find_field(const ssm_api_shape *shape,
				       const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < shape->nfields; i++) {
		const char *fn = shape->fields[i].name;

		if (strncmp(fn, name, len) == 0 && fn[len] == '\0')
			return &shape->fields[i];
	}
	return NULL;
}

static ssm_err decode_shape(void *out, const ssm_api_shape *shape,
			    const ssm_json *obj, ssm_arena *a,
			    const struct path *p)
{
	size_t n = ssm_json_size(obj), i;
	struct path sub = { p, NULL, 0, 0 };

	for (i = 0; i < n; i++) {
		const ssm_json_member *m = ssm_json_member_at(obj, i);
		const ssm_api_field *f;

		/* null is absent; unknown members are ignored (spec §4.1) */
		if (ssm_json_typeof(m->value) == SSM_JSON_NULL)
			continue;
		f = find_field(shape, m->key, m->key_len);
		if (!f || memchr(m->key, '\0', m->key_len))
			continue;
		sub.name = f->name;
		sub.name_len = strlen(f->name);
		SSM_TRY(decode_field(out, f, m->value, a, &sub));
	}
	return SSM_OK;
}

ssm_err ssm_api_decode(void *out, const ssm_api_shape *shape,
		       const ssm_json *obj, ssm_arena *arena)
{
	if (ssm_json_typeof(obj) != SSM_JSON_OBJECT) {
		ssm_json_type t = ssm_json_typeof(obj);

		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_API,
				      SSM_API_SERIALIZATION,
				      "body must be a JSON object, not %s%s",
				      t == SSM_JSON_NULL    ? ""
				      : t == SSM_JSON_ARRAY ? "an "
							    : "a ",
				      ssm_json_type_name(t));
	}
	return decode_shape(out, shape, obj, arena, NULL);
}

ssm_err ssm_api_decode_text(void *out, const ssm_api_shape *shape,
			    const char *text, size_t len, size_t max_input,
			    ssm_arena *arena)
{
	ssm_json_limits lim = { 0 };
	ssm_json_doc *doc = NULL;
	ssm_err error;

	memset(out, 0, shape->size);
	lim.max_input = max_input;
	lim.max_depth = SSM_API_MAX_DEPTH;
	lim.max_nodes = SSM_API_MAX_NODES;
	error = ssm_json_parse(&doc, text, len, &lim);
	if (error < 0) {
		char msg[SSM_ERROR_MESSAGE_MAX];

		if (ssm_error_last()->klass == SSM_ERRCLASS_NOMEMORY)
			return error;
		snprintf(msg, sizeof(msg), "%s", ssm_error_last()->message);
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_API,
				      SSM_API_SERIALIZATION,
				      "body is not valid JSON: %s", msg);
	}
	error = ssm_api_decode(out, shape, ssm_json_doc_root(doc), arena);
	ssm_json_doc_free(doc);
	return error;
}

/* ---- encoding ----------------------------------------------------------- */

static ssm_err encode_shape(ssm_jsonw *w, const ssm_api_shape *shape,
			    const void *value, const struct path *p);

static ssm_err encode_string(ssm_jsonw *w, const char *s, const struct path *p)
{
	size_t len = strlen(s);

	if (!ssm_utf8_valid(s, len, NULL))
		return serialization(p, "is not valid UTF-8");
	return ssm_jsonw_string(w, s, len);
}

static ssm_err encode_blob(ssm_jsonw *w, const ssm_api_blob *b)
{
	size_t n = SSM_BASE64_LEN(b->len) + 3;
	char *text = ssm__malloc(n);
	ssm_err error;

	if (!text)
		return SSM_ERROR;
	text[0] = '"';
	n = ssm_base64_encode(text + 1, b->ptr, b->len);
	text[n + 1] = '"';
	/* base64 needs no escaping */
	error = ssm_jsonw_raw(w, text, n + 2);
	ssm__free(text);
	return error;
}

static ssm_err encode_list(ssm_jsonw *w, const ssm_api_field *f,
			   const ssm_api_list *l, const struct path *p)
{
	struct path sub = { p, NULL, 0, 0 };
	size_t i;

	SSM_TRY(ssm_jsonw_array_begin(w));
	for (i = 0; i < l->count; i++) {
		sub.index = i;
		if (f->elem == SSM_API_STRUCT) {
			SSM_TRY(encode_shape(w, f->shape,
					     (const char *)l->items +
						     i * f->shape->size,
					     &sub));
		} else {
			const char *s = ((char *const *)l->items)[i];

			SSM_TRY(s ? encode_string(w, s, &sub)
				  : ssm_jsonw_null(w));
		}
	}
	return ssm_jsonw_array_end(w);
}

static ssm_err encode_map(ssm_jsonw *w, const ssm_api_field *f,
			  const ssm_api_map *m, const struct path *p)
{
	static const ssm_api_field strings = { .type = SSM_API_LIST,
					       .elem = SSM_API_STRING };
	struct path sub = { p, NULL, 0, 0 };
	size_t i;

	SSM_TRY(ssm_jsonw_object_begin(w));
	for (i = 0; i < m->count; i++) {
		const ssm_api_map_entry *e = &m->items[i];

		sub.name = e->key ? e->key : "";
		sub.name_len = strlen(sub.name);
		if (!ssm_utf8_valid(sub.name, sub.name_len, NULL))
			return serialization(p, "has a key that is not "
						"valid UTF-8");
		SSM_TRY(ssm_jsonw_key(w, sub.name, sub.name_len));
		if (f->elem == SSM_API_LIST)
			SSM_TRY(encode_list(w, &strings, &e->values, &sub));
		else if (e->value)
			SSM_TRY(encode_string(w, e->value, &sub));
		else
			SSM_TRY(ssm_jsonw_null(w));
	}
	return ssm_jsonw_object_end(w);
}

/* Write the field's key and value, or nothing when it is absent. */
static ssm_err encode_field(ssm_jsonw *w, const ssm_api_field *f,
			    const void *base, const struct path *p)
{
	const char *slot = (const char *)base + f->offset;
	bool zero = (f->flags & SSM_API_F_ZERO) != 0;

	switch (f->type) {
	case SSM_API_STRING: {
		const char *s = *(char *const *)slot;

		if (!s && !zero)
			return SSM_OK;
		SSM_TRY(ssm_jsonw_keyz(w, f->name));
		return s ? encode_string(w, s, p) : ssm_jsonw_string(w, "", 0);
	}
	case SSM_API_BOOL: {
		bool b = *(const bool *)slot;

		if (!b && !zero)
			return SSM_OK;
		SSM_TRY(ssm_jsonw_keyz(w, f->name));
		return ssm_jsonw_bool(w, b);
	}
	case SSM_API_INT: {
		int64_t i = *(const int64_t *)slot;

		if (!i && !zero)
			return SSM_OK;
		SSM_TRY(ssm_jsonw_keyz(w, f->name));
		return ssm_jsonw_int64(w, i);
	}
	case SSM_API_DOUBLE: {
		double d = *(const double *)slot;

		if (d == 0 && !zero)
			return SSM_OK;
		if (!isfinite(d))
			return serialization(p, "is not a finite number");
		SSM_TRY(ssm_jsonw_keyz(w, f->name));
		return ssm_jsonw_double(w, d);
	}
	case SSM_API_TIME: {
		int64_t ms = *(const int64_t *)slot;

		if (!ms && !zero)
			return SSM_OK;
		SSM_TRY(ssm_jsonw_keyz(w, f->name));
		return ssm_jsonw_epoch_ms(w, ms);
	}
	case SSM_API_ISOTIME: {
		int64_t ms = *(const int64_t *)slot;
		char iso[SSM_ISO8601_SIZE];

		if (!ms && !zero)
			return SSM_OK;
		if (ms && ssm_time_format_iso8601(iso, ms) < 0)
			return serialization(p, "is out of the ISO-8601 range");
		SSM_TRY(ssm_jsonw_keyz(w, f->name));
		return ssm_jsonw_stringz(w, ms ? iso : "");
	}
	case SSM_API_BLOB: {
		const ssm_api_blob *b = (const ssm_api_blob *)slot;

		if (!b->ptr && !b->len && !zero)
			return SSM_OK;
		SSM_TRY(ssm_jsonw_keyz(w, f->name));
		return encode_blob(w, b);
	}
	case SSM_API_STRUCT: {
		const void *sv = *(const void *const *)slot;

		if (!sv && !zero)
			return SSM_OK;
		SSM_TRY(ssm_jsonw_keyz(w, f->name));
		if (!sv) {
			SSM_TRY(ssm_jsonw_object_begin(w));
			return ssm_jsonw_object_end(w);
		}
		return encode_shape(w, f->shape, sv, p);
	}
	case SSM_API_LIST: {
		const ssm_api_list *l = (const ssm_api_list *)slot;

		if (!l->items && !l->count && !zero)
			return SSM_OK;
		SSM_TRY(ssm_jsonw_keyz(w, f->name));
		return encode_list(w, f, l, p);
	}
	case SSM_API_MAP: {
		const ssm_api_map *m = (const ssm_api_map *)slot;

		if (!m->items && !m->count && !zero)
			return SSM_OK;
		SSM_TRY(ssm_jsonw_keyz(w, f->name));
		return encode_map(w, f, m, p);
	}
	}
	return serialization(p, "has a type this build cannot encode");
}

static ssm_err encode_shape(ssm_jsonw *w, const ssm_api_shape *shape,
			    const void *value, const struct path *p)
{
	struct path sub = { p, NULL, 0, 0 };
	size_t i;

	SSM_TRY(ssm_jsonw_object_begin(w));
	for (i = 0; i < shape->nfields; i++) {
		sub.name = shape->fields[i].name;
		sub.name_len = strlen(sub.name);
		SSM_TRY(encode_field(w, &shape->fields[i], value, &sub));
	}
	return ssm_jsonw_object_end(w);
}

ssm_err ssm_api_encode(ssm_jsonw *w, const ssm_api_shape *shape,
		       const void *value)
{
	return encode_shape(w, shape, value, NULL);
}

ssm_err ssm_api_encode_text(ssm_str *out, const ssm_api_shape *shape,
			    const void *value)
{
	ssm_jsonw w;

	ssm_jsonw_init(&w, out, 0);
	SSM_TRY(ssm_api_encode(&w, shape, value));
	return ssm_jsonw_finish(&w);
}

/* ---- public ------------------------------------------------------------- */

ssm_err ssm_operation_encode_request(ssm_buf *out, const ssm_operation *op,
				     const void *request)
{
	ssm_str s = SSM_STR_INIT;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(op);
	SSM_ASSERT_ARG(request);
	error = ssm_api_encode_text(&s, op->input, request);
	if (error == SSM_OK)
		error = ssm_str_to_buf(out, &s);
	/* requests may hold secrets (PutParameter of a SecureString) */
	ssm_str_dispose_secure(&s);
	return error;
}

ssm_err ssm_operation_decode_response(void *response, const ssm_operation *op,
				      ssm_call *call, const char *json,
				      size_t len)
{
	ssm_err error;

	SSM_ASSERT_ARG(response);
	SSM_ASSERT_ARG(op);
	SSM_ASSERT_ARG(call);
	SSM_ASSERT_ARG(json || !len);
	error = ssm_api_decode_text(response, op->output, json ? json : "", len,
				    SSM_API_MAX_RESPONSE, &call->arena);
	if (error < 0 && ssm_error_last()->klass != SSM_ERRCLASS_NOMEMORY) {
		char msg[SSM_ERROR_MESSAGE_MAX];

		/* the server did not say SerializationException: we did */
		snprintf(msg, sizeof(msg), "%s", ssm_error_last()->message);
		error = ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_API, NULL,
				       "response of %s: %s", op->name, msg);
	}
	if (error < 0)
		memset(response, 0, op->output->size);
	return error;
}
