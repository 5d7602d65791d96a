/* SPDX-License-Identifier: Apache-2.0 */
/* The etcd: store against real etcd members this test starts itself
 * (tests/support/etcd_cluster.h): URLs and options, foreign data, limits,
 * unreachable members, authentication, TLS, and faults on a 3-member
 * cluster: a member killed during writes, the leader killed and restarted,
 * a watch that outlives a member's restart. The conformance suite
 * (test_store etcd) covers the store's semantics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <pthread.h>

#include "ssm/ssm.h"
#include "ssm/sys/store.h"
#include "core/encode.h"
#include "core/thread.h"
#include "etcd_cluster.h"

static struct ssm_etcd_cluster one;   /* a single member, shared */
static struct ssm_etcd_cluster three; /* three members, shared */
static char tmpdir[256];
static unsigned prefix_no;

struct fixture {
	ssm_ctx *ctx;
	ssm_store *store;
	char prefix[64];
	struct ssm_etcd_cluster own; /* a case's own cluster, if any */
};

/* A fresh prefix per use, so cases never see each other's keys. */
static const char *fresh_prefix(void)
{
	static char p[64];

	snprintf(p, sizeof(p), "t%u-%d", ++prefix_no, (int)getpid());
	return p;
}

static void make_url(char *out, size_t len, const struct ssm_etcd_cluster *c,
		     const char *prefix, const char *opts)
{
	snprintf(out, len, "etcd://%s/%s%s%s", c->hosts, prefix,
		 opts && *opts ? "?" : "", opts ? opts : "");
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || ssm_ctx_new(&f->ctx, NULL) < 0)
		return -1;
	snprintf(f->prefix, sizeof(f->prefix), "%s", fresh_prefix());
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ssm_store_close(f->store);
	ssm_etcd_stop(&f->own); /* also when the case failed half-way */
	ssm_ctx_free(f->ctx);
	free(f);
	return 0;
}

static void open_on(struct fixture *f, const struct ssm_etcd_cluster *c,
		    const char *opts)
{
	char url[700];

	make_url(url, sizeof(url), c, f->prefix, opts);
	if (ssm_store_open(&f->store, f->ctx, url) < 0)
		fail_msg("open %s: %s", url, ssm_error_last()->message);
}

static ssm_err open_err(struct fixture *f, const char *url)
{
	ssm_store *s = (ssm_store *)1;
	ssm_err e = ssm_store_open(&s, f->ctx, url);

	assert_true(e < 0);
	assert_null(s);
	return e;
}

static uint64_t put_s(ssm_store *s, const char *k, const char *v)
{
	uint64_t rev = 0;

	if (ssm_store_put(&rev, s, k, strlen(k), v, strlen(v), NULL) < 0)
		fail_msg("put %s: %s", k, ssm_error_last()->message);
	return rev;
}

static void assert_value(ssm_store *s, const char *k, const char *v)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;

	if (ssm_store_get(&kv, s, k, strlen(k)) < 0)
		fail_msg("get %s: %s", k, ssm_error_last()->message);
	assert_int_equal(strlen(v), kv.value.size);
	assert_memory_equal(v, kv.value.ptr, kv.value.size);
	ssm_store_kv_dispose(&kv);
}

/* Put a key straight into etcd, past libssm. */
static void raw_put(struct ssm_etcd_cluster *c, const char *k, const char *v)
{
	char body[512], k64[200], v64[200], out[512];

	ssm_base64_encode(k64, k, strlen(k));
	ssm_base64_encode(v64, v, strlen(v));
	snprintf(body, sizeof(body), "{\"key\":\"%s\",\"value\":\"%s\"}", k64,
		 v64);
	assert_int_equal(
		200, ssm_etcd_post(c, 0, "/v3/kv/put", body, out, sizeof(out)));
}

/* The value of a raw etcd key, or "" when absent. */
static void raw_get(struct ssm_etcd_cluster *c, const char *k, char *v,
		    size_t vlen)
{
	char body[300], k64[200], out[2048];
	const char *p;
	size_t n = 0;

	ssm_base64_encode(k64, k, strlen(k));
	snprintf(body, sizeof(body), "{\"key\":\"%s\"}", k64);
	assert_int_equal(200, ssm_etcd_post(c, 0, "/v3/kv/range", body, out,
					    sizeof(out)));
	v[0] = '\0';
	p = strstr(out, "\"value\":\"");
	if (!p)
		return;
	p += 9;
	if (ssm_base64_decode(v, &n, vlen - 1, p, strcspn(p, "\"")) == SSM_OK)
		v[n] = '\0';
}

/* ---- URLs and options ------------------------------------------------------
 */

static void malformed_urls_are_refused_with_clear_messages(void **state)
{
	struct fixture *f = *state;
	char url[700];

	assert_int_equal(SSM_EINVALID, open_err(f, "etcd:"));
	assert_string_equal("etcd store URL 'etcd:' has no endpoints (use "
			    "etcd://host:port[,host:port]/prefix)",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, open_err(f, "etcd:///p"));
	assert_string_equal("etcd store URL 'etcd:///p' has an empty or too "
			    "long endpoint",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, open_err(f, "etcd://127.0.0.1:99999/p"));
	assert_string_equal("etcd store URL 'etcd://127.0.0.1:99999/p': bad "
			    "endpoint '127.0.0.1:99999' (want host:port)",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, open_err(f, "etcd://a,,b/p"));
	assert_int_equal(SSM_EINVALID, open_err(f, "etcd://h o:1/p"));
	assert_int_equal(SSM_EINVALID, open_err(f, "etcd://127.0.0.1:2379"));
	assert_string_equal("etcd store URL 'etcd://127.0.0.1:2379' has no "
			    "prefix (use etcd://host:port/prefix; all keys "
			    "live under it)",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 open_err(f, "etcd://127.0.0.1:2379/?timeout=5"));
	assert_int_equal(SSM_EINVALID,
			 open_err(f, "etcd://127.0.0.1:2379/p?timeout=x"));
	assert_string_equal("etcd store option timeout=x is not a number of "
			    "milliseconds in 1..3600000",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 open_err(f, "etcd://127.0.0.1:2379/p?tls=yes"));
	assert_string_equal("etcd store option tls=yes must be 0 or 1",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, open_err(f, "etcd://127.0.0.1:2379/p?"
						   "max_request_bytes=12"));
	/* a password never shows, even when the URL is wrong */
	assert_int_equal(SSM_EINVALID,
			 open_err(f, "etcd://127.0.0.1:2379/p?user=u&"
				     "password=hunter2&color=red"));
	assert_string_equal("unknown etcd store option 'color'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 open_err(f, "etcd://127.0.0.1:2379/p?password="
				     "hunter2&user"));
	assert_null(strstr(ssm_error_last()->message, "hunter2"));
	assert_string_equal("malformed option 'user' in store URL "
			    "'etcd://127.0.0.1:2379/p'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 open_err(f, "etcd://127.0.0.1:2379/p?user=u"));
	assert_string_equal("etcd store URL 'etcd://127.0.0.1:2379/p': user "
			    "'u' needs password or password_file",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 open_err(f, "etcd://127.0.0.1:2379/p?user=u&"
				     "password_file=/nonexistent/pw"));
	assert_string_equal("etcd store option password_file: cannot read "
			    "'/nonexistent/pw': No such file or directory",
			    ssm_error_last()->message);
	/* a percent-encoded prefix */
	snprintf(url, sizeof(url), "etcd://%s/%s%%2Fsub", one.hosts, f->prefix);
	assert_int_equal(SSM_OK, ssm_store_open(&f->store, f->ctx, url));
	put_s(f->store, "k", "v");
	{
		char raw[64], key[128];

		snprintf(key, sizeof(key), "%s/sub/k", f->prefix);
		raw_get(&one, key, raw, sizeof(raw));
		assert_string_equal("v", raw);
	}
}

static void unreachable_endpoints_fail_open_in_time_naming_them(void **state)
{
	struct fixture *f = *state;
	int64_t t0 = ssm__mono_ms(), took;

	assert_int_equal(SSM_ETIMEOUT,
			 open_err(f, "etcd://127.0.0.1:1,127.0.0.1:2/p?"
				     "timeout=400"));
	took = ssm__mono_ms() - t0;
	assert_true(took < 3000);
	assert_non_null(strstr(ssm_error_last()->message,
			       "etcd at 127.0.0.1:1,127.0.0.1:2/p/: no answer "
			       "within 400 ms (last: 127.0.0.1:"));
	assert_int_equal(SSM_ERRCLASS_STORE, ssm_error_last()->klass);
}

static void a_dead_first_endpoint_fails_over_to_a_live_one(void **state)
{
	struct fixture *f = *state;
	char url[700];

	snprintf(url, sizeof(url), "etcd://127.0.0.1:1,%s/%s", one.hosts,
		 f->prefix);
	assert_int_equal(SSM_OK, ssm_store_open(&f->store, f->ctx, url));
	put_s(f->store, "k", "v");
	assert_value(f->store, "k", "v");
}

/* ---- the prefix
 * ---------------------------------------------------------------- */

static void keys_live_under_the_prefix_beside_a_marker(void **state)
{
	struct fixture *f = *state;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	ssm_store *other = NULL;
	char url[700], raw[64], key[128];

	open_on(f, &one, NULL);
	put_s(f->store, "k", "v");
	snprintf(key, sizeof(key), "%s/k", f->prefix);
	raw_get(&one, key, raw, sizeof(raw));
	assert_string_equal("v", raw);
	snprintf(key, sizeof(key), "%s/", f->prefix);
	raw_get(&one, key, raw, sizeof(raw));
	assert_string_equal("libssm-store 1", raw);
	/* the marker is no key of the store */
	assert_int_equal(SSM_OK, ssm_store_range(&kvs, f->store, "", 0, NULL));
	assert_int_equal(1, kvs.count);
	assert_string_equal("k", kvs.items[0].key.ptr);
	/* a prefix that starts like ours is another store */
	snprintf(url, sizeof(url), "etcd://%s/%sx", one.hosts, f->prefix);
	assert_int_equal(SSM_OK, ssm_store_open(&other, f->ctx, url));
	assert_int_equal(SSM_OK, ssm_store_range(&kvs, other, "", 0, NULL));
	assert_int_equal(0, kvs.count);
	ssm_store_close(other);
	ssm_store_kvs_dispose(&kvs);
}

static void a_prefix_with_foreign_keys_is_refused(void **state)
{
	struct fixture *f = *state;
	char url[700], key[128], want[1000];

	snprintf(key, sizeof(key), "%s/theirs", f->prefix);
	raw_put(&one, key, "x");
	make_url(url, sizeof(url), &one, f->prefix, NULL);
	assert_int_equal(SSM_ERROR, open_err(f, url));
	snprintf(want, sizeof(want),
		 "etcd prefix '%s/' at %s/%s/ holds 1 keys but is not a "
		 "libssm store (no 'libssm-store 1' marker at the prefix); "
		 "use an empty prefix",
		 f->prefix, one.hosts, f->prefix);
	assert_string_equal(want, ssm_error_last()->message);

	/* a newer format */
	snprintf(f->prefix, sizeof(f->prefix), "%s", fresh_prefix());
	snprintf(key, sizeof(key), "%s/", f->prefix);
	raw_put(&one, key, "libssm-store 9");
	make_url(url, sizeof(url), &one, f->prefix, NULL);
	assert_int_equal(SSM_ERROR, open_err(f, url));
	snprintf(want, sizeof(want),
		 "etcd prefix '%s/' at %s/%s/ has the format 'libssm-store "
		 "9'; this libssm reads 'libssm-store 1'",
		 f->prefix, one.hosts, f->prefix);
	assert_string_equal(want, ssm_error_last()->message);
}

/* ---- limits
 * -------------------------------------------------------------------- */

static void writes_over_the_request_limit_fail_before_sending(void **state)
{
	struct fixture *f = *state;
	char *big = calloc(1, SSM_STORE_VALUE_MAX);
	ssm_store_op ops[2] = {
		{ SSM_STORE_OP_PUT, "a", 1, big, SSM_STORE_VALUE_MAX, 0 },
		{ SSM_STORE_OP_PUT, "b", 1, big, SSM_STORE_VALUE_MAX, 0 },
	};
	ssm_store *small = NULL;
	uint64_t r0, r1;
	char url[700];

	open_on(f, &one, NULL);
	r0 = put_s(f->store, "before", "x");
	assert_int_equal(SSM_ELIMIT,
			 ssm_store_txn(NULL, f->store, NULL, 0, ops, 2));
	assert_non_null(strstr(ssm_error_last()->message,
			       "exceeds etcd's request limit of 1572864 "
			       "bytes (max_request_bytes)"));
	/* one fits */
	assert_int_equal(SSM_OK, ssm_store_txn(&r1, f->store, NULL, 0, ops, 1));
	assert_int_equal(r0 + 1, r1);

	make_url(url, sizeof(url), &one, f->prefix, "max_request_bytes=2048");
	assert_int_equal(SSM_OK, ssm_store_open(&small, f->ctx, url));
	assert_int_equal(SSM_ELIMIT,
			 ssm_store_put(NULL, small, "k", 1, big, 3000, NULL));
	assert_int_equal(SSM_OK, ssm_store_revision(&r0, small));
	assert_int_equal(r1, r0);
	assert_int_equal(SSM_OK,
			 ssm_store_put(NULL, small, "k", 1, big, 1000, NULL));
	ssm_store_close(small);
	free(big);
}

/* ---- unreachable mid-operation
 * -------------------------------------------------- */

static void a_lost_cluster_fails_calls_in_time_and_recovers(void **state)
{
	struct fixture *f = *state;
	struct ssm_etcd_cluster *c = &f->own;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	int64_t t0, took;
	ssm_err e;

	assert_int_equal(0, ssm_etcd_start(c, 1, NULL));
	open_on(f, c, "timeout=600&connect_timeout=200");
	put_s(f->store, "k", "v");
	ssm_etcd_kill(c, 0);

	t0 = ssm__mono_ms();
	e = ssm_store_get(&kv, f->store, "k", 1);
	took = ssm__mono_ms() - t0;
	assert_int_equal(SSM_ETIMEOUT, e);
	assert_true(took < 2000);
	assert_non_null(strstr(ssm_error_last()->message, c->hosts));
	t0 = ssm__mono_ms();
	e = ssm_store_put(NULL, f->store, "k", 1, "w", 1, NULL);
	assert_true(ssm__mono_ms() - t0 < 2000);
	assert_true(e == SSM_ETIMEOUT || e == SSM_ERROR);
	assert_non_null(strstr(ssm_error_last()->message, "127.0.0.1:"));

	assert_int_equal(0, ssm_etcd_restart(c, 0));
	assert_value(f->store, "k", "v");
	put_s(f->store, "k", "again");
	ssm_store_kv_dispose(&kv);
	ssm_store_close(f->store);
	f->store = NULL;
	ssm_etcd_stop(c);
}

/* ---- authentication
 * ----------------------------------------------------------- */

struct wlog {
	pthread_mutex_t lock;
	atomic_int n;
};

static int on_one(const ssm_store_event *ev, size_t n, ssm_err error,
		  void *payload)
{
	struct wlog *log = payload;

	(void)ev;
	if (error == SSM_OK)
		atomic_fetch_add(&log->n, (int)n);
	return 0;
}

static void users_authenticate_and_tokens_are_renewed(void **state)
{
	struct fixture *f = *state;
	static const char *const extra[] = { "--auth-token", "simple",
					     "--auth-token-ttl", "1", NULL };
	static const char *const add_root[] = { "user", "add", "root",
						"--new-user-password=s3cret-pw",
						NULL };
	static const char *const enable[] = { "auth", "enable", NULL };
	struct ssm_etcd_cluster *c = &f->own;
	char url[700], pwfile[300];
	FILE *fp;

	assert_int_equal(0, ssm_etcd_start(c, 1, extra));
	assert_int_equal(0, ssm_etcd_ctl(c, 0, add_root));
	assert_int_equal(0, ssm_etcd_ctl(c, 0, enable));

	/* no user: etcd refuses */
	make_url(url, sizeof(url), c, f->prefix, "timeout=2000");
	assert_int_equal(SSM_EAUTH, open_err(f, url));
	assert_non_null(strstr(ssm_error_last()->message,
			       "user name is empty (the cluster wants a user"));
	/* a wrong password: refused, and never shown */
	make_url(url, sizeof(url), c, f->prefix, "user=root&password=wrong-pw");
	assert_int_equal(SSM_EAUTH, open_err(f, url));
	assert_non_null(strstr(ssm_error_last()->message,
			       "authentication of user 'root' failed"));
	assert_null(strstr(ssm_error_last()->message, "wrong-pw"));

	snprintf(pwfile, sizeof(pwfile), "%s/pw", tmpdir);
	fp = fopen(pwfile, "w");
	assert_non_null(fp);
	fputs("s3cret-pw\n", fp);
	fclose(fp);
	/* authentication fails over too */
	snprintf(url, sizeof(url),
		 "etcd://127.0.0.1:1,%s/%s?user=root&password_file=%s&"
		 "connect_timeout=200",
		 c->hosts, f->prefix, pwfile);
	assert_int_equal(SSM_OK, ssm_store_open(&f->store, f->ctx, url));
	ssm_store_close(f->store);
	f->store = NULL;
	snprintf(url, sizeof(url), "user=root&password_file=%s", pwfile);
	open_on(f, c, url);
	put_s(f->store, "k", "v");
	/* simple tokens expire after a second without use */
	sleep(3);
	assert_value(f->store, "k", "v");
	sleep(3);
	{
		struct wlog log;
		ssm_store_watch *w = NULL;

		memset(&log, 0, sizeof(log));
		pthread_mutex_init(&log.lock, NULL);
		assert_int_equal(SSM_OK,
				 ssm_store_watch_start(&w, f->store, "", 0, 0,
						       on_one, &log));
		put_s(f->store, "k", "w");
		for (int i = 0; i < 500 && !atomic_load(&log.n); i++)
			usleep(10 * 1000);
		ssm_store_watch_free(w);
		assert_int_equal(1, atomic_load(&log.n));
		pthread_mutex_destroy(&log.lock);
	}
	assert_value(f->store, "k", "w");
	ssm_store_close(f->store);
	f->store = NULL;
	ssm_etcd_stop(c);
}

/* ---- TLS
 * -----------------------------------------------------------------------------
 */

static bool make_certs(const char *dir)
{
	char cmd[3000];

	snprintf(
		cmd, sizeof(cmd),
		"cd '%s' && "
		"openssl req -x509 -newkey ec -pkeyopt "
		"ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out "
		"ca.crt -days 2 -subj /CN=ssm-test-ca && "
		"openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
		"-nodes -keyout server.key -out server.csr -subj "
		"/CN=127.0.0.1 && "
		"printf 'subjectAltName=IP:127.0.0.1\\nextendedKeyUsage="
		"serverAuth,clientAuth\\n' > server.ext && "
		"openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key "
		"-CAcreateserial -out server.crt -days 2 -extfile server.ext "
		"&& "
		"openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
		"-nodes -keyout client.key -out client.csr -subj /CN=client && "
		"printf 'extendedKeyUsage=clientAuth\\n' > client.ext && "
		"openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key "
		"-CAcreateserial -out client.crt -days 2 -extfile client.ext",
		dir);
	return system(cmd) == 0;
}

static void tls_with_client_certificates(void **state)
{
	struct fixture *f = *state;
	char dir[300], ca[350], sc[350], sk[350], cc[350], ck[350];
	char opts[1500], url[2000];
	const char *extra[] = { "--cert-file",	      sc,
				"--key-file",	      sk,
				"--trusted-ca-file",  ca,
				"--client-cert-auth", NULL };
	struct ssm_etcd_cluster *c = &f->own;

	if (system("openssl version > /dev/null 2>&1") != 0)
		skip();
	snprintf(dir, sizeof(dir), "%s/tls", tmpdir);
	assert_int_equal(0, mkdir(dir, 0700));
	assert_true(make_certs(dir));
	snprintf(ca, sizeof(ca), "%s/ca.crt", dir);
	snprintf(sc, sizeof(sc), "%s/server.crt", dir);
	snprintf(sk, sizeof(sk), "%s/server.key", dir);
	snprintf(cc, sizeof(cc), "%s/client.crt", dir);
	snprintf(ck, sizeof(ck), "%s/client.key", dir);
	assert_int_equal(0, ssm_etcd_start_tls(c, 1, extra, cc, ck));

	snprintf(opts, sizeof(opts), "cacert=%s&cert=%s&key=%s", ca, cc, ck);
	open_on(f, c, opts);
	put_s(f->store, "k", "v");
	assert_value(f->store, "k", "v");
	ssm_store_close(f->store);
	f->store = NULL;

	/* the members' CA is not the system's: refused at once */
	make_url(url, sizeof(url), c, f->prefix, "tls=1&timeout=3000");
	assert_int_equal(SSM_ERROR, open_err(f, url));
	assert_non_null(strstr(ssm_error_last()->message, "etcd 127.0.0.1:"));
	/* plain http to a TLS member gets nowhere */
	make_url(url, sizeof(url), c, f->prefix, "timeout=500");
	assert_true(open_err(f, url) < 0);
	ssm_etcd_stop(c);
}

/* ---- faults on three members
 * ------------------------------------------------------- */

#define WRITERS 4
#define PER_WRITER 20000

struct writer {
	ssm_store *store;
	int id;
	atomic_bool *stop;
	atomic_llong *kill_time; /* 0 until a member was killed */
	int n;			 /* keys tried */
	bool acked[PER_WRITER];
	int errors, acked_after;
	char last_error[300];
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	char key[32], val[32];
	long long killed;
	ssm_err e;

	for (w->n = 0; w->n < PER_WRITER && !atomic_load(w->stop); w->n++) {
		snprintf(key, sizeof(key), "w/%d/%05d", w->id, w->n);
		snprintf(val, sizeof(val), "v%d", w->n);
		killed = atomic_load(w->kill_time);
		e = ssm_store_put(NULL, w->store, key, strlen(key), val,
				  strlen(val), NULL);
		w->acked[w->n] = e == SSM_OK;
		if (e == SSM_OK && killed)
			w->acked_after++;
		if (e != SSM_OK) {
			w->errors++;
			snprintf(w->last_error, sizeof(w->last_error), "%s",
				 ssm_error_last()->message);
		}
	}
	return NULL;
}

struct load {
	struct writer w[WRITERS];
	pthread_t t[WRITERS];
	atomic_bool stop;
	atomic_llong kill_time;
};

/* Writes acknowledged since the kill. */
static int acked_after(struct load *l)
{
	int i, n = 0;

	for (i = 0; i < WRITERS; i++)
		n += l->w[i].acked_after;
	return n;
}

/* Go on writing until the client wrote through another member (or 20 s). */
static void wait_failover(struct load *l)
{
	int64_t deadline = ssm__mono_ms() + 20000;

	usleep(500 * 1000);
	while (acked_after(l) < 50 && ssm__mono_ms() < deadline)
		usleep(50 * 1000);
}

static void load_start(struct load *l, ssm_store *s)
{
	int i;

	memset(l, 0, sizeof(*l));
	atomic_init(&l->stop, false);
	atomic_init(&l->kill_time, 0);
	for (i = 0; i < WRITERS; i++) {
		l->w[i].store = s;
		l->w[i].id = i;
		l->w[i].stop = &l->stop;
		l->w[i].kill_time = &l->kill_time;
		pthread_create(&l->t[i], NULL, writer_main, &l->w[i]);
	}
}

/* Stop the writers; check that every acknowledged write is in @s, and
 * that writes were acknowledged after the kill. Returns the keys acked. */
static int load_stop_and_check(struct load *l, ssm_store *s)
{
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	int i, j, acked = 0, after = 0, errors = 0;
	char key[32], want[32];

	atomic_store(&l->stop, true);
	for (i = 0; i < WRITERS; i++)
		pthread_join(l->t[i], NULL);
	assert_int_equal(SSM_OK, ssm_store_range(&kvs, s, "w/", 2, NULL));
	for (i = 0; i < WRITERS; i++) {
		size_t k = 0;

		for (j = 0; j < l->w[i].n; j++) {
			if (!l->w[i].acked[j])
				continue;
			acked++;
			snprintf(key, sizeof(key), "w/%d/%05d", i, j);
			snprintf(want, sizeof(want), "v%d", j);
			/* kvs is in key order: find it */
			while (k < kvs.count &&
			       strcmp(kvs.items[k].key.ptr, key) < 0)
				k++;
			if (k == kvs.count ||
			    strcmp(kvs.items[k].key.ptr, key) != 0)
				fail_msg("acknowledged write %s is lost", key);
			assert_string_equal(want, kvs.items[k].value.ptr);
		}
		after += l->w[i].acked_after;
		errors += l->w[i].errors;
		if (l->w[i].errors)
			fprintf(stderr, "writer %d: %d errors, last: %s\n", i,
				l->w[i].errors, l->w[i].last_error);
	}
	fprintf(stderr,
		"%d writes acknowledged (%d after the kill), %d failed; %zu "
		"keys in the store\n",
		acked, after, errors, kvs.count);
	assert_true(after > 0); /* the client failed over */
	assert_true(kvs.count >= (size_t)acked);
	ssm_store_kvs_dispose(&kvs);
	return acked;
}

static void
killing_a_member_during_writes_loses_no_acknowledged_write(void **state)
{
	struct fixture *f = *state;
	struct load *l = calloc(1, sizeof(*l));

	/* the client starts on m0: kill that one */
	open_on(f, &three, "timeout=5000");
	load_start(l, f->store);
	usleep(800 * 1000);
	ssm_etcd_kill(&three, 0);
	atomic_store(&l->kill_time, ssm__mono_ms());
	wait_failover(l);
	load_stop_and_check(l, f->store);
	assert_int_equal(0, ssm_etcd_restart(&three, 0));
	free(l);
}

static void killing_the_leader_and_restarting_it_loses_nothing(void **state)
{
	struct fixture *f = *state;
	struct load *l = calloc(1, sizeof(*l));
	struct ssm_etcd_cluster solo;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	ssm_store *s = NULL;
	int leader, next, acked;
	char url[700];

	leader = ssm_etcd_leader(&three, 10000);
	assert_true(leader >= 0);
	open_on(f, &three, "timeout=5000");
	load_start(l, f->store);
	usleep(800 * 1000);
	ssm_etcd_kill(&three, leader);
	atomic_store(&l->kill_time, ssm__mono_ms());
	wait_failover(l);
	next = ssm_etcd_leader(&three, 10000);
	assert_true(next >= 0 && next != leader);
	assert_int_equal(0, ssm_etcd_restart(&three, leader));
	usleep(500 * 1000);
	acked = load_stop_and_check(l, f->store);

	/* the old leader caught up: read everything through it alone */
	memset(&solo, 0, sizeof(solo));
	solo = three;
	snprintf(solo.hosts, sizeof(solo.hosts), "127.0.0.1:%d",
		 three.m[leader].client_port);
	make_url(url, sizeof(url), &solo, f->prefix, NULL);
	assert_int_equal(SSM_OK, ssm_store_open(&s, f->ctx, url));
	assert_int_equal(SSM_OK, ssm_store_range(&kvs, s, "w/", 2, NULL));
	assert_true(kvs.count >= (size_t)acked);
	ssm_store_kvs_dispose(&kvs);
	ssm_store_close(s);
	free(l);
}

struct seen {
	pthread_mutex_t lock;
	int count;
	int dup;
	bool disorder;
	ssm_err error;
	uint64_t last_rev;
	char (*keys)[16];
};

static int on_event(const ssm_store_event *ev, size_t n, ssm_err error,
		    void *payload)
{
	struct seen *s = payload;
	size_t i;
	int k;

	pthread_mutex_lock(&s->lock);
	if (error < 0)
		s->error = error;
	for (i = 0; i < n; i++) {
		if (ev[i].kv.mod_revision <= s->last_rev)
			s->disorder = true;
		s->last_rev = ev[i].kv.mod_revision;
		for (k = 0; k < s->count; k++)
			if (strncmp(s->keys[k], ev[i].kv.key.ptr, 16) == 0)
				s->dup++;
		snprintf(s->keys[s->count++ % 1000], 16, "%.*s",
			 (int)ev[i].kv.key.size, ev[i].kv.key.ptr);
	}
	pthread_mutex_unlock(&s->lock);
	return 0;
}

static void a_watch_outlives_a_member_restart(void **state)
{
	struct fixture *f = *state;
	struct seen seen;
	ssm_store *writer = NULL;
	ssm_store_watch *w = NULL;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	char url[700], key[32];
	int i, target, acked = 0;
	int64_t deadline;

	memset(&seen, 0, sizeof(seen));
	pthread_mutex_init(&seen.lock, NULL);
	seen.keys = calloc(1000, 16);
	/* the watch streams from m1; the writer writes through m2 first */
	snprintf(url, sizeof(url), "etcd://127.0.0.1:%d,127.0.0.1:%d/%s",
		 three.m[1].client_port, three.m[0].client_port, f->prefix);
	assert_int_equal(SSM_OK, ssm_store_open(&f->store, f->ctx, url));
	snprintf(url, sizeof(url), "etcd://127.0.0.1:%d,127.0.0.1:%d/%s",
		 three.m[2].client_port, three.m[0].client_port, f->prefix);
	assert_int_equal(SSM_OK, ssm_store_open(&writer, f->ctx, url));
	assert_int_equal(SSM_OK, ssm_store_watch_start(&w, f->store, "ev/", 3,
						       0, on_event, &seen));
	for (i = 0; i < 300; i++) {
		if (i == 100)
			ssm_etcd_kill(&three, 1);
		if (i == 200)
			assert_int_equal(0, ssm_etcd_restart(&three, 1));
		snprintf(key, sizeof(key), "ev/%04d", i);
		if (ssm_store_put(NULL, writer, key, strlen(key), "x", 1,
				  NULL) == SSM_OK)
			acked++;
		usleep(3000);
	}
	assert_int_equal(SSM_OK, ssm_store_range(&kvs, writer, "ev/", 3, NULL));
	assert_true(kvs.count >= (size_t)acked);
	target = (int)kvs.count;
	deadline = ssm__mono_ms() + 15000;
	for (;;) {
		pthread_mutex_lock(&seen.lock);
		i = seen.count;
		pthread_mutex_unlock(&seen.lock);
		if (i >= target || ssm__mono_ms() > deadline)
			break;
		usleep(20 * 1000);
	}
	usleep(200 * 1000); /* nothing more may come */
	ssm_store_watch_free(w);
	fprintf(stderr, "%d puts acknowledged, %d keys, %d events\n", acked,
		target, seen.count);
	assert_int_equal(SSM_OK, seen.error);
	assert_int_equal(0, seen.dup);
	assert_false(seen.disorder);
	assert_int_equal(target, seen.count);
	ssm_store_kvs_dispose(&kvs);
	ssm_store_close(writer);
	free(seen.keys);
	pthread_mutex_destroy(&seen.lock);
}

/* Every member up and a leader elected, whatever an earlier case left. */
static int cluster_setup(void **state)
{
	int i;

	for (i = 0; i < three.n; i++)
		if (!three.m[i].pid && ssm_etcd_restart(&three, i) < 0)
			return -1;
	if (ssm_etcd_leader(&three, 20000) < 0)
		return -1;
	return setup(state);
}

static int start_one(void **state)
{
	(void)state;
	return ssm_etcd_start(&one, 1, NULL);
}

static int stop_one(void **state)
{
	(void)state;
	ssm_etcd_stop(&one);
	return 0;
}

static int start_three(void **state)
{
	(void)state;
	return ssm_etcd_start(&three, 3, NULL);
}

static int stop_three(void **state)
{
	(void)state;
	ssm_etcd_stop(&three);
	return 0;
}

int main(void)
{
	const struct CMUnitTest single[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(malformed_urls_are_refused_with_clear_messages),
		T(unreachable_endpoints_fail_open_in_time_naming_them),
		T(a_dead_first_endpoint_fails_over_to_a_live_one),
		T(keys_live_under_the_prefix_beside_a_marker),
		T(a_prefix_with_foreign_keys_is_refused),
		T(writes_over_the_request_limit_fail_before_sending),
		T(a_lost_cluster_fails_calls_in_time_and_recovers),
		T(users_authenticate_and_tokens_are_renewed),
		T(tls_with_client_certificates),
	};
#undef T
#define T(name) cmocka_unit_test_setup_teardown(name, cluster_setup, teardown)
	const struct CMUnitTest cluster[] = {
		T(killing_a_member_during_writes_loses_no_acknowledged_write),
		T(killing_the_leader_and_restarting_it_loses_nothing),
		T(a_watch_outlives_a_member_restart),
#undef T
	};
	char cmd[300];
	int failed;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ssm-test-etcd-XXXXXX");
	if (!mkdtemp(tmpdir) || ssm_init() < 0)
		return 2;
	failed = cmocka_run_group_tests_name("store-etcd", single, start_one,
					     stop_one);
	failed += cmocka_run_group_tests_name("store-etcd-cluster", cluster,
					      start_three, stop_three);
	/* stopped by the group teardowns; again in case one was skipped */
	ssm_etcd_stop(&one);
	ssm_etcd_stop(&three);
	ssm_shutdown();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return failed;
}
