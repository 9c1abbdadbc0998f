/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IFSECCTL_CLIENT_H
#define IFS_IFSECCTL_CLIENT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include "common/err.h"
#include "control/vici.h"

/*
 * A VICI client on a UNIX socket, one request at a time, as swanctl does
 * it: register for the command's events, send the request, hand each
 * event to a callback until the CMD_RESPONSE arrives, unregister.
 * Every read is bounded (VICI_MAX_PACKET) and every socket operation
 * times out (SO_RCVTIMEO/SO_SNDTIMEO).
 */
struct client {
	int fd;
	struct vici_reader r;
	uint8_t in[4096];       /* bytes read from the socket */
	size_t in_len;
	size_t in_off;          /* bytes of in already given to the reader */
	char path[108];
	char err[512];          /* why the last call failed */
	/* Set by client_listen() only: see there. */
	const volatile sig_atomic_t *is_stopping;
	const sigset_t *wait_mask;
};

/* Called for each event named as the call asked; msg is the event's
 * root section. A nonzero return stops the call with that error. */
typedef int (*client_event_fn)(void *arg, const char *name,
			       const struct vici_node *msg);

/* Connect to the socket at path with a timeout of timeout_s seconds on
 * each read and write. On failure c->err says why. */
int client_open(struct client *c, const char *path, unsigned timeout_s) IFS_MUST_CHECK;
void client_close(struct client *c);
/* Change the read/write timeout of an open client. */
int client_set_timeout(struct client *c, unsigned timeout_s) IFS_MUST_CHECK;

/*
 * Send the request cmd with the key/values in kv (pairs of strings,
 * n_kv pairs; NULL values are left out). When event is not NULL, it is
 * registered before and unregistered after, and on_event sees each of
 * its events. *resp gets the parsed CMD_RESPONSE, to be freed with
 * vici_msg_free(). Errors: IFS_ERR_SYS (errno, and c->err, say which
 * call), IFS_ERR_NOT_FOUND for an unknown command or event,
 * IFS_ERR_SYNTAX for a stream that breaks the protocol.
 */
int client_call(struct client *c, const char *cmd, const char *const *kv,
		size_t n_kv, const char *event, client_event_fn on_event,
		void *arg, struct vici_msg **resp) IFS_MUST_CHECK;
/* The same with a request built by the caller: the CMD_REQUEST packet
 * for cmd, length field included, in req[0..len). */
int client_call_packet(struct client *c, const char *cmd, const uint8_t *req,
		       size_t len, const char *event, client_event_fn on_event,
		       void *arg, struct vici_msg **resp) IFS_MUST_CHECK;

/*
 * Register for event and hand each of its events to on_event until
 * *is_stopping becomes true: then 0. The caller blocks the signals that
 * set *is_stopping; they are let through (wait_mask) only while the
 * client waits for the socket, so that none is missed between a check
 * and a wait. Errors as client_call()'s; a closed connection is one.
 */
int client_listen(struct client *c, const char *event, client_event_fn on_event,
		  void *arg, const volatile sig_atomic_t *is_stopping,
		  const sigset_t *wait_mask) IFS_MUST_CHECK;

#endif
