/* SPDX-License-Identifier: Apache-2.0 */
/* lib/patch/version.c has a fast path (words at a time, SSE2 on x86, the
 * RPM comparison that finds a version's end lazily) and a general one. The
 * same source built with plain loops only, and without SSE2, must give the
 * same answers and the same messages on every input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ssm/ssm.h"
#include "version_gen.h"
#include "version_variants.h"

typedef ssm_err (*compare_fn)(int *, ssm_version_scheme, const char *,
			      const char *);
typedef ssm_err (*parse_fn)(ssm_version_parts *, ssm_version_scheme,
			    const char *);

static const struct variant {
	const char *name;
	parse_fn parse;
	compare_fn compare;
	compare_fn field;
} variants[] = {
	{ "portable", portable_version_parse, portable_version_compare,
	  portable_version_compare_field },
	{ "no-sse2", nosse_version_parse, nosse_version_compare,
	  nosse_version_compare_field },
};

static size_t checked;

/* One answer: code, result and message. */
struct answer {
	ssm_err rc;
	int result;
	char message[512];
};

static void answer_of(struct answer *ans, compare_fn fn,
		      ssm_version_scheme scheme, const char *a, const char *b)
{
	ans->result = 7;
	ans->rc = fn(&ans->result, scheme, a, b);
	snprintf(ans->message, sizeof(ans->message), "%s",
		 ans->rc ? ssm_error_last()->message : "");
}

static void same_answer(const char *what, const struct answer *want,
			const struct answer *got, ssm_version_scheme scheme,
			const char *a, const char *b)
{
	if (got->rc != want->rc || got->result != want->result ||
	    strcmp(got->message, want->message) != 0)
		fail_msg("%s, scheme %d, [%s] vs [%s]: %d %d '%s', fast path: "
			 "%d %d '%s'",
			 what, scheme, a, b, got->rc, got->result, got->message,
			 want->rc, want->result, want->message);
}

static int same_text(const char *x, const char *y)
{
	return x == y || (x && y && strcmp(x, y) == 0);
}

static void same_answers(ssm_version_scheme scheme, const char *a,
			 const char *b)
{
	struct answer cmp, field, got;
	ssm_version_parts pw, pg;
	ssm_err rw;
	size_t i;

	answer_of(&cmp, ssm_version_compare, scheme, a, b);
	answer_of(&field, ssm_version_compare_field, scheme, a, b);
	rw = ssm_version_parse(&pw, scheme, a);
	for (i = 0; i < sizeof(variants) / sizeof(*variants); i++) {
		const struct variant *v = &variants[i];

		answer_of(&got, v->compare, scheme, a, b);
		same_answer(v->name, &cmp, &got, scheme, a, b);
		answer_of(&got, v->field, scheme, a, b);
		same_answer(v->name, &field, &got, scheme, a, b);
		if (v->parse(&pg, scheme, a) != rw ||
		    pw.upstream != pg.upstream ||
		    pw.upstream_len != pg.upstream_len ||
		    pw.revision != pg.revision ||
		    pw.revision_len != pg.revision_len ||
		    pw.epoch != pg.epoch || pw.has_epoch != pg.has_epoch ||
		    pw.warnings != pg.warnings ||
		    !same_text(pw.warning, pg.warning))
			fail_msg("%s, parse, scheme %d, [%s]", v->name, scheme,
				 a);
	}
	checked++;
}

static void generated_pairs_get_the_same_answers(void **state)
{
	char a[VGEN_MAX], b[VGEN_MAX];
	struct vgen g;
	size_t i;

	(void)state;
	checked = 0;
	vgen_init(&g, 99, VGEN_INVALID);
	for (i = 0; i < 100000; i++) {
		vgen_pair(&g, a, b);
		same_answers(SSM_VERSION_SCHEME_DEB, a, b);
		same_answers(SSM_VERSION_SCHEME_RPM, a, b);
	}
	printf("paths: %zu generated pairs answered alike\n", checked);
}

/* Every length from 0 to 80, a bad byte or a '-' or ':' at every place. */
static void every_length_and_position_gets_the_same_answers(void **state)
{
	static const char odd[] = { ' ', '\t', '\x01', '\x7f', '\x80', '\xff',
				    '-', ':',  '~',    '^',    'a' };
	char a[96], b[96];
	size_t len, pos, k;

	(void)state;
	checked = 0;
	for (len = 0; len <= 80; len++) {
		for (pos = 0; pos < len || (pos == 0 && len == 0); pos++) {
			for (k = 0; k < sizeof(odd); k++) {
				size_t i;

				for (i = 0; i < len; i++)
					a[i] = (char)('0' + (i * 7 + len) % 10);
				a[len] = '\0';
				memcpy(b, a, len + 1);
				if (len)
					a[pos] = odd[k];
				same_answers(SSM_VERSION_SCHEME_DEB, a, b);
				same_answers(SSM_VERSION_SCHEME_RPM, a, b);
				same_answers(SSM_VERSION_SCHEME_RPM, b, a);
			}
		}
	}
	printf("paths: %zu versions of every length answered alike\n", checked);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(generated_pairs_get_the_same_answers),
		cmocka_unit_test(
			every_length_and_position_gets_the_same_answers),
	};

	return cmocka_run_group_tests_name("version-paths", tests, NULL, NULL);
}
