/* SPDX-License-Identifier: Apache-2.0 */
/* The events of Parameter Store, in the shape EventBridge gives them
 * (ssm/events.h). Built only when the context has an event callback. */
#include <string.h>

#include "core/ctx.h"
#include "core/error.h"
#include "core/id.h"
#include "core/json.h"
#include "core/time.h"
#include "param/param.h"

static void emit(ssm_service *svc, const char *detail_type, const char *norm,
		 const ssm_str *detail, int64_t when_ms)
{
	ssm_arena arena = SSM_ARENA_INIT;
	char id[SSM_UUID_SIZE];
	const char *resources[1];
	ssm_event ev;

	resources[0] = param_arn(param_engine_of(svc), norm, &arena);
	if (!resources[0] || ssm_id_uuid4(id) < 0) {
		ssm_arena_dispose(&arena);
		return; /* events are best effort */
	}
	memset(&ev, 0, sizeof(ev));
	ev.version = SSM_EVENT_VERSION;
	ev.id = id;
	ev.source = "aws.ssm";
	ev.detail_type = detail_type;
	ev.account = svc->account_id;
	ev.region = svc->region;
	ev.time_ms = when_ms;
	ev.resources = resources;
	ev.resources_count = 1;
	ev.detail = detail->ptr;
	ssm_ctx__emit(svc->ctx, &ev);
	ssm_arena_dispose(&arena);
}

/* The normalised form of a name as given ("/a" -> "a"). */
static const char *norm_of(const char *name)
{
	return name[0] == '/' && !strchr(name + 1, '/') ? name + 1 : name;
}

void param_emit_change(ssm_service *svc, const char *operation,
		       const char *name, const char *type,
		       const char *description, int64_t now_ms)
{
	ssm_str detail = SSM_STR_INIT;
	ssm_jsonw w;

	if (!ssm_ctx__events_enabled(svc->ctx))
		return;
	ssm_jsonw_init(&w, &detail, 0);
	ssm_jsonw_object_begin(&w);
	ssm_jsonw_keyz(&w, "operation");
	ssm_jsonw_stringz(&w, operation);
	ssm_jsonw_keyz(&w, "name");
	ssm_jsonw_stringz(&w, name);
	if (type) {
		ssm_jsonw_keyz(&w, "type");
		ssm_jsonw_stringz(&w, type);
	}
	ssm_jsonw_keyz(&w, "description");
	ssm_jsonw_stringz(&w, description ? description : "");
	ssm_jsonw_object_end(&w);
	if (ssm_jsonw_finish(&w) == SSM_OK)
		emit(svc, "Parameter Store Change", norm_of(name), &detail,
		     now_ms);
	ssm_str_dispose(&detail);
}

void param_emit_policy(ssm_service *svc, const char *name, const char *norm,
		       const char *type, const char *policy_type,
		       const char *reason, int64_t when_ms)
{
	ssm_str detail = SSM_STR_INIT;
	ssm_jsonw w;

	if (!ssm_ctx__events_enabled(svc->ctx))
		return;
	ssm_jsonw_init(&w, &detail, 0);
	ssm_jsonw_object_begin(&w);
	ssm_jsonw_keyz(&w, "parameter-name");
	ssm_jsonw_stringz(&w, name);
	ssm_jsonw_keyz(&w, "parameter-type");
	ssm_jsonw_stringz(&w, type);
	ssm_jsonw_keyz(&w, "policy-type");
	ssm_jsonw_stringz(&w, policy_type);
	ssm_jsonw_keyz(&w, "action-status");
	ssm_jsonw_stringz(&w, "Finished");
	ssm_jsonw_keyz(&w, "action-reason");
	ssm_jsonw_stringz(&w, reason);
	ssm_jsonw_object_end(&w);
	if (ssm_jsonw_finish(&w) == SSM_OK)
		emit(svc, "Parameter Store Policy Action", norm, &detail,
		     when_ms);
	ssm_str_dispose(&detail);
}
