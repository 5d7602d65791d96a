/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/types.h
 * @brief Opaque handle types used across the API.
 */
#ifndef SSM_TYPES_H
#define SSM_TYPES_H

#include "ssm/common.h"

SSM_BEGIN_DECL

/** A library context: plugin registries, logger, defaults. Thread-safe. */
typedef struct ssm_ctx ssm_ctx;

/** An open key/value store (see ssm/sys/store.h). */
typedef struct ssm_store ssm_store;

SSM_END_DECL

#endif
