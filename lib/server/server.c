/* SPDX-License-Identifier: Apache-2.0 */
/* ssm_server: AWS JSON 1.1 over HTTP on libmicrohttpd (thread pool, epoll,
 * keep-alive, optional TLS), every request verified with SigV4, each region
 * of the credential scope served by its own service over the server's
 * store (spec §4). */
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "api/codec.h"
#include "api/errors.h"
#include "api/op.h"
#include "core/alloc.h"
#include "core/ctx.h"
#include "core/error.h"
#include "core/id.h"
#include "core/sigv4.h"
#include "core/thread.h"
#include "server/server.h"

#define DEFAULT_LISTEN "127.0.0.1:8080"
#define DEFAULT_STORE "memory:"
#define DEFAULT_ACCOUNT "123456789012"
#define DEFAULT_MAX_BODY ((size_t)1 << 20)
#define DEFAULT_MAX_CONNECTIONS 1000
#define DEFAULT_TIMEOUT_MS 30000
#define DEFAULT_DRAIN_MS 10000
#define MAX_REGIONS 64
#define TLS_FILE_MAX (1 << 20)
#define TARGET_PREFIX "AmazonSSM."
#define JSON_TYPE "application/x-amz-json-1.1"

enum { STATE_NEW = 0, STATE_RUNNING = 1, STATE_STOPPED = 2 };

struct access_key {
	struct access_key *next;
	char *id;
	char *secret;
};

struct region_entry {
	char *region;
	ssm_service *svc;
};

struct ssm_server {
	ssm_ctx *ctx;
	ssm_store *store;
	char *account_id;
	char *keyring;
	char *tls_cert; /* PEM text */
	char *tls_key;	/* PEM text; wiped on free */
	struct sockaddr_storage addr;
	socklen_t addr_len;
	char url_host[80]; /* how clients reach the bound address */
	int64_t max_skew_ms;
	size_t max_body;
	unsigned int threads;
	unsigned int max_connections;
	unsigned int timeout_s;
	int64_t drain_ms;
	unsigned int flags;

	pthread_rwlock_t keys_lock;
	struct access_key *keys;

	/* requests hold it shared; a reset takes it exclusively */
	pthread_rwlock_t state_lock;
	pthread_mutex_t regions_lock;
	struct region_entry regions[MAX_REGIONS];
	size_t nregions;

	ssm_sigv4_cache *cache;
	pthread_mutex_t life_lock; /* start and stop */
	struct MHD_Daemon *daemon;
	atomic_int state;
	atomic_long inflight;
	unsigned int port;
	char url[128];
};

/* One HTTP request, from its first byte to its completion. */
enum route { ROUTE_API, ROUTE_HEALTH, ROUTE_RESET, ROUTE_NONE };

struct request {
	enum route route;
	bool answered; /* a response is queued */
	bool counted;  /* counted in inflight */
	unsigned int status;
	char error_type[64];
	ssm_str body;
	ssm_arena scratch; /* joined header values, the query string */
	uint64_t start_ns;
	char request_id[SSM_UUID_SIZE];
};

/* ---- options ------------------------------------------------------------ */

ssm_err ssm_server_options_init(ssm_server_options *opts, unsigned int version)
{
	SSM_ASSERT_ARG(opts);
	if (version == 0 || version > SSM_SERVER_OPTIONS_VERSION)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_INVALID, NULL,
				      "ssm_server_options version %u is not "
				      "supported (1..%u)",
				      version, SSM_SERVER_OPTIONS_VERSION);
	memset(opts, 0, sizeof(*opts));
	opts->version = version;
	return SSM_OK;
}

static ssm_err options_normalize(ssm_server_options *dst,
				 const ssm_server_options *src)
{
	*dst = (ssm_server_options)SSM_SERVER_OPTIONS_INIT;
	if (!src)
		return SSM_OK;
	SSM_CHECK_VERSION(src, SSM_SERVER_OPTIONS_VERSION,
			  "ssm_server_options");
	dst->listen = src->listen;
	dst->store_url = src->store_url;
	dst->account_id = src->account_id;
	dst->keyring = src->keyring;
	dst->tls_cert_file = src->tls_cert_file;
	dst->tls_key_file = src->tls_key_file;
	dst->max_skew_ms = src->max_skew_ms;
	dst->max_body = src->max_body;
	dst->threads = src->threads;
	dst->max_connections = src->max_connections;
	dst->connection_timeout_ms = src->connection_timeout_ms;
	dst->drain_timeout_ms = src->drain_timeout_ms;
	dst->flags = src->flags;
	return SSM_OK;
}

static ssm_err check_account(const char *id)
{
	size_t i;

	for (i = 0; id[i] >= '0' && id[i] <= '9'; i++)
		;
	if (i != 12 || id[i])
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_SERVER, NULL,
				      "account id '%.64s' is not 12 digits",
				      id);
	return SSM_OK;
}

/* "ADDR:PORT" or "[ADDR]:PORT" into a socket address. */
static ssm_err parse_listen(ssm_server *s, const char *listen)
{
	char host[256], port[16];
	const char *colon, *h = listen;
	size_t hlen;
	struct addrinfo hints, *res = NULL;
	char *end;
	unsigned long pn;
	int rc;

	if (*listen == '[') {
		const char *close = strchr(listen, ']');

		if (!close || close[1] != ':')
			goto bad;
		h = listen + 1;
		hlen = (size_t)(close - h);
		colon = close + 1;
	} else {
		colon = strrchr(listen, ':');
		if (!colon)
			goto bad;
		hlen = (size_t)(colon - listen);
	}
	if (hlen >= sizeof(host) || strlen(colon + 1) >= sizeof(port) ||
	    !colon[1])
		goto bad;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	snprintf(port, sizeof(port), "%s", colon + 1);
	errno = 0;
	pn = strtoul(port, &end, 10);
	if (*end || errno || pn > 65535 || port[0] == '-' || port[0] == '+')
		goto bad;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(hlen ? host : NULL, port, &hints, &res);
	if (rc != 0 || !res)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_SERVER, NULL,
				      "cannot resolve listen address '%.200s': "
				      "%s",
				      listen, gai_strerror(rc));
	memcpy(&s->addr, res->ai_addr, res->ai_addrlen);
	s->addr_len = res->ai_addrlen;
	freeaddrinfo(res);
	return SSM_OK;
bad:
	return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_SERVER, NULL,
			      "listen address '%.200s' is not ADDR:PORT (e.g. "
			      "127.0.0.1:8080 or [::1]:8080)",
			      listen);
}

static ssm_err read_file(char **out, const char *path, const char *what)
{
	FILE *f = fopen(path, "rb");
	ssm_str s = SSM_STR_INIT;
	char buf[4096];
	size_t n;
	ssm_err error = SSM_OK;

	*out = NULL;
	if (!f)
		return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_OS, NULL,
				      "cannot open %s file '%.200s': %s", what,
				      path, strerror(errno));
	ssm_str_init_max(&s, TLS_FILE_MAX);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if ((error = ssm_str_put(&s, buf, n)) < 0)
			break;
	if (error == SSM_OK && ferror(f))
		error = ssm_error__set(SSM_ERROR, SSM_ERRCLASS_OS, NULL,
				       "cannot read %s file '%.200s'", what,
				       path);
	fclose(f);
	ssm__zeroize(buf, sizeof(buf));
	if (error == SSM_OK && !s.size)
		error = ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_SERVER, NULL,
				       "%s file '%.200s' is empty", what, path);
	if (error < 0) {
		ssm_str_dispose_secure(&s);
		return error;
	}
	*out = ssm_str_detach(&s, NULL);
	return *out ? SSM_OK : SSM_ERROR;
}

/* ---- access keys -------------------------------------------------------- */

static void key_free(struct access_key *k)
{
	if (!k)
		return;
	if (k->secret)
		ssm__free_secure(k->secret, strlen(k->secret));
	ssm__free(k->id);
	ssm__free(k);
}

static bool valid_key_id(const char *id)
{
	size_t i;

	for (i = 0; id[i]; i++)
		if (!((id[i] >= 'A' && id[i] <= 'Z') ||
		      (id[i] >= 'a' && id[i] <= 'z') ||
		      (id[i] >= '0' && id[i] <= '9')))
			return false;
	return i >= 1 && i <= SSM_SIGV4_AKID_MAX;
}

ssm_err ssm_server_add_access_key(ssm_server *server, const char *access_key_id,
				  const char *secret_access_key)
{
	struct access_key *k, **pk;
	size_t slen;

	SSM_ASSERT_ARG(server);
	SSM_ASSERT_ARG(access_key_id);
	SSM_ASSERT_ARG(secret_access_key);
	if (!valid_key_id(access_key_id))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_SERVER, NULL,
				      "access key id '%.64s' is not 1..%d "
				      "letters and digits",
				      access_key_id, SSM_SIGV4_AKID_MAX);
	slen = strlen(secret_access_key);
	if (!slen || slen > SSM_SIGV4_SECRET_MAX)
		/* never show the secret */
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_SERVER, NULL,
				      "secret access key of '%s' must have "
				      "1..%d bytes",
				      access_key_id, SSM_SIGV4_SECRET_MAX);
	k = ssm__calloc(1, sizeof(*k));
	if (!k || !(k->id = ssm__strdup(access_key_id)) ||
	    !(k->secret = ssm__strdup(secret_access_key))) {
		key_free(k);
		return SSM_ERROR;
	}
	pthread_rwlock_wrlock(&server->keys_lock);
	for (pk = &server->keys; *pk; pk = &(*pk)->next)
		if (strcmp((*pk)->id, access_key_id) == 0) {
			struct access_key *old = *pk;

			k->next = old->next;
			*pk = k;
			key_free(old);
			k = NULL;
			break;
		}
	if (k) {
		k->next = server->keys;
		server->keys = k;
	}
	pthread_rwlock_unlock(&server->keys_lock);
	return SSM_OK;
}

ssm_err ssm_server_remove_access_key(ssm_server *server,
				     const char *access_key_id)
{
	struct access_key *k = NULL, **pk;

	SSM_ASSERT_ARG(server);
	SSM_ASSERT_ARG(access_key_id);
	pthread_rwlock_wrlock(&server->keys_lock);
	for (pk = &server->keys; *pk; pk = &(*pk)->next)
		if (strcmp((*pk)->id, access_key_id) == 0) {
			k = *pk;
			*pk = k->next;
			break;
		}
	pthread_rwlock_unlock(&server->keys_lock);
	if (!k)
		return ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_SERVER, NULL,
				      "access key id '%.64s' is not known",
				      access_key_id);
	key_free(k);
	return SSM_OK;
}

static ssm_err secret_lookup(char *secret_out, size_t secret_size,
			     const char *access_key_id,
			     const char *session_token, void *payload)
{
	ssm_server *s = payload;
	const struct access_key *k;
	ssm_err error = SSM_ENOTFOUND;

	/* session tokens are not issued here: the signature is what counts */
	(void)session_token;
	pthread_rwlock_rdlock(&s->keys_lock);
	for (k = s->keys; k; k = k->next)
		if (strcmp(k->id, access_key_id) == 0) {
			if (strlen(k->secret) < secret_size) {
				memcpy(secret_out, k->secret,
				       strlen(k->secret) + 1);
				error = SSM_OK;
			}
			break;
		}
	pthread_rwlock_unlock(&s->keys_lock);
	return error;
}

/* ---- regions ------------------------------------------------------------ */

static bool valid_region(const char *r)
{
	size_t i;

	for (i = 0; r[i]; i++)
		if (!((r[i] >= 'a' && r[i] <= 'z') ||
		      (r[i] >= '0' && r[i] <= '9') || r[i] == '-'))
			return false;
	return i >= 1 && i <= 50;
}

/* Caller holds state_lock (shared or exclusive). */
static ssm_err region_service(ssm_service **out, ssm_server *s,
			      const char *region)
{
	ssm_service_options so = { 0 };
	ssm_service *svc = NULL;
	ssm_err error = SSM_OK;
	size_t i;

	*out = NULL;
	pthread_mutex_lock(&s->regions_lock);
	for (i = 0; i < s->nregions; i++)
		if (strcmp(s->regions[i].region, region) == 0) {
			*out = s->regions[i].svc;
			goto done;
		}
	if (s->nregions == MAX_REGIONS) {
		error = ssm_error__set(
			SSM_ELIMIT, SSM_ERRCLASS_SERVER, "ThrottlingException",
			"this server serves at most %d regions", MAX_REGIONS);
		goto done;
	}
	so.account_id = s->account_id;
	so.region = region;
	so.keyring = s->keyring;
	error = ssm_service__new(&svc, s->ctx, s->store, &so);
	if (error < 0)
		goto done;
	s->regions[s->nregions].region = ssm__strdup(region);
	if (!s->regions[s->nregions].region) {
		ssm_service__unref(svc);
		error = SSM_ERROR;
		goto done;
	}
	s->regions[s->nregions++].svc = svc;
	*out = svc;
	SSM_LOG(s->ctx, SSM_LOG_INFO, "server", "serving region %s", region);
done:
	pthread_mutex_unlock(&s->regions_lock);
	return error;
}

static void regions_clear(ssm_server *s)
{
	size_t i;

	pthread_mutex_lock(&s->regions_lock);
	/* stop engines in reverse order of creation */
	for (i = s->nregions; i-- > 0;) {
		ssm_service__unref(s->regions[i].svc);
		ssm__free(s->regions[i].region);
	}
	s->nregions = 0;
	pthread_mutex_unlock(&s->regions_lock);
}

ssm_err ssm_server__service(ssm_service **out, ssm_server *server,
			    const char *region)
{
	ssm_err error;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(server);
	SSM_ASSERT_ARG(region);
	if (!valid_region(region))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_SERVER, NULL,
				      "region '%.64s' is not a region name",
				      region);
	pthread_rwlock_rdlock(&server->state_lock);
	error = region_service(out, server, region);
	pthread_rwlock_unlock(&server->state_lock);
	return error;
}

ssm_store *ssm_server__store(ssm_server *server)
{
	return server->store;
}

ssm_err ssm_server_reset(ssm_server *server)
{
	ssm_store_op op = { 0 };
	ssm_err error;

	SSM_ASSERT_ARG(server);
	pthread_rwlock_wrlock(&server->state_lock);
	regions_clear(server);
	op.type = SSM_STORE_OP_DELETE_PREFIX;
	op.key = "";
	op.key_len = 0;
	error = ssm_store_txn(NULL, server->store, NULL, 0, &op, 1);
	pthread_rwlock_unlock(&server->state_lock);
	if (error == SSM_OK)
		SSM_LOG(server->ctx, SSM_LOG_INFO, "server",
			"state reset: every key deleted");
	return error;
}

/* ---- answers ------------------------------------------------------------ */

static void body_free(void *cls)
{
	char *p = cls;

	/* answers may hold decrypted SecureString values; JSON text has no
	 * raw NUL byte, so strlen is the length */
	ssm__free_secure(p, strlen(p));
}

/* Queue @json (taken over) with @status and the AWS headers. */
static enum MHD_Result send_json(struct MHD_Connection *conn, struct request *r,
				 unsigned int status, ssm_str *json,
				 const char *error_type)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t len = 0;
	char *text = ssm_str_detach(json, &len);

	if (!text)
		return MHD_NO;
	resp = MHD_create_response_from_buffer_with_free_callback_cls(
		len, text, body_free, text);
	if (!resp) {
		body_free(text);
		return MHD_NO;
	}
	if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				    JSON_TYPE) != MHD_YES ||
	    MHD_add_response_header(resp, "x-amzn-RequestId", r->request_id) !=
		    MHD_YES ||
	    (error_type && MHD_add_response_header(resp, "X-Amzn-ErrorType",
						   error_type) != MHD_YES)) {
		MHD_destroy_response(resp);
		return MHD_NO;
	}
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	r->answered = true;
	r->status = status;
	snprintf(r->error_type, sizeof(r->error_type), "%s",
		 error_type ? error_type : "");
	return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *conn,
				  struct request *r, unsigned int status,
				  const char *type, const char *message)
{
	ssm_str out = SSM_STR_INIT;
	ssm_jsonw w;

	ssm_jsonw_init(&w, &out, SSM_JSON_WRITE_REPLACE);
	ssm_jsonw_object_begin(&w);
	ssm_jsonw_keyz(&w, "__type");
	ssm_jsonw_stringz(&w, type);
	ssm_jsonw_keyz(&w, "message");
	ssm_jsonw_stringz(&w, message);
	ssm_jsonw_object_end(&w);
	if (ssm_jsonw_finish(&w) < 0) {
		ssm_str_dispose(&out);
		return MHD_NO;
	}
	return send_json(conn, r, status, &out, type);
}

/* The wire name of an error the engines left without one. */
static const char *fallback_type(ssm_err code)
{
	switch (code) {
	case SSM_EINVALID:
		return "ValidationException";
	case SSM_ENOTFOUND:
		return "ResourceNotFoundException";
	case SSM_EEXISTS:
		return "ResourceAlreadyExistsException";
	case SSM_ECONFLICT:
		return "ConflictException";
	case SSM_EAUTH:
		return "AccessDeniedException";
	case SSM_ELIMIT:
		return "LimitExceededException";
	case SSM_EUNSUPPORTED:
		return "UnsupportedOperationException";
	default:
		return NULL;
	}
}

/* Answer the current thread error; @what names the operation in logs. */
static enum MHD_Result send_current_error(ssm_server *s,
					  struct MHD_Connection *conn,
					  struct request *r, ssm_err code,
					  const char *what)
{
	const ssm_error *e = ssm_error_last();
	const char *type =
		e->service_code ? e->service_code : fallback_type(code);
	unsigned int status;
	char msg[SSM_ERROR_MESSAGE_MAX + 64];

	if (!type) {
		/* a bug or an I/O failure: the detail goes to the log only */
		SSM_LOG(s->ctx, SSM_LOG_ERROR, "server",
			"%s failed (request %s): %s", what, r->request_id,
			e->message);
		snprintf(msg, sizeof(msg),
			 "internal server error (request id %s)",
			 r->request_id);
		return send_error(conn, r, 500, "InternalServerError", msg);
	}
	status = (unsigned int)ssm_api__http_status(code, type);
	snprintf(msg, sizeof(msg), "%s", e->message);
	return send_error(conn, r, status, type, msg);
}

static enum MHD_Result send_static(struct MHD_Connection *conn,
				   struct request *r, unsigned int status,
				   const char *text)
{
	ssm_str out = SSM_STR_INIT;

	if (ssm_str_puts(&out, text) < 0)
		return MHD_NO;
	return send_json(conn, r, status, &out, NULL);
}

/* ---- request parts ------------------------------------------------------ */

struct header_find {
	const char *name;
	const char *first;
	ssm_str joined;
	unsigned int n;
};

static enum MHD_Result header_each(void *cls, enum MHD_ValueKind kind,
				   const char *key, const char *value)
{
	struct header_find *h = cls;

	(void)kind;
	if (!key || strcasecmp(key, h->name) != 0)
		return MHD_YES;
	if (!value)
		value = "";
	if (h->n == 0) {
		h->first = value;
	} else {
		if (h->n == 1 && ssm_str_puts(&h->joined, h->first) < 0)
			return MHD_NO;
		if (ssm_str_putc(&h->joined, ',') < 0 ||
		    ssm_str_puts(&h->joined, value) < 0)
			return MHD_NO;
	}
	h->n++;
	return MHD_YES;
}

struct header_ctx {
	struct MHD_Connection *conn;
	struct request *r;
};

/* SigV4's header lookup: every occurrence, joined with ','. */
static const char *header_value(const char *name, void *payload)
{
	struct header_ctx *hc = payload;
	struct header_find h;
	const char *v;

	memset(&h, 0, sizeof(h));
	h.name = name;
	MHD_get_connection_values(hc->conn, MHD_HEADER_KIND, header_each, &h);
	if (h.n <= 1) {
		ssm_str_dispose(&h.joined);
		return h.n ? h.first : NULL;
	}
	v = h.joined.ptr ? ssm_arena_strndup(&hc->r->scratch, h.joined.ptr,
					     h.joined.size)
			 : NULL;
	ssm_str_dispose(&h.joined);
	return v;
}

static enum MHD_Result query_each(void *cls, enum MHD_ValueKind kind,
				  const char *key, const char *value)
{
	ssm_str *q = cls;

	(void)kind;
	if ((q->size && ssm_str_putc(q, '&') < 0) || ssm_str_puts(q, key) < 0)
		return MHD_NO;
	if (value && (ssm_str_putc(q, '=') < 0 || ssm_str_puts(q, value) < 0))
		return MHD_NO;
	return MHD_YES;
}

/* MHD must not decode the path or the query: SigV4 signs them as sent. */
static size_t unescape_none(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

static bool json_content_type(const char *ct)
{
	static const char *const accepted[] = {
		"application/x-amz-json-1.1",
		"application/x-amz-json-1.0",
		"application/json",
	};
	size_t i, n;

	if (!ct)
		return false;
	ct += strspn(ct, " \t");
	n = strcspn(ct, "; \t");
	for (i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++)
		if (strlen(accepted[i]) == n &&
		    strncasecmp(ct, accepted[i], n) == 0)
			return true;
	return false;
}

/* ---- the API ------------------------------------------------------------ */

static enum MHD_Result serve_api(ssm_server *s, struct MHD_Connection *conn,
				 struct request *r, const char *url)
{
	struct header_ctx hc = { conn, r };
	ssm_sigv4_verify_params vp;
	ssm_sigv4_identity who;
	ssm_str query = SSM_STR_INIT, out = SSM_STR_INIT;
	const char *target, *ctype;
	const ssm_operation *op;
	ssm_service *svc;
	char principal[200], what[128];
	void *request = NULL, *response = NULL;
	ssm_call call;
	enum MHD_Result ret;
	ssm_err error;

	snprintf(what, sizeof(what), "request");
	ssm_call__init(&call, 0);
	if (MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_each,
				      &query) < 0) {
		ret = MHD_NO;
		goto done;
	}

	/* 1. who is asking */
	memset(&vp, 0, sizeof(vp));
	vp.method = "POST";
	vp.path = url;
	vp.query = query.size ? query.ptr : NULL;
	vp.body = r->body.ptr;
	vp.body_len = r->body.size;
	vp.header_cb = header_value;
	vp.header_payload = &hc;
	vp.secret_cb = secret_lookup;
	vp.secret_payload = s;
	vp.service = "ssm";
	vp.now_ms = ssm_ctx__now_ms(s->ctx);
	vp.max_skew_ms = s->max_skew_ms;
	vp.cache = s->cache;
	error = ssm_sigv4_verify(&who, &vp);
	if (error < 0) {
		ret = send_current_error(s, conn, r, error, "authentication");
		goto done;
	}
	if (!valid_region(who.region)) {
		char msg[160];

		snprintf(msg, sizeof(msg),
			 "Credential should be scoped to a valid region, not "
			 "'%.64s'.",
			 who.region);
		ret = send_error(conn, r, 400, SSM_SIGV4_E_SIGNATURE, msg);
		goto done;
	}

	/* 2. what is asked */
	ctype = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					    MHD_HTTP_HEADER_CONTENT_TYPE);
	target = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					     "X-Amz-Target");
	if (!target || !*target) {
		ret = send_error(conn, r, 400, "UnknownOperationException",
				 "missing X-Amz-Target header (expected "
				 "AmazonSSM.<Operation>)");
		goto done;
	}
	if (strncmp(target, TARGET_PREFIX, strlen(TARGET_PREFIX)) != 0 ||
	    !(op = ssm_api__find_op(target + strlen(TARGET_PREFIX),
				    strlen(target + strlen(TARGET_PREFIX))))) {
		char msg[200];

		snprintf(msg, sizeof(msg), "unknown operation '%.100s'",
			 target);
		ret = send_error(conn, r, 400, "UnknownOperationException",
				 msg);
		goto done;
	}
	snprintf(what, sizeof(what), "%s", op->name);
	if (!json_content_type(ctype)) {
		char msg[200];

		snprintf(msg, sizeof(msg),
			 "unsupported Content-Type '%.64s' (expected "
			 "application/x-amz-json-1.1)",
			 ctype ? ctype : "");
		ret = send_error(conn, r, 400, "UnknownOperationException",
				 msg);
		goto done;
	}

	/* 3. do it */
	request = ssm_call__alloc(&call, op->input->size);
	response = ssm_call__alloc(&call, op->output->size);
	if (!request || !response) {
		ret = send_current_error(s, conn, r, SSM_ERROR, what);
		goto done;
	}
	/* an empty body is an empty request ({}) */
	if (r->body.size)
		error = ssm_api_decode_text(request, op->input, r->body.ptr,
					    r->body.size, s->max_body,
					    &call.arena);
	if (error < 0) {
		ret = send_current_error(s, conn, r, error, what);
		goto done;
	}
	/* access keys have no users here: each acts as the account's root,
	 * as embedded callers do */
	snprintf(principal, sizeof(principal), "arn:aws:iam::%s:root",
		 s->account_id);
	pthread_rwlock_rdlock(&s->state_lock);
	error = region_service(&svc, s, who.region);
	if (error == SSM_OK)
		error = ssm_service__call(svc, op, request, response, &call,
					  principal);
	pthread_rwlock_unlock(&s->state_lock);
	if (error == SSM_OK)
		error = ssm_api_encode_text(&out, op->output, response);
	if (error < 0) {
		ssm_str_dispose_secure(&out);
		ret = send_current_error(s, conn, r, error, what);
		goto done;
	}
	ret = send_json(conn, r, 200, &out, NULL);
done:
	if (ssm_ctx__log_enabled(s->ctx, SSM_LOG_DEBUG))
		SSM_LOG(s->ctx, SSM_LOG_DEBUG, "server",
			"%s %u%s%s %.3f ms request %s", what,
			ret == MHD_YES ? r->status : 0,
			r->error_type[0] ? " " : "", r->error_type,
			(double)(ssm__mono_ns() - r->start_ns) / 1e6,
			r->request_id);
	ssm_str_dispose(&query);
	ssm_str_dispose_secure(&out);
	ssm_call__dispose(&call);
	return ret;
}

/* ---- the HTTP handler --------------------------------------------------- */

static enum route route_of(ssm_server *s, const char *method, const char *url)
{
	if (strcmp(url, "/healthz") == 0 && strcmp(method, "GET") == 0)
		return ROUTE_HEALTH;
	if (strcmp(method, "POST") != 0)
		return ROUTE_NONE;
	if (strcmp(url, "/") == 0)
		return ROUTE_API;
	if (strcmp(url, "/_ssmd/reset") == 0 &&
	    (s->flags & SSM_SERVER_ENABLE_TEST_RESET))
		return ROUTE_RESET;
	return ROUTE_NONE;
}

static enum MHD_Result too_large(ssm_server *s, struct MHD_Connection *conn,
				 struct request *r, const char *length)
{
	char msg[200];

	if (length)
		snprintf(msg, sizeof(msg),
			 "request body of %.24s bytes is over the limit of "
			 "%zu bytes",
			 length, s->max_body);
	else
		snprintf(msg, sizeof(msg),
			 "request body is over the limit of %zu bytes",
			 s->max_body);
	SSM_LOG(s->ctx, SSM_LOG_DEBUG, "server", "%s (request %s)", msg,
		r->request_id);
	return send_error(conn, r, 413, "RequestEntityTooLargeException", msg);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *data,
				  size_t *size, void **con_cls)
{
	ssm_server *s = cls;
	struct request *r = *con_cls;

	(void)version;
	if (!r) {
		const char *length;

		r = ssm__calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		*con_cls = r;
		r->start_ns = ssm__mono_ns();
		atomic_fetch_add(&s->inflight, 1);
		r->counted = true;
		if (ssm_id_uuid4(r->request_id) < 0)
			snprintf(r->request_id, sizeof(r->request_id), "-");
		ssm_str_init_max(&r->body, s->max_body);
		r->route = route_of(s, method, url);
		/* answers are queued once the request is complete: one queued
		 * earlier makes libmicrohttpd close the connection */
		/* refuse a large body before a byte of it is read */
		length = MHD_lookup_connection_value(
			conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (length) {
			char *end;
			unsigned long long n;

			errno = 0;
			n = strtoull(length, &end, 10);
			if (errno || *end || n > s->max_body)
				return too_large(s, conn, r, length);
		}
		return MHD_YES;
	}
	if (*size) {
		if (!r->answered &&
		    ssm_str_put(&r->body, data, *size) == SSM_ELIMIT) {
			*size = 0;
			return too_large(s, conn, r, NULL);
		}
		*size = 0;
		return MHD_YES;
	}
	if (r->answered)
		return MHD_YES;
	if (r->route == ROUTE_HEALTH)
		return send_static(conn, r, 200, "{\"status\":\"ok\"}");
	if (r->route == ROUTE_NONE) {
		char msg[200];

		snprintf(msg, sizeof(msg), "no route for %.16s %.100s", method,
			 url);
		return send_error(conn, r, 404, "UnknownOperationException",
				  msg);
	}
	if (r->route == ROUTE_RESET) {
		ssm_err error = ssm_server_reset(s);

		if (error < 0)
			return send_current_error(s, conn, r, error, "reset");
		return send_static(conn, r, 200, "{\"status\":\"reset\"}");
	}
	return serve_api(s, conn, r, url);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	ssm_server *s = cls;
	struct request *r = *con_cls;

	(void)conn;
	(void)toe;
	if (!r)
		return;
	*con_cls = NULL;
	if (r->counted)
		atomic_fetch_sub(&s->inflight, 1);
	/* request bodies may hold secrets (PutParameter) */
	ssm_str_dispose_secure(&r->body);
	ssm_arena_dispose(&r->scratch);
	ssm__free(r);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
	SSM_FORMAT_PRINTF(2, 0);

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	ssm_server *s = cls;
	char line[512];
	size_t n;

	if (!ssm_ctx__log_enabled(s->ctx, SSM_LOG_DEBUG))
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	SSM_LOG(s->ctx, SSM_LOG_DEBUG, "server", "http: %s", line);
}

/* ---- life cycle --------------------------------------------------------- */

ssm_err ssm_server_new(ssm_server **out, ssm_ctx *ctx,
		       const ssm_server_options *opts)
{
	ssm_server_options o;
	ssm_server *s = NULL;
	long ncpu;
	ssm_err error;

	SSM_ASSERT_ARG(out);
	*out = NULL;
	SSM_ASSERT_ARG(ctx);
	SSM_TRY(ssm__check_init());
	SSM_TRY(options_normalize(&o, opts));
	if (!o.listen)
		o.listen = DEFAULT_LISTEN;
	if (!o.store_url)
		o.store_url = DEFAULT_STORE;
	if (!o.account_id)
		o.account_id = DEFAULT_ACCOUNT;
	SSM_TRY(check_account(o.account_id));
	if (!o.tls_cert_file != !o.tls_key_file)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_SERVER, NULL,
				      "TLS needs both a certificate and a key "
				      "file");
	if (o.max_skew_ms < 0 || o.connection_timeout_ms < 0 ||
	    o.drain_timeout_ms < 0)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_SERVER, NULL,
				      "server timeouts must not be negative");
	if (o.flags & ~SSM_SERVER_ENABLE_TEST_RESET)
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_SERVER, NULL,
				      "unknown server flags 0x%x",
				      o.flags & ~SSM_SERVER_ENABLE_TEST_RESET);

	s = ssm__calloc(1, sizeof(*s));
	if (!s)
		return SSM_ERROR;
	pthread_rwlock_init(&s->keys_lock, NULL);
	{
		pthread_rwlockattr_t attr;

		/* a reset must not starve behind a stream of requests */
		pthread_rwlockattr_init(&attr);
		pthread_rwlockattr_setkind_np(
			&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
		pthread_rwlock_init(&s->state_lock, &attr);
		pthread_rwlockattr_destroy(&attr);
	}
	pthread_mutex_init(&s->regions_lock, NULL);
	pthread_mutex_init(&s->life_lock, NULL);
	atomic_init(&s->state, STATE_NEW);
	atomic_init(&s->inflight, 0);
	s->ctx = ssm_ctx__ref(ctx);
	s->max_skew_ms = o.max_skew_ms;
	s->max_body = o.max_body ? o.max_body : DEFAULT_MAX_BODY;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu < 1)
		ncpu = 1;
	s->threads = o.threads ? o.threads : (unsigned int)ncpu * 4;
	if (!o.threads && s->threads < 8)
		s->threads = 8;
	s->max_connections =
		o.max_connections ? o.max_connections : DEFAULT_MAX_CONNECTIONS;
	{
		int64_t ms = o.connection_timeout_ms ? o.connection_timeout_ms
						     : DEFAULT_TIMEOUT_MS;

		s->timeout_s = (unsigned int)((ms + 999) / 1000);
	}
	s->drain_ms =
		o.drain_timeout_ms ? o.drain_timeout_ms : DEFAULT_DRAIN_MS;
	s->flags = o.flags;
	if ((error = parse_listen(s, o.listen)) < 0)
		goto fail;
	if (!(s->account_id = ssm__strdup(o.account_id)) ||
	    (o.keyring && !(s->keyring = ssm__strdup(o.keyring)))) {
		error = SSM_ERROR;
		goto fail;
	}
	/* as for clients opened on the URL: the keyring sits next to an
	 * sqlite: store file */
	if (!o.keyring && strncmp(o.store_url, "sqlite://", 9) == 0) {
		const char *path = o.store_url + 9;
		size_t n = strcspn(path, "?");
		ssm_str k = SSM_STR_INIT;

		if (ssm_str_put(&k, path, n) < 0 ||
		    ssm_str_puts(&k, ".keyring") < 0 ||
		    !(s->keyring = ssm_str_detach(&k, NULL))) {
			ssm_str_dispose(&k);
			error = SSM_ERROR;
			goto fail;
		}
	}
	if (o.tls_cert_file &&
	    ((error = read_file(&s->tls_cert, o.tls_cert_file,
				"TLS certificate")) < 0 ||
	     (error = read_file(&s->tls_key, o.tls_key_file, "TLS key")) < 0))
		goto fail;
	if ((error = ssm_sigv4_cache_new(&s->cache)) < 0)
		goto fail;
	if ((error = ssm_store_open(&s->store, ctx, o.store_url)) < 0)
		goto fail;
	*out = s;
	return SSM_OK;
fail:
	ssm_server_free(s);
	return error;
}

static void set_url(ssm_server *s)
{
	char host[INET6_ADDRSTRLEN + 8] = "127.0.0.1";
	const char *scheme = s->tls_cert ? "https" : "http";

	if (s->addr.ss_family == AF_INET6) {
		const struct sockaddr_in6 *a6 =
			(const struct sockaddr_in6 *)&s->addr;

		if (IN6_IS_ADDR_UNSPECIFIED(&a6->sin6_addr))
			snprintf(host, sizeof(host), "::1");
		else
			getnameinfo((const struct sockaddr *)&s->addr,
				    s->addr_len, host, sizeof(host), NULL, 0,
				    NI_NUMERICHOST);
		snprintf(s->url, sizeof(s->url), "%s://[%s]:%u", scheme, host,
			 s->port);
		return;
	}
	{
		const struct sockaddr_in *a4 =
			(const struct sockaddr_in *)&s->addr;

		if (a4->sin_addr.s_addr != htonl(INADDR_ANY))
			getnameinfo((const struct sockaddr *)&s->addr,
				    s->addr_len, host, sizeof(host), NULL, 0,
				    NI_NUMERICHOST);
	}
	snprintf(s->url, sizeof(s->url), "%s://%s:%u", scheme, host, s->port);
}

ssm_err ssm_server_start(ssm_server *server)
{
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			     MHD_USE_ITC | MHD_USE_ERROR_LOG;
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	ssm_err error = SSM_OK;

	SSM_ASSERT_ARG(server);
	pthread_mutex_lock(&server->life_lock);
	if (atomic_load(&server->state) != STATE_NEW) {
		error = ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_SERVER, NULL,
				       "the server was started before");
		goto done;
	}
	if (server->addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (server->tls_cert)
		flags |= MHD_USE_TLS;
	if (server->tls_cert)
		d = MHD_start_daemon(
			flags, 0, NULL, NULL, on_request, server,
			MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, server,
			MHD_OPTION_SOCK_ADDR, &server->addr,
			MHD_OPTION_THREAD_POOL_SIZE, server->threads,
			MHD_OPTION_CONNECTION_LIMIT, server->max_connections,
			MHD_OPTION_CONNECTION_TIMEOUT, server->timeout_s,
			MHD_OPTION_NOTIFY_COMPLETED, on_completed, server,
			MHD_OPTION_UNESCAPE_CALLBACK, unescape_none, server,
			MHD_OPTION_HTTPS_MEM_CERT, server->tls_cert,
			MHD_OPTION_HTTPS_MEM_KEY, server->tls_key,
			MHD_OPTION_END);
	else
		d = MHD_start_daemon(
			flags, 0, NULL, NULL, on_request, server,
			MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, server,
			MHD_OPTION_SOCK_ADDR, &server->addr,
			MHD_OPTION_THREAD_POOL_SIZE, server->threads,
			MHD_OPTION_CONNECTION_LIMIT, server->max_connections,
			MHD_OPTION_CONNECTION_TIMEOUT, server->timeout_s,
			MHD_OPTION_NOTIFY_COMPLETED, on_completed, server,
			MHD_OPTION_UNESCAPE_CALLBACK, unescape_none, server,
			MHD_OPTION_END);
	if (!d) {
		char host[INET6_ADDRSTRLEN] = "?", port[8] = "?";

		getnameinfo((const struct sockaddr *)&server->addr,
			    server->addr_len, host, sizeof(host), port,
			    sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV);
		error = ssm_error__set(
			SSM_ERROR, SSM_ERRCLASS_SERVER, NULL,
			"cannot listen on %s port %s%s: %s", host, port,
			server->tls_cert ? " with TLS" : "",
			errno ? strerror(errno) : "the HTTP library refused");
		goto done;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	server->port = info ? info->port : 0;
	server->daemon = d;
	set_url(server);
	atomic_store(&server->state, STATE_RUNNING);
	SSM_LOG(server->ctx, SSM_LOG_INFO, "server",
		"listening on %s (%u threads)", server->url, server->threads);
done:
	pthread_mutex_unlock(&server->life_lock);
	return error;
}

unsigned int ssm_server_port(const ssm_server *server)
{
	return server && atomic_load(&server->state) == STATE_RUNNING
		       ? server->port
		       : 0;
}

const char *ssm_server_url(const ssm_server *server)
{
	return server && atomic_load(&server->state) == STATE_RUNNING
		       ? server->url
		       : "";
}

void ssm_server_stop(ssm_server *server)
{
	int64_t deadline;
	MHD_socket fd;

	if (!server)
		return;
	pthread_mutex_lock(&server->life_lock);
	if (atomic_load(&server->state) != STATE_RUNNING) {
		if (atomic_load(&server->state) == STATE_NEW)
			atomic_store(&server->state, STATE_STOPPED);
		pthread_mutex_unlock(&server->life_lock);
		return;
	}
	/* no new connections; requests in progress may finish */
	fd = MHD_quiesce_daemon(server->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	deadline = ssm__mono_ms() + server->drain_ms;
	while (atomic_load(&server->inflight) > 0 &&
	       ssm__mono_ms() < deadline) {
		struct timespec ts = { 0, 5 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	if (atomic_load(&server->inflight) > 0)
		SSM_LOG(server->ctx, SSM_LOG_WARN, "server",
			"stopping with %ld request(s) unfinished",
			(long)atomic_load(&server->inflight));
	MHD_stop_daemon(server->daemon);
	server->daemon = NULL;
	atomic_store(&server->state, STATE_STOPPED);
	SSM_LOG(server->ctx, SSM_LOG_INFO, "server", "stopped");
	pthread_mutex_unlock(&server->life_lock);
}

void ssm_server_free(ssm_server *server)
{
	struct access_key *k, *next;

	if (!server)
		return;
	ssm_server_stop(server);
	regions_clear(server);
	ssm_store_close(server->store);
	for (k = server->keys; k; k = next) {
		next = k->next;
		key_free(k);
	}
	if (server->tls_key)
		ssm__free_secure(server->tls_key, strlen(server->tls_key));
	ssm__free(server->tls_cert);
	ssm__free(server->account_id);
	ssm__free(server->keyring);
	ssm_sigv4_cache_free(server->cache);
	pthread_rwlock_destroy(&server->keys_lock);
	pthread_rwlock_destroy(&server->state_lock);
	pthread_mutex_destroy(&server->regions_lock);
	pthread_mutex_destroy(&server->life_lock);
	if (server->ctx)
		ssm_ctx__unref(server->ctx);
	ssm__free(server);
}
