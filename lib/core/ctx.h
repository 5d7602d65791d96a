/* SPDX-License-Identifier: Apache-2.0 */
/* Internal side of ssm_ctx: references, logger, plugin registries, clock. */
#ifndef SSM_CORE_CTX_H
#define SSM_CORE_CTX_H

#include <stdatomic.h>
#include <pthread.h>

#include "ssm/ctx.h"
#include "ssm/events.h"

typedef enum ssm_plugin_kind {
	SSM_PLUGIN_STORE = 1,
	SSM_PLUGIN_TRANSPORT = 2,
	SSM_PLUGIN_EXECUTOR = 3,
	SSM_PLUGIN_KEYPROVIDER = 4
} ssm_plugin_kind;

typedef struct ssm_plugin_entry {
	struct ssm_plugin_entry *next;
	ssm_plugin_kind kind;
	char *name;
	const void *ops;
	void *payload;
} ssm_plugin_entry;

/* Wall clock override for tests (a controllable clock). */
typedef int64_t (*ssm_clock_fn)(void *payload);

struct ssm_ctx {
	atomic_int refs;
	pthread_mutex_t lock; /* registries and logger */
	ssm_log_cb log_cb;
	void *log_payload;
	atomic_int log_level; /* effective: 0 when there is no logger */
	ssm_plugin_entry *plugins;
	ssm_clock_fn clock;
	void *clock_payload;
	/* engine events (lib/core/event.c), under @lock */
	ssm_event_cb event_cb;
	void *event_payload;
	atomic_bool has_event_cb;
	/* embedded services shared by the clients of this context
	 * (lib/api/service.c); entries remove themselves when unused */
	pthread_mutex_t services_lock;
	void *services;
};

ssm_ctx *ssm_ctx__ref(ssm_ctx *ctx);
void ssm_ctx__unref(ssm_ctx *ctx);

/* Register a plugin under (kind, name); SSM_EEXISTS when taken. */
ssm_err ssm_ctx__register(ssm_ctx *ctx, ssm_plugin_kind kind, const char *name,
			  const void *ops, void *payload);
/* Find a plugin by (kind, name[0..len)); SSM_ENOTFOUND (no message set). */
ssm_err ssm_ctx__lookup(const void **ops_out, void **payload_out, ssm_ctx *ctx,
			ssm_plugin_kind kind, const char *name,
			size_t name_len);
/* Names registered for a kind, comma-separated, for error messages. */
void ssm_ctx__plugin_names(char *out, size_t outlen, ssm_ctx *ctx,
			   ssm_plugin_kind kind);

/* Wall clock of this context (ms since the epoch). */
int64_t ssm_ctx__now_ms(ssm_ctx *ctx);
void ssm_ctx__set_clock(ssm_ctx *ctx, ssm_clock_fn fn, void *payload);

static inline bool ssm_ctx__log_enabled(ssm_ctx *ctx, ssm_log_level level)
{
	return ctx && (int)level <= atomic_load_explicit(&ctx->log_level,
							 memory_order_relaxed);
}

void ssm_ctx__logf(ssm_ctx *ctx, ssm_log_level level, const char *component,
		   const char *fmt, ...) SSM_FORMAT_PRINTF(4, 5);

/* Format only when the level is on. */
#define SSM_LOG(ctx, level, component, ...)                        \
	do {                                                       \
		if (ssm_ctx__log_enabled((ctx), (level)))          \
			ssm_ctx__logf((ctx), (level), (component), \
				      __VA_ARGS__);                \
	} while (0)

/* Is an event callback set? (cheap: engines skip building events when not) */
static inline bool ssm_ctx__events_enabled(ssm_ctx *ctx)
{
	return ctx &&
	       atomic_load_explicit(&ctx->has_event_cb, memory_order_relaxed);
}

/* Deliver an event to the callback, if any, on the calling thread. */
void ssm_ctx__emit(ssm_ctx *ctx, const ssm_event *event);

/* true once ssm_init() has been called and not yet fully shut down. */
bool ssm__initialized(void);
/* Set the "ssm_init() was not called" error unless initialised. */
ssm_err ssm__check_init(void);

#endif
