/* SPDX-License-Identifier: Apache-2.0 */
/* YAML documents on libyaml, into and out of the tree of core/json.h
 * (internal).
 *
 * Parsing follows the YAML 1.2 core schema for plain scalars: null, Null,
 * NULL, ~ and the empty scalar are null; true/True/TRUE and
 * false/False/FALSE are booleans; decimal, 0o and 0x integers and decimal
 * floats (with .inf, -.inf, .nan) are numbers; anything else is a string.
 * Quoted and block scalars are strings. The tags !!str, !!int, !!float,
 * !!bool, !!null, !!seq and !!map are honoured; other tags are refused.
 * Mapping keys must be scalars (their text becomes the key); duplicate keys
 * are refused as in JSON. Merge keys (<<: *base, <<: [*a, *b]) are
 * supported: explicit keys win, then earlier sources.
 *
 * Aliases share the anchored subtree (no copy). So that an alias bomb fails
 * fast, the expanded document is capped: at most limits->max_nodes values,
 * at most max(10 x the values written out, 10,000), nesting within
 * max_depth, and at most limits->max_input bytes of strings and keys.
 *
 * Errors: "line L, column C: what" with class SSM_ERRCLASS_YAML, codes as
 * for ssm_json_parse(); libyaml's own problems keep its wording.
 */
#ifndef SSM_CORE_YAML_H
#define SSM_CORE_YAML_H

#include "core/json.h"

/* Parse exactly one YAML document from @text (UTF-8). An empty stream is
 * "document is empty"; a second document "more than one YAML document".
 * @limits may be NULL. On failure *out is NULL. */
ssm_err ssm_yaml_parse(ssm_json_doc **out, const char *text, size_t len,
		       const ssm_json_limits *limits);

/* Append @v as a YAML document (block style, 2-space indent, no "---") to
 * @out. Strings that would read back as another type or are otherwise
 * ambiguous are quoted; multi-line strings use literal blocks (|). Reading
 * the text back with ssm_yaml_parse() gives an equal tree. SSM_EINVALID for
 * a string that is not valid UTF-8, SSM_ELIMIT past @out's maximum or
 * SSM_JSON_WRITE_MAX_DEPTH. @flags: none yet, pass 0. */
ssm_err ssm_yaml_write(ssm_str *out, const ssm_json *v, unsigned int flags);

#endif
