/* SPDX-License-Identifier: Apache-2.0 */
/* YAML: the libyaml-based parser into the JSON tree, and the generator. */
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

#include "ssm/ssm.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/json.h"
#include "core/str.h"
#include "core/yaml.h"

static ssm_json_doc *yaml_ok(const char *text)
{
	ssm_json_doc *doc = NULL;
	ssm_err error = ssm_yaml_parse(&doc, text, strlen(text), NULL);

	if (error != SSM_OK)
		fail_msg("parse of '%s': %s", text, ssm_error_last()->message);
	return doc;
}

static void yaml_fails(const char *text, size_t len, const ssm_json_limits *lim,
		       ssm_err code, const char *message)
{
	ssm_json_doc *doc = (ssm_json_doc *)1;
	ssm_err error = ssm_yaml_parse(&doc, text, len, lim);

	if (error != code)
		fail_msg("'%.*s': expected %d, got %d (%s)", (int)len, text,
			 code, error, ssm_error_last()->message);
	assert_null(doc);
	assert_string_equal(message, ssm_error_last()->message);
	assert_int_equal(SSM_ERRCLASS_YAML, ssm_error_last()->klass);
}

static void yfail(const char *text, const ssm_json_limits *lim, ssm_err code,
		  const char *message)
{
	yaml_fails(text, strlen(text), lim, code, message);
}

static char *to_json(const ssm_json *v)
{
	ssm_str s = SSM_STR_INIT;

	assert_int_equal(SSM_OK, ssm_json_write(&s, v, 0));
	return ssm_str_detach(&s, NULL);
}

static char *to_yaml(const ssm_json *v)
{
	ssm_str s = SSM_STR_INIT;

	if (ssm_yaml_write(&s, v, 0) != SSM_OK)
		fail_msg("yaml write: %s", ssm_error_last()->message);
	return ssm_str_detach(&s, NULL);
}

/* The YAML document must read as exactly this JSON. */
static void reads_as(const char *yaml, const char *json)
{
	ssm_json_doc *doc = yaml_ok(yaml);
	char *out = to_json(doc->root);

	if (strcmp(json, out))
		fail_msg("'%s' reads as %s, not %s", yaml, out, json);
	ssm__free(out);
	ssm_json_doc_free(doc);
}

/* tree -> YAML -> tree gives the same tree. */
static void assert_round_trip(const ssm_json *v)
{
	char *text = to_yaml(v);
	ssm_json_doc *back = NULL;

	if (ssm_yaml_parse(&back, text, strlen(text), NULL) != SSM_OK)
		fail_msg("cannot read back:\n%s\n%s", text,
			 ssm_error_last()->message);
	if (!ssm_json_equal(v, back->root))
		fail_msg("round trip changed the tree:\n%s", text);
	ssm_json_doc_free(back);
	ssm__free(text);
}

/* ---------------------------------------------------------------------- */

static void plain_scalars_follow_the_core_schema(void **state)
{
	(void)state;
	reads_as("[null, Null, NULL, ~, nULL]",
		 "[null,null,null,null,\"nULL\"]");
	reads_as("a:\nb: ~", "{\"a\":null,\"b\":null}");
	reads_as("[true, True, TRUE, false, False, FALSE, tRUE, yes, no, on, "
		 "off, y, n]",
		 "[true,true,true,false,false,false,\"tRUE\",\"yes\",\"no\","
		 "\"on\",\"off\",\"y\",\"n\"]");
	reads_as("[0, -0, +12, 007, 0o17, 0x1F, 0xff, 0o, 0x, 0b101, 1_000, "
		 "9223372036854775807, -9223372036854775808, "
		 "9223372036854775808, 0xFFFFFFFFFFFFFFFF, "
		 "0x10000000000000000]",
		 "[0,-0,12,7,15,31,255,\"0o\",\"0x\",\"0b101\",\"1_000\","
		 "9223372036854775807,-9223372036854775808,"
		 "9223372036854775808,18446744073709551615,"
		 "1.8446744073709552e+19]");
	reads_as("[1.5, -2.5, .5, +.5, 1., 1e3, 1E-3, 1.5e+300, 01.5, 1.e2, "
		 "., .e3, 1e, 1.2.3, 0.1]",
		 "[1.5,-2.5,0.5,0.5,1.0,1e3,1E-3,1.5e+300,1.5,100.0,\".\","
		 "\".e3\",\"1e\",\"1.2.3\",0.1]");
	reads_as("[abc, a b, 12:30, 2001-12-14, '1', \"2\", '', \"\", 0.1.2, "
		 "-x, .inf_]",
		 "[\"abc\",\"a b\",\"12:30\",\"2001-12-14\",\"1\",\"2\",\"\","
		 "\"\",\"0.1.2\",\"-x\",\".inf_\"]");
}

static void special_floats_are_numbers(void **state)
{
	ssm_json_doc *doc = yaml_ok("[.inf, -.Inf, +.INF, .nan, .NaN, .NAN]");
	ssm_str out = SSM_STR_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < 6; i++)
		assert_int_equal(SSM_JSON_NUMBER,
				 ssm_json_typeof(ssm_json_at(doc->root, i)));
	assert_true(isinf(ssm_json_double(ssm_json_at(doc->root, 0))));
	assert_true(ssm_json_double(ssm_json_at(doc->root, 1)) < 0);
	assert_true(isnan(ssm_json_double(ssm_json_at(doc->root, 5))));
	assert_string_equal(
		".inf", ssm_json_number_text(ssm_json_at(doc->root, 2), NULL));
	/* JSON has no spelling for them */
	assert_int_equal(SSM_EINVALID, ssm_json_write(&out, doc->root, 0));
	assert_string_equal("line 1, column 2: number '.inf' cannot be "
			    "written as JSON",
			    ssm_error_last()->message);
	assert_round_trip(doc->root);
	ssm_str_dispose(&out);
	ssm_json_doc_free(doc);
	yfail("a: 1e400", NULL, SSM_EINVALID,
	      "line 1, column 4: number '1e400' is out of range");
}

static void quoted_and_block_scalars_are_strings(void **state)
{
	(void)state;
	reads_as("a: 'true'\nb: \"12\"\nc: |\n  line 1\n   line 2\n"
		 "d: >\n  folded\n  text\n\n  para\ne: |-\n  no newline\n"
		 "f: \"esc\\t\\u00e9\\0x\"\ng: 'it''s'\n",
		 "{\"a\":\"true\",\"b\":\"12\",\"c\":\"line 1\\n line 2\\n\","
		 "\"d\":\"folded text\\npara\\n\",\"e\":\"no newline\","
		 "\"f\":\"esc\\t\xc3\xa9\\u0000x\",\"g\":\"it's\"}");
}

static void tags_are_honoured_and_unknown_ones_refused(void **state)
{
	(void)state;
	reads_as("a: !!str 12\nb: !!int \"12\"\nc: !!float 1\nd: !!bool "
		 "'false'\ne: !!null ''\nf: !!float .5\ng: ! 12\nh: !!str\n"
		 "i: !!seq [1]\nj: !!map {k: v}\nk: !!int 0x10",
		 "{\"a\":\"12\",\"b\":12,\"c\":1.0,\"d\":false,\"e\":null,"
		 "\"f\":0.5,\"g\":\"12\",\"h\":\"\",\"i\":[1],"
		 "\"j\":{\"k\":\"v\"},\"k\":16}");
	yfail("a: !foo x", NULL, SSM_EINVALID,
	      "line 1, column 4: unknown tag '!foo'");
	yfail("a: !!binary aGk=", NULL, SSM_EINVALID,
	      "line 1, column 4: unknown tag '!!binary'");
	yfail("a: !!set {x}", NULL, SSM_EINVALID,
	      "line 1, column 4: unknown tag '!!set'");
	yfail("a: !!map [1]", NULL, SSM_EINVALID,
	      "line 1, column 4: unknown tag '!!map'");
	yfail("!<tag:example.com,2000:x> 1", NULL, SSM_EINVALID,
	      "line 1, column 1: unknown tag 'tag:example.com,2000:x'");
	yfail("a: !!int x", NULL, SSM_EINVALID,
	      "line 1, column 4: 'x' is not a valid !!int");
	yfail("a: !!int 1.5", NULL, SSM_EINVALID,
	      "line 1, column 4: '1.5' is not a valid !!int");
	yfail("a: !!bool yes", NULL, SSM_EINVALID,
	      "line 1, column 4: 'yes' is not a valid !!bool");
	yfail("a: !!null 0", NULL, SSM_EINVALID,
	      "line 1, column 4: '0' is not a valid !!null");
	yfail("a: !!float x", NULL, SSM_EINVALID,
	      "line 1, column 4: 'x' is not a valid !!float");
	yfail("!foo k: v", NULL, SSM_EINVALID,
	      "line 1, column 1: unknown tag '!foo'");
}

static void nodes_carry_positions(void **state)
{
	ssm_json_doc *doc = yaml_ok("# runbook\n"
				    "schemaVersion: '2.2'\n"
				    "mainSteps:\n"
				    "  - name: caf\xc3\xa9\n"
				    "    x: [1, {y: 2}]\n");
	const ssm_json_member *m;
	ssm_json *step;

	(void)state;
	assert_int_equal(2, ssm_json_line(doc->root));
	assert_int_equal(1, ssm_json_column(doc->root));
	m = ssm_json_member_at(doc->root, 0);
	assert_int_equal(2, m->line);
	assert_int_equal(1, m->column);
	assert_int_equal(16, ssm_json_column(m->value));
	step = ssm_json_at(ssm_json_get(doc->root, "mainSteps"), 0);
	assert_int_equal(4, ssm_json_line(step));
	assert_int_equal(5, ssm_json_column(step));
	m = ssm_json_member_at(step, 1);
	assert_int_equal(5, m->line);
	assert_int_equal(5, m->column);
	assert_int_equal(8, ssm_json_column(m->value));
	assert_int_equal(12, ssm_json_column(ssm_json_at(m->value, 1)));
	ssm_json_doc_free(doc);
}

static void malformed_yaml_names_line_column_and_problem(void **state)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "", "line 1, column 1: document is empty" },
		{ "# only a comment\n", "line 2, column 1: document is empty" },
		{ "a: b\n---\nc: d\n", "line 2, column 1: more than one YAML "
				       "document" },
		{ "a: b\n...\n---\nc\n", "line 3, column 1: more than one YAML "
					 "document" },
		{ "a:\n  - x\n b: 1", "line 3, column 2: did not find "
				      "expected key (while parsing a block "
				      "mapping at line 1, column 1)" },
		{ "x: \xc3\xa9\n  y: 2", "line 2, column 4: mapping values "
					 "are not allowed in this context" },
		{ "[1, 2", "line 2, column 1: did not find expected ',' or "
			   "']' (while parsing a flow sequence at line 1, "
			   "column 1)" },
		{ "a: \"x", "line 1, column 6: found unexpected end of stream "
			    "(while scanning a quoted scalar at line 1, "
			    "column 4)" },
		{ "a: \"\\ud800\"", "line 1, column 7: found invalid Unicode "
				    "character escape code (while parsing a "
				    "quoted scalar at line 1, column 4)" },
		{ "a: 1\na: 2", "line 2, column 1: duplicate key 'a'" },
		{ "{a: 1, b: {c: 2, c: 3}}", "line 1, column 18: duplicate "
					     "key 'c'" },
		{ "? [a]\n: b",
		  "line 1, column 3: complex mapping keys are not "
		  "supported" },
		{ "? {a: 1}\n: b", "line 1, column 3: complex mapping keys are "
				   "not supported" },
		{ "a: &x [1]\n*x : b", "line 2, column 1: complex mapping keys "
				       "are not supported" },
		{ "a: *nope", "line 1, column 4: undefined alias 'nope'" },
		{ "a: &x [*x]", "line 1, column 8: undefined alias 'x'" },
		{ "k: \x01", "line 1, column 4: control characters are not "
			     "allowed" },
		{ "a: \t\tb: c", "line 1, column 7: mapping values are not "
				 "allowed in this context" },
		{ "%YAML 2.0\n--- x", "line 1, column 1: found incompatible "
				      "YAML document" },
		{ "a: @x", "line 1, column 4: found character that cannot "
			   "start any token (while scanning for the next "
			   "token at line 1, column 4)" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		yaml_fails(cases[i].text, strlen(cases[i].text), NULL,
			   SSM_EINVALID, cases[i].message);
}

static void invalid_utf8_is_refused(void **state)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "a: \xff", "line 1, column 4: invalid UTF-8" },
		{ "a: \xc0\xaf", "line 1, column 4: invalid UTF-8" },
		{ "a: x\n\xe2\x82\xac: \xed\xa0\x80",
		  "line 2, column 4: invalid UTF-8" },
		{ "a: \xf4\x90\x80\x80", "line 1, column 4: invalid UTF-8" },
		{ "a: '\xe2\x82'", "line 1, column 5: invalid UTF-8" },
		{ "\xfe\xff\x00a", "line 1, column 1: invalid UTF-8" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		yaml_fails(cases[i].text, strlen(cases[i].text), NULL,
			   SSM_EINVALID, cases[i].message);
	/* a byte order mark is fine */
	reads_as("\xef\xbb\xbf"
		 "a: 1",
		 "{\"a\":1}");
}

static void keys_are_the_text_of_scalars(void **state)
{
	(void)state;
	reads_as("1: a\ntrue: b\nnull: c\n~: d\n'q': e\n? f\n: g\n0x10: h",
		 "{\"1\":\"a\",\"true\":\"b\",\"null\":\"c\",\"~\":\"d\","
		 "\"q\":\"e\",\"f\":\"g\",\"0x10\":\"h\"}");
	/* an alias as a key, an anchored key as a value */
	reads_as("a: &n name\n*n : 1\n&k key: 2\nb: *k",
		 "{\"a\":\"name\",\"name\":1,\"key\":2,\"b\":\"key\"}");
	reads_as("a: &n 12\n*n : x\nb: &t true\n*t : y",
		 "{\"a\":12,\"12\":\"x\",\"b\":true,\"true\":\"y\"}");
	yfail("a: 1\n1: x\n!!int 1: y", NULL, SSM_EINVALID,
	      "line 3, column 1: duplicate key '1'");
}

static void anchors_and_aliases_share_the_subtree(void **state)
{
	ssm_json_doc *doc = yaml_ok("base: &b {x: 1, l: [a, b]}\n"
				    "one: *b\n"
				    "two: [*b, *b]\n"
				    "s: &s text\n"
				    "t: *s\n");
	ssm_json *base = ssm_json_get(doc->root, "base");

	(void)state;
	assert_ptr_equal(base, ssm_json_get(doc->root, "one"));
	assert_ptr_equal(base, ssm_json_at(ssm_json_get(doc->root, "two"), 1));
	assert_string_equal("text", ssm_json_str(ssm_json_get(doc->root, "t")));
	ssm_json_doc_free(doc);
	/* a later anchor of the same name wins */
	reads_as("- &a 1\n- *a\n- &a 2\n- *a", "[1,1,2,2]");
}

static void merge_keys_fill_in_missing_members(void **state)
{
	(void)state;
	reads_as("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3",
		 "{\"base\":{\"x\":1,\"y\":2},\"d\":{\"y\":3,\"x\":1}}");
	/* earlier sources win over later ones */
	reads_as("- &a {x: 1}\n- &b {x: 2, y: 2}\n- {<<: [*a, *b], z: 3}",
		 "[{\"x\":1},{\"x\":2,\"y\":2},{\"z\":3,\"x\":1,\"y\":2}]");
	reads_as("{<<: {k: v}}", "{\"k\":\"v\"}");
	reads_as("{<<: {}, a: {}}", "{\"a\":{}}");
	reads_as("{<<: [{}, {}]}", "{}");
	/* a quoted "<<" is an ordinary key */
	reads_as("{'<<': {k: v}}", "{\"<<\":{\"k\":\"v\"}}");
	yfail("a:\n  <<: 1", NULL, SSM_EINVALID,
	      "line 2, column 3: merge key '<<' needs a mapping or a list "
	      "of mappings");
	yfail("a:\n  <<: [{x: 1}, 2]", NULL, SSM_EINVALID,
	      "line 2, column 3: merge key '<<' needs a mapping or a list "
	      "of mappings");
	{
		ssm_json_limits lim = {
			.flags = SSM_JSON_PARSE_ALLOW_DUPLICATES
		};
		ssm_json_doc *doc = NULL;
		const char *text = "{<<: {x: 1, y: 0}, y: 1, y: 2, z: 1, z: 3}";
		char *out;

		assert_int_equal(
			SSM_OK, ssm_yaml_parse(&doc, text, strlen(text), &lim));
		out = to_json(doc->root);
		assert_string_equal("{\"y\":2,\"z\":3,\"x\":1}", out);
		ssm__free(out);
		ssm_json_doc_free(doc);
	}
	yfail("- &b {x: 1}\n- {<<: *b, y: 1, y: 2}", NULL, SSM_EINVALID,
	      "line 2, column 18: duplicate key 'y'");
}

static void alias_bomb_fails_fast(void **state)
{
	const char *lol =
		"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\","
		"\"lol\",\"lol\",\"lol\"]\n"
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
		"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
		"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
		"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
	ssm_json_limits lim = { .max_nodes = 100 };
	ssm_str big = SSM_STR_INIT;
	clock_t t0 = clock();
	int i;

	(void)state;
	yaml_fails(lol, strlen(lol), NULL, SSM_ELIMIT,
		   "line 5, column 8: aliases expand the document to more "
		   "than 10000 values");
	/* refused within milliseconds, not minutes */
	assert_true(clock() - t0 < 5 * CLOCKS_PER_SEC);

	/* the absolute cap */
	yfail("a: &a [1,2,3,4,5,6,7,8,9,10]\nb: [*a,*a,*a,*a,*a,*a,*a,*a,"
	      "*a,*a]",
	      &lim, SSM_ELIMIT,
	      "line 2, column 26: document has more than 100 values");

	/* long strings repeated: capped by bytes */
	ssm_str_puts(&big, "a: &a '");
	for (i = 0; i < 100000; i++)
		ssm_str_puts(&big, "0123456789");
	ssm_str_puts(&big, "'\nb: [");
	for (i = 0; i < 200; i++)
		ssm_str_puts(&big, "*a,");
	ssm_str_puts(&big, "*a]\n");
	yaml_fails(big.ptr, big.size, NULL, SSM_ELIMIT,
		   "line 2, column 50: aliases expand the document past "
		   "16777216 bytes");
	ssm_str_dispose(&big);

	/* moderate reuse is fine */
	reads_as("d: &d {image: x, script: [a, b, c]}\nj1: *d\nj2: *d\nj3: *d",
		 "{\"d\":{\"image\":\"x\",\"script\":[\"a\",\"b\",\"c\"]},"
		 "\"j1\":{\"image\":\"x\",\"script\":[\"a\",\"b\",\"c\"]},"
		 "\"j2\":{\"image\":\"x\",\"script\":[\"a\",\"b\",\"c\"]},"
		 "\"j3\":{\"image\":\"x\",\"script\":[\"a\",\"b\",\"c\"]}}");
}

static void limits_are_enforced(void **state)
{
	ssm_json_limits lim = { .max_depth = 3 };
	size_t n = 100000, i;
	char *bomb = malloc(n);

	(void)state;
	assert_non_null(bomb);
	yfail("a: {b: [{c: 1}]}", &lim, SSM_ELIMIT,
	      "line 1, column 9: nesting deeper than 3 levels");
	/* an alias can nest too deep where its anchor did not */
	yfail("a: &x [[1]]\nb: {c: *x}", &lim, SSM_ELIMIT,
	      "line 2, column 8: nesting deeper than 3 levels");
	memset(bomb, '[', n);
	yaml_fails(bomb, n, NULL, SSM_ELIMIT,
		   "line 1, column 65: nesting deeper than 64 levels");
	for (i = 0; i + 2 < n; i += 2)
		memcpy(bomb + i, "- ", 2);
	yaml_fails(bomb, n, NULL, SSM_ELIMIT,
		   "line 1, column 129: nesting deeper than 64 levels");
	free(bomb);

	lim.max_depth = 0;
	lim.max_input = 5;
	yfail("a: 123", &lim, SSM_ELIMIT,
	      "input of 6 bytes exceeds the limit of 5");
	lim.max_input = 0;
	lim.max_string = 3;
	yfail("abc: abcd", &lim, SSM_ELIMIT,
	      "line 1, column 6: string of 4 bytes exceeds the limit of "
	      "3");
	yfail("abcd: abc", &lim, SSM_ELIMIT,
	      "line 1, column 1: string of 4 bytes exceeds the limit of "
	      "3");
	lim.max_string = 0;
	lim.max_nodes = 3;
	yfail("[1, [2, 3]]", &lim, SSM_ELIMIT,
	      "line 1, column 6: document has more than 3 values");
}

/* ---------------------------------------------------------------------- */
/* The generator                                                          */

static void writes_block_yaml_with_quotes_where_needed(void **state)
{
	ssm_json_doc *doc = NULL;
	char *out;
	const char *json = "{\"schemaVersion\":\"2.2\","
			   "\"description\":\"Run a script\","
			   "\"parameters\":{\"n\":{\"type\":"
			   "\"Integer\",\"default\":3},"
			   "\"on\":{\"default\":\"yes\"}},"
			   "\"mainSteps\":[{\"action\":"
			   "\"aws:runShellScript\",\"name\":\"x\","
			   "\"inputs\":{\"runCommand\":[\"#!/bin/"
			   "sh\",\"echo a: b\",\"if true; then\\n"
			   "  echo hi\\nfi\\n\"],\"t\":true,"
			   "\"e\":[],\"o\":{},\"z\":null,"
			   "\"f\":1.5e3}}]}";

	(void)state;
	assert_int_equal(SSM_OK,
			 ssm_json_parse(&doc, json, strlen(json), NULL));

	out = to_yaml(doc->root);
	assert_string_equal("schemaVersion: '2.2'\n"
			    "description: Run a script\n"
			    "parameters:\n"
			    "  'n':\n"
			    "    type: Integer\n"
			    "    default: 3\n"
			    "  'on':\n"
			    "    default: 'yes'\n"
			    "mainSteps:\n"
			    "- action: aws:runShellScript\n"
			    "  name: x\n"
			    "  inputs:\n"
			    "    runCommand:\n"
			    "    - '#!/bin/sh'\n"
			    "    - 'echo a: b'\n"
			    "    - |\n"
			    "      if true; then\n"
			    "        echo hi\n"
			    "      fi\n"
			    "    t: true\n"
			    "    e: []\n"
			    "    o: {}\n"
			    "    z: null\n"
			    "    f: 1.5e3\n",
			    out);
	ssm__free(out);
	assert_round_trip(doc->root);
	ssm_json_doc_free(doc);
}

static void ambiguous_strings_round_trip_as_strings(void **state)
{
	static const char *const strings[] = {
		"true",
		"False",
		"yes",
		"No",
		"on",
		"OFF",
		"y",
		"n",
		"null",
		"Null",
		"~",
		"",
		" ",
		"123",
		"-1",
		"+1",
		"0x1F",
		"0o17",
		"1.5",
		".5",
		"1e3",
		".inf",
		"-.Inf",
		".nan",
		"12:30",
		"2001-12-14",
		"1.0.2",
		"1_000",
		"<<",
		"=",
		"a: b",
		"a #b",
		"#x",
		"- x",
		"-",
		"? x",
		":x",
		"x:",
		"@x",
		"`x",
		"!x",
		"&x",
		"*x",
		"|x",
		">x",
		"%x",
		"'x'",
		"\"x\"",
		"[x]",
		"{x}",
		"x,y",
		" lead",
		"trail ",
		"a\nb",
		"a\n",
		"\n",
		"\n\nx",
		"x\n\n",
		"a\r\nb",
		"a\rb",
		"line\xc2\x85next",
		"ls\xe2\x80\xa8ps",
		"tab\tx",
		"\ttab",
		"nul\0x",
		"bell\x07",
		"\xef\xbb\xbf"
		"bom",
		"\xc3\xa9t\xc3\xa9",
		"\xf0\x9f\x98\x80",
		"del\x7f",
		"trailing spaces  \nnext",
		"x\n y\n  z",
		"very long line that goes on and on and on and on and on and "
		"on and on and on and on and on and on and on and on and on "
		"and on and on past any line width",
	};
	ssm_json_doc *doc = NULL;
	ssm_json *arr, *obj, *s;
	size_t i;

	(void)state;
	assert_int_equal(SSM_OK, ssm_json_doc_new(&doc));
	assert_int_equal(SSM_OK, ssm_json_new_array(&arr, doc));
	assert_int_equal(SSM_OK, ssm_json_new_object(&obj, doc));
	for (i = 0; i < sizeof(strings) / sizeof(*strings); i++) {
		size_t len = strlen(strings[i]);

		if (!strcmp(strings[i], "nul"))
			len = 5; /* "nul\0x" */
		assert_int_equal(SSM_OK,
				 ssm_json_new_string(&s, doc, strings[i], len));
		assert_round_trip(s);
		assert_int_equal(SSM_OK, ssm_json_array_append(doc, arr, s));
		/* as keys too */
		assert_int_equal(SSM_OK, ssm_json_object_set(
						 doc, obj, strings[i], len, s));
	}
	assert_round_trip(arr);
	assert_round_trip(obj);
	ssm_json_doc_free(doc);
}

static void json_to_yaml_and_back_gives_the_same_json(void **state)
{
	const char *json =
		"{\"schemaVersion\":\"2.2\",\"description\":\"x\","
		"\"parameters\":{\"commands\":{\"type\":\"StringList\","
		"\"default\":[\"echo \\\"hi\\\"\",\"a\\nb\",\"\",\"1\"],"
		"\"allowedPattern\":\"^[a-z]+$\",\"maxItems\":10}},"
		"\"numbers\":[0,-0,1.5,-2.5e-3,9223372036854775807,"
		"-9223372036854775808,18446744073709551616,1e300],"
		"\"nested\":[[[]],[{}],{\"a\":{\"b\":[null,true,false]}}],"
		"\"unicode\":\"\xc3\xa9\xf0\x9f\x98\x80\\u0001\x7f\"}";
	ssm_json_doc *a = NULL, *b = NULL;
	char *yaml, *back;

	(void)state;
	assert_int_equal(SSM_OK, ssm_json_parse(&a, json, strlen(json), NULL));
	yaml = to_yaml(a->root);
	assert_int_equal(SSM_OK, ssm_yaml_parse(&b, yaml, strlen(yaml), NULL));
	back = to_json(b->root);
	assert_string_equal(json, back);
	ssm__free(back);
	ssm__free(yaml);
	ssm_json_doc_free(a);
	ssm_json_doc_free(b);
}

static void yaml_documents_round_trip(void **state)
{
	const char *text =
		"schemaVersion: '0.3'\n"
		"assumeRole: '{{ AutomationAssumeRole }}'\n"
		"parameters:\n"
		"  Count: {type: Integer, default: 0x10}\n"
		"  Ratio: {type: String, default: .5}\n"
		"defaults: &d {onFailure: Abort, timeoutSeconds: 600}\n"
		"mainSteps:\n"
		"- name: one\n"
		"  <<: *d\n"
		"  inputs:\n"
		"    Script: |\n"
		"      #!/bin/bash\n"
		"      echo \"$HOME\"   \n"
		"    Flags: [.inf, -.inf, .nan, ~, yes]\n";
	ssm_json_doc *doc = yaml_ok(text);

	(void)state;
	assert_round_trip(doc->root);
	ssm_json_doc_free(doc);
}

static void writer_refuses_bad_strings_and_limits(void **state)
{
	ssm_json_doc *doc = NULL;
	ssm_json *s, *arr;
	ssm_str out = SSM_STR_INIT;
	int i;

	(void)state;
	assert_int_equal(SSM_OK, ssm_json_doc_new(&doc));
	assert_int_equal(SSM_OK, ssm_json_new_string(&s, doc, "ok\xff", 3));
	assert_int_equal(SSM_EINVALID, ssm_yaml_write(&out, s, 0));
	assert_string_equal("invalid UTF-8 at byte 2 of a string",
			    ssm_error_last()->message);
	assert_int_equal(0, out.size);

	assert_int_equal(SSM_OK,
			 ssm_json_new_string(&s, doc, "0123456789", 10));
	ssm_str_init_max(&out, 8);
	ssm_str_puts(&out, "keep");
	assert_int_equal(SSM_ELIMIT, ssm_yaml_write(&out, s, 0));
	assert_string_equal("text exceeds the limit of 8 bytes",
			    ssm_error_last()->message);
	assert_string_equal("keep", ssm_str_cstr(&out));
	ssm_str_dispose(&out);
	ssm_str_init_max(&out, 0);

	/* trees built by hand can nest deeper than any parse allows */
	assert_int_equal(SSM_OK, ssm_json_new_array(&s, doc));
	for (i = 0; i < SSM_JSON_WRITE_MAX_DEPTH + 1; i++) {
		assert_int_equal(SSM_OK, ssm_json_new_array(&arr, doc));
		assert_int_equal(SSM_OK, ssm_json_array_append(doc, arr, s));
		s = arr;
	}
	assert_int_equal(SSM_ELIMIT, ssm_yaml_write(&out, s, 0));
	assert_string_equal("nesting deeper than 1024 levels",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_yaml_write(&out, NULL, 0));
	ssm_str_dispose(&out);
	ssm_json_doc_free(doc);
}

static void null_arguments_are_refused(void **state)
{
	ssm_json_doc *doc = NULL;

	(void)state;
	assert_int_equal(SSM_EINVALID, ssm_yaml_parse(NULL, "a", 1, NULL));
	assert_string_equal("invalid argument: 'out'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_yaml_parse(&doc, NULL, 3, NULL));
	assert_null(doc);
	yaml_fails(NULL, 0, NULL, SSM_EINVALID,
		   "line 1, column 1: document is empty");
}

/* ---------------------------------------------------------------------- */
/* Out of memory                                                          */

static const char *const oom_yaml =
	"schemaVersion: '2.2'\n"
	"base: &b {x: 1, y: [a, b, c]}\n"
	"mainSteps:\n"
	"- name: s\n"
	"  <<: *b\n"
	"  inputs:\n"
	"    runCommand: [\"echo \\u00e9\", 'x', 0x1F, .5, ~, true]\n"
	"    deep: [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]\n"
	"    &k key: *b\n"
	"k01: 1\nk02: 1\nk03: 1\nk04: 1\nk05: 1\nk06: 1\nk07: 1\nk08: 1\n"
	"k09: 1\nk10: 1\nk11: 1\nk12: 1\nk13: 1\nk14: 1\nk15: 1\nk16: 1\n"
	"k17: 1\nk18: *k\n";

static void parse_out_of_memory_leaks_nothing(void **state)
{
	ssm_json_doc *doc = NULL;
	uint64_t n;
	ssm_err error;

	(void)state;
	for (n = 1;; n++) {
		ssm__alloc_fail_at(n, false);
		error = ssm_yaml_parse(&doc, oom_yaml, strlen(oom_yaml), NULL);
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
	ssm_json_doc *doc = yaml_ok(oom_yaml);
	ssm_str out = SSM_STR_INIT;
	uint64_t n;
	ssm_err error;

	(void)state;
	for (n = 1;; n++) {
		ssm_str_dispose(&out);
		ssm__alloc_fail_at(n, false);
		error = ssm_yaml_write(&out, doc->root, 0);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_scalars_follow_the_core_schema),
		cmocka_unit_test(special_floats_are_numbers),
		cmocka_unit_test(quoted_and_block_scalars_are_strings),
		cmocka_unit_test(tags_are_honoured_and_unknown_ones_refused),
		cmocka_unit_test(nodes_carry_positions),
		cmocka_unit_test(malformed_yaml_names_line_column_and_problem),
		cmocka_unit_test(invalid_utf8_is_refused),
		cmocka_unit_test(keys_are_the_text_of_scalars),
		cmocka_unit_test(anchors_and_aliases_share_the_subtree),
		cmocka_unit_test(merge_keys_fill_in_missing_members),
		cmocka_unit_test(alias_bomb_fails_fast),
		cmocka_unit_test(limits_are_enforced),
		cmocka_unit_test(writes_block_yaml_with_quotes_where_needed),
		cmocka_unit_test(ambiguous_strings_round_trip_as_strings),
		cmocka_unit_test(json_to_yaml_and_back_gives_the_same_json),
		cmocka_unit_test(yaml_documents_round_trip),
		cmocka_unit_test(writer_refuses_bad_strings_and_limits),
		cmocka_unit_test(null_arguments_are_refused),
		cmocka_unit_test(parse_out_of_memory_leaks_nothing),
		cmocka_unit_test(write_out_of_memory_leaks_nothing),
	};

	return cmocka_run_group_tests_name("yaml", tests, NULL, NULL);
}
