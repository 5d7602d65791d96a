/* SPDX-License-Identifier: Apache-2.0 */
/* The public tag API (ssm/tags.h). */
#include <string.h>

#include "ssm/tags.h"
#include "api/client.h"
#include "api/tags.h"
#include "core/alloc.h"
#include "core/error.h"

struct ssm_tag_list {
	ssm_call call;
	ssm_api_list_tags_out out;
};

static ssm_err tags_in(ssm_api_tags_in *in, const char *type, const char *id)
{
	SSM_ASSERT_ARG(type);
	SSM_ASSERT_ARG(id);
	memset(in, 0, sizeof(*in));
	in->resource_type = (char *)type;
	in->resource_id = (char *)id;
	return SSM_OK;
}

ssm_err ssm_tags_add(ssm_client *client, const char *resource_type,
		     const char *resource_id, const ssm_tag *tags, size_t count)
{
	ssm_api_tags_in in;
	ssm_api_empty out;
	ssm_api_tag *items = NULL;
	ssm_call call;
	ssm_err error = SSM_OK;
	size_t i;

	SSM_ASSERT_ARG(client);
	if (!tags && count)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "invalid argument: 'tags'");
	SSM_TRY(tags_in(&in, resource_type, resource_id));
	ssm_client__call_init(&call, client);
	if (count && !(items = ssm_call__alloc(&call, count * sizeof(*items))))
		error = SSM_ERROR;
	for (i = 0; error == SSM_OK && i < count; i++) {
		if (!tags[i].key) {
			error = ssm_error__set(SSM_EINVALID,
					       SSM_ERRCLASS_INVALID, NULL,
					       "tag %zu has no key", i + 1);
			break;
		}
		items[i].key = (char *)tags[i].key;
		items[i].value = (char *)(tags[i].value ? tags[i].value : "");
	}
	/* a list with no items still is a list ("Tags": []) */
	in.tags.items = items ? (void *)items : (void *)&in;
	in.tags.count = count;
	if (error == SSM_OK)
		error = ssm_client__call(client, &ssm_tags__op_add, &in, &out,
					 &call);
	ssm_call__dispose(&call);
	return error;
}

ssm_err ssm_tags_list(ssm_tag_list **out, ssm_client *client,
		      const char *resource_type, const char *resource_id)
{
	ssm_api_tags_in in;
	ssm_tag_list *list;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(client);
	SSM_TRY(tags_in(&in, resource_type, resource_id));
	list = ssm__calloc(1, sizeof(*list));
	if (!list)
		return SSM_ERROR;
	ssm_client__call_init(&list->call, client);
	error = ssm_client__call(client, &ssm_tags__op_list, &in, &list->out,
				 &list->call);
	if (error < 0) {
		ssm_tag_list_free(list);
		return error;
	}
	*out = list;
	return SSM_OK;
}

ssm_err ssm_tags_remove(ssm_client *client, const char *resource_type,
			const char *resource_id, const char *const *keys,
			size_t count)
{
	ssm_api_tags_in in;
	ssm_api_empty out;
	ssm_call call;
	ssm_err error;
	size_t i;

	SSM_ASSERT_ARG(client);
	if (!keys && count)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "invalid argument: 'keys'");
	for (i = 0; i < count; i++)
		if (!keys[i])
			return ssm_error__set(SSM_EINVALID,
					      SSM_ERRCLASS_INVALID, NULL,
					      "keys[%zu] is NULL", i);
	SSM_TRY(tags_in(&in, resource_type, resource_id));
	in.tag_keys.items = keys ? (void *)keys : (void *)&in;
	in.tag_keys.count = count;
	ssm_client__call_init(&call, client);
	error = ssm_client__call(client, &ssm_tags__op_remove, &in, &out,
				 &call);
	ssm_call__dispose(&call);
	return error;
}

size_t ssm_tag_list_count(const ssm_tag_list *list)
{
	return list ? list->out.tag_list.count : 0;
}

const char *ssm_tag_list_key(const ssm_tag_list *list, size_t i)
{
	if (!list || i >= list->out.tag_list.count)
		return NULL;
	return ((const ssm_api_tag *)list->out.tag_list.items)[i].key;
}

const char *ssm_tag_list_value(const ssm_tag_list *list, size_t i)
{
	if (!list || i >= list->out.tag_list.count)
		return NULL;
	return ((const ssm_api_tag *)list->out.tag_list.items)[i].value;
}

void ssm_tag_list_free(ssm_tag_list *list)
{
	if (!list)
		return;
	ssm_call__dispose(&list->call);
	ssm__free(list);
}
