/* SPDX-License-Identifier: Apache-2.0 */
/* etcd_run: run a program against a real etcd started for it.
 *
 *   etcd_run [--members N] [--timeout SECONDS] -- PROGRAM [ARGS...]
 *
 * Starts N etcd members (default 1) on 127.0.0.1 with ephemeral ports and a
 * temporary data directory (tests/support/etcd_cluster.h), exports
 * SSM_TEST_ETCD_URL=etcd://127.0.0.1:P[,...] (a test appends /prefix/) and
 * SSM_TEST_ETCD_MEMBERS=N, runs PROGRAM, and stops etcd whatever happens:
 * when PROGRAM ends, when it runs past the timeout (default 600 s; it is
 * killed), or when etcd_run itself gets SIGTERM or SIGINT (meson's timeout).
 * The exit status is PROGRAM's (or 1). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "etcd_cluster.h"

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

int main(int argc, char **argv)
{
	struct ssm_etcd_cluster cluster;
	struct sigaction sa;
	char url[400], n[16];
	int members = 1, timeout = 600, i, status = 0, rc = 1;
	pid_t child;
	time_t deadline;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--members") == 0 && i + 1 < argc)
			members = atoi(argv[++i]);
		else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			timeout = atoi(argv[++i]);
		else
			break;
	}
	if (i + 1 >= argc || strcmp(argv[i], "--") != 0) {
		fprintf(stderr,
			"usage: %s [--members N] [--timeout S] -- PROGRAM "
			"[ARGS...]\n",
			argv[0]);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	if (ssm_etcd_start(&cluster, members, NULL) < 0) {
		fprintf(stderr, "etcd_run: could not start etcd\n");
		return 1;
	}
	snprintf(url, sizeof(url), "etcd://%s", cluster.hosts);
	snprintf(n, sizeof(n), "%d", members);
	setenv("SSM_TEST_ETCD_URL", url, 1);
	setenv("SSM_TEST_ETCD_MEMBERS", n, 1);
	fprintf(stderr, "etcd_run: %d member(s) at %s (data in %s)\n", members,
		cluster.hosts, cluster.root);

	child = fork();
	if (child < 0) {
		fprintf(stderr, "etcd_run: fork: %s\n", strerror(errno));
		goto done;
	}
	if (child == 0) {
		execvp(argv[i + 1], argv + i + 1);
		fprintf(stderr, "etcd_run: exec %s: %s\n", argv[i + 1],
			strerror(errno));
		_exit(127);
	}
	deadline = time(NULL) + timeout;
	for (;;) {
		pid_t r = waitpid(child, &status, WNOHANG);

		if (r == child)
			break;
		if (got_signal || time(NULL) > deadline) {
			fprintf(stderr, "etcd_run: %s; killing %s\n",
				got_signal ? "interrupted" : "timed out",
				argv[i + 1]);
			kill(child, SIGKILL);
			waitpid(child, &status, 0);
			status = -1;
			break;
		}
		usleep(20 * 1000);
	}
	if (status != -1 && WIFEXITED(status))
		rc = WEXITSTATUS(status);
	else if (status != -1 && WIFSIGNALED(status))
		fprintf(stderr, "etcd_run: %s died of signal %d\n", argv[i + 1],
			WTERMSIG(status));
	if (rc != 0)
		ssm_etcd_dump_logs(&cluster);
done:
	ssm_etcd_stop(&cluster);
	return rc;
}
