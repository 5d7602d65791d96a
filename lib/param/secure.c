/* SPDX-License-Identifier: Apache-2.0 */
/* SecureString (DESIGN §6, spec §3.8): envelope encryption through the key
 * provider. Each value gets a fresh 256-bit data key; the value is sealed
 * with AES-256-GCM under it with the parameter's ARN as additional data,
 * and the data key is wrapped by the provider (bound to the ARN too). The
 * store keeps only the blob
 *
 *   format (1) | key id length (1) | key id | wrapped length (2, LE) |
 *   wrapped data key | sealed value
 *
 * which a read without WithDecryption returns in base64, as AWS returns
 * its ciphertext. Plaintext and data keys are wiped after use. */
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/crypto.h"
#include "core/error.h"
#include "keys/keys.h"
#include "param/param.h"

#define BLOB_FORMAT 1
#define DEFAULT_KEY "alias/aws/ssm"

struct param_keys {
	pthread_mutex_t lock;
	ssm_keyprovider *kp;
};

/* The keyring a service uses by default: next to an sqlite: store file, in
 * memory for memory:, none for other persistent stores. */
static ssm_err default_spec(char **out, const ssm_service *svc)
{
	const char *url = svc->store_url, *path, *q;
	ssm_str s = SSM_STR_INIT;

	*out = NULL;
	if (svc->keyring) {
		*out = ssm__strdup(svc->keyring);
		return *out ? SSM_OK : SSM_ERROR;
	}
	if (url && strncmp(url, "sqlite://", 9) == 0) {
		path = url + 9;
		q = strchr(path, '?');
		if (ssm_str_put(&s, path,
				q ? (size_t)(q - path) : strlen(path)) < 0 ||
		    ssm_str_puts(&s, ".keyring") < 0) {
			ssm_str_dispose(&s);
			return SSM_ERROR;
		}
		*out = ssm_str_detach(&s, NULL);
		return *out ? SSM_OK : SSM_ERROR;
	}
	if (svc->store->ops->flags & SSM_STORE_PERSISTENT)
		return ssm_error__set(SSM_EUNSUPPORTED, SSM_ERRCLASS_PARAM,
				      NULL,
				      "no keyring for SecureString on store "
				      "'%.200s': set the client option "
				      "'keyring'",
				      url ? url : svc->store->ops->name);
	return SSM_OK; /* in memory */
}

/* The service's key provider, opened on first use. */
static ssm_err keys_get(ssm_keyprovider **out, param_engine *pe)
{
	struct param_keys *k;
	char *spec = NULL;
	ssm_err error = SSM_OK;

	pthread_mutex_lock(&pe->lock);
	if (!pe->keys) {
		k = ssm__calloc(1, sizeof(*k));
		if (!k) {
			pthread_mutex_unlock(&pe->lock);
			return SSM_ERROR;
		}
		pthread_mutex_init(&k->lock, NULL);
		pe->keys = k;
	}
	k = pe->keys;
	pthread_mutex_unlock(&pe->lock);

	pthread_mutex_lock(&k->lock);
	if (!k->kp) {
		error = default_spec(&spec, pe->svc);
		if (error == SSM_OK)
			error = ssm_keyprovider__open_spec(
				&k->kp, pe->svc->ctx, spec, pe->svc->account_id,
				pe->svc->region);
		ssm__free(spec);
	}
	*out = k->kp;
	pthread_mutex_unlock(&k->lock);
	return error;
}

ssm_err param_keys_provider(ssm_keyprovider **out, param_engine *pe)
{
	return keys_get(out, pe);
}

void param_keys_close(param_engine *pe)
{
	struct param_keys *k = pe->keys;

	if (!k)
		return;
	ssm_keyprovider_close(k->kp);
	pthread_mutex_destroy(&k->lock);
	ssm__free(k);
	pe->keys = NULL;
}

static ssm_err invalid_key(const char *key_id, const char *detail)
{
	char copy[400]; /* @detail may be this thread's error message */

	snprintf(copy, sizeof(copy), "%s", detail);
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM, "InvalidKeyId",
			      "Invalid keyId %.256s: %s", key_id, copy);
}

/* Resolve @key_id; InvalidKeyId when the provider does not know it. */
static ssm_err resolve(ssm_buf *id_out, ssm_keyprovider **kp_out,
		       param_engine *pe, const char *key_id)
{
	ssm_err error;

	error = keys_get(kp_out, pe);
	if (error < 0)
		return invalid_key(key_id, ssm_error_last()->message);
	error = ssm_keyprovider__resolve(id_out, *kp_out, key_id);
	if (error == SSM_ENOTFOUND || error == SSM_EINVALID)
		return invalid_key(key_id, ssm_error_last()->message);
	return error;
}

ssm_err param_key_check(param_engine *pe, const char *key_id)
{
	ssm_buf id = SSM_BUF_INIT;
	ssm_keyprovider *kp;
	ssm_err error = resolve(&id, &kp, pe, key_id);

	ssm_buf_dispose(&id);
	return error;
}

ssm_err param_encrypt(ssm_str *blob_out, param_engine *pe, const char *norm,
		      const char *key_id, const void *value, size_t len)
{
	ssm_arena arena = SSM_ARENA_INIT;
	ssm_buf id = SSM_BUF_INIT, wrapped = SSM_BUF_INIT;
	uint8_t dk[SSM_DATA_KEY_LEN];
	ssm_keyprovider *kp = NULL;
	unsigned char head[3];
	char *arn;
	ssm_err error;

	ssm_str_clear(blob_out);
	arn = param_arn(pe, norm, &arena);
	if (!arn) {
		ssm_arena_dispose(&arena);
		return SSM_ERROR;
	}
	error = resolve(&id, &kp, pe, key_id ? key_id : DEFAULT_KEY);
	if (error == SSM_OK && id.size > 255)
		error = invalid_key(key_id, "the key id is too long");
	if (error == SSM_OK) {
		error = ssm_keyprovider__generate(dk, &wrapped, kp, id.ptr, arn,
						  strlen(arn));
		if (error < 0)
			error = invalid_key(key_id ? key_id : DEFAULT_KEY,
					    ssm_error_last()->message);
	}
	if (error == SSM_OK && wrapped.size > UINT16_MAX)
		error = invalid_key(key_id, "the wrapped data key is too long");
	if (error == SSM_OK) {
		head[0] = BLOB_FORMAT;
		head[1] = (unsigned char)id.size;
		error = ssm_str_put(blob_out, head, 2);
	}
	if (error == SSM_OK)
		error = ssm_str_put(blob_out, id.ptr, id.size);
	if (error == SSM_OK) {
		head[0] = (unsigned char)wrapped.size;
		head[1] = (unsigned char)(wrapped.size >> 8);
		error = ssm_str_put(blob_out, head, 2);
	}
	if (error == SSM_OK)
		error = ssm_str_put(blob_out, wrapped.ptr, wrapped.size);
	if (error == SSM_OK)
		error = ssm_crypto_seal_str(blob_out, dk, arn, strlen(arn),
					    value, len);
	ssm__zeroize(dk, sizeof(dk));
	ssm_buf_dispose(&id);
	ssm_buf_dispose(&wrapped);
	ssm_arena_dispose(&arena);
	return error;
}

/* The parts of a blob (pointing into it). */
struct blob {
	char key_id[256];
	const unsigned char *wrapped, *sealed;
	size_t wrapped_len, sealed_len;
};

static bool blob_parse(struct blob *b, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t idlen, off;

	if (len < 4 || p[0] != BLOB_FORMAT)
		return false;
	idlen = p[1];
	if (len < 2 + idlen + 2)
		return false;
	memcpy(b->key_id, p + 2, idlen);
	b->key_id[idlen] = '\0';
	off = 2 + idlen;
	b->wrapped_len = (size_t)p[off] | (size_t)p[off + 1] << 8;
	off += 2;
	if (len < off + b->wrapped_len)
		return false;
	b->wrapped = p + off;
	b->sealed = p + off + b->wrapped_len;
	b->sealed_len = len - off - b->wrapped_len;
	return true;
}

static ssm_err tampered(const char *name)
{
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_PARAM, "InvalidKeyId",
			      "The ciphertext of SecureString parameter %.900s "
			      "failed authentication: it was changed, or it "
			      "belongs to another parameter",
			      name);
}

ssm_err param_decrypt(char **out, size_t *len_out, param_engine *pe,
		      const char *norm, const void *blob, size_t blob_len,
		      ssm_arena *arena)
{
	ssm_arena scratch = SSM_ARENA_INIT;
	uint8_t dk[SSM_DATA_KEY_LEN];
	ssm_keyprovider *kp = NULL;
	struct blob b;
	size_t n = 0;
	char *arn, *pt = NULL;
	ssm_err error;

	*out = NULL;
	*len_out = 0;
	if (!blob_parse(&b, blob, blob_len) || b.sealed_len < SSM_SEAL_OVERHEAD)
		return tampered(norm);
	arn = param_arn(pe, norm, &scratch);
	if (!arn)
		return SSM_ERROR;
	error = keys_get(&kp, pe);
	if (error < 0)
		error = invalid_key(b.key_id, ssm_error_last()->message);
	if (error == SSM_OK) {
		error = ssm_keyprovider__decrypt(dk, kp, b.key_id, b.wrapped,
						 b.wrapped_len, arn,
						 strlen(arn));
		if (error == SSM_EAUTH)
			error = tampered(norm);
		else if (error < 0)
			error = invalid_key(b.key_id,
					    ssm_error_last()->message);
	}
	if (error == SSM_OK) {
		pt = ssm_arena_alloc(arena,
				     b.sealed_len - SSM_SEAL_OVERHEAD + 1);
		if (!pt)
			error = SSM_ERROR;
	}
	if (error == SSM_OK) {
		error = ssm_crypto_open(
			pt, &n, b.sealed_len - SSM_SEAL_OVERHEAD, dk, arn,
			strlen(arn), b.sealed, b.sealed_len);
		if (error < 0)
			error = tampered(norm);
	}
	ssm__zeroize(dk, sizeof(dk));
	ssm_arena_dispose(&scratch);
	if (error < 0)
		return error;
	pt[n] = '\0';
	*out = pt;
	*len_out = n;
	return SSM_OK;
}

ssm_err param_blob_text(char **out, const void *blob, size_t len,
			ssm_arena *arena)
{
	return param_b64_encode(out, blob, len, arena);
}

ssm_err param_blob_rewrap(ssm_str *out, ssm_keyprovider *kp, const char *arn,
			  const void *blob, size_t len, const char *key_id,
			  bool *matched)
{
	ssm_buf wrapped = SSM_BUF_INIT;
	unsigned char head[2];
	struct blob b;
	ssm_err error;

	*matched = false;
	ssm_str_clear(out);
	if (!blob_parse(&b, blob, len) || strcmp(b.key_id, key_id) != 0)
		return SSM_OK;
	*matched = true;
	error = ssm_keyprovider__reencrypt(&wrapped, kp, b.key_id, b.wrapped,
					   b.wrapped_len, arn, strlen(arn));
	if (error == SSM_OK && wrapped.size > UINT16_MAX)
		error = ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_PARAM, NULL,
				       "the wrapped data key is too long");
	if (error == SSM_OK)
		error = ssm_str_put(out, blob, 2 + strlen(b.key_id));
	if (error == SSM_OK) {
		head[0] = (unsigned char)wrapped.size;
		head[1] = (unsigned char)(wrapped.size >> 8);
		error = ssm_str_put(out, head, 2);
	}
	if (error == SSM_OK)
		error = ssm_str_put(out, wrapped.ptr, wrapped.size);
	if (error == SSM_OK)
		error = ssm_str_put(out, b.sealed, b.sealed_len);
	ssm_buf_dispose(&wrapped);
	return error;
}
