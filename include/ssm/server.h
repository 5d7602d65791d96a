/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/server.h
 * @brief The control-plane server: the engines behind AWS's own wire
 *        protocol (AWS JSON 1.1 over HTTP, SigV4), as `ssmd` runs them.
 *
 * A server owns a store (opened from a URL) and serves every operation the
 * engines implement at `POST /` with `X-Amz-Target: AmazonSSM.<Operation>`,
 * so the `aws` CLI, the AWS SDKs and libssm's own `http://` clients work
 * against it unchanged. Every request must be signed with SigV4 by one of
 * the server's access keys; the region of the request's credential scope
 * picks the state it works on (state is kept per region, under the
 * configured account id).
 *
 * Other routes: `GET /healthz` answers 200 `{"status":"ok"}` without
 * authentication; `POST /_ssmd/reset` restores a fresh state (every key of
 * the store deleted, built-ins seeded again) and exists only when the
 * server was made with ::SSM_SERVER_ENABLE_TEST_RESET (404 otherwise). It
 * is for test harnesses: it needs no signature.
 *
 * Errors are answered as AWS does: HTTP 400 with
 * `{"__type": "<Code>", "message": "<text>"}` and an `X-Amzn-ErrorType`
 * header; 500 `InternalServerError` only for failures without an AWS error
 * name (bugs, I/O; the detail goes to the log, not the answer); 413
 * `RequestEntityTooLargeException` for a body over the limit (refused from
 * its Content-Length before it is read); 404 for other routes. A missing or
 * unknown `X-Amz-Target` or a Content-Type other than AWS JSON is
 * `UnknownOperationException`, a body that is not the operation's JSON
 * `SerializationException`. Every answer carries an `x-amzn-RequestId`.
 *
 * Life cycle: ssm_server_new() (no I/O but opening the store),
 * ssm_server_add_access_key(), ssm_server_start() (listens),
 * ssm_server_stop(), ssm_server_free(). A server is thread-safe.
 */
#ifndef SSM_SERVER_H
#define SSM_SERVER_H

#include "ssm/common.h"
#include "ssm/errors.h"
#include "ssm/types.h"

SSM_BEGIN_DECL

/** A control-plane server. */
typedef struct ssm_server ssm_server;

/** Flag: serve `POST /_ssmd/reset` (tests only). */
#define SSM_SERVER_ENABLE_TEST_RESET (1u << 0)

/** Options of ssm_server_new(). Zero means "default" for every field. */
typedef struct ssm_server_options {
	unsigned int version; /**< SSM_SERVER_OPTIONS_VERSION */
	/** Where to listen: "ADDR:PORT" ("127.0.0.1:8080", "[::1]:8443",
	 *  "0.0.0.0:80"); port 0 picks a free port (see ssm_server_port()).
	 *  NULL: "127.0.0.1:8080". */
	const char *listen;
	/** The store holding the state, e.g. "sqlite:///var/lib/ssm/state.db".
	 *  NULL: "memory:". */
	const char *store_url;
	/** Account id used in ARNs (12 digits). NULL: "123456789012". */
	const char *account_id;
	/** Keyring file of the SecureString master keys. NULL: next to an
	 *  sqlite: store file ("<file>.keyring"), in memory for memory:. */
	const char *keyring;
	/** PEM certificate (chain) file: with @c tls_key_file, serve HTTPS.
	 *  NULL: plain HTTP. */
	const char *tls_cert_file;
	/** PEM private key file of @c tls_cert_file. */
	const char *tls_key_file;
	/** Largest accepted difference between a request's X-Amz-Date and the
	 *  server's clock, in ms. 0: 300000 (5 minutes, as AWS). */
	int64_t max_skew_ms;
	/** Largest request body in bytes; larger ones are refused with 413
	 *  before they are read. 0: 1 MiB. */
	size_t max_body;
	/** Worker threads (each serves many connections with epoll). 0: four
	 *  per CPU, at least 8. */
	unsigned int threads;
	/** Most connections open at once; further ones are refused. 0: 1000. */
	unsigned int max_connections;
	/** A connection idle for this long (ms, rounded up to seconds) is
	 *  closed, which also cuts off clients that stall mid-request.
	 *  0: 30000. */
	int64_t connection_timeout_ms;
	/** How long ssm_server_stop() lets requests in progress finish, in
	 *  ms. 0: 10000. */
	int64_t drain_timeout_ms;
	/** SSM_SERVER_ENABLE_TEST_RESET */
	unsigned int flags;
} ssm_server_options;

/** Current version of ::ssm_server_options. */
#define SSM_SERVER_OPTIONS_VERSION 1
/** Initialiser with every field at its default. */
#define SSM_SERVER_OPTIONS_INIT                       \
	{                                             \
		.version = SSM_SERVER_OPTIONS_VERSION \
	}

/**
 * Initialise server options to their defaults (for bindings and C++).
 *
 * @param[out] opts  the options
 * @param version    SSM_SERVER_OPTIONS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p opts or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_server_options_init(ssm_server_options *opts, unsigned int version);

/**
 * Make a server: check the options, open the store and read the TLS files.
 * It does not listen until ssm_server_start().
 *
 * @param[out] out  the server; free with ssm_server_free()
 * @param ctx       the context (kept alive by the server); its logger gets
 *                  the server's lines (component "server"), never a secret
 * @param opts      options, or NULL for defaults
 * @return SSM_OK; SSM_EINVALID for bad options (malformed listen address,
 *         account id, a TLS file without the other); SSM_ERROR when the
 *         store or a TLS file cannot be opened
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_server_new(ssm_server **out, ssm_ctx *ctx, const ssm_server_options *opts);

/**
 * Accept requests signed with an access key (replacing the secret of a key
 * id already known). May be called while the server runs, from any thread.
 *
 * @param server             the server
 * @param access_key_id      1..128 characters of A-Z a-z 0-9
 * @param secret_access_key  1..256 bytes; copied, wiped on removal
 * @return SSM_OK; SSM_EINVALID for a malformed id or secret
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_server_add_access_key(ssm_server *server, const char *access_key_id,
			  const char *secret_access_key);

/**
 * Stop accepting requests signed with an access key. May be called while
 * the server runs, from any thread.
 *
 * @param server         the server
 * @param access_key_id  the key id
 * @return SSM_OK; SSM_ENOTFOUND for a key id the server does not know
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_server_remove_access_key(ssm_server *server, const char *access_key_id);

/**
 * Start listening and serving on worker threads.
 *
 * @param server the server
 * @return SSM_OK; SSM_EINVALID when it was started before; SSM_ERROR when
 *         the address cannot be bound (the message names it)
 * @since 0.1
 */
SSM_EXTERN(ssm_err) ssm_server_start(ssm_server *server);

/**
 * The port the server listens on (the one picked for port 0).
 *
 * @param server the server
 * @return the port, or 0 when the server is not listening
 * @since 0.1
 */
SSM_EXTERN(unsigned int) ssm_server_port(const ssm_server *server);

/**
 * The URL clients reach the server on, e.g. "http://127.0.0.1:8080"
 * (an unspecified listen address is given as the loopback one).
 *
 * @param server the server
 * @return text owned by the server, valid until it is freed; "" when it is
 *         not listening
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_server_url(const ssm_server *server);

/**
 * Restore a fresh state: wait for requests in progress, delete every key
 * of the store, and seed the built-ins again (what `POST /_ssmd/reset`
 * does). Requests arriving meanwhile wait.
 *
 * @param server the server
 * @return SSM_OK, or the store's error
 * @since 0.1
 */
SSM_EXTERN(ssm_err) ssm_server_reset(ssm_server *server);

/**
 * Stop serving: stop accepting connections, let requests in progress finish
 * (at most ssm_server_options::drain_timeout_ms), close every connection
 * and stop the worker threads. May be called from any thread but a request
 * handler; a stopped server cannot be started again.
 *
 * @param server the server; NULL or a server not started is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_server_stop(ssm_server *server);

/**
 * Stop the server if it runs, close its store and free it.
 *
 * @param server the server; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_server_free(ssm_server *server);

SSM_END_DECL

#endif
