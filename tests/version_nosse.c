/* SPDX-License-Identifier: Apache-2.0 */
/* lib/patch/version.c without SSE2, renamed (version_variants.h). */
#include "version_variants.h"

#define SSM_VERSION_NO_SSE2 1
#define ssm_version_parse nosse_version_parse
#define ssm_version_compare nosse_version_compare
#define ssm_version_compare_parts nosse_version_compare_parts
#define ssm_version_compare_field nosse_version_compare_field
#include "../lib/patch/version.c"
