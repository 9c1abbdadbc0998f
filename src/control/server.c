/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The VICI server (see server.h): the listening socket and its file, the
 * clients, their bounds and their input. What a packet does is in
 * server_client.c.
 *
 * Clients that must go (EOF, a bad packet, a full queue) are marked
 * closing and freed by the server's work event, from the loop; that same
 * event resumes clients whose deferred request was answered.
 */
#include "control/server_priv.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"

#define ACCEPT_BATCH 16u        /* connections accepted per wake-up */
#define ACCEPT_PAUSE_MS 100     /* after EMFILE and friends */
#define LISTEN_BACKLOG 16

/* ---- Clients ------------------------------------------------------------- */

static void reader_failed(struct ctl_client *c, int rc)
{
	if (rc == IFS_ERR_RANGE)
		c->srv->st.too_large++;
	else
		c->srv->st.malformed++;
	log_debug("control: client %llu: %s, disconnected",
		  (unsigned long long)c->id,
		  rc == IFS_ERR_RANGE ? "packet too large" : ifs_strerror(rc));
	ctl_srv_client_close(c);
}

/* Feed the reader from the input buffer and handle each packet, until the
 * input is used up or a request waits for its response. Bytes after a
 * complete packet stay in the input buffer until their turn. */
static void client_process(struct ctl_client *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	struct vici_packet pkt;
	uint8_t buf[4096];
	ev_ssize_t n;
	struct cur cur;
	int rc;

	while (!c->is_waiting && !c->is_closing) {
		n = evbuffer_copyout(in, buf, sizeof(buf));
		if (n <= 0)
			return;
		cur_init(&cur, buf, (size_t)n);
		rc = vici_reader_push(&c->rd, &cur, &pkt);
		evbuffer_drain(in, (size_t)n - cur_left(&cur));
		if (rc < 0)
			reader_failed(c, rc);
		else if (rc == 1)
			ctl_srv_handle_packet(c, &pkt);
	}
}

/* A client that shut its side down gets the answers to everything it
 * sent (a pipelined batch, then shutdown(SHUT_WR)), then the connection
 * is closed. */
void ctl_srv_client_finish_eof(struct ctl_client *c)
{
	if (!c->is_eof || c->is_closing || c->is_waiting ||
	    evbuffer_get_length(bufferevent_get_input(c->bev)) > 0 ||
	    evbuffer_get_length(c->out) > 0)
		return;
	if (!vici_reader_is_idle(&c->rd))
		c->srv->st.truncated++;
	log_debug("control: client %llu disconnected", (unsigned long long)c->id);
	ctl_srv_client_close(c);
}

static void on_client_read(struct bufferevent *bev, void *arg)
{
	client_process(arg);
}

static void on_client_event(struct bufferevent *bev, short what, void *arg)
{
	struct ctl_client *c = arg;

	if (!(what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) || c->is_closing)
		return;
	/* Gone while its request waits (an initiate): the request is
	 * cancelled rather than kept for nobody. */
	if ((what & BEV_EVENT_ERROR) || c->is_waiting) {
		if (!vici_reader_is_idle(&c->rd))
			c->srv->st.truncated++;
		log_debug("control: client %llu gone", (unsigned long long)c->id);
		ctl_srv_client_close(c);
		return;
	}
	c->is_eof = true;
	bufferevent_disable(c->bev, EV_READ);
	client_process(c);
	ctl_srv_client_finish_eof(c);
}

/* Mark c for the work event to free; nothing is freed under a caller. */
void ctl_srv_client_close(struct ctl_client *c)
{
	if (c->is_closing)
		return;
	c->is_closing = true;
	bufferevent_disable(c->bev, EV_READ);
	event_del(c->write_ev);
	event_active(c->srv->work_ev, EV_READ, 0);
}

/* Up to this many buffer chunks per sendmsg(). */
#define FLUSH_IOV 16

/* sendmsg() rather than write(): MSG_NOSIGNAL, so that a client gone
 * away is an EPIPE here and no signal for the whole daemon. */
int ctl_srv_client_flush(struct ctl_client *c)
{
	struct evbuffer_iovec v[FLUSH_IOV];
	struct iovec iov[FLUSH_IOV];
	struct msghdr mh = { .msg_iov = iov };
	ssize_t n;
	int k;

	while (evbuffer_get_length(c->out) > 0) {
		k = evbuffer_peek(c->out, -1, NULL, v, FLUSH_IOV);
		k = k < (int)FLUSH_IOV ? k : (int)FLUSH_IOV;
		for (int i = 0; i < k; i++)
			iov[i] = (struct iovec){ v[i].iov_base, v[i].iov_len };
		mh.msg_iovlen = (size_t)k;
		n = sendmsg(bufferevent_getfd(c->bev), &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			break;
		if (n < 0) {
			ctl_srv_client_close(c);
			return IFS_ERR_SYS;
		}
		evbuffer_drain(c->out, (size_t)n);
	}
	if (evbuffer_get_length(c->out) == 0) {
		event_del(c->write_ev);
		ctl_srv_client_finish_eof(c);
	}
	return 0;
}

static void on_client_write(evutil_socket_t fd, short what, void *arg)
{
	(void)ctl_srv_client_flush(arg);
}

/* Unlink and free c; a request still waiting is told through its cancel
 * callback, after c left the list, so that it cannot reach c again. */
static void client_free(struct ctl_client *c)
{
	struct ctl_server *srv = c->srv;

	if (c->prev)
		c->prev->next = c->next;
	else
		srv->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	srv->st.n_clients--;
	if (c->is_waiting && c->cancel)
		c->cancel(c->cancel_arg);
	event_free(c->write_ev);
	evbuffer_free(c->out);
	bufferevent_free(c->bev);
	vici_reader_clear(&c->rd);
	free(c);
}

static void on_work(evutil_socket_t fd, short what, void *arg)
{
	struct ctl_server *srv = arg;
	struct ctl_client *c, *next;

	for (c = srv->clients; c; c = next) {
		next = c->next;
		if (c->needs_resume && !c->is_closing) {
			c->needs_resume = false;
			client_process(c);
			ctl_srv_client_finish_eof(c);
		}
	}
	for (c = srv->clients; c; c = next) {
		next = c->next;
		if (c->is_closing)
			client_free(c);
	}
}

/* The client's I/O on fd: a bufferevent reads (and owns fd), the
 * output buffer is written by the write event. */
static int client_io(struct ctl_server *srv, struct ctl_client *c, int fd)
{
	c->bev = bufferevent_socket_new(srv->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (!c->bev) {
		close(fd);
		return IFS_ERR_NOMEM;
	}
	c->out = evbuffer_new();
	c->write_ev = event_new(srv->base, fd, EV_WRITE | EV_PERSIST,
				on_client_write, c);
	if (!c->out || !c->write_ev)
		return IFS_ERR_NOMEM;
	bufferevent_setcb(c->bev, on_client_read, NULL, on_client_event, c);
	/* While a request waits, what the client sends next stays in the
	 * input buffer: this much, then reading stops. */
	bufferevent_setwatermark(c->bev, EV_READ, 0, srv->max_request_len + VICI_LEN_HDR);
	bufferevent_disable(c->bev, EV_WRITE);
	return bufferevent_enable(c->bev, EV_READ) < 0 ? IFS_ERR_NOMEM : 0;
}

/* Takes fd, which is closed on failure. */
static int client_new(struct ctl_server *srv, int fd)
{
	struct ctl_client *c = calloc(1, sizeof(*c));
	int rc;

	if (!c) {
		close(fd);
		return IFS_ERR_NOMEM;
	}
	c->srv = srv;
	c->id = ++srv->next_id;
	rc = vici_reader_init(&c->rd, srv->max_request_len);
	if (rc < 0)
		close(fd);
	else
		rc = client_io(srv, c, fd);
	if (rc < 0) {
		if (c->write_ev)
			event_free(c->write_ev);
		if (c->out)
			evbuffer_free(c->out);
		if (c->bev)
			bufferevent_free(c->bev);
		vici_reader_clear(&c->rd);
		free(c);
		return rc;
	}
	c->next = srv->clients;
	if (c->next)
		c->next->prev = c;
	srv->clients = c;
	srv->st.n_clients++;
	srv->st.accepted++;
	log_debug("control: client %llu connected", (unsigned long long)c->id);
	return 0;
}

uint64_t ctl_client_id(const struct ctl_client *c)
{
	return c->id;
}

struct ctl_client *ctl_server_client(struct ctl_server *srv, uint64_t id)
{
	for (struct ctl_client *c = srv->clients; c; c = c->next) {
		if (c->id == id)
			return c->is_closing ? NULL : c;
	}
	return NULL;
}

/* ---- Accepting ----------------------------------------------------------- */

/* Out of descriptors: stop accepting for a moment instead of waking up
 * for the same pending connection again and again. */
static void accept_pause(struct ctl_server *srv)
{
	struct timeval tv = { 0, ACCEPT_PAUSE_MS * 1000 };

	log_warn("control: cannot accept a client: %s", strerror(errno));
	event_del(srv->listen_ev);
	evtimer_add(srv->pause_ev, &tv);
}

static void on_accept_resume(evutil_socket_t fd, short what, void *arg)
{
	struct ctl_server *srv = arg;

	event_add(srv->listen_ev, NULL);
}

static void on_accept(evutil_socket_t lfd, short what, void *arg)
{
	struct ctl_server *srv = arg;
	int fd;

	for (unsigned i = 0; i < ACCEPT_BATCH; i++) {
		fd = accept4(srv->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				accept_pause(srv);
			return;
		}
		if (srv->st.n_clients >= srv->max_clients) {
			srv->st.refused++;
			log_debug("control: %u clients, one more refused",
				  srv->st.n_clients);
			close(fd);
			continue;
		}
		(void)client_new(srv, fd);
	}
}

/* ---- The socket ---------------------------------------------------------- */

/*
 * A socket file at path is a leftover when connecting to it is refused:
 * remove it. When somebody answers (or its backlog is full), another
 * daemon runs there; a file that is no socket is not ours to remove.
 */
static int remove_stale(const struct sockaddr_un *sa)
{
	struct stat sb;
	int fd, rc, err;

	if (lstat(sa->sun_path, &sb) < 0)
		return errno == ENOENT ? 0 : IFS_ERR_SYS;
	if (!S_ISSOCK(sb.st_mode))
		return IFS_ERR_EXISTS;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return IFS_ERR_SYS;
	rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	err = errno;
	close(fd);
	if (rc == 0 || err == EAGAIN || err == EINPROGRESS)
		return IFS_ERR_EXISTS;
	if (err == ENOENT)
		return 0;
	if (err != ECONNREFUSED) {
		errno = err;
		return IFS_ERR_SYS;
	}
	log_info("control: removing the stale socket %s", sa->sun_path);
	if (unlink(sa->sun_path) < 0 && errno != ENOENT)
		return IFS_ERR_SYS;
	return 0;
}

/* The file's mode and group: bind() made it 0600; a group gets 0660 only
 * once the file belongs to it. */
static int socket_perms(struct ctl_server *srv, const struct ctl_server_opts *o)
{
	if (o->has_gid && (chown(srv->path, (uid_t)-1, o->gid) < 0 ||
			   chmod(srv->path, 0660) < 0))
		return IFS_ERR_SYS;
	if (!o->has_gid && chmod(srv->path, 0600) < 0)
		return IFS_ERR_SYS;
	return 0;
}

static int socket_open(struct ctl_server *srv, const struct ctl_server_opts *o)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat sb;
	mode_t old_mask;
	int rc;

	if (strlen(o->path) >= sizeof(sa.sun_path))
		return IFS_ERR_RANGE;
	memcpy(sa.sun_path, o->path, strlen(o->path));
	rc = remove_stale(&sa);
	if (rc < 0)
		return rc;
	srv->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv->fd < 0)
		return IFS_ERR_SYS;
	old_mask = umask(0177);
	rc = bind(srv->fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old_mask);
	if (rc < 0)
		return errno == EADDRINUSE ? IFS_ERR_EXISTS : IFS_ERR_SYS;
	/* From here on the file is ours, to unlink on failure and at the end. */
	if (lstat(sa.sun_path, &sb) < 0)
		return IFS_ERR_SYS;
	memcpy(srv->path, sa.sun_path, sizeof(srv->path));
	srv->dev = sb.st_dev;
	srv->ino = sb.st_ino;
	rc = socket_perms(srv, o);
	if (rc == 0 && listen(srv->fd, LISTEN_BACKLOG) < 0)
		rc = IFS_ERR_SYS;
	return rc;
}

/* ---- The server ---------------------------------------------------------- */

static void opts_apply(struct ctl_server *srv, const struct ctl_server_opts *o)
{
	srv->max_clients = o->max_clients ? o->max_clients : CTL_DEFAULT_MAX_CLIENTS;
	srv->max_request_len = o->max_request_len ? o->max_request_len :
			       CTL_DEFAULT_MAX_REQUEST;
	srv->max_response_len = o->max_response_len ? o->max_response_len :
				CTL_DEFAULT_MAX_RESPONSE;
	srv->max_queued_len = o->max_queued_len ? o->max_queued_len :
			      CTL_DEFAULT_MAX_QUEUED;
}

static int server_events(struct ctl_server *srv)
{
	srv->listen_ev = event_new(srv->base, srv->fd, EV_READ | EV_PERSIST,
				   on_accept, srv);
	srv->pause_ev = evtimer_new(srv->base, on_accept_resume, srv);
	srv->work_ev = event_new(srv->base, -1, 0, on_work, srv);
	if (!srv->listen_ev || !srv->pause_ev || !srv->work_ev)
		return IFS_ERR_NOMEM;
	if (event_add(srv->listen_ev, NULL) < 0)
		return IFS_ERR_SYS;
	return 0;
}

int ctl_server_new(struct event_base *base, const struct ctl_server_opts *opts,
		   struct ctl_server **out)
{
	struct ctl_server *srv;
	int rc;

	*out = NULL;
	if (!base || !opts || !opts->path || !opts->path[0] ||
	    opts->max_request_len > UINT32_MAX ||
	    opts->max_response_len > UINT32_MAX ||
	    (opts->max_response_len && opts->max_response_len < CTL_MIN_RESPONSE))
		return IFS_ERR_INVAL;
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return IFS_ERR_NOMEM;
	srv->base = base;
	srv->fd = -1;
	opts_apply(srv, opts);
	rc = socket_open(srv, opts);
	if (rc == 0)
		rc = server_events(srv);
	if (rc < 0) {
		ctl_server_free(srv);
		return rc;
	}
	*out = srv;
	return 0;
}

/* Unlink the socket only while it is still the file we made: a second
 * daemon that was refused must not remove the first one's socket. */
static void socket_unlink(struct ctl_server *srv)
{
	struct stat sb;

	if (!srv->path[0] || lstat(srv->path, &sb) < 0)
		return;
	if (sb.st_dev == srv->dev && sb.st_ino == srv->ino)
		unlink(srv->path);
}

void ctl_server_free(struct ctl_server *srv)
{
	if (!srv)
		return;
	while (srv->clients)
		client_free(srv->clients);
	if (srv->listen_ev)
		event_free(srv->listen_ev);
	if (srv->pause_ev)
		event_free(srv->pause_ev);
	if (srv->work_ev)
		event_free(srv->work_ev);
	if (srv->fd >= 0) {
		socket_unlink(srv);
		close(srv->fd);
	}
	ctl_srv_slots_clear(srv);
	free(srv);
}

void ctl_server_get_stats(const struct ctl_server *srv, struct ctl_server_stats *st)
{
	*st = srv->st;
}

/* ---- Registration -------------------------------------------------------- */

static int check_name(const char *name)
{
	if (!name || !name[0])
		return IFS_ERR_INVAL;
	return strlen(name) > CTL_NAME_MAX ? IFS_ERR_RANGE : 0;
}

int ctl_server_add_command(struct ctl_server *srv, const char *name,
			   ctl_cmd_fn fn, void *ctx)
{
	struct ctl_cmd *cmd;
	int rc = check_name(name);

	if (rc < 0)
		return rc;
	if (!fn)
		return IFS_ERR_INVAL;
	if (ctl_srv_find_command(srv, name))
		return IFS_ERR_EXISTS;
	if (srv->n_cmds >= CTL_MAX_COMMANDS)
		return IFS_ERR_FULL;
	cmd = &srv->cmds[srv->n_cmds++];
	memcpy(cmd->name, name, strlen(name) + 1);
	cmd->fn = fn;
	cmd->ctx = ctx;
	return 0;
}

int ctl_server_add_event(struct ctl_server *srv, const char *name)
{
	int rc = check_name(name);

	if (rc < 0)
		return rc;
	if (ctl_srv_find_event(srv, name) >= 0)
		return IFS_ERR_EXISTS;
	if (srv->n_events >= CTL_MAX_EVENTS)
		return IFS_ERR_FULL;
	memcpy(srv->events[srv->n_events++], name, strlen(name) + 1);
	return 0;
}
