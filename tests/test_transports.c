/* SPDX-License-Identifier: Apache-2.0 */
/* One suite, every transport: the Echo engine through the client of the
 * backend named on the command line (memory, sqlite: in process; http:
 * through an ssm_server on 127.0.0.1). Answers, errors and messages must
 * be the same on each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ssm/ssm.h"
#include "api/client.h"
#include "api/op.h"
#include "echo.h"
#include "fixture.h"

static const char *backend = "memory";

static int setup(void **state)
{
	struct ssm_test_env *env = calloc(1, sizeof(*env));

	ssm_service__set_test_module(&echo_module);
	if (!env || ssm_test_env_open(env, backend, NULL) < 0)
		return -1;
	*state = env;
	return 0;
}

static int teardown(void **state)
{
	ssm_test_env_close(*state);
	free(*state);
	return 0;
}

static ssm_err call(ssm_client *c, const ssm_operation *op, const char *name,
		    echo_out *out, ssm_call *cl)
{
	echo_in in = { 0 };

	in.name = (char *)name;
	ssm_client__call_init(cl, c);
	return ssm_client__call(c, op, &in, out, cl);
}

static void answers_are_the_same_on_every_transport(void **state)
{
	struct ssm_test_env *env = *state;
	echo_out out;
	ssm_call cl;

	assert_int_equal(SSM_OK, call(env->client, &echo_op, "hi", &out, &cl));
	assert_string_equal("hi", out.name);
	ssm_call__dispose(&cl);
	assert_string_equal(strcmp(backend, "http") ? "inproc" : "http",
			    ssm_client_transport(env->client));
}

static void errors_are_the_same_on_every_transport(void **state)
{
	struct ssm_test_env *env = *state;
	echo_out out;
	ssm_call cl;

	assert_int_equal(SSM_ENOTFOUND,
			 call(env->client, &echo_op, "missing", &out, &cl));
	assert_string_equal("ParameterNotFound",
			    ssm_error_last()->service_code);
	assert_string_equal("parameter 'missing' not found",
			    ssm_error_last()->message);
	assert_int_equal(SSM_ERRCLASS_PARAM, ssm_error_last()->klass);
	ssm_call__dispose(&cl);
	assert_int_equal(SSM_EINVALID,
			 call(env->client, &echo_op, "", &out, &cl));
	assert_string_equal("ValidationException",
			    ssm_error_last()->service_code);
	assert_string_equal("1 validation error detected: Value '' at 'name' "
			    "failed to satisfy constraint: Member must have "
			    "length greater than or equal to 1",
			    ssm_error_last()->message);
	ssm_call__dispose(&cl);
	assert_int_equal(SSM_ELIMIT,
			 call(env->client, &echo_op, "throttle", &out, &cl));
	assert_string_equal("ThrottlingException",
			    ssm_error_last()->service_code);
	assert_string_equal("Rate exceeded", ssm_error_last()->message);
	ssm_call__dispose(&cl);
}

static void state_is_visible_through_the_service(void **state)
{
	struct ssm_test_env *env = *state;
	ssm_client *eu = NULL;
	ssm_client_options o = SSM_CLIENT_OPTIONS_INIT;
	ssm_service *svc;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	char key[128];
	echo_out out;
	ssm_call cl;

	o.region = "eu-north-1";
	assert_int_equal(0, ssm_test_env_client(env, &eu, &o));
	assert_string_equal("eu-north-1", ssm_client_region(eu));
	assert_int_equal(SSM_OK, call(eu, &echo_write_op, "w", &out, &cl));
	ssm_call__dispose(&cl);
	svc = ssm_test_env_service(env, eu);
	assert_non_null(svc);
	assert_string_equal("eu-north-1", svc->region);
	snprintf(key, sizeof(key), "%secho/w", svc->prefix);
	assert_int_equal(SSM_OK,
			 ssm_store_get(&kv, svc->store, key, strlen(key)));
	ssm_store_kv_dispose(&kv);
	/* the default client's region is another service */
	assert_ptr_not_equal(svc, ssm_test_env_service(env, NULL));
	ssm_client_free(eu);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(answers_are_the_same_on_every_transport),
		T(errors_are_the_same_on_every_transport),
		T(state_is_visible_through_the_service),
#undef T
	};
	int failed;

	if (ssm_test_backend_from_args(argc, argv, &backend))
		return 2;
	if (ssm_init() < 0)
		return 2;
	failed = cmocka_run_group_tests_name(backend, tests, NULL, NULL);
	ssm_shutdown();
	return failed;
}
