/* SPDX-License-Identifier: Apache-2.0 */
/* The plugins Command documents may use and the actions of Automation
 * runbooks: their inputs (checked at create time), the platforms they run
 * on (PlatformTypes), and where {{ssm-secure:...}} may appear (spec 1.9,
 * 1.7). Plugins marked open take inputs beyond their table unchecked. */
#include <string.h>

#include "document/doc.h"

#define LINUX SSM_DOCUMENT_PLATFORM_BIT(SSM_DOCUMENT_LINUX)
#define WINDOWS SSM_DOCUMENT_PLATFORM_BIT(SSM_DOCUMENT_WINDOWS)
#define MACOS SSM_DOCUMENT_PLATFORM_BIT(SSM_DOCUMENT_MACOS)
#define ALL (LINUX | WINDOWS | MACOS)

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Inputs every Command plugin takes (agent >= 3.0.502). */
#define SHARED_INPUTS                                      \
	{ "onFailure", SSM_DOC_IN_STRING, false },         \
		{ "onSuccess", SSM_DOC_IN_STRING, false }, \
	{                                                  \
		"finallyStep", SSM_DOC_IN_BOOL, false      \
	}

static const ssm_doc_input run_script[] = {
	{ "runCommand", SSM_DOC_IN_STRINGS, true },
	{ "workingDirectory", SSM_DOC_IN_STRING, false },
	{ "timeoutSeconds", SSM_DOC_IN_SCALAR, false },
	{ "id", SSM_DOC_IN_STRING, false },
	SHARED_INPUTS,
};

static const ssm_doc_input run_document[] = {
	{ "documentType", SSM_DOC_IN_STRING, true },
	{ "documentPath", SSM_DOC_IN_STRING, true },
	{ "documentParameters", SSM_DOC_IN_MAP_OR_STRING, false },
	{ "timeoutSeconds", SSM_DOC_IN_SCALAR, false },
	SHARED_INPUTS,
};

static const ssm_doc_input download_content[] = {
	{ "sourceType", SSM_DOC_IN_STRING, true },
	{ "sourceInfo", SSM_DOC_IN_MAP_OR_STRING, true },
	{ "destinationPath", SSM_DOC_IN_STRING, false },
	{ "timeoutSeconds", SSM_DOC_IN_SCALAR, false },
	SHARED_INPUTS,
};

static const ssm_doc_input configure_package[] = {
	{ "name", SSM_DOC_IN_STRING, true },
	{ "action", SSM_DOC_IN_STRING, true },
	{ "installationType", SSM_DOC_IN_STRING, false },
	{ "version", SSM_DOC_IN_STRING, false },
	{ "additionalArguments", SSM_DOC_IN_MAP_OR_STRING, false },
	{ "timeoutSeconds", SSM_DOC_IN_SCALAR, false },
	SHARED_INPUTS,
};

static const ssm_doc_input software_inventory[] = {
	{ "applications", SSM_DOC_IN_STRING, false },
	{ "awsComponents", SSM_DOC_IN_STRING, false },
	{ "files", SSM_DOC_IN_STRING, false },
	{ "networkConfig", SSM_DOC_IN_STRING, false },
	{ "services", SSM_DOC_IN_STRING, false },
	{ "windowsRoles", SSM_DOC_IN_STRING, false },
	{ "windowsRegistry", SSM_DOC_IN_STRING, false },
	{ "windowsUpdates", SSM_DOC_IN_STRING, false },
	{ "instanceDetailedInformation", SSM_DOC_IN_STRING, false },
	{ "billingInfo", SSM_DOC_IN_STRING, false },
	{ "customInventory", SSM_DOC_IN_STRING, false },
	SHARED_INPUTS,
};

static const ssm_doc_input update_agent[] = {
	{ "agentName", SSM_DOC_IN_STRING, false },
	{ "source", SSM_DOC_IN_STRING, false },
	{ "allowDowngrade", SSM_DOC_IN_BOOL, false },
	{ "targetVersion", SSM_DOC_IN_STRING, false },
	SHARED_INPUTS,
};

/* libssm's native patch plugin: AWS-RunPatchBaseline's parameters. */
static const ssm_doc_input run_patch_baseline[] = {
	{ "Operation", SSM_DOC_IN_STRING, true },
	{ "SnapshotId", SSM_DOC_IN_STRING, false },
	{ "InstallOverrideList", SSM_DOC_IN_STRING, false },
	{ "RebootOption", SSM_DOC_IN_STRING, false },
	{ "BaselineOverride", SSM_DOC_IN_STRING, false },
	{ "AssociationId", SSM_DOC_IN_STRING, false },
	{ "timeoutSeconds", SSM_DOC_IN_SCALAR, false },
	SHARED_INPUTS,
};

static const ssm_doc_input shared_only[] = {
	SHARED_INPUTS,
};

/* ---- Automation actions -------------------------------------------------- */

static const ssm_doc_input a_execute_script[] = {
	{ "Runtime", SSM_DOC_IN_STRING, true },
	{ "Handler", SSM_DOC_IN_STRING, false },
	{ "InputPayload", SSM_DOC_IN_MAP, false },
	{ "Script", SSM_DOC_IN_STRING, false },
	{ "Attachment", SSM_DOC_IN_STRING, false },
};

static const ssm_doc_input a_sleep[] = {
	{ "Duration", SSM_DOC_IN_STRING, false },
	{ "Timestamp", SSM_DOC_IN_STRING, false },
};

static const ssm_doc_input a_approve[] = {
	{ "Approvers", SSM_DOC_IN_STRING_LIST, true },
	{ "MinRequiredApprovals", SSM_DOC_IN_INT, false },
	{ "Message", SSM_DOC_IN_STRING, false },
	{ "NotificationArn", SSM_DOC_IN_STRING, false },
};

static const ssm_doc_input a_branch[] = {
	{ "Choices", SSM_DOC_IN_LIST, true },
	{ "Default", SSM_DOC_IN_STRING, false },
};

static const ssm_doc_input a_run_command[] = {
	{ "DocumentName", SSM_DOC_IN_STRING, true },
	{ "InstanceIds", SSM_DOC_IN_STRING_LIST, false },
	{ "Targets", SSM_DOC_IN_LIST, false },
	{ "Parameters", SSM_DOC_IN_MAP, false },
	{ "Comment", SSM_DOC_IN_STRING, false },
	{ "DocumentHash", SSM_DOC_IN_STRING, false },
	{ "DocumentHashType", SSM_DOC_IN_STRING, false },
	{ "DocumentVersion", SSM_DOC_IN_STRING, false },
	{ "NotificationConfig", SSM_DOC_IN_MAP, false },
	{ "OutputS3BucketName", SSM_DOC_IN_STRING, false },
	{ "OutputS3KeyPrefix", SSM_DOC_IN_STRING, false },
	{ "OutputS3Region", SSM_DOC_IN_STRING, false },
	{ "ServiceRoleArn", SSM_DOC_IN_STRING, false },
	{ "TimeoutSeconds", SSM_DOC_IN_INT, false },
	{ "CloudWatchOutputConfig", SSM_DOC_IN_MAP, false },
	{ "MaxConcurrency", SSM_DOC_IN_STRING, false },
	{ "MaxErrors", SSM_DOC_IN_STRING, false },
};

static const ssm_doc_input a_wait_property[] = {
	{ "Service", SSM_DOC_IN_STRING, true },
	{ "Api", SSM_DOC_IN_STRING, true },
	{ "PropertySelector", SSM_DOC_IN_STRING, true },
	{ "DesiredValues", SSM_DOC_IN_LIST, true },
};

static const ssm_doc_input a_assert_property[] = {
	{ "Service", SSM_DOC_IN_STRING, true },
	{ "Api", SSM_DOC_IN_STRING, true },
	{ "PropertySelector", SSM_DOC_IN_STRING, true },
	{ "DesiredValues", SSM_DOC_IN_LIST, true },
};

static const ssm_doc_input a_execute_api[] = {
	{ "Service", SSM_DOC_IN_STRING, true },
	{ "Api", SSM_DOC_IN_STRING, true },
};

static const ssm_doc_input a_execute_automation[] = {
	{ "DocumentName", SSM_DOC_IN_STRING, true },
	{ "DocumentVersion", SSM_DOC_IN_STRING, false },
	{ "RuntimeParameters", SSM_DOC_IN_MAP, false },
};

#define CMD(n, plat, schema, in, scr)                                    \
	{                                                                \
		n, SSM_DOC_PLUGIN_COMMAND, plat, schema, false, scr, in, \
			N(in), 0                                         \
	}
#define CMD_OPEN(n, plat, schema)                                     \
	{                                                             \
		n, SSM_DOC_PLUGIN_COMMAND, plat, schema, true, false, \
			shared_only, N(shared_only), 0                \
	}
#define AUTO(n, in, tmo)                                                       \
	{                                                                      \
		n, SSM_DOC_PLUGIN_AUTOMATION, ALL, 3, false, false, in, N(in), \
			tmo                                                    \
	}
#define AUTO_OPEN(n, in, tmo)                                                 \
	{                                                                     \
		n, SSM_DOC_PLUGIN_AUTOMATION, ALL, 3, true, false, in, N(in), \
			tmo                                                   \
	}
#define AUTO_FREE(n, tmo)                                                   \
	{                                                                   \
		n, SSM_DOC_PLUGIN_AUTOMATION, ALL, 3, true, false, NULL, 0, \
			tmo                                                 \
	}

static const ssm_doc_plugin plugins[] = {
	/* Command */
	CMD("aws:runShellScript", LINUX | MACOS, 12, run_script, true),
	CMD("aws:runPowerShellScript", ALL, 12, run_script, true),
	CMD("aws:runDocument", ALL, 20, run_document, false),
	CMD("aws:downloadContent", ALL, 20, download_content, false),
	CMD("aws:configurePackage", ALL, 20, configure_package, false),
	CMD("aws:softwareInventory", ALL, 20, software_inventory, false),
	CMD("aws:updateSsmAgent", ALL, 12, update_agent, false),
	CMD("aws:runPatchBaseline", ALL, 20, run_patch_baseline, false),
	CMD_OPEN("aws:updateAgent", WINDOWS, 12),
	CMD_OPEN("aws:domainJoin", WINDOWS | LINUX, 12),
	CMD_OPEN("aws:cloudWatch", WINDOWS, 12),
	CMD_OPEN("aws:runDockerAction", WINDOWS | LINUX, 12),
	CMD_OPEN("aws:configureDocker", WINDOWS | LINUX, 12),
	CMD_OPEN("aws:refreshAssociation", ALL, 12),
	CMD_OPEN("aws:psModule", WINDOWS, 12),
	CMD_OPEN("aws:applications", WINDOWS, 12),
	CMD_OPEN("aws:configureDaemon", WINDOWS | LINUX, 12),
	/* Automation */
	AUTO("aws:executeScript", a_execute_script, 600),
	AUTO("aws:sleep", a_sleep, 604799),
	AUTO("aws:approve", a_approve, 604800),
	AUTO("aws:branch", a_branch, 3600),
	AUTO("aws:runCommand", a_run_command, 3600),
	AUTO_FREE("aws:pause", 604800),
	AUTO_OPEN("aws:waitForAwsResourceProperty", a_wait_property, 3600),
	AUTO_OPEN("aws:assertAwsResourceProperty", a_assert_property, 3600),
	AUTO_OPEN("aws:executeAwsApi", a_execute_api, 3600),
	AUTO("aws:executeAutomation", a_execute_automation, 3600),
	AUTO_FREE("aws:invokeLambdaFunction", 3600),
	AUTO_FREE("aws:invokeWebhook", 3600),
	AUTO_FREE("aws:createImage", 3600),
	AUTO_FREE("aws:copyImage", 3600),
	AUTO_FREE("aws:deleteImage", 3600),
	AUTO_FREE("aws:runInstances", 3600),
	AUTO_FREE("aws:changeInstanceState", 3600),
	AUTO_FREE("aws:createStack", 3600),
	AUTO_FREE("aws:deleteStack", 3600),
	AUTO_FREE("aws:createTags", 3600),
	AUTO_FREE("aws:loop", 3600),
};

const ssm_doc_plugin *ssm_doc__plugin(const char *name, size_t len,
				      unsigned int kind)
{
	size_t i;

	for (i = 0; i < N(plugins); i++)
		if ((plugins[i].kind & kind) &&
		    strlen(plugins[i].name) == len &&
		    memcmp(plugins[i].name, name, len) == 0)
			return &plugins[i];
	return NULL;
}

const ssm_doc_input *ssm_doc__plugin_input(const ssm_doc_plugin *plugin,
					   const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < plugin->ninputs; i++)
		if (strlen(plugin->inputs[i].name) == len &&
		    memcmp(plugin->inputs[i].name, name, len) == 0)
			return &plugin->inputs[i];
	return NULL;
}

/* The fields where the agent honours {{ssm-secure:...}} (spec 1.4). */
static const struct {
	const char *plugin;
	const char *path;
} secure_fields[] = {
	{ "aws:downloadContent", "sourceInfo.tokenInfo" },
	{ "aws:downloadContent", "sourceInfo.privateSSHKey" },
	{ "aws:downloadContent", "sourceInfo.username" },
	{ "aws:downloadContent", "sourceInfo.password" },
	{ "aws:domainJoin", "*" },
};

bool ssm_doc__secure_allowed(const ssm_doc_plugin *plugin, const char *path)
{
	size_t i;

	if (!plugin)
		return false;
	for (i = 0; i < N(secure_fields); i++)
		if (strcmp(secure_fields[i].plugin, plugin->name) == 0 &&
		    (strcmp(secure_fields[i].path, "*") == 0 ||
		     strcmp(secure_fields[i].path, path) == 0))
			return true;
	return false;
}
