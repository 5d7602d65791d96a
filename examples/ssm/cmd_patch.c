/* SPDX-License-Identifier: Apache-2.0 */
/* ssm patch: Patch Manager. For now, package version ordering; baselines,
 * patch groups, scan and install join this table later. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char compare_usage[] =
	"usage: ssm patch compare-versions --scheme deb|rpm A B\n"
	"       ssm patch compare-versions --batch < LINES\n\n"
	"Prints -1 when A is older than B, 0 when they are the same version,\n"
	"1 when A is newer, ordered as dpkg (deb) or rpm (rpm) orders them.\n"
	"With --batch, reads lines SCHEME<TAB>A<TAB>B from stdin and prints\n"
	"one result per line, or 'error: MESSAGE' for a line that cannot be\n"
	"compared (the exit status is then 1).\n";

static int parse_scheme(ssm_version_scheme *out, const char *name)
{
	if (strcmp(name, "deb") == 0)
		*out = SSM_VERSION_SCHEME_DEB;
	else if (strcmp(name, "rpm") == 0)
		*out = SSM_VERSION_SCHEME_RPM;
	else
		return -1;
	return 0;
}

/* One line "SCHEME<TAB>A<TAB>B" (its newline removed): prints the result or
 * "error: ..."; returns 0 or -1. */
static int compare_line(char *line)
{
	ssm_version_scheme scheme;
	char *a, *b;
	int result;

	a = strchr(line, '\t');
	b = a ? strchr(a + 1, '\t') : NULL;
	if (!b || strchr(b + 1, '\t')) {
		fputs("error: expected SCHEME<TAB>A<TAB>B\n", stdout);
		return -1;
	}
	*a++ = '\0';
	*b++ = '\0';
	if (parse_scheme(&scheme, line) < 0) {
		fputs("error: unknown scheme '", stdout);
		fputs(line, stdout);
		fputs("' (deb or rpm)\n", stdout);
		return -1;
	}
	if (ssm_version_compare(&result, scheme, a, b) < 0) {
		fputs("error: ", stdout);
		fputs(ssm_error_last()->message, stdout);
		fputc('\n', stdout);
		return -1;
	}
	fputs(result < 0 ? "-1\n" : result > 0 ? "1\n" : "0\n", stdout);
	return 0;
}

static int compare_batch(struct cli *cli)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int failed = 0;

	while ((n = getline(&line, &cap, stdin)) >= 0) {
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (compare_line(line) < 0)
			failed = 1;
	}
	free(line);
	if (ferror(stdin)) {
		fprintf(stderr,
			"%s: patch compare-versions: reading stdin "
			"failed\n",
			cli->prog);
		return CLI_FAILED;
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "%s: patch compare-versions: writing failed\n",
			cli->prog);
		return CLI_FAILED;
	}
	return failed ? CLI_FAILED : CLI_OK;
}

static int compare_usage_error(struct cli *cli, const char *what,
			       const char *arg)
{
	if (arg)
		cli_usage_error(cli, "patch compare-versions: %s '%s'", what,
				arg);
	else
		cli_usage_error(cli, "patch compare-versions: %s", what);
	fputs(compare_usage, stderr);
	return CLI_USAGE;
}

static int patch_compare_versions(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scheme", required_argument, NULL, 's' },
		{ "batch", no_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	ssm_version_scheme scheme = 0;
	bool batch = false;
	int c, result;

	optind = 0; /* GNU: start a fresh scan of this argv */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "s:bh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (parse_scheme(&scheme, optarg) < 0)
				return compare_usage_error(
					cli, "--scheme must be deb or rpm, not",
					optarg);
			break;
		case 'b':
			batch = true;
			break;
		case 'h':
			fputs(compare_usage, stdout);
			return CLI_OK;
		default:
			return compare_usage_error(cli, "bad option",
						   argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	if (batch) {
		if (argc != 0 || scheme != 0)
			return compare_usage_error(
				cli,
				"--batch takes no versions and no --scheme",
				NULL);
		return compare_batch(cli);
	}
	if (scheme == 0)
		return compare_usage_error(cli, "--scheme deb|rpm is required",
					   NULL);
	if (argc != 2)
		return compare_usage_error(cli, "expected two versions", NULL);
	if (ssm_version_compare(&result, scheme, argv[0], argv[1]) < 0)
		return cli_fail(cli, "patch compare-versions");
	printf("%d\n", result);
	return CLI_OK;
}

int cli_cmd_patch(struct cli *cli, int argc, char **argv)
{
	static const struct cli_command cmds[] = {
		{ "compare-versions",
		  "order two package versions as dpkg or rpm does",
		  patch_compare_versions },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch(cli, "ssm patch", cmds, argc - 1, argv + 1);
}
