/* SPDX-License-Identifier: Apache-2.0 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>

#include "ssm/global.h"
#include "api/shape.h"
#include "core/crypto.h"
#include "core/ctx.h"
#include "core/error.h"
#include "document/doc.h"

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int init_count;

ssm_err ssm_init(void)
{
	ssm_err error = SSM_OK;

	pthread_mutex_lock(&init_lock);
	if (atomic_load(&init_count) == 0) {
		/* curl's global set-up is not thread-safe: do it once here */
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			error = ssm_error__set(SSM_ERROR, SSM_ERRCLASS_OS, NULL,
					       "libcurl global init failed");
			goto done;
		}
	}
	atomic_fetch_add(&init_count, 1);
done:
	pthread_mutex_unlock(&init_lock);
	return error;
}

ssm_err ssm_shutdown(void)
{
	ssm_err error = SSM_OK;

	pthread_mutex_lock(&init_lock);
	if (atomic_load(&init_count) == 0) {
		error = ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				       "ssm_shutdown() called without a "
				       "matching ssm_init()");
		goto done;
	}
	if (atomic_fetch_sub(&init_count, 1) == 1) {
		ssm_api__patterns_dispose();
		ssm_doc__regex_cache_dispose();
		curl_global_cleanup();
		/* the DRBG seeds itself again on its next use */
		ssm_crypto__random_cleanup();
	}
done:
	pthread_mutex_unlock(&init_lock);
	return error;
}

bool ssm__initialized(void)
{
	return atomic_load(&init_count) > 0;
}

ssm_err ssm__check_init(void)
{
	if (!ssm__initialized())
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "ssm_init() was not called");
	return SSM_OK;
}

void ssm_version(unsigned int *major, unsigned int *minor, unsigned int *patch)
{
	if (major)
		*major = SSM_VERSION_MAJOR;
	if (minor)
		*minor = SSM_VERSION_MINOR;
	if (patch)
		*patch = SSM_VERSION_PATCH;
}

const char *ssm_version_string(void)
{
	return SSM_VERSION;
}
