/* SPDX-License-Identifier: Apache-2.0 */
#include "core/error.h"

#include <stdio.h>
#include <string.h>

struct thread_error {
	ssm_error pub;
	char service_code[SSM_ERROR_SERVICE_MAX];
	char message[SSM_ERROR_MESSAGE_MAX];
};

static _Thread_local struct thread_error tls_error = {
	{ SSM_OK, SSM_ERRCLASS_NONE, NULL, "no error" }, "", ""
};

/* Keep messages one line of valid UTF-8: control bytes and broken sequences
 * become '?', so hostile input cannot forge log lines or break bindings. */
static void sanitize(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		size_t n = 0, i;

		if (*p < 0x20 || *p == 0x7f) {
			*p++ = '?';
			continue;
		}
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf)
			n = 1;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 2;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 3;
		for (i = 1; n && i <= n; i++)
			if ((p[i] & 0xc0) != 0x80)
				n = 0;
		/* overlongs and surrogates */
		if (n == 2 && ((p[0] == 0xe0 && p[1] < 0xa0) ||
			       (p[0] == 0xed && p[1] > 0x9f)))
			n = 0;
		if (n == 3 && ((p[0] == 0xf0 && p[1] < 0x90) ||
			       (p[0] == 0xf4 && p[1] > 0x8f)))
			n = 0;
		if (!n) {
			*p++ = '?';
			continue;
		}
		p += n + 1;
	}
}

static ssm_err commit(ssm_err code, ssm_error_class klass,
		      const char *service_code)
{
	struct thread_error *e = &tls_error;

	sanitize(e->message);
	e->pub.code = code;
	e->pub.klass = klass;
	e->pub.message = e->message;
	if (service_code && *service_code) {
		snprintf(e->service_code, sizeof(e->service_code), "%s",
			 service_code);
		e->pub.service_code = e->service_code;
	} else {
		e->pub.service_code = NULL;
	}
	return code;
}

ssm_err ssm_error__vset(ssm_err code, ssm_error_class klass,
			const char *service_code, const char *fmt, va_list ap)
{
	struct thread_error *e = &tls_error;
	char text[SSM_ERROR_MESSAGE_MAX];
	char svc[SSM_ERROR_SERVICE_MAX];

	/* format aside: an argument may be the current message itself */
	if (fmt)
		vsnprintf(text, sizeof(text), fmt, ap);
	else
		snprintf(text, sizeof(text), "%s", ssm_err_str(code));
	memcpy(e->message, text, sizeof(text));
	if (service_code) {
		snprintf(svc, sizeof(svc), "%s", service_code);
		service_code = svc;
	}
	return commit(code, klass, service_code);
}

ssm_err ssm_error__set(ssm_err code, ssm_error_class klass,
		       const char *service_code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ssm_error__vset(code, klass, service_code, fmt, ap);
	va_end(ap);
	return code;
}

void ssm_error__oom(void)
{
	struct thread_error *e = &tls_error;

	snprintf(e->message, sizeof(e->message), "out of memory");
	commit(SSM_ERROR, SSM_ERRCLASS_NOMEMORY, NULL);
}

void ssm_error__prefix(const char *text)
{
	struct thread_error *e = &tls_error;
	size_t tlen = strlen(text), mlen = strlen(e->message);

	/* "<text>: <old message>", cut to the buffer */
	if (tlen > sizeof(e->message) - 3)
		tlen = sizeof(e->message) - 3;
	if (tlen + 2 + mlen > sizeof(e->message) - 1)
		mlen = sizeof(e->message) - 1 - tlen - 2;
	memmove(e->message + tlen + 2, e->message, mlen);
	memcpy(e->message, text, tlen);
	memcpy(e->message + tlen, ": ", 2);
	e->message[tlen + 2 + mlen] = '\0';
	sanitize(e->message);
}

void ssm_error__save(ssm_error_saved *saved, ssm_err code)
{
	const struct thread_error *e = &tls_error;

	saved->code = code;
	saved->klass = e->pub.klass;
	snprintf(saved->service_code, sizeof(saved->service_code), "%s",
		 e->pub.service_code ? e->pub.service_code : "");
	snprintf(saved->message, sizeof(saved->message), "%s", e->pub.message);
}

ssm_err ssm_error__restore(const ssm_error_saved *saved)
{
	struct thread_error *e = &tls_error;

	memcpy(e->message, saved->message, sizeof(e->message));
	return commit(saved->code, saved->klass, saved->service_code);
}

const ssm_error *ssm_error_last(void)
{
	return &tls_error.pub;
}

void ssm_error_clear(void)
{
	struct thread_error *e = &tls_error;

	snprintf(e->message, sizeof(e->message), "no error");
	commit(SSM_OK, SSM_ERRCLASS_NONE, NULL);
}

const char *ssm_err_str(ssm_err code)
{
	switch (code) {
	case SSM_OK:
		return "no error";
	case SSM_ERROR:
		return "unexpected error";
	case SSM_ENOTFOUND:
		return "not found";
	case SSM_EEXISTS:
		return "already exists";
	case SSM_EINVALID:
		return "invalid argument";
	case SSM_ECONFLICT:
		return "conflict";
	case SSM_EAUTH:
		return "authentication failed";
	case SSM_ETIMEOUT:
		return "timed out";
	case SSM_ECANCELLED:
		return "cancelled";
	case SSM_EUNSUPPORTED:
		return "not supported";
	case SSM_ELIMIT:
		return "limit exceeded";
	case SSM_EUSER:
		return "aborted by a callback";
	case SSM_ITEROVER:
		return "end of iteration";
	}
	return "unknown error";
}

ssm_err ssm_error_set(ssm_err code, ssm_error_class klass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ssm_error__vset(code, klass, NULL, fmt, ap);
	va_end(ap);
	return code;
}

ssm_err ssm_error_set_service(ssm_err code, ssm_error_class klass,
			      const char *service_code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ssm_error__vset(code, klass, service_code, fmt, ap);
	va_end(ap);
	return code;
}

ssm_err ssm_error_set_str(ssm_err code, ssm_error_class klass,
			  const char *service_code, const char *message)
{
	return ssm_error__set(code, klass, service_code, "%s",
			      message ? message : ssm_err_str(code));
}
