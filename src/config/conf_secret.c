/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * secrets { ike<suffix> { id<suffix> = ...  secret = ... } }: the
 * pre-shared keys, with swanctl.conf's names, and the choice of one for
 * a pair of identities.
 */
#include "config/conf_int.h"

#include <stdlib.h>
#include <string.h>

/* strongSwan's other kinds of secret, by section name prefix. */
static const struct {
	const char *prefix;
	const char *what;
} later_kinds[] = {
	{ "eap", "EAP secrets" }, { "xauth", "XAuth secrets" },
	{ "ntlm", "NTLM secrets" }, { "ppk", "postquantum preshared keys" },
	{ "private", "private keys" }, { "rsa", "RSA private keys" },
	{ "ecdsa", "ECDSA private keys" }, { "pkcs8", "PKCS#8 private keys" },
	{ "pkcs12", "PKCS#12 containers" }, { "token", "smartcard tokens" },
};

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

void conf_secrets_free(struct conf *c)
{
	for (size_t i = 0; i < c->n_secrets; i++)
		secret_free(c->secrets[i].psk);
	free(c->secrets);
	c->secrets = NULL;
	c->n_secrets = 0;
}

static int add_id(struct conf_secret *s, const struct settings_node *kv,
		  struct settings_err *err)
{
	char why[160], q[80];
	const char *qv;

	if (s->n_ids >= CONF_MAX_SECRET_IDS) {
		settings_err_key(err, kv, "more than %d identities in one secret",
				 CONF_MAX_SECRET_IDS);
		return IFS_ERR_RANGE;
	}
	if (ike_id_parse(kv->value, &s->ids[s->n_ids], why, sizeof(why)) < 0) {
		qv = settings_value_quote(kv->value, q, sizeof(q));
		settings_err_key(err, kv, "%s%s%s", qv[0] == '\'' ? qv : "",
				 qv[0] == '\'' ? ": " : "", why);
		return IFS_ERR_INVAL;
	}
	s->n_ids++;
	return 0;
}

/* Each id<suffix> key is one identity (a distinguished name holds
 * commas, so the value is not a list), in file order. */
static int parse_ike(struct settings_node *sec, struct conf_secret *s,
		     struct settings_err *err)
{
	struct settings_node *kv, *kv_secret = settings_find_key(sec, "secret");
	const char *name = sec->name + strlen("ike");
	int rc;

	rc = conf_name(sec, name[0] == '-' ? name + 1 : name, "secret", s->name,
		       err);
	s->line = sec->line;
	settings_foreach(sec, SETTINGS_KEY, kv) {
		if (rc < 0)
			return rc;
		if (has_prefix(kv->name, "id")) {
			settings_mark_used(kv);
			rc = add_id(s, kv, err);
		}
	}
	if (rc == 0)
		rc = conf_check_level(sec, NULL, 0, err);
	if (rc < 0)
		return rc;
	if (!kv_secret)
		return conf_missing(sec, "secret", err);
	return settings_kv_secret(kv_secret, &s->psk, err);
}

static int check_kind(struct settings_node *sec, struct settings_err *err)
{
	if (has_prefix(sec->name, "ike"))
		return 0;
	for (size_t i = 0; i < IFS_ARRAY_LEN(later_kinds); i++) {
		if (!has_prefix(sec->name, later_kinds[i].prefix))
			continue;
		settings_err_at(err, sec->file, sec->line, "secrets.%s: %s are not "
				"supported yet (only ike pre-shared keys)",
				sec->name, later_kinds[i].what);
		return IFS_ERR_UNSUPPORTED;
	}
	settings_err_at(err, sec->file, sec->line, "unknown section '%s' in "
			"section 'secrets' (ike<suffix> for a pre-shared key)",
			sec->name);
	return IFS_ERR_NOT_FOUND;
}

int conf_parse_secrets(struct settings_node *secrets, struct conf *c,
		       struct settings_err *err)
{
	struct settings_node *sec;
	size_t n = 0;
	int rc = 0;

	if (!secrets)
		return 0;
	settings_foreach(secrets, SETTINGS_SECTION, sec) {
		rc = check_kind(sec, err);
		if (rc < 0)
			return rc;
		settings_mark_used(sec);
		n++;
	}
	rc = conf_check_level(secrets, NULL, 0, err);
	if (rc < 0 || n == 0)
		return rc;
	if (n > CONF_MAX_SECRETS) {
		settings_err_at(err, secrets->file, secrets->line, "secrets: more "
				"than %d entries", CONF_MAX_SECRETS);
		return IFS_ERR_RANGE;
	}
	c->secrets = calloc(n, sizeof(*c->secrets));
	if (!c->secrets) {
		settings_err_at(err, secrets->file, secrets->line, "out of memory");
		return IFS_ERR_NOMEM;
	}
	settings_foreach(secrets, SETTINGS_SECTION, sec) {
		/* Counted first, so that conf_free() wipes a half-made one. */
		c->n_secrets++;
		rc = parse_ike(sec, &c->secrets[c->n_secrets - 1], err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- choosing a PSK ---- */

enum match {
	MATCH_NONE,
	MATCH_ANY,       /* no ids, or a %any id: stands for everyone */
	MATCH_WILDCARD,
	MATCH_EXACT,
};

static enum match match_one(const struct conf_secret *s, uint8_t type,
			    const uint8_t *data, size_t len)
{
	enum match best = s->n_ids == 0 ? MATCH_ANY : MATCH_NONE;

	for (size_t i = 0; i < s->n_ids; i++) {
		const struct ike_id *id = &s->ids[i];
		enum match m;

		if (!ike_id_matches(id, type, data, len))
			continue;
		m = ike_id_is_any(id) ? MATCH_ANY :
		    id->has_wildcard ? MATCH_WILDCARD : MATCH_EXACT;
		if (m > best)
			best = m;
	}
	return best;
}

/* DESIGN.md "PSK lookup": both identities named, then the remote one,
 * then the local one, then an entry for anyone. An entry for anyone (no
 * id, or id = %any) matches both sides, but only as "anyone": naming a
 * peer beats it. Within a tier the closer match (exact before
 * wildcard, remote side first) wins, then file order. */
static int tier(enum match me, enum match other)
{
	bool is_me = me >= MATCH_WILDCARD, is_other = other >= MATCH_WILDCARD;

	if (is_me && is_other)
		return 4;
	if (is_other)
		return 3;
	if (is_me)
		return 2;
	return me != MATCH_NONE && other != MATCH_NONE ? 1 : 0;
}

/* Lexicographically greater: an equal score keeps the earlier entry. */
static bool is_better(const int a[3], const int b[3])
{
	for (int i = 0; i < 3; i++)
		if (a[i] != b[i])
			return a[i] > b[i];
	return false;
}

const struct conf_secret *conf_find_psk_in(const struct conf_secret *v, size_t n,
					   const struct ike_id *local,
					   uint8_t remote_type, const uint8_t *remote,
					   size_t remote_len)
{
	const struct conf_secret *found = NULL;
	int best[3] = { 0, 0, 0 };    /* tier, other, me */

	for (size_t i = 0; i < n; i++) {
		const struct conf_secret *s = &v[i];
		enum match me = match_one(s, local->type, local->data, local->len);
		enum match other = match_one(s, remote_type, remote, remote_len);
		int score[3] = { tier(me, other), (int)other, (int)me };

		if (score[0] == 0 || !s->psk || !is_better(score, best))
			continue;
		found = s;
		memcpy(best, score, sizeof(best));
	}
	return found;
}

const struct conf_secret *conf_find_psk(const struct conf *c,
					const struct ike_id *local,
					uint8_t remote_type, const uint8_t *remote,
					size_t remote_len)
{
	return c ? conf_find_psk_in(c->secrets, c->n_secrets, local, remote_type, remote,
				    remote_len) : NULL;
}
