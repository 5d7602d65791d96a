/* SPDX-License-Identifier: Apache-2.0 */
/* allowedPattern on PCRE2: compiled once per document, matched with the
 * agent's find-anywhere semantics, within match and depth limits so that a
 * catastrophic pattern fails cleanly instead of spinning. PCRE2 allocates
 * through ssm__malloc (so allocation-failure tests reach it). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "core/alloc.h"
#include "core/error.h"
#include "document/doc.h"

/* Work allowed per match: generous for real patterns on 64 KB values,
 * small enough that (a+)+$ on a long run of a's gives up in milliseconds. */
#define MATCH_LIMIT 200000
#define DEPTH_LIMIT 10000
#define HEAP_LIMIT_KB 20000

struct ssm_doc_regex {
	pcre2_code *code;
	pcre2_general_context *gctx;
	pcre2_match_context *mctx;
};

static void *re_malloc(size_t size, void *data)
{
	(void)data;
	return ssm__malloc(size);
}

static void re_free(void *ptr, void *data)
{
	(void)data;
	ssm__free(ptr);
}

ssm_err ssm_doc__regex_compile(ssm_doc_regex **out, const char *pattern,
			       size_t len)
{
	ssm_doc_regex *re;
	pcre2_compile_context *cctx = NULL;
	PCRE2_SIZE erroff = 0;
	int errcode = 0;

	*out = NULL;
	re = ssm__calloc(1, sizeof(*re));
	if (!re)
		return SSM_ERROR;
	re->gctx = pcre2_general_context_create(re_malloc, re_free, NULL);
	if (!re->gctx)
		goto oom;
	cctx = pcre2_compile_context_create(re->gctx);
	re->mctx = pcre2_match_context_create(re->gctx);
	if (!cctx || !re->mctx)
		goto oom;
	pcre2_set_match_limit(re->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(re->mctx, DEPTH_LIMIT);
	pcre2_set_heap_limit(re->mctx, HEAP_LIMIT_KB);
	re->code = pcre2_compile((PCRE2_SPTR)pattern, len, PCRE2_UTF, &errcode,
				 &erroff, cctx);
	pcre2_compile_context_free(cctx);
	cctx = NULL;
	if (!re->code) {
		PCRE2_UCHAR msg[160];

		if (errcode == PCRE2_ERROR_HEAP_FAILED ||
		    errcode == PCRE2_ERROR_HEAPLIMIT ||
		    errcode == PCRE2_ERROR_NOMEMORY) {
			ssm_doc__regex_free(re);
			ssm_error__oom();
			return SSM_ERROR;
		}
		if (pcre2_get_error_message(errcode, msg, sizeof(msg)) < 0)
			msg[0] = '\0';
		ssm_doc__regex_free(re);
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_DOCUMENT, NULL,
				      "%s at offset %zu", (char *)msg,
				      (size_t)erroff);
	}
	*out = re;
	return SSM_OK;
oom:
	pcre2_compile_context_free(cctx);
	ssm_doc__regex_free(re);
	ssm_error__oom();
	return SSM_ERROR;
}

int ssm_doc__regex_find(const ssm_doc_regex *re, const char *s, size_t len)
{
	pcre2_match_data *md;
	int rc;

	md = pcre2_match_data_create(1, re->gctx);
	if (!md) {
		ssm_error__oom();
		return -2;
	}
	rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, md, re->mctx);
	pcre2_match_data_free(md);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMEMORY) {
		ssm_error__oom();
		return -2;
	}
	return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

void ssm_doc__regex_free(ssm_doc_regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	pcre2_match_context_free(re->mctx);
	pcre2_general_context_free(re->gctx);
	ssm__free(re);
}
