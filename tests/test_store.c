/* SPDX-License-Identifier: Apache-2.0 */
/* The store conformance suite: the same cases against every backend.
 *
 *   test_store BACKEND      BACKEND = memory | sqlite | etcd
 *
 * For sqlite each case gets a fresh file in a temporary directory; for etcd
 * the URL comes from SSM_TEST_ETCD_URL (the test harness starts etcd). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <pthread.h>

#include "ssm/ssm.h"
#include "ssm/sys/store.h"
#include "core/alloc.h"
#include "core/thread.h"

static const char *backend;
static char tmpdir[256];
static unsigned case_no;

struct fixture {
	ssm_ctx *ctx;
	ssm_store *store;
	char url[512];
};

static void make_url(char *out, size_t len)
{
	case_no++;
	if (strcmp(backend, "memory") == 0) {
		snprintf(out, len, "memory:");
	} else if (strcmp(backend, "sqlite") == 0) {
		snprintf(out, len, "sqlite://%s/case%u.db", tmpdir, case_no);
	} else {
		const char *base = getenv("SSM_TEST_ETCD_URL");

		snprintf(out, len, "%s/case%u-%d/",
			 base ? base : "etcd:", case_no, (int)getpid());
	}
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (ssm_ctx_new(&f->ctx, NULL) < 0)
		return -1;
	make_url(f->url, sizeof(f->url));
	if (ssm_store_open(&f->store, f->ctx, f->url) < 0) {
		fprintf(stderr, "open %s: %s\n", f->url,
			ssm_error_last()->message);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ssm__alloc_fail_at(0, false);
	ssm_store_close(f->store);
	ssm_ctx_free(f->ctx);
	free(f);
	return 0;
}

static bool persistent(const struct fixture *f)
{
	return (f->store->ops->flags & SSM_STORE_PERSISTENT) != 0;
}

static uint64_t put_s(ssm_store *s, const char *k, const char *v)
{
	uint64_t rev = 0;

	assert_int_equal(SSM_OK, ssm_store_put(&rev, s, k, strlen(k), v,
					       strlen(v), NULL));
	return rev;
}

static void assert_value(ssm_store *s, const char *k, const char *v)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;

	assert_int_equal(SSM_OK, ssm_store_get(&kv, s, k, strlen(k)));
	assert_int_equal(strlen(v), kv.value.size);
	assert_memory_equal(v, kv.value.ptr, kv.value.size);
	ssm_store_kv_dispose(&kv);
}

static void assert_absent(ssm_store *s, const char *k)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;

	assert_int_equal(SSM_ENOTFOUND, ssm_store_get(&kv, s, k, strlen(k)));
	ssm_store_kv_dispose(&kv);
}

/* ---- basic reads and writes ---------------------------------------------- */

static void get_of_missing_key_is_not_found(void **state)
{
	struct fixture *f = *state;
	ssm_store_kv kv = SSM_STORE_KV_INIT;

	assert_int_equal(SSM_ENOTFOUND,
			 ssm_store_get(&kv, f->store, "nope", 4));
	assert_string_equal("key 'nope' not found", ssm_error_last()->message);
	assert_int_equal(SSM_ERRCLASS_STORE, ssm_error_last()->klass);
	assert_null(kv.value.ptr);
}

static void put_then_get_returns_value_and_revisions(void **state)
{
	struct fixture *f = *state;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	uint64_t r1, r2, now;

	r1 = put_s(f->store, "a", "one");
	assert_true(r1 > 0);
	assert_int_equal(SSM_OK, ssm_store_get(&kv, f->store, "a", 1));
	assert_string_equal("one", kv.value.ptr);
	assert_int_equal(r1, kv.create_revision);
	assert_int_equal(r1, kv.mod_revision);
	assert_int_equal(1, kv.version);

	r2 = put_s(f->store, "a", "two");
	assert_int_equal(r1 + 1, r2);
	assert_int_equal(SSM_OK, ssm_store_get(&kv, f->store, "a", 1));
	assert_string_equal("two", kv.value.ptr);
	assert_int_equal(r1, kv.create_revision);
	assert_int_equal(r2, kv.mod_revision);
	assert_int_equal(2, kv.version);
	ssm_store_kv_dispose(&kv);

	assert_int_equal(SSM_OK, ssm_store_revision(&now, f->store));
	assert_int_equal(r2, now);
}

static void empty_value_is_a_value(void **state)
{
	struct fixture *f = *state;

	put_s(f->store, "empty", "");
	assert_value(f->store, "empty", "");
}

static void binary_keys_and_values_round_trip(void **state)
{
	struct fixture *f = *state;
	const unsigned char key[] = { 0x00, 0x01, 0xff, 'k', 0x00 };
	const unsigned char val[] = { 0x00, 0xfe, 0x00, 0x80, 0x7f };
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;

	assert_int_equal(SSM_OK, ssm_store_put(NULL, f->store, key, sizeof(key),
					       val, sizeof(val), NULL));
	assert_int_equal(SSM_OK,
			 ssm_store_get(&kv, f->store, key, sizeof(key)));
	assert_int_equal(sizeof(val), kv.value.size);
	assert_memory_equal(val, kv.value.ptr, sizeof(val));
	/* the key without its trailing NUL is another key */
	assert_int_equal(SSM_ENOTFOUND,
			 ssm_store_get(&kv, f->store, key, sizeof(key) - 1));
	assert_string_equal("key '\\x00\\x01\\xffk' not found",
			    ssm_error_last()->message);
	assert_int_equal(SSM_OK, ssm_store_range(&kvs, f->store, key, 1, NULL));
	assert_int_equal(1, kvs.count);
	assert_memory_equal(key, kvs.items[0].key.ptr, sizeof(key));
	ssm_store_kvs_dispose(&kvs);
	ssm_store_kv_dispose(&kv);
}

static void largest_key_and_value_fit_and_one_more_byte_does_not(void **state)
{
	struct fixture *f = *state;
	char *key = malloc(SSM_STORE_KEY_MAX + 1);
	char *val = malloc(SSM_STORE_VALUE_MAX + 1);
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	uint64_t before, after;
	size_t i;

	for (i = 0; i < SSM_STORE_KEY_MAX + 1; i++)
		key[i] = (char)('a' + i % 26);
	for (i = 0; i < SSM_STORE_VALUE_MAX + 1; i++)
		val[i] = (char)(i * 7);
	assert_int_equal(SSM_OK,
			 ssm_store_put(NULL, f->store, key, SSM_STORE_KEY_MAX,
				       val, SSM_STORE_VALUE_MAX, NULL));
	assert_int_equal(SSM_OK,
			 ssm_store_get(&kv, f->store, key, SSM_STORE_KEY_MAX));
	assert_int_equal(SSM_STORE_VALUE_MAX, kv.value.size);
	assert_memory_equal(val, kv.value.ptr, SSM_STORE_VALUE_MAX);
	ssm_store_kv_dispose(&kv);

	assert_int_equal(SSM_OK, ssm_store_revision(&before, f->store));
	assert_int_equal(SSM_ELIMIT,
			 ssm_store_put(NULL, f->store, key,
				       SSM_STORE_KEY_MAX + 1, "v", 1, NULL));
	assert_string_equal("key of 4097 bytes exceeds the limit of 4096 bytes",
			    ssm_error_last()->message);
	assert_int_equal(SSM_ELIMIT,
			 ssm_store_put(NULL, f->store, "k", 1, val,
				       SSM_STORE_VALUE_MAX + 1, NULL));
	assert_string_equal("value of 1048577 bytes exceeds the limit of "
			    "1048576 bytes",
			    ssm_error_last()->message);
	assert_int_equal(SSM_OK, ssm_store_revision(&after, f->store));
	assert_int_equal(before, after);
	assert_absent(f->store, "k");
	free(key);
	free(val);
}

static void bad_arguments_are_refused_with_clear_messages(void **state)
{
	struct fixture *f = *state;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	ssm_store_range_options ro = SSM_STORE_RANGE_OPTIONS_INIT;
	ssm_store_put_options po = SSM_STORE_PUT_OPTIONS_INIT;
	uint64_t rev;

	assert_int_equal(SSM_EINVALID, ssm_store_get(NULL, f->store, "k", 1));
	assert_string_equal("invalid argument: 'out'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_store_get(&kv, NULL, "k", 1));
	assert_string_equal("invalid argument: 'store'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_store_get(&kv, f->store, "", 0));
	assert_string_equal("key must not be empty", ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_store_get(&kv, f->store, NULL, 3));
	assert_int_equal(SSM_EINVALID,
			 ssm_store_put(NULL, f->store, "k", 1, NULL, 3, NULL));
	assert_string_equal("invalid argument: 'value'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_store_range(&kvs, f->store, NULL, 2, NULL));
	assert_string_equal("invalid argument: 'prefix'",
			    ssm_error_last()->message);
	ro.flags = 0x80;
	assert_int_equal(SSM_EINVALID,
			 ssm_store_range(&kvs, f->store, "", 0, &ro));
	assert_string_equal("unknown range flags 0x80",
			    ssm_error_last()->message);
	ro.version = 7;
	assert_int_equal(SSM_EINVALID,
			 ssm_store_range(&kvs, f->store, "", 0, &ro));
	assert_string_equal("ssm_store_range_options version 7 is not "
			    "supported (1..1)",
			    ssm_error_last()->message);
	po.flags = SSM_STORE_PUT_IF_ABSENT | SSM_STORE_PUT_IF_MOD_REVISION;
	assert_int_equal(SSM_EINVALID,
			 ssm_store_put(NULL, f->store, "k", 1, "v", 1, &po));
	assert_string_equal("put flags IF_ABSENT and IF_MOD_REVISION exclude "
			    "each other",
			    ssm_error_last()->message);
	po.flags = 0x40;
	assert_int_equal(SSM_EINVALID,
			 ssm_store_put(NULL, f->store, "k", 1, "v", 1, &po));
	assert_string_equal("unknown put flags 0x40",
			    ssm_error_last()->message);
	po.flags = 0;
	po.lease = 5; /* no such lease */
	assert_int_equal(SSM_ENOTFOUND,
			 ssm_store_put(NULL, f->store, "k", 1, "v", 1, &po));
	assert_string_equal("lease 5 not found", ssm_error_last()->message);
	po.lease = (uint64_t)INT64_MAX + 1;
	assert_int_equal(SSM_EINVALID,
			 ssm_store_put(NULL, f->store, "k", 1, "v", 1, &po));
	assert_string_equal("op 0: lease id 9223372036854775808 is out of "
			    "range",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_store_revision(NULL, f->store));
	assert_int_equal(SSM_EINVALID, ssm_store_revision(&rev, NULL));
	assert_int_equal(SSM_EINVALID, ssm_store_delete(NULL, NULL, "k", 1, 0));
	assert_int_equal(SSM_EINVALID,
			 ssm_store_txn(NULL, f->store, NULL, 1, NULL, 0));
	assert_string_equal("invalid argument: 'cmps'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_store_kvs_add(NULL, "k", 1, NULL, 0, NULL));
	assert_int_equal(SSM_EINVALID, ssm_store_ops_init(NULL, 1));
	assert_int_equal(SSM_EINVALID, ssm_store_put_options_init(&po, 2));
	assert_string_equal("ssm_store_put_options version 2 is not supported "
			    "(1..1)",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_store_range_options_init(NULL, 1));
	assert_int_equal(SSM_OK, ssm_store_range_options_init(&ro, 1));
	assert_int_equal(0, ro.limit);
	assert_int_equal(SSM_OK, ssm_store_put_options_init(&po, 1));
	assert_absent(f->store, "k");
}

/* ---- ranges -------------------------------------------------------------- */

static void range_returns_keys_under_prefix_in_byte_order(void **state)
{
	struct fixture *f = *state;
	const char *keys[] = { "a/b/c",	     "a/b", "a0", "a/",	    "b",
			       "a/\xc3\xa9", "a/B", "a",  "a/\x7f", "a/a" };
	const char *want[] = { "a/",	"a/B",	  "a/a",       "a/b",
			       "a/b/c", "a/\x7f", "a/\xc3\xa9" };
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		put_s(f->store, keys[i], keys[i]);
	assert_int_equal(SSM_OK,
			 ssm_store_range(&kvs, f->store, "a/", 2, NULL));
	assert_int_equal(7, kvs.count);
	assert_false(kvs.more);
	for (i = 0; i < kvs.count; i++) {
		assert_string_equal(want[i], kvs.items[i].key.ptr);
		assert_string_equal(want[i], kvs.items[i].value.ptr);
		assert_int_equal(1, kvs.items[i].version);
	}
	assert_true(kvs.revision >= 10);

	/* empty prefix: every key */
	assert_int_equal(SSM_OK,
			 ssm_store_range(&kvs, f->store, NULL, 0, NULL));
	assert_int_equal(10, kvs.count);
	assert_string_equal("a", kvs.items[0].key.ptr);
	assert_string_equal("b", kvs.items[9].key.ptr);

	/* nothing under the prefix */
	assert_int_equal(SSM_OK,
			 ssm_store_range(&kvs, f->store, "zz", 2, NULL));
	assert_int_equal(0, kvs.count);
	ssm_store_kvs_dispose(&kvs);
}

static void range_prefix_of_ff_bytes_is_bounded(void **state)
{
	struct fixture *f = *state;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;

	assert_int_equal(SSM_OK, ssm_store_put(NULL, f->store, "\xff\xff", 2,
					       "1", 1, NULL));
	assert_int_equal(SSM_OK, ssm_store_put(NULL, f->store, "\xff\xff\x00",
					       3, "2", 1, NULL));
	assert_int_equal(
		SSM_OK, ssm_store_put(NULL, f->store, "\xfe", 1, "3", 1, NULL));
	assert_int_equal(SSM_OK,
			 ssm_store_range(&kvs, f->store, "\xff", 1, NULL));
	assert_int_equal(2, kvs.count);
	assert_int_equal(2, kvs.items[0].key.size);
	assert_int_equal(3, kvs.items[1].key.size);
	ssm_store_kvs_dispose(&kvs);
}

static void range_paginates_with_limit_and_start_after(void **state)
{
	struct fixture *f = *state;
	ssm_store_range_options o = SSM_STORE_RANGE_OPTIONS_INIT;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	ssm_store_op ops[100];
	char keys[250][16], last[16] = "";
	int i, pages = 0, seen = 0;

	for (i = 0; i < 250; i++) {
		snprintf(keys[i], sizeof(keys[i]), "p/%05d", (i * 37) % 250);
		ops[i % 100] = (ssm_store_op){
			SSM_STORE_OP_PUT, keys[i], strlen(keys[i]), "v", 1, 0
		};
		if (i % 100 == 99 || i == 249)
			assert_int_equal(SSM_OK,
					 ssm_store_txn(NULL, f->store, NULL, 0,
						       ops,
						       (size_t)i % 100 + 1));
	}
	put_s(f->store, "q", "outside");
	o.limit = 100;
	for (;;) {
		assert_int_equal(SSM_OK,
				 ssm_store_range(&kvs, f->store, "p/", 2, &o));
		pages++;
		for (i = 0; i < (int)kvs.count; i++) {
			char want[16];

			snprintf(want, sizeof(want), "p/%05d", seen++);
			assert_string_equal(want, kvs.items[i].key.ptr);
		}
		if (!kvs.more)
			break;
		assert_int_equal(100, kvs.count);
		snprintf(last, sizeof(last), "%s",
			 kvs.items[kvs.count - 1].key.ptr);
		o.start_after = last;
		o.start_after_len = strlen(last);
	}
	assert_int_equal(3, pages);
	assert_int_equal(250, seen);

	/* a limit equal to what remains reports no more */
	o.start_after = "p/00149";
	o.start_after_len = 7;
	assert_int_equal(SSM_OK, ssm_store_range(&kvs, f->store, "p/", 2, &o));
	assert_int_equal(100, kvs.count);
	assert_false(kvs.more);

	/* start_after before the prefix starts at the prefix */
	o.start_after = "a";
	o.start_after_len = 1;
	o.limit = 1;
	assert_int_equal(SSM_OK, ssm_store_range(&kvs, f->store, "p/", 2, &o));
	assert_int_equal(1, kvs.count);
	assert_string_equal("p/00000", kvs.items[0].key.ptr);
	assert_true(kvs.more);
	ssm_store_kvs_dispose(&kvs);
}

static void range_keys_only_leaves_values_empty(void **state)
{
	struct fixture *f = *state;
	ssm_store_range_options o = SSM_STORE_RANGE_OPTIONS_INIT;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;

	put_s(f->store, "k/1", "value-1");
	o.flags = SSM_STORE_RANGE_KEYS_ONLY;
	assert_int_equal(SSM_OK, ssm_store_range(&kvs, f->store, "k/", 2, &o));
	assert_int_equal(1, kvs.count);
	assert_string_equal("k/1", kvs.items[0].key.ptr);
	assert_int_equal(0, kvs.items[0].value.size);
	assert_true(kvs.items[0].mod_revision > 0);
	ssm_store_kvs_dispose(&kvs);
}

/* ---- conditional writes ------------------------------------------------- */

static void put_if_absent_refuses_an_existing_key(void **state)
{
	struct fixture *f = *state;
	ssm_store_put_options o = SSM_STORE_PUT_OPTIONS_INIT;
	uint64_t rev = 0, now;

	o.flags = SSM_STORE_PUT_IF_ABSENT;
	assert_int_equal(SSM_OK,
			 ssm_store_put(&rev, f->store, "k", 1, "1", 1, &o));
	assert_int_equal(SSM_EEXISTS,
			 ssm_store_put(NULL, f->store, "k", 1, "2", 1, &o));
	assert_string_equal("key 'k' already exists",
			    ssm_error_last()->message);
	assert_value(f->store, "k", "1");
	assert_int_equal(SSM_OK, ssm_store_revision(&now, f->store));
	assert_int_equal(rev, now);
}

static void put_if_mod_revision_is_compare_and_swap(void **state)
{
	struct fixture *f = *state;
	ssm_store_put_options o = SSM_STORE_PUT_OPTIONS_INIT;
	uint64_t r1, r2 = 0;

	r1 = put_s(f->store, "cas", "1");
	o.flags = SSM_STORE_PUT_IF_MOD_REVISION;
	o.mod_revision = r1;
	assert_int_equal(SSM_OK,
			 ssm_store_put(&r2, f->store, "cas", 3, "2", 1, &o));
	assert_true(r2 > r1);
	assert_int_equal(SSM_ECONFLICT,
			 ssm_store_put(NULL, f->store, "cas", 3, "3", 1, &o));
	{
		char want[128];

		snprintf(want, sizeof(want),
			 "compare failed on key 'cas': mod revision %llu, "
			 "expected == %llu",
			 (unsigned long long)r2, (unsigned long long)r1);
		assert_string_equal(want, ssm_error_last()->message);
	}
	assert_value(f->store, "cas", "2");
	/* mod revision 0 means "absent" */
	o.mod_revision = 0;
	assert_int_equal(SSM_OK,
			 ssm_store_put(NULL, f->store, "new", 3, "n", 1, &o));
}

static void delete_removes_and_reports_missing_or_changed(void **state)
{
	struct fixture *f = *state;
	uint64_t r1, rdel = 0, now;

	r1 = put_s(f->store, "d", "1");
	put_s(f->store, "d", "2");
	assert_int_equal(SSM_ECONFLICT,
			 ssm_store_delete(NULL, f->store, "d", 1, r1));
	{
		char want[128];

		snprintf(want, sizeof(want),
			 "key 'd' changed: mod revision %llu, expected %llu",
			 (unsigned long long)r1 + 1, (unsigned long long)r1);
		assert_string_equal(want, ssm_error_last()->message);
	}
	assert_value(f->store, "d", "2");
	assert_int_equal(SSM_OK, ssm_store_delete(&rdel, f->store, "d", 1, 0));
	assert_int_equal(r1 + 2, rdel);
	assert_absent(f->store, "d");
	assert_int_equal(SSM_ENOTFOUND,
			 ssm_store_delete(NULL, f->store, "d", 1, 0));
	assert_string_equal("key 'd' not found", ssm_error_last()->message);
	assert_int_equal(SSM_OK, ssm_store_revision(&now, f->store));
	assert_int_equal(rdel, now);

	/* a recreated key starts over */
	{
		ssm_store_kv kv = SSM_STORE_KV_INIT;
		uint64_t r = put_s(f->store, "d", "3");

		assert_int_equal(SSM_OK, ssm_store_get(&kv, f->store, "d", 1));
		assert_int_equal(1, kv.version);
		assert_int_equal(r, kv.create_revision);
		ssm_store_kv_dispose(&kv);
	}
}

/* ---- transactions ------------------------------------------------------- */

static void txn_applies_all_ops_at_one_revision(void **state)
{
	struct fixture *f = *state;
	ssm_store_kv a = SSM_STORE_KV_INIT, b = SSM_STORE_KV_INIT;
	uint64_t r0, rev = 0;
	ssm_store_op ops[3] = {
		{ SSM_STORE_OP_PUT, "t/a", 3, "A", 1, 0 },
		{ SSM_STORE_OP_PUT, "t/b", 3, "B", 1, 0 },
		{ SSM_STORE_OP_DELETE, "t/c", 3, NULL, 0, 0 },
	};
	ssm_store_compare cmp = { "t/a", 3, SSM_STORE_CMP_EQUAL, 0 };

	r0 = put_s(f->store, "t/c", "C");
	assert_int_equal(SSM_OK,
			 ssm_store_txn(&rev, f->store, &cmp, 1, ops, 3));
	assert_int_equal(r0 + 1, rev);
	assert_int_equal(SSM_OK, ssm_store_get(&a, f->store, "t/a", 3));
	assert_int_equal(SSM_OK, ssm_store_get(&b, f->store, "t/b", 3));
	assert_int_equal(rev, a.mod_revision);
	assert_int_equal(rev, b.mod_revision);
	assert_absent(f->store, "t/c");
	ssm_store_kv_dispose(&a);
	ssm_store_kv_dispose(&b);
}

static void txn_with_a_failing_compare_writes_nothing(void **state)
{
	struct fixture *f = *state;
	uint64_t r0, now;
	ssm_store_op ops[2] = {
		{ SSM_STORE_OP_PUT, "x", 1, "new", 3, 0 },
		{ SSM_STORE_OP_DELETE, "y", 1, NULL, 0, 0 },
	};
	ssm_store_compare cmps[2] = {
		{ "x", 1, SSM_STORE_CMP_GREATER, 0 },
		{ "y", 1, SSM_STORE_CMP_LESS, 1 }, /* y exists: fails */
	};

	put_s(f->store, "x", "old");
	r0 = put_s(f->store, "y", "keep");
	assert_int_equal(SSM_ECONFLICT,
			 ssm_store_txn(NULL, f->store, cmps, 2, ops, 2));
	{
		char want[128];

		snprintf(want, sizeof(want),
			 "compare failed on key 'y': mod revision %llu, "
			 "expected < 1",
			 (unsigned long long)r0);
		assert_string_equal(want, ssm_error_last()->message);
	}
	assert_value(f->store, "x", "old");
	assert_value(f->store, "y", "keep");
	assert_int_equal(SSM_OK, ssm_store_revision(&now, f->store));
	assert_int_equal(r0, now);
}

static void txn_delete_prefix_removes_exactly_the_prefix(void **state)
{
	struct fixture *f = *state;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	ssm_store_op op = {
		SSM_STORE_OP_DELETE_PREFIX, "doc/a/", 6, NULL, 0, 0
	};
	uint64_t r0, rev;

	put_s(f->store, "doc/a/1", "x");
	put_s(f->store, "doc/a/2", "x");
	put_s(f->store, "doc/a", "x");
	r0 = put_s(f->store, "doc/ab", "x");
	assert_int_equal(SSM_OK,
			 ssm_store_txn(&rev, f->store, NULL, 0, &op, 1));
	assert_int_equal(r0 + 1, rev);
	assert_int_equal(SSM_OK,
			 ssm_store_range(&kvs, f->store, "doc/", 4, NULL));
	assert_int_equal(2, kvs.count);
	assert_string_equal("doc/a", kvs.items[0].key.ptr);
	assert_string_equal("doc/ab", kvs.items[1].key.ptr);
	ssm_store_kvs_dispose(&kvs);

	/* deleting nothing changes nothing, not even the revision */
	assert_int_equal(SSM_OK,
			 ssm_store_txn(&rev, f->store, NULL, 0, &op, 1));
	assert_int_equal(r0 + 1, rev);
}

static void txn_refuses_bad_op_lists(void **state)
{
	struct fixture *f = *state;
	ssm_store_op ops[SSM_STORE_TXN_MAX + 1];
	ssm_store_op dup[2] = {
		{ SSM_STORE_OP_PUT, "k", 1, "1", 1, 0 },
		{ SSM_STORE_OP_DELETE, "k", 1, NULL, 0, 0 },
	};
	ssm_store_op under[2] = {
		{ SSM_STORE_OP_DELETE_PREFIX, "p/", 2, NULL, 0, 0 },
		{ SSM_STORE_OP_PUT, "p/x", 3, "1", 1, 0 },
	};
	ssm_store_op bad = { (ssm_store_op_type)9, "k", 1, NULL, 0, 0 };
	ssm_store_op leased_delete = {
		SSM_STORE_OP_DELETE, "k", 1, NULL, 0, 1
	};
	ssm_store_compare badcmp = { "k", 1, (ssm_store_cmp_op)7, 0 };
	size_t i;

	for (i = 0; i < SSM_STORE_TXN_MAX + 1; i++)
		ops[i] = (ssm_store_op){ SSM_STORE_OP_PUT, "k", 1, "v", 1, 0 };
	assert_int_equal(SSM_ELIMIT, ssm_store_txn(NULL, f->store, NULL, 0, ops,
						   SSM_STORE_TXN_MAX + 1));
	assert_string_equal("transaction has 0 compares and 129 ops; the limit "
			    "is 128 of each",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_store_txn(NULL, f->store, NULL, 0, dup, 2));
	assert_string_equal("key 'k' is written twice in one transaction",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_store_txn(NULL, f->store, NULL, 0, under, 2));
	assert_string_equal("key 'p/x' is written twice in one transaction",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_store_txn(NULL, f->store, NULL, 0, &bad, 1));
	assert_string_equal("op 0 has unknown type 9",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_store_txn(NULL, f->store, NULL, 0,
						     &leased_delete, 1));
	assert_string_equal("op 0: only a put takes a lease",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_store_txn(NULL, f->store, &badcmp, 1, NULL, 0));
	assert_string_equal("compare 0 has unknown op 7",
			    ssm_error_last()->message);
	assert_absent(f->store, "k");
	assert_absent(f->store, "p/x");
}

static void txn_with_only_compares_checks_without_writing(void **state)
{
	struct fixture *f = *state;
	ssm_store_compare cmp = { "k", 1, SSM_STORE_CMP_EQUAL, 0 };
	uint64_t r0, rev = 99;

	r0 = put_s(f->store, "other", "x");
	assert_int_equal(SSM_OK,
			 ssm_store_txn(&rev, f->store, &cmp, 1, NULL, 0));
	assert_int_equal(r0, rev);
}

/* ---- concurrency ----------------------------------------------------------
 */

#define WRITERS 6
#define PER_WRITER 150
#define INCREMENTERS 3
#define INCREMENTS 40

struct worker {
	ssm_store *store;
	int id;
	int conflicts;
	uint64_t revs[PER_WRITER];
};

static void *writer_main(void *arg)
{
	struct worker *w = arg;
	char key[32];
	int i;

	for (i = 0; i < PER_WRITER; i++) {
		snprintf(key, sizeof(key), "w/%d/%04d", w->id, i);
		if (ssm_store_put(&w->revs[i], w->store, key, strlen(key), key,
				  strlen(key), NULL) < 0)
			w->revs[i] = 0;
	}
	return NULL;
}

static void *incrementer_main(void *arg)
{
	struct worker *w = arg;
	int i;

	for (i = 0; i < INCREMENTS;) {
		ssm_store_kv kv = SSM_STORE_KV_INIT;
		ssm_store_put_options o = SSM_STORE_PUT_OPTIONS_INIT;
		char buf[32];
		long n = 0;
		ssm_err e;

		o.flags = SSM_STORE_PUT_IF_MOD_REVISION;
		e = ssm_store_get(&kv, w->store, "counter", 7);
		if (e == SSM_OK) {
			n = strtol(kv.value.ptr, NULL, 10);
			o.mod_revision = kv.mod_revision;
		}
		ssm_store_kv_dispose(&kv);
		snprintf(buf, sizeof(buf), "%ld", n + 1);
		e = ssm_store_put(NULL, w->store, "counter", 7, buf,
				  strlen(buf), &o);
		if (e == SSM_OK)
			i++;
		else if (e == SSM_ECONFLICT)
			w->conflicts++;
		else
			return (void *)1;
	}
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void concurrent_writers_lose_nothing_and_cas_serialises(void **state)
{
	struct fixture *f = *state;
	struct worker w[WRITERS + INCREMENTERS];
	pthread_t t[WRITERS + INCREMENTERS];
	uint64_t *all = malloc(sizeof(uint64_t) * WRITERS * PER_WRITER);
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	void *ret;
	int i, j, n = 0;

	for (i = 0; i < WRITERS + INCREMENTERS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].store = f->store;
		w[i].id = i;
		pthread_create(&t[i], NULL,
			       i < WRITERS ? writer_main : incrementer_main,
			       &w[i]);
	}
	for (i = 0; i < WRITERS + INCREMENTERS; i++) {
		pthread_join(t[i], &ret);
		assert_null(ret);
	}
	/* every acknowledged write is there, each at its own revision */
	for (i = 0; i < WRITERS; i++)
		for (j = 0; j < PER_WRITER; j++) {
			assert_true(w[i].revs[j] > 0);
			all[n++] = w[i].revs[j];
		}
	qsort(all, (size_t)n, sizeof(all[0]), cmp_u64);
	for (i = 1; i < n; i++)
		assert_true(all[i] > all[i - 1]);
	assert_int_equal(SSM_OK,
			 ssm_store_range(&kvs, f->store, "w/", 2, NULL));
	assert_int_equal(WRITERS * PER_WRITER, kvs.count);
	ssm_store_kvs_dispose(&kvs);
	{
		char want[16];

		snprintf(want, sizeof(want), "%d", INCREMENTERS * INCREMENTS);
		assert_value(f->store, "counter", want);
	}
	free(all);
}

/* ---- persistence -----------------------------------------------------------
 */

static void reopen_after_close_keeps_everything(void **state)
{
	struct fixture *f = *state;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	uint64_t rev, rev2;

	if (!persistent(f))
		skip();
	put_s(f->store, "keep/1", "one");
	put_s(f->store, "keep/2", "two");
	put_s(f->store, "keep/1", "uno");
	rev = put_s(f->store, "gone", "x");
	assert_int_equal(SSM_OK,
			 ssm_store_delete(&rev, f->store, "gone", 4, 0));
	ssm_store_close(f->store);
	f->store = NULL;
	assert_int_equal(SSM_OK, ssm_store_open(&f->store, f->ctx, f->url));
	assert_int_equal(SSM_OK, ssm_store_revision(&rev2, f->store));
	assert_int_equal(rev, rev2);
	assert_int_equal(SSM_OK, ssm_store_get(&kv, f->store, "keep/1", 6));
	assert_string_equal("uno", kv.value.ptr);
	assert_int_equal(2, kv.version);
	assert_value(f->store, "keep/2", "two");
	assert_absent(f->store, "gone");
	/* revisions continue from where they were */
	assert_int_equal(rev + 1, put_s(f->store, "after", "x"));
	ssm_store_kv_dispose(&kv);
}

static void store_keeps_its_context_alive(void **state)
{
	struct fixture *f = *state;

	ssm_ctx_free(f->ctx); /* the store still holds a reference */
	f->ctx = NULL;
	put_s(f->store, "k", "v");
	assert_value(f->store, "k", "v");
	ssm_store_close(f->store);
	f->store = NULL;
}

/* ---- watches --------------------------------------------------------------
 */

struct watch_log {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int count;
	int stop_after;
	ssm_err error;
	char error_message[256];
	struct {
		ssm_store_event_type type;
		char key[32];
		char value[32];
		uint64_t rev;
	} ev[64];
};

static int on_events(const ssm_store_event *events, size_t count, ssm_err error,
		     void *payload)
{
	struct watch_log *log = payload;
	size_t i;
	int stop = 0;

	pthread_mutex_lock(&log->lock);
	if (error < 0) {
		log->error = error;
		snprintf(log->error_message, sizeof(log->error_message), "%s",
			 ssm_error_last()->message);
	}
	for (i = 0; i < count && log->count < 64; i++) {
		log->ev[log->count].type = events[i].type;
		snprintf(log->ev[log->count].key, 32, "%.*s",
			 (int)events[i].kv.key.size, events[i].kv.key.ptr);
		snprintf(log->ev[log->count].value, 32, "%.*s",
			 (int)events[i].kv.value.size,
			 events[i].kv.value.ptr ? events[i].kv.value.ptr : "");
		log->ev[log->count].rev = events[i].kv.mod_revision;
		log->count++;
	}
	if (log->stop_after && log->count >= log->stop_after)
		stop = 1;
	pthread_cond_broadcast(&log->cond);
	pthread_mutex_unlock(&log->lock);
	return stop;
}

static bool wait_events(struct watch_log *log, int n)
{
	int64_t deadline = ssm__mono_ms() + 10000;
	bool ok;

	pthread_mutex_lock(&log->lock);
	while (log->count < n && log->error == SSM_OK &&
	       ssm__mono_ms() < deadline)
		ssm__cond_wait_until(&log->cond, &log->lock, deadline);
	ok = log->count >= n;
	pthread_mutex_unlock(&log->lock);
	return ok;
}

static void log_init(struct watch_log *log)
{
	memset(log, 0, sizeof(*log));
	pthread_mutex_init(&log->lock, NULL);
	ssm__cond_init(&log->cond);
}

static void watch_delivers_changes_under_prefix_in_order(void **state)
{
	struct fixture *f = *state;
	struct watch_log log;
	ssm_store_watch *w = NULL;
	ssm_store_op ops[2] = {
		{ SSM_STORE_OP_PUT, "w/2", 3, "b", 1, 0 },
		{ SSM_STORE_OP_PUT, "w/3", 3, "c", 1, 0 },
	};
	uint64_t r1, r2;
	ssm_err e;

	log_init(&log);
	put_s(f->store, "w/0", "before");
	e = ssm_store_watch_start(&w, f->store, "w/", 2, 0, on_events, &log);
	if (e == SSM_EUNSUPPORTED)
		skip();
	assert_int_equal(SSM_OK, e);
	r1 = put_s(f->store, "w/1", "a");
	put_s(f->store, "other", "x");
	assert_int_equal(SSM_OK, ssm_store_txn(&r2, f->store, NULL, 0, ops, 2));
	assert_int_equal(SSM_OK, ssm_store_delete(NULL, f->store, "w/1", 3, 0));
	assert_true(wait_events(&log, 4));
	ssm_store_watch_free(w);

	assert_int_equal(4, log.count);
	assert_int_equal(SSM_STORE_EVENT_PUT, log.ev[0].type);
	assert_string_equal("w/1", log.ev[0].key);
	assert_string_equal("a", log.ev[0].value);
	assert_int_equal(r1, log.ev[0].rev);
	assert_string_equal("w/2", log.ev[1].key);
	assert_string_equal("w/3", log.ev[2].key);
	assert_int_equal(r2, log.ev[1].rev);
	assert_int_equal(r2, log.ev[2].rev);
	assert_int_equal(SSM_STORE_EVENT_DELETE, log.ev[3].type);
	assert_string_equal("w/1", log.ev[3].key);
	assert_string_equal("", log.ev[3].value);
	assert_int_equal(r2 + 1, log.ev[3].rev);
}

static void watch_from_a_past_revision_replays_history(void **state)
{
	struct fixture *f = *state;
	struct watch_log log;
	ssm_store_watch *w = NULL;
	uint64_t r1;
	ssm_err e;

	log_init(&log);
	r1 = put_s(f->store, "h/a", "1");
	put_s(f->store, "h/a", "2");
	put_s(f->store, "h/b", "3");
	e = ssm_store_watch_start(&w, f->store, "h/", 2, r1 + 1, on_events,
				  &log);
	if (e == SSM_EUNSUPPORTED)
		skip();
	assert_int_equal(SSM_OK, e);
	assert_true(wait_events(&log, 2));
	put_s(f->store, "h/c", "4");
	assert_true(wait_events(&log, 3));
	ssm_store_watch_free(w);
	assert_int_equal(3, log.count);
	assert_string_equal("2", log.ev[0].value);
	assert_string_equal("3", log.ev[1].value);
	assert_string_equal("4", log.ev[2].value);
}

static void watch_stops_when_the_callback_says_so(void **state)
{
	struct fixture *f = *state;
	struct watch_log log;
	ssm_store_watch *w = NULL;
	ssm_err e;

	log_init(&log);
	log.stop_after = 1;
	e = ssm_store_watch_start(&w, f->store, "", 0, 0, on_events, &log);
	if (e == SSM_EUNSUPPORTED)
		skip();
	assert_int_equal(SSM_OK, e);
	put_s(f->store, "s/1", "x");
	assert_true(wait_events(&log, 1));
	put_s(f->store, "s/2", "x");
	put_s(f->store, "s/3", "x");
	usleep(200 * 1000);
	ssm_store_watch_free(w);
	assert_int_equal(1, log.count);
}

static void watch_from_a_compacted_revision_fails(void **state)
{
	struct fixture *f = *state;
	struct watch_log log;
	ssm_store_watch *w = NULL;
	ssm_store *small = NULL;
	int i;

	if (strcmp(backend, "memory") != 0)
		skip(); /* the backends' own suites test their compaction */
	log_init(&log);
	assert_int_equal(SSM_OK,
			 ssm_store_open(&small, f->ctx, "memory:?history=2"));
	for (i = 0; i < 5; i++)
		put_s(small, "c", "x");
	assert_int_equal(
		SSM_ENOTFOUND,
		ssm_store_watch_start(&w, small, "", 0, 1, on_events, &log));
	assert_string_equal("revision 1 has been compacted (the memory store "
			    "keeps changes after revision 3)",
			    ssm_error_last()->message);
	assert_null(w);
	assert_int_equal(SSM_OK, ssm_store_watch_start(&w, small, "", 0, 4,
						       on_events, &log));
	assert_true(wait_events(&log, 2));
	ssm_store_watch_free(w);
	ssm_store_close(small);
}

/* ---- leases -------------------------------------------------------------- */

/* A TTL short enough for a test and long enough for the backend: etcd
 * counts whole seconds. */
static int64_t short_ttl(void)
{
	return strcmp(backend, "etcd") == 0 ? 1000 : 300;
}

static uint64_t put_lease(ssm_store *s, const char *k, const char *v,
			  uint64_t lease)
{
	ssm_store_put_options o = SSM_STORE_PUT_OPTIONS_INIT;
	uint64_t rev = 0;

	o.lease = lease;
	assert_int_equal(
		SSM_OK, ssm_store_put(&rev, s, k, strlen(k), v, strlen(v), &o));
	return rev;
}

/* Wait until @k is gone; false after @ms. */
static bool wait_absent(ssm_store *s, const char *k, int64_t ms)
{
	int64_t deadline = ssm__mono_ms() + ms;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_err e;

	for (;;) {
		e = ssm_store_get(&kv, s, k, strlen(k));
		ssm_store_kv_dispose(&kv);
		if (e == SSM_ENOTFOUND)
			return true;
		assert_int_equal(SSM_OK, e);
		if (ssm__mono_ms() > deadline)
			return false;
		usleep(20 * 1000);
	}
}

static void lease_revoke_deletes_its_keys_in_one_revision(void **state)
{
	struct fixture *f = *state;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	struct watch_log log;
	ssm_store_watch *w = NULL;
	uint64_t id = 0, empty = 0, r0, rev = 0, now;
	int64_t ttl = 0;
	char want[64];

	assert_true(ssm_store_has_leases(f->store));
	assert_int_equal(SSM_OK,
			 ssm_store_lease_grant(&id, &ttl, f->store, 60000));
	assert_true(id > 0);
	assert_true(ttl >= 60000);
	put_lease(f->store, "a/1", "x", id);
	put_lease(f->store, "a/2", "y", id);
	r0 = put_s(f->store, "a/3", "z");
	assert_int_equal(SSM_OK, ssm_store_get(&kv, f->store, "a/1", 3));
	assert_int_equal(id, kv.lease);
	assert_int_equal(SSM_OK, ssm_store_get(&kv, f->store, "a/3", 3));
	assert_int_equal(0, kv.lease);
	assert_int_equal(SSM_OK,
			 ssm_store_range(&kvs, f->store, "a/", 2, NULL));
	assert_int_equal(3, kvs.count);
	assert_int_equal(id, kvs.items[1].lease);
	assert_int_equal(0, kvs.items[2].lease);

	log_init(&log);
	assert_int_equal(SSM_OK, ssm_store_watch_start(&w, f->store, "a/", 2, 0,
						       on_events, &log));
	assert_int_equal(SSM_OK, ssm_store_lease_revoke(&rev, f->store, id));
	assert_int_equal(r0 + 1, rev);
	assert_absent(f->store, "a/1");
	assert_absent(f->store, "a/2");
	assert_value(f->store, "a/3", "z");
	assert_true(wait_events(&log, 2));
	ssm_store_watch_free(w);
	assert_int_equal(2, log.count);
	assert_int_equal(SSM_STORE_EVENT_DELETE, log.ev[0].type);
	assert_int_equal(SSM_STORE_EVENT_DELETE, log.ev[1].type);
	assert_int_equal(rev, log.ev[0].rev);
	assert_int_equal(rev, log.ev[1].rev);

	/* the lease is gone */
	snprintf(want, sizeof(want), "lease %llu not found",
		 (unsigned long long)id);
	assert_int_equal(SSM_ENOTFOUND,
			 ssm_store_lease_revoke(NULL, f->store, id));
	assert_string_equal(want, ssm_error_last()->message);
	assert_int_equal(SSM_ENOTFOUND,
			 ssm_store_lease_keep_alive(&ttl, f->store, id));
	assert_string_equal(want, ssm_error_last()->message);
	{
		ssm_store_put_options o = SSM_STORE_PUT_OPTIONS_INIT;

		o.lease = id;
		assert_int_equal(
			SSM_ENOTFOUND,
			ssm_store_put(NULL, f->store, "a/4", 3, "v", 1, &o));
		assert_string_equal(want, ssm_error_last()->message);
	}
	assert_absent(f->store, "a/4");

	/* revoking a lease without keys changes no revision */
	assert_int_equal(SSM_OK,
			 ssm_store_lease_grant(&empty, NULL, f->store, 60000));
	assert_true(empty != id);
	assert_int_equal(SSM_OK, ssm_store_lease_revoke(&now, f->store, empty));
	assert_int_equal(rev, now);
	assert_int_equal(SSM_OK, ssm_store_revision(&now, f->store));
	assert_int_equal(rev, now);
	ssm_store_kvs_dispose(&kvs);
	ssm_store_kv_dispose(&kv);
}

static void lease_expiry_deletes_its_keys_and_watches_see_it(void **state)
{
	struct fixture *f = *state;
	struct watch_log log;
	ssm_store_watch *w = NULL;
	uint64_t id = 0, r1, now;
	int64_t ttl = 0;

	assert_int_equal(SSM_OK, ssm_store_lease_grant(&id, &ttl, f->store,
						       short_ttl()));
	assert_true(ttl >= short_ttl());
	put_lease(f->store, "e/1", "x", id);
	r1 = put_lease(f->store, "e/2", "y", id);
	put_s(f->store, "e/3", "stays");
	log_init(&log);
	assert_int_equal(SSM_OK,
			 ssm_store_watch_start(&w, f->store, "e/", 2, r1 + 1,
					       on_events, &log));
	assert_true(wait_absent(f->store, "e/1", ttl + 5000));
	assert_absent(f->store, "e/2");
	assert_value(f->store, "e/3", "stays");
	assert_true(wait_events(&log, 3));
	ssm_store_watch_free(w);
	assert_int_equal(3, log.count);
	assert_int_equal(SSM_STORE_EVENT_PUT, log.ev[0].type);
	assert_int_equal(SSM_STORE_EVENT_DELETE, log.ev[1].type);
	assert_int_equal(SSM_STORE_EVENT_DELETE, log.ev[2].type);
	assert_string_equal("e/1", log.ev[1].key);
	assert_string_equal("e/2", log.ev[2].key);
	/* both keys went in one transaction */
	assert_int_equal(log.ev[1].rev, log.ev[2].rev);
	assert_int_equal(log.ev[0].rev + 1, log.ev[1].rev);
	assert_int_equal(SSM_OK, ssm_store_revision(&now, f->store));
	assert_int_equal(log.ev[1].rev, now);
	assert_int_equal(SSM_ENOTFOUND,
			 ssm_store_lease_keep_alive(NULL, f->store, id));
}

static void lease_keep_alive_extends_the_ttl(void **state)
{
	struct fixture *f = *state;
	uint64_t id = 0;
	int64_t ttl = 0, granted = 0, start;

	assert_int_equal(SSM_OK, ssm_store_lease_grant(&id, &ttl, f->store,
						       short_ttl()));
	put_lease(f->store, "k", "alive", id);
	/* three TTLs long, kept alive every quarter TTL */
	start = ssm__mono_ms();
	while (ssm__mono_ms() - start < 3 * ttl) {
		usleep((useconds_t)(ttl / 4) * 1000);
		assert_int_equal(SSM_OK, ssm_store_lease_keep_alive(
						 &granted, f->store, id));
		assert_true(granted >= short_ttl());
		assert_value(f->store, "k", "alive");
	}
	/* left alone, it expires */
	assert_true(wait_absent(f->store, "k", ttl + 5000));
	assert_int_equal(SSM_ENOTFOUND,
			 ssm_store_lease_keep_alive(&granted, f->store, id));
}

static void lease_put_without_the_lease_detaches_the_key(void **state)
{
	struct fixture *f = *state;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	uint64_t a = 0, b = 0;

	assert_int_equal(SSM_OK,
			 ssm_store_lease_grant(&a, NULL, f->store, 60000));
	assert_int_equal(SSM_OK,
			 ssm_store_lease_grant(&b, NULL, f->store, 60000));
	put_lease(f->store, "d/1", "1", a);
	put_s(f->store, "d/1", "2"); /* no lease any more */
	put_lease(f->store, "d/2", "1", a);
	put_lease(f->store, "d/2", "2", b); /* moved to b */
	assert_int_equal(SSM_OK, ssm_store_get(&kv, f->store, "d/1", 3));
	assert_int_equal(0, kv.lease);
	assert_int_equal(SSM_OK, ssm_store_get(&kv, f->store, "d/2", 3));
	assert_int_equal(b, kv.lease);
	assert_int_equal(SSM_OK, ssm_store_lease_revoke(NULL, f->store, a));
	assert_value(f->store, "d/1", "2");
	assert_value(f->store, "d/2", "2");
	assert_int_equal(SSM_OK, ssm_store_lease_revoke(NULL, f->store, b));
	assert_value(f->store, "d/1", "2");
	assert_absent(f->store, "d/2");
	/* a deleted key leaves its lease's list */
	assert_int_equal(SSM_OK,
			 ssm_store_lease_grant(&a, NULL, f->store, 60000));
	put_lease(f->store, "d/3", "1", a);
	assert_int_equal(SSM_OK, ssm_store_delete(NULL, f->store, "d/3", 3, 0));
	put_s(f->store, "d/3", "again");
	assert_int_equal(SSM_OK, ssm_store_lease_revoke(NULL, f->store, a));
	assert_value(f->store, "d/3", "again");
	ssm_store_kv_dispose(&kv);
}

static void leases_survive_reopen(void **state)
{
	struct fixture *f = *state;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	uint64_t id = 0;

	if (!persistent(f))
		skip();
	assert_int_equal(SSM_OK,
			 ssm_store_lease_grant(&id, NULL, f->store, 60000));
	put_lease(f->store, "r/1", "x", id);
	ssm_store_close(f->store);
	f->store = NULL;
	assert_int_equal(SSM_OK, ssm_store_open(&f->store, f->ctx, f->url));
	assert_int_equal(SSM_OK, ssm_store_get(&kv, f->store, "r/1", 3));
	assert_int_equal(id, kv.lease);
	assert_int_equal(SSM_OK,
			 ssm_store_lease_keep_alive(NULL, f->store, id));
	assert_int_equal(SSM_OK, ssm_store_lease_revoke(NULL, f->store, id));
	assert_absent(f->store, "r/1");
	ssm_store_kv_dispose(&kv);
}

static void lease_arguments_are_checked_and_old_plugins_have_none(void **state)
{
	struct fixture *f = *state;
	static ssm_store_ops old;
	ssm_store_put_options o = SSM_STORE_PUT_OPTIONS_INIT;
	ssm_store *s = NULL, *faulty = NULL;
	uint64_t id = 7;
	char url[600];

	assert_int_equal(SSM_EINVALID,
			 ssm_store_lease_grant(&id, NULL, f->store, 0));
	assert_string_equal("lease TTL 0 ms is out of range "
			    "(1..9000000000000)",
			    ssm_error_last()->message);
	assert_int_equal(0, id);
	assert_int_equal(SSM_EINVALID,
			 ssm_store_lease_grant(&id, NULL, f->store,
					       SSM_STORE_LEASE_TTL_MAX_MS + 1));
	assert_int_equal(SSM_EINVALID,
			 ssm_store_lease_grant(NULL, NULL, f->store, 1000));
	assert_string_equal("invalid argument: 'lease_out'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_store_lease_keep_alive(NULL, f->store, 0));
	assert_string_equal("lease id 0 is out of range "
			    "(1..9223372036854775807)",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_store_lease_revoke(NULL, NULL, 1));
	assert_false(ssm_store_has_leases(NULL));

	/* a table of version 1 has no lease methods */
	old = *f->store->ops;
	old.version = 1;
	old.name = "old";
	assert_int_equal(SSM_OK, ssm_ctx_register_store(f->ctx, &old, NULL));
	snprintf(url, sizeof(url), "old%s", strchr(f->url, ':'));
	assert_int_equal(SSM_OK, ssm_store_open(&s, f->ctx, url));
	assert_false(ssm_store_has_leases(s));
	assert_int_equal(SSM_EUNSUPPORTED,
			 ssm_store_lease_grant(&id, NULL, s, 1000));
	assert_string_equal("the old store has no leases",
			    ssm_error_last()->message);
	o.lease = 1;
	assert_int_equal(SSM_EUNSUPPORTED,
			 ssm_store_put(NULL, s, "k", 1, "v", 1, &o));
	assert_int_equal(SSM_EUNSUPPORTED, ssm_store_lease_revoke(NULL, s, 1));

	/* the fault wrapper counts lease calls */
	assert_int_equal(SSM_OK, ssm_store_fault_new(&faulty, s));
	assert_int_equal(SSM_OK,
			 ssm_store_fault_set(faulty, SSM_STORE_METHOD_LEASE, 1,
					     SSM_ETIMEOUT, false));
	assert_int_equal(SSM_ETIMEOUT,
			 ssm_store_lease_grant(&id, NULL, faulty, 1000));
	assert_string_equal("injected fault: lease call 1",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EUNSUPPORTED,
			 ssm_store_lease_grant(&id, NULL, faulty, 1000));
	assert_int_equal(SSM_EUNSUPPORTED,
			 ssm_store_put(NULL, faulty, "k", 1, "v", 1, &o));
	ssm_store_close(faulty);

	/* and a plugin must have all three lease methods or none */
	old.version = 2;
	old.name = "half";
	old.lease_revoke = NULL;
	assert_int_equal(SSM_EINVALID,
			 ssm_ctx_register_store(f->ctx, &old, NULL));
	assert_string_equal("store plugin 'half' must have all three lease "
			    "methods or none",
			    ssm_error_last()->message);
	{
		ssm_store_ops v1;

		/* ssm_store_ops_init for version 1 leaves the v2 part alone */
		memset(&v1, 0x5a, sizeof(v1));
		assert_int_equal(SSM_OK, ssm_store_ops_init(&v1, 1));
		assert_null(v1.watch_free);
		assert_int_equal(0x5a5a5a5a5a5a5a5aull,
				 (uint64_t)(uintptr_t)v1.lease_grant);
	}
}

/* ---- faults
 * ------------------------------------------------------------------ */

static void fault_wrapper_fails_the_nth_call_and_changes_nothing(void **state)
{
	struct fixture *f = *state;
	ssm_store *faulty = NULL;
	ssm_store_kv kv = SSM_STORE_KV_INIT;

	assert_int_equal(SSM_OK, ssm_store_fault_new(&faulty, f->store));
	f->store = faulty; /* teardown closes both */
	put_s(faulty, "a", "1");
	assert_int_equal(SSM_OK,
			 ssm_store_fault_set(faulty, SSM_STORE_METHOD_TXN, 2,
					     SSM_ETIMEOUT, false));
	put_s(faulty, "b", "1");
	assert_int_equal(SSM_ETIMEOUT,
			 ssm_store_put(NULL, faulty, "c", 1, "1", 1, NULL));
	assert_string_equal("injected fault: txn call 2",
			    ssm_error_last()->message);
	assert_absent(faulty, "c");
	put_s(faulty, "c", "2"); /* only the 2nd failed */

	assert_int_equal(SSM_OK,
			 ssm_store_fault_set(faulty, SSM_STORE_METHOD_ANY, 1,
					     SSM_ERROR, true));
	assert_int_equal(SSM_ERROR, ssm_store_get(&kv, faulty, "a", 1));
	assert_string_equal("injected fault: get call 1",
			    ssm_error_last()->message);
	assert_int_equal(SSM_ERROR, ssm_store_get(&kv, faulty, "a", 1));
	assert_string_equal("injected fault: get call 2",
			    ssm_error_last()->message);
	assert_int_equal(SSM_OK,
			 ssm_store_fault_set(faulty, SSM_STORE_METHOD_ANY, 0,
					     SSM_OK, false));
	assert_value(faulty, "c", "2");

	assert_int_equal(SSM_EINVALID,
			 ssm_store_fault_set(faulty, SSM_STORE_METHOD_GET, 1,
					     SSM_OK, false));
	assert_string_equal("fault code 0 is not a failure code",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_store_fault_set(faulty, (ssm_store_method)42, 1,
					     SSM_ERROR, false));
	assert_string_equal("unknown store method 42",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_store_fault_new(NULL, faulty));
	ssm_store_kv_dispose(&kv);
}

static void fault_set_on_a_plain_store_is_refused(void **state)
{
	struct fixture *f = *state;
	char want[80];

	assert_int_equal(SSM_EINVALID,
			 ssm_store_fault_set(f->store, SSM_STORE_METHOD_GET, 1,
					     SSM_ERROR, false));
	snprintf(want, sizeof(want),
		 "store is not a fault wrapper (it is a %s store)", backend);
	assert_string_equal(want, ssm_error_last()->message);
}

static void txn_out_of_memory_leaves_the_store_unchanged(void **state)
{
	struct fixture *f = *state;
	ssm_store_op ops[3] = {
		{ SSM_STORE_OP_PUT, "m/a", 3, "new", 3, 0 },
		{ SSM_STORE_OP_PUT, "m/b", 3, "new", 3, 0 },
		{ SSM_STORE_OP_DELETE_PREFIX, "m/c/", 4, NULL, 0, 0 },
	};
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	uint64_t n, r0, now;
	ssm_err e;

	put_s(f->store, "m/a", "old");
	put_s(f->store, "m/c/1", "old");
	r0 = put_s(f->store, "m/c/2", "old");
	for (n = 1;; n++) {
		ssm__alloc_fail_at(n, false);
		e = ssm_store_txn(NULL, f->store, NULL, 0, ops, 3);
		ssm__alloc_fail_at(0, false);
		if (e == SSM_OK)
			break;
		assert_string_equal("out of memory", ssm_error_last()->message);
		assert_int_equal(SSM_OK, ssm_store_revision(&now, f->store));
		assert_int_equal(r0, now);
		assert_value(f->store, "m/a", "old");
		assert_absent(f->store, "m/b");
		assert_int_equal(SSM_OK, ssm_store_range(&kvs, f->store, "m/c/",
							 4, NULL));
		assert_int_equal(2, kvs.count);
	}
	assert_value(f->store, "m/a", "new");
	assert_int_equal(SSM_OK,
			 ssm_store_range(&kvs, f->store, "m/c/", 4, NULL));
	assert_int_equal(0, kvs.count);
	ssm_store_kvs_dispose(&kvs);
}

/* ---- opening and registering
 * ------------------------------------------------- */

static void open_refuses_malformed_urls(void **state)
{
	struct fixture *f = *state;
	ssm_store *s = (ssm_store *)1;

	assert_int_equal(SSM_EINVALID, ssm_store_open(&s, f->ctx, "nothing"));
	assert_null(s);
	assert_string_equal("store URL 'nothing' has no scheme (e.g. memory: "
			    "or sqlite:///path)",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_store_open(&s, f->ctx, "redis://x"));
	assert_non_null(strstr(ssm_error_last()->message,
			       "unknown store scheme 'redis' in 'redis://x' "
			       "(known: "));
	assert_non_null(strstr(ssm_error_last()->message, "memory"));
	assert_int_equal(SSM_EINVALID,
			 ssm_store_open(&s, f->ctx, "memory:/path"));
	assert_string_equal("memory store URL 'memory:/path' takes no path "
			    "(use memory: or memory:?history=N)",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_store_open(&s, f->ctx, "memory:?history=x"));
	assert_string_equal("memory store option history=x is not a number in "
			    "1..100000000",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_store_open(&s, f->ctx, "memory:?color=red"));
	assert_string_equal("unknown memory store option 'color'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID,
			 ssm_store_open(&s, f->ctx, "memory:?history"));
	assert_string_equal("malformed option 'history' in store URL "
			    "'memory:?history'",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EINVALID, ssm_store_open(&s, NULL, "memory:"));
	assert_string_equal("invalid argument: 'ctx'",
			    ssm_error_last()->message);
	ssm_store_close(NULL);
	ssm_store_watch_free(NULL);
	ssm_store_kvs_dispose(NULL);
	ssm_store_kv_dispose(NULL);
}

static void custom_plugins_register_by_scheme(void **state)
{
	struct fixture *f = *state;
	ssm_store_ops ops;

	assert_int_equal(SSM_OK,
			 ssm_store_ops_init(&ops, SSM_STORE_OPS_VERSION));
	ops.name = "mine";
	assert_int_equal(SSM_EINVALID,
			 ssm_ctx_register_store(f->ctx, &ops, NULL));
	assert_string_equal("store plugin 'mine' lacks a required method",
			    ssm_error_last()->message);
	ops.name = "bad:name";
	assert_int_equal(SSM_EINVALID,
			 ssm_ctx_register_store(f->ctx, &ops, NULL));
	assert_string_equal("store plugin name must be a non-empty URL scheme",
			    ssm_error_last()->message);
	assert_int_equal(SSM_EEXISTS,
			 ssm_ctx_register_store(f->ctx, f->store->ops, NULL));
	{
		char want[80];

		snprintf(want, sizeof(want),
			 "a plugin named '%s' is already registered", backend);
		assert_string_equal(want, ssm_error_last()->message);
	}
	ops.version = 0;
	assert_int_equal(SSM_EINVALID,
			 ssm_ctx_register_store(f->ctx, &ops, NULL));
	assert_string_equal("ssm_store_ops version 0 is not supported (1..2)",
			    ssm_error_last()->message);
	/* a copy of a built-in table under a new scheme opens like it */
	{
		static ssm_store_ops copy;
		ssm_store *s = NULL;
		char url[600];

		copy = *f->store->ops;
		copy.name = "mine";
		assert_int_equal(SSM_OK,
				 ssm_ctx_register_store(f->ctx, &copy, NULL));
		snprintf(url, sizeof(url), "mine%s", strchr(f->url, ':'));
		ssm_store_close(f->store);
		f->store = NULL;
		assert_int_equal(SSM_OK, ssm_store_open(&s, f->ctx, url));
		put_s(s, "k", "v");
		assert_value(s, "k", "v");
		f->store = s;
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(get_of_missing_key_is_not_found),
		T(put_then_get_returns_value_and_revisions),
		T(empty_value_is_a_value),
		T(binary_keys_and_values_round_trip),
		T(largest_key_and_value_fit_and_one_more_byte_does_not),
		T(bad_arguments_are_refused_with_clear_messages),
		T(range_returns_keys_under_prefix_in_byte_order),
		T(range_prefix_of_ff_bytes_is_bounded),
		T(range_paginates_with_limit_and_start_after),
		T(range_keys_only_leaves_values_empty),
		T(put_if_absent_refuses_an_existing_key),
		T(put_if_mod_revision_is_compare_and_swap),
		T(delete_removes_and_reports_missing_or_changed),
		T(txn_applies_all_ops_at_one_revision),
		T(txn_with_a_failing_compare_writes_nothing),
		T(txn_delete_prefix_removes_exactly_the_prefix),
		T(txn_refuses_bad_op_lists),
		T(txn_with_only_compares_checks_without_writing),
		T(concurrent_writers_lose_nothing_and_cas_serialises),
		T(reopen_after_close_keeps_everything),
		T(store_keeps_its_context_alive),
		T(watch_delivers_changes_under_prefix_in_order),
		T(watch_from_a_past_revision_replays_history),
		T(watch_stops_when_the_callback_says_so),
		T(watch_from_a_compacted_revision_fails),
		T(lease_revoke_deletes_its_keys_in_one_revision),
		T(lease_expiry_deletes_its_keys_and_watches_see_it),
		T(lease_keep_alive_extends_the_ttl),
		T(lease_put_without_the_lease_detaches_the_key),
		T(leases_survive_reopen),
		T(lease_arguments_are_checked_and_old_plugins_have_none),
		T(fault_wrapper_fails_the_nth_call_and_changes_nothing),
		T(fault_set_on_a_plain_store_is_refused),
		T(txn_out_of_memory_leaves_the_store_unchanged),
		T(open_refuses_malformed_urls),
		T(custom_plugins_register_by_scheme),
#undef T
	};
	char name[64];
	int failed;

	if (argc != 2) {
		fprintf(stderr, "usage: %s memory|sqlite|etcd\n", argv[0]);
		return 2;
	}
	backend = argv[1];
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ssm-test-store-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 2;
	if (ssm_init() < 0)
		return 2;
	snprintf(name, sizeof(name), "store-%s", backend);
	failed = cmocka_run_group_tests_name(name, tests, NULL, NULL);
	ssm_shutdown();
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
	return failed;
}
