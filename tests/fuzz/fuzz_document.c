/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the document parser and validator, for JSON
 * (fuzz_document_json) or YAML (fuzz_document_yaml, -DFUZZ_YAML).
 *
 * Every input must parse or fail with SSM_EINVALID or SSM_ELIMIT and an AWS
 * error name; ssm_document_validate() must agree with the parse. A valid
 * document must render (or refuse its parameters with InvalidParameters),
 * its plan must write out as JSON that reads back, and its content,
 * converted to the other format, must be a valid document again. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssm/document.h"
#include "core/error.h"
#include "core/json.h"

#ifdef FUZZ_YAML
#define FORMAT SSM_DOCUMENT_YAML
#define OTHER SSM_DOCUMENT_JSON
#else
#define FORMAT SSM_DOCUMENT_JSON
#define OTHER SSM_DOCUMENT_YAML
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz: %s: %s (%s)\n", what, ssm_error_last()->message,
		ssm_error_last()->service_code ? ssm_error_last()->service_code
					       : "-");
	abort();
}

/* Every {{ssm:...}} resolves: names ending in "list" to a StringList,
 * "sec" to a SecureString, "none" to nothing. */
static int resolve(ssm_document_reference *refs, size_t count, void *payload)
{
	size_t i, n;

	(void)payload;
	for (i = 0; i < count; i++) {
		n = strlen(refs[i].name);
		if (n >= 4 && strcmp(refs[i].name + n - 4, "none") == 0)
			continue;
		if (n >= 4 && strcmp(refs[i].name + n - 4, "list") == 0) {
			refs[i].type = SSM_DOCUMENT_REFERENCE_STRING_LIST;
			refs[i].value = "a,b,,c";
		} else if (n >= 3 && strcmp(refs[i].name + n - 3, "sec") == 0) {
			refs[i].type = SSM_DOCUMENT_REFERENCE_SECURE_STRING;
			refs[i].value = "s3cret";
		} else {
			refs[i].type = SSM_DOCUMENT_REFERENCE_STRING;
			refs[i].value = "v$$al{{ p }}";
		}
	}
	return 0;
}

/* The resolver's secret must not reach a redacted plan (unless the
 * document itself holds that text: the fuzzer learns it). */
static bool secret_in_input;

static void check_plan(const ssm_document_plan *p)
{
	unsigned flags[] = { 0, SSM_DOCUMENT_PLAN_PRETTY,
			     SSM_DOCUMENT_PLAN_REDACT };
	size_t i;

	for (i = 0; i < 3; i++) {
		ssm_buf b = SSM_BUF_INIT;
		ssm_json_doc *back = NULL;
		ssm_err e = ssm_document_plan_json(&b, p, flags[i]);

		if (e == SSM_EINVALID &&
		    strstr(ssm_error_last()->message, "cannot be written"))
			return; /* a YAML .inf or .nan in the inputs */
		if (e != SSM_OK)
			fail("plan json");
		if (ssm_json_parse(&back, b.ptr, b.size, NULL) != SSM_OK)
			fail("plan json reread");
		if ((flags[i] & SSM_DOCUMENT_PLAN_REDACT) && !secret_in_input &&
		    strstr(b.ptr, "s3cret"))
			fail("a secret in a redacted plan");
		ssm_json_doc_free(back);
		ssm_buf_dispose(&b);
	}
	for (i = 0; i < ssm_document_plan_steps_count(p); i++) {
		ssm_buf b = SSM_BUF_INIT;

		if (ssm_document_plan_step_inputs(&b, p, i, 0) < 0 &&
		    !strstr(ssm_error_last()->message, "cannot be written"))
			fail("step inputs");
		ssm_buf_dispose(&b);
		if (ssm_document_plan_step_timeout_s(p, i) != 0 &&
		    (ssm_document_plan_step_timeout_s(p, i) < 1 ||
		     ssm_document_plan_step_timeout_s(p, i) > 2592000))
			fail("timeout out of range");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ssm_document_parse_options o = SSM_DOCUMENT_PARSE_OPTIONS_INIT;
	ssm_document_render_options ro = SSM_DOCUMENT_RENDER_OPTIONS_INIT;
	ssm_document_problems *pr = NULL;
	ssm_document *d = NULL, *again = NULL;
	ssm_document_plan *p = NULL;
	ssm_buf conv = SSM_BUF_INIT;
	const char *text = (const char *)data;
	ssm_err e;
	size_t i;

	o.format = FORMAT;
	secret_in_input = memmem(data, size, "s3cret", 6) != NULL;
	e = ssm_document_parse(&d, text, size, &o);
	if (e != SSM_OK && e != SSM_EINVALID && e != SSM_ELIMIT)
		fail("unexpected error code");
	if (e != SSM_OK && (d || !ssm_error_last()->service_code))
		fail("failure without an AWS name");
	if (ssm_document_validate(&pr, text, size, &o) != SSM_OK)
		fail("validate");
	if ((e == SSM_OK) != (ssm_document_problems_count(pr) == 0))
		fail("parse and validate disagree");
	for (i = 0; i < ssm_document_problems_count(pr); i++)
		if (!ssm_document_problem_code(pr, i) ||
		    !ssm_document_problem_message(pr, i) ||
		    !ssm_document_problem_field(pr, i))
			fail("a problem without code, message or field");
	ssm_document_problems_free(pr);
	if (e != SSM_OK)
		return 0;
	ro.resolve_cb = resolve;
	ro.execution_id = "exec-1";
	ro.now_ms = 1729512000000;
	for (i = 1; i <= 3; i++) {
		ro.platform = (ssm_document_platform)i;
		e = ssm_document_render(&p, d, &ro);
		if (e == SSM_OK)
			check_plan(p);
		else if (e != SSM_EINVALID && e != SSM_ELIMIT)
			fail("render");
		ssm_document_plan_free(p);
		p = NULL;
	}
	/* the other format says the same document */
	e = ssm_document_convert(&conv, d, OTHER);
	if (e == SSM_OK) {
		o.format = OTHER;
		o.type = ssm_document_type_of(d);
		if (conv.size <= SSM_DOCUMENT_MAX_SIZE &&
		    ssm_document_parse(&again, conv.ptr, conv.size, &o) !=
			    SSM_OK)
			fail("converted document does not parse");
		ssm_document_free(again);
	} else if (!(e == SSM_EINVALID &&
		     strstr(ssm_error_last()->message, "cannot be written"))) {
		fail("convert");
	}
	ssm_buf_dispose(&conv);
	ssm_document_free(d);
	return 0;
}
