/* SPDX-License-Identifier: Apache-2.0 */
/* Parameter values: coercion of what callers send (SendCommand's lists of
 * strings, or JSON), defaults, and the checks of spec 1.3 (allowedValues,
 * allowedPattern with find-anywhere semantics, min/max items and chars).
 * Errors are InvalidParameters (Command, Session) or
 * InvalidAutomationExecutionParametersException (Automation) and name the
 * parameter. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/shape.h"
#include "core/alloc.h"
#include "core/encode.h"
#include "core/error.h"
#include "document/doc.h"

#define SHOW_MAX 100 /* bytes of a value quoted in a message */

static const char *err_name(const ssm_doc *doc)
{
	return doc->type == SSM_DOCUMENT_AUTOMATION
		       ? SSM_DOC_E_AUTOMATION_PARAMS
		       : SSM_DOC_E_PARAMS;
}

static ssm_err fail(const ssm_doc *doc, const char *fmt, ...)
	SSM_FORMAT_PRINTF(2, 3);

static ssm_err fail(const ssm_doc *doc, const char *fmt, ...)
{
	char msg[SSM_ERROR_MESSAGE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_DOCUMENT,
			      err_name(doc), "%s", msg);
}

/* The text checks look at: a string itself, anything else as JSON. */
static ssm_err value_text(ssm_str *tmp, const char **s, size_t *len,
			  const ssm_json *v)
{
	if (ssm_json_typeof(v) == SSM_JSON_STRING) {
		*s = ssm_json_str(v);
		*len = ssm_json_str_len(v);
		return SSM_OK;
	}
	ssm_str_clear(tmp);
	SSM_TRY(ssm_json_write(tmp, v, 0));
	*s = ssm_str_cstr(tmp);
	*len = tmp->size;
	return SSM_OK;
}

static int show_len(size_t len)
{
	return (int)(len > SHOW_MAX ? SHOW_MAX : len);
}

static ssm_err check_pattern(const ssm_doc *doc, const ssm_doc_param *p,
			     const char *s, size_t len)
{
	int rc;

	if (!p->re)
		return SSM_OK;
	rc = ssm_doc__regex_find(p->re, s, len);
	if (rc == 1)
		return SSM_OK;
	if (rc == -2)
		return SSM_ERROR;
	if (rc < 0)
		return fail(doc,
			    "parameter \"%s\": the allowed pattern /%s/ could "
			    "not be evaluated on the value (too complex)",
			    p->name, p->allowed_pattern);
	return fail(doc,
		    "parameter \"%s\": parameter value /%.*s%s/ does not match "
		    "the allowed pattern /%s/",
		    p->name, show_len(len), s, len > SHOW_MAX ? "..." : "",
		    p->allowed_pattern);
}

static ssm_err check_chars(const ssm_doc *doc, const ssm_doc_param *p,
			   const char *s, size_t len)
{
	int64_t n = ssm_api__utf8_length(s, len);

	if (n < 0)
		n = (int64_t)len;
	if (p->min_chars >= 0 && n < p->min_chars)
		return fail(doc,
			    "parameter \"%s\": parameter value /%.*s%s/ is "
			    "shorter than the min char count %lld",
			    p->name, show_len(len), s,
			    len > SHOW_MAX ? "..." : "",
			    (long long)p->min_chars);
	if (p->max_chars >= 0 && n > p->max_chars)
		return fail(doc,
			    "parameter \"%s\": parameter value /%.*s%s/ is "
			    "longer than the max char count %lld",
			    p->name, show_len(len), s,
			    len > SHOW_MAX ? "..." : "",
			    (long long)p->max_chars);
	return SSM_OK;
}

/* "[Install, Uninstall]" */
static ssm_err allowed_list(ssm_str *out, const ssm_json *allowed)
{
	size_t i;

	SSM_TRY(ssm_str_putc(out, '['));
	for (i = 0; i < ssm_json_size(allowed); i++) {
		const ssm_json *a = ssm_json_at(allowed, i);

		if (i)
			SSM_TRY(ssm_str_puts(out, ", "));
		if (ssm_json_typeof(a) == SSM_JSON_STRING)
			SSM_TRY(ssm_str_put(out, ssm_json_str(a),
					    ssm_json_str_len(a)));
		else
			SSM_TRY(ssm_json_write(out, a, 0));
		if (out->size > 600) {
			SSM_TRY(ssm_str_puts(out, "..."));
			break;
		}
	}
	return ssm_str_putc(out, ']');
}

static ssm_err check_allowed(const ssm_doc *doc, const ssm_doc_param *p,
			     const ssm_json *v, const char *s, size_t len)
{
	ssm_str list = SSM_STR_INIT;
	size_t i;
	ssm_err error;

	for (i = 0; i < ssm_json_size(p->allowed_values); i++)
		if (ssm_json_equal(ssm_json_at(p->allowed_values, i), v))
			return SSM_OK;
	error = allowed_list(&list, p->allowed_values);
	if (error == SSM_OK)
		error = fail(doc,
			     "Parameter \"%s\" has value \"%.*s%s\" not "
			     "found in %s.",
			     p->name, show_len(len), s,
			     len > SHOW_MAX ? "..." : "", ssm_str_cstr(&list));
	ssm_str_dispose(&list);
	return error;
}

static ssm_err check_items(const ssm_doc *doc, const ssm_doc_param *p, size_t n)
{
	if (p->min_items >= 0 && (int64_t)n < p->min_items)
		return fail(doc,
			    "parameter \"%s\": parameter value list length %zu "
			    "is less than the min item count %lld",
			    p->name, n, (long long)p->min_items);
	if (p->max_items >= 0 && (int64_t)n > p->max_items)
		return fail(doc,
			    "parameter \"%s\": parameter value list length %zu "
			    "exceeds the max item count %lld",
			    p->name, n, (long long)p->max_items);
	return SSM_OK;
}

ssm_err ssm_doc__check_value(const ssm_doc *doc, const ssm_doc_param *p,
			     const ssm_json *value, bool pattern_only)
{
	ssm_str tmp = SSM_STR_INIT;
	const char *s;
	size_t len, i;
	ssm_err error = SSM_OK;

	switch (p->type) {
	case SSM_DOCUMENT_PARAM_STRING_LIST:
		if (!pattern_only)
			error = check_items(doc, p, ssm_json_size(value));
		for (i = 0; error == SSM_OK && i < ssm_json_size(value); i++) {
			const ssm_json *e = ssm_json_at(value, i);

			s = ssm_json_str(e);
			len = ssm_json_str_len(e);
			if (!s)
				continue;
			if (!pattern_only)
				error = check_chars(doc, p, s, len);
			if (error == SSM_OK && !pattern_only &&
			    p->allowed_values)
				error = check_allowed(doc, p, e, s, len);
			if (error == SSM_OK)
				error = check_pattern(doc, p, s, len);
		}
		break;
	case SSM_DOCUMENT_PARAM_STRING:
	case SSM_DOCUMENT_PARAM_BOOLEAN:
	case SSM_DOCUMENT_PARAM_INTEGER:
	case SSM_DOCUMENT_PARAM_STRING_MAP:
	case SSM_DOCUMENT_PARAM_MAP_LIST:
		error = value_text(&tmp, &s, &len, value);
		if (error < 0)
			break;
		if (!pattern_only) {
			if (p->type == SSM_DOCUMENT_PARAM_MAP_LIST ||
			    p->type == SSM_DOCUMENT_PARAM_STRING_MAP)
				error = check_items(doc, p,
						    ssm_json_size(value));
			if (error == SSM_OK &&
			    p->type != SSM_DOCUMENT_PARAM_BOOLEAN &&
			    p->type != SSM_DOCUMENT_PARAM_INTEGER)
				error = check_chars(doc, p, s, len);
			if (error == SSM_OK && p->allowed_values)
				error = check_allowed(doc, p, value, s, len);
		}
		if (error == SSM_OK)
			error = check_pattern(doc, p, s, len);
		break;
	case SSM_DOCUMENT_PARAM_NONE:
		break;
	}
	ssm_str_dispose(&tmp);
	return error;
}

/* ---- binding ---------------------------------------------------------------
 */

void ssm_doc__bound_free(ssm_doc_bound *bound)
{
	if (!bound)
		return;
	ssm_json_doc_free(bound->tree);
	ssm__free(bound->values);
	ssm__free(bound->from_default);
	ssm__free(bound);
}

static bool has_ref(const ssm_json *v, int depth)
{
	ssm_doc_token tok;
	size_t i, from = 0;

	if (depth > SSM_JSON_DEFAULT_MAX_DEPTH)
		return false;
	switch (ssm_json_typeof(v)) {
	case SSM_JSON_STRING:
		while (ssm_doc__token_next(&tok, ssm_json_str(v),
					   ssm_json_str_len(v), from)) {
			if (tok.kind == SSM_DOC_TOK_SSM ||
			    tok.kind == SSM_DOC_TOK_SECURE)
				return true;
			from = tok.end;
		}
		return false;
	case SSM_JSON_ARRAY:
		for (i = 0; i < ssm_json_size(v); i++)
			if (has_ref(ssm_json_at(v, i), depth + 1))
				return true;
		return false;
	case SSM_JSON_OBJECT:
		for (i = 0; i < ssm_json_size(v); i++)
			if (has_ref(ssm_json_member_at(v, i)->value, depth + 1))
				return true;
		return false;
	default:
		return false;
	}
}

static bool fits(ssm_document_param_type type, const ssm_json *v)
{
	size_t i;

	switch (type) {
	case SSM_DOCUMENT_PARAM_STRING:
		return ssm_json_typeof(v) == SSM_JSON_STRING;
	case SSM_DOCUMENT_PARAM_STRING_LIST:
		if (ssm_json_typeof(v) != SSM_JSON_ARRAY)
			return false;
		for (i = 0; i < ssm_json_size(v); i++)
			if (ssm_json_typeof(ssm_json_at(v, i)) !=
			    SSM_JSON_STRING)
				return false;
		return true;
	case SSM_DOCUMENT_PARAM_BOOLEAN:
		return ssm_json_typeof(v) == SSM_JSON_BOOL;
	case SSM_DOCUMENT_PARAM_INTEGER:
		return ssm_json_is_integer(v) && v->u.num.i > -2147483648LL &&
		       v->u.num.i < 2147483647LL;
	case SSM_DOCUMENT_PARAM_MAP_LIST:
		if (ssm_json_typeof(v) != SSM_JSON_ARRAY)
			return false;
		for (i = 0; i < ssm_json_size(v); i++)
			if (ssm_json_typeof(ssm_json_at(v, i)) !=
			    SSM_JSON_OBJECT)
				return false;
		return true;
	case SSM_DOCUMENT_PARAM_STRING_MAP:
		return ssm_json_typeof(v) == SSM_JSON_OBJECT;
	case SSM_DOCUMENT_PARAM_NONE:
		break;
	}
	return false;
}

static const char *expectation(ssm_document_param_type type)
{
	switch (type) {
	case SSM_DOCUMENT_PARAM_STRING:
		return "a string";
	case SSM_DOCUMENT_PARAM_STRING_LIST:
		return "a list of strings";
	case SSM_DOCUMENT_PARAM_BOOLEAN:
		return "true or false";
	case SSM_DOCUMENT_PARAM_INTEGER:
		return "an integer between -2147483647 and 2147483646";
	case SSM_DOCUMENT_PARAM_MAP_LIST:
		return "a JSON list of objects";
	case SSM_DOCUMENT_PARAM_STRING_MAP:
		return "a JSON object";
	case SSM_DOCUMENT_PARAM_NONE:
		break;
	}
	return "a value";
}

/* Parse caller text as JSON into @bound's tree; NULL (no error set) when
 * it is not JSON. */
static ssm_err parse_json_text(ssm_json **out, ssm_doc_bound *bound,
			       const char *s, size_t len)
{
	ssm_json_limits lim = { .max_input = SSM_DOCUMENT_MAX_SIZE };
	ssm_json_doc *tmp = NULL;
	ssm_err error;

	*out = NULL;
	error = ssm_json_parse(&tmp, s, len, &lim);
	if (error == SSM_EINVALID || error == SSM_ELIMIT)
		return SSM_OK;
	if (error < 0)
		return error;
	error = ssm_json_copy(out, bound->tree, tmp->root);
	ssm_json_doc_free(tmp);
	return error;
}

static bool parse_int(int64_t *out, const char *s, size_t len)
{
	size_t i = 0;
	int64_t n = 0;
	bool neg = false;

	if (len && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == len || len - i > 10)
		return false;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		n = n * 10 + (s[i] - '0');
	}
	*out = neg ? -n : n;
	return *out > -2147483648LL && *out < 2147483647LL;
}

/* SendCommand's list of strings -> a value of the parameter's type. */
static ssm_err coerce(ssm_json **out, const ssm_doc *doc, ssm_doc_bound *bound,
		      const ssm_doc_param *p, const char *const *values,
		      size_t count)
{
	ssm_json *v = NULL, *e;
	size_t i;

	*out = NULL;
	if (p->type != SSM_DOCUMENT_PARAM_STRING_LIST &&
	    p->type != SSM_DOCUMENT_PARAM_MAP_LIST && count != 1)
		return fail(doc,
			    "parameter \"%s\" of type %s takes one value, "
			    "found %zu",
			    p->name, ssm_doc__param_type_name(p->type), count);
	switch (p->type) {
	case SSM_DOCUMENT_PARAM_STRING:
		SSM_TRY(ssm_json_new_string(&v, bound->tree, values[0],
					    strlen(values[0])));
		break;
	case SSM_DOCUMENT_PARAM_STRING_LIST:
		if (count == 1 &&
		    values[0][strspn(values[0], " \t\r\n")] == '[') {
			SSM_TRY(parse_json_text(&v, bound, values[0],
						strlen(values[0])));
			if (v && fits(p->type, v))
				break;
		}
		SSM_TRY(ssm_json_new_array(&v, bound->tree));
		for (i = 0; i < count; i++) {
			SSM_TRY(ssm_json_new_string(&e, bound->tree, values[i],
						    strlen(values[i])));
			SSM_TRY(ssm_json_array_append(bound->tree, v, e));
		}
		break;
	case SSM_DOCUMENT_PARAM_BOOLEAN:
		if (strcasecmp(values[0], "true") &&
		    strcasecmp(values[0], "false"))
			goto bad;
		SSM_TRY(ssm_json_new_bool(&v, bound->tree,
					  strcasecmp(values[0], "true") == 0));
		break;
	case SSM_DOCUMENT_PARAM_INTEGER: {
		int64_t n;

		if (!parse_int(&n, values[0], strlen(values[0])))
			goto bad;
		SSM_TRY(ssm_json_new_int64(&v, bound->tree, n));
		break;
	}
	case SSM_DOCUMENT_PARAM_STRING_MAP:
		SSM_TRY(parse_json_text(&v, bound, values[0],
					strlen(values[0])));
		if (!v || !fits(p->type, v))
			goto bad;
		break;
	case SSM_DOCUMENT_PARAM_MAP_LIST:
		if (count == 1) {
			SSM_TRY(parse_json_text(&v, bound, values[0],
						strlen(values[0])));
			if (v && fits(p->type, v))
				break;
			if (ssm_json_typeof(v) == SSM_JSON_OBJECT) {
				e = v;
				SSM_TRY(ssm_json_new_array(&v, bound->tree));
				SSM_TRY(ssm_json_array_append(bound->tree, v,
							      e));
				break;
			}
			goto bad;
		}
		SSM_TRY(ssm_json_new_array(&v, bound->tree));
		for (i = 0; i < count; i++) {
			SSM_TRY(parse_json_text(&e, bound, values[i],
						strlen(values[i])));
			if (ssm_json_typeof(e) != SSM_JSON_OBJECT)
				goto bad;
			SSM_TRY(ssm_json_array_append(bound->tree, v, e));
		}
		break;
	case SSM_DOCUMENT_PARAM_NONE:
		goto bad;
	}
	*out = v;
	return SSM_OK;
bad:
	return fail(doc, "parameter \"%s\" of type %s must be %s", p->name,
		    ssm_doc__param_type_name(p->type), expectation(p->type));
}

/* A JSON value from params_json -> the parameter's type. */
static ssm_err coerce_json(ssm_json **out, const ssm_doc *doc,
			   ssm_doc_bound *bound, const ssm_doc_param *p,
			   const ssm_json *v)
{
	if (fits(p->type, v) ||
	    (ssm_json_typeof(v) == SSM_JSON_STRING && has_ref(v, 0)))
		return ssm_json_copy(out, bound->tree, v);
	if (ssm_json_typeof(v) == SSM_JSON_STRING) {
		const char *one = ssm_json_str(v);

		return coerce(out, doc, bound, p, &one, 1);
	}
	if (p->type == SSM_DOCUMENT_PARAM_STRING_LIST &&
	    ssm_json_typeof(v) == SSM_JSON_ARRAY) {
		/* numbers and booleans in a list become their text */
		ssm_json *arr, *e;
		ssm_str text = SSM_STR_INIT;
		size_t i;
		ssm_err error = ssm_json_new_array(&arr, bound->tree);

		for (i = 0; error == SSM_OK && i < ssm_json_size(v); i++) {
			const ssm_json *x = ssm_json_at(v, i);

			ssm_str_clear(&text);
			if (ssm_json_typeof(x) == SSM_JSON_STRING)
				error = ssm_str_put(&text, ssm_json_str(x),
						    ssm_json_str_len(x));
			else if (ssm_json_typeof(x) == SSM_JSON_NUMBER ||
				 ssm_json_typeof(x) == SSM_JSON_BOOL)
				error = ssm_json_write(&text, x, 0);
			else
				error = fail(doc,
					     "parameter \"%s\" of type %s must "
					     "be %s",
					     p->name,
					     ssm_doc__param_type_name(p->type),
					     expectation(p->type));
			if (error == SSM_OK)
				error = ssm_json_new_string(&e, bound->tree,
							    ssm_str_cstr(&text),
							    text.size);
			if (error == SSM_OK)
				error = ssm_json_array_append(bound->tree, arr,
							      e);
		}
		ssm_str_dispose(&text);
		*out = error == SSM_OK ? arr : NULL;
		return error;
	}
	return fail(doc, "parameter \"%s\" of type %s must be %s", p->name,
		    ssm_doc__param_type_name(p->type), expectation(p->type));
}

static ssm_err unknown(const ssm_doc *doc, const ssm_doc_bind_args *args,
		       const char *name)
{
	if (args->document_name)
		return fail(doc,
			    "document %s does not support parameter \"%s\"",
			    args->document_name, name);
	return fail(doc, "the document does not support parameter \"%s\"",
		    name);
}

ssm_err ssm_doc__bind(ssm_doc_bound **out, const ssm_doc *doc,
		      const ssm_doc_bind_args *args)
{
	ssm_doc_bound *b;
	size_t i, k, total = doc->content_len;
	ssm_err error = SSM_OK;

	*out = NULL;
	b = ssm__calloc(1, sizeof(*b));
	if (!b)
		return SSM_ERROR;
	b->count = doc->nparams;
	if ((error = ssm_json_doc_new(&b->tree)) < 0)
		goto done;
	if (doc->nparams &&
	    (!(b->values = ssm__calloc(doc->nparams, sizeof(*b->values))) ||
	     !(b->from_default =
		       ssm__calloc(doc->nparams, sizeof(*b->from_default))))) {
		error = SSM_ERROR;
		goto done;
	}
	for (i = 0; i < args->params_count; i++) {
		const ssm_document_param_value *pv = &args->params[i];
		const ssm_doc_param *p;
		size_t at;

		if (!pv->name || (pv->count && !pv->values)) {
			error = ssm_error__set(SSM_EINVALID,
					       SSM_ERRCLASS_INVALID, NULL,
					       "parameter value %zu has no "
					       "name or values",
					       i + 1);
			goto done;
		}
		p = ssm_doc__param(doc, pv->name, strlen(pv->name));
		if (!p) {
			error = unknown(doc, args, pv->name);
			goto done;
		}
		at = (size_t)(p - doc->params);
		if (b->values[at]) {
			error = fail(doc, "parameter \"%s\" is given twice",
				     p->name);
			goto done;
		}
		for (k = 0; k < pv->count; k++) {
			size_t len;

			if (!pv->values[k]) {
				error = ssm_error__set(
					SSM_EINVALID, SSM_ERRCLASS_INVALID,
					NULL,
					"parameter \"%s\" has a NULL value",
					p->name);
				goto done;
			}
			len = strlen(pv->values[k]);
			if (!ssm_utf8_valid(pv->values[k], len, NULL)) {
				error = fail(doc,
					     "parameter \"%s\": the value "
					     "is not valid UTF-8",
					     p->name);
				goto done;
			}
			total += len;
		}
		if ((error = coerce(&b->values[at], doc, b, p, pv->values,
				    pv->count)) < 0)
			goto done;
	}
	for (i = 0; args->params_json && i < ssm_json_size(args->params_json);
	     i++) {
		const ssm_json_member *m =
			ssm_json_member_at(args->params_json, i);
		const ssm_doc_param *p =
			ssm_doc__param(doc, m->key, m->key_len);
		size_t at;

		if (!p) {
			error = unknown(doc, args, m->key);
			goto done;
		}
		at = (size_t)(p - doc->params);
		if ((error = coerce_json(&b->values[at], doc, b, p, m->value)) <
		    0)
			goto done;
		if (ssm_json_typeof(m->value) == SSM_JSON_STRING)
			total += ssm_json_str_len(m->value);
	}
	if (total > SSM_DOCUMENT_MAX_SIZE) {
		error = ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_DOCUMENT,
				       SSM_DOC_E_SIZE,
				       "the document and its parameter values "
				       "are %zu bytes; the limit is %d",
				       total, SSM_DOCUMENT_MAX_SIZE);
		goto done;
	}
	for (i = 0; i < doc->nparams; i++) {
		const ssm_doc_param *p = &doc->params[i];

		if (b->values[i]) {
			/* values with {{ssm:...}} are checked once resolved */
			if (!has_ref(b->values[i], 0) &&
			    (error = ssm_doc__check_value(doc, p, b->values[i],
							  false)) < 0)
				goto done;
			continue;
		}
		if (!p->def) {
			error = fail(doc, "missing required parameter \"%s\"",
				     p->name);
			goto done;
		}
		if ((error = ssm_json_copy(&b->values[i], b->tree, p->def)) < 0)
			goto done;
		b->from_default[i] = true;
	}
done:
	if (error < 0) {
		ssm_doc__bound_free(b);
		return error;
	}
	*out = b;
	return SSM_OK;
}
