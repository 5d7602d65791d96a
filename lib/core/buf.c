/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "ssm/buf.h"
#include "core/alloc.h"
#include "core/error.h"

void ssm_buf_dispose(ssm_buf *buf)
{
	if (!buf)
		return;
	if (buf->ptr && buf->asize)
		ssm__free_secure(buf->ptr, buf->asize);
	buf->ptr = NULL;
	buf->size = buf->asize = 0;
}

ssm_err ssm_buf_set(ssm_buf *buf, const void *data, size_t len)
{
	size_t asize;
	char *p;

	SSM_ASSERT_ARG(buf);
	SSM_ASSERT_ARG(data || !len);
	if (ssm__add_overflow(&asize, len, 1))
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_NOMEMORY, NULL,
				      "buffer size overflows");
	p = ssm__malloc(asize);
	if (!p)
		return SSM_ERROR;
	if (len)
		memcpy(p, data, len);
	p[len] = '\0';
	ssm_buf_dispose(buf);
	buf->ptr = p;
	buf->size = len;
	buf->asize = asize;
	return SSM_OK;
}

void ssm_strarray_dispose(ssm_strarray *array)
{
	size_t i;

	if (!array)
		return;
	for (i = 0; i < array->count; i++)
		ssm__free(array->strings[i]);
	ssm__free(array->strings);
	array->strings = NULL;
	array->count = 0;
}
