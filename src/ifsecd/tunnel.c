/* SPDX-License-Identifier: BSD-2-Clause */
#include "ifsecd/tunnel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "esp/mtu.h"
#include "net/netif.h"
#include "net/sock.h"
#include "net/tun.h"

#define TUNNEL_MIN_MTU 576u
#define TUNNEL_MIN_MTU_V6 1280u

static void tunnel_error(struct tunnel_err *err, const struct conf_tunnel *ct,
			 const char *what, const char *detail)
{
	snprintf(err->msg, sizeof(err->msg), "tunnel %s (%s:%d): %s%s%s", ct->name, ct->file,
		 ct->line, what, detail ? ": " : "", detail ? detail : "");
}

static int find_or_open_sock(struct tunnels *ts, const struct conf_tunnel *ct,
			     bool is_udp, int *fd_out, struct tunnel_err *e)
{
	uint16_t port = is_udp ? ct->local_port : 0;
	struct tunnel_sock *s;
	int err;

	for (size_t i = 0; i < ts->n_socks; i++) {
		s = &ts->socks[i];
		if (s->is_udp == is_udp && s->port == port && addr_eq(&s->local, &ct->local)) {
			*fd_out = s->fd;
			return 0;
		}
	}
	if (ts->n_socks == ts->cap_socks) {
		size_t cap = ts->cap_socks ? 2 * ts->cap_socks : 4;
		struct tunnel_sock *v = realloc(ts->socks, cap * sizeof(*v));

		if (!v) {
			tunnel_error(e, ct, "out of memory", NULL);
			return IFS_ERR_NOMEM;
		}
		ts->socks = v;
		ts->cap_socks = cap;
	}
	s = &ts->socks[ts->n_socks];
	err = is_udp ? sock_open_udp(&ct->local, port, &s->fd) : sock_open_esp(&ct->local, &s->fd);
	if (err) {
		tunnel_error(e, ct, is_udp ? "cannot bind the UDP socket"
					   : "cannot open the raw ESP socket", strerror(errno));
		return err;
	}
	s->is_udp = is_udp;
	s->port = port;
	s->local = ct->local;
	ts->n_socks++;
	*fd_out = s->fd;
	return 0;
}

/* A negotiated tunnel may use either: ESP in UDP when a NAT is found or
 * encap = yes, raw ESP otherwise. */
static int open_socks(struct tunnels *ts, struct tunnel *t, struct tunnel_err *e)
{
	const struct conf_tunnel *ct = t->conf;
	int err;

	if (!ct->ike)
		return find_or_open_sock(ts, ct, ct->is_udp_encap, &t->sock_fd, e);
	err = find_or_open_sock(ts, ct, true, &t->udp_fd, e);
	if (!err)
		err = find_or_open_sock(ts, ct, false, &t->raw_fd, e);
	t->sock_fd = ct->is_udp_encap ? t->udp_fd : t->raw_fd;
	return err;
}

/* The worst case over every transform (a negotiated tunnel's is not
 * known before it is negotiated), ESP in UDP. */
static uint32_t worst_inner_mtu(uint32_t path_mtu, bool is_v6)
{
	uint32_t mtu = path_mtu;

	for (int a = 0; a < CRYPTO_ALG_COUNT; a++) {
		uint32_t m = esp_inner_mtu((enum crypto_alg)a, path_mtu, is_v6, true);

		if (m < mtu)
			mtu = m;
	}
	return mtu;
}

/* The interface MTU: configured, or what is left of the outer path's MTU
 * after the worst-case ESP overhead. */
static int choose_mtu(struct tunnel *t, const struct netif_route_info *ri,
		      struct tunnel_err *e)
{
	const struct conf_tunnel *ct = t->conf;
	bool is_v6 = ct->local.family == AF_INET6;
	uint32_t in, in_rx;

	if (ct->ike) {
		in = in_rx = worst_inner_mtu(ri->mtu, is_v6);
	} else {
		in = esp_inner_mtu(ct->out.alg, ri->mtu, is_v6, ct->is_udp_encap);
		in_rx = esp_inner_mtu(ct->in.alg, ri->mtu, is_v6, ct->is_udp_encap);
	}
	t->mtu = ct->mtu ? ct->mtu : (in < in_rx ? in : in_rx);
	if (t->mtu < TUNNEL_MIN_MTU) {
		tunnel_error(e, ct, "the path to the peer leaves too little room "
			     "for an interface MTU; set interface_mtu", NULL);
		return IFS_ERR_RANGE;
	}
	for (size_t i = 0; i < ct->n_if_addrs; i++)
		if (ct->if_addrs[i].addr.family == AF_INET6 && t->mtu < TUNNEL_MIN_MTU_V6)
			log_warn("tunnel %s: MTU %u is below IPv6's minimum of 1280",
				 ct->name, t->mtu);
	return 0;
}

static int configure_interface(struct tunnel *t, struct tunnel_err *e)
{
	const struct conf_tunnel *ct = t->conf;
	char buf[IFS_PREFIX_STRLEN];
	int err;

	err = netif_index(ct->ifname, &t->ifindex);
	if (!err)
		err = netif_set_addr_gen_random(t->ifindex);
	if (!err)
		err = netif_ignore_router_adverts(ct->ifname);
	if (!err)
		err = netif_set_mtu(t->ifindex, t->mtu);
	if (!err)
		err = netif_set_up(t->ifindex);
	if (err) {
		tunnel_error(e, ct, "cannot configure the interface", strerror(errno));
		return err;
	}
	for (size_t i = 0; i < ct->n_if_addrs; i++) {
		if (netif_addr_add(t->ifindex, &ct->if_addrs[i]) != 0) {
			snprintf(e->msg, sizeof(e->msg), "tunnel %s: cannot add address %s "
				 "to %s: %s", ct->name, prefix_str(&ct->if_addrs[i], buf),
				 ct->ifname, strerror(errno));
			return IFS_ERR_SYS;
		}
	}
	for (size_t i = 0; i < ct->n_routes; i++) {
		if (netif_route_add(t->ifindex, &ct->routes[i]) != 0) {
			snprintf(e->msg, sizeof(e->msg), "tunnel %s: cannot add route %s "
				 "via %s: %s", ct->name, prefix_str(&ct->routes[i], buf),
				 ct->ifname, strerror(errno));
			return IFS_ERR_SYS;
		}
	}
	return 0;
}

static int tunnel_create(struct tunnels *ts, struct tunnel *t, struct tunnel_err *e)
{
	const struct conf_tunnel *ct = t->conf;
	struct netif_route_info ri;
	char a[IFS_ADDR_STRLEN];
	int err;

	if (addr_is_unspec(&ct->remote)) {
		ri = (struct netif_route_info){ .mtu = 1500 };   /* any peer: assume Ethernet */
	} else if (netif_route_get(&ct->remote, &ri) != 0) {
		tunnel_error(e, ct, "no route to the peer", addr_str(&ct->remote, a));
		return IFS_ERR_NOT_FOUND;
	}
	err = open_socks(ts, t, e);
	if (!err)
		err = choose_mtu(t, &ri, e);
	if (err)
		return err;
	err = tun_create(ct->ifname, &t->tun_fd);
	if (err) {
		tunnel_error(e, ct, err == IFS_ERR_EXISTS ? "the interface already exists"
							  : "cannot create the interface",
			     ct->ifname);
		return err;
	}
	return configure_interface(t, e);
}

/*
 * The start-up half of the recursion guard (the run-time half is in the
 * worker): with the new tunnel's interface and routes in place, the
 * kernel's route to a peer must not lead into one of our tunnels, or our
 * own ESP would be sent into a tunnel again and again. What the new tunnel
 * can change: the route to its own peer, and the routes to the peers its
 * routes and interface prefixes cover; only those are looked up (a
 * lookup of an IPv6 route costs the kernel a pass over every interface:
 * all peers at each addition made 1000 tunnels take minutes).
 */
static bool covers(const struct conf_tunnel *ct, const struct ifs_addr *a)
{
	for (size_t i = 0; i < ct->n_routes; i++)
		if (prefix_contains(&ct->routes[i], a))
			return true;
	for (size_t i = 0; i < ct->n_if_addrs; i++)
		if (prefix_contains(&ct->if_addrs[i], a))
			return true;
	return false;
}

static int check_route_to_peer(const struct tunnels *ts, const struct conf_tunnel *ct,
			       struct tunnel_err *e)
{
	struct netif_route_info ri;
	char a[IFS_ADDR_STRLEN];

	if (netif_route_get(&ct->remote, &ri) != 0) {
		tunnel_error(e, ct, "no route to the peer", addr_str(&ct->remote, a));
		return IFS_ERR_NOT_FOUND;
	}
	for (size_t j = 0; j < ts->n; j++) {
		if (ri.ifindex != ts->v[j]->ifindex)
			continue;
		snprintf(e->msg, sizeof(e->msg), "tunnel %s (%s:%d): the route to its "
			 "peer %s goes through %s, which would send the tunnel into a "
			 "tunnel; refusing it (route the peer's outer address outside "
			 "the tunnels)", ct->name, ct->file, ct->line,
			 addr_str(&ct->remote, a), ts->v[j]->conf->ifname);
		return IFS_ERR_LOOP;
	}
	return 0;
}

static int check_recursion(const struct tunnels *ts, const struct tunnel *added,
			   struct tunnel_err *e)
{
	for (size_t i = 0; i < ts->n; i++) {
		const struct conf_tunnel *ct = ts->v[i]->conf;
		int err;

		if (addr_is_unspec(&ct->remote) ||
		    (ts->v[i] != added && !covers(added->conf, &ct->remote)))
			continue;
		err = check_route_to_peer(ts, ct, e);
		if (err)
			return err;
	}
	return 0;
}

static void log_keys(struct keylog *kl, const struct conf_tunnel *ct,
		     const struct conf_manual_sa *ms, bool is_inbound)
{
	int err = keylog_esp_sa(kl, is_inbound ? &ct->remote : &ct->local,
				is_inbound ? &ct->local : &ct->remote, ms->spi,
				ms->alg, ms->key->data, ms->key->len);

	if (err == IFS_ERR_UNSUPPORTED)
		log_info("tunnel %s: SA 0x%08x (%s) left out of the key log: "
			 "Wireshark cannot decrypt it", ct->name, ms->spi,
			 crypto_alg_info(ms->alg)->name);
	else if (err)
		log_warn("tunnel %s: cannot write the key log: %s", ct->name,
			 strerror(errno));
}

static int install_sa(struct tunnel *t, struct worker *w, struct keylog *kl,
		      const struct conf_manual_sa *ms, bool is_inbound, struct tunnel_err *e)
{
	const struct conf_tunnel *ct = t->conf;
	struct esp_sa_params p = {
		.spi = ms->spi, .alg = ms->alg, .key = ms->key->data,
		.key_len = ms->key->len, .is_inbound = is_inbound,
		.is_esn = ct->is_esn, .replay_window = ct->replay_window,
	};
	struct esp_sa *sa;
	int err;

	err = esp_sa_new(&sa, &p, is_inbound ? &t->in_stats : &t->out_stats);
	if (err) {
		tunnel_error(e, ct, "cannot create the SA", ifs_strerror(err));
		return err;
	}
	if (kl)
		log_keys(kl, ct, ms, is_inbound);
	return worker_add_sa(w, t->wt, sa);
}

static int tunnel_start(struct tunnel *t, struct worker *w, struct keylog *kl,
			struct tunnel_err *e)
{
	const struct conf_tunnel *ct = t->conf;
	char l[IFS_ADDR_STRLEN], r[IFS_ADDR_STRLEN];
	struct worker_tunnel_params p = {
		.tun_fd = t->tun_fd, .has_vnet_hdr = true, .sock_fd = t->sock_fd,
		.is_udp = ct->is_udp_encap, .local = ct->local, .remote = ct->remote,
		.local_port = ct->local_port, .remote_port = ct->remote_port,
		.stats = &t->stats,
		/* The engine decides whether a packet initiates (ike_engine_acquire). */
		.wants_acquire = ct->ike && (ct->ike->child.start_action == CONF_START_TRAP ||
					     ct->ike->child.dpd_action == CONF_ACTION_TRAP ||
					     ct->ike->child.close_action == CONF_ACTION_TRAP),
	};
	int err;

	err = worker_add_tunnel(w, &p, &t->wt);
	if (err)
		tunnel_error(e, ct, "the data plane takes no more tunnels", ifs_strerror(err));
	if (!err && ct->ike) {
		err = worker_add_socket(w, ct->is_udp_encap ? t->raw_fd : t->udp_fd,
					ct->local.family, !ct->is_udp_encap);
		if (!err)
			log_info("tunnel %s: %s up, mtu %u, negotiated with IKEv2 (%s)",
				 ct->name, ct->ifname, t->mtu,
				 ct->ike->child.start_action == CONF_START_START ? "start" :
				 ct->ike->child.start_action == CONF_START_TRAP ? "trap" :
				 "on demand");
		return err;
	}
	if (!err)
		err = install_sa(t, w, kl, &ct->in, true, e);
	if (!err)
		err = install_sa(t, w, kl, &ct->out, false, e);
	if (!err)
		log_info("tunnel %s: %s up, mtu %u, %s %s to %s, SPIs in 0x%08x out 0x%08x",
			 ct->name, ct->ifname, t->mtu,
			 ct->is_udp_encap ? "ESP in UDP" : "ESP",
			 addr_str(&ct->local, l), addr_str(&ct->remote, r), ct->in.spi, ct->out.spi);
	return err;
}

void tunnels_init(struct tunnels *ts, struct worker *w, struct keylog *kl)
{
	*ts = (struct tunnels){ .worker = w, .keylog = kl };
}

struct tunnel *tunnel_find(const struct tunnels *ts, const char *name)
{
	for (size_t i = 0; i < ts->n; i++)
		if (strcmp(ts->v[i]->conf->name, name) == 0)
			return ts->v[i];
	return NULL;
}

struct names_in_use {
	const struct tunnels *ts;
	const struct tunnel *except;
};

static bool ifname_in_use(void *arg, const char *name)
{
	const struct names_in_use *u = arg;

	for (size_t i = 0; i < u->ts->n; i++)
		if (u->ts->v[i] != u->except && strcmp(u->ts->v[i]->conf->ifname, name) == 0)
			return true;
	return false;
}

int tunnel_check(const struct tunnels *ts, struct conf_tunnel *ct,
		 const struct tunnel *except, struct tunnel_err *e)
{
	struct names_in_use u = { .ts = ts, .except = except };

	e->msg[0] = '\0';
	if (ct->is_ifname_default && (!ct->ifname[0] || ifname_in_use(&u, ct->ifname)) &&
	    conf_default_ifname(ifname_in_use, &u, ct->ifname) != 0) {
		tunnel_error(e, ct, "no free interface name ipsecN", NULL);
		return IFS_ERR_FULL;
	}
	for (size_t i = 0; i < ts->n; i++) {
		int err;

		if (ts->v[i] == except)
			continue;
		err = conf_tunnel_conflict(ct, ts->v[i]->conf, e->msg, sizeof(e->msg));
		if (err)
			return err;
	}
	return 0;
}

/* Close the interface (it goes with its descriptor: not persistent) and
 * free the tunnel; its configuration is returned. */
static struct conf_tunnel *tunnel_close(struct tunnel *t)
{
	struct conf_tunnel *ct = t->conf;

	if (t->tun_fd >= 0)
		tun_close(t->tun_fd);
	free(t);
	return ct;
}

static void unlist(struct tunnels *ts, struct tunnel *t)
{
	for (size_t i = 0; i < ts->n; i++)
		if (ts->v[i] == t) {
			memmove(&ts->v[i], &ts->v[i + 1], (ts->n - i - 1) * sizeof(ts->v[0]));
			ts->n--;
			return;
		}
}

static int list(struct tunnels *ts, struct tunnel *t)
{
	if (ts->n == ts->cap) {
		size_t cap = ts->cap ? 2 * ts->cap : 8;
		struct tunnel **v = realloc(ts->v, cap * sizeof(*v));

		if (!v)
			return IFS_ERR_NOMEM;
		ts->v = v;
		ts->cap = cap;
	}
	ts->v[ts->n++] = t;
	return 0;
}

int tunnel_add(struct tunnels *ts, struct conf_tunnel *ct, struct tunnel **out,
	       struct tunnel_err *e)
{
	struct tunnel *t;
	int err;

	*out = NULL;
	err = tunnel_check(ts, ct, NULL, e);
	if (err) {
		conf_tunnel_free(ct);
		return err;
	}
	t = calloc(1, sizeof(*t));
	if (!t || list(ts, t) != 0) {
		free(t);
		tunnel_error(e, ct, "out of memory", NULL);
		conf_tunnel_free(ct);
		return IFS_ERR_NOMEM;
	}
	*t = (struct tunnel){ .conf = ct, .tun_fd = -1, .sock_fd = -1, .udp_fd = -1,
			      .raw_fd = -1 };
	err = tunnel_create(ts, t, e);
	if (!err)
		err = check_recursion(ts, t, e);
	if (!err)
		err = tunnel_start(t, ts->worker, ts->keylog, e);
	if (err) {
		if (t->wt)
			worker_del_tunnel(ts->worker, t->wt);
		unlist(ts, t);
		conf_tunnel_free(tunnel_close(t));
		return err;
	}
	*out = t;
	return 0;
}

struct conf_tunnel *tunnel_remove(struct tunnels *ts, struct tunnel *t)
{
	if (t->wt)
		worker_del_tunnel(ts->worker, t->wt);
	log_info("tunnel %s: %s removed", t->conf->name, t->conf->ifname);
	unlist(ts, t);
	return tunnel_close(t);
}

int tunnels_add_all(struct tunnels *ts, struct conf *c, struct tunnel_err *e)
{
	size_t first = ts->n;

	for (size_t i = 0; i < c->n_tunnels; i++) {
		struct conf_tunnel *ct;
		struct tunnel *t;
		int err = conf_tunnel_take(c, i, &ct);

		if (!err)
			err = tunnel_add(ts, ct, &t, e);
		if (err) {
			while (ts->n > first)
				conf_tunnel_free(tunnel_remove(ts, ts->v[ts->n - 1]));
			return err;
		}
	}
	return 0;
}

void tunnels_down(struct tunnels *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		conf_tunnel_free(tunnel_close(ts->v[i]));
	for (size_t i = 0; i < ts->n_socks; i++)
		close(ts->socks[i].fd);
	free(ts->v);
	free(ts->socks);
	*ts = (struct tunnels){ 0 };
}
