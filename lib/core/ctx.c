/* SPDX-License-Identifier: Apache-2.0 */
#include "core/ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/thread.h"
#include "keys/keys.h"
#include "stores/builtin.h"
#include "transports/builtin.h"

#define LOG_LINE_MAX 2048

ssm_err ssm_ctx_options_init(ssm_ctx_options *opts, unsigned int version)
{
	SSM_ASSERT_ARG(opts);
	if (version == 0 || version > SSM_CTX_OPTIONS_VERSION)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "ssm_ctx_options version %u is not "
				      "supported (1..%u)",
				      version, SSM_CTX_OPTIONS_VERSION);
	memset(opts, 0, sizeof(*opts));
	opts->version = version;
	return SSM_OK;
}

static ssm_err check_level(ssm_log_level level)
{
	if ((int)level < SSM_LOG_DEFAULT || level > SSM_LOG_TRACE)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "log level %d is out of range (0..5)",
				      (int)level);
	return SSM_OK;
}

ssm_err ssm_ctx_new(ssm_ctx **out, const ssm_ctx_options *opts)
{
	ssm_ctx_options o = SSM_CTX_OPTIONS_INIT;
	ssm_ctx *ctx = NULL;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_TRY(ssm__check_init());
	if (opts) {
		SSM_CHECK_VERSION(opts, SSM_CTX_OPTIONS_VERSION,
				  "ssm_ctx_options");
		o.log_cb = opts->log_cb;
		o.log_payload = opts->log_payload;
		o.log_level = opts->log_level;
	}
	SSM_TRY(check_level(o.log_level));

	ctx = ssm__calloc(1, sizeof(*ctx));
	if (!ctx)
		return SSM_ERROR;
	atomic_init(&ctx->refs, 1);
	pthread_mutex_init(&ctx->lock, NULL);
	pthread_mutex_init(&ctx->services_lock, NULL);
	atomic_init(&ctx->log_level, 0);
	ssm_ctx_set_logger(ctx, o.log_cb, o.log_level, o.log_payload);

	error = ssm_stores__register_builtins(ctx);
	if (error == SSM_OK)
		error = ssm_transports__register_builtins(ctx);
	if (error == SSM_OK)
		error = ssm_keyproviders__register_builtins(ctx);
	if (error < 0) {
		ssm_ctx__unref(ctx);
		return error;
	}
	*out = ctx;
	return SSM_OK;
}

void ssm_ctx_free(ssm_ctx *ctx)
{
	ssm_ctx__unref(ctx);
}

ssm_err ssm_ctx_set_logger(ssm_ctx *ctx, ssm_log_cb cb, ssm_log_level level,
			   void *payload)
{
	SSM_ASSERT_ARG(ctx);
	SSM_TRY(check_level(level));
	if (level == SSM_LOG_DEFAULT)
		level = SSM_LOG_INFO;
	pthread_mutex_lock(&ctx->lock);
	ctx->log_cb = cb;
	ctx->log_payload = payload;
	atomic_store(&ctx->log_level, cb ? (int)level : 0);
	pthread_mutex_unlock(&ctx->lock);
	return SSM_OK;
}

ssm_err ssm_ctx_log(ssm_ctx *ctx, ssm_log_level level, const char *component,
		    const char *message)
{
	SSM_ASSERT_ARG(ctx);
	SSM_ASSERT_ARG(component);
	SSM_ASSERT_ARG(message);
	if (level < SSM_LOG_ERROR || level > SSM_LOG_TRACE)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "log level %d is out of range (1..5)",
				      (int)level);
	SSM_LOG(ctx, level, component, "%s", message);
	return SSM_OK;
}

ssm_ctx *ssm_ctx__ref(ssm_ctx *ctx)
{
	atomic_fetch_add(&ctx->refs, 1);
	return ctx;
}

void ssm_ctx__unref(ssm_ctx *ctx)
{
	ssm_plugin_entry *e, *next;

	if (!ctx || atomic_fetch_sub(&ctx->refs, 1) != 1)
		return;
	for (e = ctx->plugins; e; e = next) {
		next = e->next;
		ssm__free(e->name);
		ssm__free(e);
	}
	pthread_mutex_destroy(&ctx->services_lock);
	pthread_mutex_destroy(&ctx->lock);
	ssm__free(ctx);
}

ssm_err ssm_ctx__register(ssm_ctx *ctx, ssm_plugin_kind kind, const char *name,
			  const void *ops, void *payload)
{
	ssm_plugin_entry *e;
	ssm_err error = SSM_OK;

	pthread_mutex_lock(&ctx->lock);
	for (e = ctx->plugins; e; e = e->next) {
		if (e->kind == kind && strcmp(e->name, name) == 0) {
			error = ssm_error__set(SSM_EEXISTS,
					       SSM_ERRCLASS_INVALID, NULL,
					       "a plugin named '%.100s' is "
					       "already registered",
					       name);
			goto done;
		}
	}
	e = ssm__calloc(1, sizeof(*e));
	if (!e || !(e->name = ssm__strdup(name))) {
		ssm__free(e);
		error = SSM_ERROR;
		goto done;
	}
	e->kind = kind;
	e->ops = ops;
	e->payload = payload;
	e->next = ctx->plugins;
	ctx->plugins = e;
done:
	pthread_mutex_unlock(&ctx->lock);
	return error;
}

ssm_err ssm_ctx__lookup(const void **ops_out, void **payload_out, ssm_ctx *ctx,
			ssm_plugin_kind kind, const char *name, size_t name_len)
{
	ssm_plugin_entry *e;
	ssm_err error = SSM_ENOTFOUND;

	pthread_mutex_lock(&ctx->lock);
	for (e = ctx->plugins; e; e = e->next) {
		if (e->kind == kind && strlen(e->name) == name_len &&
		    memcmp(e->name, name, name_len) == 0) {
			*ops_out = e->ops;
			*payload_out = e->payload;
			error = SSM_OK;
			break;
		}
	}
	pthread_mutex_unlock(&ctx->lock);
	return error;
}

void ssm_ctx__plugin_names(char *out, size_t outlen, ssm_ctx *ctx,
			   ssm_plugin_kind kind)
{
	ssm_plugin_entry *e;
	size_t used = 0;

	if (!outlen)
		return;
	out[0] = '\0';
	pthread_mutex_lock(&ctx->lock);
	for (e = ctx->plugins; e; e = e->next) {
		int n;

		if (e->kind != kind)
			continue;
		n = snprintf(out + used, outlen - used, "%s%s",
			     used ? ", " : "", e->name);
		if (n < 0 || (size_t)n >= outlen - used)
			break;
		used += (size_t)n;
	}
	pthread_mutex_unlock(&ctx->lock);
}

int64_t ssm_ctx__now_ms(ssm_ctx *ctx)
{
	if (ctx && ctx->clock)
		return ctx->clock(ctx->clock_payload);
	return ssm__now_ms();
}

void ssm_ctx__set_clock(ssm_ctx *ctx, ssm_clock_fn fn, void *payload)
{
	ctx->clock = fn;
	ctx->clock_payload = payload;
}

void ssm_ctx__logf(ssm_ctx *ctx, ssm_log_level level, const char *component,
		   const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	ssm_log_cb cb;
	void *payload;
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* one line per call: a hostile value cannot start a new log line */
	for (p = line; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';

	pthread_mutex_lock(&ctx->lock);
	cb = ctx->log_cb;
	payload = ctx->log_payload;
	pthread_mutex_unlock(&ctx->lock);
	if (cb)
		cb(level, component, line, payload);
}

const char *ssm_log_level_str(ssm_log_level level)
{
	switch (level) {
	case SSM_LOG_DEFAULT:
		return "default";
	case SSM_LOG_ERROR:
		return "error";
	case SSM_LOG_WARN:
		return "warn";
	case SSM_LOG_INFO:
		return "info";
	case SSM_LOG_DEBUG:
		return "debug";
	case SSM_LOG_TRACE:
		return "trace";
	}
	return "unknown";
}
