/* SPDX-License-Identifier: Apache-2.0 */
/* Parameter policies that act (spec §3.6): timers in the store, a thread
 * per service that fires them, and the hook tests use to fire them at a
 * controlled clock.
 *
 * Each policy with something to do later has a timer key
 * "param/s/<due>:<name>:<index>"; the head records each policy's due time
 * and status. Firing a timer is one transaction guarded by the head's
 * revision, so a timer fires once even when several processes share the
 * store (each runs its own thread), and an update racing with it wins or
 * loses cleanly. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/ctx.h"
#include "core/error.h"
#include "core/thread.h"
#include "core/time.h"
#include "param/param.h"
#include "param/resolve.h"

/* Timers are also looked for this often, for timers other processes add. */
#define SCAN_INTERVAL_MS 60000
#define RUN_BATCH 64

void param_policies_schedule(param_policy_state *states,
			     const param_policy *policies, size_t n,
			     int64_t modified_ms, const param_rec *old,
			     bool modified)
{
	int64_t expires = 0;
	size_t i;

	(void)modified;
	for (i = 0; i < n; i++)
		if (policies[i].kind == POLICY_EXPIRATION)
			expires = policies[i].at_ms;
	for (i = 0; i < n; i++) {
		const param_policy *p = &policies[i];
		param_policy_state *s = &states[i];
		const param_policy_state *o =
			old && i < old->npolicies &&
					old->pstate[i].kind == p->kind
				? &old->pstate[i]
				: NULL;

		s->kind = p->kind;
		s->status = POLICY_PENDING;
		switch (p->kind) {
		case POLICY_EXPIRATION:
			s->due_ms = p->at_ms;
			break;
		case POLICY_EXPIRATION_NOTIFICATION:
			s->due_ms = expires - p->amount_ms;
			if (s->due_ms < 1)
				s->due_ms = 1;
			/* a notification sent stays sent while the
			 * expiration it announced is unchanged */
			if (o && o->status == POLICY_FINISHED && !o->due_ms) {
				s->status = POLICY_FINISHED;
				s->due_ms = 0;
			}
			break;
		case POLICY_NO_CHANGE_NOTIFICATION:
			/* restarts with every modification */
			s->due_ms = modified_ms + p->amount_ms;
			break;
		}
	}
}

/* ---- firing ---------------------------------------------------------- */

/* Parse "<due>:<name>:<index>" after the timer prefix. */
static bool timer_parse(int64_t *due, char **norm, size_t *index, const char *s,
			size_t len, ssm_arena *arena)
{
	const char *colon, *last;
	char *end;

	if (len < 18 || s[16] != ':')
		return false;
	*due = (int64_t)strtoull(s, &end, 10);
	if (end != s + 16)
		return false;
	colon = s + 16;
	last = colon + 1;
	for (last = s + len; last > colon + 1 && last[-1] != ':'; last--)
		;
	if (last <= colon + 1)
		return false;
	*index = (size_t)strtoull(last, &end, 10);
	if (end != s + len)
		return false;
	*norm = ssm_arena_strndup(arena, colon + 1, (size_t)(last - colon - 2));
	return *norm != NULL;
}

static const char *kind_name(int kind)
{
	switch (kind) {
	case POLICY_EXPIRATION:
		return "Expiration";
	case POLICY_EXPIRATION_NOTIFICATION:
		return "ExpirationNotification";
	}
	return "NoChangeNotification";
}

/* The event of a policy that acted, with a reason naming its time. */
static void emit(ssm_service *svc, const param_rec *head, const char *norm,
		 int kind, int64_t due)
{
	char when[SSM_ISO8601_SIZE] = "", reason[1200];
	int64_t at = due;
	size_t i;

	if (kind == POLICY_EXPIRATION_NOTIFICATION)
		for (i = 0; i < head->npolicies; i++)
			if (head->pstate[i].kind == POLICY_EXPIRATION)
				at = head->pstate[i].due_ms;
	if (kind == POLICY_NO_CHANGE_NOTIFICATION)
		at = head->modified_ms;
	if (ssm_time_format_iso8601(when, at) < 0)
		snprintf(when, sizeof(when), "?");
	if (kind == POLICY_EXPIRATION)
		snprintf(reason, sizeof(reason),
			 "Parameter %.900s expired at %s and was deleted.",
			 head->name, when);
	else if (kind == POLICY_EXPIRATION_NOTIFICATION)
		snprintf(reason, sizeof(reason),
			 "Parameter %.900s expires at %s.", head->name, when);
	else
		snprintf(reason, sizeof(reason),
			 "Parameter %.900s has not been modified since %s.",
			 head->name, when);
	param_emit_policy(svc, head->name, norm, param_type_name(head->type),
			  kind_name(kind), reason, ssm_ctx__now_ms(svc->ctx));
}

/* Fire one timer. Returns SSM_ECONFLICT (no service code) to retry. */
static ssm_err fire(param_engine *pe, const ssm_str *tkey, uint64_t trev,
		    const char *norm, size_t index, int64_t due, bool *fired)
{
	ssm_service *svc = pe->svc;
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_arena arena = SSM_ARENA_INIT;
	ssm_str buf = SSM_STR_INIT;
	param_txn *t = NULL;
	size_t len = strlen(norm), i;
	param_rec head;
	ssm_str *key;
	int kind;
	ssm_err error;

	*fired = false;
	t = ssm__calloc(1, sizeof(*t));
	if (!t)
		return SSM_ERROR;
	error = param_head_get(&kv, &head, svc, norm, len, &arena);
	if (error < 0 && error != SSM_ENOTFOUND)
		goto done;
	param_txn_cmp(t, tkey->ptr, tkey->size, trev);
	if (error == SSM_ENOTFOUND || index >= head.npolicies ||
	    head.pstate[index].due_ms != due) {
		/* stale: its parameter or policy is gone */
		param_txn_delete(t, tkey);
		error = param_txn_commit(t, svc);
		goto done;
	}
	kind = head.pstate[index].kind;
	error = SSM_ELIMIT;
	if (!(key = param_txn_buf(t)) ||
	    (error = param_key_head(key, svc, norm, len)) < 0)
		goto done;
	param_txn_cmp(t, key->ptr, key->size, kv.mod_revision);
	if (kind == POLICY_EXPIRATION) {
		/* delete the parameter: every version, tags, timers */
		param_txn_delete(t, key);
		error = SSM_ELIMIT;
		if (!(key = param_txn_buf(t)) ||
		    (error = param_key_versions(key, svc, norm, len)) < 0)
			goto done;
		param_txn_delete_prefix(t, key);
		error = SSM_ELIMIT;
		if (!(key = param_txn_buf(t)) ||
		    (error = ssm_tags__key(key, svc, "Parameter", norm, len)) <
			    0)
			goto done;
		param_txn_delete(t, key);
		for (i = 0; i < head.npolicies; i++) {
			if (!head.pstate[i].due_ms)
				continue;
			error = SSM_ELIMIT;
			if (!(key = param_txn_buf(t)) ||
			    (error = param_key_timer(key, svc,
						     head.pstate[i].due_ms,
						     norm, len, i)) < 0)
				goto done;
			param_txn_delete(t, key);
		}
		if ((error = param_txn_count(t, svc, norm, len, head.tier,
					     -1)) < 0)
			goto done;
	} else {
		head.pstate[index].status = POLICY_FINISHED;
		head.pstate[index].due_ms = 0;
		if ((error = param_rec_encode(&buf, &head, true)) < 0)
			goto done;
		param_txn_put(t, key, buf.ptr, buf.size);
		param_txn_delete(t, tkey);
	}
	error = param_txn_commit(t, svc);
	if (error < 0)
		goto done;
	*fired = true;
	SSM_LOG(svc->ctx, SSM_LOG_INFO, "param", "policy %s of %s acted",
		kind_name(kind), head.name);
	emit(svc, &head, norm, kind, due);
done:
	if (t) {
		param_txn_dispose(t);
		ssm__free(t);
	}
	ssm_str_dispose(&buf);
	ssm_store_kv_dispose(&kv);
	ssm_arena_dispose(&arena);
	return error;
}

/* The current mod revision of a timer key; SSM_ENOTFOUND when gone. */
static ssm_err timer_rev(uint64_t *rev, ssm_service *svc, const ssm_str *key)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_err error = ssm_store_get(&kv, svc->store, key->ptr, key->size);

	*rev = kv.mod_revision;
	ssm_store_kv_dispose(&kv);
	return error;
}

/* Fire every timer due at @now; *@next_out gets the first one not due. */
static ssm_err run_due(param_engine *pe, int64_t now, size_t *fired_out,
		       int64_t *next_out)
{
	ssm_service *svc = pe->svc;
	ssm_store_range_options ro = SSM_STORE_RANGE_OPTIONS_INIT;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	ssm_str prefix = SSM_STR_INIT, tkey = SSM_STR_INIT;
	ssm_str after = SSM_STR_INIT;
	size_t fired = 0, i, base;
	bool more = true;
	ssm_err error;

	*next_out = INT64_MAX;
	error = ssm_str_put(&prefix, svc->prefix, svc->prefix_len);
	if (error == SSM_OK)
		error = ssm_str_puts(&prefix, "param/s/");
	base = prefix.size;
	ro.limit = RUN_BATCH;
	while (error == SSM_OK && more) {
		ssm_store_kvs_dispose(&kvs);
		error = ssm_store_range(&kvs, svc->store, prefix.ptr,
					prefix.size, &ro);
		if (error < 0)
			break;
		more = kvs.more && kvs.count;
		for (i = 0; i < kvs.count && error == SSM_OK; i++) {
			ssm_store_kv *kv = &kvs.items[i];
			ssm_arena arena = SSM_ARENA_INIT;
			unsigned attempt;
			uint64_t rev = kv->mod_revision;
			int64_t due;
			size_t index;
			char *norm;
			bool ok = false;

			if (!timer_parse(&due, &norm, &index,
					 kv->key.ptr + base,
					 kv->key.size - base, &arena)) {
				ssm_arena_dispose(&arena);
				continue;
			}
			if (due > now) {
				*next_out = due;
				more = false;
				ssm_arena_dispose(&arena);
				break;
			}
			ssm_str_clear(&tkey);
			error = ssm_str_put(&tkey, kv->key.ptr, kv->key.size);
			for (attempt = 0; error == SSM_OK && attempt < 5;
			     attempt++) {
				error = fire(pe, &tkey, rev, norm, index, due,
					     &ok);
				if (error != SSM_ECONFLICT ||
				    ssm_error_last()->service_code)
					break;
				/* the parameter changed, or another process
				 * fired the timer: look again */
				error = timer_rev(&rev, svc, &tkey);
				if (error == SSM_ENOTFOUND) {
					error = SSM_OK;
					break;
				}
			}
			if (error == SSM_ECONFLICT &&
			    !ssm_error_last()->service_code)
				error = SSM_OK; /* the next scan retries */
			if (error == SSM_OK && ok)
				fired++;
			ssm_arena_dispose(&arena);
		}
		if (error == SSM_OK && more) {
			ssm_store_kv *last = &kvs.items[kvs.count - 1];

			ssm_str_clear(&after);
			error = ssm_str_put(&after, last->key.ptr,
					    last->key.size);
			ro.start_after = after.ptr;
			ro.start_after_len = after.size;
		}
	}
	if (fired_out)
		*fired_out = fired;
	ssm_store_kvs_dispose(&kvs);
	ssm_str_dispose(&prefix);
	ssm_str_dispose(&tkey);
	ssm_str_dispose(&after);
	return error;
}

ssm_err ssm_param__run_due(size_t *fired_out, ssm_service *svc)
{
	param_engine *pe = param_engine_of(svc);
	int64_t next;

	if (fired_out)
		*fired_out = 0;
	if (!pe)
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_PARAM, NULL,
				      "the parameter engine is not running");
	return run_due(pe, ssm_ctx__now_ms(svc->ctx), fired_out, &next);
}

/* ---- the thread ------------------------------------------------------------
 */

static void *timer_main(void *arg)
{
	param_engine *pe = arg;
	ssm_ctx *ctx = pe->svc->ctx;

	pthread_mutex_lock(&pe->lock);
	pe->next_due_ms = INT64_MIN; /* look once at start */
	while (!pe->stopping) {
		int64_t now = ssm_ctx__now_ms(ctx), wait, next;
		ssm_err error;

		if (pe->next_due_ms <= now) {
			pe->next_due_ms = INT64_MAX;
			pthread_mutex_unlock(&pe->lock);
			error = run_due(pe, now, NULL, &next);
			if (error < 0)
				SSM_LOG(ctx, SSM_LOG_WARN, "param",
					"policy timers: %s",
					ssm_error_last()->message);
			pthread_mutex_lock(&pe->lock);
			if (error < 0 && next == INT64_MAX)
				next = now + 1000; /* try again soon */
			if (next < pe->next_due_ms)
				pe->next_due_ms = next;
			continue;
		}
		wait = pe->next_due_ms - now;
		if (wait > SCAN_INTERVAL_MS)
			wait = SCAN_INTERVAL_MS;
		if (!ssm__cond_wait_until(&pe->cond, &pe->lock,
					  ssm__mono_ms() + wait) &&
		    wait == SCAN_INTERVAL_MS)
			pe->next_due_ms = INT64_MIN; /* periodic look */
	}
	pthread_mutex_unlock(&pe->lock);
	return NULL;
}

ssm_err param_timer_start(param_engine *pe)
{
	int rc = pthread_create(&pe->timer, NULL, timer_main, pe);

	if (rc)
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_OS, NULL,
				      "cannot start the parameter policy "
				      "thread (error %d)",
				      rc);
	pe->timer_started = true;
	return SSM_OK;
}

void param_timer_stop(param_engine *pe)
{
	if (!pe->timer_started)
		return;
	pthread_mutex_lock(&pe->lock);
	pe->stopping = true;
	pthread_cond_broadcast(&pe->cond);
	pthread_mutex_unlock(&pe->lock);
	pthread_join(pe->timer, NULL);
	pe->timer_started = false;
}

ssm_err ssm_param__set_timer(ssm_service *svc, bool running)
{
	param_engine *pe = param_engine_of(svc);

	if (!pe)
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_PARAM, NULL,
				      "the parameter engine is not running");
	if (!running) {
		param_timer_stop(pe);
		return SSM_OK;
	}
	if (pe->timer_started)
		return SSM_OK;
	pthread_mutex_lock(&pe->lock);
	pe->stopping = false;
	pthread_mutex_unlock(&pe->lock);
	return param_timer_start(pe);
}

void param_timer_kick(param_engine *pe, int64_t due_ms)
{
	pthread_mutex_lock(&pe->lock);
	if (due_ms < pe->next_due_ms) {
		pe->next_due_ms = due_ms;
		pthread_cond_broadcast(&pe->cond);
	}
	pthread_mutex_unlock(&pe->lock);
}
