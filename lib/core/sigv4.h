/* SPDX-License-Identifier: Apache-2.0 */
/* AWS Signature Version 4 (spec §4.4): the client-side signer and the
 * server-side verifier, with AWS's error names and messages (spec §4.3).
 *
 * Paths and query strings are taken as they appear on the wire (already
 * URI-encoded once); the canonical URI encodes each segment again, as every
 * service but S3 expects. Secrets never reach a message. */
#ifndef SSM_CORE_SIGV4_H
#define SSM_CORE_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssm/errors.h"
#include "core/str.h"

#define SSM_SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define SSM_SIGV4_TERMINATOR "aws4_request"
/* Default allowed clock skew of the verifier: spec §4.4 says 5 minutes. */
#define SSM_SIGV4_DEFAULT_SKEW_MS (5 * 60 * 1000)

/* Limits on what the verifier accepts from a request. */
#define SSM_SIGV4_AKID_MAX 128
#define SSM_SIGV4_REGION_MAX 64
#define SSM_SIGV4_SERVICE_MAX 64
#define SSM_SIGV4_SIGNED_HEADERS_MAX 2048
#define SSM_SIGV4_SECRET_MAX 256

/* AWS wire names of the errors (ssm_error::service_code). */
#define SSM_SIGV4_E_MISSING "MissingAuthenticationTokenException"
#define SSM_SIGV4_E_INCOMPLETE "IncompleteSignatureException"
#define SSM_SIGV4_E_SIGNATURE "InvalidSignatureException"
#define SSM_SIGV4_E_CLIENT "UnrecognizedClientException"
#define SSM_SIGV4_MISMATCH_MESSAGE                                            \
	"The request signature we calculated does not match the signature "   \
	"you provided. Check your AWS Secret Access Key and signing method. " \
	"Consult the service documentation for details."

typedef struct ssm_sigv4_header {
	const char *name; /* any case; lower-cased for signing */
	const char *value;
} ssm_sigv4_header;

/* A small thread-safe cache of derived signing keys, keyed by a hash of
 * (secret, date, region, service). Optional everywhere (NULL: derive each
 * time); shared by the threads of one client or server. */
typedef struct ssm_sigv4_cache ssm_sigv4_cache;

ssm_err ssm_sigv4_cache_new(ssm_sigv4_cache **out);
/* Wipes the keys. NULL is a no-op. */
void ssm_sigv4_cache_free(ssm_sigv4_cache *cache);

/* The signing key: HMAC chain over "AWS4"+secret, @date (YYYYMMDD), @region,
 * @service, "aws4_request". SSM_EINVALID for a secret over
 * SSM_SIGV4_SECRET_MAX bytes. */
ssm_err ssm_sigv4_signing_key(uint8_t key_out[32], ssm_sigv4_cache *cache,
			      const char *secret, const char *date,
			      const char *region, const char *service);

/* What the client signs. */
typedef struct ssm_sigv4_request {
	const char *method; /* "POST" */
	const char *host;   /* the Host header, with ":port" when sent */
	const char *path;   /* as sent, e.g. "/"; NULL or "": "/" */
	const char *query;  /* as sent, without '?'; NULL or "": none */
	/* Headers to sign besides host, x-amz-date and x-amz-security-token,
	 * which are added (a host or x-amz-date given here must agree).
	 * Repeated names are joined with ',' in the order given. */
	const ssm_sigv4_header *headers;
	size_t nheaders;
	const void *payload;
	size_t payload_len;
	const char *amz_date; /* YYYYMMDDTHHMMSSZ, see ssm_time_format_amz */
	const char *region;
	const char *service; /* "ssm" */
} ssm_sigv4_request;

typedef struct ssm_sigv4_credentials {
	const char *access_key_id;
	const char *secret_access_key;
	const char *session_token; /* NULL: none; else sent and signed */
} ssm_sigv4_credentials;

/* The signer's results; dispose with ssm_sigv4_signed_dispose. */
typedef struct ssm_sigv4_signed {
	ssm_str canonical_request;
	ssm_str string_to_sign;
	ssm_str signed_headers; /* "content-type;host;x-amz-date;..." */
	ssm_str authorization;	/* the Authorization header's value */
	char signature[65];	/* lower-case hex */
} ssm_sigv4_signed;

#define SSM_SIGV4_SIGNED_INIT                                           \
	{                                                               \
		SSM_STR_INIT, SSM_STR_INIT, SSM_STR_INIT, SSM_STR_INIT, \
		{                                                       \
			0                                               \
		}                                                       \
	}

/* Sign a request. The caller sends X-Amz-Date (= amz_date), Host,
 * X-Amz-Security-Token (when a token is given), the signed headers and
 * Authorization = out->authorization. SSM_EINVALID for a bad argument
 * (empty method, host, region, service or key id, malformed amz_date,
 * control characters in a header, a header that contradicts host or
 * amz_date, an "authorization" header to sign). */
ssm_err ssm_sigv4_sign(ssm_sigv4_signed *out, const ssm_sigv4_request *req,
		       const ssm_sigv4_credentials *creds,
		       ssm_sigv4_cache *cache);
void ssm_sigv4_signed_dispose(ssm_sigv4_signed *s);

/* A parsed Authorization header. */
typedef struct ssm_sigv4_auth {
	char access_key_id[SSM_SIGV4_AKID_MAX + 1];
	char date[9]; /* as given in the scope; checked by the verifier */
	char region[SSM_SIGV4_REGION_MAX + 1];
	char service[SSM_SIGV4_SERVICE_MAX + 1];
	char terminator[16];
	char signed_headers[SSM_SIGV4_SIGNED_HEADERS_MAX + 1]; /* lower case */
	char signature[65]; /* "" when not 64 characters: never matches */
} ssm_sigv4_auth;

/* Parse "AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request,
 * SignedHeaders=a;b, Signature=hex" (separators: commas and/or spaces).
 * SSM_EAUTH with service code IncompleteSignatureException and AWS's
 * message for a missing or malformed part. */
ssm_err ssm_sigv4_parse_authorization(ssm_sigv4_auth *out, const char *value);

/* Header lookup by lower-case name: the value (several occurrences joined
 * with ','), or NULL when absent. */
typedef const char *(*ssm_sigv4_header_cb)(const char *name, void *payload);
/* Secret lookup: copy the secret of @access_key_id (NUL-terminated) into
 * @secret_out (@secret_size bytes) and return SSM_OK; SSM_ENOTFOUND for an
 * unknown key (-> UnrecognizedClientException); any other failure is passed
 * through with the callback's error record. @session_token is the
 * X-Amz-Security-Token header or NULL. */
typedef ssm_err (*ssm_sigv4_secret_cb)(char *secret_out, size_t secret_size,
				       const char *access_key_id,
				       const char *session_token,
				       void *payload);

typedef struct ssm_sigv4_verify_params {
	const char *method;
	const char *path;  /* as received; NULL or "": "/" */
	const char *query; /* as received, without '?'; NULL or "": none */
	const void *body;
	size_t body_len;
	ssm_sigv4_header_cb header_cb;
	void *header_payload;
	ssm_sigv4_secret_cb secret_cb;
	void *secret_payload;
	const char *service; /* expected scope service, e.g. "ssm" */
	const char *region;  /* required scope region; NULL: any */
	int64_t now_ms;	     /* the server's clock */
	int64_t max_skew_ms; /* 0: SSM_SIGV4_DEFAULT_SKEW_MS */
	ssm_sigv4_cache *cache;
} ssm_sigv4_verify_params;

/* Who signed a verified request. */
typedef struct ssm_sigv4_identity {
	char access_key_id[SSM_SIGV4_AKID_MAX + 1];
	char region[SSM_SIGV4_REGION_MAX + 1]; /* from the credential scope */
	char service[SSM_SIGV4_SERVICE_MAX + 1];
	int64_t request_ms; /* X-Amz-Date */
	bool session_token; /* an X-Amz-Security-Token was signed */
} ssm_sigv4_identity;

/* Verify a request's signature. SSM_EAUTH with the AWS error name in
 * service_code: MissingAuthenticationTokenException (no Authorization),
 * IncompleteSignatureException (malformed header, missing X-Amz-Date, host
 * or x-amz-date not signed, a signed header absent), InvalidSignatureException
 * (wrong scope, clock skew, mismatch), UnrecognizedClientException (unknown
 * key). Other codes come from the secret callback or bad @params
 * (SSM_EINVALID). @out is filled only on success. */
ssm_err ssm_sigv4_verify(ssm_sigv4_identity *out,
			 const ssm_sigv4_verify_params *params);

/* Building blocks, exposed for tests and the presigned form later. */
/* The canonical URI of a path as sent: dot segments and empty segments
 * removed, every byte but unreserved ones and '/' %-encoded. Appends. */
ssm_err ssm_sigv4_canonical_uri(ssm_str *out, const char *path);
/* The canonical query string of a query as sent: pairs decoded, encoded
 * again, sorted by name then value, joined with '&'. Appends. */
ssm_err ssm_sigv4_canonical_query(ssm_str *out, const char *query);
/* A header value trimmed, inner runs of spaces and tabs made one space.
 * Appends. */
ssm_err ssm_sigv4_canonical_value(ssm_str *out, const char *value);

#endif
