/* SPDX-License-Identifier: Apache-2.0 */
/* ssm_client: open by URL; the scheme picks the transport. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/client.h"
#include "core/alloc.h"
#include "core/ctx.h"
#include "core/error.h"
#include "transports/builtin.h"

#define DEFAULT_TIMEOUT_MS 30000

ssm_err ssm_client_options_init(ssm_client_options *opts, unsigned int version)
{
	SSM_ASSERT_ARG(opts);
	if (version == 0 || version > SSM_CLIENT_OPTIONS_VERSION)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "ssm_client_options version %u is not "
				      "supported (1..%u)",
				      version, SSM_CLIENT_OPTIONS_VERSION);
	memset(opts, 0, sizeof(*opts));
	opts->version = version;
	return SSM_OK;
}

ssm_err ssm_transport_ops_init(ssm_transport_ops *ops, unsigned int version)
{
	SSM_ASSERT_ARG(ops);
	if (version == 0 || version > SSM_TRANSPORT_OPS_VERSION)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "ssm_transport_ops version %u is not "
				      "supported (1..%u)",
				      version, SSM_TRANSPORT_OPS_VERSION);
	memset(ops, 0, sizeof(*ops));
	ops->version = version;
	return SSM_OK;
}

ssm_err ssm_ctx_register_transport(ssm_ctx *ctx, const ssm_transport_ops *ops,
				   void *payload)
{
	const void *found;
	void *unused;

	SSM_ASSERT_ARG(ctx);
	SSM_ASSERT_ARG(ops);
	SSM_CHECK_VERSION(ops, SSM_TRANSPORT_OPS_VERSION, "ssm_transport_ops");
	if (!ops->name || !*ops->name || strchr(ops->name, ':'))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "transport plugin name must be a "
				      "non-empty URL scheme");
	if (!ops->open || !ops->call || !ops->region || !ops->close)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "transport plugin '%.64s' lacks a "
				      "required method",
				      ops->name);
	/* a URL scheme names either a store or a transport, never both */
	if (ssm_ctx__lookup(&found, &unused, ctx, SSM_PLUGIN_STORE, ops->name,
			    strlen(ops->name)) == SSM_OK)
		return ssm_error__set(SSM_EEXISTS, SSM_ERRCLASS_INVALID, NULL,
				      "a plugin named '%.64s' is already "
				      "registered",
				      ops->name);
	return ssm_ctx__register(ctx, SSM_PLUGIN_TRANSPORT, ops->name, ops,
				 payload);
}

static ssm_err open_transport(ssm_transport **out, ssm_ctx *ctx,
			      const char *url, const ssm_client_options *opts)
{
	const ssm_transport_ops *ops = NULL;
	const void *found;
	void *payload = NULL;
	const char *colon = strchr(url, ':');
	char stores[200], transports[200];
	size_t len;

	if (!colon || colon == url)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_TRANSPORT,
				      NULL,
				      "endpoint '%.200s' has no scheme (e.g. "
				      "sqlite:///path, memory: or "
				      "http://host:port)",
				      url);
	len = (size_t)(colon - url);
	if (ssm_ctx__lookup(&found, &payload, ctx, SSM_PLUGIN_TRANSPORT, url,
			    len) == SSM_OK) {
		ops = found;
	} else if (ssm_ctx__lookup(&found, &payload, ctx, SSM_PLUGIN_STORE, url,
				   len) == SSM_OK) {
		ops = &ssm_transport__inproc_ops;
		payload = NULL;
	} else {
		ssm_ctx__plugin_names(stores, sizeof(stores), ctx,
				      SSM_PLUGIN_STORE);
		ssm_ctx__plugin_names(transports, sizeof(transports), ctx,
				      SSM_PLUGIN_TRANSPORT);
		return ssm_error__set(
			SSM_EINVALID, SSM_ERRCLASS_TRANSPORT, NULL,
			"unknown scheme '%.*s' in endpoint "
			"'%.200s' (stores: %s; remote: %s)",
			(int)(len > 64 ? 64 : len), url, url, stores,
			*transports ? transports : "none");
	}
	SSM_TRY(ops->open(out, ops, ctx, url, opts, payload));
	(*out)->ops = ops;
	(*out)->ctx = ssm_ctx__ref(ctx);
	return SSM_OK;
}

ssm_err ssm_client_open(ssm_client **out, ssm_ctx *ctx, const char *url,
			const ssm_client_options *opts)
{
	ssm_client_options o = SSM_CLIENT_OPTIONS_INIT;
	ssm_client *client = NULL;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(ctx);
	SSM_ASSERT_ARG(url);
	if (opts) {
		SSM_CHECK_VERSION(opts, SSM_CLIENT_OPTIONS_VERSION,
				  "ssm_client_options");
		o.region = opts->region;
		o.account_id = opts->account_id;
		o.access_key_id = opts->access_key_id;
		o.secret_access_key = opts->secret_access_key;
		o.session_token = opts->session_token;
		o.profile = opts->profile;
		o.keyring = opts->keyring;
		o.timeout_ms = opts->timeout_ms;
	}
	if (o.timeout_ms < 0)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "timeout_ms must not be negative");
	if (!o.region || !*o.region) {
		const char *env = getenv("AWS_REGION");

		if (!env || !*env)
			env = getenv("AWS_DEFAULT_REGION");
		o.region = env && *env ? env : "us-east-1";
	}
	client = ssm__calloc(1, sizeof(*client));
	if (!client)
		return SSM_ERROR;
	client->timeout_ms = o.timeout_ms ? o.timeout_ms : DEFAULT_TIMEOUT_MS;
	error = open_transport(&client->transport, ctx, url, &o);
	if (error < 0) {
		ssm__free(client);
		return error;
	}
	client->ctx = ssm_ctx__ref(ctx);
	*out = client;
	return SSM_OK;
}

void ssm_client_free(ssm_client *client)
{
	ssm_ctx *tctx;

	if (!client)
		return;
	tctx = client->transport->ctx;
	client->transport->ops->close(client->transport);
	ssm_ctx__unref(tctx);
	ssm_ctx__unref(client->ctx);
	ssm__free(client);
}

const char *ssm_client_region(const ssm_client *client)
{
	return client->transport->ops->region(client->transport);
}

const char *ssm_client_transport(const ssm_client *client)
{
	return client->transport->ops == &ssm_transport__inproc_ops
		       ? "inproc"
		       : client->transport->ops->name;
}

void ssm_client__call_init(ssm_call *call, const ssm_client *client)
{
	ssm_call__init(call, client->timeout_ms);
}

ssm_err ssm_client__call(ssm_client *client, const ssm_operation *op,
			 const void *request, void *response, ssm_call *call)
{
	memset(response, 0, op->output->size);
	return client->transport->ops->call(client->transport, op, request,
					    response, call);
}

const char *ssm_operation_name(const ssm_operation *op)
{
	return op->name;
}

bool ssm_operation_is_idempotent(const ssm_operation *op)
{
	return (op->flags & SSM_OP_IDEMPOTENT) != 0;
}
