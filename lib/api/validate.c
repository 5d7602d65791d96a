/* SPDX-License-Identifier: Apache-2.0 */
/* Shape validation with AWS's ValidationException messages. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "api/shape.h"
#include "core/alloc.h"
#include "core/error.h"

#define MSG_MAX 1024
#define VALUE_REPR_MAX 160
#define PATH_MAX_LEN 256

struct verrors {
	bool quiet; /* only count: no paths or messages are formatted */
	int count;
	char text[MSG_MAX]; /* "; "-joined entries */
	size_t used;
};

/* ---- compiled patterns, cached by descriptor address ------------------ */

struct pattern_entry {
	struct pattern_entry *next;
	const char *pattern;
	pcre2_code *code;
};

static pthread_mutex_t pattern_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pattern_entry *patterns;

static pcre2_code *pattern_get(const char *pattern)
{
	struct pattern_entry *e;
	pcre2_code *code = NULL;
	int errcode;
	PCRE2_SIZE erroff;

	pthread_mutex_lock(&pattern_lock);
	for (e = patterns; e; e = e->next)
		if (e->pattern == pattern) {
			code = e->code;
			goto done;
		}
	code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			     PCRE2_UTF, &errcode, &erroff, NULL);
	if (!code)
		goto done;
	e = ssm__malloc(sizeof(*e));
	if (!e) {
		pcre2_code_free(code);
		code = NULL;
		goto done;
	}
	e->pattern = pattern;
	e->code = code;
	e->next = patterns;
	patterns = e;
done:
	pthread_mutex_unlock(&pattern_lock);
	return code;
}

void ssm_api__patterns_dispose(void)
{
	struct pattern_entry *e, *next;

	pthread_mutex_lock(&pattern_lock);
	for (e = patterns; e; e = next) {
		next = e->next;
		pcre2_code_free(e->code);
		ssm__free(e);
	}
	patterns = NULL;
	pthread_mutex_unlock(&pattern_lock);
}

/* 1: matches, 0: does not, -1: could not be evaluated */
static int pattern_match(const char *pattern, const char *s, size_t len)
{
	pcre2_code *code = pattern_get(pattern);
	pcre2_match_data *md;
	int rc;

	if (!code)
		return -1;
	md = pcre2_match_data_create_from_pattern(code, NULL);
	if (!md)
		return -1;
	rc = pcre2_match(code, (PCRE2_SPTR)s, len, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	if (rc >= 0)
		return 1;
	return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

/* ---- helpers ---------------------------------------------------------- */

int64_t ssm_api__utf8_length(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	int64_t n = 0;
	size_t i = 0, k, extra;

	while (i < len) {
		unsigned char c = s[i];
		uint32_t cp;

		if (c < 0x80) {
			i++;
			n++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			extra = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			extra = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			extra = 3;
			cp = c & 0x07;
		} else {
			return -1;
		}
		if (i + extra >= len)
			return -1;
		for (k = 1; k <= extra; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return -1;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((extra == 2 &&
		     (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return -1;
		i += extra + 1;
		n++;
	}
	return n;
}

/* One entry: "Value <repr> at '<path>' failed to satisfy constraint: <c>";
 * @repr is already quoted ('x') or a bare word (null), or NULL to leave the
 * value out (sensitive values). */
/* Bounds: {0, 0} means none (designated initialisers leave them zero);
 * {min, 0} with min != 0 is a minimum alone; otherwise both apply. */
static bool has_min(int64_t lo, int64_t hi)
{
	return lo || hi;
}

static bool has_max(int64_t hi)
{
	return hi != 0;
}

static void add_error(struct verrors *ve, const char *repr, const char *path,
		      const char *constraint)
{
	int n;

	if (!ve->quiet && ve->used < sizeof(ve->text)) {
		n = snprintf(ve->text + ve->used, sizeof(ve->text) - ve->used,
			     "%sValue%s%s at '%s' failed to satisfy "
			     "constraint: %s",
			     ve->count ? "; " : "", repr ? " " : "",
			     repr ? repr : "", path, constraint);
		if (n > 0)
			ve->used += (size_t)n;
	}
	ve->count++;
}

/* "Value 'x' at 'p' ..." with the value cut for long input */
static void value_error(struct verrors *ve, const ssm_api_field *f,
			const char *value, size_t len, const char *path,
			const char *constraint)
{
	char repr[VALUE_REPR_MAX + 8];

	if (f->flags & SSM_API_F_SENSITIVE || !value) {
		add_error(ve, NULL, path, constraint);
		return;
	}
	if (len > VALUE_REPR_MAX)
		snprintf(repr, sizeof(repr), "'%.*s...'", VALUE_REPR_MAX,
			 value);
	else
		snprintf(repr, sizeof(repr), "'%.*s'", (int)len, value);
	add_error(ve, repr, path, constraint);
}

static void lower_camel(char *out, size_t outlen, const char *prefix,
			const char *wire)
{
	if (prefix && *prefix)
		snprintf(out, outlen, "%s.%s", prefix, wire);
	else
		snprintf(out, outlen, "%s", wire);
	{
		char *p = out + (prefix && *prefix ? strlen(prefix) + 1 : 0);

		if (p < out + outlen && *p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	}
}

static void check_string(struct verrors *ve, const ssm_api_field *f,
			 const char *s, const char *path, int64_t lo,
			 int64_t hi, bool element)
{
	size_t len = strlen(s);
	int64_t n = ssm_api__utf8_length(s, len);
	char c[PATH_MAX_LEN + 64];

	if (n < 0) {
		add_error(ve, NULL, path, "Member must be valid UTF-8");
		return;
	}
	if (has_min(lo, hi) && n < lo) {
		snprintf(c, sizeof(c),
			 "Member must have length greater than or equal to "
			 "%" PRId64,
			 lo);
		value_error(ve, f, s, len, path, c);
	}
	if (has_max(hi) && n > hi) {
		snprintf(c, sizeof(c),
			 "Member must have length less than or equal to "
			 "%" PRId64,
			 hi);
		value_error(ve, f, s, len, path, c);
	}
	if (!element && f->enums) {
		const char *const *e;
		char set[512];
		size_t used = 0;
		bool ok = false;

		for (e = f->enums; *e; e++)
			if (strcmp(*e, s) == 0)
				ok = true;
		if (!ok) {
			used = (size_t)snprintf(
				set, sizeof(set),
				"Member must satisfy enum value "
				"set: [");
			for (e = f->enums; *e && used < sizeof(set); e++)
				used += (size_t)snprintf(
					set + used, sizeof(set) - used, "%s%s",
					e == f->enums ? "" : ", ", *e);
			if (used < sizeof(set))
				snprintf(set + used, sizeof(set) - used, "]");
			value_error(ve, f, s, len, path, set);
		}
	}
	if (f->pattern && pattern_match(f->pattern, s, len) != 1) {
		snprintf(c, sizeof(c),
			 "Member must satisfy regular expression pattern: %s",
			 f->pattern);
		value_error(ve, f, s, len, path, c);
	}
}

/* A list of strings as AWS (Java) prints it in messages: '[a, b, c]', cut
 * with "..." past VALUE_REPR_MAX; NULL for other lists and sensitive
 * fields. */
static const char *list_repr(char *out, size_t size, const ssm_api_field *f,
			     const ssm_api_list *l)
{
	char body[VALUE_REPR_MAX + 1];
	char *const *items;
	size_t used = 0, i;
	bool cut = false;
	int n;

	if (!l || f->elem != SSM_API_STRING || (f->flags & SSM_API_F_SENSITIVE))
		return NULL;
	items = l->items;
	body[0] = '\0';
	for (i = 0; i < l->count; i++) {
		n = snprintf(body + used, sizeof(body) - used, "%s%s",
			     i ? ", " : "", items[i] ? items[i] : "null");
		if (n < 0 || (size_t)n >= sizeof(body) - used) {
			cut = true;
			break;
		}
		used += (size_t)n;
	}
	snprintf(out, size, "'[%s%s]'", body, cut ? "..." : "");
	return out;
}

static void check_count(struct verrors *ve, const ssm_api_field *f,
			size_t count, const char *path, const ssm_api_list *l)
{
	char c[128], repr[VALUE_REPR_MAX + 16];

	if ((int64_t)count < f->min && has_min(f->min, f->max)) {
		snprintf(c, sizeof(c),
			 "Member must have length greater than or equal to "
			 "%" PRId64,
			 f->min);
		add_error(ve, list_repr(repr, sizeof(repr), f, l), path, c);
	} else if (has_max(f->max) && (int64_t)count > f->max) {
		snprintf(c, sizeof(c),
			 "Member must have length less than or equal to "
			 "%" PRId64,
			 f->max);
		add_error(ve, list_repr(repr, sizeof(repr), f, l), path, c);
	}
}

static void check_shape(struct verrors *ve, const ssm_api_shape *shape,
			const void *value, const char *prefix);

static void check_field(struct verrors *ve, const ssm_api_field *f,
			const void *base, const char *prefix)
{
	const char *p = (const char *)base + f->offset;
	char path[PATH_MAX_LEN], sub[PATH_MAX_LEN + 32], c[128];
	size_t i;

	if (!ve->quiet)
		lower_camel(path, sizeof(path), prefix, f->name);
	else
		path[0] = '\0';
	switch (f->type) {
	case SSM_API_STRING: {
		const char *s = *(char *const *)p;

		if (!s) {
			if (f->flags & SSM_API_F_REQUIRED)
				add_error(ve, "null", path,
					  "Member must not be null");
			return;
		}
		check_string(ve, f, s, path, f->min, f->max, false);
		return;
	}
	case SSM_API_INT: {
		int64_t v = *(const int64_t *)p;

		if (v == 0 && !(f->flags & SSM_API_F_ZERO)) {
			if (f->flags & SSM_API_F_REQUIRED)
				add_error(ve, "null", path,
					  "Member must not be null");
			return;
		}
		if (has_min(f->min, f->max) && v < f->min) {
			char repr[32];

			snprintf(repr, sizeof(repr), "'%" PRId64 "'", v);
			snprintf(c, sizeof(c),
				 "Member must have value greater than or "
				 "equal to %" PRId64,
				 f->min);
			add_error(ve, repr, path, c);
		} else if (has_max(f->max) && v > f->max) {
			char repr[32];

			snprintf(repr, sizeof(repr), "'%" PRId64 "'", v);
			snprintf(c, sizeof(c),
				 "Member must have value less than or equal "
				 "to %" PRId64,
				 f->max);
			add_error(ve, repr, path, c);
		}
		return;
	}
	case SSM_API_STRUCT: {
		const void *sv = *(const void *const *)p;

		if (!sv) {
			if (f->flags & SSM_API_F_REQUIRED)
				add_error(ve, "null", path,
					  "Member must not be null");
			return;
		}
		check_shape(ve, f->shape, sv, path);
		return;
	}
	case SSM_API_LIST: {
		const ssm_api_list *l = (const ssm_api_list *)p;

		if (!l->items && !l->count) {
			if (f->flags & SSM_API_F_REQUIRED)
				add_error(ve, "null", path,
					  "Member must not be null");
			return;
		}
		check_count(ve, f, l->count, path, l);
		for (i = 0; i < l->count; i++) {
			if (!ve->quiet)
				snprintf(sub, sizeof(sub), "%s.%zu.member",
					 path, i + 1);
			else
				sub[0] = '\0';
			if (f->elem == SSM_API_STRING) {
				const char *s = ((char *const *)l->items)[i];

				if (!s)
					add_error(ve, "null", sub,
						  "Member must not be null");
				else
					check_string(ve, f, s, sub, f->elem_min,
						     f->elem_max, false);
			} else if (f->elem == SSM_API_STRUCT) {
				check_shape(ve, f->shape,
					    (const char *)l->items +
						    i * f->shape->size,
					    sub);
			}
		}
		return;
	}
	case SSM_API_MAP: {
		const ssm_api_map *m = (const ssm_api_map *)p;

		if (!m->items && !m->count) {
			if (f->flags & SSM_API_F_REQUIRED)
				add_error(ve, "null", path,
					  "Member must not be null");
			return;
		}
		check_count(ve, f, m->count, path, NULL);
		for (i = 0; i < m->count; i++) {
			const ssm_api_map_entry *e = &m->items[i];

			if (!e->key ||
			    ssm_api__utf8_length(e->key, strlen(e->key)) < 0)
				add_error(ve, NULL, path,
					  "Map keys must be valid UTF-8");
		}
		return;
	}
	case SSM_API_BOOL:
	case SSM_API_TIME:
	case SSM_API_ISOTIME:
	case SSM_API_BLOB:
	case SSM_API_DOUBLE:
		return;
	}
}

static void check_shape(struct verrors *ve, const ssm_api_shape *shape,
			const void *value, const char *prefix)
{
	size_t i;

	for (i = 0; i < shape->nfields; i++)
		check_field(ve, &shape->fields[i], value, prefix);
}

ssm_err ssm_api_validate(const ssm_api_shape *shape, const void *value)
{
	struct verrors ve;

	/* valid requests are the common case: check without formatting
	 * anything, and only describe the errors when there are some */
	ve.quiet = true;
	ve.count = 0;
	ve.used = 0;
	ve.text[0] = '\0';
	check_shape(&ve, shape, value, NULL);
	if (!ve.count)
		return SSM_OK;
	ve.quiet = false;
	ve.count = 0;
	check_shape(&ve, shape, value, NULL);
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_API,
			      "ValidationException",
			      "%d validation error%s detected: %s", ve.count,
			      ve.count == 1 ? "" : "s", ve.text);
}
