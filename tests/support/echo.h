/* SPDX-License-Identifier: Apache-2.0 */
/* A test engine module (slot SSM_ENGINE_TEST) whose operations cover every
 * field type of lib/api/shape.h, shared by the api, codec and server suites,
 * the request fuzzer and bench_http:
 *
 *   Echo       (read-only) echoes Name, counts Names; special names:
 *              "missing"  -> ParameterNotFound
 *              "boom"     -> SSM_ERROR without an AWS name (a "bug")
 *              "throttle" -> ThrottlingException
 *              "slow"     -> answers after 300 ms
 *   EchoWrite  (writes) puts the key <service prefix>echo/<Name> in the
 *              store; Count is the store revision of the write
 *   EchoAll    (read-only) answers its request, every type, unchanged
 */
#ifndef SSM_TEST_ECHO_H
#define SSM_TEST_ECHO_H

#include <stdbool.h>
#include <stdint.h>

#include "api/op.h"

typedef struct filter {
	char *key;
	ssm_api_list values;
} filter;

typedef struct echo_in {
	char *name;
	char *type;
	char *secret;
	char *path;
	bool flag;
	int64_t max_results;
	ssm_api_list names;
	ssm_api_list filters;
	ssm_api_map tags;
	struct filter *one;
	char *note; /* a minimum length alone */
} echo_in;

typedef struct echo_out {
	char *name;
	int64_t count;
	int64_t when_ms;
} echo_out;

/* Every type, plain and with SSM_API_F_ZERO. */
typedef struct all_types {
	char *s;
	bool b;
	int64_t i;
	double d;
	int64_t t_ms;
	int64_t iso_ms;
	ssm_api_blob blob;
	filter *one;
	ssm_api_list strs;
	ssm_api_list structs;
	ssm_api_map smap;
	ssm_api_map lmap;
	char *z_s;
	bool z_b;
	int64_t z_i;
	double z_d;
	int64_t z_t;
	int64_t z_iso;
	ssm_api_blob z_blob;
	filter *z_one;
	ssm_api_list z_strs;
	ssm_api_map z_smap;
} all_types;

extern const ssm_api_shape echo_filter_shape;
extern const ssm_api_shape echo_in_shape;
extern const ssm_api_shape echo_out_shape;
extern const ssm_api_shape echo_all_shape;
extern const ssm_operation echo_op;
extern const ssm_operation echo_write_op;
extern const ssm_operation echo_all_op;
extern const ssm_engine_module echo_module;

/* Counters of the module (not synchronised: read them from one thread). */
extern int echo_handler_calls, echo_starts, echo_stops;

#endif
