/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/events.h
 * @brief Events of the engines, in EventBridge's shape.
 *
 * The engines of a context report what happens to their resources as
 * events, the way AWS Systems Manager sends them to Amazon EventBridge:
 * source `aws.ssm`, a detail type such as `Parameter Store Change` or
 * `Parameter Store Policy Action`, the ARNs of the resources, and a JSON
 * detail. An application receives them by setting an event callback on the
 * context (ssm_ctx_set_event_cb()); a server can turn them into webhooks.
 *
 * Parameter Store sends:
 *
 * | detail type                     | when                                   |
 * detail members |
 * |---------------------------------|----------------------------------------|----------------|
 * | `Parameter Store Change`        | a parameter is created, updated, deleted,
 * labelled or unlabelled | `operation` (`Create`, `Update`, `Delete`,
 * `LabelParameterVersion`, `UnlabelParameterVersion`), `name`, `type`,
 * `description` | | `Parameter Store Policy Action` | a policy acts: Expiration
 * deletes, ExpirationNotification and NoChangeNotification notify |
 * `parameter-name`, `parameter-type`, `policy-type`, `action-status`,
 * `action-reason` |
 */
#ifndef SSM_EVENTS_H
#define SSM_EVENTS_H

#include "ssm/common.h"
#include "ssm/errors.h"
#include "ssm/types.h"

SSM_BEGIN_DECL

/** One event. Every pointer is valid only during the callback. */
typedef struct ssm_event {
	unsigned int version;	 /**< SSM_EVENT_VERSION */
	const char *id;		 /**< unique id (a UUID) */
	const char *source;	 /**< "aws.ssm" */
	const char *detail_type; /**< e.g. "Parameter Store Change" */
	const char *account;	 /**< 12-digit account id */
	const char *region;	 /**< e.g. "us-east-1" */
	int64_t time_ms;	 /**< when it happened, ms since the epoch */
	const char *const *resources; /**< ARNs of the resources concerned */
	size_t resources_count;	      /**< number of @c resources */
	const char *detail;	      /**< JSON object text */
} ssm_event;

/** Version of ::ssm_event as this header describes it. */
#define SSM_EVENT_VERSION 1

/**
 * Receives one event. It may run on any library thread (an engine's timer,
 * or the thread of the call that caused the event), so it must be
 * thread-safe, and it must return quickly: it runs while the engine waits.
 * It must not free the context.
 */
typedef void (*ssm_event_cb)(const ssm_event *event, void *payload);

/**
 * Set (or clear) the event callback of a context. Events of every client and
 * engine made from the context go to it.
 *
 * @param ctx      the context
 * @param cb       the callback; NULL stops delivery
 * @param payload  passed to @p cb
 * @return SSM_OK, or SSM_EINVALID for a NULL @p ctx
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_ctx_set_event_cb(ssm_ctx *ctx, ssm_event_cb cb, void *payload);

SSM_END_DECL

#endif
