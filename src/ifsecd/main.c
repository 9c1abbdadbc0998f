/* SPDX-License-Identifier: BSD-2-Clause */
/* ifsecd: wiring only. Load the configuration (and stop on any error
 * before the network is touched), bring the tunnels up, run the data
 * plane worker, and undo everything on SIGTERM or SIGINT. */
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "config/conf.h"
#include "config/creds.h"
#include "crypto/crypto.h"
#include "ifsecd/conns.h"
#include "ifsecd/counters.h"
#include "ifsecd/ctl.h"
#include "ifsecd/ike_io.h"
#include "ifsecd/tunnel.h"
#include "ike/keylog.h"
#include "net/worker.h"

#define DEFAULT_CONFIG "/etc/ifsec/ifsec.conf"
#define DEFAULT_RUNDIR "/run/ifsec"

struct options {
	const char *config;
	const char *keylog_dir;
	const char *rundir;
	const char *vici;
	bool is_foreground;
	bool is_debug;
};

struct daemon {
	struct options opt;
	struct conf *conf;
	struct keylog *keylog;
	struct worker *worker;
	struct tunnels tunnels;
	struct creds creds;
	struct ike_io ike;
	struct conns conns;
	struct ctl ctl;
	struct event_base *base;
	struct event *events[4];
	size_t n_events;
	uint64_t generation;
	char counters_path[4096];
	char pid_path[4096];
	char vici_path[4096];
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ifsecd [-fdhV] [-c file] [--keylog dir] [--rundir dir]\n"
		"  -c, --config FILE   configuration (default " DEFAULT_CONFIG ")\n"
		"  -f, --foreground    stay in the foreground, log to standard error\n"
		"  -d, --debug         log debug messages\n"
		"      --keylog DIR    write SA keys for Wireshark into DIR (keep it secret)\n"
		"      --rundir DIR    pid and counters files (default " DEFAULT_RUNDIR ")\n"
		"      --vici PATH     the VICI control socket (default RUNDIR/ifsec.vici)\n"
		"  -V, --version       print the version\n"
		"  -h, --help          this text\n");
}

static int parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_KEYLOG = 256, OPT_RUNDIR, OPT_VICI };
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "debug", no_argument, NULL, 'd' },
		{ "keylog", required_argument, NULL, OPT_KEYLOG },
		{ "rundir", required_argument, NULL, OPT_RUNDIR },
		{ "vici", required_argument, NULL, OPT_VICI },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	*o = (struct options){ .config = DEFAULT_CONFIG, .rundir = DEFAULT_RUNDIR };
	while ((ch = getopt_long(argc, argv, "c:fdVh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': o->config = optarg; break;
		case 'f': o->is_foreground = true; break;
		case 'd': o->is_debug = true; break;
		case OPT_KEYLOG: o->keylog_dir = optarg; break;
		case OPT_RUNDIR: o->rundir = optarg; break;
		case OPT_VICI: o->vici = optarg; break;
		case 'V': printf("ifsecd %s\n", IFS_VERSION); exit(0);
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}

static void dump_counters(struct daemon *d)
{
	if (counters_write(d->counters_path, ++d->generation, &d->tunnels,
			   worker_stats(d->worker), d->ike.engine) != 0)
		log_warn("cannot write %s: %s", d->counters_path, strerror(errno));
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct daemon *d = arg;

	if (sig == SIGUSR1) {
		dump_counters(d);
		return;
	}
	log_info("signal %d: shutting down", (int)sig);
	event_base_loopbreak(d->base);
}

/* From the worker: IKE on port 4500 (non-ESP marker) and acquires. */
static void on_ike_packet(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *d = arg;
	struct worker_ike_packet *p;

	while ((p = worker_ike_pop(d->worker)) != NULL) {
		ike_io_worker_packet(&d->ike, p);
		free(p);
	}
}

static void on_sa_event(void *arg, void *user, bool is_up)
{
	ctl_sa_event(arg, user, is_up);
}

static int make_rundir(struct daemon *d)
{
	if (mkdir(d->opt.rundir, 0755) < 0 && errno != EEXIST) {
		log_error("cannot create %s: %s", d->opt.rundir, strerror(errno));
		return -1;
	}
	snprintf(d->counters_path, sizeof(d->counters_path), "%s/counters", d->opt.rundir);
	snprintf(d->pid_path, sizeof(d->pid_path), "%s/ifsecd.pid", d->opt.rundir);
	if (d->opt.vici)
		snprintf(d->vici_path, sizeof(d->vici_path), "%s", d->opt.vici);
	else if (d->conf->daemon.socket[0])
		snprintf(d->vici_path, sizeof(d->vici_path), "%s", d->conf->daemon.socket);
	else
		snprintf(d->vici_path, sizeof(d->vici_path), "%s/ifsec.vici", d->opt.rundir);
	return 0;
}

static void write_pid(struct daemon *d)
{
	FILE *f = fopen(d->pid_path, "we");

	if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0)
		log_warn("cannot write %s: %s", d->pid_path, strerror(errno));
	if (f)
		fclose(f);
}

/*
 * Detach, but let the parent's exit status tell whether the tunnels came
 * up: the parent waits for one byte from the child on a pipe.
 */
static int daemonize(int *ready_fd)
{
	int p[2];
	char c;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		close(p[1]);
		_exit(read(p[0], &c, 1) == 1 ? 0 : 1);
	}
	close(p[0]);
	setsid();
	*ready_fd = p[1];
	return 0;
}

static void signal_ready(int *ready_fd)
{
	int null_fd;

	if (*ready_fd < 0)
		return;
	(void)!write(*ready_fd, "", 1);
	close(*ready_fd);
	*ready_fd = -1;
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd >= 0) {
		dup2(null_fd, STDIN_FILENO);
		dup2(null_fd, STDOUT_FILENO);
		dup2(null_fd, STDERR_FILENO);
		close(null_fd);
	}
}

static int watch(struct daemon *d, int fd, short what, event_callback_fn cb)
{
	struct event *ev;

	if (d->n_events == IFS_ARRAY_LEN(d->events))
		return -1;
	ev = event_new(d->base, fd, what | EV_PERSIST, cb, d);
	if (!ev)
		return -1;
	d->events[d->n_events++] = ev;
	return event_add(ev, NULL);
}


static int start(struct daemon *d)
{
	struct ctl_server_opts so = {
		.path = d->vici_path, .has_gid = d->conf->daemon.has_socket_gid,
		.gid = d->conf->daemon.socket_gid,
	};
	struct tunnel_err terr;
	int err;

	if (!d->opt.keylog_dir && d->conf->daemon.keylog[0])
		d->opt.keylog_dir = d->conf->daemon.keylog;
	if (d->opt.keylog_dir && keylog_open(d->opt.keylog_dir, &d->keylog) != 0) {
		log_error("cannot open the key log in %s: %s", d->opt.keylog_dir,
			  strerror(errno));
		return -1;
	}
	if (d->keylog)
		log_warn("key log on: the keys of every SA are written to %s; anyone who "
			 "reads them can decrypt the tunnels", d->opt.keylog_dir);
	if (worker_new(&d->worker) != 0 || !(d->base = event_base_new())) {
		log_error("out of memory");
		return -1;
	}
	tunnels_init(&d->tunnels, d->worker, d->keylog);
	err = tunnels_add_all(&d->tunnels, d->conf, &terr);
	if (err) {
		log_error("%s", terr.msg);
		return -1;
	}
	if (creds_add_conf(&d->creds, d->conf) != 0) {
		log_error("out of memory");
		return -1;
	}
	if (watch(d, SIGTERM, EV_SIGNAL, on_signal) || watch(d, SIGINT, EV_SIGNAL, on_signal) ||
	    watch(d, SIGUSR1, EV_SIGNAL, on_signal) ||
	    watch(d, worker_ike_fd(d->worker), EV_READ, on_ike_packet) ||
	    worker_start(d->worker) != 0) {
		log_error("cannot start the data plane: %s", strerror(errno));
		return -1;
	}
	if (ike_io_start(&d->ike, d->base, &d->conf->daemon, &d->tunnels, &d->creds) != 0) {
		log_error("cannot start IKE");
		return -1;
	}
	d->conns = (struct conns){ .ts = &d->tunnels, .ike = &d->ike };
	if (ctl_start(&d->ctl, d->base, &so, &d->conns, &d->creds, d->opt.config) != 0) {
		log_error("cannot serve the control socket %s: %s", d->vici_path,
			  strerror(errno));
		return -1;
	}
	d->ike.observer = on_sa_event;
	d->ike.observer_arg = &d->ctl;
	return 0;
}

static void stop(struct daemon *d)
{
	ctl_stop(&d->ctl);
	ike_io_stop(&d->ike);
	worker_free(d->worker);
	tunnels_down(&d->tunnels);
	creds_clear(&d->creds);
	keylog_close(d->keylog);
	conf_free(d->conf);
	for (size_t i = 0; i < d->n_events; i++)
		event_free(d->events[i]);
	if (d->base)
		event_base_free(d->base);
	crypto_fini();
}

int main(int argc, char **argv)
{
	struct daemon d = { 0 };
	struct conf_err cerr;
	int ready_fd = -1, rc = 1;

	if (parse_options(argc, argv, &d.opt) != 0)
		return 2;
	log_init("ifsecd", true, d.opt.is_debug ? LOG_LVL_DEBUG : LOG_LVL_INFO);
	signal(SIGPIPE, SIG_IGN);
	if (crypto_init() != 0) {
		log_error("cannot initialise the crypto library");
		return 1;
	}
	if (conf_load(d.opt.config, &d.conf, &cerr) != 0) {
		log_error("%s", cerr.msg);
		crypto_fini();
		return 1;
	}
	if (!d.opt.is_foreground) {
		if (daemonize(&ready_fd) != 0) {
			log_error("cannot detach: %s", strerror(errno));
			goto out;
		}
	}
	if (make_rundir(&d) != 0 || start(&d) != 0)
		goto out;
	write_pid(&d);
	log_info("ifsecd %s running with %zu tunnel(s)", IFS_VERSION, d.tunnels.n);
	/* Until here a detached daemon still logs to the caller's standard
	 * error, so that a failed start says why where it was started. */
	if (!d.opt.is_foreground)
		log_init("ifsecd", false, d.opt.is_debug ? LOG_LVL_DEBUG : LOG_LVL_INFO);
	signal_ready(&ready_fd);
	event_base_dispatch(d.base);
	dump_counters(&d);
	unlink(d.pid_path);
	rc = 0;
out:
	stop(&d);
	return rc;
}
