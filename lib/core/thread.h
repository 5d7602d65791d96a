/* SPDX-License-Identifier: Apache-2.0 */
/* Threads and clocks (POSIX). */
#ifndef SSM_CORE_THREAD_H
#define SSM_CORE_THREAD_H

#include <pthread.h>
#include <stdint.h>
#include <stdbool.h>

/* Wall clock, ms since the Unix epoch (UTC). */
int64_t ssm__now_ms(void);
/* Monotonic clock in ms and ns; only differences are meaningful. */
int64_t ssm__mono_ms(void);
uint64_t ssm__mono_ns(void);

/* A condition variable on the monotonic clock. */
int ssm__cond_init(pthread_cond_t *cond);
/* Wait until signalled or until the monotonic @deadline_ms (-1: forever).
 * Returns false on timeout. */
bool ssm__cond_wait_until(pthread_cond_t *cond, pthread_mutex_t *mutex,
			  int64_t deadline_ms);

#endif
