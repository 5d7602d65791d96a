/* SPDX-License-Identifier: Apache-2.0 */
/* Rendering: a document and bound parameter values -> an execution plan
 * (spec 1.4, 1.5, 1.9).
 *
 * Interpolation runs in phases over each step's inputs; each phase returns
 * its input node when nothing changed and a new node otherwise, so
 * unchanged subtrees are shared with the document (which outlives the
 * plan):
 *
 *   1. parameters: a string that is exactly one {{ name }} becomes the
 *      parameter's typed value; tokens inside longer strings become text
 *      (non-strings as JSON) and such strings then have "$$" collapsed to
 *      "$"; a replaced value is not scanned again; unknown tokens stay.
 *      In the runCommand of a script plugin, a parameter declared with
 *      interpolationType ENV_VAR becomes a reference to its environment
 *      variable ("${SSM_name}", PowerShell "$env:SSM_name") instead of its
 *      text (libssm decision: the value never becomes shell text).
 *   2. Parameter Store references, all unique ones resolved in one batch:
 *      {{ssm:name}} anywhere, {{ssm-secure:name}} only where the plugin
 *      takes secrets. A StringList reference that is a whole element of a
 *      list is split on every ',' into elements; in text it is an error,
 *      as is a SecureString through {{ssm:}} and an unknown name.
 *   3. Automation built-ins and step outputs.
 *
 * Then preconditions are evaluated for the platform and timeouts
 * normalised as the agent does. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/thread.h"
#include "core/time.h"
#include "document/doc.h"

enum phase { PH_PARAMS = 1, PH_REFS = 2, PH_BUILTINS = 3 };

struct ref {
	ssm_document_reference r;
	size_t len; /* of r.name */
};

struct rctx {
	const ssm_doc *doc;
	const ssm_doc_bound *bound;
	const ssm_doc_render_args *args;
	ssm_doc_plan *plan;
	ssm_json_doc *tree;
	ssm_arena scratch;
	ssm_json **pvals; /* the parameter values, copied into the plan */
	enum phase phase;
	/* the step being rendered */
	const ssm_doc_plugin *plugin;
	bool script; /* inside the runCommand of a script plugin */
	char rel[256];
	size_t rel_len;
	bool step_secret;
	/* references */
	struct ref *refs;
	size_t nrefs, refs_cap;
	bool resolved;
	ssm_str invalid; /* names the store does not know */
	size_t ninvalid;
	ssm_str secure_bad;
	size_t nsecure_bad;
	ssm_str text; /* xform_string's buffer, reused */
};

static const char *err_name(const ssm_doc *doc)
{
	return doc->type == SSM_DOCUMENT_AUTOMATION
		       ? SSM_DOC_E_AUTOMATION_PARAMS
		       : SSM_DOC_E_PARAMS;
}

/* ---- timeouts and commands -------------------------------------------------
 */

int64_t ssm_doc__timeout(const ssm_json *v)
{
	int64_t n = 0;

	if (ssm_json_typeof(v) == SSM_JSON_NUMBER) {
		double d = ssm_json_double(v);

		if (!(d >= SSM_DOC_TIMEOUT_MIN &&
		      d < SSM_DOC_TIMEOUT_MAX + 1.0))
			return SSM_DOC_TIMEOUT_DEFAULT;
		n = (int64_t)d;
	} else if (ssm_json_typeof(v) == SSM_JSON_STRING) {
		const char *s = ssm_json_str(v);
		size_t i = 0, len = ssm_json_str_len(v), digits = 0;

		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if (++digits > 10)
				return SSM_DOC_TIMEOUT_DEFAULT;
			n = n * 10 + (s[i] - '0');
		}
		if (!digits)
			return SSM_DOC_TIMEOUT_DEFAULT;
		/* a fraction is cut; anything else makes it invalid */
		if (i < len && s[i] == '.') {
			for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
				;
		}
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i != len)
			return SSM_DOC_TIMEOUT_DEFAULT;
	} else {
		return SSM_DOC_TIMEOUT_DEFAULT;
	}
	if (n < SSM_DOC_TIMEOUT_MIN || n > SSM_DOC_TIMEOUT_MAX)
		return SSM_DOC_TIMEOUT_DEFAULT;
	return n;
}

static ssm_err lines_add(const ssm_json *v, const char ***lines, size_t *n,
			 size_t *cap, ssm_arena *arena, int depth)
{
	size_t i;

	if (depth > SSM_JSON_DEFAULT_MAX_DEPTH)
		return SSM_OK;
	if (ssm_json_typeof(v) == SSM_JSON_ARRAY) {
		for (i = 0; i < ssm_json_size(v); i++)
			SSM_TRY(lines_add(ssm_json_at(v, i), lines, n, cap,
					  arena, depth + 1));
		return SSM_OK;
	}
	if (ssm_json_typeof(v) != SSM_JSON_STRING)
		return SSM_OK;
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		const char **nl = ssm_arena_alloc(arena, ncap * sizeof(*nl));

		if (!nl)
			return SSM_ERROR;
		if (*n)
			memcpy(nl, *lines, *n * sizeof(*nl));
		*lines = nl;
		*cap = ncap;
	}
	(*lines)[(*n)++] = ssm_json_str(v);
	return SSM_OK;
}

ssm_err ssm_doc__run_command_lines(const char ***lines_out, size_t *count_out,
				   ssm_arena *arena, const ssm_json *v)
{
	size_t cap = 0;

	*lines_out = NULL;
	*count_out = 0;
	return lines_add(v, lines_out, count_out, &cap, arena, 0);
}

/* ---- secrets ------------------------------------------------------------- */

static ssm_err add_secret(struct rctx *rc, const ssm_json *node,
			  const char *original, size_t len)
{
	ssm_doc_plan *plan = rc->plan;

	if (plan->nsecrets == plan->secrets_cap) {
		size_t cap = plan->secrets_cap ? plan->secrets_cap * 2 : 4;
		ssm_doc_secret *s =
			ssm_arena_alloc(&plan->tree->arena, cap * sizeof(*s));

		if (!s)
			return SSM_ERROR;
		if (plan->nsecrets)
			memcpy(s, plan->secrets, plan->nsecrets * sizeof(*s));
		plan->secrets = s;
		plan->secrets_cap = cap;
	}
	plan->secrets[plan->nsecrets].node = node;
	plan->secrets[plan->nsecrets].original =
		ssm_arena_strndup(&plan->tree->arena, original, len);
	if (!plan->secrets[plan->nsecrets].original)
		return SSM_ERROR;
	plan->secrets[plan->nsecrets].original_len = len;
	plan->nsecrets++;
	rc->step_secret = true;
	return SSM_OK;
}

/* ---- lookups of tokens --------------------------------------------------- */

static const ssm_json *param_value(struct rctx *rc, const ssm_doc_token *tok,
				   const ssm_doc_param **p_out)
{
	const ssm_doc_param *p =
		ssm_doc__param(rc->doc, tok->body, tok->body_len);

	*p_out = p;
	if (!p || !rc->pvals)
		return NULL;
	return rc->pvals[p - rc->doc->params];
}

static struct ref *ref_find(struct rctx *rc, const ssm_doc_token *tok)
{
	bool secure = tok->kind == SSM_DOC_TOK_SECURE;
	size_t i;

	for (i = 0; i < rc->nrefs; i++)
		if (rc->refs[i].r.with_decryption == secure &&
		    rc->refs[i].len == tok->body_len &&
		    memcmp(rc->refs[i].r.name, tok->body, tok->body_len) == 0)
			return &rc->refs[i];
	return NULL;
}

static ssm_err ref_add(struct rctx *rc, const ssm_doc_token *tok)
{
	struct ref *r;

	if (ref_find(rc, tok))
		return SSM_OK;
	if (rc->nrefs == rc->refs_cap) {
		size_t cap = rc->refs_cap ? rc->refs_cap * 2 : 8;
		struct ref *n = ssm_arena_alloc(&rc->scratch, cap * sizeof(*n));

		if (!n)
			return SSM_ERROR;
		if (rc->nrefs)
			memcpy(n, rc->refs, rc->nrefs * sizeof(*n));
		rc->refs = n;
		rc->refs_cap = cap;
	}
	r = &rc->refs[rc->nrefs];
	memset(r, 0, sizeof(*r));
	r->r.name = ssm_arena_strndup(&rc->scratch, tok->body, tok->body_len);
	if (!r->r.name)
		return SSM_ERROR;
	r->len = tok->body_len;
	r->r.with_decryption = tok->kind == SSM_DOC_TOK_SECURE;
	rc->nrefs++;
	return SSM_OK;
}

static bool secure_here(const struct rctx *rc)
{
	/* sourceInfo given as JSON text holds its secret fields inside */
	return ssm_doc__secure_allowed(rc->plugin, rc->rel) ||
	       (strcmp(rc->rel, "sourceInfo") == 0 &&
		ssm_doc__secure_allowed(rc->plugin, "sourceInfo.tokenInfo"));
}

/* Is this token handled in the current phase? */
static bool phase_wants(const struct rctx *rc, const ssm_doc_token *tok)
{
	switch (rc->phase) {
	case PH_PARAMS:
		return tok->kind == SSM_DOC_TOK_PARAM;
	case PH_REFS:
		return tok->kind == SSM_DOC_TOK_SSM ||
		       (tok->kind == SSM_DOC_TOK_SECURE && secure_here(rc));
	case PH_BUILTINS:
		return tok->kind == SSM_DOC_TOK_GLOBAL ||
		       tok->kind == SSM_DOC_TOK_AUTOMATION ||
		       tok->kind == SSM_DOC_TOK_STEP_OUTPUT;
	}
	return false;
}

static void note_invalid(struct rctx *rc, ssm_str *list, size_t *n,
			 const char *name, size_t len)
{
	/* names listed once, at most ~10 of them */
	if (*n >= 10)
		return;
	if (list->size) {
		const char *p = ssm_str_cstr(list);
		size_t at = 0;

		while (at < list->size) {
			const char *comma = strstr(p + at, ", ");
			size_t end = comma ? (size_t)(comma - p) : list->size;

			if (end - at == len && memcmp(p + at, name, len) == 0)
				return;
			at = comma ? end + 2 : list->size;
		}
		if (ssm_str_puts(list, ", ") < 0)
			return;
	}
	(void)rc;
	if (ssm_str_put(list, name, len) == SSM_OK)
		(*n)++;
}

/* The date built-ins, UTC. */
static ssm_err date_text(char out[32], int64_t ms, bool with_time)
{
	char iso[SSM_ISO8601_SIZE];

	SSM_TRY(ssm_time_format_iso8601(iso, ms));
	/* 2024-10-21T12:34:56.789Z -> 2024-10-21 / 2024-10-21_12.34.56 */
	if (!with_time) {
		memcpy(out, iso, 10);
		out[10] = '\0';
	} else {
		snprintf(out, 32, "%.10s_%.2s.%.2s.%.2s", iso, iso + 11,
			 iso + 14, iso + 17);
	}
	return SSM_OK;
}

/* The value of a built-in token as a new string node, or NULL to keep it. */
static ssm_err builtin_value(ssm_json **out, struct rctx *rc,
			     const ssm_doc_token *tok)
{
	const ssm_doc_render_args *a = rc->args;
	const char *s = NULL;
	char buf[32];

	*out = NULL;
#define IS(x) \
	(tok->body_len == strlen(x) && memcmp(tok->body, x, tok->body_len) == 0)
	if (tok->kind == SSM_DOC_TOK_GLOBAL) {
		if (IS("ACCOUNT_ID"))
			s = a->account_id ? a->account_id : "123456789012";
		else if (IS("REGION"))
			s = a->region ? a->region : "us-east-1";
		else if (IS("AWS_PARTITION"))
			s = a->partition ? a->partition : "aws";
		else if (IS("DATE") || IS("DATE_TIME")) {
			SSM_TRY(date_text(buf,
					  a->now_ms ? a->now_ms : ssm__now_ms(),
					  IS("DATE_TIME")));
			s = buf;
		}
	} else if (tok->kind == SSM_DOC_TOK_AUTOMATION) {
		if (IS("EXECUTION_ID"))
			s = a->execution_id;
	}
#undef IS
	if (!s)
		return SSM_OK;
	return ssm_json_new_string(out, rc->tree, s, strlen(s));
}

/* The value a token stands for in this phase: *@out NULL keeps the token.
 * *@list_split is set for a StringList reference (split in lists). */
static ssm_err token_value(const ssm_json **out, struct rctx *rc,
			   const ssm_doc_token *tok, bool whole, bool *secret,
			   struct ref **ref_out)
{
	*out = NULL;
	*secret = false;
	*ref_out = NULL;
	if (rc->phase == PH_PARAMS) {
		const ssm_doc_param *p;
		const ssm_json *v = param_value(rc, tok, &p);

		if (!v)
			return SSM_OK;
		if (p->env_var && rc->script) {
			char buf[200];
			ssm_json *n;
			bool ps = rc->plugin &&
				  strcmp(rc->plugin->name,
					 "aws:runPowerShellScript") == 0;

			snprintf(buf, sizeof(buf),
				 ps ? "$env:SSM_%s" : "${SSM_%s}", p->name);
			SSM_TRY(ssm_json_new_string(&n, rc->tree, buf,
						    strlen(buf)));
			*out = n;
			return SSM_OK;
		}
		*out = v;
		return SSM_OK;
	}
	if (rc->phase == PH_REFS) {
		struct ref *r = ref_find(rc, tok);

		if (!r || !rc->resolved)
			return SSM_OK;
		*ref_out = r;
		if (r->r.type == SSM_DOCUMENT_REFERENCE_NOT_FOUND ||
		    !r->r.value) {
			note_invalid(rc, &rc->invalid, &rc->ninvalid, r->r.name,
				     r->len);
			return SSM_OK;
		}
		if (!r->r.with_decryption &&
		    r->r.type == SSM_DOCUMENT_REFERENCE_SECURE_STRING) {
			note_invalid(rc, &rc->secure_bad, &rc->nsecure_bad,
				     r->r.name, r->len);
			return SSM_OK;
		}
		if (r->r.type == SSM_DOCUMENT_REFERENCE_STRING_LIST && !whole)
			return ssm_error__set(SSM_EINVALID,
					      SSM_ERRCLASS_DOCUMENT,
					      err_name(rc->doc),
					      "Parameter %s of type StringList "
					      "cannot be used "
					      "as a String",
					      r->r.name);
		*secret = r->r.with_decryption;
		{
			ssm_json *n;

			SSM_TRY(ssm_json_new_string(&n, rc->tree, r->r.value,
						    strlen(r->r.value)));
			*out = n;
		}
		return SSM_OK;
	}
	/* built-ins and step outputs */
	if (tok->kind == SSM_DOC_TOK_STEP_OUTPUT) {
		const char *dot = memchr(tok->body, '.', tok->body_len);

		const ssm_json *v = NULL;
		ssm_json *copy;

		if (!rc->args->step_output || !dot)
			return SSM_OK;
		SSM_TRY(rc->args->step_output(
			&v, rc->args->step_output_payload, tok->body,
			(size_t)(dot - tok->body), dot + 1,
			tok->body_len - (size_t)(dot - tok->body) - 1));
		if (!v)
			return SSM_OK;
		/* the engine's value may not outlive the call */
		SSM_TRY(ssm_json_copy(&copy, rc->tree, v));
		*out = copy;
		return SSM_OK;
	}
	{
		ssm_json *n;

		SSM_TRY(builtin_value(&n, rc, tok));
		*out = n;
	}
	return SSM_OK;
}

/* ---- transforming trees -------------------------------------------------- */

static ssm_err collapse_dollars(ssm_str *s)
{
	size_t i, k = 0;

	if (!s->size)
		return SSM_OK;
	for (i = 0; i < s->size; i++) {
		if (s->ptr[i] == '$' && i + 1 < s->size && s->ptr[i + 1] == '$')
			i++;
		s->ptr[k++] = s->ptr[i];
	}
	ssm_str_truncate(s, k);
	return SSM_OK;
}

/* Transform one string. *@splice is set when the result is a list whose
 * elements replace the string inside its parent list. */
static ssm_err xform_string(const ssm_json **out, struct rctx *rc,
			    const ssm_json *in, bool in_list, bool *splice)
{
	const char *s = ssm_json_str(in);
	size_t len = ssm_json_str_len(in), from = 0, copied = 0;
	ssm_doc_token tok;
	const ssm_json *v;
	ssm_str *text = &rc->text;
	struct ref *ref;
	bool secret, any = false, any_secret = false;
	ssm_json *node;
	ssm_err error = SSM_OK;

	*out = in;
	*splice = false;
	if (len < 5 || !memchr(s, '{', len))
		return SSM_OK;
	ssm_str_clear(text);
	if (ssm_doc__token_whole(&tok, s, len) && phase_wants(rc, &tok)) {
		SSM_TRY(token_value(&v, rc, &tok, in_list, &secret, &ref));
		if (!v)
			return SSM_OK;
		if (ref && ref->r.type == SSM_DOCUMENT_REFERENCE_STRING_LIST) {
			/* an element of a list: split on every ',' */
			const char *val = ref->r.value, *comma;
			ssm_json *arr, *e;

			SSM_TRY(ssm_json_new_array(&arr, rc->tree));
			for (;;) {
				comma = strchr(val, ',');
				SSM_TRY(ssm_json_new_string(
					&e, rc->tree, val,
					comma ? (size_t)(comma - val)
					      : strlen(val)));
				SSM_TRY(ssm_json_array_append(rc->tree, arr,
							      e));
				if (!comma)
					break;
				val = comma + 1;
			}
			*out = arr;
			*splice = true;
			return SSM_OK;
		}
		if (secret)
			SSM_TRY(add_secret(rc, v, s, len));
		*out = v;
		return SSM_OK;
	}
	while (ssm_doc__token_next(&tok, s, len, from)) {
		from = tok.end;
		if (!phase_wants(rc, &tok))
			continue;
		error = token_value(&v, rc, &tok, false, &secret, &ref);
		if (error < 0)
			goto done;
		if (!v)
			continue;
		if ((error = ssm_str_put(text, s + copied,
					 tok.start - copied)) < 0)
			goto done;
		if (ssm_json_typeof(v) == SSM_JSON_STRING)
			error = ssm_str_put(text, ssm_json_str(v),
					    ssm_json_str_len(v));
		else
			error = ssm_json_write(text, v, 0);
		if (error < 0)
			goto done;
		copied = tok.end;
		any = true;
		any_secret |= secret;
	}
	if (!any)
		goto done;
	if ((error = ssm_str_put(text, s + copied, len - copied)) < 0)
		goto done;
	if (rc->phase == PH_PARAMS)
		collapse_dollars(text);
	error = ssm_json_new_string(&node, rc->tree, ssm_str_cstr(text),
				    text->size);
	if (error == SSM_OK && any_secret)
		error = add_secret(rc, node, s, len);
	if (error == SSM_OK)
		*out = node;
done:
	if (any_secret)
		ssm__zeroize(text->ptr, text->size);
	ssm_str_clear(text);
	return error;
}

static ssm_err xform(const ssm_json **out, struct rctx *rc, const ssm_json *in,
		     bool in_list, bool *splice, int depth);

/* Append ".key" to the relative path of the input being transformed (no
 * snprintf: this runs for every member). */
static void rel_push(struct rctx *rc, size_t saved, const char *key, size_t len)
{
	size_t room = sizeof(rc->rel) - 1 - saved, at = saved;

	if (saved && room) {
		rc->rel[at++] = '.';
		room--;
	}
	if (len > room)
		len = room;
	memcpy(rc->rel + at, key, len);
	rc->rel_len = at + len;
	rc->rel[rc->rel_len] = '\0';
}

static ssm_err xform_array(const ssm_json **out, struct rctx *rc,
			   const ssm_json *in, int depth)
{
	size_t i, k, n = ssm_json_size(in);
	const ssm_json **items = NULL;
	bool changed = false, *splices = NULL;
	ssm_json *arr;
	ssm_err error = SSM_OK;

	*out = in;
	if (!n)
		return SSM_OK;
	items = ssm_arena_calloc(&rc->scratch, n, sizeof(*items));
	splices = ssm_arena_calloc(&rc->scratch, n, sizeof(*splices));
	if (!items || !splices)
		return SSM_ERROR;
	for (i = 0; i < n; i++) {
		const ssm_json *e = ssm_json_at(in, i);

		SSM_TRY(xform(&items[i], rc, e, true, &splices[i], depth + 1));
		changed |= items[i] != e || splices[i];
	}
	if (!changed)
		return SSM_OK;
	SSM_TRY(ssm_json_new_array(&arr, rc->tree));
	for (i = 0; i < n && error == SSM_OK; i++) {
		if (!splices[i]) {
			error = ssm_json_array_append(rc->tree, arr,
						      (ssm_json *)items[i]);
			continue;
		}
		for (k = 0; k < ssm_json_size(items[i]) && error == SSM_OK; k++)
			error = ssm_json_array_append(rc->tree, arr,
						      ssm_json_at(items[i], k));
	}
	if (error == SSM_OK)
		*out = arr;
	return error;
}

static ssm_err xform_object(const ssm_json **out, struct rctx *rc,
			    const ssm_json *in, int depth)
{
	size_t i, n = ssm_json_size(in), saved = rc->rel_len;
	const ssm_json **items;
	bool changed = false, splice, script = rc->script;
	ssm_json *obj;
	ssm_err error = SSM_OK;

	*out = in;
	if (!n)
		return SSM_OK;
	items = ssm_arena_calloc(&rc->scratch, n, sizeof(*items));
	if (!items)
		return SSM_ERROR;
	for (i = 0; i < n; i++) {
		const ssm_json_member *m = ssm_json_member_at(in, i);

		rel_push(rc, saved, m->key, m->key_len);
		if (depth == 0 && rc->plugin && rc->plugin->script)
			rc->script = strcmp(m->key, "runCommand") == 0;
		error = xform(&items[i], rc, m->value, false, &splice,
			      depth + 1);
		rc->rel_len = saved;
		rc->rel[saved] = '\0';
		rc->script = script;
		SSM_TRY(error);
		changed |= items[i] != m->value;
	}
	if (!changed)
		return SSM_OK;
	SSM_TRY(ssm_json_new_object(&obj, rc->tree));
	for (i = 0; i < n && error == SSM_OK; i++) {
		const ssm_json_member *m = ssm_json_member_at(in, i);

		error = ssm_json_object_set(rc->tree, obj, m->key, m->key_len,
					    (ssm_json *)items[i]);
	}
	if (error == SSM_OK)
		*out = obj;
	return error;
}

static ssm_err xform(const ssm_json **out, struct rctx *rc, const ssm_json *in,
		     bool in_list, bool *splice, int depth)
{
	*splice = false;
	*out = in;
	if (depth > SSM_JSON_DEFAULT_MAX_DEPTH * 2)
		return SSM_OK;
	switch (ssm_json_typeof(in)) {
	case SSM_JSON_STRING:
		return xform_string(out, rc, in, in_list, splice);
	case SSM_JSON_ARRAY:
		return xform_array(out, rc, in, depth);
	case SSM_JSON_OBJECT:
		return xform_object(out, rc, in, depth);
	default:
		return SSM_OK;
	}
}

/* Phase 2 needs the references first: collect every unique one. */
static ssm_err collect(struct rctx *rc, const ssm_json *in, int depth)
{
	size_t i, saved = rc->rel_len;
	ssm_doc_token tok;

	if (depth > SSM_JSON_DEFAULT_MAX_DEPTH * 2)
		return SSM_OK;
	switch (ssm_json_typeof(in)) {
	case SSM_JSON_STRING: {
		const char *s = ssm_json_str(in);
		size_t len = ssm_json_str_len(in), from = 0;

		while (ssm_doc__token_next(&tok, s, len, from)) {
			from = tok.end;
			if (phase_wants(rc, &tok))
				SSM_TRY(ref_add(rc, &tok));
		}
		return SSM_OK;
	}
	case SSM_JSON_ARRAY:
		for (i = 0; i < ssm_json_size(in); i++)
			SSM_TRY(collect(rc, ssm_json_at(in, i), depth + 1));
		return SSM_OK;
	case SSM_JSON_OBJECT:
		for (i = 0; i < ssm_json_size(in); i++) {
			const ssm_json_member *m = ssm_json_member_at(in, i);
			ssm_err error;

			rel_push(rc, saved, m->key, m->key_len);
			error = collect(rc, m->value, depth + 1);
			rc->rel_len = saved;
			rc->rel[saved] = '\0';
			SSM_TRY(error);
		}
		return SSM_OK;
	default:
		return SSM_OK;
	}
}

/* Run one phase over a value (a step's inputs, or a precondition). */
static ssm_err run_phase(const ssm_json **out, struct rctx *rc,
			 const ssm_json *in, enum phase phase)
{
	bool splice;

	rc->phase = phase;
	rc->rel_len = 0;
	rc->rel[0] = '\0';
	return xform(out, rc, in, false, &splice, 0);
}

/* ---- the plan ----------------------------------------------------------- */

void ssm_doc__plan_free(ssm_doc_plan *plan)
{
	if (!plan)
		return;
	if (plan->tree) {
		/* the tree lives in its own arena: copy it out first; wipe it
		 * when it holds secrets */
		ssm_arena arena = plan->tree->arena;

		if (plan->nsecrets)
			ssm_arena_dispose_secure(&arena);
		else
			ssm_arena_dispose(&arena);
	}
	ssm__free(plan);
}

static bool want_refs(const struct rctx *rc)
{
	return rc->args->resolve_cb &&
	       !(rc->args->flags & SSM_DOC_RENDER_KEEP_REFS);
}

/* Evaluate a precondition (after parameter substitution). */
static ssm_err precondition(struct rctx *rc, ssm_doc_plan_step *ps,
			    const ssm_json *pre)
{
	const ssm_json *args, *a, *b;
	const char *plat = ssm_doc__platform_name(rc->plan->platform);
	char reason[300];

	SSM_TRY(run_phase(&args, rc,
			  ssm_json_member_at(pre, 0)
				  ? ssm_json_member_at(pre, 0)->value
				  : NULL,
			  PH_PARAMS));
	a = ssm_json_at(args, 0);
	b = ssm_json_at(args, 1);
	if (!a || !b)
		return SSM_OK;
	if (strcmp(ssm_json_str(a), "platformType") == 0) {
		if (strcasecmp(ssm_json_str(b), plat) == 0)
			return SSM_OK;
		snprintf(reason, sizeof(reason),
			 "precondition StringEquals [platformType, %.100s] is "
			 "false on %s",
			 ssm_json_str(b), plat);
	} else {
		if (ssm_json_str_len(a) == ssm_json_str_len(b) &&
		    memcmp(ssm_json_str(a), ssm_json_str(b),
			   ssm_json_str_len(a)) == 0)
			return SSM_OK;
		snprintf(reason, sizeof(reason),
			 "precondition StringEquals [%.100s, %.100s] is false",
			 ssm_json_str(a), ssm_json_str(b));
	}
	ps->state = SSM_DOCUMENT_STEP_SKIP;
	ps->reason = ssm_arena_strdup(&rc->tree->arena, reason);
	return ps->reason ? SSM_OK : SSM_ERROR;
}

static const char *control_text(const ssm_json *v)
{
	if (ssm_json_typeof(v) == SSM_JSON_STRING)
		return ssm_json_str(v);
	if (ssm_json_typeof(v) == SSM_JSON_BOOL)
		return ssm_json_bool(v) ? "true" : "false";
	return NULL;
}

static ssm_err step_control(ssm_doc_plan_step *ps, const ssm_json *inputs)
{
	const char *s;

	s = control_text(ssm_json_get(inputs, "onFailure"));
	if (s && (strcmp(s, "exit") == 0 || strcmp(s, "successAndExit") == 0))
		ps->on_failure = s;
	s = control_text(ssm_json_get(inputs, "onSuccess"));
	if (s && strcmp(s, "exit") == 0)
		ps->on_success = s;
	s = control_text(ssm_json_get(inputs, "finallyStep"));
	ps->finally_step = s && strcasecmp(s, "true") == 0;
	return SSM_OK;
}

/* Inputs: parameters, references, built-ins. */
static ssm_err render_inputs(const ssm_json **out, struct rctx *rc,
			     const ssm_json *in)
{
	const ssm_json *v = in;

	SSM_TRY(run_phase(&v, rc, v, PH_PARAMS));
	if (rc->resolved)
		SSM_TRY(run_phase(&v, rc, v, PH_REFS));
	if (rc->doc->type == SSM_DOCUMENT_AUTOMATION)
		SSM_TRY(run_phase(&v, rc, v, PH_BUILTINS));
	*out = v;
	return SSM_OK;
}

static ssm_err empty_object(const ssm_json **out, struct rctx *rc)
{
	ssm_json *o;

	SSM_TRY(ssm_json_new_object(&o, rc->tree));
	*out = o;
	return SSM_OK;
}

static ssm_err render_step(struct rctx *rc, ssm_doc_plan_step *ps,
			   const ssm_doc_step *st, bool last)
{
	const ssm_doc *doc = rc->doc;
	const ssm_json *inputs = st->inputs;
	unsigned bit = SSM_DOCUMENT_PLATFORM_BIT(rc->plan->platform);
	char reason[300];

	ps->step = st;
	ps->name = st->name;
	ps->action = st->action;
	ps->state = SSM_DOCUMENT_STEP_RUN;
	rc->plugin = st->plugin;
	rc->step_secret = false;

	if (doc->type == SSM_DOCUMENT_SESSION) {
		/* the commands of the node's platform */
		if (doc->session_type &&
		    strstr(doc->session_type, "InteractiveCommands")) {
			const char *key =
				rc->plan->platform == SSM_DOCUMENT_WINDOWS
					? "windows"
				: rc->plan->platform == SSM_DOCUMENT_MACOS
					? "macos"
					: "linux";

			inputs = ssm_json_get(inputs, key);
			if (!inputs) {
				ps->state = SSM_DOCUMENT_STEP_FAIL;
				snprintf(reason, sizeof(reason),
					 "the document has no %s commands",
					 key);
				ps->reason = ssm_arena_strdup(&rc->tree->arena,
							      reason);
				if (!ps->reason)
					return SSM_ERROR;
			}
		}
	}
	if (inputs)
		SSM_TRY(render_inputs((const ssm_json **)&ps->inputs, rc,
				      inputs));
	else
		SSM_TRY(empty_object((const ssm_json **)&ps->inputs, rc));
	ps->secret = rc->step_secret;

	if (doc->type == SSM_DOCUMENT_SESSION) {
		ps->timeout_s = 0;
		return SSM_OK;
	}
	if (doc->type == SSM_DOCUMENT_AUTOMATION) {
		ps->timeout_s = st->timeout_seconds;
		return SSM_OK;
	}
	ps->timeout_s =
		ssm_doc__timeout(ssm_json_get(ps->inputs, "timeoutSeconds"));
	SSM_TRY(step_control(ps, ps->inputs));
	if (!last)
		ps->finally_step = false;
	if (st->precondition) {
		SSM_TRY(precondition(rc, ps, st->precondition));
	} else if (st->plugin && !(st->plugin->platforms & bit)) {
		bool v22 = doc->schema_major == 2 && doc->schema_minor >= 2;

		ps->state =
			v22 ? SSM_DOCUMENT_STEP_SKIP : SSM_DOCUMENT_STEP_FAIL;
		snprintf(reason, sizeof(reason), "%s does not run on %s",
			 st->action,
			 ssm_doc__platform_name(rc->plan->platform));
		ps->reason = ssm_arena_strdup(&rc->tree->arena, reason);
		if (!ps->reason)
			return SSM_ERROR;
	}
	return SSM_OK;
}

/* Resolve every reference of the document (and of parameter values). */
static ssm_err resolve_refs(struct rctx *rc)
{
	const ssm_doc *doc = rc->doc;
	size_t i;
	int rv;

	rc->phase = PH_REFS;
	for (i = 0; i < doc->nsteps; i++) {
		const ssm_json *in;

		rc->plugin = doc->steps[i].plugin;
		/* references inside parameter values count too */
		rc->phase = PH_PARAMS;
		SSM_TRY(run_phase(&in, rc, doc->steps[i].inputs, PH_PARAMS));
		rc->phase = PH_REFS;
		rc->rel_len = 0;
		rc->rel[0] = '\0';
		SSM_TRY(collect(rc, in, 0));
	}
	if (doc->session_inputs) {
		const ssm_json *in;

		rc->plugin = NULL;
		SSM_TRY(run_phase(&in, rc, doc->session_inputs, PH_PARAMS));
		rc->phase = PH_REFS;
		rc->rel_len = 0;
		SSM_TRY(collect(rc, in, 0));
	}
	rc->plugin = NULL;
	rc->phase = PH_REFS;
	for (i = 0; rc->bound && i < rc->bound->count; i++) {
		rc->rel_len = 0;
		rc->rel[0] = '\0';
		SSM_TRY(collect(rc, rc->bound->values[i], 0));
	}
	if (!rc->nrefs)
		return SSM_OK;
	{
		ssm_document_reference *batch = ssm_arena_calloc(
			&rc->scratch, rc->nrefs, sizeof(*batch));

		if (!batch)
			return SSM_ERROR;
		for (i = 0; i < rc->nrefs; i++)
			batch[i] = rc->refs[i].r;
		ssm_error_clear();
		rv = rc->args->resolve_cb(batch, rc->nrefs,
					  rc->args->resolve_payload);
		if (rv) {
			const ssm_error *e = ssm_error_last();

			if (e->code < 0 && e->code != SSM_EUSER)
				return e->code;
			return ssm_error__set(SSM_EUSER, SSM_ERRCLASS_CALLBACK,
					      NULL,
					      "the reference resolver failed "
					      "(%d)",
					      rv);
		}
		for (i = 0; i < rc->nrefs; i++) {
			rc->refs[i].r.type = batch[i].type;
			rc->refs[i].r.value = batch[i].value;
		}
	}
	rc->resolved = true;
	return SSM_OK;
}

static ssm_err ref_errors(struct rctx *rc)
{
	if (rc->ninvalid)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_DOCUMENT,
				      err_name(rc->doc),
				      "Input contains invalid parameters [%s]",
				      ssm_str_cstr(&rc->invalid));
	if (rc->nsecure_bad)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_DOCUMENT,
				      err_name(rc->doc),
				      "Parameters [%s] of type SecureString "
				      "are not supported",
				      ssm_str_cstr(&rc->secure_bad));
	return SSM_OK;
}

/* Values that held references: check allowedPattern on what they became. */
static ssm_err recheck_patterns(struct rctx *rc)
{
	size_t i;

	for (i = 0; rc->bound && i < rc->bound->count; i++) {
		const ssm_json *v = rc->bound->values[i], *r;

		if (!rc->doc->params[i].re)
			continue;
		SSM_TRY(run_phase(&r, rc, v, PH_REFS));
		if (r != v)
			SSM_TRY(ssm_doc__check_value(
				rc->doc, &rc->doc->params[i], r, true));
	}
	return ref_errors(rc);
}

static ssm_err plan_parameters(struct rctx *rc)
{
	size_t i;
	ssm_doc_plan *plan = rc->plan;

	SSM_TRY(ssm_json_new_object(&plan->parameters, rc->tree));
	SSM_TRY(ssm_json_new_object(&plan->env, rc->tree));
	if (rc->bound && rc->bound->count) {
		rc->pvals = ssm_arena_calloc(&rc->scratch, rc->bound->count,
					     sizeof(*rc->pvals));
		if (!rc->pvals)
			return SSM_ERROR;
	}
	for (i = 0; rc->bound && i < rc->bound->count; i++) {
		const ssm_doc_param *p = &rc->doc->params[i];
		ssm_json *v;

		SSM_TRY(ssm_json_copy(&v, rc->tree, rc->bound->values[i]));
		rc->pvals[i] = v;
		SSM_TRY(ssm_json_object_set(rc->tree, plan->parameters, p->name,
					    strlen(p->name), v));
		if (p->env_var) {
			char key[160];

			snprintf(key, sizeof(key), "SSM_%s", p->name);
			SSM_TRY(ssm_json_object_set(rc->tree, plan->env, key,
						    strlen(key), v));
		}
	}
	return SSM_OK;
}

ssm_err ssm_doc__render(ssm_doc_plan **out, const ssm_doc *doc,
			const ssm_doc_bound *bound,
			const ssm_doc_render_args *args)
{
	struct rctx *rc;
	ssm_doc_plan *plan = NULL;
	size_t i;
	ssm_err error;

	*out = NULL;
	rc = ssm__calloc(1, sizeof(*rc));
	plan = ssm__calloc(1, sizeof(*plan));
	if (!rc || !plan) {
		error = SSM_ERROR;
		goto done;
	}
	rc->doc = doc;
	rc->bound = bound;
	rc->args = args;
	rc->plan = plan;
	plan->doc = doc;
	plan->platform = args->platform ? args->platform : SSM_DOCUMENT_LINUX;
	if ((error = ssm_json_doc_new(&plan->tree)) < 0)
		goto done;
	rc->tree = plan->tree;
	if (doc->nsteps) {
		plan->steps = ssm_arena_calloc(&plan->tree->arena, doc->nsteps,
					       sizeof(*plan->steps));
		if (!plan->steps) {
			error = SSM_ERROR;
			goto done;
		}
	}
	if ((error = plan_parameters(rc)) < 0)
		goto done;
	if (want_refs(rc)) {
		if ((error = resolve_refs(rc)) < 0)
			goto done;
		if (rc->resolved && (error = recheck_patterns(rc)) < 0)
			goto done;
	}
	for (i = 0; i < doc->nsteps; i++) {
		error = render_step(rc, &plan->steps[i], &doc->steps[i],
				    i + 1 == doc->nsteps);
		if (error == SSM_OK)
			error = ref_errors(rc);
		if (error < 0)
			goto done;
		plan->nsteps = i + 1;
	}
	if (doc->session_inputs) {
		const ssm_json *v;

		rc->plugin = NULL;
		if ((error = render_inputs(&v, rc, doc->session_inputs)) < 0 ||
		    (error = ref_errors(rc)) < 0)
			goto done;
		plan->session_inputs = (ssm_json *)v;
	}
done:
	if (rc) {
		/* names and arrays only: resolved values never live here */
		ssm_arena_dispose(&rc->scratch);
		ssm_str_dispose_secure(&rc->text);
		ssm_str_dispose(&rc->invalid);
		ssm_str_dispose(&rc->secure_bad);
		ssm__free(rc);
	}
	if (error < 0) {
		ssm_doc__plan_free(plan);
		return error;
	}
	*out = plan;
	return SSM_OK;
}

/* ---- writing plans --------------------------------------------------------
 */

static const ssm_doc_secret *secret_of(const ssm_doc_plan *plan,
				       const ssm_json *v)
{
	size_t i;

	for (i = 0; i < plan->nsecrets; i++)
		if (plan->secrets[i].node == v)
			return &plan->secrets[i];
	return NULL;
}

static ssm_err write_value(ssm_jsonw *w, const ssm_doc_plan *plan,
			   const ssm_json *v, unsigned int flags, int depth)
{
	size_t i;

	if (depth > SSM_JSON_WRITE_MAX_DEPTH)
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_DOCUMENT, NULL,
				      "the plan nests too deep");
	switch (ssm_json_typeof(v)) {
	case SSM_JSON_STRING:
		if ((flags & SSM_DOCUMENT_PLAN_REDACT) && plan->nsecrets) {
			const ssm_doc_secret *s = secret_of(plan, v);

			if (s)
				return ssm_jsonw_string(w, s->original,
							s->original_len);
		}
		return ssm_jsonw_string(w, ssm_json_str(v),
					ssm_json_str_len(v));
	case SSM_JSON_ARRAY:
		SSM_TRY(ssm_jsonw_array_begin(w));
		for (i = 0; i < ssm_json_size(v); i++)
			SSM_TRY(write_value(w, plan, ssm_json_at(v, i), flags,
					    depth + 1));
		return ssm_jsonw_array_end(w);
	case SSM_JSON_OBJECT:
		SSM_TRY(ssm_jsonw_object_begin(w));
		for (i = 0; i < ssm_json_size(v); i++) {
			const ssm_json_member *m = ssm_json_member_at(v, i);

			SSM_TRY(ssm_jsonw_key(w, m->key, m->key_len));
			SSM_TRY(write_value(w, plan, m->value, flags,
					    depth + 1));
		}
		return ssm_jsonw_object_end(w);
	default:
		return ssm_jsonw_value(w, v);
	}
}

ssm_err ssm_doc__plan_write_value(ssm_str *out, const ssm_doc_plan *plan,
				  const ssm_json *v, unsigned int flags)
{
	ssm_jsonw w;

	ssm_jsonw_init(&w, out,
		       flags & SSM_DOCUMENT_PLAN_PRETTY ? SSM_JSON_WRITE_PRETTY
							: 0);
	SSM_TRY(write_value(&w, plan, v, flags, 0));
	return ssm_jsonw_finish(&w);
}

static const char *state_name(ssm_document_step_state s)
{
	switch (s) {
	case SSM_DOCUMENT_STEP_RUN:
		return "Run";
	case SSM_DOCUMENT_STEP_SKIP:
		return "Skip";
	case SSM_DOCUMENT_STEP_FAIL:
		return "Fail";
	}
	return "Fail";
}

ssm_err ssm_doc__plan_write(ssm_str *out, const ssm_doc_plan *plan,
			    unsigned int flags)
{
	const ssm_doc *doc = plan->doc;
	ssm_jsonw w;
	size_t i;

	ssm_jsonw_init(&w, out,
		       flags & SSM_DOCUMENT_PLAN_PRETTY ? SSM_JSON_WRITE_PRETTY
							: 0);
	ssm_jsonw_object_begin(&w);
	if (doc->schema_version) {
		ssm_jsonw_keyz(&w, "SchemaVersion");
		ssm_jsonw_stringz(&w, doc->schema_version);
	}
	ssm_jsonw_keyz(&w, "DocumentType");
	ssm_jsonw_stringz(&w, ssm_doc__type_name(doc->type));
	ssm_jsonw_keyz(&w, "Platform");
	ssm_jsonw_stringz(&w, ssm_doc__platform_name(plan->platform));
	if (doc->session_type) {
		ssm_jsonw_keyz(&w, "SessionType");
		ssm_jsonw_stringz(&w, doc->session_type);
	}
	ssm_jsonw_keyz(&w, "Parameters");
	SSM_TRY(write_value(&w, plan, plan->parameters, flags, 1));
	if (ssm_json_size(plan->env)) {
		ssm_jsonw_keyz(&w, "Environment");
		SSM_TRY(write_value(&w, plan, plan->env, flags, 1));
	}
	if (plan->session_inputs) {
		ssm_jsonw_keyz(&w, "SessionInputs");
		SSM_TRY(write_value(&w, plan, plan->session_inputs, flags, 1));
	}
	ssm_jsonw_keyz(&w, "Steps");
	ssm_jsonw_array_begin(&w);
	for (i = 0; i < plan->nsteps; i++) {
		const ssm_doc_plan_step *ps = &plan->steps[i];

		ssm_jsonw_object_begin(&w);
		ssm_jsonw_keyz(&w, "Name");
		ssm_jsonw_stringz(&w, ps->name);
		ssm_jsonw_keyz(&w, "Action");
		ssm_jsonw_stringz(&w, ps->action);
		ssm_jsonw_keyz(&w, "State");
		ssm_jsonw_stringz(&w, state_name(ps->state));
		if (ps->reason) {
			ssm_jsonw_keyz(&w, "Reason");
			ssm_jsonw_stringz(&w, ps->reason);
		}
		if (doc->type != SSM_DOCUMENT_SESSION) {
			ssm_jsonw_keyz(&w, "TimeoutSeconds");
			ssm_jsonw_int64(&w, ps->timeout_s);
		}
		if (ps->on_failure) {
			ssm_jsonw_keyz(&w, "OnFailure");
			ssm_jsonw_stringz(&w, ps->on_failure);
		}
		if (ps->on_success) {
			ssm_jsonw_keyz(&w, "OnSuccess");
			ssm_jsonw_stringz(&w, ps->on_success);
		}
		if (ps->finally_step) {
			ssm_jsonw_keyz(&w, "FinallyStep");
			ssm_jsonw_bool(&w, true);
		}
		if (doc->type == SSM_DOCUMENT_AUTOMATION && ps->step) {
			const ssm_doc_step *st = ps->step;

			ssm_jsonw_keyz(&w, "MaxAttempts");
			ssm_jsonw_int64(&w, st->max_attempts);
			ssm_jsonw_keyz(&w, "OnFailure");
			ssm_jsonw_stringz(&w, st->on_failure ? st->on_failure
							     : "Abort");
			if (st->on_cancel) {
				ssm_jsonw_keyz(&w, "OnCancel");
				ssm_jsonw_stringz(&w, st->on_cancel);
			}
			if (st->next_step) {
				ssm_jsonw_keyz(&w, "NextStep");
				ssm_jsonw_stringz(&w, st->next_step);
			}
			ssm_jsonw_keyz(&w, "IsEnd");
			ssm_jsonw_bool(&w, st->is_end);
			ssm_jsonw_keyz(&w, "IsCritical");
			ssm_jsonw_bool(&w, st->is_critical);
		}
		ssm_jsonw_keyz(&w, "Inputs");
		SSM_TRY(write_value(&w, plan, ps->inputs, flags, 2));
		ssm_jsonw_object_end(&w);
	}
	ssm_jsonw_array_end(&w);
	ssm_jsonw_object_end(&w);
	return ssm_jsonw_finish(&w);
}
