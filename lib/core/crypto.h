/* SPDX-License-Identifier: Apache-2.0 */
/* Cryptographic helpers on mbedTLS: SHA-256, HMAC-SHA256, HKDF-SHA256,
 * AES-256-GCM (raw and a self-describing sealed blob), a process-wide
 * CTR-DRBG, constant-time comparison. Secrets go through ssm__zeroize. */
#ifndef SSM_CORE_CRYPTO_H
#define SSM_CORE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/sha256.h>

#include "ssm/errors.h"
#include "core/str.h"

#define SSM_SHA256_LEN 32
#define SSM_SHA256_HEX_LEN 64
#define SSM_HMAC_SHA256_LEN 32
#define SSM_AES256_KEY_LEN 32
#define SSM_GCM_NONCE_LEN 12
#define SSM_GCM_TAG_LEN 16

/* Streaming SHA-256. */
typedef struct ssm_sha256 {
	mbedtls_sha256_context ctx;
} ssm_sha256;

void ssm_crypto_sha256(uint8_t out[SSM_SHA256_LEN], const void *data,
		       size_t len);
/* Lower-case hex digest into @out (65 chars with the NUL). */
void ssm_crypto_sha256_hex(char out[SSM_SHA256_HEX_LEN + 1], const void *data,
			   size_t len);
void ssm_crypto_sha256_init(ssm_sha256 *h);
void ssm_crypto_sha256_update(ssm_sha256 *h, const void *data, size_t len);
/* Write the digest and wipe the state (init again to reuse). */
void ssm_crypto_sha256_final(ssm_sha256 *h, uint8_t out[SSM_SHA256_LEN]);

/* HMAC-SHA256 (RFC 2104) on the SHA-256 above: no allocation, cannot
 * fail. A keyed state may be copied to MAC several messages. */
typedef struct ssm_hmac_sha256 {
	mbedtls_sha256_context inner;
	mbedtls_sha256_context outer;
} ssm_hmac_sha256;

void ssm_crypto_hmac_sha256(uint8_t out[SSM_HMAC_SHA256_LEN], const void *key,
			    size_t key_len, const void *data, size_t len);
void ssm_crypto_hmac_sha256_init(ssm_hmac_sha256 *h, const void *key,
				 size_t key_len);
void ssm_crypto_hmac_sha256_update(ssm_hmac_sha256 *h, const void *data,
				   size_t len);
/* Write the MAC and wipe the state. */
void ssm_crypto_hmac_sha256_final(ssm_hmac_sha256 *h,
				  uint8_t out[SSM_HMAC_SHA256_LEN]);

/* HKDF-SHA256 (RFC 5869), extract then expand into @out_len bytes
 * (at most 255 * 32: SSM_EINVALID beyond). @salt may be NULL (all zeros). */
ssm_err ssm_crypto_hkdf_sha256(void *out, size_t out_len, const void *salt,
			       size_t salt_len, const void *ikm, size_t ikm_len,
			       const void *info, size_t info_len);

/* Fill @out with @len bytes from the process-wide CTR-DRBG (mbedTLS
 * entropy, seeded on first use, thread-safe, reseeded in a forked child).
 * SSM_ERROR (class CRYPTO) if the entropy source fails. */
ssm_err ssm_crypto_random(void *out, size_t len);
/* Wipe and release the DRBG; the next ssm_crypto_random() seeds afresh.
 * Called by the last ssm_shutdown(). */
void ssm_crypto__random_cleanup(void);

/* Constant-time comparison of two @len-byte buffers: true when equal. */
bool ssm_crypto_equal(const void *a, const void *b, size_t len);

/* AES-256-GCM with a 12-byte nonce and a 16-byte tag. Encryption may work
 * in place (@ct_out == @pt); decryption may not overlap. On failure the
 * decrypted output is wiped. ssm_crypto_gcm_decrypt returns SSM_EAUTH
 * (class CRYPTO, "ciphertext failed authentication") for a wrong key, AAD,
 * nonce, tag or any changed byte. */
ssm_err ssm_crypto_gcm_encrypt(void *ct_out, uint8_t tag_out[SSM_GCM_TAG_LEN],
			       const uint8_t key[SSM_AES256_KEY_LEN],
			       const uint8_t nonce[SSM_GCM_NONCE_LEN],
			       const void *aad, size_t aad_len, const void *pt,
			       size_t len);
ssm_err ssm_crypto_gcm_decrypt(void *pt_out,
			       const uint8_t key[SSM_AES256_KEY_LEN],
			       const uint8_t nonce[SSM_GCM_NONCE_LEN],
			       const void *aad, size_t aad_len, const void *ct,
			       size_t len, const uint8_t tag[SSM_GCM_TAG_LEN]);

/* Sealed blob: version (1 byte, SSM_SEAL_VERSION) || random nonce (12) ||
 * ciphertext (as long as the plaintext) || tag (16). The version byte
 * selects the format; any other value is refused, so it needs no MAC. */
#define SSM_SEAL_VERSION 1
#define SSM_SEAL_OVERHEAD (1 + SSM_GCM_NONCE_LEN + SSM_GCM_TAG_LEN)

/* Seal @pt_len bytes into @out (@out_size >= @pt_len + SSM_SEAL_OVERHEAD);
 * *@len_out gets the blob size. SSM_EINVALID when @out is too small. */
ssm_err ssm_crypto_seal(void *out, size_t *len_out, size_t out_size,
			const uint8_t key[SSM_AES256_KEY_LEN], const void *aad,
			size_t aad_len, const void *pt, size_t pt_len);
/* Open a sealed blob into @out (@out_size >= blob_len - overhead).
 * SSM_EINVALID (class CRYPTO) for a truncated blob or unknown version,
 * SSM_EAUTH (class CRYPTO, "ciphertext failed authentication") when it
 * does not authenticate: tampering, wrong key or wrong AAD. */
ssm_err ssm_crypto_open(void *out, size_t *len_out, size_t out_size,
			const uint8_t key[SSM_AES256_KEY_LEN], const void *aad,
			size_t aad_len, const void *blob, size_t blob_len);
/* The same, appending to an ssm_str (dispose an opened plaintext with
 * ssm_str_dispose_secure). */
ssm_err ssm_crypto_seal_str(ssm_str *out, const uint8_t key[SSM_AES256_KEY_LEN],
			    const void *aad, size_t aad_len, const void *pt,
			    size_t pt_len);
ssm_err ssm_crypto_open_str(ssm_str *out, const uint8_t key[SSM_AES256_KEY_LEN],
			    const void *aad, size_t aad_len, const void *blob,
			    size_t blob_len);

#endif
