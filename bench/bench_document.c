/* SPDX-License-Identifier: Apache-2.0 */
/* Documents parsed, validated and rendered per second, beside the bare
 * parsers on the same bytes in the same run:
 *
 *   bench_document [seconds-per-figure]      (default 1)
 *
 * - an AWS-RunShellScript-sized document (the built-in, about 1.2 KB):
 *   parse + validate + render with one parameter value, documents per
 *   second, beside yajl_tree_parse() of the same text;
 * - the largest document allowed (64 KB) as JSON and as YAML: parse +
 *   validate (the typed model, every parameter's allowedPattern compiled),
 *   and parse + validate + render, in MB/s, beside yajl_tree_parse() and a
 *   bare libyaml event loop.
 *
 * Times are CPU time of the process, best of five rounds taken in turns,
 * so a busy machine disturbs both sides alike. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <yajl/yajl_tree.h>
#include <yaml.h>

#include "ssm/ssm.h"
#include "core/json.h"
#include "core/str.h"
#include "document/engine.h"

static double seconds = 1.0;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_document: %s: %s\n", what,
		ssm_error_last()->message);
	exit(1);
}

/* Calls of @fn per second over about @secs. */
static double rate(void (*fn)(void *), void *arg, double secs)
{
	double t0 = now(), t;
	long n = 0;

	do {
		fn(arg);
		n++;
		t = now() - t0;
	} while (t < secs);
	return n / t;
}

/* Best rates of @fn and @ref, five rounds in turns. */
static void compare(double *ours, double *theirs, void (*fn)(void *),
		    void (*ref)(void *), void *arg)
{
	double r;
	int round;

	*ours = *theirs = 0;
	for (round = 0; round < 5; round++) {
		r = rate(fn, arg, seconds / 10);
		*ours = r > *ours ? r : *ours;
		r = rate(ref, arg, seconds / 10);
		*theirs = r > *theirs ? r : *theirs;
	}
}

/* ---- inputs
 * ------------------------------------------------------------------ */

typedef struct input {
	const char *text;
	size_t len;
	ssm_document_format format;
	const char *params_json;
} input;

/* A Command document just under 64 KB: 12 parameters with patterns, then
 * steps of shell commands that use them. */
static void make_document(ssm_str *out)
{
	static const char *const cmds[] = {
		"set -euo pipefail",
		"echo \"Installing {{ parameter01 }} version {{ parameter02 "
		"}}\"",
		"apt-get update -q && apt-get install -y "
		"\"{{ parameter01 }}={{ parameter02 }}\"",
		"systemctl restart {{ parameter04 }} || exit 194",
		"curl -fsS http://127.0.0.1:8080/health | jq '.status'",
		"printf '%s\\t%s\\n' \"$(hostname)\" \"$(date -u "
		"+%Y-%m-%dT%H:%M:%SZ)\"",
		"echo 'caf\xc3\xa9 \xe2\x9c\x93 done'",
	};
	ssm_jsonw w;
	int step = 0, i;

	ssm_jsonw_init(&w, out, SSM_JSON_WRITE_PRETTY);
	ssm_jsonw_object_begin(&w);
	ssm_jsonw_keyz(&w, "schemaVersion");
	ssm_jsonw_stringz(&w, "2.2");
	ssm_jsonw_keyz(&w, "description");
	ssm_jsonw_stringz(&w, "Install, configure and check a package on a "
			      "fleet of nodes.\nRuns each step in order.");
	ssm_jsonw_keyz(&w, "parameters");
	ssm_jsonw_object_begin(&w);
	for (i = 0; i < 12; i++) {
		char name[32];

		snprintf(name, sizeof(name), "parameter%02d", i);
		ssm_jsonw_keyz(&w, name);
		ssm_jsonw_object_begin(&w);
		ssm_jsonw_keyz(&w, "type");
		ssm_jsonw_stringz(&w, "String");
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
		for (size_t k = 0; k < sizeof(cmds) / sizeof(*cmds); k++)
			ssm_jsonw_stringz(&w, cmds[k]);
		ssm_jsonw_array_end(&w);
		ssm_jsonw_object_end(&w);
		ssm_jsonw_object_end(&w);
	}
	ssm_jsonw_array_end(&w);
	ssm_jsonw_object_end(&w);
	if (ssm_jsonw_finish(&w) != SSM_OK)
		die("cannot build the document");
}

/* ---- the work
 * ----------------------------------------------------------------- */

static void our_parse(void *arg)
{
	input *in = arg;
	ssm_document_parse_options o = SSM_DOCUMENT_PARSE_OPTIONS_INIT;
	ssm_document *d = NULL;

	o.format = in->format;
	if (ssm_document_parse(&d, in->text, in->len, &o) != SSM_OK)
		die("ssm_document_parse");
	ssm_document_free(d);
}

static void our_parse_render(void *arg)
{
	input *in = arg;
	ssm_document_parse_options o = SSM_DOCUMENT_PARSE_OPTIONS_INIT;
	ssm_document_render_options ro = SSM_DOCUMENT_RENDER_OPTIONS_INIT;
	ssm_document *d = NULL;
	ssm_document_plan *p = NULL;

	o.format = in->format;
	ro.params_json = in->params_json;
	if (ssm_document_parse(&d, in->text, in->len, &o) != SSM_OK)
		die("ssm_document_parse");
	if (ssm_document_render(&p, d, &ro) != SSM_OK)
		die("ssm_document_render");
	ssm_document_plan_free(p);
	ssm_document_free(d);
}

static void yajl_tree(void *arg)
{
	input *in = arg;
	char err[128];
	yajl_val v = yajl_tree_parse(in->text, err, sizeof(err));

	if (!v) {
		fprintf(stderr, "bench_document: yajl: %s\n", err);
		exit(1);
	}
	yajl_tree_free(v);
}

static void libyaml_events(void *arg)
{
	input *in = arg;
	yaml_parser_t parser;
	yaml_event_t event;
	int done = 0;

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)in->text,
				     in->len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &event)) {
			fprintf(stderr, "bench_document: libyaml failed\n");
			exit(1);
		}
		done = event.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&event);
	}
	yaml_parser_delete(&parser);
}

static void line(const char *what, double ours, double theirs, const char *ref,
		 const char *unit)
{
	printf("%-44s %10.1f %10.1f %7.2fx  %s (%s)\n", what, ours, theirs,
	       ours / theirs, unit, ref);
}

int main(int argc, char **argv)
{
	const ssm_document_builtin *rss = NULL;
	ssm_str big = SSM_STR_INIT;
	ssm_buf yaml = SSM_BUF_INIT;
	ssm_document *d = NULL;
	input small, bj, by;
	double ours, theirs, mb;
	size_t i;

	if (argc > 1)
		seconds = atof(argv[1]);
	if (ssm_init() < 0)
		return 1;
	for (i = 0; i < ssm_document_builtins_count; i++)
		if (strcmp(ssm_document_builtins[i].name,
			   "AWS-RunShellScript") == 0)
			rss = &ssm_document_builtins[i];
	if (!rss)
		return 1;
	small = (input){ rss->content, rss->len, SSM_DOCUMENT_JSON,
			 "{\"commands\":[\"uptime\",\"df -h /\"],"
			 "\"executionTimeout\":\"600\"}" };
	make_document(&big);
	bj = (input){ big.ptr, big.size, SSM_DOCUMENT_JSON,
		      "{\"parameter01\":\"nginx\",\"parameter02\":\"1.24\"}" };
	if (ssm_document_parse(&d, big.ptr, big.size, NULL) != SSM_OK ||
	    ssm_document_convert(&yaml, d, SSM_DOCUMENT_YAML) != SSM_OK)
		die("the 64 KB document");
	ssm_document_free(d);
	by = (input){ yaml.ptr, yaml.size, SSM_DOCUMENT_YAML, bj.params_json };

	printf("%-44s %10s %10s %8s\n", "", "libssm", "bare", "ratio");
	compare(&ours, &theirs, our_parse_render, yajl_tree, &small);
	line("AWS-RunShellScript parse+validate+render", ours, theirs,
	     "yajl_tree_parse", "docs/s");
	compare(&ours, &theirs, our_parse, yajl_tree, &bj);
	mb = bj.len / 1e6;
	printf("(64 KB JSON: %zu bytes; 64 KB YAML: %zu bytes)\n", bj.len,
	       by.len);
	line("64 KB JSON parse+validate", ours * mb, theirs * mb,
	     "yajl_tree_parse", "MB/s");
	compare(&ours, &theirs, our_parse_render, yajl_tree, &bj);
	line("64 KB JSON parse+validate+render", ours * mb, theirs * mb,
	     "yajl_tree_parse", "MB/s");
	mb = by.len / 1e6;
	compare(&ours, &theirs, our_parse, libyaml_events, &by);
	line("64 KB YAML parse+validate", ours * mb, theirs * mb,
	     "libyaml events", "MB/s");
	compare(&ours, &theirs, our_parse_render, libyaml_events, &by);
	line("64 KB YAML parse+validate+render", ours * mb, theirs * mb,
	     "libyaml events", "MB/s");
	ssm_str_dispose(&big);
	ssm_buf_dispose(&yaml);
	ssm_shutdown();
	return 0;
}
