/* SPDX-License-Identifier: Apache-2.0 */
/* Version ordering against the real implementations, linked in: libdpkg's
 * parseversion() + dpkg_version_compare() and librpm's rpmverParse() +
 * rpmverCmp() and rpmvercmp(). Hundreds of thousands of generated tricky
 * pairs, plus the fixed examples of spec §5. The real tools are only
 * oracles here: nothing of theirs is in libssm. */
#define LIBDPKG_VOLATILE_API 1
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <dpkg/dpkg.h>
#include <dpkg/dpkg-db.h>
#include <dpkg/version.h>
#include <rpm/rpmver.h>

#include "ssm/ssm.h"
#include "version_gen.h"

#define PAIRS 200000

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

/* The library keeps messages on one line: control bytes become '?'. */
static void want_message(char *buf, size_t size, const char *version,
			 const char *reason)
{
	char *p;

	snprintf(buf, size, "version '%s' has bad syntax: %s", version, reason);
	for (p = buf; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f) {
			*p = '?';
		} else if (c >= 0x80) {
			/* the generator makes only 2-byte sequences (and
			 * broken pieces of them) */
			if (c >= 0xc2 && c <= 0xdf &&
			    ((unsigned char)p[1] & 0xc0) == 0x80)
				p++;
			else
				*p = '?';
		}
	}
}

/* What libssm refuses although dpkg accepts it (documented in baseline.h):
 * non-ASCII and control bytes, a signed epoch. */
static const char *libssm_only_deb(const char *v)
{
	const unsigned char *p;
	const char *colon = strchr(v, ':');

	for (p = (const unsigned char *)v; *p; p++)
		if (*p >= 0x80)
			return "non-ASCII character in version string";
	for (p = (const unsigned char *)v; *p; p++)
		if ((*p < 0x20 && *p != '\t' && *p != ' ') || *p == 0x7f)
			return "control character in version string";
	while (*v == ' ' || *v == '\t')
		v++;
	if (colon && (*v == '+' || *v == '-'))
		return "epoch in version is not number";
	return NULL;
}

struct deb_result {
	int ok; /* parsed (maybe with a warning) */
	struct dpkg_version v;
	char msg[256]; /* error or warning text; "" when clean */
};

static void dpkg_parse(struct deb_result *r, const char *s)
{
	struct dpkg_error err = DPKG_ERROR_INIT;
	int rc = parseversion(&r->v, s, &err);

	r->msg[0] = '\0';
	r->ok = rc == 0 || err.type == DPKG_MSG_WARN;
	if (err.str)
		snprintf(r->msg, sizeof(r->msg), "%s", err.str);
	dpkg_error_destroy(&err);
}

static size_t deb_checked, deb_parses, deb_refused, deb_by_result[3];

/* Parse @s both ways and check we agree; returns 1 when both accept it. */
static int deb_check_parse(const char *s, struct deb_result *d,
			   ssm_version_parts *parts)
{
	char want[512];
	ssm_err rc;
	const char *only;

	dpkg_parse(d, s);
	rc = ssm_version_parse(parts, SSM_VERSION_SCHEME_DEB, s);
	deb_parses++;
	only = libssm_only_deb(s);
	if (d->ok && only) {
		want_message(want, sizeof(want), s, only);
		if (rc != SSM_EINVALID ||
		    strcmp(want, ssm_error_last()->message) != 0)
			fail_msg("[%s]: want our own error '%s', got %d '%s'",
				 s, want, rc, ssm_error_last()->message);
		deb_refused++;
		return 0;
	}
	if (!d->ok) {
		/* dpkg's error text, in dpkg's order of checks */
		want_message(want, sizeof(want), s, d->msg);
		if (rc != SSM_EINVALID ||
		    strcmp(want, ssm_error_last()->message) != 0)
			fail_msg("[%s]: dpkg says '%s', we say %d '%s'", s,
				 want, rc, ssm_error_last()->message);
		return 0;
	}
	if (rc != SSM_OK)
		fail_msg("[%s]: dpkg accepts it, we say '%s'", s,
			 ssm_error_last()->message);
	if (strcmp(d->msg, parts->warning ? parts->warning : "") != 0)
		fail_msg("[%s]: dpkg warns '%s', we warn '%s'", s, d->msg,
			 parts->warning ? parts->warning : "");
	if (d->v.epoch != parts->epoch ||
	    strlen(d->v.version) != parts->upstream_len ||
	    memcmp(d->v.version, parts->upstream, parts->upstream_len) != 0 ||
	    strlen(d->v.revision) != parts->revision_len ||
	    (parts->revision_len &&
	     memcmp(d->v.revision, parts->revision, parts->revision_len) != 0))
		fail_msg("[%s]: dpkg splits it %u:[%s]-[%s], we "
			 "%llu:[%.*s]-[%.*s]",
			 s, d->v.epoch, d->v.version, d->v.revision,
			 (unsigned long long)parts->epoch,
			 (int)parts->upstream_len, parts->upstream,
			 (int)parts->revision_len,
			 parts->revision ? parts->revision : "");
	return 1;
}

static void deb_check_pair(const char *a, const char *b)
{
	struct deb_result da, db;
	ssm_version_parts pa, pb;
	int want, got = 7, got_parts = 7;
	ssm_err rc;
	int oka = deb_check_parse(a, &da, &pa);
	int okb = deb_check_parse(b, &db, &pb);

	rc = ssm_version_compare(&got, SSM_VERSION_SCHEME_DEB, a, b);
	if (!oka || !okb) {
		if (rc != SSM_EINVALID || got != 0)
			fail_msg("[%s] [%s]: compared a bad version: %d", a, b,
				 rc);
		return;
	}
	want = sign(dpkg_version_compare(&da.v, &db.v));
	assert_int_equal(SSM_OK, rc);
	assert_int_equal(SSM_OK,
			 ssm_version_compare_parts(&got_parts, &pa, &pb));
	if (got != want || got_parts != want)
		fail_msg("deb [%s] vs [%s]: dpkg %d, libssm %d (parts %d)", a,
			 b, want, got, got_parts);
	deb_checked++;
	deb_by_result[want + 1]++;
}

/* The examples of spec §5.1, each checked against dpkg too. */
static const char *const deb_spec_pairs[][3] = {
	{ "1.0~rc1", "1.0", "<" },
	{ "1.0~~", "1.0~", "<" },
	{ "1.0~", "1.0", "<" },
	{ "1.0~a", "1.0~1", ">" },
	{ "1.0a", "1.0+", "<" },
	{ "1.0a", "1.0", ">" },
	{ "1.0+", "1.0.", "<" },
	{ "1.0A", "1.0a", "<" },
	{ "1.9", "1.10", "<" },
	{ "1.01", "1.1", "=" },
	{ "99999999999999999999999", "99999999999999999999998", ">" },
	{ "1.0", "1.0-0", "=" },
	{ "1.0-0", "0:1.0", "=" },
	{ "1.0", "1.0-0.0", "<" },
	{ "1:0.1", "9.9", ">" },
	{ "1.0-1~bpo11+1", "1.0-1", "<" },
	{ "1.0-1", "1.0-1+deb12u1", "<" },
	{ "1.0-beta-1", "1.0.beta-1", "<" },
	{ "1:2:3-1", "1:2.3-1", ">" },
	{ "1.0", "1.00", "=" },
};

static int want_of(const char *op)
{
	return *op == '<' ? -1 : *op == '>' ? 1 : 0;
}

static void deb_spec_examples_agree_with_dpkg(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(deb_spec_pairs) / sizeof(*deb_spec_pairs); i++) {
		struct deb_result da, db;
		int got = 7;

		dpkg_parse(&da, deb_spec_pairs[i][0]);
		dpkg_parse(&db, deb_spec_pairs[i][1]);
		assert_true(da.ok && db.ok);
		assert_int_equal(want_of(deb_spec_pairs[i][2]),
				 sign(dpkg_version_compare(&da.v, &db.v)));
		deb_check_pair(deb_spec_pairs[i][0], deb_spec_pairs[i][1]);
		assert_int_equal(SSM_OK, ssm_version_compare(
						 &got, SSM_VERSION_SCHEME_DEB,
						 deb_spec_pairs[i][0],
						 deb_spec_pairs[i][1]));
		assert_int_equal(want_of(deb_spec_pairs[i][2]), got);
	}
	nffreeall();
}

static void deb_generated_pairs_agree_with_libdpkg(void **state)
{
	char a[VGEN_MAX], b[VGEN_MAX];
	struct vgen g;
	size_t i;

	(void)state;
	deb_checked = deb_parses = deb_refused = 0;
	memset(deb_by_result, 0, sizeof(deb_by_result));
	vgen_init(&g, 20240601, VGEN_INVALID);
	for (i = 0; i < PAIRS; i++) {
		vgen_pair(&g, a, b);
		deb_check_pair(a, b);
		if (i % 4096 == 0)
			nffreeall(); /* libdpkg keeps parsed strings until then
				      */
	}
	nffreeall();
	printf("deb: %zu versions parsed as libdpkg does (%zu refused by "
	       "libssm only), %zu pairs ordered as libdpkg does "
	       "(older/same/newer %zu/%zu/%zu)\n",
	       deb_parses, deb_refused, deb_checked, deb_by_result[0],
	       deb_by_result[1], deb_by_result[2]);
	assert_true(deb_checked > PAIRS / 2);
}

static void deb_fields_agree_with_libdpkg(void **state)
{
	char a[VGEN_MAX], b[VGEN_MAX];
	struct vgen g;
	size_t i, n = 0;

	(void)state;
	vgen_init(&g, 77, 0);
	for (i = 0; i < PAIRS / 4; i++) {
		struct dpkg_version va, vb;
		int got = 7;

		vgen_pair(&g, a, b);
		if (strchr(a, ' ') || strchr(b, ' '))
			continue;
		/* with equal epochs and empty revisions, dpkg compares just
		 * the fields */
		va = DPKG_VERSION_OBJECT(0, a, "");
		vb = DPKG_VERSION_OBJECT(0, b, "");
		assert_int_equal(SSM_OK,
				 ssm_version_compare_field(
					 &got, SSM_VERSION_SCHEME_DEB, a, b));
		if (got != sign(dpkg_version_compare(&va, &vb)))
			fail_msg("deb field [%s] vs [%s]: dpkg %d, libssm %d",
				 a, b, sign(dpkg_version_compare(&va, &vb)),
				 got);
		n++;
	}
	printf("deb: %zu fields ordered as libdpkg's verrevcmp\n", n);
}

/* --- rpm ------------------------------------------------------------- */

static size_t rpm_checked, rpm_refused, rpm_by_result[3];

static int digits_only(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Why libssm refuses an rpm version that rpm takes, or NULL (baseline.h). */
static const char *libssm_only_rpm(const char *v)
{
	const unsigned char *p;
	const char *s, *e, *colon, *dash, *rest;

	s = v;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e == s)
		return "version string is empty";
	for (p = (const unsigned char *)s; p < (const unsigned char *)e; p++)
		if (*p == ' ' || *p == '\t')
			return "version string has embedded spaces";
	rest = s;
	colon = memchr(s, ':', (size_t)(e - s));
	if (colon && digits_only(s, (size_t)(colon - s))) {
		const char *d = s;

		while (d < colon && *d == '0')
			d++;
		if (colon - d > 10 ||
		    (colon - d == 10 && memcmp(d, "4294967295", 10) > 0))
			return "epoch in version is too big";
		rest = colon + 1;
	}
	dash = NULL;
	for (p = (const unsigned char *)rest; p < (const unsigned char *)e; p++)
		if (*p == '-')
			dash = (const char *)p;
	if (dash && dash + 1 == e)
		return "release number is empty";
	if ((dash ? dash : e) == rest)
		return "version number is empty";
	for (p = (const unsigned char *)s; p < (const unsigned char *)e; p++)
		if (*p >= 0x80)
			return "non-ASCII character in version string";
	for (p = (const unsigned char *)s; p < (const unsigned char *)e; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "control character in version string";
	return NULL;
}

static const char *trim(char *buf, const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

static void rpm_check_pair(const char *a, const char *b)
{
	const char *only_a = libssm_only_rpm(a), *only_b = libssm_only_rpm(b);
	int got = 7, got_parts = 7, want;
	ssm_version_parts pa, pb;
	char msg[512], ta[VGEN_MAX], tb[VGEN_MAX];
	rpmver va, vb;
	ssm_err rc;

	rc = ssm_version_compare(&got, SSM_VERSION_SCHEME_RPM, a, b);
	if (only_a || only_b) {
		want_message(msg, sizeof(msg), only_a ? a : b,
			     only_a ? only_a : only_b);
		if (rc != SSM_EINVALID || got != 0 ||
		    strcmp(msg, ssm_error_last()->message) != 0)
			fail_msg("rpm [%s] [%s]: want '%s', got %d '%s'", a, b,
				 msg, rc, ssm_error_last()->message);
		rpm_refused++;
		return;
	}
	if (rc != SSM_OK)
		fail_msg("rpm [%s] [%s]: %s", a, b, ssm_error_last()->message);
	/* libssm trims blanks as dpkg does; rpm would read them as
	 * separators (baseline.h): ask rpm about the trimmed versions */
	va = rpmverParse(trim(ta, a));
	vb = rpmverParse(trim(tb, b));
	assert_non_null(va);
	assert_non_null(vb);
	want = sign(rpmverCmp(va, vb));
	assert_int_equal(SSM_OK,
			 ssm_version_parse(&pa, SSM_VERSION_SCHEME_RPM, a));
	assert_int_equal(SSM_OK,
			 ssm_version_parse(&pb, SSM_VERSION_SCHEME_RPM, b));
	assert_int_equal(SSM_OK,
			 ssm_version_compare_parts(&got_parts, &pa, &pb));
	if (got != want || got_parts != want)
		fail_msg("rpm [%s] vs [%s]: rpm %d, libssm %d (parts %d)", a, b,
			 want, got, got_parts);
	/* and the split: rpm's E, V, R */
	if (strlen(rpmverV(va)) != pa.upstream_len ||
	    memcmp(rpmverV(va), pa.upstream, pa.upstream_len) != 0 ||
	    (rpmverR(va) == NULL) != (pa.revision == NULL) ||
	    (rpmverE(va) == NULL) != !pa.has_epoch)
		fail_msg("rpm [%s]: rpm splits it [%s]:[%s]-[%s]", a,
			 rpmverE(va) ? rpmverE(va) : "", rpmverV(va),
			 rpmverR(va) ? rpmverR(va) : "(none)");
	rpmverFree(va);
	rpmverFree(vb);
	rpm_checked++;
	rpm_by_result[want + 1]++;
}

/* The examples of spec §5.2, each checked against rpm too. */
static const char *const rpm_spec_pairs[][3] = {
	{ "1.0~rc1", "1.0", "<" },
	{ "1.0~", "1.0", "<" },
	{ "1.0~^", "1.0~", ">" },
	{ "1.0^", "1.0", ">" },
	{ "1.0^", "1.0.1", "<" },
	{ "1.0^git1", "1.0.1", "<" },
	{ "1.0^git1", "1.0", ">" },
	{ "1.0", "1_0", "=" },
	{ "1_0", "1.0.", "=" },
	{ "1.0a", "1.0.a", "=" },
	{ "1.01", "1.1", "=" },
	{ "1a", "1.0", "<" },
	{ "1.a", "1.1", "<" },
	{ "A", "a", "<" },
	{ "0:1.0", "1.0", "=" },
	{ "01:1.0", "1:1.0", "=" },
	{ "1:1.0", "2.0", ">" },
	{ "1.0", "1.0-1", "<" },
	{ "1.0-1.el8", "1.0-1.el8_4", "<" },
	{ "1.0-rc1-1", "1.0rc1-1", "=" },
	{ "1.0", "1.a", ">" },
	{ ":1.0", "0:1.0", "=" },
	{ "rc:1", "1", "<" },
};

static void rpm_spec_examples_agree_with_rpm(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rpm_spec_pairs) / sizeof(*rpm_spec_pairs); i++) {
		rpmver va = rpmverParse(rpm_spec_pairs[i][0]);
		rpmver vb = rpmverParse(rpm_spec_pairs[i][1]);
		int got = 7;

		assert_int_equal(want_of(rpm_spec_pairs[i][2]),
				 sign(rpmverCmp(va, vb)));
		rpmverFree(va);
		rpmverFree(vb);
		rpm_check_pair(rpm_spec_pairs[i][0], rpm_spec_pairs[i][1]);
		assert_int_equal(SSM_OK, ssm_version_compare(
						 &got, SSM_VERSION_SCHEME_RPM,
						 rpm_spec_pairs[i][0],
						 rpm_spec_pairs[i][1]));
		assert_int_equal(want_of(rpm_spec_pairs[i][2]), got);
	}
}

static void rpm_generated_pairs_agree_with_librpm(void **state)
{
	char a[VGEN_MAX], b[VGEN_MAX];
	struct vgen g;
	size_t i;

	(void)state;
	rpm_checked = rpm_refused = 0;
	memset(rpm_by_result, 0, sizeof(rpm_by_result));
	vgen_init(&g, 4180, VGEN_INVALID);
	for (i = 0; i < PAIRS; i++) {
		vgen_pair(&g, a, b);
		if (!*a || !*b) /* rpmverParse("") is NULL: libssm refuses it */
			continue;
		rpm_check_pair(a, b);
	}
	printf("rpm: %zu pairs ordered as librpm's rpmverCmp (%zu with a "
	       "version refused by libssm only; older/same/newer "
	       "%zu/%zu/%zu)\n",
	       rpm_checked, rpm_refused, rpm_by_result[0], rpm_by_result[1],
	       rpm_by_result[2]);
	assert_true(rpm_checked > PAIRS / 2);
}

static void rpm_fields_agree_with_rpmvercmp(void **state)
{
	char a[VGEN_MAX], b[VGEN_MAX];
	struct vgen g;
	size_t i, n = 0;

	(void)state;
	vgen_init(&g, 9, 0);
	for (i = 0; i < PAIRS / 2; i++) {
		int got = 7, want;

		vgen_pair(&g, a, b);
		want = sign(rpmvercmp(a, b));
		assert_int_equal(SSM_OK,
				 ssm_version_compare_field(
					 &got, SSM_VERSION_SCHEME_RPM, a, b));
		if (got != want)
			fail_msg("rpm field [%s] vs [%s]: rpmvercmp %d, libssm "
				 "%d",
				 a, b, want, got);
		n++;
	}
	printf("rpm: %zu fields ordered as librpm's rpmvercmp\n", n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deb_spec_examples_agree_with_dpkg),
		cmocka_unit_test(deb_generated_pairs_agree_with_libdpkg),
		cmocka_unit_test(deb_fields_agree_with_libdpkg),
		cmocka_unit_test(rpm_spec_examples_agree_with_rpm),
		cmocka_unit_test(rpm_generated_pairs_agree_with_librpm),
		cmocka_unit_test(rpm_fields_agree_with_rpmvercmp),
	};

	return cmocka_run_group_tests_name("interop-version", tests, NULL,
					   NULL);
}
