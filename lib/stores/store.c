/* SPDX-License-Identifier: Apache-2.0 */
/* The store layer's core: argument and limit checks in front of every plugin
 * method, registration and opening by URL, and helpers for plugins. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/ctx.h"
#include "core/error.h"
#include "core/thread.h"
#include "stores/builtin.h"

#define KEY_REPR_MAX 220

/* ---- options ---------------------------------------------------------- */

ssm_err ssm_store_ops_init(ssm_store_ops *ops, unsigned int version)
{
	SSM_ASSERT_ARG(ops);
	if (version == 0 || version > SSM_STORE_OPS_VERSION)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "ssm_store_ops version %u is not "
				      "supported (1..%u)",
				      version, SSM_STORE_OPS_VERSION);
	/* a caller built against version 1 has a shorter table */
	memset(ops, 0,
	       version >= 2 ? sizeof(*ops)
			    : offsetof(ssm_store_ops, lease_grant));
	ops->version = version;
	return SSM_OK;
}

ssm_err ssm_store_range_options_init(ssm_store_range_options *opts,
				     unsigned int version)
{
	SSM_ASSERT_ARG(opts);
	if (version == 0 || version > SSM_STORE_RANGE_OPTIONS_VERSION)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "ssm_store_range_options version %u is "
				      "not supported (1..%u)",
				      version, SSM_STORE_RANGE_OPTIONS_VERSION);
	memset(opts, 0, sizeof(*opts));
	opts->version = version;
	return SSM_OK;
}

ssm_err ssm_store_put_options_init(ssm_store_put_options *opts,
				   unsigned int version)
{
	SSM_ASSERT_ARG(opts);
	if (version == 0 || version > SSM_STORE_PUT_OPTIONS_VERSION)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "ssm_store_put_options version %u is "
				      "not supported (1..%u)",
				      version, SSM_STORE_PUT_OPTIONS_VERSION);
	memset(opts, 0, sizeof(*opts));
	opts->version = version;
	return SSM_OK;
}

/* ---- registration and open -------------------------------------------- */

ssm_err ssm_ctx_register_store(ssm_ctx *ctx, const ssm_store_ops *ops,
			       void *payload)
{
	SSM_ASSERT_ARG(ctx);
	SSM_ASSERT_ARG(ops);
	SSM_CHECK_VERSION(ops, SSM_STORE_OPS_VERSION, "ssm_store_ops");
	if (!ops->name || !*ops->name || strchr(ops->name, ':'))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "store plugin name must be a non-empty "
				      "URL scheme");
	if (!ops->open || !ops->close || !ops->get || !ops->range ||
	    !ops->txn || !ops->revision || (ops->watch && !ops->watch_free))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "store plugin '%.64s' lacks a required "
				      "method",
				      ops->name);
	if (ops->version >= 2 &&
	    (!ops->lease_grant + !ops->lease_keep_alive + !ops->lease_revoke) %
		    3)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "store plugin '%.64s' must have all "
				      "three lease methods or none",
				      ops->name);
	return ssm_ctx__register(ctx, SSM_PLUGIN_STORE, ops->name, ops,
				 payload);
}

ssm_err ssm_stores__register_builtins(ssm_ctx *ctx)
{
	SSM_TRY(ssm_ctx_register_store(ctx, &ssm_store__memory_ops, NULL));
	SSM_TRY(ssm_ctx_register_store(ctx, &ssm_store__sqlite_ops, NULL));
	SSM_TRY(ssm_ctx_register_store(ctx, &ssm_store__etcd_ops, NULL));
	return SSM_OK;
}

ssm_err ssm_store_open(ssm_store **out, ssm_ctx *ctx, const char *url)
{
	const ssm_store_ops *ops = NULL;
	const void *found = NULL;
	void *payload = NULL;
	ssm_store *store = NULL;
	const char *colon;
	char names[256];
	ssm_err error;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(ctx);
	SSM_ASSERT_ARG(url);

	colon = strchr(url, ':');
	if (!colon || colon == url)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				      "store URL '%.200s' has no scheme "
				      "(e.g. memory: or sqlite:///path)",
				      url);
	if (ssm_ctx__lookup(&found, &payload, ctx, SSM_PLUGIN_STORE, url,
			    (size_t)(colon - url)) < 0) {
		ssm_ctx__plugin_names(names, sizeof(names), ctx,
				      SSM_PLUGIN_STORE);
		return ssm_error__set(
			SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
			"unknown store scheme '%.*s' in "
			"'%.200s' (known: %s)",
			(int)(colon - url > 64 ? 64 : colon - url), url, url,
			names);
	}
	ops = found;
	error = ops->open(&store, ops, ctx, url, payload);
	if (error < 0)
		return error;
	store->ops = ops;
	store->ctx = ssm_ctx__ref(ctx);
	SSM_LOG(ctx, SSM_LOG_DEBUG, "store", "opened a %s store", ops->name);
	*out = store;
	return SSM_OK;
}

void ssm_store_close(ssm_store *store)
{
	ssm_ctx *ctx;

	if (!store)
		return;
	ctx = store->ctx;
	store->ops->close(store);
	ssm_ctx__unref(ctx);
}

/* ---- argument checks -------------------------------------------------- */

static ssm_err check_key(const void *key, size_t len, const char *what)
{
	if (!key || !len)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				      "%s must not be empty", what);
	if (len > SSM_STORE_KEY_MAX)
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_STORE, NULL,
				      "%s of %zu bytes exceeds the limit of "
				      "%d bytes",
				      what, len, SSM_STORE_KEY_MAX);
	return SSM_OK;
}

static ssm_err check_prefix(const void *prefix, size_t len)
{
	if (!prefix && len)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "invalid argument: 'prefix'");
	if (len > SSM_STORE_KEY_MAX)
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_STORE, NULL,
				      "prefix of %zu bytes exceeds the limit "
				      "of %d bytes",
				      len, SSM_STORE_KEY_MAX);
	return SSM_OK;
}

static ssm_err check_value(const void *value, size_t len)
{
	if (!value && len)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "invalid argument: 'value'");
	if (len > SSM_STORE_VALUE_MAX)
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_STORE, NULL,
				      "value of %zu bytes exceeds the limit "
				      "of %d bytes",
				      len, SSM_STORE_VALUE_MAX);
	return SSM_OK;
}

/* Two ops of one transaction may not touch the same key (etcd refuses it
 * too, and the result would depend on the order). */
static bool ops_overlap(const ssm_store_op *a, const ssm_store_op *b)
{
	if (a->type == SSM_STORE_OP_DELETE_PREFIX)
		return ssm_store__has_prefix(b->key, b->key_len, a->key,
					     a->key_len) ||
		       (b->type == SSM_STORE_OP_DELETE_PREFIX &&
			ssm_store__has_prefix(a->key, a->key_len, b->key,
					      b->key_len));
	if (b->type == SSM_STORE_OP_DELETE_PREFIX)
		return ssm_store__has_prefix(a->key, a->key_len, b->key,
					     b->key_len);
	return a->key_len == b->key_len &&
	       memcmp(a->key, b->key, a->key_len) == 0;
}

/* Only tables of version 2 and later have the lease methods: never read
 * them from an older (shorter) one. */
static bool has_leases(const ssm_store_ops *ops)
{
	return ops->version >= 2 && ops->lease_grant;
}

static ssm_err no_leases(const ssm_store *store)
{
	return ssm_error__set(SSM_EUNSUPPORTED, SSM_ERRCLASS_STORE, NULL,
			      "the %s store has no leases", store->ops->name);
}

static ssm_err check_txn(const ssm_store *store, const ssm_store_compare *cmps,
			 size_t ncmps, const ssm_store_op *ops, size_t nops)
{
	char repr[KEY_REPR_MAX];
	size_t i, j;

	if ((!cmps && ncmps) || (!ops && nops))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "invalid argument: '%s'",
				      !cmps && ncmps ? "cmps" : "ops");
	if (ncmps > SSM_STORE_TXN_MAX || nops > SSM_STORE_TXN_MAX)
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_STORE, NULL,
				      "transaction has %zu compares and %zu "
				      "ops; the limit is %d of each",
				      ncmps, nops, SSM_STORE_TXN_MAX);
	for (i = 0; i < ncmps; i++) {
		SSM_TRY(check_key(cmps[i].key, cmps[i].key_len, "compare key"));
		if ((unsigned)cmps[i].op > SSM_STORE_CMP_GREATER)
			return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE,
					      NULL,
					      "compare %zu has unknown op %d",
					      i, (int)cmps[i].op);
	}
	for (i = 0; i < nops; i++) {
		const ssm_store_op *op = &ops[i];

		switch (op->type) {
		case SSM_STORE_OP_PUT:
			SSM_TRY(check_key(op->key, op->key_len, "key"));
			SSM_TRY(check_value(op->value, op->value_len));
			break;
		case SSM_STORE_OP_DELETE:
			SSM_TRY(check_key(op->key, op->key_len, "key"));
			break;
		case SSM_STORE_OP_DELETE_PREFIX:
			SSM_TRY(check_prefix(op->key, op->key_len));
			break;
		default:
			return ssm_error__set(
				SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				"op %zu has unknown type %d", i, (int)op->type);
		}
		if (op->lease > INT64_MAX)
			return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE,
					      NULL,
					      "op %zu: lease id %llu is out "
					      "of range",
					      i, (unsigned long long)op->lease);
		if (op->lease && op->type != SSM_STORE_OP_PUT)
			return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE,
					      NULL,
					      "op %zu: only a put takes a "
					      "lease",
					      i);
		if (op->lease && !has_leases(store->ops))
			return no_leases(store);
		for (j = 0; j < i; j++) {
			if (ops_overlap(&ops[j], op)) {
				ssm_store__key_repr(repr, sizeof(repr), op->key,
						    op->key_len);
				return ssm_error__set(
					SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
					"key '%s' is written twice in one "
					"transaction",
					repr);
			}
		}
	}
	return SSM_OK;
}

/* ---- the wrappers ------------------------------------------------------ */

ssm_err ssm_store_get(ssm_store_kv *out, ssm_store *store, const void *key,
		      size_t key_len)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(store);
	SSM_TRY(check_key(key, key_len, "key"));
	error = store->ops->get(&kv, store, key, key_len);
	if (error < 0) {
		ssm_store_kv_dispose(&kv);
		return error;
	}
	ssm_store_kv_dispose(out);
	*out = kv;
	return SSM_OK;
}

ssm_err ssm_store_range(ssm_store_kvs *out, ssm_store *store,
			const void *prefix, size_t prefix_len,
			const ssm_store_range_options *opts)
{
	ssm_store_range_options o = SSM_STORE_RANGE_OPTIONS_INIT;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(store);
	SSM_TRY(check_prefix(prefix, prefix_len));
	if (opts) {
		SSM_CHECK_VERSION(opts, SSM_STORE_RANGE_OPTIONS_VERSION,
				  "ssm_store_range_options");
		o.start_after = opts->start_after;
		o.start_after_len = opts->start_after_len;
		o.limit = opts->limit;
		o.flags = opts->flags;
	}
	if (o.start_after)
		SSM_TRY(check_key(o.start_after, o.start_after_len,
				  "start_after key"));
	if (o.flags & ~SSM_STORE_RANGE_KEYS_ONLY)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				      "unknown range flags 0x%x", o.flags);
	error = store->ops->range(&kvs, store, prefix, prefix_len,
				  o.start_after, o.start_after_len, o.limit,
				  o.flags);
	if (error < 0) {
		ssm_store_kvs_dispose(&kvs);
		return error;
	}
	ssm_store_kvs_dispose(out);
	*out = kvs;
	return SSM_OK;
}

ssm_err ssm_store_txn(uint64_t *revision_out, ssm_store *store,
		      const ssm_store_compare *cmps, size_t ncmps,
		      const ssm_store_op *ops, size_t nops)
{
	uint64_t rev = 0;

	SSM_ASSERT_ARG(store);
	SSM_TRY(check_txn(store, cmps, ncmps, ops, nops));
	SSM_TRY(store->ops->txn(&rev, store, cmps, ncmps, ops, nops));
	if (revision_out)
		*revision_out = rev;
	return SSM_OK;
}

ssm_err ssm_store_put(uint64_t *revision_out, ssm_store *store, const void *key,
		      size_t key_len, const void *value, size_t value_len,
		      const ssm_store_put_options *opts)
{
	ssm_store_put_options o = SSM_STORE_PUT_OPTIONS_INIT;
	ssm_store_compare cmp = { key, key_len, SSM_STORE_CMP_EQUAL, 0 };
	ssm_store_op op = {
		SSM_STORE_OP_PUT, key, key_len, value, value_len, 0
	};
	char repr[KEY_REPR_MAX];
	ssm_err error;

	SSM_ASSERT_ARG(store);
	if (opts) {
		SSM_CHECK_VERSION(opts, SSM_STORE_PUT_OPTIONS_VERSION,
				  "ssm_store_put_options");
		o.flags = opts->flags;
		o.mod_revision = opts->mod_revision;
		o.lease = opts->lease;
	}
	if (o.flags &
	    ~(SSM_STORE_PUT_IF_ABSENT | SSM_STORE_PUT_IF_MOD_REVISION))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				      "unknown put flags 0x%x", o.flags);
	if ((o.flags & SSM_STORE_PUT_IF_ABSENT) &&
	    (o.flags & SSM_STORE_PUT_IF_MOD_REVISION))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				      "put flags IF_ABSENT and "
				      "IF_MOD_REVISION exclude each other");
	op.lease = o.lease;
	if (o.flags & SSM_STORE_PUT_IF_MOD_REVISION)
		cmp.mod_revision = o.mod_revision;
	error = ssm_store_txn(revision_out, store, &cmp, o.flags ? 1 : 0, &op,
			      1);
	if (error == SSM_ECONFLICT && (o.flags & SSM_STORE_PUT_IF_ABSENT)) {
		ssm_store__key_repr(repr, sizeof(repr), key, key_len);
		error = ssm_error__set(SSM_EEXISTS, SSM_ERRCLASS_STORE, NULL,
				       "key '%s' already exists", repr);
	}
	return error;
}

ssm_err ssm_store_delete(uint64_t *revision_out, ssm_store *store,
			 const void *key, size_t key_len, uint64_t mod_revision)
{
	ssm_store_compare cmp = { key, key_len, SSM_STORE_CMP_NOT_EQUAL, 0 };
	ssm_store_op op = { SSM_STORE_OP_DELETE, key, key_len, NULL, 0, 0 };
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	char repr[KEY_REPR_MAX];
	ssm_err error;

	SSM_ASSERT_ARG(store);
	if (mod_revision) {
		cmp.op = SSM_STORE_CMP_EQUAL;
		cmp.mod_revision = mod_revision;
	}
	error = ssm_store_txn(revision_out, store, &cmp, 1, &op, 1);
	if (error != SSM_ECONFLICT)
		return error;
	/* Tell "absent" from "changed" for the caller. */
	if (store->ops->get(&kv, store, key, key_len) == SSM_ENOTFOUND) {
		ssm_store__key_repr(repr, sizeof(repr), key, key_len);
		error = ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_STORE, NULL,
				       "key '%s' not found", repr);
	} else {
		ssm_store__key_repr(repr, sizeof(repr), key, key_len);
		error = ssm_error__set(SSM_ECONFLICT, SSM_ERRCLASS_STORE, NULL,
				       "key '%s' changed: mod revision %llu, "
				       "expected %llu",
				       repr,
				       (unsigned long long)kv.mod_revision,
				       (unsigned long long)mod_revision);
	}
	ssm_store_kv_dispose(&kv);
	return error;
}

ssm_err ssm_store_revision(uint64_t *out, ssm_store *store)
{
	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(store);
	return store->ops->revision(out, store);
}

ssm_err ssm_store_watch_start(ssm_store_watch **out, ssm_store *store,
			      const void *prefix, size_t prefix_len,
			      uint64_t start_revision, ssm_store_watch_cb cb,
			      void *payload)
{
	ssm_store_watch *w = NULL;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(store);
	SSM_ASSERT_ARG(cb);
	SSM_TRY(check_prefix(prefix, prefix_len));
	if (!store->ops->watch)
		return ssm_error__set(SSM_EUNSUPPORTED, SSM_ERRCLASS_STORE,
				      NULL, "the %s store cannot watch",
				      store->ops->name);
	SSM_TRY(store->ops->watch(&w, store, prefix, prefix_len, start_revision,
				  cb, payload));
	w->store = store;
	*out = w;
	return SSM_OK;
}

void ssm_store_watch_free(ssm_store_watch *watch)
{
	if (watch)
		watch->store->ops->watch_free(watch);
}

bool ssm_store_has_leases(const ssm_store *store)
{
	return store && has_leases(store->ops);
}

static ssm_err check_lease_id(uint64_t lease)
{
	if (!lease || lease > INT64_MAX)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				      "lease id %llu is out of range "
				      "(1..%lld)",
				      (unsigned long long)lease,
				      (long long)INT64_MAX);
	return SSM_OK;
}

ssm_err ssm_store_lease_grant(uint64_t *lease_out, int64_t *ttl_ms_out,
			      ssm_store *store, int64_t ttl_ms)
{
	uint64_t id = 0;
	int64_t granted = 0;

	SSM_ASSERT_ARG(lease_out);
	*lease_out = 0;
	SSM_ASSERT_ARG(store);
	if (!has_leases(store->ops))
		return no_leases(store);
	if (ttl_ms < 1 || ttl_ms > SSM_STORE_LEASE_TTL_MAX_MS)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				      "lease TTL %lld ms is out of range "
				      "(1..%lld)",
				      (long long)ttl_ms,
				      (long long)SSM_STORE_LEASE_TTL_MAX_MS);
	SSM_TRY(store->ops->lease_grant(&id, &granted, store, ttl_ms));
	*lease_out = id;
	if (ttl_ms_out)
		*ttl_ms_out = granted;
	return SSM_OK;
}

ssm_err ssm_store_lease_keep_alive(int64_t *ttl_ms_out, ssm_store *store,
				   uint64_t lease)
{
	int64_t granted = 0;

	SSM_ASSERT_ARG(store);
	if (!has_leases(store->ops))
		return no_leases(store);
	SSM_TRY(check_lease_id(lease));
	SSM_TRY(store->ops->lease_keep_alive(&granted, store, lease));
	if (ttl_ms_out)
		*ttl_ms_out = granted;
	return SSM_OK;
}

ssm_err ssm_store_lease_revoke(uint64_t *revision_out, ssm_store *store,
			       uint64_t lease)
{
	uint64_t rev = 0;

	SSM_ASSERT_ARG(store);
	if (!has_leases(store->ops))
		return no_leases(store);
	SSM_TRY(check_lease_id(lease));
	SSM_TRY(store->ops->lease_revoke(&rev, store, lease));
	if (revision_out)
		*revision_out = rev;
	return SSM_OK;
}

ssm_err ssm_store__lease_not_found(uint64_t lease)
{
	return ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_STORE, NULL,
			      "lease %llu not found",
			      (unsigned long long)lease);
}

/* ---- results ------------------------------------------------------------ */

void ssm_store_kv_dispose(ssm_store_kv *kv)
{
	if (!kv)
		return;
	ssm_buf_dispose(&kv->key);
	ssm_buf_dispose(&kv->value);
	kv->create_revision = kv->mod_revision = kv->version = kv->lease = 0;
}

void ssm_store_kvs_dispose(ssm_store_kvs *kvs)
{
	size_t i;

	if (!kvs)
		return;
	for (i = 0; i < kvs->count; i++)
		ssm_store_kv_dispose(&kvs->items[i]);
	ssm__free(kvs->items);
	kvs->items = NULL;
	kvs->count = kvs->asize = 0;
	kvs->more = false;
	kvs->revision = 0;
}

static ssm_err fill_kv(ssm_store_kv *kv, const void *key, size_t key_len,
		       const void *value, size_t value_len,
		       const ssm_store_kv *meta)
{
	ssm_store_kv tmp = SSM_STORE_KV_INIT;

	if (ssm_buf_set(&tmp.key, key, key_len) < 0 ||
	    (value && ssm_buf_set(&tmp.value, value, value_len) < 0)) {
		ssm_store_kv_dispose(&tmp);
		return SSM_ERROR;
	}
	if (meta) {
		tmp.create_revision = meta->create_revision;
		tmp.mod_revision = meta->mod_revision;
		tmp.version = meta->version;
		tmp.lease = meta->lease;
	}
	*kv = tmp;
	return SSM_OK;
}

ssm_err ssm_store_kvs_add(ssm_store_kvs *kvs, const void *key, size_t key_len,
			  const void *value, size_t value_len,
			  const ssm_store_kv *meta)
{
	SSM_ASSERT_ARG(kvs);
	SSM_ASSERT_ARG(key);
	if (kvs->count == kvs->asize) {
		size_t n = kvs->asize ? kvs->asize * 2 : 16, bytes;
		ssm_store_kv *items;

		if (ssm__mul_overflow(&bytes, n, sizeof(*items)))
			return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_STORE,
					      NULL, "too many results");
		items = ssm__realloc(kvs->items, bytes);
		if (!items)
			return SSM_ERROR;
		kvs->items = items;
		kvs->asize = n;
	}
	SSM_TRY(fill_kv(&kvs->items[kvs->count], key, key_len, value, value_len,
			meta));
	kvs->count++;
	return SSM_OK;
}

/* ---- helpers for plugins ----------------------------------------------- */

void ssm_store__key_repr(char *out, size_t outlen, const void *key, size_t len)
{
	const unsigned char *k = key;
	size_t i, o = 0;

	if (!outlen)
		return;
	for (i = 0; i < len && o + 8 < outlen; i++) {
		if (k[i] >= 0x20 && k[i] < 0x7f && k[i] != '\\' &&
		    k[i] != '\'') {
			out[o++] = (char)k[i];
		} else {
			snprintf(out + o, outlen - o, "\\x%02x", k[i]);
			o += 4;
		}
	}
	if (i < len && outlen > 4) {
		if (o > outlen - 4)
			o = outlen - 4;
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

size_t ssm_store__prefix_end(unsigned char *end, const void *prefix, size_t len)
{
	const unsigned char *p = prefix;

	while (len > 0 && p[len - 1] == 0xff)
		len--;
	if (!len)
		return 0;
	memcpy(end, p, len);
	end[len - 1]++;
	return len;
}

bool ssm_store__has_prefix(const void *key, size_t key_len, const void *prefix,
			   size_t prefix_len)
{
	return key_len >= prefix_len &&
	       (prefix_len == 0 || memcmp(key, prefix, prefix_len) == 0);
}

bool ssm_store__cmp_holds(const ssm_store_compare *cmp, uint64_t have)
{
	switch (cmp->op) {
	case SSM_STORE_CMP_EQUAL:
		return have == cmp->mod_revision;
	case SSM_STORE_CMP_NOT_EQUAL:
		return have != cmp->mod_revision;
	case SSM_STORE_CMP_LESS:
		return have < cmp->mod_revision;
	case SSM_STORE_CMP_GREATER:
		return have > cmp->mod_revision;
	}
	return false;
}

ssm_err ssm_store__cmp_failed(const ssm_store_compare *cmp, uint64_t have)
{
	static const char *const names[] = { "==", "!=", "<", ">" };
	char repr[KEY_REPR_MAX];

	ssm_store__key_repr(repr, sizeof(repr), cmp->key, cmp->key_len);
	return ssm_error__set(SSM_ECONFLICT, SSM_ERRCLASS_STORE, NULL,
			      "compare failed on key '%s': mod revision %llu, "
			      "expected %s %llu",
			      repr, (unsigned long long)have,
			      names[cmp->op & 3],
			      (unsigned long long)cmp->mod_revision);
}

ssm_err ssm_store__events_add(ssm_store_events *ev, ssm_store_event_type type,
			      const void *key, size_t key_len,
			      const void *value, size_t value_len,
			      const ssm_store_kv *meta)
{
	if (ev->count == ev->asize) {
		size_t n = ev->asize ? ev->asize * 2 : 16, bytes;
		ssm_store_event *items;

		if (ssm__mul_overflow(&bytes, n, sizeof(*items)))
			return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_STORE,
					      NULL, "too many events");
		items = ssm__realloc(ev->items, bytes);
		if (!items)
			return SSM_ERROR;
		ev->items = items;
		ev->asize = n;
	}
	SSM_TRY(fill_kv(&ev->items[ev->count].kv, key, key_len,
			type == SSM_STORE_EVENT_PUT ? value : NULL, value_len,
			meta));
	ev->items[ev->count].type = type;
	ev->count++;
	return SSM_OK;
}

void ssm_store__events_clear(ssm_store_events *ev)
{
	size_t i;

	for (i = 0; i < ev->count; i++)
		ssm_store_kv_dispose(&ev->items[i].kv);
	ev->count = 0;
}

ssm_err ssm_store__parse_query(const char *query, const char *url,
			       ssm_store_query_fn fn, void *payload)
{
	char name[64], value[256];
	const char *p = query;

	while (p && *p) {
		const char *amp = strchr(p, '&');
		const char *eq = strchr(p, '=');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);

		if (!eq || eq > p + len || eq == p ||
		    (size_t)(eq - p) >= sizeof(name) ||
		    len - (size_t)(eq - p) - 1 >= sizeof(value))
			return ssm_error__set(
				SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				"malformed option '%.*s' in store "
				"URL '%.200s'",
				(int)(len > 64 ? 64 : len), p, url);
		memcpy(name, p, (size_t)(eq - p));
		name[eq - p] = '\0';
		memcpy(value, eq + 1, len - (size_t)(eq - p) - 1);
		value[len - (size_t)(eq - p) - 1] = '\0';
		SSM_TRY(fn(name, value, payload));
		p = amp ? amp + 1 : NULL;
	}
	return SSM_OK;
}

/* ---- polling watches ---------------------------------------------------- */

void ssm_store__notifier_init(ssm_store_notifier *n)
{
	pthread_mutex_init(&n->lock, NULL);
	ssm__cond_init(&n->cond);
	n->seq = 0;
}

void ssm_store__notifier_dispose(ssm_store_notifier *n)
{
	pthread_cond_destroy(&n->cond);
	pthread_mutex_destroy(&n->lock);
}

void ssm_store__notify(ssm_store_notifier *n)
{
	pthread_mutex_lock(&n->lock);
	n->seq++;
	pthread_cond_broadcast(&n->cond);
	pthread_mutex_unlock(&n->lock);
}

struct poll_watch {
	ssm_store_watch parent;
	ssm_store *store;
	ssm_store_notifier *notifier;
	ssm_store_changes_fn changes;
	int64_t poll_ms;
	unsigned char *prefix;
	size_t prefix_len;
	uint64_t after; /* last revision delivered */
	ssm_store_watch_cb cb;
	void *payload;
	bool stop; /* under notifier->lock */
	pthread_t thread;
};

#define WATCH_BATCH 256

static void *poll_watch_main(void *arg)
{
	struct poll_watch *w = arg;
	ssm_store_events ev = { NULL, 0, 0 };
	uint64_t seen;
	ssm_err error;

	pthread_mutex_lock(&w->notifier->lock);
	seen = w->notifier->seq;
	pthread_mutex_unlock(&w->notifier->lock);

	for (;;) {
		pthread_mutex_lock(&w->notifier->lock);
		if (w->stop) {
			pthread_mutex_unlock(&w->notifier->lock);
			break;
		}
		seen = w->notifier->seq;
		pthread_mutex_unlock(&w->notifier->lock);

		error = w->changes(&ev, w->store, w->prefix, w->prefix_len,
				   w->after, WATCH_BATCH);
		if (error < 0) {
			w->cb(NULL, 0, error, w->payload);
			break;
		}
		if (ev.count) {
			w->after = ev.items[ev.count - 1].kv.mod_revision;
			if (w->cb(ev.items, ev.count, SSM_OK, w->payload))
				break;
			ssm_store__events_clear(&ev);
			continue; /* there may be more */
		}
		pthread_mutex_lock(&w->notifier->lock);
		if (!w->stop && w->notifier->seq == seen)
			ssm__cond_wait_until(&w->notifier->cond,
					     &w->notifier->lock,
					     ssm__mono_ms() + w->poll_ms);
		pthread_mutex_unlock(&w->notifier->lock);
	}
	ssm_store__events_clear(&ev);
	ssm__free(ev.items);
	return NULL;
}

ssm_err ssm_store__poll_watch_new(ssm_store_watch **out, ssm_store *store,
				  ssm_store_notifier *notifier,
				  ssm_store_changes_fn changes, int64_t poll_ms,
				  const void *prefix, size_t prefix_len,
				  uint64_t start_revision,
				  ssm_store_watch_cb cb, void *payload)
{
	ssm_store_events probe = { NULL, 0, 0 };
	struct poll_watch *w;
	uint64_t rev;
	ssm_err error;

	if (start_revision == 0) {
		SSM_TRY(store->ops->revision(&rev, store));
	} else {
		rev = start_revision - 1;
		/* fail now, not on the thread, if history is gone */
		error = changes(&probe, store, prefix, prefix_len, rev, 1);
		ssm_store__events_clear(&probe);
		ssm__free(probe.items);
		if (error < 0)
			return error;
	}
	w = ssm__calloc(1, sizeof(*w));
	if (!w)
		return SSM_ERROR;
	w->prefix = ssm__memdup(prefix ? prefix : "", prefix_len);
	if (!w->prefix) {
		ssm__free(w);
		return SSM_ERROR;
	}
	w->store = store;
	w->notifier = notifier;
	w->changes = changes;
	w->poll_ms = poll_ms;
	w->prefix_len = prefix_len;
	w->after = rev;
	w->cb = cb;
	w->payload = payload;
	if (pthread_create(&w->thread, NULL, poll_watch_main, w) != 0) {
		ssm__free(w->prefix);
		ssm__free(w);
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_OS, NULL,
				      "cannot start the watch thread");
	}
	*out = &w->parent;
	return SSM_OK;
}

void ssm_store__poll_watch_free(ssm_store_watch *watch)
{
	struct poll_watch *w = (struct poll_watch *)watch;

	pthread_mutex_lock(&w->notifier->lock);
	w->stop = true;
	pthread_cond_broadcast(&w->notifier->cond);
	pthread_mutex_unlock(&w->notifier->lock);
	pthread_join(w->thread, NULL);
	ssm__free(w->prefix);
	ssm__free(w);
}

/* ---- lease expiry ------------------------------------------------------- */

void ssm_store__reaper_init(ssm_store_reaper *r, ssm_store *store,
			    ssm_store_expire_fn expire, int64_t poll_ms)
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->lock, NULL);
	ssm__cond_init(&r->cond);
	r->store = store;
	r->expire = expire;
	r->poll_ms = poll_ms;
	r->due = INT64_MAX;
}

static void *reaper_main(void *arg)
{
	ssm_store_reaper *r = arg;
	int64_t now, wake, next;

	int64_t poll_at = INT64_MAX;

	pthread_mutex_lock(&r->lock);
	if (r->poll_ms)
		poll_at = ssm__mono_ms() + r->poll_ms;
	while (!r->stop) {
		now = ssm__mono_ms();
		wake = r->due < poll_at ? r->due : poll_at;
		if (wake > now) {
			ssm__cond_wait_until(&r->cond, &r->lock,
					     wake == INT64_MAX ? -1 : wake);
			continue;
		}
		if (r->poll_ms)
			poll_at = now + r->poll_ms;
		r->due = INT64_MAX;
		pthread_mutex_unlock(&r->lock);
		next = r->expire(r->store);
		pthread_mutex_lock(&r->lock);
		if (next < r->due)
			r->due = next;
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

ssm_err ssm_store__reaper_start(ssm_store_reaper *r)
{
	ssm_err error = SSM_OK;

	pthread_mutex_lock(&r->lock);
	if (!r->running) {
		if (pthread_create(&r->thread, NULL, reaper_main, r) == 0)
			r->running = true;
		else
			error = ssm_error__set(SSM_ERROR, SSM_ERRCLASS_OS, NULL,
					       "cannot start the lease "
					       "expiry thread");
	}
	pthread_mutex_unlock(&r->lock);
	return error;
}

void ssm_store__reaper_due(ssm_store_reaper *r, int64_t due_ms)
{
	pthread_mutex_lock(&r->lock);
	if (due_ms < r->due) {
		r->due = due_ms;
		pthread_cond_broadcast(&r->cond);
	}
	pthread_mutex_unlock(&r->lock);
}

void ssm_store__reaper_dispose(ssm_store_reaper *r)
{
	bool running;

	pthread_mutex_lock(&r->lock);
	r->stop = true;
	running = r->running;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	if (running)
		pthread_join(r->thread, NULL);
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->lock);
}
