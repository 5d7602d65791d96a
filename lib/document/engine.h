/* SPDX-License-Identifier: Apache-2.0 */
/* The document engine's entry points for other engines and tests. */
#ifndef SSM_DOCUMENT_ENGINE_H
#define SSM_DOCUMENT_ENGINE_H

#include "api/op.h"
#include "document/doc.h"

#define SSM_DOCUMENT_MAX_DOCUMENTS 500 /* active documents (AWS quota) */
#define SSM_DOCUMENT_MAX_VERSIONS 1000 /* versions of one document */

/* A document shipped with the library (lib/document/builtin/), seeded into
 * every new store by the module's start. */
typedef struct ssm_document_builtin {
	const char *name;
	ssm_document_type type;
	ssm_document_format format;
	bool account_owned; /* owned by the account (it may update it), not
			       by Amazon: SSM-SessionManagerRunShell */
	const char *content;
	size_t len;
} ssm_document_builtin;

extern const ssm_document_builtin ssm_document_builtins[];
extern const size_t ssm_document_builtins_count;

/* What ssm_document__load() found. */
typedef struct ssm_document__loaded {
	char name[129];	  /* the plain name (an ARN is reduced to it) */
	char owner[16];	  /* account id or "Amazon" */
	char hash[65];	  /* lower-case hex SHA-256 of the content */
	uint64_t version; /* the version loaded */
	uint64_t default_version;
	uint64_t latest_version;
} ssm_document__loaded;

/* Load and parse a stored document straight from the service's store, for
 * engines that run documents (SendCommand, StartSession, associations):
 * @document_version is NULL/"$DEFAULT", "$LATEST" or a number. Errors are
 * AWS's: InvalidDocument, InvalidDocumentVersion. The caller frees *@out
 * with ssm_doc__free() and compares info->hash with a DocumentHash it was
 * given. */
ssm_err ssm_document__load(ssm_doc **out, ssm_document__loaded *info,
			   ssm_service *svc, const char *name,
			   const char *document_version);

/* Resolving {{ssm:...}} references straight on a service's Parameter
 * Store, for engines that render documents next to the store (an
 * ssm_document_resolve_cb with the resolver as payload). Values live in the
 * resolver's arena until it is disposed (wiped: decrypted values). */
typedef struct ssm_document__store_resolver {
	ssm_service *svc;
	ssm_arena arena;
} ssm_document__store_resolver;

void ssm_document__store_resolver_init(ssm_document__store_resolver *r,
				       ssm_service *svc);
void ssm_document__store_resolver_dispose(ssm_document__store_resolver *r);
int ssm_document__store_resolve(ssm_document_reference *refs, size_t count,
				void *payload);

/* Tests: lower the quotas (0: AWS's 500 documents, 1000 versions). */
void ssm_document__set_limits(ssm_service *svc, uint64_t max_documents,
			      uint64_t max_versions);

ssm_err ssm_document__start(ssm_service *svc);
void ssm_document__stop(ssm_service *svc);

#endif
