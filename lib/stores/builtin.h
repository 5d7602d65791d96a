/* SPDX-License-Identifier: Apache-2.0 */
/* The store plugins built into libssm, and helpers shared by plugins. */
#ifndef SSM_STORES_BUILTIN_H
#define SSM_STORES_BUILTIN_H

#include <pthread.h>

#include "ssm/sys/store.h"

extern const ssm_store_ops ssm_store__memory_ops;
extern const ssm_store_ops ssm_store__sqlite_ops;
extern const ssm_store_ops ssm_store__etcd_ops;

/* Called by ssm_ctx_new(): registers memory:, sqlite: and etcd:. */
ssm_err ssm_stores__register_builtins(ssm_ctx *ctx);

/* Printable form of a key for messages: printable ASCII as is, other bytes
 * as \xNN, cut at about 200 characters with "...". */
void ssm_store__key_repr(char *out, size_t outlen, const void *key, size_t len);

/* The end of a prefix range: the smallest key greater than every key that
 * starts with @prefix. Writes into @end (capacity >= len) and returns its
 * length; returns 0 when there is no end (prefix empty or all 0xff). */
size_t ssm_store__prefix_end(unsigned char *end, const void *prefix,
			     size_t len);

/* Does @key start with @prefix? */
bool ssm_store__has_prefix(const void *key, size_t key_len, const void *prefix,
			   size_t prefix_len);

/* Whether mod revision @have satisfies a compare. */
bool ssm_store__cmp_holds(const ssm_store_compare *cmp, uint64_t have);
/* Set the ECONFLICT error for a failed compare. */
ssm_err ssm_store__cmp_failed(const ssm_store_compare *cmp, uint64_t have);

/* A growable list of watch events. */
typedef struct ssm_store_events {
	ssm_store_event *items;
	size_t count;
	size_t asize;
} ssm_store_events;

ssm_err ssm_store__events_add(ssm_store_events *ev, ssm_store_event_type type,
			      const void *key, size_t key_len,
			      const void *value, size_t value_len,
			      const ssm_store_kv *meta);
void ssm_store__events_clear(ssm_store_events *ev);

/* Polling watches for stores that can list "changes since revision N".
 * The plugin embeds a notifier, bumps it after each commit, and gives the
 * helper a function that appends the changes under a prefix with revision
 * greater than @after (at most @limit), or fails with SSM_ENOTFOUND when
 * revision after+1 is no longer kept. The helper's thread wakes on the
 * notifier and also every @poll_ms (for writers in other processes). */
typedef struct ssm_store_notifier {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	uint64_t seq;
} ssm_store_notifier;

void ssm_store__notifier_init(ssm_store_notifier *n);
void ssm_store__notifier_dispose(ssm_store_notifier *n);
void ssm_store__notify(ssm_store_notifier *n);

typedef ssm_err (*ssm_store_changes_fn)(ssm_store_events *out, ssm_store *store,
					const void *prefix, size_t prefix_len,
					uint64_t after, size_t limit);

ssm_err ssm_store__poll_watch_new(ssm_store_watch **out, ssm_store *store,
				  ssm_store_notifier *notifier,
				  ssm_store_changes_fn changes, int64_t poll_ms,
				  const void *prefix, size_t prefix_len,
				  uint64_t start_revision,
				  ssm_store_watch_cb cb, void *payload);
void ssm_store__poll_watch_free(ssm_store_watch *watch);

/* Set the SSM_ENOTFOUND error "lease N not found". */
ssm_err ssm_store__lease_not_found(uint64_t lease);

/* Lease expiry for stores that keep leases themselves: a thread, started on
 * first use, that calls @expire once the earliest deadline the plugin gave
 * it (ssm_store__reaper_due, monotonic ms) has come, and also every @poll_ms
 * when that is not 0 (for leases changed by other processes). @expire
 * deletes what is due (each lease in a transaction of its own) and returns
 * the next deadline (monotonic ms), or INT64_MAX for none. */
typedef int64_t (*ssm_store_expire_fn)(ssm_store *store);

typedef struct ssm_store_reaper {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	bool running, stop;
	int64_t due;
	int64_t poll_ms;
	ssm_store *store;
	ssm_store_expire_fn expire;
} ssm_store_reaper;

void ssm_store__reaper_init(ssm_store_reaper *r, ssm_store *store,
			    ssm_store_expire_fn expire, int64_t poll_ms);
/* Start the thread unless it runs. */
ssm_err ssm_store__reaper_start(ssm_store_reaper *r);
/* A lease falls due at @due_ms (monotonic): wake the thread if earlier. */
void ssm_store__reaper_due(ssm_store_reaper *r, int64_t due_ms);
/* Stop and join the thread (before the store goes away). */
void ssm_store__reaper_dispose(ssm_store_reaper *r);

/* Parse "?a=1&b=2" style options after a URL's path; calls @fn per pair.
 * Returns the error @fn returns, or SSM_EINVALID for a malformed query. */
typedef ssm_err (*ssm_store_query_fn)(const char *name, const char *value,
				      void *payload);
ssm_err ssm_store__parse_query(const char *query, const char *url,
			       ssm_store_query_fn fn, void *payload);

#endif
