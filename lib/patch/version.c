/* SPDX-License-Identifier: Apache-2.0 */
/* Package version ordering: Debian (dpkg) and RPM (rpm 4.18), written from
 * spec/patch-semantics.md §5. Nothing here allocates: the parts of a version
 * are views into the caller's string, and the comparisons walk them.
 *
 * Two paths give the same answers. The general one splits each version
 * (trims, checks in dpkg's order, finds the epoch and the last '-') and then
 * compares the parts; it serves ssm_version_parse(), every Debian
 * comparison and every bad version. The fast one serves RPM comparisons of
 * clean versions (the common case, and the one measured against rpmvercmp
 * by bench/bench_vercmp.c): it checks all bytes a word at a time and looks
 * for a version's last '-' only if the walk gets there. tests/
 * test_version_paths.c checks that the paths agree. */
#include <string.h>

#include "ssm/baseline.h"
#include "core/error.h"

/* Word-at-a-time scanning (SWAR) needs GCC builtins and a little-endian
 * machine, SSE2 is x86's; elsewhere, or when a test asks for it, the plain
 * loops do it all. */
#if !defined(SSM_VERSION_PORTABLE) && defined(__GNUC__) && \
	defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR 1
#if defined(__SSE2__) && !defined(SSM_VERSION_NO_SSE2)
#define USE_SSE2 1
#include <emmintrin.h>
#endif
#endif

/* Character classes, one table lookup per byte on the general path. */
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
/* what rpmvercmp skips between segments */
#define IS_RPM_SEP(c) (!IS_ALNUM(c) && (c) != '~' && (c) != '^')

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

/* The trimmed extent of a version and where it may split. */
struct scan {
	const unsigned char *start, *end;
	const unsigned char *colon; /* first ':', or NULL */
	const unsigned char *dash;  /* last '-', or NULL */
	bool bad;		    /* holds a control or non-ASCII byte */
};

static const char *deb_split(struct vparts *vp, const char *version);
static const char *rpm_split(struct vparts *vp, const char *version);
static unsigned int warnings_of(const struct vparts *vp,
				ssm_version_scheme scheme,
				const char **text_out);
static const char *field_problem(const unsigned char *s, size_t *len_out);
static int deb_cmp_field(const unsigned char *a, size_t alen,
			 const unsigned char *b, size_t blen);
static int rpm_cmp_field(const unsigned char *a, size_t alen,
			 const unsigned char *b, size_t blen);
static int deb_cmp(const struct vparts *a, const struct vparts *b);
static int rpm_cmp(const struct vparts *a, const struct vparts *b);
#ifdef SWAR
static bool rpm_compare_fast(int *result_out, const char *a, const char *b);
#endif
static ssm_err bad_version(const char *what, const char *version,
			   const char *reason);
static ssm_err bad_scheme(ssm_version_scheme scheme);

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
	bool deb = scheme == SSM_VERSION_SCHEME_DEB;

#ifdef SWAR
	if (scheme == SSM_VERSION_SCHEME_RPM && result_out && a && b &&
	    rpm_compare_fast(result_out, a, b))
		return SSM_OK;
#endif
	SSM_ASSERT_ARG(result_out);
	*result_out = 0;
	SSM_ASSERT_ARG(a);
	SSM_ASSERT_ARG(b);
	if (!deb && scheme != SSM_VERSION_SCHEME_RPM)
		return bad_scheme(scheme);
	if ((reason = deb ? deb_split(&va, a) : rpm_split(&va, a)))
		return bad_version("version", a, reason);
	if ((reason = deb ? deb_split(&vb, b) : rpm_split(&vb, b)))
		return bad_version("version", b, reason);
	*result_out = deb ? deb_cmp(&va, &vb) : rpm_cmp(&va, &vb);
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

/* --- words at a time -------------------------------------------------- */

#ifdef SWAR
/* Loads stay inside the string: a length is covered by words that overlap
 * or repeat rather than by a loop, so that, up to 64 bytes, the length is
 * not a branch (versions' lengths are unpredictable, mispredictions are
 * what costs). */
#define ONES ((uint64_t)0x0101010101010101u)
#define LOW7 (ONES * 0x7f)
#define HIGHS (ONES * 0x80)

static inline uint64_t load8(const unsigned char *p)
{
	uint64_t x;

	memcpy(&x, p, sizeof(x));
	return x;
}

static inline uint64_t load4(const unsigned char *p)
{
	uint32_t x;

	memcpy(&x, p, sizeof(x));
	return x;
}

/* Index of the first byte flagged in a mask of top bits. */
static inline size_t first_byte(uint64_t mask)
{
	return (size_t)__builtin_ctzll(mask) >> 3;
}

/* Top bits: somewhere when a byte of @x is zero (only the lowest flagged
 * byte is exact). */
static inline uint64_t has_zero(uint64_t x)
{
	return (x - ONES) & ~x & HIGHS;
}

/* Top bits of exactly the bytes of @x that are not zero. */
static inline uint64_t nonzero_bytes(uint64_t x)
{
	return (((x & LOW7) + LOW7) | x) & HIGHS;
}

/* Non-zero when a byte of @x is outside '!'..'~': a blank, a control
 * character, DEL or non-ASCII. */
static inline uint64_t odd_bytes(uint64_t x)
{
	return (((x - ONES * 0x21) & ~x) | ((x + ONES) | x)) & HIGHS;
}

/* Top bits: somewhere when a byte of @x is not a digit (only the lowest
 * flagged byte is exact). */
static inline uint64_t non_digits(uint64_t x)
{
	uint64_t d = x - ONES * '0';

	return (d | (d + ONES * (0x80 - 10))) & HIGHS;
}

#ifdef USE_SSE2
static inline __m128i load16x8(const unsigned char *p, size_t lo, size_t hi)
{
	return _mm_set_epi64x((long long)load8(p + hi),
			      (long long)load8(p + lo));
}

/* All ones in each byte of @v in '!'..'~': adding 0x5f maps that range,
 * and only it, to the signed bytes below -34. */
static inline __m128i graphic16(__m128i v)
{
	return _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(0x5f)),
			      _mm_set1_epi8(-34));
}
#endif

/* Whether every byte of [p, p + len) is in '!'..'~' (false when empty), and
 * whether one is a ':'. */
__attribute__((always_inline)) static inline bool
all_graphic(const unsigned char *p, size_t len, bool *colon_out)
{
	const uint64_t filler = ONES * '0' & ~(uint64_t)0xffffffffu;
	uint64_t odd = 0, colon = 0, w;
	size_t i;

#ifdef USE_SSE2
	if (len >= 8 && len <= 64) {
		const __m128i colons = _mm_set1_epi8(':');
		size_t last = len - 8;
		__m128i v0, v1, v2, v3, ok, col;

		/* eight loads of 8 bytes: at 0, 8, ... 56 or the last 8 */
#define AT(n) (last < (n) ? last : (n))
		v0 = load16x8(p, 0, AT(8));
		v1 = load16x8(p, AT(16), AT(24));
		v2 = load16x8(p, AT(32), AT(40));
		v3 = load16x8(p, AT(48), last);
#undef AT
		ok = _mm_and_si128(_mm_and_si128(graphic16(v0), graphic16(v1)),
				   _mm_and_si128(graphic16(v2), graphic16(v3)));
		col = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v0, colons),
						_mm_cmpeq_epi8(v1, colons)),
				   _mm_or_si128(_mm_cmpeq_epi8(v2, colons),
						_mm_cmpeq_epi8(v3, colons)));
		*colon_out = _mm_movemask_epi8(col) != 0;
		return _mm_movemask_epi8(ok) == 0xffff;
	}
#endif
	if (len >= 8) {
		for (i = 0; i + 8 < len; i += 8) {
			w = load8(p + i);
			odd |= odd_bytes(w);
			colon |= has_zero(w ^ (ONES * ':'));
		}
		w = load8(p + len - 8);
	} else if (len >= 4) {
		w = load4(p) | filler;
		odd = odd_bytes(w);
		colon = has_zero(w ^ (ONES * ':'));
		w = load4(p + len - 4) | filler;
	} else {
		for (i = 0, odd = !len; i < len; i++) {
			odd |= char_class[p[i]] & (C_BLANK | C_BAD);
			colon |= p[i] == ':';
		}
		*colon_out = colon != 0;
		return !odd;
	}
	odd |= odd_bytes(w);
	colon |= has_zero(w ^ (ONES * ':'));
	*colon_out = colon != 0;
	return !odd;
}

/* The end of the run of digits at @p, in a string of @len bytes. */
static inline const unsigned char *digits_end(const unsigned char *p,
					      size_t len)
{
	uint64_t m;

	if (len >= 8 && (m = non_digits(load8(p))))
		return p + first_byte(m);
	while (IS_DIGIT(*p))
		p++;
	return p;
}

/* The length of the common prefix of two fields of at most @n bytes. */
static inline size_t common_prefix(const unsigned char *a,
				   const unsigned char *b, size_t n)
{
	uint64_t x;
	size_t i;

	if (n < 8) {
		for (i = 0; i < n && a[i] == b[i]; i++)
			;
		return i;
	}
	for (i = 0; i + 8 <= n; i += 8)
		if ((x = load8(a + i) ^ load8(b + i)))
			return i + first_byte(x);
	/* the last bytes, overlapping what is known to be equal */
	x = load8(a + n - 8) ^ load8(b + n - 8);
	return x ? n - 8 + first_byte(x) : n;
}

/* The length of the common prefix of two versions up to their first '-'. */
static inline size_t same_until_dash(const unsigned char *a,
				     const unsigned char *b, size_t n)
{
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t x = load8(a + i), diff = x ^ load8(b + i);
		uint64_t stop =
			has_zero(x ^ (ONES * '-')) | nonzero_bytes(diff);

		if (stop)
			return i + first_byte(stop);
	}
	while (i < n && a[i] == b[i] && a[i] != '-')
		i++;
	return i;
}
#else
static size_t common_prefix(const unsigned char *a, const unsigned char *b,
			    size_t n)
{
	size_t i;

	for (i = 0; i < n && a[i] == b[i]; i++)
		;
	return i;
}
#endif

/* The last '-' in [p, p + len), or NULL. */
static inline const unsigned char *last_dash(const unsigned char *p, size_t len)
{
#ifdef __GLIBC__
	return memrchr(p, '-', len);
#else
	while (len--)
		if (p[len] == '-')
			return p + len;
	return NULL;
#endif
}

/* --- splitting: the general path ------------------------------------- */

/* Any bytes, blanks anywhere: trims, finds the first ':' and the last '-',
 * notes bad bytes, and returns dpkg's first two problems (empty, embedded
 * blanks), or NULL. @p is past the leading blanks. */
static const char *scan_bytes(struct scan *sc, const unsigned char *p)
{
	const unsigned char *end = p, *colon = NULL, *dash = NULL;
	unsigned int acc = 0;

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

/* scan_bytes(), quicker when every byte is printable ASCII. */
static const char *scan_version(struct scan *sc, const char *version)
{
	const unsigned char *p = (const unsigned char *)version;

	while (*p == ' ' || *p == '\t')
		p++;
	sc->start = p;
#ifdef SWAR
	{
		size_t len = strlen((const char *)p);
		bool colon;

		if (all_graphic(p, len, &colon)) {
			sc->end = p + len;
			sc->colon = colon ? memchr(p, ':', len) : NULL;
			sc->dash = last_dash(p, len);
			sc->bad = false;
			return NULL;
		}
	}
#endif
	return scan_bytes(sc, p);
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

/* Why a single field cannot be compared, or NULL. */
static const char *field_problem(const unsigned char *s, size_t *len_out)
{
	const unsigned char *p;
	size_t len = strlen((const char *)s);

	*len_out = len;
#ifdef SWAR
	{
		bool colon;

		if (!len || all_graphic(s, len, &colon))
			return NULL;
	}
#endif
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

/* --- comparing -------------------------------------------------------- */

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

/* Where to start comparing two fields that agree on their first @k bytes:
 * equal text compares equal, and separators, '~', '^' and dpkg's non-digits
 * are taken one at a time in step on both sides, so only a digit run (or,
 * with @letters, a letter run) that goes on past the difference on either
 * side must be taken from its start. a[k] and b[k] must be readable. */
static size_t resume_at(const unsigned char *a, const unsigned char *b,
			size_t k, bool letters)
{
	if (!k)
		return 0;
	if (IS_DIGIT(a[k - 1]) && (IS_DIGIT(a[k]) || IS_DIGIT(b[k]))) {
		while (k && IS_DIGIT(a[k - 1]))
			k--;
	} else if (letters && IS_ALPHA(a[k - 1]) &&
		   (IS_ALPHA(a[k]) || IS_ALPHA(b[k]))) {
		while (k && IS_ALPHA(a[k - 1]))
			k--;
	}
	return k;
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
	size_t k = common_prefix(a, b, alen < blen ? alen : blen);

	/* a field is followed by '-' or the end of its string: readable */
	k = resume_at(a, b, k, false);
	a += k;
	b += k;
	while (a < ea || b < eb) {
		const unsigned char *da, *db;
		int r;

		while ((a < ea && !IS_DIGIT(*a)) || (b < eb && !IS_DIGIT(*b))) {
			int wa = a < ea ? deb_weight(*a) : 0;
			int wb = b < eb ? deb_weight(*b) : 0;

			/* equal weights are never 0: both are non-digits */
			if (wa != wb)
				return wa < wb ? -1 : 1;
			a++;
			b++;
		}
		for (da = a; a < ea && IS_DIGIT(*a); a++)
			;
		for (db = b; b < eb && IS_DIGIT(*b); b++)
			;
		r = cmp_digits(da, (size_t)(a - da), db, (size_t)(b - db));
		if (r)
			return r;
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
	return deb_cmp_field(
		a->rev ? a->rev : (const unsigned char *)"", a->rev_len,
		b->rev ? b->rev : (const unsigned char *)"", b->rev_len);
}

/* One step of rpmvercmp at @a and @b, both past their separators and
 * neither at its end ([@ea, @eb)): '~' sorts before anything, even the end;
 * '^' after the end but before anything else; then a digit or letter
 * segment, a number being newer than letters. Returns the order, or 0 to go
 * on (with the segments or '~'/'^' consumed). */
static inline int rpm_step(const unsigned char **ap, const unsigned char *ea,
			   const unsigned char **bp, const unsigned char *eb)
{
	const unsigned char *a = *ap, *b = *bp, *sa = a, *sb = b;
	int r;

	if ((a < ea && *a == '~') || (b < eb && *b == '~')) {
		if (a == ea || *a != '~')
			return 1;
		if (b == eb || *b != '~')
			return -1;
		*ap = a + 1;
		*bp = b + 1;
		return 0;
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
		*ap = a + 1;
		*bp = b + 1;
		return 0;
	}
	/* runs stop by themselves where a field ends: at its '-' or at the
	 * end of its string */
	if (IS_DIGIT(*a)) {
		while (IS_DIGIT(*a))
			a++;
		while (IS_DIGIT(*b))
			b++;
		if (b == sb)
			return 1;
		r = cmp_digits(sa, (size_t)(a - sa), sb, (size_t)(b - sb));
	} else {
		size_t la, lb;

		while (IS_ALPHA(*a))
			a++;
		while (IS_ALPHA(*b))
			b++;
		if (b == sb)
			return -1;
		la = (size_t)(a - sa);
		lb = (size_t)(b - sb);
		r = memcmp(sa, sb, la < lb ? la : lb);
		if (!r && la != lb)
			r = la < lb ? -1 : 1;
	}
	*ap = a;
	*bp = b;
	return (r > 0) - (r < 0);
}

/* rpmvercmp: skip separators, step, until one side ends; then the side with
 * something left is newer. */
static int rpm_cmp_field(const unsigned char *a, size_t alen,
			 const unsigned char *b, size_t blen)
{
	const unsigned char *ea = a + alen, *eb = b + blen;
	size_t k = common_prefix(a, b, alen < blen ? alen : blen);

	if (k == alen && alen == blen)
		return 0;
	/* a field is followed by '-' or the end of its string: readable */
	k = resume_at(a, b, k, true);
	a += k;
	b += k;
	for (;;) {
		int r;

		while (a < ea && IS_RPM_SEP(*a))
			a++;
		while (b < eb && IS_RPM_SEP(*b))
			b++;
		/* '~' and '^' decide even against the end */
		if ((a == ea || b == eb) &&
		    !(a < ea && (*a == '~' || *a == '^')) &&
		    !(b < eb && (*b == '~' || *b == '^')))
			break;
		if ((r = rpm_step(&a, ea, &b, eb)))
			return r;
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

/* --- RPM: the fast path ---------------------------------------------- */

#ifdef SWAR
/* The common case of rpm_split(), checked without splitting: printable
 * ASCII only, a short epoch if any, and neither an empty version nor an
 * empty release. Anything else (false) goes to rpm_split(), which finds the
 * problem. Sets where the version starts and the epoch. */
__attribute__((always_inline)) static inline bool
rpm_fast_ok(const unsigned char *p, size_t len, const unsigned char **rest_out,
	    uint64_t *epoch_out)
{
	const unsigned char *q, *rest = p, *end = p + len;
	uint64_t epoch = 0;
	bool colon;

	if (!all_graphic(p, len, &colon) || end[-1] == '-')
		return false;
	if (colon && *(q = digits_end(p, len)) == ':') {
		if (q - p > 9) /* maybe too big */
			return false;
		for (; p < q; p++)
			epoch = epoch * 10 + (uint64_t)(*p - '0');
		rest = q + 1;
	}
	/* a '-' first may be the last one, leaving the version empty */
	if (rest == end || *rest == '-')
		return false;
	*rest_out = rest;
	*epoch_out = epoch;
	return true;
}

/* rpm_cmp() after the epochs, on the unsplit rest of two versions, which
 * end at @aend and @bend: a version ends at its last '-', looked for only
 * when the walk meets a '-' (most pairs differ before that). */
static int rpm_cmp_lazy(const unsigned char *a, const unsigned char *aend,
			const unsigned char *b, const unsigned char *bend)
{
	const unsigned char *ea = aend, *eb = bend; /* where the versions end */
	bool a_release = false, b_release = false;  /* ... once known */
	size_t alen = (size_t)(aend - a), blen = (size_t)(bend - b);
	size_t k = same_until_dash(a, b, alen < blen ? alen : blen);

	/* equal text before any '-' compares equal; a[k], b[k] are at worst
	 * the strings' NULs */
	k = resume_at(a, b, k, true);
	a += k;
	b += k;
	for (;;) {
		int r;

		while (a < ea && IS_RPM_SEP(*a)) {
			if (*a == '-' && !a_release) {
				ea = last_dash(a, (size_t)(aend - a));
				a_release = true;
				if (a == ea)
					break;
			}
			a++;
		}
		while (b < eb && IS_RPM_SEP(*b)) {
			if (*b == '-' && !b_release) {
				eb = last_dash(b, (size_t)(bend - b));
				b_release = true;
				if (b == eb)
					break;
			}
			b++;
		}
		if ((a == ea || b == eb) &&
		    !(a < ea && (*a == '~' || *a == '^')) &&
		    !(b < eb && (*b == '~' || *b == '^')))
			break;
		if ((r = rpm_step(&a, ea, &b, eb)))
			return r;
	}
	if (a < ea || b < eb)
		return a < ea ? 1 : -1;
	/* the same version: a release is newer than none */
	if (!a_release || !b_release)
		return (int)a_release - (int)b_release;
	return rpm_cmp_field(ea + 1, (size_t)(aend - ea - 1), eb + 1,
			     (size_t)(bend - eb - 1));
}

/* ssm_version_compare() for RPM in the common case (rpm_fast_ok()); false
 * hands the pair to the general path. */
static bool rpm_compare_fast(int *result_out, const char *a, const char *b)
{
	const unsigned char *ua = (const unsigned char *)a, *ra;
	const unsigned char *ub = (const unsigned char *)b, *rb;
	size_t alen = strlen(a), blen = strlen(b);
	uint64_t ea, eb;

	if (!rpm_fast_ok(ua, alen, &ra, &ea))
		return false;
	if (alen == blen && memcmp(a, b, alen) == 0) { /* one check will do */
		*result_out = 0;
		return true;
	}
	if (!rpm_fast_ok(ub, blen, &rb, &eb))
		return false;
	if (ea != eb)
		*result_out = ea < eb ? -1 : 1;
	else
		*result_out = rpm_cmp_lazy(ra, ua + alen, rb, ub + blen);
	return true;
}
#endif

/* --- errors ----------------------------------------------------------- */

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
