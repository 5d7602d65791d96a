/* SPDX-License-Identifier: Apache-2.0 */
/* lib/patch/version.c built again without its word-at-a-time code, for
 * tests/test_version_paths.c: the same functions under other names. */
#ifndef SSM_TESTS_VERSION_VARIANTS_H
#define SSM_TESTS_VERSION_VARIANTS_H

#include "ssm/baseline.h"

/* plain loops only (SSM_VERSION_PORTABLE) */
ssm_err portable_version_parse(ssm_version_parts *out,
			       ssm_version_scheme scheme, const char *version);
ssm_err portable_version_compare(int *result_out, ssm_version_scheme scheme,
				 const char *a, const char *b);
ssm_err portable_version_compare_parts(int *result_out,
				       const ssm_version_parts *a,
				       const ssm_version_parts *b);
ssm_err portable_version_compare_field(int *result_out,
				       ssm_version_scheme scheme, const char *a,
				       const char *b);

/* words at a time but no SSE2 (SSM_VERSION_NO_SSE2), as on other CPUs */
ssm_err nosse_version_parse(ssm_version_parts *out, ssm_version_scheme scheme,
			    const char *version);
ssm_err nosse_version_compare(int *result_out, ssm_version_scheme scheme,
			      const char *a, const char *b);
ssm_err nosse_version_compare_parts(int *result_out, const ssm_version_parts *a,
				    const ssm_version_parts *b);
ssm_err nosse_version_compare_field(int *result_out, ssm_version_scheme scheme,
				    const char *a, const char *b);

#endif
