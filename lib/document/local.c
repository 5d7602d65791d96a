/* SPDX-License-Identifier: Apache-2.0 */
/* The local half of ssm/document.h: parse, validate, convert and render
 * document text without a client. */
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/yaml.h"
#include "document/local.h"

/* ---- enums -----------------------------------------------------------------
 */

const char *ssm_document_type_str(ssm_document_type type)
{
	return ssm_doc__type_name(type);
}

ssm_err ssm_document_type_parse(ssm_document_type *out, const char *name)
{
	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(name);
	*out = ssm_doc__type_parse(name, strlen(name));
	if (!*out)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_DOCUMENT, NULL,
				      "'%.64s' is not a document type", name);
	return SSM_OK;
}

const char *ssm_document_format_str(ssm_document_format format)
{
	switch (format) {
	case SSM_DOCUMENT_JSON:
		return "JSON";
	case SSM_DOCUMENT_YAML:
		return "YAML";
	case SSM_DOCUMENT_TEXT:
		return "TEXT";
	case SSM_DOCUMENT_FORMAT_DEFAULT:
		break;
	}
	return NULL;
}

ssm_err ssm_document_format_parse(ssm_document_format *out, const char *name)
{
	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(name);
	if (strcasecmp(name, "JSON") == 0)
		*out = SSM_DOCUMENT_JSON;
	else if (strcasecmp(name, "YAML") == 0)
		*out = SSM_DOCUMENT_YAML;
	else if (strcasecmp(name, "TEXT") == 0)
		*out = SSM_DOCUMENT_TEXT;
	else
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_DOCUMENT, NULL,
				      "'%.64s' is not a document format (JSON, "
				      "YAML or TEXT)",
				      name);
	return SSM_OK;
}

const char *ssm_document_param_type_str(ssm_document_param_type type)
{
	return ssm_doc__param_type_name(type);
}

const char *ssm_document_platform_str(ssm_document_platform platform)
{
	return ssm_doc__platform_name(platform);
}

ssm_err ssm_document_platform_parse(ssm_document_platform *out,
				    const char *name)
{
	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(name);
	if (strcasecmp(name, "Linux") == 0)
		*out = SSM_DOCUMENT_LINUX;
	else if (strcasecmp(name, "Windows") == 0)
		*out = SSM_DOCUMENT_WINDOWS;
	else if (strcasecmp(name, "MacOS") == 0)
		*out = SSM_DOCUMENT_MACOS;
	else
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_DOCUMENT, NULL,
				      "'%.64s' is not a platform (Linux, "
				      "Windows or MacOS)",
				      name);
	return SSM_OK;
}

/* ---- options ----------------------------------------------------------------
 */

ssm_err ssm_document_parse_options_init(ssm_document_parse_options *opts,
					unsigned int version)
{
	SSM_ASSERT_ARG(opts);
	if (version == 0 || version > SSM_DOCUMENT_PARSE_OPTIONS_VERSION)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "ssm_document_parse_options version %u "
				      "is not supported (1..%u)",
				      version,
				      SSM_DOCUMENT_PARSE_OPTIONS_VERSION);
	memset(opts, 0, sizeof(*opts));
	opts->version = version;
	return SSM_OK;
}

ssm_err ssm_document_render_options_init(ssm_document_render_options *opts,
					 unsigned int version)
{
	SSM_ASSERT_ARG(opts);
	if (version == 0 || version > SSM_DOCUMENT_RENDER_OPTIONS_VERSION)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "ssm_document_render_options version %u "
				      "is not supported (1..%u)",
				      version,
				      SSM_DOCUMENT_RENDER_OPTIONS_VERSION);
	memset(opts, 0, sizeof(*opts));
	opts->version = version;
	return SSM_OK;
}

static ssm_err parse_options(ssm_document_parse_options *dst,
			     const ssm_document_parse_options *src)
{
	*dst = (ssm_document_parse_options)SSM_DOCUMENT_PARSE_OPTIONS_INIT;
	if (!src)
		return SSM_OK;
	SSM_CHECK_VERSION(src, SSM_DOCUMENT_PARSE_OPTIONS_VERSION,
			  "ssm_document_parse_options");
	dst->format = src->format;
	dst->type = src->type;
	if ((unsigned)dst->format > SSM_DOCUMENT_TEXT)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "unknown document format %d",
				      (int)dst->format);
	if (!ssm_doc__type_name(dst->type) && dst->type)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "unknown document type %d",
				      (int)dst->type);
	return SSM_OK;
}

/* ---- documents
 * --------------------------------------------------------------- */

ssm_err ssm_document__wrap(ssm_document **out, ssm_doc *doc)
{
	ssm_document *d = ssm__calloc(1, sizeof(*d));

	*out = NULL;
	if (!d) {
		ssm_doc__free(doc);
		return SSM_ERROR;
	}
	d->doc = doc;
	*out = d;
	return SSM_OK;
}

ssm_err ssm_document_parse(ssm_document **out, const char *content, size_t len,
			   const ssm_document_parse_options *opts)
{
	ssm_document_parse_options o;
	ssm_doc *doc = NULL;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(content || !len);
	SSM_TRY(parse_options(&o, opts));
	SSM_TRY(ssm_doc__parse(&doc, content ? content : "", len, o.format,
			       o.type, NULL));
	return ssm_document__wrap(out, doc);
}

void ssm_document_free(ssm_document *doc)
{
	if (!doc)
		return;
	ssm_doc__free(doc->doc);
	ssm__free(doc);
}

ssm_err ssm_document_validate(ssm_document_problems **out, const char *content,
			      size_t len,
			      const ssm_document_parse_options *opts)
{
	ssm_document_parse_options o;
	ssm_document_problems *p;
	ssm_doc *doc = NULL;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(content || !len);
	SSM_TRY(parse_options(&o, opts));
	p = ssm__calloc(1, sizeof(*p));
	if (!p)
		return SSM_ERROR;
	error = ssm_doc__parse(&doc, content ? content : "", len, o.format,
			       o.type, &p->p);
	ssm_doc__free(doc);
	if (error == SSM_ERROR || (error < 0 && !p->p.count)) {
		ssm_document_problems_free(p);
		return error == SSM_OK ? SSM_ERROR : error;
	}
	*out = p;
	return SSM_OK;
}

size_t ssm_document_problems_count(const ssm_document_problems *problems)
{
	return problems ? problems->p.count : 0;
}

static const ssm_doc_problem *problem_at(const ssm_document_problems *p,
					 size_t i)
{
	return p && i < p->p.count ? &p->p.items[i] : NULL;
}

const char *ssm_document_problem_code(const ssm_document_problems *problems,
				      size_t i)
{
	const ssm_doc_problem *p = problem_at(problems, i);

	return p ? p->code : NULL;
}

const char *ssm_document_problem_message(const ssm_document_problems *problems,
					 size_t i)
{
	const ssm_doc_problem *p = problem_at(problems, i);

	return p ? p->message : NULL;
}

uint32_t ssm_document_problem_line(const ssm_document_problems *problems,
				   size_t i)
{
	const ssm_doc_problem *p = problem_at(problems, i);

	return p ? p->line : 0;
}

uint32_t ssm_document_problem_column(const ssm_document_problems *problems,
				     size_t i)
{
	const ssm_doc_problem *p = problem_at(problems, i);

	return p ? p->column : 0;
}

const char *ssm_document_problem_step(const ssm_document_problems *problems,
				      size_t i)
{
	const ssm_doc_problem *p = problem_at(problems, i);

	return p ? p->step : NULL;
}

const char *ssm_document_problem_field(const ssm_document_problems *problems,
				       size_t i)
{
	const ssm_doc_problem *p = problem_at(problems, i);

	return p ? p->field : NULL;
}

void ssm_document_problems_free(ssm_document_problems *problems)
{
	if (!problems)
		return;
	ssm_doc__problems_dispose(&problems->p);
	ssm__free(problems);
}

const char *ssm_document_schema_version(const ssm_document *doc)
{
	return doc->doc->schema_version;
}

ssm_document_type ssm_document_type_of(const ssm_document *doc)
{
	return doc->doc->type;
}

ssm_document_format ssm_document_format_of(const ssm_document *doc)
{
	return doc->doc->format;
}

const char *ssm_document_description(const ssm_document *doc)
{
	return doc->doc->description;
}

unsigned int ssm_document_platforms(const ssm_document *doc)
{
	return doc->doc->platforms;
}

const char *ssm_document_session_type(const ssm_document *doc)
{
	return doc->doc->session_type;
}

size_t ssm_document_params_count(const ssm_document *doc)
{
	return doc->doc->nparams;
}

const char *ssm_document_param_name(const ssm_document *doc, size_t i)
{
	return i < doc->doc->nparams ? doc->doc->params[i].name : NULL;
}

ssm_document_param_type ssm_document_param_type_of(const ssm_document *doc,
						   size_t i)
{
	return i < doc->doc->nparams ? doc->doc->params[i].type
				     : SSM_DOCUMENT_PARAM_NONE;
}

const char *ssm_document_param_description(const ssm_document *doc, size_t i)
{
	return i < doc->doc->nparams ? doc->doc->params[i].description : NULL;
}

const char *ssm_document_param_default(const ssm_document *doc, size_t i)
{
	return i < doc->doc->nparams ? doc->doc->params[i].default_text : NULL;
}

size_t ssm_document_steps_count(const ssm_document *doc)
{
	return doc->doc->nsteps;
}

const char *ssm_document_step_name(const ssm_document *doc, size_t i)
{
	return i < doc->doc->nsteps ? doc->doc->steps[i].name : NULL;
}

const char *ssm_document_step_action(const ssm_document *doc, size_t i)
{
	return i < doc->doc->nsteps ? doc->doc->steps[i].action : NULL;
}

ssm_err ssm_doc__convert(ssm_str *out, const ssm_doc *doc,
			 ssm_document_format format)
{
	if (!doc->tree || !doc->tree->root)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_DOCUMENT, NULL,
				      "TEXT documents cannot be converted");
	if (format == SSM_DOCUMENT_JSON) {
		SSM_TRY(ssm_json_write(out, doc->tree->root,
				       SSM_JSON_WRITE_PRETTY));
		return ssm_str_putc(out, '\n');
	}
	if (format == SSM_DOCUMENT_YAML)
		return ssm_yaml_write(out, doc->tree->root, 0);
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_DOCUMENT, NULL,
			      "documents convert to JSON or YAML only");
}

ssm_err ssm_document_convert(ssm_buf *out, const ssm_document *doc,
			     ssm_document_format format)
{
	ssm_str s = SSM_STR_INIT;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(doc);
	error = ssm_doc__convert(&s, doc->doc, format);
	if (error == SSM_OK)
		error = ssm_str_to_buf(out, &s);
	ssm_str_dispose(&s);
	return error;
}

/* ---- render
 * ------------------------------------------------------------------ */

static ssm_err render_options(ssm_document_render_options *dst,
			      const ssm_document_render_options *src)
{
	*dst = (ssm_document_render_options)SSM_DOCUMENT_RENDER_OPTIONS_INIT;
	if (!src)
		return SSM_OK;
	SSM_CHECK_VERSION(src, SSM_DOCUMENT_RENDER_OPTIONS_VERSION,
			  "ssm_document_render_options");
	dst->platform = src->platform;
	dst->params = src->params;
	dst->params_count = src->params_count;
	dst->params_json = src->params_json;
	dst->flags = src->flags;
	dst->resolve_cb = src->resolve_cb;
	dst->resolve_payload = src->resolve_payload;
	dst->client = src->client;
	dst->document_name = src->document_name;
	dst->account_id = src->account_id;
	dst->region = src->region;
	dst->execution_id = src->execution_id;
	dst->now_ms = src->now_ms;
	if ((unsigned)dst->platform > SSM_DOCUMENT_MACOS)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "unknown platform %d",
				      (int)dst->platform);
	if (dst->params_count && !dst->params)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "invalid argument: 'params'");
	return SSM_OK;
}

ssm_err ssm_document_render(ssm_document_plan **out, const ssm_document *doc,
			    const ssm_document_render_options *opts)
{
	ssm_document_render_options o;
	ssm_doc_bind_args ba = { 0 };
	ssm_doc_render_args ra = { 0 };
	ssm_doc_bound *bound = NULL;
	ssm_doc_plan *plan = NULL;
	ssm_json_doc *pj = NULL;
	ssm_document__client_resolver cr;
	ssm_document_plan *p;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(doc);
	SSM_TRY(render_options(&o, opts));
	ssm_document__client_resolver_init(&cr, o.client);
	if (o.params_json) {
		ssm_json_limits lim = { .max_input = SSM_DOCUMENT_MAX_SIZE };

		error = ssm_json_parse(&pj, o.params_json,
				       strlen(o.params_json), &lim);
		if (error < 0)
			return error;
		if (ssm_json_typeof(pj->root) != SSM_JSON_OBJECT) {
			ssm_json_doc_free(pj);
			return ssm_error__set(SSM_EINVALID,
					      SSM_ERRCLASS_INVALID, NULL,
					      "params_json must be a JSON "
					      "object of parameter values");
		}
	}
	ba.params = o.params;
	ba.params_count = o.params_count;
	ba.params_json = pj ? pj->root : NULL;
	ba.document_name = o.document_name;
	error = ssm_doc__bind(&bound, doc->doc, &ba);
	if (error < 0)
		goto done;
	ra.platform = o.platform;
	ra.flags = o.flags & SSM_DOCUMENT_RENDER_KEEP_REFERENCES
			   ? SSM_DOC_RENDER_KEEP_REFS
			   : 0;
	ra.resolve_cb = o.resolve_cb;
	ra.resolve_payload = o.resolve_payload;
	if (!ra.resolve_cb && o.client) {
		ra.resolve_cb = ssm_document__client_resolve;
		ra.resolve_payload = &cr;
	}
	ra.document_name = o.document_name;
	ra.account_id = o.account_id;
	ra.region = o.region;
	ra.execution_id = o.execution_id;
	ra.now_ms = o.now_ms;
	error = ssm_doc__render(&plan, doc->doc, bound, &ra);
	if (error < 0)
		goto done;
	p = ssm__calloc(1, sizeof(*p));
	if (!p) {
		error = SSM_ERROR;
		goto done;
	}
	p->plan = plan;
	plan = NULL;
	*out = p;
done:
	ssm_doc__plan_free(plan);
	ssm_doc__bound_free(bound);
	ssm_json_doc_free(pj);
	ssm_document__client_resolver_dispose(&cr);
	return error;
}

void ssm_document_plan_free(ssm_document_plan *plan)
{
	if (!plan)
		return;
	ssm_doc__plan_free(plan->plan);
	ssm__free(plan);
}

size_t ssm_document_plan_steps_count(const ssm_document_plan *plan)
{
	return plan->plan->nsteps;
}

static const ssm_doc_plan_step *plan_step(const ssm_document_plan *plan,
					  size_t i)
{
	return plan && i < plan->plan->nsteps ? &plan->plan->steps[i] : NULL;
}

const char *ssm_document_plan_step_name(const ssm_document_plan *plan, size_t i)
{
	const ssm_doc_plan_step *s = plan_step(plan, i);

	return s ? s->name : NULL;
}

const char *ssm_document_plan_step_action(const ssm_document_plan *plan,
					  size_t i)
{
	const ssm_doc_plan_step *s = plan_step(plan, i);

	return s ? s->action : NULL;
}

ssm_document_step_state
ssm_document_plan_step_state(const ssm_document_plan *plan, size_t i)
{
	const ssm_doc_plan_step *s = plan_step(plan, i);

	return s ? s->state : SSM_DOCUMENT_STEP_FAIL;
}

const char *ssm_document_plan_step_reason(const ssm_document_plan *plan,
					  size_t i)
{
	const ssm_doc_plan_step *s = plan_step(plan, i);

	return s ? s->reason : NULL;
}

int64_t ssm_document_plan_step_timeout_s(const ssm_document_plan *plan,
					 size_t i)
{
	const ssm_doc_plan_step *s = plan_step(plan, i);

	return s ? s->timeout_s : 0;
}

ssm_err ssm_document_plan_step_inputs(ssm_buf *out,
				      const ssm_document_plan *plan, size_t i,
				      unsigned int flags)
{
	const ssm_doc_plan_step *s;
	ssm_str text = SSM_STR_INIT;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(plan);
	s = plan_step(plan, i);
	if (!s)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "the plan has no step %zu", i);
	error = ssm_doc__plan_write_value(&text, plan->plan, s->inputs, flags);
	if (error == SSM_OK)
		error = ssm_str_to_buf(out, &text);
	ssm_str_dispose_secure(&text);
	return error;
}

ssm_err ssm_document_plan_json(ssm_buf *out, const ssm_document_plan *plan,
			       unsigned int flags)
{
	ssm_str text = SSM_STR_INIT;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(plan);
	error = ssm_doc__plan_write(&text, plan->plan, flags);
	if (error == SSM_OK)
		error = ssm_str_to_buf(out, &text);
	ssm_str_dispose_secure(&text);
	return error;
}
