/* SPDX-License-Identifier: Apache-2.0 */
/* Crash safety of the sqlite: store: a child process writes as fast as it
 * can from several threads (so group commit batches them) and reports each
 * transaction on a pipe once ssm_store_txn has returned; the parent kills it
 * with SIGKILL at a random moment, reopens the store and checks that every
 * acknowledged write is there and the store is coherent. Repeated for at
 * least MIN_CYCLES cycles within about BUDGET_MS.
 *
 * Each writer thread t runs transactions n = 0, 1, ...:
 *   put  c<cycle>/t<t>/<n>      = value_of(key)
 *   put  last/<t>               = "<cycle> <n>"
 *   delete c<cycle>/t<t>/<n-5>  when n % 10 == 5 (n >= 5)
 * and then writes "<t> <n> <revision>\n" to the pipe.
 *
 * SSM_CRASH_SEED=N repeats a run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <pthread.h>

#include "ssm/ssm.h"
#include "ssm/sys/store.h"
#include "core/thread.h"

#define THREADS 4
#define MIN_CYCLES 24
#define MAX_CYCLES 60
#define BUDGET_MS 30000
#define MAX_N 100000 /* transactions per thread and cycle, at most */
#define VALUE_LEN 100

static char tmpdir[256];
static char url[600];

/* ---- the child ------------------------------------------------------------
 */

static void key_of(char *out, size_t len, int cycle, int t, long n)
{
	snprintf(out, len, "c%03d/t%d/%06ld", cycle, t, n);
}

static size_t value_of(char *out, const char *key)
{
	size_t i, klen = strlen(key);

	for (i = 0; i < VALUE_LEN; i++)
		out[i] = i < klen ? key[i] : (char)('a' + (i * 7 + klen) % 26);
	return VALUE_LEN;
}

struct child_writer {
	ssm_store *store;
	int fd;
	int cycle;
	int t;
};

static void *child_main(void *arg)
{
	struct child_writer *w = arg;
	char key[64], gone[64], last_key[16], last[32], value[VALUE_LEN];
	char line[64];
	long n;

	snprintf(last_key, sizeof(last_key), "last/%d", w->t);
	for (n = 0; n < MAX_N; n++) {
		ssm_store_op ops[3];
		size_t nops = 2, vlen;
		uint64_t rev = 0;
		int len;

		key_of(key, sizeof(key), w->cycle, w->t, n);
		vlen = value_of(value, key);
		snprintf(last, sizeof(last), "%d %ld", w->cycle, n);
		ops[0] = (ssm_store_op){
			SSM_STORE_OP_PUT, key, strlen(key), value, vlen, 0
		};
		ops[1] = (ssm_store_op){ SSM_STORE_OP_PUT, last_key,
					 strlen(last_key), last,
					 strlen(last),	   0 };
		if (n >= 5 && n % 10 == 5) {
			key_of(gone, sizeof(gone), w->cycle, w->t, n - 5);
			ops[2] = (ssm_store_op){ SSM_STORE_OP_DELETE,
						 gone,
						 strlen(gone),
						 NULL,
						 0,
						 0 };
			nops = 3;
		}
		if (ssm_store_txn(&rev, w->store, NULL, 0, ops, nops) < 0) {
			len = snprintf(line, sizeof(line), "E %.50s\n",
				       ssm_error_last()->message);
			(void)!write(w->fd, line, (size_t)len);
			_exit(3);
		}
		/* acknowledged: one write(2) of a short line is atomic */
		len = snprintf(line, sizeof(line), "%d %ld %llu\n", w->t, n,
			       (unsigned long long)rev);
		if (write(w->fd, line, (size_t)len) != len)
			_exit(4);
	}
	return NULL;
}

static void child(int fd, int cycle)
{
	struct child_writer w[THREADS];
	pthread_t th[THREADS];
	ssm_ctx *ctx = NULL;
	ssm_store *store = NULL;
	int i;

	alarm(20); /* never outlive a parent that failed to kill us */
	if (ssm_ctx_new(&ctx, NULL) < 0 ||
	    ssm_store_open(&store, ctx, url) < 0) {
		char line[300];
		int len = snprintf(line, sizeof(line), "E %.200s\n",
				   ssm_error_last()->message);

		(void)!write(fd, line, (size_t)len);
		_exit(3);
	}
	for (i = 0; i < THREADS; i++) {
		w[i] = (struct child_writer){ store, fd, cycle, i };
		pthread_create(&th[i], NULL, child_main, &w[i]);
	}
	for (i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	_exit(0);
}

/* ---- the parent ------------------------------------------------------------
 */

struct acks {
	long last[THREADS]; /* last n acknowledged per thread, -1: none */
	uint64_t *revs;	    /* every acknowledged revision */
	size_t nrevs, arevs;
	uint64_t *by_n[THREADS]; /* acknowledged revision per thread and n */
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void ack_line(struct acks *a, const char *line)
{
	unsigned long long rev;
	long n;
	int t;

	if (line[0] == 'E')
		fail_msg("the writer failed: %s", line + 2);
	if (sscanf(line, "%d %ld %llu", &t, &n, &rev) != 3 || t < 0 ||
	    t >= THREADS || n < 0 || n >= MAX_N)
		fail_msg("bad line from the writer: '%s'", line);
	/* each thread is sequential: acknowledgements arrive in order */
	assert_int_equal(a->last[t] + 1, n);
	a->last[t] = n;
	a->by_n[t][n] = rev;
	if (a->nrevs == a->arevs) {
		a->arevs = a->arevs ? a->arevs * 2 : 1024;
		a->revs = realloc(a->revs, a->arevs * sizeof(*a->revs));
		assert_non_null(a->revs);
	}
	a->revs[a->nrevs++] = rev;
}

/* Run one child; fill @a with what it acknowledged before it was killed. */
static void run_cycle(struct acks *a, int cycle, int *killed_early)
{
	char buf[65536], pending[256];
	size_t plen = 0;
	int fds[2], status;
	pid_t pid;
	bool killed = false, early = cycle % 6 == 3;
	int64_t kill_at = -1, start = ssm__mono_ms();
	ssize_t got;

	assert_int_equal(0, pipe(fds));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		child(fds[1], cycle);
	}
	close(fds[1]);
	/* some cycles kill during open and recovery, the others at a random
	 * moment once writes are flowing */
	if (early) {
		kill_at = start + (int64_t)(rnd() % 15);
		(*killed_early)++;
	}
	for (;;) {
		struct pollfd p = { fds[0], POLLIN, 0 };
		int64_t now = ssm__mono_ms();
		int timeout = -1;

		if (!killed && kill_at >= 0) {
			if (now >= kill_at) {
				kill(pid, SIGKILL);
				killed = true;
			} else {
				timeout = (int)(kill_at - now);
			}
		}
		if (!killed && now - start > 15000) {
			kill(pid, SIGKILL);
			fail_msg("the writer made no progress in 15 s");
		}
		if (poll(&p, 1, timeout < 0 ? 1000 : timeout) < 0 &&
		    errno != EINTR)
			fail_msg("poll: %s", strerror(errno));
		if (!(p.revents & (POLLIN | POLLHUP)))
			continue;
		got = read(fds[0], buf, sizeof(buf));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break; /* EOF: the child is gone */
		for (ssize_t i = 0; i < got; i++) {
			if (buf[i] != '\n') {
				assert_true(plen < sizeof(pending) - 1);
				pending[plen++] = buf[i];
				continue;
			}
			pending[plen] = '\0';
			ack_line(a, pending);
			plen = 0;
		}
		if (kill_at < 0 && a->nrevs)
			kill_at = ssm__mono_ms() + 5 + (int64_t)(rnd() % 250);
	}
	close(fds[0]);
	assert_int_equal(pid, waitpid(pid, &status, 0));
	if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL))
		fail_msg("the writer ended on its own (status 0x%x)", status);
}

static void check_value(ssm_store *s, const char *key, uint64_t rev)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	char want[VALUE_LEN];
	ssm_err e = ssm_store_get(&kv, s, key, strlen(key));

	if (e != SSM_OK)
		fail_msg("acknowledged key %s is lost: %s", key,
			 ssm_error_last()->message);
	value_of(want, key);
	assert_int_equal(VALUE_LEN, kv.value.size);
	assert_memory_equal(want, kv.value.ptr, VALUE_LEN);
	/* written once: at the acknowledged revision */
	assert_int_equal(rev, kv.mod_revision);
	ssm_store_kv_dispose(&kv);
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* Every acknowledged write of @cycle is there; the store is coherent. */
static size_t verify(ssm_ctx *ctx, struct acks *a, int cycle, uint64_t *max_rev,
		     uint64_t *rev_out)
{
	ssm_store *s = NULL;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	ssm_store_range_options o = SSM_STORE_RANGE_OPTIONS_INIT;
	char key[64], last_key[16], prefix[32], lastbuf[256] = "";
	uint64_t rev = 0;
	size_t checked = 0, i;
	int t;
	long n;

	if (ssm_store_open(&s, ctx, url) < 0)
		fail_msg("reopen after SIGKILL: %s", ssm_error_last()->message);
	assert_int_equal(SSM_OK, ssm_store_revision(&rev, s));
	/* each acknowledged transaction got a revision of its own */
	qsort(a->revs, a->nrevs, sizeof(*a->revs), cmp_u64);
	for (i = 0; i < a->nrevs; i++) {
		if (i && a->revs[i] == a->revs[i - 1])
			fail_msg("two transactions acknowledged revision %llu",
				 (unsigned long long)a->revs[i]);
		if (a->revs[i] <= *max_rev)
			fail_msg("revision %llu acknowledged after %llu",
				 (unsigned long long)a->revs[i],
				 (unsigned long long)*max_rev);
	}
	if (a->nrevs)
		*max_rev = a->revs[a->nrevs - 1];
	/* the revision never goes back past an acknowledged one */
	if (rev < *max_rev)
		fail_msg("store revision %llu < acknowledged revision %llu",
			 (unsigned long long)rev, (unsigned long long)*max_rev);

	for (t = 0; t < THREADS; t++) {
		long last = a->last[t];
		size_t present = 0, expect_min = 0, expect_max = 0;

		for (n = 0; n <= last; n++) {
			bool deleted = n + 5 <= last && (n + 5) % 10 == 5;
			bool maybe_deleted =
				n + 5 == last + 1 && (n + 5) % 10 == 5;

			key_of(key, sizeof(key), cycle, t, n);
			if (deleted) {
				ssm_store_kv kv = SSM_STORE_KV_INIT;

				if (ssm_store_get(&kv, s, key, strlen(key)) !=
				    SSM_ENOTFOUND)
					fail_msg("key %s deleted by an "
						 "acknowledged transaction is "
						 "back",
						 key);
				ssm_store_kv_dispose(&kv);
			} else if (!maybe_deleted) {
				check_value(s, key, a->by_n[t][n]);
				expect_min++;
			}
			checked++;
		}
		/* the transaction after the last acknowledged one may or may
		 * not have committed: its put, and the key it deletes, may be
		 * there too */
		expect_max = expect_min + 2;

		/* last/<t> is at least as new as the last acknowledged */
		if (last >= 0) {
			ssm_store_kv kv = SSM_STORE_KV_INIT;
			int c = -1;
			long m = -1;

			snprintf(last_key, sizeof(last_key), "last/%d", t);
			assert_int_equal(SSM_OK,
					 ssm_store_get(&kv, s, last_key,
						       strlen(last_key)));
			snprintf(lastbuf, sizeof(lastbuf), "%.*s",
				 (int)kv.value.size, kv.value.ptr);
			assert_int_equal(2, sscanf(lastbuf, "%d %ld", &c, &m));
			assert_int_equal(cycle, c);
			if (m != last && m != last + 1)
				fail_msg("last/%d is '%s', acknowledged %ld", t,
					 lastbuf, last);
			assert_true(kv.mod_revision >= a->by_n[t][last]);
			ssm_store_kv_dispose(&kv);
		}

		/* the range agrees with the point reads */
		snprintf(prefix, sizeof(prefix), "c%03d/t%d/", cycle, t);
		o.flags = SSM_STORE_RANGE_KEYS_ONLY;
		assert_int_equal(SSM_OK, ssm_store_range(&kvs, s, prefix,
							 strlen(prefix), &o));
		present = kvs.count;
		if (present < expect_min || present > expect_max)
			fail_msg("%zu keys under %s, expected %zu..%zu",
				 present, prefix, expect_min, expect_max);
	}

	/* the whole store, page by page: ordered, revisions coherent */
	o.flags = SSM_STORE_RANGE_KEYS_ONLY;
	o.limit = 500;
	o.start_after = NULL;
	o.start_after_len = 0;
	for (;;) {
		assert_int_equal(SSM_OK, ssm_store_range(&kvs, s, "", 0, &o));
		assert_int_equal(rev, kvs.revision);
		for (i = 0; i < kvs.count; i++) {
			const ssm_store_kv *kv = &kvs.items[i];

			assert_true(kv->create_revision >= 1);
			assert_true(kv->create_revision <= kv->mod_revision);
			assert_true(kv->mod_revision <= rev);
			assert_true(kv->version >= 1);
			if (o.start_after) {
				size_t l = kv->key.size < o.start_after_len
						   ? kv->key.size
						   : o.start_after_len;
				int c = memcmp(kv->key.ptr, o.start_after, l);

				assert_true(c > 0 ||
					    (c == 0 &&
					     kv->key.size > o.start_after_len));
			}
			snprintf(lastbuf, sizeof(lastbuf), "%.*s",
				 (int)kv->key.size, kv->key.ptr);
			o.start_after = lastbuf;
			o.start_after_len = kv->key.size;
		}
		if (!kvs.more)
			break;
	}
	ssm_store_kvs_dispose(&kvs);
	ssm_store_close(s);
	*rev_out = rev;
	return checked;
}

static void acknowledged_writes_survive_sigkill(void **state)
{
	ssm_ctx *ctx = NULL;
	struct acks a;
	uint64_t max_rev = 0, rev = 0, total_acks = 0;
	size_t checked = 0;
	int64_t start = ssm__mono_ms();
	int cycle, t, early = 0;
	const char *seed_env = getenv("SSM_CRASH_SEED");
	uint64_t seed;

	(void)state;
	seed = seed_env ? strtoull(seed_env, NULL, 10)
			: (uint64_t)ssm__now_ms() ^ (uint64_t)getpid();
	rng_state = seed ? seed : 1;
	print_message("crash: seed %llu (SSM_CRASH_SEED repeats it)\n",
		      (unsigned long long)seed);
	assert_int_equal(SSM_OK, ssm_ctx_new(&ctx, NULL));
	memset(&a, 0, sizeof(a));
	for (t = 0; t < THREADS; t++) {
		a.by_n[t] = calloc(MAX_N, sizeof(uint64_t));
		assert_non_null(a.by_n[t]);
	}

	for (cycle = 0; cycle < MAX_CYCLES; cycle++) {
		if (cycle >= MIN_CYCLES && ssm__mono_ms() - start > BUDGET_MS)
			break;
		for (t = 0; t < THREADS; t++)
			a.last[t] = -1;
		a.nrevs = 0;
		run_cycle(&a, cycle, &early);
		checked += verify(ctx, &a, cycle, &max_rev, &rev);
		total_acks += a.nrevs;
	}
	assert_true(cycle >= MIN_CYCLES);
	print_message("crash: %d SIGKILL cycles (%d during open), %d writer "
		      "threads, %llu acknowledged transactions, %zu keys "
		      "checked, 0 lost; final revision %llu; %.1f s\n",
		      cycle, early, THREADS, (unsigned long long)total_acks,
		      checked, (unsigned long long)rev,
		      (double)(ssm__mono_ms() - start) / 1000.0);
	for (t = 0; t < THREADS; t++)
		free(a.by_n[t]);
	free(a.revs);
	ssm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(acknowledged_writes_survive_sigkill),
	};
	int failed;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ssm-test-crash-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 2;
	snprintf(url, sizeof(url), "sqlite://%s/crash.db", tmpdir);
	if (ssm_init() < 0)
		return 2;
	failed = cmocka_run_group_tests_name("crash-sqlite", tests, NULL, NULL);
	ssm_shutdown();
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
	return failed;
}
