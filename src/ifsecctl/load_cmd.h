/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IFSECCTL_LOAD_CMD_H
#define IFS_IFSECCTL_LOAD_CMD_H

#include <stdbool.h>

/*
 * --load-all, --load-conns and --load-creds: validate the whole file as
 * ifsecd would (conf_load()), and only then connect and do what
 * strongSwan's swanctl does: get-shared, load-shared for each ike<suffix>
 * secret, unload-shared for each id the daemon has and the file does
 * not; get-conns, load-conn for each connection, unload-conn for each
 * name the daemon has and the file does not. Secrets go first.
 *
 * For people, swanctl's lines: "loaded connection 'gw'" and the summary
 * on standard output, "loading connection 'gw' failed: why" and a
 * summary with failures on standard error. With is_json, one object per
 * line on standard output, values as strings:
 *   {"loaded-secret":"ike-one"}      {"loaded-connection":"gw"}
 *   {"unloaded-secret":"ike-x"}      {"unloaded-connection":"old"}
 *   {"load-connection-failed":"gw","errmsg":"..."} (and load-secret-,
 *   unload-secret-, unload-connection-failed)
 *   {"summary":"connections","found":"2","loaded":"1","failed":"1",
 *    "unloaded":"0","unload-failed":"0"}
 * and failures on standard error as for people.
 */
struct load_opts {
	const char *socket_path;
	unsigned timeout_s;           /* per socket operation */
	const char *file;
	bool has_conns;
	bool has_creds;
	bool is_json;
};

/* The exit status: 0 when everything loaded and unloaded, 1 otherwise
 * (a file that does not validate sends nothing). */
int load_cmd_run(const struct load_opts *o);

#endif
