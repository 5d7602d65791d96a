/* SPDX-License-Identifier: Apache-2.0 */
/* Parsing and checking the Policies of PutParameter (spec §3.6): a JSON
 * array of at most 10 objects {"Type", "Version": "1.0", "Attributes"}.
 * Each policy is kept as its compact JSON text. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/json.h"
#include "core/str.h"
#include "core/time.h"
#include "param/param.h"

#define HOUR_MS (3600 * 1000LL)
#define DAY_MS (24 * HOUR_MS)

static ssm_err bad_attribute(const char *fmt, ...) SSM_FORMAT_PRINTF(1, 2);

static ssm_err bad_attribute(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ssm_error__vset(SSM_EINVALID, SSM_ERRCLASS_PARAM,
			"InvalidPolicyAttributeException", fmt, ap);
	va_end(ap);
	return SSM_EINVALID;
}

static ssm_err incompatible(const char *what)
{
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM,
			      "IncompatiblePolicyException", "%s", what);
}

/* The text of a string member, or NULL. */
static const char *member_str(const ssm_json *obj, const char *key)
{
	return ssm_json_str(ssm_json_get(obj, key));
}

/* "Before"/"After": a positive count as a string ("15") or a number, in
 * "Days" or "Hours". */
static ssm_err amount(int64_t *ms_out, const ssm_json *attrs, const char *type,
		      const char *key)
{
	const ssm_json *v = ssm_json_get(attrs, key);
	const char *unit = member_str(attrs, "Unit");
	int64_t n = 0;
	char text[32];
	size_t i, len;

	if (ssm_json_typeof(v) == SSM_JSON_STRING) {
		const char *s = ssm_json_str(v);

		len = ssm_json_str_len(v);
		for (i = 0; i < len && i < 9; i++) {
			if (s[i] < '0' || s[i] > '9')
				break;
			n = n * 10 + (s[i] - '0');
		}
		if (!len || i != len)
			n = 0;
	} else if (ssm_json_is_integer(v)) {
		if (ssm_json_get_int64(&n, v, 1, 999999999) < 0)
			n = 0;
	}
	if (n <= 0) {
		snprintf(text, sizeof(text), "%s", key);
		return bad_attribute("The %s policy needs a positive whole "
				     "number in its %s attribute.",
				     type, text);
	}
	if (!unit || (strcmp(unit, "Days") != 0 && strcmp(unit, "Hours") != 0))
		return bad_attribute("The %s policy needs a Unit attribute of "
				     "Days or Hours.",
				     type);
	*ms_out = n * (strcmp(unit, "Days") == 0 ? DAY_MS : HOUR_MS);
	return SSM_OK;
}

/* Only these attribute names, for @type. */
static ssm_err only_attributes(const ssm_json *attrs, const char *type,
			       const char *const *allowed)
{
	size_t i, k;

	for (i = 0; i < ssm_json_size(attrs); i++) {
		const ssm_json_member *m = ssm_json_member_at(attrs, i);
		bool ok = false;

		for (k = 0; allowed[k]; k++)
			if (strcmp(m->key, allowed[k]) == 0)
				ok = true;
		if (!ok)
			return bad_attribute("The %s policy has no attribute "
					     "named %.64s.",
					     type, m->key);
	}
	return SSM_OK;
}

static ssm_err parse_one(param_policy *p, const ssm_json *obj, int64_t now_ms,
			 ssm_arena *arena)
{
	static const char *const exp_attrs[] = { "Timestamp", NULL };
	static const char *const before_attrs[] = { "Before", "Unit", NULL };
	static const char *const after_attrs[] = { "After", "Unit", NULL };
	const char *type = member_str(obj, "Type");
	const char *version = member_str(obj, "Version");
	const ssm_json *attrs = ssm_json_get(obj, "Attributes");
	ssm_str text = SSM_STR_INIT;
	size_t i;
	ssm_err error;

	if (ssm_json_typeof(obj) != SSM_JSON_OBJECT)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM,
				      "ValidationException",
				      "Each parameter policy must be a JSON "
				      "object; found a %s.",
				      ssm_json_type_name(ssm_json_typeof(obj)));
	for (i = 0; i < ssm_json_size(obj); i++) {
		const char *k = ssm_json_member_at(obj, i)->key;

		if (strcmp(k, "Type") && strcmp(k, "Version") &&
		    strcmp(k, "Attributes"))
			return bad_attribute("A parameter policy has no member "
					     "named %.64s.",
					     k);
	}
	if (!type || (strcmp(type, "Expiration") != 0 &&
		      strcmp(type, "ExpirationNotification") != 0 &&
		      strcmp(type, "NoChangeNotification") != 0))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM,
				      "InvalidPolicyTypeException",
				      "The policy type %.64s is not supported. "
				      "Valid policy types: Expiration, "
				      "ExpirationNotification, "
				      "NoChangeNotification.",
				      type ? type : "(none)");
	if (!version || strcmp(version, "1.0") != 0)
		return bad_attribute("The %s policy must have Version 1.0.",
				     type);
	if (ssm_json_typeof(attrs) != SSM_JSON_OBJECT)
		return bad_attribute("The %s policy needs an Attributes "
				     "object.",
				     type);
	memset(p, 0, sizeof(*p));
	if (strcmp(type, "Expiration") == 0) {
		const char *ts = member_str(attrs, "Timestamp");

		p->kind = POLICY_EXPIRATION;
		SSM_TRY(only_attributes(attrs, type, exp_attrs));
		if (!ts ||
		    ssm_time_parse_iso8601(&p->at_ms, ts, strlen(ts)) < 0)
			return bad_attribute("The Timestamp attribute of an "
					     "Expiration policy must be an ISO "
					     "8601 date and time such as "
					     "2024-12-02T21:34:33.000Z, not "
					     "'%.64s'.",
					     ts ? ts : "");
		if (now_ms != INT64_MIN && p->at_ms <= now_ms)
			return bad_attribute("The expiration time %.64s of the "
					     "Expiration policy is in the "
					     "past.",
					     ts);
	} else if (strcmp(type, "ExpirationNotification") == 0) {
		p->kind = POLICY_EXPIRATION_NOTIFICATION;
		SSM_TRY(only_attributes(attrs, type, before_attrs));
		SSM_TRY(amount(&p->amount_ms, attrs, type, "Before"));
	} else {
		p->kind = POLICY_NO_CHANGE_NOTIFICATION;
		SSM_TRY(only_attributes(attrs, type, after_attrs));
		SSM_TRY(amount(&p->amount_ms, attrs, type, "After"));
	}
	error = ssm_json_write(&text, obj, 0);
	if (error == SSM_OK) {
		p->text = ssm_arena_strndup(arena, text.ptr, text.size);
		p->text_len = text.size;
		if (!p->text)
			error = SSM_ERROR;
	}
	ssm_str_dispose(&text);
	return error;
}

ssm_err param_policies_parse(param_policy **out, size_t *count_out,
			     const char *text, int64_t now_ms, ssm_arena *arena)
{
	ssm_json_doc *doc = NULL;
	const ssm_json *root;
	param_policy *ps = NULL;
	size_t i, k, n;
	ssm_err error;

	*out = NULL;
	*count_out = 0;
	error = ssm_json_parse(&doc, text, strlen(text), NULL);
	if (error < 0) {
		char detail[300];

		snprintf(detail, sizeof(detail), "%s",
			 ssm_error_last()->message);
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM,
				      "ValidationException",
				      "Parameter policies must be a JSON array "
				      "of policy objects: %s",
				      detail);
	}
	root = ssm_json_doc_root(doc);
	if (ssm_json_typeof(root) != SSM_JSON_ARRAY) {
		error = ssm_error__set(
			SSM_EINVALID, SSM_ERRCLASS_PARAM, "ValidationException",
			"Parameter policies must be a JSON array "
			"of policy objects, not a %s.",
			ssm_json_type_name(ssm_json_typeof(root)));
		goto done;
	}
	n = ssm_json_size(root);
	/* "[{}]" removes the policies */
	if (n == 1 &&
	    ssm_json_typeof(ssm_json_at(root, 0)) == SSM_JSON_OBJECT &&
	    ssm_json_size(ssm_json_at(root, 0)) == 0)
		goto done;
	if (n > PARAM_POLICIES_MAX) {
		error = ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_PARAM,
				       "PoliciesLimitExceededException",
				       "A parameter can have at most 10 "
				       "policies; the request has %zu.",
				       n);
		goto done;
	}
	if (n && !(ps = ssm_arena_calloc(arena, n, sizeof(*ps)))) {
		error = SSM_ERROR;
		goto done;
	}
	for (i = 0; i < n; i++) {
		if ((error = parse_one(&ps[i], ssm_json_at(root, i), now_ms,
				       arena)) < 0)
			goto done;
		for (k = 0; k < i; k++)
			if (ps[k].kind == ps[i].kind) {
				error = incompatible(
					"The policies conflict: a parameter "
					"can have only one policy of each "
					"type.");
				goto done;
			}
	}
	for (i = 0; i < n; i++)
		if (ps[i].kind == POLICY_EXPIRATION_NOTIFICATION) {
			for (k = 0; k < n; k++)
				if (ps[k].kind == POLICY_EXPIRATION)
					break;
			if (k == n) {
				error = incompatible(
					"An ExpirationNotification policy "
					"needs an Expiration policy.");
				goto done;
			}
		}
	*out = ps;
	*count_out = n;
done:
	ssm_json_doc_free(doc);
	return error;
}
