/* SPDX-License-Identifier: Apache-2.0 */
/* The few primitives the engine needs from core/crypto: MAC, random and
 * base64 (one place to switch when core/crypto.h grows). */
#include <string.h>
#include <sys/random.h>

#include <mbedtls/base64.h>
#include <mbedtls/md.h>

#include "core/error.h"
#include "param/param.h"

void param_mac(unsigned char out[32], const unsigned char key[32],
	       const void *data, size_t len)
{
	mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), key, 32,
			data, len, out);
}

ssm_err param_random(void *out, size_t len)
{
	unsigned char *p = out;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n <= 0)
			return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_CRYPTO,
					      NULL, "the random source failed");
		p += n;
		len -= (size_t)n;
	}
	return SSM_OK;
}

ssm_err param_b64_encode(char **out, const void *data, size_t len,
			 ssm_arena *arena)
{
	size_t n = 0, size = (len + 2) / 3 * 4 + 1;
	char *p = ssm_arena_alloc(arena, size);

	if (!p)
		return SSM_ERROR;
	if (mbedtls_base64_encode((unsigned char *)p, size, &n, data, len))
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_PARAM, NULL,
				      "base64 encoding failed");
	p[n] = '\0';
	*out = p;
	return SSM_OK;
}

ssm_err param_b64_decode(unsigned char **out, size_t *len_out, const char *text,
			 ssm_arena *arena)
{
	size_t n = 0, tlen = strlen(text), size = tlen / 4 * 3 + 3;
	unsigned char *p = ssm_arena_alloc(arena, size);

	if (!p)
		return SSM_ERROR;
	if (mbedtls_base64_decode(p, size, &n, (const unsigned char *)text,
				  tlen))
		return SSM_EINVALID;
	*out = p;
	*len_out = n;
	return SSM_OK;
}
