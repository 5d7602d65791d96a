/* SPDX-License-Identifier: Apache-2.0 */
/* Core runtime: init, errors, allocator, text, arena, context, logging. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <pthread.h>

#include "ssm/ssm.h"
#include "ssm/sys/errors.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "core/error.h"
#include "core/str.h"

static void ctx_new_without_init_fails(void **state)
{
	ssm_ctx *ctx = (ssm_ctx *)1;

	(void)state;
	assert_int_equal(SSM_EINVALID, ssm_ctx_new(&ctx, NULL));
	assert_null(ctx);
	assert_string_equal("ssm_init() was not called",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_error_last()->code);
}

static void shutdown_without_init_fails(void **state)
{
	(void)state;
	assert_int_equal(SSM_EINVALID, ssm_shutdown());
	assert_string_equal("ssm_shutdown() called without a matching "
			    "ssm_init()",
			    ssm_error_last()->message);
}

static void init_is_reference_counted(void **state)
{
	ssm_ctx *ctx = NULL;

	(void)state;
	assert_int_equal(SSM_OK, ssm_init());
	assert_int_equal(SSM_OK, ssm_init());
	assert_int_equal(SSM_OK, ssm_shutdown());
	assert_int_equal(SSM_OK, ssm_ctx_new(&ctx, NULL)); /* one left */
	ssm_ctx_free(ctx);
	assert_int_equal(SSM_OK, ssm_shutdown());
	assert_int_equal(SSM_EINVALID, ssm_ctx_new(&ctx, NULL));
}

static void version_matches_headers(void **state)
{
	unsigned int major = 99, minor = 99, patch = 99;

	(void)state;
	ssm_version(&major, &minor, &patch);
	assert_int_equal(SSM_VERSION_MAJOR, major);
	assert_int_equal(SSM_VERSION_MINOR, minor);
	assert_int_equal(SSM_VERSION_PATCH, patch);
	ssm_version(NULL, NULL, NULL);
	assert_string_equal(SSM_VERSION, ssm_version_string());
}

static void error_record_holds_code_class_service_message(void **state)
{
	const ssm_error *e;

	(void)state;
	assert_int_equal(
		SSM_ENOTFOUND,
		ssm_error_set_service(SSM_ENOTFOUND, SSM_ERRCLASS_PARAM,
				      "ParameterNotFound",
				      "parameter '%s' not found", "/a/b"));
	e = ssm_error_last();
	assert_int_equal(SSM_ENOTFOUND, e->code);
	assert_int_equal(SSM_ERRCLASS_PARAM, e->klass);
	assert_string_equal("ParameterNotFound", e->service_code);
	assert_string_equal("parameter '/a/b' not found", e->message);

	ssm_error_set(SSM_EINVALID, SSM_ERRCLASS_DOCUMENT, "no %s", "service");
	assert_null(ssm_error_last()->service_code);

	ssm_error_clear();
	e = ssm_error_last();
	assert_int_equal(SSM_OK, e->code);
	assert_string_equal("no error", e->message);
	assert_null(e->service_code);
}

static void error_set_str_without_message_uses_code_text(void **state)
{
	(void)state;
	assert_int_equal(
		SSM_ETIMEOUT,
		ssm_error_set_str(SSM_ETIMEOUT, SSM_ERRCLASS_OS, NULL, NULL));
	assert_string_equal("timed out", ssm_error_last()->message);
	ssm_error_set_str(SSM_EAUTH, SSM_ERRCLASS_SERVER,
			  "UnrecognizedClientException", "bad key");
	assert_string_equal("bad key", ssm_error_last()->message);
	assert_string_equal("UnrecognizedClientException",
			    ssm_error_last()->service_code);
}

static void error_message_is_one_line_of_valid_utf8(void **state)
{
	char big[4000];

	(void)state;
	ssm_error_set(SSM_EINVALID, SSM_ERRCLASS_PARAM, "name '%s'",
		      "a\nb\tc\x7f\xff\xc3\xa9");
	assert_string_equal("name 'a?b?c??\xc3\xa9'",
			    ssm_error_last()->message);

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ssm_error_set(SSM_EINVALID, SSM_ERRCLASS_PARAM, "%s", big);
	assert_int_equal(SSM_ERROR_MESSAGE_MAX - 1,
			 strlen(ssm_error_last()->message));
}

static void error_message_may_quote_the_previous_one(void **state)
{
	(void)state;
	ssm_error_set_service(SSM_ENOTFOUND, SSM_ERRCLASS_PARAM, "Inner",
			      "inner %s", "problem");
	ssm_error_set_service(SSM_EINVALID, SSM_ERRCLASS_API,
			      ssm_error_last()->service_code, "outer: %s",
			      ssm_error_last()->message);
	assert_string_equal("outer: inner problem", ssm_error_last()->message);
	assert_string_equal("Inner", ssm_error_last()->service_code);
}

static void err_str_names_every_code(void **state)
{
	(void)state;
	assert_string_equal("no error", ssm_err_str(SSM_OK));
	assert_string_equal("unexpected error", ssm_err_str(SSM_ERROR));
	assert_string_equal("not found", ssm_err_str(SSM_ENOTFOUND));
	assert_string_equal("already exists", ssm_err_str(SSM_EEXISTS));
	assert_string_equal("invalid argument", ssm_err_str(SSM_EINVALID));
	assert_string_equal("conflict", ssm_err_str(SSM_ECONFLICT));
	assert_string_equal("authentication failed", ssm_err_str(SSM_EAUTH));
	assert_string_equal("timed out", ssm_err_str(SSM_ETIMEOUT));
	assert_string_equal("cancelled", ssm_err_str(SSM_ECANCELLED));
	assert_string_equal("not supported", ssm_err_str(SSM_EUNSUPPORTED));
	assert_string_equal("limit exceeded", ssm_err_str(SSM_ELIMIT));
	assert_string_equal("aborted by a callback", ssm_err_str(SSM_EUSER));
	assert_string_equal("end of iteration", ssm_err_str(SSM_ITEROVER));
	assert_string_equal("unknown error", ssm_err_str((ssm_err)-99));
}

static void *set_error_on_thread(void *arg)
{
	ssm_error_saved *saved = arg;

	ssm_error__set(SSM_ECONFLICT, SSM_ERRCLASS_STORE, "Busy",
		       "key '%s' changed", "k");
	ssm_error__save(saved, SSM_ECONFLICT);
	return NULL;
}

static void error_is_per_thread_and_can_be_carried_over(void **state)
{
	ssm_error_saved saved;
	pthread_t t;

	(void)state;
	ssm_error_clear();
	pthread_create(&t, NULL, set_error_on_thread, &saved);
	pthread_join(t, NULL);
	assert_int_equal(SSM_OK, ssm_error_last()->code);
	assert_int_equal(SSM_ECONFLICT, ssm_error__restore(&saved));
	assert_string_equal("key 'k' changed", ssm_error_last()->message);
	assert_string_equal("Busy", ssm_error_last()->service_code);
	assert_int_equal(SSM_ERRCLASS_STORE, ssm_error_last()->klass);
}

static void alloc_failure_injection_fails_the_nth(void **state)
{
	void *a, *b, *c;

	(void)state;
	ssm__alloc_fail_at(2, false);
	a = ssm__malloc(8);
	b = ssm__malloc(8);
	c = ssm__malloc(8);
	assert_non_null(a);
	assert_null(b);
	assert_non_null(c);
	assert_int_equal(SSM_ERRCLASS_NOMEMORY, ssm_error_last()->klass);
	assert_string_equal("out of memory", ssm_error_last()->message);
	assert_int_equal(1, ssm__alloc_failures());
	ssm__free(a);
	ssm__free(c);

	ssm__alloc_fail_at(1, true);
	assert_null(ssm__malloc(1));
	assert_null(ssm__calloc(1, 1));
	assert_null(ssm__strdup("x"));
	ssm__alloc_fail_at(0, false);
	a = ssm__strdup("x");
	assert_string_equal("x", a);
	ssm__free(a);
}

static void overflow_checks_catch_wraparound(void **state)
{
	size_t out;

	(void)state;
	assert_false(ssm__add_overflow(&out, 1, 2));
	assert_int_equal(3, out);
	assert_true(ssm__add_overflow(&out, SIZE_MAX, 1));
	assert_int_equal(SIZE_MAX, out);
	assert_true(ssm__mul_overflow(&out, SIZE_MAX / 2, 3));
	assert_false(ssm__mul_overflow(&out, 1000, 1000));
	assert_int_equal(1000000, out);
}

static void str_grows_and_formats(void **state)
{
	ssm_str s = SSM_STR_INIT;
	ssm_buf b = SSM_BUF_INIT;
	int i;

	(void)state;
	assert_string_equal("", ssm_str_cstr(&s));
	for (i = 0; i < 1000; i++)
		assert_int_equal(SSM_OK, ssm_str_printf(&s, "%d,", i));
	assert_int_equal(0, strncmp(s.ptr, "0,1,2,", 6));
	assert_int_equal(SSM_OK, ssm_str_putc(&s, '!'));
	assert_int_equal('!', s.ptr[s.size - 1]);
	ssm_str_truncate(&s, 2);
	assert_string_equal("0,", s.ptr);
	assert_int_equal(SSM_OK, ssm_str_to_buf(&b, &s));
	assert_string_equal("0,", b.ptr);
	assert_int_equal(2, b.size);
	assert_null(s.ptr);
	ssm_buf_dispose(&b);
	assert_null(b.ptr);
	ssm_str_dispose(&s);
}

static void str_refuses_to_pass_its_maximum(void **state)
{
	ssm_str s = SSM_STR_INIT;

	(void)state;
	ssm_str_init_max(&s, 4);
	assert_int_equal(SSM_OK, ssm_str_puts(&s, "abcd"));
	assert_int_equal(SSM_ELIMIT, ssm_str_puts(&s, "e"));
	assert_string_equal("text exceeds the limit of 4 bytes",
			    ssm_error_last()->message);
	assert_string_equal("abcd", s.ptr);
	ssm_str_dispose_secure(&s);
}

static void str_out_of_memory_keeps_contents(void **state)
{
	ssm_str s = SSM_STR_INIT;
	char big[200];

	(void)state;
	memset(big, 'y', sizeof(big));
	assert_int_equal(SSM_OK, ssm_str_puts(&s, "keep"));
	ssm__alloc_fail_at(1, false);
	assert_int_equal(SSM_ERROR, ssm_str_put(&s, big, sizeof(big)));
	assert_string_equal("out of memory", ssm_error_last()->message);
	assert_string_equal("keep", s.ptr);
	ssm_str_dispose(&s);
}

static void buf_set_copies_and_terminates(void **state)
{
	ssm_buf b = SSM_BUF_INIT;
	ssm_strarray a = SSM_STRARRAY_INIT;

	(void)state;
	assert_int_equal(SSM_OK, ssm_buf_set(&b, "a\0b", 3));
	assert_int_equal(3, b.size);
	assert_memory_equal("a\0b\0", b.ptr, 4);
	assert_int_equal(SSM_OK, ssm_buf_set(&b, NULL, 0));
	assert_non_null(b.ptr);
	assert_int_equal(0, b.size);
	assert_int_equal(SSM_EINVALID, ssm_buf_set(NULL, "x", 1));
	assert_string_equal("invalid argument: 'buf'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_buf_set(&b, NULL, 1));
	assert_string_equal("invalid argument: 'data || !len'",
			    ssm_error_last()->message);
	ssm__alloc_fail_at(1, false);
	assert_int_equal(SSM_ERROR, ssm_buf_set(&b, "zz", 2));
	assert_int_equal(0, b.size); /* unchanged */
	ssm_buf_dispose(&b);
	ssm_buf_dispose(NULL);

	a.strings = ssm__calloc(2, sizeof(char *));
	a.strings[0] = ssm__strdup("one");
	a.strings[1] = ssm__strdup("two");
	a.count = 2;
	ssm_strarray_dispose(&a);
	assert_null(a.strings);
	assert_int_equal(0, a.count);
	ssm_strarray_dispose(NULL);
}

static void arena_allocates_aligned_and_honours_max(void **state)
{
	ssm_arena a = SSM_ARENA_INIT;
	char *s;
	void *p;
	int i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		p = ssm_arena_alloc(&a, (size_t)i + 1);
		assert_non_null(p);
		assert_int_equal(0, (uintptr_t)p % 16);
	}
	p = ssm_arena_alloc(&a, 3 << 20); /* bigger than any chunk */
	assert_non_null(p);
	memset(p, 1, 3 << 20);
	s = ssm_arena_strndup(&a, "hello world", 5);
	assert_string_equal("hello", s);
	assert_non_null(ssm_arena_calloc(&a, 10, 10));
	ssm_arena_dispose(&a);

	a.max = 100;
	assert_non_null(ssm_arena_alloc(&a, 64));
	assert_null(ssm_arena_alloc(&a, 64));
	assert_int_equal(SSM_ELIMIT, ssm_error_last()->code);
	assert_string_equal("input needs more than 100 bytes of memory",
			    ssm_error_last()->message);
	ssm_arena_dispose_secure(&a);
}

struct log_capture {
	int lines;
	ssm_log_level level;
	char component[32];
	char message[256];
};

static void capture(ssm_log_level level, const char *component,
		    const char *message, void *payload)
{
	struct log_capture *c = payload;

	c->lines++;
	c->level = level;
	snprintf(c->component, sizeof(c->component), "%s", component);
	snprintf(c->message, sizeof(c->message), "%s", message);
}

static int setup_init(void **state)
{
	(void)state;
	return ssm_init() == SSM_OK ? 0 : -1;
}

static int teardown_init(void **state)
{
	(void)state;
	ssm__alloc_fail_at(0, false);
	return ssm_shutdown() == SSM_OK ? 0 : -1;
}

static void ctx_is_silent_until_a_logger_is_set(void **state)
{
	struct log_capture c = { 0 };
	ssm_ctx *ctx = NULL;

	(void)state;
	assert_int_equal(SSM_OK, ssm_ctx_new(&ctx, NULL));
	assert_false(ssm_ctx__log_enabled(ctx, SSM_LOG_ERROR));
	assert_int_equal(SSM_OK, ssm_ctx_log(ctx, SSM_LOG_ERROR, "t", "x"));
	assert_int_equal(SSM_OK,
			 ssm_ctx_set_logger(ctx, capture, SSM_LOG_DEFAULT, &c));
	assert_int_equal(SSM_OK, ssm_ctx_log(ctx, SSM_LOG_DEBUG, "t", "hid"));
	assert_int_equal(0, c.lines); /* default level is INFO */
	assert_int_equal(SSM_OK,
			 ssm_ctx_log(ctx, SSM_LOG_WARN, "ssmd", "a\nb"));
	assert_int_equal(1, c.lines);
	assert_int_equal(SSM_LOG_WARN, c.level);
	assert_string_equal("ssmd", c.component);
	assert_string_equal("a b", c.message); /* one line per call */
	assert_int_equal(SSM_OK, ssm_ctx_set_logger(ctx, NULL, 0, NULL));
	assert_int_equal(SSM_OK, ssm_ctx_log(ctx, SSM_LOG_ERROR, "t", "x"));
	assert_int_equal(1, c.lines);
	ssm_ctx_free(ctx);
}

static void ctx_options_set_logger_and_level(void **state)
{
	struct log_capture c = { 0 };
	ssm_ctx_options o;
	ssm_ctx *ctx = NULL;

	(void)state;
	assert_int_equal(SSM_OK,
			 ssm_ctx_options_init(&o, SSM_CTX_OPTIONS_VERSION));
	o.log_cb = capture;
	o.log_payload = &c;
	o.log_level = SSM_LOG_TRACE;
	assert_int_equal(SSM_OK, ssm_ctx_new(&ctx, &o));
	SSM_LOG(ctx, SSM_LOG_TRACE, "store", "n=%d", 7);
	assert_int_equal(1, c.lines);
	assert_string_equal("n=7", c.message);
	assert_string_equal("trace", ssm_log_level_str(c.level));
	ssm_ctx_free(ctx);
}

static void ctx_rejects_bad_options_and_arguments(void **state)
{
	ssm_ctx_options o = SSM_CTX_OPTIONS_INIT;
	ssm_ctx *ctx = NULL;

	(void)state;
	assert_int_equal(SSM_EINVALID, ssm_ctx_new(NULL, NULL));
	assert_string_equal("invalid argument: 'out'",
			    ssm_error_last()->message);
	o.version = 99;
	assert_int_equal(SSM_EINVALID, ssm_ctx_new(&ctx, &o));
	assert_string_equal("ssm_ctx_options version 99 is not supported "
			    "(1..1)",
			    ssm_error_last()->message);
	o.version = SSM_CTX_OPTIONS_VERSION;
	o.log_level = (ssm_log_level)9;
	assert_int_equal(SSM_EINVALID, ssm_ctx_new(&ctx, &o));
	assert_string_equal("log level 9 is out of range (0..5)",
			    ssm_error_last()->message);
	assert_null(ctx);
	assert_int_equal(SSM_EINVALID, ssm_ctx_options_init(&o, 0));
	assert_string_equal("ssm_ctx_options version 0 is not supported "
			    "(1..1)",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_ctx_options_init(NULL, 1));
	assert_int_equal(SSM_EINVALID,
			 ssm_ctx_set_logger(NULL, capture, 0, NULL));
	assert_string_equal("invalid argument: 'ctx'",
			    ssm_error_last()->message);

	assert_int_equal(SSM_OK, ssm_ctx_new(&ctx, NULL));
	assert_int_equal(SSM_EINVALID,
			 ssm_ctx_log(ctx, SSM_LOG_DEFAULT, "c", "m"));
	assert_string_equal("log level 0 is out of range (1..5)",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_ctx_log(ctx, SSM_LOG_INFO, NULL, "m"));
	assert_string_equal("invalid argument: 'component'",
			    ssm_error_last()->message);
	assert_int_equal(
		SSM_EINVALID,
		ssm_ctx_set_logger(ctx, capture, (ssm_log_level)-1, NULL));
	ssm_ctx_free(ctx);
	ssm_ctx_free(NULL);
}

static void ctx_new_out_of_memory_leaks_nothing(void **state)
{
	ssm_ctx *ctx = NULL;
	uint64_t n;
	ssm_err error;

	(void)state;
	/* fail each allocation in turn until creation succeeds */
	for (n = 1;; n++) {
		ssm__alloc_fail_at(n, false);
		error = ssm_ctx_new(&ctx, NULL);
		ssm__alloc_fail_at(0, false);
		if (error == SSM_OK)
			break;
		assert_int_equal(SSM_ERROR, error);
		assert_string_equal("out of memory", ssm_error_last()->message);
		assert_null(ctx);
	}
	assert_true(n > 1);
	ssm_ctx_free(ctx);
}

static void registry_refuses_a_taken_name(void **state)
{
	ssm_ctx *ctx = NULL;
	const void *ops = NULL;
	void *payload = NULL;
	char names[64];

	(void)state;
	assert_int_equal(SSM_OK, ssm_ctx_new(&ctx, NULL));
	assert_int_equal(SSM_OK, ssm_ctx__register(ctx, SSM_PLUGIN_EXECUTOR,
						   "sim", &names, NULL));
	assert_int_equal(SSM_EEXISTS,
			 ssm_ctx__register(ctx, SSM_PLUGIN_EXECUTOR, "sim",
					   &names, NULL));
	assert_string_equal("a plugin named 'sim' is already registered",
			    ssm_error_last()->message);
	/* the same name under another kind is fine */
	assert_int_equal(SSM_OK, ssm_ctx__register(ctx, SSM_PLUGIN_TRANSPORT,
						   "sim", &names, NULL));
	assert_int_equal(SSM_OK,
			 ssm_ctx__lookup(&ops, &payload, ctx,
					 SSM_PLUGIN_EXECUTOR, "simx", 3));
	assert_ptr_equal(&names, ops);
	assert_int_equal(SSM_ENOTFOUND,
			 ssm_ctx__lookup(&ops, &payload, ctx,
					 SSM_PLUGIN_EXECUTOR, "process", 7));
	ssm_ctx__plugin_names(names, sizeof(names), ctx, SSM_PLUGIN_STORE);
	assert_non_null(strstr(names, "memory"));
	ssm_ctx_free(ctx);
}

static int64_t fixed_clock(void *payload)
{
	return *(int64_t *)payload;
}

static void ctx_clock_can_be_replaced(void **state)
{
	int64_t now = 1700000000000;
	ssm_ctx *ctx = NULL;

	(void)state;
	assert_int_equal(SSM_OK, ssm_ctx_new(&ctx, NULL));
	assert_true(ssm_ctx__now_ms(ctx) > 1600000000000);
	ssm_ctx__set_clock(ctx, fixed_clock, &now);
	assert_int_equal(now, ssm_ctx__now_ms(ctx));
	ssm_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest before_init[] = {
		cmocka_unit_test(ctx_new_without_init_fails),
		cmocka_unit_test(shutdown_without_init_fails),
		cmocka_unit_test(init_is_reference_counted),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(version_matches_headers),
		cmocka_unit_test(error_record_holds_code_class_service_message),
		cmocka_unit_test(error_set_str_without_message_uses_code_text),
		cmocka_unit_test(error_message_is_one_line_of_valid_utf8),
		cmocka_unit_test(err_str_names_every_code),
		cmocka_unit_test(error_message_may_quote_the_previous_one),
		cmocka_unit_test(error_is_per_thread_and_can_be_carried_over),
		cmocka_unit_test(alloc_failure_injection_fails_the_nth),
		cmocka_unit_test(overflow_checks_catch_wraparound),
		cmocka_unit_test(str_grows_and_formats),
		cmocka_unit_test(str_refuses_to_pass_its_maximum),
		cmocka_unit_test(str_out_of_memory_keeps_contents),
		cmocka_unit_test(buf_set_copies_and_terminates),
		cmocka_unit_test(arena_allocates_aligned_and_honours_max),
		cmocka_unit_test(ctx_is_silent_until_a_logger_is_set),
		cmocka_unit_test(ctx_options_set_logger_and_level),
		cmocka_unit_test(ctx_rejects_bad_options_and_arguments),
		cmocka_unit_test(ctx_new_out_of_memory_leaks_nothing),
		cmocka_unit_test(registry_refuses_a_taken_name),
		cmocka_unit_test(ctx_clock_can_be_replaced),
	};
	int failed;

	failed = cmocka_run_group_tests_name("core-before-init", before_init,
					     NULL, NULL);
	failed += cmocka_run_group_tests_name("core", tests, setup_init,
					      teardown_init);
	return failed;
}
