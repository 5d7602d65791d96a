/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the server's request decoder (JSON -> request structs)
 * for every operation. The first input byte picks the operation (of the
 * engines and the Echo test engine), the rest is the body. Whatever
 * decodes must validate without crashing, encode, and decode again to a
 * struct that encodes to the same text. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/codec.h"
#include "api/modules.h"
#include "api/op.h"
#include "core/error.h"
#include "echo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_OPS 512

static const ssm_operation *ops[MAX_OPS];
static size_t nops;

static void collect(const ssm_engine_module *m)
{
	size_t i;

	for (i = 0; m && m->ops && m->ops[i] && nops < MAX_OPS; i++)
		ops[nops++] = m->ops[i];
}

static void fail(const char *what, const char *text)
{
	fprintf(stderr, "fuzz: %s: %s\n--- text ---\n%s\n", what,
		ssm_error_last()->message, text ? text : "");
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const ssm_operation *op;
	ssm_str first = SSM_STR_INIT, second = SSM_STR_INIT;
	ssm_call call;
	void *req, *again;
	ssm_err error;
	size_t i;

	if (!nops) {
		collect(&echo_module);
		for (i = 0; ssm_engine_modules[i]; i++)
			collect(ssm_engine_modules[i]);
	}
	if (size < 1)
		return 0;
	op = ops[data[0] % nops];
	ssm_call__init(&call, 0);
	req = ssm_call__alloc(&call, op->input->size);
	again = ssm_call__alloc(&call, op->input->size);
	if (!req || !again)
		fail("alloc", NULL);
	error = ssm_api_decode_text(req, op->input, (const char *)data + 1,
				    size - 1, 1 << 20, &call.arena);
	if (error == SSM_OK) {
		(void)ssm_api_validate(op->input, req);
		if (ssm_api_encode_text(&first, op->input, req) != SSM_OK)
			fail("encode", NULL);
		if (ssm_api_decode_text(again, op->input, first.ptr, first.size,
					0, &call.arena) != SSM_OK)
			fail("decode of the encoding", first.ptr);
		if (ssm_api_encode_text(&second, op->input, again) != SSM_OK)
			fail("encode again", first.ptr);
		if (first.size != second.size ||
		    memcmp(first.ptr, second.ptr, first.size) != 0)
			fail("not stable", first.ptr);
	} else if (error != SSM_EINVALID) {
		fail("unexpected error code", NULL);
	} else if (!ssm_error_last()->service_code ||
		   strcmp(ssm_error_last()->service_code,
			  SSM_API_SERIALIZATION) != 0) {
		fail("not a SerializationException", NULL);
	}
	ssm_str_dispose(&first);
	ssm_str_dispose(&second);
	ssm_call__dispose(&call);
	return 0;
}
