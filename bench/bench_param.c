/* SPDX-License-Identifier: Apache-2.0 */
/* bench_param: Parameter Store operations per second through the public API
 * (in process), on memory: and sqlite:, with 100,000 parameters in a
 * 3-level hierarchy (/bench/aNN/bNN/pNNN). Beside each figure, the store
 * layer's own rate for the same number of keys in the same run, as a ratio
 * (what the engine keeps of the store's speed):
 *
 *   GetParameter/s, 1 and 2 threads        vs raw store gets of the heads
 *   PutParameter/s (durable), 1 and 16     vs raw store puts (same sizes)
 *   GetParametersByPath pages/s (10 each)  vs raw range reads of 10 heads
 *   SecureString get/s and put/s           vs String get/s and put/s
 *   peak RSS
 *
 *   bench_param [--params N] [--seconds S] [--dir DIR] [--only memory|sqlite]
 *
 * DIR (default: a new directory under /tmp) holds the SQLite files; it must
 * be on a real disk for durable figures to mean anything. The hierarchy is
 * loaded through the API (Intelligent-Tiering: 10,000 Standard parameters,
 * the rest Advanced, as AWS's limits require) with 16 writers on an
 * sqlite: store opened with
 * ?synchronous=normal, then measured on the same file opened with the
 * default synchronous=full. */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ssm/ssm.h"
#include "ssm/sys/store.h"
#include "api/client.h"
#include "core/thread.h"

#define LOADERS 16
#define MAX_THREADS 16
#define VALUE "value-of-a-typical-configuration-parameter-0123456789"

static size_t nparams = 100000;
static double seconds = 1.5;
static char dir[512];
static const char *only;
static ssm_ctx *ctx;

static void die(const char *what)
{
	fprintf(stderr, "bench_param: %s: %s\n", what,
		ssm_error_last()->message);
	exit(1);
}

/* Parameter i: 10 x 100 x (n / 1000) leaves. */
static void name_of(char *out, size_t size, size_t i)
{
	snprintf(out, size, "/bench/a%02u/b%02u/p%05u", (unsigned)(i % 10),
		 (unsigned)((i / 10) % 100), (unsigned)(i / 1000));
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

static long peak_rss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* ---- a timed run over threads ------------------------------------------ */

struct job;
typedef int (*op_fn)(struct job *j, uint64_t i);

struct job {
	const char *url;
	ssm_client *client;
	ssm_store *store;
	int thread;
	op_fn op;
	uint64_t limit; /* at most this many ops (0: none) */
	atomic_bool *stop;
	atomic_int *finished;
	uint64_t done;
	uint64_t seq; /* writes made, for names */
};

static void *job_main(void *arg)
{
	struct job *j = arg;
	uint64_t i = 0;

	while (!atomic_load_explicit(j->stop, memory_order_relaxed) &&
	       (!j->limit || i < j->limit)) {
		if (j->op(j, mix(i * MAX_THREADS + (uint64_t)j->thread)) < 0)
			die("operation");
		i++;
	}
	j->done = i;
	atomic_fetch_add(j->finished, 1);
	return NULL;
}

/* Ops per second of @op on @threads threads, each with its own client. */
static double rate(const char *url, ssm_store *store, int threads, op_fn op,
		   uint64_t limit_each)
{
	struct job jobs[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	atomic_bool stop;
	atomic_int finished;
	uint64_t total = 0;
	int64_t t0, t1;
	int i;

	atomic_init(&stop, false);
	atomic_init(&finished, 0);
	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < threads; i++) {
		jobs[i].url = url;
		jobs[i].store = store;
		jobs[i].thread = i;
		jobs[i].op = op;
		jobs[i].limit = limit_each;
		jobs[i].stop = &stop;
		jobs[i].finished = &finished;
		if (url && ssm_client_open(&jobs[i].client, ctx, url, NULL) < 0)
			die(url);
	}
	t0 = (int64_t)ssm__mono_ns();
	for (i = 0; i < threads; i++)
		pthread_create(&th[i], NULL, job_main, &jobs[i]);
	/* until the time is up or every thread did its limit */
	while (atomic_load(&finished) < threads &&
	       (double)((int64_t)ssm__mono_ns() - t0) < seconds * 1e9)
		usleep(1000);
	atomic_store(&stop, true);
	for (i = 0; i < threads; i++) {
		pthread_join(th[i], NULL);
		total += jobs[i].done;
	}
	t1 = (int64_t)ssm__mono_ns();
	for (i = 0; i < threads; i++)
		ssm_client_free(jobs[i].client);
	return (double)total * 1e9 / (double)(t1 - t0);
}

/* ---- operations --------------------------------------------------------- */

static int op_get(struct job *j, uint64_t i)
{
	char name[64];
	ssm_param *p = NULL;
	ssm_err e;

	name_of(name, sizeof(name), i % nparams);
	e = ssm_param_get(&p, j->client, name, 0);
	ssm_param_free(p);
	return e;
}

static int op_get_secure(struct job *j, uint64_t i)
{
	char name[64];
	ssm_param *p = NULL;
	ssm_err e;

	snprintf(name, sizeof(name), "/bench/secure/s%04u",
		 (unsigned)(i % 1000));
	e = ssm_param_get(&p, j->client, name, SSM_PARAM_WITH_DECRYPTION);
	ssm_param_free(p);
	return e;
}

static int op_get_string_small(struct job *j, uint64_t i)
{
	char name[64];
	ssm_param *p = NULL;
	ssm_err e;

	snprintf(name, sizeof(name), "/bench/plain/s%04u",
		 (unsigned)(i % 1000));
	e = ssm_param_get(&p, j->client, name, 0);
	ssm_param_free(p);
	return e;
}

/* Overwrites: each thread its own parameters, so writers do not collide. */
static int op_put(struct job *j, uint64_t i)
{
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	char name[64];

	(void)i;
	o.flags = SSM_PARAM_PUT_OVERWRITE;
	o.tier = SSM_PARAM_TIER_INTELLIGENT;
	snprintf(name, sizeof(name), "/bench/w%02d/x%03u", j->thread,
		 (unsigned)(j->seq++ % 50));
	o.type = SSM_PARAM_STRING;
	return ssm_param_put(NULL, NULL, j->client, name, VALUE, &o);
}

static int op_put_secure(struct job *j, uint64_t i)
{
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	char name[64];

	(void)i;
	o.flags = SSM_PARAM_PUT_OVERWRITE;
	o.tier = SSM_PARAM_TIER_INTELLIGENT;
	o.type = SSM_PARAM_SECURE_STRING;
	snprintf(name, sizeof(name), "/bench/sw%02d/x%03u", j->thread,
		 (unsigned)(j->seq++ % 50));
	return ssm_param_put(NULL, NULL, j->client, name, VALUE, &o);
}

static int op_by_path(struct job *j, uint64_t i)
{
	ssm_param_get_by_path_options o = SSM_PARAM_GET_BY_PATH_OPTIONS_INIT;
	ssm_param_iter *it = NULL;
	const ssm_param *p;
	char path[64];
	ssm_err e;
	int n = 0;

	snprintf(path, sizeof(path), "/bench/a%02u/b%02u/", (unsigned)(i % 10),
		 (unsigned)((i / 10) % 100));
	e = ssm_param_get_by_path(&it, j->client, path, &o);
	while (e == SSM_OK && n < 10 &&
	       (e = ssm_param_iter_next(&p, it)) == SSM_OK)
		n++; /* the first page */
	ssm_param_iter_free(it);
	return e == SSM_ITEROVER ? SSM_OK : e;
}

/* The service prefix + "param/n/" of the store keys of heads. */
static char head_prefix[128];

static int op_raw_get(struct job *j, uint64_t i)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	char key[192], name[64];
	ssm_err e;

	name_of(name, sizeof(name), i % nparams);
	snprintf(key, sizeof(key), "%s%s", head_prefix, name);
	e = ssm_store_get(&kv, j->store, key, strlen(key));
	ssm_store_kv_dispose(&kv);
	return e;
}

static int op_raw_range(struct job *j, uint64_t i)
{
	ssm_store_range_options o = SSM_STORE_RANGE_OPTIONS_INIT;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	char key[192];
	ssm_err e;

	snprintf(key, sizeof(key), "%s/bench/a%02u/b%02u/", head_prefix,
		 (unsigned)(i % 10), (unsigned)((i / 10) % 100));
	o.limit = 11;
	e = ssm_store_range(&kvs, j->store, key, strlen(key), &o);
	ssm_store_kvs_dispose(&kvs);
	return e;
}

/* A raw put of a record the size a parameter's head and version are. */
static int op_raw_put(struct job *j, uint64_t i)
{
	static const char rec[320] = "x";
	ssm_store_op ops[2];
	char k1[192], k2[192];

	(void)i;
	snprintf(k1, sizeof(k1), "rawbench/n/%02d/%03u", j->thread,
		 (unsigned)(j->seq % 50));
	snprintf(k2, sizeof(k2), "rawbench/v/%02d/%03u/%" PRIu64, j->thread,
		 (unsigned)(j->seq % 50), j->seq);
	j->seq++;
	memset(ops, 0, sizeof(ops));
	ops[0].type = ops[1].type = SSM_STORE_OP_PUT;
	ops[0].key = k1;
	ops[0].key_len = strlen(k1);
	ops[1].key = k2;
	ops[1].key_len = strlen(k2);
	ops[0].value = ops[1].value = rec;
	ops[0].value_len = ops[1].value_len = sizeof(rec);
	return ssm_store_txn(NULL, j->store, NULL, 0, ops, 2);
}

/* ---- loading ---------------------------------------------------------- */

struct loader {
	const char *url;
	int id;
};

static void *load_main(void *arg)
{
	struct loader *l = arg;
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	ssm_client *c = NULL;
	char name[64];
	size_t i;

	if (ssm_client_open(&c, ctx, l->url, NULL) < 0)
		die(l->url);
	/* 10,000 Standard parameters, the rest Advanced (AWS's limits) */
	o.tier = SSM_PARAM_TIER_INTELLIGENT;
	o.type = SSM_PARAM_STRING;
	for (i = (size_t)l->id; i < nparams; i += LOADERS) {
		name_of(name, sizeof(name), i);
		if (ssm_param_put(NULL, NULL, c, name, VALUE, &o) < 0)
			die(name);
	}
	o.type = SSM_PARAM_SECURE_STRING;
	for (i = (size_t)l->id; i < 1000; i += LOADERS) {
		snprintf(name, sizeof(name), "/bench/secure/s%04u",
			 (unsigned)i);
		if (ssm_param_put(NULL, NULL, c, name, VALUE, &o) < 0)
			die(name);
	}
	o.type = SSM_PARAM_STRING;
	for (i = (size_t)l->id; i < 1000; i += LOADERS) {
		snprintf(name, sizeof(name), "/bench/plain/s%04u", (unsigned)i);
		if (ssm_param_put(NULL, NULL, c, name, VALUE, &o) < 0)
			die(name);
	}
	ssm_client_free(c);
	return NULL;
}

static void load(const char *url)
{
	struct loader ls[LOADERS];
	pthread_t th[LOADERS];
	int64_t t0 = ssm__mono_ms();
	int i;

	for (i = 0; i < LOADERS; i++) {
		ls[i].url = url;
		ls[i].id = i;
		pthread_create(&th[i], NULL, load_main, &ls[i]);
	}
	for (i = 0; i < LOADERS; i++)
		pthread_join(th[i], NULL);
	printf("  loaded %zu parameters (+2,000) in %.1f s\n", nparams,
	       (double)(ssm__mono_ms() - t0) / 1000.0);
}

static void row(const char *what, double v, const char *ref, double r)
{
	if (ref)
		printf("  %-36s %10.0f /s   %-22s %10.0f /s   %5.2fx\n", what,
		       v, ref, r, v / r);
	else
		printf("  %-36s %10.0f /s\n", what, v);
	fflush(stdout);
}

static void bench_backend(const char *name, const char *url,
			  const char *load_url)
{
	ssm_client *c = NULL;
	ssm_store *store;
	double g1, g2, r1, r2, v, r;

	printf("%s (%s)\n", name, url);
	if (ssm_client_open(&c, ctx, url, NULL) < 0)
		die(url);
	store = ssm_client__service(c)->store;
	snprintf(head_prefix, sizeof(head_prefix), "%sparam/n/",
		 ssm_client__service(c)->prefix);
	load(load_url ? load_url : url);

	g1 = rate(url, NULL, 1, op_get, 0);
	r1 = rate(NULL, store, 1, op_raw_get, 0);
	row("GetParameter, 1 thread", g1, "raw store get", r1);
	g2 = rate(url, NULL, 2, op_get, 0);
	r2 = rate(NULL, store, 2, op_raw_get, 0);
	row("GetParameter, 2 threads", g2, "raw store get", r2);
	v = rate(url, NULL, 1, op_by_path, 0);
	r = rate(NULL, store, 1, op_raw_range, 0);
	row("GetParametersByPath pages (10)", v, "raw range of 11", r);
	v = rate(url, NULL, 1, op_get_secure, 0);
	r = rate(url, NULL, 1, op_get_string_small, 0);
	row("SecureString get (decrypted)", v, "String get", r);
	v = rate(url, NULL, 1, op_put, 2000);
	r = rate(NULL, store, 1, op_raw_put, 2000);
	row("PutParameter, 1 writer", v, "raw store txn (2 puts)", r);
	v = rate(url, NULL, 16, op_put, 2000);
	r = rate(NULL, store, 16, op_raw_put, 2000);
	row("PutParameter, 16 writers", v, "raw store txn (2 puts)", r);
	v = rate(url, NULL, 1, op_put_secure, 2000);
	r = rate(url, NULL, 1, op_put, 2000);
	row("SecureString put, 1 writer", v, "String put", r);
	v = rate(url, NULL, 16, op_put_secure, 2000);
	r = rate(url, NULL, 16, op_put, 2000);
	row("SecureString put, 16 writers", v, "String put", r);
	printf("  peak RSS so far                      %10ld MiB\n",
	       peak_rss_kib() / 1024);
	ssm_client_free(c);
}

int main(int argc, char **argv)
{
	char url[700], load_url[760];
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--params") == 0 && i + 1 < argc)
			nparams = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
			seconds = strtod(argv[++i], NULL);
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			snprintf(dir, sizeof(dir), "%s", argv[++i]);
		else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
			only = argv[++i];
		else {
			fprintf(stderr,
				"usage: bench_param [--params N] [--seconds S] "
				"[--dir DIR] [--only memory|sqlite]\n");
			return 2;
		}
	}
	if (nparams < 1000)
		nparams = 1000;
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/bench_param-XXXXXX");
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			return 1;
		}
	}
	if (ssm_init() < 0 || ssm_ctx_new(&ctx, NULL) < 0)
		die("init");
	printf("bench_param: %zu parameters in a 3-level hierarchy, %.1f s "
	       "per figure, %d loaders\n",
	       nparams, seconds, LOADERS);
	if (!only || strcmp(only, "memory") == 0)
		bench_backend("memory", "memory:", NULL);
	if (!only || strcmp(only, "sqlite") == 0) {
		snprintf(url, sizeof(url), "sqlite://%s/bench.db", dir);
		snprintf(load_url, sizeof(load_url),
			 "sqlite://%s/bench.db?synchronous=normal", dir);
		bench_backend("sqlite, synchronous=full", url, load_url);
	}
	printf("peak RSS: %ld MiB\n", peak_rss_kib() / 1024);
	ssm_ctx_free(ctx);
	ssm_shutdown();
	return 0;
}
