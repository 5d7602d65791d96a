/* SPDX-License-Identifier: Apache-2.0 */
#include "etcd_cluster.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <curl/curl.h>

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nap_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* A port the kernel just handed out (and took back). */
static int free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static const char *etcd_bin(void)
{
	const char *b = getenv("SSM_ETCD_BIN");

	return b && *b ? b : "etcd";
}

static int spawn(struct ssm_etcd_cluster *c, int i, bool fresh)
{
	struct ssm_etcd_member *m = &c->m[i];
	char name[32], data[320], lc[64], ac[64], lp[64], ap[64];
	char cluster[512];
	const char *argv[64];
	size_t o = 0;
	int k, a = 0, fd;
	pid_t pid;

	for (k = 0; k < c->n; k++)
		o += (size_t)snprintf(cluster + o, sizeof(cluster) - o,
				      "%s%s=http://127.0.0.1:%d", k ? "," : "",
				      c->m[k].name, c->m[k].peer_port);
	snprintf(name, sizeof(name), "%s", m->name);
	snprintf(data, sizeof(data), "%s", m->data);
	snprintf(lc, sizeof(lc), "%s://127.0.0.1:%d",
		 c->https ? "https" : "http", m->client_port);
	snprintf(ac, sizeof(ac), "%s://127.0.0.1:%d",
		 c->https ? "https" : "http", m->client_port);
	snprintf(lp, sizeof(lp), "http://127.0.0.1:%d", m->peer_port);
	snprintf(ap, sizeof(ap), "http://127.0.0.1:%d", m->peer_port);
	argv[a++] = etcd_bin();
	argv[a++] = "--name";
	argv[a++] = name;
	argv[a++] = "--data-dir";
	argv[a++] = data;
	argv[a++] = "--listen-client-urls";
	argv[a++] = lc;
	argv[a++] = "--advertise-client-urls";
	argv[a++] = ac;
	argv[a++] = "--listen-peer-urls";
	argv[a++] = lp;
	argv[a++] = "--initial-advertise-peer-urls";
	argv[a++] = ap;
	argv[a++] = "--initial-cluster";
	argv[a++] = cluster;
	argv[a++] = "--initial-cluster-token";
	argv[a++] = c->token;
	argv[a++] = "--initial-cluster-state";
	argv[a++] = fresh ? "new" : "existing";
	/* etcd's defaults: shorter ones make elections flap on a busy
	 * machine */
	argv[a++] = "--heartbeat-interval";
	argv[a++] = "100";
	argv[a++] = "--election-timeout";
	argv[a++] = "1000";
	argv[a++] = "--logger";
	argv[a++] = "zap";
	for (k = 0; c->extra && c->extra[k] && a < 60; k++)
		argv[a++] = c->extra[k];
	argv[a] = NULL;

	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "etcd harness: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* die with the test, whatever happens to it */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		setpgid(0, 0);
		fd = open(m->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			dup2(fd, 0);
			close(fd);
		}
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	m->pid = pid;
	return 0;
}

struct sink {
	char *out;
	size_t len, cap;
};

static size_t on_body(char *data, size_t size, size_t n, void *payload)
{
	struct sink *s = payload;
	size_t k = size * n, room;

	if (s->cap) {
		room = s->cap - 1 - s->len;
		if (k < room)
			room = k;
		memcpy(s->out + s->len, data, room);
		s->len += room;
		s->out[s->len] = '\0';
	}
	return size * n;
}

long ssm_etcd_post(struct ssm_etcd_cluster *c, int i, const char *path,
		   const char *body, char *out, size_t outlen)
{
	struct sink s = { out, 0, outlen };
	char url[128];
	long status = -1;
	CURL *h = curl_easy_init();

	if (out && outlen)
		out[0] = '\0';
	if (!h)
		return -1;
	snprintf(url, sizeof(url), "%s://127.0.0.1:%d%s",
		 c->https ? "https" : "http", c->m[i].client_port, path);
	if (c->https) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
		if (c->cert[0])
			curl_easy_setopt(h, CURLOPT_SSLCERT, c->cert);
		if (c->key[0])
			curl_easy_setopt(h, CURLOPT_SSLKEY, c->key);
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 2000L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	if (body)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	return status;
}

bool ssm_etcd_healthy(struct ssm_etcd_cluster *c, int i, int64_t timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	char out[512];

	do {
		/* /health says true only when the member has a leader */
		if (ssm_etcd_post(c, i, "/health", NULL, out, sizeof(out)) ==
			    200 &&
		    strstr(out, "\"health\":\"true\""))
			return true;
		if (c->m[i].pid &&
		    waitpid(c->m[i].pid, NULL, WNOHANG) == c->m[i].pid) {
			c->m[i].pid = 0;
			return false; /* it died */
		}
		nap_ms(50);
	} while (now_ms() < deadline);
	return false;
}

int ssm_etcd_start(struct ssm_etcd_cluster *c, int members,
		   const char *const *extra)
{
	return ssm_etcd_start_tls(c, members, extra, NULL, NULL);
}

int ssm_etcd_start_tls(struct ssm_etcd_cluster *c, int members,
		       const char *const *extra, const char *cert,
		       const char *key)
{
	int i, tries;
	bool https = false;

	for (i = 0; extra && extra[i]; i++)
		if (strcmp(extra[i], "--cert-file") == 0)
			https = true;
	memset(c, 0, sizeof(*c));
	if (members < 1 || members > SSM_ETCD_MEMBERS_MAX)
		return -1;
	c->n = members;
	c->extra = extra;
	c->https = https;
	snprintf(c->cert, sizeof(c->cert), "%s", cert ? cert : "");
	snprintf(c->key, sizeof(c->key), "%s", key ? key : "");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	snprintf(c->root, sizeof(c->root), "/tmp/ssm-etcd-XXXXXX");
	if (!mkdtemp(c->root)) {
		fprintf(stderr, "etcd harness: mkdtemp: %s\n", strerror(errno));
		return -1;
	}
	for (tries = 0; tries < 3; tries++) {
		size_t o = 0;

		snprintf(c->token, sizeof(c->token), "ssm-test-%d-%d",
			 (int)getpid(), tries);
		for (i = 0; i < members; i++) {
			struct ssm_etcd_member *m = &c->m[i];

			snprintf(m->name, sizeof(m->name), "m%d", i);
			snprintf(m->data, sizeof(m->data), "%s/m%d-%d.etcd",
				 c->root, i, tries);
			snprintf(m->log, sizeof(m->log), "%s/m%d.log", c->root,
				 i);
			m->client_port = free_port();
			m->peer_port = free_port();
			o += (size_t)snprintf(
				c->hosts + o, sizeof(c->hosts) - o,
				"%s127.0.0.1:%d", i ? "," : "", m->client_port);
		}
		for (i = 0; i < members; i++)
			if (spawn(c, i, true) < 0)
				goto fail;
		for (i = 0; i < members; i++)
			if (!ssm_etcd_healthy(c, i, 20000))
				break;
		if (i == members)
			return 0;
		/* a port was taken meanwhile, or etcd is slow: again */
		fprintf(stderr,
			"etcd harness: member m%d did not come up "
			"(attempt %d); its log:\n",
			i, tries + 1);
		ssm_etcd_dump_logs(c);
		for (i = 0; i < members; i++)
			ssm_etcd_kill(c, i);
	}
fail:
	ssm_etcd_stop(c);
	return -1;
}

void ssm_etcd_kill(struct ssm_etcd_cluster *c, int i)
{
	struct ssm_etcd_member *m = &c->m[i];

	if (!m->pid)
		return;
	kill(m->pid, SIGKILL);
	while (waitpid(m->pid, NULL, 0) < 0 && errno == EINTR)
		;
	m->pid = 0;
}

int ssm_etcd_restart(struct ssm_etcd_cluster *c, int i)
{
	ssm_etcd_kill(c, i);
	if (spawn(c, i, false) < 0)
		return -1;
	/* a member rejoins when it hears from the leader */
	if (!ssm_etcd_healthy(c, i, 20000)) {
		fprintf(stderr, "etcd harness: m%d did not come back\n", i);
		ssm_etcd_dump_logs(c);
		return -1;
	}
	return 0;
}

int ssm_etcd_leader(struct ssm_etcd_cluster *c, int64_t timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	char out[1024], want[64];
	const char *p;
	int i, k;

	do {
		for (i = 0; i < c->n; i++) {
			if (!c->m[i].pid ||
			    ssm_etcd_post(c, i, "/v3/maintenance/status", "{}",
					  out, sizeof(out)) != 200)
				continue;
			/* "leader":"ID" is the leader's member_id */
			p = strstr(out, "\"leader\":\"");
			if (!p)
				continue;
			p += 10;
			snprintf(want, sizeof(want), "\"member_id\":\"%.*s\"",
				 (int)strcspn(p, "\""), p);
			for (k = 0; k < c->n; k++) {
				if (!c->m[k].pid ||
				    ssm_etcd_post(
					    c, k, "/v3/maintenance/status",
					    "{}", out, sizeof(out)) != 200)
					continue;
				if (strstr(out, want))
					return k;
			}
		}
		nap_ms(50);
	} while (now_ms() < deadline);
	return -1;
}

int ssm_etcd_ctl(struct ssm_etcd_cluster *c, int i, const char *const *args)
{
	const char *argv[32];
	char ep[64];
	int a = 0, k, status = 0, fd;
	pid_t pid;

	snprintf(ep, sizeof(ep), "--endpoints=http://127.0.0.1:%d",
		 c->m[i].client_port);
	argv[a++] = "etcdctl";
	argv[a++] = ep;
	for (k = 0; args[k] && a < 30; k++)
		argv[a++] = args[k];
	argv[a] = NULL;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setenv("ETCDCTL_API", "3", 1);
		fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			close(fd);
		}
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

void ssm_etcd_dump_logs(struct ssm_etcd_cluster *c)
{
	char cmd[400];
	int i;

	for (i = 0; i < c->n; i++) {
		fprintf(stderr, "---- %s (%s)\n", c->m[i].name, c->m[i].log);
		fflush(stderr);
		snprintf(cmd, sizeof(cmd), "tail -n 15 '%s' >&2", c->m[i].log);
		if (system(cmd) != 0)
			fprintf(stderr, "(no log)\n");
	}
}

void ssm_etcd_stop(struct ssm_etcd_cluster *c)
{
	char cmd[300];
	int i;

	for (i = 0; i < c->n; i++)
		ssm_etcd_kill(c, i);
	if (c->root[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", c->root);
		if (system(cmd) != 0)
			fprintf(stderr, "etcd harness: could not remove %s\n",
				c->root);
		c->root[0] = '\0';
	}
}
