/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/buf.h
 * @brief Output buffers and string arrays filled by the library.
 *
 * The caller owns the struct and, after a successful call, its contents; it
 * releases them with ssm_buf_dispose() / ssm_strarray_dispose().
 */
#ifndef SSM_BUF_H
#define SSM_BUF_H

#include "ssm/common.h"
#include "ssm/errors.h"

SSM_BEGIN_DECL

/**
 * Bytes filled by the library. After a successful fill @c ptr is non-NULL and
 * NUL-terminated at @c ptr[size] (so text can be used as a C string; binary
 * data may contain NULs before it).
 */
typedef struct ssm_buf {
	char *ptr;    /**< the bytes, or NULL when empty and never filled */
	size_t size;  /**< number of bytes, not counting the terminating NUL */
	size_t asize; /**< allocated size; 0 when @c ptr is not owned */
} ssm_buf;

/** Initialiser for an empty buffer. */
#define SSM_BUF_INIT       \
	{                  \
		NULL, 0, 0 \
	}

/**
 * Free the contents of a buffer, wiping them first, and reset it to empty.
 *
 * @param buf the buffer; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_buf_dispose(ssm_buf *buf);

/**
 * Replace the contents of a buffer with a copy of @p data (for plugins that
 * fill output buffers).
 *
 * @param buf   the buffer to fill
 * @param data  bytes to copy; may be NULL when @p len is 0
 * @param len   number of bytes
 * @return SSM_OK, SSM_EINVALID for a NULL argument, SSM_ERROR when out of
 *         memory (the buffer is then unchanged)
 * @since 0.1
 */
SSM_EXTERN(ssm_err) ssm_buf_set(ssm_buf *buf, const void *data, size_t len);

/** A list of strings filled by the library. */
typedef struct ssm_strarray {
	char **strings; /**< @c count NUL-terminated strings */
	size_t count;	/**< number of strings */
} ssm_strarray;

/** Initialiser for an empty array. */
#define SSM_STRARRAY_INIT \
	{                 \
		NULL, 0   \
	}

/**
 * Free every string of the array and the array itself, and reset it.
 *
 * @param array the array; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_strarray_dispose(ssm_strarray *array);

SSM_END_DECL

#endif
