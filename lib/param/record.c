/* SPDX-License-Identifier: Apache-2.0 */
/* The binary records of heads and versions: a format byte, fixed-size
 * numbers (little endian), then length-prefixed strings stored with their
 * NUL so a decoded record points into the store's buffer without copies. */
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "param/param.h"

#define REC_FORMAT 1
#define REC_HEAD 0x1u /* flags: the record carries head-only fields */

static ssm_err put_u8(ssm_str *s, uint8_t v)
{
	return ssm_str_put(s, &v, 1);
}

static ssm_err put_u32(ssm_str *s, uint32_t v)
{
	unsigned char b[4];
	int i;

	for (i = 0; i < 4; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	return ssm_str_put(s, b, 4);
}

static ssm_err put_u64(ssm_str *s, uint64_t v)
{
	unsigned char b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	return ssm_str_put(s, b, 8);
}

/* u32 length (0xffffffff: NULL), bytes, NUL */
static ssm_err put_bytes(ssm_str *s, const void *p, size_t len, bool null)
{
	if (null)
		return put_u32(s, UINT32_MAX);
	if (len >= UINT32_MAX)
		return ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_PARAM, NULL,
				      "record field of %zu bytes is too long",
				      len);
	SSM_TRY(put_u32(s, (uint32_t)len));
	SSM_TRY(ssm_str_put(s, p, len));
	return put_u8(s, 0);
}

static ssm_err put_cstr(ssm_str *s, const char *p)
{
	return put_bytes(s, p, p ? strlen(p) : 0, p == NULL);
}

ssm_err param_rec_encode(ssm_str *out, const param_rec *rec, bool head)
{
	size_t i;

	SSM_TRY(put_u8(out, REC_FORMAT));
	SSM_TRY(put_u8(out, head ? REC_HEAD : 0));
	SSM_TRY(put_u8(out, rec->type));
	SSM_TRY(put_u8(out, rec->tier));
	SSM_TRY(put_u64(out, rec->version));
	SSM_TRY(put_u64(out, (uint64_t)rec->modified_ms));
	SSM_TRY(put_cstr(out, rec->name));
	SSM_TRY(put_cstr(out, rec->user));
	SSM_TRY(put_cstr(out, rec->description));
	SSM_TRY(put_cstr(out, rec->allowed_pattern));
	SSM_TRY(put_cstr(out, rec->data_type));
	SSM_TRY(put_cstr(out, rec->key_id));
	SSM_TRY(put_cstr(out, rec->policies));
	SSM_TRY(put_bytes(out, rec->value, rec->value_len, false));
	if (!head)
		return SSM_OK;
	SSM_TRY(put_u64(out, rec->oldest));
	SSM_TRY(put_u32(out, (uint32_t)rec->nlabels));
	for (i = 0; i < rec->nlabels; i++) {
		SSM_TRY(put_cstr(out, rec->labels[i].label));
		SSM_TRY(put_u64(out, rec->labels[i].version));
	}
	SSM_TRY(put_u32(out, (uint32_t)rec->npolicies));
	for (i = 0; i < rec->npolicies; i++) {
		SSM_TRY(put_u8(out, rec->pstate[i].kind));
		SSM_TRY(put_u8(out, rec->pstate[i].status));
		SSM_TRY(put_u64(out, (uint64_t)rec->pstate[i].due_ms));
	}
	return SSM_OK;
}

/* ---- decoding --------------------------------------------------------- */

struct reader {
	const unsigned char *p, *end;
	bool bad;
};

static uint8_t get_u8(struct reader *r)
{
	if (r->bad || r->end - r->p < 1) {
		r->bad = true;
		return 0;
	}
	return *r->p++;
}

static uint32_t get_u32(struct reader *r)
{
	uint32_t v = 0;
	int i;

	if (r->bad || r->end - r->p < 4) {
		r->bad = true;
		return 0;
	}
	for (i = 0; i < 4; i++)
		v |= (uint32_t)r->p[i] << (8 * i);
	r->p += 4;
	return v;
}

static uint64_t get_u64(struct reader *r)
{
	uint64_t v = 0;
	int i;

	if (r->bad || r->end - r->p < 8) {
		r->bad = true;
		return 0;
	}
	for (i = 0; i < 8; i++)
		v |= (uint64_t)r->p[i] << (8 * i);
	r->p += 8;
	return v;
}

static const char *get_bytes(struct reader *r, size_t *len_out)
{
	uint32_t n = get_u32(r);
	const char *p;

	if (len_out)
		*len_out = 0;
	if (r->bad || n == UINT32_MAX)
		return NULL;
	if ((size_t)(r->end - r->p) < (size_t)n + 1 || r->p[n] != 0) {
		r->bad = true;
		return NULL;
	}
	p = (const char *)r->p;
	r->p += (size_t)n + 1;
	if (len_out)
		*len_out = n;
	return p;
}

ssm_err param_rec_decode(param_rec *out, ssm_arena *arena, const void *data,
			 size_t len)
{
	struct reader r = { data, (const unsigned char *)data + len, false };
	uint8_t flags;
	size_t i, n;

	memset(out, 0, sizeof(*out));
	if (get_u8(&r) != REC_FORMAT)
		goto bad;
	flags = get_u8(&r);
	out->type = get_u8(&r);
	out->tier = get_u8(&r);
	out->version = get_u64(&r);
	out->modified_ms = (int64_t)get_u64(&r);
	out->name = get_bytes(&r, NULL);
	out->user = get_bytes(&r, NULL);
	out->description = get_bytes(&r, NULL);
	out->allowed_pattern = get_bytes(&r, NULL);
	out->data_type = get_bytes(&r, NULL);
	out->key_id = get_bytes(&r, NULL);
	out->policies = get_bytes(&r, NULL);
	out->value = get_bytes(&r, &out->value_len);
	if (r.bad || !out->name || !out->value)
		goto bad;
	if (!(flags & REC_HEAD))
		return SSM_OK;
	out->oldest = get_u64(&r);
	n = get_u32(&r);
	if (r.bad || n > (size_t)(r.end - r.p))
		goto bad;
	if (n) {
		out->labels = ssm_arena_calloc(arena, n, sizeof(*out->labels));
		if (!out->labels)
			return SSM_ERROR;
	}
	for (i = 0; i < n; i++) {
		out->labels[i].label = get_bytes(&r, NULL);
		out->labels[i].version = get_u64(&r);
	}
	out->nlabels = n;
	n = get_u32(&r);
	if (r.bad || n > (size_t)(r.end - r.p))
		goto bad;
	if (n) {
		out->pstate = ssm_arena_calloc(arena, n, sizeof(*out->pstate));
		if (!out->pstate)
			return SSM_ERROR;
	}
	for (i = 0; i < n; i++) {
		out->pstate[i].kind = get_u8(&r);
		out->pstate[i].status = get_u8(&r);
		out->pstate[i].due_ms = (int64_t)get_u64(&r);
	}
	out->npolicies = n;
	if (r.bad)
		goto bad;
	for (i = 0; i < out->nlabels; i++)
		if (!out->labels[i].label)
			goto bad;
	return SSM_OK;
bad:
	return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_PARAM, NULL,
			      "corrupt parameter record in the store (%zu "
			      "bytes)",
			      len);
}
