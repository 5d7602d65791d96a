/* SPDX-License-Identifier: Apache-2.0 */
/* Document content -> the typed model (lib/document/doc.h), with AWS's
 * error names and messages that say where:
 *
 *   line 12, column 7: step 'install': inputs.runCommand: expected a string
 *   or a list of strings, found a number
 *
 * A problem is recorded by problem(): without a collector the first one
 * stops the parse; with one (ssm_document_validate, the CLI) validation goes
 * on and every problem is listed. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/time.h"
#include "core/yaml.h"
#include "document/doc.h"

#define PATH_MAX_LEN 400

#define K_NULL (1u << SSM_JSON_NULL)
#define K_BOOL (1u << SSM_JSON_BOOL)
#define K_NUMBER (1u << SSM_JSON_NUMBER)
#define K_STRING (1u << SSM_JSON_STRING)
#define K_ARRAY (1u << SSM_JSON_ARRAY)
#define K_OBJECT (1u << SSM_JSON_OBJECT)

struct pctx {
	ssm_doc *doc;
	ssm_arena *arena; /* the tree's: the model lives with it */
	ssm_doc_problems *problems;
	ssm_err first_err;
	const char *first_code;
	char first_msg[SSM_ERROR_MESSAGE_MAX];
	const char *step; /* the step being checked, for messages */
	const ssm_doc_plugin *plugin;
	char path[PATH_MAX_LEN];
	size_t plen;
};

/* ---- problems -------------------------------------------------------------
 */

void ssm_doc__problems_dispose(ssm_doc_problems *problems)
{
	if (!problems)
		return;
	ssm_arena_dispose(&problems->arena);
	problems->items = NULL;
	problems->count = problems->cap = 0;
}

static ssm_err record(struct pctx *c, const char *code, ssm_err err,
		      uint32_t line, uint32_t column, const char *message)
{
	ssm_doc_problems *p = c->problems;
	ssm_doc_problem *item;

	if (!c->first_err) {
		c->first_err = err;
		c->first_code = code;
		snprintf(c->first_msg, sizeof(c->first_msg), "%s", message);
	}
	if (!p)
		return err;
	if (p->count >= SSM_DOC_MAX_PROBLEMS)
		return SSM_OK;
	if (p->count == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		ssm_doc_problem *items =
			ssm_arena_alloc(&p->arena, cap * sizeof(*items));

		if (!items)
			return SSM_ERROR;
		if (p->count)
			memcpy(items, p->items, p->count * sizeof(*items));
		p->items = items;
		p->cap = cap;
	}
	item = &p->items[p->count];
	item->code = code;
	item->err = err;
	item->line = line;
	item->column = column;
	item->step = c->step ? ssm_arena_strdup(&p->arena, c->step) : NULL;
	item->field = ssm_arena_strndup(&p->arena, c->path, c->plen);
	item->message = ssm_arena_strdup(&p->arena, message);
	if ((c->step && !item->step) || !item->field || !item->message)
		return SSM_ERROR;
	p->count++;
	return SSM_OK;
}

/* Record a problem at @node (its line and column) about the current path.
 * Returns SSM_OK to go on (collecting), else the error to stop with. */
static ssm_err problem(struct pctx *c, const ssm_json *node, const char *code,
		       const char *fmt, ...) SSM_FORMAT_PRINTF(4, 5);

static ssm_err problem(struct pctx *c, const ssm_json *node, const char *code,
		       const char *fmt, ...)
{
	char text[512], msg[SSM_ERROR_MESSAGE_MAX];
	size_t n = 0;
	uint32_t line = ssm_json_line(node), column = ssm_json_column(node);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	msg[0] = '\0';
	if (line)
		n += (size_t)snprintf(msg, sizeof(msg),
				      "line %u, column %u: ", line, column);
	if (c->step && n < sizeof(msg))
		n += (size_t)snprintf(msg + n, sizeof(msg) - n,
				      "step '%s': ", c->step);
	if (c->plen && n < sizeof(msg))
		n += (size_t)snprintf(msg + n, sizeof(msg) - n,
				      "%.*s: ", (int)c->plen, c->path);
	if (n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - n, "%s", text);
	return record(c, code,
		      strcmp(code, SSM_DOC_E_SIZE) == 0 ? SSM_ELIMIT
							: SSM_EINVALID,
		      line, column, msg);
}

#define CONTENT SSM_DOC_E_CONTENT

/* ---- paths ------------------------------------------------------------- */

/* Append ".key" (or "key" at the start) to the path; returns the old
 * length for path_pop(). No snprintf: this runs for every field. */
static size_t path_key(struct pctx *c, const char *key)
{
	size_t saved = c->plen, n = strlen(key), room;

	room = sizeof(c->path) - 1 - c->plen;
	if (c->plen && room) {
		c->path[c->plen++] = '.';
		room--;
	}
	if (n > room)
		n = room;
	memcpy(c->path + c->plen, key, n);
	c->plen += n;
	c->path[c->plen] = '\0';
	return saved;
}

static size_t path_index(struct pctx *c, size_t i)
{
	size_t saved = c->plen;
	int n = snprintf(c->path + c->plen, sizeof(c->path) - c->plen, "[%zu]",
			 i);

	if (n > 0)
		c->plen += (size_t)n;
	if (c->plen >= sizeof(c->path))
		c->plen = sizeof(c->path) - 1;
	return saved;
}

static void path_pop(struct pctx *c, size_t saved)
{
	c->plen = saved;
	c->path[saved] = '\0';
}

/* ---- small checks --------------------------------------------------------
 */

static const char *kind_text(unsigned kinds)
{
	switch (kinds) {
	case K_STRING:
		return "a string";
	case K_BOOL:
		return "a boolean";
	case K_NUMBER:
		return "a number";
	case K_ARRAY:
		return "a list";
	case K_OBJECT:
		return "an object";
	case K_STRING | K_NUMBER:
		return "a string or a number";
	case K_STRING | K_NUMBER | K_BOOL:
		return "a string, number or boolean";
	case K_STRING | K_ARRAY:
		return "a string or a list of strings";
	case K_STRING | K_OBJECT:
		return "an object or a string";
	case K_STRING | K_BOOL:
		return "a boolean";
	}
	return "another type";
}

static const char *found_text(const ssm_json *v)
{
	switch (ssm_json_typeof(v)) {
	case SSM_JSON_NULL:
		return "null";
	case SSM_JSON_BOOL:
		return "a boolean";
	case SSM_JSON_NUMBER:
		return "a number";
	case SSM_JSON_STRING:
		return "a string";
	case SSM_JSON_ARRAY:
		return "a list";
	case SSM_JSON_OBJECT:
		return "an object";
	}
	return "something else";
}

/* true when @v is of one of @kinds; else records "expected X, found Y". */
static ssm_err expect(bool *ok, struct pctx *c, const ssm_json *v,
		      unsigned kinds)
{
	*ok = (kinds >> ssm_json_typeof(v)) & 1u;
	if (*ok)
		return SSM_OK;
	return problem(c, v, CONTENT, "expected %s, found %s", kind_text(kinds),
		       found_text(v));
}

static bool str_is(const ssm_json *v, const char *s)
{
	return ssm_json_typeof(v) == SSM_JSON_STRING &&
	       ssm_json_str_len(v) == strlen(s) &&
	       memcmp(ssm_json_str(v), s, ssm_json_str_len(v)) == 0;
}

static bool key_is(const ssm_json_member *m, const char *s)
{
	return m->key_len == strlen(s) && memcmp(m->key, s, m->key_len) == 0;
}

/* Check that every key of @obj is in @allowed (NULL-terminated). */
static ssm_err check_keys(struct pctx *c, const ssm_json *obj,
			  const char *const *allowed, const char *what)
{
	size_t i, k;

	for (i = 0; i < ssm_json_size(obj); i++) {
		const ssm_json_member *m = ssm_json_member_at(obj, i);

		for (k = 0; allowed[k]; k++)
			if (key_is(m, allowed[k]))
				break;
		if (!allowed[k]) {
			char q[64];
			const ssm_json *at = m->value;
			ssm_json pos = { 0 };

			pos.line = m->line;
			pos.column = m->column;
			if (m->line)
				at = &pos;
			SSM_TRY(problem(
				c, at, CONTENT, "unknown field %s in %s",
				ssm_json__quote(q, m->key, m->key_len), what));
		}
	}
	return SSM_OK;
}

/* A position for a member's key (for "unknown" and "duplicate"). */
static ssm_json key_pos(const ssm_json_member *m)
{
	ssm_json pos = { 0 };

	pos.line = m->line;
	pos.column = m->column;
	return pos;
}

static bool matches_charset(const char *s, size_t len, const char *extra)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char ch = s[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '_' ||
		    (ch && strchr(extra, ch)))
			continue;
		return false;
	}
	return len > 0;
}

/* Parse a non-negative integer from a number or a string; false for
 * anything else. */
static bool int_value(int64_t *out, const ssm_json *v)
{
	if (ssm_json_typeof(v) == SSM_JSON_NUMBER && ssm_json_is_integer(v)) {
		*out = v->u.num.i;
		return true;
	}
	if (ssm_json_typeof(v) == SSM_JSON_STRING) {
		const char *s = ssm_json_str(v);
		size_t i, len = ssm_json_str_len(v);
		int64_t n = 0;
		bool neg = false;

		i = 0;
		if (len && (s[0] == '-' || s[0] == '+')) {
			neg = s[0] == '-';
			i = 1;
		}
		if (i == len || len - i > 18)
			return false;
		for (; i < len; i++) {
			if (s[i] < '0' || s[i] > '9')
				return false;
			n = n * 10 + (s[i] - '0');
		}
		*out = neg ? -n : n;
		return true;
	}
	return false;
}

static bool has_token_kind(const ssm_json *v, ssm_doc_token_kind kind)
{
	ssm_doc_token tok;
	size_t from = 0;
	const char *s = ssm_json_str(v);
	size_t len = ssm_json_str_len(v);

	if (!s)
		return false;
	while (ssm_doc__token_next(&tok, s, len, from)) {
		if (tok.kind == kind)
			return true;
		from = tok.end;
	}
	return false;
}

static bool has_any_token(const ssm_json *v)
{
	ssm_doc_token tok;

	return ssm_json_typeof(v) == SSM_JSON_STRING &&
	       ssm_doc__token_next(&tok, ssm_json_str(v), ssm_json_str_len(v),
				   0);
}

/* The parameter a whole-token string names, or NULL. */
static const ssm_doc_param *whole_param(const ssm_doc *doc, const ssm_json *v)
{
	ssm_doc_token tok;

	if (ssm_json_typeof(v) != SSM_JSON_STRING ||
	    !ssm_doc__token_whole(&tok, ssm_json_str(v), ssm_json_str_len(v)) ||
	    tok.kind != SSM_DOC_TOK_PARAM)
		return NULL;
	return ssm_doc__param(doc, tok.body, tok.body_len);
}

/* ---- names of enums -------------------------------------------------------
 */

static const char *const type_names[] = {
	NULL,
	"Command",
	"Policy",
	"Automation",
	"Session",
	"Package",
	"ApplicationConfiguration",
	"ApplicationConfigurationSchema",
	"DeploymentStrategy",
	"ChangeCalendar",
	"Automation.ChangeTemplate",
	"ProblemAnalysis",
	"ProblemAnalysisTemplate",
	"CloudFormation",
	"ConformancePackTemplate",
	"QuickSetup",
};

const char *ssm_doc__type_name(ssm_document_type type)
{
	if ((unsigned)type >= sizeof(type_names) / sizeof(type_names[0]))
		return NULL;
	return type_names[type];
}

ssm_document_type ssm_doc__type_parse(const char *s, size_t len)
{
	size_t i;

	for (i = 1; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (strlen(type_names[i]) == len &&
		    memcmp(type_names[i], s, len) == 0)
			return (ssm_document_type)i;
	return SSM_DOCUMENT_TYPE_DEFAULT;
}

static const char *const param_type_names[] = {
	NULL,	   "String",  "StringList", "Boolean",
	"Integer", "MapList", "StringMap",
};

const char *ssm_doc__param_type_name(ssm_document_param_type type)
{
	if ((unsigned)type >=
	    sizeof(param_type_names) / sizeof(param_type_names[0]))
		return NULL;
	return param_type_names[type];
}

const char *ssm_doc__param_wire_type(ssm_document_param_type type)
{
	return type == SSM_DOCUMENT_PARAM_STRING_LIST ||
			       type == SSM_DOCUMENT_PARAM_MAP_LIST
		       ? "StringList"
		       : "String";
}

static ssm_document_param_type param_type_parse(const ssm_json *v)
{
	size_t i;

	for (i = 1; i < sizeof(param_type_names) / sizeof(param_type_names[0]);
	     i++)
		if (str_is(v, param_type_names[i]))
			return (ssm_document_param_type)i;
	return SSM_DOCUMENT_PARAM_NONE;
}

const char *ssm_doc__platform_name(ssm_document_platform p)
{
	switch (p) {
	case SSM_DOCUMENT_LINUX:
		return "Linux";
	case SSM_DOCUMENT_WINDOWS:
		return "Windows";
	case SSM_DOCUMENT_MACOS:
		return "MacOS";
	case SSM_DOCUMENT_PLATFORM_DEFAULT:
		break;
	}
	return NULL;
}

/* ---- lookups ------------------------------------------------------------- */

const ssm_doc_param *ssm_doc__param(const ssm_doc *doc, const char *name,
				    size_t len)
{
	size_t i;

	for (i = 0; i < doc->nparams; i++)
		if (strlen(doc->params[i].name) == len &&
		    memcmp(doc->params[i].name, name, len) == 0)
			return &doc->params[i];
	return NULL;
}

const ssm_doc_step *ssm_doc__step(const ssm_doc *doc, const char *name)
{
	size_t i;

	for (i = 0; i < doc->nsteps; i++)
		if (doc->steps[i].name && strcmp(doc->steps[i].name, name) == 0)
			return &doc->steps[i];
	return NULL;
}

/* ---- parameter values ------------------------------------------------------
 */

/* Does @v have the shape of a value of @type? */
static bool value_fits(ssm_document_param_type type, const ssm_json *v)
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
		/* 32-bit, bounds excluded as the agent checks them */
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

static const char *type_expectation(ssm_document_param_type type)
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
		return "a list of objects";
	case SSM_DOCUMENT_PARAM_STRING_MAP:
		return "an object";
	case SSM_DOCUMENT_PARAM_NONE:
		break;
	}
	return "a value";
}

/* ---- parameters ---------------------------------------------------------- */

static const char *const param_keys[] = {
	"type",		  "description", "default",	      "allowedValues",
	"allowedPattern", "displayType", "minItems",	      "maxItems",
	"minChars",	  "maxChars",	 "interpolationType", NULL,
};

/* minItems/maxItems/minChars/maxChars: the agent clamps garbage rather than
 * refusing it (min -> 0, max -> 2147483647). */
static int64_t bound_value(const ssm_json *v, bool is_max)
{
	int64_t n;

	if (!v)
		return -1;
	if (!int_value(&n, v) || n < 0 || n > 2147483647)
		return is_max ? 2147483647 : 0;
	return n;
}

static ssm_err default_text(const char **out, ssm_arena *arena,
			    const ssm_json *v)
{
	ssm_str s = SSM_STR_INIT;
	ssm_err error;

	if (ssm_json_typeof(v) == SSM_JSON_STRING) {
		*out = ssm_json_str(v);
		return SSM_OK;
	}
	error = ssm_json_write(&s, v, 0);
	if (error == SSM_OK) {
		*out = ssm_arena_strndup(arena, s.ptr ? s.ptr : "", s.size);
		if (!*out)
			error = SSM_ERROR;
	}
	ssm_str_dispose(&s);
	return error;
}

static bool is_command_like(const ssm_doc *doc)
{
	return doc->type == SSM_DOCUMENT_COMMAND ||
	       doc->type == SSM_DOCUMENT_POLICY;
}

static ssm_err parse_param(struct pctx *c, ssm_doc_param *p,
			   const ssm_json_member *m)
{
	const ssm_json *def = m->value, *v;
	bool ok;
	size_t saved;
	ssm_err error;

	p->name = m->key;
	p->node = def;
	p->min_items = p->max_items = p->min_chars = p->max_chars = -1;
	if (!matches_charset(m->key, m->key_len, "") || m->key_len > 128) {
		ssm_json pos = key_pos(m);

		SSM_TRY(problem(c, &pos, CONTENT,
				"parameter names may use letters, digits and "
				"'_' only (1 to 128 characters)"));
	}
	SSM_TRY(expect(&ok, c, def, K_OBJECT));
	if (!ok)
		return SSM_OK;
	SSM_TRY(check_keys(c, def, param_keys, "a parameter definition"));

	v = ssm_json_get(def, "type");
	saved = path_key(c, "type");
	if (!v) {
		error = problem(c, def, CONTENT, "the parameter has no type");
	} else {
		p->type = param_type_parse(v);
		if (!p->type)
			error = problem(c, v, CONTENT,
					"type must be String, StringList, "
					"Boolean, Integer, MapList or "
					"StringMap");
		else if (is_command_like(c->doc) &&
			 p->type != SSM_DOCUMENT_PARAM_STRING &&
			 p->type != SSM_DOCUMENT_PARAM_STRING_LIST)
			error = problem(c, v, CONTENT,
					"%s documents support only String and "
					"StringList parameters",
					ssm_doc__type_name(c->doc->type));
		else
			error = SSM_OK;
	}
	path_pop(c, saved);
	SSM_TRY(error);

	if ((v = ssm_json_get(def, "description"))) {
		saved = path_key(c, "description");
		error = expect(&ok, c, v, K_STRING);
		path_pop(c, saved);
		SSM_TRY(error);
		p->description = ssm_json_str(v);
	}
	if ((v = ssm_json_get(def, "displayType"))) {
		saved = path_key(c, "displayType");
		if (!str_is(v, "textfield") && !str_is(v, "textarea"))
			error = problem(c, v, CONTENT,
					"displayType must be textfield or "
					"textarea");
		else
			error = SSM_OK;
		path_pop(c, saved);
		SSM_TRY(error);
		p->display_type = ssm_json_str(v);
	}
	if ((v = ssm_json_get(def, "interpolationType"))) {
		saved = path_key(c, "interpolationType");
		if (!str_is(v, "ENV_VAR"))
			error = problem(c, v, CONTENT,
					"interpolationType must be ENV_VAR");
		else if (c->doc->type != SSM_DOCUMENT_COMMAND ||
			 c->doc->schema_major != 2 || c->doc->schema_minor != 2)
			error = problem(c, v, CONTENT,
					"interpolationType needs a schema 2.2 "
					"Command document");
		else
			error = SSM_OK;
		if (error == SSM_OK && p->type &&
		    p->type != SSM_DOCUMENT_PARAM_STRING)
			error = problem(c, v, CONTENT,
					"interpolationType ENV_VAR is for "
					"String parameters");
		path_pop(c, saved);
		SSM_TRY(error);
		p->env_var = str_is(v, "ENV_VAR");
	}
	p->min_items = bound_value(ssm_json_get(def, "minItems"), false);
	p->max_items = bound_value(ssm_json_get(def, "maxItems"), true);
	p->min_chars = bound_value(ssm_json_get(def, "minChars"), false);
	p->max_chars = bound_value(ssm_json_get(def, "maxChars"), true);

	if ((v = ssm_json_get(def, "allowedPattern"))) {
		saved = path_key(c, "allowedPattern");
		error = expect(&ok, c, v, K_STRING);
		if (error == SSM_OK && ok) {
			p->allowed_pattern = ssm_json_str(v);
			error = ssm_doc__regex_compile(&p->re, ssm_json_str(v),
						       ssm_json_str_len(v));
			if (error == SSM_EINVALID)
				error = problem(c, v, CONTENT,
						"not a valid regular "
						"expression: %s",
						ssm_error_last()->message);
		}
		path_pop(c, saved);
		SSM_TRY(error);
	}
	if ((v = ssm_json_get(def, "allowedValues"))) {
		size_t i;

		saved = path_key(c, "allowedValues");
		error = expect(&ok, c, v, K_ARRAY);
		for (i = 0;
		     error == SSM_OK && ok && p->type && i < ssm_json_size(v);
		     i++) {
			const ssm_json *e = ssm_json_at(v, i);
			ssm_document_param_type et =
				p->type == SSM_DOCUMENT_PARAM_STRING_LIST
					? SSM_DOCUMENT_PARAM_STRING
				: p->type == SSM_DOCUMENT_PARAM_MAP_LIST
					? SSM_DOCUMENT_PARAM_STRING_MAP
					: p->type;

			if (!value_fits(et, e)) {
				size_t s2 = path_index(c, i);

				error = problem(
					c, e, CONTENT, "expected %s, found %s",
					type_expectation(et), found_text(e));
				path_pop(c, s2);
			}
		}
		path_pop(c, saved);
		SSM_TRY(error);
		if (ok)
			p->allowed_values = v;
	}
	if ((v = ssm_json_get(def, "default"))) {
		saved = path_key(c, "default");
		error = SSM_OK;
		if (ssm_json_typeof(v) == SSM_JSON_STRING &&
		    has_token_kind(v, SSM_DOC_TOK_SECURE)) {
			error = problem(c, v, CONTENT,
					"{{ssm-secure:...}} references are not "
					"allowed in parameters");
		} else if (ssm_json_typeof(v) == SSM_JSON_STRING &&
			   has_token_kind(v, SSM_DOC_TOK_SSM)) {
			/* resolved later; its type is the store's */
		} else if (p->type && !value_fits(p->type, v)) {
			error = problem(c, v, CONTENT,
					"the default of a %s parameter must be "
					"%s, found %s",
					ssm_doc__param_type_name(p->type),
					type_expectation(p->type),
					found_text(v));
		} else if (p->type) {
			p->def = v; /* check_value reads it */
			error = ssm_doc__check_value(c->doc, p, v, false);
			if (error == SSM_EINVALID)
				error = problem(c, v, CONTENT, "%s",
						ssm_error_last()->message);
		}
		path_pop(c, saved);
		SSM_TRY(error);
		p->def = v;
		SSM_TRY(default_text(&p->default_text, c->arena, v));
	}
	return SSM_OK;
}

static ssm_err parse_params(struct pctx *c, const ssm_json *params)
{
	size_t i, n, saved;
	bool ok;
	ssm_err error = SSM_OK;

	saved = path_key(c, "parameters");
	SSM_TRY(expect(&ok, c, params, K_OBJECT));
	if (!ok) {
		path_pop(c, saved);
		return SSM_OK;
	}
	n = ssm_json_size(params);
	if (n) {
		c->doc->params =
			ssm_arena_calloc(c->arena, n, sizeof(*c->doc->params));
		if (!c->doc->params)
			return SSM_ERROR;
	}
	for (i = 0; i < n && error == SSM_OK; i++) {
		const ssm_json_member *m = ssm_json_member_at(params, i);
		size_t s2 = path_key(c, m->key);

		/* parameters defined before may be referenced by name */
		error = parse_param(c, &c->doc->params[i], m);
		c->doc->nparams = i + 1;
		path_pop(c, s2);
	}
	path_pop(c, saved);
	return error;
}

/* ---- values of plugin inputs ------------------------------------------ */

/* Which parameter types may feed an input of @kind as a whole token. */
static bool kind_accepts(ssm_doc_in kind, ssm_document_param_type t)
{
	switch (kind) {
	case SSM_DOC_IN_ANY:
		return true;
	case SSM_DOC_IN_STRING:
	case SSM_DOC_IN_SECRET:
		return t == SSM_DOCUMENT_PARAM_STRING;
	case SSM_DOC_IN_SCALAR:
		return t == SSM_DOCUMENT_PARAM_STRING ||
		       t == SSM_DOCUMENT_PARAM_INTEGER ||
		       t == SSM_DOCUMENT_PARAM_BOOLEAN;
	case SSM_DOC_IN_STRINGS:
		return t == SSM_DOCUMENT_PARAM_STRING ||
		       t == SSM_DOCUMENT_PARAM_STRING_LIST;
	case SSM_DOC_IN_STRING_LIST:
		return t == SSM_DOCUMENT_PARAM_STRING_LIST;
	case SSM_DOC_IN_MAP:
		return t == SSM_DOCUMENT_PARAM_STRING_MAP;
	case SSM_DOC_IN_MAP_OR_STRING:
		return t == SSM_DOCUMENT_PARAM_STRING_MAP ||
		       t == SSM_DOCUMENT_PARAM_STRING;
	case SSM_DOC_IN_BOOL:
		return t == SSM_DOCUMENT_PARAM_BOOLEAN ||
		       t == SSM_DOCUMENT_PARAM_STRING;
	case SSM_DOC_IN_INT:
		return t == SSM_DOCUMENT_PARAM_INTEGER ||
		       t == SSM_DOCUMENT_PARAM_STRING;
	case SSM_DOC_IN_LIST:
		return t == SSM_DOCUMENT_PARAM_STRING_LIST ||
		       t == SSM_DOCUMENT_PARAM_MAP_LIST;
	}
	return false;
}

static const char *in_text(ssm_doc_in kind)
{
	switch (kind) {
	case SSM_DOC_IN_ANY:
		return "a value";
	case SSM_DOC_IN_STRING:
	case SSM_DOC_IN_SECRET:
		return "a string";
	case SSM_DOC_IN_SCALAR:
		return "a string or a number";
	case SSM_DOC_IN_STRINGS:
		return "a string or a list of strings";
	case SSM_DOC_IN_STRING_LIST:
		return "a list of strings";
	case SSM_DOC_IN_MAP:
		return "an object";
	case SSM_DOC_IN_MAP_OR_STRING:
		return "an object or a string";
	case SSM_DOC_IN_BOOL:
		return "true or false";
	case SSM_DOC_IN_INT:
		return "an integer";
	case SSM_DOC_IN_LIST:
		return "a list";
	}
	return "a value";
}

static bool strings_nested(const ssm_doc *doc, const ssm_json *v, int depth)
{
	size_t i;

	if (depth > 8)
		return false;
	if (ssm_json_typeof(v) == SSM_JSON_STRING)
		return true;
	if (ssm_json_typeof(v) != SSM_JSON_ARRAY)
		return false;
	for (i = 0; i < ssm_json_size(v); i++)
		if (!strings_nested(doc, ssm_json_at(v, i), depth + 1))
			return false;
	return true;
}

/* A whole-token string naming a parameter whose type cannot feed @kind.
 * Returns that parameter or NULL. */
static const ssm_doc_param *misfit_param(const ssm_doc *doc, const ssm_json *v,
					 ssm_doc_in kind)
{
	const ssm_doc_param *p = whole_param(doc, v);

	if (p && p->type && !kind_accepts(kind, p->type))
		return p;
	return NULL;
}

static ssm_err check_kind(struct pctx *c, const ssm_json *v, ssm_doc_in kind)
{
	const ssm_doc_param *p;
	bool ok = true;
	size_t i;

	if (ssm_json_typeof(v) == SSM_JSON_STRING && whole_param(c->doc, v)) {
		p = misfit_param(c->doc, v, kind);
		if (p)
			return problem(c, v, CONTENT,
				       "parameter '%s' of type %s cannot be "
				       "used here (expects %s)",
				       p->name,
				       ssm_doc__param_type_name(p->type),
				       in_text(kind));
		return SSM_OK;
	}
	switch (kind) {
	case SSM_DOC_IN_ANY:
		break;
	case SSM_DOC_IN_STRING:
	case SSM_DOC_IN_SECRET:
		ok = ssm_json_typeof(v) == SSM_JSON_STRING;
		break;
	case SSM_DOC_IN_SCALAR:
		ok = ssm_json_typeof(v) == SSM_JSON_STRING ||
		     ssm_json_typeof(v) == SSM_JSON_NUMBER ||
		     ssm_json_typeof(v) == SSM_JSON_BOOL;
		break;
	case SSM_DOC_IN_STRINGS:
		ok = strings_nested(c->doc, v, 0);
		for (i = 0; ok && i < ssm_json_size(v); i++) {
			const ssm_json *e = ssm_json_at(v, i);

			p = misfit_param(c->doc, e, SSM_DOC_IN_STRINGS);
			if (p) {
				size_t s = path_index(c, i);
				ssm_err error = problem(
					c, e, CONTENT,
					"parameter '%s' of type %s cannot be "
					"used here (expects %s)",
					p->name,
					ssm_doc__param_type_name(p->type),
					in_text(kind));

				path_pop(c, s);
				SSM_TRY(error);
			}
		}
		break;
	case SSM_DOC_IN_STRING_LIST:
		ok = ssm_json_typeof(v) == SSM_JSON_ARRAY;
		for (i = 0; ok && i < ssm_json_size(v); i++) {
			const ssm_json *e = ssm_json_at(v, i);

			if (ssm_json_typeof(e) != SSM_JSON_STRING) {
				size_t s = path_index(c, i);
				ssm_err error = problem(c, e, CONTENT,
							"expected a string, "
							"found %s",
							found_text(e));

				path_pop(c, s);
				SSM_TRY(error);
			}
		}
		break;
	case SSM_DOC_IN_MAP:
		ok = ssm_json_typeof(v) == SSM_JSON_OBJECT;
		break;
	case SSM_DOC_IN_MAP_OR_STRING:
		ok = ssm_json_typeof(v) == SSM_JSON_OBJECT ||
		     ssm_json_typeof(v) == SSM_JSON_STRING;
		break;
	case SSM_DOC_IN_BOOL:
		ok = ssm_json_typeof(v) == SSM_JSON_BOOL ||
		     (ssm_json_typeof(v) == SSM_JSON_STRING &&
		      (has_any_token(v) ||
		       strcasecmp(ssm_json_str(v), "true") == 0 ||
		       strcasecmp(ssm_json_str(v), "false") == 0));
		break;
	case SSM_DOC_IN_INT: {
		int64_t n;

		ok = int_value(&n, v) || has_any_token(v);
		break;
	}
	case SSM_DOC_IN_LIST:
		ok = ssm_json_typeof(v) == SSM_JSON_ARRAY;
		break;
	}
	if (!ok)
		return problem(c, v, CONTENT, "expected %s, found %s",
			       in_text(kind), found_text(v));
	return SSM_OK;
}

/* Where may {{ssm-secure:...}} appear, walking a value under @path. */
static ssm_err check_secrets(struct pctx *c, const ssm_json *v, const char *rel,
			     int depth)
{
	size_t i;

	if (depth > SSM_JSON_DEFAULT_MAX_DEPTH)
		return SSM_OK;
	switch (ssm_json_typeof(v)) {
	case SSM_JSON_STRING:
		if (has_token_kind(v, SSM_DOC_TOK_SECURE) &&
		    !ssm_doc__secure_allowed(c->plugin, rel) &&
		    !(c->plugin && strcmp(rel, "sourceInfo") == 0 &&
		      ssm_doc__secure_allowed(c->plugin,
					      "sourceInfo.tokenInfo")))
			return problem(c, v, CONTENT,
				       "{{ssm-secure:...}} references are "
				       "not allowed in this field");
		if (c->doc->type == SSM_DOCUMENT_AUTOMATION &&
		    has_token_kind(v, SSM_DOC_TOK_SSM))
			return problem(c, v, CONTENT,
				       "{{ssm:...}} references are not "
				       "allowed in Automation step inputs "
				       "(use them in parameter defaults)");
		return SSM_OK;
	case SSM_JSON_ARRAY:
		for (i = 0; i < ssm_json_size(v); i++) {
			size_t s = path_index(c, i);
			ssm_err error = check_secrets(c, ssm_json_at(v, i), rel,
						      depth + 1);

			path_pop(c, s);
			SSM_TRY(error);
		}
		return SSM_OK;
	case SSM_JSON_OBJECT:
		for (i = 0; i < ssm_json_size(v); i++) {
			const ssm_json_member *m = ssm_json_member_at(v, i);
			char sub[200];
			size_t s = path_key(c, m->key);
			ssm_err error;

			size_t rl = strlen(rel), kl = m->key_len;

			/* rel.key, cut to fit (no snprintf: every member) */
			if (rl > sizeof(sub) - 2)
				rl = sizeof(sub) - 2;
			memcpy(sub, rel, rl);
			if (rl)
				sub[rl++] = '.';
			if (kl > sizeof(sub) - 1 - rl)
				kl = sizeof(sub) - 1 - rl;
			memcpy(sub + rl, m->key, kl);
			sub[rl + kl] = '\0';
			error = check_secrets(c, m->value, sub, depth + 1);
			path_pop(c, s);
			SSM_TRY(error);
		}
		return SSM_OK;
	default:
		return SSM_OK;
	}
}

/* The inputs of a Command plugin or Automation action. */
static ssm_err check_inputs(struct pctx *c, const ssm_doc_plugin *plugin,
			    const ssm_json *inputs, const ssm_json *at,
			    bool legacy_id)
{
	size_t i;

	c->plugin = plugin;
	if (inputs) {
		bool ok;

		SSM_TRY(expect(&ok, c, inputs, K_OBJECT));
		if (!ok)
			return SSM_OK;
	}
	for (i = 0; inputs && i < ssm_json_size(inputs); i++) {
		const ssm_json_member *m = ssm_json_member_at(inputs, i);
		const ssm_doc_input *in =
			ssm_doc__plugin_input(plugin, m->key, m->key_len);
		size_t s = path_key(c, m->key);
		ssm_err error = SSM_OK;

		if (!in && !plugin->open && !(legacy_id && key_is(m, "id"))) {
			ssm_json pos = key_pos(m);
			char q[64];

			error = problem(c, &pos, CONTENT, "%s has no input %s",
					plugin->name,
					ssm_json__quote(q, m->key, m->key_len));
		} else if (in) {
			error = check_kind(c, m->value, in->kind);
		}
		if (error == SSM_OK)
			error = check_secrets(c, m->value, m->key, 0);
		path_pop(c, s);
		SSM_TRY(error);
	}
	for (i = 0; i < plugin->ninputs; i++) {
		if (!plugin->inputs[i].required)
			continue;
		if (!inputs || !ssm_json_get(inputs, plugin->inputs[i].name))
			SSM_TRY(problem(c, inputs ? inputs : at, CONTENT,
					"%s needs the input '%s'", plugin->name,
					plugin->inputs[i].name));
	}
	return SSM_OK;
}

/* ---- Command steps --------------------------------------------------------
 */

static const char *const step_keys_cmd[] = {
	"action",      "name",	    "inputs",	"precondition",
	"maxAttempts", "onFailure", "settings", "timeoutSeconds",
	"description", NULL,
};

static ssm_err check_precondition(struct pctx *c, const ssm_json *pre)
{
	const ssm_json_member *m;
	const ssm_json *args, *a, *b;
	bool ok;
	size_t i;

	SSM_TRY(expect(&ok, c, pre, K_OBJECT));
	if (!ok)
		return SSM_OK;
	if (ssm_json_size(pre) != 1)
		return problem(c, pre, CONTENT,
			       "a precondition has exactly one operator "
			       "(StringEquals)");
	m = ssm_json_member_at(pre, 0);
	if (!key_is(m, "StringEquals")) {
		ssm_json pos = key_pos(m);
		char q[64];

		return problem(c, &pos, CONTENT,
			       "unrecognized operator %s (only StringEquals)",
			       ssm_json__quote(q, m->key, m->key_len));
	}
	args = m->value;
	if (ssm_json_typeof(args) != SSM_JSON_ARRAY ||
	    ssm_json_size(args) != 2 ||
	    ssm_json_typeof(ssm_json_at(args, 0)) != SSM_JSON_STRING ||
	    ssm_json_typeof(ssm_json_at(args, 1)) != SSM_JSON_STRING)
		return problem(c, args, CONTENT,
			       "StringEquals takes a list of two strings");
	a = ssm_json_at(args, 0);
	b = ssm_json_at(args, 1);
	for (i = 0; i < 2; i++) {
		const ssm_json *x = ssm_json_at(args, i);

		if (has_token_kind(x, SSM_DOC_TOK_SSM) ||
		    has_token_kind(x, SSM_DOC_TOK_SECURE))
			return problem(c, x, CONTENT,
				       "preconditions may not use {{ssm:...}} "
				       "or {{ssm-secure:...}} references");
	}
	if (ssm_json_equal(a, b))
		return problem(c, args, CONTENT,
			       "the two arguments of StringEquals are "
			       "identical");
	if (str_is(a, "platformType")) {
		if (has_token_kind(b, SSM_DOC_TOK_PARAM))
			return problem(c, b, CONTENT,
				       "the platform of a platformType "
				       "comparison cannot come from a "
				       "parameter");
		return SSM_OK;
	}
	if (!has_token_kind(a, SSM_DOC_TOK_PARAM) &&
	    !has_token_kind(b, SSM_DOC_TOK_PARAM))
		return problem(c, args, CONTENT,
			       "StringEquals compares platformType or a "
			       "document parameter; neither argument is one");
	return SSM_OK;
}

/* Step names: unique; @charset the extra characters allowed. */
static ssm_err step_name(struct pctx *c, ssm_doc_step *st, const ssm_json *v,
			 const ssm_json *at, size_t index, const char *extra)
{
	size_t i;
	bool ok;

	if (!v)
		return problem(c, at, CONTENT, "the step has no name");
	SSM_TRY(expect(&ok, c, v, K_STRING));
	if (!ok)
		return SSM_OK;
	if (!matches_charset(ssm_json_str(v), ssm_json_str_len(v), extra) ||
	    ssm_json_str_len(v) > 128)
		return problem(c, v, CONTENT,
			       "step names may use letters, digits and %s "
			       "only (1 to 128 characters)",
			       *extra ? "'_', '-', '.'" : "'_'");
	for (i = 0; i < index; i++)
		if (c->doc->steps[i].name &&
		    strcmp(c->doc->steps[i].name, ssm_json_str(v)) == 0)
			return problem(c, v, CONTENT,
				       "duplicate step name '%s'",
				       ssm_json_str(v));
	st->name = ssm_json_str(v);
	return SSM_OK;
}

static ssm_err parse_command_step(struct pctx *c, size_t index,
				  const ssm_json *node)
{
	ssm_doc_step *st = &c->doc->steps[index];
	const ssm_json *v;
	bool ok;
	size_t s;
	ssm_err error;

	st->node = node;
	st->timeout_seconds = -1;
	st->max_attempts = 1;
	SSM_TRY(expect(&ok, c, node, K_OBJECT));
	if (!ok)
		return SSM_OK;
	SSM_TRY(check_keys(c, node, step_keys_cmd, "a step"));
	s = path_key(c, "name");
	error = step_name(c, st, ssm_json_get(node, "name"), node, index, "-.");
	path_pop(c, s);
	SSM_TRY(error);
	c->step = st->name;

	v = ssm_json_get(node, "action");
	s = path_key(c, "action");
	if (!v) {
		error = problem(c, node, CONTENT, "the step has no action");
	} else if ((error = expect(&ok, c, v, K_STRING)) == SSM_OK && ok) {
		st->action = ssm_json_str(v);
		st->plugin = ssm_doc__plugin(st->action, ssm_json_str_len(v),
					     SSM_DOC_PLUGIN_COMMAND);
		if (!st->plugin)
			error = problem(c, v, CONTENT,
					"unknown action '%s' (not a plugin of "
					"Command documents)",
					st->action);
	}
	path_pop(c, s);
	SSM_TRY(error);

	if ((v = ssm_json_get(node, "description"))) {
		s = path_key(c, "description");
		error = expect(&ok, c, v, K_STRING);
		path_pop(c, s);
		SSM_TRY(error);
		st->description = ssm_json_str(v);
	}
	v = ssm_json_get(node, "inputs");
	if (st->plugin) {
		s = path_key(c, "inputs");
		error = check_inputs(c, st->plugin, v, node, false);
		path_pop(c, s);
		SSM_TRY(error);
	}
	if (ssm_json_typeof(v) == SSM_JSON_OBJECT)
		st->inputs = v;
	if ((v = ssm_json_get(node, "precondition"))) {
		s = path_key(c, "precondition");
		if (c->doc->schema_major == 2 && c->doc->schema_minor < 2)
			error = problem(c, v, CONTENT,
					"Precondition is not supported for "
					"document schema version prior to "
					"2.2");
		else
			error = check_precondition(c, v);
		path_pop(c, s);
		SSM_TRY(error);
		st->precondition = v;
	}
	c->step = NULL;
	c->plugin = NULL;
	return SSM_OK;
}

static ssm_err parse_main_steps(struct pctx *c, const ssm_json *root,
				ssm_err (*one)(struct pctx *, size_t,
					       const ssm_json *))
{
	const ssm_json *steps = ssm_json_get(root, "mainSteps");
	size_t i, n, s;
	bool ok;
	ssm_err error = SSM_OK;

	if (!steps)
		return problem(c, root, CONTENT, "mainSteps is required");
	s = path_key(c, "mainSteps");
	error = expect(&ok, c, steps, K_ARRAY);
	if (error == SSM_OK && ok && !ssm_json_size(steps))
		error = problem(c, steps, CONTENT,
				"the document needs at least one step");
	path_pop(c, s);
	SSM_TRY(error);
	if (!ok || !(n = ssm_json_size(steps)))
		return SSM_OK;
	c->doc->steps = ssm_arena_calloc(c->arena, n, sizeof(*c->doc->steps));
	if (!c->doc->steps)
		return SSM_ERROR;
	c->doc->nsteps = n;
	for (i = 0; i < n && error == SSM_OK; i++) {
		s = path_key(c, "mainSteps");
		path_index(c, i);
		error = one(c, i, ssm_json_at(steps, i));
		c->step = NULL;
		c->plugin = NULL;
		path_pop(c, s);
	}
	return error;
}

/* Schema 1.2: runtimeConfig -> one step per properties entry, in document
 * order (AWS runs the plugins in no set order). */
static ssm_err parse_runtime_config(struct pctx *c, const ssm_json *root)
{
	const ssm_json *rc = ssm_json_get(root, "runtimeConfig");
	size_t i, k, n = 0, s, at = 0;
	bool ok;
	ssm_err error = SSM_OK;

	if (!rc)
		return problem(c, root, CONTENT, "runtimeConfig is required");
	s = path_key(c, "runtimeConfig");
	error = expect(&ok, c, rc, K_OBJECT);
	if (error == SSM_OK && ok && !ssm_json_size(rc))
		error = problem(c, rc, CONTENT,
				"runtimeConfig needs at least one plugin");
	path_pop(c, s);
	SSM_TRY(error);
	if (!ok)
		return SSM_OK;
	for (i = 0; i < ssm_json_size(rc); i++) {
		const ssm_json *props = ssm_json_get(
			ssm_json_member_at(rc, i)->value, "properties");

		n += ssm_json_typeof(props) == SSM_JSON_ARRAY
			     ? ssm_json_size(props)
			     : 1;
	}
	if (n) {
		c->doc->steps =
			ssm_arena_calloc(c->arena, n, sizeof(*c->doc->steps));
		if (!c->doc->steps)
			return SSM_ERROR;
	}
	for (i = 0; i < ssm_json_size(rc) && error == SSM_OK; i++) {
		const ssm_json_member *m = ssm_json_member_at(rc, i);
		const ssm_doc_plugin *plugin = ssm_doc__plugin(
			m->key, m->key_len, SSM_DOC_PLUGIN_COMMAND);
		const ssm_json *cfg = m->value, *props;
		size_t nprops;
		static const char *const cfg_keys[] = { "properties",
							"description", NULL };

		s = path_key(c, "runtimeConfig");
		path_key(c, m->key);
		if (!plugin) {
			ssm_json pos = key_pos(m);

			error = problem(c, &pos, CONTENT, "unknown plugin '%s'",
					m->key);
			path_pop(c, s);
			continue;
		}
		if (plugin->min_schema > 12) {
			ssm_json pos = key_pos(m);

			error = problem(c, &pos, CONTENT,
					"%s needs schemaVersion 2.0 or later",
					plugin->name);
			path_pop(c, s);
			continue;
		}
		error = expect(&ok, c, cfg, K_OBJECT);
		if (error == SSM_OK && ok)
			error = check_keys(c, cfg, cfg_keys, "a plugin");
		if (error < 0 || !ok) {
			path_pop(c, s);
			continue;
		}
		props = ssm_json_get(cfg, "properties");
		if (!props) {
			error = problem(c, cfg, CONTENT,
					"the plugin has no properties");
			path_pop(c, s);
			continue;
		}
		path_key(c, "properties");
		nprops = ssm_json_typeof(props) == SSM_JSON_ARRAY
				 ? ssm_json_size(props)
				 : 1;
		for (k = 0; k < nprops && error == SSM_OK; k++) {
			const ssm_json *entry =
				ssm_json_typeof(props) == SSM_JSON_ARRAY
					? ssm_json_at(props, k)
					: props;
			ssm_doc_step *st = &c->doc->steps[at++];
			size_t s2 = c->plen;
			const ssm_json *id = ssm_json_get(entry, "id");

			if (ssm_json_typeof(props) == SSM_JSON_ARRAY)
				path_index(c, k);
			st->node = entry;
			st->action = plugin->name;
			st->plugin = plugin;
			st->timeout_seconds = -1;
			st->max_attempts = 1;
			st->name = ssm_json_typeof(id) == SSM_JSON_STRING
					   ? ssm_json_str(id)
					   : plugin->name;
			c->step = st->name;
			error = check_inputs(c, plugin, entry, entry, true);
			if (ssm_json_typeof(entry) == SSM_JSON_OBJECT)
				st->inputs = entry;
			c->step = NULL;
			path_pop(c, s2);
		}
		c->doc->nsteps = at;
		path_pop(c, s);
	}
	return error;
}

/* ---- Session documents ----------------------------------------------------
 */

static const ssm_doc_input session_inputs[] = {
	{ "s3BucketName", SSM_DOC_IN_STRING, false },
	{ "s3KeyPrefix", SSM_DOC_IN_STRING, false },
	{ "s3EncryptionEnabled", SSM_DOC_IN_BOOL, false },
	{ "cloudWatchLogGroupName", SSM_DOC_IN_STRING, false },
	{ "cloudWatchEncryptionEnabled", SSM_DOC_IN_BOOL, false },
	{ "cloudWatchStreamingEnabled", SSM_DOC_IN_BOOL, false },
	{ "kmsKeyId", SSM_DOC_IN_STRING, false },
	{ "runAsEnabled", SSM_DOC_IN_BOOL, false },
	{ "runAsDefaultUser", SSM_DOC_IN_STRING, false },
	{ "idleSessionTimeout", SSM_DOC_IN_INT, false },
	{ "maxSessionDuration", SSM_DOC_IN_INT, false },
	{ "shellProfile", SSM_DOC_IN_MAP, false },
};

static const ssm_doc_input session_commands[] = {
	{ "commands", SSM_DOC_IN_STRINGS, true },
	{ "runAsElevated", SSM_DOC_IN_BOOL, false },
	{ "separateOutputStream", SSM_DOC_IN_BOOL, false },
	{ "stdOutSeparatorPrefix", SSM_DOC_IN_STRING, false },
	{ "stdErrSeparatorPrefix", SSM_DOC_IN_STRING, false },
};

static const ssm_doc_input session_port[] = {
	{ "portNumber", SSM_DOC_IN_INT, true },
	{ "type", SSM_DOC_IN_STRING, false },
	{ "host", SSM_DOC_IN_STRING, false },
	{ "localPortNumber", SSM_DOC_IN_INT, false },
	{ "localUnixSocket", SSM_DOC_IN_STRING, false },
	{ "localConnectionType", SSM_DOC_IN_STRING, false },
};

#define SESSION_PLUGIN(n, in)                                                 \
	{                                                                     \
		n, 0, 0, 0, false, false, in, sizeof(in) / sizeof((in)[0]), 0 \
	}

static const ssm_doc_plugin session_inputs_plugin =
	SESSION_PLUGIN("session inputs", session_inputs);
static const ssm_doc_plugin session_commands_plugin =
	SESSION_PLUGIN("session commands", session_commands);
static const ssm_doc_plugin session_port_plugin =
	SESSION_PLUGIN("Port sessions", session_port);

/* A literal number within [lo, hi] (tokens are checked when rendered). */
static ssm_err check_range(struct pctx *c, const ssm_json *v, int64_t lo,
			   int64_t hi, const char *what)
{
	int64_t n;

	if (!v || has_any_token(v) || !int_value(&n, v))
		return SSM_OK;
	if (n < lo || n > hi)
		return problem(c, v, CONTENT, "%s must be %lld to %lld", what,
			       (long long)lo, (long long)hi);
	return SSM_OK;
}

static ssm_err parse_session(struct pctx *c, const ssm_json *root)
{
	const ssm_json *type = ssm_json_get(root, "sessionType");
	const ssm_json *inputs = ssm_json_get(root, "inputs");
	const ssm_json *props = ssm_json_get(root, "properties");
	static const char *const types[] = { "Standard_Stream",
					     "InteractiveCommands",
					     "NonInteractiveCommands", "Port",
					     NULL };
	ssm_doc_step *st;
	size_t i, s;
	bool ok;
	ssm_err error = SSM_OK;

	if (!type)
		return problem(c, root, CONTENT, "sessionType is required");
	s = path_key(c, "sessionType");
	for (i = 0; types[i]; i++)
		if (str_is(type, types[i]))
			break;
	if (!types[i])
		error = problem(c, type, CONTENT,
				"sessionType must be Standard_Stream, "
				"InteractiveCommands, NonInteractiveCommands "
				"or Port");
	path_pop(c, s);
	SSM_TRY(error);
	if (!types[i])
		return SSM_OK;
	c->doc->session_type = types[i];

	s = path_key(c, "inputs");
	if (inputs) {
		error = check_inputs(c, &session_inputs_plugin, inputs, root,
				     false);
		if (error == SSM_OK &&
		    ssm_json_typeof(inputs) == SSM_JSON_OBJECT) {
			const ssm_json *sp =
				ssm_json_get(inputs, "shellProfile");
			static const char *const sp_keys[] = { "windows",
							       "linux", NULL };

			error = check_range(
				c, ssm_json_get(inputs, "idleSessionTimeout"),
				1, 60, "idleSessionTimeout (minutes)");
			if (error == SSM_OK)
				error = check_range(
					c,
					ssm_json_get(inputs,
						     "maxSessionDuration"),
					1, 1440,
					"maxSessionDuration (minutes)");
			if (error == SSM_OK &&
			    ssm_json_typeof(sp) == SSM_JSON_OBJECT) {
				size_t s2 = path_key(c, "shellProfile");

				error = check_keys(c, sp, sp_keys,
						   "shellProfile");
				for (i = 0;
				     error == SSM_OK && i < ssm_json_size(sp);
				     i++)
					error = check_kind(
						c,
						ssm_json_member_at(sp, i)
							->value,
						SSM_DOC_IN_STRING);
				path_pop(c, s2);
			}
			c->doc->session_inputs = inputs;
		}
	} else if (str_is(type, "Standard_Stream")) {
		error = problem(c, root, CONTENT,
				"Standard_Stream documents need inputs");
	}
	path_pop(c, s);
	SSM_TRY(error);

	s = path_key(c, "properties");
	if (str_is(type, "InteractiveCommands") ||
	    str_is(type, "NonInteractiveCommands")) {
		static const char *const plat_keys[] = { "linux", "windows",
							 "macos", NULL };

		if (!props) {
			error = problem(c, root, CONTENT,
					"%s documents need properties",
					types[i]);
		} else if ((error = expect(&ok, c, props, K_OBJECT)) ==
				   SSM_OK &&
			   ok) {
			error = check_keys(c, props, plat_keys,
					   "session properties");
			if (error == SSM_OK && !ssm_json_size(props))
				error = problem(c, props, CONTENT,
						"properties need linux, "
						"windows or macos");
			for (i = 0; error == SSM_OK && i < ssm_json_size(props);
			     i++) {
				const ssm_json_member *m =
					ssm_json_member_at(props, i);
				size_t s2 = path_key(c, m->key);

				error = check_inputs(c,
						     &session_commands_plugin,
						     m->value, m->value, false);
				path_pop(c, s2);
			}
		}
	} else if (str_is(type, "Port")) {
		if (!props)
			error = problem(c, root, CONTENT,
					"Port documents need properties");
		else
			error = check_inputs(c, &session_port_plugin, props,
					     root, false);
		if (error == SSM_OK &&
		    ssm_json_typeof(props) == SSM_JSON_OBJECT) {
			error = check_range(c,
					    ssm_json_get(props, "portNumber"),
					    1, 65535, "portNumber");
			if (error == SSM_OK)
				error = check_range(
					c,
					ssm_json_get(props, "localPortNumber"),
					0, 65535, "localPortNumber");
		}
	} else if (props) {
		error = expect(&ok, c, props, K_OBJECT);
	}
	path_pop(c, s);
	SSM_TRY(error);
	if (ssm_json_typeof(props) == SSM_JSON_OBJECT)
		c->doc->session_properties = props;

	/* one step: the session itself */
	st = ssm_arena_calloc(c->arena, 1, sizeof(*st));
	if (!st)
		return SSM_ERROR;
	st->name = c->doc->session_type;
	st->action = c->doc->session_type;
	st->node = root;
	st->inputs = c->doc->session_properties;
	st->timeout_seconds = -1;
	st->max_attempts = 1;
	c->doc->steps = st;
	c->doc->nsteps = 1;
	return SSM_OK;
}

/* ---- Automation runbooks --------------------------------------------------
 */

static const char *const step_keys_auto[] = {
	"name",		  "action",    "inputs",   "description", "maxAttempts",
	"timeoutSeconds", "onFailure", "onCancel", "isEnd",	  "nextStep",
	"isCritical",	  "outputs",   NULL,
};

static const char *const branch_ops[] = {
	"StringEquals",
	"EqualsIgnoreCase",
	"StartsWith",
	"EndsWith",
	"Contains",
	"NumericEquals",
	"NumericGreater",
	"NumericLesser",
	"NumericGreaterOrEquals",
	"NumericLesserOrEquals",
	"BooleanEquals",
	NULL,
};

/* A step named by a "step:X" or nextStep value must exist. */
static ssm_err check_target(struct pctx *c, const ssm_json *v, const char *name,
			    size_t len)
{
	size_t i;

	for (i = 0; i < c->doc->nsteps; i++)
		if (c->doc->steps[i].name &&
		    strlen(c->doc->steps[i].name) == len &&
		    memcmp(c->doc->steps[i].name, name, len) == 0)
			return SSM_OK;
	return problem(c, v, CONTENT, "there is no step named '%.*s'",
		       (int)(len > 128 ? 128 : len), name);
}

static ssm_err check_branch_leaf(struct pctx *c, const ssm_json *leaf,
				 bool allow_combinator, int depth);

static ssm_err check_branch_list(struct pctx *c, const ssm_json *v, int depth)
{
	size_t i;
	bool ok;

	SSM_TRY(expect(&ok, c, v, K_ARRAY));
	if (!ok)
		return SSM_OK;
	if (!ssm_json_size(v))
		return problem(c, v, CONTENT, "needs at least one condition");
	for (i = 0; i < ssm_json_size(v); i++) {
		size_t s = path_index(c, i);
		ssm_err error = check_branch_leaf(c, ssm_json_at(v, i), true,
						  depth + 1);

		path_pop(c, s);
		SSM_TRY(error);
	}
	return SSM_OK;
}

/* A condition: Variable + one operator, or And/Or (lists) or Not. */
static ssm_err check_branch_leaf(struct pctx *c, const ssm_json *leaf,
				 bool allow_combinator, int depth)
{
	size_t i, k, nops = 0;
	bool ok;

	SSM_TRY(expect(&ok, c, leaf, K_OBJECT));
	if (!ok)
		return SSM_OK;
	if (depth > 8)
		return problem(c, leaf, CONTENT, "conditions nest too deep");
	for (i = 0; i < ssm_json_size(leaf); i++) {
		const ssm_json_member *m = ssm_json_member_at(leaf, i);
		size_t s = path_key(c, m->key);
		ssm_err error = SSM_OK;

		if (key_is(m, "NextStep") || key_is(m, "Variable")) {
			/* checked by the caller / below */
		} else if (allow_combinator &&
			   (key_is(m, "And") || key_is(m, "Or"))) {
			nops++;
			error = check_branch_list(c, m->value, depth);
		} else if (allow_combinator && key_is(m, "Not")) {
			nops++;
			error = check_branch_leaf(c, m->value, false,
						  depth + 1);
		} else {
			for (k = 0; branch_ops[k]; k++)
				if (key_is(m, branch_ops[k]))
					break;
			if (branch_ops[k]) {
				nops++;
				if (!ssm_json_get(leaf, "Variable"))
					error = problem(c, leaf, CONTENT,
							"%s needs a Variable",
							branch_ops[k]);
			} else {
				ssm_json pos = key_pos(m);
				char q[64];

				error = problem(
					c, &pos, CONTENT,
					"unsupported operator %s",
					ssm_json__quote(q, m->key, m->key_len));
			}
		}
		path_pop(c, s);
		SSM_TRY(error);
	}
	if (nops != 1)
		return problem(c, leaf, CONTENT,
			       "a condition has exactly one operator (or And, "
			       "Or, Not)");
	return SSM_OK;
}

static ssm_err check_branch(struct pctx *c, const ssm_json *inputs)
{
	const ssm_json *choices = ssm_json_get(inputs, "Choices");
	const ssm_json *def = ssm_json_get(inputs, "Default");
	size_t i;
	ssm_err error = SSM_OK;

	if (ssm_json_typeof(choices) == SSM_JSON_ARRAY) {
		size_t s = path_key(c, "inputs");

		path_key(c, "Choices");
		if (!ssm_json_size(choices))
			error = problem(c, choices, CONTENT,
					"a branch needs at least one choice");
		for (i = 0; error == SSM_OK && i < ssm_json_size(choices);
		     i++) {
			const ssm_json *ch = ssm_json_at(choices, i);
			const ssm_json *next = ssm_json_get(ch, "NextStep");
			size_t s2 = path_index(c, i);

			error = check_branch_leaf(c, ch, true, 0);
			if (error == SSM_OK &&
			    ssm_json_typeof(ch) == SSM_JSON_OBJECT) {
				if (!next)
					error = problem(c, ch, CONTENT,
							"the choice has no "
							"NextStep");
				else if (ssm_json_typeof(next) !=
					 SSM_JSON_STRING)
					error = problem(c, next, CONTENT,
							"NextStep must be a "
							"step name");
				else
					error = check_target(
						c, next, ssm_json_str(next),
						ssm_json_str_len(next));
			}
			path_pop(c, s2);
		}
		path_pop(c, s);
	}
	if (error == SSM_OK && ssm_json_typeof(def) == SSM_JSON_STRING) {
		size_t s = path_key(c, "inputs");

		path_key(c, "Default");
		error = check_target(c, def, ssm_json_str(def),
				     ssm_json_str_len(def));
		path_pop(c, s);
	}
	return error;
}

/* ISO-8601 duration: P[nY][nM][nW][nD][T[nH][nM][n[.n]S]]. */
static bool iso_duration(const char *s, size_t len)
{
	size_t i = 1;
	bool any = false, t = false;

	if (!len || s[0] != 'P')
		return false;
	while (i < len) {
		size_t digits = 0;

		if (s[i] == 'T' && !t) {
			t = true;
			i++;
			if (i == len)
				return false;
			continue;
		}
		while (i < len &&
		       ((s[i] >= '0' && s[i] <= '9') || (t && s[i] == '.'))) {
			i++;
			digits++;
		}
		if (!digits || i == len)
			return false;
		if (!strchr(t ? "HMS" : "YMWD", s[i]))
			return false;
		i++;
		any = true;
	}
	return any;
}

static ssm_err check_action_inputs(struct pctx *c, const ssm_doc_step *st,
				   const ssm_json *inputs)
{
	const ssm_json *v, *w;
	size_t s = path_key(c, "inputs");
	ssm_err error = SSM_OK;
	int64_t n;

	if (strcmp(st->action, "aws:sleep") == 0) {
		v = ssm_json_get(inputs, "Duration");
		w = ssm_json_get(inputs, "Timestamp");
		if (!v == !w)
			error = problem(c, inputs ? inputs : st->node, CONTENT,
					"aws:sleep needs either Duration or "
					"Timestamp");
		else if (ssm_json_typeof(v) == SSM_JSON_STRING &&
			 !has_any_token(v) &&
			 !iso_duration(ssm_json_str(v), ssm_json_str_len(v)))
			error = problem(c, v, CONTENT,
					"Duration must be an ISO-8601 duration "
					"such as PT10M");
		else if (ssm_json_typeof(w) == SSM_JSON_STRING &&
			 !has_any_token(w)) {
			int64_t ms;

			if (ssm_time_parse_iso8601(&ms, ssm_json_str(w),
						   ssm_json_str_len(w)) < 0)
				error = problem(c, w, CONTENT,
						"Timestamp must be an "
						"ISO-8601 time such as "
						"2024-10-21T12:00:00Z");
		}
	} else if (strcmp(st->action, "aws:approve") == 0) {
		v = ssm_json_get(inputs, "Approvers");
		w = ssm_json_get(inputs, "MinRequiredApprovals");
		if (ssm_json_typeof(v) == SSM_JSON_ARRAY &&
		    (ssm_json_size(v) < 1 || ssm_json_size(v) > 10))
			error = problem(c, v, CONTENT,
					"Approvers has 1 to 10 entries");
		else if (w && int_value(&n, w) &&
			 (n < 1 || (ssm_json_typeof(v) == SSM_JSON_ARRAY &&
				    (size_t)n > ssm_json_size(v))))
			error = problem(c, w, CONTENT,
					"MinRequiredApprovals must be 1 to the "
					"number of approvers");
		else if ((v = ssm_json_get(inputs, "Message")) &&
			 ssm_json_str_len(v) > 4096)
			error = problem(c, v, CONTENT,
					"Message is at most 4096 characters");
	} else if (strcmp(st->action, "aws:executeScript") == 0) {
		v = ssm_json_get(inputs, "Runtime");
		if (ssm_json_typeof(v) == SSM_JSON_STRING &&
		    !has_any_token(v) &&
		    strncmp(ssm_json_str(v), "python3.", 8) != 0 &&
		    strncmp(ssm_json_str(v), "PowerShell", 10) != 0)
			error = problem(c, v, CONTENT,
					"Runtime must be python3.x or "
					"PowerShell x");
		else if (ssm_json_typeof(v) == SSM_JSON_STRING &&
			 strncmp(ssm_json_str(v), "python3.", 8) == 0 &&
			 !ssm_json_get(inputs, "Handler"))
			error = problem(c, inputs, CONTENT,
					"a Python script needs a Handler");
		else if (!ssm_json_get(inputs, "Script") ==
			 !ssm_json_get(inputs, "Attachment"))
			error = problem(c, inputs, CONTENT,
					"aws:executeScript needs either Script "
					"or Attachment");
	} else if (strcmp(st->action, "aws:runCommand") == 0) {
		v = ssm_json_get(inputs, "InstanceIds");
		if (ssm_json_typeof(v) == SSM_JSON_ARRAY &&
		    ssm_json_size(v) > 50)
			error = problem(c, v, CONTENT,
					"InstanceIds has at most 50 entries");
	}
	path_pop(c, s);
	SSM_TRY(error);
	if (strcmp(st->action, "aws:branch") == 0)
		return check_branch(c, inputs);
	return SSM_OK;
}

/* Actions a cancellation workflow (onCancel: step:X) may not go to. */
static const char *const no_cancel_targets[] = {
	"aws:approve",	    "aws:copyImage",  "aws:createImage",
	"aws:createStack",  "aws:createTags", "aws:pause",
	"aws:runInstances", "aws:sleep",      NULL,
};

static ssm_err check_flow(struct pctx *c, const ssm_json *v, const char *key,
			  const char **out, bool allow_continue)
{
	const char *s;
	size_t len, saved = path_key(c, key);
	ssm_err error = SSM_OK;
	bool ok;

	error = expect(&ok, c, v, K_STRING);
	if (error < 0 || !ok)
		goto done;
	s = ssm_json_str(v);
	len = ssm_json_str_len(v);
	*out = s;
	if (strcmp(s, "Abort") == 0 ||
	    (allow_continue && strcmp(s, "Continue") == 0))
		goto done;
	if (len > 5 && memcmp(s, "step:", 5) == 0) {
		error = check_target(c, v, s + 5, len - 5);
		if (error == SSM_OK && !allow_continue) {
			const ssm_doc_step *t = ssm_doc__step(c->doc, s + 5);
			size_t k;

			for (k = 0; t && t->action && no_cancel_targets[k]; k++)
				if (strcmp(t->action, no_cancel_targets[k]) ==
				    0)
					error = problem(c, v, CONTENT,
							"a cancellation "
							"workflow cannot run "
							"%s",
							t->action);
		}
		goto done;
	}
	error = problem(c, v, CONTENT,
			allow_continue
				? "must be Abort, Continue or step:<name>"
				: "must be Abort or step:<name>");
done:
	path_pop(c, saved);
	return error;
}

static ssm_err parse_auto_step(struct pctx *c, size_t index,
			       const ssm_json *node)
{
	ssm_doc_step *st = &c->doc->steps[index];
	const ssm_json *v;
	size_t s, i;
	bool ok;
	ssm_err error = SSM_OK;

	SSM_TRY(expect(&ok, c, node, K_OBJECT));
	if (!ok)
		return SSM_OK;
	SSM_TRY(check_keys(c, node, step_keys_auto, "an Automation step"));
	c->step = st->name;

	v = ssm_json_get(node, "action");
	s = path_key(c, "action");
	if (!v) {
		error = problem(c, node, CONTENT, "the step has no action");
	} else if ((error = expect(&ok, c, v, K_STRING)) == SSM_OK && ok) {
		st->action = ssm_json_str(v);
		st->plugin = ssm_doc__plugin(st->action, ssm_json_str_len(v),
					     SSM_DOC_PLUGIN_AUTOMATION);
		if (!st->plugin)
			error = problem(c, v, CONTENT,
					"unknown action '%s' (not an "
					"Automation action)",
					st->action);
	}
	path_pop(c, s);
	SSM_TRY(error);

	v = ssm_json_get(node, "inputs");
	if (st->plugin) {
		s = path_key(c, "inputs");
		error = check_inputs(c, st->plugin, v, node, false);
		path_pop(c, s);
		SSM_TRY(error);
		if (ssm_json_typeof(v) == SSM_JSON_OBJECT || !v)
			SSM_TRY(check_action_inputs(c, st, v));
	}
	if (ssm_json_typeof(v) == SSM_JSON_OBJECT)
		st->inputs = v;

	if ((v = ssm_json_get(node, "description"))) {
		s = path_key(c, "description");
		error = expect(&ok, c, v, K_STRING);
		path_pop(c, s);
		SSM_TRY(error);
		st->description = ssm_json_str(v);
	}
	if ((v = ssm_json_get(node, "maxAttempts"))) {
		s = path_key(c, "maxAttempts");
		if (!ssm_json_is_integer(v) || v->u.num.i < 1 ||
		    v->u.num.i > 1000)
			error = problem(c, v, CONTENT,
					"maxAttempts must be an integer from "
					"1");
		else
			st->max_attempts = v->u.num.i;
		path_pop(c, s);
		SSM_TRY(error);
	}
	if ((v = ssm_json_get(node, "timeoutSeconds"))) {
		s = path_key(c, "timeoutSeconds");
		if (!ssm_json_is_integer(v) || v->u.num.i < 1 ||
		    v->u.num.i > 2592000)
			error = problem(c, v, CONTENT,
					"timeoutSeconds must be an integer "
					"from 1 to 2592000");
		else
			st->timeout_seconds = v->u.num.i;
		path_pop(c, s);
		SSM_TRY(error);
	}
	if ((v = ssm_json_get(node, "onFailure")))
		SSM_TRY(check_flow(c, v, "onFailure", &st->on_failure, true));
	if ((v = ssm_json_get(node, "onCancel")))
		SSM_TRY(check_flow(c, v, "onCancel", &st->on_cancel, false));
	st->is_critical =
		!(st->on_failure && strcmp(st->on_failure, "Continue") == 0);
	if ((v = ssm_json_get(node, "isEnd"))) {
		s = path_key(c, "isEnd");
		error = expect(&ok, c, v, K_BOOL);
		path_pop(c, s);
		SSM_TRY(error);
		st->is_end = ssm_json_bool(v);
	}
	if ((v = ssm_json_get(node, "isCritical"))) {
		s = path_key(c, "isCritical");
		error = expect(&ok, c, v, K_BOOL);
		path_pop(c, s);
		SSM_TRY(error);
		if (ok)
			st->is_critical = ssm_json_bool(v);
	}
	if ((v = ssm_json_get(node, "nextStep"))) {
		s = path_key(c, "nextStep");
		error = expect(&ok, c, v, K_STRING);
		if (error == SSM_OK && ok) {
			error = check_target(c, v, ssm_json_str(v),
					     ssm_json_str_len(v));
			st->next_step = ssm_json_str(v);
		}
		path_pop(c, s);
		SSM_TRY(error);
	}
	if ((v = ssm_json_get(node, "outputs"))) {
		static const char *const out_keys[] = { "Name", "Selector",
							"Type", NULL };
		static const char *const out_types[] = {
			"String",    "Integer", "Boolean", "StringList",
			"StringMap", "MapList", NULL,
		};

		s = path_key(c, "outputs");
		error = expect(&ok, c, v, K_ARRAY);
		for (i = 0; error == SSM_OK && ok && i < ssm_json_size(v);
		     i++) {
			const ssm_json *o = ssm_json_at(v, i), *t;
			size_t s2 = path_index(c, i), k;
			bool ok2;

			error = expect(&ok2, c, o, K_OBJECT);
			if (error == SSM_OK && ok2)
				error = check_keys(c, o, out_keys,
						   "a step output");
			if (error == SSM_OK && ok2 &&
			    (ssm_json_typeof(ssm_json_get(o, "Name")) !=
				     SSM_JSON_STRING ||
			     ssm_json_typeof(ssm_json_get(o, "Selector")) !=
				     SSM_JSON_STRING))
				error = problem(c, o, CONTENT,
						"an output needs a Name and a "
						"Selector");
			if (error == SSM_OK && ok2 &&
			    (t = ssm_json_get(o, "Type"))) {
				for (k = 0; out_types[k]; k++)
					if (str_is(t, out_types[k]))
						break;
				if (!out_types[k])
					error = problem(c, t, CONTENT,
							"Type must be String, "
							"Integer, Boolean, "
							"StringList, StringMap "
							"or MapList");
			}
			path_pop(c, s2);
		}
		path_pop(c, s);
		SSM_TRY(error);
		if (ok)
			st->outputs = v;
	}
	st->timeout_seconds = st->timeout_seconds < 0 && st->plugin
				      ? st->plugin->default_timeout
				      : st->timeout_seconds;
	c->step = NULL;
	return SSM_OK;
}

static ssm_err parse_automation(struct pctx *c, const ssm_json *root)
{
	const ssm_json *steps = ssm_json_get(root, "mainSteps"), *v;
	size_t i, n, s;
	bool ok;
	ssm_err error;

	if ((v = ssm_json_get(root, "assumeRole"))) {
		s = path_key(c, "assumeRole");
		error = expect(&ok, c, v, K_STRING);
		if (error == SSM_OK && ok &&
		    (has_token_kind(v, SSM_DOC_TOK_SSM) ||
		     has_token_kind(v, SSM_DOC_TOK_SECURE)))
			error = problem(c, v, CONTENT,
					"assumeRole cannot be a {{ssm:...}} "
					"reference");
		path_pop(c, s);
		SSM_TRY(error);
		c->doc->assume_role = ssm_json_str(v);
	}
	if ((v = ssm_json_get(root, "files"))) {
		s = path_key(c, "files");
		error = expect(&ok, c, v, K_OBJECT);
		path_pop(c, s);
		SSM_TRY(error);
	}
	if (!steps)
		return problem(c, root, CONTENT, "mainSteps is required");
	s = path_key(c, "mainSteps");
	error = expect(&ok, c, steps, K_ARRAY);
	if (error == SSM_OK && ok && !ssm_json_size(steps))
		error = problem(c, steps, CONTENT,
				"the runbook needs at least one step");
	path_pop(c, s);
	SSM_TRY(error);
	if (!ok || !(n = ssm_json_size(steps)))
		return SSM_OK;
	c->doc->steps = ssm_arena_calloc(c->arena, n, sizeof(*c->doc->steps));
	if (!c->doc->steps)
		return SSM_ERROR;
	c->doc->nsteps = n;
	/* names first: steps refer to later steps */
	for (i = 0; i < n; i++) {
		const ssm_json *node = ssm_json_at(steps, i);
		ssm_doc_step *st = &c->doc->steps[i];

		st->node = node;
		st->timeout_seconds = -1;
		st->max_attempts = 1;
		st->is_critical = true;
		if (ssm_json_typeof(node) != SSM_JSON_OBJECT)
			continue;
		/* the action too: onCancel looks at its target's */
		st->action = ssm_json_str(ssm_json_get(node, "action"));
		s = path_key(c, "mainSteps");
		path_index(c, i);
		path_key(c, "name");
		error = step_name(c, st, ssm_json_get(node, "name"), node, i,
				  "");
		path_pop(c, s);
		SSM_TRY(error);
	}
	for (i = 0; i < n; i++) {
		s = path_key(c, "mainSteps");
		path_index(c, i);
		error = parse_auto_step(c, i, ssm_json_at(steps, i));
		c->step = NULL;
		c->plugin = NULL;
		path_pop(c, s);
		SSM_TRY(error);
	}
	if ((v = ssm_json_get(root, "outputs"))) {
		s = path_key(c, "outputs");
		error = expect(&ok, c, v, K_ARRAY);
		for (i = 0; error == SSM_OK && ok && i < ssm_json_size(v);
		     i++) {
			const ssm_json *o = ssm_json_at(v, i);
			const char *dot;
			size_t s2 = path_index(c, i);

			if (ssm_json_typeof(o) != SSM_JSON_STRING ||
			    !(dot = strchr(ssm_json_str(o), '.')) ||
			    dot == ssm_json_str(o))
				error = problem(c, o, CONTENT,
						"outputs are written "
						"stepName.outputName");
			else
				error = check_target(
					c, o, ssm_json_str(o),
					(size_t)(dot - ssm_json_str(o)));
			path_pop(c, s2);
		}
		path_pop(c, s);
		SSM_TRY(error);
		c->doc->outputs = v;
	}
	return SSM_OK;
}

/* ---- the document ----------------------------------------------------------
 */

static const char *const top_keys_cmd2[] = { "schemaVersion", "description",
					     "parameters", "mainSteps", NULL };
static const char *const top_keys_cmd12[] = { "schemaVersion", "description",
					      "parameters", "runtimeConfig",
					      NULL };
static const char *const top_keys_auto[] = { "schemaVersion", "description",
					     "assumeRole",    "parameters",
					     "mainSteps",     "outputs",
					     "files",	      NULL };
static const char *const top_keys_session[] = {
	"schemaVersion", "description", "sessionType", "parameters",
	"inputs",	 "properties",	NULL
};

static bool schema_supported(ssm_document_type type, int major, int minor)
{
	switch (type) {
	case SSM_DOCUMENT_COMMAND:
		return (major == 1 && minor == 2) ||
		       (major == 2 && (minor == 0 || minor == 2));
	case SSM_DOCUMENT_POLICY:
		return major == 2 && (minor == 0 || minor == 2);
	case SSM_DOCUMENT_AUTOMATION:
	case SSM_DOCUMENT_AUTOMATION_CHANGE_TEMPLATE:
		return major == 0 && minor == 3;
	case SSM_DOCUMENT_SESSION:
		return major == 1 && minor == 0;
	default:
		return true;
	}
}

static const char *schema_list(ssm_document_type type)
{
	switch (type) {
	case SSM_DOCUMENT_COMMAND:
		return "1.2, 2.0 or 2.2";
	case SSM_DOCUMENT_POLICY:
		return "2.0 or 2.2";
	case SSM_DOCUMENT_SESSION:
		return "1.0";
	default:
		return "0.3";
	}
}

/* schemaVersion as text ("2.2"); YAML may give it as a number. */
static ssm_err schema_version(struct pctx *c, const ssm_json *root,
			      bool required)
{
	const ssm_json *v = ssm_json_get(root, "schemaVersion");
	const char *s;
	size_t len, i, dot = 0, s0;
	int major = 0, minor = 0;
	ssm_err error = SSM_OK;

	if (!v)
		return required ? problem(c, root, CONTENT,
					  "schemaVersion is required")
				: SSM_OK;
	s0 = path_key(c, "schemaVersion");
	if (ssm_json_typeof(v) == SSM_JSON_STRING) {
		s = ssm_json_str(v);
		len = ssm_json_str_len(v);
	} else if (ssm_json_typeof(v) == SSM_JSON_NUMBER) {
		s = ssm_json_number_text(v, &len);
	} else {
		error = problem(c, v, CONTENT, "expected a string, found %s",
				found_text(v));
		path_pop(c, s0);
		return error;
	}
	for (i = 0; i < len; i++) {
		if (s[i] == '.' && !dot && i) {
			dot = i;
		} else if (s[i] >= '0' && s[i] <= '9' && i < 9) {
			if (dot)
				minor = minor * 10 + (s[i] - '0');
			else
				major = major * 10 + (s[i] - '0');
		} else {
			dot = 0;
			break;
		}
	}
	if (!dot || dot + 1 >= len) {
		char q[64];

		error = problem(c, v, SSM_DOC_E_SCHEMA,
				"schemaVersion %s is not of the form "
				"<major>.<minor>",
				ssm_json__quote(q, s, len));
	} else {
		c->doc->schema_version = ssm_arena_strndup(c->arena, s, len);
		if (!c->doc->schema_version)
			error = SSM_ERROR;
		c->doc->schema_major = major;
		c->doc->schema_minor = minor;
	}
	path_pop(c, s0);
	return error;
}

static ssm_err parse_root(struct pctx *c, const ssm_json *root,
			  ssm_document_type want)
{
	ssm_doc *doc = c->doc;
	const ssm_json *v;
	const char *const *keys;
	bool ok, schema_checked = want == SSM_DOCUMENT_TYPE_DEFAULT ||
				  want == SSM_DOCUMENT_COMMAND ||
				  want == SSM_DOCUMENT_POLICY ||
				  want == SSM_DOCUMENT_AUTOMATION ||
				  want == SSM_DOCUMENT_SESSION;
	size_t i, s;
	ssm_err error;

	if (!schema_checked) {
		/* other types keep their content as it is */
		doc->type = want;
		if (ssm_json_typeof(root) == SSM_JSON_OBJECT &&
		    ssm_json_typeof(ssm_json_get(root, "schemaVersion")) ==
			    SSM_JSON_STRING)
			doc->schema_version = ssm_json_str(
				ssm_json_get(root, "schemaVersion"));
		return SSM_OK;
	}
	SSM_TRY(expect(&ok, c, root, K_OBJECT));
	if (!ok)
		return SSM_OK;
	SSM_TRY(schema_version(c, root, true));
	if (!doc->schema_version)
		return SSM_OK;
	if (want) {
		doc->type = want;
	} else if (doc->schema_major == 0 && doc->schema_minor == 3) {
		doc->type = SSM_DOCUMENT_AUTOMATION;
	} else if (doc->schema_major == 1 && doc->schema_minor == 0) {
		doc->type = SSM_DOCUMENT_SESSION;
	} else {
		doc->type = SSM_DOCUMENT_COMMAND;
	}
	if (!schema_supported(doc->type, doc->schema_major,
			      doc->schema_minor)) {
		s = path_key(c, "schemaVersion");
		error = problem(c, ssm_json_get(root, "schemaVersion"),
				SSM_DOC_E_SCHEMA,
				"schemaVersion %s is not supported for %s "
				"documents (%s)",
				doc->schema_version,
				ssm_doc__type_name(doc->type),
				schema_list(doc->type));
		path_pop(c, s);
		return error;
	}
	switch (doc->type) {
	case SSM_DOCUMENT_AUTOMATION:
		keys = top_keys_auto;
		break;
	case SSM_DOCUMENT_SESSION:
		keys = top_keys_session;
		break;
	default:
		keys = doc->schema_major == 1 ? top_keys_cmd12 : top_keys_cmd2;
		break;
	}
	SSM_TRY(check_keys(c, root, keys, "the document"));
	if ((v = ssm_json_get(root, "description"))) {
		s = path_key(c, "description");
		error = expect(&ok, c, v, K_STRING);
		path_pop(c, s);
		SSM_TRY(error);
		doc->description = ssm_json_str(v);
	}
	if ((v = ssm_json_get(root, "parameters")))
		SSM_TRY(parse_params(c, v));
	switch (doc->type) {
	case SSM_DOCUMENT_AUTOMATION:
		SSM_TRY(parse_automation(c, root));
		doc->platforms =
			SSM_DOCUMENT_PLATFORM_BIT(SSM_DOCUMENT_LINUX) |
			SSM_DOCUMENT_PLATFORM_BIT(SSM_DOCUMENT_WINDOWS) |
			SSM_DOCUMENT_PLATFORM_BIT(SSM_DOCUMENT_MACOS);
		return SSM_OK;
	case SSM_DOCUMENT_SESSION:
		SSM_TRY(parse_session(c, root));
		doc->platforms =
			SSM_DOCUMENT_PLATFORM_BIT(SSM_DOCUMENT_LINUX) |
			SSM_DOCUMENT_PLATFORM_BIT(SSM_DOCUMENT_WINDOWS) |
			SSM_DOCUMENT_PLATFORM_BIT(SSM_DOCUMENT_MACOS);
		return SSM_OK;
	default:
		if (doc->schema_major == 1)
			SSM_TRY(parse_runtime_config(c, root));
		else
			SSM_TRY(parse_main_steps(c, root, parse_command_step));
		for (i = 0; i < doc->nsteps; i++)
			if (doc->steps[i].plugin)
				doc->platforms |=
					doc->steps[i].plugin->platforms;
		return SSM_OK;
	}
}

static ssm_document_format detect(const char *text, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (text[i] == ' ' || text[i] == '\t' ||
			   text[i] == '\n' || text[i] == '\r'))
		i++;
	return i < len && text[i] == '{' ? SSM_DOCUMENT_JSON
					 : SSM_DOCUMENT_YAML;
}

void ssm_doc__free(ssm_doc *doc)
{
	size_t i;

	if (!doc)
		return;
	for (i = 0; i < doc->nparams; i++)
		ssm_doc__regex_free(doc->params[i].re);
	ssm_json_doc_free(doc->tree);
	ssm__free(doc);
}

ssm_err ssm_doc__parse(ssm_doc **out, const char *text, size_t len,
		       ssm_document_format format, ssm_document_type type,
		       ssm_doc_problems *problems)
{
	ssm_json_limits lim = { 0 };
	struct pctx *c;
	ssm_doc *doc = NULL;
	ssm_err error = SSM_OK;

	*out = NULL;
	c = ssm__calloc(1, sizeof(*c));
	if (!c)
		return SSM_ERROR;
	c->problems = problems;
	if (len > SSM_DOCUMENT_MAX_SIZE) {
		error = problem(c, NULL, SSM_DOC_E_SIZE,
				"the document is %zu bytes; the limit is %d",
				len, SSM_DOCUMENT_MAX_SIZE);
		goto done;
	}
	if (!len) {
		error = problem(c, NULL, CONTENT, "the document is empty");
		goto done;
	}
	doc = ssm__calloc(1, sizeof(*doc));
	if (!doc) {
		error = SSM_ERROR;
		goto done;
	}
	c->doc = doc;
	doc->content_len = len;
	if (format == SSM_DOCUMENT_FORMAT_DEFAULT)
		format = detect(text, len);
	doc->format = format;
	if (format == SSM_DOCUMENT_TEXT) {
		if (type == SSM_DOCUMENT_TYPE_DEFAULT ||
		    type == SSM_DOCUMENT_COMMAND ||
		    type == SSM_DOCUMENT_POLICY ||
		    type == SSM_DOCUMENT_AUTOMATION ||
		    type == SSM_DOCUMENT_SESSION)
			error = problem(
				c, NULL, CONTENT,
				"%s documents are JSON or YAML, not "
				"TEXT",
				ssm_doc__type_name(
					type ? type : SSM_DOCUMENT_COMMAND));
		doc->type = type;
		goto done;
	}
	lim.max_input = SSM_DOCUMENT_MAX_SIZE;
	lim.max_nodes = 200000;
	error = format == SSM_DOCUMENT_JSON
			? ssm_json_parse(&doc->tree, text, len, &lim)
			: ssm_yaml_parse(&doc->tree, text, len, &lim);
	if (error == SSM_EINVALID || error == SSM_ELIMIT) {
		/* the parser's message already starts with the position */
		error = record(c, CONTENT, SSM_EINVALID, 0, 0,
			       ssm_error_last()->message);
		if (problems && problems->count) {
			/* keep the parser's position as numbers too */
			unsigned l = 0, col = 0;

			if (sscanf(ssm_error_last()->message,
				   "line %u, column %u", &l, &col) == 2) {
				problems->items[problems->count - 1].line = l;
				problems->items[problems->count - 1].column =
					col;
			}
		}
		goto done;
	}
	if (error < 0)
		goto done;
	c->arena = &doc->tree->arena;
	error = parse_root(c, doc->tree->root, type);
done:
	if (error == SSM_OK && c->first_err)
		error = c->first_err;
	if (error < 0) {
		if (c->first_err && error != SSM_ERROR)
			ssm_error__set(c->first_err, SSM_ERRCLASS_DOCUMENT,
				       c->first_code, "%s", c->first_msg);
		ssm_doc__free(doc);
		doc = NULL;
	}
	*out = doc;
	ssm__free(c);
	return error;
}
