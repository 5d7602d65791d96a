/* SPDX-License-Identifier: Apache-2.0 */
/* Documents without a store: parsing and validation errors (AWS names and
 * locations), parameters, every interpolation rule of spec 1.4, rendering
 * into plans, and allocation failures.
 *
 *   test_document_parse DATA_DIR      (tests/data/documents) */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ssm/ssm.h"
#include "core/alloc.h"
#include "core/json.h"
#include "core/yaml.h"
#include "document/doc.h"
#include "document/engine.h"
#include "document/local.h"

static const char *data_dir = "tests/data/documents";

/* ---- helpers ------------------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_int_equal((size_t)n, fread(buf, 1, (size_t)n, f));
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static ssm_document *parse_ok(const char *text)
{
	ssm_document *d = NULL;
	ssm_err e = ssm_document_parse(&d, text, strlen(text), NULL);

	if (e != SSM_OK)
		fail_msg("parse failed: %s", ssm_error_last()->message);
	return d;
}

/* The parse fails with @code and exactly @message. */
static void expect_problem(const char *text, const char *code,
			   const char *message)
{
	ssm_document *d = (ssm_document *)1;
	ssm_err e = ssm_document_parse(&d, text, strlen(text), NULL);

	if (e == SSM_OK)
		fail_msg("parsed, expected %s: %s", code, message);
	assert_null(d);
	assert_int_equal(SSM_EINVALID, e);
	assert_int_equal(SSM_ERRCLASS_DOCUMENT, ssm_error_last()->klass);
	assert_string_equal(code, ssm_error_last()->service_code);
	assert_string_equal(message, ssm_error_last()->message);
}

static ssm_document_plan *render(ssm_document *d, const char *params_json,
				 ssm_document_platform platform)
{
	ssm_document_render_options o = SSM_DOCUMENT_RENDER_OPTIONS_INIT;
	ssm_document_plan *p = NULL;
	ssm_err e;

	o.params_json = params_json;
	o.platform = platform;
	e = ssm_document_render(&p, d, &o);
	if (e != SSM_OK)
		fail_msg("render failed: %s", ssm_error_last()->message);
	return p;
}

/* Render fails with @code and exactly @message. */
static void expect_render_error(ssm_document *d, const char *params_json,
				const char *code, const char *message)
{
	ssm_document_render_options o = SSM_DOCUMENT_RENDER_OPTIONS_INIT;
	ssm_document_plan *p = (ssm_document_plan *)1;

	o.params_json = params_json;
	assert_int_equal(SSM_EINVALID, ssm_document_render(&p, d, &o));
	assert_null(p);
	assert_string_equal(code, ssm_error_last()->service_code);
	assert_string_equal(message, ssm_error_last()->message);
}

/* The compact JSON of step @i's inputs equals @expected. */
static void expect_inputs(const ssm_document_plan *p, size_t i,
			  const char *expected)
{
	ssm_buf b = SSM_BUF_INIT;

	assert_int_equal(SSM_OK, ssm_document_plan_step_inputs(&b, p, i, 0));
	assert_string_equal(expected, b.ptr);
	ssm_buf_dispose(&b);
}

static const char *cmd22_head = "{\"schemaVersion\":\"2.2\",";

/* A 2.2 document with @params (object body) and one runShellScript step
 * whose inputs are @inputs (object body). */
static ssm_document *doc22(const char *params, const char *inputs)
{
	char text[4096];

	snprintf(text, sizeof(text),
		 "%s\"parameters\":{%s},\"mainSteps\":[{\"action\":"
		 "\"aws:runShellScript\",\"name\":\"run\",\"inputs\":{%s}}]}",
		 cmd22_head, params, inputs);
	return parse_ok(text);
}

/* ---- enums ----------------------------------------------------------------
 */

static void enum_names_round_trip(void **state)
{
	ssm_document_type t;
	ssm_document_format f;
	ssm_document_platform p;

	(void)state;
	assert_string_equal(
		"Automation.ChangeTemplate",
		ssm_document_type_str(SSM_DOCUMENT_AUTOMATION_CHANGE_TEMPLATE));
	assert_null(ssm_document_type_str(SSM_DOCUMENT_TYPE_DEFAULT));
	assert_null(ssm_document_type_str((ssm_document_type)99));
	assert_int_equal(SSM_OK, ssm_document_type_parse(&t, "Session"));
	assert_int_equal(SSM_DOCUMENT_SESSION, t);
	assert_int_equal(SSM_EINVALID, ssm_document_type_parse(&t, "command"));
	assert_string_equal("'command' is not a document type",
			    ssm_error_last()->message);
	assert_int_equal(SSM_OK, ssm_document_format_parse(&f, "yaml"));
	assert_int_equal(SSM_DOCUMENT_YAML, f);
	assert_string_equal("TEXT", ssm_document_format_str(SSM_DOCUMENT_TEXT));
	assert_int_equal(SSM_EINVALID, ssm_document_format_parse(&f, "XML"));
	assert_string_equal("'XML' is not a document format (JSON, YAML or "
			    "TEXT)",
			    ssm_error_last()->message);
	assert_int_equal(SSM_OK, ssm_document_platform_parse(&p, "macos"));
	assert_int_equal(SSM_DOCUMENT_MACOS, p);
	assert_string_equal("MacOS", ssm_document_platform_str(p));
	assert_int_equal(SSM_EINVALID, ssm_document_platform_parse(&p, "BSD"));
	assert_string_equal(
		"StringMap",
		ssm_document_param_type_str(SSM_DOCUMENT_PARAM_STRING_MAP));
	assert_null(ssm_document_param_type_str(SSM_DOCUMENT_PARAM_NONE));
}

/* ---- the spec's examples and the built-ins ------------------------------- */

static void spec_examples_parse_and_render(void **state)
{
	DIR *dir = opendir(data_dir);
	struct dirent *e;
	int n = 0;

	(void)state;
	assert_non_null(dir);
	while ((e = readdir(dir))) {
		char path[512];
		size_t len;
		char *text;
		ssm_document *d = NULL;
		ssm_document_plan *p;
		ssm_buf json = SSM_BUF_INIT, yaml = SSM_BUF_INIT;
		ssm_json_doc *a = NULL, *b = NULL;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", data_dir, e->d_name);
		text = slurp(path, &len);
		if (ssm_document_parse(&d, text, len, NULL) != SSM_OK)
			fail_msg("%s: %s", e->d_name,
				 ssm_error_last()->message);
		/* required parameters of the examples */
		p = render(
			d,
			strstr(e->d_name, "automation")
				? "{\"InstanceIds\":[\"i-0123456789abcdef0\"]}"
			: strstr(e->d_name, "port") ? "{\"host\":\"db\"}"
			: strstr(e->d_name, "1.2")  ? "{\"commands\":[\"ls\"]}"
						    : NULL,
			SSM_DOCUMENT_LINUX);
		ssm_document_plan_free(p);
		/* both formats describe the same tree */
		assert_int_equal(SSM_OK, ssm_document_convert(
						 &json, d, SSM_DOCUMENT_JSON));
		assert_int_equal(SSM_OK, ssm_document_convert(
						 &yaml, d, SSM_DOCUMENT_YAML));
		assert_int_equal(SSM_OK,
				 ssm_json_parse(&a, json.ptr, json.size, NULL));
		assert_int_equal(SSM_OK,
				 ssm_yaml_parse(&b, yaml.ptr, yaml.size, NULL));
		assert_true(ssm_json_equal(a->root, b->root));
		assert_int_equal(
			SSM_EINVALID,
			ssm_document_convert(&json, d, SSM_DOCUMENT_TEXT));
		ssm_json_doc_free(a);
		ssm_json_doc_free(b);
		ssm_buf_dispose(&json);
		ssm_buf_dispose(&yaml);
		ssm_document_free(d);
		free(text);
		n++;
	}
	closedir(dir);
	assert_true(n >= 7);
}

static void builtins_are_valid_documents(void **state)
{
	size_t i;

	(void)state;
	assert_true(ssm_document_builtins_count >= 10);
	for (i = 0; i < ssm_document_builtins_count; i++) {
		const ssm_document_builtin *b = &ssm_document_builtins[i];
		ssm_document_parse_options o = SSM_DOCUMENT_PARSE_OPTIONS_INIT;
		ssm_document *d = NULL;

		o.format = b->format;
		o.type = b->type;
		if (ssm_document_parse(&d, b->content, b->len, &o) != SSM_OK)
			fail_msg("%s: %s", b->name, ssm_error_last()->message);
		assert_int_equal(b->type, ssm_document_type_of(d));
		assert_int_equal(b->account_owned,
				 strncmp(b->name, "SSM-", 4) == 0);
		ssm_document_free(d);
	}
}

static void run_shell_script_builtin_has_aws_parameters(void **state)
{
	const ssm_document_builtin *b = NULL;
	ssm_document *d = NULL;
	ssm_document_plan *p;
	size_t i;

	(void)state;
	for (i = 0; i < ssm_document_builtins_count; i++)
		if (strcmp(ssm_document_builtins[i].name,
			   "AWS-RunShellScript") == 0)
			b = &ssm_document_builtins[i];
	if (!b) {
		fail_msg("AWS-RunShellScript is not built in");
		return;
	}
	assert_int_equal(SSM_OK,
			 ssm_document_parse(&d, b->content, b->len, NULL));
	assert_string_equal("1.2", ssm_document_schema_version(d));
	assert_int_equal(3, ssm_document_params_count(d));
	assert_string_equal("commands", ssm_document_param_name(d, 0));
	assert_int_equal(SSM_DOCUMENT_PARAM_STRING_LIST,
			 ssm_document_param_type_of(d, 0));
	assert_null(ssm_document_param_default(d, 0));
	assert_string_equal("", ssm_document_param_default(d, 1));
	assert_string_equal("3600", ssm_document_param_default(d, 2));
	assert_int_equal(SSM_DOCUMENT_PLATFORM_BIT(SSM_DOCUMENT_LINUX) |
				 SSM_DOCUMENT_PLATFORM_BIT(SSM_DOCUMENT_MACOS),
			 ssm_document_platforms(d));
	assert_string_equal("0.aws:runShellScript",
			    ssm_document_step_name(d, 0));
	assert_string_equal("aws:runShellScript",
			    ssm_document_step_action(d, 0));
	assert_null(ssm_document_step_name(d, 1));
	p = render(d,
		   "{\"commands\":[\"uptime\",\"df -h\"],"
		   "\"executionTimeout\":\"600\"}",
		   SSM_DOCUMENT_LINUX);
	/* "{{ commands }}" alone takes the whole list (spec 1.4) */
	expect_inputs(p, 0,
		      "{\"id\":\"0.aws:runShellScript\",\"runCommand\":"
		      "[\"uptime\",\"df -h\"],\"workingDirectory\":\"\","
		      "\"timeoutSeconds\":\"600\"}");
	assert_int_equal(600, ssm_document_plan_step_timeout_s(p, 0));
	ssm_document_plan_free(p);
	/* the executionTimeout pattern caps it at 172800 */
	expect_render_error(d,
			    "{\"commands\":[\"x\"],\"executionTimeout\":"
			    "\"172801\"}",
			    "InvalidParameters",
			    "parameter \"executionTimeout\": parameter value "
			    "/172801/ does not match the allowed pattern "
			    "/^([1-9][0-9]{0,4}|1[0-6][0-9]{4}|17[01][0-9]{3}|"
			    "172[0-7][0-9]{2}|172800)$/");
	expect_render_error(d, "{}", "InvalidParameters",
			    "missing required parameter \"commands\"");
	ssm_document_free(d);
}

/* ---- validation errors: AWS name and location ---------------------------- */

static void content_errors_name_the_place(void **state)
{
	(void)state;
	expect_problem("{\"schemaVersion\": \"2.2\", ",
		       "InvalidDocumentContent",
		       "line 1, column 26: unexpected end of input");
	expect_problem("schemaVersion: '2.2'\n  bad: [\n",
		       "InvalidDocumentContent",
		       "line 2, column 3: did not find expected key (while "
		       "parsing a block mapping at line 1, column 1)");
	expect_problem("[1, 2]", "InvalidDocumentContent",
		       "line 1, column 1: expected an object, found a list");
	expect_problem("{\"description\": \"x\"}", "InvalidDocumentContent",
		       "line 1, column 1: schemaVersion is required");
	expect_problem("{\"schemaVersion\": \"2.2\", \"mainSteps\": [], "
		       "\"x\": 1}",
		       "InvalidDocumentContent",
		       "line 1, column 43: unknown field 'x' in the document");
	expect_problem("{\"schemaVersion\": \"2.2\", \"mainSteps\": []}",
		       "InvalidDocumentContent",
		       "line 1, column 39: mainSteps: the document needs at "
		       "least one step");
	expect_problem("schemaVersion: '2.2'\n"
		       "mainSteps:\n"
		       "  - action: aws:runShellScript\n"
		       "    name: one\n"
		       "    inputs: {runCommand: [a]}\n"
		       "  - action: aws:runShellScript\n"
		       "    name: one\n"
		       "    inputs: {runCommand: [b]}\n",
		       "InvalidDocumentContent",
		       "line 7, column 11: mainSteps[1].name: duplicate step "
		       "name 'one'");
	expect_problem("schemaVersion: '2.2'\n"
		       "mainSteps:\n"
		       "  - action: aws:runShellScript\n"
		       "    name: one\n"
		       "    inputs:\n"
		       "      runCommand: 42\n",
		       "InvalidDocumentContent",
		       "line 6, column 19: step 'one': "
		       "mainSteps[0].inputs.runCommand: expected a string or a "
		       "list of strings, found a number");
	expect_problem("schemaVersion: '2.2'\n"
		       "mainSteps:\n"
		       "  - action: aws:runShellScript\n"
		       "    name: one\n"
		       "    inputs:\n"
		       "      runCommand: [a]\n"
		       "      shell: bash\n",
		       "InvalidDocumentContent",
		       "line 7, column 7: step 'one': "
		       "mainSteps[0].inputs.shell: aws:runShellScript has no "
		       "input 'shell'");
	expect_problem("schemaVersion: '2.2'\n"
		       "mainSteps:\n"
		       "  - action: aws:runShellScript\n"
		       "    name: one\n"
		       "    inputs: {workingDirectory: /tmp}\n",
		       "InvalidDocumentContent",
		       "line 5, column 13: step 'one': mainSteps[0].inputs: "
		       "aws:runShellScript needs the input 'runCommand'");
	expect_problem("schemaVersion: '2.2'\n"
		       "mainSteps:\n"
		       "  - action: aws:teleport\n"
		       "    name: one\n",
		       "InvalidDocumentContent",
		       "line 3, column 13: step 'one': mainSteps[0].action: "
		       "unknown action 'aws:teleport' (not a plugin of Command "
		       "documents)");
	expect_problem("schemaVersion: '2.2'\n"
		       "mainSteps:\n"
		       "  - action: aws:runShellScript\n"
		       "    inputs: {runCommand: [a]}\n",
		       "InvalidDocumentContent",
		       "line 3, column 5: mainSteps[0].name: the step has no "
		       "name");
	expect_problem("schemaVersion: '2.2'\n"
		       "parameters:\n"
		       "  count: {type: Integer}\n"
		       "mainSteps:\n"
		       "  - action: aws:runShellScript\n"
		       "    name: one\n"
		       "    inputs: {runCommand: [a]}\n",
		       "InvalidDocumentContent",
		       "line 3, column 17: parameters.count.type: Command "
		       "documents support only String and StringList "
		       "parameters");
	expect_problem("schemaVersion: '2.2'\n"
		       "parameters:\n"
		       "  cmds: {type: StringList}\n"
		       "mainSteps:\n"
		       "  - action: aws:runShellScript\n"
		       "    name: one\n"
		       "    inputs:\n"
		       "      runCommand: [a]\n"
		       "      workingDirectory: '{{ cmds }}'\n",
		       "InvalidDocumentContent",
		       "line 9, column 25: step 'one': "
		       "mainSteps[0].inputs.workingDirectory: parameter 'cmds' "
		       "of type StringList cannot be used here (expects a "
		       "string)");
	expect_problem("schemaVersion: '2.2'\n"
		       "parameters:\n"
		       "  p: {type: String, allowedPattern: '(['}\n"
		       "mainSteps:\n"
		       "  - action: aws:runShellScript\n"
		       "    name: one\n"
		       "    inputs: {runCommand: [a]}\n",
		       "InvalidDocumentContent",
		       "line 3, column 37: parameters.p.allowedPattern: not a "
		       "valid regular expression: missing terminating ] for "
		       "character class at offset 2");
	expect_problem(
		"schemaVersion: '2.2'\n"
		"parameters:\n"
		"  p: {type: String, default: 7}\n"
		"mainSteps:\n"
		"  - action: aws:runShellScript\n"
		"    name: one\n"
		"    inputs: {runCommand: [a]}\n",
		"InvalidDocumentContent",
		"line 3, column 30: parameters.p.default: the default of "
		"a String parameter must be a string, found a number");
	expect_problem("schemaVersion: '2.2'\n"
		       "parameters:\n"
		       "  p: {type: String, default: b, allowedValues: [a]}\n"
		       "mainSteps:\n"
		       "  - action: aws:runShellScript\n"
		       "    name: one\n"
		       "    inputs: {runCommand: [a]}\n",
		       "InvalidDocumentContent",
		       "line 3, column 30: parameters.p.default: Parameter "
		       "\"p\" has value \"b\" not found in [a].");
	expect_problem("schemaVersion: '2.2'\n"
		       "parameters:\n"
		       "  my-param: {type: String}\n"
		       "mainSteps:\n"
		       "  - action: aws:runShellScript\n"
		       "    name: one\n"
		       "    inputs: {runCommand: [a]}\n",
		       "InvalidDocumentContent",
		       "line 3, column 3: parameters.my-param: parameter names "
		       "may use letters, digits and '_' only (1 to 128 "
		       "characters)");
	expect_problem("schemaVersion: '2.2'\n"
		       "parameters:\n"
		       "  p: {type: String, secret: true}\n"
		       "mainSteps:\n"
		       "  - action: aws:runShellScript\n"
		       "    name: one\n"
		       "    inputs: {runCommand: [a]}\n",
		       "InvalidDocumentContent",
		       "line 3, column 21: parameters.p: unknown field "
		       "'secret' in a parameter definition");
	expect_problem("schemaVersion: '2.2'\n"
		       "parameters:\n"
		       "  p: {type: StringList, interpolationType: ENV_VAR}\n"
		       "mainSteps:\n"
		       "  - action: aws:runShellScript\n"
		       "    name: one\n"
		       "    inputs: {runCommand: [a]}\n",
		       "InvalidDocumentContent",
		       "line 3, column 44: parameters.p.interpolationType: "
		       "interpolationType ENV_VAR is for String parameters");
}

static void schema_versions_must_fit_the_type(void **state)
{
	ssm_document_parse_options o = SSM_DOCUMENT_PARSE_OPTIONS_INIT;
	ssm_document *d = (ssm_document *)1;
	const char *session = "{\"schemaVersion\":\"1.0\",\"sessionType\":"
			      "\"Port\",\"properties\":{\"portNumber\":"
			      "\"22\"}}";

	(void)state;
	expect_problem("{\"schemaVersion\": \"two\"}",
		       "InvalidDocumentSchemaVersion",
		       "line 1, column 19: schemaVersion: schemaVersion 'two' "
		       "is not of the form <major>.<minor>");
	expect_problem("{\"schemaVersion\": \"2.1\", \"mainSteps\": []}",
		       "InvalidDocumentSchemaVersion",
		       "line 1, column 19: schemaVersion: schemaVersion 2.1 is "
		       "not supported for Command documents (1.2, 2.0 or "
		       "2.2)");
	o.type = SSM_DOCUMENT_COMMAND;
	assert_int_equal(SSM_EINVALID,
			 ssm_document_parse(&d, session, strlen(session), &o));
	assert_null(d);
	assert_string_equal("InvalidDocumentSchemaVersion",
			    ssm_error_last()->service_code);
	assert_string_equal("line 1, column 18: schemaVersion: schemaVersion "
			    "1.0 is not supported for Command documents (1.2, "
			    "2.0 or 2.2)",
			    ssm_error_last()->message);
	o.type = SSM_DOCUMENT_AUTOMATION;
	assert_int_equal(SSM_EINVALID,
			 ssm_document_parse(&d, session, strlen(session), &o));
	assert_string_equal("line 1, column 18: schemaVersion: schemaVersion "
			    "1.0 is not supported for Automation documents "
			    "(0.3)",
			    ssm_error_last()->message);
	o.type = SSM_DOCUMENT_SESSION;
	assert_int_equal(SSM_OK,
			 ssm_document_parse(&d, session, strlen(session), &o));
	assert_string_equal("Port", ssm_document_session_type(d));
	ssm_document_free(d);
	/* a YAML number is read as its text */
	d = parse_ok("schemaVersion: 2.2\nmainSteps:\n  - action: "
		     "aws:runShellScript\n    name: a\n    inputs: "
		     "{runCommand: [x]}\n");
	assert_string_equal("2.2", ssm_document_schema_version(d));
	ssm_document_free(d);
	/* other types keep their content unchecked; TEXT only for them */
	o.type = SSM_DOCUMENT_APPLICATION_CONFIGURATION;
	o.format = SSM_DOCUMENT_TEXT;
	assert_int_equal(SSM_OK, ssm_document_parse(&d, "any text", 8, &o));
	ssm_document_free(d);
	o.type = SSM_DOCUMENT_COMMAND;
	assert_int_equal(SSM_EINVALID, ssm_document_parse(&d, "any", 3, &o));
	assert_string_equal("Command documents are JSON or YAML, not TEXT",
			    ssm_error_last()->message);
}

static void documents_over_64_kb_are_refused(void **state)
{
	size_t len = SSM_DOCUMENT_MAX_SIZE + 1;
	char *big = malloc(len);
	ssm_document *d = (ssm_document *)1;

	(void)state;
	memset(big, ' ', len);
	big[0] = '{';
	big[len - 1] = '}';
	assert_int_equal(SSM_ELIMIT, ssm_document_parse(&d, big, len, NULL));
	assert_null(d);
	assert_string_equal("MaxDocumentSizeExceeded",
			    ssm_error_last()->service_code);
	assert_string_equal("the document is 65537 bytes; the limit is 65536",
			    ssm_error_last()->message);
	free(big);
	assert_int_equal(SSM_EINVALID, ssm_document_parse(&d, "", 0, NULL));
	assert_string_equal("the document is empty", ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_document_parse(NULL, "x", 1, NULL));
}

static void validate_lists_every_problem(void **state)
{
	const char *text = "schemaVersion: '2.2'\n"
			   "parameters:\n"
			   "  p: {type: Nope}\n"
			   "mainSteps:\n"
			   "  - action: aws:runShellScript\n"
			   "    name: a\n"
			   "    inputs: {runCommand: 5}\n"
			   "  - action: aws:runShellScript\n"
			   "    name: b\n"
			   "    precondition: {StringLike: [x, y]}\n"
			   "    inputs: {runCommand: [ok]}\n"
			   "extra: 1\n";
	ssm_document_problems *pr = NULL;

	(void)state;
	assert_int_equal(SSM_OK,
			 ssm_document_validate(&pr, text, strlen(text), NULL));
	assert_int_equal(4, ssm_document_problems_count(pr));
	assert_string_equal("InvalidDocumentContent",
			    ssm_document_problem_code(pr, 0));
	assert_string_equal("line 12, column 1: unknown field 'extra' in the "
			    "document",
			    ssm_document_problem_message(pr, 0));
	assert_string_equal("", ssm_document_problem_field(pr, 0));
	assert_null(ssm_document_problem_step(pr, 0));
	assert_int_equal(3, ssm_document_problem_line(pr, 1));
	assert_int_equal(13, ssm_document_problem_column(pr, 1));
	assert_string_equal("parameters.p.type",
			    ssm_document_problem_field(pr, 1));
	assert_string_equal("a", ssm_document_problem_step(pr, 2));
	assert_string_equal("mainSteps[0].inputs.runCommand",
			    ssm_document_problem_field(pr, 2));
	assert_string_equal("line 10, column 20: step 'b': "
			    "mainSteps[1].precondition: unrecognized operator "
			    "'StringLike' (only StringEquals)",
			    ssm_document_problem_message(pr, 3));
	assert_null(ssm_document_problem_message(pr, 4));
	assert_null(ssm_document_problem_code(pr, 4));
	assert_int_equal(0, ssm_document_problem_line(pr, 4));
	ssm_document_problems_free(pr);
	/* a valid document has none; a syntax error has one with place */
	assert_int_equal(SSM_OK,
			 ssm_document_validate(&pr,
					       "{\"schemaVersion\":"
					       "\"1.0\",\"sessionType\":"
					       "\"Port\",\"properties\":"
					       "{\"portNumber\":\"1\"}}",
					       76, NULL));
	assert_int_equal(0, ssm_document_problems_count(pr));
	ssm_document_problems_free(pr);
	assert_int_equal(SSM_OK,
			 ssm_document_validate(&pr, "{\"a\": }", 7, NULL));
	assert_int_equal(1, ssm_document_problems_count(pr));
	assert_int_equal(1, ssm_document_problem_line(pr, 0));
	assert_int_equal(7, ssm_document_problem_column(pr, 0));
	ssm_document_problems_free(pr);
	ssm_document_problems_free(NULL);
}

static void preconditions_are_checked(void **state)
{
#undef FMT
#define FMT                                             \
	"schemaVersion: '%s'\n"                         \
	"parameters: {p: {type: String, default: x}}\n" \
	"mainSteps:\n"                                  \
	"  - action: aws:runShellScript\n"              \
	"    name: a\n"                                 \
	"    precondition: %s\n"                        \
	"    inputs: {runCommand: [ok]}\n"
	char text[512];

	(void)state;
	snprintf(text, sizeof(text), FMT, "2.0",
		 "{StringEquals: [platformType, Linux]}");
	expect_problem(
		text, "InvalidDocumentContent",
		"line 6, column 19: step 'a': mainSteps[0].precondition: "
		"Precondition is not supported for document schema "
		"version prior to 2.2");
	snprintf(text, sizeof(text), FMT, "2.2",
		 "{StringEquals: [platformType, platformType]}");
	expect_problem(
		text, "InvalidDocumentContent",
		"line 6, column 34: step 'a': mainSteps[0].precondition: "
		"the two arguments of StringEquals are identical");
	snprintf(text, sizeof(text), FMT, "2.2",
		 "{StringEquals: [platformType, '{{ p }}']}");
	expect_problem(
		text, "InvalidDocumentContent",
		"line 6, column 49: step 'a': mainSteps[0].precondition: "
		"the platform of a platformType comparison cannot come "
		"from a parameter");
	snprintf(text, sizeof(text), FMT, "2.2", "{StringEquals: [a, b]}");
	expect_problem(
		text, "InvalidDocumentContent",
		"line 6, column 34: step 'a': mainSteps[0].precondition: "
		"StringEquals compares platformType or a document "
		"parameter; neither argument is one");
	snprintf(text, sizeof(text), FMT, "2.2",
		 "{StringEquals: ['{{ssm:/x}}', '{{ p }}']}");
	expect_problem(
		text, "InvalidDocumentContent",
		"line 6, column 35: step 'a': mainSteps[0].precondition: "
		"preconditions may not use {{ssm:...}} or "
		"{{ssm-secure:...}} references");
	snprintf(text, sizeof(text), FMT, "2.2", "{StringEquals: [a]}");
	expect_problem(
		text, "InvalidDocumentContent",
		"line 6, column 34: step 'a': mainSteps[0].precondition: "
		"StringEquals takes a list of two strings");
}

static void session_documents_are_checked(void **state)
{
	(void)state;
	expect_problem("{\"schemaVersion\":\"1.0\",\"sessionType\":\"Shell\"}",
		       "InvalidDocumentContent",
		       "line 1, column 38: sessionType: sessionType must be "
		       "Standard_Stream, InteractiveCommands, "
		       "NonInteractiveCommands or Port");
	expect_problem(
		"{\"schemaVersion\":\"1.0\",\"sessionType\":"
		"\"Standard_Stream\"}",
		"InvalidDocumentContent",
		"line 1, column 1: inputs: Standard_Stream documents need "
		"inputs");
	expect_problem("{\"schemaVersion\":\"1.0\",\"sessionType\":"
		       "\"Standard_Stream\",\"inputs\":{\"idleSessionTimeout\":"
		       "\"61\"}}",
		       "InvalidDocumentContent",
		       "line 1, column 87: inputs: idleSessionTimeout "
		       "(minutes) must be 1 to 60");
	expect_problem("{\"schemaVersion\":\"1.0\",\"sessionType\":"
		       "\"Standard_Stream\",\"inputs\":{\"logToS3\":true}}",
		       "InvalidDocumentContent",
		       "line 1, column 66: inputs.logToS3: session inputs has "
		       "no input 'logToS3'");
	expect_problem("{\"schemaVersion\":\"1.0\",\"sessionType\":\"Port\","
		       "\"properties\":{\"portNumber\":\"70000\"}}",
		       "InvalidDocumentContent",
		       "line 1, column 72: properties: portNumber must be 1 to "
		       "65535");
	expect_problem("{\"schemaVersion\":\"1.0\",\"sessionType\":"
		       "\"InteractiveCommands\",\"properties\":{\"linux\":"
		       "{\"runAsElevated\":true}}}",
		       "InvalidDocumentContent",
		       "line 1, column 82: properties.linux: session commands "
		       "needs the input 'commands'");
	expect_problem("{\"schemaVersion\":\"1.0\",\"sessionType\":"
		       "\"InteractiveCommands\",\"properties\":{\"bsd\":"
		       "{\"commands\":\"x\"}}}",
		       "InvalidDocumentContent",
		       "line 1, column 74: properties: unknown field 'bsd' in "
		       "session properties");
}

static void automation_runbooks_are_checked(void **state)
{
#undef FMT
#define FMT                      \
	"schemaVersion: '0.3'\n" \
	"mainSteps:\n"           \
	"  - name: first\n"      \
	"    action: %s\n"       \
	"    %s\n"               \
	"  - name: second\n"     \
	"    action: aws:pause\n"
	char text[1024];

	(void)state;
	snprintf(text, sizeof(text), FMT, "aws:sleep",
		 "inputs: {Duration: 10 minutes}");
	expect_problem(text, "InvalidDocumentContent",
		       "line 5, column 24: step 'first': mainSteps[0].inputs: "
		       "Duration must be an ISO-8601 duration such as PT10M");
	snprintf(text, sizeof(text), FMT, "aws:sleep",
		 "inputs: {Duration: PT1M, Timestamp: '2024-10-21T12:00:00Z'}");
	expect_problem(text, "InvalidDocumentContent",
		       "line 5, column 13: step 'first': mainSteps[0].inputs: "
		       "aws:sleep needs either Duration or Timestamp");
	snprintf(text, sizeof(text), FMT, "aws:pause", "nextStep: third");
	expect_problem(text, "InvalidDocumentContent",
		       "line 5, column 15: step 'first': "
		       "mainSteps[0].nextStep: there is no step named 'third'");
	snprintf(text, sizeof(text), FMT, "aws:pause", "onFailure: Retry");
	expect_problem(text, "InvalidDocumentContent",
		       "line 5, column 16: step 'first': "
		       "mainSteps[0].onFailure: must be Abort, Continue or "
		       "step:<name>");
	snprintf(text, sizeof(text), FMT, "aws:pause", "onCancel: step:second");
	expect_problem(
		text, "InvalidDocumentContent",
		"line 5, column 15: step 'first': mainSteps[0].onCancel: "
		"a cancellation workflow cannot run aws:pause");
	snprintf(text, sizeof(text), FMT, "aws:branch",
		 "inputs: {Choices: [{NextStep: second, Variable: x, "
		 "StringLike: y}]}");
	expect_problem(text, "InvalidDocumentContent",
		       "line 5, column 56: step 'first': "
		       "mainSteps[0].inputs.Choices[0].StringLike: unsupported "
		       "operator 'StringLike'");
	snprintf(text, sizeof(text), FMT, "aws:branch",
		 "inputs: {Choices: [{NextStep: nowhere, Variable: x, "
		 "StringEquals: y}]}");
	expect_problem(text, "InvalidDocumentContent",
		       "line 5, column 35: step 'first': "
		       "mainSteps[0].inputs.Choices[0]: there is no step named "
		       "'nowhere'");
	snprintf(text, sizeof(text), FMT, "aws:executeScript",
		 "inputs: {Runtime: python3.11, Handler: h, Script: "
		 "'{{ssm:/x}}'}");
	expect_problem(text, "InvalidDocumentContent",
		       "line 5, column 55: step 'first': "
		       "mainSteps[0].inputs.Script: {{ssm:...}} references are "
		       "not allowed in Automation step inputs (use them in "
		       "parameter defaults)");
	snprintf(text, sizeof(text), FMT, "aws:approve",
		 "inputs: {Approvers: [a], MinRequiredApprovals: 2}");
	expect_problem(text, "InvalidDocumentContent",
		       "line 5, column 52: step 'first': mainSteps[0].inputs: "
		       "MinRequiredApprovals must be 1 to the number of "
		       "approvers");
	snprintf(text, sizeof(text), FMT, "aws:fly", "isEnd: true");
	expect_problem(text, "InvalidDocumentContent",
		       "line 4, column 13: step 'first': mainSteps[0].action: "
		       "unknown action 'aws:fly' (not an Automation action)");
	expect_problem("schemaVersion: '0.3'\nassumeRole: '{{ssm:/role}}'\n"
		       "mainSteps: [{name: a, action: aws:pause}]\n",
		       "InvalidDocumentContent",
		       "line 2, column 13: assumeRole: assumeRole cannot be a "
		       "{{ssm:...}} reference");
	expect_problem("schemaVersion: '0.3'\n"
		       "mainSteps: [{name: a-b, action: aws:pause}]\n",
		       "InvalidDocumentContent",
		       "line 2, column 20: mainSteps[0].name: step names may "
		       "use letters, digits and '_' only (1 to 128 "
		       "characters)");
	expect_problem("schemaVersion: '0.3'\n"
		       "mainSteps: [{name: a, action: aws:pause}]\n"
		       "outputs: [b.x]\n",
		       "InvalidDocumentContent",
		       "line 3, column 11: outputs[0]: there is no step named "
		       "'b'");
}

static void secure_references_only_where_secrets_go(void **state)
{
	ssm_document *d;

	(void)state;
	expect_problem(
		"schemaVersion: '2.2'\n"
		"mainSteps:\n"
		"  - action: aws:runShellScript\n"
		"    name: a\n"
		"    inputs: {runCommand: ['echo {{ssm-secure:/pw}}']}\n",
		"InvalidDocumentContent",
		"line 5, column 27: step 'a': "
		"mainSteps[0].inputs.runCommand[0]: {{ssm-secure:...}} "
		"references are not allowed in this field");
	expect_problem("schemaVersion: '2.2'\n"
		       "parameters: {p: {type: String, default: "
		       "'{{ssm-secure:/pw}}'}}\n"
		       "mainSteps:\n"
		       "  - action: aws:runShellScript\n"
		       "    name: a\n"
		       "    inputs: {runCommand: [x]}\n",
		       "InvalidDocumentContent",
		       "line 2, column 41: parameters.p.default: "
		       "{{ssm-secure:...}} references are not allowed in "
		       "parameters");
	d = parse_ok("schemaVersion: '2.2'\n"
		     "mainSteps:\n"
		     "  - action: aws:downloadContent\n"
		     "    name: get\n"
		     "    inputs:\n"
		     "      sourceType: GitHub\n"
		     "      sourceInfo:\n"
		     "        owner: me\n"
		     "        tokenInfo: '{{ssm-secure:/gh/token}}'\n");
	ssm_document_free(d);
}

/* ---- parameters ------------------------------------------------------------
 */

static void caller_values_are_coerced(void **state)
{
	const char *text = "schemaVersion: '0.3'\n"
			   "parameters:\n"
			   "  s: {type: String}\n"
			   "  l: {type: StringList}\n"
			   "  b: {type: Boolean}\n"
			   "  i: {type: Integer}\n"
			   "  m: {type: StringMap}\n"
			   "  ml: {type: MapList}\n"
			   "mainSteps:\n"
			   "  - name: a\n"
			   "    action: aws:executeScript\n"
			   "    inputs:\n"
			   "      Runtime: python3.11\n"
			   "      Handler: h\n"
			   "      Script: x\n"
			   "      InputPayload: {s: '{{s}}', l: '{{l}}', b: "
			   "'{{b}}', i: '{{i}}', m: '{{m}}', ml: '{{ml}}', "
			   "t: 'i={{i}} b={{b}} l={{l}}'}\n";
	const char *one_s[] = { "text" }, *one_b[] = { "TRUE" },
		   *one_i[] = { "-42" }, *one_l[] = { "[\"x\",\"y\"]" },
		   *one_m[] = { "{\"k\":\"v\"}" },
		   *two_ml[] = { "{\"a\":\"1\"}", "{\"b\":\"2\"}" };
	ssm_document_param_value pv[] = {
		{ "s", one_s, 1 }, { "l", one_l, 1 }, { "b", one_b, 1 },
		{ "i", one_i, 1 }, { "m", one_m, 1 }, { "ml", two_ml, 2 },
	};
	ssm_document_render_options o = SSM_DOCUMENT_RENDER_OPTIONS_INIT;
	ssm_document *d = parse_ok(text);
	ssm_document_plan *p = NULL;

	(void)state;
	o.params = pv;
	o.params_count = 6;
	assert_int_equal(SSM_OK, ssm_document_render(&p, d, &o));
	/* whole tokens keep the type; embedded ones are text (JSON for
	 * non-strings) */
	expect_inputs(
		p, 0,
		"{\"Runtime\":\"python3.11\",\"Handler\":\"h\",\"Script\":"
		"\"x\",\"InputPayload\":{\"s\":\"text\",\"l\":[\"x\","
		"\"y\"],\"b\":true,\"i\":-42,\"m\":{\"k\":\"v\"},\"ml\":"
		"[{\"a\":\"1\"},{\"b\":\"2\"}],\"t\":\"i=-42 b=true "
		"l=[\\\"x\\\",\\\"y\\\"]\"}}");
	ssm_document_plan_free(p);
	/* a StringList given as plain values */
	one_l[0] = "plain";
	assert_int_equal(SSM_OK, ssm_document_render(&p, d, &o));
	ssm_document_plan_free(p);
	/* type errors name the parameter */
	one_b[0] = "yes";
	assert_int_equal(SSM_EINVALID, ssm_document_render(&p, d, &o));
	assert_string_equal("InvalidAutomationExecutionParametersException",
			    ssm_error_last()->service_code);
	assert_string_equal("parameter \"b\" of type Boolean must be true or "
			    "false",
			    ssm_error_last()->message);
	one_b[0] = "false";
	one_i[0] = "2147483647";
	assert_int_equal(SSM_EINVALID, ssm_document_render(&p, d, &o));
	assert_string_equal("parameter \"i\" of type Integer must be an "
			    "integer between -2147483647 and 2147483646",
			    ssm_error_last()->message);
	one_i[0] = "1";
	one_m[0] = "[1]";
	assert_int_equal(SSM_EINVALID, ssm_document_render(&p, d, &o));
	assert_string_equal("parameter \"m\" of type StringMap must be a JSON "
			    "object",
			    ssm_error_last()->message);
	one_m[0] = "{}";
	pv[0].values = two_ml;
	pv[0].count = 2;
	assert_int_equal(SSM_EINVALID, ssm_document_render(&p, d, &o));
	assert_string_equal("parameter \"s\" of type String takes one value, "
			    "found 2",
			    ssm_error_last()->message);
	ssm_document_free(d);
}

static void missing_and_unknown_parameters_are_named(void **state)
{
	ssm_document *d =
		doc22("\"need\":{\"type\":\"String\"},\"opt\":{"
		      "\"type\":\"String\",\"default\":\"d\"}",
		      "\"runCommand\":[\"echo {{ need }} {{ opt }}\"]");
	ssm_document_render_options o = SSM_DOCUMENT_RENDER_OPTIONS_INIT;
	ssm_document_plan *p = NULL;

	(void)state;
	expect_render_error(d, "{}", "InvalidParameters",
			    "missing required parameter \"need\"");
	expect_render_error(d, "{\"need\":\"x\",\"other\":\"y\"}",
			    "InvalidParameters",
			    "the document does not support parameter "
			    "\"other\"");
	o.document_name = "MyDoc";
	o.params_json = "{\"need\":\"x\",\"other\":\"y\"}";
	assert_int_equal(SSM_EINVALID, ssm_document_render(&p, d, &o));
	assert_string_equal("document MyDoc does not support parameter "
			    "\"other\"",
			    ssm_error_last()->message);
	/* defaults fill what is left out */
	p = render(d, "{\"need\":\"x\"}", 0);
	expect_inputs(p, 0, "{\"runCommand\":[\"echo x d\"]}");
	ssm_document_plan_free(p);
	o.params_json = "[1]";
	assert_int_equal(SSM_EINVALID, ssm_document_render(&p, d, &o));
	assert_string_equal("params_json must be a JSON object of parameter "
			    "values",
			    ssm_error_last()->message);
	ssm_document_free(d);
}

static void constraints_are_enforced(void **state)
{
	ssm_document *d = doc22(
		"\"mode\":{\"type\":\"String\",\"allowedValues\":[\"Install\","
		"\"Uninstall\"],\"default\":\"Install\"},"
		"\"names\":{\"type\":\"StringList\",\"minItems\":1,"
		"\"maxItems\":2,\"maxChars\":3,\"default\":[\"a\"]},"
		"\"word\":{\"type\":\"String\",\"minChars\":\"2\","
		"\"maxChars\":\"garbage\",\"default\":\"ab\"}",
		"\"runCommand\":[\"{{mode}} {{names}} {{word}}\"]");

	(void)state;
	expect_render_error(d, "{\"mode\":\"install\"}", "InvalidParameters",
			    "Parameter \"mode\" has value \"install\" not "
			    "found in [Install, Uninstall].");
	expect_render_error(d, "{\"names\":[]}", "InvalidParameters",
			    "parameter \"names\": parameter value list length "
			    "0 is less than the min item count 1");
	expect_render_error(d, "{\"names\":[\"a\",\"b\",\"c\"]}",
			    "InvalidParameters",
			    "parameter \"names\": parameter value list length "
			    "3 exceeds the max item count 2");
	expect_render_error(d, "{\"names\":[\"abcd\"]}", "InvalidParameters",
			    "parameter \"names\": parameter value /abcd/ is "
			    "longer than the max char count 3");
	expect_render_error(
		d, "{\"word\":\"a\"}", "InvalidParameters",
		"parameter \"word\": parameter value /a/ is shorter "
		"than the min char count 2");
	/* garbage max is clamped to 2147483647 */
	ssm_document_plan_free(
		render(d, "{\"word\":\"a long word indeed\"}", 0));
	ssm_document_free(d);
}

/* allowedPattern finds anywhere (the agent's MatchString): an unanchored
 * pattern is permissive; it is checked before anything runs. */
static void allowed_pattern_has_find_semantics(void **state)
{
	ssm_document *d = doc22(
		"\"loose\":{\"type\":\"String\",\"allowedPattern\":\"[0-9]+\","
		"\"default\":\"1\"},\"strict\":{\"type\":\"String\","
		"\"allowedPattern\":\"^[0-9]+$\",\"default\":\"1\"}",
		"\"runCommand\":[\"sleep {{ loose }} {{ strict }}\"]");

	(void)state;
	ssm_document_plan_free(render(d, "{\"loose\":\"1; rm -rf /\"}", 0));
	expect_render_error(d, "{\"strict\":\"1; rm -rf /\"}",
			    "InvalidParameters",
			    "parameter \"strict\": parameter value /1; rm -rf "
			    "// does not match the allowed pattern /^[0-9]+$/");
	ssm_document_free(d);
}

static void catastrophic_patterns_fail_cleanly(void **state)
{
	ssm_document *d = doc22("\"p\":{\"type\":\"String\","
				"\"allowedPattern\":\"^(a+)+$\","
				"\"default\":\"a\"}",
				"\"runCommand\":[\"{{ p }}\"]");
	char params[20100];

	(void)state;
	snprintf(params, sizeof(params), "{\"p\":\"");
	memset(params + 6, 'a', 20000);
	snprintf(params + 20006, 10, "b\"}");
	expect_render_error(d, params, "InvalidParameters",
			    "parameter \"p\": the allowed pattern /^(a+)+$/ "
			    "could not be evaluated on the value (too "
			    "complex)");
	ssm_document_free(d);
}

static void parameter_values_count_against_64_kb(void **state)
{
	ssm_document *d = doc22("\"p\":{\"type\":\"String\",\"default\":\"\"}",
				"\"runCommand\":[\"{{ p }}\"]");
	char *big = malloc(SSM_DOCUMENT_MAX_SIZE);
	const char *vals[1] = { big };
	ssm_document_param_value pv = { "p", vals, 1 };
	ssm_document_render_options o = SSM_DOCUMENT_RENDER_OPTIONS_INIT;
	ssm_document_plan *p = NULL;

	(void)state;
	memset(big, 'x', SSM_DOCUMENT_MAX_SIZE - 1);
	big[SSM_DOCUMENT_MAX_SIZE - 1] = '\0';
	o.params = &pv;
	o.params_count = 1;
	assert_int_equal(SSM_ELIMIT, ssm_document_render(&p, d, &o));
	assert_string_equal("MaxDocumentSizeExceeded",
			    ssm_error_last()->service_code);
	free(big);
	ssm_document_free(d);
}

/* ---- interpolation (spec 1.4) ------------------------------------------- */

static void whole_token_takes_the_typed_value(void **state)
{
	/* 2.2's array form nests the list; plugins flatten it */
	ssm_document *d = doc22("\"commands\":{\"type\":\"StringList\"}",
				"\"runCommand\":[\"{{ commands }}\",\"{{"
				"commands}}\",\"echo end\"]");
	ssm_document_plan *p =
		render(d, "{\"commands\":[\"a\",\"b\"]}", SSM_DOCUMENT_LINUX);
	const ssm_doc_plan *plan = p->plan;
	const char **lines;
	size_t n;
	ssm_arena a = SSM_ARENA_INIT;

	(void)state;
	expect_inputs(p, 0,
		      "{\"runCommand\":[[\"a\",\"b\"],[\"a\",\"b\"],\"echo "
		      "end\"]}");
	assert_int_equal(SSM_OK, ssm_doc__run_command_lines(
					 &lines, &n, &a,
					 ssm_json_get(plan->steps[0].inputs,
						      "runCommand")));
	assert_int_equal(5, n);
	assert_string_equal("a", lines[0]);
	assert_string_equal("echo end", lines[4]);
	ssm_arena_dispose(&a);
	ssm_document_plan_free(p);
	ssm_document_free(d);
}

static void embedded_tokens_are_text(void **state)
{
	ssm_document *d = doc22(
		"\"who\":{\"type\":\"String\"},\"list\":{\"type\":"
		"\"StringList\",\"default\":[\"x\",\"y\"]}",
		"\"runCommand\":[\"echo hi {{who}}, {{ who }}!\",\"for i in "
		"{{ list }}\"]");
	ssm_document_plan *p = render(d, "{\"who\":\"bob\"}", 0);

	(void)state;
	expect_inputs(p, 0,
		      "{\"runCommand\":[\"echo hi bob, bob!\",\"for i in "
		      "[\\\"x\\\",\\\"y\\\"]\"]}");
	ssm_document_plan_free(p);
	ssm_document_free(d);
}

static void double_dollars_collapse_after_conversion(void **state)
{
	ssm_document *d = doc22("\"v\":{\"type\":\"String\"}",
				"\"runCommand\":[\"echo $${{ v }} $$$$\","
				"\"echo $$ unchanged\"]");
	ssm_document_plan *p = render(d, "{\"v\":\"HOME\"}", 0);

	(void)state;
	/* a string that had a token replaced: every $$ becomes $; others
	 * stay as written */
	expect_inputs(p, 0,
		      "{\"runCommand\":[\"echo $HOME $$\",\"echo $$ "
		      "unchanged\"]}");
	ssm_document_plan_free(p);
	ssm_document_free(d);
}

static void replaced_values_are_not_scanned_again(void **state)
{
	ssm_document *d = doc22("\"a\":{\"type\":\"String\"},\"b\":{\"type\":"
				"\"String\",\"default\":\"B\"}",
				"\"runCommand\":[\"{{ a }}\",\"x {{ a }} "
				"{{ nope }} {{ b }}\"]");
	ssm_document_plan *p = render(d, "{\"a\":\"{{ b }}\"}", 0);

	(void)state;
	/* no recursive expansion; unknown tokens stay verbatim */
	expect_inputs(p, 0,
		      "{\"runCommand\":[\"{{ b }}\",\"x {{ b }} {{ nope }} "
		      "B\"]}");
	ssm_document_plan_free(p);
	ssm_document_free(d);
}

static void env_var_parameters_reach_scripts_as_environment(void **state)
{
	size_t len;
	char path[512];
	char *text;
	ssm_document *d = NULL;
	ssm_document_plan *p;
	ssm_buf b = SSM_BUF_INIT;
	const char *ps = "{\"schemaVersion\":\"2.2\",\"parameters\":{\"M\":{"
			 "\"type\":\"String\",\"interpolationType\":"
			 "\"ENV_VAR\"}},\"mainSteps\":[{\"action\":"
			 "\"aws:runPowerShellScript\",\"name\":\"w\","
			 "\"inputs\":{\"runCommand\":[\"Write-Host "
			 "{{M}}\"],\"workingDirectory\":\"C:\\\\{{M}}\"}}]}";

	(void)state;
	snprintf(path, sizeof(path), "%s/spec-env-var.json", data_dir);
	text = slurp(path, &len);
	assert_int_equal(SSM_OK, ssm_document_parse(&d, text, len, NULL));
	p = render(d, "{\"Message\":\"it's $(id)\"}", SSM_DOCUMENT_LINUX);
	/* the value never becomes shell text */
	expect_inputs(p, 0,
		      "{\"runCommand\":[\"echo \\\"${SSM_Message}\\\"\"]}");
	assert_int_equal(SSM_OK, ssm_document_plan_json(&b, p, 0));
	assert_non_null(strstr(b.ptr, "\"Environment\":{\"SSM_Message\":"
				      "\"it's $(id)\"}"));
	ssm_buf_dispose(&b);
	ssm_document_plan_free(p);
	/* the allowedPattern still applies */
	expect_render_error(d, "{\"Message\":\"say \\\"hi\\\"\"}",
			    "InvalidParameters",
			    "parameter \"Message\": parameter value /say "
			    "\"hi\"/ does not match the allowed pattern "
			    "/^[^\"]*$/");
	ssm_document_free(d);
	free(text);
	/* PowerShell reads $env:SSM_<name>; other inputs get the text */
	d = parse_ok(ps);
	p = render(d, "{\"M\":\"x\"}", SSM_DOCUMENT_WINDOWS);
	expect_inputs(p, 0,
		      "{\"runCommand\":[\"Write-Host $env:SSM_M\"],"
		      "\"workingDirectory\":\"C:\\\\x\"}");
	ssm_document_plan_free(p);
	ssm_document_free(d);
}

/* A resolver for the tests: a fixed table, counting calls. */
struct table_resolver {
	int calls;
	size_t last_count;
	int fail;
	const char *names[8];
	const char *values[8];
	ssm_document_reference_type types[8];
	bool seen_secure[8];
};

static int table_resolve(ssm_document_reference *refs, size_t count,
			 void *payload)
{
	struct table_resolver *t = payload;
	size_t i, k;

	t->calls++;
	t->last_count = count;
	if (t->fail)
		return t->fail;
	for (i = 0; i < count; i++)
		for (k = 0; k < 8 && t->names[k]; k++)
			if (strcmp(refs[i].name, t->names[k]) == 0) {
				refs[i].type = t->types[k];
				refs[i].value = t->values[k];
				t->seen_secure[k] = refs[i].with_decryption;
			}
	return 0;
}

static ssm_err render_with(ssm_document_plan **p, ssm_document *d,
			   const char *params_json, struct table_resolver *t,
			   unsigned flags)
{
	ssm_document_render_options o = SSM_DOCUMENT_RENDER_OPTIONS_INIT;

	o.params_json = params_json;
	o.resolve_cb = table_resolve;
	o.resolve_payload = t;
	o.flags = flags;
	return ssm_document_render(p, d, &o);
}

static void parameter_store_references_resolve_in_one_batch(void **state)
{
	struct table_resolver t = {
		.names = { "/app/host", "/app/port:3", "/app/list" },
		.values = { "db1", "5432", "a,b,,c" },
		.types = { SSM_DOCUMENT_REFERENCE_STRING,
			   SSM_DOCUMENT_REFERENCE_STRING,
			   SSM_DOCUMENT_REFERENCE_STRING_LIST },
	};
	ssm_document *d = doc22(
		"\"target\":{\"type\":\"String\",\"default\":"
		"\"{{ssm:/app/host}}\"}",
		"\"runCommand\":[\"connect {{ target }}:{{ssm:/app/port:3}}\","
		"\"{{ ssm:/app/list }}\",\"again {{ssm:/app/host}}\"]");
	ssm_document_plan *p = NULL;

	(void)state;
	assert_int_equal(SSM_OK, render_with(&p, d, NULL, &t, 0));
	/* unique names, one call; versions ride in the name */
	assert_int_equal(1, t.calls);
	assert_int_equal(3, t.last_count);
	/* a StringList element is split on every ',' */
	expect_inputs(p, 0,
		      "{\"runCommand\":[\"connect db1:5432\",\"a\",\"b\","
		      "\"\",\"c\",\"again db1\"]}");
	ssm_document_plan_free(p);
	/* leave them for the node to resolve */
	assert_int_equal(SSM_OK,
			 render_with(&p, d, NULL, &t,
				     SSM_DOCUMENT_RENDER_KEEP_REFERENCES));
	assert_int_equal(1, t.calls);
	expect_inputs(p, 0,
		      "{\"runCommand\":[\"connect {{ssm:/app/host}}:{{ssm:/app/"
		      "port:3}}\",\"{{ ssm:/app/list }}\",\"again "
		      "{{ssm:/app/host}}\"]}");
	ssm_document_plan_free(p);
	/* without a resolver nothing is resolved */
	p = render(d, NULL, 0);
	expect_inputs(p, 0,
		      "{\"runCommand\":[\"connect {{ssm:/app/host}}:{{ssm:/app/"
		      "port:3}}\",\"{{ ssm:/app/list }}\",\"again "
		      "{{ssm:/app/host}}\"]}");
	ssm_document_plan_free(p);
	ssm_document_free(d);
}

static void reference_errors_fail_before_anything_runs(void **state)
{
	struct table_resolver t = {
		.names = { "/list", "/secret", "/ok" },
		.values = { "a,b", "hunter2", "fine" },
		.types = { SSM_DOCUMENT_REFERENCE_STRING_LIST,
			   SSM_DOCUMENT_REFERENCE_SECURE_STRING,
			   SSM_DOCUMENT_REFERENCE_STRING },
	};
	ssm_document *d;
	ssm_document_plan *p = NULL;

	(void)state;
	d = doc22("", "\"runCommand\":[\"echo {{ssm:/list}}\"]");
	assert_int_equal(SSM_EINVALID, render_with(&p, d, NULL, &t, 0));
	assert_null(p);
	assert_string_equal("InvalidParameters",
			    ssm_error_last()->service_code);
	assert_string_equal("Parameter /list of type StringList cannot be used "
			    "as a String",
			    ssm_error_last()->message);
	ssm_document_free(d);
	d = doc22("", "\"runCommand\":\"{{ssm:/list}}\"");
	assert_int_equal(SSM_EINVALID, render_with(&p, d, NULL, &t, 0));
	assert_string_equal("Parameter /list of type StringList cannot be used "
			    "as a String",
			    ssm_error_last()->message);
	ssm_document_free(d);
	d = doc22("", "\"runCommand\":[\"echo {{ssm:/secret}}\"]");
	assert_int_equal(SSM_EINVALID, render_with(&p, d, NULL, &t, 0));
	assert_string_equal("Parameters [/secret] of type SecureString are not "
			    "supported",
			    ssm_error_last()->message);
	ssm_document_free(d);
	d = doc22("", "\"runCommand\":[\"{{ssm:/nope}} {{ssm:/ok}} "
		      "{{ssm:/gone:2}} {{ssm:/nope}}\"]");
	assert_int_equal(SSM_EINVALID, render_with(&p, d, NULL, &t, 0));
	assert_string_equal("Input contains invalid parameters [/nope, "
			    "/gone:2]",
			    ssm_error_last()->message);
	/* a resolver that gives up */
	t.fail = 7;
	assert_int_equal(SSM_EUSER, render_with(&p, d, NULL, &t, 0));
	assert_string_equal("the reference resolver failed (7)",
			    ssm_error_last()->message);
	ssm_document_free(d);
}

static void patterns_apply_to_resolved_values(void **state)
{
	struct table_resolver t = {
		.names = { "/port", "/bad" },
		.values = { "8080", "80; reboot" },
		.types = { SSM_DOCUMENT_REFERENCE_STRING,
			   SSM_DOCUMENT_REFERENCE_STRING },
	};
	ssm_document *d = doc22("\"port\":{\"type\":\"String\","
				"\"allowedPattern\":\"^[0-9]+$\","
				"\"maxChars\":2}",
				"\"runCommand\":[\"listen {{ port }}\"]");
	ssm_document_plan *p = NULL;

	(void)state;
	/* a value holding a reference skips the optional checks (maxChars)
	 * and meets the pattern once resolved */
	assert_int_equal(
		SSM_OK,
		render_with(&p, d, "{\"port\":\"{{ssm:/port}}\"}", &t, 0));
	expect_inputs(p, 0, "{\"runCommand\":[\"listen 8080\"]}");
	ssm_document_plan_free(p);
	assert_int_equal(
		SSM_EINVALID,
		render_with(&p, d, "{\"port\":\"{{ssm:/bad}}\"}", &t, 0));
	assert_string_equal("parameter \"port\": parameter value /80; reboot/ "
			    "does not match the allowed pattern /^[0-9]+$/",
			    ssm_error_last()->message);
	ssm_document_free(d);
}

static void secure_values_are_kept_out_of_redacted_plans(void **state)
{
	struct table_resolver t = {
		.names = { "/gh/token" },
		.values = { "ghp_s3cr3t" },
		.types = { SSM_DOCUMENT_REFERENCE_SECURE_STRING },
	};
	ssm_document *d =
		parse_ok("schemaVersion: '2.2'\n"
			 "mainSteps:\n"
			 "  - action: aws:downloadContent\n"
			 "    name: get\n"
			 "    inputs:\n"
			 "      sourceType: GitHub\n"
			 "      sourceInfo:\n"
			 "        owner: me\n"
			 "        tokenInfo: '{{ssm-secure:/gh/token}}'\n"
			 "        path: '{{ p }}'\n"
			 "parameters: {p: {type: String}}\n");
	ssm_document_plan *p = NULL;
	ssm_buf b = SSM_BUF_INIT;

	(void)state;
	/* path is not a secret field: a reference a value brings there
	 * stays as written */
	assert_int_equal(SSM_OK,
			 render_with(&p, d,
				     "{\"p\":\"x {{ssm-secure:/gh/token}} y\"}",
				     &t, 0));
	assert_true(t.seen_secure[0]);
	expect_inputs(p, 0,
		      "{\"sourceType\":\"GitHub\",\"sourceInfo\":{\"owner\":"
		      "\"me\",\"tokenInfo\":\"ghp_s3cr3t\",\"path\":\"x "
		      "{{ssm-secure:/gh/token}} y\"}}");
	assert_int_equal(SSM_OK, ssm_document_plan_json(
					 &b, p, SSM_DOCUMENT_PLAN_REDACT));
	assert_null(strstr(b.ptr, "ghp_s3cr3t"));
	assert_non_null(strstr(b.ptr, "\"tokenInfo\":"
				      "\"{{ssm-secure:/gh/token}}\""));
	ssm_buf_dispose(&b);
	assert_int_equal(SSM_OK, ssm_document_plan_step_inputs(
					 &b, p, 0, SSM_DOCUMENT_PLAN_REDACT));
	assert_null(strstr(b.ptr, "ghp_s3cr3t"));
	ssm_buf_dispose(&b);
	ssm_document_plan_free(p);
	ssm_document_free(d);
}

static ssm_err step_outputs(const ssm_json **out, void *payload,
			    const char *step, size_t step_len, const char *name,
			    size_t name_len)
{
	ssm_json_doc *doc = payload;

	*out = NULL;
	if (step_len == 7 && memcmp(step, "restart", 7) == 0 && name_len == 9 &&
	    memcmp(name, "CommandId", 9) == 0)
		*out = ssm_json_doc_root(doc);
	return SSM_OK;
}

static void automation_variables_and_step_outputs(void **state)
{
	size_t len;
	char path[512];
	char *text = NULL;
	ssm_doc *doc = NULL;
	ssm_doc_bound *bound = NULL;
	ssm_doc_bind_args ba = { 0 };
	ssm_doc_render_args ra = { 0 };
	ssm_doc_plan *plan = NULL;
	ssm_json_doc *ids = NULL, *pj = NULL;
	ssm_str out = SSM_STR_INIT;

	(void)state;
	snprintf(path, sizeof(path), "%s/spec-automation.yaml", data_dir);
	text = slurp(path, &len);
	assert_int_equal(SSM_OK, ssm_doc__parse(&doc, text, len, 0, 0, NULL));
	assert_int_equal(
		SSM_OK,
		ssm_json_parse(&pj, "{\"InstanceIds\":[\"i-1\"]}", 23, NULL));
	assert_int_equal(SSM_OK, ssm_json_parse(&ids, "\"cmd-1\"", 7, NULL));
	ba.params_json = pj->root;
	assert_int_equal(SSM_OK, ssm_doc__bind(&bound, doc, &ba));
	ra.now_ms = 1729512000000; /* 2024-10-21T12:00:00Z */
	ra.execution_id = "exec-1";
	ra.step_output = step_outputs;
	ra.step_output_payload = ids;
	assert_int_equal(SSM_OK, ssm_doc__render(&plan, doc, bound, &ra));
	assert_int_equal(SSM_OK, ssm_doc__plan_write_value(
					 &out, plan, plan->steps[1].inputs, 0));
	assert_string_equal("{\"Approvers\":[\"arn:aws:iam::123456789012:role/"
			    "ops\"],\"MinRequiredApprovals\":1,\"Message\":"
			    "\"Restart on 2024-10-21\"}",
			    out.ptr);
	ssm_str_clear(&out);
	assert_int_equal(SSM_OK, ssm_doc__plan_write_value(
					 &out, plan, plan->steps[4].inputs, 0));
	assert_non_null(strstr(out.ptr, "\"InputPayload\":{\"command\":"
					"\"cmd-1\",\"execution\":\"exec-1\","
					"\"tags\":{\"team\":\"core\"}}"));
	ssm_str_clear(&out);
	/* branch variables take the typed value */
	assert_int_equal(SSM_OK, ssm_doc__plan_write_value(
					 &out, plan, plan->steps[0].inputs, 0));
	assert_string_equal("{\"Choices\":[{\"NextStep\":\"approve\","
			    "\"Variable\":false,\"BooleanEquals\":true}],"
			    "\"Default\":\"restart\"}",
			    out.ptr);
	assert_int_equal(3600, plan->steps[1].timeout_s);
	assert_int_equal(600, plan->steps[4].timeout_s);
	assert_int_equal(2, doc->steps[2].max_attempts);
	assert_false(doc->steps[2].is_end);
	assert_true(doc->steps[4].is_end);
	ssm_str_dispose(&out);
	ssm_doc__plan_free(plan);
	ssm_doc__bound_free(bound);
	ssm_json_doc_free(ids);
	ssm_json_doc_free(pj);
	ssm_doc__free(doc);
	free(text);
}

static void global_variables_only_in_automation(void **state)
{
	ssm_document *d = doc22("", "\"runCommand\":[\"echo {{ global:REGION "
				    "}}\"]");
	ssm_document_plan *p = render(d, NULL, 0);

	(void)state;
	expect_inputs(p, 0, "{\"runCommand\":[\"echo {{ global:REGION }}\"]}");
	ssm_document_plan_free(p);
	ssm_document_free(d);
}

/* ---- plans
 * -------------------------------------------------------------------- */

static void preconditions_decide_per_platform(void **state)
{
	size_t len;
	char path[512];
	char *text;
	ssm_document *d = NULL;
	ssm_document_plan *p;
	ssm_buf b = SSM_BUF_INIT;

	(void)state;
	snprintf(path, sizeof(path), "%s/spec-command-2.2.yaml", data_dir);
	text = slurp(path, &len);
	assert_int_equal(SSM_OK, ssm_document_parse(&d, text, len, NULL));
	p = render(d, NULL, SSM_DOCUMENT_LINUX);
	assert_int_equal(2, ssm_document_plan_steps_count(p));
	assert_int_equal(SSM_DOCUMENT_STEP_RUN,
			 ssm_document_plan_step_state(p, 0));
	assert_null(ssm_document_plan_step_reason(p, 0));
	assert_int_equal(SSM_DOCUMENT_STEP_SKIP,
			 ssm_document_plan_step_state(p, 1));
	assert_string_equal("precondition StringEquals [platformType, "
			    "Windows] is false on Linux",
			    ssm_document_plan_step_reason(p, 1));
	assert_string_equal("install", ssm_document_plan_step_name(p, 0));
	assert_string_equal("aws:runPowerShellScript",
			    ssm_document_plan_step_action(p, 1));
	assert_int_equal(SSM_DOCUMENT_STEP_FAIL,
			 ssm_document_plan_step_state(p, 2));
	assert_null(ssm_document_plan_step_name(p, 2));
	assert_int_equal(SSM_EINVALID,
			 ssm_document_plan_step_inputs(&b, p, 2, 0));
	assert_int_equal(SSM_OK, ssm_document_plan_json(
					 &b, p, SSM_DOCUMENT_PLAN_PRETTY));
	assert_non_null(strstr(b.ptr, "\"State\": \"Skip\""));
	ssm_buf_dispose(&b);
	ssm_document_plan_free(p);
	p = render(d, NULL, SSM_DOCUMENT_WINDOWS);
	assert_int_equal(SSM_DOCUMENT_STEP_SKIP,
			 ssm_document_plan_step_state(p, 0));
	assert_int_equal(SSM_DOCUMENT_STEP_RUN,
			 ssm_document_plan_step_state(p, 1));
	ssm_document_plan_free(p);
	ssm_document_free(d);
	free(text);
	/* a parameter comparison */
	d = parse_ok("schemaVersion: '2.2'\n"
		     "parameters: {mode: {type: String, default: fast}}\n"
		     "mainSteps:\n"
		     "  - action: aws:runShellScript\n"
		     "    name: a\n"
		     "    precondition: {StringEquals: ['{{ mode }}', slow]}\n"
		     "    inputs: {runCommand: [x]}\n");
	p = render(d, NULL, 0);
	assert_int_equal(SSM_DOCUMENT_STEP_SKIP,
			 ssm_document_plan_step_state(p, 0));
	assert_string_equal("precondition StringEquals [fast, slow] is false",
			    ssm_document_plan_step_reason(p, 0));
	ssm_document_plan_free(p);
	p = render(d, "{\"mode\":\"slow\"}", 0);
	assert_int_equal(SSM_DOCUMENT_STEP_RUN,
			 ssm_document_plan_step_state(p, 0));
	ssm_document_plan_free(p);
	ssm_document_free(d);
}

static void plugins_off_their_platform_skip_or_fail(void **state)
{
#undef FMT
#define FMT                                                 \
	"{\"schemaVersion\":\"%s\",\"mainSteps\":[{"        \
	"\"action\":\"aws:runShellScript\",\"name\":\"a\"," \
	"\"inputs\":{\"runCommand\":[\"x\"]}}]}"
	char text[256];
	ssm_document *d;
	ssm_document_plan *p;

	(void)state;
	snprintf(text, sizeof(text), FMT, "2.2");
	d = parse_ok(text);
	p = render(d, NULL, SSM_DOCUMENT_WINDOWS);
	assert_int_equal(SSM_DOCUMENT_STEP_SKIP,
			 ssm_document_plan_step_state(p, 0));
	assert_string_equal("aws:runShellScript does not run on Windows",
			    ssm_document_plan_step_reason(p, 0));
	ssm_document_plan_free(p);
	ssm_document_free(d);
	snprintf(text, sizeof(text), FMT, "2.0");
	d = parse_ok(text);
	p = render(d, NULL, SSM_DOCUMENT_WINDOWS);
	assert_int_equal(SSM_DOCUMENT_STEP_FAIL,
			 ssm_document_plan_step_state(p, 0));
	ssm_document_plan_free(p);
	p = render(d, NULL, SSM_DOCUMENT_MACOS);
	assert_int_equal(SSM_DOCUMENT_STEP_RUN,
			 ssm_document_plan_step_state(p, 0));
	ssm_document_plan_free(p);
	ssm_document_free(d);
}

static void timeouts_are_normalised_as_the_agent_does(void **state)
{
	struct {
		const char *json;
		int64_t want;
	} cases[] = {
		{ "\"600\"", 600 },
		{ "600", 600 },
		{ "\"10.9\"", 10 },
		{ "99.5", 99 },
		{ "\"4\"", 3600 },
		{ "5", 5 },
		{ "172800", 172800 },
		{ "172801", 3600 },
		{ "\"abc\"", 3600 },
		{ "\"-10\"", 3600 },
		{ "true", 3600 },
		{ "\" 30 \"", 30 },
		{ "\"99999999999\"", 3600 },
		{ "0", 3600 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ssm_json_doc *j = NULL;

		assert_int_equal(SSM_OK,
				 ssm_json_parse(&j, cases[i].json,
						strlen(cases[i].json), NULL));
		if (ssm_doc__timeout(j->root) != cases[i].want)
			fail_msg("%s: %lld", cases[i].json,
				 (long long)ssm_doc__timeout(j->root));
		ssm_json_doc_free(j);
	}
	assert_int_equal(3600, ssm_doc__timeout(NULL));
}

static void control_inputs_reach_the_plan(void **state)
{
	ssm_document *d = parse_ok(
		"schemaVersion: '2.2'\n"
		"mainSteps:\n"
		"  - {action: aws:runShellScript, name: a, inputs: "
		"{runCommand: "
		"[x], onFailure: exit, onSuccess: exit, finallyStep: true}}\n"
		"  - {action: aws:runShellScript, name: b, inputs: "
		"{runCommand: "
		"[y], onFailure: successAndExit, finallyStep: 'true', "
		"timeoutSeconds: '60'}}\n");
	ssm_document_plan *p = render(d, NULL, 0);
	ssm_buf b = SSM_BUF_INIT;

	(void)state;
	assert_int_equal(SSM_OK, ssm_document_plan_json(&b, p, 0));
	/* finallyStep counts on the last step only */
	assert_non_null(strstr(b.ptr,
			       "\"Name\":\"a\",\"Action\":"
			       "\"aws:runShellScript\",\"State\":\"Run\","
			       "\"TimeoutSeconds\":3600,\"OnFailure\":"
			       "\"exit\",\"OnSuccess\":\"exit\","
			       "\"Inputs\""));
	assert_non_null(strstr(b.ptr, "\"TimeoutSeconds\":60,\"OnFailure\":"
				      "\"successAndExit\",\"FinallyStep\":"
				      "true"));
	ssm_buf_dispose(&b);
	ssm_document_plan_free(p);
	ssm_document_free(d);
}

static void session_plans_pick_the_platform(void **state)
{
	size_t len;
	char path[512];
	char *text;
	ssm_document *d = NULL;
	ssm_document_plan *p;
	ssm_buf b = SSM_BUF_INIT;

	(void)state;
	snprintf(path, sizeof(path), "%s/spec-session.yaml", data_dir);
	text = slurp(path, &len);
	assert_int_equal(SSM_OK, ssm_document_parse(&d, text, len, NULL));
	p = render(d, "{\"logpath\":\"/var/log/app.log\"}", SSM_DOCUMENT_LINUX);
	expect_inputs(p, 0,
		      "{\"commands\":\"tail -f /var/log/app.log\","
		      "\"runAsElevated\":true}");
	assert_int_equal(0, ssm_document_plan_step_timeout_s(p, 0));
	ssm_document_plan_free(p);
	p = render(d, NULL, SSM_DOCUMENT_WINDOWS);
	assert_int_equal(SSM_DOCUMENT_STEP_FAIL,
			 ssm_document_plan_step_state(p, 0));
	assert_string_equal("the document has no windows commands",
			    ssm_document_plan_step_reason(p, 0));
	ssm_document_plan_free(p);
	expect_render_error(
		d, "{\"logpath\":\"/tmp/x; id\"}", "InvalidParameters",
		"parameter \"logpath\": parameter value //tmp/x; id/ does "
		"not match the allowed pattern /^[a-zA-Z0-9_./-]+$/");
	ssm_document_free(d);
	free(text);
	snprintf(path, sizeof(path), "%s/spec-session-prefs.json", data_dir);
	text = slurp(path, &len);
	assert_int_equal(SSM_OK, ssm_document_parse(&d, text, len, NULL));
	p = render(d, NULL, 0);
	assert_int_equal(SSM_OK, ssm_document_plan_json(&b, p, 0));
	assert_non_null(strstr(b.ptr, "\"SessionInputs\":{\"s3BucketName\":"
				      "\"logs\""));
	ssm_buf_dispose(&b);
	ssm_document_plan_free(p);
	ssm_document_free(d);
	free(text);
}

/* ---- options and arguments --------------------------------------------------
 */

static void options_are_versioned(void **state)
{
	ssm_document_parse_options po;
	ssm_document_render_options ro;
	ssm_document *d = NULL;
	ssm_document_plan *p = NULL;

	(void)state;
	assert_int_equal(SSM_OK, ssm_document_parse_options_init(&po, 1));
	assert_int_equal(SSM_EINVALID, ssm_document_parse_options_init(&po, 2));
	assert_string_equal("ssm_document_parse_options version 2 is not "
			    "supported (1..1)",
			    ssm_error_last()->message);
	assert_int_equal(SSM_OK, ssm_document_render_options_init(&ro, 1));
	assert_int_equal(SSM_EINVALID,
			 ssm_document_render_options_init(NULL, 1));
	po.version = 0;
	assert_int_equal(SSM_EINVALID, ssm_document_parse(&d, "{}", 2, &po));
	po.version = 1;
	po.format = (ssm_document_format)9;
	assert_int_equal(SSM_EINVALID, ssm_document_parse(&d, "{}", 2, &po));
	d = doc22("", "\"runCommand\":[\"x\"]");
	ro.platform = (ssm_document_platform)7;
	assert_int_equal(SSM_EINVALID, ssm_document_render(&p, d, &ro));
	ro.platform = 0;
	ro.params_count = 1;
	assert_int_equal(SSM_EINVALID, ssm_document_render(&p, d, &ro));
	ssm_document_free(d);
	ssm_document_free(NULL);
	ssm_document_plan_free(NULL);
}

/* ---- allocation failures ----------------------------------------------------
 */

static void parsing_survives_every_allocation_failure(void **state)
{
	const char *inputs[] = {
		"spec-command-2.2.yaml",
		"spec-command-1.2.json",
		"spec-automation.yaml",
		"spec-session.yaml",
	};
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(inputs) / sizeof(inputs[0]); k++) {
		char path[512];
		size_t len;
		char *text;
		uint64_t nth;

		snprintf(path, sizeof(path), "%s/%s", data_dir, inputs[k]);
		text = slurp(path, &len);
		for (nth = 1; nth < 100000; nth++) {
			ssm_document *d = NULL;
			ssm_document_problems *pr = NULL;
			ssm_document_plan *p = NULL;
			ssm_document_render_options o =
				SSM_DOCUMENT_RENDER_OPTIONS_INIT;
			ssm_err e1, e2, e3 = SSM_OK;

			o.params_json = k == 1	 ? "{\"commands\":[\"ls\"]}"
					: k == 2 ? "{\"InstanceIds\":[\"i-1\"]}"
						 : NULL;
			ssm__alloc_fail_at(nth, false);
			e1 = ssm_document_parse(&d, text, len, NULL);
			if (e1 == SSM_OK)
				e3 = ssm_document_render(&p, d, &o);
			e2 = ssm_document_validate(&pr, text, len, NULL);
			ssm__alloc_fail_at(0, false);
			if (e1 != SSM_OK && e1 != SSM_ERROR)
				fail_msg("%s at %llu: %d %s", inputs[k],
					 (unsigned long long)nth, e1,
					 ssm_error_last()->message);
			assert_true(e2 == SSM_OK || e2 == SSM_ERROR);
			if (e3 != SSM_OK && e3 != SSM_ERROR)
				fail_msg("render %s at %llu: %d %s", inputs[k],
					 (unsigned long long)nth, e3,
					 ssm_error_last()->message);
			if (e1 == SSM_OK)
				assert_non_null(d);
			else
				assert_null(d);
			if (e2 == SSM_OK)
				assert_int_equal(
					0, ssm_document_problems_count(pr));
			ssm_document_plan_free(p);
			ssm_document_problems_free(pr);
			ssm_document_free(d);
			if (e1 == SSM_OK && e2 == SSM_OK && e3 == SSM_OK &&
			    ssm__alloc_failures() == 0)
				break;
		}
		assert_true(nth > 10);
		free(text);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(enum_names_round_trip),
		cmocka_unit_test(spec_examples_parse_and_render),
		cmocka_unit_test(builtins_are_valid_documents),
		cmocka_unit_test(run_shell_script_builtin_has_aws_parameters),
		cmocka_unit_test(content_errors_name_the_place),
		cmocka_unit_test(schema_versions_must_fit_the_type),
		cmocka_unit_test(documents_over_64_kb_are_refused),
		cmocka_unit_test(validate_lists_every_problem),
		cmocka_unit_test(preconditions_are_checked),
		cmocka_unit_test(session_documents_are_checked),
		cmocka_unit_test(automation_runbooks_are_checked),
		cmocka_unit_test(secure_references_only_where_secrets_go),
		cmocka_unit_test(caller_values_are_coerced),
		cmocka_unit_test(missing_and_unknown_parameters_are_named),
		cmocka_unit_test(constraints_are_enforced),
		cmocka_unit_test(allowed_pattern_has_find_semantics),
		cmocka_unit_test(catastrophic_patterns_fail_cleanly),
		cmocka_unit_test(parameter_values_count_against_64_kb),
		cmocka_unit_test(whole_token_takes_the_typed_value),
		cmocka_unit_test(embedded_tokens_are_text),
		cmocka_unit_test(double_dollars_collapse_after_conversion),
		cmocka_unit_test(replaced_values_are_not_scanned_again),
		cmocka_unit_test(
			env_var_parameters_reach_scripts_as_environment),
		cmocka_unit_test(
			parameter_store_references_resolve_in_one_batch),
		cmocka_unit_test(reference_errors_fail_before_anything_runs),
		cmocka_unit_test(patterns_apply_to_resolved_values),
		cmocka_unit_test(secure_values_are_kept_out_of_redacted_plans),
		cmocka_unit_test(automation_variables_and_step_outputs),
		cmocka_unit_test(global_variables_only_in_automation),
		cmocka_unit_test(preconditions_decide_per_platform),
		cmocka_unit_test(plugins_off_their_platform_skip_or_fail),
		cmocka_unit_test(timeouts_are_normalised_as_the_agent_does),
		cmocka_unit_test(control_inputs_reach_the_plan),
		cmocka_unit_test(session_plans_pick_the_platform),
		cmocka_unit_test(options_are_versioned),
		cmocka_unit_test(parsing_survives_every_allocation_failure),
	};
	int failed;

	if (argc > 1)
		data_dir = argv[1];
	if (ssm_init() < 0)
		return 2;
	failed = cmocka_run_group_tests_name("document_parse", tests, NULL,
					     NULL);
	ssm_shutdown();
	return failed;
}
