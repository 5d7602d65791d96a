/* SPDX-License-Identifier: Apache-2.0 */
/* Shapes: declarative descriptions of the request and response structs of
 * SSM operations. One description drives validation (inproc and server),
 * the JSON decoder (server requests, client responses) and the JSON encoder
 * (client requests, server responses), so every transport behaves alike.
 *
 * Conventions of the C structs a shape describes:
 *   STRING   char *             NULL: absent
 *   BOOL     bool               false: absent (omitted when encoding)
 *   INT      int64_t            0: absent, unless SSM_API_F_ZERO
 *   TIME     int64_t ms         epoch ms <-> JSON number of seconds
 *                               (1528932105.382); 0: absent
 *   ISOTIME  int64_t ms         <-> ISO-8601 string; 0: absent
 *   BLOB     ssm_api_blob       <-> base64 string
 *   STRUCT   pointer to struct  NULL: absent
 *   LIST     ssm_api_list       items: char ** (STRING elements) or an
 *                               array of structs (STRUCT elements)
 *   MAP      ssm_api_map        string keys; STRING or LIST-of-STRING values
 *
 * Every struct a handler returns is allocated from its call's arena, never
 * aliasing the request (the response outlives it). */
#ifndef SSM_API_SHAPE_H
#define SSM_API_SHAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ssm/errors.h"
#include "core/arena.h"

typedef enum ssm_api_type {
	SSM_API_STRING = 1,
	SSM_API_BOOL = 2,
	SSM_API_INT = 3,
	SSM_API_TIME = 4,
	SSM_API_ISOTIME = 5,
	SSM_API_BLOB = 6,
	SSM_API_STRUCT = 7,
	SSM_API_LIST = 8,
	SSM_API_MAP = 9,
	SSM_API_DOUBLE = 10 /* double; 0: absent unless SSM_API_F_ZERO */
} ssm_api_type;

/* Field flags */
#define SSM_API_F_REQUIRED (1u << 0)  /* "Member must not be null" */
#define SSM_API_F_ZERO (1u << 1)      /* encode 0/false/empty too */
#define SSM_API_F_SENSITIVE (1u << 2) /* never echo in messages or logs */

typedef struct ssm_api_blob {
	unsigned char *ptr;
	size_t len;
} ssm_api_blob;

typedef struct ssm_api_list {
	void *items;
	size_t count;
} ssm_api_list;

typedef struct ssm_api_map_entry {
	char *key;
	char *value;	     /* STRING values */
	ssm_api_list values; /* LIST-of-STRING values */
} ssm_api_map_entry;

typedef struct ssm_api_map {
	ssm_api_map_entry *items;
	size_t count;
} ssm_api_map;

struct ssm_api_shape;

typedef struct ssm_api_field {
	const char *name; /* wire name, e.g. "Name" */
	ssm_api_type type;
	size_t offset;
	unsigned int flags;
	/* STRUCT: the shape; LIST/MAP of STRUCT: the element shape */
	const struct ssm_api_shape *shape;
	/* LIST and MAP: element type (STRING, STRUCT, or LIST for MAP) */
	ssm_api_type elem;
	/* STRING: length (code points); LIST/MAP: item count; INT: value.
	 * {0, 0}: no bounds; {min, 0} with min != 0: a minimum alone;
	 * otherwise min <= value <= max. */
	int64_t min, max;
	/* STRING (or STRING elements): allowed values, NULL-terminated */
	const char *const *enums;
	/* STRING (or STRING elements): PCRE2 pattern the value must match */
	const char *pattern;
	/* LIST of STRING / MAP: bounds of each element (as min/max) */
	int64_t elem_min, elem_max;
} ssm_api_field;

typedef struct ssm_api_shape {
	const char *name; /* e.g. "PutParameterRequest" */
	size_t size;	  /* sizeof the C struct */
	const ssm_api_field *fields;
	size_t nfields;
} ssm_api_shape;

#define SSM_API_SHAPE(shape_name, ctype, field_array)                \
	{                                                            \
		shape_name, sizeof(ctype), field_array,              \
			sizeof(field_array) / sizeof(field_array[0]) \
	}

/* Field initialisers; T is the C struct type, M the member. */
#define SSM_F_STRING(wire, T, M, fl, lo, hi)                          \
	{                                                             \
		.name = wire, .type = SSM_API_STRING,                 \
		.offset = offsetof(T, M), .flags = (fl), .min = (lo), \
		.max = (hi)                                           \
	}
#define SSM_F_ENUM(wire, T, M, fl, values)                                 \
	{                                                                  \
		.name = wire, .type = SSM_API_STRING,                      \
		.offset = offsetof(T, M), .flags = (fl), .enums = (values) \
	}
#define SSM_F_PATTERN(wire, T, M, fl, lo, hi, re)                     \
	{                                                             \
		.name = wire, .type = SSM_API_STRING,                 \
		.offset = offsetof(T, M), .flags = (fl), .min = (lo), \
		.max = (hi), .pattern = (re)                          \
	}
#define SSM_F_BOOL(wire, T, M, fl)                                            \
	{                                                                     \
		.name = wire, .type = SSM_API_BOOL, .offset = offsetof(T, M), \
		.flags = (fl)                                                 \
	}
#define SSM_F_INT(wire, T, M, fl, lo, hi)                                    \
	{                                                                    \
		.name = wire, .type = SSM_API_INT, .offset = offsetof(T, M), \
		.flags = (fl), .min = (lo), .max = (hi)                      \
	}
#define SSM_F_DOUBLE(wire, T, M, fl)                    \
	{                                               \
		.name = wire, .type = SSM_API_DOUBLE,   \
		.offset = offsetof(T, M), .flags = (fl) \
	}
#define SSM_F_TIME(wire, T, M, fl)                                            \
	{                                                                     \
		.name = wire, .type = SSM_API_TIME, .offset = offsetof(T, M), \
		.flags = (fl)                                                 \
	}
#define SSM_F_ISOTIME(wire, T, M, fl)                   \
	{                                               \
		.name = wire, .type = SSM_API_ISOTIME,  \
		.offset = offsetof(T, M), .flags = (fl) \
	}
#define SSM_F_BLOB(wire, T, M, fl)                                            \
	{                                                                     \
		.name = wire, .type = SSM_API_BLOB, .offset = offsetof(T, M), \
		.flags = (fl)                                                 \
	}
#define SSM_F_STRUCT(wire, T, M, fl, sh)                               \
	{                                                              \
		.name = wire, .type = SSM_API_STRUCT,                  \
		.offset = offsetof(T, M), .flags = (fl), .shape = (sh) \
	}
#define SSM_F_LIST_OF(wire, T, M, fl, lo, hi, sh)                             \
	{                                                                     \
		.name = wire, .type = SSM_API_LIST, .offset = offsetof(T, M), \
		.flags = (fl), .elem = SSM_API_STRUCT, .shape = (sh),         \
		.min = (lo), .max = (hi)                                      \
	}
#define SSM_F_STRINGS(wire, T, M, fl, lo, hi, elo, ehi)                       \
	{                                                                     \
		.name = wire, .type = SSM_API_LIST, .offset = offsetof(T, M), \
		.flags = (fl), .elem = SSM_API_STRING, .min = (lo),           \
		.max = (hi), .elem_min = (elo), .elem_max = (ehi)             \
	}
#define SSM_F_STRMAP(wire, T, M, fl, lo, hi)                                 \
	{                                                                    \
		.name = wire, .type = SSM_API_MAP, .offset = offsetof(T, M), \
		.flags = (fl), .elem = SSM_API_STRING, .min = (lo),          \
		.max = (hi)                                                  \
	}
#define SSM_F_LISTMAP(wire, T, M, fl, lo, hi)                                 \
	{                                                                     \
		.name = wire, .type = SSM_API_MAP, .offset = offsetof(T, M),  \
		.flags = (fl), .elem = SSM_API_LIST, .min = (lo), .max = (hi) \
	}

/* Check a struct against its shape: required members, lengths, enums,
 * patterns, ranges, counts, UTF-8. On failure sets SSM_EINVALID with
 * service code "ValidationException" and AWS's message form:
 *   "2 validation errors detected: Value 'x' at 'name' failed to satisfy
 *    constraint: Member must have length less than or equal to 2048; ..."
 * (member paths lower camel case, list items "filters.1.member.key"). */
ssm_err ssm_api_validate(const ssm_api_shape *shape, const void *value);

/* Free the compiled-pattern cache (at the last ssm_shutdown). */
void ssm_api__patterns_dispose(void);

/* Count UTF-8 code points; returns -1 when @s is not valid UTF-8. */
int64_t ssm_api__utf8_length(const char *s, size_t len);

#endif
