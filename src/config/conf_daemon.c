/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The daemon's own settings: the top-level section "ifsecd", with the
 * names and meanings strongSwan gives them in its "charon" section of
 * strongswan.conf (retransmission, half-open limits, cookies), plus the
 * key log directory and the control socket (its path, and the group
 * that may use it).
 */
#include "config/conf_int.h"

#include <grp.h>
#include <stdlib.h>
#include <string.h>

#define TIMEOUT_MAX_MS 3600000

/* "4", "4.0", "0.5": seconds with up to three decimals, as milliseconds. */
static int decimal_ms(const struct settings_node *kv, uint64_t min_ms, uint64_t max_ms,
		      uint64_t *out, struct settings_err *err)
{
	const char *s = kv->value;
	uint64_t whole = 0, frac = 0, scale = 1000;
	size_t digits = 0;
	char q[80];

	for (; *s >= '0' && *s <= '9' && digits < 9; s++, digits++)
		whole = whole * 10 + (uint64_t)(*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9' && scale > 1; s++) {
			scale /= 10;
			frac += (uint64_t)(*s - '0') * scale;
		}
	*out = whole * 1000 + frac;
	if (digits == 0 || *s != '\0' || *out < min_ms || *out > max_ms) {
		settings_err_key(err, kv, "%s is not a number of seconds from %llu.%03llu "
				 "to %llu (up to three decimals)",
				 settings_value_quote(kv->value, q, sizeof(q)),
				 (unsigned long long)(min_ms / 1000),
				 (unsigned long long)(min_ms % 1000),
				 (unsigned long long)(max_ms / 1000));
		return IFS_ERR_RANGE;
	}
	return 0;
}

static int count_key(const struct settings_node *kv, int64_t max, int64_t *out,
		     struct settings_err *err)
{
	return settings_kv_int(kv, 0, max, out, err);
}

static int text_key(const struct settings_node *kv, char *out, size_t len, const char *what,
		    struct settings_err *err)
{
	if (kv->value[0] == '\0' || strlen(kv->value) >= len) {
		settings_err_key(err, kv, "%s", what);
		return IFS_ERR_INVAL;
	}
	memcpy(out, kv->value, strlen(kv->value) + 1);
	return 0;
}

/* The group must exist here and now: a name nobody resolves would
 * leave the socket to root alone without a word. */
static int socket_group(const struct settings_node *kv, struct conf_daemon *d,
			struct settings_err *err)
{
	struct group *g = getgrnam(kv->value);
	char q[80];

	if (!g) {
		settings_err_key(err, kv, "%s: no such group",
				 settings_value_quote(kv->value, q, sizeof(q)));
		return IFS_ERR_NOT_FOUND;
	}
	d->has_socket_gid = true;
	d->socket_gid = g->gr_gid;
	return 0;
}

static int one_key(struct settings_node *kv, struct conf_daemon *d, struct settings_err *err)
{
	uint64_t ms = 0, s = 0;
	int64_t n = 0;
	int rc;

	if (strcmp(kv->name, "retransmit_timeout") == 0) {
		rc = decimal_ms(kv, 100, TIMEOUT_MAX_MS, &ms, err);
		d->retransmit_timeout_ms = (int64_t)ms;
	} else if (strcmp(kv->name, "retransmit_base") == 0) {
		rc = decimal_ms(kv, 1000, 10000, &ms, err);
		d->retransmit_base_milli = (int64_t)ms;
	} else if (strcmp(kv->name, "retransmit_tries") == 0) {
		rc = count_key(kv, 100, &n, err);
		d->retransmit_tries = n;
	} else if (strcmp(kv->name, "half_open_timeout") == 0) {
		rc = settings_kv_time(kv, &s, err);
		if (rc == 0 && (s == 0 || s > 3600)) {
			settings_err_key(err, kv, "must be from 1 s to 1 h");
			rc = IFS_ERR_RANGE;
		}
		d->half_open_timeout_ms = (int64_t)s * 1000;
	} else if (strcmp(kv->name, "cookie_threshold") == 0) {
		rc = count_key(kv, 1000000, &d->cookie_threshold, err);
	} else if (strcmp(kv->name, "cookie_threshold_ip") == 0) {
		rc = count_key(kv, 1000000, &d->cookie_threshold_ip, err);
	} else if (strcmp(kv->name, "block_threshold") == 0) {
		rc = count_key(kv, 1000000, &d->block_threshold, err);
	} else if (strcmp(kv->name, "init_limit_half_open") == 0) {
		rc = count_key(kv, 1000000, &d->init_limit_half_open, err);
	} else if (strcmp(kv->name, "keep_alive") == 0) {
		rc = settings_kv_time(kv, &s, err);
		if (rc == 0 && s > 3600) {
			settings_err_key(err, kv, "must be at most 1 h (0: no keepalives)");
			rc = IFS_ERR_RANGE;
		}
		d->keep_alive_s = (int64_t)s;
	} else if (strcmp(kv->name, "keylog") == 0) {
		rc = text_key(kv, d->keylog, sizeof(d->keylog), "must name a directory", err);
	} else if (strcmp(kv->name, "socket") == 0) {
		rc = text_key(kv, d->socket, sizeof(d->socket), "must be the path of the "
			      "control socket (up to 107 characters)", err);
	} else if (strcmp(kv->name, "socket_group") == 0) {
		rc = socket_group(kv, d, err);
	} else {
		settings_err_key(err, kv, "unknown key in section ifsecd (known: "
				 "retransmit_timeout, retransmit_base, retransmit_tries, "
				 "half_open_timeout, cookie_threshold, cookie_threshold_ip, "
				 "block_threshold, init_limit_half_open, keep_alive, keylog, "
				 "socket, socket_group)");
		return IFS_ERR_NOT_FOUND;
	}
	settings_mark_used(kv);
	return rc;
}

int conf_parse_daemon(struct settings_node *sec, struct conf *c, struct settings_err *err)
{
	struct settings_node *kv;

	c->daemon = (struct conf_daemon){
		.retransmit_timeout_ms = -1, .retransmit_base_milli = -1,
		.retransmit_tries = -1, .half_open_timeout_ms = -1,
		.cookie_threshold = -1, .cookie_threshold_ip = -1,
		.block_threshold = -1, .init_limit_half_open = -1, .keep_alive_s = -1,
	};
	if (!sec)
		return 0;
	kv = settings_first(sec, SETTINGS_SECTION);
	if (kv) {
		settings_err_at(err, kv->file, kv->line, "unknown section '%s' in ifsecd",
				kv->name);
		return IFS_ERR_NOT_FOUND;
	}
	settings_foreach(sec, SETTINGS_KEY, kv) {
		int rc = one_key(kv, &c->daemon, err);

		if (rc < 0)
			return rc;
	}
	return 0;
}
