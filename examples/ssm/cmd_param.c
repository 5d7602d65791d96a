/* SPDX-License-Identifier: Apache-2.0 */
/* ssm param: Parameter Store from the command line. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

#define MAX_ITEMS 64

/* ---- output helpers ---------------------------------------------------- */

static void json_str(const char *s)
{
	if (s)
		cli_json_string(stdout, s, strlen(s));
	else
		fputs("null", stdout);
}

/* Epoch seconds with milliseconds, as AWS JSON writes timestamps. */
static void json_time(int64_t ms)
{
	if (ms % 1000)
		printf("%" PRId64 ".%03d", ms / 1000, (int)(ms % 1000));
	else
		printf("%" PRId64, ms / 1000);
}

static void time_text(char *out, size_t size, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

enum fields { F_VALUE = 1, F_META = 2, F_LABELS = 4, F_ARN = 8 };

/* One parameter as the AWS CLI prints it (a JSON object). */
static void param_json(const ssm_param *p, unsigned fields)
{
	size_t i;

	printf("{\"Name\": ");
	json_str(ssm_param_name(p));
	printf(", \"Type\": ");
	json_str(ssm_param_type_str(ssm_param_type_of(p)));
	if (fields & F_VALUE) {
		printf(", \"Value\": ");
		json_str(ssm_param_value(p));
	}
	printf(", \"Version\": %" PRIu64, ssm_param_version(p));
	if (ssm_param_selector(p)) {
		printf(", \"Selector\": ");
		json_str(ssm_param_selector(p));
	}
	printf(", \"LastModifiedDate\": ");
	json_time(ssm_param_last_modified_ms(p));
	if ((fields & F_ARN) && ssm_param_arn(p)) {
		printf(", \"ARN\": ");
		json_str(ssm_param_arn(p));
	}
	printf(", \"DataType\": ");
	json_str(ssm_param_data_type(p));
	if (fields & F_META) {
		if (ssm_param_key_id(p)) {
			printf(", \"KeyId\": ");
			json_str(ssm_param_key_id(p));
		}
		printf(", \"LastModifiedUser\": ");
		json_str(ssm_param_last_modified_user(p));
		if (ssm_param_description(p)) {
			printf(", \"Description\": ");
			json_str(ssm_param_description(p));
		}
		if (ssm_param_allowed_pattern(p)) {
			printf(", \"AllowedPattern\": ");
			json_str(ssm_param_allowed_pattern(p));
		}
		printf(", \"Tier\": ");
		json_str(ssm_param_tier_str(ssm_param_tier_of(p)));
		printf(", \"Policies\": [");
		for (i = 0; i < ssm_param_policies_count(p); i++) {
			const char *type, *status,
				*text = ssm_param_policy_at(&type, &status, p,
							    i);

			printf("%s{\"PolicyText\": ", i ? ", " : "");
			json_str(text);
			printf(", \"PolicyType\": ");
			json_str(type);
			printf(", \"PolicyStatus\": ");
			json_str(status);
			printf("}");
		}
		printf("]");
	}
	if (fields & F_LABELS) {
		printf(", \"Labels\": [");
		for (i = 0; i < ssm_param_labels_count(p); i++) {
			printf(i ? ", " : "");
			json_str(ssm_param_label_at(p, i));
		}
		printf("]");
	}
	printf("}");
}

static void table_header(unsigned fields)
{
	if (fields & F_META)
		printf("%-40s %-12s %7s %-9s %-20s %s\n", "NAME", "TYPE",
		       "VERSION", "TIER", "MODIFIED", "DESCRIPTION");
	else
		printf("%-40s %-12s %7s %-20s %s\n", "NAME", "TYPE", "VERSION",
		       fields & F_LABELS ? "LABELS" : "MODIFIED", "VALUE");
}

static void param_row(const ssm_param *p, unsigned fields)
{
	char when[32], labels[256] = "";
	size_t i;

	time_text(when, sizeof(when), ssm_param_last_modified_ms(p));
	if (fields & F_META) {
		printf("%-40s %-12s %7" PRIu64 " %-9s %-20s %s\n",
		       ssm_param_name(p),
		       ssm_param_type_str(ssm_param_type_of(p)),
		       ssm_param_version(p),
		       ssm_param_tier_str(ssm_param_tier_of(p)), when,
		       ssm_param_description(p) ? ssm_param_description(p)
						: "");
		return;
	}
	for (i = 0; i < ssm_param_labels_count(p); i++) {
		size_t used = strlen(labels);

		snprintf(labels + used, sizeof(labels) - used, "%s%s",
			 i ? "," : "", ssm_param_label_at(p, i));
	}
	printf("%-40s %-12s %7" PRIu64 " %-20s %s\n", ssm_param_name(p),
	       ssm_param_type_str(ssm_param_type_of(p)), ssm_param_version(p),
	       fields & F_LABELS ? labels : when,
	       ssm_param_value(p) ? ssm_param_value(p) : "");
}

static void strings_json(const char *key, const ssm_strarray *a)
{
	size_t i;

	printf("\"%s\": [", key);
	for (i = 0; i < a->count; i++) {
		printf(i ? ", " : "");
		json_str(a->strings[i]);
	}
	printf("]");
}

/* ---- option parsing ------------------------------------------------------ */

static int parse_type(struct cli *cli, const char *s, ssm_param_type *out)
{
	if (strcmp(s, "String") == 0)
		*out = SSM_PARAM_STRING;
	else if (strcmp(s, "StringList") == 0)
		*out = SSM_PARAM_STRING_LIST;
	else if (strcmp(s, "SecureString") == 0)
		*out = SSM_PARAM_SECURE_STRING;
	else
		return cli_usage_error(cli,
				       "--type must be String, StringList or "
				       "SecureString, not '%s'",
				       s);
	return CLI_OK;
}

static int parse_tier(struct cli *cli, const char *s, ssm_param_tier *out)
{
	if (strcmp(s, "Standard") == 0)
		*out = SSM_PARAM_TIER_STANDARD;
	else if (strcmp(s, "Advanced") == 0)
		*out = SSM_PARAM_TIER_ADVANCED;
	else if (strcmp(s, "Intelligent-Tiering") == 0)
		*out = SSM_PARAM_TIER_INTELLIGENT;
	else
		return cli_usage_error(cli,
				       "--tier must be Standard, Advanced or "
				       "Intelligent-Tiering, not '%s'",
				       s);
	return CLI_OK;
}

/* Filters given as --filter KEY[:OPTION]=V1,V2 or by shorthand options;
 * the strings live in argv or in @bufs. */
struct filters {
	ssm_param_filter f[16];
	const char *values[16][16];
	char bufs[16][512];
	size_t n;
};

static int filter_add(struct cli *cli, struct filters *fs, const char *key,
		      const char *option, const char *values)
{
	ssm_param_filter *f;
	char *p, *save = NULL, *v;
	size_t k = 0;

	if (fs->n == 16)
		return cli_usage_error(cli, "at most 16 filters");
	f = &fs->f[fs->n];
	snprintf(fs->bufs[fs->n], sizeof(fs->bufs[fs->n]), "%s", values);
	p = fs->bufs[fs->n];
	for (v = strtok_r(p, ",", &save); v && k < 16;
	     v = strtok_r(NULL, ",", &save))
		fs->values[fs->n][k++] = v;
	f->key = key;
	f->option = option;
	f->values = fs->values[fs->n];
	f->values_count = k;
	fs->n++;
	return CLI_OK;
}

/* --filter "Name:BeginsWith=/app,/web" or "tag:team=core" */
static int filter_parse(struct cli *cli, struct filters *fs, char *spec)
{
	char *eq = strchr(spec, '='), *colon;

	if (eq)
		*eq = '\0';
	colon = strncmp(spec, "tag:", 4) == 0 ? strchr(spec + 4, ':')
					      : strchr(spec, ':');
	if (colon)
		*colon = '\0';
	return filter_add(cli, fs, spec, colon ? colon + 1 : NULL,
			  eq ? eq + 1 : "");
}

/* Read the whole of stdin for a value given as "-". */
static char *read_stdin(void)
{
	size_t n = 0, cap = 4096;
	char *buf = malloc(cap + 1);
	size_t got;

	if (!buf)
		return NULL;
	while ((got = fread(buf + n, 1, cap - n, stdin)) > 0) {
		n += got;
		if (n == cap) {
			char *grown = realloc(buf, cap * 2 + 1);

			if (!grown) {
				free(buf);
				return NULL;
			}
			buf = grown;
			cap *= 2;
		}
	}
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	return buf;
}

/* ---- subcommands ------------------------------------------------------- */

static int param_put(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "overwrite", no_argument, NULL, 'o' },
		{ "description", required_argument, NULL, 'd' },
		{ "key-id", required_argument, NULL, 'k' },
		{ "tier", required_argument, NULL, 'T' },
		{ "policies", required_argument, NULL, 'p' },
		{ "allowed-pattern", required_argument, NULL, 'a' },
		{ "data-type", required_argument, NULL, 'D' },
		{ "tag", required_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 },
	};
	ssm_param_put_options o = SSM_PARAM_PUT_OPTIONS_INIT;
	ssm_tag tags[MAX_ITEMS];
	ssm_client *client = NULL;
	ssm_param_tier tier = SSM_PARAM_TIER_DEFAULT;
	uint64_t version = 0;
	char *value, *stdin_value = NULL;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "t:o", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if ((rc = parse_type(cli, optarg, &o.type)))
				return rc;
			break;
		case 'o':
			o.flags |= SSM_PARAM_PUT_OVERWRITE;
			break;
		case 'd':
			o.description = optarg;
			break;
		case 'k':
			o.key_id = optarg;
			break;
		case 'T':
			if ((rc = parse_tier(cli, optarg, &o.tier)))
				return rc;
			break;
		case 'p':
			o.policies = optarg;
			break;
		case 'a':
			o.allowed_pattern = optarg;
			break;
		case 'D':
			o.data_type = optarg;
			break;
		case 'g': {
			char *eq = strchr(optarg, '=');

			if (o.tags_count == MAX_ITEMS)
				return cli_usage_error(cli, "too many tags");
			if (eq)
				*eq = '\0';
			tags[o.tags_count].key = optarg;
			tags[o.tags_count++].value = eq ? eq + 1 : "";
			break;
		}
		default:
			return CLI_USAGE;
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(cli, "usage: ssm param put NAME VALUE|- "
					    "[--type T] [--overwrite] ...");
	o.tags = tags;
	value = argv[optind + 1];
	if (strcmp(value, "-") == 0) {
		if (!(stdin_value = read_stdin()))
			return cli_usage_error(cli, "cannot read stdin");
		value = stdin_value;
	}
	if ((rc = cli_client(cli, &client))) {
		free(stdin_value);
		return rc;
	}
	if (ssm_param_put(&version, &tier, client, argv[optind], value, &o) < 0)
		rc = cli_fail(cli, "put");
	else if (cli->output == CLI_OUTPUT_JSON)
		printf("{\"Version\": %" PRIu64 ", \"Tier\": \"%s\"}\n",
		       version, ssm_param_tier_str(tier));
	else
		printf("version %" PRIu64 " (%s)\n", version,
		       ssm_param_tier_str(tier));
	ssm_client_free(client);
	if (stdin_value) {
		memset(stdin_value, 0, strlen(stdin_value));
		free(stdin_value);
	}
	return rc;
}

static int param_get(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "with-decryption", no_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	ssm_client *client = NULL;
	unsigned flags = 0;
	int c, rc, n;
	size_t i;

	optind = 0;
	while ((c = getopt_long(argc, argv, "w", longopts, NULL)) != -1) {
		if (c != 'w')
			return CLI_USAGE;
		flags |= SSM_PARAM_WITH_DECRYPTION;
	}
	n = argc - optind;
	if (n < 1)
		return cli_usage_error(cli, "usage: ssm param get NAME... "
					    "[--with-decryption]");
	if ((rc = cli_client(cli, &client)))
		return rc;
	if (n == 1) {
		ssm_param *p = NULL;

		if (ssm_param_get(&p, client, argv[optind], flags) < 0) {
			rc = cli_fail(cli, argv[optind]);
		} else if (cli->output == CLI_OUTPUT_JSON) {
			printf("{\"Parameter\": ");
			param_json(p, F_VALUE | F_ARN);
			printf("}\n");
		} else {
			printf("%s\n", ssm_param_value(p));
		}
		ssm_param_free(p);
	} else {
		ssm_param_list *l = NULL;

		if (ssm_param_get_many(&l, client,
				       (const char *const *)argv + optind,
				       (size_t)n, flags) < 0) {
			rc = cli_fail(cli, "get");
		} else if (cli->output == CLI_OUTPUT_JSON) {
			printf("{\"Parameters\": [");
			for (i = 0; i < ssm_param_list_count(l); i++) {
				printf(i ? ", " : "");
				param_json(ssm_param_list_at(l, i),
					   F_VALUE | F_ARN);
			}
			printf("], \"InvalidParameters\": [");
			for (i = 0; i < ssm_param_list_invalid_count(l); i++) {
				printf(i ? ", " : "");
				json_str(ssm_param_list_invalid_at(l, i));
			}
			printf("]}\n");
		} else {
			table_header(0);
			for (i = 0; i < ssm_param_list_count(l); i++)
				param_row(ssm_param_list_at(l, i), 0);
			for (i = 0; i < ssm_param_list_invalid_count(l); i++)
				fprintf(stderr, "%s: %s: not found\n",
					cli->prog,
					ssm_param_list_invalid_at(l, i));
			if (ssm_param_list_invalid_count(l))
				rc = CLI_FAILED;
		}
		ssm_param_list_free(l);
	}
	ssm_client_free(client);
	return rc;
}

/* Print an iterator's parameters; "Parameters" in JSON. */
static int print_iter(struct cli *cli, ssm_param_iter *it, unsigned fields,
		      const char *what)
{
	/* a table shows what fits: history its values and labels */
	unsigned table = fields & F_LABELS ? F_VALUE | F_LABELS : fields;

	const ssm_param *p;
	ssm_err error;
	int n = 0;

	if (cli->output == CLI_OUTPUT_JSON)
		printf("{\"Parameters\": [");
	while ((error = ssm_param_iter_next(&p, it)) == SSM_OK) {
		if (cli->output == CLI_OUTPUT_JSON) {
			printf(n ? ", " : "");
			param_json(p, fields);
		} else {
			if (!n)
				table_header(table);
			param_row(p, table);
		}
		n++;
	}
	if (cli->output == CLI_OUTPUT_JSON)
		printf("]}\n");
	if (error != SSM_ITEROVER)
		return cli_fail(cli, what);
	return CLI_OK;
}

static int param_get_by_path(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "recursive", no_argument, NULL, 'r' },
		{ "with-decryption", no_argument, NULL, 'w' },
		{ "type", required_argument, NULL, 't' },
		{ "key-id", required_argument, NULL, 'k' },
		{ "label", required_argument, NULL, 'l' },
		{ "filter", required_argument, NULL, 'f' },
		{ "page-size", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	ssm_param_get_by_path_options o = SSM_PARAM_GET_BY_PATH_OPTIONS_INIT;
	struct filters fs;
	ssm_param_iter *it = NULL;
	ssm_client *client = NULL;
	int c, rc = CLI_OK;

	fs.n = 0;
	optind = 0;
	while (rc == CLI_OK &&
	       (c = getopt_long(argc, argv, "rw", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o.flags |= SSM_PARAM_RECURSIVE;
			break;
		case 'w':
			o.flags |= SSM_PARAM_WITH_DECRYPTION;
			break;
		case 't':
			rc = filter_add(cli, &fs, "Type", NULL, optarg);
			break;
		case 'k':
			rc = filter_add(cli, &fs, "KeyId", NULL, optarg);
			break;
		case 'l':
			rc = filter_add(cli, &fs, "Label", NULL, optarg);
			break;
		case 'f':
			rc = filter_parse(cli, &fs, optarg);
			break;
		case 'p':
			o.page_size = (size_t)strtoul(optarg, NULL, 10);
			break;
		default:
			return CLI_USAGE;
		}
	}
	if (rc)
		return rc;
	if (argc - optind != 1)
		return cli_usage_error(cli, "usage: ssm param get-by-path PATH "
					    "[--recursive] [--with-decryption] "
					    "[--type T] [--key-id K] "
					    "[--label L]");
	o.filters = fs.f;
	o.filters_count = fs.n;
	if ((rc = cli_client(cli, &client)))
		return rc;
	if (ssm_param_get_by_path(&it, client, argv[optind], &o) < 0)
		rc = cli_fail(cli, "get-by-path");
	else
		rc = print_iter(cli, it, F_VALUE | F_ARN, "get-by-path");
	ssm_param_iter_free(it);
	ssm_client_free(client);
	return rc;
}

static int param_describe(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "filter", required_argument, NULL, 'f' },
		{ "path", required_argument, NULL, 'P' },
		{ "recursive", no_argument, NULL, 'r' },
		{ "name", required_argument, NULL, 'n' },
		{ "type", required_argument, NULL, 't' },
		{ "tier", required_argument, NULL, 'T' },
		{ "key-id", required_argument, NULL, 'k' },
		{ "page-size", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	ssm_param_describe_options o = SSM_PARAM_DESCRIBE_OPTIONS_INIT;
	struct filters fs;
	ssm_param_iter *it = NULL;
	ssm_client *client = NULL;
	const char *path = NULL;
	bool recursive = false;
	int c, rc = CLI_OK;

	fs.n = 0;
	optind = 0;
	while (rc == CLI_OK &&
	       (c = getopt_long(argc, argv, "r", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			rc = filter_parse(cli, &fs, optarg);
			break;
		case 'P':
			path = optarg;
			break;
		case 'r':
			recursive = true;
			break;
		case 'n':
			rc = filter_add(cli, &fs, "Name", "BeginsWith", optarg);
			break;
		case 't':
			rc = filter_add(cli, &fs, "Type", NULL, optarg);
			break;
		case 'T':
			rc = filter_add(cli, &fs, "Tier", NULL, optarg);
			break;
		case 'k':
			rc = filter_add(cli, &fs, "KeyId", NULL, optarg);
			break;
		case 'p':
			o.page_size = (size_t)strtoul(optarg, NULL, 10);
			break;
		default:
			return CLI_USAGE;
		}
	}
	if (rc == CLI_OK && path)
		rc = filter_add(cli, &fs, "Path",
				recursive ? "Recursive" : "OneLevel", path);
	if (rc)
		return rc;
	if (argc - optind != 0)
		return cli_usage_error(cli, "usage: ssm param describe "
					    "[--path P [--recursive]] "
					    "[--name PREFIX] [--type T] "
					    "[--filter KEY[:OPTION]=V,...]");
	o.filters = fs.f;
	o.filters_count = fs.n;
	if ((rc = cli_client(cli, &client)))
		return rc;
	if (ssm_param_describe(&it, client, &o) < 0)
		rc = cli_fail(cli, "describe");
	else
		rc = print_iter(cli, it, F_META | F_ARN, "describe");
	ssm_param_iter_free(it);
	ssm_client_free(client);
	return rc;
}

static int param_history(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "with-decryption", no_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	ssm_param_history_options o = SSM_PARAM_HISTORY_OPTIONS_INIT;
	ssm_param_iter *it = NULL;
	ssm_client *client = NULL;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "w", longopts, NULL)) != -1) {
		if (c != 'w')
			return CLI_USAGE;
		o.flags |= SSM_PARAM_WITH_DECRYPTION;
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "usage: ssm param history NAME "
					    "[--with-decryption]");
	if ((rc = cli_client(cli, &client)))
		return rc;
	if (ssm_param_history(&it, client, argv[optind], &o) < 0)
		rc = cli_fail(cli, "history");
	else
		rc = print_iter(cli, it, F_VALUE | F_META | F_LABELS,
				argv[optind]);
	ssm_param_iter_free(it);
	ssm_client_free(client);
	return rc;
}

static int param_delete(struct cli *cli, int argc, char **argv)
{
	ssm_strarray del = SSM_STRARRAY_INIT, inv = SSM_STRARRAY_INIT;
	ssm_client *client = NULL;
	size_t i;
	int rc;

	if (argc < 2)
		return cli_usage_error(cli, "usage: ssm param delete NAME...");
	if ((rc = cli_client(cli, &client)))
		return rc;
	if (argc == 2) {
		if (ssm_param_delete(client, argv[1]) < 0)
			rc = cli_fail(cli, argv[1]);
		else if (cli->output == CLI_OUTPUT_JSON)
			printf("{}\n");
	} else if (ssm_param_delete_many(&del, &inv, client,
					 (const char *const *)argv + 1,
					 (size_t)argc - 1) < 0) {
		rc = cli_fail(cli, "delete");
	} else if (cli->output == CLI_OUTPUT_JSON) {
		printf("{");
		strings_json("DeletedParameters", &del);
		printf(", ");
		strings_json("InvalidParameters", &inv);
		printf("}\n");
	} else {
		for (i = 0; i < inv.count; i++)
			fprintf(stderr, "%s: %s: not found\n", cli->prog,
				inv.strings[i]);
		rc = inv.count ? CLI_FAILED : CLI_OK;
	}
	ssm_strarray_dispose(&del);
	ssm_strarray_dispose(&inv);
	ssm_client_free(client);
	return rc;
}

static int param_label(struct cli *cli, int argc, char **argv, bool remove)
{
	static const struct option longopts[] = {
		{ "version", required_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	ssm_strarray a = SSM_STRARRAY_INIT, b = SSM_STRARRAY_INIT;
	ssm_client *client = NULL;
	uint64_t version = 0, labelled = 0;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "v:", longopts, NULL)) != -1) {
		if (c != 'v')
			return CLI_USAGE;
		version = strtoull(optarg, NULL, 10);
	}
	if (argc - optind < 2 || (remove && !version))
		return cli_usage_error(cli,
				       remove ? "usage: ssm param unlabel NAME "
						"--version N LABEL..."
					      : "usage: ssm param label NAME "
						"LABEL... [--version N]");
	if ((rc = cli_client(cli, &client)))
		return rc;
	if (remove ? ssm_param_unlabel(&a, &b, client, argv[optind], version,
				       (const char *const *)argv + optind + 1,
				       (size_t)(argc - optind - 1)) < 0
		   : ssm_param_label(&labelled, &b, client, argv[optind],
				     version,
				     (const char *const *)argv + optind + 1,
				     (size_t)(argc - optind - 1)) < 0) {
		rc = cli_fail(cli, argv[optind]);
	} else if (cli->output == CLI_OUTPUT_JSON) {
		printf("{");
		if (remove) {
			strings_json("RemovedLabels", &a);
			printf(", ");
		}
		strings_json("InvalidLabels", &b);
		if (!remove)
			printf(", \"ParameterVersion\": %" PRIu64, labelled);
		printf("}\n");
	} else {
		size_t i;

		if (!remove)
			printf("version %" PRIu64 "\n", labelled);
		for (i = 0; i < b.count; i++)
			fprintf(stderr, "%s: label '%s' %s\n", cli->prog,
				b.strings[i],
				remove ? "is not on that version"
				       : "is not valid");
		rc = b.count ? CLI_FAILED : CLI_OK;
	}
	ssm_strarray_dispose(&a);
	ssm_strarray_dispose(&b);
	ssm_client_free(client);
	return rc;
}

static int param_label_add(struct cli *cli, int argc, char **argv)
{
	return param_label(cli, argc, argv, false);
}

static int param_label_remove(struct cli *cli, int argc, char **argv)
{
	return param_label(cli, argc, argv, true);
}

static int param_tag(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "remove", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	ssm_tag tags[MAX_ITEMS];
	ssm_tag_list *tl = NULL;
	ssm_client *client = NULL;
	bool remove = false;
	size_t n = 0, i;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "r", longopts, NULL)) != -1) {
		if (c != 'r')
			return CLI_USAGE;
		remove = true;
	}
	if (argc - optind < 1 || (remove && argc - optind < 2))
		return cli_usage_error(cli, "usage: ssm param tag NAME "
					    "[KEY=VALUE...] | --remove NAME "
					    "KEY...");
	for (i = (size_t)optind + 1; i < (size_t)argc && n < MAX_ITEMS; i++) {
		char *eq = remove ? NULL : strchr(argv[i], '=');

		if (eq)
			*eq = '\0';
		tags[n].key = argv[i];
		tags[n++].value = eq ? eq + 1 : "";
	}
	if ((rc = cli_client(cli, &client)))
		return rc;
	if (remove) {
		const char *keys[MAX_ITEMS];

		for (i = 0; i < n; i++)
			keys[i] = tags[i].key;
		if (ssm_tags_remove(client, "Parameter", argv[optind], keys,
				    n) < 0)
			rc = cli_fail(cli, argv[optind]);
	} else if (n && ssm_tags_add(client, "Parameter", argv[optind], tags,
				     n) < 0) {
		rc = cli_fail(cli, argv[optind]);
	}
	if (rc == CLI_OK &&
	    ssm_tags_list(&tl, client, "Parameter", argv[optind]) < 0)
		rc = cli_fail(cli, argv[optind]);
	if (rc == CLI_OK && cli->output == CLI_OUTPUT_JSON) {
		printf("{\"TagList\": [");
		for (i = 0; i < ssm_tag_list_count(tl); i++) {
			printf("%s{\"Key\": ", i ? ", " : "");
			json_str(ssm_tag_list_key(tl, i));
			printf(", \"Value\": ");
			json_str(ssm_tag_list_value(tl, i));
			printf("}");
		}
		printf("]}\n");
	} else if (rc == CLI_OK) {
		for (i = 0; i < ssm_tag_list_count(tl); i++)
			printf("%s=%s\n", ssm_tag_list_key(tl, i),
			       ssm_tag_list_value(tl, i));
	}
	ssm_tag_list_free(tl);
	ssm_client_free(client);
	return rc;
}

int cli_cmd_param(struct cli *cli, int argc, char **argv)
{
	static const struct cli_command cmds[] = {
		{ "put", "create a parameter or a new version of it",
		  param_put },
		{ "get", "print parameters (NAME, NAME:VERSION, NAME:LABEL)",
		  param_get },
		{ "get-by-path", "the parameters under a path",
		  param_get_by_path },
		{ "describe", "metadata of parameters, with filters",
		  param_describe },
		{ "history", "every kept version of a parameter",
		  param_history },
		{ "delete", "delete parameters", param_delete },
		{ "label", "attach labels to a version", param_label_add },
		{ "unlabel", "remove labels from a version",
		  param_label_remove },
		{ "tag", "list, add or remove a parameter's tags", param_tag },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch(cli, "ssm param", cmds, argc - 1, argv + 1);
}
