/* SPDX-License-Identifier: BSD-2-Clause */
#include "ifsecctl/load_cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/secret.h"
#include "config/conf.h"
#include "config/settings.h"
#include "crypto/crypto.h"
#include "ifsecctl/client.h"
#include "ifsecctl/load.h"
#include "ifsecctl/print.h"

/* What happened to one kind of item, for the summary line. */
struct tally {
	const char *kind;             /* "connection", "secret" */
	const char *label;            /* "connection", "ike secret": for people */
	size_t n_found;
	size_t n_loaded;
	size_t n_failed;
	size_t n_unloaded;
	size_t n_unload_failed;
};

struct loader {
	const struct load_opts *o;
	struct client c;
	uint8_t *buf;                 /* one request, up to VICI_MAX_PACKET bytes */
};

/* One item done: for people only what swanctl prints (loads, and
 * failures on standard error); for scripts every item. */
static void item_done(const struct loader *l, const struct tally *t, bool is_load,
		      const char *name, const char *why)
{
	char key[64];

	if (why)
		fprintf(stderr, "%s %s '%s' failed: %s\n", is_load ? "loading" : "unloading",
			t->label, name, why);
	else if (is_load && !l->o->is_json)
		printf("loaded %s '%s'\n", t->label, name);
	if (!l->o->is_json)
		return;
	if (why) {
		snprintf(key, sizeof(key), "%s-%s-failed", is_load ? "load" : "unload", t->kind);
		print_json_kv(stdout, (const char *const[]){ key, name, "errmsg", why }, 2);
	} else {
		snprintf(key, sizeof(key), "%s-%s", is_load ? "loaded" : "unloaded", t->kind);
		print_json_kv(stdout, (const char *const[]){ key, name }, 1);
	}
}

static void summary(const struct loader *l, const struct tally *t)
{
	char n[5][24];

	if (l->o->is_json) {
		snprintf(n[0], sizeof(n[0]), "%zu", t->n_found);
		snprintf(n[1], sizeof(n[1]), "%zu", t->n_loaded);
		snprintf(n[2], sizeof(n[2]), "%zu", t->n_failed);
		snprintf(n[3], sizeof(n[3]), "%zu", t->n_unloaded);
		snprintf(n[4], sizeof(n[4]), "%zu", t->n_unload_failed);
		print_json_kv(stdout, (const char *const[]){
			"summary", t->kind[0] == 'c' ? "connections" : "secrets",
			"found", n[0], "loaded", n[1], "failed", n[2],
			"unloaded", n[3], "unload-failed", n[4] }, 6);
	} else if (t->n_found == 0) {
		printf("no %ss found, %zu unloaded\n", t->kind, t->n_unloaded);
	} else if (t->n_failed == 0) {
		printf("successfully loaded %zu %ss, %zu unloaded\n", t->n_loaded, t->kind,
		       t->n_unloaded);
	} else {
		fprintf(stderr, "loaded %zu of %zu %ss, %zu failed to load, %zu unloaded\n",
			t->n_loaded, t->n_found, t->kind, t->n_failed, t->n_unloaded);
	}
}

/* 0 when the daemon said success=yes, 1 when it refused (why says
 * why), negative when the exchange failed (already printed). */
static int check_response(const struct vici_msg *resp, char *why, size_t why_len)
{
	const struct vici_node *root = vici_msg_root(resp);
	const char *msg = print_get(root, "errmsg");

	if (strcmp(print_get(root, "success"), "yes") == 0)
		return 0;
	snprintf(why, why_len, "%s", msg[0] ? msg : "(no reason given)");
	return 1;
}

/* The end of a call: a failed call says why on stderr (< 0), an answer
 * is checked and freed (0 success, 1 refused with why). */
static int call_done(struct loader *l, const char *cmd, int rc, struct vici_msg *resp,
		     char *why, size_t why_len)
{
	if (rc < 0) {
		fprintf(stderr, "ifsecctl: %s: %s\n", cmd, l->c.err);
		return rc;
	}
	rc = check_response(resp, why, why_len);
	vici_msg_free(resp);
	return rc;
}

static int call_packet(struct loader *l, const char *cmd, size_t len, char *why,
		       size_t why_len)
{
	struct vici_msg *resp;
	int rc = client_call_packet(&l->c, cmd, l->buf, len, NULL, NULL, NULL, &resp);

	return call_done(l, cmd, rc, resp, why, why_len);
}

static int call_kv(struct loader *l, const char *cmd, const char *key, const char *value,
		   char *why, size_t why_len)
{
	struct vici_msg *resp;
	int rc = client_call(&l->c, cmd, (const char *const[]){ key, value }, 1, NULL, NULL,
			     NULL, &resp);

	return call_done(l, cmd, rc, resp, why, why_len);
}

/* The names the daemon has (get-shared's keys, get-conns' conns). */
static int get_names(struct loader *l, const char *cmd, struct vici_msg **resp)
{
	int rc = client_call(&l->c, cmd, NULL, 0, NULL, NULL, NULL, resp);

	if (rc < 0)
		fprintf(stderr, "ifsecctl: %s: %s\n", cmd, l->c.err);
	return rc;
}

static bool has_section(const struct settings_node *sec, const char *name)
{
	const struct settings_node *n;

	if (!sec)
		return false;
	settings_foreach(sec, SETTINGS_SECTION, n)
		if (strcmp(n->name, name) == 0)
			return true;
	return false;
}

/* Load one item: 0 (loaded or refused, counted) or a broken exchange. */
static int load_one(struct loader *l, struct tally *t, const struct settings_node *sec,
		    bool is_secret)
{
	const char *cmd = is_secret ? "load-shared" : "load-conn";
	char why[512] = "";
	size_t len;
	struct wbuf w;
	int rc;

	t->n_found++;
	wbuf_init(&w, l->buf, VICI_MAX_PACKET);
	rc = is_secret ? load_build_shared(&w, sec, &len) : load_build_conn(&w, sec, &len);
	if (rc < 0)
		snprintf(why, sizeof(why), "cannot build the %s request: %s", cmd,
			 ifs_strerror(rc));
	else
		rc = call_packet(l, cmd, len, why, sizeof(why));
	if (is_secret)
		secret_wipe(l->buf, wbuf_len(&w));
	if (rc < 0 && why[0] == '\0')
		return rc;
	if (rc == 0)
		t->n_loaded++;
	else
		t->n_failed++;
	item_done(l, t, true, sec->name, rc == 0 ? NULL : why);
	return 0;
}

/* Load every subsection of sec, then unload what the daemon had and sec
 * does not; 0 or a broken exchange. */
static int sync_kind(struct loader *l, struct tally *t, const struct settings_node *sec,
		     bool is_secret)
{
	const char *unload = is_secret ? "unload-shared" : "unload-conn";
	struct vici_msg *had = NULL;
	const struct settings_node *n;
	int rc = get_names(l, is_secret ? "get-shared" : "get-conns", &had);

	if (sec) {
		settings_foreach(sec, SETTINGS_SECTION, n) {
			if (rc < 0)
				break;
			rc = load_one(l, t, n, is_secret);
		}
	}
	for (const struct vici_node *i = rc < 0 ? NULL :
	     vici_list_items(vici_msg_root(had), is_secret ? "keys" : "conns");
	     i && rc == 0; i = i->next) {
		const char *name = (const char *)i->value;
		char why[512];

		if (!vici_node_is_str(i) || has_section(sec, name))
			continue;
		rc = call_kv(l, unload, is_secret ? "id" : "name", name, why, sizeof(why));
		if (rc < 0)
			break;
		if (rc == 0)
			t->n_unloaded++;
		else
			t->n_unload_failed++;
		item_done(l, t, false, name, rc == 0 ? NULL : why);
		rc = 0;
	}
	vici_msg_free(had);
	if (rc == 0)
		summary(l, t);
	return rc;
}

static void note_manual(const struct settings_node *root)
{
	const struct settings_node *manual = NULL, *n;
	size_t count = 0;

	settings_foreach(root, SETTINGS_SECTION, n)
		if (strcmp(n->name, "manual") == 0)
			manual = n;
	if (!manual)
		return;
	settings_foreach(manual, SETTINGS_SECTION, n)
		count++;
	if (count)
		fprintf(stderr, "ifsecctl: note: %zu manually keyed tunnel%s in section "
			"'manual' %s not loaded over VICI: ifsecd sets up manual tunnels when it "
			"starts\n", count, count == 1 ? "" : "s", count == 1 ? "is" : "are");
}

/* The whole file as ifsecd would take it; its warnings go to stderr. */
static int validate(const char *file)
{
	struct conf_err err;
	struct conf *conf = NULL;
	int rc = crypto_init();

	if (rc < 0) {
		fprintf(stderr, "ifsecctl: cannot initialise the crypto library\n");
		return rc;
	}
	rc = conf_load(file, &conf, &err);
	if (rc < 0)
		fprintf(stderr, "ifsecctl: %s\n", err.msg);
	conf_free(conf);
	crypto_fini();
	return rc;
}

static int run_loads(struct loader *l, struct settings_node *root)
{
	struct tally secrets = { .kind = "secret", .label = "ike secret" };
	struct tally conns = { .kind = "connection", .label = "connection" };
	int rc = 0;

	if (l->o->has_conns)
		note_manual(root);
	if (client_open(&l->c, l->o->socket_path, l->o->timeout_s) != 0) {
		fprintf(stderr, "ifsecctl: %s\n", l->c.err);
		return 1;
	}
	if (l->o->has_creds)
		rc = sync_kind(l, &secrets, settings_find_section(root, "secrets"), true);
	if (rc == 0 && l->o->has_conns)
		rc = sync_kind(l, &conns, settings_find_section(root, "connections"), false);
	client_close(&l->c);
	if (rc < 0 || secrets.n_failed || secrets.n_unload_failed || conns.n_failed ||
	    conns.n_unload_failed)
		return 1;
	return 0;
}

int load_cmd_run(const struct load_opts *o)
{
	struct loader l = { .o = o };
	struct settings_err serr;
	struct settings *st = NULL;
	int rc;

	if (validate(o->file) < 0)
		return 1;
	/* The tree to send: read again, it passed conf_load() just now. */
	if (settings_load_file(o->file, &st, &serr) != 0) {
		fprintf(stderr, "ifsecctl: %s\n", serr.msg);
		return 1;
	}
	l.buf = malloc(VICI_MAX_PACKET);
	if (!l.buf) {
		fprintf(stderr, "ifsecctl: out of memory\n");
		settings_free(st);
		return 1;
	}
	rc = run_loads(&l, settings_root(st));
	free(l.buf);
	settings_free(st);
	return rc;
}
