/* SPDX-License-Identifier: Apache-2.0 */
/* Internal side of the key provider layer: the wrappers the core calls
 * plugins through, and the built-in providers. */
#ifndef SSM_KEYS_KEYS_H
#define SSM_KEYS_KEYS_H

#include "ssm/sys/keyprovider.h"

extern const ssm_keyprovider_ops ssm_keyprovider__keyring_ops;

/* Called by ssm_ctx_new(): registers "keyring". */
ssm_err ssm_keyproviders__register_builtins(ssm_ctx *ctx);

/* Open the provider a client's keyring option names: "<name>:<location>"
 * for a registered provider <name>, else a keyring file path; NULL: the
 * keyring provider in memory. */
ssm_err ssm_keyprovider__open_spec(ssm_keyprovider **out, ssm_ctx *ctx,
				   const char *spec, const char *account_id,
				   const char *region);

/* Wrappers: check arguments, handle optional methods, count faults. */
ssm_err ssm_keyprovider__resolve(ssm_buf *key_id_out, ssm_keyprovider *kp,
				 const char *key_id);
ssm_err ssm_keyprovider__generate(uint8_t plaintext_out[SSM_DATA_KEY_LEN],
				  ssm_buf *wrapped_out, ssm_keyprovider *kp,
				  const char *key_id, const void *context,
				  size_t context_len);
ssm_err ssm_keyprovider__decrypt(uint8_t plaintext_out[SSM_DATA_KEY_LEN],
				 ssm_keyprovider *kp, const char *key_id,
				 const void *wrapped, size_t wrapped_len,
				 const void *context, size_t context_len);
ssm_err ssm_keyprovider__reencrypt(ssm_buf *wrapped_out, ssm_keyprovider *kp,
				   const char *key_id, const void *wrapped,
				   size_t wrapped_len, const void *context,
				   size_t context_len);
ssm_err ssm_keyprovider__create_key(ssm_buf *key_id_out, ssm_keyprovider *kp,
				    const char *description);
ssm_err ssm_keyprovider__create_alias(ssm_keyprovider *kp, const char *alias,
				      const char *key_id);
ssm_err ssm_keyprovider__rotate(ssm_keyprovider *kp, const char *key_id);
ssm_err ssm_keyprovider__list(ssm_keyprovider *kp, ssm_key_list_cb cb,
			      void *payload);

#endif
