/* SPDX-License-Identifier: Apache-2.0 */
#include "echo.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/codec.h"
#include "core/error.h"

int echo_handler_calls, echo_starts, echo_stops;

static const char *const types[] = { "String", "StringList", "SecureString",
				     NULL };

static const ssm_api_field filter_fields[] = {
	SSM_F_STRING("Key", filter, key, SSM_API_F_REQUIRED, 1, 8),
	SSM_F_STRINGS("Values", filter, values, 0, 1, 2, 1, 4),
};
const ssm_api_shape echo_filter_shape =
	SSM_API_SHAPE("Filter", filter, filter_fields);

static const ssm_api_field echo_in_fields[] = {
	SSM_F_STRING("Name", echo_in, name, SSM_API_F_REQUIRED, 1, 10),
	SSM_F_ENUM("Type", echo_in, type, 0, types),
	SSM_F_STRING("Secret", echo_in, secret, SSM_API_F_SENSITIVE, 0, 4),
	SSM_F_PATTERN("Path", echo_in, path, 0, 1, 100, "^/[a-z/]*$"),
	SSM_F_BOOL("Flag", echo_in, flag, 0),
	SSM_F_INT("MaxResults", echo_in, max_results, 0, 1, 10),
	SSM_F_STRINGS("Names", echo_in, names, 0, 1, 3, 1, 5),
	SSM_F_LIST_OF("Filters", echo_in, filters, 0, 0, 2, &echo_filter_shape),
	SSM_F_STRMAP("Tags", echo_in, tags, 0, 0, 2),
	SSM_F_STRUCT("One", echo_in, one, 0, &echo_filter_shape),
	SSM_F_STRING("Note", echo_in, note, 0, 1, 0), /* a minimum alone */
};
const ssm_api_shape echo_in_shape =
	SSM_API_SHAPE("EchoRequest", echo_in, echo_in_fields);

static const ssm_api_field echo_out_fields[] = {
	SSM_F_STRING("Name", echo_out, name, 0, 0, 0),
	SSM_F_INT("Count", echo_out, count, SSM_API_F_ZERO, 0, 0),
	SSM_F_TIME("When", echo_out, when_ms, 0),
};
const ssm_api_shape echo_out_shape =
	SSM_API_SHAPE("EchoResponse", echo_out, echo_out_fields);

/* the same members, none required (F_ZERO writes {} for an absent one) */
static const ssm_api_field opt_filter_fields[] = {
	SSM_F_STRING("Key", filter, key, 0, 0, 0),
	SSM_F_STRINGS("Values", filter, values, 0, 0, 0, 0, 0),
};
static const ssm_api_shape opt_filter_shape =
	SSM_API_SHAPE("OptFilter", filter, opt_filter_fields);

#define A all_types
#define Z SSM_API_F_ZERO
static const ssm_api_field all_fields[] = {
	SSM_F_STRING("S", A, s, 0, 0, 0),
	SSM_F_BOOL("B", A, b, 0),
	SSM_F_INT("I", A, i, 0, 0, 0),
	SSM_F_DOUBLE("D", A, d, 0),
	SSM_F_TIME("T", A, t_ms, 0),
	SSM_F_ISOTIME("Iso", A, iso_ms, 0),
	SSM_F_BLOB("Blob", A, blob, 0),
	SSM_F_STRUCT("One", A, one, 0, &opt_filter_shape),
	SSM_F_STRINGS("Strs", A, strs, 0, 0, 0, 0, 0),
	SSM_F_LIST_OF("Structs", A, structs, 0, 0, 0, &opt_filter_shape),
	SSM_F_STRMAP("SMap", A, smap, 0, 0, 0),
	SSM_F_LISTMAP("LMap", A, lmap, 0, 0, 0),
	SSM_F_STRING("ZS", A, z_s, Z, 0, 0),
	SSM_F_BOOL("ZB", A, z_b, Z),
	SSM_F_INT("ZI", A, z_i, Z, 0, 0),
	SSM_F_DOUBLE("ZD", A, z_d, Z),
	SSM_F_TIME("ZT", A, z_t, Z),
	SSM_F_ISOTIME("ZIso", A, z_iso, Z),
	SSM_F_BLOB("ZBlob", A, z_blob, Z),
	SSM_F_STRUCT("ZOne", A, z_one, Z, &opt_filter_shape),
	SSM_F_STRINGS("ZStrs", A, z_strs, Z, 0, 0, 0, 0),
	SSM_F_STRMAP("ZSMap", A, z_smap, Z, 0, 0),
};
#undef A
#undef Z
const ssm_api_shape echo_all_shape =
	SSM_API_SHAPE("AllTypes", all_types, all_fields);

static ssm_err echo_handler(ssm_service_call *sc, const void *request,
			    void *response)
{
	const echo_in *in = request;
	echo_out *out = response;

	echo_handler_calls++;
	if (strcmp(in->name, "missing") == 0)
		return ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_PARAM,
				      "ParameterNotFound",
				      "parameter '%s' not found", in->name);
	if (strcmp(in->name, "boom") == 0)
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_STORE, NULL,
				      "disk on fire at /secret/path");
	if (strcmp(in->name, "throttle") == 0)
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_API,
				      "ThrottlingException", "Rate exceeded");
	if (strcmp(in->name, "slow") == 0) {
		struct timespec ts = { 0, 300 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	out->name = ssm_call__strdup(sc->call, in->name);
	out->count = (int64_t)in->names.count;
	out->when_ms = sc->now_ms;
	return out->name ? SSM_OK : SSM_ERROR;
}

static ssm_err echo_write_handler(ssm_service_call *sc, const void *request,
				  void *response)
{
	const echo_in *in = request;
	echo_out *out = response;
	uint64_t rev = 0;
	char key[256];

	echo_handler_calls++;
	snprintf(key, sizeof(key), "%secho/%s", sc->svc->prefix, in->name);
	SSM_TRY(ssm_store_put(&rev, sc->svc->store, key, strlen(key), "x", 1,
			      NULL));
	out->name = ssm_call__strdup(sc->call, in->name);
	out->count = (int64_t)rev;
	out->when_ms = sc->now_ms;
	return out->name ? SSM_OK : SSM_ERROR;
}

/* A deep copy through the codec: the response must not alias the request. */
static ssm_err echo_all_handler(ssm_service_call *sc, const void *request,
				void *response)
{
	ssm_str text = SSM_STR_INIT;
	ssm_err error;

	echo_handler_calls++;
	error = ssm_api_encode_text(&text, &echo_all_shape, request);
	if (error == SSM_OK)
		error = ssm_api_decode_text(response, &echo_all_shape, text.ptr,
					    text.size, 0, &sc->call->arena);
	ssm_str_dispose(&text);
	return error;
}

const ssm_operation echo_op = {
	"Echo",	      &echo_in_shape,	 &echo_out_shape,
	echo_handler, SSM_OP_IDEMPOTENT,
};
const ssm_operation echo_write_op = {
	"EchoWrite", &echo_in_shape, &echo_out_shape, echo_write_handler, 0,
};
const ssm_operation echo_all_op = {
	"EchoAll",	  &echo_all_shape,   &echo_all_shape,
	echo_all_handler, SSM_OP_IDEMPOTENT,
};
static const ssm_operation *const echo_ops[] = { &echo_op, &echo_write_op,
						 &echo_all_op, NULL };

static ssm_err echo_start(ssm_service *svc)
{
	(void)svc;
	echo_starts++;
	return SSM_OK;
}

static void echo_stop(ssm_service *svc)
{
	(void)svc;
	echo_stops++;
}

const ssm_engine_module echo_module = { "test", echo_start, echo_stop,
					echo_ops };
