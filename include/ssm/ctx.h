/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/ctx.h
 * @brief The library context: logger, plugin registries, defaults.
 *
 * Everything but ssm_init()/ssm_shutdown() hangs off a context. A context is
 * thread-safe. Objects made from it keep it alive, so it may be freed before
 * them.
 */
#ifndef SSM_CTX_H
#define SSM_CTX_H

#include "ssm/common.h"
#include "ssm/errors.h"
#include "ssm/log.h"
#include "ssm/types.h"

SSM_BEGIN_DECL

/** Options for ssm_ctx_new(). Zero means "default" for every field. */
typedef struct ssm_ctx_options {
	unsigned int version;	 /**< SSM_CTX_OPTIONS_VERSION */
	ssm_log_cb log_cb;	 /**< NULL: silent */
	void *log_payload;	 /**< passed to @c log_cb */
	ssm_log_level log_level; /**< lines up to this level; 0: INFO */
} ssm_ctx_options;

/** Current version of ::ssm_ctx_options. */
#define SSM_CTX_OPTIONS_VERSION 1
/** Initialiser for ::ssm_ctx_options with every field at its default. */
#define SSM_CTX_OPTIONS_INIT                       \
	{                                          \
		.version = SSM_CTX_OPTIONS_VERSION \
	}

/**
 * Initialise an options struct to its defaults (for bindings and C++).
 *
 * @param[out] opts  the struct to initialise
 * @param version    SSM_CTX_OPTIONS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p opts or an unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_ctx_options_init(ssm_ctx_options *opts, unsigned int version);

/**
 * Create a context with the built-in plugins registered.
 *
 * @param[out] out  the context; free with ssm_ctx_free()
 * @param opts      options, or NULL for all defaults
 * @return SSM_OK; SSM_EINVALID for a NULL @p out, bad options, or when
 *         ssm_init() was not called; SSM_ERROR when out of memory
 * @since 0.1
 */
SSM_EXTERN(ssm_err) ssm_ctx_new(ssm_ctx **out, const ssm_ctx_options *opts);

/**
 * Release the caller's reference to a context. Objects made from it keep
 * their own reference, so the context lives until the last of them is freed.
 *
 * @param ctx the context; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_ctx_free(ssm_ctx *ctx);

/**
 * Replace a context's logger. Lines already being written finish with the
 * old one.
 *
 * @param ctx      the context
 * @param cb       the new logger; NULL makes the context silent
 * @param level    lines up to this level are passed on; 0: INFO
 * @param payload  passed to @p cb
 * @return SSM_OK, or SSM_EINVALID for a NULL @p ctx or a level out of range
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_ctx_set_logger(ssm_ctx *ctx, ssm_log_cb cb, ssm_log_level level,
		   void *payload);

/**
 * Write one line through a context's logger (for programs built on libssm
 * that want one log stream). Does nothing when the level is filtered out.
 *
 * @param ctx        the context
 * @param level      severity, SSM_LOG_ERROR..SSM_LOG_TRACE
 * @param component  short fixed word such as "ssmd"
 * @param message    the line
 * @return SSM_OK, or SSM_EINVALID for a NULL argument or a bad level
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_ctx_log(ssm_ctx *ctx, ssm_log_level level, const char *component,
	    const char *message);

SSM_END_DECL

#endif
