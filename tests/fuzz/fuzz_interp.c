/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the interpolator. The input is three lines: a string
 * that becomes step inputs (in a runCommand list and as a plain input), a
 * value of the String parameter, and a value of the StringList parameter
 * (JSON, or plain text). Whatever the text holds ({{ tokens }}, {{ssm:}},
 * {{ssm-secure:}}, $$, braces), rendering must succeed or refuse with
 * InvalidParameters, and the plan must write out as JSON. Token scanning
 * is checked against its own contract on the raw bytes too. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssm/document.h"
#include "core/error.h"
#include "core/json.h"
#include "core/str.h"
#include "document/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz: %s: %s\n", what, ssm_error_last()->message);
	abort();
}

static int resolve(ssm_document_reference *refs, size_t count, void *payload)
{
	size_t i;

	(void)payload;
	for (i = 0; i < count; i++) {
		size_t n = strlen(refs[i].name);

		if (n && refs[i].name[n - 1] == 'x')
			continue; /* unknown */
		refs[i].type = n % 3 == 0 ? SSM_DOCUMENT_REFERENCE_STRING_LIST
			       : n % 3 == 1
				       ? SSM_DOCUMENT_REFERENCE_STRING
				       : SSM_DOCUMENT_REFERENCE_SECURE_STRING;
		refs[i].value = n % 2 ? "x,{{ s }},$$" : "";
	}
	return 0;
}

static void check_tokens(const char *s, size_t len)
{
	ssm_doc_token tok;
	size_t from = 0, last = 0;

	while (ssm_doc__token_next(&tok, s, len, from)) {
		if (tok.start < from || tok.end > len || tok.end <= tok.start ||
		    tok.start < last || tok.body < s + tok.start ||
		    tok.body + tok.body_len > s + tok.end)
			fail("token out of bounds");
		last = tok.end;
		from = tok.end;
	}
	if (ssm_doc__token_whole(&tok, s, len) &&
	    (tok.start != 0 || tok.end != len))
		fail("whole token is not whole");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *parts[3] = { "", "", "" };
	size_t lens[3] = { 0, 0, 0 }, i, k = 0, at = 0;
	ssm_str doc = SSM_STR_INIT, pj = SSM_STR_INIT;
	ssm_jsonw w;
	ssm_document *d = NULL;
	ssm_document_plan *p = NULL;
	ssm_document_render_options ro = SSM_DOCUMENT_RENDER_OPTIONS_INIT;
	ssm_buf b = SSM_BUF_INIT;
	ssm_err e;

	check_tokens((const char *)data, size);
	for (i = 0; i <= size && k < 3; i++)
		if (i == size || data[i] == '\n') {
			parts[k] = (const char *)data + at;
			lens[k++] = i - at;
			at = i + 1;
		}
	/* a document around the text (JSON strings may hold any bytes the
	 * writer escapes; invalid UTF-8 makes an invalid document) */
	ssm_jsonw_init(&w, &doc, 0);
	ssm_jsonw_object_begin(&w);
	ssm_jsonw_keyz(&w, "schemaVersion");
	ssm_jsonw_stringz(&w, "2.2");
	ssm_jsonw_keyz(&w, "parameters");
	ssm_jsonw_object_begin(&w);
	ssm_jsonw_keyz(&w, "s");
	ssm_jsonw_object_begin(&w);
	ssm_jsonw_keyz(&w, "type");
	ssm_jsonw_stringz(&w, "String");
	ssm_jsonw_keyz(&w, "default");
	ssm_jsonw_stringz(&w, "d{{ l }}");
	ssm_jsonw_keyz(&w, "interpolationType");
	ssm_jsonw_stringz(&w, "ENV_VAR");
	ssm_jsonw_object_end(&w);
	ssm_jsonw_keyz(&w, "l");
	ssm_jsonw_object_begin(&w);
	ssm_jsonw_keyz(&w, "type");
	ssm_jsonw_stringz(&w, "StringList");
	ssm_jsonw_keyz(&w, "default");
	ssm_jsonw_array_begin(&w);
	ssm_jsonw_stringz(&w, "x");
	ssm_jsonw_array_end(&w);
	ssm_jsonw_object_end(&w);
	ssm_jsonw_object_end(&w);
	ssm_jsonw_keyz(&w, "mainSteps");
	ssm_jsonw_array_begin(&w);
	ssm_jsonw_object_begin(&w);
	ssm_jsonw_keyz(&w, "action");
	ssm_jsonw_stringz(&w, "aws:runShellScript");
	ssm_jsonw_keyz(&w, "name");
	ssm_jsonw_stringz(&w, "run");
	ssm_jsonw_keyz(&w, "inputs");
	ssm_jsonw_object_begin(&w);
	ssm_jsonw_keyz(&w, "runCommand");
	ssm_jsonw_array_begin(&w);
	ssm_jsonw_string(&w, parts[0], lens[0]);
	ssm_jsonw_stringz(&w, "{{ l }}");
	ssm_jsonw_array_end(&w);
	ssm_jsonw_keyz(&w, "workingDirectory");
	ssm_jsonw_string(&w, parts[0], lens[0]);
	ssm_jsonw_keyz(&w, "timeoutSeconds");
	ssm_jsonw_string(&w, parts[0], lens[0]);
	ssm_jsonw_object_end(&w);
	ssm_jsonw_object_end(&w);
	ssm_jsonw_array_end(&w);
	ssm_jsonw_object_end(&w);
	if (ssm_jsonw_finish(&w) != SSM_OK)
		fail("building the document");
	e = ssm_document_parse(&d, doc.ptr, doc.size, NULL);
	if (e != SSM_OK) {
		/* only the text's own problems (bad UTF-8, secure refs,
		 * misfit whole tokens) may refuse it */
		if (e != SSM_EINVALID)
			fail("parse");
		goto done;
	}
	ssm_jsonw_init(&w, &pj, 0);
	ssm_jsonw_object_begin(&w);
	ssm_jsonw_keyz(&w, "s");
	ssm_jsonw_string(&w, parts[1], lens[1]);
	ssm_jsonw_keyz(&w, "l");
	ssm_jsonw_string(&w, parts[2], lens[2]);
	ssm_jsonw_object_end(&w);
	if (ssm_jsonw_finish(&w) != SSM_OK)
		fail("building the values");
	ro.params_json = pj.ptr;
	ro.resolve_cb = size % 2 ? resolve : NULL;
	e = ssm_document_render(&p, d, &ro);
	if (e == SSM_OK) {
		if (ssm_document_plan_json(&b, p, SSM_DOCUMENT_PLAN_REDACT) !=
		    SSM_OK)
			fail("plan json");
		ssm_buf_dispose(&b);
	} else if (e != SSM_EINVALID && e != SSM_ELIMIT) {
		fail("render");
	}
done:
	ssm_document_plan_free(p);
	ssm_document_free(d);
	ssm_str_dispose(&doc);
	ssm_str_dispose(&pj);
	return 0;
}
