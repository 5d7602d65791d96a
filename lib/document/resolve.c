/* SPDX-License-Identifier: Apache-2.0 */
/* {{ssm:...}} references resolved through a client's Parameter Store. */
#include "core/error.h"
#include "document/local.h"

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

int ssm_document__client_resolve(ssm_document_reference *refs, size_t count,
				 void *payload)
{
	(void)refs;
	(void)count;
	(void)payload;
	/* the Parameter Store engine is not in this build yet: every
	 * reference stays unknown */
	ssm_error__set(SSM_EUNSUPPORTED, SSM_ERRCLASS_DOCUMENT, NULL,
		       "this build has no Parameter Store to resolve "
		       "{{ssm:...}} references");
	return 1;
}
