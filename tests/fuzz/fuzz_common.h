/* SPDX-License-Identifier: Apache-2.0 */
/* Checks shared by the JSON and YAML fuzz targets: whatever parses must
 * write out as JSON and YAML that parse back to an equal tree. */
#ifndef SSM_FUZZ_COMMON_H
#define SSM_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "core/error.h"
#include "core/json.h"
#include "core/yaml.h"

/* Generated text may be larger than the input that produced it. */
static const ssm_json_limits fuzz_reread_limits = {
	.max_input = (size_t)256 << 20,
	.max_nodes = 10000000,
};

static void fuzz_fail(const char *what, const char *text)
{
	fprintf(stderr, "fuzz: %s: %s\n--- text ---\n%s\n", what,
		ssm_error_last()->message, text ? text : "");
	abort();
}

typedef ssm_err (*fuzz_parse_fn)(ssm_json_doc **, const char *, size_t,
				 const ssm_json_limits *);

static void fuzz_reread(const ssm_json *v, const ssm_str *text,
			fuzz_parse_fn parse, const char *what)
{
	ssm_json_doc *back = NULL;

	if (parse(&back, text->ptr, text->size, &fuzz_reread_limits) != SSM_OK)
		fuzz_fail(what, text->ptr);
	if (!ssm_json_equal(v, back->root))
		fuzz_fail(what, text->ptr);
	ssm_json_doc_free(back);
}

/* Write @v as compact JSON, pretty JSON and YAML; each must read back equal
 * (JSON cannot say .inf or .nan: those trees skip the JSON part). */
static void fuzz_check_tree(const ssm_json *v)
{
	ssm_str out = SSM_STR_INIT;
	unsigned int flags[] = { 0, SSM_JSON_WRITE_PRETTY };
	ssm_err error;
	size_t i;

	for (i = 0; i < 2; i++) {
		ssm_str_clear(&out);
		error = ssm_json_write(&out, v, flags[i]);
		if (error == SSM_EINVALID &&
		    strstr(ssm_error_last()->message, "cannot be written"))
			break; /* .inf or .nan from YAML */
		if (error != SSM_OK)
			fuzz_fail("json write", NULL);
		fuzz_reread(v, &out, ssm_json_parse, "json reread");
		/* yajl itself agrees that it is JSON */
		{
			char err[128];
			yajl_val y = yajl_tree_parse(out.ptr, err, sizeof(err));

			if (!y)
				fuzz_fail("yajl_tree_parse", out.ptr);
			yajl_tree_free(y);
		}
	}
	ssm_str_clear(&out);
	if (ssm_yaml_write(&out, v, 0) != SSM_OK)
		fuzz_fail("yaml write", NULL);
	fuzz_reread(v, &out, ssm_yaml_parse, "yaml reread");
	ssm_str_dispose(&out);
}

#endif
