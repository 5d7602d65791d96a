/* SPDX-License-Identifier: Apache-2.0 */
/* {{ssm:...}} and {{ssm-secure:...}} references resolved by the Parameter
 * Store:
 *
 * - through a client (ssm_document_render() with a client): GetParameters
 *   in batches of 10 as the agent does, plain and decrypted apart, so it
 *   works on every transport;
 * - straight on a service's store (engines that render on the server or in
 *   an embedded agent): ssm_param__resolve(), one call for all. */
#include <string.h>

#include "ssm/param.h"
#include "core/alloc.h"
#include "core/error.h"
#include "document/engine.h"
#include "document/local.h"
#include "param/resolve.h"

#define BATCH 10

void ssm_document__client_resolver_init(ssm_document__client_resolver *r,
					ssm_client *client)
{
	r->client = client;
	r->arena = (ssm_arena)SSM_ARENA_INIT;
}

void ssm_document__client_resolver_dispose(ssm_document__client_resolver *r)
{
	ssm_arena_dispose_secure(&r->arena);
}

static ssm_document_reference_type ref_type(ssm_param_type t)
{
	switch (t) {
	case SSM_PARAM_STRING:
		return SSM_DOCUMENT_REFERENCE_STRING;
	case SSM_PARAM_STRING_LIST:
		return SSM_DOCUMENT_REFERENCE_STRING_LIST;
	case SSM_PARAM_SECURE_STRING:
		return SSM_DOCUMENT_REFERENCE_SECURE_STRING;
	case SSM_PARAM_TYPE_DEFAULT:
		break;
	}
	return SSM_DOCUMENT_REFERENCE_NOT_FOUND;
}

/* "name[:selector]" with one leading '/' dropped from the name: the forms
 * that name the same parameter compare equal. */
static bool same_ref(const char *asked, const char *name, const char *sel)
{
	size_t n;

	if (*asked == '/')
		asked++;
	if (*name == '/')
		name++;
	n = strlen(name);
	if (strncmp(asked, name, n) != 0)
		return false;
	asked += n;
	return sel && *sel ? strcmp(asked, sel) == 0 : *asked == '\0';
}

/* One GetParameters call for @n references. */
static ssm_err batch(ssm_document__client_resolver *r,
		     ssm_document_reference **refs, size_t n, bool decrypt)
{
	const char *names[BATCH];
	ssm_param_list *list = NULL;
	size_t i, k;
	ssm_err error;

	for (i = 0; i < n; i++)
		names[i] = refs[i]->name;
	error = ssm_param_get_many(&list, r->client, names, n,
				   decrypt ? SSM_PARAM_WITH_DECRYPTION : 0);
	if (error < 0)
		return error;
	for (k = 0; k < ssm_param_list_count(list); k++) {
		const ssm_param *p = ssm_param_list_at(list, k);

		for (i = 0; i < n; i++) {
			if (refs[i]->value ||
			    !same_ref(refs[i]->name, ssm_param_name(p),
				      ssm_param_selector(p)))
				continue;
			refs[i]->type = ref_type(ssm_param_type_of(p));
			refs[i]->value =
				ssm_arena_strdup(&r->arena, ssm_param_value(p));
			if (!refs[i]->value)
				error = SSM_ERROR;
			break;
		}
	}
	ssm_param_list_free(list);
	return error;
}

int ssm_document__client_resolve(ssm_document_reference *refs, size_t count,
				 void *payload)
{
	ssm_document__client_resolver *r = payload;
	ssm_document_reference *group[BATCH];
	size_t i, n;
	int pass;

	/* plain references, then decrypted ones */
	for (pass = 0; pass < 2; pass++) {
		n = 0;
		for (i = 0; i < count; i++) {
			if (refs[i].with_decryption != (pass == 1))
				continue;
			group[n++] = &refs[i];
			if (n == BATCH) {
				if (batch(r, group, n, pass == 1) < 0)
					return 1;
				n = 0;
			}
		}
		if (n && batch(r, group, n, pass == 1) < 0)
			return 1;
	}
	return 0;
}

/* ---- on a service's store ---------------------------------------------------
 */

void ssm_document__store_resolver_init(ssm_document__store_resolver *r,
				       ssm_service *svc)
{
	r->svc = svc;
	r->arena = (ssm_arena)SSM_ARENA_INIT;
}

void ssm_document__store_resolver_dispose(ssm_document__store_resolver *r)
{
	ssm_arena_dispose_secure(&r->arena);
}

static ssm_document_reference_type resolved_type(int type)
{
	switch (type) {
	case SSM_PARAM_RESOLVED_STRING_LIST:
		return SSM_DOCUMENT_REFERENCE_STRING_LIST;
	case SSM_PARAM_RESOLVED_SECURE_STRING:
		return SSM_DOCUMENT_REFERENCE_SECURE_STRING;
	default:
		return SSM_DOCUMENT_REFERENCE_STRING;
	}
}

int ssm_document__store_resolve(ssm_document_reference *refs, size_t count,
				void *payload)
{
	ssm_document__store_resolver *r = payload;
	ssm_param_resolved *out;
	const char **names;
	size_t *at, i, n;
	int pass, rv = 0;

	out = ssm__calloc(count, sizeof(*out));
	names = ssm__calloc(count, sizeof(*names));
	at = ssm__calloc(count, sizeof(*at));
	if (!out || !names || !at) {
		rv = 1;
		goto done;
	}
	/* plain references, then the ones to decrypt: one call each */
	for (pass = 0; pass < 2; pass++) {
		for (i = n = 0; i < count; i++)
			if (refs[i].with_decryption == (pass == 1)) {
				at[n] = i;
				names[n++] = refs[i].name;
			}
		if (!n)
			continue;
		memset(out, 0, count * sizeof(*out));
		if (ssm_param__resolve(out, r->svc, names, n, pass == 1,
				       &r->arena) < 0) {
			rv = 1;
			goto done;
		}
		for (i = 0; i < n; i++) {
			if (!out[i].found)
				continue;
			refs[at[i]].type = resolved_type(out[i].type);
			refs[at[i]].value = out[i].value;
		}
	}
done:
	ssm__free(out);
	ssm__free(names);
	ssm__free(at);
	return rv;
}
