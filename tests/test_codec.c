/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON codec of shapes: exact text for every type, round trips, absent
 * and zero members, every decoding error with its member path, limits, the
 * public encode/decode functions, and allocation failures. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ssm/ssm.h"
#include "ssm/sys/transport.h"
#include "api/codec.h"
#include "api/op.h"
#include "core/alloc.h"
#include "core/error.h"
#include "echo.h"

static void check_err(ssm_err got, ssm_err code, const char *svc,
		      const char *msg, const char *file, int line)
{
	const ssm_error *e = ssm_error_last();

	if (got != code)
		fprintf(stderr, "error: %s\n", e->message);
	_assert_int_equal(code, got, file, line);
	_assert_string_equal(svc ? svc : "(none)",
			     e->service_code ? e->service_code : "(none)", file,
			     line);
	if (msg)
		_assert_string_equal(msg, e->message, file, line);
}

#define EXPECT_ERR(expr, code, svc, msg) \
	check_err((expr), (code), (svc), (msg), __FILE__, __LINE__)

static char *encode(const ssm_api_shape *shape, const void *value)
{
	ssm_str s = SSM_STR_INIT;

	assert_int_equal(SSM_OK, ssm_api_encode_text(&s, shape, value));
	return ssm_str_detach(&s, NULL);
}

/* ---- encoding ----------------------------------------------------------- */

static void every_type_encodes_to_exact_text(void **state)
{
	char *strs[] = { "x", "q\"\\\n" };
	char *vals[] = { "v" };
	filter one = { "k", { vals, 1 } };
	filter structs[2] = { { "a", { NULL, 0 } }, { "b", { vals, 1 } } };
	ssm_api_map_entry sm[1] = { { "mk", "mv", { NULL, 0 } } };
	ssm_api_map_entry lm[1] = { { "lk", NULL, { strs, 1 } } };
	unsigned char bytes[] = { 0, 1, 0xfe, 0xff };
	all_types v = { 0 };
	char *text;

	(void)state;
	v.s = "\xc3\xa9t\xc3\xa9";
	v.b = true;
	v.i = -9223372036854775807 - 1;
	v.d = 0.1;
	v.t_ms = 1528932105382;
	v.iso_ms = 1496795101527;
	v.blob.ptr = bytes;
	v.blob.len = sizeof(bytes);
	v.one = &one;
	v.strs.items = strs;
	v.strs.count = 2;
	v.structs.items = structs;
	v.structs.count = 2;
	v.smap.items = sm;
	v.smap.count = 1;
	v.lmap.items = lm;
	v.lmap.count = 1;
	text = encode(&echo_all_shape, &v);
	assert_string_equal(
		"{\"S\":\"\xc3\xa9t\xc3\xa9\",\"B\":true,"
		"\"I\":-9223372036854775808,\"D\":0.1,\"T\":1528932105.382,"
		"\"Iso\":\"2017-06-07T00:25:01.527Z\",\"Blob\":\"AAH+/w==\","
		"\"One\":{\"Key\":\"k\",\"Values\":[\"v\"]},"
		"\"Strs\":[\"x\",\"q\\\"\\\\\\n\"],"
		"\"Structs\":[{\"Key\":\"a\"},{\"Key\":\"b\",\"Values\":[\"v\"]"
		"}],"
		"\"SMap\":{\"mk\":\"mv\"},\"LMap\":{\"lk\":[\"x\"]},"
		"\"ZS\":\"\",\"ZB\":false,\"ZI\":0,\"ZD\":0,\"ZT\":0,\"ZIso\":"
		"\"\","
		"\"ZBlob\":\"\",\"ZOne\":{},\"ZStrs\":[],\"ZSMap\":{}}",
		text);
	ssm__free(text);
}

static void absent_members_are_omitted_and_empty_lists_kept(void **state)
{
	echo_in in = { 0 };
	echo_out out = { 0 };
	filter f[1] = { { "k", { NULL, 0 } } };
	char *text;

	(void)state;
	in.name = "n";
	text = encode(&echo_in_shape, &in);
	assert_string_equal("{\"Name\":\"n\"}", text);
	ssm__free(text);
	/* a list present but empty is written */
	in.names.items = f; /* any non-NULL pointer */
	in.names.count = 0;
	in.filters.items = f;
	in.filters.count = 1;
	text = encode(&echo_in_shape, &in);
	assert_string_equal("{\"Name\":\"n\",\"Names\":[],"
			    "\"Filters\":[{\"Key\":\"k\"}]}",
			    text);
	ssm__free(text);
	/* SSM_API_F_ZERO: Count is always written */
	text = encode(&echo_out_shape, &out);
	assert_string_equal("{\"Count\":0}", text);
	ssm__free(text);
}

static void times_are_exact_milliseconds(void **state)
{
	static const struct {
		int64_t ms;
		const char *text;
	} cases[] = {
		{ 1528932105382, "1528932105.382" },
		{ 1528932105380, "1528932105.38" },
		{ 1528932105000, "1528932105" },
		{ 1, "0.001" },
		{ -1, "-0.001" },
		{ 253402300799999, "253402300799.999" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		echo_out out = { 0 }, back;
		char *text, want[128];
		ssm_arena a = SSM_ARENA_INIT;

		out.when_ms = cases[i].ms;
		text = encode(&echo_out_shape, &out);
		snprintf(want, sizeof(want), "{\"Count\":0,\"When\":%s}",
			 cases[i].text);
		assert_string_equal(want, text);
		assert_int_equal(
			SSM_OK, ssm_api_decode_text(&back, &echo_out_shape,
						    text, strlen(text), 0, &a));
		assert_int_equal(cases[i].ms, back.when_ms);
		ssm__free(text);
		ssm_arena_dispose(&a);
	}
}

static void encoding_refuses_what_json_cannot_say(void **state)
{
	all_types v = { 0 };
	ssm_str s = SSM_STR_INIT;
	char *strs[] = { "ok", "bad\xff" };

	(void)state;
	v.s = "bad\xc3";
	EXPECT_ERR(ssm_api_encode_text(&s, &echo_all_shape, &v), SSM_EINVALID,
		   "SerializationException", "'S' is not valid UTF-8");
	v.s = NULL;
	v.strs.items = strs;
	v.strs.count = 2;
	ssm_str_clear(&s);
	EXPECT_ERR(ssm_api_encode_text(&s, &echo_all_shape, &v), SSM_EINVALID,
		   "SerializationException", "'Strs[1]' is not valid UTF-8");
	v.strs.count = 0;
	v.strs.items = NULL;
	v.d = NAN;
	ssm_str_clear(&s);
	EXPECT_ERR(ssm_api_encode_text(&s, &echo_all_shape, &v), SSM_EINVALID,
		   "SerializationException", "'D' is not a finite number");
	v.d = 0;
	v.iso_ms = INT64_MAX;
	ssm_str_clear(&s);
	EXPECT_ERR(ssm_api_encode_text(&s, &echo_all_shape, &v), SSM_EINVALID,
		   "SerializationException",
		   "'Iso' is out of the ISO-8601 range");
	ssm_str_dispose(&s);
}

/* ---- decoding ----------------------------------------------------------- */

static void decoding_reads_every_type(void **state)
{
	const char *text =
		"{\"S\":\"a\\u00e9\",\"B\":false,\"I\":9223372036854775807,"
		"\"D\":-2.5e3,\"T\":1.528932105382E9,"
		"\"Iso\":\"2017-06-07T02:25:01.527+02:00\",\"Blob\":\"AAH+/"
		"w==\","
		"\"One\":{\"Key\":\"k\",\"Values\":[\"v\",null]},"
		"\"Strs\":[],\"Structs\":[{},{\"Key\":\"b\"}],"
		"\"SMap\":{},\"LMap\":{\"l\":[\"1\",\"2\"]},\"ZIso\":\"\","
		"\"Unknown\":[{\"x\":null}],\"S2\":null,\"ZS\":null}";
	ssm_arena a = SSM_ARENA_INIT;
	all_types v;

	(void)state;
	assert_int_equal(SSM_OK, ssm_api_decode_text(&v, &echo_all_shape, text,
						     strlen(text), 0, &a));
	assert_string_equal("a\xc3\xa9", v.s);
	assert_false(v.b);
	assert_int_equal(INT64_MAX, v.i);
	assert_true(v.d == -2500);
	assert_int_equal(1528932105382, v.t_ms);
	assert_int_equal(1496795101527, v.iso_ms);
	assert_int_equal(4, v.blob.len);
	assert_memory_equal("\x00\x01\xfe\xff", v.blob.ptr, 4);
	assert_string_equal("k", v.one->key);
	assert_int_equal(2, v.one->values.count);
	assert_null(((char **)v.one->values.items)[1]);
	/* present but empty */
	assert_non_null(v.strs.items);
	assert_int_equal(0, v.strs.count);
	assert_non_null(v.smap.items);
	assert_int_equal(0, v.smap.count);
	assert_int_equal(2, v.structs.count);
	assert_null(((filter *)v.structs.items)[0].key);
	assert_string_equal("2", ((char **)v.lmap.items[0].values.items)[1]);
	assert_int_equal(0, v.z_iso);
	assert_null(v.z_s);
	assert_null(v.z_one);
	ssm_arena_dispose(&a);
}

static void expect_decode_error(const char *text, const char *msg)
{
	ssm_arena a = SSM_ARENA_INIT;
	all_types v;

	EXPECT_ERR(ssm_api_decode_text(&v, &echo_all_shape, text, strlen(text),
				       0, &a),
		   SSM_EINVALID, "SerializationException", msg);
	assert_int_equal(SSM_ERRCLASS_API, ssm_error_last()->klass);
	ssm_arena_dispose(&a);
}

static void wrong_types_name_the_member(void **state)
{
	(void)state;
	expect_decode_error("{\"S\":1}", "'S' must be a string, not a number");
	expect_decode_error("{\"B\":\"true\"}",
			    "'B' must be a boolean, not a string");
	expect_decode_error("{\"I\":true}",
			    "'I' must be an integer, not a boolean");
	expect_decode_error("{\"I\":1.5}",
			    "'I' must be an integer in the 64-bit range");
	expect_decode_error("{\"I\":9223372036854775808}",
			    "'I' must be an integer in the 64-bit range");
	expect_decode_error("{\"D\":\"1\"}",
			    "'D' must be a number, not a string");
	expect_decode_error("{\"T\":\"2017-01-01\"}",
			    "'T' must be a number of epoch seconds, not a "
			    "string");
	expect_decode_error("{\"T\":1e300}", "'T' is out of range");
	expect_decode_error("{\"Iso\":5}",
			    "'Iso' must be an ISO-8601 string, not a number");
	expect_decode_error("{\"Iso\":\"yesterday\"}",
			    "'Iso' is not an ISO-8601 time");
	expect_decode_error("{\"Blob\":[]}",
			    "'Blob' must be a base64 string, not an array");
	expect_decode_error("{\"Blob\":\"a\"}", "'Blob' is not valid base64");
	expect_decode_error("{\"One\":[]}",
			    "'One' must be an object, not an array");
	expect_decode_error("{\"One\":{\"Values\":{}}}",
			    "'One.Values' must be an array, not an object");
	expect_decode_error("{\"One\":{\"Values\":[\"a\",2]}}",
			    "'One.Values[1]' must be a string, not a number");
	expect_decode_error("{\"Structs\":[{},null]}",
			    "'Structs[1]' must be an object, not null");
	expect_decode_error("{\"Structs\":[{\"Key\":{}}]}",
			    "'Structs[0].Key' must be a string, not an object");
	expect_decode_error("{\"SMap\":[]}",
			    "'SMap' must be an object, not an array");
	expect_decode_error("{\"SMap\":{\"k\":1}}",
			    "'SMap.k' must be a string, not a number");
	expect_decode_error("{\"SMap\":{\"k\":null}}",
			    "'SMap.k' must be a string, not null");
	expect_decode_error("{\"LMap\":{\"k\":\"v\"}}",
			    "'LMap.k' must be an array, not a string");
	expect_decode_error("{\"SMap\":{\"a\\u0000b\":\"v\"}}",
			    "'SMap' must not have keys with NUL characters");
	expect_decode_error("{\"S\":\"a\\u0000\"}",
			    "'S' must not contain NUL characters");
}

static void bodies_that_are_not_objects(void **state)
{
	ssm_str deep = SSM_STR_INIT;
	int i;

	(void)state;
	expect_decode_error("[]", "body must be a JSON object, not an array");
	expect_decode_error("null", "body must be a JSON object, not null");
	expect_decode_error("\"x\"",
			    "body must be a JSON object, not a string");
	expect_decode_error("{\"S\":",
			    "body is not valid JSON: line 1, column 6: "
			    "unexpected end of input");
	expect_decode_error("", "body is not valid JSON: line 1, column 1: "
				"document is empty");
	expect_decode_error("{\"S\":\"a\",\"S\":\"b\"}",
			    "body is not valid JSON: line 1, column 10: "
			    "duplicate key 'S'");
	ssm_str_puts(&deep, "{\"X\":");
	for (i = 0; i < 100; i++)
		ssm_str_putc(&deep, '[');
	for (i = 0; i < 100; i++)
		ssm_str_putc(&deep, ']');
	ssm_str_putc(&deep, '}');
	expect_decode_error(deep.ptr, NULL);
	assert_non_null(strstr(ssm_error_last()->message, "deep"));
	ssm_str_dispose(&deep);
	/* the input limit */
	{
		ssm_arena a = SSM_ARENA_INIT;
		all_types v;

		EXPECT_ERR(ssm_api_decode_text(&v, &echo_all_shape,
					       "{\"S\":\"abcdef\"}", 14, 10,
					       &a),
			   SSM_EINVALID, "SerializationException", NULL);
		ssm_arena_dispose(&a);
	}
}

/* ---- the public functions ----------------------------------------------- */

static void public_encode_and_decode(void **state)
{
	echo_in in = { 0 };
	echo_out out;
	ssm_buf buf = SSM_BUF_INIT;
	ssm_call call;
	const char *answer = "{\"Name\":\"n\",\"Count\":3,\"When\":1.5}";

	(void)state;
	in.name = "n";
	in.flag = true;
	in.max_results = 7;
	assert_int_equal(SSM_OK,
			 ssm_operation_encode_request(&buf, &echo_op, &in));
	assert_string_equal("{\"Name\":\"n\",\"Flag\":true,\"MaxResults\":7}",
			    buf.ptr);
	ssm_buf_dispose(&buf);
	ssm_call__init(&call, 0);
	memset(&out, 0xab, sizeof(out));
	assert_int_equal(SSM_OK,
			 ssm_operation_decode_response(&out, &echo_op, &call,
						       answer, strlen(answer)));
	assert_string_equal("n", out.name);
	assert_int_equal(3, out.count);
	assert_int_equal(1500, out.when_ms);
	EXPECT_ERR(
		ssm_operation_decode_response(&out, &echo_op, &call, "[]", 2),
		SSM_EINVALID, NULL,
		"response of Echo: body must be a JSON object, not an "
		"array");
	assert_null(out.name);
	EXPECT_ERR(ssm_operation_decode_response(&out, &echo_op, &call, "{", 1),
		   SSM_EINVALID, NULL,
		   "response of Echo: body is not valid JSON: line 1, column "
		   "2: unexpected end of input");
	EXPECT_ERR(
		ssm_operation_decode_response(NULL, &echo_op, &call, "{}", 2),
		SSM_EINVALID, NULL, "invalid argument: 'response'");
	EXPECT_ERR(ssm_operation_encode_request(&buf, NULL, &in), SSM_EINVALID,
		   NULL, "invalid argument: 'op'");
	ssm_call__dispose(&call);
}

static void allocation_failures_fail_cleanly(void **state)
{
	const char *text =
		"{\"S\":\"abc\",\"Blob\":\"AAH+/w==\",\"One\":{\"Key\":\"k\","
		"\"Values\":[\"v\"]},\"Structs\":[{\"Key\":\"b\"}],"
		"\"LMap\":{\"l\":[\"1\"]},\"SMap\":{\"a\":\"b\"}}";
	uint64_t n;
	bool done = false;

	(void)state;
	for (n = 1; !done && n < 1000; n++) {
		ssm_arena a = SSM_ARENA_INIT;
		ssm_str s = SSM_STR_INIT;
		all_types v;
		ssm_err e1, e2 = SSM_ERROR;

		ssm__alloc_fail_at(n, false);
		e1 = ssm_api_decode_text(&v, &echo_all_shape, text,
					 strlen(text), 0, &a);
		if (e1 == SSM_OK)
			e2 = ssm_api_encode_text(&s, &echo_all_shape, &v);
		done = ssm__alloc_failures() == 0;
		ssm__alloc_fail_at(0, false);
		if (done) {
			assert_int_equal(SSM_OK, e1);
			assert_int_equal(SSM_OK, e2);
		} else {
			assert_true(e1 < 0 || e2 < 0);
		}
		ssm_str_dispose(&s);
		ssm_arena_dispose(&a);
	}
	assert_true(done);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_type_encodes_to_exact_text),
		cmocka_unit_test(
			absent_members_are_omitted_and_empty_lists_kept),
		cmocka_unit_test(times_are_exact_milliseconds),
		cmocka_unit_test(encoding_refuses_what_json_cannot_say),
		cmocka_unit_test(decoding_reads_every_type),
		cmocka_unit_test(wrong_types_name_the_member),
		cmocka_unit_test(bodies_that_are_not_objects),
		cmocka_unit_test(public_encode_and_decode),
		cmocka_unit_test(allocation_failures_fail_cleanly),
	};
	int failed;

	if (ssm_init() < 0)
		return 2;
	failed = cmocka_run_group_tests_name("codec", tests, NULL, NULL);
	ssm_shutdown();
	return failed;
}
