/* SPDX-License-Identifier: Apache-2.0 */
#include "core/sigv4.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/crypto.h"
#include "core/encode.h"
#include "core/error.h"
#include "core/time.h"

#define CACHE_SLOTS 16
#define KEY_LEN 32
/* Characters of client-supplied text shown in a message. */
#define SHOW_MAX 128

struct cache_slot {
	uint8_t tag[SSM_SHA256_LEN]; /* hash of secret, date, region, service */
	uint8_t key[KEY_LEN];
	bool used;
};

struct ssm_sigv4_cache {
	pthread_mutex_t lock;
	struct cache_slot slots[CACHE_SLOTS];
	unsigned next;
};

/* One header to sign: a lower-case name and its value. */
struct sign_header {
	const char *name;
	const char *value;
	size_t order; /* position given, so equal names keep their order */
};

/* One query parameter, both halves already encoded into one buffer. */
struct query_pair {
	size_t name_off, name_len, value_off, value_len;
	const char *name, *value; /* set once the buffer is complete */
};

/* Bits of the parameters missing from an Authorization header. */
enum {
	MISSING_CREDENTIAL = 1,
	MISSING_SIGNATURE = 2,
	MISSING_SIGNED_HEADERS = 4,
};

static void derive_key(uint8_t key[KEY_LEN], const char *secret,
		       size_t secret_len, const char *date, const char *region,
		       const char *service);
static bool is_tchar(unsigned char c);
static bool has_controls(const char *s, bool allow_tab);
static ssm_err check_text(const char *what, const char *s);
static int compare_headers(const void *a, const void *b);
static int compare_pairs(const void *a, const void *b);
static ssm_err collect_headers(struct sign_header **out, size_t *n_out,
			       ssm_str *names, const ssm_sigv4_request *req,
			       const ssm_sigv4_credentials *creds);
static ssm_err put_canonical_tail(ssm_str *cr, const char *signed_headers,
				  const char *payload_hash);
static ssm_err put_string_to_sign(ssm_str *sts, const char *amz_date,
				  const char *region, const char *service,
				  const ssm_str *canonical_request);
static ssm_err parse_auth(ssm_sigv4_auth *a, unsigned *missing,
			  const char *value);
static ssm_err missing_message(unsigned missing, bool no_date);
static bool list_has(const char *list, const char *name);
static ssm_err auth_error(const char *service_code, const char *fmt, ...)
	SSM_FORMAT_PRINTF(2, 3);
static void skew_text(char *out, size_t size, int64_t skew_ms);

ssm_err ssm_sigv4_cache_new(ssm_sigv4_cache **out)
{
	ssm_sigv4_cache *c;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	c = ssm__calloc(1, sizeof(*c));
	if (!c)
		return SSM_ERROR;
	if (pthread_mutex_init(&c->lock, NULL) != 0) {
		ssm__free(c);
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_OS, NULL,
				      "cannot create a mutex");
	}
	*out = c;
	return SSM_OK;
}

void ssm_sigv4_cache_free(ssm_sigv4_cache *cache)
{
	if (!cache)
		return;
	pthread_mutex_destroy(&cache->lock);
	ssm__free_secure(cache, sizeof(*cache));
}

ssm_err ssm_sigv4_signing_key(uint8_t key_out[32], ssm_sigv4_cache *cache,
			      const char *secret, const char *date,
			      const char *region, const char *service)
{
	uint8_t tag[SSM_SHA256_LEN];
	size_t secret_len, i;
	bool hit = false;

	SSM_ASSERT_ARG(key_out);
	SSM_ASSERT_ARG(secret);
	SSM_ASSERT_ARG(date);
	SSM_ASSERT_ARG(region);
	SSM_ASSERT_ARG(service);
	secret_len = strnlen(secret, SSM_SIGV4_SECRET_MAX + 1);
	if (secret_len > SSM_SIGV4_SECRET_MAX)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "secret access key is longer than %d "
				      "bytes",
				      SSM_SIGV4_SECRET_MAX);
	if (!cache) {
		derive_key(key_out, secret, secret_len, date, region, service);
		return SSM_OK;
	}
	{
		ssm_sha256 h;

		/* NUL-separated, so no two inputs hash alike */
		ssm_crypto_sha256_init(&h);
		ssm_crypto_sha256_update(&h, secret, secret_len + 1);
		ssm_crypto_sha256_update(&h, date, strlen(date) + 1);
		ssm_crypto_sha256_update(&h, region, strlen(region) + 1);
		ssm_crypto_sha256_update(&h, service, strlen(service) + 1);
		ssm_crypto_sha256_final(&h, tag);
	}
	pthread_mutex_lock(&cache->lock);
	for (i = 0; i < CACHE_SLOTS && !hit; i++) {
		struct cache_slot *s = &cache->slots[i];

		if (s->used && ssm_crypto_equal(s->tag, tag, sizeof(tag))) {
			memcpy(key_out, s->key, KEY_LEN);
			hit = true;
		}
	}
	pthread_mutex_unlock(&cache->lock);
	if (!hit) {
		struct cache_slot *s;

		derive_key(key_out, secret, secret_len, date, region, service);
		pthread_mutex_lock(&cache->lock);
		s = &cache->slots[cache->next++ % CACHE_SLOTS];
		memcpy(s->tag, tag, sizeof(tag));
		memcpy(s->key, key_out, KEY_LEN);
		s->used = true;
		pthread_mutex_unlock(&cache->lock);
	}
	ssm__zeroize(tag, sizeof(tag));
	return SSM_OK;
}

ssm_err ssm_sigv4_sign(ssm_sigv4_signed *out, const ssm_sigv4_request *req,
		       const ssm_sigv4_credentials *creds,
		       ssm_sigv4_cache *cache)
{
	ssm_sigv4_signed res = SSM_SIGV4_SIGNED_INIT;
	struct sign_header *hdrs = NULL;
	ssm_str names = SSM_STR_INIT;
	char payload_hash[SSM_SHA256_HEX_LEN + 1];
	const char *hash_value = NULL;
	uint8_t key[KEY_LEN], mac[SSM_HMAC_SHA256_LEN];
	size_t n = 0, i;
	int64_t when;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(req);
	SSM_ASSERT_ARG(creds);
	*out = res;
	SSM_ASSERT_ARG(req->method);
	SSM_ASSERT_ARG(req->host);
	SSM_ASSERT_ARG(req->amz_date);
	SSM_ASSERT_ARG(req->region);
	SSM_ASSERT_ARG(req->service);
	SSM_ASSERT_ARG(req->headers || req->nheaders == 0);
	SSM_ASSERT_ARG(req->payload || req->payload_len == 0);
	SSM_ASSERT_ARG(creds->access_key_id);
	SSM_ASSERT_ARG(creds->secret_access_key);
	SSM_TRY(check_text("method", req->method));
	SSM_TRY(check_text("host", req->host));
	SSM_TRY(check_text("region", req->region));
	SSM_TRY(check_text("service", req->service));
	SSM_TRY(check_text("access key id", creds->access_key_id));
	if (strchr(req->region, '/') || strchr(req->service, '/') ||
	    strchr(creds->access_key_id, '/'))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "region, service and access key id "
				      "cannot contain '/'");
	if (creds->session_token && has_controls(creds->session_token, false))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "session token contains control "
				      "characters");
	SSM_TRY(ssm_time_parse_amz(&when, req->amz_date,
				   strlen(req->amz_date)));

	error = collect_headers(&hdrs, &n, &names, req, creds);
	if (error < 0)
		goto done;

	/* canonical request */
	if ((error = ssm_str_puts(&res.canonical_request, req->method)) < 0 ||
	    (error = ssm_str_putc(&res.canonical_request, '\n')) < 0 ||
	    (error = ssm_sigv4_canonical_uri(&res.canonical_request,
					     req->path)) < 0 ||
	    (error = ssm_str_putc(&res.canonical_request, '\n')) < 0 ||
	    (error = ssm_sigv4_canonical_query(&res.canonical_request,
					       req->query)) < 0 ||
	    (error = ssm_str_putc(&res.canonical_request, '\n')) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		bool first = i == 0 || strcmp(hdrs[i - 1].name, hdrs[i].name);
		bool last =
			i + 1 == n || strcmp(hdrs[i + 1].name, hdrs[i].name);

		if (first) {
			if ((error = ssm_str_puts(&res.canonical_request,
						  hdrs[i].name)) < 0 ||
			    (error = ssm_str_putc(&res.canonical_request,
						  ':')) < 0)
				goto done;
			if (res.signed_headers.size &&
			    (error = ssm_str_putc(&res.signed_headers, ';')) <
				    0)
				goto done;
			if ((error = ssm_str_puts(&res.signed_headers,
						  hdrs[i].name)) < 0)
				goto done;
		} else if ((error = ssm_str_putc(&res.canonical_request, ',')) <
			   0) {
			goto done;
		}
		if ((error = ssm_sigv4_canonical_value(&res.canonical_request,
						       hdrs[i].value)) < 0)
			goto done;
		if (last &&
		    (error = ssm_str_putc(&res.canonical_request, '\n')) < 0)
			goto done;
		if (!strcmp(hdrs[i].name, "x-amz-content-sha256"))
			hash_value = hdrs[i].value;
	}
	if (!hash_value) {
		ssm_crypto_sha256_hex(payload_hash, req->payload,
				      req->payload_len);
		hash_value = payload_hash;
	}
	error = put_canonical_tail(&res.canonical_request,
				   ssm_str_cstr(&res.signed_headers),
				   hash_value);
	if (error < 0)
		goto done;

	error = put_string_to_sign(&res.string_to_sign, req->amz_date,
				   req->region, req->service,
				   &res.canonical_request);
	if (error < 0)
		goto done;

	{
		char date[9];

		memcpy(date, req->amz_date, 8);
		date[8] = '\0';
		error = ssm_sigv4_signing_key(key, cache,
					      creds->secret_access_key, date,
					      req->region, req->service);
		if (error < 0)
			goto done;
	}
	ssm_crypto_hmac_sha256(mac, key, sizeof(key), res.string_to_sign.ptr,
			       res.string_to_sign.size);
	ssm__zeroize(key, sizeof(key));
	ssm_hex_encode(res.signature, mac, sizeof(mac));

	error = ssm_str_printf(&res.authorization,
			       SSM_SIGV4_ALGORITHM " Credential=%s/%.8s/%s/%s/"
						   "%s, SignedHeaders=%s, "
						   "Signature=%s",
			       creds->access_key_id, req->amz_date, req->region,
			       req->service, SSM_SIGV4_TERMINATOR,
			       ssm_str_cstr(&res.signed_headers),
			       res.signature);
	if (error < 0)
		goto done;

	*out = res;
	memset(&res, 0, sizeof(res));
done:
	ssm_sigv4_signed_dispose(&res);
	ssm_str_dispose(&names);
	ssm__free(hdrs);
	return error;
}

void ssm_sigv4_signed_dispose(ssm_sigv4_signed *s)
{
	if (!s)
		return;
	ssm_str_dispose(&s->canonical_request);
	ssm_str_dispose(&s->string_to_sign);
	ssm_str_dispose(&s->signed_headers);
	ssm_str_dispose(&s->authorization);
	s->signature[0] = '\0';
}

ssm_err ssm_sigv4_parse_authorization(ssm_sigv4_auth *out, const char *value)
{
	unsigned missing = 0;

	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(value);
	SSM_TRY(parse_auth(out, &missing, value));
	if (missing)
		return missing_message(missing, false);
	return SSM_OK;
}

ssm_err ssm_sigv4_verify(ssm_sigv4_identity *out,
			 const ssm_sigv4_verify_params *p)
{
	ssm_sigv4_auth a;
	ssm_str cr = SSM_STR_INIT, sts = SSM_STR_INIT, problems = SSM_STR_INIT;
	char secret[SSM_SIGV4_SECRET_MAX + 1];
	char body_hash[SSM_SHA256_HEX_LEN + 1], expected[65];
	char now_text[SSM_AMZ_DATE_SIZE] = "",
	     edge_text[SSM_AMZ_DATE_SIZE] = "";
	char skew[32];
	const char *authz, *amz_date, *token, *hash_value, *name;
	uint8_t key[KEY_LEN], mac[SSM_HMAC_SHA256_LEN];
	unsigned missing = 0;
	int64_t when = 0, max_skew;
	ssm_err error = SSM_OK;

	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(p);
	SSM_ASSERT_ARG(p->method);
	SSM_ASSERT_ARG(p->header_cb);
	SSM_ASSERT_ARG(p->secret_cb);
	SSM_ASSERT_ARG(p->service);
	SSM_ASSERT_ARG(p->body || p->body_len == 0);
	secret[0] = '\0';
	max_skew =
		p->max_skew_ms > 0 ? p->max_skew_ms : SSM_SIGV4_DEFAULT_SKEW_MS;

	authz = p->header_cb("authorization", p->header_payload);
	if (authz)
		authz += strspn(authz, " \t");
	if (!authz || !*authz)
		return auth_error(SSM_SIGV4_E_MISSING,
				  "Missing Authentication Token");
	SSM_TRY(parse_auth(&a, &missing, authz));
	amz_date = p->header_cb("x-amz-date", p->header_payload);
	if (missing || !amz_date)
		return missing_message(missing, !amz_date);
	if (ssm_time_parse_amz(&when, amz_date, strlen(amz_date)) < 0)
		return auth_error(SSM_SIGV4_E_INCOMPLETE,
				  "Date must be in ISO-8601 'basic format'. "
				  "Got '%.*s'. See "
				  "http://en.wikipedia.org/wiki/ISO_8601",
				  SHOW_MAX, amz_date);
	if (!list_has(a.signed_headers, "host"))
		return auth_error(SSM_SIGV4_E_INCOMPLETE,
				  "'Host' or ':authority' must be a "
				  "'SignedHeader' in the AWS Authorization.");
	if (!list_has(a.signed_headers, "x-amz-date"))
		return auth_error(SSM_SIGV4_E_INCOMPLETE,
				  "'X-Amz-Date' must be a 'SignedHeader' in "
				  "the AWS Authorization.");

	/* the credential scope; AWS lists every problem at once */
	if ((p->region && strcmp(a.region, p->region) != 0 &&
	     (error = ssm_str_printf(&problems,
				     " Credential should be scoped to a valid "
				     "region, not '%s'.",
				     a.region)) < 0) ||
	    (strcmp(a.service, p->service) != 0 &&
	     (error = ssm_str_printf(&problems,
				     " Credential should be scoped to correct "
				     "service: '%s'.",
				     p->service)) < 0) ||
	    (strcmp(a.terminator, SSM_SIGV4_TERMINATOR) != 0 &&
	     (error = ssm_str_printf(&problems,
				     " Credential should be scoped with a "
				     "valid terminator: '%s', not '%s'.",
				     SSM_SIGV4_TERMINATOR, a.terminator)) <
		     0) ||
	    (strncmp(a.date, amz_date, 8) != 0 &&
	     (error = ssm_str_printf(&problems,
				     " Date in Credential scope does not "
				     "match YYYYMMDD from ISO-8601 version of "
				     "date from HTTP: '%s' != '%.8s', from "
				     "'%s'.",
				     a.date, amz_date, amz_date)) < 0))
		goto done;
	if (problems.size) {
		error = auth_error(SSM_SIGV4_E_SIGNATURE, "%s",
				   problems.ptr + 1);
		goto done;
	}

	/* the clock */
	skew_text(skew, sizeof(skew), max_skew);
	(void)ssm_time_format_amz(now_text, p->now_ms);
	if (when < p->now_ms - max_skew) {
		(void)ssm_time_format_amz(edge_text, p->now_ms - max_skew);
		error = auth_error(SSM_SIGV4_E_SIGNATURE,
				   "Signature expired: %s is now earlier than "
				   "%s (%s - %s)",
				   amz_date, edge_text, now_text, skew);
		goto done;
	}
	if (when > p->now_ms + max_skew) {
		(void)ssm_time_format_amz(edge_text, p->now_ms + max_skew);
		error = auth_error(SSM_SIGV4_E_SIGNATURE,
				   "Signature not yet current: %s is still "
				   "later than %s (%s + %s)",
				   amz_date, edge_text, now_text, skew);
		goto done;
	}

	token = p->header_cb("x-amz-security-token", p->header_payload);
	if (token && !list_has(a.signed_headers, "x-amz-security-token")) {
		error = auth_error(SSM_SIGV4_E_INCOMPLETE,
				   "'X-Amz-Security-Token' must be a "
				   "'SignedHeader' in the AWS Authorization.");
		goto done;
	}

	/* the canonical request, from the received headers */
	if ((error = ssm_str_puts(&cr, p->method)) < 0 ||
	    (error = ssm_str_putc(&cr, '\n')) < 0 ||
	    (error = ssm_sigv4_canonical_uri(&cr, p->path)) < 0 ||
	    (error = ssm_str_putc(&cr, '\n')) < 0)
		goto done;
	error = ssm_sigv4_canonical_query(&cr, p->query);
	if (error == SSM_EINVALID) {
		error = auth_error(SSM_SIGV4_E_SIGNATURE,
				   "invalid percent-encoding in the query "
				   "string");
		goto done;
	}
	if (error < 0 || (error = ssm_str_putc(&cr, '\n')) < 0)
		goto done;
	hash_value = NULL;
	for (name = a.signed_headers; *name;) {
		size_t len = strcspn(name, ";");
		char hname[SSM_SIGV4_SIGNED_HEADERS_MAX + 1];
		const char *v;

		memcpy(hname, name, len);
		hname[len] = '\0';
		v = p->header_cb(hname, p->header_payload);
		if (!v) {
			error = auth_error(SSM_SIGV4_E_INCOMPLETE,
					   "signed header '%.*s' is missing "
					   "from the request",
					   SHOW_MAX, hname);
			goto done;
		}
		if (!strcmp(hname, "x-amz-content-sha256"))
			hash_value = v;
		if ((error = ssm_str_put(&cr, hname, len)) < 0 ||
		    (error = ssm_str_putc(&cr, ':')) < 0 ||
		    (error = ssm_sigv4_canonical_value(&cr, v)) < 0 ||
		    (error = ssm_str_putc(&cr, '\n')) < 0)
			goto done;
		name += len;
		if (*name == ';')
			name++;
	}
	ssm_crypto_sha256_hex(body_hash, p->body, p->body_len);
	error = put_canonical_tail(&cr, a.signed_headers,
				   hash_value ? hash_value : body_hash);
	if (error < 0)
		goto done;
	error = put_string_to_sign(&sts, amz_date, a.region, a.service, &cr);
	if (error < 0)
		goto done;

	/* the secret, last: only well-formed, timely requests cost a lookup */
	error = p->secret_cb(secret, sizeof(secret), a.access_key_id, token,
			     p->secret_payload);
	if (error == SSM_ENOTFOUND) {
		error = auth_error(SSM_SIGV4_E_CLIENT,
				   "The security token included in the "
				   "request is invalid.");
		goto done;
	}
	if (error < 0)
		goto done;
	secret[sizeof(secret) - 1] = '\0';
	error = ssm_sigv4_signing_key(key, p->cache, secret, a.date, a.region,
				      a.service);
	if (error < 0)
		goto done;
	ssm_crypto_hmac_sha256(mac, key, sizeof(key), sts.ptr, sts.size);
	ssm__zeroize(key, sizeof(key));
	ssm_hex_encode(expected, mac, sizeof(mac));
	/* a.signature is "" unless it has 64 characters */
	if (strlen(a.signature) != SSM_SHA256_HEX_LEN ||
	    !ssm_crypto_equal(expected, a.signature, SSM_SHA256_HEX_LEN)) {
		error = auth_error(SSM_SIGV4_E_SIGNATURE, "%s",
				   SSM_SIGV4_MISMATCH_MESSAGE);
		goto done;
	}
	/* the signature covers the header's hash; it must be the body's */
	if (hash_value && strcmp(hash_value, body_hash) != 0) {
		error = auth_error(SSM_SIGV4_E_SIGNATURE,
				   "The provided 'x-amz-content-sha256' header "
				   "does not match what was computed.");
		goto done;
	}

	memset(out, 0, sizeof(*out));
	memcpy(out->access_key_id, a.access_key_id, sizeof(a.access_key_id));
	memcpy(out->region, a.region, sizeof(a.region));
	memcpy(out->service, a.service, sizeof(a.service));
	out->request_ms = when;
	out->session_token = token != NULL;
	error = SSM_OK;
done:
	ssm__zeroize(secret, sizeof(secret));
	ssm_str_dispose(&cr);
	ssm_str_dispose(&sts);
	ssm_str_dispose(&problems);
	return error;
}

ssm_err ssm_sigv4_canonical_uri(ssm_str *out, const char *path)
{
	ssm_str norm = SSM_STR_INIT;
	const char *seg;
	size_t plen;
	ssm_err error = SSM_OK;

	SSM_ASSERT_ARG(out);
	if (!path || !*path)
		return ssm_str_putc(out, '/');
	plen = strlen(path);
	/* drop empty and "." segments, ".." removes the one before */
	for (seg = path; seg < path + plen;) {
		size_t len = strcspn(seg, "/");

		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			char *slash = norm.size ? strrchr(norm.ptr, '/') : NULL;

			if (slash)
				ssm_str_truncate(&norm,
						 (size_t)(slash - norm.ptr));
		} else if (len && !(len == 1 && seg[0] == '.')) {
			if ((error = ssm_str_putc(&norm, '/')) < 0 ||
			    (error = ssm_str_put(&norm, seg, len)) < 0)
				goto done;
		}
		seg += len;
		if (*seg == '/')
			seg++;
	}
	if (path[plen - 1] == '/' && norm.size)
		error = ssm_str_putc(&norm, '/');
	if (error < 0)
		goto done;
	if (!norm.size)
		error = ssm_str_putc(out, '/');
	else if (path[0] == '/')
		error = ssm_uri_encode(out, norm.ptr, norm.size, true);
	else
		error = ssm_uri_encode(out, norm.ptr + 1, norm.size - 1, true);
done:
	ssm_str_dispose(&norm);
	return error;
}

ssm_err ssm_sigv4_canonical_query(ssm_str *out, const char *query)
{
	ssm_str buf = SSM_STR_INIT, tmp = SSM_STR_INIT;
	struct query_pair *pairs = NULL;
	size_t npairs = 0, max = 1, i;
	const char *p;
	ssm_err error = SSM_OK;

	SSM_ASSERT_ARG(out);
	if (!query || !*query)
		return SSM_OK;
	for (p = query; *p; p++)
		if (*p == '&')
			max++;
	pairs = ssm__calloc(max, sizeof(*pairs));
	if (!pairs)
		return SSM_ERROR;
	/* decode then encode each half; offsets first, buf may move */
	for (p = query; *p;) {
		size_t len = strcspn(p, "&");
		const char *eq = memchr(p, '=', len);
		size_t nlen = eq ? (size_t)(eq - p) : len;

		if (len) {
			struct query_pair *q = &pairs[npairs++];

			ssm_str_clear(&tmp);
			if ((error = ssm_uri_decode(&tmp, p, nlen)) < 0)
				goto done;
			q->name_off = buf.size;
			if ((error = ssm_uri_encode(&buf, ssm_str_cstr(&tmp),
						    tmp.size, false)) < 0)
				goto done;
			q->name_len = buf.size - q->name_off;
			ssm_str_clear(&tmp);
			if (eq && (error = ssm_uri_decode(&tmp, eq + 1,
							  len - nlen - 1)) < 0)
				goto done;
			q->value_off = buf.size;
			if ((error = ssm_uri_encode(&buf, ssm_str_cstr(&tmp),
						    tmp.size, false)) < 0)
				goto done;
			q->value_len = buf.size - q->value_off;
		}
		p += len;
		if (*p == '&')
			p++;
	}
	for (i = 0; i < npairs; i++) {
		pairs[i].name = ssm_str_cstr(&buf) + pairs[i].name_off;
		pairs[i].value = ssm_str_cstr(&buf) + pairs[i].value_off;
	}
	qsort(pairs, npairs, sizeof(*pairs), compare_pairs);
	for (i = 0; i < npairs; i++) {
		if ((i && (error = ssm_str_putc(out, '&')) < 0) ||
		    (error = ssm_str_put(out, pairs[i].name,
					 pairs[i].name_len)) < 0 ||
		    (error = ssm_str_putc(out, '=')) < 0 ||
		    (error = ssm_str_put(out, pairs[i].value,
					 pairs[i].value_len)) < 0)
			goto done;
	}
done:
	ssm__free(pairs);
	ssm_str_dispose(&buf);
	ssm_str_dispose(&tmp);
	return error;
}

ssm_err ssm_sigv4_canonical_value(ssm_str *out, const char *value)
{
	const char *p = value, *end;

	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(value);
	end = value + strlen(value);
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	/* make sure a zero-length value still leaves a terminated str */
	SSM_TRY(ssm_str_grow(out, (size_t)(end - p)));
	while (p < end) {
		size_t run = strcspn(p, " \t");

		if (run > (size_t)(end - p))
			run = (size_t)(end - p);
		SSM_TRY(ssm_str_put(out, p, run));
		p += run;
		if (p < end) {
			SSM_TRY(ssm_str_putc(out, ' '));
			p += strspn(p, " \t");
		}
	}
	return SSM_OK;
}

static void derive_key(uint8_t key[KEY_LEN], const char *secret,
		       size_t secret_len, const char *date, const char *region,
		       const char *service)
{
	uint8_t k[4 + SSM_SIGV4_SECRET_MAX];

	memcpy(k, "AWS4", 4);
	memcpy(k + 4, secret, secret_len);
	ssm_crypto_hmac_sha256(key, k, 4 + secret_len, date, strlen(date));
	ssm_crypto_hmac_sha256(key, key, KEY_LEN, region, strlen(region));
	ssm_crypto_hmac_sha256(key, key, KEY_LEN, service, strlen(service));
	ssm_crypto_hmac_sha256(key, key, KEY_LEN, SSM_SIGV4_TERMINATOR,
			       strlen(SSM_SIGV4_TERMINATOR));
	ssm__zeroize(k, sizeof(k));
}

static bool is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') ||
	       (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static bool has_controls(const char *s, bool allow_tab)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c < 0x20 && !(allow_tab && c == '\t')) || c == 0x7f)
			return true;
	}
	return false;
}

/* Non-empty, no spaces or control characters. */
static ssm_err check_text(const char *what, const char *s)
{
	if (!*s)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "sigv4 %s is empty", what);
	if (has_controls(s, false) || strpbrk(s, " "))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "sigv4 %s contains spaces or control "
				      "characters",
				      what);
	return SSM_OK;
}

static int compare_headers(const void *a, const void *b)
{
	const struct sign_header *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int compare_pairs(const void *a, const void *b)
{
	const struct query_pair *x = a, *y = b;
	size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
	int c = memcmp(x->name, y->name, n);

	if (c)
		return c;
	if (x->name_len != y->name_len)
		return x->name_len < y->name_len ? -1 : 1;
	n = x->value_len < y->value_len ? x->value_len : y->value_len;
	c = memcmp(x->value, y->value, n);
	if (c)
		return c;
	return x->value_len < y->value_len ? -1 : x->value_len > y->value_len;
}

/* The headers to sign, lower-cased (into @names) and sorted, with host,
 * x-amz-date and x-amz-security-token added unless given. */
static ssm_err collect_headers(struct sign_header **out, size_t *n_out,
			       ssm_str *names, const ssm_sigv4_request *req,
			       const ssm_sigv4_credentials *creds)
{
	static const char *const implied[] = { "host", "x-amz-date",
					       "x-amz-security-token" };
	const char *implied_value[3];
	bool given[3] = { false, false, false };
	struct sign_header *h;
	size_t *offsets = NULL;
	size_t n = 0, i, k, total = req->nheaders + 3;
	ssm_err error = SSM_OK;

	implied_value[0] = req->host;
	implied_value[1] = req->amz_date;
	implied_value[2] = creds->session_token;
	h = ssm__calloc(total, sizeof(*h));
	offsets = ssm__calloc(total, sizeof(*offsets));
	if (!h || !offsets) {
		error = SSM_ERROR;
		goto done;
	}
	for (i = 0; i < req->nheaders; i++) {
		const ssm_sigv4_header *src = &req->headers[i];
		size_t len, j;

		if (!src->name || !src->value || !*src->name) {
			error = ssm_error__set(SSM_EINVALID,
					       SSM_ERRCLASS_INVALID, NULL,
					       "header %zu to sign has no "
					       "name or value",
					       i);
			goto done;
		}
		len = strlen(src->name);
		for (j = 0; j < len; j++)
			if (!is_tchar((unsigned char)src->name[j]))
				break;
		if (j < len || has_controls(src->value, true)) {
			error = ssm_error__set(
				SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				"header '%.*s' to sign has a bad name or "
				"control characters in its value",
				SHOW_MAX, src->name);
			goto done;
		}
		offsets[n] = names->size;
		for (j = 0; j < len; j++) {
			char c = src->name[j];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if ((error = ssm_str_putc(names, c)) < 0)
				goto done;
		}
		if ((error = ssm_str_putc(names, '\0')) < 0)
			goto done;
		h[n].value = src->value;
		h[n].order = n;
		n++;
	}
	/* names are complete: turn offsets into pointers */
	for (i = 0; i < n; i++)
		h[i].name = names->ptr + offsets[i];
	for (i = 0; i < n; i++) {
		if (!strcmp(h[i].name, "authorization")) {
			error = ssm_error__set(SSM_EINVALID,
					       SSM_ERRCLASS_INVALID, NULL,
					       "header 'authorization' cannot "
					       "be signed");
			goto done;
		}
		for (k = 0; k < 3; k++) {
			if (strcmp(h[i].name, implied[k]) != 0)
				continue;
			given[k] = true;
			if (implied_value[k] &&
			    strcmp(h[i].value, implied_value[k]) != 0) {
				error = ssm_error__set(
					SSM_EINVALID, SSM_ERRCLASS_INVALID,
					NULL,
					"header '%s' to sign contradicts the "
					"request's %s",
					implied[k],
					k == 0	 ? "host"
					: k == 1 ? "amz date"
						 : "session token");
				goto done;
			}
		}
	}
	for (k = 0; k < 3; k++) {
		if (given[k] || !implied_value[k])
			continue;
		h[n].name = implied[k];
		h[n].value = implied_value[k];
		h[n].order = n;
		n++;
	}
	qsort(h, n, sizeof(*h), compare_headers);
	*out = h;
	*n_out = n;
	h = NULL;
done:
	ssm__free(h);
	ssm__free(offsets);
	return error;
}

/* "\n<signed headers>\n<payload hash>": the blank line after the header
 * block, then the last two lines. */
static ssm_err put_canonical_tail(ssm_str *cr, const char *signed_headers,
				  const char *payload_hash)
{
	SSM_TRY(ssm_str_putc(cr, '\n'));
	SSM_TRY(ssm_str_puts(cr, signed_headers));
	SSM_TRY(ssm_str_putc(cr, '\n'));
	return ssm_str_puts(cr, payload_hash);
}

static ssm_err put_string_to_sign(ssm_str *sts, const char *amz_date,
				  const char *region, const char *service,
				  const ssm_str *canonical_request)
{
	char hash[SSM_SHA256_HEX_LEN + 1];

	ssm_crypto_sha256_hex(hash, canonical_request->ptr,
			      canonical_request->size);
	return ssm_str_printf(sts, "%s\n%s\n%.8s/%s/%s/%s\n%s",
			      SSM_SIGV4_ALGORITHM, amz_date, amz_date, region,
			      service, SSM_SIGV4_TERMINATOR, hash);
}

/* Copy @len bytes of @src into @dst (@size bytes) when they fit. */
static bool copy_part(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size)
		return false;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return true;
}

static ssm_err parse_credential(ssm_sigv4_auth *a, const char *v, size_t len)
{
	const char *part[5];
	size_t plen[5], n = 0, i;
	const char *p = v, *end = v + len;

	for (;;) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		const char *stop = slash ? slash : end;

		if (n < 5) {
			part[n] = p;
			plen[n] = (size_t)(stop - p);
		}
		n++;
		if (!slash)
			break;
		p = slash + 1;
	}
	for (i = 0; n == 5 && i < 5; i++)
		if (plen[i] == 0)
			n = 0;
	if (n != 5)
		return auth_error(SSM_SIGV4_E_INCOMPLETE,
				  "Credential must have exactly 5 "
				  "slash-delimited elements, e.g. "
				  "keyid/date/region/service/term, got "
				  "'%.*s'",
				  (int)(len > SHOW_MAX ? SHOW_MAX : len), v);
	if (!copy_part(a->access_key_id, sizeof(a->access_key_id), part[0],
		       plen[0]) ||
	    !copy_part(a->date, sizeof(a->date), part[1], plen[1]) ||
	    !copy_part(a->region, sizeof(a->region), part[2], plen[2]) ||
	    !copy_part(a->service, sizeof(a->service), part[3], plen[3]) ||
	    !copy_part(a->terminator, sizeof(a->terminator), part[4], plen[4]))
		return auth_error(SSM_SIGV4_E_INCOMPLETE,
				  "an element of the Authorization "
				  "Credential is too long");
	return SSM_OK;
}

static ssm_err parse_signed_headers(ssm_sigv4_auth *a, const char *v,
				    size_t len)
{
	size_t i;
	bool ok = len > 0 && v[0] != ';' && v[len - 1] != ';';

	if (len >= sizeof(a->signed_headers))
		return auth_error(SSM_SIGV4_E_INCOMPLETE,
				  "Authorization SignedHeaders is longer than "
				  "%d characters",
				  SSM_SIGV4_SIGNED_HEADERS_MAX);
	for (i = 0; ok && i < len; i++) {
		char c = v[i];

		if (c == ';' && v[i + 1] == ';')
			ok = false;
		else if (c != ';' && !is_tchar((unsigned char)c))
			ok = false;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		a->signed_headers[i] = c;
	}
	if (!ok)
		return auth_error(SSM_SIGV4_E_INCOMPLETE,
				  "invalid Authorization SignedHeaders "
				  "'%.*s'",
				  (int)(len > SHOW_MAX ? SHOW_MAX : len), v);
	a->signed_headers[len] = '\0';
	return SSM_OK;
}

static ssm_err parse_auth(ssm_sigv4_auth *a, unsigned *missing,
			  const char *value)
{
	static const char sep[] = " ,\t";
	const char *p = value;
	size_t len;
	unsigned seen = 0;

	memset(a, 0, sizeof(*a));
	p += strspn(p, sep);
	len = strcspn(p, sep);
	if (len != strlen(SSM_SIGV4_ALGORITHM) ||
	    memcmp(p, SSM_SIGV4_ALGORITHM, len) != 0)
		return auth_error(SSM_SIGV4_E_INCOMPLETE,
				  "Unsupported AWS 'algorithm': '%.*s'.",
				  (int)(len > SHOW_MAX ? SHOW_MAX : len), p);
	p += len;
	for (;;) {
		const char *eq, *v;
		size_t klen, vlen;
		unsigned bit;

		p += strspn(p, sep);
		if (!*p)
			break;
		len = strcspn(p, sep);
		eq = memchr(p, '=', len);
		if (!eq) {
			uint8_t digest[SSM_SHA256_LEN];
			char b64[SSM_BASE64_LEN(SSM_SHA256_LEN) + 1];

			/* AWS hashes the pair: it may hold a secret */
			ssm_crypto_sha256(digest, p, len);
			ssm_base64_encode(b64, digest, sizeof(digest));
			return auth_error(SSM_SIGV4_E_INCOMPLETE,
					  "Invalid key=value pair (missing "
					  "equal-sign) in Authorization header "
					  "(hashed with SHA-256 and encoded "
					  "with Base64): '%s'.",
					  b64);
		}
		klen = (size_t)(eq - p);
		v = eq + 1;
		vlen = len - klen - 1;
		bit = 0;
		if (klen == 10 && !memcmp(p, "Credential", 10))
			bit = MISSING_CREDENTIAL;
		else if (klen == 9 && !memcmp(p, "Signature", 9))
			bit = MISSING_SIGNATURE;
		else if (klen == 13 && !memcmp(p, "SignedHeaders", 13))
			bit = MISSING_SIGNED_HEADERS;
		if (bit & seen)
			return auth_error(SSM_SIGV4_E_INCOMPLETE,
					  "Authorization header has '%.*s' "
					  "twice",
					  (int)klen, p);
		seen |= bit;
		if (bit == MISSING_CREDENTIAL)
			SSM_TRY(parse_credential(a, v, vlen));
		else if (bit == MISSING_SIGNED_HEADERS)
			SSM_TRY(parse_signed_headers(a, v, vlen));
		else if (bit == MISSING_SIGNATURE && vlen == 64)
			copy_part(a->signature, sizeof(a->signature), v, vlen);
		p += len;
	}
	*missing = (MISSING_CREDENTIAL | MISSING_SIGNATURE |
		    MISSING_SIGNED_HEADERS) &
		   ~seen;
	return SSM_OK;
}

static ssm_err missing_message(unsigned missing, bool no_date)
{
	return auth_error(
		SSM_SIGV4_E_INCOMPLETE, "%s%s%s%s",
		missing & MISSING_CREDENTIAL
			? "Authorization header requires 'Credential' "
			  "parameter. "
			: "",
		missing & MISSING_SIGNATURE
			? "Authorization header requires 'Signature' "
			  "parameter. "
			: "",
		missing & MISSING_SIGNED_HEADERS
			? "Authorization header requires 'SignedHeaders' "
			  "parameter. "
			: "",
		no_date ? "Authorization header requires existence of "
			  "either a 'X-Amz-Date' or a 'Date' header. "
			: "");
}

/* Is @name one of the ';'-separated @list? */
static bool list_has(const char *list, const char *name)
{
	size_t n = strlen(name);

	while (*list) {
		size_t len = strcspn(list, ";");

		if (len == n && !memcmp(list, name, n))
			return true;
		list += len;
		if (*list == ';')
			list++;
	}
	return false;
}

static ssm_err auth_error(const char *service_code, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	ssm_error__vset(SSM_EAUTH, SSM_ERRCLASS_API, service_code, fmt, ap);
	va_end(ap);
	/* AWS's sentences end with ". " when chained: no trailing space */
	len = strlen(ssm_error_last()->message);
	if (len && ssm_error_last()->message[len - 1] == ' ') {
		char copy[SSM_ERROR_MESSAGE_MAX];

		memcpy(copy, ssm_error_last()->message, len - 1);
		copy[len - 1] = '\0';
		ssm_error__set(SSM_EAUTH, SSM_ERRCLASS_API, service_code, "%s",
			       copy);
	}
	return SSM_EAUTH;
}

/* "5 min." as AWS writes it; seconds when not whole minutes. */
static void skew_text(char *out, size_t size, int64_t skew_ms)
{
	if (skew_ms % 60000 == 0)
		snprintf(out, size, "%lld min.", (long long)(skew_ms / 60000));
	else
		snprintf(out, size, "%lld sec.", (long long)(skew_ms / 1000));
}
