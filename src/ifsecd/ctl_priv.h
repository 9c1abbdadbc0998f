/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IFSECD_CTL_PRIV_H
#define IFS_IFSECD_CTL_PRIV_H

/* What the ctl*.c files share. */
#include "ifsecd/ctl.h"

/* An optional string argument: "" when absent. Present but not a value
 * that fits: the request fails (the error is returned). */
int ctl_arg_str(struct ctl_client *c, const struct vici_node *req, const char *key,
		char *buf, size_t len) IFS_MUST_CHECK;
/* The connection a request names by ike or child name, or by ike-id or
 * child-id (unique ids, as list-sas shows them), all that are given
 * matching. IFS_ERR_NOT_FOUND when none does (the caller says so);
 * other errors have failed the request already. */
int ctl_find_tunnel(struct ctl *ctl, struct ctl_client *c, const struct vici_node *req,
		    struct tunnel **out) IFS_MUST_CHECK;
/* Milliseconds of the monotonic clock (the IKE engine's). */
uint64_t ctl_now_ms(void);

/* Each file registers its commands (and events). */
int ctl_list_register(struct ctl *ctl) IFS_MUST_CHECK;
int ctl_load_register(struct ctl *ctl) IFS_MUST_CHECK;
int ctl_log_register(struct ctl *ctl) IFS_MUST_CHECK;
void ctl_log_unregister(struct ctl *ctl);

#endif
