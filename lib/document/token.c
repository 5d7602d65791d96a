/* SPDX-License-Identifier: Apache-2.0 */
/* Finding {{ ... }} tokens in document strings (spec 1.4): "{{", optional
 * whitespace, a name, optional whitespace, "}}". The name says what the
 * token is: a parameter ("commands"), a Parameter Store reference
 * ("ssm:/app/x", "ssm-secure:/app/y:3"), an Automation built-in
 * ("global:REGION", "automation:EXECUTION_ID") or an Automation step output
 * ("launch.InstanceIds"). Anything else between braces is not a token and
 * stays text. */
#include <string.h>

#include "document/doc.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static bool is_name_char(char c)
{
	return is_word(c) || c == '.' || c == ':' || c == '/' || c == '-';
}

static bool has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len > n && memcmp(s, prefix, n) == 0;
}

static bool all_word(const char *s, size_t len)
{
	size_t i;

	if (!len)
		return false;
	for (i = 0; i < len; i++)
		if (!is_word(s[i]))
			return false;
	return true;
}

/* Classify a name; false when it is not a token. */
static bool classify(ssm_doc_token *tok, const char *name, size_t len)
{
	const char *dot;

	if (has_prefix(name, len, "ssm:")) {
		tok->kind = SSM_DOC_TOK_SSM;
		tok->body = name + 4;
		tok->body_len = len - 4;
		return true;
	}
	if (has_prefix(name, len, "ssm-secure:")) {
		tok->kind = SSM_DOC_TOK_SECURE;
		tok->body = name + 11;
		tok->body_len = len - 11;
		return true;
	}
	if (has_prefix(name, len, "global:") && all_word(name + 7, len - 7)) {
		tok->kind = SSM_DOC_TOK_GLOBAL;
		tok->body = name + 7;
		tok->body_len = len - 7;
		return true;
	}
	if (has_prefix(name, len, "automation:") &&
	    all_word(name + 11, len - 11)) {
		tok->kind = SSM_DOC_TOK_AUTOMATION;
		tok->body = name + 11;
		tok->body_len = len - 11;
		return true;
	}
	tok->body = name;
	tok->body_len = len;
	if (all_word(name, len)) {
		tok->kind = SSM_DOC_TOK_PARAM;
		return true;
	}
	/* step.Output: word characters around dots, no empty parts */
	dot = memchr(name, '.', len);
	if (dot && dot != name) {
		size_t i, part = 0;

		for (i = 0; i < len; i++) {
			if (name[i] == '.') {
				if (!part)
					return false;
				part = 0;
			} else if (is_word(name[i])) {
				part++;
			} else {
				return false;
			}
		}
		if (!part)
			return false;
		tok->kind = SSM_DOC_TOK_STEP_OUTPUT;
		return true;
	}
	return false;
}

/* A token starting at @at ("{{"); false when the text there is not one. */
static bool token_at(ssm_doc_token *tok, const char *s, size_t len, size_t at)
{
	size_t i = at + 2, name, name_end;

	while (i < len && is_space(s[i]))
		i++;
	name = i;
	while (i < len && is_name_char(s[i]))
		i++;
	name_end = i;
	if (name_end == name)
		return false;
	while (i < len && is_space(s[i]))
		i++;
	if (i + 1 >= len || s[i] != '}' || s[i + 1] != '}')
		return false;
	if (!classify(tok, s + name, name_end - name))
		return false;
	tok->start = at;
	tok->end = i + 2;
	return true;
}

bool ssm_doc__token_next(ssm_doc_token *tok, const char *s, size_t len,
			 size_t from)
{
	size_t i;

	for (i = from; i + 3 < len; i++) {
		const char *p = memchr(s + i, '{', len - i - 1);

		if (!p)
			return false;
		i = (size_t)(p - s);
		if (s[i + 1] == '{' && token_at(tok, s, len, i))
			return true;
	}
	return false;
}

bool ssm_doc__token_whole(ssm_doc_token *tok, const char *s, size_t len)
{
	if (len < 5 || s[0] != '{' || s[1] != '{')
		return false;
	return token_at(tok, s, len, 0) && tok->end == len;
}
