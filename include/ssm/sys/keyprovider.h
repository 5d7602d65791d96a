/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/sys/keyprovider.h
 * @brief The key provider plugin layer: master keys for SecureString.
 *
 * SecureString values are encrypted with a fresh 256-bit data key each
 * (AES-256-GCM, the parameter's ARN as additional authenticated data); a
 * key provider keeps the master keys and wraps and unwraps those data keys,
 * as AWS KMS does for Parameter Store. The built-in provider `keyring`
 * keeps AES-256 master keys in a 0600 file (or in memory); another provider
 * (an HSM, a cloud KMS) plugs in here.
 *
 * Keys are named like KMS keys: a key id (a UUID), its ARN
 * `arn:aws:kms:<region>:<account>:key/<id>`, aliases `alias/<name>` and
 * their ARNs `arn:aws:kms:<region>:<account>:alias/<name>`. The alias
 * `alias/aws/ssm` names the default key, made on first use.
 *
 * Plugins follow SQLite's VFS pattern (see ssm/sys/store.h): a `const`
 * ::ssm_keyprovider_ops table registered by name on a context, instances
 * that embed ::ssm_keyprovider first, and the core calling plugins only
 * through its own wrappers. This header is stable within a minor release
 * only.
 */
#ifndef SSM_SYS_KEYPROVIDER_H
#define SSM_SYS_KEYPROVIDER_H

#include "ssm/buf.h"
#include "ssm/common.h"
#include "ssm/errors.h"
#include "ssm/types.h"

SSM_BEGIN_DECL

/** Bytes in a data key (AES-256). */
#define SSM_DATA_KEY_LEN 32

/** An open key provider; plugins embed it as the first member of theirs. */
typedef struct ssm_keyprovider {
	/** the plugin's table; set by the core when open leaves it NULL */
	const struct ssm_keyprovider_ops *ops;
	ssm_ctx *ctx; /**< set by the core after open */
} ssm_keyprovider;

/** Where and for whom a provider is opened. */
typedef struct ssm_keyprovider_config {
	unsigned int version;	/**< SSM_KEYPROVIDER_CONFIG_VERSION */
	const char *location;	/**< e.g. a file path; NULL: in memory */
	const char *account_id; /**< 12 digits, for key ARNs */
	const char *region;	/**< e.g. "us-east-1", for key ARNs */
} ssm_keyprovider_config;

/** Current version of ::ssm_keyprovider_config. */
#define SSM_KEYPROVIDER_CONFIG_VERSION 1

/** One key, as a provider lists it. Pointers are valid during the call. */
typedef struct ssm_key_info {
	const char *key_id;	    /**< the canonical id */
	const char *arn;	    /**< the key's ARN */
	const char *description;    /**< may be "" */
	int64_t created_ms;	    /**< creation time, ms since the epoch */
	uint32_t generation;	    /**< 1 + number of rotations */
	int64_t rotated_ms;	    /**< last rotation, or 0 */
	const char *const *aliases; /**< "alias/..." names of the key */
	size_t aliases_count;	    /**< number of @c aliases */
} ssm_key_info;

/**
 * Receives one key of a listing.
 *
 * @return 0 to go on, non-zero to stop (passed back as SSM_EUSER)
 */
typedef int (*ssm_key_list_cb)(const ssm_key_info *key, void *payload);

/** A key provider plugin: a `const` table registered by name. */
typedef struct ssm_keyprovider_ops {
	unsigned int version; /**< SSM_KEYPROVIDER_OPS_VERSION */
	const char *name;     /**< e.g. "keyring" */

	/** Open an instance for @p cfg. Required. */
	ssm_err (*open)(ssm_keyprovider **out,
			const struct ssm_keyprovider_ops *ops, ssm_ctx *ctx,
			const ssm_keyprovider_config *cfg, void *payload);
	/** Close and free the instance (wiping key material). Required. */
	void (*close)(ssm_keyprovider *kp);
	/** The canonical id of a key named by id, key ARN, alias or alias
	 *  ARN. `alias/aws/ssm` is made on first use. SSM_ENOTFOUND for an
	 *  unknown key. Required. */
	ssm_err (*resolve)(ssm_buf *key_id_out, ssm_keyprovider *kp,
			   const char *key_id);
	/** Make a fresh data key under key @p key_id (canonical): its
	 *  plaintext and its wrapped form, bound to @p context. Required. */
	ssm_err (*generate_data_key)(uint8_t plaintext_out[SSM_DATA_KEY_LEN],
				     ssm_buf *wrapped_out, ssm_keyprovider *kp,
				     const char *key_id, const void *context,
				     size_t context_len);
	/** Unwrap a data key. SSM_EAUTH when it does not authenticate (wrong
	 *  key, wrong context, changed bytes). Required. */
	ssm_err (*decrypt_data_key)(uint8_t plaintext_out[SSM_DATA_KEY_LEN],
				    ssm_keyprovider *kp, const char *key_id,
				    const void *wrapped, size_t wrapped_len,
				    const void *context, size_t context_len);
	/** Wrap a wrapped data key again under the key's current material
	 *  (after a rotation), without exposing it to the caller. Optional:
	 *  NULL means decrypt then generate-style wrap is not possible and
	 *  rotation does not re-wrap. */
	ssm_err (*reencrypt_data_key)(ssm_buf *wrapped_out, ssm_keyprovider *kp,
				      const char *key_id, const void *wrapped,
				      size_t wrapped_len, const void *context,
				      size_t context_len);
	/** Make a key with a description; optional. */
	ssm_err (*create_key)(ssm_buf *key_id_out, ssm_keyprovider *kp,
			      const char *description);
	/** Point alias @p alias ("alias/...") at key @p key_id, making or
	 *  moving it; optional. */
	ssm_err (*create_alias)(ssm_keyprovider *kp, const char *alias,
				const char *key_id);
	/** Give a key new material; data keys wrapped before stay
	 *  decryptable. Optional. */
	ssm_err (*rotate_key)(ssm_keyprovider *kp, const char *key_id);
	/** Call @p cb for every key; optional. */
	ssm_err (*list_keys)(ssm_keyprovider *kp, ssm_key_list_cb cb,
			     void *payload);
} ssm_keyprovider_ops;

/** Current version of ::ssm_keyprovider_ops. */
#define SSM_KEYPROVIDER_OPS_VERSION 1

/**
 * Initialise an ops table to all-NULL methods (for bindings and C++).
 *
 * @param[out] ops  the table
 * @param version   SSM_KEYPROVIDER_OPS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p ops or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_keyprovider_ops_init(ssm_keyprovider_ops *ops, unsigned int version);

/**
 * Register a key provider plugin under its name (@c ops->name).
 *
 * A client's `keyring` option picks a provider: "<name>:<location>" uses
 * the provider registered as <name>; anything else is a file path for the
 * built-in `keyring` provider.
 *
 * @param ctx      the context
 * @param ops      the table; must outlive the context
 * @param payload  passed to @c ops->open
 * @return SSM_OK; SSM_EEXISTS when the name is taken; SSM_EINVALID for a
 *         NULL argument, a bad version or a missing required method
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_ctx_register_keyprovider(ssm_ctx *ctx, const ssm_keyprovider_ops *ops,
			     void *payload);

/**
 * Open a key provider by name.
 *
 * @param[out] out  the provider; close with ssm_keyprovider_close()
 * @param ctx       the context (kept alive by the provider)
 * @param name      a registered name, e.g. "keyring"
 * @param cfg       where and for whom
 * @return SSM_OK; SSM_EINVALID for an unknown name or bad config;
 *         SSM_ERROR when the provider cannot open (message names the file)
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_keyprovider_open(ssm_keyprovider **out, ssm_ctx *ctx, const char *name,
		     const ssm_keyprovider_config *cfg);

/**
 * Close a key provider.
 *
 * @param kp the provider; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_keyprovider_close(ssm_keyprovider *kp);

/** Methods of a provider, to choose what the fault wrapper fails. */
typedef enum ssm_keyprovider_method {
	SSM_KEYPROVIDER_METHOD_ANY = 0,
	SSM_KEYPROVIDER_METHOD_RESOLVE = 1,
	SSM_KEYPROVIDER_METHOD_GENERATE = 2,
	SSM_KEYPROVIDER_METHOD_DECRYPT = 3,
	SSM_KEYPROVIDER_METHOD_REENCRYPT = 4,
	SSM_KEYPROVIDER_METHOD_ADMIN = 5 /**< create, alias, rotate, list */
} ssm_keyprovider_method;

/**
 * Wrap a provider in a fault injector that fails chosen calls (for tests).
 * To have clients use it, register a provider whose open opens the real
 * one and returns it wrapped (the core keeps the ops an open sets).
 *
 * @param[out] out  the wrapper; close with ssm_keyprovider_close()
 * @param inner     the provider to wrap; owned by the wrapper on success
 * @return SSM_OK, SSM_EINVALID for a NULL argument, or SSM_ERROR when out
 *         of memory (then @p inner is still the caller's)
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_keyprovider_fault_new(ssm_keyprovider **out, ssm_keyprovider *inner);

/**
 * Arm a fault wrapper: the @p nth call of @p method from now fails with
 * @p code and the message "injected fault: <method> call <n>".
 *
 * @param kp       a provider made by ssm_keyprovider_fault_new()
 * @param method   which method to count; SSM_KEYPROVIDER_METHOD_ANY: all
 * @param nth      1 for the next call; 0 disarms
 * @param code     the code to fail with (negative)
 * @param persist  fail every call from the nth on
 * @return SSM_OK, or SSM_EINVALID when @p kp is not a fault wrapper or
 *         @p code is not a failure
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_keyprovider_fault_set(ssm_keyprovider *kp, ssm_keyprovider_method method,
			  uint64_t nth, ssm_err code, bool persist);

SSM_END_DECL

#endif
