/* SPDX-License-Identifier: Apache-2.0 */
/* Random identifiers in SSM's shapes, and validators for them. */
#ifndef SSM_CORE_ID_H
#define SSM_CORE_ID_H

#include <stdbool.h>
#include <stddef.h>

#include "ssm/errors.h"

/* Buffer sizes, NUL included. */
#define SSM_UUID_SIZE 37      /* 8-4-4-4-12 */
#define SSM_NODE_ID_SIZE 21   /* "mi-" + 17 hex */
#define SSM_SESSION_ID_MAX 96 /* AWS SessionId: 1..96 chars */
#define SSM_SESSION_ID_SIZE (SSM_SESSION_ID_MAX + 1)
#define SSM_ID_HEX_DIGITS 17

/* A random (version 4) UUID in lower case, e.g. a command id:
 * "3b1c2f9e-0d4a-4c6e-9b7a-1f2e3d4c5b6a". */
ssm_err ssm_id_uuid4(char out[SSM_UUID_SIZE]);
/* A managed node id: "mi-" + 17 lower-case hex digits. */
ssm_err ssm_id_node(char out[SSM_NODE_ID_SIZE]);
/* A session id as AWS makes them: "<owner>-<17 lower-case hex>". @owner
 * (NULL or "": "session") keeps only A-Za-z0-9 and _.@+=,- (other bytes
 * become '-') and is cut so the id fits in 96 characters. */
ssm_err ssm_id_session(char out[SSM_SESSION_ID_SIZE], const char *owner);

/* 8-4-4-4-12 hex digits (either case, any version). */
bool ssm_id_is_uuid(const char *s);
/* "mi-" + exactly 17 lower-case hex digits. */
bool ssm_id_is_node(const char *s);
/* AWS's InstanceId pattern ^(i-(\w{8}|\w{17})|mi-\w{17})$. */
bool ssm_id_is_instance(const char *s);
/* The shape ssm_id_session() makes: 1..78 owner characters, '-', 17
 * lower-case hex digits; 96 characters at most. */
bool ssm_id_is_session(const char *s);

#endif
