/* SPDX-License-Identifier: Apache-2.0 */
/* The document engine's internal model and its entry points for other
 * engines (Run Command, Session Manager, Automation, State Manager).
 *
 *   text --ssm_doc__parse--> ssm_doc --ssm_doc__bind--> ssm_doc_bound
 *        --ssm_doc__render--> ssm_doc_plan --ssm_doc__plan_write--> JSON
 *
 * ssm_doc is the typed model of valid content: parameters and steps point
 * into the parsed tree, which the model owns. It is read-only after parse,
 * so one ssm_doc may be shared by threads that only read it.
 *
 * Binding checks and coerces caller values against the parameter
 * definitions (types, allowedValues, allowedPattern, min/max items and
 * chars) and fills defaults: what SendCommand/StartSession/StartAutomation
 * do on the server.
 *
 * Rendering interpolates every step (spec 1.4): parameters, then Parameter
 * Store references through the resolver, then built-ins and Automation step
 * outputs. The plan is what the agent runs; its tree holds every value. The
 * Run Command engine renders on the server with SSM_DOC_RENDER_KEEP_REFS
 * (late binding on the node, as AWS does) and the agent renders again with
 * its resolver. */
#ifndef SSM_DOCUMENT_DOC_H
#define SSM_DOCUMENT_DOC_H

#include <stdbool.h>
#include <stdint.h>

#include "ssm/document.h"
#include "core/arena.h"
#include "core/json.h"
#include "core/str.h"

#define SSM_DOC_MAX_PROBLEMS 100
#define SSM_DOC_TIMEOUT_DEFAULT 3600
#define SSM_DOC_TIMEOUT_MIN 5
#define SSM_DOC_TIMEOUT_MAX 172800

/* AWS error names of documents. */
#define SSM_DOC_E_CONTENT "InvalidDocumentContent"
#define SSM_DOC_E_SCHEMA "InvalidDocumentSchemaVersion"
#define SSM_DOC_E_SIZE "MaxDocumentSizeExceeded"
#define SSM_DOC_E_PARAMS "InvalidParameters"
#define SSM_DOC_E_AUTOMATION_PARAMS \
	"InvalidAutomationExecutionParametersException"

/* ---- regular expressions (allowedPattern) ------------------------------ */

typedef struct ssm_doc_regex ssm_doc_regex;

/* Compile @pattern (PCRE2, UTF). SSM_EINVALID with PCRE2's message and the
 * offset of the problem as "<what> at offset N". */
ssm_err ssm_doc__regex_compile(ssm_doc_regex **out, const char *pattern,
			       size_t len);
/* Find @re anywhere in @s (the agent's unanchored MatchString): 1 when it
 * matches, 0 when not, -1 when it cannot be decided within the match and
 * depth limits (a catastrophic pattern), -2 when out of memory (the error
 * is set). */
int ssm_doc__regex_find(const ssm_doc_regex *re, const char *s, size_t len);
void ssm_doc__regex_free(ssm_doc_regex *re);
/* Drop the cache of compiled patterns (at the last ssm_shutdown). */
void ssm_doc__regex_cache_dispose(void);

/* ---- the model ----------------------------------------------------------- */

typedef struct ssm_doc_plugin ssm_doc_plugin;

typedef struct ssm_doc_param {
	const char *name;
	ssm_document_param_type type;
	const char *description;
	const ssm_json *def;		/* default; NULL: required */
	const char *default_text;	/* AWS's DefaultValue form */
	const ssm_json *allowed_values; /* array, or NULL */
	const char *allowed_pattern;	/* or NULL */
	ssm_doc_regex *re;		/* compiled allowed_pattern */
	const char *display_type;
	int64_t min_items, max_items; /* -1: unset */
	int64_t min_chars, max_chars; /* -1: unset */
	bool env_var;		      /* interpolationType: ENV_VAR */
	const ssm_json *node;	      /* the definition */
} ssm_doc_param;

typedef struct ssm_doc_step {
	const char *name;
	const char *action;
	const ssm_doc_plugin *plugin; /* NULL for session steps */
	const ssm_json *inputs;	      /* object; NULL when absent */
	const ssm_json *precondition; /* 2.2; NULL when absent */
	const ssm_json *node;	      /* the step */
	const char *description;
	/* Automation */
	const char *on_failure; /* "Abort", "Continue", "step:X"; NULL */
	const char *on_cancel;
	const char *next_step;
	bool is_end;
	bool is_critical;	 /* default true (false with Continue) */
	int64_t max_attempts;	 /* default 1 */
	int64_t timeout_seconds; /* -1: unset */
	const ssm_json *outputs; /* step outputs (list), or NULL */
} ssm_doc_step;

typedef struct ssm_doc {
	ssm_json_doc *tree; /* the content; every pointer below is in it */
	ssm_document_format format;
	ssm_document_type type;
	const char *schema_version;
	int schema_major, schema_minor;
	const char *description;
	unsigned int platforms; /* SSM_DOCUMENT_PLATFORM_BIT set */
	ssm_doc_param *params;
	size_t nparams;
	ssm_doc_step *steps;
	size_t nsteps;
	/* Session */
	const char *session_type;
	const ssm_json *session_inputs;
	const ssm_json *session_properties;
	/* Automation */
	const char *assume_role;
	const ssm_json *outputs;
	size_t content_len; /* bytes of the text parsed */
} ssm_doc;

/* One problem found while validating content. */
typedef struct ssm_doc_problem {
	const char *code; /* static AWS error name */
	ssm_err err;	  /* SSM_EINVALID or SSM_ELIMIT */
	uint32_t line, column;
	const char *step;    /* or NULL */
	const char *field;   /* path, "" for the document */
	const char *message; /* the whole one-line message */
} ssm_doc_problem;

typedef struct ssm_doc_problems {
	ssm_arena arena;
	ssm_doc_problem *items;
	size_t count, cap;
} ssm_doc_problems;

void ssm_doc__problems_dispose(ssm_doc_problems *problems);

/* Parse and validate @len bytes of content. @format 0 detects JSON/YAML;
 * @type 0 infers it from schemaVersion. With @problems every problem is
 * collected there (at most SSM_DOC_MAX_PROBLEMS); either way the first one
 * is the error returned, with its AWS name as service code. On failure
 * *@out is NULL. */
ssm_err ssm_doc__parse(ssm_doc **out, const char *text, size_t len,
		       ssm_document_format format, ssm_document_type type,
		       ssm_doc_problems *problems);
void ssm_doc__free(ssm_doc *doc);

/* The parameter named @name (@len bytes), or NULL. */
const ssm_doc_param *ssm_doc__param(const ssm_doc *doc, const char *name,
				    size_t len);
/* The step named @name, or NULL. */
const ssm_doc_step *ssm_doc__step(const ssm_doc *doc, const char *name);

/* Names of the enums (static text) and back. */
const char *ssm_doc__type_name(ssm_document_type type);
ssm_document_type ssm_doc__type_parse(const char *s, size_t len);
const char *ssm_doc__param_type_name(ssm_document_param_type type);
/* The `Type` DocumentDescription.Parameters reports: String or StringList. */
const char *ssm_doc__param_wire_type(ssm_document_param_type type);
const char *ssm_doc__platform_name(ssm_document_platform p);

/* ---- plugins ------------------------------------------------------------- */

/* Kinds of value an input takes. */
typedef enum ssm_doc_in {
	SSM_DOC_IN_ANY = 0,
	SSM_DOC_IN_STRING,	  /* a string */
	SSM_DOC_IN_SCALAR,	  /* string, number or boolean */
	SSM_DOC_IN_STRINGS,	  /* a string or a (nested) list of strings */
	SSM_DOC_IN_STRING_LIST,	  /* a list of strings */
	SSM_DOC_IN_MAP,		  /* an object */
	SSM_DOC_IN_MAP_OR_STRING, /* an object or a string (JSON text) */
	SSM_DOC_IN_BOOL,	  /* a boolean or "true"/"false" */
	SSM_DOC_IN_INT,		  /* an integer or a string of one */
	SSM_DOC_IN_LIST,	  /* any list */
	SSM_DOC_IN_SECRET	  /* a string that may be {{ssm-secure:...}} */
} ssm_doc_in;

typedef struct ssm_doc_input {
	const char *name;
	ssm_doc_in kind;
	bool required;
} ssm_doc_input;

#define SSM_DOC_PLUGIN_COMMAND 1u    /* Command / Policy steps */
#define SSM_DOC_PLUGIN_AUTOMATION 2u /* Automation actions */

struct ssm_doc_plugin {
	const char *name;
	unsigned int kind;	/* SSM_DOC_PLUGIN_* */
	unsigned int platforms; /* SSM_DOCUMENT_PLATFORM_BIT set */
	int min_schema;		/* 12: 1.2 and later, 20: 2.0 and later */
	bool open;		/* inputs beyond the table are allowed */
	bool script;		/* runCommand is shell/PowerShell text */
	const ssm_doc_input *inputs;
	size_t ninputs;
	int64_t default_timeout; /* Automation: the action's default */
};

const ssm_doc_plugin *ssm_doc__plugin(const char *name, size_t len,
				      unsigned int kind);
const ssm_doc_input *ssm_doc__plugin_input(const ssm_doc_plugin *plugin,
					   const char *name, size_t len);
/* May a `{{ssm-secure:...}}` reference be resolved at this input path
 * ("sourceInfo.tokenInfo")? */
bool ssm_doc__secure_allowed(const ssm_doc_plugin *plugin, const char *path);

/* ---- tokens ---------------------------------------------------------------
 */

typedef enum ssm_doc_token_kind {
	SSM_DOC_TOK_PARAM = 1,	 /* {{ name }} */
	SSM_DOC_TOK_SSM,	 /* {{ssm:name}} */
	SSM_DOC_TOK_SECURE,	 /* {{ssm-secure:name}} */
	SSM_DOC_TOK_GLOBAL,	 /* {{ global:NAME }} */
	SSM_DOC_TOK_AUTOMATION,	 /* {{ automation:NAME }} */
	SSM_DOC_TOK_STEP_OUTPUT, /* {{ step.Output }} */
} ssm_doc_token_kind;

typedef struct ssm_doc_token {
	ssm_doc_token_kind kind;
	size_t start, end; /* of the whole {{ ... }} */
	const char *body;  /* the name after any prefix */
	size_t body_len;
} ssm_doc_token;

/* Find the next token in @s at or after @from. false when there is none. */
bool ssm_doc__token_next(ssm_doc_token *tok, const char *s, size_t len,
			 size_t from);
/* If @s is exactly one token (optional whitespace inside the braces only),
 * fill @tok and return true. */
bool ssm_doc__token_whole(ssm_doc_token *tok, const char *s, size_t len);

/* ---- binding parameter values ------------------------------------------- */

typedef struct ssm_doc_bound {
	ssm_json_doc *tree; /* owns the values */
	ssm_json **values;  /* one per doc->params, in order */
	bool *from_default;
	size_t count;
} ssm_doc_bound;

/* Where parameter values come from. */
typedef struct ssm_doc_bind_args {
	const ssm_document_param_value *params; /* SendCommand form */
	size_t params_count;
	const ssm_json *params_json; /* object name -> value; or NULL */
	const char *document_name;   /* for messages; NULL: "document" */
	/* Values containing {{ssm:...}} skip the optional checks and the
	 * pattern (checked again after resolution at render). */
} ssm_doc_bind_args;

/* Check and coerce the caller's values, fill defaults. Errors name the
 * parameter: InvalidParameters (Command, Session) or
 * InvalidAutomationExecutionParametersException (Automation). */
ssm_err ssm_doc__bind(ssm_doc_bound **out, const ssm_doc *doc,
		      const ssm_doc_bind_args *args);
void ssm_doc__bound_free(ssm_doc_bound *bound);

/* Check one value against its definition (allowedValues, allowedPattern,
 * min/max). @what names the value in messages. */
ssm_err ssm_doc__check_value(const ssm_doc *doc, const ssm_doc_param *p,
			     const ssm_json *value, bool pattern_only);

/* ---- rendering -------------------------------------------------------------
 */

/* Flags of ssm_doc_render_args. */
#define SSM_DOC_RENDER_KEEP_REFS (1u << 0) /* leave {{ssm:}} as written */

typedef struct ssm_doc_render_args {
	ssm_document_platform platform;	    /* 0: Linux */
	unsigned int flags;		    /* SSM_DOC_RENDER_* */
	ssm_document_resolve_cb resolve_cb; /* NULL: keep references */
	void *resolve_payload;
	const char *document_name;
	const char *account_id;	  /* global:ACCOUNT_ID; NULL: default */
	const char *region;	  /* global:REGION */
	const char *partition;	  /* global:AWS_PARTITION; NULL: "aws" */
	const char *execution_id; /* automation:EXECUTION_ID; NULL: keep */
	int64_t now_ms;		  /* global:DATE(_TIME); 0: now */
	/* Automation step outputs: fill *out with the value of
	 * {{ step.name }}, or NULL to leave the token. NULL: keep them. */
	ssm_err (*step_output)(const ssm_json **out, void *payload,
			       const char *step, size_t step_len,
			       const char *name, size_t name_len);
	void *step_output_payload;
} ssm_doc_render_args;

/* A step of a plan. */
typedef struct ssm_doc_plan_step {
	const ssm_doc_step *step; /* in the document */
	const char *name;
	const char *action;
	ssm_document_step_state state;
	const char *reason;	/* why SKIP or FAIL */
	ssm_json *inputs;	/* interpolated; an object (never NULL) */
	int64_t timeout_s;	/* normalised; 0 for Session documents */
	const char *on_failure; /* "exit", "successAndExit" or NULL */
	const char *on_success; /* "exit" or NULL */
	bool finally_step;	/* honoured on the last step only */
	bool secret;		/* inputs hold ssm-secure values */
} ssm_doc_plan_step;

/* A string node of a plan that holds a secret, and the text it replaced. */
typedef struct ssm_doc_secret {
	const ssm_json *node;
	const char *original;
	size_t original_len;
} ssm_doc_secret;

typedef struct ssm_doc_plan {
	ssm_json_doc *tree; /* owns every node and string (wiped on free) */
	const ssm_doc *doc;
	ssm_document_platform platform;
	ssm_json *parameters;	  /* object: the effective values */
	ssm_json *env;		  /* object: SSM_<name> -> value (ENV_VAR) */
	ssm_json *session_inputs; /* Session: interpolated `inputs` */
	ssm_doc_plan_step *steps;
	size_t nsteps;
	ssm_doc_secret *secrets;
	size_t nsecrets, secrets_cap;
} ssm_doc_plan;

/* Render @doc with @bound values. The plan keeps a pointer to @doc (which
 * must outlive it), not to @bound. */
ssm_err ssm_doc__render(ssm_doc_plan **out, const ssm_doc *doc,
			const ssm_doc_bound *bound,
			const ssm_doc_render_args *args);
void ssm_doc__plan_free(ssm_doc_plan *plan);

/* Write the plan (SSM_DOCUMENT_PLAN_* flags) or one value of it. */
ssm_err ssm_doc__plan_write(ssm_str *out, const ssm_doc_plan *plan,
			    unsigned int flags);
ssm_err ssm_doc__plan_write_value(ssm_str *out, const ssm_doc_plan *plan,
				  const ssm_json *v, unsigned int flags);

/* Flatten a runCommand value (string, or nested lists of strings) into
 * lines, as the agent's ParseRunCommand does; strings point into the plan. */
ssm_err ssm_doc__run_command_lines(const char ***lines_out, size_t *count_out,
				   ssm_arena *arena, const ssm_json *v);

/* Normalise an execution timeout as the agent does: strings are parsed,
 * fractions cut, anything missing, invalid or outside 5..172800 is 3600. */
int64_t ssm_doc__timeout(const ssm_json *v);

#endif
