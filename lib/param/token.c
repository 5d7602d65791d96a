/* SPDX-License-Identifier: Apache-2.0 */
/* NextTokens: opaque, tamper-checked positions.
 *
 *   version (1) | operation (1) | request digest (4) | position | MAC (16)
 *
 * in base64. The MAC is HMAC-SHA256 (cut to 16 bytes) under the engine's
 * token key; the request digest ties a token to the request it came from,
 * so a token cannot be replayed against other filters or another path. */
#include <string.h>

#include "core/alloc.h"
#include "core/crypto.h"
#include "core/error.h"
#include "param/param.h"

#define TOKEN_VERSION 1
#define TOKEN_MAC 16
#define TOKEN_HEAD 6
#define TOKEN_POS_MAX 4096

ssm_err param_token_make(char **out, const param_engine *pe, uint8_t op,
			 uint32_t query, const void *pos, size_t pos_len,
			 ssm_arena *arena)
{
	unsigned char mac[32], *buf;
	size_t len = TOKEN_HEAD + pos_len + TOKEN_MAC;
	ssm_err error;

	if (pos_len > TOKEN_POS_MAX)
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_PARAM, NULL,
				      "token position of %zu bytes is too "
				      "long",
				      pos_len);
	buf = ssm__malloc(len);
	if (!buf)
		return SSM_ERROR;
	buf[0] = TOKEN_VERSION;
	buf[1] = op;
	buf[2] = (unsigned char)query;
	buf[3] = (unsigned char)(query >> 8);
	buf[4] = (unsigned char)(query >> 16);
	buf[5] = (unsigned char)(query >> 24);
	memcpy(buf + TOKEN_HEAD, pos, pos_len);
	param_mac(mac, pe->token_key, buf, TOKEN_HEAD + pos_len);
	memcpy(buf + TOKEN_HEAD + pos_len, mac, TOKEN_MAC);
	error = param_b64_encode(out, buf, len, arena);
	ssm__free(buf);
	return error;
}

ssm_err param_token_open(const void **pos_out, size_t *pos_len_out,
			 const param_engine *pe, uint8_t op, uint32_t query,
			 const char *token, ssm_arena *arena)
{
	unsigned char mac[32], *buf = NULL;
	size_t len = 0;
	uint32_t q;

	if (strlen(token) > (TOKEN_HEAD + TOKEN_POS_MAX + TOKEN_MAC) * 2 ||
	    param_b64_decode(&buf, &len, token, arena) < 0 ||
	    len < TOKEN_HEAD + TOKEN_MAC)
		goto bad;
	param_mac(mac, pe->token_key, buf, len - TOKEN_MAC);
	if (!ssm_crypto_equal(mac, buf + len - TOKEN_MAC, TOKEN_MAC))
		goto bad;
	q = (uint32_t)buf[2] | (uint32_t)buf[3] << 8 | (uint32_t)buf[4] << 16 |
	    (uint32_t)buf[5] << 24;
	if (buf[0] != TOKEN_VERSION || buf[1] != op || q != query)
		goto bad;
	*pos_out = buf + TOKEN_HEAD;
	*pos_len_out = len - TOKEN_HEAD - TOKEN_MAC;
	return SSM_OK;
bad:
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM,
			      "InvalidNextToken",
			      "The NextToken '%.40s%s' is not valid for this "
			      "request.",
			      token, strlen(token) > 40 ? "..." : "");
}
