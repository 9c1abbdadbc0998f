/* SPDX-License-Identifier: BSD-2-Clause */
/* The daemon's log lines as VICI events: "log" to every client that
 * registered for it (swanctl --log), and "control-log" to the client
 * whose initiate or terminate a line is about (swanctl prints them while
 * it waits). Keys as charon's: group, level, thread, ikesa-name,
 * ikesa-uniqueid, msg. */
#include "ifsecd/ctl_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

/* charon's levels: 0 basic, 1 audit, 2 control, 3 controlmore, 4 raw. */
static int charon_level(enum log_level level)
{
	return level == LOG_LVL_DEBUG ? 2 : level == LOG_LVL_INFO ? 1 : 0;
}

/* "name[7]" -> "name" and 7; a line about no SA has neither. */
struct subject {
	char name[CONF_NAME_MAX];
	unsigned long id;
};

static void split_subject(const char *s, struct subject *out)
{
	const char *open = strrchr(s, '[');

	*out = (struct subject){ 0 };
	if (!open) {
		snprintf(out->name, sizeof(out->name), "%s", s);
		return;
	}
	snprintf(out->name, sizeof(out->name), "%.*s", (int)(open - s), s);
	out->id = strtoul(open + 1, NULL, 10);
}

static void fill(struct vici_builder *b, int level, const struct subject *sub, const char *msg)
{
	vici_kv_str(b, "group", sub->id ? "IKE" : "DMN");
	vici_kv_printf(b, "level", "%d", level);
	vici_kv_str(b, "thread", "1");
	if (sub->name[0]) {
		vici_kv_str(b, "ikesa-name", sub->name);
		if (sub->id)
			vici_kv_printf(b, "ikesa-uniqueid", "%lu", sub->id);
	}
	vici_kv_str(b, "msg", msg);
}

static void control_log(struct ctl_client *c, int level, int max_level,
			const struct subject *sub, const char *msg)
{
	struct vici_builder *b;

	if (level > max_level || !(b = ctl_client_event_begin(c, "control-log")))
		return;
	fill(b, level, sub, msg);
	(void)ctl_client_event_end(c, b);
}

static void on_line(void *arg, enum log_level level, const char *subject, const char *msg)
{
	struct ctl *ctl = arg;
	int lvl = charon_level(level);
	struct vici_builder *b;
	struct subject sub;

	split_subject(subject, &sub);
	b = ctl_server_broadcast_begin(ctl->srv, "log");
	if (b) {
		fill(b, lvl, &sub, msg);
		(void)ctl_server_broadcast_end(ctl->srv, b);
	}
	if (!sub.name[0])
		return;
	if (ctl->cmd_client && strcmp(ctl->cmd_conn, sub.name) == 0)
		control_log(ctl->cmd_client, lvl, ctl->cmd_loglevel, &sub, msg);
	for (size_t i = 0; i < CTL_MAX_PENDING; i++) {
		const struct ctl_pending *p = &ctl->pending[i];

		if (p->client && p->client != ctl->cmd_client && strcmp(p->conn, sub.name) == 0)
			control_log(p->client, lvl, p->loglevel, &sub, msg);
	}
}

int ctl_log_register(struct ctl *ctl)
{
	int err = ctl_server_add_event(ctl->srv, "log");

	if (!err)
		err = ctl_server_add_event(ctl->srv, "control-log");
	if (!err)
		log_set_tap(on_line, ctl);
	return err;
}

void ctl_log_unregister(struct ctl *ctl)
{
	(void)ctl;
	log_set_tap(NULL, NULL);
}
