/* SPDX-License-Identifier: Apache-2.0 */
/* Building the store transaction of one parameter write. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "param/param.h"

ssm_str *param_txn_buf(param_txn *t)
{
	if (t->nbufs == sizeof(t->bufs) / sizeof(t->bufs[0])) {
		ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_PARAM, NULL,
			       "parameter write needs too many store keys");
		return NULL;
	}
	ssm_str_clear(&t->bufs[t->nbufs]);
	return &t->bufs[t->nbufs++];
}

void param_txn_reset(param_txn *t)
{
	size_t i;

	for (i = 0; i < t->nbufs; i++)
		ssm_str_clear(&t->bufs[i]);
	t->nbufs = t->ncmps = t->nops = 0;
}

void param_txn_dispose(param_txn *t)
{
	size_t i;

	for (i = 0; i < sizeof(t->bufs) / sizeof(t->bufs[0]); i++)
		ssm_str_dispose(&t->bufs[i]);
	t->nbufs = t->ncmps = t->nops = 0;
}

void param_txn_cmp(param_txn *t, const void *key, size_t len, uint64_t rev)
{
	ssm_store_compare *c;

	if (t->ncmps == SSM_STORE_TXN_MAX)
		return; /* the caller's count keeps below this */
	c = &t->cmps[t->ncmps++];
	c->key = key;
	c->key_len = len;
	c->op = SSM_STORE_CMP_EQUAL;
	c->mod_revision = rev;
}

static ssm_store_op *op_add(param_txn *t, ssm_store_op_type type,
			    const ssm_str *key)
{
	ssm_store_op *o = &t->ops[t->nops++];

	memset(o, 0, sizeof(*o));
	o->type = type;
	o->key = key->ptr;
	o->key_len = key->size;
	return o;
}

void param_txn_put(param_txn *t, const ssm_str *key, const void *value,
		   size_t len)
{
	ssm_store_op *o = op_add(t, SSM_STORE_OP_PUT, key);

	o->value = value;
	o->value_len = len;
}

void param_txn_delete(param_txn *t, const ssm_str *key)
{
	op_add(t, SSM_STORE_OP_DELETE, key);
}

void param_txn_delete_prefix(param_txn *t, const ssm_str *prefix)
{
	op_add(t, SSM_STORE_OP_DELETE_PREFIX, prefix);
}

ssm_err param_txn_count(param_txn *t, const ssm_service *svc, const char *norm,
			size_t len, int tier, int delta)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_str *key = param_txn_buf(t), *val;
	uint64_t n = 0, rev = 0;
	ssm_err error;

	if (!key || !(val = param_txn_buf(t)))
		return SSM_ELIMIT;
	SSM_TRY(param_key_count(key, svc, tier, param_count_shard(norm, len)));
	error = ssm_store_get(&kv, svc->store, key->ptr, key->size);
	if (error == SSM_OK) {
		n = strtoull(kv.value.ptr, NULL, 10);
		rev = kv.mod_revision;
	} else if (error != SSM_ENOTFOUND) {
		return error;
	}
	ssm_store_kv_dispose(&kv);
	if (delta < 0 && n == 0)
		delta = 0;
	SSM_TRY(ssm_str_printf(val, "%" PRIu64, n + (uint64_t)(int64_t)delta));
	param_txn_cmp(t, key->ptr, key->size, rev);
	param_txn_put(t, key, val->ptr, val->size);
	return SSM_OK;
}

ssm_err param_txn_commit(param_txn *t, const ssm_service *svc)
{
	return ssm_store_txn(NULL, svc->store, t->cmps, t->ncmps, t->ops,
			     t->nops);
}
