/* SPDX-License-Identifier: Apache-2.0 */
/* bench_vercmp: version comparisons per second, libssm beside the real
 * implementations on the same pairs in the same run (DESIGN.md §7):
 *
 *   deb  ssm_version_compare()  vs  libdpkg parseversion() x2 +
 *                                   dpkg_version_compare()
 *   rpm  ssm_version_compare()  vs  librpm rpmvercmp() on the raw strings
 *
 * on two pair sets per scheme: typical pairs made from the installed
 * package versions of a Debian machine (bench/data/deb-versions.txt, from
 * dpkg-query) and generated tricky pairs (tests/version_gen.h). Goals
 * (issue 6): >= 1.5x libdpkg parse+compare and >= 1.0x rpmvercmp on both
 * sets. Also printed for information: the pre-parsed comparisons of both
 * sides, rpmverParse+rpmverCmp, and the raw field comparison against
 * rpmvercmp.
 *
 * Usage: bench_vercmp [VERSIONS_FILE] [SECONDS_PER_FIGURE]
 */
#define LIBDPKG_VOLATILE_API 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ssm/ssm.h"
#include "version_gen.h"

#ifdef HAVE_LIBDPKG
#include <dpkg/dpkg.h>
#include <dpkg/dpkg-db.h>
#include <dpkg/version.h>
#endif
#ifdef HAVE_LIBRPM
#include <rpm/rpmver.h>
#endif

#ifndef VERCMP_DATA
#define VERCMP_DATA "bench/data/deb-versions.txt"
#endif

struct pairs {
	const char **a, **b;
	size_t n, cap;
	const char *name;
};

static double seconds_per_figure = 0.3;
static volatile long sink;

static double now(void)
{
	struct timespec ts;

	/* CPU time of this thread: the machine may be shared */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (!p) {
		fprintf(stderr, "bench_vercmp: out of memory\n");
		exit(1);
	}
	return memcpy(p, s, n);
}

static void add_pair(struct pairs *p, const char *a, const char *b)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 1024;
		p->a = realloc(p->a, p->cap * sizeof(*p->a));
		p->b = realloc(p->b, p->cap * sizeof(*p->b));
		if (!p->a || !p->b) {
			fprintf(stderr, "bench_vercmp: out of memory\n");
			exit(1);
		}
	}
	p->a[p->n] = xstrdup(a);
	p->b[p->n] = xstrdup(b);
	p->n++;
}

static void free_pairs(struct pairs *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free((void *)p->a[i]);
		free((void *)p->b[i]);
	}
	free(p->a);
	free(p->b);
}

/* --- the pair sets ---------------------------------------------------- */

static size_t load_versions(const char *path, char ***out)
{
	char line[512], **v = NULL;
	size_t n = 0, cap = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "bench_vercmp: cannot open %s\n", path);
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line || *line == '#')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 512;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				exit(1);
		}
		v[n++] = xstrdup(line);
	}
	fclose(f);
	*out = v;
	return n;
}

/* The candidate a package manager would weigh against an installed
 * version: its last digit bumped (same length, compared to the end). */
static void bump(char *dst, const char *src)
{
	size_t i = strlen(src);

	memcpy(dst, src, i + 1);
	while (i--) {
		if (dst[i] >= '0' && dst[i] <= '8') {
			dst[i]++;
			return;
		}
	}
}

/* Each installed version against: another installed version, its bumped
 * self, and itself. */
static void typical_pairs(struct pairs *p, char **v, size_t n)
{
	struct vgen g;
	char tmp[512];
	size_t i;

	vgen_init(&g, 42, 0);
	for (i = 0; i < n; i++) {
		add_pair(p, v[i], v[vgen_below(&g, (unsigned)n)]);
		bump(tmp, v[i]);
		add_pair(p, v[i], tmp);
		add_pair(p, v[i], v[i]);
	}
}

/* RHEL/Fedora-style EVRs made from the Debian ones: the same upstream
 * versions (and epochs), with a release "N.el9", "N.el8_6" or "N.fc39". */
static void rpmify(char *dst, size_t size, const char *deb, struct vgen *g)
{
	static const char *const dist[] = { "el9",  "el8_6", "el9_2",
					    "fc39", "el8",   "fc38" };
	const char *dash = strrchr(deb, '-');
	size_t up = dash ? (size_t)(dash - deb) : strlen(deb);
	unsigned rel = dash ? (unsigned)strtoul(dash + 1, NULL, 10) : 1;

	snprintf(dst, size, "%.*s-%u.%s", (int)up, deb, rel ? rel : 1,
		 dist[vgen_below(g, sizeof(dist) / sizeof(*dist))]);
}

static void typical_rpm_pairs(struct pairs *p, char **v, size_t n)
{
	char **r = malloc(n * sizeof(*r)), tmp[512];
	struct vgen g;
	size_t i;

	if (!r)
		exit(1);
	vgen_init(&g, 43, 0);
	for (i = 0; i < n; i++) {
		rpmify(tmp, sizeof(tmp), v[i], &g);
		r[i] = xstrdup(tmp);
	}
	typical_pairs(p, r, n);
	for (i = 0; i < n; i++)
		free(r[i]);
	free(r);
}

/* Generated pairs that every implementation accepts. */
static void tricky_pairs(struct pairs *p, ssm_version_scheme scheme,
			 size_t want)
{
	char a[VGEN_MAX], b[VGEN_MAX];
	struct vgen g;
	int r;

	vgen_init(&g, scheme == SSM_VERSION_SCHEME_DEB ? 2024 : 4180, 0);
	while (p->n < want) {
		vgen_pair(&g, a, b);
		if (ssm_version_compare(&r, scheme, a, b) == SSM_OK)
			add_pair(p, a, b);
	}
}

/* --- timing ----------------------------------------------------------- */

typedef long (*run_fn)(const struct pairs *p);

/* ns per pair of one timed round: passes over the pairs for @budget s. */
static double round_ns(run_fn fn, const struct pairs *p, double budget)
{
	double t0 = now(), t;
	size_t pairs = 0;

	do {
		sink += fn(p);
		pairs += p->n;
		t = now() - t0;
	} while (t < budget);
	return t / (double)pairs * 1e9;
}

/* Best of seven rounds. */
static double measure(run_fn fn, const struct pairs *p)
{
	double best = 1e30, t;
	int round;

	sink += fn(p); /* warm up */
	for (round = 0; round < 7; round++)
		if ((t = round_ns(fn, p, seconds_per_figure / 7)) < best)
			best = t;
	return best;
}

/* Two of them in alternate rounds, best of seven each, so that a change in
 * the machine's load hits both alike (the ratios are what matter). */
static void measure_pair(run_fn fa, run_fn fb, const struct pairs *p,
			 double *a_ns, double *b_ns)
{
	double t;
	int round;

	*a_ns = *b_ns = 1e30;
	sink += fa(p) + fb(p); /* warm up */
	for (round = 0; round < 7; round++) {
		if ((t = round_ns(fa, p, seconds_per_figure / 7)) < *a_ns)
			*a_ns = t;
		if ((t = round_ns(fb, p, seconds_per_figure / 7)) < *b_ns)
			*b_ns = t;
	}
}

static long run_ssm_deb(const struct pairs *p)
{
	long acc = 0;
	size_t i;
	int r;

	for (i = 0; i < p->n; i++) {
		ssm_version_compare(&r, SSM_VERSION_SCHEME_DEB, p->a[i],
				    p->b[i]);
		acc += r;
	}
	return acc;
}

static long run_ssm_rpm(const struct pairs *p)
{
	long acc = 0;
	size_t i;
	int r;

	for (i = 0; i < p->n; i++) {
		ssm_version_compare(&r, SSM_VERSION_SCHEME_RPM, p->a[i],
				    p->b[i]);
		acc += r;
	}
	return acc;
}

static long run_ssm_rpm_field(const struct pairs *p)
{
	long acc = 0;
	size_t i;
	int r;

	for (i = 0; i < p->n; i++) {
		ssm_version_compare_field(&r, SSM_VERSION_SCHEME_RPM, p->a[i],
					  p->b[i]);
		acc += r;
	}
	return acc;
}

/* Pre-parsed sides, for comparing one version against many. */
static ssm_version_parts *parsed_a, *parsed_b;

static void preparse(const struct pairs *p, ssm_version_scheme scheme)
{
	size_t i;

	free(parsed_a);
	free(parsed_b);
	parsed_a = calloc(p->n, sizeof(*parsed_a));
	parsed_b = calloc(p->n, sizeof(*parsed_b));
	if (!parsed_a || !parsed_b)
		exit(1);
	for (i = 0; i < p->n; i++) {
		ssm_version_parse(&parsed_a[i], scheme, p->a[i]);
		ssm_version_parse(&parsed_b[i], scheme, p->b[i]);
	}
}

static long run_ssm_parts(const struct pairs *p)
{
	long acc = 0;
	size_t i;
	int r;

	for (i = 0; i < p->n; i++) {
		ssm_version_compare_parts(&r, &parsed_a[i], &parsed_b[i]);
		acc += r;
	}
	return acc;
}

#ifdef HAVE_LIBDPKG
static long run_dpkg_parse_compare(const struct pairs *p)
{
	struct dpkg_version va, vb;
	long acc = 0;
	size_t i;

	for (i = 0; i < p->n; i++) {
		struct dpkg_error err = DPKG_ERROR_INIT;

		parseversion(&va, p->a[i], &err);
		parseversion(&vb, p->b[i], &err);
		acc += dpkg_version_compare(&va, &vb);
		dpkg_error_destroy(&err);
	}
	nffreeall(); /* what parseversion() kept */
	return acc;
}

static struct dpkg_version *dpkg_a, *dpkg_b;

static void dpkg_preparse(const struct pairs *p)
{
	size_t i;

	nffreeall();
	free(dpkg_a);
	free(dpkg_b);
	dpkg_a = calloc(p->n, sizeof(*dpkg_a));
	dpkg_b = calloc(p->n, sizeof(*dpkg_b));
	if (!dpkg_a || !dpkg_b)
		exit(1);
	for (i = 0; i < p->n; i++) {
		struct dpkg_error err = DPKG_ERROR_INIT;

		parseversion(&dpkg_a[i], p->a[i], &err);
		parseversion(&dpkg_b[i], p->b[i], &err);
		dpkg_error_destroy(&err);
	}
}

static long run_dpkg_preparsed(const struct pairs *p)
{
	long acc = 0;
	size_t i;

	for (i = 0; i < p->n; i++)
		acc += dpkg_version_compare(&dpkg_a[i], &dpkg_b[i]);
	return acc;
}
#endif

#ifdef HAVE_LIBRPM
static long run_rpmvercmp(const struct pairs *p)
{
	long acc = 0;
	size_t i;

	for (i = 0; i < p->n; i++)
		acc += rpmvercmp(p->a[i], p->b[i]);
	return acc;
}

static long run_rpmver_parse_compare(const struct pairs *p)
{
	long acc = 0;
	size_t i;

	for (i = 0; i < p->n; i++) {
		rpmver va = rpmverParse(p->a[i]), vb = rpmverParse(p->b[i]);

		acc += rpmverCmp(va, vb);
		rpmverFree(va);
		rpmverFree(vb);
	}
	return acc;
}
#endif

/* --- report ----------------------------------------------------------- */

static int goals_failed;

static void line(const char *what, double ns)
{
	printf("  %-44s %8.1f ns/pair %8.2f M pairs/s\n", what, ns, 1e3 / ns);
}

static void ratio(const char *what, double ours, double ref, double goal)
{
	double x = ref / ours;

	printf("  => %-41s %8.2fx", what, x);
	if (goal > 0) {
		printf("  (goal >= %.1fx: %s)", goal,
		       x >= goal ? "met" : "NOT met");
		if (x < goal)
			goals_failed++;
	}
	printf("\n");
}

static void bench_deb(const struct pairs *p)
{
	double ours, parts;

	printf("\ndeb, %s: %zu pairs\n", p->name, p->n);
#ifdef HAVE_LIBDPKG
	double ref, pre;

	measure_pair(run_ssm_deb, run_dpkg_parse_compare, p, &ours, &ref);
#else
	ours = measure(run_ssm_deb, p);
#endif
	line("libssm ssm_version_compare", ours);
	preparse(p, SSM_VERSION_SCHEME_DEB);
	parts = measure(run_ssm_parts, p);
	line("libssm ssm_version_compare_parts (parsed)", parts);
#ifdef HAVE_LIBDPKG
	{
		line("libdpkg parseversion x2 + compare", ref);
		dpkg_preparse(p);
		pre = measure(run_dpkg_preparsed, p);
		line("libdpkg dpkg_version_compare (parsed)", pre);
		ratio("vs libdpkg parse+compare", ours, ref, 1.5);
		ratio("parsed vs parsed", parts, pre, 0);
	}
#else
	printf("  (libdpkg not found at build time: no reference)\n");
#endif
}

static void bench_rpm(const struct pairs *p)
{
	double ours, parts, field;

	printf("\nrpm, %s: %zu pairs\n", p->name, p->n);
#ifdef HAVE_LIBRPM
	double ref;

	measure_pair(run_ssm_rpm, run_rpmvercmp, p, &ours, &ref);
#else
	ours = measure(run_ssm_rpm, p);
#endif
	line("libssm ssm_version_compare (E:V-R)", ours);
	field = measure(run_ssm_rpm_field, p);
	line("libssm ssm_version_compare_field (raw)", field);
	preparse(p, SSM_VERSION_SCHEME_RPM);
	parts = measure(run_ssm_parts, p);
	line("libssm ssm_version_compare_parts (parsed)", parts);
#ifdef HAVE_LIBRPM
	{
		double evr = measure(run_rpmver_parse_compare, p);

		line("librpm rpmvercmp (raw strings)", ref);
		line("librpm rpmverParse x2 + rpmverCmp + free", evr);
		ratio("vs rpmvercmp", ours, ref, 1.0);
		ratio("raw field vs rpmvercmp", field, ref, 0);
		ratio("vs rpmverParse+rpmverCmp", ours, evr, 0);
	}
#else
	printf("  (librpm not found at build time: no reference)\n");
#endif
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : VERCMP_DATA;
	struct pairs deb_typ = { .name = "typical (installed versions)" };
	struct pairs rpm_typ = { .name = "typical (el/fc-style EVRs)" };
	struct pairs deb_tricky = { .name = "tricky (generated)" };
	struct pairs rpm_tricky = { .name = "tricky (generated)" };
	char **v;
	size_t n, i;

	if (argc > 2)
		seconds_per_figure = atof(argv[2]);
	n = load_versions(path, &v);
	typical_pairs(&deb_typ, v, n);
	typical_rpm_pairs(&rpm_typ, v, n);
	tricky_pairs(&deb_tricky, SSM_VERSION_SCHEME_DEB, 20000);
	tricky_pairs(&rpm_tricky, SSM_VERSION_SCHEME_RPM, 20000);
	printf("bench_vercmp: %zu installed versions from %s\n", n, path);

	bench_deb(&deb_typ);
	bench_deb(&deb_tricky);
	bench_rpm(&rpm_typ);
	bench_rpm(&rpm_tricky);

	printf("\nbench_vercmp: %s\n",
	       goals_failed ? "some goals NOT met" : "all goals met");
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	free(parsed_a);
	free(parsed_b);
	free_pairs(&deb_typ);
	free_pairs(&rpm_typ);
	free_pairs(&deb_tricky);
	free_pairs(&rpm_tricky);
#ifdef HAVE_LIBDPKG
	nffreeall();
	free(dpkg_a);
	free(dpkg_b);
#endif
	(void)sink;
	return 0;
}
