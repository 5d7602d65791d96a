/* SPDX-License-Identifier: Apache-2.0 */
/* etcd: the store on an etcd v3 cluster, spoken through etcd's JSON gateway
 * (/v3/kv/range, /v3/kv/txn, /v3/watch, /v3/lease/...) with libcurl.
 *
 * URL: etcd://host:port[,host:port...]/prefix[?option=value&...]
 *
 *   timeout=MS            deadline of one store call, retries included
 *                         (default 5000)
 *   connect_timeout=MS    of one connection attempt (default 1000)
 *   max_request_bytes=N   etcd's --max-request-bytes (default 1572864):
 *                         larger transactions fail with SSM_ELIMIT before
 *                         anything is sent
 *   tls=1                 https with the system's CAs; implied by:
 *   cacert=PATH           CA bundle that signed the members' certificates
 *   cert=PATH, key=PATH   client certificate and key (--client-cert-auth)
 *   user=NAME             etcd user; with password=SECRET or
 *   password_file=PATH    (first line of the file)
 *
 * Every key lives under the prefix (the URL's path, with a '/' appended
 * when it has none): the store's key K is etcd's key "prefix/K". The
 * prefix itself holds a marker ("libssm-store 1"); open refuses a prefix
 * that holds keys but no marker (foreign data) and creates the marker in an
 * empty one. User keys are never empty, so the marker is never one of
 * them, and ranges start just after it.
 *
 * Revisions are etcd's: one per changing transaction, none for one that
 * changes nothing (etcd does not advance its revision then either). They
 * count the writes of the whole cluster, not only of this prefix.
 *
 * Cluster: requests go to one endpoint while it answers, and fail over to
 * the next when a connection cannot be made. Reads (get, range, revision,
 * lease keep-alive and grant) are linearizable (etcd's default) and are
 * retried on any endpoint with exponential backoff until the deadline.
 * Writes are never retried once they may have reached a member: if the
 * answer is lost (timeout, reset connection, an etcd timeout) the call
 * fails with SSM_ETIMEOUT or SSM_ERROR saying that the outcome is unknown
 * and naming the endpoint; only a write that certainly was not sent (no
 * connection) fails over. With a user, the token from /v3/auth/authenticate
 * is sent with every request and fetched again when etcd says it expired.
 *
 * Watches are a streaming POST to /v3/watch read by a thread of the watch
 * (curl multi, so that ssm_store_watch_free() wakes it at once). After a
 * disconnect the thread resumes on the next endpoint from the revision after
 * the last one delivered, so no event is lost or repeated; a compacted
 * revision ends the watch with SSM_ENOTFOUND. */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/alloc.h"
#include "core/ctx.h"
#include "core/encode.h"
#include "core/error.h"
#include "core/json.h"
#include "core/str.h"
#include "core/thread.h"
#include "stores/builtin.h"

#define MARKER "libssm-store 1"
#define MARKER_NAME "libssm-store "
#define ENDPOINTS_MAX 16
#define PREFIX_MAX 1024
#define DEFAULT_TIMEOUT_MS 5000
#define DEFAULT_CONNECT_TIMEOUT_MS 1000
#define DEFAULT_MAX_REQUEST 1572864
#define PAGE 256 /* keys per range request */
#define RESPONSE_MAX ((size_t)1 << 30)
#define BACKOFF_MIN_MS 25
#define BACKOFF_MAX_MS 1000
#define KEY_REPR 220
#define FULL_KEY_MAX (PREFIX_MAX + SSM_STORE_KEY_MAX + 1)
/* bytes etcd's protobuf encoding adds per op or compare, at most */
#define OP_OVERHEAD 32

struct endpoint {
	char name[280]; /* host:port, for messages */
	char base[300]; /* http://host:port */
};

/* One HTTP connection (a curl handle) with its buffers; pooled. */
struct conn {
	CURL *h;
	struct curl_slist *headers;
	uint64_t headers_gen; /* the token generation of headers */
	ssm_str resp;
	char errbuf[CURL_ERROR_SIZE];
	struct conn *next;
};

struct etcd {
	ssm_store parent;
	ssm_ctx *ctx; /* for logging (the core holds the reference) */
	struct endpoint eps[ENDPOINTS_MAX];
	size_t neps;
	atomic_size_t current; /* the endpoint in use */
	char where[600];       /* "h:p,h:p/prefix/" for messages */
	char prefix_repr[KEY_REPR];
	unsigned char prefix[PREFIX_MAX + 1];
	size_t prefix_len;
	int64_t timeout_ms, connect_timeout_ms;
	size_t max_request;
	bool tls;
	char *cacert, *cert, *key;
	char *user;
	char *password; /* secret: wiped at close, never in a message */

	pthread_mutex_t auth_lock;   /* token and token_gen */
	char *token;		     /* secret */
	uint64_t token_gen;	     /* changes with the token */
	pthread_mutex_t auth_serial; /* one authentication at a time */

	pthread_mutex_t pool_lock;
	struct conn *idle;
};

/* How one HTTP attempt ended. */
enum outcome {
	OUT_OK,	      /* 200 */
	OUT_REFUSED,  /* etcd answered with an error (code, message) */
	OUT_NOT_SENT, /* no connection: safe to send elsewhere */
	OUT_LOST,     /* sent, but no complete answer */
	OUT_FATAL     /* a local problem (TLS files, out of memory) */
};

struct failure {
	enum outcome outcome;
	bool timed_out;
	long http;
	int64_t grpc; /* gRPC code of an etcd error, -1: none */
	char endpoint[280];
	char text[300]; /* etcd's or curl's message */
};

static void e_close(ssm_store *store);

/* etcd's answers may be as large as a page of large values */
static const ssm_json_limits answer_limits = {
	.max_input = RESPONSE_MAX,
	.max_depth = 16,
	.max_string = RESPONSE_MAX,
	.max_nodes = 100000000,
	.flags = 0,
};

/* ---- small helpers ----------------------------------------------------- */

static void key_repr(char *out, const void *key, size_t len)
{
	ssm_store__key_repr(out, KEY_REPR, key, len);
}

/* Prefix @key (a user key or prefix) with the store's prefix into @out
 * (FULL_KEY_MAX bytes); returns the length. */
static size_t full_key(unsigned char *out, const struct etcd *e,
		       const void *key, size_t len)
{
	memcpy(out, e->prefix, e->prefix_len);
	if (len)
		memcpy(out + e->prefix_len, key, len);
	return e->prefix_len + len;
}

/* The end of the range of keys under @full (never empty: the prefix ends
 * in '/', so some byte can always be incremented). */
static size_t range_end(unsigned char *out, const unsigned char *full,
			size_t len)
{
	return ssm_store__prefix_end(out, full, len);
}

static ssm_err put_b64(ssm_str *b, const void *data, size_t len)
{
	SSM_TRY(ssm_str_putc(b, '"'));
	SSM_TRY(ssm_base64_encode_str(b, data, len));
	return ssm_str_putc(b, '"');
}

/* "name":"<base64>" */
static ssm_err put_b64_member(ssm_str *b, const char *name, const void *data,
			      size_t len)
{
	SSM_TRY(ssm_str_printf(b, "\"%s\":", name));
	return put_b64(b, data, len);
}

/* An int64 of etcd's JSON: a string of digits (or a number); 0 when
 * absent. */
static uint64_t json_u64(const ssm_json *obj, const char *name)
{
	const ssm_json *v = ssm_json_get(obj, name);
	const char *s;
	uint64_t n = 0;

	if (ssm_json_typeof(v) == SSM_JSON_NUMBER) {
		double d = ssm_json_double(v);

		return d > 0 ? (uint64_t)d : 0;
	}
	s = ssm_json_str(v);
	if (!s)
		return 0;
	if (*s == '-')
		return 0;
	while (*s >= '0' && *s <= '9')
		n = n * 10 + (uint64_t)(*s++ - '0');
	return n;
}

static ssm_err bad_answer(const struct etcd *e, const char *what)
{
	char copy[300]; /* @what may be the current message */

	snprintf(copy, sizeof(copy), "%s", what);
	return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
			      "etcd at %s: unexpected answer (%s)", e->where,
			      copy);
}

/* Decode a base64 member of @obj into @out (cleared first). */
static ssm_err json_b64(ssm_str *out, const struct etcd *e, const ssm_json *obj,
			const char *name)
{
	const ssm_json *v = ssm_json_get(obj, name);

	ssm_str_clear(out);
	if (!v) {
		/* protobuf's JSON leaves empty bytes out */
		return ssm_str_put(out, "", 0);
	}
	if (ssm_json_typeof(v) != SSM_JSON_STRING ||
	    ssm_base64_decode_str(out, ssm_json_str(v), ssm_json_str_len(v)) <
		    0)
		return bad_answer(e, "bad base64");
	return SSM_OK;
}

/* ---- a scanner that never allocates ------------------------------------ */

/* After a write was applied nothing may fail for want of memory (the store
 * changed: the caller must hear so), so the answer of a successful
 * transaction is read with this: it finds members in JSON text in place. */

static const char *js_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	return p;
}

/* Skip one value; NULL when malformed. */
static const char *js_skip(const char *p, const char *end)
{
	int depth = 0;

	p = js_ws(p, end);
	do {
		if (p >= end)
			return NULL;
		if (*p == '"') {
			for (p++; p < end && *p != '"'; p++)
				if (*p == '\\')
					p++;
			if (p >= end)
				return NULL;
			p++;
		} else if (*p == '{' || *p == '[') {
			depth++;
			p++;
		} else if (*p == '}' || *p == ']') {
			depth--;
			p++;
		} else {
			while (p < end && *p != ',' && *p != '}' && *p != ']' &&
			       *p != ' ' && *p != '\n')
				p++;
		}
		p = js_ws(p, end);
		if (depth > 0 && p < end && (*p == ',' || *p == ':'))
			p = js_ws(p + 1, end);
	} while (depth > 0);
	return p;
}

/* The value of member @name of the object at @p; NULL when absent. */
static const char *js_member(const char *p, const char *end, const char *name)
{
	size_t n = strlen(name);

	p = js_ws(p, end);
	if (p >= end || *p != '{')
		return NULL;
	p = js_ws(p + 1, end);
	while (p < end && *p == '"') {
		const char *k = p + 1, *v;

		p = js_skip(p, end);
		if (!p || *p != ':')
			return NULL;
		v = js_ws(p + 1, end);
		if ((size_t)(p - k) >= n + 1 && memcmp(k, name, n) == 0 &&
		    k[n] == '"')
			return v;
		p = js_skip(v, end);
		if (!p)
			return NULL;
		if (*p == ',')
			p = js_ws(p + 1, end);
	}
	return NULL;
}

static uint64_t js_u64(const char *p, const char *end)
{
	uint64_t n = 0;

	if (!p)
		return 0;
	if (p < end && *p == '"')
		p++;
	while (p < end && *p >= '0' && *p <= '9')
		n = n * 10 + (uint64_t)(*p++ - '0');
	return n;
}

/* ---- connections --------------------------------------------------------- */

static size_t on_data(char *data, size_t size, size_t n, void *payload)
{
	ssm_str *resp = payload;

	if (ssm_str_put(resp, data, size * n) < 0)
		return 0; /* curl fails the transfer */
	return size * n;
}

/* Options every handle of the store shares, requests and watches alike. */
static void setup_handle(const struct etcd *e, CURL *h)
{
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPIDLE, 10L);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPINTVL, 5L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, e->tls ? "https" : "http");
	if (e->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, e->cacert);
	if (e->cert)
		curl_easy_setopt(h, CURLOPT_SSLCERT, e->cert);
	if (e->key)
		curl_easy_setopt(h, CURLOPT_SSLKEY, e->key);
}

/* The headers of a request: JSON, no 100-continue, the token. */
static ssm_err make_headers(struct curl_slist **out, uint64_t *gen_out,
			    struct etcd *e)
{
	struct curl_slist *l = NULL, *t;
	ssm_str auth = SSM_STR_INIT;
	ssm_err error = SSM_OK;

	*out = NULL;
	l = curl_slist_append(NULL, "Content-Type: application/json");
	if (l && (t = curl_slist_append(l, "Expect:")))
		l = t;
	else
		error = SSM_ERROR;
	pthread_mutex_lock(&e->auth_lock);
	*gen_out = e->token_gen;
	if (error == SSM_OK && e->token) {
		error = ssm_str_printf(&auth, "Authorization: %s", e->token);
		if (error == SSM_OK &&
		    !(t = curl_slist_append(l, ssm_str_cstr(&auth))))
			error = SSM_ERROR;
	}
	pthread_mutex_unlock(&e->auth_lock);
	ssm_str_dispose_secure(&auth);
	if (error < 0) {
		curl_slist_free_all(l);
		if (error == SSM_ERROR)
			ssm_error__oom();
		return error;
	}
	*out = l;
	return SSM_OK;
}

static void conn_free(struct conn *c)
{
	if (!c)
		return;
	if (c->h)
		curl_easy_cleanup(c->h);
	curl_slist_free_all(c->headers);
	ssm_str_dispose(&c->resp);
	ssm__free(c);
}

static ssm_err conn_get(struct conn **out, struct etcd *e)
{
	struct conn *c;

	pthread_mutex_lock(&e->pool_lock);
	c = e->idle;
	if (c)
		e->idle = c->next;
	pthread_mutex_unlock(&e->pool_lock);
	if (c) {
		*out = c;
		return SSM_OK;
	}
	c = ssm__calloc(1, sizeof(*c));
	if (!c)
		return SSM_ERROR;
	ssm_str_init_max(&c->resp, RESPONSE_MAX);
	c->h = curl_easy_init();
	if (!c->h) {
		ssm__free(c);
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				      "cannot create a curl handle");
	}
	setup_handle(e, c->h);
	curl_easy_setopt(c->h, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->h, CURLOPT_WRITEDATA, &c->resp);
	curl_easy_setopt(c->h, CURLOPT_POST, 1L);
	*out = c;
	return SSM_OK;
}

static void conn_put(struct etcd *e, struct conn *c)
{
	/* do not keep a huge answer's buffer around */
	if (c->resp.asize > (1u << 20))
		ssm_str_dispose(&c->resp);
	else
		ssm_str_clear(&c->resp);
	ssm_str_init_max(&c->resp, RESPONSE_MAX);
	pthread_mutex_lock(&e->pool_lock);
	c->next = e->idle;
	e->idle = c;
	pthread_mutex_unlock(&e->pool_lock);
}

/* Read etcd's error answer {"error": "...", "message": "...", "code": N}
 * (or a stream's {"error": {"grpc_code": N, "message": "..."}}). */
static void parse_refusal(struct failure *f, const char *text, size_t len)
{
	ssm_json_doc *doc = NULL;
	const ssm_json *root, *err, *msg;

	f->grpc = -1;
	f->text[0] = '\0';
	if (ssm_json_parse(&doc, text, len, NULL) == SSM_OK) {
		root = ssm_json_doc_root(doc);
		err = ssm_json_get(root, "error");
		if (ssm_json_typeof(err) == SSM_JSON_OBJECT)
			root = err;
		msg = ssm_json_get(root, "message");
		if (!ssm_json_str(msg))
			msg = ssm_json_get(root, "error");
		if (ssm_json_str(msg))
			snprintf(f->text, sizeof(f->text), "%s",
				 ssm_json_str(msg));
		if (ssm_json_get(root, "code"))
			f->grpc = (int64_t)json_u64(root, "code");
		else if (ssm_json_get(root, "grpc_code"))
			f->grpc = (int64_t)json_u64(root, "grpc_code");
	}
	ssm_json_doc_free(doc);
	if (!f->text[0])
		snprintf(f->text, sizeof(f->text), "HTTP status %ld", f->http);
}

/* One HTTP attempt: POST @body to @path on endpoint @ep. */
static void attempt(struct failure *f, struct etcd *e, struct conn *c,
		    const struct endpoint *ep, const char *path,
		    const char *body, size_t body_len, int64_t deadline)
{
	char url[400];
	int64_t left = deadline - ssm__mono_ms();
	long status = 0, sent = 0;
	CURLcode rc;

	memset(f, 0, sizeof(*f));
	f->grpc = -1;
	snprintf(f->endpoint, sizeof(f->endpoint), "%s", ep->name);
	if (left < 1)
		left = 1;
	pthread_mutex_lock(&e->auth_lock);
	if (c->headers && c->headers_gen != e->token_gen) {
		curl_slist_free_all(c->headers);
		c->headers = NULL;
	}
	pthread_mutex_unlock(&e->auth_lock);
	if (!c->headers && make_headers(&c->headers, &c->headers_gen, e) < 0) {
		f->outcome = OUT_FATAL;
		snprintf(f->text, sizeof(f->text), "out of memory");
		return;
	}
	snprintf(url, sizeof(url), "%s%s", ep->base, path);
	ssm_str_clear(&c->resp);
	c->errbuf[0] = '\0';
	curl_easy_setopt(c->h, CURLOPT_URL, url);
	curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->headers);
	curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c->h, CURLOPT_POSTFIELDSIZE_LARGE,
			 (curl_off_t)body_len);
	curl_easy_setopt(c->h, CURLOPT_TIMEOUT_MS, (long)left);
	curl_easy_setopt(c->h, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)(left < e->connect_timeout_ms
					? left
					: e->connect_timeout_ms));
	rc = curl_easy_perform(c->h);
	if (rc == CURLE_OK) {
		curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &status);
		f->http = status;
		if (status == 200) {
			f->outcome = OUT_OK;
			return;
		}
		f->outcome = OUT_REFUSED;
		parse_refusal(f, ssm_str_cstr(&c->resp), c->resp.size);
		return;
	}
	snprintf(f->text, sizeof(f->text), "%s",
		 c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc));
	f->timed_out = rc == CURLE_OPERATION_TIMEDOUT;
	curl_easy_getinfo(c->h, CURLINFO_REQUEST_SIZE, &sent);
	switch (rc) {
	case CURLE_WRITE_ERROR:
		/* our buffer refused the answer: out of memory or too big */
		f->outcome = OUT_LOST;
		snprintf(f->text, sizeof(f->text),
			 "the answer could not be kept (out of memory or "
			 "over %zu bytes)",
			 (size_t)RESPONSE_MAX);
		return;
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_OUT_OF_MEMORY:
		f->outcome = OUT_FATAL;
		return;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
		f->outcome = OUT_NOT_SENT;
		return;
	default:
		f->outcome = sent == 0 ? OUT_NOT_SENT : OUT_LOST;
		return;
	}
}

static bool retryable_code(int64_t grpc)
{
	/* Unknown, DeadlineExceeded, ResourceExhausted, Aborted, Internal,
	 * Unavailable */
	return grpc == 2 || grpc == 4 || grpc == 8 || grpc == 10 ||
	       grpc == 13 || grpc == 14;
}

/* ---- authentication ------------------------------------------------------ */

static void set_token(struct etcd *e, char *token)
{
	pthread_mutex_lock(&e->auth_lock);
	if (e->token)
		ssm__free_secure(e->token, strlen(e->token));
	e->token = token;
	e->token_gen++;
	pthread_mutex_unlock(&e->auth_lock);
}

/* Get a new token unless another thread did since generation @seen; ask
 * endpoint @first, then the others, until the deadline. */
static ssm_err authenticate(struct etcd *e, struct conn *c, size_t first,
			    uint64_t seen, int64_t deadline)
{
	ssm_str body = SSM_STR_INIT;
	ssm_json_doc *doc = NULL;
	struct failure f;
	const char *token;
	char *copy;
	uint64_t gen;
	ssm_jsonw w;
	int64_t backoff = BACKOFF_MIN_MS, now;
	size_t i = first % e->neps, failures = 0;
	ssm_err error = SSM_OK;

	pthread_mutex_lock(&e->auth_serial);
	pthread_mutex_lock(&e->auth_lock);
	gen = e->token_gen;
	pthread_mutex_unlock(&e->auth_lock);
	if (gen != seen)
		goto done; /* someone else did it meanwhile */
	ssm_jsonw_init(&w, &body, 0);
	ssm_jsonw_object_begin(&w);
	ssm_jsonw_keyz(&w, "name");
	ssm_jsonw_stringz(&w, e->user);
	ssm_jsonw_keyz(&w, "password");
	ssm_jsonw_stringz(&w, e->password);
	ssm_jsonw_object_end(&w);
	error = ssm_jsonw_finish(&w);
	if (error < 0)
		goto done;
	/* the request must not carry the old token */
	set_token(e, NULL);
	for (;;) {
		attempt(&f, e, c, &e->eps[i], "/v3/auth/authenticate", body.ptr,
			body.size, deadline);
		if (f.outcome == OUT_OK || f.outcome == OUT_FATAL ||
		    (f.outcome == OUT_REFUSED && !retryable_code(f.grpc) &&
		     f.http < 500))
			break;
		i = (i + 1) % e->neps;
		now = ssm__mono_ms();
		if (++failures % e->neps == 0 && now < deadline) {
			usleep((useconds_t)(backoff < deadline - now
						    ? backoff
						    : deadline - now) *
			       1000);
			backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS
							       : backoff * 2;
			now = ssm__mono_ms();
		}
		if (now >= deadline)
			break;
	}
	if (f.outcome == OUT_REFUSED && f.grpc == 9 &&
	    strstr(f.text, "authentication is not enabled")) {
		/* the cluster has no auth: go on without a token */
		SSM_LOG(e->ctx, SSM_LOG_INFO, "store",
			"etcd at %s has authentication off; user '%.64s' is "
			"not needed",
			e->where, e->user);
		goto done;
	}
	if (f.outcome == OUT_REFUSED && !retryable_code(f.grpc)) {
		error = ssm_error__set(SSM_EAUTH, SSM_ERRCLASS_STORE, NULL,
				       "etcd %s: authentication of user "
				       "'%.64s' failed: %s",
				       f.endpoint, e->user, f.text);
		goto done;
	}
	if (f.outcome != OUT_OK) {
		error = ssm_error__set(f.timed_out ? SSM_ETIMEOUT : SSM_ERROR,
				       SSM_ERRCLASS_STORE, NULL,
				       "etcd %s: authentication: %s",
				       f.endpoint, f.text);
		goto done;
	}
	error = ssm_json_parse(&doc, c->resp.ptr, c->resp.size, NULL);
	if (error < 0)
		goto done;
	token = ssm_json_str(ssm_json_get(ssm_json_doc_root(doc), "token"));
	if (!token) {
		error = bad_answer(e, "no token");
		goto done;
	}
	copy = ssm__strdup(token);
	if (!copy)
		error = SSM_ERROR;
	else
		set_token(e, copy);
done:
	pthread_mutex_unlock(&e->auth_serial);
	if (doc)
		ssm__zeroize(c->resp.ptr, c->resp.size);
	ssm_json_doc_free(doc);
	ssm_str_dispose_secure(&body);
	return error;
}

/* ---- calls ----------------------------------------------------------------
 */

enum call_kind {
	CALL_READ, /* idempotent: retried anywhere until the deadline */
	CALL_WRITE /* sent at most once where it may have arrived */
};

/* Turn etcd's refusal into our code and message. */
static ssm_err refused(const struct etcd *e, const struct failure *f)
{
	ssm_err code = SSM_ERROR;

	switch (f->grpc) {
	case 3: /* InvalidArgument */
		if (strstr(f->text, "too large") ||
		    strstr(f->text, "too many operations"))
			code = SSM_ELIMIT;
		else if (strstr(f->text, "user name is empty") ||
			 strstr(f->text, "authentication failed"))
			return ssm_error__set(
				SSM_EAUTH, SSM_ERRCLASS_STORE, NULL,
				"etcd %s: %s (%s)", f->endpoint, f->text,
				e->user ? "check the user and password"
					: "the cluster wants a user: add "
					  "user= and password_file= to the "
					  "URL");
		break;
	case 5:	 /* NotFound */
	case 11: /* OutOfRange: compacted */
		code = SSM_ENOTFOUND;
		break;
	case 7:	 /* PermissionDenied */
	case 16: /* Unauthenticated */
		return ssm_error__set(SSM_EAUTH, SSM_ERRCLASS_STORE, NULL,
				      "etcd %s: %s (user '%.64s', prefix "
				      "'%s')",
				      f->endpoint, f->text,
				      e->user ? e->user : "", e->prefix_repr);
	}
	return ssm_error__set(code, SSM_ERRCLASS_STORE, NULL, "etcd %s: %s",
			      f->endpoint, f->text);
}

/* POST @body to @path on the cluster; on success the answer is in
 * c->resp. */
static ssm_err call(struct etcd *e, struct conn *c, const char *path,
		    const ssm_str *body, enum call_kind kind, int64_t deadline)
{
	struct failure f;
	int64_t backoff = BACKOFF_MIN_MS, now, nap;
	size_t i = atomic_load(&e->current) % e->neps, failures = 0;
	size_t want;
	bool reauth = false;
	uint64_t gen;

	for (;;) {
		pthread_mutex_lock(&e->auth_lock);
		gen = e->token_gen;
		pthread_mutex_unlock(&e->auth_lock);
		attempt(&f, e, c, &e->eps[i], path, body->ptr, body->size,
			deadline);
		if (f.outcome == OUT_OK) {
			atomic_store(&e->current, i);
			return SSM_OK;
		}
		if (f.outcome == OUT_FATAL)
			return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE,
					      NULL, "etcd %s: %s", f.endpoint,
					      f.text);
		if (f.outcome == OUT_REFUSED && f.grpc == 16 && e->user &&
		    !reauth) {
			/* the token expired (or was never there) */
			reauth = true;
			SSM_TRY(authenticate(e, c, i, gen, deadline));
			continue;
		}
		if (f.outcome == OUT_REFUSED && !retryable_code(f.grpc) &&
		    f.http < 500)
			return refused(e, &f);
		if (kind == CALL_WRITE && f.outcome != OUT_NOT_SENT &&
		    !(f.outcome == OUT_REFUSED && f.grpc == 8))
			return ssm_error__set(
				f.timed_out || f.grpc == 4 || f.grpc == 14
					? SSM_ETIMEOUT
					: SSM_ERROR,
				SSM_ERRCLASS_STORE, NULL,
				"etcd %s: %s; the write may or may not have "
				"been applied",
				f.endpoint, f.text);
		/* another endpoint, and after a round of them, a pause */
		SSM_LOG(e->ctx, SSM_LOG_DEBUG, "store", "etcd %s: %s",
			f.endpoint, f.text);
		want = (i + 1) % e->neps;
		atomic_compare_exchange_strong(&e->current, &i, want);
		i = want;
		now = ssm__mono_ms();
		if (++failures % e->neps == 0 && now < deadline) {
			nap = backoff < deadline - now ? backoff
						       : deadline - now;
			usleep((useconds_t)nap * 1000);
			backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS
							       : backoff * 2;
			now = ssm__mono_ms();
		}
		if (now >= deadline)
			return ssm_error__set(
				SSM_ETIMEOUT, SSM_ERRCLASS_STORE, NULL,
				"etcd at %s: no answer within %lld ms "
				"(last: %s: %s)",
				e->where, (long long)e->timeout_ms, f.endpoint,
				f.text);
	}
}

/* A call whose answer is parsed as JSON into *doc. */
static ssm_err call_json(ssm_json_doc **doc, struct etcd *e, const char *path,
			 const ssm_str *body, enum call_kind kind)
{
	struct conn *c = NULL;
	ssm_err error;

	*doc = NULL;
	SSM_TRY(conn_get(&c, e));
	error = call(e, c, path, body, kind, ssm__mono_ms() + e->timeout_ms);
	if (error == SSM_OK) {
		error = ssm_json_parse(doc, c->resp.ptr, c->resp.size,
				       &answer_limits);
		if (error < 0 && error != SSM_ERROR)
			error = bad_answer(e, ssm_error_last()->message);
	}
	conn_put(e, c);
	return error;
}

/* ---- reads ------------------------------------------------------------------
 */

/* Append the kvs of a range answer to @out (keys stripped of the prefix;
 * the marker and anything outside the prefix are left out). Sets *last
 * to the last full key seen. */
static ssm_err add_kvs(ssm_store_kvs *out, size_t *added, ssm_str *last,
		       struct etcd *e, const ssm_json *kvs, bool keys_only)
{
	ssm_str k = SSM_STR_INIT, v = SSM_STR_INIT;
	ssm_store_kv meta = SSM_STORE_KV_INIT;
	ssm_err error = SSM_OK;
	size_t i, n = ssm_json_size(kvs);

	*added = 0;
	for (i = 0; i < n && error == SSM_OK; i++) {
		const ssm_json *kv = ssm_json_at(kvs, i);

		error = json_b64(&k, e, kv, "key");
		if (error == SSM_OK && !keys_only)
			error = json_b64(&v, e, kv, "value");
		if (error < 0)
			break;
		ssm_str_clear(last);
		error = ssm_str_put(last, k.ptr, k.size);
		if (error < 0)
			break;
		if (k.size <= e->prefix_len ||
		    memcmp(k.ptr, e->prefix, e->prefix_len) != 0)
			continue;
		meta.create_revision = json_u64(kv, "create_revision");
		meta.mod_revision = json_u64(kv, "mod_revision");
		meta.version = json_u64(kv, "version");
		meta.lease = json_u64(kv, "lease");
		error = ssm_store_kvs_add(out, k.ptr + e->prefix_len,
					  k.size - e->prefix_len,
					  keys_only ? NULL : v.ptr,
					  keys_only ? 0 : v.size, &meta);
		if (error == SSM_OK)
			(*added)++;
	}
	ssm_str_dispose(&k);
	ssm_str_dispose_secure(&v);
	return error;
}

static ssm_err e_get(ssm_store_kv *out, ssm_store *store, const void *key,
		     size_t key_len)
{
	struct etcd *e = (struct etcd *)store;
	unsigned char full[FULL_KEY_MAX];
	ssm_str body = SSM_STR_INIT, v = SSM_STR_INIT;
	ssm_json_doc *doc = NULL;
	const ssm_json *kv;
	char repr[KEY_REPR];
	ssm_err error;

	error = ssm_str_putc(&body, '{');
	if (error == SSM_OK)
		error = put_b64_member(&body, "key", full,
				       full_key(full, e, key, key_len));
	if (error == SSM_OK)
		error = ssm_str_putc(&body, '}');
	if (error == SSM_OK)
		error = call_json(&doc, e, "/v3/kv/range", &body, CALL_READ);
	if (error < 0)
		goto done;
	kv = ssm_json_at(ssm_json_get(ssm_json_doc_root(doc), "kvs"), 0);
	if (!kv) {
		key_repr(repr, key, key_len);
		error = ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_STORE, NULL,
				       "key '%s' not found", repr);
		goto done;
	}
	error = json_b64(&v, e, kv, "value");
	if (error == SSM_OK)
		error = ssm_buf_set(&out->value, v.ptr ? v.ptr : "", v.size);
	out->create_revision = json_u64(kv, "create_revision");
	out->mod_revision = json_u64(kv, "mod_revision");
	out->version = json_u64(kv, "version");
	out->lease = json_u64(kv, "lease");
done:
	ssm_json_doc_free(doc);
	ssm_str_dispose(&body);
	ssm_str_dispose_secure(&v);
	return error;
}

/* The first full key of a range: after @start_after when that lies under
 * the prefix's range, else the start of @prefix (just after the marker for
 * the empty prefix). */
static size_t range_start(unsigned char *out, const struct etcd *e,
			  const void *prefix, size_t prefix_len,
			  const void *start_after, size_t start_after_len)
{
	size_t n;
	int c;

	if (start_after) {
		n = start_after_len < prefix_len ? start_after_len : prefix_len;
		c = n ? memcmp(start_after, prefix, n) : 0;
		if (c > 0 || (c == 0 && start_after_len >= prefix_len)) {
			/* key > s  <=>  key >= s || 0x00 */
			n = full_key(out, e, start_after, start_after_len);
			out[n] = 0;
			return n + 1;
		}
	}
	n = full_key(out, e, prefix, prefix_len);
	if (!prefix_len)
		out[n++] = 0;
	return n;
}

static ssm_err e_range(ssm_store_kvs *out, ssm_store *store, const void *prefix,
		       size_t prefix_len, const void *start_after,
		       size_t start_after_len, size_t limit, unsigned int flags)
{
	struct etcd *e = (struct etcd *)store;
	unsigned char lo[FULL_KEY_MAX + 1], hi[FULL_KEY_MAX];
	size_t lo_len, hi_len, got = 0, added, page;
	bool keys_only = (flags & SSM_STORE_RANGE_KEYS_ONLY) != 0, more;
	ssm_str body = SSM_STR_INIT, last = SSM_STR_INIT;
	ssm_json_doc *doc = NULL;
	const ssm_json *root;
	uint64_t rev = 0;
	int restarts = 0;
	ssm_err error = SSM_OK;

	lo_len = range_start(lo, e, prefix, prefix_len, start_after,
			     start_after_len);
	hi_len = full_key(hi, e, prefix, prefix_len);
	hi_len = range_end(hi, hi, hi_len);
	if (memcmp(lo, hi, lo_len < hi_len ? lo_len : hi_len) > 0 ||
	    (memcmp(lo, hi, lo_len < hi_len ? lo_len : hi_len) == 0 &&
	     lo_len >= hi_len)) {
		/* start_after lies past the prefix: nothing, at now */
		return e->parent.ops->revision(&out->revision, store);
	}
	for (;;) {
		page = limit ? limit - got : PAGE;
		if (page > PAGE)
			page = PAGE;
		ssm_str_clear(&body);
		error = ssm_str_putc(&body, '{');
		if (error == SSM_OK)
			error = put_b64_member(&body, "key", lo, lo_len);
		if (error == SSM_OK)
			error = ssm_str_putc(&body, ',');
		if (error == SSM_OK)
			error = put_b64_member(&body, "range_end", hi, hi_len);
		if (error == SSM_OK)
			error = ssm_str_printf(&body, ",\"limit\":\"%zu\"",
					       page);
		if (error == SSM_OK && rev)
			error = ssm_str_printf(&body, ",\"revision\":\"%llu\"",
					       (unsigned long long)rev);
		if (error == SSM_OK && keys_only)
			error = ssm_str_puts(&body, ",\"keys_only\":true");
		if (error == SSM_OK)
			error = ssm_str_putc(&body, '}');
		if (error == SSM_OK)
			error = call_json(&doc, e, "/v3/kv/range", &body,
					  CALL_READ);
		if (error == SSM_ENOTFOUND && rev && restarts++ < 3) {
			/* compacted between two pages: read again */
			ssm_store_kvs_dispose(out);
			rev = 0;
			got = 0;
			lo_len = range_start(lo, e, prefix, prefix_len,
					     start_after, start_after_len);
			continue;
		}
		if (error < 0)
			break;
		root = ssm_json_doc_root(doc);
		if (!rev) {
			rev = json_u64(ssm_json_get(root, "header"),
				       "revision");
			out->revision = rev;
		}
		error = add_kvs(out, &added, &last, e,
				ssm_json_get(root, "kvs"), keys_only);
		if (error < 0)
			break;
		got += added;
		more = ssm_json_bool(ssm_json_get(root, "more"));
		ssm_json_doc_free(doc);
		doc = NULL;
		if (!more) {
			out->more = false;
			break;
		}
		if (limit && got >= limit) {
			out->more = true;
			break;
		}
		if (!last.size || last.size > FULL_KEY_MAX - 1) {
			error = bad_answer(e, "a page without keys");
			break;
		}
		/* the next page starts just after the last key */
		memcpy(lo, last.ptr, last.size);
		lo[last.size] = 0;
		lo_len = last.size + 1;
	}
	ssm_json_doc_free(doc);
	ssm_str_dispose(&body);
	ssm_str_dispose(&last);
	return error;
}

static ssm_err e_revision(uint64_t *out, ssm_store *store)
{
	struct etcd *e = (struct etcd *)store;
	ssm_str body = SSM_STR_INIT;
	ssm_json_doc *doc = NULL;
	ssm_err error;

	error = ssm_str_putc(&body, '{');
	if (error == SSM_OK)
		error = put_b64_member(&body, "key", e->prefix, e->prefix_len);
	if (error == SSM_OK)
		error = ssm_str_puts(&body, ",\"count_only\":true}");
	if (error == SSM_OK)
		error = call_json(&doc, e, "/v3/kv/range", &body, CALL_READ);
	if (error == SSM_OK)
		*out = json_u64(ssm_json_get(ssm_json_doc_root(doc), "header"),
				"revision");
	ssm_json_doc_free(doc);
	ssm_str_dispose(&body);
	return error;
}

/* ---- transactions ----------------------------------------------------------
 */

static const char *const cmp_names[] = { "EQUAL", "NOT_EQUAL", "LESS",
					 "GREATER" };

/* etcd's protobuf size of a transaction, roughly from above. */
static size_t txn_size(const struct etcd *e, const ssm_store_compare *cmps,
		       size_t ncmps, const ssm_store_op *ops, size_t nops)
{
	size_t i, n = 0;

	for (i = 0; i < ncmps; i++) /* the compare and its failure range */
		n += 2 * (e->prefix_len + cmps[i].key_len + OP_OVERHEAD);
	for (i = 0; i < nops; i++) {
		n += e->prefix_len + ops[i].key_len + OP_OVERHEAD;
		if (ops[i].type == SSM_STORE_OP_PUT)
			n += ops[i].value_len;
		else if (ops[i].type == SSM_STORE_OP_DELETE_PREFIX)
			n += e->prefix_len + ops[i].key_len;
	}
	return n;
}

static ssm_err txn_body(ssm_str *b, const struct etcd *e,
			const ssm_store_compare *cmps, size_t ncmps,
			const ssm_store_op *ops, size_t nops)
{
	unsigned char k[FULL_KEY_MAX + 1], end[FULL_KEY_MAX];
	size_t i, n;

	SSM_TRY(ssm_str_puts(b, "{\"compare\":["));
	for (i = 0; i < ncmps; i++) {
		SSM_TRY(ssm_str_puts(b, i ? ",{" : "{"));
		SSM_TRY(put_b64_member(
			b, "key", k,
			full_key(k, e, cmps[i].key, cmps[i].key_len)));
		SSM_TRY(ssm_str_printf(
			b,
			",\"target\":\"MOD\",\"result\":\"%s\","
			"\"mod_revision\":\"%llu\"}",
			cmp_names[cmps[i].op & 3],
			(unsigned long long)cmps[i].mod_revision));
	}
	SSM_TRY(ssm_str_puts(b, "],\"success\":["));
	for (i = 0; i < nops; i++) {
		const ssm_store_op *op = &ops[i];

		SSM_TRY(ssm_str_puts(b, i ? "," : ""));
		n = full_key(k, e, op->key, op->key_len);
		switch (op->type) {
		case SSM_STORE_OP_PUT:
			SSM_TRY(ssm_str_puts(b, "{\"request_put\":{"));
			SSM_TRY(put_b64_member(b, "key", k, n));
			SSM_TRY(ssm_str_putc(b, ','));
			SSM_TRY(put_b64_member(b, "value", op->value,
					       op->value_len));
			if (op->lease)
				SSM_TRY(ssm_str_printf(
					b, ",\"lease\":\"%llu\"",
					(unsigned long long)op->lease));
			SSM_TRY(ssm_str_puts(b, "}}"));
			break;
		case SSM_STORE_OP_DELETE:
			SSM_TRY(ssm_str_puts(b, "{\"request_delete_range\":{"));
			SSM_TRY(put_b64_member(b, "key", k, n));
			SSM_TRY(ssm_str_puts(b, "}}"));
			break;
		case SSM_STORE_OP_DELETE_PREFIX: {
			size_t end_len = range_end(end, k, n);

			if (!op->key_len)
				k[n++] = 0; /* keep the marker */
			SSM_TRY(ssm_str_puts(b, "{\"request_delete_range\":{"));
			SSM_TRY(put_b64_member(b, "key", k, n));
			SSM_TRY(ssm_str_putc(b, ','));
			SSM_TRY(put_b64_member(b, "range_end", end, end_len));
			SSM_TRY(ssm_str_puts(b, "}}"));
			break;
		}
		}
	}
	/* when a compare fails, read the compared keys: the message says
	 * which compare failed and what it found */
	SSM_TRY(ssm_str_puts(b, "],\"failure\":["));
	for (i = 0; i < ncmps; i++) {
		SSM_TRY(ssm_str_puts(b, i ? ",{\"request_range\":{"
					  : "{\"request_range\":{"));
		SSM_TRY(put_b64_member(
			b, "key", k,
			full_key(k, e, cmps[i].key, cmps[i].key_len)));
		SSM_TRY(ssm_str_puts(b, ",\"keys_only\":true}}"));
	}
	return ssm_str_puts(b, "]}");
}

/* The body of etcd's Put for one op. */
static ssm_err put_body(ssm_str *b, const struct etcd *e,
			const ssm_store_op *op)
{
	unsigned char k[FULL_KEY_MAX];

	SSM_TRY(ssm_str_putc(b, '{'));
	SSM_TRY(put_b64_member(b, "key", k,
			       full_key(k, e, op->key, op->key_len)));
	SSM_TRY(ssm_str_putc(b, ','));
	SSM_TRY(put_b64_member(b, "value", op->value, op->value_len));
	if (op->lease)
		SSM_TRY(ssm_str_printf(b, ",\"lease\":\"%llu\"",
				       (unsigned long long)op->lease));
	return ssm_str_putc(b, '}');
}

/* The transaction's compares failed: find the first that fails on what
 * the failure branch read, and say so. */
static ssm_err txn_conflict(struct etcd *e, const ssm_store_compare *cmps,
			    size_t ncmps, const char *text, size_t len)
{
	ssm_json_doc *doc = NULL;
	const ssm_json *resps, *kv;
	uint64_t have;
	size_t i;
	ssm_err error;

	SSM_TRY(ssm_json_parse(&doc, text, len, NULL));
	resps = ssm_json_get(ssm_json_doc_root(doc), "responses");
	for (i = 0; i < ncmps; i++) {
		kv = ssm_json_at(
			ssm_json_get(ssm_json_get(ssm_json_at(resps, i),
						  "response_range"),
				     "kvs"),
			0);
		have = json_u64(kv, "mod_revision");
		if (!ssm_store__cmp_holds(&cmps[i], have)) {
			ssm_json_doc_free(doc);
			return ssm_store__cmp_failed(&cmps[i], have);
		}
	}
	ssm_json_doc_free(doc);
	/* etcd says a compare failed; every one holds on what it read */
	error = ssm_error__set(SSM_ECONFLICT, SSM_ERRCLASS_STORE, NULL,
			       "etcd at %s: a compare of the transaction "
			       "failed",
			       e->where);
	return error;
}

static ssm_err lease_missing(const ssm_store_op *ops, size_t nops)
{
	size_t i;

	for (i = 0; i < nops; i++)
		if (ops[i].lease)
			return ssm_store__lease_not_found(ops[i].lease);
	return SSM_ENOTFOUND;
}

static ssm_err e_txn(uint64_t *revision_out, ssm_store *store,
		     const ssm_store_compare *cmps, size_t ncmps,
		     const ssm_store_op *ops, size_t nops)
{
	struct etcd *e = (struct etcd *)store;
	ssm_str body = SSM_STR_INIT;
	struct conn *c = NULL;
	const char *text, *end, *v, *path = "/v3/kv/txn";
	size_t size = txn_size(e, cmps, ncmps, ops, nops);
	/* a lone unconditional put is etcd's Put: the same atomic write,
	 * and etcd serves it faster than a Txn */
	bool plain = !ncmps && nops == 1 && ops[0].type == SSM_STORE_OP_PUT;
	ssm_err error;

	if (size > e->max_request)
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_STORE, NULL,
				      "transaction of about %zu bytes exceeds "
				      "etcd's request limit of %zu bytes "
				      "(max_request_bytes)",
				      size, e->max_request);
	if (plain) {
		path = "/v3/kv/put";
		error = put_body(&body, e, &ops[0]);
	} else {
		error = txn_body(&body, e, cmps, ncmps, ops, nops);
	}
	if (error == SSM_OK)
		error = conn_get(&c, e);
	/* room for the answer now: once the write is applied, nothing may
	 * fail for want of memory */
	if (error == SSM_OK)
		error = ssm_str_grow(&c->resp, 16384 + 64 * (nops + ncmps));
	if (error == SSM_OK)
		error = call(e, c, path, &body, CALL_WRITE,
			     ssm__mono_ms() + e->timeout_ms);
	if (error == SSM_ENOTFOUND)
		error = lease_missing(ops, nops);
	if (error < 0)
		goto done;
	text = c->resp.ptr;
	end = text + c->resp.size;
	v = plain ? "true" : js_member(text, end, "succeeded");
	if (!v || (plain ? false : end - v < 4) || memcmp(v, "true", 4) != 0) {
		/* nothing changed: any error may be reported */
		error = txn_conflict(e, cmps, ncmps, text, c->resp.size);
		goto done;
	}
	v = js_member(text, end, "header");
	*revision_out = v ? js_u64(js_member(v, end, "revision"), end) : 0;
	if (!*revision_out) {
		SSM_LOG(e->ctx, SSM_LOG_WARN, "store",
			"etcd at %s: a transaction's answer has no revision",
			e->where);
	}
done:
	if (c)
		conn_put(e, c);
	ssm_str_dispose_secure(&body);
	return error;
}

/* ---- leases
 * ------------------------------------------------------------------ */

static ssm_err e_lease_grant(uint64_t *lease_out, int64_t *ttl_ms_out,
			     ssm_store *store, int64_t ttl_ms)
{
	struct etcd *e = (struct etcd *)store;
	ssm_str body = SSM_STR_INIT;
	ssm_json_doc *doc = NULL;
	const ssm_json *root;
	uint64_t id, ttl;
	ssm_err error;

	/* etcd counts whole seconds */
	error = ssm_str_printf(&body, "{\"TTL\":\"%lld\"}",
			       (long long)((ttl_ms + 999) / 1000));
	/* a lease granted twice is harmless: the spare one expires */
	if (error == SSM_OK)
		error = call_json(&doc, e, "/v3/lease/grant", &body, CALL_READ);
	if (error == SSM_OK) {
		root = ssm_json_doc_root(doc);
		id = json_u64(root, "ID");
		ttl = json_u64(root, "TTL");
		if (!id || !ttl)
			error = bad_answer(
				e, ssm_json_str(ssm_json_get(root, "error"))
					   ? ssm_json_str(ssm_json_get(root,
								       "error"))
					   : "no lease granted");
		else {
			*lease_out = id;
			*ttl_ms_out = (int64_t)ttl * 1000;
		}
	}
	ssm_json_doc_free(doc);
	ssm_str_dispose(&body);
	return error;
}

static ssm_err e_lease_keep_alive(int64_t *ttl_ms_out, ssm_store *store,
				  uint64_t lease)
{
	struct etcd *e = (struct etcd *)store;
	ssm_str body = SSM_STR_INIT;
	ssm_json_doc *doc = NULL;
	const ssm_json *res;
	uint64_t ttl;
	ssm_err error;

	/* one request of etcd's keep-alive stream */
	error = ssm_str_printf(&body, "{\"ID\":\"%llu\"}",
			       (unsigned long long)lease);
	if (error == SSM_OK)
		error = call_json(&doc, e, "/v3/lease/keepalive", &body,
				  CALL_READ);
	if (error == SSM_ENOTFOUND)
		error = ssm_store__lease_not_found(lease);
	if (error == SSM_OK) {
		res = ssm_json_get(ssm_json_doc_root(doc), "result");
		if (!res)
			res = ssm_json_doc_root(doc);
		ttl = json_u64(res, "TTL");
		if (!ttl)
			error = ssm_store__lease_not_found(lease);
		else
			*ttl_ms_out = (int64_t)ttl * 1000;
	}
	ssm_json_doc_free(doc);
	ssm_str_dispose(&body);
	return error;
}

static ssm_err e_lease_revoke(uint64_t *revision_out, ssm_store *store,
			      uint64_t lease)
{
	struct etcd *e = (struct etcd *)store;
	ssm_str body = SSM_STR_INIT;
	ssm_json_doc *doc = NULL;
	ssm_err error;

	error = ssm_str_printf(&body, "{\"ID\":\"%llu\"}",
			       (unsigned long long)lease);
	if (error == SSM_OK)
		error = call_json(&doc, e, "/v3/lease/revoke", &body,
				  CALL_WRITE);
	if (error == SSM_ENOTFOUND)
		error = ssm_store__lease_not_found(lease);
	if (error == SSM_OK)
		*revision_out =
			json_u64(ssm_json_get(ssm_json_doc_root(doc), "header"),
				 "revision");
	ssm_json_doc_free(doc);
	ssm_str_dispose(&body);
	return error;
}

/* ---- watches ----------------------------------------------------------------
 */

enum wstate { WS_STARTING, WS_RUNNING, WS_FAILED };

struct ewatch {
	ssm_store_watch parent;
	struct etcd *e;
	unsigned char key[FULL_KEY_MAX + 1], end[FULL_KEY_MAX];
	size_t key_len, end_len;
	uint64_t next; /* the next revision to deliver */
	ssm_store_watch_cb cb;
	void *payload;
	CURLM *multi;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	enum wstate state; /* under lock */
	ssm_error_saved start_error;
	atomic_bool stop;
	/* the thread's own */
	bool done;	    /* the watch ended (error, or the callback) */
	bool reauth;	    /* etcd wants a new token */
	bool restart;	    /* end this stream and open another */
	const char *epname; /* endpoint of the stream */
	ssm_str buf;	    /* bytes not yet parsed */
	ssm_store_events ev;
	ssm_str k, v;
};

static void watch_started(struct ewatch *w, ssm_err error)
{
	pthread_mutex_lock(&w->lock);
	if (w->state == WS_STARTING) {
		if (error < 0) {
			ssm_error__save(&w->start_error, error);
			w->state = WS_FAILED;
		} else {
			w->state = WS_RUNNING;
		}
		pthread_cond_broadcast(&w->cond);
	}
	pthread_mutex_unlock(&w->lock);
}

/* The watch cannot go on: tell the starter, or the callback. */
static void watch_fail(struct ewatch *w, ssm_err error)
{
	bool starting;

	pthread_mutex_lock(&w->lock);
	starting = w->state == WS_STARTING;
	pthread_mutex_unlock(&w->lock);
	w->done = true;
	if (starting)
		watch_started(w, error);
	else
		w->cb(NULL, 0, error, w->payload);
}

/* One message of the stream. */
static void watch_message(struct ewatch *w, const char *line, size_t len)
{
	struct etcd *e = w->e;
	ssm_json_doc *doc = NULL;
	const ssm_json *root, *res, *events, *ev, *kv;
	ssm_store_kv meta = SSM_STORE_KV_INIT;
	struct failure f;
	uint64_t rev, last = 0;
	size_t i, n;
	ssm_err error;

	if (ssm_json_parse(&doc, line, len, &answer_limits) < 0) {
		/* skipping it would lose events: end the watch */
		watch_fail(w,
			   strcmp(ssm_error_last()->message, "out of memory") ==
					   0
				   ? SSM_ERROR
				   : bad_answer(e, ssm_error_last()->message));
		goto done;
	}
	root = ssm_json_doc_root(doc);
	if (ssm_json_get(root, "error")) {
		memset(&f, 0, sizeof(f));
		parse_refusal(&f, line, len);
		if (f.grpc == 16 && e->user)
			w->reauth = true;
		SSM_LOG(e->ctx, SSM_LOG_INFO, "store",
			"etcd %s: watch stream ended: %s", w->epname, f.text);
		goto done;
	}
	res = ssm_json_get(root, "result");
	if (ssm_json_bool(ssm_json_get(res, "created")))
		watch_started(w, SSM_OK);
	if (ssm_json_bool(ssm_json_get(res, "canceled"))) {
		rev = json_u64(res, "compact_revision");
		if (rev)
			error = ssm_error__set(
				SSM_ENOTFOUND, SSM_ERRCLASS_STORE, NULL,
				"revision %llu has been compacted (etcd at %s "
				"keeps changes from revision %llu)",
				(unsigned long long)w->next, e->where,
				(unsigned long long)rev);
		else if (e->user &&
			 strstr(ssm_json_str(ssm_json_get(res, "cancel_reason"))
					? ssm_json_str(ssm_json_get(
						  res, "cancel_reason"))
					: "",
				"invalid auth token")) {
			/* the token expired: end this stream, get a new
			 * token, resume */
			w->reauth = true;
			w->restart = true;
			goto done;
		} else
			error = ssm_error__set(
				SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				"etcd %s: the watch was canceled: %s",
				w->epname,
				ssm_json_str(ssm_json_get(res, "cancel_reason"))
					? ssm_json_str(ssm_json_get(
						  res, "cancel_reason"))
					: "no reason given");
		watch_fail(w, error);
		goto done;
	}
	events = ssm_json_get(res, "events");
	n = ssm_json_size(events);
	if (!n) {
		/* a progress notice: everything up to its revision came */
		rev = json_u64(ssm_json_get(res, "header"), "revision");
		if (!ssm_json_get(res, "created") && rev + 1 > w->next)
			w->next = rev + 1;
		goto done;
	}
	ssm_store__events_clear(&w->ev);
	for (i = 0; i < n; i++) {
		ev = ssm_json_at(events, i);
		kv = ssm_json_get(ev, "kv");
		meta.mod_revision = json_u64(kv, "mod_revision");
		if (meta.mod_revision < w->next)
			continue; /* seen before a reconnect */
		if (json_b64(&w->k, e, kv, "key") < 0 ||
		    json_b64(&w->v, e, kv, "value") < 0)
			goto oom;
		if (w->k.size <= e->prefix_len ||
		    memcmp(w->k.ptr, e->prefix, e->prefix_len) != 0)
			continue;
		meta.create_revision = json_u64(kv, "create_revision");
		meta.version = json_u64(kv, "version");
		meta.lease = json_u64(kv, "lease");
		if (ssm_store__events_add(
			    &w->ev,
			    strcmp(ssm_json_str(ssm_json_get(ev, "type"))
					   ? ssm_json_str(
						     ssm_json_get(ev, "type"))
					   : "PUT",
				   "DELETE") == 0
				    ? SSM_STORE_EVENT_DELETE
				    : SSM_STORE_EVENT_PUT,
			    w->k.ptr + e->prefix_len, w->k.size - e->prefix_len,
			    w->v.ptr, w->v.size, &meta) < 0)
			goto oom;
		if (meta.mod_revision > last)
			last = meta.mod_revision;
	}
	if (last) {
		w->next = last + 1;
		if (w->ev.count &&
		    w->cb(w->ev.items, w->ev.count, SSM_OK, w->payload))
			w->done = true;
	}
	ssm_store__events_clear(&w->ev);
	goto done;
oom:
	/* events would be lost: end the watch rather than skip them */
	ssm_store__events_clear(&w->ev);
	watch_fail(w, SSM_ERROR);
done:
	ssm_json_doc_free(doc);
}

static size_t on_watch_data(char *data, size_t size, size_t n, void *payload)
{
	struct ewatch *w = payload;
	char *nl;
	size_t len;

	if (atomic_load(&w->stop) || w->done || w->restart)
		return 0;
	if (ssm_str_put(&w->buf, data, size * n) < 0) {
		watch_fail(w, SSM_ERROR);
		return 0;
	}
	/* the gateway ends each message with a newline */
	while (!w->done && !w->restart &&
	       (nl = memchr(w->buf.ptr, '\n', w->buf.size))) {
		len = (size_t)(nl - w->buf.ptr);
		if (len)
			watch_message(w, w->buf.ptr, len);
		memmove(w->buf.ptr, nl + 1, w->buf.size - len - 1);
		ssm_str_truncate(&w->buf, w->buf.size - len - 1);
	}
	return w->done || w->restart ? 0 : size * n;
}

/* Sleep @ms unless the watch is stopped meanwhile. */
static void watch_nap(struct ewatch *w, int64_t ms)
{
	int64_t until = ssm__mono_ms() + ms, now;

	while (!atomic_load(&w->stop) && (now = ssm__mono_ms()) < until)
		curl_multi_poll(w->multi, NULL, 0, (int)(until - now), NULL);
}

/* One stream from endpoint @ep; returns when it ends. */
static void watch_stream(struct ewatch *w, const struct endpoint *ep, char *why,
			 size_t why_len)
{
	struct etcd *e = w->e;
	ssm_str body = SSM_STR_INIT;
	struct curl_slist *headers = NULL;
	char url[400], errbuf[CURL_ERROR_SIZE] = "";
	uint64_t gen;
	CURLMsg *msg;
	CURL *h;
	int running = 1, left;
	long status = 0;

	snprintf(why, why_len, "out of memory");
	w->epname = ep->name;
	w->restart = false;
	ssm_str_clear(&w->buf);
	if (ssm_str_puts(&body, "{\"create_request\":{") < 0 ||
	    put_b64_member(&body, "key", w->key, w->key_len) < 0 ||
	    ssm_str_putc(&body, ',') < 0 ||
	    put_b64_member(&body, "range_end", w->end, w->end_len) < 0 ||
	    ssm_str_printf(&body,
			   ",\"start_revision\":\"%llu\","
			   "\"progress_notify\":true}}",
			   (unsigned long long)w->next) < 0 ||
	    make_headers(&headers, &gen, e) < 0) {
		ssm_str_dispose(&body);
		return;
	}
	h = curl_easy_init();
	if (!h) {
		curl_slist_free_all(headers);
		ssm_str_dispose(&body);
		return;
	}
	snprintf(url, sizeof(url), "%s/v3/watch", ep->base);
	setup_handle(e, h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.ptr);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body.size);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)e->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_watch_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, w);
	curl_multi_add_handle(w->multi, h);
	while (running && !atomic_load(&w->stop) && !w->done) {
		if (curl_multi_perform(w->multi, &running) != CURLM_OK)
			break;
		if (running)
			curl_multi_poll(w->multi, NULL, 0, 1000, NULL);
	}
	snprintf(why, why_len, "the stream ended");
	while ((msg = curl_multi_info_read(w->multi, &left)))
		if (msg->msg == CURLMSG_DONE && msg->data.result != CURLE_OK)
			snprintf(why, why_len, "%s",
				 errbuf[0] ? errbuf
					   : curl_easy_strerror(
						     msg->data.result));
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (status && status != 200 && !w->done) {
		struct failure f;

		memset(&f, 0, sizeof(f));
		f.http = status;
		parse_refusal(&f, ssm_str_cstr(&w->buf), w->buf.size);
		snprintf(why, why_len, "%s", f.text);
		if (f.grpc == 16 && e->user)
			w->reauth = true;
		else if (status >= 400 && status < 500 && f.grpc != 16)
			watch_fail(w, refused(e, &f));
	}
	curl_multi_remove_handle(w->multi, h);
	curl_easy_cleanup(h);
	curl_slist_free_all(headers);
	ssm_str_dispose(&body);
	(void)gen;
}

static void *watch_main(void *arg)
{
	struct ewatch *w = arg;
	struct etcd *e = w->e;
	struct conn *c = NULL;
	int64_t backoff = BACKOFF_MIN_MS;
	size_t i = atomic_load(&e->current) % e->neps;
	uint64_t gen, before;
	char why[300];

	while (!atomic_load(&w->stop) && !w->done) {
		before = w->next;
		watch_stream(w, &e->eps[i], why, sizeof(why));
		if (atomic_load(&w->stop) || w->done)
			break;
		if (w->reauth) {
			w->reauth = false;
			pthread_mutex_lock(&e->auth_lock);
			gen = e->token_gen;
			pthread_mutex_unlock(&e->auth_lock);
			if (c || conn_get(&c, e) == SSM_OK)
				authenticate(e, c, i, gen,
					     ssm__mono_ms() + e->timeout_ms);
			continue;
		}
		/* resume elsewhere from the next revision */
		SSM_LOG(e->ctx, SSM_LOG_INFO, "store",
			"etcd %s: watch interrupted (%s); resuming from "
			"revision %llu on %s",
			e->eps[i].name, why, (unsigned long long)w->next,
			e->eps[(i + 1) % e->neps].name);
		i = (i + 1) % e->neps;
		if (w->next != before)
			backoff = BACKOFF_MIN_MS;
		watch_nap(w, backoff);
		backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS
						       : backoff * 2;
	}
	if (c)
		conn_put(e, c);
	return NULL;
}

static void watch_free(struct ewatch *w)
{
	ssm_store__events_clear(&w->ev);
	ssm__free(w->ev.items);
	ssm_str_dispose(&w->buf);
	ssm_str_dispose(&w->k);
	ssm_str_dispose_secure(&w->v);
	if (w->multi)
		curl_multi_cleanup(w->multi);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	ssm__free(w);
}

static void e_watch_free(ssm_store_watch *watch)
{
	struct ewatch *w = (struct ewatch *)watch;

	atomic_store(&w->stop, true);
	curl_multi_wakeup(w->multi);
	pthread_join(w->thread, NULL);
	watch_free(w);
}

/* Fail now, not on the thread, when @rev was compacted: a read at a
 * revision fails exactly when a watch from it would. */
static ssm_err check_compacted(struct etcd *e, uint64_t rev)
{
	ssm_str body = SSM_STR_INIT;
	ssm_json_doc *doc = NULL;
	ssm_err error;

	error = ssm_str_putc(&body, '{');
	if (error == SSM_OK)
		error = put_b64_member(&body, "key", e->prefix, e->prefix_len);
	if (error == SSM_OK)
		error = ssm_str_printf(&body,
				       ",\"count_only\":true,"
				       "\"revision\":\"%llu\"}",
				       (unsigned long long)rev);
	if (error == SSM_OK)
		error = call_json(&doc, e, "/v3/kv/range", &body, CALL_READ);
	if (error == SSM_ENOTFOUND)
		error = ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_STORE, NULL,
				       "revision %llu has been compacted "
				       "(etcd at %s no longer keeps it)",
				       (unsigned long long)rev, e->where);
	ssm_json_doc_free(doc);
	ssm_str_dispose(&body);
	return error;
}

static ssm_err e_watch(ssm_store_watch **out, ssm_store *store,
		       const void *prefix, size_t prefix_len,
		       uint64_t start_revision, ssm_store_watch_cb cb,
		       void *payload)
{
	struct etcd *e = (struct etcd *)store;
	struct ewatch *w;
	uint64_t now;
	int64_t deadline;
	ssm_err error;

	SSM_TRY(e_revision(&now, store));
	if (start_revision && start_revision <= now)
		SSM_TRY(check_compacted(e, start_revision));
	w = ssm__calloc(1, sizeof(*w));
	if (!w)
		return SSM_ERROR;
	pthread_mutex_init(&w->lock, NULL);
	ssm__cond_init(&w->cond);
	w->e = e;
	w->cb = cb;
	w->payload = payload;
	w->next = start_revision ? start_revision : now + 1;
	w->key_len = full_key(w->key, e, prefix, prefix_len);
	w->end_len = range_end(w->end, w->key, w->key_len);
	if (!prefix_len)
		w->key[w->key_len++] = 0; /* after the marker */
	w->multi = curl_multi_init();
	if (!w->multi) {
		watch_free(w);
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				      "cannot create a curl multi handle");
	}
	if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
		watch_free(w);
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_OS, NULL,
				      "cannot start the watch thread");
	}
	/* wait until etcd confirmed the watch */
	deadline = ssm__mono_ms() + e->timeout_ms;
	pthread_mutex_lock(&w->lock);
	while (w->state == WS_STARTING &&
	       ssm__cond_wait_until(&w->cond, &w->lock, deadline))
		;
	pthread_mutex_unlock(&w->lock);
	if (w->state == WS_RUNNING) {
		*out = &w->parent;
		return SSM_OK;
	}
	atomic_store(&w->stop, true);
	curl_multi_wakeup(w->multi);
	pthread_join(w->thread, NULL);
	if (w->state == WS_FAILED)
		error = ssm_error__restore(&w->start_error);
	else
		error = ssm_error__set(SSM_ETIMEOUT, SSM_ERRCLASS_STORE, NULL,
				       "etcd at %s: no endpoint accepted the "
				       "watch within %lld ms",
				       e->where, (long long)e->timeout_ms);
	watch_free(w);
	return error;
}

/* ---- open and close ---------------------------------------------------------
 */

static ssm_err parse_ms(int64_t *out, const char *name, const char *value)
{
	char *end;
	long long n = strtoll(value, &end, 10);

	if (!*value || *end || n < 1 || n > 3600000)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				      "etcd store option %s=%.64s is not a "
				      "number of milliseconds in 1..3600000",
				      name, value);
	*out = n;
	return SSM_OK;
}

static ssm_err set_path(char **out, const char *name, const char *value)
{
	if (!*value)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				      "etcd store option %s needs a path",
				      name);
	ssm__free(*out);
	*out = ssm__strdup(value);
	return *out ? SSM_OK : SSM_ERROR;
}

static ssm_err read_password_file(struct etcd *e, const char *path)
{
	char buf[1024];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len;

	if (fd < 0)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				      "etcd store option password_file: "
				      "cannot read '%.300s': %s",
				      path, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				      "etcd store option password_file: "
				      "cannot read '%.300s': %s",
				      path, strerror(errno));
	buf[n] = '\0';
	len = strcspn(buf, "\r\n");
	buf[len] = '\0';
	if (e->password)
		ssm__free_secure(e->password, strlen(e->password));
	e->password = ssm__strdup(buf);
	ssm__zeroize(buf, sizeof(buf));
	return e->password ? SSM_OK : SSM_ERROR;
}

static ssm_err e_query(const char *name, const char *value, void *payload)
{
	struct etcd *e = payload;
	char *end;
	unsigned long long n;

	if (strcmp(name, "timeout") == 0)
		return parse_ms(&e->timeout_ms, name, value);
	if (strcmp(name, "connect_timeout") == 0)
		return parse_ms(&e->connect_timeout_ms, name, value);
	if (strcmp(name, "max_request_bytes") == 0) {
		n = strtoull(value, &end, 10);
		if (!*value || *end || *value == '-' || n < 1024 ||
		    n > ((size_t)1 << 31))
			return ssm_error__set(
				SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				"etcd store option max_request_bytes=%.64s "
				"is not a number in 1024..2147483648",
				value);
		e->max_request = (size_t)n;
		return SSM_OK;
	}
	if (strcmp(name, "tls") == 0) {
		if (strcmp(value, "1") && strcmp(value, "0"))
			return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE,
					      NULL,
					      "etcd store option tls=%.64s "
					      "must be 0 or 1",
					      value);
		e->tls = value[0] == '1';
		return SSM_OK;
	}
	if (strcmp(name, "cacert") == 0) {
		e->tls = true;
		return set_path(&e->cacert, name, value);
	}
	if (strcmp(name, "cert") == 0) {
		e->tls = true;
		return set_path(&e->cert, name, value);
	}
	if (strcmp(name, "key") == 0) {
		e->tls = true;
		return set_path(&e->key, name, value);
	}
	if (strcmp(name, "user") == 0)
		return set_path(&e->user, name, value);
	if (strcmp(name, "password") == 0) {
		if (e->password)
			ssm__free_secure(e->password, strlen(e->password));
		e->password = ssm__strdup(value);
		return e->password ? SSM_OK : SSM_ERROR;
	}
	if (strcmp(name, "password_file") == 0)
		return read_password_file(e, value);
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
			      "unknown etcd store option '%.64s'", name);
}

/* Split "h:p,h:p" into endpoints. */
static ssm_err parse_hosts(struct etcd *e, const char *hosts, size_t len,
			   const char *shown)
{
	const char *p = hosts, *end = hosts + len, *comma, *colon;
	size_t n;
	char *pe;
	long port;

	while (p <= end) {
		comma = memchr(p, ',', (size_t)(end - p));
		if (!comma)
			comma = end;
		n = (size_t)(comma - p);
		if (!n || n >= sizeof(e->eps[0].name) - 8)
			return ssm_error__set(
				SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				"etcd store URL '%.300s' has an empty or too "
				"long endpoint",
				shown);
		if (e->neps == ENDPOINTS_MAX)
			return ssm_error__set(
				SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				"etcd store URL '%.300s' has more than %d "
				"endpoints",
				shown, ENDPOINTS_MAX);
		/* host, [v6 host], then :port (default 2379) */
		colon = NULL;
		if (*p == '[') {
			const char *rb = memchr(p, ']', n);

			if (rb && rb + 1 < comma && rb[1] == ':')
				colon = rb + 1;
			else if (!rb || rb + 1 != comma)
				goto bad;
		} else {
			colon = memchr(p, ':', n);
		}
		if (colon) {
			port = strtol(colon + 1, &pe, 10);
			if (pe != comma || port < 1 || port > 65535 ||
			    colon == p)
				goto bad;
			snprintf(e->eps[e->neps].name, sizeof(e->eps[0].name),
				 "%.*s", (int)n, p);
		} else {
			snprintf(e->eps[e->neps].name, sizeof(e->eps[0].name),
				 "%.*s:2379", (int)n, p);
		}
		if (strspn(e->eps[e->neps].name,
			   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW"
			   "XYZ0123456789.-_:[]") !=
		    strlen(e->eps[e->neps].name))
			goto bad;
		{
			struct endpoint *ep = &e->eps[e->neps];
			char name[sizeof(ep->name)];

			memcpy(name, ep->name, sizeof(name));
			snprintf(ep->base, sizeof(ep->base), "%s://%s",
				 e->tls ? "https" : "http", name);
		}
		e->neps++;
		p = comma + 1;
	}
	return SSM_OK;
bad:
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
			      "etcd store URL '%.300s': bad endpoint '%.*s' "
			      "(want host:port)",
			      shown, (int)(n > 100 ? 100 : n), p);
}

/* Create the marker in an empty prefix, or check the one there. */
static ssm_err check_prefix(struct etcd *e)
{
	unsigned char end[FULL_KEY_MAX];
	ssm_str body = SSM_STR_INIT, k = SSM_STR_INIT, v = SSM_STR_INIT;
	ssm_json_doc *doc = NULL;
	const ssm_json *root, *kv;
	uint64_t count;
	int tries;
	ssm_err error = SSM_OK;

	for (tries = 0; tries < 3; tries++) {
		ssm_str_clear(&body);
		error = ssm_str_putc(&body, '{');
		if (error == SSM_OK)
			error = put_b64_member(&body, "key", e->prefix,
					       e->prefix_len);
		if (error == SSM_OK)
			error = ssm_str_putc(&body, ',');
		if (error == SSM_OK)
			error = put_b64_member(
				&body, "range_end", end,
				range_end(end, e->prefix, e->prefix_len));
		if (error == SSM_OK)
			error = ssm_str_puts(&body, ",\"limit\":\"1\"}");
		if (error == SSM_OK)
			error = call_json(&doc, e, "/v3/kv/range", &body,
					  CALL_READ);
		if (error < 0)
			break;
		root = ssm_json_doc_root(doc);
		count = json_u64(root, "count");
		kv = ssm_json_at(ssm_json_get(root, "kvs"), 0);
		if (!count || !kv) {
			/* empty: mark it ours, unless someone was faster */
			ssm_json_doc_free(doc);
			doc = NULL;
			ssm_str_clear(&body);
			error = ssm_str_puts(&body, "{\"compare\":[{");
			if (error == SSM_OK)
				error = put_b64_member(&body, "key", e->prefix,
						       e->prefix_len);
			if (error == SSM_OK)
				error = ssm_str_puts(
					&body,
					",\"target\":\"CREATE\",\"result\":"
					"\"EQUAL\",\"create_revision\":\"0\"}]"
					",\"success\":[{\"request_put\":{");
			if (error == SSM_OK)
				error = put_b64_member(&body, "key", e->prefix,
						       e->prefix_len);
			if (error == SSM_OK)
				error = ssm_str_putc(&body, ',');
			if (error == SSM_OK)
				error = put_b64_member(&body, "value", MARKER,
						       strlen(MARKER));
			if (error == SSM_OK)
				error = ssm_str_puts(&body, "}}]}");
			if (error == SSM_OK)
				error = call_json(&doc, e, "/v3/kv/txn", &body,
						  CALL_WRITE);
			if (error < 0)
				break;
			ssm_json_doc_free(doc);
			doc = NULL;
			continue; /* read it back */
		}
		error = json_b64(&k, e, kv, "key");
		if (error == SSM_OK)
			error = json_b64(&v, e, kv, "value");
		if (error < 0)
			break;
		if (k.size != e->prefix_len ||
		    memcmp(k.ptr, e->prefix, e->prefix_len) != 0 ||
		    (strncmp(v.ptr, MARKER_NAME, strlen(MARKER_NAME)) != 0)) {
			error = ssm_error__set(
				SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				"etcd prefix '%s' at %s holds %llu keys "
				"but is not a libssm store (no '" MARKER
				"' marker at the prefix); use an empty prefix",
				e->prefix_repr, e->where,
				(unsigned long long)count);
			break;
		}
		if (strcmp(v.ptr, MARKER) != 0)
			error = ssm_error__set(
				SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				"etcd prefix '%s' at %s has the format "
				"'%.64s'; this libssm reads '" MARKER "'",
				e->prefix_repr, e->where, v.ptr);
		break;
	}
	if (error == SSM_OK && tries == 3)
		error = bad_answer(e, "the marker vanished");
	ssm_json_doc_free(doc);
	ssm_str_dispose(&body);
	ssm_str_dispose(&k);
	ssm_str_dispose(&v);
	return error;
}

static ssm_err e_open(ssm_store **out, const ssm_store_ops *ops, ssm_ctx *ctx,
		      const char *url, void *payload)
{
	struct etcd *e;
	const char *rest = strchr(url, ':') + 1, *hosts, *path, *query;
	char shown[400];
	ssm_str prefix = SSM_STR_INIT;
	size_t i;
	ssm_err error;

	(void)payload;
	/* the URL as shown in messages: without its options (a password) */
	query = strchr(url, '?');
	snprintf(shown, sizeof(shown), "%.*s",
		 (int)(query ? query - url : (ptrdiff_t)strlen(url)), url);
	e = ssm__calloc(1, sizeof(*e));
	if (!e)
		return SSM_ERROR;
	e->parent.ops = ops;
	e->ctx = ctx;
	e->timeout_ms = DEFAULT_TIMEOUT_MS;
	e->connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
	e->max_request = DEFAULT_MAX_REQUEST;
	pthread_mutex_init(&e->auth_lock, NULL);
	pthread_mutex_init(&e->auth_serial, NULL);
	pthread_mutex_init(&e->pool_lock, NULL);

	if (strncmp(rest, "//", 2) != 0) {
		error = ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				       "etcd store URL '%.300s' has no "
				       "endpoints (use "
				       "etcd://host:port[,host:port]/prefix)",
				       shown);
		goto fail;
	}
	hosts = rest + 2;
	path = hosts + strcspn(hosts, "/?");
	if (query) {
		error = ssm_store__parse_query(query + 1, shown, e_query, e);
		if (error < 0)
			goto fail;
	}
	if (e->user && !e->password) {
		error = ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				       "etcd store URL '%.300s': user "
				       "'%.64s' needs password or "
				       "password_file",
				       shown, e->user);
		goto fail;
	}
	error = parse_hosts(e, hosts, (size_t)(path - hosts), shown);
	if (error < 0)
		goto fail;
	if (*path == '/')
		path++;
	if (!*path || *path == '?') {
		error = ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_STORE, NULL,
				       "etcd store URL '%.300s' has no prefix "
				       "(use etcd://host:port/prefix; all "
				       "keys live under it)",
				       shown);
		goto fail;
	}
	error = ssm_uri_decode(&prefix, path, strcspn(path, "?"));
	if (error == SSM_OK && prefix.ptr[prefix.size - 1] != '/')
		error = ssm_str_putc(&prefix, '/');
	if (error < 0)
		goto fail;
	if (prefix.size > PREFIX_MAX) {
		error = ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_STORE, NULL,
				       "etcd store URL '%.300s': the prefix "
				       "is longer than %d bytes",
				       shown, PREFIX_MAX);
		goto fail;
	}
	memcpy(e->prefix, prefix.ptr, prefix.size);
	e->prefix_len = prefix.size;
	key_repr(e->prefix_repr, e->prefix, e->prefix_len);
	{
		size_t o = 0, room;
		int n;

		for (i = 0; i < e->neps; i++) {
			room = sizeof(e->where) - KEY_REPR - o;
			n = snprintf(e->where + o, room, "%s%s", i ? "," : "",
				     e->eps[i].name);
			if (n < 0 || (size_t)n >= room)
				break;
			o += (size_t)n;
		}
		snprintf(e->where + o, sizeof(e->where) - o, "/%s",
			 e->prefix_repr);
	}
	if (e->user) {
		struct conn *c = NULL;

		error = conn_get(&c, e);
		if (error == SSM_OK) {
			error = authenticate(e, c, 0, 0,
					     ssm__mono_ms() + e->timeout_ms);
			conn_put(e, c);
		}
		if (error < 0)
			goto fail;
	}
	error = check_prefix(e);
	if (error < 0)
		goto fail;
	ssm_str_dispose(&prefix);
	*out = &e->parent;
	return SSM_OK;
fail:
	ssm_str_dispose(&prefix);
	e_close(&e->parent);
	return error;
}

static void e_close(ssm_store *store)
{
	struct etcd *e = (struct etcd *)store;
	struct conn *c, *next;

	for (c = e->idle; c; c = next) {
		next = c->next;
		conn_free(c);
	}
	if (e->password)
		ssm__free_secure(e->password, strlen(e->password));
	if (e->token)
		ssm__free_secure(e->token, strlen(e->token));
	ssm__free(e->cacert);
	ssm__free(e->cert);
	ssm__free(e->key);
	ssm__free(e->user);
	pthread_mutex_destroy(&e->auth_lock);
	pthread_mutex_destroy(&e->auth_serial);
	pthread_mutex_destroy(&e->pool_lock);
	ssm__free(e);
}

const ssm_store_ops ssm_store__etcd_ops = {
	.version = SSM_STORE_OPS_VERSION,
	.name = "etcd",
	.flags = SSM_STORE_PERSISTENT,
	.open = e_open,
	.close = e_close,
	.get = e_get,
	.range = e_range,
	.txn = e_txn,
	.revision = e_revision,
	.watch = e_watch,
	.watch_free = e_watch_free,
	.lease_grant = e_lease_grant,
	.lease_keep_alive = e_lease_keep_alive,
	.lease_revoke = e_lease_revoke,
};
