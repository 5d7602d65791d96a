/* SPDX-License-Identifier: Apache-2.0 */
/* lib/patch/version.c with plain loops only, renamed (version_variants.h). */
#include "version_variants.h"

#define SSM_VERSION_PORTABLE 1
#define ssm_version_parse portable_version_parse
#define ssm_version_compare portable_version_compare
#define ssm_version_compare_parts portable_version_compare_parts
#define ssm_version_compare_field portable_version_compare_field
#include "../lib/patch/version.c"
