/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IFSECCTL_LOAD_H
#define IFS_IFSECCTL_LOAD_H

#include "common/err.h"
#include "common/wbuf.h"
#include "config/settings.h"

/*
 * The requests that load a swanctl.conf-syntax file into a daemon over
 * VICI, as strongSwan's swanctl sends them (checked byte for byte in
 * tests/unit/test_ifsecctl_load.c). Pure: each builds one CMD_REQUEST
 * packet at the end of a wbuf, gives its length (length field included)
 * in *len, and touches nothing else. On failure *len is 0 and the wbuf
 * holds a partial packet.
 */

/* True for a key whose value is a comma-separated list, sent as a VICI
 * list: swanctl's local_addrs, remote_addrs, proposals, esp_proposals,
 * local_ts, remote_ts, and ifsec's interface_addrs and routes. */
bool load_is_list_key(const char *key);

/*
 * load-conn for one section of connections { }: a VICI section named as
 * the connection holding its subtree in file order, subsections as
 * sections, keys as key/values, list keys split at commas (blanks
 * trimmed) into lists. IFS_ERR_SYNTAX for a list with an empty element,
 * or the builder's error (IFS_ERR_FULL, IFS_ERR_RANGE).
 */
int load_build_conn(struct wbuf *w, const struct settings_node *conn,
		    size_t *len) IFS_MUST_CHECK;

/*
 * load-shared for one section ike<suffix> of secrets { }: id = the
 * section's name, type = ike, data = the secret decoded (0x hex, 0s
 * base64 or the text itself), owners = the values of its id<suffix>
 * keys in file order. The packet holds the secret in clear: wipe the
 * wbuf's bytes once sent. IFS_ERR_UNSUPPORTED for another kind of
 * secret, IFS_ERR_NOT_FOUND without a secret key, the decoder's or the
 * builder's error.
 */
int load_build_shared(struct wbuf *w, const struct settings_node *sec,
		      size_t *len) IFS_MUST_CHECK;

#endif
