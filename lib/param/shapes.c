/* SPDX-License-Identifier: Apache-2.0 */
/* Shapes and operations of the Parameter Store, with the wire names and
 * constraints of the AWS model (spec §3, §4.5). */
#include "param/param.h"

#define NAME_MAX_LEN 2048
#define NO_MAX INT32_MAX

static const char *const param_types[] = { "SecureString", "StringList",
					   "String", NULL };
static const char *const param_tiers[] = { "Standard", "Advanced",
					   "Intelligent-Tiering", NULL };
static const char *const params_filter_keys[] = { "Name", "Type", "KeyId",
						  NULL };

/* ---- members of responses ------------------------------------------------ */

static const ssm_api_field policy_fields[] = {
	SSM_F_STRING("PolicyText", ssm_api_policy, policy_text, 0, 0, 0),
	SSM_F_STRING("PolicyType", ssm_api_policy, policy_type, 0, 0, 0),
	SSM_F_STRING("PolicyStatus", ssm_api_policy, policy_status, 0, 0, 0),
};
static const ssm_api_shape policy_shape =
	SSM_API_SHAPE("ParameterInlinePolicy", ssm_api_policy, policy_fields);

#define P ssm_api_parameter
static const ssm_api_field parameter_fields[] = {
	SSM_F_STRING("Name", P, name, 0, 0, 0),
	SSM_F_STRING("Type", P, type, 0, 0, 0),
	SSM_F_STRING("Value", P, value, SSM_API_F_SENSITIVE, 0, 0),
	SSM_F_INT("Version", P, version, 0, 0, 0),
	SSM_F_STRING("Selector", P, selector, 0, 0, 0),
	SSM_F_STRING("SourceResult", P, source_result, 0, 0, 0),
	SSM_F_TIME("LastModifiedDate", P, last_modified_ms, 0),
	SSM_F_STRING("ARN", P, arn, 0, 0, 0),
	SSM_F_STRING("DataType", P, data_type, 0, 0, 0),
};
static const ssm_api_shape parameter_shape =
	SSM_API_SHAPE("Parameter", P, parameter_fields);

static const ssm_api_field metadata_fields[] = {
	SSM_F_STRING("Name", P, name, 0, 0, 0),
	SSM_F_STRING("ARN", P, arn, 0, 0, 0),
	SSM_F_STRING("Type", P, type, 0, 0, 0),
	SSM_F_STRING("KeyId", P, key_id, 0, 0, 0),
	SSM_F_TIME("LastModifiedDate", P, last_modified_ms, 0),
	SSM_F_STRING("LastModifiedUser", P, last_modified_user, 0, 0, 0),
	SSM_F_STRING("Description", P, description, 0, 0, 0),
	SSM_F_STRING("AllowedPattern", P, allowed_pattern, 0, 0, 0),
	SSM_F_INT("Version", P, version, 0, 0, 0),
	SSM_F_STRING("Tier", P, tier, 0, 0, 0),
	SSM_F_LIST_OF("Policies", P, policies, 0, 0, 0, &policy_shape),
	SSM_F_STRING("DataType", P, data_type, 0, 0, 0),
};
static const ssm_api_shape metadata_shape =
	SSM_API_SHAPE("ParameterMetadata", P, metadata_fields);

static const ssm_api_field history_fields[] = {
	SSM_F_STRING("Name", P, name, 0, 0, 0),
	SSM_F_STRING("Type", P, type, 0, 0, 0),
	SSM_F_STRING("KeyId", P, key_id, 0, 0, 0),
	SSM_F_TIME("LastModifiedDate", P, last_modified_ms, 0),
	SSM_F_STRING("LastModifiedUser", P, last_modified_user, 0, 0, 0),
	SSM_F_STRING("Description", P, description, 0, 0, 0),
	SSM_F_STRING("Value", P, value, SSM_API_F_SENSITIVE, 0, 0),
	SSM_F_STRING("AllowedPattern", P, allowed_pattern, 0, 0, 0),
	SSM_F_INT("Version", P, version, 0, 0, 0),
	/* AWS lists both, empty when there are none */
	SSM_F_STRINGS("Labels", P, labels, SSM_API_F_ZERO, 0, 0, 0, 0),
	SSM_F_STRING("Tier", P, tier, 0, 0, 0),
	SSM_F_LIST_OF("Policies", P, policies, SSM_API_F_ZERO, 0, 0,
		      &policy_shape),
	SSM_F_STRING("DataType", P, data_type, 0, 0, 0),
};
static const ssm_api_shape history_shape =
	SSM_API_SHAPE("ParameterHistory", P, history_fields);
#undef P

/* ---- filters ------------------------------------------------------------- */

#define F ssm_api_param_filter
static const ssm_api_field param_filter_fields[] = {
	SSM_F_PATTERN("Key", F, key, SSM_API_F_REQUIRED, 1, 132,
		      "tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType"),
	SSM_F_STRING("Option", F, option, 0, 1, 10),
	SSM_F_STRINGS("Values", F, values, 0, 1, 50, 1, 1024),
};
static const ssm_api_shape param_filter_shape =
	SSM_API_SHAPE("ParameterStringFilter", F, param_filter_fields);
#undef F

#define F ssm_api_params_filter
static const ssm_api_field params_filter_fields[] = {
	SSM_F_ENUM("Key", F, key, SSM_API_F_REQUIRED, params_filter_keys),
	SSM_F_STRINGS("Values", F, values, SSM_API_F_REQUIRED, 1, 50, 1, 1024),
};
static const ssm_api_shape params_filter_shape =
	SSM_API_SHAPE("ParametersFilter", F, params_filter_fields);
#undef F

/* ---- PutParameter -------------------------------------------------------- */

#define T ssm_api_put_parameter_in
static const ssm_api_field put_in_fields[] = {
	SSM_F_STRING("Name", T, name, SSM_API_F_REQUIRED, 1, NAME_MAX_LEN),
	SSM_F_STRING("Description", T, description, 0, 0, 1024),
	SSM_F_STRING("Value", T, value,
		     SSM_API_F_REQUIRED | SSM_API_F_SENSITIVE, 1, NO_MAX),
	SSM_F_ENUM("Type", T, type, 0, param_types),
	SSM_F_PATTERN("KeyId", T, key_id, 0, 1, 256, "^([a-zA-Z0-9:/_-]+)$"),
	SSM_F_BOOL("Overwrite", T, overwrite, 0),
	SSM_F_STRING("AllowedPattern", T, allowed_pattern, 0, 0, 1024),
	SSM_F_LIST_OF("Tags", T, tags, 0, 0, 1000, &ssm_api__tag_shape),
	SSM_F_ENUM("Tier", T, tier, 0, param_tiers),
	SSM_F_STRING("Policies", T, policies, 0, 1, 4096),
	SSM_F_STRING("DataType", T, data_type, 0, 0, 128),
};
static const ssm_api_shape put_in_shape =
	SSM_API_SHAPE("PutParameterRequest", T, put_in_fields);
#undef T

#define T ssm_api_put_parameter_out
static const ssm_api_field put_out_fields[] = {
	SSM_F_INT("Version", T, version, SSM_API_F_ZERO, 0, 0),
	SSM_F_STRING("Tier", T, tier, 0, 0, 0),
};
static const ssm_api_shape put_out_shape =
	SSM_API_SHAPE("PutParameterResult", T, put_out_fields);
#undef T

const ssm_operation ssm_param__op_put = {
	"PutParameter", &put_in_shape, &put_out_shape, param_op_put, 0,
};

/* ---- GetParameter -------------------------------------------------------- */

#define T ssm_api_get_parameter_in
static const ssm_api_field get_in_fields[] = {
	SSM_F_STRING("Name", T, name, SSM_API_F_REQUIRED, 1, NAME_MAX_LEN),
	SSM_F_BOOL("WithDecryption", T, with_decryption, 0),
};
static const ssm_api_shape get_in_shape =
	SSM_API_SHAPE("GetParameterRequest", T, get_in_fields);
#undef T

#define T ssm_api_get_parameter_out
static const ssm_api_field get_out_fields[] = {
	SSM_F_STRUCT("Parameter", T, parameter, 0, &parameter_shape),
};
static const ssm_api_shape get_out_shape =
	SSM_API_SHAPE("GetParameterResult", T, get_out_fields);
#undef T

const ssm_operation ssm_param__op_get = {
	"GetParameter", &get_in_shape,	   &get_out_shape,
	param_op_get,	SSM_OP_IDEMPOTENT,
};

/* ---- GetParameters ------------------------------------------------------- */

#define T ssm_api_get_parameters_in
static const ssm_api_field get_many_in_fields[] = {
	SSM_F_STRINGS("Names", T, names, SSM_API_F_REQUIRED, 1, 10, 1,
		      NAME_MAX_LEN),
	SSM_F_BOOL("WithDecryption", T, with_decryption, 0),
};
static const ssm_api_shape get_many_in_shape =
	SSM_API_SHAPE("GetParametersRequest", T, get_many_in_fields);
#undef T

#define T ssm_api_get_parameters_out
static const ssm_api_field get_many_out_fields[] = {
	SSM_F_LIST_OF("Parameters", T, parameters, SSM_API_F_ZERO, 0, 0,
		      &parameter_shape),
	SSM_F_STRINGS("InvalidParameters", T, invalid_parameters,
		      SSM_API_F_ZERO, 0, 0, 0, 0),
};
static const ssm_api_shape get_many_out_shape =
	SSM_API_SHAPE("GetParametersResult", T, get_many_out_fields);
#undef T

const ssm_operation ssm_param__op_get_many = {
	"GetParameters",   &get_many_in_shape, &get_many_out_shape,
	param_op_get_many, SSM_OP_IDEMPOTENT,
};

/* ---- GetParametersByPath ------------------------------------------------- */

#define T ssm_api_get_by_path_in
static const ssm_api_field by_path_in_fields[] = {
	SSM_F_STRING("Path", T, path, SSM_API_F_REQUIRED, 1, NAME_MAX_LEN),
	SSM_F_BOOL("Recursive", T, recursive, 0),
	SSM_F_LIST_OF("ParameterFilters", T, parameter_filters, 0, 0, 0,
		      &param_filter_shape),
	SSM_F_BOOL("WithDecryption", T, with_decryption, 0),
	SSM_F_INT("MaxResults", T, max_results, 0, 1, 10),
	SSM_F_STRING("NextToken", T, next_token, 0, 0, 0),
};
static const ssm_api_shape by_path_in_shape =
	SSM_API_SHAPE("GetParametersByPathRequest", T, by_path_in_fields);
#undef T

#define T ssm_api_params_page_out
static const ssm_api_field by_path_out_fields[] = {
	SSM_F_LIST_OF("Parameters", T, parameters, SSM_API_F_ZERO, 0, 0,
		      &parameter_shape),
	SSM_F_STRING("NextToken", T, next_token, 0, 0, 0),
};
static const ssm_api_shape by_path_out_shape =
	SSM_API_SHAPE("GetParametersByPathResult", T, by_path_out_fields);

static const ssm_api_field describe_out_fields[] = {
	SSM_F_LIST_OF("Parameters", T, parameters, SSM_API_F_ZERO, 0, 0,
		      &metadata_shape),
	SSM_F_STRING("NextToken", T, next_token, 0, 0, 0),
};
static const ssm_api_shape describe_out_shape =
	SSM_API_SHAPE("DescribeParametersResult", T, describe_out_fields);

static const ssm_api_field history_out_fields[] = {
	SSM_F_LIST_OF("Parameters", T, parameters, SSM_API_F_ZERO, 0, 0,
		      &history_shape),
	SSM_F_STRING("NextToken", T, next_token, 0, 0, 0),
};
static const ssm_api_shape history_out_shape =
	SSM_API_SHAPE("GetParameterHistoryResult", T, history_out_fields);
#undef T

const ssm_operation ssm_param__op_get_by_path = {
	"GetParametersByPath", &by_path_in_shape, &by_path_out_shape,
	param_op_get_by_path,  SSM_OP_IDEMPOTENT,
};

/* ---- DescribeParameters -------------------------------------------------- */

#define T ssm_api_describe_in
static const ssm_api_field describe_in_fields[] = {
	SSM_F_LIST_OF("Filters", T, filters, 0, 0, 0, &params_filter_shape),
	SSM_F_LIST_OF("ParameterFilters", T, parameter_filters, 0, 0, 0,
		      &param_filter_shape),
	SSM_F_INT("MaxResults", T, max_results, 0, 1, 50),
	SSM_F_STRING("NextToken", T, next_token, 0, 0, 0),
	SSM_F_BOOL("Shared", T, shared, 0),
};
static const ssm_api_shape describe_in_shape =
	SSM_API_SHAPE("DescribeParametersRequest", T, describe_in_fields);
#undef T

const ssm_operation ssm_param__op_describe = {
	"DescribeParameters", &describe_in_shape, &describe_out_shape,
	param_op_describe,    SSM_OP_IDEMPOTENT,
};

/* ---- GetParameterHistory ------------------------------------------------- */

#define T ssm_api_history_in
static const ssm_api_field history_in_fields[] = {
	SSM_F_STRING("Name", T, name, SSM_API_F_REQUIRED, 1, NAME_MAX_LEN),
	SSM_F_BOOL("WithDecryption", T, with_decryption, 0),
	SSM_F_INT("MaxResults", T, max_results, 0, 1, 50),
	SSM_F_STRING("NextToken", T, next_token, 0, 0, 0),
};
static const ssm_api_shape history_in_shape =
	SSM_API_SHAPE("GetParameterHistoryRequest", T, history_in_fields);
#undef T

const ssm_operation ssm_param__op_history = {
	"GetParameterHistory", &history_in_shape, &history_out_shape,
	param_op_history,      SSM_OP_IDEMPOTENT,
};

/* ---- DeleteParameter(s) -------------------------------------------------- */

#define T ssm_api_delete_parameter_in
static const ssm_api_field delete_in_fields[] = {
	SSM_F_STRING("Name", T, name, SSM_API_F_REQUIRED, 1, NAME_MAX_LEN),
};
static const ssm_api_shape delete_in_shape =
	SSM_API_SHAPE("DeleteParameterRequest", T, delete_in_fields);
#undef T

const ssm_operation ssm_param__op_delete = {
	"DeleteParameter",
	&delete_in_shape,
	&ssm_api__empty_shape,
	param_op_delete,
	0,
};

#define T ssm_api_delete_parameters_in
static const ssm_api_field delete_many_in_fields[] = {
	SSM_F_STRINGS("Names", T, names, SSM_API_F_REQUIRED, 1, 10, 1,
		      NAME_MAX_LEN),
};
static const ssm_api_shape delete_many_in_shape =
	SSM_API_SHAPE("DeleteParametersRequest", T, delete_many_in_fields);
#undef T

#define T ssm_api_delete_parameters_out
static const ssm_api_field delete_many_out_fields[] = {
	SSM_F_STRINGS("DeletedParameters", T, deleted_parameters,
		      SSM_API_F_ZERO, 0, 0, 0, 0),
	SSM_F_STRINGS("InvalidParameters", T, invalid_parameters,
		      SSM_API_F_ZERO, 0, 0, 0, 0),
};
static const ssm_api_shape delete_many_out_shape =
	SSM_API_SHAPE("DeleteParametersResult", T, delete_many_out_fields);
#undef T

const ssm_operation ssm_param__op_delete_many = {
	"DeleteParameters",
	&delete_many_in_shape,
	&delete_many_out_shape,
	param_op_delete_many,
	0,
};

/* ---- Label / UnlabelParameterVersion ------------------------------------- */

#define T ssm_api_label_in
static const ssm_api_field label_in_fields[] = {
	SSM_F_STRING("Name", T, name, SSM_API_F_REQUIRED, 1, NAME_MAX_LEN),
	SSM_F_INT("ParameterVersion", T, parameter_version, 0, 0, 0),
	SSM_F_STRINGS("Labels", T, labels, SSM_API_F_REQUIRED, 1, 10, 1, 100),
};
static const ssm_api_shape label_in_shape =
	SSM_API_SHAPE("LabelParameterVersionRequest", T, label_in_fields);

static const ssm_api_field unlabel_in_fields[] = {
	SSM_F_STRING("Name", T, name, SSM_API_F_REQUIRED, 1, NAME_MAX_LEN),
	SSM_F_INT("ParameterVersion", T, parameter_version, SSM_API_F_REQUIRED,
		  0, 0),
	SSM_F_STRINGS("Labels", T, labels, SSM_API_F_REQUIRED, 1, 10, 1, 100),
};
static const ssm_api_shape unlabel_in_shape =
	SSM_API_SHAPE("UnlabelParameterVersionRequest", T, unlabel_in_fields);
#undef T

#define T ssm_api_label_out
static const ssm_api_field label_out_fields[] = {
	SSM_F_STRINGS("InvalidLabels", T, invalid_labels, SSM_API_F_ZERO, 0, 0,
		      0, 0),
	SSM_F_INT("ParameterVersion", T, parameter_version, 0, 0, 0),
};
static const ssm_api_shape label_out_shape =
	SSM_API_SHAPE("LabelParameterVersionResult", T, label_out_fields);
#undef T

#define T ssm_api_unlabel_out
static const ssm_api_field unlabel_out_fields[] = {
	SSM_F_STRINGS("RemovedLabels", T, removed_labels, SSM_API_F_ZERO, 0, 0,
		      0, 0),
	SSM_F_STRINGS("InvalidLabels", T, invalid_labels, SSM_API_F_ZERO, 0, 0,
		      0, 0),
};
static const ssm_api_shape unlabel_out_shape =
	SSM_API_SHAPE("UnlabelParameterVersionResult", T, unlabel_out_fields);
#undef T

const ssm_operation ssm_param__op_label = {
	"LabelParameterVersion",
	&label_in_shape,
	&label_out_shape,
	param_op_label,
	0,
};

const ssm_operation ssm_param__op_unlabel = {
	"UnlabelParameterVersion",
	&unlabel_in_shape,
	&unlabel_out_shape,
	param_op_unlabel,
	0,
};
