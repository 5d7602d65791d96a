/* SPDX-License-Identifier: Apache-2.0 */
/* SigV4: AWS's documented examples (the Signature Version 4 test suite's
 * get-vanilla family and the IAM ListUsers walk-through, values typed in
 * as data), canonicalisation rules, and every verifier error with AWS's
 * name and message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>
#include <pthread.h>

#include "ssm/ssm.h"
#include "core/alloc.h"
#include "core/error.h"
#include "core/sigv4.h"
#include "core/str.h"

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define EMPTY_HASH \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define T0 1440938160000 /* 20150830T123600Z */

static const ssm_sigv4_credentials creds = { AKID, SECRET, NULL };

static void assert_auth_error(const char *service, const char *message)
{
	const ssm_error *e = ssm_error_last();

	assert_int_equal(SSM_EAUTH, e->code);
	assert_int_equal(SSM_ERRCLASS_API, e->klass);
	assert_non_null(e->service_code);
	assert_string_equal(service, e->service_code);
	assert_string_equal(message, e->message);
	/* the secret never shows */
	assert_null(strstr(e->message, SECRET));
	assert_null(strstr(e->message, "K7MDENG"));
}

struct doc_example {
	const char *name, *method, *host, *query, *content_type, *body;
	const char *service, *canonical, *string_to_sign, *signature;
};

/* AWS's published examples: request, canonical request, string to sign and
 * signature, all with the credentials above at 20150830T123600Z. */
static const struct doc_example examples[] = {
	{ "get-vanilla", "GET", "example.amazonaws.com", "", NULL, "",
	  "service",
	  "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n"
	  "\nhost;x-amz-date\n" EMPTY_HASH,
	  "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/"
	  "aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1"
	  "c25292927e63",
	  "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
	{ "post-vanilla", "POST", "example.amazonaws.com", "", NULL, "",
	  "service",
	  "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z"
	  "\n\nhost;x-amz-date\n" EMPTY_HASH,
	  NULL,
	  "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b" },
	{ "get-vanilla-query-order-key", "GET", "example.amazonaws.com",
	  "Param2=value2&Param1=value1", NULL, "", "service",
	  "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\n"
	  "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" EMPTY_HASH,
	  NULL,
	  "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500" },
	{ "post-x-www-form-urlencoded", "POST", "example.amazonaws.com", "",
	  "application/x-www-form-urlencoded", "Param1=value1", "service",
	  "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:"
	  "example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;"
	  "host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106"
	  "275f4c7b24d0b6e",
	  NULL,
	  "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a" },
	{ "iam-list-users", "GET", "iam.amazonaws.com",
	  "Action=ListUsers&Version=2010-05-08",
	  "application/x-www-form-urlencoded; charset=utf-8", "", "iam",
	  "GET\n/\nAction=ListUsers&Version=2010-05-08\ncontent-type:"
	  "application/x-www-form-urlencoded; charset=utf-8\nhost:"
	  "iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;"
	  "host;x-amz-date\n" EMPTY_HASH,
	  "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/"
	  "aws4_request\nf536975d06c0309214f805bb90ccff089219ecd68b2577efef23"
	  "edd43b7e1a59",
	  "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7" },
};

static void aws_documented_examples_sign_exactly(void **state)
{
	size_t i;
	char expect[512];

	(void)state;
	for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		const struct doc_example *x = &examples[i];
		ssm_sigv4_header h = { "Content-Type", x->content_type };
		ssm_sigv4_request req = {
			.method = x->method,
			.host = x->host,
			.path = "/",
			.query = x->query,
			.headers = &h,
			.nheaders = x->content_type ? 1 : 0,
			.payload = x->body,
			.payload_len = strlen(x->body),
			.amz_date = "20150830T123600Z",
			.region = "us-east-1",
			.service = x->service,
		};
		ssm_sigv4_signed s = SSM_SIGV4_SIGNED_INIT;

		print_message("example %s\n", x->name);
		assert_int_equal(SSM_OK,
				 ssm_sigv4_sign(&s, &req, &creds, NULL));
		assert_string_equal(x->canonical, s.canonical_request.ptr);
		if (x->string_to_sign)
			assert_string_equal(x->string_to_sign,
					    s.string_to_sign.ptr);
		assert_string_equal(x->signature, s.signature);
		snprintf(expect, sizeof(expect),
			 "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/"
			 "us-east-1/%s/aws4_request, SignedHeaders=%s, "
			 "Signature=%s",
			 x->service, s.signed_headers.ptr, x->signature);
		assert_string_equal(expect, s.authorization.ptr);
		ssm_sigv4_signed_dispose(&s);
		ssm_sigv4_signed_dispose(&s);
	}
}

static void signing_keys_match_the_documentation(void **state)
{
	uint8_t key[32], again[32];
	char hex[65];
	ssm_sigv4_cache *cache = NULL;
	size_t i;

	(void)state;
	assert_int_equal(SSM_OK, ssm_sigv4_cache_new(&cache));
	assert_int_equal(SSM_OK,
			 ssm_sigv4_signing_key(key, NULL, SECRET, "20150830",
					       "us-east-1", "iam"));
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	assert_string_equal("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e"
			    "86da6ed3c154a4b9",
			    hex);
	assert_int_equal(SSM_OK,
			 ssm_sigv4_signing_key(key, NULL, SECRET, "20120215",
					       "us-east-1", "iam"));
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	assert_string_equal("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1"
			    "a9e090d414db404d",
			    hex);
	/* cached: the same key, twice; other scopes do not collide */
	for (i = 0; i < 2; i++) {
		assert_int_equal(SSM_OK,
				 ssm_sigv4_signing_key(again, cache, SECRET,
						       "20120215", "us-east-1",
						       "iam"));
		assert_memory_equal(key, again, 32);
	}
	assert_int_equal(SSM_OK,
			 ssm_sigv4_signing_key(again, cache, SECRET, "20120215",
					       "us-east-2", "iam"));
	assert_memory_not_equal(key, again, 32);
	assert_int_equal(SSM_OK,
			 ssm_sigv4_signing_key(again, cache, SECRET "x",
					       "20120215", "us-east-1", "iam"));
	assert_memory_not_equal(key, again, 32);
	/* more scopes than slots: evicted ones are derived again */
	for (i = 0; i < 40; i++) {
		char region[16];

		snprintf(region, sizeof(region), "r-%zu", i);
		assert_int_equal(SSM_OK, ssm_sigv4_signing_key(
						 again, cache, SECRET,
						 "20120215", region, "iam"));
	}
	assert_int_equal(SSM_OK,
			 ssm_sigv4_signing_key(again, cache, SECRET, "20120215",
					       "us-east-1", "iam"));
	assert_memory_equal(key, again, 32);
	ssm_sigv4_cache_free(cache);
	ssm_sigv4_cache_free(NULL);
}

static void signing_key_refuses_an_overlong_secret(void **state)
{
	char secret[SSM_SIGV4_SECRET_MAX + 2];
	uint8_t key[32];

	(void)state;
	memset(secret, 'S', sizeof(secret) - 1);
	secret[sizeof(secret) - 1] = '\0';
	assert_int_equal(SSM_EINVALID,
			 ssm_sigv4_signing_key(key, NULL, secret, "20150830",
					       "us-east-1", "ssm"));
	assert_string_equal("secret access key is longer than 256 bytes",
			    ssm_error_last()->message);
	assert_null(strstr(ssm_error_last()->message, "SSSS"));
	secret[SSM_SIGV4_SECRET_MAX] = '\0';
	assert_int_equal(SSM_OK,
			 ssm_sigv4_signing_key(key, NULL, secret, "20150830",
					       "us-east-1", "ssm"));
}

/* An SSM-shaped request: POST / with the JSON 1.1 headers. */
static ssm_err sign_ssm(ssm_sigv4_signed *out, const char *host,
			const ssm_sigv4_header *extra, size_t nextra,
			const char *body, const ssm_sigv4_credentials *c)
{
	ssm_sigv4_header h[8] = {
		{ "Content-Type", "application/x-amz-json-1.1" },
		{ "X-Amz-Target", "AmazonSSM.GetParameter" },
	};
	ssm_sigv4_request req = {
		.method = "POST",
		.host = host,
		.path = "/",
		.headers = h,
		.nheaders = 2 + nextra,
		.payload = body,
		.payload_len = strlen(body),
		.amz_date = "20150830T123600Z",
		.region = "us-west-2",
		.service = "ssm",
	};

	if (nextra)
		memcpy(h + 2, extra, nextra * sizeof(*extra));
	return ssm_sigv4_sign(out, &req, c, NULL);
}

static void headers_are_lowered_sorted_trimmed_and_joined(void **state)
{
	static const ssm_sigv4_header extra[] = {
		{ "X-Custom", "  a   b \t c  " },
		{ "x-custom", "second" },
		{ "ACCEPT", "\t*/*" },
	};
	ssm_sigv4_credentials tc = { AKID, SECRET, "session+token/=" };
	ssm_sigv4_signed s = SSM_SIGV4_SIGNED_INIT;

	(void)state;
	assert_int_equal(SSM_OK,
			 sign_ssm(&s, "127.0.0.1:8080", extra, 3, "{}", &tc));
	assert_string_equal(
		"POST\n/\n\naccept:*/*\ncontent-type:application/x-amz-json-1.1"
		"\nhost:127.0.0.1:8080\nx-amz-date:20150830T123600Z\n"
		"x-amz-security-token:session+token/=\nx-amz-target:AmazonSSM."
		"GetParameter\nx-custom:a b "
		"c,second\n\naccept;content-type;host;"
		"x-amz-date;x-amz-security-token;x-amz-target;x-custom\n"
		"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff"
		"8a",
		s.canonical_request.ptr);
	assert_string_equal("accept;content-type;host;x-amz-date;x-amz-"
			    "security-token;x-amz-target;x-custom",
			    s.signed_headers.ptr);
	assert_non_null(strstr(s.authorization.ptr,
			       "Credential=AKIDEXAMPLE/20150830/us-west-2/ssm/"
			       "aws4_request, SignedHeaders=accept;"));
	ssm_sigv4_signed_dispose(&s);
}

static void given_host_and_date_headers_must_agree(void **state)
{
	ssm_sigv4_header same[] = { { "Host", "example.com" },
				    { "X-Amz-Date", "20150830T123600Z" } };
	ssm_sigv4_header other = { "host", "other.example.com" };
	ssm_sigv4_header date = { "x-amz-date", "20150830T123601Z" };
	ssm_sigv4_header token = { "x-amz-security-token", "b" };
	ssm_sigv4_header authz = { "Authorization", "x" };
	ssm_sigv4_credentials tc = { AKID, SECRET, "a" };
	ssm_sigv4_signed a = SSM_SIGV4_SIGNED_INIT, b = SSM_SIGV4_SIGNED_INIT;

	(void)state;
	assert_int_equal(SSM_OK,
			 sign_ssm(&a, "example.com", NULL, 0, "", &creds));
	assert_int_equal(SSM_OK,
			 sign_ssm(&b, "example.com", same, 2, "", &creds));
	assert_string_equal(a.authorization.ptr, b.authorization.ptr);
	ssm_sigv4_signed_dispose(&a);
	ssm_sigv4_signed_dispose(&b);
	assert_int_equal(SSM_EINVALID,
			 sign_ssm(&a, "example.com", &other, 1, "", &creds));
	assert_string_equal("header 'host' to sign contradicts the request's "
			    "host",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 sign_ssm(&a, "example.com", &date, 1, "", &creds));
	assert_string_equal("header 'x-amz-date' to sign contradicts the "
			    "request's amz date",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 sign_ssm(&a, "example.com", &token, 1, "", &tc));
	assert_string_equal("header 'x-amz-security-token' to sign "
			    "contradicts the request's session token",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 sign_ssm(&a, "example.com", &authz, 1, "", &creds));
	assert_string_equal("header 'authorization' cannot be signed",
			    ssm_error_last()->message);
	assert_null(a.authorization.ptr);
}

static void sign_rejects_bad_arguments(void **state)
{
	ssm_sigv4_header bad_name = { "X Bad", "v" };
	ssm_sigv4_header bad_value = { "x-bad", "a\r\nInjected: yes" };
	ssm_sigv4_header no_value = { "x-bad", NULL };
	ssm_sigv4_credentials slash = { "AK/ID", SECRET, NULL };
	ssm_sigv4_credentials empty = { "", SECRET, NULL };
	ssm_sigv4_credentials tok = { AKID, SECRET, "a\nb" };
	ssm_sigv4_signed s = SSM_SIGV4_SIGNED_INIT;
	ssm_sigv4_request req = {
		.method = "POST",
		.host = "h",
		.amz_date = "20150830T123600Z",
		.region = "r",
		.service = "ssm",
	};

	(void)state;
	assert_int_equal(SSM_EINVALID,
			 sign_ssm(&s, "ex ample", NULL, 0, "", &creds));
	assert_string_equal("sigv4 host contains spaces or control characters",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, sign_ssm(&s, "", NULL, 0, "", &creds));
	assert_string_equal("sigv4 host is empty", ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 sign_ssm(&s, "h", &bad_name, 1, "", &creds));
	assert_string_equal("header 'X Bad' to sign has a bad name or control "
			    "characters in its value",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 sign_ssm(&s, "h", &bad_value, 1, "", &creds));
	assert_int_equal(SSM_EINVALID,
			 sign_ssm(&s, "h", &no_value, 1, "", &creds));
	assert_string_equal("header 2 to sign has no name or value",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, sign_ssm(&s, "h", NULL, 0, "", &slash));
	assert_string_equal("region, service and access key id cannot contain "
			    "'/'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, sign_ssm(&s, "h", NULL, 0, "", &empty));
	assert_string_equal("sigv4 access key id is empty",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, sign_ssm(&s, "h", NULL, 0, "", &tok));
	assert_string_equal("session token contains control characters",
			    ssm_error_last()->message);
	req.amz_date = "2015-08-30T12:36:00Z";
	assert_int_equal(SSM_EINVALID, ssm_sigv4_sign(&s, &req, &creds, NULL));
	assert_string_equal("invalid amz date '2015-08-30T12:36:00Z'",
			    ssm_error_last()->message);
	req.amz_date = "20150830T123600Z";
	req.method = NULL;
	assert_int_equal(SSM_EINVALID, ssm_sigv4_sign(&s, &req, &creds, NULL));
	assert_string_equal("invalid argument: 'req->method'",
			    ssm_error_last()->message);
	req.method = "POST";
	assert_int_equal(SSM_EINVALID, ssm_sigv4_sign(&s, &req, NULL, NULL));
	assert_int_equal(SSM_EINVALID,
			 ssm_sigv4_sign(NULL, &req, &creds, NULL));
	assert_int_equal(SSM_OK, ssm_sigv4_sign(&s, &req, &creds, NULL));
	ssm_sigv4_signed_dispose(&s);
	ssm_sigv4_signed_dispose(NULL);
}

static void canonical_uri_normalises_and_encodes_twice(void **state)
{
	static const char *const v[][2] = {
		{ "/", "/" },
		{ "", "/" },
		{ "//", "/" },
		{ "/a//b", "/a/b" },
		{ "/a/./b/../c", "/a/c" },
		{ "/..", "/" },
		{ "/../a/", "/a/" },
		{ "/a/b/", "/a/b/" },
		{ "/example space/", "/example%20space/" },
		{ "/%20/x", "/%2520/x" },
		{ "/v1/data-channel/alice-0123456789abcdef0",
		  "/v1/data-channel/alice-0123456789abcdef0" },
		{ "/~user/a+b=c", "/~user/a%2Bb%3Dc" },
		{ "relative/x", "relative/x" },
	};
	ssm_str s = SSM_STR_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ssm_str_clear(&s);
		assert_int_equal(SSM_OK, ssm_sigv4_canonical_uri(&s, v[i][0]));
		assert_string_equal(v[i][1], s.ptr);
	}
	ssm_str_clear(&s);
	assert_int_equal(SSM_OK, ssm_sigv4_canonical_uri(&s, NULL));
	assert_string_equal("/", s.ptr);
	ssm_str_dispose(&s);
}

static void canonical_query_sorts_and_reencodes(void **state)
{
	static const char *const v[][2] = {
		{ "", "" },
		{ "b=2&a=1", "a=1&b=2" },
		{ "a=2&a=1&a=10", "a=1&a=10&a=2" },
		{ "flag", "flag=" },
		{ "a=", "a=" },
		{ "&&a=1&", "a=1" },
		{ "q=b c", "q=b%20c" },
		{ "q=b%20c", "q=b%20c" },
		{ "%41=%7e", "A=~" },
		{ "x=%2f&x=%2F", "x=%2F&x=%2F" },
		{ "role=publish_subscribe&cell-number=1",
		  "cell-number=1&role=publish_subscribe" },
		{ "B=1&a=1&_=1", "B=1&_=1&a=1" },
		{ "k=a=b", "k=a%3Db" },
	};
	ssm_str s = SSM_STR_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ssm_str_clear(&s);
		assert_int_equal(SSM_OK,
				 ssm_sigv4_canonical_query(&s, v[i][0]));
		assert_string_equal(v[i][1], ssm_str_cstr(&s));
	}
	assert_int_equal(SSM_OK, ssm_sigv4_canonical_query(&s, NULL));
	assert_int_equal(SSM_EINVALID, ssm_sigv4_canonical_query(&s, "a=%zz"));
	assert_string_equal("invalid percent-encoding at offset 0",
			    ssm_error_last()->message);
	ssm_str_dispose(&s);
}

static void canonical_values_collapse_spaces(void **state)
{
	static const char *const v[][2] = {
		{ "plain", "plain" },
		{ "  lead", "lead" },
		{ "trail \t ", "trail" },
		{ "a    b", "a b" },
		{ "a\t\tb  \t c", "a b c" },
		{ "\"a   b\"", "\"a b\"" },
		{ "   ", "" },
		{ "", "" },
	};
	ssm_str s = SSM_STR_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ssm_str_clear(&s);
		assert_int_equal(SSM_OK,
				 ssm_sigv4_canonical_value(&s, v[i][0]));
		assert_string_equal(v[i][1], ssm_str_cstr(&s));
	}
	ssm_str_dispose(&s);
}

static void sign_survives_allocation_failures(void **state)
{
	static const ssm_sigv4_header extra[] = { { "X-Custom", "a  b" } };
	ssm_sigv4_signed s = SSM_SIGV4_SIGNED_INIT, ref = SSM_SIGV4_SIGNED_INIT;
	ssm_sigv4_credentials tc = { AKID, SECRET, "tok" };
	uint64_t nth;
	ssm_err error;

	(void)state;
	assert_int_equal(SSM_OK, sign_ssm(&ref, "h:1", extra, 1, "{}", &tc));
	for (nth = 1;; nth++) {
		ssm__alloc_fail_at(nth, false);
		error = sign_ssm(&s, "h:1", extra, 1, "{}", &tc);
		ssm__alloc_fail_at(0, false);
		if (error == SSM_OK)
			break;
		assert_int_equal(SSM_ERROR, error);
		assert_string_equal("out of memory", ssm_error_last()->message);
		assert_null(s.authorization.ptr);
		assert_null(s.canonical_request.ptr);
	}
	assert_true(nth > 5);
	assert_string_equal(ref.authorization.ptr, s.authorization.ptr);
	ssm_sigv4_signed_dispose(&s);
	ssm_sigv4_signed_dispose(&ref);
}

static void parse_authorization_accepts_any_separators(void **state)
{
	static const char *const forms[] = {
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/"
		"ssm/aws4_request, SignedHeaders=content-type;host;x-amz-date, "
		"Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b"
		"5924a6f2b5d7",
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/"
		"ssm/aws4_request,SignedHeaders=content-type;host;x-amz-date,"
		"Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b"
		"5924a6f2b5d7",
		"  AWS4-HMAC-SHA256   "
		"Credential=AKIDEXAMPLE/20150830/us-east-1/"
		"ssm/aws4_request SignedHeaders=Content-Type;Host;X-Amz-Date  "
		"Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b"
		"5924a6f2b5d7, Extra=ignored ",
	};
	ssm_sigv4_auth a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		assert_int_equal(SSM_OK,
				 ssm_sigv4_parse_authorization(&a, forms[i]));
		assert_string_equal("AKIDEXAMPLE", a.access_key_id);
		assert_string_equal("20150830", a.date);
		assert_string_equal("us-east-1", a.region);
		assert_string_equal("ssm", a.service);
		assert_string_equal("aws4_request", a.terminator);
		assert_string_equal("content-type;host;x-amz-date",
				    a.signed_headers);
		assert_string_equal("5d672d79c15b13162d9279b0855cfba6789a8edb4c"
				    "82c400e06b5924a6f2b5d7",
				    a.signature);
	}
	/* a signature of another length is kept as "": it never matches */
	assert_int_equal(SSM_OK,
			 ssm_sigv4_parse_authorization(
				 &a, "AWS4-HMAC-SHA256 Credential=A/"
				     "20150830/r/s/aws4_request, "
				     "SignedHeaders=host, Signature=ab"));
	assert_string_equal("", a.signature);
}

static void parse_authorization_errors_are_aws_errors(void **state)
{
	static const struct {
		const char *value, *message;
	} v[] = {
		{ "AWS4-HMAC-SHA512 Credential=a",
		  "Unsupported AWS 'algorithm': "
		  "'AWS4-HMAC-SHA512'." },
		{ "Bearer abc", "Unsupported AWS 'algorithm': 'Bearer'." },
		{ "AWS4-HMAC-SHA256",
		  "Authorization header requires 'Credential' parameter. "
		  "Authorization header requires 'Signature' parameter. "
		  "Authorization header requires 'SignedHeaders' parameter." },
		{ "AWS4-HMAC-SHA256 Credential=A/20150830/r/s/aws4_request, "
		  "SignedHeaders=host",
		  "Authorization header requires 'Signature' parameter." },
		{ "AWS4-HMAC-SHA256 Credential=A/20150830/r/s/aws4_request, "
		  "Signature=00",
		  "Authorization header requires 'SignedHeaders' parameter." },
		{ "AWS4-HMAC-SHA256 Credential=A/20150830/r/s/aws4_request, "
		  "Bogus, Signature=00",
		  "Invalid key=value pair (missing equal-sign) in "
		  "Authorization "
		  "header (hashed with SHA-256 and encoded with Base64): "
		  "'kaIfb6LvTSQ2LVRe4DAEVSkq5epaDr2fVMzeOI3hcJQ='." },
		{ "AWS4-HMAC-SHA256 Credential=A/20150830/r/s, "
		  "SignedHeaders=h, "
		  "Signature=00",
		  "Credential must have exactly 5 slash-delimited elements, "
		  "e.g. "
		  "keyid/date/region/service/term, got 'A/20150830/r/s'" },
		{ "AWS4-HMAC-SHA256 Credential=A/20150830//s/aws4_request",
		  "Credential must have exactly 5 slash-delimited elements, "
		  "e.g. "
		  "keyid/date/region/service/term, got "
		  "'A/20150830//s/aws4_request'" },
		{ "AWS4-HMAC-SHA256 Credential=A/b/c/d/e/f",
		  "Credential must have exactly 5 slash-delimited elements, "
		  "e.g. "
		  "keyid/date/region/service/term, got 'A/b/c/d/e/f'" },
		{ "AWS4-HMAC-SHA256 Credential=A/201508300/r/s/aws4_request",
		  "an element of the Authorization Credential is too long" },
		{ "AWS4-HMAC-SHA256 SignedHeaders=host;;x-amz-date",
		  "invalid Authorization SignedHeaders 'host;;x-amz-date'" },
		{ "AWS4-HMAC-SHA256 SignedHeaders=",
		  "invalid Authorization SignedHeaders ''" },
		{ "AWS4-HMAC-SHA256 SignedHeaders=host;",
		  "invalid Authorization SignedHeaders 'host;'" },
		{ "AWS4-HMAC-SHA256 SignedHeaders=ho\"st",
		  "invalid Authorization SignedHeaders 'ho\"st'" },
		{ "AWS4-HMAC-SHA256 Signature=1, Signature=2",
		  "Authorization header has 'Signature' twice" },
	};
	char big[SSM_SIGV4_SIGNED_HEADERS_MAX + 64];
	ssm_sigv4_auth a;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(SSM_EAUTH,
				 ssm_sigv4_parse_authorization(&a, v[i].value));
		assert_auth_error(SSM_SIGV4_E_INCOMPLETE, v[i].message);
	}
	snprintf(big, sizeof(big), "AWS4-HMAC-SHA256 SignedHeaders=");
	n = strlen(big);
	memset(big + n, 'a', SSM_SIGV4_SIGNED_HEADERS_MAX + 1);
	big[n + SSM_SIGV4_SIGNED_HEADERS_MAX + 1] = '\0';
	assert_int_equal(SSM_EAUTH, ssm_sigv4_parse_authorization(&a, big));
	assert_auth_error(SSM_SIGV4_E_INCOMPLETE,
			  "Authorization SignedHeaders is longer than 2048 "
			  "characters");
}

/* A received request for the verifier: headers looked up by lower-case
 * name, as an HTTP server would hand them over. */
struct received {
	const char *names[16];
	const char *values[16];
	size_t n;
	const char *secret; /* of AKID; NULL: unknown */
	ssm_err secret_rc;  /* forced callback result when not SSM_OK */
	const char *token_seen;
	int secret_calls;
};

static const char *lookup(const char *name, void *payload)
{
	struct received *r = payload;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcasecmp(r->names[i], name))
			return r->values[i];
	return NULL;
}

static void set_header(struct received *r, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcasecmp(r->names[i], name))
			break;
	if (i == r->n && value)
		r->n++;
	if (!value) {
		if (i < r->n) {
			r->names[i] = r->names[r->n - 1];
			r->values[i] = r->values[r->n - 1];
			r->n--;
		}
		return;
	}
	r->names[i] = name;
	r->values[i] = value;
}

static ssm_err find_secret(char *secret_out, size_t secret_size,
			   const char *akid, const char *token, void *payload)
{
	struct received *r = payload;

	r->secret_calls++;
	r->token_seen = token;
	if (r->secret_rc != SSM_OK)
		return ssm_error__set(r->secret_rc, SSM_ERRCLASS_SERVER,
				      "ExpiredTokenException",
				      "The security token included in the "
				      "request is expired");
	if (!r->secret || strcmp(akid, AKID) != 0)
		return SSM_ENOTFOUND;
	snprintf(secret_out, secret_size, "%s", r->secret);
	return SSM_OK;
}

struct fixture {
	ssm_sigv4_signed s;
	struct received r;
	ssm_sigv4_verify_params p;
	ssm_sigv4_identity id;
	char body[64];
};

static int setup(void **state)
{
	static struct fixture f;
	const char *body = "{\"Name\":\"/app/db\"}";

	memset(&f, 0, sizeof(f));
	snprintf(f.body, sizeof(f.body), "%s", body);
	if (sign_ssm(&f.s, "127.0.0.1:8080", NULL, 0, f.body, &creds) != SSM_OK)
		return -1;
	set_header(&f.r, "Host", "127.0.0.1:8080");
	set_header(&f.r, "Content-Type", "application/x-amz-json-1.1");
	set_header(&f.r, "X-Amz-Target", "AmazonSSM.GetParameter");
	set_header(&f.r, "X-Amz-Date", "20150830T123600Z");
	set_header(&f.r, "Authorization", f.s.authorization.ptr);
	set_header(&f.r, "User-Agent", "aws-cli/2.9.19"); /* not signed */
	f.r.secret = SECRET;
	f.p.method = "POST";
	f.p.path = "/";
	f.p.body = f.body;
	f.p.body_len = strlen(f.body);
	f.p.header_cb = lookup;
	f.p.header_payload = &f.r;
	f.p.secret_cb = find_secret;
	f.p.secret_payload = &f.r;
	f.p.service = "ssm";
	f.p.now_ms = T0 + 1234;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ssm_sigv4_signed_dispose(&f->s);
	return 0;
}

static void verify_accepts_what_sign_made(void **state)
{
	struct fixture *f = *state;
	char padded[512];

	assert_int_equal(SSM_OK, ssm_sigv4_verify(&f->id, &f->p));
	assert_string_equal(AKID, f->id.access_key_id);
	assert_string_equal("us-west-2", f->id.region);
	assert_string_equal("ssm", f->id.service);
	assert_int_equal(T0, f->id.request_ms);
	assert_false(f->id.session_token);
	assert_null(f->r.token_seen);
	assert_int_equal(1, f->r.secret_calls);
	/* a required region that matches; the edges of the skew window */
	f->p.region = "us-west-2";
	f->p.now_ms = T0 + SSM_SIGV4_DEFAULT_SKEW_MS;
	assert_int_equal(SSM_OK, ssm_sigv4_verify(&f->id, &f->p));
	f->p.now_ms = T0 - SSM_SIGV4_DEFAULT_SKEW_MS;
	assert_int_equal(SSM_OK, ssm_sigv4_verify(&f->id, &f->p));
	/* Authorization with extra leading spaces */
	snprintf(padded, sizeof(padded), "  %s", f->s.authorization.ptr);
	set_header(&f->r, "Authorization", padded);
	assert_int_equal(SSM_OK, ssm_sigv4_verify(&f->id, &f->p));
}

static void verify_with_a_session_token_and_a_cache(void **state)
{
	struct fixture *f = *state;
	ssm_sigv4_credentials tc = { AKID, SECRET, "FwoGZXIvYXdzE//token" };
	ssm_sigv4_signed s = SSM_SIGV4_SIGNED_INIT;
	ssm_sigv4_cache *cache = NULL;
	int i;

	assert_int_equal(SSM_OK, ssm_sigv4_cache_new(&cache));
	assert_int_equal(SSM_OK,
			 sign_ssm(&s, "127.0.0.1:8080", NULL, 0, f->body, &tc));
	set_header(&f->r, "Authorization", s.authorization.ptr);
	set_header(&f->r, "X-Amz-Security-Token", "FwoGZXIvYXdzE//token");
	f->p.cache = cache;
	for (i = 0; i < 3; i++) {
		assert_int_equal(SSM_OK, ssm_sigv4_verify(&f->id, &f->p));
		assert_true(f->id.session_token);
		assert_string_equal("FwoGZXIvYXdzE//token", f->r.token_seen);
	}
	/* a changed token breaks the signature */
	set_header(&f->r, "X-Amz-Security-Token", "FwoGZXIvYXdzE//tokeN");
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_SIGNATURE, SSM_SIGV4_MISMATCH_MESSAGE);
	/* a token the client did not sign */
	set_header(&f->r, "Authorization", f->s.authorization.ptr);
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_INCOMPLETE,
			  "'X-Amz-Security-Token' must be a 'SignedHeader' in "
			  "the AWS Authorization.");
	ssm_sigv4_signed_dispose(&s);
	ssm_sigv4_cache_free(cache);
}

static void verify_without_authorization_is_missing_token(void **state)
{
	struct fixture *f = *state;

	set_header(&f->r, "Authorization", NULL);
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_MISSING, "Missing Authentication Token");
	set_header(&f->r, "Authorization", "   ");
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_MISSING, "Missing Authentication Token");
	assert_int_equal(0, f->r.secret_calls);
}

static void verify_names_missing_date_and_parameters(void **state)
{
	struct fixture *f = *state;

	set_header(&f->r, "X-Amz-Date", NULL);
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_INCOMPLETE,
			  "Authorization header requires existence of either "
			  "a 'X-Amz-Date' or a 'Date' header.");
	set_header(&f->r, "Authorization",
		   "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/"
		   "ssm/aws4_request");
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_INCOMPLETE,
			  "Authorization header requires 'Signature' "
			  "parameter. Authorization header requires "
			  "'SignedHeaders' parameter. Authorization header "
			  "requires existence of either a 'X-Amz-Date' or a "
			  "'Date' header.");
	set_header(&f->r, "X-Amz-Date", "2015-08-30T12:36:00Z");
	set_header(&f->r, "Authorization", f->s.authorization.ptr);
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_INCOMPLETE,
			  "Date must be in ISO-8601 'basic format'. Got "
			  "'2015-08-30T12:36:00Z'. See "
			  "http://en.wikipedia.org/wiki/ISO_8601");
	set_header(&f->r, "Authorization", "AWS4-HMAC-SHA256 Credential=x");
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_INCOMPLETE,
			  "Credential must have exactly 5 slash-delimited "
			  "elements, e.g. keyid/date/region/service/term, got "
			  "'x'");
	assert_int_equal(0, f->r.secret_calls);
}

static void verify_requires_host_and_date_to_be_signed(void **state)
{
	struct fixture *f = *state;
	char authz[512];

	snprintf(authz, sizeof(authz),
		 "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/"
		 "ssm/aws4_request, SignedHeaders=content-type;x-amz-date, "
		 "Signature=%s",
		 f->s.signature);
	set_header(&f->r, "Authorization", authz);
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_INCOMPLETE,
			  "'Host' or ':authority' must be a 'SignedHeader' in "
			  "the AWS Authorization.");
	snprintf(authz, sizeof(authz),
		 "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/"
		 "ssm/aws4_request, SignedHeaders=content-type;host, "
		 "Signature=%s",
		 f->s.signature);
	set_header(&f->r, "Authorization", authz);
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_INCOMPLETE,
			  "'X-Amz-Date' must be a 'SignedHeader' in the AWS "
			  "Authorization.");
	/* signed, but not in the request */
	snprintf(authz, sizeof(authz),
		 "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/"
		 "ssm/aws4_request, SignedHeaders=content-type;host;x-amz-date;"
		 "x-amz-target;x-extra, Signature=%s",
		 f->s.signature);
	set_header(&f->r, "Authorization", authz);
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_INCOMPLETE,
			  "signed header 'x-extra' is missing from the "
			  "request");
	assert_int_equal(0, f->r.secret_calls);
}

static void verify_checks_the_credential_scope(void **state)
{
	struct fixture *f = *state;

	f->p.service = "ec2messages";
	f->p.region = "eu-west-1";
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_SIGNATURE,
			  "Credential should be scoped to a valid region, not "
			  "'us-west-2'. Credential should be scoped to correct "
			  "service: 'ec2messages'.");
	f->p.service = "ssm";
	f->p.region = NULL;
	set_header(&f->r, "Authorization",
		   "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150831/us-west-2/"
		   "ssm/aws5_request, SignedHeaders=host;x-amz-date, "
		   "Signature=00");
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_SIGNATURE,
			  "Credential should be scoped with a valid "
			  "terminator: 'aws4_request', not 'aws5_request'. "
			  "Date in Credential scope does not match YYYYMMDD "
			  "from ISO-8601 version of date from HTTP: '20150831' "
			  "!= '20150830', from '20150830T123600Z'.");
	set_header(&f->r, "Authorization",
		   "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/2015083/us-west-2/"
		   "ssm/aws4_request, SignedHeaders=host;x-amz-date, "
		   "Signature=00");
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_SIGNATURE,
			  "Date in Credential scope does not match YYYYMMDD "
			  "from ISO-8601 version of date from HTTP: '2015083' "
			  "!= '20150830', from '20150830T123600Z'.");
	assert_int_equal(0, f->r.secret_calls);
}

static void verify_refuses_skewed_clocks(void **state)
{
	struct fixture *f = *state;

	f->p.now_ms = T0 + 6 * 60 * 1000;
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_SIGNATURE,
			  "Signature expired: 20150830T123600Z is now earlier "
			  "than 20150830T123700Z (20150830T124200Z - 5 min.)");
	f->p.now_ms = T0 + SSM_SIGV4_DEFAULT_SKEW_MS + 1000;
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	f->p.now_ms = T0 - 6 * 60 * 1000;
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_SIGNATURE,
			  "Signature not yet current: 20150830T123600Z is "
			  "still later than 20150830T123500Z (20150830T123000Z "
			  "+ 5 min.)");
	/* a wider window, e.g. the 15 minutes of issue 7 */
	f->p.max_skew_ms = 15 * 60 * 1000;
	assert_int_equal(SSM_OK, ssm_sigv4_verify(&f->id, &f->p));
	f->p.now_ms = T0 + 20 * 60 * 1000;
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_SIGNATURE,
			  "Signature expired: 20150830T123600Z is now earlier "
			  "than 20150830T124100Z (20150830T125600Z - 15 min.)");
	f->p.max_skew_ms = 90 * 1000;
	f->p.now_ms = T0 + 100 * 1000;
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_SIGNATURE,
			  "Signature expired: 20150830T123600Z is now earlier "
			  "than 20150830T123610Z (20150830T123740Z - 90 sec.)");
	/* only the accepted request cost a secret lookup */
	assert_int_equal(1, f->r.secret_calls);
}

static void verify_unknown_key_is_unrecognized_client(void **state)
{
	struct fixture *f = *state;

	f->r.secret = NULL;
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_CLIENT, "The security token included "
					      "in the request is invalid.");
	/* other callback failures pass through untouched */
	f->r.secret_rc = SSM_EAUTH;
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_string_equal("ExpiredTokenException",
			    ssm_error_last()->service_code);
	assert_int_equal(SSM_ERRCLASS_SERVER, ssm_error_last()->klass);
	f->r.secret_rc = SSM_ERROR;
	assert_int_equal(SSM_ERROR, ssm_sigv4_verify(&f->id, &f->p));
}

static void verify_detects_any_change(void **state)
{
	struct fixture *f = *state;
	char authz[512], sig[65];

	/* wrong secret */
	f->r.secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEz";
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_SIGNATURE, SSM_SIGV4_MISMATCH_MESSAGE);
	f->r.secret = SECRET;
	/* body */
	f->body[2] = 'n';
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_SIGNATURE, SSM_SIGV4_MISMATCH_MESSAGE);
	f->body[2] = 'N';
	f->p.body_len--;
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	f->p.body_len++;
	/* a signed header, the host's port, method, path, query */
	set_header(&f->r, "X-Amz-Target", "AmazonSSM.PutParameter");
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	set_header(&f->r, "X-Amz-Target", "AmazonSSM.GetParameter");
	set_header(&f->r, "Host", "127.0.0.1:8081");
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	set_header(&f->r, "Host", "127.0.0.1:8080");
	f->p.method = "PUT";
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	f->p.method = "POST";
	f->p.path = "/x";
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	f->p.path = NULL; /* same as "/" */
	f->p.query = "a=1";
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	f->p.query = "a=%z1";
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_SIGNATURE,
			  "invalid percent-encoding in the query string");
	f->p.query = "";
	/* unsigned headers may change freely; values are canonicalised */
	set_header(&f->r, "User-Agent", "something else");
	set_header(&f->r, "Content-Type", "  application/x-amz-json-1.1 ");
	assert_int_equal(SSM_OK, ssm_sigv4_verify(&f->id, &f->p));
	/* the signature itself: one digit, upper case, short */
	snprintf(sig, sizeof(sig), "%s", f->s.signature);
	sig[63] = sig[63] == '0' ? '1' : '0';
	snprintf(authz, sizeof(authz),
		 "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/"
		 "ssm/aws4_request, SignedHeaders=content-type;host;x-amz-date;"
		 "x-amz-target, Signature=%s",
		 sig);
	set_header(&f->r, "Authorization", authz);
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_SIGNATURE, SSM_SIGV4_MISMATCH_MESSAGE);
	snprintf(authz, sizeof(authz),
		 "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/"
		 "ssm/aws4_request, SignedHeaders=content-type;host;x-amz-date;"
		 "x-amz-target, Signature=%.63s",
		 f->s.signature);
	set_header(&f->r, "Authorization", authz);
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_SIGNATURE, SSM_SIGV4_MISMATCH_MESSAGE);
	/* the same signature with SignedHeaders in another case is fine */
	snprintf(authz, sizeof(authz),
		 "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-west-2/"
		 "ssm/aws4_request, SignedHeaders=Content-Type;Host;X-Amz-Date;"
		 "X-Amz-Target, Signature=%s",
		 f->s.signature);
	set_header(&f->r, "Authorization", authz);
	assert_int_equal(SSM_OK, ssm_sigv4_verify(&f->id, &f->p));
}

static void verify_checks_a_signed_content_hash(void **state)
{
	struct fixture *f = *state;
	ssm_sigv4_header h = { "X-Amz-Content-Sha256", NULL };
	ssm_sigv4_signed s = SSM_SIGV4_SIGNED_INIT;
	char hash[65];

	/* the right hash, signed: accepted */
	snprintf(hash, sizeof(hash), "%s",
		 "ba19ad1ee00dd41cf4a4f2a4c59c4f23ee4e4e30e5ad8c06e33757fbc2c0"
		 "7ccc");
	h.value = hash;
	assert_int_equal(
		SSM_OK, sign_ssm(&s, "127.0.0.1:8080", &h, 1, f->body, &creds));
	set_header(&f->r, "Authorization", s.authorization.ptr);
	set_header(&f->r, "X-Amz-Content-Sha256", hash);
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_SIGNATURE,
			  "The provided 'x-amz-content-sha256' header does not "
			  "match what was computed.");
	ssm_sigv4_signed_dispose(&s);
	/* UNSIGNED-PAYLOAD is not accepted either */
	h.value = "UNSIGNED-PAYLOAD";
	assert_int_equal(
		SSM_OK, sign_ssm(&s, "127.0.0.1:8080", &h, 1, f->body, &creds));
	set_header(&f->r, "Authorization", s.authorization.ptr);
	set_header(&f->r, "X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD");
	assert_int_equal(SSM_EAUTH, ssm_sigv4_verify(&f->id, &f->p));
	assert_auth_error(SSM_SIGV4_E_SIGNATURE,
			  "The provided 'x-amz-content-sha256' header does not "
			  "match what was computed.");
	ssm_sigv4_signed_dispose(&s);
}

static void verify_rejects_bad_params_and_survives_oom(void **state)
{
	struct fixture *f = *state;
	uint64_t nth;
	ssm_err error;

	f->p.header_cb = NULL;
	assert_int_equal(SSM_EINVALID, ssm_sigv4_verify(&f->id, &f->p));
	assert_string_equal("invalid argument: 'p->header_cb'",
			    ssm_error_last()->message);
	f->p.header_cb = lookup;
	assert_int_equal(SSM_EINVALID, ssm_sigv4_verify(NULL, &f->p));
	assert_int_equal(SSM_EINVALID, ssm_sigv4_verify(&f->id, NULL));
	for (nth = 1;; nth++) {
		ssm__alloc_fail_at(nth, false);
		error = ssm_sigv4_verify(&f->id, &f->p);
		ssm__alloc_fail_at(0, false);
		if (error == SSM_OK)
			break;
		assert_int_equal(SSM_ERROR, error);
		assert_string_equal("out of memory", ssm_error_last()->message);
	}
	assert_true(nth > 3);
}

#define SIGN_THREADS 4

static void *sign_many(void *arg)
{
	ssm_sigv4_cache *cache = arg;
	ssm_sigv4_header h = { "Content-Type", "application/x-amz-json-1.1" };
	ssm_sigv4_request req = {
		.method = "POST",
		.host = "ssm.us-east-1.amazonaws.com",
		.path = "/",
		.headers = &h,
		.nheaders = 1,
		.payload = "{}",
		.payload_len = 2,
		.amz_date = "20150830T123600Z",
		.region = "us-east-1",
		.service = "ssm",
	};
	ssm_sigv4_signed s = SSM_SIGV4_SIGNED_INIT;
	char first[65] = "";
	int i;

	for (i = 0; i < 500; i++) {
		if (ssm_sigv4_sign(&s, &req, &creds, cache) != SSM_OK)
			return arg;
		if (!first[0])
			memcpy(first, s.signature, sizeof(first));
		else if (strcmp(first, s.signature) != 0)
			return arg;
		ssm_sigv4_signed_dispose(&s);
	}
	return NULL;
}

static void a_shared_cache_is_thread_safe(void **state)
{
	pthread_t t[SIGN_THREADS];
	ssm_sigv4_cache *cache = NULL;
	void *rv;
	int i;

	(void)state;
	assert_int_equal(SSM_OK, ssm_sigv4_cache_new(&cache));
	for (i = 0; i < SIGN_THREADS; i++)
		assert_int_equal(0,
				 pthread_create(&t[i], NULL, sign_many, cache));
	for (i = 0; i < SIGN_THREADS; i++) {
		assert_int_equal(0, pthread_join(t[i], &rv));
		assert_null(rv);
	}
	ssm_sigv4_cache_free(cache);
	ssm__alloc_fail_at(1, false);
	assert_int_equal(SSM_ERROR, ssm_sigv4_cache_new(&cache));
	ssm__alloc_fail_at(0, false);
	assert_null(cache);
}

#define FIXTURE(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(aws_documented_examples_sign_exactly),
		cmocka_unit_test(signing_keys_match_the_documentation),
		cmocka_unit_test(signing_key_refuses_an_overlong_secret),
		cmocka_unit_test(headers_are_lowered_sorted_trimmed_and_joined),
		cmocka_unit_test(given_host_and_date_headers_must_agree),
		cmocka_unit_test(sign_rejects_bad_arguments),
		cmocka_unit_test(canonical_uri_normalises_and_encodes_twice),
		cmocka_unit_test(canonical_query_sorts_and_reencodes),
		cmocka_unit_test(canonical_values_collapse_spaces),
		cmocka_unit_test(sign_survives_allocation_failures),
		cmocka_unit_test(parse_authorization_accepts_any_separators),
		cmocka_unit_test(parse_authorization_errors_are_aws_errors),
		FIXTURE(verify_accepts_what_sign_made),
		FIXTURE(verify_with_a_session_token_and_a_cache),
		FIXTURE(verify_without_authorization_is_missing_token),
		FIXTURE(verify_names_missing_date_and_parameters),
		FIXTURE(verify_requires_host_and_date_to_be_signed),
		FIXTURE(verify_checks_the_credential_scope),
		FIXTURE(verify_refuses_skewed_clocks),
		FIXTURE(verify_unknown_key_is_unrecognized_client),
		FIXTURE(verify_detects_any_change),
		FIXTURE(verify_checks_a_signed_content_hash),
		FIXTURE(verify_rejects_bad_params_and_survives_oom),
		cmocka_unit_test(a_shared_cache_is_thread_safe),
	};

	return cmocka_run_group_tests_name("sigv4", tests, NULL, NULL);
}
