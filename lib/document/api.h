/* SPDX-License-Identifier: Apache-2.0 */
/* Request and response structs of the document operations, described by
 * shapes with their AWS wire names and constraints (lib/document/shapes.c).
 * The engine's handlers (lib/document/store.c) and the public functions
 * (lib/document/client.c) share them; the JSON codec reads the same
 * shapes. Conventions are those of lib/api/shape.h. */
#ifndef SSM_DOCUMENT_API_H
#define SSM_DOCUMENT_API_H

#include "api/op.h"
#include "api/tags.h"

/* DocumentParameter */
typedef struct ssm_api_document_parameter {
	char *name;
	char *type; /* String | StringList */
	char *description;
	char *default_value;
} ssm_api_document_parameter;

/* DocumentRequires */
typedef struct ssm_api_document_requires {
	char *name;
	char *version;
	char *require_type;
	char *version_name;
} ssm_api_document_requires;

/* AttachmentsSource */
typedef struct ssm_api_attachments_source {
	char *key;	     /* SourceUrl | S3FileUrl | AttachmentReference */
	ssm_api_list values; /* char * */
	char *name;
} ssm_api_attachments_source;

/* AttachmentInformation */
typedef struct ssm_api_attachment_information {
	char *name;
} ssm_api_attachment_information;

/* AttachmentContent */
typedef struct ssm_api_attachment_content {
	char *name;
	int64_t size;
	char *hash;
	char *hash_type;
	char *url;
} ssm_api_attachment_content;

/* ReviewInformation */
typedef struct ssm_api_review_information {
	int64_t reviewed_time_ms;
	char *status;
	char *reviewer;
} ssm_api_review_information;

/* DocumentDescription */
typedef struct ssm_api_document_description {
	char *sha1;
	char *hash;
	char *hash_type;
	char *name;
	char *display_name;
	char *version_name;
	char *owner;
	int64_t created_ms;
	char *status;
	char *status_information;
	char *document_version;
	char *description;
	ssm_api_list parameters;     /* ssm_api_document_parameter */
	ssm_api_list platform_types; /* char * */
	char *document_type;
	char *schema_version;
	char *latest_version;
	char *default_version;
	char *document_format;
	char *target_type;
	ssm_api_list tags; /* ssm_api_tag */
	ssm_api_list
		attachments_information; /* ssm_api_attachment_information */
	ssm_api_list requires;		 /* ssm_api_document_requires */
	char *author;
	ssm_api_list review_information; /* ssm_api_review_information */
	char *approved_version;
	char *pending_review_version;
	char *review_status;
	ssm_api_list category;	    /* char * */
	ssm_api_list category_enum; /* char * */
} ssm_api_document_description;

/* DocumentIdentifier */
typedef struct ssm_api_document_identifier {
	char *name;
	int64_t created_ms;
	char *display_name;
	char *owner;
	char *version_name;
	ssm_api_list platform_types; /* char * */
	char *document_version;
	char *document_type;
	char *schema_version;
	char *document_format;
	char *target_type;
	ssm_api_list tags;     /* ssm_api_tag */
	ssm_api_list requires; /* ssm_api_document_requires */
	char *review_status;
	char *author;
} ssm_api_document_identifier;

/* DocumentVersionInfo */
typedef struct ssm_api_document_version_info {
	char *name;
	char *display_name;
	char *document_version;
	char *version_name;
	int64_t created_ms;
	bool is_default_version;
	char *document_format;
	char *status;
	char *status_information;
	char *review_status;
} ssm_api_document_version_info;

/* DocumentFilter (deprecated form of ListDocuments) */
typedef struct ssm_api_document_filter {
	char *key;
	char *value;
} ssm_api_document_filter;

/* DocumentKeyValuesFilter */
typedef struct ssm_api_document_kv_filter {
	char *key;
	ssm_api_list values; /* char * */
} ssm_api_document_kv_filter;

/* AccountSharingInfo */
typedef struct ssm_api_account_sharing_info {
	char *account_id;
	char *shared_document_version;
} ssm_api_account_sharing_info;

typedef struct ssm_api_create_document_in {
	char *content;
	ssm_api_list requires;	  /* ssm_api_document_requires */
	ssm_api_list attachments; /* ssm_api_attachments_source */
	char *name;
	char *display_name;
	char *version_name;
	char *document_type;
	char *document_format;
	char *target_type;
	ssm_api_list tags; /* ssm_api_tag */
} ssm_api_create_document_in;

/* CreateDocumentResult, UpdateDocumentResult */
typedef struct ssm_api_document_description_out {
	ssm_api_document_description *document_description;
} ssm_api_document_description_out;

typedef struct ssm_api_get_document_in {
	char *name;
	char *version_name;
	char *document_version;
	char *document_format;
} ssm_api_get_document_in;

typedef struct ssm_api_get_document_out {
	char *name;
	int64_t created_ms;
	char *display_name;
	char *version_name;
	char *document_version;
	char *status;
	char *status_information;
	char *content;
	char *document_type;
	char *document_format;
	ssm_api_list requires;		  /* ssm_api_document_requires */
	ssm_api_list attachments_content; /* ssm_api_attachment_content */
	char *review_status;
} ssm_api_get_document_out;

typedef struct ssm_api_describe_document_in {
	char *name;
	char *document_version;
	char *version_name;
} ssm_api_describe_document_in;

typedef struct ssm_api_describe_document_out {
	ssm_api_document_description *document;
} ssm_api_describe_document_out;

typedef struct ssm_api_list_documents_in {
	ssm_api_list document_filter_list; /* ssm_api_document_filter */
	ssm_api_list filters;		   /* ssm_api_document_kv_filter */
	int64_t max_results;
	char *next_token;
} ssm_api_list_documents_in;

typedef struct ssm_api_list_documents_out {
	ssm_api_list document_identifiers; /* ssm_api_document_identifier */
	char *next_token;
} ssm_api_list_documents_out;

typedef struct ssm_api_update_document_in {
	char *content;
	ssm_api_list attachments; /* ssm_api_attachments_source */
	char *name;
	char *display_name;
	char *version_name;
	char *document_version;
	char *document_format;
	char *target_type;
} ssm_api_update_document_in;

typedef struct ssm_api_delete_document_in {
	char *name;
	char *document_version;
	char *version_name;
	bool force;
} ssm_api_delete_document_in;

/* {} */
typedef struct ssm_api_document_empty {
	char unused;
} ssm_api_document_empty;

typedef struct ssm_api_update_default_in {
	char *name;
	char *document_version;
} ssm_api_update_default_in;

/* DocumentDefaultVersionDescription */
typedef struct ssm_api_default_version_description {
	char *name;
	char *default_version;
	char *default_version_name;
} ssm_api_default_version_description;

typedef struct ssm_api_update_default_out {
	ssm_api_default_version_description *description;
} ssm_api_update_default_out;

typedef struct ssm_api_list_versions_in {
	char *name;
	int64_t max_results;
	char *next_token;
} ssm_api_list_versions_in;

typedef struct ssm_api_list_versions_out {
	ssm_api_list document_versions; /* ssm_api_document_version_info */
	char *next_token;
} ssm_api_list_versions_out;

typedef struct ssm_api_describe_permission_in {
	char *name;
	char *permission_type;
	int64_t max_results;
	char *next_token;
} ssm_api_describe_permission_in;

typedef struct ssm_api_describe_permission_out {
	ssm_api_list account_ids; /* char * */
	ssm_api_list
		account_sharing_info_list; /* ssm_api_account_sharing_info */
	char *next_token;
} ssm_api_describe_permission_out;

typedef struct ssm_api_modify_permission_in {
	char *name;
	char *permission_type;
	ssm_api_list account_ids_to_add;    /* char * */
	ssm_api_list account_ids_to_remove; /* char * */
	char *shared_document_version;
} ssm_api_modify_permission_in;

extern const ssm_operation ssm_document__op_create;
extern const ssm_operation ssm_document__op_get;
extern const ssm_operation ssm_document__op_describe;
extern const ssm_operation ssm_document__op_list;
extern const ssm_operation ssm_document__op_update;
extern const ssm_operation ssm_document__op_delete;
extern const ssm_operation ssm_document__op_update_default;
extern const ssm_operation ssm_document__op_list_versions;
extern const ssm_operation ssm_document__op_describe_permission;
extern const ssm_operation ssm_document__op_modify_permission;

/* Handlers (lib/document/store.c). */
ssm_err ssm_document__create(ssm_service_call *sc, const void *in, void *out);
ssm_err ssm_document__get(ssm_service_call *sc, const void *in, void *out);
ssm_err ssm_document__describe(ssm_service_call *sc, const void *in, void *out);
ssm_err ssm_document__list(ssm_service_call *sc, const void *in, void *out);
ssm_err ssm_document__update(ssm_service_call *sc, const void *in, void *out);
ssm_err ssm_document__delete(ssm_service_call *sc, const void *in, void *out);
ssm_err ssm_document__update_default(ssm_service_call *sc, const void *in,
				     void *out);
ssm_err ssm_document__list_versions(ssm_service_call *sc, const void *in,
				    void *out);
ssm_err ssm_document__describe_permission(ssm_service_call *sc, const void *in,
					  void *out);
ssm_err ssm_document__modify_permission(ssm_service_call *sc, const void *in,
					void *out);

/* The engine module (seeds the built-in documents at start). */
extern const ssm_engine_module ssm_document__module;

/* Documents take tags (AddTagsToResource with ResourceType Document and
 * the document's name as ResourceId). */
extern const ssm_taggable ssm_document__taggable;

#endif
