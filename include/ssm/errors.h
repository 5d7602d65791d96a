/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/errors.h
 * @brief Error codes and the per-thread error record.
 *
 * Every fallible function returns an ::ssm_err. Zero is success, negative
 * values are failures. The small code set drives control flow; the exact AWS
 * error name (for example `ParameterNotFound`) rides in
 * ssm_error::service_code, and a one-line message naming the bad input in
 * ssm_error::message. Read ssm_error_last() right after a failure, on the
 * thread that saw it.
 */
#ifndef SSM_ERRORS_H
#define SSM_ERRORS_H

#include "ssm/common.h"

SSM_BEGIN_DECL

/** Result of every fallible call. Values are never renumbered or reused. */
typedef enum ssm_err {
	SSM_OK = 0,	       /**< success */
	SSM_ERROR = -1,	       /**< unexpected; see ssm_error_last() */
	SSM_ENOTFOUND = -2,    /**< the named thing does not exist */
	SSM_EEXISTS = -3,      /**< the named thing already exists */
	SSM_EINVALID = -4,     /**< bad argument, malformed document or name */
	SSM_ECONFLICT = -5,    /**< version, revision or label mismatch */
	SSM_EAUTH = -6,	       /**< authentication or authorization failed */
	SSM_ETIMEOUT = -7,     /**< a deadline passed */
	SSM_ECANCELLED = -8,   /**< cancelled by the caller */
	SSM_EUNSUPPORTED = -9, /**< not implemented by this plugin or build */
	SSM_ELIMIT = -10,      /**< size, quota or rate limit */
	SSM_EUSER = -11,       /**< a user callback aborted */
	SSM_ITEROVER = -12     /**< end of iteration; not a failure */
} ssm_err;

/** Where an error came from. Values are never renumbered or reused. */
typedef enum ssm_error_class {
	SSM_ERRCLASS_NONE = 0,
	SSM_ERRCLASS_NOMEMORY = 1,
	SSM_ERRCLASS_OS = 2,
	SSM_ERRCLASS_INVALID = 3, /**< bad argument to an API call */
	SSM_ERRCLASS_JSON = 4,
	SSM_ERRCLASS_YAML = 5,
	SSM_ERRCLASS_CRYPTO = 6,
	SSM_ERRCLASS_STORE = 7,
	SSM_ERRCLASS_CALLBACK = 8,
	SSM_ERRCLASS_API = 9, /**< wire request or response */
	SSM_ERRCLASS_TRANSPORT = 10,
	SSM_ERRCLASS_SERVER = 11,
	SSM_ERRCLASS_DOCUMENT = 12,
	SSM_ERRCLASS_PARAM = 13,
	SSM_ERRCLASS_COMMAND = 14,
	SSM_ERRCLASS_NODE = 15,
	SSM_ERRCLASS_PATCH = 16,
	SSM_ERRCLASS_AGENT = 17,
	SSM_ERRCLASS_EXECUTOR = 18,
	SSM_ERRCLASS_KEYPROVIDER = 19,
	SSM_ERRCLASS_SESSION = 20
} ssm_error_class;

/** The last error seen on a thread. */
typedef struct ssm_error {
	ssm_err code;		  /**< the code that was returned */
	ssm_error_class klass;	  /**< where it came from */
	const char *service_code; /**< AWS wire name, or NULL */
	const char *message;	  /**< one line; never NULL */
} ssm_error;

/**
 * The last error set on the calling thread.
 *
 * @return the thread's record; never NULL. It belongs to the thread and is
 *         overwritten by the next failure on it. After a success that did not
 *         call ssm_error_clear() it may describe an earlier failure.
 * @since 0.1
 */
SSM_EXTERN(const ssm_error *) ssm_error_last(void);

/**
 * Reset the calling thread's error record to "no error".
 *
 * @since 0.1
 */
SSM_EXTERN(void) ssm_error_clear(void);

/**
 * A static description of an error code, e.g. "not found".
 *
 * @param code any ::ssm_err value
 * @return static text; "unknown error" for values outside the enum
 * @since 0.1
 */
SSM_EXTERN(const char *) ssm_err_str(ssm_err code);

SSM_END_DECL

#endif
