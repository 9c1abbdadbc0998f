/* SPDX-License-Identifier: BSD-2-Clause */
#include "net/netif.h"

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <limits.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/*
 * Interface and route configuration through rtnetlink (libmnl).
 *
 * Each call opens its own NETLINK_ROUTE socket, sends one request with
 * NLM_F_ACK and reads until that request's acknowledgement. A socket per
 * call costs little at configuration time and means no reply or error
 * left over from an earlier failed call can be mistaken for this one's.
 * Callers: the control thread only (the sequence counter is not atomic).
 */

/* Requests are at most a header, a fixed struct and a few small
 * attributes; 512 bytes leave ample room. */
#define NL_REQ_LEN 512
/* The kernel sends a unicast reply in one datagram of at most 32 KiB;
 * a larger one arrives truncated and libmnl reports ENOSPC. */
#define NL_RECV_LEN 32768
/* A request is answered by at most a reply and an ack; allow a few more
 * datagrams, then give up rather than loop on a confused socket. */
#define NL_MAX_READS 8
/* rtnetlink handles a request inside sendmsg(), so the answer is queued
 * before we read; the timeout only bounds a kernel that misbehaves. */
#define NL_RECV_TIMEOUT_S 2

/* Routes we install. They vanish with the TUN device, so no dedicated
 * protocol number is needed to find leftovers after a crash. */
#define NETIF_RTPROT RTPROT_STATIC

static uint32_t nl_seq;

static void close_keep_errno(struct mnl_socket *nl)
{
	int saved = errno;

	mnl_socket_close(nl);
	errno = saved;
}

static struct mnl_socket *nl_open(void)
{
	struct timeval tv = { .tv_sec = NL_RECV_TIMEOUT_S };
	struct mnl_socket *nl;

	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (nl == NULL)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO,
		       &tv, sizeof(tv)) < 0) {
		close_keep_errno(nl);
		return NULL;
	}
	return nl;
}

/*
 * Send nlh and read until its ack. cb sees every data message of the
 * answer (NULL: none expected). The kernel's negative error arrives as
 * errno through libmnl; it and every local failure give IFS_ERR_SYS.
 */
static int nl_exchange(struct mnl_socket *nl, struct nlmsghdr *nlh,
		       mnl_cb_t cb, void *data)
{
	_Alignas(struct nlmsghdr) uint8_t buf[NL_RECV_LEN];
	unsigned portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int i, ret;

	/* Zero would switch off libmnl's sequence check. */
	if (++nl_seq == 0)
		nl_seq = 1;
	nlh->nlmsg_seq = nl_seq;
	n = mnl_socket_sendto(nl, nlh, nlh->nlmsg_len);
	if (n < 0)
		return IFS_ERR_SYS;
	if ((size_t)n != nlh->nlmsg_len) {
		errno = EMSGSIZE;
		return IFS_ERR_SYS;
	}
	for (i = 0; i < NL_MAX_READS; i++) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return IFS_ERR_SYS;
		/* mnl_cb_run() calls an empty buffer a clean stop. */
		if (n == 0) {
			errno = EPROTO;
			return IFS_ERR_SYS;
		}
		ret = mnl_cb_run(buf, (size_t)n, nl_seq, portid, cb, data);
		if (ret == MNL_CB_STOP)
			return 0;
		if (ret < 0)
			return IFS_ERR_SYS;
	}
	errno = EPROTO;
	return IFS_ERR_SYS;
}

static int nl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct mnl_socket *nl;
	int err;

	nl = nl_open();
	if (nl == NULL)
		return IFS_ERR_SYS;
	err = nl_exchange(nl, nlh, cb, data);
	close_keep_errno(nl);
	return err;
}

static struct nlmsghdr *nl_request(void *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	return nlh;
}

/* ifi_index is an int in the kernel's structs; 0 means "none". */
static bool ifindex_ok(unsigned ifindex)
{
	return ifindex != 0 && ifindex <= INT_MAX;
}

static bool prefix_ok(const struct ifs_prefix *p)
{
	size_t n = addr_len(&p->addr);

	return n != 0 && p->len <= n * 8;
}

/* Are all bits of p's address beyond its length zero? A route must not
 * have host bits: IPv4 refuses them, IPv6 silently drops them, and we
 * want the same answer for both. */
static bool prefix_is_network(const struct ifs_prefix *p)
{
	const uint8_t *b = addr_bytes(&p->addr);
	size_t n = addr_len(&p->addr);
	size_t i;

	for (i = p->len / 8; i < n; i++) {
		unsigned keep = (i == p->len / 8u) ? p->len % 8u : 0;
		uint8_t host = (uint8_t)(0xffu >> keep);

		if (b[i] & host)
			return false;
	}
	return true;
}

int netif_index(const char *ifname, unsigned *ifindex_out)
{
	*ifindex_out = 0;
	if (ifname == NULL || ifname[0] == '\0' ||
	    strlen(ifname) >= IFNAMSIZ)
		return IFS_ERR_INVAL;
	*ifindex_out = if_nametoindex(ifname);
	if (*ifindex_out == 0)
		return errno == ENODEV ? IFS_ERR_NOT_FOUND : IFS_ERR_SYS;
	return 0;
}

/* An RTM_SETLINK for ifindex whose attributes the caller adds. */
static struct nlmsghdr *link_request(void *buf, unsigned ifindex,
				     struct ifinfomsg **ifi_out)
{
	struct nlmsghdr *nlh = nl_request(buf, RTM_SETLINK, 0);
	struct ifinfomsg *ifi;

	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	*ifi_out = ifi;
	return nlh;
}

int netif_set_addr_gen_random(unsigned ifindex)
{
	_Alignas(struct nlmsghdr) uint8_t buf[NL_REQ_LEN];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct nlattr *af_spec, *af_inet6;

	if (!ifindex_ok(ifindex))
		return IFS_ERR_INVAL;
	nlh = link_request(buf, ifindex, &ifi);
	/* IFLA_AF_SPEC { AF_INET6 { IFLA_INET6_ADDR_GEN_MODE } }, as
	 * "ip link set addrgenmode random" sends it. */
	af_spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	af_inet6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE,
			IN6_ADDR_GEN_MODE_RANDOM);
	mnl_attr_nest_end(nlh, af_inet6);
	mnl_attr_nest_end(nlh, af_spec);
	return nl_talk(nlh, NULL, NULL);
}

int netif_ignore_router_adverts(const char *ifname)
{
	char path[64 + IFNAMSIZ];
	ssize_t n;
	int fd;

	if (!ifname || !*ifname || strlen(ifname) >= IFNAMSIZ || strchr(ifname, '/'))
		return IFS_ERR_INVAL;
	/* (rtnetlink sets no per-interface IPv6 sysctl but the address
	 * generation mode) */
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/accept_ra", ifname);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : IFS_ERR_SYS;
	n = write(fd, "0\n", 2);
	if (n != 2) {
		int saved = n < 0 ? errno : EIO;

		close(fd);
		errno = saved;
		return IFS_ERR_SYS;
	}
	return close(fd) == 0 ? 0 : IFS_ERR_SYS;
}

int netif_set_mtu(unsigned ifindex, uint32_t mtu)
{
	_Alignas(struct nlmsghdr) uint8_t buf[NL_REQ_LEN];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	if (!ifindex_ok(ifindex))
		return IFS_ERR_INVAL;
	nlh = link_request(buf, ifindex, &ifi);
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return nl_talk(nlh, NULL, NULL);
}

int netif_set_up(unsigned ifindex)
{
	_Alignas(struct nlmsghdr) uint8_t buf[NL_REQ_LEN];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	if (!ifindex_ok(ifindex))
		return IFS_ERR_INVAL;
	nlh = link_request(buf, ifindex, &ifi);
	/* ifi_change says which flags to touch; the others stay as they
	 * are. */
	ifi->ifi_flags = IFF_UP | IFF_MULTICAST;
	ifi->ifi_change = IFF_UP | IFF_MULTICAST;
	return nl_talk(nlh, NULL, NULL);
}

int netif_addr_add(unsigned ifindex, const struct ifs_prefix *p)
{
	_Alignas(struct nlmsghdr) uint8_t buf[NL_REQ_LEN];
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	size_t len = addr_len(&p->addr);

	if (!ifindex_ok(ifindex) || !prefix_ok(p))
		return IFS_ERR_INVAL;
	nlh = nl_request(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)p->addr.family;
	ifa->ifa_prefixlen = p->len;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	/* Nobody else is on a tunnel's link, and an address that waits
	 * for duplicate detection cannot be used as a source meanwhile. */
	if (p->addr.family == AF_INET6)
		ifa->ifa_flags = IFA_F_NODAD;
	/* Local and peer address equal: a plain address with a prefix
	 * route, not a point-to-point peer. */
	mnl_attr_put(nlh, IFA_LOCAL, len, addr_bytes(&p->addr));
	mnl_attr_put(nlh, IFA_ADDRESS, len, addr_bytes(&p->addr));
	return nl_talk(nlh, NULL, NULL);
}

static int route_change(uint16_t type, uint16_t flags, unsigned ifindex,
			const struct ifs_prefix *p)
{
	_Alignas(struct nlmsghdr) uint8_t buf[NL_REQ_LEN];
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	if (!ifindex_ok(ifindex) || !prefix_ok(p) || !prefix_is_network(p))
		return IFS_ERR_INVAL;
	nlh = nl_request(buf, type, flags);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)p->addr.family;
	rtm->rtm_dst_len = p->len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = NETIF_RTPROT;
	/* No gateway: every address of the prefix is reached directly
	 * through the tunnel interface. */
	rtm->rtm_scope = RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_DST, addr_len(&p->addr), addr_bytes(&p->addr));
	mnl_attr_put_u32(nlh, RTA_OIF, ifindex);
	return nl_talk(nlh, NULL, NULL);
}

int netif_route_add(unsigned ifindex, const struct ifs_prefix *p)
{
	/* EXCL: a route that exists already (ours from a configuration
	 * mistake, or someone else's) is reported, never replaced. */
	return route_change(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
			    ifindex, p);
}

int netif_route_del(unsigned ifindex, const struct ifs_prefix *p)
{
	/* The kernel matches protocol, scope and interface too, so only a
	 * route we added is removed. */
	return route_change(RTM_DELROUTE, 0, ifindex, p);
}

/* What route_get learns from the RTM_GETROUTE answer. */
struct route_reply {
	bool has_reply;
	uint32_t oif;
	uint32_t mtu;           /* 0: the route has no MTU metric */
};

/* Keep the attributes we use, each validated; skip everything else. */
static int route_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	switch (type) {
	case RTA_OIF:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		break;
	case RTA_METRICS:
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0)
			return MNL_CB_ERROR;
		break;
	default:
		return MNL_CB_OK;
	}
	tb[type] = attr;
	return MNL_CB_OK;
}

static int route_metric_cb(const struct nlattr *attr, void *data)
{
	uint32_t *mtu = data;

	if (mnl_attr_get_type(attr) != RTAX_MTU)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return MNL_CB_ERROR;
	*mtu = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

static int route_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RTA_MAX + 1] = { NULL };
	struct route_reply *r = data;

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct rtmsg)) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	if (mnl_attr_parse(nlh, sizeof(struct rtmsg), route_attr_cb, tb) < 0)
		return MNL_CB_ERROR;
	if (tb[RTA_METRICS] != NULL &&
	    mnl_attr_parse_nested(tb[RTA_METRICS], route_metric_cb,
				  &r->mtu) < 0)
		return MNL_CB_ERROR;
	if (tb[RTA_OIF] != NULL)
		r->oif = mnl_attr_get_u32(tb[RTA_OIF]);
	r->has_reply = true;
	return MNL_CB_OK;
}

_Static_assert(sizeof(((struct netif_route_info *)0)->ifname) == IFNAMSIZ,
	       "netif_route_info.ifname holds an interface name");

/* What link_get learns from the RTM_GETLINK answer. */
struct link_reply {
	int ifindex;            /* the one asked for */
	bool has_mtu;
	uint32_t mtu;
	char ifname[IFNAMSIZ];  /* "": none seen */
};

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	switch (type) {
	case IFLA_MTU:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		break;
	case IFLA_IFNAME:
		/* NUL_STRING: non-empty and terminated inside the
		 * attribute, so strlen() below stays in bounds. */
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		break;
	default:
		return MNL_CB_OK;
	}
	tb[type] = attr;
	return MNL_CB_OK;
}

static int link_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { NULL };
	struct link_reply *r = data;
	const struct ifinfomsg *ifi;
	const char *name;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi)) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	ifi = mnl_nlmsg_get_payload(nlh);
	if (ifi->ifi_index != r->ifindex) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	if (mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, tb) < 0)
		return MNL_CB_ERROR;
	if (tb[IFLA_MTU] != NULL) {
		r->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
		r->has_mtu = true;
	}
	if (tb[IFLA_IFNAME] != NULL) {
		name = mnl_attr_get_str(tb[IFLA_IFNAME]);
		if (strlen(name) >= sizeof(r->ifname)) {
			errno = ENAMETOOLONG;
			return MNL_CB_ERROR;
		}
		strcpy(r->ifname, name);
	}
	return MNL_CB_OK;
}

static int link_get(unsigned ifindex, struct link_reply *r)
{
	_Alignas(struct nlmsghdr) uint8_t buf[NL_REQ_LEN];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	int err;

	memset(r, 0, sizeof(*r));
	if (!ifindex_ok(ifindex)) {
		errno = EPROTO;
		return IFS_ERR_SYS;
	}
	r->ifindex = (int)ifindex;
	nlh = nl_request(buf, RTM_GETLINK, 0);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = (int)ifindex;
	/* Counters are not needed and would only lengthen the answer. */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	err = nl_talk(nlh, link_reply_cb, r);
	if (err == 0 && (!r->has_mtu || r->ifname[0] == '\0')) {
		errno = EPROTO;
		return IFS_ERR_SYS;
	}
	return err;
}

static int route_lookup(const struct ifs_addr *dst, struct route_reply *r)
{
	_Alignas(struct nlmsghdr) uint8_t buf[NL_REQ_LEN];
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	size_t len = addr_len(dst);
	int err;

	memset(r, 0, sizeof(*r));
	nlh = nl_request(buf, RTM_GETROUTE, 0);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)dst->family;
	rtm->rtm_dst_len = (uint8_t)(len * 8);
	mnl_attr_put(nlh, RTA_DST, len, addr_bytes(dst));
	err = nl_talk(nlh, route_reply_cb, r);
	/* The kernel answers "no route" with ENETUNREACH, and a route of
	 * type unreachable with EHOSTUNREACH; errno keeps which. */
	if (err == IFS_ERR_SYS && (errno == ENETUNREACH ||
				   errno == EHOSTUNREACH))
		return IFS_ERR_NOT_FOUND;
	if (err == 0 && !r->has_reply) {
		errno = EPROTO;
		return IFS_ERR_SYS;
	}
	return err;
}

int netif_route_get(const struct ifs_addr *dst, struct netif_route_info *out)
{
	struct route_reply route;
	struct link_reply link;
	int err;

	memset(out, 0, sizeof(*out));
	if (addr_len(dst) == 0)
		return IFS_ERR_INVAL;
	err = route_lookup(dst, &route);
	if (err != 0)
		return err;
	/* Blackhole and similar routes have no interface: nothing can be
	 * sent that way either. */
	if (route.oif == 0) {
		errno = ENETUNREACH;
		return IFS_ERR_NOT_FOUND;
	}
	err = link_get(route.oif, &link);
	if (err != 0)
		return err;
	out->ifindex = route.oif;
	memcpy(out->ifname, link.ifname, sizeof(out->ifname));
	out->mtu = route.mtu != 0 ? route.mtu : link.mtu;
	return 0;
}
