/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The daemon's pre-shared keys by unique id (src/config/creds.c): add,
 * replace, the refusals (each of which still takes the key: ASan's leak
 * check tells), keys moved out of a loaded configuration, removal in
 * order, clearing, and the choice of a key for a pair of identities,
 * which must agree with conf_find_psk() on the same entries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/creds.h"

/* ---- helpers ----------------------------------------------------------- */

/* "No owners" as an empty array; test_add_null_owners passes NULL. */
static const struct ike_id no_owners[1];

static struct secret *key(const char *s)
{
	struct secret *k = NULL;

	assert_int_equal(secret_new(&k, s, strlen(s)), 0);
	return k;
}

static struct ike_id id_of(const char *s)
{
	struct ike_id id;
	char why[128];

	assert_int_equal(ike_id_parse(s, &id, why, sizeof(why)), 0);
	return id;
}

/* Add a key with up to three owners (NULL ends the list). */
static int add(struct creds *cs, const char *id, const char *psk, const char *o1,
	       const char *o2, const char *o3)
{
	const char *names[] = { o1, o2, o3 };
	struct ike_id owners[3];
	size_t n = 0;

	for (size_t i = 0; i < 3 && names[i]; i++)
		owners[n++] = id_of(names[i]);
	return creds_add(cs, id, key(psk), owners, n);
}

static void assert_key(const struct secret *s, const char *want)
{
	assert_non_null(s);
	assert_int_equal(s->len, strlen(want));
	assert_memory_equal(s->data, want, s->len);
}

/* The key creds_find_psk() picks for a pair, as text ("" for none). */
static const char *psk_for(const struct creds *cs, const char *local, const char *remote)
{
	static char out[64];
	struct ike_id l = id_of(local), r = id_of(remote);
	const struct secret *s = creds_find_psk(cs, &l, r.type, r.data, r.len);

	if (!s)
		return "";
	assert_true(s->len < sizeof(out));
	memcpy(out, s->data, s->len);
	out[s->len] = '\0';
	return out;
}

static struct conf *load_ok(const char *text)
{
	struct conf_err err;
	struct conf *c = NULL;
	int rc = conf_load_string(text, "t.conf", &c, &err);

	if (rc != 0)
		print_error("unexpected error: %s\n", err.msg);
	assert_int_equal(rc, 0);
	assert_non_null(c);
	return c;
}

static void assert_ids(const struct creds *cs, const char *const *want, size_t n)
{
	assert_int_equal(cs->n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(cs->ids[i], want[i]);
}

/* ---- add and replace ---------------------------------------------------- */

static void test_add(void **state)
{
	struct creds cs = { 0 };
	struct ike_id owners[2] = { id_of("a.example"), id_of("192.0.2.1") };

	(void)state;
	assert_int_equal(creds_add(&cs, "ike-1", key("one"), owners, 2), 0);
	/* the owners were copied: the caller's array may change */
	owners[0] = id_of("other.example");
	assert_int_equal(cs.n, 1);
	assert_string_equal(cs.ids[0], "ike-1");
	assert_key(cs.v[0].psk, "one");
	assert_int_equal(cs.v[0].n_ids, 2);
	assert_true(cs.v[0].ids[0].len == strlen("a.example"));
	assert_memory_equal(cs.v[0].ids[0].data, "a.example", strlen("a.example"));
	assert_string_equal(psk_for(&cs, "me.example", "a.example"), "one");
	assert_string_equal(psk_for(&cs, "me.example", "other.example"), "");
	/* a second id is a second entry, after the first */
	assert_int_equal(creds_add(&cs, "ike-2", key("two"), no_owners, 0), 0);
	assert_int_equal(cs.n, 2);
	assert_string_equal(cs.ids[1], "ike-2");
	assert_int_equal(cs.v[1].n_ids, 0);
	assert_string_equal(psk_for(&cs, "me.example", "other.example"), "two");
	creds_clear(&cs);
}

/* No owners given as NULL and 0, as the header allows ("none: any").
 * creds_add() then calls memcpy(s->ids, NULL, 0): undefined behaviour
 * (C11 7.24.1p2), which UBSan reports as "null pointer passed as
 * argument 2" at creds.c. Under UBSAN_OPTIONS=halt_on_error=1 (set for
 * the unit tests) this test fails until creds_add() skips the copy. */
static void test_add_null_owners(void **state)
{
	struct creds cs = { 0 };

	(void)state;
	assert_int_equal(creds_add(&cs, "ike-any", key("k"), NULL, 0), 0);
	assert_int_equal(cs.n, 1);
	assert_int_equal(cs.v[0].n_ids, 0);
	assert_string_equal(psk_for(&cs, "a.example", "b.example"), "k");
	creds_clear(&cs);
}

static void test_replace(void **state)
{
	static const char *const ids[] = { "a", "b", "c" };
	struct creds cs = { 0 };

	(void)state;
	assert_int_equal(add(&cs, "a", "ka", "a.example", NULL, NULL), 0);
	assert_int_equal(add(&cs, "b", "kb", "b.example", "x.example", NULL), 0);
	assert_int_equal(add(&cs, "c", "kc", NULL, NULL, NULL), 0);
	/* the same id again: its key and owners change, its place does not
	 * (the old key is freed: ASan's leak check) */
	assert_int_equal(add(&cs, "b", "kb2", "y.example", NULL, NULL), 0);
	assert_ids(&cs, ids, 3);
	assert_key(cs.v[1].psk, "kb2");
	assert_int_equal(cs.v[1].n_ids, 1);
	assert_string_equal(psk_for(&cs, "me.example", "y.example"), "kb2");
	assert_string_equal(psk_for(&cs, "me.example", "b.example"), "kc");
	assert_string_equal(psk_for(&cs, "me.example", "x.example"), "kc");
	/* and to no owners at all */
	assert_int_equal(add(&cs, "a", "ka2", NULL, NULL, NULL), 0);
	assert_int_equal(cs.v[0].n_ids, 0);
	assert_string_equal(psk_for(&cs, "me.example", "a.example"), "ka2");
	creds_clear(&cs);
}

/* Refused: the key is taken all the same (freed; ASan's leak check would
 * name it), and what was there stays. */
static void test_refusals(void **state)
{
	struct ike_id owners[CONF_MAX_SECRET_IDS + 1];
	char id[CREDS_ID_MAX + 1];
	struct creds cs = { 0 };

	(void)state;
	for (size_t i = 0; i < IFS_ARRAY_LEN(owners); i++)
		owners[i] = id_of("a.example");
	assert_int_equal(add(&cs, "keep", "kept", NULL, NULL, NULL), 0);
	/* an id of CREDS_ID_MAX bytes has no room for its NUL */
	memset(id, 'i', CREDS_ID_MAX);
	id[CREDS_ID_MAX] = '\0';
	assert_int_equal(creds_add(&cs, id, key("x"), no_owners, 0), IFS_ERR_RANGE);
	assert_int_equal(cs.n, 1);
	/* one byte shorter fits, whole */
	id[CREDS_ID_MAX - 1] = '\0';
	assert_int_equal(creds_add(&cs, id, key("long"), no_owners, 0), 0);
	assert_int_equal(cs.n, 2);
	assert_string_equal(cs.ids[1], id);
	assert_int_equal(creds_remove(&cs, id), 0);
	/* too many owners; exactly the maximum is fine */
	assert_int_equal(creds_add(&cs, "o", key("x"), owners, CONF_MAX_SECRET_IDS + 1),
			 IFS_ERR_RANGE);
	assert_int_equal(cs.n, 1);
	assert_int_equal(creds_add(&cs, "o", key("max"), owners, CONF_MAX_SECRET_IDS), 0);
	assert_int_equal(cs.v[1].n_ids, CONF_MAX_SECRET_IDS);
	/* a refused replacement leaves the entry as it was */
	assert_int_equal(creds_add(&cs, "keep", key("y"), owners, CONF_MAX_SECRET_IDS + 1),
			 IFS_ERR_RANGE);
	assert_key(cs.v[0].psk, "kept");
	assert_int_equal(cs.v[0].n_ids, 0);
	creds_clear(&cs);
}

/* Many entries: the arrays grow, every entry keeps its id and key. */
static void test_many(void **state)
{
	struct creds cs = { 0 };
	char id[32], k[32];

	(void)state;
	for (int i = 0; i < 300; i++) {
		snprintf(id, sizeof(id), "ike-%d", i);
		snprintf(k, sizeof(k), "key-%d", i);
		assert_int_equal(creds_add(&cs, id, key(k), no_owners, 0), 0);
	}
	assert_int_equal(cs.n, 300);
	for (int i = 0; i < 300; i++) {
		snprintf(id, sizeof(id), "ike-%d", i);
		snprintf(k, sizeof(k), "key-%d", i);
		assert_string_equal(cs.ids[i], id);
		assert_key(cs.v[i].psk, k);
	}
	/* without owners, the first entry is for anyone */
	assert_string_equal(psk_for(&cs, "a", "b"), "key-0");
	creds_clear(&cs);
}

/* ---- from a configuration ---------------------------------------------- */

static const char conf_text[] =
	"secrets {\n"
	"\tike-b {\n\t\tid = gw-b.example.com\n\t\tid-a = gw-a.example.com\n"
	"\t\tsecret = 0x0102030405\n\t}\n"
	"\tike-rw {\n\t\tid = *.example.org\n\t\tsecret = rw-key\n\t}\n"
	"\tike {\n\t\tsecret = \"plain secret\"\n\t}\n"
	"}\n";

static void test_add_conf(void **state)
{
	static const char *const ids[] = { "ike-b", "ike-rw", "ike-" };
	static const uint8_t k5[] = { 1, 2, 3, 4, 5 };
	struct creds cs = { 0 };
	struct conf *c = load_ok(conf_text);

	(void)state;
	assert_int_equal(creds_add_conf(&cs, c), 0);
	/* the keys were moved: the configuration holds none of them now, and
	 * freeing it leaves the credentials intact (ASan: no use after free,
	 * no double free) */
	for (size_t i = 0; i < c->n_secrets; i++)
		assert_null(c->secrets[i].psk);
	conf_free(c);
	assert_ids(&cs, ids, 3);
	assert_int_equal(cs.v[0].psk->len, sizeof(k5));
	assert_memory_equal(cs.v[0].psk->data, k5, sizeof(k5));
	assert_int_equal(cs.v[0].n_ids, 2);
	assert_key(cs.v[1].psk, "rw-key");
	assert_int_equal(cs.v[1].n_ids, 1);
	assert_key(cs.v[2].psk, "plain secret");
	assert_int_equal(cs.v[2].n_ids, 0);
	assert_string_equal(psk_for(&cs, "gw-a.example.com", "gw-b.example.com"),
			    "\x01\x02\x03\x04\x05");
	assert_string_equal(psk_for(&cs, "gw-a.example.com", "h.example.org"), "rw-key");
	assert_string_equal(psk_for(&cs, "192.0.2.1", "192.0.2.2"), "plain secret");

	/* loading again replaces by id: same entries, new keys */
	c = load_ok("secrets {\n\tike-rw {\n\t\tid = *.example.org\n"
		    "\t\tsecret = rw-key-2\n\t}\n\tike-new { secret = n }\n}\n");
	assert_int_equal(creds_add_conf(&cs, c), 0);
	conf_free(c);
	assert_int_equal(cs.n, 4);
	assert_string_equal(cs.ids[1], "ike-rw");
	assert_key(cs.v[1].psk, "rw-key-2");
	assert_string_equal(cs.ids[3], "ike-new");
	/* a configuration without secrets adds nothing */
	c = load_ok("");
	assert_int_equal(creds_add_conf(&cs, c), 0);
	conf_free(c);
	assert_int_equal(cs.n, 4);
	creds_clear(&cs);
}

/* ---- remove and clear --------------------------------------------------- */

static void test_remove(void **state)
{
	static const char *const all[] = { "a", "b", "c", "d" };
	static const char *const no_b[] = { "a", "c", "d" };
	static const char *const no_ad[] = { "c" };
	struct creds cs = { 0 };

	(void)state;
	assert_int_equal(creds_remove(&cs, "a"), IFS_ERR_NOT_FOUND);
	for (size_t i = 0; i < 4; i++) {
		char k[8];

		snprintf(k, sizeof(k), "k%s", all[i]);
		assert_int_equal(creds_add(&cs, all[i], key(k), no_owners, 0), 0);
	}
	assert_ids(&cs, all, 4);
	assert_int_equal(creds_remove(&cs, "b"), 0);
	assert_ids(&cs, no_b, 3);
	/* the keys moved with their ids */
	assert_key(cs.v[0].psk, "ka");
	assert_key(cs.v[1].psk, "kc");
	assert_key(cs.v[2].psk, "kd");
	assert_int_equal(creds_remove(&cs, "b"), IFS_ERR_NOT_FOUND);
	assert_int_equal(creds_remove(&cs, "B"), IFS_ERR_NOT_FOUND);
	assert_int_equal(creds_remove(&cs, ""), IFS_ERR_NOT_FOUND);
	assert_int_equal(creds_remove(&cs, "d"), 0);    /* the last */
	assert_int_equal(creds_remove(&cs, "a"), 0);    /* the first */
	assert_ids(&cs, no_ad, 1);
	assert_key(cs.v[0].psk, "kc");
	assert_string_equal(psk_for(&cs, "x", "y"), "kc");
	assert_int_equal(creds_remove(&cs, "c"), 0);
	assert_int_equal(cs.n, 0);
	assert_string_equal(psk_for(&cs, "x", "y"), "");
	/* and it fills again */
	assert_int_equal(add(&cs, "c", "kc2", NULL, NULL, NULL), 0);
	assert_string_equal(psk_for(&cs, "x", "y"), "kc2");
	creds_clear(&cs);
}

static void test_clear(void **state)
{
	struct creds cs = { 0 };

	(void)state;
	creds_clear(&cs);                 /* empty: nothing to do */
	assert_int_equal(cs.n, 0);
	assert_int_equal(add(&cs, "a", "ka", "a.example", NULL, NULL), 0);
	assert_int_equal(add(&cs, "b", "kb", NULL, NULL, NULL), 0);
	creds_clear(&cs);
	assert_int_equal(cs.n, 0);
	assert_int_equal(cs.cap, 0);
	assert_null(cs.v);
	assert_null(cs.ids);
	assert_string_equal(psk_for(&cs, "x", "a.example"), "");
	assert_int_equal(creds_remove(&cs, "a"), IFS_ERR_NOT_FOUND);
	/* usable again after clearing */
	assert_int_equal(add(&cs, "a", "ka2", NULL, NULL, NULL), 0);
	assert_string_equal(psk_for(&cs, "x", "a.example"), "ka2");
	creds_clear(&cs);
	creds_clear(&cs);
}

/* ---- the key for a pair of identities ---------------------------------- */

/* The entries of test_conf_ike.c's test_psk_precedence, by creds_add. */
static void add_precedence_set(struct creds *cs)
{
	assert_int_equal(add(cs, "any", "any", NULL, NULL, NULL), 0);
	assert_int_equal(add(cs, "pct", "pct", "%any", NULL, NULL), 0);
	assert_int_equal(add(cs, "local", "local", "me.example", NULL, NULL), 0);
	assert_int_equal(add(cs, "remote", "remote", "peer.example", NULL, NULL), 0);
	assert_int_equal(add(cs, "wild", "wild", "*.example", NULL, NULL), 0);
	assert_int_equal(add(cs, "both", "both", "me.example", "peer.example", NULL), 0);
	assert_int_equal(add(cs, "other", "other", "192.0.2.200", NULL, NULL), 0);
}

static void test_precedence(void **state)
{
	struct creds cs = { 0 };

	(void)state;
	add_precedence_set(&cs);
	/* both ids beat either one */
	assert_string_equal(psk_for(&cs, "me.example", "peer.example"), "both");
	assert_string_equal(psk_for(&cs, "ME.example", "Peer.Example"), "both");
	/* both by the wildcard, before the local one alone */
	assert_string_equal(psk_for(&cs, "me.example", "x.example"), "wild");
	/* the remote id beats the local id */
	assert_string_equal(psk_for(&cs, "192.0.2.1", "peer.example"), "remote");
	assert_string_equal(psk_for(&cs, "192.0.2.1", "192.0.2.200"), "other");
	/* the local id beats an entry without ids */
	assert_string_equal(psk_for(&cs, "me.example", "192.0.2.9"), "local");
	/* none named: the first entry for anyone */
	assert_string_equal(psk_for(&cs, "192.0.2.1", "192.0.2.9"), "any");
	/* remove the winners one by one: the next tier takes over */
	assert_int_equal(creds_remove(&cs, "both"), 0);
	/* (a wildcard matching both ids is still "both") */
	assert_string_equal(psk_for(&cs, "me.example", "peer.example"), "wild");
	assert_int_equal(creds_remove(&cs, "wild"), 0);
	assert_string_equal(psk_for(&cs, "me.example", "peer.example"), "remote");
	assert_int_equal(creds_remove(&cs, "remote"), 0);
	assert_string_equal(psk_for(&cs, "me.example", "peer.example"), "local");
	assert_int_equal(creds_remove(&cs, "local"), 0);
	assert_string_equal(psk_for(&cs, "me.example", "peer.example"), "any");
	assert_int_equal(creds_remove(&cs, "any"), 0);
	assert_string_equal(psk_for(&cs, "me.example", "peer.example"), "pct");
	assert_int_equal(creds_remove(&cs, "pct"), 0);
	assert_string_equal(psk_for(&cs, "me.example", "peer.example"), "");
	creds_clear(&cs);
	/* the order of adding decides nothing across tiers */
	assert_int_equal(add(&cs, "l", "l", "me.example", NULL, NULL), 0);
	assert_int_equal(add(&cs, "r", "r", "peer.example", NULL, NULL), 0);
	assert_string_equal(psk_for(&cs, "me.example", "peer.example"), "r");
	assert_int_equal(add(&cs, "b", "b", "peer.example", "me.example", NULL), 0);
	assert_string_equal(psk_for(&cs, "me.example", "peer.example"), "b");
	creds_clear(&cs);
}

/* creds_find_psk() and conf_find_psk() pick the same entry from the
 * same file, for every pair of these identities. */
static void test_same_as_conf(void **state)
{
	static const char text[] =
		"secrets {\n"
		"\tike-any { secret = any }\n"
		"\tike-pct {\n\t\tid = %any\n\t\tsecret = pct\n\t}\n"
		"\tike-local {\n\t\tid = me.example\n\t\tsecret = local\n\t}\n"
		"\tike-remote {\n\t\tid = peer.example\n\t\tsecret = remote\n\t}\n"
		"\tike-wild {\n\t\tid = *.example\n\t\tsecret = wild\n\t}\n"
		"\tike-both {\n\t\tid-1 = me.example\n\t\tid-2 = peer.example\n"
		"\t\tsecret = both\n\t}\n"
		"\tike-other {\n\t\tid = 192.0.2.200\n\t\tsecret = other\n\t}\n"
		"}\n";
	static const char *const names[] = {
		"me.example", "peer.example", "x.example", "ME.EXAMPLE", "192.0.2.1",
		"192.0.2.200", "2001:db8::1", "user@example", "example",
	};
	struct conf *ref = load_ok(text);
	struct conf *moved = load_ok(text);
	struct creds cs = { 0 };

	(void)state;
	assert_int_equal(creds_add_conf(&cs, moved), 0);
	conf_free(moved);
	for (size_t i = 0; i < IFS_ARRAY_LEN(names); i++)
		for (size_t j = 0; j < IFS_ARRAY_LEN(names); j++) {
			struct ike_id l = id_of(names[i]), r = id_of(names[j]);
			const struct conf_secret *want = conf_find_psk(ref, &l, r.type, r.data,
								       r.len);
			const struct secret *got = creds_find_psk(&cs, &l, r.type, r.data,
								  r.len);

			assert_non_null(want);
			assert_non_null(got);
			if (got->len != want->psk->len ||
			    memcmp(got->data, want->psk->data, got->len) != 0)
				print_error("%s / %s: conf picks %s\n", names[i], names[j],
					    want->name);
			assert_int_equal(got->len, want->psk->len);
			assert_memory_equal(got->data, want->psk->data, got->len);
		}
	conf_free(ref);
	creds_clear(&cs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_add_conf),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_clear),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_same_as_conf),
		/* last: in a UBSan build it stops the program (see above) */
		cmocka_unit_test(test_add_null_owners),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
