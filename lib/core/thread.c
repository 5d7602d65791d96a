/* SPDX-License-Identifier: Apache-2.0 */
#include "core/thread.h"

#include <errno.h>
#include <time.h>

int64_t ssm__now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t ssm__mono_ms(void)
{
	return (int64_t)(ssm__mono_ns() / 1000000);
}

uint64_t ssm__mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int ssm__cond_init(pthread_cond_t *cond)
{
	pthread_condattr_t attr;
	int rc;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	rc = pthread_cond_init(cond, &attr);
	pthread_condattr_destroy(&attr);
	return rc;
}

bool ssm__cond_wait_until(pthread_cond_t *cond, pthread_mutex_t *mutex,
			  int64_t deadline_ms)
{
	struct timespec ts;

	if (deadline_ms < 0) {
		pthread_cond_wait(cond, mutex);
		return true;
	}
	ts.tv_sec = deadline_ms / 1000;
	ts.tv_nsec = (long)(deadline_ms % 1000) * 1000000;
	return pthread_cond_timedwait(cond, mutex, &ts) != ETIMEDOUT;
}
