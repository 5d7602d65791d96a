/* SPDX-License-Identifier: Apache-2.0 */
/* Generator of tricky package versions and pairs, shared by the version
 * tests and bench/bench_vercmp.c. Deterministic: the same seed gives the
 * same versions on every machine. */
#ifndef SSM_TESTS_VERSION_GEN_H
#define SSM_TESTS_VERSION_GEN_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define VGEN_MAX 160

struct vgen {
	uint64_t state;
	int flags;
};

/* Flag: also produce bad versions (blanks, bad epochs, empty parts,
 * non-ASCII and control bytes). */
#define VGEN_INVALID 0x1

static inline void vgen_init(struct vgen *g, uint64_t seed, int flags)
{
	g->state = seed ? seed : 0x9e3779b97f4a7c15ull;
	g->flags = flags;
}

/* splitmix64 */
static inline uint64_t vgen_next(struct vgen *g)
{
	uint64_t z = (g->state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline unsigned vgen_below(struct vgen *g, unsigned n)
{
	return (unsigned)(vgen_next(g) % n);
}

static inline void vgen_put(char *buf, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + n >= VGEN_MAX)
		return;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

static inline void vgen_digits(struct vgen *g, char *buf, size_t *len)
{
	static const char *const common[] = { "0",   "1",  "2",	  "9",
					      "10",  "11", "00",  "01",
					      "007", "99", "100", "20230101" };
	char tmp[40];
	unsigned i, n;

	switch (vgen_below(g, 8)) {
	case 0: /* long runs overflow any fixed-width integer */
		n = 19 + vgen_below(g, 10);
		for (i = 0; i < n; i++)
			tmp[i] = (char)('0' + (i == 0 && vgen_below(g, 3)
						       ? 9
						       : vgen_below(g, 10)));
		tmp[n] = '\0';
		vgen_put(buf, len, tmp);
		break;
	case 1:
		snprintf(tmp, sizeof(tmp), "%u", vgen_below(g, 100000));
		vgen_put(buf, len, tmp);
		break;
	default:
		vgen_put(buf, len,
			 common[vgen_below(g,
					   sizeof(common) / sizeof(*common))]);
	}
}

static inline void vgen_token(struct vgen *g, char *buf, size_t *len,
			      int in_revision)
{
	static const char *const letters[] = {
		"a",   "b",	 "z",	"A",  "Z",  "rc",  "alpha", "beta",
		"git", "ubuntu", "deb", "el", "fc", "bpo", "dfsg",  "pre"
	};
	static const char *const seps[] = { ".",  ".",	".",  "+",  "~",
					    "~~", "^",	"_",  ":",  "-",
					    "~^", "^~", "..", "+~", "%" };
	unsigned r = vgen_below(g, 10);

	if (r < 4) {
		vgen_digits(g, buf, len);
	} else if (r < 7) {
		vgen_put(buf, len,
			 letters[vgen_below(g, sizeof(letters) /
						       sizeof(*letters))]);
	} else {
		const char *s =
			seps[vgen_below(g, sizeof(seps) / sizeof(*seps))];

		/* '%' is rpm macro syntax and never in a version */
		if (*s == '%')
			s = "+";
		/* a '-' in the revision would move the split; ':' only after an
		 * epoch keeps its meaning, but both are fine tricky input */
		if (in_revision && (*s == '-'))
			s = ".";
		vgen_put(buf, len, s);
	}
}

static inline void vgen_part(struct vgen *g, char *buf, size_t *len,
			     int in_revision)
{
	unsigned i, n = 1 + vgen_below(g, 6);

	if (!in_revision || vgen_below(g, 2))
		vgen_digits(g, buf, len);
	for (i = 0; i < n; i++)
		vgen_token(g, buf, len, in_revision);
}

static inline void vgen_invalid(struct vgen *g, char *buf, size_t *len)
{
	static const char *const bad[] = { " ",
					   "1 0",
					   "\t",
					   "1:",
					   ":1",
					   "a:1",
					   "+1:1",
					   "-1:1",
					   "-0:1",
					   "1.0-",
					   "-1",
					   "1:-1",
					   "99999999999:1",
					   "2147483648:1",
					   "4294967296:1",
					   "1\xc3\xa9",
					   "1\x01",
					   "1\x7f",
					   ":",
					   "-",
					   "",
					   "1.0:1",
					   " 1.0 ",
					   "1.0\t",
					   "0x1:1" };

	vgen_put(buf, len, bad[vgen_below(g, sizeof(bad) / sizeof(*bad))]);
}

/* One version in @buf (VGEN_MAX bytes). */
static inline void vgen_version(struct vgen *g, char *buf)
{
	static const char *const epochs[] = { "0",	    "1",	  "2",
					      "00",	    "01",	  "10",
					      "2147483647", "4294967295", "" };
	size_t len = 0;

	buf[0] = '\0';
	if ((g->flags & VGEN_INVALID) && vgen_below(g, 12) == 0) {
		vgen_put(buf, &len,
			 vgen_below(g, 3) ? ""
					  : (vgen_below(g, 2) ? "1." : "1:"));
		vgen_invalid(g, buf, &len);
		if (vgen_below(g, 2))
			vgen_part(g, buf, &len, 0);
		return;
	}
	if (vgen_below(g, 4) == 0) {
		vgen_put(buf, &len,
			 epochs[vgen_below(g,
					   sizeof(epochs) / sizeof(*epochs))]);
		vgen_put(buf, &len, ":");
	}
	vgen_part(g, buf, &len, 0);
	if (vgen_below(g, 2)) {
		vgen_put(buf, &len, "-");
		vgen_part(g, buf, &len, 1);
	}
}

/* Change @src a little into @dst, so that pairs often share a prefix and
 * differ in one tricky place. */
static inline void vgen_mutate(struct vgen *g, const char *src, char *dst)
{
	static const char *const inserts[] = {
		"~",  "^", "+",	 ".",  "0",    "00",	"a", "A",  "-0",
		"-1", "1", "~~", ".0", "~rc1", "^git1", "_", "0:", "1:"
	};
	size_t n = strlen(src), pos = n ? vgen_below(g, (unsigned)n + 1) : 0;
	size_t len;
	const char *ins;

	switch (vgen_below(g, 5)) {
	case 0: /* delete one character */
		if (n) {
			pos = pos < n ? pos : n - 1;
			memcpy(dst, src, pos);
			memcpy(dst + pos, src + pos + 1, n - pos);
			return;
		}
		break;
	case 1: /* bump a digit */
		for (len = 0; len < n; len++) {
			size_t i = (pos + len) % n;

			if (src[i] >= '0' && src[i] <= '8') {
				memcpy(dst, src, n + 1);
				dst[i] = (char)(src[i] + 1);
				return;
			}
		}
		break;
	case 2: /* the same version */
		memcpy(dst, src, n + 1);
		return;
	default:
		break;
	}
	ins = inserts[vgen_below(g, sizeof(inserts) / sizeof(*inserts))];
	len = strlen(ins);
	if (n + len >= VGEN_MAX) {
		memcpy(dst, src, n + 1);
		return;
	}
	memcpy(dst, src, pos);
	memcpy(dst + pos, ins, len);
	memcpy(dst + pos + len, src + pos, n - pos + 1);
}

/* A pair: half the time unrelated, half the time a mutation. */
static inline void vgen_pair(struct vgen *g, char *a, char *b)
{
	vgen_version(g, a);
	if (vgen_below(g, 2))
		vgen_version(g, b);
	else
		vgen_mutate(g, a, b);
	if (vgen_below(g, 2)) { /* either order */
		char t[VGEN_MAX];

		memcpy(t, a, VGEN_MAX);
		memcpy(a, b, VGEN_MAX);
		memcpy(b, t, VGEN_MAX);
	}
}

#endif
