/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/ssm.h
 * @brief Umbrella header: includes the whole public libssm API.
 *
 * Plugin interfaces live under ssm/sys/ and are included separately.
 */
#ifndef SSM_SSM_H
#define SSM_SSM_H

#include "ssm/common.h"
#include "ssm/types.h"
#include "ssm/errors.h"
#include "ssm/global.h"
#include "ssm/log.h"
#include "ssm/buf.h"
#include "ssm/ctx.h"
#include "ssm/client.h"
#include "ssm/baseline.h"
#include "ssm/events.h"
#include "ssm/tags.h"
#include "ssm/param.h"
#include "ssm/key.h"
#include "ssm/server.h"
#include "ssm/document.h"

#endif
