/* SPDX-License-Identifier: Apache-2.0 */
/* The key provider layer's core: registration, opening, the wrappers in
 * front of every plugin method, and the fault-injecting wrapper. */
#include <stdatomic.h>
#include <string.h>

#include "core/alloc.h"
#include "core/ctx.h"
#include "core/crypto.h"
#include "core/error.h"
#include "keys/keys.h"

ssm_err ssm_keyprovider_ops_init(ssm_keyprovider_ops *ops, unsigned int version)
{
	SSM_ASSERT_ARG(ops);
	if (version == 0 || version > SSM_KEYPROVIDER_OPS_VERSION)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "ssm_keyprovider_ops version %u is not "
				      "supported (1..%u)",
				      version, SSM_KEYPROVIDER_OPS_VERSION);
	memset(ops, 0, sizeof(*ops));
	ops->version = version;
	return SSM_OK;
}

ssm_err ssm_ctx_register_keyprovider(ssm_ctx *ctx,
				     const ssm_keyprovider_ops *ops,
				     void *payload)
{
	SSM_ASSERT_ARG(ctx);
	SSM_ASSERT_ARG(ops);
	SSM_CHECK_VERSION(ops, SSM_KEYPROVIDER_OPS_VERSION,
			  "ssm_keyprovider_ops");
	if (!ops->name || !*ops->name || strchr(ops->name, ':'))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "key provider name must be non-empty "
				      "and without ':'");
	if (!ops->open || !ops->close || !ops->resolve ||
	    !ops->generate_data_key || !ops->decrypt_data_key)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "key provider '%.64s' lacks a required "
				      "method",
				      ops->name);
	return ssm_ctx__register(ctx, SSM_PLUGIN_KEYPROVIDER, ops->name, ops,
				 payload);
}

ssm_err ssm_keyproviders__register_builtins(ssm_ctx *ctx)
{
	return ssm_ctx_register_keyprovider(ctx, &ssm_keyprovider__keyring_ops,
					    NULL);
}

static ssm_err open_ops(ssm_keyprovider **out, ssm_ctx *ctx,
			const ssm_keyprovider_ops *ops, void *payload,
			const ssm_keyprovider_config *cfg)
{
	ssm_keyprovider *kp = NULL;

	SSM_TRY(ops->open(&kp, ops, ctx, cfg, payload));
	if (!kp->ops)
		kp->ops = ops;
	if (!kp->ctx)
		kp->ctx = ssm_ctx__ref(ctx);
	*out = kp;
	return SSM_OK;
}

ssm_err ssm_keyprovider_open(ssm_keyprovider **out, ssm_ctx *ctx,
			     const char *name,
			     const ssm_keyprovider_config *cfg)
{
	const void *found;
	void *payload;
	char names[200];

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(ctx);
	SSM_ASSERT_ARG(name);
	SSM_ASSERT_ARG(cfg);
	SSM_CHECK_VERSION(cfg, SSM_KEYPROVIDER_CONFIG_VERSION,
			  "ssm_keyprovider_config");
	if (ssm_ctx__lookup(&found, &payload, ctx, SSM_PLUGIN_KEYPROVIDER, name,
			    strlen(name)) < 0) {
		ssm_ctx__plugin_names(names, sizeof(names), ctx,
				      SSM_PLUGIN_KEYPROVIDER);
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_KEYPROVIDER,
				      NULL,
				      "unknown key provider '%.64s' (known: "
				      "%s)",
				      name, names);
	}
	return open_ops(out, ctx, found, payload, cfg);
}

ssm_err ssm_keyprovider__open_spec(ssm_keyprovider **out, ssm_ctx *ctx,
				   const char *spec, const char *account_id,
				   const char *region)
{
	ssm_keyprovider_config cfg = { SSM_KEYPROVIDER_CONFIG_VERSION, NULL,
				       account_id, region };
	const char *colon = spec ? strchr(spec, ':') : NULL;
	const void *found;
	void *payload;

	*out = NULL;
	if (colon && colon > spec &&
	    ssm_ctx__lookup(&found, &payload, ctx, SSM_PLUGIN_KEYPROVIDER, spec,
			    (size_t)(colon - spec)) == SSM_OK) {
		cfg.location = *(colon + 1) ? colon + 1 : NULL;
		return open_ops(out, ctx, found, payload, &cfg);
	}
	cfg.location = spec;
	return ssm_keyprovider_open(out, ctx, "keyring", &cfg);
}

void ssm_keyprovider_close(ssm_keyprovider *kp)
{
	ssm_ctx *ctx;

	if (!kp)
		return;
	ctx = kp->ctx;
	kp->ops->close(kp);
	ssm_ctx__unref(ctx);
}

/* ---- wrappers -------------------------------------------------------------
 */

static ssm_err unsupported(ssm_keyprovider *kp, const char *what)
{
	return ssm_error__set(SSM_EUNSUPPORTED, SSM_ERRCLASS_KEYPROVIDER, NULL,
			      "the key provider '%s' cannot %s", kp->ops->name,
			      what);
}

ssm_err ssm_keyprovider__resolve(ssm_buf *key_id_out, ssm_keyprovider *kp,
				 const char *key_id)
{
	SSM_ASSERT_ARG(key_id_out);
	SSM_ASSERT_ARG(kp);
	SSM_ASSERT_ARG(key_id);
	return kp->ops->resolve(key_id_out, kp, key_id);
}

ssm_err ssm_keyprovider__generate(uint8_t plaintext_out[SSM_DATA_KEY_LEN],
				  ssm_buf *wrapped_out, ssm_keyprovider *kp,
				  const char *key_id, const void *context,
				  size_t context_len)
{
	ssm_err error;

	SSM_ASSERT_ARG(plaintext_out);
	SSM_ASSERT_ARG(wrapped_out);
	SSM_ASSERT_ARG(kp);
	SSM_ASSERT_ARG(key_id);
	SSM_ASSERT_ARG(context || !context_len);
	error = kp->ops->generate_data_key(plaintext_out, wrapped_out, kp,
					   key_id, context, context_len);
	if (error < 0)
		ssm__zeroize(plaintext_out, SSM_DATA_KEY_LEN);
	return error;
}

ssm_err ssm_keyprovider__decrypt(uint8_t plaintext_out[SSM_DATA_KEY_LEN],
				 ssm_keyprovider *kp, const char *key_id,
				 const void *wrapped, size_t wrapped_len,
				 const void *context, size_t context_len)
{
	ssm_err error;

	SSM_ASSERT_ARG(plaintext_out);
	SSM_ASSERT_ARG(kp);
	SSM_ASSERT_ARG(key_id);
	SSM_ASSERT_ARG(wrapped || !wrapped_len);
	SSM_ASSERT_ARG(context || !context_len);
	error = kp->ops->decrypt_data_key(plaintext_out, kp, key_id, wrapped,
					  wrapped_len, context, context_len);
	if (error < 0)
		ssm__zeroize(plaintext_out, SSM_DATA_KEY_LEN);
	return error;
}

ssm_err ssm_keyprovider__reencrypt(ssm_buf *wrapped_out, ssm_keyprovider *kp,
				   const char *key_id, const void *wrapped,
				   size_t wrapped_len, const void *context,
				   size_t context_len)
{
	SSM_ASSERT_ARG(wrapped_out);
	SSM_ASSERT_ARG(kp);
	SSM_ASSERT_ARG(key_id);
	SSM_ASSERT_ARG(wrapped || !wrapped_len);
	if (!kp->ops->reencrypt_data_key)
		return unsupported(kp, "re-encrypt data keys");
	return kp->ops->reencrypt_data_key(wrapped_out, kp, key_id, wrapped,
					   wrapped_len, context, context_len);
}

ssm_err ssm_keyprovider__create_key(ssm_buf *key_id_out, ssm_keyprovider *kp,
				    const char *description)
{
	SSM_ASSERT_ARG(key_id_out);
	SSM_ASSERT_ARG(kp);
	if (!kp->ops->create_key)
		return unsupported(kp, "create keys");
	return kp->ops->create_key(key_id_out, kp,
				   description ? description : "");
}

ssm_err ssm_keyprovider__create_alias(ssm_keyprovider *kp, const char *alias,
				      const char *key_id)
{
	SSM_ASSERT_ARG(kp);
	SSM_ASSERT_ARG(alias);
	SSM_ASSERT_ARG(key_id);
	if (!kp->ops->create_alias)
		return unsupported(kp, "create aliases");
	return kp->ops->create_alias(kp, alias, key_id);
}

ssm_err ssm_keyprovider__rotate(ssm_keyprovider *kp, const char *key_id)
{
	SSM_ASSERT_ARG(kp);
	SSM_ASSERT_ARG(key_id);
	if (!kp->ops->rotate_key)
		return unsupported(kp, "rotate keys");
	return kp->ops->rotate_key(kp, key_id);
}

ssm_err ssm_keyprovider__list(ssm_keyprovider *kp, ssm_key_list_cb cb,
			      void *payload)
{
	SSM_ASSERT_ARG(kp);
	SSM_ASSERT_ARG(cb);
	if (!kp->ops->list_keys)
		return unsupported(kp, "list keys");
	return kp->ops->list_keys(kp, cb, payload);
}

/* ---- the fault wrapper ------------------------------------------------------
 */

struct fault {
	ssm_keyprovider parent;
	ssm_keyprovider *inner;
	atomic_int method;
	atomic_uint_fast64_t nth, count;
	atomic_int code;
	atomic_bool persist;
};

static const ssm_keyprovider_ops fault_ops;

static const char *method_name(ssm_keyprovider_method m)
{
	switch (m) {
	case SSM_KEYPROVIDER_METHOD_RESOLVE:
		return "resolve";
	case SSM_KEYPROVIDER_METHOD_GENERATE:
		return "generate";
	case SSM_KEYPROVIDER_METHOD_DECRYPT:
		return "decrypt";
	case SSM_KEYPROVIDER_METHOD_REENCRYPT:
		return "reencrypt";
	case SSM_KEYPROVIDER_METHOD_ADMIN:
		return "admin";
	case SSM_KEYPROVIDER_METHOD_ANY:
		break;
	}
	return "any";
}

/* Count one call of @m; the error when it is to fail. */
static ssm_err fault_hit(struct fault *f, ssm_keyprovider_method m)
{
	int armed = atomic_load(&f->method);
	uint64_t nth = atomic_load(&f->nth), n;

	if (!nth || (armed != SSM_KEYPROVIDER_METHOD_ANY && armed != (int)m))
		return SSM_OK;
	n = atomic_fetch_add(&f->count, 1) + 1;
	if (n < nth || (n > nth && !atomic_load(&f->persist)))
		return SSM_OK;
	return ssm_error__set((ssm_err)atomic_load(&f->code),
			      SSM_ERRCLASS_KEYPROVIDER, NULL,
			      "injected fault: %s call %llu", method_name(m),
			      (unsigned long long)n);
}

static void f_close(ssm_keyprovider *kp)
{
	struct fault *f = (struct fault *)kp;

	ssm_keyprovider_close(f->inner);
	ssm__free(f);
}

static ssm_err f_resolve(ssm_buf *out, ssm_keyprovider *kp, const char *id)
{
	struct fault *f = (struct fault *)kp;

	SSM_TRY(fault_hit(f, SSM_KEYPROVIDER_METHOD_RESOLVE));
	return ssm_keyprovider__resolve(out, f->inner, id);
}

static ssm_err f_generate(uint8_t pt[SSM_DATA_KEY_LEN], ssm_buf *wrapped,
			  ssm_keyprovider *kp, const char *id, const void *ctxt,
			  size_t ctxt_len)
{
	struct fault *f = (struct fault *)kp;

	SSM_TRY(fault_hit(f, SSM_KEYPROVIDER_METHOD_GENERATE));
	return ssm_keyprovider__generate(pt, wrapped, f->inner, id, ctxt,
					 ctxt_len);
}

static ssm_err f_decrypt(uint8_t pt[SSM_DATA_KEY_LEN], ssm_keyprovider *kp,
			 const char *id, const void *w, size_t wlen,
			 const void *ctxt, size_t ctxt_len)
{
	struct fault *f = (struct fault *)kp;

	SSM_TRY(fault_hit(f, SSM_KEYPROVIDER_METHOD_DECRYPT));
	return ssm_keyprovider__decrypt(pt, f->inner, id, w, wlen, ctxt,
					ctxt_len);
}

static ssm_err f_reencrypt(ssm_buf *out, ssm_keyprovider *kp, const char *id,
			   const void *w, size_t wlen, const void *ctxt,
			   size_t ctxt_len)
{
	struct fault *f = (struct fault *)kp;

	SSM_TRY(fault_hit(f, SSM_KEYPROVIDER_METHOD_REENCRYPT));
	return ssm_keyprovider__reencrypt(out, f->inner, id, w, wlen, ctxt,
					  ctxt_len);
}

static ssm_err f_create_key(ssm_buf *out, ssm_keyprovider *kp,
			    const char *description)
{
	struct fault *f = (struct fault *)kp;

	SSM_TRY(fault_hit(f, SSM_KEYPROVIDER_METHOD_ADMIN));
	return ssm_keyprovider__create_key(out, f->inner, description);
}

static ssm_err f_create_alias(ssm_keyprovider *kp, const char *alias,
			      const char *id)
{
	struct fault *f = (struct fault *)kp;

	SSM_TRY(fault_hit(f, SSM_KEYPROVIDER_METHOD_ADMIN));
	return ssm_keyprovider__create_alias(f->inner, alias, id);
}

static ssm_err f_rotate(ssm_keyprovider *kp, const char *id)
{
	struct fault *f = (struct fault *)kp;

	SSM_TRY(fault_hit(f, SSM_KEYPROVIDER_METHOD_ADMIN));
	return ssm_keyprovider__rotate(f->inner, id);
}

static ssm_err f_list(ssm_keyprovider *kp, ssm_key_list_cb cb, void *payload)
{
	struct fault *f = (struct fault *)kp;

	SSM_TRY(fault_hit(f, SSM_KEYPROVIDER_METHOD_ADMIN));
	return ssm_keyprovider__list(f->inner, cb, payload);
}

static ssm_err f_open(ssm_keyprovider **out, const ssm_keyprovider_ops *ops,
		      ssm_ctx *ctx, const ssm_keyprovider_config *cfg,
		      void *payload)
{
	(void)out;
	(void)ops;
	(void)ctx;
	(void)cfg;
	(void)payload;
	return ssm_error__set(SSM_EUNSUPPORTED, SSM_ERRCLASS_KEYPROVIDER, NULL,
			      "the fault wrapper is made with "
			      "ssm_keyprovider_fault_new()");
}

static const ssm_keyprovider_ops fault_ops = {
	.version = SSM_KEYPROVIDER_OPS_VERSION,
	.name = "fault",
	.open = f_open,
	.close = f_close,
	.resolve = f_resolve,
	.generate_data_key = f_generate,
	.decrypt_data_key = f_decrypt,
	.reencrypt_data_key = f_reencrypt,
	.create_key = f_create_key,
	.create_alias = f_create_alias,
	.rotate_key = f_rotate,
	.list_keys = f_list,
};

ssm_err ssm_keyprovider_fault_new(ssm_keyprovider **out, ssm_keyprovider *inner)
{
	struct fault *f;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(inner);
	f = ssm__calloc(1, sizeof(*f));
	if (!f)
		return SSM_ERROR;
	f->parent.ops = &fault_ops;
	f->parent.ctx = ssm_ctx__ref(inner->ctx);
	f->inner = inner;
	*out = &f->parent;
	return SSM_OK;
}

ssm_err ssm_keyprovider_fault_set(ssm_keyprovider *kp,
				  ssm_keyprovider_method method, uint64_t nth,
				  ssm_err code, bool persist)
{
	struct fault *f = (struct fault *)kp;

	SSM_ASSERT_ARG(kp);
	if (kp->ops != &fault_ops)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "not a fault-injecting key provider");
	if (code >= 0)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "fault code %d is not a failure",
				      (int)code);
	atomic_store(&f->nth, 0);
	atomic_store(&f->method, (int)method);
	atomic_store(&f->code, (int)code);
	atomic_store(&f->persist, persist);
	atomic_store(&f->count, 0);
	atomic_store(&f->nth, nth);
	return SSM_OK;
}
