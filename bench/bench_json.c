/* SPDX-License-Identifier: Apache-2.0 */
/* JSON and YAML throughput: our parsers and generators beside bare yajl and
 * bare libyaml on the same bytes, in the same run.
 *
 *   bench_json [seconds-per-figure]      (default 0.5)
 *
 * The input is an SSM document of about 64 KB (parameters and many steps of
 * shell commands), as JSON and as the YAML our generator writes for it.
 * Parsing figures include everything the library does (UTF-8 and limit
 * checks, the tree, positions); the references do the least their library
 * allows: yajl_tree_parse() builds yajl's own tree, the libyaml loop only
 * pulls events. Times are CPU time of the process (best of three rounds),
 * so a busy machine disturbs both sides alike. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>
#include <yaml.h>

#include "core/json.h"
#include "core/str.h"
#include "core/yaml.h"

static double seconds = 0.5;

static double now(void)
{
	struct timespec ts;

	/* CPU time of this process: other work on a shared machine does not
	 * count against either side */
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_json: %s\n", what);
	exit(1);
}

/* Run @fn until @seconds pass, three times; MB/s of the best round. */
static double rate(void (*fn)(void *), void *arg, size_t bytes, double secs)
{
	double t0 = now(), t;
	long n = 0;

	do {
		fn(arg);
		n++;
		t = now() - t0;
	} while (t < secs);
	return n * (double)bytes / t / 1e6;
}

/* MB/s of @fn over @bytes of input, and of the reference @ref over the same
 * input: five rounds taken in turns, the best round of each. */
static void compare(const char *what, void (*fn)(void *), void (*ref)(void *),
		    const char *ref_name, void *arg, size_t bytes)
{
	double ours = 0, theirs = 0, r;

	for (int round = 0; round < 5; round++) {
		r = rate(fn, arg, bytes, seconds / 5);
		ours = r > ours ? r : ours;
		if (!ref)
			continue;
		r = rate(ref, arg, bytes, seconds / 5);
		theirs = r > theirs ? r : theirs;
	}
	if (ref)
		printf("%-34s %10.1f %10.1f %7.2fx  (%s)\n", what, ours, theirs,
		       ours / theirs, ref_name);
	else
		printf("%-34s %10.1f\n", what, ours);
}

/* ---------------------------------------------------------------------- */
/* The input                                                              */

static void make_document(ssm_str *out)
{
	static const char *const cmds[] = {
		"#!/bin/bash",
		"set -euo pipefail",
		"echo \"Installing {{ packageName }} version "
		"{{ packageVersion }}\"",
		"apt-get update -q && apt-get install -y "
		"\"{{ packageName }}={{ packageVersion }}\"",
		"systemctl restart {{ serviceName }} || exit 194",
		"curl -fsS http://127.0.0.1:8080/health | jq '.status'",
		"printf '%s\\t%s\\n' \"$(hostname)\" \"$(date -u "
		"+%Y-%m-%dT%H:%M:%SZ)\"",
		"echo 'caf\xc3\xa9 \xe2\x9c\x93 done'",
	};
	ssm_jsonw w;
	int step = 0;

	ssm_jsonw_init(&w, out, SSM_JSON_WRITE_PRETTY);
	ssm_jsonw_object_begin(&w);
	ssm_jsonw_keyz(&w, "schemaVersion");
	ssm_jsonw_stringz(&w, "2.2");
	ssm_jsonw_keyz(&w, "description");
	ssm_jsonw_stringz(&w, "Install, configure and check a package on a "
			      "fleet of nodes.\nRuns each step in order.");
	ssm_jsonw_keyz(&w, "parameters");
	ssm_jsonw_object_begin(&w);
	for (int i = 0; i < 12; i++) {
		char name[32];

		snprintf(name, sizeof(name), "parameter%02d", i);
		ssm_jsonw_keyz(&w, name);
		ssm_jsonw_object_begin(&w);
		ssm_jsonw_keyz(&w, "type");
		ssm_jsonw_stringz(&w, i % 3 ? "String" : "StringList");
		ssm_jsonw_keyz(&w, "description");
		ssm_jsonw_stringz(&w, "(Optional) A value the steps use.");
		ssm_jsonw_keyz(&w, "default");
		ssm_jsonw_stringz(&w, "value");
		ssm_jsonw_keyz(&w, "allowedPattern");
		ssm_jsonw_stringz(&w, "^[a-zA-Z0-9_.\\-]{1,128}$");
		ssm_jsonw_keyz(&w, "maxChars");
		ssm_jsonw_int64(&w, 4096);
		ssm_jsonw_object_end(&w);
	}
	ssm_jsonw_object_end(&w);
	ssm_jsonw_keyz(&w, "mainSteps");
	ssm_jsonw_array_begin(&w);
	while (out->size < 63 * 1024) {
		char name[32];

		snprintf(name, sizeof(name), "step%03d", step++);
		ssm_jsonw_object_begin(&w);
		ssm_jsonw_keyz(&w, "action");
		ssm_jsonw_stringz(&w, "aws:runShellScript");
		ssm_jsonw_keyz(&w, "name");
		ssm_jsonw_stringz(&w, name);
		ssm_jsonw_keyz(&w, "precondition");
		ssm_jsonw_object_begin(&w);
		ssm_jsonw_keyz(&w, "StringEquals");
		ssm_jsonw_array_begin(&w);
		ssm_jsonw_stringz(&w, "platformType");
		ssm_jsonw_stringz(&w, "Linux");
		ssm_jsonw_array_end(&w);
		ssm_jsonw_object_end(&w);
		ssm_jsonw_keyz(&w, "inputs");
		ssm_jsonw_object_begin(&w);
		ssm_jsonw_keyz(&w, "timeoutSeconds");
		ssm_jsonw_int64(&w, 3600);
		ssm_jsonw_keyz(&w, "workingDirectory");
		ssm_jsonw_stringz(&w, "/var/lib/app");
		ssm_jsonw_keyz(&w, "runCommand");
		ssm_jsonw_array_begin(&w);
		for (size_t i = 0; i < sizeof(cmds) / sizeof(*cmds); i++)
			ssm_jsonw_stringz(&w, cmds[i]);
		ssm_jsonw_array_end(&w);
		ssm_jsonw_object_end(&w);
		ssm_jsonw_keyz(&w, "isEnd");
		ssm_jsonw_bool(&w, false);
		ssm_jsonw_keyz(&w, "maxAttempts");
		ssm_jsonw_double(&w, 1.5);
		ssm_jsonw_object_end(&w);
	}
	ssm_jsonw_array_end(&w);
	ssm_jsonw_object_end(&w);
	if (ssm_jsonw_finish(&w) != SSM_OK)
		die("cannot build the document");
}

/* ---------------------------------------------------------------------- */
/* The work                                                               */

typedef struct input {
	const char *text;
	size_t len;
	const ssm_json *tree;
	yajl_val ytree;
} input;

static void our_json_parse(void *arg)
{
	input *in = arg;
	ssm_json_doc *doc;

	if (ssm_json_parse(&doc, in->text, in->len, NULL) != SSM_OK)
		die("ssm_json_parse failed");
	ssm_json_doc_free(doc);
}

static void yajl_tree(void *arg)
{
	input *in = arg;
	char err[128];
	yajl_val v = yajl_tree_parse(in->text, err, sizeof(err));

	if (!v)
		die("yajl_tree_parse failed");
	yajl_tree_free(v);
}

static void our_yaml_parse(void *arg)
{
	input *in = arg;
	ssm_json_doc *doc;

	if (ssm_yaml_parse(&doc, in->text, in->len, NULL) != SSM_OK)
		die("ssm_yaml_parse failed");
	ssm_json_doc_free(doc);
}

static void libyaml_events(void *arg)
{
	input *in = arg;
	yaml_parser_t parser;
	yaml_event_t ev;
	int done = 0;

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)in->text,
				     in->len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev))
			die("libyaml failed");
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
}

static void our_json_write(void *arg)
{
	input *in = arg;
	ssm_str out = SSM_STR_INIT;

	if (ssm_json_write(&out, in->tree, 0) != SSM_OK)
		die("ssm_json_write failed");
	ssm_str_dispose(&out);
}

static void our_json_write_pretty(void *arg)
{
	input *in = arg;
	ssm_str out = SSM_STR_INIT;

	if (ssm_json_write(&out, in->tree, SSM_JSON_WRITE_PRETTY) != SSM_OK)
		die("ssm_json_write failed");
	ssm_str_dispose(&out);
}

static void our_jsonw_stream(void *arg)
{
	ssm_str out = SSM_STR_INIT;

	(void)arg;
	make_document(&out);
	ssm_str_dispose(&out);
}

static void gen_yajl_value(yajl_gen g, yajl_val v)
{
	size_t i;

	if (YAJL_IS_OBJECT(v)) {
		yajl_gen_map_open(g);
		for (i = 0; i < v->u.object.len; i++) {
			const char *k = v->u.object.keys[i];

			yajl_gen_string(g, (const unsigned char *)k, strlen(k));
			gen_yajl_value(g, v->u.object.values[i]);
		}
		yajl_gen_map_close(g);
	} else if (YAJL_IS_ARRAY(v)) {
		yajl_gen_array_open(g);
		for (i = 0; i < v->u.array.len; i++)
			gen_yajl_value(g, v->u.array.values[i]);
		yajl_gen_array_close(g);
	} else if (YAJL_IS_STRING(v)) {
		yajl_gen_string(g, (const unsigned char *)v->u.string,
				strlen(v->u.string));
	} else if (YAJL_IS_NUMBER(v)) {
		yajl_gen_number(g, v->u.number.r, strlen(v->u.number.r));
	} else if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v)) {
		yajl_gen_bool(g, YAJL_IS_TRUE(v));
	} else {
		yajl_gen_null(g);
	}
}

static void yajl_gen_tree(void *arg)
{
	input *in = arg;
	yajl_gen g = yajl_gen_alloc(NULL);

	gen_yajl_value(g, in->ytree);
	yajl_gen_free(g);
}

static void our_yaml_write(void *arg)
{
	input *in = arg;
	ssm_str out = SSM_STR_INIT;

	if (ssm_yaml_write(&out, in->tree, 0) != SSM_OK)
		die("ssm_yaml_write failed");
	ssm_str_dispose(&out);
}

int main(int argc, char **argv)
{
	ssm_str json = SSM_STR_INIT, yaml = SSM_STR_INIT,
		compact = SSM_STR_INIT;
	ssm_json_doc *doc;
	input jin, yin;
	char err[128];

	if (argc > 1)
		seconds = atof(argv[1]);
	make_document(&json);
	if (ssm_json_parse(&doc, json.ptr, json.size, NULL) != SSM_OK)
		die("the document does not parse");
	if (ssm_yaml_write(&yaml, doc->root, 0) != SSM_OK ||
	    ssm_json_write(&compact, doc->root, 0) != SSM_OK)
		die("the document does not convert");
	jin = (input){ json.ptr, json.size, doc->root,
		       yajl_tree_parse(json.ptr, err, sizeof(err)) };
	yin = (input){ yaml.ptr, yaml.size, doc->root, NULL };
	if (!jin.ytree)
		die("yajl cannot parse the document");

	printf("input: an SSM document, %zu bytes of JSON (pretty), %zu "
	       "bytes of YAML, %zu bytes of compact JSON\n\n",
	       json.size, yaml.size, compact.size);
	printf("%-34s %10s %10s %8s\n", "operation", "MB/s", "reference",
	       "ratio");

	compare("parse JSON (ssm_json_parse)", our_json_parse, yajl_tree,
		"yajl_tree_parse", &jin, json.size);
	compare("parse YAML (ssm_yaml_parse)", our_yaml_parse, libyaml_events,
		"libyaml events only", &yin, yaml.size);
	jin.len = compact.size; /* the generators' output is compact JSON */
	compare("write JSON, compact (tree)", our_json_write, yajl_gen_tree,
		"yajl_gen over yajl's tree", &jin, compact.size);
	jin.len = json.size;
	compare("write JSON, pretty (tree)", our_json_write_pretty, NULL, NULL,
		&jin, json.size);
	compare("write JSON, pretty (ssm_jsonw)", our_jsonw_stream, NULL, NULL,
		NULL, json.size);
	compare("write YAML (ssm_yaml_write)", our_yaml_write, NULL, NULL, &yin,
		yaml.size);

	yajl_tree_free(jin.ytree);
	ssm_json_doc_free(doc);
	ssm_str_dispose(&json);
	ssm_str_dispose(&yaml);
	ssm_str_dispose(&compact);
	return 0;
}
