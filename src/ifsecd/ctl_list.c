/* SPDX-License-Identifier: BSD-2-Clause */
/* list-sas, list-conns and get-conns: what runs and what is loaded, in
 * the events and keys charon uses, so that swanctl prints them. */
#include "ifsecd/ctl_priv.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ike/ike_wire.h"
#include "ike/names.h"

static void kv_xf(struct vici_builder *b, const char *key, uint8_t type, uint16_t id)
{
	const char *name = ike_charon_xf_name(type, id);

	if (name)
		vici_kv_str(b, key, name);
}

static void kv_bool(struct vici_builder *b, const char *key, bool v)
{
	if (v)
		vici_kv_str(b, key, "yes");
}

/* Seconds since a direction last carried a packet, if it did. */
static void use_time(struct vici_builder *b, const char *key, const struct esp_sa_stats *s)
{
	uint64_t last = esp_stat_get(&s->last_used_s);
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	if (last && (uint64_t)now.tv_sec >= last)
		vici_kv_printf(b, key, "%llu", (unsigned long long)((uint64_t)now.tv_sec - last));
}

/* What names a Child SA, where it stands and its algorithms, as charon
 * lists them. */
static void child_head(struct vici_builder *b, const struct tunnel *t,
		       const struct ike_conn_status *st, uint32_t unique_id, const char *state,
		       uint32_t spi_in, uint32_t spi_out, const struct ike_chosen *esp)
{
	char name[96];

	snprintf(name, sizeof(name), "%s-%u", t->conf->ike->child.name, unique_id);
	vici_begin_section(b, name);
	vici_kv_str(b, "name", t->conf->ike->child.name);
	vici_kv_printf(b, "uniqueid", "%u", unique_id);
	vici_kv_printf(b, "reqid", "%u", st->child_unique_id);
	vici_kv_str(b, "state", state);
	vici_kv_str(b, "mode", "TUNNEL");
	vici_kv_str(b, "protocol", "ESP");
	kv_bool(b, "encap", st->path.local_port != IKE_PORT || t->conf->ike->is_encap);
	vici_kv_printf(b, "spi-in", "%08x", spi_in);
	vici_kv_printf(b, "spi-out", "%08x", spi_out);
	kv_xf(b, "encr-alg", IKE_TT_ENCR, esp->encr);
	if (esp->encr_key_bits)
		vici_kv_printf(b, "encr-keysize", "%u", esp->encr_key_bits);
	kv_xf(b, "integ-alg", IKE_TT_INTEG, esp->integ);
	kv_bool(b, "esn", esp->esn == IKE_ESN_YES);
}

static void child_ts(struct vici_builder *b, const struct ike_conn_status *st)
{
	vici_begin_list(b, "local-ts");
	for (size_t i = 0; i < st->n_ts_local && i < 4; i++)
		vici_list_item_str(b, st->ts_local[i]);
	vici_end_list(b);
	vici_begin_list(b, "remote-ts");
	for (size_t i = 0; i < st->n_ts_remote && i < 4; i++)
		vici_list_item_str(b, st->ts_remote[i]);
	vici_end_list(b);
}

/* The Child SA a rekey replaced, until its delete is done: REKEYED, or
 * DELETING while our Delete is out (traffic counts go to the new one). */
static void old_child_sa(struct vici_builder *b, const struct tunnel *t,
			 const struct ike_conn_status *st)
{
	child_head(b, t, st, st->old_child_unique_id,
		   st->is_old_child_deleting ? "DELETING" : "REKEYED", st->old_child_spi_in,
		   st->old_child_spi_out, &st->old_esp);
	child_ts(b, st);   /* a rekey keeps the selectors */
	vici_end_section(b);
}

static void child_sa(struct vici_builder *b, const struct tunnel *t,
		     const struct ike_conn_status *st)
{
	uint64_t now_ms = ctl_now_ms(), age_ms = now_ms - st->child_installed_ms;
	uint64_t life_ms = (uint64_t)t->conf->ike->child.life_time * 1000, age_s = age_ms / 1000;

	child_head(b, t, st, st->child_unique_id, st->is_child_rekeying ? "REKEYING" : "INSTALLED",
		   st->child_spi_in, st->child_spi_out, &st->esp);
	vici_kv_printf(b, "bytes-in", "%llu", (unsigned long long)esp_stat_get(&t->in_stats.bytes));
	vici_kv_printf(b, "packets-in", "%llu", (unsigned long long)esp_stat_get(&t->in_stats.packets));
	vici_kv_printf(b, "bytes-out", "%llu", (unsigned long long)esp_stat_get(&t->out_stats.bytes));
	vici_kv_printf(b, "packets-out", "%llu", (unsigned long long)esp_stat_get(&t->out_stats.packets));
	vici_kv_printf(b, "install-time", "%llu", (unsigned long long)age_s);
	if (st->child_rekey_at_ms > now_ms)
		vici_kv_printf(b, "rekey-time", "%llu",
			       (unsigned long long)(st->child_rekey_at_ms - now_ms) / 1000);
	vici_kv_printf(b, "life-time", "%llu", (unsigned long long)(life_ms > age_ms ?
			(life_ms - age_ms) / 1000 : 0));
	use_time(b, "use-in", &t->in_stats);
	use_time(b, "use-out", &t->out_stats);
	child_ts(b, st);
	vici_end_section(b);
}

static void list_sa(struct vici_builder *b, const struct tunnel *t,
		    const struct ike_conn_status *st)
{
	char a[IFS_ADDR_STRLEN];

	vici_begin_section(b, t->conf->name);
	vici_kv_printf(b, "uniqueid", "%u", st->unique_id);
	vici_kv_str(b, "version", "2");
	vici_kv_str(b, "state", st->is_rekeying && st->state == IKE_SA_ESTABLISHED ? "REKEYING" :
				ike_sa_state_name(st->state));
	vici_kv_str(b, "local-host", addr_str(&st->path.local, a));
	vici_kv_printf(b, "local-port", "%u", st->path.local_port);
	vici_kv_str(b, "local-id", st->local_id);
	vici_kv_str(b, "remote-host", addr_str(&st->path.remote, a));
	vici_kv_printf(b, "remote-port", "%u", st->path.remote_port);
	vici_kv_str(b, "remote-id", st->peer_id[0] ? st->peer_id : "%any");
	kv_bool(b, "initiator", st->is_initiator);
	vici_kv_printf(b, "initiator-spi", "%016llx", (unsigned long long)st->spi_i);
	vici_kv_printf(b, "responder-spi", "%016llx", (unsigned long long)st->spi_r);
	kv_bool(b, "nat-local", st->is_nat_local);
	kv_bool(b, "nat-remote", st->is_nat_remote);
	kv_bool(b, "nat-any", st->is_nat_local || st->is_nat_remote);
	kv_xf(b, "encr-alg", IKE_TT_ENCR, st->ike.encr);
	if (st->ike.encr_key_bits)
		vici_kv_printf(b, "encr-keysize", "%u", st->ike.encr_key_bits);
	kv_xf(b, "integ-alg", IKE_TT_INTEG, st->ike.integ);
	kv_xf(b, "prf-alg", IKE_TT_PRF, st->ike.prf);
	kv_xf(b, "dh-group", IKE_TT_KE, st->ike.ke);
	if (st->established_ms) {
		uint64_t now_ms = ctl_now_ms();

		vici_kv_printf(b, "established", "%llu",
			       (unsigned long long)(now_ms - st->established_ms) / 1000);
		if (st->rekey_at_ms > now_ms)
			vici_kv_printf(b, "rekey-time", "%llu",
				       (unsigned long long)(st->rekey_at_ms - now_ms) / 1000);
		if (st->reauth_at_ms > now_ms)
			vici_kv_printf(b, "reauth-time", "%llu",
				       (unsigned long long)(st->reauth_at_ms - now_ms) / 1000);
	}
	vici_begin_section(b, "child-sas");
	if (st->has_child)
		child_sa(b, t, st);
	if (st->has_old_child)
		old_child_sa(b, t, st);
	vici_end_section(b);
	vici_end_section(b);
}

static int cmd_list_sas(void *arg, struct ctl_client *c, const struct vici_node *req,
			struct vici_builder *resp)
{
	struct ctl *ctl = arg;
	int64_t ike_id = 0;
	char ike[64];

	(void)resp;
	if (ctl_arg_str(c, req, "ike", ike, sizeof(ike)) != 0)
		return IFS_ERR_INVAL;
	if (vici_find(req, "ike-id") && vici_get_int(req, "ike-id", 1, UINT32_MAX, &ike_id) != 0)
		return ctl_client_fail(c, IFS_ERR_INVAL, "ike-id: not a unique id");
	for (size_t i = 0; i < ctl->tunnels->n; i++) {
		struct tunnel *t = ctl->tunnels->v[i];
		struct ike_conn_status st;
		struct vici_builder *b;

		if (!t->conf->ike || (ike[0] && strcmp(ike, t->conf->name) != 0) ||
		    ike_engine_status(ctl->ike->engine, t, &st) != 0 ||
		    st.state == IKE_SA_NONE || (ike_id && st.unique_id != ike_id))
			continue;
		b = ctl_client_event_begin(c, "list-sa");
		if (!b)
			break;
		list_sa(b, t, &st);
		if (ctl_client_event_end(c, b) != 0)
			break;
	}
	return 0;
}

static void list_prefixes(struct vici_builder *b, const char *name,
			  const struct ifs_prefix *p, size_t n)
{
	char s[IFS_PREFIX_STRLEN];

	vici_begin_list(b, name);
	for (size_t i = 0; i < n; i++)
		vici_list_item_str(b, prefix_str(&p[i], s));
	vici_end_list(b);
}

static void auth_section(struct vici_builder *b, const char *name, const struct ike_id *id,
			 const struct ifs_addr *fallback)
{
	char s[128], a[IFS_ADDR_STRLEN];

	vici_begin_section(b, name);
	vici_kv_str(b, "class", "pre-shared key");
	if (id->type)
		vici_kv_str(b, "id", ike_id_str(id->type, id->data, id->len, s, sizeof(s)));
	else
		vici_kv_str(b, "id", fallback ? addr_str(fallback, a) : "%any");
	vici_end_section(b);
}

static void list_conn(struct vici_builder *b, const struct conf_tunnel *t)
{
	const struct conf_ike *ci = t->ike;
	char a[IFS_ADDR_STRLEN];

	vici_begin_section(b, t->name);
	vici_begin_list(b, "local_addrs");
	vici_list_item_str(b, addr_str(&t->local, a));
	vici_end_list(b);
	vici_begin_list(b, "remote_addrs");
	vici_list_item_str(b, ci->is_remote_any ? "%any" : addr_str(&t->remote, a));
	vici_end_list(b);
	vici_kv_str(b, "version", "IKEv2");
	vici_kv_printf(b, "reauth_time", "%u", ci->reauth_time);
	vici_kv_printf(b, "rekey_time", "%u", ci->rekey_time);
	vici_kv_str(b, "unique", "UNIQUE_NO");
	vici_kv_printf(b, "dpd_delay", "%u", ci->dpd_delay);
	auth_section(b, "local-1", &ci->local_id, &t->local);
	auth_section(b, "remote-1", &ci->remote_id, NULL);
	vici_begin_section(b, "children");
	vici_begin_section(b, ci->child.name);
	vici_kv_str(b, "mode", "TUNNEL");
	vici_kv_printf(b, "rekey_time", "%u", ci->child.rekey_time);
	vici_kv_printf(b, "rekey_bytes", "%llu", (unsigned long long)ci->child.rekey_bytes);
	vici_kv_printf(b, "rekey_packets", "%llu", (unsigned long long)ci->child.rekey_packets);
	list_prefixes(b, "local-ts", ci->child.local_ts, ci->child.n_local_ts);
	list_prefixes(b, "remote-ts", ci->child.remote_ts, ci->child.n_remote_ts);
	vici_end_section(b);
	vici_end_section(b);
	vici_end_section(b);
}

static int cmd_list_conns(void *arg, struct ctl_client *c, const struct vici_node *req,
			  struct vici_builder *resp)
{
	struct ctl *ctl = arg;
	char ike[64];

	(void)resp;
	if (ctl_arg_str(c, req, "ike", ike, sizeof(ike)) != 0)
		return IFS_ERR_INVAL;
	for (size_t i = 0; i < ctl->tunnels->n; i++) {
		const struct conf_tunnel *t = ctl->tunnels->v[i]->conf;
		struct vici_builder *b;

		if (!t->ike || (ike[0] && strcmp(ike, t->name) != 0))
			continue;
		b = ctl_client_event_begin(c, "list-conn");
		if (!b)
			break;
		list_conn(b, t);
		if (ctl_client_event_end(c, b) != 0)
			break;
	}
	return 0;
}

static int cmd_get_conns(void *arg, struct ctl_client *c, const struct vici_node *req,
			 struct vici_builder *resp)
{
	struct ctl *ctl = arg;

	(void)c;
	(void)req;
	vici_begin_list(resp, "conns");
	for (size_t i = 0; i < ctl->tunnels->n; i++)
		if (ctl->tunnels->v[i]->conf->ike)
			vici_list_item_str(resp, ctl->tunnels->v[i]->conf->name);
	vici_end_list(resp);
	return 0;
}

int ctl_list_register(struct ctl *ctl)
{
	int err = ctl_server_add_command(ctl->srv, "list-sas", cmd_list_sas, ctl);

	if (!err)
		err = ctl_server_add_command(ctl->srv, "list-conns", cmd_list_conns, ctl);
	if (!err)
		err = ctl_server_add_command(ctl->srv, "get-conns", cmd_get_conns, ctl);
	if (!err)
		err = ctl_server_add_event(ctl->srv, "list-sa");
	if (!err)
		err = ctl_server_add_event(ctl->srv, "list-conn");
	return err;
}
