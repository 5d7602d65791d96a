/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/sys/store.h
 * @brief The store plugin layer: an ordered key/value store on etcd's model.
 *
 * Every engine keeps all of its state in a store, so one engine runs on
 * memory, SQLite or etcd. Keys and values are byte strings (keys sort by
 * unsigned byte order). Each successful write transaction that changes
 * something advances the store's *revision* by one; every key changed by it
 * gets that revision as its *mod revision*. A key's *create revision* is the
 * revision that created it and its *version* counts the puts since then.
 * A key may be attached to a *lease* (ssm_store_lease_grant()): when the
 * lease expires or is revoked, its keys are deleted in one transaction.
 *
 * Plugins (SQLite's VFS pattern): a `const` ::ssm_store_ops table registered
 * by URL scheme on a context with ssm_ctx_register_store(), and instances
 * that embed ::ssm_store as their first member. The core calls plugins only
 * through the ssm_store_* functions below, which check arguments and limits
 * first. This header is stable within a minor release only.
 */
#ifndef SSM_SYS_STORE_H
#define SSM_SYS_STORE_H

#include "ssm/buf.h"
#include "ssm/common.h"
#include "ssm/errors.h"
#include "ssm/types.h"

SSM_BEGIN_DECL

/** @name Limits checked before any plugin is called (SSM_ELIMIT). */
/**@{*/
#define SSM_STORE_KEY_MAX 4096		  /**< bytes in a key */
#define SSM_STORE_VALUE_MAX (1024 * 1024) /**< bytes in a value */
#define SSM_STORE_TXN_MAX 128 /**< compares, and ops, in a transaction */
/**@}*/

/** One key with its value and revisions, filled by the store. */
typedef struct ssm_store_kv {
	ssm_buf key;		  /**< the key (left empty by get) */
	ssm_buf value;		  /**< the value (empty for keys-only reads) */
	uint64_t create_revision; /**< revision that created the key */
	uint64_t mod_revision;	  /**< revision of the last change */
	uint64_t version;	  /**< puts since creation, 1 for the first */
	uint64_t lease;		  /**< lease id, 0 for none */
} ssm_store_kv;

/** Initialiser for an empty ::ssm_store_kv. */
#define SSM_STORE_KV_INIT                              \
	{                                              \
		SSM_BUF_INIT, SSM_BUF_INIT, 0, 0, 0, 0 \
	}

/** The keys a range read returned, in key order. */
typedef struct ssm_store_kvs {
	ssm_store_kv *items; /**< @c count entries */
	size_t count;	     /**< number of entries */
	size_t asize;	     /**< allocated entries (internal) */
	bool more;	     /**< further keys match after the last one */
	uint64_t revision;   /**< the store's revision the read saw */
} ssm_store_kvs;

/** Initialiser for an empty ::ssm_store_kvs. */
#define SSM_STORE_KVS_INIT           \
	{                            \
		NULL, 0, 0, false, 0 \
	}

/** How a compare tests a key's mod revision (an absent key has 0). */
typedef enum ssm_store_cmp_op {
	SSM_STORE_CMP_EQUAL = 0,
	SSM_STORE_CMP_NOT_EQUAL = 1,
	SSM_STORE_CMP_LESS = 2,
	SSM_STORE_CMP_GREATER = 3
} ssm_store_cmp_op;

/** A guard of a transaction: `mod_revision(key) <op> mod_revision`. */
typedef struct ssm_store_compare {
	const void *key;       /**< the key */
	size_t key_len;	       /**< its length */
	ssm_store_cmp_op op;   /**< how to compare */
	uint64_t mod_revision; /**< 0 tests for absence with EQUAL */
} ssm_store_compare;

/** What an ::ssm_store_op does. */
typedef enum ssm_store_op_type {
	SSM_STORE_OP_PUT = 1,	       /**< set key to value */
	SSM_STORE_OP_DELETE = 2,       /**< delete key (no-op when absent) */
	SSM_STORE_OP_DELETE_PREFIX = 3 /**< delete every key under key */
} ssm_store_op_type;

/** One write of a transaction. */
typedef struct ssm_store_op {
	ssm_store_op_type type; /**< what to do */
	const void *key;	/**< key, or prefix for DELETE_PREFIX */
	size_t key_len;		/**< its length (prefix may be empty) */
	const void *value;	/**< PUT: the value */
	size_t value_len;	/**< PUT: its length */
	uint64_t lease;		/**< PUT: lease id; 0 for none */
} ssm_store_op;

/** What a watch event reports. */
typedef enum ssm_store_event_type {
	SSM_STORE_EVENT_PUT = 1,
	SSM_STORE_EVENT_DELETE = 2
} ssm_store_event_type;

/** One change seen by a watch. For DELETE, @c kv.value is empty and
 *  @c kv.mod_revision is the revision of the delete. */
typedef struct ssm_store_event {
	ssm_store_event_type type; /**< put or delete */
	ssm_store_kv kv;	   /**< the key after the change */
} ssm_store_event;

/** A running watch; plugins embed it as the first member of theirs. */
typedef struct ssm_store_watch {
	ssm_store *store; /**< the store watched */
} ssm_store_watch;

/**
 * Receives the changes of a watch, in revision order, in batches. Runs on a
 * thread of the watch (not the application's): it must be thread-safe and
 * must not free the watch. When the watch fails (for example its start
 * revision was compacted) it is called once with @p count 0 and the error
 * in @p error (message in ssm_error_last() on that thread), and the watch
 * ends.
 *
 * @return 0 to go on, non-zero to stop delivering
 */
typedef int (*ssm_store_watch_cb)(const ssm_store_event *events, size_t count,
				  ssm_err error, void *payload);

/** Plugin flag: data survives close and reopen. */
#define SSM_STORE_PERSISTENT (1u << 0)

/** A store plugin: a `const` table registered by URL scheme. */
typedef struct ssm_store_ops {
	unsigned int version; /**< SSM_STORE_OPS_VERSION */
	const char *name;     /**< URL scheme: "memory", "sqlite", ... */
	unsigned int flags;   /**< SSM_STORE_PERSISTENT, ... */

	/** Open the store at @p url; set (*out)->ops. Required. */
	ssm_err (*open)(ssm_store **out, const struct ssm_store_ops *ops,
			ssm_ctx *ctx, const char *url, void *payload);
	/** Close and free the instance. Required. */
	void (*close)(ssm_store *store);
	/** Fill @p out's value and revisions; SSM_ENOTFOUND when absent. */
	ssm_err (*get)(ssm_store_kv *out, ssm_store *store, const void *key,
		       size_t key_len);
	/** Append to @p out the keys under @p prefix that sort after
	 *  @p start_after (when non-NULL), at most @p limit (0: all); set
	 *  @c more and @c revision. */
	ssm_err (*range)(ssm_store_kvs *out, ssm_store *store,
			 const void *prefix, size_t prefix_len,
			 const void *start_after, size_t start_after_len,
			 size_t limit, unsigned int flags);
	/** Apply @p ops atomically if every compare holds, else change
	 *  nothing and return SSM_ECONFLICT. */
	ssm_err (*txn)(uint64_t *revision_out, ssm_store *store,
		       const ssm_store_compare *cmps, size_t ncmps,
		       const ssm_store_op *ops, size_t nops);
	/** The store's current revision. */
	ssm_err (*revision)(uint64_t *out, ssm_store *store);
	/** Start a watch. Optional: NULL means SSM_EUNSUPPORTED. */
	ssm_err (*watch)(ssm_store_watch **out, ssm_store *store,
			 const void *prefix, size_t prefix_len,
			 uint64_t start_revision, ssm_store_watch_cb cb,
			 void *payload);
	/** Stop a watch, wait for its callback to return, free it.
	 *  Required when @c watch is set. */
	void (*watch_free)(ssm_store_watch *watch);

	/* ---- version 2: leases, optional (all three or none) ---------- */

	/** Grant a lease of @p ttl_ms (the store may round it up); set the
	 *  new lease's id (never 0) and the TTL granted. */
	ssm_err (*lease_grant)(uint64_t *lease_out, int64_t *ttl_ms_out,
			       ssm_store *store, int64_t ttl_ms);
	/** Restart a lease's TTL; set the TTL granted. SSM_ENOTFOUND when
	 *  the lease expired, was revoked or never existed. */
	ssm_err (*lease_keep_alive)(int64_t *ttl_ms_out, ssm_store *store,
				    uint64_t lease);
	/** Revoke a lease: delete every key attached to it in one
	 *  transaction (one new revision, none when it had no keys) and
	 *  forget it; set the store's revision after that. SSM_ENOTFOUND
	 *  when the lease is unknown. */
	ssm_err (*lease_revoke)(uint64_t *revision_out, ssm_store *store,
				uint64_t lease);
} ssm_store_ops;

/** Current version of ::ssm_store_ops (2 added the lease methods). */
#define SSM_STORE_OPS_VERSION 2

/** Longest lease TTL in milliseconds (etcd's limit: 9e9 seconds). */
#define SSM_STORE_LEASE_TTL_MAX_MS INT64_C(9000000000000)

/** The public part of an open store; plugins embed it first. */
struct ssm_store {
	const ssm_store_ops *ops; /**< set by the plugin's open */
	ssm_ctx *ctx;		  /**< set by the core after open */
};

/** Range flag: leave values empty. */
#define SSM_STORE_RANGE_KEYS_ONLY (1u << 0)

/** Options of ssm_store_range(). Zero means "default" for every field. */
typedef struct ssm_store_range_options {
	unsigned int version;	 /**< SSM_STORE_RANGE_OPTIONS_VERSION */
	const void *start_after; /**< NULL: from the start of the prefix */
	size_t start_after_len;	 /**< length of @c start_after */
	size_t limit;		 /**< at most this many keys; 0: all */
	unsigned int flags;	 /**< SSM_STORE_RANGE_KEYS_ONLY */
} ssm_store_range_options;

/** Current version of ::ssm_store_range_options. */
#define SSM_STORE_RANGE_OPTIONS_VERSION 1
/** Initialiser with every field at its default. */
#define SSM_STORE_RANGE_OPTIONS_INIT                       \
	{                                                  \
		.version = SSM_STORE_RANGE_OPTIONS_VERSION \
	}

/** Put flag: only if the key is absent (else SSM_EEXISTS). */
#define SSM_STORE_PUT_IF_ABSENT (1u << 0)
/** Put flag: only if the key's mod revision equals @c mod_revision (else
 *  SSM_ECONFLICT). */
#define SSM_STORE_PUT_IF_MOD_REVISION (1u << 1)

/** Options of ssm_store_put(). Zero means "default" for every field. */
typedef struct ssm_store_put_options {
	unsigned int version;  /**< SSM_STORE_PUT_OPTIONS_VERSION */
	unsigned int flags;    /**< SSM_STORE_PUT_IF_ABSENT, ... */
	uint64_t mod_revision; /**< for SSM_STORE_PUT_IF_MOD_REVISION */
	uint64_t lease;	       /**< lease id; 0 for none */
} ssm_store_put_options;

/** Current version of ::ssm_store_put_options. */
#define SSM_STORE_PUT_OPTIONS_VERSION 1
/** Initialiser with every field at its default. */
#define SSM_STORE_PUT_OPTIONS_INIT                       \
	{                                                \
		.version = SSM_STORE_PUT_OPTIONS_VERSION \
	}

/**
 * Initialise an ops table to all-NULL methods (for bindings and C++).
 *
 * @param[out] ops  the table
 * @param version   SSM_STORE_OPS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p ops or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_store_ops_init(ssm_store_ops *ops, unsigned int version);

/**
 * Initialise range options to their defaults.
 *
 * @param[out] opts  the options
 * @param version    SSM_STORE_RANGE_OPTIONS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p opts or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_store_range_options_init(ssm_store_range_options *opts,
			     unsigned int version);

/**
 * Initialise put options to their defaults.
 *
 * @param[out] opts  the options
 * @param version    SSM_STORE_PUT_OPTIONS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p opts or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_store_put_options_init(ssm_store_put_options *opts, unsigned int version);

/**
 * Register a store plugin under its URL scheme (@c ops->name).
 *
 * @param ctx      the context
 * @param ops      the table; must outlive the context
 * @param payload  passed to @c ops->open
 * @return SSM_OK; SSM_EEXISTS when the scheme is taken; SSM_EINVALID for a
 *         NULL argument, a bad version, or a missing required method
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_ctx_register_store(ssm_ctx *ctx, const ssm_store_ops *ops, void *payload);

/**
 * Open a store by URL; the scheme picks the plugin.
 *
 * Built in: `memory:` (in process, thread-safe),
 * `sqlite:///path/state.db` (embedded, durable; `sqlite://relative.db`) and
 * `etcd://host:port[,host:port...]/prefix` (an etcd v3 cluster; options in
 * lib/stores/etcd.c and the README).
 *
 * @param[out] out  the store; close with ssm_store_close()
 * @param ctx       the context (kept alive by the store)
 * @param url       the store's URL
 * @return SSM_OK; SSM_EINVALID for a malformed URL or unknown scheme;
 *         SSM_ERROR when the plugin cannot open it (message names the path)
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_store_open(ssm_store **out, ssm_ctx *ctx, const char *url);

/**
 * Close a store and free it. Watches on it must be freed first.
 *
 * @param store the store; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_store_close(ssm_store *store);

/**
 * Read one key.
 *
 * @param[out] out  its value and revisions (key left empty); dispose with
 *                  ssm_store_kv_dispose()
 * @param store     the store
 * @param key       the key, 1..SSM_STORE_KEY_MAX bytes
 * @param key_len   its length
 * @return SSM_OK; SSM_ENOTFOUND when absent; SSM_EINVALID or SSM_ELIMIT
 *         for a bad key
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_store_get(ssm_store_kv *out, ssm_store *store, const void *key,
	      size_t key_len);

/**
 * Read the keys under a prefix in key order, a page at a time.
 *
 * To read the next page pass the last key returned as @c start_after.
 *
 * @param[out] out     the keys; dispose with ssm_store_kvs_dispose()
 * @param store        the store
 * @param prefix       the prefix; may be empty (every key)
 * @param prefix_len   its length
 * @param opts         page options, or NULL for every key
 * @return SSM_OK (also when nothing matches); SSM_EINVALID or SSM_ELIMIT for
 *         bad arguments
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_store_range(ssm_store_kvs *out, ssm_store *store, const void *prefix,
		size_t prefix_len, const ssm_store_range_options *opts);

/**
 * Write one key, optionally only if it is absent or unchanged.
 *
 * @param[out] revision_out  the store revision of the write; may be NULL
 * @param store              the store
 * @param key                the key, 1..SSM_STORE_KEY_MAX bytes
 * @param key_len            its length
 * @param value              the value; may be NULL when @p value_len is 0
 * @param value_len          at most SSM_STORE_VALUE_MAX
 * @param opts               conditions, or NULL to write unconditionally
 * @return SSM_OK; SSM_EEXISTS (IF_ABSENT and present); SSM_ECONFLICT
 *         (IF_MOD_REVISION and changed); SSM_ELIMIT for sizes;
 *         SSM_ENOTFOUND when @c opts->lease is not a live lease
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_store_put(uint64_t *revision_out, ssm_store *store, const void *key,
	      size_t key_len, const void *value, size_t value_len,
	      const ssm_store_put_options *opts);

/**
 * Delete one key, optionally only if unchanged.
 *
 * @param[out] revision_out  the store revision of the delete; may be NULL
 * @param store              the store
 * @param key                the key
 * @param key_len            its length
 * @param mod_revision       0: delete whatever the revision; else only if
 *                           the key's mod revision equals it
 * @return SSM_OK; SSM_ENOTFOUND when absent; SSM_ECONFLICT when changed
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_store_delete(uint64_t *revision_out, ssm_store *store, const void *key,
		 size_t key_len, uint64_t mod_revision);

/**
 * Apply several puts and deletes atomically, if every compare holds.
 *
 * All ops of one transaction share one new revision. When a compare fails,
 * nothing is written and the message names the key.
 *
 * @param[out] revision_out  the revision after the transaction; may be NULL
 * @param store              the store
 * @param cmps               guards; may be NULL when @p ncmps is 0
 * @param ncmps              at most SSM_STORE_TXN_MAX
 * @param ops                writes; may be NULL when @p nops is 0
 * @param nops               at most SSM_STORE_TXN_MAX
 * @return SSM_OK; SSM_ECONFLICT when a compare fails; SSM_EINVALID or
 *         SSM_ELIMIT for bad ops; SSM_ENOTFOUND when a put names a lease
 *         that is not live (SSM_EUNSUPPORTED when the store has none)
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_store_txn(uint64_t *revision_out, ssm_store *store,
	      const ssm_store_compare *cmps, size_t ncmps,
	      const ssm_store_op *ops, size_t nops);

/**
 * The store's current revision (0 for a store never written).
 *
 * @param[out] out  the revision
 * @param store     the store
 * @return SSM_OK, or SSM_EINVALID for a NULL argument
 * @since 0.1
 */
SSM_EXTERN(ssm_err) ssm_store_revision(uint64_t *out, ssm_store *store);

/**
 * Watch the keys under a prefix: @p cb receives every change from
 * @p start_revision on, in revision order, on a thread of the watch.
 *
 * @param[out] out       the watch; stop it with ssm_store_watch_free()
 * @param store          the store
 * @param prefix         the prefix; may be empty
 * @param prefix_len     its length
 * @param start_revision first revision to deliver; 0: changes after now
 * @param cb             the callback
 * @param payload        passed to @p cb
 * @return SSM_OK; SSM_EUNSUPPORTED when the store cannot watch;
 *         SSM_ENOTFOUND when @p start_revision was compacted
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_store_watch_start(ssm_store_watch **out, ssm_store *store,
		      const void *prefix, size_t prefix_len,
		      uint64_t start_revision, ssm_store_watch_cb cb,
		      void *payload);

/**
 * Stop a watch; when it returns the callback is not running and will not
 * run again.
 *
 * @param watch the watch; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_store_watch_free(ssm_store_watch *watch);

/**
 * Whether a store has leases (keys that vanish when a TTL runs out).
 *
 * Built in: memory:, sqlite: and etcd: all have them.
 *
 * @param store the store; NULL gives false
 * @return true when the ssm_store_lease_* functions work on @p store
 * @since 0.1
 */
SSM_EXTERN(bool) ssm_store_has_leases(const ssm_store *store);

/**
 * Grant a lease: keys put with its id (@c lease of ::ssm_store_op or
 * ::ssm_store_put_options) are deleted together, in one transaction that
 * watches see, when it expires or is revoked. It expires when @p ttl_ms pass
 * without a ssm_store_lease_keep_alive().
 *
 * memory: and sqlite: expire leases from a thread of the process that has
 * the store open (sqlite: keeps them in the file, on the wall clock, so a
 * lease whose TTL ran out while no process had the store open expires when
 * it is next opened). etcd: uses etcd's own leases, with whole seconds: the
 * TTL is rounded up, and etcd may raise it to its minimum.
 *
 * @param[out] lease_out   the lease id (never 0)
 * @param[out] ttl_ms_out  the TTL granted (at least @p ttl_ms); may be NULL
 * @param store            the store
 * @param ttl_ms           1..SSM_STORE_LEASE_TTL_MAX_MS
 * @return SSM_OK; SSM_EUNSUPPORTED when the store has no leases;
 *         SSM_EINVALID for a TTL out of range
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_store_lease_grant(uint64_t *lease_out, int64_t *ttl_ms_out,
		      ssm_store *store, int64_t ttl_ms);

/**
 * Keep a lease alive: its TTL starts again from now.
 *
 * @param[out] ttl_ms_out  the TTL granted; may be NULL
 * @param store            the store
 * @param lease            the lease id
 * @return SSM_OK; SSM_ENOTFOUND when the lease expired, was revoked or never
 *         existed; SSM_EUNSUPPORTED when the store has no leases
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_store_lease_keep_alive(int64_t *ttl_ms_out, ssm_store *store,
			   uint64_t lease);

/**
 * Revoke a lease now: its keys are deleted in one transaction.
 *
 * @param[out] revision_out  the store's revision after the deletes (the
 *                           same as before when the lease had no keys);
 *                           may be NULL
 * @param store              the store
 * @param lease              the lease id
 * @return SSM_OK; SSM_ENOTFOUND when the lease is unknown (expired or
 *         revoked already); SSM_EUNSUPPORTED when the store has no leases
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_store_lease_revoke(uint64_t *revision_out, ssm_store *store,
		       uint64_t lease);

/**
 * Free the buffers of a key/value and reset it.
 *
 * @param kv the entry; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_store_kv_dispose(ssm_store_kv *kv);

/**
 * Free every entry of a range result and reset it.
 *
 * @param kvs the result; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_store_kvs_dispose(ssm_store_kvs *kvs);

/**
 * Append a copy of one entry to a range result (for plugins).
 *
 * @param kvs        the result
 * @param key        the key
 * @param key_len    its length
 * @param value      the value; NULL for keys-only
 * @param value_len  its length
 * @param meta       revisions, version and lease to copy (its buffers are
 *                   ignored); may be NULL
 * @return SSM_OK, SSM_EINVALID for a NULL @p kvs or @p key, or SSM_ERROR
 *         when out of memory (the result is unchanged)
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_store_kvs_add(ssm_store_kvs *kvs, const void *key, size_t key_len,
		  const void *value, size_t value_len,
		  const ssm_store_kv *meta);

/** Methods of a store, to choose what the fault wrapper fails. */
typedef enum ssm_store_method {
	SSM_STORE_METHOD_ANY = 0,
	SSM_STORE_METHOD_GET = 1,
	SSM_STORE_METHOD_RANGE = 2,
	SSM_STORE_METHOD_TXN = 3,
	SSM_STORE_METHOD_REVISION = 4,
	SSM_STORE_METHOD_WATCH = 5,
	SSM_STORE_METHOD_LEASE = 6 /**< grant, keep-alive and revoke */
} ssm_store_method;

/**
 * Wrap a store in a fault injector that fails chosen calls (for tests).
 *
 * The wrapper forwards every call to @p inner until armed with
 * ssm_store_fault_set(). Closing it closes @p inner.
 *
 * @param[out] out  the wrapper; close with ssm_store_close()
 * @param inner     the store to wrap; owned by the wrapper on success
 * @return SSM_OK, SSM_EINVALID for a NULL argument, or SSM_ERROR when out
 *         of memory (then @p inner is still the caller's)
 * @since 0.1
 */
SSM_EXTERN(ssm_err) ssm_store_fault_new(ssm_store **out, ssm_store *inner);

/**
 * Arm a fault wrapper: the @p nth call of @p method from now fails with
 * @p code (without reaching the inner store) and the message
 * "injected fault: <method> call <n>".
 *
 * @param store    a store made by ssm_store_fault_new()
 * @param method   which method to count; SSM_STORE_METHOD_ANY counts all
 * @param nth      1 for the next call; 0 disarms
 * @param code     the code to fail with (negative)
 * @param persist  fail every call from the nth on, not just the nth
 * @return SSM_OK, or SSM_EINVALID when @p store is not a fault wrapper or
 *         @p code is not a failure
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_store_fault_set(ssm_store *store, ssm_store_method method, uint64_t nth,
		    ssm_err code, bool persist);

SSM_END_DECL

#endif
