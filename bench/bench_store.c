/* SPDX-License-Identifier: Apache-2.0 */
/* bench_store: puts, gets and prefix-range rows per second of the memory:
 * and sqlite: stores, single-threaded and with 8 threads, and beside each
 * SQLite figure the same work done with raw SQLite calls on an equivalent
 * table in the same run (the limit for that backend), as a ratio; and of the
 * etcd: store with 1 and 16 callers beside the same requests sent to etcd's
 * JSON gateway with plain libcurl (no libssm logic).
 *
 *   bench_store [--keys N] [--durable-seconds S] [--dir DIR]
 *               [--backend memory|sqlite|etcd] [--etcd etcd://host:port,...]
 *               [--etcd-keys N] [--etcd-seconds S]
 *
 * DIR holds the SQLite files (default: a new directory under /tmp); it must
 * be on a real disk for the durable figures to mean anything (not tmpfs).
 * Durable puts run for at most S seconds (default 2) or 2,000 puts per
 * thread, whichever comes first. Without --etcd the benchmark starts its
 * own single etcd member ($SSM_ETCD_BIN or etcd from PATH; skipped when
 * there is none) with its data under /tmp; each etcd figure is measured in
 * alternating rounds for about S seconds (default 6) against its
 * reference, on N keys (default 10000). */
#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <pthread.h>
#include <sqlite3.h>

#include <curl/curl.h>

#include "ssm/ssm.h"
#include "ssm/sys/store.h"
#include "core/encode.h"
#include "core/thread.h"
#include "stores/sqlite.h"
#include "etcd_cluster.h"

#define VALUE_LEN 100
#define GROUP 100 /* keys per prefix group */
#define THREADS 8
#define MAX_THREADS 16	 /* etcd callers */
#define DURABLE_MAX 2000 /* durable puts per thread, at most */
#define ROUNDS 4 /* alternating rounds of a store figure and its reference */
#define LOAD_BATCH 100
#define TMPFS_MAGIC 0x01021994

static size_t nkeys = 100000;
static double durable_seconds = 2.0;
static char dir[512];
static char value[VALUE_LEN];
static size_t *perm; /* the order keys are loaded in */
#define KEY_LEN 12
#define ORDER_LEN (1u << 20)
static char (*keytab)[KEY_LEN]; /* key i, precomputed */
static uint32_t *order;		/* random key indexes for reads */

/* The key that thread @t reads as its @i-th. */
static const char *read_key(int t, uint64_t i)
{
	return keytab[order[(i * THREADS + (uint64_t)t) & (ORDER_LEN - 1)]];
}

static void key_of(char *out, size_t i)
{
	/* 12 bytes: "k/GGG/IIIIII", GROUP keys per "k/GGG/" prefix */
	snprintf(out, 32, "k/%03u/%06u", (unsigned)((i / GROUP) % 1000),
		 (unsigned)(i % 1000000));
}

/* A fixed pseudo-random sequence, the same for the store and raw SQLite. */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "bench_store: %s: %s\n", what, msg);
	exit(1);
}

static void die_store(const char *what)
{
	die(what, ssm_error_last()->message);
}

static void die_sql(const char *what, sqlite3 *db)
{
	die(what, sqlite3_errmsg(db));
}

/* ---- running an operation on N threads ----------------------------------- */

typedef void (*op_fn)(void *arg, int thread, uint64_t i);

struct run {
	op_fn fn;
	void *arg;
	uint64_t max_per_thread;
	uint64_t deadline_ns; /* 0: none */
	uint64_t done[MAX_THREADS];
	int thread;
	pthread_mutex_t lock;
};

struct run_thread {
	struct run *run;
	int id;
};

static void *run_main(void *p)
{
	struct run_thread *rt = p;
	struct run *r = rt->run;
	uint64_t i;

	for (i = 0; i < r->max_per_thread; i++) {
		if (r->deadline_ns && (i & 15) == 0 &&
		    ssm__mono_ns() > r->deadline_ns)
			break;
		r->fn(r->arg, rt->id, i);
	}
	r->done[rt->id] = i;
	return NULL;
}

/* Totals of several runs of one measurement. */
struct acc {
	uint64_t ops;
	uint64_t ns;
};

static double acc_rate(const struct acc *a)
{
	return a->ns ? (double)a->ops / ((double)a->ns / 1e9) : 0;
}

/* Operations per second of @fn on @nthreads threads; adds to @acc. */
static double run_ops_acc(op_fn fn, void *arg, int nthreads,
			  uint64_t max_per_thread, double max_seconds,
			  struct acc *acc)
{
	struct run r;
	struct run_thread rt[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	uint64_t start, total = 0;
	int i;

	memset(&r, 0, sizeof(r));
	r.fn = fn;
	r.arg = arg;
	r.max_per_thread = max_per_thread;
	start = ssm__mono_ns();
	if (max_seconds > 0)
		r.deadline_ns = start + (uint64_t)(max_seconds * 1e9);
	for (i = 0; i < nthreads; i++) {
		rt[i].run = &r;
		rt[i].id = i;
	}
	if (nthreads == 1) {
		run_main(&rt[0]);
	} else {
		for (i = 0; i < nthreads; i++)
			pthread_create(&th[i], NULL, run_main, &rt[i]);
		for (i = 0; i < nthreads; i++)
			pthread_join(th[i], NULL);
	}
	for (i = 0; i < nthreads; i++)
		total += r.done[i];
	start = ssm__mono_ns() - start;
	if (acc) {
		acc->ops += total;
		acc->ns += start;
	}
	return (double)total / ((double)start / 1e9);
}

/* Rates of two operations measured in alternating rounds, so that drift of
 * the machine (other load, the disk) hits both alike. */
static void paired(op_fn a, void *a_arg, op_fn b, void *b_arg, int nthreads,
		   uint64_t per_thread, double *a_rate, double *b_rate)
{
	struct acc x = { 0, 0 }, y = { 0, 0 };
	int round;

	for (round = 0; round < ROUNDS; round++) {
		run_ops_acc(a, a_arg, nthreads, per_thread / ROUNDS, 0, &x);
		run_ops_acc(b, b_arg, nthreads, per_thread / ROUNDS, 0, &y);
	}
	*a_rate = acc_rate(&x);
	*b_rate = acc_rate(&y);
}

static double run_ops(op_fn fn, void *arg, int nthreads,
		      uint64_t max_per_thread, double max_seconds)
{
	return run_ops_acc(fn, arg, nthreads, max_per_thread, max_seconds,
			   NULL);
}

/* ---- the store ------------------------------------------------------------
 */

struct store_bench {
	ssm_store *store;
	uint64_t seq[MAX_THREADS];
};

static void store_load(void *arg, int thread, uint64_t i)
{
	struct store_bench *b = arg;
	ssm_store_op ops[LOAD_BATCH];
	char keys[LOAD_BATCH][32];
	size_t n = 0, k;

	(void)thread;
	for (k = (size_t)i * LOAD_BATCH; k < nkeys && n < LOAD_BATCH; k++) {
		key_of(keys[n], perm[k]);
		ops[n] = (ssm_store_op){ SSM_STORE_OP_PUT, keys[n], 12, value,
					 VALUE_LEN,	   0 };
		n++;
	}
	if (ssm_store_txn(NULL, b->store, NULL, 0, ops, n) < 0)
		die_store("load");
}

static void store_put(void *arg, int thread, uint64_t i)
{
	struct store_bench *b = arg;
	const char *key = read_key(thread, i);

	if (ssm_store_put(NULL, b->store, key, KEY_LEN, value, VALUE_LEN,
			  NULL) < 0)
		die_store("put");
}

static void store_durable_put(void *arg, int thread, uint64_t i)
{
	struct store_bench *b = arg;
	char key[32];

	snprintf(key, sizeof(key), "d/%d/%" PRIu64 "/%" PRIu64, thread,
		 b->seq[thread], i);
	if (ssm_store_put(NULL, b->store, key, strlen(key), value, VALUE_LEN,
			  NULL) < 0)
		die_store("durable put");
}

static void store_get(void *arg, int thread, uint64_t i)
{
	struct store_bench *b = arg;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	const char *key = read_key(thread, i);

	if (ssm_store_get(&kv, b->store, key, KEY_LEN) < 0)
		die_store("get");
	ssm_store_kv_dispose(&kv);
}

static void store_range(void *arg, int thread, uint64_t i)
{
	struct store_bench *b = arg;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	char prefix[16];
	size_t groups = (nkeys + GROUP - 1) / GROUP;

	snprintf(prefix, sizeof(prefix), "k/%03zu/",
		 (size_t)(mix(i * THREADS + (uint64_t)thread) % groups) % 1000);
	if (ssm_store_range(&kvs, b->store, prefix, 6, NULL) < 0)
		die_store("range");
	ssm_store_kvs_dispose(&kvs);
}

/* ---- raw SQLite on an equivalent table ------------------------------------
 */

struct raw_conn {
	sqlite3 *db;
	sqlite3_stmt *get, *put, *range, *begin, *commit;
};

struct raw_bench {
	char path[600];
	struct raw_conn conn[THREADS];
	uint64_t seq;
};

static void raw_open(struct raw_conn *c, const char *path)
{
	if (sqlite3_open_v2(path, &c->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				    SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK)
		die_sql("raw open", c->db);
	sqlite3_busy_timeout(c->db, 60000);
	if (sqlite3_exec(c->db,
			 "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
			 "CREATE TABLE IF NOT EXISTS kv(key BLOB PRIMARY KEY "
			 "NOT NULL, create_rev INTEGER NOT NULL, mod_rev "
			 "INTEGER NOT NULL, version INTEGER NOT NULL, value "
			 "BLOB NOT NULL) WITHOUT ROWID",
			 NULL, NULL, NULL) != SQLITE_OK)
		die_sql("raw schema", c->db);
	if (sqlite3_prepare_v2(c->db,
			       "SELECT value, create_rev, mod_rev, version "
			       "FROM kv WHERE key = ?1",
			       -1, &c->get, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db,
			       "INSERT OR REPLACE INTO kv VALUES "
			       "(?1, 1, 1, 1, ?2)",
			       -1, &c->put, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db,
			       "SELECT key, value, create_rev, mod_rev, "
			       "version FROM kv WHERE key >= ?1 AND key < ?2 "
			       "ORDER BY key",
			       -1, &c->range, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "BEGIN", -1, &c->begin, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "COMMIT", -1, &c->commit, NULL) !=
		    SQLITE_OK)
		die_sql("raw prepare", c->db);
}

static void raw_close(struct raw_conn *c)
{
	sqlite3_finalize(c->get);
	sqlite3_finalize(c->put);
	sqlite3_finalize(c->range);
	sqlite3_finalize(c->begin);
	sqlite3_finalize(c->commit);
	sqlite3_close(c->db);
	memset(c, 0, sizeof(*c));
}

static void raw_step_done(struct raw_conn *c, sqlite3_stmt *st,
			  const char *what)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die_sql(what, c->db);
	sqlite3_reset(st);
}

static void raw_insert(struct raw_conn *c, const char *key, size_t key_len)
{
	sqlite3_bind_blob(c->put, 1, key, (int)key_len, SQLITE_STATIC);
	sqlite3_bind_blob(c->put, 2, value, VALUE_LEN, SQLITE_STATIC);
	raw_step_done(c, c->put, "raw insert");
}

static void raw_load(void *arg, int thread, uint64_t i)
{
	struct raw_bench *b = arg;
	struct raw_conn *c = &b->conn[0];
	char key[32];
	size_t k;

	(void)thread;
	raw_step_done(c, c->begin, "raw begin");
	for (k = (size_t)i * LOAD_BATCH;
	     k < nkeys && k < ((size_t)i + 1) * LOAD_BATCH; k++) {
		key_of(key, perm[k]);
		raw_insert(c, key, 12);
	}
	raw_step_done(c, c->commit, "raw commit");
}

/* One durable single-row transaction (autocommit), each thread on its own
 * connection. */
static void raw_durable_put(void *arg, int thread, uint64_t i)
{
	struct raw_bench *b = arg;
	char key[48];

	snprintf(key, sizeof(key), "d/%d/%" PRIu64 "/%" PRIu64, thread, b->seq,
		 i);
	raw_insert(&b->conn[thread], key, strlen(key));
}

static void raw_get(void *arg, int thread, uint64_t i)
{
	struct raw_bench *b = arg;
	struct raw_conn *c = &b->conn[thread];
	const char *key = read_key(thread, i);

	sqlite3_bind_blob(c->get, 1, key, KEY_LEN, SQLITE_STATIC);
	if (sqlite3_step(c->get) != SQLITE_ROW ||
	    sqlite3_column_bytes(c->get, 0) != VALUE_LEN)
		die_sql("raw get", c->db);
	(void)sqlite3_column_blob(c->get, 0);
	sqlite3_reset(c->get);
}

static void raw_range(void *arg, int thread, uint64_t i)
{
	struct raw_bench *b = arg;
	struct raw_conn *c = &b->conn[thread];
	size_t groups = (nkeys + GROUP - 1) / GROUP;
	char lo[16], hi[16];
	int rc;

	snprintf(lo, sizeof(lo), "k/%03zu/",
		 (size_t)(mix(i * THREADS + (uint64_t)thread) % groups) % 1000);
	memcpy(hi, lo, 7);
	hi[5] = '/' + 1;
	sqlite3_bind_blob(c->range, 1, lo, 6, SQLITE_STATIC);
	sqlite3_bind_blob(c->range, 2, hi, 6, SQLITE_STATIC);
	while ((rc = sqlite3_step(c->range)) == SQLITE_ROW) {
		(void)sqlite3_column_blob(c->range, 0);
		(void)sqlite3_column_blob(c->range, 1);
	}
	if (rc != SQLITE_DONE)
		die_sql("raw range", c->db);
	sqlite3_reset(c->range);
}

/* ---- reporting --------------------------------------------------------------
 */

static void row(const char *backend, const char *what, double store,
		const char *raw_what, double raw)
{
	if (raw > 0)
		printf("%-7s %-28s %12.0f   %-26s %12.0f   %5.2fx\n", backend,
		       what, store, raw_what, raw, store / raw);
	else
		printf("%-7s %-28s %12.0f\n", backend, what, store);
	fflush(stdout);
}

static void goal(const char *what, double have, double want, const char *unit)
{
	printf("goal: %-44s %10.2f%s (>= %.2f%s) %s\n", what, have, unit, want,
	       unit, have >= want ? "met" : "NOT met");
}

/* ---- the benchmark ----------------------------------------------------------
 */

static void bench_memory(ssm_ctx *ctx, double *get_rate)
{
	struct store_bench b;
	double r;

	memset(&b, 0, sizeof(b));
	if (ssm_store_open(&b.store, ctx, "memory:") < 0)
		die_store("open memory:");
	r = run_ops(store_load, &b, 1, (nkeys + LOAD_BATCH - 1) / LOAD_BATCH,
		    0);
	row("memory", "load, 100 puts/txn (rows)", r * LOAD_BATCH, "", 0);
	r = run_ops(store_put, &b, 1, nkeys, 0);
	row("memory", "put (1 thread)", r, "", 0);
	r = run_ops(store_put, &b, THREADS, nkeys / THREADS, 0);
	row("memory", "put (8 threads)", r, "", 0);
	*get_rate = run_ops(store_get, &b, 1, nkeys * 10, 0);
	row("memory", "get (1 thread)", *get_rate, "", 0);
	r = run_ops(store_get, &b, THREADS, nkeys * 10 / THREADS, 0);
	row("memory", "get (8 threads)", r, "", 0);
	r = run_ops(store_range, &b, 1, nkeys / 10, 0);
	row("memory", "range rows (1 thread)", r * GROUP, "", 0);
	r = run_ops(store_range, &b, THREADS, nkeys / 10 / THREADS, 0);
	row("memory", "range rows (8 threads)", r * GROUP, "", 0);
	ssm_store_close(b.store);
}

static void bench_sqlite(ssm_ctx *ctx, double *get_ratio, double *gc_ratio)
{
	struct store_bench b;
	struct raw_bench *raw = calloc(1, sizeof(*raw));
	ssm_sqlite_stats s0, s1, s2;
	struct acc acc[4];
	uint64_t requests8 = 0, commits8 = 0;
	int round;
	char url[700];
	double r, rr, put1, put8;
	int i;

	if (!raw)
		die("bench", "out of memory");
	memset(&b, 0, sizeof(b));
	snprintf(url, sizeof(url), "sqlite://%s/store.db", dir);
	snprintf(raw->path, sizeof(raw->path), "%s/raw.db", dir);
	if (ssm_store_open(&b.store, ctx, url) < 0)
		die_store("open sqlite:");
	for (i = 0; i < THREADS; i++)
		raw_open(&raw->conn[i], raw->path);

	r = run_ops(store_load, &b, 1, (nkeys + LOAD_BATCH - 1) / LOAD_BATCH,
		    0);
	rr = run_ops(raw_load, raw, 1, (nkeys + LOAD_BATCH - 1) / LOAD_BATCH,
		     0);
	row("sqlite", "load, 100 puts/txn (rows)", r * LOAD_BATCH,
	    "raw 100 inserts/txn", rr * LOAD_BATCH);

	paired(store_get, &b, raw_get, raw, 1, nkeys * 2, &r, &rr);
	*get_ratio = r / rr;
	row("sqlite", "get (1 thread)", r, "raw point select", rr);
	paired(store_get, &b, raw_get, raw, THREADS, nkeys * 2 / THREADS, &r,
	       &rr);
	row("sqlite", "get (8 threads)", r, "raw, 8 connections", rr);

	paired(store_range, &b, raw_range, raw, 1, nkeys / 20, &r, &rr);
	row("sqlite", "range rows (1 thread)", r * GROUP, "raw range select",
	    rr * GROUP);
	paired(store_range, &b, raw_range, raw, THREADS, nkeys / 20 / THREADS,
	       &r, &rr);
	row("sqlite", "range rows (8 threads)", r * GROUP, "raw, 8 connections",
	    rr * GROUP);

	/* the disk's fsync latency drifts: interleave short rounds of the
	 * four measurements so that drift hits them all alike */
	memset(acc, 0, sizeof(acc));
	if (ssm_sqlite__stats(&s0, b.store) < 0)
		die_store("stats");
	for (round = 0; round < ROUNDS; round++) {
		run_ops_acc(store_durable_put, &b, 1, DURABLE_MAX / ROUNDS,
			    durable_seconds / ROUNDS, &acc[0]);
		b.seq[0]++;
		run_ops_acc(raw_durable_put, raw, 1, DURABLE_MAX / ROUNDS,
			    durable_seconds / ROUNDS, &acc[1]);
		raw->seq++;
		if (ssm_sqlite__stats(&s1, b.store) < 0)
			die_store("stats");
		run_ops_acc(store_durable_put, &b, THREADS,
			    DURABLE_MAX / ROUNDS, durable_seconds / ROUNDS,
			    &acc[2]);
		if (ssm_sqlite__stats(&s2, b.store) < 0)
			die_store("stats");
		requests8 += s2.requests - s1.requests;
		commits8 += s2.commits - s1.commits;
		for (i = 0; i < THREADS; i++)
			b.seq[i]++;
		run_ops_acc(raw_durable_put, raw, THREADS, DURABLE_MAX / ROUNDS,
			    durable_seconds / ROUNDS, &acc[3]);
		raw->seq++;
	}
	put1 = acc_rate(&acc[0]);
	put8 = acc_rate(&acc[2]);
	row("sqlite", "durable put (1 thread)", put1, "raw 1-row txn, 1 writer",
	    acc_rate(&acc[1]));
	row("sqlite", "durable put (8 threads)", put8,
	    "raw 1-row txn, 8 writers", acc_rate(&acc[3]));
	printf("sqlite  group commit: %" PRIu64 " puts in %" PRIu64
	       " commits (%.1f per commit); 8 threads / 1 thread = %.2fx "
	       "(at most 8x: 8 writers, each waiting for its put)\n",
	       requests8, commits8,
	       (double)requests8 / (double)(commits8 ? commits8 : 1),
	       put8 / put1);
	*gc_ratio = put8 / put1;

	for (i = 0; i < THREADS; i++)
		raw_close(&raw->conn[i]);
	ssm_store_close(b.store);
	free(raw);
}

/* ---- etcd, and its gateway with plain libcurl ------------------------------
 */

static size_t etcd_nkeys = 10000;
static double etcd_seconds = 6.0;
static char etcd_prefix[64];

/* Key @i of the etcd figures: the first etcd_nkeys keys only. */
static const char *etcd_key(int t, uint64_t i)
{
	return keytab[order[(i * MAX_THREADS + (uint64_t)t) & (ORDER_LEN - 1)] %
		      etcd_nkeys];
}

static void etcd_get(void *arg, int thread, uint64_t i)
{
	struct store_bench *b = arg;
	ssm_store_kv kv = SSM_STORE_KV_INIT;

	if (ssm_store_get(&kv, b->store, etcd_key(thread, i), KEY_LEN) < 0)
		die_store("etcd get");
	ssm_store_kv_dispose(&kv);
}

static void etcd_put(void *arg, int thread, uint64_t i)
{
	struct store_bench *b = arg;

	if (ssm_store_put(NULL, b->store, etcd_key(thread, i), KEY_LEN, value,
			  VALUE_LEN, NULL) < 0)
		die_store("etcd put");
}

static void etcd_group(char *out, int thread, uint64_t i)
{
	size_t groups = (etcd_nkeys + GROUP - 1) / GROUP;

	snprintf(out, 16, "k/%03zu/",
		 (size_t)(mix(i * MAX_THREADS + (uint64_t)thread) % groups) %
			 1000);
}

static void etcd_range(void *arg, int thread, uint64_t i)
{
	struct store_bench *b = arg;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	char prefix[16];

	etcd_group(prefix, thread, i);
	if (ssm_store_range(&kvs, b->store, prefix, 6, NULL) < 0)
		die_store("etcd range");
	ssm_store_kvs_dispose(&kvs);
}

struct raw_sink {
	size_t bytes;
};

struct raw_etcd {
	char base[300];
	CURL *h[MAX_THREADS];
	struct curl_slist *headers;
	struct raw_sink sink[MAX_THREADS];
	char (*key64)[64]; /* base64 of prefix + key, per key */
	char value64[SSM_BASE64_LEN(VALUE_LEN) + 1];
};

static size_t raw_sink_cb(char *data, size_t size, size_t n, void *payload)
{
	struct raw_sink *s = payload;

	(void)data;
	s->bytes += size * n;
	return size * n;
}

static void raw_etcd_post(struct raw_etcd *r, int thread, const char *path,
			  const char *body, size_t len)
{
	CURL *h = r->h[thread];
	char url[400];
	long status = 0;

	snprintf(url, sizeof(url), "%s%s", r->base, path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)len);
	if (curl_easy_perform(h) != CURLE_OK)
		die("raw etcd", "request failed");
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200)
		die("raw etcd", "status is not 200");
}

static size_t raw_index(int thread, uint64_t i)
{
	return (size_t)(etcd_key(thread, i) - keytab[0]) / KEY_LEN;
}

static void raw_etcd_get(void *arg, int thread, uint64_t i)
{
	struct raw_etcd *r = arg;
	char body[128];
	int n = snprintf(body, sizeof(body), "{\"key\":\"%s\"}",
			 r->key64[raw_index(thread, i)]);

	raw_etcd_post(r, thread, "/v3/kv/range", body, (size_t)n);
}

static void raw_etcd_put(void *arg, int thread, uint64_t i)
{
	struct raw_etcd *r = arg;
	char body[300];
	int n = snprintf(body, sizeof(body),
			 "{\"key\":\"%s\",\"value\":\"%s\"}",
			 r->key64[raw_index(thread, i)], r->value64);

	raw_etcd_post(r, thread, "/v3/kv/put", body, (size_t)n);
}

static void raw_etcd_range(void *arg, int thread, uint64_t i)
{
	struct raw_etcd *r = arg;
	char group[16], lo[96], hi[96], lo64[140], hi64[140], body[400];
	int n;

	etcd_group(group, thread, i);
	n = snprintf(lo, sizeof(lo), "%s%s", etcd_prefix, group);
	memcpy(hi, lo, (size_t)n);
	hi[n - 1]++; /* "k/GGG/" -> "k/GGG0" */
	ssm_base64_encode(lo64, lo, (size_t)n);
	ssm_base64_encode(hi64, hi, (size_t)n);
	n = snprintf(body, sizeof(body),
		     "{\"key\":\"%s\",\"range_end\":\"%s\"}", lo64, hi64);
	raw_etcd_post(r, thread, "/v3/kv/range", body, (size_t)n);
}

/* Alternating rounds of a store figure and its reference, for about
 * etcd_seconds in all. */
static void etcd_paired(op_fn a, void *a_arg, op_fn b, void *b_arg,
			int nthreads, double *a_rate, double *b_rate)
{
	struct acc x = { 0, 0 }, y = { 0, 0 };
	double per = etcd_seconds / ROUNDS / 2;
	int round;

	for (round = 0; round < ROUNDS; round++) {
		run_ops_acc(a, a_arg, nthreads, UINT64_MAX, per, &x);
		run_ops_acc(b, b_arg, nthreads, UINT64_MAX, per, &y);
	}
	*a_rate = acc_rate(&x);
	*b_rate = acc_rate(&y);
}

static bool bench_etcd(ssm_ctx *ctx, const char *hosts_arg, double ratios[6])
{
	struct ssm_etcd_cluster cluster;
	struct store_bench b;
	struct raw_etcd *raw = calloc(1, sizeof(*raw));
	const char *hosts = hosts_arg;
	char url[600], full[96];
	double r, rr;
	size_t k;
	int i, threads[2] = { 1, MAX_THREADS }, t;

	if (!raw)
		die("bench", "out of memory");
	memset(&cluster, 0, sizeof(cluster));
	if (!hosts) {
		if (ssm_etcd_start(&cluster, 1, NULL) < 0) {
			printf("etcd    (skipped: could not start etcd)\n");
			free(raw);
			return false;
		}
		hosts = cluster.hosts;
		printf("etcd    one member started at %s, data in %s\n", hosts,
		       cluster.root);
	}
	if (etcd_nkeys > nkeys)
		etcd_nkeys = nkeys;
	snprintf(etcd_prefix, sizeof(etcd_prefix), "bench-%d/", (int)getpid());
	snprintf(url, sizeof(url), "etcd://%s/%s", hosts, etcd_prefix);
	memset(&b, 0, sizeof(b));
	if (ssm_store_open(&b.store, ctx, url) < 0)
		die_store("open etcd:");

	/* the reference: the same requests, prebuilt, on plain handles */
	snprintf(raw->base, sizeof(raw->base), "http://%.*s",
		 (int)strcspn(hosts, ","), hosts);
	raw->headers =
		curl_slist_append(NULL, "Content-Type: application/json");
	for (i = 0; i < MAX_THREADS; i++) {
		raw->h[i] = curl_easy_init();
		curl_easy_setopt(raw->h[i], CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(raw->h[i], CURLOPT_HTTPHEADER, raw->headers);
		curl_easy_setopt(raw->h[i], CURLOPT_WRITEFUNCTION, raw_sink_cb);
		curl_easy_setopt(raw->h[i], CURLOPT_WRITEDATA, &raw->sink[i]);
	}
	raw->key64 = calloc(etcd_nkeys, sizeof(*raw->key64));
	if (!raw->key64)
		die("bench", "out of memory");
	for (k = 0; k < etcd_nkeys; k++) {
		int n = snprintf(full, sizeof(full), "%s%.*s", etcd_prefix,
				 KEY_LEN, keytab[k]);

		ssm_base64_encode(raw->key64[k], full, (size_t)n);
	}
	ssm_base64_encode(raw->value64, value, VALUE_LEN);

	/* load: the first etcd_nkeys keys, 100 puts per transaction */
	{
		size_t saved = nkeys, *saved_perm = perm,
		       *p = malloc(etcd_nkeys * sizeof(*p));

		for (k = 0; k < etcd_nkeys; k++)
			p[k] = k;
		nkeys = etcd_nkeys;
		perm = p;
		r = run_ops(store_load, &b, 1,
			    (etcd_nkeys + LOAD_BATCH - 1) / LOAD_BATCH, 0);
		nkeys = saved;
		perm = saved_perm;
		free(p);
		row("etcd", "load, 100 puts/txn (rows)", r * LOAD_BATCH, "", 0);
	}
	for (t = 0; t < 2; t++) {
		char what[40], ref[40];

		etcd_paired(etcd_get, &b, raw_etcd_get, raw, threads[t], &r,
			    &rr);
		snprintf(what, sizeof(what), "get (%d caller%s)", threads[t],
			 threads[t] > 1 ? "s" : "");
		snprintf(ref, sizeof(ref), "raw /v3/kv/range");
		row("etcd", what, r, ref, rr);
		ratios[t * 3] = r / rr;
		etcd_paired(etcd_put, &b, raw_etcd_put, raw, threads[t], &r,
			    &rr);
		snprintf(what, sizeof(what), "put (%d caller%s)", threads[t],
			 threads[t] > 1 ? "s" : "");
		snprintf(ref, sizeof(ref), "raw /v3/kv/put");
		row("etcd", what, r, ref, rr);
		ratios[t * 3 + 1] = r / rr;
		etcd_paired(etcd_range, &b, raw_etcd_range, raw, threads[t], &r,
			    &rr);
		snprintf(what, sizeof(what), "range rows (%d caller%s)",
			 threads[t], threads[t] > 1 ? "s" : "");
		snprintf(ref, sizeof(ref), "raw range, 100 keys");
		row("etcd", what, r * GROUP, ref, rr * GROUP);
		ratios[t * 3 + 2] = r / rr;
	}
	for (i = 0; i < MAX_THREADS; i++)
		curl_easy_cleanup(raw->h[i]);
	curl_slist_free_all(raw->headers);
	free(raw->key64);
	free(raw);
	ssm_store_close(b.store);
	if (!hosts_arg)
		ssm_etcd_stop(&cluster);
	return true;
}

int main(int argc, char **argv)
{
	ssm_ctx *ctx = NULL;
	struct statfs sf;
	double mem_get = 0, get_ratio = 0, gc_ratio = 0, etcd_ratios[6];
	const char *etcd_hosts = NULL;
	bool etcd_ran = false;
	bool own_dir = false;
	const char *only = NULL;
	int64_t t0 = ssm__mono_ms();
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--keys") == 0 && i + 1 < argc)
			nkeys = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--durable-seconds") == 0 &&
			 i + 1 < argc)
			durable_seconds = strtod(argv[++i], NULL);
		else if (strcmp(argv[i], "--backend") == 0 && i + 1 < argc)
			only = argv[++i];
		else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
			snprintf(dir, sizeof(dir), "%s", argv[++i]);
		else if (strcmp(argv[i], "--etcd") == 0 && i + 1 < argc) {
			etcd_hosts = argv[++i];
			if (strncmp(etcd_hosts, "etcd://", 7) == 0)
				etcd_hosts += 7;
		} else if (strcmp(argv[i], "--etcd-keys") == 0 && i + 1 < argc)
			etcd_nkeys = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--etcd-seconds") == 0 && i + 1 < argc)
			etcd_seconds = strtod(argv[++i], NULL);
		else {
			fprintf(stderr,
				"usage: %s [--keys N] [--durable-seconds S] "
				"[--dir DIR] [--backend memory|sqlite|etcd] "
				"[--etcd etcd://host:port,...] [--etcd-keys N] "
				"[--etcd-seconds S]\n",
				argv[0]);
			return 2;
		}
	}
	if (nkeys < GROUP * THREADS)
		nkeys = GROUP * THREADS;
	if (nkeys > 1000000)
		nkeys = 1000000; /* keys are 12 bytes: "k/GGG/IIIIII" */
	if (!*dir) {
		snprintf(dir, sizeof(dir), "/tmp/ssm-bench-store-XXXXXX");
		if (!mkdtemp(dir))
			die("mkdtemp", strerror(errno));
		own_dir = true;
	}
	for (i = 0; i < VALUE_LEN; i++)
		value[i] = (char)('a' + (i * 7) % 26);
	perm = malloc(nkeys * sizeof(*perm));
	if (!perm)
		die("bench", "out of memory");
	keytab = malloc(nkeys * KEY_LEN);
	order = malloc(ORDER_LEN * sizeof(*order));
	if (!keytab || !order)
		die("bench", "out of memory");
	for (size_t k = 0; k < nkeys; k++) {
		char tmp[32];

		key_of(tmp, k);
		memcpy(keytab[k], tmp, KEY_LEN);
		perm[k] = k;
	}
	for (size_t k = 0; k < ORDER_LEN; k++)
		order[k] = (uint32_t)(mix(k + 12345) % nkeys);
	for (size_t k = nkeys - 1; k > 0; k--) {
		size_t j = (size_t)(mix(k) % (k + 1)), tmp = perm[k];

		perm[k] = perm[j];
		perm[j] = tmp;
	}
	if (ssm_init() < 0 || ssm_ctx_new(&ctx, NULL) < 0)
		die_store("init");

	printf("bench_store: %zu keys, %d-byte values, %d threads; sqlite "
	       "files in %s (synchronous=FULL, WAL); durable puts: up to "
	       "%d per thread or %.1f s\n",
	       nkeys, VALUE_LEN, THREADS, dir, DURABLE_MAX, durable_seconds);
	if (statfs(dir, &sf) == 0 && sf.f_type == TMPFS_MAGIC)
		printf("warning: %s is on tmpfs: fsync is free there, so the "
		       "durable figures mean nothing\n",
		       dir);
	printf("%-7s %-28s %12s   %-26s %12s   %6s\n", "backend", "operation",
	       "store/s", "reference", "ref/s", "ratio");
	if (!only || strcmp(only, "memory") == 0)
		bench_memory(ctx, &mem_get);
	if (!only || strcmp(only, "sqlite") == 0)
		bench_sqlite(ctx, &get_ratio, &gc_ratio);
	if (!only || strcmp(only, "etcd") == 0)
		etcd_ran = bench_etcd(ctx, etcd_hosts, etcd_ratios);

	if (!only || strcmp(only, "memory") == 0)
		goal("memory get (1 thread)", mem_get / 1e6, 1.0, "M/s");
	if (!only || strcmp(only, "sqlite") == 0) {
		goal("sqlite get / raw point select", get_ratio, 0.7, "x");
		goal("sqlite durable put, 8 threads / 1 thread", gc_ratio, 10.0,
		     "x");
	}
	if (etcd_ran) {
		static const char *const names[6] = {
			"etcd get / raw gateway (1 caller)",
			"etcd put / raw gateway (1 caller)",
			"etcd range / raw gateway (1 caller)",
			"etcd get / raw gateway (16 callers)",
			"etcd put / raw gateway (16 callers)",
			"etcd range / raw gateway (16 callers)",
		};

		for (i = 0; i < 6; i++)
			goal(names[i], etcd_ratios[i], 0.8, "x");
	}
	printf("total %.1f s\n", (double)(ssm__mono_ms() - t0) / 1000.0);

	ssm_ctx_free(ctx);
	ssm_shutdown();
	free(perm);
	free(keytab);
	free(order);
	if (own_dir) {
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
	}
	return 0;
}
