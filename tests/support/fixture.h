/* SPDX-License-Identifier: Apache-2.0 */
/* A client for engine tests, on the backend named on the command line, so
 * one suite runs unchanged on every transport and store:
 *
 *   test_param memory     engines in process on memory:
 *   test_param sqlite     engines in process on a fresh SQLite file
 *   test_param http       engines behind an ssm_server on 127.0.0.1:0 (a
 *                         fresh memory: store), reached over http:// with
 *                         the test access key below
 *   test_param etcd       engines in process on etcd at $SSM_TEST_ETCD_URL
 *                         (tests/etcd_run starts one), a fresh prefix each
 *
 * Each case gets a fresh context, state and client. */
#ifndef SSM_TEST_FIXTURE_H
#define SSM_TEST_FIXTURE_H

#include "ssm/ssm.h"
#include "api/op.h"

/* The access key the "http" backend's server accepts and its clients sign
 * with (unless the options name their own). */
#define SSM_TEST_ACCESS_KEY_ID "AKIDSSMTEST"
#define SSM_TEST_SECRET_KEY "ssm-test-secret"

struct ssm_test_env {
	ssm_ctx *ctx;
	ssm_client *client;
	char url[512]; /* the URL the client was opened on */
	char dir[256]; /* a fresh temporary directory for this case */
	/* etcd: the keyring file clients use (next to nothing else: the
	 * store is remote), "<dir>/state.db.keyring" like sqlite's default */
	char keyring[300];
	const char *backend;
	ssm_server *server; /* the "http" backend's server, else NULL */
};

/* Parse argv[1] (default "memory"); returns 0, or 2 after printing usage. */
int ssm_test_backend_from_args(int argc, char **argv, const char **backend);
/* Make a fresh env (context, temp dir, client) on @backend; 0 on success. */
int ssm_test_env_open(struct ssm_test_env *env, const char *backend,
		      const ssm_client_options *opts);
/* Open another client on the same state (e.g. another region). */
int ssm_test_env_client(struct ssm_test_env *env, ssm_client **out,
			const ssm_client_options *opts);
void ssm_test_env_close(struct ssm_test_env *env);
/* The service whose state @client works on (env->client when NULL): the
 * embedded one, or the server's service of the client's region for the
 * "http" backend. Tests use it to look at the store behind a call. */
ssm_service *ssm_test_env_service(struct ssm_test_env *env, ssm_client *client);

#endif
