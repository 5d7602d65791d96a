/* SPDX-License-Identifier: Apache-2.0 */
/* ssm document: check and render documents, and keep them in the document
 * store. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli.h"

#define MAX_ITEMS 64

/* ---- input ------------------------------------------------------------- */

/* Read FILE ("-": standard input) into a NUL-terminated buffer. */
static int read_file(struct cli *cli, const char *path, char **out, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 4096, n = 0;
	char *buf;

	*out = NULL;
	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", cli->prog, path,
			strerror(errno));
		return CLI_FAILED;
	}
	buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);

		n += got;
		if (n + 1 < cap)
			break;
		if (cap > 4 * SSM_DOCUMENT_MAX_SIZE)
			break; /* the library names the limit */
		cap *= 2;
		buf = realloc(buf, cap);
	}
	if (f != stdin)
		fclose(f);
	if (!buf) {
		fprintf(stderr, "%s: %s: out of memory\n", cli->prog, path);
		return CLI_FAILED;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return CLI_OK;
}

/* The format a file name implies (.json, .yaml, .yml); 0: detect. */
static ssm_document_format format_of_path(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot)
		return SSM_DOCUMENT_FORMAT_DEFAULT;
	if (strcasecmp(dot, ".json") == 0)
		return SSM_DOCUMENT_JSON;
	if (strcasecmp(dot, ".yaml") == 0 || strcasecmp(dot, ".yml") == 0)
		return SSM_DOCUMENT_YAML;
	return SSM_DOCUMENT_FORMAT_DEFAULT;
}

static int parse_format(struct cli *cli, const char *s,
			ssm_document_format *out)
{
	if (ssm_document_format_parse(out, s) < 0)
		return cli_usage_error(cli, "%s", ssm_error_last()->message);
	return CLI_OK;
}

static int parse_type(struct cli *cli, const char *s, ssm_document_type *out)
{
	if (ssm_document_type_parse(out, s) < 0)
		return cli_usage_error(cli, "%s", ssm_error_last()->message);
	return CLI_OK;
}

/* ---- output ------------------------------------------------------------- */

static void json_str(const char *s)
{
	if (s)
		cli_json_string(stdout, s, strlen(s));
	else
		fputs("null", stdout);
}

static void json_field(const char *key, const char *value)
{
	if (!value)
		return;
	printf(", \"%s\": ", key);
	json_str(value);
}

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

static void platforms_text(char *out, size_t size, unsigned bits)
{
	static const ssm_document_platform all[] = { SSM_DOCUMENT_WINDOWS,
						     SSM_DOCUMENT_LINUX,
						     SSM_DOCUMENT_MACOS };
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < 3; i++)
		if (bits & SSM_DOCUMENT_PLATFORM_BIT(all[i]))
			n += (size_t)snprintf(
				out + n, size - n, "%s%s", n ? "," : "",
				ssm_document_platform_str(all[i]));
}

static void json_platforms(unsigned bits)
{
	static const ssm_document_platform all[] = { SSM_DOCUMENT_WINDOWS,
						     SSM_DOCUMENT_LINUX,
						     SSM_DOCUMENT_MACOS };
	size_t i;
	bool first = true;

	printf("[");
	for (i = 0; i < 3; i++)
		if (bits & SSM_DOCUMENT_PLATFORM_BIT(all[i])) {
			printf(first ? "" : ", ");
			json_str(ssm_document_platform_str(all[i]));
			first = false;
		}
	printf("]");
}

static void json_tags(const ssm_document_info *d)
{
	size_t i;

	printf(", \"Tags\": [");
	for (i = 0; i < ssm_document_info_tags_count(d); i++) {
		const char *v;
		const char *k = ssm_document_info_tag_at(&v, d, i);

		printf("%s{\"Key\": ", i ? ", " : "");
		json_str(k);
		printf(", \"Value\": ");
		json_str(v);
		printf("}");
	}
	printf("]");
}

/* A DocumentDescription as the AWS CLI prints it. */
static void description_json(const ssm_document_info *d)
{
	size_t i;

	printf("{\"Hash\": ");
	json_str(ssm_document_info_hash(d));
	printf(", \"HashType\": \"Sha256\"");
	json_field("Name", ssm_document_info_name(d));
	json_field("DisplayName", ssm_document_info_display_name(d));
	json_field("VersionName", ssm_document_info_version_name(d));
	json_field("Owner", ssm_document_info_owner(d));
	printf(", \"CreatedDate\": ");
	json_time(ssm_document_info_created_ms(d));
	json_field("Status", ssm_document_info_status(d));
	printf(", \"DocumentVersion\": \"%" PRIu64 "\"",
	       ssm_document_info_version(d));
	json_field("Description", ssm_document_info_description(d));
	printf(", \"Parameters\": [");
	for (i = 0; i < ssm_document_info_params_count(d); i++) {
		const char *type, *desc, *def;
		const char *name =
			ssm_document_info_param_at(&type, &desc, &def, d, i);

		printf("%s{\"Name\": ", i ? ", " : "");
		json_str(name);
		json_field("Type", type);
		json_field("Description", desc);
		json_field("DefaultValue", def);
		printf("}");
	}
	printf("], \"PlatformTypes\": ");
	json_platforms(ssm_document_info_platforms(d));
	json_field("DocumentType",
		   ssm_document_type_str(ssm_document_info_type(d)));
	json_field("SchemaVersion", ssm_document_info_schema_version(d));
	printf(", \"LatestVersion\": \"%" PRIu64 "\", \"DefaultVersion\": "
	       "\"%" PRIu64 "\"",
	       ssm_document_info_latest_version(d),
	       ssm_document_info_default_version(d));
	json_field("DocumentFormat",
		   ssm_document_format_str(ssm_document_info_format(d)));
	json_field("TargetType", ssm_document_info_target_type(d));
	json_tags(d);
	printf("}");
}

static void description_table(const ssm_document_info *d)
{
	char when[32], plats[64];
	size_t i;

	time_text(when, sizeof(when), ssm_document_info_created_ms(d));
	platforms_text(plats, sizeof(plats), ssm_document_info_platforms(d));
	printf("Name:            %s\n", ssm_document_info_name(d));
	printf("Owner:           %s\n", ssm_document_info_owner(d));
	printf("Type:            %s\n",
	       ssm_document_type_str(ssm_document_info_type(d)));
	printf("Schema:          %s\n", ssm_document_info_schema_version(d));
	printf("Format:          %s\n",
	       ssm_document_format_str(ssm_document_info_format(d)));
	printf("Version:         %" PRIu64 " (latest %" PRIu64
	       ", default %" PRIu64 ")\n",
	       ssm_document_info_version(d),
	       ssm_document_info_latest_version(d),
	       ssm_document_info_default_version(d));
	if (ssm_document_info_version_name(d))
		printf("Version name:    %s\n",
		       ssm_document_info_version_name(d));
	if (ssm_document_info_display_name(d))
		printf("Display name:    %s\n",
		       ssm_document_info_display_name(d));
	printf("Created:         %s\n", when);
	printf("Platforms:       %s\n", plats);
	printf("Hash (SHA-256):  %s\n", ssm_document_info_hash(d));
	if (ssm_document_info_description(d))
		printf("Description:     %s\n",
		       ssm_document_info_description(d));
	for (i = 0; i < ssm_document_info_params_count(d); i++) {
		const char *type, *desc, *def;
		const char *name =
			ssm_document_info_param_at(&type, &desc, &def, d, i);

		printf("Parameter:       %s (%s)%s%s%s\n", name, type,
		       def ? ", default \"" : ", required", def ? def : "",
		       def ? "\"" : "");
	}
	for (i = 0; i < ssm_document_info_tags_count(d); i++) {
		const char *v;
		const char *k = ssm_document_info_tag_at(&v, d, i);

		printf("Tag:             %s=%s\n", k, v);
	}
}

static void print_description(struct cli *cli, const char *wrapper,
			      const ssm_document_info *d)
{
	if (cli->output == CLI_OUTPUT_JSON) {
		printf("{\"%s\": ", wrapper);
		description_json(d);
		printf("}\n");
	} else {
		description_table(d);
	}
}

/* ---- validate ---------------------------------------------------------- */

static int document_validate(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "type", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	ssm_document_parse_options o = SSM_DOCUMENT_PARSE_OPTIONS_INIT;
	ssm_document_problems *pr = NULL;
	ssm_document *d = NULL;
	const char *path;
	char *text = NULL;
	size_t len, i, n;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "f:t:", longopts, NULL)) != -1) {
		if (c == 'f' && (rc = parse_format(cli, optarg, &o.format)))
			return rc;
		else if (c == 't' && (rc = parse_type(cli, optarg, &o.type)))
			return rc;
		else if (c != 'f' && c != 't')
			return CLI_USAGE;
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "usage: ssm document validate FILE "
					    "[--format json|yaml] [--type "
					    "TYPE]");
	path = argv[optind];
	if (!o.format)
		o.format = format_of_path(path);
	if ((rc = read_file(cli, path, &text, &len)))
		return rc;
	if (ssm_document_validate(&pr, text, len, &o) < 0) {
		free(text);
		return cli_fail(cli, path);
	}
	n = ssm_document_problems_count(pr);
	if (!n && ssm_document_parse(&d, text, len, &o) < 0) {
		rc = cli_fail(cli, path);
		goto done;
	}
	if (cli->output == CLI_OUTPUT_JSON) {
		printf("{\"Valid\": %s", n ? "false" : "true");
		if (d) {
			json_field(
				"DocumentType",
				ssm_document_type_str(ssm_document_type_of(d)));
			json_field("SchemaVersion",
				   ssm_document_schema_version(d));
		}
		printf(", \"Problems\": [");
		for (i = 0; i < n; i++) {
			printf("%s{\"Code\": ", i ? ", " : "");
			json_str(ssm_document_problem_code(pr, i));
			printf(", \"Message\": ");
			json_str(ssm_document_problem_message(pr, i));
			printf(", \"Line\": %u, \"Column\": %u",
			       ssm_document_problem_line(pr, i),
			       ssm_document_problem_column(pr, i));
			json_field("Step", ssm_document_problem_step(pr, i));
			json_field("Field", ssm_document_problem_field(pr, i));
			printf("}");
		}
		printf("]}\n");
	} else if (d) {
		char plats[64];

		platforms_text(plats, sizeof(plats), ssm_document_platforms(d));
		printf("%s: valid %s document, schema %s, %zu parameter%s, "
		       "%zu step%s (%s)\n",
		       path, ssm_document_type_str(ssm_document_type_of(d)),
		       ssm_document_schema_version(d),
		       ssm_document_params_count(d),
		       ssm_document_params_count(d) == 1 ? "" : "s",
		       ssm_document_steps_count(d),
		       ssm_document_steps_count(d) == 1 ? "" : "s", plats);
	}
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s: %s (%s)\n", path,
			ssm_document_problem_message(pr, i),
			ssm_document_problem_code(pr, i));
	rc = n ? CLI_FAILED : CLI_OK;
done:
	ssm_document_free(d);
	ssm_document_problems_free(pr);
	free(text);
	return rc;
}

/* ---- render ---------------------------------------------------------------
 */

struct params {
	ssm_document_param_value items[MAX_ITEMS];
	const char *values[MAX_ITEMS][MAX_ITEMS];
	size_t count;
};

/* --parameters name=value: repeated names collect several values. */
static int param_add(struct cli *cli, struct params *ps, char *spec)
{
	char *eq = strchr(spec, '=');
	size_t i;

	if (!eq || eq == spec)
		return cli_usage_error(cli,
				       "--parameters takes name=value, "
				       "not '%s'",
				       spec);
	*eq = '\0';
	for (i = 0; i < ps->count; i++)
		if (strcmp(ps->items[i].name, spec) == 0)
			break;
	if (i == ps->count) {
		if (ps->count == MAX_ITEMS)
			return cli_usage_error(cli, "too many parameters");
		ps->items[i].name = spec;
		ps->items[i].values = ps->values[i];
		ps->items[i].count = 0;
		ps->count++;
	}
	if (ps->items[i].count == MAX_ITEMS)
		return cli_usage_error(cli, "too many values for %s", spec);
	ps->values[i][ps->items[i].count++] = eq + 1;
	return CLI_OK;
}

static int document_render(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "parameters", required_argument, NULL, 'p' },
		{ "parameters-json", required_argument, NULL, 'j' },
		{ "platform", required_argument, NULL, 'P' },
		{ "name", required_argument, NULL, 'n' },
		{ "document-version", required_argument, NULL, 'v' },
		{ "format", required_argument, NULL, 'f' },
		{ "resolve", no_argument, NULL, 'r' },
		{ "keep-references", no_argument, NULL, 'k' },
		{ "redact", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	ssm_document_render_options ro = SSM_DOCUMENT_RENDER_OPTIONS_INIT;
	ssm_document_parse_options po = SSM_DOCUMENT_PARSE_OPTIONS_INIT;
	ssm_document_get_options go = SSM_DOCUMENT_GET_OPTIONS_INIT;
	static struct params ps;
	ssm_client *client = NULL;
	ssm_document *d = NULL;
	ssm_document_plan *plan = NULL;
	ssm_buf out = SSM_BUF_INIT;
	const char *name = NULL, *what;
	char *text = NULL;
	bool resolve = false;
	unsigned flags = SSM_DOCUMENT_PLAN_PRETTY;
	size_t len;
	int c, rc = CLI_OK;

	memset(&ps, 0, sizeof(ps));
	optind = 0;
	while ((c = getopt_long(argc, argv, "p:j:P:n:v:f:rkR", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'p':
			if ((rc = param_add(cli, &ps, optarg)))
				return rc;
			break;
		case 'j':
			ro.params_json = optarg;
			break;
		case 'P':
			if (ssm_document_platform_parse(&ro.platform, optarg) <
			    0)
				return cli_usage_error(
					cli, "%s", ssm_error_last()->message);
			break;
		case 'n':
			name = optarg;
			break;
		case 'v':
			go.document_version = optarg;
			break;
		case 'f':
			if ((rc = parse_format(cli, optarg, &po.format)))
				return rc;
			break;
		case 'r':
			resolve = true;
			break;
		case 'k':
			ro.flags |= SSM_DOCUMENT_RENDER_KEEP_REFERENCES;
			break;
		case 'R':
			flags |= SSM_DOCUMENT_PLAN_REDACT;
			break;
		default:
			return CLI_USAGE;
		}
	}
	if ((name ? 0 : 1) != argc - optind)
		return cli_usage_error(
			cli, "usage: ssm document render FILE|--name NAME "
			     "[--parameters name=value]... [--parameters-json "
			     "JSON] [--platform Linux|Windows|MacOS] "
			     "[--resolve] [--keep-references] [--redact]");
	/* a stored document, or references to resolve: a client */
	if ((name || resolve) && (rc = cli_client(cli, &client)))
		return rc;
	if (name) {
		ssm_document_info *info = NULL;
		const char *content;

		what = name;
		if (ssm_document_get(&info, client, name, &go) < 0) {
			rc = cli_fail(cli, name);
			goto done;
		}
		content = ssm_document_info_content(info);
		text = strdup(content);
		len = strlen(content);
		po.format = ssm_document_info_format(info);
		po.type = ssm_document_info_type(info);
		ssm_document_info_free(info);
		if (!text) {
			rc = CLI_FAILED;
			goto done;
		}
	} else {
		what = argv[optind];
		if (!po.format)
			po.format = format_of_path(what);
		if ((rc = read_file(cli, what, &text, &len)))
			goto done;
	}
	if (ssm_document_parse(&d, text, len, &po) < 0) {
		rc = cli_fail(cli, what);
		goto done;
	}
	ro.params = ps.items;
	ro.params_count = ps.count;
	ro.client = client;
	ro.document_name = name;
	if (ssm_document_render(&plan, d, &ro) < 0 ||
	    ssm_document_plan_json(&out, plan, flags) < 0) {
		rc = cli_fail(cli, what);
		goto done;
	}
	printf("%s\n", out.ptr);
done:
	ssm_buf_dispose(&out);
	ssm_document_plan_free(plan);
	ssm_document_free(d);
	ssm_client_free(client);
	free(text);
	return rc;
}

/* ---- create / update ----------------------------------------------------- */

static int document_create_or_update(struct cli *cli, int argc, char **argv,
				     bool update)
{
	static const struct option longopts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "version-name", required_argument, NULL, 'N' },
		{ "display-name", required_argument, NULL, 'D' },
		{ "target-type", required_argument, NULL, 'T' },
		{ "document-version", required_argument, NULL, 'v' },
		{ "tag", required_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 },
	};
	ssm_document_create_options co = SSM_DOCUMENT_CREATE_OPTIONS_INIT;
	ssm_document_update_options uo = SSM_DOCUMENT_UPDATE_OPTIONS_INIT;
	ssm_tag tags[MAX_ITEMS];
	ssm_client *client = NULL;
	ssm_document_info *d = NULL;
	char *text = NULL;
	size_t len;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "t:f:N:D:T:v:g:", longopts,
				NULL)) != -1) {
		switch (c) {
		case 't':
			if (update)
				return cli_usage_error(cli, "update keeps the "
							    "document's type");
			if ((rc = parse_type(cli, optarg, &co.type)))
				return rc;
			break;
		case 'f':
			if ((rc = parse_format(cli, optarg, &co.format)))
				return rc;
			break;
		case 'N':
			co.version_name = optarg;
			break;
		case 'D':
			co.display_name = optarg;
			break;
		case 'T':
			co.target_type = optarg;
			break;
		case 'v':
			if (!update)
				return cli_usage_error(
					cli, "--document-version is for "
					     "update");
			uo.document_version = optarg;
			break;
		case 'g': {
			char *eq = strchr(optarg, '=');

			if (update)
				return cli_usage_error(
					cli, "update does not take tags (see "
					     "ssm document tag)");
			if (!eq || eq == optarg || co.tags_count == MAX_ITEMS)
				return cli_usage_error(cli, "--tag takes "
							    "key=value");
			*eq = '\0';
			tags[co.tags_count].key = optarg;
			tags[co.tags_count].value = eq + 1;
			co.tags_count++;
			co.tags = tags;
			break;
		}
		default:
			return CLI_USAGE;
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(
			cli,
			update ? "usage: ssm document update NAME FILE "
				 "[--document-version V] [--version-name "
				 "N] [--format json|yaml]"
			       : "usage: ssm document create NAME FILE "
				 "[--type TYPE] [--format json|yaml] "
				 "[--version-name N] [--tag key=value]...");
	if (!co.format)
		co.format = format_of_path(argv[optind + 1]);
	if ((rc = read_file(cli, argv[optind + 1], &text, &len)))
		return rc;
	if (!co.format) {
		/* what the file looks like: a leading '{' is JSON */
		ssm_document *probe = NULL;

		co.format =
			ssm_document_parse(&probe, text, len, NULL) == SSM_OK
				? ssm_document_format_of(probe)
				: SSM_DOCUMENT_JSON;
		ssm_document_free(probe);
	}
	if (strlen(text) != len) {
		free(text);
		fprintf(stderr, "%s: %s: the file holds a NUL byte\n",
			cli->prog, argv[optind + 1]);
		return CLI_FAILED;
	}
	if ((rc = cli_client(cli, &client))) {
		free(text);
		return rc;
	}
	if (update) {
		uo.version_name = co.version_name;
		uo.display_name = co.display_name;
		uo.target_type = co.target_type;
		uo.format = co.format;
		if (ssm_document_update(&d, client, argv[optind], text, &uo) <
		    0)
			rc = cli_fail(cli, argv[optind]);
	} else if (ssm_document_create(&d, client, argv[optind], text, &co) <
		   0) {
		rc = cli_fail(cli, argv[optind]);
	}
	if (!rc) {
		if (cli->output == CLI_OUTPUT_JSON)
			print_description(cli, "DocumentDescription", d);
		else
			printf("%s version %" PRIu64 " (%s)\n",
			       ssm_document_info_name(d),
			       ssm_document_info_version(d),
			       ssm_document_info_hash(d));
	}
	ssm_document_info_free(d);
	ssm_client_free(client);
	free(text);
	return rc;
}

static int document_create(struct cli *cli, int argc, char **argv)
{
	return document_create_or_update(cli, argc, argv, false);
}

static int document_update(struct cli *cli, int argc, char **argv)
{
	return document_create_or_update(cli, argc, argv, true);
}

/* ---- get / describe ----------------------------------------------------- */

static int version_options(struct cli *cli, int argc, char **argv,
			   ssm_document_get_options *go, bool with_format)
{
	static const struct option longopts[] = {
		{ "document-version", required_argument, NULL, 'v' },
		{ "version-name", required_argument, NULL, 'N' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "v:N:f:", longopts, NULL)) != -1) {
		if (c == 'v') {
			go->document_version = optarg;
		} else if (c == 'N') {
			go->version_name = optarg;
		} else if (c == 'f' && with_format) {
			if ((rc = parse_format(cli, optarg, &go->format)))
				return rc;
		} else {
			return CLI_USAGE;
		}
	}
	return CLI_OK;
}

static int document_get(struct cli *cli, int argc, char **argv)
{
	ssm_document_get_options go = SSM_DOCUMENT_GET_OPTIONS_INIT;
	ssm_client *client = NULL;
	ssm_document_info *d = NULL;
	int rc;

	if ((rc = version_options(cli, argc, argv, &go, true)))
		return rc;
	if (argc - optind != 1)
		return cli_usage_error(cli, "usage: ssm document get NAME "
					    "[--document-version V] "
					    "[--version-name N] [--format "
					    "json|yaml]");
	if ((rc = cli_client(cli, &client)))
		return rc;
	if (ssm_document_get(&d, client, argv[optind], &go) < 0) {
		rc = cli_fail(cli, argv[optind]);
	} else if (cli->output == CLI_OUTPUT_JSON) {
		printf("{\"Name\": ");
		json_str(ssm_document_info_name(d));
		printf(", \"CreatedDate\": ");
		json_time(ssm_document_info_created_ms(d));
		json_field("DisplayName", ssm_document_info_display_name(d));
		json_field("VersionName", ssm_document_info_version_name(d));
		printf(", \"DocumentVersion\": \"%" PRIu64 "\"",
		       ssm_document_info_version(d));
		json_field("Status", ssm_document_info_status(d));
		json_field("Content", ssm_document_info_content(d));
		json_field("DocumentType",
			   ssm_document_type_str(ssm_document_info_type(d)));
		json_field(
			"DocumentFormat",
			ssm_document_format_str(ssm_document_info_format(d)));
		printf("}\n");
	} else {
		const char *c = ssm_document_info_content(d);
		size_t n = strlen(c);

		fwrite(c, 1, n, stdout);
		if (!n || c[n - 1] != '\n')
			putchar('\n');
	}
	ssm_document_info_free(d);
	ssm_client_free(client);
	return rc;
}

static int document_describe(struct cli *cli, int argc, char **argv)
{
	ssm_document_get_options go = SSM_DOCUMENT_GET_OPTIONS_INIT;
	ssm_client *client = NULL;
	ssm_document_info *d = NULL;
	int rc;

	if ((rc = version_options(cli, argc, argv, &go, false)))
		return rc;
	if (argc - optind != 1)
		return cli_usage_error(cli, "usage: ssm document describe NAME "
					    "[--document-version V] "
					    "[--version-name N]");
	if ((rc = cli_client(cli, &client)))
		return rc;
	if (ssm_document_describe(&d, client, argv[optind], &go) < 0)
		rc = cli_fail(cli, argv[optind]);
	else
		print_description(cli, "Document", d);
	ssm_document_info_free(d);
	ssm_client_free(client);
	return rc;
}

/* ---- list ------------------------------------------------------------------
 */

struct filters {
	ssm_document_filter items[8];
	const char *values[8][MAX_ITEMS];
	size_t count;
};

/* --filter Key=v1,v2 */
static int filter_add(struct cli *cli, struct filters *fs, char *spec)
{
	char *eq = strchr(spec, '='), *v, *save = NULL;
	ssm_document_filter *f;

	if (!eq || eq == spec || fs->count == 8)
		return cli_usage_error(cli, "--filter takes Key=value[,value]");
	*eq = '\0';
	f = &fs->items[fs->count];
	f->key = spec;
	f->values = fs->values[fs->count];
	f->values_count = 0;
	for (v = strtok_r(eq + 1, ",", &save); v && f->values_count < MAX_ITEMS;
	     v = strtok_r(NULL, ",", &save))
		fs->values[fs->count][f->values_count++] = v;
	fs->count++;
	return CLI_OK;
}

static int print_iter(struct cli *cli, ssm_document_iter *it, bool versions)
{
	const ssm_document_info *d;
	ssm_err e;
	bool first = true;

	if (cli->output == CLI_OUTPUT_JSON)
		printf("{\"%s\": [",
		       versions ? "DocumentVersions" : "DocumentIdentifiers");
	else if (versions)
		printf("%-8s %-8s %-6s %-20s %s\n", "VERSION", "DEFAULT",
		       "FORMAT", "CREATED", "VERSION NAME");
	else
		printf("%-44s %-13s %-7s %-11s %-6s %-6s %s\n", "NAME", "OWNER",
		       "VERSION", "TYPE", "FORMAT", "SCHEMA", "PLATFORMS");
	while ((e = ssm_document_iter_next(&d, it)) == SSM_OK) {
		char when[32], plats[64];

		time_text(when, sizeof(when), ssm_document_info_created_ms(d));
		platforms_text(plats, sizeof(plats),
			       ssm_document_info_platforms(d));
		if (cli->output == CLI_OUTPUT_JSON) {
			printf("%s{\"Name\": ", first ? "" : ", ");
			json_str(ssm_document_info_name(d));
			printf(", \"CreatedDate\": ");
			json_time(ssm_document_info_created_ms(d));
			json_field("DisplayName",
				   ssm_document_info_display_name(d));
			json_field("VersionName",
				   ssm_document_info_version_name(d));
			printf(", \"DocumentVersion\": \"%" PRIu64 "\"",
			       ssm_document_info_version(d));
			json_field("DocumentFormat",
				   ssm_document_format_str(
					   ssm_document_info_format(d)));
			if (versions) {
				printf(", \"IsDefaultVersion\": %s",
				       ssm_document_info_is_default_version(d)
					       ? "true"
					       : "false");
				json_field("Status",
					   ssm_document_info_status(d));
			} else {
				json_field("Owner", ssm_document_info_owner(d));
				printf(", \"PlatformTypes\": ");
				json_platforms(ssm_document_info_platforms(d));
				json_field("DocumentType",
					   ssm_document_type_str(
						   ssm_document_info_type(d)));
				json_field("SchemaVersion",
					   ssm_document_info_schema_version(d));
				json_field("TargetType",
					   ssm_document_info_target_type(d));
				json_tags(d);
			}
			printf("}");
		} else if (versions) {
			printf("%-8" PRIu64 " %-8s %-6s %-20s %s\n",
			       ssm_document_info_version(d),
			       ssm_document_info_is_default_version(d) ? "yes"
								       : "",
			       ssm_document_format_str(
				       ssm_document_info_format(d)),
			       when,
			       ssm_document_info_version_name(d)
				       ? ssm_document_info_version_name(d)
				       : "");
		} else {
			printf("%-44s %-13s %-7" PRIu64 " %-11s %-6s %-6s %s\n",
			       ssm_document_info_name(d),
			       ssm_document_info_owner(d),
			       ssm_document_info_version(d),
			       ssm_document_type_str(ssm_document_info_type(d)),
			       ssm_document_format_str(
				       ssm_document_info_format(d)),
			       ssm_document_info_schema_version(d)
				       ? ssm_document_info_schema_version(d)
				       : "-",
			       plats);
		}
		first = false;
	}
	if (cli->output == CLI_OUTPUT_JSON)
		printf("]}\n");
	if (e != SSM_ITEROVER)
		return cli_fail(cli, "list");
	return CLI_OK;
}

static int document_list(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "filter", required_argument, NULL, 'F' },
		{ "max-results", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	ssm_document_list_options o = SSM_DOCUMENT_LIST_OPTIONS_INIT;
	static struct filters fs;
	ssm_client *client = NULL;
	ssm_document_iter *it = NULL;
	int c, rc;

	memset(&fs, 0, sizeof(fs));
	optind = 0;
	while ((c = getopt_long(argc, argv, "F:m:", longopts, NULL)) != -1) {
		if (c == 'F') {
			if ((rc = filter_add(cli, &fs, optarg)))
				return rc;
		} else if (c == 'm') {
			o.page_size = (size_t)strtoul(optarg, NULL, 10);
		} else {
			return CLI_USAGE;
		}
	}
	if (argc != optind)
		return cli_usage_error(cli,
				       "usage: ssm document list [--filter "
				       "Key=value[,value]]... "
				       "[--max-results N]");
	o.filters = fs.items;
	o.filters_count = fs.count;
	if ((rc = cli_client(cli, &client)))
		return rc;
	if (ssm_document_list(&it, client, &o) < 0)
		rc = cli_fail(cli, "list");
	else
		rc = print_iter(cli, it, false);
	ssm_document_iter_free(it);
	ssm_client_free(client);
	return rc;
}

static int document_versions(struct cli *cli, int argc, char **argv)
{
	ssm_client *client = NULL;
	ssm_document_iter *it = NULL;
	int rc;

	if (argc != 2)
		return cli_usage_error(cli,
				       "usage: ssm document versions NAME");
	if ((rc = cli_client(cli, &client)))
		return rc;
	if (ssm_document_list_versions(&it, client, argv[1], 0) < 0)
		rc = cli_fail(cli, argv[1]);
	else
		rc = print_iter(cli, it, true);
	ssm_document_iter_free(it);
	ssm_client_free(client);
	return rc;
}

/* ---- delete / default version -----------------------------------------------
 */

static int document_delete(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "document-version", required_argument, NULL, 'v' },
		{ "version-name", required_argument, NULL, 'N' },
		{ "force", no_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	ssm_document_delete_options o = SSM_DOCUMENT_DELETE_OPTIONS_INIT;
	ssm_client *client = NULL;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "v:N:F", longopts, NULL)) != -1) {
		if (c == 'v')
			o.document_version = optarg;
		else if (c == 'N')
			o.version_name = optarg;
		else if (c == 'F')
			o.force = true;
		else
			return CLI_USAGE;
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "usage: ssm document delete NAME "
					    "[--document-version V] "
					    "[--version-name N] [--force]");
	if ((rc = cli_client(cli, &client)))
		return rc;
	if (ssm_document_delete(client, argv[optind], &o) < 0)
		rc = cli_fail(cli, argv[optind]);
	else if (cli->output == CLI_OUTPUT_JSON)
		printf("{}\n");
	ssm_client_free(client);
	return rc;
}

static int document_set_default(struct cli *cli, int argc, char **argv)
{
	ssm_client *client = NULL;
	ssm_document_info *d = NULL;
	int rc;

	if (argc != 3)
		return cli_usage_error(cli, "usage: ssm document "
					    "set-default-version NAME VERSION");
	if ((rc = cli_client(cli, &client)))
		return rc;
	if (ssm_document_update_default_version(&d, client, argv[1], argv[2]) <
	    0) {
		rc = cli_fail(cli, argv[1]);
	} else if (cli->output == CLI_OUTPUT_JSON) {
		printf("{\"Description\": {\"Name\": ");
		json_str(ssm_document_info_name(d));
		printf(", \"DefaultVersion\": \"%" PRIu64 "\"",
		       ssm_document_info_default_version(d));
		json_field("DefaultVersionName",
			   ssm_document_info_version_name(d));
		printf("}}\n");
	} else {
		printf("%s default version %" PRIu64 "\n",
		       ssm_document_info_name(d),
		       ssm_document_info_default_version(d));
	}
	ssm_document_info_free(d);
	ssm_client_free(client);
	return rc;
}

/* ---- permissions
 * ------------------------------------------------------------- */

static int document_permissions(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "add", required_argument, NULL, 'a' },
		{ "remove", required_argument, NULL, 'r' },
		{ "shared-version", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *add[MAX_ITEMS], *rm[MAX_ITEMS], *shared = NULL;
	size_t nadd = 0, nrm = 0, i;
	ssm_strarray accounts = SSM_STRARRAY_INIT, versions = SSM_STRARRAY_INIT;
	ssm_client *client = NULL;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "a:r:s:", longopts, NULL)) != -1) {
		if (c == 'a' && nadd < MAX_ITEMS)
			add[nadd++] = optarg;
		else if (c == 'r' && nrm < MAX_ITEMS)
			rm[nrm++] = optarg;
		else if (c == 's')
			shared = optarg;
		else
			return CLI_USAGE;
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "usage: ssm document permissions "
					    "NAME [--add ACCOUNT|all]... "
					    "[--remove ACCOUNT|all]... "
					    "[--shared-version V]");
	if ((rc = cli_client(cli, &client)))
		return rc;
	if ((nadd || nrm || shared) &&
	    ssm_document_modify_permission(client, argv[optind], add, nadd, rm,
					   nrm, shared) < 0) {
		rc = cli_fail(cli, argv[optind]);
		goto done;
	}
	if (ssm_document_permissions(&accounts, &versions, client,
				     argv[optind]) < 0) {
		rc = cli_fail(cli, argv[optind]);
		goto done;
	}
	if (cli->output == CLI_OUTPUT_JSON) {
		printf("{\"AccountIds\": [");
		for (i = 0; i < accounts.count; i++) {
			printf(i ? ", " : "");
			json_str(accounts.strings[i]);
		}
		printf("], \"AccountSharingInfoList\": [");
		for (i = 0; i < accounts.count; i++) {
			printf("%s{\"AccountId\": ", i ? ", " : "");
			json_str(accounts.strings[i]);
			printf(", \"SharedDocumentVersion\": ");
			json_str(versions.strings[i]);
			printf("}");
		}
		printf("]}\n");
	} else {
		for (i = 0; i < accounts.count; i++)
			printf("%s\t%s\n", accounts.strings[i],
			       versions.strings[i]);
	}
done:
	ssm_strarray_dispose(&accounts);
	ssm_strarray_dispose(&versions);
	ssm_client_free(client);
	return rc;
}

/* ---- tags
 * -------------------------------------------------------------------- */

static int document_tag(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "add", required_argument, NULL, 'a' },
		{ "remove", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	ssm_tag add[MAX_ITEMS];
	const char *rm[MAX_ITEMS];
	size_t nadd = 0, nrm = 0, i;
	ssm_tag_list *l = NULL;
	ssm_client *client = NULL;
	int c, rc;

	optind = 0;
	while ((c = getopt_long(argc, argv, "a:r:", longopts, NULL)) != -1) {
		if (c == 'a' && nadd < MAX_ITEMS) {
			char *eq = strchr(optarg, '=');

			if (!eq || eq == optarg)
				return cli_usage_error(cli, "--add takes "
							    "key=value");
			*eq = '\0';
			add[nadd].key = optarg;
			add[nadd++].value = eq + 1;
		} else if (c == 'r' && nrm < MAX_ITEMS) {
			rm[nrm++] = optarg;
		} else {
			return CLI_USAGE;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli,
				       "usage: ssm document tag NAME [--add "
				       "key=value]... [--remove key]...");
	if ((rc = cli_client(cli, &client)))
		return rc;
	if ((nadd &&
	     ssm_tags_add(client, "Document", argv[optind], add, nadd) < 0) ||
	    (nrm &&
	     ssm_tags_remove(client, "Document", argv[optind], rm, nrm) < 0) ||
	    ssm_tags_list(&l, client, "Document", argv[optind]) < 0) {
		rc = cli_fail(cli, argv[optind]);
		goto done;
	}
	if (cli->output == CLI_OUTPUT_JSON)
		printf("{\"TagList\": [");
	for (i = 0; i < ssm_tag_list_count(l); i++) {
		if (cli->output == CLI_OUTPUT_JSON) {
			printf("%s{\"Key\": ", i ? ", " : "");
			json_str(ssm_tag_list_key(l, i));
			printf(", \"Value\": ");
			json_str(ssm_tag_list_value(l, i));
			printf("}");
		} else {
			printf("%s=%s\n", ssm_tag_list_key(l, i),
			       ssm_tag_list_value(l, i));
		}
	}
	if (cli->output == CLI_OUTPUT_JSON)
		printf("]}\n");
done:
	ssm_tag_list_free(l);
	ssm_client_free(client);
	return rc;
}

int cli_cmd_document(struct cli *cli, int argc, char **argv)
{
	static const struct cli_command cmds[] = {
		{ "validate", "check a document file, listing every problem",
		  document_validate },
		{ "render", "print the execution plan of a document as JSON",
		  document_render },
		{ "create", "store a new document", document_create },
		{ "get", "print a document's content", document_get },
		{ "describe", "a document's description", document_describe },
		{ "list", "documents, with filters", document_list },
		{ "versions", "the versions of a document", document_versions },
		{ "update", "add a version to a document", document_update },
		{ "delete", "delete a document or one version",
		  document_delete },
		{ "set-default-version", "make a version the default",
		  document_set_default },
		{ "permissions", "show, add or remove shared accounts",
		  document_permissions },
		{ "tag", "list, add or remove a document's tags",
		  document_tag },
		{ NULL, NULL, NULL },
	};

	return cli_dispatch(cli, "ssm document", cmds, argc - 1, argv + 1);
}
