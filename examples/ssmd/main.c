/* SPDX-License-Identifier: Apache-2.0 */
/* ssmd: the libssm control-plane server. The engines behind AWS's own wire
 * protocol, so `aws ssm ... --endpoint-url http://HOST:PORT`, the AWS SDKs
 * and `ssm --endpoint` work against it. Uses the public libssm API only. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <yaml.h>

#include "ssm/ssm.h"

#define MAX_KEYS 64

struct access_key {
	char *id;
	char *secret;
};

struct config {
	char *listen;
	char *store;
	char *state_dir;
	char *keyring;
	char *account_id;
	char *tls_cert;
	char *tls_key;
	char *access_key_file;
	ssm_log_level log_level;
	bool test_reset;
	unsigned long threads;
	unsigned long max_body;
	struct access_key keys[MAX_KEYS];
	size_t nkeys;
};

static const char *prog = "ssmd";
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void die(const char *fmt, ...) SSM_FORMAT_PRINTF(1, 2);

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void wipe(char *s)
{
	volatile char *p = s;

	while (p && *p)
		*p++ = '\0';
}

static char *dup_or_die(const char *s)
{
	char *d = strdup(s);

	if (!d)
		die("out of memory");
	return d;
}

static void set_str(char **slot, const char *value)
{
	free(*slot);
	*slot = dup_or_die(value);
}

/* "ID:SECRET" */
static void add_key(struct config *c, const char *spec, const char *where)
{
	const char *colon = strchr(spec, ':');

	if (!colon || colon == spec || !colon[1])
		die("%s: an access key is ID:SECRET", where);
	if (c->nkeys == MAX_KEYS)
		die("%s: at most %d access keys", where, MAX_KEYS);
	c->keys[c->nkeys].id = strndup(spec, (size_t)(colon - spec));
	c->keys[c->nkeys].secret = dup_or_die(colon + 1);
	if (!c->keys[c->nkeys].id)
		die("out of memory");
	c->nkeys++;
}

static void read_key_file(struct config *c, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	struct stat st;
	unsigned n = 0;

	if (!f)
		die("cannot open access key file '%s': %s", path,
		    strerror(errno));
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077))
		fprintf(stderr,
			"%s: warning: access key file '%s' is readable by "
			"others (chmod 600 it)\n",
			prog, path);
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *e;

		n++;
		while (*p == ' ' || *p == '\t')
			p++;
		e = p + strlen(p);
		while (e > p && (e[-1] == '\n' || e[-1] == '\r' ||
				 e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (!*p || *p == '#')
			continue;
		{
			char where[1100];

			snprintf(where, sizeof(where), "%s line %u", path, n);
			add_key(c, p, where);
		}
	}
	wipe(line);
	fclose(f);
}

static ssm_log_level parse_level(const char *s, const char *where)
{
	static const char *const names[] = { "error", "warn", "info", "debug",
					     "trace" };
	size_t i;

	for (i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0)
			return (ssm_log_level)(SSM_LOG_ERROR + (int)i);
	die("%s: log level '%s' is not error, warn, info, debug or trace",
	    where, s);
	return SSM_LOG_INFO;
}

static unsigned long parse_number(const char *s, const char *what)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || !*s || *s == '-')
		die("%s '%s' is not a number", what, s);
	return n;
}

static bool parse_bool(const char *s, const char *what)
{
	if (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on"))
		return true;
	if (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off"))
		return false;
	die("%s '%s' is not true or false", what, s);
	return false;
}

/* One setting, from the config file or the command line. */
static void apply(struct config *c, const char *key, const char *value,
		  const char *where)
{
	char what[256];

	snprintf(what, sizeof(what), "%s: %s", where, key);
	if (!strcmp(key, "listen"))
		set_str(&c->listen, value);
	else if (!strcmp(key, "store"))
		set_str(&c->store, value);
	else if (!strcmp(key, "state-dir") || !strcmp(key, "state_dir"))
		set_str(&c->state_dir, value);
	else if (!strcmp(key, "keyring"))
		set_str(&c->keyring, value);
	else if (!strcmp(key, "account-id") || !strcmp(key, "account_id"))
		set_str(&c->account_id, value);
	else if (!strcmp(key, "tls-cert") || !strcmp(key, "tls_cert"))
		set_str(&c->tls_cert, value);
	else if (!strcmp(key, "tls-key") || !strcmp(key, "tls_key"))
		set_str(&c->tls_key, value);
	else if (!strcmp(key, "access-key") || !strcmp(key, "access_keys"))
		add_key(c, value, what);
	else if (!strcmp(key, "access-key-file") ||
		 !strcmp(key, "access_key_file"))
		set_str(&c->access_key_file, value);
	else if (!strcmp(key, "log-level") || !strcmp(key, "log_level"))
		c->log_level = parse_level(value, what);
	else if (!strcmp(key, "enable-test-reset") ||
		 !strcmp(key, "enable_test_reset"))
		c->test_reset = parse_bool(value, what);
	else if (!strcmp(key, "threads"))
		c->threads = parse_number(value, what);
	else if (!strcmp(key, "max-body") || !strcmp(key, "max_body"))
		c->max_body = parse_number(value, what);
	else
		die("%s: unknown setting '%s'", where, key);
}

/* The config file: one YAML mapping of settings (the long option names,
 * '-' or '_'), scalar values; access_keys may be a list of "ID:SECRET". */
static void read_config(struct config *c, const char *path)
{
	FILE *f = fopen(path, "rb");
	yaml_parser_t p;
	yaml_event_t ev;
	char key[128] = "", where[1100];
	int depth = 0;
	bool in_list = false, done = false;

	if (!f)
		die("cannot open config file '%s': %s", path, strerror(errno));
	if (!yaml_parser_initialize(&p))
		die("out of memory");
	yaml_parser_set_input_file(&p, f);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev))
			die("%s line %lu: %s", path,
			    (unsigned long)p.problem_mark.line + 1,
			    p.problem ? p.problem : "YAML error");
		snprintf(where, sizeof(where), "%s line %lu", path,
			 (unsigned long)ev.start_mark.line + 1);
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_MAPPING_START_EVENT:
			if (depth++ != 0)
				die("%s: settings are scalars", where);
			break;
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_SEQUENCE_START_EVENT:
			if (depth != 1 || !key[0] || in_list)
				die("%s: only access_keys may be a list",
				    where);
			in_list = true;
			break;
		case YAML_SEQUENCE_END_EVENT:
			in_list = false;
			key[0] = '\0';
			break;
		case YAML_SCALAR_EVENT: {
			const char *v = (const char *)ev.data.scalar.value;

			if (depth != 1)
				die("%s: the config is a mapping of settings",
				    where);
			if (in_list) {
				if (strcmp(key, "access_keys") &&
				    strcmp(key, "access-keys"))
					die("%s: only access_keys may be a "
					    "list",
					    where);
				add_key(c, v, where);
			} else if (!key[0]) {
				snprintf(key, sizeof(key), "%s", v);
			} else {
				apply(c,
				      strcmp(key, "access-keys")
					      ? key
					      : "access_keys",
				      v, where);
				key[0] = '\0';
			}
			wipe((char *)ev.data.scalar.value);
			break;
		}
		case YAML_ALIAS_EVENT:
			die("%s: aliases are not supported here", where);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	fclose(f);
}

static void log_line(ssm_log_level level, const char *component,
		     const char *message, void *payload)
{
	struct timespec ts;
	struct tm tm;
	char when[32];

	(void)payload;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	pthread_mutex_lock(&log_lock);
	fprintf(stderr, "%s.%03ldZ %-5s %s: %s\n", when, ts.tv_nsec / 1000000,
		ssm_log_level_str(level), component, message);
	pthread_mutex_unlock(&log_lock);
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

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [OPTIONS]\n\n"
		"Serve the SSM API (AWS JSON 1.1, SigV4) over HTTP.\n\n"
		"  --config FILE           YAML file of the settings below\n"
		"  --listen ADDR:PORT      where to listen (127.0.0.1:8080);\n"
		"                          port 0 picks one\n"
		"  --store URL             state store (sqlite://STATE_DIR/"
		"state.db)\n"
		"  --state-dir DIR         ($SSM_STATE_DIR, /var/lib/ssmd for "
		"root,\n"
		"                          else ~/.local/state/ssmd)\n"
		"  --keyring FILE          SecureString master keys (next to "
		"the store)\n"
		"  --access-key ID:SECRET  accept requests signed with it "
		"(repeatable)\n"
		"  --access-key-file FILE  one ID:SECRET a line, # comments\n"
		"  --account-id ID         12 digits used in ARNs "
		"(123456789012)\n"
		"  --tls-cert FILE         PEM certificate: serve HTTPS (with "
		"--tls-key)\n"
		"  --tls-key FILE          PEM private key\n"
		"  --log-level LEVEL       error, warn, info (default), debug, "
		"trace\n"
		"  --threads N             worker threads (4 per CPU, at least "
		"8)\n"
		"  --max-body BYTES        largest request body (1048576)\n"
		"  --enable-test-reset     serve POST /_ssmd/reset (tests "
		"only)\n"
		"  --version               print the version and exit\n\n"
		"The first line on standard output is \"listening on URL\". "
		"SIGTERM or SIGINT\nstops the server after the requests in "
		"progress.\n",
		prog);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "listen", required_argument, NULL, 'l' },
		{ "store", required_argument, NULL, 's' },
		{ "state-dir", required_argument, NULL, 'd' },
		{ "keyring", required_argument, NULL, 'k' },
		{ "access-key", required_argument, NULL, 'a' },
		{ "access-key-file", required_argument, NULL, 'A' },
		{ "account-id", required_argument, NULL, 'i' },
		{ "tls-cert", required_argument, NULL, 'C' },
		{ "tls-key", required_argument, NULL, 'K' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "threads", required_argument, NULL, 't' },
		{ "max-body", required_argument, NULL, 'b' },
		{ "enable-test-reset", no_argument, NULL, 'R' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct config c;
	ssm_server_options so = SSM_SERVER_OPTIONS_INIT;
	ssm_ctx_options co = SSM_CTX_OPTIONS_INIT;
	ssm_server *server = NULL;
	ssm_ctx *ctx = NULL;
	char store[1200];
	const char *config = NULL;
	sigset_t sigs;
	int ch, sig = 0, rc = 0;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.log_level = SSM_LOG_INFO;
	/* the config file first, so that flags override it */
	for (i = 1; i < (size_t)argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < (size_t)argc)
			config = argv[i + 1];
		else if (!strncmp(argv[i], "--config=", 9))
			config = argv[i] + 9;
	}
	if (config)
		read_config(&c, config);
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		const char *name = NULL;

		for (i = 0; opts[i].name; i++)
			if (opts[i].val == ch)
				name = opts[i].name;
		switch (ch) {
		case 'c':
			break;
		case 'R':
			c.test_reset = true;
			break;
		case 'V':
			printf("ssmd %s (libssm %s)\n", SSM_VERSION,
			       ssm_version_string());
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		case '?':
			usage(stderr);
			return 2;
		default:
			apply(&c, name, optarg, "command line");
			/* keep secrets out of /proc/PID/cmdline */
			if (ch == 'a')
				wipe(optarg);
		}
	}
	if (optind < argc)
		die("unexpected argument '%s'", argv[optind]);
	if (c.access_key_file)
		read_key_file(&c, c.access_key_file);
	if (!c.nkeys)
		die("no access keys: give --access-key ID:SECRET or "
		    "--access-key-file FILE");

	if (!c.store) {
		const char *dir =
			c.state_dir ? c.state_dir : getenv("SSM_STATE_DIR");
		char home[1024];

		if (!dir || !*dir) {
			if (geteuid() == 0) {
				dir = "/var/lib/ssmd";
			} else {
				snprintf(home, sizeof(home),
					 "%s/.local/state/ssmd",
					 getenv("HOME") ? getenv("HOME") : ".");
				dir = home;
			}
		}
		if (mkdir_p(dir) < 0)
			die("cannot create state directory '%s': %s", dir,
			    strerror(errno));
		snprintf(store, sizeof(store), "sqlite://%s/state.db", dir);
		c.store = dup_or_die(store);
	}

	/* signals are taken by sigwait below, in no other thread */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	co.log_cb = log_line;
	co.log_level = c.log_level;
	if (ssm_init() < 0 || ssm_ctx_new(&ctx, &co) < 0)
		die("init: %s", ssm_error_last()->message);
	so.listen = c.listen;
	so.store_url = c.store;
	so.account_id = c.account_id;
	so.keyring = c.keyring;
	so.tls_cert_file = c.tls_cert;
	so.tls_key_file = c.tls_key;
	so.threads = (unsigned int)c.threads;
	so.max_body = (size_t)c.max_body;
	so.flags = c.test_reset ? SSM_SERVER_ENABLE_TEST_RESET : 0;
	if (ssm_server_new(&server, ctx, &so) < 0) {
		fprintf(stderr, "%s: %s\n", prog, ssm_error_last()->message);
		rc = 1;
		goto done;
	}
	for (i = 0; i < c.nkeys; i++)
		if (ssm_server_add_access_key(server, c.keys[i].id,
					      c.keys[i].secret) < 0) {
			fprintf(stderr, "%s: %s\n", prog,
				ssm_error_last()->message);
			rc = 1;
			goto done;
		}
	if (ssm_server_start(server) < 0) {
		fprintf(stderr, "%s: %s\n", prog, ssm_error_last()->message);
		rc = 1;
		goto done;
	}
	{
		char line[1400];

		snprintf(line, sizeof(line),
			 "store %s, account %s, %zu access key(s)%s", c.store,
			 c.account_id ? c.account_id : "123456789012", c.nkeys,
			 c.test_reset ? ", test reset enabled" : "");
		ssm_ctx_log(ctx, SSM_LOG_INFO, "ssmd", line);
	}
	printf("listening on %s\n", ssm_server_url(server));
	fflush(stdout);
	while (sigwait(&sigs, &sig) != 0)
		;
	{
		char line[64];

		snprintf(line, sizeof(line), "signal %d: stopping", sig);
		ssm_ctx_log(ctx, SSM_LOG_INFO, "ssmd", line);
	}
done:
	ssm_server_stop(server);
	ssm_server_free(server);
	ssm_ctx_free(ctx);
	ssm_shutdown();
	for (i = 0; i < c.nkeys; i++) {
		wipe(c.keys[i].secret);
		free(c.keys[i].secret);
		free(c.keys[i].id);
	}
	free(c.listen);
	free(c.store);
	free(c.state_dir);
	free(c.keyring);
	free(c.account_id);
	free(c.tls_cert);
	free(c.tls_key);
	free(c.access_key_file);
	return rc;
}
