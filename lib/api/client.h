/* SPDX-License-Identifier: Apache-2.0 */
/* Internal side of ssm_client: how the engines' public functions call. */
#ifndef SSM_API_CLIENT_H
#define SSM_API_CLIENT_H

#include "ssm/client.h"
#include "api/op.h"

struct ssm_client {
	ssm_ctx *ctx;
	ssm_transport *transport;
	int64_t timeout_ms;
};

/* Run @op through the client's transport. @call must be initialised with
 * ssm_client__call_init(); the response lives in it. */
ssm_err ssm_client__call(ssm_client *client, const ssm_operation *op,
			 const void *request, void *response, ssm_call *call);
void ssm_client__call_init(ssm_call *call, const ssm_client *client);

/* The embedded service behind an inproc client, or NULL for a remote one
 * (agents and servers built on a client need it). */
ssm_service *ssm_client__service(const ssm_client *client);

#endif
