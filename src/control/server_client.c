/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the VICI server does with a client's packets (see server.h):
 * requests to their handlers, responses now or deferred, event
 * registration, events to one client or to all that registered.
 *
 * Packets are built in slots: a few response-sized buffers that the
 * server owns, so that a handler can stream an event (one slot) while its
 * response (another slot) is half built, and a log line can be
 * broadcast in the middle of both. A finished packet is copied to the
 * client's output buffer, whose length is the client's queue bound.
 */
#include "control/server_priv.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

/* ---- Slots ------------------------------------------------------------- */

static struct ctl_slot *slot_get(struct ctl_server *srv)
{
	size_t cap = srv->max_response_len + VICI_LEN_HDR;
	struct ctl_slot *s = NULL;

	for (size_t i = 0; i < CTL_N_SLOTS && !s; i++) {
		if (!srv->slots[i].is_used)
			s = &srv->slots[i];
	}
	if (IFS_BUG(!s))        /* packets nested deeper than CTL_N_SLOTS */
		return NULL;
	if (!s->buf)
		s->buf = malloc(cap);
	if (!s->buf)
		return NULL;
	wbuf_init(&s->w, s->buf, cap);
	s->ev = -1;
	s->is_used = true;
	return s;
}

static struct ctl_slot *slot_of(struct ctl_server *srv, struct vici_builder *b)
{
	for (size_t i = 0; i < CTL_N_SLOTS; i++) {
		if (srv->slots[i].is_used && &srv->slots[i].b == b)
			return &srv->slots[i];
	}
	return NULL;
}

static void slot_put(struct ctl_slot *s)
{
	s->is_used = false;
}

void ctl_srv_slots_clear(struct ctl_server *srv)
{
	for (size_t i = 0; i < CTL_N_SLOTS; i++) {
		free(srv->slots[i].buf);
		srv->slots[i].buf = NULL;
	}
}

/* ---- Sending ------------------------------------------------------------- */

static bool fits(const struct ctl_client *c, size_t len)
{
	size_t max = c->srv->max_queued_len;

	return len <= max && evbuffer_get_length(c->out) <= max - len;
}

/*
 * Queue a packet; a client that let max_queued_len pile up is not reading
 * and goes, so that it pins no more memory than that. The loop writes
 * only between handlers, so a handler that streams many events (list-sas
 * with thousands of SAs) would fill the queue of a client that reads
 * well: before giving up, hand the kernel what it takes now.
 */
static int client_send(struct ctl_client *c, const uint8_t *p, size_t len)
{
	if (c->is_closing)
		return IFS_ERR_NOT_FOUND;
	if (!fits(c, len) && ctl_srv_client_flush(c) < 0)
		return IFS_ERR_SYS;
	if (!fits(c, len)) {
		c->srv->st.slow_disconnects++;
		log_debug("control: client %llu does not read, disconnected",
			  (unsigned long long)c->id);
		ctl_srv_client_close(c);
		return IFS_ERR_FULL;
	}
	if (evbuffer_add(c->out, p, len) < 0) {
		ctl_srv_client_close(c);
		return IFS_ERR_NOMEM;
	}
	event_add(c->write_ev, NULL);
	return 0;
}

/* CMD_UNKNOWN, EVENT_CONFIRM, EVENT_UNKNOWN: a type byte and no more. */
static void send_bare(struct ctl_client *c, enum vici_pkt type)
{
	uint8_t buf[VICI_LEN_HDR + 1];
	struct vici_builder b;
	struct wbuf w;
	size_t len;

	wbuf_init(&w, buf, sizeof(buf));
	vici_build_packet(&b, &w, type, NULL);
	if (vici_build_finish(&b, &len) == 0)
		(void)client_send(c, buf, len);
}

/* Finish the packet in s and queue it for c; the slot is released. */
static int slot_send(struct ctl_client *c, struct ctl_slot *s)
{
	size_t len;
	int rc;

	rc = vici_build_finish(&s->b, &len);
	if (rc == 0)
		rc = client_send(c, s->buf, len);
	slot_put(s);
	return rc;
}

/* ---- Responses --------------------------------------------------------- */

/* Start a CMD_RESPONSE again in s, dropping what was built. */
static void slot_restart_response(struct ctl_slot *s)
{
	wbuf_init(&s->w, s->buf, s->w.cap);
	vici_build_packet(&s->b, &s->w, VICI_CMD_RESPONSE, NULL);
}

static void build_failure(struct ctl_slot *s, const char *errmsg)
{
	slot_restart_response(s);
	vici_kv_str(&s->b, "success", "no");
	vici_kv_str(&s->b, "errmsg", errmsg);
}

/* The request is answered: let the next packets of c in. */
static void request_done(struct ctl_client *c)
{
	c->is_waiting = false;
	c->cancel = NULL;
	c->cancel_arg = NULL;
	c->needs_resume = true;
	event_active(c->srv->work_ev, EV_READ, 0);
}

/* Send the response in s (success=no in its place if the builder failed). */
static int respond(struct ctl_client *c, struct ctl_slot *s)
{
	size_t len;
	int rc;

	rc = vici_build_finish(&s->b, &len);
	if (rc < 0) {
		build_failure(s, rc == IFS_ERR_FULL || rc == IFS_ERR_RANGE ?
			      "response too large" : "response malformed");
	}
	request_done(c);
	return slot_send(c, s);
}

static int respond_errmsg(struct ctl_client *c, const char *errmsg)
{
	struct ctl_slot *s = slot_get(c->srv);

	if (!s) {
		request_done(c);
		ctl_srv_client_close(c);
		return IFS_ERR_NOMEM;
	}
	vici_build_packet(&s->b, &s->w, VICI_CMD_RESPONSE, NULL);
	build_failure(s, errmsg);
	return respond(c, s);
}

int ctl_client_fail(struct ctl_client *c, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
	va_end(ap);
	return err < 0 ? err : IFS_ERR_INVAL;
}

int ctl_client_defer(struct ctl_client *c, ctl_cancel_fn cancel, void *arg)
{
	c->cancel = cancel;
	c->cancel_arg = arg;
	return CTL_PENDING;
}

struct vici_builder *ctl_client_respond_begin(struct ctl_client *c)
{
	struct ctl_slot *s;

	if (IFS_BUG(!c->is_waiting))
		return NULL;
	s = slot_get(c->srv);
	if (!s) {
		request_done(c);
		ctl_srv_client_close(c);
		return NULL;
	}
	vici_build_packet(&s->b, &s->w, VICI_CMD_RESPONSE, NULL);
	return &s->b;
}

int ctl_client_respond_end(struct ctl_client *c, struct vici_builder *b)
{
	struct ctl_slot *s = slot_of(c->srv, b);

	if (IFS_BUG(!s || !c->is_waiting))
		return IFS_ERR_INVAL;
	return respond(c, s);
}

int ctl_client_respond_fail(struct ctl_client *c, const char *fmt, ...)
{
	char errmsg[CTL_ERRMSG_MAX + 1];
	va_list ap;

	if (IFS_BUG(!c->is_waiting))
		return IFS_ERR_INVAL;
	va_start(ap, fmt);
	vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	va_end(ap);
	return respond_errmsg(c, errmsg);
}

/* ---- Events ------------------------------------------------------------ */

int ctl_srv_find_event(const struct ctl_server *srv, const char *name)
{
	for (size_t i = 0; i < srv->n_events; i++) {
		if (strcmp(srv->events[i], name) == 0)
			return (int)i;
	}
	return -1;
}

static bool is_registered(const struct ctl_client *c, int ev)
{
	return ev >= 0 && !c->is_closing && (c->events & (UINT64_C(1) << ev));
}

static struct vici_builder *event_begin(struct ctl_server *srv, int ev)
{
	struct ctl_slot *s = slot_get(srv);

	if (!s)
		return NULL;
	s->ev = ev;
	vici_build_packet(&s->b, &s->w, VICI_EVENT, srv->events[ev]);
	return &s->b;
}

struct vici_builder *ctl_client_event_begin(struct ctl_client *c, const char *name)
{
	int ev = ctl_srv_find_event(c->srv, name);

	if (!is_registered(c, ev))
		return NULL;
	return event_begin(c->srv, ev);
}

int ctl_client_event_end(struct ctl_client *c, struct vici_builder *b)
{
	struct ctl_slot *s = slot_of(c->srv, b);
	int rc;

	if (IFS_BUG(!s))
		return IFS_ERR_INVAL;
	rc = slot_send(c, s);
	if (rc == 0)
		c->srv->st.events_sent++;
	return rc;
}

struct vici_builder *ctl_server_broadcast_begin(struct ctl_server *srv,
						const char *name)
{
	int ev = ctl_srv_find_event(srv, name);

	for (struct ctl_client *c = srv->clients; c; c = c->next) {
		if (is_registered(c, ev))
			return event_begin(srv, ev);
	}
	return NULL;
}

/* Sent to every client registered for the event named in the packet. */
int ctl_server_broadcast_end(struct ctl_server *srv, struct vici_builder *b)
{
	struct ctl_slot *s = slot_of(srv, b);
	size_t len;
	int rc;

	if (IFS_BUG(!s || s->ev < 0))
		return IFS_ERR_INVAL;
	rc = vici_build_finish(b, &len);
	for (struct ctl_client *c = srv->clients; c && rc == 0; c = c->next) {
		if (is_registered(c, s->ev) && client_send(c, s->buf, len) == 0)
			srv->st.events_sent++;
	}
	slot_put(s);
	return rc;
}

static void handle_register(struct ctl_client *c, const struct vici_packet *pkt)
{
	int ev = ctl_srv_find_event(c->srv, pkt->name);

	if (ev < 0) {
		send_bare(c, VICI_EVENT_UNKNOWN);
		return;
	}
	if (pkt->type == VICI_EVENT_REGISTER)
		c->events |= UINT64_C(1) << ev;
	else
		c->events &= ~(UINT64_C(1) << ev);
	send_bare(c, VICI_EVENT_CONFIRM);
}

/* ---- Requests ---------------------------------------------------------- */

const struct ctl_cmd *ctl_srv_find_command(const struct ctl_server *srv,
					    const char *name)
{
	for (size_t i = 0; i < srv->n_cmds; i++) {
		if (strcmp(srv->cmds[i].name, name) == 0)
			return &srv->cmds[i];
	}
	return NULL;
}

static void run_handler(struct ctl_client *c, const struct ctl_cmd *cmd,
			const struct vici_node *req)
{
	struct ctl_slot *s = slot_get(c->srv);
	int rc;

	if (!s) {
		request_done(c);
		ctl_srv_client_close(c);
		return;
	}
	vici_build_packet(&s->b, &s->w, VICI_CMD_RESPONSE, NULL);
	c->errmsg[0] = '\0';
	c->cancel = NULL;
	c->cancel_arg = NULL;
	rc = cmd->fn(cmd->ctx, c, req, &s->b);
	if (rc == CTL_PENDING) {
		slot_put(s);
		return;
	}
	if (rc < 0)
		build_failure(s, c->errmsg[0] ? c->errmsg : ifs_strerror(rc));
	(void)respond(c, s);
}

/*
 * A request whose message does not parse is a broken client and goes; one
 * that parses but is over the parser's depth or element limits, or meets
 * a lack of memory, is a request we refuse: success=no, as charon answers
 * a request it cannot serve.
 */
static void handle_request(struct ctl_client *c, const struct vici_packet *pkt)
{
	struct ctl_server *srv = c->srv;
	const struct ctl_cmd *cmd;
	struct vici_msg *m = NULL;
	int rc;

	srv->st.requests++;
	rc = vici_msg_parse(pkt->msg, pkt->msg_len, &m);
	if (rc == IFS_ERR_SYNTAX) {
		srv->st.malformed++;
		log_debug("control: client %llu sent a malformed %s request",
			  (unsigned long long)c->id, pkt->name);
		ctl_srv_client_close(c);
		return;
	}
	cmd = ctl_srv_find_command(srv, pkt->name);
	if (!cmd) {
		srv->st.unknown_commands++;
		send_bare(c, VICI_CMD_UNKNOWN);
	} else {
		c->is_waiting = true;
		if (rc < 0)
			(void)respond_errmsg(c, rc == IFS_ERR_RANGE ?
					     "request too complex" : ifs_strerror(rc));
		else
			run_handler(c, cmd, vici_msg_root(m));
	}
	vici_msg_free(m);
}

void ctl_srv_handle_packet(struct ctl_client *c, const struct vici_packet *pkt)
{
	switch (pkt->type) {
	case VICI_CMD_REQUEST:
		handle_request(c, pkt);
		break;
	case VICI_EVENT_REGISTER:
	case VICI_EVENT_UNREGISTER:
		handle_register(c, pkt);
		break;
	default:        /* only the server sends these */
		c->srv->st.malformed++;
		log_debug("control: client %llu sent a %s packet",
			  (unsigned long long)c->id, vici_pkt_name(pkt->type));
		ctl_srv_client_close(c);
		break;
	}
}
