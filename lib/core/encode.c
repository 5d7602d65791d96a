/* SPDX-License-Identifier: Apache-2.0 */
#include "core/encode.h"

#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";
static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int hex_value(unsigned char c);
static int b64_value(unsigned char c);
static void describe_char(char *out, size_t size, unsigned char c);

size_t ssm_hex_encode(char *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hex_lower[p[i] >> 4];
		out[2 * i + 1] = hex_lower[p[i] & 0x0f];
	}
	out[2 * len] = '\0';
	return 2 * len;
}

ssm_err ssm_hex_encode_str(ssm_str *out, const void *data, size_t len)
{
	size_t n;

	if (ssm__mul_overflow(&n, len, 2))
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_INVALID, NULL,
				      "hex text of %zu bytes is too large",
				      len);
	SSM_TRY(ssm_str_grow(out, n));
	out->size += ssm_hex_encode(out->ptr + out->size, data, len);
	return SSM_OK;
}

ssm_err ssm_hex_decode(void *out, size_t *len_out, size_t out_size,
		       const char *hex, size_t hex_len)
{
	unsigned char *o = out;
	size_t i;

	SSM_ASSERT_ARG(len_out);
	SSM_ASSERT_ARG(hex || hex_len == 0);
	*len_out = 0;
	if (hex_len % 2)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "hex text has an odd length (%zu)",
				      hex_len);
	if (hex_len / 2 > out_size)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "hex text of %zu bytes does not fit in "
				      "%zu bytes",
				      hex_len / 2, out_size);
	for (i = 0; i < hex_len; i += 2) {
		int hi = hex_value((unsigned char)hex[i]);
		int lo = hex_value((unsigned char)hex[i + 1]);

		if (hi < 0 || lo < 0) {
			size_t at = hi < 0 ? i : i + 1;
			char what[8];

			describe_char(what, sizeof(what),
				      (unsigned char)hex[at]);
			return ssm_error__set(SSM_EINVALID,
					      SSM_ERRCLASS_INVALID, NULL,
					      "invalid hex digit %s at offset "
					      "%zu",
					      what, at);
		}
		o[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	*len_out = hex_len / 2;
	return SSM_OK;
}

size_t ssm_base64_encode(char *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i, o = 0;

	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 |
			     p[i + 2];

		out[o++] = b64_alphabet[v >> 18];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = b64_alphabet[(v >> 6) & 63];
		out[o++] = b64_alphabet[v & 63];
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;

		out[o++] = b64_alphabet[v >> 18];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = '=';
		out[o++] = '=';
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;

		out[o++] = b64_alphabet[v >> 18];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = b64_alphabet[(v >> 6) & 63];
		out[o++] = '=';
	}
	out[o] = '\0';
	return o;
}

ssm_err ssm_base64_encode_str(ssm_str *out, const void *data, size_t len)
{
	if (len > (SIZE_MAX - 2) / 4 * 3 - 3)
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_INVALID, NULL,
				      "base64 text of %zu bytes is too large",
				      len);
	SSM_TRY(ssm_str_grow(out, SSM_BASE64_LEN(len)));
	out->size += ssm_base64_encode(out->ptr + out->size, data, len);
	return SSM_OK;
}

ssm_err ssm_base64_decode(void *out, size_t *len_out, size_t out_size,
			  const char *text, size_t text_len)
{
	const unsigned char *t = (const unsigned char *)text;
	unsigned char *o = out;
	size_t i, n = 0, pad = 0, need;

	SSM_ASSERT_ARG(len_out);
	SSM_ASSERT_ARG(text || text_len == 0);
	*len_out = 0;
	if (text_len % 4)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "base64 text length %zu is not a "
				      "multiple of 4",
				      text_len);
	if (text_len && t[text_len - 1] == '=')
		pad = text_len >= 2 && t[text_len - 2] == '=' ? 2 : 1;
	need = text_len / 4 * 3 - pad;
	if (need > out_size)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "base64 text of %zu bytes does not fit "
				      "in %zu bytes",
				      need, out_size);
	for (i = 0; i < text_len; i += 4) {
		int v[4];
		size_t k, valid = i + 4 == text_len ? 4 - pad : 4;
		uint32_t w = 0;

		for (k = 0; k < 4; k++) {
			v[k] = k < valid ? b64_value(t[i + k]) : 0;
			if (v[k] < 0) {
				char what[8];

				describe_char(what, sizeof(what), t[i + k]);
				return ssm_error__set(
					SSM_EINVALID, SSM_ERRCLASS_INVALID,
					NULL,
					"invalid base64 character %s at "
					"offset %zu",
					what, i + k);
			}
			w = w << 6 | (uint32_t)v[k];
		}
		/* canonical encodings only: the bits under the padding are
		 * zero */
		if ((valid == 2 && (w & 0xffff)) || (valid == 3 && (w & 0xff)))
			return ssm_error__set(SSM_EINVALID,
					      SSM_ERRCLASS_INVALID, NULL,
					      "base64 text has non-zero bits "
					      "before the padding at offset "
					      "%zu",
					      i + valid - 1);
		o[n++] = (unsigned char)(w >> 16);
		if (valid > 2)
			o[n++] = (unsigned char)(w >> 8);
		if (valid > 3)
			o[n++] = (unsigned char)w;
	}
	*len_out = n;
	return SSM_OK;
}

ssm_err ssm_base64_decode_str(ssm_str *out, const char *text, size_t text_len)
{
	size_t n = 0, max = SSM_BASE64_DECODED_MAX(text_len);
	ssm_err error;

	SSM_ASSERT_ARG(out);
	/* grow once, so a decoded secret is never left behind by a realloc */
	SSM_TRY(ssm_str_grow(out, max));
	error = ssm_base64_decode(out->ptr + out->size, &n, max, text,
				  text_len);
	if (error < 0) {
		ssm__zeroize(out->ptr + out->size, max);
		out->ptr[out->size] = '\0';
		return error;
	}
	out->size += n;
	out->ptr[out->size] = '\0';
	return SSM_OK;
}

ssm_err ssm_uri_encode(ssm_str *out, const char *s, size_t len, bool keep_slash)
{
	size_t i, start = 0;

	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(s || len == 0);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[3];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~' || (c == '/' && keep_slash))
			continue;
		SSM_TRY(ssm_str_put(out, s + start, i - start));
		esc[0] = '%';
		esc[1] = hex_upper[c >> 4];
		esc[2] = hex_upper[c & 0x0f];
		SSM_TRY(ssm_str_put(out, esc, 3));
		start = i + 1;
	}
	return ssm_str_put(out, s + start, len - start);
}

ssm_err ssm_uri_decode(ssm_str *out, const char *s, size_t len)
{
	size_t i, start = 0;

	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(s || len == 0);
	for (i = 0; i < len; i++) {
		int hi, lo;
		char c;

		if (s[i] != '%')
			continue;
		hi = i + 1 < len ? hex_value((unsigned char)s[i + 1]) : -1;
		lo = i + 2 < len ? hex_value((unsigned char)s[i + 2]) : -1;
		if (hi < 0 || lo < 0)
			return ssm_error__set(SSM_EINVALID,
					      SSM_ERRCLASS_INVALID, NULL,
					      "invalid percent-encoding at "
					      "offset %zu",
					      i);
		SSM_TRY(ssm_str_put(out, s + start, i - start));
		c = (char)(hi << 4 | lo);
		SSM_TRY(ssm_str_put(out, &c, 1));
		i += 2;
		start = i + 1;
	}
	return ssm_str_put(out, s + start, len - start);
}

bool ssm_utf8_valid(const void *s, size_t len, size_t *bad_offset)
{
	const unsigned char *p = s;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		size_t n, k;
		unsigned char lo = 0x80, hi = 0xbf;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			if (c == 0xe0)
				lo = 0xa0; /* overlong */
			else if (c == 0xed)
				hi = 0x9f; /* surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			if (c == 0xf0)
				lo = 0x90; /* overlong */
			else if (c == 0xf4)
				hi = 0x8f; /* above U+10FFFF */
		} else {
			goto bad;
		}
		if (len - i <= n)
			goto bad;
		/* only the first continuation byte has a narrowed range */
		if (p[i + 1] < lo || p[i + 1] > hi)
			goto bad;
		for (k = 2; k <= n; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				goto bad;
		i += n + 1;
	}
	return true;
bad:
	if (bad_offset)
		*bad_offset = i;
	return false;
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* "'x'" for a printable character, "0x0a" otherwise (keeps messages one
 * line and free of raw bytes). */
static void describe_char(char *out, size_t size, unsigned char c)
{
	static const char hx[] = "0123456789abcdef";

	if (size < 5)
		return;
	if (c >= 0x20 && c < 0x7f && c != '\'') {
		out[0] = '\'';
		out[1] = (char)c;
		out[2] = '\'';
		out[3] = '\0';
	} else {
		out[0] = '0';
		out[1] = 'x';
		out[2] = hx[c >> 4];
		out[3] = hx[c & 15];
		out[4] = '\0';
	}
}
