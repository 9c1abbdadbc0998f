/* SPDX-License-Identifier: BSD-2-Clause */
/* Loading while running: connections (load-conn, unload-conn), shared
 * keys (load-shared, unload-shared, get-shared, clear-creds) and the
 * ifsecd section (reload-settings). A connection arrives as swanctl
 * sends a swanctl.conf section and goes through the parser and checks
 * of the file ifsecd starts with (vici_text.h), so that both say the
 * same about the same mistake. */
#include "ifsecd/ctl_priv.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "control/vici_text.h"

#define CTL_LOAD_TEXT_MAX (4 * CTL_DEFAULT_MAX_REQUEST + 4096)

/* "load-conn:7: unknown key ..." -> "unknown key ...": the lines of a
 * text the client never saw mean nothing to it. */
static const char *without_place(const char *msg, const char *name)
{
	size_t n = strlen(name);
	const char *p = msg + n;

	if (strncmp(msg, name, n) != 0 || *p != ':')
		return msg;
	p++;
	while (isdigit((unsigned char)*p))
		p++;
	return strncmp(p, ": ", 2) == 0 ? p + 2 : msg;
}

static int parse_conns(struct ctl_client *c, const struct vici_node *req, struct conf **out)
{
	uint8_t *buf = malloc(CTL_LOAD_TEXT_MAX);
	struct conf_err cerr;
	struct wbuf w;
	char why[256];
	int err;

	*out = NULL;
	if (!buf)
		return ctl_client_fail(c, IFS_ERR_NOMEM, "out of memory");
	wbuf_init(&w, buf, CTL_LOAD_TEXT_MAX - 1);
	err = vici_to_settings_text(req, "connections", &w, why, sizeof(why));
	if (err) {
		free(buf);
		return ctl_client_fail(c, err, "%s", why);
	}
	buf[wbuf_len(&w)] = '\0';
	err = conf_load_string((const char *)buf, "load-conn", out, &cerr);
	free(buf);
	if (err)
		return ctl_client_fail(c, err, "%s", without_place(cerr.msg, "load-conn"));
	if ((*out)->n_tunnels == 0) {
		conf_free(*out);
		*out = NULL;
		return ctl_client_fail(c, IFS_ERR_INVAL, "no connection in the message");
	}
	return 0;
}

static int cmd_load_conn(void *arg, struct ctl_client *c, const struct vici_node *req,
			 struct vici_builder *resp)
{
	static const char *const said[] = {
		[CONNS_ADDED] = "loaded", [CONNS_UNCHANGED] = "unchanged",
		[CONNS_REPLACED] = "replaced",
	};
	struct ctl *ctl = arg;
	struct conf *conf;
	int err = parse_conns(c, req, &conf);

	for (size_t i = 0; !err && i < conf->n_tunnels; i++) {
		struct tunnel *old = tunnel_find(ctl->tunnels, conf->tunnels[i].name);
		char name[CONF_NAME_MAX];
		enum conns_change change;
		struct conf_tunnel *ct;
		struct tunnel_err terr;

		snprintf(name, sizeof(name), "%s", conf->tunnels[i].name);
		err = conf_tunnel_take(conf, i, &ct);
		if (err)
			break;
		err = conns_load(ctl->conns, ct, &change, &terr);
		if (err) {
			log_warn("load-conn %s refused: %s", name, terr.msg);
			err = ctl_client_fail(c, err, "%s", terr.msg);
			break;
		}
		if (change == CONNS_REPLACED)
			ctl_tunnel_gone(ctl, old);
		log_info("connection %s %s", name, said[change]);
	}
	conf_free(conf);
	if (err)
		return err;
	vici_kv_str(resp, "success", "yes");
	return 0;
}

static int cmd_unload_conn(void *arg, struct ctl_client *c, const struct vici_node *req,
			   struct vici_builder *resp)
{
	struct ctl *ctl = arg;
	char name[CONF_NAME_MAX];
	struct tunnel_err terr;
	struct tunnel *t;
	int err;

	if (vici_get_str(req, "name", name, sizeof(name)) != 0)
		return ctl_client_fail(c, IFS_ERR_INVAL, "missing connection name to unload");
	t = tunnel_find(ctl->tunnels, name);
	if (t && t->conf->ike)
		ctl_tunnel_gone(ctl, t);
	err = conns_unload(ctl->conns, name, &terr);
	if (err)
		return ctl_client_fail(c, err, "unloading connection '%s' failed: %s", name,
				       terr.msg);
	log_info("connection %s unloaded", name);
	vici_kv_str(resp, "success", "yes");
	return 0;
}

static int parse_owners(struct ctl_client *c, const struct vici_node *req,
			struct ike_id *owners, size_t *n)
{
	char s[512], why[160];

	*n = 0;
	for (const struct vici_node *it = vici_list_items(req, "owners"); it; it = it->next) {
		if (*n == CONF_MAX_SECRET_IDS)
			return ctl_client_fail(c, IFS_ERR_RANGE, "more than %d owners",
					       CONF_MAX_SECRET_IDS);
		if (!vici_node_is_str(it) || it->value_len >= sizeof(s))
			return ctl_client_fail(c, IFS_ERR_INVAL, "an owner is not an identity");
		memcpy(s, it->value, it->value_len);
		s[it->value_len] = '\0';
		if (ike_id_parse(s, &owners[*n], why, sizeof(why)) != 0)
			return ctl_client_fail(c, IFS_ERR_INVAL, "owner '%s': %s", s, why);
		(*n)++;
	}
	return 0;
}

static int cmd_load_shared(void *arg, struct ctl_client *c, const struct vici_node *req,
			   struct vici_builder *resp)
{
	static unsigned n_anonymous;
	struct ctl *ctl = arg;
	const struct vici_node *data = vici_child(req, "data");
	struct ike_id owners[CONF_MAX_SECRET_IDS];
	char type[16], id[CREDS_ID_MAX];
	struct secret *psk;
	size_t n_owners;
	int err;

	if (vici_get_str(req, "type", type, sizeof(type)) != 0)
		return ctl_client_fail(c, IFS_ERR_INVAL, "missing shared key type");
	if (strcasecmp(type, "ike") != 0)
		return ctl_client_fail(c, IFS_ERR_UNSUPPORTED, "shared key type '%s' is not "
				       "supported (ike only)", type);
	if (!data || data->kind != VICI_NODE_KV || data->value_len == 0)
		return ctl_client_fail(c, IFS_ERR_INVAL, "missing shared key data");
	if (vici_find(req, "id") && vici_get_str(req, "id", id, sizeof(id)) != 0)
		return ctl_client_fail(c, IFS_ERR_INVAL, "id: not a name of up to %d "
				       "characters", CREDS_ID_MAX - 1);
	if (!vici_find(req, "id"))
		snprintf(id, sizeof(id), "%%anonymous-%u", ++n_anonymous);
	err = parse_owners(c, req, owners, &n_owners);
	if (err)
		return err;
	err = secret_new(&psk, data->value, data->value_len);
	if (!err)
		err = creds_add(ctl->creds, id, psk, owners, n_owners);
	if (err)
		return ctl_client_fail(c, err, "cannot keep the key: %s", ifs_strerror(err));
	log_info("shared key %s loaded (%zu owner%s)", id, n_owners, n_owners == 1 ? "" : "s");
	vici_kv_str(resp, "success", "yes");
	return 0;
}

static int cmd_unload_shared(void *arg, struct ctl_client *c, const struct vici_node *req,
			     struct vici_builder *resp)
{
	struct ctl *ctl = arg;
	char id[CREDS_ID_MAX];

	if (vici_get_str(req, "id", id, sizeof(id)) != 0)
		return ctl_client_fail(c, IFS_ERR_INVAL, "missing unique shared key identifier");
	if (creds_remove(ctl->creds, id) != 0)
		return ctl_client_fail(c, IFS_ERR_NOT_FOUND, "shared key '%s' not found", id);
	log_info("shared key %s unloaded", id);
	vici_kv_str(resp, "success", "yes");
	return 0;
}

static int cmd_get_shared(void *arg, struct ctl_client *c, const struct vici_node *req,
			  struct vici_builder *resp)
{
	struct ctl *ctl = arg;

	(void)c;
	(void)req;
	vici_begin_list(resp, "keys");
	for (size_t i = 0; i < ctl->creds->n; i++)
		vici_list_item_str(resp, ctl->creds->ids[i]);
	vici_end_list(resp);
	return 0;
}

static int cmd_clear_creds(void *arg, struct ctl_client *c, const struct vici_node *req,
			   struct vici_builder *resp)
{
	struct ctl *ctl = arg;

	(void)c;
	(void)req;
	log_info("%zu shared key%s cleared", ctl->creds->n, ctl->creds->n == 1 ? "" : "s");
	creds_clear(ctl->creds);
	vici_kv_str(resp, "success", "yes");
	return 0;
}

static int cmd_reload_settings(void *arg, struct ctl_client *c, const struct vici_node *req,
			       struct vici_builder *resp)
{
	struct ctl *ctl = arg;
	struct conf_err cerr;
	struct conf *conf;

	(void)req;
	if (conf_load(ctl->config_path, &conf, &cerr) != 0) {
		log_warn("reload-settings refused: %s", cerr.msg);
		return ctl_client_fail(c, IFS_ERR_INVAL, "%s", cerr.msg);
	}
	ike_io_settings(ctl->ike, &conf->daemon);
	log_info("settings reloaded from %s", ctl->config_path);
	conf_free(conf);
	vici_kv_str(resp, "success", "yes");
	return 0;
}

/* What swanctl --load-all asks for besides: ifsec has no private keys,
 * certificate authorities or address pools (yet), so none are loaded. */
static int cmd_get_keys(void *arg, struct ctl_client *c, const struct vici_node *req,
			struct vici_builder *resp)
{
	(void)arg;
	(void)c;
	(void)req;
	vici_begin_list(resp, "keys");
	vici_end_list(resp);
	return 0;
}

static int cmd_get_nothing(void *arg, struct ctl_client *c, const struct vici_node *req,
			   struct vici_builder *resp)
{
	(void)arg;
	(void)c;
	(void)req;
	(void)resp;
	return 0;
}

int ctl_load_register(struct ctl *ctl)
{
	static const struct {
		const char *name;
		ctl_cmd_fn fn;
	} cmds[] = {
		{ "load-conn", cmd_load_conn }, { "unload-conn", cmd_unload_conn },
		{ "load-shared", cmd_load_shared }, { "unload-shared", cmd_unload_shared },
		{ "get-shared", cmd_get_shared }, { "clear-creds", cmd_clear_creds },
		{ "reload-settings", cmd_reload_settings }, { "get-keys", cmd_get_keys },
		{ "get-authorities", cmd_get_nothing }, { "get-pools", cmd_get_nothing },
	};
	int err = 0;

	for (size_t i = 0; !err && i < IFS_ARRAY_LEN(cmds); i++)
		err = ctl_server_add_command(ctl->srv, cmds[i].name, cmds[i].fn, ctl);
	return err;
}
