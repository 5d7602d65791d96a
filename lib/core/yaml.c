/* SPDX-License-Identifier: Apache-2.0 */
#include "core/yaml.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/encode.h"

#define TAG_PREFIX "tag:yaml.org,2002:"

/* ------------------------------------------------------------------------ */
/* The core schema                                                          */

typedef enum kind {
	K_STR,
	K_NULL,
	K_TRUE,
	K_FALSE,
	K_INT10,
	K_INT8,
	K_INT16,
	K_FLOAT,
	K_INF,
	K_NINF,
	K_NAN
} kind;

static bool is_one_of(const char *s, size_t len, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == len && !memcmp(s, *words, len))
			return true;
	return false;
}

static bool digits(const char *s, size_t len, size_t *i, int base)
{
	size_t start = *i;

	for (; *i < len; (*i)++) {
		char c = s[*i];
		bool ok = base == 8    ? c >= '0' && c <= '7'
			  : base == 10 ? c >= '0' && c <= '9'
				       : (c >= '0' && c <= '9') ||
						 ((c | 0x20) >= 'a' &&
						  (c | 0x20) <= 'f');

		if (!ok)
			break;
	}
	return *i > start;
}

/* What a plain scalar means under the YAML 1.2 core schema. */
static kind resolve_plain(const char *s, size_t len)
{
	static const char *const nulls[] = { "~", "null", "Null", "NULL",
					     NULL };
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", NULL };
	static const char *const infs[] = { ".inf", ".Inf", ".INF", NULL };
	static const char *const nans[] = { ".nan", ".NaN", ".NAN", NULL };
	size_t i = 0, sign = 0;
	bool mant;

	if (!len)
		return K_NULL;
	/* most strings start with a letter that no other type starts with */
	if (!strchr("~nNtTfF.+-0123456789", s[0]))
		return K_STR;
	if (is_one_of(s, len, nulls))
		return K_NULL;
	if (is_one_of(s, len, trues))
		return K_TRUE;
	if (is_one_of(s, len, falses))
		return K_FALSE;
	if (is_one_of(s, len, nans))
		return K_NAN;
	if (len > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
		i = 2;
		if (digits(s, len, &i, s[1] == 'o' ? 8 : 16) && i == len)
			return s[1] == 'o' ? K_INT8 : K_INT16;
		return K_STR;
	}
	if (s[0] == '-' || s[0] == '+')
		sign = i = 1;
	if (is_one_of(s + sign, len - sign, infs))
		return s[0] == '-' ? K_NINF : K_INF;
	mant = digits(s, len, &i, 10);
	if (mant && i == len)
		return K_INT10;
	if (i < len && s[i] == '.') {
		i++;
		mant = digits(s, len, &i, 10) || mant;
	}
	if (!mant)
		return K_STR;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		if (!digits(s, len, &i, 10))
			return K_STR;
	}
	return i == len ? K_FLOAT : K_STR;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? */
static bool json_number_syntax(const char *s, size_t len)
{
	size_t i = 0;

	if (i < len && s[i] == '-')
		i++;
	if (i < len && s[i] == '0')
		i++;
	else if (!(i < len && s[i] >= '1' && s[i] <= '9') ||
		 !digits(s, len, &i, 10))
		return false;
	if (i < len && s[i] == '.') {
		i++;
		if (!digits(s, len, &i, 10))
			return false;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		if (!digits(s, len, &i, 10))
			return false;
	}
	return i == len;
}

/* ------------------------------------------------------------------------ */
/* Parser state                                                             */

typedef struct stats {
	uint64_t count;	 /* values, aliases expanded */
	uint64_t bytes;	 /* string and key bytes, aliases expanded */
	uint32_t height; /* array/object levels: 0 for a scalar */
} stats;

typedef struct anchor {
	const char *name;
	ssm_json *node;
	stats st;
} anchor;

typedef struct yframe {
	ssm_json *node;
	size_t first; /* its first pending child */
	const char *anchor;
	stats st;
	uint32_t line, column;
	/* mappings: the key waiting for its value */
	bool want_key, key_merge, has_merge;
	const char *key;
	size_t key_len;
	uint32_t key_line, key_col;
} yframe;

typedef struct yparse {
	ssm_json_doc *doc;
	const char *text;
	size_t len;
	ssm_json_limits lim;
	yframe *frames;
	size_t depth, frames_cap;
	ssm_json_member *pending;
	size_t npending, pending_cap;
	anchor *anchors; /* open addressing, anchors_cap a power of two */
	size_t nanchors, anchors_cap;
	size_t real_nodes;
	uint64_t nodes, bytes; /* expanded */
	ssm_json *root;
	int docs;
} yparse;

/* The key of a pending member that is a merge ("<<"). */
static const char merge_key[] = "<<";

static ssm_err yerr(ssm_err code, yaml_mark_t mark, const char *fmt, ...)
	SSM_FORMAT_PRINTF(3, 4);

static ssm_err yerr(ssm_err code, yaml_mark_t mark, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ssm_error__set(code, SSM_ERRCLASS_YAML, NULL,
			      "line %zu, column %zu: %s", mark.line + 1,
			      mark.column + 1, msg);
}

/* "!!str" for "tag:yaml.org,2002:str" */
static const char *short_tag(char *buf, const char *tag)
{
	char q[64];

	if (!strncmp(tag, TAG_PREFIX, strlen(TAG_PREFIX))) {
		snprintf(buf, 64, "!!%s",
			 ssm_json__quote(q, tag + strlen(TAG_PREFIX),
					 strlen(tag + strlen(TAG_PREFIX))) +
				 1);
		buf[strlen(buf) - 1] = '\0'; /* drop the closing quote */
		return buf;
	}
	ssm_json__quote(q, tag, strlen(tag));
	q[strlen(q) - 1] = '\0';
	snprintf(buf, 64, "%s", q + 1);
	return buf;
}

static bool is_tag(const char *tag, const char *name)
{
	return !strncmp(tag, TAG_PREFIX, strlen(TAG_PREFIX)) &&
	       !strcmp(tag + strlen(TAG_PREFIX), name);
}

static ssm_err unknown_tag(yaml_mark_t mark, const char *tag)
{
	char buf[64];

	return yerr(SSM_EINVALID, mark, "unknown tag '%s'",
		    short_tag(buf, tag));
}

static ssm_err count_nodes(yparse *p, yaml_mark_t mark, uint64_t n)
{
	p->nodes += n;
	if (p->nodes > p->lim.max_nodes)
		return yerr(SSM_ELIMIT, mark,
			    "document has more than %zu values",
			    p->lim.max_nodes);
	return SSM_OK;
}

static ssm_err count_bytes(yparse *p, yaml_mark_t mark, uint64_t n)
{
	p->bytes += n;
	if (p->bytes > p->lim.max_input)
		return yerr(SSM_ELIMIT, mark,
			    "aliases expand the document past %zu bytes",
			    p->lim.max_input);
	return SSM_OK;
}

static ssm_err check_text(yparse *p, yaml_mark_t mark, const char *s,
			  size_t len)
{
	if (len > p->lim.max_string)
		return yerr(SSM_ELIMIT, mark,
			    "string of %zu bytes exceeds the limit of %zu", len,
			    p->lim.max_string);
	if (!ssm_utf8_valid(s, len, NULL))
		return yerr(SSM_EINVALID, mark, "invalid UTF-8 in string");
	return SSM_OK;
}

/* ------------------------------------------------------------------------ */
/* Anchors                                                                  */

static size_t anchor_slot(const yparse *p, const char *name)
{
	uint32_t h = 2166136261u;
	size_t mask = p->anchors_cap - 1, i;

	for (const char *s = name; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	i = h & mask;
	while (p->anchors[i].name && strcmp(p->anchors[i].name, name))
		i = (i + 1) & mask;
	return i;
}

static const anchor *anchor_find(const yparse *p, const char *name)
{
	size_t i;

	if (!p->anchors_cap)
		return NULL;
	i = anchor_slot(p, name);
	return p->anchors[i].name ? &p->anchors[i] : NULL;
}

/* A later anchor of the same name replaces the earlier one. */
static ssm_err anchor_add(yparse *p, const char *name, ssm_json *node,
			  const stats *st)
{
	size_t i;

	if ((p->nanchors + 1) * 2 > p->anchors_cap) {
		anchor *old = p->anchors;
		size_t old_cap = p->anchors_cap,
		       cap = old_cap ? old_cap * 2 : 16;

		p->anchors = ssm__calloc(cap, sizeof(*p->anchors));
		if (!p->anchors) {
			p->anchors = old;
			return SSM_ERROR;
		}
		p->anchors_cap = cap;
		for (i = 0; i < old_cap; i++)
			if (old[i].name)
				p->anchors[anchor_slot(p, old[i].name)] =
					old[i];
		ssm__free(old);
	}
	i = anchor_slot(p, name);
	if (!p->anchors[i].name)
		p->nanchors++;
	p->anchors[i].name = name;
	p->anchors[i].node = node;
	p->anchors[i].st = *st;
	return SSM_OK;
}

/* ------------------------------------------------------------------------ */
/* Scalars                                                                  */

static ssm_err number_text(yparse *p, ssm_json *v, const char *text, size_t len)
{
	return ssm_json__number_from_text(p->doc, v, text, len,
					  SSM_ERRCLASS_YAML);
}

/* A float from text strtod understands, written back as JSON number text
 * that still reads as a float. */
static ssm_err float_node(yparse *p, ssm_json *v, const char *s, size_t len)
{
	char buf[40], tmp[64];
	size_t n;
	double d;

	if (json_number_syntax(s, len) && len < 512) {
		size_t i;

		for (i = 0; i < len; i++)
			if (s[i] == '.' || s[i] == 'e' || s[i] == 'E')
				return number_text(p, v, s, len);
	}
	/* strtod needs a terminated copy; longer texts only add digits */
	n = len < sizeof(tmp) ? len : sizeof(tmp) - 1;
	if (len >= sizeof(tmp)) {
		char *copy = ssm__strndup(s, len);

		if (!copy)
			return SSM_ERROR;
		d = ssm_json__strtod(copy, NULL);
		ssm__free(copy);
	} else {
		memcpy(tmp, s, n);
		tmp[n] = '\0';
		d = ssm_json__strtod(tmp, NULL);
	}
	if (isinf(d)) {
		char q[64];

		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_YAML, NULL,
				      "line %u, column %u: number %s is out "
				      "of range",
				      v->line, v->column,
				      ssm_json__quote(q, s, len));
	}
	n = ssm_json__format_double(buf, d);
	if (!strpbrk(buf, ".e")) {
		memcpy(buf + n, ".0", 3);
		n += 2;
	}
	SSM_TRY(number_text(p, v, buf, n));
	v->flags = 0;
	return SSM_OK;
}

/* Decimal, octal or hexadecimal integer text to a number node. */
static ssm_err int_node(yparse *p, ssm_json *v, const char *s, size_t len,
			kind k)
{
	char buf[40];
	uint64_t u = 0;
	double d = 0;
	bool big = false;
	size_t i;
	int base = k == K_INT8 ? 8 : 16, n;

	if (k == K_INT10) {
		bool neg = s[0] == '-';

		/* drop the sign '+' and leading zeros: JSON has neither */
		i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
		while (i + 1 < len && s[i] == '0')
			i++;
		if (!neg)
			return number_text(p, v, s + i, len - i);
		if (len - i + 1 > sizeof(buf)) {
			/* a huge negative number: its double is what counts */
			return float_node(p, v, s, len);
		}
		buf[0] = '-';
		memcpy(buf + 1, s + i, len - i);
		return number_text(p, v, buf, len - i + 1);
	}
	for (i = 2; i < len; i++) {
		unsigned c = (unsigned char)s[i];
		unsigned dg = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

		if (u > (UINT64_MAX - dg) / (unsigned)base)
			big = true;
		u = u * (unsigned)base + dg;
		d = d * base + dg;
	}
	if (big)
		n = (int)ssm_json__format_double(buf, d);
	else
		n = snprintf(buf, sizeof(buf), "%" PRIu64, u);
	return number_text(p, v, buf, (size_t)n);
}

static ssm_err scalar_node(yparse *p, ssm_json **out, const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;
	size_t len = ev->data.scalar.length;
	yaml_mark_t mark = ev->start_mark;
	char q[64], tb[64];
	ssm_json *v;
	kind k;

	*out = NULL;
	SSM_TRY(check_text(p, mark, s, len));
	if (!tag || !strcmp(tag, "!"))
		k = !tag && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE
			    ? resolve_plain(s, len)
			    : K_STR;
	else if (is_tag(tag, "str"))
		k = K_STR;
	else if (is_tag(tag, "null") || is_tag(tag, "bool") ||
		 is_tag(tag, "int") || is_tag(tag, "float")) {
		k = resolve_plain(s, len);
		if (is_tag(tag, "float") && k >= K_INT10 && k <= K_INT16)
			k = K_FLOAT;
		if ((is_tag(tag, "null") && k != K_NULL) ||
		    (is_tag(tag, "bool") && k != K_TRUE && k != K_FALSE) ||
		    (is_tag(tag, "int") && (k < K_INT10 || k > K_INT16)) ||
		    (is_tag(tag, "float") && (k < K_FLOAT || k > K_NAN)))
			return yerr(SSM_EINVALID, mark, "%s is not a valid %s",
				    ssm_json__quote(q, s, len),
				    short_tag(tb, tag));
	} else {
		return unknown_tag(mark, tag);
	}

	v = ssm_json__node(p->doc, SSM_JSON_NULL, (uint32_t)mark.line + 1,
			   (uint32_t)mark.column + 1);
	if (!v)
		return SSM_ERROR;
	switch (k) {
	case K_NULL:
		break;
	case K_TRUE:
	case K_FALSE:
		v->type = SSM_JSON_BOOL;
		v->u.b = k == K_TRUE;
		break;
	case K_INT10:
	case K_INT8:
	case K_INT16:
		SSM_TRY(int_node(p, v, s, len, k));
		break;
	case K_FLOAT:
		SSM_TRY(float_node(p, v, s, len));
		break;
	case K_INF:
	case K_NINF:
	case K_NAN:
		v->type = SSM_JSON_NUMBER;
		v->u.num.text = k == K_INF    ? ".inf"
				: k == K_NINF ? "-.inf"
					      : ".nan";
		v->u.num.text_len = strlen(v->u.num.text);
		v->u.num.d = k == K_INF	   ? INFINITY
			     : k == K_NINF ? -INFINITY
					   : NAN;
		break;
	case K_STR:
		v->type = SSM_JSON_STRING;
		v->u.str.ptr = ssm_arena_strndup(&p->doc->arena, s, len);
		if (!v->u.str.ptr)
			return SSM_ERROR;
		v->u.str.len = len;
		break;
	}
	*out = v;
	return SSM_OK;
}

/* ------------------------------------------------------------------------ */
/* Building the tree                                                        */

static bool grow(void **items, size_t *cap, size_t size, size_t first)
{
	size_t ncap = *cap ? *cap * 2 : first, bytes;
	void *n;

	if (ssm__mul_overflow(&bytes, ncap, size)) {
		ssm_error__oom();
		return false;
	}
	n = ssm__realloc(*items, bytes);
	if (!n)
		return false;
	*items = n;
	*cap = ncap;
	return true;
}

static yframe *top(yparse *p)
{
	return p->depth ? &p->frames[p->depth - 1] : NULL;
}

static bool want_key(yparse *p)
{
	yframe *f = top(p);

	return f && f->node->type == SSM_JSON_OBJECT && f->want_key;
}

/* A finished value goes to its parent (or becomes the root). */
static ssm_err add_value(yparse *p, ssm_json *v, const stats *st)
{
	yframe *f = top(p);
	ssm_json_member *m;
	void *items;

	if (!f) {
		p->root = v;
		return SSM_OK;
	}
	if (p->npending == p->pending_cap) {
		items = p->pending;
		if (!grow(&items, &p->pending_cap, sizeof(*p->pending), 64))
			return SSM_ERROR;
		p->pending = items;
	}
	m = &p->pending[p->npending++];
	memset(m, 0, sizeof(*m));
	m->value = v;
	if (f->node->type == SSM_JSON_OBJECT) {
		m->key = f->key_merge ? merge_key : f->key;
		m->key_len = f->key_len;
		m->line = f->key_line;
		m->column = f->key_col;
		f->want_key = true;
	}
	f->st.count += st->count;
	f->st.bytes += st->bytes;
	if (st->height + 1 > f->st.height)
		f->st.height = st->height + 1;
	return SSM_OK;
}

static ssm_err set_key(yparse *p, yaml_mark_t mark, const char *s, size_t len,
		       bool merge)
{
	yframe *f = &p->frames[p->depth - 1]; /* a mapping is open */
	char *copy;

	SSM_TRY(check_text(p, mark, s, len));
	SSM_TRY(count_bytes(p, mark, len));
	copy = ssm_arena_strndup(&p->doc->arena, s, len);
	if (!copy)
		return SSM_ERROR;
	f->key = copy;
	f->key_len = len;
	f->key_line = (uint32_t)mark.line + 1;
	f->key_col = (uint32_t)mark.column + 1;
	f->key_merge = merge;
	if (merge)
		f->has_merge = true;
	f->st.bytes += len;
	f->want_key = false;
	return SSM_OK;
}

static const char *anchor_copy(yparse *p, const yaml_char_t *name)
{
	return ssm_arena_strdup(&p->doc->arena, (const char *)name);
}

static ssm_err on_scalar(yparse *p, const yaml_event_t *ev)
{
	const char *anchor_name = (const char *)ev->data.scalar.anchor;
	yaml_mark_t mark = ev->start_mark;
	ssm_json *v = NULL;
	stats st = { 1, 0, 0 };
	const char *name;

	if (want_key(p)) {
		const char *tag = (const char *)ev->data.scalar.tag;
		const char *s = (const char *)ev->data.scalar.value;
		size_t len = ev->data.scalar.length;

		/* keys are strings: a scalar key's text is the key */
		if (tag && strcmp(tag, "!") && !is_tag(tag, "str") &&
		    !is_tag(tag, "null") && !is_tag(tag, "bool") &&
		    !is_tag(tag, "int") && !is_tag(tag, "float"))
			return unknown_tag(mark, tag);
		SSM_TRY(set_key(p, mark, s, len,
				!tag &&
					ev->data.scalar.style ==
						YAML_PLAIN_SCALAR_STYLE &&
					len == 2 && !memcmp(s, "<<", 2)));
		if (!anchor_name)
			return SSM_OK;
		/* an anchored key can be used as a value elsewhere */
		v = ssm_json__node(p->doc, SSM_JSON_STRING,
				   (uint32_t)mark.line + 1,
				   (uint32_t)mark.column + 1);
		if (!v)
			return SSM_ERROR;
		v->u.str.ptr = p->frames[p->depth - 1].key;
		v->u.str.len = len;
		st.bytes = len;
		name = anchor_copy(p, ev->data.scalar.anchor);
		return name ? anchor_add(p, name, v, &st) : SSM_ERROR;
	}
	SSM_TRY(scalar_node(p, &v, ev));
	p->real_nodes++;
	SSM_TRY(count_nodes(p, mark, 1));
	if (v->type == SSM_JSON_STRING) {
		st.bytes = v->u.str.len;
		SSM_TRY(count_bytes(p, mark, st.bytes));
	}
	if (anchor_name) {
		name = anchor_copy(p, ev->data.scalar.anchor);
		if (!name)
			return SSM_ERROR;
		SSM_TRY(anchor_add(p, name, v, &st));
	}
	return add_value(p, v, &st);
}

static ssm_err on_alias(yparse *p, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	yaml_mark_t mark = ev->start_mark;
	const anchor *a = anchor_find(p, name);
	uint64_t cap;
	char q[64];

	if (!a)
		return yerr(SSM_EINVALID, mark, "undefined alias %s",
			    ssm_json__quote(q, name, strlen(name)));
	if (want_key(p)) {
		const ssm_json *k = a->node;

		if (k->type == SSM_JSON_STRING)
			return set_key(p, mark, k->u.str.ptr, k->u.str.len,
				       false);
		if (k->type == SSM_JSON_NUMBER)
			return set_key(p, mark, k->u.num.text,
				       k->u.num.text_len, false);
		if (k->type == SSM_JSON_BOOL)
			return set_key(p, mark, k->u.b ? "true" : "false",
				       k->u.b ? 4 : 5, false);
		if (k->type == SSM_JSON_NULL)
			return set_key(p, mark, "null", 4, false);
		return yerr(SSM_EINVALID, mark,
			    "complex mapping keys are not supported");
	}
	if (p->depth + a->st.height > p->lim.max_depth)
		return yerr(SSM_ELIMIT, mark, "nesting deeper than %zu levels",
			    p->lim.max_depth);
	SSM_TRY(count_nodes(p, mark, a->st.count));
	SSM_TRY(count_bytes(p, mark, a->st.bytes));
	/* an alias may cost at most ten times what was written out */
	cap = (uint64_t)p->real_nodes * 10;
	if (cap < 10000)
		cap = 10000;
	if (p->nodes > cap)
		return yerr(SSM_ELIMIT, mark,
			    "aliases expand the document to more than %" PRIu64
			    " values",
			    cap);
	return add_value(p, a->node, &a->st);
}

static ssm_err on_start(yparse *p, const yaml_event_t *ev, bool mapping)
{
	const char *tag = mapping ? (const char *)ev->data.mapping_start.tag
				  : (const char *)ev->data.sequence_start.tag;
	const yaml_char_t *anchor_name =
		mapping ? ev->data.mapping_start.anchor
			: ev->data.sequence_start.anchor;
	yaml_mark_t mark = ev->start_mark;
	yframe *f;
	ssm_json *v;
	void *items;

	if (want_key(p))
		return yerr(SSM_EINVALID, mark,
			    "complex mapping keys are not supported");
	if (tag && strcmp(tag, "!") && !is_tag(tag, mapping ? "map" : "seq"))
		return unknown_tag(mark, tag);
	if (p->depth >= p->lim.max_depth)
		return yerr(SSM_ELIMIT, mark, "nesting deeper than %zu levels",
			    p->lim.max_depth);
	p->real_nodes++;
	SSM_TRY(count_nodes(p, mark, 1));
	v = ssm_json__node(p->doc, mapping ? SSM_JSON_OBJECT : SSM_JSON_ARRAY,
			   (uint32_t)mark.line + 1, (uint32_t)mark.column + 1);
	if (!v)
		return SSM_ERROR;
	if (p->depth == p->frames_cap) {
		items = p->frames;
		if (!grow(&items, &p->frames_cap, sizeof(*p->frames), 16))
			return SSM_ERROR;
		p->frames = items;
	}
	f = &p->frames[p->depth++];
	memset(f, 0, sizeof(*f));
	f->node = v;
	f->first = p->npending;
	f->st.count = 1;
	f->st.height = 1;
	f->want_key = mapping;
	if (anchor_name) {
		f->anchor = anchor_copy(p, anchor_name);
		if (!f->anchor)
			return SSM_ERROR;
	}
	return SSM_OK;
}

/* Explicit members (checked for duplicates) first, then the members of the
 * merged mappings that are not there yet, earlier sources first. */
static ssm_err build_merged(yparse *p, yframe *f)
{
	const ssm_json_member *m = p->pending + f->first;
	size_t n = p->npending - f->first, total = 0, i, j, k;
	ssm_json_member *list = NULL;
	ssm_err error;

	for (i = 0; i < n; i++) {
		const ssm_json *src = m[i].value;

		if (m[i].key != merge_key) {
			total++;
			continue;
		}
		if (src->type == SSM_JSON_OBJECT) {
			total += src->u.obj.len;
			continue;
		}
		if (src->type == SSM_JSON_ARRAY) {
			for (j = 0; j < src->u.arr.len; j++) {
				if (src->u.arr.items[j]->type !=
				    SSM_JSON_OBJECT)
					break;
				total += src->u.arr.items[j]->u.obj.len;
			}
			if (j == src->u.arr.len)
				continue;
		}
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_YAML, NULL,
				      "line %u, column %u: merge key '<<' "
				      "needs a mapping or a list of mappings",
				      m[i].line, m[i].column);
	}
	list = ssm__malloc(total ? total * sizeof(*list) : 1);
	if (!list)
		return SSM_ERROR;
	for (i = 0, k = 0; i < n; i++)
		if (m[i].key != merge_key)
			list[k++] = m[i];
	/* duplicates among the explicit keys are handled as anywhere else */
	error = ssm_json__object_build(
		p->doc, f->node, list, k,
		p->lim.flags & SSM_JSON_PARSE_ALLOW_DUPLICATES
			? SSM_JSON__DUP_LAST_WINS
			: SSM_JSON__DUP_ERROR,
		SSM_ERRCLASS_YAML);
	if (error < 0)
		goto done;
	k = f->node->u.obj.len;
	if (k)
		memcpy(list, f->node->u.obj.items, k * sizeof(*list));
	for (i = 0; i < n; i++) {
		const ssm_json *src = m[i].value;

		if (m[i].key != merge_key)
			continue;
		if (src->type == SSM_JSON_OBJECT) {
			if (src->u.obj.len)
				memcpy(list + k, src->u.obj.items,
				       src->u.obj.len * sizeof(*list));
			k += src->u.obj.len;
			continue;
		}
		for (j = 0; j < src->u.arr.len; j++) {
			const ssm_json *o = src->u.arr.items[j];

			if (o->u.obj.len)
				memcpy(list + k, o->u.obj.items,
				       o->u.obj.len * sizeof(*list));
			k += o->u.obj.len;
		}
	}
	error = ssm_json__object_build(p->doc, f->node, list, k,
				       SSM_JSON__DUP_FIRST_WINS,
				       SSM_ERRCLASS_YAML);
done:
	ssm__free(list);
	return error;
}

static ssm_err on_end(yparse *p)
{
	yframe *f = &p->frames[--p->depth];
	size_t n = p->npending - f->first, i;
	ssm_json *v = f->node;

	if (v->type == SSM_JSON_OBJECT && f->has_merge) {
		SSM_TRY(build_merged(p, f));
	} else if (v->type == SSM_JSON_OBJECT) {
		SSM_TRY(ssm_json__object_build(
			p->doc, v, n ? p->pending + f->first : NULL, n,
			p->lim.flags & SSM_JSON_PARSE_ALLOW_DUPLICATES
				? SSM_JSON__DUP_LAST_WINS
				: SSM_JSON__DUP_ERROR,
			SSM_ERRCLASS_YAML));
	} else if (n) {
		v->u.arr.items =
			ssm_arena_alloc(&p->doc->arena, n * sizeof(ssm_json *));
		if (!v->u.arr.items)
			return SSM_ERROR;
		for (i = 0; i < n; i++)
			v->u.arr.items[i] = p->pending[f->first + i].value;
		v->u.arr.len = v->u.arr.cap = n;
	}
	p->npending = f->first;
	if (f->anchor)
		SSM_TRY(anchor_add(p, f->anchor, v, &f->st));
	return add_value(p, v, &f->st);
}

static ssm_err on_event(yparse *p, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (p->docs++)
			return yerr(SSM_EINVALID, ev->start_mark,
				    "more than one YAML document");
		return SSM_OK;
	case YAML_STREAM_END_EVENT:
		if (!p->docs)
			return yerr(SSM_EINVALID, ev->start_mark,
				    "document is empty");
		return SSM_OK;
	case YAML_SCALAR_EVENT:
		return on_scalar(p, ev);
	case YAML_ALIAS_EVENT:
		return on_alias(p, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(p, ev, false);
	case YAML_MAPPING_START_EVENT:
		return on_start(p, ev, true);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_end(p);
	default:
		return SSM_OK;
	}
}

static ssm_err libyaml_error(yparse *p, const yaml_parser_t *parser)
{
	const char *problem = parser->problem ? parser->problem : "error";
	yaml_mark_t mark = parser->problem_mark;
	uint32_t line, col;

	switch (parser->error) {
	case YAML_MEMORY_ERROR:
		ssm_error__oom();
		return SSM_ERROR;
	case YAML_READER_ERROR:
		/* reader errors carry a byte offset, not a mark */
		ssm_json__position(&line, &col, p->text,
				   parser->problem_offset < p->len
					   ? parser->problem_offset
					   : p->len);
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_YAML, NULL,
				      "line %u, column %u: %s", line, col,
				      problem);
	default:
		if (parser->context)
			return yerr(SSM_EINVALID, mark,
				    "%s (%s at line %zu, column %zu)", problem,
				    parser->context,
				    parser->context_mark.line + 1,
				    parser->context_mark.column + 1);
		return yerr(SSM_EINVALID, mark, "%s", problem);
	}
}

ssm_err ssm_yaml_parse(ssm_json_doc **out, const char *text, size_t len,
		       const ssm_json_limits *limits)
{
	yaml_parser_t parser;
	bool parser_ok = false;
	yparse p;
	yaml_event_t ev;
	ssm_err error;
	size_t bad;
	uint32_t line, col;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(text || !len);
	memset(&p, 0, sizeof(p));
	ssm_json__limits(&p.lim, limits);
	if (len > p.lim.max_input)
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_YAML, NULL,
				      "input of %zu bytes exceeds the limit "
				      "of %zu",
				      len, p.lim.max_input);
	p.text = text ? text : "";
	p.len = len;
	/* libyaml's own messages for bad UTF-8 name octets; ours the place */
	if (!ssm_utf8_valid(p.text, len, &bad)) {
		ssm_json__position(&line, &col, p.text, bad);
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_YAML, NULL,
				      "line %u, column %u: invalid UTF-8", line,
				      col);
	}
	error = ssm_json_doc_new(&p.doc);
	if (error < 0)
		goto done;
	if (!yaml_parser_initialize(&parser)) {
		ssm_error__oom();
		error = SSM_ERROR;
		goto done;
	}
	parser_ok = true;
	yaml_parser_set_input_string(&parser, (const unsigned char *)p.text,
				     len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	for (;;) {
		bool end;

		if (!yaml_parser_parse(&parser, &ev)) {
			error = libyaml_error(&p, &parser);
			break;
		}
		error = on_event(&p, &ev);
		end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (error < 0 || end)
			break;
	}
	if (error < 0)
		goto done;
	p.doc->root = p.root;
	*out = p.doc;
	p.doc = NULL;
done:
	if (parser_ok)
		yaml_parser_delete(&parser);
	ssm__free(p.frames);
	ssm__free(p.pending);
	ssm__free(p.anchors);
	ssm_json_doc_free(p.doc);
	return error;
}

/* ------------------------------------------------------------------------ */
/* The generator                                                            */

typedef struct ywrite {
	yaml_emitter_t em;
	ssm_str *out;
	ssm_err error; /* from the output handler */
} ywrite;

static int write_handler(void *data, unsigned char *buf, size_t size)
{
	ywrite *w = data;
	ssm_err error = ssm_str_put(w->out, buf, size);

	if (error < 0) {
		w->error = error;
		return 0;
	}
	return 1;
}

/* Hand an initialised event to the emitter (which takes it). */
static ssm_err emit(ywrite *w, yaml_event_t *ev, int init_ok)
{
	if (!init_ok) {
		ssm_error__oom();
		return SSM_ERROR;
	}
	if (yaml_emitter_emit(&w->em, ev))
		return SSM_OK;
	if (w->error < 0)
		return w->error;
	if (w->em.error == YAML_MEMORY_ERROR) {
		ssm_error__oom();
		return SSM_ERROR;
	}
	return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_YAML, NULL,
			      "yaml emitter: %s",
			      w->em.problem ? w->em.problem : "unknown error");
}

static bool has_other_breaks(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r')
			return true;
		/* NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR */
		if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] == 0x85)
			return true;
		if (c == 0xe2 && i + 2 < len &&
		    (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0xa8 ||
		     (unsigned char)s[i + 2] == 0xa9))
			return true;
	}
	return false;
}

/* Would this string, written plain, read back as something else here or in
 * a YAML 1.1 reader? */
static bool plain_is_ambiguous(const char *s, size_t len)
{
	static const char *const yaml11[] = { "y",   "Y",  "yes", "Yes", "YES",
					      "n",   "N",  "no",  "No",	 "NO",
					      "on",  "On", "ON",  "off", "Off",
					      "OFF", "<<", "=",	  NULL };
	size_t i = 0;

	if (resolve_plain(s, len) != K_STR || is_one_of(s, len, yaml11))
		return true;
	/* numbers, dates, times and versions in any YAML dialect */
	if (s[0] == '-' || s[0] == '+' || s[0] == '.')
		i = 1;
	if (i < len && s[i] >= '0' && s[i] <= '9')
		return !memchr(s, ' ', len);
	return false;
}

static yaml_scalar_style_t string_style(const char *s, size_t len)
{
	if (has_other_breaks(s, len))
		return YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	/* libyaml falls back to double quotes where a block cannot say it */
	if (memchr(s, '\n', len))
		return YAML_LITERAL_SCALAR_STYLE;
	if (plain_is_ambiguous(s, len))
		return YAML_SINGLE_QUOTED_SCALAR_STYLE;
	return YAML_PLAIN_SCALAR_STYLE;
}

static ssm_err emit_scalar(ywrite *w, const char *s, size_t len,
			   yaml_scalar_style_t style, bool is_string)
{
	yaml_event_t ev;

	return emit(w, &ev,
		    yaml_scalar_event_initialize(
			    &ev, NULL, NULL, (yaml_char_t *)(uintptr_t)s,
			    (int)len, 1, is_string ? 1 : 0, style));
}

static ssm_err emit_string(ywrite *w, const char *s, size_t len)
{
	size_t bad;

	if (!ssm_utf8_valid(s, len, &bad))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_YAML, NULL,
				      "invalid UTF-8 at byte %zu of a string",
				      bad);
	if (len > INT32_MAX)
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_YAML, NULL,
				      "string of %zu bytes is too long for "
				      "YAML output",
				      len);
	return emit_scalar(w, s, len, string_style(s, len), true);
}

static ssm_err emit_node(ywrite *w, const ssm_json *v, size_t depth)
{
	yaml_event_t ev;
	size_t i;

	if (depth > SSM_JSON_WRITE_MAX_DEPTH)
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_YAML, NULL,
				      "nesting deeper than %d levels",
				      SSM_JSON_WRITE_MAX_DEPTH);
	switch ((ssm_json_type)v->type) {
	case SSM_JSON_NULL:
		return emit_scalar(w, "null", 4, YAML_PLAIN_SCALAR_STYLE,
				   false);
	case SSM_JSON_BOOL:
		return emit_scalar(w, v->u.b ? "true" : "false", v->u.b ? 4 : 5,
				   YAML_PLAIN_SCALAR_STYLE, false);
	case SSM_JSON_NUMBER:
		if (isnan(v->u.num.d))
			return emit_scalar(w, ".nan", 4,
					   YAML_PLAIN_SCALAR_STYLE, false);
		if (isinf(v->u.num.d))
			return emit_scalar(w, v->u.num.d > 0 ? ".inf" : "-.inf",
					   v->u.num.d > 0 ? 4 : 5,
					   YAML_PLAIN_SCALAR_STYLE, false);
		return emit_scalar(w, v->u.num.text, v->u.num.text_len,
				   YAML_PLAIN_SCALAR_STYLE, false);
	case SSM_JSON_STRING:
		return emit_string(w, v->u.str.ptr, v->u.str.len);
	case SSM_JSON_ARRAY:
		SSM_TRY(emit(w, &ev,
			     yaml_sequence_start_event_initialize(
				     &ev, NULL, NULL, 1,
				     YAML_BLOCK_SEQUENCE_STYLE)));
		for (i = 0; i < v->u.arr.len; i++)
			SSM_TRY(emit_node(w, v->u.arr.items[i], depth + 1));
		return emit(w, &ev, yaml_sequence_end_event_initialize(&ev));
	case SSM_JSON_OBJECT:
		SSM_TRY(emit(
			w, &ev,
			yaml_mapping_start_event_initialize(
				&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE)));
		for (i = 0; i < v->u.obj.len; i++) {
			const ssm_json_member *m = &v->u.obj.items[i];

			SSM_TRY(emit_string(w, m->key, m->key_len));
			SSM_TRY(emit_node(w, m->value, depth + 1));
		}
		return emit(w, &ev, yaml_mapping_end_event_initialize(&ev));
	}
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_YAML, NULL,
			      "unknown node type %d", v->type);
}

static ssm_err write_stream(ywrite *w, const ssm_json *v)
{
	yaml_event_t ev;

	SSM_TRY(emit(
		w, &ev,
		yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING)));
	SSM_TRY(emit(w, &ev,
		     yaml_document_start_event_initialize(&ev, NULL, NULL, NULL,
							  1)));
	SSM_TRY(emit_node(w, v, 0));
	SSM_TRY(emit(w, &ev, yaml_document_end_event_initialize(&ev, 1)));
	SSM_TRY(emit(w, &ev, yaml_stream_end_event_initialize(&ev)));
	if (!yaml_emitter_flush(&w->em))
		return w->error < 0 ? w->error : SSM_ERROR;
	return SSM_OK;
}

ssm_err ssm_yaml_write(ssm_str *out, const ssm_json *v, unsigned int flags)
{
	ywrite w;
	size_t size;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(v);
	(void)flags;
	memset(&w, 0, sizeof(w));
	w.out = out;
	size = out->size;
	if (!yaml_emitter_initialize(&w.em)) {
		ssm_error__oom();
		return SSM_ERROR;
	}
	yaml_emitter_set_output(&w.em, write_handler, &w);
	yaml_emitter_set_unicode(&w.em, 1);
	yaml_emitter_set_indent(&w.em, 2);
	yaml_emitter_set_width(&w.em, -1);
	yaml_emitter_set_break(&w.em, YAML_LN_BREAK);
	error = write_stream(&w, v);
	yaml_emitter_delete(&w.em);
	if (error < 0 && out->ptr)
		ssm_str_truncate(out, size); /* no half-written document */
	return error;
}
