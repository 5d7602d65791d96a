/* SPDX-License-Identifier: Apache-2.0 */
/* Crypto helpers and ids: known-answer tests (FIPS 180 / NIST SHA-256,
 * RFC 4231 HMAC, RFC 5869 HKDF, the GCM specification's AES-256 cases),
 * tampering, the DRBG across threads and fork(), id shapes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ssm/ssm.h"
#include "core/alloc.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/id.h"
#include "core/str.h"

/* Test-local hex decoder, independent of lib/core/encode.c. */
static size_t unhex(uint8_t *out, const char *hex)
{
	size_t n = strlen(hex) / 2, i;

	for (i = 0; i < n; i++) {
		unsigned v;

		assert_int_equal(1, sscanf(hex + 2 * i, "%2x", &v));
		out[i] = (uint8_t)v;
	}
	return n;
}

static void tohex(char *out, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
	out[2 * n] = '\0';
}

static void assert_error(ssm_err code, ssm_error_class klass,
			 const char *service, const char *message)
{
	const ssm_error *e = ssm_error_last();

	assert_int_equal(code, e->code);
	assert_int_equal(klass, e->klass);
	if (service)
		assert_string_equal(service, e->service_code);
	else
		assert_null(e->service_code);
	assert_string_equal(message, e->message);
}

static void sha256_known_answers(void **state)
{
	static const struct {
		const char *msg, *digest;
	} v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
		      "7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410"
			 "ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419"
		  "db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhij"
		  "klmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037af"
		  "ee9d1" },
	};
	char hex[SSM_SHA256_HEX_LEN + 1];
	uint8_t d[SSM_SHA256_LEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ssm_crypto_sha256_hex(hex, v[i].msg, strlen(v[i].msg));
		assert_string_equal(v[i].digest, hex);
		ssm_crypto_sha256(d, v[i].msg, strlen(v[i].msg));
		tohex(hex, d, sizeof(d));
		assert_string_equal(v[i].digest, hex);
	}
}

static void sha256_streaming_matches_one_shot(void **state)
{
	static char million[1000000];
	uint8_t a[SSM_SHA256_LEN], b[SSM_SHA256_LEN];
	char hex[SSM_SHA256_HEX_LEN + 1];
	ssm_sha256 h;
	size_t off, step;

	(void)state;
	memset(million, 'a', sizeof(million));
	/* one million 'a' (FIPS 180-2 appendix B.3), fed in odd pieces */
	ssm_crypto_sha256_init(&h);
	for (off = 0, step = 1; off < sizeof(million); off += step, step++) {
		if (step > sizeof(million) - off)
			step = sizeof(million) - off;
		ssm_crypto_sha256_update(&h, million + off, step);
	}
	ssm_crypto_sha256_final(&h, a);
	tohex(hex, a, sizeof(a));
	assert_string_equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e"
			    "046d39ccc7112cd0",
			    hex);
	ssm_crypto_sha256(b, million, sizeof(million));
	assert_memory_equal(a, b, sizeof(a));
}

static void hmac_rfc4231_vectors(void **state)
{
	static const struct {
		const char *key_hex, *data_hex, *data, *mac;
	} v[] = {
		{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", NULL, "Hi There",
		  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e"
		  "32cff7" },
		{ "4a656665", NULL, "what do ya want for nothing?",
		  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964"
		  "ec3843" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
		  "dddddddddddddddddddddddddddddddddddddddd",
		  NULL,
		  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ce"
		  "d565fe" },
		{ "0102030405060708090a0b0c0d0e0f10111213141516171819",
		  "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
		  "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
		  NULL,
		  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff467"
		  "29665b" },
		/* test case 5 is truncated to 128 bits */
		{ "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", NULL,
		  "Test With Truncation", "a3b6167473100ee06e0c796c2955552b" },
		{ NULL, NULL,
		  "Test Using Larger Than Block-Size Key - Hash Key First",
		  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0e"
		  "e37f54" },
		{ NULL, NULL,
		  "This is a test using a larger than block-size key and a "
		  "larger than block-size data. The key needs to be hashed "
		  "before being used by the HMAC algorithm.",
		  "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c"
		  "3a35e2" },
	};
	uint8_t key[256], data[256], mac[SSM_HMAC_SHA256_LEN];
	char hex[2 * SSM_HMAC_SHA256_LEN + 1];
	size_t i, klen, dlen;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (v[i].key_hex) {
			klen = unhex(key, v[i].key_hex);
		} else {
			klen = 131; /* test cases 6 and 7 */
			memset(key, 0xaa, klen);
		}
		if (v[i].data_hex) {
			dlen = unhex(data, v[i].data_hex);
		} else {
			dlen = strlen(v[i].data);
			memcpy(data, v[i].data, dlen);
		}
		ssm_crypto_hmac_sha256(mac, key, klen, data, dlen);
		tohex(hex, mac, sizeof(mac));
		hex[strlen(v[i].mac)] = '\0';
		assert_string_equal(v[i].mac, hex);
	}
}

static void hmac_streaming_and_copied_state(void **state)
{
	const char *msg = "what do ya want for nothing?";
	uint8_t one[SSM_HMAC_SHA256_LEN], two[SSM_HMAC_SHA256_LEN];
	ssm_hmac_sha256 keyed, h;
	size_t i;

	(void)state;
	ssm_crypto_hmac_sha256(one, "Jefe", 4, msg, strlen(msg));
	ssm_crypto_hmac_sha256_init(&keyed, "Jefe", 4);
	/* a keyed state can be copied and reused for several messages */
	for (i = 0; i < 3; i++) {
		h = keyed;
		ssm_crypto_hmac_sha256_update(&h, msg, 5);
		ssm_crypto_hmac_sha256_update(&h, msg + 5, strlen(msg) - 5);
		ssm_crypto_hmac_sha256_final(&h, two);
		assert_memory_equal(one, two, sizeof(one));
	}
	ssm_crypto_hmac_sha256_final(&keyed, two); /* empty message */
	ssm_crypto_hmac_sha256(one, "Jefe", 4, "", 0);
	assert_memory_equal(one, two, sizeof(one));
}

static void hkdf_rfc5869_vectors(void **state)
{
	uint8_t ikm[80], salt[80], info[80], okm[82];
	char hex[2 * 82 + 1];
	size_t i;

	(void)state;
	/* test case 1 */
	memset(ikm, 0x0b, 22);
	for (i = 0; i < 13; i++)
		salt[i] = (uint8_t)i;
	for (i = 0; i < 10; i++)
		info[i] = (uint8_t)(0xf0 + i);
	assert_int_equal(SSM_OK, ssm_crypto_hkdf_sha256(okm, 42, salt, 13, ikm,
							22, info, 10));
	tohex(hex, okm, 42);
	assert_string_equal("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5"
			    "db02d56ecc4c5bf34007208d5b887185865",
			    hex);
	/* test case 2: longer inputs, 82 bytes out (three blocks) */
	for (i = 0; i < 80; i++) {
		ikm[i] = (uint8_t)i;
		salt[i] = (uint8_t)(0x60 + i);
		info[i] = (uint8_t)(0xb0 + i);
	}
	assert_int_equal(SSM_OK, ssm_crypto_hkdf_sha256(okm, 82, salt, 80, ikm,
							80, info, 80));
	tohex(hex, okm, 82);
	assert_string_equal("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a"
			    "050cc4c19afa97c59045a99cac7827271cb41c65e590e09da"
			    "3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14"
			    "c01d5c1f3434f1d87",
			    hex);
	/* test case 3: no salt, no info; NULL salt and "" salt agree */
	memset(ikm, 0x0b, 22);
	assert_int_equal(SSM_OK, ssm_crypto_hkdf_sha256(okm, 42, NULL, 0, ikm,
							22, NULL, 0));
	tohex(hex, okm, 42);
	assert_string_equal("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec"
			    "3454e5f3c738d2d9d201395faa4b61a96c8",
			    hex);
	assert_int_equal(
		SSM_OK, ssm_crypto_hkdf_sha256(okm, 42, "", 0, ikm, 22, "", 0));
	tohex(hex, okm, 42);
	assert_string_equal("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec"
			    "3454e5f3c738d2d9d201395faa4b61a96c8",
			    hex);
}

static void hkdf_refuses_too_long_output(void **state)
{
	static uint8_t okm[255 * 32 + 1];

	(void)state;
	assert_int_equal(SSM_OK, ssm_crypto_hkdf_sha256(okm, 255 * 32, NULL, 0,
							"k", 1, NULL, 0));
	assert_int_equal(SSM_EINVALID,
			 ssm_crypto_hkdf_sha256(okm, sizeof(okm), NULL, 0, "k",
						1, NULL, 0));
	assert_error(SSM_EINVALID, SSM_ERRCLASS_CRYPTO, NULL,
		     "hkdf output of 8161 bytes is too long (at most 8160)");
	assert_int_equal(SSM_EINVALID, ssm_crypto_hkdf_sha256(NULL, 1, NULL, 0,
							      "k", 1, NULL, 0));
	assert_string_equal("invalid argument: 'out || out_len == 0'",
			    ssm_error_last()->message);
}

/* The GCM specification's AES-256 test cases 13, 14 and 16. */
static void gcm_known_answers(void **state)
{
	static const struct {
		const char *key, *iv, *pt, *aad, *ct, *tag;
	} v[] = {
		{ "00000000000000000000000000000000000000000000000000000000000"
		  "00000",
		  "000000000000000000000000", "", "", "",
		  "530f8afbc74536b9a963b4f1c4cb738b" },
		{ "00000000000000000000000000000000000000000000000000000000000"
		  "00000",
		  "000000000000000000000000",
		  "00000000000000000000000000000000", "",
		  "cea7403d4d606b6e074ec5d3baf39d18",
		  "d0d1c8a799996bf0265b98b5d48ab919" },
		{ "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467"
		  "308308",
		  "cafebabefacedbaddecaf888",
		  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a"
		  "318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba63"
		  "7b39",
		  "feedfacedeadbeeffeedfacedeadbeefabaddad2",
		  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd25"
		  "55d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9"
		  "f662",
		  "76fc6ece0f4e1768cddf8853bb2d551b" },
	};
	uint8_t key[32], iv[12], pt[64], aad[32], ct[64], tag[16], out[64];
	char hex[129];
	size_t i, n, alen;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		unhex(key, v[i].key);
		unhex(iv, v[i].iv);
		n = unhex(pt, v[i].pt);
		alen = unhex(aad, v[i].aad);
		assert_int_equal(SSM_OK,
				 ssm_crypto_gcm_encrypt(ct, tag, key, iv, aad,
							alen, pt, n));
		tohex(hex, ct, n);
		assert_string_equal(v[i].ct, hex);
		tohex(hex, tag, 16);
		assert_string_equal(v[i].tag, hex);
		assert_int_equal(SSM_OK,
				 ssm_crypto_gcm_decrypt(out, key, iv, aad, alen,
							ct, n, tag));
		assert_memory_equal(pt, out, n);
		/* in place */
		memcpy(out, pt, n);
		assert_int_equal(SSM_OK,
				 ssm_crypto_gcm_encrypt(out, tag, key, iv, aad,
							alen, out, n));
		assert_memory_equal(ct, out, n);
	}
}

static void gcm_decrypt_detects_every_change(void **state)
{
	uint8_t key[32], iv[12], aad[8] = "context", pt[40], ct[40], tag[16];
	uint8_t out[40], zero[40] = { 0 };
	size_t i;
	int bit;

	(void)state;
	memset(key, 7, sizeof(key));
	memset(iv, 9, sizeof(iv));
	memset(pt, 'p', sizeof(pt));
	assert_int_equal(SSM_OK,
			 ssm_crypto_gcm_encrypt(ct, tag, key, iv, aad,
						sizeof(aad), pt, sizeof(pt)));
	for (i = 0; i < sizeof(ct); i++) {
		for (bit = 0; bit < 8; bit++) {
			ct[i] ^= (uint8_t)(1 << bit);
			memset(out, 0xee, sizeof(out));
			assert_int_equal(SSM_EAUTH,
					 ssm_crypto_gcm_decrypt(
						 out, key, iv, aad, sizeof(aad),
						 ct, sizeof(ct), tag));
			/* nothing of the forged plaintext is left */
			assert_memory_equal(zero, out, sizeof(out));
			ct[i] ^= (uint8_t)(1 << bit);
		}
	}
	assert_error(SSM_EAUTH, SSM_ERRCLASS_CRYPTO, NULL,
		     "ciphertext failed authentication");
	tag[15] ^= 1;
	assert_int_equal(SSM_EAUTH,
			 ssm_crypto_gcm_decrypt(out, key, iv, aad, sizeof(aad),
						ct, sizeof(ct), tag));
	tag[15] ^= 1;
	iv[0] ^= 1;
	assert_int_equal(SSM_EAUTH,
			 ssm_crypto_gcm_decrypt(out, key, iv, aad, sizeof(aad),
						ct, sizeof(ct), tag));
	iv[0] ^= 1;
	assert_int_equal(SSM_EAUTH, ssm_crypto_gcm_decrypt(out, key, iv, aad,
							   sizeof(aad) - 1, ct,
							   sizeof(ct), tag));
	key[31] ^= 0x80;
	assert_int_equal(SSM_EAUTH,
			 ssm_crypto_gcm_decrypt(out, key, iv, aad, sizeof(aad),
						ct, sizeof(ct), tag));
	key[31] ^= 0x80;
	assert_int_equal(SSM_OK,
			 ssm_crypto_gcm_decrypt(out, key, iv, aad, sizeof(aad),
						ct, sizeof(ct), tag));
	assert_memory_equal(pt, out, sizeof(pt));
}

static void seal_and_open_round_trip(void **state)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 100, 4096 };
	static uint8_t pt[4096], blob[4096 + SSM_SEAL_OVERHEAD],
		blob2[4096 + SSM_SEAL_OVERHEAD], out[4096];
	uint8_t key[32];
	size_t i, n, m;

	(void)state;
	memset(key, 0x42, sizeof(key));
	for (i = 0; i < sizeof(pt); i++)
		pt[i] = (uint8_t)(i * 7);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		assert_int_equal(SSM_OK,
				 ssm_crypto_seal(blob, &n, sizeof(blob), key,
						 "arn", 3, pt, sizes[i]));
		assert_int_equal(sizes[i] + SSM_SEAL_OVERHEAD, n);
		assert_int_equal(SSM_SEAL_VERSION, blob[0]);
		assert_int_equal(SSM_OK,
				 ssm_crypto_seal(blob2, &m, sizeof(blob2), key,
						 "arn", 3, pt, sizes[i]));
		/* a fresh random nonce every time */
		assert_memory_not_equal(blob + 1, blob2 + 1, SSM_GCM_NONCE_LEN);
		assert_int_equal(SSM_OK, ssm_crypto_open(out, &m, sizes[i], key,
							 "arn", 3, blob, n));
		assert_int_equal(sizes[i], m);
		if (m)
			assert_memory_equal(pt, out, m);
	}
	/* without AAD */
	assert_int_equal(SSM_OK, ssm_crypto_seal(blob, &n, sizeof(blob), key,
						 NULL, 0, "x", 1));
	assert_int_equal(SSM_OK, ssm_crypto_open(out, &m, sizeof(out), key,
						 NULL, 0, blob, n));
	assert_int_equal(1, m);
	assert_int_equal('x', out[0]);
}

static void open_fails_authentication_on_any_tamper(void **state)
{
	uint8_t key[32], blob[64 + SSM_SEAL_OVERHEAD], out[64];
	const char *aad = "arn:aws:ssm:us-east-1:123456789012:parameter/a";
	size_t n, m, i;
	int bit;

	(void)state;
	memset(key, 1, sizeof(key));
	assert_int_equal(SSM_OK,
			 ssm_crypto_seal(blob, &n, sizeof(blob), key, aad,
					 strlen(aad), "secret value", 12));
	/* every bit after the version byte: nonce, ciphertext, tag */
	for (i = 1; i < n; i++) {
		for (bit = 0; bit < 8; bit++) {
			blob[i] ^= (uint8_t)(1 << bit);
			assert_int_equal(SSM_EAUTH,
					 ssm_crypto_open(out, &m, sizeof(out),
							 key, aad, strlen(aad),
							 blob, n));
			assert_int_equal(0, m);
			assert_error(SSM_EAUTH, SSM_ERRCLASS_CRYPTO, NULL,
				     "ciphertext failed authentication");
			blob[i] ^= (uint8_t)(1 << bit);
		}
	}
	/* wrong AAD, missing AAD, wrong key */
	assert_int_equal(SSM_EAUTH, ssm_crypto_open(out, &m, sizeof(out), key,
						    "arn:other", 9, blob, n));
	assert_int_equal(SSM_EAUTH, ssm_crypto_open(out, &m, sizeof(out), key,
						    NULL, 0, blob, n));
	key[0] ^= 1;
	assert_int_equal(SSM_EAUTH, ssm_crypto_open(out, &m, sizeof(out), key,
						    aad, strlen(aad), blob, n));
	key[0] ^= 1;
	/* a blob sealed without AAD does not open with one */
	assert_int_equal(SSM_OK, ssm_crypto_seal(blob, &n, sizeof(blob), key,
						 NULL, 0, "v", 1));
	assert_int_equal(SSM_EAUTH, ssm_crypto_open(out, &m, sizeof(out), key,
						    "a", 1, blob, n));
}

static void open_rejects_truncated_or_garbled_blobs(void **state)
{
	uint8_t key[32], blob[16 + SSM_SEAL_OVERHEAD], out[16];
	char msg[128];
	size_t n, m, len;

	(void)state;
	memset(key, 3, sizeof(key));
	assert_int_equal(SSM_OK,
			 ssm_crypto_seal(blob, &n, sizeof(blob), key, NULL, 0,
					 "0123456789abcdef", 16));
	for (len = 0; len < SSM_SEAL_OVERHEAD; len++) {
		assert_int_equal(SSM_EINVALID,
				 ssm_crypto_open(out, &m, sizeof(out), key,
						 NULL, 0, blob, len));
		snprintf(msg, sizeof(msg),
			 "sealed ciphertext is truncated (%zu bytes, at least "
			 "29 needed)",
			 len);
		assert_error(SSM_EINVALID, SSM_ERRCLASS_CRYPTO, NULL, msg);
	}
	/* cut inside the ciphertext: it no longer authenticates */
	assert_int_equal(SSM_EAUTH, ssm_crypto_open(out, &m, sizeof(out), key,
						    NULL, 0, blob, n - 1));
	blob[0] = 2;
	assert_int_equal(SSM_EINVALID, ssm_crypto_open(out, &m, sizeof(out),
						       key, NULL, 0, blob, n));
	assert_error(SSM_EINVALID, SSM_ERRCLASS_CRYPTO, NULL,
		     "sealed ciphertext has unknown format version 2");
	blob[0] = SSM_SEAL_VERSION;
	assert_int_equal(SSM_EINVALID,
			 ssm_crypto_open(out, &m, 15, key, NULL, 0, blob, n));
	assert_error(SSM_EINVALID, SSM_ERRCLASS_CRYPTO, NULL,
		     "opening 45 bytes of ciphertext needs 16 bytes of "
		     "output, not 15");
	assert_int_equal(SSM_EINVALID,
			 ssm_crypto_seal(blob, &n, 44, key, NULL, 0,
					 "0123456789abcdef", 16));
	assert_error(SSM_EINVALID, SSM_ERRCLASS_CRYPTO, NULL,
		     "sealing 16 bytes needs 45 bytes of output, not 44");
	assert_int_equal(SSM_EINVALID,
			 ssm_crypto_open(out, NULL, 16, key, NULL, 0, blob, n));
	assert_string_equal("invalid argument: 'len_out'",
			    ssm_error_last()->message);
}

static void seal_str_and_open_str_survive_allocation_failures(void **state)
{
	uint8_t key[32];
	ssm_str blob = SSM_STR_INIT, plain = SSM_STR_INIT;
	uint64_t nth;
	ssm_err error;

	(void)state;
	memset(key, 5, sizeof(key));
	for (nth = 1;; nth++) {
		ssm__alloc_fail_at(nth, false);
		error = ssm_crypto_seal_str(&blob, key, "a", 1, "hello", 5);
		ssm__alloc_fail_at(0, false);
		if (error == SSM_OK)
			break;
		assert_int_equal(SSM_ERROR, error);
		assert_string_equal("out of memory", ssm_error_last()->message);
		assert_int_equal(0, blob.size);
	}
	assert_int_equal(5 + SSM_SEAL_OVERHEAD, blob.size);
	for (nth = 1;; nth++) {
		ssm__alloc_fail_at(nth, false);
		error = ssm_crypto_open_str(&plain, key, "a", 1, blob.ptr,
					    blob.size);
		ssm__alloc_fail_at(0, false);
		if (error == SSM_OK)
			break;
		assert_int_equal(SSM_ERROR, error);
		assert_int_equal(0, plain.size);
	}
	assert_int_equal(5, plain.size);
	assert_string_equal("hello", plain.ptr);
	/* appends; a failing open leaves what was there */
	blob.ptr[blob.size - 1] ^= 1;
	assert_int_equal(SSM_EAUTH, ssm_crypto_open_str(&plain, key, "a", 1,
							blob.ptr, blob.size));
	assert_string_equal("hello", plain.ptr);
	ssm_str_dispose(&blob);
	ssm_str_dispose_secure(&plain);
}

static void random_fills_buffers_of_any_size(void **state)
{
	static uint8_t big[5000], zero[5000];
	uint8_t a[32], b[32];
	size_t i, nonzero = 0;

	(void)state;
	assert_int_equal(SSM_OK, ssm_crypto_random(a, sizeof(a)));
	assert_int_equal(SSM_OK, ssm_crypto_random(b, sizeof(b)));
	assert_memory_not_equal(a, b, sizeof(a));
	/* more than one DRBG request (1024 bytes) */
	assert_int_equal(SSM_OK, ssm_crypto_random(big, sizeof(big)));
	assert_memory_not_equal(big + 4000, zero, 1000);
	for (i = 0; i < sizeof(big); i++)
		nonzero += big[i] != 0;
	assert_true(nonzero > 4900);
	assert_int_equal(SSM_OK, ssm_crypto_random(NULL, 0));
	assert_int_equal(SSM_EINVALID, ssm_crypto_random(NULL, 1));
	/* after a cleanup (the last ssm_shutdown) it seeds itself again */
	ssm_crypto__random_cleanup();
	ssm_crypto__random_cleanup();
	assert_int_equal(SSM_OK, ssm_crypto_random(a, sizeof(a)));
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(SSM_OK, ssm_init());
	assert_int_equal(SSM_OK, ssm_shutdown());
	assert_int_equal(SSM_OK, ssm_crypto_random(b, sizeof(b)));
	assert_memory_not_equal(a, b, sizeof(a));
}

static void child_random(int fd)
{
	uint8_t v[32];

	if (ssm_crypto_random(v, sizeof(v)) != SSM_OK ||
	    write(fd, v, sizeof(v)) != (ssize_t)sizeof(v))
		_exit(1);
	_exit(0);
}

static void random_differs_in_a_forked_child(void **state)
{
	uint8_t parent[32], child1[32], child2[32];
	int fds[2], status;
	pid_t pid;

	(void)state;
	/* the DRBG must be seeded before fork for this to mean anything */
	assert_int_equal(SSM_OK, ssm_crypto_random(parent, sizeof(parent)));
	assert_int_equal(0, pipe(fds));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child_random(fds[1]);
	assert_int_equal(pid, waitpid(pid, &status, 0));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(32, read(fds[0], child1, 32));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child_random(fds[1]);
	assert_int_equal(pid, waitpid(pid, &status, 0));
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(32, read(fds[0], child2, 32));
	close(fds[0]);
	close(fds[1]);
	/* without a reseed the parent's next output equals each child's */
	assert_int_equal(SSM_OK, ssm_crypto_random(parent, sizeof(parent)));
	assert_memory_not_equal(parent, child1, 32);
	assert_memory_not_equal(parent, child2, 32);
	assert_memory_not_equal(child1, child2, 32);
}

#define IDS_PER_THREAD 25000
#define ID_THREADS 4

static void *make_uuids(void *arg)
{
	char(*ids)[SSM_UUID_SIZE] = arg;
	size_t i;

	for (i = 0; i < IDS_PER_THREAD; i++)
		if (ssm_id_uuid4(ids[i]) != SSM_OK)
			return arg;
	return NULL;
}

static int compare_ids(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void uuids_have_the_v4_shape_and_are_unique(void **state)
{
	char(*ids)[SSM_UUID_SIZE];
	pthread_t threads[ID_THREADS];
	size_t i, n = (size_t)IDS_PER_THREAD * ID_THREADS;
	void *rv;

	(void)state;
	ids = calloc(n, SSM_UUID_SIZE);
	assert_non_null(ids);
	/* 100,000 ids from four threads at once */
	for (i = 0; i < ID_THREADS; i++)
		assert_int_equal(0,
				 pthread_create(&threads[i], NULL, make_uuids,
						ids + i * IDS_PER_THREAD));
	for (i = 0; i < ID_THREADS; i++) {
		assert_int_equal(0, pthread_join(threads[i], &rv));
		assert_null(rv);
	}
	for (i = 0; i < n; i++) {
		const char *s = ids[i];

		assert_int_equal(36, strlen(s));
		assert_true(ssm_id_is_uuid(s));
		assert_int_equal('4', s[14]);
		assert_non_null(strchr("89ab", s[19]));
		assert_int_equal(strspn(s, "0123456789abcdef-"), 36);
	}
	qsort(ids, n, SSM_UUID_SIZE, compare_ids);
	for (i = 1; i < n; i++)
		assert_string_not_equal(ids[i - 1], ids[i]);
	free(ids);
}

static void node_ids_have_the_mi_shape_and_are_unique(void **state)
{
	char(*ids)[SSM_NODE_ID_SIZE];
	size_t i, n = 100000;

	(void)state;
	ids = calloc(n, SSM_NODE_ID_SIZE);
	assert_non_null(ids);
	for (i = 0; i < n; i++) {
		assert_int_equal(SSM_OK, ssm_id_node(ids[i]));
		assert_int_equal(20, strlen(ids[i]));
		assert_true(ssm_id_is_node(ids[i]));
		assert_true(ssm_id_is_instance(ids[i]));
	}
	qsort(ids, n, SSM_NODE_ID_SIZE, compare_ids);
	for (i = 1; i < n; i++)
		assert_string_not_equal(ids[i - 1], ids[i]);
	free(ids);
}

static void session_ids_name_their_owner(void **state)
{
	char id[SSM_SESSION_ID_SIZE], owner[200];

	(void)state;
	assert_int_equal(SSM_OK, ssm_id_session(id, "alice"));
	assert_int_equal(5 + 1 + 17, strlen(id));
	assert_memory_equal("alice-", id, 6);
	assert_true(ssm_id_is_session(id));
	assert_int_equal(SSM_OK, ssm_id_session(id, NULL));
	assert_memory_equal("session-", id, 8);
	assert_int_equal(SSM_OK, ssm_id_session(id, ""));
	assert_memory_equal("session-", id, 8);
	/* odd characters become '-', long owners are cut to fit 96 */
	assert_int_equal(SSM_OK, ssm_id_session(id, "bob smith/ops\n"));
	assert_memory_equal("bob-smith-ops--", id, 15);
	assert_true(ssm_id_is_session(id));
	memset(owner, 'x', sizeof(owner) - 1);
	owner[sizeof(owner) - 1] = '\0';
	assert_int_equal(SSM_OK, ssm_id_session(id, owner));
	assert_int_equal(96, strlen(id));
	assert_true(ssm_id_is_session(id));
	assert_int_equal(SSM_OK, ssm_id_session(id, "user@example.com"));
	assert_true(ssm_id_is_session(id));
	assert_int_equal(SSM_EINVALID, ssm_id_session(NULL, "x"));
	assert_int_equal(SSM_EINVALID, ssm_id_uuid4(NULL));
	assert_int_equal(SSM_EINVALID, ssm_id_node(NULL));
	assert_string_equal("invalid argument: 'out'",
			    ssm_error_last()->message);
}

static void id_validators_accept_only_their_shape(void **state)
{
	(void)state;
	assert_true(ssm_id_is_uuid("3b1c2f9e-0d4a-4c6e-9b7a-1f2e3d4c5b6a"));
	assert_true(ssm_id_is_uuid("3B1C2F9E-0D4A-4C6E-9B7A-1F2E3D4C5B6A"));
	assert_false(ssm_id_is_uuid("3b1c2f9e-0d4a-4c6e-9b7a-1f2e3d4c5b6"));
	assert_false(ssm_id_is_uuid("3b1c2f9e-0d4a-4c6e-9b7a-1f2e3d4c5b6aa"));
	assert_false(ssm_id_is_uuid("3b1c2f9e0d4a-4c6e-9b7a-1f2e3d4c5b6a-"));
	assert_false(ssm_id_is_uuid("3b1c2f9e-0d4a-4c6e-9b7a-1f2e3d4c5b6g"));
	assert_false(ssm_id_is_uuid(""));
	assert_false(ssm_id_is_uuid(NULL));

	assert_true(ssm_id_is_node("mi-0123456789abcdef0"));
	assert_false(ssm_id_is_node("mi-0123456789ABCDEF0"));
	assert_false(ssm_id_is_node("mi-0123456789abcdef"));
	assert_false(ssm_id_is_node("mi-0123456789abcdef01"));
	assert_false(ssm_id_is_node("i-0123456789abcdef0"));
	assert_false(ssm_id_is_node("mi-0123456789abcdeg0"));
	assert_false(ssm_id_is_node(NULL));

	assert_true(ssm_id_is_instance("i-1234abcd"));
	assert_true(ssm_id_is_instance("i-0123456789abcdef0"));
	assert_true(ssm_id_is_instance("mi-0123456789ABCDEF0"));
	assert_true(ssm_id_is_instance("mi-0123456789abcde_0"));
	assert_false(ssm_id_is_instance("i-1234abc"));
	assert_false(ssm_id_is_instance("i-0123456789abcdef"));
	assert_false(ssm_id_is_instance("mi-1234abcd"));
	assert_false(ssm_id_is_instance("i-1234abc-"));
	assert_false(ssm_id_is_instance("x-1234abcd"));
	assert_false(ssm_id_is_instance(NULL));

	assert_true(ssm_id_is_session("a-0123456789abcdef0"));
	assert_false(ssm_id_is_session("-0123456789abcdef0"));
	assert_false(ssm_id_is_session("a_0123456789abcdef0"));
	assert_false(ssm_id_is_session("a-0123456789abcdeF0"));
	assert_false(ssm_id_is_session("a b-0123456789abcdef0"));
	assert_false(ssm_id_is_session(NULL));
}

static void equal_and_zeroize(void **state)
{
	uint8_t a[33], b[33], z[33] = { 0 };

	(void)state;
	memset(a, 'k', sizeof(a));
	memcpy(b, a, sizeof(a));
	assert_true(ssm_crypto_equal(a, b, sizeof(a)));
	assert_true(ssm_crypto_equal(a, b, 0));
	b[32] ^= 1;
	assert_false(ssm_crypto_equal(a, b, sizeof(a)));
	assert_true(ssm_crypto_equal(a, b, 32));
	b[0] ^= 0x80;
	assert_false(ssm_crypto_equal(a, b, 32));
	ssm__zeroize(a, sizeof(a));
	assert_memory_equal(z, a, sizeof(a));
	ssm__zeroize(NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_known_answers),
		cmocka_unit_test(sha256_streaming_matches_one_shot),
		cmocka_unit_test(hmac_rfc4231_vectors),
		cmocka_unit_test(hmac_streaming_and_copied_state),
		cmocka_unit_test(hkdf_rfc5869_vectors),
		cmocka_unit_test(hkdf_refuses_too_long_output),
		cmocka_unit_test(gcm_known_answers),
		cmocka_unit_test(gcm_decrypt_detects_every_change),
		cmocka_unit_test(seal_and_open_round_trip),
		cmocka_unit_test(open_fails_authentication_on_any_tamper),
		cmocka_unit_test(open_rejects_truncated_or_garbled_blobs),
		cmocka_unit_test(
			seal_str_and_open_str_survive_allocation_failures),
		cmocka_unit_test(random_fills_buffers_of_any_size),
		cmocka_unit_test(random_differs_in_a_forked_child),
		cmocka_unit_test(uuids_have_the_v4_shape_and_are_unique),
		cmocka_unit_test(node_ids_have_the_mi_shape_and_are_unique),
		cmocka_unit_test(session_ids_name_their_owner),
		cmocka_unit_test(id_validators_accept_only_their_shape),
		cmocka_unit_test(equal_and_zeroize),
	};

	return cmocka_run_group_tests_name("crypto", tests, NULL, NULL);
}
