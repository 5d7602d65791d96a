/* SPDX-License-Identifier: Apache-2.0 */
/* sqlite: the embedded default store, one SQLite file in WAL mode.
 *
 * URL: sqlite:///abs/path/state.db or sqlite://relative/path.db, with
 * optional ?history=N (changes kept for watches, default 10000) and
 * ?synchronous=full|normal (default full: an acknowledged write survives
 * kill -9 and power loss).
 *
 * Schema (format "libssm-store" version 2):
 *   meta(name PRIMARY KEY, value)   format, format_version, compacted
 *                                   (newest revision whose changes were
 *                                   dropped), last_lease (last id granted)
 *   kv(key BLOB PRIMARY KEY, create_rev, mod_rev, version, lease,
 *      value BLOB)                  with a partial index on lease != 0
 *   changes((rev, seq) PRIMARY KEY, type, create_rev, version, key, value,
 *      lease)                       the last N changes, for watches (N to
 *                                   N + N/8 between compactions)
 *   leases(id PRIMARY KEY, ttl_ms, expires_ms)
 *                                   live leases; expires_ms on the wall
 *                                   clock, so that every process sharing
 *                                   the file agrees
 * Version 1 (no leases) is migrated to 2 when opened.
 * The store's revision is that of its newest change, which compaction
 * always keeps: a commit then writes just two pages, one of kv and the
 * tail of changes. All tables are WITHOUT ROWID; BLOB keys compare with memcmp,
 * so SQL order is the store's byte order. Values come last in their rows so
 * that keys-only reads never touch a large value's overflow pages.
 *
 * Writes use group commit, leader/follower style: a caller queues its
 * request; if no batch is running it becomes the leader, takes every queued
 * request, applies each inside its own SAVEPOINT (a request whose compares
 * fail or that errors is rolled back alone; later requests see earlier
 * ones' writes; a batch of one needs no savepoint), gives each changing
 * request its own revision, commits once (one fsync for all) and wakes the
 * writers it served. Requests that arrive meanwhile form the next batch,
 * led by the first of them. Errors cross threads with
 * ssm_error__save/restore. If the commit fails, every request fails.
 *
 * Reads use a pool of WAL reader connections with cached statements, so
 * they never wait for writers. Other processes may share the file: every
 * write transaction reads the revision under SQLite's write lock, and
 * watches poll for changes made elsewhere.
 *
 * Leases are rows of the leases table; grants, keep-alives and revokes are
 * requests of the group commit like transactions. A reaper thread (started
 * by the first grant, or at open when the file holds leases) revokes those
 * whose expires_ms has passed, each in its own transaction, and looks
 * again every second for leases other processes changed. */
#include <errno.h>
#include <semaphore.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/alloc.h"
#include "core/ctx.h"
#include "core/error.h"
#include "core/str.h"
#include "core/thread.h"
#include "stores/builtin.h"
#include "stores/sqlite.h"

#define FORMAT_NAME "libssm-store"
#define FORMAT_VERSION 2
/* PRAGMA application_id: 0x4c53534d, "LSSM", in the file header */
#define APPLICATION_ID "1280529229"
#define DEFAULT_HISTORY 10000
#define WATCH_POLL_MS 150
#define BUSY_TIMEOUT_MS 10000
#define READERS_MAX 32
#define GATHER_US 500 /* longest wait of a leader for more writers */
#define KEY_REPR 220
#define LEASE_POLL_MS 1000
#define EXPIRE_BATCH 64

/* ---- statements ------------------------------------------------------ */

enum wstmt {
	W_BEGIN,
	W_COMMIT,
	W_ROLLBACK,
	W_SAVEPOINT,
	W_RELEASE,
	W_ROLLBACK_TO,
	W_STATE,
	W_SET_COMPACTED,
	W_COUNT_CHANGES,
	W_MODREV,
	W_PUT,
	W_DEL,
	W_LOG,
	W_LOG_DELPFX,
	W_DELPFX,
	W_COMPACT_FIND,
	W_COMPACT_BEFORE,
	W_COMPACT_AT,
	W_LEASE_EXISTS,
	W_LAST_LEASE,
	W_SET_LAST_LEASE,
	W_LEASE_INSERT,
	W_LEASE_RENEW,
	W_LEASE_EXPIRES,
	W_LOG_LEASE,
	W_DEL_LEASE_KEYS,
	W_LEASE_DELETE,
	W_COUNT
};

static const char *const wsql[W_COUNT] = {
	[W_BEGIN] = "BEGIN IMMEDIATE",
	[W_COMMIT] = "COMMIT",
	[W_ROLLBACK] = "ROLLBACK",
	[W_SAVEPOINT] = "SAVEPOINT req",
	[W_RELEASE] = "RELEASE req",
	[W_ROLLBACK_TO] = "ROLLBACK TO req",
	[W_STATE] = "SELECT (SELECT max(rev) FROM changes), "
		    "(SELECT value FROM meta WHERE name = 'compacted')",
	[W_SET_COMPACTED] =
		"UPDATE meta SET value = ?1 WHERE name = 'compacted'",
	[W_COUNT_CHANGES] = "SELECT count(*) FROM changes",
	[W_MODREV] = "SELECT mod_rev FROM kv WHERE key = ?1",
	[W_PUT] = "INSERT INTO kv(key, create_rev, mod_rev, version, lease, "
		  "value) VALUES (?1, ?3, ?3, 1, ?4, ?2) ON CONFLICT(key) DO "
		  "UPDATE SET value = excluded.value, mod_rev = "
		  "excluded.mod_rev, version = version + 1, lease = "
		  "excluded.lease RETURNING create_rev, version",
	[W_DEL] = "DELETE FROM kv WHERE key = ?1",
	[W_LOG] = "INSERT INTO changes(rev, seq, type, create_rev, version, "
		  "key, value, lease) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[W_LOG_DELPFX] = "INSERT INTO changes(rev, seq, type, create_rev, "
			 "version, key, value) SELECT ?1, ?2 - 1 + "
			 "row_number() OVER (ORDER BY key), 2, 0, 0, key, "
			 "NULL FROM kv WHERE key >= ?3 AND key < ?4",
	[W_DELPFX] = "DELETE FROM kv WHERE key >= ?1 AND key < ?2",
	[W_COMPACT_FIND] = "SELECT rev, seq FROM changes ORDER BY rev, seq "
			   "LIMIT 1 OFFSET ?1",
	[W_COMPACT_BEFORE] = "DELETE FROM changes WHERE rev < ?1",
	[W_COMPACT_AT] = "DELETE FROM changes WHERE rev = ?1 AND seq <= ?2",
	[W_LEASE_EXISTS] = "SELECT 1 FROM leases WHERE id = ?1",
	[W_LAST_LEASE] = "SELECT value FROM meta WHERE name = 'last_lease'",
	[W_SET_LAST_LEASE] =
		"UPDATE meta SET value = ?1 WHERE name = 'last_lease'",
	[W_LEASE_INSERT] = "INSERT INTO leases(id, ttl_ms, expires_ms) "
			   "VALUES (?1, ?2, ?3)",
	[W_LEASE_RENEW] = "UPDATE leases SET expires_ms = ?2 + ttl_ms WHERE "
			  "id = ?1 AND expires_ms > ?2 RETURNING ttl_ms",
	[W_LEASE_EXPIRES] = "SELECT expires_ms FROM leases WHERE id = ?1",
	/* "lease != 0" lets SQLite use the partial index */
	[W_LOG_LEASE] = "INSERT INTO changes(rev, seq, type, create_rev, "
			"version, key, value, lease) SELECT ?1, ?2 - 1 + "
			"row_number() OVER (ORDER BY key), 2, 0, 0, key, "
			"NULL, 0 FROM kv WHERE lease = ?3 AND lease != 0",
	[W_DEL_LEASE_KEYS] = "DELETE FROM kv WHERE lease = ?1 AND lease != 0",
	[W_LEASE_DELETE] = "DELETE FROM leases WHERE id = ?1",
};

enum rstmt {
	R_BEGIN,
	R_COMMIT,
	R_META,
	R_REV,
	R_GET,
	R_RANGE,
	R_RANGE_KEYS,
	R_CHANGES,
	R_LEASES_DUE,
	R_LEASES_NEXT,
	R_COUNT
};

static const char *const rsql[R_COUNT] = {
	[R_BEGIN] = "BEGIN",
	[R_COMMIT] = "COMMIT",
	[R_META] = "SELECT value FROM meta WHERE name = ?1",
	[R_REV] = "SELECT max(rev) FROM changes",
	[R_GET] = "SELECT value, create_rev, mod_rev, version, lease FROM kv "
		  "WHERE key = ?1",
	[R_RANGE] = "SELECT key, value, create_rev, mod_rev, version, lease "
		    "FROM kv WHERE key >= ?1 AND key < ?2 ORDER BY key "
		    "LIMIT ?3",
	[R_RANGE_KEYS] = "SELECT key, NULL, create_rev, mod_rev, version, "
			 "lease FROM kv WHERE key >= ?1 AND key < ?2 ORDER BY "
			 "key LIMIT ?3",
	[R_CHANGES] = "SELECT rev, type, create_rev, version, key, value, "
		      "lease FROM changes WHERE rev > ?1 AND key >= ?2 AND "
		      "key < ?3 ORDER BY rev, seq",
	[R_LEASES_DUE] = "SELECT id FROM leases WHERE expires_ms <= ?1 "
			 "ORDER BY expires_ms LIMIT ?2",
	[R_LEASES_NEXT] = "SELECT min(expires_ms) FROM leases",
};

#define KV_TABLE_SQL(name)                                             \
	"CREATE TABLE " name "(key BLOB PRIMARY KEY NOT NULL, "        \
	"create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL, "      \
	"version INTEGER NOT NULL, lease INTEGER NOT NULL DEFAULT 0, " \
	"value BLOB NOT NULL) WITHOUT ROWID;"
#define LEASES_TABLE_SQL                                         \
	"CREATE TABLE leases(id INTEGER PRIMARY KEY NOT NULL, "  \
	"ttl_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL);" \
	"CREATE INDEX leases_expires ON leases(expires_ms);"

static const char schema_sql[] =
	"CREATE TABLE meta(name TEXT PRIMARY KEY NOT NULL, value) "
	"WITHOUT ROWID;" KV_TABLE_SQL(
		"kv") "CREATE INDEX kv_lease ON kv(lease) WHERE lease != 0;"
		      "CREATE TABLE changes(rev INTEGER NOT NULL, seq INTEGER "
		      "NOT NULL, "
		      "type INTEGER NOT NULL, create_rev INTEGER NOT NULL, "
		      "version INTEGER NOT NULL, key BLOB NOT NULL, value "
		      "BLOB, "
		      "lease INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(rev, "
		      "seq)) "
		      "WITHOUT ROWID;" LEASES_TABLE_SQL
		      "INSERT INTO meta VALUES ('format', '" FORMAT_NAME "'), "
		      "('format_version', 2), ('compacted', 0), ('last_lease', "
		      "0);";

/* Version 1 to 2: kv gets its lease column before the value (so keys-only
 * reads still never touch a value's overflow pages), changes and the
 * leases table are added. */
static const char migrate_1_2_sql[] = KV_TABLE_SQL(
	"kv2") "INSERT INTO kv2(key, create_rev, mod_rev, version, lease, "
	       "value) "
	       "SELECT key, create_rev, mod_rev, version, 0, value FROM kv;"
	       "DROP TABLE kv;"
	       "ALTER TABLE kv2 RENAME TO kv;"
	       "CREATE INDEX kv_lease ON kv(lease) WHERE lease != 0;"
	       "ALTER TABLE changes ADD COLUMN lease INTEGER NOT NULL DEFAULT "
	       "0;" LEASES_TABLE_SQL
	       "INSERT INTO meta VALUES ('last_lease', 0);"
	       "UPDATE meta SET value = 2 WHERE name = 'format_version';";

/* An upper bound greater than every key the store layer accepts: the end
 * of a range whose prefix has none (empty, or all 0xff). */
static unsigned char no_end_buf[SSM_STORE_KEY_MAX + 1];
static pthread_once_t no_end_once = PTHREAD_ONCE_INIT;

static void no_end_init(void)
{
	memset(no_end_buf, 0xff, sizeof(no_end_buf));
}

/* ---- the store ------------------------------------------------------- */

struct reader {
	sqlite3 *db;
	sqlite3_stmt *st[R_COUNT];
	struct reader *next;
};

/* What a write request does. */
enum wkind {
	WK_TXN = 0,    /* compares and ops */
	WK_GRANT,      /* a new lease of ttl_ms */
	WK_KEEP_ALIVE, /* restart lease's TTL */
	WK_REVOKE,     /* delete lease and its keys */
	WK_EXPIRE      /* the same, if lease is due at now_ms */
};

/* One caller's transaction, on the caller's stack while it waits. */
struct wreq {
	enum wkind kind;
	uint64_t lease; /* in: the lease; out: the one granted */
	int64_t ttl_ms; /* in: to grant; out: granted */
	int64_t now_ms; /* WK_EXPIRE: due at or before */
	const ssm_store_compare *cmps;
	size_t ncmps;
	const ssm_store_op *ops;
	size_t nops;
	struct wreq *next;
	sem_t wake; /* posted once: done, or made the next leader */
	bool done;
	ssm_err result;
	uint64_t rev;
	ssm_error_saved error;
};

/* What a write transaction starts from and advances. */
struct wstate {
	uint64_t rev;	    /* the store's revision */
	uint64_t compacted; /* newest revision whose changes were dropped */
	uint64_t history;   /* rows in changes */
};

struct sqlstore {
	ssm_store parent;
	ssm_ctx *ctx; /* for logging (the core holds the reference) */
	char *path;
	uint64_t history_max;
	bool sync_normal;

	/* the write connection: used by the leader of a batch only */
	sqlite3 *wdb;
	sqlite3_stmt *wst[W_COUNT];

	/* group commit */
	pthread_mutex_t wlock;
	struct wreq *pending;
	struct wreq **pending_tail;
	size_t npending;
	bool leading;
	pthread_cond_t gcond; /* a gathering leader waits here */
	size_t gather_target; /* 0: no leader is gathering */
	size_t last_batch;    /* requests in the last batch */
	/* what the leader's last commit left (read by leaders only) */
	bool known_valid;
	uint64_t known_rev, known_history;
	int fail_after; /* test hook; -1: off */
	ssm_sqlite_stats stats;

	/* reader pool */
	pthread_mutex_t rlock;
	pthread_cond_t rcond;
	struct reader *idle;
	size_t nreaders;

	ssm_store_notifier notifier;
	ssm_store_reaper reaper;
};

static ssm_err sq_open(ssm_store **out, const ssm_store_ops *ops, ssm_ctx *ctx,
		       const char *url, void *payload);

/* ---- helpers --------------------------------------------------------- */

static ssm_err sql_error(const struct sqlstore *s, sqlite3 *db,
			 const char *what)
{
	return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
			      "sqlite %s on '%.300s': %s", what, s->path,
			      sqlite3_errmsg(db));
}

/* Run a statement that returns no rows. */
static ssm_err run(const struct sqlstore *s, sqlite3 *db, sqlite3_stmt *st,
		   const char *what)
{
	int rc = sqlite3_step(st);
	ssm_err error = SSM_OK;

	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		error = sql_error(s, db, what);
	sqlite3_reset(st);
	return error;
}

static void bind_bytes(sqlite3_stmt *st, int i, const void *p, size_t len)
{
	/* a NULL pointer would bind SQL NULL, not an empty blob */
	sqlite3_bind_blob64(st, i, p ? p : "", (sqlite3_uint64)len,
			    SQLITE_STATIC);
}

static uint64_t col_u64(sqlite3_stmt *st, int i)
{
	sqlite3_int64 v = sqlite3_column_int64(st, i);

	return v < 0 ? 0 : (uint64_t)v;
}

/* The bounds of the keys under @prefix: [lo, hi). @hibuf holds
 * prefix_len bytes. */
static void prefix_bounds(const void **hi, size_t *hi_len, unsigned char *hibuf,
			  const void *prefix, size_t prefix_len)
{
	size_t n = ssm_store__prefix_end(hibuf, prefix, prefix_len);

	if (n) {
		*hi = hibuf;
		*hi_len = n;
	} else {
		pthread_once(&no_end_once, no_end_init);
		*hi = no_end_buf;
		*hi_len = sizeof(no_end_buf);
	}
}

/* Open one connection to the file with our settings. */
static ssm_err db_connect(sqlite3 **out, const struct sqlstore *s, int flags)
{
	sqlite3 *db = NULL;
	int rc;

	*out = NULL;
	rc = sqlite3_open_v2(
		s->path, &db,
		flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);
	if (rc != SQLITE_OK) {
		ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
			       "cannot open sqlite store '%.300s': %s", s->path,
			       db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return SSM_ERROR;
	}
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	*out = db;
	return SSM_OK;
}

static ssm_err prepare(sqlite3_stmt **st, const struct sqlstore *s, sqlite3 *db,
		       const char *sql)
{
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
			       NULL) != SQLITE_OK)
		return sql_error(s, db, "prepare");
	return SSM_OK;
}

/* ---- reader pool ----------------------------------------------------- */

static void reader_free(struct reader *r)
{
	int i;

	if (!r)
		return;
	for (i = 0; i < R_COUNT; i++)
		sqlite3_finalize(r->st[i]);
	sqlite3_close(r->db);
	ssm__free(r);
}

static ssm_err reader_new(struct reader **out, struct sqlstore *s)
{
	struct reader *r;
	ssm_err error;
	int i;

	r = ssm__calloc(1, sizeof(*r));
	if (!r)
		return SSM_ERROR;
	error = db_connect(&r->db, s, SQLITE_OPEN_READWRITE);
	if (error < 0)
		goto fail;
	if (sqlite3_exec(r->db, "PRAGMA query_only = 1", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		error = sql_error(s, r->db, "pragma");
		goto fail;
	}
	for (i = 0; i < R_COUNT; i++) {
		error = prepare(&r->st[i], s, r->db, rsql[i]);
		if (error < 0)
			goto fail;
	}
	*out = r;
	return SSM_OK;
fail:
	reader_free(r);
	return error;
}

static ssm_err reader_get(struct reader **out, struct sqlstore *s)
{
	struct reader *r;
	ssm_err error;

	pthread_mutex_lock(&s->rlock);
	while (!s->idle && s->nreaders >= READERS_MAX)
		pthread_cond_wait(&s->rcond, &s->rlock);
	r = s->idle;
	if (r) {
		s->idle = r->next;
		pthread_mutex_unlock(&s->rlock);
		*out = r;
		return SSM_OK;
	}
	s->nreaders++;
	pthread_mutex_unlock(&s->rlock);

	error = reader_new(&r, s);
	if (error < 0) {
		pthread_mutex_lock(&s->rlock);
		s->nreaders--;
		pthread_cond_signal(&s->rcond);
		pthread_mutex_unlock(&s->rlock);
		return error;
	}
	*out = r;
	return SSM_OK;
}

static void reader_put(struct sqlstore *s, struct reader *r)
{
	/* never park a connection inside a read transaction: it would pin
	 * an old snapshot and keep the WAL from being checkpointed */
	if (!sqlite3_get_autocommit(r->db))
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_lock(&s->rlock);
	r->next = s->idle;
	s->idle = r;
	pthread_cond_signal(&s->rcond);
	pthread_mutex_unlock(&s->rlock);
}

/* The store's revision: that of its newest change (compaction always keeps
 * the newest), 0 when it has none. */
static ssm_err read_revision(uint64_t *out, const struct sqlstore *s,
			     struct reader *r)
{
	sqlite3_stmt *st = r->st[R_REV];
	ssm_err error = SSM_OK;

	if (sqlite3_step(st) == SQLITE_ROW)
		*out = col_u64(st, 0);
	else
		error = sql_error(s, r->db, "read");
	sqlite3_reset(st);
	return error;
}

static ssm_err read_meta(uint64_t *out, const struct sqlstore *s,
			 struct reader *r, const char *name)
{
	sqlite3_stmt *st = r->st[R_META];
	ssm_err error = SSM_OK;
	int rc;

	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = col_u64(st, 0);
	else if (rc == SQLITE_DONE)
		error = ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				       "sqlite store '%.300s' is damaged: "
				       "meta entry '%s' is missing",
				       s->path, name);
	else
		error = sql_error(s, r->db, "read");
	sqlite3_reset(st);
	return error;
}

/* ---- open and close -------------------------------------------------- */

static ssm_err sq_query(const char *name, const char *value, void *payload)
{
	struct sqlstore *s = payload;
	char *end;
	unsigned long long n;

	if (strcmp(name, "history") == 0) {
		n = strtoull(value, &end, 10);
		if (*end || !*value || *value == '-' || n < 1 ||
		    n > 100000000ull)
			return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE,
					      NULL,
					      "sqlite store option "
					      "history=%.64s is not a number "
					      "in 1..100000000",
					      value);
		s->history_max = n;
		return SSM_OK;
	}
	if (strcmp(name, "synchronous") == 0) {
		if (strcmp(value, "full") == 0)
			s->sync_normal = false;
		else if (strcmp(value, "normal") == 0)
			s->sync_normal = true;
		else
			return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE,
					      NULL,
					      "sqlite store option "
					      "synchronous=%.64s must be full "
					      "or normal",
					      value);
		return SSM_OK;
	}
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
			      "unknown sqlite store option '%.64s'", name);
}

/* Clear errors about where the file lives before SQLite gives its vaguer
 * ones: a missing or unwritable directory, a read-only file. */
static ssm_err check_location(const struct sqlstore *s)
{
	const char *slash = strrchr(s->path, '/');
	char dir[4096];
	struct stat sb;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == s->path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - s->path),
			 s->path);
	if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode))
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				      "sqlite store '%.300s': directory "
				      "'%.300s' %s",
				      s->path, dir,
				      errno == ENOENT || errno == ENOTDIR
					      ? "does not exist"
					      : "is not a directory");
	if (stat(s->path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE,
					      NULL,
					      "sqlite store '%.300s' is a "
					      "directory, not a file",
					      s->path);
		if (faccessat(AT_FDCWD, s->path, R_OK | W_OK, AT_EACCESS) < 0)
			return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE,
					      NULL,
					      "sqlite store '%.300s' is "
					      "read-only: %s",
					      s->path, strerror(errno));
	}
	if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) < 0)
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				      "sqlite store '%.300s': directory "
				      "'%.300s' is not writable (SQLite keeps "
				      "its -wal and -shm files there): %s",
				      s->path, dir, strerror(errno));
	return SSM_OK;
}

/* Errors of the first reads of a file: say what is wrong with it. */
static ssm_err file_error(const struct sqlstore *s, sqlite3 *db)
{
	switch (sqlite3_errcode(db) & 0xff) {
	case SQLITE_NOTADB:
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				      "sqlite store '%.300s' is not an SQLite "
				      "database",
				      s->path);
	case SQLITE_CORRUPT:
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				      "sqlite store '%.300s' is corrupt: %s",
				      s->path, sqlite3_errmsg(db));
	case SQLITE_READONLY:
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				      "sqlite store '%.300s' is read-only: %s",
				      s->path, sqlite3_errmsg(db));
	default:
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				      "cannot open sqlite store '%.300s': %s",
				      s->path, sqlite3_errmsg(db));
	}
}

/* What the file holds: no tables at all (new), our tables, or others. */
enum content { CONTENT_EMPTY, CONTENT_OURS, CONTENT_FOREIGN };

static ssm_err inspect(enum content *out, const struct sqlstore *s)
{
	sqlite3_stmt *st = NULL;
	bool meta = false, kv = false, changes = false, other = false;
	int rc;

	if (sqlite3_prepare_v2(s->wdb,
			       "SELECT name FROM sqlite_schema "
			       "WHERE type = 'table'",
			       -1, &st, NULL) != SQLITE_OK)
		return file_error(s, s->wdb);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);

		if (!name)
			other = true;
		else if (strncmp(name, "sqlite_", 7) == 0)
			continue; /* SQLite's own (ANALYZE, ...) */
		else if (strcmp(name, "meta") == 0)
			meta = true;
		else if (strcmp(name, "kv") == 0)
			kv = true;
		else if (strcmp(name, "changes") == 0)
			changes = true;
		else if (strcmp(name, "leases") == 0)
			continue; /* ours since format version 2 */
		else
			other = true;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return file_error(s, s->wdb);
	if (!meta && !kv && !changes && !other)
		*out = CONTENT_EMPTY;
	else if (meta && kv && changes)
		*out = CONTENT_OURS;
	else
		*out = CONTENT_FOREIGN;
	return SSM_OK;
}

static ssm_err check_format(const struct sqlstore *s, int64_t *version_out)
{
	sqlite3_stmt *st = NULL;
	char format[64] = "";
	sqlite3_int64 version = 0;
	bool have_version = false;
	int rc;

	if (sqlite3_prepare_v2(s->wdb,
			       "SELECT name, value FROM meta WHERE name IN "
			       "('format', 'format_version')",
			       -1, &st, NULL) != SQLITE_OK)
		return file_error(s, s->wdb);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);

		if (name && strcmp(name, "format") == 0 &&
		    sqlite3_column_type(st, 1) == SQLITE_TEXT) {
			snprintf(format, sizeof(format), "%s",
				 (const char *)sqlite3_column_text(st, 1));
		} else if (name && strcmp(name, "format_version") == 0 &&
			   sqlite3_column_type(st, 1) == SQLITE_INTEGER) {
			version = sqlite3_column_int64(st, 1);
			have_version = true;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return file_error(s, s->wdb);
	if (strcmp(format, FORMAT_NAME) != 0 || !have_version || version < 1)
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				      "sqlite store '%.300s' is an SQLite "
				      "database but not a libssm store (no "
				      "'" FORMAT_NAME "' format marker)",
				      s->path);
	if (version > FORMAT_VERSION)
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				      "sqlite store '%.300s' has format "
				      "version %lld; this libssm reads "
				      "version %d and older",
				      s->path, (long long)version,
				      FORMAT_VERSION);
	if (version_out)
		*version_out = version;
	return SSM_OK;
}

static ssm_err foreign(const struct sqlstore *s)
{
	return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
			      "sqlite store '%.300s' is an SQLite database "
			      "but not a libssm store (it has other tables)",
			      s->path);
}

static ssm_err exec_w(const struct sqlstore *s, const char *sql,
		      const char *what)
{
	if (sqlite3_exec(s->wdb, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sql_error(s, s->wdb, what);
	return SSM_OK;
}

/* Create our tables in a new file; another process may be racing. */
static ssm_err create_schema(const struct sqlstore *s)
{
	enum content content = CONTENT_EMPTY;
	ssm_err error;

	SSM_TRY(exec_w(s, "BEGIN IMMEDIATE", "begin"));
	error = inspect(&content, s);
	if (error == SSM_OK && content == CONTENT_EMPTY) {
		error = exec_w(s, schema_sql, "create schema");
		if (error == SSM_OK)
			error = exec_w(
				s, "PRAGMA application_id = " APPLICATION_ID,
				"create schema");
	}
	if (error == SSM_OK)
		error = exec_w(s, "COMMIT", "commit");
	if (error < 0) {
		sqlite3_exec(s->wdb, "ROLLBACK", NULL, NULL, NULL);
		return error;
	}
	/* another process may have won the race */
	if (content == CONTENT_FOREIGN)
		return foreign(s);
	if (content == CONTENT_OURS)
		return check_format(s, NULL);
	return SSM_OK;
}

/* Bring an older file to FORMAT_VERSION, once, whoever comes first. */
static ssm_err migrate(const struct sqlstore *s)
{
	int64_t version = 0;
	ssm_err error;

	SSM_TRY(check_format(s, &version));
	if (version == FORMAT_VERSION)
		return SSM_OK;
	SSM_TRY(exec_w(s, "BEGIN IMMEDIATE", "begin"));
	error = check_format(s, &version);
	if (error == SSM_OK && version == 1)
		error = exec_w(s, migrate_1_2_sql, "migrate to format 2");
	if (error == SSM_OK)
		error = exec_w(s, "COMMIT", "commit");
	if (error < 0)
		sqlite3_exec(s->wdb, "ROLLBACK", NULL, NULL, NULL);
	return error;
}

static ssm_err open_writer(struct sqlstore *s)
{
	enum content content;
	sqlite3_stmt *st = NULL;
	const char *mode;
	bool wal;
	int i;

	SSM_TRY(db_connect(&s->wdb, s,
			   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
	if (sqlite3_db_readonly(s->wdb, "main") == 1)
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				      "sqlite store '%.300s' is read-only",
				      s->path);
	SSM_TRY(inspect(&content, s));
	if (content == CONTENT_FOREIGN)
		return foreign(s);
	if (content == CONTENT_OURS)
		SSM_TRY(check_format(s, NULL));

	/* only now that the file is known to be ours (or new) change it */
	if (sqlite3_prepare_v2(s->wdb, "PRAGMA journal_mode = WAL", -1, &st,
			       NULL) != SQLITE_OK)
		return file_error(s, s->wdb);
	wal = false;
	if (sqlite3_step(st) == SQLITE_ROW) {
		mode = (const char *)sqlite3_column_text(st, 0);
		wal = mode && strcmp(mode, "wal") == 0;
	}
	sqlite3_finalize(st);
	if (!wal)
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				      "sqlite store '%.300s': cannot switch to "
				      "WAL mode: %s",
				      s->path, sqlite3_errmsg(s->wdb));
	SSM_TRY(exec_w(s,
		       s->sync_normal ? "PRAGMA synchronous = NORMAL"
				      : "PRAGMA synchronous = FULL",
		       "pragma"));
	SSM_TRY(exec_w(s, "PRAGMA journal_size_limit = 67108864", "pragma"));
	if (content == CONTENT_EMPTY)
		SSM_TRY(create_schema(s));
	SSM_TRY(migrate(s));
	for (i = 0; i < W_COUNT; i++)
		SSM_TRY(prepare(&s->wst[i], s, s->wdb, wsql[i]));
	return SSM_OK;
}

static void sq_close(ssm_store *store)
{
	struct sqlstore *s = (struct sqlstore *)store;
	struct reader *r, *next;
	int i;

	ssm_store__reaper_dispose(&s->reaper);
	for (r = s->idle; r; r = next) {
		next = r->next;
		reader_free(r);
	}
	for (i = 0; i < W_COUNT; i++)
		sqlite3_finalize(s->wst[i]);
	/* the last connection to close checkpoints and removes the WAL */
	sqlite3_close(s->wdb);
	ssm_store__notifier_dispose(&s->notifier);
	pthread_cond_destroy(&s->rcond);
	pthread_mutex_destroy(&s->rlock);
	pthread_cond_destroy(&s->gcond);
	pthread_mutex_destroy(&s->wlock);
	ssm__free(s->path);
	ssm__free(s);
}

/* Reader connections open later, maybe after a chdir: pin a relative path
 * to the working directory of the open. */
static ssm_err absolute_path(char **out, const char *path, size_t len)
{
	ssm_str abs = SSM_STR_INIT;
	char cwd[4096];
	size_t n;

	if (len && path[0] != '/') {
		if (!getcwd(cwd, sizeof(cwd)))
			return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_OS, NULL,
					      "cannot resolve the sqlite store "
					      "path '%.*s': %s",
					      (int)(len > 300 ? 300 : len),
					      path, strerror(errno));
		n = strlen(cwd);
		if (ssm_str_put(&abs, cwd, n) < 0 ||
		    (n && cwd[n - 1] != '/' && ssm_str_putc(&abs, '/') < 0))
			goto oom;
	}
	if (ssm_str_put(&abs, path, len) < 0)
		goto oom;
	*out = ssm_str_detach(&abs, NULL);
	return *out ? SSM_OK : SSM_ERROR;
oom:
	ssm_str_dispose(&abs);
	return SSM_ERROR;
}

static int64_t sq_expire(ssm_store *store);
static ssm_err leases_due(uint64_t *ids, size_t max, size_t *n, int64_t *next,
			  struct sqlstore *s, int64_t now_ms);

static ssm_err sq_open(ssm_store **out, const ssm_store_ops *ops, ssm_ctx *ctx,
		       const char *url, void *payload)
{
	uint64_t none;
	size_t ndue;
	int64_t next, now;
	struct sqlstore *s;
	const char *rest = strchr(url, ':') + 1, *query;
	ssm_err error;

	(void)payload;
	s = ssm__calloc(1, sizeof(*s));
	if (!s)
		return SSM_ERROR;
	s->parent.ops = ops;
	s->history_max = DEFAULT_HISTORY;
	s->fail_after = -1;
	s->pending_tail = &s->pending;
	pthread_mutex_init(&s->wlock, NULL);
	ssm__cond_init(&s->gcond);
	pthread_mutex_init(&s->rlock, NULL);
	ssm__cond_init(&s->rcond);
	ssm_store__notifier_init(&s->notifier);
	ssm_store__reaper_init(&s->reaper, &s->parent, sq_expire,
			       LEASE_POLL_MS);
	s->ctx = ctx;

	if (strncmp(rest, "//", 2) != 0 || rest[2] == '\0' || rest[2] == '?') {
		error = ssm_error__set(
			SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
			"sqlite store URL '%.200s' has no path (use "
			"sqlite:///absolute/path.db or sqlite://relative.db)",
			url);
		goto fail;
	}
	rest += 2;
	query = strchr(rest, '?');
	error = absolute_path(&s->path, rest,
			      query ? (size_t)(query - rest) : strlen(rest));
	if (error < 0)
		goto fail;
	if (query) {
		error = ssm_store__parse_query(query + 1, url, sq_query, s);
		if (error < 0)
			goto fail;
	}
	error = check_location(s);
	if (error < 0)
		goto fail;
	error = open_writer(s);
	if (error < 0)
		goto fail;
	/* leases in the file: someone must expire them */
	error = leases_due(&none, 1, &ndue, &next, s, INT64_MIN);
	if (error == SSM_OK && next != INT64_MAX) {
		error = ssm_store__reaper_start(&s->reaper);
		now = ssm__now_ms();
		ssm_store__reaper_due(&s->reaper,
				      ssm__mono_ms() +
					      (next > now ? next - now : 0));
	}
	if (error < 0)
		goto fail;
	*out = &s->parent;
	return SSM_OK;
fail:
	sq_close(&s->parent);
	return error;
}

/* ---- reads ----------------------------------------------------------- */

static ssm_err sq_get(ssm_store_kv *out, ssm_store *store, const void *key,
		      size_t key_len)
{
	struct sqlstore *s = (struct sqlstore *)store;
	struct reader *r;
	sqlite3_stmt *st;
	char repr[KEY_REPR];
	ssm_err error;
	int rc;

	SSM_TRY(reader_get(&r, s));
	st = r->st[R_GET];
	bind_bytes(st, 1, key, key_len);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		error = ssm_buf_set(&out->value, sqlite3_column_blob(st, 0),
				    (size_t)sqlite3_column_bytes(st, 0));
		out->create_revision = col_u64(st, 1);
		out->mod_revision = col_u64(st, 2);
		out->version = col_u64(st, 3);
		out->lease = col_u64(st, 4);
	} else if (rc == SQLITE_DONE) {
		ssm_store__key_repr(repr, sizeof(repr), key, key_len);
		error = ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_STORE, NULL,
				       "key '%s' not found", repr);
	} else {
		error = sql_error(s, r->db, "get");
	}
	sqlite3_reset(st);
	reader_put(s, r);
	return error;
}

static ssm_err sq_range(ssm_store_kvs *out, ssm_store *store,
			const void *prefix, size_t prefix_len,
			const void *start_after, size_t start_after_len,
			size_t limit, unsigned int flags)
{
	struct sqlstore *s = (struct sqlstore *)store;
	unsigned char lobuf[SSM_STORE_KEY_MAX + 1];
	unsigned char hibuf[SSM_STORE_KEY_MAX];
	const void *lo = prefix, *hi;
	size_t lo_len = prefix_len, hi_len;
	bool keys_only = (flags & SSM_STORE_RANGE_KEYS_ONLY) != 0;
	struct reader *r;
	sqlite3_stmt *st;
	ssm_store_kv meta = SSM_STORE_KV_INIT;
	ssm_err error;
	int rc;

	prefix_bounds(&hi, &hi_len, hibuf, prefix, prefix_len);
	if (start_after) {
		size_t n = start_after_len < prefix_len ? start_after_len
							: prefix_len;
		int c = n ? memcmp(start_after, prefix, n) : 0;

		if (c > 0 || (c == 0 && start_after_len >= prefix_len)) {
			/* key > s  <=>  key >= s || 0x00 */
			memcpy(lobuf, start_after, start_after_len);
			lobuf[start_after_len] = 0;
			lo = lobuf;
			lo_len = start_after_len + 1;
		}
	}

	SSM_TRY(reader_get(&r, s));
	error = run(s, r->db, r->st[R_BEGIN], "begin");
	if (error < 0)
		goto done;
	error = read_revision(&out->revision, s, r);
	if (error < 0)
		goto done;
	st = r->st[keys_only ? R_RANGE_KEYS : R_RANGE];
	bind_bytes(st, 1, lo, lo_len);
	bind_bytes(st, 2, hi, hi_len);
	/* one more than asked, to know whether there are more */
	sqlite3_bind_int64(st, 3, limit ? (sqlite3_int64)limit + 1 : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const void *v = NULL;

		if (limit && out->count == limit) {
			out->more = true;
			break;
		}
		if (!keys_only) {
			v = sqlite3_column_blob(st, 1);
			if (!v)
				v = "";
		}
		meta.create_revision = col_u64(st, 2);
		meta.mod_revision = col_u64(st, 3);
		meta.version = col_u64(st, 4);
		meta.lease = col_u64(st, 5);
		error = ssm_store_kvs_add(
			out, sqlite3_column_blob(st, 0),
			(size_t)sqlite3_column_bytes(st, 0), v,
			keys_only ? 0 : (size_t)sqlite3_column_bytes(st, 1),
			&meta);
		if (error < 0)
			break;
	}
	if (error == SSM_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		error = sql_error(s, r->db, "range");
	sqlite3_reset(st);
	if (error == SSM_OK)
		error = run(s, r->db, r->st[R_COMMIT], "commit");
done:
	reader_put(s, r);
	return error;
}

static ssm_err sq_revision(uint64_t *out, ssm_store *store)
{
	struct sqlstore *s = (struct sqlstore *)store;
	struct reader *r;
	ssm_err error;

	SSM_TRY(reader_get(&r, s));
	error = read_revision(out, s, r);
	reader_put(s, r);
	return error;
}

/* ---- transactions ---------------------------------------------------- */

/* Read the state a write transaction starts from. The count of changes
 * kept is remembered from our last commit, and counted again only when
 * someone else (another process, another handle) wrote since. */
static ssm_err state_read(struct wstate *ws, struct sqlstore *s)
{
	sqlite3_stmt *st = s->wst[W_STATE];
	ssm_err error = SSM_OK;
	int rc;

	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		error = sql_error(s, s->wdb, "read");
	} else if (sqlite3_column_type(st, 1) != SQLITE_INTEGER) {
		error = ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				       "sqlite store '%.300s' is damaged: meta "
				       "entry 'compacted' is missing",
				       s->path);
	} else {
		ws->rev = col_u64(st, 0);
		ws->compacted = col_u64(st, 1);
	}
	sqlite3_reset(st);
	if (error < 0)
		return error;
	if (s->known_valid && s->known_rev == ws->rev) {
		ws->history = s->known_history;
		return SSM_OK;
	}
	st = s->wst[W_COUNT_CHANGES];
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ws->history = col_u64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return sql_error(s, s->wdb, "read");
	return SSM_OK;
}

static ssm_err log_change(const struct sqlstore *s, uint64_t rev, uint64_t seq,
			  ssm_store_event_type type, uint64_t create_rev,
			  uint64_t version, const void *key, size_t key_len,
			  const void *value, size_t value_len, uint64_t lease)
{
	sqlite3_stmt *st = s->wst[W_LOG];

	sqlite3_bind_int64(st, 1, (sqlite3_int64)rev);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	sqlite3_bind_int(st, 3, (int)type);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)create_rev);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)version);
	bind_bytes(st, 6, key, key_len);
	if (type == SSM_STORE_EVENT_PUT)
		bind_bytes(st, 7, value, value_len);
	else
		sqlite3_bind_null(st, 7);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)lease);
	return run(s, s->wdb, st, "write");
}

/* Is @lease a row of the leases table? */
static ssm_err lease_exists(bool *out, const struct sqlstore *s, uint64_t lease)
{
	sqlite3_stmt *st = s->wst[W_LEASE_EXISTS];
	int rc;

	sqlite3_bind_int64(st, 1, (sqlite3_int64)lease);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sql_error(s, s->wdb, "read");
	*out = rc == SQLITE_ROW;
	return SSM_OK;
}

static ssm_err check_compares(const struct sqlstore *s,
			      const ssm_store_compare *cmps, size_t ncmps)
{
	sqlite3_stmt *st = s->wst[W_MODREV];
	uint64_t have;
	size_t i;
	int rc;

	for (i = 0; i < ncmps; i++) {
		bind_bytes(st, 1, cmps[i].key, cmps[i].key_len);
		rc = sqlite3_step(st);
		have = rc == SQLITE_ROW ? col_u64(st, 0) : 0;
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return sql_error(s, s->wdb, "read");
		if (!ssm_store__cmp_holds(&cmps[i], have))
			return ssm_store__cmp_failed(&cmps[i], have);
	}
	return SSM_OK;
}

static ssm_err apply_put(const struct sqlstore *s, const ssm_store_op *op,
			 uint64_t rev, uint64_t seq)
{
	sqlite3_stmt *st = s->wst[W_PUT];
	uint64_t create_rev = rev, version = 1;
	int rc;

	if (op->lease) {
		bool live = false;

		SSM_TRY(lease_exists(&live, s, op->lease));
		if (!live)
			return ssm_store__lease_not_found(op->lease);
	}
	bind_bytes(st, 1, op->key, op->key_len);
	bind_bytes(st, 2, op->value, op->value_len);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)rev);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)op->lease);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		create_rev = col_u64(st, 0);
		version = col_u64(st, 1);
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sql_error(s, s->wdb, "write");
	return log_change(s, rev, seq, SSM_STORE_EVENT_PUT, create_rev, version,
			  op->key, op->key_len, op->value, op->value_len,
			  op->lease);
}

/* Apply one op at revision @rev; *nchanged counts the keys it changed (and
 * the change rows it logged from seq *seq on). */
static ssm_err apply_op(const struct sqlstore *s, const ssm_store_op *op,
			uint64_t rev, uint64_t *seq)
{
	unsigned char hibuf[SSM_STORE_KEY_MAX];
	const void *hi;
	size_t hi_len;
	sqlite3_stmt *st;
	int n;

	switch (op->type) {
	case SSM_STORE_OP_PUT:
		SSM_TRY(apply_put(s, op, rev, *seq));
		(*seq)++;
		return SSM_OK;
	case SSM_STORE_OP_DELETE:
		st = s->wst[W_DEL];
		bind_bytes(st, 1, op->key, op->key_len);
		SSM_TRY(run(s, s->wdb, st, "write"));
		if (sqlite3_changes(s->wdb) > 0) {
			SSM_TRY(log_change(s, rev, *seq, SSM_STORE_EVENT_DELETE,
					   0, 0, op->key, op->key_len, NULL, 0,
					   0));
			(*seq)++;
		}
		return SSM_OK;
	case SSM_STORE_OP_DELETE_PREFIX:
		prefix_bounds(&hi, &hi_len, hibuf, op->key, op->key_len);
		/* log the deletes in key order first, then delete */
		st = s->wst[W_LOG_DELPFX];
		sqlite3_bind_int64(st, 1, (sqlite3_int64)rev);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)*seq);
		bind_bytes(st, 3, op->key, op->key_len);
		bind_bytes(st, 4, hi, hi_len);
		SSM_TRY(run(s, s->wdb, st, "write"));
		n = sqlite3_changes(s->wdb);
		if (n > 0) {
			st = s->wst[W_DELPFX];
			bind_bytes(st, 1, op->key, op->key_len);
			bind_bytes(st, 2, hi, hi_len);
			SSM_TRY(run(s, s->wdb, st, "write"));
			*seq += (uint64_t)n;
		}
		return SSM_OK;
	}
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
			      "unknown op type %d", (int)op->type);
}

static ssm_err injected(int k)
{
	return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
			      "injected fault after %d ops", k);
}

static ssm_err step_u64(uint64_t *out, bool *found, const struct sqlstore *s,
			sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW) {
		*out = col_u64(st, 0);
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sql_error(s, s->wdb, "lease");
	return SSM_OK;
}

static ssm_err apply_grant(const struct sqlstore *s, struct wreq *r)
{
	sqlite3_stmt *st;
	uint64_t last = 0;
	bool found;

	SSM_TRY(step_u64(&last, &found, s, s->wst[W_LAST_LEASE]));
	if (!found || last >= INT64_MAX)
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				      "sqlite store '%.300s' is damaged: meta "
				      "entry 'last_lease' is missing",
				      s->path);
	st = s->wst[W_SET_LAST_LEASE];
	sqlite3_bind_int64(st, 1, (sqlite3_int64)(last + 1));
	SSM_TRY(run(s, s->wdb, st, "lease"));
	st = s->wst[W_LEASE_INSERT];
	sqlite3_bind_int64(st, 1, (sqlite3_int64)(last + 1));
	sqlite3_bind_int64(st, 2, r->ttl_ms);
	sqlite3_bind_int64(st, 3, ssm__now_ms() + r->ttl_ms);
	SSM_TRY(run(s, s->wdb, st, "lease"));
	r->lease = last + 1;
	return SSM_OK;
}

static ssm_err apply_keep_alive(const struct sqlstore *s, struct wreq *r)
{
	sqlite3_stmt *st = s->wst[W_LEASE_RENEW];
	uint64_t ttl = 0;
	bool found;

	sqlite3_bind_int64(st, 1, (sqlite3_int64)r->lease);
	sqlite3_bind_int64(st, 2, ssm__now_ms());
	SSM_TRY(step_u64(&ttl, &found, s, st));
	if (!found)
		return ssm_store__lease_not_found(r->lease);
	r->ttl_ms = (int64_t)ttl;
	return SSM_OK;
}

/* Revoke (or expire, when due) a lease: its keys are deleted at revision
 * @rev, in key order. */
static ssm_err apply_revoke(const struct sqlstore *s, const struct wreq *r,
			    uint64_t rev, uint64_t *seq, bool *wrote)
{
	sqlite3_stmt *st = s->wst[W_LEASE_EXPIRES];
	uint64_t expires = 0;
	bool found;
	int n;

	sqlite3_bind_int64(st, 1, (sqlite3_int64)r->lease);
	SSM_TRY(step_u64(&expires, &found, s, st));
	if (!found)
		return r->kind == WK_EXPIRE
			       ? SSM_OK
			       : ssm_store__lease_not_found(r->lease);
	if (r->kind == WK_EXPIRE && (int64_t)expires > r->now_ms)
		return SSM_OK; /* kept alive meanwhile */
	st = s->wst[W_LOG_LEASE];
	sqlite3_bind_int64(st, 1, (sqlite3_int64)rev);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)*seq);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)r->lease);
	SSM_TRY(run(s, s->wdb, st, "lease"));
	n = sqlite3_changes(s->wdb);
	if (n > 0) {
		st = s->wst[W_DEL_LEASE_KEYS];
		sqlite3_bind_int64(st, 1, (sqlite3_int64)r->lease);
		SSM_TRY(run(s, s->wdb, st, "lease"));
		*seq += (uint64_t)n;
	}
	st = s->wst[W_LEASE_DELETE];
	sqlite3_bind_int64(st, 1, (sqlite3_int64)r->lease);
	SSM_TRY(run(s, s->wdb, st, "lease"));
	*wrote = true;
	return SSM_OK;
}

/* Apply one request inside its savepoint; advances @ws when it changed
 * keys, and sets *wrote when it wrote anything (leases change no
 * revision). */
static ssm_err apply_request(const struct sqlstore *s, struct wreq *r,
			     struct wstate *ws, int fail_after, bool *wrote)
{
	uint64_t rev = ws->rev + 1, seq = 0;
	size_t i;

	*wrote = false;
	switch (r->kind) {
	case WK_TXN:
		break;
	case WK_GRANT:
		SSM_TRY(apply_grant(s, r));
		*wrote = true;
		return SSM_OK;
	case WK_KEEP_ALIVE:
		SSM_TRY(apply_keep_alive(s, r));
		*wrote = true;
		return SSM_OK;
	case WK_REVOKE:
	case WK_EXPIRE:
		SSM_TRY(apply_revoke(s, r, rev, &seq, wrote));
		if (seq) {
			ws->rev = rev;
			ws->history += seq;
		}
		return SSM_OK;
	}
	SSM_TRY(check_compares(s, r->cmps, r->ncmps));
	for (i = 0; i < r->nops; i++) {
		if (fail_after >= 0 && (size_t)fail_after == i)
			return injected(fail_after);
		SSM_TRY(apply_op(s, &r->ops[i], rev, &seq));
	}
	if (fail_after >= 0)
		return injected((int)r->nops);
	if (seq) {
		ws->rev = rev;
		ws->history += seq;
		*wrote = true;
	}
	return SSM_OK;
}

/* Keep the newest history_max changes (up to an eighth more between
 * compactions); remember the newest revision whose changes were
 * dropped. */
static ssm_err compact(const struct sqlstore *s, struct wstate *ws)
{
	sqlite3_stmt *st = s->wst[W_COMPACT_FIND];
	uint64_t drop, rev = 0, seq = 0;
	int rc;

	/* compact in steps of history_max / 8 changes, not on every commit:
	 * the oldest page of the table is then rewritten once per step */
	if (ws->history <= s->history_max + s->history_max / 8)
		return SSM_OK;
	drop = ws->history - s->history_max;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)(drop - 1));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		rev = col_u64(st, 0);
		seq = col_u64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sql_error(s, s->wdb, "compact");
	if (rc == SQLITE_ROW) {
		st = s->wst[W_COMPACT_BEFORE];
		sqlite3_bind_int64(st, 1, (sqlite3_int64)rev);
		SSM_TRY(run(s, s->wdb, st, "compact"));
		st = s->wst[W_COMPACT_AT];
		sqlite3_bind_int64(st, 1, (sqlite3_int64)rev);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
		SSM_TRY(run(s, s->wdb, st, "compact"));
		if (rev > ws->compacted) {
			ws->compacted = rev;
			st = s->wst[W_SET_COMPACTED];
			sqlite3_bind_int64(st, 1, (sqlite3_int64)rev);
			SSM_TRY(run(s, s->wdb, st, "compact"));
		}
	}
	ws->history = s->history_max;
	return SSM_OK;
}

static void fail_request(struct wreq *r, const ssm_error_saved *saved)
{
	r->result = saved->code;
	r->error = *saved;
}

/* Run one batch of requests in one SQLite transaction. Every request ends
 * with a result: its own failure, or the batch's. Returns whether anything
 * was committed. */
static bool run_batch(struct sqlstore *s, struct wreq *batch, int fail_after)
{
	/* a lone request needs no savepoint: its failure ends the
	 * transaction */
	bool savepoints = batch->next != NULL, changed = false;
	struct wstate ws = { 0, 0, 0 }, before = { 0, 0, 0 };
	ssm_error_saved saved;
	struct wreq *r;
	bool wrote;
	ssm_err error;

	error = run(s, s->wdb, s->wst[W_BEGIN], "begin");
	if (error < 0)
		goto abort;
	error = state_read(&ws, s);
	if (error < 0)
		goto abort;

	for (r = batch; r; r = r->next) {
		before = ws;
		if (savepoints && (error = run(s, s->wdb, s->wst[W_SAVEPOINT],
					       "savepoint")) < 0)
			goto abort;
		error = apply_request(s, r, &ws, r == batch ? fail_after : -1,
				      &wrote);
		if (error < 0) {
			ssm_error__save(&r->error, error);
			r->result = error;
			ws = before;
			/* some errors (disk full, I/O) make SQLite roll the
			 * whole transaction back: then the batch fails */
			if (!savepoints || sqlite3_get_autocommit(s->wdb))
				goto abort;
			if ((error = run(s, s->wdb, s->wst[W_ROLLBACK_TO],
					 "rollback")) < 0 ||
			    (error = run(s, s->wdb, s->wst[W_RELEASE],
					 "release")) < 0)
				goto abort;
			continue;
		}
		if (savepoints &&
		    (error = run(s, s->wdb, s->wst[W_RELEASE], "release")) < 0)
			goto abort;
		r->rev = ws.rev;
		if (wrote)
			changed = true;
	}
	if (!changed) {
		/* nothing to write: end the transaction without a commit */
		run(s, s->wdb, s->wst[W_ROLLBACK], "rollback");
		return false;
	}
	error = compact(s, &ws);
	if (error < 0)
		goto abort;
	error = run(s, s->wdb, s->wst[W_COMMIT], "commit");
	if (error < 0)
		goto abort;
	s->known_rev = ws.rev;
	s->known_history = ws.history;
	s->known_valid = true;
	return true;

abort:
	/* nothing of this batch is written: every request that did not fail
	 * on its own fails with the batch's error */
	ssm_error__save(&saved, error);
	s->known_valid = false;
	if (!sqlite3_get_autocommit(s->wdb))
		sqlite3_exec(s->wdb, "ROLLBACK", NULL, NULL, NULL);
	for (r = batch; r; r = r->next)
		if (r->result == SSM_OK)
			fail_request(r, &saved);
	return false;
}

/* Called by a new leader under wlock. When the last batch served several
 * writers, they are busy coming back with their next requests (woken by
 * the last commit): wait a moment for as many before committing, so one
 * fsync serves them all instead of a straggler each. A lone writer never
 * waits; fewer writers than last time cost one GATHER_US wait. */
static void gather(struct sqlstore *s)
{
	struct timespec deadline;

	if (s->last_batch < 2 || s->npending >= s->last_batch)
		return;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_nsec += GATHER_US * 1000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	s->gather_target = s->last_batch;
	while (s->npending < s->gather_target &&
	       pthread_cond_timedwait(&s->gcond, &s->wlock, &deadline) == 0)
		;
	s->gather_target = 0;
}

/* Queue one request and wait until a batch ran it (maybe leading that batch
 * ourselves). */
static ssm_err submit(struct sqlstore *s, struct wreq *rq)
{
	struct wreq *batch, *r, *next, *heir;
	bool lead, committed;
	size_t n;
	int fail;
	ssm_err error;

	rq->result = SSM_OK;
	sem_init(&rq->wake, 0, 0);

	pthread_mutex_lock(&s->wlock);
	*s->pending_tail = rq;
	s->pending_tail = &rq->next;
	s->npending++;
	if (s->gather_target && s->npending >= s->gather_target)
		pthread_cond_signal(&s->gcond);
	lead = !s->leading;
	s->leading = true;
	pthread_mutex_unlock(&s->wlock);

	if (!lead) {
		/* wait until a leader ran our request, or handed us the lead;
		 * each waiter has its own semaphore, so a commit wakes exactly
		 * the writers it served */
		while (sem_wait(&rq->wake) < 0 && errno == EINTR)
			;
		lead = !rq->done;
	}
	if (lead) {
		pthread_mutex_lock(&s->wlock);
		gather(s);
		/* take every queued request (ours among them) */
		batch = s->pending;
		s->pending = NULL;
		s->pending_tail = &s->pending;
		s->last_batch = s->npending;
		s->npending = 0;
		fail = s->fail_after;
		s->fail_after = -1;
		pthread_mutex_unlock(&s->wlock);

		committed = run_batch(s, batch, fail);

		pthread_mutex_lock(&s->wlock);
		/* requests that queued meanwhile: the first one leads next */
		heir = s->pending;
		if (!heir)
			s->leading = false;
		for (n = 0, r = batch; r; r = r->next)
			n++;
		s->stats.requests += n;
		s->stats.batches++;
		if (committed)
			s->stats.commits++;
		pthread_mutex_unlock(&s->wlock);

		if (heir)
			sem_post(&heir->wake);
		for (r = batch; r; r = next) {
			next = r->next; /* r may vanish once posted */
			if (r == rq)
				continue;
			r->done = true;
			sem_post(&r->wake);
		}
		if (committed)
			ssm_store__notify(&s->notifier);
	}
	sem_destroy(&rq->wake);
	error = rq->result < 0 ? ssm_error__restore(&rq->error) : SSM_OK;
	return error;
}

static ssm_err sq_txn(uint64_t *revision_out, ssm_store *store,
		      const ssm_store_compare *cmps, size_t ncmps,
		      const ssm_store_op *ops, size_t nops)
{
	struct sqlstore *s = (struct sqlstore *)store;
	struct wreq req;
	size_t i;

	memset(&req, 0, sizeof(req));
	req.kind = WK_TXN;
	req.cmps = cmps;
	req.ncmps = ncmps;
	req.ops = ops;
	req.nops = nops;
	/* keys may outlive a lease on the file: the reaper must run here */
	for (i = 0; i < nops; i++)
		if (ops[i].lease) {
			SSM_TRY(ssm_store__reaper_start(&s->reaper));
			break;
		}
	SSM_TRY(submit(s, &req));
	*revision_out = req.rev;
	return SSM_OK;
}

/* ---- leases ---------------------------------------------------------- */

static ssm_err sq_lease_grant(uint64_t *lease_out, int64_t *ttl_ms_out,
			      ssm_store *store, int64_t ttl_ms)
{
	struct sqlstore *s = (struct sqlstore *)store;
	struct wreq req;

	SSM_TRY(ssm_store__reaper_start(&s->reaper));
	memset(&req, 0, sizeof(req));
	req.kind = WK_GRANT;
	req.ttl_ms = ttl_ms;
	SSM_TRY(submit(s, &req));
	*lease_out = req.lease;
	*ttl_ms_out = ttl_ms;
	ssm_store__reaper_due(&s->reaper, ssm__mono_ms() + ttl_ms);
	return SSM_OK;
}

static ssm_err sq_lease_keep_alive(int64_t *ttl_ms_out, ssm_store *store,
				   uint64_t lease)
{
	struct sqlstore *s = (struct sqlstore *)store;
	struct wreq req;

	memset(&req, 0, sizeof(req));
	req.kind = WK_KEEP_ALIVE;
	req.lease = lease;
	SSM_TRY(submit(s, &req));
	*ttl_ms_out = req.ttl_ms;
	return SSM_OK;
}

static ssm_err sq_lease_revoke(uint64_t *revision_out, ssm_store *store,
			       uint64_t lease)
{
	struct sqlstore *s = (struct sqlstore *)store;
	struct wreq req;

	memset(&req, 0, sizeof(req));
	req.kind = WK_REVOKE;
	req.lease = lease;
	SSM_TRY(submit(s, &req));
	*revision_out = req.rev;
	return SSM_OK;
}

/* The leases due at @now_ms (wall clock), at most @max, and the earliest
 * expiry of all (INT64_MAX: none). */
static ssm_err leases_due(uint64_t *ids, size_t max, size_t *n, int64_t *next,
			  struct sqlstore *s, int64_t now_ms)
{
	struct reader *r;
	sqlite3_stmt *st;
	ssm_err error = SSM_OK;
	int rc;

	*n = 0;
	*next = INT64_MAX;
	SSM_TRY(reader_get(&r, s));
	st = r->st[R_LEASES_DUE];
	sqlite3_bind_int64(st, 1, now_ms);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		ids[(*n)++] = col_u64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		error = sql_error(s, r->db, "read leases");
	st = r->st[R_LEASES_NEXT];
	if (error == SSM_OK && (rc = sqlite3_step(st)) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) == SQLITE_INTEGER)
		*next = sqlite3_column_int64(st, 0);
	else if (error == SSM_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		error = sql_error(s, r->db, "read leases");
	sqlite3_reset(st);
	reader_put(s, r);
	return error;
}

static int64_t sq_expire(ssm_store *store)
{
	struct sqlstore *s = (struct sqlstore *)store;
	uint64_t ids[EXPIRE_BATCH];
	int64_t now = ssm__now_ms(), mono = ssm__mono_ms(), next;
	struct wreq req;
	size_t n = 0, i;

	if (leases_due(ids, EXPIRE_BATCH, &n, &next, s, now) < 0) {
		SSM_LOG(s->ctx, SSM_LOG_WARN, "store",
			"lease expiry on '%.300s': %s", s->path,
			ssm_error_last()->message);
		return mono + LEASE_POLL_MS;
	}
	for (i = 0; i < n; i++) {
		memset(&req, 0, sizeof(req));
		req.kind = WK_EXPIRE;
		req.lease = ids[i];
		req.now_ms = now;
		if (submit(s, &req) < 0) {
			SSM_LOG(s->ctx, SSM_LOG_WARN, "store",
				"lease %llu expiry on '%.300s': %s",
				(unsigned long long)ids[i], s->path,
				ssm_error_last()->message);
			return mono + LEASE_POLL_MS;
		}
	}
	if (n == EXPIRE_BATCH)
		return mono; /* more are due */
	if (next == INT64_MAX)
		return INT64_MAX;
	return next <= now ? mono : mono + (next - now);
}

/* ---- watches --------------------------------------------------------- */

static ssm_err sq_changes(ssm_store_events *out, ssm_store *store,
			  const void *prefix, size_t prefix_len, uint64_t after,
			  size_t limit)
{
	struct sqlstore *s = (struct sqlstore *)store;
	unsigned char hibuf[SSM_STORE_KEY_MAX];
	const void *hi;
	size_t hi_len;
	uint64_t compacted = 0, last = 0;
	ssm_store_kv meta = SSM_STORE_KV_INIT;
	struct reader *r;
	sqlite3_stmt *st;
	ssm_err error;
	int rc;

	prefix_bounds(&hi, &hi_len, hibuf, prefix, prefix_len);
	SSM_TRY(reader_get(&r, s));
	error = run(s, r->db, r->st[R_BEGIN], "begin");
	if (error < 0)
		goto done;
	error = read_meta(&compacted, s, r, "compacted");
	if (error < 0)
		goto done;
	if (after < compacted) {
		error = ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_STORE, NULL,
				       "revision %llu has been compacted (the "
				       "sqlite store '%.300s' keeps changes "
				       "after revision %llu)",
				       (unsigned long long)after + 1, s->path,
				       (unsigned long long)compacted);
		goto done;
	}
	st = r->st[R_CHANGES];
	sqlite3_bind_int64(st, 1, (sqlite3_int64)after);
	bind_bytes(st, 2, prefix, prefix_len);
	bind_bytes(st, 3, hi, hi_len);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t rev = col_u64(st, 0);
		int type = sqlite3_column_int(st, 1);
		const void *v = sqlite3_column_blob(st, 5);

		/* never split one revision across two batches */
		if (out->count >= limit && rev != last)
			break;
		meta.create_revision = col_u64(st, 2);
		meta.mod_revision = rev;
		meta.version = col_u64(st, 3);
		meta.lease = col_u64(st, 6);
		error = ssm_store__events_add(
			out,
			type == SSM_STORE_EVENT_PUT ? SSM_STORE_EVENT_PUT
						    : SSM_STORE_EVENT_DELETE,
			sqlite3_column_blob(st, 4),
			(size_t)sqlite3_column_bytes(st, 4), v ? v : "",
			(size_t)sqlite3_column_bytes(st, 5), &meta);
		if (error < 0)
			break;
		last = rev;
	}
	if (error == SSM_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		error = sql_error(s, r->db, "read changes");
	sqlite3_reset(st);
	if (error == SSM_OK)
		error = run(s, r->db, r->st[R_COMMIT], "commit");
done:
	reader_put(s, r);
	return error;
}

static ssm_err sq_watch(ssm_store_watch **out, ssm_store *store,
			const void *prefix, size_t prefix_len,
			uint64_t start_revision, ssm_store_watch_cb cb,
			void *payload)
{
	struct sqlstore *s = (struct sqlstore *)store;

	return ssm_store__poll_watch_new(out, store, &s->notifier, sq_changes,
					 WATCH_POLL_MS, prefix, prefix_len,
					 start_revision, cb, payload);
}

/* ---- test hooks ------------------------------------------------------ */

bool ssm_sqlite__is(const ssm_store *store)
{
	return store && store->ops && store->ops->open == sq_open;
}

ssm_err ssm_sqlite__fail_after_ops(ssm_store *store, int k)
{
	struct sqlstore *s = (struct sqlstore *)store;

	if (!ssm_sqlite__is(store))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				      "store is not an sqlite store");
	pthread_mutex_lock(&s->wlock);
	s->fail_after = k < 0 ? -1 : k;
	pthread_mutex_unlock(&s->wlock);
	return SSM_OK;
}

ssm_err ssm_sqlite__stats(ssm_sqlite_stats *out, ssm_store *store)
{
	struct sqlstore *s = (struct sqlstore *)store;

	SSM_ASSERT_ARG(out);
	if (!ssm_sqlite__is(store))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				      "store is not an sqlite store");
	pthread_mutex_lock(&s->wlock);
	*out = s->stats;
	pthread_mutex_unlock(&s->wlock);
	return SSM_OK;
}

const ssm_store_ops ssm_store__sqlite_ops = {
	.version = SSM_STORE_OPS_VERSION,
	.name = "sqlite",
	.flags = SSM_STORE_PERSISTENT,
	.open = sq_open,
	.close = sq_close,
	.get = sq_get,
	.range = sq_range,
	.txn = sq_txn,
	.revision = sq_revision,
	.watch = sq_watch,
	.watch_free = ssm_store__poll_watch_free,
	.lease_grant = sq_lease_grant,
	.lease_keep_alive = sq_lease_keep_alive,
	.lease_revoke = sq_lease_revoke,
};
