/* SPDX-License-Identifier: Apache-2.0 */
/* Internal side of the per-thread error record. */
#ifndef SSM_CORE_ERROR_H
#define SSM_CORE_ERROR_H

#include <stdarg.h>

#include "ssm/errors.h"
#include "ssm/sys/errors.h"

#define SSM_ERROR_MESSAGE_MAX 1024
#define SSM_ERROR_SERVICE_MAX 96

ssm_err ssm_error__set(ssm_err code, ssm_error_class klass,
		       const char *service_code, const char *fmt, ...)
	SSM_FORMAT_PRINTF(4, 5);
ssm_err ssm_error__vset(ssm_err code, ssm_error_class klass,
			const char *service_code, const char *fmt, va_list ap)
	SSM_FORMAT_PRINTF(4, 0);
/* Set "out of memory" without allocating. */
void ssm_error__oom(void);
/* Prefix the current message with "<text>: " (keeps code, class, service). */
void ssm_error__prefix(const char *text);

/* An error record copied out of one thread, to be raised on another (a
 * store's writer thread hands its result back to the caller). */
typedef struct ssm_error_saved {
	ssm_err code;
	ssm_error_class klass;
	char service_code[SSM_ERROR_SERVICE_MAX];
	char message[SSM_ERROR_MESSAGE_MAX];
} ssm_error_saved;

void ssm_error__save(ssm_error_saved *saved, ssm_err code);
ssm_err ssm_error__restore(const ssm_error_saved *saved);

/* Argument checks: return SSM_EINVALID with "invalid argument: 'x'" instead of
 * crashing, so bindings raise. Build with -DSSM_ASSERT_HARD to abort. */
#ifdef SSM_ASSERT_HARD
#include <stdlib.h>
#define SSM__ASSERT_FAIL(x) abort()
#else
#define SSM__ASSERT_FAIL(x)                                             \
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL, \
			      "invalid argument: '%s'", #x)
#endif
#define SSM_ASSERT_ARG(x)                    \
	do {                                 \
		if (!(x))                    \
			SSM__ASSERT_FAIL(x); \
	} while (0)

/* Propagate a failure: `SSM_TRY(call());` */
#define SSM_TRY(expr)                    \
	do {                             \
		ssm_err ssm__e = (expr); \
		if (ssm__e < 0)          \
			return ssm__e;   \
	} while (0)

/* For options structs: reject a NULL or unknown version. */
#define SSM_CHECK_VERSION(s, max, name)                                   \
	do {                                                              \
		if ((s)->version == 0 || (s)->version > (max))            \
			return ssm_error__set(                            \
				SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL, \
				"%s version %u is not supported (1..%u)", \
				name, (s)->version, (unsigned)(max));     \
	} while (0)

#endif
