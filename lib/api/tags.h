/* SPDX-License-Identifier: Apache-2.0 */
/* Tags on resources of every engine: AddTagsToResource, ListTagsForResource
 * and RemoveTagsFromResource, over a small registry of taggable resource
 * types. An engine that makes a type taggable adds one ssm_taggable to the
 * list in lib/api/tags.c; tags then live in the store under
 * "<service prefix>tags/<ResourceType>/<canonical id>" and the engine
 * deletes that key (ssm_tags__key()) in the transaction that deletes the
 * resource. */
#ifndef SSM_API_TAGS_H
#define SSM_API_TAGS_H

#include "api/op.h"
#include "core/str.h"

#define SSM_TAGS_MAX 50 /* per resource */

/* Tag: {Key, Value} on the wire. */
typedef struct ssm_api_tag {
	char *key;
	char *value;
} ssm_api_tag;

extern const ssm_api_shape ssm_api__tag_shape;

/* An output without members ({} on the wire). */
typedef struct ssm_api_empty {
	char unused;
} ssm_api_empty;

extern const ssm_api_shape ssm_api__empty_shape;

typedef struct ssm_api_tags_in {
	char *resource_type;
	char *resource_id;
	ssm_api_list tags;     /* ssm_api_tag (AddTagsToResource) */
	ssm_api_list tag_keys; /* char * (RemoveTagsFromResource) */
} ssm_api_tags_in;

typedef struct ssm_api_list_tags_out {
	ssm_api_list tag_list; /* ssm_api_tag */
} ssm_api_list_tags_out;

extern const ssm_operation ssm_tags__op_add;
extern const ssm_operation ssm_tags__op_list;
extern const ssm_operation ssm_tags__op_remove;

/* A taggable resource type. */
typedef struct ssm_taggable {
	const char *resource_type; /* "Parameter" */
	/* Check that @id names an existing resource. Fill @canonical_out with
	 * the id tags are stored under and @guard_key_out with a store key
	 * that exists exactly while the resource does (tag writes are guarded
	 * by it). SSM_ENOTFOUND when there is no such resource (the caller
	 * sets InvalidResourceId). */
	ssm_err (*resolve)(ssm_service *svc, const char *id,
			   ssm_str *canonical_out, ssm_str *guard_key_out);
} ssm_taggable;

/* The taggable types, NULL-terminated (lib/api/modules.c). */
extern const ssm_taggable *const ssm_taggables[];

/* The store key of a resource's tags. */
ssm_err ssm_tags__key(ssm_str *out, const ssm_service *svc, const char *type,
		      const char *canonical_id, size_t id_len);

/* Check a tag list for a resource that has none yet (PutParameter's Tags):
 * at most SSM_TAGS_MAX distinct keys. */
ssm_err ssm_tags__check_new(const ssm_api_tag *tags, size_t count);

/* The record of a tag list: sorted by key, last value of a key wins. */
ssm_err ssm_tags__encode(ssm_str *out, const ssm_api_tag *tags, size_t count);

/* Decode a record into tags allocated from @call (NULL: from @arena). */
ssm_err ssm_tags__decode(ssm_api_tag **tags_out, size_t *count_out,
			 ssm_arena *arena, const void *data, size_t len);

/* Look up a tag's value in a record; NULL when absent (points into the
 * record). */
const char *ssm_tags__find(const void *data, size_t len, const char *key);

extern const ssm_engine_module ssm_tags__module;

#endif
