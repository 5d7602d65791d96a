/* SPDX-License-Identifier: Apache-2.0 */
/* Engine events: the context's event callback. */
#include "core/ctx.h"
#include "core/error.h"

ssm_err ssm_ctx_set_event_cb(ssm_ctx *ctx, ssm_event_cb cb, void *payload)
{
	SSM_ASSERT_ARG(ctx);
	pthread_mutex_lock(&ctx->lock);
	ctx->event_cb = cb;
	ctx->event_payload = payload;
	atomic_store(&ctx->has_event_cb, cb != NULL);
	pthread_mutex_unlock(&ctx->lock);
	return SSM_OK;
}

void ssm_ctx__emit(ssm_ctx *ctx, const ssm_event *event)
{
	ssm_event_cb cb;
	void *payload;

	if (!ssm_ctx__events_enabled(ctx))
		return;
	pthread_mutex_lock(&ctx->lock);
	cb = ctx->event_cb;
	payload = ctx->event_payload;
	pthread_mutex_unlock(&ctx->lock);
	if (cb)
		cb(event, payload);
}
