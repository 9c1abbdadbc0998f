/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IFSECCTL_PRINT_H
#define IFS_IFSECCTL_PRINT_H

#include <stdio.h>
#include "control/vici.h"

/*
 * Printers of VICI messages: for people, in the layout of strongSwan's
 * swanctl, and for scripts, as one JSON object per line (keys and values
 * as strings, sections as objects, lists as arrays of strings).
 */

/* The string value of the key/value at path, or "" when there is none. */
const char *print_get(const struct vici_node *sec, const char *path);

void print_json(FILE *f, const struct vici_node *root);
/* One object of n_kv string pairs (kv: key, value, key, value, ...). */
void print_json_kv(FILE *f, const char *const *kv, size_t n_kv);

/* "ifsecd 0.1.0 (Linux, 6.1.0-..., x86_64)" from a version response. */
void print_version(FILE *f, const struct vici_node *root);
void print_stats(FILE *f, const struct vici_node *root);
/* One list-sa event: each IKE SA in it with its Child SAs. */
void print_sa(FILE *f, const struct vici_node *root);
/* One list-conn event. */
void print_conn(FILE *f, const struct vici_node *root);
/* A control-log event as swanctl --initiate prints it: "[IKE] msg". */
void print_control_log(FILE *f, const struct vici_node *root);
/* A log event as swanctl --log prints it: the thread, at least two
 * digits, then "[IKE] msg" ("07[IKE] initiating IKE_SA gw[1] to ..."). */
void print_log(FILE *f, const struct vici_node *root);

#endif
