/* SPDX-License-Identifier: BSD-2-Clause */
/* ifsecctl: drives ifsecd over its VICI socket, with the options and
 * output of strongSwan's swanctl. Wiring only: client.c speaks VICI,
 * print.c prints what comes back, load_cmd.c loads a file. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "ifsecctl/client.h"
#include "ifsecctl/load_cmd.h"
#include "ifsecctl/print.h"

#define DEFAULT_PATH "/run/ifsec/ifsec.vici"
#define DEFAULT_URI "unix://" DEFAULT_PATH
#define DEFAULT_FILE "/etc/ifsec/ifsec.conf"
#define DEFAULT_TIMEOUT_S 30u
#define MAX_TIMEOUT_S 86400u
/* swanctl's default and range for --loglevel (charon's levels -1..4). */
#define DEFAULT_LOGLEVEL 1
#define MIN_LOGLEVEL (-1)
#define MAX_LOGLEVEL 4

enum cmd {
	CMD_NONE,
	CMD_VERSION,
	CMD_STATS,
	CMD_LIST_SAS,
	CMD_LIST_CONNS,
	CMD_INITIATE,
	CMD_TERMINATE,
	CMD_REKEY,
	CMD_LOAD_ALL,
	CMD_LOAD_CONNS,
	CMD_LOAD_CREDS,
	CMD_RELOAD_SETTINGS,
	CMD_LOG,
};

/* Long options without a short one. */
enum {
	OPT_LOAD_CONNS = 256,
	OPT_LOG,
	OPT_LOGLEVEL,
};

struct opts {
	enum cmd cmd;
	const char *path;      /* the socket, from --uri */
	const char *ike;
	const char *child;
	const char *file;      /* --load-*: the file to load */
	unsigned timeout_s;
	int loglevel;
	bool has_timeout;
	bool is_json;
	bool is_daemon;
	bool is_reauth;
};

/* What an event callback needs. */
struct out {
	bool is_json;
	void (*print)(FILE *f, const struct vici_node *root);
};

static void usage(FILE *f)
{
	fprintf(f, "usage: ifsecctl [--uri unix://PATH] [--json] COMMAND\n"
		"commands:\n"
		"  -v, --version [-d]            ifsecctl's version; with -d, or when the\n"
		"                                daemon answers, the daemon's too\n"
		"  -S, --stats                   the daemon's statistics\n"
		"  -l, --list-sas [--ike NAME]   established IKE and Child SAs\n"
		"  -L, --list-conns [--ike NAME] configured connections\n"
		"  -i, --initiate --child NAME | --ike NAME [--timeout S]\n"
		"                                bring a connection up, wait until it is\n"
		"  -t, --terminate --ike NAME | --child NAME [--timeout S]\n"
		"                                take it down\n"
		"                                (both print the daemon's log lines meanwhile)\n"
		"  -R, --rekey --child NAME | --ike NAME [--reauth]\n"
		"                                rekey an SA now (or reauthenticate an IKE SA)\n"
		"  -q, --load-all [--file F]     load the connections and secrets of F\n"
		"      --load-conns [--file F]   load the connections of F\n"
		"  -s, --load-creds [--file F]   load the secrets of F\n"
		"                                (F is checked whole first; what the daemon\n"
		"                                has and F does not is unloaded)\n"
		"  -r, --reload-settings         have the daemon reread its own settings\n"
		"      --log                     print the daemon's log until interrupted\n"
		"  -h, --help                    this text\n"
		"options:\n"
		"  -u, --uri unix://PATH         the daemon's socket (" DEFAULT_URI ")\n"
		"  -I, --ike NAME                an IKE SA / connection name\n"
		"  -c, --child NAME              a Child SA name\n"
		"  -T, --timeout S               seconds to wait (default 30; 0: forever)\n"
		"  -f, --file F                  the file to load (" DEFAULT_FILE ")\n"
		"  -a, --reauth                  with --rekey --ike: reauthenticate\n"
		"      --loglevel N              with --initiate/--terminate: log lines up\n"
		"                                to level N (-1..4, default 1)\n"
		"  -d, --daemon                  with --version: ask the daemon\n"
		"  -j, --json                    one JSON object per line, for scripts\n");
}

static int set_cmd(struct opts *o, enum cmd cmd)
{
	if (o->cmd != CMD_NONE && o->cmd != cmd) {
		fprintf(stderr, "ifsecctl: give one command only\n");
		return -1;
	}
	o->cmd = cmd;
	return 0;
}

static int parse_timeout(struct opts *o, const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > MAX_TIMEOUT_S) {
		fprintf(stderr, "ifsecctl: bad --timeout '%s' (0..%u seconds)\n", s,
			MAX_TIMEOUT_S);
		return -1;
	}
	o->timeout_s = (unsigned)v;
	o->has_timeout = true;
	return 0;
}

static int parse_loglevel(struct opts *o, const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < MIN_LOGLEVEL || v > MAX_LOGLEVEL) {
		fprintf(stderr, "ifsecctl: bad --loglevel '%s' (%d..%d)\n", s, MIN_LOGLEVEL,
			MAX_LOGLEVEL);
		return -1;
	}
	o->loglevel = (int)v;
	return 0;
}

static int parse_uri(struct opts *o, const char *uri)
{
	static const char scheme[] = "unix://";

	if (strncmp(uri, scheme, sizeof(scheme) - 1) != 0 || !uri[sizeof(scheme) - 1]) {
		fprintf(stderr, "ifsecctl: bad --uri '%s' (want unix://PATH)\n", uri);
		return -1;
	}
	o->path = uri + sizeof(scheme) - 1;
	return 0;
}

/* 0, 1 (asked for help: exit 0) or -1 (usage error: exit 2). */
static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "version", no_argument, NULL, 'v' },
		{ "daemon", no_argument, NULL, 'd' },
		{ "stats", no_argument, NULL, 'S' },
		{ "list-sas", no_argument, NULL, 'l' },
		{ "list-conns", no_argument, NULL, 'L' },
		{ "initiate", no_argument, NULL, 'i' },
		{ "terminate", no_argument, NULL, 't' },
		{ "rekey", no_argument, NULL, 'R' },
		{ "load-all", no_argument, NULL, 'q' },
		{ "load-conns", no_argument, NULL, OPT_LOAD_CONNS },
		{ "load-creds", no_argument, NULL, 's' },
		{ "reload-settings", no_argument, NULL, 'r' },
		{ "log", no_argument, NULL, OPT_LOG },
		{ "file", required_argument, NULL, 'f' },
		{ "reauth", no_argument, NULL, 'a' },
		{ "loglevel", required_argument, NULL, OPT_LOGLEVEL },
		{ "uri", required_argument, NULL, 'u' },
		{ "ike", required_argument, NULL, 'I' },
		{ "child", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, rc = 0;

	*o = (struct opts){ .path = DEFAULT_PATH, .file = DEFAULT_FILE,
			    .timeout_s = DEFAULT_TIMEOUT_S, .loglevel = DEFAULT_LOGLEVEL };
	while (rc == 0 && (ch = getopt_long(argc, argv, "vdSlLitRqsrf:au:I:c:T:jh",
					    longopts, NULL)) != -1) {
		switch (ch) {
		case 'v': rc = set_cmd(o, CMD_VERSION); break;
		case 'S': rc = set_cmd(o, CMD_STATS); break;
		case 'l': rc = set_cmd(o, CMD_LIST_SAS); break;
		case 'L': rc = set_cmd(o, CMD_LIST_CONNS); break;
		case 'i': rc = set_cmd(o, CMD_INITIATE); break;
		case 't': rc = set_cmd(o, CMD_TERMINATE); break;
		case 'R': rc = set_cmd(o, CMD_REKEY); break;
		case 'q': rc = set_cmd(o, CMD_LOAD_ALL); break;
		case OPT_LOAD_CONNS: rc = set_cmd(o, CMD_LOAD_CONNS); break;
		case 's': rc = set_cmd(o, CMD_LOAD_CREDS); break;
		case 'r': rc = set_cmd(o, CMD_RELOAD_SETTINGS); break;
		case OPT_LOG: rc = set_cmd(o, CMD_LOG); break;
		case 'f': o->file = optarg; break;
		case 'a': o->is_reauth = true; break;
		case OPT_LOGLEVEL: rc = parse_loglevel(o, optarg); break;
		case 'd': o->is_daemon = true; break;
		case 'u': rc = parse_uri(o, optarg); break;
		case 'I': o->ike = optarg; break;
		case 'c': o->child = optarg; break;
		case 'T': rc = parse_timeout(o, optarg); break;
		case 'j': o->is_json = true; break;
		case 'h': return 1;
		default: return -1;
		}
	}
	if (rc)
		return rc;
	if (optind < argc) {
		fprintf(stderr, "ifsecctl: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (o->cmd == CMD_NONE)
		return -1;
	if ((o->cmd == CMD_INITIATE || o->cmd == CMD_TERMINATE || o->cmd == CMD_REKEY) &&
	    !o->ike && !o->child) {
		fprintf(stderr, "ifsecctl: --%s needs --child NAME or --ike NAME\n",
			o->cmd == CMD_INITIATE ? "initiate" :
			o->cmd == CMD_TERMINATE ? "terminate" : "rekey");
		return -1;
	}
	return 0;
}

static int on_event(void *arg, const char *name, const struct vici_node *msg)
{
	const struct out *out = arg;

	(void)name;
	if (out->is_json)
		print_json(stdout, msg);
	else
		out->print(stdout, msg);
	fflush(stdout);
	return 0;
}

static int connect_to(struct client *c, const struct opts *o, bool is_quiet)
{
	/* The daemon answers an initiate once the Child SA is up, at most
	 * timeout_s later: wait a little longer than that. 0 is forever. */
	unsigned tmo = o->timeout_s ? o->timeout_s + 5 : 0;

	if (o->cmd != CMD_INITIATE && o->cmd != CMD_TERMINATE)
		tmo = o->has_timeout ? o->timeout_s : DEFAULT_TIMEOUT_S;
	if (client_open(c, o->path, tmo) == 0)
		return 0;
	if (!is_quiet)
		fprintf(stderr, "ifsecctl: %s\n", c->err);
	return -1;
}

/* Run cmd with its key/values; print its events with print and, unless it
 * is a listing, its response with print_resp (NULL: none for people).
 * The exit status. */
static int run(const struct opts *o, const char *cmd, const char *const *kv,
	       size_t n_kv, const char *event, void (*print)(FILE *, const struct vici_node *),
	       void (*print_resp)(FILE *, const struct vici_node *))
{
	struct out out = { .is_json = o->is_json, .print = print };
	struct client c;
	struct vici_msg *resp = NULL;
	const struct vici_node *root;
	int rc = 1;

	if (connect_to(&c, o, false) != 0)
		return 1;
	if (client_call(&c, cmd, kv, n_kv, event, on_event, &out, &resp) != 0) {
		fprintf(stderr, "ifsecctl: %s: %s\n", cmd, c.err);
		goto out;
	}
	root = vici_msg_root(resp);
	if (vici_child(root, "success") && strcmp(print_get(root, "success"), "yes") != 0) {
		const char *why = print_get(root, "errmsg");

		fprintf(stderr, "ifsecctl: %s failed: %s\n", cmd, why[0] ? why : "(no reason given)");
		if (o->is_json)
			print_json(stdout, root);
		goto out;
	}
	if (o->is_json && print_resp)
		print_json(stdout, root);
	else if (print_resp)
		print_resp(stdout, root);
	rc = 0;
out:
	vici_msg_free(resp);
	client_close(&c);
	return rc;
}

static void print_initiated(FILE *f, const struct vici_node *root)
{
	(void)root;
	fputs("initiate completed successfully\n", f);
}

static void print_terminated(FILE *f, const struct vici_node *root)
{
	(void)root;
	fputs("terminate completed successfully\n", f);
}

static int run_version(const struct opts *o)
{
	struct client c;

	if (o->is_json)
		printf("{\"ifsecctl\":\"%s\"}\n", IFS_VERSION);
	else
		printf("ifsecctl %s\n", IFS_VERSION);
	fflush(stdout);
	if (!o->is_daemon) {
		/* Ask the daemon only when it is there to answer. */
		if (connect_to(&c, o, true) != 0)
			return 0;
		client_close(&c);
	}
	return run(o, "version", NULL, 0, NULL, NULL, print_version);
}

static void print_rekeyed(FILE *f, const struct vici_node *root)
{
	(void)root;
	fputs("rekey completed successfully\n", f);
}

static void print_reloaded(FILE *f, const struct vici_node *root)
{
	(void)root;
	fputs("reload-settings completed successfully\n", f);
}

static volatile sig_atomic_t is_stopping;

static void on_stop_signal(int sig)
{
	(void)sig;
	is_stopping = 1;
}

/* --log: every log event until SIGINT or SIGTERM, which end it cleanly.
 * The two signals are blocked except while waiting for the socket, so
 * that one that comes between two events is never lost. */
static int run_log(const struct opts *o)
{
	struct out out = { .is_json = o->is_json, .print = print_log };
	struct sigaction sa = { .sa_handler = on_stop_signal };
	sigset_t stop_set, wait_mask;
	struct client c;
	int rc;

	sigemptyset(&sa.sa_mask);
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGINT);
	sigaddset(&stop_set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &stop_set, &wait_mask) != 0 ||
	    sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0) {
		fprintf(stderr, "ifsecctl: cannot set up signals: %s\n", strerror(errno));
		return 1;
	}
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGTERM);
	if (connect_to(&c, o, false) != 0)
		return 1;
	rc = client_listen(&c, "log", on_event, &out, &is_stopping, &wait_mask);
	if (rc < 0)
		fprintf(stderr, "ifsecctl: log: %s\n", c.err);
	client_close(&c);
	return rc < 0 ? 1 : 0;
}

static int run_load(const struct opts *o)
{
	struct load_opts lo = {
		.socket_path = o->path,
		.timeout_s = o->timeout_s,
		.file = o->file,
		.has_conns = o->cmd != CMD_LOAD_CREDS,
		.has_creds = o->cmd != CMD_LOAD_CONNS,
		.is_json = o->is_json,
	};

	return load_cmd_run(&lo);
}

static int run_cmd(const struct opts *o)
{
	char tmo[32], loglevel[16];
	/* In the order swanctl sends them. */
	const char *kv[] = {
		"child", o->child, "ike", o->ike, "timeout", tmo, "loglevel", loglevel,
	};
	const char *rekey_kv[] = {
		"child", o->child, "ike", o->ike, "reauth", o->is_reauth ? "yes" : NULL,
	};

	snprintf(tmo, sizeof(tmo), "%u", o->timeout_s * 1000u);
	snprintf(loglevel, sizeof(loglevel), "%d", o->loglevel);
	switch (o->cmd) {
	case CMD_VERSION:
		return run_version(o);
	case CMD_STATS:
		return run(o, "stats", NULL, 0, NULL, NULL, print_stats);
	case CMD_LIST_SAS:
		return run(o, "list-sas", kv + 2, 1, "list-sa", print_sa, NULL);
	case CMD_LIST_CONNS:
		return run(o, "list-conns", kv + 2, 1, "list-conn", print_conn, NULL);
	case CMD_INITIATE:
		return run(o, "initiate", kv, 4, "control-log", print_control_log,
			   print_initiated);
	case CMD_TERMINATE:
		return run(o, "terminate", kv, 4, "control-log", print_control_log,
			   print_terminated);
	case CMD_REKEY:
		return run(o, "rekey", rekey_kv, 3, NULL, NULL, print_rekeyed);
	case CMD_RELOAD_SETTINGS:
		return run(o, "reload-settings", NULL, 0, NULL, NULL, print_reloaded);
	case CMD_LOAD_ALL:
	case CMD_LOAD_CONNS:
	case CMD_LOAD_CREDS:
		return run_load(o);
	case CMD_LOG:
		return run_log(o);
	case CMD_NONE:
		break;
	}
	return 2;
}

int main(int argc, char **argv)
{
	struct opts o;
	int rc = parse_args(argc, argv, &o);

	if (rc > 0) {
		usage(stdout);
		return 0;
	}
	if (rc < 0) {
		usage(stderr);
		return 2;
	}
	/* Warnings about the file to load (settings.h) go to stderr. */
	log_init("ifsecctl", true, LOG_LVL_WARN);
	return run_cmd(&o);
}
