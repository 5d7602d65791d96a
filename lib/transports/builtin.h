/* SPDX-License-Identifier: Apache-2.0 */
#ifndef SSM_TRANSPORTS_BUILTIN_H
#define SSM_TRANSPORTS_BUILTIN_H

#include "ssm/sys/transport.h"

/* The in-process transport: engines on a store in this process. It is not
 * registered by scheme: a client URL whose scheme is a store's uses it. */
extern const ssm_transport_ops ssm_transport__inproc_ops;

/* Called by ssm_ctx_new(): registers the built-in remote transports. */
ssm_err ssm_transports__register_builtins(ssm_ctx *ctx);

#endif
