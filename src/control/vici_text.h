/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_CONTROL_VICI_TEXT_H
#define IFS_CONTROL_VICI_TEXT_H

#include <stddef.h>
#include "common/err.h"
#include "common/wbuf.h"
#include "control/vici.h"

/*
 * A VICI message in swanctl.conf syntax, so that what a client loads
 * (load-conn) goes through the same parser and checks as the file
 * ifsecd starts with. swanctl sends a file's sections as sections, its
 * keys as key-values, and splits the values of list keys (local_addrs,
 * proposals, local_ts, ...) at commas into lists; here a list becomes
 * one value again, its items joined with ", ".
 *
 * Everything that could change the structure of the text is refused
 * rather than escaped: names that are not made of letters, digits, '-',
 * '_' and '.', values with control characters other than tab, and list
 * items holding a comma. Values are quoted (\" and \\ escaped).
 */

/* Writes `top { <the members of sec> }` to w. On error why says what
 * was refused, naming the key by its path. */
int vici_to_settings_text(const struct vici_node *sec, const char *top, struct wbuf *w,
			  char *why, size_t why_len) IFS_MUST_CHECK;

#endif
