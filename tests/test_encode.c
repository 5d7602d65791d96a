/* SPDX-License-Identifier: Apache-2.0 */
/* Encodings (hex, base64 with RFC 4648's vectors, SigV4 URI encoding, UTF-8)
 * and the wire time formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ssm/ssm.h"
#include "core/alloc.h"
#include "core/encode.h"
#include "core/error.h"
#include "core/time.h"

static void assert_invalid(const char *message)
{
	assert_int_equal(SSM_EINVALID, ssm_error_last()->code);
	assert_int_equal(SSM_ERRCLASS_INVALID, ssm_error_last()->klass);
	assert_string_equal(message, ssm_error_last()->message);
}

static void hex_round_trip(void **state)
{
	uint8_t bytes[256], back[256];
	char hex[513];
	ssm_str s = SSM_STR_INIT;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(bytes); i++)
		bytes[i] = (uint8_t)i;
	assert_int_equal(512, ssm_hex_encode(hex, bytes, sizeof(bytes)));
	assert_memory_equal("000102", hex, 6);
	assert_string_equal("fdfeff", hex + 506);
	assert_int_equal(SSM_OK, ssm_hex_decode(back, &n, sizeof(back), hex,
						strlen(hex)));
	assert_int_equal(256, n);
	assert_memory_equal(bytes, back, n);
	/* either case decodes */
	assert_int_equal(SSM_OK,
			 ssm_hex_decode(back, &n, sizeof(back), "DEadBEef", 8));
	assert_int_equal(4, n);
	assert_memory_equal("\xde\xad\xbe\xef", back, 4);
	assert_int_equal(0, ssm_hex_encode(hex, "", 0));
	assert_string_equal("", hex);
	assert_int_equal(SSM_OK, ssm_hex_decode(back, &n, 0, "", 0));
	assert_int_equal(0, n);
	assert_int_equal(SSM_OK, ssm_hex_encode_str(&s, "\x01\xab", 2));
	assert_int_equal(SSM_OK, ssm_hex_encode_str(&s, "\xff", 1));
	assert_string_equal("01abff", s.ptr);
	assert_int_equal(6, s.size);
	ssm_str_dispose(&s);
}

static void hex_decode_names_the_bad_input(void **state)
{
	uint8_t out[8];
	size_t n = 99;

	(void)state;
	assert_int_equal(SSM_EINVALID,
			 ssm_hex_decode(out, &n, sizeof(out), "abc", 3));
	assert_int_equal(0, n);
	assert_invalid("hex text has an odd length (3)");
	assert_int_equal(SSM_EINVALID,
			 ssm_hex_decode(out, &n, sizeof(out), "0g", 2));
	assert_invalid("invalid hex digit 'g' at offset 1");
	assert_int_equal(SSM_EINVALID,
			 ssm_hex_decode(out, &n, sizeof(out), "\n0", 2));
	assert_invalid("invalid hex digit 0x0a at offset 0");
	assert_int_equal(SSM_EINVALID, ssm_hex_decode(out, &n, 1, "0011", 4));
	assert_invalid("hex text of 2 bytes does not fit in 1 bytes");
	assert_int_equal(SSM_EINVALID,
			 ssm_hex_decode(out, NULL, sizeof(out), "00", 2));
	assert_string_equal("invalid argument: 'len_out'",
			    ssm_error_last()->message);
}

static void base64_rfc4648_vectors(void **state)
{
	static const char *const v[][2] = {
		{ "", "" },
		{ "f", "Zg==" },
		{ "fo", "Zm8=" },
		{ "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" },
		{ "fooba", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy" },
	};
	char text[16];
	uint8_t out[16];
	ssm_str s = SSM_STR_INIT;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t len = strlen(v[i][0]);

		assert_int_equal(strlen(v[i][1]),
				 ssm_base64_encode(text, v[i][0], len));
		assert_string_equal(v[i][1], text);
		assert_int_equal(SSM_BASE64_LEN(len), strlen(text));
		assert_int_equal(SSM_OK,
				 ssm_base64_decode(out, &n, sizeof(out),
						   v[i][1], strlen(v[i][1])));
		assert_int_equal(len, n);
		assert_memory_equal(v[i][0], out, n);
	}
	/* the two characters outside the alphanumerics */
	assert_int_equal(4, ssm_base64_encode(text, "\xfb\xff\xbf", 3));
	assert_string_equal("+/+/", text);
	assert_int_equal(SSM_OK, ssm_base64_encode_str(&s, "foob", 4));
	assert_int_equal(SSM_OK, ssm_base64_decode_str(&s, "Zm9v", 4));
	assert_string_equal("Zm9vYg==foo", s.ptr);
	ssm_str_dispose(&s);
}

static void base64_decoding_is_strict(void **state)
{
	static const struct {
		const char *text, *message;
	} bad[] = {
		{ "Zg=", "base64 text length 3 is not a multiple of 4" },
		{ "Zm9vY", "base64 text length 5 is not a multiple of 4" },
		{ "Zm9v\nYmFy", "base64 text length 9 is not a multiple of 4" },
		{ "Zm 9", "invalid base64 character ' ' at offset 2" },
		{ "Zm-9", "invalid base64 character '-' at offset 2" },
		{ "Zm_9", "invalid base64 character '_' at offset 2" },
		{ "Z===", "invalid base64 character '=' at offset 1" },
		{ "====", "invalid base64 character '=' at offset 0" },
		{ "Zg==Zm8=", "invalid base64 character '=' at offset 2" },
		{ "Zm=v", "invalid base64 character '=' at offset 2" },
		{ "Zh==", "base64 text has non-zero bits before the padding at "
			  "offset 1" },
		{ "Zm9=", "base64 text has non-zero bits before the padding at "
			  "offset 2" },
		{ "Zm\x80v", "invalid base64 character 0x80 at offset 2" },
	};
	uint8_t out[16];
	ssm_str s = SSM_STR_INIT;
	size_t i, n = 7;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(SSM_EINVALID,
				 ssm_base64_decode(out, &n, sizeof(out),
						   bad[i].text,
						   strlen(bad[i].text)));
		assert_int_equal(0, n);
		assert_invalid(bad[i].message);
	}
	assert_int_equal(SSM_EINVALID,
			 ssm_base64_decode(out, &n, 2, "Zm9v", 4));
	assert_invalid("base64 text of 3 bytes does not fit in 2 bytes");
	assert_int_equal(SSM_OK, ssm_base64_decode(out, &n, 2, "Zm8=", 4));
	assert_int_equal(2, n);
	/* the str variant leaves the str as it was */
	assert_int_equal(SSM_OK, ssm_str_puts(&s, "keep"));
	assert_int_equal(SSM_EINVALID, ssm_base64_decode_str(&s, "Zh==", 4));
	assert_string_equal("keep", s.ptr);
	assert_int_equal(4, s.size);
	ssm_str_dispose(&s);
}

static void uri_encoding_follows_sigv4(void **state)
{
	ssm_str s = SSM_STR_INIT;

	(void)state;
	assert_int_equal(SSM_OK, ssm_uri_encode(&s, "AZaz09-._~", 10, false));
	assert_string_equal("AZaz09-._~", s.ptr);
	ssm_str_clear(&s);
	assert_int_equal(SSM_OK,
			 ssm_uri_encode(&s, "a b+c=d&e/f%*", 13, false));
	assert_string_equal("a%20b%2Bc%3Dd%26e%2Ff%25%2A", s.ptr);
	ssm_str_clear(&s);
	assert_int_equal(SSM_OK, ssm_uri_encode(&s, "/a b/c/", 7, true));
	assert_string_equal("/a%20b/c/", s.ptr);
	ssm_str_clear(&s);
	/* UTF-8 bytes each become %XX, upper-case */
	assert_int_equal(SSM_OK,
			 ssm_uri_encode(&s, "\xc3\xa9\xe2\x82\xac", 5, false));
	assert_string_equal("%C3%A9%E2%82%AC", s.ptr);
	ssm_str_clear(&s);
	assert_int_equal(SSM_OK, ssm_uri_encode(&s, "\0x", 2, false));
	assert_string_equal("%00x", s.ptr);
	ssm_str_clear(&s);
	assert_int_equal(SSM_OK, ssm_uri_decode(&s, "a%20b%2bc+%C3%A9%2F", 19));
	assert_string_equal("a b+c+\xc3\xa9/", s.ptr);
	ssm_str_clear(&s);
	assert_int_equal(SSM_EINVALID, ssm_uri_decode(&s, "ab%2", 4));
	assert_invalid("invalid percent-encoding at offset 2");
	assert_int_equal(SSM_EINVALID, ssm_uri_decode(&s, "%g0", 3));
	assert_invalid("invalid percent-encoding at offset 0");
	assert_int_equal(SSM_EINVALID, ssm_uri_encode(NULL, "a", 1, false));
	ssm_str_dispose(&s);
}

static void encoders_survive_allocation_failures(void **state)
{
	ssm_str s = SSM_STR_INIT;

	(void)state;
	ssm__alloc_fail_at(1, false);
	assert_int_equal(SSM_ERROR, ssm_uri_encode(&s, "a b", 3, false));
	ssm__alloc_fail_at(1, false);
	assert_int_equal(SSM_ERROR, ssm_uri_decode(&s, "a%20", 4));
	ssm__alloc_fail_at(1, false);
	assert_int_equal(SSM_ERROR, ssm_hex_encode_str(&s, "a", 1));
	ssm__alloc_fail_at(1, false);
	assert_int_equal(SSM_ERROR, ssm_base64_encode_str(&s, "a", 1));
	ssm__alloc_fail_at(1, false);
	assert_int_equal(SSM_ERROR, ssm_base64_decode_str(&s, "YQ==", 4));
	ssm__alloc_fail_at(0, false);
	assert_string_equal("out of memory", ssm_error_last()->message);
	assert_int_equal(0, s.size);
	ssm_str_dispose(&s);
}

static void utf8_validation(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		bool ok;
		size_t bad;
	} v[] = {
		{ "plain ascii", 11, true, 0 },
		{ "", 0, true, 0 },
		{ "nul\0inside", 10, true, 0 },
		{ "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9, true, 0 },
		{ "\xf4\x8f\xbf\xbf", 4, true, 0 },  /* U+10FFFF */
		{ "\xed\x9f\xbf", 3, true, 0 },	     /* U+D7FF */
		{ "ab\xc3", 3, false, 2 },	     /* truncated */
		{ "ab\xc0\xaf", 4, false, 2 },	     /* overlong '/' */
		{ "\xe0\x80\xaf", 3, false, 0 },     /* overlong */
		{ "\xf0\x8f\xbf\xbf", 4, false, 0 }, /* overlong */
		{ "x\xed\xa0\x80", 4, false, 1 },    /* surrogate */
		{ "\xf4\x90\x80\x80", 4, false, 0 }, /* > U+10FFFF */
		{ "\xf5\x80\x80\x80", 4, false, 0 },
		{ "abc\x80", 4, false, 3 }, /* lone continuation */
		{ "\xe2\x82x", 3, false, 0 },
		{ "\xff", 1, false, 0 },
	};
	size_t i, bad;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		bad = 99;
		assert_int_equal(v[i].ok,
				 ssm_utf8_valid(v[i].s, v[i].len, &bad));
		if (!v[i].ok)
			assert_int_equal(v[i].bad, bad);
		assert_int_equal(v[i].ok,
				 ssm_utf8_valid(v[i].s, v[i].len, NULL));
	}
}

static void iso8601_format_and_parse(void **state)
{
	char buf[SSM_ISO8601_SIZE], sec[SSM_ISO8601_SEC_SIZE];
	int64_t ms;

	(void)state;
	/* 2024-10-21T12:34:56.789Z */
	assert_int_equal(SSM_OK, ssm_time_format_iso8601(buf, 1729514096789));
	assert_string_equal("2024-10-21T12:34:56.789Z", buf);
	assert_int_equal(SSM_OK,
			 ssm_time_format_iso8601_sec(sec, 1729514096789));
	assert_string_equal("2024-10-21T12:34:56Z", sec);
	assert_int_equal(SSM_OK, ssm_time_format_iso8601(buf, 0));
	assert_string_equal("1970-01-01T00:00:00.000Z", buf);
	assert_int_equal(SSM_OK, ssm_time_format_iso8601(buf, -1));
	assert_string_equal("1969-12-31T23:59:59.999Z", buf);
	assert_int_equal(SSM_OK, ssm_time_format_iso8601(buf, 951782400000));
	assert_string_equal("2000-02-29T00:00:00.000Z", buf);
	assert_int_equal(SSM_OK, ssm_time_format_iso8601(buf, 253402300799999));
	assert_string_equal("9999-12-31T23:59:59.999Z", buf);
	assert_int_equal(SSM_EINVALID,
			 ssm_time_format_iso8601(buf, 253402300800000));
	assert_invalid("time 253402300800000 ms is outside the years "
		       "0000..9999");

	assert_int_equal(SSM_OK, ssm_time_parse_iso8601(
					 &ms, "2024-10-21T12:34:56.789Z", 24));
	assert_int_equal(1729514096789, ms);
	assert_int_equal(SSM_OK, ssm_time_parse_iso8601(
					 &ms, "2024-10-21T12:34:56Z", 20));
	assert_int_equal(1729514096000, ms);
	assert_int_equal(SSM_OK, ssm_time_parse_iso8601(
					 &ms, "2024-10-21T12:34:56+00:00", 25));
	assert_int_equal(1729514096000, ms);
	assert_int_equal(
		SSM_OK,
		ssm_time_parse_iso8601(&ms, "2024-10-21T14:34:56.7+02:00", 27));
	assert_int_equal(1729514096700, ms);
	assert_int_equal(SSM_OK,
			 ssm_time_parse_iso8601(
				 &ms, "2024-10-21T07:04:56.78-05:30", 28));
	assert_int_equal(1729514096780, ms);
	/* digits past the millisecond are cut */
	assert_int_equal(SSM_OK,
			 ssm_time_parse_iso8601(
				 &ms, "2024-10-21T12:34:56.789999999Z", 30));
	assert_int_equal(1729514096789, ms);
	assert_int_equal(SSM_OK, ssm_time_parse_iso8601(
					 &ms, "1969-12-31T23:59:59.999Z", 24));
	assert_int_equal(-1, ms);
	assert_int_equal(SSM_OK, ssm_time_parse_iso8601(
					 &ms, "2000-02-29T00:00:00Z", 20));
	assert_int_equal(951782400000, ms);
}

static void iso8601_rejects_malformed_text(void **state)
{
	static const char *const bad[] = {
		"",
		"2024-10-21",
		"2024-10-21T12:34:56",
		"2024-10-21 12:34:56Z",
		"2024-10-21T12:34:56.Z",
		"2024-10-21T12:34:56.1234567890Z",
		"2024-10-21T12:34:56z",
		"2024-10-21T12:34:56+0000",
		"2024-10-21T12:34:56+24:00",
		"2024-10-21T12:34:56Zjunk",
		"2024-13-01T00:00:00Z",
		"2023-02-29T00:00:00Z",
		"2024-04-31T00:00:00Z",
		"2024-10-00T00:00:00Z",
		"2024-10-21T24:00:00Z",
		"2024-10-21T23:60:00Z",
		"2024-10-21T23:59:60Z",
		"+024-10-21T12:34:56Z",
	};
	char msg[128];
	int64_t ms = 5;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(
			SSM_EINVALID,
			ssm_time_parse_iso8601(&ms, bad[i], strlen(bad[i])));
		assert_int_equal(0, ms);
		snprintf(msg, sizeof(msg), "invalid ISO-8601 time '%s'",
			 bad[i]);
		assert_invalid(msg);
	}
	/* long input is shown cut */
	assert_int_equal(SSM_EINVALID,
			 ssm_time_parse_iso8601(
				 &ms,
				 "0123456789012345678901234567890123456789"
				 "0123456789012345678901234567890123456789",
				 80));
	assert_invalid("invalid ISO-8601 time '01234567890123456789012345678"
		       "90123456789012345678901234567890123...'");
}

static void amz_date_format_and_parse(void **state)
{
	char buf[SSM_AMZ_DATE_SIZE];
	int64_t ms;

	(void)state;
	assert_int_equal(SSM_OK, ssm_time_format_amz(buf, 1440938160000));
	assert_string_equal("20150830T123600Z", buf);
	/* milliseconds are dropped, rounding down */
	assert_int_equal(SSM_OK, ssm_time_format_amz(buf, 1440938160999));
	assert_string_equal("20150830T123600Z", buf);
	assert_int_equal(SSM_OK, ssm_time_format_amz(buf, -1));
	assert_string_equal("19691231T235959Z", buf);
	assert_int_equal(SSM_OK,
			 ssm_time_parse_amz(&ms, "20150830T123600Z", 16));
	assert_int_equal(1440938160000, ms);
	assert_int_equal(SSM_EINVALID,
			 ssm_time_parse_amz(&ms, "20150830T123600", 15));
	assert_invalid("invalid amz date '20150830T123600'");
	assert_int_equal(SSM_EINVALID,
			 ssm_time_parse_amz(&ms, "2015-08-30T12:36:00Z", 20));
	assert_int_equal(SSM_EINVALID,
			 ssm_time_parse_amz(&ms, "20150230T123600Z", 16));
	assert_int_equal(SSM_EINVALID,
			 ssm_time_parse_amz(&ms, "20150830t123600Z", 16));
	assert_int_equal(SSM_EINVALID,
			 ssm_time_parse_amz(&ms, "20150830T123600z", 16));
	assert_int_equal(SSM_EINVALID,
			 ssm_time_parse_amz(&ms, "20150830T126000Z", 16));
	assert_int_equal(SSM_EINVALID, ssm_time_parse_amz(NULL, "x", 1));
	assert_string_equal("invalid argument: 'ms_out'",
			    ssm_error_last()->message);
}

static void epoch_seconds_print_exactly(void **state)
{
	static const struct {
		int64_t ms;
		const char *text;
	} v[] = {
		{ 1528932105382, "1528932105.382" },
		{ 1528932105380, "1528932105.38" },
		{ 1528932105300, "1528932105.3" },
		{ 1528932105000, "1528932105" },
		{ 1528932105001, "1528932105.001" },
		{ 1528932105010, "1528932105.01" },
		{ 0, "0" },
		{ 1, "0.001" },
		{ -1, "-0.001" },
		{ -1500, "-1.5" },
		{ INT64_MAX, "9223372036854775.807" },
		{ INT64_MIN, "-9223372036854775.808" },
	};
	char buf[SSM_EPOCH_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		assert_int_equal(strlen(v[i].text),
				 ssm_time_format_epoch(buf, v[i].ms));
		assert_string_equal(v[i].text, buf);
	}
}

static void epoch_seconds_parse_json_numbers(void **state)
{
	static const struct {
		const char *text;
		int64_t ms;
	} v[] = {
		{ "1528932105.382", 1528932105382 },
		{ "1528932105", 1528932105000 },
		{ "1528932105.3", 1528932105300 },
		{ "1.528932105382E9", 1528932105382 },
		{ "1.528932105382e+9", 1528932105382 },
		{ "1.59006356748E9", 1590063567480 },
		{ "15289321053820e-4", 1528932105382 },
		{ "1528932105.3829999", 1528932105382 },
		{ "-1.5", -1500 },
		{ "-0.0009", 0 },
		{ "0", 0 },
		{ "0.001", 1 },
		{ "1e-400", 0 },
		{ "0e99999999999", 0 },
		{ "00000000000000000000001528932105.382", 1528932105382 },
		{ "9223372036854775.807", INT64_MAX },
		{ "-9223372036854775.808", INT64_MIN },
	};
	static const char *const bad[] = {
		"",    "-",    ".",   "1.", "1e", "1e+",
		"abc", "1.5x", "--1", "1 ", "+1",
	};
	static const char *const range[] = {
		"9223372036854775.808",
		"-9223372036854775.809",
		"1e400",
		"99999999999999999999999",
	};
	char msg[128];
	int64_t ms;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ms = 7;
		assert_int_equal(SSM_OK,
				 ssm_time_parse_epoch(&ms, v[i].text,
						      strlen(v[i].text)));
		assert_int_equal(v[i].ms, ms);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(
			SSM_EINVALID,
			ssm_time_parse_epoch(&ms, bad[i], strlen(bad[i])));
		snprintf(msg, sizeof(msg), "invalid epoch time '%s'", bad[i]);
		assert_invalid(msg);
	}
	for (i = 0; i < sizeof(range) / sizeof(range[0]); i++) {
		assert_int_equal(
			SSM_EINVALID,
			ssm_time_parse_epoch(&ms, range[i], strlen(range[i])));
		snprintf(msg, sizeof(msg), "epoch time '%s' is out of range",
			 range[i]);
		assert_invalid(msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hex_round_trip),
		cmocka_unit_test(hex_decode_names_the_bad_input),
		cmocka_unit_test(base64_rfc4648_vectors),
		cmocka_unit_test(base64_decoding_is_strict),
		cmocka_unit_test(uri_encoding_follows_sigv4),
		cmocka_unit_test(encoders_survive_allocation_failures),
		cmocka_unit_test(utf8_validation),
		cmocka_unit_test(iso8601_format_and_parse),
		cmocka_unit_test(iso8601_rejects_malformed_text),
		cmocka_unit_test(amz_date_format_and_parse),
		cmocka_unit_test(epoch_seconds_print_exactly),
		cmocka_unit_test(epoch_seconds_parse_json_numbers),
	};

	return cmocka_run_group_tests_name("encode", tests, NULL, NULL);
}
