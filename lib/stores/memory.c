/* SPDX-License-Identifier: Apache-2.0 */
/* memory: an ordered in-process key/value store (a skip list under a
 * read/write lock), with a ring of recent changes for watches.
 *
 * URL: memory:[?history=N]   N = changes kept for watches (default 10000)
 *
 * A hash index finds exact keys (gets, compares) in O(1); the skip list
 * keeps the order for ranges.
 *
 * A transaction first allocates everything it will need, then mutates the
 * list without allocating, so a failure (even out of memory) changes
 * nothing.
 *
 * Leases live in an array sorted by id (ids only grow); each lists its keys
 * (a doubly linked list through the nodes), so revoking one touches only
 * its keys. A reaper thread (store.c) expires them on the monotonic clock,
 * each in a transaction of its own that watches see. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/thread.h"
#include "stores/builtin.h"

#define MAX_LEVEL 24
#define DEFAULT_HISTORY 10000
#define WATCH_POLL_MS 1000

struct mnode {
	uint64_t hash;
	uint64_t lease;		     /* 0: none */
	struct mnode *lprev, *lnext; /* the lease's keys */
	unsigned char *value;
	size_t value_len;
	uint64_t create_rev, mod_rev, version;
	size_t key_len;
	int level;
	struct mnode **next; /* level entries, inside this allocation */
	unsigned char *key;  /* inside this allocation */
};

struct mlease {
	uint64_t id;
	int64_t ttl_ms;
	int64_t deadline; /* monotonic ms */
	struct mnode *keys;
};

struct slot {
	uint64_t hash;
	struct mnode *node; /* NULL: empty */
};

struct hev {
	ssm_store_event_type type;
	uint64_t lease;
	unsigned char *key; /* key and value share one allocation */
	size_t key_len;
	unsigned char *value;
	size_t value_len;
	uint64_t create_rev, mod_rev, version;
};

struct memstore {
	ssm_store parent;
	pthread_rwlock_t lock;
	struct mnode *head[MAX_LEVEL];
	int level;
	/* open-addressing index of every node by key hash; load <= 1/2.
	 * Slots keep the hash so a probe rarely touches a node. */
	struct slot *index;
	size_t index_cap; /* a power of two */
	size_t count;
	uint64_t rev;
	uint64_t rng;
	/* ring of the last hist_cap changes */
	struct hev *hist;
	size_t hist_cap, hist_start, hist_len;
	uint64_t compacted; /* changes at or below this revision are gone */
	ssm_store_notifier notifier;
	/* leases, sorted by id */
	struct mlease *leases;
	size_t nleases, aleases;
	uint64_t last_lease;
	ssm_store_reaper reaper;
};

static int key_cmp(const void *a, size_t alen, const void *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int c = n ? memcmp(a, b, n) : 0;

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* First node with key >= k (strict: > k); fills update[] with the last node
 * before it at each level (NULL: the head). */
static struct mnode *find(struct memstore *m, const void *k, size_t klen,
			  bool strict, struct mnode **update)
{
	struct mnode *x = NULL, *nx;
	int i;

	for (i = m->level - 1; i >= 0; i--) {
		for (;;) {
			nx = x ? x->next[i] : m->head[i];
			if (!nx)
				break;
			{
				int c = key_cmp(nx->key, nx->key_len, k, klen);

				if (c > 0 || (c == 0 && !strict))
					break;
			}
			x = nx;
		}
		if (update)
			update[i] = x;
	}
	return x ? x->next[0] : m->head[0];
}

#define INDEX_MIN 1024

static uint64_t key_hash(const void *k, size_t klen)
{
	const unsigned char *p = k;
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < klen; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	/* finaliser: spread the low bits the mask keeps */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

static struct mnode *find_exact(struct memstore *m, const void *k, size_t klen)
{
	uint64_t h = key_hash(k, klen);
	size_t mask = m->index_cap - 1, i = (size_t)h & mask;
	struct mnode *n;

	while ((n = m->index[i].node)) {
		if (m->index[i].hash == h && n->key_len == klen &&
		    memcmp(n->key, k, klen) == 0)
			return n;
		i = (i + 1) & mask;
	}
	return NULL;
}

static void index_put(struct slot *index, size_t cap, struct mnode *n)
{
	size_t mask = cap - 1, i = (size_t)n->hash & mask;

	while (index[i].node)
		i = (i + 1) & mask;
	index[i].hash = n->hash;
	index[i].node = n;
}

/* Backward-shift deletion keeps probe sequences intact without tombstones. */
static void index_remove(struct memstore *m, struct mnode *n)
{
	size_t mask = m->index_cap - 1, i = (size_t)n->hash & mask, j, home;

	while (m->index[i].node != n)
		i = (i + 1) & mask;
	for (j = (i + 1) & mask; m->index[j].node; j = (j + 1) & mask) {
		home = (size_t)m->index[j].hash & mask;
		/* move j back to i unless its home lies in (i, j] */
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && (home <= i && home > j))) {
			m->index[i] = m->index[j];
			i = j;
		}
	}
	m->index[i].node = NULL;
	m->count--;
}

/* A bigger index able to hold @extra more keys, or NULL when the current one
 * is big enough (*failed set when allocation failed). */
static struct slot *index_grow_prepare(struct memstore *m, size_t extra,
				       size_t *cap_out, bool *failed)
{
	size_t cap = m->index_cap;

	*failed = false;
	while ((m->count + extra) * 2 > cap)
		cap *= 2;
	if (cap == m->index_cap)
		return NULL;
	*cap_out = cap;
	{
		struct slot *t = ssm__calloc(cap, sizeof(*t));

		*failed = !t;
		return t;
	}
}

static void index_grow_apply(struct memstore *m, struct slot *t, size_t cap)
{
	struct mnode *n;

	for (n = m->head[0]; n; n = n->next[0])
		index_put(t, cap, n);
	ssm__free(m->index);
	m->index = t;
	m->index_cap = cap;
}

static int random_level(struct memstore *m)
{
	int level = 1;

	/* xorshift64; p = 1/4 per level */
	m->rng ^= m->rng << 13;
	m->rng ^= m->rng >> 7;
	m->rng ^= m->rng << 17;
	while (level < MAX_LEVEL && ((m->rng >> (level * 2)) & 3) == 0)
		level++;
	return level;
}

/* ---- leases: lookup and key lists ---------------------------------------- */

static struct mlease *lease_find(struct memstore *m, uint64_t id)
{
	size_t lo = 0, hi = m->nleases;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->leases[mid].id == id)
			return &m->leases[mid];
		if (m->leases[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void lease_attach(struct memstore *m, struct mnode *n, uint64_t id)
{
	struct mlease *l = id ? lease_find(m, id) : NULL;

	n->lease = l ? id : 0;
	n->lprev = NULL;
	n->lnext = NULL;
	if (!l)
		return;
	n->lnext = l->keys;
	if (l->keys)
		l->keys->lprev = n;
	l->keys = n;
}

static void lease_detach(struct memstore *m, struct mnode *n)
{
	struct mlease *l;

	if (!n->lease)
		return;
	if (n->lprev) {
		n->lprev->lnext = n->lnext;
	} else {
		l = lease_find(m, n->lease);
		if (l)
			l->keys = n->lnext;
	}
	if (n->lnext)
		n->lnext->lprev = n->lprev;
	n->lease = 0;
	n->lprev = n->lnext = NULL;
}

/* ---- open / close ------------------------------------------------------ */

static ssm_err mem_query(const char *name, const char *value, void *payload)
{
	struct memstore *m = payload;
	char *end;
	unsigned long long n;

	if (strcmp(name, "history") != 0)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				      "unknown memory store option '%.64s'",
				      name);
	n = strtoull(value, &end, 10);
	if (*end || !*value || n < 1 || n > 100000000ull)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				      "memory store option history=%.64s is "
				      "not a number in 1..100000000",
				      value);
	m->hist_cap = (size_t)n;
	return SSM_OK;
}

static void mem_close(ssm_store *store);
static int64_t mem_expire(ssm_store *store);

static ssm_err mem_open(ssm_store **out, const ssm_store_ops *ops, ssm_ctx *ctx,
			const char *url, void *payload)
{
	struct memstore *m;
	const char *rest = strchr(url, ':') + 1;
	ssm_err error;

	(void)ctx;
	(void)payload;
	m = ssm__calloc(1, sizeof(*m));
	if (!m)
		return SSM_ERROR;
	m->parent.ops = ops;
	m->level = 1;
	m->rng = 0x9e3779b97f4a7c15ull ^ (uint64_t)(uintptr_t)m;
	m->hist_cap = DEFAULT_HISTORY;
	pthread_rwlock_init(&m->lock, NULL);
	ssm_store__notifier_init(&m->notifier);
	ssm_store__reaper_init(&m->reaper, &m->parent, mem_expire, 0);

	if (*rest && *rest != '?') {
		error = ssm_error__set(
			SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
			"memory store URL '%.200s' takes no "
			"path (use memory: or memory:?history=N)",
			url);
		goto fail;
	}
	if (*rest == '?') {
		error = ssm_store__parse_query(rest + 1, url, mem_query, m);
		if (error < 0)
			goto fail;
	}
	m->index_cap = INDEX_MIN;
	m->index = ssm__calloc(m->index_cap, sizeof(*m->index));
	m->hist = ssm__calloc(m->hist_cap, sizeof(*m->hist));
	if (!m->hist || !m->index) {
		error = SSM_ERROR;
		goto fail;
	}
	*out = &m->parent;
	return SSM_OK;
fail:
	mem_close(&m->parent);
	return error;
}

static void hist_drop_oldest(struct memstore *m)
{
	struct hev *e = &m->hist[m->hist_start];

	if (e->mod_rev > m->compacted)
		m->compacted = e->mod_rev;
	ssm__free(e->key);
	e->key = NULL;
	m->hist_start = (m->hist_start + 1) % m->hist_cap;
	m->hist_len--;
}

static void mem_close(ssm_store *store)
{
	struct memstore *m = (struct memstore *)store;
	struct mnode *n, *next;

	ssm_store__reaper_dispose(&m->reaper);
	for (n = m->head[0]; n; n = next) {
		next = n->next[0];
		ssm__free(n->value);
		ssm__free(n);
	}
	while (m->hist && m->hist_len)
		hist_drop_oldest(m);
	ssm__free(m->hist);
	ssm__free(m->index);
	ssm__free(m->leases);
	ssm_store__notifier_dispose(&m->notifier);
	pthread_rwlock_destroy(&m->lock);
	ssm__free(m);
}

/* ---- reads --------------------------------------------------------------- */

static void fill_meta(ssm_store_kv *kv, const struct mnode *n)
{
	kv->create_revision = n->create_rev;
	kv->mod_revision = n->mod_rev;
	kv->version = n->version;
	kv->lease = n->lease;
}

static ssm_err mem_get(ssm_store_kv *out, ssm_store *store, const void *key,
		       size_t key_len)
{
	struct memstore *m = (struct memstore *)store;
	struct mnode *n;
	ssm_err error = SSM_OK;
	char repr[220];

	pthread_rwlock_rdlock(&m->lock);
	n = find_exact(m, key, key_len);
	if (!n) {
		ssm_store__key_repr(repr, sizeof(repr), key, key_len);
		error = ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_STORE, NULL,
				       "key '%s' not found", repr);
	} else if ((error = ssm_buf_set(&out->value, n->value, n->value_len)) ==
		   SSM_OK) {
		fill_meta(out, n);
	}
	pthread_rwlock_unlock(&m->lock);
	return error;
}

static ssm_err mem_range(ssm_store_kvs *out, ssm_store *store,
			 const void *prefix, size_t prefix_len,
			 const void *start_after, size_t start_after_len,
			 size_t limit, unsigned int flags)
{
	struct memstore *m = (struct memstore *)store;
	struct mnode *n;
	ssm_store_kv meta = SSM_STORE_KV_INIT;
	ssm_err error = SSM_OK;

	pthread_rwlock_rdlock(&m->lock);
	if (start_after &&
	    key_cmp(start_after, start_after_len, prefix, prefix_len) >= 0)
		n = find(m, start_after, start_after_len, true, NULL);
	else
		n = find(m, prefix, prefix_len, false, NULL);
	for (; n; n = n->next[0]) {
		if (!ssm_store__has_prefix(n->key, n->key_len, prefix,
					   prefix_len))
			break;
		if (limit && out->count == limit) {
			out->more = true;
			break;
		}
		fill_meta(&meta, n);
		error = ssm_store_kvs_add(
			out, n->key, n->key_len,
			(flags & SSM_STORE_RANGE_KEYS_ONLY) ? NULL : n->value,
			n->value_len, &meta);
		if (error < 0)
			break;
	}
	out->revision = m->rev;
	pthread_rwlock_unlock(&m->lock);
	return error;
}

static ssm_err mem_revision(uint64_t *out, ssm_store *store)
{
	struct memstore *m = (struct memstore *)store;

	pthread_rwlock_rdlock(&m->lock);
	*out = m->rev;
	pthread_rwlock_unlock(&m->lock);
	return SSM_OK;
}

/* ---- transactions ------------------------------------------------------ */

/* What one op will do, prepared before anything changes. */
struct prepared {
	struct mnode *existing; /* PUT over a key, DELETE */
	struct mnode *fresh;	/* PUT of a new key */
	unsigned char *value;	/* PUT: the new value */
	size_t first_hev;	/* index of this op's first history event */
	size_t nhev;
};

static struct mnode *node_new(struct memstore *m, const void *key,
			      size_t key_len)
{
	int level = random_level(m);
	size_t size = sizeof(struct mnode), part;
	struct mnode *n;

	if (ssm__mul_overflow(&part, (size_t)level, sizeof(struct mnode *)) ||
	    ssm__add_overflow(&size, size, part) ||
	    ssm__add_overflow(&size, size, key_len))
		return NULL;
	n = ssm__malloc(size);
	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->level = level;
	n->next = (struct mnode **)(n + 1);
	memset(n->next, 0, part);
	n->key = (unsigned char *)(n->next + level);
	memcpy(n->key, key, key_len);
	n->key_len = key_len;
	n->hash = key_hash(key, key_len);
	return n;
}

static void node_link(struct memstore *m, struct mnode *n)
{
	struct mnode *update[MAX_LEVEL];
	int i;

	find(m, n->key, n->key_len, false, update);
	for (i = m->level; i < n->level; i++)
		update[i] = NULL;
	if (n->level > m->level)
		m->level = n->level;
	for (i = 0; i < n->level; i++) {
		struct mnode **slot =
			update[i] ? &update[i]->next[i] : &m->head[i];
		n->next[i] = *slot;
		*slot = n;
	}
	index_put(m->index, m->index_cap, n);
	m->count++;
}

static void node_unlink(struct memstore *m, struct mnode *n)
{
	struct mnode *update[MAX_LEVEL];
	int i;

	find(m, n->key, n->key_len, false, update);
	for (i = 0; i < n->level; i++) {
		struct mnode **slot =
			update[i] ? &update[i]->next[i] : &m->head[i];
		if (*slot == n)
			*slot = n->next[i];
	}
	while (m->level > 1 && !m->head[m->level - 1])
		m->level--;
	index_remove(m, n);
	lease_detach(m, n);
}

static ssm_err hev_alloc(struct hev *e, ssm_store_event_type type,
			 const void *key, size_t key_len, const void *value,
			 size_t value_len)
{
	size_t size;

	if (ssm__add_overflow(&size, key_len, value_len))
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_STORE, NULL,
				      "event too large");
	e->key = ssm__malloc(size);
	if (!e->key)
		return SSM_ERROR;
	memcpy(e->key, key, key_len);
	e->key_len = key_len;
	e->value = e->key + key_len;
	e->value_len = value_len;
	if (value_len)
		memcpy(e->value, value, value_len);
	e->type = type;
	return SSM_OK;
}

static void hev_push(struct memstore *m, struct hev *e)
{
	if (m->hist_len == m->hist_cap)
		hist_drop_oldest(m);
	m->hist[(m->hist_start + m->hist_len) % m->hist_cap] = *e;
	m->hist_len++;
}

static ssm_err mem_txn(uint64_t *revision_out, ssm_store *store,
		       const ssm_store_compare *cmps, size_t ncmps,
		       const ssm_store_op *ops, size_t nops)
{
	struct memstore *m = (struct memstore *)store;
	struct prepared prep[SSM_STORE_TXN_MAX];
	struct hev *hevs = NULL;
	struct slot *newindex = NULL;
	size_t newcap = 0, fresh = 0;
	bool failed;
	size_t nhev = 0, i, k;
	uint64_t rev;
	ssm_err error = SSM_OK;
	struct mnode *n;

	memset(prep, 0, sizeof(prep));
	pthread_rwlock_wrlock(&m->lock);
	rev = m->rev + 1;

	for (i = 0; i < ncmps; i++) {
		n = find_exact(m, cmps[i].key, cmps[i].key_len);
		if (!ssm_store__cmp_holds(&cmps[i], n ? n->mod_rev : 0)) {
			error = ssm_store__cmp_failed(&cmps[i],
						      n ? n->mod_rev : 0);
			goto done;
		}
	}
	for (i = 0; i < nops; i++) {
		if (ops[i].lease && !lease_find(m, ops[i].lease)) {
			error = ssm_store__lease_not_found(ops[i].lease);
			goto done;
		}
	}

	/* count the history events this transaction makes */
	for (i = 0; i < nops; i++) {
		const ssm_store_op *op = &ops[i];

		prep[i].first_hev = nhev;
		if (op->type == SSM_STORE_OP_PUT) {
			prep[i].nhev = 1;
		} else if (op->type == SSM_STORE_OP_DELETE) {
			prep[i].existing = find_exact(m, op->key, op->key_len);
			prep[i].nhev = prep[i].existing ? 1 : 0;
		} else {
			for (n = find(m, op->key, op->key_len, false, NULL);
			     n && ssm_store__has_prefix(n->key, n->key_len,
							op->key, op->key_len);
			     n = n->next[0])
				prep[i].nhev++;
		}
		nhev += prep[i].nhev;
	}
	if (nhev) {
		hevs = ssm__calloc(nhev, sizeof(*hevs));
		if (!hevs) {
			nhev = 0;
			error = SSM_ERROR;
			goto done;
		}
	}

	/* allocate: nothing changes yet */
	for (i = 0; i < nops; i++) {
		const ssm_store_op *op = &ops[i];
		/* hevs is NULL when nothing makes an event */
		struct hev *e = hevs ? &hevs[prep[i].first_hev] : NULL;

		if (op->type == SSM_STORE_OP_PUT) {
			prep[i].existing = find_exact(m, op->key, op->key_len);
			prep[i].value = ssm__memdup(op->value ? op->value : "",
						    op->value_len);
			if (!prep[i].value) {
				error = SSM_ERROR;
				goto done;
			}
			if (!prep[i].existing) {
				prep[i].fresh =
					node_new(m, op->key, op->key_len);
				if (!prep[i].fresh) {
					error = SSM_ERROR;
					goto done;
				}
			}
			error = hev_alloc(e, SSM_STORE_EVENT_PUT, op->key,
					  op->key_len, op->value,
					  op->value_len);
			if (error < 0)
				goto done;
			e->mod_rev = rev;
			e->create_rev = prep[i].existing
						? prep[i].existing->create_rev
						: rev;
			e->version = prep[i].existing
					     ? prep[i].existing->version + 1
					     : 1;
			e->lease = op->lease;
		} else if (op->type == SSM_STORE_OP_DELETE) {
			if (!prep[i].existing)
				continue;
			error = hev_alloc(e, SSM_STORE_EVENT_DELETE, op->key,
					  op->key_len, NULL, 0);
			if (error < 0)
				goto done;
			e->mod_rev = rev;
		} else {
			k = 0;
			for (n = find(m, op->key, op->key_len, false, NULL);
			     k < prep[i].nhev; n = n->next[0], k++) {
				error = hev_alloc(&e[k], SSM_STORE_EVENT_DELETE,
						  n->key, n->key_len, NULL, 0);
				if (error < 0)
					goto done;
				e[k].mod_rev = rev;
			}
		}
	}

	for (i = 0; i < nops; i++)
		if (prep[i].fresh)
			fresh++;
	newindex = index_grow_prepare(m, fresh, &newcap, &failed);
	if (failed) {
		error = SSM_ERROR;
		goto done;
	}

	/* apply: no allocation from here on */
	if (newindex) {
		index_grow_apply(m, newindex, newcap);
		newindex = NULL;
	}
	for (i = 0; i < nops; i++) {
		const ssm_store_op *op = &ops[i];

		if (op->type == SSM_STORE_OP_PUT) {
			n = prep[i].existing;
			if (n) {
				ssm__free(n->value);
				n->version++;
				if (n->lease != op->lease) {
					lease_detach(m, n);
					lease_attach(m, n, op->lease);
				}
			} else {
				n = prep[i].fresh;
				prep[i].fresh = NULL;
				n->create_rev = rev;
				n->version = 1;
				node_link(m, n);
				lease_attach(m, n, op->lease);
			}
			n->value = prep[i].value;
			prep[i].value = NULL;
			n->value_len = op->value_len;
			n->mod_rev = rev;
		} else if (op->type == SSM_STORE_OP_DELETE) {
			n = prep[i].existing;
			if (n) {
				node_unlink(m, n);
				ssm__free(n->value);
				ssm__free(n);
			}
		} else {
			for (k = 0; k < prep[i].nhev; k++) {
				n = find(m, op->key, op->key_len, false, NULL);
				node_unlink(m, n);
				ssm__free(n->value);
				ssm__free(n);
			}
		}
	}
	for (i = 0; i < nhev; i++)
		hev_push(m, &hevs[i]);
	if (nhev)
		m->rev = rev;
	nhev = 0;
done:
	if (revision_out)
		*revision_out = m->rev;
	pthread_rwlock_unlock(&m->lock);
	for (i = 0; i < nops; i++) {
		ssm__free(prep[i].value);
		ssm__free(prep[i].fresh);
	}
	for (i = 0; i < nhev; i++)
		ssm__free(hevs[i].key);
	ssm__free(hevs);
	ssm__free(newindex);
	if (error == SSM_OK)
		ssm_store__notify(&m->notifier);
	return error;
}

/* ---- watches ---------------------------------------------------------------
 */

static ssm_err mem_changes(ssm_store_events *out, ssm_store *store,
			   const void *prefix, size_t prefix_len,
			   uint64_t after, size_t limit)
{
	struct memstore *m = (struct memstore *)store;
	size_t lo = 0, hi, i;
	ssm_err error = SSM_OK;
	uint64_t last = 0;

	pthread_rwlock_rdlock(&m->lock);
	if (after < m->compacted) {
		error = ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_STORE, NULL,
				       "revision %llu has been compacted "
				       "(the memory store keeps changes after "
				       "revision %llu)",
				       (unsigned long long)after + 1,
				       (unsigned long long)m->compacted);
		goto done;
	}
	/* binary search the first change after @after */
	hi = m->hist_len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->hist[(m->hist_start + mid) % m->hist_cap].mod_rev <=
		    after)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < m->hist_len; i++) {
		const struct hev *e =
			&m->hist[(m->hist_start + i) % m->hist_cap];
		ssm_store_kv meta = SSM_STORE_KV_INIT;

		/* never split one revision across two batches */
		if (out->count >= limit && e->mod_rev != last)
			break;
		if (!ssm_store__has_prefix(e->key, e->key_len, prefix,
					   prefix_len))
			continue;
		meta.create_revision = e->create_rev;
		meta.mod_revision = e->mod_rev;
		meta.version = e->version;
		meta.lease = e->lease;
		error = ssm_store__events_add(out, e->type, e->key, e->key_len,
					      e->value, e->value_len, &meta);
		if (error < 0)
			break;
		last = e->mod_rev;
	}
done:
	pthread_rwlock_unlock(&m->lock);
	return error;
}

static ssm_err mem_watch(ssm_store_watch **out, ssm_store *store,
			 const void *prefix, size_t prefix_len,
			 uint64_t start_revision, ssm_store_watch_cb cb,
			 void *payload)
{
	struct memstore *m = (struct memstore *)store;

	return ssm_store__poll_watch_new(out, store, &m->notifier, mem_changes,
					 WATCH_POLL_MS, prefix, prefix_len,
					 start_revision, cb, payload);
}

/* ---- leases ----------------------------------------------------------------
 */

static int hev_key_cmp(const void *a, const void *b)
{
	const struct hev *x = a, *y = b;

	return key_cmp(x->key, x->key_len, y->key, y->key_len);
}

/* Delete the keys of lease @id and forget it, all at one new revision
 * (none when it has no keys). With @due_only, only when its deadline has
 * passed: a keep-alive may have come in first. */
static ssm_err lease_drop(uint64_t *revision_out, struct memstore *m,
			  uint64_t id, bool due_only)
{
	struct hev *hevs = NULL;
	struct mlease *l;
	struct mnode *k, *next;
	size_t n = 0, i = 0, at;
	uint64_t rev;
	ssm_err error = SSM_OK;

	pthread_rwlock_wrlock(&m->lock);
	rev = m->rev + 1;
	l = lease_find(m, id);
	if (!l) {
		error = ssm_store__lease_not_found(id);
		goto done;
	}
	if (due_only && l->deadline > ssm__mono_ms())
		goto done;
	for (k = l->keys; k; k = k->lnext)
		n++;
	if (n) {
		hevs = ssm__calloc(n, sizeof(*hevs));
		if (!hevs) {
			error = SSM_ERROR;
			n = 0;
			goto done;
		}
		for (k = l->keys; k; k = k->lnext, i++) {
			error = hev_alloc(&hevs[i], SSM_STORE_EVENT_DELETE,
					  k->key, k->key_len, NULL, 0);
			if (error < 0) {
				n = i;
				goto done;
			}
			hevs[i].mod_rev = rev;
		}
		qsort(hevs, n, sizeof(*hevs), hev_key_cmp);
	}
	/* apply: no allocation from here on */
	for (k = l->keys; k; k = next) {
		next = k->lnext;
		node_unlink(m, k);
		ssm__free(k->value);
		ssm__free(k);
	}
	at = (size_t)(l - m->leases);
	memmove(&m->leases[at], &m->leases[at + 1],
		(m->nleases - at - 1) * sizeof(*m->leases));
	m->nleases--;
	for (i = 0; i < n; i++)
		hev_push(m, &hevs[i]);
	if (n)
		m->rev = rev;
	i = n;
	n = 0;
done:
	if (revision_out)
		*revision_out = m->rev;
	pthread_rwlock_unlock(&m->lock);
	while (n > 0)
		ssm__free(hevs[--n].key);
	ssm__free(hevs);
	if (i && error == SSM_OK)
		ssm_store__notify(&m->notifier);
	return error;
}

static ssm_err mem_lease_grant(uint64_t *lease_out, int64_t *ttl_ms_out,
			       ssm_store *store, int64_t ttl_ms)
{
	struct memstore *m = (struct memstore *)store;
	struct mlease *l;
	int64_t deadline;
	ssm_err error = SSM_OK;

	SSM_TRY(ssm_store__reaper_start(&m->reaper));
	pthread_rwlock_wrlock(&m->lock);
	if (m->nleases == m->aleases) {
		size_t n = m->aleases ? m->aleases * 2 : 16, bytes;

		if (ssm__mul_overflow(&bytes, n, sizeof(*l)) ||
		    !(l = ssm__realloc(m->leases, bytes))) {
			error = SSM_ERROR;
			goto done;
		}
		m->leases = l;
		m->aleases = n;
	}
	deadline = ssm__mono_ms() + ttl_ms;
	l = &m->leases[m->nleases++];
	l->id = ++m->last_lease;
	l->ttl_ms = ttl_ms;
	l->deadline = deadline;
	l->keys = NULL;
	*lease_out = l->id;
	*ttl_ms_out = ttl_ms;
done:
	pthread_rwlock_unlock(&m->lock);
	if (error == SSM_OK)
		ssm_store__reaper_due(&m->reaper, deadline);
	return error;
}

static ssm_err mem_lease_keep_alive(int64_t *ttl_ms_out, ssm_store *store,
				    uint64_t lease)
{
	struct memstore *m = (struct memstore *)store;
	struct mlease *l;
	int64_t now = ssm__mono_ms();
	ssm_err error = SSM_OK;

	pthread_rwlock_wrlock(&m->lock);
	l = lease_find(m, lease);
	if (!l || l->deadline <= now) {
		error = ssm_store__lease_not_found(lease);
	} else {
		l->deadline = now + l->ttl_ms;
		*ttl_ms_out = l->ttl_ms;
	}
	pthread_rwlock_unlock(&m->lock);
	return error;
}

static ssm_err mem_lease_revoke(uint64_t *revision_out, ssm_store *store,
				uint64_t lease)
{
	return lease_drop(revision_out, (struct memstore *)store, lease, false);
}

#define EXPIRE_BATCH 64

static int64_t mem_expire(ssm_store *store)
{
	struct memstore *m = (struct memstore *)store;
	uint64_t due[EXPIRE_BATCH];
	size_t n = 0, i;
	int64_t now = ssm__mono_ms(), next = INT64_MAX;
	bool failed = false;

	pthread_rwlock_rdlock(&m->lock);
	for (i = 0; i < m->nleases && n < EXPIRE_BATCH; i++)
		if (m->leases[i].deadline <= now)
			due[n++] = m->leases[i].id;
	pthread_rwlock_unlock(&m->lock);
	for (i = 0; i < n; i++)
		if (lease_drop(NULL, m, due[i], true) == SSM_ERROR)
			failed = true; /* out of memory: try again soon */
	pthread_rwlock_rdlock(&m->lock);
	for (i = 0; i < m->nleases; i++)
		if (m->leases[i].deadline < next)
			next = m->leases[i].deadline;
	pthread_rwlock_unlock(&m->lock);
	if (failed && next > now + 100)
		next = now + 100;
	return next;
}

const ssm_store_ops ssm_store__memory_ops = {
	.version = SSM_STORE_OPS_VERSION,
	.name = "memory",
	.flags = 0,
	.open = mem_open,
	.close = mem_close,
	.get = mem_get,
	.range = mem_range,
	.txn = mem_txn,
	.revision = mem_revision,
	.watch = mem_watch,
	.watch_free = ssm_store__poll_watch_free,
	.lease_grant = mem_lease_grant,
	.lease_keep_alive = mem_lease_keep_alive,
	.lease_revoke = mem_lease_revoke,
};
