/* SPDX-License-Identifier: Apache-2.0 */
/* inproc: the engines in this process, on a store opened by URL. Requests
 * and responses stay C structs; nothing is encoded. */
#include "api/client.h"
#include "core/alloc.h"
#include "core/error.h"
#include "transports/builtin.h"

struct inproc {
	ssm_transport parent;
	ssm_service *svc;
};

static ssm_err inproc_open(ssm_transport **out, const ssm_transport_ops *ops,
			   ssm_ctx *ctx, const char *url,
			   const ssm_client_options *opts, void *payload)
{
	ssm_service_options so = { 0 };
	struct inproc *t;
	ssm_err error;

	(void)ops;
	(void)payload;
	so.account_id = opts->account_id;
	so.region = opts->region;
	so.keyring = opts->keyring;
	t = ssm__calloc(1, sizeof(*t));
	if (!t)
		return SSM_ERROR;
	error = ssm_service__open(&t->svc, ctx, url, &so);
	if (error < 0) {
		ssm__free(t);
		return error;
	}
	*out = &t->parent;
	return SSM_OK;
}

static ssm_err inproc_call(ssm_transport *transport, const ssm_operation *op,
			   const void *request, void *response, ssm_call *call)
{
	struct inproc *t = (struct inproc *)transport;

	return ssm_service__call(t->svc, op, request, response, call, NULL);
}

static const char *inproc_region(const ssm_transport *transport)
{
	const struct inproc *t = (const struct inproc *)transport;

	return t->svc->region;
}

static void inproc_close(ssm_transport *transport)
{
	struct inproc *t = (struct inproc *)transport;

	ssm_service__unref(t->svc);
	ssm__free(t);
}

const ssm_transport_ops ssm_transport__inproc_ops = {
	.version = SSM_TRANSPORT_OPS_VERSION,
	.name = "inproc",
	.open = inproc_open,
	.call = inproc_call,
	.region = inproc_region,
	.close = inproc_close,
};

ssm_service *ssm_client__service(const ssm_client *client)
{
	if (client->transport->ops != &ssm_transport__inproc_ops)
		return NULL;
	return ((struct inproc *)client->transport)->svc;
}
