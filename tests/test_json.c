/* SPDX-License-Identifier: Apache-2.0 */
/* JSON: the value tree, the yajl-based parser, the generators. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include <cmocka.h>

#include <yajl/yajl_tree.h>

#include "ssm/ssm.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/json.h"
#include "core/str.h"

static ssm_json_doc *parse_ok(const char *text)
{
	ssm_json_doc *doc = NULL;
	ssm_err error = ssm_json_parse(&doc, text, strlen(text), NULL);

	if (error != SSM_OK)
		fail_msg("parse of '%s': %s", text, ssm_error_last()->message);
	return doc;
}

/* Parse must fail with @code and exactly @message. */
static void parse_fails(const char *text, size_t len,
			const ssm_json_limits *lim, ssm_err code,
			const char *message)
{
	ssm_json_doc *doc = (ssm_json_doc *)1;
	ssm_err error = ssm_json_parse(&doc, text, len, lim);

	if (error != code)
		fail_msg("'%.*s': expected %d, got %d (%s)", (int)len, text,
			 code, error, ssm_error_last()->message);
	assert_null(doc);
	assert_string_equal(message, ssm_error_last()->message);
	assert_int_equal(SSM_ERRCLASS_JSON, ssm_error_last()->klass);
}

static char *write_tree(const ssm_json *v, unsigned int flags)
{
	ssm_str s = SSM_STR_INIT;

	assert_int_equal(SSM_OK, ssm_json_write(&s, v, flags));
	return ssm_str_detach(&s, NULL);
}

/* Does yajl's own tree parser read @text as the same tree as @v? */
static bool same_as_yajl(const ssm_json *v, yajl_val y)
{
	size_t i;

	switch (ssm_json_typeof(v)) {
	case SSM_JSON_NULL:
		return YAJL_IS_NULL(y);
	case SSM_JSON_BOOL:
		return ssm_json_bool(v) ? YAJL_IS_TRUE(y) : YAJL_IS_FALSE(y);
	case SSM_JSON_NUMBER:
		return YAJL_IS_NUMBER(y) &&
		       !strcmp(YAJL_GET_NUMBER(y),
			       ssm_json_number_text(v, NULL));
	case SSM_JSON_STRING:
		/* yajl_tree strings stop at a NUL */
		return YAJL_IS_STRING(y) && y->u.string &&
		       !strcmp(y->u.string, ssm_json_str(v));
	case SSM_JSON_ARRAY:
		if (!YAJL_IS_ARRAY(y) || y->u.array.len != ssm_json_size(v))
			return false;
		for (i = 0; i < ssm_json_size(v); i++)
			if (!same_as_yajl(ssm_json_at(v, i),
					  y->u.array.values[i]))
				return false;
		return true;
	case SSM_JSON_OBJECT:
		if (!YAJL_IS_OBJECT(y) || y->u.object.len != ssm_json_size(v))
			return false;
		for (i = 0; i < ssm_json_size(v); i++) {
			const ssm_json_member *m = ssm_json_member_at(v, i);

			if (strcmp(m->key, y->u.object.keys[i]) ||
			    !same_as_yajl(m->value, y->u.object.values[i]))
				return false;
		}
		return true;
	}
	return false;
}

static void assert_yajl_reads_same(const char *text, const ssm_json *v)
{
	char err[200];
	yajl_val y = yajl_tree_parse(text, err, sizeof(err));

	if (!y)
		fail_msg("yajl cannot parse '%s': %s", text, err);
	assert_true(same_as_yajl(v, y));
	yajl_tree_free(y);
}

/* ---------------------------------------------------------------------- */

static void parse_builds_tree_with_positions(void **state)
{
	const char *text = "{\n"
			   "  \"name\": \"AWS-RunShellScript\",\n"
			   "  \"n\": [1, -2.5, true, false, null],\n"
			   "  \"caf\xc3\xa9\": {\"x\": \"a\\u0000b\"},\n"
			   "  \"empty\": {}, \"list\": []\n"
			   "}";
	ssm_json_doc *doc = parse_ok(text);
	ssm_json *root = ssm_json_doc_root(doc), *n, *v;
	const ssm_json_member *m;

	(void)state;
	assert_int_equal(SSM_JSON_OBJECT, ssm_json_typeof(root));
	assert_int_equal(5, ssm_json_size(root));
	assert_int_equal(1, ssm_json_line(root));
	assert_int_equal(1, ssm_json_column(root));
	/* members in document order, with the key's position */
	m = ssm_json_member_at(root, 0);
	assert_string_equal("name", m->key);
	assert_int_equal(2, m->line);
	assert_int_equal(3, m->column);
	assert_int_equal(11, ssm_json_column(m->value));
	assert_string_equal("AWS-RunShellScript", ssm_json_str(m->value));
	assert_string_equal("list", ssm_json_member_at(root, 4)->key);
	assert_null(ssm_json_member_at(root, 5));

	n = ssm_json_get(root, "n");
	assert_int_equal(5, ssm_json_size(n));
	assert_int_equal(3, ssm_json_line(ssm_json_at(n, 1)));
	assert_int_equal(12, ssm_json_column(ssm_json_at(n, 1)));
	assert_true(ssm_json_is_integer(ssm_json_at(n, 0)));
	assert_false(ssm_json_is_integer(ssm_json_at(n, 1)));
	assert_true(ssm_json_double(ssm_json_at(n, 1)) == -2.5);
	assert_true(ssm_json_bool(ssm_json_at(n, 2)));
	assert_int_equal(SSM_JSON_BOOL, ssm_json_typeof(ssm_json_at(n, 3)));
	assert_false(ssm_json_bool(ssm_json_at(n, 3)));
	assert_int_equal(SSM_JSON_NULL, ssm_json_typeof(ssm_json_at(n, 4)));
	assert_null(ssm_json_at(n, 5));
	assert_null(ssm_json_at(root, 0));

	/* columns count characters: "é" is one */
	v = ssm_json_get(ssm_json_get(root, "caf\xc3\xa9"), "x");
	assert_int_equal(4, ssm_json_line(v));
	assert_int_equal(17, ssm_json_column(v));
	assert_int_equal(3, ssm_json_str_len(v));
	assert_memory_equal("a\0b", ssm_json_str(v), 4);
	assert_non_null(
		ssm_json_getn(ssm_json_get(root, "caf\xc3\xa9"), "xyz", 1));
	assert_null(ssm_json_get(root, "nope"));
	assert_null(ssm_json_get(n, "name"));
	assert_int_equal(0, ssm_json_size(ssm_json_get(root, "empty")));
	assert_int_equal(SSM_JSON_ARRAY,
			 ssm_json_typeof(ssm_json_get(root, "list")));
	ssm_json_doc_free(doc);
	ssm_json_doc_free(NULL);
}

static void scalars_may_be_the_whole_document(void **state)
{
	static const char *const texts[] = { "42",   " \"s\" ", "true",
					     "null", "-0.5e-3", "\n[]\n" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(*texts); i++)
		ssm_json_doc_free(parse_ok(texts[i]));
}

static void numbers_at_the_edges(void **state)
{
	ssm_json_doc *doc = parse_ok("[9223372036854775807, "
				     "-9223372036854775808, "
				     "9223372036854775808, -0, 1.5e300, "
				     "1e-400, 18446744073709551615, 0.1, "
				     "1528932105.382, 12e2]");
	ssm_json *r = ssm_json_doc_root(doc);
	int64_t i;
	uint64_t u;
	double d;
	size_t len;

	(void)state;
	assert_true(ssm_json_is_integer(ssm_json_at(r, 0)));
	assert_int_equal(SSM_OK, ssm_json_get_int64(&i, ssm_json_at(r, 0),
						    INT64_MIN, INT64_MAX));
	assert_true(i == INT64_MAX);
	assert_int_equal(SSM_OK, ssm_json_get_int64(&i, ssm_json_at(r, 1),
						    INT64_MIN, INT64_MAX));
	assert_true(i == INT64_MIN);
	/* 2^63 does not fit: a double, still exact as text */
	assert_false(ssm_json_is_integer(ssm_json_at(r, 2)));
	assert_true(ssm_json_double(ssm_json_at(r, 2)) ==
		    9223372036854775808.0);
	assert_int_equal(SSM_EINVALID,
			 ssm_json_get_int64(&i, ssm_json_at(r, 2), INT64_MIN,
					    INT64_MAX));
	assert_string_equal("line 1, column 45: number '9223372036854775808' "
			    "is out of range "
			    "(-9223372036854775808..9223372036854775807)",
			    ssm_error_last()->message);
	assert_int_equal(SSM_OK, ssm_json_get_uint64(&u, ssm_json_at(r, 2)));
	assert_true(u == 9223372036854775808u);
	assert_int_equal(SSM_OK, ssm_json_get_uint64(&u, ssm_json_at(r, 6)));
	assert_true(u == UINT64_MAX);
	assert_int_equal(SSM_EINVALID,
			 ssm_json_get_uint64(&u, ssm_json_at(r, 1)));
	/* -0 is the integer 0 and the double -0.0 */
	assert_true(ssm_json_is_integer(ssm_json_at(r, 3)));
	assert_true(signbit(ssm_json_double(ssm_json_at(r, 3))));
	assert_string_equal("-0",
			    ssm_json_number_text(ssm_json_at(r, 3), &len));
	assert_int_equal(2, len);
	assert_true(ssm_json_double(ssm_json_at(r, 4)) == 1.5e300);
	/* underflow reads as zero */
	assert_true(ssm_json_double(ssm_json_at(r, 5)) == 0.0);
	assert_int_equal(SSM_OK, ssm_json_get_double(&d, ssm_json_at(r, 7)));
	assert_true(d == 0.1);
	/* 12e2 is a whole number but not integer text */
	assert_false(ssm_json_is_integer(ssm_json_at(r, 9)));
	assert_int_equal(SSM_EINVALID,
			 ssm_json_get_int64(&i, ssm_json_at(r, 9), 0, 10000));
	assert_string_equal("line 1, column 130: expected an integer, found "
			    "'12e2'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_json_get_int64(&i, ssm_json_at(r, 0), 0, 10));
	assert_int_equal(SSM_EINVALID,
			 ssm_json_get_double(&d, ssm_json_at(r, 10)));
	assert_string_equal("expected a number, found nothing",
			    ssm_error_last()->message);
	ssm_json_doc_free(doc);

	parse_fails("[1e400]", 7, NULL, SSM_EINVALID,
		    "line 1, column 2: number '1e400' is out of range");
	parse_fails("-1e999", 6, NULL, SSM_EINVALID,
		    "line 1, column 1: number '-1e999' is out of range");
}

static void epoch_milliseconds_are_exact(void **state)
{
	ssm_json_doc *doc = parse_ok("[1528932105.382, 1528932105, 1.5, "
				     "-1.25, 1528932105.3829, 1.5e3, 0.001]");
	ssm_json *r = ssm_json_doc_root(doc);
	static const int64_t want[] = {
		1528932105382, 1528932105000, 1500, -1250,
		1528932105382, 1500000,	      1
	};
	int64_t ms;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(*want); i++) {
		assert_int_equal(SSM_OK,
				 ssm_json_get_epoch_ms(&ms, ssm_json_at(r, i)));
		assert_true(ms == want[i]);
	}
	ssm_json_doc_free(doc);
}

static void duplicate_keys_are_refused_with_position(void **state)
{
	ssm_json_limits lim = { .flags = SSM_JSON_PARSE_ALLOW_DUPLICATES };
	ssm_json_doc *doc = NULL;
	ssm_str big = SSM_STR_INIT;
	int i;

	(void)state;
	parse_fails("{\"name\": 1,\n \"x\": {\"name\": 2},\n   \"name\": 3}",
		    44, NULL, SSM_EINVALID,
		    "line 3, column 4: duplicate key 'name'");
	/* keys that differ only after a NUL are different keys */
	doc = parse_ok("{\"a\\u0000b\": 1, \"a\\u0000c\": 2}");
	ssm_json_doc_free(doc);
	parse_fails("{\"a\\u0000b\": 1, \"a\\u0000b\": 2}", 30, NULL,
		    SSM_EINVALID, "line 1, column 17: duplicate key 'a?b'");

	/* last wins, in the place of the first */
	assert_int_equal(
		SSM_OK,
		ssm_json_parse(&doc, "{\"a\":1,\"b\":2,\"a\":3}", 19, &lim));
	assert_int_equal(2, ssm_json_size(doc->root));
	assert_string_equal("a", ssm_json_member_at(doc->root, 0)->key);
	assert_string_equal(
		"3", ssm_json_number_text(ssm_json_get(doc->root, "a"), NULL));
	ssm_json_doc_free(doc);

	/* big objects use a hash table: same answers */
	ssm_str_puts(&big, "{");
	for (i = 0; i < 1000; i++)
		ssm_str_printf(&big, "\"k%d\": %d, ", i, i);
	ssm_str_puts(&big, "\"k500\": 0}");
	parse_fails(big.ptr, big.size, NULL, SSM_EINVALID,
		    "line 1, column 12782: duplicate key 'k500'");
	assert_int_equal(SSM_OK, ssm_json_parse(&doc, big.ptr, big.size, &lim));
	assert_int_equal(1000, ssm_json_size(doc->root));
	assert_string_equal(
		"0",
		ssm_json_number_text(ssm_json_get(doc->root, "k500"), NULL));
	ssm_json_doc_free(doc);
	ssm_str_dispose(&big);
}

static void malformed_input_names_line_column_and_problem(void **state)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "", "line 1, column 1: document is empty" },
		{ " \n\t", "line 2, column 2: document is empty" },
		{ "{\"a\":1}}",
		  "line 1, column 8: unexpected '}' after the document" },
		{ "1 2",
		  "line 1, column 3: unexpected '2' after the document" },
		{ "{} []", "line 1, column 4: unexpected '[' after the "
			   "document" },
		{ "[1]\n  x", "line 2, column 3: unexpected 'x' after the "
			      "document" },
		{ "{\"a\" 1}",
		  "line 1, column 6: unexpected '1', expected ':'" },
		{ "{\"a\":1,}",
		  "line 1, column 8: unexpected '}', expected a string key" },
		{ "{1:2}", "line 1, column 2: unexpected '1', expected a "
			   "string key" },
		{ "{\"a\":1 \"b\":2}", "line 1, column 8: unexpected '\"b\"', "
				       "expected ',' or '}'" },
		{ "[1 true]", "line 1, column 4: unexpected 'true', expected "
			      "',' or ']'" },
		{ "[01]", "line 1, column 2: invalid number '01': leading "
			  "zeros are not allowed" },
		{ "{\n  \"a\": [1,\n   2,, 3]}",
		  "line 3, column 6: unexpected ','" },
		{ "]", "line 1, column 1: unexpected ']'" },
		{ "{\"a\":}", "line 1, column 6: unexpected '}'" },
		{ "[1,2", "line 1, column 5: unexpected end of input" },
		{ "{\"a\":\n", "line 2, column 1: unexpected end of input" },
		{ "\"abc", "line 1, column 5: unexpected end of input" },
		{ "[1,@]", "line 1, column 4: unexpected character '@'" },
		{ "[truex]", "line 1, column 6: unexpected character 'x'" },
		{ "tru", "line 1, column 1: invalid literal 'tru'" },
		{ "[nul]", "line 1, column 2: invalid literal 'nul'" },
		{ "[1.]", "line 1, column 2: invalid number '1.': a digit is "
			  "required after the decimal point" },
		{ "1.", "line 1, column 1: invalid number '1.': a digit is "
			"required after the decimal point" },
		{ "[-]", "line 1, column 2: invalid number '-': a digit is "
			 "required after the minus sign" },
		{ "[1e]", "line 1, column 2: invalid number '1e': a digit is "
			  "required after the exponent" },
		{ "/*c*/1", "line 1, column 1: comments are not allowed" },
		{ "[1, // c\n 2]", "line 1, column 5: comments are not "
				   "allowed" },
		{ "\"a\\qb\"", "line 1, column 3: invalid escape '\\q' in "
			       "string" },
		{ "[\"a\\u12x4\"]",
		  "line 1, column 8: invalid \\u escape in string" },
		{ "\"\x01\"", "line 1, column 2: control character U+0001 in "
			      "string" },
		{ "\"a\tb\"", "line 1, column 3: control character U+0009 in "
			      "string" },
		{ "'a'", "line 1, column 1: unexpected character '''" },
		{ "[1,]", "line 1, column 4: unexpected ']'" },
		{ "NaN", "line 1, column 1: unexpected character 'N'" },
		{ "\xef\xbb\xbf", "line 1, column 1: document is empty" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		parse_fails(cases[i].text, strlen(cases[i].text), NULL,
			    SSM_EINVALID, cases[i].message);
	/* a NUL byte in the text is just a bad character */
	parse_fails("[1,\0]", 5, NULL, SSM_EINVALID,
		    "line 1, column 4: unexpected character '?'");
}

static void byte_order_mark_is_skipped(void **state)
{
	ssm_json_doc *doc = parse_ok("\xef\xbb\xbf{\"a\": 1}");

	(void)state;
	assert_int_equal(1, ssm_json_column(doc->root));
	ssm_json_doc_free(doc);
	parse_fails("\xef\xbb\xbf{\"a\" 1}", 11, NULL, SSM_EINVALID,
		    "line 1, column 6: unexpected '1', expected ':'");
}

static void invalid_utf8_is_refused(void **state)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "\"\xff\"", "line 1, column 2: invalid UTF-8 in string" },
		{ "\"ab\x80\"", "line 1, column 4: invalid UTF-8 in string" },
		/* overlong forms of '/' and NUL */
		{ "\"\xc0\xaf\"", "line 1, column 2: invalid UTF-8 in string" },
		{ "\"\xc1\xbf\"", "line 1, column 2: invalid UTF-8 in string" },
		{ "\"\xe0\x80\xaf\"", "line 1, column 2: invalid UTF-8 in "
				      "string" },
		{ "\"\xf0\x80\x80\xaf\"", "line 1, column 2: invalid UTF-8 in "
					  "string" },
		/* UTF-16 surrogates encoded directly */
		{ "\"\xed\xa0\x80\"", "line 1, column 2: invalid UTF-8 in "
				      "string" },
		{ "\"\xed\xbf\xbf\"", "line 1, column 2: invalid UTF-8 in "
				      "string" },
		/* past U+10FFFF, and lead bytes that never occur */
		{ "\"\xf4\x90\x80\x80\"", "line 1, column 2: invalid UTF-8 in "
					  "string" },
		{ "\"\xf5\x80\x80\x80\"", "line 1, column 2: invalid UTF-8 in "
					  "string" },
		/* truncated sequences */
		{ "\"\xe2\x82\"", "line 1, column 2: invalid UTF-8 in string" },
		{ "\"x\xf0\x9f\x98\"", "line 1, column 3: invalid UTF-8 in "
				       "string" },
		/* in a key, after escapes, on a later line */
		{ "{\n \"\\n\xfe\": 1}", "line 2, column 5: invalid UTF-8 in "
					 "string" },
		/* escaped surrogates must pair up */
		{ "\"\\ud800\"", "line 1, column 2: unpaired surrogate "
				 "'\\ud800' in string" },
		{ "\"\\udc00\"", "line 1, column 2: unpaired surrogate "
				 "'\\udc00' in string" },
		{ "\"x\\ud800\\u0041\"", "line 1, column 3: unpaired "
					 "surrogate '\\ud800' in string" },
		{ "\"\\ud800\\ud800\"", "line 1, column 2: unpaired surrogate "
					"'\\ud800' in string" },
		{ "\"\\uDFFF\\uD800\"", "line 1, column 2: unpaired surrogate "
					"'\\udfff' in string" },
	};
	ssm_json_doc *doc;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		parse_fails(cases[i].text, strlen(cases[i].text), NULL,
			    SSM_EINVALID, cases[i].message);
	/* every valid form is kept as is */
	doc = parse_ok("[\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf"
		       "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\", "
		       "\"\\ud83d\\ude00\\u00e9\\uFFFF\"]");
	assert_string_equal("\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf"
			    "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",
			    ssm_json_str(ssm_json_at(doc->root, 0)));
	assert_string_equal("\xf0\x9f\x98\x80\xc3\xa9\xef\xbf\xbf",
			    ssm_json_str(ssm_json_at(doc->root, 1)));
	ssm_json_doc_free(doc);
}

static void limits_are_enforced(void **state)
{
	ssm_json_limits lim = { 0 };
	ssm_json_doc *doc = NULL;
	char deep[200];
	size_t i;

	(void)state;
	/* depth: 64 levels by default */
	for (i = 0; i < 64; i++) {
		deep[i] = '[';
		deep[64 + i] = ']';
	}
	doc = NULL;
	assert_int_equal(SSM_OK, ssm_json_parse(&doc, deep, 128, NULL));
	ssm_json_doc_free(doc);
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	parse_fails(deep, 130, NULL, SSM_ELIMIT,
		    "line 1, column 65: nesting deeper than 64 levels");
	lim.max_depth = 2;
	parse_fails("{\"a\":[{\"b\":1}]}", 15, &lim, SSM_ELIMIT,
		    "line 1, column 7: nesting deeper than 2 levels");

	/* input size */
	lim.max_depth = 0;
	lim.max_input = 10;
	parse_fails("[1,2,3,4,5]", 11, &lim, SSM_ELIMIT,
		    "input of 11 bytes exceeds the limit of 10");

	/* strings and keys */
	lim.max_input = 0;
	lim.max_string = 3;
	assert_int_equal(SSM_OK, ssm_json_parse(&doc, "{\"abc\":\"x\\n\\t\"}",
						15, &lim));
	ssm_json_doc_free(doc);
	parse_fails("[\"abc\", \"abcd\"]", 15, &lim, SSM_ELIMIT,
		    "line 1, column 9: string of 4 bytes exceeds the limit "
		    "of 3");
	parse_fails("{\"abcd\":1}", 10, &lim, SSM_ELIMIT,
		    "line 1, column 2: string of 4 bytes exceeds the limit "
		    "of 3");

	/* values */
	lim.max_string = 0;
	lim.max_nodes = 4;
	assert_int_equal(SSM_OK,
			 ssm_json_parse(&doc, "[1,{\"a\":2}]", 11, &lim));
	ssm_json_doc_free(doc);
	parse_fails("[1,2,[3]]", 9, &lim, SSM_ELIMIT,
		    "line 1, column 7: document has more than 4 values");
}

static void nesting_bomb_fails_fast(void **state)
{
	size_t n = 100000;
	char *bomb = malloc(2 * n);
	uint64_t before;

	(void)state;
	assert_non_null(bomb);
	memset(bomb, '[', n);
	memset(bomb + n, ']', n);
	before = ssm__alloc_count();
	parse_fails(bomb, 2 * n, NULL, SSM_ELIMIT,
		    "line 1, column 65: nesting deeper than 64 levels");
	assert_true(ssm__alloc_count() - before < 20);
	memset(bomb, '{', n);
	parse_fails(bomb, n, NULL, SSM_EINVALID,
		    "line 1, column 2: unexpected '{', expected a string key");
	for (size_t i = 0; i < n; i += 5)
		memcpy(bomb + i, "{\"a\":", 5);
	parse_fails(bomb, n, NULL, SSM_ELIMIT,
		    "line 1, column 321: nesting deeper than 64 levels");
	free(bomb);
}

static void huge_string_is_refused_without_allocating_it(void **state)
{
	size_t n = (size_t)100 << 20;
	ssm_json_limits lim = { .max_input = (size_t)200 << 20,
				.max_string = (size_t)1 << 20 };
	char *text = malloc(n);
	uint64_t before;
	char msg[200];

	(void)state;
	assert_non_null(text);
	memset(text, 'a', n);
	text[0] = '"';
	text[n - 1] = '"';
	/* the size limit refuses it before anything is allocated */
	before = ssm__alloc_count();
	parse_fails(text, n, NULL, SSM_ELIMIT,
		    "input of 104857600 bytes exceeds the limit of 16777216");
	assert_true(ssm__alloc_count() == before);
	/* with a bigger input limit, the string limit refuses it; the
	 * string is never copied */
	before = ssm__alloc_count();
	snprintf(msg, sizeof(msg),
		 "line 1, column 1: string of %zu bytes exceeds the limit of "
		 "1048576",
		 n - 2);
	parse_fails(text, n, &lim, SSM_ELIMIT, msg);
	assert_true(ssm__alloc_count() - before < 20);
	free(text);
}

/* ---------------------------------------------------------------------- */
/* Generators                                                             */

static void writer_compact_and_pretty(void **state)
{
	const char *text = "{\"a\":[1,-2.5e3,true,false,null,\"x\"],"
			   "\"b\":{},\"c\":[],\"d\":{\"e\":{\"f\":[[]]}}}";
	ssm_json_doc *doc = parse_ok(text);
	char *out;

	(void)state;
	out = write_tree(doc->root, 0);
	assert_string_equal(text, out);
	ssm__free(out);
	out = write_tree(doc->root, SSM_JSON_WRITE_PRETTY);
	assert_string_equal("{\n"
			    "  \"a\": [\n"
			    "    1,\n"
			    "    -2.5e3,\n"
			    "    true,\n"
			    "    false,\n"
			    "    null,\n"
			    "    \"x\"\n"
			    "  ],\n"
			    "  \"b\": {},\n"
			    "  \"c\": [],\n"
			    "  \"d\": {\n"
			    "    \"e\": {\n"
			    "      \"f\": [\n"
			    "        []\n"
			    "      ]\n"
			    "    }\n"
			    "  }\n"
			    "}",
			    out);
	assert_yajl_reads_same(out, doc->root);
	ssm__free(out);
	ssm_json_doc_free(doc);
}

static void writer_escapes_quotes_backslashes_and_controls(void **state)
{
	ssm_json_doc *doc = NULL;
	ssm_json *s;
	char raw[40], *out;
	ssm_json_doc *back;

	(void)state;
	memcpy(raw, "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f\0z\xc3\xa9", 18);
	assert_int_equal(SSM_OK, ssm_json_doc_new(&doc));
	assert_int_equal(SSM_OK, ssm_json_new_string(&s, doc, raw, 18));
	out = write_tree(s, 0);
	assert_string_equal("\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f"
			    "\\u0000z\xc3\xa9\"",
			    out);
	assert_int_equal(SSM_OK, ssm_json_parse(&back, out, strlen(out), NULL));
	assert_true(ssm_json_equal(s, back->root));
	ssm_json_doc_free(back);
	ssm__free(out);
	ssm_json_doc_free(doc);
}

static void writer_handles_invalid_utf8_as_asked(void **state)
{
	ssm_json_doc *doc = NULL;
	ssm_json *s;
	ssm_str out = SSM_STR_INIT;
	char *text;

	(void)state;
	assert_int_equal(SSM_OK, ssm_json_doc_new(&doc));
	assert_int_equal(SSM_OK, ssm_json_new_string(
					 &s, doc, "a\xff\xc3\xa9\xe2\x82z", 7));
	/* passed through by default */
	text = write_tree(s, 0);
	assert_string_equal("\"a\xff\xc3\xa9\xe2\x82z\"", text);
	ssm__free(text);
	assert_int_equal(SSM_EINVALID,
			 ssm_json_write(&out, s, SSM_JSON_WRITE_VALIDATE));
	assert_string_equal("invalid UTF-8 at byte 1 of a string",
			    ssm_error_last()->message);
	assert_int_equal(0, out.size);
	text = write_tree(s, SSM_JSON_WRITE_REPLACE);
	assert_string_equal("\"a\xef\xbf\xbd\xc3\xa9\xef\xbf\xbdz\"", text);
	ssm__free(text);
	ssm_str_dispose(&out);
	ssm_json_doc_free(doc);
}

static void writer_round_trips_through_both_parsers(void **state)
{
	const char *text =
		"{\"schemaVersion\":\"2.2\",\"description\":\"Run \\\"it\\\"\","
		"\"parameters\":{\"commands\":{\"type\":\"StringList\","
		"\"default\":[\"echo \\u00e9\\ud83d\\ude00\",\"a\\u0001b\"]},"
		"\"n\":{\"type\":\"Integer\",\"default\":-9223372036854775808},"
		"\"f\":1.7976931348623157e308,\"g\":5e-324,\"z\":-0.0}}";
	ssm_json_doc *doc = parse_ok(text), *back;
	unsigned int flags[] = { 0, SSM_JSON_WRITE_PRETTY };
	char *out;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		out = write_tree(doc->root, flags[i]);
		assert_yajl_reads_same(out, doc->root);
		assert_int_equal(SSM_OK,
				 ssm_json_parse(&back, out, strlen(out), NULL));
		assert_true(ssm_json_equal(doc->root, back->root));
		ssm_json_doc_free(back);
		ssm__free(out);
	}
	ssm_json_doc_free(doc);
}

static void writer_stops_at_the_output_limit(void **state)
{
	ssm_json_doc *doc = parse_ok("[\"0123456789\", \"0123456789\"]");
	ssm_str out = SSM_STR_INIT;

	(void)state;
	ssm_str_init_max(&out, 20);
	ssm_str_puts(&out, "keep");
	assert_int_equal(SSM_ELIMIT, ssm_json_write(&out, doc->root, 0));
	assert_string_equal("text exceeds the limit of 20 bytes",
			    ssm_error_last()->message);
	/* nothing half-written is left behind */
	assert_string_equal("keep", ssm_str_cstr(&out));
	ssm_str_dispose(&out);
	ssm_json_doc_free(doc);
}

static void streaming_writer_tracks_commas_and_nesting(void **state)
{
	ssm_str out = SSM_STR_INIT;
	ssm_jsonw w;
	ssm_json_doc *doc, *back;
	char err[200];
	yajl_val y;

	(void)state;
	ssm_jsonw_init(&w, &out, 0);
	ssm_jsonw_object_begin(&w);
	ssm_jsonw_keyz(&w, "Parameter");
	ssm_jsonw_object_begin(&w);
	ssm_jsonw_keyz(&w, "Name");
	ssm_jsonw_stringz(&w, "/app/db\"host");
	ssm_jsonw_keyz(&w, "Version");
	ssm_jsonw_int64(&w, INT64_MIN);
	ssm_jsonw_keyz(&w, "Big");
	ssm_jsonw_uint64(&w, UINT64_MAX);
	ssm_jsonw_keyz(&w, "LastModifiedDate");
	ssm_jsonw_double(&w, 1528932105.382);
	ssm_jsonw_keyz(&w, "CreatedDate");
	ssm_jsonw_epoch_ms(&w, 1528932105380);
	ssm_jsonw_key(&w, "Selector\0x", 10);
	ssm_jsonw_null(&w);
	ssm_jsonw_keyz(&w, "Labels");
	ssm_jsonw_array_begin(&w);
	ssm_jsonw_bool(&w, true);
	ssm_jsonw_raw(&w, "{\"r\":1}", 7);
	ssm_jsonw_array_begin(&w);
	ssm_jsonw_array_end(&w);
	ssm_jsonw_string(&w, "s", 1);
	ssm_jsonw_array_end(&w);
	ssm_jsonw_object_end(&w);
	ssm_jsonw_object_end(&w);
	assert_int_equal(SSM_OK, ssm_jsonw_finish(&w));
	assert_string_equal(
		"{\"Parameter\":{\"Name\":\"/app/db\\\"host\","
		"\"Version\":-9223372036854775808,"
		"\"Big\":18446744073709551615,"
		"\"LastModifiedDate\":1528932105.382,"
		"\"CreatedDate\":1528932105.38,\"Selector\\u0000x\":null,"
		"\"Labels\":[true,{\"r\":1},[],\"s\"]}}",
		out.ptr);
	y = yajl_tree_parse(out.ptr, err, sizeof(err));
	assert_non_null(y);
	yajl_tree_free(y);

	/* pretty output reads back the same */
	doc = parse_ok(out.ptr);
	ssm_str_clear(&out);
	ssm_jsonw_init(&w, &out, SSM_JSON_WRITE_PRETTY);
	assert_int_equal(SSM_OK, ssm_jsonw_value(&w, doc->root));
	assert_int_equal(SSM_OK, ssm_jsonw_finish(&w));
	assert_int_equal(SSM_OK,
			 ssm_json_parse(&back, out.ptr, out.size, NULL));
	assert_true(ssm_json_equal(doc->root, back->root));
	assert_yajl_reads_same(out.ptr, doc->root);
	ssm_json_doc_free(back);
	ssm_json_doc_free(doc);
	ssm_str_dispose(&out);
}

static const char *wrote(ssm_str *out, void (*fn)(ssm_jsonw *))
{
	ssm_jsonw w;

	ssm_str_clear(out);
	ssm_jsonw_init(&w, out, 0);
	fn(&w);
	assert_int_equal(SSM_OK, ssm_jsonw_finish(&w));
	return ssm_str_cstr(out);
}

static void w_doubles(ssm_jsonw *w)
{
	static const double d[] = { 0.1,     1528932105.382,
				    1e300,   5e-324,
				    -0.0,    1.0 / 3,
				    100,     2.5,
				    1e21,    123456789012345678.0,
				    0.3e-10, 9007199254740993.0 };

	ssm_jsonw_array_begin(w);
	for (size_t i = 0; i < sizeof(d) / sizeof(*d); i++)
		ssm_jsonw_double(w, d[i]);
	ssm_jsonw_array_end(w);
}

static void w_epochs(ssm_jsonw *w)
{
	static const int64_t ms[] = { 1528932105382,
				      1528932105000,
				      1528932105500,
				      1528932105050,
				      0,
				      -1500,
				      999 };

	ssm_jsonw_array_begin(w);
	for (size_t i = 0; i < sizeof(ms) / sizeof(*ms); i++)
		ssm_jsonw_epoch_ms(w, ms[i]);
	ssm_jsonw_array_end(w);
}

static void streaming_writer_prints_numbers_exactly(void **state)
{
	ssm_str out = SSM_STR_INIT;
	ssm_json_doc *doc;
	size_t i;

	(void)state;
	assert_string_equal("[0.1,1528932105.382,1e+300,5e-324,"
			    "-0,0.3333333333333333,100,2.5,1e+21,"
			    "1.2345678901234568e+17,3e-11,9007199254740992]",
			    wrote(&out, w_doubles));
	/* each reads back as the same double */
	doc = parse_ok(out.ptr);
	for (i = 0; i < ssm_json_size(doc->root); i++) {
		char buf[32];
		double d = ssm_json_double(ssm_json_at(doc->root, i));

		ssm_json__format_double(buf, d);
		assert_true(strtod(buf, NULL) == d);
	}
	ssm_json_doc_free(doc);
	assert_string_equal("[1528932105.382,1528932105,1528932105.5,"
			    "1528932105.05,0,-1.5,0.999]",
			    wrote(&out, w_epochs));
	ssm_str_dispose(&out);
}

static void streaming_writer_refuses_misuse(void **state)
{
	ssm_str out = SSM_STR_INIT;
	ssm_jsonw w;

	(void)state;
	ssm_jsonw_init(&w, &out, 0);
	assert_int_equal(SSM_EINVALID, ssm_jsonw_keyz(&w, "a"));
	assert_string_equal("json writer: a key outside an object",
			    ssm_error_last()->message);
	/* the first error sticks */
	assert_int_equal(SSM_EINVALID, ssm_jsonw_null(&w));
	assert_int_equal(SSM_EINVALID, ssm_jsonw_finish(&w));
	assert_string_equal("json writer: a key outside an object",
			    ssm_error_last()->message);

	ssm_jsonw_init(&w, &out, 0);
	ssm_jsonw_object_begin(&w);
	assert_int_equal(SSM_EINVALID, ssm_jsonw_int64(&w, 1));
	assert_string_equal("json writer: a value in an object needs a key",
			    ssm_error_last()->message);

	ssm_jsonw_init(&w, &out, 0);
	ssm_jsonw_object_begin(&w);
	ssm_jsonw_keyz(&w, "k");
	assert_int_equal(SSM_EINVALID, ssm_jsonw_keyz(&w, "k2"));
	assert_string_equal("json writer: a key has no value",
			    ssm_error_last()->message);

	ssm_jsonw_init(&w, &out, 0);
	ssm_jsonw_object_begin(&w);
	assert_int_equal(SSM_EINVALID, ssm_jsonw_array_end(&w));
	assert_string_equal("json writer: no array to end",
			    ssm_error_last()->message);

	ssm_jsonw_init(&w, &out, 0);
	ssm_jsonw_array_begin(&w);
	assert_int_equal(SSM_EINVALID, ssm_jsonw_finish(&w));
	assert_string_equal("json writer: unclosed array or object",
			    ssm_error_last()->message);

	ssm_jsonw_init(&w, &out, 0);
	assert_int_equal(SSM_EINVALID, ssm_jsonw_finish(&w));
	assert_string_equal("json writer: nothing was written",
			    ssm_error_last()->message);

	ssm_jsonw_init(&w, &out, 0);
	ssm_jsonw_int64(&w, 1);
	assert_int_equal(SSM_EINVALID, ssm_jsonw_int64(&w, 2));
	assert_string_equal("json writer: more than one top-level value",
			    ssm_error_last()->message);

	ssm_jsonw_init(&w, &out, 0);
	assert_int_equal(SSM_EINVALID, ssm_jsonw_double(&w, NAN));
	assert_string_equal("number nan cannot be written as JSON",
			    ssm_error_last()->message);
	ssm_jsonw_init(&w, &out, 0);
	assert_int_equal(SSM_EINVALID, ssm_jsonw_double(&w, -INFINITY));
	assert_string_equal("number inf cannot be written as JSON",
			    ssm_error_last()->message);
	ssm_jsonw_init(&w, &out, 0);
	assert_int_equal(SSM_EINVALID, ssm_jsonw_string(&w, NULL, 3));

	/* deeper than the writer's limit */
	ssm_jsonw_init(&w, &out, 0);
	for (int i = 0; i < SSM_JSON_WRITE_MAX_DEPTH; i++)
		assert_int_equal(SSM_OK, ssm_jsonw_array_begin(&w));
	assert_int_equal(SSM_ELIMIT, ssm_jsonw_array_begin(&w));
	assert_string_equal("nesting deeper than 1024 levels",
			    ssm_error_last()->message);
	ssm_str_dispose(&out);
}

/* ---------------------------------------------------------------------- */
/* Builders, getters, copies                                              */

static void builders_make_and_change_trees(void **state)
{
	ssm_json_doc *doc = NULL, *other = NULL;
	ssm_json *obj, *arr, *v, *copy;
	char *out;

	(void)state;
	assert_int_equal(SSM_OK, ssm_json_doc_new(&doc));
	assert_null(ssm_json_doc_root(doc));
	assert_int_equal(SSM_OK, ssm_json_new_object(&obj, doc));
	ssm_json_doc_set_root(doc, obj);
	assert_ptr_equal(obj, ssm_json_doc_root(doc));
	assert_int_equal(SSM_OK,
			 ssm_json_object_set_string(doc, obj, "Name", "/a"));
	assert_int_equal(SSM_OK,
			 ssm_json_object_set_int64(doc, obj, "Version", 3));
	assert_int_equal(SSM_OK,
			 ssm_json_object_set_bool(doc, obj, "Overwrite", true));
	assert_int_equal(SSM_OK, ssm_json_new_array(&arr, doc));
	for (int i = 0; i < 10; i++) {
		assert_int_equal(SSM_OK, ssm_json_new_double(&v, doc, i + 0.5));
		assert_int_equal(SSM_OK, ssm_json_array_append(doc, arr, v));
	}
	assert_int_equal(SSM_OK, ssm_json_new_null(&v, doc));
	assert_int_equal(SSM_OK, ssm_json_array_append(doc, arr, v));
	assert_int_equal(SSM_OK, ssm_json_new_uint64(&v, doc, UINT64_MAX));
	assert_int_equal(SSM_OK, ssm_json_array_append(doc, arr, v));
	assert_int_equal(SSM_OK, ssm_json_object_set(doc, obj, "List", 4, arr));
	/* replacing keeps the place */
	assert_int_equal(SSM_OK,
			 ssm_json_object_set_int64(doc, obj, "Version", 4));
	out = write_tree(obj, 0);
	assert_string_equal("{\"Name\":\"/a\",\"Version\":4,\"Overwrite\":true,"
			    "\"List\":[0.5,1.5,2.5,3.5,4.5,5.5,6.5,7.5,8.5,"
			    "9.5,null,18446744073709551615]}",
			    out);
	ssm__free(out);
	assert_int_equal(SSM_OK, ssm_json_object_remove(obj, "Overwrite", 9));
	assert_int_equal(SSM_ENOTFOUND,
			 ssm_json_object_remove(obj, "Overwrite", 9));
	assert_string_equal("no member 'Overwrite'", ssm_error_last()->message);
	assert_int_equal(3, ssm_json_size(obj));

	/* a deep copy lives on when the source is freed */
	assert_int_equal(SSM_OK, ssm_json_doc_new(&other));
	assert_int_equal(SSM_OK, ssm_json_copy(&copy, other, obj));
	assert_true(ssm_json_equal(obj, copy));
	ssm_json_doc_free(doc);
	out = write_tree(copy, 0);
	assert_string_equal("{\"Name\":\"/a\",\"Version\":4,"
			    "\"List\":[0.5,1.5,2.5,3.5,4.5,5.5,6.5,7.5,8.5,"
			    "9.5,null,18446744073709551615]}",
			    out);
	ssm__free(out);

	/* wrong types and bad arguments */
	assert_int_equal(SSM_EINVALID,
			 ssm_json_array_append(other, copy, copy));
	assert_string_equal("expected an array, found an object",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_json_new_double(&v, other, NAN));
	assert_null(v);
	assert_int_equal(SSM_EINVALID, ssm_json_new_string(&v, NULL, "x", 1));
	assert_string_equal("invalid argument: 'doc'",
			    ssm_error_last()->message);
	ssm_json_doc_free(other);
}

static void typed_getters_name_what_they_found(void **state)
{
	ssm_json_doc *doc =
		parse_ok("{\"s\": \"x\", \"b\": true, \"n\": 1.5, \"a\": []}");
	const char *s;
	size_t len;
	bool b;
	int64_t i;
	double d;

	(void)state;
	assert_int_equal(
		SSM_OK,
		ssm_json_get_string(&s, &len, ssm_json_get(doc->root, "s")));
	assert_string_equal("x", s);
	assert_int_equal(1, len);
	assert_int_equal(
		SSM_EINVALID,
		ssm_json_get_string(&s, &len, ssm_json_get(doc->root, "b")));
	assert_null(s);
	assert_string_equal("line 1, column 17: expected a string, found a "
			    "boolean",
			    ssm_error_last()->message);
	assert_int_equal(SSM_OK,
			 ssm_json_get_bool(&b, ssm_json_get(doc->root, "b")));
	assert_true(b);
	assert_int_equal(SSM_EINVALID,
			 ssm_json_get_bool(&b, ssm_json_get(doc->root, "a")));
	assert_string_equal("line 1, column 38: expected a boolean, found an "
			    "array",
			    ssm_error_last()->message);
	assert_int_equal(
		SSM_EINVALID,
		ssm_json_get_int64(&i, ssm_json_get(doc->root, "n"), 0, 9));
	assert_string_equal("line 1, column 28: expected an integer, found "
			    "'1.5'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_json_get_double(&d, ssm_json_get(doc->root, "s")));
	assert_string_equal("line 1, column 7: expected a number, found a "
			    "string",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_json_get_double(NULL, doc->root));
	assert_string_equal("invalid argument: 'out'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_JSON_NULL, ssm_json_typeof(NULL));
	assert_string_equal("object", ssm_json_type_name(SSM_JSON_OBJECT));
	assert_null(ssm_json_str(doc->root));
	assert_null(ssm_json_number_text(doc->root, &len));
	assert_int_equal(0, len);
	ssm_json_doc_free(doc);
}

static void equality_compares_values_not_spelling(void **state)
{
	ssm_json_doc *a = parse_ok("{\"x\":[1, 2.50, 1e2, \"s\"], \"y\":null}");
	ssm_json_doc *b = parse_ok("{\"x\":[1, 2.5, 100, \"s\"], \"y\":null}");
	ssm_json_doc *c = parse_ok("{\"y\":null, \"x\":[1, 2.5, 100, \"s\"]}");
	ssm_json_doc *d = parse_ok("{\"x\":[1, 2.5, 100, \"t\"], \"y\":null}");

	(void)state;
	assert_true(ssm_json_equal(a->root, b->root));
	/* member order matters: documents keep it */
	assert_false(ssm_json_equal(a->root, c->root));
	assert_false(ssm_json_equal(b->root, d->root));
	assert_false(ssm_json_equal(a->root, NULL));
	assert_true(ssm_json_equal(NULL, NULL));
	ssm_json_doc_free(a);
	ssm_json_doc_free(b);
	ssm_json_doc_free(c);
	ssm_json_doc_free(d);
}

static void null_arguments_are_refused(void **state)
{
	ssm_json_doc *doc = NULL;
	ssm_str out = SSM_STR_INIT;

	(void)state;
	assert_int_equal(SSM_EINVALID, ssm_json_parse(NULL, "1", 1, NULL));
	assert_string_equal("invalid argument: 'out'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_json_parse(&doc, NULL, 1, NULL));
	assert_string_equal("invalid argument: 'text || !len'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_json_parse(&doc, NULL, 0, NULL));
	assert_string_equal("line 1, column 1: document is empty",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_json_write(&out, NULL, 0));
	assert_int_equal(SSM_EINVALID, ssm_json_doc_new(NULL));
}

/* ---------------------------------------------------------------------- */
/* Out of memory                                                          */

static const char *const oom_text =
	"{\"schemaVersion\": \"2.2\", \"description\": \"esc\\u00e9\\n\","
	" \"parameters\": {\"a\": {\"type\": \"String\", \"default\": "
	"\"x\\\"y\"}},"
	" \"mainSteps\": [{\"action\": \"aws:runShellScript\", \"name\": "
	"\"s\", \"inputs\": {\"runCommand\": [\"echo 1\", \"echo 2\", 3, "
	"4.5, true, null, [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]"
	"]]]]]]]]]]]]]]]]]]]]]], {}]}}],"
	" \"k00\":0,\"k01\":0,\"k02\":0,\"k03\":0,\"k04\":0,\"k05\":0,"
	"\"k06\":0,\"k07\":0,\"k08\":0,\"k09\":0,\"k10\":0,\"k11\":0,"
	"\"k12\":0,\"k13\":0,\"k14\":0,\"k15\":0,\"k16\":0,\"k17\":0}";

static void parse_out_of_memory_leaks_nothing(void **state)
{
	ssm_json_doc *doc = NULL;
	uint64_t n;
	ssm_err error;

	(void)state;
	for (n = 1;; n++) {
		ssm__alloc_fail_at(n, false);
		error = ssm_json_parse(&doc, oom_text, strlen(oom_text), NULL);
		ssm__alloc_fail_at(0, false);
		if (error == SSM_OK)
			break;
		assert_int_equal(SSM_ERROR, error);
		assert_string_equal("out of memory", ssm_error_last()->message);
		assert_null(doc);
	}
	assert_true(n > 5);
	ssm_json_doc_free(doc);
}

static void write_out_of_memory_leaks_nothing(void **state)
{
	ssm_json_doc *doc = parse_ok(oom_text);
	ssm_str out = SSM_STR_INIT;
	uint64_t n;
	ssm_err error;

	(void)state;
	for (n = 1;; n++) {
		ssm_str_dispose(&out);
		ssm__alloc_fail_at(n, false);
		error = ssm_json_write(&out, doc->root, SSM_JSON_WRITE_PRETTY);
		ssm__alloc_fail_at(0, false);
		if (error == SSM_OK)
			break;
		assert_int_equal(SSM_ERROR, error);
		assert_string_equal("out of memory", ssm_error_last()->message);
	}
	assert_true(n > 1);
	ssm_str_dispose(&out);
	ssm_json_doc_free(doc);
}

static void builders_out_of_memory_leak_nothing(void **state)
{
	ssm_json_doc *doc = parse_ok(oom_text), *copy = NULL;
	ssm_json *c;
	uint64_t n;
	ssm_err error;

	(void)state;
	for (n = 1;; n++) {
		ssm__alloc_fail_at(n, false);
		error = ssm_json_doc_new(&copy);
		if (error == SSM_OK)
			error = ssm_json_copy(&c, copy, doc->root);
		ssm__alloc_fail_at(0, false);
		if (error == SSM_OK)
			break;
		assert_int_equal(SSM_ERROR, error);
		assert_string_equal("out of memory", ssm_error_last()->message);
		ssm_json_doc_free(copy);
		copy = NULL;
	}
	assert_true(ssm_json_equal(doc->root, c));
	ssm_json_doc_free(copy);
	ssm_json_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_builds_tree_with_positions),
		cmocka_unit_test(scalars_may_be_the_whole_document),
		cmocka_unit_test(numbers_at_the_edges),
		cmocka_unit_test(epoch_milliseconds_are_exact),
		cmocka_unit_test(duplicate_keys_are_refused_with_position),
		cmocka_unit_test(malformed_input_names_line_column_and_problem),
		cmocka_unit_test(byte_order_mark_is_skipped),
		cmocka_unit_test(invalid_utf8_is_refused),
		cmocka_unit_test(limits_are_enforced),
		cmocka_unit_test(nesting_bomb_fails_fast),
		cmocka_unit_test(huge_string_is_refused_without_allocating_it),
		cmocka_unit_test(writer_compact_and_pretty),
		cmocka_unit_test(
			writer_escapes_quotes_backslashes_and_controls),
		cmocka_unit_test(writer_handles_invalid_utf8_as_asked),
		cmocka_unit_test(writer_round_trips_through_both_parsers),
		cmocka_unit_test(writer_stops_at_the_output_limit),
		cmocka_unit_test(streaming_writer_tracks_commas_and_nesting),
		cmocka_unit_test(streaming_writer_prints_numbers_exactly),
		cmocka_unit_test(streaming_writer_refuses_misuse),
		cmocka_unit_test(builders_make_and_change_trees),
		cmocka_unit_test(typed_getters_name_what_they_found),
		cmocka_unit_test(equality_compares_values_not_spelling),
		cmocka_unit_test(null_arguments_are_refused),
		cmocka_unit_test(parse_out_of_memory_leaks_nothing),
		cmocka_unit_test(write_out_of_memory_leaks_nothing),
		cmocka_unit_test(builders_out_of_memory_leak_nothing),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
