/* SPDX-License-Identifier: Apache-2.0 */
#include "core/utf8.h"

#include <string.h>

size_t ssm_utf8_decode(uint32_t *cp, const void *s, size_t len)
{
	const unsigned char *p = s;
	uint32_t c;
	size_t n, i;

	if (!len)
		return 0;
	c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
	} else {
		return 0; /* continuation byte, overlong lead or past U+10FFFF
			   */
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	/* overlong 3- and 4-byte forms, surrogates, past U+10FFFF */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

size_t ssm_utf8_valid_prefix(const void *s, size_t len)
{
	const unsigned char *p = s;
	size_t i = 0, n;
	uint64_t w;
	uint32_t cp;

	while (i < len) {
		/* ASCII runs, eight bytes at a time */
		while (len - i >= 8) {
			memcpy(&w, p + i, 8);
			if (w & UINT64_C(0x8080808080808080))
				break;
			i += 8;
		}
		if (i >= len)
			break;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		n = ssm_utf8_decode(&cp, p + i, len - i);
		if (!n)
			return i;
		i += n;
	}
	return len;
}
