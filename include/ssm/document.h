/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/document.h
 * @brief SSM documents: parse, validate, render, and keep them versioned in
 *        the document store.
 *
 * A document is a JSON or YAML runbook: schema 2.2 (and 2.0, 1.2) Command
 * documents, 0.3 Automation runbooks and 1.0 Session documents. Everything
 * Run Command, Session Manager and Automation execute is a document.
 *
 * Two halves:
 *
 * - **Local** functions work on document text without a client:
 *   ssm_document_parse() builds a typed model and fails on the first problem
 *   with its AWS error name (`InvalidDocumentContent`,
 *   `InvalidDocumentSchemaVersion`, `MaxDocumentSizeExceeded`) and a message
 *   that says where ("line 12, column 7: step 'install': inputs.runCommand:
 *   ..."); ssm_document_validate() lists every problem; ssm_document_render()
 *   turns a document and parameter values into an execution plan: the
 *   ordered steps, each with its plugin, fully interpolated inputs, whether
 *   it runs on a platform, and its timeout.
 * - **Store** functions are the AWS document operations through a client
 *   (CreateDocument is ssm_document_create(), ListDocuments is
 *   ssm_document_list(), ...), with AWS's rules: numbered versions,
 *   `$DEFAULT` and `$LATEST`, SHA-256 hashes, name rules, the 64 KB limit,
 *   quotas and error names. Built-in documents (`AWS-RunShellScript`,
 *   `AWS-StartPortForwardingSession`, ...) are owned by `Amazon` and present
 *   in every new store.
 *
 * Interpolation follows AWS: a string that is exactly one `{{ name }}` token
 * takes the parameter's typed value (a StringList becomes a list), tokens
 * inside longer text are replaced as text, `{{ssm:/name}}` references are
 * resolved through a callback (or a client's Parameter Store),
 * `{{ssm-secure:/name}}` only in the plugin fields that accept secrets, and
 * a parameter declared with `interpolationType: ENV_VAR` reaches scripts as
 * the environment variable `SSM_<name>`.
 */
#ifndef SSM_DOCUMENT_H
#define SSM_DOCUMENT_H

#include "ssm/buf.h"
#include "ssm/client.h"
#include "ssm/common.h"
#include "ssm/errors.h"
#include "ssm/tags.h"
#include "ssm/types.h"

SSM_BEGIN_DECL

/** @name Limits */
/**@{*/
/** Largest document content in bytes (AWS's 64 KB). */
#define SSM_DOCUMENT_MAX_SIZE (64 * 1024)
/**@}*/

/** Document types (`DocumentType` on the wire). */
typedef enum ssm_document_type {
	SSM_DOCUMENT_TYPE_DEFAULT = 0, /**< in options: Command / inferred */
	SSM_DOCUMENT_COMMAND = 1,      /**< `Command` */
	SSM_DOCUMENT_POLICY = 2,       /**< `Policy` */
	SSM_DOCUMENT_AUTOMATION = 3,   /**< `Automation` */
	SSM_DOCUMENT_SESSION = 4,      /**< `Session` */
	SSM_DOCUMENT_PACKAGE = 5,      /**< `Package` */
	SSM_DOCUMENT_APPLICATION_CONFIGURATION =
		6, /**< `ApplicationConfiguration` */
	SSM_DOCUMENT_APPLICATION_CONFIGURATION_SCHEMA =
		7, /**< `ApplicationConfigurationSchema` */
	SSM_DOCUMENT_DEPLOYMENT_STRATEGY = 8, /**< `DeploymentStrategy` */
	SSM_DOCUMENT_CHANGE_CALENDAR = 9,     /**< `ChangeCalendar` */
	SSM_DOCUMENT_AUTOMATION_CHANGE_TEMPLATE =
		10,			    /**< `Automation.ChangeTemplate` */
	SSM_DOCUMENT_PROBLEM_ANALYSIS = 11, /**< `ProblemAnalysis` */
	SSM_DOCUMENT_PROBLEM_ANALYSIS_TEMPLATE =
		12,			   /**< `ProblemAnalysisTemplate` */
	SSM_DOCUMENT_CLOUD_FORMATION = 13, /**< `CloudFormation` */
	SSM_DOCUMENT_CONFORMANCE_PACK_TEMPLATE =
		14,		      /**< `ConformancePackTemplate` */
	SSM_DOCUMENT_QUICK_SETUP = 15 /**< `QuickSetup` */
} ssm_document_type;

/** Content formats (`DocumentFormat` on the wire). */
typedef enum ssm_document_format {
	SSM_DOCUMENT_FORMAT_DEFAULT = 0, /**< in options: detect / stored */
	SSM_DOCUMENT_JSON = 1,		 /**< `JSON` */
	SSM_DOCUMENT_YAML = 2,		 /**< `YAML` */
	SSM_DOCUMENT_TEXT = 3 /**< `TEXT` (not for Command and co.) */
} ssm_document_format;

/** Types of document parameters. */
typedef enum ssm_document_param_type {
	SSM_DOCUMENT_PARAM_NONE = 0,	    /**< not a parameter */
	SSM_DOCUMENT_PARAM_STRING = 1,	    /**< `String` */
	SSM_DOCUMENT_PARAM_STRING_LIST = 2, /**< `StringList` */
	SSM_DOCUMENT_PARAM_BOOLEAN = 3,	    /**< `Boolean` */
	SSM_DOCUMENT_PARAM_INTEGER = 4,	    /**< `Integer` */
	SSM_DOCUMENT_PARAM_MAP_LIST = 5,    /**< `MapList` */
	SSM_DOCUMENT_PARAM_STRING_MAP = 6   /**< `StringMap` */
} ssm_document_param_type;

/** Platforms a document runs on (`PlatformType`). */
typedef enum ssm_document_platform {
	SSM_DOCUMENT_PLATFORM_DEFAULT = 0, /**< in options: Linux */
	SSM_DOCUMENT_LINUX = 1,		   /**< `Linux` */
	SSM_DOCUMENT_WINDOWS = 2,	   /**< `Windows` */
	SSM_DOCUMENT_MACOS = 3		   /**< `MacOS` */
} ssm_document_platform;

/** The bit of a platform in a platform set (ssm_document_platforms()). */
#define SSM_DOCUMENT_PLATFORM_BIT(p) (1u << (unsigned)(p))

/** What a step of a plan does on the platform it was rendered for. */
typedef enum ssm_document_step_state {
	SSM_DOCUMENT_STEP_RUN = 0,  /**< runs */
	SSM_DOCUMENT_STEP_SKIP = 1, /**< skipped (precondition false, or the
				       plugin does not run on the platform);
				       counts as success */
	SSM_DOCUMENT_STEP_FAIL = 2  /**< fails without running (the reason
				       says why) */
} ssm_document_step_state;

/**
 * The wire name of a document type, e.g. "Command".
 *
 * @param type a type
 * @return static text; NULL for SSM_DOCUMENT_TYPE_DEFAULT or unknown values
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_document_type_str(ssm_document_type type);

/**
 * Parse a document type from its wire name ("Command", "Automation", ...).
 *
 * @param[out] out  the type
 * @param name      the wire name (case-sensitive)
 * @return SSM_OK, or SSM_EINVALID naming the text
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_type_parse(ssm_document_type *out, const char *name);

/**
 * The wire name of a format: "JSON", "YAML" or "TEXT".
 *
 * @param format a format
 * @return static text; NULL for SSM_DOCUMENT_FORMAT_DEFAULT or unknown
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_document_format_str(ssm_document_format format);

/**
 * Parse a format from its wire name ("JSON", "YAML", "TEXT").
 *
 * @param[out] out  the format
 * @param name      the name (case-insensitive)
 * @return SSM_OK, or SSM_EINVALID naming the text
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_format_parse(ssm_document_format *out, const char *name);

/**
 * The name of a parameter type, e.g. "StringList".
 *
 * @param type a parameter type
 * @return static text; NULL for SSM_DOCUMENT_PARAM_NONE or unknown values
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_param_type_str(ssm_document_param_type type);

/**
 * The wire name of a platform: "Linux", "Windows" or "MacOS".
 *
 * @param platform a platform
 * @return static text; NULL for SSM_DOCUMENT_PLATFORM_DEFAULT or unknown
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_platform_str(ssm_document_platform platform);

/**
 * Parse a platform name ("Linux", "windows", "MacOS"; any case).
 *
 * @param[out] out  the platform
 * @param name      the name
 * @return SSM_OK, or SSM_EINVALID naming the text
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_platform_parse(ssm_document_platform *out, const char *name);

/* ---- local: parse, validate ------------------------------------------- */

/** A parsed, valid document; opaque. */
typedef struct ssm_document ssm_document;

/** Every problem found in a document's content; opaque. */
typedef struct ssm_document_problems ssm_document_problems;

/** Options of ssm_document_parse() and ssm_document_validate(). Zero means
 *  "default" for every field. */
typedef struct ssm_document_parse_options {
	unsigned int version; /**< SSM_DOCUMENT_PARSE_OPTIONS_VERSION */
	/** JSON or YAML; 0: detect (a leading `{` means JSON). */
	ssm_document_format format;
	/** The type the content must be; 0: inferred from `schemaVersion`
	 *  (0.3 Automation, 1.0 Session, else Command). */
	ssm_document_type type;
} ssm_document_parse_options;

/** Current version of ::ssm_document_parse_options. */
#define SSM_DOCUMENT_PARSE_OPTIONS_VERSION 1
/** Initialiser with every field at its default. */
#define SSM_DOCUMENT_PARSE_OPTIONS_INIT                       \
	{                                                     \
		.version = SSM_DOCUMENT_PARSE_OPTIONS_VERSION \
	}

/**
 * Initialise parse options to their defaults (for bindings and C++).
 *
 * @param[out] opts  the options
 * @param version    SSM_DOCUMENT_PARSE_OPTIONS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p opts or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_parse_options_init(ssm_document_parse_options *opts,
				unsigned int version);

/**
 * Parse and validate document content.
 *
 * @param[out] out  the document; free with ssm_document_free()
 * @param content   the text (UTF-8)
 * @param len       its length in bytes, at most SSM_DOCUMENT_MAX_SIZE
 * @param opts      options, or NULL for defaults
 * @return SSM_OK; SSM_EINVALID for the first problem (service code
 *         `InvalidDocumentContent` or `InvalidDocumentSchemaVersion`, the
 *         message starting with its line and column); SSM_ELIMIT
 *         (`MaxDocumentSizeExceeded`) for content over 64 KB
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_parse(ssm_document **out, const char *content, size_t len,
		   const ssm_document_parse_options *opts);

/**
 * Free a document.
 *
 * @param doc the document; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_document_free(ssm_document *doc);

/**
 * Check document content and list every problem (at most 100).
 *
 * @param[out] out  the problems, empty when the content is valid; free with
 *                  ssm_document_problems_free()
 * @param content   the text
 * @param len       its length in bytes
 * @param opts      options, or NULL for defaults
 * @return SSM_OK when the check ran (whatever it found); SSM_EINVALID for
 *         bad arguments; SSM_ERROR when out of memory
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_validate(ssm_document_problems **out, const char *content,
		      size_t len, const ssm_document_parse_options *opts);

/**
 * Number of problems found.
 *
 * @param problems the problems
 * @return the count (0: the document is valid)
 * @since 0.1
 */
SSM_EXTERN(size_t)
ssm_document_problems_count(const ssm_document_problems *problems);

/**
 * The AWS error name of a problem, e.g. "InvalidDocumentContent".
 *
 * @param problems the problems
 * @param i        0..count-1
 * @return static text; NULL when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_problem_code(const ssm_document_problems *problems, size_t i);

/**
 * The full one-line message of a problem ("line 4, column 9: step 'run':
 * inputs.runCommand: ..."), as ssm_document_parse() would report it.
 *
 * @param problems the problems
 * @param i        0..count-1
 * @return text owned by @p problems; NULL when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_problem_message(const ssm_document_problems *problems, size_t i);

/**
 * The 1-based line of a problem (0 when it has no place in the text).
 *
 * @param problems the problems
 * @param i        0..count-1
 * @return the line; 0 when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(uint32_t)
ssm_document_problem_line(const ssm_document_problems *problems, size_t i);

/**
 * The 1-based column (in characters) of a problem.
 *
 * @param problems the problems
 * @param i        0..count-1
 * @return the column; 0 when unknown or @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(uint32_t)
ssm_document_problem_column(const ssm_document_problems *problems, size_t i);

/**
 * The name of the step a problem is in.
 *
 * @param problems the problems
 * @param i        0..count-1
 * @return text owned by @p problems; NULL outside steps or out of range
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_problem_step(const ssm_document_problems *problems, size_t i);

/**
 * The field a problem is about, as a path ("parameters.commands.type",
 * "mainSteps[1].inputs.runCommand").
 *
 * @param problems the problems
 * @param i        0..count-1
 * @return text owned by @p problems; "" for the whole document; NULL when
 *         @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_problem_field(const ssm_document_problems *problems, size_t i);

/**
 * Free a problem list.
 *
 * @param problems the list; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_document_problems_free(ssm_document_problems *problems);

/**
 * The document's `schemaVersion`, e.g. "2.2".
 *
 * @param doc the document
 * @return text owned by @p doc
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_document_schema_version(const ssm_document *doc);

/**
 * The document's type (given in the options or inferred).
 *
 * @param doc the document
 * @return the type
 * @since 0.1
 */
SSM_EXTERN(ssm_document_type) ssm_document_type_of(const ssm_document *doc);

/**
 * The format the content was parsed as.
 *
 * @param doc the document
 * @return SSM_DOCUMENT_JSON or SSM_DOCUMENT_YAML
 * @since 0.1
 */
SSM_EXTERN(ssm_document_format)
ssm_document_format_of(const ssm_document *doc);

/**
 * The document's `description`.
 *
 * @param doc the document
 * @return text owned by @p doc; NULL when absent
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_document_description(const ssm_document *doc);

/**
 * The platforms the document runs on, derived from its plugins as AWS
 * reports `PlatformTypes` (Session and Automation documents: all three).
 *
 * @param doc the document
 * @return a set of SSM_DOCUMENT_PLATFORM_BIT() values
 * @since 0.1
 */
SSM_EXTERN(unsigned int) ssm_document_platforms(const ssm_document *doc);

/**
 * The `sessionType` of a Session document.
 *
 * @param doc the document
 * @return text owned by @p doc; NULL for other types
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_document_session_type(const ssm_document *doc);

/**
 * Number of parameters the document declares.
 *
 * @param doc the document
 * @return the count
 * @since 0.1
 */
SSM_EXTERN(size_t) ssm_document_params_count(const ssm_document *doc);

/**
 * The name of a parameter, in document order.
 *
 * @param doc the document
 * @param i   0..count-1
 * @return text owned by @p doc; NULL when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_param_name(const ssm_document *doc, size_t i);

/**
 * The type of a parameter.
 *
 * @param doc the document
 * @param i   0..count-1
 * @return the type; SSM_DOCUMENT_PARAM_NONE when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(ssm_document_param_type)
ssm_document_param_type_of(const ssm_document *doc, size_t i);

/**
 * The description of a parameter.
 *
 * @param doc the document
 * @param i   0..count-1
 * @return text owned by @p doc; NULL when absent or out of range
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_param_description(const ssm_document *doc, size_t i);

/**
 * The default of a parameter as AWS's `DefaultValue` shows it: strings as
 * they are, lists and maps as JSON text, numbers and booleans as text.
 *
 * @param doc the document
 * @param i   0..count-1
 * @return text owned by @p doc; NULL when the parameter is required (has
 *         no default) or @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_param_default(const ssm_document *doc, size_t i);

/**
 * Number of steps (Command 2.x and Automation `mainSteps`, the
 * `properties` entries of a 1.2 document, one for a Session document).
 *
 * @param doc the document
 * @return the count
 * @since 0.1
 */
SSM_EXTERN(size_t) ssm_document_steps_count(const ssm_document *doc);

/**
 * The name of a step (its `name`, or `id` in schema 1.2).
 *
 * @param doc the document
 * @param i   0..count-1
 * @return text owned by @p doc; NULL when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_step_name(const ssm_document *doc, size_t i);

/**
 * The action (plugin) of a step, e.g. "aws:runShellScript".
 *
 * @param doc the document
 * @param i   0..count-1
 * @return text owned by @p doc; NULL when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_step_action(const ssm_document *doc, size_t i);

/**
 * Write the document's content in a format: JSON (pretty, 2-space indent)
 * or YAML (block style).
 *
 * @param[out] out  the text; dispose with ssm_buf_dispose()
 * @param doc       the document
 * @param format    SSM_DOCUMENT_JSON or SSM_DOCUMENT_YAML
 * @return SSM_OK; SSM_EINVALID for another format
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_convert(ssm_buf *out, const ssm_document *doc,
		     ssm_document_format format);

/* ---- local: render ----------------------------------------------------- */

/** An execution plan made by ssm_document_render(); opaque. */
typedef struct ssm_document_plan ssm_document_plan;

/** One parameter value given by the caller, as SendCommand carries them: a
 *  list of strings. A String takes one value; a StringList all of them (or
 *  one JSON array); Boolean "true"/"false"; Integer a decimal number;
 *  StringMap one JSON object; MapList JSON objects or one JSON array. */
typedef struct ssm_document_param_value {
	const char *name;	   /**< the parameter's name */
	const char *const *values; /**< the values */
	size_t count;		   /**< number of @c values */
} ssm_document_param_value;

/** What a Parameter Store reference turned out to be. */
typedef enum ssm_document_reference_type {
	SSM_DOCUMENT_REFERENCE_NOT_FOUND = 0,	 /**< unknown (the default) */
	SSM_DOCUMENT_REFERENCE_STRING = 1,	 /**< a String parameter */
	SSM_DOCUMENT_REFERENCE_STRING_LIST = 2,	 /**< a StringList (commas) */
	SSM_DOCUMENT_REFERENCE_SECURE_STRING = 3 /**< a SecureString */
} ssm_document_reference_type;

/** One `{{ssm:...}}` or `{{ssm-secure:...}}` reference to resolve. */
typedef struct ssm_document_reference {
	/** In: the reference as written after `ssm:` / `ssm-secure:`, e.g.
	 *  "/app/db/host" or "/app/db/host:3" (version or label). */
	const char *name;
	/** In: true for `ssm-secure:` (the value must be decrypted). */
	bool with_decryption;
	/** Out: the parameter's type; leave NOT_FOUND when unknown. */
	ssm_document_reference_type type;
	/** Out: the value; owned by the callback and valid until
	 *  ssm_document_render() returns (it copies what it keeps). */
	const char *value;
} ssm_document_reference;

/**
 * Resolves Parameter Store references for ssm_document_render(): fill
 * @c type and @c value of each of the @p count references (each unique name
 * appears once). Values of `ssm-secure:` references are secrets: they are
 * wiped when the plan is freed and left out of redacted output.
 *
 * @return 0 to go on, non-zero to fail the render with SSM_EUSER
 */
typedef int (*ssm_document_resolve_cb)(ssm_document_reference *refs,
				       size_t count, void *payload);

/** Flag of ssm_document_render_options::flags: leave `{{ssm:...}}` and
 *  `{{ssm-secure:...}}` references as they are (the node resolves them
 *  later), even when a resolver or client is given. */
#define SSM_DOCUMENT_RENDER_KEEP_REFERENCES (1u << 0)

/** Options of ssm_document_render(). Zero means "default" for every
 *  field. */
typedef struct ssm_document_render_options {
	unsigned int version; /**< SSM_DOCUMENT_RENDER_OPTIONS_VERSION */
	/** The platform of the node; 0: Linux. */
	ssm_document_platform platform;
	/** Parameter values; parameters left out take their defaults. */
	const ssm_document_param_value *params;
	size_t params_count; /**< number of @c params */
	/** Parameter values as one JSON object (name to a JSON value of the
	 *  parameter's type, or a string to coerce); applied after
	 *  @c params. NULL: none. */
	const char *params_json;
	unsigned int flags; /**< SSM_DOCUMENT_RENDER_KEEP_REFERENCES */
	/** Resolver of `{{ssm:...}}` references; NULL: use @c client, else
	 *  leave references as they are. */
	ssm_document_resolve_cb resolve_cb;
	void *resolve_payload; /**< passed to @c resolve_cb */
	/** A client whose Parameter Store resolves references when
	 *  @c resolve_cb is NULL (GetParameters in batches of 10). */
	ssm_client *client;
	/** The document's name in messages; NULL: "document". */
	const char *document_name;
	/** Values of `{{ global:ACCOUNT_ID }}` (NULL: "123456789012"),
	 *  `{{ global:REGION }}` (NULL: "us-east-1") and
	 *  `{{ automation:EXECUTION_ID }}` (NULL: left as written). */
	const char *account_id;
	const char *region;	  /**< see @c account_id */
	const char *execution_id; /**< see @c account_id */
	/** The time of `{{ global:DATE }}` and `{{ global:DATE_TIME }}` in ms
	 *  since the epoch; 0: now. */
	int64_t now_ms;
} ssm_document_render_options;

/** Current version of ::ssm_document_render_options. */
#define SSM_DOCUMENT_RENDER_OPTIONS_VERSION 1
/** Initialiser with every field at its default. */
#define SSM_DOCUMENT_RENDER_OPTIONS_INIT                       \
	{                                                      \
		.version = SSM_DOCUMENT_RENDER_OPTIONS_VERSION \
	}

/**
 * Initialise render options to their defaults (for bindings and C++).
 *
 * @param[out] opts  the options
 * @param version    SSM_DOCUMENT_RENDER_OPTIONS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p opts or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_render_options_init(ssm_document_render_options *opts,
				 unsigned int version);

/**
 * Render a document into an execution plan: check and coerce the parameter
 * values (defaults for those left out), enforce every `allowedPattern`
 * before anything runs, interpolate every step's inputs, resolve Parameter
 * Store references, evaluate preconditions for the platform and normalise
 * timeouts (5..172800 seconds, anything else 3600).
 *
 * @param[out] out  the plan; free with ssm_document_plan_free()
 * @param doc       the document
 * @param opts      options, or NULL for defaults
 * @return SSM_OK; SSM_EINVALID (`InvalidParameters`, or
 *         `InvalidAutomationExecutionParametersException` for Automation)
 *         naming the parameter that is missing, unknown or invalid, or the
 *         reference that cannot be resolved; SSM_ELIMIT
 *         (`MaxDocumentSizeExceeded`) when the document with its parameter
 *         values passes 64 KB; SSM_EUSER when @c resolve_cb aborted
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_render(ssm_document_plan **out, const ssm_document *doc,
		    const ssm_document_render_options *opts);

/**
 * Free a plan, wiping any secret it holds.
 *
 * @param plan the plan; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_document_plan_free(ssm_document_plan *plan);

/**
 * Number of steps of a plan.
 *
 * @param plan the plan
 * @return the count
 * @since 0.1
 */
SSM_EXTERN(size_t) ssm_document_plan_steps_count(const ssm_document_plan *plan);

/**
 * The name of a step of a plan.
 *
 * @param plan the plan
 * @param i    0..count-1
 * @return text owned by @p plan; NULL when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_plan_step_name(const ssm_document_plan *plan, size_t i);

/**
 * The action (plugin) of a step of a plan.
 *
 * @param plan the plan
 * @param i    0..count-1
 * @return text owned by @p plan; NULL when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_plan_step_action(const ssm_document_plan *plan, size_t i);

/**
 * Whether a step runs, is skipped or fails on the plan's platform.
 *
 * @param plan the plan
 * @param i    0..count-1
 * @return the state; SSM_DOCUMENT_STEP_FAIL when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(ssm_document_step_state)
ssm_document_plan_step_state(const ssm_document_plan *plan, size_t i);

/**
 * Why a step is skipped or fails.
 *
 * @param plan the plan
 * @param i    0..count-1
 * @return text owned by @p plan; NULL for a step that runs
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_plan_step_reason(const ssm_document_plan *plan, size_t i);

/**
 * The execution timeout of a step in seconds (5..172800; 3600 when the
 * document gives none or an invalid one; 0 for Session documents).
 *
 * @param plan the plan
 * @param i    0..count-1
 * @return seconds; 0 when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(int64_t)
ssm_document_plan_step_timeout_s(const ssm_document_plan *plan, size_t i);

/**
 * Write the interpolated inputs of a step as a JSON object.
 *
 * @param[out] out  the JSON text; dispose with ssm_buf_dispose()
 * @param plan      the plan
 * @param i         0..count-1
 * @param flags     SSM_DOCUMENT_PLAN_PRETTY, SSM_DOCUMENT_PLAN_REDACT
 * @return SSM_OK; SSM_EINVALID when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_plan_step_inputs(ssm_buf *out, const ssm_document_plan *plan,
			      size_t i, unsigned int flags);

/** Flag of the plan writers: newlines and 2-space indent. */
#define SSM_DOCUMENT_PLAN_PRETTY (1u << 0)
/** Flag of the plan writers: write `ssm-secure` values as the reference
 *  they came from (what a server may keep). */
#define SSM_DOCUMENT_PLAN_REDACT (1u << 1)

/**
 * Write a whole plan as JSON: `SchemaVersion`, `DocumentType`, `Platform`,
 * the effective `Parameters`, the `Environment` of ENV_VAR parameters, and
 * `Steps` (`Name`, `Action`, `State`, `Reason`, `TimeoutSeconds`, control
 * inputs, `Inputs`).
 *
 * @param[out] out  the JSON text; dispose with ssm_buf_dispose()
 * @param plan      the plan
 * @param flags     SSM_DOCUMENT_PLAN_PRETTY, SSM_DOCUMENT_PLAN_REDACT
 * @return SSM_OK, or SSM_ERROR when out of memory
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_plan_json(ssm_buf *out, const ssm_document_plan *plan,
		       unsigned int flags);

/* ---- the document store (through a client) ------------------------------ */

/** One document version as the store describes it; opaque. One type serves
 *  CreateDocument, UpdateDocument and DescribeDocument (a
 *  `DocumentDescription`), GetDocument (with the content), ListDocuments
 *  (a `DocumentIdentifier`), ListDocumentVersions (a `DocumentVersionInfo`)
 *  and UpdateDocumentDefaultVersion: accessors of fields a result does not
 *  carry return NULL or 0. */
typedef struct ssm_document_info ssm_document_info;

/** A lazily paged sequence of documents or versions; opaque. */
typedef struct ssm_document_iter ssm_document_iter;

/** A document this one requires (AWS `DocumentRequires`). */
typedef struct ssm_document_requirement {
	const char *name;	  /**< the required document's name */
	const char *version;	  /**< its version; NULL: any */
	const char *require_type; /**< e.g. "StackTemplate"; NULL: none */
	const char *version_name; /**< its version name; NULL: none */
} ssm_document_requirement;

/** Options of ssm_document_create(). Zero means "default" for every
 *  field. */
typedef struct ssm_document_create_options {
	unsigned int version;	    /**< SSM_DOCUMENT_CREATE_OPTIONS_VERSION */
	ssm_document_type type;	    /**< 0: Command */
	ssm_document_format format; /**< 0: JSON */
	const char *version_name;   /**< `VersionName`; NULL: none */
	const char *display_name;   /**< `DisplayName`; NULL: none */
	const char *target_type;    /**< e.g. "/AWS::EC2::Instance" */
	const ssm_document_requirement *requires; /**< NULL: none */
	size_t requires_count;			  /**< number of @c requires */
	const ssm_tag *tags; /**< tags of the new document; NULL: none */
	size_t tags_count;   /**< number of @c tags (at most 50) */
} ssm_document_create_options;

/** Current version of ::ssm_document_create_options. */
#define SSM_DOCUMENT_CREATE_OPTIONS_VERSION 1
/** Initialiser with every field at its default. */
#define SSM_DOCUMENT_CREATE_OPTIONS_INIT                       \
	{                                                      \
		.version = SSM_DOCUMENT_CREATE_OPTIONS_VERSION \
	}

/** Options selecting a version (GetDocument, DescribeDocument). Zero means
 *  "default" for every field. */
typedef struct ssm_document_get_options {
	unsigned int version; /**< SSM_DOCUMENT_GET_OPTIONS_VERSION */
	/** "$DEFAULT" (NULL), "$LATEST" or a version number ("3"). */
	const char *document_version;
	/** Select the version carrying this `VersionName`; NULL: none. */
	const char *version_name;
	/** GetDocument: the content in JSON or YAML (converted when stored
	 *  in the other); 0: as stored. */
	ssm_document_format format;
} ssm_document_get_options;

/** Current version of ::ssm_document_get_options. */
#define SSM_DOCUMENT_GET_OPTIONS_VERSION 1
/** Initialiser with every field at its default. */
#define SSM_DOCUMENT_GET_OPTIONS_INIT                       \
	{                                                   \
		.version = SSM_DOCUMENT_GET_OPTIONS_VERSION \
	}

/** Options of ssm_document_update(). Zero means "default" for every
 *  field. */
typedef struct ssm_document_update_options {
	unsigned int version; /**< SSM_DOCUMENT_UPDATE_OPTIONS_VERSION */
	/** The version being updated: "$LATEST" (NULL) or the latest
	 *  version's number. */
	const char *document_version;
	const char *version_name;   /**< of the new version; NULL: none */
	const char *display_name;   /**< NULL: keep the latest's */
	const char *target_type;    /**< NULL: keep the latest's */
	ssm_document_format format; /**< of the content; 0: JSON */
} ssm_document_update_options;

/** Current version of ::ssm_document_update_options. */
#define SSM_DOCUMENT_UPDATE_OPTIONS_VERSION 1
/** Initialiser with every field at its default. */
#define SSM_DOCUMENT_UPDATE_OPTIONS_INIT                       \
	{                                                      \
		.version = SSM_DOCUMENT_UPDATE_OPTIONS_VERSION \
	}

/** Options of ssm_document_delete(). Zero means "default". */
typedef struct ssm_document_delete_options {
	unsigned int version; /**< SSM_DOCUMENT_DELETE_OPTIONS_VERSION */
	/** Delete only this version ("3", "$LATEST"); NULL: the document. */
	const char *document_version;
	/** Delete only the version carrying this name; NULL: none. */
	const char *version_name;
	bool force; /**< needed for ApplicationConfigurationSchema */
} ssm_document_delete_options;

/** Current version of ::ssm_document_delete_options. */
#define SSM_DOCUMENT_DELETE_OPTIONS_VERSION 1
/** Initialiser with every field at its default. */
#define SSM_DOCUMENT_DELETE_OPTIONS_INIT                       \
	{                                                      \
		.version = SSM_DOCUMENT_DELETE_OPTIONS_VERSION \
	}

/** One filter of ssm_document_list() (AWS `DocumentKeyValuesFilter`). */
typedef struct ssm_document_filter {
	/** `Name` (prefix), `Owner` (`Self`, `Amazon`, `Private`, `Public`,
	 *  `ThirdParty`; one value), `PlatformTypes`, `DocumentType`,
	 *  `TargetType` or `tag:<key>`. Several values of a key are ORed,
	 *  different keys ANDed. */
	const char *key;
	const char *const *values; /**< the values */
	size_t values_count;	   /**< number of @c values */
} ssm_document_filter;

/** Options of ssm_document_list(). Zero means "default". */
typedef struct ssm_document_list_options {
	unsigned int version; /**< SSM_DOCUMENT_LIST_OPTIONS_VERSION */
	const ssm_document_filter *filters; /**< NULL: every document */
	size_t filters_count;		    /**< number of @c filters */
	size_t page_size; /**< documents per request, 1..50; 0: 50 */
} ssm_document_list_options;

/** Current version of ::ssm_document_list_options. */
#define SSM_DOCUMENT_LIST_OPTIONS_VERSION 1
/** Initialiser with every field at its default. */
#define SSM_DOCUMENT_LIST_OPTIONS_INIT                       \
	{                                                    \
		.version = SSM_DOCUMENT_LIST_OPTIONS_VERSION \
	}

/**
 * Initialise create options to their defaults (for bindings and C++).
 *
 * @param[out] opts  the options
 * @param version    SSM_DOCUMENT_CREATE_OPTIONS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p opts or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_create_options_init(ssm_document_create_options *opts,
				 unsigned int version);

/**
 * Initialise get options to their defaults (for bindings and C++).
 *
 * @param[out] opts  the options
 * @param version    SSM_DOCUMENT_GET_OPTIONS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p opts or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_get_options_init(ssm_document_get_options *opts,
			      unsigned int version);

/**
 * Initialise update options to their defaults (for bindings and C++).
 *
 * @param[out] opts  the options
 * @param version    SSM_DOCUMENT_UPDATE_OPTIONS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p opts or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_update_options_init(ssm_document_update_options *opts,
				 unsigned int version);

/**
 * Initialise delete options to their defaults (for bindings and C++).
 *
 * @param[out] opts  the options
 * @param version    SSM_DOCUMENT_DELETE_OPTIONS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p opts or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_delete_options_init(ssm_document_delete_options *opts,
				 unsigned int version);

/**
 * Initialise list options to their defaults (for bindings and C++).
 *
 * @param[out] opts  the options
 * @param version    SSM_DOCUMENT_LIST_OPTIONS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p opts or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_list_options_init(ssm_document_list_options *opts,
			       unsigned int version);

/**
 * Create a document (AWS CreateDocument): version 1, the default and
 * latest. Names are 3..128 of `a-zA-Z0-9_-.`; names starting with `aws`,
 * `amazon` or `amzn` (any case) are reserved.
 *
 * @param[out] out  the new document's description; free with
 *                  ssm_document_info_free(); may be NULL
 * @param client    the client
 * @param name      the document's name
 * @param content   the content, at most 64 KB
 * @param opts      options, or NULL for defaults
 * @return SSM_OK; SSM_EEXISTS (`DocumentAlreadyExists`); SSM_EINVALID
 *         (`InvalidDocumentContent`, `InvalidDocumentSchemaVersion`,
 *         `ValidationException`); SSM_ELIMIT (`MaxDocumentSizeExceeded`,
 *         `DocumentLimitExceeded`)
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_create(ssm_document_info **out, ssm_client *client,
		    const char *name, const char *content,
		    const ssm_document_create_options *opts);

/**
 * Read a version's content (AWS GetDocument).
 *
 * @param[out] out  the version, with ssm_document_info_content(); free with
 *                  ssm_document_info_free()
 * @param client    the client
 * @param name      a name or a document ARN
 * @param opts      which version and format, or NULL for the default
 *                  version as stored
 * @return SSM_OK; SSM_ENOTFOUND (`InvalidDocument`,
 *         `InvalidDocumentVersion`)
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_get(ssm_document_info **out, ssm_client *client, const char *name,
		 const ssm_document_get_options *opts);

/**
 * Describe a version (AWS DescribeDocument): hash, parameters, platforms,
 * versions, tags.
 *
 * @param[out] out  the description; free with ssm_document_info_free()
 * @param client    the client
 * @param name      a name or a document ARN
 * @param opts      which version, or NULL for the default version
 * @return SSM_OK; SSM_ENOTFOUND (`InvalidDocument`,
 *         `InvalidDocumentVersion`)
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_describe(ssm_document_info **out, ssm_client *client,
		      const char *name, const ssm_document_get_options *opts);

/**
 * Add a version to a document (AWS UpdateDocument). Only the latest
 * version can be updated; the default version does not move.
 *
 * @param[out] out  the new version's description; free with
 *                  ssm_document_info_free(); may be NULL
 * @param client    the client
 * @param name      the document's name
 * @param content   the new content
 * @param opts      options, or NULL for defaults
 * @return SSM_OK; SSM_ENOTFOUND (`InvalidDocument`,
 *         `InvalidDocumentVersion`); SSM_ECONFLICT
 *         (`DuplicateDocumentContent`, `DuplicateDocumentVersionName`);
 *         SSM_EINVALID (`InvalidDocumentContent`,
 *         `InvalidDocumentOperation`, ...); SSM_ELIMIT
 *         (`DocumentVersionLimitExceeded`, `MaxDocumentSizeExceeded`)
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_update(ssm_document_info **out, ssm_client *client,
		    const char *name, const char *content,
		    const ssm_document_update_options *opts);

/**
 * Make a version the default (AWS UpdateDocumentDefaultVersion).
 *
 * @param[out] out           the document's name, default version and its
 *                           version name; free with
 *                           ssm_document_info_free(); may be NULL
 * @param client             the client
 * @param name               the document's name
 * @param document_version   the version number, e.g. "2"
 * @return SSM_OK; SSM_ENOTFOUND (`InvalidDocument`,
 *         `InvalidDocumentVersion`); SSM_EINVALID
 *         (`InvalidDocumentOperation` for Amazon's documents)
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_update_default_version(ssm_document_info **out, ssm_client *client,
				    const char *name,
				    const char *document_version);

/**
 * Delete a document with all its versions and tags, or one version (AWS
 * DeleteDocument). The default version cannot be deleted while others
 * remain; deleting the only version deletes the document.
 *
 * @param client the client
 * @param name   the document's name
 * @param opts   which version, or NULL for the whole document
 * @return SSM_OK; SSM_ENOTFOUND (`InvalidDocument`,
 *         `InvalidDocumentVersion`); SSM_EINVALID
 *         (`InvalidDocumentOperation`: default version, shared document,
 *         Amazon's document)
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_delete(ssm_client *client, const char *name,
		    const ssm_document_delete_options *opts);

/**
 * List documents (AWS ListDocuments): the default version of each,
 * filtered, sorted by name, fetched a page at a time as the iterator
 * advances.
 *
 * @param[out] out  the iterator; free with ssm_document_iter_free()
 * @param client    the client
 * @param opts      filters and page size, or NULL for every document
 * @return SSM_OK (the first page is fetched by the first
 *         ssm_document_iter_next()); SSM_EINVALID for bad options
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_list(ssm_document_iter **out, ssm_client *client,
		  const ssm_document_list_options *opts);

/**
 * List the versions of a document (AWS ListDocumentVersions), oldest
 * first.
 *
 * @param[out] out   the iterator; free with ssm_document_iter_free()
 * @param client     the client
 * @param name       a name or a document ARN
 * @param page_size  versions per request, 1..50; 0: 50
 * @return SSM_OK; SSM_EINVALID for bad arguments
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_list_versions(ssm_document_iter **out, ssm_client *client,
			   const char *name, size_t page_size);

/**
 * The next document or version of an iterator.
 *
 * @param[out] out  the item, owned by the iterator and valid until the next
 *                  call or ssm_document_iter_free()
 * @param iter      the iterator
 * @return SSM_OK; SSM_ITEROVER at the end; SSM_ENOTFOUND
 *         (`InvalidDocument`) and other failures of the request
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_iter_next(const ssm_document_info **out, ssm_document_iter *iter);

/**
 * Free an iterator.
 *
 * @param iter the iterator; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_document_iter_free(ssm_document_iter *iter);

/**
 * The accounts a document is shared with (AWS DescribeDocumentPermission),
 * all pages.
 *
 * @param[out] accounts_out  account ids, or "all" for a public document;
 *                           dispose with ssm_strarray_dispose()
 * @param[out] versions_out  the version shared with each (parallel to
 *                           @p accounts_out); may be NULL
 * @param client             the client
 * @param name               the document's name
 * @return SSM_OK; SSM_ENOTFOUND (`InvalidDocument`)
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_permissions(ssm_strarray *accounts_out, ssm_strarray *versions_out,
			 ssm_client *client, const char *name);

/**
 * Share a document with accounts, or stop sharing it (AWS
 * ModifyDocumentPermission, PermissionType `Share`).
 *
 * @param client          the client
 * @param name            the document's name
 * @param add             12-digit account ids or "all"; may be NULL
 * @param add_count       number of @p add (at most 20)
 * @param remove          ids to remove; may be NULL
 * @param remove_count    number of @p remove (at most 20)
 * @param shared_version  "$DEFAULT", "$LATEST" or "$ALL"; NULL: keep
 * @return SSM_OK; SSM_ENOTFOUND (`InvalidDocument`); SSM_EINVALID
 *         (`ValidationException`, `InvalidDocumentOperation`);
 *         SSM_ELIMIT (`DocumentPermissionLimit`)
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_document_modify_permission(ssm_client *client, const char *name,
			       const char *const *add, size_t add_count,
			       const char *const *remove, size_t remove_count,
			       const char *shared_version);

/**
 * Free a document description.
 *
 * @param info the description; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_document_info_free(ssm_document_info *info);

/**
 * The document's name.
 *
 * @param info the description
 * @return text owned by @p info
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_document_info_name(const ssm_document_info *info);

/**
 * The owner: an account id, or "Amazon" for built-in documents.
 *
 * @param info the description
 * @return text owned by @p info; NULL when the result does not carry it
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_info_owner(const ssm_document_info *info);

/**
 * The version described (`DocumentVersion`).
 *
 * @param info the description
 * @return the version number; 0 when the result does not carry it
 * @since 0.1
 */
SSM_EXTERN(uint64_t) ssm_document_info_version(const ssm_document_info *info);

/**
 * The document's latest version (`LatestVersion`).
 *
 * @param info the description
 * @return the version number; 0 when the result does not carry it
 * @since 0.1
 */
SSM_EXTERN(uint64_t)
ssm_document_info_latest_version(const ssm_document_info *info);

/**
 * The document's default version (`DefaultVersion`).
 *
 * @param info the description
 * @return the version number; 0 when the result does not carry it
 * @since 0.1
 */
SSM_EXTERN(uint64_t)
ssm_document_info_default_version(const ssm_document_info *info);

/**
 * Whether the version listed is the default one (ListDocumentVersions).
 *
 * @param info the description
 * @return true for the default version
 * @since 0.1
 */
SSM_EXTERN(bool)
ssm_document_info_is_default_version(const ssm_document_info *info);

/**
 * The version's `VersionName` (for UpdateDocumentDefaultVersion: the
 * default version's).
 *
 * @param info the description
 * @return text owned by @p info; NULL when it has none
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_info_version_name(const ssm_document_info *info);

/**
 * The version's `DisplayName`.
 *
 * @param info the description
 * @return text owned by @p info; NULL when it has none
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_info_display_name(const ssm_document_info *info);

/**
 * The `description` of the content.
 *
 * @param info the description
 * @return text owned by @p info; NULL when absent
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_info_description(const ssm_document_info *info);

/**
 * The lower-case hex SHA-256 of the content as stored (`Hash`).
 *
 * @param info the description
 * @return text owned by @p info; NULL when the result does not carry it
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_document_info_hash(const ssm_document_info *info);

/**
 * The status, "Active" for every stored document.
 *
 * @param info the description
 * @return text owned by @p info; NULL when the result does not carry it
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_info_status(const ssm_document_info *info);

/**
 * When the version was created, in ms since the epoch.
 *
 * @param info the description
 * @return the time; 0 when the result does not carry it
 * @since 0.1
 */
SSM_EXTERN(int64_t)
ssm_document_info_created_ms(const ssm_document_info *info);

/**
 * The document type.
 *
 * @param info the description
 * @return the type; SSM_DOCUMENT_TYPE_DEFAULT when not carried
 * @since 0.1
 */
SSM_EXTERN(ssm_document_type)
ssm_document_info_type(const ssm_document_info *info);

/**
 * The format of the content (GetDocument: of the content returned).
 *
 * @param info the description
 * @return the format; SSM_DOCUMENT_FORMAT_DEFAULT when not carried
 * @since 0.1
 */
SSM_EXTERN(ssm_document_format)
ssm_document_info_format(const ssm_document_info *info);

/**
 * The content's `schemaVersion`.
 *
 * @param info the description
 * @return text owned by @p info; NULL when not carried
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_info_schema_version(const ssm_document_info *info);

/**
 * The `TargetType`.
 *
 * @param info the description
 * @return text owned by @p info; NULL when it has none
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_info_target_type(const ssm_document_info *info);

/**
 * The content (GetDocument only).
 *
 * @param info the description
 * @return text owned by @p info; NULL for other results
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_info_content(const ssm_document_info *info);

/**
 * The platforms the document runs on (`PlatformTypes`).
 *
 * @param info the description
 * @return a set of SSM_DOCUMENT_PLATFORM_BIT() values
 * @since 0.1
 */
SSM_EXTERN(unsigned int)
ssm_document_info_platforms(const ssm_document_info *info);

/**
 * Number of parameters (DescribeDocument, CreateDocument, UpdateDocument).
 *
 * @param info the description
 * @return the count
 * @since 0.1
 */
SSM_EXTERN(size_t)
ssm_document_info_params_count(const ssm_document_info *info);

/**
 * One parameter: name, `Type` (String or StringList as AWS reports it),
 * description and `DefaultValue`.
 *
 * @param[out] type_out         its type; may be NULL
 * @param[out] description_out  its description or NULL; may be NULL
 * @param[out] default_out      its default or NULL; may be NULL
 * @param info                  the description
 * @param i                     0..count-1
 * @return its name, owned by @p info; NULL when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_info_param_at(const char **type_out, const char **description_out,
			   const char **default_out,
			   const ssm_document_info *info, size_t i);

/**
 * Number of tags (DescribeDocument, ListDocuments).
 *
 * @param info the description
 * @return the count
 * @since 0.1
 */
SSM_EXTERN(size_t) ssm_document_info_tags_count(const ssm_document_info *info);

/**
 * One tag.
 *
 * @param[out] value_out  its value, owned by @p info; may be NULL
 * @param info            the description
 * @param i               0..count-1
 * @return its key, owned by @p info; NULL when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_document_info_tag_at(const char **value_out, const ssm_document_info *info,
			 size_t i);

SSM_END_DECL

#endif
