/* SPDX-License-Identifier: Apache-2.0 */
/* sigv4_tool: our SigV4 signer and verifier driven from stdin, for the
 * botocore cross-check (tests/interop/sigv4_botocore.py).
 *
 * Input: one "key value" per line; hex values for anything binary.
 *   mode sign|verify       what to do
 *   method POST            HTTP method
 *   host 127.0.0.1:8080    (sign) the Host header
 *   path /                 path as sent (default "/")
 *   query a=1&b=2          query as sent (default none)
 *   region us-east-1       (sign) the region; (verify) the required one
 *   service ssm            (sign) the service; (verify) the expected one
 *   date 20150830T123600Z  (sign) the amz date
 *   now 20150830T123600Z   (verify) the server clock
 *   skew-ms 300000         (verify) allowed skew
 *   akid, secret, token    credentials (verify: the one known key)
 *   header NAME HEXVALUE   (sign) a header to sign; (verify) one received
 *   body HEX               the payload
 * Output: "authorization <value>" (sign), "ok <akid> <region> <service>"
 * (verify), or "error <code> <service_code> <message>"; exit 0 unless the
 * input itself was bad. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/encode.h"
#include "core/error.h"
#include "core/sigv4.h"
#include "core/time.h"

#define MAX_HEADERS 64
#define LINE_MAX_LEN (1 << 20)

struct input {
	char *mode, *method, *host, *path, *query, *region, *service, *date;
	char *now, *skew, *akid, *secret, *token;
	ssm_sigv4_header headers[MAX_HEADERS];
	size_t nheaders;
	ssm_str body;
};

static char *take(const char *v)
{
	char *p = strdup(v);

	if (!p) {
		fprintf(stderr, "sigv4_tool: out of memory\n");
		exit(2);
	}
	return p;
}

static char *unhex_text(const char *hex)
{
	size_t n = strlen(hex), len = 0;
	char *out = malloc(n / 2 + 1);

	if (!out || ssm_hex_decode(out, &len, n / 2, hex, n) != SSM_OK) {
		fprintf(stderr, "sigv4_tool: bad hex '%s'\n", hex);
		exit(2);
	}
	out[len] = '\0';
	return out;
}

static void read_input(struct input *in)
{
	static char line[LINE_MAX_LEN];

	while (fgets(line, sizeof(line), stdin)) {
		char *key = line, *value;
		size_t n = strlen(line);

		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!n)
			continue;
		value = strchr(line, ' ');
		if (value)
			*value++ = '\0';
		else
			value = line + n;
		if (!strcmp(key, "mode"))
			in->mode = take(value);
		else if (!strcmp(key, "method"))
			in->method = take(value);
		else if (!strcmp(key, "host"))
			in->host = take(value);
		else if (!strcmp(key, "path"))
			in->path = take(value);
		else if (!strcmp(key, "query"))
			in->query = take(value);
		else if (!strcmp(key, "region"))
			in->region = take(value);
		else if (!strcmp(key, "service"))
			in->service = take(value);
		else if (!strcmp(key, "date"))
			in->date = take(value);
		else if (!strcmp(key, "now"))
			in->now = take(value);
		else if (!strcmp(key, "skew-ms"))
			in->skew = take(value);
		else if (!strcmp(key, "akid"))
			in->akid = take(value);
		else if (!strcmp(key, "secret"))
			in->secret = take(value);
		else if (!strcmp(key, "token"))
			in->token = take(value);
		else if (!strcmp(key, "body")) {
			char *b = unhex_text(value);

			ssm_str_clear(&in->body);
			if (ssm_str_put(&in->body, b, strlen(value) / 2) < 0)
				exit(2);
			free(b);
		} else if (!strcmp(key, "header")) {
			char *sp = strchr(value, ' ');

			if (!sp || in->nheaders == MAX_HEADERS) {
				fprintf(stderr, "sigv4_tool: bad header\n");
				exit(2);
			}
			*sp++ = '\0';
			in->headers[in->nheaders].name = take(value);
			in->headers[in->nheaders].value = unhex_text(sp);
			in->nheaders++;
		} else {
			fprintf(stderr, "sigv4_tool: unknown key '%s'\n", key);
			exit(2);
		}
	}
}

static void print_error(ssm_err code)
{
	const ssm_error *e = ssm_error_last();

	printf("error %d %s %s\n", (int)code,
	       e->service_code ? e->service_code : "-", e->message);
}

static int do_sign(struct input *in)
{
	ssm_sigv4_request req = {
		.method = in->method,
		.host = in->host,
		.path = in->path,
		.query = in->query,
		.headers = in->headers,
		.nheaders = in->nheaders,
		.payload = in->body.ptr,
		.payload_len = in->body.size,
		.amz_date = in->date,
		.region = in->region,
		.service = in->service,
	};
	ssm_sigv4_credentials creds = { in->akid, in->secret, in->token };
	ssm_sigv4_signed s = SSM_SIGV4_SIGNED_INIT;
	ssm_err error = ssm_sigv4_sign(&s, &req, &creds, NULL);

	if (error < 0) {
		print_error(error);
		return 0;
	}
	printf("authorization %s\n", s.authorization.ptr);
	ssm_sigv4_signed_dispose(&s);
	return 0;
}

static const char *lookup(const char *name, void *payload)
{
	struct input *in = payload;
	size_t i;

	for (i = 0; i < in->nheaders; i++)
		if (!strcasecmp(in->headers[i].name, name))
			return in->headers[i].value;
	return NULL;
}

static ssm_err secret_of(char *out, size_t size, const char *akid,
			 const char *token, void *payload)
{
	struct input *in = payload;

	(void)token;
	if (!in->akid || !in->secret || strcmp(akid, in->akid) != 0)
		return SSM_ENOTFOUND;
	snprintf(out, size, "%s", in->secret);
	return SSM_OK;
}

static int do_verify(struct input *in)
{
	ssm_sigv4_verify_params p = {
		.method = in->method,
		.path = in->path,
		.query = in->query,
		.body = in->body.ptr,
		.body_len = in->body.size,
		.header_cb = lookup,
		.header_payload = in,
		.secret_cb = secret_of,
		.secret_payload = in,
		.service = in->service ? in->service : "ssm",
		.region = in->region,
		.max_skew_ms = in->skew ? strtoll(in->skew, NULL, 10) : 0,
	};
	ssm_sigv4_identity id;
	ssm_err error;

	if (!in->now ||
	    ssm_time_parse_amz(&p.now_ms, in->now, strlen(in->now)) < 0) {
		fprintf(stderr, "sigv4_tool: verify needs 'now'\n");
		return 2;
	}
	error = ssm_sigv4_verify(&id, &p);
	if (error < 0) {
		print_error(error);
		return 0;
	}
	printf("ok %s %s %s\n", id.access_key_id, id.region, id.service);
	return 0;
}

int main(void)
{
	struct input in;
	int rc;

	memset(&in, 0, sizeof(in));
	read_input(&in);
	if (!in.mode || !in.method) {
		fprintf(stderr, "sigv4_tool: need 'mode' and 'method'\n");
		return 2;
	}
	if (!strcmp(in.mode, "sign"))
		rc = do_sign(&in);
	else if (!strcmp(in.mode, "verify"))
		rc = do_verify(&in);
	else
		rc = 2;
	/* the process ends here; leak checkers see the input freed */
	free(in.mode);
	free(in.method);
	free(in.host);
	free(in.path);
	free(in.query);
	free(in.region);
	free(in.service);
	free(in.date);
	free(in.now);
	free(in.skew);
	free(in.akid);
	free(in.secret);
	free(in.token);
	for (size_t i = 0; i < in.nheaders; i++) {
		free((char *)in.headers[i].name);
		free((char *)in.headers[i].value);
	}
	ssm_str_dispose(&in.body);
	fflush(stdout);
	return rc;
}
