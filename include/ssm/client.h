/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/client.h
 * @brief A client: how an application reaches the SSM engines.
 *
 * A client is opened from a URL and the scheme picks the transport:
 *
 * | URL                        | meaning                                    |
 * |----------------------------|--------------------------------------------|
 * | `memory:`                  | engines in process, state in memory        |
 * | `sqlite:///path/state.db`  | engines in process on an SQLite file       |
 * | `etcd://host:port/prefix`  | engines in process on an etcd cluster      |
 * | `http://host:port`, https  | a remote ssmd (or AWS) over AWS JSON 1.1   |
 *
 * Every engine call (ssm_param_put(), ssm_document_create(), ...) takes a
 * client. A client is used from one thread at a time; open one per thread:
 * clients of one context opened on the same store URL, account and region
 * share one set of embedded engines.
 */
#ifndef SSM_CLIENT_H
#define SSM_CLIENT_H

#include "ssm/common.h"
#include "ssm/errors.h"
#include "ssm/types.h"

SSM_BEGIN_DECL

/** An open connection to the SSM engines (local or remote). */
typedef struct ssm_client ssm_client;

/** Options of ssm_client_open(). Zero means "default" for every field. */
typedef struct ssm_client_options {
	unsigned int version; /**< SSM_CLIENT_OPTIONS_VERSION */
	/** AWS region. NULL: $AWS_REGION, $AWS_DEFAULT_REGION, else
	 *  "us-east-1". Embedded state is kept per region. */
	const char *region;
	/** Account id of embedded engines (12 digits, used in ARNs).
	 *  NULL: "123456789012". Ignored by remote transports. */
	const char *account_id;
	/** Remote: access key id. NULL: $AWS_ACCESS_KEY_ID or the profile. */
	const char *access_key_id;
	/** Remote: secret access key (copied, wiped on free). */
	const char *secret_access_key;
	/** Remote: session token of temporary credentials, or NULL. */
	const char *session_token;
	/** Remote: profile of ~/.aws/credentials. NULL: $AWS_PROFILE or
	 *  "default". */
	const char *profile;
	/** Embedded: keyring file holding SecureString master keys. NULL: a
	 *  file next to an sqlite: store, or in memory for memory:. */
	const char *keyring;
	/** Deadline of one call in ms; 0: 30000. */
	int64_t timeout_ms;
} ssm_client_options;

/** Current version of ::ssm_client_options. */
#define SSM_CLIENT_OPTIONS_VERSION 1
/** Initialiser with every field at its default. */
#define SSM_CLIENT_OPTIONS_INIT                       \
	{                                             \
		.version = SSM_CLIENT_OPTIONS_VERSION \
	}

/**
 * Initialise client options to their defaults (for bindings and C++).
 *
 * @param[out] opts  the options
 * @param version    SSM_CLIENT_OPTIONS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p opts or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_client_options_init(ssm_client_options *opts, unsigned int version);

/**
 * Open a client on a URL.
 *
 * For a store URL the engines run in this process on their own store; the
 * built-in documents and baselines are seeded into a new store.
 *
 * @param[out] out  the client; free with ssm_client_free()
 * @param ctx       the context (kept alive by the client)
 * @param url       where the engines are (see the table above)
 * @param opts      options, or NULL for defaults
 * @return SSM_OK; SSM_EINVALID for a malformed URL, unknown scheme or bad
 *         options; SSM_ERROR when the store or server cannot be reached
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_client_open(ssm_client **out, ssm_ctx *ctx, const char *url,
		const ssm_client_options *opts);

/**
 * Close a client. Calls in progress on other threads must have returned.
 *
 * @param client the client; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_client_free(ssm_client *client);

/**
 * The region the client's calls go to, e.g. "us-east-1".
 *
 * @param client the client
 * @return text owned by the client
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_client_region(const ssm_client *client);

/**
 * The name of the client's transport: "inproc", "http" or "https" (or a
 * registered plugin's scheme).
 *
 * @param client the client
 * @return static text
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_client_transport(const ssm_client *client);

SSM_END_DECL

#endif
