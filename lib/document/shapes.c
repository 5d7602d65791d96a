/* SPDX-License-Identifier: Apache-2.0 */
/* Shapes of the document operations: AWS wire names, and the constraints
 * of the Smithy model (ssm-2014-11-06) that ValidationException reports.
 * Patterns are anchored (the validator finds them anywhere). */
#include "document/api.h"

#define NAME_PATTERN "^[a-zA-Z0-9_\\-.]{3,128}$"
#define ARN_PATTERN "^[a-zA-Z0-9_\\-.:/]{3,128}$"
#define VERSION_PATTERN "^([$]LATEST|[$]DEFAULT|[1-9][0-9]*)$"
#define VERSION_NUMBER_PATTERN "^[1-9][0-9]*$"
#define VERSION_NAME_PATTERN "^[a-zA-Z0-9_\\-.]{1,128}$"
#define DISPLAY_NAME_PATTERN "^[\\w\\.\\-\\:\\/ ]*$"
#define TARGET_TYPE_PATTERN "^\\/[\\w\\.\\-\\:\\/]*$"
#define ACCOUNT_PATTERN "^((?i)all|[0-9]{12})$"
#define SHARED_VERSION_PATTERN "^([$]LATEST|[$]DEFAULT|[$]ALL)$"

#define N(a) (sizeof(a) / sizeof((a)[0]))
/* A lower bound alone: the validator takes {min, max} as a pair. */

static const char *const document_types[] = {
	"Command",
	"Policy",
	"Automation",
	"Session",
	"Package",
	"ApplicationConfiguration",
	"ApplicationConfigurationSchema",
	"DeploymentStrategy",
	"ChangeCalendar",
	"Automation.ChangeTemplate",
	"ProblemAnalysis",
	"ProblemAnalysisTemplate",
	"CloudFormation",
	"ConformancePackTemplate",
	"QuickSetup",
	NULL,
};

static const char *const document_formats[] = { "YAML", "JSON", "TEXT", NULL };
static const char *const attachment_keys[] = { "SourceUrl", "S3FileUrl",
					       "AttachmentReference", NULL };
static const char *const filter_keys[] = { "Name", "Owner", "PlatformTypes",
					   "DocumentType", NULL };
static const char *const permission_types[] = { "Share", NULL };

/* ---- members ------------------------------------------------------------ */

#define T ssm_api_document_parameter
static const ssm_api_field parameter_fields[] = {
	SSM_F_STRING("Name", T, name, 0, 0, 0),
	SSM_F_STRING("Type", T, type, 0, 0, 0),
	SSM_F_STRING("Description", T, description, 0, 0, 0),
	SSM_F_STRING("DefaultValue", T, default_value, 0, 0, 0),
};
#undef T
static const ssm_api_shape parameter_shape = SSM_API_SHAPE(
	"DocumentParameter", ssm_api_document_parameter, parameter_fields);

#define T ssm_api_document_requires
static const ssm_api_field requires_fields[] = {
	SSM_F_PATTERN("Name", T, name, SSM_API_F_REQUIRED, 0, 0, ARN_PATTERN),
	SSM_F_PATTERN("Version", T, version, 0, 0, 8, VERSION_PATTERN),
	SSM_F_PATTERN("RequireType", T, require_type, 0, 0, 128,
		      "^[a-zA-Z0-9_\\-.]{1,128}$"),
	SSM_F_PATTERN("VersionName", T, version_name, 0, 0, 0,
		      VERSION_NAME_PATTERN),
};
#undef T
static const ssm_api_shape requires_shape = SSM_API_SHAPE(
	"DocumentRequires", ssm_api_document_requires, requires_fields);

#define T ssm_api_attachments_source
static const ssm_api_field attachments_source_fields[] = {
	SSM_F_ENUM("Key", T, key, 0, attachment_keys),
	SSM_F_STRINGS("Values", T, values, 0, 1, 1, 1, 1024),
	SSM_F_PATTERN("Name", T, name, 0, 0, 0, NAME_PATTERN),
};
#undef T
static const ssm_api_shape attachments_source_shape =
	SSM_API_SHAPE("AttachmentsSource", ssm_api_attachments_source,
		      attachments_source_fields);

static const ssm_api_field attachment_information_fields[] = {
	SSM_F_STRING("Name", ssm_api_attachment_information, name, 0, 0, 0),
};
static const ssm_api_shape attachment_information_shape =
	SSM_API_SHAPE("AttachmentInformation", ssm_api_attachment_information,
		      attachment_information_fields);

#define T ssm_api_attachment_content
static const ssm_api_field attachment_content_fields[] = {
	SSM_F_STRING("Name", T, name, 0, 0, 0),
	SSM_F_INT("Size", T, size, 0, 0, 0),
	SSM_F_STRING("Hash", T, hash, 0, 0, 0),
	SSM_F_STRING("HashType", T, hash_type, 0, 0, 0),
	SSM_F_STRING("Url", T, url, 0, 0, 0),
};
#undef T
static const ssm_api_shape attachment_content_shape =
	SSM_API_SHAPE("AttachmentContent", ssm_api_attachment_content,
		      attachment_content_fields);

#define T ssm_api_review_information
static const ssm_api_field review_information_fields[] = {
	SSM_F_TIME("ReviewedTime", T, reviewed_time_ms, 0),
	SSM_F_STRING("Status", T, status, 0, 0, 0),
	SSM_F_STRING("Reviewer", T, reviewer, 0, 0, 0),
};
#undef T
static const ssm_api_shape review_information_shape =
	SSM_API_SHAPE("ReviewInformation", ssm_api_review_information,
		      review_information_fields);

#define T ssm_api_document_description
static const ssm_api_field description_fields[] = {
	SSM_F_STRING("Sha1", T, sha1, 0, 0, 0),
	SSM_F_STRING("Hash", T, hash, 0, 0, 0),
	SSM_F_STRING("HashType", T, hash_type, 0, 0, 0),
	SSM_F_STRING("Name", T, name, 0, 0, 0),
	SSM_F_STRING("DisplayName", T, display_name, 0, 0, 0),
	SSM_F_STRING("VersionName", T, version_name, 0, 0, 0),
	SSM_F_STRING("Owner", T, owner, 0, 0, 0),
	SSM_F_TIME("CreatedDate", T, created_ms, 0),
	SSM_F_STRING("Status", T, status, 0, 0, 0),
	SSM_F_STRING("StatusInformation", T, status_information, 0, 0, 0),
	SSM_F_STRING("DocumentVersion", T, document_version, 0, 0, 0),
	SSM_F_STRING("Description", T, description, 0, 0, 0),
	SSM_F_LIST_OF("Parameters", T, parameters, 0, 0, 0, &parameter_shape),
	SSM_F_STRINGS("PlatformTypes", T, platform_types, 0, 0, 0, 0, 0),
	SSM_F_STRING("DocumentType", T, document_type, 0, 0, 0),
	SSM_F_STRING("SchemaVersion", T, schema_version, 0, 0, 0),
	SSM_F_STRING("LatestVersion", T, latest_version, 0, 0, 0),
	SSM_F_STRING("DefaultVersion", T, default_version, 0, 0, 0),
	SSM_F_STRING("DocumentFormat", T, document_format, 0, 0, 0),
	SSM_F_STRING("TargetType", T, target_type, 0, 0, 0),
	SSM_F_LIST_OF("Tags", T, tags, 0, 0, 0, &ssm_api__tag_shape),
	SSM_F_LIST_OF("AttachmentsInformation", T, attachments_information, 0,
		      0, 0, &attachment_information_shape),
	SSM_F_LIST_OF("Requires", T, requires, 0, 0, 0, &requires_shape),
	SSM_F_STRING("Author", T, author, 0, 0, 0),
	SSM_F_LIST_OF("ReviewInformation", T, review_information, 0, 0, 0,
		      &review_information_shape),
	SSM_F_STRING("ApprovedVersion", T, approved_version, 0, 0, 0),
	SSM_F_STRING("PendingReviewVersion", T, pending_review_version, 0, 0,
		     0),
	SSM_F_STRING("ReviewStatus", T, review_status, 0, 0, 0),
	SSM_F_STRINGS("Category", T, category, 0, 0, 0, 0, 0),
	SSM_F_STRINGS("CategoryEnum", T, category_enum, 0, 0, 0, 0, 0),
};
#undef T
static const ssm_api_shape description_shape =
	SSM_API_SHAPE("DocumentDescription", ssm_api_document_description,
		      description_fields);

#define T ssm_api_document_identifier
static const ssm_api_field identifier_fields[] = {
	SSM_F_STRING("Name", T, name, 0, 0, 0),
	SSM_F_TIME("CreatedDate", T, created_ms, 0),
	SSM_F_STRING("DisplayName", T, display_name, 0, 0, 0),
	SSM_F_STRING("Owner", T, owner, 0, 0, 0),
	SSM_F_STRING("VersionName", T, version_name, 0, 0, 0),
	SSM_F_STRINGS("PlatformTypes", T, platform_types, 0, 0, 0, 0, 0),
	SSM_F_STRING("DocumentVersion", T, document_version, 0, 0, 0),
	SSM_F_STRING("DocumentType", T, document_type, 0, 0, 0),
	SSM_F_STRING("SchemaVersion", T, schema_version, 0, 0, 0),
	SSM_F_STRING("DocumentFormat", T, document_format, 0, 0, 0),
	SSM_F_STRING("TargetType", T, target_type, 0, 0, 0),
	SSM_F_LIST_OF("Tags", T, tags, 0, 0, 0, &ssm_api__tag_shape),
	SSM_F_LIST_OF("Requires", T, requires, 0, 0, 0, &requires_shape),
	SSM_F_STRING("ReviewStatus", T, review_status, 0, 0, 0),
	SSM_F_STRING("Author", T, author, 0, 0, 0),
};
#undef T
static const ssm_api_shape identifier_shape = SSM_API_SHAPE(
	"DocumentIdentifier", ssm_api_document_identifier, identifier_fields);

#define T ssm_api_document_version_info
static const ssm_api_field version_info_fields[] = {
	SSM_F_STRING("Name", T, name, 0, 0, 0),
	SSM_F_STRING("DisplayName", T, display_name, 0, 0, 0),
	SSM_F_STRING("DocumentVersion", T, document_version, 0, 0, 0),
	SSM_F_STRING("VersionName", T, version_name, 0, 0, 0),
	SSM_F_TIME("CreatedDate", T, created_ms, 0),
	SSM_F_BOOL("IsDefaultVersion", T, is_default_version, SSM_API_F_ZERO),
	SSM_F_STRING("DocumentFormat", T, document_format, 0, 0, 0),
	SSM_F_STRING("Status", T, status, 0, 0, 0),
	SSM_F_STRING("StatusInformation", T, status_information, 0, 0, 0),
	SSM_F_STRING("ReviewStatus", T, review_status, 0, 0, 0),
};
#undef T
static const ssm_api_shape version_info_shape =
	SSM_API_SHAPE("DocumentVersionInfo", ssm_api_document_version_info,
		      version_info_fields);

static const ssm_api_field filter_fields[] = {
	SSM_F_ENUM("key", ssm_api_document_filter, key, SSM_API_F_REQUIRED,
		   filter_keys),
	SSM_F_STRING("value", ssm_api_document_filter, value,
		     SSM_API_F_REQUIRED, 1, 0),
};
static const ssm_api_shape filter_shape =
	SSM_API_SHAPE("DocumentFilter", ssm_api_document_filter, filter_fields);

static const ssm_api_field kv_filter_fields[] = {
	SSM_F_STRING("Key", ssm_api_document_kv_filter, key, 0, 1, 128),
	SSM_F_STRINGS("Values", ssm_api_document_kv_filter, values, 0, 0, 0, 1,
		      256),
};
static const ssm_api_shape kv_filter_shape =
	SSM_API_SHAPE("DocumentKeyValuesFilter", ssm_api_document_kv_filter,
		      kv_filter_fields);

static const ssm_api_field sharing_info_fields[] = {
	SSM_F_STRING("AccountId", ssm_api_account_sharing_info, account_id, 0,
		     0, 0),
	SSM_F_STRING("SharedDocumentVersion", ssm_api_account_sharing_info,
		     shared_document_version, 0, 0, 0),
};
static const ssm_api_shape sharing_info_shape =
	SSM_API_SHAPE("AccountSharingInfo", ssm_api_account_sharing_info,
		      sharing_info_fields);

static const ssm_api_field empty_fields[1] = { { 0 } };
static const ssm_api_shape empty_shape = { "Empty",
					   sizeof(ssm_api_document_empty),
					   empty_fields, 0 };

/* ---- operations ---------------------------------------------------------- */

#define T ssm_api_create_document_in
static const ssm_api_field create_in_fields[] = {
	SSM_F_STRING("Content", T, content, SSM_API_F_REQUIRED, 1, 0),
	SSM_F_LIST_OF("Requires", T, requires, 0, 1, 0, &requires_shape),
	SSM_F_LIST_OF("Attachments", T, attachments, 0, 0, 20,
		      &attachments_source_shape),
	SSM_F_PATTERN("Name", T, name, SSM_API_F_REQUIRED, 0, 0, NAME_PATTERN),
	SSM_F_PATTERN("DisplayName", T, display_name, 0, 0, 1024,
		      DISPLAY_NAME_PATTERN),
	SSM_F_PATTERN("VersionName", T, version_name, 0, 0, 0,
		      VERSION_NAME_PATTERN),
	SSM_F_ENUM("DocumentType", T, document_type, 0, document_types),
	SSM_F_ENUM("DocumentFormat", T, document_format, 0, document_formats),
	SSM_F_PATTERN("TargetType", T, target_type, 0, 0, 200,
		      TARGET_TYPE_PATTERN),
	SSM_F_LIST_OF("Tags", T, tags, 0, 0, 1000, &ssm_api__tag_shape),
};
#undef T
static const ssm_api_shape create_in_shape = SSM_API_SHAPE(
	"CreateDocumentRequest", ssm_api_create_document_in, create_in_fields);

static const ssm_api_field description_out_fields[] = {
	SSM_F_STRUCT("DocumentDescription", ssm_api_document_description_out,
		     document_description, 0, &description_shape),
};
static const ssm_api_shape create_out_shape =
	SSM_API_SHAPE("CreateDocumentResult", ssm_api_document_description_out,
		      description_out_fields);
static const ssm_api_shape update_out_shape =
	SSM_API_SHAPE("UpdateDocumentResult", ssm_api_document_description_out,
		      description_out_fields);

#define T ssm_api_get_document_in
static const ssm_api_field get_in_fields[] = {
	SSM_F_PATTERN("Name", T, name, SSM_API_F_REQUIRED, 0, 0, ARN_PATTERN),
	SSM_F_PATTERN("VersionName", T, version_name, 0, 0, 0,
		      VERSION_NAME_PATTERN),
	SSM_F_PATTERN("DocumentVersion", T, document_version, 0, 0, 0,
		      VERSION_PATTERN),
	SSM_F_ENUM("DocumentFormat", T, document_format, 0, document_formats),
};
#undef T
static const ssm_api_shape get_in_shape = SSM_API_SHAPE(
	"GetDocumentRequest", ssm_api_get_document_in, get_in_fields);

#define T ssm_api_get_document_out
static const ssm_api_field get_out_fields[] = {
	SSM_F_STRING("Name", T, name, 0, 0, 0),
	SSM_F_TIME("CreatedDate", T, created_ms, 0),
	SSM_F_STRING("DisplayName", T, display_name, 0, 0, 0),
	SSM_F_STRING("VersionName", T, version_name, 0, 0, 0),
	SSM_F_STRING("DocumentVersion", T, document_version, 0, 0, 0),
	SSM_F_STRING("Status", T, status, 0, 0, 0),
	SSM_F_STRING("StatusInformation", T, status_information, 0, 0, 0),
	SSM_F_STRING("Content", T, content, 0, 0, 0),
	SSM_F_STRING("DocumentType", T, document_type, 0, 0, 0),
	SSM_F_STRING("DocumentFormat", T, document_format, 0, 0, 0),
	SSM_F_LIST_OF("Requires", T, requires, 0, 0, 0, &requires_shape),
	SSM_F_LIST_OF("AttachmentsContent", T, attachments_content, 0, 0, 0,
		      &attachment_content_shape),
	SSM_F_STRING("ReviewStatus", T, review_status, 0, 0, 0),
};
#undef T
static const ssm_api_shape get_out_shape = SSM_API_SHAPE(
	"GetDocumentResult", ssm_api_get_document_out, get_out_fields);

#define T ssm_api_describe_document_in
static const ssm_api_field describe_in_fields[] = {
	SSM_F_PATTERN("Name", T, name, SSM_API_F_REQUIRED, 0, 0, ARN_PATTERN),
	SSM_F_PATTERN("DocumentVersion", T, document_version, 0, 0, 0,
		      VERSION_PATTERN),
	SSM_F_PATTERN("VersionName", T, version_name, 0, 0, 0,
		      VERSION_NAME_PATTERN),
};
#undef T
static const ssm_api_shape describe_in_shape =
	SSM_API_SHAPE("DescribeDocumentRequest", ssm_api_describe_document_in,
		      describe_in_fields);

static const ssm_api_field describe_out_fields[] = {
	SSM_F_STRUCT("Document", ssm_api_describe_document_out, document, 0,
		     &description_shape),
};
static const ssm_api_shape describe_out_shape =
	SSM_API_SHAPE("DescribeDocumentResult", ssm_api_describe_document_out,
		      describe_out_fields);

#define T ssm_api_list_documents_in
static const ssm_api_field list_in_fields[] = {
	SSM_F_LIST_OF("DocumentFilterList", T, document_filter_list, 0, 1, 0,
		      &filter_shape),
	SSM_F_LIST_OF("Filters", T, filters, 0, 0, 6, &kv_filter_shape),
	SSM_F_INT("MaxResults", T, max_results, 0, 1, 50),
	SSM_F_STRING("NextToken", T, next_token, 0, 0, 0),
};
#undef T
static const ssm_api_shape list_in_shape = SSM_API_SHAPE(
	"ListDocumentsRequest", ssm_api_list_documents_in, list_in_fields);

#define T ssm_api_list_documents_out
static const ssm_api_field list_out_fields[] = {
	SSM_F_LIST_OF("DocumentIdentifiers", T, document_identifiers,
		      SSM_API_F_ZERO, 0, 0, &identifier_shape),
	SSM_F_STRING("NextToken", T, next_token, 0, 0, 0),
};
#undef T
static const ssm_api_shape list_out_shape = SSM_API_SHAPE(
	"ListDocumentsResult", ssm_api_list_documents_out, list_out_fields);

#define T ssm_api_update_document_in
static const ssm_api_field update_in_fields[] = {
	SSM_F_STRING("Content", T, content, SSM_API_F_REQUIRED, 1, 0),
	SSM_F_LIST_OF("Attachments", T, attachments, 0, 0, 20,
		      &attachments_source_shape),
	SSM_F_PATTERN("Name", T, name, SSM_API_F_REQUIRED, 0, 0, NAME_PATTERN),
	SSM_F_PATTERN("DisplayName", T, display_name, 0, 0, 1024,
		      DISPLAY_NAME_PATTERN),
	SSM_F_PATTERN("VersionName", T, version_name, 0, 0, 0,
		      VERSION_NAME_PATTERN),
	SSM_F_PATTERN("DocumentVersion", T, document_version, 0, 0, 0,
		      VERSION_PATTERN),
	SSM_F_ENUM("DocumentFormat", T, document_format, 0, document_formats),
	SSM_F_PATTERN("TargetType", T, target_type, 0, 0, 200,
		      TARGET_TYPE_PATTERN),
};
#undef T
static const ssm_api_shape update_in_shape = SSM_API_SHAPE(
	"UpdateDocumentRequest", ssm_api_update_document_in, update_in_fields);

#define T ssm_api_delete_document_in
static const ssm_api_field delete_in_fields[] = {
	SSM_F_PATTERN("Name", T, name, SSM_API_F_REQUIRED, 0, 0, NAME_PATTERN),
	SSM_F_PATTERN("DocumentVersion", T, document_version, 0, 0, 0,
		      VERSION_PATTERN),
	SSM_F_PATTERN("VersionName", T, version_name, 0, 0, 0,
		      VERSION_NAME_PATTERN),
	SSM_F_BOOL("Force", T, force, 0),
};
#undef T
static const ssm_api_shape delete_in_shape = SSM_API_SHAPE(
	"DeleteDocumentRequest", ssm_api_delete_document_in, delete_in_fields);

#define T ssm_api_update_default_in
static const ssm_api_field update_default_in_fields[] = {
	SSM_F_PATTERN("Name", T, name, SSM_API_F_REQUIRED, 0, 0, NAME_PATTERN),
	SSM_F_PATTERN("DocumentVersion", T, document_version,
		      SSM_API_F_REQUIRED, 0, 0, VERSION_NUMBER_PATTERN),
};
#undef T
static const ssm_api_shape update_default_in_shape =
	SSM_API_SHAPE("UpdateDocumentDefaultVersionRequest",
		      ssm_api_update_default_in, update_default_in_fields);

#define T ssm_api_default_version_description
static const ssm_api_field default_description_fields[] = {
	SSM_F_STRING("Name", T, name, 0, 0, 0),
	SSM_F_STRING("DefaultVersion", T, default_version, 0, 0, 0),
	SSM_F_STRING("DefaultVersionName", T, default_version_name, 0, 0, 0),
};
#undef T
static const ssm_api_shape default_description_shape = SSM_API_SHAPE(
	"DocumentDefaultVersionDescription",
	ssm_api_default_version_description, default_description_fields);

static const ssm_api_field update_default_out_fields[] = {
	SSM_F_STRUCT("Description", ssm_api_update_default_out, description, 0,
		     &default_description_shape),
};
static const ssm_api_shape update_default_out_shape =
	SSM_API_SHAPE("UpdateDocumentDefaultVersionResult",
		      ssm_api_update_default_out, update_default_out_fields);

#define T ssm_api_list_versions_in
static const ssm_api_field list_versions_in_fields[] = {
	SSM_F_PATTERN("Name", T, name, SSM_API_F_REQUIRED, 0, 0, ARN_PATTERN),
	SSM_F_INT("MaxResults", T, max_results, 0, 1, 50),
	SSM_F_STRING("NextToken", T, next_token, 0, 0, 0),
};
#undef T
static const ssm_api_shape list_versions_in_shape =
	SSM_API_SHAPE("ListDocumentVersionsRequest", ssm_api_list_versions_in,
		      list_versions_in_fields);

#define T ssm_api_list_versions_out
static const ssm_api_field list_versions_out_fields[] = {
	SSM_F_LIST_OF("DocumentVersions", T, document_versions, SSM_API_F_ZERO,
		      0, 0, &version_info_shape),
	SSM_F_STRING("NextToken", T, next_token, 0, 0, 0),
};
#undef T
static const ssm_api_shape list_versions_out_shape =
	SSM_API_SHAPE("ListDocumentVersionsResult", ssm_api_list_versions_out,
		      list_versions_out_fields);

#define T ssm_api_describe_permission_in
static const ssm_api_field describe_permission_in_fields[] = {
	SSM_F_PATTERN("Name", T, name, SSM_API_F_REQUIRED, 0, 0, NAME_PATTERN),
	SSM_F_ENUM("PermissionType", T, permission_type, SSM_API_F_REQUIRED,
		   permission_types),
	SSM_F_INT("MaxResults", T, max_results, 0, 1, 200),
	SSM_F_STRING("NextToken", T, next_token, 0, 0, 0),
};
#undef T
static const ssm_api_shape describe_permission_in_shape = SSM_API_SHAPE(
	"DescribeDocumentPermissionRequest", ssm_api_describe_permission_in,
	describe_permission_in_fields);

#define T ssm_api_describe_permission_out
static const ssm_api_field describe_permission_out_fields[] = {
	SSM_F_STRINGS("AccountIds", T, account_ids, SSM_API_F_ZERO, 0, 0, 0, 0),
	SSM_F_LIST_OF("AccountSharingInfoList", T, account_sharing_info_list,
		      SSM_API_F_ZERO, 0, 0, &sharing_info_shape),
	SSM_F_STRING("NextToken", T, next_token, 0, 0, 0),
};
#undef T
static const ssm_api_shape describe_permission_out_shape = SSM_API_SHAPE(
	"DescribeDocumentPermissionResponse", ssm_api_describe_permission_out,
	describe_permission_out_fields);

#define T ssm_api_modify_permission_in
static const ssm_api_field modify_permission_in_fields[] = {
	SSM_F_PATTERN("Name", T, name, SSM_API_F_REQUIRED, 0, 0, NAME_PATTERN),
	SSM_F_ENUM("PermissionType", T, permission_type, SSM_API_F_REQUIRED,
		   permission_types),
	{ .name = "AccountIdsToAdd",
	  .type = SSM_API_LIST,
	  .offset = offsetof(T, account_ids_to_add),
	  .elem = SSM_API_STRING,
	  .min = 0,
	  .max = 20,
	  .pattern = ACCOUNT_PATTERN },
	{ .name = "AccountIdsToRemove",
	  .type = SSM_API_LIST,
	  .offset = offsetof(T, account_ids_to_remove),
	  .elem = SSM_API_STRING,
	  .min = 0,
	  .max = 20,
	  .pattern = ACCOUNT_PATTERN },
	SSM_F_PATTERN("SharedDocumentVersion", T, shared_document_version, 0, 0,
		      8, SHARED_VERSION_PATTERN),
};
#undef T
static const ssm_api_shape modify_permission_in_shape = SSM_API_SHAPE(
	"ModifyDocumentPermissionRequest", ssm_api_modify_permission_in,
	modify_permission_in_fields);

const ssm_operation ssm_document__op_create = {
	"CreateDocument",
	&create_in_shape,
	&create_out_shape,
	ssm_document__create,
	0,
};
const ssm_operation ssm_document__op_get = {
	"GetDocument",	   &get_in_shape,     &get_out_shape,
	ssm_document__get, SSM_OP_IDEMPOTENT,
};
const ssm_operation ssm_document__op_describe = {
	"DescribeDocument",	&describe_in_shape, &describe_out_shape,
	ssm_document__describe, SSM_OP_IDEMPOTENT,
};
const ssm_operation ssm_document__op_list = {
	"ListDocuments",    &list_in_shape,    &list_out_shape,
	ssm_document__list, SSM_OP_IDEMPOTENT,
};
const ssm_operation ssm_document__op_update = {
	"UpdateDocument",
	&update_in_shape,
	&update_out_shape,
	ssm_document__update,
	0,
};
const ssm_operation ssm_document__op_delete = {
	"DeleteDocument",
	&delete_in_shape,
	&empty_shape,
	ssm_document__delete,
	0,
};
const ssm_operation ssm_document__op_update_default = {
	"UpdateDocumentDefaultVersion",
	&update_default_in_shape,
	&update_default_out_shape,
	ssm_document__update_default,
	SSM_OP_IDEMPOTENT,
};
const ssm_operation ssm_document__op_list_versions = {
	"ListDocumentVersions",	  &list_versions_in_shape,
	&list_versions_out_shape, ssm_document__list_versions,
	SSM_OP_IDEMPOTENT,
};
const ssm_operation ssm_document__op_describe_permission = {
	"DescribeDocumentPermission",
	&describe_permission_in_shape,
	&describe_permission_out_shape,
	ssm_document__describe_permission,
	SSM_OP_IDEMPOTENT,
};
const ssm_operation ssm_document__op_modify_permission = {
	"ModifyDocumentPermission",
	&modify_permission_in_shape,
	&empty_shape,
	ssm_document__modify_permission,
	SSM_OP_IDEMPOTENT,
};

static const ssm_operation *const ops[] = {
	&ssm_document__op_create,
	&ssm_document__op_get,
	&ssm_document__op_describe,
	&ssm_document__op_list,
	&ssm_document__op_update,
	&ssm_document__op_delete,
	&ssm_document__op_update_default,
	&ssm_document__op_list_versions,
	&ssm_document__op_describe_permission,
	&ssm_document__op_modify_permission,
	NULL,
};

ssm_err ssm_document__start(ssm_service *svc);
void ssm_document__stop(ssm_service *svc);

const ssm_engine_module ssm_document__module = {
	"document",
	ssm_document__start,
	ssm_document__stop,
	ops,
};
