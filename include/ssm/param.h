/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/param.h
 * @brief Parameter Store: hierarchical, versioned configuration and secrets.
 *
 * Parameters are named `/app/db/host` (hierarchical) or `feature-flag` (one
 * level; `/feature-flag` names the same parameter). Every put makes a new
 * version; the last 100 versions are kept. Types are String, StringList
 * (comma-separated) and SecureString (encrypted with a key of the key
 * provider, see ssm/key.h). The rules, limits and error names are AWS's:
 * ssm_error_last()->service_code carries the wire name (for example
 * `ParameterNotFound`, `ParameterAlreadyExists`, `ValidationException`).
 *
 * Functions are named after the AWS operations (PutParameter is
 * ssm_param_put(), GetParametersByPath is ssm_param_get_by_path(), ...) and
 * behave the same through every transport.
 *
 * Results are opaque objects read with accessors. One ::ssm_param type
 * serves GetParameter (value), DescribeParameters (metadata, no value) and
 * GetParameterHistory (both plus labels): accessors of fields a result does
 * not carry return NULL or 0.
 */
#ifndef SSM_PARAM_H
#define SSM_PARAM_H

#include "ssm/buf.h"
#include "ssm/client.h"
#include "ssm/common.h"
#include "ssm/errors.h"
#include "ssm/tags.h"
#include "ssm/types.h"

SSM_BEGIN_DECL

/** A parameter (or one version of it); opaque. */
typedef struct ssm_param ssm_param;

/** The parameters of one GetParameters call; opaque. */
typedef struct ssm_param_list ssm_param_list;

/** A lazily paged sequence of parameters; opaque. */
typedef struct ssm_param_iter ssm_param_iter;

/** Parameter types (`Type` on the wire). */
typedef enum ssm_param_type {
	SSM_PARAM_TYPE_DEFAULT = 0, /**< in options: keep / not given */
	SSM_PARAM_STRING = 1,	    /**< `String` */
	SSM_PARAM_STRING_LIST = 2,  /**< `StringList`: comma-separated */
	SSM_PARAM_SECURE_STRING = 3 /**< `SecureString`: encrypted */
} ssm_param_type;

/** Parameter tiers (`Tier` on the wire). */
typedef enum ssm_param_tier {
	SSM_PARAM_TIER_DEFAULT = 0,    /**< in options: keep / default */
	SSM_PARAM_TIER_STANDARD = 1,   /**< `Standard`: 4 KB values */
	SSM_PARAM_TIER_ADVANCED = 2,   /**< `Advanced`: 8 KB, policies */
	SSM_PARAM_TIER_INTELLIGENT = 3 /**< `Intelligent-Tiering` */
} ssm_param_tier;

/** Flag of ssm_param_put_options::flags: replace an existing parameter
 *  (AWS `Overwrite`). */
#define SSM_PARAM_PUT_OVERWRITE (1u << 0)

/** Flag of reads: return SecureString values decrypted (AWS
 *  `WithDecryption`). Without it their value is the ciphertext blob
 *  (base64), as AWS returns it. */
#define SSM_PARAM_WITH_DECRYPTION (1u << 0)
/** Flag of ssm_param_get_by_path(): the whole subtree, not one level (AWS
 *  `Recursive`). */
#define SSM_PARAM_RECURSIVE (1u << 1)

/** Options of ssm_param_put(). Zero means "default" for every field. */
typedef struct ssm_param_put_options {
	unsigned int version; /**< SSM_PARAM_PUT_OPTIONS_VERSION */
	/** Type; required when creating, else the current type is kept. */
	ssm_param_type type;
	unsigned int flags;	 /**< SSM_PARAM_PUT_OVERWRITE */
	const char *description; /**< NULL: none, or keep on overwrite */
	/** SecureString key: key id, key ARN, alias name or alias ARN. NULL:
	 *  `alias/aws/ssm`, or keep on overwrite. */
	const char *key_id;
	/** Regular expression every value must match; NULL: none / keep. */
	const char *allowed_pattern;
	ssm_param_tier tier; /**< 0: keep, or the default tier (Standard) */
	/** JSON array of policies (Advanced tier only); NULL: keep. */
	const char *policies;
	/** `text` (default), `aws:ec2:image` or `aws:ssm:integration`. */
	const char *data_type;
	const ssm_tag *tags; /**< tags of a new parameter; NULL: none */
	size_t tags_count;   /**< number of @c tags */
} ssm_param_put_options;

/** Current version of ::ssm_param_put_options. */
#define SSM_PARAM_PUT_OPTIONS_VERSION 1
/** Initialiser with every field at its default. */
#define SSM_PARAM_PUT_OPTIONS_INIT                       \
	{                                                \
		.version = SSM_PARAM_PUT_OPTIONS_VERSION \
	}

/** One filter of GetParametersByPath and DescribeParameters (AWS
 *  `ParameterStringFilter`). */
typedef struct ssm_param_filter {
	/** `Name`, `Type`, `KeyId`, `Path`, `Tier`, `DataType`, `Label` or
	 *  `tag:<key>` (which ones an operation accepts is AWS's rule). */
	const char *key;
	/** `Equals` (NULL), `BeginsWith`, `Contains`, `Recursive`,
	 *  `OneLevel`. */
	const char *option;
	const char *const *values; /**< the values; may be NULL */
	size_t values_count;	   /**< number of @c values */
} ssm_param_filter;

/** Options of ssm_param_get_by_path(). Zero means "default". */
typedef struct ssm_param_get_by_path_options {
	unsigned int version; /**< SSM_PARAM_GET_BY_PATH_OPTIONS_VERSION */
	/** SSM_PARAM_RECURSIVE, SSM_PARAM_WITH_DECRYPTION */
	unsigned int flags;
	const ssm_param_filter *filters; /**< `Type`, `KeyId`, `Label` */
	size_t filters_count;		 /**< number of @c filters */
	/** Parameters fetched per request, 1..10; 0: 10. */
	size_t page_size;
} ssm_param_get_by_path_options;

/** Current version of ::ssm_param_get_by_path_options. */
#define SSM_PARAM_GET_BY_PATH_OPTIONS_VERSION 1
/** Initialiser with every field at its default. */
#define SSM_PARAM_GET_BY_PATH_OPTIONS_INIT                       \
	{                                                        \
		.version = SSM_PARAM_GET_BY_PATH_OPTIONS_VERSION \
	}

/** Options of ssm_param_describe(). Zero means "default". */
typedef struct ssm_param_describe_options {
	unsigned int version; /**< SSM_PARAM_DESCRIBE_OPTIONS_VERSION */
	/** `Name`, `Type`, `KeyId`, `Path`, `Tier`, `DataType`, `tag:<k>` */
	const ssm_param_filter *filters;
	size_t filters_count; /**< number of @c filters */
	/** Parameters fetched per request, 1..50; 0: 10. */
	size_t page_size;
	/** Only parameters shared with this account (AWS `Shared`). */
	bool shared;
} ssm_param_describe_options;

/** Current version of ::ssm_param_describe_options. */
#define SSM_PARAM_DESCRIBE_OPTIONS_VERSION 1
/** Initialiser with every field at its default. */
#define SSM_PARAM_DESCRIBE_OPTIONS_INIT                       \
	{                                                     \
		.version = SSM_PARAM_DESCRIBE_OPTIONS_VERSION \
	}

/** Options of ssm_param_history(). Zero means "default". */
typedef struct ssm_param_history_options {
	unsigned int version; /**< SSM_PARAM_HISTORY_OPTIONS_VERSION */
	unsigned int flags;   /**< SSM_PARAM_WITH_DECRYPTION */
	/** Versions fetched per request, 1..50; 0: 50. */
	size_t page_size;
} ssm_param_history_options;

/** Current version of ::ssm_param_history_options. */
#define SSM_PARAM_HISTORY_OPTIONS_VERSION 1
/** Initialiser with every field at its default. */
#define SSM_PARAM_HISTORY_OPTIONS_INIT                       \
	{                                                    \
		.version = SSM_PARAM_HISTORY_OPTIONS_VERSION \
	}

/**
 * Initialise put options to their defaults (for bindings and C++).
 *
 * @param[out] opts  the options
 * @param version    SSM_PARAM_PUT_OPTIONS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p opts or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_param_put_options_init(ssm_param_put_options *opts, unsigned int version);

/**
 * Initialise get-by-path options to their defaults.
 *
 * @param[out] opts  the options
 * @param version    SSM_PARAM_GET_BY_PATH_OPTIONS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p opts or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_param_get_by_path_options_init(ssm_param_get_by_path_options *opts,
				   unsigned int version);

/**
 * Initialise describe options to their defaults.
 *
 * @param[out] opts  the options
 * @param version    SSM_PARAM_DESCRIBE_OPTIONS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p opts or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_param_describe_options_init(ssm_param_describe_options *opts,
				unsigned int version);

/**
 * Initialise history options to their defaults.
 *
 * @param[out] opts  the options
 * @param version    SSM_PARAM_HISTORY_OPTIONS_VERSION
 * @return SSM_OK, or SSM_EINVALID for a NULL @p opts or unknown version
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_param_history_options_init(ssm_param_history_options *opts,
			       unsigned int version);

/**
 * Create a parameter, or with SSM_PARAM_PUT_OVERWRITE add a new version of
 * an existing one (AWS PutParameter). On overwrite, options left at their
 * defaults keep the current description, pattern, key, tier, policies and
 * data type.
 *
 * @param[out] version_out  the new version (1 for a new parameter); may be
 *                          NULL
 * @param[out] tier_out     the tier used; may be NULL
 * @param client            the client
 * @param name              the name, e.g. "/app/db/host"
 * @param value             the value (at most 4096 characters in the
 *                          Standard tier, 8192 in the Advanced tier)
 * @param opts              options, or NULL for defaults (creating a
 *                          parameter needs at least a type)
 * @return SSM_OK; SSM_EEXISTS (`ParameterAlreadyExists`) without
 *         SSM_PARAM_PUT_OVERWRITE; SSM_EINVALID (`ValidationException`,
 *         `ParameterPatternMismatchException`, `InvalidKeyId`, ...) for bad
 *         input; SSM_ELIMIT (`ParameterLimitExceeded`,
 *         `ParameterMaxVersionLimitExceeded`,
 *         `HierarchyLevelLimitExceededException`); another negative code
 *         for other failures
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_param_put(uint64_t *version_out, ssm_param_tier *tier_out,
	      ssm_client *client, const char *name, const char *value,
	      const ssm_param_put_options *opts);

/**
 * Read a parameter (AWS GetParameter).
 *
 * @param[out] out  the parameter; free with ssm_param_free()
 * @param client    the client
 * @param name      a name, `name:<version>`, `name:<label>`, or the
 *                  parameter's ARN (with an optional selector)
 * @param flags     SSM_PARAM_WITH_DECRYPTION, or 0
 * @return SSM_OK; SSM_ENOTFOUND (`ParameterNotFound`,
 *         `ParameterVersionNotFound`); SSM_EINVALID for a malformed name;
 *         another negative code for other failures
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_param_get(ssm_param **out, ssm_client *client, const char *name,
	      unsigned int flags);

/**
 * Read up to 10 parameters at once (AWS GetParameters). Names that do not
 * exist or are malformed are listed by ssm_param_list_invalid_at(), not
 * raised; duplicates are answered once.
 *
 * @param[out] out  the result; free with ssm_param_list_free()
 * @param client    the client
 * @param names     1..10 names (same forms as ssm_param_get())
 * @param count     number of @p names
 * @param flags     SSM_PARAM_WITH_DECRYPTION, or 0
 * @return SSM_OK; SSM_EINVALID (`ValidationException`) for 0 or more than
 *         10 names; another negative code for other failures
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_param_get_many(ssm_param_list **out, ssm_client *client,
		   const char *const *names, size_t count, unsigned int flags);

/**
 * Iterate over the parameters under a path (AWS GetParametersByPath).
 * Pages are fetched as ssm_param_iter_next() needs them.
 *
 * @param[out] out  the iterator; free with ssm_param_iter_free()
 * @param client    the client (used by the iterator until it is freed)
 * @param path      e.g. "/app/" or "/" (a trailing '/' is ignored)
 * @param opts      options, or NULL for one level without filters
 * @return SSM_OK (the first page is fetched by the first
 *         ssm_param_iter_next()); SSM_EINVALID for a NULL argument or bad
 *         options
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_param_get_by_path(ssm_param_iter **out, ssm_client *client,
		      const char *path,
		      const ssm_param_get_by_path_options *opts);

/**
 * Iterate over the latest versions' metadata of the parameters that match
 * the filters (AWS DescribeParameters). Values are not included.
 *
 * @param[out] out  the iterator; free with ssm_param_iter_free()
 * @param client    the client (used by the iterator until it is freed)
 * @param opts      filters and page size, or NULL for every parameter
 * @return SSM_OK; SSM_EINVALID for a NULL argument or bad options
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_param_describe(ssm_param_iter **out, ssm_client *client,
		   const ssm_param_describe_options *opts);

/**
 * Iterate over every kept version of a parameter, oldest first (AWS
 * GetParameterHistory).
 *
 * @param[out] out  the iterator; free with ssm_param_iter_free()
 * @param client    the client (used by the iterator until it is freed)
 * @param name      the name or ARN
 * @param opts      options, or NULL for defaults
 * @return SSM_OK; SSM_EINVALID for a NULL argument or bad options
 *         (`ParameterNotFound` comes from the first ssm_param_iter_next())
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_param_history(ssm_param_iter **out, ssm_client *client, const char *name,
		  const ssm_param_history_options *opts);

/**
 * The next parameter of an iterator, fetching the next page when needed.
 *
 * @param[out] out  the parameter, owned by the iterator and valid until the
 *                  next call or ssm_param_iter_free(); NULL at the end
 * @param iter      the iterator
 * @return SSM_OK; SSM_ITEROVER at the end; the operation's error
 *         (`ParameterNotFound`, `InvalidFilterKey`, `InvalidFilterOption`,
 *         `InvalidFilterValue`, `ValidationException`, ...) otherwise
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_param_iter_next(const ssm_param **out, ssm_param_iter *iter);

/**
 * Free an iterator.
 *
 * @param iter the iterator; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_param_iter_free(ssm_param_iter *iter);

/**
 * Delete a parameter with all its versions, labels and tags (AWS
 * DeleteParameter).
 *
 * @param client  the client
 * @param name    the name (not an ARN)
 * @return SSM_OK; SSM_ENOTFOUND (`ParameterNotFound`); SSM_EINVALID for a
 *         malformed name; another negative code for other failures
 * @since 0.1
 */
SSM_EXTERN(ssm_err) ssm_param_delete(ssm_client *client, const char *name);

/**
 * Delete up to 10 parameters (AWS DeleteParameters). Names that do not
 * exist are reported in @p invalid_out, not raised.
 *
 * @param[out] deleted_out  the names deleted; may be NULL; dispose with
 *                          ssm_strarray_dispose()
 * @param[out] invalid_out  the names not found; may be NULL; dispose with
 *                          ssm_strarray_dispose()
 * @param client            the client
 * @param names             1..10 names
 * @param count             number of @p names
 * @return SSM_OK; SSM_EINVALID (`ValidationException`) for 0 or more than
 *         10 names; another negative code for other failures
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_param_delete_many(ssm_strarray *deleted_out, ssm_strarray *invalid_out,
		      ssm_client *client, const char *const *names,
		      size_t count);

/**
 * Attach labels to a version, moving each from the version that had it (AWS
 * LabelParameterVersion). Labels that break the label rules are returned in
 * @p invalid_out and not attached.
 *
 * @param[out] version_out         the version labelled; may be NULL
 * @param[out] invalid_labels_out  labels not attached; may be NULL; dispose
 *                                 with ssm_strarray_dispose()
 * @param client                   the client
 * @param name                     the name
 * @param version                  the version; 0: the latest
 * @param labels                   1..10 labels
 * @param count                    number of @p labels
 * @return SSM_OK; SSM_ENOTFOUND (`ParameterNotFound`,
 *         `ParameterVersionNotFound`); SSM_ELIMIT
 *         (`ParameterVersionLabelLimitExceeded`); another negative code
 *         for other failures
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_param_label(uint64_t *version_out, ssm_strarray *invalid_labels_out,
		ssm_client *client, const char *name, uint64_t version,
		const char *const *labels, size_t count);

/**
 * Remove labels from a version (AWS UnlabelParameterVersion). Labels not on
 * that version are returned in @p invalid_out.
 *
 * @param[out] removed_out  labels removed; may be NULL; dispose with
 *                          ssm_strarray_dispose()
 * @param[out] invalid_out  labels not found on the version; may be NULL;
 *                          dispose with ssm_strarray_dispose()
 * @param client            the client
 * @param name              the name
 * @param version           the version (required, >= 1)
 * @param labels            1..10 labels
 * @param count             number of @p labels
 * @return SSM_OK; SSM_ENOTFOUND (`ParameterNotFound`,
 *         `ParameterVersionNotFound`); another negative code for other
 *         failures
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_param_unlabel(ssm_strarray *removed_out, ssm_strarray *invalid_out,
		  ssm_client *client, const char *name, uint64_t version,
		  const char *const *labels, size_t count);

/**
 * Free a parameter.
 *
 * @param param the parameter; NULL is a no-op (parameters owned by a list
 *              or an iterator must not be freed)
 * @since 0.1
 */
SSM_EXTERN(void) ssm_param_free(ssm_param *param);

/**
 * The name, as it was given when the parameter was created.
 *
 * @param param the parameter
 * @return text owned by @p param
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_param_name(const ssm_param *param);

/**
 * The type.
 *
 * @param param the parameter
 * @return the type
 * @since 0.1
 */
SSM_EXTERN(ssm_param_type) ssm_param_type_of(const ssm_param *param);

/**
 * The value: plain text, or for a SecureString read without
 * SSM_PARAM_WITH_DECRYPTION the base64 ciphertext blob.
 *
 * @param param the parameter
 * @return text owned by @p param (wiped when it is freed); NULL for
 *         DescribeParameters results
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_param_value(const ssm_param *param);

/**
 * The version.
 *
 * @param param the parameter
 * @return the version, >= 1
 * @since 0.1
 */
SSM_EXTERN(uint64_t) ssm_param_version(const ssm_param *param);

/**
 * The selector that was asked for, e.g. ":3" or ":prod".
 *
 * @param param the parameter
 * @return text owned by @p param, or NULL when none was given
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_param_selector(const ssm_param *param);

/**
 * Time of the version's last change.
 *
 * @param param the parameter
 * @return milliseconds since the epoch (UTC)
 * @since 0.1
 */
SSM_EXTERN(int64_t) ssm_param_last_modified_ms(const ssm_param *param);

/**
 * Who made the version (DescribeParameters and history only).
 *
 * @param param the parameter
 * @return an ARN owned by @p param, or NULL
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_param_last_modified_user(const ssm_param *param);

/**
 * The ARN, `arn:aws:ssm:<region>:<account>:parameter/<name>`.
 *
 * @param param the parameter
 * @return text owned by @p param (NULL in history results)
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_param_arn(const ssm_param *param);

/**
 * The data type: "text", "aws:ec2:image" or "aws:ssm:integration".
 *
 * @param param the parameter
 * @return text owned by @p param
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_param_data_type(const ssm_param *param);

/**
 * The description (DescribeParameters and history only).
 *
 * @param param the parameter
 * @return text owned by @p param, or NULL
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_param_description(const ssm_param *param);

/**
 * The allowed pattern (DescribeParameters and history only).
 *
 * @param param the parameter
 * @return text owned by @p param, or NULL
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_param_allowed_pattern(const ssm_param *param);

/**
 * The key of a SecureString, as given when the version was written
 * (DescribeParameters and history only).
 *
 * @param param the parameter
 * @return text owned by @p param, or NULL
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_param_key_id(const ssm_param *param);

/**
 * The tier (DescribeParameters and history only).
 *
 * @param param the parameter
 * @return the tier, or SSM_PARAM_TIER_DEFAULT when not reported
 * @since 0.1
 */
SSM_EXTERN(ssm_param_tier) ssm_param_tier_of(const ssm_param *param);

/**
 * Number of labels on the version (history only).
 *
 * @param param the parameter
 * @return the count
 * @since 0.1
 */
SSM_EXTERN(size_t) ssm_param_labels_count(const ssm_param *param);

/**
 * One label of the version.
 *
 * @param param the parameter
 * @param i     0..ssm_param_labels_count()-1
 * @return text owned by @p param, or NULL when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_param_label_at(const ssm_param *param, size_t i);

/**
 * Number of policies (DescribeParameters and history only).
 *
 * @param param the parameter
 * @return the count
 * @since 0.1
 */
SSM_EXTERN(size_t) ssm_param_policies_count(const ssm_param *param);

/**
 * One policy: its JSON text, type (`Expiration`, ...) and status
 * (`Pending`, `Finished`, `InProgress`, `Failed`).
 *
 * @param[out] type_out    the policy type; may be NULL
 * @param[out] status_out  the status; may be NULL
 * @param param            the parameter
 * @param i                0..ssm_param_policies_count()-1
 * @return the JSON text owned by @p param, or NULL when @p i is out of
 *         range (then the outputs are NULL)
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_param_policy_at(const char **type_out, const char **status_out,
		    const ssm_param *param, size_t i);

/**
 * The name of a type: "String", "StringList" or "SecureString".
 *
 * @param type a type
 * @return static text; NULL for SSM_PARAM_TYPE_DEFAULT and unknown values
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_param_type_str(ssm_param_type type);

/**
 * The name of a tier: "Standard", "Advanced" or "Intelligent-Tiering".
 *
 * @param tier a tier
 * @return static text; NULL for SSM_PARAM_TIER_DEFAULT and unknown values
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_param_tier_str(ssm_param_tier tier);

/**
 * Number of parameters found by ssm_param_get_many().
 *
 * @param list the result
 * @return the count
 * @since 0.1
 */
SSM_EXTERN(size_t) ssm_param_list_count(const ssm_param_list *list);

/**
 * One parameter found by ssm_param_get_many(), in the order asked.
 *
 * @param list the result
 * @param i    0..ssm_param_list_count()-1
 * @return the parameter, owned by @p list; NULL when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(const ssm_param *)
ssm_param_list_at(const ssm_param_list *list, size_t i);

/**
 * Number of names ssm_param_get_many() could not answer.
 *
 * @param list the result
 * @return the count
 * @since 0.1
 */
SSM_EXTERN(size_t) ssm_param_list_invalid_count(const ssm_param_list *list);

/**
 * One name ssm_param_get_many() could not answer (unknown, unknown
 * version or label, or malformed), as it was given.
 *
 * @param list the result
 * @param i    0..ssm_param_list_invalid_count()-1
 * @return text owned by @p list; NULL when @p i is out of range
 * @since 0.1
 */
SSM_EXTERN(const char *)
ssm_param_list_invalid_at(const ssm_param_list *list, size_t i);

/**
 * Free a GetParameters result and the parameters in it.
 *
 * @param list the result; NULL is a no-op
 * @since 0.1
 */
SSM_EXTERN(void) ssm_param_list_free(ssm_param_list *list);

SSM_END_DECL

#endif
