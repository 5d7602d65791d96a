/* SPDX-License-Identifier: Apache-2.0 */
/* AddTagsToResource, ListTagsForResource, RemoveTagsFromResource for every
 * taggable resource type (lib/api/tags.h). */
#include <stdlib.h>
#include <string.h>

#include "api/modules.h"
#include "api/tags.h"
#include "core/alloc.h"
#include "core/error.h"

#define TAG_WRITE_ATTEMPTS 1000

static const char *const resource_types[] = {
	"Document",    "ManagedInstance", "MaintenanceWindow",
	"Parameter",   "PatchBaseline",	  "OpsItem",
	"OpsMetadata", "Automation",	  "Association",
	NULL,
};

/* ---- shapes -------------------------------------------------------------- */

#define TAG_KEY_PATTERN "^(?!^(?i)aws:)(?=^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$).*$"
#define TAG_VALUE_PATTERN "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$"

static const ssm_api_field tag_fields[] = {
	SSM_F_PATTERN("Key", ssm_api_tag, key, SSM_API_F_REQUIRED, 1, 128,
		      TAG_KEY_PATTERN),
	SSM_F_PATTERN("Value", ssm_api_tag, value, SSM_API_F_REQUIRED, 0, 256,
		      TAG_VALUE_PATTERN),
};
const ssm_api_shape ssm_api__tag_shape =
	SSM_API_SHAPE("Tag", ssm_api_tag, tag_fields);

const ssm_api_shape ssm_api__empty_shape = { "Empty", sizeof(ssm_api_empty),
					     NULL, 0 };

#define T ssm_api_tags_in
static const ssm_api_field add_in_fields[] = {
	SSM_F_ENUM("ResourceType", T, resource_type, SSM_API_F_REQUIRED,
		   resource_types),
	SSM_F_STRING("ResourceId", T, resource_id, SSM_API_F_REQUIRED, 1, 2048),
	SSM_F_LIST_OF("Tags", T, tags, SSM_API_F_REQUIRED, 0, 1000,
		      &ssm_api__tag_shape),
};
static const ssm_api_shape add_in_shape =
	SSM_API_SHAPE("AddTagsToResourceRequest", T, add_in_fields);

static const ssm_api_field list_in_fields[] = {
	SSM_F_ENUM("ResourceType", T, resource_type, SSM_API_F_REQUIRED,
		   resource_types),
	SSM_F_STRING("ResourceId", T, resource_id, SSM_API_F_REQUIRED, 1, 2048),
};
static const ssm_api_shape list_in_shape =
	SSM_API_SHAPE("ListTagsForResourceRequest", T, list_in_fields);

static const ssm_api_field remove_in_fields[] = {
	SSM_F_ENUM("ResourceType", T, resource_type, SSM_API_F_REQUIRED,
		   resource_types),
	SSM_F_STRING("ResourceId", T, resource_id, SSM_API_F_REQUIRED, 1, 2048),
	{ .name = "TagKeys",
	  .type = SSM_API_LIST,
	  .offset = offsetof(T, tag_keys),
	  .flags = SSM_API_F_REQUIRED,
	  .elem = SSM_API_STRING,
	  .pattern = TAG_KEY_PATTERN,
	  .elem_min = 1,
	  .elem_max = 128 },
};
static const ssm_api_shape remove_in_shape =
	SSM_API_SHAPE("RemoveTagsFromResourceRequest", T, remove_in_fields);
#undef T

static const ssm_api_field list_out_fields[] = {
	SSM_F_LIST_OF("TagList", ssm_api_list_tags_out, tag_list,
		      SSM_API_F_ZERO, 0, 0, &ssm_api__tag_shape),
};
static const ssm_api_shape list_out_shape = SSM_API_SHAPE(
	"ListTagsForResourceResult", ssm_api_list_tags_out, list_out_fields);

/* ---- records ------------------------------------------------------------- */

static void put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static ssm_err put_str(ssm_str *out, const char *s)
{
	unsigned char n[4];
	size_t len = s ? strlen(s) : 0;

	put_u32(n, (uint32_t)len);
	SSM_TRY(ssm_str_put(out, n, 4));
	SSM_TRY(ssm_str_put(out, s ? s : "", len));
	return ssm_str_putc(out, '\0');
}

static int tag_cmp(const void *a, const void *b)
{
	return strcmp(((const ssm_api_tag *)a)->key,
		      ((const ssm_api_tag *)b)->key);
}

ssm_err ssm_tags__encode(ssm_str *out, const ssm_api_tag *tags, size_t count)
{
	ssm_api_tag *sorted = NULL;
	unsigned char n[4];
	size_t i, k = 0;
	ssm_err error = SSM_OK;

	if (count) {
		sorted = ssm__malloc(count * sizeof(*sorted));
		if (!sorted)
			return SSM_ERROR;
		/* the last value of a repeated key wins */
		for (i = 0; i < count; i++) {
			size_t j;

			for (j = 0; j < k; j++)
				if (strcmp(sorted[j].key, tags[i].key) == 0)
					break;
			sorted[j] = tags[i];
			if (j == k)
				k++;
		}
		qsort(sorted, k, sizeof(*sorted), tag_cmp);
	}
	put_u32(n, (uint32_t)k);
	ssm_str_clear(out);
	error = ssm_str_put(out, n, 4);
	for (i = 0; i < k && error == SSM_OK; i++) {
		error = put_str(out, sorted[i].key);
		if (error == SSM_OK)
			error = put_str(out, sorted[i].value);
	}
	ssm__free(sorted);
	return error;
}

/* Walk a record: the @i-th string, or NULL past the end / when corrupt. */
static const char *rec_str(const unsigned char **p, const unsigned char *end)
{
	uint32_t n;
	const char *s;

	if (end - *p < 4)
		return NULL;
	n = get_u32(*p);
	if ((size_t)(end - *p) < 4 + (size_t)n + 1 || (*p)[4 + n] != '\0')
		return NULL;
	s = (const char *)*p + 4;
	*p += 4 + (size_t)n + 1;
	return s;
}

ssm_err ssm_tags__decode(ssm_api_tag **tags_out, size_t *count_out,
			 ssm_arena *arena, const void *data, size_t len)
{
	const unsigned char *p = data, *end = p + len;
	ssm_api_tag *tags = NULL;
	size_t n, i;

	*tags_out = NULL;
	*count_out = 0;
	if (len < 4)
		goto bad;
	n = get_u32(p);
	p += 4;
	if (n > len)
		goto bad;
	if (n && !(tags = ssm_arena_calloc(arena, n, sizeof(*tags))))
		return SSM_ERROR;
	for (i = 0; i < n; i++) {
		const char *k = rec_str(&p, end), *v = rec_str(&p, end);

		if (!k || !v)
			goto bad;
		tags[i].key = ssm_arena_strdup(arena, k);
		tags[i].value = ssm_arena_strdup(arena, v);
		if (!tags[i].key || !tags[i].value)
			return SSM_ERROR;
	}
	*tags_out = tags;
	*count_out = n;
	return SSM_OK;
bad:
	return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
			      "corrupt tag record in the store (%zu bytes)",
			      len);
}

const char *ssm_tags__find(const void *data, size_t len, const char *key)
{
	const unsigned char *p = data, *end = p + len;
	size_t n, i;

	if (len < 4)
		return NULL;
	n = get_u32(p);
	p += 4;
	for (i = 0; i < n; i++) {
		const char *k = rec_str(&p, end), *v = rec_str(&p, end);

		if (!k || !v)
			return NULL;
		if (strcmp(k, key) == 0)
			return v;
	}
	return NULL;
}

ssm_err ssm_tags__key(ssm_str *out, const ssm_service *svc, const char *type,
		      const char *canonical_id, size_t id_len)
{
	ssm_str_clear(out);
	SSM_TRY(ssm_str_put(out, svc->prefix, svc->prefix_len));
	SSM_TRY(ssm_str_puts(out, "tags/"));
	SSM_TRY(ssm_str_puts(out, type));
	SSM_TRY(ssm_str_putc(out, '/'));
	return ssm_str_put(out, canonical_id, id_len);
}

static ssm_err too_many(const char *id, size_t n)
{
	return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_API, "TooManyTagsError",
			      "The resource %.900s would have %zu tags; a "
			      "resource can have at most %d tags.",
			      id, n, SSM_TAGS_MAX);
}

ssm_err ssm_tags__check_new(const ssm_api_tag *tags, size_t count)
{
	size_t i, k, distinct = 0;

	for (i = 0; i < count; i++) {
		for (k = 0; k < i; k++)
			if (strcmp(tags[k].key, tags[i].key) == 0)
				break;
		if (k == i)
			distinct++;
	}
	if (distinct > SSM_TAGS_MAX)
		return too_many("being created", distinct);
	return SSM_OK;
}

/* ---- operations ---------------------------------------------------------- */

static const ssm_taggable *taggable_find(const char *type)
{
	size_t i;

	for (i = 0; ssm_taggables[i]; i++)
		if (strcmp(ssm_taggables[i]->resource_type, type) == 0)
			return ssm_taggables[i];
	return NULL;
}

/* The resource's canonical id, tag key and guard key. */
static ssm_err resolve(ssm_str *tag_key, ssm_str *guard, ssm_service *svc,
		       const ssm_api_tags_in *in)
{
	const ssm_taggable *t = taggable_find(in->resource_type);
	ssm_str id = SSM_STR_INIT;
	ssm_err error;

	if (!t)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_API,
				      "InvalidResourceType",
				      "The resource type %s can't be tagged "
				      "here.",
				      in->resource_type);
	error = t->resolve(svc, in->resource_id, &id, guard);
	if (error == SSM_ENOTFOUND || error == SSM_EINVALID)
		error = ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_API,
				       "InvalidResourceId",
				       "Invalid Resource Id");
	if (error == SSM_OK)
		error = ssm_tags__key(tag_key, svc, t->resource_type, id.ptr,
				      id.size);
	ssm_str_dispose(&id);
	return error;
}

/* Read-modify-write of a tag record, guarded by the resource and the
 * record's revision. */
static ssm_err tags_update(ssm_service_call *sc, const ssm_api_tags_in *in,
			   bool add)
{
	ssm_str key = SSM_STR_INIT, guard = SSM_STR_INIT, rec = SSM_STR_INIT;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_store_compare cmps[2];
	ssm_store_op op;
	unsigned attempt;
	ssm_err error;

	error = resolve(&key, &guard, sc->svc, in);
	for (attempt = 0; error == SSM_OK; attempt++) {
		ssm_arena arena = SSM_ARENA_INIT;
		ssm_api_tag *tags = NULL, *merged = NULL;
		size_t n = 0, m = 0, i, k;
		uint64_t rev = 0;

		error = ssm_store_get(&kv, sc->svc->store, key.ptr, key.size);
		if (error == SSM_OK) {
			rev = kv.mod_revision;
			error = ssm_tags__decode(&tags, &n, &arena,
						 kv.value.ptr, kv.value.size);
		} else if (error == SSM_ENOTFOUND) {
			error = SSM_OK;
		}
		if (error == SSM_OK) {
			size_t extra = add ? in->tags.count : 0;

			merged = ssm_arena_calloc(&arena, n + extra + 1,
						  sizeof(*merged));
			if (!merged)
				error = SSM_ERROR;
		}
		if (error == SSM_OK) {
			const ssm_api_tag *at = in->tags.items;
			char *const *keys = in->tag_keys.items;

			for (i = 0; i < n; i++) {
				bool drop = false;

				for (k = 0; !add && k < in->tag_keys.count; k++)
					if (strcmp(keys[k], tags[i].key) == 0)
						drop = true;
				if (!drop)
					merged[m++] = tags[i];
			}
			for (i = 0; add && i < in->tags.count; i++) {
				for (k = 0; k < m; k++)
					if (strcmp(merged[k].key, at[i].key) ==
					    0)
						break;
				merged[k] = at[i];
				if (k == m)
					m++;
			}
			if (m > SSM_TAGS_MAX)
				error = too_many(in->resource_id, m);
		}
		if (error == SSM_OK)
			error = ssm_tags__encode(&rec, merged, m);
		if (error == SSM_OK) {
			memset(cmps, 0, sizeof(cmps));
			memset(&op, 0, sizeof(op));
			cmps[0].key = key.ptr;
			cmps[0].key_len = key.size;
			cmps[0].op = SSM_STORE_CMP_EQUAL;
			cmps[0].mod_revision = rev;
			cmps[1].key = guard.ptr;
			cmps[1].key_len = guard.size;
			cmps[1].op = SSM_STORE_CMP_NOT_EQUAL;
			cmps[1].mod_revision = 0; /* the resource exists */
			op.key = key.ptr;
			op.key_len = key.size;
			if (m) {
				op.type = SSM_STORE_OP_PUT;
				op.value = rec.ptr;
				op.value_len = rec.size;
			} else {
				op.type = SSM_STORE_OP_DELETE;
			}
			error = ssm_store_txn(NULL, sc->svc->store, cmps, 2,
					      &op, 1);
		}
		ssm_store_kv_dispose(&kv);
		ssm_arena_dispose(&arena);
		if (error != SSM_ECONFLICT || ssm_error_last()->service_code)
			break;
		if (attempt + 1 >= TAG_WRITE_ATTEMPTS) {
			error = ssm_error__set(SSM_ECONFLICT, SSM_ERRCLASS_API,
					       "TooManyUpdates",
					       "There are too many concurrent "
					       "updates of the tags of "
					       "%.900s. Try again.",
					       in->resource_id);
			break;
		}
		/* the resource may be gone: resolve again */
		ssm_str_clear(&key);
		ssm_str_clear(&guard);
		error = resolve(&key, &guard, sc->svc, in);
	}
	ssm_str_dispose(&key);
	ssm_str_dispose(&guard);
	ssm_str_dispose(&rec);
	return error;
}

static ssm_err op_add(ssm_service_call *sc, const void *request, void *response)
{
	(void)response;
	return tags_update(sc, request, true);
}

static ssm_err op_remove(ssm_service_call *sc, const void *request,
			 void *response)
{
	(void)response;
	return tags_update(sc, request, false);
}

static ssm_err op_list(ssm_service_call *sc, const void *request,
		       void *response)
{
	const ssm_api_tags_in *in = request;
	ssm_api_list_tags_out *out = response;
	ssm_str key = SSM_STR_INIT, guard = SSM_STR_INIT;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_api_tag *tags = NULL;
	size_t n = 0;
	ssm_err error;

	error = resolve(&key, &guard, sc->svc, in);
	if (error == SSM_OK) {
		error = ssm_store_get(&kv, sc->svc->store, key.ptr, key.size);
		if (error == SSM_OK)
			error = ssm_tags__decode(&tags, &n, &sc->call->arena,
						 kv.value.ptr, kv.value.size);
		else if (error == SSM_ENOTFOUND)
			error = SSM_OK; /* no tags */
	}
	if (error == SSM_OK) {
		out->tag_list.items = tags;
		out->tag_list.count = n;
	}
	ssm_store_kv_dispose(&kv);
	ssm_str_dispose(&key);
	ssm_str_dispose(&guard);
	return error;
}

const ssm_operation ssm_tags__op_add = {
	"AddTagsToResource", &add_in_shape, &ssm_api__empty_shape, op_add, 0,
};

const ssm_operation ssm_tags__op_list = {
	"ListTagsForResource", &list_in_shape, &list_out_shape, op_list,
	SSM_OP_IDEMPOTENT,
};

const ssm_operation ssm_tags__op_remove = {
	"RemoveTagsFromResource",
	&remove_in_shape,
	&ssm_api__empty_shape,
	op_remove,
	0,
};

static const ssm_operation *const tag_ops[] = {
	&ssm_tags__op_add,
	&ssm_tags__op_list,
	&ssm_tags__op_remove,
	NULL,
};

const ssm_engine_module ssm_tags__module = { "tags", NULL, NULL, tag_ops };
