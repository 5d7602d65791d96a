/* SPDX-License-Identifier: Apache-2.0 */
/* Text encodings: hex, base64 (RFC 4648, standard alphabet, strict), the
 * URI encoding of SigV4 (RFC 3986 unreserved kept, %XX upper-case) and a
 * UTF-8 check. Decoders never allocate and name the bad input in their
 * message. */
#ifndef SSM_CORE_ENCODE_H
#define SSM_CORE_ENCODE_H

#include <stdbool.h>
#include <stddef.h>

#include "ssm/errors.h"
#include "core/str.h"

/* Characters hex encoding of @n bytes produces (without the NUL). */
#define SSM_HEX_LEN(n) ((n)*2)
/* Characters base64 encoding of @n bytes produces (without the NUL). */
#define SSM_BASE64_LEN(n) ((((n) + 2) / 3) * 4)
/* Most bytes base64 text of @n characters decodes to. */
#define SSM_BASE64_DECODED_MAX(n) (((n) / 4) * 3)

/* Lower-case hex of @len bytes into @out, which must hold 2*len+1 chars;
 * NUL-terminated. Returns 2*len. */
size_t ssm_hex_encode(char *out, const void *data, size_t len);
/* Append lower-case hex to @out. */
ssm_err ssm_hex_encode_str(ssm_str *out, const void *data, size_t len);
/* Decode hex (either case) into @out (@out_size bytes); *@len_out gets the
 * byte count. SSM_EINVALID for odd length, a bad digit or a small @out. */
ssm_err ssm_hex_decode(void *out, size_t *len_out, size_t out_size,
		       const char *hex, size_t hex_len);

/* Base64 (standard alphabet, '=' padding) of @len bytes into @out, which
 * must hold SSM_BASE64_LEN(len)+1 chars; NUL-terminated. Returns the
 * length. */
size_t ssm_base64_encode(char *out, const void *data, size_t len);
/* Append base64 to @out. */
ssm_err ssm_base64_encode_str(ssm_str *out, const void *data, size_t len);
/* Strict decoding: length a multiple of 4, only the standard alphabet, '='
 * only as the last one or two characters, no whitespace, unused bits zero.
 * @out must hold SSM_BASE64_DECODED_MAX(text_len) bytes (or at least the
 * decoded size). SSM_EINVALID naming the offset of the first bad character. */
ssm_err ssm_base64_decode(void *out, size_t *len_out, size_t out_size,
			  const char *text, size_t text_len);
/* Append the decoded bytes to @out (binary; @out stays NUL-terminated). */
ssm_err ssm_base64_decode_str(ssm_str *out, const char *text, size_t text_len);

/* SigV4 URI encoding: A-Z a-z 0-9 - . _ ~ kept, every other byte %XX with
 * upper-case hex; '/' kept when @keep_slash. Appends to @out. */
ssm_err ssm_uri_encode(ssm_str *out, const char *s, size_t len,
		       bool keep_slash);
/* Percent-decoding ('+' stays '+'); appends to @out. SSM_EINVALID for a '%'
 * not followed by two hex digits. */
ssm_err ssm_uri_decode(ssm_str *out, const char *s, size_t len);

/* True when @len bytes are well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF; NUL bytes are allowed). When false and @bad_offset
 * is not NULL, it gets the offset of the first bad byte. */
bool ssm_utf8_valid(const void *s, size_t len, size_t *bad_offset);

#endif
