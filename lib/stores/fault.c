/* SPDX-License-Identifier: Apache-2.0 */
/* A store that forwards to another and fails the Nth call of a chosen
 * method: how tests reach the failure paths of everything built on stores. */
#include <string.h>

#include "core/alloc.h"
#include "core/ctx.h"
#include "core/error.h"
#include "stores/builtin.h"

struct fault {
	ssm_store parent;
	ssm_store *inner;
	pthread_mutex_t lock;
	ssm_store_method method;
	uint64_t seen; /* calls of method since armed */
	uint64_t nth;  /* 0: disarmed */
	ssm_err code;
	bool persist;
};

struct fault_watch {
	ssm_store_watch parent;
	ssm_store_watch *inner;
};

static const char *method_name(ssm_store_method m)
{
	static const char *const names[] = { "any",  "get",	 "range",
					     "txn",  "revision", "watch",
					     "lease" };

	return (unsigned)m < sizeof(names) / sizeof(names[0]) ? names[m]
							      : "unknown";
}

static ssm_err trip(ssm_store *store, ssm_store_method method)
{
	struct fault *f = (struct fault *)store;
	ssm_err error = SSM_OK;
	uint64_t n;

	pthread_mutex_lock(&f->lock);
	if (f->nth &&
	    (f->method == SSM_STORE_METHOD_ANY || f->method == method)) {
		n = ++f->seen;
		if (n == f->nth || (f->persist && n > f->nth))
			error = ssm_error__set(
				f->code, SSM_ERRCLASS_STORE, NULL,
				"injected fault: %s call %llu",
				method_name(method), (unsigned long long)n);
	}
	pthread_mutex_unlock(&f->lock);
	return error;
}

static void fault_close(ssm_store *store)
{
	struct fault *f = (struct fault *)store;

	ssm_store_close(f->inner);
	pthread_mutex_destroy(&f->lock);
	ssm__free(f);
}

static ssm_err fault_get(ssm_store_kv *out, ssm_store *store, const void *key,
			 size_t key_len)
{
	struct fault *f = (struct fault *)store;

	SSM_TRY(trip(store, SSM_STORE_METHOD_GET));
	return f->inner->ops->get(out, f->inner, key, key_len);
}

static ssm_err fault_range(ssm_store_kvs *out, ssm_store *store,
			   const void *prefix, size_t prefix_len,
			   const void *start_after, size_t start_after_len,
			   size_t limit, unsigned int flags)
{
	struct fault *f = (struct fault *)store;

	SSM_TRY(trip(store, SSM_STORE_METHOD_RANGE));
	return f->inner->ops->range(out, f->inner, prefix, prefix_len,
				    start_after, start_after_len, limit, flags);
}

static ssm_err fault_txn(uint64_t *revision_out, ssm_store *store,
			 const ssm_store_compare *cmps, size_t ncmps,
			 const ssm_store_op *ops, size_t nops)
{
	struct fault *f = (struct fault *)store;

	SSM_TRY(trip(store, SSM_STORE_METHOD_TXN));
	/* through the checks again: the inner store may have no leases */
	return ssm_store_txn(revision_out, f->inner, cmps, ncmps, ops, nops);
}

static ssm_err fault_revision(uint64_t *out, ssm_store *store)
{
	struct fault *f = (struct fault *)store;

	SSM_TRY(trip(store, SSM_STORE_METHOD_REVISION));
	return f->inner->ops->revision(out, f->inner);
}

static ssm_err fault_watch(ssm_store_watch **out, ssm_store *store,
			   const void *prefix, size_t prefix_len,
			   uint64_t start_revision, ssm_store_watch_cb cb,
			   void *payload)
{
	struct fault *f = (struct fault *)store;
	struct fault_watch *w;
	ssm_err error;

	SSM_TRY(trip(store, SSM_STORE_METHOD_WATCH));
	w = ssm__calloc(1, sizeof(*w));
	if (!w)
		return SSM_ERROR;
	error = ssm_store_watch_start(&w->inner, f->inner, prefix, prefix_len,
				      start_revision, cb, payload);
	if (error < 0) {
		ssm__free(w);
		return error;
	}
	*out = &w->parent;
	return SSM_OK;
}

static void fault_watch_free(ssm_store_watch *watch)
{
	struct fault_watch *w = (struct fault_watch *)watch;

	ssm_store_watch_free(w->inner);
	ssm__free(w);
}

static ssm_err fault_lease_grant(uint64_t *lease_out, int64_t *ttl_ms_out,
				 ssm_store *store, int64_t ttl_ms)
{
	struct fault *f = (struct fault *)store;

	SSM_TRY(trip(store, SSM_STORE_METHOD_LEASE));
	return ssm_store_lease_grant(lease_out, ttl_ms_out, f->inner, ttl_ms);
}

static ssm_err fault_lease_keep_alive(int64_t *ttl_ms_out, ssm_store *store,
				      uint64_t lease)
{
	struct fault *f = (struct fault *)store;

	SSM_TRY(trip(store, SSM_STORE_METHOD_LEASE));
	return ssm_store_lease_keep_alive(ttl_ms_out, f->inner, lease);
}

static ssm_err fault_lease_revoke(uint64_t *revision_out, ssm_store *store,
				  uint64_t lease)
{
	struct fault *f = (struct fault *)store;

	SSM_TRY(trip(store, SSM_STORE_METHOD_LEASE));
	return ssm_store_lease_revoke(revision_out, f->inner, lease);
}

static const ssm_store_ops fault_ops = {
	.version = SSM_STORE_OPS_VERSION,
	.name = "fault",
	.open = NULL, /* made only by ssm_store_fault_new() */
	.close = fault_close,
	.get = fault_get,
	.range = fault_range,
	.txn = fault_txn,
	.revision = fault_revision,
	.watch = fault_watch,
	.watch_free = fault_watch_free,
	.lease_grant = fault_lease_grant,
	.lease_keep_alive = fault_lease_keep_alive,
	.lease_revoke = fault_lease_revoke,
};

ssm_err ssm_store_fault_new(ssm_store **out, ssm_store *inner)
{
	struct fault *f;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(inner);
	f = ssm__calloc(1, sizeof(*f));
	if (!f)
		return SSM_ERROR;
	pthread_mutex_init(&f->lock, NULL);
	f->parent.ops = &fault_ops;
	f->parent.ctx = ssm_ctx__ref(inner->ctx);
	f->inner = inner;
	*out = &f->parent;
	return SSM_OK;
}

ssm_err ssm_store_fault_set(ssm_store *store, ssm_store_method method,
			    uint64_t nth, ssm_err code, bool persist)
{
	struct fault *f = (struct fault *)store;

	SSM_ASSERT_ARG(store);
	if (store->ops != &fault_ops)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "store is not a fault wrapper (it is "
				      "a %s store)",
				      store->ops->name);
	if ((unsigned)method > SSM_STORE_METHOD_LEASE)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "unknown store method %d", (int)method);
	if (nth && (code >= 0 || code < SSM_ITEROVER))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "fault code %d is not a failure code",
				      (int)code);
	pthread_mutex_lock(&f->lock);
	f->method = method;
	f->nth = nth;
	f->seen = 0;
	f->code = code;
	f->persist = persist;
	pthread_mutex_unlock(&f->lock);
	return SSM_OK;
}
