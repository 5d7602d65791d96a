/* SPDX-License-Identifier: Apache-2.0 */
/* Master key management (ssm/key.h): the libssm operations LibssmCreateKey,
 * LibssmListKeys, LibssmRotateKey and LibssmCreateAlias, the re-wrapping a
 * rotation does, and the public functions. */
#include <stdio.h>
#include <string.h>

#include "ssm/key.h"
#include "api/client.h"
#include "core/alloc.h"
#include "core/ctx.h"
#include "core/error.h"
#include "keys/keys.h"
#include "param/param.h"

#define KEY_PATTERN "^([a-zA-Z0-9:/_-]+)$"
#define ALIAS_PATTERN "^alias/[a-zA-Z0-9/_-]+$"
#define REWRAP_BATCH 64
#define REWRAP_ATTEMPTS 100

typedef struct key_create_in {
	char *description;
	char *alias_name;
} key_create_in;

typedef struct key_create_out {
	char *key_id;
	char *arn;
} key_create_out;

typedef struct key_entry {
	char *key_id;
	char *arn;
	char *description;
	int64_t created_ms;
	int64_t generation;
	int64_t rotated_ms;
	ssm_api_list aliases; /* char * */
} key_entry;

typedef struct key_list_out {
	ssm_api_list keys; /* key_entry */
} key_list_out;

typedef struct key_rotate_in {
	char *key_id;
} key_rotate_in;

typedef struct key_rotate_out {
	char *key_id;
	int64_t generation;
	int64_t rewrapped_count;
} key_rotate_out;

typedef struct key_alias_in {
	char *alias_name;
	char *target_key_id;
} key_alias_in;

/* ---- shapes -------------------------------------------------------------- */

static const ssm_api_field create_in_fields[] = {
	SSM_F_STRING("Description", key_create_in, description, 0, 0, 8192),
	SSM_F_PATTERN("AliasName", key_create_in, alias_name, 0, 1, 256,
		      ALIAS_PATTERN),
};
static const ssm_api_shape create_in_shape = SSM_API_SHAPE(
	"LibssmCreateKeyRequest", key_create_in, create_in_fields);

static const ssm_api_field create_out_fields[] = {
	SSM_F_STRING("KeyId", key_create_out, key_id, 0, 0, 0),
	SSM_F_STRING("Arn", key_create_out, arn, 0, 0, 0),
};
static const ssm_api_shape create_out_shape = SSM_API_SHAPE(
	"LibssmCreateKeyResult", key_create_out, create_out_fields);

static const ssm_api_field entry_fields[] = {
	SSM_F_STRING("KeyId", key_entry, key_id, 0, 0, 0),
	SSM_F_STRING("Arn", key_entry, arn, 0, 0, 0),
	SSM_F_STRING("Description", key_entry, description, SSM_API_F_ZERO, 0,
		     0),
	SSM_F_TIME("CreationDate", key_entry, created_ms, 0),
	SSM_F_INT("Generation", key_entry, generation, 0, 0, 0),
	SSM_F_TIME("LastRotatedDate", key_entry, rotated_ms, 0),
	SSM_F_STRINGS("Aliases", key_entry, aliases, SSM_API_F_ZERO, 0, 0, 0,
		      0),
};
static const ssm_api_shape entry_shape =
	SSM_API_SHAPE("LibssmKeyListEntry", key_entry, entry_fields);

static const ssm_api_field list_out_fields[] = {
	SSM_F_LIST_OF("Keys", key_list_out, keys, SSM_API_F_ZERO, 0, 0,
		      &entry_shape),
};
static const ssm_api_shape list_out_shape =
	SSM_API_SHAPE("LibssmListKeysResult", key_list_out, list_out_fields);

static const ssm_api_shape list_in_shape = { "LibssmListKeysRequest",
					     sizeof(ssm_api_empty), NULL, 0 };

static const ssm_api_field rotate_in_fields[] = {
	SSM_F_PATTERN("KeyId", key_rotate_in, key_id, SSM_API_F_REQUIRED, 1,
		      256, KEY_PATTERN),
};
static const ssm_api_shape rotate_in_shape = SSM_API_SHAPE(
	"LibssmRotateKeyRequest", key_rotate_in, rotate_in_fields);

static const ssm_api_field rotate_out_fields[] = {
	SSM_F_STRING("KeyId", key_rotate_out, key_id, 0, 0, 0),
	SSM_F_INT("Generation", key_rotate_out, generation, 0, 0, 0),
	SSM_F_INT("RewrappedCount", key_rotate_out, rewrapped_count,
		  SSM_API_F_ZERO, 0, 0),
};
static const ssm_api_shape rotate_out_shape = SSM_API_SHAPE(
	"LibssmRotateKeyResult", key_rotate_out, rotate_out_fields);

static const ssm_api_field alias_in_fields[] = {
	SSM_F_PATTERN("AliasName", key_alias_in, alias_name, SSM_API_F_REQUIRED,
		      1, 256, ALIAS_PATTERN),
	SSM_F_PATTERN("TargetKeyId", key_alias_in, target_key_id,
		      SSM_API_F_REQUIRED, 1, 256, KEY_PATTERN),
};
static const ssm_api_shape alias_in_shape = SSM_API_SHAPE(
	"LibssmCreateAliasRequest", key_alias_in, alias_in_fields);

/* ---- helpers ------------------------------------------------------------- */

static ssm_err provider(ssm_keyprovider **kp, ssm_service_call *sc)
{
	return param_keys_provider(kp, param_engine_of(sc->svc));
}

/* Resolve a key for management: NotFoundException when unknown. */
static ssm_err key_resolve(ssm_buf *id, ssm_keyprovider *kp, const char *name)
{
	ssm_err error = ssm_keyprovider__resolve(id, kp, name);

	if (error == SSM_ENOTFOUND)
		return ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_KEYPROVIDER,
				      "NotFoundException",
				      "Key '%.256s' does not exist", name);
	return error;
}

/* Keep a provider error's message but give it a wire name that maps back
 * to the same code on every transport (lib/api/errors.c). */
static ssm_err named(ssm_err error, const char *svc_code)
{
	if (error == SSM_EUNSUPPORTED)
		svc_code = "UnsupportedOperation";
	else if (error == SSM_ENOTFOUND)
		svc_code = "NotFoundException";
	else if (error != SSM_EINVALID)
		return error;
	char copy[SSM_ERROR_MESSAGE_MAX]; /* the message is overwritten */

	if (error < 0 && !ssm_error_last()->service_code) {
		snprintf(copy, sizeof(copy), "%s", ssm_error_last()->message);
		return ssm_error__set(error, SSM_ERRCLASS_KEYPROVIDER, svc_code,
				      "%s", copy);
	}
	return error;
}

static char *key_arn(ssm_service_call *sc, const char *id)
{
	ssm_str s = SSM_STR_INIT;
	char *arn = NULL;

	if (ssm_str_printf(&s, "arn:aws:kms:%s:%s:key/%s", sc->svc->region,
			   sc->svc->account_id, id) == SSM_OK)
		arn = ssm_call__strdup(sc->call, s.ptr);
	ssm_str_dispose(&s);
	return arn;
}

/* ---- handlers ------------------------------------------------------------ */

static ssm_err op_create(ssm_service_call *sc, const void *request,
			 void *response)
{
	const key_create_in *in = request;
	key_create_out *out = response;
	ssm_buf id = SSM_BUF_INIT;
	ssm_keyprovider *kp;
	ssm_err error;

	SSM_TRY(provider(&kp, sc));
	error = named(ssm_keyprovider__create_key(&id, kp, in->description),
		      "ValidationException");
	if (error == SSM_OK && in->alias_name)
		error = named(ssm_keyprovider__create_alias(kp, in->alias_name,
							    id.ptr),
			      "ValidationException");
	if (error == SSM_OK &&
	    (!(out->key_id = ssm_call__strdup(sc->call, id.ptr)) ||
	     !(out->arn = key_arn(sc, id.ptr))))
		error = SSM_ERROR;
	ssm_buf_dispose(&id);
	return error;
}

struct list_ctx {
	ssm_service_call *sc;
	key_entry *items;
	size_t n, cap;
	ssm_err error;
};

static int list_one(const ssm_key_info *key, void *payload)
{
	struct list_ctx *lc = payload;
	ssm_call *call = lc->sc->call;
	key_entry *e;
	char **aliases = NULL;
	size_t i;

	if (lc->n == lc->cap) {
		size_t cap = lc->cap ? lc->cap * 2 : 8;
		key_entry *grown = ssm_call__alloc(call, cap * sizeof(*grown));

		if (!grown)
			goto oom;
		if (lc->n)
			memcpy(grown, lc->items, lc->n * sizeof(*grown));
		lc->items = grown;
		lc->cap = cap;
	}
	e = &lc->items[lc->n];
	memset(e, 0, sizeof(*e));
	if (key->aliases_count &&
	    !(aliases = ssm_call__alloc(call,
					key->aliases_count * sizeof(char *))))
		goto oom;
	for (i = 0; i < key->aliases_count; i++)
		if (!(aliases[i] = ssm_call__strdup(call, key->aliases[i])))
			goto oom;
	e->aliases.items = aliases;
	e->aliases.count = key->aliases_count;
	e->key_id = ssm_call__strdup(call, key->key_id);
	e->arn = ssm_call__strdup(call, key->arn);
	e->description = ssm_call__strdup(call, key->description);
	if (!e->key_id || !e->arn || !e->description)
		goto oom;
	e->created_ms = key->created_ms;
	e->generation = key->generation;
	e->rotated_ms = key->rotated_ms;
	lc->n++;
	return 0;
oom:
	lc->error = SSM_ERROR;
	return 1;
}

static ssm_err op_list(ssm_service_call *sc, const void *request,
		       void *response)
{
	key_list_out *out = response;
	struct list_ctx lc = { sc, NULL, 0, 0, SSM_OK };
	ssm_keyprovider *kp;
	ssm_err error;

	(void)request;
	SSM_TRY(provider(&kp, sc));
	error = named(ssm_keyprovider__list(kp, list_one, &lc),
		      "ValidationException");
	if (lc.error < 0)
		return SSM_ERROR;
	if (error < 0)
		return error;
	out->keys.items = lc.items;
	out->keys.count = lc.n;
	return SSM_OK;
}

/* Re-wrap one stored record if its blob uses @key_id. */
static ssm_err rewrap_one(bool *done, uint64_t *count, ssm_service *svc,
			  ssm_keyprovider *kp, const char *key_id,
			  const ssm_buf *key, const ssm_store_kv *kv,
			  const char *norm, bool head)
{
	param_engine *pe = param_engine_of(svc);
	ssm_arena arena = SSM_ARENA_INIT;
	ssm_str blob = SSM_STR_INIT, rec_buf = SSM_STR_INIT;
	ssm_store_compare cmp;
	ssm_store_op op;
	param_rec rec;
	bool matched = false;
	char *arn;
	ssm_err error;

	*done = true;
	error = param_rec_decode(&rec, &arena, kv->value.ptr, kv->value.size);
	if (error < 0 || rec.type != PT_SECURE)
		goto out;
	if (!(arn = param_arn(pe, norm, &arena))) {
		error = SSM_ERROR;
		goto out;
	}
	error = param_blob_rewrap(&blob, kp, arn, rec.value, rec.value_len,
				  key_id, &matched);
	if (error < 0 || !matched)
		goto out;
	rec.value = blob.ptr;
	rec.value_len = blob.size;
	if ((error = param_rec_encode(&rec_buf, &rec, head)) < 0)
		goto out;
	memset(&cmp, 0, sizeof(cmp));
	memset(&op, 0, sizeof(op));
	cmp.key = op.key = key->ptr;
	cmp.key_len = op.key_len = key->size;
	cmp.op = SSM_STORE_CMP_EQUAL;
	cmp.mod_revision = kv->mod_revision;
	op.type = SSM_STORE_OP_PUT;
	op.value = rec_buf.ptr;
	op.value_len = rec_buf.size;
	error = ssm_store_txn(NULL, svc->store, &cmp, 1, &op, 1);
	if (error == SSM_ECONFLICT) {
		*done = false; /* changed meanwhile: read it again */
		error = SSM_OK;
	} else if (error == SSM_OK) {
		(*count)++;
	}
out:
	ssm_str_dispose(&blob);
	ssm_str_dispose(&rec_buf);
	ssm_arena_dispose(&arena);
	return error;
}

/* Re-wrap every record under "param/<which>/". */
static ssm_err rewrap_all(uint64_t *count, ssm_service *svc,
			  ssm_keyprovider *kp, const char *key_id, char which)
{
	ssm_store_range_options ro = SSM_STORE_RANGE_OPTIONS_INIT;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	ssm_str prefix = SSM_STR_INIT, after = SSM_STR_INIT;
	size_t i;
	ssm_err error;

	error = ssm_str_put(&prefix, svc->prefix, svc->prefix_len);
	if (error == SSM_OK)
		error = ssm_str_printf(&prefix, "param/%c/", which);
	ro.limit = REWRAP_BATCH;
	while (error == SSM_OK) {
		ssm_store_kvs_dispose(&kvs);
		ro.start_after = after.size ? after.ptr : NULL;
		ro.start_after_len = after.size;
		error = ssm_store_range(&kvs, svc->store, prefix.ptr,
					prefix.size, &ro);
		if (error < 0 || !kvs.count)
			break;
		for (i = 0; i < kvs.count && error == SSM_OK; i++) {
			ssm_store_kv *kv = &kvs.items[i];
			ssm_store_kv cur = SSM_STORE_KV_INIT;
			const ssm_store_kv *now = kv;
			char *norm, *colon;
			unsigned attempt;
			bool done = false;

			norm = ssm__strndup(kv->key.ptr + prefix.size,
					    kv->key.size - prefix.size);
			if (!norm) {
				error = SSM_ERROR;
				break;
			}
			if (which == 'v' && (colon = strrchr(norm, ':')))
				*colon = '\0';
			for (attempt = 0;
			     error == SSM_OK && attempt < REWRAP_ATTEMPTS;
			     attempt++) {
				error = rewrap_one(&done, count, svc, kp,
						   key_id, &kv->key, now, norm,
						   which == 'n');
				if (error < 0 || done)
					break;
				error = ssm_store_get(&cur, svc->store,
						      kv->key.ptr,
						      kv->key.size);
				now = &cur;
				if (error == SSM_ENOTFOUND) {
					error = SSM_OK; /* deleted */
					break;
				}
			}
			ssm_store_kv_dispose(&cur);
			ssm__free(norm);
		}
		if (error == SSM_OK) {
			ssm_store_kv *last = &kvs.items[kvs.count - 1];

			ssm_str_clear(&after);
			error = ssm_str_put(&after, last->key.ptr,
					    last->key.size);
		}
		if (!kvs.more)
			break;
	}
	ssm_store_kvs_dispose(&kvs);
	ssm_str_dispose(&prefix);
	ssm_str_dispose(&after);
	return error;
}

struct gen_find {
	const char *id;
	uint32_t generation;
};

static int find_generation(const ssm_key_info *key, void *payload)
{
	struct gen_find *g = payload;

	if (strcmp(key->key_id, g->id) == 0)
		g->generation = key->generation;
	return 0;
}

static ssm_err op_rotate(ssm_service_call *sc, const void *request,
			 void *response)
{
	const key_rotate_in *in = request;
	key_rotate_out *out = response;
	ssm_buf id = SSM_BUF_INIT;
	ssm_keyprovider *kp;
	struct gen_find g;
	uint64_t count = 0;
	ssm_err error;

	SSM_TRY(provider(&kp, sc));
	error = key_resolve(&id, kp, in->key_id);
	if (error == SSM_OK)
		error = named(ssm_keyprovider__rotate(kp, id.ptr),
			      "ValidationException");
	if (error == SSM_OK)
		error = rewrap_all(&count, sc->svc, kp, id.ptr, 'n');
	if (error == SSM_OK)
		error = rewrap_all(&count, sc->svc, kp, id.ptr, 'v');
	g.id = id.ptr;
	g.generation = 0;
	if (error == SSM_OK && kp->ops->list_keys)
		error = ssm_keyprovider__list(kp, find_generation, &g);
	if (error == SSM_OK) {
		out->key_id = ssm_call__strdup(sc->call, id.ptr);
		out->generation = g.generation;
		out->rewrapped_count = (int64_t)count;
		if (!out->key_id)
			error = SSM_ERROR;
	}
	if (error == SSM_OK)
		SSM_LOG(sc->svc->ctx, SSM_LOG_INFO, "audit",
			"key %s rotated to generation %u; %llu records "
			"re-wrapped",
			id.ptr, (unsigned)g.generation,
			(unsigned long long)count);
	ssm_buf_dispose(&id);
	return error;
}

static ssm_err op_alias(ssm_service_call *sc, const void *request,
			void *response)
{
	const key_alias_in *in = request;
	ssm_buf id = SSM_BUF_INIT;
	ssm_keyprovider *kp;
	ssm_err error;

	(void)response;
	SSM_TRY(provider(&kp, sc));
	error = key_resolve(&id, kp, in->target_key_id);
	if (error == SSM_OK)
		error = named(ssm_keyprovider__create_alias(kp, in->alias_name,
							    id.ptr),
			      "ValidationException");
	ssm_buf_dispose(&id);
	return error;
}

const ssm_operation ssm_param__op_key_create = {
	"LibssmCreateKey", &create_in_shape, &create_out_shape, op_create, 0,
};

const ssm_operation ssm_param__op_key_list = {
	"LibssmListKeys", &list_in_shape,    &list_out_shape,
	op_list,	  SSM_OP_IDEMPOTENT,
};

const ssm_operation ssm_param__op_key_rotate = {
	"LibssmRotateKey", &rotate_in_shape, &rotate_out_shape, op_rotate, 0,
};

const ssm_operation ssm_param__op_key_alias = {
	"LibssmCreateAlias",
	&alias_in_shape,
	&ssm_api__empty_shape,
	op_alias,
	0,
};

/* ---- public functions ------------------------------------------------------
 */

struct ssm_keys {
	ssm_call call;
	key_list_out out;
};

ssm_err ssm_key_create_options_init(ssm_key_create_options *opts,
				    unsigned int version)
{
	SSM_ASSERT_ARG(opts);
	if (version == 0 || version > SSM_KEY_CREATE_OPTIONS_VERSION)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "ssm_key_create_options version %u is "
				      "not supported (1..%u)",
				      version, SSM_KEY_CREATE_OPTIONS_VERSION);
	memset(opts, 0, sizeof(*opts));
	opts->version = version;
	return SSM_OK;
}

ssm_err ssm_key_create(ssm_buf *key_id_out, ssm_client *client,
		       const ssm_key_create_options *opts)
{
	key_create_in in = { NULL, NULL };
	key_create_out out;
	ssm_call call;
	ssm_err error;

	SSM_ASSERT_ARG(client);
	if (opts) {
		SSM_CHECK_VERSION(opts, SSM_KEY_CREATE_OPTIONS_VERSION,
				  "ssm_key_create_options");
		in.description = (char *)opts->description;
		in.alias_name = (char *)opts->alias;
	}
	ssm_client__call_init(&call, client);
	error = ssm_client__call(client, &ssm_param__op_key_create, &in, &out,
				 &call);
	if (error == SSM_OK && key_id_out)
		error = ssm_buf_set(key_id_out, out.key_id ? out.key_id : "",
				    out.key_id ? strlen(out.key_id) : 0);
	ssm_call__dispose(&call);
	return error;
}

ssm_err ssm_key_alias(ssm_client *client, const char *alias, const char *key_id)
{
	key_alias_in in;
	ssm_api_empty out;
	ssm_call call;
	ssm_err error;

	SSM_ASSERT_ARG(client);
	SSM_ASSERT_ARG(alias);
	SSM_ASSERT_ARG(key_id);
	in.alias_name = (char *)alias;
	in.target_key_id = (char *)key_id;
	ssm_client__call_init(&call, client);
	error = ssm_client__call(client, &ssm_param__op_key_alias, &in, &out,
				 &call);
	ssm_call__dispose(&call);
	return error;
}

ssm_err ssm_key_rotate(uint64_t *rewrapped_out, ssm_client *client,
		       const char *key_id)
{
	key_rotate_in in;
	key_rotate_out out;
	ssm_call call;
	ssm_err error;

	if (rewrapped_out)
		*rewrapped_out = 0;
	SSM_ASSERT_ARG(client);
	SSM_ASSERT_ARG(key_id);
	in.key_id = (char *)key_id;
	ssm_client__call_init(&call, client);
	error = ssm_client__call(client, &ssm_param__op_key_rotate, &in, &out,
				 &call);
	if (error == SSM_OK && rewrapped_out)
		*rewrapped_out = (uint64_t)out.rewrapped_count;
	ssm_call__dispose(&call);
	return error;
}

ssm_err ssm_key_list(ssm_keys **out, ssm_client *client)
{
	ssm_api_empty in;
	ssm_keys *list;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(client);
	list = ssm__calloc(1, sizeof(*list));
	if (!list)
		return SSM_ERROR;
	in.unused = 0;
	ssm_client__call_init(&list->call, client);
	error = ssm_client__call(client, &ssm_param__op_key_list, &in,
				 &list->out, &list->call);
	if (error < 0) {
		ssm_keys_free(list);
		return error;
	}
	*out = list;
	return SSM_OK;
}

static const key_entry *entry(const ssm_keys *list, size_t i)
{
	if (!list || i >= list->out.keys.count)
		return NULL;
	return (const key_entry *)list->out.keys.items + i;
}

size_t ssm_keys_count(const ssm_keys *list)
{
	return list ? list->out.keys.count : 0;
}

const char *ssm_keys_id(const ssm_keys *list, size_t i)
{
	const key_entry *e = entry(list, i);

	return e ? e->key_id : NULL;
}

const char *ssm_keys_arn(const ssm_keys *list, size_t i)
{
	const key_entry *e = entry(list, i);

	return e ? e->arn : NULL;
}

const char *ssm_keys_description(const ssm_keys *list, size_t i)
{
	const key_entry *e = entry(list, i);

	return e ? (e->description ? e->description : "") : NULL;
}

int64_t ssm_keys_created_ms(const ssm_keys *list, size_t i)
{
	const key_entry *e = entry(list, i);

	return e ? e->created_ms : 0;
}

uint64_t ssm_keys_generation(const ssm_keys *list, size_t i)
{
	const key_entry *e = entry(list, i);

	return e ? (uint64_t)e->generation : 0;
}

size_t ssm_keys_aliases_count(const ssm_keys *list, size_t i)
{
	const key_entry *e = entry(list, i);

	return e ? e->aliases.count : 0;
}

const char *ssm_keys_alias_at(const ssm_keys *list, size_t i, size_t k)
{
	const key_entry *e = entry(list, i);

	if (!e || k >= e->aliases.count)
		return NULL;
	return ((char *const *)e->aliases.items)[k];
}

void ssm_keys_free(ssm_keys *list)
{
	if (!list)
		return;
	ssm_call__dispose(&list->call);
	ssm__free(list);
}
