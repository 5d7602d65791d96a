/* SPDX-License-Identifier: Apache-2.0 */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/client.h"
#include "server/server.h"

/* Client options with the test access key unless @opts names one. */
static void http_options(ssm_client_options *o, const ssm_client_options *opts)
{
	ssm_client_options_init(o, SSM_CLIENT_OPTIONS_VERSION);
	if (opts)
		*o = *opts;
	if (!o->access_key_id) {
		o->access_key_id = SSM_TEST_ACCESS_KEY_ID;
		o->secret_access_key = SSM_TEST_SECRET_KEY;
	}
}

static int start_server(struct ssm_test_env *env)
{
	ssm_server_options so = SSM_SERVER_OPTIONS_INIT;

	so.listen = "127.0.0.1:0";
	so.store_url = "memory:";
	so.flags = SSM_SERVER_ENABLE_TEST_RESET;
	so.threads = 4;
	if (ssm_server_new(&env->server, env->ctx, &so) < 0 ||
	    ssm_server_add_access_key(env->server, SSM_TEST_ACCESS_KEY_ID,
				      SSM_TEST_SECRET_KEY) < 0 ||
	    ssm_server_start(env->server) < 0) {
		fprintf(stderr, "server: %s\n", ssm_error_last()->message);
		return -1;
	}
	snprintf(env->url, sizeof(env->url), "%s", ssm_server_url(env->server));
	return 0;
}

int ssm_test_backend_from_args(int argc, char **argv, const char **backend)
{
	*backend = argc > 1 ? argv[1] : "memory";
	if (strcmp(*backend, "memory") && strcmp(*backend, "sqlite") &&
	    strcmp(*backend, "http") && strcmp(*backend, "etcd")) {
		fprintf(stderr, "usage: %s [memory|sqlite|http|etcd]\n",
			argv[0]);
		return 2;
	}
	return 0;
}

int ssm_test_env_open(struct ssm_test_env *env, const char *backend,
		      const ssm_client_options *opts)
{
	memset(env, 0, sizeof(*env));
	env->backend = backend;
	snprintf(env->dir, sizeof(env->dir), "/tmp/ssm-test-XXXXXX");
	if (!mkdtemp(env->dir))
		return -1;
	if (ssm_ctx_new(&env->ctx, NULL) < 0)
		return -1;
	if (strcmp(backend, "memory") == 0) {
		snprintf(env->url, sizeof(env->url), "memory:");
	} else if (strcmp(backend, "sqlite") == 0) {
		snprintf(env->url, sizeof(env->url), "sqlite://%s/state.db",
			 env->dir);
	} else if (strcmp(backend, "etcd") == 0) {
		const char *base = getenv("SSM_TEST_ETCD_URL");

		if (!base) {
			fprintf(stderr, "SSM_TEST_ETCD_URL is not set\n");
			return -1;
		}
		snprintf(env->url, sizeof(env->url), "%s%s/", base,
			 strrchr(env->dir, '/'));
		/* SecureString master keys never go to etcd: a keyring file
		 * must be named, here where sqlite keeps its default one */
		snprintf(env->keyring, sizeof(env->keyring),
			 "%s/state.db.keyring", env->dir);
	} else if (strcmp(backend, "http") == 0) {
		if (start_server(env) < 0)
			return -1;
	} else {
		fprintf(stderr, "backend %s is not available yet\n", backend);
		return -1;
	}
	if (ssm_test_env_client(env, &env->client, opts) < 0) {
		fprintf(stderr, "open %s: %s\n", env->url,
			ssm_error_last()->message);
		return -1;
	}
	return 0;
}

int ssm_test_env_client(struct ssm_test_env *env, ssm_client **out,
			const ssm_client_options *opts)
{
	ssm_client_options o = SSM_CLIENT_OPTIONS_INIT;

	if (env->server) {
		http_options(&o, opts);
	} else {
		if (opts)
			o = *opts;
		if (env->keyring[0] && !o.keyring)
			o.keyring = env->keyring;
	}
	return ssm_client_open(out, env->ctx, env->url, &o) < 0 ? -1 : 0;
}

ssm_service *ssm_test_env_service(struct ssm_test_env *env, ssm_client *client)
{
	ssm_service *svc = NULL;

	if (!client)
		client = env->client;
	if (!env->server)
		return ssm_client__service(client);
	if (ssm_server__service(&svc, env->server, ssm_client_region(client)) <
	    0)
		return NULL;
	return svc;
}

void ssm_test_env_close(struct ssm_test_env *env)
{
	char cmd[300];

	ssm_client_free(env->client);
	env->client = NULL;
	ssm_server_free(env->server);
	env->server = NULL;
	ssm_ctx_free(env->ctx);
	env->ctx = NULL;
	if (env->dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", env->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", env->dir);
	}
}
