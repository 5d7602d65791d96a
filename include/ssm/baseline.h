/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file ssm/baseline.h
 * @brief Patch Manager: package version ordering (and, later, baselines).
 *
 * Versions are ordered exactly as the distributions' own tools order them:
 * ::SSM_VERSION_SCHEME_DEB as `dpkg --compare-versions` (dpkg 1.21, Debian
 * Policy 5.6.12) and ::SSM_VERSION_SCHEME_RPM as rpm 4.18's
 * epoch/version/release comparison (`rpm.labelCompare`, Lua `rpm.vercmp`).
 * Equal is not string-equal: `1.0`, `1.00`, `0:1.0` and `1.0-0` are the same
 * Debian version.
 *
 * Bad versions fail with ::SSM_EINVALID and the message "version 'V' has
 * bad syntax: REASON", for the first problem found in this order.
 *
 * Debian: dpkg's checks with dpkg's texts in dpkg's order, then libssm's own.
 * - "version string is empty": nothing but blanks.
 * - "version string has embedded spaces": a space or tab inside.
 * - "epoch in version is empty": no digits before the first `:` (`:1`,
 *   `a:1`).
 * - "epoch in version is not number": more than digits before it (`1.0:1`).
 * - "epoch in version is negative": `-5:1`.
 * - "epoch in version is too big": over 2147483647.
 * - "nothing after colon in version number": `1:`.
 * - "revision number is empty": a trailing `-`.
 * - "version number is empty": no upstream version (`-1`, `1:-1`, `1: `).
 * - libssm: "non-ASCII character in version string" and "control character
 *   in version string" (dpkg only warns), then "epoch in version is not
 *   number" for a signed epoch, `+1:` or `-0:` (dpkg accepts both).
 *
 * RPM: rpm takes any non-empty string, so these are libssm's.
 * - "version string is empty", "version string has embedded spaces".
 * - "epoch in version is too big": over 4294967295 (RPMTAG_EPOCH is 32 bits).
 * - "release number is empty": a trailing `-`.
 * - "version number is empty": `1:`, `-1`.
 * - "non-ASCII character in version string", "control character in version
 *   string".
 *
 * As rpm does, an RPM epoch is a leading run of digits followed by `:`:
 * `:1.0` has epoch 0, and `rc:1` has none (its `:` separates in the
 * version). Leading and trailing blanks are skipped in both schemes, as dpkg
 * does (rpm would read them as separators). What dpkg merely warns about (an
 * upstream version not starting with a digit, a character outside its
 * allowed set) is reported by ssm_version_parse() in
 * ssm_version_parts::warnings and does not stop a comparison.
 *
 * Nothing here allocates or needs ssm_init(); every function may be called
 * from any thread (a failure sets that thread's ssm_error_last()).
 */
#ifndef SSM_BASELINE_H
#define SSM_BASELINE_H

#include "ssm/common.h"
#include "ssm/errors.h"

SSM_BEGIN_DECL

/** How a package version is spelled and ordered. Never renumbered. */
typedef enum ssm_version_scheme {
	/** Debian: `[epoch:]upstream[-revision]`, ordered as dpkg does. */
	SSM_VERSION_SCHEME_DEB = 1,
	/** RPM: `[epoch:]version[-release]`, ordered as rpm 4.18 does. */
	SSM_VERSION_SCHEME_RPM = 2
} ssm_version_scheme;

/** @name Warnings of ssm_version_parse() (ssm_version_parts::warnings)
 * Problems that dpkg reports as warnings: the version still compares. */
/**@{*/
/** deb: the upstream version does not start with a digit. */
#define SSM_VERSION_WARN_UPSTREAM_START 0x1u
/** A character outside the allowed set in the upstream version (deb:
 * alphanumerics and `.+~-:`; rpm: alphanumerics and `._+~^`). */
#define SSM_VERSION_WARN_UPSTREAM_CHAR 0x2u
/** A character outside the allowed set in the revision (deb: alphanumerics
 * and `.+~`; rpm release: alphanumerics and `._+~^`). */
#define SSM_VERSION_WARN_REVISION_CHAR 0x4u
/**@}*/

/**
 * A version split into its parts by ssm_version_parse().
 *
 * The strings are views into the caller's string, not copies: each points
 * at the first character of its part and runs to the end of the original
 * string, so only its first @c _len bytes belong to the part. They are valid
 * as long as that string is. RPM calls the upstream part "version" and the
 * revision "release". The library only fills it; its layout stays as it is
 * for the whole of this ABI.
 */
typedef struct ssm_version_parts {
	ssm_version_scheme scheme; /**< the scheme it was parsed with */
	bool has_epoch;		   /**< an epoch was written (even `0:`) */
	uint64_t epoch;		   /**< the epoch; 0 when none was written */
	const char *upstream;	   /**< upstream version (RPM: version) */
	size_t upstream_len;	   /**< its length; never 0 */
	const char *revision;  /**< revision (RPM: release); NULL when none */
	size_t revision_len;   /**< its length; 0 when none */
	unsigned int warnings; /**< SSM_VERSION_WARN_* flags; 0 when clean */
	const char *warning;   /**< dpkg's text for the first warning, e.g.
				    "version number does not start with digit";
				    static; NULL when there is none */
} ssm_version_parts;

/**
 * Split and check a version: a Debian one as dpkg does (the same errors in
 * the same order, the same warnings), an RPM one where rpm splits it.
 *
 * Leading and trailing blanks are skipped. The file comment lists what
 * fails; what dpkg only warns about is set in @c warnings and @c warning
 * and the call succeeds.
 *
 * @param[out] out   the parts, as views into @p version; zeroed on failure
 * @param scheme     ::SSM_VERSION_SCHEME_DEB or ::SSM_VERSION_SCHEME_RPM
 * @param version    the version, e.g. "1:2.30-1ubuntu4"
 * @return SSM_OK; SSM_EINVALID for a bad version (message "version 'V' has
 *         bad syntax: REASON"), an unknown scheme or a NULL argument
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_version_parse(ssm_version_parts *out, ssm_version_scheme scheme,
		  const char *version);

/**
 * Order two versions as the scheme's package manager does.
 *
 * Debian: epochs numerically, then the upstream versions, then the
 * revisions (a missing revision is "0") with dpkg's fragment comparison:
 * `~` sorts before everything, even the end; letters before other
 * characters; digit runs numerically, of any length. RPM: epochs (missing is
 * 0), then versions with `rpmvercmp`, then releases (present is newer than
 * missing). Does not allocate.
 *
 * @param[out] result_out  -1 when @p a is older than @p b, 0 when they are
 *                         the same version, 1 when @p a is newer; 0 on
 *                         failure
 * @param scheme           ::SSM_VERSION_SCHEME_DEB or ::SSM_VERSION_SCHEME_RPM
 * @param a                first version
 * @param b                second version
 * @return SSM_OK; SSM_EINVALID when either version is bad (the message names
 *         it, as for ssm_version_parse()), for an unknown scheme or a NULL
 *         argument
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_version_compare(int *result_out, ssm_version_scheme scheme, const char *a,
		    const char *b);

/**
 * Order two versions already split by ssm_version_parse(), for comparing one
 * version against many without parsing it again. Does not allocate.
 *
 * @param[out] result_out  -1, 0 or 1 as for ssm_version_compare(); 0 on
 *                         failure
 * @param a                first version, from ssm_version_parse()
 * @param b                second version, parsed with the same scheme
 * @return SSM_OK; SSM_EINVALID when the schemes differ, for an unknown
 *         scheme or a NULL argument
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_version_compare_parts(int *result_out, const ssm_version_parts *a,
			  const ssm_version_parts *b);

/**
 * Order two single fields (an upstream version, a revision, an RPM release)
 * with the scheme's field comparison and no splitting: dpkg's fragment
 * comparison (`verrevcmp`), or rpm's `rpmvercmp`. Empty fields are allowed.
 * Does not allocate.
 *
 * @param[out] result_out  -1, 0 or 1 as for ssm_version_compare(); 0 on
 *                         failure
 * @param scheme           ::SSM_VERSION_SCHEME_DEB or ::SSM_VERSION_SCHEME_RPM
 * @param a                first field
 * @param b                second field
 * @return SSM_OK; SSM_EINVALID when a field holds a blank, a control
 *         character or a non-ASCII byte (message "version field 'F' has bad
 *         syntax: REASON"), for an unknown scheme or a NULL argument
 * @since 0.1
 */
SSM_EXTERN(ssm_err)
ssm_version_compare_field(int *result_out, ssm_version_scheme scheme,
			  const char *a, const char *b);

SSM_END_DECL

#endif
