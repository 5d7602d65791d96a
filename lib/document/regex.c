/* SPDX-License-Identifier: Apache-2.0 */
/* allowedPattern on PCRE2: matched with the agent's find-anywhere
 * semantics, within match and depth limits so that a catastrophic pattern
 * fails cleanly instead of spinning. PCRE2 allocates through ssm__malloc
 * (so allocation-failure tests reach it).
 *
 * Compiled patterns are shared through a small process-wide cache keyed by
 * the pattern text (documents repeat the same few patterns: parsing the
 * built-ins again must not compile them again). Entries are reference
 * counted; the last ssm_shutdown() drops the cache's references, like the
 * shape validator's pattern cache. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "document/doc.h"

/* Work allowed per match: generous for real patterns on 64 KB values,
 * small enough that (a+)+$ on a long run of a's gives up in milliseconds. */
#define MATCH_LIMIT 200000
#define DEPTH_LIMIT 10000
#define HEAP_LIMIT_KB 20000
#define CACHE_MAX 256 /* patterns kept; more are compiled per document */

struct ssm_doc_regex {
	struct ssm_doc_regex *next; /* in the cache */
	atomic_int refs;
	char *pattern;
	size_t len;
	pcre2_code *code;
	pcre2_general_context *gctx;
	pcre2_match_context *mctx;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static ssm_doc_regex *cache;
static size_t cache_count;

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

static void regex_destroy(ssm_doc_regex *re)
{
	pcre2_code_free(re->code);
	pcre2_match_context_free(re->mctx);
	pcre2_general_context_free(re->gctx);
	ssm__free(re->pattern);
	ssm__free(re);
}

static ssm_err compile(ssm_doc_regex **out, const char *pattern, size_t len)
{
	ssm_doc_regex *re;
	pcre2_compile_context *cctx = NULL;
	PCRE2_SIZE erroff = 0;
	int errcode = 0;

	*out = NULL;
	re = ssm__calloc(1, sizeof(*re));
	if (!re)
		return SSM_ERROR;
	atomic_init(&re->refs, 1);
	re->pattern = ssm__memdup(pattern, len);
	re->len = len;
	re->gctx = pcre2_general_context_create(re_malloc, re_free, NULL);
	if (!re->pattern || !re->gctx)
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
		    errcode == PCRE2_ERROR_NOMEMORY)
			goto oom;
		if (pcre2_get_error_message(errcode, msg, sizeof(msg)) < 0)
			msg[0] = '\0';
		regex_destroy(re);
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_DOCUMENT, NULL,
				      "%s at offset %zu", (char *)msg,
				      (size_t)erroff);
	}
	*out = re;
	return SSM_OK;
oom:
	pcre2_compile_context_free(cctx);
	regex_destroy(re);
	ssm_error__oom();
	return SSM_ERROR;
}

static ssm_doc_regex *cache_find(const char *pattern, size_t len)
{
	ssm_doc_regex *e;

	for (e = cache; e; e = e->next)
		if (e->len == len && memcmp(e->pattern, pattern, len) == 0) {
			atomic_fetch_add(&e->refs, 1);
			return e;
		}
	return NULL;
}

ssm_err ssm_doc__regex_compile(ssm_doc_regex **out, const char *pattern,
			       size_t len)
{
	ssm_doc_regex *re, *have;
	ssm_err error;

	pthread_mutex_lock(&cache_lock);
	re = cache_find(pattern, len);
	pthread_mutex_unlock(&cache_lock);
	if (re) {
		*out = re;
		return SSM_OK;
	}
	SSM_TRY(compile(&re, pattern, len));
	pthread_mutex_lock(&cache_lock);
	have = cache_find(pattern, len);
	if (have) {
		/* another thread compiled it meanwhile */
		pthread_mutex_unlock(&cache_lock);
		regex_destroy(re);
		*out = have;
		return SSM_OK;
	}
	if (cache_count < CACHE_MAX) {
		atomic_fetch_add(&re->refs, 1); /* the cache's */
		re->next = cache;
		cache = re;
		cache_count++;
	}
	pthread_mutex_unlock(&cache_lock);
	error = SSM_OK;
	*out = re;
	return error;
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
	if (re && atomic_fetch_sub(&re->refs, 1) == 1)
		regex_destroy(re);
}

void ssm_doc__regex_cache_dispose(void)
{
	ssm_doc_regex *e, *next;

	pthread_mutex_lock(&cache_lock);
	for (e = cache; e; e = next) {
		next = e->next;
		e->next = NULL;
		ssm_doc__regex_free(e);
	}
	cache = NULL;
	cache_count = 0;
	pthread_mutex_unlock(&cache_lock);
}
