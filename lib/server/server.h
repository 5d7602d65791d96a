/* SPDX-License-Identifier: Apache-2.0 */
/* Internal side of ssm_server (include/ssm/server.h). */
#ifndef SSM_SERVER_SERVER_H
#define SSM_SERVER_SERVER_H

#include "ssm/server.h"
#include "api/op.h"

/* The service of @region behind the server (made on first use; owned by
 * the server, valid until the next reset or ssm_server_free()). Tests and
 * in-process tools use it to look at the state a remote client changed. */
ssm_err ssm_server__service(ssm_service **out, ssm_server *server,
			    const char *region);

/* The store the server owns. */
ssm_store *ssm_server__store(ssm_server *server);

#endif
