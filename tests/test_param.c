/* SPDX-License-Identifier: Apache-2.0 */
/* Parameter Store: every rule of spec §3 with its error name and message,
 * the bad inputs of issue 4 (each leaves the store unchanged), concurrency,
 * the public API's documented codes, tags, pagination, allocation
 * failures. Runs on the backend named on the command line. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "ssm/ssm.h"
#include "api/client.h"
#include "api/op.h"
#include "core/alloc.h"
#include "core/ctx.h"
#include "core/thread.h"
#include "core/time.h"
#include "fixture.h"
#include "param/api.h"
#include "param/param.h"
#include "param/resolve.h"
#include "ssm/sys/keyprovider.h"
#include "ssm/sys/transport.h"

static const char *backend = "memory";

struct fx {
	struct ssm_test_env env;
	ssm_client *c;
	ssm_service *svc;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f || ssm_test_env_open(&f->env, backend, NULL) < 0)
		return -1;
	f->c = f->env.client;
	f->svc = ssm_test_env_service(&f->env, f->c);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ssm_test_env_close(&f->env);
	free(f);
	return 0;
}

static const ssm_error *last(void)
{
	return ssm_error_last();
}

/* The call returned @code, with this service code (NULL: none) and, when
 * @msg is not NULL, exactly this message. */
static void check_err(ssm_err got, ssm_err code, const char *svc,
		      const char *msg, const char *file, int line)
{
	const ssm_error *e = ssm_error_last();

	_assert_int_equal(got, code, file, line);
	if (svc)
		_assert_string_equal(
			svc, e->service_code ? e->service_code : "(none)", file,
			line);
	else if (e->service_code)
		_assert_string_equal("(none)", e->service_code, file, line);
	if (msg)
		_assert_string_equal(msg, e->message, file, line);
}

#define EXPECT_ERR(expr, code, svc_code, msg) \
	check_err((expr), (code), (svc_code), (msg), __FILE__, __LINE__)

/* The store's revision: unchanged means nothing was written. */
static uint64_t rev(struct fx *f)
{
	uint64_t r = 0;

	assert_int_equal(SSM_OK, ssm_store_revision(&r, f->svc->store));
	return r;
}

static ssm_err put_full(struct fx *f, const char *name, const char *value,
			ssm_param_type type, unsigned flags, uint64_t *v)
{
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;

	o.type = type;
	o.flags = flags;
	return ssm_param_put(v, NULL, f->c, name, value, &o);
}

static ssm_err put(struct fx *f, const char *name, const char *value)
{
	return put_full(f, name, value, SSM_PARAM_STRING, 0, NULL);
}

static ssm_err over(struct fx *f, const char *name, const char *value,
		    uint64_t *v)
{
	return put_full(f, name, value, 0, SSM_PARAM_PUT_OVERWRITE, v);
}

/* The value of @name (must exist), in a static buffer. */
static const char *value_of(struct fx *f, const char *name)
{
	static char buf[9000];
	ssm_param *p = NULL;

	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, name, 0));
	snprintf(buf, sizeof(buf), "%s", ssm_param_value(p));
	ssm_param_free(p);
	return buf;
}

static uint64_t version_of(struct fx *f, const char *name)
{
	ssm_param *p = NULL;
	uint64_t v;

	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, name, 0));
	v = ssm_param_version(p);
	ssm_param_free(p);
	return v;
}

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* ---- §3.1 names ------------------------------------------------------ */

#define MSG_BAD_NAME                                                         \
	"Parameter name: can't be prefixed with \"aws\" or \"ssm\" "         \
	"(case-insensitive). If formed as a path, it can consist of "        \
	"sub-paths divided by slash symbol; each sub-path can be formed as " \
	"a mix of letters, numbers and the following 3 symbols .-_"
#define MSG_LEVELS                                                            \
	"A hierarchy can have a maximum of 15 levels. For more information, " \
	"see https://docs.aws.amazon.com/systems-manager/latest/userguide/"   \
	"sysman-parameter-name-constraints.html"

static void put_then_get_returns_every_field(void **state)
{
	struct fx *f = *state;
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	ssm_param_tier tier = SSM_PARAM_TIER_DEFAULT;
	ssm_param *p = NULL;
	uint64_t v = 0;

	o.type = SSM_PARAM_STRING;
	o.description = "the db host";
	assert_int_equal(SSM_OK, ssm_param_put(&v, &tier, f->c, "/app/db/host",
					       "db.internal", &o));
	assert_int_equal(1, v);
	assert_int_equal(SSM_PARAM_TIER_STANDARD, tier);
	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, "/app/db/host", 0));
	assert_string_equal("/app/db/host", ssm_param_name(p));
	assert_string_equal("db.internal", ssm_param_value(p));
	assert_int_equal(SSM_PARAM_STRING, ssm_param_type_of(p));
	assert_int_equal(1, ssm_param_version(p));
	assert_string_equal("arn:aws:ssm:us-east-1:123456789012:parameter/app/"
			    "db/host",
			    ssm_param_arn(p));
	assert_string_equal("text", ssm_param_data_type(p));
	assert_null(ssm_param_selector(p));
	assert_true(ssm_param_last_modified_ms(p) > 1600000000000);
	/* GetParameter carries no metadata */
	assert_null(ssm_param_description(p));
	assert_int_equal(SSM_PARAM_TIER_DEFAULT, ssm_param_tier_of(p));
	ssm_param_free(p);
}

static void slash_and_plain_one_level_names_are_the_same(void **state)
{
	struct fx *f = *state;
	ssm_param *p = NULL;

	assert_int_equal(SSM_OK, put(f, "/Plain", "v"));
	EXPECT_ERR(put(f, "Plain", "w"), SSM_EEXISTS, "ParameterAlreadyExists",
		   "The parameter already exists. To overwrite this value, "
		   "set the overwrite option in the request to true.");
	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, "Plain", 0));
	assert_string_equal("/Plain", ssm_param_name(p)); /* as created */
	assert_string_equal("arn:aws:ssm:us-east-1:123456789012:parameter/"
			    "Plain",
			    ssm_param_arn(p));
	ssm_param_free(p);
	/* but /Test/P1 and /P1 are different, and a leaf may have
	 * children */
	assert_int_equal(SSM_OK, put(f, "/Test/P1", "a"));
	assert_int_equal(SSM_OK, put(f, "/P1", "b"));
	assert_int_equal(SSM_OK, put(f, "/Test/P1/x", "c"));
	assert_string_equal("a", value_of(f, "/Test/P1"));
	assert_string_equal("b", value_of(f, "P1"));
	/* names are case-sensitive */
	assert_int_equal(SSM_OK, put(f, "/test/p1", "d"));
	assert_string_equal("a", value_of(f, "/Test/P1"));
}

static void spaces_around_names_are_trimmed(void **state)
{
	struct fx *f = *state;
	uint64_t r;

	assert_int_equal(SSM_OK, put(f, "  /trim/me ", "v"));
	assert_string_equal("v", value_of(f, "/trim/me"));
	assert_string_equal("v", value_of(f, " /trim/me  "));
	r = rev(f);
	EXPECT_ERR(put(f, "/in ner", "v"), SSM_EINVALID, "ValidationException",
		   MSG_BAD_NAME);
	EXPECT_ERR(put(f, "   ", "v"), SSM_EINVALID, "ValidationException",
		   MSG_BAD_NAME);
	assert_int_equal(r, rev(f));
}

static void malformed_names_are_refused_and_change_nothing(void **state)
{
	struct fx *f = *state;
	const char *bad[] = { "/a//b", "/a/b/",	 "/",	    "a\x01b",
			      "a\tb",  "/a/b\n", "na$me",   "x:1",
			      "a*",    "/a/é",	 "/\x7f/x", NULL };
	uint64_t r = rev(f);
	size_t i;

	for (i = 0; bad[i]; i++)
		EXPECT_ERR(put(f, bad[i], "v"), SSM_EINVALID,
			   "ValidationException", MSG_BAD_NAME);
	EXPECT_ERR(put(f, "MyParameter3/L1", "v"), SSM_EINVALID,
		   "ValidationException",
		   "Parameter name must be a fully qualified name.");
	EXPECT_ERR(put(f, "bad\xff", "v"), SSM_EINVALID, "ValidationException",
		   "1 validation error detected: Value at 'name' failed to "
		   "satisfy constraint: Member must be valid UTF-8");
	EXPECT_ERR(put(f, "", "v"), SSM_EINVALID, "ValidationException",
		   "1 validation error detected: Value '' at 'name' failed to "
		   "satisfy constraint: Member must have length greater than "
		   "or equal to 1");
	assert_int_equal(r, rev(f));
}

static void fifteen_levels_and_no_more(void **state)
{
	struct fx *f = *state;
	char name[200] = "";
	uint64_t r;
	int i;

	for (i = 0; i < 15; i++)
		strcat(name, "/l");
	assert_int_equal(SSM_OK, put(f, name, "deep"));
	r = rev(f);
	strcat(name, "/l");
	EXPECT_ERR(put(f, name, "v"), SSM_ELIMIT,
		   "HierarchyLevelLimitExceededException", MSG_LEVELS);
	assert_int_equal(r, rev(f));
}

static void reserved_prefixes_are_refused(void **state)
{
	struct fx *f = *state;
	const char *path_msg = MSG_BAD_NAME;
	uint64_t r = rev(f);

	EXPECT_ERR(put(f, "awsTestParameter", "v"), SSM_EINVALID,
		   "ValidationException",
		   "Parameter name: can't be prefixed with \"aws\" or \"ssm\" "
		   "(case-insensitive).");
	EXPECT_ERR(put(f, "SSM-testparameter", "v"), SSM_EINVALID,
		   "ValidationException",
		   "Parameter name: can't be prefixed with \"aws\" or \"ssm\" "
		   "(case-insensitive).");
	EXPECT_ERR(put(f, "/aws/testparam1", "v"), SSM_EAUTH,
		   "AccessDeniedException",
		   "No access to reserved parameter name: /aws/testparam1.");
	EXPECT_ERR(put(f, "/AWS/x", "v"), SSM_EAUTH, "AccessDeniedException",
		   "No access to reserved parameter name: /AWS/x.");
	EXPECT_ERR(put(f, "/ssm/x", "v"), SSM_EINVALID, "ValidationException",
		   path_msg);
	EXPECT_ERR(put(f, "/awsome/x", "v"), SSM_EINVALID,
		   "ValidationException", path_msg);
	assert_int_equal(r, rev(f));
	/* only the first component counts */
	assert_int_equal(SSM_OK, put(f, "/app/aws/ssm", "v"));
	/* reading a reserved name is allowed (and finds nothing) */
	assert_int_equal(SSM_ENOTFOUND,
			 ssm_param_get(&(ssm_param *){ NULL }, f->c,
				       "/aws/service/x", 0));
}

static void names_are_limited_by_their_arn(void **state)
{
	struct fx *f = *state;
	/* "arn:aws:ssm:us-east-1:123456789012:parameter/" has 45
	 * characters, leaving 966 for the name without its '/' */
	char *ok = repeat('n', 967), *too_long = repeat('n', 968);
	char *two_kb = repeat('x', 2048), *over = repeat('x', 2049);
	uint64_t r;

	ok[0] = '/';
	too_long[0] = '/';
	assert_int_equal(SSM_OK, put(f, ok, "v"));
	r = rev(f);
	EXPECT_ERR(put(f, too_long, "v"), SSM_EINVALID, "ValidationException",
		   NULL);
	assert_non_null(strstr(last()->message, "is too long: its ARN would "
						"have 1012 characters; the "
						"maximum is 1011"));
	EXPECT_ERR(put(f, two_kb, "v"), SSM_EINVALID, "ValidationException",
		   NULL);
	EXPECT_ERR(put(f, over, "v"), SSM_EINVALID, "ValidationException",
		   NULL);
	assert_non_null(strstr(last()->message,
			       "Member must have length less than or equal "
			       "to 2048"));
	assert_int_equal(r, rev(f));
	free(ok);
	free(too_long);
	free(two_kb);
	free(over);
}

static void reads_accept_arns_writes_do_not(void **state)
{
	struct fx *f = *state;
	const char *arn = "arn:aws:ssm:us-east-1:123456789012:parameter/a/b";
	ssm_param_list *l = NULL;
	ssm_param *p = NULL;
	const char *names[2];

	assert_int_equal(SSM_OK, put(f, "/a/b", "hier"));
	assert_int_equal(SSM_OK, put(f, "top", "flat"));
	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, arn, 0));
	assert_string_equal("hier", ssm_param_value(p));
	ssm_param_free(p);
	assert_int_equal(SSM_OK,
			 ssm_param_get(&p, f->c,
				       "arn:aws:ssm:us-east-1:123456789012:"
				       "parameter/top:1",
				       0));
	assert_string_equal("flat", ssm_param_value(p));
	assert_string_equal(":1", ssm_param_selector(p));
	ssm_param_free(p);
	/* another region or account is not this store */
	EXPECT_ERR(ssm_param_get(&p, f->c,
				 "arn:aws:ssm:eu-west-1:123456789012:"
				 "parameter/a/b",
				 0),
		   SSM_ENOTFOUND, "ParameterNotFound",
		   "Parameter arn:aws:ssm:eu-west-1:123456789012:parameter/a/b "
		   "not found.");
	assert_null(p);
	names[0] = arn;
	names[1] = "arn:aws:ssm:us-east-1:999999999999:parameter/a/b";
	assert_int_equal(SSM_OK, ssm_param_get_many(&l, f->c, names, 2, 0));
	assert_int_equal(1, ssm_param_list_count(l));
	assert_string_equal(names[1], ssm_param_list_invalid_at(l, 0));
	ssm_param_list_free(l);
	/* not a name for a write */
	EXPECT_ERR(over(f, arn, "v", NULL), SSM_EINVALID, "ValidationException",
		   MSG_BAD_NAME);
	EXPECT_ERR(ssm_param_delete(f->c, arn), SSM_ENOTFOUND,
		   "ParameterNotFound", NULL);
	assert_string_equal("hier", value_of(f, "/a/b"));
}

/* ---- §3.2 types and values ---------------------------------------------- */

static void types_are_checked_and_kept(void **state)
{
	struct fx *f = *state;
	ssm_api_put_parameter_in in;
	ssm_api_put_parameter_out out;
	ssm_call call;
	uint64_t r = rev(f), v = 0;

	EXPECT_ERR(put_full(f, "/t/x", "v", 0, 0, NULL), SSM_EINVALID,
		   "ValidationException",
		   "A parameter type is required when you create a "
		   "parameter.");
	/* a type name the C enum cannot express, straight at the op */
	memset(&in, 0, sizeof(in));
	in.name = "/t/x";
	in.value = "v";
	in.type = "Integer";
	ssm_client__call_init(&call, f->c);
	EXPECT_ERR(ssm_client__call(f->c, &ssm_param__op_put, &in, &out, &call),
		   SSM_EINVALID, "ValidationException",
		   "1 validation error detected: Value 'Integer' at 'type' "
		   "failed to satisfy constraint: Member must satisfy enum "
		   "value set: [SecureString, StringList, String]");
	ssm_call__dispose(&call);
	assert_int_equal(r, rev(f));

	assert_int_equal(SSM_OK, put_full(f, "/t/list", "a,b,,c",
					  SSM_PARAM_STRING_LIST, 0, NULL));
	assert_string_equal("a,b,,c", value_of(f, "/t/list"));
	/* the type is kept on overwrite without a type */
	assert_int_equal(SSM_OK, over(f, "/t/list", "d,e", &v));
	assert_int_equal(2, v);
	r = rev(f);
	EXPECT_ERR(put_full(f, "/t/list", "x", SSM_PARAM_STRING,
			    SSM_PARAM_PUT_OVERWRITE, NULL),
		   SSM_ECONFLICT, "HierarchyTypeMismatchException",
		   "The parameter type can't be changed: /t/list is a "
		   "StringList parameter, not String. Delete it and create it "
		   "again to change its type.");
	assert_int_equal(r, rev(f));
}

static void values_have_length_limits_per_tier(void **state)
{
	struct fx *f = *state;
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	char *v4096 = repeat('a', 4096), *v4097 = repeat('a', 4097);
	char *v8192 = repeat('b', 8192), *v8193 = repeat('b', 8193);
	ssm_param_tier tier;
	uint64_t r;

	assert_int_equal(SSM_OK, put(f, "/size/std", v4096));
	r = rev(f);
	EXPECT_ERR(put(f, "/size/std2", v4097), SSM_EINVALID,
		   "ValidationException",
		   "Standard tier parameters support a maximum parameter value "
		   "of 4096 characters. To create a larger parameter value, "
		   "upgrade the parameter to use the advanced-parameter tier. "
		   "For more information, see https://docs.aws.amazon.com/"
		   "systems-manager/latest/userguide/"
		   "parameter-store-advanced-parameters.html");
	/* overwriting a Standard parameter keeps its tier */
	EXPECT_ERR(over(f, "/size/std", v4097, NULL), SSM_EINVALID,
		   "ValidationException", NULL);
	assert_int_equal(r, rev(f));
	o.type = SSM_PARAM_STRING;
	o.tier = SSM_PARAM_TIER_ADVANCED;
	assert_int_equal(SSM_OK, ssm_param_put(NULL, &tier, f->c, "/size/adv",
					       v8192, &o));
	assert_int_equal(SSM_PARAM_TIER_ADVANCED, tier);
	assert_int_equal(8192, strlen(value_of(f, "/size/adv")));
	r = rev(f);
	EXPECT_ERR(ssm_param_put(NULL, NULL, f->c, "/size/adv2", v8193, &o),
		   SSM_EINVALID, "ValidationException",
		   "Advanced tier parameters support a maximum parameter value "
		   "of 8192 characters.");
	assert_int_equal(r, rev(f));
	/* characters, not bytes: 4096 two-byte characters fit Standard */
	{
		char *wide = malloc(4096 * 2 + 1);
		int i;

		for (i = 0; i < 4096; i++)
			memcpy(wide + 2 * i, "\xc3\xa9", 2);
		wide[8192] = '\0';
		assert_int_equal(SSM_OK, put(f, "/size/wide", wide));
		free(wide);
	}
	free(v4096);
	free(v4097);
	free(v8192);
	free(v8193);
}

static void intelligent_tiering_picks_the_tier(void **state)
{
	struct fx *f = *state;
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	char *big = repeat('c', 5000);
	ssm_param_tier tier;

	o.type = SSM_PARAM_STRING;
	o.tier = SSM_PARAM_TIER_INTELLIGENT;
	assert_int_equal(
		SSM_OK, ssm_param_put(NULL, &tier, f->c, "/it/small", "x", &o));
	assert_int_equal(SSM_PARAM_TIER_STANDARD, tier);
	assert_int_equal(SSM_OK,
			 ssm_param_put(NULL, &tier, f->c, "/it/big", big, &o));
	assert_int_equal(SSM_PARAM_TIER_ADVANCED, tier);
	/* a small value on an Advanced parameter stays Advanced */
	o.flags = SSM_PARAM_PUT_OVERWRITE;
	o.type = 0;
	assert_int_equal(SSM_OK,
			 ssm_param_put(NULL, &tier, f->c, "/it/big", "s", &o));
	assert_int_equal(SSM_PARAM_TIER_ADVANCED, tier);
	/* Standard upgrades to Advanced, never back */
	o.tier = SSM_PARAM_TIER_ADVANCED;
	assert_int_equal(
		SSM_OK, ssm_param_put(NULL, &tier, f->c, "/it/small", "y", &o));
	assert_int_equal(SSM_PARAM_TIER_ADVANCED, tier);
	o.tier = SSM_PARAM_TIER_STANDARD;
	EXPECT_ERR(ssm_param_put(NULL, &tier, f->c, "/it/small", "z", &o),
		   SSM_EINVALID, "ValidationException",
		   "This parameter uses the advanced-parameter tier. You can't "
		   "downgrade a parameter from the advanced-parameter tier to "
		   "the standard-parameter tier. If necessary, you can delete "
		   "the advanced parameter and recreate it as a standard "
		   "parameter.");
	free(big);
}

static void values_may_not_refer_to_parameters(void **state)
{
	struct fx *f = *state;
	uint64_t r = rev(f);

	EXPECT_ERR(put(f, "/ref/x", "a {{ssm:/other}} b"), SSM_EINVALID,
		   "ValidationException",
		   "Parameter values can't contain parameter references "
		   "({{...}}): a value may not refer to another parameter.");
	EXPECT_ERR(put(f, "/ref/x", "{{x}}"), SSM_EINVALID,
		   "ValidationException", NULL);
	assert_int_equal(r, rev(f));
	assert_int_equal(SSM_OK, put(f, "/ref/ok", "{{ unclosed"));
	assert_int_equal(SSM_OK, put(f, "/ref/ok2", "}} {{"));
}

static void empty_and_invalid_values_are_refused(void **state)
{
	struct fx *f = *state;
	uint64_t r = rev(f);

	EXPECT_ERR(put(f, "/v/x", ""), SSM_EINVALID, "ValidationException",
		   "1 validation error detected: Value at 'value' failed to "
		   "satisfy constraint: Member must have length greater than "
		   "or equal to 1");
	EXPECT_ERR(put(f, "/v/x", "ok\xc3"), SSM_EINVALID,
		   "ValidationException",
		   "1 validation error detected: Value at 'value' failed to "
		   "satisfy constraint: Member must be valid UTF-8");
	assert_int_equal(r, rev(f));
}

static void data_types_are_checked(void **state)
{
	struct fx *f = *state;
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	ssm_param *p = NULL;
	uint64_t r;

	o.type = SSM_PARAM_STRING;
	o.data_type = "aws:ec2:image";
	assert_int_equal(SSM_OK, ssm_param_put(NULL, NULL, f->c, "/ami/x",
					       "ami-0123456789abcdef0", &o));
	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, "/ami/x", 0));
	assert_string_equal("aws:ec2:image", ssm_param_data_type(p));
	ssm_param_free(p);
	r = rev(f);
	EXPECT_ERR(ssm_param_put(NULL, NULL, f->c, "/ami/y", "not-an-ami", &o),
		   SSM_EINVALID, "ValidationException",
		   "The value 'not-an-ami' is not valid for data type "
		   "aws:ec2:image: an image id is ami- followed by 8 to 17 "
		   "hexadecimal digits");
	/* the data type is kept: later values are checked too */
	o.flags = SSM_PARAM_PUT_OVERWRITE;
	o.data_type = NULL;
	EXPECT_ERR(ssm_param_put(NULL, NULL, f->c, "/ami/x", "ami-XYZ", &o),
		   SSM_EINVALID, "ValidationException", NULL);
	o.flags = 0;
	o.data_type = "Text";
	EXPECT_ERR(ssm_param_put(NULL, NULL, f->c, "/ami/z", "v", &o),
		   SSM_EINVALID, "ValidationException",
		   "The following data type is not supported: Text (Data type "
		   "names are all lowercase.)");
	o.type = SSM_PARAM_STRING_LIST;
	o.data_type = "aws:ec2:image";
	EXPECT_ERR(ssm_param_put(NULL, NULL, f->c, "/ami/z",
				 "ami-0123456789abcdef0", &o),
		   SSM_EINVALID, "ValidationException",
		   "The data type aws:ec2:image is only supported for "
		   "parameters of type String.");
	assert_int_equal(r, rev(f));
}

static void allowed_patterns_check_every_value(void **state)
{
	struct fx *f = *state;
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	char *huge = repeat('a', 1025);
	uint64_t r;

	o.type = SSM_PARAM_STRING;
	o.allowed_pattern = "^\\d+$";
	assert_int_equal(SSM_OK,
			 ssm_param_put(NULL, NULL, f->c, "/pat/n", "42", &o));
	r = rev(f);
	EXPECT_ERR(ssm_param_put(NULL, NULL, f->c, "/pat/m", "x42", &o),
		   SSM_EINVALID, "ParameterPatternMismatchException",
		   "Parameter value, cannot be validated against "
		   "allowedPattern: ^\\d+$");
	/* the pattern stays in force for later versions */
	EXPECT_ERR(over(f, "/pat/n", "forty-two", NULL), SSM_EINVALID,
		   "ParameterPatternMismatchException", NULL);
	o.allowed_pattern = "([a-z";
	EXPECT_ERR(ssm_param_put(NULL, NULL, f->c, "/pat/bad", "x", &o),
		   SSM_EINVALID, "InvalidAllowedPatternException",
		   "The allowed pattern '([a-z' is not a valid regular "
		   "expression: missing terminating ] for character class at "
		   "offset 5");
	o.allowed_pattern = huge;
	EXPECT_ERR(ssm_param_put(NULL, NULL, f->c, "/pat/huge", "x", &o),
		   SSM_EINVALID, "ValidationException", NULL);
	assert_non_null(strstr(last()->message, "at 'allowedPattern' failed "
						"to satisfy constraint: Member "
						"must have length less than "
						"or equal to 1024"));
	assert_int_equal(r, rev(f));
	assert_int_equal(SSM_OK, over(f, "/pat/n", "43", NULL));
	free(huge);
}

static void catastrophic_patterns_fail_fast(void **state)
{
	struct fx *f = *state;
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	char value[64];
	uint64_t r = rev(f);

	memset(value, 'a', 40);
	value[40] = '!';
	value[41] = '\0';
	o.type = SSM_PARAM_STRING;
	o.allowed_pattern = "^(a+)+$";
	EXPECT_ERR(ssm_param_put(NULL, NULL, f->c, "/pat/evil", value, &o),
		   SSM_EINVALID, "InvalidAllowedPatternException",
		   "The allowed pattern '^(a+)+$' needs too much backtracking "
		   "to check a value (PCRE2 match limit exceeded)");
	assert_int_equal(r, rev(f));
}

static void tags_and_overwrite_exclude_each_other(void **state)
{
	struct fx *f = *state;
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	ssm_tag tags[2] = { { "team", "core" }, { "env", NULL } };
	ssm_tag_list *tl = NULL;
	uint64_t r;

	o.type = SSM_PARAM_STRING;
	o.tags = tags;
	o.tags_count = 2;
	assert_int_equal(SSM_OK,
			 ssm_param_put(NULL, NULL, f->c, "/tag/p", "v", &o));
	assert_int_equal(SSM_OK,
			 ssm_tags_list(&tl, f->c, "Parameter", "/tag/p"));
	assert_int_equal(2, ssm_tag_list_count(tl));
	assert_string_equal("env", ssm_tag_list_key(tl, 0));
	assert_string_equal("", ssm_tag_list_value(tl, 0));
	assert_string_equal("team", ssm_tag_list_key(tl, 1));
	assert_string_equal("core", ssm_tag_list_value(tl, 1));
	ssm_tag_list_free(tl);
	r = rev(f);
	o.flags = SSM_PARAM_PUT_OVERWRITE;
	EXPECT_ERR(
		ssm_param_put(NULL, NULL, f->c, "/tag/p", "w", &o),
		SSM_EINVALID, "ValidationException",
		"Invalid request: tags and overwrite can't be used together. "
		"To create a parameter with tags, please remove overwrite "
		"flag. To update tags for an existing parameter, please use "
		"AddTagsToResource or RemoveTagsFromResource.");
	assert_int_equal(r, rev(f));
}

static void descriptions_are_limited(void **state)
{
	struct fx *f = *state;
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	char *d = repeat('d', 1025);
	uint64_t r = rev(f);

	o.type = SSM_PARAM_STRING;
	o.description = d;
	EXPECT_ERR(ssm_param_put(NULL, NULL, f->c, "/d/x", "v", &o),
		   SSM_EINVALID, "ValidationException", NULL);
	assert_non_null(strstr(last()->message, "at 'description' failed"));
	assert_int_equal(r, rev(f));
	free(d);
}

static void key_ids_are_for_secure_strings_only(void **state)
{
	struct fx *f = *state;
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	uint64_t r = rev(f);

	o.type = SSM_PARAM_STRING;
	o.key_id = "alias/aws/ssm";
	EXPECT_ERR(ssm_param_put(NULL, NULL, f->c, "/k/x", "v", &o),
		   SSM_EUNSUPPORTED, "UnsupportedParameterType",
		   "KeyId can only be given for SecureString parameters; /k/x "
		   "is a String parameter.");
	o.type = SSM_PARAM_SECURE_STRING;
	o.key_id = "bad key!";
	EXPECT_ERR(ssm_param_put(NULL, NULL, f->c, "/k/x", "v", &o),
		   SSM_EINVALID, "ValidationException",
		   "1 validation error detected: Value 'bad key!' at 'keyId' "
		   "failed to satisfy constraint: Member must satisfy regular "
		   "expression pattern: ^([a-zA-Z0-9:/_-]+)$");
	assert_int_equal(r, rev(f));
}

/* ---- §3.3 tiers and counts -------------------------------------------- */

static void parameter_counts_are_limited_per_tier(void **state)
{
	struct fx *f = *state;
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	char name[32];
	ssm_param_tier tier;
	uint64_t r;
	int i;

	ssm_param__set_count_limits(f->svc, 5, 2);
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "/count/%d", i);
		assert_int_equal(SSM_OK, put(f, name, "v"));
	}
	r = rev(f);
	EXPECT_ERR(put(f, "/count/5", "v"), SSM_ELIMIT,
		   "ParameterLimitExceeded",
		   "You have reached the limit of 5 Standard parameters in "
		   "this account and Region. Delete parameters you no longer "
		   "need, or use the advanced-parameter tier.");
	assert_int_equal(r, rev(f));
	/* overwrites do not count */
	assert_int_equal(SSM_OK, over(f, "/count/0", "w", NULL));
	/* Intelligent-Tiering goes Advanced when Standard is full */
	o.type = SSM_PARAM_STRING;
	o.tier = SSM_PARAM_TIER_INTELLIGENT;
	assert_int_equal(
		SSM_OK, ssm_param_put(NULL, &tier, f->c, "/count/it", "v", &o));
	assert_int_equal(SSM_PARAM_TIER_ADVANCED, tier);
	/* deleting frees a place */
	assert_int_equal(SSM_OK, ssm_param_delete(f->c, "/count/1"));
	assert_int_equal(SSM_OK, put(f, "/count/5", "v"));
	/* Advanced has its own count; upgrading counts there */
	o.tier = SSM_PARAM_TIER_ADVANCED;
	o.flags = SSM_PARAM_PUT_OVERWRITE;
	o.type = 0;
	assert_int_equal(SSM_OK,
			 ssm_param_put(NULL, &tier, f->c, "/count/0", "v", &o));
	EXPECT_ERR(ssm_param_put(NULL, &tier, f->c, "/count/2", "v", &o),
		   SSM_ELIMIT, "ParameterLimitExceeded",
		   "You have reached the limit of 2 Advanced parameters in "
		   "this account and Region. Delete parameters you no longer "
		   "need, or use the advanced-parameter tier.");
	/* and frees one in Standard */
	assert_int_equal(SSM_OK, put(f, "/count/6", "v"));
	ssm_param__set_count_limits(f->svc, 0, 0);
}

/* ---- §3.4 versions ------------------------------------------------------ */

static void overwrites_make_consecutive_versions(void **state)
{
	struct fx *f = *state;
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	ssm_param_iter *it = NULL;
	const ssm_param *h;
	uint64_t v = 0;

	o.type = SSM_PARAM_STRING;
	o.description = "first";
	o.allowed_pattern = "^[a-z]+$";
	assert_int_equal(SSM_OK,
			 ssm_param_put(&v, NULL, f->c, "/ver/x", "one", &o));
	assert_int_equal(1, v);
	assert_int_equal(SSM_OK, over(f, "/ver/x", "two", &v));
	assert_int_equal(2, v);
	/* the same value again is a new version */
	assert_int_equal(SSM_OK, over(f, "/ver/x", "two", &v));
	assert_int_equal(3, v);
	/* omitted fields were carried over */
	assert_int_equal(SSM_OK, ssm_param_history(&it, f->c, "/ver/x", NULL));
	while (ssm_param_iter_next(&h, it) == SSM_OK) {
		assert_string_equal("first", ssm_param_description(h));
		assert_string_equal("^[a-z]+$", ssm_param_allowed_pattern(h));
	}
	ssm_param_iter_free(it);
	EXPECT_ERR(put(f, "/ver/x", "four"), SSM_EEXISTS,
		   "ParameterAlreadyExists",
		   "The parameter already exists. To overwrite this value, set "
		   "the overwrite option in the request to true.");
	assert_int_equal(3, version_of(f, "/ver/x"));
}

static void versions_and_labels_select_old_values(void **state)
{
	struct fx *f = *state;
	const char *labels[] = { "prod" };
	ssm_param *p = NULL;
	uint64_t r;

	assert_int_equal(SSM_OK, put(f, "/sel/x", "v1"));
	assert_int_equal(SSM_OK, over(f, "/sel/x", "v2", NULL));
	assert_int_equal(SSM_OK, over(f, "/sel/x", "v3", NULL));
	assert_int_equal(SSM_OK, ssm_param_label(NULL, NULL, f->c, "/sel/x", 1,
						 labels, 1));
	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, "/sel/x:2", 0));
	assert_string_equal("v2", ssm_param_value(p));
	assert_int_equal(2, ssm_param_version(p));
	assert_string_equal(":2", ssm_param_selector(p));
	ssm_param_free(p);
	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, "/sel/x:prod", 0));
	assert_string_equal("v1", ssm_param_value(p));
	assert_string_equal(":prod", ssm_param_selector(p));
	ssm_param_free(p);
	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, "/sel/x:3", 0));
	assert_string_equal("v3", ssm_param_value(p));
	ssm_param_free(p);
	r = rev(f);
	EXPECT_ERR(ssm_param_get(&p, f->c, "/sel/x:9", 0), SSM_ENOTFOUND,
		   "ParameterVersionNotFound",
		   "Systems Manager could not find version 9 of /sel/x. Verify "
		   "the version and try again.");
	EXPECT_ERR(ssm_param_get(&p, f->c, "/sel/x:staging", 0), SSM_ENOTFOUND,
		   "ParameterNotFound", "Parameter /sel/x:staging not found.");
	EXPECT_ERR(ssm_param_get(&p, f->c, "/sel/x:1:2", 0), SSM_ENOTFOUND,
		   "ParameterNotFound", "Parameter /sel/x:1:2 not found.");
	EXPECT_ERR(ssm_param_get(&p, f->c, "/sel/x:", 0), SSM_ENOTFOUND,
		   "ParameterNotFound", NULL);
	EXPECT_ERR(ssm_param_get(&p, f->c, "/sel/none:1", 0), SSM_ENOTFOUND,
		   "ParameterNotFound", "Parameter /sel/none:1 not found.");
	EXPECT_ERR(ssm_param_get(&p, f->c, "/sel/x:0", 0), SSM_ENOTFOUND,
		   "ParameterVersionNotFound", NULL);
	assert_null(p);
	assert_int_equal(r, rev(f));
}

static void only_one_hundred_versions_are_kept(void **state)
{
	struct fx *f = *state;
	ssm_param_iter *it = NULL;
	const ssm_param *h;
	ssm_param *p = NULL;
	uint64_t v = 0, expect;
	int i;

	assert_int_equal(SSM_OK, put(f, "/ring/x", "v1"));
	for (i = 2; i <= 101; i++) {
		char val[16];

		snprintf(val, sizeof(val), "v%d", i);
		assert_int_equal(SSM_OK, over(f, "/ring/x", val, &v));
		assert_int_equal(i, v);
	}
	EXPECT_ERR(ssm_param_get(&p, f->c, "/ring/x:1", 0), SSM_ENOTFOUND,
		   "ParameterVersionNotFound",
		   "Systems Manager could not find version 1 of /ring/x. "
		   "Verify the version and try again.");
	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, "/ring/x:2", 0));
	assert_string_equal("v2", ssm_param_value(p));
	ssm_param_free(p);
	assert_int_equal(SSM_OK, ssm_param_history(&it, f->c, "/ring/x", NULL));
	for (expect = 2; ssm_param_iter_next(&h, it) == SSM_OK; expect++)
		assert_int_equal(expect, ssm_param_version(h));
	assert_int_equal(102, expect);
	ssm_param_iter_free(it);
}

static void a_labelled_oldest_version_blocks_the_next(void **state)
{
	struct fx *f = *state;
	const char *labels[] = { "keep" };
	uint64_t v = 0, r;
	int i;

	assert_int_equal(SSM_OK, put(f, "/ring/l", "v"));
	assert_int_equal(SSM_OK, ssm_param_label(NULL, NULL, f->c, "/ring/l", 1,
						 labels, 1));
	for (i = 2; i <= 100; i++)
		assert_int_equal(SSM_OK, over(f, "/ring/l", "v", &v));
	assert_int_equal(100, v);
	r = rev(f);
	EXPECT_ERR(
		over(f, "/ring/l", "v", &v), SSM_ELIMIT,
		"ParameterMaxVersionLimitExceeded",
		"You attempted to create a new version of /ring/l by calling "
		"the PutParameter API with the overwrite flag. Version 1, "
		"the oldest version, can't be deleted because it has a "
		"label associated with it. Move the label to another "
		"version of the parameter, and try again.");
	assert_int_equal(0, v);
	assert_int_equal(r, rev(f));
	assert_int_equal(100, version_of(f, "/ring/l"));
	/* moving the label unblocks it */
	assert_int_equal(SSM_OK, ssm_param_label(NULL, NULL, f->c, "/ring/l",
						 50, labels, 1));
	assert_int_equal(SSM_OK, over(f, "/ring/l", "v", &v));
	assert_int_equal(101, v);
}

/* ---- §3.5 labels -----------------------------------------------------------
 */

static void labels_move_between_versions(void **state)
{
	struct fx *f = *state;
	const char *l1[] = { "blue", "green" };
	const char *l2[] = { "green" };
	ssm_strarray invalid = SSM_STRARRAY_INIT;
	ssm_param_iter *it = NULL;
	const ssm_param *h;
	uint64_t v = 0;

	assert_int_equal(SSM_OK, put(f, "/lab/x", "a"));
	assert_int_equal(SSM_OK, over(f, "/lab/x", "b", NULL));
	/* no version: the latest */
	assert_int_equal(SSM_OK, ssm_param_label(&v, &invalid, f->c, "/lab/x",
						 0, l1, 2));
	assert_int_equal(2, v);
	assert_int_equal(0, invalid.count);
	assert_int_equal(SSM_OK,
			 ssm_param_label(&v, NULL, f->c, "/lab/x", 1, l2, 1));
	assert_int_equal(1, v);
	assert_int_equal(SSM_OK, ssm_param_history(&it, f->c, "/lab/x", NULL));
	assert_int_equal(SSM_OK, ssm_param_iter_next(&h, it));
	assert_int_equal(1, ssm_param_labels_count(h));
	assert_string_equal("green", ssm_param_label_at(h, 0));
	assert_int_equal(SSM_OK, ssm_param_iter_next(&h, it));
	assert_int_equal(1, ssm_param_labels_count(h));
	assert_string_equal("blue", ssm_param_label_at(h, 0));
	assert_null(ssm_param_label_at(h, 1));
	assert_int_equal(SSM_ITEROVER, ssm_param_iter_next(&h, it));
	assert_null(h);
	ssm_param_iter_free(it);
	assert_string_equal("a", value_of(f, "/lab/x:green"));
}

static void invalid_labels_are_returned_not_raised(void **state)
{
	struct fx *f = *state;
	const char *labels[] = { "ok-1",  "1digit", "awsX",  "SSMy",
				 "bad/x", "ok.2",   "sp ace" };
	ssm_strarray invalid = SSM_STRARRAY_INIT;
	uint64_t v = 0;

	assert_int_equal(SSM_OK, put(f, "/lab/inv", "a"));
	assert_int_equal(SSM_OK, ssm_param_label(&v, &invalid, f->c, "/lab/inv",
						 1, labels, 7));
	assert_int_equal(1, v);
	assert_int_equal(5, invalid.count);
	assert_string_equal("1digit", invalid.strings[0]);
	assert_string_equal("awsX", invalid.strings[1]);
	assert_string_equal("SSMy", invalid.strings[2]);
	assert_string_equal("bad/x", invalid.strings[3]);
	assert_string_equal("sp ace", invalid.strings[4]);
	ssm_strarray_dispose(&invalid);
	assert_string_equal("a", value_of(f, "/lab/inv:ok-1"));
	assert_string_equal("a", value_of(f, "/lab/inv:ok.2"));
}

static void label_limits_and_errors(void **state)
{
	struct fx *f = *state;
	const char *ten[] = { "l0", "l1", "l2", "l3", "l4",
			      "l5", "l6", "l7", "l8", "l9" };
	const char *eleventh[] = { "l10" };
	const char *one[] = { "x" };
	char *long_label = repeat('a', 101);
	const char *too_long[1];
	uint64_t r;

	too_long[0] = long_label;
	assert_int_equal(SSM_OK, put(f, "/lab/lim", "a"));
	assert_int_equal(SSM_OK, over(f, "/lab/lim", "b", NULL));
	assert_int_equal(SSM_OK, ssm_param_label(NULL, NULL, f->c, "/lab/lim",
						 1, ten, 10));
	r = rev(f);
	EXPECT_ERR(
		ssm_param_label(NULL, NULL, f->c, "/lab/lim", 1, eleventh, 1),
		SSM_ELIMIT, "ParameterVersionLabelLimitExceeded",
		"A parameter version can have maximum 10 labels. Move one "
		"or more labels to another version and try again.");
	EXPECT_ERR(
		ssm_param_label(NULL, NULL, f->c, "/lab/lim", 1, too_long, 1),
		SSM_EINVALID, "ValidationException", NULL);
	assert_non_null(strstr(last()->message,
			       "at 'labels.1.member' failed to satisfy "
			       "constraint: Member must have length less than "
			       "or equal to 100"));
	EXPECT_ERR(ssm_param_label(NULL, NULL, f->c, "/lab/lim", 3, one, 1),
		   SSM_ENOTFOUND, "ParameterVersionNotFound",
		   "Systems Manager could not find version 3 of /lab/lim. "
		   "Verify the version and try again.");
	EXPECT_ERR(ssm_param_label(NULL, NULL, f->c, "/lab/none", 0, one, 1),
		   SSM_ENOTFOUND, "ParameterNotFound",
		   "Parameter /lab/none not found.");
	EXPECT_ERR(ssm_param_label(NULL, NULL, f->c, "/lab/lim", 0, one, 0),
		   SSM_EINVALID, "ValidationException",
		   "1 validation error detected: Value '[]' at 'labels' failed "
		   "to satisfy constraint: Member must have length greater "
		   "than or equal to 1");
	assert_int_equal(r, rev(f));
	/* moving one away makes room */
	assert_int_equal(SSM_OK, ssm_param_label(NULL, NULL, f->c, "/lab/lim",
						 2, ten, 1));
	assert_int_equal(SSM_OK, ssm_param_label(NULL, NULL, f->c, "/lab/lim",
						 1, eleventh, 1));
	free(long_label);
}

static void unlabel_reports_removed_and_invalid(void **state)
{
	struct fx *f = *state;
	const char *l[] = { "a", "b" };
	const char *rm[] = { "a", "zzz", "b" };
	ssm_strarray removed = SSM_STRARRAY_INIT, invalid = SSM_STRARRAY_INIT;
	ssm_param *p = NULL;

	assert_int_equal(SSM_OK, put(f, "/unl/x", "1"));
	assert_int_equal(SSM_OK, over(f, "/unl/x", "2", NULL));
	assert_int_equal(SSM_OK,
			 ssm_param_label(NULL, NULL, f->c, "/unl/x", 1, l, 1));
	assert_int_equal(SSM_OK, ssm_param_label(NULL, NULL, f->c, "/unl/x", 2,
						 l + 1, 1));
	assert_int_equal(SSM_OK, ssm_param_unlabel(&removed, &invalid, f->c,
						   "/unl/x", 1, rm, 3));
	assert_int_equal(1, removed.count);
	assert_string_equal("a", removed.strings[0]);
	assert_int_equal(2, invalid.count);
	assert_string_equal("zzz", invalid.strings[0]);
	assert_string_equal("b", invalid.strings[1]); /* on version 2 */
	ssm_strarray_dispose(&removed);
	ssm_strarray_dispose(&invalid);
	EXPECT_ERR(ssm_param_get(&p, f->c, "/unl/x:a", 0), SSM_ENOTFOUND,
		   "ParameterNotFound", NULL);
	assert_string_equal("2", value_of(f, "/unl/x:b"));
	EXPECT_ERR(
		ssm_param_unlabel(&removed, &invalid, f->c, "/unl/x", 0, rm, 1),
		SSM_EINVALID, "ValidationException",
		"1 validation error detected: Value null at "
		"'parameterVersion' failed to satisfy constraint: Member "
		"must not be null");
	EXPECT_ERR(
		ssm_param_unlabel(&removed, &invalid, f->c, "/unl/x", 7, rm, 1),
		SSM_ENOTFOUND, "ParameterVersionNotFound", NULL);
	EXPECT_ERR(ssm_param_unlabel(&removed, &invalid, f->c, "/unl/none", 1,
				     rm, 1),
		   SSM_ENOTFOUND, "ParameterNotFound",
		   "Parameter /unl/none not found.");
	assert_null(removed.strings);
	assert_null(invalid.strings);
}

/* ---- §3.7 GetParameters ----------------------------------------------------
 */

static void get_many_answers_valid_and_lists_invalid(void **state)
{
	struct fx *f = *state;
	const char *names[] = { "/gm/a",   "/gm/missing", "/gm/a",
				"/gm/b:1", "bad name",	  "/gm/b:7" };
	const char *eleven[11];
	ssm_param_list *l = NULL;
	int i;

	assert_int_equal(SSM_OK, put(f, "/gm/a", "A"));
	assert_int_equal(SSM_OK, put(f, "/gm/b", "B"));
	assert_int_equal(SSM_OK, ssm_param_get_many(&l, f->c, names, 6, 0));
	assert_int_equal(2, ssm_param_list_count(l));
	assert_string_equal("A", ssm_param_value(ssm_param_list_at(l, 0)));
	assert_string_equal("B", ssm_param_value(ssm_param_list_at(l, 1)));
	assert_string_equal(":1", ssm_param_selector(ssm_param_list_at(l, 1)));
	assert_null(ssm_param_list_at(l, 2));
	assert_int_equal(3, ssm_param_list_invalid_count(l));
	assert_string_equal("/gm/missing", ssm_param_list_invalid_at(l, 0));
	assert_string_equal("bad name", ssm_param_list_invalid_at(l, 1));
	assert_string_equal("/gm/b:7", ssm_param_list_invalid_at(l, 2));
	assert_null(ssm_param_list_invalid_at(l, 3));
	ssm_param_list_free(l);
	for (i = 0; i < 11; i++)
		eleven[i] = "/gm/a";
	EXPECT_ERR(ssm_param_get_many(&l, f->c, eleven, 11, 0), SSM_EINVALID,
		   "ValidationException",
		   "1 validation error detected: Value '[/gm/a, /gm/a, /gm/a, "
		   "/gm/a, /gm/a, /gm/a, /gm/a, /gm/a, /gm/a, /gm/a, /gm/a]' "
		   "at 'names' failed to "
		   "satisfy constraint: Member must have length less than or "
		   "equal to 10");
	assert_null(l);
	EXPECT_ERR(
		ssm_param_get_many(&l, f->c, eleven, 0, 0), SSM_EINVALID,
		"ValidationException",
		"1 validation error detected: Value '[]' at 'names' failed to "
		"satisfy constraint: Member must have length greater than "
		"or equal to 1");
}

/* ---- §3.7 GetParametersByPath ------------------------------------------- */

/* Names an iterator yields, joined by ' '. */
static ssm_err collect(char *out, size_t size, ssm_param_iter *it)
{
	const ssm_param *p;
	ssm_err error;

	out[0] = '\0';
	while ((error = ssm_param_iter_next(&p, it)) == SSM_OK) {
		if (out[0])
			strncat(out, " ", size - strlen(out) - 1);
		strncat(out, ssm_param_name(p), size - strlen(out) - 1);
	}
	ssm_param_iter_free(it);
	return error == SSM_ITEROVER ? SSM_OK : error;
}

static size_t words(const char *s)
{
	size_t n = *s ? 1 : 0;

	for (; *s; s++)
		if (*s == ' ')
			n++;
	return n;
}

static ssm_err by_path(struct fx *f, char *out, size_t size, const char *path,
		       unsigned flags, const ssm_param_filter *filters,
		       size_t nfilters, size_t page)
{
	ssm_param_get_by_path_options o = SSM_PARAM_GET_BY_PATH_OPTIONS_INIT;
	ssm_param_iter *it = NULL;

	o.flags = flags;
	o.filters = filters;
	o.filters_count = nfilters;
	o.page_size = page;
	if (ssm_param_get_by_path(&it, f->c, path, &o) < 0)
		return ssm_error_last()->code;
	return collect(out, size, it);
}

static void tree(struct fx *f)
{
	assert_int_equal(SSM_OK, put(f, "/p", "leaf"));
	assert_int_equal(SSM_OK, put(f, "/p/a", "1"));
	assert_int_equal(SSM_OK, put(f, "/p/b", "2"));
	assert_int_equal(SSM_OK, put_full(f, "/p/c", "3", SSM_PARAM_STRING_LIST,
					  0, NULL));
	assert_int_equal(SSM_OK, put(f, "/p/a/x", "4"));
	assert_int_equal(SSM_OK, put(f, "/p/a/y/z", "5"));
	assert_int_equal(SSM_OK, put(f, "/p-other/q", "6"));
	assert_int_equal(SSM_OK, put(f, "/p.dot", "7"));
	assert_int_equal(SSM_OK, put(f, "root", "8"));
	assert_int_equal(SSM_OK, put(f, "/rootslash", "9"));
}

static void by_path_reads_one_level_or_the_subtree(void **state)
{
	struct fx *f = *state;
	char got[512];

	tree(f);
	assert_int_equal(SSM_OK,
			 by_path(f, got, sizeof(got), "/p", 0, NULL, 0, 0));
	assert_string_equal("/p/a /p/b /p/c", got);
	assert_int_equal(SSM_OK,
			 by_path(f, got, sizeof(got), "/p/", 0, NULL, 0, 0));
	assert_string_equal("/p/a /p/b /p/c", got);
	assert_int_equal(SSM_OK, by_path(f, got, sizeof(got), "/p",
					 SSM_PARAM_RECURSIVE, NULL, 0, 0));
	assert_string_equal("/p/a /p/a/x /p/a/y/z /p/b /p/c", got);
	assert_int_equal(SSM_OK,
			 by_path(f, got, sizeof(got), "/p/a/y", 0, NULL, 0, 0));
	assert_string_equal("/p/a/y/z", got);
	assert_int_equal(SSM_OK, by_path(f, got, sizeof(got), "/nothing", 0,
					 NULL, 0, 0));
	assert_string_equal("", got);
	/* the root level: one-level names */
	assert_int_equal(SSM_OK,
			 by_path(f, got, sizeof(got), "/", 0, NULL, 0, 0));
	assert_string_equal("/p /p.dot root /rootslash", got);
	assert_int_equal(SSM_OK, by_path(f, got, sizeof(got), "/",
					 SSM_PARAM_RECURSIVE, NULL, 0, 3));
	assert_string_equal("/p-other/q /p/a /p/a/x /p/a/y/z /p/b /p/c /p "
			    "/p.dot root /rootslash",
			    got);
}

static void by_path_pages_with_small_pages(void **state)
{
	struct fx *f = *state;
	char got[512], name[32];
	int i;

	for (i = 0; i < 23; i++) {
		snprintf(name, sizeof(name), "/pg/%02d", i);
		assert_int_equal(SSM_OK, put(f, name, "v"));
		snprintf(name, sizeof(name), "/pg/%02d/deeper", i);
		assert_int_equal(SSM_OK, put(f, name, "v"));
	}
	assert_int_equal(SSM_OK,
			 by_path(f, got, sizeof(got), "/pg", 0, NULL, 0, 1));
	assert_int_equal(23, words(got));
	assert_int_equal(SSM_OK, by_path(f, got, sizeof(got), "/pg",
					 SSM_PARAM_RECURSIVE, NULL, 0, 7));
	assert_int_equal(46, words(got));
}

static void by_path_filters_by_type_key_and_label(void **state)
{
	struct fx *f = *state;
	const char *list[] = { "StringList" };
	const char *str_begins[] = { "Str" };
	const char *lab[] = { "live" };
	ssm_param_filter flt = { "Type", NULL, list, 1 };
	ssm_param_get_by_path_options o = SSM_PARAM_GET_BY_PATH_OPTIONS_INIT;
	ssm_param_iter *it = NULL;
	const ssm_param *p;
	char got[256];

	tree(f);
	assert_int_equal(SSM_OK,
			 by_path(f, got, sizeof(got), "/p", 0, &flt, 1, 0));
	assert_string_equal("/p/c", got);
	flt.option = "BeginsWith";
	flt.values = str_begins;
	assert_int_equal(SSM_OK,
			 by_path(f, got, sizeof(got), "/p", 0, &flt, 1, 0));
	assert_string_equal("/p/a /p/b /p/c", got);
	/* Label: the version carrying the label */
	assert_int_equal(SSM_OK, over(f, "/p/b", "2b", NULL));
	assert_int_equal(SSM_OK,
			 ssm_param_label(NULL, NULL, f->c, "/p/b", 1, lab, 1));
	flt.key = "Label";
	flt.option = NULL;
	flt.values = lab;
	o.filters = &flt;
	o.filters_count = 1;
	assert_int_equal(SSM_OK, ssm_param_get_by_path(&it, f->c, "/p", &o));
	assert_int_equal(SSM_OK, ssm_param_iter_next(&p, it));
	assert_string_equal("/p/b", ssm_param_name(p));
	assert_string_equal("2", ssm_param_value(p));
	assert_int_equal(1, ssm_param_version(p));
	assert_int_equal(SSM_ITEROVER, ssm_param_iter_next(&p, it));
	ssm_param_iter_free(it);
	/* KeyId only matches SecureStrings */
	flt.key = "KeyId";
	flt.values = str_begins;
	assert_int_equal(SSM_OK,
			 by_path(f, got, sizeof(got), "/p", 0, &flt, 1, 0));
	assert_string_equal("", got);
}

static void by_path_refuses_bad_filters_and_paths(void **state)
{
	struct fx *f = *state;
	const char *v[] = { "x" };
	ssm_param_filter flt = { "Name", NULL, v, 1 };
	ssm_param_filter two[2] = { { "Type", NULL, v, 1 },
				    { "Type", NULL, v, 1 } };
	const char *types[] = { "String" };
	char got[64];

	EXPECT_ERR(by_path(f, got, sizeof(got), "/p", 0, &flt, 1, 0),
		   SSM_EINVALID, "InvalidFilterKey",
		   "The following filter key is not valid: Name. Valid filter "
		   "keys include: [Type, KeyId].");
	flt.key = "tag:team";
	EXPECT_ERR(by_path(f, got, sizeof(got), "/p", 0, &flt, 1, 0),
		   SSM_EINVALID, "InvalidFilterKey",
		   "The following filter key is not valid: tag:team. Valid "
		   "filter keys include: [Type, KeyId].");
	flt.key = "Label";
	flt.option = "BeginsWith";
	EXPECT_ERR(by_path(f, got, sizeof(got), "/p", 0, &flt, 1, 0),
		   SSM_EINVALID, "InvalidFilterOption",
		   "The following filter option is not valid: BeginsWith. "
		   "Valid options include: [Equals].");
	flt.key = "Type";
	flt.option = "Contains";
	EXPECT_ERR(by_path(f, got, sizeof(got), "/p", 0, &flt, 1, 0),
		   SSM_EINVALID, "InvalidFilterOption",
		   "The following filter option is not valid: Contains. Valid "
		   "options include: [BeginsWith, Equals].");
	flt.option = NULL;
	EXPECT_ERR(by_path(f, got, sizeof(got), "/p", 0, &flt, 1, 0),
		   SSM_EINVALID, "InvalidFilterOption",
		   "The following filter value is not valid: x. Valid values "
		   "include: [String, StringList, SecureString].");
	flt.values_count = 0;
	EXPECT_ERR(by_path(f, got, sizeof(got), "/p", 0, &flt, 1, 0),
		   SSM_EINVALID, "InvalidFilterValue",
		   "The following filter values are missing : null for filter "
		   "key Type.");
	two[0].values = types;
	two[1].values = types;
	EXPECT_ERR(by_path(f, got, sizeof(got), "/p", 0, two, 2, 0),
		   SSM_EINVALID, "InvalidFilterKey",
		   "The following filter is duplicated in the request: Type. A "
		   "request can contain only one occurrence of a specific "
		   "filter.");
	flt.key = "Bogus";
	flt.values_count = 1;
	EXPECT_ERR(by_path(f, got, sizeof(got), "/p", 0, &flt, 1, 0),
		   SSM_EINVALID, "ValidationException",
		   "1 validation error detected: Value 'Bogus' at "
		   "'parameterFilters.1.member.key' failed to satisfy "
		   "constraint: Member must satisfy regular expression "
		   "pattern: tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType");
	EXPECT_ERR(by_path(f, got, sizeof(got), "p/x", 0, NULL, 0, 0),
		   SSM_EINVALID, "ValidationException",
		   "The parameter doesn't meet the parameter name "
		   "requirements. The parameter name must begin with a forward "
		   "slash \"/\". It can't be prefixed with \"aws\" or \"ssm\" "
		   "(case-insensitive). It must use only letters, numbers, or "
		   "the following symbols: . (period), - (hyphen), _ "
		   "(underscore). Special characters are not allowed. All "
		   "sub-paths, if specified, must use the forward slash symbol "
		   "\"/\". Valid example: /get/parameters2-/by1./path0_.");
	EXPECT_ERR(by_path(f, got, sizeof(got), "/a//b", 0, NULL, 0, 0),
		   SSM_EINVALID, "ValidationException", NULL);
	EXPECT_ERR(
		ssm_param_get_by_path(&(ssm_param_iter *){ NULL }, f->c, "/p",
				      &(ssm_param_get_by_path_options){
					      .version = 1, .page_size = 11 }),
		SSM_EINVALID, NULL, "page_size 11 is out of range (1..10)");
}

static void by_path_max_results_is_checked_on_the_wire(void **state)
{
	struct fx *f = *state;
	ssm_api_get_by_path_in in;
	ssm_api_params_page_out out;
	ssm_call call;

	memset(&in, 0, sizeof(in));
	in.path = "/p";
	in.max_results = 11;
	ssm_client__call_init(&call, f->c);
	EXPECT_ERR(ssm_client__call(f->c, &ssm_param__op_get_by_path, &in, &out,
				    &call),
		   SSM_EINVALID, "ValidationException",
		   "1 validation error detected: Value '11' at 'maxResults' "
		   "failed to satisfy constraint: Member must have value less "
		   "than or equal to 10");
	ssm_call__dispose(&call);
}

/* One page of GetParametersByPath straight through the operation. */
static ssm_err page(struct fx *f, ssm_call *call, ssm_api_params_page_out *out,
		    const char *path, bool recursive, int64_t max,
		    const char *token)
{
	ssm_api_get_by_path_in in;

	memset(&in, 0, sizeof(in));
	in.path = (char *)path;
	in.recursive = recursive;
	in.max_results = max;
	in.next_token = (char *)token;
	ssm_client__call_init(call, f->c);
	return ssm_client__call(f->c, &ssm_param__op_get_by_path, &in, out,
				call);
}

static void next_tokens_are_opaque_and_tamper_checked(void **state)
{
	struct fx *f = *state;
	ssm_api_params_page_out out, out2;
	ssm_call call, call2;
	char token[512];

	tree(f);
	assert_int_equal(SSM_OK, page(f, &call, &out, "/p", true, 2, NULL));
	assert_int_equal(2, out.parameters.count);
	assert_non_null(out.next_token);
	snprintf(token, sizeof(token), "%s", out.next_token);
	ssm_call__dispose(&call);
	/* the token continues where the page ended */
	assert_int_equal(SSM_OK, page(f, &call, &out, "/p", true, 2, token));
	assert_string_equal(
		"/p/a/y/z",
		((ssm_api_parameter *)out.parameters.items)[0].name);
	ssm_call__dispose(&call);
	/* another request: refused */
	EXPECT_ERR(page(f, &call, &out, "/p", false, 2, token), SSM_EINVALID,
		   "InvalidNextToken", NULL);
	assert_non_null(strstr(last()->message, "is not valid for this "
						"request."));
	ssm_call__dispose(&call);
	EXPECT_ERR(page(f, &call, &out, "/q", true, 2, token), SSM_EINVALID,
		   "InvalidNextToken", NULL);
	ssm_call__dispose(&call);
	/* a changed byte: refused */
	token[3] = token[3] == 'A' ? 'B' : 'A';
	EXPECT_ERR(page(f, &call, &out, "/p", true, 2, token), SSM_EINVALID,
		   "InvalidNextToken", NULL);
	ssm_call__dispose(&call);
	EXPECT_ERR(page(f, &call, &out, "/p", true, 2, "not base64!"),
		   SSM_EINVALID, "InvalidNextToken",
		   "The NextToken 'not base64!' is not valid for this "
		   "request.");
	ssm_call__dispose(&call);
	/* tokens of one client work in another on the same store */
	assert_int_equal(SSM_OK, page(f, &call, &out, "/p", true, 1, NULL));
	{
		ssm_client *other = NULL;
		ssm_api_get_by_path_in in;

		assert_int_equal(0, ssm_test_env_client(&f->env, &other, NULL));
		memset(&in, 0, sizeof(in));
		in.path = "/p";
		in.recursive = true;
		in.max_results = 1;
		in.next_token = out.next_token;
		ssm_client__call_init(&call2, other);
		assert_int_equal(SSM_OK,
				 ssm_client__call(other,
						  &ssm_param__op_get_by_path,
						  &in, &out2, &call2));
		ssm_call__dispose(&call2);
		ssm_client_free(other);
	}
	ssm_call__dispose(&call);
}

/* ---- §3.7 DescribeParameters ------------------------------------------- */

static ssm_err describe(struct fx *f, char *out, size_t size,
			const ssm_param_filter *filters, size_t n, size_t page)
{
	ssm_param_describe_options o = SSM_PARAM_DESCRIBE_OPTIONS_INIT;
	ssm_param_iter *it = NULL;

	o.filters = filters;
	o.filters_count = n;
	o.page_size = page;
	if (ssm_param_describe(&it, f->c, &o) < 0)
		return ssm_error_last()->code;
	return collect(out, size, it);
}

static void describe_lists_metadata_with_filters(void **state)
{
	struct fx *f = *state;
	const char *pv[] = { "/p" }, *names[] = { "p/a" }, *root[] = { "/" };
	const char *contains[] = { "oot" }, *adv[] = { "Advanced" };
	const char *list[] = { "StringList" }, *text[] = { "text" };
	ssm_param_filter flt = { "Path", NULL, pv, 1 };
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	ssm_param_describe_options d = SSM_PARAM_DESCRIBE_OPTIONS_INIT;
	ssm_param_iter *it = NULL;
	const ssm_param *p;
	char got[512];

	tree(f);
	assert_int_equal(SSM_OK, describe(f, got, sizeof(got), NULL, 0, 0));
	assert_string_equal("/p-other/q /p/a /p/a/x /p/a/y/z /p/b /p/c /p "
			    "/p.dot root /rootslash",
			    got);
	assert_int_equal(SSM_OK, describe(f, got, sizeof(got), &flt, 1, 2));
	assert_string_equal("/p/a /p/b /p/c", got);
	flt.option = "Recursive";
	assert_int_equal(SSM_OK, describe(f, got, sizeof(got), &flt, 1, 0));
	assert_string_equal("/p/a /p/a/x /p/a/y/z /p/b /p/c", got);
	flt.option = NULL;
	flt.values = root;
	assert_int_equal(SSM_OK, describe(f, got, sizeof(got), &flt, 1, 0));
	assert_string_equal("/p /p.dot root /rootslash", got);
	/* Name: compared with a leading '/' */
	flt.key = "Name";
	flt.values = names;
	assert_int_equal(SSM_OK, describe(f, got, sizeof(got), &flt, 1, 0));
	assert_string_equal("/p/a", got);
	flt.option = "BeginsWith";
	assert_int_equal(SSM_OK, describe(f, got, sizeof(got), &flt, 1, 0));
	assert_string_equal("/p/a /p/a/x /p/a/y/z", got);
	flt.option = "Contains";
	flt.values = contains;
	assert_int_equal(SSM_OK, describe(f, got, sizeof(got), &flt, 1, 0));
	assert_string_equal("root /rootslash", got);
	flt.key = "Type";
	flt.option = NULL;
	flt.values = list;
	assert_int_equal(SSM_OK, describe(f, got, sizeof(got), &flt, 1, 0));
	assert_string_equal("/p/c", got);
	o.type = SSM_PARAM_STRING;
	o.tier = SSM_PARAM_TIER_ADVANCED;
	o.description = "advanced one";
	assert_int_equal(SSM_OK,
			 ssm_param_put(NULL, NULL, f->c, "/q/adv", "v", &o));
	flt.key = "Tier";
	flt.values = adv;
	assert_int_equal(SSM_OK, describe(f, got, sizeof(got), &flt, 1, 0));
	assert_string_equal("/q/adv", got);
	flt.key = "DataType";
	flt.values = text;
	assert_int_equal(SSM_OK, describe(f, got, sizeof(got), &flt, 1, 50));
	assert_int_equal(11, words(got));
	/* metadata, no value */
	flt.key = "Tier";
	flt.values = adv;
	d.filters = &flt;
	d.filters_count = 1;
	assert_int_equal(SSM_OK, ssm_param_describe(&it, f->c, &d));
	assert_int_equal(SSM_OK, ssm_param_iter_next(&p, it));
	assert_null(ssm_param_value(p));
	assert_string_equal("advanced one", ssm_param_description(p));
	assert_int_equal(SSM_PARAM_TIER_ADVANCED, ssm_param_tier_of(p));
	assert_string_equal("arn:aws:ssm:us-east-1:123456789012:parameter/q/"
			    "adv",
			    ssm_param_arn(p));
	assert_string_equal("arn:aws:iam::123456789012:root",
			    ssm_param_last_modified_user(p));
	assert_int_equal(1, ssm_param_version(p));
	assert_int_equal(SSM_ITEROVER, ssm_param_iter_next(&p, it));
	ssm_param_iter_free(it);
}

static void describe_filters_by_tags(void **state)
{
	struct fx *f = *state;
	ssm_tag t1[] = { { "team", "core" } }, t2[] = { { "team", "edge" } };
	const char *core[] = { "core" };
	ssm_param_filter flt = { "tag:team", NULL, core, 1 };
	char got[128];

	assert_int_equal(SSM_OK, put(f, "/tg/a", "v"));
	assert_int_equal(SSM_OK, put(f, "/tg/b", "v"));
	assert_int_equal(SSM_OK, put(f, "/tg/c", "v"));
	assert_int_equal(SSM_OK,
			 ssm_tags_add(f->c, "Parameter", "/tg/a", t1, 1));
	assert_int_equal(SSM_OK,
			 ssm_tags_add(f->c, "Parameter", "/tg/b", t2, 1));
	assert_int_equal(SSM_OK, describe(f, got, sizeof(got), &flt, 1, 0));
	assert_string_equal("/tg/a", got);
	flt.values_count = 0; /* has the tag */
	assert_int_equal(SSM_OK, describe(f, got, sizeof(got), &flt, 1, 0));
	assert_string_equal("/tg/a /tg/b", got);
}

static void describe_refuses_bad_filters(void **state)
{
	struct fx *f = *state;
	const char *v[] = { "x" }, *bad_path[] = { "/aws/x" };
	ssm_param_filter flt = { "Label", NULL, v, 1 };
	ssm_api_describe_in in;
	ssm_api_params_page_out out;
	ssm_api_params_filter old = { "Name", { (void *)v, 1 } };
	ssm_api_param_filter pf = { "Name", NULL, { (void *)v, 1 } };
	ssm_call call;
	char got[64];

	EXPECT_ERR(describe(f, got, sizeof(got), &flt, 1, 0), SSM_EINVALID,
		   "InvalidFilterKey",
		   "The following filter key is not valid: Label. Valid filter "
		   "keys include: [Path, Name, Type, KeyId, Tier].");
	flt.key = "Path";
	flt.option = "Equals";
	EXPECT_ERR(describe(f, got, sizeof(got), &flt, 1, 0), SSM_EINVALID,
		   "InvalidFilterOption",
		   "The following filter option is not valid: Equals. Valid "
		   "options include: [Recursive, OneLevel].");
	flt.option = NULL;
	flt.values = bad_path;
	EXPECT_ERR(describe(f, got, sizeof(got), &flt, 1, 0), SSM_EINVALID,
		   "ValidationException", NULL);
	assert_non_null(strstr(last()->message, "must begin with a forward "
						"slash"));
	flt.key = "Name";
	flt.option = "Matches";
	EXPECT_ERR(describe(f, got, sizeof(got), &flt, 1, 0), SSM_EINVALID,
		   "InvalidFilterOption",
		   "The following filter option is not valid: Matches. Valid "
		   "options include: [BeginsWith, Contains, Equals].");
	flt.key = "Tier";
	flt.option = NULL;
	flt.values = v;
	EXPECT_ERR(describe(f, got, sizeof(got), &flt, 1, 0), SSM_EINVALID,
		   "InvalidFilterOption",
		   "The following filter value is not valid: x. Valid values "
		   "include: [Standard, Advanced, Intelligent-Tiering].");
	flt.values_count = 0;
	EXPECT_ERR(describe(f, got, sizeof(got), &flt, 1, 0), SSM_EINVALID,
		   "InvalidFilterValue",
		   "The following filter values are missing : null for filter "
		   "key Tier.");
	memset(&in, 0, sizeof(in));
	in.filters.items = &old;
	in.filters.count = 1;
	in.parameter_filters.items = &pf;
	in.parameter_filters.count = 1;
	ssm_client__call_init(&call, f->c);
	EXPECT_ERR(ssm_client__call(f->c, &ssm_param__op_describe, &in, &out,
				    &call),
		   SSM_EINVALID, "ValidationException",
		   "You can use either Filters or ParameterFilters in a single "
		   "request.");
	ssm_call__dispose(&call);
	in.parameter_filters.count = 0;
	in.max_results = 51;
	ssm_client__call_init(&call, f->c);
	EXPECT_ERR(ssm_client__call(f->c, &ssm_param__op_describe, &in, &out,
				    &call),
		   SSM_EINVALID, "ValidationException",
		   "1 validation error detected: Value '51' at 'maxResults' "
		   "failed to satisfy constraint: Member must have value less "
		   "than or equal to 50");
	ssm_call__dispose(&call);
}

static void describe_deprecated_filters_and_shared(void **state)
{
	struct fx *f = *state;
	const char *v[] = { "/d/b" };
	ssm_api_describe_in in;
	ssm_api_params_page_out out;
	ssm_api_params_filter old = { "Name", { (void *)v, 1 } };
	ssm_call call;

	assert_int_equal(SSM_OK, put(f, "/d/a", "v"));
	assert_int_equal(SSM_OK, put(f, "/d/b", "v"));
	memset(&in, 0, sizeof(in));
	in.filters.items = &old;
	in.filters.count = 1;
	ssm_client__call_init(&call, f->c);
	assert_int_equal(SSM_OK, ssm_client__call(f->c, &ssm_param__op_describe,
						  &in, &out, &call));
	assert_int_equal(1, out.parameters.count);
	assert_string_equal("/d/b",
			    ((ssm_api_parameter *)out.parameters.items)->name);
	assert_null(out.next_token);
	ssm_call__dispose(&call);
	in.filters.count = 0;
	in.shared = true;
	ssm_client__call_init(&call, f->c);
	assert_int_equal(SSM_OK, ssm_client__call(f->c, &ssm_param__op_describe,
						  &in, &out, &call));
	assert_int_equal(0, out.parameters.count);
	ssm_call__dispose(&call);
}

/* ---- history and delete ------------------------------------------------ */

static void history_pages_oldest_first(void **state)
{
	struct fx *f = *state;
	ssm_param_history_options o = SSM_PARAM_HISTORY_OPTIONS_INIT;
	ssm_param_iter *it = NULL;
	const ssm_param *p;
	uint64_t expect = 1;
	int i;

	assert_int_equal(SSM_OK, put(f, "/h/x", "v"));
	for (i = 0; i < 6; i++)
		assert_int_equal(SSM_OK, over(f, "/h/x", "v", NULL));
	o.page_size = 2;
	assert_int_equal(SSM_OK, ssm_param_history(&it, f->c, "/h/x", &o));
	while (ssm_param_iter_next(&p, it) == SSM_OK) {
		assert_int_equal(expect++, ssm_param_version(p));
		assert_string_equal("v", ssm_param_value(p));
		assert_null(ssm_param_arn(p));
		assert_int_equal(SSM_PARAM_TIER_STANDARD, ssm_param_tier_of(p));
	}
	assert_int_equal(8, expect);
	ssm_param_iter_free(it);
	assert_int_equal(SSM_OK, ssm_param_history(&it, f->c, "/h/none", NULL));
	EXPECT_ERR(ssm_param_iter_next(&p, it), SSM_ENOTFOUND,
		   "ParameterNotFound", "Parameter /h/none not found.");
	ssm_param_iter_free(it);
	assert_int_equal(SSM_OK,
			 ssm_param_history(&it, f->c,
					   "arn:aws:ssm:us-east-1:123456789012:"
					   "parameter/h/x",
					   NULL));
	assert_int_equal(SSM_OK, ssm_param_iter_next(&p, it));
	ssm_param_iter_free(it);
}

static void delete_removes_versions_labels_and_tags(void **state)
{
	struct fx *f = *state;
	const char *labels[] = { "l" };
	ssm_tag tags[] = { { "k", "v" } };
	ssm_tag_list *tl = NULL;
	ssm_param *p = NULL;
	uint64_t v = 0, r;

	assert_int_equal(SSM_OK, put(f, "/del/x", "1"));
	assert_int_equal(SSM_OK, over(f, "/del/x", "2", NULL));
	assert_int_equal(SSM_OK, ssm_param_label(NULL, NULL, f->c, "/del/x", 1,
						 labels, 1));
	assert_int_equal(SSM_OK,
			 ssm_tags_add(f->c, "Parameter", "/del/x", tags, 1));
	assert_int_equal(SSM_OK, ssm_param_delete(f->c, "/del/x"));
	EXPECT_ERR(ssm_param_get(&p, f->c, "/del/x", 0), SSM_ENOTFOUND,
		   "ParameterNotFound", "Parameter /del/x not found.");
	r = rev(f);
	EXPECT_ERR(ssm_param_delete(f->c, "/del/x"), SSM_ENOTFOUND,
		   "ParameterNotFound", "Parameter /del/x not found.");
	EXPECT_ERR(ssm_param_delete(f->c, "bad name"), SSM_EINVALID,
		   "ValidationException", MSG_BAD_NAME);
	assert_int_equal(r, rev(f));
	/* a new parameter of the name starts afresh */
	assert_int_equal(SSM_OK,
			 put_full(f, "/del/x", "new", SSM_PARAM_STRING, 0, &v));
	assert_int_equal(1, v);
	EXPECT_ERR(ssm_param_get(&p, f->c, "/del/x:l", 0), SSM_ENOTFOUND,
		   "ParameterNotFound", NULL);
	assert_int_equal(SSM_OK,
			 ssm_tags_list(&tl, f->c, "Parameter", "/del/x"));
	assert_int_equal(0, ssm_tag_list_count(tl));
	ssm_tag_list_free(tl);
	/* nothing is left of it in the store but the new parameter */
	{
		ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
		char prefix[128];

		snprintf(prefix, sizeof(prefix),
			 "%sparam/v//del/x:", f->svc->prefix);
		assert_int_equal(SSM_OK,
				 ssm_store_range(&kvs, f->svc->store, prefix,
						 strlen(prefix), NULL));
		assert_int_equal(1, kvs.count);
		ssm_store_kvs_dispose(&kvs);
	}
}

static void delete_many_reports_deleted_and_invalid(void **state)
{
	struct fx *f = *state;
	const char *names[] = { "/dm/a", "/dm/none", "/dm/b", "/dm/a", "b d" };
	const char *eleven[11];
	ssm_strarray del = SSM_STRARRAY_INIT, inv = SSM_STRARRAY_INIT;
	int i;

	assert_int_equal(SSM_OK, put(f, "/dm/a", "v"));
	assert_int_equal(SSM_OK, put(f, "/dm/b", "v"));
	assert_int_equal(SSM_OK,
			 ssm_param_delete_many(&del, &inv, f->c, names, 5));
	assert_int_equal(2, del.count);
	assert_string_equal("/dm/a", del.strings[0]);
	assert_string_equal("/dm/b", del.strings[1]);
	assert_int_equal(2, inv.count);
	assert_string_equal("/dm/none", inv.strings[0]);
	assert_string_equal("b d", inv.strings[1]);
	ssm_strarray_dispose(&del);
	ssm_strarray_dispose(&inv);
	for (i = 0; i < 11; i++)
		eleven[i] = "/dm/a";
	EXPECT_ERR(ssm_param_delete_many(&del, &inv, f->c, eleven, 11),
		   SSM_EINVALID, "ValidationException",
		   "1 validation error detected: Value '[/dm/a, /dm/a, /dm/a, "
		   "/dm/a, /dm/a, /dm/a, /dm/a, /dm/a, /dm/a, /dm/a, /dm/a]' "
		   "at 'names' failed to "
		   "satisfy constraint: Member must have length less than or "
		   "equal to 10");
	assert_int_equal(SSM_OK,
			 ssm_param_delete_many(NULL, NULL, f->c, names, 1));
}

/* ---- tags -----------------------------------------------------------------
 */

static void tags_are_added_listed_and_removed(void **state)
{
	struct fx *f = *state;
	ssm_tag t[] = { { "b", "2" }, { "a", "1" }, { "b", "3" } };
	const char *rm[] = { "a", "nope" };
	ssm_tag_list *tl = NULL;

	assert_int_equal(SSM_OK, put(f, "one", "v"));
	assert_int_equal(SSM_OK, ssm_tags_add(f->c, "Parameter", "/one", t, 3));
	assert_int_equal(SSM_OK, ssm_tags_list(&tl, f->c, "Parameter", "one"));
	assert_int_equal(2, ssm_tag_list_count(tl));
	assert_string_equal("a", ssm_tag_list_key(tl, 0));
	assert_string_equal("b", ssm_tag_list_key(tl, 1));
	assert_string_equal("3", ssm_tag_list_value(tl, 1));
	assert_null(ssm_tag_list_key(tl, 2));
	assert_null(ssm_tag_list_value(tl, 2));
	ssm_tag_list_free(tl);
	assert_int_equal(SSM_OK,
			 ssm_tags_remove(f->c, "Parameter", "one", rm, 2));
	assert_int_equal(SSM_OK, ssm_tags_list(&tl, f->c, "Parameter", "one"));
	assert_int_equal(1, ssm_tag_list_count(tl));
	ssm_tag_list_free(tl);
	rm[0] = "b";
	assert_int_equal(SSM_OK,
			 ssm_tags_remove(f->c, "Parameter", "one", rm, 1));
	assert_int_equal(SSM_OK, ssm_tags_list(&tl, f->c, "Parameter", "one"));
	assert_int_equal(0, ssm_tag_list_count(tl));
	ssm_tag_list_free(tl);
}

static void tag_errors(void **state)
{
	struct fx *f = *state;
	ssm_tag t[51], bad[] = { { "aws:x", "v" } };
	char keys[51][8];
	ssm_tag_list *tl = NULL;
	uint64_t r;
	int i;

	for (i = 0; i < 51; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		t[i].key = keys[i];
		t[i].value = "v";
	}
	assert_int_equal(SSM_OK, put(f, "/tags/x", "v"));
	r = rev(f);
	EXPECT_ERR(ssm_tags_add(f->c, "Parameter", "/tags/none", t, 1),
		   SSM_ENOTFOUND, "InvalidResourceId", "Invalid Resource Id");
	EXPECT_ERR(ssm_tags_list(&tl, f->c, "Parameter", "/tags/none"),
		   SSM_ENOTFOUND, "InvalidResourceId", "Invalid Resource Id");
	assert_null(tl);
	EXPECT_ERR(ssm_tags_add(f->c, "MaintenanceWindow", "mw", t, 1),
		   SSM_EINVALID, "InvalidResourceType",
		   "The resource type MaintenanceWindow can't be tagged here.");
	EXPECT_ERR(ssm_tags_add(f->c, "Bucket", "b", t, 1), SSM_EINVALID,
		   "ValidationException", NULL);
	assert_non_null(strstr(last()->message, "Member must satisfy enum "
						"value set: [Document, "));
	EXPECT_ERR(ssm_tags_add(f->c, "Parameter", "/tags/x", t, 51),
		   SSM_ELIMIT, "TooManyTagsError",
		   "The resource /tags/x would have 51 tags; a resource can "
		   "have at most 50 tags.");
	EXPECT_ERR(ssm_tags_add(f->c, "Parameter", "/tags/x", bad, 1),
		   SSM_EINVALID, "ValidationException", NULL);
	assert_non_null(strstr(last()->message, "at 'tags.1.member.key'"));
	assert_int_equal(r, rev(f));
	assert_int_equal(SSM_OK,
			 ssm_tags_add(f->c, "Parameter", "/tags/x", t, 50));
	EXPECT_ERR(ssm_tags_add(f->c, "Parameter", "/tags/x", t + 50, 1),
		   SSM_ELIMIT, "TooManyTagsError", NULL);
	/* PutParameter's tags: the same limit */
	{
		ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;

		o.type = SSM_PARAM_STRING;
		o.tags = t;
		o.tags_count = 51;
		EXPECT_ERR(ssm_param_put(NULL, NULL, f->c, "/tags/y", "v", &o),
			   SSM_ELIMIT, "TooManyTagsError", NULL);
	}
}

/* ---- concurrency ------------------------------------------------------ */

#define WRITERS 8
#define PUTS_EACH 40

struct writer {
	ssm_client *c;
	uint64_t versions[PUTS_EACH];
	int failed;
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	int i;

	o.flags = SSM_PARAM_PUT_OVERWRITE;
	o.type = SSM_PARAM_STRING;
	for (i = 0; i < PUTS_EACH; i++)
		if (ssm_param_put(&w->versions[i], NULL, w->c, "/race/x", "v",
				  &o) < 0)
			w->failed++;
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void concurrent_overwrites_make_consecutive_versions(void **state)
{
	struct fx *f = *state;
	struct writer w[WRITERS];
	pthread_t th[WRITERS];
	uint64_t all[WRITERS * PUTS_EACH];
	int i, k;

	memset(w, 0, sizeof(w));
	assert_int_equal(SSM_OK, put(f, "/race/x", "v"));
	for (i = 0; i < WRITERS; i++) {
		assert_int_equal(0,
				 ssm_test_env_client(&f->env, &w[i].c, NULL));
		pthread_create(&th[i], NULL, writer_main, &w[i]);
	}
	for (i = 0; i < WRITERS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(0, w[i].failed);
		ssm_client_free(w[i].c);
		for (k = 0; k < PUTS_EACH; k++)
			all[i * PUTS_EACH + k] = w[i].versions[k];
	}
	qsort(all, WRITERS * PUTS_EACH, sizeof(all[0]), cmp_u64);
	for (i = 0; i < WRITERS * PUTS_EACH; i++)
		assert_int_equal(i + 2, all[i]); /* no gap, no duplicate */
	assert_int_equal(WRITERS * PUTS_EACH + 1, version_of(f, "/race/x"));
}

#define CREATORS 4
#define CREATES_EACH 30

struct creator {
	ssm_client *c;
	int id, failed;
};

static void *creator_main(void *arg)
{
	struct creator *w = arg;
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	char name[64];
	int i;

	o.type = SSM_PARAM_STRING;
	for (i = 0; i < CREATES_EACH; i++) {
		snprintf(name, sizeof(name), "/mk/%d/%d", w->id, i);
		if (ssm_param_put(NULL, NULL, w->c, name, "v", &o) < 0)
			w->failed++;
	}
	return NULL;
}

static void concurrent_creates_respect_the_count_limit(void **state)
{
	struct fx *f = *state;
	struct creator w[CREATORS];
	pthread_t th[CREATORS];
	ssm_param_iter *it = NULL;
	char got[4096];
	int i, failed = 0;
	size_t n = 0;
	const char *p;

	ssm_param__set_count_limits(f->svc, 100, 0);
	for (i = 0; i < CREATORS; i++) {
		w[i].id = i;
		w[i].failed = 0;
		assert_int_equal(0,
				 ssm_test_env_client(&f->env, &w[i].c, NULL));
		pthread_create(&th[i], NULL, creator_main, &w[i]);
	}
	for (i = 0; i < CREATORS; i++) {
		pthread_join(th[i], NULL);
		failed += w[i].failed;
		ssm_client_free(w[i].c);
	}
	assert_int_equal(SSM_OK, ssm_param_describe(&it, f->c, NULL));
	assert_int_equal(SSM_OK, collect(got, sizeof(got), it));
	for (p = got; (p = strstr(p, "/mk/")); p++)
		n++;
	assert_int_equal(100, n);
	assert_int_equal(CREATORS * CREATES_EACH - 100, failed);
	ssm_param__set_count_limits(f->svc, 0, 0);
}

/* ---- the public API's argument checks --------------------------------- */

static void public_api_checks_its_arguments(void **state)
{
	struct fx *f = *state;
	ssm_param_put_options po = SSM_PARAM_PUT_OPTIONS_INIT;
	ssm_param_get_by_path_options bo;
	ssm_param_describe_options dopt;
	ssm_param_history_options ho;
	ssm_param_iter *it = NULL;
	ssm_param *p = (ssm_param *)1;

	EXPECT_ERR(ssm_param_get(&p, NULL, "/x", 0), SSM_EINVALID, NULL,
		   "invalid argument: 'client'");
	assert_null(p);
	EXPECT_ERR(ssm_param_get(NULL, f->c, "/x", 0), SSM_EINVALID, NULL,
		   "invalid argument: 'out'");
	EXPECT_ERR(ssm_param_get(&p, f->c, "/x", 0x80), SSM_EINVALID, NULL,
		   "unknown get flags 0x80");
	EXPECT_ERR(ssm_param_put(NULL, NULL, f->c, NULL, "v", &po),
		   SSM_EINVALID, NULL, "invalid argument: 'name'");
	po.version = 9;
	EXPECT_ERR(ssm_param_put(NULL, NULL, f->c, "/x", "v", &po),
		   SSM_EINVALID, NULL,
		   "ssm_param_put_options version 9 is not supported (1..1)");
	po.version = 1;
	po.type = (ssm_param_type)7;
	EXPECT_ERR(ssm_param_put(NULL, NULL, f->c, "/x", "v", &po),
		   SSM_EINVALID, NULL, "7 is not a parameter type");
	po.type = SSM_PARAM_STRING;
	po.tier = (ssm_param_tier)9;
	EXPECT_ERR(ssm_param_put(NULL, NULL, f->c, "/x", "v", &po),
		   SSM_EINVALID, NULL, "9 is not a parameter tier");
	po.tier = 0;
	po.flags = 4;
	EXPECT_ERR(ssm_param_put(NULL, NULL, f->c, "/x", "v", &po),
		   SSM_EINVALID, NULL, "unknown put flags 0x4");
	assert_int_equal(SSM_EINVALID, ssm_param_put_options_init(&po, 0));
	assert_int_equal(SSM_OK, ssm_param_put_options_init(&po, 1));
	assert_int_equal(SSM_OK, ssm_param_get_by_path_options_init(&bo, 1));
	assert_int_equal(SSM_EINVALID,
			 ssm_param_get_by_path_options_init(&bo, 2));
	assert_int_equal(SSM_OK, ssm_param_describe_options_init(&dopt, 1));
	assert_int_equal(SSM_OK, ssm_param_history_options_init(&ho, 1));
	EXPECT_ERR(ssm_param_history_options_init(NULL, 1), SSM_EINVALID, NULL,
		   "invalid argument: 'opts'");
	ho.flags = SSM_PARAM_RECURSIVE;
	EXPECT_ERR(ssm_param_history(&it, f->c, "/x", &ho), SSM_EINVALID, NULL,
		   "unknown history flags 0x2");
	assert_null(it);
	dopt.page_size = 51;
	EXPECT_ERR(ssm_param_describe(&it, f->c, &dopt), SSM_EINVALID, NULL,
		   "page_size 51 is out of range (1..50)");
	EXPECT_ERR(ssm_param_delete(f->c, NULL), SSM_EINVALID, NULL,
		   "invalid argument: 'name'");
	EXPECT_ERR(ssm_param_label(NULL, NULL, f->c, "/x", 0, NULL, 1),
		   SSM_EINVALID, NULL, "invalid argument: 'labels'");
	assert_string_equal("String", ssm_param_type_str(SSM_PARAM_STRING));
	assert_string_equal("SecureString",
			    ssm_param_type_str(SSM_PARAM_SECURE_STRING));
	assert_null(ssm_param_type_str(SSM_PARAM_TYPE_DEFAULT));
	assert_string_equal("Intelligent-Tiering",
			    ssm_param_tier_str(SSM_PARAM_TIER_INTELLIGENT));
	assert_null(ssm_param_tier_str((ssm_param_tier)42));
	ssm_param_free(NULL);
	ssm_param_list_free(NULL);
	ssm_param_iter_free(NULL);
	ssm_tag_list_free(NULL);
	assert_int_equal(0, ssm_param_list_count(NULL));
}

/* ---- allocation failures ------------------------------------------------ */

/* Run @fn with the nth allocation failing, n = 1, 2, ... until it runs
 * through without an injected failure; each run must fail cleanly or
 * succeed (sanitizers and valgrind check for leaks). */
static void alloc_loop(struct fx *f, ssm_err (*fn)(struct fx *f, int round))
{
	uint64_t n;
	int round = 0;

	for (n = 1; n < 100000; n++) {
		ssm_err e;
		uint64_t failures;

		ssm__alloc_fail_at(n, false);
		e = fn(f, round++);
		failures = ssm__alloc_failures();
		ssm__alloc_fail_at(0, false);
		if (failures == 0) {
			if (e != SSM_OK)
				print_error("round %d: %s\n", round,
					    last()->message);
			assert_int_equal(SSM_OK, e);
			return;
		}
		assert_true(e < 0 || e == SSM_OK);
	}
	fail_msg("allocation loop did not finish");
}

static ssm_err alloc_put(struct fx *f, int round)
{
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	ssm_tag t[] = { { "k", "v" } };
	char name[32];

	snprintf(name, sizeof(name), "/alloc/p%d", round);
	o.type = SSM_PARAM_STRING;
	o.description = "d";
	o.tags = t;
	o.tags_count = 1;
	return ssm_param_put(NULL, NULL, f->c, name, "value", &o);
}

static ssm_err alloc_overwrite(struct fx *f, int round)
{
	(void)round;
	return over(f, "/alloc/o", "again", NULL);
}

static ssm_err alloc_get(struct fx *f, int round)
{
	ssm_param *p = NULL;
	ssm_err e;

	(void)round;
	e = ssm_param_get(&p, f->c, "/alloc/o:1", 0);
	ssm_param_free(p);
	return e;
}

static ssm_err alloc_by_path(struct fx *f, int round)
{
	ssm_param_get_by_path_options o = SSM_PARAM_GET_BY_PATH_OPTIONS_INIT;
	ssm_param_iter *it = NULL;
	const ssm_param *p;
	ssm_err e;

	(void)round;
	o.flags = SSM_PARAM_RECURSIVE;
	o.page_size = 2;
	e = ssm_param_get_by_path(&it, f->c, "/alloc", &o);
	while (e == SSM_OK)
		e = ssm_param_iter_next(&p, it);
	ssm_param_iter_free(it);
	return e == SSM_ITEROVER ? SSM_OK : e;
}

static ssm_err alloc_label(struct fx *f, int round)
{
	const char *l[] = { "x", "9bad" };
	ssm_strarray inv = SSM_STRARRAY_INIT;
	ssm_err e;

	(void)round;
	e = ssm_param_label(NULL, &inv, f->c, "/alloc/o", 1, l, 2);
	ssm_strarray_dispose(&inv);
	return e;
}

static ssm_err alloc_describe(struct fx *f, int round)
{
	ssm_param_iter *it = NULL;
	const ssm_param *p;
	ssm_err e;

	(void)round;
	e = ssm_param_describe(&it, f->c, NULL);
	while (e == SSM_OK)
		e = ssm_param_iter_next(&p, it);
	ssm_param_iter_free(it);
	return e == SSM_ITEROVER ? SSM_OK : e;
}

static ssm_err alloc_secure_put(struct fx *f, int round)
{
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;

	(void)round;
	o.type = SSM_PARAM_SECURE_STRING;
	o.flags = SSM_PARAM_PUT_OVERWRITE;
	return ssm_param_put(NULL, NULL, f->c, "/alloc/s", "secret", &o);
}

static ssm_err alloc_secure_get(struct fx *f, int round)
{
	ssm_param *p = NULL;
	ssm_err e;

	(void)round;
	e = ssm_param_get(&p, f->c, "/alloc/s", SSM_PARAM_WITH_DECRYPTION);
	if (e == SSM_OK && strcmp(ssm_param_value(p), "secret") != 0)
		e = SSM_ERROR;
	ssm_param_free(p);
	return e;
}

static ssm_err alloc_tags(struct fx *f, int round)
{
	ssm_tag t[] = { { "a", "1" }, { "b", "2" } };
	ssm_tag_list *tl = NULL;
	ssm_err e;

	(void)round;
	e = ssm_tags_add(f->c, "Parameter", "/alloc/o", t, 2);
	if (e == SSM_OK)
		e = ssm_tags_list(&tl, f->c, "Parameter", "/alloc/o");
	ssm_tag_list_free(tl);
	return e;
}

static void allocation_failures_fail_cleanly(void **state)
{
	struct fx *f = *state;

	assert_int_equal(SSM_OK, put(f, "/alloc/o", "v"));
	alloc_loop(f, alloc_put);
	alloc_loop(f, alloc_overwrite);
	alloc_loop(f, alloc_get);
	alloc_loop(f, alloc_by_path);
	alloc_loop(f, alloc_label);
	alloc_loop(f, alloc_describe);
	alloc_loop(f, alloc_secure_put);
	alloc_loop(f, alloc_secure_get);
	alloc_loop(f, alloc_tags);
}

/* ---- store failures ------------------------------------------------------ */

static void store_failures_leave_nothing_half_written(void **state)
{
	struct fx *f = *state;
	ssm_store *mem = NULL, *faulty = NULL;
	ssm_service *svc = NULL;
	ssm_api_put_parameter_in in;
	ssm_api_put_parameter_out out;
	ssm_api_get_parameter_in gin;
	ssm_api_get_parameter_out gout;
	ssm_call call;
	uint64_t r;

	assert_int_equal(SSM_OK, ssm_store_open(&mem, f->env.ctx, "memory:"));
	assert_int_equal(SSM_OK, ssm_store_fault_new(&faulty, mem));
	assert_int_equal(SSM_OK,
			 ssm_service__new(&svc, f->env.ctx, faulty, NULL));
	memset(&in, 0, sizeof(in));
	in.name = "/fault/x";
	in.value = "v";
	in.type = "String";
	assert_int_equal(SSM_OK, ssm_store_revision(&r, faulty));
	assert_int_equal(SSM_OK,
			 ssm_store_fault_set(faulty, SSM_STORE_METHOD_TXN, 1,
					     SSM_ERROR, false));
	ssm_call__init(&call, 0);
	EXPECT_ERR(ssm_service__call(svc, &ssm_param__op_put, &in, &out, &call,
				     NULL),
		   SSM_ERROR, NULL, "injected fault: txn call 1");
	ssm_call__dispose(&call);
	assert_int_equal(SSM_OK, ssm_store_revision(&r, faulty));
	memset(&gin, 0, sizeof(gin));
	gin.name = "/fault/x";
	ssm_call__init(&call, 0);
	EXPECT_ERR(ssm_service__call(svc, &ssm_param__op_get, &gin, &gout,
				     &call, NULL),
		   SSM_ENOTFOUND, "ParameterNotFound", NULL);
	ssm_call__dispose(&call);
	/* reads fail with the store's error, not "not found" */
	ssm_call__init(&call, 0);
	assert_int_equal(SSM_OK, ssm_service__call(svc, &ssm_param__op_put, &in,
						   &out, &call, NULL));
	ssm_call__dispose(&call);
	assert_int_equal(SSM_OK,
			 ssm_store_fault_set(faulty, SSM_STORE_METHOD_GET, 1,
					     SSM_ERROR, false));
	ssm_call__init(&call, 0);
	EXPECT_ERR(ssm_service__call(svc, &ssm_param__op_get, &gin, &gout,
				     &call, NULL),
		   SSM_ERROR, NULL, "injected fault: get call 1");
	ssm_call__dispose(&call);
	ssm_service__unref(svc);
	ssm_store_close(faulty);
}

/* ---- the resolver ------------------------------------------------------- */

static void resolver_answers_a_batch(void **state)
{
	struct fx *f = *state;
	const char *refs[] = { "/res/a", "/res/none", "/res/a:1",
			       "/res/a", "bad ref",   "/res/l" };
	ssm_param_resolved out[6];
	ssm_arena arena = SSM_ARENA_INIT;

	assert_int_equal(SSM_OK, put(f, "/res/a", "one"));
	assert_int_equal(SSM_OK, over(f, "/res/a", "two", NULL));
	assert_int_equal(SSM_OK, put_full(f, "/res/l", "x,y",
					  SSM_PARAM_STRING_LIST, 0, NULL));
	assert_int_equal(SSM_OK, ssm_param__resolve(out, f->svc, refs, 6, false,
						    &arena));
	assert_true(out[0].found);
	assert_string_equal("two", out[0].value);
	assert_int_equal(2, out[0].version);
	assert_int_equal(SSM_PARAM_RESOLVED_STRING, out[0].type);
	assert_false(out[1].found);
	assert_string_equal("/res/none", out[1].ref);
	assert_true(out[2].found);
	assert_string_equal("one", out[2].value);
	assert_true(out[3].found);
	assert_string_equal("two", out[3].value);
	assert_false(out[4].found);
	assert_int_equal(SSM_PARAM_RESOLVED_STRING_LIST, out[5].type);
	assert_string_equal("x,y", out[5].value);
	assert_string_equal("/res/l", out[5].name);
	ssm_arena_dispose_secure(&arena);
}

/* ---- SecureString ---------------------------------------------------------
 */

#define SECRET "S3cr3t-Plaintext-Marker-4711"

static ssm_err put_secure(struct fx *f, const char *name, const char *value,
			  const char *key_id, unsigned flags)
{
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;

	o.type = flags & SSM_PARAM_PUT_OVERWRITE ? 0 : SSM_PARAM_SECURE_STRING;
	o.flags = flags;
	o.key_id = key_id;
	return ssm_param_put(NULL, NULL, f->c, name, value, &o);
}

/* Does any value under the service's prefix contain @needle? */
static bool store_contains(struct fx *f, const char *needle)
{
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	bool found = false;
	size_t i;

	assert_int_equal(SSM_OK,
			 ssm_store_range(&kvs, f->svc->store, "", 0, NULL));
	for (i = 0; i < kvs.count; i++)
		if (memmem(kvs.items[i].value.ptr, kvs.items[i].value.size,
			   needle, strlen(needle)) ||
		    memmem(kvs.items[i].key.ptr, kvs.items[i].key.size, needle,
			   strlen(needle)))
			found = true;
	ssm_store_kvs_dispose(&kvs);
	return found;
}

/* Does the file contain @needle? */
static bool file_contains(const char *path, const char *needle)
{
	FILE *fp = fopen(path, "rb");
	static char buf[1 << 22];
	size_t n;
	bool found;

	if (!fp)
		return false;
	n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	found = memmem(buf, n, needle, strlen(needle)) != NULL;
	return found;
}

static void secure_strings_never_reach_the_store_in_plain_text(void **state)
{
	struct fx *f = *state;
	ssm_param_history_options ho = SSM_PARAM_HISTORY_OPTIONS_INIT;
	ssm_param_get_by_path_options bo = SSM_PARAM_GET_BY_PATH_OPTIONS_INIT;
	ssm_param_iter *it = NULL;
	const ssm_param *h;
	ssm_param *p = NULL;
	char path[600];

	assert_int_equal(SSM_OK, put_secure(f, "/sec/pw", SECRET, NULL, 0));
	assert_int_equal(SSM_OK, put_secure(f, "/sec/pw", SECRET "-2", NULL,
					    SSM_PARAM_PUT_OVERWRITE));
	/* without decryption: the base64 blob */
	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, "/sec/pw", 0));
	assert_int_equal(SSM_PARAM_SECURE_STRING, ssm_param_type_of(p));
	assert_null(strstr(ssm_param_value(p), SECRET));
	assert_true(strlen(ssm_param_value(p)) > 80);
	ssm_param_free(p);
	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, "/sec/pw:1",
					       SSM_PARAM_WITH_DECRYPTION));
	assert_string_equal(SECRET, ssm_param_value(p));
	ssm_param_free(p);
	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, "/sec/pw",
					       SSM_PARAM_WITH_DECRYPTION));
	assert_string_equal(SECRET "-2", ssm_param_value(p));
	ssm_param_free(p);
	ho.flags = SSM_PARAM_WITH_DECRYPTION;
	assert_int_equal(SSM_OK, ssm_param_history(&it, f->c, "/sec/pw", &ho));
	assert_int_equal(SSM_OK, ssm_param_iter_next(&h, it));
	assert_string_equal(SECRET, ssm_param_value(h));
	assert_string_equal("alias/aws/ssm", ssm_param_key_id(h));
	ssm_param_iter_free(it);
	bo.flags = SSM_PARAM_WITH_DECRYPTION;
	assert_int_equal(SSM_OK, ssm_param_get_by_path(&it, f->c, "/sec", &bo));
	assert_int_equal(SSM_OK, ssm_param_iter_next(&h, it));
	assert_string_equal(SECRET "-2", ssm_param_value(h));
	ssm_param_iter_free(it);
	/* the store holds ciphertext only */
	assert_false(store_contains(f, SECRET));
	if (strcmp(backend, "sqlite") == 0) {
		/* and so does every file of the database */
		snprintf(path, sizeof(path), "%s/state.db", f->env.dir);
		assert_true(
			file_contains(path, "param/n//sec/pw") ||
			file_contains(strcat(path, "-wal"), "param/n//sec/pw"));
		snprintf(path, sizeof(path), "%s/state.db", f->env.dir);
		assert_false(file_contains(path, SECRET));
		strcat(path, "-wal");
		assert_false(file_contains(path, SECRET));
		snprintf(path, sizeof(path), "%s/state.db.keyring", f->env.dir);
		assert_false(file_contains(path, SECRET));
	}
}

static void key_ids_take_every_form(void **state)
{
	struct fx *f = *state;
	ssm_key_create_options ko = SSM_KEY_CREATE_OPTIONS_INIT;
	ssm_buf id = SSM_BUF_INIT;
	ssm_param_describe_options d = SSM_PARAM_DESCRIBE_OPTIONS_INIT;
	ssm_param_iter *it = NULL;
	const ssm_param *p;
	char arn[200], alias_arn[200];
	const char *sec[] = { "SecureString" };
	ssm_param_filter flt = { "Type", NULL, sec, 1 };
	uint64_t r;

	/* master keys and key providers are administered in process (as
	 * with KMS, not through the SSM API): nothing to test through http */
	if (strcmp(backend, "http") == 0)
		skip();
	ko.description = "app key";
	ko.alias = "alias/app";
	assert_int_equal(SSM_OK, ssm_key_create(&id, f->c, &ko));
	snprintf(arn, sizeof(arn), "arn:aws:kms:us-east-1:123456789012:key/%s",
		 id.ptr);
	snprintf(alias_arn, sizeof(alias_arn),
		 "arn:aws:kms:us-east-1:123456789012:alias/app");
	assert_int_equal(SSM_OK, put_secure(f, "/kid/a", "1", id.ptr, 0));
	assert_int_equal(SSM_OK, put_secure(f, "/kid/b", "2", arn, 0));
	assert_int_equal(SSM_OK, put_secure(f, "/kid/c", "3", "alias/app", 0));
	assert_int_equal(SSM_OK, put_secure(f, "/kid/d", "4", alias_arn, 0));
	assert_int_equal(SSM_OK, put_secure(f, "/kid/e", "5", NULL, 0));
	{
		ssm_param *q = NULL;

		assert_int_equal(SSM_OK,
				 ssm_param_get(&q, f->c, "/kid/d",
					       SSM_PARAM_WITH_DECRYPTION));
		assert_string_equal("4", ssm_param_value(q));
		ssm_param_free(q);
	}
	/* KeyId is reported as given */
	d.filters = &flt;
	d.filters_count = 1;
	assert_int_equal(SSM_OK, ssm_param_describe(&it, f->c, &d));
	assert_int_equal(SSM_OK, ssm_param_iter_next(&p, it));
	assert_string_equal(id.ptr, ssm_param_key_id(p));
	assert_int_equal(SSM_OK, ssm_param_iter_next(&p, it));
	assert_string_equal(arn, ssm_param_key_id(p));
	assert_int_equal(SSM_OK, ssm_param_iter_next(&p, it));
	assert_string_equal("alias/app", ssm_param_key_id(p));
	assert_int_equal(SSM_OK, ssm_param_iter_next(&p, it));
	assert_int_equal(SSM_OK, ssm_param_iter_next(&p, it));
	assert_string_equal("alias/aws/ssm", ssm_param_key_id(p));
	ssm_param_iter_free(it);
	/* an overwrite keeps the key */
	assert_int_equal(SSM_OK, put_secure(f, "/kid/c", "33", NULL,
					    SSM_PARAM_PUT_OVERWRITE));
	{
		ssm_param *q = NULL;

		assert_int_equal(SSM_OK,
				 ssm_param_get(&q, f->c, "/kid/c",
					       SSM_PARAM_WITH_DECRYPTION));
		assert_string_equal("33", ssm_param_value(q));
		ssm_param_free(q);
	}
	r = rev(f);
	EXPECT_ERR(put_secure(f, "/kid/x", "v", "alias/nope", 0), SSM_EINVALID,
		   "InvalidKeyId",
		   "Invalid keyId alias/nope: key 'alias/nope' is not in the "
		   "keyring");
	EXPECT_ERR(put_secure(f, "/kid/x", "v",
			      "arn:aws:kms:eu-west-1:123456789012:alias/app",
			      0),
		   SSM_EINVALID, "InvalidKeyId", NULL);
	EXPECT_ERR(put_secure(f, "/kid/x", "v",
			      "00000000-0000-4000-8000-000000000000", 0),
		   SSM_EINVALID, "InvalidKeyId", NULL);
	assert_int_equal(r, rev(f));
	ssm_buf_dispose(&id);
}

/* Rewrite the head record of @norm with @fn applied to its value. */
static void tamper(struct fx *f, const char *norm,
		   void (*fn)(unsigned char *value, size_t len, void *arg),
		   void *arg)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_arena arena = SSM_ARENA_INIT;
	char key[300];
	unsigned char *copy;
	param_rec rec;

	snprintf(key, sizeof(key), "%sparam/n/%s", f->svc->prefix, norm);
	assert_int_equal(SSM_OK,
			 ssm_store_get(&kv, f->svc->store, key, strlen(key)));
	assert_int_equal(SSM_OK, param_rec_decode(&rec, &arena, kv.value.ptr,
						  kv.value.size));
	copy = (unsigned char *)kv.value.ptr +
	       ((const char *)rec.value - kv.value.ptr);
	fn(copy, rec.value_len, arg);
	assert_int_equal(SSM_OK,
			 ssm_store_put(NULL, f->svc->store, key, strlen(key),
				       kv.value.ptr, kv.value.size, NULL));
	ssm_store_kv_dispose(&kv);
	ssm_arena_dispose(&arena);
}

static void flip_last(unsigned char *value, size_t len, void *arg)
{
	(void)arg;
	value[len - 1] ^= 0x01;
}

static void flip_wrapped(unsigned char *value, size_t len, void *arg)
{
	(void)arg;
	(void)len;
	value[2 + value[1] + 2 + 10] ^= 0x80; /* inside the wrapped key */
}

struct blob_copy {
	unsigned char data[512];
	size_t len;
};

static void take_blob(unsigned char *value, size_t len, void *arg)
{
	struct blob_copy *b = arg;

	memcpy(b->data, value, len);
	b->len = len;
}

static void give_blob(unsigned char *value, size_t len, void *arg)
{
	struct blob_copy *b = arg;

	assert_int_equal(len, b->len); /* same length values */
	memcpy(value, b->data, len);
}

static void tampered_or_moved_ciphertext_fails_authentication(void **state)
{
	struct fx *f = *state;
	struct blob_copy b;
	ssm_param *p = NULL;

	assert_int_equal(SSM_OK,
			 put_secure(f, "/tmp/a", "same-len-1", NULL, 0));
	assert_int_equal(SSM_OK,
			 put_secure(f, "/tmp/b", "same-len-2", NULL, 0));
	assert_int_equal(SSM_OK,
			 put_secure(f, "/tmp/c", "same-len-3", NULL, 0));
	tamper(f, "/tmp/a", flip_last, NULL);
	EXPECT_ERR(ssm_param_get(&p, f->c, "/tmp/a", SSM_PARAM_WITH_DECRYPTION),
		   SSM_EINVALID, "InvalidKeyId",
		   "The ciphertext of SecureString parameter /tmp/a failed "
		   "authentication: it was changed, or it belongs to another "
		   "parameter");
	assert_null(p);
	/* without decryption nothing is checked */
	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, "/tmp/a", 0));
	ssm_param_free(p);
	tamper(f, "/tmp/c", flip_wrapped, NULL);
	EXPECT_ERR(ssm_param_get(&p, f->c, "/tmp/c", SSM_PARAM_WITH_DECRYPTION),
		   SSM_EINVALID, "InvalidKeyId",
		   "The ciphertext of SecureString parameter /tmp/c failed "
		   "authentication: it was changed, or it belongs to another "
		   "parameter");
	/* a valid blob of another parameter: the ARN does not match */
	tamper(f, "/tmp/b", take_blob, &b);
	tamper(f, "/tmp/a", give_blob, &b);
	EXPECT_ERR(ssm_param_get(&p, f->c, "/tmp/a", SSM_PARAM_WITH_DECRYPTION),
		   SSM_EINVALID, "InvalidKeyId", NULL);
	assert_non_null(strstr(last()->message, "failed authentication"));
	/* the untouched one still opens */
	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, "/tmp/b",
					       SSM_PARAM_WITH_DECRYPTION));
	assert_string_equal("same-len-2", ssm_param_value(p));
	ssm_param_free(p);
}

/* The sealed value at the end of a blob (base64 text of the blob). */
static void blob_tail(char *out, size_t size, struct fx *f, const char *name)
{
	ssm_param *p = NULL;
	const char *v;

	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, name, 0));
	v = ssm_param_value(p);
	snprintf(out, size, "%s", v + strlen(v) - 24);
	ssm_param_free(p);
}

static void rotation_rewraps_data_keys_and_keeps_values(void **state)
{
	struct fx *f = *state;
	ssm_key_create_options ko = SSM_KEY_CREATE_OPTIONS_INIT;
	ssm_keys *keys = NULL;
	char before[64], after[64], blob1[512], blob2[512];
	ssm_param *p = NULL;
	uint64_t n = 0;
	size_t i;

	/* master keys and key providers are administered in process (as
	 * with KMS, not through the SSM API): nothing to test through http */
	if (strcmp(backend, "http") == 0)
		skip();
	ko.alias = "alias/rot";
	assert_int_equal(SSM_OK, ssm_key_create(NULL, f->c, &ko));
	assert_int_equal(SSM_OK,
			 put_secure(f, "/rot/a", "alpha", "alias/rot", 0));
	assert_int_equal(SSM_OK, put_secure(f, "/rot/a", "alpha2", NULL,
					    SSM_PARAM_PUT_OVERWRITE));
	assert_int_equal(SSM_OK, put_secure(f, "/rot/b", "beta", NULL, 0));
	blob_tail(before, sizeof(before), f, "/rot/a");
	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, "/rot/a", 0));
	snprintf(blob1, sizeof(blob1), "%s", ssm_param_value(p));
	ssm_param_free(p);
	assert_int_equal(SSM_OK, ssm_key_rotate(&n, f->c, "alias/rot"));
	assert_int_equal(3, n); /* /rot/a: head, v1, v2 */
	blob_tail(after, sizeof(after), f, "/rot/a");
	assert_string_equal(before, after); /* the value was not touched */
	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, "/rot/a", 0));
	snprintf(blob2, sizeof(blob2), "%s", ssm_param_value(p));
	ssm_param_free(p);
	assert_string_not_equal(blob1, blob2); /* the data key was */
	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, "/rot/a:1",
					       SSM_PARAM_WITH_DECRYPTION));
	assert_string_equal("alpha", ssm_param_value(p));
	ssm_param_free(p);
	assert_int_equal(SSM_OK, ssm_param_get(&p, f->c, "/rot/a",
					       SSM_PARAM_WITH_DECRYPTION));
	assert_string_equal("alpha2", ssm_param_value(p));
	ssm_param_free(p);
	assert_int_equal(SSM_OK, ssm_key_list(&keys, f->c));
	assert_int_equal(2, ssm_keys_count(keys));
	for (i = 0; i < ssm_keys_count(keys); i++) {
		const char *alias = ssm_keys_alias_at(keys, i, 0);

		assert_int_equal(1, ssm_keys_aliases_count(keys, i));
		assert_int_equal(strcmp(alias, "alias/rot") == 0 ? 2 : 1,
				 ssm_keys_generation(keys, i));
		assert_true(ssm_keys_created_ms(keys, i) > 0);
		assert_non_null(
			strstr(ssm_keys_arn(keys, i), ssm_keys_id(keys, i)));
	}
	assert_null(ssm_keys_id(keys, 2));
	ssm_keys_free(keys);
	EXPECT_ERR(ssm_key_rotate(&n, f->c, "alias/none"), SSM_ENOTFOUND,
		   "NotFoundException", "Key 'alias/none' does not exist");
}

static void key_aliases_are_checked(void **state)
{
	struct fx *f = *state;
	ssm_key_create_options ko = SSM_KEY_CREATE_OPTIONS_INIT;
	ssm_buf id = SSM_BUF_INIT;

	/* master keys and key providers are administered in process (as
	 * with KMS, not through the SSM API): nothing to test through http */
	if (strcmp(backend, "http") == 0)
		skip();
	assert_int_equal(SSM_OK, ssm_key_create(&id, f->c, NULL));
	assert_int_equal(SSM_OK, ssm_key_alias(f->c, "alias/one", id.ptr));
	assert_int_equal(SSM_OK, put_secure(f, "/al/x", "v", "alias/one", 0));
	EXPECT_ERR(ssm_key_alias(f->c, "alias/two", "alias/missing"),
		   SSM_ENOTFOUND, "NotFoundException",
		   "Key 'alias/missing' does not exist");
	EXPECT_ERR(ssm_key_alias(f->c, "noprefix", id.ptr), SSM_EINVALID,
		   "ValidationException",
		   "1 validation error detected: Value 'noprefix' at "
		   "'aliasName' failed to satisfy constraint: Member must "
		   "satisfy regular expression pattern: "
		   "^alias/[a-zA-Z0-9/_-]+$");
	EXPECT_ERR(ssm_key_alias(f->c, "alias/aws/mine", id.ptr), SSM_EINVALID,
		   "ValidationException",
		   "alias 'alias/aws/mine' is not valid: it must be alias/ "
		   "followed by letters, digits, '/', '_' or '-', and not "
		   "alias/aws/");
	ko.alias = "alias/b@d";
	EXPECT_ERR(ssm_key_create(NULL, f->c, &ko), SSM_EINVALID,
		   "ValidationException", NULL);
	ko.version = 7;
	EXPECT_ERR(ssm_key_create(NULL, f->c, &ko), SSM_EINVALID, NULL,
		   "ssm_key_create_options version 7 is not supported (1..1)");
	assert_int_equal(SSM_OK, ssm_key_create_options_init(&ko, 1));
	ssm_buf_dispose(&id);
}

static void keyring_files_are_private_and_shared(void **state)
{
	struct fx *f = *state;
	ssm_client_options co = SSM_CLIENT_OPTIONS_INIT;
	ssm_ctx *ctx2 = NULL;
	ssm_client *c1 = NULL, *c2 = NULL;
	ssm_param *p = NULL;
	char path[400], url[600];
	struct stat st;

	if (strcmp(backend, "sqlite") != 0)
		skip();
	snprintf(path, sizeof(path), "%s/keys.ring", f->env.dir);
	snprintf(url, sizeof(url), "sqlite://%s/other.db", f->env.dir);
	co.keyring = path;
	assert_int_equal(SSM_OK, ssm_client_open(&c1, f->env.ctx, url, &co));
	assert_int_equal(
		SSM_OK,
		ssm_param_put(NULL, NULL, c1, "/ring/s", SECRET,
			      &(ssm_param_put_options){
				      .version = 1,
				      .type = SSM_PARAM_SECURE_STRING }));
	assert_int_equal(0, stat(path, &st));
	assert_int_equal(0600, st.st_mode & 0777);
	assert_false(file_contains(path, SECRET));
	ssm_client_free(c1);
	/* another context (as another process would) reads it back */
	assert_int_equal(SSM_OK, ssm_ctx_new(&ctx2, NULL));
	assert_int_equal(SSM_OK, ssm_client_open(&c2, ctx2, url, &co));
	assert_int_equal(SSM_OK, ssm_param_get(&p, c2, "/ring/s",
					       SSM_PARAM_WITH_DECRYPTION));
	assert_string_equal(SECRET, ssm_param_value(p));
	ssm_param_free(p);
	ssm_client_free(c2);
	/* a keyring others can read is refused */
	assert_int_equal(0, chmod(path, 0644));
	assert_int_equal(SSM_OK, ssm_client_open(&c2, ctx2, url, &co));
	EXPECT_ERR(ssm_param_get(&p, c2, "/ring/s", SSM_PARAM_WITH_DECRYPTION),
		   SSM_EINVALID, "InvalidKeyId", NULL);
	assert_non_null(strstr(last()->message, "it must be 0600"));
	ssm_client_free(c2);
	ssm_ctx_free(ctx2);
	/* the default keyring lives next to the store */
	assert_int_equal(SSM_OK, put_secure(f, "/ring/t", "v", NULL, 0));
	snprintf(path, sizeof(path), "%s/state.db.keyring", f->env.dir);
	assert_int_equal(0, stat(path, &st));
	assert_int_equal(0600, st.st_mode & 0777);
}

/* A key provider that opens the keyring and hands it out wrapped in the
 * fault injector, so a test can arm it. */
static ssm_keyprovider *armed;

static ssm_err faulty_open(ssm_keyprovider **out,
			   const ssm_keyprovider_ops *ops, ssm_ctx *ctx,
			   const ssm_keyprovider_config *cfg, void *payload)
{
	ssm_keyprovider *inner = NULL;
	ssm_keyprovider_config c = *cfg;

	(void)ops;
	(void)payload;
	c.location = NULL;
	if (ssm_keyprovider_open(&inner, ctx, "keyring", &c) < 0)
		return SSM_ERROR;
	if (ssm_keyprovider_fault_new(out, inner) < 0) {
		ssm_keyprovider_close(inner);
		return SSM_ERROR;
	}
	armed = *out;
	return SSM_OK;
}

static void faulty_close(ssm_keyprovider *kp)
{
	(void)kp;
}

static ssm_err faulty_resolve(ssm_buf *out, ssm_keyprovider *kp, const char *id)
{
	(void)out;
	(void)kp;
	(void)id;
	return SSM_ERROR;
}

static ssm_err faulty_gen(uint8_t pt[SSM_DATA_KEY_LEN], ssm_buf *w,
			  ssm_keyprovider *kp, const char *id, const void *c,
			  size_t n)
{
	(void)pt;
	(void)w;
	(void)kp;
	(void)id;
	(void)c;
	(void)n;
	return SSM_ERROR;
}

static ssm_err faulty_dec(uint8_t pt[SSM_DATA_KEY_LEN], ssm_keyprovider *kp,
			  const char *id, const void *w, size_t wl,
			  const void *c, size_t n)
{
	(void)pt;
	(void)kp;
	(void)id;
	(void)w;
	(void)wl;
	(void)c;
	(void)n;
	return SSM_ERROR;
}

static void key_provider_failures_are_reported(void **state)
{
	struct fx *f = *state;
	ssm_keyprovider_ops ops;
	ssm_client_options co = SSM_CLIENT_OPTIONS_INIT;
	ssm_client *c = NULL;
	ssm_param *p = NULL;
	uint64_t r;

	/* master keys and key providers are administered in process (as
	 * with KMS, not through the SSM API): nothing to test through http */
	if (strcmp(backend, "http") == 0)
		skip();
	assert_int_equal(SSM_OK, ssm_keyprovider_ops_init(&ops, 1));
	ops.name = "faulty";
	EXPECT_ERR(ssm_ctx_register_keyprovider(f->env.ctx, &ops, NULL),
		   SSM_EINVALID, NULL,
		   "key provider 'faulty' lacks a required method");
	ops.open = faulty_open;
	ops.close = faulty_close;
	ops.resolve = faulty_resolve;
	ops.generate_data_key = faulty_gen;
	ops.decrypt_data_key = faulty_dec;
	assert_int_equal(SSM_OK,
			 ssm_ctx_register_keyprovider(f->env.ctx, &ops, NULL));
	EXPECT_ERR(ssm_ctx_register_keyprovider(f->env.ctx, &ops, NULL),
		   SSM_EEXISTS, NULL,
		   "a plugin named 'faulty' is already registered");
	co.region = "eu-central-1"; /* a service of its own */
	co.keyring = "faulty:";
	assert_int_equal(SSM_OK,
			 ssm_client_open(&c, f->env.ctx, f->env.url, &co));
	assert_int_equal(
		SSM_OK,
		ssm_param_put(NULL, NULL, c, "/kp/x", "v",
			      &(ssm_param_put_options){
				      .version = 1,
				      .type = SSM_PARAM_SECURE_STRING }));
	assert_non_null(armed);
	assert_int_equal(SSM_OK, ssm_keyprovider_fault_set(
					 armed, SSM_KEYPROVIDER_METHOD_DECRYPT,
					 1, SSM_ERROR, false));
	EXPECT_ERR(ssm_param_get(&p, c, "/kp/x", SSM_PARAM_WITH_DECRYPTION),
		   SSM_EINVALID, "InvalidKeyId", NULL);
	assert_non_null(
		strstr(last()->message, ": injected fault: decrypt call 1"));
	assert_int_equal(SSM_OK, ssm_param_get(&p, c, "/kp/x",
					       SSM_PARAM_WITH_DECRYPTION));
	ssm_param_free(p);
	assert_int_equal(SSM_OK, ssm_keyprovider_fault_set(
					 armed, SSM_KEYPROVIDER_METHOD_GENERATE,
					 1, SSM_ERROR, false));
	assert_int_equal(SSM_OK,
			 ssm_store_revision(
				 &r, ssm_test_env_service(&f->env, c)->store));
	EXPECT_ERR(ssm_param_put(NULL, NULL, c, "/kp/y", "v",
				 &(ssm_param_put_options){
					 .version = 1,
					 .type = SSM_PARAM_SECURE_STRING }),
		   SSM_EINVALID, "InvalidKeyId",
		   "Invalid keyId alias/aws/ssm: injected fault: generate call "
		   "1");
	{
		uint64_t r2;

		assert_int_equal(
			SSM_OK,
			ssm_store_revision(
				&r2, ssm_test_env_service(&f->env, c)->store));
		assert_int_equal(r, r2);
	}
	EXPECT_ERR(ssm_keyprovider_fault_set(armed, 0, 1, SSM_OK, false),
		   SSM_EINVALID, NULL, "fault code 0 is not a failure");
	ssm_client_free(c);
	armed = NULL;
}

static void resolver_decrypts_on_request(void **state)
{
	struct fx *f = *state;
	const char *refs[] = { "/rs/s" };
	ssm_param_resolved out[1];
	ssm_arena arena = SSM_ARENA_INIT;

	assert_int_equal(SSM_OK, put_secure(f, "/rs/s", SECRET, NULL, 0));
	assert_int_equal(SSM_OK, ssm_param__resolve(out, f->svc, refs, 1, false,
						    &arena));
	assert_true(out[0].found);
	assert_int_equal(SSM_PARAM_RESOLVED_SECURE_STRING, out[0].type);
	assert_null(strstr(out[0].value, SECRET));
	assert_int_equal(
		SSM_OK, ssm_param__resolve(out, f->svc, refs, 1, true, &arena));
	assert_string_equal(SECRET, out[0].value);
	ssm_arena_dispose_secure(&arena);
}

/* ---- policies and events ------------------------------------------------- */

struct events {
	pthread_mutex_t lock;
	char types[32][64];
	char details[32][512];
	char resources[32][256];
	int n;
};

static void on_event(const ssm_event *ev, void *payload)
{
	struct events *e = payload;

	pthread_mutex_lock(&e->lock);
	if (e->n < 32 && ev->version == SSM_EVENT_VERSION &&
	    strcmp(ev->source, "aws.ssm") == 0 && ev->resources_count == 1 &&
	    strlen(ev->id) == 36 && ev->time_ms > 0 &&
	    strcmp(ev->account, "123456789012") == 0 &&
	    strcmp(ev->region, "us-east-1") == 0) {
		snprintf(e->types[e->n], sizeof(e->types[0]), "%s",
			 ev->detail_type);
		snprintf(e->details[e->n], sizeof(e->details[0]), "%s",
			 ev->detail);
		snprintf(e->resources[e->n], sizeof(e->resources[0]), "%s",
			 ev->resources[0]);
		e->n++;
	}
	pthread_mutex_unlock(&e->lock);
}

static int64_t fake_now;

static int64_t fake_clock(void *payload)
{
	(void)payload;
	return fake_now;
}

static ssm_err put_policies(struct fx *f, const char *name,
			    const char *policies, ssm_param_tier tier,
			    unsigned flags)
{
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;

	o.type = flags ? 0 : SSM_PARAM_STRING;
	o.flags = flags;
	o.tier = tier;
	o.policies = policies;
	return ssm_param_put(NULL, NULL, f->c, name, "v", &o);
}

#define EXP(ts)                                                        \
	"{\"Type\":\"Expiration\",\"Version\":\"1.0\",\"Attributes\":" \
	"{\"Timestamp\":\"" ts "\"}}"
#define EXP_NOTE(n, unit)                                           \
	"{\"Type\":\"ExpirationNotification\",\"Version\":\"1.0\"," \
	"\"Attributes\":{\"Before\":\"" n "\",\"Unit\":\"" unit "\"}}"
#define NO_CHANGE(n, unit)                                        \
	"{\"Type\":\"NoChangeNotification\",\"Version\":\"1.0\"," \
	"\"Attributes\":{\"After\":\"" n "\",\"Unit\":\"" unit "\"}}"

static void policies_need_the_advanced_tier(void **state)
{
	struct fx *f = *state;
	ssm_param_tier tier;
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	uint64_t r = rev(f);

	EXPECT_ERR(put_policies(f, "/pol/std",
				"[" EXP("2999-01-01T00:00:00Z") "]",
				SSM_PARAM_TIER_STANDARD, 0),
		   SSM_EINVALID, "ValidationException",
		   "Parameter policies are only supported for the Advanced "
		   "tier.");
	EXPECT_ERR(put_policies(f, "/pol/std",
				"[" EXP("2999-01-01T00:00:00Z") "]",
				SSM_PARAM_TIER_DEFAULT, 0),
		   SSM_EINVALID, "ValidationException", NULL);
	assert_int_equal(r, rev(f));
	o.type = SSM_PARAM_STRING;
	o.tier = SSM_PARAM_TIER_INTELLIGENT;
	o.policies = "[" EXP("2999-01-01T00:00:00Z") "]";
	assert_int_equal(SSM_OK,
			 ssm_param_put(NULL, &tier, f->c, "/pol/it", "v", &o));
	assert_int_equal(SSM_PARAM_TIER_ADVANCED, tier);
}

static void policies_are_checked(void **state)
{
	struct fx *f = *state;
	const ssm_param_tier adv = SSM_PARAM_TIER_ADVANCED;
	const char *eleven =
		"[" NO_CHANGE("1", "Days") "," NO_CHANGE("1", "Days") "," NO_CHANGE("1", "Days") "," NO_CHANGE("1", "Days") "," NO_CHANGE("1", "Days") "," NO_CHANGE(
			"1",
			"Days") "," NO_CHANGE("1",
					      "Days") "," NO_CHANGE("1",
								    "Days") "," NO_CHANGE("1",
											  "Days") "," NO_CHANGE("1",
														"Days") "," NO_CHANGE("1",
																      "Days") "]";
	uint64_t r = rev(f);

	EXPECT_ERR(put_policies(f, "/pc/x", "not json", adv, 0), SSM_EINVALID,
		   "ValidationException", NULL);
	assert_non_null(strstr(last()->message, "Parameter policies must be "
						"a JSON array of policy "
						"objects: "));
	EXPECT_ERR(put_policies(f, "/pc/x", "{}", adv, 0), SSM_EINVALID,
		   "ValidationException",
		   "Parameter policies must be a JSON array of policy "
		   "objects, not a object.");
	EXPECT_ERR(put_policies(f, "/pc/x", eleven, adv, 0), SSM_ELIMIT,
		   "PoliciesLimitExceededException",
		   "A parameter can have at most 10 policies; the request has "
		   "11.");
	EXPECT_ERR(put_policies(f, "/pc/x",
				"[{\"Type\":\"Archive\",\"Version\":\"1.0\","
				"\"Attributes\":{}}]",
				adv, 0),
		   SSM_EINVALID, "InvalidPolicyTypeException",
		   "The policy type Archive is not supported. Valid policy "
		   "types: Expiration, ExpirationNotification, "
		   "NoChangeNotification.");
	EXPECT_ERR(put_policies(f, "/pc/x", "[" EXP("tomorrow") "]", adv, 0),
		   SSM_EINVALID, "InvalidPolicyAttributeException",
		   "The Timestamp attribute of an Expiration policy must be an "
		   "ISO 8601 date and time such as 2024-12-02T21:34:33.000Z, "
		   "not 'tomorrow'.");
	EXPECT_ERR(put_policies(f, "/pc/x", "[" EXP("2001-01-01T00:00:00Z") "]",
				adv, 0),
		   SSM_EINVALID, "InvalidPolicyAttributeException",
		   "The expiration time 2001-01-01T00:00:00Z of the Expiration "
		   "policy is in the past.");
	EXPECT_ERR(
		put_policies(f, "/pc/x", "[" EXP_NOTE("1", "Days") "]", adv, 0),
		SSM_EINVALID, "IncompatiblePolicyException",
		"An ExpirationNotification policy needs an Expiration "
		"policy.");
	EXPECT_ERR(put_policies(f, "/pc/x",
				"[" EXP("2999-01-01T00:00:00Z") "," EXP(
					"2998-01-01T00:00:00Z") "]",
				adv, 0),
		   SSM_EINVALID, "IncompatiblePolicyException",
		   "The policies conflict: a parameter can have only one "
		   "policy of each type.");
	EXPECT_ERR(put_policies(f, "/pc/x", "[" NO_CHANGE("1", "Weeks") "]",
				adv, 0),
		   SSM_EINVALID, "InvalidPolicyAttributeException",
		   "The NoChangeNotification policy needs a Unit attribute of "
		   "Days or Hours.");
	EXPECT_ERR(put_policies(f, "/pc/x", "[" NO_CHANGE("-3", "Days") "]",
				adv, 0),
		   SSM_EINVALID, "InvalidPolicyAttributeException",
		   "The NoChangeNotification policy needs a positive whole "
		   "number in its After attribute.");
	EXPECT_ERR(put_policies(f, "/pc/x",
				"[{\"Type\":\"Expiration\",\"Version\":\"1.0\","
				"\"Attributes\":{\"Timestamp\":\"2999-01-01T00:"
				"00:00Z\",\"Color\":\"red\"}}]",
				adv, 0),
		   SSM_EINVALID, "InvalidPolicyAttributeException",
		   "The Expiration policy has no attribute named Color.");
	EXPECT_ERR(put_policies(f, "/pc/x",
				"[{\"Type\":\"Expiration\",\"Version\":\"2.0\","
				"\"Attributes\":{}}]",
				adv, 0),
		   SSM_EINVALID, "InvalidPolicyAttributeException",
		   "The Expiration policy must have Version 1.0.");
	assert_int_equal(r, rev(f));
}

static void policies_are_reported_kept_and_removed(void **state)
{
	struct fx *f = *state;
	ssm_param_describe_options d = SSM_PARAM_DESCRIBE_OPTIONS_INIT;
	ssm_param_iter *it = NULL;
	const ssm_param *p;
	const char *type, *status, *text;

	assert_int_equal(
		SSM_OK,
		put_policies(f, "/pk/x",
			     "[ " EXP("2999-01-01T00:00:00.000Z") ", " EXP_NOTE(
				     "2", "Days") " ]",
			     SSM_PARAM_TIER_ADVANCED, 0));
	assert_int_equal(SSM_OK, ssm_param_describe(&it, f->c, &d));
	assert_int_equal(SSM_OK, ssm_param_iter_next(&p, it));
	assert_int_equal(2, ssm_param_policies_count(p));
	text = ssm_param_policy_at(&type, &status, p, 0);
	assert_string_equal("{\"Type\":\"Expiration\",\"Version\":\"1.0\","
			    "\"Attributes\":{\"Timestamp\":\"2999-01-01T00:00:"
			    "00.000Z\"}}",
			    text);
	assert_string_equal("Expiration", type);
	assert_string_equal("Pending", status);
	ssm_param_policy_at(&type, &status, p, 1);
	assert_string_equal("ExpirationNotification", type);
	assert_null(ssm_param_policy_at(&type, &status, p, 2));
	assert_null(type);
	ssm_param_iter_free(it);
	/* an overwrite without policies keeps them */
	assert_int_equal(SSM_OK, put_policies(f, "/pk/x", NULL, 0,
					      SSM_PARAM_PUT_OVERWRITE));
	assert_int_equal(SSM_OK, ssm_param_describe(&it, f->c, &d));
	assert_int_equal(SSM_OK, ssm_param_iter_next(&p, it));
	assert_int_equal(2, ssm_param_policies_count(p));
	ssm_param_iter_free(it);
	/* "[{}]" removes them, and their timers */
	assert_int_equal(SSM_OK, put_policies(f, "/pk/x", "[{}]", 0,
					      SSM_PARAM_PUT_OVERWRITE));
	assert_int_equal(SSM_OK, ssm_param_describe(&it, f->c, &d));
	assert_int_equal(SSM_OK, ssm_param_iter_next(&p, it));
	assert_int_equal(0, ssm_param_policies_count(p));
	ssm_param_iter_free(it);
	{
		ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
		char prefix[128];

		snprintf(prefix, sizeof(prefix), "%sparam/s/", f->svc->prefix);
		assert_int_equal(SSM_OK,
				 ssm_store_range(&kvs, f->svc->store, prefix,
						 strlen(prefix), NULL));
		assert_int_equal(0, kvs.count);
		ssm_store_kvs_dispose(&kvs);
	}
}

#define HOUR (3600 * 1000LL)

static void policies_act_at_their_time(void **state)
{
	struct fx *f = *state;
	struct events ev;
	ssm_tag tags[] = { { "k", "v" } };
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	ssm_param_describe_options d = SSM_PARAM_DESCRIBE_OPTIONS_INIT;
	ssm_param_iter *it = NULL;
	const ssm_param *p;
	ssm_param *g = NULL;
	const char *status;
	size_t fired = 0;
	int i;

	memset(&ev, 0, sizeof(ev));
	pthread_mutex_init(&ev.lock, NULL);
	fake_now = 4102444800000LL; /* 2100-01-01T00:00:00Z */
	/* timers fire only when the test says so */
	assert_int_equal(SSM_OK, ssm_param__set_timer(f->svc, false));
	ssm_ctx__set_clock(f->env.ctx, fake_clock, NULL);
	assert_int_equal(SSM_OK,
			 ssm_ctx_set_event_cb(f->env.ctx, on_event, &ev));
	o.type = SSM_PARAM_STRING;
	o.tier = SSM_PARAM_TIER_ADVANCED;
	o.tags = tags;
	o.tags_count = 1;
	o.policies = "[" EXP("2100-01-01T03:00:00Z") "," EXP_NOTE(
		"1", "Hours") "," NO_CHANGE("1", "Hours") "]";
	assert_int_equal(SSM_OK,
			 ssm_param_put(NULL, NULL, f->c, "/act/x", "v", &o));
	assert_int_equal(1, ev.n);
	assert_string_equal("Parameter Store Change", ev.types[0]);
	assert_string_equal("{\"operation\":\"Create\",\"name\":\"/act/x\","
			    "\"type\":\"String\",\"description\":\"\"}",
			    ev.details[0]);
	assert_string_equal("arn:aws:ssm:us-east-1:123456789012:parameter/act/"
			    "x",
			    ev.resources[0]);

	assert_int_equal(SSM_OK, ssm_param__run_due(&fired, f->svc));
	assert_int_equal(0, fired);
	/* 30 min: an update restarts the NoChange timer */
	fake_now += HOUR / 2;
	assert_int_equal(SSM_OK, over(f, "/act/x", "w", NULL));
	fake_now += HOUR / 2 + 1; /* 1 h: not yet */
	assert_int_equal(SSM_OK, ssm_param__run_due(&fired, f->svc));
	assert_int_equal(0, fired);
	fake_now += HOUR / 2; /* 1.5 h: NoChangeNotification */
	assert_int_equal(SSM_OK, ssm_param__run_due(&fired, f->svc));
	assert_int_equal(1, fired);
	assert_int_equal(3, ev.n);
	assert_string_equal("Parameter Store Policy Action", ev.types[2]);
	assert_string_equal("{\"parameter-name\":\"/act/x\",\"parameter-type\":"
			    "\"String\",\"policy-type\":"
			    "\"NoChangeNotification\",\"action-status\":"
			    "\"Finished\",\"action-reason\":\"Parameter /act/x "
			    "has not been modified since "
			    "2100-01-01T00:30:00.000Z.\"}",
			    ev.details[2]);
	assert_int_equal(SSM_OK, ssm_param_describe(&it, f->c, &d));
	assert_int_equal(SSM_OK, ssm_param_iter_next(&p, it));
	ssm_param_policy_at(NULL, &status, p, 2);
	assert_string_equal("Finished", status);
	ssm_param_policy_at(NULL, &status, p, 1);
	assert_string_equal("Pending", status);
	ssm_param_iter_free(it);
	/* 2 h: ExpirationNotification */
	fake_now = 4102444800000LL + 2 * HOUR;
	assert_int_equal(SSM_OK, ssm_param__run_due(&fired, f->svc));
	assert_int_equal(1, fired);
	assert_non_null(strstr(ev.details[3], "\"policy-type\":"
					      "\"ExpirationNotification\""));
	assert_non_null(strstr(ev.details[3], "expires at "
					      "2100-01-01T03:00:00.000Z."));
	/* twice is once */
	assert_int_equal(SSM_OK, ssm_param__run_due(&fired, f->svc));
	assert_int_equal(0, fired);
	/* 3 h: Expiration deletes it, with its tags */
	fake_now = 4102444800000LL + 3 * HOUR;
	assert_int_equal(SSM_OK, ssm_param__run_due(&fired, f->svc));
	assert_int_equal(1, fired);
	assert_non_null(
		strstr(ev.details[4], "\"policy-type\":\"Expiration\""));
	assert_non_null(strstr(ev.details[4], "expired at "
					      "2100-01-01T03:00:00.000Z and "
					      "was deleted."));
	EXPECT_ERR(ssm_param_get(&g, f->c, "/act/x", 0), SSM_ENOTFOUND,
		   "ParameterNotFound", NULL);
	assert_int_equal(SSM_ENOTFOUND,
			 ssm_tags_list(&(ssm_tag_list *){ NULL }, f->c,
				       "Parameter", "/act/x"));
	/* nothing of it is left */
	for (i = 0; i < 2; i++) {
		ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
		char prefix[128];

		snprintf(prefix, sizeof(prefix), "%sparam/%s", f->svc->prefix,
			 i ? "s/" : "v//act/x:");
		assert_int_equal(SSM_OK,
				 ssm_store_range(&kvs, f->svc->store, prefix,
						 strlen(prefix), NULL));
		assert_int_equal(0, kvs.count);
		ssm_store_kvs_dispose(&kvs);
	}
	/* label and delete events */
	assert_int_equal(SSM_OK, put(f, "/act/y", "v"));
	assert_int_equal(SSM_OK, ssm_param_label(NULL, NULL, f->c, "/act/y", 1,
						 (const char *[]){ "l" }, 1));
	assert_int_equal(SSM_OK, ssm_param_delete(f->c, "/act/y"));
	assert_int_equal(8, ev.n);
	assert_non_null(strstr(ev.details[6], "\"LabelParameterVersion\""));
	assert_non_null(strstr(ev.details[7], "\"operation\":\"Delete\""));
	assert_int_equal(SSM_OK, ssm_ctx_set_event_cb(f->env.ctx, NULL, NULL));
	ssm_ctx__set_clock(f->env.ctx, NULL, NULL);
	assert_int_equal(SSM_OK, ssm_param__set_timer(f->svc, true));
	assert_int_equal(SSM_OK, ssm_param__set_timer(f->svc, true));
	pthread_mutex_destroy(&ev.lock);
}

static void the_timer_thread_expires_parameters(void **state)
{
	struct fx *f = *state;
	char policies[256], ts[SSM_ISO8601_SIZE];
	int64_t deadline;
	ssm_param *p = NULL;
	ssm_err e = SSM_OK;

	assert_int_equal(SSM_OK,
			 ssm_time_format_iso8601(ts, ssm__now_ms() + 1200));
	snprintf(policies, sizeof(policies),
		 "[{\"Type\":\"Expiration\",\"Version\":\"1.0\","
		 "\"Attributes\":{\"Timestamp\":\"%s\"}}]",
		 ts);
	assert_int_equal(SSM_OK, put_policies(f, "/thr/x", policies,
					      SSM_PARAM_TIER_ADVANCED, 0));
	deadline = ssm__mono_ms() + 10000;
	while (ssm__mono_ms() < deadline) {
		e = ssm_param_get(&p, f->c, "/thr/x", 0);
		ssm_param_free(p);
		p = NULL;
		if (e == SSM_ENOTFOUND)
			break;
		usleep(50000);
	}
	assert_int_equal(SSM_ENOTFOUND, e);
}

static void remaining_documented_errors(void **state)
{
	struct fx *f = *state;
	const char *keys[] = { "k" };
	ssm_tag_list *tl = NULL;
	ssm_param *p = NULL;

	EXPECT_ERR(ssm_param_get(&p, f->c, "bad name", 0), SSM_EINVALID,
		   "ValidationException", MSG_BAD_NAME);
	assert_null(p);
	EXPECT_ERR(ssm_param_get(&p, f->c, "a/b", 0), SSM_EINVALID,
		   "ValidationException",
		   "Parameter name must be a fully qualified name.");
	EXPECT_ERR(ssm_tags_list(&tl, f->c, "MaintenanceWindow", "x"),
		   SSM_EINVALID, "InvalidResourceType",
		   "The resource type MaintenanceWindow can't be tagged here.");
	EXPECT_ERR(ssm_tags_remove(f->c, "Parameter", "/nope", keys, 1),
		   SSM_ENOTFOUND, "InvalidResourceId", "Invalid Resource Id");
	EXPECT_ERR(ssm_tags_remove(f->c, "Patch", "x", keys, 1), SSM_EINVALID,
		   "ValidationException", NULL);
	EXPECT_ERR(ssm_tags_remove(f->c, "Parameter", "/x", NULL, 1),
		   SSM_EINVALID, NULL, "invalid argument: 'keys'");
	/* the wire names map back to the same codes on every transport */
	assert_int_equal(SSM_ELIMIT,
			 ssm_error_set_aws("TooManyTagsError", "x"));
	assert_int_equal(SSM_EUNSUPPORTED,
			 ssm_error_set_aws("UnsupportedOperation", "x"));
	assert_int_equal(SSM_ENOTFOUND,
			 ssm_error_set_aws("NotFoundException", "x"));
	assert_int_equal(SSM_EINVALID, ssm_error_set_aws("InvalidKeyId", "x"));
	assert_int_equal(
		SSM_ELIMIT,
		ssm_error_set_aws("PoliciesLimitExceededException", "x"));
	assert_int_equal(SSM_EINVALID,
			 ssm_error_set_aws("IncompatiblePolicyException", "x"));
	assert_int_equal(
		SSM_ECONFLICT,
		ssm_error_set_aws("HierarchyTypeMismatchException", "x"));
	assert_int_equal(
		SSM_ELIMIT,
		ssm_error_set_aws("HierarchyLevelLimitExceededException", "x"));
	assert_int_equal(
		SSM_EINVALID,
		ssm_error_set_aws("ParameterPatternMismatchException", "x"));
	assert_int_equal(
		SSM_ELIMIT,
		ssm_error_set_aws("ParameterVersionLabelLimitExceeded", "x"));
	assert_int_equal(SSM_EAUTH,
			 ssm_error_set_aws("AccessDeniedException", "x"));
}

/* A provider with only the required methods. */
static ssm_err bare_open(ssm_keyprovider **out, const ssm_keyprovider_ops *ops,
			 ssm_ctx *ctx, const ssm_keyprovider_config *cfg,
			 void *payload)
{
	static ssm_keyprovider one;

	(void)ops;
	(void)ctx;
	(void)cfg;
	(void)payload;
	memset(&one, 0, sizeof(one));
	*out = &one;
	return SSM_OK;
}

static void bare_close(ssm_keyprovider *kp)
{
	(void)kp;
}

static ssm_err bare_resolve(ssm_buf *out, ssm_keyprovider *kp, const char *id)
{
	(void)kp;
	return ssm_buf_set(out, id, strlen(id));
}

static void key_providers_without_admin_methods(void **state)
{
	struct fx *f = *state;
	ssm_keyprovider_ops ops;
	ssm_client_options co = SSM_CLIENT_OPTIONS_INIT;
	ssm_client *c = NULL;
	ssm_keys *keys = NULL;

	/* master keys and key providers are administered in process (as
	 * with KMS, not through the SSM API): nothing to test through http */
	if (strcmp(backend, "http") == 0)
		skip();
	assert_int_equal(SSM_OK, ssm_keyprovider_ops_init(&ops, 1));
	ops.name = "bare";
	ops.open = bare_open;
	ops.close = bare_close;
	ops.resolve = bare_resolve;
	ops.generate_data_key = faulty_gen;
	ops.decrypt_data_key = faulty_dec;
	assert_int_equal(SSM_OK,
			 ssm_ctx_register_keyprovider(f->env.ctx, &ops, NULL));
	co.region = "ap-east-1";
	co.keyring = "bare:";
	assert_int_equal(SSM_OK,
			 ssm_client_open(&c, f->env.ctx, f->env.url, &co));
	EXPECT_ERR(ssm_key_create(NULL, c, NULL), SSM_EUNSUPPORTED,
		   "UnsupportedOperation",
		   "the key provider 'bare' cannot create keys");
	EXPECT_ERR(ssm_key_list(&keys, c), SSM_EUNSUPPORTED,
		   "UnsupportedOperation",
		   "the key provider 'bare' cannot list keys");
	assert_null(keys);
	EXPECT_ERR(ssm_key_rotate(NULL, c, "k"), SSM_EUNSUPPORTED,
		   "UnsupportedOperation",
		   "the key provider 'bare' cannot rotate keys");
	ssm_client_free(c);
}

static void state_and_arns_are_per_account_and_region(void **state)
{
	struct fx *f = *state;
	ssm_client_options co = SSM_CLIENT_OPTIONS_INIT;
	const char *eleven[11] = { "a", "b", "c", "d", "e", "f",
				   "g", "h", "i", "j", "k" };
	ssm_client *eu = NULL, *other = NULL;
	ssm_param *p = NULL;

	co.region = "eu-west-1";
	assert_int_equal(0, ssm_test_env_client(&f->env, &eu, &co));
	co.account_id = "210987654321";
	assert_int_equal(0, ssm_test_env_client(&f->env, &other, &co));
	assert_int_equal(SSM_OK, put(f, "/reg/x", "us"));
	assert_int_equal(SSM_OK,
			 ssm_param_put(NULL, NULL, eu, "/reg/x", "eu",
				       &(ssm_param_put_options){
					       .version = 1,
					       .type = SSM_PARAM_STRING }));
	assert_int_equal(SSM_OK, ssm_param_get(&p, eu, "/reg/x", 0));
	assert_string_equal("eu", ssm_param_value(p));
	assert_string_equal("arn:aws:ssm:eu-west-1:123456789012:parameter/reg/"
			    "x",
			    ssm_param_arn(p));
	ssm_param_free(p);
	if (strcmp(backend, "http") == 0) {
		/* a remote client cannot choose the account: the server's
		 * (123456789012) is used, in the client's region */
		assert_int_equal(SSM_OK, ssm_param_get(&p, other, "/reg/x", 0));
		assert_string_equal("eu", ssm_param_value(p));
		ssm_param_free(p);
	} else {
		EXPECT_ERR(ssm_param_get(&p, other, "/reg/x", 0), SSM_ENOTFOUND,
			   "ParameterNotFound", NULL);
	}
	assert_string_equal("us", value_of(f, "/reg/x"));
	/* an ARN of another region names nothing here */
	EXPECT_ERR(ssm_param_get(&p, eu,
				 "arn:aws:ssm:us-east-1:123456789012:"
				 "parameter/reg/x",
				 0),
		   SSM_ENOTFOUND, "ParameterNotFound", NULL);
	/* 11 labels in one request */
	EXPECT_ERR(ssm_param_label(NULL, NULL, eu, "/reg/x", 1, eleven, 11),
		   SSM_EINVALID, "ValidationException",
		   "1 validation error detected: Value '[a, b, c, d, e, f, g, "
		   "h, i, j, k]' at 'labels' failed to satisfy constraint: "
		   "Member must have length less than or equal to 10");
	ssm_client_free(eu);
	ssm_client_free(other);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(put_then_get_returns_every_field),
		T(slash_and_plain_one_level_names_are_the_same),
		T(spaces_around_names_are_trimmed),
		T(malformed_names_are_refused_and_change_nothing),
		T(fifteen_levels_and_no_more),
		T(reserved_prefixes_are_refused),
		T(names_are_limited_by_their_arn),
		T(reads_accept_arns_writes_do_not),
		T(types_are_checked_and_kept),
		T(values_have_length_limits_per_tier),
		T(intelligent_tiering_picks_the_tier),
		T(values_may_not_refer_to_parameters),
		T(empty_and_invalid_values_are_refused),
		T(data_types_are_checked),
		T(allowed_patterns_check_every_value),
		T(catastrophic_patterns_fail_fast),
		T(tags_and_overwrite_exclude_each_other),
		T(descriptions_are_limited),
		T(key_ids_are_for_secure_strings_only),
		T(parameter_counts_are_limited_per_tier),
		T(overwrites_make_consecutive_versions),
		T(versions_and_labels_select_old_values),
		T(only_one_hundred_versions_are_kept),
		T(a_labelled_oldest_version_blocks_the_next),
		T(labels_move_between_versions),
		T(invalid_labels_are_returned_not_raised),
		T(label_limits_and_errors),
		T(unlabel_reports_removed_and_invalid),
		T(get_many_answers_valid_and_lists_invalid),
		T(by_path_reads_one_level_or_the_subtree),
		T(by_path_pages_with_small_pages),
		T(by_path_filters_by_type_key_and_label),
		T(by_path_refuses_bad_filters_and_paths),
		T(by_path_max_results_is_checked_on_the_wire),
		T(next_tokens_are_opaque_and_tamper_checked),
		T(describe_lists_metadata_with_filters),
		T(describe_filters_by_tags),
		T(describe_refuses_bad_filters),
		T(describe_deprecated_filters_and_shared),
		T(history_pages_oldest_first),
		T(delete_removes_versions_labels_and_tags),
		T(delete_many_reports_deleted_and_invalid),
		T(tags_are_added_listed_and_removed),
		T(tag_errors),
		T(concurrent_overwrites_make_consecutive_versions),
		T(concurrent_creates_respect_the_count_limit),
		T(public_api_checks_its_arguments),
		T(allocation_failures_fail_cleanly),
		T(store_failures_leave_nothing_half_written),
		T(resolver_answers_a_batch),
		T(secure_strings_never_reach_the_store_in_plain_text),
		T(key_ids_take_every_form),
		T(tampered_or_moved_ciphertext_fails_authentication),
		T(rotation_rewraps_data_keys_and_keeps_values),
		T(key_aliases_are_checked),
		T(keyring_files_are_private_and_shared),
		T(key_provider_failures_are_reported),
		T(resolver_decrypts_on_request),
		T(policies_need_the_advanced_tier),
		T(policies_are_checked),
		T(policies_are_reported_kept_and_removed),
		T(policies_act_at_their_time),
		T(the_timer_thread_expires_parameters),
		T(remaining_documented_errors),
		T(key_providers_without_admin_methods),
		T(state_and_arns_are_per_account_and_region),
#undef T
	};
	int failed;

	if (ssm_test_backend_from_args(argc, argv, &backend))
		return 2;
	if (ssm_init() < 0)
		return 2;
	if (getenv("SSM_TEST_FILTER"))
		cmocka_set_test_filter(getenv("SSM_TEST_FILTER"));
	failed = cmocka_run_group_tests_name("param", tests, NULL, NULL);
	ssm_shutdown();
	return failed;
}
