/* SPDX-License-Identifier: Apache-2.0 */
/* The engines a service runs, in start order (stopped in reverse), and the
 * resource types they let AddTagsToResource tag. */
#include "api/modules.h"
#include "api/tags.h"
#include "document/api.h"
#include "param/param.h"

const ssm_engine_module *const ssm_engine_modules[] = {
	&ssm_tags__module,
	&ssm_param__module,
	&ssm_document__module,
	NULL,
};

const ssm_taggable *const ssm_taggables[] = {
	&ssm_param__taggable,
	&ssm_document__taggable,
	NULL,
};
