/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/tags.h
 * @brief Tags on SSM resources (AWS AddTagsToResource,
 *        ListTagsForResource, RemoveTagsFromResource).
 *
 * A resource is named by its type (`Parameter`, `Document`,
 * `ManagedInstance`, ...) and its id (for a parameter, its name). A
 * resource has at most 50 tags; keys are 1..128 characters and may not
 * begin with `aws:`, values 0..256 characters. Types an engine of this
 * build does not tag fail with `InvalidResourceType`.
 */
#ifndef SSM_TAGS_H
#define SSM_TAGS_H

#include "ssm/client.h"
#include "ssm/common.h"
#include "ssm/errors.h"

SSM_BEGIN_DECL

/** One tag, as the caller passes it. */
typedef struct ssm_tag {
	const char *key;   /**< 1..128 characters */
	const char *value; /**< 0..256 characters; NULL means "" */
} ssm_tag;

/** The tags of a resource; opaque. */
typedef struct ssm_tag_list ssm_tag_list;

/**
 * Add tags to a resource, replacing the values of keys it already has.
 *
 * @param client         the client
 * @param resource_type  e.g. "Parameter"
 * @param resource_id    e.g. the parameter's name
 * @param tags           the tags
 * @param count          number of @p tags
 * @return SSM_OK; SSM_ENOTFOUND (`InvalidResourceId`); SSM_EINVALID
 *         (`InvalidResourceType`, `ValidationException`); SSM_ELIMIT
 *         (`TooManyTagsError`) past 50 tags
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_tags_add(ssm_client *client, const char *resource_type,
	     const char *resource_id, const ssm_tag *tags, size_t count);

/**
 * List the tags of a resource, sorted by key.
 *
 * @param[out] out       the tags; free with ssm_tag_list_free()
 * @param client         the client
 * @param resource_type  e.g. "Parameter"
 * @param resource_id    e.g. the parameter's name
 * @return SSM_OK; SSM_ENOTFOUND (`InvalidResourceId`); SSM_EINVALID
 *         (`InvalidResourceType`)
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_tags_list(ssm_tag_list **out, ssm_client *client, const char *resource_type,
	      const char *resource_id);

/**
 * Remove tags from a resource by key (keys it does not have are ignored).
 *
 * @param client         the client
 * @param resource_type  e.g. "Parameter"
 * @param resource_id    e.g. the parameter's name
 * @param keys           the keys
 * @param count          number of @p keys
 * @return SSM_OK; SSM_ENOTFOUND (`InvalidResourceId`); SSM_EINVALID
 *         (`InvalidResourceType`, `ValidationException`)
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_tags_remove(ssm_client *client, const char *resource_type,
		const char *resource_id, const char *const *keys, size_t count);

/**
 * Number of tags in a list.
 *
 * @param list the list
 * @return the count
 * @since 0.1
 */
SSM_EXTERN(size_t) ssm_tag_list_count(const ssm_tag_list *list);

/**
 * The key of one tag.
 *
 * @param list the list
 * @param i    0..ssm_tag_list_count()-1
 * @return text owned by @p list; NULL when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_tag_list_key(const ssm_tag_list *list, size_t i);

/**
 * The value of one tag.
 *
 * @param list the list
 * @param i    0..ssm_tag_list_count()-1
 * @return text owned by @p list; NULL when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_tag_list_value(const ssm_tag_list *list, size_t i);

/**
 * Free a tag list.
 *
 * @param list the list; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_tag_list_free(ssm_tag_list *list);

SSM_END_DECL

#endif
