/* SPDX-License-Identifier: Apache-2.0 */
/* ssm: the libssm command-line client. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const struct cli_command groups[] = {
	{ "document", "documents: validate, render, create, get, list, ...",
	  cli_cmd_document },
	{ "param", "Parameter Store: put, get, describe, label, tag, ...",
	  cli_cmd_param },
	{ "key", "master keys of SecureString parameters", cli_cmd_key },
	{ "patch", "Patch Manager: compare package versions", cli_cmd_patch },
	{ "store", "read and write the raw key/value store (debugging)",
	  cli_cmd_store },
	{ NULL, NULL, NULL },
};

int cli_fail(struct cli *cli, const char *what)
{
	const ssm_error *e = ssm_error_last();

	if (e->service_code)
		fprintf(stderr, "%s: %s: %s (%s)\n", cli->prog, what,
			e->message, e->service_code);
	else
		fprintf(stderr, "%s: %s: %s\n", cli->prog, what, e->message);
	return CLI_FAILED;
}

int cli_usage_error(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_USAGE;
}

static int mkdir_p(const char *path)
{
	char tmp[1024];
	char *p;

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -1;
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

const char *cli_store_url(struct cli *cli)
{
	static char url[1100];
	char dir[1024];
	const char *env;

	if (cli->store)
		return cli->store;
	if ((env = getenv("SSM_STORE")) && *env)
		return env;
	if ((env = getenv("SSM_STATE_DIR")) && *env)
		snprintf(dir, sizeof(dir), "%s", env);
	else if (geteuid() == 0)
		snprintf(dir, sizeof(dir), "/var/lib/ssm");
	else
		snprintf(dir, sizeof(dir), "%s/.local/state/ssm",
			 getenv("HOME") ? getenv("HOME") : ".");
	if (mkdir_p(dir) < 0)
		fprintf(stderr, "%s: cannot create state directory %s: %s\n",
			cli->prog, dir, strerror(errno));
	snprintf(url, sizeof(url), "sqlite://%s/state.db", dir);
	return url;
}

int cli_client(struct cli *cli, ssm_client **out)
{
	const char *url = cli->endpoint && *cli->endpoint ? cli->endpoint
							  : cli_store_url(cli);
	ssm_client_options o = SSM_CLIENT_OPTIONS_INIT;
	const char *keyring = getenv("SSM_KEYRING");

	/* SecureString master keys: $SSM_KEYRING, else next to the store */
	if (keyring && *keyring)
		o.keyring = keyring;

	/* credentials of a remote endpoint: AWS_ACCESS_KEY_ID and friends or
	 * a profile of ~/.aws/credentials, never a command-line secret */
	o.region = cli->region;
	o.profile = cli->profile;
	if (ssm_client_open(out, cli->ctx, url, &o) < 0)
		return cli_fail(cli, url);
	return CLI_OK;
}

static void list_commands(FILE *f, const char *group,
			  const struct cli_command *cmds)
{
	size_t i;

	fprintf(f, "%s commands:\n", group);
	for (i = 0; cmds[i].name; i++)
		fprintf(f, "  %-16s %s\n", cmds[i].name, cmds[i].summary);
}

int cli_dispatch(struct cli *cli, const char *group,
		 const struct cli_command *cmds, int argc, char **argv)
{
	size_t i;

	if (argc < 1 || strcmp(argv[0], "--help") == 0 ||
	    strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "help") == 0) {
		list_commands(argc < 1 ? stderr : stdout, group, cmds);
		return argc < 1 ? CLI_USAGE : CLI_OK;
	}
	for (i = 0; cmds[i].name; i++)
		if (strcmp(cmds[i].name, argv[0]) == 0)
			return cmds[i].run(cli, argc, argv);
	cli_usage_error(cli, "unknown %s command '%s'", group, argv[0]);
	list_commands(stderr, group, cmds);
	return CLI_USAGE;
}

void cli_json_string(FILE *f, const char *s, size_t len)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [--endpoint URL] [--store URL] [--region REGION]"
		" [--profile NAME]\n"
		"       [--output table|json] COMMAND ...\n\n"
		"Options:\n"
		"  --endpoint URL   SSM endpoint, e.g. http://127.0.0.1:8080 "
		"for ssmd\n"
		"                   or https://ssm.us-east-1.amazonaws.com "
		"(env SSM_ENDPOINT)\n"
		"  --store URL      store for embedded use (env SSM_STORE)\n"
		"  --region REGION  region (env AWS_REGION, AWS_DEFAULT_REGION;"
		" us-east-1)\n"
		"  --profile NAME   profile of ~/.aws/credentials (env "
		"AWS_PROFILE)\n"
		"  --output FORMAT  table (default) or json\n"
		"  --version        print the version and exit\n\n"
		"A remote endpoint is called with SigV4 credentials from "
		"AWS_ACCESS_KEY_ID,\n"
		"AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, else from the "
		"profile\n"
		"(AWS_SHARED_CREDENTIALS_FILE overrides ~/.aws/credentials). "
		"AWS_CA_BUNDLE\n"
		"names extra trusted CAs for https, AWS_MAX_ATTEMPTS the tries "
		"of a read.\n"
		"SSM_KEYRING names the keyring of SecureString "
		"keys (default:\n"
		"<store file>.keyring).\n\n",
		prog);
	list_commands(f, "ssm", groups);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "endpoint", required_argument, NULL, 'e' },
		{ "store", required_argument, NULL, 's' },
		{ "region", required_argument, NULL, 'r' },
		{ "profile", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli cli = { 0 };
	int c, rc;

	cli.prog = "ssm";
	cli.endpoint = getenv("SSM_ENDPOINT");
	while ((c = getopt_long(argc, argv, "+e:s:r:p:o:vVh", opts, NULL)) !=
	       -1) {
		switch (c) {
		case 'e':
			cli.endpoint = optarg;
			break;
		case 's':
			cli.store = optarg;
			break;
		case 'r':
			cli.region = optarg;
			break;
		case 'p':
			cli.profile = optarg;
			break;
		case 'o':
			if (strcmp(optarg, "json") == 0)
				cli.output = CLI_OUTPUT_JSON;
			else if (strcmp(optarg, "table") == 0)
				cli.output = CLI_OUTPUT_TABLE;
			else
				return cli_usage_error(
					&cli,
					"--output must be table or json, "
					"not '%s'",
					optarg);
			break;
		case 'v':
			cli.verbose = true;
			break;
		case 'V':
			printf("ssm %s (libssm %s)\n", SSM_VERSION,
			       ssm_version_string());
			return CLI_OK;
		case 'h':
			usage(stdout, cli.prog);
			return CLI_OK;
		default:
			usage(stderr, cli.prog);
			return CLI_USAGE;
		}
	}
	if (ssm_init() < 0 || ssm_ctx_new(&cli.ctx, NULL) < 0)
		return cli_fail(&cli, "init");
	rc = cli_dispatch(&cli, "ssm", groups, argc - optind, argv + optind);
	ssm_ctx_free(cli.ctx);
	ssm_shutdown();
	return rc;
}
