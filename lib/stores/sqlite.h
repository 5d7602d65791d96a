/* SPDX-License-Identifier: Apache-2.0 */
/* Internal hooks of the sqlite: store, for tests and benchmarks. */
#ifndef SSM_STORES_SQLITE_H
#define SSM_STORES_SQLITE_H

#include <stdint.h>

#include "ssm/sys/store.h"

/* Group commit counters: transactions asked for and SQLite commits made. */
typedef struct ssm_sqlite_stats {
	uint64_t requests; /* calls of txn that reached the writer */
	uint64_t commits;  /* SQLite transactions committed */
	uint64_t batches;  /* write transactions begun (committed or not) */
} ssm_sqlite_stats;

/* Is @store an sqlite store (under any scheme)? */
bool ssm_sqlite__is(const ssm_store *store);

/* Make the next transaction fail with SSM_ERROR ("injected fault after k
 * ops") once it has applied @k of its ops (all of them when it has fewer);
 * -1 disarms. SSM_EINVALID when @store is not an sqlite store. */
ssm_err ssm_sqlite__fail_after_ops(ssm_store *store, int k);

/* Copy the group commit counters. */
ssm_err ssm_sqlite__stats(ssm_sqlite_stats *out, ssm_store *store);

#endif
