/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_CONTROL_SERVER_H
#define IFS_CONTROL_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "common/err.h"
#include "control/vici.h"

/*
 * The VICI server: a UNIX stream socket on the control thread's event
 * loop, its clients, the dispatch of requests to command handlers and the
 * event streams (strongSwan's vici/README.md, "Client-initiated commands"
 * and "Server-issued events"). It knows no command: the daemon registers
 * each one with its handler, and each event name it may send.
 *
 * Per client, packets are handled one at a time, in order:
 *   CMD_REQUEST       the handler of that command fills a CMD_RESPONSE,
 *                     possibly after streaming EVENTs to the same client;
 *                     an unregistered command gets CMD_UNKNOWN
 *   EVENT_REGISTER    EVENT_CONFIRM for a registered event name, else
 *   EVENT_UNREGISTER  EVENT_UNKNOWN
 * Anything else from a client, a packet or message that does not parse,
 * and a length over the request bound disconnect that client (counted);
 * the others are not disturbed. While a request waits, the client's next
 * packets wait too (up to max_request_len of them are buffered, then the
 * server stops reading from it).
 *
 * A client that shuts down its sending side gets the answers to what it
 * sent before, then is closed; one that goes away while a request of its
 * waits has that request cancelled.
 *
 * Every bound is a counter when hit: clients (the one too many is
 * accepted and closed at once), request size (checked before anything is
 * allocated), response and event size, and the bytes queued for a client
 * that does not read (it is disconnected).
 *
 * Lifetimes: a struct ctl_client is valid during a handler call. A handler
 * that answers later (initiate waits for its SA) keeps it until either
 * it responds or its cancel callback runs, which happens when the client
 * went away first; ctl_client_id() and ctl_server_client() serve those
 * that would rather look the client up again. Clients are freed from the
 * event loop only, never inside a ctl_* call, so that a handler's client
 * stays valid until the handler returns even if it is disconnected
 * meanwhile.
 *
 * Everything runs on the control thread.
 */

struct event_base;
struct ctl_server;
struct ctl_client;

#define CTL_DEFAULT_MAX_CLIENTS 32u
#define CTL_DEFAULT_MAX_REQUEST (64u * 1024u)
#define CTL_DEFAULT_MAX_RESPONSE VICI_MAX_PACKET
#define CTL_DEFAULT_MAX_QUEUED (4u * 1024u * 1024u)
#define CTL_MIN_RESPONSE 1024u      /* room for success=no and an errmsg */
#define CTL_MAX_COMMANDS 64u
#define CTL_MAX_EVENTS 64u
#define CTL_NAME_MAX 47u            /* command and event names */
#define CTL_ERRMSG_MAX 1023u      /* a configuration error with its place fits */

struct ctl_server_opts {
	const char *path;          /* the socket; its directory must exist */
	bool has_gid;              /* mode 0660 for group gid, else 0600 */
	gid_t gid;
	unsigned max_clients;      /* 0: CTL_DEFAULT_MAX_CLIENTS */
	size_t max_request_len;    /* packet length field; 0: default */
	size_t max_response_len;   /* responses and events; 0: default */
	size_t max_queued_len;     /* output per client; 0: default */
};

struct ctl_server_stats {
	unsigned n_clients;        /* connected now */
	uint64_t accepted;
	uint64_t refused;          /* over max_clients */
	uint64_t malformed;        /* disconnected: bad packet or message */
	uint64_t too_large;        /* disconnected: length over the bound */
	uint64_t truncated;        /* went away in the middle of a packet */
	uint64_t slow_disconnects; /* output over max_queued_len */
	uint64_t requests;         /* CMD_REQUESTs received */
	uint64_t unknown_commands;
	uint64_t events_sent;      /* EVENT packets queued, to all clients */
};

/*
 * Create the socket and start listening on base. A socket file left by a
 * daemon that died is replaced; a socket somebody listens on, or a file
 * that is no socket, is IFS_ERR_EXISTS and left alone. The file is
 * created with mode 0600 (umask 0177 around bind(), so it is never wider),
 * or chowned to (owner, gid) and then given mode 0660. Its owner is the
 * daemon's user: root.
 */
int ctl_server_new(struct event_base *base, const struct ctl_server_opts *opts,
		   struct ctl_server **out) IFS_MUST_CHECK;
/* Disconnect every client (running the cancel callbacks of waiting
 * requests), close and unlink the socket (only if the file is still
 * ours). Never from inside a handler. NULL is fine. */
void ctl_server_free(struct ctl_server *srv);
void ctl_server_get_stats(const struct ctl_server *srv, struct ctl_server_stats *st);

/* ---- Commands ---------------------------------------------------------- */

/* A handler's return for a request it answers later through
 * ctl_client_respond_begin() (see ctl_client_defer()). */
#define CTL_PENDING 1

/*
 * A command handler. req is the request's message (the root section),
 * borrowed for the call. resp is a CMD_RESPONSE being built: fill it and
 * return 0 to send it. Return a negative ifs_err to send instead
 * success=no with errmsg set by ctl_client_fail() (or the error's name),
 * charon's convention for a failed command. Return CTL_PENDING (through
 * ctl_client_defer()) to answer later; resp is then discarded. A response
 * the builder refused (over max_response_len) becomes success=no too.
 */
typedef int (*ctl_cmd_fn)(void *ctx, struct ctl_client *c,
			  const struct vici_node *req, struct vici_builder *resp);
/* The client of a deferred request went away (or the server is freed)
 * before the response: forget the client. Runs from the event loop. */
typedef void (*ctl_cancel_fn)(void *arg);

/* IFS_ERR_EXISTS for a name already added, IFS_ERR_RANGE for a name over
 * CTL_NAME_MAX, IFS_ERR_FULL past CTL_MAX_COMMANDS. */
int ctl_server_add_command(struct ctl_server *srv, const char *name,
			   ctl_cmd_fn fn, void *ctx) IFS_MUST_CHECK;
/* An event name clients may register for (same errors, CTL_MAX_EVENTS). */
int ctl_server_add_event(struct ctl_server *srv, const char *name) IFS_MUST_CHECK;

/* ---- Inside a handler, and for deferred requests -------------------- */

/* Keep errmsg (printf) for the success=no response and return err:
 *   return ctl_client_fail(c, IFS_ERR_INVAL, "missing 'ike' or 'child'"); */
int ctl_client_fail(struct ctl_client *c, int err, const char *fmt, ...)
	IFS_PRINTF(3, 4);
/* Answer later: returns CTL_PENDING for the handler to return. cancel
 * (may be NULL) runs if the client goes away first. */
int ctl_client_defer(struct ctl_client *c, ctl_cancel_fn cancel, void *arg);

/*
 * The response of a deferred request: a CMD_RESPONSE to fill, then
 * ctl_client_respond_end(), after which the cancel callback is not called
 * and the client's next packets are handled. A client being disconnected
 * gets a builder as well and the bytes are dropped. NULL means no request
 * waits (a bug) or no memory (the client is then disconnected and the
 * cancel callback is not called either): forget the client in any case.
 */
struct vici_builder *ctl_client_respond_begin(struct ctl_client *c);
int ctl_client_respond_end(struct ctl_client *c, struct vici_builder *b);
/* success=no, errmsg=... for a deferred request. */
int ctl_client_respond_fail(struct ctl_client *c, const char *fmt, ...)
	IFS_PRINTF(2, 3);

/*
 * An EVENT to one client, only if it registered for name (control-log
 * during initiate, list-sa during list-sas): NULL when it did not, or it
 * is being disconnected. Fill it and call ctl_client_event_end(), which
 * returns IFS_ERR_FULL if the event was too large or the client was
 * disconnected for not reading, IFS_ERR_NOT_FOUND if it was gone already.
 */
struct vici_builder *ctl_client_event_begin(struct ctl_client *c, const char *name);
int ctl_client_event_end(struct ctl_client *c, struct vici_builder *b);

/* The same to every client registered for name (the log stream): NULL
 * when nobody is. */
struct vici_builder *ctl_server_broadcast_begin(struct ctl_server *srv,
						const char *name);
int ctl_server_broadcast_end(struct ctl_server *srv, struct vici_builder *b);

/* A number that names the client for the server's lifetime (never 0),
 * and the client it names, or NULL once it is gone or being
 * disconnected. */
uint64_t ctl_client_id(const struct ctl_client *c);
struct ctl_client *ctl_server_client(struct ctl_server *srv, uint64_t id);

#endif
