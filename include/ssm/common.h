/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/common.h
 * @brief Export, linkage and version macros shared by every libssm header.
 */
#ifndef SSM_COMMON_H
#define SSM_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define SSM_BEGIN_DECL extern "C" {
#define SSM_END_DECL }
#else
#define SSM_BEGIN_DECL
#define SSM_END_DECL
#endif

/** Declare a public function with its return type and default visibility. */
#if defined(__GNUC__) || defined(__clang__)
#define SSM_EXTERN(type) __attribute__((visibility("default"))) type
#define SSM_DEPRECATED __attribute__((deprecated))
#define SSM_FORMAT_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define SSM_EXTERN(type) type
#define SSM_DEPRECATED
#define SSM_FORMAT_PRINTF(fmt, args)
#endif

/** @name Version of the headers in use (the library's is ssm_version()). */
/**@{*/
#define SSM_VERSION_MAJOR 0
#define SSM_VERSION_MINOR 1
#define SSM_VERSION_PATCH 0
#define SSM_VERSION "0.1.0"
/** One number that orders versions: 0xMMmmpp. */
#define SSM_VERSION_NUMBER                                      \
	((SSM_VERSION_MAJOR << 16) | (SSM_VERSION_MINOR << 8) | \
	 SSM_VERSION_PATCH)
/**@}*/

#endif
