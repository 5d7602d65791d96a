/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON codec of shapes (AWS JSON 1.1): one decoder and one encoder for
 * every struct a shape describes (lib/api/shape.h has the C conventions).
 * The server decodes requests and encodes responses with it, the http
 * transport the other way round.
 *
 * Decoding: members are matched by their exact wire names; unknown members
 * and JSON nulls are ignored (absent); everything is allocated from the
 * arena. A member of the wrong JSON type fails with SSM_EINVALID, service
 * code "SerializationException" and a message naming the member by its
 * wire path: "'Filters[0].Key' must be a string, not a number".
 *
 * Encoding: absent members (NULL, false, 0, empty BLOB, NULL list/map; see
 * shape.h) are omitted unless the field has SSM_API_F_ZERO, which writes
 * them as "", false, 0, "" (ISOTIME), {} or []. A list or map that is
 * present but empty (items set, count 0) is always written ([] or {}).
 * Strings must be valid UTF-8 (else SSM_EINVALID). */
#ifndef SSM_API_CODEC_H
#define SSM_API_CODEC_H

#include "api/shape.h"
#include "core/arena.h"
#include "core/json.h"
#include "core/str.h"

#define SSM_API_SERIALIZATION "SerializationException"

/* Limits of a request body parse (the server's body limit caps the input
 * size separately). */
#define SSM_API_MAX_DEPTH 32
#define SSM_API_MAX_NODES 200000
/* Responses may be large (GetDocument, GetCommandInvocation output). */
#define SSM_API_MAX_RESPONSE ((size_t)64 << 20)

/* Decode the object @obj into @out (a zeroed struct of @shape). */
ssm_err ssm_api_decode(void *out, const ssm_api_shape *shape,
		       const ssm_json *obj, ssm_arena *arena);

/* Parse @len bytes of JSON text (at most @max_input; 0: no limit beyond
 * the parser's default) and decode it into @out (zeroed here). A body that
 * is not JSON or not an object is a SerializationException too. */
ssm_err ssm_api_decode_text(void *out, const ssm_api_shape *shape,
			    const char *text, size_t len, size_t max_input,
			    ssm_arena *arena);

/* Write @value as one JSON object. */
ssm_err ssm_api_encode(ssm_jsonw *w, const ssm_api_shape *shape,
		       const void *value);

/* Append @value as JSON text to @out. */
ssm_err ssm_api_encode_text(ssm_str *out, const ssm_api_shape *shape,
			    const void *value);

#endif
