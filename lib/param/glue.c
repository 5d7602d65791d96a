/* SPDX-License-Identifier: Apache-2.0 */
/* The primitives the engine takes from core/crypto and core/encode, in the
 * shapes it uses them. */
#include <string.h>

#include "core/crypto.h"
#include "core/encode.h"
#include "core/error.h"
#include "param/param.h"

void param_mac(unsigned char out[32], const unsigned char key[32],
	       const void *data, size_t len)
{
	ssm_crypto_hmac_sha256(out, key, 32, data, len);
}

ssm_err param_random(void *out, size_t len)
{
	return ssm_crypto_random(out, len);
}

ssm_err param_b64_encode(char **out, const void *data, size_t len,
			 ssm_arena *arena)
{
	size_t size = SSM_BASE64_LEN(len) + 1;
	char *p = ssm_arena_alloc(arena, size);

	if (!p)
		return SSM_ERROR;
	ssm_base64_encode(p, data, len);
	*out = p;
	return SSM_OK;
}

ssm_err param_b64_decode(unsigned char **out, size_t *len_out, const char *text,
			 ssm_arena *arena)
{
	size_t tlen = strlen(text), n = 0;
	unsigned char *p =
		ssm_arena_alloc(arena, SSM_BASE64_DECODED_MAX(tlen) + 1);

	if (!p)
		return SSM_ERROR;
	if (ssm_base64_decode(p, &n, SSM_BASE64_DECODED_MAX(tlen) + 1, text,
			      tlen) < 0)
		return SSM_EINVALID;
	*out = p;
	*len_out = n;
	return SSM_OK;
}
