/* SPDX-License-Identifier: Apache-2.0 */
/* Request and response structs of the Parameter Store operations, described
 * by shapes with their AWS wire names and constraints (lib/param/shapes.c).
 * The engine's handlers and the public functions (lib/param/client.c) share
 * them; the JSON codec reads the same shapes. */
#ifndef SSM_PARAM_API_H
#define SSM_PARAM_API_H

#include "api/op.h"
#include "api/tags.h"

/* ParameterInlinePolicy */
typedef struct ssm_api_policy {
	char *policy_text;
	char *policy_type;
	char *policy_status;
} ssm_api_policy;

/* Parameter, ParameterMetadata and ParameterHistory share one struct; each
 * shape lists the members its wire form has. */
typedef struct ssm_api_parameter {
	char *name;
	char *type;
	char *value;
	int64_t version;
	char *selector;
	char *source_result;
	int64_t last_modified_ms;
	char *arn;
	char *data_type;
	char *key_id;
	char *last_modified_user;
	char *description;
	char *allowed_pattern;
	ssm_api_list labels; /* char * */
	char *tier;
	ssm_api_list policies; /* ssm_api_policy */
} ssm_api_parameter;

/* ParameterStringFilter */
typedef struct ssm_api_param_filter {
	char *key;
	char *option;
	ssm_api_list values; /* char * */
} ssm_api_param_filter;

/* ParametersFilter (deprecated form of DescribeParameters) */
typedef struct ssm_api_params_filter {
	char *key;
	ssm_api_list values; /* char * */
} ssm_api_params_filter;

typedef struct ssm_api_put_parameter_in {
	char *name;
	char *description;
	char *value;
	char *type;
	char *key_id;
	bool overwrite;
	char *allowed_pattern;
	ssm_api_list tags; /* ssm_api_tag */
	char *tier;
	char *policies;
	char *data_type;
} ssm_api_put_parameter_in;

typedef struct ssm_api_put_parameter_out {
	int64_t version;
	char *tier;
} ssm_api_put_parameter_out;

typedef struct ssm_api_get_parameter_in {
	char *name;
	bool with_decryption;
} ssm_api_get_parameter_in;

typedef struct ssm_api_get_parameter_out {
	ssm_api_parameter *parameter;
} ssm_api_get_parameter_out;

typedef struct ssm_api_get_parameters_in {
	ssm_api_list names; /* char * */
	bool with_decryption;
} ssm_api_get_parameters_in;

typedef struct ssm_api_get_parameters_out {
	ssm_api_list parameters;	 /* ssm_api_parameter */
	ssm_api_list invalid_parameters; /* char * */
} ssm_api_get_parameters_out;

typedef struct ssm_api_get_by_path_in {
	char *path;
	bool recursive;
	ssm_api_list parameter_filters; /* ssm_api_param_filter */
	bool with_decryption;
	int64_t max_results;
	char *next_token;
} ssm_api_get_by_path_in;

typedef struct ssm_api_params_page_out {
	ssm_api_list parameters; /* ssm_api_parameter */
	char *next_token;
} ssm_api_params_page_out;

typedef struct ssm_api_describe_in {
	ssm_api_list filters;		/* ssm_api_params_filter */
	ssm_api_list parameter_filters; /* ssm_api_param_filter */
	int64_t max_results;
	char *next_token;
	bool shared;
} ssm_api_describe_in;

typedef struct ssm_api_history_in {
	char *name;
	bool with_decryption;
	int64_t max_results;
	char *next_token;
} ssm_api_history_in;

typedef struct ssm_api_delete_parameter_in {
	char *name;
} ssm_api_delete_parameter_in;

typedef struct ssm_api_delete_parameters_in {
	ssm_api_list names; /* char * */
} ssm_api_delete_parameters_in;

typedef struct ssm_api_delete_parameters_out {
	ssm_api_list deleted_parameters; /* char * */
	ssm_api_list invalid_parameters; /* char * */
} ssm_api_delete_parameters_out;

typedef struct ssm_api_label_in {
	char *name;
	int64_t parameter_version;
	ssm_api_list labels; /* char * */
} ssm_api_label_in;

typedef struct ssm_api_label_out {
	ssm_api_list invalid_labels; /* char * */
	int64_t parameter_version;
} ssm_api_label_out;

typedef struct ssm_api_unlabel_out {
	ssm_api_list removed_labels; /* char * */
	ssm_api_list invalid_labels; /* char * */
} ssm_api_unlabel_out;

extern const ssm_operation ssm_param__op_put;
extern const ssm_operation ssm_param__op_get;
extern const ssm_operation ssm_param__op_get_many;
extern const ssm_operation ssm_param__op_get_by_path;
extern const ssm_operation ssm_param__op_describe;
extern const ssm_operation ssm_param__op_history;
extern const ssm_operation ssm_param__op_delete;
extern const ssm_operation ssm_param__op_delete_many;
extern const ssm_operation ssm_param__op_label;
extern const ssm_operation ssm_param__op_unlabel;

#endif
