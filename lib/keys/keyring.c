/* SPDX-License-Identifier: Apache-2.0 */
/* keyring: the built-in key provider. AES-256 master keys in a 0600 text
 * file (or in memory when no file is given):
 *
 *   libssm-keyring 1
 *   key <id> <created ms> <rotated ms> <generation> <description, hex>
 *   material <id> <generation> <64 hex digits>
 *   alias <alias/name> <id>
 *
 * Every rotation adds a material generation; older ones stay so data keys
 * wrapped before still open. A wrapped data key is
 *
 *   format (1) | generation (4, little endian) | sealed data key
 *
 * sealed with AES-256-GCM under that generation's material and the caller's
 * context (the parameter ARN) as additional data.
 *
 * Several processes may share a file: changes are made under an flock() of
 * "<file>.lock", written to a temporary file, fsync'd and renamed over the
 * keyring; readers reload when the file changes. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/crypto.h"
#include "core/ctx.h"
#include "core/encode.h"
#include "core/error.h"
#include "core/id.h"
#include "core/str.h"
#include "core/thread.h"
#include "keys/keys.h"

#define KR_MAGIC "libssm-keyring 1"
#define KR_WRAP_FORMAT 1
#define KR_WRAPPED_LEN (1 + 4 + SSM_SEAL_OVERHEAD + SSM_DATA_KEY_LEN)
#define KR_RECHECK_MS 500
#define KR_FILE_MAX (16 << 20)
#define DEFAULT_ALIAS "alias/aws/ssm"
#define DEFAULT_DESCRIPTION                                                 \
	"Default key that protects my SSM parameters when no other key is " \
	"defined"

struct kr_key {
	char id[SSM_UUID_SIZE];
	char *description;
	int64_t created_ms, rotated_ms;
	uint32_t generation;
	uint8_t (*material)[SSM_AES256_KEY_LEN]; /* [generation] */
};

struct kr_alias {
	char *name;
	char id[SSM_UUID_SIZE];
};

struct keyring {
	ssm_keyprovider parent;
	pthread_mutex_t lock;
	char *path; /* NULL: in memory */
	char *account, *region;
	struct kr_key *keys;
	size_t nkeys;
	struct kr_alias *aliases;
	size_t naliases;
	/* the file as last read */
	bool loaded;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	int64_t checked_ms;
};

/* ---- state ------------------------------------------------------------- */

static void state_clear(struct keyring *kr)
{
	size_t i;

	for (i = 0; i < kr->nkeys; i++) {
		struct kr_key *k = &kr->keys[i];

		if (k->material)
			ssm__free_secure(k->material,
					 (size_t)k->generation *
						 sizeof(*k->material));
		ssm__free(k->description);
	}
	ssm__free(kr->keys);
	for (i = 0; i < kr->naliases; i++)
		ssm__free(kr->aliases[i].name);
	ssm__free(kr->aliases);
	kr->keys = NULL;
	kr->aliases = NULL;
	kr->nkeys = kr->naliases = 0;
}

static struct kr_key *key_find(struct keyring *kr, const char *id, size_t len)
{
	size_t i;

	for (i = 0; i < kr->nkeys; i++)
		if (strlen(kr->keys[i].id) == len &&
		    memcmp(kr->keys[i].id, id, len) == 0)
			return &kr->keys[i];
	return NULL;
}

static struct kr_alias *alias_find(struct keyring *kr, const char *name,
				   size_t len)
{
	size_t i;

	for (i = 0; i < kr->naliases; i++)
		if (strlen(kr->aliases[i].name) == len &&
		    memcmp(kr->aliases[i].name, name, len) == 0)
			return &kr->aliases[i];
	return NULL;
}

static struct kr_key *key_add(struct keyring *kr, const char *id)
{
	struct kr_key *keys, *k;

	keys = ssm__realloc(kr->keys, (kr->nkeys + 1) * sizeof(*keys));
	if (!keys)
		return NULL;
	kr->keys = keys;
	k = &keys[kr->nkeys++];
	memset(k, 0, sizeof(*k));
	snprintf(k->id, sizeof(k->id), "%s", id);
	return k;
}

/* Give @k generation @gen (1-based), growing its material array. */
static ssm_err key_material(struct kr_key *k, uint32_t gen, const uint8_t *m)
{
	uint8_t(*grown)[SSM_AES256_KEY_LEN];

	if (gen > k->generation) {
		grown = ssm__calloc(gen, sizeof(*grown));
		if (!grown)
			return SSM_ERROR;
		if (k->material) {
			memcpy(grown, k->material,
			       (size_t)k->generation * sizeof(*grown));
			ssm__free_secure(k->material, (size_t)k->generation *
							      sizeof(*grown));
		}
		k->material = grown;
		k->generation = gen;
	}
	memcpy(k->material[gen - 1], m, SSM_AES256_KEY_LEN);
	return SSM_OK;
}

static ssm_err alias_set(struct keyring *kr, const char *name, const char *id)
{
	struct kr_alias *a = alias_find(kr, name, strlen(name)), *grown;

	if (!a) {
		grown = ssm__realloc(kr->aliases,
				     (kr->naliases + 1) * sizeof(*grown));
		if (!grown)
			return SSM_ERROR;
		kr->aliases = grown;
		a = &grown[kr->naliases];
		a->name = ssm__strdup(name);
		if (!a->name)
			return SSM_ERROR;
		kr->naliases++;
	}
	snprintf(a->id, sizeof(a->id), "%s", id);
	return SSM_OK;
}

/* ---- the file ------------------------------------------------------------ */

static ssm_err file_error(const char *what, const char *path)
{
	return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_KEYPROVIDER, NULL,
			      "keyring %.300s: %s: %s", path, what,
			      strerror(errno));
}

static ssm_err parse_error(const char *path, size_t line, const char *what)
{
	return ssm_error__set(SSM_ERROR, SSM_ERRCLASS_KEYPROVIDER, NULL,
			      "keyring %.300s line %zu: %s", path, line, what);
}

static ssm_err parse_line(struct keyring *kr, char *line, size_t lineno)
{
	char *f[8], *save = NULL, *p;
	size_t n = 0;

	for (p = strtok_r(line, " ", &save); p && n < 8;
	     p = strtok_r(NULL, " ", &save))
		f[n++] = p;
	if (!n)
		return SSM_OK;
	if (strcmp(f[0], "key") == 0 && (n == 6 || n == 5)) {
		struct kr_key *k;
		uint8_t desc[8193];
		size_t dlen = 0;

		if (!ssm_id_is_uuid(f[1]) || key_find(kr, f[1], strlen(f[1])))
			return parse_error(kr->path, lineno, "bad key id");
		if (n == 6 && ssm_hex_decode(desc, &dlen, sizeof(desc) - 1,
					     f[5], strlen(f[5])) < 0)
			return parse_error(kr->path, lineno,
					   "bad key description");
		desc[dlen] = '\0';
		if (!(k = key_add(kr, f[1])))
			return SSM_ERROR;
		k->created_ms = strtoll(f[2], NULL, 10);
		k->rotated_ms = strtoll(f[3], NULL, 10);
		if (!(k->description = ssm__strdup((char *)desc)))
			return SSM_ERROR;
		return SSM_OK;
	}
	if (strcmp(f[0], "material") == 0 && n == 4) {
		struct kr_key *k = key_find(kr, f[1], strlen(f[1]));
		uint8_t m[SSM_AES256_KEY_LEN];
		unsigned long gen = strtoul(f[2], NULL, 10);
		size_t mlen = 0;
		ssm_err error;

		if (!k || gen < 1 || gen > 100000 ||
		    ssm_hex_decode(m, &mlen, sizeof(m), f[3], strlen(f[3])) <
			    0 ||
		    mlen != sizeof(m)) {
			ssm__zeroize(m, sizeof(m));
			return parse_error(kr->path, lineno,
					   "bad key material");
		}
		error = key_material(k, (uint32_t)gen, m);
		ssm__zeroize(m, sizeof(m));
		return error;
	}
	if (strcmp(f[0], "alias") == 0 && n == 3) {
		if (strncmp(f[1], "alias/", 6) != 0 ||
		    !key_find(kr, f[2], strlen(f[2])))
			return parse_error(kr->path, lineno, "bad alias");
		return alias_set(kr, f[1], f[2]);
	}
	return parse_error(kr->path, lineno, "unknown entry");
}

/* Read the file into the state. A missing file is an empty keyring. */
static ssm_err file_load(struct keyring *kr)
{
	ssm_str text = SSM_STR_INIT;
	struct stat st;
	char buf[4096], *line, *nl;
	size_t lineno = 0, i;
	ssize_t n;
	ssm_err error = SSM_OK;
	int fd;

	state_clear(kr);
	kr->loaded = true;
	fd = open(kr->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			return file_error("cannot open", kr->path);
		kr->ino = 0;
		kr->size = 0;
		return SSM_OK;
	}
	if (fstat(fd, &st) < 0) {
		error = file_error("cannot stat", kr->path);
		goto done;
	}
	if (st.st_mode & 077) {
		error = ssm_error__set(
			SSM_ERROR, SSM_ERRCLASS_KEYPROVIDER, NULL,
			"keyring %.300s is open to other users "
			"(mode %04o); it must be 0600",
			kr->path, (unsigned)(st.st_mode & 07777));
		goto done;
	}
	if (st.st_size > KR_FILE_MAX) {
		error = ssm_error__set(SSM_ELIMIT, SSM_ERRCLASS_KEYPROVIDER,
				       NULL, "keyring %.300s is too large",
				       kr->path);
		goto done;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if ((error = ssm_str_put(&text, buf, (size_t)n)) < 0)
			goto done;
	if (n < 0) {
		error = file_error("cannot read", kr->path);
		goto done;
	}
	kr->dev = st.st_dev;
	kr->ino = st.st_ino;
	kr->size = st.st_size;
	kr->mtime = st.st_mtim;
	line = text.ptr;
	if (!line || strncmp(line, KR_MAGIC "\n", sizeof(KR_MAGIC)) != 0) {
		error = parse_error(kr->path, 1, "not a libssm keyring");
		goto done;
	}
	for (line += sizeof(KR_MAGIC), lineno = 2; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl) {
			error = parse_error(kr->path, lineno, "truncated");
			break;
		}
		*nl = '\0';
		if ((error = parse_line(kr, line, lineno++)) < 0)
			break;
	}
	for (i = 0; error == SSM_OK && i < kr->nkeys; i++)
		if (!kr->keys[i].generation)
			error = parse_error(kr->path, lineno,
					    "a key has no material");
done:
	ssm__zeroize(buf, sizeof(buf));
	ssm_str_dispose_secure(&text);
	close(fd);
	if (error < 0)
		state_clear(kr);
	return error;
}

static ssm_err file_text(ssm_str *out, struct keyring *kr)
{
	size_t i;
	uint32_t g;

	SSM_TRY(ssm_str_puts(out, KR_MAGIC "\n"));
	for (i = 0; i < kr->nkeys; i++) {
		struct kr_key *k = &kr->keys[i];

		SSM_TRY(ssm_str_printf(
			out, "key %s %" PRId64 " %" PRId64 " %" PRIu32 " ",
			k->id, k->created_ms, k->rotated_ms, k->generation));
		SSM_TRY(ssm_hex_encode_str(out, k->description,
					   strlen(k->description)));
		SSM_TRY(ssm_str_putc(out, '\n'));
		for (g = 1; g <= k->generation; g++) {
			SSM_TRY(ssm_str_printf(out, "material %s %" PRIu32 " ",
					       k->id, g));
			SSM_TRY(ssm_hex_encode_str(out, k->material[g - 1],
						   SSM_AES256_KEY_LEN));
			SSM_TRY(ssm_str_putc(out, '\n'));
		}
	}
	for (i = 0; i < kr->naliases; i++)
		SSM_TRY(ssm_str_printf(out, "alias %s %s\n",
				       kr->aliases[i].name, kr->aliases[i].id));
	return SSM_OK;
}

/* Write the state: a 0600 temporary file, fsync, rename, fsync the
 * directory (a key lost is every secret under it lost). */
static ssm_err file_save(struct keyring *kr)
{
	ssm_str text = SSM_STR_INIT, tmp = SSM_STR_INIT;
	const char *slash;
	struct stat st;
	ssm_err error;
	int fd = -1, dfd;

	error = file_text(&text, kr);
	if (error == SSM_OK)
		error = ssm_str_printf(&tmp, "%s.tmp.%ld", kr->path,
				       (long)getpid());
	if (error < 0)
		goto done;
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		error = file_error("cannot create", tmp.ptr);
		goto done;
	}
	if (fchmod(fd, 0600) < 0 ||
	    write(fd, text.ptr, text.size) != (ssize_t)text.size ||
	    fsync(fd) < 0) {
		error = file_error("cannot write", tmp.ptr);
		goto done;
	}
	if (close(fd) < 0) {
		fd = -1;
		error = file_error("cannot write", tmp.ptr);
		goto done;
	}
	fd = -1;
	if (rename(tmp.ptr, kr->path) < 0) {
		error = file_error("cannot replace", kr->path);
		goto done;
	}
	slash = strrchr(kr->path, '/');
	ssm_str_clear(&tmp);
	if (slash)
		error = ssm_str_put(
			&tmp, kr->path,
			slash == kr->path ? 1 : (size_t)(slash - kr->path));
	else
		error = ssm_str_puts(&tmp, ".");
	if (error == SSM_OK) {
		dfd = open(tmp.ptr, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			(void)fsync(dfd);
			close(dfd);
		}
	}
	if (error == SSM_OK && stat(kr->path, &st) == 0) {
		kr->dev = st.st_dev;
		kr->ino = st.st_ino;
		kr->size = st.st_size;
		kr->mtime = st.st_mtim;
	}
done:
	if (fd >= 0) {
		close(fd);
		unlink(tmp.ptr);
	}
	ssm_str_dispose_secure(&text);
	ssm_str_dispose(&tmp);
	return error;
}

/* Reload when the file changed (checked at most every KR_RECHECK_MS
 * unless @force). */
static ssm_err refresh(struct keyring *kr, bool force)
{
	struct stat st;
	int64_t now = ssm__mono_ms();

	if (!kr->path)
		return SSM_OK;
	if (kr->loaded && !force && now - kr->checked_ms < KR_RECHECK_MS)
		return SSM_OK;
	kr->checked_ms = now;
	if (stat(kr->path, &st) < 0) {
		if (errno == ENOENT && kr->loaded && !kr->ino)
			return SSM_OK;
		if (errno != ENOENT)
			return file_error("cannot stat", kr->path);
	} else if (kr->loaded && st.st_dev == kr->dev && st.st_ino == kr->ino &&
		   st.st_size == kr->size &&
		   st.st_mtim.tv_sec == kr->mtime.tv_sec &&
		   st.st_mtim.tv_nsec == kr->mtime.tv_nsec) {
		return SSM_OK;
	}
	return file_load(kr);
}

/* Run a change: under the lock file, on the current file, then saved. */
typedef ssm_err (*change_fn)(struct keyring *kr, void *arg);

static ssm_err change(struct keyring *kr, change_fn fn, void *arg)
{
	ssm_str lockpath = SSM_STR_INIT;
	ssm_err error;
	int fd = -1;

	if (!kr->path)
		return fn(kr, arg);
	error = ssm_str_printf(&lockpath, "%s.lock", kr->path);
	if (error < 0)
		return error;
	fd = open(lockpath.ptr, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		error = file_error("cannot open the lock", lockpath.ptr);
		goto done;
	}
	if (flock(fd, LOCK_EX) < 0) {
		error = file_error("cannot lock", lockpath.ptr);
		goto done;
	}
	error = file_load(kr);
	if (error == SSM_OK)
		error = fn(kr, arg);
	if (error == SSM_OK)
		error = file_save(kr);
	else
		(void)file_load(kr); /* back to what the file says */
	kr->checked_ms = ssm__mono_ms();
done:
	if (fd >= 0)
		close(fd); /* releases the lock */
	ssm_str_dispose(&lockpath);
	return error;
}

/* ---- changes ----------------------------------------------------------------
 */

struct new_key {
	const char *description;
	const char *alias; /* or NULL */
	char id[SSM_UUID_SIZE];
	int64_t now_ms;
};

static ssm_err do_create(struct keyring *kr, void *arg)
{
	struct new_key *nk = arg;
	uint8_t m[SSM_AES256_KEY_LEN];
	struct kr_key *k;
	ssm_err error;

	/* a racing process may have made the default key meanwhile */
	if (nk->alias && alias_find(kr, nk->alias, strlen(nk->alias))) {
		snprintf(nk->id, sizeof(nk->id), "%s",
			 alias_find(kr, nk->alias, strlen(nk->alias))->id);
		return SSM_OK;
	}
	SSM_TRY(ssm_id_uuid4(nk->id));
	SSM_TRY(ssm_crypto_random(m, sizeof(m)));
	k = key_add(kr, nk->id);
	error = k ? SSM_OK : SSM_ERROR;
	if (error == SSM_OK) {
		k->created_ms = nk->now_ms;
		k->description = ssm__strdup(nk->description);
		if (!k->description)
			error = SSM_ERROR;
	}
	if (error == SSM_OK)
		error = key_material(k, 1, m);
	ssm__zeroize(m, sizeof(m));
	if (error == SSM_OK && nk->alias)
		error = alias_set(kr, nk->alias, nk->id);
	return error;
}

struct alias_change {
	const char *alias;
	const char *id;
};

static ssm_err do_alias(struct keyring *kr, void *arg)
{
	struct alias_change *ac = arg;

	if (!key_find(kr, ac->id, strlen(ac->id)))
		return ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_KEYPROVIDER,
				      NULL, "key '%.64s' is not in the keyring",
				      ac->id);
	return alias_set(kr, ac->alias, ac->id);
}

struct rotation {
	const char *id;
	int64_t now_ms;
};

static ssm_err do_rotate(struct keyring *kr, void *arg)
{
	struct rotation *r = arg;
	struct kr_key *k = key_find(kr, r->id, strlen(r->id));
	uint8_t m[SSM_AES256_KEY_LEN];
	ssm_err error;

	if (!k)
		return ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_KEYPROVIDER,
				      NULL, "key '%.64s' is not in the keyring",
				      r->id);
	SSM_TRY(ssm_crypto_random(m, sizeof(m)));
	error = key_material(k, k->generation + 1, m);
	ssm__zeroize(m, sizeof(m));
	if (error == SSM_OK)
		k->rotated_ms = r->now_ms;
	return error;
}

/* ---- key names ------------------------------------------------------------
 */

/* Strip "arn:aws:kms:<region>:<account>:" of our region and account;
 * false for an ARN of another. */
static bool strip_arn(const struct keyring *kr, const char **s)
{
	char prefix[128];
	size_t n;

	if (strncmp(*s, "arn:", 4) != 0)
		return true;
	n = (size_t)snprintf(prefix, sizeof(prefix),
			     "arn:aws:kms:%s:%s:", kr->region, kr->account);
	if (strncmp(*s, prefix, n) != 0)
		return false;
	*s += n;
	return true;
}

/* The canonical id of @name, or NULL (the default key is made here). */
static ssm_err lookup(const char **id_out, struct keyring *kr, const char *name)
{
	const char *s = name;
	struct kr_alias *a;
	struct kr_key *k;

	*id_out = NULL;
	if (!strip_arn(kr, &s))
		return SSM_ENOTFOUND;
	if (strncmp(s, "alias/", 6) == 0) {
		a = alias_find(kr, s, strlen(s));
		if (a)
			*id_out = a->id;
		return a ? SSM_OK : SSM_ENOTFOUND;
	}
	if (strncmp(name, "arn:", 4) == 0) {
		if (strncmp(s, "key/", 4) != 0)
			return SSM_ENOTFOUND;
		s += 4;
	}
	k = key_find(kr, s, strlen(s));
	if (k)
		*id_out = k->id;
	return k ? SSM_OK : SSM_ENOTFOUND;
}

static ssm_err not_found(const char *name)
{
	return ssm_error__set(SSM_ENOTFOUND, SSM_ERRCLASS_KEYPROVIDER, NULL,
			      "key '%.256s' is not in the keyring", name);
}

/* ---- methods --------------------------------------------------------- */

static ssm_err kr_resolve(ssm_buf *out, ssm_keyprovider *kp, const char *name)
{
	struct keyring *kr = (struct keyring *)kp;
	const char *id = NULL;
	ssm_err error;

	pthread_mutex_lock(&kr->lock);
	error = refresh(kr, false);
	if (error == SSM_OK && lookup(&id, kr, name) == SSM_ENOTFOUND) {
		/* maybe another process just made it */
		error = refresh(kr, true);
		if (error == SSM_OK && lookup(&id, kr, name) == SSM_ENOTFOUND) {
			const char *s = name;

			if (strip_arn(kr, &s) &&
			    strcmp(s, DEFAULT_ALIAS) == 0) {
				struct new_key nk = {
					DEFAULT_DESCRIPTION, DEFAULT_ALIAS, "",
					ssm_ctx__now_ms(kp->ctx)
				};

				error = change(kr, do_create, &nk);
				if (error == SSM_OK)
					error = lookup(&id, kr, name);
			}
		}
	}
	if (error == SSM_OK && !id)
		error = not_found(name);
	if (error == SSM_OK)
		error = ssm_buf_set(out, id, strlen(id));
	pthread_mutex_unlock(&kr->lock);
	return error;
}

static ssm_err wrap(ssm_buf *out, const struct kr_key *k, const uint8_t *dk,
		    const void *ctxt, size_t ctxt_len)
{
	uint8_t w[KR_WRAPPED_LEN];
	size_t len = 0;
	ssm_err error;

	w[0] = KR_WRAP_FORMAT;
	w[1] = (uint8_t)k->generation;
	w[2] = (uint8_t)(k->generation >> 8);
	w[3] = (uint8_t)(k->generation >> 16);
	w[4] = (uint8_t)(k->generation >> 24);
	error = ssm_crypto_seal(w + 5, &len, sizeof(w) - 5,
				k->material[k->generation - 1], ctxt, ctxt_len,
				dk, SSM_DATA_KEY_LEN);
	if (error == SSM_OK)
		error = ssm_buf_set(out, w, 5 + len);
	return error;
}

/* Open a wrapped key; the key's material is found (reloading once). */
static ssm_err unwrap(uint8_t dk[SSM_DATA_KEY_LEN], struct keyring *kr,
		      const char *id, const uint8_t *w, size_t wlen,
		      const void *ctxt, size_t ctxt_len)
{
	struct kr_key *k;
	uint32_t gen;
	size_t len = 0;
	ssm_err error;

	if (wlen != KR_WRAPPED_LEN || w[0] != KR_WRAP_FORMAT)
		return ssm_error__set(SSM_EAUTH, SSM_ERRCLASS_KEYPROVIDER, NULL,
				      "the wrapped data key is malformed");
	gen = (uint32_t)w[1] | (uint32_t)w[2] << 8 | (uint32_t)w[3] << 16 |
	      (uint32_t)w[4] << 24;
	SSM_TRY(refresh(kr, false));
	k = key_find(kr, id, strlen(id));
	if (!k || gen > k->generation) {
		SSM_TRY(refresh(kr, true));
		k = key_find(kr, id, strlen(id));
	}
	if (!k)
		return not_found(id);
	if (gen < 1 || gen > k->generation)
		return ssm_error__set(SSM_EAUTH, SSM_ERRCLASS_KEYPROVIDER, NULL,
				      "key '%s' has no material generation %u",
				      id, (unsigned)gen);
	error = ssm_crypto_open(dk, &len, SSM_DATA_KEY_LEN,
				k->material[gen - 1], ctxt, ctxt_len, w + 5,
				wlen - 5);
	if (error == SSM_OK && len != SSM_DATA_KEY_LEN)
		error = ssm_error__set(SSM_EAUTH, SSM_ERRCLASS_KEYPROVIDER,
				       NULL,
				       "the wrapped data key is malformed");
	return error;
}

static ssm_err kr_generate(uint8_t pt[SSM_DATA_KEY_LEN], ssm_buf *wrapped,
			   ssm_keyprovider *kp, const char *id,
			   const void *ctxt, size_t ctxt_len)
{
	struct keyring *kr = (struct keyring *)kp;
	struct kr_key *k;
	ssm_err error;

	SSM_TRY(ssm_crypto_random(pt, SSM_DATA_KEY_LEN));
	pthread_mutex_lock(&kr->lock);
	error = refresh(kr, false);
	if (error == SSM_OK) {
		k = key_find(kr, id, strlen(id));
		if (k)
			error = wrap(wrapped, k, pt, ctxt, ctxt_len);
		else
			error = not_found(id);
	}
	pthread_mutex_unlock(&kr->lock);
	return error;
}

static ssm_err kr_decrypt(uint8_t pt[SSM_DATA_KEY_LEN], ssm_keyprovider *kp,
			  const char *id, const void *w, size_t wlen,
			  const void *ctxt, size_t ctxt_len)
{
	struct keyring *kr = (struct keyring *)kp;
	ssm_err error;

	pthread_mutex_lock(&kr->lock);
	error = unwrap(pt, kr, id, w, wlen, ctxt, ctxt_len);
	pthread_mutex_unlock(&kr->lock);
	return error;
}

static ssm_err kr_reencrypt(ssm_buf *out, ssm_keyprovider *kp, const char *id,
			    const void *w, size_t wlen, const void *ctxt,
			    size_t ctxt_len)
{
	struct keyring *kr = (struct keyring *)kp;
	uint8_t dk[SSM_DATA_KEY_LEN];
	ssm_err error;

	pthread_mutex_lock(&kr->lock);
	error = unwrap(dk, kr, id, w, wlen, ctxt, ctxt_len);
	if (error == SSM_OK) {
		struct kr_key *k = key_find(kr, id, strlen(id));

		error = k ? wrap(out, k, dk, ctxt, ctxt_len) : not_found(id);
	}
	pthread_mutex_unlock(&kr->lock);
	ssm__zeroize(dk, sizeof(dk));
	return error;
}

static ssm_err kr_create_key(ssm_buf *out, ssm_keyprovider *kp,
			     const char *description)
{
	struct keyring *kr = (struct keyring *)kp;
	struct new_key nk = { description, NULL, "", ssm_ctx__now_ms(kp->ctx) };
	ssm_err error;

	pthread_mutex_lock(&kr->lock);
	error = change(kr, do_create, &nk);
	pthread_mutex_unlock(&kr->lock);
	if (error == SSM_OK)
		error = ssm_buf_set(out, nk.id, strlen(nk.id));
	return error;
}

static bool alias_name_valid(const char *alias)
{
	size_t i, n = strlen(alias);

	if (n <= 6 || n > 256 || strncmp(alias, "alias/", 6) != 0 ||
	    strncmp(alias, "alias/aws/", 10) == 0)
		return false;
	for (i = 6; i < n; i++) {
		char c = alias[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '/' || c == '_' ||
		      c == '-'))
			return false;
	}
	return true;
}

static ssm_err kr_create_alias(ssm_keyprovider *kp, const char *alias,
			       const char *id)
{
	struct keyring *kr = (struct keyring *)kp;
	struct alias_change ac = { alias, id };
	ssm_err error;

	if (!alias_name_valid(alias))
		return ssm_error__set(SSM_EINVALID, SSM_ERRCLASS_KEYPROVIDER,
				      NULL,
				      "alias '%.256s' is not valid: it must "
				      "be alias/ followed by letters, digits, "
				      "'/', '_' or '-', and not alias/aws/",
				      alias);
	pthread_mutex_lock(&kr->lock);
	error = change(kr, do_alias, &ac);
	pthread_mutex_unlock(&kr->lock);
	return error;
}

static ssm_err kr_rotate(ssm_keyprovider *kp, const char *id)
{
	struct keyring *kr = (struct keyring *)kp;
	struct rotation r = { id, ssm_ctx__now_ms(kp->ctx) };
	ssm_err error;

	pthread_mutex_lock(&kr->lock);
	error = change(kr, do_rotate, &r);
	pthread_mutex_unlock(&kr->lock);
	return error;
}

static ssm_err kr_list(ssm_keyprovider *kp, ssm_key_list_cb cb, void *payload)
{
	struct keyring *kr = (struct keyring *)kp;
	const char **aliases = NULL;
	char arn[200];
	size_t i, j, n;
	ssm_err error;

	pthread_mutex_lock(&kr->lock);
	error = refresh(kr, true);
	if (error == SSM_OK && kr->naliases &&
	    !(aliases = ssm__calloc(kr->naliases, sizeof(*aliases))))
		error = SSM_ERROR;
	for (i = 0; error == SSM_OK && i < kr->nkeys; i++) {
		struct kr_key *k = &kr->keys[i];
		ssm_key_info info;

		for (j = 0, n = 0; j < kr->naliases; j++)
			if (strcmp(kr->aliases[j].id, k->id) == 0)
				aliases[n++] = kr->aliases[j].name;
		snprintf(arn, sizeof(arn), "arn:aws:kms:%s:%s:key/%s",
			 kr->region, kr->account, k->id);
		info.key_id = k->id;
		info.arn = arn;
		info.description = k->description;
		info.created_ms = k->created_ms;
		info.generation = k->generation;
		info.rotated_ms = k->rotated_ms;
		info.aliases = aliases;
		info.aliases_count = n;
		if (cb(&info, payload))
			error = ssm_error__set(SSM_EUSER, SSM_ERRCLASS_CALLBACK,
					       NULL,
					       "the key listing was stopped");
	}
	pthread_mutex_unlock(&kr->lock);
	ssm__free(aliases);
	return error;
}

static void kr_close(ssm_keyprovider *kp)
{
	struct keyring *kr = (struct keyring *)kp;

	state_clear(kr);
	ssm__free(kr->path);
	ssm__free(kr->account);
	ssm__free(kr->region);
	pthread_mutex_destroy(&kr->lock);
	ssm__free(kr);
}

static ssm_err kr_open(ssm_keyprovider **out, const ssm_keyprovider_ops *ops,
		       ssm_ctx *ctx, const ssm_keyprovider_config *cfg,
		       void *payload)
{
	struct keyring *kr;
	ssm_err error = SSM_OK;

	(void)ops;
	(void)ctx;
	(void)payload;
	kr = ssm__calloc(1, sizeof(*kr));
	if (!kr)
		return SSM_ERROR;
	pthread_mutex_init(&kr->lock, NULL);
	kr->account =
		ssm__strdup(cfg->account_id ? cfg->account_id : "123456789012");
	kr->region = ssm__strdup(cfg->region ? cfg->region : "us-east-1");
	if (!kr->account || !kr->region ||
	    (cfg->location && !(kr->path = ssm__strdup(cfg->location)))) {
		kr_close(&kr->parent);
		return SSM_ERROR;
	}
	if (kr->path) {
		error = file_load(kr);
		kr->checked_ms = ssm__mono_ms();
	}
	if (error < 0) {
		kr_close(&kr->parent);
		return error;
	}
	*out = &kr->parent;
	return SSM_OK;
}

const ssm_keyprovider_ops ssm_keyprovider__keyring_ops = {
	.version = SSM_KEYPROVIDER_OPS_VERSION,
	.name = "keyring",
	.open = kr_open,
	.close = kr_close,
	.resolve = kr_resolve,
	.generate_data_key = kr_generate,
	.decrypt_data_key = kr_decrypt,
	.reencrypt_data_key = kr_reencrypt,
	.create_key = kr_create_key,
	.create_alias = kr_create_alias,
	.rotate_key = kr_rotate,
	.list_keys = kr_list,
};
