/* SPDX-License-Identifier: Apache-2.0 */
/* http and https: AWS JSON 1.1 over HTTP with SigV4, on libcurl (spec §4).
 * One easy handle per transport keeps its connection alive between calls
 * (a client is used by one thread at a time). Read-only operations are
 * retried with jittered exponential backoff on throttling, 5xx answers and
 * connection failures, within the call's deadline. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "api/client.h"
#include "api/codec.h"
#include "api/op.h"
#include "core/alloc.h"
#include "core/crypto.h"
#include "core/ctx.h"
#include "core/error.h"
#include "core/json.h"
#include "core/sigv4.h"
#include "core/thread.h"
#include "core/time.h"
#include "transports/builtin.h"

#define TARGET_PREFIX "AmazonSSM."
#define JSON_TYPE "application/x-amz-json-1.1"
#define DEFAULT_ATTEMPTS 3
#define MAX_ATTEMPTS 10
#define BACKOFF_BASE_MS 100
#define BACKOFF_CAP_MS 20000
#define CONNECT_TIMEOUT_MS 10000
#define CREDENTIALS_FILE_MAX (1 << 20)

struct http {
	ssm_transport parent;
	CURL *curl;
	char *url;    /* what curl is given */
	char *host;   /* the Host header (and what is signed) */
	char *path;   /* the request path, as sent */
	char *region; /* the signing region */
	char *access_key_id;
	char *secret;
	char *token;
	unsigned int attempts;
	ssm_sigv4_cache *cache;
	/* per attempt */
	ssm_str body;
	char error_type[128];
	char request_id[80];
	char errbuf[CURL_ERROR_SIZE];
};

/* ---- credentials -------------------------------------------------------- */

static void wipe_free(char *s)
{
	if (s)
		ssm__free_secure(s, strlen(s));
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
			 e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* Read one profile of an AWS credentials file (INI). SSM_ENOTFOUND when the
 * file or the profile is absent. */
static ssm_err profile_read(struct http *t, const char *file,
			    const char *profile)
{
	FILE *f = fopen(file, "r");
	char line[2048];
	bool in = false, found = false;
	ssm_err error = SSM_OK;

	if (!f)
		return SSM_ENOTFOUND;
	while (fgets(line, sizeof(line), f)) {
		char *l = trim(line), *eq, *key, *val, **slot = NULL;

		if (!*l || *l == '#' || *l == ';')
			continue;
		if (*l == '[') {
			char *end = strchr(l, ']');

			if (end)
				*end = '\0';
			l = trim(l + 1);
			/* the config file's form "profile name" too */
			if (strncmp(l, "profile ", 8) == 0)
				l = trim(l + 8);
			in = strcmp(l, profile) == 0;
			found = found || in;
			continue;
		}
		if (!in || !(eq = strchr(l, '=')))
			continue;
		*eq = '\0';
		key = trim(l);
		val = trim(eq + 1);
		if (strcasecmp(key, "aws_access_key_id") == 0)
			slot = &t->access_key_id;
		else if (strcasecmp(key, "aws_secret_access_key") == 0)
			slot = &t->secret;
		else if (strcasecmp(key, "aws_session_token") == 0)
			slot = &t->token;
		if (!slot)
			continue;
		wipe_free(*slot);
		if (!(*slot = ssm__strdup(val))) {
			error = SSM_ERROR;
			break;
		}
	}
	ssm__zeroize(line, sizeof(line));
	fclose(f);
	if (error < 0)
		return error;
	return found ? SSM_OK : SSM_ENOTFOUND;
}

static ssm_err set_credentials(struct http *t, const char *url,
			       const ssm_client_options *opts)
{
	const char *id = opts->access_key_id, *secret = opts->secret_access_key;
	const char *token = opts->session_token;
	const char *profile, *file, *home;
	char path[1024];
	bool named;
	ssm_err error;

	if (!id != !secret)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_TRANSPORT,
				      NULL,
				      "give both access_key_id and "
				      "secret_access_key, or neither");
	if (!id) {
		id = getenv("AWS_ACCESS_KEY_ID");
		secret = getenv("AWS_SECRET_ACCESS_KEY");
		token = getenv("AWS_SESSION_TOKEN");
		if (!id || !*id || !secret || !*secret)
			id = secret = token = NULL;
	}
	if (id) {
		if (!(t->access_key_id = ssm__strdup(id)) ||
		    !(t->secret = ssm__strdup(secret)) ||
		    (token && *token && !(t->token = ssm__strdup(token))))
			return SSM_ERROR;
		return SSM_OK;
	}
	profile = opts->profile;
	named = profile || getenv("AWS_PROFILE");
	if (!profile)
		profile = getenv("AWS_PROFILE");
	if (!profile || !*profile)
		profile = "default";
	file = getenv("AWS_SHARED_CREDENTIALS_FILE");
	if (!file || !*file) {
		home = getenv("HOME");
		snprintf(path, sizeof(path), "%s/.aws/credentials",
			 home ? home : ".");
		file = path;
	}
	error = profile_read(t, file, profile);
	if (error == SSM_OK && t->access_key_id && t->secret)
		return SSM_OK;
	if (error < 0 && error != SSM_ENOTFOUND)
		return error;
	if (named)
		return ssm_error__set(
			SSM_EAUTH, SSM_ERRCLASS_TRANSPORT, NULL,
			"profile '%.64s' has no credentials in '%.200s'",
			profile, file);
	return ssm_error__set(SSM_EAUTH, SSM_ERRCLASS_TRANSPORT, NULL,
			      "no AWS credentials for '%.200s': give "
			      "access_key_id and secret_access_key, set "
			      "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
			      "or add a profile to ~/.aws/credentials",
			      url);
}

/* ---- the endpoint ------------------------------------------------------- */

static ssm_err bad_url(const char *url, const char *why)
{
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_TRANSPORT, NULL,
			      "endpoint '%.200s' %s", url, why);
}

static ssm_err parse_url(struct http *t, const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL,
	     *user = NULL, *query = NULL, *frag = NULL;
	ssm_err error = SSM_OK;
	bool tls;

	if (!u)
		return SSM_ERROR;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		error = bad_url(url, "is not a valid URL");
		goto done;
	}
	curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	curl_url_get(u, CURLUPART_HOST, &host, 0);
	curl_url_get(u, CURLUPART_PORT, &port, 0);
	curl_url_get(u, CURLUPART_PATH, &path, 0);
	curl_url_get(u, CURLUPART_USER, &user, 0);
	curl_url_get(u, CURLUPART_QUERY, &query, 0);
	curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0);
	if (!scheme || !host || !*host) {
		error = bad_url(url, "has no host");
		goto done;
	}
	if (user || query || frag) {
		error = bad_url(url, "must not have user info, a query or a "
				     "fragment");
		goto done;
	}
	tls = strcmp(scheme, "https") == 0;
	/* the Host header curl sends, and SigV4 signs: no default port */
	if (port && strcmp(port, tls ? "443" : "80") != 0) {
		size_t n = strlen(host) + strlen(port) + 2;

		t->host = ssm__malloc(n);
		if (t->host)
			snprintf(t->host, n, "%s:%s", host, port);
	} else {
		t->host = ssm__strdup(host);
	}
	t->path = ssm__strdup(path && *path ? path : "/");
	t->url = ssm__strdup(url);
	if (!t->host || !t->path || !t->url)
		error = SSM_ERROR;
done:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(path);
	curl_free(user);
	curl_free(query);
	curl_free(frag);
	curl_url_cleanup(u);
	return error;
}

/* ---- curl callbacks ----------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t n, void *payload)
{
	struct http *t = payload;

	/* a short count makes curl fail the transfer (CURLE_WRITE_ERROR) */
	if (ssm_str_put(&t->body, data, size * n) < 0)
		return 0;
	return size * n;
}

static void header_copy(char *dst, size_t size, const char *v, size_t len)
{
	while (len && (v[0] == ' ' || v[0] == '\t')) {
		v++;
		len--;
	}
	while (len &&
	       (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

static size_t on_header(char *data, size_t size, size_t n, void *payload)
{
	struct http *t = payload;
	size_t len = size * n;
	static const char etype[] = "x-amzn-errortype:";
	static const char rid[] = "x-amzn-requestid:";

	if (len > sizeof(etype) - 1 &&
	    strncasecmp(data, etype, sizeof(etype) - 1) == 0)
		header_copy(t->error_type, sizeof(t->error_type),
			    data + sizeof(etype) - 1, len - sizeof(etype) + 1);
	else if (len > sizeof(rid) - 1 &&
		 strncasecmp(data, rid, sizeof(rid) - 1) == 0)
		header_copy(t->request_id, sizeof(t->request_id),
			    data + sizeof(rid) - 1, len - sizeof(rid) + 1);
	return len;
}

/* ---- open and close ----------------------------------------------------- */

static void http_close(ssm_transport *transport)
{
	struct http *t = (struct http *)transport;

	if (t->curl)
		curl_easy_cleanup(t->curl);
	ssm__free(t->url);
	ssm__free(t->host);
	ssm__free(t->path);
	ssm__free(t->region);
	ssm__free(t->access_key_id);
	wipe_free(t->secret);
	wipe_free(t->token);
	ssm_sigv4_cache_free(t->cache);
	ssm_str_dispose_secure(&t->body);
	ssm__free(t);
}

static ssm_err http_open(ssm_transport **out, const ssm_transport_ops *ops,
			 ssm_ctx *ctx, const char *url,
			 const ssm_client_options *opts, void *payload)
{
	struct http *t;
	const char *ca = getenv("AWS_CA_BUNDLE");
	const char *attempts = getenv("AWS_MAX_ATTEMPTS");
	ssm_err error;

	(void)ops;
	(void)ctx;
	(void)payload;
	t = ssm__calloc(1, sizeof(*t));
	if (!t)
		return SSM_ERROR;
	t->attempts = DEFAULT_ATTEMPTS;
	if (attempts && *attempts) {
		char *end;
		long n = strtol(attempts, &end, 10);

		if (*end || n < 1 || n > MAX_ATTEMPTS) {
			error = ssm_error__set(
				SSM_EINVALID, SSM_ERRCLASS_TRANSPORT, NULL,
				"AWS_MAX_ATTEMPTS '%.20s' is not 1..%d",
				attempts, MAX_ATTEMPTS);
			goto fail;
		}
		t->attempts = (unsigned int)n;
	}
	if ((error = parse_url(t, url)) < 0 ||
	    (error = set_credentials(t, url, opts)) < 0 ||
	    (error = ssm_sigv4_cache_new(&t->cache)) < 0)
		goto fail;
	t->region = ssm__strdup(opts->region);
	t->curl = curl_easy_init();
	if (!t->region || !t->curl) {
		error = ssm_error__set(SSM_ERROR, SSM_ERRCLASS_TRANSPORT, NULL,
				       "cannot set up an HTTP client");
		goto fail;
	}
	ssm_str_init_max(&t->body, SSM_API_MAX_RESPONSE);
	if (curl_easy_setopt(t->curl, CURLOPT_URL, t->url) != CURLE_OK ||
	    curl_easy_setopt(t->curl, CURLOPT_PROTOCOLS_STR, "http,https") !=
		    CURLE_OK ||
	    curl_easy_setopt(t->curl, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(t->curl, CURLOPT_TCP_KEEPALIVE, 1L) != CURLE_OK ||
	    curl_easy_setopt(t->curl, CURLOPT_TCP_NODELAY, 1L) != CURLE_OK ||
	    curl_easy_setopt(t->curl, CURLOPT_HTTP_VERSION,
			     (long)CURL_HTTP_VERSION_1_1) != CURLE_OK ||
	    curl_easy_setopt(t->curl, CURLOPT_USERAGENT,
			     "libssm/" SSM_VERSION) != CURLE_OK ||
	    curl_easy_setopt(t->curl, CURLOPT_WRITEFUNCTION, on_body) !=
		    CURLE_OK ||
	    curl_easy_setopt(t->curl, CURLOPT_WRITEDATA, t) != CURLE_OK ||
	    curl_easy_setopt(t->curl, CURLOPT_HEADERFUNCTION, on_header) !=
		    CURLE_OK ||
	    curl_easy_setopt(t->curl, CURLOPT_HEADERDATA, t) != CURLE_OK ||
	    curl_easy_setopt(t->curl, CURLOPT_ERRORBUFFER, t->errbuf) !=
		    CURLE_OK ||
	    (ca && *ca &&
	     curl_easy_setopt(t->curl, CURLOPT_CAINFO, ca) != CURLE_OK)) {
		error = ssm_error__set(SSM_ERROR, SSM_ERRCLASS_TRANSPORT, NULL,
				       "cannot set up an HTTP client");
		goto fail;
	}
	*out = &t->parent;
	return SSM_OK;
fail:
	http_close(&t->parent);
	return error;
}

/* ---- one call ----------------------------------------------------------- */

static bool throttling(const char *code)
{
	static const char *const names[] = {
		"Throttling",
		"ThrottlingException",
		"ThrottledException",
		"RequestThrottledException",
		"TooManyRequestsException",
		"ProvisionedThroughputExceededException",
		"TransactionInProgressException",
		"RequestLimitExceeded",
		"BandwidthLimitExceeded",
		"LimitExceededException",
		"RequestThrottled",
		"SlowDown",
		"PriorRequestNotComplete",
		"EC2ThrottledException",
	};
	size_t i;

	for (i = 0; code && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(code, names[i]) == 0)
			return true;
	return false;
}

/* Raise the error answer of an HTTP status other than 200. */
static ssm_err error_answer(struct http *t, long status)
{
	ssm_json_doc *doc = NULL;
	const char *type = NULL, *message = NULL;
	char type_buf[128], msg_buf[SSM_ERROR_MESSAGE_MAX];
	ssm_err error;

	if (t->body.size &&
	    ssm_json_parse(&doc, t->body.ptr, t->body.size, NULL) == SSM_OK) {
		const ssm_json *root = ssm_json_doc_root(doc);

		type = ssm_json_str(ssm_json_get(root, "__type"));
		message = ssm_json_str(ssm_json_get(root, "message"));
		if (!message)
			message = ssm_json_str(ssm_json_get(root, "Message"));
	}
	if ((!type || !*type) && t->error_type[0])
		type = t->error_type;
	if (!type || !*type) {
		ssm_json_doc_free(doc);
		if (status >= 500)
			return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_TRANSPORT,
					      NULL,
					      "HTTP %ld from '%.200s' without "
					      "an AWS error",
					      status, t->url);
		return ssm_error__set(status == 403 ? SSM_EAUTH : SSM_ERROR,
				      SSM_ERRCLASS_TRANSPORT, NULL,
				      "HTTP %ld from '%.200s' without an AWS "
				      "error",
				      status, t->url);
	}
	/* copy out of the tree before it is freed */
	snprintf(type_buf, sizeof(type_buf), "%s", type);
	snprintf(msg_buf, sizeof(msg_buf), "%s", message ? message : "");
	ssm_json_doc_free(doc);
	error = ssm_error_set_aws(type_buf, msg_buf);
	return error;
}

static bool retryable_curl(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
		return true;
	default:
		return false;
	}
}

/* Full jitter: a random wait in [0, min(cap, base * 2^attempt)]. */
static int64_t backoff_ms(unsigned int attempt)
{
	int64_t ceiling = BACKOFF_BASE_MS;
	uint32_t r = 0;

	while (attempt-- > 0 && ceiling < BACKOFF_CAP_MS)
		ceiling *= 2;
	if (ceiling > BACKOFF_CAP_MS)
		ceiling = BACKOFF_CAP_MS;
	if (ssm_crypto_random(&r, sizeof(r)) < 0)
		r = (uint32_t)ssm__mono_ns();
	return (int64_t)(r % (uint32_t)(ceiling + 1));
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Sign and send @payload once. Returns SSM_OK with *status_out set, or a
 * transport failure (*curl_out tells which). */
static ssm_err send_once(long *status_out, CURLcode *curl_out, struct http *t,
			 const ssm_operation *op, const ssm_str *payload,
			 int64_t remaining_ms)
{
	ssm_sigv4_signed sig = SSM_SIGV4_SIGNED_INIT;
	ssm_sigv4_request req;
	ssm_sigv4_credentials creds;
	ssm_sigv4_header signed_headers[2];
	struct curl_slist *list = NULL, *l;
	char target[128], date[SSM_AMZ_DATE_SIZE], line[4200];
	CURLcode rc;
	ssm_err error;

	*status_out = 0;
	*curl_out = CURLE_OK;
	snprintf(target, sizeof(target), TARGET_PREFIX "%s", op->name);
	SSM_TRY(ssm_time_format_amz(date, ssm_ctx__now_ms(t->parent.ctx)));
	signed_headers[0].name = "content-type";
	signed_headers[0].value = JSON_TYPE;
	signed_headers[1].name = "x-amz-target";
	signed_headers[1].value = target;
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.host = t->host;
	req.path = t->path;
	req.headers = signed_headers;
	req.nheaders = 2;
	req.payload = payload->ptr;
	req.payload_len = payload->size;
	req.amz_date = date;
	req.region = t->region;
	req.service = "ssm";
	creds.access_key_id = t->access_key_id;
	creds.secret_access_key = t->secret;
	creds.session_token = t->token;
	error = ssm_sigv4_sign(&sig, &req, &creds, t->cache);
	if (error < 0)
		goto done;

#define ADD(...)                                                            \
	do {                                                                \
		snprintf(line, sizeof(line), __VA_ARGS__);                  \
		if (!(l = curl_slist_append(list, line))) {                 \
			error = ssm_error__set(SSM_ERROR,                   \
					       SSM_ERRCLASS_NOMEMORY, NULL, \
					       "out of memory");            \
			goto done;                                          \
		}                                                           \
		list = l;                                                   \
	} while (0)
	ADD("Host: %s", t->host);
	ADD("Content-Type: %s", JSON_TYPE);
	ADD("X-Amz-Target: %s", target);
	ADD("X-Amz-Date: %s", date);
	if (t->token)
		ADD("X-Amz-Security-Token: %s", t->token);
	ADD("Authorization: %s", sig.authorization.ptr);
	ADD("Expect:");
#undef ADD

	ssm_str_clear(&t->body);
	t->error_type[0] = '\0';
	t->request_id[0] = '\0';
	t->errbuf[0] = '\0';
	if (remaining_ms > LONG_MAX)
		remaining_ms = LONG_MAX;
	if (curl_easy_setopt(t->curl, CURLOPT_HTTPHEADER, list) != CURLE_OK ||
	    curl_easy_setopt(t->curl, CURLOPT_POSTFIELDS,
			     payload->ptr ? payload->ptr : "") != CURLE_OK ||
	    curl_easy_setopt(t->curl, CURLOPT_POSTFIELDSIZE_LARGE,
			     (curl_off_t)payload->size) != CURLE_OK ||
	    curl_easy_setopt(t->curl, CURLOPT_TIMEOUT_MS, (long)remaining_ms) !=
		    CURLE_OK ||
	    curl_easy_setopt(t->curl, CURLOPT_CONNECTTIMEOUT_MS,
			     (long)(remaining_ms < CONNECT_TIMEOUT_MS
					    ? remaining_ms
					    : CONNECT_TIMEOUT_MS)) !=
		    CURLE_OK) {
		error = ssm_error__set(SSM_ERROR, SSM_ERRCLASS_TRANSPORT, NULL,
				       "cannot set up the HTTP request");
		goto done;
	}
	rc = curl_easy_perform(t->curl);
	/* the list holds the signature: forget it before it is freed */
	curl_easy_setopt(t->curl, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(t->curl, CURLOPT_POSTFIELDS, NULL);
	*curl_out = rc;
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		error = ssm_error__set(
			SSM_ETIMEOUT, SSM_ERRCLASS_TRANSPORT, NULL,
			"%s to '%.200s' timed out: %s", op->name, t->url,
			t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc));
		goto done;
	}
	if (rc == CURLE_WRITE_ERROR && t->body.size >= SSM_API_MAX_RESPONSE) {
		error = ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_TRANSPORT, NULL,
				       "answer of %s from '%.200s' is over "
				       "%zu bytes",
				       op->name, t->url, SSM_API_MAX_RESPONSE);
		goto done;
	}
	if (rc != CURLE_OK) {
		error = ssm_error__set(
			SSM_ERROR, SSM_ERRCLASS_TRANSPORT, NULL,
			"%s to '%.200s' failed: %s", op->name, t->url,
			t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc));
		goto done;
	}
	curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, status_out);
done:
	curl_slist_free_all(list);
	ssm_sigv4_signed_dispose(&sig);
	ssm__zeroize(line, sizeof(line));
	return error;
}

static ssm_err http_call(ssm_transport *transport, const ssm_operation *op,
			 const void *request, void *response, ssm_call *call)
{
	struct http *t = (struct http *)transport;
	ssm_str payload = SSM_STR_INIT;
	bool idempotent = ssm_operation_is_idempotent(op);
	unsigned int attempt;
	uint64_t start = ssm__mono_ns();
	long status = 0;
	ssm_err error;

	/* the same checks and messages as in process, without a round trip */
	error = ssm_api_validate(op->input, request);
	if (error < 0)
		return error;
	error = ssm_api_encode_text(&payload, op->input, request);
	if (error < 0)
		goto done;
	for (attempt = 0;; attempt++) {
		int64_t left = ssm_call_remaining_ms(call);
		CURLcode rc;
		bool again;

		if (left <= 0) {
			error = ssm_error__set(
				SSM_ETIMEOUT, SSM_ERRCLASS_TRANSPORT, NULL,
				"%s to '%.200s' timed out", op->name, t->url);
			break;
		}
		error = send_once(&status, &rc, t, op, &payload, left);
		if (error == SSM_OK && status == 200) {
			error = ssm_operation_decode_response(
				response, op, call, t->body.ptr, t->body.size);
			break;
		}
		if (error == SSM_OK) {
			error = error_answer(t, status);
			again = status >= 500 || status == 429 ||
				throttling(ssm_error_last()->service_code);
		} else {
			again = retryable_curl(rc);
		}
		if (!again || !idempotent || attempt + 1 >= t->attempts)
			break;
		{
			int64_t wait = backoff_ms(attempt);

			left = ssm_call_remaining_ms(call);
			if (wait >= left)
				break; /* keep this attempt's error */
			SSM_LOG(t->parent.ctx, SSM_LOG_DEBUG, "transport",
				"%s: retrying in %" PRId64 " ms after: %s",
				op->name, wait, ssm_error_last()->message);
			sleep_ms(wait);
		}
	}
done:
	SSM_LOG(t->parent.ctx, SSM_LOG_DEBUG, "transport",
		"%s %ld %.3f ms request %s", op->name, status,
		(double)(ssm__mono_ns() - start) / 1e6,
		t->request_id[0] ? t->request_id : "-");
	/* PutParameter bodies and GetParameter answers may hold secrets */
	ssm_str_dispose_secure(&payload);
	if (t->body.size) {
		ssm__zeroize(t->body.ptr, t->body.size);
		ssm_str_clear(&t->body);
	}
	return error;
}

static const char *http_region(const ssm_transport *transport)
{
	return ((const struct http *)transport)->region;
}

static const ssm_transport_ops http_ops = {
	.version = SSM_TRANSPORT_OPS_VERSION,
	.name = "http",
	.open = http_open,
	.call = http_call,
	.region = http_region,
	.close = http_close,
};

static const ssm_transport_ops https_ops = {
	.version = SSM_TRANSPORT_OPS_VERSION,
	.name = "https",
	.open = http_open,
	.call = http_call,
	.region = http_region,
	.close = http_close,
};

ssm_err ssm_transports__register_builtins(ssm_ctx *ctx)
{
	SSM_TRY(ssm_ctx_register_transport(ctx, &http_ops, NULL));
	return ssm_ctx_register_transport(ctx, &https_ops, NULL);
}
