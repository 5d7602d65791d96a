/* SPDX-License-Identifier: Apache-2.0 */
/* Operations, calls and the service (the engines bound to one store, account
 * and region). One operation table serves every transport: inproc calls
 * handlers with C structs; the server and the http transport use the same
 * shapes to speak AWS JSON 1.1. */
#ifndef SSM_API_OP_H
#define SSM_API_OP_H

#include <stdatomic.h>

#include "ssm/client.h"
#include "ssm/sys/store.h"
#include "ssm/sys/transport.h"
#include "api/shape.h"
#include "core/arena.h"

typedef struct ssm_service ssm_service;

/* What a handler gets besides its request and response. */
typedef struct ssm_service_call {
	ssm_service *svc;
	ssm_call *call;	       /* allocate the response from here */
	int64_t now_ms;	       /* the service clock at the start of the call */
	const char *principal; /* caller identity (ARN), NULL when embedded */
} ssm_service_call;

typedef ssm_err (*ssm_op_handler)(ssm_service_call *sc, const void *request,
				  void *response);

#define SSM_OP_IDEMPOTENT (1u << 0) /* read-only: safe to retry */

struct ssm_operation {
	const char *name; /* "PutParameter" */
	const ssm_api_shape *input;
	const ssm_api_shape *output;
	ssm_op_handler handler;
	unsigned int flags;
};

/* A call: owns the arena its response lives in. Public result objects embed
 * one, so results need no copying. */
struct ssm_call {
	ssm_arena arena;
	int64_t deadline_ms; /* monotonic; 0: none */
};

void ssm_call__init(ssm_call *call, int64_t timeout_ms);
void ssm_call__dispose(ssm_call *call);
/* Allocation from the call's arena (NULL with the error set on failure). */
void *ssm_call__alloc(ssm_call *call, size_t size);
char *ssm_call__strdup(ssm_call *call, const char *s);
char *ssm_call__strndup(ssm_call *call, const char *s, size_t n);

/* Find an operation by its AWS name; NULL when unknown. */
const ssm_operation *ssm_api__find_op(const char *name, size_t len);

/* The engines: each module starts with the service (seeding its built-ins,
 * starting its timers) and stops with it. */
typedef struct ssm_engine_module {
	const char *name;
	ssm_err (*start)(ssm_service *svc);
	void (*stop)(ssm_service *svc);
	const ssm_operation *const *ops; /* NULL-terminated */
} ssm_engine_module;

/* Slots of engine state in a service. */
typedef enum ssm_engine_id {
	SSM_ENGINE_TEST = 0, /* tests register a module here */
	SSM_ENGINE_DOCUMENT = 1,
	SSM_ENGINE_PARAM = 2,
	SSM_ENGINE_NODE = 3,
	SSM_ENGINE_COMMAND = 4,
	SSM_ENGINE_PATCH = 5,
	SSM_ENGINE_SESSION = 6,
	SSM_ENGINE_MAX = 8
} ssm_engine_id;

typedef struct ssm_service_options {
	const char *account_id; /* NULL: "123456789012" */
	const char *region;	/* NULL: "us-east-1" */
	const char *keyring;	/* NULL: engine default */
} ssm_service_options;

struct ssm_service {
	atomic_int refs;
	ssm_ctx *ctx;
	ssm_store *store;
	char *store_url;
	char *account_id;
	char *region;
	char *keyring;
	char *prefix; /* store keys of this service start with it */
	size_t prefix_len;
	void *engine[SSM_ENGINE_MAX];
	int started; /* modules started, for stop in reverse order */
};

/* Open or share the service of (store URL, account, region) in @ctx. */
ssm_err ssm_service__open(ssm_service **out, ssm_ctx *ctx,
			  const char *store_url,
			  const ssm_service_options *opts);
/* Make a service over an already open store (the caller keeps the store
 * open for as long as the service lives). Not shared. */
ssm_err ssm_service__new(ssm_service **out, ssm_ctx *ctx, ssm_store *store,
			 const ssm_service_options *opts);
ssm_service *ssm_service__ref(ssm_service *svc);
void ssm_service__unref(ssm_service *svc);

/* Run one operation against the service: validate the request, call the
 * handler. The server and the inproc transport both come here. */
ssm_err ssm_service__call(ssm_service *svc, const ssm_operation *op,
			  const void *request, void *response, ssm_call *call,
			  const char *principal);

/* Test hook: a module for the SSM_ENGINE_TEST slot (NULL to remove). */
void ssm_service__set_test_module(const ssm_engine_module *module);

#endif
