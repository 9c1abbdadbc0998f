/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VICI messages: the builder that writes elements, the parser that turns
 * a message into a tree, and lookups in that tree. Packets and framing
 * are in vici_packet.c.
 */
#include "control/vici.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Building ---------------------------------------------------------- */

static bool build_fail(struct vici_builder *b, int err)
{
	if (!b->err)
		b->err = err;
	return false;
}

/* May one more element be written, and is it allowed where we are? */
static bool build_check(struct vici_builder *b, bool is_list_elem)
{
	if (b->err)
		return false;
	if (!b->can_have_msg || b->is_in_list != is_list_elem)
		return build_fail(b, IFS_ERR_INVAL);
	if (b->n_elements >= VICI_MAX_ELEMENTS)
		return build_fail(b, IFS_ERR_RANGE);
	b->n_elements++;
	return true;
}

/* type, then an 8-bit length and the name */
static bool put_named(struct vici_builder *b, uint8_t type, const char *name)
{
	size_t len = strlen(name);

	if (len > VICI_NAME_MAX)
		return build_fail(b, IFS_ERR_RANGE);
	if (!wbuf_u8(b->w, type) || !wbuf_u8(b->w, (uint8_t)len) ||
	    !wbuf_bytes(b->w, name, len))
		return build_fail(b, IFS_ERR_FULL);
	return true;
}

/* a 16-bit length and the value */
static bool put_value(struct vici_builder *b, const void *value, size_t len)
{
	if (!wbuf_u16(b->w, (uint16_t)len) || !wbuf_bytes(b->w, value, len))
		return build_fail(b, IFS_ERR_FULL);
	return true;
}

static bool put_bare(struct vici_builder *b, uint8_t type)
{
	if (!wbuf_u8(b->w, type))
		return build_fail(b, IFS_ERR_FULL);
	return true;
}

bool vici_begin_section(struct vici_builder *b, const char *name)
{
	if (!build_check(b, false))
		return false;
	if (b->depth >= VICI_MAX_DEPTH)
		return build_fail(b, IFS_ERR_RANGE);
	if (!put_named(b, VICI_SECTION_START, name))
		return false;
	b->depth++;
	return true;
}

bool vici_end_section(struct vici_builder *b)
{
	if (!build_check(b, false))
		return false;
	if (b->depth == 0)
		return build_fail(b, IFS_ERR_INVAL);
	b->depth--;
	return put_bare(b, VICI_SECTION_END);
}

bool vici_kv(struct vici_builder *b, const char *key, const void *value,
	     size_t len)
{
	if (!build_check(b, false))
		return false;
	if (len > VICI_VALUE_MAX)
		return build_fail(b, IFS_ERR_RANGE);
	return put_named(b, VICI_KEY_VALUE, key) && put_value(b, value, len);
}

bool vici_kv_str(struct vici_builder *b, const char *key, const char *value)
{
	return vici_kv(b, key, value, strlen(value));
}

bool vici_begin_list(struct vici_builder *b, const char *name)
{
	if (!build_check(b, false) || !put_named(b, VICI_LIST_START, name))
		return false;
	b->is_in_list = true;
	return true;
}

bool vici_list_item(struct vici_builder *b, const void *value, size_t len)
{
	if (!build_check(b, true))
		return false;
	if (len > VICI_VALUE_MAX)
		return build_fail(b, IFS_ERR_RANGE);
	return put_bare(b, VICI_LIST_ITEM) && put_value(b, value, len);
}

bool vici_list_item_str(struct vici_builder *b, const char *value)
{
	return vici_list_item(b, value, strlen(value));
}

bool vici_end_list(struct vici_builder *b)
{
	if (!build_check(b, true))
		return false;
	b->is_in_list = false;
	return put_bare(b, VICI_LIST_END);
}

/* Format a value. Short ones go through a stack buffer; longer ones are
 * measured first and formatted on the heap. key is NULL for a list item. */
static bool add_vprintf(struct vici_builder *b, const char *key,
			const char *fmt, va_list ap) IFS_PRINTF(3, 0);

static bool add_vprintf(struct vici_builder *b, const char *key,
			const char *fmt, va_list ap)
{
	char small[256], *big = NULL;
	va_list ap2;
	bool ok = false;
	int n;

	if (b->err)
		return false;
	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n < 0 || (size_t)n > VICI_VALUE_MAX) {
		build_fail(b, n < 0 ? IFS_ERR_INVAL : IFS_ERR_RANGE);
		goto out;
	}
	if ((size_t)n >= sizeof(small)) {
		big = malloc((size_t)n + 1);
		if (!big) {
			build_fail(b, IFS_ERR_NOMEM);
			goto out;
		}
		(void)vsnprintf(big, (size_t)n + 1, fmt, ap2);
	}
	if (key)
		ok = vici_kv(b, key, big ? big : small, (size_t)n);
	else
		ok = vici_list_item(b, big ? big : small, (size_t)n);
out:
	free(big);
	va_end(ap2);
	return ok;
}

bool vici_kv_printf(struct vici_builder *b, const char *key, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = add_vprintf(b, key, fmt, ap);
	va_end(ap);
	return ok;
}

bool vici_list_printf(struct vici_builder *b, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = add_vprintf(b, NULL, fmt, ap);
	va_end(ap);
	return ok;
}

static bool add_node(struct vici_builder *b, const struct vici_node *n)
{
	const struct vici_node *i;

	switch (n->kind) {
	case VICI_NODE_KV:
		return vici_kv(b, n->name, n->value, n->value_len);
	case VICI_NODE_SECTION:
		return vici_begin_section(b, n->name) &&
		       vici_add_children(b, n) && vici_end_section(b);
	case VICI_NODE_LIST:
		if (!vici_begin_list(b, n->name))
			return false;
		for (i = n->children; i; i = i->next)
			if (!vici_list_item(b, i->value, i->value_len))
				return false;
		return vici_end_list(b);
	case VICI_NODE_ITEM:
		break;
	}
	return build_fail(b, IFS_ERR_INVAL);
}

/* Recursion is bounded: parsed trees are at most VICI_MAX_DEPTH deep, and
 * vici_begin_section() stops there. */
bool vici_add_children(struct vici_builder *b, const struct vici_node *sec)
{
	const struct vici_node *n;

	if (sec->kind != VICI_NODE_SECTION)
		return build_fail(b, IFS_ERR_INVAL);
	for (n = sec->children; n; n = n->next)
		if (!add_node(b, n))
			return false;
	return !b->err;
}

/* ---- Parsing ----------------------------------------------------------- */

struct vici_msg {
	struct vici_node root;
	size_t n_elements;
	size_t n_nodes, n_nodes_used;
	char *text;                  /* names and values, each with a NUL */
	size_t text_len, text_used;
	struct vici_node nodes[];
};

/* One element as read from the wire, borrowing from the message. */
struct elem {
	uint8_t type;
	const uint8_t *name;
	size_t name_len;
	const uint8_t *value;
	size_t value_len;
};

static bool elem_has_name(uint8_t type)
{
	return type == VICI_SECTION_START || type == VICI_KEY_VALUE ||
	       type == VICI_LIST_START;
}

static bool elem_has_value(uint8_t type)
{
	return type == VICI_KEY_VALUE || type == VICI_LIST_ITEM;
}

/*
 *   +--------+--------+----//----+--------+--------+-------//-------+
 *   |  type  |name len|   name   |  value length   |      value      |
 *   +--------+--------+----//----+--------+--------+-------//-------+
 *             SECTION_START, KEY_VALUE,  KEY_VALUE, LIST_ITEM
 *             LIST_START
 */
static int elem_read(struct cur *c, struct elem *e)
{
	uint8_t name_len;
	uint16_t value_len;

	memset(e, 0, sizeof(*e));
	if (!cur_u8(c, &e->type) || e->type < VICI_SECTION_START ||
	    e->type > VICI_LIST_END)
		return IFS_ERR_SYNTAX;
	if (elem_has_name(e->type)) {
		if (!cur_u8(c, &name_len) || !cur_bytes(c, name_len, &e->name))
			return IFS_ERR_SYNTAX;
		if (memchr(e->name, '\0', name_len))
			return IFS_ERR_SYNTAX;
		e->name_len = name_len;
	}
	if (elem_has_value(e->type)) {
		if (!cur_u16(c, &value_len) || !cur_bytes(c, value_len, &e->value))
			return IFS_ERR_SYNTAX;
		e->value_len = value_len;
	}
	return 0;
}

/* What the first pass learns: the message is well formed, and how much
 * room its tree takes. */
struct census {
	size_t n_elements;
	size_t n_nodes;
	size_t text_len;
};

/* The grammar (README "Sections", "Key/Values", "Lists"): sections
 * balance; a list holds only items and is closed; items only in lists. */
static int check_grammar(const struct elem *e, unsigned *depth, bool *is_in_list)
{
	bool is_item = e->type == VICI_LIST_ITEM || e->type == VICI_LIST_END;

	if (*is_in_list != is_item)
		return IFS_ERR_SYNTAX;
	switch (e->type) {
	case VICI_SECTION_START:
		if (*depth >= VICI_MAX_DEPTH)
			return IFS_ERR_RANGE;
		(*depth)++;
		break;
	case VICI_SECTION_END:
		if (*depth == 0)
			return IFS_ERR_SYNTAX;
		(*depth)--;
		break;
	case VICI_LIST_START:
		*is_in_list = true;
		break;
	case VICI_LIST_END:
		*is_in_list = false;
		break;
	}
	return 0;
}

static int census_take(const uint8_t *buf, size_t len, struct census *cs)
{
	unsigned depth = 0;
	bool is_in_list = false;
	struct elem e;
	struct cur c;
	int rc;

	memset(cs, 0, sizeof(*cs));
	cur_init(&c, buf, len);
	while (cur_left(&c) > 0) {
		if (cs->n_elements >= VICI_MAX_ELEMENTS)
			return IFS_ERR_RANGE;
		cs->n_elements++;
		rc = elem_read(&c, &e);
		if (rc == 0)
			rc = check_grammar(&e, &depth, &is_in_list);
		if (rc < 0)
			return rc;
		if (e.type == VICI_SECTION_END || e.type == VICI_LIST_END)
			continue;
		cs->n_nodes++;
		cs->text_len += elem_has_name(e.type) ? e.name_len + 1 : 0;
		cs->text_len += elem_has_value(e.type) ? e.value_len + 1 : 0;
	}
	if (!cur_end(&c) || depth != 0 || is_in_list)
		return IFS_ERR_SYNTAX;
	return 0;
}

static struct vici_msg *msg_alloc(const struct census *cs)
{
	struct vici_msg *m;
	size_t nodes_len = cs->n_nodes * sizeof(struct vici_node);

	/* n_nodes <= VICI_MAX_ELEMENTS and text_len < 2 * the message
	 * length, so these sums cannot wrap. */
	m = calloc(1, sizeof(*m) + nodes_len + cs->text_len);
	if (!m)
		return NULL;
	m->n_elements = cs->n_elements;
	m->n_nodes = cs->n_nodes;
	m->text = (char *)&m->nodes[cs->n_nodes];
	m->text_len = cs->text_len;
	m->root.kind = VICI_NODE_SECTION;
	m->root.name = "";
	return m;
}

/* A NUL-terminated copy of n bytes in the arena. */
static char *msg_copy(struct vici_msg *m, const uint8_t *src, size_t n)
{
	char *t;

	if (IFS_BUG(n >= m->text_len - m->text_used))
		return NULL;
	t = &m->text[m->text_used];
	if (n)
		memcpy(t, src, n);
	t[n] = '\0';
	m->text_used += n + 1;
	return t;
}

static struct vici_node *msg_node(struct vici_msg *m, const struct elem *e)
{
	static const enum vici_node_kind kinds[] = {
		[VICI_SECTION_START] = VICI_NODE_SECTION,
		[VICI_KEY_VALUE] = VICI_NODE_KV,
		[VICI_LIST_START] = VICI_NODE_LIST,
		[VICI_LIST_ITEM] = VICI_NODE_ITEM,
	};
	struct vici_node *n;

	if (IFS_BUG(m->n_nodes_used >= m->n_nodes))
		return NULL;
	n = &m->nodes[m->n_nodes_used++];
	n->kind = kinds[e->type];
	n->name = "";
	if (elem_has_name(e->type)) {
		n->name = msg_copy(m, e->name, e->name_len);
		n->name_len = e->name_len;
		if (!n->name)
			return NULL;
	}
	if (elem_has_value(e->type)) {
		n->value = (const uint8_t *)msg_copy(m, e->value, e->value_len);
		n->value_len = e->value_len;
		if (!n->value)
			return NULL;
	}
	return n;
}

/* The second pass: the census proved the grammar, so this only links. */
struct tree_pos {
	struct vici_node *sec[VICI_MAX_DEPTH + 1];   /* open sections */
	struct vici_node *last[VICI_MAX_DEPTH + 1];  /* their last member */
	unsigned depth;
	struct vici_node *list, *list_last;
};

static void append(struct vici_node *parent, struct vici_node **last,
		   struct vici_node *n)
{
	if (*last)
		(*last)->next = n;
	else
		parent->children = n;
	*last = n;
}

static int tree_add(struct vici_msg *m, struct tree_pos *t, const struct elem *e)
{
	struct vici_node *n = NULL;

	if (e->type == VICI_SECTION_END || e->type == VICI_LIST_END) {
		if (e->type == VICI_LIST_END)
			t->list = NULL;
		else if (IFS_BUG(t->depth == 0))
			return IFS_ERR_SYNTAX;
		else
			t->depth--;
		return 0;
	}
	n = msg_node(m, e);
	if (!n)
		return IFS_ERR_SYNTAX;
	if (e->type == VICI_LIST_ITEM) {
		if (IFS_BUG(!t->list))
			return IFS_ERR_SYNTAX;
		append(t->list, &t->list_last, n);
		return 0;
	}
	append(t->sec[t->depth], &t->last[t->depth], n);
	if (e->type == VICI_LIST_START) {
		t->list = n;
		t->list_last = NULL;
	} else if (e->type == VICI_SECTION_START) {
		if (IFS_BUG(t->depth >= VICI_MAX_DEPTH))
			return IFS_ERR_SYNTAX;
		t->depth++;
		t->sec[t->depth] = n;
		t->last[t->depth] = NULL;
	}
	return 0;
}

static int tree_build(struct vici_msg *m, const uint8_t *buf, size_t len)
{
	struct tree_pos t = { .depth = 0 };
	struct elem e;
	struct cur c;
	int rc;

	t.sec[0] = &m->root;
	cur_init(&c, buf, len);
	while (cur_left(&c) > 0) {
		rc = elem_read(&c, &e);
		if (rc == 0)
			rc = tree_add(m, &t, &e);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int vici_msg_parse(const uint8_t *buf, size_t len, struct vici_msg **out)
{
	struct census cs;
	struct vici_msg *m;
	int rc;

	*out = NULL;
	rc = census_take(buf, len, &cs);
	if (rc < 0)
		return rc;
	m = msg_alloc(&cs);
	if (!m)
		return IFS_ERR_NOMEM;
	rc = tree_build(m, buf, len);
	if (rc < 0) {
		vici_msg_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

void vici_msg_free(struct vici_msg *m)
{
	free(m);
}

const struct vici_node *vici_msg_root(const struct vici_msg *m)
{
	return &m->root;
}

size_t vici_msg_n_elements(const struct vici_msg *m)
{
	return m->n_elements;
}

/* ---- Lookups ----------------------------------------------------------- */

static const struct vici_node *child_n(const struct vici_node *sec,
				       const char *name, size_t len)
{
	const struct vici_node *n;

	if (!sec || sec->kind != VICI_NODE_SECTION)
		return NULL;
	for (n = sec->children; n; n = n->next)
		if (n->name_len == len && memcmp(n->name, name, len) == 0)
			return n;
	return NULL;
}

const struct vici_node *vici_child(const struct vici_node *sec, const char *name)
{
	return child_n(sec, name, strlen(name));
}

const struct vici_node *vici_find(const struct vici_node *sec, const char *path)
{
	const char *dot;

	for (;;) {
		dot = strchr(path, '.');
		if (!dot)
			return child_n(sec, path, strlen(path));
		sec = child_n(sec, path, (size_t)(dot - path));
		path = dot + 1;
	}
}

static const struct vici_node *find_kv(const struct vici_node *sec, const char *path)
{
	const struct vici_node *n = vici_find(sec, path);

	return n && n->kind == VICI_NODE_KV ? n : NULL;
}

int vici_get_str(const struct vici_node *sec, const char *path, char *buf, size_t len)
{
	const struct vici_node *n = find_kv(sec, path);

	if (len)
		buf[0] = '\0';
	if (!n)
		return IFS_ERR_NOT_FOUND;
	if (!vici_node_is_str(n))
		return IFS_ERR_INVAL;
	if (n->value_len >= len)
		return IFS_ERR_RANGE;
	memcpy(buf, n->value, n->value_len + 1);
	return 0;
}

int vici_get_int(const struct vici_node *sec, const char *path, int64_t min,
		 int64_t max, int64_t *v)
{
	const struct vici_node *n = find_kv(sec, path);
	const char *s;
	char *end;
	long long x;

	*v = 0;
	if (!n)
		return IFS_ERR_NOT_FOUND;
	s = (const char *)n->value;
	/* Plain decimal only: no blanks, no sign other than a leading '-'. */
	if (!vici_node_is_str(n) || n->value_len == 0 ||
	    !(s[0] == '-' || (s[0] >= '0' && s[0] <= '9')))
		return IFS_ERR_INVAL;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (end == s || *end != '\0')
		return IFS_ERR_INVAL;
	if (errno == ERANGE || x < min || x > max)
		return IFS_ERR_RANGE;
	*v = x;
	return 0;
}

const struct vici_node *vici_list_items(const struct vici_node *sec, const char *path)
{
	const struct vici_node *n = vici_find(sec, path);

	return n && n->kind == VICI_NODE_LIST ? n->children : NULL;
}

bool vici_node_is_str(const struct vici_node *n)
{
	return n && n->value && !memchr(n->value, '\0', n->value_len);
}

static bool node_same(const struct vici_node *a, const struct vici_node *b)
{
	return a->kind == b->kind && a->name_len == b->name_len &&
	       memcmp(a->name, b->name, a->name_len) == 0 &&
	       a->value_len == b->value_len &&
	       (a->value_len == 0 || memcmp(a->value, b->value, a->value_len) == 0);
}

/* Recursion is bounded by VICI_MAX_DEPTH, as in vici_add_children(). */
bool vici_node_equal(const struct vici_node *a, const struct vici_node *b)
{
	const struct vici_node *x, *y;

	if (!a || !b)
		return a == b;
	if (!node_same(a, b))
		return false;
	for (x = a->children, y = b->children; x && y; x = x->next, y = y->next)
		if (!vici_node_equal(x, y))
			return false;
	return x == NULL && y == NULL;
}
