/* SPDX-License-Identifier: BSD-2-Clause */
#include "net/sock.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/cur.h"

#define SOCK_BUF_BYTES (4 * 1024 * 1024)

static int open_bound(const struct ifs_addr *local, int type, int proto,
		      uint16_t port, int *fd_out)
{
	struct sockaddr_storage ss;
	socklen_t ss_len;
	int fd, buf = SOCK_BUF_BYTES, saved;

	*fd_out = -1;
	fd = socket(local->family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return IFS_ERR_SYS;
	/* Larger buffers absorb bursts between two batches; the kernel
	 * caps them at its own limits (SO_*BUFFORCE would ignore them). */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	/* A UDP socket bound to an IPv6 address takes no IPv4 (raw sockets
	 * refuse the option: they are per family anyway). */
	if (local->family == AF_INET6 && type == SOCK_DGRAM) {
		int on = 1;

		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) < 0)
			goto fail;
	}
	addr_to_sockaddr(local, port, &ss, &ss_len);
	if (bind(fd, (struct sockaddr *)&ss, ss_len) < 0)
		goto fail;
	*fd_out = fd;
	return 0;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return IFS_ERR_SYS;
}

int sock_open_udp(const struct ifs_addr *local, uint16_t port, int *fd_out)
{
	return open_bound(local, SOCK_DGRAM, IPPROTO_UDP, port, fd_out);
}

int sock_open_esp(const struct ifs_addr *local, int *fd_out)
{
	return open_bound(local, SOCK_RAW, IPPROTO_ESP, 0, fd_out);
}

bool sock_esp_payload_offset(int family, const uint8_t *buf, size_t len,
			     size_t *offset)
{
	uint8_t vihl;
	struct cur c;
	size_t hlen;

	*offset = 0;
	if (family != AF_INET)
		return true;
	cur_init(&c, buf, len);
	if (!cur_u8(&c, &vihl) || vihl >> 4 != 4)
		return false;
	hlen = (size_t)(vihl & 0x0f) * 4;
	if (hlen < 20 || hlen > len)
		return false;
	*offset = hlen;
	return true;
}

bool sock_enable_udp_gro(int fd)
{
	int on = 1;

	return setsockopt(fd, IPPROTO_UDP, UDP_GRO, &on, sizeof(on)) == 0;
}

size_t sock_udp_gro_size(const struct msghdr *mh)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR((struct msghdr *)mh, c)) {
		int size;

		if (c->cmsg_level != IPPROTO_UDP || c->cmsg_type != UDP_GRO ||
		    c->cmsg_len < CMSG_LEN(sizeof(size)))
			continue;
		memcpy(&size, CMSG_DATA(c), sizeof(size));
		return size > 0 ? (size_t)size : 0;
	}
	return 0;
}

void sock_set_udp_gso(struct msghdr *mh, void *ctl, uint16_t size)
{
	struct cmsghdr *c;

	mh->msg_control = ctl;
	mh->msg_controllen = SOCK_UDP_GSO_CTL;
	c = CMSG_FIRSTHDR(mh);
	c->cmsg_level = IPPROTO_UDP;
	c->cmsg_type = UDP_SEGMENT;
	c->cmsg_len = CMSG_LEN(sizeof(size));
	memcpy(CMSG_DATA(c), &size, sizeof(size));
}
