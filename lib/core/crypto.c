/* SPDX-License-Identifier: Apache-2.0 */
#include "core/crypto.h"

#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/cipher.h>
#include <mbedtls/constant_time.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/gcm.h>

#include "core/alloc.h"
#include "core/error.h"

#define SHA256_BLOCK 64

static ssm_err mbedtls_failure(int rc, const char *what);

void ssm_crypto_sha256(uint8_t out[SSM_SHA256_LEN], const void *data,
		       size_t len)
{
	/* cannot fail without a hardware-accelerated (ALT) build */
	(void)mbedtls_sha256_ret(data, len, out, 0);
}

void ssm_crypto_sha256_hex(char out[SSM_SHA256_HEX_LEN + 1], const void *data,
			   size_t len)
{
	static const char hx[] = "0123456789abcdef";
	uint8_t d[SSM_SHA256_LEN];
	size_t i;

	ssm_crypto_sha256(d, data, len);
	for (i = 0; i < SSM_SHA256_LEN; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[SSM_SHA256_HEX_LEN] = '\0';
}

void ssm_crypto_sha256_init(ssm_sha256 *h)
{
	mbedtls_sha256_init(&h->ctx);
	(void)mbedtls_sha256_starts_ret(&h->ctx, 0);
}

void ssm_crypto_sha256_update(ssm_sha256 *h, const void *data, size_t len)
{
	(void)mbedtls_sha256_update_ret(&h->ctx, data, len);
}

void ssm_crypto_sha256_final(ssm_sha256 *h, uint8_t out[SSM_SHA256_LEN])
{
	(void)mbedtls_sha256_finish_ret(&h->ctx, out);
	mbedtls_sha256_free(&h->ctx); /* wipes */
}

void ssm_crypto_hmac_sha256(uint8_t out[SSM_HMAC_SHA256_LEN], const void *key,
			    size_t key_len, const void *data, size_t len)
{
	ssm_hmac_sha256 h;

	ssm_crypto_hmac_sha256_init(&h, key, key_len);
	ssm_crypto_hmac_sha256_update(&h, data, len);
	ssm_crypto_hmac_sha256_final(&h, out);
}

void ssm_crypto_hmac_sha256_init(ssm_hmac_sha256 *h, const void *key,
				 size_t key_len)
{
	uint8_t k[SHA256_BLOCK] = { 0 }, pad[SHA256_BLOCK];
	size_t i;

	/* RFC 2104: keys longer than a block are hashed first */
	if (key_len > SHA256_BLOCK)
		ssm_crypto_sha256(k, key, key_len);
	else if (key_len)
		memcpy(k, key, key_len);
	mbedtls_sha256_init(&h->inner);
	mbedtls_sha256_init(&h->outer);
	(void)mbedtls_sha256_starts_ret(&h->inner, 0);
	(void)mbedtls_sha256_starts_ret(&h->outer, 0);
	for (i = 0; i < SHA256_BLOCK; i++)
		pad[i] = k[i] ^ 0x36;
	(void)mbedtls_sha256_update_ret(&h->inner, pad, SHA256_BLOCK);
	for (i = 0; i < SHA256_BLOCK; i++)
		pad[i] = k[i] ^ 0x5c;
	(void)mbedtls_sha256_update_ret(&h->outer, pad, SHA256_BLOCK);
	ssm__zeroize(k, sizeof(k));
	ssm__zeroize(pad, sizeof(pad));
}

void ssm_crypto_hmac_sha256_update(ssm_hmac_sha256 *h, const void *data,
				   size_t len)
{
	(void)mbedtls_sha256_update_ret(&h->inner, data, len);
}

void ssm_crypto_hmac_sha256_final(ssm_hmac_sha256 *h,
				  uint8_t out[SSM_HMAC_SHA256_LEN])
{
	uint8_t d[SSM_SHA256_LEN];

	(void)mbedtls_sha256_finish_ret(&h->inner, d);
	(void)mbedtls_sha256_update_ret(&h->outer, d, sizeof(d));
	(void)mbedtls_sha256_finish_ret(&h->outer, out);
	mbedtls_sha256_free(&h->inner);
	mbedtls_sha256_free(&h->outer);
	ssm__zeroize(d, sizeof(d));
}

ssm_err ssm_crypto_hkdf_sha256(void *out, size_t out_len, const void *salt,
			       size_t salt_len, const void *ikm, size_t ikm_len,
			       const void *info, size_t info_len)
{
	static const uint8_t zeros[SSM_SHA256_LEN];
	uint8_t prk[SSM_SHA256_LEN], t[SSM_SHA256_LEN];
	uint8_t *o = out;
	size_t done = 0;
	uint8_t counter = 0;

	SSM_ASSERT_ARG(out || out_len == 0);
	SSM_ASSERT_ARG(ikm || ikm_len == 0);
	SSM_ASSERT_ARG(info || info_len == 0);
	if (out_len > 255 * SSM_SHA256_LEN)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_CRYPTO, NULL,
				      "hkdf output of %zu bytes is too long "
				      "(at most %d)",
				      out_len, 255 * SSM_SHA256_LEN);
	if (!salt) {
		salt = zeros;
		salt_len = sizeof(zeros);
	}
	/* extract */
	ssm_crypto_hmac_sha256(prk, salt, salt_len, ikm, ikm_len);
	/* expand: T(i) = HMAC(PRK, T(i-1) || info || i) */
	while (done < out_len) {
		ssm_hmac_sha256 h;
		size_t n = out_len - done;

		counter++;
		ssm_crypto_hmac_sha256_init(&h, prk, sizeof(prk));
		if (counter > 1)
			ssm_crypto_hmac_sha256_update(&h, t, sizeof(t));
		ssm_crypto_hmac_sha256_update(&h, info, info_len);
		ssm_crypto_hmac_sha256_update(&h, &counter, 1);
		ssm_crypto_hmac_sha256_final(&h, t);
		if (n > sizeof(t))
			n = sizeof(t);
		memcpy(o + done, t, n);
		done += n;
	}
	ssm__zeroize(prk, sizeof(prk));
	ssm__zeroize(t, sizeof(t));
	return SSM_OK;
}

/* The process-wide DRBG. The lock is held across fork() (atfork handlers),
 * so a child never inherits it locked; the child reseeds on its first use
 * because its pid differs from the one recorded at seeding. */
static pthread_mutex_t rng_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t rng_atfork_once = PTHREAD_ONCE_INIT;
static mbedtls_entropy_context rng_entropy;
static mbedtls_ctr_drbg_context rng_drbg;
static bool rng_ready;
static pid_t rng_pid;

static void rng_prepare(void)
{
	pthread_mutex_lock(&rng_lock);
}

static void rng_release(void)
{
	pthread_mutex_unlock(&rng_lock);
}

static void rng_register_atfork(void)
{
	pthread_atfork(rng_prepare, rng_release, rng_release);
}

/* Called with rng_lock held. */
static ssm_err rng_ensure_seeded(void)
{
	struct {
		char tag[8];
		pid_t pid;
		struct timespec ts;
	} pers;
	pid_t pid = getpid();
	int rc;

	if (rng_ready && rng_pid == pid)
		return SSM_OK;
	if (rng_ready) {
		/* a forked child: mix in fresh entropy before any output */
		rc = mbedtls_ctr_drbg_reseed(
			&rng_drbg, (const unsigned char *)&pid, sizeof(pid));
		if (rc != 0)
			return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_CRYPTO,
					      NULL,
					      "random source could not be "
					      "reseeded (mbedtls error "
					      "-0x%04x)",
					      (unsigned)-rc);
		rng_pid = pid;
		return SSM_OK;
	}
	memset(&pers, 0, sizeof(pers));
	memcpy(pers.tag, "libssm", 6);
	pers.pid = pid;
	clock_gettime(CLOCK_REALTIME, &pers.ts);
	mbedtls_entropy_init(&rng_entropy);
	mbedtls_ctr_drbg_init(&rng_drbg);
	rc = mbedtls_ctr_drbg_seed(&rng_drbg, mbedtls_entropy_func,
				   &rng_entropy, (const unsigned char *)&pers,
				   sizeof(pers));
	if (rc != 0) {
		mbedtls_ctr_drbg_free(&rng_drbg);
		mbedtls_entropy_free(&rng_entropy);
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_CRYPTO, NULL,
				      "random source could not be seeded "
				      "(mbedtls error -0x%04x)",
				      (unsigned)-rc);
	}
	rng_ready = true;
	rng_pid = pid;
	return SSM_OK;
}

ssm_err ssm_crypto_random(void *out, size_t len)
{
	unsigned char *o = out;
	ssm_err error;

	SSM_ASSERT_ARG(out || len == 0);
	pthread_once(&rng_atfork_once, rng_register_atfork);
	pthread_mutex_lock(&rng_lock);
	error = rng_ensure_seeded();
	while (error == SSM_OK && len > 0) {
		size_t n = len < MBEDTLS_CTR_DRBG_MAX_REQUEST
				   ? len
				   : MBEDTLS_CTR_DRBG_MAX_REQUEST;
		int rc = mbedtls_ctr_drbg_random(&rng_drbg, o, n);

		if (rc != 0) {
			error = ssm_error__set(SSM_ERROR, SSM_ERRCLASS_CRYPTO,
					       NULL,
					       "random source failed (mbedtls "
					       "error -0x%04x)",
					       (unsigned)-rc);
			break;
		}
		o += n;
		len -= n;
	}
	pthread_mutex_unlock(&rng_lock);
	return error;
}

void ssm_crypto__random_cleanup(void)
{
	pthread_mutex_lock(&rng_lock);
	if (rng_ready) {
		mbedtls_ctr_drbg_free(&rng_drbg); /* wipes the state */
		mbedtls_entropy_free(&rng_entropy);
		rng_ready = false;
	}
	pthread_mutex_unlock(&rng_lock);
}

bool ssm_crypto_equal(const void *a, const void *b, size_t len)
{
	return mbedtls_ct_memcmp(a, b, len) == 0;
}

ssm_err ssm_crypto_gcm_encrypt(void *ct_out, uint8_t tag_out[SSM_GCM_TAG_LEN],
			       const uint8_t key[SSM_AES256_KEY_LEN],
			       const uint8_t nonce[SSM_GCM_NONCE_LEN],
			       const void *aad, size_t aad_len, const void *pt,
			       size_t len)
{
	mbedtls_gcm_context gcm;
	ssm_err error = SSM_OK;
	int rc;

	SSM_ASSERT_ARG(ct_out || len == 0);
	SSM_ASSERT_ARG(tag_out);
	SSM_ASSERT_ARG(key);
	SSM_ASSERT_ARG(nonce);
	SSM_ASSERT_ARG(aad || aad_len == 0);
	SSM_ASSERT_ARG(pt || len == 0);
	mbedtls_gcm_init(&gcm);
	rc = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 256);
	if (rc != 0) {
		error = mbedtls_failure(rc, "aes-gcm key setup");
		goto done;
	}
	rc = mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, len, nonce,
				       SSM_GCM_NONCE_LEN, aad, aad_len, pt,
				       ct_out, SSM_GCM_TAG_LEN, tag_out);
	if (rc != 0)
		error = mbedtls_failure(rc, "aes-gcm encryption");
done:
	mbedtls_gcm_free(&gcm);
	return error;
}

ssm_err ssm_crypto_gcm_decrypt(void *pt_out,
			       const uint8_t key[SSM_AES256_KEY_LEN],
			       const uint8_t nonce[SSM_GCM_NONCE_LEN],
			       const void *aad, size_t aad_len, const void *ct,
			       size_t len, const uint8_t tag[SSM_GCM_TAG_LEN])
{
	mbedtls_gcm_context gcm;
	ssm_err error = SSM_OK;
	int rc;

	SSM_ASSERT_ARG(pt_out || len == 0);
	SSM_ASSERT_ARG(key);
	SSM_ASSERT_ARG(nonce);
	SSM_ASSERT_ARG(aad || aad_len == 0);
	SSM_ASSERT_ARG(ct || len == 0);
	SSM_ASSERT_ARG(tag);
	mbedtls_gcm_init(&gcm);
	rc = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 256);
	if (rc != 0) {
		error = mbedtls_failure(rc, "aes-gcm key setup");
		goto done;
	}
	rc = mbedtls_gcm_auth_decrypt(&gcm, len, nonce, SSM_GCM_NONCE_LEN, aad,
				      aad_len, tag, SSM_GCM_TAG_LEN, ct,
				      pt_out);
	if (rc == MBEDTLS_ERR_GCM_AUTH_FAILED)
		error = ssm_error__set(SSM_EAUTH, SSM_ERRCLASS_CRYPTO, NULL,
				       "ciphertext failed authentication");
	else if (rc != 0)
		error = mbedtls_failure(rc, "aes-gcm decryption");
done:
	if (error < 0 && len)
		ssm__zeroize(pt_out, len);
	mbedtls_gcm_free(&gcm);
	return error;
}

ssm_err ssm_crypto_seal(void *out, size_t *len_out, size_t out_size,
			const uint8_t key[SSM_AES256_KEY_LEN], const void *aad,
			size_t aad_len, const void *pt, size_t pt_len)
{
	uint8_t *o = out;
	size_t need;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	SSM_ASSERT_ARG(len_out);
	SSM_ASSERT_ARG(key);
	SSM_ASSERT_ARG(pt || pt_len == 0);
	*len_out = 0;
	if (ssm__add_overflow(&need, pt_len, SSM_SEAL_OVERHEAD) ||
	    need > out_size)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_CRYPTO, NULL,
				      "sealing %zu bytes needs %zu bytes of "
				      "output, not %zu",
				      pt_len, need, out_size);
	o[0] = SSM_SEAL_VERSION;
	error = ssm_crypto_random(o + 1, SSM_GCM_NONCE_LEN);
	if (error < 0)
		return error;
	error = ssm_crypto_gcm_encrypt(o + 1 + SSM_GCM_NONCE_LEN,
				       o + 1 + SSM_GCM_NONCE_LEN + pt_len, key,
				       o + 1, aad, aad_len, pt, pt_len);
	if (error < 0) {
		ssm__zeroize(out, need);
		return error;
	}
	*len_out = need;
	return SSM_OK;
}

ssm_err ssm_crypto_open(void *out, size_t *len_out, size_t out_size,
			const uint8_t key[SSM_AES256_KEY_LEN], const void *aad,
			size_t aad_len, const void *blob, size_t blob_len)
{
	const uint8_t *b = blob;
	size_t n;
	ssm_err error;

	SSM_ASSERT_ARG(out || out_size == 0);
	SSM_ASSERT_ARG(len_out);
	SSM_ASSERT_ARG(key);
	SSM_ASSERT_ARG(blob || blob_len == 0);
	*len_out = 0;
	if (blob_len < SSM_SEAL_OVERHEAD)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_CRYPTO, NULL,
				      "sealed ciphertext is truncated (%zu "
				      "bytes, at least %d needed)",
				      blob_len, SSM_SEAL_OVERHEAD);
	if (b[0] != SSM_SEAL_VERSION)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_CRYPTO, NULL,
				      "sealed ciphertext has unknown format "
				      "version %u",
				      (unsigned)b[0]);
	n = blob_len - SSM_SEAL_OVERHEAD;
	if (n > out_size)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_CRYPTO, NULL,
				      "opening %zu bytes of ciphertext needs "
				      "%zu bytes of output, not %zu",
				      blob_len, n, out_size);
	error = ssm_crypto_gcm_decrypt(out, key, b + 1, aad, aad_len,
				       b + 1 + SSM_GCM_NONCE_LEN, n,
				       b + 1 + SSM_GCM_NONCE_LEN + n);
	if (error < 0)
		return error;
	*len_out = n;
	return SSM_OK;
}

ssm_err ssm_crypto_seal_str(ssm_str *out, const uint8_t key[SSM_AES256_KEY_LEN],
			    const void *aad, size_t aad_len, const void *pt,
			    size_t pt_len)
{
	size_t need, n = 0;

	SSM_ASSERT_ARG(out);
	if (ssm__add_overflow(&need, pt_len, SSM_SEAL_OVERHEAD))
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_CRYPTO, NULL,
				      "plaintext of %zu bytes is too large",
				      pt_len);
	SSM_TRY(ssm_str_grow(out, need));
	SSM_TRY(ssm_crypto_seal(out->ptr + out->size, &n, need, key, aad,
				aad_len, pt, pt_len));
	out->size += n;
	out->ptr[out->size] = '\0';
	return SSM_OK;
}

ssm_err ssm_crypto_open_str(ssm_str *out, const uint8_t key[SSM_AES256_KEY_LEN],
			    const void *aad, size_t aad_len, const void *blob,
			    size_t blob_len)
{
	size_t need, n = 0;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	need = blob_len > SSM_SEAL_OVERHEAD ? blob_len - SSM_SEAL_OVERHEAD : 0;
	SSM_TRY(ssm_str_grow(out, need));
	error = ssm_crypto_open(out->ptr + out->size, &n, need, key, aad,
				aad_len, blob, blob_len);
	if (error < 0) {
		out->ptr[out->size] = '\0';
		return error;
	}
	out->size += n;
	out->ptr[out->size] = '\0';
	return SSM_OK;
}

static ssm_err mbedtls_failure(int rc, const char *what)
{
	if (rc == MBEDTLS_ERR_CIPHER_ALLOC_FAILED) {
		ssm_error__oom();
		return SSM_ERROR;
	}
	return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_CRYPTO, NULL,
			      "%s failed (mbedtls error -0x%04x)", what,
			      (unsigned)-rc);
}
