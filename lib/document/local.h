/* SPDX-License-Identifier: Apache-2.0 */
/* The public document objects and the client-backed reference resolver
 * (internal). */
#ifndef SSM_DOCUMENT_LOCAL_H
#define SSM_DOCUMENT_LOCAL_H

#include "ssm/client.h"
#include "ssm/document.h"
#include "core/arena.h"
#include "document/doc.h"

struct ssm_document {
	ssm_doc *doc;
};

struct ssm_document_problems {
	ssm_doc_problems p;
};

struct ssm_document_plan {
	ssm_doc_plan *plan;
};

/* Wrap a model in a public document (the model is freed on failure). */
ssm_err ssm_document__wrap(ssm_document **out, ssm_doc *doc);

/* Write a document's tree as pretty JSON or YAML. */
ssm_err ssm_doc__convert(ssm_str *out, const ssm_doc *doc,
			 ssm_document_format format);

/* Resolving {{ssm:...}} through a client's Parameter Store: GetParameters
 * in batches of 10 (with decryption for ssm-secure). Values live in the
 * resolver's arena, wiped when it is disposed. */
typedef struct ssm_document__client_resolver {
	ssm_client *client;
	ssm_arena arena;
} ssm_document__client_resolver;

void ssm_document__client_resolver_init(ssm_document__client_resolver *r,
					ssm_client *client);
void ssm_document__client_resolver_dispose(ssm_document__client_resolver *r);
/* An ssm_document_resolve_cb; payload is the resolver. */
int ssm_document__client_resolve(ssm_document_reference *refs, size_t count,
				 void *payload);

#endif
