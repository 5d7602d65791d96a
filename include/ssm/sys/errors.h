/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/sys/errors.h
 * @brief Setting the thread's error record, for plugin authors.
 *
 * A plugin method that fails sets the error where it detects the failure and
 * returns the same code; the core passes it up unchanged.
 */
#ifndef SSM_SYS_ERRORS_H
#define SSM_SYS_ERRORS_H

#include "ssm/common.h"
#include "ssm/errors.h"

SSM_BEGIN_DECL

/**
 * Set the calling thread's error record from a printf-style message.
 *
 * The message is one line: control characters are replaced and it is cut at
 * 1023 bytes. C only; bindings use ssm_error_set_str().
 *
 * @param code   the code the caller is about to return
 * @param klass  where the error comes from
 * @param fmt    printf-style format of the message
 * @return @p code, so that `return ssm_error_set(...)` reads naturally
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_error_set(ssm_err code, ssm_error_class klass, const char *fmt, ...)
	SSM_FORMAT_PRINTF(3, 4);

/**
 * Set the calling thread's error record, with an AWS error name.
 *
 * @param code          the code the caller is about to return
 * @param klass         where the error comes from
 * @param service_code  AWS wire name such as "ParameterNotFound", or NULL
 * @param fmt           printf-style format of the message
 * @return @p code
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_error_set_service(ssm_err code, ssm_error_class klass,
		      const char *service_code, const char *fmt, ...)
	SSM_FORMAT_PRINTF(4, 5);

/**
 * Set the calling thread's error record from a ready message (no varargs).
 *
 * @param code          the code the caller is about to return
 * @param klass         where the error comes from
 * @param service_code  AWS wire name, or NULL
 * @param message       the message; NULL means the text of ssm_err_str()
 * @return @p code
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_error_set_str(ssm_err code, ssm_error_class klass, const char *service_code,
		  const char *message);

SSM_END_DECL

#endif
