/* SPDX-License-Identifier: Apache-2.0 */
/* Time formats of the wire, all UTC, from and to int64 ms since the epoch:
 * ISO-8601 ("2024-10-21T12:34:56.789Z"), the SigV4 amz date
 * ("20241021T123456Z") and AWS JSON epoch seconds ("1528932105.382").
 * Exact integer arithmetic throughout; years 0000..9999. */
#ifndef SSM_CORE_TIME_H
#define SSM_CORE_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "ssm/errors.h"

/* Buffer sizes, NUL included. */
#define SSM_ISO8601_SIZE 25	/* 2024-10-21T12:34:56.789Z */
#define SSM_ISO8601_SEC_SIZE 21 /* 2024-10-21T12:34:56Z */
#define SSM_AMZ_DATE_SIZE 17	/* 20241021T123456Z */
#define SSM_EPOCH_SIZE 32	/* -9223372036854775.808 */

/* "YYYY-MM-DDTHH:MM:SS.fffZ". SSM_EINVALID outside years 0000..9999. */
ssm_err ssm_time_format_iso8601(char out[SSM_ISO8601_SIZE], int64_t ms);
/* "YYYY-MM-DDTHH:MM:SSZ" (milliseconds dropped, rounding down). */
ssm_err ssm_time_format_iso8601_sec(char out[SSM_ISO8601_SEC_SIZE], int64_t ms);
/* Parse "YYYY-MM-DDTHH:MM:SS", an optional fraction of 1..9 digits (cut to
 * ms), then "Z" or a "+HH:MM"/"-HH:MM" offset. All of @len must match.
 * SSM_EINVALID naming the text otherwise. */
ssm_err ssm_time_parse_iso8601(int64_t *ms_out, const char *s, size_t len);

/* "YYYYMMDDTHHMMSSZ" (milliseconds dropped, rounding down). */
ssm_err ssm_time_format_amz(char out[SSM_AMZ_DATE_SIZE], int64_t ms);
/* Parse exactly "YYYYMMDDTHHMMSSZ". */
ssm_err ssm_time_parse_amz(int64_t *ms_out, const char *s, size_t len);

/* Epoch seconds as AWS JSON prints them: the seconds, then '.' and the
 * milliseconds without trailing zeros when not whole ("1528932105.382",
 * "1528932105.38", "1528932105"). Cannot fail; returns the length. */
size_t ssm_time_format_epoch(char out[SSM_EPOCH_SIZE], int64_t ms);
/* Parse a JSON number of epoch seconds ("1528932105.382",
 * "1.528932105382E9", "1528932105") into ms, digits past the millisecond
 * cut toward zero. SSM_EINVALID for non-numbers or values out of range. */
ssm_err ssm_time_parse_epoch(int64_t *ms_out, const char *s, size_t len);

#endif
