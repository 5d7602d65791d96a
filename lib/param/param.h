/* SPDX-License-Identifier: Apache-2.0 */
/* The Parameter Store engine (internal).
 *
 * Store layout, under the service prefix ("ssm/<account>/<region>/"):
 *
 *   param/n/<name>                 head: the latest version in full, the
 *                                  label map of every version, the oldest
 *                                  kept version and the policies' state
 *   param/v/<name>:<version>       one record per kept version (version as
 *                                  20 digits so keys sort numerically)
 *   param/s/<due>:<name>:<i>       policy timer <i> of <name> due at <due>
 *                                  (ms, 16 digits)
 *   param/c/<tier>/<shard>         parameter counts, sharded (creates on
 *                                  different names rarely collide)
 *   param/k                        the key that signs NextTokens
 *   tags/Parameter/<name>          the tags (lib/api/tags.c)
 *
 * <name> is the normalised name: "/a/b" for hierarchical names and "a" for
 * one-level names, so "/a" and "a" are one parameter. GetParameter of the
 * latest version is one store get (the head); a selector adds at most one.
 * Every write is one transaction guarded by the head's mod revision, retried
 * on conflict, so concurrent writers never lose an update. */
#ifndef SSM_PARAM_PARAM_H
#define SSM_PARAM_PARAM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "api/op.h"
#include "core/arena.h"
#include "core/str.h"
#include "param/api.h"
#include "ssm/sys/keyprovider.h"

/* Limits (spec §3, §7) */
#define PARAM_MAX_VERSIONS 100
#define PARAM_MAX_LEVELS 15
#define PARAM_MAX_ARN_LEN 1011
#define PARAM_STANDARD_VALUE_MAX 4096
#define PARAM_ADVANCED_VALUE_MAX 8192
#define PARAM_STANDARD_COUNT_MAX 10000
#define PARAM_ADVANCED_COUNT_MAX 100000
#define PARAM_LABELS_PER_VERSION 10
#define PARAM_LABEL_MAX 100
#define PARAM_POLICIES_MAX 10
#define PARAM_COUNT_SHARDS 64
/* Writers retry a conflicting transaction at most this often before
 * answering TooManyUpdates. */
#define PARAM_WRITE_ATTEMPTS 2000

enum param_type {
	PT_NONE = 0,
	PT_STRING = 1,
	PT_STRING_LIST = 2,
	PT_SECURE = 3
};

enum param_tier {
	TIER_NONE = 0,
	TIER_STANDARD = 1,
	TIER_ADVANCED = 2,
	TIER_INTELLIGENT = 3 /* requests only; stored as one of the others */
};

enum policy_status {
	POLICY_PENDING = 0,
	POLICY_FINISHED = 1,
	POLICY_IN_PROGRESS = 2,
	POLICY_FAILED = 3
};

enum policy_kind {
	POLICY_EXPIRATION = 1,
	POLICY_EXPIRATION_NOTIFICATION = 2,
	POLICY_NO_CHANGE_NOTIFICATION = 3
};

typedef struct param_label {
	const char *label;
	uint64_t version;
} param_label;

/* State of one policy of the head. */
typedef struct param_policy_state {
	uint8_t kind;	/* enum policy_kind */
	uint8_t status; /* enum policy_status */
	int64_t due_ms; /* when its timer fires; 0: no timer */
} param_policy_state;

/* A decoded head or version record. Strings point into the buffer it was
 * decoded from (or are NULL); arrays come from the decoder's arena. */
typedef struct param_rec {
	uint8_t type; /* enum param_type */
	uint8_t tier; /* TIER_STANDARD or TIER_ADVANCED */
	uint64_t version;
	int64_t modified_ms;
	const char *name; /* as given at creation */
	const char *user;
	const char *description;
	const char *allowed_pattern;
	const char *data_type; /* NULL: "text" */
	const char *key_id;    /* SecureString: the KeyId as given */
	const char *policies;  /* JSON array text, or NULL */
	const void *value;     /* plain text, or the SecureString blob */
	size_t value_len;
	/* head only */
	uint64_t oldest;
	param_label *labels;
	size_t nlabels;
	param_policy_state *pstate;
	size_t npolicies;
} param_rec;

ssm_err param_rec_encode(ssm_str *out, const param_rec *rec, bool head);
ssm_err param_rec_decode(param_rec *out, ssm_arena *arena, const void *data,
			 size_t len);

/* The engine state of one service (svc->engine[SSM_ENGINE_PARAM]). */
typedef struct param_engine {
	ssm_service *svc;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t timer;
	bool timer_started;
	bool stopping;
	int64_t next_due_ms; /* earliest known timer; INT64_MAX: none */
	unsigned char token_key[32];
	/* ParameterLimitExceeded thresholds (tests lower them) */
	uint64_t count_max[3];
	uint64_t count_cache[3];
	int64_t count_cache_ms[3];
	char *arn_prefix; /* "arn:aws:ssm:<region>:<account>:parameter/" */
	size_t arn_prefix_len;
	char *default_user; /* "arn:aws:iam::<account>:root" */
	void *keys;	    /* key provider state (lib/param/secure.c) */
} param_engine;

param_engine *param_engine_of(const ssm_service *svc);

/* ---- names (lib/param/name.c) --------------------------------------- */

/* A reference to a parameter as a read names it. */
typedef struct param_ref {
	char *name; /* normalised */
	size_t name_len;
	char *selector;	  /* ":3" or ":label" as asked, or NULL */
	uint64_t version; /* from a ":<digits>" selector, else 0 */
	char *label;	  /* from a ":<label>" selector, else NULL */
} param_ref;

/* Check a name for a write (PutParameter, Delete, Label): every rule of
 * spec §3.1, with AWS's errors. @norm_out is the normalised name,
 * @given_out the trimmed name as given; both from @arena. */
ssm_err param_name_for_write(char **norm_out, char **given_out,
			     const param_engine *pe, const char *name,
			     ssm_arena *arena);
/* Parse a read's name: a name, "name:selector", or an ARN (when
 * @allow_arn). SSM_EINVALID (ValidationException) for a malformed name;
 * SSM_ENOTFOUND (no message) for names that cannot exist here (other
 * account, two selectors, ...). */
ssm_err param_parse_ref(param_ref *out, const param_engine *pe,
			const char *text, bool allow_arn, bool allow_selector,
			ssm_arena *arena);
/* "aws"/"ssm"-free, charset-valid label of 1..100 characters? */
bool param_label_valid(const char *label);
/* Check a path (GetParametersByPath, Path filters); @norm_out gets it
 * with exactly one trailing '/' ("/" for the root). */
ssm_err param_path_check(char **norm_out, const char *path, bool for_filter,
			 ssm_arena *arena);
/* The ARN of a normalised name, from @arena. */
char *param_arn(const param_engine *pe, const char *norm, ssm_arena *arena);
/* Number of components of a normalised name. */
size_t param_levels(const char *norm);

/* ---- store keys (lib/param/engine.c) --------------------------------- */

ssm_err param_key_head(ssm_str *out, const ssm_service *svc, const char *norm,
		       size_t len);
ssm_err param_key_version(ssm_str *out, const ssm_service *svc,
			  const char *norm, size_t len, uint64_t version);
ssm_err param_key_versions(ssm_str *out, const ssm_service *svc,
			   const char *norm, size_t len);
ssm_err param_key_timer(ssm_str *out, const ssm_service *svc, int64_t due_ms,
			const char *norm, size_t len, size_t index);
ssm_err param_key_count(ssm_str *out, const ssm_service *svc, int tier,
			unsigned shard);
unsigned param_count_shard(const char *norm, size_t len);

/* ---- transactions (lib/param/txn.c) ---------------------------------- */

/* The transaction of one write under construction; keys and values live in
 * @bufs until the next reset. */
typedef struct param_txn {
	ssm_store_compare cmps[SSM_STORE_TXN_MAX];
	ssm_store_op ops[SSM_STORE_TXN_MAX];
	size_t ncmps, nops;
	ssm_str bufs[112];
	size_t nbufs;
} param_txn;

/* A fresh buffer (NULL with SSM_ELIMIT set when all are used). */
ssm_str *param_txn_buf(param_txn *t);
void param_txn_reset(param_txn *t);
void param_txn_dispose(param_txn *t);
void param_txn_cmp(param_txn *t, const void *key, size_t len, uint64_t rev);
void param_txn_put(param_txn *t, const ssm_str *key, const void *value,
		   size_t len);
void param_txn_delete(param_txn *t, const ssm_str *key);
void param_txn_delete_prefix(param_txn *t, const ssm_str *prefix);
/* Add "count shard of @norm in @tier += @delta", guarded by its revision. */
ssm_err param_txn_count(param_txn *t, const ssm_service *svc, const char *norm,
			size_t len, int tier, int delta);
ssm_err param_txn_commit(param_txn *t, const ssm_service *svc);

/* ---- engine helpers ------------------------------------------------------ */

const char *param_type_name(int type);
int param_type_parse(const char *s);
const char *param_tier_name(int tier);
int param_tier_parse(const char *s);

/* Read the head of @norm: SSM_ENOTFOUND (no message) when absent. @kv keeps
 * the bytes @rec points into. */
ssm_err param_head_get(ssm_store_kv *kv, param_rec *rec, ssm_service *svc,
		       const char *norm, size_t len, ssm_arena *arena);
/* Read one version record; SSM_ENOTFOUND (no message) when absent. */
ssm_err param_version_get(ssm_store_kv *kv, param_rec *rec, ssm_service *svc,
			  const char *norm, size_t len, uint64_t version,
			  ssm_arena *arena);
/* The version a label is on, or 0. */
uint64_t param_label_version(const param_rec *head, const char *label);

/* Fill a response Parameter from a record (allocated from @call). With
 * @meta, the metadata members (description, key, tier, policies, ...);
 * with @value, the value (decrypted when @decrypt). */
ssm_err param_fill(ssm_api_parameter *out, ssm_service_call *sc,
		   const param_rec *rec, const param_rec *head,
		   const char *norm, bool meta, bool value, bool decrypt,
		   bool arn, bool labels);

/* Errors with AWS's names and texts */
ssm_err param_not_found(const char *name);
ssm_err param_version_not_found(const char *name, uint64_t version);
ssm_err param_too_many_updates(const char *name);

/* Back off after a conflicting transaction (attempt counts from 0). */
void param_backoff(unsigned attempt);

/* Events (lib/param/events.c), sent only when an event callback is set:
 * "Parameter Store Change" after a write, "Parameter Store Policy Action"
 * when a policy acts. */
void param_emit_change(ssm_service *svc, const char *operation,
		       const char *name, const char *type,
		       const char *description, int64_t now_ms);
void param_emit_policy(ssm_service *svc, const char *name, const char *norm,
		       const char *type, const char *policy_type,
		       const char *reason, int64_t when_ms);

/* ---- filters (lib/param/read.c) ------------------------------------- */

ssm_err param_filter_key_error(const char *key, const char *valid);
ssm_err param_filter_option_error(const char *option, const char *valid);
ssm_err param_filter_values_missing(const char *key);
/* Type filter values must be types (InvalidFilterOption otherwise). */
ssm_err param_filter_type_values(const ssm_api_param_filter *f);
/* Does @s match one of the filter's values (Equals, or BeginsWith)? */
bool param_filter_match(const ssm_api_param_filter *f, const char *s);

/* ---- NextToken (lib/param/token.c) ------------------------------------ */

/* Tokens carry the position to resume after (a store key suffix) and a
 * digest of the request they belong to, signed with the engine's key. */
ssm_err param_token_make(char **out, const param_engine *pe, uint8_t op,
			 uint32_t query, const void *pos, size_t pos_len,
			 ssm_arena *arena);
ssm_err param_token_open(const void **pos_out, size_t *pos_len_out,
			 const param_engine *pe, uint8_t op, uint32_t query,
			 const char *token, ssm_arena *arena);
/* FNV-1a over text, chained (a digest of a request's members). */
uint32_t param_hash(uint32_t h, const void *data, size_t len);

/* ---- policies (lib/param/policy.c) ---------------------------------- */

typedef struct param_policy {
	uint8_t kind;	   /* enum policy_kind */
	int64_t at_ms;	   /* Expiration: the time */
	int64_t amount_ms; /* notifications: Before / After */
	const char *text;  /* JSON text of this policy */
	size_t text_len;
} param_policy;

/* Parse and check a Policies string (the array of policy objects), with
 * AWS's errors. A string "[{}]" or "[]" yields 0 policies (removes them). */
ssm_err param_policies_parse(param_policy **out, size_t *count_out,
			     const char *text, int64_t now_ms,
			     ssm_arena *arena);
/* Compute the timers of @policies for a version modified at @modified_ms,
 * carrying statuses over from @old (NULL for none). */
void param_policies_schedule(param_policy_state *states,
			     const param_policy *policies, size_t n,
			     int64_t modified_ms, const param_rec *old,
			     bool modified);

ssm_err param_timer_start(param_engine *pe);
void param_timer_stop(param_engine *pe);
/* Wake the timer thread: a timer due at @due_ms was added. */
void param_timer_kick(param_engine *pe, int64_t due_ms);

/* ---- SecureString (lib/param/secure.c) -------------------------------- */

/* Encrypt a value for the parameter @norm with @key_id (NULL: the default
 * key); @blob_out gets the blob the store keeps. */
ssm_err param_encrypt(ssm_str *blob_out, param_engine *pe, const char *norm,
		      const char *key_id, const void *value, size_t len);
/* Decrypt a blob into @out (NUL-terminated, from @arena; wiped with it). */
ssm_err param_decrypt(char **out, size_t *len_out, param_engine *pe,
		      const char *norm, const void *blob, size_t blob_len,
		      ssm_arena *arena);
/* The text a read without WithDecryption returns: the blob in base64. */
ssm_err param_blob_text(char **out, const void *blob, size_t len,
			ssm_arena *arena);
/* Primitives (lib/param/glue.c): random bytes, HMAC-SHA256, base64. */
ssm_err param_random(void *out, size_t len);
void param_mac(unsigned char out[32], const unsigned char key[32],
	       const void *data, size_t len);
ssm_err param_b64_encode(char **out, const void *data, size_t len,
			 ssm_arena *arena);
/* SSM_EINVALID (no message) for text that is not base64. */
ssm_err param_b64_decode(unsigned char **out, size_t *len_out, const char *text,
			 ssm_arena *arena);
/* Check that @key_id names a usable key (InvalidKeyId otherwise). */
ssm_err param_key_check(param_engine *pe, const char *key_id);
void param_keys_close(param_engine *pe);
/* The service's key provider (opened on first use). */
ssm_err param_keys_provider(ssm_keyprovider **out, param_engine *pe);
/* Re-wrap the data key of a blob made with key @key_id (canonical) under
 * the key's current material; *@matched is false (and @out empty) for a
 * blob of another key. */
ssm_err param_blob_rewrap(ssm_str *out, ssm_keyprovider *kp, const char *arn,
			  const void *blob, size_t len, const char *key_id,
			  bool *matched);

/* ---- handlers (lib/param/put.c, read.c, describe.c, write.c) */
ssm_err param_op_put(ssm_service_call *sc, const void *in, void *out);
ssm_err param_op_get(ssm_service_call *sc, const void *in, void *out);
ssm_err param_op_get_many(ssm_service_call *sc, const void *in, void *out);
ssm_err param_op_get_by_path(ssm_service_call *sc, const void *in, void *out);
ssm_err param_op_describe(ssm_service_call *sc, const void *in, void *out);
ssm_err param_op_history(ssm_service_call *sc, const void *in, void *out);
ssm_err param_op_delete(ssm_service_call *sc, const void *in, void *out);
ssm_err param_op_delete_many(ssm_service_call *sc, const void *in, void *out);
ssm_err param_op_label(ssm_service_call *sc, const void *in, void *out);
ssm_err param_op_unlabel(ssm_service_call *sc, const void *in, void *out);

extern const ssm_operation ssm_param__op_key_create;
extern const ssm_operation ssm_param__op_key_list;
extern const ssm_operation ssm_param__op_key_rotate;
extern const ssm_operation ssm_param__op_key_alias;

/* ---- module ------------------------------------------------------------ */

extern const ssm_engine_module ssm_param__module;
extern const ssm_taggable ssm_param__taggable;

#endif
