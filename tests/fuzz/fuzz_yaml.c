/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the YAML parser, then both generators on what it
 * accepted. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ssm_json_limits lim = { .max_nodes = 100000 };
	ssm_json_doc *doc = NULL;
	ssm_err error;

	error = ssm_yaml_parse(&doc, (const char *)data, size, &lim);
	if (error == SSM_OK)
		fuzz_check_tree(doc->root);
	else if (error != SSM_EINVALID && error != SSM_ELIMIT)
		fuzz_fail("unexpected error code", NULL);
	else if (doc)
		fuzz_fail("document returned on failure", NULL);
	ssm_json_doc_free(doc);
	return 0;
}
