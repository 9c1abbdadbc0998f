/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_CONTROL_SERVER_PRIV_H
#define IFS_CONTROL_SERVER_PRIV_H

/*
 * The server's insides, shared by server.c (socket, clients, reading)
 * and server_client.c (dispatch, responses, events) only; everyone else
 * sees opaque types through server.h.
 */
#include "control/server.h"

#include <sys/un.h>

#define CTL_N_SLOTS 8u          /* packets under construction at once */

struct bufferevent;
struct event;
struct evbuffer;

struct ctl_cmd {
	char name[CTL_NAME_MAX + 1];
	ctl_cmd_fn fn;
	void *ctx;
};

/* A packet being built, in a buffer of max_response_len + VICI_LEN_HDR
 * allocated on first use and kept. */
struct ctl_slot {
	uint8_t *buf;
	struct wbuf w;
	struct vici_builder b;
	int ev;                     /* an EVENT's index in srv->events */
	bool is_used;
};

struct ctl_client {
	struct ctl_server *srv;
	struct ctl_client *prev, *next;
	struct bufferevent *bev;    /* input, EOF; owns the descriptor */
	struct evbuffer *out;       /* output, bounded by max_queued_len */
	struct event *write_ev;     /* pending while out holds bytes */
	struct vici_reader rd;
	uint64_t id;
	uint64_t events;            /* bit i: registered for srv->events[i] */
	bool is_closing;
	bool is_eof;                /* the client will send no more: answer, then close */
	bool is_waiting;            /* a request is being handled or deferred */
	bool needs_resume;          /* handle the packets that queued meanwhile */
	ctl_cancel_fn cancel;
	void *cancel_arg;
	char errmsg[CTL_ERRMSG_MAX + 1];
};

struct ctl_server {
	struct event_base *base;
	struct event *listen_ev;
	struct event *pause_ev;     /* accepting again after EMFILE */
	struct event *work_ev;      /* free closing clients, resume others */
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	dev_t dev;                  /* the socket file we made, to unlink */
	ino_t ino;
	unsigned max_clients;
	size_t max_request_len, max_response_len, max_queued_len;
	struct ctl_client *clients;
	uint64_t next_id;
	struct ctl_cmd cmds[CTL_MAX_COMMANDS];
	size_t n_cmds;
	char events[CTL_MAX_EVENTS][CTL_NAME_MAX + 1];
	size_t n_events;
	struct ctl_slot slots[CTL_N_SLOTS];
	struct ctl_server_stats st;
};

/* server.c: mark c for the loop to free (never freed under a caller). */
void ctl_srv_client_close(struct ctl_client *c);
/* Close c once it sent EOF and everything it asked is answered and sent. */
void ctl_srv_client_finish_eof(struct ctl_client *c);
/* server.c: write what the kernel takes now; IFS_ERR_SYS closed c. */
int ctl_srv_client_flush(struct ctl_client *c);
/* server_client.c */
void ctl_srv_handle_packet(struct ctl_client *c, const struct vici_packet *pkt);
const struct ctl_cmd *ctl_srv_find_command(const struct ctl_server *srv,
					    const char *name);
int ctl_srv_find_event(const struct ctl_server *srv, const char *name);
void ctl_srv_slots_clear(struct ctl_server *srv);

#endif
