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

/* "ifsecd 0.1.0 (Linux, 6.1.0-..., x86_64)" from a version response. */
void print_version(FILE *f, const struct vici_node *root);
void print_stats(FILE *f, const struct vici_node *root);
/* One list-sa event: each IKE SA in it with its Child SAs. */
void print_sa(FILE *f, const struct vici_node *root);
/* One list-conn event. */
void print_conn(FILE *f, const struct vici_node *root);
/* A control-log or log event: its message line. */
void print_log(FILE *f, const struct vici_node *root);

#endif
