/* SPDX-License-Identifier: Apache-2.0 */
#ifndef SSM_API_MODULES_H
#define SSM_API_MODULES_H

#include "api/op.h"

/* The engine modules, in start order; NULL-terminated (lib/api/modules.c).
 * An engine adds one line there. */
extern const ssm_engine_module *const ssm_engine_modules[];

#endif
