/* SPDX-License-Identifier: Apache-2.0 */
/* ssm_str: internal growable text with an optional maximum size (curl's
 * dynbuf). Always NUL-terminated once anything was added. */
#ifndef SSM_CORE_STR_H
#define SSM_CORE_STR_H

#include <stdarg.h>
#include <stddef.h>

#include "ssm/buf.h"
#include "ssm/errors.h"

typedef struct ssm_str {
	char *ptr;
	size_t size;
	size_t asize;
	size_t max; /* 0: unlimited */
} ssm_str;

#define SSM_STR_INIT          \
	{                     \
		NULL, 0, 0, 0 \
	}

/* Set a maximum size; adding past it fails with SSM_ELIMIT. */
void ssm_str_init_max(ssm_str *s, size_t max);
ssm_err ssm_str_grow(ssm_str *s, size_t extra);
ssm_err ssm_str_put(ssm_str *s, const void *data, size_t len);
ssm_err ssm_str_puts(ssm_str *s, const char *text);
ssm_err ssm_str_putc(ssm_str *s, char c);
ssm_err ssm_str_printf(ssm_str *s, const char *fmt, ...)
	SSM_FORMAT_PRINTF(2, 3);
ssm_err ssm_str_vprintf(ssm_str *s, const char *fmt, va_list ap)
	SSM_FORMAT_PRINTF(2, 0);
/* "" when nothing was added. */
const char *ssm_str_cstr(const ssm_str *s);
void ssm_str_clear(ssm_str *s);
void ssm_str_truncate(ssm_str *s, size_t len);
/* Hand the bytes to the caller (free with ssm__free); the str is reset.
 * Returns an allocated "" when empty (or NULL when that fails). */
char *ssm_str_detach(ssm_str *s, size_t *len_out);
/* Move the contents into a public buffer (any old contents are disposed). */
ssm_err ssm_str_to_buf(ssm_buf *out, ssm_str *s);
void ssm_str_dispose(ssm_str *s);
/* Wipe then dispose (for text that held a secret). */
void ssm_str_dispose_secure(ssm_str *s);

#endif
