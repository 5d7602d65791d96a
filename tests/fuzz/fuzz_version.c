/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: version ordering. The input is two versions separated
 * by a newline; for both schemes, every call must answer SSM_OK or
 * SSM_EINVALID, and what answers must be an order: antisymmetric, equal to
 * itself, the same through ssm_version_parse() + ssm_version_compare_parts().
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ssm/baseline.h"
#include "ssm/errors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *a, const char *b)
{
	fprintf(stderr, "fuzz: %s: [%s] [%s]: %s\n", what, a, b,
		ssm_error_last()->message);
	abort();
}

static void check(ssm_version_scheme scheme, const char *a, const char *b)
{
	ssm_version_parts pa, pb;
	int ab = 7, ba = 7, pp = 7;
	ssm_err e1, e2, ea, eb;

	e1 = ssm_version_compare(&ab, scheme, a, b);
	e2 = ssm_version_compare(&ba, scheme, b, a);
	ea = ssm_version_parse(&pa, scheme, a);
	eb = ssm_version_parse(&pb, scheme, b);
	if ((e1 != SSM_OK && e1 != SSM_EINVALID) ||
	    (e1 == SSM_OK) != (e2 == SSM_OK))
		fail("compare code", a, b);
	if ((e1 == SSM_OK) != (ea == SSM_OK && eb == SSM_OK))
		fail("compare and parse disagree", a, b);
	if (e1 != SSM_OK)
		return;
	if (ab != -ba || ab < -1 || ab > 1)
		fail("not antisymmetric", a, b);
	if (ssm_version_compare_parts(&pp, &pa, &pb) != SSM_OK || pp != ab)
		fail("parts disagree", a, b);
	if (ssm_version_compare(&pp, scheme, a, a) != SSM_OK || pp != 0)
		fail("not equal to itself", a, a);
	e1 = ssm_version_compare_field(&ab, scheme, a, b);
	e2 = ssm_version_compare_field(&ba, scheme, b, a);
	if (e1 != e2 || (e1 == SSM_OK && ab != -ba))
		fail("field order", a, b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a = malloc(size + 1), *b;

	if (!a)
		return 0;
	memcpy(a, data, size);
	a[size] = '\0';
	b = strchr(a, '\n');
	if (b)
		*b++ = '\0';
	else
		b = a + size;
	check(SSM_VERSION_SCHEME_DEB, a, b);
	check(SSM_VERSION_SCHEME_RPM, a, b);
	free(a);
	return 0;
}
