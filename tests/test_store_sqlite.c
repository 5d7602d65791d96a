/* SPDX-License-Identifier: Apache-2.0 */
/* What only the sqlite: store has: bad files, the mid-transaction failure
 * hook, group commit, several handles on one file, watch compaction and
 * its URL options. (The conformance suite, test_store sqlite, covers the
 * store interface itself.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <pthread.h>
#include <sqlite3.h>

#include "ssm/ssm.h"
#include "ssm/sys/store.h"
#include "core/thread.h"
#include "stores/sqlite.h"

static char tmpdir[256];
static unsigned case_no;

struct fixture {
	ssm_ctx *ctx;
	ssm_store *store;
	char path[512];
	char url[600];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || ssm_ctx_new(&f->ctx, NULL) < 0)
		return -1;
	case_no++;
	snprintf(f->path, sizeof(f->path), "%s/case%u.db", tmpdir, case_no);
	snprintf(f->url, sizeof(f->url), "sqlite://%s", f->path);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ssm_store_close(f->store);
	ssm_ctx_free(f->ctx);
	free(f);
	return 0;
}

static void open_store(struct fixture *f)
{
	if (ssm_store_open(&f->store, f->ctx, f->url) < 0)
		fail_msg("open %s: %s", f->url, ssm_error_last()->message);
}

static uint64_t put_s(ssm_store *s, const char *k, const char *v)
{
	uint64_t rev = 0;

	assert_int_equal(SSM_OK, ssm_store_put(&rev, s, k, strlen(k), v,
					       strlen(v), NULL));
	return rev;
}

static void assert_value(ssm_store *s, const char *k, const char *v)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;

	assert_int_equal(SSM_OK, ssm_store_get(&kv, s, k, strlen(k)));
	assert_int_equal(strlen(v), kv.value.size);
	assert_memory_equal(v, kv.value.ptr, kv.value.size);
	ssm_store_kv_dispose(&kv);
}

static void assert_absent(ssm_store *s, const char *k)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;

	assert_int_equal(SSM_ENOTFOUND, ssm_store_get(&kv, s, k, strlen(k)));
	ssm_store_kv_dispose(&kv);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(len, fwrite(data, 1, len, fp));
	assert_int_equal(0, fclose(fp));
}

/* Run SQL on a file with SQLite directly (a file made by someone else). */
static void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	char *err = NULL;

	assert_int_equal(SQLITE_OK, sqlite3_open(path, &db));
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
}

/* Open @url expecting failure; return the message. */
static const char *open_fails(struct fixture *f, const char *url, ssm_err code)
{
	ssm_store *s = (ssm_store *)1;

	assert_int_equal(code, ssm_store_open(&s, f->ctx, url));
	assert_null(s);
	return ssm_error_last()->message;
}

/* Root ignores file permissions: test them as nobody. */
static bool become_nobody(void)
{
	if (geteuid() != 0)
		return false;
	assert_int_equal(0, seteuid(65534));
	return true;
}

static void become_root(bool was)
{
	if (was)
		assert_int_equal(0, seteuid(0));
}

/* ---- bad files ----------------------------------------------------------- */

static void a_file_that_is_not_sqlite_is_refused_and_left_alone(void **state)
{
	struct fixture *f = *state;
	char text[4096], want[700], back[4096];
	FILE *fp;
	size_t i;

	for (i = 0; i < sizeof(text); i++)
		text[i] = "not a database\n"[i % 15];
	write_file(f->path, text, sizeof(text));
	snprintf(want, sizeof(want),
		 "sqlite store '%s' is not an SQLite database", f->path);
	assert_string_equal(want, open_fails(f, f->url, SSM_ERROR));
	assert_int_equal(SSM_ERRCLASS_STORE, ssm_error_last()->klass);
	fp = fopen(f->path, "rb");
	assert_non_null(fp);
	assert_int_equal(sizeof(back), fread(back, 1, sizeof(back), fp));
	fclose(fp);
	assert_memory_equal(text, back, sizeof(text));
}

static void an_sqlite_file_of_someone_else_is_refused(void **state)
{
	struct fixture *f = *state;
	char want[700], path2[600], url2[700];

	raw_exec(f->path, "CREATE TABLE accounts(id INTEGER PRIMARY KEY, "
			  "name TEXT); INSERT INTO accounts VALUES (1, 'x')");
	snprintf(want, sizeof(want),
		 "sqlite store '%s' is an SQLite database but not a libssm "
		 "store (it has other tables)",
		 f->path);
	assert_string_equal(want, open_fails(f, f->url, SSM_ERROR));

	/* our table names but no marker */
	snprintf(path2, sizeof(path2), "%s/lookalike%u.db", tmpdir, case_no);
	snprintf(url2, sizeof(url2), "sqlite://%s", path2);
	raw_exec(path2, "CREATE TABLE meta(name, value);"
			"CREATE TABLE kv(key, value);"
			"CREATE TABLE changes(rev, seq);");
	snprintf(want, sizeof(want),
		 "sqlite store '%s' is an SQLite database but not a libssm "
		 "store (no 'libssm-store' format marker)",
		 path2);
	assert_string_equal(want, open_fails(f, url2, SSM_ERROR));
}

static void sqlite_maintenance_tables_do_not_make_a_store_foreign(void **state)
{
	struct fixture *f = *state;

	open_store(f);
	put_s(f->store, "k", "v");
	ssm_store_close(f->store);
	f->store = NULL;
	raw_exec(f->path, "ANALYZE");
	open_store(f);
	assert_value(f->store, "k", "v");
}

static void an_empty_file_becomes_a_new_store(void **state)
{
	struct fixture *f = *state;

	write_file(f->path, "", 0);
	open_store(f);
	put_s(f->store, "k", "v");
	assert_value(f->store, "k", "v");
}

static void a_newer_format_version_is_refused(void **state)
{
	struct fixture *f = *state;
	char want[700];

	open_store(f);
	put_s(f->store, "k", "v");
	ssm_store_close(f->store);
	f->store = NULL;
	raw_exec(f->path,
		 "UPDATE meta SET value = 3 WHERE name = 'format_version'");
	snprintf(want, sizeof(want),
		 "sqlite store '%s' has format version 3; this libssm reads "
		 "version 2 and older",
		 f->path);
	assert_string_equal(want, open_fails(f, f->url, SSM_ERROR));
}

/* A file written by libssm before leases (format version 1). */
static void a_version_1_file_is_migrated_to_version_2(void **state)
{
	struct fixture *f = *state;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	uint64_t rev = 0, id = 0;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	raw_exec(f->path,
		 "CREATE TABLE meta(name TEXT PRIMARY KEY NOT NULL, value) "
		 "WITHOUT ROWID;"
		 "CREATE TABLE kv(key BLOB PRIMARY KEY NOT NULL, "
		 "create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL, "
		 "version INTEGER NOT NULL, value BLOB NOT NULL) WITHOUT "
		 "ROWID;"
		 "CREATE TABLE changes(rev INTEGER NOT NULL, seq INTEGER NOT "
		 "NULL, type INTEGER NOT NULL, create_rev INTEGER NOT NULL, "
		 "version INTEGER NOT NULL, key BLOB NOT NULL, value BLOB, "
		 "PRIMARY KEY(rev, seq)) WITHOUT ROWID;"
		 "INSERT INTO meta VALUES ('format', 'libssm-store'), "
		 "('format_version', 1), ('compacted', 0);"
		 "INSERT INTO kv VALUES (X'6f6c64', 1, 2, 2, X'7631');"
		 "INSERT INTO changes VALUES (1, 0, 1, 1, 1, X'6f6c64', "
		 "X'7630');"
		 "INSERT INTO changes VALUES (2, 0, 1, 1, 2, X'6f6c64', "
		 "X'7631');"
		 "PRAGMA application_id = 1280529229;");
	open_store(f);
	assert_int_equal(SSM_OK, ssm_store_get(&kv, f->store, "old", 3));
	assert_string_equal("v1", kv.value.ptr);
	assert_int_equal(1, kv.create_revision);
	assert_int_equal(2, kv.mod_revision);
	assert_int_equal(2, kv.version);
	assert_int_equal(0, kv.lease);
	assert_int_equal(SSM_OK, ssm_store_revision(&rev, f->store));
	assert_int_equal(2, rev);
	assert_int_equal(SSM_OK,
			 ssm_store_lease_grant(&id, NULL, f->store, 60000));
	{
		ssm_store_put_options o = SSM_STORE_PUT_OPTIONS_INIT;

		o.lease = id;
		assert_int_equal(SSM_OK, ssm_store_put(&rev, f->store, "new", 3,
						       "n", 1, &o));
		assert_int_equal(3, rev);
	}
	assert_int_equal(SSM_OK, ssm_store_lease_revoke(&rev, f->store, id));
	assert_int_equal(4, rev);
	ssm_store_close(f->store);
	f->store = NULL;

	assert_int_equal(SQLITE_OK, sqlite3_open(f->path, &db));
	assert_int_equal(SQLITE_OK,
			 sqlite3_prepare_v2(db,
					    "SELECT value FROM meta WHERE name "
					    "= 'format_version'",
					    -1, &st, NULL));
	assert_int_equal(SQLITE_ROW, sqlite3_step(st));
	assert_int_equal(2, sqlite3_column_int(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	/* and it opens again as it is */
	open_store(f);
	assert_value(f->store, "old", "v1");
	ssm_store_kv_dispose(&kv);
}

static void a_lease_that_ran_out_while_closed_expires_at_open(void **state)
{
	struct fixture *f = *state;
	ssm_store_put_options o = SSM_STORE_PUT_OPTIONS_INIT;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	uint64_t id = 0;
	int i;
	ssm_err e = SSM_OK;

	open_store(f);
	assert_int_equal(SSM_OK,
			 ssm_store_lease_grant(&id, NULL, f->store, 200));
	o.lease = id;
	assert_int_equal(SSM_OK,
			 ssm_store_put(NULL, f->store, "k", 1, "v", 1, &o));
	ssm_store_close(f->store);
	f->store = NULL;
	usleep(400 * 1000);
	open_store(f);
	for (i = 0; i < 250; i++) {
		e = ssm_store_get(&kv, f->store, "k", 1);
		if (e == SSM_ENOTFOUND)
			break;
		usleep(20 * 1000);
	}
	assert_int_equal(SSM_ENOTFOUND, e);
	ssm_store_kv_dispose(&kv);
}

static void a_missing_directory_is_refused(void **state)
{
	struct fixture *f = *state;
	char url[700], want[900];

	snprintf(url, sizeof(url), "sqlite://%s/nope/state.db", tmpdir);
	snprintf(want, sizeof(want),
		 "sqlite store '%s/nope/state.db': directory '%s/nope' does "
		 "not exist",
		 tmpdir, tmpdir);
	assert_string_equal(want, open_fails(f, url, SSM_ERROR));
}

static void a_read_only_file_is_refused(void **state)
{
	struct fixture *f = *state;
	char want[700];
	const char *msg;
	bool was;

	open_store(f);
	put_s(f->store, "k", "v");
	ssm_store_close(f->store);
	f->store = NULL;
	assert_int_equal(0, chmod(f->path, 0444));
	was = become_nobody();
	msg = open_fails(f, f->url, SSM_ERROR);
	become_root(was);
	snprintf(want, sizeof(want),
		 "sqlite store '%s' is read-only: Permission denied", f->path);
	assert_string_equal(want, msg);
	assert_int_equal(0, chmod(f->path, 0644));
	open_store(f);
	assert_value(f->store, "k", "v");
}

static void a_read_only_directory_is_refused(void **state)
{
	struct fixture *f = *state;
	char dir[600], path[700], url[800], want[1600];
	const char *msg;
	bool was;

	snprintf(dir, sizeof(dir), "%s/ro%u", tmpdir, case_no);
	assert_int_equal(0, mkdir(dir, 0755));
	snprintf(path, sizeof(path), "%s/state.db", dir);
	snprintf(url, sizeof(url), "sqlite://%s", path);
	assert_int_equal(SSM_OK, ssm_store_open(&f->store, f->ctx, url));
	put_s(f->store, "k", "v");
	ssm_store_close(f->store);
	f->store = NULL;
	assert_int_equal(0, chmod(path, 0666));
	assert_int_equal(0, chmod(dir, 0555));
	was = become_nobody();
	msg = open_fails(f, url, SSM_ERROR);
	become_root(was);
	snprintf(want, sizeof(want),
		 "sqlite store '%s': directory '%s' is not writable (SQLite "
		 "keeps its -wal and -shm files there): Permission denied",
		 path, dir);
	assert_string_equal(want, msg);
	assert_int_equal(0, chmod(dir, 0755));
}

/* The root page of @table, from the file's schema. */
static int root_page(const char *path, const char *table)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int page = 0;

	assert_int_equal(SQLITE_OK, sqlite3_open(path, &db));
	assert_int_equal(
		SQLITE_OK,
		sqlite3_prepare_v2(db,
				   "SELECT rootpage FROM sqlite_schema "
				   "WHERE name = ?1",
				   -1, &st, NULL));
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		page = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return page;
}

static void scribble(const char *path, long offset, size_t len)
{
	unsigned char junk[4096];
	int fd;
	size_t i;

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 151 + 7);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal((ssize_t)len, pwrite(fd, junk, len, offset));
	close(fd);
}

static void a_corrupt_file_gives_clear_errors_not_a_crash(void **state)
{
	struct fixture *f = *state;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	char want[700];
	int page;

	open_store(f);
	put_s(f->store, "a", "1");
	put_s(f->store, "b", "2");
	ssm_store_close(f->store);
	f->store = NULL;
	page = root_page(f->path, "kv");
	assert_true(page > 1);

	/* the table of keys: the store opens, reads fail */
	scribble(f->path, (long)(page - 1) * 4096, 4096);
	open_store(f);
	assert_int_equal(SSM_ERROR, ssm_store_get(&kv, f->store, "a", 1));
	snprintf(want, sizeof(want),
		 "sqlite get on '%s': database disk image is malformed",
		 f->path);
	assert_string_equal(want, ssm_error_last()->message);
	assert_int_equal(SSM_ERROR,
			 ssm_store_range(&kvs, f->store, "", 0, NULL));
	snprintf(want, sizeof(want),
		 "sqlite range on '%s': database disk image is malformed",
		 f->path);
	assert_string_equal(want, ssm_error_last()->message);
	assert_int_equal(SSM_ERROR,
			 ssm_store_put(NULL, f->store, "c", 1, "3", 1, NULL));
	assert_non_null(strstr(ssm_error_last()->message, f->path));
	ssm_store_close(f->store);
	f->store = NULL;

	/* the schema page: the store does not open */
	scribble(f->path, 100, 200);
	snprintf(want, sizeof(want), "sqlite store '%s' is corrupt: ", f->path);
	assert_non_null(strstr(open_fails(f, f->url, SSM_ERROR), want));
	ssm_store_kvs_dispose(&kvs);
	ssm_store_kv_dispose(&kv);
}

/* ---- URL options --------------------------------------------------------- */

static void url_options_are_checked(void **state)
{
	struct fixture *f = *state;
	char url[700];

	snprintf(url, sizeof(url), "%s?synchronous=normal&history=5", f->url);
	assert_int_equal(SSM_OK, ssm_store_open(&f->store, f->ctx, url));
	put_s(f->store, "k", "v");
	assert_value(f->store, "k", "v");

	snprintf(url, sizeof(url), "%s?synchronous=off", f->url);
	assert_string_equal("sqlite store option synchronous=off must be full "
			    "or normal",
			    open_fails(f, url, SSM_EINVALID));
	snprintf(url, sizeof(url), "%s?history=0", f->url);
	assert_string_equal("sqlite store option history=0 is not a number "
			    "in 1..100000000",
			    open_fails(f, url, SSM_EINVALID));
	snprintf(url, sizeof(url), "%s?color=red", f->url);
	assert_string_equal("unknown sqlite store option 'color'",
			    open_fails(f, url, SSM_EINVALID));
	assert_string_equal("sqlite store URL 'sqlite:' has no path (use "
			    "sqlite:///absolute/path.db or "
			    "sqlite://relative.db)",
			    open_fails(f, "sqlite:", SSM_EINVALID));
	assert_string_equal("sqlite store URL 'sqlite://?history=3' has no "
			    "path (use sqlite:///absolute/path.db or "
			    "sqlite://relative.db)",
			    open_fails(f, "sqlite://?history=3", SSM_EINVALID));
}

static void a_relative_path_is_relative_to_the_working_directory(void **state)
{
	struct fixture *f = *state;
	char cwd[512], url[64];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(0, chdir(tmpdir));
	snprintf(url, sizeof(url), "sqlite://rel%u.db", case_no);
	assert_int_equal(SSM_OK, ssm_store_open(&f->store, f->ctx, url));
	assert_int_equal(0, chdir(cwd));
	put_s(f->store, "k", "v");
	assert_value(f->store, "k", "v");
	snprintf(f->path, sizeof(f->path), "%s/rel%u.db", tmpdir, case_no);
	assert_int_equal(0, access(f->path, F_OK));
}

/* ---- a failure in the middle of a transaction ---------------------------- */

static void a_failure_mid_transaction_writes_nothing(void **state)
{
	struct fixture *f = *state;
	ssm_store_op ops[3] = {
		{ SSM_STORE_OP_PUT, "m/a", 3, "new", 3, 0 },
		{ SSM_STORE_OP_PUT, "m/b", 3, "new", 3, 0 },
		{ SSM_STORE_OP_DELETE_PREFIX, "m/c/", 4, NULL, 0, 0 },
	};
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	uint64_t r0, now, rev = 0;
	char want[64];
	int k;

	open_store(f);
	put_s(f->store, "m/a", "old");
	put_s(f->store, "m/c/1", "old");
	r0 = put_s(f->store, "m/c/2", "old");
	for (k = 0; k <= 4; k++) {
		assert_int_equal(SSM_OK,
				 ssm_sqlite__fail_after_ops(f->store, k));
		assert_int_equal(SSM_ERROR, ssm_store_txn(NULL, f->store, NULL,
							  0, ops, 3));
		snprintf(want, sizeof(want), "injected fault after %d ops",
			 k < 3 ? k : 3);
		assert_string_equal(want, ssm_error_last()->message);
		assert_int_equal(SSM_OK, ssm_store_revision(&now, f->store));
		assert_int_equal(r0, now);
		assert_value(f->store, "m/a", "old");
		assert_absent(f->store, "m/b");
		assert_int_equal(
			SSM_OK, ssm_store_range(&kvs, f->store, "m/", 2, NULL));
		assert_int_equal(3, kvs.count);
		assert_int_equal(r0, kvs.revision);
	}
	/* the hook fires once; the next transaction goes through */
	assert_int_equal(SSM_OK,
			 ssm_store_txn(&rev, f->store, NULL, 0, ops, 3));
	assert_int_equal(r0 + 1, rev);
	assert_value(f->store, "m/a", "new");
	assert_value(f->store, "m/b", "new");
	assert_int_equal(SSM_OK,
			 ssm_store_range(&kvs, f->store, "m/c/", 4, NULL));
	assert_int_equal(0, kvs.count);
	ssm_store_kvs_dispose(&kvs);

	assert_int_equal(SSM_OK, ssm_sqlite__fail_after_ops(f->store, -1));
	{
		ssm_store *mem = NULL;
		ssm_sqlite_stats st;

		assert_int_equal(SSM_OK,
				 ssm_store_open(&mem, f->ctx, "memory:"));
		assert_int_equal(SSM_EINVALID,
				 ssm_sqlite__fail_after_ops(mem, 1));
		assert_string_equal("store is not an sqlite store",
				    ssm_error_last()->message);
		assert_int_equal(SSM_EINVALID, ssm_sqlite__stats(&st, mem));
		ssm_store_close(mem);
	}
}

/* ---- group commit -------------------------------------------------------- */

#define GC_THREADS 8
#define GC_PUTS 40

struct gc_worker {
	ssm_store *store;
	int id;
	int failures;
};

static void *gc_main(void *arg)
{
	struct gc_worker *w = arg;
	char key[32];
	int i;

	for (i = 0; i < GC_PUTS; i++) {
		snprintf(key, sizeof(key), "g/%d/%03d", w->id, i);
		if (ssm_store_put(NULL, w->store, key, strlen(key), key,
				  strlen(key), NULL) < 0)
			w->failures++;
	}
	return NULL;
}

static void group_commit_batches_concurrent_writers(void **state)
{
	struct fixture *f = *state;
	struct gc_worker w[GC_THREADS];
	pthread_t t[GC_THREADS];
	ssm_sqlite_stats before, after;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	uint64_t rev;
	int i;

	open_store(f);
	assert_int_equal(SSM_OK, ssm_sqlite__stats(&before, f->store));
	for (i = 0; i < GC_THREADS; i++) {
		w[i].store = f->store;
		w[i].id = i;
		w[i].failures = 0;
		assert_int_equal(0,
				 pthread_create(&t[i], NULL, gc_main, &w[i]));
	}
	for (i = 0; i < GC_THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(0, w[i].failures);
	}
	assert_int_equal(SSM_OK, ssm_sqlite__stats(&after, f->store));
	assert_int_equal(GC_THREADS * GC_PUTS,
			 after.requests - before.requests);
	print_message("group commit: %llu requests in %llu commits\n",
		      (unsigned long long)(after.requests - before.requests),
		      (unsigned long long)(after.commits - before.commits));
	assert_true(after.commits - before.commits <
		    after.requests - before.requests);
	/* each put still has its own revision */
	assert_int_equal(SSM_OK, ssm_store_revision(&rev, f->store));
	assert_int_equal(GC_THREADS * GC_PUTS, rev);
	assert_int_equal(SSM_OK,
			 ssm_store_range(&kvs, f->store, "g/", 2, NULL));
	assert_int_equal(GC_THREADS * GC_PUTS, kvs.count);
	ssm_store_kvs_dispose(&kvs);
}

/* A request that fails inside a shared batch is rolled back alone. */
struct bf_worker {
	ssm_store *store;
	int id;
	int ok;
	int failed;
	char failed_key[32];
	char message[128];
};

static void *bf_main(void *arg)
{
	struct bf_worker *w = arg;
	char key[32];
	int i;

	for (i = 0; i < GC_PUTS; i++) {
		snprintf(key, sizeof(key), "b/%d/%03d", w->id, i);
		if (ssm_store_put(NULL, w->store, key, strlen(key), key,
				  strlen(key), NULL) == SSM_OK) {
			w->ok++;
		} else {
			w->failed++;
			snprintf(w->failed_key, sizeof(w->failed_key), "%s",
				 key);
			snprintf(w->message, sizeof(w->message), "%s",
				 ssm_error_last()->message);
		}
	}
	return NULL;
}

static void a_failing_request_in_a_batch_fails_alone(void **state)
{
	struct fixture *f = *state;
	struct bf_worker w[GC_THREADS];
	pthread_t t[GC_THREADS];
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	uint64_t rev = 0;
	int i, ok = 0, failed = 0, attempted = GC_THREADS * GC_PUTS;

	open_store(f);
	for (i = 0; i < GC_THREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].store = f->store;
		w[i].id = i;
		assert_int_equal(0,
				 pthread_create(&t[i], NULL, bf_main, &w[i]));
	}
	/* once the writers are busy, fail one request of a batch midway */
	while (rev < GC_THREADS * GC_PUTS / 4)
		assert_int_equal(SSM_OK, ssm_store_revision(&rev, f->store));
	assert_int_equal(SSM_OK, ssm_sqlite__fail_after_ops(f->store, 0));
	for (i = 0; i < GC_THREADS; i++) {
		pthread_join(t[i], NULL);
		ok += w[i].ok;
		failed += w[i].failed;
		if (w[i].failed) {
			assert_string_equal("injected fault after 0 ops",
					    w[i].message);
			assert_absent(f->store, w[i].failed_key);
		}
	}
	if (failed == 0) {
		/* the writers were done before the hook was armed (a slow
		 * scheduler): it is still armed for the next request */
		assert_int_equal(SSM_ERROR, ssm_store_put(NULL, f->store, "b/x",
							  3, "x", 1, NULL));
		assert_string_equal("injected fault after 0 ops",
				    ssm_error_last()->message);
		assert_absent(f->store, "b/x");
		failed = 1;
		attempted++;
	}
	assert_int_equal(1, failed);
	assert_int_equal(attempted - 1, ok);
	assert_int_equal(SSM_OK, ssm_store_revision(&rev, f->store));
	assert_int_equal(ok, rev);
	assert_int_equal(SSM_OK,
			 ssm_store_range(&kvs, f->store, "b/", 2, NULL));
	assert_int_equal(ok, kvs.count);
	ssm_store_kvs_dispose(&kvs);
}

/* ---- several handles on one file ----------------------------------------- */

struct inc_worker {
	ssm_store *store;
	int done;
	int conflicts;
};

static void *inc_main(void *arg)
{
	struct inc_worker *w = arg;

	while (w->done < 30) {
		ssm_store_kv kv = SSM_STORE_KV_INIT;
		ssm_store_put_options o = SSM_STORE_PUT_OPTIONS_INIT;
		char buf[32];
		long n = 0;
		ssm_err e;

		o.flags = SSM_STORE_PUT_IF_MOD_REVISION;
		if (ssm_store_get(&kv, w->store, "n", 1) == SSM_OK) {
			n = strtol(kv.value.ptr, NULL, 10);
			o.mod_revision = kv.mod_revision;
		}
		ssm_store_kv_dispose(&kv);
		snprintf(buf, sizeof(buf), "%ld", n + 1);
		e = ssm_store_put(NULL, w->store, "n", 1, buf, strlen(buf), &o);
		if (e == SSM_OK)
			w->done++;
		else if (e == SSM_ECONFLICT)
			w->conflicts++;
		else
			return (void *)1;
	}
	return NULL;
}

struct watch_log {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int count;
	ssm_err error;
	uint64_t revs[16];
};

static int on_events(const ssm_store_event *events, size_t count, ssm_err error,
		     void *payload)
{
	struct watch_log *log = payload;
	size_t i;

	pthread_mutex_lock(&log->lock);
	if (error < 0)
		log->error = error;
	for (i = 0; i < count; i++) {
		if (log->count < 16)
			log->revs[log->count] = events[i].kv.mod_revision;
		log->count++;
	}
	pthread_cond_broadcast(&log->cond);
	pthread_mutex_unlock(&log->lock);
	return 0;
}

static void log_init(struct watch_log *log)
{
	memset(log, 0, sizeof(*log));
	pthread_mutex_init(&log->lock, NULL);
	ssm__cond_init(&log->cond);
}

static bool wait_events(struct watch_log *log, int n)
{
	int64_t deadline = ssm__mono_ms() + 10000;
	bool ok;

	pthread_mutex_lock(&log->lock);
	while (log->count < n && log->error == SSM_OK &&
	       ssm__mono_ms() < deadline)
		ssm__cond_wait_until(&log->cond, &log->lock, deadline);
	ok = log->count >= n;
	pthread_mutex_unlock(&log->lock);
	return ok;
}

static void two_handles_on_one_file_see_each_other(void **state)
{
	struct fixture *f = *state;
	ssm_store *other = NULL;
	ssm_store_watch *w = NULL;
	struct watch_log log;
	struct inc_worker iw[2];
	pthread_t t[2];
	uint64_t r1, r2, rev;
	void *ret;
	int i;

	open_store(f);
	assert_int_equal(SSM_OK, ssm_store_open(&other, f->ctx, f->url));
	log_init(&log);
	/* a watch on one handle sees writes made through the other, which
	 * does not notify it: found by polling */
	assert_int_equal(SSM_OK, ssm_store_watch_start(&w, other, "x/", 2, 0,
						       on_events, &log));
	r1 = put_s(f->store, "x/1", "from a");
	assert_value(other, "x/1", "from a");
	r2 = put_s(other, "x/2", "from b");
	assert_int_equal(r1 + 1, r2);
	assert_value(f->store, "x/2", "from b");
	assert_int_equal(SSM_OK, ssm_store_revision(&rev, f->store));
	assert_int_equal(r2, rev);
	assert_true(wait_events(&log, 2));
	ssm_store_watch_free(w);
	assert_int_equal(r1, log.revs[0]);
	assert_int_equal(r2, log.revs[1]);

	/* compare-and-swap serialises writers on different connections */
	for (i = 0; i < 2; i++) {
		iw[i].store = i ? other : f->store;
		iw[i].done = iw[i].conflicts = 0;
		assert_int_equal(0,
				 pthread_create(&t[i], NULL, inc_main, &iw[i]));
	}
	for (i = 0; i < 2; i++) {
		pthread_join(t[i], &ret);
		assert_null(ret);
	}
	assert_value(f->store, "n", "60");
	assert_value(other, "n", "60");
	ssm_store_close(other);
}

static void reads_do_not_wait_for_a_writer(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db = NULL;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	int64_t t0;

	open_store(f);
	put_s(f->store, "k", "v");
	/* another process holds the write lock with uncommitted changes */
	assert_int_equal(SQLITE_OK, sqlite3_open(f->path, &db));
	assert_int_equal(SQLITE_OK,
			 sqlite3_exec(db,
				      "BEGIN IMMEDIATE; UPDATE meta SET value "
				      "= value + 100 WHERE name = 'revision'",
				      NULL, NULL, NULL));
	t0 = ssm__mono_ms();
	assert_value(f->store, "k", "v");
	assert_int_equal(SSM_OK, ssm_store_range(&kvs, f->store, "", 0, NULL));
	assert_int_equal(1, kvs.count);
	assert_int_equal(1, kvs.revision);
	assert_true(ssm__mono_ms() - t0 < 1000);
	assert_int_equal(SQLITE_OK,
			 sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL));
	sqlite3_close(db);
	ssm_store_kvs_dispose(&kvs);
}

/* ---- watch history ------------------------------------------------------- */

static void watch_history_is_compacted_to_the_last_n_changes(void **state)
{
	struct fixture *f = *state;
	struct watch_log log;
	ssm_store_watch *w = NULL;
	char url[700], want[900];
	int i;

	snprintf(url, sizeof(url), "%s?history=2", f->url);
	assert_int_equal(SSM_OK, ssm_store_open(&f->store, f->ctx, url));
	for (i = 0; i < 5; i++)
		put_s(f->store, "c", "x");
	log_init(&log);
	assert_int_equal(
		SSM_ENOTFOUND,
		ssm_store_watch_start(&w, f->store, "", 0, 1, on_events, &log));
	snprintf(want, sizeof(want),
		 "revision 1 has been compacted (the sqlite store '%s' keeps "
		 "changes after revision 3)",
		 f->path);
	assert_string_equal(want, ssm_error_last()->message);
	assert_null(w);
	assert_int_equal(SSM_OK, ssm_store_watch_start(&w, f->store, "", 0, 4,
						       on_events, &log));
	assert_true(wait_events(&log, 2));
	ssm_store_watch_free(w);
	assert_int_equal(4, log.revs[0]);
	assert_int_equal(5, log.revs[1]);

	/* the history survives a reopen, compaction included */
	ssm_store_close(f->store);
	f->store = NULL;
	open_store(f);
	assert_int_equal(
		SSM_ENOTFOUND,
		ssm_store_watch_start(&w, f->store, "", 0, 3, on_events, &log));
	log_init(&log);
	assert_int_equal(SSM_OK, ssm_store_watch_start(&w, f->store, "", 0, 5,
						       on_events, &log));
	assert_true(wait_events(&log, 1));
	ssm_store_watch_free(w);
	assert_int_equal(5, log.revs[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(a_file_that_is_not_sqlite_is_refused_and_left_alone),
		T(an_sqlite_file_of_someone_else_is_refused),
		T(an_empty_file_becomes_a_new_store),
		T(sqlite_maintenance_tables_do_not_make_a_store_foreign),
		T(a_newer_format_version_is_refused),
		T(a_version_1_file_is_migrated_to_version_2),
		T(a_lease_that_ran_out_while_closed_expires_at_open),
		T(a_missing_directory_is_refused),
		T(a_read_only_file_is_refused),
		T(a_read_only_directory_is_refused),
		T(a_corrupt_file_gives_clear_errors_not_a_crash),
		T(url_options_are_checked),
		T(a_relative_path_is_relative_to_the_working_directory),
		T(a_failure_mid_transaction_writes_nothing),
		T(group_commit_batches_concurrent_writers),
		T(a_failing_request_in_a_batch_fails_alone),
		T(two_handles_on_one_file_see_each_other),
		T(reads_do_not_wait_for_a_writer),
		T(watch_history_is_compacted_to_the_last_n_changes),
#undef T
	};
	int failed;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ssm-test-sqlite-XXXXXX");
	if (!mkdtemp(tmpdir) || chmod(tmpdir, 0755) < 0)
		return 2;
	if (ssm_init() < 0)
		return 2;
	failed = cmocka_run_group_tests_name("store-sqlite", tests, NULL, NULL);
	ssm_shutdown();
	{
		char cmd[700];

		snprintf(cmd, sizeof(cmd), "chmod -R u+w '%s'; rm -rf '%s'",
			 tmpdir, tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
	return failed;
}
