/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/log.h
 * @brief Log levels and the logger callback.
 *
 * The library is silent until the application gives a context a logger
 * (ssm_ctx_options::log_cb). Components are fixed short words: `store`,
 * `transport`, `executor`, `document`, `server`, `agent`, `audit`, ...
 */
#ifndef SSM_LOG_H
#define SSM_LOG_H

#include "ssm/common.h"

SSM_BEGIN_DECL

/** Severity of a log line; a logger receives lines at its level and above. */
typedef enum ssm_log_level {
	SSM_LOG_DEFAULT = 0, /**< in options: the default level (INFO) */
	SSM_LOG_ERROR = 1,
	SSM_LOG_WARN = 2,
	SSM_LOG_INFO = 3,
	SSM_LOG_DEBUG = 4,
	SSM_LOG_TRACE = 5
} ssm_log_level;

/**
 * Receives one log line. May run on any library thread, so it must be
 * thread-safe. @p component and @p message are valid only during the call.
 */
typedef void (*ssm_log_cb)(ssm_log_level level, const char *component,
			   const char *message, void *payload);

/**
 * The lower-case name of a level: "error", "warn", "info", "debug", "trace".
 *
 * @param level a level
 * @return static text; "default" for SSM_LOG_DEFAULT, "unknown" otherwise
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_log_level_str(ssm_log_level level);

SSM_END_DECL

#endif
