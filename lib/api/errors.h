/* SPDX-License-Identifier: Apache-2.0 */
#ifndef SSM_API_ERRORS_H
#define SSM_API_ERRORS_H

#include <stddef.h>

#include "ssm/errors.h"

/* The ssm_err (and class) of an AWS error name. */
ssm_err ssm_api__error_code(const char *name, size_t len,
			    ssm_error_class *klass_out);
/* The HTTP status the server answers an error with (400, 413, 500 or 503). */
int ssm_api__http_status(ssm_err code, const char *service_code);

#endif
