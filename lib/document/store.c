/* SPDX-License-Identifier: Apache-2.0 */
/* The document store: AWS's document operations over the store layer.
 *
 * Keys under "<service prefix>document/":
 *
 *   h/<name>              head: owner, type, latest and default version,
 *                         version count, sharing, and the default
 *                         version's metadata (what ListDocuments shows)
 *   v/<name>/<%020u>      metadata of one version
 *   c/<name>/<%020u>      content of one version, as stored
 *   x/<name>/<sha256>     version holding that content
 * (DuplicateDocumentContent) n/<name>/<vname>      version carrying that
 * VersionName t/<name>              tags count                 documents
 * created by callers (the 500 quota) builtin               digest of the seeded
 * built-in set
 *
 * Every write is one transaction guarded by compares on the keys it read,
 * so a failed or conflicting create/update/delete leaves the store as it
 * was; conflicts are retried. Records are JSON. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/op.h"
#include "core/alloc.h"
#include "core/crypto.h"
#include "core/ctx.h"
#include "core/encode.h"
#include "core/error.h"
#include "document/api.h"
#include "document/engine.h"
#include "document/local.h"

#define ATTEMPTS 100
#define DEFAULT_PAGE 50
#define SHARE_LIMIT 1000

/* ---- errors -----------------------------------------------------------------
 */

static ssm_err e_no_document(void)
{
	return ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_DOCUMENT,
			      "InvalidDocument",
			      "The specified document does not exist.");
}

static ssm_err e_bad_version(void)
{
	return ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_DOCUMENT,
			      "InvalidDocumentVersion",
			      "The document version is not valid or does not "
			      "exist.");
}

static ssm_err e_operation(const char *msg)
{
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_DOCUMENT,
			      "InvalidDocumentOperation", "%s", msg);
}

static ssm_err e_amazon(void)
{
	return e_operation("Documents owned by Amazon cannot be changed.");
}

static ssm_err e_validation(const char *fmt, ...) SSM_FORMAT_PRINTF(1, 2);

static ssm_err e_validation(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_DOCUMENT,
			      "ValidationException", "%s", msg);
}

static ssm_err e_next_token(void)
{
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_DOCUMENT,
			      "InvalidNextToken",
			      "The specified token is not valid.");
}

static ssm_err e_conflict(void)
{
	return ssm_error__set(SSM_ECONFLICT, SSM_ERRCLASS_DOCUMENT,
			      "TooManyUpdates",
			      "There are concurrent updates for the document; "
			      "try again.");
}

/* ---- the engine
 * -------------------------------------------------------------- */

struct engine {
	uint64_t max_documents;
	uint64_t max_versions;
};

static struct engine *engine_of(const ssm_service *svc)
{
	return svc->engine[SSM_ENGINE_DOCUMENT];
}

void ssm_document__set_limits(ssm_service *svc, uint64_t max_documents,
			      uint64_t max_versions)
{
	struct engine *e = engine_of(svc);

	e->max_documents =
		max_documents ? max_documents : SSM_DOCUMENT_MAX_DOCUMENTS;
	e->max_versions =
		max_versions ? max_versions : SSM_DOCUMENT_MAX_VERSIONS;
}

/* ---- keys -------------------------------------------------------------------
 */

static ssm_err key_plain(ssm_str *k, const ssm_service *svc, const char *what)
{
	ssm_str_clear(k);
	SSM_TRY(ssm_str_put(k, svc->prefix, svc->prefix_len));
	SSM_TRY(ssm_str_puts(k, "document/"));
	return ssm_str_puts(k, what);
}

static ssm_err key_name(ssm_str *k, const ssm_service *svc, char kind,
			const char *name)
{
	char what[4] = { kind, '/', '\0', '\0' };

	SSM_TRY(key_plain(k, svc, what));
	return ssm_str_puts(k, name);
}

/* "<kind>/<name>/" : every key of one document of that kind */
static ssm_err key_dir(ssm_str *k, const ssm_service *svc, char kind,
		       const char *name)
{
	SSM_TRY(key_name(k, svc, kind, name));
	return ssm_str_putc(k, '/');
}

static ssm_err key_ver(ssm_str *k, const ssm_service *svc, char kind,
		       const char *name, uint64_t version)
{
	SSM_TRY(key_dir(k, svc, kind, name));
	return ssm_str_printf(k, "%020" PRIu64, version);
}

static ssm_err key_sub(ssm_str *k, const ssm_service *svc, char kind,
		       const char *name, const char *sub)
{
	SSM_TRY(key_dir(k, svc, kind, name));
	return ssm_str_puts(k, sub);
}

/* ---- records
 * ------------------------------------------------------------------ */

struct vmeta {
	uint64_t version;
	const char *format;
	const char *hash;
	const char *type;
	const char *schema;
	const char *description;
	const char *display_name;
	const char *version_name;
	const char *target_type;
	int64_t created_ms;
	const char **platforms;
	size_t nplatforms;
	ssm_api_document_parameter *params;
	size_t nparams;
	ssm_api_document_requires *requires;
	size_t nrequires;
	const char **attachments;
	size_t nattachments;
};

struct head {
	const char *name;
	const char *owner;
	const char *type;
	int64_t created_ms;
	uint64_t latest;
	uint64_t def;
	uint64_t count;
	bool counted;
	const char **shared;
	size_t nshared;
	const char *shared_version;
	struct vmeta meta; /* of the default version */
};

static void jw_str(ssm_jsonw *w, const char *key, const char *value)
{
	if (!value)
		return;
	ssm_jsonw_keyz(w, key);
	ssm_jsonw_stringz(w, value);
}

static void jw_strs(ssm_jsonw *w, const char *key, const char *const *v,
		    size_t n)
{
	size_t i;

	ssm_jsonw_keyz(w, key);
	ssm_jsonw_array_begin(w);
	for (i = 0; i < n; i++)
		ssm_jsonw_stringz(w, v[i]);
	ssm_jsonw_array_end(w);
}

static void meta_write(ssm_jsonw *w, const struct vmeta *m)
{
	size_t i;

	ssm_jsonw_object_begin(w);
	ssm_jsonw_keyz(w, "Version");
	ssm_jsonw_uint64(w, m->version);
	jw_str(w, "Format", m->format);
	jw_str(w, "Hash", m->hash);
	jw_str(w, "Type", m->type);
	jw_str(w, "Schema", m->schema);
	jw_str(w, "Description", m->description);
	jw_str(w, "DisplayName", m->display_name);
	jw_str(w, "VersionName", m->version_name);
	jw_str(w, "TargetType", m->target_type);
	ssm_jsonw_keyz(w, "Created");
	ssm_jsonw_int64(w, m->created_ms);
	jw_strs(w, "Platforms", m->platforms, m->nplatforms);
	ssm_jsonw_keyz(w, "Parameters");
	ssm_jsonw_array_begin(w);
	for (i = 0; i < m->nparams; i++) {
		ssm_jsonw_object_begin(w);
		jw_str(w, "Name", m->params[i].name);
		jw_str(w, "Type", m->params[i].type);
		jw_str(w, "Description", m->params[i].description);
		jw_str(w, "DefaultValue", m->params[i].default_value);
		ssm_jsonw_object_end(w);
	}
	ssm_jsonw_array_end(w);
	ssm_jsonw_keyz(w, "Requires");
	ssm_jsonw_array_begin(w);
	for (i = 0; i < m->nrequires; i++) {
		ssm_jsonw_object_begin(w);
		jw_str(w, "Name", m->requires[i].name);
		jw_str(w, "Version", m->requires[i].version);
		jw_str(w, "RequireType", m->requires[i].require_type);
		jw_str(w, "VersionName", m->requires[i].version_name);
		ssm_jsonw_object_end(w);
	}
	ssm_jsonw_array_end(w);
	jw_strs(w, "Attachments", m->attachments, m->nattachments);
	ssm_jsonw_object_end(w);
}

static ssm_err meta_encode(ssm_str *out, const struct vmeta *m)
{
	ssm_jsonw w;

	ssm_str_clear(out);
	ssm_jsonw_init(&w, out, 0);
	meta_write(&w, m);
	return ssm_jsonw_finish(&w);
}

static ssm_err head_encode(ssm_str *out, const struct head *h)
{
	ssm_jsonw w;

	ssm_str_clear(out);
	ssm_jsonw_init(&w, out, 0);
	ssm_jsonw_object_begin(&w);
	jw_str(&w, "Name", h->name);
	jw_str(&w, "Owner", h->owner);
	jw_str(&w, "Type", h->type);
	ssm_jsonw_keyz(&w, "Created");
	ssm_jsonw_int64(&w, h->created_ms);
	ssm_jsonw_keyz(&w, "Latest");
	ssm_jsonw_uint64(&w, h->latest);
	ssm_jsonw_keyz(&w, "Default");
	ssm_jsonw_uint64(&w, h->def);
	ssm_jsonw_keyz(&w, "Count");
	ssm_jsonw_uint64(&w, h->count);
	ssm_jsonw_keyz(&w, "Counted");
	ssm_jsonw_bool(&w, h->counted);
	jw_strs(&w, "Shared", h->shared, h->nshared);
	jw_str(&w, "SharedVersion", h->shared_version);
	ssm_jsonw_keyz(&w, "DefaultMeta");
	meta_write(&w, &h->meta);
	ssm_jsonw_object_end(&w);
	return ssm_jsonw_finish(&w);
}

static const char *js(const ssm_json *o, const char *key)
{
	return ssm_json_str(ssm_json_get(o, key));
}

static uint64_t ju(const ssm_json *o, const char *key)
{
	const ssm_json *v = ssm_json_get(o, key);

	return ssm_json_is_integer(v) && v->u.num.i > 0 ? (uint64_t)v->u.num.i
							: 0;
}

static ssm_err strs_read(const char ***out, size_t *n, ssm_arena *a,
			 const ssm_json *arr)
{
	size_t i;

	*out = NULL;
	*n = ssm_json_size(arr);
	if (!*n)
		return SSM_OK;
	*out = ssm_arena_calloc(a, *n, sizeof(**out));
	if (!*out)
		return SSM_ERROR;
	for (i = 0; i < *n; i++)
		(*out)[i] = ssm_json_str(ssm_json_at(arr, i));
	return SSM_OK;
}

static ssm_err corrupt(const char *what)
{
	return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_DOCUMENT, NULL,
			      "the stored %s record is damaged", what);
}

static ssm_err meta_read(struct vmeta *m, ssm_arena *a, const ssm_json *o)
{
	const ssm_json *arr;
	size_t i;

	memset(m, 0, sizeof(*m));
	if (ssm_json_typeof(o) != SSM_JSON_OBJECT)
		return corrupt("document version");
	m->version = ju(o, "Version");
	m->format = js(o, "Format");
	m->hash = js(o, "Hash");
	m->type = js(o, "Type");
	m->schema = js(o, "Schema");
	m->description = js(o, "Description");
	m->display_name = js(o, "DisplayName");
	m->version_name = js(o, "VersionName");
	m->target_type = js(o, "TargetType");
	m->created_ms = (int64_t)ju(o, "Created");
	SSM_TRY(strs_read(&m->platforms, &m->nplatforms, a,
			  ssm_json_get(o, "Platforms")));
	SSM_TRY(strs_read(&m->attachments, &m->nattachments, a,
			  ssm_json_get(o, "Attachments")));
	arr = ssm_json_get(o, "Parameters");
	if ((m->nparams = ssm_json_size(arr))) {
		m->params = ssm_arena_calloc(a, m->nparams, sizeof(*m->params));
		if (!m->params)
			return SSM_ERROR;
		for (i = 0; i < m->nparams; i++) {
			const ssm_json *p = ssm_json_at(arr, i);

			m->params[i].name = (char *)js(p, "Name");
			m->params[i].type = (char *)js(p, "Type");
			m->params[i].description = (char *)js(p, "Description");
			m->params[i].default_value =
				(char *)js(p, "DefaultValue");
		}
	}
	arr = ssm_json_get(o, "Requires");
	if ((m->nrequires = ssm_json_size(arr))) {
		m->requires =
			ssm_arena_calloc(a, m->nrequires, sizeof(*m->requires));
		if (!m->requires)
			return SSM_ERROR;
		for (i = 0; i < m->nrequires; i++) {
			const ssm_json *p = ssm_json_at(arr, i);

			m->requires[i].name = (char *)js(p, "Name");
			m->requires[i].version = (char *)js(p, "Version");
			m->requires[i].require_type =
				(char *)js(p, "RequireType");
			m->requires[i].version_name =
				(char *)js(p, "VersionName");
		}
	}
	if (!m->version || !m->format || !m->hash || !m->type)
		return corrupt("document version");
	return SSM_OK;
}

static ssm_err head_read(struct head *h, ssm_arena *a, const ssm_json *o)
{
	memset(h, 0, sizeof(*h));
	if (ssm_json_typeof(o) != SSM_JSON_OBJECT)
		return corrupt("document");
	h->name = js(o, "Name");
	h->owner = js(o, "Owner");
	h->type = js(o, "Type");
	h->created_ms = (int64_t)ju(o, "Created");
	h->latest = ju(o, "Latest");
	h->def = ju(o, "Default");
	h->count = ju(o, "Count");
	h->counted = ssm_json_bool(ssm_json_get(o, "Counted"));
	h->shared_version = js(o, "SharedVersion");
	SSM_TRY(strs_read(&h->shared, &h->nshared, a,
			  ssm_json_get(o, "Shared")));
	if (!h->name || !h->owner || !h->type || !h->latest || !h->def)
		return corrupt("document");
	return meta_read(&h->meta, a, ssm_json_get(o, "DefaultMeta"));
}

/* Read a JSON record: SSM_ENOTFOUND (without a message) when absent. */
static ssm_err record_get(ssm_json_doc **doc, uint64_t *modrev,
			  const ssm_service *svc, const ssm_str *key)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_err error;

	*doc = NULL;
	if (modrev)
		*modrev = 0;
	error = ssm_store_get(&kv, svc->store, key->ptr, key->size);
	if (error == SSM_ENOTFOUND)
		return SSM_ENOTFOUND;
	if (error < 0)
		return error;
	if (modrev)
		*modrev = kv.mod_revision;
	error = ssm_json_parse(doc, kv.value.ptr ? kv.value.ptr : "",
			       kv.value.size, NULL);
	if (error == SSM_EINVALID || error == SSM_ELIMIT)
		error = corrupt("document");
	ssm_store_kv_dispose(&kv);
	return error;
}

/* A document's head: InvalidDocument when absent. */
static ssm_err head_get(struct head *h, ssm_json_doc **doc, uint64_t *modrev,
			const ssm_service *svc, const char *name)
{
	ssm_str key = SSM_STR_INIT;
	ssm_err error;

	error = key_name(&key, svc, 'h', name);
	if (error == SSM_OK)
		error = record_get(doc, modrev, svc, &key);
	ssm_str_dispose(&key);
	if (error == SSM_ENOTFOUND)
		return e_no_document();
	if (error < 0)
		return error;
	error = head_read(h, &(*doc)->arena, (*doc)->root);
	if (error < 0) {
		ssm_json_doc_free(*doc);
		*doc = NULL;
	}
	return error;
}

static ssm_err meta_get(struct vmeta *m, ssm_json_doc **doc,
			const ssm_service *svc, const char *name,
			uint64_t version)
{
	ssm_str key = SSM_STR_INIT;
	ssm_err error;

	error = key_ver(&key, svc, 'v', name, version);
	if (error == SSM_OK)
		error = record_get(doc, NULL, svc, &key);
	ssm_str_dispose(&key);
	if (error == SSM_ENOTFOUND)
		return e_bad_version();
	if (error < 0)
		return error;
	error = meta_read(m, &(*doc)->arena, (*doc)->root);
	if (error < 0) {
		ssm_json_doc_free(*doc);
		*doc = NULL;
	}
	return error;
}

/* The value of an index key (a version number); 0 when absent. */
static ssm_err index_get(uint64_t *version, const ssm_service *svc, char kind,
			 const char *name, const char *sub)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_str key = SSM_STR_INIT;
	ssm_err error;

	*version = 0;
	error = key_sub(&key, svc, kind, name, sub);
	if (error == SSM_OK)
		error = ssm_store_get(&kv, svc->store, key.ptr, key.size);
	ssm_str_dispose(&key);
	if (error == SSM_ENOTFOUND)
		return SSM_OK;
	if (error == SSM_OK)
		*version = kv.value.ptr ? strtoull(kv.value.ptr, NULL, 10) : 0;
	ssm_store_kv_dispose(&kv);
	return error;
}

/* ---- names and versions -------------------------------------------------- */

/* A name, or an ARN "arn:<partition>:ssm:<region>:<account>:document/<name>",
 * as the plain name; InvalidDocument for anything else. */
static ssm_err plain_name(const char **out, const ssm_service *svc,
			  const char *name)
{
	const char *slash;

	*out = name;
	if (!strchr(name, ':') && !strchr(name, '/'))
		return SSM_OK;
	slash = strstr(name, ":document/");
	if (strncmp(name, "arn:", 4) != 0 || !slash ||
	    strchr(slash + 10, '/') || strchr(slash + 10, ':') ||
	    strlen(slash + 10) < 3)
		return e_no_document();
	/* arn:aws:ssm:region:account:document/name; Amazon's have no
	 * account */
	{
		const char *p = name + 4;
		int colons = 0;

		while (p < slash) {
			if (*p == ':')
				colons++;
			p++;
		}
		(void)svc;
		if (colons != 3)
			return e_no_document();
	}
	*out = slash + 10;
	return SSM_OK;
}

static bool parse_version(uint64_t *out, const char *s)
{
	uint64_t v = 0;
	size_t i;

	if (!s || !*s || *s == '0' || strlen(s) > 18)
		return false;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

/* The version a (DocumentVersion, VersionName) pair selects. */
static ssm_err resolve_version(uint64_t *out, const ssm_service *svc,
			       const struct head *h, const char *dv,
			       const char *vname)
{
	uint64_t v = 0, by_name = 0;

	if (!dv || strcmp(dv, "$DEFAULT") == 0)
		v = vname ? 0 : h->def;
	else if (strcmp(dv, "$LATEST") == 0)
		v = h->latest;
	else if (!parse_version(&v, dv))
		return e_bad_version();
	if (vname) {
		SSM_TRY(index_get(&by_name, svc, 'n', h->name, vname));
		if (!by_name || (v && v != by_name))
			return e_bad_version();
		v = by_name;
	}
	if (!v || v > h->latest)
		return e_bad_version();
	*out = v;
	return SSM_OK;
}

static bool reserved_name(const char *name)
{
	return strncasecmp(name, "aws", 3) == 0 ||
	       strncasecmp(name, "amazon", 6) == 0 ||
	       strncasecmp(name, "amzn", 4) == 0;
}

static bool is_amazon(const struct head *h)
{
	return strcmp(h->owner, "Amazon") == 0;
}

/* ---- building versions ------------------------------------------------------
 */

/* What a new version is made of. */
struct new_version {
	const char *content;
	size_t len;
	ssm_document_format format;
	ssm_document_type type;
	const char *display_name;
	const char *version_name;
	const char *target_type;
	const ssm_api_list *requires;	 /* ssm_api_document_requires */
	const ssm_api_list *attachments; /* ssm_api_attachments_source */
};

static const char *version_text(ssm_arena *a, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return ssm_arena_strdup(a, buf);
}

/* Parse the content and fill the metadata of version @version. */
static ssm_err meta_build(struct vmeta *m, ssm_doc **doc_out, ssm_arena *a,
			  const struct new_version *nv, uint64_t version,
			  int64_t now_ms)
{
	char hash[SSM_SHA256_HEX_LEN + 1];
	ssm_doc *doc = NULL;
	size_t i, k;
	static const ssm_document_platform order[] = { SSM_DOCUMENT_WINDOWS,
						       SSM_DOCUMENT_LINUX,
						       SSM_DOCUMENT_MACOS };

	*doc_out = NULL;
	memset(m, 0, sizeof(*m));
	SSM_TRY(ssm_doc__parse(&doc, nv->content, nv->len, nv->format, nv->type,
			       NULL));
	*doc_out = doc;
	ssm_crypto_sha256_hex(hash, nv->content, nv->len);
	m->version = version;
	m->format = ssm_document_format_str(nv->format);
	m->hash = ssm_arena_strdup(a, hash);
	m->type = ssm_doc__type_name(nv->type);
	m->schema = doc->schema_version;
	m->description = doc->description;
	m->display_name = nv->display_name;
	m->version_name = nv->version_name;
	m->target_type = nv->target_type;
	m->created_ms = now_ms;
	if (!m->hash)
		return SSM_ERROR;
	m->platforms = ssm_arena_calloc(a, 3, sizeof(*m->platforms));
	if (!m->platforms)
		return SSM_ERROR;
	for (i = 0; i < 3; i++)
		if (doc->platforms & SSM_DOCUMENT_PLATFORM_BIT(order[i]))
			m->platforms[m->nplatforms++] =
				ssm_doc__platform_name(order[i]);
	if ((m->nparams = doc->nparams)) {
		m->params =
			ssm_arena_calloc(a, doc->nparams, sizeof(*m->params));
		if (!m->params)
			return SSM_ERROR;
		for (i = 0; i < doc->nparams; i++) {
			const ssm_doc_param *p = &doc->params[i];

			m->params[i].name = (char *)p->name;
			m->params[i].type =
				(char *)ssm_doc__param_wire_type(p->type);
			m->params[i].description = (char *)p->description;
			m->params[i].default_value = (char *)p->default_text;
		}
	}
	if (nv->requires && (m->nrequires = nv->requires->count))
	m->requires = nv->requires->items;
	if (nv->attachments && nv->attachments->count) {
		const ssm_api_attachments_source *src = nv->attachments->items;

		m->attachments = ssm_arena_calloc(a, nv->attachments->count,
						  sizeof(*m->attachments));
		if (!m->attachments)
			return SSM_ERROR;
		for (i = k = 0; i < nv->attachments->count; i++)
			if (src[i].name)
				m->attachments[k++] = src[i].name;
		m->nattachments = k;
	}
	return SSM_OK;
}

/* ---- tags
 * -------------------------------------------------------------------- */

/* The tags of a document into @list (allocated from @call). */
static ssm_err tags_get(ssm_api_list *list, ssm_call *call,
			const ssm_service *svc, const char *name)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_str key = SSM_STR_INIT;
	ssm_api_tag *tags = NULL;
	size_t n = 0;
	ssm_err error;

	list->items = NULL;
	list->count = 0;
	error = ssm_tags__key(&key, svc, "Document", name, strlen(name));
	if (error == SSM_OK)
		error = ssm_store_get(&kv, svc->store, key.ptr, key.size);
	ssm_str_dispose(&key);
	if (error == SSM_ENOTFOUND)
		return SSM_OK;
	if (error == SSM_OK)
		error = ssm_tags__decode(&tags, &n, &call->arena, kv.value.ptr,
					 kv.value.size);
	ssm_store_kv_dispose(&kv);
	if (error < 0)
		return error;
	list->items = tags;
	list->count = n;
	return SSM_OK;
}

/* ---- responses
 * --------------------------------------------------------------- */

static char *dup(ssm_call *call, const char *s, ssm_err *error)
{
	char *d;

	if (!s)
		return NULL;
	d = ssm_call__strdup(call, s);
	if (!d)
		*error = SSM_ERROR;
	return d;
}

static ssm_err strs_out(ssm_api_list *out, ssm_call *call, const char *const *v,
			size_t n)
{
	char **items;
	size_t i;
	ssm_err error = SSM_OK;

	out->items = NULL;
	out->count = 0;
	if (!n)
		return SSM_OK;
	items = ssm_call__alloc(call, n * sizeof(*items));
	if (!items)
		return SSM_ERROR;
	for (i = 0; i < n; i++)
		items[i] = dup(call, v[i], &error);
	out->items = items;
	out->count = n;
	return error;
}

static ssm_err requires_out(ssm_api_list *out, ssm_call *call,
			    const struct vmeta *m)
{
	ssm_api_document_requires *r;
	size_t i;
	ssm_err error = SSM_OK;

	out->items = NULL;
	out->count = 0;
	if (!m->nrequires)
		return SSM_OK;
	r = ssm_call__alloc(call, m->nrequires * sizeof(*r));
	if (!r)
		return SSM_ERROR;
	for (i = 0; i < m->nrequires; i++) {
		r[i].name = dup(call, m->requires[i].name, &error);
		r[i].version = dup(call, m->requires[i].version, &error);
		r[i].require_type =
			dup(call, m->requires[i].require_type, &error);
		r[i].version_name =
			dup(call, m->requires[i].version_name, &error);
	}
	out->items = r;
	out->count = m->nrequires;
	return error;
}

static ssm_err description_fill(ssm_api_document_description **out,
				ssm_service_call *sc, const struct head *h,
				const struct vmeta *m, bool with_tags)
{
	ssm_call *call = sc->call;
	ssm_api_document_description *d;
	ssm_err error = SSM_OK;
	size_t i;

	*out = NULL;
	d = ssm_call__alloc(call, sizeof(*d));
	if (!d)
		return SSM_ERROR;
	d->hash = dup(call, m->hash, &error);
	d->hash_type = dup(call, "Sha256", &error);
	d->name = dup(call, h->name, &error);
	d->display_name = dup(call, m->display_name, &error);
	d->version_name = dup(call, m->version_name, &error);
	d->owner = dup(call, h->owner, &error);
	d->created_ms = m->created_ms;
	d->status = dup(call, "Active", &error);
	d->document_version = (char *)version_text(&call->arena, m->version);
	d->description = dup(call, m->description, &error);
	d->document_type = dup(call, m->type, &error);
	d->schema_version = dup(call, m->schema, &error);
	d->latest_version = (char *)version_text(&call->arena, h->latest);
	d->default_version = (char *)version_text(&call->arena, h->def);
	d->document_format = dup(call, m->format, &error);
	d->target_type = dup(call, m->target_type, &error);
	if (!d->document_version || !d->latest_version || !d->default_version)
		error = SSM_ERROR;
	SSM_TRY(error);
	SSM_TRY(strs_out(&d->platform_types, call, m->platforms,
			 m->nplatforms));
	if (m->nparams) {
		ssm_api_document_parameter *p =
			ssm_call__alloc(call, m->nparams * sizeof(*p));

		if (!p)
			return SSM_ERROR;
		for (i = 0; i < m->nparams; i++) {
			p[i].name = dup(call, m->params[i].name, &error);
			p[i].type = dup(call, m->params[i].type, &error);
			p[i].description =
				dup(call, m->params[i].description, &error);
			p[i].default_value =
				dup(call, m->params[i].default_value, &error);
		}
		d->parameters.items = p;
		d->parameters.count = m->nparams;
		SSM_TRY(error);
	}
	if (m->nattachments) {
		ssm_api_attachment_information *a =
			ssm_call__alloc(call, m->nattachments * sizeof(*a));

		if (!a)
			return SSM_ERROR;
		for (i = 0; i < m->nattachments; i++)
			a[i].name = dup(call, m->attachments[i], &error);
		d->attachments_information.items = a;
		d->attachments_information.count = m->nattachments;
		SSM_TRY(error);
	}
	SSM_TRY(requires_out(&d->requires, call, m));
	if (with_tags)
		SSM_TRY(tags_get(&d->tags, call, sc->svc, h->name));
	*out = d;
	return SSM_OK;
}

/* ---- transactions ----------------------------------------------------------
 */

#define TXN_MAX 12

struct txn {
	ssm_store_compare cmps[TXN_MAX];
	ssm_store_op ops[TXN_MAX];
	ssm_str keys[2 * TXN_MAX];
	ssm_str values[TXN_MAX];
	size_t ncmps, nops, nkeys, nvalues;
};

static void txn_reset(struct txn *t)
{
	size_t i;

	for (i = 0; i < t->nkeys; i++)
		ssm_str_dispose(&t->keys[i]);
	for (i = 0; i < t->nvalues; i++)
		ssm_str_dispose(&t->values[i]);
	memset(t, 0, sizeof(*t));
}

static ssm_str *txn_key(struct txn *t)
{
	return &t->keys[t->nkeys++];
}

static ssm_str *txn_value(struct txn *t)
{
	return &t->values[t->nvalues++];
}

static void txn_cmp(struct txn *t, const ssm_str *key, uint64_t modrev)
{
	ssm_store_compare *c = &t->cmps[t->ncmps++];

	c->key = key->ptr;
	c->key_len = key->size;
	c->op = SSM_STORE_CMP_EQUAL;
	c->mod_revision = modrev;
}

static void txn_put(struct txn *t, const ssm_str *key, const void *value,
		    size_t len)
{
	ssm_store_op *o = &t->ops[t->nops++];

	o->type = SSM_STORE_OP_PUT;
	o->key = key->ptr;
	o->key_len = key->size;
	o->value = value ? value : "";
	o->value_len = len;
}

static void txn_del(struct txn *t, const ssm_str *key, bool prefix)
{
	ssm_store_op *o = &t->ops[t->nops++];

	o->type = prefix ? SSM_STORE_OP_DELETE_PREFIX : SSM_STORE_OP_DELETE;
	o->key = key->ptr;
	o->key_len = key->size;
}

static ssm_err txn_commit(const ssm_service *svc, struct txn *t)
{
	return ssm_store_txn(NULL, svc->store, t->cmps, t->ncmps, t->ops,
			     t->nops);
}

/* The count of caller-made documents and its key's revision. */
static ssm_err count_get(uint64_t *count, uint64_t *modrev,
			 const ssm_service *svc, ssm_str *key)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_err error;

	*count = *modrev = 0;
	SSM_TRY(key_plain(key, svc, "count"));
	error = ssm_store_get(&kv, svc->store, key->ptr, key->size);
	if (error == SSM_ENOTFOUND)
		return SSM_OK;
	if (error == SSM_OK) {
		*count = kv.value.ptr ? strtoull(kv.value.ptr, NULL, 10) : 0;
		*modrev = kv.mod_revision;
	}
	ssm_store_kv_dispose(&kv);
	return error;
}

/* ---- create
 * ------------------------------------------------------------------ */

/* Create document @name with its first version; fill *@desc_out from @sc
 * when both are given. @counted: it counts against the quota (documents
 * made by callers). */
static ssm_err create_document(ssm_api_document_description **desc_out,
			       ssm_service_call *sc, const ssm_service *svc,
			       const char *name, const char *owner,
			       const struct new_version *nv,
			       const ssm_api_list *tags, bool counted,
			       int64_t now_ms)
{
	struct engine *e = engine_of(svc);
	ssm_arena a = SSM_ARENA_INIT;
	struct txn t = { 0 };
	ssm_str *hk, *ck, *k, *v;
	struct head h;
	struct vmeta m;
	ssm_doc *doc = NULL;
	uint64_t count = 0, count_rev = 0;
	int attempt;
	ssm_err error;

	error = meta_build(&m, &doc, &a, nv, 1, now_ms);
	if (error < 0)
		goto done;
	memset(&h, 0, sizeof(h));
	h.name = name;
	h.owner = owner;
	h.type = ssm_doc__type_name(nv->type);
	h.created_ms = now_ms;
	h.latest = h.def = h.count = 1;
	h.counted = counted;
	h.meta = m;
	for (attempt = 0; attempt < ATTEMPTS; attempt++) {
		txn_reset(&t);
		ck = txn_key(&t);
		if (counted) {
			if ((error = count_get(&count, &count_rev, svc, ck)) <
			    0)
				goto done;
			if (count >= e->max_documents) {
				error = ssm_error__set(
					SSM_ELIMIT, SSM_ERRCLASS_DOCUMENT,
					"DocumentLimitExceeded",
					"You can have at most %" PRIu64
					" active SSM documents.",
					e->max_documents);
				goto done;
			}
		}
		hk = txn_key(&t);
		v = txn_value(&t);
		if ((error = key_name(hk, svc, 'h', name)) < 0 ||
		    (error = head_encode(v, &h)) < 0)
			goto done;
		txn_cmp(&t, hk, 0);
		txn_put(&t, hk, v->ptr, v->size);
		k = txn_key(&t);
		v = txn_value(&t);
		if ((error = key_ver(k, svc, 'v', name, 1)) < 0 ||
		    (error = meta_encode(v, &m)) < 0)
			goto done;
		txn_put(&t, k, v->ptr, v->size);
		k = txn_key(&t);
		if ((error = key_ver(k, svc, 'c', name, 1)) < 0)
			goto done;
		txn_put(&t, k, nv->content, nv->len);
		k = txn_key(&t);
		if ((error = key_sub(k, svc, 'x', name, m.hash)) < 0)
			goto done;
		txn_put(&t, k, "1", 1);
		if (m.version_name) {
			k = txn_key(&t);
			if ((error = key_sub(k, svc, 'n', name,
					     m.version_name)) < 0)
				goto done;
			txn_put(&t, k, "1", 1);
		}
		if (tags && tags->count) {
			k = txn_key(&t);
			v = txn_value(&t);
			if ((error = ssm_tags__key(k, svc, "Document", name,
						   strlen(name))) < 0 ||
			    (error = ssm_tags__encode(v, tags->items,
						      tags->count)) < 0)
				goto done;
			txn_put(&t, k, v->ptr, v->size);
		}
		if (counted) {
			v = txn_value(&t);
			if ((error = ssm_str_printf(v, "%" PRIu64, count + 1)) <
			    0)
				goto done;
			txn_cmp(&t, ck, count_rev);
			txn_put(&t, ck, v->ptr, v->size);
		}
		error = txn_commit(svc, &t);
		if (error != SSM_ECONFLICT)
			break;
		/* a document of that name appeared, or the count moved */
		{
			ssm_json_doc *hd = NULL;
			struct head other;

			error = head_get(&other, &hd, NULL, svc, name);
			ssm_json_doc_free(hd);
			if (error == SSM_OK) {
				error = ssm_error__set(
					SSM_EEXISTS, SSM_ERRCLASS_DOCUMENT,
					"DocumentAlreadyExists",
					"The specified document already "
					"exists.");
				goto done;
			}
			if (error != SSM_ENOTFOUND)
				goto done;
		}
	}
	if (attempt == ATTEMPTS)
		error = e_conflict();
	if (error == SSM_OK && sc && desc_out)
		error = description_fill(desc_out, sc, &h, &m, true);
done:
	txn_reset(&t);
	ssm_doc__free(doc);
	ssm_arena_dispose(&a);
	return error;
}

static ssm_err type_and_format(ssm_document_type *type,
			       ssm_document_format *format, const char *t,
			       const char *f)
{
	*type = t ? ssm_doc__type_parse(t, strlen(t)) : SSM_DOCUMENT_COMMAND;
	if (!*type)
		return e_validation("Invalid document type %s", t);
	*format = SSM_DOCUMENT_JSON;
	if (f && ssm_document_format_parse(format, f) < 0)
		return e_validation("Invalid document format %s", f);
	return SSM_OK;
}

ssm_err ssm_document__create(ssm_service_call *sc, const void *request,
			     void *response)
{
	const ssm_api_create_document_in *in = request;
	ssm_api_document_description_out *out = response;
	struct new_version nv = { 0 };

	if (reserved_name(in->name))
		return e_validation("Invalid document name %s", in->name);
	SSM_TRY(type_and_format(&nv.type, &nv.format, in->document_type,
				in->document_format));
	nv.content = in->content;
	nv.len = strlen(in->content);
	nv.display_name = in->display_name;
	nv.version_name = in->version_name;
	nv.target_type = in->target_type;
	nv.requires = &in->requires;
	nv.attachments = &in->attachments;
	SSM_TRY(ssm_tags__check_new(in->tags.items, in->tags.count));
	return create_document(&out->document_description, sc, sc->svc,
			       in->name, sc->svc->account_id, &nv, &in->tags,
			       true, sc->now_ms);
}

/* ---- get / describe ------------------------------------------------------ */

ssm_err ssm_document__get(ssm_service_call *sc, const void *request,
			  void *response)
{
	const ssm_api_get_document_in *in = request;
	ssm_api_get_document_out *out = response;
	ssm_call *call = sc->call;
	ssm_json_doc *hd = NULL, *vd = NULL;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_str key = SSM_STR_INIT;
	const char *name;
	struct head h;
	struct vmeta m;
	uint64_t v;
	ssm_document_format want = SSM_DOCUMENT_FORMAT_DEFAULT, have;
	ssm_err error = SSM_OK;

	SSM_TRY(plain_name(&name, sc->svc, in->name));
	if (in->document_format)
		SSM_TRY(ssm_document_format_parse(&want, in->document_format));
	if ((error = head_get(&h, &hd, NULL, sc->svc, name)) < 0 ||
	    (error = resolve_version(&v, sc->svc, &h, in->document_version,
				     in->version_name)) < 0 ||
	    (error = meta_get(&m, &vd, sc->svc, name, v)) < 0 ||
	    (error = key_ver(&key, sc->svc, 'c', name, v)) < 0)
		goto done;
	error = ssm_store_get(&kv, sc->svc->store, key.ptr, key.size);
	if (error == SSM_ENOTFOUND)
		error = corrupt("document content");
	if (error < 0)
		goto done;
	if (ssm_document_format_parse(&have, m.format) < 0)
		have = SSM_DOCUMENT_JSON;
	if (want && want != have && have != SSM_DOCUMENT_TEXT &&
	    want != SSM_DOCUMENT_TEXT) {
		ssm_doc *doc = NULL;
		ssm_str text = SSM_STR_INIT;

		error = ssm_doc__parse(
			&doc, kv.value.ptr ? kv.value.ptr : "", kv.value.size,
			have, ssm_doc__type_parse(m.type, strlen(m.type)),
			NULL);
		if (error == SSM_OK)
			error = ssm_doc__convert(&text, doc, want);
		if (error == SSM_OK) {
			out->content = ssm_call__strndup(
				call, ssm_str_cstr(&text), text.size);
			if (!out->content)
				error = SSM_ERROR;
		}
		ssm_str_dispose(&text);
		ssm_doc__free(doc);
		if (error < 0)
			goto done;
		have = want;
	} else {
		out->content = ssm_call__strndup(
			call, kv.value.ptr ? kv.value.ptr : "", kv.value.size);
		if (!out->content) {
			error = SSM_ERROR;
			goto done;
		}
	}
	out->name = dup(call, h.name, &error);
	out->created_ms = m.created_ms;
	out->display_name = dup(call, m.display_name, &error);
	out->version_name = dup(call, m.version_name, &error);
	out->document_version = (char *)version_text(&call->arena, v);
	out->status = dup(call, "Active", &error);
	out->document_type = dup(call, m.type, &error);
	out->document_format = dup(call, ssm_document_format_str(have), &error);
	if (!out->document_version)
		error = SSM_ERROR;
	if (error == SSM_OK)
		error = requires_out(&out->requires, call, &m);
done:
	ssm_store_kv_dispose(&kv);
	ssm_str_dispose(&key);
	ssm_json_doc_free(hd);
	ssm_json_doc_free(vd);
	return error;
}

ssm_err ssm_document__describe(ssm_service_call *sc, const void *request,
			       void *response)
{
	const ssm_api_describe_document_in *in = request;
	ssm_api_describe_document_out *out = response;
	ssm_json_doc *hd = NULL, *vd = NULL;
	const char *name;
	struct head h;
	struct vmeta m;
	uint64_t v;
	ssm_err error;

	SSM_TRY(plain_name(&name, sc->svc, in->name));
	if ((error = head_get(&h, &hd, NULL, sc->svc, name)) == SSM_OK &&
	    (error = resolve_version(&v, sc->svc, &h, in->document_version,
				     in->version_name)) == SSM_OK &&
	    (error = meta_get(&m, &vd, sc->svc, name, v)) == SSM_OK)
		error = description_fill(&out->document, sc, &h, &m, true);
	ssm_json_doc_free(hd);
	ssm_json_doc_free(vd);
	return error;
}

/* ---- update
 * ------------------------------------------------------------------ */

static ssm_err put_head(struct txn *t, const ssm_service *svc,
			const struct head *h, uint64_t modrev)
{
	ssm_str *k = txn_key(t), *v = txn_value(t);

	SSM_TRY(key_name(k, svc, 'h', h->name));
	SSM_TRY(head_encode(v, h));
	txn_cmp(t, k, modrev);
	txn_put(t, k, v->ptr, v->size);
	return SSM_OK;
}

/* Add version latest+1 to an existing document (UpdateDocument; seeding a
 * changed built-in with @make_default and @allow_amazon). */
static ssm_err add_version(ssm_api_document_description **desc_out,
			   ssm_service_call *sc, const ssm_service *svc,
			   const char *name, const char *dv,
			   struct new_version *nv, bool make_default,
			   bool allow_amazon, int64_t now_ms)
{
	struct engine *e = engine_of(svc);
	ssm_arena a = SSM_ARENA_INIT;
	struct txn t = { 0 };
	ssm_json_doc *hd = NULL, *ld = NULL;
	ssm_doc *doc = NULL;
	const char *display_name = nv->display_name;
	const char *target_type = nv->target_type;
	ssm_str *k, *val;
	struct head h;
	struct vmeta m, latest;
	uint64_t rev, have, v;
	int attempt;
	ssm_err error = SSM_OK;

	for (attempt = 0; attempt < ATTEMPTS; attempt++) {
		txn_reset(&t);
		ssm_json_doc_free(hd);
		ssm_json_doc_free(ld);
		ssm_doc__free(doc);
		ssm_arena_dispose(&a);
		hd = ld = NULL;
		doc = NULL;
		if ((error = head_get(&h, &hd, &rev, svc, name)) < 0)
			goto done;
		if (is_amazon(&h) && !allow_amazon) {
			error = e_amazon();
			goto done;
		}
		if (dv && strcmp(dv, "$LATEST") != 0 &&
		    (!parse_version(&v, dv) || v != h.latest)) {
			error = e_bad_version();
			goto done;
		}
		if (h.count >= e->max_versions) {
			error = ssm_error__set(
				SSM_ELIMIT, SSM_ERRCLASS_DOCUMENT,
				"DocumentVersionLimitExceeded",
				"The document has too many versions. Delete "
				"one or more document versions and try "
				"again.");
			goto done;
		}
		nv->type = ssm_doc__type_parse(h.type, strlen(h.type));
		if ((error = meta_get(&latest, &ld, svc, name, h.latest)) < 0)
			goto done;
		nv->display_name =
			display_name ? display_name : latest.display_name;
		nv->target_type =
			target_type ? target_type : latest.target_type;
		if ((error = meta_build(&m, &doc, &a, nv, h.latest + 1,
					now_ms)) < 0)
			goto done;
		if ((error = index_get(&have, svc, 'x', name, m.hash)) < 0)
			goto done;
		if (have) {
			error = ssm_error__set(
				SSM_ECONFLICT, SSM_ERRCLASS_DOCUMENT,
				"DuplicateDocumentContent",
				"The content of the association document "
				"matches another document. Change the content "
				"of the document and try again.");
			goto done;
		}
		if (m.version_name) {
			if ((error = index_get(&have, svc, 'n', name,
					       m.version_name)) < 0)
				goto done;
			if (have) {
				error = ssm_error__set(
					SSM_ECONFLICT, SSM_ERRCLASS_DOCUMENT,
					"DuplicateDocumentVersionName",
					"The specified version name is a "
					"duplicate.");
				goto done;
			}
		}
		h.latest = m.version;
		h.count++;
		if (make_default) {
			h.def = m.version;
			h.meta = m;
		}
		if ((error = put_head(&t, svc, &h, rev)) < 0)
			goto done;
		k = txn_key(&t);
		val = txn_value(&t);
		if ((error = key_ver(k, svc, 'v', name, m.version)) < 0 ||
		    (error = meta_encode(val, &m)) < 0)
			goto done;
		txn_put(&t, k, val->ptr, val->size);
		k = txn_key(&t);
		if ((error = key_ver(k, svc, 'c', name, m.version)) < 0)
			goto done;
		txn_put(&t, k, nv->content, nv->len);
		k = txn_key(&t);
		val = txn_value(&t);
		if ((error = key_sub(k, svc, 'x', name, m.hash)) < 0 ||
		    (error = ssm_str_printf(val, "%" PRIu64, m.version)) < 0)
			goto done;
		txn_cmp(&t, k, 0);
		txn_put(&t, k, val->ptr, val->size);
		if (m.version_name) {
			k = txn_key(&t);
			if ((error = key_sub(k, svc, 'n', name,
					     m.version_name)) < 0)
				goto done;
			txn_cmp(&t, k, 0);
			txn_put(&t, k, val->ptr, val->size);
		}
		error = txn_commit(svc, &t);
		if (error != SSM_ECONFLICT)
			break;
	}
	if (attempt == ATTEMPTS)
		error = e_conflict();
	if (error == SSM_OK && sc && desc_out)
		error = description_fill(desc_out, sc, &h, &m, true);
done:
	txn_reset(&t);
	ssm_json_doc_free(hd);
	ssm_json_doc_free(ld);
	ssm_doc__free(doc);
	ssm_arena_dispose(&a);
	return error;
}

ssm_err ssm_document__update(ssm_service_call *sc, const void *request,
			     void *response)
{
	const ssm_api_update_document_in *in = request;
	ssm_api_document_description_out *out = response;
	struct new_version nv = { 0 };
	ssm_document_type unused;

	SSM_TRY(type_and_format(&unused, &nv.format, NULL,
				in->document_format));
	nv.content = in->content;
	nv.len = strlen(in->content);
	nv.display_name = in->display_name;
	nv.version_name = in->version_name;
	nv.target_type = in->target_type;
	nv.attachments = &in->attachments;
	return add_version(&out->document_description, sc, sc->svc, in->name,
			   in->document_version, &nv, false, false, sc->now_ms);
}

/* ---- default version ------------------------------------------------------
 */

ssm_err ssm_document__update_default(ssm_service_call *sc, const void *request,
				     void *response)
{
	const ssm_api_update_default_in *in = request;
	ssm_api_update_default_out *out = response;
	ssm_json_doc *hd = NULL, *vd = NULL;
	struct txn t = { 0 };
	struct head h;
	struct vmeta m;
	uint64_t rev, v;
	int attempt;
	ssm_err error = SSM_OK;

	for (attempt = 0; attempt < ATTEMPTS; attempt++) {
		txn_reset(&t);
		ssm_json_doc_free(hd);
		ssm_json_doc_free(vd);
		hd = vd = NULL;
		if ((error = head_get(&h, &hd, &rev, sc->svc, in->name)) < 0)
			goto done;
		if (is_amazon(&h)) {
			error = e_amazon();
			goto done;
		}
		if (!parse_version(&v, in->document_version) || v > h.latest) {
			error = e_bad_version();
			goto done;
		}
		if ((error = meta_get(&m, &vd, sc->svc, in->name, v)) < 0)
			goto done;
		h.def = v;
		h.meta = m;
		if ((error = put_head(&t, sc->svc, &h, rev)) < 0)
			goto done;
		error = txn_commit(sc->svc, &t);
		if (error != SSM_ECONFLICT)
			break;
	}
	if (attempt == ATTEMPTS)
		error = e_conflict();
	if (error == SSM_OK) {
		out->description =
			ssm_call__alloc(sc->call, sizeof(*out->description));
		if (!out->description) {
			error = SSM_ERROR;
			goto done;
		}
		out->description->name = dup(sc->call, h.name, &error);
		out->description->default_version =
			(char *)version_text(&sc->call->arena, v);
		out->description->default_version_name =
			dup(sc->call, m.version_name, &error);
		if (!out->description->default_version)
			error = SSM_ERROR;
	}
done:
	txn_reset(&t);
	ssm_json_doc_free(hd);
	ssm_json_doc_free(vd);
	return error;
}

/* ---- delete
 * ------------------------------------------------------------------ */

/* The highest version below @below that still exists, other than @gone. */
static ssm_err highest_version(uint64_t *out, const ssm_service *svc,
			       const char *name, uint64_t gone)
{
	ssm_store_range_options o = SSM_STORE_RANGE_OPTIONS_INIT;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	ssm_str dir = SSM_STR_INIT;
	size_t i;
	ssm_err error;

	*out = 0;
	o.flags = SSM_STORE_RANGE_KEYS_ONLY;
	error = key_dir(&dir, svc, 'v', name);
	if (error == SSM_OK)
		error = ssm_store_range(&kvs, svc->store, dir.ptr, dir.size,
					&o);
	for (i = 0; error == SSM_OK && i < kvs.count; i++) {
		uint64_t v =
			strtoull(kvs.items[i].key.ptr + dir.size, NULL, 10);

		if (v != gone && v > *out)
			*out = v;
	}
	ssm_store_kvs_dispose(&kvs);
	ssm_str_dispose(&dir);
	return error;
}

static ssm_err delete_version(const ssm_service *svc, const char *name,
			      const char *dv, const char *vname,
			      bool *whole_out)
{
	ssm_json_doc *hd = NULL, *vd = NULL;
	struct txn t = { 0 };
	struct head h;
	struct vmeta m;
	uint64_t rev, v, newest;
	int attempt;
	ssm_str *k;
	ssm_err error = SSM_OK;

	*whole_out = false;
	for (attempt = 0; attempt < ATTEMPTS; attempt++) {
		txn_reset(&t);
		ssm_json_doc_free(hd);
		ssm_json_doc_free(vd);
		hd = vd = NULL;
		if ((error = head_get(&h, &hd, &rev, svc, name)) < 0)
			goto done;
		if (is_amazon(&h)) {
			error = e_amazon();
			goto done;
		}
		if ((error = resolve_version(&v, svc, &h, dv, vname)) < 0 ||
		    (error = meta_get(&m, &vd, svc, name, v)) < 0)
			goto done;
		if (h.count == 1) {
			/* the only version: the document goes */
			*whole_out = true;
			goto done;
		}
		if (v == h.def) {
			error = e_operation("Default version of the document "
					    "can't be deleted.");
			goto done;
		}
		if (v == h.latest) {
			if ((error = highest_version(&newest, svc, name, v)) <
			    0)
				goto done;
			h.latest = newest;
		}
		h.count--;
		if ((error = put_head(&t, svc, &h, rev)) < 0)
			goto done;
		k = txn_key(&t);
		if ((error = key_ver(k, svc, 'v', name, v)) < 0)
			goto done;
		txn_del(&t, k, false);
		k = txn_key(&t);
		if ((error = key_ver(k, svc, 'c', name, v)) < 0)
			goto done;
		txn_del(&t, k, false);
		k = txn_key(&t);
		if ((error = key_sub(k, svc, 'x', name, m.hash)) < 0)
			goto done;
		txn_del(&t, k, false);
		if (m.version_name) {
			k = txn_key(&t);
			if ((error = key_sub(k, svc, 'n', name,
					     m.version_name)) < 0)
				goto done;
			txn_del(&t, k, false);
		}
		error = txn_commit(svc, &t);
		if (error != SSM_ECONFLICT)
			break;
	}
	if (attempt == ATTEMPTS)
		error = e_conflict();
done:
	txn_reset(&t);
	ssm_json_doc_free(hd);
	ssm_json_doc_free(vd);
	return error;
}

static ssm_err delete_document(const ssm_service *svc, const char *name,
			       bool force)
{
	ssm_json_doc *hd = NULL;
	struct txn t = { 0 };
	struct head h;
	uint64_t rev, count, count_rev;
	int attempt;
	ssm_str *k, *ck;
	const char kinds[] = { 'v', 'c', 'x', 'n' };
	size_t i;
	ssm_err error = SSM_OK;

	for (attempt = 0; attempt < ATTEMPTS; attempt++) {
		txn_reset(&t);
		ssm_json_doc_free(hd);
		hd = NULL;
		if ((error = head_get(&h, &hd, &rev, svc, name)) < 0)
			goto done;
		if (is_amazon(&h)) {
			error = e_amazon();
			goto done;
		}
		if (h.nshared) {
			error = e_operation("Must unshare document first "
					    "before delete");
			goto done;
		}
		if (strcmp(h.type, "ApplicationConfigurationSchema") == 0 &&
		    !force) {
			error = e_operation("Force is required to delete an "
					    "ApplicationConfigurationSchema "
					    "document.");
			goto done;
		}
		ck = txn_key(&t);
		if (h.counted &&
		    (error = count_get(&count, &count_rev, svc, ck)) < 0)
			goto done;
		k = txn_key(&t);
		if ((error = key_name(k, svc, 'h', name)) < 0)
			goto done;
		txn_cmp(&t, k, rev);
		txn_del(&t, k, false);
		for (i = 0; i < sizeof(kinds); i++) {
			k = txn_key(&t);
			if ((error = key_dir(k, svc, kinds[i], name)) < 0)
				goto done;
			txn_del(&t, k, true);
		}
		k = txn_key(&t);
		if ((error = ssm_tags__key(k, svc, "Document", name,
					   strlen(name))) < 0)
			goto done;
		txn_del(&t, k, false);
		if (h.counted) {
			ssm_str *v = txn_value(&t);

			if ((error = ssm_str_printf(v, "%" PRIu64,
						    count ? count - 1 : 0)) < 0)
				goto done;
			txn_cmp(&t, ck, count_rev);
			txn_put(&t, ck, v->ptr, v->size);
		}
		error = txn_commit(svc, &t);
		if (error != SSM_ECONFLICT)
			break;
	}
	if (attempt == ATTEMPTS)
		error = e_conflict();
done:
	txn_reset(&t);
	ssm_json_doc_free(hd);
	return error;
}

ssm_err ssm_document__delete(ssm_service_call *sc, const void *request,
			     void *response)
{
	const ssm_api_delete_document_in *in = request;
	bool whole = true;

	(void)response;
	if (in->document_version || in->version_name)
		SSM_TRY(delete_version(sc->svc, in->name, in->document_version,
				       in->version_name, &whole));
	if (!whole)
		return SSM_OK;
	return delete_document(sc->svc, in->name, in->force);
}

/* ---- pagination tokens
 * ------------------------------------------------------- */

/* NextToken: "d1." + base64 of where the next page starts after. */
static ssm_err token_make(char **out, ssm_call *call, const char *after)
{
	ssm_str t = SSM_STR_INIT;
	ssm_err error;

	error = ssm_str_puts(&t, "d1.");
	if (error == SSM_OK)
		error = ssm_base64_encode_str(&t, after, strlen(after));
	if (error == SSM_OK) {
		*out = ssm_call__strndup(call, t.ptr, t.size);
		if (!*out)
			error = SSM_ERROR;
	}
	ssm_str_dispose(&t);
	return error;
}

static ssm_err token_read(ssm_str *after, const char *token)
{
	size_t i;

	ssm_str_clear(after);
	if (!token || !*token)
		return SSM_OK;
	if (strncmp(token, "d1.", 3) != 0 ||
	    ssm_base64_decode_str(after, token + 3, strlen(token + 3)) < 0 ||
	    !after->size || after->size > 200)
		return e_next_token();
	for (i = 0; i < after->size; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX"
			    "YZ0123456789_-.",
			    after->ptr[i]) ||
		    !after->ptr[i])
			return e_next_token();
	return SSM_OK;
}

/* ---- list versions --------------------------------------------------------
 */

ssm_err ssm_document__list_versions(ssm_service_call *sc, const void *request,
				    void *response)
{
	const ssm_api_list_versions_in *in = request;
	ssm_api_list_versions_out *out = response;
	ssm_store_range_options o = SSM_STORE_RANGE_OPTIONS_INIT;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	ssm_str dir = SSM_STR_INIT, after = SSM_STR_INIT, start = SSM_STR_INIT;
	ssm_json_doc *hd = NULL;
	ssm_api_document_version_info *items = NULL;
	size_t limit = in->max_results ? (size_t)in->max_results : DEFAULT_PAGE;
	const char *name;
	struct head h;
	size_t i, n = 0;
	ssm_err error;

	SSM_TRY(plain_name(&name, sc->svc, in->name));
	if ((error = token_read(&after, in->next_token)) < 0 ||
	    (error = head_get(&h, &hd, NULL, sc->svc, name)) < 0 ||
	    (error = key_dir(&dir, sc->svc, 'v', name)) < 0)
		goto done;
	if (after.size) {
		uint64_t v;

		if (!parse_version(&v, ssm_str_cstr(&after))) {
			error = e_next_token();
			goto done;
		}
		if ((error = key_ver(&start, sc->svc, 'v', name, v)) < 0)
			goto done;
		o.start_after = start.ptr;
		o.start_after_len = start.size;
	}
	o.limit = limit + 1;
	if ((error = ssm_store_range(&kvs, sc->svc->store, dir.ptr, dir.size,
				     &o)) < 0)
		goto done;
	n = kvs.count > limit ? limit : kvs.count;
	if (n) {
		items = ssm_call__alloc(sc->call, n * sizeof(*items));
		if (!items) {
			error = SSM_ERROR;
			goto done;
		}
	}
	for (i = 0; i < n && error == SSM_OK; i++) {
		ssm_json_doc *vd = NULL;
		struct vmeta m;

		error = ssm_json_parse(&vd, kvs.items[i].value.ptr,
				       kvs.items[i].value.size, NULL);
		if (error == SSM_OK)
			error = meta_read(&m, &vd->arena, vd->root);
		else
			error = corrupt("document version");
		if (error == SSM_OK) {
			items[i].name = dup(sc->call, h.name, &error);
			items[i].display_name =
				dup(sc->call, m.display_name, &error);
			items[i].document_version = (char *)version_text(
				&sc->call->arena, m.version);
			items[i].version_name =
				dup(sc->call, m.version_name, &error);
			items[i].created_ms = m.created_ms;
			items[i].is_default_version = m.version == h.def;
			items[i].document_format =
				dup(sc->call, m.format, &error);
			items[i].status = dup(sc->call, "Active", &error);
			if (!items[i].document_version)
				error = SSM_ERROR;
			if (error == SSM_OK && kvs.count > limit && i + 1 == n)
				error = token_make(&out->next_token, sc->call,
						   items[i].document_version);
		}
		ssm_json_doc_free(vd);
	}
	out->document_versions.items = items;
	out->document_versions.count = n;
done:
	ssm_store_kvs_dispose(&kvs);
	ssm_str_dispose(&dir);
	ssm_str_dispose(&after);
	ssm_str_dispose(&start);
	ssm_json_doc_free(hd);
	return error;
}

/* ---- list documents ----------------------------------------------------- */

struct filters {
	const char *const *names;
	size_t nnames;
	const char *owner;
	const char *const *platforms;
	size_t nplatforms;
	const char *const *types;
	size_t ntypes;
	const char *const *targets;
	size_t ntargets;
	const char *tag_key;
	const char *const *tag_values;
	size_t ntag_values;
};

static ssm_err filters_read(struct filters *f,
			    const ssm_api_list_documents_in *in, ssm_arena *a)
{
	const ssm_api_document_kv_filter *kv = in->filters.items;
	size_t i;

	memset(f, 0, sizeof(*f));
	if (in->document_filter_list.count && in->filters.count)
		return e_validation("DocumentFilterList is deprecated. Instead "
				    "use Filters.");
	/* the deprecated form, one value per entry */
	for (i = 0; i < in->document_filter_list.count; i++) {
		const ssm_api_document_filter *df =
			&((const ssm_api_document_filter *)
				  in->document_filter_list.items)[i];
		const char ***list;
		size_t *n;
		const char **grown;

		if (strcmp(df->key, "Owner") == 0) {
			if (f->owner)
				return e_validation("Owner filter can only "
						    "have one value.");
			f->owner = df->value;
			continue;
		}
		if (strcmp(df->key, "Name") == 0) {
			list = (const char ***)&f->names;
			n = &f->nnames;
		} else if (strcmp(df->key, "PlatformTypes") == 0) {
			list = (const char ***)&f->platforms;
			n = &f->nplatforms;
		} else {
			list = (const char ***)&f->types;
			n = &f->ntypes;
		}
		grown = ssm_arena_alloc(a, (*n + 1) * sizeof(*grown));
		if (!grown)
			return SSM_ERROR;
		if (*n)
			memcpy(grown, *list, *n * sizeof(*grown));
		grown[(*n)++] = df->value;
		*list = grown;
	}
	for (i = 0; i < in->filters.count; i++) {
		const char *key = kv[i].key ? kv[i].key : "";
		const char *const *vals = kv[i].values.items;
		size_t nv = kv[i].values.count;

		if (strcmp(key, "Name") == 0) {
			f->names = vals;
			f->nnames = nv;
		} else if (strcmp(key, "Owner") == 0) {
			if (nv != 1)
				return e_validation("Owner filter can only "
						    "have one value.");
			f->owner = vals[0];
		} else if (strcmp(key, "PlatformTypes") == 0) {
			f->platforms = vals;
			f->nplatforms = nv;
		} else if (strcmp(key, "DocumentType") == 0) {
			f->types = vals;
			f->ntypes = nv;
		} else if (strcmp(key, "TargetType") == 0) {
			f->targets = vals;
			f->ntargets = nv;
		} else if (strncmp(key, "tag:", 4) == 0 && key[4]) {
			if (f->tag_key)
				return ssm_error__set(
					SSM_EINVALID, SSM_ERRCLASS_DOCUMENT,
					"InvalidFilterKey",
					"only one tag key may be filtered on");
			f->tag_key = key + 4;
			f->tag_values = vals;
			f->ntag_values = nv;
		} else {
			return ssm_error__set(SSM_EINVALID,
					      SSM_ERRCLASS_DOCUMENT,
					      "InvalidFilterKey",
					      "filter key '%.64s' is not valid "
					      "(Name, Owner, PlatformTypes, "
					      "DocumentType, TargetType or "
					      "tag:<key>)",
					      key);
		}
	}
	if (f->owner && strcmp(f->owner, "Self") &&
	    strcmp(f->owner, "Amazon") && strcmp(f->owner, "Private") &&
	    strcmp(f->owner, "Public") && strcmp(f->owner, "ThirdParty") &&
	    strcmp(f->owner, "All"))
		return e_validation("Owner filter value %.64s is not valid "
				    "(Self, Amazon, Private, Public or "
				    "ThirdParty)",
				    f->owner);
	return SSM_OK;
}

static bool any_equal(const char *s, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; s && i < n; i++)
		if (v[i] && strcmp(s, v[i]) == 0)
			return true;
	return false;
}

static bool filters_match(const struct filters *f, const ssm_service *svc,
			  const struct head *h)
{
	size_t i, k;

	if (f->nnames) {
		for (i = 0; i < f->nnames; i++)
			if (f->names[i] && strncmp(h->name, f->names[i],
						   strlen(f->names[i])) == 0)
				break;
		if (i == f->nnames)
			return false;
	}
	if (f->owner) {
		bool self = strcmp(h->owner, svc->account_id) == 0;

		if (strcmp(f->owner, "Self") == 0 && !self)
			return false;
		if (strcmp(f->owner, "Amazon") == 0 && !is_amazon(h))
			return false;
		if (strcmp(f->owner, "Public") == 0 &&
		    !any_equal("all", h->shared, h->nshared))
			return false;
		if (strcmp(f->owner, "Private") == 0 ||
		    strcmp(f->owner, "ThirdParty") == 0)
			return false; /* nothing is shared into this store */
	}
	if (f->nplatforms) {
		for (i = 0; i < f->nplatforms; i++)
			for (k = 0; k < h->meta.nplatforms; k++)
				if (f->platforms[i] &&
				    strcmp(f->platforms[i],
					   h->meta.platforms[k]) == 0)
					goto platform_ok;
		return false;
	}
platform_ok:
	if (f->ntypes && !any_equal(h->type, f->types, f->ntypes))
		return false;
	if (f->ntargets &&
	    !any_equal(h->meta.target_type, f->targets, f->ntargets))
		return false;
	return true;
}

static bool tags_match(const struct filters *f, const ssm_api_list *tags)
{
	const ssm_api_tag *t = tags->items;
	size_t i;

	if (!f->tag_key)
		return true;
	for (i = 0; i < tags->count; i++)
		if (strcmp(t[i].key, f->tag_key) == 0)
			return !f->ntag_values ||
			       any_equal(t[i].value, f->tag_values,
					 f->ntag_values);
	return false;
}

static ssm_err identifier_fill(ssm_api_document_identifier *d,
			       ssm_service_call *sc, const struct head *h,
			       const ssm_api_list *tags)
{
	ssm_call *call = sc->call;
	const struct vmeta *m = &h->meta;
	ssm_err error = SSM_OK;

	d->name = dup(call, h->name, &error);
	d->created_ms = m->created_ms;
	d->display_name = dup(call, m->display_name, &error);
	d->owner = dup(call, h->owner, &error);
	d->version_name = dup(call, m->version_name, &error);
	d->document_version = (char *)version_text(&call->arena, h->def);
	d->document_type = dup(call, h->type, &error);
	d->schema_version = dup(call, m->schema, &error);
	d->document_format = dup(call, m->format, &error);
	d->target_type = dup(call, m->target_type, &error);
	d->tags = *tags;
	if (!d->document_version)
		error = SSM_ERROR;
	SSM_TRY(error);
	SSM_TRY(strs_out(&d->platform_types, call, m->platforms,
			 m->nplatforms));
	return requires_out(&d->requires, call, m);
}

ssm_err ssm_document__list(ssm_service_call *sc, const void *request,
			   void *response)
{
	const ssm_api_list_documents_in *in = request;
	ssm_api_list_documents_out *out = response;
	ssm_store_range_options o = SSM_STORE_RANGE_OPTIONS_INIT;
	ssm_str dir = SSM_STR_INIT, after = SSM_STR_INIT, start = SSM_STR_INIT;
	ssm_arena a = SSM_ARENA_INIT;
	ssm_api_document_identifier *items = NULL;
	size_t limit = in->max_results ? (size_t)in->max_results : DEFAULT_PAGE;
	struct filters f;
	size_t n = 0, i;
	bool done = false;
	ssm_err error;

	if ((error = filters_read(&f, in, &a)) < 0 ||
	    (error = token_read(&after, in->next_token)) < 0 ||
	    (error = key_plain(&dir, sc->svc, "h/")) < 0)
		goto done;
	items = ssm_call__alloc(sc->call, limit * sizeof(*items));
	if (!items) {
		error = SSM_ERROR;
		goto done;
	}
	if (after.size &&
	    (error = key_name(&start, sc->svc, 'h', ssm_str_cstr(&after))) < 0)
		goto done;
	/* a token is given only when another match exists */
	while (!done && error == SSM_OK) {
		ssm_store_kvs kvs = SSM_STORE_KVS_INIT;

		o.start_after = start.size ? start.ptr : NULL;
		o.start_after_len = start.size;
		o.limit = 100;
		error = ssm_store_range(&kvs, sc->svc->store, dir.ptr, dir.size,
					&o);
		done = error < 0 || !kvs.more;
		for (i = 0; error == SSM_OK && i < kvs.count; i++) {
			ssm_json_doc *hd = NULL;
			ssm_api_list tags = { NULL, 0 };
			struct head h;

			ssm_str_clear(&start);
			error = ssm_str_put(&start, kvs.items[i].key.ptr,
					    kvs.items[i].key.size);
			if (error == SSM_OK)
				error = ssm_json_parse(
					&hd, kvs.items[i].value.ptr,
					kvs.items[i].value.size, NULL);
			if (error == SSM_EINVALID || error == SSM_ELIMIT)
				error = corrupt("document");
			if (error == SSM_OK)
				error = head_read(&h, &hd->arena, hd->root);
			if (error == SSM_OK && filters_match(&f, sc->svc, &h))
				error = tags_get(&tags, sc->call, sc->svc,
						 h.name);
			else
				h.name = NULL;
			if (error == SSM_OK && h.name &&
			    tags_match(&f, &tags)) {
				if (n == limit) {
					error = token_make(&out->next_token,
							   sc->call,
							   items[n - 1].name);
					done = true;
				} else {
					error = identifier_fill(&items[n], sc,
								&h, &tags);
					n++;
				}
			}
			ssm_json_doc_free(hd);
			if (done && out->next_token)
				break;
		}
		ssm_store_kvs_dispose(&kvs);
	}
	out->document_identifiers.items = n ? items : NULL;
	out->document_identifiers.count = n;
done:
	ssm_str_dispose(&dir);
	ssm_str_dispose(&after);
	ssm_str_dispose(&start);
	ssm_arena_dispose(&a);
	return error;
}

/* ---- permissions
 * -------------------------------------------------------------- */

ssm_err ssm_document__describe_permission(ssm_service_call *sc,
					  const void *request, void *response)
{
	const ssm_api_describe_permission_in *in = request;
	ssm_api_describe_permission_out *out = response;
	ssm_json_doc *hd = NULL;
	ssm_str after = SSM_STR_INIT;
	size_t limit = in->max_results ? (size_t)in->max_results : 200;
	size_t from = 0, n, i;
	ssm_api_account_sharing_info *info;
	char **ids;
	struct head h;
	ssm_err error = SSM_OK;

	if ((error = token_read(&after, in->next_token)) < 0 ||
	    (error = head_get(&h, &hd, NULL, sc->svc, in->name)) < 0)
		goto done;
	if (after.size) {
		uint64_t v;

		if (!parse_version(&v, ssm_str_cstr(&after)) || v > h.nshared) {
			error = e_next_token();
			goto done;
		}
		from = (size_t)v;
	}
	n = h.nshared - from;
	if (n > limit)
		n = limit;
	if (n) {
		ids = ssm_call__alloc(sc->call, n * sizeof(*ids));
		info = ssm_call__alloc(sc->call, n * sizeof(*info));
		if (!ids || !info) {
			error = SSM_ERROR;
			goto done;
		}
		for (i = 0; i < n; i++) {
			ids[i] = dup(sc->call, h.shared[from + i], &error);
			info[i].account_id = ids[i];
			info[i].shared_document_version =
				dup(sc->call,
				    h.shared_version ? h.shared_version
						     : "$DEFAULT",
				    &error);
		}
		out->account_ids.items = ids;
		out->account_ids.count = n;
		out->account_sharing_info_list.items = info;
		out->account_sharing_info_list.count = n;
	}
	if (error == SSM_OK && from + n < h.nshared) {
		char buf[24];

		snprintf(buf, sizeof(buf), "%zu", from + n);
		error = token_make(&out->next_token, sc->call, buf);
	}
done:
	ssm_str_dispose(&after);
	ssm_json_doc_free(hd);
	return error;
}

ssm_err ssm_document__modify_permission(ssm_service_call *sc,
					const void *request, void *response)
{
	const ssm_api_modify_permission_in *in = request;
	const char *const *add = in->account_ids_to_add.items;
	const char *const *rm = in->account_ids_to_remove.items;
	ssm_json_doc *hd = NULL;
	ssm_arena a = SSM_ARENA_INIT;
	struct txn t = { 0 };
	struct head h;
	uint64_t rev;
	int attempt;
	size_t i, k, n;
	ssm_err error = SSM_OK;

	(void)response;
	for (attempt = 0; attempt < ATTEMPTS; attempt++) {
		const char **shared;

		txn_reset(&t);
		ssm_json_doc_free(hd);
		hd = NULL;
		ssm_arena_dispose(&a);
		if ((error = head_get(&h, &hd, &rev, sc->svc, in->name)) < 0)
			goto done;
		if (is_amazon(&h)) {
			error = e_amazon();
			goto done;
		}
		n = 0;
		shared = ssm_arena_calloc(
			&a, h.nshared + in->account_ids_to_add.count + 1,
			sizeof(*shared));
		if (!shared) {
			error = SSM_ERROR;
			goto done;
		}
		for (i = 0; i < h.nshared; i++) {
			bool drop = false;

			for (k = 0; k < in->account_ids_to_remove.count; k++)
				if (strcasecmp(h.shared[i], rm[k]) == 0)
					drop = true;
			if (!drop)
				shared[n++] = h.shared[i];
		}
		for (k = 0; k < in->account_ids_to_add.count; k++) {
			const char *id =
				strcasecmp(add[k], "all") == 0 ? "all" : add[k];
			bool have = false;

			for (i = 0; i < n; i++)
				if (strcmp(shared[i], id) == 0)
					have = true;
			if (!have)
				shared[n++] = id;
		}
		if (n > SHARE_LIMIT) {
			error = ssm_error__set(
				SSM_ELIMIT, SSM_ERRCLASS_DOCUMENT,
				"DocumentPermissionLimit",
				"The document cannot be shared with more "
				"accounts.");
			goto done;
		}
		h.shared = shared;
		h.nshared = n;
		if (in->shared_document_version)
			h.shared_version = in->shared_document_version;
		if ((error = put_head(&t, sc->svc, &h, rev)) < 0)
			goto done;
		error = txn_commit(sc->svc, &t);
		if (error != SSM_ECONFLICT)
			break;
	}
	if (attempt == ATTEMPTS)
		error = e_conflict();
done:
	txn_reset(&t);
	ssm_json_doc_free(hd);
	ssm_arena_dispose(&a);
	return error;
}

/* ---- loading for other engines ----------------------------------------------
 */

ssm_err ssm_document__load(ssm_doc **out, ssm_document__loaded *info,
			   ssm_service *svc, const char *name,
			   const char *document_version)
{
	ssm_json_doc *hd = NULL, *vd = NULL;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_str key = SSM_STR_INIT;
	ssm_document_format format;
	const char *plain;
	struct head h;
	struct vmeta m;
	uint64_t v;
	ssm_err error;

	*out = NULL;
	memset(info, 0, sizeof(*info));
	SSM_TRY(plain_name(&plain, svc, name));
	if ((error = head_get(&h, &hd, NULL, svc, plain)) < 0 ||
	    (error = resolve_version(&v, svc, &h, document_version, NULL)) <
		    0 ||
	    (error = meta_get(&m, &vd, svc, plain, v)) < 0 ||
	    (error = key_ver(&key, svc, 'c', plain, v)) < 0)
		goto done;
	error = ssm_store_get(&kv, svc->store, key.ptr, key.size);
	if (error == SSM_ENOTFOUND)
		error = corrupt("document content");
	if (error < 0)
		goto done;
	if (ssm_document_format_parse(&format, m.format) < 0)
		format = SSM_DOCUMENT_JSON;
	error = ssm_doc__parse(
		out, kv.value.ptr ? kv.value.ptr : "", kv.value.size, format,
		ssm_doc__type_parse(m.type, strlen(m.type)), NULL);
	if (error < 0)
		goto done;
	snprintf(info->name, sizeof(info->name), "%s", plain);
	snprintf(info->owner, sizeof(info->owner), "%s", h.owner);
	snprintf(info->hash, sizeof(info->hash), "%s", m.hash);
	info->version = v;
	info->default_version = h.def;
	info->latest_version = h.latest;
done:
	ssm_store_kv_dispose(&kv);
	ssm_str_dispose(&key);
	ssm_json_doc_free(hd);
	ssm_json_doc_free(vd);
	return error;
}

/* ---- tags ---------------------------------------------------------------- */

static ssm_err document_tag_resolve(ssm_service *svc, const char *id,
				    ssm_str *canonical_out,
				    ssm_str *guard_key_out)
{
	ssm_json_doc *hd = NULL;
	const char *name;
	struct head h;
	ssm_err error;

	if (plain_name(&name, svc, id) < 0)
		return SSM_ENOTFOUND;
	error = head_get(&h, &hd, NULL, svc, name);
	/* Amazon's documents cannot be tagged by an account */
	if (error == SSM_OK && is_amazon(&h))
		error = SSM_ENOTFOUND;
	if (error == SSM_OK)
		error = key_name(guard_key_out, svc, 'h', name);
	if (error == SSM_OK) {
		ssm_str_clear(canonical_out);
		error = ssm_str_puts(canonical_out, name);
	}
	ssm_json_doc_free(hd);
	return error;
}

const ssm_taggable ssm_document__taggable = { "Document",
					      document_tag_resolve };

/* ---- built-in documents and the module -------------------------------------
 */

/* Seed one built-in: create it when absent; when an Amazon-owned copy has
 * other content, add the shipped content as a new default version. */
static ssm_err seed_one(ssm_service *svc, const ssm_document_builtin *b,
			int64_t now_ms)
{
	struct new_version nv = { 0 };
	ssm_json_doc *hd = NULL, *vd = NULL;
	char hash[SSM_SHA256_HEX_LEN + 1];
	struct head h;
	struct vmeta m;
	ssm_err error;

	nv.content = b->content;
	nv.len = b->len;
	nv.format = b->format;
	nv.type = b->type;
	error = head_get(&h, &hd, NULL, svc, b->name);
	if (error == SSM_ENOTFOUND) {
		error = create_document(NULL, NULL, svc, b->name,
					b->account_owned ? svc->account_id
							 : "Amazon",
					&nv, NULL, false, now_ms);
		if (error == SSM_EEXISTS)
			error = SSM_OK; /* another process seeded it */
		return error;
	}
	if (error < 0)
		return error;
	if (!is_amazon(&h)) {
		ssm_json_doc_free(hd);
		return SSM_OK; /* the account's own copy stays */
	}
	ssm_crypto_sha256_hex(hash, b->content, b->len);
	error = meta_get(&m, &vd, svc, b->name, h.latest);
	if (error == SSM_OK && strcmp(m.hash, hash) != 0) {
		uint64_t have = 0;

		error = index_get(&have, svc, 'x', b->name, hash);
		if (error == SSM_OK && !have)
			error = add_version(NULL, NULL, svc, b->name, NULL, &nv,
					    true, true, now_ms);
		if (error == SSM_ECONFLICT)
			error = SSM_OK;
	}
	ssm_json_doc_free(hd);
	ssm_json_doc_free(vd);
	return error;
}

static ssm_err seed(ssm_service *svc)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_sha256 sha;
	uint8_t digest[SSM_SHA256_LEN];
	char hex[SSM_SHA256_HEX_LEN + 1];
	ssm_str key = SSM_STR_INIT;
	int64_t now = ssm_ctx__now_ms(svc->ctx);
	size_t i;
	ssm_err error;

	/* one digest of the whole set: a store already seeded with this
	 * library's documents costs one read */
	ssm_crypto_sha256_init(&sha);
	for (i = 0; i < ssm_document_builtins_count; i++) {
		const ssm_document_builtin *b = &ssm_document_builtins[i];

		ssm_crypto_sha256_update(&sha, b->name, strlen(b->name) + 1);
		ssm_crypto_sha256_update(&sha, b->content, b->len);
	}
	ssm_crypto_sha256_final(&sha, digest);
	ssm_hex_encode(hex, digest, sizeof(digest));
	if ((error = key_plain(&key, svc, "builtin")) < 0)
		goto done;
	error = ssm_store_get(&kv, svc->store, key.ptr, key.size);
	if (error == SSM_OK && kv.value.size == SSM_SHA256_HEX_LEN &&
	    memcmp(kv.value.ptr, hex, SSM_SHA256_HEX_LEN) == 0)
		goto done;
	if (error < 0 && error != SSM_ENOTFOUND)
		goto done;
	for (i = 0; i < ssm_document_builtins_count; i++) {
		error = seed_one(svc, &ssm_document_builtins[i], now);
		if (error < 0) {
			ssm_error__prefix(ssm_document_builtins[i].name);
			goto done;
		}
	}
	error = ssm_store_put(NULL, svc->store, key.ptr, key.size, hex,
			      SSM_SHA256_HEX_LEN, NULL);
done:
	ssm_store_kv_dispose(&kv);
	ssm_str_dispose(&key);
	return error;
}

ssm_err ssm_document__start(ssm_service *svc)
{
	struct engine *e = ssm__calloc(1, sizeof(*e));
	ssm_err error;

	if (!e)
		return SSM_ERROR;
	e->max_documents = SSM_DOCUMENT_MAX_DOCUMENTS;
	e->max_versions = SSM_DOCUMENT_MAX_VERSIONS;
	svc->engine[SSM_ENGINE_DOCUMENT] = e;
	error = seed(svc);
	if (error < 0) {
		svc->engine[SSM_ENGINE_DOCUMENT] = NULL;
		ssm__free(e);
	}
	return error;
}

void ssm_document__stop(ssm_service *svc)
{
	ssm__free(svc->engine[SSM_ENGINE_DOCUMENT]);
	svc->engine[SSM_ENGINE_DOCUMENT] = NULL;
}
