/* SPDX-License-Identifier: Apache-2.0 */
/* The service: the engines bound to one store, account and region. Clients
 * of one context opened on the same (store URL, account, region) share one
 * service, so background work (schedulers, timers) runs once. */
#include <stdio.h>
#include <string.h>

#include "api/modules.h"
#include "api/op.h"
#include "core/alloc.h"
#include "core/ctx.h"
#include "core/error.h"

#define DEFAULT_ACCOUNT "123456789012"
#define DEFAULT_REGION "us-east-1"

struct service_entry {
	struct service_entry *next;
	ssm_service *svc;
};

static const ssm_engine_module *test_module;

void ssm_service__set_test_module(const ssm_engine_module *module)
{
	test_module = module;
}

static const ssm_engine_module *module_at(size_t i)
{
	/* slot 0 of the list is the test hook */
	if (i == 0)
		return test_module;
	return ssm_engine_modules[i - 1];
}

static size_t module_count(void)
{
	size_t n = 0;

	while (ssm_engine_modules[n])
		n++;
	return n + 1;
}

const ssm_operation *ssm_api__find_op(const char *name, size_t len)
{
	size_t i, n = module_count(), k;

	for (i = 0; i < n; i++) {
		const ssm_engine_module *m = module_at(i);

		if (!m || !m->ops)
			continue;
		for (k = 0; m->ops[k]; k++)
			if (strlen(m->ops[k]->name) == len &&
			    memcmp(m->ops[k]->name, name, len) == 0)
				return m->ops[k];
	}
	return NULL;
}

static ssm_err check_account(const char *id)
{
	size_t i;

	for (i = 0; id[i]; i++)
		if (id[i] < '0' || id[i] > '9')
			break;
	if (i != 12 || id[i])
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_API, NULL,
				      "account id '%.64s' is not 12 digits",
				      id);
	return SSM_OK;
}

static ssm_err check_region(const char *region)
{
	size_t i;

	for (i = 0; region[i]; i++)
		if (!((region[i] >= 'a' && region[i] <= 'z') ||
		      (region[i] >= '0' && region[i] <= '9') ||
		      region[i] == '-'))
			break;
	if (!i || i > 50 || region[i])
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_API, NULL,
				      "region '%.64s' is not a region name "
				      "(lower-case letters, digits, '-')",
				      region);
	return SSM_OK;
}

static void stop_modules(ssm_service *svc)
{
	while (svc->started > 0) {
		const ssm_engine_module *m = module_at((size_t)--svc->started);

		if (m && m->stop)
			m->stop(svc);
	}
}

static void service_free(ssm_service *svc)
{
	stop_modules(svc);
	if (svc->store_url)
		ssm_store_close(svc->store); /* owned when opened by URL */
	ssm__free(svc->store_url);
	ssm__free(svc->account_id);
	ssm__free(svc->region);
	ssm__free(svc->keyring);
	ssm__free(svc->prefix);
	if (svc->ctx)
		ssm_ctx__unref(svc->ctx);
	ssm__free(svc);
}

static ssm_err service_make(ssm_service **out, ssm_ctx *ctx, ssm_store *store,
			    const ssm_service_options *opts)
{
	const char *account =
		opts && opts->account_id ? opts->account_id : DEFAULT_ACCOUNT;
	const char *region =
		opts && opts->region ? opts->region : DEFAULT_REGION;
	ssm_service *svc;
	char prefix[128];
	size_t i, n;
	ssm_err error;

	SSM_TRY(check_account(account));
	SSM_TRY(check_region(region));
	svc = ssm__calloc(1, sizeof(*svc));
	if (!svc)
		return SSM_ERROR;
	atomic_init(&svc->refs, 1);
	svc->ctx = ssm_ctx__ref(ctx);
	svc->store = store;
	snprintf(prefix, sizeof(prefix), "ssm/%s/%s/", account, region);
	if (!(svc->account_id = ssm__strdup(account)) ||
	    !(svc->region = ssm__strdup(region)) ||
	    !(svc->prefix = ssm__strdup(prefix)) ||
	    (opts && opts->keyring &&
	     !(svc->keyring = ssm__strdup(opts->keyring)))) {
		svc->store = NULL;
		service_free(svc);
		return SSM_ERROR;
	}
	svc->prefix_len = strlen(prefix);
	n = module_count();
	for (i = 0; i < n; i++) {
		const ssm_engine_module *m = module_at(i);

		if (m && m->start && (error = m->start(svc)) < 0) {
			ssm_error__prefix(m->name);
			svc->store = NULL;
			service_free(svc);
			return error;
		}
		svc->started = (int)i + 1;
	}
	*out = svc;
	return SSM_OK;
}

ssm_err ssm_service__new(ssm_service **out, ssm_ctx *ctx, ssm_store *store,
			 const ssm_service_options *opts)
{
	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(ctx);
	SSM_ASSERT_ARG(store);
	return service_make(out, ctx, store, opts);
}

static bool same(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

ssm_err ssm_service__open(ssm_service **out, ssm_ctx *ctx,
			  const char *store_url,
			  const ssm_service_options *opts)
{
	const char *account =
		opts && opts->account_id ? opts->account_id : DEFAULT_ACCOUNT;
	const char *region =
		opts && opts->region ? opts->region : DEFAULT_REGION;
	struct service_entry *e;
	ssm_service *svc = NULL;
	ssm_store *store = NULL;
	ssm_err error = SSM_OK;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(ctx);
	SSM_ASSERT_ARG(store_url);

	pthread_mutex_lock(&ctx->services_lock);
	for (e = ctx->services; e; e = e->next) {
		if (same(e->svc->store_url, store_url) &&
		    same(e->svc->account_id, account) &&
		    same(e->svc->region, region)) {
			*out = ssm_service__ref(e->svc);
			goto done;
		}
	}
	e = ssm__calloc(1, sizeof(*e));
	if (!e) {
		error = SSM_ERROR;
		goto done;
	}
	error = ssm_store_open(&store, ctx, store_url);
	if (error < 0) {
		ssm__free(e);
		goto done;
	}
	error = service_make(&svc, ctx, store, opts);
	if (error < 0) {
		ssm_store_close(store);
		ssm__free(e);
		goto done;
	}
	svc->store_url = ssm__strdup(store_url);
	if (!svc->store_url) {
		svc->store_url = NULL;
		service_free(svc);
		ssm_store_close(store);
		ssm__free(e);
		error = SSM_ERROR;
		goto done;
	}
	e->svc = svc;
	e->next = ctx->services;
	ctx->services = e;
	*out = svc;
done:
	pthread_mutex_unlock(&ctx->services_lock);
	return error;
}

ssm_service *ssm_service__ref(ssm_service *svc)
{
	atomic_fetch_add(&svc->refs, 1);
	return svc;
}

void ssm_service__unref(ssm_service *svc)
{
	ssm_ctx *ctx;
	struct service_entry **pe, *e;

	if (!svc)
		return;
	ctx = svc->ctx;
	if (!svc->store_url) {
		/* made over a caller's store: not shared */
		if (atomic_fetch_sub(&svc->refs, 1) == 1)
			service_free(svc);
		return;
	}
	pthread_mutex_lock(&ctx->services_lock);
	if (atomic_fetch_sub(&svc->refs, 1) != 1) {
		pthread_mutex_unlock(&ctx->services_lock);
		return;
	}
	for (pe = (struct service_entry **)&ctx->services; (e = *pe);
	     pe = &e->next)
		if (e->svc == svc) {
			*pe = e->next;
			ssm__free(e);
			break;
		}
	pthread_mutex_unlock(&ctx->services_lock);
	service_free(svc);
}

ssm_err ssm_service__call(ssm_service *svc, const ssm_operation *op,
			  const void *request, void *response, ssm_call *call,
			  const char *principal)
{
	ssm_service_call sc;
	ssm_err error;

	error = ssm_api_validate(op->input, request);
	if (error < 0)
		return error;
	sc.svc = svc;
	sc.call = call;
	sc.now_ms = ssm_ctx__now_ms(svc->ctx);
	sc.principal = principal;
	error = op->handler(&sc, request, response);
	SSM_LOG(svc->ctx, SSM_LOG_DEBUG, "api", "%s %s", op->name,
		error < 0 ? ssm_error_last()->service_code
				    ? ssm_error_last()->service_code
				    : ssm_err_str(error)
			  : "ok");
	return error;
}
