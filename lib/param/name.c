/* SPDX-License-Identifier: Apache-2.0 */
/* Parameter names, selectors, ARNs, paths and labels (spec §3.1, §3.5). */
#include <string.h>

#include "core/error.h"
#include "param/param.h"

/* AWS's texts */
#define MSG_BAD_NAME                                                         \
	"Parameter name: can't be prefixed with \"aws\" or \"ssm\" "         \
	"(case-insensitive). If formed as a path, it can consist of "        \
	"sub-paths divided by slash symbol; each sub-path can be formed as " \
	"a mix of letters, numbers and the following 3 symbols .-_"
#define MSG_RESERVED                                                 \
	"Parameter name: can't be prefixed with \"aws\" or \"ssm\" " \
	"(case-insensitive)."
#define MSG_NOT_QUALIFIED "Parameter name must be a fully qualified name."
#define MSG_LEVELS                                                            \
	"A hierarchy can have a maximum of 15 levels. For more information, " \
	"see https://docs.aws.amazon.com/systems-manager/latest/userguide/"   \
	"sysman-parameter-name-constraints.html"
#define MSG_BAD_PATH                                                         \
	"The parameter doesn't meet the parameter name requirements. The "   \
	"parameter name must begin with a forward slash \"/\". It can't be " \
	"prefixed with \"aws\" or \"ssm\" (case-insensitive). It must use "  \
	"only letters, numbers, or the following symbols: . (period), - "    \
	"(hyphen), _ (underscore). Special characters are not allowed. All " \
	"sub-paths, if specified, must use the forward slash symbol \"/\". " \
	"Valid example: /get/parameters2-/by1./path0_."

static bool name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ||
	       c == '/';
}

static bool prefix_ci(const char *s, size_t len, const char *p)
{
	size_t i, n = strlen(p);

	if (len < n)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != p[i])
			return false;
	}
	return true;
}

static void trim(const char **s, size_t *len)
{
	while (*len && **s == ' ') {
		(*s)++;
		(*len)--;
	}
	while (*len && (*s)[*len - 1] == ' ')
		(*len)--;
}

static ssm_err invalid(const char *msg)
{
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM,
			      "ValidationException", "%s", msg);
}

/* Syntax of a name without selector: charset, '/' rules. Returns the number
 * of components, or 0 with the error set. */
static size_t check_syntax(const char *s, size_t len)
{
	size_t i, comps = 1;

	if (!len) {
		invalid(MSG_BAD_NAME);
		return 0;
	}
	for (i = 0; i < len; i++)
		if (!name_char((unsigned char)s[i])) {
			invalid(MSG_BAD_NAME);
			return 0;
		}
	if (!memchr(s, '/', len))
		return 1;
	if (s[0] != '/') {
		invalid(MSG_NOT_QUALIFIED);
		return 0;
	}
	for (i = 1; i <= len; i++) {
		if (i == len || s[i] == '/') {
			/* an empty component: "//", "/" or a trailing '/' */
			if (s[i - 1] == '/') {
				invalid(MSG_BAD_NAME);
				return 0;
			}
			if (i < len)
				comps++;
		}
	}
	return comps;
}

size_t param_levels(const char *norm)
{
	size_t n = 0;

	if (*norm != '/')
		return 1;
	for (; *norm; norm++)
		if (*norm == '/')
			n++;
	return n;
}

ssm_err param_name_for_write(char **norm_out, char **given_out,
			     const param_engine *pe, const char *name,
			     ssm_arena *arena)
{
	const char *s = name, *first, *norm;
	size_t len = strlen(name), comps, flen, nlen;

	trim(&s, &len);
	comps = check_syntax(s, len);
	if (!comps)
		return SSM_EINVALID;
	if (comps > PARAM_MAX_LEVELS)
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_PARAM,
				      "HierarchyLevelLimitExceededException",
				      MSG_LEVELS);
	/* "/a" and "a" are one parameter */
	norm = s;
	nlen = len;
	if (s[0] == '/' && comps == 1) {
		norm++;
		nlen--;
	}
	first = norm[0] == '/' ? norm + 1 : norm;
	flen = strcspn(first, "/");
	if (flen > (size_t)(s + len - first))
		flen = (size_t)(s + len - first);
	if (prefix_ci(first, flen, "aws") || prefix_ci(first, flen, "ssm")) {
		if (comps == 1)
			return invalid(MSG_RESERVED);
		if (flen == 3 && prefix_ci(first, flen, "aws"))
			return ssm_error__set(SSM_EAUTH, SSM_ERRCLASS_PARAM,
					      "AccessDeniedException",
					      "No access to reserved parameter "
					      "name: %.*s.",
					      (int)len, s);
		return invalid(MSG_BAD_NAME);
	}
	if (pe->arn_prefix_len + nlen - (norm[0] == '/') > PARAM_MAX_ARN_LEN)
		return ssm_error__set(
			SSM_EINVALID, SSM_ERRCLASS_PARAM, "ValidationException",
			"Parameter name '%.64s...' is too long: its ARN would "
			"have %zu characters; the maximum is %d",
			s, pe->arn_prefix_len + nlen - (norm[0] == '/'),
			PARAM_MAX_ARN_LEN);
	*norm_out = ssm_arena_strndup(arena, norm, nlen);
	*given_out = ssm_arena_strndup(arena, s, len);
	return *norm_out && *given_out ? SSM_OK : SSM_ERROR;
}

ssm_err param_parse_ref(param_ref *out, const param_engine *pe,
			const char *text, bool allow_arn, bool allow_selector,
			ssm_arena *arena)
{
	const char *s = text, *colon, *sel = NULL;
	size_t len = strlen(text), nlen, comps, i;
	bool from_arn = false;

	memset(out, 0, sizeof(*out));
	trim(&s, &len);
	if (allow_arn && len >= 4 && memcmp(s, "arn:", 4) == 0) {
		if (len <= pe->arn_prefix_len ||
		    memcmp(s, pe->arn_prefix, pe->arn_prefix_len) != 0)
			return SSM_ENOTFOUND; /* another account or region */
		s += pe->arn_prefix_len;
		len -= pe->arn_prefix_len;
		if (s[0] == '/')
			return SSM_ENOTFOUND;
		from_arn = true;
	}
	colon = memchr(s, ':', len);
	nlen = colon ? (size_t)(colon - s) : len;
	if (colon) {
		sel = colon + 1;
		if (!allow_selector || memchr(sel, ':', len - nlen - 1) ||
		    sel == s + len)
			return SSM_ENOTFOUND;
	}
	if (from_arn && memchr(s, '/', nlen)) {
		/* the ARN drops the leading '/' of hierarchical names */
		out->name = ssm_arena_alloc(arena, nlen + 2);
		if (!out->name)
			return SSM_ERROR;
		out->name[0] = '/';
		memcpy(out->name + 1, s, nlen);
		out->name[nlen + 1] = '\0';
		out->name_len = nlen + 1;
	} else {
		out->name = ssm_arena_strndup(arena, s, nlen);
		if (!out->name)
			return SSM_ERROR;
		out->name_len = nlen;
	}
	comps = check_syntax(out->name, out->name_len);
	if (!comps)
		return SSM_EINVALID;
	if (comps > PARAM_MAX_LEVELS)
		return SSM_ENOTFOUND;
	if (out->name[0] == '/' && comps == 1) {
		out->name++;
		out->name_len--;
	}
	if (!sel)
		return SSM_OK;
	out->selector =
		ssm_arena_strndup(arena, colon, (size_t)(s + len - colon));
	if (!out->selector)
		return SSM_ERROR;
	for (i = 0; sel + i < s + len; i++)
		if (sel[i] < '0' || sel[i] > '9')
			break;
	if (sel + i == s + len) {
		uint64_t v = 0;

		for (i = 0; sel + i < s + len; i++) {
			if (v > (UINT64_MAX - 9) / 10)
				return SSM_ENOTFOUND;
			v = v * 10 + (uint64_t)(sel[i] - '0');
		}
		out->version = v ? v : UINT64_MAX; /* ":0" never exists */
	} else {
		out->label = out->selector + 1;
	}
	return SSM_OK;
}

bool param_label_valid(const char *label)
{
	size_t i, len = strlen(label);

	if (!len || len > PARAM_LABEL_MAX)
		return false;
	if (label[0] >= '0' && label[0] <= '9')
		return false;
	if (prefix_ci(label, len, "aws") || prefix_ci(label, len, "ssm"))
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)label[i];

		if (!name_char(c) || c == '/')
			return false;
	}
	return true;
}

ssm_err param_path_check(char **norm_out, const char *path, bool for_filter,
			 ssm_arena *arena)
{
	size_t len = strlen(path), i, comps = 0;
	char *norm;

	if (!len || path[0] != '/')
		return invalid(MSG_BAD_PATH);
	for (i = 0; i < len; i++) {
		if (!name_char((unsigned char)path[i]))
			return invalid(MSG_BAD_PATH);
		if (path[i] == '/' && i + 1 < len) {
			if (path[i + 1] == '/')
				return invalid(MSG_BAD_PATH);
			comps++;
		}
	}
	if (for_filter && len > 1 &&
	    (prefix_ci(path + 1, len - 1, "aws") ||
	     prefix_ci(path + 1, len - 1, "ssm")))
		return invalid(MSG_BAD_PATH);
	if (comps > PARAM_MAX_LEVELS)
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_PARAM,
				      "HierarchyLevelLimitExceededException",
				      MSG_LEVELS);
	if (path[len - 1] == '/')
		len--;
	norm = ssm_arena_alloc(arena, len + 2);
	if (!norm)
		return SSM_ERROR;
	memcpy(norm, path, len);
	norm[len] = '/';
	norm[len + 1] = '\0';
	*norm_out = norm;
	return SSM_OK;
}

char *param_arn(const param_engine *pe, const char *norm, ssm_arena *arena)
{
	size_t n;
	char *arn;

	if (*norm == '/')
		norm++;
	n = strlen(norm);
	arn = ssm_arena_alloc(arena, pe->arn_prefix_len + n + 1);
	if (!arn)
		return NULL;
	memcpy(arn, pe->arn_prefix, pe->arn_prefix_len);
	memcpy(arn + pe->arn_prefix_len, norm, n + 1);
	return arn;
}
