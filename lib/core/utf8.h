/* SPDX-License-Identifier: Apache-2.0 */
/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past
 * U+10FFFF. Used by the JSON and YAML parsers and generators. */
#ifndef SSM_CORE_UTF8_H
#define SSM_CORE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The length of the longest valid prefix of @s: @len when all of it is valid
 * UTF-8, else the offset of the first byte of the first bad sequence. */
size_t ssm_utf8_valid_prefix(const void *s, size_t len);

/* Decode one character at @s (at most @len bytes). Returns its length in
 * bytes and stores the code point, or returns 0 for an invalid or truncated
 * sequence. */
size_t ssm_utf8_decode(uint32_t *cp, const void *s, size_t len);

#endif
