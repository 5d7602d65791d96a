/* SPDX-License-Identifier: Apache-2.0 */
/* Real etcd members for tests and benchmarks: started on 127.0.0.1 with
 * ephemeral client and peer ports and a temporary data directory, killed
 * and restarted at will, always stopped (and their directory removed) by
 * ssm_etcd_stop(). Members die with the process that started them
 * (PR_SET_PDEATHSIG), so a crashed test leaves no etcd behind.
 *
 * The etcd binary is $SSM_ETCD_BIN, else "etcd" from PATH. Members run with
 * etcd's default timing (100 ms heartbeat, 1 s election timeout): a new
 * leader is elected within a few seconds, and etcd's shortest lease TTL is
 * two seconds. */
#ifndef SSM_TEST_ETCD_CLUSTER_H
#define SSM_TEST_ETCD_CLUSTER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define SSM_ETCD_MEMBERS_MAX 5

struct ssm_etcd_member {
	char name[16];
	int client_port, peer_port;
	pid_t pid; /* 0: not running */
	char data[300];
	char log[300];
};

struct ssm_etcd_cluster {
	int n;
	struct ssm_etcd_member m[SSM_ETCD_MEMBERS_MAX];
	char root[256];		  /* temporary directory of everything */
	char hosts[256];	  /* "127.0.0.1:p,127.0.0.1:p,..." */
	char token[64];		  /* --initial-cluster-token */
	const char *const *extra; /* more etcd arguments, NULL-ended */
	/* clients speak TLS (https) to the members (when @extra has
	 * --cert-file); the harness itself presents @cert/@key when set and
	 * does not check the members */
	bool https;
	char cert[300], key[300];
};

/* Start @members members (1..SSM_ETCD_MEMBERS_MAX) and wait until the
 * cluster has a leader; @extra (may be NULL) are more etcd arguments for
 * every member. Returns 0, or -1 after printing why to stderr. */
int ssm_etcd_start(struct ssm_etcd_cluster *c, int members,
		   const char *const *extra);
/* The same, with the client URLs on https (the members' certificate
 * arguments in @extra); the harness uses @cert and @key (may be NULL) as
 * its client certificate. */
int ssm_etcd_start_tls(struct ssm_etcd_cluster *c, int members,
		       const char *const *extra, const char *cert,
		       const char *key);
/* Kill every member, remove the directory. Safe to call twice. */
void ssm_etcd_stop(struct ssm_etcd_cluster *c);
/* SIGKILL member @i and reap it. */
void ssm_etcd_kill(struct ssm_etcd_cluster *c, int i);
/* Start member @i again on its data and wait until it answers; 0 or -1. */
int ssm_etcd_restart(struct ssm_etcd_cluster *c, int i);
/* Index of the member that is the leader (asking the running members),
 * or -1 when none knows one within @timeout_ms. */
int ssm_etcd_leader(struct ssm_etcd_cluster *c, int64_t timeout_ms);
/* Wait until member @i reports itself healthy (a leader, and answers). */
bool ssm_etcd_healthy(struct ssm_etcd_cluster *c, int i, int64_t timeout_ms);
/* POST @body to @path of member @i; the answer into @out (NUL-terminated,
 * cut to @outlen). Returns the HTTP status, or -1. */
long ssm_etcd_post(struct ssm_etcd_cluster *c, int i, const char *path,
		   const char *body, char *out, size_t outlen);
/* Run etcdctl against member @i with @args (NULL-ended); 0 when it
 * succeeded. */
int ssm_etcd_ctl(struct ssm_etcd_cluster *c, int i, const char *const *args);
/* Print the last lines of every member's log to stderr. */
void ssm_etcd_dump_logs(struct ssm_etcd_cluster *c);

#endif
