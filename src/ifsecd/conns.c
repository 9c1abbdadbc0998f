/* SPDX-License-Identifier: BSD-2-Clause */
#include "ifsecd/conns.h"

#include <stdio.h>
#include <string.h>

#include "common/log.h"

static int add(struct conns *cs, struct conf_tunnel *ct, struct tunnel_err *err)
{
	struct tunnel *t;
	int rc = tunnel_add(cs->ts, ct, &t, err);

	if (rc)
		return rc;
	rc = ike_io_add_conn(cs->ike, t);
	if (rc) {
		snprintf(err->msg, sizeof(err->msg), "%s: the IKE engine does not take it: %s",
			 t->conf->name, ifs_strerror(rc));
		conf_tunnel_free(tunnel_remove(cs->ts, t));
	}
	return rc;
}

static void remove_conn(struct conns *cs, struct tunnel *t, struct conf_tunnel **conf_out)
{
	struct conf_tunnel *ct;

	ike_io_del_conn(cs->ike, t);
	ct = tunnel_remove(cs->ts, t);
	if (conf_out)
		*conf_out = ct;
	else
		conf_tunnel_free(ct);
}

/* The new version in place of the old; when it cannot be made after
 * all (the system refused an interface or a socket), the old one is
 * made again. */
static int replace(struct conns *cs, struct tunnel *old, struct conf_tunnel *ct,
		   struct tunnel_err *err)
{
	struct conf_tunnel *old_conf;
	struct tunnel_err again;
	int rc;

	remove_conn(cs, old, &old_conf);
	rc = add(cs, ct, err);
	if (rc == 0) {
		conf_tunnel_free(old_conf);
		return 0;
	}
	if (add(cs, old_conf, &again) != 0)
		log_error("%s: the old version could not be restored either: %s",
			  err->msg, again.msg);
	return rc;
}

int conns_load(struct conns *cs, struct conf_tunnel *ct, enum conns_change *change,
	       struct tunnel_err *err)
{
	struct tunnel *old = tunnel_find(cs->ts, ct->name);
	int rc;

	err->msg[0] = '\0';
	if (old && !old->conf->ike) {
		snprintf(err->msg, sizeof(err->msg), "the name %s is used by a manual tunnel",
			 ct->name);
		conf_tunnel_free(ct);
		return IFS_ERR_EXISTS;
	}
	if (old && conf_tunnel_equal(old->conf, ct)) {
		*change = CONNS_UNCHANGED;
		conf_tunnel_free(ct);
		return 0;
	}
	/* A default interface name stays what it was. */
	if (old && ct->is_ifname_default && old->conf->is_ifname_default)
		snprintf(ct->ifname, sizeof(ct->ifname), "%s", old->conf->ifname);
	rc = tunnel_check(cs->ts, ct, old, err);
	if (rc) {
		conf_tunnel_free(ct);
		return rc;
	}
	*change = old ? CONNS_REPLACED : CONNS_ADDED;
	return old ? replace(cs, old, ct, err) : add(cs, ct, err);
}

int conns_unload(struct conns *cs, const char *name, struct tunnel_err *err)
{
	struct tunnel *t = tunnel_find(cs->ts, name);

	err->msg[0] = '\0';
	if (!t) {
		snprintf(err->msg, sizeof(err->msg), "connection %s not found", name);
		return IFS_ERR_NOT_FOUND;
	}
	if (!t->conf->ike) {
		snprintf(err->msg, sizeof(err->msg), "%s is a manual tunnel: it is configured "
			 "only when ifsecd starts", name);
		return IFS_ERR_INVAL;
	}
	remove_conn(cs, t, NULL);
	return 0;
}
