/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/key.h
 * @brief Master keys of SecureString parameters (libssm extension).
 *
 * SecureString values are encrypted under master keys that the engines'
 * key provider keeps (by default a 0600 keyring file, see
 * ssm_client_options::keyring and ssm/sys/keyprovider.h), the way AWS
 * Parameter Store uses KMS keys. These calls manage them: they are libssm
 * operations (`LibssmCreateKey`, `LibssmListKeys`, `LibssmRotateKey`,
 * `LibssmCreateAlias` on the wire), not AWS ones.
 *
 * A key is named by its id, its ARN `arn:aws:kms:<region>:<account>:key/<id>`,
 * or an alias `alias/<name>` (ARN
 * `arn:aws:kms:<region>:<account>:alias/<name>`). The default key
 * `alias/aws/ssm` is made the first time it is used.
 */
#ifndef SSM_KEY_H
#define SSM_KEY_H

#include "ssm/buf.h"
#include "ssm/client.h"
#include "ssm/common.h"
#include "ssm/errors.h"

SSM_BEGIN_DECL

/** The keys of a listing; opaque. */
typedef struct ssm_keys ssm_keys;

/** Options of ssm_key_create(). Zero means "default". */
typedef struct ssm_key_create_options {
	unsigned int version;	 /**< SSM_KEY_CREATE_OPTIONS_VERSION */
	const char *description; /**< NULL: none */
	/** An alias for the new key, "alias/<name>"; NULL: none. */
	const char *alias;
} ssm_key_create_options;

/** Current version of ::ssm_key_create_options. */
#define SSM_KEY_CREATE_OPTIONS_VERSION 1
/** Initialiser with every field at its default. */
#define SSM_KEY_CREATE_OPTIONS_INIT                       \
	{                                                 \
		.version = SSM_KEY_CREATE_OPTIONS_VERSION \
	}

/**
 * Initialise key options to their defaults (for bindings and C++).
 *
 * @param[out] opts  the options
 * @param version    SSM_KEY_CREATE_OPTIONS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p opts or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_key_create_options_init(ssm_key_create_options *opts, unsigned int version);

/**
 * Make a new master key.
 *
 * @param[out] key_id_out  the new key's id; may be NULL; dispose with
 *                         ssm_buf_dispose()
 * @param client           the client
 * @param opts             description and alias, or NULL
 * @return SSM_OK; SSM_EINVALID (`ValidationException`) for a bad alias;
 *         SSM_EUNSUPPORTED when the key provider cannot make keys; another
 *         negative code for other failures
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_key_create(ssm_buf *key_id_out, ssm_client *client,
	       const ssm_key_create_options *opts);

/**
 * Point an alias at a key, making the alias or moving it.
 *
 * @param client  the client
 * @param alias   "alias/<name>" (not under alias/aws/)
 * @param key_id  the key: id, ARN or another alias
 * @return SSM_OK; SSM_ENOTFOUND (`NotFoundException`) for an unknown key;
 *         SSM_EINVALID (`ValidationException`) for a bad alias
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_key_alias(ssm_client *client, const char *alias, const char *key_id);

/**
 * Rotate a master key: give it new material and re-wrap the data key of
 * every SecureString version encrypted under it, without touching the
 * encrypted values. Material of earlier generations is kept, so copies of
 * old ciphertext (backups) still decrypt.
 *
 * @param[out] rewrapped_out  how many stored records were re-wrapped; may
 *                            be NULL
 * @param client              the client
 * @param key_id              the key: id, ARN or alias
 * @return SSM_OK; SSM_ENOTFOUND (`NotFoundException`) for an unknown key;
 *         another negative code for other failures
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_key_rotate(uint64_t *rewrapped_out, ssm_client *client, const char *key_id);

/**
 * List the master keys.
 *
 * @param[out] out  the keys; free with ssm_keys_free()
 * @param client    the client
 * @return SSM_OK; SSM_EUNSUPPORTED when the key provider cannot list;
 *         another negative code for other failures
 * @since 0.1
 */
SSM_EXTERN(ssm_err) ssm_key_list(ssm_keys **out, ssm_client *client);

/**
 * Number of keys in a listing.
 *
 * @param list the listing
 * @return the count
 * @since 0.1
 */
SSM_EXTERN(size_t) ssm_keys_count(const ssm_keys *list);

/**
 * The id of one key.
 *
 * @param list the listing
 * @param i    0..ssm_keys_count()-1
 * @return text owned by @p list; NULL when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_keys_id(const ssm_keys *list, size_t i);

/**
 * The ARN of one key.
 *
 * @param list the listing
 * @param i    0..ssm_keys_count()-1
 * @return text owned by @p list; NULL when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_keys_arn(const ssm_keys *list, size_t i);

/**
 * The description of one key.
 *
 * @param list the listing
 * @param i    0..ssm_keys_count()-1
 * @return text owned by @p list (may be ""); NULL when @p i is out of
 *         range
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_keys_description(const ssm_keys *list, size_t i);

/**
 * When one key was made.
 *
 * @param list the listing
 * @param i    0..ssm_keys_count()-1
 * @return milliseconds since the epoch; 0 when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(int64_t)
ssm_keys_created_ms(const ssm_keys *list, size_t i);

/**
 * The material generation of one key: 1, plus one per rotation.
 *
 * @param list the listing
 * @param i    0..ssm_keys_count()-1
 * @return the generation; 0 when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(uint64_t)
ssm_keys_generation(const ssm_keys *list, size_t i);

/**
 * Number of aliases of one key.
 *
 * @param list the listing
 * @param i    0..ssm_keys_count()-1
 * @return the count; 0 when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(size_t)
ssm_keys_aliases_count(const ssm_keys *list, size_t i);

/**
 * One alias of one key.
 *
 * @param list the listing
 * @param i    0..ssm_keys_count()-1
 * @param k    0..ssm_keys_aliases_count()-1
 * @return text owned by @p list; NULL when out of range
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_keys_alias_at(const ssm_keys *list, size_t i, size_t k);

/**
 * Free a key listing.
 *
 * @param list the listing; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_keys_free(ssm_keys *list);

SSM_END_DECL

#endif
