/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The VICI server on a real event loop and a real socket in a temporary
 * directory, with blocking test clients in the same thread: the loop is
 * pumped with EVLOOP_NONBLOCK between their steps, so each test is a
 * deterministic sequence. Covered: the command round trip, CMD_UNKNOWN,
 * event registration, events streamed before a response and only to the
 * registered client, deferred responses (answered, and cancelled when
 * the client left or the server went), broken and hostile clients (bad
 * packets and messages, oversized lengths, cut packets, too many clients,
 * a client that never reads), and the socket file (mode, group, a stale
 * file replaced, a live one or a non-socket refused, unlinked at the end).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control/server.h"

#define MAX_FDS 8
#define WAIT_ROUNDS 3000        /* 1 ms polls: at most 3 s per wait */

struct fx {
	char dir[64];
	char path[128];
	struct event_base *base;
	struct ctl_server *srv;
	int fds[MAX_FDS];
	size_t n_fds;
	struct ctl_client *waiting;     /* the deferred "initiate" */
	uint64_t waiting_id;
	int n_cancelled;
	int n_sas;                      /* list-sa events per list-sas */
};

static struct fx fx;

/* A packet a client received, its message parsed. */
struct rpkt {
	uint8_t *body;
	struct vici_packet p;
	struct vici_msg *m;
};

/* ---- Commands the tests register -------------------------------------- */

static int cmd_version(void *ctx, struct ctl_client *c,
		       const struct vici_node *req, struct vici_builder *resp)
{
	vici_kv_str(resp, "daemon", "ifsecd");
	vici_kv_str(resp, "version", "0.1.0");
	return 0;
}

static int cmd_fail(void *ctx, struct ctl_client *c,
		    const struct vici_node *req, struct vici_builder *resp)
{
	char ike[32] = "";

	if (vici_get_str(req, "ike", ike, sizeof(ike)) < 0)
		return ctl_client_fail(c, IFS_ERR_INVAL, "missing 'ike'");
	vici_kv_str(resp, "ignored", "yes");
	return ctl_client_fail(c, IFS_ERR_NOT_FOUND, "no IKE SA named '%s'", ike);
}

/* list-sas: one list-sa event per SA before the (empty) response. */
static int cmd_list_sas(void *ctx, struct ctl_client *c,
			const struct vici_node *req, struct vici_builder *resp)
{
	static uint8_t pad[1000];
	struct fx *f = ctx;
	struct vici_builder *b;

	for (int i = 0; i < f->n_sas; i++) {
		b = ctl_client_event_begin(c, "list-sa");
		if (!b)
			continue;
		vici_begin_section(b, i ? "gw2" : "gw1");
		vici_kv_str(b, "state", "ESTABLISHED");
		if (f->n_sas > 2)
			vici_kv(b, "pad", pad, sizeof(pad));
		vici_end_section(b);
		(void)ctl_client_event_end(c, b);
	}
	return 0;
}

static void on_cancel(void *arg)
{
	struct fx *f = arg;

	f->n_cancelled++;
	f->waiting = NULL;
}

/* initiate: a control-log line now, the response later. */
static int cmd_initiate(void *ctx, struct ctl_client *c,
			const struct vici_node *req, struct vici_builder *resp)
{
	struct fx *f = ctx;
	struct vici_builder *b = ctl_client_event_begin(c, "control-log");

	if (b) {
		vici_kv_str(b, "msg", "initiating IKE_SA gw[1]");
		(void)ctl_client_event_end(c, b);
	}
	f->waiting = c;
	f->waiting_id = ctl_client_id(c);
	return ctl_client_defer(c, on_cancel, f);
}

/* More than any response may hold. */
static int cmd_big(void *ctx, struct ctl_client *c,
		   const struct vici_node *req, struct vici_builder *resp)
{
	static uint8_t blob[60000];

	for (int i = 0; i < 10; i++)
		vici_kv(resp, "blob", blob, sizeof(blob));
	return 0;
}

/* ---- Fixture ----------------------------------------------------------- */

static void pump(void)
{
	event_base_loop(fx.base, EVLOOP_NONBLOCK);
}

static int server_start(const struct ctl_server_opts *o)
{
	struct ctl_server_opts d = { .path = fx.path };
	int rc;

	rc = ctl_server_new(fx.base, o ? o : &d, &fx.srv);
	if (rc < 0)
		return rc;
	assert_int_equal(ctl_server_add_command(fx.srv, "version", cmd_version, &fx), 0);
	assert_int_equal(ctl_server_add_command(fx.srv, "terminate", cmd_fail, &fx), 0);
	assert_int_equal(ctl_server_add_command(fx.srv, "list-sas", cmd_list_sas, &fx), 0);
	assert_int_equal(ctl_server_add_command(fx.srv, "initiate", cmd_initiate, &fx), 0);
	assert_int_equal(ctl_server_add_command(fx.srv, "big", cmd_big, &fx), 0);
	assert_int_equal(ctl_server_add_event(fx.srv, "list-sa"), 0);
	assert_int_equal(ctl_server_add_event(fx.srv, "control-log"), 0);
	assert_int_equal(ctl_server_add_event(fx.srv, "log"), 0);
	return 0;
}

static int setup(void **state)
{
	memset(&fx, 0, sizeof(fx));
	fx.n_sas = 2;
	strcpy(fx.dir, "/tmp/ifsec-vici-XXXXXX");
	assert_non_null(mkdtemp(fx.dir));
	snprintf(fx.path, sizeof(fx.path), "%s/ifsec.vici", fx.dir);
	fx.base = event_base_new();
	assert_non_null(fx.base);
	assert_int_equal(server_start(NULL), 0);
	return 0;
}

static void restart(const struct ctl_server_opts *o)
{
	ctl_server_free(fx.srv);
	fx.srv = NULL;
	assert_int_equal(server_start(o), 0);
}

static int teardown(void **state)
{
	char other[160];

	for (size_t i = 0; i < fx.n_fds; i++) {
		if (fx.fds[i] >= 0)
			close(fx.fds[i]);
	}
	ctl_server_free(fx.srv);
	event_base_free(fx.base);
	unlink(fx.path);
	snprintf(other, sizeof(other), "%s/other", fx.dir);
	unlink(other);
	assert_int_equal(rmdir(fx.dir), 0);
	return 0;
}

static struct ctl_server_stats stats(void)
{
	struct ctl_server_stats st;

	ctl_server_get_stats(fx.srv, &st);
	return st;
}

/* ---- Test clients ------------------------------------------------------ */

static int cli_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0 && fx.n_fds < MAX_FDS);
	strcpy(sa.sun_path, fx.path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	fx.fds[fx.n_fds++] = fd;
	return fd;
}

static void cli_close(int fd)
{
	for (size_t i = 0; i < fx.n_fds; i++) {
		if (fx.fds[i] == fd)
			fx.fds[i] = -1;
	}
	close(fd);
}

static void cli_send(int fd, const void *p, size_t len)
{
	assert_int_equal(send(fd, p, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* A packet: name for the named types, an optional key and value. */
static void cli_send_pkt(int fd, enum vici_pkt type, const char *name,
			 const char *key, const char *value)
{
	uint8_t buf[512];
	struct vici_builder b;
	struct wbuf w;
	size_t len;

	wbuf_init(&w, buf, sizeof(buf));
	vici_build_packet(&b, &w, type, name);
	if (key)
		vici_kv_str(&b, key, value);
	assert_int_equal(vici_build_finish(&b, &len), 0);
	cli_send(fd, buf, len);
}

/* Pump the loop until fd has something to read (or was closed). */
static bool wait_readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	for (int i = 0; i < WAIT_ROUNDS; i++) {
		pump();
		if (poll(&p, 1, 1) == 1)
			return true;
	}
	return false;
}

/* Pump a while and report whether anything arrived meanwhile. */
static bool quiet(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	for (int i = 0; i < 30; i++)
		pump();
	return poll(&p, 1, 0) == 0;
}

static bool recv_exact(int fd, uint8_t *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if (!wait_readable(fd))
			return false;
		n = recv(fd, p, len, MSG_DONTWAIT);
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* The next packet's type, or -1 when the server closed the connection. */
static int recv_pkt(int fd, struct rpkt *r)
{
	uint8_t hdr[4];
	uint32_t len;

	memset(r, 0, sizeof(*r));
	if (!recv_exact(fd, hdr, sizeof(hdr)))
		return -1;
	len = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 | hdr[2] << 8 | hdr[3];
	r->body = malloc(len);
	assert_non_null(r->body);
	assert_true(recv_exact(fd, r->body, len));
	assert_int_equal(vici_packet_decode(r->body, len, &r->p), 0);
	if (vici_pkt_has_msg(r->p.type))
		assert_int_equal(vici_msg_parse(r->p.msg, r->p.msg_len, &r->m), 0);
	return (int)r->p.type;
}

static void rpkt_clear(struct rpkt *r)
{
	vici_msg_free(r->m);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

static void expect_pkt(int fd, enum vici_pkt type)
{
	struct rpkt r;

	assert_int_equal(recv_pkt(fd, &r), type);
	rpkt_clear(&r);
}

static void expect_closed(int fd)
{
	uint8_t buf[256];
	ssize_t n;

	do {
		assert_true(wait_readable(fd));
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	} while (n > 0);
	assert_true(n == 0 || errno == ECONNRESET);
}

static void expect_str(const struct rpkt *r, const char *key, const char *want)
{
	char buf[256];

	assert_int_equal(vici_get_str(vici_msg_root(r->m), key, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

/* success=no with errmsg, charon's answer to a failed command. */
static void expect_failure(int fd, const char *errmsg)
{
	struct rpkt r;

	assert_int_equal(recv_pkt(fd, &r), VICI_CMD_RESPONSE);
	expect_str(&r, "success", "no");
	expect_str(&r, "errmsg", errmsg);
	rpkt_clear(&r);
}

static void cli_register(int fd, const char *event)
{
	cli_send_pkt(fd, VICI_EVENT_REGISTER, event, NULL, NULL);
	expect_pkt(fd, VICI_EVENT_CONFIRM);
}

/* A version request answered. */
static void round_trip(int fd)
{
	struct rpkt r;

	cli_send_pkt(fd, VICI_CMD_REQUEST, "version", NULL, NULL);
	assert_int_equal(recv_pkt(fd, &r), VICI_CMD_RESPONSE);
	expect_str(&r, "daemon", "ifsecd");
	rpkt_clear(&r);
}

/* Pump until the server freed every closed client. */
static void settle(unsigned n_clients)
{
	for (int i = 0; i < WAIT_ROUNDS && stats().n_clients != n_clients; i++)
		pump();
	assert_int_equal(stats().n_clients, n_clients);
}

/* ---- Commands ---------------------------------------------------------- */

/* A command answered, an unknown one refused, a command again. */
static void test_commands(void **state)
{
	int fd = cli_connect();
	struct rpkt r;

	round_trip(fd);
	cli_send_pkt(fd, VICI_CMD_REQUEST, "no-such-command", "k", "v");
	expect_pkt(fd, VICI_CMD_UNKNOWN);
	cli_send_pkt(fd, VICI_CMD_REQUEST, "version", NULL, NULL);
	assert_int_equal(recv_pkt(fd, &r), VICI_CMD_RESPONSE);
	expect_str(&r, "version", "0.1.0");
	rpkt_clear(&r);
	assert_int_equal(stats().requests, 3);
	assert_int_equal(stats().unknown_commands, 1);
	assert_int_equal(stats().accepted, 1);
	assert_int_equal(stats().n_clients, 1);
}

/* A handler that fails, and one whose response is over the bound. */
static void test_failed_responses(void **state)
{
	int fd = cli_connect();
	struct rpkt r;

	cli_send_pkt(fd, VICI_CMD_REQUEST, "terminate", "ike", "gw");
	assert_int_equal(recv_pkt(fd, &r), VICI_CMD_RESPONSE);
	expect_str(&r, "success", "no");
	expect_str(&r, "errmsg", "no IKE SA named 'gw'");
	/* What the handler wrote before failing is gone. */
	assert_null(vici_find(vici_msg_root(r.m), "ignored"));
	rpkt_clear(&r);

	cli_send_pkt(fd, VICI_CMD_REQUEST, "big", NULL, NULL);
	expect_failure(fd, "response too large");
	round_trip(fd);
}

/* A request nested deeper than the parser's limit is well formed: it is
 * refused in a response and the client stays. */
static void test_request_too_deep(void **state)
{
	uint8_t buf[256];
	struct wbuf w;
	int fd = cli_connect();
	unsigned n = VICI_MAX_DEPTH + 1;

	wbuf_init(&w, buf, sizeof(buf));
	wbuf_u32(&w, 2 + 7 + 4 * n);
	wbuf_u8(&w, VICI_CMD_REQUEST);
	wbuf_u8(&w, 7);
	wbuf_bytes(&w, "version", 7);
	for (unsigned i = 0; i < n; i++)
		wbuf_bytes(&w, "\x01\x01s", 3);
	wbuf_fill(&w, VICI_SECTION_END, n);
	assert_true(wbuf_ok(&w));
	cli_send(fd, buf, wbuf_len(&w));
	expect_failure(fd, "request too complex");
	round_trip(fd);
}

/* ---- Events ------------------------------------------------------------ */

static void test_event_register(void **state)
{
	int fd = cli_connect();

	cli_register(fd, "list-sa");
	cli_send_pkt(fd, VICI_EVENT_REGISTER, "no-such-event", NULL, NULL);
	expect_pkt(fd, VICI_EVENT_UNKNOWN);
	cli_send_pkt(fd, VICI_EVENT_UNREGISTER, "list-sa", NULL, NULL);
	expect_pkt(fd, VICI_EVENT_CONFIRM);
	cli_send_pkt(fd, VICI_EVENT_UNREGISTER, "no-such-event", NULL, NULL);
	expect_pkt(fd, VICI_EVENT_UNKNOWN);
	/* Unregistered: list-sas streams nothing. */
	cli_send_pkt(fd, VICI_CMD_REQUEST, "list-sas", NULL, NULL);
	expect_pkt(fd, VICI_CMD_RESPONSE);
	assert_int_equal(stats().events_sent, 0);
}

/* swanctl --list-sas registers for list-sa, sends list-sas, and takes
 * events until the response; a client that did not register gets only
 * the response. */
static void test_stream_before_response(void **state)
{
	int a = cli_connect(), b = cli_connect();
	struct rpkt r;

	cli_register(a, "list-sa");
	cli_send_pkt(b, VICI_CMD_REQUEST, "list-sas", NULL, NULL);
	cli_send_pkt(a, VICI_CMD_REQUEST, "list-sas", NULL, NULL);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(recv_pkt(a, &r), VICI_EVENT);
		assert_string_equal(r.p.name, "list-sa");
		expect_str(&r, i ? "gw2.state" : "gw1.state", "ESTABLISHED");
		rpkt_clear(&r);
	}
	expect_pkt(a, VICI_CMD_RESPONSE);
	expect_pkt(b, VICI_CMD_RESPONSE);
	assert_true(quiet(b));
	assert_int_equal(stats().events_sent, 2);
}

static void test_broadcast(void **state)
{
	int a = cli_connect(), b = cli_connect();
	struct vici_builder *vb;
	struct rpkt r;

	assert_null(ctl_server_broadcast_begin(fx.srv, "log"));
	assert_null(ctl_server_broadcast_begin(fx.srv, "no-such-event"));
	cli_register(a, "log");
	round_trip(b);
	vb = ctl_server_broadcast_begin(fx.srv, "log");
	assert_non_null(vb);
	vici_kv_str(vb, "msg", "IKE_SA gw[1] established");
	assert_int_equal(ctl_server_broadcast_end(fx.srv, vb), 0);
	assert_int_equal(recv_pkt(a, &r), VICI_EVENT);
	assert_string_equal(r.p.name, "log");
	expect_str(&r, "msg", "IKE_SA gw[1] established");
	rpkt_clear(&r);
	assert_true(quiet(b));
}

/* ---- Deferred responses -------------------------------------------------- */

/* initiate answers once its SA is up; the version request sent right
 * behind it (in the same write) waits for that answer, and control-log
 * events flow before it. */
static void test_deferred(void **state)
{
	static const char two[] =
		"\x00\x00\x00\x0a" "\x00\x08" "initiate"
		"\x00\x00\x00\x09" "\x00\x07" "version";
	int fd = cli_connect();
	struct vici_builder *b;
	struct rpkt r;

	cli_register(fd, "control-log");
	cli_send(fd, two, sizeof(two) - 1);
	assert_int_equal(recv_pkt(fd, &r), VICI_EVENT);
	assert_string_equal(r.p.name, "control-log");
	rpkt_clear(&r);
	assert_true(quiet(fd));
	assert_non_null(fx.waiting);
	assert_ptr_equal(ctl_server_client(fx.srv, fx.waiting_id), fx.waiting);

	/* Later, the SA is up: one more line, then the answer. */
	b = ctl_client_event_begin(fx.waiting, "control-log");
	assert_non_null(b);
	vici_kv_str(b, "msg", "IKE_SA gw[1] established");
	assert_int_equal(ctl_client_event_end(fx.waiting, b), 0);
	b = ctl_client_respond_begin(fx.waiting);
	assert_non_null(b);
	vici_kv_str(b, "success", "yes");
	assert_int_equal(ctl_client_respond_end(fx.waiting, b), 0);

	assert_int_equal(recv_pkt(fd, &r), VICI_EVENT);
	rpkt_clear(&r);
	assert_int_equal(recv_pkt(fd, &r), VICI_CMD_RESPONSE);
	expect_str(&r, "success", "yes");
	rpkt_clear(&r);
	assert_int_equal(recv_pkt(fd, &r), VICI_CMD_RESPONSE);
	expect_str(&r, "daemon", "ifsecd");
	rpkt_clear(&r);
	assert_int_equal(fx.n_cancelled, 0);
}

static void test_deferred_fail(void **state)
{
	int fd = cli_connect();

	cli_send_pkt(fd, VICI_CMD_REQUEST, "initiate", "child", "net");
	assert_true(quiet(fd));
	assert_int_equal(ctl_client_respond_fail(fx.waiting, "establishing '%s' failed",
						 "net"), 0);
	expect_failure(fd, "establishing 'net' failed");
	round_trip(fd);
}

/* swanctl interrupted during --initiate: the operation is told, once. */
static void test_deferred_client_left(void **state)
{
	int fd = cli_connect();
	uint64_t id;

	cli_send_pkt(fd, VICI_CMD_REQUEST, "initiate", "child", "net");
	assert_true(quiet(fd));
	assert_non_null(fx.waiting);
	id = fx.waiting_id;
	cli_close(fd);
	settle(0);
	assert_int_equal(fx.n_cancelled, 1);
	assert_null(fx.waiting);
	assert_null(ctl_server_client(fx.srv, id));
}

static void test_deferred_server_freed(void **state)
{
	int fd = cli_connect();

	cli_send_pkt(fd, VICI_CMD_REQUEST, "initiate", NULL, NULL);
	assert_true(quiet(fd));
	assert_non_null(fx.waiting);
	ctl_server_free(fx.srv);
	fx.srv = NULL;
	assert_int_equal(fx.n_cancelled, 1);
	expect_closed(fd);
}

/* ---- Hostile and broken clients ------------------------------------------ */

static void test_malformed(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
	} bad[] = {
		{ "\x00\x00\x00\x01" "\x09", 5 },                       /* no such type */
		{ "\x00\x00\x00\x0c" "\x00\x07" "version" "\x01\x01s", 16 }, /* unbalanced */
		{ "\x00\x00\x00\x01" "\x01", 5 },                       /* a response */
		{ "\x00\x00\x00\x00", 4 },                              /* empty */
		{ "\x00\x00\x00\x05" "\x03\x07" "lis", 9 },             /* name cut */
	};
	int good = cli_connect(), fd;

	for (size_t i = 0; i < IFS_ARRAY_LEN(bad); i++) {
		fd = cli_connect();
		cli_send(fd, bad[i].bytes, bad[i].len);
		expect_closed(fd);
		cli_close(fd);
		round_trip(good);
	}
	settle(1);
	assert_int_equal(stats().malformed, IFS_ARRAY_LEN(bad));
}

/* A length over the bound closes the client before anything is
 * allocated for it (4 GiB would be). */
static void test_oversized(void **state)
{
	int good = cli_connect(), fd = cli_connect();

	cli_send(fd, "\xff\xff\xff\xf0" "\x00\x07", 6);
	expect_closed(fd);
	settle(1);      /* freed by the server; our end is still open */
	round_trip(good);
	assert_int_equal(stats().too_large, 1);
	assert_int_equal(stats().malformed, 0);
}

static void test_cut_mid_packet(void **state)
{
	int good = cli_connect(), fd = cli_connect();

	round_trip(fd);
	cli_send(fd, "\x00\x00\x00\x20" "\x00\x07" "ver", 9);
	assert_true(quiet(fd));
	cli_close(fd);
	settle(1);
	assert_int_equal(stats().truncated, 1);
	round_trip(good);
}

static void test_too_many_clients(void **state)
{
	struct ctl_server_opts o = { .path = fx.path, .max_clients = 2 };
	int a, b, c;

	restart(&o);
	a = cli_connect();
	b = cli_connect();
	round_trip(a);
	round_trip(b);
	c = cli_connect();
	expect_closed(c);
	assert_int_equal(stats().refused, 1);
	assert_int_equal(stats().n_clients, 2);
	round_trip(a);
	/* Once one leaves, there is room again. */
	cli_close(c);
	cli_close(b);
	settle(1);
	c = cli_connect();
	round_trip(c);
	assert_int_equal(stats().accepted, 3);
}

/* A client registered for the log that never reads, while the log
 * floods: its queue reaches the bound and it goes; the one that reads
 * stays. */
static void test_slow_client(void **state)
{
	struct ctl_server_opts o = { .path = fx.path, .max_queued_len = 64 * 1024 };
	static char line[1000];
	int slow, fast, i;
	uint8_t buf[65536];
	struct vici_builder *b;
	struct rpkt r;

	restart(&o);
	memset(line, 'x', sizeof(line) - 1);
	slow = cli_connect();
	fast = cli_connect();
	cli_register(slow, "log");
	cli_register(fast, "log");
	for (i = 0; i < 20000 && stats().slow_disconnects == 0; i++) {
		b = ctl_server_broadcast_begin(fx.srv, "log");
		assert_non_null(b);
		vici_kv_str(b, "msg", line);
		assert_int_equal(ctl_server_broadcast_end(fx.srv, b), 0);
		pump();
		while (recv(fast, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
	}
	assert_int_equal(stats().slow_disconnects, 1);
	expect_closed(slow);
	settle(1);
	/* The reader still works, behind the log lines still coming in. */
	cli_send_pkt(fast, VICI_CMD_REQUEST, "version", NULL, NULL);
	while (recv_pkt(fast, &r) == VICI_EVENT)
		rpkt_clear(&r);
	assert_int_equal(r.p.type, VICI_CMD_RESPONSE);
	rpkt_clear(&r);
}

/* A handler streams more than the queue holds: what the kernel takes is
 * handed to it at once (the client reads only after the handler; on a
 * live system it reads meanwhile). Past that, the client goes in the
 * middle of the handler, which carries on; its events and response are
 * dropped. */
static void test_slow_client_in_handler(void **state)
{
	struct ctl_server_opts o = { .path = fx.path, .max_queued_len = 64 * 1024 };
	int fd, good;

	restart(&o);
	fd = cli_connect();
	good = cli_connect();
	cli_register(fd, "list-sa");
	fx.n_sas = 80;          /* 80 kB: over the queue, under the kernel's */
	cli_send_pkt(fd, VICI_CMD_REQUEST, "list-sas", NULL, NULL);
	for (int i = 0; i < fx.n_sas; i++)
		expect_pkt(fd, VICI_EVENT);
	expect_pkt(fd, VICI_CMD_RESPONSE);
	assert_int_equal(stats().slow_disconnects, 0);

	fx.n_sas = 4000;        /* 4 MB: more than queue and kernel hold */
	cli_send_pkt(fd, VICI_CMD_REQUEST, "list-sas", NULL, NULL);
	expect_closed(fd);
	settle(1);
	assert_int_equal(stats().slow_disconnects, 1);
	round_trip(good);
}

/* ---- The socket file ------------------------------------------------------ */

/* 0600, or 0660 for a group; unlinked when the server goes. */
static void test_socket_mode(void **state)
{
	struct ctl_server_opts o = { .path = fx.path, .has_gid = true };
	struct stat sb;

	assert_int_equal(stat(fx.path, &sb), 0);
	assert_true(S_ISSOCK(sb.st_mode));
	assert_int_equal(sb.st_mode & 07777, 0600);

	o.gid = geteuid() == 0 ? 4242 : getegid();
	restart(&o);
	assert_int_equal(stat(fx.path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0660);
	assert_int_equal(sb.st_gid, o.gid);
	round_trip(cli_connect());

	ctl_server_free(fx.srv);
	fx.srv = NULL;
	assert_int_equal(access(fx.path, F_OK), -1);
	assert_int_equal(errno, ENOENT);
}

/* A daemon that died left its socket: the next one replaces it. */
static void test_stale_socket(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	ctl_server_free(fx.srv);
	fx.srv = NULL;
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	strcpy(sa.sun_path, fx.path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	assert_int_equal(access(fx.path, F_OK), 0);
	assert_int_equal(server_start(NULL), 0);
	round_trip(cli_connect());
}

/* A second daemon on a live socket is refused and leaves the first one's
 * socket alone; so is any file that is no socket. */
static void test_socket_in_use(void **state)
{
	struct ctl_server_opts o = { .path = fx.path };
	struct ctl_server *second = NULL;
	int fd = cli_connect();

	assert_int_equal(ctl_server_new(fx.base, &o, &second), IFS_ERR_EXISTS);
	assert_null(second);
	assert_int_equal(access(fx.path, F_OK), 0);
	round_trip(fd);
	round_trip(cli_connect());

	snprintf(fx.path, sizeof(fx.path), "%s/other", fx.dir);
	fd = open(fx.path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(ctl_server_new(fx.base, &o, &second), IFS_ERR_EXISTS);
	assert_int_equal(access(fx.path, F_OK), 0);
	snprintf(fx.path, sizeof(fx.path), "%s/ifsec.vici", fx.dir);
}

static void test_registration_errors(void **state)
{
	char long_name[CTL_NAME_MAX + 2];

	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_int_equal(ctl_server_add_command(fx.srv, "version", cmd_version, NULL),
			 IFS_ERR_EXISTS);
	assert_int_equal(ctl_server_add_command(fx.srv, long_name, cmd_version, NULL),
			 IFS_ERR_RANGE);
	assert_int_equal(ctl_server_add_command(fx.srv, "x", NULL, NULL), IFS_ERR_INVAL);
	assert_int_equal(ctl_server_add_event(fx.srv, "log"), IFS_ERR_EXISTS);
	assert_int_equal(ctl_server_add_event(fx.srv, ""), IFS_ERR_INVAL);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_commands),
		T(test_failed_responses),
		T(test_request_too_deep),
		T(test_event_register),
		T(test_stream_before_response),
		T(test_broadcast),
		T(test_deferred),
		T(test_deferred_fail),
		T(test_deferred_client_left),
		T(test_deferred_server_freed),
		T(test_malformed),
		T(test_oversized),
		T(test_cut_mid_packet),
		T(test_too_many_clients),
		T(test_slow_client),
		T(test_slow_client_in_handler),
		T(test_socket_mode),
		T(test_stale_socket),
		T(test_socket_in_use),
		T(test_registration_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
