/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/sys/transport.h
 * @brief The transport plugin layer: how a client reaches the engines.
 *
 * A client hands every SSM operation to its transport as a C request struct
 * and gets a C response struct back. The built-in `inproc` transport calls the
 * engines directly; the built-in `http` transport encodes AWS JSON 1.1, signs
 * it with SigV4 and decodes the answer. A custom transport (say, over a UNIX
 * socket) uses ssm_operation_encode_request() and
 * ssm_operation_decode_response() to speak the same JSON.
 *
 * Plugins follow SQLite's VFS pattern (see ssm/sys/store.h). This header is
 * stable within a minor release only.
 */
#ifndef SSM_SYS_TRANSPORT_H
#define SSM_SYS_TRANSPORT_H

#include "ssm/buf.h"
#include "ssm/client.h"
#include "ssm/common.h"
#include "ssm/errors.h"
#include "ssm/types.h"

SSM_BEGIN_DECL

/** One SSM operation (PutParameter, SendCommand, ...); opaque. */
typedef struct ssm_operation ssm_operation;

/** One call in progress: where its response is allocated, its deadline;
 *  opaque. */
typedef struct ssm_call ssm_call;

/** An open transport; plugins embed it as the first member of theirs. */
typedef struct ssm_transport {
	const struct ssm_transport_ops *ops; /**< set by the plugin's open */
	ssm_ctx *ctx;			     /**< set by the core after open */
} ssm_transport;

/** A transport plugin: a `const` table registered by URL scheme. */
typedef struct ssm_transport_ops {
	unsigned int version; /**< SSM_TRANSPORT_OPS_VERSION */
	const char *name;     /**< URL scheme: "http", "https", ... */

	/** Open a transport for @p url with the client's options. Required. */
	ssm_err (*open)(ssm_transport **out,
			const struct ssm_transport_ops *ops, ssm_ctx *ctx,
			const char *url, const ssm_client_options *opts,
			void *payload);
	/** Perform one operation: read @p request, fill @p response
	 *  (allocating from @p call), or fail with the error set. Required. */
	ssm_err (*call)(ssm_transport *transport, const ssm_operation *op,
			const void *request, void *response, ssm_call *call);
	/** The region calls go to. Required. */
	const char *(*region)(const ssm_transport *transport);
	/** Close and free the instance. Required. */
	void (*close)(ssm_transport *transport);
} ssm_transport_ops;

/** Current version of ::ssm_transport_ops. */
#define SSM_TRANSPORT_OPS_VERSION 1

/**
 * Initialise an ops table to all-NULL methods (for bindings and C++).
 *
 * @param[out] ops  the table
 * @param version   SSM_TRANSPORT_OPS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p ops or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_transport_ops_init(ssm_transport_ops *ops, unsigned int version);

/**
 * Register a transport plugin under its URL scheme (@c ops->name).
 *
 * @param ctx      the context
 * @param ops      the table; must outlive the context
 * @param payload  passed to @c ops->open
 * @return SSM_OK; SSM_EEXISTS when the scheme is taken (by a transport or a
 *         store); SSM_EINVALID for a NULL argument, bad version or missing
 *         method
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_ctx_register_transport(ssm_ctx *ctx, const ssm_transport_ops *ops,
			   void *payload);

/**
 * The AWS name of an operation, e.g. "PutParameter".
 *
 * @param op the operation
 * @return static text
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_operation_name(const ssm_operation *op);

/**
 * Whether an operation only reads, so a transport may retry it safely.
 *
 * @param op the operation
 * @return true for read-only operations
 * @since 0.1
 */
SSM_EXTERN(bool) ssm_operation_is_idempotent(const ssm_operation *op);

/**
 * Encode a request as the AWS JSON 1.1 body of @p op.
 *
 * @param[out] out  the JSON text; dispose with ssm_buf_dispose()
 * @param op        the operation
 * @param request   the request struct the transport was given
 * @return SSM_OK, or SSM_ERROR when out of memory
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_operation_encode_request(ssm_buf *out, const ssm_operation *op,
			     const void *request);

/**
 * Decode an AWS JSON 1.1 response body of @p op into the response struct the
 * transport was given, allocating from @p call.
 *
 * @param response  the response struct
 * @param op        the operation
 * @param call      the call (owns what is allocated)
 * @param json      the body
 * @param len       its length
 * @return SSM_OK; SSM_EINVALID (class SSM_ERRCLASS_API) for a body that is
 *         not valid JSON or does not fit the operation's response
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_operation_decode_response(void *response, const ssm_operation *op,
			      ssm_call *call, const char *json, size_t len);

/**
 * Raise an AWS error answer as this thread's error: maps the wire name (e.g.
 * "ParameterNotFound", also "com.amazonaws.ssm#ParameterNotFound") to its
 * ::ssm_err code and sets the message.
 *
 * @param service_code  the `__type` of the answer
 * @param message       its `message`, or NULL
 * @return the mapped code (SSM_ERROR for names it does not know)
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_error_set_aws(const char *service_code, const char *message);

/**
 * The time left before the call's deadline, in ms (never negative).
 *
 * @param call the call
 * @return milliseconds
 * @since 0.1
 */
SSM_EXTERN(int64_t) ssm_call_remaining_ms(const ssm_call *call);

SSM_END_DECL

#endif
