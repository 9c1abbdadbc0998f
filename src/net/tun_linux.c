/* SPDX-License-Identifier: BSD-2-Clause */
#include "net/tun.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/*
 * Linux TUN devices through /dev/net/tun. The device is not made
 * persistent (no TUNSETPERSIST): when the last descriptor closes, the
 * kernel removes the interface together with its addresses and routes,
 * so a crashed daemon leaves nothing behind.
 */

#define TUN_CLONE_DEV "/dev/net/tun"

/*
 * Flags for every queue: layer 3, no 4-byte packet-information header in
 * front of each packet (the IP version nibble tells v4 from v6), and a
 * virtio_net_hdr instead, which lets the kernel hand over TCP segments of
 * up to 64 KB and leave checksums to us (TUN_OFFLOADS): one read instead
 * of forty. When the workers get a queue each, IFF_MULTI_QUEUE is added
 * here and tun_open_queue() is called once per queue.
 */
#define TUN_QUEUE_FLAGS (IFF_TUN | IFF_NO_PI | IFF_VNET_HDR)
#define TUN_OFFLOADS (TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6)

/*
 * Names the kernel would accept but that we must not pass on: "%d"
 * would let the kernel choose the name, and the caller would then hold a
 * device under a name it doesn't know.
 */
static bool tun_name_ok(const char *ifname)
{
	size_t n;

	if (ifname == NULL)
		return false;
	n = strlen(ifname);
	if (n == 0 || n >= IFNAMSIZ)
		return false;
	return strchr(ifname, '%') == NULL;
}

/* Keep the first failure's errno across the close() of the cleanup. */
static void close_keep_errno(int fd)
{
	int saved = errno;

	close(fd);
	errno = saved;
}

/*
 * Open one queue of the device ifname. With is_excl the kernel refuses
 * a name that exists already (EBUSY), whatever kind of interface holds
 * it: this closes the race between our if_nametoindex() check and the
 * creation.
 */
static int tun_open_queue(const char *ifname, short flags, bool is_excl,
			  int *fd_out)
{
	struct ifreq ifr;
	int fd;

	*fd_out = -1;
	fd = open(TUN_CLONE_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return IFS_ERR_SYS;

	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	ifr.ifr_flags = flags;
	if (is_excl)
		ifr.ifr_flags |= IFF_TUN_EXCL;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		int err = (errno == EBUSY || errno == EEXIST) ?
			IFS_ERR_EXISTS : IFS_ERR_SYS;

		close_keep_errno(fd);
		return err;
	}
	if (ioctl(fd, TUNSETVNETHDRSZ, &(int){ sizeof(struct virtio_net_hdr) }) < 0 ||
	    ioctl(fd, TUNSETOFFLOAD, (unsigned long)TUN_OFFLOADS) < 0) {
		close_keep_errno(fd);
		return IFS_ERR_SYS;
	}
	*fd_out = fd;
	return 0;
}

int tun_create(const char *ifname, int *fd_out)
{
	*fd_out = -1;
	if (!tun_name_ok(ifname))
		return IFS_ERR_INVAL;
	/* Never attach to someone else's device, tun or not: an existing
	 * name is the operator's mistake to report. */
	if (if_nametoindex(ifname) != 0) {
		errno = EEXIST;
		return IFS_ERR_EXISTS;
	}
	return tun_open_queue(ifname, TUN_QUEUE_FLAGS, true, fd_out);
}

void tun_close(int fd)
{
	if (fd >= 0)
		close_keep_errno(fd);
}
