/* SPDX-License-Identifier: BSD-2-Clause */
#include "ifsecd/tunnel.h"

#include <errno.h>
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

static void log_tunnel_error(const struct conf_tunnel *ct, const char *fmt,
			     const char *detail)
{
	log_error("tunnel %s (%s:%d): %s%s%s", ct->name, ct->file, ct->line, fmt,
		  detail ? ": " : "", detail ? detail : "");
}

static int find_or_open_sock(struct tunnels *ts, const struct conf_tunnel *ct,
			     bool is_udp, int *fd_out)
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
	s = &ts->socks[ts->n_socks];
	err = is_udp ? sock_open_udp(&ct->local, port, &s->fd) : sock_open_esp(&ct->local, &s->fd);
	if (err) {
		log_tunnel_error(ct, is_udp ? "cannot bind the UDP socket"
					    : "cannot open the raw ESP socket",
				 strerror(errno));
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
static int open_socks(struct tunnels *ts, struct tunnel *t)
{
	const struct conf_tunnel *ct = t->conf;
	int err;

	if (!ct->ike)
		return find_or_open_sock(ts, ct, ct->is_udp_encap, &t->sock_fd);
	err = find_or_open_sock(ts, ct, true, &t->udp_fd);
	if (!err)
		err = find_or_open_sock(ts, ct, false, &t->raw_fd);
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
static int choose_mtu(struct tunnel *t, const struct netif_route_info *ri)
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
		log_tunnel_error(ct, "the path to the peer leaves too little room "
				 "for an interface MTU; set interface_mtu", NULL);
		return IFS_ERR_RANGE;
	}
	for (size_t i = 0; i < ct->n_if_addrs; i++)
		if (ct->if_addrs[i].addr.family == AF_INET6 && t->mtu < TUNNEL_MIN_MTU_V6)
			log_warn("tunnel %s: MTU %u is below IPv6's minimum of 1280",
				 ct->name, t->mtu);
	return 0;
}

static int configure_interface(struct tunnel *t)
{
	const struct conf_tunnel *ct = t->conf;
	char buf[IFS_PREFIX_STRLEN];
	int err;

	err = netif_index(ct->ifname, &t->ifindex);
	if (!err)
		err = netif_set_addr_gen_random(t->ifindex);
	if (!err)
		err = netif_set_mtu(t->ifindex, t->mtu);
	if (!err)
		err = netif_set_up(t->ifindex);
	if (err) {
		log_tunnel_error(ct, "cannot configure the interface", strerror(errno));
		return err;
	}
	for (size_t i = 0; i < ct->n_if_addrs; i++) {
		if (netif_addr_add(t->ifindex, &ct->if_addrs[i]) != 0) {
			log_error("tunnel %s: cannot add address %s to %s: %s", ct->name,
				  prefix_str(&ct->if_addrs[i], buf), ct->ifname,
				  strerror(errno));
			return IFS_ERR_SYS;
		}
	}
	for (size_t i = 0; i < ct->n_routes; i++) {
		if (netif_route_add(t->ifindex, &ct->routes[i]) != 0) {
			log_error("tunnel %s: cannot add route %s via %s: %s", ct->name,
				  prefix_str(&ct->routes[i], buf), ct->ifname,
				  strerror(errno));
			return IFS_ERR_SYS;
		}
	}
	return 0;
}

static int tunnel_create(struct tunnels *ts, struct tunnel *t)
{
	const struct conf_tunnel *ct = t->conf;
	struct netif_route_info ri;
	char a[IFS_ADDR_STRLEN];
	int err;

	if (addr_is_unspec(&ct->remote)) {
		ri = (struct netif_route_info){ .mtu = 1500 };   /* any peer: assume Ethernet */
	} else if (netif_route_get(&ct->remote, &ri) != 0) {
		log_tunnel_error(ct, "no route to the peer", addr_str(&ct->remote, a));
		return IFS_ERR_NOT_FOUND;
	}
	err = open_socks(ts, t);
	if (!err)
		err = choose_mtu(t, &ri);
	if (err)
		return err;
	err = tun_create(ct->ifname, &t->tun_fd);
	if (err) {
		log_tunnel_error(ct, err == IFS_ERR_EXISTS ? "the interface already exists"
							   : "cannot create the interface",
				 ct->ifname);
		return err;
	}
	return configure_interface(t);
}

/*
 * The start-up half of the recursion guard (the run-time half is in the
 * worker): with every interface and route in place, the kernel's route to
 * each peer must not lead into one of our tunnels, or our own ESP would
 * be sent into a tunnel again and again.
 */
static int check_recursion(const struct tunnels *ts)
{
	struct netif_route_info ri;
	char a[IFS_ADDR_STRLEN];

	for (size_t i = 0; i < ts->n; i++) {
		const struct conf_tunnel *ct = ts->v[i].conf;

		if (addr_is_unspec(&ct->remote))
			continue;
		if (netif_route_get(&ct->remote, &ri) != 0) {
			log_tunnel_error(ct, "no route to the peer", addr_str(&ct->remote, a));
			return IFS_ERR_NOT_FOUND;
		}
		for (size_t j = 0; j < ts->n; j++) {
			if (ri.ifindex != ts->v[j].ifindex)
				continue;
			log_error("tunnel %s (%s:%d): the route to its peer %s goes through %s, "
				  "which would send the tunnel into a tunnel; refusing to start "
				  "(route the peer's outer address outside the tunnels)",
				  ct->name, ct->file, ct->line, addr_str(&ct->remote, a),
				  ts->v[j].conf->ifname);
			return IFS_ERR_LOOP;
		}
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
		      const struct conf_manual_sa *ms, bool is_inbound)
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
		log_tunnel_error(ct, "cannot create the SA", ifs_strerror(err));
		return err;
	}
	if (kl)
		log_keys(kl, ct, ms, is_inbound);
	return worker_add_sa(w, t->wt, sa);
}

static int tunnel_start(struct tunnel *t, struct worker *w, struct keylog *kl)
{
	const struct conf_tunnel *ct = t->conf;
	char l[IFS_ADDR_STRLEN], r[IFS_ADDR_STRLEN];
	struct worker_tunnel_params p = {
		.tun_fd = t->tun_fd, .sock_fd = t->sock_fd,
		.is_udp = ct->is_udp_encap, .local = ct->local, .remote = ct->remote,
		.local_port = ct->local_port, .remote_port = ct->remote_port,
		.stats = &t->stats,
		.wants_acquire = ct->ike && ct->ike->child.start_action == CONF_START_TRAP,
	};
	int err;

	err = worker_add_tunnel(w, &p, &t->wt);
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
		err = install_sa(t, w, kl, &ct->in, true);
	if (!err)
		err = install_sa(t, w, kl, &ct->out, false);
	if (!err)
		log_info("tunnel %s: %s up, mtu %u, %s %s to %s, SPIs in 0x%08x out 0x%08x",
			 ct->name, ct->ifname, t->mtu,
			 ct->is_udp_encap ? "ESP in UDP" : "ESP",
			 addr_str(&ct->local, l), addr_str(&ct->remote, r), ct->in.spi, ct->out.spi);
	return err;
}

int tunnels_up(struct tunnels *ts, const struct conf *c, struct worker *w,
	       struct keylog *kl)
{
	int err = 0;

	*ts = (struct tunnels){ 0 };
	ts->v = calloc(c->n_tunnels ? c->n_tunnels : 1, sizeof(*ts->v));
	ts->socks = calloc(c->n_tunnels ? 2 * c->n_tunnels : 1, sizeof(*ts->socks));
	if (!ts->v || !ts->socks) {
		tunnels_down(ts);
		return IFS_ERR_NOMEM;
	}
	for (size_t i = 0; i < c->n_tunnels && !err; i++) {
		ts->v[i].conf = &c->tunnels[i];
		ts->v[i].tun_fd = -1;
		ts->v[i].udp_fd = ts->v[i].raw_fd = -1;
		ts->n++;
		err = tunnel_create(ts, &ts->v[i]);
	}
	if (!err)
		err = check_recursion(ts);
	for (size_t i = 0; i < ts->n && !err; i++)
		err = tunnel_start(&ts->v[i], w, kl);
	if (err)
		tunnels_down(ts);
	return err;
}

void tunnels_down(struct tunnels *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		if (ts->v[i].tun_fd >= 0)
			tun_close(ts->v[i].tun_fd);
	for (size_t i = 0; i < ts->n_socks; i++)
		close(ts->socks[i].fd);
	free(ts->v);
	free(ts->socks);
	*ts = (struct tunnels){ 0 };
}
