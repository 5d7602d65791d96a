/* SPDX-License-Identifier: Apache-2.0 */
/* ssm store: the raw key/value store under the engines (debugging aid). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ssm/sys/store.h"

static int open_store(struct cli *cli, ssm_store **out)
{
	const char *url = cli_store_url(cli);

	if (ssm_store_open(out, cli->ctx, url) < 0)
		return cli_fail(cli, "open store");
	return CLI_OK;
}

static int store_put(struct cli *cli, int argc, char **argv)
{
	ssm_store *store = NULL;
	uint64_t rev = 0;
	int rc;

	if (argc != 3)
		return cli_usage_error(cli, "usage: ssm store put KEY VALUE");
	if ((rc = open_store(cli, &store)))
		return rc;
	if (ssm_store_put(&rev, store, argv[1], strlen(argv[1]), argv[2],
			  strlen(argv[2]), NULL) < 0)
		rc = cli_fail(cli, "put");
	else if (cli->output == CLI_OUTPUT_JSON)
		printf("{\"Revision\": %llu}\n", (unsigned long long)rev);
	else
		printf("revision %llu\n", (unsigned long long)rev);
	ssm_store_close(store);
	return rc;
}

static int store_get(struct cli *cli, int argc, char **argv)
{
	ssm_store_kv kv = SSM_STORE_KV_INIT;
	ssm_store *store = NULL;
	int rc;

	if (argc != 2)
		return cli_usage_error(cli, "usage: ssm store get KEY");
	if ((rc = open_store(cli, &store)))
		return rc;
	if (ssm_store_get(&kv, store, argv[1], strlen(argv[1])) < 0) {
		rc = cli_fail(cli, "get");
	} else if (cli->output == CLI_OUTPUT_JSON) {
		printf("{\"Key\": ");
		cli_json_string(stdout, argv[1], strlen(argv[1]));
		printf(", \"Value\": ");
		cli_json_string(stdout, kv.value.ptr, kv.value.size);
		printf(", \"ModRevision\": %llu, \"Version\": %llu}\n",
		       (unsigned long long)kv.mod_revision,
		       (unsigned long long)kv.version);
	} else {
		fwrite(kv.value.ptr, 1, kv.value.size, stdout);
		putchar('\n');
	}
	ssm_store_kv_dispose(&kv);
	ssm_store_close(store);
	return rc;
}

static int store_list(struct cli *cli, int argc, char **argv)
{
	ssm_store_range_options o = SSM_STORE_RANGE_OPTIONS_INIT;
	ssm_store_kvs kvs = SSM_STORE_KVS_INIT;
	ssm_store *store = NULL;
	const char *prefix = argc > 1 ? argv[1] : "";
	size_t i;
	int rc;

	if (argc > 2)
		return cli_usage_error(cli, "usage: ssm store list [PREFIX]");
	if ((rc = open_store(cli, &store)))
		return rc;
	o.flags = SSM_STORE_RANGE_KEYS_ONLY;
	if (ssm_store_range(&kvs, store, prefix, strlen(prefix), &o) < 0) {
		rc = cli_fail(cli, "list");
	} else {
		if (cli->output == CLI_OUTPUT_JSON)
			printf("[");
		for (i = 0; i < kvs.count; i++) {
			if (cli->output == CLI_OUTPUT_JSON) {
				printf(i ? ", " : "");
				cli_json_string(stdout, kvs.items[i].key.ptr,
						kvs.items[i].key.size);
			} else {
				printf("%-8llu %.*s\n",
				       (unsigned long long)kvs.items[i]
					       .mod_revision,
				       (int)kvs.items[i].key.size,
				       kvs.items[i].key.ptr);
			}
		}
		if (cli->output == CLI_OUTPUT_JSON)
			printf("]\n");
	}
	ssm_store_kvs_dispose(&kvs);
	ssm_store_close(store);
	return rc;
}

static int store_delete(struct cli *cli, int argc, char **argv)
{
	ssm_store *store = NULL;
	int rc;

	if (argc != 2)
		return cli_usage_error(cli, "usage: ssm store delete KEY");
	if ((rc = open_store(cli, &store)))
		return rc;
	if (ssm_store_delete(NULL, store, argv[1], strlen(argv[1]), 0) < 0)
		rc = cli_fail(cli, "delete");
	ssm_store_close(store);
	return rc;
}

static int store_revision(struct cli *cli, int argc, char **argv)
{
	ssm_store *store = NULL;
	uint64_t rev = 0;
	int rc;

	(void)argv;
	if (argc != 1)
		return cli_usage_error(cli, "usage: ssm store revision");
	if ((rc = open_store(cli, &store)))
		return rc;
	if (ssm_store_revision(&rev, store) < 0)
		rc = cli_fail(cli, "revision");
	else
		printf("%llu\n", (unsigned long long)rev);
	ssm_store_close(store);
	return rc;
}

int cli_cmd_store(struct cli *cli, int argc, char **argv)
{
	static const struct cli_command cmds[] = {
		{ "put", "write KEY = VALUE", store_put },
		{ "get", "print the value of KEY", store_get },
		{ "list", "list keys under PREFIX with their revisions",
		  store_list },
		{ "delete", "delete KEY", store_delete },
		{ "revision", "print the store's revision", store_revision },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch(cli, "ssm store", cmds, argc - 1, argv + 1);
}
