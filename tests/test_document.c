/* SPDX-License-Identifier: Apache-2.0 */
/* The document store through a client, on the backend named on the command
 * line (tests/support/fixture.h):
 *
 *   test_document BACKEND DATA_DIR
 *
 * AWS semantics of Create/Get/Describe/List/Update/Delete,
 * UpdateDocumentDefaultVersion, ListDocumentVersions and the permissions;
 * every error's code, message and AWS name; round trips of the spec's
 * examples and the built-ins in both formats; and a store left as it was by
 * every failed write. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fixture.h"
#include "ssm/sys/store.h"
#include "api/client.h"
#include "core/alloc.h"
#include "core/crypto.h"
#include "core/json.h"
#include "core/yaml.h"
#include "document/api.h"
#include "document/engine.h"

static const char *backend = "memory";
static const char *data_dir = "tests/data/documents";

static const char *simple =
	"{\"schemaVersion\":\"2.2\",\"description\":\"one\",\"parameters\":{"
	"\"who\":{\"type\":\"String\",\"default\":\"world\",\"description\":"
	"\"whom to greet\"}},\"mainSteps\":[{\"action\":\"aws:runShellScript\","
	"\"name\":\"hi\",\"inputs\":{\"runCommand\":[\"echo {{ who }}\"]}}]}";
static const char *simple2 =
	"{\"schemaVersion\":\"2.2\",\"description\":\"two\",\"mainSteps\":[{"
	"\"action\":\"aws:runShellScript\",\"name\":\"hi\",\"inputs\":{"
	"\"runCommand\":[\"echo two\"]}}]}";
static const char *simple3 =
	"{\"schemaVersion\":\"2.2\",\"description\":\"three\",\"mainSteps\":[{"
	"\"action\":\"aws:runShellScript\",\"name\":\"hi\",\"inputs\":{"
	"\"runCommand\":[\"echo three\"]}}]}";

static int setup(void **state)
{
	struct ssm_test_env *env = calloc(1, sizeof(*env));

	if (!env || ssm_test_env_open(env, backend, NULL) < 0)
		return -1;
	*state = env;
	return 0;
}

static int teardown(void **state)
{
	struct ssm_test_env *env = *state;

	ssm_test_env_close(env);
	free(env);
	return 0;
}

/* ---- helpers ---------------------------------------------------------------
 */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_int_equal((size_t)n, fread(buf, 1, (size_t)n, f));
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

#define expect_error(got, code, service, message) \
	expect_error_at(got, code, service, message, __LINE__)

static void expect_error_at(ssm_err got, ssm_err code, const char *service,
			    const char *message, int line)
{
	if (got != code || !ssm_error_last()->service_code ||
	    strcmp(service, ssm_error_last()->service_code) ||
	    strcmp(message, ssm_error_last()->message))
		fail_msg("line %d: got %d (%s: %s), expected %d", line, got,
			 ssm_error_last()->service_code
				 ? ssm_error_last()->service_code
				 : "-",
			 ssm_error_last()->message, code);
	assert_string_equal(service, ssm_error_last()->service_code);
	assert_string_equal(message, ssm_error_last()->message);
}

static void ok(ssm_err e)
{
	if (e != SSM_OK)
		fail_msg("%d: %s (%s)", e, ssm_error_last()->message,
			 ssm_error_last()->service_code
				 ? ssm_error_last()->service_code
				 : "-");
}

/* Every key, value and revision of the service's state, as one text. */
static char *snapshot(struct ssm_test_env *env)
{
	ssm_service *svc = ssm_client__service(env->client);
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	uint64_t rev = 0;
	ssm_str out = SSM_STR_INIT;
	size_t i;

	if (!svc)
		return NULL; /* a remote backend: nothing to look at */
	ok(ssm_store_revision(&rev, svc->store));
	ok(ssm_store_range(&kvs, svc->store, svc->prefix, svc->prefix_len,
			   NULL));
	ssm_str_printf(&out, "revision %llu\n", (unsigned long long)rev);
	for (i = 0; i < kvs.count; i++) {
		ssm_str_put(&out, kvs.items[i].key.ptr, kvs.items[i].key.size);
		ssm_str_printf(&out, " %llu ",
			       (unsigned long long)kvs.items[i].mod_revision);
		ssm_str_put(&out, kvs.items[i].value.ptr,
			    kvs.items[i].value.size);
		ssm_str_putc(&out, '\n');
	}
	ssm_store_kvs_dispose(&kvs);
	return ssm_str_detach(&out, NULL);
}

static void same_snapshot(char *before, struct ssm_test_env *env)
{
	char *after = snapshot(env);

	if (before || after)
		assert_string_equal(before, after);
	ssm__free(before);
	ssm__free(after);
}

static ssm_document *parse_ok_text(const char *text)
{
	ssm_document *d = NULL;

	ok(ssm_document_parse(&d, text, strlen(text), NULL));
	return d;
}

static void create(struct ssm_test_env *env, const char *name,
		   const char *content)
{
	ok(ssm_document_create(NULL, env->client, name, content, NULL));
}

/* Names of the documents a list returns, comma-separated. */
static char *list_names(struct ssm_test_env *env,
			const ssm_document_list_options *o)
{
	ssm_document_iter *it = NULL;
	const ssm_document_info *i;
	ssm_str s = SSM_STR_INIT;
	ssm_err e;

	ok(ssm_document_list(&it, env->client, o));
	while ((e = ssm_document_iter_next(&i, it)) == SSM_OK) {
		if (s.size)
			ssm_str_putc(&s, ',');
		ssm_str_puts(&s, ssm_document_info_name(i));
	}
	assert_int_equal(SSM_ITEROVER, e);
	ssm_document_iter_free(it);
	return ssm_str_detach(&s, NULL);
}

static void expect_list(struct ssm_test_env *env,
			const ssm_document_list_options *o, const char *want)
{
	char *got = list_names(env, o);

	assert_string_equal(want, got);
	ssm__free(got);
}

/* ---- built-ins ------------------------------------------------------------
 */

static void builtins_are_seeded_and_owned_by_amazon(void **state)
{
	struct ssm_test_env *env = *state;
	const char *amazon[] = { "Amazon" };
	ssm_document_filter f = { "Owner", amazon, 1 };
	ssm_document_list_options o = SSM_DOCUMENT_LIST_OPTIONS_INIT;
	ssm_document_info *d = NULL;

	o.filters = &f;
	o.filters_count = 1;
	expect_list(env, &o,
		    "AWS-ConfigureAWSPackage,AWS-RunPatchBaseline,"
		    "AWS-RunPowerShellScript,AWS-RunShellScript,"
		    "AWS-StartInteractiveCommand,"
		    "AWS-StartNonInteractiveCommand,"
		    "AWS-StartPortForwardingSession,"
		    "AWS-StartPortForwardingSessionToRemoteHost,"
		    "AWS-StartSSHSession");
	ok(ssm_document_describe(&d, env->client, "AWS-RunShellScript", NULL));
	assert_string_equal("Amazon", ssm_document_info_owner(d));
	assert_int_equal(1, ssm_document_info_version(d));
	assert_int_equal(SSM_DOCUMENT_COMMAND, ssm_document_info_type(d));
	assert_string_equal("1.2", ssm_document_info_schema_version(d));
	assert_int_equal(SSM_DOCUMENT_PLATFORM_BIT(SSM_DOCUMENT_LINUX) |
				 SSM_DOCUMENT_PLATFORM_BIT(SSM_DOCUMENT_MACOS),
			 ssm_document_info_platforms(d));
	ssm_document_info_free(d);
	/* the session preferences belong to the account: it edits them */
	ok(ssm_document_describe(&d, env->client, "SSM-SessionManagerRunShell",
				 NULL));
	assert_string_equal("123456789012", ssm_document_info_owner(d));
	assert_int_equal(SSM_DOCUMENT_SESSION, ssm_document_info_type(d));
	ssm_document_info_free(d);
	ok(ssm_document_update(NULL, env->client, "SSM-SessionManagerRunShell",
			       "{\"schemaVersion\":\"1.0\",\"sessionType\":"
			       "\"Standard_Stream\",\"inputs\":{"
			       "\"idleSessionTimeout\":\"5\"}}",
			       NULL));
	/* Amazon's may not be changed */
	expect_error(ssm_document_update(NULL, env->client,
					 "AWS-RunShellScript", simple, NULL),
		     SSM_EINVALID, "InvalidDocumentOperation",
		     "Documents owned by Amazon cannot be changed.");
	expect_error(
		ssm_document_delete(env->client, "AWS-RunShellScript", NULL),
		SSM_EINVALID, "InvalidDocumentOperation",
		"Documents owned by Amazon cannot be changed.");
	expect_error(ssm_document_update_default_version(
			     NULL, env->client, "AWS-RunShellScript", "1"),
		     SSM_EINVALID, "InvalidDocumentOperation",
		     "Documents owned by Amazon cannot be changed.");
}

static void seeding_is_idempotent(void **state)
{
	struct ssm_test_env *env = *state;
	ssm_service *svc = ssm_client__service(env->client);
	ssm_str key = SSM_STR_INIT;
	char *before;
	uint64_t r1 = 0, r2 = 0;

	if (!svc)
		skip();
	/* a second start of the module changes nothing */
	before = snapshot(env);
	ssm_document__stop(svc);
	ok(ssm_document__start(svc));
	same_snapshot(before, env);
	/* without the marker, every built-in is checked and found equal: only
	 * the marker is written back */
	ssm_str_printf(&key, "%sdocument/builtin", svc->prefix);
	ok(ssm_store_delete(NULL, svc->store, key.ptr, key.size, 0));
	ok(ssm_store_revision(&r1, svc->store));
	ssm_document__stop(svc);
	ok(ssm_document__start(svc));
	ok(ssm_store_revision(&r2, svc->store));
	assert_int_equal(r1 + 1, r2);
	ssm_str_dispose(&key);
}

/* ---- round trips -------------------------------------------------------- */

static void expect_same_tree(const char *a, size_t alen, ssm_document_format af,
			     const char *b, size_t blen, ssm_document_format bf)
{
	ssm_json_doc *x = NULL, *y = NULL;

	ok(af == SSM_DOCUMENT_JSON ? ssm_json_parse(&x, a, alen, NULL)
				   : ssm_yaml_parse(&x, a, alen, NULL));
	ok(bf == SSM_DOCUMENT_JSON ? ssm_json_parse(&y, b, blen, NULL)
				   : ssm_yaml_parse(&y, b, blen, NULL));
	assert_true(ssm_json_equal(x->root, y->root));
	ssm_json_doc_free(x);
	ssm_json_doc_free(y);
}

/* Create @content (in @format) as @name; get it back as stored (the same
 * bytes) and in both formats (the same tree). */
static void round_trip(struct ssm_test_env *env, const char *name,
		       const char *content, size_t len,
		       ssm_document_format format, ssm_document_type type)
{
	ssm_document_create_options co = SSM_DOCUMENT_CREATE_OPTIONS_INIT;
	ssm_document_get_options go = SSM_DOCUMENT_GET_OPTIONS_INIT;
	ssm_document_info *d = NULL;
	char hash[SSM_SHA256_HEX_LEN + 1];
	ssm_document_format f;

	co.format = format;
	co.type = type;
	if (ssm_document_create(&d, env->client, name, content, &co) != SSM_OK)
		fail_msg("%s: %s", name, ssm_error_last()->message);
	ssm_crypto_sha256_hex(hash, content, len);
	assert_string_equal(hash, ssm_document_info_hash(d));
	assert_int_equal(format, ssm_document_info_format(d));
	ssm_document_info_free(d);
	ok(ssm_document_get(&d, env->client, name, NULL));
	assert_string_equal(content, ssm_document_info_content(d));
	ssm_document_info_free(d);
	for (f = SSM_DOCUMENT_JSON; f <= SSM_DOCUMENT_YAML; f++) {
		const char *c;

		go.format = f;
		ok(ssm_document_get(&d, env->client, name, &go));
		assert_int_equal(f, ssm_document_info_format(d));
		c = ssm_document_info_content(d);
		expect_same_tree(content, len, format, c, strlen(c), f);
		if (f == format)
			assert_string_equal(content, c);
		ssm_document_info_free(d);
	}
}

static void spec_examples_round_trip_in_both_formats(void **state)
{
	struct ssm_test_env *env = *state;
	DIR *dir = opendir(data_dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(dir);
	while ((e = readdir(dir))) {
		char path[512], name[128];
		size_t len;
		char *text;
		ssm_document *local = NULL;
		ssm_buf other = SSM_BUF_INIT;
		ssm_document_format f, g;
		ssm_document_type t;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", data_dir, e->d_name);
		text = slurp(path, &len);
		ok(ssm_document_parse(&local, text, len, NULL));
		f = ssm_document_format_of(local);
		g = f == SSM_DOCUMENT_JSON ? SSM_DOCUMENT_YAML
					   : SSM_DOCUMENT_JSON;
		t = ssm_document_type_of(local);
		ok(ssm_document_convert(&other, local, g));
		snprintf(name, sizeof(name), "ex-%d-a", n);
		round_trip(env, name, text, len, f, t);
		snprintf(name, sizeof(name), "ex-%d-b", n);
		round_trip(env, name, other.ptr, other.size, g, t);
		ssm_buf_dispose(&other);
		ssm_document_free(local);
		free(text);
		n++;
	}
	closedir(dir);
	assert_true(n >= 7);
}

static void builtins_round_trip_in_both_formats(void **state)
{
	struct ssm_test_env *env = *state;
	size_t i;

	for (i = 0; i < ssm_document_builtins_count; i++) {
		const ssm_document_builtin *b = &ssm_document_builtins[i];
		ssm_document_get_options go = SSM_DOCUMENT_GET_OPTIONS_INIT;
		ssm_document_info *d = NULL;
		ssm_document_format g = b->format == SSM_DOCUMENT_JSON
						? SSM_DOCUMENT_YAML
						: SSM_DOCUMENT_JSON;
		char *other;
		char name[128];

		/* the seeded copy is the shipped text */
		ok(ssm_document_get(&d, env->client, b->name, NULL));
		assert_string_equal(b->content, ssm_document_info_content(d));
		assert_int_equal(b->format, ssm_document_info_format(d));
		ssm_document_info_free(d);
		go.format = g;
		ok(ssm_document_get(&d, env->client, b->name, &go));
		other = strdup(ssm_document_info_content(d));
		ssm_document_info_free(d);
		/* and copies of it, in both formats, come back unchanged */
		snprintf(name, sizeof(name), "copy-%zu-a", i);
		round_trip(env, name, b->content, b->len, b->format, b->type);
		snprintf(name, sizeof(name), "copy-%zu-b", i);
		round_trip(env, name, other, strlen(other), g, b->type);
		free(other);
	}
}

/* ---- create
 * -------------------------------------------------------------------- */

static void create_describes_the_first_version(void **state)
{
	struct ssm_test_env *env = *state;
	ssm_document_create_options co = SSM_DOCUMENT_CREATE_OPTIONS_INIT;
	const ssm_tag tags[] = { { "team", "core" }, { "env", NULL } };
	ssm_document_requirement req = { "AWS-RunShellScript", "1", NULL,
					 NULL };
	ssm_document_info *d = NULL;
	char hash[SSM_SHA256_HEX_LEN + 1];
	const char *type, *desc, *def, *v;

	co.version_name = "first";
	co.display_name = "Say hello";
	co.target_type = "/AWS::EC2::Instance";
	co.tags = tags;
	co.tags_count = 2;
	co.requires = &req;
	co.requires_count = 1;
	ok(ssm_document_create(&d, env->client, "hello", simple, &co));
	ssm_crypto_sha256_hex(hash, simple, strlen(simple));
	assert_string_equal("hello", ssm_document_info_name(d));
	assert_string_equal(hash, ssm_document_info_hash(d));
	assert_string_equal("123456789012", ssm_document_info_owner(d));
	assert_string_equal("Active", ssm_document_info_status(d));
	assert_int_equal(1, ssm_document_info_version(d));
	assert_int_equal(1, ssm_document_info_latest_version(d));
	assert_int_equal(1, ssm_document_info_default_version(d));
	assert_true(ssm_document_info_is_default_version(d));
	assert_string_equal("first", ssm_document_info_version_name(d));
	assert_string_equal("Say hello", ssm_document_info_display_name(d));
	assert_string_equal("/AWS::EC2::Instance",
			    ssm_document_info_target_type(d));
	assert_string_equal("one", ssm_document_info_description(d));
	assert_string_equal("2.2", ssm_document_info_schema_version(d));
	assert_int_equal(SSM_DOCUMENT_JSON, ssm_document_info_format(d));
	assert_true(ssm_document_info_created_ms(d) > 1600000000000);
	assert_int_equal(1, ssm_document_info_params_count(d));
	assert_string_equal(
		"who", ssm_document_info_param_at(&type, &desc, &def, d, 0));
	assert_string_equal("String", type);
	assert_string_equal("whom to greet", desc);
	assert_string_equal("world", def);
	assert_null(ssm_document_info_param_at(&type, NULL, NULL, d, 1));
	assert_null(type);
	assert_int_equal(2, ssm_document_info_tags_count(d));
	/* sorted by key */
	assert_string_equal("env", ssm_document_info_tag_at(&v, d, 0));
	assert_string_equal("", v);
	assert_string_equal("team", ssm_document_info_tag_at(&v, d, 1));
	assert_string_equal("core", v);
	assert_null(ssm_document_info_tag_at(&v, d, 2));
	assert_null(ssm_document_info_content(d));
	ssm_document_info_free(d);
	/* GetDocument by ARN */
	ok(ssm_document_get(&d, env->client,
			    "arn:aws:ssm:us-east-1:123456789012:document/hello",
			    NULL));
	assert_string_equal(simple, ssm_document_info_content(d));
	assert_string_equal("first", ssm_document_info_version_name(d));
	ssm_document_info_free(d);
	expect_error(ssm_document_get(&d, env->client, "a/b:c", NULL),
		     SSM_ENOTFOUND, "InvalidDocument",
		     "The specified document does not exist.");
}

static void create_errors_leave_the_store_as_it_was(void **state)
{
	struct ssm_test_env *env = *state;
	ssm_document_create_options co = SSM_DOCUMENT_CREATE_OPTIONS_INIT;
	ssm_document_info *d = (ssm_document_info *)1;
	char *big;
	char *before;

	create(env, "exists", simple);
	before = snapshot(env);
	expect_error(
		ssm_document_create(&d, env->client, "exists", simple2, NULL),
		SSM_EEXISTS, "DocumentAlreadyExists",
		"The specified document already exists.");
	assert_null(d);
	expect_error(ssm_document_create(NULL, env->client, "bad",
					 "{\"schemaVersion\":\"2.2\"}", NULL),
		     SSM_EINVALID, "InvalidDocumentContent",
		     "line 1, column 1: mainSteps is required");
	expect_error(ssm_document_create(NULL, env->client, "bad", "{,}", NULL),
		     SSM_EINVALID, "InvalidDocumentContent",
		     "line 1, column 2: unexpected ',', expected a string key");
	expect_error(ssm_document_create(NULL, env->client, "bad",
					 "{\"schemaVersion\":\"0.3\","
					 "\"mainSteps\":[]}",
					 NULL),
		     SSM_EINVALID, "InvalidDocumentSchemaVersion",
		     "line 1, column 18: schemaVersion: schemaVersion 0.3 is "
		     "not supported for Command documents (1.2, 2.0 or 2.2)");
	co.type = SSM_DOCUMENT_SESSION;
	expect_error(ssm_document_create(NULL, env->client, "bad", simple, &co),
		     SSM_EINVALID, "InvalidDocumentSchemaVersion",
		     "line 1, column 18: schemaVersion: schemaVersion 2.2 is "
		     "not supported for Session documents (1.0)");
	co.type = 0;
	co.format = SSM_DOCUMENT_YAML;
	expect_error(
		ssm_document_create(NULL, env->client, "bad",
				    "schemaVersion: '2.2'\nmainSteps: "
				    "[{name: x}]\n",
				    &co),
		SSM_EINVALID, "InvalidDocumentContent",
		"line 2, column 13: step 'x': mainSteps[0].action: the step "
		"has no "
		"action");
	big = malloc(SSM_DOCUMENT_MAX_SIZE + 100);
	memset(big, ' ', SSM_DOCUMENT_MAX_SIZE + 99);
	big[0] = '{';
	big[SSM_DOCUMENT_MAX_SIZE + 98] = '}';
	big[SSM_DOCUMENT_MAX_SIZE + 99] = '\0';
	expect_error(ssm_document_create(NULL, env->client, "big", big, NULL),
		     SSM_ELIMIT, "MaxDocumentSizeExceeded",
		     "the document is 65635 bytes; the limit is 65536");
	free(big);
	expect_error(ssm_document_create(NULL, env->client, "AWS-mine", simple,
					 NULL),
		     SSM_EINVALID, "ValidationException",
		     "Invalid document name AWS-mine");
	expect_error(ssm_document_create(NULL, env->client, "amznThing", simple,
					 NULL),
		     SSM_EINVALID, "ValidationException",
		     "Invalid document name amznThing");
	expect_error(ssm_document_create(NULL, env->client, "no", simple, NULL),
		     SSM_EINVALID, "ValidationException",
		     "1 validation error detected: Value 'no' at 'name' failed "
		     "to satisfy constraint: Member must satisfy regular "
		     "expression pattern: ^[a-zA-Z0-9_\\-.]{3,128}$");
	expect_error(ssm_document_create(NULL, env->client, "has space", simple,
					 NULL),
		     SSM_EINVALID, "ValidationException",
		     "1 validation error detected: Value 'has space' at 'name' "
		     "failed to satisfy constraint: Member must satisfy "
		     "regular expression pattern: ^[a-zA-Z0-9_\\-.]{3,128}$");
	expect_error(
		ssm_document_create(NULL, env->client, "empty", "", NULL),
		SSM_EINVALID, "ValidationException",
		"1 validation error detected: Value '' at 'content' failed "
		"to satisfy constraint: Member must have length greater "
		"than or equal to 1");
	co.format = 0;
	co.version_name = "bad name";
	expect_error(
		ssm_document_create(NULL, env->client, "vname", simple, &co),
		SSM_EINVALID, "ValidationException",
		"1 validation error detected: Value 'bad name' at "
		"'versionName' failed to satisfy constraint: Member must "
		"satisfy regular expression pattern: "
		"^[a-zA-Z0-9_\\-.]{1,128}$");
	same_snapshot(before, env);
}

static void the_document_quota_is_enforced(void **state)
{
	struct ssm_test_env *env = *state;
	ssm_service *svc = ssm_client__service(env->client);
	char *before;

	if (!svc)
		skip();
	ssm_document__set_limits(svc, 2, 0);
	/* built-ins do not count */
	create(env, "one-doc", simple);
	create(env, "two-doc", simple);
	before = snapshot(env);
	expect_error(ssm_document_create(NULL, env->client, "three-doc", simple,
					 NULL),
		     SSM_ELIMIT, "DocumentLimitExceeded",
		     "You can have at most 2 active SSM documents.");
	same_snapshot(before, env);
	ok(ssm_document_delete(env->client, "one-doc", NULL));
	create(env, "three-doc", simple);
	ssm_document__set_limits(svc, 0, 0);
}

/* ---- update and versions ------------------------------------------------- */

static void update_adds_versions_and_keeps_the_default(void **state)
{
	struct ssm_test_env *env = *state;
	ssm_document_update_options uo = SSM_DOCUMENT_UPDATE_OPTIONS_INIT;
	ssm_document_get_options go = SSM_DOCUMENT_GET_OPTIONS_INIT;
	ssm_document_info *d = NULL;
	char *before;

	create(env, "versions", simple);
	uo.version_name = "v2";
	ok(ssm_document_update(&d, env->client, "versions", simple2, &uo));
	assert_int_equal(2, ssm_document_info_version(d));
	assert_int_equal(2, ssm_document_info_latest_version(d));
	assert_int_equal(1, ssm_document_info_default_version(d));
	assert_false(ssm_document_info_is_default_version(d));
	assert_string_equal("two", ssm_document_info_description(d));
	ssm_document_info_free(d);
	before = snapshot(env);
	/* only the latest version can be updated */
	uo.version_name = NULL;
	uo.document_version = "1";
	expect_error(ssm_document_update(NULL, env->client, "versions", simple3,
					 &uo),
		     SSM_ENOTFOUND, "InvalidDocumentVersion",
		     "The document version is not valid or does not exist.");
	uo.document_version = "$DEFAULT";
	expect_error(ssm_document_update(NULL, env->client, "versions", simple3,
					 &uo),
		     SSM_ENOTFOUND, "InvalidDocumentVersion",
		     "The document version is not valid or does not exist.");
	uo.document_version = "$LATEST";
	expect_error(
		ssm_document_update(NULL, env->client, "versions", simple, &uo),
		SSM_ECONFLICT, "DuplicateDocumentContent",
		"The content of the association document matches another "
		"document. Change the content of the document and try "
		"again.");
	uo.version_name = "v2";
	expect_error(ssm_document_update(NULL, env->client, "versions", simple3,
					 &uo),
		     SSM_ECONFLICT, "DuplicateDocumentVersionName",
		     "The specified version name is a duplicate.");
	expect_error(ssm_document_update(NULL, env->client, "nothing", simple3,
					 NULL),
		     SSM_ENOTFOUND, "InvalidDocument",
		     "The specified document does not exist.");
	expect_error(ssm_document_update(NULL, env->client, "versions",
					 "{\"schemaVersion\":\"1.0\"}", NULL),
		     SSM_EINVALID, "InvalidDocumentSchemaVersion",
		     "line 1, column 18: schemaVersion: schemaVersion 1.0 is "
		     "not supported for Command documents (1.2, 2.0 or 2.2)");
	same_snapshot(before, env);
	uo.version_name = NULL;
	uo.document_version = "2";
	ok(ssm_document_update(NULL, env->client, "versions", simple3, &uo));
	/* the default version is what Get returns without a version */
	ok(ssm_document_get(&d, env->client, "versions", NULL));
	assert_int_equal(1, ssm_document_info_version(d));
	assert_string_equal(simple, ssm_document_info_content(d));
	ssm_document_info_free(d);
	go.document_version = "$LATEST";
	ok(ssm_document_get(&d, env->client, "versions", &go));
	assert_int_equal(3, ssm_document_info_version(d));
	ssm_document_info_free(d);
	go.document_version = NULL;
	go.version_name = "v2";
	ok(ssm_document_get(&d, env->client, "versions", &go));
	assert_int_equal(2, ssm_document_info_version(d));
	assert_string_equal(simple2, ssm_document_info_content(d));
	ssm_document_info_free(d);
	/* version and version name must agree */
	go.document_version = "3";
	expect_error(ssm_document_get(&d, env->client, "versions", &go),
		     SSM_ENOTFOUND, "InvalidDocumentVersion",
		     "The document version is not valid or does not exist.");
	go.version_name = NULL;
	go.document_version = "9";
	expect_error(ssm_document_describe(&d, env->client, "versions", &go),
		     SSM_ENOTFOUND, "InvalidDocumentVersion",
		     "The document version is not valid or does not exist.");
	go.document_version = "0";
	expect_error(ssm_document_describe(&d, env->client, "versions", &go),
		     SSM_EINVALID, "ValidationException",
		     "1 validation error detected: Value '0' at "
		     "'documentVersion' failed to satisfy constraint: Member "
		     "must satisfy regular expression pattern: "
		     "^([$]LATEST|[$]DEFAULT|[1-9][0-9]*)$");
	expect_error(ssm_document_describe(&d, env->client, "nothing", NULL),
		     SSM_ENOTFOUND, "InvalidDocument",
		     "The specified document does not exist.");
}

static void the_version_quota_is_enforced(void **state)
{
	struct ssm_test_env *env = *state;
	ssm_service *svc = ssm_client__service(env->client);

	if (!svc)
		skip();
	ssm_document__set_limits(svc, 0, 2);
	create(env, "quota", simple);
	ok(ssm_document_update(NULL, env->client, "quota", simple2, NULL));
	expect_error(
		ssm_document_update(NULL, env->client, "quota", simple3, NULL),
		SSM_ELIMIT, "DocumentVersionLimitExceeded",
		"The document has too many versions. Delete one or more "
		"document versions and try again.");
	ssm_document__set_limits(svc, 0, 0);
}

static void default_version_moves_on_request(void **state)
{
	struct ssm_test_env *env = *state;
	ssm_document_info *d = NULL;
	ssm_document_iter *it = NULL;
	const ssm_document_info *v;
	int n = 0;

	create(env, "defaults", simple);
	ok(ssm_document_update_options_init(&(ssm_document_update_options){ 0 },
					    1));
	{
		ssm_document_update_options uo =
			SSM_DOCUMENT_UPDATE_OPTIONS_INIT;

		uo.version_name = "second";
		uo.format = SSM_DOCUMENT_JSON;
		ok(ssm_document_update(NULL, env->client, "defaults", simple2,
				       &uo));
	}
	ok(ssm_document_update_default_version(&d, env->client, "defaults",
					       "2"));
	assert_string_equal("defaults", ssm_document_info_name(d));
	assert_int_equal(2, ssm_document_info_default_version(d));
	assert_string_equal("second", ssm_document_info_version_name(d));
	ssm_document_info_free(d);
	ok(ssm_document_describe(&d, env->client, "defaults", NULL));
	assert_int_equal(2, ssm_document_info_version(d));
	assert_int_equal(2, ssm_document_info_default_version(d));
	ssm_document_info_free(d);
	expect_error(ssm_document_update_default_version(NULL, env->client,
							 "defaults", "3"),
		     SSM_ENOTFOUND, "InvalidDocumentVersion",
		     "The document version is not valid or does not exist.");
	expect_error(ssm_document_update_default_version(NULL, env->client,
							 "defaults", "$LATEST"),
		     SSM_EINVALID, "ValidationException",
		     "1 validation error detected: Value '$LATEST' at "
		     "'documentVersion' failed to satisfy constraint: Member "
		     "must satisfy regular expression pattern: "
		     "^[1-9][0-9]*$");
	expect_error(ssm_document_update_default_version(NULL, env->client,
							 "nothing", "1"),
		     SSM_ENOTFOUND, "InvalidDocument",
		     "The specified document does not exist.");
	/* ListDocumentVersions, one per page */
	ok(ssm_document_list_versions(&it, env->client, "defaults", 1));
	while (ssm_document_iter_next(&v, it) == SSM_OK) {
		n++;
		assert_int_equal(n, ssm_document_info_version(v));
		assert_int_equal(n == 2,
				 ssm_document_info_is_default_version(v));
		assert_string_equal("defaults", ssm_document_info_name(v));
		assert_string_equal("Active", ssm_document_info_status(v));
		assert_int_equal(SSM_DOCUMENT_JSON,
				 ssm_document_info_format(v));
	}
	assert_int_equal(2, n);
	ssm_document_iter_free(it);
	ok(ssm_document_list_versions(&it, env->client, "nothing", 0));
	expect_error(ssm_document_iter_next(&v, it), SSM_ENOTFOUND,
		     "InvalidDocument",
		     "The specified document does not exist.");
	ssm_document_iter_free(it);
}

/* ---- delete
 * ------------------------------------------------------------------ */

static void delete_removes_versions_or_everything(void **state)
{
	struct ssm_test_env *env = *state;
	ssm_document_delete_options o = SSM_DOCUMENT_DELETE_OPTIONS_INIT;
	ssm_document_update_options uo = SSM_DOCUMENT_UPDATE_OPTIONS_INIT;
	ssm_document_info *d = NULL;
	char *before;

	create(env, "gone", simple);
	uo.version_name = "two";
	ok(ssm_document_update(NULL, env->client, "gone", simple2, &uo));
	uo.version_name = NULL;
	ok(ssm_document_update(NULL, env->client, "gone", simple3, &uo));
	before = snapshot(env);
	o.document_version = "1";
	expect_error(ssm_document_delete(env->client, "gone", &o), SSM_EINVALID,
		     "InvalidDocumentOperation",
		     "Default version of the document can't be deleted.");
	o.document_version = "7";
	expect_error(ssm_document_delete(env->client, "gone", &o),
		     SSM_ENOTFOUND, "InvalidDocumentVersion",
		     "The document version is not valid or does not exist.");
	expect_error(ssm_document_delete(env->client, "nothing", NULL),
		     SSM_ENOTFOUND, "InvalidDocument",
		     "The specified document does not exist.");
	same_snapshot(before, env);
	/* deleting the latest makes the highest remaining one latest */
	o.document_version = "$LATEST";
	ok(ssm_document_delete(env->client, "gone", &o));
	ok(ssm_document_describe(&d, env->client, "gone", NULL));
	assert_int_equal(2, ssm_document_info_latest_version(d));
	ssm_document_info_free(d);
	/* the deleted content may come back as a new version */
	ok(ssm_document_update(&d, env->client, "gone", simple3, NULL));
	assert_int_equal(3, ssm_document_info_version(d));
	ssm_document_info_free(d);
	o.document_version = NULL;
	o.version_name = "two";
	ok(ssm_document_delete(env->client, "gone", &o));
	ok(ssm_document_describe(&d, env->client, "gone", NULL));
	assert_int_equal(3, ssm_document_info_latest_version(d));
	ssm_document_info_free(d);
	/* everything, tags included; the name is free again */
	ok(ssm_document_delete(env->client, "gone", NULL));
	expect_error(ssm_document_describe(&d, env->client, "gone", NULL),
		     SSM_ENOTFOUND, "InvalidDocument",
		     "The specified document does not exist.");
	create(env, "gone", simple);
	/* the only version: the document goes */
	o.version_name = NULL;
	o.document_version = "1";
	ok(ssm_document_delete(env->client, "gone", &o));
	expect_error(ssm_document_get(&d, env->client, "gone", NULL),
		     SSM_ENOTFOUND, "InvalidDocument",
		     "The specified document does not exist.");
}

/* ---- list
 * -------------------------------------------------------------------- */

static void list_filters_and_pages(void **state)
{
	struct ssm_test_env *env = *state;
	ssm_document_create_options co = SSM_DOCUMENT_CREATE_OPTIONS_INIT;
	ssm_document_list_options o = SSM_DOCUMENT_LIST_OPTIONS_INIT;
	const char *self[] = { "Self" }, *prefix[] = { "app-" },
		   *session[] = { "Session" }, *windows[] = { "Windows" },
		   *tagv[] = { "core" }, *both[] = { "Self", "Amazon" };
	const ssm_tag team = { "team", "core" };
	ssm_document_filter f[3];
	ssm_document_iter *it = NULL;
	const ssm_document_info *i;
	int n = 0;

	co.tags = &team;
	co.tags_count = 1;
	ok(ssm_document_create(NULL, env->client, "app-one", simple, &co));
	create(env, "app-two", simple);
	create(env, "other", simple);
	co.tags_count = 0;
	co.type = SSM_DOCUMENT_SESSION;
	ok(ssm_document_create(NULL, env->client, "app-port",
			       "{\"schemaVersion\":\"1.0\",\"sessionType\":"
			       "\"Port\",\"properties\":{\"portNumber\":"
			       "\"22\"}}",
			       &co));
	o.filters = f;
	o.filters_count = 1;
	f[0] = (ssm_document_filter){ "Owner", self, 1 };
	expect_list(env, &o,
		    "SSM-SessionManagerRunShell,app-one,app-port,app-two,"
		    "other");
	o.filters_count = 2;
	f[1] = (ssm_document_filter){ "Name", prefix, 1 };
	expect_list(env, &o, "app-one,app-port,app-two");
	o.filters_count = 3;
	f[2] = (ssm_document_filter){ "DocumentType", session, 1 };
	expect_list(env, &o, "app-port");
	f[2] = (ssm_document_filter){ "tag:team", tagv, 1 };
	expect_list(env, &o, "app-one");
	f[2] = (ssm_document_filter){ "tag:team", NULL, 0 };
	expect_list(env, &o, "app-one");
	o.filters_count = 2;
	f[1] = (ssm_document_filter){ "PlatformTypes", windows, 1 };
	expect_list(env, &o, "SSM-SessionManagerRunShell,app-port");
	/* all pages, two at a time, every document once */
	o.filters_count = 0;
	o.page_size = 2;
	ok(ssm_document_list(&it, env->client, &o));
	while (ssm_document_iter_next(&i, it) == SSM_OK) {
		assert_non_null(ssm_document_info_owner(i));
		assert_true(ssm_document_info_version(i) >= 1);
		n++;
	}
	ssm_document_iter_free(it);
	assert_int_equal(14, n);
	/* errors */
	o.page_size = 0;
	o.filters_count = 1;
	f[0] = (ssm_document_filter){ "Owner", both, 2 };
	ok(ssm_document_list(&it, env->client, &o));
	expect_error(ssm_document_iter_next(&i, it), SSM_EINVALID,
		     "ValidationException",
		     "Owner filter can only have one value.");
	ssm_document_iter_free(it);
	f[0] = (ssm_document_filter){ "Colour", both, 1 };
	ok(ssm_document_list(&it, env->client, &o));
	expect_error(ssm_document_iter_next(&i, it), SSM_EINVALID,
		     "InvalidFilterKey",
		     "filter key 'Colour' is not valid (Name, Owner, "
		     "PlatformTypes, DocumentType, TargetType or tag:<key>)");
	ssm_document_iter_free(it);
	o.page_size = 51;
	assert_int_equal(SSM_EINVALID, ssm_document_list(&it, env->client, &o));
	assert_null(it);
}

static void list_tokens_are_checked(void **state)
{
	struct ssm_test_env *env = *state;
	ssm_api_list_documents_in in = { 0 };
	ssm_api_list_documents_out out;
	ssm_api_document_filter df = { "Name", "app" };
	ssm_api_document_kv_filter kf = { "Name", { NULL, 0 } };
	ssm_call call;

	in.next_token = "garbage";
	ssm_client__call_init(&call, env->client);
	expect_error(ssm_client__call(env->client, &ssm_document__op_list, &in,
				      &out, &call),
		     SSM_EINVALID, "InvalidNextToken",
		     "The specified token is not valid.");
	ssm_call__dispose(&call);
	/* both forms of filters at once */
	in.next_token = NULL;
	in.document_filter_list.items = &df;
	in.document_filter_list.count = 1;
	in.filters.items = &kf;
	in.filters.count = 1;
	ssm_client__call_init(&call, env->client);
	expect_error(ssm_client__call(env->client, &ssm_document__op_list, &in,
				      &out, &call),
		     SSM_EINVALID, "ValidationException",
		     "DocumentFilterList is deprecated. Instead use Filters.");
	ssm_call__dispose(&call);
	/* the deprecated form alone works */
	in.filters.count = 0;
	ssm_client__call_init(&call, env->client);
	ok(ssm_client__call(env->client, &ssm_document__op_list, &in, &out,
			    &call));
	assert_int_equal(0, out.document_identifiers.count);
	ssm_call__dispose(&call);
}

/* ---- permissions
 * --------------------------------------------------------------- */

static void sharing_adds_and_removes_accounts(void **state)
{
	struct ssm_test_env *env = *state;
	const char *add[] = { "111122223333", "ALL" },
		   *rm[] = { "111122223333" }, *bad[] = { "12345" };
	ssm_strarray accounts = SSM_STRARRAY_INIT, versions = SSM_STRARRAY_INIT;
	const char *pub[] = { "Public" };
	ssm_document_filter f = { "Owner", pub, 1 };
	ssm_document_list_options o = SSM_DOCUMENT_LIST_OPTIONS_INIT;

	create(env, "shared", simple);
	ok(ssm_document_modify_permission(env->client, "shared", add, 2, NULL,
					  0, "$LATEST"));
	ok(ssm_document_permissions(&accounts, &versions, env->client,
				    "shared"));
	assert_int_equal(2, accounts.count);
	assert_string_equal("111122223333", accounts.strings[0]);
	assert_string_equal("all", accounts.strings[1]);
	assert_string_equal("$LATEST", versions.strings[0]);
	ssm_strarray_dispose(&accounts);
	ssm_strarray_dispose(&versions);
	o.filters = &f;
	o.filters_count = 1;
	expect_list(env, &o, "shared");
	expect_error(ssm_document_delete(env->client, "shared", NULL),
		     SSM_EINVALID, "InvalidDocumentOperation",
		     "Must unshare document first before delete");
	ok(ssm_document_modify_permission(env->client, "shared", NULL, 0, rm, 1,
					  NULL));
	ok(ssm_document_permissions(&accounts, NULL, env->client, "shared"));
	assert_int_equal(1, accounts.count);
	assert_string_equal("all", accounts.strings[0]);
	ssm_strarray_dispose(&accounts);
	expect_error(ssm_document_modify_permission(env->client, "shared", bad,
						    1, NULL, 0, NULL),
		     SSM_EINVALID, "ValidationException",
		     "1 validation error detected: Value '12345' at "
		     "'accountIdsToAdd.1.member' failed to satisfy constraint: "
		     "Member must satisfy regular expression pattern: "
		     "^((?i)all|[0-9]{12})$");
	expect_error(ssm_document_modify_permission(env->client,
						    "AWS-RunShellScript", add,
						    1, NULL, 0, NULL),
		     SSM_EINVALID, "InvalidDocumentOperation",
		     "Documents owned by Amazon cannot be changed.");
	expect_error(ssm_document_permissions(&accounts, NULL, env->client,
					      "nothing"),
		     SSM_ENOTFOUND, "InvalidDocument",
		     "The specified document does not exist.");
}

/* ---- rendering with the Parameter Store ------------------------------------
 */

static ssm_document *stored(struct ssm_test_env *env, const char *name)
{
	ssm_document_info *i = NULL;
	ssm_document *d = NULL;
	const char *c;

	ok(ssm_document_get(&i, env->client, name, NULL));
	c = ssm_document_info_content(i);
	ok(ssm_document_parse(&d, c, strlen(c), NULL));
	ssm_document_info_free(i);
	return d;
}

static void rendering_through_a_client_resolves_parameters(void **state)
{
	struct ssm_test_env *env = *state;
	ssm_param_put_options po = SSM_PARAM_PUT_OPTIONS_INIT;
	ssm_document_render_options ro = SSM_DOCUMENT_RENDER_OPTIONS_INIT;
	ssm_document_plan *p = NULL;
	ssm_document *d;
	ssm_buf b = SSM_BUF_INIT;
	char many[2048] = "";
	int i;

	po.type = SSM_PARAM_STRING;
	ok(ssm_param_put(NULL, NULL, env->client, "/app/host", "db1", &po));
	po.flags = SSM_PARAM_PUT_OVERWRITE;
	ok(ssm_param_put(NULL, NULL, env->client, "/app/host", "db2", &po));
	po.type = SSM_PARAM_STRING_LIST;
	ok(ssm_param_put(NULL, NULL, env->client, "/app/pkgs", "git,curl",
			 &po));
	po.type = SSM_PARAM_SECURE_STRING;
	ok(ssm_param_put(NULL, NULL, env->client, "/gh/token", "ghp_T0ken",
			 &po));
	create(env, "uses-params",
	       "{\"schemaVersion\":\"2.2\",\"parameters\":{\"host\":{"
	       "\"type\":\"String\",\"default\":\"{{ssm:/app/host:1}}\"}},"
	       "\"mainSteps\":[{\"action\":\"aws:runShellScript\",\"name\":"
	       "\"run\",\"inputs\":{\"runCommand\":[\"ping {{ host }} "
	       "{{ssm:/app/host}}\",\"{{ssm:/app/pkgs}}\"]}},{\"action\":"
	       "\"aws:downloadContent\",\"name\":\"get\",\"inputs\":{"
	       "\"sourceType\":\"GitHub\",\"sourceInfo\":{\"owner\":\"me\","
	       "\"tokenInfo\":\"{{ssm-secure:/gh/token}}\"}}}]}");
	d = stored(env, "uses-params");
	ro.client = env->client;
	ok(ssm_document_render(&p, d, &ro));
	assert_int_equal(SSM_OK, ssm_document_plan_step_inputs(&b, p, 0, 0));
	assert_string_equal("{\"runCommand\":[\"ping db1 db2\",\"git\","
			    "\"curl\"]}",
			    b.ptr);
	ssm_buf_dispose(&b);
	assert_int_equal(SSM_OK, ssm_document_plan_step_inputs(&b, p, 1, 0));
	assert_non_null(strstr(b.ptr, "\"tokenInfo\":\"ghp_T0ken\""));
	ssm_buf_dispose(&b);
	assert_int_equal(SSM_OK, ssm_document_plan_json(
					 &b, p, SSM_DOCUMENT_PLAN_REDACT));
	assert_null(strstr(b.ptr, "ghp_T0ken"));
	ssm_buf_dispose(&b);
	ssm_document_plan_free(p);
	ssm_document_free(d);
	/* more than 10 references: several GetParameters calls */
	strcat(many, "{\"schemaVersion\":\"2.2\",\"mainSteps\":[{\"action\":"
		     "\"aws:runShellScript\",\"name\":\"run\",\"inputs\":{"
		     "\"runCommand\":[\"");
	po.type = SSM_PARAM_STRING;
	po.flags = 0;
	for (i = 0; i < 12; i++) {
		char name[32], ref[48];

		snprintf(name, sizeof(name), "/n/p%d", i);
		ok(ssm_param_put(NULL, NULL, env->client, name, "v", &po));
		snprintf(ref, sizeof(ref), "{{ssm:%s}}", name);
		strcat(many, ref);
	}
	strcat(many, "\"]}}]}");
	d = parse_ok_text(many);
	ok(ssm_document_render(&p, d, &ro));
	assert_int_equal(SSM_OK, ssm_document_plan_step_inputs(&b, p, 0, 0));
	assert_string_equal("{\"runCommand\":[\"vvvvvvvvvvvv\"]}", b.ptr);
	ssm_buf_dispose(&b);
	ssm_document_plan_free(p);
	ssm_document_free(d);
	d = parse_ok_text("{\"schemaVersion\":\"2.2\",\"mainSteps\":[{"
			  "\"action\":\"aws:runShellScript\",\"name\":\"a\","
			  "\"inputs\":{\"runCommand\":[\"{{ssm:/n/p1}} "
			  "{{ssm:/n/missing}} {{ssm:/app/host:9}}\"]}}]}");
	expect_error(ssm_document_render(&p, d, &ro), SSM_EINVALID,
		     "InvalidParameters",
		     "Input contains invalid parameters [/n/missing, "
		     "/app/host:9]");
	ssm_document_free(d);
}

static void engines_load_documents_from_the_store(void **state)
{
	struct ssm_test_env *env = *state;
	ssm_service *svc = ssm_client__service(env->client);
	ssm_document__loaded info;
	ssm_doc *doc = NULL;
	char hash[SSM_SHA256_HEX_LEN + 1];

	if (!svc)
		skip();
	create(env, "loaded", simple);
	ok(ssm_document_update(NULL, env->client, "loaded", simple2, NULL));
	ok(ssm_document__load(&doc, &info, svc, "loaded", NULL));
	ssm_crypto_sha256_hex(hash, simple, strlen(simple));
	assert_string_equal("loaded", info.name);
	assert_string_equal("123456789012", info.owner);
	assert_string_equal(hash, info.hash);
	assert_int_equal(1, info.version);
	assert_int_equal(2, info.latest_version);
	assert_string_equal("one", doc->description);
	ssm_doc__free(doc);
	ok(ssm_document__load(&doc, &info, svc,
			      "arn:aws:ssm:us-east-1:123456789012:document/"
			      "loaded",
			      "$LATEST"));
	assert_int_equal(2, info.version);
	assert_string_equal("two", doc->description);
	ssm_doc__free(doc);
	ok(ssm_document__load(&doc, &info, svc, "AWS-RunShellScript", "1"));
	assert_string_equal("Amazon", info.owner);
	assert_int_equal(3, doc->nparams);
	ssm_doc__free(doc);
	expect_error(ssm_document__load(&doc, &info, svc, "loaded", "3"),
		     SSM_ENOTFOUND, "InvalidDocumentVersion",
		     "The document version is not valid or does not exist.");
	assert_null(doc);
	expect_error(ssm_document__load(&doc, &info, svc, "nothing", NULL),
		     SSM_ENOTFOUND, "InvalidDocument",
		     "The specified document does not exist.");
}

static void engines_resolve_straight_on_the_store(void **state)
{
	struct ssm_test_env *env = *state;
	ssm_service *svc = ssm_client__service(env->client);
	ssm_param_put_options po = SSM_PARAM_PUT_OPTIONS_INIT;
	ssm_document__store_resolver r;
	ssm_document_render_options ro = SSM_DOCUMENT_RENDER_OPTIONS_INIT;
	ssm_document_plan *p = NULL;
	ssm_document *d;
	ssm_buf b = SSM_BUF_INIT;

	if (!svc)
		skip();
	po.type = SSM_PARAM_SECURE_STRING;
	ok(ssm_param_put(NULL, NULL, env->client, "/pw", "s3cret", &po));
	po.type = SSM_PARAM_STRING;
	ok(ssm_param_put(NULL, NULL, env->client, "/user", "admin", &po));
	d = parse_ok_text(
		"schemaVersion: '2.2'\n"
		"mainSteps:\n"
		"  - action: aws:downloadContent\n"
		"    name: get\n"
		"    inputs:\n"
		"      sourceType: HTTP\n"
		"      sourceInfo: {url: 'https://x', username: "
		"'{{ssm:/user}}',\n"
		"                   password: '{{ssm-secure:/pw}}'}\n");
	ssm_document__store_resolver_init(&r, svc);
	ro.resolve_cb = ssm_document__store_resolve;
	ro.resolve_payload = &r;
	ok(ssm_document_render(&p, d, &ro));
	ssm_document__store_resolver_dispose(&r);
	assert_int_equal(SSM_OK, ssm_document_plan_step_inputs(&b, p, 0, 0));
	assert_string_equal("{\"sourceType\":\"HTTP\",\"sourceInfo\":{\"url\":"
			    "\"https://x\",\"username\":\"admin\",\"password\":"
			    "\"s3cret\"}}",
			    b.ptr);
	ssm_buf_dispose(&b);
	ssm_document_plan_free(p);
	ssm_document_free(d);
	/* a SecureString through {{ssm:}} is refused */
	d = parse_ok_text(
		"{\"schemaVersion\":\"2.2\",\"mainSteps\":[{"
		"\"action\":\"aws:runShellScript\",\"name\":\"a\","
		"\"inputs\":{\"runCommand\":[\"echo {{ssm:/pw}}\"]}}]}");
	ssm_document__store_resolver_init(&r, svc);
	expect_error(ssm_document_render(&p, d, &ro), SSM_EINVALID,
		     "InvalidParameters",
		     "Parameters [/pw] of type SecureString are not supported");
	ssm_document__store_resolver_dispose(&r);
	ssm_document_free(d);
}

/* ---- tags ------------------------------------------------------------------
 */

static void documents_take_tags(void **state)
{
	struct ssm_test_env *env = *state;
	const ssm_tag add[] = { { "owner", "ops" }, { "tier", "1" } };
	const char *rm[] = { "tier" };
	ssm_tag_list *l = NULL;
	ssm_document_info *d = NULL;
	const char *v;

	create(env, "tagged", simple);
	ok(ssm_tags_add(env->client, "Document", "tagged", add, 2));
	ok(ssm_tags_remove(env->client, "Document", "tagged", rm, 1));
	ok(ssm_tags_list(&l, env->client, "Document", "tagged"));
	assert_int_equal(1, ssm_tag_list_count(l));
	assert_string_equal("owner", ssm_tag_list_key(l, 0));
	ssm_tag_list_free(l);
	ok(ssm_document_describe(&d, env->client, "tagged", NULL));
	assert_int_equal(1, ssm_document_info_tags_count(d));
	assert_string_equal("owner", ssm_document_info_tag_at(&v, d, 0));
	assert_string_equal("ops", v);
	ssm_document_info_free(d);
	expect_error(ssm_tags_add(env->client, "Document", "missing", add, 1),
		     SSM_ENOTFOUND, "InvalidResourceId", "Invalid Resource Id");
	expect_error(ssm_tags_add(env->client, "Document", "AWS-RunShellScript",
				  add, 1),
		     SSM_ENOTFOUND, "InvalidResourceId", "Invalid Resource Id");
	/* deleting the document deletes its tags */
	ok(ssm_document_delete(env->client, "tagged", NULL));
	create(env, "tagged", simple);
	ok(ssm_tags_list(&l, env->client, "Document", "tagged"));
	assert_int_equal(0, ssm_tag_list_count(l));
	ssm_tag_list_free(l);
}

static void too_many_tags_are_refused(void **state)
{
	struct ssm_test_env *env = *state;
	ssm_document_create_options co = SSM_DOCUMENT_CREATE_OPTIONS_INIT;
	ssm_tag tags[51];
	char keys[51][8];
	char *before = snapshot(env);
	int i;

	for (i = 0; i < 51; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		tags[i].key = keys[i];
		tags[i].value = "v";
	}
	co.tags = tags;
	co.tags_count = 51;
	assert_int_equal(SSM_ELIMIT,
			 ssm_document_create(NULL, env->client, "many-tags",
					     simple, &co));
	assert_string_equal("TooManyTagsError", ssm_error_last()->service_code);
	same_snapshot(before, env);
}

/* ---- faults ----------------------------------------------------------------
 */

/* A failing store write leaves nothing behind: the transaction is all or
 * nothing. Runs on its own memory store behind the fault wrapper. */
static void store_failures_leave_nothing_behind(void **state)
{
	struct ssm_test_env *env = *state;
	ssm_store *inner = NULL, *fault = NULL;
	ssm_service *svc = NULL;
	ssm_api_create_document_in in = { 0 };
	ssm_api_document_description_out out;
	ssm_store_kvs before = SSM_STORE_KVS_INIT, after = SSM_STORE_KVS_INIT;
	ssm_call call;

	ok(ssm_store_open(&inner, env->ctx, "memory:"));
	ok(ssm_store_fault_new(&fault, inner));
	ok(ssm_service__new(&svc, env->ctx, fault, NULL));
	ok(ssm_store_range(&before, fault, "", 0, NULL));
	in.name = "faulty";
	in.content = (char *)simple;
	ok(ssm_store_fault_set(fault, SSM_STORE_METHOD_TXN, 1, SSM_ERROR,
			       false));
	memset(&out, 0, sizeof(out));
	ssm_call__init(&call, 0);
	assert_int_equal(SSM_ERROR,
			 ssm_service__call(svc, &ssm_document__op_create, &in,
					   &out, &call, NULL));
	assert_string_equal("injected fault: txn call 1",
			    ssm_error_last()->message);
	ssm_call__dispose(&call);
	ok(ssm_store_range(&after, fault, "", 0, NULL));
	assert_int_equal(before.count, after.count);
	assert_int_equal(before.revision, after.revision);
	/* and the next attempt works */
	memset(&out, 0, sizeof(out));
	ssm_call__init(&call, 0);
	ok(ssm_service__call(svc, &ssm_document__op_create, &in, &out, &call,
			     NULL));
	assert_string_equal("faulty", out.document_description->name);
	ssm_call__dispose(&call);
	ssm_store_kvs_dispose(&before);
	ssm_store_kvs_dispose(&after);
	ssm_service__unref(svc);
	ssm_store_close(fault);
}

static void options_and_arguments_are_checked(void **state)
{
	struct ssm_test_env *env = *state;
	ssm_document_create_options co;
	ssm_document_get_options go;
	ssm_document_delete_options dopt;
	ssm_document_list_options lo;
	ssm_document_info *d = NULL;

	ok(ssm_document_create_options_init(&co, 1));
	ok(ssm_document_get_options_init(&go, 1));
	ok(ssm_document_delete_options_init(&dopt, 1));
	ok(ssm_document_list_options_init(&lo, 1));
	assert_int_equal(SSM_EINVALID, ssm_document_get_options_init(&go, 2));
	assert_string_equal("ssm_document_get_options version 2 is not "
			    "supported (1..1)",
			    ssm_error_last()->message);
	co.version = 0;
	assert_int_equal(SSM_EINVALID, ssm_document_create(&d, env->client,
							   "x-y", simple, &co));
	co.version = 1;
	co.type = (ssm_document_type)99;
	assert_int_equal(SSM_EINVALID, ssm_document_create(&d, env->client,
							   "x-y", simple, &co));
	assert_string_equal("unknown document type 99",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_document_get(NULL, env->client, "x", NULL));
	assert_string_equal("invalid argument: 'out'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_document_delete(env->client, NULL, NULL));
	ssm_document_info_free(NULL);
	ssm_document_iter_free(NULL);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(builtins_are_seeded_and_owned_by_amazon),
		T(seeding_is_idempotent),
		T(spec_examples_round_trip_in_both_formats),
		T(builtins_round_trip_in_both_formats),
		T(create_describes_the_first_version),
		T(create_errors_leave_the_store_as_it_was),
		T(the_document_quota_is_enforced),
		T(update_adds_versions_and_keeps_the_default),
		T(the_version_quota_is_enforced),
		T(default_version_moves_on_request),
		T(delete_removes_versions_or_everything),
		T(list_filters_and_pages),
		T(list_tokens_are_checked),
		T(sharing_adds_and_removes_accounts),
		T(rendering_through_a_client_resolves_parameters),
		T(engines_load_documents_from_the_store),
		T(engines_resolve_straight_on_the_store),
		T(documents_take_tags),
		T(too_many_tags_are_refused),
		T(store_failures_leave_nothing_behind),
		T(options_and_arguments_are_checked),
#undef T
	};
	char name[64];
	int failed;

	if (ssm_test_backend_from_args(argc, argv, &backend))
		return 2;
	if (argc > 2)
		data_dir = argv[2];
	if (ssm_init() < 0)
		return 2;
	snprintf(name, sizeof(name), "document-%s", backend);
	failed = cmocka_run_group_tests_name(name, tests, NULL, NULL);
	ssm_shutdown();
	return failed;
}
