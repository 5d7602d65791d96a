/* SPDX-License-Identifier: Apache-2.0 */
/* The operation layer: clients, transports, services, validation, errors. */
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
#include "api/client.h"
#include "api/errors.h"
#include "api/op.h"
#include "core/error.h"
#include "echo.h"

/* ---- fixture ---------------------------------------------------------- */

struct fixture {
	ssm_ctx *ctx;
	ssm_client *client;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	ssm_service__set_test_module(&echo_module);
	if (ssm_ctx_new(&f->ctx, NULL) < 0 ||
	    ssm_client_open(&f->client, f->ctx, "memory:", NULL) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ssm_client_free(f->client);
	ssm_ctx_free(f->ctx);
	free(f);
	return 0;
}

static ssm_err echo(struct fixture *f, const echo_in *in, echo_out *out,
		    ssm_call *call)
{
	ssm_client__call_init(call, f->client);
	return ssm_client__call(f->client, &echo_op, in, out, call);
}

static void call_reaches_the_handler_and_returns_arena_data(void **state)
{
	struct fixture *f = *state;
	char *names[] = { "a", "b" };
	echo_in in = { 0 };
	echo_out out;
	ssm_call call;

	in.name = "hello";
	in.names.items = names;
	in.names.count = 2;
	assert_int_equal(SSM_OK, echo(f, &in, &out, &call));
	assert_string_equal("hello", out.name);
	assert_ptr_not_equal(in.name, out.name);
	assert_int_equal(2, out.count);
	assert_true(out.when_ms > 1600000000000);
	ssm_call__dispose(&call);
	assert_string_equal("inproc", ssm_client_transport(f->client));
	assert_string_equal("us-east-1", ssm_client_region(f->client));
	assert_string_equal("Echo", ssm_operation_name(&echo_op));
	assert_true(ssm_operation_is_idempotent(&echo_op));
	assert_ptr_equal(&echo_op, ssm_api__find_op("Echo", 4));
	assert_null(ssm_api__find_op("Echoo", 5));
}

static void handler_errors_keep_code_and_service_code(void **state)
{
	struct fixture *f = *state;
	echo_in in = { 0 };
	echo_out out;
	ssm_call call;

	in.name = "missing";
	assert_int_equal(SSM_ENOTFOUND, echo(f, &in, &out, &call));
	assert_string_equal("ParameterNotFound",
			    ssm_error_last()->service_code);
	assert_string_equal("parameter 'missing' not found",
			    ssm_error_last()->message);
	ssm_call__dispose(&call);
}

static void expect_validation(struct fixture *f, const echo_in *in,
			      const char *message)
{
	echo_out out;
	ssm_call call;
	int before = echo_handler_calls;

	assert_int_equal(SSM_EINVALID, echo(f, in, &out, &call));
	assert_string_equal("ValidationException",
			    ssm_error_last()->service_code);
	assert_string_equal(message, ssm_error_last()->message);
	assert_int_equal(before, echo_handler_calls); /* never reached */
	ssm_call__dispose(&call);
}

static void validation_uses_aws_messages(void **state)
{
	struct fixture *f = *state;
	echo_in in = { 0 };
	char *names[] = { "ok", "", "toolong", "x", "y" };
	filter filters[2] = { { NULL, { NULL, 0 } }, { "k", { NULL, 0 } } };
	char *vals[] = { "a", "b", "c" };

	expect_validation(f, &in,
			  "1 validation error detected: Value null at 'name' "
			  "failed to satisfy constraint: Member must not be "
			  "null");
	in.name = "abcdefghijk";
	expect_validation(f, &in,
			  "1 validation error detected: Value 'abcdefghijk' at "
			  "'name' failed to satisfy constraint: Member must "
			  "have length less than or equal to 10");
	in.name = "";
	expect_validation(f, &in,
			  "1 validation error detected: Value '' at 'name' "
			  "failed to satisfy constraint: Member must have "
			  "length greater than or equal to 1");
	in.name = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		  "\xc3\xa9\xc3\xa9\xc3\xa9"; /* 10 code points, 20 bytes */
	in.type = "Integer";
	expect_validation(f, &in,
			  "1 validation error detected: Value 'Integer' at "
			  "'type' failed to satisfy constraint: Member must "
			  "satisfy enum value set: [String, StringList, "
			  "SecureString]");
	in.type = "String";
	in.secret = "hunter2";
	expect_validation(f, &in,
			  "1 validation error detected: Value at 'secret' "
			  "failed to satisfy constraint: Member must have "
			  "length less than or equal to 4");
	in.secret = NULL;
	in.path = "/A";
	in.max_results = 11;
	expect_validation(f, &in,
			  "2 validation errors detected: Value '/A' at 'path' "
			  "failed to satisfy constraint: Member must satisfy "
			  "regular expression pattern: ^/[a-z/]*$; Value '11' "
			  "at 'maxResults' failed to satisfy constraint: "
			  "Member must have value less than or equal to 10");
	in.path = "/a/b";
	in.max_results = -1;
	expect_validation(f, &in,
			  "1 validation error detected: Value '-1' at "
			  "'maxResults' failed to satisfy constraint: Member "
			  "must have value greater than or equal to 1");
	in.max_results = 10;
	in.names.items = names;
	in.names.count = 4;
	expect_validation(
		f, &in,
		"3 validation errors detected: Value '[ok, , toolong, "
		"x]' at 'names' "
		"failed to satisfy constraint: Member must have "
		"length less than or equal to 3; Value '' at "
		"'names.2.member' failed to satisfy constraint: "
		"Member must have length greater than or equal to "
		"1; Value 'toolong' at 'names.3.member' failed to "
		"satisfy constraint: Member must have length less "
		"than or equal to 5");
	in.names.count = 1;
	filters[1].values.items = vals;
	filters[1].values.count = 3;
	in.filters.items = filters;
	in.filters.count = 2;
	expect_validation(f, &in,
			  "2 validation errors detected: Value null at "
			  "'filters.1.member.key' failed to satisfy "
			  "constraint: Member must not be null; Value '[a, b, "
			  "c]' at 'filters.2.member.values' failed to satisfy "
			  "constraint: Member must have length less than or "
			  "equal to 2");
	in.filters.count = 0;
	in.filters.items = NULL;
	in.name = "bad\xff";
	expect_validation(f, &in,
			  "1 validation error detected: Value at 'name' "
			  "failed to satisfy constraint: Member must be valid "
			  "UTF-8");
	in.name = "ok";
	in.note = "";
	expect_validation(f, &in,
			  "1 validation error detected: Value '' at 'note' "
			  "failed to satisfy constraint: Member must have "
			  "length greater than or equal to 1");
	{
		echo_out out;
		ssm_call call;
		char *long_note = calloc(1, 100001);

		memset(long_note, 'n', 100000); /* no maximum */
		in.note = long_note;
		assert_int_equal(SSM_OK, echo(f, &in, &out, &call));
		ssm_call__dispose(&call);
		free(long_note);
	}
	in.note = NULL;
	in.one = &filters[0];
	expect_validation(f, &in,
			  "1 validation error detected: Value null at "
			  "'one.key' failed to satisfy constraint: Member must "
			  "not be null");
}

static void utf8_length_counts_code_points(void **state)
{
	(void)state;
	assert_int_equal(3, ssm_api__utf8_length("abc", 3));
	assert_int_equal(2, ssm_api__utf8_length("\xc3\xa9\xe2\x82\xac", 5));
	assert_int_equal(1, ssm_api__utf8_length("\xf0\x9f\x98\x80", 4));
	assert_int_equal(-1, ssm_api__utf8_length("\xc3", 1));
	assert_int_equal(-1, ssm_api__utf8_length("\xe0\x80\x80", 3));
	assert_int_equal(-1, ssm_api__utf8_length("\xed\xa0\x80", 3));
	assert_int_equal(-1, ssm_api__utf8_length("\xf4\x90\x80\x80", 4));
	assert_int_equal(-1, ssm_api__utf8_length("\x80", 1));
}

static void clients_on_one_store_share_one_service(void **state)
{
	struct fixture *f = *state;
	ssm_client_options o = SSM_CLIENT_OPTIONS_INIT;
	ssm_client *same = NULL, *other = NULL;
	int s0 = echo_starts, e0 = echo_stops;

	assert_int_equal(SSM_OK,
			 ssm_client_open(&same, f->ctx, "memory:", NULL));
	assert_ptr_equal(ssm_client__service(f->client),
			 ssm_client__service(same));
	assert_int_equal(s0, echo_starts); /* no second start */
	o.region = "eu-west-1";
	assert_int_equal(SSM_OK,
			 ssm_client_open(&other, f->ctx, "memory:", &o));
	assert_ptr_not_equal(ssm_client__service(f->client),
			     ssm_client__service(other));
	assert_string_equal("eu-west-1", ssm_client_region(other));
	assert_string_equal("ssm/123456789012/eu-west-1/",
			    ssm_client__service(other)->prefix);
	assert_int_equal(s0 + 1, echo_starts);
	ssm_client_free(other);
	assert_int_equal(e0 + 1, echo_stops);
	ssm_client_free(same);
	assert_int_equal(e0 + 1, echo_stops); /* f->client still uses it */
}

static void client_open_refuses_bad_urls_and_options(void **state)
{
	struct fixture *f = *state;
	ssm_client_options o = SSM_CLIENT_OPTIONS_INIT;
	ssm_client *c = (ssm_client *)1;

	assert_int_equal(SSM_EINVALID, ssm_client_open(&c, f->ctx, "x", NULL));
	assert_null(c);
	assert_string_equal("endpoint 'x' has no scheme (e.g. sqlite:///path, "
			    "memory: or http://host:port)",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_client_open(&c, f->ctx, "gopher://h", NULL));
	assert_non_null(strstr(ssm_error_last()->message,
			       "unknown scheme 'gopher' in endpoint "
			       "'gopher://h' (stores: "));
	o.account_id = "12345";
	assert_int_equal(SSM_EINVALID,
			 ssm_client_open(&c, f->ctx, "memory:", &o));
	assert_string_equal("account id '12345' is not 12 digits",
			    ssm_error_last()->message);
	o.account_id = NULL;
	o.region = "US East";
	assert_int_equal(SSM_EINVALID,
			 ssm_client_open(&c, f->ctx, "memory:", &o));
	assert_string_equal("region 'US East' is not a region name "
			    "(lower-case letters, digits, '-')",
			    ssm_error_last()->message);
	o.region = NULL;
	o.timeout_ms = -5;
	assert_int_equal(SSM_EINVALID,
			 ssm_client_open(&c, f->ctx, "memory:", &o));
	assert_string_equal("timeout_ms must not be negative",
			    ssm_error_last()->message);
	o.version = 0;
	assert_int_equal(SSM_EINVALID,
			 ssm_client_open(&c, f->ctx, "memory:", &o));
	assert_string_equal("ssm_client_options version 0 is not supported "
			    "(1..1)",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_client_open(&c, f->ctx, "memory:/x", NULL));
	assert_int_equal(SSM_EINVALID,
			 ssm_client_open(NULL, f->ctx, "memory:", NULL));
	assert_string_equal("invalid argument: 'out'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_client_options_init(&o, 9));
	assert_int_equal(SSM_OK, ssm_client_options_init(&o, 1));
	ssm_client_free(NULL);
}

static void region_comes_from_the_environment(void **state)
{
	struct fixture *f = *state;
	ssm_client *c = NULL;

	setenv("AWS_REGION", "ap-south-1", 1);
	assert_int_equal(SSM_OK, ssm_client_open(&c, f->ctx, "memory:", NULL));
	assert_string_equal("ap-south-1", ssm_client_region(c));
	ssm_client_free(c);
	unsetenv("AWS_REGION");
	setenv("AWS_DEFAULT_REGION", "sa-east-1", 1);
	assert_int_equal(SSM_OK, ssm_client_open(&c, f->ctx, "memory:", NULL));
	assert_string_equal("sa-east-1", ssm_client_region(c));
	ssm_client_free(c);
	unsetenv("AWS_DEFAULT_REGION");
}

/* ---- a custom transport ------------------------------------------------ */

struct mock {
	ssm_transport parent;
	int calls;
};

static ssm_err mock_open(ssm_transport **out, const ssm_transport_ops *ops,
			 ssm_ctx *ctx, const char *url,
			 const ssm_client_options *opts, void *payload)
{
	struct mock *m = calloc(1, sizeof(*m));

	(void)ops;
	(void)ctx;
	(void)url;
	(void)opts;
	*(struct mock **)payload = m;
	*out = &m->parent;
	return SSM_OK;
}

static ssm_err mock_call(ssm_transport *t, const ssm_operation *op,
			 const void *request, void *response, ssm_call *call)
{
	(void)request;
	(void)response;
	(void)call;
	((struct mock *)t)->calls++;
	if (strcmp(ssm_operation_name(op), "Echo") == 0)
		return ssm_error_set_aws("com.amazonaws.ssm#ParameterNotFound",
					 "");
	return SSM_OK;
}

static const char *mock_region(const ssm_transport *t)
{
	(void)t;
	return "mock-1";
}

static void mock_close(ssm_transport *t)
{
	free(t);
}

static void custom_transports_register_by_scheme(void **state)
{
	struct fixture *f = *state;
	static ssm_transport_ops ops;
	struct mock *m = NULL;
	ssm_client *c = NULL;
	echo_in in = { 0 };
	echo_out out;
	ssm_call call;

	assert_int_equal(SSM_OK, ssm_transport_ops_init(&ops, 1));
	ops.name = "mock";
	assert_int_equal(SSM_EINVALID,
			 ssm_ctx_register_transport(f->ctx, &ops, &m));
	assert_string_equal("transport plugin 'mock' lacks a required method",
			    ssm_error_last()->message);
	ops.open = mock_open;
	ops.call = mock_call;
	ops.region = mock_region;
	ops.close = mock_close;
	ops.name = "memory";
	assert_int_equal(SSM_EEXISTS,
			 ssm_ctx_register_transport(f->ctx, &ops, &m));
	assert_string_equal("a plugin named 'memory' is already registered",
			    ssm_error_last()->message);
	ops.name = "mock";
	assert_int_equal(SSM_OK, ssm_ctx_register_transport(f->ctx, &ops, &m));
	assert_int_equal(SSM_OK, ssm_client_open(&c, f->ctx, "mock://x", NULL));
	assert_string_equal("mock", ssm_client_transport(c));
	assert_string_equal("mock-1", ssm_client_region(c));
	in.name = "x";
	ssm_client__call_init(&call, c);
	assert_int_equal(SSM_ENOTFOUND,
			 ssm_client__call(c, &echo_op, &in, &out, &call));
	assert_string_equal("ParameterNotFound",
			    ssm_error_last()->service_code);
	assert_string_equal("ParameterNotFound", ssm_error_last()->message);
	assert_int_equal(1, m->calls);
	assert_true(ssm_call_remaining_ms(&call) > 20000);
	ssm_call__dispose(&call);
	ssm_client_free(c);
	assert_int_equal(SSM_EINVALID, ssm_transport_ops_init(&ops, 2));
}

static void aws_error_names_map_to_codes(void **state)
{
	ssm_error_class k;

	(void)state;
	assert_int_equal(SSM_EEXISTS,
			 ssm_error_set_aws("ParameterAlreadyExists", "exists"));
	assert_string_equal("exists", ssm_error_last()->message);
	assert_int_equal(SSM_ERRCLASS_PARAM, ssm_error_last()->klass);
	assert_int_equal(SSM_EAUTH,
			 ssm_error_set_aws("InvalidSignatureException", "x"));
	assert_int_equal(
		SSM_EINVALID,
		ssm_error_set_aws("ValidationException:http://x", "v"));
	assert_string_equal("ValidationException",
			    ssm_error_last()->service_code);
	assert_int_equal(
		SSM_ENOTFOUND,
		ssm_api__error_code("AutomationDefinitionNotFound", 28, &k));
	assert_int_equal(SSM_ELIMIT,
			 ssm_api__error_code("DocumentLimitExceeded", 21, &k));
	assert_int_equal(SSM_EINVALID,
			 ssm_api__error_code("InvalidFilterKey", 16, &k));
	assert_int_equal(SSM_ERROR, ssm_api__error_code("Weird", 5, &k));
	assert_int_equal(SSM_ERROR, ssm_error_set_aws("", NULL));
	assert_string_equal("error answer without a type",
			    ssm_error_last()->message);
	assert_int_equal(
		400, ssm_api__http_status(SSM_ENOTFOUND, "ParameterNotFound"));
	assert_int_equal(500, ssm_api__http_status(SSM_ERROR, NULL));
	assert_int_equal(
		500, ssm_api__http_status(SSM_ERROR, "InternalServerError"));
	assert_int_equal(503,
			 ssm_api__http_status(SSM_ERROR, "ServiceUnavailable"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(call_reaches_the_handler_and_returns_arena_data),
		T(handler_errors_keep_code_and_service_code),
		T(validation_uses_aws_messages),
		T(clients_on_one_store_share_one_service),
		T(client_open_refuses_bad_urls_and_options),
		T(region_comes_from_the_environment),
		T(custom_transports_register_by_scheme),
		cmocka_unit_test(utf8_length_counts_code_points),
		cmocka_unit_test(aws_error_names_map_to_codes),
#undef T
	};
	int failed;

	if (ssm_init() < 0)
		return 2;
	failed = cmocka_run_group_tests_name("api", tests, NULL, NULL);
	ssm_shutdown();
	return failed;
}
