/* SPDX-License-Identifier: Apache-2.0 */
#include "core/str.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

void ssm_str_init_max(ssm_str *s, size_t max)
{
	s->max = max;
}

ssm_err ssm_str_grow(ssm_str *s, size_t extra)
{
	size_t need, asize;
	char *p;

	if (ssm__add_overflow(&need, s->size, extra) ||
	    ssm__add_overflow(&need, need, 1))
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_NOMEMORY, NULL,
				      "text size overflows");
	if (s->max && need - 1 > s->max)
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_INVALID, NULL,
				      "text exceeds the limit of %zu bytes",
				      s->max);
	if (need <= s->asize)
		return SSM_OK;
	asize = s->asize ? s->asize : 64;
	while (asize < need) {
		if (ssm__mul_overflow(&asize, asize, 2)) {
			asize = need;
			break;
		}
	}
	if (s->max && asize > s->max + 1)
		asize = need > s->max + 1 ? need : s->max + 1;
	p = ssm__realloc(s->ptr, asize);
	if (!p)
		return SSM_ERROR;
	s->ptr = p;
	s->asize = asize;
	return SSM_OK;
}

ssm_err ssm_str_put(ssm_str *s, const void *data, size_t len)
{
	ssm_err error = ssm_str_grow(s, len);

	if (error < 0)
		return error;
	if (len)
		memcpy(s->ptr + s->size, data, len);
	s->size += len;
	s->ptr[s->size] = '\0';
	return SSM_OK;
}

ssm_err ssm_str_puts(ssm_str *s, const char *text)
{
	return ssm_str_put(s, text, strlen(text));
}

ssm_err ssm_str_putc(ssm_str *s, char c)
{
	return ssm_str_put(s, &c, 1);
}

ssm_err ssm_str_vprintf(ssm_str *s, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	ssm_err error;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_OS, NULL,
				      "bad format string");
	error = ssm_str_grow(s, (size_t)n);
	if (error < 0)
		return error;
	vsnprintf(s->ptr + s->size, (size_t)n + 1, fmt, ap);
	s->size += (size_t)n;
	return SSM_OK;
}

ssm_err ssm_str_printf(ssm_str *s, const char *fmt, ...)
{
	va_list ap;
	ssm_err error;

	va_start(ap, fmt);
	error = ssm_str_vprintf(s, fmt, ap);
	va_end(ap);
	return error;
}

const char *ssm_str_cstr(const ssm_str *s)
{
	return s->ptr ? s->ptr : "";
}

void ssm_str_clear(ssm_str *s)
{
	ssm_str_truncate(s, 0);
}

void ssm_str_truncate(ssm_str *s, size_t len)
{
	if (len < s->size) {
		s->size = len;
		s->ptr[len] = '\0';
	}
}

char *ssm_str_detach(ssm_str *s, size_t *len_out)
{
	char *p = s->ptr;

	if (!p)
		p = ssm__calloc(1, 1);
	if (len_out)
		*len_out = p ? s->size : 0;
	s->ptr = NULL;
	s->size = s->asize = 0;
	return p;
}

ssm_err ssm_str_to_buf(ssm_buf *out, ssm_str *s)
{
	size_t len;
	char *p = ssm_str_detach(s, &len);

	if (!p)
		return SSM_ERROR;
	ssm_buf_dispose(out);
	out->ptr = p;
	out->size = len;
	out->asize = len + 1;
	return SSM_OK;
}

void ssm_str_dispose(ssm_str *s)
{
	ssm__free(s->ptr);
	s->ptr = NULL;
	s->size = s->asize = 0;
}

void ssm_str_dispose_secure(ssm_str *s)
{
	if (s->ptr)
		ssm__zeroize(s->ptr, s->asize);
	ssm_str_dispose(s);
}
