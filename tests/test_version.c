/* SPDX-License-Identifier: Apache-2.0 */
/* Package version ordering (ssm/baseline.h): the examples of spec §5, the
 * parser's parts, warnings and errors, and properties of the order on
 * generated versions. tests/interop/version_libs.c checks the same functions
 * against libdpkg and librpm, and tests/cli/test_patch_cli.py against the dpkg
 * and rpm programs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ssm/ssm.h"
#include "core/alloc.h"
#include "version_gen.h"

#define DEB SSM_VERSION_SCHEME_DEB
#define RPM SSM_VERSION_SCHEME_RPM

struct example {
	const char *a, *b;
	int want;
};

/* spec §5.1, "Consequences (all verified with dpkg)", and a few more */
static const struct example deb_examples[] = {
	{ "1.0~rc1", "1.0", -1 },
	{ "1.0~~", "1.0~", -1 },
	{ "1.0~", "1.0", -1 },
	{ "1.0~a", "1.0~1", 1 },
	{ "1.0a", "1.0+", -1 },
	{ "1.0a", "1.0", 1 },
	{ "1.0+", "1.0.", -1 },
	{ "1.0A", "1.0a", -1 },
	{ "1.9", "1.10", -1 },
	{ "1.01", "1.1", 0 },
	{ "99999999999999999999999", "99999999999999999999998", 1 },
	{ "123456789012345678901234567890", "123456789012345678901234567891",
	  -1 },
	{ "1.0", "1.0-0", 0 },
	{ "1.0-0", "0:1.0", 0 },
	{ "1.0", "0:1.0", 0 },
	{ "1.0", "1.00", 0 },
	{ "00:1.0", "1.0", 0 },
	{ "1.0", "1.0-0.0", -1 },
	{ "1:0.1", "9.9", 1 },
	{ "2147483647:0", "2147483646:9", 1 },
	{ "1.0-1~bpo11+1", "1.0-1", -1 },
	{ "1.0-1", "1.0-1+deb12u1", -1 },
	{ "1.0-beta-1", "1.0.beta-1", -1 },
	{ "1:2:3-1", "1:2.3-1", 1 },
	{ "  1.0\t", "1.0", 0 },
	{ "1.0+dfsg-1", "1.0-1", 1 },
	{ "2.30-1ubuntu4", "2.30-1ubuntu10", -1 },
	{ "7.88.1-10+deb12u5", "7.88.1-10+deb12u12", -1 },
	{ "1:9.18.24-1", "1:9.18.19-1~deb12u1", 1 },
	{ "1.0~rc1~", "1.0~rc1", -1 },
	{ "a", "b", -1 }, /* dpkg warns, but still compares */
	{ "1.0_1", "1.0+1", 1 },
};

/* spec §5.2, "Consequences (all verified with rpm 4.18)", and more */
static const struct example rpm_examples[] = {
	{ "1.0~rc1", "1.0", -1 },
	{ "1.0~", "1.0", -1 },
	{ "1.0~^", "1.0~", 1 },
	{ "1.0^", "1.0", 1 },
	{ "1.0^", "1.0.1", -1 },
	{ "1.0^git1", "1.0.1", -1 },
	{ "1.0^git1", "1.0", 1 },
	{ "1.0", "1_0", 0 },
	{ "1.0", "1.0.", 0 },
	{ "1.0a", "1.0.a", 0 },
	{ "1.01", "1.1", 0 },
	{ "1a", "1.0", -1 },
	{ "1.a", "1.1", -1 },
	{ "1.0", "1.a", 1 },
	{ "A", "a", -1 },
	{ "0:1.0", "1.0", 0 },
	{ ":1.0", "0:1.0", 0 },
	{ "01:1.0", "1:1.0", 0 },
	{ "1:1.0", "2.0", 1 },
	{ "4294967295:1", "4294967294:2", 1 },
	{ "1.0", "1.0-1", -1 },
	{ "1.0-1.el8", "1.0-1.el8_4", -1 },
	{ "1.0-rc1-1", "1.0rc1-1", 0 },
	{ "rc:1", "1", -1 }, /* no epoch: ':' is a separator */
	{ "99999999999999999999999", "99999999999999999999998", 1 },
	{ "2.28-225.el8", "2.28-236.el8_9.7", -1 },
	{ "1.0-1", "1.0-1", 0 },
	{ "1.0a", "1.0", 1 },
};

static void check_examples(ssm_version_scheme scheme, const struct example *ex,
			   size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int got = 7;

		assert_int_equal(SSM_OK, ssm_version_compare(&got, scheme,
							     ex[i].a, ex[i].b));
		if (got != ex[i].want)
			fail_msg("%s [%s] vs [%s]: want %d, got %d",
				 scheme == DEB ? "deb" : "rpm", ex[i].a,
				 ex[i].b, ex[i].want, got);
		assert_int_equal(SSM_OK, ssm_version_compare(&got, scheme,
							     ex[i].b, ex[i].a));
		assert_int_equal(-ex[i].want, got);
	}
}

static void deb_orders_the_spec_examples(void **state)
{
	(void)state;
	check_examples(DEB, deb_examples,
		       sizeof(deb_examples) / sizeof(*deb_examples));
}

static void rpm_orders_the_spec_examples(void **state)
{
	(void)state;
	check_examples(RPM, rpm_examples,
		       sizeof(rpm_examples) / sizeof(*rpm_examples));
}

static void assert_part(const char *want, const char *ptr, size_t len)
{
	if (!want) {
		assert_null(ptr);
		assert_int_equal(0, len);
		return;
	}
	assert_non_null(ptr);
	assert_int_equal(strlen(want), len);
	assert_memory_equal(want, ptr, len);
}

static void parse_splits_epoch_upstream_and_revision(void **state)
{
	const char *v = "  1:2.30-1ubuntu4\t";
	ssm_version_parts p;

	(void)state;
	assert_int_equal(SSM_OK, ssm_version_parse(&p, DEB, v));
	assert_int_equal(DEB, p.scheme);
	assert_true(p.has_epoch);
	assert_int_equal(1, p.epoch);
	assert_part("2.30", p.upstream, p.upstream_len);
	assert_part("1ubuntu4", p.revision, p.revision_len);
	assert_ptr_equal(v + 4, p.upstream); /* a view, not a copy */
	assert_int_equal(0, p.warnings);
	assert_null(p.warning);

	/* the first ':' and the last '-' split */
	assert_int_equal(SSM_OK, ssm_version_parse(&p, DEB, "1:2:3-a-b"));
	assert_part("2:3-a", p.upstream, p.upstream_len);
	assert_part("b", p.revision, p.revision_len);

	assert_int_equal(SSM_OK, ssm_version_parse(&p, DEB, "1.0"));
	assert_false(p.has_epoch);
	assert_int_equal(0, p.epoch);
	assert_part(NULL, p.revision, p.revision_len);

	assert_int_equal(SSM_OK, ssm_version_parse(&p, DEB, "0:1.0-0"));
	assert_true(p.has_epoch);
	assert_int_equal(0, p.epoch);
	assert_part("0", p.revision, p.revision_len);

	assert_int_equal(SSM_OK, ssm_version_parse(&p, DEB, "2147483647:1"));
	assert_int_equal(2147483647, p.epoch);
}

static void rpm_parse_takes_a_digit_epoch_only(void **state)
{
	ssm_version_parts p;

	(void)state;
	assert_int_equal(SSM_OK, ssm_version_parse(&p, RPM, "2:1.0-3.el9"));
	assert_int_equal(RPM, p.scheme);
	assert_true(p.has_epoch);
	assert_int_equal(2, p.epoch);
	assert_part("1.0", p.upstream, p.upstream_len);
	assert_part("3.el9", p.revision, p.revision_len);

	/* not digits before the ':': no epoch, the ':' is in the version */
	assert_int_equal(SSM_OK, ssm_version_parse(&p, RPM, "rc:1"));
	assert_false(p.has_epoch);
	assert_part("rc:1", p.upstream, p.upstream_len);

	/* an empty epoch is 0, as rpm reads it */
	assert_int_equal(SSM_OK, ssm_version_parse(&p, RPM, ":1.0"));
	assert_true(p.has_epoch);
	assert_int_equal(0, p.epoch);

	assert_int_equal(SSM_OK, ssm_version_parse(&p, RPM, "4294967295:1"));
	assert_int_equal(4294967295u, p.epoch);

	assert_int_equal(SSM_OK, ssm_version_parse(&p, RPM, "1.0-rc1-1"));
	assert_part("1.0-rc1", p.upstream, p.upstream_len);
	assert_part("1", p.revision, p.revision_len);
}

static void parse_reports_what_dpkg_only_warns_about(void **state)
{
	ssm_version_parts p;

	(void)state;
	assert_int_equal(SSM_OK, ssm_version_parse(&p, DEB, "abc"));
	assert_int_equal(SSM_VERSION_WARN_UPSTREAM_START, p.warnings);
	assert_string_equal("version number does not start with digit",
			    p.warning);

	assert_int_equal(SSM_OK, ssm_version_parse(&p, DEB, "1.0_x"));
	assert_int_equal(SSM_VERSION_WARN_UPSTREAM_CHAR, p.warnings);
	assert_string_equal("invalid character in version number", p.warning);

	assert_int_equal(SSM_OK, ssm_version_parse(&p, DEB, "1.0-a_b"));
	assert_int_equal(SSM_VERSION_WARN_REVISION_CHAR, p.warnings);
	assert_string_equal("invalid character in revision number", p.warning);

	/* all flags, dpkg's first warning as the text */
	assert_int_equal(SSM_OK, ssm_version_parse(&p, DEB, "a_b-c^d"));
	assert_int_equal(SSM_VERSION_WARN_UPSTREAM_START |
				 SSM_VERSION_WARN_UPSTREAM_CHAR |
				 SSM_VERSION_WARN_REVISION_CHAR,
			 p.warnings);
	assert_string_equal("version number does not start with digit",
			    p.warning);

	/* '-' in the upstream version and ':' after an epoch are allowed */
	assert_int_equal(SSM_OK, ssm_version_parse(&p, DEB, "1:2:3-4-5"));
	assert_int_equal(0, p.warnings);

	/* rpm: rpmbuild's characters; no rule on the first one */
	assert_int_equal(SSM_OK, ssm_version_parse(&p, RPM, "git^1_2~3+4"));
	assert_int_equal(0, p.warnings);
	assert_int_equal(SSM_OK, ssm_version_parse(&p, RPM, "1.0-rc1-1"));
	assert_int_equal(SSM_VERSION_WARN_UPSTREAM_CHAR, p.warnings);
	assert_string_equal("invalid character in version number", p.warning);
	assert_int_equal(SSM_OK, ssm_version_parse(&p, RPM, "1.0-1:2"));
	assert_int_equal(SSM_VERSION_WARN_REVISION_CHAR, p.warnings);
	assert_string_equal("invalid character in release number", p.warning);
}

struct bad {
	ssm_version_scheme scheme;
	const char *version;
	const char *message;
};

static const struct bad bad_versions[] = {
	/* dpkg's errors, with dpkg's texts and precedence */
	{ DEB, "", "version '' has bad syntax: version string is empty" },
	{ DEB, " \t ",
	  "version ' ? ' has bad syntax: version string is empty" },
	{ DEB, "1 0",
	  "version '1 0' has bad syntax: version string has "
	  "embedded spaces" },
	{ DEB, "1:2 3-",
	  "version '1:2 3-' has bad syntax: version string "
	  "has embedded spaces" },
	{ DEB, ":1", "version ':1' has bad syntax: epoch in version is empty" },
	{ DEB, "a:1",
	  "version 'a:1' has bad syntax: epoch in version is "
	  "empty" },
	{ DEB, "-:1",
	  "version '-:1' has bad syntax: epoch in version is "
	  "empty" },
	{ DEB, "1.0:1",
	  "version '1.0:1' has bad syntax: epoch in version is "
	  "not number" },
	{ DEB, "-5:1",
	  "version '-5:1' has bad syntax: epoch in version is "
	  "negative" },
	{ DEB, "2147483648:1",
	  "version '2147483648:1' has bad syntax: epoch "
	  "in version is too big" },
	{ DEB, "99999999999999999999999:1",
	  "version '99999999999999999999999:1' has bad syntax: epoch in "
	  "version is too big" },
	{ DEB, "1:",
	  "version '1:' has bad syntax: nothing after colon in "
	  "version number" },
	{ DEB, "1: ",
	  "version '1: ' has bad syntax: version number is "
	  "empty" },
	{ DEB, "1.0-",
	  "version '1.0-' has bad syntax: revision number is "
	  "empty" },
	{ DEB, "1:-",
	  "version '1:-' has bad syntax: revision number is "
	  "empty" },
	{ DEB, "-1", "version '-1' has bad syntax: version number is empty" },
	{ DEB, "1:-1",
	  "version '1:-1' has bad syntax: version number is "
	  "empty" },
	/* libssm's own, after dpkg's */
	{ DEB, "1.0\xc3\xa9",
	  "version '1.0\xc3\xa9' has bad syntax: "
	  "non-ASCII character in version string" },
	{ DEB, "1.0\xff",
	  "version '1.0?' has bad syntax: non-ASCII "
	  "character in version string" },
	{ DEB, "1.0\n",
	  "version '1.0?' has bad syntax: control character in "
	  "version string" },
	{ DEB, "1\x7f",
	  "version '1?' has bad syntax: control character in "
	  "version string" },
	{ DEB, "+1:1.0",
	  "version '+1:1.0' has bad syntax: epoch in version "
	  "is not number" },
	{ DEB, "-0:1.0",
	  "version '-0:1.0' has bad syntax: epoch in version "
	  "is not number" },
	/* rpm */
	{ RPM, "", "version '' has bad syntax: version string is empty" },
	{ RPM, "1.0 1",
	  "version '1.0 1' has bad syntax: version string has "
	  "embedded spaces" },
	{ RPM, "4294967296:1",
	  "version '4294967296:1' has bad syntax: epoch "
	  "in version is too big" },
	{ RPM, "1:", "version '1:' has bad syntax: version number is empty" },
	{ RPM, "-1", "version '-1' has bad syntax: version number is empty" },
	{ RPM, "1.0-",
	  "version '1.0-' has bad syntax: release number is "
	  "empty" },
	{ RPM, "\xe2\x82\xac",
	  "version '\xe2\x82\xac' has bad syntax: "
	  "non-ASCII character in version string" },
	{ RPM, "1\x01",
	  "version '1?' has bad syntax: control character in "
	  "version string" },
};

static void parse_refuses_bad_versions_with_dpkgs_reasons(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_versions) / sizeof(*bad_versions); i++) {
		const struct bad *b = &bad_versions[i];
		ssm_version_parts p;

		memset(&p, 0xa5, sizeof(p));
		if (ssm_version_parse(&p, b->scheme, b->version) !=
		    SSM_EINVALID)
			fail_msg("[%s] was accepted", b->version);
		assert_int_equal(SSM_EINVALID, ssm_error_last()->code);
		assert_int_equal(SSM_ERRCLASS_PATCH, ssm_error_last()->klass);
		assert_string_equal(b->message, ssm_error_last()->message);
		assert_null(p.upstream); /* zeroed on failure */
		assert_int_equal(0, p.upstream_len);
		assert_int_equal(0, p.scheme);
	}
}

static void compare_refuses_a_bad_version_and_names_it(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_versions) / sizeof(*bad_versions); i++) {
		const struct bad *b = &bad_versions[i];
		int got = 7;

		assert_int_equal(SSM_EINVALID,
				 ssm_version_compare(&got, b->scheme,
						     b->version, "1.0"));
		assert_int_equal(0, got);
		assert_string_equal(b->message, ssm_error_last()->message);
		got = 7;
		assert_int_equal(SSM_EINVALID,
				 ssm_version_compare(&got, b->scheme, "1.0",
						     b->version));
		assert_int_equal(0, got);
		assert_string_equal(b->message, ssm_error_last()->message);
	}
}

static void long_bad_versions_are_cut_in_messages(void **state)
{
	char v[600];
	int got;

	(void)state;
	memset(v, '1', sizeof(v) - 2);
	v[sizeof(v) - 2] = '-';
	v[sizeof(v) - 1] = '\0';
	assert_int_equal(SSM_EINVALID, ssm_version_compare(&got, DEB, v, "1"));
	assert_non_null(strstr(ssm_error_last()->message,
			       "...' has bad syntax: revision number is "
			       "empty"));
	assert_true(strlen(ssm_error_last()->message) < 300);
}

static void null_arguments_and_unknown_schemes_are_refused(void **state)
{
	ssm_version_parts p, q;
	int got = 7;

	(void)state;
	assert_int_equal(SSM_EINVALID, ssm_version_parse(NULL, DEB, "1"));
	assert_string_equal("invalid argument: 'out'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_version_parse(&p, DEB, NULL));
	assert_string_equal("invalid argument: 'version'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_version_parse(&p, (ssm_version_scheme)3, "1"));
	assert_string_equal("unknown version scheme 3",
			    ssm_error_last()->message);
	assert_null(p.upstream);

	assert_int_equal(SSM_EINVALID,
			 ssm_version_compare(NULL, DEB, "1", "2"));
	assert_string_equal("invalid argument: 'result_out'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_version_compare(&got, DEB, NULL, "2"));
	assert_string_equal("invalid argument: 'a'", ssm_error_last()->message);
	assert_int_equal(0, got);
	assert_int_equal(SSM_EINVALID,
			 ssm_version_compare(&got, RPM, "1", NULL));
	assert_string_equal("invalid argument: 'b'", ssm_error_last()->message);
	assert_int_equal(
		SSM_EINVALID,
		ssm_version_compare(&got, (ssm_version_scheme)0, "1", "2"));
	assert_string_equal("unknown version scheme 0",
			    ssm_error_last()->message);

	assert_int_equal(SSM_EINVALID,
			 ssm_version_compare_field(&got, DEB, NULL, "2"));
	assert_string_equal("invalid argument: 'a'", ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_version_compare_field(&got, (ssm_version_scheme)9,
						   "1", "2"));
	assert_string_equal("unknown version scheme 9",
			    ssm_error_last()->message);

	assert_int_equal(SSM_OK, ssm_version_parse(&p, DEB, "1"));
	assert_int_equal(SSM_EINVALID,
			 ssm_version_compare_parts(&got, &p, NULL));
	assert_string_equal("invalid argument: 'b'", ssm_error_last()->message);
	memset(&q, 0, sizeof(q));
	assert_int_equal(SSM_EINVALID, ssm_version_compare_parts(&got, &q, &p));
	assert_string_equal("unknown version scheme 0",
			    ssm_error_last()->message);
}

static void compare_parts_needs_one_scheme(void **state)
{
	ssm_version_parts d, r, d2;
	int got = 7;

	(void)state;
	assert_int_equal(SSM_OK, ssm_version_parse(&d, DEB, "1.0-1"));
	assert_int_equal(SSM_OK, ssm_version_parse(&r, RPM, "1.0-1"));
	assert_int_equal(SSM_EINVALID, ssm_version_compare_parts(&got, &d, &r));
	assert_int_equal(0, got);
	assert_string_equal("cannot compare versions of different schemes "
			    "(1 and 2)",
			    ssm_error_last()->message);

	assert_int_equal(SSM_OK, ssm_version_parse(&d2, DEB, "1.0-1~bpo1"));
	assert_int_equal(SSM_OK, ssm_version_compare_parts(&got, &d, &d2));
	assert_int_equal(1, got);
	assert_int_equal(SSM_OK, ssm_version_compare_parts(&got, &d2, &d));
	assert_int_equal(-1, got);

	/* missing release against a release, with parts */
	assert_int_equal(SSM_OK, ssm_version_parse(&d, RPM, "1.0"));
	assert_int_equal(SSM_OK, ssm_version_compare_parts(&got, &d, &r));
	assert_int_equal(-1, got);
	d.upstream = NULL;
	assert_int_equal(SSM_EINVALID, ssm_version_compare_parts(&got, &d, &r));
}

static void compare_field_orders_single_fields(void **state)
{
	int got = 7;

	(void)state;
	/* dpkg's fragment comparison: '~' before the end, '-' and ':' are
	 * plain characters */
	assert_int_equal(SSM_OK, ssm_version_compare_field(&got, DEB, "~", ""));
	assert_int_equal(-1, got);
	assert_int_equal(SSM_OK, ssm_version_compare_field(&got, DEB, "", ""));
	assert_int_equal(0, got);
	assert_int_equal(SSM_OK, ssm_version_compare_field(&got, DEB, "", "0"));
	assert_int_equal(0, got);
	assert_int_equal(SSM_OK,
			 ssm_version_compare_field(&got, DEB, "1-1", "1:1"));
	assert_int_equal(-1, got);
	/* rpmvercmp: no epoch or release splitting */
	assert_int_equal(SSM_OK,
			 ssm_version_compare_field(&got, RPM, "1:2", "1.2"));
	assert_int_equal(0, got);
	assert_int_equal(SSM_OK,
			 ssm_version_compare_field(&got, RPM, "el8_4", "el8"));
	assert_int_equal(1, got);
	assert_int_equal(SSM_OK, ssm_version_compare_field(&got, RPM, "^", ""));
	assert_int_equal(1, got);

	assert_int_equal(SSM_EINVALID,
			 ssm_version_compare_field(&got, RPM, "1 2", "1"));
	assert_int_equal(0, got);
	assert_string_equal("version field '1 2' has bad syntax: version field "
			    "has embedded spaces",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_version_compare_field(&got, DEB, "1", "\xc3\xa9"));
	assert_string_equal("version field '\xc3\xa9' has bad syntax: "
			    "non-ASCII character in version field",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_version_compare_field(&got, DEB, "\x1b", "1"));
	assert_string_equal("version field '?' has bad syntax: control "
			    "character in version field",
			    ssm_error_last()->message);
}

static void bad_bytes_are_found_at_every_length_and_place(void **state)
{
	static const char bad[] = { ' ', '\t', '\x01', '\x7f', '\x80', '\xff' };
	char v[80];
	size_t len, pos, k;

	(void)state;
	for (len = 3; len < sizeof(v); len++) {
		for (pos = 1; pos + 1 < len; pos++) {
			for (k = 0; k < sizeof(bad); k++) {
				int r = 7;

				memset(v, '1', len);
				v[len] = '\0';
				v[pos] = bad[k];
				if (ssm_version_compare(&r, RPM, v, "1") !=
					    SSM_EINVALID ||
				    ssm_version_compare(&r, RPM, "1", v) !=
					    SSM_EINVALID ||
				    ssm_version_compare(&r, DEB, v, "1") !=
					    SSM_EINVALID ||
				    ssm_version_compare_field(
					    &r, RPM, v, "1") != SSM_EINVALID)
					fail_msg("length %zu, byte 0x%02x at "
						 "%zu: "
						 "accepted",
						 len, (unsigned char)bad[k],
						 pos);
				assert_int_equal(0, r);
			}
		}
	}
}

/* --- properties on generated versions --------------------------------- */

#define NSORT 3000

static ssm_version_scheme sort_scheme;

static int cmp_versions(const void *x, const void *y)
{
	int r = 7;

	assert_int_equal(SSM_OK,
			 ssm_version_compare(&r, sort_scheme, *(char *const *)x,
					     *(char *const *)y));
	return r;
}

static void order_is_total_and_consistent(ssm_version_scheme scheme)
{
	static char store[NSORT][VGEN_MAX];
	char *v[NSORT];
	struct vgen g;
	size_t i, j, n = 0;

	vgen_init(&g, scheme == DEB ? 11 : 12, 0);
	while (n < NSORT) {
		ssm_version_parts p;

		vgen_version(&g, store[n]);
		if (ssm_version_parse(&p, scheme, store[n]) == SSM_OK)
			v[n] = store[n], n++;
	}
	sort_scheme = scheme;
	qsort(v, n, sizeof(*v), cmp_versions);
	/* sorted: every later version is >= every earlier one (checks
	 * transitivity on a sample, antisymmetry and reflexivity on all) */
	for (i = 0; i < n; i++) {
		assert_int_equal(0, cmp_versions(&v[i], &v[i]));
		for (j = i + 1; j < n && j < i + 40; j++) {
			int r = cmp_versions(&v[i], &v[j]);

			if (r > 0)
				fail_msg("not sorted: [%s] > [%s]", v[i], v[j]);
			assert_int_equal(-r, cmp_versions(&v[j], &v[i]));
		}
		j = (size_t)vgen_below(&g, (unsigned)n);
		if (j > i && cmp_versions(&v[i], &v[j]) > 0)
			fail_msg("not sorted: [%s] > [%s]", v[i], v[j]);
	}
}

static void deb_order_is_total_and_consistent(void **state)
{
	(void)state;
	order_is_total_and_consistent(DEB);
}

static void rpm_order_is_total_and_consistent(void **state)
{
	(void)state;
	order_is_total_and_consistent(RPM);
}

/* Random bytes: never a crash, only SSM_OK or SSM_EINVALID. */
static void random_bytes_never_crash(void **state)
{
	struct vgen g;
	size_t i, ok = 0;

	(void)state;
	vgen_init(&g, 5, 0);
	for (i = 0; i < 100000; i++) {
		static const char pool[] = "0123456789azAZ~^+-.:_ \t";
		char a[24], b[24];
		size_t k, n = vgen_below(&g, sizeof(a));
		ssm_version_scheme scheme = (i & 1) ? RPM : DEB;
		ssm_version_parts p;
		int r = 7;
		ssm_err rc;

		for (k = 0; k < n; k++)
			a[k] = vgen_below(&g, 4)
				       ? pool[vgen_below(&g, sizeof(pool) - 1)]
				       : (char)(1 + vgen_below(&g, 255));
		a[n] = '\0';
		memcpy(b, a, n + 1);
		if (n)
			b[vgen_below(&g, (unsigned)n)] =
				pool[vgen_below(&g, sizeof(pool) - 1)];
		rc = ssm_version_compare(&r, scheme, a, b);
		assert_true(rc == SSM_OK || rc == SSM_EINVALID);
		rc = ssm_version_parse(&p, scheme, a);
		assert_true(rc == SSM_OK || rc == SSM_EINVALID);
		if (rc == SSM_OK) {
			ok++;
			assert_true(p.upstream_len > 0);
			assert_int_equal(SSM_OK,
					 ssm_version_compare(&r, scheme, a, a));
			assert_int_equal(0, r);
		}
		rc = ssm_version_compare_field(&r, scheme, a, b);
		assert_true(rc == SSM_OK || rc == SSM_EINVALID);
	}
	assert_true(ok > 1000);
}

static void comparing_never_allocates(void **state)
{
	char a[VGEN_MAX], b[VGEN_MAX];
	uint64_t before = ssm__alloc_count();
	ssm_version_parts pa, pb;
	struct vgen g;
	size_t i;

	(void)state;
	ssm__alloc_fail_at(1, true); /* any allocation would fail */
	vgen_init(&g, 3, VGEN_INVALID);
	for (i = 0; i < 20000; i++) {
		ssm_version_scheme scheme = (i & 1) ? RPM : DEB;
		int r;

		vgen_pair(&g, a, b);
		if (ssm_version_compare(&r, scheme, a, b) == SSM_OK) {
			assert_int_equal(SSM_OK,
					 ssm_version_parse(&pa, scheme, a));
			assert_int_equal(SSM_OK,
					 ssm_version_parse(&pb, scheme, b));
			assert_int_equal(SSM_OK, ssm_version_compare_parts(
							 &r, &pa, &pb));
		} else {
			assert_int_equal(SSM_EINVALID, ssm_error_last()->code);
		}
		ssm_version_compare_field(&r, scheme, a, b);
	}
	ssm__alloc_fail_at(0, false);
	assert_int_equal(0, ssm__alloc_failures());
	assert_int_equal(before, ssm__alloc_count());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deb_orders_the_spec_examples),
		cmocka_unit_test(rpm_orders_the_spec_examples),
		cmocka_unit_test(parse_splits_epoch_upstream_and_revision),
		cmocka_unit_test(rpm_parse_takes_a_digit_epoch_only),
		cmocka_unit_test(parse_reports_what_dpkg_only_warns_about),
		cmocka_unit_test(parse_refuses_bad_versions_with_dpkgs_reasons),
		cmocka_unit_test(compare_refuses_a_bad_version_and_names_it),
		cmocka_unit_test(long_bad_versions_are_cut_in_messages),
		cmocka_unit_test(
			null_arguments_and_unknown_schemes_are_refused),
		cmocka_unit_test(compare_parts_needs_one_scheme),
		cmocka_unit_test(compare_field_orders_single_fields),
		cmocka_unit_test(bad_bytes_are_found_at_every_length_and_place),
		cmocka_unit_test(deb_order_is_total_and_consistent),
		cmocka_unit_test(rpm_order_is_total_and_consistent),
		cmocka_unit_test(random_bytes_never_crash),
		cmocka_unit_test(comparing_never_allocates),
	};

	return cmocka_run_group_tests_name("version", tests, NULL, NULL);
}
