/* SPDX-License-Identifier: BSD-2-Clause */
#include "ifsecctl/client.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/cur.h"

/* Requests carry a few short key/values: this bounds what we send. */
#define CLIENT_REQ_MAX 4096

static int fail(struct client *c, int err, const char *fmt, ...) IFS_PRINTF(3, 4);

static int fail(struct client *c, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return err;
}

int client_set_timeout(struct client *c, unsigned timeout_s)
{
	struct timeval tv = { .tv_sec = timeout_s };

	if (setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
	    setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0)
		return fail(c, IFS_ERR_SYS, "setsockopt: %s", strerror(errno));
	return 0;
}

static int open_socket(struct client *c, const char *path, unsigned timeout_s)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int err;

	*c = (struct client){ .fd = -1 };
	snprintf(c->path, sizeof(c->path), "%s", path);
	if (strlen(path) >= sizeof(sun.sun_path))
		return fail(c, IFS_ERR_RANGE, "socket path too long: %s", path);
	memcpy(sun.sun_path, path, strlen(path) + 1);
	err = vici_reader_init(&c->r, VICI_MAX_PACKET);
	if (err)
		return fail(c, err, "%s", ifs_strerror(err));
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return fail(c, IFS_ERR_SYS, "socket: %s", strerror(errno));
	err = client_set_timeout(c, timeout_s);
	if (err)
		return err;
	if (connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		int e = errno;

		return fail(c, IFS_ERR_SYS, "cannot connect to %s: %s%s", path, strerror(e),
			    e == ENOENT || e == ECONNREFUSED ? " (is ifsecd running?)" : "");
	}
	return 0;
}

int client_open(struct client *c, const char *path, unsigned timeout_s)
{
	int err = open_socket(c, path, timeout_s);

	if (err)
		client_close(c);
	return err;
}

void client_close(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	vici_reader_clear(&c->r);
}

static int send_all(struct client *c, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(c, IFS_ERR_SYS, "write to %s: %s", c->path,
				    errno == EAGAIN ? "timed out" : strerror(errno));
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Build one packet into buf; kv as in client_call(). */
static int build_request(struct client *c, uint8_t *buf, size_t cap,
			 const char *name, const char *const *kv, size_t n_kv,
			 size_t *len)
{
	struct wbuf w;
	struct vici_builder b;
	int err;

	wbuf_init(&w, buf, cap);
	vici_build_packet(&b, &w, VICI_CMD_REQUEST, name);
	for (size_t i = 0; i < n_kv; i++)
		if (kv[2 * i + 1])
			vici_kv_str(&b, kv[2 * i], kv[2 * i + 1]);
	err = vici_build_finish(&b, len);
	if (err)
		return fail(c, err, "cannot build the %s request: %s", name, ifs_strerror(err));
	return 0;
}

/* (Un)register an event: a packet that carries only its name. */
static int send_event_toggle(struct client *c, enum vici_pkt type, const char *event)
{
	uint8_t buf[VICI_LEN_HDR + 2 + VICI_NAME_MAX];
	struct wbuf w;
	struct vici_builder b;
	size_t len;
	int err;

	wbuf_init(&w, buf, sizeof(buf));
	vici_build_packet(&b, &w, type, event);
	err = vici_build_finish(&b, &len);
	if (err)
		return fail(c, err, "cannot build the %s packet: %s", vici_pkt_name(type),
			    ifs_strerror(err));
	return send_all(c, buf, len);
}

/* 1 when the socket can be read, 0 when the caller asked to stop. Only
 * while listening: otherwise the socket's own timeout bounds a read. */
static int wait_readable(struct client *c)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };

	if (!c->is_stopping)
		return 1;
	while (!*c->is_stopping) {
		if (ppoll(&pfd, 1, NULL, c->wait_mask) > 0)
			return 1;
		if (errno != EINTR)
			return fail(c, IFS_ERR_SYS, "poll: %s", strerror(errno));
	}
	return 0;
}

/*
 * The next packet from the socket: 0, 1 when the caller asked to stop
 * before one came (listening only), or an error. Its message is parsed
 * into *msg (NULL for packets that carry none) so that nothing stays
 * borrowed from the reader.
 */
static int recv_packet(struct client *c, struct vici_packet *pkt, struct vici_msg **msg)
{
	*msg = NULL;
	for (;;) {
		struct cur in;
		ssize_t n;
		int rc;

		cur_init(&in, c->in + c->in_off, c->in_len - c->in_off);
		rc = vici_reader_push(&c->r, &in, pkt);
		c->in_off = c->in_len - cur_left(&in);
		if (rc == IFS_ERR_RANGE)
			return fail(c, rc, "%s sent a packet over %u bytes", c->path,
				    VICI_MAX_PACKET);
		if (rc < 0)
			return fail(c, rc, "bad packet from %s: %s", c->path, ifs_strerror(rc));
		if (rc == 1)
			break;
		rc = wait_readable(c);
		if (rc <= 0)
			return rc == 0 ? 1 : rc;
		n = recv(c->fd, c->in, sizeof(c->in), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(c, IFS_ERR_SYS, "read from %s: %s", c->path,
				    errno == EAGAIN ? "timed out" : strerror(errno));
		if (n == 0)
			return fail(c, IFS_ERR_SYS, "%s closed the connection", c->path);
		c->in_len = (size_t)n;
		c->in_off = 0;
	}
	if (vici_pkt_has_msg(pkt->type)) {
		int rc = vici_msg_parse(pkt->msg, pkt->msg_len, msg);

		if (rc)
			return fail(c, rc, "bad %s message from %s: %s",
				    vici_pkt_name(pkt->type), c->path, ifs_strerror(rc));
	}
	return 0;
}

/* (Un)register event and wait for its confirmation; events that arrive
 * meanwhile (from an earlier registration) are dropped. */
static int event_toggle(struct client *c, enum vici_pkt type, const char *event)
{
	int err = send_event_toggle(c, type, event);

	while (!err) {
		struct vici_packet pkt;
		struct vici_msg *m;

		err = recv_packet(c, &pkt, &m);
		vici_msg_free(m);
		if (err)
			break;
		if (pkt.type == VICI_EVENT_CONFIRM)
			return 0;
		if (pkt.type == VICI_EVENT_UNKNOWN)
			return fail(c, IFS_ERR_NOT_FOUND, "the daemon knows no event %s", event);
		if (pkt.type != VICI_EVENT)
			return fail(c, IFS_ERR_SYNTAX, "unexpected %s from %s",
				    vici_pkt_name(pkt.type), c->path);
	}
	return err;
}

static int wait_response(struct client *c, const char *cmd, const char *event,
			 client_event_fn on_event, void *arg, struct vici_msg **resp)
{
	for (;;) {
		struct vici_packet pkt;
		struct vici_msg *m;
		int err = recv_packet(c, &pkt, &m);

		if (err)
			return err;
		switch (pkt.type) {
		case VICI_CMD_RESPONSE:
			*resp = m;
			return 0;
		case VICI_CMD_UNKNOWN:
			return fail(c, IFS_ERR_NOT_FOUND, "the daemon knows no command %s", cmd);
		case VICI_EVENT:
			if (event && on_event && strcmp(pkt.name, event) == 0)
				err = on_event(arg, pkt.name, vici_msg_root(m));
			vici_msg_free(m);
			if (err)
				return err;
			break;
		default:
			vici_msg_free(m);
			return fail(c, IFS_ERR_SYNTAX, "unexpected %s from %s",
				    vici_pkt_name(pkt.type), c->path);
		}
	}
}

int client_call_packet(struct client *c, const char *cmd, const uint8_t *req,
		       size_t len, const char *event, client_event_fn on_event,
		       void *arg, struct vici_msg **resp)
{
	int err = 0;

	*resp = NULL;
	c->err[0] = '\0';
	if (event)
		err = event_toggle(c, VICI_EVENT_REGISTER, event);
	if (!err)
		err = send_all(c, req, len);
	if (!err)
		err = wait_response(c, cmd, event, on_event, arg, resp);
	if (!err && event)
		err = event_toggle(c, VICI_EVENT_UNREGISTER, event);
	if (err) {
		vici_msg_free(*resp);
		*resp = NULL;
	}
	return err;
}

int client_call(struct client *c, const char *cmd, const char *const *kv,
		size_t n_kv, const char *event, client_event_fn on_event,
		void *arg, struct vici_msg **resp)
{
	uint8_t buf[CLIENT_REQ_MAX];
	size_t len;
	int err = build_request(c, buf, sizeof(buf), cmd, kv, n_kv, &len);

	*resp = NULL;
	if (err)
		return err;
	return client_call_packet(c, cmd, buf, len, event, on_event, arg, resp);
}

int client_listen(struct client *c, const char *event, client_event_fn on_event,
		  void *arg, const volatile sig_atomic_t *is_stopping,
		  const sigset_t *wait_mask)
{
	int err;

	c->err[0] = '\0';
	c->is_stopping = is_stopping;
	c->wait_mask = wait_mask;
	err = event_toggle(c, VICI_EVENT_REGISTER, event);
	while (!err) {
		struct vici_packet pkt;
		struct vici_msg *m;

		err = recv_packet(c, &pkt, &m);
		if (err)
			break;
		if (pkt.type != VICI_EVENT)
			err = fail(c, IFS_ERR_SYNTAX, "unexpected %s from %s",
				   vici_pkt_name(pkt.type), c->path);
		else if (strcmp(pkt.name, event) == 0)
			err = on_event(arg, pkt.name, vici_msg_root(m));
		vici_msg_free(m);
	}
	c->is_stopping = NULL;
	c->wait_mask = NULL;
	return err == 1 ? 0 : err;
}
