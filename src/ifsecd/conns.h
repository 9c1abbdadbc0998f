/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IFSECD_CONNS_H
#define IFS_IFSECD_CONNS_H

#include "config/conf.h"
#include "ifsecd/ike_io.h"
#include "ifsecd/tunnel.h"

/*
 * Loading and unloading connections while the daemon runs (load-conn,
 * unload-conn): a connection is a tunnel interface and its entry in the
 * IKE engine, and loading is a difference. The same connection again
 * leaves its interface and SAs alone; a changed one is replaced (its SAs
 * deleted, its interface made again, its start action run); a new one
 * is added. Anything that can be checked is checked before something
 * running is touched.
 */
enum conns_change {
	CONNS_ADDED,
	CONNS_UNCHANGED,
	CONNS_REPLACED,
};

struct conns {
	struct tunnels *ts;
	struct ike_io *ike;
};

/* ct is taken (also on error). */
int conns_load(struct conns *cs, struct conf_tunnel *ct, enum conns_change *change,
	       struct tunnel_err *err) IFS_MUST_CHECK;
int conns_unload(struct conns *cs, const char *name, struct tunnel_err *err) IFS_MUST_CHECK;

#endif
