/* SPDX-License-Identifier: Apache-2.0 */
#include "core/id.h"

#include <stdint.h>
#include <string.h>

#include "core/crypto.h"
#include "core/error.h"

static const char hex_lower[] = "0123456789abcdef";

static ssm_err random_hex(char *out, size_t digits);
static bool is_hex_lower(char c);
static bool is_hex(char c);
static bool is_word(char c);
static bool is_owner_char(char c);

ssm_err ssm_id_uuid4(char out[SSM_UUID_SIZE])
{
	uint8_t b[16];
	size_t i, o = 0;

	SSM_ASSERT_ARG(out);
	SSM_TRY(ssm_crypto_random(b, sizeof(b)));
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40); /* version 4 */
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	for (i = 0; i < sizeof(b); i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex_lower[b[i] >> 4];
		out[o++] = hex_lower[b[i] & 15];
	}
	out[o] = '\0';
	return SSM_OK;
}

ssm_err ssm_id_node(char out[SSM_NODE_ID_SIZE])
{
	SSM_ASSERT_ARG(out);
	memcpy(out, "mi-", 3);
	return random_hex(out + 3, SSM_ID_HEX_DIGITS);
}

ssm_err ssm_id_session(char out[SSM_SESSION_ID_SIZE], const char *owner)
{
	size_t i, n, max = SSM_SESSION_ID_MAX - 1 - SSM_ID_HEX_DIGITS;

	SSM_ASSERT_ARG(out);
	if (!owner || !*owner)
		owner = "session";
	n = strnlen(owner, max);
	for (i = 0; i < n; i++)
		out[i] = is_owner_char(owner[i]) ? owner[i] : '-';
	out[n] = '-';
	return random_hex(out + n + 1, SSM_ID_HEX_DIGITS);
}

bool ssm_id_is_uuid(const char *s)
{
	size_t i;

	if (!s || strnlen(s, SSM_UUID_SIZE) != SSM_UUID_SIZE - 1)
		return false;
	for (i = 0; i < SSM_UUID_SIZE - 1; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !is_hex(s[i]))
			return false;
	}
	return true;
}

bool ssm_id_is_node(const char *s)
{
	size_t i;

	if (!s || strncmp(s, "mi-", 3) != 0 ||
	    strnlen(s, SSM_NODE_ID_SIZE) != SSM_NODE_ID_SIZE - 1)
		return false;
	for (i = 3; i < SSM_NODE_ID_SIZE - 1; i++)
		if (!is_hex_lower(s[i]))
			return false;
	return true;
}

bool ssm_id_is_instance(const char *s)
{
	size_t i, n, skip;

	if (!s)
		return false;
	if (strncmp(s, "i-", 2) == 0)
		skip = 2;
	else if (strncmp(s, "mi-", 3) == 0)
		skip = 3;
	else
		return false;
	n = strnlen(s + skip, 18);
	if (skip == 2 ? (n != 8 && n != 17) : n != 17)
		return false;
	for (i = 0; i < n; i++)
		if (!is_word(s[skip + i]))
			return false;
	return true;
}

bool ssm_id_is_session(const char *s)
{
	size_t i, n;

	if (!s)
		return false;
	n = strnlen(s, SSM_SESSION_ID_SIZE);
	if (n > SSM_SESSION_ID_MAX || n < SSM_ID_HEX_DIGITS + 2)
		return false;
	if (s[n - SSM_ID_HEX_DIGITS - 1] != '-')
		return false;
	for (i = n - SSM_ID_HEX_DIGITS; i < n; i++)
		if (!is_hex_lower(s[i]))
			return false;
	for (i = 0; i < n - SSM_ID_HEX_DIGITS - 1; i++)
		if (!is_owner_char(s[i]))
			return false;
	return true;
}

/* @digits random lower-case hex digits and a NUL. */
static ssm_err random_hex(char *out, size_t digits)
{
	uint8_t b[16];
	size_t i;

	SSM_TRY(ssm_crypto_random(b, (digits + 1) / 2));
	for (i = 0; i < digits; i++)
		out[i] = hex_lower[i % 2 ? b[i / 2] & 15 : b[i / 2] >> 4];
	out[digits] = '\0';
	return SSM_OK;
}

static bool is_hex_lower(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static bool is_hex(char c)
{
	return is_hex_lower(c) || (c >= 'A' && c <= 'F');
}

static bool is_word(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_owner_char(char c)
{
	return is_word(c) || (c != '\0' && strchr(".@+=,-", c) != NULL);
}
