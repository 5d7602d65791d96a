/* SPDX-License-Identifier: Apache-2.0 */
/* bench_http: requests per second and latency of ssm_server, as ssmd runs
 * it, on an sqlite: store holding 10,000 parameters. The load generator is
 * wrk (apt install wrk) replaying requests signed with SigV4 beforehand
 * over keep-alive connections, with 1 and 16 connections:
 *
 *   GetParameter    a random one of the parameters
 *   PutParameter    overwrite a random one (a new version, durably written)
 *   static 200      GET /healthz: the same HTTP stack answering a constant
 *                   (the serving limit of this machine), in the same run
 *
 * and each API figure as a ratio of the static one.
 *
 *   bench_http [--seconds S] [--params N] [--dir DIR]
 *
 * Without the Parameter Store in this build it measures the Echo test
 * engine (Echo / EchoWrite) instead. Exits 77 (skipped) when wrk is
 * missing. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ssm/ssm.h"
#include "api/codec.h"
#include "api/op.h"
#include "core/sigv4.h"
#include "core/thread.h"
#include "core/time.h"
#include "server/server.h"

#ifdef BENCH_ECHO
#include "echo.h"
#endif

#define AKID "AKIDBENCH"
#define SECRET "bench-secret"
#define SIGNED_REQUESTS 2000

static int seconds = 5;
static size_t nparams = 10000;
static char dir[512];
static const char *get_op = "GetParameter", *put_op = "PutParameter";
static bool echo_mode;

struct result {
	double rps, p50_ms, p99_ms;
	unsigned long errors;
};

static void die(const char *what)
{
	fprintf(stderr, "bench_http: %s: %s\n", what,
		ssm_error_last()->message);
	exit(1);
}

static void body_of(char *out, size_t size, const char *op, size_t i)
{
	if (echo_mode)
		snprintf(out, size, "{\"Name\":\"p%05zu\"}", i % 100000);
	else if (strcmp(op, "PutParameter") == 0)
		snprintf(
			out, size,
			"{\"Name\":\"/bench/app/p%05zu\",\"Value\":\"value-%zu-"
			"0123456789abcdef0123456789abcdef\",\"Type\":"
			"\"String\","
			"\"Overwrite\":true}",
			i, i);
	else
		snprintf(out, size, "{\"Name\":\"/bench/app/p%05zu\"}", i);
}

/* Put the parameters through the service directly (no HTTP). */
static void seed(ssm_server *server)
{
	const ssm_operation *op = ssm_api__find_op(put_op, strlen(put_op));
	ssm_service *svc = NULL;
	char body[256];
	size_t i;

	if (ssm_server__service(&svc, server, "us-east-1") < 0)
		die("service");
	for (i = 0; i < nparams; i++) {
		ssm_call call;
		void *req, *resp;

		ssm_call__init(&call, 0);
		req = ssm_call__alloc(&call, op->input->size);
		resp = ssm_call__alloc(&call, op->output->size);
		body_of(body, sizeof(body), put_op, i);
		if (!req || !resp ||
		    ssm_api_decode_text(req, op->input, body, strlen(body), 0,
					&call.arena) < 0 ||
		    ssm_service__call(svc, op, req, resp, &call, NULL) < 0)
			die("seed");
		ssm_call__dispose(&call);
	}
}

static void lua_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* A wrk script replaying SIGNED_REQUESTS requests of @op signed now. */
static void write_script(const char *path, const char *op, unsigned int port)
{
	FILE *f = fopen(path, "w");
	char host[64], date[SSM_AMZ_DATE_SIZE], target[96], body[256];
	size_t i;

	if (!f) {
		perror(path);
		exit(1);
	}
	snprintf(host, sizeof(host), "127.0.0.1:%u", port);
	snprintf(target, sizeof(target), "AmazonSSM.%s", op);
	ssm_time_format_amz(date, ssm__now_ms());
	fprintf(f,
		"local reqs = {}\nlocal n = %d\nlocal i = 0\n"
		"init = function(args)\n",
		SIGNED_REQUESTS);
	for (i = 0; i < SIGNED_REQUESTS; i++) {
		ssm_sigv4_signed sig = SSM_SIGV4_SIGNED_INIT;
		ssm_sigv4_header h[2] = {
			{ "content-type", "application/x-amz-json-1.1" },
			{ "x-amz-target", target },
		};
		ssm_sigv4_request r = { 0 };
		ssm_sigv4_credentials c = { AKID, SECRET, NULL };
		size_t which = ((size_t)rand() % nparams);

		body_of(body, sizeof(body), op, which);
		r.method = "POST";
		r.host = host;
		r.path = "/";
		r.headers = h;
		r.nheaders = 2;
		r.payload = body;
		r.payload_len = strlen(body);
		r.amz_date = date;
		r.region = "us-east-1";
		r.service = "ssm";
		if (ssm_sigv4_sign(&sig, &r, &c, NULL) < 0)
			die("sign");
		fprintf(f,
			"  reqs[%zu] = wrk.format(\"POST\", \"/\", "
			"{[\"Content-Type\"] = \"application/x-amz-json-1.1\", "
			"[\"X-Amz-Target\"] = \"%s\", [\"X-Amz-Date\"] = "
			"\"%s\", "
			"[\"Authorization\"] = ",
			i + 1, target, date);
		lua_string(f, sig.authorization.ptr);
		fputs("}, ", f);
		lua_string(f, body);
		fputs(")\n", f);
		ssm_sigv4_signed_dispose(&sig);
	}
	fputs("end\nrequest = function()\n  i = i % n + 1\n"
	      "  return reqs[i]\nend\n"
	      "local shown = false\n"
	      "response = function(status, headers, body)\n"
	      "  if status ~= 200 and not shown then\n"
	      "    shown = true\n"
	      "    io.stderr:write(\"bench_http: HTTP \" .. status .. \": \" "
	      ".. body .. \"\\n\")\n"
	      "  end\nend\n",
	      f);
	fclose(f);
}

static double to_ms(double v, const char *unit)
{
	if (strcmp(unit, "us") == 0)
		return v / 1000;
	if (strcmp(unit, "s") == 0)
		return v * 1000;
	if (strcmp(unit, "m") == 0)
		return v * 60000;
	return v;
}

static void run_wrk(struct result *out, const char *url, const char *script,
		    int conns)
{
	char cmd[1400], line[512], unit[8];
	FILE *p;
	double v;

	memset(out, 0, sizeof(*out));
	snprintf(cmd, sizeof(cmd),
		 "wrk -t%d -c%d -d%ds --latency --timeout 10s %s%s %s 2>&1",
		 conns > 1 ? 2 : 1, conns, seconds, script ? "-s " : "",
		 script ? script : "", url);
	p = popen(cmd, "r");
	if (!p) {
		perror("popen");
		exit(1);
	}
	while (fgets(line, sizeof(line), p)) {
		unsigned long n;

		if (sscanf(line, " 50%% %lf%7s", &v, unit) == 2)
			out->p50_ms = to_ms(v, unit);
		else if (sscanf(line, " 99%% %lf%7s", &v, unit) == 2)
			out->p99_ms = to_ms(v, unit);
		else if (sscanf(line, "Requests/sec: %lf", &v) == 1)
			out->rps = v;
		else if (sscanf(line, " Non-2xx or 3xx responses: %lu", &n) ==
			 1)
			out->errors += n;
		else if (strstr(line, "Socket errors"))
			fprintf(stderr, "bench_http: wrk: %s", line);
	}
	pclose(p);
}

static void row(const char *what, int conns, const struct result *r,
		const struct result *ref)
{
	printf("%-14s %5d %11.0f %9.3f %9.3f", what, conns, r->rps, r->p50_ms,
	       r->p99_ms);
	if (ref && ref->rps > 0)
		printf(" %8.2fx", r->rps / ref->rps);
	else
		printf(" %9s", "");
	if (r->errors)
		printf("  (%lu errors)", r->errors);
	printf("\n");
}

int main(int argc, char **argv)
{
	ssm_server_options so = SSM_SERVER_OPTIONS_INIT;
	ssm_server *server = NULL;
	ssm_ctx *ctx = NULL;
	char store[600], url[128], health[160], get_lua[600], put_lua[600];
	const int conns[2] = { 1, 16 };
	struct result get[2], put[2], stat[2];
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			seconds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--params") && i + 1 < argc)
			nparams = (size_t)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			snprintf(dir, sizeof(dir), "%s", argv[++i]);
		else {
			fprintf(stderr,
				"usage: bench_http [--seconds S] [--params N] "
				"[--dir DIR]\n");
			return 2;
		}
	}
	if (seconds < 1 || !nparams)
		return 2;
	if (system("command -v wrk > /dev/null 2>&1") != 0) {
		printf("bench_http: wrk not found (apt-get install wrk): "
		       "skipped\n");
		return 77;
	}
	if (ssm_init() < 0 || ssm_ctx_new(&ctx, NULL) < 0)
		die("init");
	if (!ssm_api__find_op(get_op, strlen(get_op))) {
#ifdef BENCH_ECHO
		ssm_service__set_test_module(&echo_module);
		get_op = "Echo";
		put_op = "EchoWrite";
		echo_mode = true;
#else
		fprintf(stderr, "bench_http: no Parameter Store in this "
				"build\n");
		return 77;
#endif
	}
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/bench-http-XXXXXX");
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			return 1;
		}
	}
	snprintf(store, sizeof(store), "sqlite://%s/state.db", dir);
	so.listen = "127.0.0.1:0";
	so.store_url = store;
	if (ssm_server_new(&server, ctx, &so) < 0 ||
	    ssm_server_add_access_key(server, AKID, SECRET) < 0)
		die("server");
	{
		uint64_t t0 = ssm__mono_ns();

		seed(server);
		printf("bench_http: %s/%s on sqlite (%s), %zu parameters "
		       "seeded "
		       "in %.1f s; wrk, %d s a run, requests signed with "
		       "SigV4\n",
		       get_op, put_op, dir, nparams,
		       (double)(ssm__mono_ns() - t0) / 1e9, seconds);
	}
	if (ssm_server_start(server) < 0)
		die("start");
	snprintf(url, sizeof(url), "%s/", ssm_server_url(server));
	snprintf(health, sizeof(health), "%s/healthz", ssm_server_url(server));
	snprintf(get_lua, sizeof(get_lua), "%s/get.lua", dir);
	snprintf(put_lua, sizeof(put_lua), "%s/put.lua", dir);
	srand(1);
	for (i = 0; i < 2; i++) {
		/* signatures are good for 5 minutes: sign before each run */
		write_script(get_lua, get_op, ssm_server_port(server));
		run_wrk(&stat[i], health, NULL, conns[i]);
		run_wrk(&get[i], url, get_lua, conns[i]);
		write_script(put_lua, put_op, ssm_server_port(server));
		run_wrk(&put[i], url, put_lua, conns[i]);
	}
	printf("%-14s %5s %11s %9s %9s %9s\n", "request", "conns", "req/s",
	       "p50 ms", "p99 ms", "vs static");
	for (i = 0; i < 2; i++) {
		row("static 200", conns[i], &stat[i], NULL);
		row(get_op, conns[i], &get[i], &stat[i]);
		row(put_op, conns[i], &put[i], &stat[i]);
	}
	ssm_server_free(server);
	ssm_ctx_free(ctx);
	ssm_shutdown();
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench_http: could not remove %s\n",
				dir);
	}
	for (i = 0; i < 2; i++)
		if (get[i].errors || put[i].errors || !get[i].rps ||
		    !put[i].rps)
			return 1;
	return 0;
}
