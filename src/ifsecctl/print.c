/* SPDX-License-Identifier: BSD-2-Clause */
#include "ifsecctl/print.h"

#include <stdint.h>
#include <string.h>

const char *print_get(const struct vici_node *sec, const char *path)
{
	const struct vici_node *n = vici_find(sec, path);

	if (!n || n->kind != VICI_NODE_KV || !vici_node_is_str(n))
		return "";
	return (const char *)n->value;
}

static bool has(const struct vici_node *sec, const char *path)
{
	return print_get(sec, path)[0] != '\0';
}

/* ---- JSON ---- */

static void json_str(FILE *f, const void *s, size_t len)
{
	const unsigned char *p = s;

	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		switch (p[i]) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			/* Control bytes and DEL escaped; the rest passes, so
			 * UTF-8 names stay readable. */
			if (p[i] < 0x20 || p[i] == 0x7f)
				fprintf(f, "\\u%04x", p[i]);
			else
				fputc(p[i], f);
		}
	}
	fputc('"', f);
}

static void json_section(FILE *f, const struct vici_node *sec)
{
	fputc('{', f);
	for (const struct vici_node *n = sec->children; n; n = n->next) {
		json_str(f, n->name, n->name_len);
		fputc(':', f);
		switch (n->kind) {
		case VICI_NODE_SECTION:
			json_section(f, n);
			break;
		case VICI_NODE_KV:
		case VICI_NODE_ITEM:
			json_str(f, n->value, n->value_len);
			break;
		case VICI_NODE_LIST:
			fputc('[', f);
			for (const struct vici_node *i = n->children; i; i = i->next) {
				json_str(f, i->value, i->value_len);
				if (i->next)
					fputc(',', f);
			}
			fputc(']', f);
			break;
		}
		if (n->next)
			fputc(',', f);
	}
	fputc('}', f);
}

void print_json_kv(FILE *f, const char *const *kv, size_t n_kv)
{
	fputc('{', f);
	for (size_t i = 0; i < n_kv; i++) {
		if (i)
			fputc(',', f);
		json_str(f, kv[2 * i], strlen(kv[2 * i]));
		fputc(':', f);
		json_str(f, kv[2 * i + 1], strlen(kv[2 * i + 1]));
	}
	fputs("}\n", f);
}

void print_json(FILE *f, const struct vici_node *root)
{
	json_section(f, root);
	fputc('\n', f);
}

/* ---- For people, after swanctl's commands/version.c, stats.c,
 * list_sas.c and list_conns.c ---- */

void print_version(FILE *f, const struct vici_node *root)
{
	fprintf(f, "%s %s (%s, %s, %s)\n", print_get(root, "daemon"),
		print_get(root, "version"), print_get(root, "sysname"),
		print_get(root, "release"), print_get(root, "machine"));
}

void print_stats(FILE *f, const struct vici_node *root)
{
	fprintf(f, "uptime: %s, since %s\n", print_get(root, "uptime.running"),
		print_get(root, "uptime.since"));
	fprintf(f, "worker threads: %s total, %s idle, working: %s/%s/%s/%s\n",
		print_get(root, "workers.total"), print_get(root, "workers.idle"),
		print_get(root, "workers.active.critical"),
		print_get(root, "workers.active.high"),
		print_get(root, "workers.active.medium"),
		print_get(root, "workers.active.low"));
	fprintf(f, "job queues: %s/%s/%s/%s\n", print_get(root, "queues.critical"),
		print_get(root, "queues.high"), print_get(root, "queues.medium"),
		print_get(root, "queues.low"));
	fprintf(f, "jobs scheduled: %s\n", print_get(root, "scheduled"));
	fprintf(f, "IKE_SAs: %s total, %s half-open\n", print_get(root, "ikesas.total"),
		print_get(root, "ikesas.half-open"));
	fputs("loaded plugins:", f);
	for (const struct vici_node *i = vici_list_items(root, "plugins"); i; i = i->next)
		if (vici_node_is_str(i))
			fprintf(f, " %s", (const char *)i->value);
	fputc('\n', f);
	if (has(root, "mallinfo.used"))
		fprintf(f, "allocations: %s in sbrk(), %s in mmap(), %s used, %s free\n",
			print_get(root, "mallinfo.sbrk"), print_get(root, "mallinfo.mmap"),
			print_get(root, "mallinfo.used"), print_get(root, "mallinfo.free"));
}

/* "AES_GCM_16-256/PRF_HMAC_SHA2_384/ECP_384": the algorithms present. */
static void print_algs(FILE *f, const struct vici_node *sa, bool has_prf)
{
	const char *sep = "";

	if (has(sa, "encr-alg")) {
		fputs(print_get(sa, "encr-alg"), f);
		if (has(sa, "encr-keysize"))
			fprintf(f, "-%s", print_get(sa, "encr-keysize"));
		sep = "/";
	}
	if (has(sa, "integ-alg")) {
		fprintf(f, "%s%s", sep, print_get(sa, "integ-alg"));
		sep = "/";
	}
	if (has_prf && has(sa, "prf-alg")) {
		fprintf(f, "%s%s", sep, print_get(sa, "prf-alg"));
		sep = "/";
	}
	if (has(sa, "dh-group"))
		fprintf(f, "%s%s", sep, print_get(sa, "dh-group"));
}

static void print_ts(FILE *f, const char *label, const struct vici_node *sa,
		     const char *list)
{
	const struct vici_node *i = vici_list_items(sa, list);

	if (!i)
		return;
	fprintf(f, "    %s", label);
	for (; i; i = i->next)
		if (vici_node_is_str(i))
			fprintf(f, " %s", (const char *)i->value);
	fputc('\n', f);
}

static void print_child(FILE *f, const struct vici_node *c)
{
	bool is_encap = strcmp(print_get(c, "encap"), "yes") == 0;

	fprintf(f, "  %s: #%s, reqid %s, %s, %s%s, %s:", print_get(c, "name"),
		print_get(c, "uniqueid"), print_get(c, "reqid"), print_get(c, "state"),
		print_get(c, "mode"), is_encap ? "-in-UDP" : "", print_get(c, "protocol"));
	print_algs(f, c, false);
	if (strcmp(print_get(c, "esn"), "yes") == 0)
		fputs("/ESN", f);
	fputc('\n', f);
	if (has(c, "install-time")) {
		fprintf(f, "    installed %ss ago", print_get(c, "install-time"));
		if (has(c, "rekey-time"))
			fprintf(f, ", rekeying in %ss", print_get(c, "rekey-time"));
		if (has(c, "life-time"))
			fprintf(f, ", expires in %ss", print_get(c, "life-time"));
		fputc('\n', f);
	}
	if (has(c, "bytes-in")) {
		fprintf(f, "    in  %s, %6s bytes, %5s packets\n", print_get(c, "spi-in"),
			print_get(c, "bytes-in"), print_get(c, "packets-in"));
		fprintf(f, "    out %s, %6s bytes, %5s packets\n", print_get(c, "spi-out"),
			print_get(c, "bytes-out"), print_get(c, "packets-out"));
	} else {   /* a replaced SA: the traffic counts are the new one's */
		fprintf(f, "    in  %s\n    out %s\n", print_get(c, "spi-in"),
			print_get(c, "spi-out"));
	}
	print_ts(f, "local ", c, "local-ts");
	print_ts(f, "remote", c, "remote-ts");
}

static void print_ike_sa(FILE *f, const struct vici_node *sa)
{
	bool is_init = strcmp(print_get(sa, "initiator"), "yes") == 0;
	const struct vici_node *children = vici_child(sa, "child-sas");

	fprintf(f, "%s: #%s, %s, IKEv%s, %s_i%s %s_r%s\n", sa->name,
		print_get(sa, "uniqueid"), print_get(sa, "state"), print_get(sa, "version"),
		print_get(sa, "initiator-spi"), is_init ? "*" : "",
		print_get(sa, "responder-spi"), is_init ? "" : "*");
	fprintf(f, "  local  '%s' @ %s[%s]\n", print_get(sa, "local-id"),
		print_get(sa, "local-host"), print_get(sa, "local-port"));
	fprintf(f, "  remote '%s' @ %s[%s]\n", print_get(sa, "remote-id"),
		print_get(sa, "remote-host"), print_get(sa, "remote-port"));
	if (has(sa, "encr-alg") || has(sa, "integ-alg")) {
		fputs("  ", f);
		print_algs(f, sa, true);
		fputc('\n', f);
	}
	if (has(sa, "established")) {
		fprintf(f, "  established %ss ago", print_get(sa, "established"));
		if (has(sa, "rekey-time"))
			fprintf(f, ", rekeying in %ss", print_get(sa, "rekey-time"));
		if (has(sa, "reauth-time"))
			fprintf(f, ", reauth in %ss", print_get(sa, "reauth-time"));
		fputc('\n', f);
	}
	if (!children || children->kind != VICI_NODE_SECTION)
		return;
	for (const struct vici_node *c = children->children; c; c = c->next)
		if (c->kind == VICI_NODE_SECTION)
			print_child(f, c);
}

void print_sa(FILE *f, const struct vici_node *root)
{
	for (const struct vici_node *n = root->children; n; n = n->next)
		if (n->kind == VICI_NODE_SECTION)
			print_ike_sa(f, n);
}

/* Addresses are joined by ", ", traffic selectors by " ", as swanctl does. */
static void print_list_line(FILE *f, const char *indent, const char *label,
			    const struct vici_node *sec, const char *list, const char *join)
{
	const char *sep = "";

	fprintf(f, "%s%s", indent, label);
	for (const struct vici_node *i = vici_list_items(sec, list); i; i = i->next) {
		if (!vici_node_is_str(i))
			continue;
		fprintf(f, "%s%s", sep, (const char *)i->value);
		sep = join;
	}
	fputc('\n', f);
}

static void print_auth(FILE *f, const struct vici_node *auth, const char *side)
{
	fprintf(f, "  %s %s authentication:\n", side, print_get(auth, "class"));
	if (has(auth, "id"))
		fprintf(f, "    id: %s\n", print_get(auth, "id"));
}

static void print_conn_child(FILE *f, const struct vici_node *c)
{
	fprintf(f, "  %s: %s", c->name, print_get(c, "mode"));
	if (has(c, "rekey_time"))
		fprintf(f, ", rekeying every %ss", print_get(c, "rekey_time"));
	/* as swanctl: the volume limits when they are set */
	if (has(c, "rekey_bytes") && strcmp(print_get(c, "rekey_bytes"), "0") != 0)
		fprintf(f, " or %s bytes", print_get(c, "rekey_bytes"));
	if (has(c, "rekey_packets") && strcmp(print_get(c, "rekey_packets"), "0") != 0)
		fprintf(f, " or %s packets", print_get(c, "rekey_packets"));
	fputc('\n', f);
	print_list_line(f, "    ", "local:  ", c, "local-ts", " ");
	print_list_line(f, "    ", "remote: ", c, "remote-ts", " ");
}

static void print_one_conn(FILE *f, const struct vici_node *conn)
{
	const char *reauth = print_get(conn, "reauth_time");
	const struct vici_node *children = vici_child(conn, "children");

	fprintf(f, "%s: %s, ", conn->name, print_get(conn, "version"));
	if (!reauth[0] || strcmp(reauth, "0") == 0)
		fputs("no reauthentication", f);
	else
		fprintf(f, "reauthentication every %ss", reauth);
	if (has(conn, "rekey_time") && strcmp(print_get(conn, "rekey_time"), "0") != 0)
		fprintf(f, ", rekeying every %ss", print_get(conn, "rekey_time"));
	if (has(conn, "dpd_delay") && strcmp(print_get(conn, "dpd_delay"), "0") != 0)
		fprintf(f, ", dpd delay %ss", print_get(conn, "dpd_delay"));
	fputc('\n', f);
	print_list_line(f, "  ", "local:  ", conn, "local_addrs", ", ");
	print_list_line(f, "  ", "remote: ", conn, "remote_addrs", ", ");
	for (const struct vici_node *n = conn->children; n; n = n->next) {
		if (n->kind != VICI_NODE_SECTION)
			continue;
		if (strncmp(n->name, "local", 5) == 0)
			print_auth(f, n, "local");
		else if (strncmp(n->name, "remote", 6) == 0)
			print_auth(f, n, "remote");
	}
	if (!children || children->kind != VICI_NODE_SECTION)
		return;
	for (const struct vici_node *c = children->children; c; c = c->next)
		if (c->kind == VICI_NODE_SECTION)
			print_conn_child(f, c);
}

void print_conn(FILE *f, const struct vici_node *root)
{
	for (const struct vici_node *n = root->children; n; n = n->next)
		if (n->kind == VICI_NODE_SECTION)
			print_one_conn(f, n);
}

/*
 * The lines of a log message, each after prefix; a control byte is
 * printed as '?' so that a daemon's message (which may quote a peer's
 * identity) cannot drive the terminal. (swanctl's libvici drops a
 * message holding any such byte, newline included.)
 */
static void print_msg_lines(FILE *f, const char *prefix, const struct vici_node *msg)
{
	const uint8_t *p = msg->value, *end = p + msg->value_len;

	do {
		fputs(prefix, f);
		for (; p < end && *p != '\n'; p++)
			fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
		fputc('\n', f);
		if (p < end)
			p++;
	} while (p < end);
}

/* The group's name, three blanks when there is none (as swanctl). */
static const char *log_group(const struct vici_node *root)
{
	return has(root, "group") ? print_get(root, "group") : "   ";
}

void print_control_log(FILE *f, const struct vici_node *root)
{
	const struct vici_node *msg = vici_child(root, "msg");
	char prefix[VICI_NAME_MAX + 8];

	if (!msg || msg->kind != VICI_NODE_KV)
		return;
	snprintf(prefix, sizeof(prefix), "[%s] ", log_group(root));
	print_msg_lines(f, prefix, msg);
}

void print_log(FILE *f, const struct vici_node *root)
{
	const struct vici_node *msg = vici_child(root, "msg");
	char prefix[VICI_NAME_MAX + 32];
	int64_t thread;

	if (!msg || msg->kind != VICI_NODE_KV)
		return;
	if (vici_get_int(root, "thread", INT32_MIN, INT32_MAX, &thread) != 0)
		thread = 0;
	snprintf(prefix, sizeof(prefix), "%.2d[%s] ", (int)thread, log_group(root));
	print_msg_lines(f, prefix, msg);
}
