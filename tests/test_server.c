/* SPDX-License-Identifier: Apache-2.0 */
/* ssm_server and the http transport, on 127.0.0.1 with ephemeral ports:
 * the Echo engine over the wire, the public server API and its documented
 * errors, and every bad input of issue 7 (unsigned, wrong secret, clock
 * skew, body not matching its hash, targets, content types, bodies that are
 * not JSON, too deep or too large, wrong JSON types, slow and many
 * connections), each with its AWS error, no state change, and the server
 * still serving. Also TLS, credentials resolution, retries and timeouts
 * against a scripted HTTP server. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <microhttpd.h>

#include "ssm/ssm.h"
#include "ssm/sys/transport.h"
#include "api/client.h"
#include "api/op.h"
#include "core/ctx.h"
#include "core/error.h"
#include "core/sigv4.h"
#include "core/str.h"
#include "core/thread.h"
#include "core/time.h"
#include "echo.h"
#include "server/server.h"

#define AKID "AKIDTEST"
#define SECRET "s3cr3t-key-value"
#define JSON_TYPE "application/x-amz-json-1.1"

#ifndef SSM_TEST_DATA
#define SSM_TEST_DATA "tests/data"
#endif

/* ---- fixture ------------------------------------------------------------ */

struct logbuf {
	pthread_mutex_t lock;
	ssm_str text;
};

struct fixture {
	ssm_ctx *ctx;
	ssm_server *server;
	ssm_client *client;
	struct logbuf log;
};

static void log_cb(ssm_log_level level, const char *component,
		   const char *message, void *payload)
{
	struct logbuf *b = payload;

	(void)level;
	pthread_mutex_lock(&b->lock);
	ssm_str_printf(&b->text, "%s: %s\n", component, message);
	pthread_mutex_unlock(&b->lock);
}

static ssm_err server_make(struct fixture *f, ssm_server_options *so)
{
	ssm_server_options d = SSM_SERVER_OPTIONS_INIT;

	if (!so)
		so = &d;
	if (!so->listen)
		so->listen = "127.0.0.1:0";
	SSM_TRY(ssm_server_new(&f->server, f->ctx, so));
	SSM_TRY(ssm_server_add_access_key(f->server, AKID, SECRET));
	return ssm_server_start(f->server);
}

static ssm_err client_make(ssm_client **out, struct fixture *f,
			   const char *region)
{
	ssm_client_options o = SSM_CLIENT_OPTIONS_INIT;

	o.access_key_id = AKID;
	o.secret_access_key = SECRET;
	o.region = region;
	return ssm_client_open(out, f->ctx, ssm_server_url(f->server), &o);
}

static int setup_bare(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	ssm_ctx_options co = SSM_CTX_OPTIONS_INIT;

	pthread_mutex_init(&f->log.lock, NULL);
	co.log_cb = log_cb;
	co.log_payload = &f->log;
	co.log_level = SSM_LOG_TRACE;
	ssm_service__set_test_module(&echo_module);
	if (ssm_ctx_new(&f->ctx, &co) < 0)
		return -1;
	*state = f;
	return 0;
}

static int setup(void **state)
{
	struct fixture *f;

	if (setup_bare(state) < 0)
		return -1;
	f = *state;
	if (server_make(f, NULL) < 0 || client_make(&f->client, f, NULL) < 0) {
		fprintf(stderr, "setup: %s\n", ssm_error_last()->message);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ssm_client_free(f->client);
	ssm_server_free(f->server);
	ssm_ctx_free(f->ctx);
	/* nothing secret ever reaches a log line, at any level */
	if (f->log.text.ptr) {
		assert_null(strstr(f->log.text.ptr, SECRET));
		assert_null(strstr(f->log.text.ptr, "hush"));
	}
	ssm_str_dispose(&f->log.text);
	pthread_mutex_destroy(&f->log.lock);
	free(f);
	return 0;
}

/* The call returned @code, with this service code and message (NULL:
 * not checked). */
static void check_err(ssm_err got, ssm_err code, const char *svc,
		      const char *msg, const char *file, int line)
{
	const ssm_error *e = ssm_error_last();

	if (got != code)
		fprintf(stderr, "error: %s (%s)\n", e->message,
			e->service_code ? e->service_code : "-");
	_assert_int_equal(code, got, file, line);
	if (svc)
		_assert_string_equal(
			svc, e->service_code ? e->service_code : "(none)", file,
			line);
	if (msg)
		_assert_string_equal(msg, e->message, file, line);
}

#define EXPECT_ERR(expr, code, svc, msg) \
	check_err((expr), (code), (svc), (msg), __FILE__, __LINE__)

static ssm_err echo_call(ssm_client *c, const ssm_operation *op,
			 const echo_in *in, echo_out *out, ssm_call *call)
{
	ssm_client__call_init(call, c);
	return ssm_client__call(c, op, in, out, call);
}

static uint64_t store_revision(struct fixture *f)
{
	uint64_t rev = 0;

	assert_int_equal(
		SSM_OK, ssm_store_revision(&rev, ssm_server__store(f->server)));
	return rev;
}

/* ---- raw HTTP ----------------------------------------------------------- */

struct raw {
	long status;
	ssm_str body;
	char error_type[128];
	char request_id[80];
	char content_type[128];
	size_t sent; /* body bytes curl read from us */
	size_t limit;
};

struct req {
	const char *method;	  /* NULL: POST */
	const char *path;	  /* NULL: "/" */
	const char *target;	  /* NULL: none */
	const char *content_type; /* NULL: JSON_TYPE; "": none */
	const char *body;	  /* NULL: "{}" */
	size_t body_len;	  /* 0: strlen(body) */
	const char *signed_body;  /* NULL: body */
	bool no_auth;
	const char *akid;   /* NULL: AKID */
	const char *secret; /* NULL: SECRET */
	const char *region; /* NULL: us-east-1 */
	int64_t date_ms;    /* 0: now */
	size_t stream_len;  /* > 0: stream this many 'x' bytes as the body */
	bool chunked;	    /* stream without a Content-Length */
};

static void copy_header(char *dst, size_t size, const char *v, size_t len)
{
	while (len && *v == ' ') {
		v++;
		len--;
	}
	while (len && (v[len - 1] == '\r' || v[len - 1] == '\n'))
		len--;
	snprintf(dst, size, "%.*s", (int)len, v);
}

static size_t raw_header(char *d, size_t size, size_t n, void *p)
{
	struct raw *r = p;
	size_t len = size * n;

	if (len > 17 && strncasecmp(d, "x-amzn-errortype:", 17) == 0)
		copy_header(r->error_type, sizeof(r->error_type), d + 17,
			    len - 17);
	if (len > 17 && strncasecmp(d, "x-amzn-requestid:", 17) == 0)
		copy_header(r->request_id, sizeof(r->request_id), d + 17,
			    len - 17);
	if (len > 13 && strncasecmp(d, "content-type:", 13) == 0)
		copy_header(r->content_type, sizeof(r->content_type), d + 13,
			    len - 13);
	return len;
}

static size_t raw_body(char *d, size_t size, size_t n, void *p)
{
	ssm_str_put(&((struct raw *)p)->body, d, size * n);
	return size * n;
}

static size_t raw_read(char *d, size_t size, size_t n, void *p)
{
	struct raw *r = p;
	size_t want = size * n;

	if (r->sent >= r->limit)
		return 0;
	if (want > r->limit - r->sent)
		want = r->limit - r->sent;
	memset(d, 'x', want);
	r->sent += want;
	return want;
}

static void raw_send(struct raw *out, struct fixture *f, const struct req *q)
{
	const char *body = q->body ? q->body : "{}";
	size_t len = q->body_len ? q->body_len : strlen(body);
	const char *sbody = q->signed_body ? q->signed_body : body;
	char url[256], line[4096], date[SSM_AMZ_DATE_SIZE], host[64];
	struct curl_slist *h = NULL;
	CURL *c = curl_easy_init();
	CURLcode rc;

	memset(out, 0, sizeof(*out));
	snprintf(url, sizeof(url), "%s%s", ssm_server_url(f->server),
		 q->path ? q->path : "/");
	snprintf(host, sizeof(host), "127.0.0.1:%u",
		 ssm_server_port(f->server));
	ssm_time_format_amz(date, q->date_ms ? q->date_ms : ssm__now_ms());
	snprintf(line, sizeof(line), "Content-Type:%s%s",
		 q->content_type && !*q->content_type ? "" : " ",
		 q->content_type ? q->content_type : JSON_TYPE);
	h = curl_slist_append(h, line);
	if (q->target) {
		snprintf(line, sizeof(line), "X-Amz-Target: %s", q->target);
		h = curl_slist_append(h, line);
	}
	snprintf(line, sizeof(line), "X-Amz-Date: %s", date);
	h = curl_slist_append(h, line);
	/* a streamed body waits for "100 Continue" as clients do */
	if (!q->stream_len)
		h = curl_slist_append(h, "Expect:");
	if (q->chunked)
		h = curl_slist_append(h, "Transfer-Encoding: chunked");
	if (!q->no_auth) {
		ssm_sigv4_signed sig = SSM_SIGV4_SIGNED_INIT;
		ssm_sigv4_header sh[2] = {
			{ "content-type",
			  q->content_type ? q->content_type : JSON_TYPE },
			{ "x-amz-target", q->target ? q->target : "" },
		};
		ssm_sigv4_request sr = { 0 };
		ssm_sigv4_credentials cr = { 0 };

		sr.method = q->method ? q->method : "POST";
		sr.host = host;
		sr.path = q->path ? q->path : "/";
		sr.headers = sh;
		sr.nheaders = q->target ? 2 : 1;
		sr.payload = sbody;
		sr.payload_len = q->signed_body ? strlen(sbody) : len;
		sr.amz_date = date;
		sr.region = q->region ? q->region : "us-east-1";
		sr.service = "ssm";
		cr.access_key_id = q->akid ? q->akid : AKID;
		cr.secret_access_key = q->secret ? q->secret : SECRET;
		assert_int_equal(SSM_OK, ssm_sigv4_sign(&sig, &sr, &cr, NULL));
		snprintf(line, sizeof(line), "Authorization: %s",
			 sig.authorization.ptr);
		h = curl_slist_append(h, line);
		ssm_sigv4_signed_dispose(&sig);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, raw_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, raw_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (getenv("SSM_TEST_CURL_VERBOSE"))
		curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	if (q->method && strcmp(q->method, "GET") == 0) {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	} else if (q->stream_len) {
		out->limit = q->stream_len;
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, raw_read);
		curl_easy_setopt(c, CURLOPT_READDATA, out);
		if (!q->chunked)
			curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
					 (curl_off_t)q->stream_len);
	} else {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)len);
	}
	rc = curl_easy_perform(c);
	/* a server that answers early may close before we finish sending */
	if (getenv("SSM_TEST_CURL_VERBOSE"))
		fprintf(stderr, "curl: %s\n", curl_easy_strerror(rc));
	if (rc != CURLE_OK && rc != CURLE_SEND_ERROR && rc != CURLE_RECV_ERROR)
		fail_msg("curl: %s", curl_easy_strerror(rc));
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
}

static void raw_dispose(struct raw *r)
{
	ssm_str_dispose(&r->body);
}

/* The answer is the AWS error @type with exactly @message (NULL: any). */
static void expect_aws_error(struct raw *r, long status, const char *type,
			     const char *message)
{
	char want[2048];

	assert_int_equal(status, r->status);
	assert_string_equal(type, r->error_type);
	assert_string_equal(JSON_TYPE, r->content_type);
	assert_int_equal(36, strlen(r->request_id));
	if (message) {
		snprintf(want, sizeof(want),
			 "{\"__type\":\"%s\",\"message\":\"%s\"}", type,
			 message);
		assert_string_equal(want, ssm_str_cstr(&r->body));
	} else {
		snprintf(want, sizeof(want), "{\"__type\":\"%s\",", type);
		assert_non_null(strstr(ssm_str_cstr(&r->body), want));
	}
}

static void send_expect(struct fixture *f, const struct req *q, long status,
			const char *type, const char *message)
{
	struct raw r;

	raw_send(&r, f, q);
	expect_aws_error(&r, status, type, message);
	raw_dispose(&r);
}

/* ---- the Echo engine over the wire ------------------------------------- */

static void echo_round_trips_over_http(void **state)
{
	struct fixture *f = *state;
	char *names[] = { "a", "b", "c" };
	echo_in in = { 0 };
	echo_out out;
	ssm_call call;

	in.name = "hello";
	in.names.items = names;
	in.names.count = 3;
	assert_int_equal(SSM_OK,
			 echo_call(f->client, &echo_op, &in, &out, &call));
	assert_string_equal("hello", out.name);
	assert_int_equal(3, out.count);
	assert_true(out.when_ms > 1600000000000);
	ssm_call__dispose(&call);
	assert_string_equal("http", ssm_client_transport(f->client));
	assert_string_equal("us-east-1", ssm_client_region(f->client));
	assert_true(ssm_server_port(f->server) > 0);
	assert_non_null(strstr(ssm_server_url(f->server), "http://127.0.0.1:"));
}

static void every_type_round_trips_over_http(void **state)
{
	struct fixture *f = *state;
	char *strs[] = { "x", "y\"z" };
	char *vals[] = { "v1" };
	filter one = { "k", { vals, 1 } };
	filter structs[2] = { { "a", { NULL, 0 } }, { "b", { vals, 1 } } };
	ssm_api_map_entry sm[1] = { { "mk", "mv", { NULL, 0 } } };
	ssm_api_map_entry lm[1] = { { "lk", NULL, { strs, 2 } } };
	unsigned char bytes[] = { 0, 1, 2, 0xff };
	all_types in = { 0 }, out;
	ssm_call call;

	in.s = "\xc3\xa9t\xc3\xa9";
	in.b = true;
	in.i = -42;
	in.d = 0.25;
	in.t_ms = 1528932105382;
	in.iso_ms = 1496795101527;
	in.blob.ptr = bytes;
	in.blob.len = sizeof(bytes);
	in.one = &one;
	in.strs.items = strs;
	in.strs.count = 2;
	in.structs.items = structs;
	in.structs.count = 2;
	in.smap.items = sm;
	in.smap.count = 1;
	in.lmap.items = lm;
	in.lmap.count = 1;
	ssm_client__call_init(&call, f->client);
	EXPECT_ERR(ssm_client__call(f->client, &echo_all_op, &in, &out, &call),
		   SSM_OK, NULL, NULL);
	assert_string_equal(in.s, out.s);
	assert_true(out.b);
	assert_int_equal(-42, out.i);
	assert_true(out.d == 0.25);
	assert_int_equal(1528932105382, out.t_ms);
	assert_int_equal(1496795101527, out.iso_ms);
	assert_int_equal(4, out.blob.len);
	assert_memory_equal(bytes, out.blob.ptr, 4);
	assert_string_equal("k", out.one->key);
	assert_string_equal("v1", ((char **)out.one->values.items)[0]);
	assert_int_equal(2, out.strs.count);
	assert_string_equal("y\"z", ((char **)out.strs.items)[1]);
	assert_string_equal("b", ((filter *)out.structs.items)[1].key);
	assert_string_equal("mv", out.smap.items[0].value);
	assert_string_equal("y\"z",
			    ((char **)out.lmap.items[0].values.items)[1]);
	/* zero members came back as zero (and were sent) */
	assert_string_equal("", out.z_s);
	assert_non_null(out.z_one);
	assert_non_null(out.z_strs.items);
	assert_int_equal(0, out.z_strs.count);
	ssm_call__dispose(&call);
}

static void handler_errors_cross_the_wire(void **state)
{
	struct fixture *f = *state;
	echo_in in = { 0 };
	echo_out out;
	ssm_call call;

	in.name = "missing";
	EXPECT_ERR(echo_call(f->client, &echo_op, &in, &out, &call),
		   SSM_ENOTFOUND, "ParameterNotFound",
		   "parameter 'missing' not found");
	assert_int_equal(SSM_ERRCLASS_PARAM, ssm_error_last()->klass);
	ssm_call__dispose(&call);
	/* a failure without an AWS name is a 500, its detail only logged */
	in.name = "boom";
	EXPECT_ERR(echo_call(f->client, &echo_op, &in, &out, &call), SSM_ERROR,
		   "InternalServerError", NULL);
	assert_non_null(strstr(ssm_error_last()->message,
			       "internal server error (request id "));
	assert_null(strstr(ssm_error_last()->message, "/secret/path"));
	ssm_call__dispose(&call);
	/* validation: the same message as in process */
	in.name = "abcdefghijk";
	EXPECT_ERR(echo_call(f->client, &echo_op, &in, &out, &call),
		   SSM_EINVALID, "ValidationException",
		   "1 validation error detected: Value 'abcdefghijk' at "
		   "'name' failed to satisfy constraint: Member must have "
		   "length less than or equal to 10");
	ssm_call__dispose(&call);
}

static void server_validates_what_clients_skip(void **state)
{
	struct fixture *f = *state;
	struct req q = { .target = "AmazonSSM.Echo" };
	struct raw r;

	q.body = "{\"Name\":\"abcdefghijk\",\"Type\":\"Bad\"}";
	send_expect(f, &q, 400, "ValidationException",
		    "2 validation errors detected: Value 'abcdefghijk' at "
		    "'name' failed to satisfy constraint: Member must have "
		    "length less than or equal to 10; Value 'Bad' at 'type' "
		    "failed to satisfy constraint: Member must satisfy enum "
		    "value set: [String, StringList, SecureString]");
	/* an empty body is an empty request */
	q.body = "";
	q.body_len = 0;
	send_expect(f, &q, 400, "ValidationException",
		    "1 validation error detected: Value null at 'name' failed "
		    "to satisfy constraint: Member must not be null");
	/* unknown members are ignored */
	q.body = "{\"Name\":\"ok\",\"Unknown\":{\"deep\":[1,2,{}]},\"Nope\":1}";
	raw_send(&r, f, &q);
	assert_int_equal(200, r.status);
	assert_string_equal("", r.error_type);
	assert_string_equal(JSON_TYPE, r.content_type);
	assert_int_equal(36, strlen(r.request_id));
	assert_non_null(strstr(ssm_str_cstr(&r.body), "\"Name\":\"ok\""));
	raw_dispose(&r);
}

/* ---- authentication ----------------------------------------------------- */

static void bad_signatures_get_aws_errors_and_change_nothing(void **state)
{
	struct fixture *f = *state;
	struct req q = { .target = "AmazonSSM.EchoWrite" };
	char future[64], past[64];
	uint64_t rev = store_revision(f);
	int calls = echo_handler_calls;
	int64_t now = ssm__now_ms();

	q.body = "{\"Name\":\"w\"}";
	q.no_auth = true;
	send_expect(f, &q, 400, "MissingAuthenticationTokenException",
		    "Missing Authentication Token");
	q.no_auth = false;
	q.secret = "wrong-secret";
	send_expect(f, &q, 400, "InvalidSignatureException",
		    SSM_SIGV4_MISMATCH_MESSAGE);
	q.secret = NULL;
	q.akid = "AKIDUNKNOWN";
	send_expect(f, &q, 400, "UnrecognizedClientException",
		    "The security token included in the request is invalid.");
	q.akid = NULL;
	q.date_ms = now - 10 * 60 * 1000;
	{
		struct raw r;

		raw_send(&r, f, &q);
		expect_aws_error(&r, 400, "InvalidSignatureException", NULL);
		ssm_time_format_amz(past, q.date_ms);
		assert_non_null(
			strstr(ssm_str_cstr(&r.body), "Signature expired: "));
		assert_non_null(strstr(ssm_str_cstr(&r.body), past));
		raw_dispose(&r);
	}
	q.date_ms = now + 10 * 60 * 1000;
	{
		struct raw r;

		raw_send(&r, f, &q);
		expect_aws_error(&r, 400, "InvalidSignatureException", NULL);
		ssm_time_format_amz(future, q.date_ms);
		assert_non_null(strstr(ssm_str_cstr(&r.body),
				       "Signature not yet current: "));
		assert_non_null(strstr(ssm_str_cstr(&r.body), future));
		raw_dispose(&r);
	}
	q.date_ms = 0;
	/* the body is not the one that was signed */
	q.signed_body = "{\"Name\":\"v\"}";
	send_expect(f, &q, 400, "InvalidSignatureException",
		    SSM_SIGV4_MISMATCH_MESSAGE);
	q.signed_body = NULL;
	q.region = "Not_A_Region";
	send_expect(f, &q, 400, "InvalidSignatureException",
		    "Credential should be scoped to a valid region, not "
		    "'Not_A_Region'.");
	q.region = NULL;
	assert_int_equal(rev, store_revision(f));
	assert_int_equal(calls, echo_handler_calls);
	/* and the same request signed properly is served */
	{
		struct raw r;

		raw_send(&r, f, &q);
		assert_int_equal(200, r.status);
		raw_dispose(&r);
		assert_true(store_revision(f) > rev);
	}
}

static void targets_and_content_types_are_checked(void **state)
{
	struct fixture *f = *state;
	struct req q = { 0 };
	uint64_t rev = store_revision(f);

	q.body = "{\"Name\":\"w\"}";
	send_expect(f, &q, 400, "UnknownOperationException",
		    "missing X-Amz-Target header (expected "
		    "AmazonSSM.<Operation>)");
	q.target = "AmazonSSM.Nope";
	send_expect(f, &q, 400, "UnknownOperationException",
		    "unknown operation 'AmazonSSM.Nope'");
	q.target = "DynamoDB_20120810.EchoWrite";
	send_expect(f, &q, 400, "UnknownOperationException",
		    "unknown operation 'DynamoDB_20120810.EchoWrite'");
	q.target = "AmazonSSM.EchoWrite";
	q.content_type = "text/plain";
	send_expect(f, &q, 400, "UnknownOperationException",
		    "unsupported Content-Type 'text/plain' (expected "
		    "application/x-amz-json-1.1)");
	q.content_type = "application/x-amz-json-1.1; charset=utf-8";
	{
		struct raw r;

		raw_send(&r, f, &q);
		assert_int_equal(200, r.status);
		raw_dispose(&r);
	}
	/* written once (engines may have seeded the new service too) */
	assert_true(store_revision(f) > rev);
	{
		ssm_store_kv kv = SSM_STORE_KV_INIT;
		const char *key = "ssm/123456789012/us-east-1/echo/w";

		assert_int_equal(
			SSM_OK, ssm_store_get(&kv, ssm_server__store(f->server),
					      key, strlen(key)));
		assert_int_equal(1, kv.version);
		ssm_store_kv_dispose(&kv);
	}
}

static void bodies_that_are_not_requests_are_serialization_errors(void **state)
{
	struct fixture *f = *state;
	struct req q = { .target = "AmazonSSM.EchoWrite" };
	uint64_t rev = store_revision(f);
	ssm_str deep = SSM_STR_INIT;
	int i;

	q.body = "{\"Name\": \"x\",";
	send_expect(f, &q, 400, "SerializationException", NULL);
	q.body = "not json";
	send_expect(f, &q, 400, "SerializationException", NULL);
	q.body = "[1,2]";
	send_expect(f, &q, 400, "SerializationException",
		    "body must be a JSON object, not an array");
	q.body = "{\"Name\": 5}";
	send_expect(f, &q, 400, "SerializationException",
		    "'Name' must be a string, not a number");
	q.body = "{\"Name\": \"a\", \"Flag\": \"yes\"}";
	send_expect(f, &q, 400, "SerializationException",
		    "'Flag' must be a boolean, not a string");
	q.body = "{\"Name\": \"a\", \"Filters\": [{\"Key\": []}]}";
	send_expect(f, &q, 400, "SerializationException",
		    "'Filters[0].Key' must be a string, not an array");
	q.body = "{\"Name\": \"a\", \"MaxResults\": 1.5}";
	send_expect(f, &q, 400, "SerializationException",
		    "'MaxResults' must be an integer in the 64-bit range");
	q.body = "{\"Name\": \"a\\u0000b\"}";
	send_expect(f, &q, 400, "SerializationException",
		    "'Name' must not contain NUL characters");
	/* a deep tree, even in a member that would be ignored */
	ssm_str_puts(&deep, "{\"Name\":\"a\",\"X\":");
	for (i = 0; i < 10000; i++)
		ssm_str_putc(&deep, '[');
	for (i = 0; i < 10000; i++)
		ssm_str_putc(&deep, ']');
	ssm_str_putc(&deep, '}');
	q.body = deep.ptr;
	send_expect(f, &q, 400, "SerializationException", NULL);
	ssm_str_dispose(&deep);
	assert_int_equal(rev, store_revision(f));
}

static void huge_bodies_are_refused_unread(void **state)
{
	struct fixture *f = *state;
	struct req q = { .target = "AmazonSSM.EchoWrite" };
	uint64_t rev = store_revision(f);
	struct raw r;

	/* 100 MB announced: refused from the headers */
	q.stream_len = (size_t)100 << 20;
	raw_send(&r, f, &q);
	expect_aws_error(&r, 413, "RequestEntityTooLargeException",
			 "request body of 104857600 bytes is over the limit "
			 "of 1048576 bytes");
	assert_true(r.sent < ((size_t)8 << 20));
	raw_dispose(&r);
	/* 100 MB chunked: refused once past the limit; the client may see
	 * the answer or only the connection cut while it still sends */
	q.chunked = true;
	raw_send(&r, f, &q);
	if (r.status != 0 && r.status != 100)
		expect_aws_error(&r, 413, "RequestEntityTooLargeException",
				 "request body is over the limit of 1048576 "
				 "bytes");
	assert_true(r.sent < ((size_t)32 << 20));
	raw_dispose(&r);
	assert_int_equal(rev, store_revision(f));
	/* still serving */
	q.stream_len = 0;
	q.chunked = false;
	q.body = "{\"Name\":\"after\"}";
	raw_send(&r, f, &q);
	assert_int_equal(200, r.status);
	raw_dispose(&r);
}

static void other_routes(void **state)
{
	struct fixture *f = *state;
	struct req q = { 0 };
	struct raw r;

	q.method = "GET";
	q.path = "/healthz";
	q.no_auth = true;
	raw_send(&r, f, &q);
	assert_int_equal(200, r.status);
	assert_string_equal("{\"status\":\"ok\"}", ssm_str_cstr(&r.body));
	raw_dispose(&r);
	q.path = "/";
	send_expect(f, &q, 404, "UnknownOperationException",
		    "no route for GET /");
	q.method = NULL;
	q.path = "/_ssmd/reset";
	send_expect(f, &q, 404, "UnknownOperationException",
		    "no route for POST /_ssmd/reset");
}

static void reset_restores_a_fresh_state(void **state)
{
	struct fixture *f = *state;
	ssm_server_options so = SSM_SERVER_OPTIONS_INIT;
	struct req q = { 0 };
	echo_in in = { 0 };
	echo_out out;
	ssm_call call;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	ssm_service *svc = NULL;
	int starts = echo_starts;
	struct raw r;

	so.flags = SSM_SERVER_ENABLE_TEST_RESET;
	assert_int_equal(SSM_OK, server_make(f, &so));
	assert_int_equal(SSM_OK, client_make(&f->client, f, "eu-west-1"));
	in.name = "k1";
	assert_int_equal(
		SSM_OK, echo_call(f->client, &echo_write_op, &in, &out, &call));
	ssm_call__dispose(&call);
	assert_int_equal(starts + 1, echo_starts);
	assert_int_equal(SSM_OK,
			 ssm_server__service(&svc, f->server, "eu-west-1"));
	assert_string_equal("ssm/123456789012/eu-west-1/", svc->prefix);
	assert_int_equal(SSM_OK,
			 ssm_store_range(&kvs, ssm_server__store(f->server),
					 "ssm/123456789012/eu-west-1/echo/", 32,
					 NULL));
	assert_int_equal(1, kvs.count);
	ssm_store_kvs_dispose(&kvs);

	q.path = "/_ssmd/reset";
	q.no_auth = true;
	raw_send(&r, f, &q);
	assert_int_equal(200, r.status);
	assert_string_equal("{\"status\":\"reset\"}", ssm_str_cstr(&r.body));
	raw_dispose(&r);
	assert_int_equal(SSM_OK,
			 ssm_store_range(&kvs, ssm_server__store(f->server), "",
					 0, NULL));
	assert_int_equal(0, kvs.count);
	ssm_store_kvs_dispose(&kvs);
	/* services start again (built-ins seeded) on the next request */
	assert_int_equal(SSM_OK,
			 echo_call(f->client, &echo_op, &in, &out, &call));
	ssm_call__dispose(&call);
	assert_int_equal(starts + 2, echo_starts);
	assert_int_equal(SSM_OK, ssm_server_reset(f->server));
}

/* ---- connections -------------------------------------------------------- */

static int connect_raw(unsigned int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void slow_clients_are_cut_off_and_others_served(void **state)
{
	struct fixture *f = *state;
	ssm_server_options so = SSM_SERVER_OPTIONS_INIT;
	static const char partial[] = "POST / HTTP/1.1\r\nHost: x\r\nX-Am";
	echo_in in = { 0 };
	echo_out out;
	ssm_call call;
	struct pollfd p;
	char buf[256];
	int64_t start;
	int fd;

	so.connection_timeout_ms = 1000;
	assert_int_equal(SSM_OK, server_make(f, &so));
	assert_int_equal(SSM_OK, client_make(&f->client, f, NULL));
	fd = connect_raw(ssm_server_port(f->server));
	assert_true(fd >= 0);
	assert_int_equal(sizeof(partial) - 1,
			 send(fd, partial, sizeof(partial) - 1, 0));
	/* meanwhile another client is served at once */
	in.name = "other";
	assert_int_equal(SSM_OK,
			 echo_call(f->client, &echo_op, &in, &out, &call));
	ssm_call__dispose(&call);
	start = ssm__mono_ms();
	p.fd = fd;
	p.events = POLLIN;
	assert_int_equal(1, poll(&p, 1, 5000));
	/* closed by the server after about a second */
	assert_true(recv(fd, buf, sizeof(buf), 0) <= 0);
	assert_true(ssm__mono_ms() - start < 4000);
	close(fd);
}

static void many_connections_at_once(void **state)
{
	struct fixture *f = *state;
	int fds[300];
	size_t i, n = 0;
	echo_in in = { 0 };
	echo_out out;
	ssm_call call;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		fds[n] = connect_raw(ssm_server_port(f->server));
		if (fds[n] >= 0)
			n++;
	}
	assert_true(n >= 250);
	in.name = "crowd";
	for (i = 0; i < 20; i++) {
		assert_int_equal(SSM_OK, echo_call(f->client, &echo_op, &in,
						   &out, &call));
		ssm_call__dispose(&call);
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	/* and after they went away */
	assert_int_equal(SSM_OK,
			 echo_call(f->client, &echo_op, &in, &out, &call));
	ssm_call__dispose(&call);
}

struct slow_call {
	struct fixture *f;
	ssm_client *client;
	ssm_err result;
	atomic_int started;
};

static void *slow_thread(void *arg)
{
	struct slow_call *s = arg;
	echo_in in = { 0 };
	echo_out out;
	ssm_call call;

	in.name = "slow";
	atomic_store(&s->started, 1);
	s->result = echo_call(s->client, &echo_op, &in, &out, &call);
	ssm_call__dispose(&call);
	return NULL;
}

static void stop_lets_requests_in_progress_finish(void **state)
{
	struct fixture *f = *state;
	struct slow_call s = { 0 };
	pthread_t th;
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	int64_t start;

	s.f = f;
	assert_int_equal(SSM_OK, client_make(&s.client, f, NULL));
	assert_int_equal(0, pthread_create(&th, NULL, slow_thread, &s));
	while (!atomic_load(&s.started))
		nanosleep(&ts, NULL);
	nanosleep(&ts, NULL); /* the request reached the handler */
	start = ssm__mono_ms();
	ssm_server_stop(f->server);
	assert_true(ssm__mono_ms() - start < 5000);
	pthread_join(th, NULL);
	assert_int_equal(SSM_OK, s.result);
	ssm_client_free(s.client);
	assert_int_equal(0, ssm_server_port(f->server));
	assert_string_equal("", ssm_server_url(f->server));
	ssm_server_stop(f->server); /* twice is fine */
	EXPECT_ERR(ssm_server_start(f->server), SSM_EINVALID, NULL,
		   "the server was started before");
}

/* ---- regions and keys --------------------------------------------------- */

static void each_region_has_its_own_state(void **state)
{
	struct fixture *f = *state;
	ssm_client *eu = NULL;
	ssm_service *svc = NULL;
	echo_in in = { 0 };
	echo_out out;
	ssm_call call;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	const char *key = "ssm/123456789012/eu-central-1/echo/r";

	assert_int_equal(SSM_OK, client_make(&eu, f, "eu-central-1"));
	assert_string_equal("eu-central-1", ssm_client_region(eu));
	in.name = "r";
	assert_int_equal(SSM_OK,
			 echo_call(eu, &echo_write_op, &in, &out, &call));
	ssm_call__dispose(&call);
	assert_int_equal(SSM_OK,
			 ssm_store_get(&kv, ssm_server__store(f->server), key,
				       strlen(key)));
	ssm_store_kv_dispose(&kv);
	assert_int_equal(SSM_OK,
			 ssm_server__service(&svc, f->server, "eu-central-1"));
	assert_string_equal("eu-central-1", svc->region);
	ssm_client_free(eu);
}

static void access_keys_can_change_while_serving(void **state)
{
	struct fixture *f = *state;
	ssm_client_options o = SSM_CLIENT_OPTIONS_INIT;
	ssm_client *c = NULL;
	echo_in in = { 0 };
	echo_out out;
	ssm_call call;

	in.name = "k";
	o.access_key_id = "AKIDSECOND";
	o.secret_access_key = "second-secret";
	assert_int_equal(
		SSM_OK,
		ssm_client_open(&c, f->ctx, ssm_server_url(f->server), &o));
	EXPECT_ERR(echo_call(c, &echo_op, &in, &out, &call), SSM_EAUTH,
		   "UnrecognizedClientException",
		   "The security token included in the request is invalid.");
	ssm_call__dispose(&call);
	assert_int_equal(SSM_OK,
			 ssm_server_add_access_key(f->server, "AKIDSECOND",
						   "second-secret"));
	assert_int_equal(SSM_OK, echo_call(c, &echo_op, &in, &out, &call));
	ssm_call__dispose(&call);
	/* a new secret for the same id replaces the old one */
	assert_int_equal(SSM_OK, ssm_server_add_access_key(
					 f->server, "AKIDSECOND", "rotated"));
	EXPECT_ERR(echo_call(c, &echo_op, &in, &out, &call), SSM_EAUTH,
		   "InvalidSignatureException", SSM_SIGV4_MISMATCH_MESSAGE);
	ssm_call__dispose(&call);
	assert_int_equal(SSM_OK,
			 ssm_server_remove_access_key(f->server, "AKIDSECOND"));
	EXPECT_ERR(ssm_server_remove_access_key(f->server, "AKIDSECOND"),
		   SSM_ENOTFOUND, NULL,
		   "access key id 'AKIDSECOND' is not known");
	EXPECT_ERR(ssm_server_add_access_key(f->server, "bad id", "x"),
		   SSM_EINVALID, NULL,
		   "access key id 'bad id' is not 1..128 letters and digits");
	EXPECT_ERR(ssm_server_add_access_key(f->server, "AKID2", ""),
		   SSM_EINVALID, NULL,
		   "secret access key of 'AKID2' must have 1..256 bytes");
	EXPECT_ERR(ssm_server_add_access_key(f->server, NULL, "x"),
		   SSM_EINVALID, NULL, "invalid argument: 'access_key_id'");
	ssm_client_free(c);
}

/* ---- the server API ----------------------------------------------------- */

static void server_options_are_checked(void **state)
{
	struct fixture *f = *state;
	ssm_server_options so = SSM_SERVER_OPTIONS_INIT;
	ssm_server *s = (ssm_server *)1;

	EXPECT_ERR(ssm_server_options_init(&so, 7), SSM_EINVALID, NULL,
		   "ssm_server_options version 7 is not supported (1..1)");
	assert_int_equal(SSM_OK, ssm_server_options_init(&so, 1));
	so.listen = "nonsense";
	EXPECT_ERR(ssm_server_new(&s, f->ctx, &so), SSM_EINVALID, NULL,
		   "listen address 'nonsense' is not ADDR:PORT (e.g. "
		   "127.0.0.1:8080 or [::1]:8080)");
	assert_null(s);
	so.listen = "127.0.0.1:99999";
	EXPECT_ERR(ssm_server_new(&s, f->ctx, &so), SSM_EINVALID, NULL,
		   "listen address '127.0.0.1:99999' is not ADDR:PORT (e.g. "
		   "127.0.0.1:8080 or [::1]:8080)");
	so.listen = "127.0.0.1:0";
	so.account_id = "12";
	EXPECT_ERR(ssm_server_new(&s, f->ctx, &so), SSM_EINVALID, NULL,
		   "account id '12' is not 12 digits");
	so.account_id = NULL;
	so.tls_cert_file = "x.pem";
	EXPECT_ERR(ssm_server_new(&s, f->ctx, &so), SSM_EINVALID, NULL,
		   "TLS needs both a certificate and a key file");
	so.tls_key_file = "/nonexistent/key.pem";
	so.tls_cert_file = "/nonexistent/cert.pem";
	EXPECT_ERR(ssm_server_new(&s, f->ctx, &so), SSM_ERROR, NULL,
		   "cannot open TLS certificate file '/nonexistent/cert.pem': "
		   "No such file or directory");
	so.tls_cert_file = so.tls_key_file = NULL;
	so.connection_timeout_ms = -1;
	EXPECT_ERR(ssm_server_new(&s, f->ctx, &so), SSM_EINVALID, NULL,
		   "server timeouts must not be negative");
	so.connection_timeout_ms = 0;
	so.flags = 0x80;
	EXPECT_ERR(ssm_server_new(&s, f->ctx, &so), SSM_EINVALID, NULL,
		   "unknown server flags 0x80");
	so.flags = 0;
	so.store_url = "gopher://x";
	assert_int_equal(SSM_EINVALID, ssm_server_new(&s, f->ctx, &so));
	so.store_url = "sqlite:///nonexistent-ssm-dir/x/state.db";
	assert_int_equal(SSM_ERROR, ssm_server_new(&s, f->ctx, &so));
	assert_non_null(strstr(ssm_error_last()->message,
			       "/nonexistent-ssm-dir/x/state.db"));
	assert_null(s);
	so.store_url = NULL;
	so.version = 0;
	EXPECT_ERR(ssm_server_new(&s, f->ctx, &so), SSM_EINVALID, NULL,
		   "ssm_server_options version 0 is not supported (1..1)");
	EXPECT_ERR(ssm_server_new(NULL, f->ctx, NULL), SSM_EINVALID, NULL,
		   "invalid argument: 'out'");
	EXPECT_ERR(ssm_server_options_init(NULL, 1), SSM_EINVALID, NULL,
		   "invalid argument: 'opts'");
	/* a server never started */
	assert_int_equal(SSM_OK, ssm_server_new(&s, f->ctx, NULL));
	assert_int_equal(0, ssm_server_port(s));
	assert_string_equal("", ssm_server_url(s));
	ssm_server_stop(s);
	ssm_server_free(s);
	ssm_server_free(NULL);
	ssm_server_stop(NULL);
	EXPECT_ERR(ssm_server_start(NULL), SSM_EINVALID, NULL,
		   "invalid argument: 'server'");
	EXPECT_ERR(ssm_server_reset(NULL), SSM_EINVALID, NULL,
		   "invalid argument: 'server'");
}

static void a_taken_port_cannot_be_bound(void **state)
{
	struct fixture *f = *state;
	ssm_server_options so = SSM_SERVER_OPTIONS_INIT;
	ssm_server *s = NULL;
	char listen[64], want[128];

	snprintf(listen, sizeof(listen), "127.0.0.1:%u",
		 ssm_server_port(f->server));
	so.listen = listen;
	assert_int_equal(SSM_OK, ssm_server_new(&s, f->ctx, &so));
	snprintf(want, sizeof(want),
		 "cannot listen on 127.0.0.1 port %u: Address already in use",
		 ssm_server_port(f->server));
	EXPECT_ERR(ssm_server_start(s), SSM_ERROR, NULL, want);
	ssm_server_free(s);
}

static void ipv6_loopback_listens(void **state)
{
	struct fixture *f = *state;
	ssm_server_options so = SSM_SERVER_OPTIONS_INIT;
	ssm_server *s = NULL;
	char want[64];

	so.listen = "[::1]:0";
	assert_int_equal(SSM_OK, ssm_server_new(&s, f->ctx, &so));
	if (ssm_server_start(s) < 0) {
		/* no IPv6 on this machine */
		ssm_server_free(s);
		skip();
	}
	snprintf(want, sizeof(want), "http://[::1]:%u", ssm_server_port(s));
	assert_string_equal(want, ssm_server_url(s));
	ssm_server_free(s);
}

/* ---- TLS ---------------------------------------------------------------- */

static void https_with_a_certificate(void **state)
{
	struct fixture *f = *state;
	ssm_server_options so = SSM_SERVER_OPTIONS_INIT;
	echo_in in = { 0 };
	echo_out out;
	ssm_call call;

	so.tls_cert_file = SSM_TEST_DATA "/tls/cert.pem";
	so.tls_key_file = SSM_TEST_DATA "/tls/key.pem";
	assert_int_equal(SSM_OK, server_make(f, &so));
	assert_non_null(strstr(ssm_server_url(f->server), "https://"));
	/* not trusted: refused */
	unsetenv("AWS_CA_BUNDLE");
	assert_int_equal(SSM_OK, client_make(&f->client, f, NULL));
	in.name = "tls";
	assert_int_equal(SSM_ERROR,
			 echo_call(f->client, &echo_op, &in, &out, &call));
	assert_int_equal(SSM_ERRCLASS_TRANSPORT, ssm_error_last()->klass);
	ssm_call__dispose(&call);
	ssm_client_free(f->client);
	/* trusted through AWS_CA_BUNDLE */
	setenv("AWS_CA_BUNDLE", SSM_TEST_DATA "/tls/cert.pem", 1);
	assert_int_equal(SSM_OK, client_make(&f->client, f, NULL));
	unsetenv("AWS_CA_BUNDLE");
	assert_string_equal("https", ssm_client_transport(f->client));
	assert_int_equal(SSM_OK,
			 echo_call(f->client, &echo_op, &in, &out, &call));
	assert_string_equal("tls", out.name);
	ssm_call__dispose(&call);
}

/* ---- the http transport ------------------------------------------------- */

static void credentials_come_from_env_and_profiles(void **state)
{
	struct fixture *f = *state;
	ssm_client_options o = SSM_CLIENT_OPTIONS_INIT;
	ssm_client *c = NULL;
	echo_in in = { 0 };
	echo_out out;
	ssm_call call;
	char path[] = "/tmp/ssm-creds-XXXXXX", want[512];
	FILE *file;
	int fd;

	in.name = "cred";
	setenv("AWS_ACCESS_KEY_ID", AKID, 1);
	setenv("AWS_SECRET_ACCESS_KEY", SECRET, 1);
	assert_int_equal(
		SSM_OK,
		ssm_client_open(&c, f->ctx, ssm_server_url(f->server), NULL));
	assert_int_equal(SSM_OK, echo_call(c, &echo_op, &in, &out, &call));
	ssm_call__dispose(&call);
	ssm_client_free(c);
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");

	fd = mkstemp(path);
	assert_true(fd >= 0);
	file = fdopen(fd, "w");
	fprintf(file, "# test\n[default]\naws_access_key_id = NOPE\n"
		      "aws_secret_access_key = nope\n\n[other]\n"
		      "aws_access_key_id=" AKID "\n"
		      "aws_secret_access_key=" SECRET "\n");
	fclose(file);
	setenv("AWS_SHARED_CREDENTIALS_FILE", path, 1);
	setenv("AWS_PROFILE", "other", 1);
	assert_int_equal(
		SSM_OK,
		ssm_client_open(&c, f->ctx, ssm_server_url(f->server), NULL));
	assert_int_equal(SSM_OK, echo_call(c, &echo_op, &in, &out, &call));
	ssm_call__dispose(&call);
	ssm_client_free(c);
	/* the default profile's key is unknown to the server */
	unsetenv("AWS_PROFILE");
	assert_int_equal(
		SSM_OK,
		ssm_client_open(&c, f->ctx, ssm_server_url(f->server), NULL));
	EXPECT_ERR(echo_call(c, &echo_op, &in, &out, &call), SSM_EAUTH,
		   "UnrecognizedClientException", NULL);
	ssm_call__dispose(&call);
	ssm_client_free(c);
	o.profile = "absent";
	snprintf(want, sizeof(want),
		 "profile 'absent' has no credentials in '%s'", path);
	EXPECT_ERR(ssm_client_open(&c, f->ctx, ssm_server_url(f->server), &o),
		   SSM_EAUTH, NULL, want);
	unlink(path);
	o.profile = NULL;
	EXPECT_ERR(ssm_client_open(&c, f->ctx, "http://127.0.0.1:1", &o),
		   SSM_EAUTH, NULL,
		   "no AWS credentials for 'http://127.0.0.1:1': give "
		   "access_key_id and secret_access_key, set "
		   "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add a "
		   "profile to ~/.aws/credentials");
	unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	o.access_key_id = "A";
	EXPECT_ERR(ssm_client_open(&c, f->ctx, "http://127.0.0.1:1", &o),
		   SSM_EINVALID, NULL,
		   "give both access_key_id and secret_access_key, or neither");
	o.secret_access_key = "s";
	EXPECT_ERR(ssm_client_open(&c, f->ctx, "http://h:1/?a=b", &o),
		   SSM_EINVALID, NULL,
		   "endpoint 'http://h:1/?a=b' must not have user info, a "
		   "query or a fragment");
	EXPECT_ERR(ssm_client_open(&c, f->ctx, "http://", &o), SSM_EINVALID,
		   NULL, "endpoint 'http://' is not a valid URL");
	setenv("AWS_MAX_ATTEMPTS", "0", 1);
	EXPECT_ERR(ssm_client_open(&c, f->ctx, "http://h:1", &o), SSM_EINVALID,
		   NULL, "AWS_MAX_ATTEMPTS '0' is not 1..10");
	unsetenv("AWS_MAX_ATTEMPTS");
	assert_null(c);
}

/* A scripted HTTP server: answers @fails times with @status / @body, then
 * with a good Echo answer; or waits @delay_ms first. */
struct script {
	struct MHD_Daemon *d;
	atomic_int hits;
	int fails;
	unsigned int status;
	const char *body;
	const char *error_header;
	int delay_ms;
	int64_t elapsed_ms; /* of the call, without the server's stop */
	char host_seen[128];
	char auth_seen[512];
};

static enum MHD_Result script_handler(void *cls, struct MHD_Connection *c,
				      const char *url, const char *method,
				      const char *version, const char *data,
				      size_t *size, void **con_cls)
{
	struct script *s = cls;
	struct MHD_Response *r;
	const char *text;
	unsigned int status = 200;
	enum MHD_Result ret;
	int n;

	(void)url;
	(void)method;
	(void)version;
	(void)data;
	if (!*con_cls) {
		*con_cls = s;
		return MHD_YES;
	}
	if (*size) {
		*size = 0;
		return MHD_YES;
	}
	n = atomic_fetch_add(&s->hits, 1);
	snprintf(s->host_seen, sizeof(s->host_seen), "%s",
		 MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host"));
	snprintf(s->auth_seen, sizeof(s->auth_seen), "%s",
		 MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					     "Authorization"));
	if (s->delay_ms) {
		struct timespec ts = { s->delay_ms / 1000,
				       (s->delay_ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
	}
	if (n < s->fails) {
		text = s->body;
		status = s->status;
	} else {
		text = "{\"Name\":\"done\",\"Count\":7,\"When\":1528932105."
		       "382}";
	}
	r = MHD_create_response_from_buffer(strlen(text), (void *)text,
					    MHD_RESPMEM_PERSISTENT);
	if (n < s->fails && s->error_header)
		MHD_add_response_header(r, "X-Amzn-ErrorType", s->error_header);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static unsigned int script_start(struct script *s)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
					MHD_USE_THREAD_PER_CONNECTION,
				0, NULL, NULL, script_handler, s,
				MHD_OPTION_SOCK_ADDR, &a, MHD_OPTION_END);
	assert_non_null(s->d);
	return MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT)->port;
}

static ssm_err script_call(struct fixture *f, struct script *s,
			   const ssm_operation *op, int64_t timeout_ms,
			   echo_out *out)
{
	ssm_client_options o = SSM_CLIENT_OPTIONS_INIT;
	ssm_client *c = NULL;
	echo_in in = { 0 };
	ssm_call call;
	char url[64];
	ssm_err error;

	snprintf(url, sizeof(url), "http://127.0.0.1:%u", script_start(s));
	o.access_key_id = AKID;
	o.secret_access_key = SECRET;
	o.timeout_ms = timeout_ms;
	o.region = "ap-south-1";
	assert_int_equal(SSM_OK, ssm_client_open(&c, f->ctx, url, &o));
	in.name = "x";
	s->elapsed_ms = ssm__mono_ms();
	error = echo_call(c, op, &in, out, &call);
	s->elapsed_ms = ssm__mono_ms() - s->elapsed_ms;
	ssm_call__dispose(&call);
	ssm_client_free(c);
	MHD_stop_daemon(s->d);
	return error;
}

static void reads_are_retried_on_throttling_and_5xx(void **state)
{
	struct fixture *f = *state;
	struct script s = { 0 };
	echo_out out;
	char want[64];

	s.fails = 2;
	s.status = 400;
	s.body = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate "
		 "exceeded\"}";
	assert_int_equal(SSM_OK, script_call(f, &s, &echo_op, 0, &out));
	assert_int_equal(3, atomic_load(&s.hits));
	/* what the transport sent: a Host with the port, a SigV4 scope */
	snprintf(want, sizeof(want), "127.0.0.1:");
	assert_non_null(strstr(s.host_seen, want));
	assert_non_null(
		strstr(s.auth_seen, "AWS4-HMAC-SHA256 Credential=" AKID "/"));
	assert_non_null(strstr(s.auth_seen, "/ap-south-1/ssm/aws4_request, "
					    "SignedHeaders=content-type;host;"
					    "x-amz-date;x-amz-target, "
					    "Signature="));
	/* 5xx without a body: retried too, then the last error stays */
	memset(&s, 0, sizeof(s));
	s.fails = 5;
	s.status = 503;
	s.body = "<html>busy</html>";
	assert_int_equal(SSM_ERROR, script_call(f, &s, &echo_op, 0, &out));
	assert_int_equal(3, atomic_load(&s.hits));
	assert_non_null(strstr(ssm_error_last()->message,
			       "HTTP 503 from 'http://127.0.0.1:"));
	/* the error name from the header when the body has none */
	memset(&s, 0, sizeof(s));
	s.fails = 1;
	s.status = 400;
	s.body = "{}";
	s.error_header = "ParameterNotFound:http://internal.amazon.com/";
	EXPECT_ERR(script_call(f, &s, &echo_op, 0, &out), SSM_ENOTFOUND,
		   "ParameterNotFound", "ParameterNotFound");
	assert_int_equal(1, atomic_load(&s.hits));
}

static void writes_are_never_retried(void **state)
{
	struct fixture *f = *state;
	struct script s = { 0 };
	echo_out out;

	s.fails = 2;
	s.status = 500;
	s.body = "{\"__type\":\"InternalServerError\",\"message\":\"oops\"}";
	EXPECT_ERR(script_call(f, &s, &echo_write_op, 0, &out), SSM_ERROR,
		   "InternalServerError", "oops");
	assert_int_equal(1, atomic_load(&s.hits));
	/* a malformed success answer */
	memset(&s, 0, sizeof(s));
	s.fails = 1;
	s.status = 200;
	s.body = "{\"Name\": 12}";
	EXPECT_ERR(script_call(f, &s, &echo_write_op, 0, &out), SSM_EINVALID,
		   NULL,
		   "response of EchoWrite: 'Name' must be a string, "
		   "not a number");
}

static void calls_time_out_at_their_deadline(void **state)
{
	struct fixture *f = *state;
	struct script s = { 0 };
	echo_out out;

	s.delay_ms = 1500;
	assert_int_equal(SSM_ETIMEOUT, script_call(f, &s, &echo_op, 300, &out));
	assert_int_equal(SSM_ERRCLASS_TRANSPORT, ssm_error_last()->klass);
	assert_true(s.elapsed_ms < 1200);
}

static void unreachable_servers_fail_cleanly(void **state)
{
	struct fixture *f = *state;
	ssm_client_options o = SSM_CLIENT_OPTIONS_INIT;
	ssm_client *c = NULL;
	echo_in in = { 0 };
	echo_out out;
	ssm_call call;
	char url[64];
	unsigned int port = ssm_server_port(f->server);

	/* a port nobody listens on: the server's, after it stopped */
	ssm_server_free(f->server);
	f->server = NULL;
	snprintf(url, sizeof(url), "http://127.0.0.1:%u", port);
	o.access_key_id = AKID;
	o.secret_access_key = SECRET;
	assert_int_equal(SSM_OK, ssm_client_open(&c, f->ctx, url, &o));
	in.name = "x";
	assert_int_equal(SSM_ERROR, echo_call(c, &echo_op, &in, &out, &call));
	assert_int_equal(SSM_ERRCLASS_TRANSPORT, ssm_error_last()->klass);
	assert_non_null(strstr(ssm_error_last()->message, "Echo to 'http://"));
	ssm_call__dispose(&call);
	ssm_client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
#define B(name) cmocka_unit_test_setup_teardown(name, setup_bare, teardown)
		T(echo_round_trips_over_http),
		T(every_type_round_trips_over_http),
		T(handler_errors_cross_the_wire),
		T(server_validates_what_clients_skip),
		T(bad_signatures_get_aws_errors_and_change_nothing),
		T(targets_and_content_types_are_checked),
		T(bodies_that_are_not_requests_are_serialization_errors),
		T(huge_bodies_are_refused_unread),
		T(other_routes),
		B(reset_restores_a_fresh_state),
		B(slow_clients_are_cut_off_and_others_served),
		T(many_connections_at_once),
		T(stop_lets_requests_in_progress_finish),
		T(each_region_has_its_own_state),
		T(access_keys_can_change_while_serving),
		T(server_options_are_checked),
		T(a_taken_port_cannot_be_bound),
		T(ipv6_loopback_listens),
		B(https_with_a_certificate),
		T(credentials_come_from_env_and_profiles),
		T(reads_are_retried_on_throttling_and_5xx),
		T(writes_are_never_retried),
		T(calls_time_out_at_their_deadline),
		T(unreachable_servers_fail_cleanly),
#undef T
#undef B
	};
	int failed;

	if (ssm_init() < 0)
		return 2;
	failed = cmocka_run_group_tests_name("server", tests, NULL, NULL);
	ssm_shutdown();
	return failed;
}
