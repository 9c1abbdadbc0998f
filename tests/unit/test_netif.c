/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TUN creation and rtnetlink configuration, against the real kernel.
 * Every test first moves into a fresh network namespace of its own, so
 * nothing here touches the host's interfaces and routes (TESTNET.md);
 * without the privilege for that (EPERM) the tests are skipped, never
 * run on the host.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/addr.h"
#include "common/err.h"
#include "net/netif.h"
#include "net/tun.h"

#define TST_IF "tst0"
#define TST_MTU 1400
#define POLL_STEP_MS 10
#define POLL_TIMEOUT_MS 2000
/* Only the test may run ip(8); the daemon's code never does. */
#define IP_CMD "PATH=\"$PATH:/usr/sbin:/sbin\" ip "

struct fixture {
	bool is_netns;          /* false: no privilege, skip */
	int fd;                 /* the TUN descriptor, or -1 */
	unsigned ifindex;
};

static int netns_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	unsigned lo;

	if (f == NULL)
		return -1;
	f->fd = -1;
	*state = f;
	if (unshare(CLONE_NEWNET) != 0)
		return errno == EPERM ? 0 : -1;
	f->is_netns = true;
	/* Routes to our own addresses go through lo: it must be up. */
	if (netif_index("lo", &lo) != 0 || netif_set_up(lo) != 0)
		return -1;
	return 0;
}

static int netns_teardown(void **state)
{
	struct fixture *f = *state;

	tun_close(f->fd);
	free(f);
	return 0;
}

#define REQUIRE_NETNS(f) \
	do { \
		if (!(f)->is_netns) \
			skip(); \
	} while (0)

static struct ifs_prefix pfx(const char *s, bool is_strict)
{
	struct ifs_prefix p;

	assert_int_equal(prefix_parse(s, is_strict, &p), 0);
	return p;
}

static struct ifs_addr addr(const char *s)
{
	struct ifs_addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

/* Wait for cond(arg), at most timeout_ms, looking every few ms. */
static bool poll_until(bool (*cond)(const char *), const char *arg,
		       unsigned timeout_ms)
{
	struct timespec step = { .tv_nsec = POLL_STEP_MS * 1000000L };
	unsigned i;

	for (i = 0; i <= timeout_ms / POLL_STEP_MS; i++) {
		if (cond(arg))
			return true;
		nanosleep(&step, NULL);
	}
	return false;
}

static bool is_gone(const char *ifname)
{
	return if_nametoindex(ifname) == 0;
}

/* Does /proc/net/if_inet6 (this namespace's) list an fe80::/64 address
 * with link scope on ifname? */
static bool has_link_local(const char *ifname)
{
	char hex[33], name[IFNAMSIZ];
	unsigned idx, plen, scope, flags;
	bool is_found = false;
	FILE *fp;

	fp = fopen("/proc/net/if_inet6", "r");
	if (fp == NULL)
		return false;
	while (!is_found && fscanf(fp, "%32s %x %x %x %x %15s", hex, &idx,
				   &plen, &scope, &flags, name) == 6) {
		is_found = strcmp(name, ifname) == 0 &&
			strncmp(hex, "fe80", 4) == 0 && scope == 0x20;
	}
	fclose(fp);
	return is_found;
}

/* The tunnel interface as ifsecd sets it up: tst0, random link-local,
 * MTU 1400, up, 198.51.100.1/30 and 2001:db8:1::1/64. */
static void tst_configure(struct fixture *f)
{
	struct ifs_prefix a4 = pfx("198.51.100.1/30", false);
	struct ifs_prefix a6 = pfx("2001:db8:1::1/64", false);

	assert_int_equal(tun_create(TST_IF, &f->fd), 0);
	assert_true(f->fd >= 0);
	assert_int_equal(netif_index(TST_IF, &f->ifindex), 0);
	assert_int_equal(netif_set_addr_gen_random(f->ifindex), 0);
	assert_int_equal(netif_set_mtu(f->ifindex, TST_MTU), 0);
	assert_int_equal(netif_set_up(f->ifindex), 0);
	assert_int_equal(netif_addr_add(f->ifindex, &a4), 0);
	assert_int_equal(netif_addr_add(f->ifindex, &a6), 0);
}

static void assert_route_via(const struct fixture *f, const char *dst,
			     uint32_t mtu)
{
	struct ifs_addr a = addr(dst);
	struct netif_route_info ri;

	assert_int_equal(netif_route_get(&a, &ri), 0);
	assert_int_equal(ri.ifindex, f->ifindex);
	assert_string_equal(ri.ifname, TST_IF);
	assert_int_equal(ri.mtu, mtu);
}

static void assert_no_route(const char *dst)
{
	struct ifs_addr a = addr(dst);
	struct netif_route_info ri;

	assert_int_equal(netif_route_get(&a, &ri), IFS_ERR_NOT_FOUND);
	assert_int_equal(ri.ifindex, 0);
}

static void test_tun_create_name_taken(void **state)
{
	struct fixture *f = *state;
	int fd2 = 123;

	REQUIRE_NETNS(f);
	assert_int_equal(tun_create(TST_IF, &f->fd), 0);
	assert_int_equal(tun_create(TST_IF, &fd2), IFS_ERR_EXISTS);
	assert_int_equal(fd2, -1);
	/* A name held by another kind of interface is refused as well. */
	assert_int_equal(tun_create("lo", &fd2), IFS_ERR_EXISTS);
	assert_int_equal(fd2, -1);
}

static void test_tun_create_bad_names(void **state)
{
	struct fixture *f = *state;
	int fd = 123;

	REQUIRE_NETNS(f);
	assert_int_equal(tun_create("", &fd), IFS_ERR_INVAL);
	assert_int_equal(fd, -1);
	/* 16 characters: one more than an interface name holds. */
	assert_int_equal(tun_create("abcdefghijklmnop", &fd), IFS_ERR_INVAL);
	/* The kernel would pick a name itself. */
	assert_int_equal(tun_create("tst%d", &fd), IFS_ERR_INVAL);
	assert_int_equal(fd, -1);
}

static void test_tun_close_removes_interface(void **state)
{
	struct fixture *f = *state;
	unsigned idx;

	REQUIRE_NETNS(f);
	assert_int_equal(tun_create(TST_IF, &f->fd), 0);
	assert_int_equal(netif_index(TST_IF, &idx), 0);
	assert_true(idx != 0);
	tun_close(f->fd);
	f->fd = -1;
	assert_true(poll_until(is_gone, TST_IF, POLL_TIMEOUT_MS));
	assert_int_equal(netif_index(TST_IF, &idx), IFS_ERR_NOT_FOUND);
	assert_int_equal(idx, 0);
}

static void test_netif_connected_route(void **state)
{
	struct fixture *f = *state;

	REQUIRE_NETNS(f);
	tst_configure(f);
	/* The prefix routes of both addresses, with the interface MTU. */
	assert_route_via(f, "198.51.100.2", TST_MTU);
	assert_route_via(f, "2001:db8:1::2", TST_MTU);
}

static void test_netif_route_add_del(void **state)
{
	struct fixture *f = *state;
	struct ifs_prefix r4 = pfx("203.0.113.64/26", true);
	struct ifs_prefix r6 = pfx("2001:db8:2:2::/64", true);

	REQUIRE_NETNS(f);
	tst_configure(f);
	assert_no_route("203.0.113.70");
	assert_int_equal(netif_route_add(f->ifindex, &r4), 0);
	assert_int_equal(netif_route_add(f->ifindex, &r6), 0);
	assert_route_via(f, "203.0.113.70", TST_MTU);
	assert_route_via(f, "2001:db8:2:2::5", TST_MTU);

	/* A second add is the kernel's EEXIST, reported, not replaced. */
	errno = 0;
	assert_int_equal(netif_route_add(f->ifindex, &r4), IFS_ERR_SYS);
	assert_int_equal(errno, EEXIST);
	errno = 0;
	assert_int_equal(netif_route_add(f->ifindex, &r6), IFS_ERR_SYS);
	assert_int_equal(errno, EEXIST);

	assert_int_equal(netif_route_del(f->ifindex, &r4), 0);
	assert_int_equal(netif_route_del(f->ifindex, &r6), 0);
	assert_no_route("203.0.113.70");
	assert_no_route("2001:db8:2:2::5");
	errno = 0;
	assert_int_equal(netif_route_del(f->ifindex, &r4), IFS_ERR_SYS);
	assert_int_equal(errno, ESRCH);
}

/*
 * The mode must be what we asked before the device goes up. Recent
 * kernels also switch a MAC-less device from eui64 to random by
 * themselves at "up", so only a look before that proves our request.
 */
static void test_netif_addr_gen_mode(void **state)
{
	struct fixture *f = *state;
	const char *is_random = IP_CMD "-d link show " TST_IF
		" | grep -q 'addrgenmode random'";

	REQUIRE_NETNS(f);
	assert_int_equal(tun_create(TST_IF, &f->fd), 0);
	assert_int_equal(netif_index(TST_IF, &f->ifindex), 0);
	assert_int_not_equal(system(is_random), 0);
	assert_int_equal(netif_set_addr_gen_random(f->ifindex), 0);
	assert_int_equal(system(is_random), 0);
}

static int read_accept_ra(void)
{
	char buf[8] = { 0 };
	FILE *fp = fopen("/proc/sys/net/ipv6/conf/" TST_IF "/accept_ra", "r");

	assert_non_null(fp);
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	return atoi(buf);
}

/* No router advertisements on a tunnel, and so no router solicitations:
 * once up, the interface sends nothing by itself (it has no ARP, so no
 * DAD or MLD either), which would otherwise start trap initiations. */
static void test_netif_no_router_solicitation(void **state)
{
	struct fixture *f = *state;
	struct pollfd pfd;

	REQUIRE_NETNS(f);
	assert_int_equal(tun_create(TST_IF, &f->fd), 0);
	assert_int_equal(netif_index(TST_IF, &f->ifindex), 0);
	assert_int_not_equal(read_accept_ra(), 0);
	assert_int_equal(netif_set_addr_gen_random(f->ifindex), 0);
	assert_int_equal(netif_ignore_router_adverts(TST_IF), 0);
	assert_int_equal(read_accept_ra(), 0);
	assert_int_equal(netif_set_up(f->ifindex), 0);
	assert_true(poll_until(has_link_local, TST_IF, POLL_TIMEOUT_MS));
	/* the kernel's first solicitation goes right after the link-local
	 * address is there; none comes */
	pfd = (struct pollfd){ .fd = f->fd, .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 500), 0);
	assert_int_equal(netif_ignore_router_adverts("no/such"), IFS_ERR_INVAL);
	assert_int_equal(netif_ignore_router_adverts(""), IFS_ERR_INVAL);
}

static void test_netif_link_local(void **state)
{
	struct fixture *f = *state;

	REQUIRE_NETNS(f);
	tst_configure(f);
	/* A TUN has no MAC to derive an EUI-64 from; with the random mode
	 * it gets the link-local address OSPFv3 needs once it is up. */
	assert_true(poll_until(has_link_local, TST_IF, POLL_TIMEOUT_MS));
}

static void test_netif_route_mtu_metric(void **state)
{
	struct fixture *f = *state;

	REQUIRE_NETNS(f);
	tst_configure(f);
	assert_int_equal(system(IP_CMD "route add 203.0.113.128/26 dev "
				TST_IF " mtu 1300"), 0);
	assert_int_equal(system(IP_CMD "-6 route add 2001:db8:2:3::/64 dev "
				TST_IF " mtu 1280"), 0);
	assert_route_via(f, "203.0.113.130", 1300);
	assert_route_via(f, "2001:db8:2:3::1", 1280);
	/* Beside it, a route without the metric still has the link's. */
	assert_route_via(f, "198.51.100.2", TST_MTU);
}

static void test_netif_route_get_unreachable(void **state)
{
	struct fixture *f = *state;

	REQUIRE_NETNS(f);
	tst_configure(f);
	/* No default route in a fresh namespace. */
	assert_no_route("192.0.2.1");
	assert_no_route("2001:db8::1");
}

static void test_netif_bad_arguments(void **state)
{
	struct fixture *f = *state;
	struct ifs_prefix bad_len = pfx("203.0.113.0/26", true);
	struct ifs_prefix host_bits = pfx("203.0.113.65/26", false);
	struct ifs_prefix ok = pfx("203.0.113.0/26", true);
	struct ifs_addr none = { .family = AF_UNSPEC };
	struct netif_route_info ri;
	unsigned idx = 7;

	REQUIRE_NETNS(f);
	tst_configure(f);
	bad_len.len = 33;
	assert_int_equal(netif_index("nosuchif", &idx), IFS_ERR_NOT_FOUND);
	assert_int_equal(idx, 0);
	assert_int_equal(netif_index("", &idx), IFS_ERR_INVAL);
	assert_int_equal(netif_set_mtu(0, TST_MTU), IFS_ERR_INVAL);
	assert_int_equal(netif_addr_add(f->ifindex, &bad_len), IFS_ERR_INVAL);
	assert_int_equal(netif_route_add(f->ifindex, &bad_len), IFS_ERR_INVAL);
	assert_int_equal(netif_route_add(f->ifindex, &host_bits),
			 IFS_ERR_INVAL);
	assert_int_equal(netif_route_get(&none, &ri), IFS_ERR_INVAL);

	/* The kernel's refusals come back as errno. */
	errno = 0;
	assert_int_equal(netif_set_mtu(f->ifindex + 100, TST_MTU),
			 IFS_ERR_SYS);
	assert_int_equal(errno, ENODEV);
	errno = 0;
	assert_int_equal(netif_set_mtu(f->ifindex, 10), IFS_ERR_SYS);
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_int_equal(netif_route_add(f->ifindex + 100, &ok), IFS_ERR_SYS);
	assert_int_equal(errno, ENODEV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, netns_setup, netns_teardown)
		T(test_tun_create_name_taken),
		T(test_tun_create_bad_names),
		T(test_tun_close_removes_interface),
		T(test_netif_connected_route),
		T(test_netif_route_add_del),
		T(test_netif_addr_gen_mode),
		T(test_netif_link_local),
		T(test_netif_no_router_solicitation),
		T(test_netif_route_mtu_metric),
		T(test_netif_route_get_unreachable),
		T(test_netif_bad_arguments),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
