/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/global.h
 * @brief Process-wide set-up and the library's version.
 *
 * ssm_init() and ssm_shutdown() are the only process-wide calls. They are
 * reference-counted and thread-safe: every ssm_init() is paired with one
 * ssm_shutdown(), and the last one releases what the dependencies keep.
 */
#ifndef SSM_GLOBAL_H
#define SSM_GLOBAL_H

#include "ssm/common.h"
#include "ssm/errors.h"

SSM_BEGIN_DECL

/**
 * Initialise the library; call before anything else.
 *
 * May be called several times (from any thread); each call must be matched by
 * one ssm_shutdown().
 *
 * @return SSM_OK, or SSM_ERROR when a dependency fails to initialise
 * @since 0.1
 */
SSM_EXTERN(ssm_err) ssm_init(void);

/**
 * Release one reference taken by ssm_init().
 *
 * Objects still alive must not be used after the last shutdown.
 *
 * @return SSM_OK, or SSM_EINVALID when there is no matching ssm_init()
 * @since 0.1
 */
SSM_EXTERN(ssm_err) ssm_shutdown(void);

/**
 * The version of the library that is running (not of the headers in use).
 *
 * @param[out] major  major version; may be NULL
 * @param[out] minor  minor version; may be NULL
 * @param[out] patch  patch version; may be NULL
 * @since 0.1
 */
SSM_EXTERN(void)
ssm_version(unsigned int *major, unsigned int *minor, unsigned int *patch);

/**
 * The version of the running library as text, e.g. "0.1.0".
 *
 * @return static text
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_version_string(void);

SSM_END_DECL

#endif
