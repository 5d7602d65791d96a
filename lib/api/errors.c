/* SPDX-License-Identifier: Apache-2.0 */
/* AWS error names <-> ssm_err codes. The engines set the exact wire name in
 * service_code; a client that receives an error answer maps it back here. */
#include <string.h>

#include "ssm/sys/transport.h"
#include "api/errors.h"
#include "core/error.h"

struct aws_error {
	const char *name;
	ssm_err code;
	ssm_error_class klass;
};

/* Names whose code is not what the suffix rules below would give. */
static const struct aws_error known[] = {
	{ "AccessDeniedException", SSM_EAUTH, SSM_ERRCLASS_SERVER },
	{ "AssociationDoesNotExist", SSM_ENOTFOUND, SSM_ERRCLASS_API },
	{ "ConflictException", SSM_ECONFLICT, SSM_ERRCLASS_API },
	{ "DocumentAlreadyExists", SSM_EEXISTS, SSM_ERRCLASS_DOCUMENT },
	{ "DocumentPermissionLimit", SSM_ELIMIT, SSM_ERRCLASS_DOCUMENT },
	{ "DoesNotExistException", SSM_ENOTFOUND, SSM_ERRCLASS_API },
	{ "DuplicateDocumentContent", SSM_ECONFLICT, SSM_ERRCLASS_DOCUMENT },
	{ "DuplicateDocumentVersionName", SSM_ECONFLICT,
	  SSM_ERRCLASS_DOCUMENT },
	{ "DuplicateInstanceId", SSM_EINVALID, SSM_ERRCLASS_COMMAND },
	{ "ExpiredTokenException", SSM_EAUTH, SSM_ERRCLASS_SERVER },
	{ "HierarchyTypeMismatchException", SSM_ECONFLICT, SSM_ERRCLASS_PARAM },
	{ "IncompleteSignatureException", SSM_EAUTH, SSM_ERRCLASS_SERVER },
	{ "InternalFailure", SSM_ERROR, SSM_ERRCLASS_SERVER },
	{ "InternalServerError", SSM_ERROR, SSM_ERRCLASS_SERVER },
	{ "InvalidCommandId", SSM_ENOTFOUND, SSM_ERRCLASS_COMMAND },
	{ "InvalidDocument", SSM_ENOTFOUND, SSM_ERRCLASS_DOCUMENT },
	{ "InvalidDocumentVersion", SSM_ENOTFOUND, SSM_ERRCLASS_DOCUMENT },
	{ "InvalidInstanceId", SSM_ENOTFOUND, SSM_ERRCLASS_NODE },
	{ "InvalidKeyId", SSM_EINVALID, SSM_ERRCLASS_PARAM },
	{ "InvalidPluginName", SSM_ENOTFOUND, SSM_ERRCLASS_COMMAND },
	{ "InvalidResourceId", SSM_ENOTFOUND, SSM_ERRCLASS_API },
	{ "InvalidSignatureException", SSM_EAUTH, SSM_ERRCLASS_SERVER },
	{ "InvocationDoesNotExist", SSM_ENOTFOUND, SSM_ERRCLASS_COMMAND },
	{ "MissingAuthenticationTokenException", SSM_EAUTH,
	  SSM_ERRCLASS_SERVER },
	{ "ParameterAlreadyExists", SSM_EEXISTS, SSM_ERRCLASS_PARAM },
	{ "ParameterNotFound", SSM_ENOTFOUND, SSM_ERRCLASS_PARAM },
	{ "ParameterVersionNotFound", SSM_ENOTFOUND, SSM_ERRCLASS_PARAM },
	{ "RequestEntityTooLargeException", SSM_ELIMIT, SSM_ERRCLASS_SERVER },
	{ "SerializationException", SSM_EINVALID, SSM_ERRCLASS_API },
	{ "ServiceUnavailable", SSM_ERROR, SSM_ERRCLASS_SERVER },
	{ "TargetNotConnected", SSM_ENOTFOUND, SSM_ERRCLASS_SESSION },
	{ "ThrottlingException", SSM_ELIMIT, SSM_ERRCLASS_SERVER },
	{ "TooManyTagsError", SSM_ELIMIT, SSM_ERRCLASS_API },
	{ "TooManyUpdates", SSM_ECONFLICT, SSM_ERRCLASS_API },
	{ "UnrecognizedClientException", SSM_EAUTH, SSM_ERRCLASS_SERVER },
	{ "UnknownOperationException", SSM_EUNSUPPORTED, SSM_ERRCLASS_API },
	{ "UnsupportedOperatingSystem", SSM_EUNSUPPORTED, SSM_ERRCLASS_PATCH },
	{ "UnsupportedOperationException", SSM_EUNSUPPORTED, SSM_ERRCLASS_API },
	{ "UnsupportedParameterType", SSM_EUNSUPPORTED, SSM_ERRCLASS_PARAM },
};

static bool ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

ssm_err ssm_api__error_code(const char *name, size_t len,
			    ssm_error_class *klass_out)
{
	size_t i;

	*klass_out = SSM_ERRCLASS_API;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i].name) == len &&
		    memcmp(known[i].name, name, len) == 0) {
			*klass_out = known[i].klass;
			return known[i].code;
		}
	if (ends_with(name, len, "NotFound") ||
	    ends_with(name, len, "DoesNotExist") ||
	    ends_with(name, len, "NotFoundException"))
		return SSM_ENOTFOUND;
	if (ends_with(name, len, "AlreadyExists") ||
	    ends_with(name, len, "AlreadyExistsException"))
		return SSM_EEXISTS;
	if (ends_with(name, len, "LimitExceeded") ||
	    ends_with(name, len, "LimitExceededException") ||
	    ends_with(name, len, "SizeExceeded"))
		return SSM_ELIMIT;
	if (len > 7 && memcmp(name, "Invalid", 7) == 0)
		return SSM_EINVALID;
	if (ends_with(name, len, "ValidationException") ||
	    ends_with(name, len, "SerializationException") ||
	    ends_with(name, len, "MismatchException") ||
	    ends_with(name, len, "Exception"))
		return SSM_EINVALID;
	if (len > 11 && memcmp(name, "Unsupported", 11) == 0)
		return SSM_EUNSUPPORTED;
	return SSM_ERROR;
}

ssm_err ssm_error_set_aws(const char *service_code, const char *message)
{
	const char *name = service_code ? service_code : "";
	const char *hash = strrchr(name, '#'), *colon;
	ssm_error_class klass;
	size_t len;
	ssm_err code;

	/* "com.amazonaws.ssm#ParameterNotFound" and "Name:http://..." */
	if (hash)
		name = hash + 1;
	colon = strchr(name, ':');
	len = colon ? (size_t)(colon - name) : strlen(name);
	if (!len)
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_API, NULL, "%s",
				      message && *message
					      ? message
					      : "error answer without a "
						"type");
	code = ssm_api__error_code(name, len, &klass);
	{
		char svc[96];

		if (len >= sizeof(svc))
			len = sizeof(svc) - 1;
		memcpy(svc, name, len);
		svc[len] = '\0';
		/* AWS sends ParameterNotFound with an empty message: say what
		 * it was rather than nothing */
		return ssm_error__set(code, klass, svc, "%s",
				      message && *message ? message : svc);
	}
}

int ssm_api__http_status(ssm_err code, const char *service_code)
{
	if (service_code && (strcmp(service_code, "InternalServerError") == 0 ||
			     strcmp(service_code, "InternalFailure") == 0))
		return 500;
	if (service_code && strcmp(service_code, "ServiceUnavailable") == 0)
		return 503;
	if (service_code &&
	    strcmp(service_code, "RequestEntityTooLargeException") == 0)
		return 413;
	/* a failure without an AWS name is a bug or an I/O problem */
	if (!service_code && (code == SSM_ERROR || code == SSM_EUSER))
		return 500;
	return 400;
}
