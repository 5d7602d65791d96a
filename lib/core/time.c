/* SPDX-License-Identifier: Apache-2.0 */
#include "core/time.h"

#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "core/error.h"

/* Shown in messages: at most this many characters of the bad text. */
#define SHOW_MAX 64

static ssm_err split_ms(struct tm *tm, int *frac, int64_t ms);
static char *put_digits(char *p, unsigned v, int n);
static bool take_digits(int *out, const char *s, size_t n);
static bool days_ok(int year, int mon, int day);
static ssm_err from_fields(int64_t *ms_out, int year, int mon, int day,
			   int hour, int min, int sec);
static ssm_err bad_time(const char *what, const char *s, size_t len);

ssm_err ssm_time_format_iso8601(char out[SSM_ISO8601_SIZE], int64_t ms)
{
	struct tm tm;
	int frac;
	char *p;

	SSM_ASSERT_ARG(out);
	SSM_TRY(split_ms(&tm, &frac, ms));
	p = put_digits(out, (unsigned)tm.tm_year + 1900, 4);
	*p++ = '-';
	p = put_digits(p, (unsigned)tm.tm_mon + 1, 2);
	*p++ = '-';
	p = put_digits(p, (unsigned)tm.tm_mday, 2);
	*p++ = 'T';
	p = put_digits(p, (unsigned)tm.tm_hour, 2);
	*p++ = ':';
	p = put_digits(p, (unsigned)tm.tm_min, 2);
	*p++ = ':';
	p = put_digits(p, (unsigned)tm.tm_sec, 2);
	*p++ = '.';
	p = put_digits(p, (unsigned)frac, 3);
	*p++ = 'Z';
	*p = '\0';
	return SSM_OK;
}

ssm_err ssm_time_format_iso8601_sec(char out[SSM_ISO8601_SEC_SIZE], int64_t ms)
{
	char full[SSM_ISO8601_SIZE];

	SSM_ASSERT_ARG(out);
	SSM_TRY(ssm_time_format_iso8601(full, ms));
	memcpy(out, full, 19);
	out[19] = 'Z';
	out[20] = '\0';
	return SSM_OK;
}

ssm_err ssm_time_parse_iso8601(int64_t *ms_out, const char *s, size_t len)
{
	int year, mon, day, hour, min, sec, frac = 0, off = 0;
	size_t i = 19;
	int64_t ms;

	SSM_ASSERT_ARG(ms_out);
	SSM_ASSERT_ARG(s || len == 0);
	*ms_out = 0;
	if (len < 20 || !take_digits(&year, s, 4) || s[4] != '-' ||
	    !take_digits(&mon, s + 5, 2) || s[7] != '-' ||
	    !take_digits(&day, s + 8, 2) || s[10] != 'T' ||
	    !take_digits(&hour, s + 11, 2) || s[13] != ':' ||
	    !take_digits(&min, s + 14, 2) || s[16] != ':' ||
	    !take_digits(&sec, s + 17, 2))
		return bad_time("ISO-8601 time", s, len);
	if (s[i] == '.') {
		size_t start = ++i;

		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (i - start < 3)
				frac = frac * 10 + (s[i] - '0');
			i++;
		}
		if (i == start || i - start > 9)
			return bad_time("ISO-8601 time", s, len);
		for (; i - start < 3; start--)
			frac *= 10;
	}
	if (i == len - 1 && s[i] == 'Z') {
		off = 0;
	} else if (i + 6 == len && (s[i] == '+' || s[i] == '-') &&
		   s[i + 3] == ':') {
		int oh, om;

		if (!take_digits(&oh, s + i + 1, 2) ||
		    !take_digits(&om, s + i + 4, 2) || oh > 23 || om > 59)
			return bad_time("ISO-8601 time", s, len);
		off = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
	} else {
		return bad_time("ISO-8601 time", s, len);
	}
	if (!days_ok(year, mon, day) || hour > 23 || min > 59 || sec > 59)
		return bad_time("ISO-8601 time", s, len);
	SSM_TRY(from_fields(&ms, year, mon, day, hour, min, sec));
	/* local time = UTC + offset */
	*ms_out = ms + frac - (int64_t)off * 60000;
	return SSM_OK;
}

ssm_err ssm_time_format_amz(char out[SSM_AMZ_DATE_SIZE], int64_t ms)
{
	struct tm tm;
	int frac;
	char *p;

	SSM_ASSERT_ARG(out);
	SSM_TRY(split_ms(&tm, &frac, ms));
	p = put_digits(out, (unsigned)tm.tm_year + 1900, 4);
	p = put_digits(p, (unsigned)tm.tm_mon + 1, 2);
	p = put_digits(p, (unsigned)tm.tm_mday, 2);
	*p++ = 'T';
	p = put_digits(p, (unsigned)tm.tm_hour, 2);
	p = put_digits(p, (unsigned)tm.tm_min, 2);
	p = put_digits(p, (unsigned)tm.tm_sec, 2);
	*p++ = 'Z';
	*p = '\0';
	return SSM_OK;
}

ssm_err ssm_time_parse_amz(int64_t *ms_out, const char *s, size_t len)
{
	int year, mon, day, hour, min, sec;

	SSM_ASSERT_ARG(ms_out);
	SSM_ASSERT_ARG(s || len == 0);
	*ms_out = 0;
	if (len != SSM_AMZ_DATE_SIZE - 1 || !take_digits(&year, s, 4) ||
	    !take_digits(&mon, s + 4, 2) || !take_digits(&day, s + 6, 2) ||
	    s[8] != 'T' || !take_digits(&hour, s + 9, 2) ||
	    !take_digits(&min, s + 11, 2) || !take_digits(&sec, s + 13, 2) ||
	    s[15] != 'Z' || !days_ok(year, mon, day) || hour > 23 || min > 59 ||
	    sec > 59)
		return bad_time("amz date", s, len);
	return from_fields(ms_out, year, mon, day, hour, min, sec);
}

size_t ssm_time_format_epoch(char out[SSM_EPOCH_SIZE], int64_t ms)
{
	/* the magnitude as unsigned, so INT64_MIN works too */
	uint64_t mag = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;
	uint64_t secs = mag / 1000;
	unsigned frac = (unsigned)(mag % 1000);
	char digits[24];
	size_t n = 0, o = 0;

	if (ms < 0)
		out[o++] = '-';
	do {
		digits[n++] = (char)('0' + secs % 10);
		secs /= 10;
	} while (secs);
	while (n)
		out[o++] = digits[--n];
	if (frac) {
		out[o++] = '.';
		out[o++] = (char)('0' + frac / 100);
		if (frac % 100) {
			out[o++] = (char)('0' + frac / 10 % 10);
			if (frac % 10)
				out[o++] = (char)('0' + frac % 10);
		}
	}
	out[o] = '\0';
	return o;
}

ssm_err ssm_time_parse_epoch(int64_t *ms_out, const char *s, size_t len)
{
	size_t i = 0, ndigits = 0, nfrac = 0;
	bool neg = false, any = false, exp_neg = false;
	const char *mant = NULL;
	size_t mant_len = 0;
	int64_t exp = 0, shift, keep;
	uint64_t v = 0, limit;

	SSM_ASSERT_ARG(ms_out);
	SSM_ASSERT_ARG(s || len == 0);
	*ms_out = 0;
	if (i < len && s[i] == '-') {
		neg = true;
		i++;
	}
	mant = s + i;
	while (i < len && s[i] >= '0' && s[i] <= '9') {
		i++;
		ndigits++;
	}
	any = ndigits > 0;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			i++;
			nfrac++;
		}
		if (nfrac == 0)
			return bad_time("epoch time", s, len);
		any = true;
	}
	if (!any)
		return bad_time("epoch time", s, len);
	mant_len = (size_t)(s + i - mant);
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t start;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			exp_neg = s[i++] == '-';
		start = i;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			/* past any useful size: saturate */
			if (exp < 100000)
				exp = exp * 10 + (s[i] - '0');
			i++;
		}
		if (i == start)
			return bad_time("epoch time", s, len);
	}
	if (i != len)
		return bad_time("epoch time", s, len);
	/* value in ms = D * 10^shift, D the mantissa digits without the '.' */
	shift = (exp_neg ? -exp : exp) - (int64_t)nfrac + 3;
	keep = (int64_t)(ndigits + nfrac) + (shift < 0 ? shift : 0);
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (i = 0; i < mant_len && keep > 0; i++) {
		if (mant[i] == '.')
			continue;
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(mant[i] - '0'), &v) ||
		    v > limit)
			goto range;
		keep--;
	}
	for (; shift > 0 && v != 0; shift--)
		if (__builtin_mul_overflow(v, 10, &v) || v > limit)
			goto range;
	*ms_out = neg ? (int64_t)((uint64_t)0 - v) : (int64_t)v;
	return SSM_OK;
range:
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
			      "epoch time '%.*s%s' is out of range",
			      len > SHOW_MAX ? SHOW_MAX : (int)len, s,
			      len > SHOW_MAX ? "..." : "");
}

static ssm_err split_ms(struct tm *tm, int *frac, int64_t ms)
{
	int64_t secs = ms / 1000;
	int rem = (int)(ms % 1000);
	time_t t;

	if (rem < 0) {
		rem += 1000;
		secs--;
	}
	t = (time_t)secs;
	if (!gmtime_r(&t, tm) || tm->tm_year + 1900 < 0 ||
	    tm->tm_year + 1900 > 9999)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "time %lld ms is outside the years "
				      "0000..9999",
				      (long long)ms);
	*frac = rem;
	return SSM_OK;
}

static char *put_digits(char *p, unsigned v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

static bool take_digits(int *out, const char *s, size_t n)
{
	size_t i;
	int v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static bool days_ok(int year, int mon, int day)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	if (mon < 1 || mon > 12 || day < 1)
		return false;
	return day <= mdays[mon - 1] + (mon == 2 && leap ? 1 : 0);
}

static ssm_err from_fields(int64_t *ms_out, int year, int mon, int day,
			   int hour, int min, int sec)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	/* fields are validated, so timegm cannot fail or normalise */
	*ms_out = (int64_t)timegm(&tm) * 1000;
	return SSM_OK;
}

static ssm_err bad_time(const char *what, const char *s, size_t len)
{
	int show = len > SHOW_MAX ? SHOW_MAX : (int)len;

	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
			      "invalid %s '%.*s%s'", what, show, s ? s : "",
			      len > SHOW_MAX ? "..." : "");
}
