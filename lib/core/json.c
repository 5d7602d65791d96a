/* SPDX-License-Identifier: Apache-2.0 */
#include "core/json.h"

#include <float.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include <yajl/yajl_parse.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/encode.h"
#include "core/time.h"

/* ------------------------------------------------------------------------ */
/* Positions: byte offsets to 1-based line and column (in characters).      */

typedef struct cursor {
	const unsigned char *text;
	size_t off;
	size_t line, col;
} cursor;

static void cursor_reset(cursor *c, const void *text)
{
	c->text = text;
	c->off = 0;
	c->line = c->col = 1;
}

/* Move forward to @target; offsets only grow during a parse, so the whole
 * input is scanned once. Errors may look back: then start over. */
static void cursor_to(cursor *c, size_t target)
{
	const unsigned char *t = c->text;
	size_t off = c->off, line = c->line, col = c->col;
	uint64_t w, nl;

	if (target < off) {
		off = 0;
		line = col = 1;
	}
	while (off < target) {
		/* eight ASCII bytes without a newline at a time */
		while (target - off >= 8) {
			memcpy(&w, t + off, 8);
			nl = w ^ UINT64_C(0x0a0a0a0a0a0a0a0a);
			if ((w & UINT64_C(0x8080808080808080)) ||
			    ((nl - UINT64_C(0x0101010101010101)) & ~nl &
			     UINT64_C(0x8080808080808080)))
				break;
			off += 8;
			col += 8;
		}
		if (off >= target)
			break;
		if (t[off] == '\n') {
			line++;
			col = 1;
		} else if ((t[off] & 0xc0) != 0x80) {
			col++;
		}
		off++;
	}
	c->off = off;
	c->line = line;
	c->col = col;
}

static uint32_t clamp32(size_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* The length of the longest valid UTF-8 prefix of @s. */
static size_t utf8_prefix(const void *s, size_t len)
{
	size_t bad;

	return ssm_utf8_valid(s, len, &bad) ? len : bad;
}

/* Length of the valid UTF-8 character at @s, or 0. */
static size_t utf8_char(const unsigned char *s, size_t len)
{
	size_t n;

	if (!len)
		return 0;
	n = s[0] < 0x80 ? 1 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	return n <= len && ssm_utf8_valid(s, n, NULL) ? n : 0;
}

void ssm_json__position(uint32_t *line, uint32_t *column, const char *text,
			size_t off)
{
	cursor c;

	cursor_reset(&c, text);
	cursor_to(&c, off);
	*line = clamp32(c.line);
	*column = clamp32(c.col);
}

/* ------------------------------------------------------------------------ */
/* Documents and nodes                                                      */

void ssm_json__limits(ssm_json_limits *dst, const ssm_json_limits *src)
{
	memset(dst, 0, sizeof(*dst));
	if (src)
		*dst = *src;
	if (!dst->max_input)
		dst->max_input = SSM_JSON_DEFAULT_MAX_INPUT;
	if (!dst->max_depth)
		dst->max_depth = SSM_JSON_DEFAULT_MAX_DEPTH;
	if (!dst->max_string)
		dst->max_string = SSM_JSON_DEFAULT_MAX_STRING;
	if (!dst->max_nodes)
		dst->max_nodes = SSM_JSON_DEFAULT_MAX_NODES;
}

ssm_err ssm_json_doc_new(ssm_json_doc **out)
{
	ssm_arena arena = SSM_ARENA_INIT;
	ssm_json_doc *doc;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	/* The document lives in its own arena: one allocation fewer. */
	doc = ssm_arena_calloc(&arena, 1, sizeof(*doc));
	if (!doc)
		return SSM_ERROR;
	doc->arena = arena;
	*out = doc;
	return SSM_OK;
}

void ssm_json_doc_free(ssm_json_doc *doc)
{
	ssm_arena arena;

	if (!doc)
		return;
	arena = doc->arena;
	ssm_arena_dispose(&arena);
}

void ssm_json_doc_set_root(ssm_json_doc *doc, ssm_json *root)
{
	if (doc)
		doc->root = root;
}

ssm_json *ssm_json__node(ssm_json_doc *doc, ssm_json_type type, uint32_t line,
			 uint32_t column)
{
	ssm_json *v = ssm_arena_alloc(&doc->arena, sizeof(*v));

	if (!v)
		return NULL;
	memset(v, 0, sizeof(*v));
	v->type = (uint8_t)type;
	v->line = line;
	v->column = column;
	return v;
}

const char *ssm_json__quote(char *buf, const char *s, size_t len)
{
	size_t n = len > 40 ? 40 : len, i;

	/* cut at a character boundary; the error record masks the rest */
	while (n < len && n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	buf[0] = '\'';
	/* NUL bytes would end the message early: show them as '?' */
	for (i = 0; i < n; i++)
		buf[1 + i] = s[i] ? s[i] : '?';
	if (n < len) {
		memcpy(buf + 1 + n, "...", 3);
		n += 3;
	}
	buf[1 + n] = '\'';
	buf[2 + n] = '\0';
	return buf;
}

/* ------------------------------------------------------------------------ */
/* Numbers                                                                  */

static once_flag c_locale_once = ONCE_FLAG_INIT;
static locale_t c_locale;

static void c_locale_init(void)
{
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static locale_t get_c_locale(void)
{
	call_once(&c_locale_once, c_locale_init);
	return c_locale;
}

double ssm_json__strtod(const char *text, char **end)
{
	locale_t loc = get_c_locale();

	/* the application's LC_NUMERIC must not change what "1.5" means */
	if (loc)
		return strtod_l(text, end, loc);
	return strtod(text, end);
}

size_t ssm_json__format_double(char *buf, double d)
{
	locale_t loc = get_c_locale(), old = (locale_t)0;
	int n = 0, prec;

	if (loc)
		old = uselocale(loc);
	/* %.15g gives the shortest form of any double that has one of up to
	 * 15 digits, except subnormals, which have fewer digits to them */
	prec = d != 0 && fabs(d) < DBL_MIN ? 1 : 15;
	for (; prec <= 17; prec++) {
		n = snprintf(buf, 32, "%.*g", prec, d);
		if (prec == 17 || ssm_json__strtod(buf, NULL) == d)
			break;
	}
	if (loc)
		uselocale(old);
	return n < 0 ? 0 : (size_t)n;
}

/* Integral text (no fraction, no exponent) to int64_t; false on overflow. */
static bool parse_int64(int64_t *out, const char *s, size_t len)
{
	bool neg = false;
	uint64_t v = 0, limit;
	size_t i = 0;

	if (i < len && (s[i] == '-' || s[i] == '+')) {
		neg = s[i] == '-';
		i++;
	}
	if (i == len)
		return false;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d > 9)
			return false;
		if (v > (limit - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return true;
}

static bool is_integral_text(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '.' || s[i] == 'e' || s[i] == 'E')
			return false;
	return true;
}

ssm_err ssm_json__number_from_text(ssm_json_doc *doc, ssm_json *node,
				   const char *text, size_t len,
				   ssm_error_class klass)
{
	char *copy = ssm_arena_strndup(&doc->arena, text, len);
	char qbuf[64];
	int64_t i;

	if (!copy)
		return SSM_ERROR;
	node->type = SSM_JSON_NUMBER;
	node->u.num.text = copy;
	node->u.num.text_len = len;
	if (is_integral_text(copy, len) && parse_int64(&i, copy, len)) {
		node->flags = SSM_JSON_NUM_INT;
		node->u.num.i = i;
		/* int64 to double rounds to nearest, as strtod would */
		node->u.num.d = (double)i;
		if (i == 0 && copy[0] == '-')
			node->u.num.d = -0.0;
		return SSM_OK;
	}
	node->flags = 0;
	node->u.num.d = ssm_json__strtod(copy, NULL);
	node->u.num.i = 0;
	if (isinf(node->u.num.d))
		return ssm_error__set(SSM_EINVALID, klass, NULL,
				      "line %u, column %u: number %s is out "
				      "of range",
				      node->line, node->column,
				      ssm_json__quote(qbuf, copy, len));
	return SSM_OK;
}

/* ------------------------------------------------------------------------ */
/* Objects: copy members, find duplicate keys                               */

static uint32_t hash_key(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static bool same_key(const ssm_json_member *a, const ssm_json_member *b)
{
	return a->key_len == b->key_len && !memcmp(a->key, b->key, a->key_len);
}

static ssm_err duplicate_error(const ssm_json_member *m, ssm_error_class klass)
{
	char qbuf[64];

	return ssm_error__set(SSM_EINVALID, klass, NULL,
			      "line %u, column %u: duplicate key %s", m->line,
			      m->column,
			      ssm_json__quote(qbuf, m->key, m->key_len));
}

/* Append @m to @dst[*n] unless its key is there: then an error, or (with
 * @allow_dup) the later value replaces the earlier one. @table is a hash
 * table of @mask + 1 slots holding index + 1, or NULL for a linear search. */
static ssm_err add_member(ssm_json_member *dst, size_t *n, uint32_t *table,
			  size_t mask, const ssm_json_member *m,
			  ssm_json__dup dup, ssm_error_class klass)
{
	size_t j;

	if (table) {
		size_t slot = hash_key(m->key, m->key_len) & mask;

		while (table[slot]) {
			j = table[slot] - 1;
			if (same_key(&dst[j], m))
				goto found;
			slot = (slot + 1) & mask;
		}
		table[slot] = (uint32_t)(*n + 1);
	} else {
		for (j = 0; j < *n; j++)
			if (same_key(&dst[j], m))
				goto found;
	}
	dst[(*n)++] = *m;
	return SSM_OK;
found:
	if (dup == SSM_JSON__DUP_ERROR)
		return duplicate_error(m, klass);
	if (dup == SSM_JSON__DUP_LAST_WINS)
		dst[j].value = m->value;
	return SSM_OK;
}

ssm_err ssm_json__object_build(ssm_json_doc *doc, ssm_json *obj,
			       const ssm_json_member *members, size_t n,
			       ssm_json__dup dup, ssm_error_class klass)
{
	ssm_json_member *items = NULL;
	uint32_t *table = NULL;
	size_t count = 0, size = 16, i;
	ssm_err error = SSM_OK;

	obj->type = SSM_JSON_OBJECT;
	obj->u.obj.items = NULL;
	obj->u.obj.len = obj->u.obj.cap = 0;
	if (!n)
		return SSM_OK;
	items = ssm_arena_alloc(&doc->arena, n * sizeof(*items));
	if (!items)
		return SSM_ERROR;
	/* small objects: a linear search beats hashing */
	if (n > 16 && n < UINT32_MAX / 4) {
		while (size < n * 2)
			size *= 2;
		table = ssm__calloc(size, sizeof(*table));
		if (!table)
			return SSM_ERROR;
	}
	for (i = 0; i < n; i++) {
		error = add_member(items, &count, table, size - 1, &members[i],
				   dup, klass);
		if (error < 0)
			break;
	}
	ssm__free(table);
	if (error < 0)
		return error;
	obj->u.obj.items = items;
	obj->u.obj.len = count;
	obj->u.obj.cap = n;
	return SSM_OK;
}

/* ------------------------------------------------------------------------ */
/* The JSON parser: yajl's callback parser building the tree                */

typedef struct frame {
	ssm_json *node;
	size_t first; /* its first pending child */
} frame;

#define LIVE_MAX 16
#define FRAMES_INLINE 32

typedef struct parse {
	ssm_json_doc *doc;
	const unsigned char *text;
	size_t len;
	ssm_json_limits lim;
	yajl_handle hand;

	frame frames_inline[FRAMES_INLINE];
	frame *frames;
	size_t depth, frames_cap;
	ssm_json_member *pending; /* children of the open containers */
	size_t npending, pending_cap;
	const char *key; /* the key waiting for its value */
	size_t key_len;
	uint32_t key_line, key_col;
	size_t nodes;
	ssm_json *root;

	cursor cur;
	size_t last_end; /* end of the last token a callback saw */
	bool completing; /* in yajl_complete_parse: offsets are not ours */
	size_t trimmed;	 /* input length without trailing whitespace */
	ssm_err error;	 /* set by a callback that stopped the parse */

	/* yajl's allocations, so that they can be released after a longjmp */
	void *live[LIVE_MAX];
	size_t nlive;
	jmp_buf jmp;
	size_t consumed;
	char yajl_msg[160];
} parse;

static void where(parse *p, size_t off, uint32_t *line, uint32_t *col)
{
	if (off > p->len)
		off = p->len;
	cursor_to(&p->cur, off);
	*line = clamp32(p->cur.line);
	*col = clamp32(p->cur.col);
}

static ssm_err perr(parse *p, ssm_err code, size_t off, const char *fmt, ...)
	SSM_FORMAT_PRINTF(4, 5);

static ssm_err perr(parse *p, ssm_err code, size_t off, const char *fmt, ...)
{
	char msg[512];
	uint32_t line, col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	where(p, off, &line, &col);
	return ssm_error__set(code, SSM_ERRCLASS_JSON, NULL,
			      "line %u, column %u: %s", line, col, msg);
}

/* A callback failed: remember why, stop yajl. */
static int fail(parse *p, ssm_err error)
{
	p->error = error;
	return 0;
}

/* The end offset of the token just handed to a callback. */
static size_t token_end(parse *p)
{
	p->last_end =
		p->completing ? p->trimmed : yajl_get_bytes_consumed(p->hand);
	return p->last_end;
}

/* Start of the string token whose closing quote is at @close. */
static size_t string_start(const unsigned char *t, size_t close)
{
	size_t i = close, bs;

	while (i > 0) {
		i--;
		if (t[i] != '"')
			continue;
		/* an even run of backslashes before it: the opening quote */
		bs = 0;
		while (bs < i && t[i - 1 - bs] == '\\')
			bs++;
		if (!(bs & 1))
			return i;
	}
	return 0;
}

static bool word_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '.' || c == '+' || c == '-';
}

/* End of the token that starts at @start. */
static size_t token_end_at(const unsigned char *t, size_t len, size_t start)
{
	size_t i = start + 1;

	if (start >= len)
		return len;
	if (t[start] == '"') {
		for (; i < len && t[i] != '"'; i++)
			if (t[i] == '\\')
				i++;
		return i < len ? i + 1 : len;
	}
	if (word_char(t[start])) {
		while (i < len && word_char(t[i]))
			i++;
		return i;
	}
	i = utf8_char(t + start, len - start);
	return start + (i ? i : 1);
}

/* Start of the token that ends at @end (exclusive). */
static size_t token_start(const unsigned char *t, size_t end)
{
	size_t i;

	if (!end)
		return 0;
	if (t[end - 1] == '"' && end >= 2)
		return string_start(t, end - 1);
	if (!word_char(t[end - 1]))
		return end - 1;
	i = end - 1;
	while (i > 0 && word_char(t[i - 1]))
		i--;
	return i;
}

static bool nodes_ok(parse *p, size_t start)
{
	if (++p->nodes <= p->lim.max_nodes)
		return true;
	p->error = perr(p, SSM_ELIMIT, start,
			"document has more than %zu values", p->lim.max_nodes);
	return false;
}

static ssm_json *new_node(parse *p, ssm_json_type type, size_t start)
{
	uint32_t line, col;
	ssm_json *v;

	if (!nodes_ok(p, start))
		return NULL;
	where(p, start, &line, &col);
	v = ssm_json__node(p->doc, type, line, col);
	if (!v)
		p->error = SSM_ERROR;
	return v;
}

static bool grow_pending(parse *p)
{
	size_t cap = p->pending_cap ? p->pending_cap * 2 : 64;
	ssm_json_member *n;
	size_t bytes;

	if (ssm__mul_overflow(&bytes, cap, sizeof(*n))) {
		ssm_error__oom();
		return false;
	}
	n = ssm__realloc(p->pending, bytes);
	if (!n)
		return false;
	p->pending = n;
	p->pending_cap = cap;
	return true;
}

/* Hand a finished (scalar) or just-opened (container) node to its parent. */
static int add_value(parse *p, ssm_json *v)
{
	ssm_json_member *m;

	if (!p->depth) {
		p->root = v;
		return 1;
	}
	if (p->npending == p->pending_cap && !grow_pending(p))
		return fail(p, SSM_ERROR);
	m = &p->pending[p->npending++];
	if (p->frames[p->depth - 1].node->type == SSM_JSON_OBJECT) {
		m->key = p->key;
		m->key_len = p->key_len;
		m->line = p->key_line;
		m->column = p->key_col;
	} else {
		m->key = NULL;
		m->key_len = 0;
		m->line = m->column = 0;
	}
	m->value = v;
	return 1;
}

static int scalar(parse *p, ssm_json_type type, size_t start)
{
	ssm_json *v = new_node(p, type, start);

	if (!v)
		return 0;
	return add_value(p, v);
}

static int on_null(void *ctx)
{
	parse *p = ctx;

	return scalar(p, SSM_JSON_NULL, token_end(p) - 4);
}

static int on_boolean(void *ctx, int b)
{
	parse *p = ctx;
	size_t end = token_end(p);
	ssm_json *v = new_node(p, SSM_JSON_BOOL, end - (b ? 4 : 5));

	if (!v)
		return 0;
	v->u.b = b != 0;
	return add_value(p, v);
}

static int on_number(void *ctx, const char *s, size_t len)
{
	parse *p = ctx;
	size_t end = token_end(p);
	ssm_json *v = new_node(p, SSM_JSON_NUMBER, end - len);
	ssm_err error;

	if (!v)
		return 0;
	error = ssm_json__number_from_text(p->doc, v, s, len,
					   SSM_ERRCLASS_JSON);
	if (error < 0)
		return fail(p, error);
	return add_value(p, v);
}

static unsigned hex4(const unsigned char *s)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		unsigned c = s[i];

		v = v * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

/* Check a string token [start, end) (quotes included): strict UTF-8, and
 * \u escapes that pair their surrogates (yajl lets both slip). */
static bool check_string(parse *p, size_t start, size_t end, bool escaped,
			 size_t len)
{
	const unsigned char *t = p->text;
	size_t i, ok;

	if (len > p->lim.max_string) {
		p->error = perr(p, SSM_ELIMIT, start,
				"string of %zu bytes exceeds the limit of %zu",
				len, p->lim.max_string);
		return false;
	}
	ok = utf8_prefix(t + start + 1, end - start - 2);
	if (ok != end - start - 2) {
		p->error = perr(p, SSM_EINVALID, start + 1 + ok,
				"invalid UTF-8 in string");
		return false;
	}
	if (!escaped)
		return true;
	for (i = start + 1; i + 1 < end - 1; i++) {
		unsigned cp;

		if (t[i] != '\\')
			continue;
		if (t[i + 1] != 'u') {
			i++;
			continue;
		}
		cp = hex4(t + i + 2);
		if (cp >= 0xd800 && cp <= 0xdbff && i + 12 <= end - 1 &&
		    t[i + 6] == '\\' && t[i + 7] == 'u' &&
		    hex4(t + i + 8) >= 0xdc00 && hex4(t + i + 8) <= 0xdfff) {
			i += 11;
			continue;
		}
		if (cp >= 0xd800 && cp <= 0xdfff) {
			p->error = perr(p, SSM_EINVALID, i,
					"unpaired surrogate '\\u%04x' in "
					"string",
					cp);
			return false;
		}
		i += 5;
	}
	return true;
}

/* Where the string handed to a callback starts, and whether yajl decoded
 * escapes (then @s is its buffer, not our input). */
static size_t string_token(parse *p, const unsigned char *s, size_t *end,
			   bool *escaped)
{
	*end = token_end(p);
	if (s >= p->text && s < p->text + p->len) {
		*escaped = false;
		return (size_t)(s - p->text) - 1;
	}
	*escaped = true;
	return string_start(p->text, *end - 1);
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
	parse *p = ctx;
	size_t start, end;
	bool escaped;
	ssm_json *v;
	char *copy;

	start = string_token(p, s, &end, &escaped);
	if (!check_string(p, start, end, escaped, len))
		return 0;
	v = new_node(p, SSM_JSON_STRING, start);
	if (!v)
		return 0;
	copy = ssm_arena_strndup(&p->doc->arena, (const char *)s, len);
	if (!copy)
		return fail(p, SSM_ERROR);
	v->u.str.ptr = copy;
	v->u.str.len = len;
	return add_value(p, v);
}

static int on_map_key(void *ctx, const unsigned char *s, size_t len)
{
	parse *p = ctx;
	size_t start, end;
	bool escaped;
	char *copy;

	start = string_token(p, s, &end, &escaped);
	if (!check_string(p, start, end, escaped, len))
		return 0;
	copy = ssm_arena_strndup(&p->doc->arena, (const char *)s, len);
	if (!copy)
		return fail(p, SSM_ERROR);
	p->key = copy;
	p->key_len = len;
	where(p, start, &p->key_line, &p->key_col);
	return 1;
}

static int open_container(parse *p, ssm_json_type type)
{
	size_t start = token_end(p) - 1;
	ssm_json *v;

	if (p->depth >= p->lim.max_depth)
		return fail(p, perr(p, SSM_ELIMIT, start,
				    "nesting deeper than %zu levels",
				    p->lim.max_depth));
	v = new_node(p, type, start);
	if (!v || !add_value(p, v))
		return 0;
	if (p->depth == p->frames_cap) {
		size_t cap = p->frames_cap * 2, bytes;
		frame *f;

		if (ssm__mul_overflow(&bytes, cap, sizeof(*f))) {
			ssm_error__oom();
			return fail(p, SSM_ERROR);
		}
		if (p->frames == p->frames_inline) {
			f = ssm__malloc(bytes);
			if (f)
				memcpy(f, p->frames,
				       p->depth * sizeof(*p->frames));
		} else {
			f = ssm__realloc(p->frames, bytes);
		}
		if (!f)
			return fail(p, SSM_ERROR);
		p->frames = f;
		p->frames_cap = cap;
	}
	p->frames[p->depth].node = v;
	p->frames[p->depth].first = p->npending;
	p->depth++;
	return 1;
}

static int on_start_map(void *ctx)
{
	return open_container(ctx, SSM_JSON_OBJECT);
}

static int on_start_array(void *ctx)
{
	return open_container(ctx, SSM_JSON_ARRAY);
}

static int close_container(parse *p)
{
	frame *f = &p->frames[--p->depth];
	size_t n = p->npending - f->first, i;
	ssm_json *v = f->node;
	ssm_err error;

	if (v->type == SSM_JSON_OBJECT) {
		error = ssm_json__object_build(
			p->doc, v, n ? p->pending + f->first : NULL, n,
			p->lim.flags & SSM_JSON_PARSE_ALLOW_DUPLICATES
				? SSM_JSON__DUP_LAST_WINS
				: SSM_JSON__DUP_ERROR,
			SSM_ERRCLASS_JSON);
		if (error < 0)
			return fail(p, error);
	} else if (n) {
		v->u.arr.items =
			ssm_arena_alloc(&p->doc->arena, n * sizeof(ssm_json *));
		if (!v->u.arr.items)
			return fail(p, SSM_ERROR);
		for (i = 0; i < n; i++)
			v->u.arr.items[i] = p->pending[f->first + i].value;
		v->u.arr.len = v->u.arr.cap = n;
	}
	p->npending = f->first;
	return 1;
}

static int on_end(void *ctx)
{
	token_end(ctx);
	return close_container(ctx);
}

static const yajl_callbacks callbacks = {
	.yajl_null = on_null,
	.yajl_boolean = on_boolean,
	.yajl_number = on_number,
	.yajl_string = on_string,
	.yajl_start_map = on_start_map,
	.yajl_map_key = on_map_key,
	.yajl_end_map = on_end,
	.yajl_start_array = on_start_array,
	.yajl_end_array = on_end,
};

/* yajl 2.1 does not check what its allocator returns. Our hooks never
 * return NULL: on failure they jump back to run_yajl(), and parse_json()
 * frees whatever yajl still held. */
static void *ya_malloc(void *ctx, size_t size)
{
	parse *p = ctx;
	void *ptr;

	if (p->nlive == LIVE_MAX) {
		ssm_error__oom();
		longjmp(p->jmp, 1);
	}
	ptr = ssm__malloc(size);
	if (!ptr)
		longjmp(p->jmp, 1);
	p->live[p->nlive++] = ptr;
	return ptr;
}

static void *ya_realloc(void *ctx, void *old, size_t size)
{
	parse *p = ctx;
	void *ptr;
	size_t i;

	if (!old)
		return ya_malloc(ctx, size);
	ptr = ssm__realloc(old, size);
	if (!ptr)
		longjmp(p->jmp, 1);
	for (i = 0; i < p->nlive; i++)
		if (p->live[i] == old)
			p->live[i] = ptr;
	return ptr;
}

static void ya_free(void *ctx, void *ptr)
{
	parse *p = ctx;
	size_t i;

	if (!ptr)
		return;
	for (i = 0; i < p->nlive; i++) {
		if (p->live[i] == ptr) {
			p->live[i] = p->live[--p->nlive];
			break;
		}
	}
	ssm__free(ptr);
}

/* Run yajl over the input. Nothing local to this function changes between
 * setjmp() and a longjmp(): all state is in @p. Returns the yajl status, or
 * -1 when an allocation failed. */
static int run_yajl(parse *p)
{
	yajl_alloc_funcs afs = { ya_malloc, ya_realloc, ya_free, p };
	yajl_status st;
	unsigned char *msg;

	if (setjmp(p->jmp))
		return -1;
	p->hand = yajl_alloc(&callbacks, &afs, p);
	yajl_config(p->hand, yajl_dont_validate_strings, 1);
	st = yajl_parse(p->hand, p->text, p->len);
	p->consumed = yajl_get_bytes_consumed(p->hand);
	if (st == yajl_status_ok) {
		p->completing = true;
		st = yajl_complete_parse(p->hand);
	}
	if (st == yajl_status_error) {
		msg = yajl_get_error(p->hand, 0, NULL, 0);
		snprintf(p->yajl_msg, sizeof(p->yajl_msg), "%s",
			 msg ? (const char *)msg : "");
		yajl_free_error(p->hand, msg);
	}
	yajl_free(p->hand);
	p->hand = NULL;
	return (int)st;
}

static bool is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Turn yajl's error into "line L, column C: what". */
static ssm_err yajl_error(parse *p)
{
	const unsigned char *t = p->text;
	char *msg = p->yajl_msg, tok[64];
	bool lexical = starts(msg, "lexical error: ");
	size_t off = p->consumed, start, n;
	const char *expect = NULL;

	/* "parse error: what\n" */
	msg = strchr(msg, ':') ? strchr(msg, ':') + 2 : msg;
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '.'))
		msg[--n] = '\0';
	if (off > p->len)
		off = p->len;
	if (p->completing) /* offsets are into yajl's own " " */
		off = p->trimmed;

	if (starts(msg, "premature EOF"))
		return perr(p, SSM_EINVALID, p->len, "unexpected end of input");
	if (lexical) {
		if (starts(msg, "invalid char in json")) {
			start = off ? off - 1 : 0;
			n = utf8_char(t + start, p->len - start);
			return perr(p, SSM_EINVALID, start,
				    "unexpected character %s",
				    ssm_json__quote(tok,
						    (const char *)t + start,
						    n ? n : 1));
		}
		if (starts(msg, "probable comment"))
			return perr(p, SSM_EINVALID,
				    off < p->len || !off ? off : off - 1,
				    "comments are not allowed");
		if (starts(msg, "invalid string in json") ||
		    starts(msg, "malformed number")) {
			start = token_start(t, off);
			if (start < off && !word_char(t[start]))
				start++;
			n = off - start;
			if (starts(msg, "invalid string"))
				return perr(
					p, SSM_EINVALID, start,
					"invalid literal %s",
					ssm_json__quote(tok,
							(const char *)t + start,
							n));
			return perr(p, SSM_EINVALID, start,
				    "invalid number %s: %s",
				    ssm_json__quote(tok,
						    (const char *)t + start, n),
				    strstr(msg, ", ") ? strstr(msg, ", ") + 2
						      : msg);
		}
		if (starts(msg, "inside a string, '\\'")) {
			start = off ? off - 1 : 0;
			return perr(
				p, SSM_EINVALID, start,
				"invalid escape %s in string",
				ssm_json__quote(tok, (const char *)t + start,
						start + 1 < p->len ? 2 : 1));
		}
		if (starts(msg, "invalid character inside string"))
			return perr(p, SSM_EINVALID, off,
				    "control character U+%04X in string",
				    off < p->len ? t[off] : 0);
		if (starts(msg, "invalid (non-hex)"))
			return perr(p, SSM_EINVALID, off,
				    "invalid \\u escape in string");
		return perr(p, SSM_EINVALID, off, "%s", msg);
	}
	if (starts(msg, "trailing garbage")) {
		start = token_start(t, off);
		return perr(p, SSM_EINVALID, start,
			    "unexpected %s after the document",
			    ssm_json__quote(tok, (const char *)t + start,
					    off - start));
	}
	if (starts(msg, "invalid object key"))
		expect = "a string key";
	else if (starts(msg, "object key and value"))
		expect = "':'";
	else if (starts(msg, "after key and value"))
		expect = "',' or '}'";
	else if (starts(msg, "after array element"))
		expect = "',' or ']'";
	else if (!starts(msg, "unallowed token"))
		return perr(p, SSM_EINVALID, off, "%s", msg);
	if (expect && !starts(msg, "invalid object key")) {
		/* yajl's offset is unreliable here: the culprit is the first
		 * token after the key or value seen last */
		start = p->last_end;
		while (start < p->len && is_ws(t[start]))
			start++;
		off = token_end_at(t, p->len, start);
		/* "01" reads as 0 then 1 */
		if (start > 0 && start < p->len && t[start - 1] == '0' &&
		    t[start] >= '0' && t[start] <= '9') {
			start = token_start(t, start);
			return perr(p, SSM_EINVALID, start,
				    "invalid number %s: leading zeros are not "
				    "allowed",
				    ssm_json__quote(tok,
						    (const char *)t + start,
						    off - start));
		}
	} else {
		start = token_start(t, off);
	}
	if (start >= p->len)
		return perr(p, SSM_EINVALID, p->len, "unexpected end of input");
	if (expect)
		return perr(p, SSM_EINVALID, start,
			    "unexpected %s, expected %s",
			    ssm_json__quote(tok, (const char *)t + start,
					    off - start),
			    expect);
	return perr(p, SSM_EINVALID, start, "unexpected %s",
		    ssm_json__quote(tok, (const char *)t + start, off - start));
}

ssm_err ssm_json_parse(ssm_json_doc **out, const char *text, size_t len,
		       const ssm_json_limits *limits)
{
	ssm_json_limits lim;
	parse *p = NULL;
	ssm_err error;
	size_t i;
	int st;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(text || !len);
	ssm_json__limits(&lim, limits);
	/* refused before anything is allocated */
	if (len > lim.max_input)
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_JSON, NULL,
				      "input of %zu bytes exceeds the limit "
				      "of %zu",
				      len, lim.max_input);
	p = ssm__calloc(1, sizeof(*p));
	if (!p)
		return SSM_ERROR;
	p->lim = lim;
	/* a UTF-8 byte order mark is allowed and skipped (RFC 8259) */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		text += 3;
		len -= 3;
	}
	p->text = (const unsigned char *)(text ? text : "");
	p->len = len;
	cursor_reset(&p->cur, p->text);
	p->trimmed = len;
	while (p->trimmed && is_ws(p->text[p->trimmed - 1]))
		p->trimmed--;
	if (!p->trimmed) {
		error = perr(p, SSM_EINVALID, len, "document is empty");
		goto done;
	}
	p->frames = p->frames_inline;
	p->frames_cap = FRAMES_INLINE;
	error = ssm_json_doc_new(&p->doc);
	if (error < 0)
		goto done;

	st = run_yajl(p);
	if (st < 0) {
		error = SSM_ERROR; /* the hook set "out of memory" */
	} else if (p->error < 0) {
		error = p->error; /* a callback stopped it */
	} else if (st == yajl_status_client_canceled) {
		error = ssm_error__set(SSM_ERROR, SSM_ERRCLASS_JSON, NULL,
				       "parse cancelled");
	} else if (st == yajl_status_error) {
		error = yajl_error(p);
	} else {
		error = SSM_OK;
		p->doc->root = p->root;
		*out = p->doc;
		p->doc = NULL;
	}
done:
	for (i = 0; i < p->nlive; i++)
		ssm__free(p->live[i]);
	if (p->frames != p->frames_inline)
		ssm__free(p->frames);
	ssm__free(p->pending);
	ssm_json_doc_free(p->doc);
	ssm__free(p);
	return error;
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                */

const char *ssm_json_type_name(ssm_json_type type)
{
	switch (type) {
	case SSM_JSON_NULL:
		return "null";
	case SSM_JSON_BOOL:
		return "boolean";
	case SSM_JSON_NUMBER:
		return "number";
	case SSM_JSON_STRING:
		return "string";
	case SSM_JSON_ARRAY:
		return "array";
	case SSM_JSON_OBJECT:
		return "object";
	}
	return "unknown";
}

size_t ssm_json_size(const ssm_json *v)
{
	if (!v)
		return 0;
	if (v->type == SSM_JSON_ARRAY)
		return v->u.arr.len;
	if (v->type == SSM_JSON_OBJECT)
		return v->u.obj.len;
	return 0;
}

ssm_json *ssm_json_at(const ssm_json *arr, size_t i)
{
	if (!arr || arr->type != SSM_JSON_ARRAY || i >= arr->u.arr.len)
		return NULL;
	return arr->u.arr.items[i];
}

const ssm_json_member *ssm_json_member_at(const ssm_json *obj, size_t i)
{
	if (!obj || obj->type != SSM_JSON_OBJECT || i >= obj->u.obj.len)
		return NULL;
	return &obj->u.obj.items[i];
}

ssm_json *ssm_json_getn(const ssm_json *obj, const char *key, size_t key_len)
{
	size_t i;

	if (!obj || obj->type != SSM_JSON_OBJECT || !key)
		return NULL;
	for (i = 0; i < obj->u.obj.len; i++) {
		const ssm_json_member *m = &obj->u.obj.items[i];

		if (m->key_len == key_len && !memcmp(m->key, key, key_len))
			return m->value;
	}
	return NULL;
}

ssm_json *ssm_json_get(const ssm_json *obj, const char *key)
{
	return key ? ssm_json_getn(obj, key, strlen(key)) : NULL;
}

const char *ssm_json_str(const ssm_json *v)
{
	return v && v->type == SSM_JSON_STRING ? v->u.str.ptr : NULL;
}

size_t ssm_json_str_len(const ssm_json *v)
{
	return v && v->type == SSM_JSON_STRING ? v->u.str.len : 0;
}

bool ssm_json_bool(const ssm_json *v)
{
	return v && v->type == SSM_JSON_BOOL && v->u.b;
}

bool ssm_json_is_integer(const ssm_json *v)
{
	return v && v->type == SSM_JSON_NUMBER && (v->flags & SSM_JSON_NUM_INT);
}

const char *ssm_json_number_text(const ssm_json *v, size_t *len_out)
{
	if (!v || v->type != SSM_JSON_NUMBER) {
		if (len_out)
			*len_out = 0;
		return NULL;
	}
	if (len_out)
		*len_out = v->u.num.text_len;
	return v->u.num.text;
}

double ssm_json_double(const ssm_json *v)
{
	return v && v->type == SSM_JSON_NUMBER ? v->u.num.d : 0;
}

bool ssm_json_equal(const ssm_json *a, const ssm_json *b)
{
	size_t i;

	if (a == b)
		return true;
	if (!a || !b || a->type != b->type)
		return false;
	switch ((ssm_json_type)a->type) {
	case SSM_JSON_NULL:
		return true;
	case SSM_JSON_BOOL:
		return a->u.b == b->u.b;
	case SSM_JSON_NUMBER:
		if ((a->flags & b->flags & SSM_JSON_NUM_INT))
			return a->u.num.i == b->u.num.i;
		if (isnan(a->u.num.d))
			return isnan(b->u.num.d);
		return a->u.num.d == b->u.num.d;
	case SSM_JSON_STRING:
		return a->u.str.len == b->u.str.len &&
		       !memcmp(a->u.str.ptr, b->u.str.ptr, a->u.str.len);
	case SSM_JSON_ARRAY:
		if (a->u.arr.len != b->u.arr.len)
			return false;
		for (i = 0; i < a->u.arr.len; i++)
			if (!ssm_json_equal(a->u.arr.items[i],
					    b->u.arr.items[i]))
				return false;
		return true;
	case SSM_JSON_OBJECT:
		if (a->u.obj.len != b->u.obj.len)
			return false;
		for (i = 0; i < a->u.obj.len; i++) {
			const ssm_json_member *x = &a->u.obj.items[i];
			const ssm_json_member *y = &b->u.obj.items[i];

			if (!same_key(x, y) ||
			    !ssm_json_equal(x->value, y->value))
				return false;
		}
		return true;
	}
	return false;
}

/* ------------------------------------------------------------------------ */
/* Typed getters                                                            */

static ssm_err node_error(const ssm_json *v, const char *fmt, ...)
	SSM_FORMAT_PRINTF(2, 3);

static ssm_err node_error(const ssm_json *v, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (v && v->line)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_JSON, NULL,
				      "line %u, column %u: %s", v->line,
				      v->column, msg);
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_JSON, NULL, "%s", msg);
}

static const char *article(ssm_json_type type)
{
	if (type == SSM_JSON_NULL)
		return "";
	return type == SSM_JSON_ARRAY || type == SSM_JSON_OBJECT ? "an " : "a ";
}

static ssm_err want(const ssm_json *v, ssm_json_type type)
{
	ssm_json_type found = v ? (ssm_json_type)v->type : SSM_JSON_NULL;

	if (v && v->type == type)
		return SSM_OK;
	return node_error(v, "expected %s%s, found %s%s", article(type),
			  ssm_json_type_name(type), v ? article(found) : "",
			  v ? ssm_json_type_name(found) : "nothing");
}

ssm_err ssm_json_get_string(const char **out, size_t *len_out,
			    const ssm_json *v)
{
	SSM_ASSERT_ARG(out);
	*out = NULL;
	if (len_out)
		*len_out = 0;
	SSM_TRY(want(v, SSM_JSON_STRING));
	*out = v->u.str.ptr;
	if (len_out)
		*len_out = v->u.str.len;
	return SSM_OK;
}

ssm_err ssm_json_get_bool(bool *out, const ssm_json *v)
{
	SSM_ASSERT_ARG(out);
	*out = false;
	SSM_TRY(want(v, SSM_JSON_BOOL));
	*out = v->u.b;
	return SSM_OK;
}

static const char *num_text(char *buf, const ssm_json *v)
{
	return ssm_json__quote(buf, v->u.num.text, v->u.num.text_len);
}

ssm_err ssm_json_get_int64(int64_t *out, const ssm_json *v, int64_t min,
			   int64_t max)
{
	char buf[64];

	SSM_ASSERT_ARG(out);
	*out = 0;
	SSM_TRY(want(v, SSM_JSON_NUMBER));
	if (!is_integral_text(v->u.num.text, v->u.num.text_len) ||
	    !isfinite(v->u.num.d))
		return node_error(v, "expected an integer, found %s",
				  num_text(buf, v));
	if (!(v->flags & SSM_JSON_NUM_INT) || v->u.num.i < min ||
	    v->u.num.i > max)
		return node_error(v,
				  "number %s is out of range (%" PRId64
				  "..%" PRId64 ")",
				  num_text(buf, v), min, max);
	*out = v->u.num.i;
	return SSM_OK;
}

ssm_err ssm_json_get_uint64(uint64_t *out, const ssm_json *v)
{
	const char *t;
	uint64_t u = 0;
	char buf[64];
	size_t i;

	SSM_ASSERT_ARG(out);
	*out = 0;
	SSM_TRY(want(v, SSM_JSON_NUMBER));
	t = v->u.num.text;
	if (!is_integral_text(t, v->u.num.text_len) || !isfinite(v->u.num.d))
		return node_error(v, "expected an integer, found %s",
				  num_text(buf, v));
	i = t[0] == '-' ? 1 : 0;
	for (; i < v->u.num.text_len; i++) {
		unsigned d = (unsigned)(t[i] - '0');

		if (u > (UINT64_MAX - d) / 10)
			goto range;
		u = u * 10 + d;
	}
	if (t[0] == '-' && u)
		goto range;
	*out = u;
	return SSM_OK;
range:
	return node_error(v, "number %s is out of range (0..%" PRIu64 ")",
			  num_text(buf, v), UINT64_MAX);
}

ssm_err ssm_json_get_double(double *out, const ssm_json *v)
{
	char buf[64];

	SSM_ASSERT_ARG(out);
	*out = 0;
	SSM_TRY(want(v, SSM_JSON_NUMBER));
	if (!isfinite(v->u.num.d))
		return node_error(v, "number %s is not finite",
				  num_text(buf, v));
	*out = v->u.num.d;
	return SSM_OK;
}

ssm_err ssm_json_get_epoch_ms(int64_t *out, const ssm_json *v)
{
	char buf[64];

	SSM_ASSERT_ARG(out);
	*out = 0;
	SSM_TRY(want(v, SSM_JSON_NUMBER));
	if (ssm_time_parse_epoch(out, v->u.num.text, v->u.num.text_len) < 0)
		return node_error(v, "timestamp %s is out of range",
				  num_text(buf, v));
	return SSM_OK;
}

/* ------------------------------------------------------------------------ */
/* Builders                                                                 */

static ssm_err build(ssm_json **out, ssm_json_doc *doc, ssm_json_type type)
{
	*out = ssm_json__node(doc, type, 0, 0);
	return *out ? SSM_OK : SSM_ERROR;
}

ssm_err ssm_json_new_null(ssm_json **out, ssm_json_doc *doc)
{
	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(doc);
	return build(out, doc, SSM_JSON_NULL);
}

ssm_err ssm_json_new_bool(ssm_json **out, ssm_json_doc *doc, bool b)
{
	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(doc);
	SSM_TRY(build(out, doc, SSM_JSON_BOOL));
	(*out)->u.b = b;
	return SSM_OK;
}

static ssm_err number_node(ssm_json **out, ssm_json_doc *doc, const char *text,
			   size_t len)
{
	ssm_json *v;

	*out = NULL;
	SSM_TRY(build(&v, doc, SSM_JSON_NUMBER));
	SSM_TRY(ssm_json__number_from_text(doc, v, text, len,
					   SSM_ERRCLASS_JSON));
	*out = v;
	return SSM_OK;
}

ssm_err ssm_json_new_int64(ssm_json **out, ssm_json_doc *doc, int64_t i)
{
	char buf[32];
	int n;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(doc);
	n = snprintf(buf, sizeof(buf), "%" PRId64, i);
	return number_node(out, doc, buf, (size_t)n);
}

ssm_err ssm_json_new_uint64(ssm_json **out, ssm_json_doc *doc, uint64_t u)
{
	char buf[32];
	int n;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(doc);
	n = snprintf(buf, sizeof(buf), "%" PRIu64, u);
	return number_node(out, doc, buf, (size_t)n);
}

ssm_err ssm_json_new_double(ssm_json **out, ssm_json_doc *doc, double d)
{
	char buf[32];
	size_t n;
	ssm_json *v;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(doc);
	if (!isfinite(d))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_JSON, NULL,
				      "number %s cannot be written as JSON",
				      isnan(d) ? "nan" : "inf");
	n = ssm_json__format_double(buf, d);
	SSM_TRY(number_node(&v, doc, buf, n));
	/* keep the exact double (the text is only its shortest form) */
	v->u.num.d = d;
	*out = v;
	return SSM_OK;
}

ssm_err ssm_json_new_string(ssm_json **out, ssm_json_doc *doc, const char *s,
			    size_t len)
{
	ssm_json *v;
	char *copy;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(doc);
	SSM_ASSERT_ARG(s || !len);
	copy = ssm_arena_strndup(&doc->arena, s ? s : "", len);
	if (!copy)
		return SSM_ERROR;
	SSM_TRY(build(&v, doc, SSM_JSON_STRING));
	v->u.str.ptr = copy;
	v->u.str.len = len;
	*out = v;
	return SSM_OK;
}

ssm_err ssm_json_new_array(ssm_json **out, ssm_json_doc *doc)
{
	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(doc);
	return build(out, doc, SSM_JSON_ARRAY);
}

ssm_err ssm_json_new_object(ssm_json **out, ssm_json_doc *doc)
{
	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(doc);
	return build(out, doc, SSM_JSON_OBJECT);
}

/* Make room for one more item in an arena array (the old one is left in
 * the arena). */
static ssm_err grow_items(ssm_json_doc *doc, void **items, size_t *cap,
			  size_t len, size_t size)
{
	size_t ncap, bytes;
	void *n;

	if (len < *cap)
		return SSM_OK;
	ncap = *cap ? *cap * 2 : 4;
	if (ssm__mul_overflow(&bytes, ncap, size)) {
		ssm_error__oom();
		return SSM_ERROR;
	}
	n = ssm_arena_alloc(&doc->arena, bytes);
	if (!n)
		return SSM_ERROR;
	if (len)
		memcpy(n, *items, len * size);
	*items = n;
	*cap = ncap;
	return SSM_OK;
}

ssm_err ssm_json_array_append(ssm_json_doc *doc, ssm_json *arr, ssm_json *value)
{
	void *items;

	SSM_ASSERT_ARG(doc);
	SSM_ASSERT_ARG(arr);
	SSM_ASSERT_ARG(value);
	SSM_TRY(want(arr, SSM_JSON_ARRAY));
	items = arr->u.arr.items;
	SSM_TRY(grow_items(doc, &items, &arr->u.arr.cap, arr->u.arr.len,
			   sizeof(ssm_json *)));
	arr->u.arr.items = items;
	arr->u.arr.items[arr->u.arr.len++] = value;
	return SSM_OK;
}

ssm_err ssm_json_object_set(ssm_json_doc *doc, ssm_json *obj, const char *key,
			    size_t key_len, ssm_json *value)
{
	ssm_json_member *m;
	void *items;
	char *copy;
	size_t i;

	SSM_ASSERT_ARG(doc);
	SSM_ASSERT_ARG(obj);
	SSM_ASSERT_ARG(key);
	SSM_ASSERT_ARG(value);
	SSM_TRY(want(obj, SSM_JSON_OBJECT));
	for (i = 0; i < obj->u.obj.len; i++) {
		m = &obj->u.obj.items[i];
		if (m->key_len == key_len && !memcmp(m->key, key, key_len)) {
			m->value = value;
			return SSM_OK;
		}
	}
	copy = ssm_arena_strndup(&doc->arena, key, key_len);
	if (!copy)
		return SSM_ERROR;
	items = obj->u.obj.items;
	SSM_TRY(grow_items(doc, &items, &obj->u.obj.cap, obj->u.obj.len,
			   sizeof(ssm_json_member)));
	obj->u.obj.items = items;
	m = &obj->u.obj.items[obj->u.obj.len++];
	m->key = copy;
	m->key_len = key_len;
	m->value = value;
	m->line = m->column = 0;
	return SSM_OK;
}

ssm_err ssm_json_object_remove(ssm_json *obj, const char *key, size_t key_len)
{
	char qbuf[64];
	size_t i;

	SSM_ASSERT_ARG(obj);
	SSM_ASSERT_ARG(key);
	SSM_TRY(want(obj, SSM_JSON_OBJECT));
	for (i = 0; i < obj->u.obj.len; i++) {
		ssm_json_member *m = &obj->u.obj.items[i];

		if (m->key_len == key_len && !memcmp(m->key, key, key_len)) {
			memmove(m, m + 1,
				(obj->u.obj.len - i - 1) * sizeof(*m));
			obj->u.obj.len--;
			return SSM_OK;
		}
	}
	return ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_JSON, NULL,
			      "no member %s",
			      ssm_json__quote(qbuf, key, key_len));
}

ssm_err ssm_json_object_set_string(ssm_json_doc *doc, ssm_json *obj,
				   const char *key, const char *s)
{
	ssm_json *v;

	SSM_ASSERT_ARG(key);
	SSM_ASSERT_ARG(s);
	SSM_TRY(ssm_json_new_string(&v, doc, s, strlen(s)));
	return ssm_json_object_set(doc, obj, key, strlen(key), v);
}

ssm_err ssm_json_object_set_int64(ssm_json_doc *doc, ssm_json *obj,
				  const char *key, int64_t i)
{
	ssm_json *v;

	SSM_ASSERT_ARG(key);
	SSM_TRY(ssm_json_new_int64(&v, doc, i));
	return ssm_json_object_set(doc, obj, key, strlen(key), v);
}

ssm_err ssm_json_object_set_bool(ssm_json_doc *doc, ssm_json *obj,
				 const char *key, bool b)
{
	ssm_json *v;

	SSM_ASSERT_ARG(key);
	SSM_TRY(ssm_json_new_bool(&v, doc, b));
	return ssm_json_object_set(doc, obj, key, strlen(key), v);
}

static ssm_err copy_node(ssm_json **out, ssm_json_doc *doc, const ssm_json *v,
			 size_t depth)
{
	ssm_json *c;
	size_t i, n;

	if (depth > SSM_JSON_WRITE_MAX_DEPTH)
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_JSON, NULL,
				      "nesting deeper than %d levels",
				      SSM_JSON_WRITE_MAX_DEPTH);
	c = ssm_json__node(doc, (ssm_json_type)v->type, v->line, v->column);
	if (!c)
		return SSM_ERROR;
	c->flags = v->flags;
	switch ((ssm_json_type)v->type) {
	case SSM_JSON_NULL:
		break;
	case SSM_JSON_BOOL:
		c->u.b = v->u.b;
		break;
	case SSM_JSON_NUMBER:
		c->u.num = v->u.num;
		c->u.num.text = ssm_arena_strndup(&doc->arena, v->u.num.text,
						  v->u.num.text_len);
		if (!c->u.num.text)
			return SSM_ERROR;
		break;
	case SSM_JSON_STRING:
		c->u.str.len = v->u.str.len;
		c->u.str.ptr = ssm_arena_strndup(&doc->arena, v->u.str.ptr,
						 v->u.str.len);
		if (!c->u.str.ptr)
			return SSM_ERROR;
		break;
	case SSM_JSON_ARRAY:
		n = v->u.arr.len;
		if (!n)
			break;
		c->u.arr.items =
			ssm_arena_alloc(&doc->arena, n * sizeof(ssm_json *));
		if (!c->u.arr.items)
			return SSM_ERROR;
		for (i = 0; i < n; i++)
			SSM_TRY(copy_node(&c->u.arr.items[i], doc,
					  v->u.arr.items[i], depth + 1));
		c->u.arr.len = c->u.arr.cap = n;
		break;
	case SSM_JSON_OBJECT:
		n = v->u.obj.len;
		if (!n)
			break;
		c->u.obj.items = ssm_arena_alloc(&doc->arena,
						 n * sizeof(ssm_json_member));
		if (!c->u.obj.items)
			return SSM_ERROR;
		for (i = 0; i < n; i++) {
			ssm_json_member *d = &c->u.obj.items[i];
			const ssm_json_member *s = &v->u.obj.items[i];

			*d = *s;
			d->key = ssm_arena_strndup(&doc->arena, s->key,
						   s->key_len);
			if (!d->key)
				return SSM_ERROR;
			SSM_TRY(copy_node(&d->value, doc, s->value, depth + 1));
		}
		c->u.obj.len = c->u.obj.cap = n;
		break;
	}
	*out = c;
	return SSM_OK;
}

ssm_err ssm_json_copy(ssm_json **out, ssm_json_doc *doc, const ssm_json *v)
{
	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(doc);
	SSM_ASSERT_ARG(v);
	return copy_node(out, doc, v, 0);
}

/* ------------------------------------------------------------------------ */
/* Streaming writer                                                         */

static ssm_err werr(ssm_jsonw *w, ssm_err error)
{
	if (w->error == SSM_OK)
		w->error = error;
	return error;
}

static ssm_err misuse(ssm_jsonw *w, const char *what)
{
	return werr(w, ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_JSON, NULL,
				      "json writer: %s", what));
}

static ssm_err put(ssm_jsonw *w, const void *data, size_t len)
{
	ssm_err error = ssm_str_put(w->out, data, len);

	return error < 0 ? werr(w, error) : SSM_OK;
}

static bool in_object(const ssm_jsonw *w)
{
	uint32_t d = w->depth - 1;

	return w->depth && (w->kinds[d / 8] & (1u << (d % 8)));
}

static ssm_err newline_indent(ssm_jsonw *w, uint32_t depth)
{
	static const char spaces[] = "                                ";
	size_t n = (size_t)depth * 2;

	SSM_TRY(put(w, "\n", 1));
	while (n) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

		SSM_TRY(put(w, spaces, k));
		n -= k;
	}
	return SSM_OK;
}

/* Separator and indentation before an array element or a key. */
static ssm_err separate(ssm_jsonw *w)
{
	if (!w->first)
		SSM_TRY(put(w, ",", 1));
	w->first = false;
	if (w->flags & SSM_JSON_WRITE_PRETTY)
		SSM_TRY(newline_indent(w, w->depth));
	return SSM_OK;
}

static ssm_err begin_value(ssm_jsonw *w)
{
	if (w->error < 0)
		return w->error;
	if (w->done)
		return misuse(w, "more than one top-level value");
	if (!w->depth)
		return SSM_OK;
	if (in_object(w)) {
		if (!w->want_val)
			return misuse(w, "a value in an object needs a key");
		w->want_val = false;
		return SSM_OK;
	}
	return separate(w);
}

static void end_value(ssm_jsonw *w)
{
	if (!w->depth)
		w->done = true;
}

void ssm_jsonw_init(ssm_jsonw *w, ssm_str *out, unsigned int flags)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->flags = flags;
	w->first = true;
}

static ssm_err open_level(ssm_jsonw *w, bool object)
{
	uint32_t d;

	SSM_TRY(begin_value(w));
	if (w->depth >= SSM_JSON_WRITE_MAX_DEPTH)
		return werr(w,
			    ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_JSON, NULL,
					   "nesting deeper than %d levels",
					   SSM_JSON_WRITE_MAX_DEPTH));
	SSM_TRY(put(w, object ? "{" : "[", 1));
	d = w->depth++;
	if (object)
		w->kinds[d / 8] |= (uint8_t)(1u << (d % 8));
	else
		w->kinds[d / 8] &= (uint8_t) ~(1u << (d % 8));
	w->first = true;
	return SSM_OK;
}

static ssm_err close_level(ssm_jsonw *w, bool object)
{
	if (w->error < 0)
		return w->error;
	if (!w->depth || in_object(w) != object)
		return misuse(w,
			      object ? "no object to end" : "no array to end");
	if (w->want_val)
		return misuse(w, "a key has no value");
	w->depth--;
	if (!w->first && (w->flags & SSM_JSON_WRITE_PRETTY))
		SSM_TRY(newline_indent(w, w->depth));
	SSM_TRY(put(w, object ? "}" : "]", 1));
	w->first = false;
	end_value(w);
	return SSM_OK;
}

ssm_err ssm_jsonw_object_begin(ssm_jsonw *w)
{
	return open_level(w, true);
}

ssm_err ssm_jsonw_object_end(ssm_jsonw *w)
{
	return close_level(w, true);
}

ssm_err ssm_jsonw_array_begin(ssm_jsonw *w)
{
	return open_level(w, false);
}

ssm_err ssm_jsonw_array_end(ssm_jsonw *w)
{
	return close_level(w, false);
}

/* 0: as is; 'u': \u00XX; else the letter after the backslash */
static const char escapes[256] = {
	['\0'] = 'u', [0x01] = 'u', [0x02] = 'u', [0x03] = 'u',	 [0x04] = 'u',
	[0x05] = 'u', [0x06] = 'u', [0x07] = 'u', ['\b'] = 'b',	 ['\t'] = 't',
	['\n'] = 'n', [0x0b] = 'u', ['\f'] = 'f', ['\r'] = 'r',	 [0x0e] = 'u',
	[0x0f] = 'u', [0x10] = 'u', [0x11] = 'u', [0x12] = 'u',	 [0x13] = 'u',
	[0x14] = 'u', [0x15] = 'u', [0x16] = 'u', [0x17] = 'u',	 [0x18] = 'u',
	[0x19] = 'u', [0x1a] = 'u', [0x1b] = 'u', [0x1c] = 'u',	 [0x1d] = 'u',
	[0x1e] = 'u', [0x1f] = 'u', ['"'] = '"',  ['\\'] = '\\',
};

static ssm_err put_escaped(ssm_jsonw *w, const unsigned char *s, size_t len)
{
	size_t i, run = 0;
	char esc[8];

	for (i = 0; i < len; i++) {
		char e = escapes[s[i]];

		if (!e)
			continue;
		if (i > run)
			SSM_TRY(put(w, s + run, i - run));
		run = i + 1;
		if (e == 'u') {
			snprintf(esc, sizeof(esc), "\\u%04x", s[i]);
			SSM_TRY(put(w, esc, 6));
		} else {
			esc[0] = '\\';
			esc[1] = e;
			SSM_TRY(put(w, esc, 2));
		}
	}
	if (len > run)
		SSM_TRY(put(w, s + run, len - run));
	return SSM_OK;
}

static ssm_err put_string(ssm_jsonw *w, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t ok;

	SSM_TRY(put(w, "\"", 1));
	if (w->flags & (SSM_JSON_WRITE_VALIDATE | SSM_JSON_WRITE_REPLACE)) {
		while ((ok = utf8_prefix(s, len)) < len) {
			size_t bad = 1;

			if (w->flags & SSM_JSON_WRITE_VALIDATE)
				return werr(w, ssm_error__set(
						       SSM_EINVALID,
						       SSM_ERRCLASS_JSON, NULL,
						       "invalid UTF-8 at byte "
						       "%zu of a string",
						       ok));
			SSM_TRY(put_escaped(w, s, ok));
			SSM_TRY(put(w, "\xef\xbf\xbd", 3));
			/* skip the bad sequence's continuation bytes too */
			while (ok + bad < len && (s[ok + bad] & 0xc0) == 0x80 &&
			       bad < 4)
				bad++;
			s += ok + bad;
			len -= ok + bad;
		}
	}
	SSM_TRY(put_escaped(w, s, len));
	return put(w, "\"", 1);
}

ssm_err ssm_jsonw_key(ssm_jsonw *w, const char *key, size_t len)
{
	if (w->error < 0)
		return w->error;
	if (!key && len)
		return misuse(w, "NULL key");
	if (!in_object(w) || w->want_val)
		return misuse(w, w->want_val ? "a key has no value"
					     : "a key outside an object");
	SSM_TRY(separate(w));
	SSM_TRY(put_string(w, key ? key : "", len));
	SSM_TRY(w->flags & SSM_JSON_WRITE_PRETTY ? put(w, ": ", 2)
						 : put(w, ":", 1));
	w->want_val = true;
	return SSM_OK;
}

ssm_err ssm_jsonw_keyz(ssm_jsonw *w, const char *key)
{
	return ssm_jsonw_key(w, key, key ? strlen(key) : 0);
}

ssm_err ssm_jsonw_string(ssm_jsonw *w, const char *s, size_t len)
{
	if (w->error == SSM_OK && !s && len)
		return misuse(w, "NULL string");
	SSM_TRY(begin_value(w));
	SSM_TRY(put_string(w, s ? s : "", len));
	end_value(w);
	return SSM_OK;
}

ssm_err ssm_jsonw_stringz(ssm_jsonw *w, const char *s)
{
	return ssm_jsonw_string(w, s, s ? strlen(s) : 0);
}

ssm_err ssm_jsonw_raw(ssm_jsonw *w, const char *text, size_t len)
{
	SSM_TRY(begin_value(w));
	SSM_TRY(put(w, text, len));
	end_value(w);
	return SSM_OK;
}

ssm_err ssm_jsonw_int64(ssm_jsonw *w, int64_t i)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%" PRId64, i);

	return ssm_jsonw_raw(w, buf, (size_t)n);
}

ssm_err ssm_jsonw_uint64(ssm_jsonw *w, uint64_t u)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%" PRIu64, u);

	return ssm_jsonw_raw(w, buf, (size_t)n);
}

ssm_err ssm_jsonw_double(ssm_jsonw *w, double d)
{
	char buf[32];

	if (w->error < 0)
		return w->error;
	if (!isfinite(d))
		return werr(w, ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_JSON,
					      NULL,
					      "number %s cannot be written as "
					      "JSON",
					      isnan(d) ? "nan" : "inf"));
	return ssm_jsonw_raw(w, buf, ssm_json__format_double(buf, d));
}

ssm_err ssm_jsonw_epoch_ms(ssm_jsonw *w, int64_t ms)
{
	char buf[SSM_EPOCH_SIZE];

	return ssm_jsonw_raw(w, buf, ssm_time_format_epoch(buf, ms));
}

ssm_err ssm_jsonw_bool(ssm_jsonw *w, bool b)
{
	return b ? ssm_jsonw_raw(w, "true", 4) : ssm_jsonw_raw(w, "false", 5);
}

ssm_err ssm_jsonw_null(ssm_jsonw *w)
{
	return ssm_jsonw_raw(w, "null", 4);
}

ssm_err ssm_jsonw_value(ssm_jsonw *w, const ssm_json *v)
{
	size_t i;

	if (w->error < 0)
		return w->error;
	if (!v)
		return misuse(w, "NULL value");
	switch ((ssm_json_type)v->type) {
	case SSM_JSON_NULL:
		return ssm_jsonw_null(w);
	case SSM_JSON_BOOL:
		return ssm_jsonw_bool(w, v->u.b);
	case SSM_JSON_NUMBER:
		if (!isfinite(v->u.num.d)) {
			char buf[64];

			return werr(w, node_error(v,
						  "number %s cannot be "
						  "written as JSON",
						  num_text(buf, v)));
		}
		return ssm_jsonw_raw(w, v->u.num.text, v->u.num.text_len);
	case SSM_JSON_STRING:
		return ssm_jsonw_string(w, v->u.str.ptr, v->u.str.len);
	case SSM_JSON_ARRAY:
		SSM_TRY(ssm_jsonw_array_begin(w));
		for (i = 0; i < v->u.arr.len; i++)
			SSM_TRY(ssm_jsonw_value(w, v->u.arr.items[i]));
		return ssm_jsonw_array_end(w);
	case SSM_JSON_OBJECT:
		SSM_TRY(ssm_jsonw_object_begin(w));
		for (i = 0; i < v->u.obj.len; i++) {
			const ssm_json_member *m = &v->u.obj.items[i];

			SSM_TRY(ssm_jsonw_key(w, m->key, m->key_len));
			SSM_TRY(ssm_jsonw_value(w, m->value));
		}
		return ssm_jsonw_object_end(w);
	}
	return misuse(w, "unknown node type");
}

ssm_err ssm_jsonw_finish(ssm_jsonw *w)
{
	if (w->error < 0)
		return w->error;
	if (!w->done)
		return misuse(w, w->depth ? "unclosed array or object"
					  : "nothing was written");
	return SSM_OK;
}

ssm_err ssm_json_write(ssm_str *out, const ssm_json *v, unsigned int flags)
{
	size_t size;
	ssm_jsonw w;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(v);
	size = out->size;
	ssm_jsonw_init(&w, out, flags);
	error = ssm_jsonw_value(&w, v);
	if (error == SSM_OK)
		error = ssm_jsonw_finish(&w);
	if (error < 0 && out->ptr)
		ssm_str_truncate(out, size); /* nothing half-written */
	return error;
}
