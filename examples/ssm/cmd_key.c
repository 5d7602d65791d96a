/* SPDX-License-Identifier: Apache-2.0 */
/* ssm key: the master keys that encrypt SecureString parameters. */
#include <getopt.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static int key_create(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "description", required_argument, NULL, 'd' },
		{ "alias", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	ssm_key_create_options o = SSM_KEY_CREATE_OPTIONS_INIT;
	ssm_buf id = SSM_BUF_INIT;
	ssm_client *client = NULL;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "d:a:", longopts, NULL)) != -1) {
		if (c == 'd')
			o.description = optarg;
		else if (c == 'a')
			o.alias = optarg;
		else
			return CLI_USAGE;
	}
	if (argc != optind)
		return cli_usage_error(cli, "usage: ssm key create "
					    "[--description D] [--alias "
					    "alias/NAME]");
	if ((rc = cli_client(cli, &client)))
		return rc;
	if (ssm_key_create(&id, client, &o) < 0) {
		rc = cli_fail(cli, "create");
	} else if (cli->output == CLI_OUTPUT_JSON) {
		printf("{\"KeyId\": ");
		cli_json_string(stdout, id.ptr, id.size);
		printf("}\n");
	} else {
		printf("%s\n", id.ptr);
	}
	ssm_buf_dispose(&id);
	ssm_client_free(client);
	return rc;
}

static int key_list(struct cli *cli, int argc, char **argv)
{
	ssm_client *client = NULL;
	ssm_keys *keys = NULL;
	size_t i, k;
	int rc;

	(void)argv;
	if (argc != 1)
		return cli_usage_error(cli, "usage: ssm key list");
	if ((rc = cli_client(cli, &client)))
		return rc;
	if (ssm_key_list(&keys, client) < 0) {
		rc = cli_fail(cli, "list");
		goto done;
	}
	if (cli->output == CLI_OUTPUT_JSON)
		printf("{\"Keys\": [");
	else
		printf("%-36s %3s %-20s %-24s %s\n", "KEY ID", "GEN", "CREATED",
		       "ALIASES", "DESCRIPTION");
	for (i = 0; i < ssm_keys_count(keys); i++) {
		int64_t ms = ssm_keys_created_ms(keys, i);
		char when[32], aliases[256] = "";
		time_t t = (time_t)(ms / 1000);
		struct tm tm;

		for (k = 0; k < ssm_keys_aliases_count(keys, i); k++) {
			size_t used = strlen(aliases);

			snprintf(aliases + used, sizeof(aliases) - used, "%s%s",
				 k ? "," : "", ssm_keys_alias_at(keys, i, k));
		}
		if (cli->output == CLI_OUTPUT_JSON) {
			printf("%s{\"KeyId\": \"%s\", \"Arn\": \"%s\", "
			       "\"Generation\": %" PRIu64 ", \"Aliases\": [",
			       i ? ", " : "", ssm_keys_id(keys, i),
			       ssm_keys_arn(keys, i),
			       ssm_keys_generation(keys, i));
			for (k = 0; k < ssm_keys_aliases_count(keys, i); k++)
				printf("%s\"%s\"", k ? ", " : "",
				       ssm_keys_alias_at(keys, i, k));
			printf("], \"Description\": ");
			cli_json_string(stdout, ssm_keys_description(keys, i),
					strlen(ssm_keys_description(keys, i)));
			printf("}");
			continue;
		}
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		printf("%-36s %3" PRIu64 " %-20s %-24s %s\n",
		       ssm_keys_id(keys, i), ssm_keys_generation(keys, i), when,
		       aliases, ssm_keys_description(keys, i));
	}
	if (cli->output == CLI_OUTPUT_JSON)
		printf("]}\n");
done:
	ssm_keys_free(keys);
	ssm_client_free(client);
	return rc;
}

static int key_rotate(struct cli *cli, int argc, char **argv)
{
	ssm_client *client = NULL;
	uint64_t n = 0;
	int rc;

	if (argc != 2)
		return cli_usage_error(cli, "usage: ssm key rotate KEY");
	if ((rc = cli_client(cli, &client)))
		return rc;
	if (ssm_key_rotate(&n, client, argv[1]) < 0)
		rc = cli_fail(cli, argv[1]);
	else if (cli->output == CLI_OUTPUT_JSON)
		printf("{\"RewrappedCount\": %" PRIu64 "}\n", n);
	else
		printf("rotated %s; %" PRIu64 " data keys re-wrapped\n",
		       argv[1], n);
	ssm_client_free(client);
	return rc;
}

static int key_alias(struct cli *cli, int argc, char **argv)
{
	ssm_client *client = NULL;
	int rc;

	if (argc != 3)
		return cli_usage_error(cli,
				       "usage: ssm key alias alias/NAME KEY");
	if ((rc = cli_client(cli, &client)))
		return rc;
	if (ssm_key_alias(client, argv[1], argv[2]) < 0)
		rc = cli_fail(cli, argv[1]);
	ssm_client_free(client);
	return rc;
}

int cli_cmd_key(struct cli *cli, int argc, char **argv)
{
	static const struct cli_command cmds[] = {
		{ "create", "make a master key", key_create },
		{ "list", "list the master keys", key_list },
		{ "rotate", "new material for a key; re-wrap its data keys",
		  key_rotate },
		{ "alias", "point an alias at a key", key_alias },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch(cli, "ssm key", cmds, argc - 1, argv + 1);
}
