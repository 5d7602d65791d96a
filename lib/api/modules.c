/* SPDX-License-Identifier: Apache-2.0 */
/* The engines a service runs, in start order (stopped in reverse). */
#include "api/modules.h"

const ssm_engine_module *const ssm_engine_modules[] = {
	NULL,
};
