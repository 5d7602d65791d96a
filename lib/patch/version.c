/* SPDX-License-Identifier: Apache-2.0 */
/* Package version ordering: Debian (dpkg) and RPM (rpm 4.18), written from
 * spec/patch-semantics.md §5. Nothing here allocates: the parts of a version
 * are views into the caller's string, and the comparisons walk them. */
#include <string.h>

#include "ssm/baseline.h"
#include "core/error.h"

/* Character classes, one table lookup per byte on the parse path. */
enum {
	C_DIGIT = 0x01,
	C_ALPHA = 0x02,
	C_BLANK = 0x04,	  /* space, tab: trimmed, and an error inside */
	C_BAD = 0x08,	  /* control character or non-ASCII byte */
	C_SPLIT = 0x10,	  /* ':' or '-': where versions split */
	C_DEB_UP = 0x20,  /* dpkg allows it in an upstream version */
	C_DEB_REV = 0x40, /* dpkg allows it in a revision */
	C_RPM = 0x80	  /* rpmbuild allows it in a version or release */
};

#define IS_DIGIT(c) ((c) >= '0' && (c) <= '9')
#define IS_ALPHA(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z'))
#define IS_ALNUM(c) (IS_DIGIT(c) || IS_ALPHA(c))

#define CLASS_OF(c)                                                         \
	((IS_DIGIT(c) ? C_DIGIT : 0) | (IS_ALPHA(c) ? C_ALPHA : 0) |        \
	 ((c) == ' ' || (c) == '\t' ? C_BLANK : 0) |                        \
	 (((c) < 0x20 && (c) != '\t') || (c) >= 0x7f ? C_BAD : 0) |         \
	 ((c) == ':' || (c) == '-' ? C_SPLIT : 0) |                         \
	 (IS_ALNUM(c) || (c) == '.' || (c) == '+' || (c) == '~' ||          \
			  (c) == '-' || (c) == ':'                          \
		  ? C_DEB_UP                                                \
		  : 0) |                                                    \
	 (IS_ALNUM(c) || (c) == '.' || (c) == '+' || (c) == '~' ? C_DEB_REV \
								: 0) |      \
	 (IS_ALNUM(c) || (c) == '.' || (c) == '_' || (c) == '+' ||          \
			  (c) == '~' || (c) == '^'                          \
		  ? C_RPM                                                   \
		  : 0))
#define CLASS4(n) CLASS_OF(n), CLASS_OF(n + 1), CLASS_OF(n + 2), CLASS_OF(n + 3)
#define CLASS16(n) CLASS4(n), CLASS4(n + 4), CLASS4(n + 8), CLASS4(n + 12)
#define CLASS64(n) CLASS16(n), CLASS16(n + 16), CLASS16(n + 32), CLASS16(n + 48)

static const unsigned char char_class[256] = {
	CLASS64(0),
	CLASS64(64),
	CLASS64(128),
	CLASS64(192),
};

/* Longest prefix of a bad version quoted in an error message, so that the
 * reason after it always fits. */
#define QUOTE_MAX 200

/* A version split into views: [up, up + up_len), [rev, rev + rev_len). */
struct vparts {
	const unsigned char *up;
	const unsigned char *rev; /* NULL when there is no revision */
	size_t up_len;
	size_t rev_len;
	uint64_t epoch;
	bool has_epoch;
};

typedef const char *(*split_fn)(struct vparts *vp, const char *version);

static const char *deb_split(struct vparts *vp, const char *version);
static const char *rpm_split(struct vparts *vp, const char *version);
static int deb_cmp_field(const unsigned char *a, size_t alen,
			 const unsigned char *b, size_t blen);
static int rpm_cmp_field(const unsigned char *a, size_t alen,
			 const unsigned char *b, size_t blen);
static int deb_cmp(const struct vparts *a, const struct vparts *b);
static int rpm_cmp(const struct vparts *a, const struct vparts *b);
static ssm_err bad_version(const char *what, const char *version,
			   const char *reason);
static ssm_err bad_scheme(ssm_version_scheme scheme);
static const char *field_problem(const unsigned char *s, size_t *len_out);
static unsigned int warnings_of(const struct vparts *vp,
				ssm_version_scheme scheme,
				const char **text_out);

ssm_err ssm_version_parse(ssm_version_parts *out, ssm_version_scheme scheme,
			  const char *version)
{
	struct vparts vp;
	const char *reason;

	SSM_ASSERT_ARG(out);
	memset(out, 0, sizeof(*out));
	SSM_ASSERT_ARG(version);
	if (scheme == SSM_VERSION_SCHEME_DEB)
		reason = deb_split(&vp, version);
	else if (scheme == SSM_VERSION_SCHEME_RPM)
		reason = rpm_split(&vp, version);
	else
		return bad_scheme(scheme);
	if (reason)
		return bad_version("version", version, reason);

	out->scheme = scheme;
	out->has_epoch = vp.has_epoch;
	out->epoch = vp.epoch;
	out->upstream = (const char *)vp.up;
	out->upstream_len = vp.up_len;
	out->revision = (const char *)vp.rev;
	out->revision_len = vp.rev_len;
	out->warnings = warnings_of(&vp, scheme, &out->warning);
	return SSM_OK;
}

ssm_err ssm_version_compare(int *result_out, ssm_version_scheme scheme,
			    const char *a, const char *b)
{
	struct vparts va, vb;
	const char *reason;
	split_fn split;

	SSM_ASSERT_ARG(result_out);
	*result_out = 0;
	SSM_ASSERT_ARG(a);
	SSM_ASSERT_ARG(b);
	if (scheme == SSM_VERSION_SCHEME_DEB)
		split = deb_split;
	else if (scheme == SSM_VERSION_SCHEME_RPM)
		split = rpm_split;
	else
		return bad_scheme(scheme);
	if ((reason = split(&va, a)))
		return bad_version("version", a, reason);
	if ((reason = split(&vb, b)))
		return bad_version("version", b, reason);
	*result_out = scheme == SSM_VERSION_SCHEME_DEB ? deb_cmp(&va, &vb)
						       : rpm_cmp(&va, &vb);
	return SSM_OK;
}

ssm_err ssm_version_compare_parts(int *result_out, const ssm_version_parts *a,
				  const ssm_version_parts *b)
{
	struct vparts va, vb;

	SSM_ASSERT_ARG(result_out);
	*result_out = 0;
	SSM_ASSERT_ARG(a);
	SSM_ASSERT_ARG(b);
	if (a->scheme != SSM_VERSION_SCHEME_DEB &&
	    a->scheme != SSM_VERSION_SCHEME_RPM)
		return bad_scheme(a->scheme);
	if (a->scheme != b->scheme)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PATCH, NULL,
				      "cannot compare versions of different "
				      "schemes (%d and %d)",
				      (int)a->scheme, (int)b->scheme);
	if (!a->upstream || !b->upstream)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PATCH, NULL,
				      "version parts without an upstream "
				      "version (not from ssm_version_parse())");

	va.up = (const unsigned char *)a->upstream;
	va.up_len = a->upstream_len;
	va.rev = (const unsigned char *)a->revision;
	va.rev_len = a->revision ? a->revision_len : 0;
	va.epoch = a->epoch;
	va.has_epoch = a->has_epoch;
	vb.up = (const unsigned char *)b->upstream;
	vb.up_len = b->upstream_len;
	vb.rev = (const unsigned char *)b->revision;
	vb.rev_len = b->revision ? b->revision_len : 0;
	vb.epoch = b->epoch;
	vb.has_epoch = b->has_epoch;
	*result_out = a->scheme == SSM_VERSION_SCHEME_DEB ? deb_cmp(&va, &vb)
							  : rpm_cmp(&va, &vb);
	return SSM_OK;
}

ssm_err ssm_version_compare_field(int *result_out, ssm_version_scheme scheme,
				  const char *a, const char *b)
{
	const unsigned char *ua = (const unsigned char *)a;
	const unsigned char *ub = (const unsigned char *)b;
	const char *reason;
	size_t alen, blen;

	SSM_ASSERT_ARG(result_out);
	*result_out = 0;
	SSM_ASSERT_ARG(a);
	SSM_ASSERT_ARG(b);
	if (scheme != SSM_VERSION_SCHEME_DEB &&
	    scheme != SSM_VERSION_SCHEME_RPM)
		return bad_scheme(scheme);
	if ((reason = field_problem(ua, &alen)))
		return bad_version("version field", a, reason);
	if ((reason = field_problem(ub, &blen)))
		return bad_version("version field", b, reason);
	*result_out = scheme == SSM_VERSION_SCHEME_DEB
			      ? deb_cmp_field(ua, alen, ub, blen)
			      : rpm_cmp_field(ua, alen, ub, blen);
	return SSM_OK;
}

/* Why a single field cannot be compared, or NULL. */
static const char *field_problem(const unsigned char *s, size_t *len_out)
{
	const unsigned char *p = s;
	unsigned int acc = 0;

	for (; *p; p++)
		acc |= char_class[*p];
	*len_out = (size_t)(p - s);
	if (!(acc & (C_BLANK | C_BAD)))
		return NULL;
	for (p = s; *p; p++) {
		if (*p >= 0x80)
			return "non-ASCII character in version field";
		if (char_class[*p] & C_BAD)
			return "control character in version field";
		if (char_class[*p] & C_BLANK)
			return "version field has embedded spaces";
	}
	return NULL;
}

/* --- splitting ------------------------------------------------------- */

/* The trimmed extent of a version and where it may split. */
struct scan {
	const unsigned char *start, *end;
	const unsigned char *colon; /* first ':', or NULL */
	const unsigned char *dash;  /* last '-', or NULL */
	bool bad;		    /* holds a control or non-ASCII byte */
};

/* One pass over the string: trims blanks, finds the first ':' and the last
 * '-', notes bad bytes, and returns dpkg's first two problems (empty,
 * embedded blanks), or NULL. */
static const char *scan_version(struct scan *sc, const char *version)
{
	const unsigned char *p = (const unsigned char *)version;
	const unsigned char *end, *colon = NULL, *dash = NULL;
	unsigned int acc = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	sc->start = p;
	end = p;
	for (; *p; p++) {
		unsigned int k = char_class[*p];

		acc |= k;
		if (k & (C_SPLIT | C_BLANK)) {
			if (*p == '-')
				dash = p;
			else if (*p == ':' && !colon)
				colon = p;
			else if (k & C_BLANK)
				continue;
		}
		end = p + 1;
	}
	sc->end = end;
	sc->colon = colon;
	sc->dash = dash;
	if (end == sc->start)
		return "version string is empty";
	sc->bad = (acc & C_BAD) != 0;
	if (acc & C_BLANK)
		for (p = sc->start; p < end; p++)
			if (char_class[*p] & C_BLANK)
				return "version string has embedded spaces";
	return NULL;
}

/* libssm's own refusal of bytes that dpkg only warns about, checked after
 * every check of dpkg's so that dpkg's errors keep precedence. */
static const char *bad_bytes(const struct scan *sc)
{
	const unsigned char *p;

	if (!sc->bad)
		return NULL;
	for (p = sc->start; p < sc->end; p++)
		if (*p >= 0x80)
			return "non-ASCII character in version string";
	return "control character in version string";
}

/* Splits off the revision (after the last '-' at or after @rest) and checks
 * that neither part is empty, in dpkg's order. */
static const char *split_revision(struct vparts *vp, const struct scan *sc,
				  const unsigned char *rest,
				  const char *empty_revision)
{
	if (sc->dash && sc->dash >= rest) {
		vp->rev = sc->dash + 1;
		vp->rev_len = (size_t)(sc->end - vp->rev);
		if (!vp->rev_len)
			return empty_revision;
		vp->up_len = (size_t)(sc->dash - rest);
	} else {
		vp->rev = NULL;
		vp->rev_len = 0;
		vp->up_len = (size_t)(sc->end - rest);
	}
	vp->up = rest;
	if (!vp->up_len)
		return "version number is empty";
	return NULL;
}

/* dpkg's parse: the epoch is what comes before the first ':' and is read the
 * way strtol() reads it, with dpkg's checks in dpkg's order. Then libssm's
 * own: bad bytes, and a sign on the epoch (dpkg accepts "+1:" and "-0:"). */
static const char *deb_split(struct vparts *vp, const char *version)
{
	const unsigned char *rest, *p, *digits;
	const char *problem;
	struct scan sc;
	uint64_t epoch = 0;
	unsigned char sign = 0;

	if ((problem = scan_version(&sc, version)))
		return problem;
	rest = sc.start;
	vp->has_epoch = false;
	if (sc.colon) {
		p = sc.start;
		if (*p == '+' || *p == '-')
			sign = *p++;
		for (digits = p; IS_DIGIT(*p); p++)
			if (epoch <= 2147483647u) /* saturate past INT_MAX */
				epoch = epoch * 10 + (uint64_t)(*p - '0');
		if (p == digits)
			return "epoch in version is empty";
		if (p != sc.colon)
			return "epoch in version is not number";
		if (sign == '-' && epoch)
			return "epoch in version is negative";
		if (epoch > 2147483647u)
			return "epoch in version is too big";
		/* dpkg looks before trimming: "1: " has an empty version */
		if (!sc.colon[1])
			return "nothing after colon in version number";
		vp->has_epoch = true;
		rest = sc.colon + 1;
	}
	vp->epoch = epoch;
	if ((problem =
		     split_revision(vp, &sc, rest, "revision number is empty")))
		return problem;
	if ((problem = bad_bytes(&sc)))
		return problem;
	if (sign)
		return "epoch in version is not number";
	return NULL;
}

/* rpm's parse: the epoch is the leading digit run, only when a ':' follows it
 * (an empty one is 0); the release is after the last '-'. libssm refuses an
 * epoch that does not fit the 32-bit RPMTAG_EPOCH, an empty version and an
 * empty release, which rpm would take. */
static const char *rpm_split(struct vparts *vp, const char *version)
{
	const unsigned char *rest, *p;
	const char *problem;
	struct scan sc;
	uint64_t epoch = 0;

	if ((problem = scan_version(&sc, version)))
		return problem;
	rest = sc.start;
	vp->has_epoch = false;
	if (sc.colon) {
		for (p = sc.start; IS_DIGIT(*p); p++)
			if (epoch <= 0xffffffffu)
				epoch = epoch * 10 + (uint64_t)(*p - '0');
		if (p == sc.colon) {
			if (epoch > 0xffffffffu)
				return "epoch in version is too big";
			vp->has_epoch = true;
			rest = sc.colon + 1;
		} else {
			epoch = 0;
		}
	}
	vp->epoch = epoch;
	if ((problem =
		     split_revision(vp, &sc, rest, "release number is empty")))
		return problem;
	return bad_bytes(&sc);
}

static unsigned int warnings_of(const struct vparts *vp,
				ssm_version_scheme scheme,
				const char **text_out)
{
	unsigned int up_ok, rev_ok, w = 0;
	const char *text = NULL;
	size_t i;

	up_ok = scheme == SSM_VERSION_SCHEME_DEB ? C_DEB_UP : C_RPM;
	rev_ok = scheme == SSM_VERSION_SCHEME_DEB ? C_DEB_REV : C_RPM;
	if (scheme == SSM_VERSION_SCHEME_DEB && !IS_DIGIT(vp->up[0])) {
		w |= SSM_VERSION_WARN_UPSTREAM_START;
		text = "version number does not start with digit";
	}
	for (i = 0; i < vp->up_len; i++) {
		if (!(char_class[vp->up[i]] & up_ok)) {
			w |= SSM_VERSION_WARN_UPSTREAM_CHAR;
			if (!text)
				text = "invalid character in version number";
			break;
		}
	}
	for (i = 0; i < vp->rev_len; i++) {
		if (!(char_class[vp->rev[i]] & rev_ok)) {
			w |= SSM_VERSION_WARN_REVISION_CHAR;
			if (!text)
				text = scheme == SSM_VERSION_SCHEME_DEB
					       ? "invalid character in "
						 "revision number"
					       : "invalid character in "
						 "release number";
			break;
		}
	}
	*text_out = text;
	return w;
}

/* --- comparing ------------------------------------------------------- */

/* Unbounded comparison of two digit runs: skip leading zeros, then the
 * longer run is the bigger number, then the first differing digit. */
static int cmp_digits(const unsigned char *a, size_t alen,
		      const unsigned char *b, size_t blen)
{
	while (alen && *a == '0') {
		a++;
		alen--;
	}
	while (blen && *b == '0') {
		b++;
		blen--;
	}
	if (alen != blen)
		return alen < blen ? -1 : 1;
	for (; alen; a++, b++, alen--)
		if (*a != *b)
			return *a < *b ? -1 : 1;
	return 0;
}

/* dpkg's weight of a character in a non-digit run: '~' before the end of
 * the run (0), letters by ASCII code, everything else after every letter. */
static int deb_weight(unsigned char c)
{
	if (IS_ALPHA(c))
		return c;
	if (c == '~')
		return -1;
	if (IS_DIGIT(c))
		return 0;
	return c + 256;
}

/* dpkg's fragment comparison: alternate non-digit runs (by weight, a missing
 * character weighing 0) and digit runs (as numbers). */
static int deb_cmp_field(const unsigned char *a, size_t alen,
			 const unsigned char *b, size_t blen)
{
	const unsigned char *ea = a + alen, *eb = b + blen;

	while (a < ea || b < eb) {
		const unsigned char *da, *db;

		while ((a < ea && !IS_DIGIT(*a)) || (b < eb && !IS_DIGIT(*b))) {
			int wa = a < ea ? deb_weight(*a) : 0;
			int wb = b < eb ? deb_weight(*b) : 0;

			/* equal weights are never 0 here: both are non-digits
			 */
			if (wa != wb)
				return wa < wb ? -1 : 1;
			a++;
			b++;
		}
		for (da = a; a < ea && IS_DIGIT(*a); a++)
			;
		for (db = b; b < eb && IS_DIGIT(*b); b++)
			;
		if (a - da == 1 && b - db == 1) {
			if (*da != *db)
				return *da < *db ? -1 : 1;
		} else {
			int r = cmp_digits(da, (size_t)(a - da), db,
					   (size_t)(b - db));

			if (r)
				return r;
		}
	}
	return 0;
}

static int deb_cmp(const struct vparts *a, const struct vparts *b)
{
	int r;

	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	r = deb_cmp_field(a->up, a->up_len, b->up, b->up_len);
	if (r)
		return r;
	/* a missing revision is the empty string, which equals "0" */
	return deb_cmp_field(a->rev, a->rev_len, b->rev, b->rev_len);
}

/* rpmvercmp: separators (anything but alphanumerics, '~' and '^') are
 * skipped; '~' sorts before anything, even the end; '^' sorts after the end
 * but before anything else; then alternating digit and letter segments,
 * where a number beats letters. */
static int rpm_cmp_field(const unsigned char *a, size_t alen,
			 const unsigned char *b, size_t blen)
{
	const unsigned char *ea = a + alen, *eb = b + blen;

	if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0))
		return 0;
	while (a < ea || b < eb) {
		const unsigned char *sa, *sb;
		int r;

		while (a < ea && !IS_ALNUM(*a) && *a != '~' && *a != '^')
			a++;
		while (b < eb && !IS_ALNUM(*b) && *b != '~' && *b != '^')
			b++;
		if ((a < ea && *a == '~') || (b < eb && *b == '~')) {
			if (a == ea || *a != '~')
				return 1;
			if (b == eb || *b != '~')
				return -1;
			a++;
			b++;
			continue;
		}
		if ((a < ea && *a == '^') || (b < eb && *b == '^')) {
			if (a == ea)
				return -1;
			if (b == eb)
				return 1;
			if (*a != '^')
				return 1;
			if (*b != '^')
				return -1;
			a++;
			b++;
			continue;
		}
		if (a == ea || b == eb)
			break;
		sa = a;
		sb = b;
		if (IS_DIGIT(*a)) {
			while (a < ea && IS_DIGIT(*a))
				a++;
			while (b < eb && IS_DIGIT(*b))
				b++;
			if (b == sb)
				return 1; /* a number is newer than letters */
			r = cmp_digits(sa, (size_t)(a - sa), sb,
				       (size_t)(b - sb));
		} else {
			size_t la, lb;

			while (a < ea && IS_ALPHA(*a))
				a++;
			while (b < eb && IS_ALPHA(*b))
				b++;
			if (b == sb)
				return -1;
			la = (size_t)(a - sa);
			lb = (size_t)(b - sb);
			r = memcmp(sa, sb, la < lb ? la : lb);
			if (!r && la != lb)
				r = la < lb ? -1 : 1;
		}
		if (r)
			return r < 0 ? -1 : 1;
	}
	if (a == ea && b == eb)
		return 0;
	return a < ea ? 1 : -1;
}

static int rpm_cmp(const struct vparts *a, const struct vparts *b)
{
	int r;

	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	r = rpm_cmp_field(a->up, a->up_len, b->up, b->up_len);
	if (r)
		return r;
	if (!a->rev || !b->rev) /* a release is newer than none */
		return (a->rev != NULL) - (b->rev != NULL);
	return rpm_cmp_field(a->rev, a->rev_len, b->rev, b->rev_len);
}

/* --- errors ---------------------------------------------------------- */

static ssm_err bad_version(const char *what, const char *version,
			   const char *reason)
{
	size_t len = strlen(version);

	if (len > QUOTE_MAX)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PATCH, NULL,
				      "%s '%.*s...' has bad syntax: %s", what,
				      QUOTE_MAX, version, reason);
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PATCH, NULL,
			      "%s '%s' has bad syntax: %s", what, version,
			      reason);
}

static ssm_err bad_scheme(ssm_version_scheme scheme)
{
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PATCH, NULL,
			      "unknown version scheme %d", (int)scheme);
}
