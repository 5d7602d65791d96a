/* SPDX-License-Identifier: Apache-2.0 */
/* The ssm command-line tool: shared state and helpers of the subcommands.
 * Uses the public libssm API only. */
#ifndef SSM_CLI_H
#define SSM_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "ssm/ssm.h"

/* Exit codes: 0 success, 1 the operation failed, 2 bad usage. */
#define CLI_OK 0
#define CLI_FAILED 1
#define CLI_USAGE 2

typedef enum cli_output {
	CLI_OUTPUT_TABLE = 0,
	CLI_OUTPUT_JSON = 1
} cli_output;

struct cli {
	ssm_ctx *ctx;
	const char *prog;
	const char *endpoint; /* --endpoint / SSM_ENDPOINT; NULL: default */
	const char *store;    /* --store / SSM_STORE; NULL: default */
	const char *region;   /* --region; NULL: AWS_REGION, us-east-1 */
	const char *profile;  /* --profile; NULL: AWS_PROFILE, default */
	cli_output output;
	bool verbose;
};

/* A subcommand: gets argv with argv[0] = its own name. */
struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(struct cli *cli, int argc, char **argv);
};

/* Print "<prog>: <what>: <message> (<ServiceCode>)" for the last error and
 * return CLI_FAILED. */
int cli_fail(struct cli *cli, const char *what);
/* Print a usage error and return CLI_USAGE. */
int cli_usage_error(struct cli *cli, const char *fmt, ...)
	SSM_FORMAT_PRINTF(2, 3);
/* The store URL to use: --store, SSM_STORE, or the default state file
 * (sqlite://$SSM_STATE_DIR/state.db, $SSM_STATE_DIR defaulting to
 * ~/.local/state/ssm, or /var/lib/ssm for root). Creates the directory. */
const char *cli_store_url(struct cli *cli);
/* Open a client on --endpoint / SSM_ENDPOINT, else on the default store
 * (cli_store_url()); prints the error and returns CLI_FAILED on failure. */
int cli_client(struct cli *cli, ssm_client **out);
/* Run one of @cmds named by argv[0], or print their list. */
int cli_dispatch(struct cli *cli, const char *group,
		 const struct cli_command *cmds, int argc, char **argv);
/* Write @s as a JSON string literal (quoted, escaped) to @f. */
void cli_json_string(FILE *f, const char *s, size_t len);

/* The subcommand groups. */
int cli_cmd_patch(struct cli *cli, int argc, char **argv);
int cli_cmd_store(struct cli *cli, int argc, char **argv);
int cli_cmd_param(struct cli *cli, int argc, char **argv);
int cli_cmd_key(struct cli *cli, int argc, char **argv);
int cli_cmd_document(struct cli *cli, int argc, char **argv);

#endif
