/* SPDX-License-Identifier: Apache-2.0 */
/* One value tree for JSON and YAML (internal).
 *
 * A document (ssm_json_doc) owns an arena that holds every node and string of
 * its tree: ssm_json_doc_free() releases all of it at once. Nodes remember
 * where they came from (1-based line and column, columns counted in
 * characters). Objects keep their members in order; strings are (ptr, len),
 * may hold NUL bytes and are always NUL-terminated; numbers keep their text
 * together with an int64_t (when the text is an integer in range) and a
 * double.
 *
 * Parsers: ssm_json_parse() here (yajl), ssm_yaml_parse() in core/yaml.h
 * (libyaml); both fill the same tree, refuse duplicate keys, and report
 * errors as "line L, column C: what" with class SSM_ERRCLASS_JSON or _YAML:
 * SSM_EINVALID for malformed input, SSM_ELIMIT past a limit of
 * ssm_json_limits, SSM_ERROR "out of memory".
 *
 * Numbers: JSON numbers that do not fit a double (1e400) are refused with
 * SSM_EINVALID; those that underflow (1e-400) become 0. YAML's .inf and .nan
 * are numbers whose double is infinite or NaN; they cannot be written as JSON
 * (SSM_EINVALID).
 *
 * YAML aliases share the anchored subtree: treat parsed trees as read-only, or
 * take a private ssm_json_copy() of a subtree before changing it.
 *
 * Generators: ssm_json_write() (tree to JSON text), the streaming writer
 * ssm_jsonw (JSON text without a tree), ssm_yaml_write() in core/yaml.h.
 */
#ifndef SSM_CORE_JSON_H
#define SSM_CORE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssm/errors.h"
#include "core/arena.h"
#include "core/str.h"

typedef enum ssm_json_type {
	SSM_JSON_NULL = 0,
	SSM_JSON_BOOL,
	SSM_JSON_NUMBER,
	SSM_JSON_STRING,
	SSM_JSON_ARRAY,
	SSM_JSON_OBJECT
} ssm_json_type;

typedef struct ssm_json ssm_json;

typedef struct ssm_json_member {
	const char *key; /* NUL-terminated; may hold NUL bytes (key_len) */
	size_t key_len;
	ssm_json *value;
	uint32_t line, column; /* of the key */
} ssm_json_member;

/* Flags of a number node. */
#define SSM_JSON_NUM_INT 0x1u /* integral text in int64_t range: i is exact */

/* A node. Fields are read-only outside json.c and yaml.c: use the accessors
 * and builders below. */
struct ssm_json {
	uint8_t type;  /* ssm_json_type */
	uint8_t flags; /* SSM_JSON_NUM_* for numbers */
	uint32_t line, column;
	union {
		bool b;
		struct {
			const char *
				text; /* valid JSON number text, or .inf/.nan */
			size_t text_len;
			int64_t i; /* exact when SSM_JSON_NUM_INT */
			double d;
		} num;
		struct {
			const char *ptr;
			size_t len;
		} str;
		struct {
			ssm_json **items;
			size_t len, cap;
		} arr;
		struct {
			ssm_json_member *items;
			size_t len, cap;
		} obj;
	} u;
};

typedef struct ssm_json_doc {
	ssm_arena arena; /* every node and string of the tree */
	ssm_json *root;	 /* NULL until parsed or set */
} ssm_json_doc;

/* Limits of one parse; zero fields take the defaults below. */
typedef struct ssm_json_limits {
	size_t max_input;  /* bytes of input text */
	size_t max_depth;  /* nesting of arrays and objects */
	size_t max_string; /* bytes of one string or key */
	size_t max_nodes; /* values in the tree (YAML: after alias expansion) */
	unsigned int flags; /* SSM_JSON_PARSE_* */
} ssm_json_limits;

#define SSM_JSON_DEFAULT_MAX_INPUT ((size_t)16 << 20)
#define SSM_JSON_DEFAULT_MAX_DEPTH 64
#define SSM_JSON_DEFAULT_MAX_STRING ((size_t)8 << 20)
#define SSM_JSON_DEFAULT_MAX_NODES ((size_t)1000000)

/* Duplicate keys: the last value wins, at the place of the first key. */
#define SSM_JSON_PARSE_ALLOW_DUPLICATES 0x1u

/* --- documents ---------------------------------------------------------- */

/* Parse one JSON value from @text (UTF-8, an optional leading BOM is
 * skipped). Comments, trailing data and several values are refused.
 * @limits may be NULL. On failure *out is NULL. */
ssm_err ssm_json_parse(ssm_json_doc **out, const char *text, size_t len,
		       const ssm_json_limits *limits);
/* An empty document to build a tree in (root NULL). */
ssm_err ssm_json_doc_new(ssm_json_doc **out);
/* NULL is a no-op. */
void ssm_json_doc_free(ssm_json_doc *doc);

static inline ssm_json *ssm_json_doc_root(const ssm_json_doc *doc)
{
	return doc ? doc->root : NULL;
}

/* The node must belong to @doc (or be NULL). */
void ssm_json_doc_set_root(ssm_json_doc *doc, ssm_json *root);

/* --- accessors (cannot fail; NULL and wrong types give neutral answers) -- */

static inline ssm_json_type ssm_json_typeof(const ssm_json *v)
{
	return v ? (ssm_json_type)v->type : SSM_JSON_NULL;
}

/* "null", "boolean", "number", "string", "array", "object" */
const char *ssm_json_type_name(ssm_json_type type);

static inline uint32_t ssm_json_line(const ssm_json *v)
{
	return v ? v->line : 0;
}

static inline uint32_t ssm_json_column(const ssm_json *v)
{
	return v ? v->column : 0;
}

/* Elements of an array, members of an object, else 0. */
size_t ssm_json_size(const ssm_json *v);
/* Element @i of an array; NULL out of range or when not an array. */
ssm_json *ssm_json_at(const ssm_json *arr, size_t i);
/* Member @i of an object in document order; NULL out of range. */
const ssm_json_member *ssm_json_member_at(const ssm_json *obj, size_t i);
/* The value of member @key (first match; linear search); NULL when absent or
 * when @obj is not an object. */
ssm_json *ssm_json_get(const ssm_json *obj, const char *key);
ssm_json *ssm_json_getn(const ssm_json *obj, const char *key, size_t key_len);
/* A string's bytes (NUL-terminated) or NULL when not a string. */
const char *ssm_json_str(const ssm_json *v);
/* A string's length in bytes, else 0. */
size_t ssm_json_str_len(const ssm_json *v);
/* A boolean's value; false for anything else. */
bool ssm_json_bool(const ssm_json *v);
/* true for a number whose text is an integer within int64_t. */
bool ssm_json_is_integer(const ssm_json *v);
/* A number's text (JSON syntax, or ".inf"/"-.inf"/".nan" from YAML); NULL
 * when not a number. */
const char *ssm_json_number_text(const ssm_json *v, size_t *len_out);
/* A number's double (nearest); 0 when not a number. */
double ssm_json_double(const ssm_json *v);
/* Deep equality: same types, same strings and keys in the same order, numbers
 * of equal value (integers exactly, else as doubles; NaN equals NaN). */
bool ssm_json_equal(const ssm_json *a, const ssm_json *b);

/* --- typed getters: SSM_EINVALID "line L, column C: expected a string,
 * found a number" and the like (class SSM_ERRCLASS_JSON) ---------------- */

ssm_err ssm_json_get_string(const char **out, size_t *len_out,
			    const ssm_json *v);
ssm_err ssm_json_get_bool(bool *out, const ssm_json *v);
/* Integers only (no fraction or exponent), within [min, max]. */
ssm_err ssm_json_get_int64(int64_t *out, const ssm_json *v, int64_t min,
			   int64_t max);
/* Non-negative integers up to UINT64_MAX. */
ssm_err ssm_json_get_uint64(uint64_t *out, const ssm_json *v);
/* Any finite number. */
ssm_err ssm_json_get_double(double *out, const ssm_json *v);
/* AWS timestamps: epoch seconds (1528932105.382) to exact milliseconds;
 * digits past the millisecond are cut toward zero (ssm_time_parse_epoch). */
ssm_err ssm_json_get_epoch_ms(int64_t *out, const ssm_json *v);

/* --- builders: nodes live in @doc's arena; positions are 0 --------------- */

ssm_err ssm_json_new_null(ssm_json **out, ssm_json_doc *doc);
ssm_err ssm_json_new_bool(ssm_json **out, ssm_json_doc *doc, bool b);
ssm_err ssm_json_new_int64(ssm_json **out, ssm_json_doc *doc, int64_t i);
ssm_err ssm_json_new_uint64(ssm_json **out, ssm_json_doc *doc, uint64_t u);
/* Finite values only (SSM_EINVALID otherwise). */
ssm_err ssm_json_new_double(ssm_json **out, ssm_json_doc *doc, double d);
/* Copies @len bytes of @s. */
ssm_err ssm_json_new_string(ssm_json **out, ssm_json_doc *doc, const char *s,
			    size_t len);
ssm_err ssm_json_new_array(ssm_json **out, ssm_json_doc *doc);
ssm_err ssm_json_new_object(ssm_json **out, ssm_json_doc *doc);
ssm_err ssm_json_array_append(ssm_json_doc *doc, ssm_json *arr,
			      ssm_json *value);
/* Replace the value of member @key, or append the member. The key is copied.
 */
ssm_err ssm_json_object_set(ssm_json_doc *doc, ssm_json *obj, const char *key,
			    size_t key_len, ssm_json *value);
/* Remove member @key; SSM_ENOTFOUND when absent. */
ssm_err ssm_json_object_remove(ssm_json *obj, const char *key, size_t key_len);
/* Shorthands for ssm_json_object_set() with a new node (NUL-terminated key
 * and string). */
ssm_err ssm_json_object_set_string(ssm_json_doc *doc, ssm_json *obj,
				   const char *key, const char *s);
ssm_err ssm_json_object_set_int64(ssm_json_doc *doc, ssm_json *obj,
				  const char *key, int64_t i);
ssm_err ssm_json_object_set_bool(ssm_json_doc *doc, ssm_json *obj,
				 const char *key, bool b);
/* A deep copy of @v (from any document) into @doc. */
ssm_err ssm_json_copy(ssm_json **out, ssm_json_doc *doc, const ssm_json *v);

/* --- generator --------------------------------------------------------- */

#define SSM_JSON_WRITE_PRETTY 0x1u    /* newlines and 2-space indent */
#define SSM_JSON_WRITE_VALIDATE 0x2u  /* invalid UTF-8: SSM_EINVALID */
#define SSM_JSON_WRITE_REPLACE 0x4u   /* invalid UTF-8 becomes U+FFFD */
#define SSM_JSON_WRITE_MAX_DEPTH 1024 /* deeper: SSM_ELIMIT */

/* Append @v as JSON text to @out. Escapes '"', '\' and control characters;
 * other bytes pass through unless a UTF-8 flag says otherwise. Fails with
 * SSM_EINVALID for a non-finite number, SSM_ELIMIT past @out's maximum. */
ssm_err ssm_json_write(ssm_str *out, const ssm_json *v, unsigned int flags);

/* --- streaming writer --------------------------------------------------- */

/* Writes JSON straight into an ssm_str, keeping track of commas and nesting.
 * The first failure sticks: later calls do nothing and return it, and
 * ssm_jsonw_finish() reports it, so a sequence of calls can be checked once.
 * Misuse (a value where a key is due, unbalanced ends) is SSM_EINVALID. */
typedef struct ssm_jsonw {
	ssm_str *out;
	unsigned int flags; /* SSM_JSON_WRITE_* */
	ssm_err error;
	uint32_t depth;
	bool first;    /* nothing written yet at this level */
	bool want_val; /* in an object, after a key */
	bool done;     /* the top-level value is complete */
	uint8_t kinds[SSM_JSON_WRITE_MAX_DEPTH / 8]; /* bit set: object */
} ssm_jsonw;

void ssm_jsonw_init(ssm_jsonw *w, ssm_str *out, unsigned int flags);
ssm_err ssm_jsonw_object_begin(ssm_jsonw *w);
ssm_err ssm_jsonw_object_end(ssm_jsonw *w);
ssm_err ssm_jsonw_array_begin(ssm_jsonw *w);
ssm_err ssm_jsonw_array_end(ssm_jsonw *w);
ssm_err ssm_jsonw_key(ssm_jsonw *w, const char *key, size_t len);
ssm_err ssm_jsonw_keyz(ssm_jsonw *w, const char *key);
ssm_err ssm_jsonw_string(ssm_jsonw *w, const char *s, size_t len);
ssm_err ssm_jsonw_stringz(ssm_jsonw *w, const char *s);
ssm_err ssm_jsonw_int64(ssm_jsonw *w, int64_t i);
ssm_err ssm_jsonw_uint64(ssm_jsonw *w, uint64_t u);
/* Shortest text that reads back as the same double (1528932105.382);
 * non-finite values are SSM_EINVALID. */
ssm_err ssm_jsonw_double(ssm_jsonw *w, double d);
/* Epoch milliseconds as AWS writes timestamps: seconds with the
 * milliseconds as a fraction, trailing zeros dropped (1528932105.382,
 * 1528932105.5, 1528932105). Exact, no floating point
 * (ssm_time_format_epoch). */
ssm_err ssm_jsonw_epoch_ms(ssm_jsonw *w, int64_t ms);
ssm_err ssm_jsonw_bool(ssm_jsonw *w, bool b);
ssm_err ssm_jsonw_null(ssm_jsonw *w);
/* Text that is already one JSON value; written as it is (not checked). */
ssm_err ssm_jsonw_raw(ssm_jsonw *w, const char *text, size_t len);
/* A whole tree as one value. */
ssm_err ssm_jsonw_value(ssm_jsonw *w, const ssm_json *v);
/* SSM_OK when exactly one complete value was written, else the sticky error
 * or SSM_EINVALID. */
ssm_err ssm_jsonw_finish(ssm_jsonw *w);

/* --- shared with yaml.c ------------------------------------------------- */

/* Resolved limits (defaults filled in). */
void ssm_json__limits(ssm_json_limits *dst, const ssm_json_limits *src);
/* A new node in @doc's arena; NULL with "out of memory" set. */
ssm_json *ssm_json__node(ssm_json_doc *doc, ssm_json_type type, uint32_t line,
			 uint32_t column);
/* What ssm_json__object_build() does with a key seen before. */
typedef enum ssm_json__dup {
	SSM_JSON__DUP_ERROR,	  /* "line L, column C: duplicate key 'k'" */
	SSM_JSON__DUP_LAST_WINS,  /* at the first key's place */
	SSM_JSON__DUP_FIRST_WINS, /* later ones are dropped (YAML merge keys) */
} ssm_json__dup;

/* Fill @obj with a copy of @members, handling duplicate keys as @dup says. */
ssm_err ssm_json__object_build(ssm_json_doc *doc, ssm_json *obj,
			       const ssm_json_member *members, size_t n,
			       ssm_json__dup dup, ssm_error_class klass);
/* Set a number node from valid JSON number text (copied into the arena).
 * SSM_EINVALID "number 'T' is out of range" when it overflows a double. */
ssm_err ssm_json__number_from_text(ssm_json_doc *doc, ssm_json *node,
				   const char *text, size_t len,
				   ssm_error_class klass);
/* Shortest "%.17g"-style text that reads back as @d; @buf holds 32 bytes.
 * Returns the length. @d must be finite. */
size_t ssm_json__format_double(char *buf, double d);
/* strtod in the C locale. */
double ssm_json__strtod(const char *text, char **end);
/* Quote at most 40 bytes of @s for a message: "'abc'" or "'abc...'" into
 * @buf (64 bytes); returns @buf. */
const char *ssm_json__quote(char *buf, const char *s, size_t len);
/* 1-based line and column (in characters) of byte @off of @text. */
void ssm_json__position(uint32_t *line, uint32_t *column, const char *text,
			size_t off);

#endif
