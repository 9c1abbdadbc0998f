/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target for the settings parser and the manual-SA translation:
 * the bytes are parsed as a file (includes refused, so nothing is read
 * from disk), every value goes through every conversion, and the same
 * text goes through conf_load_string(). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "config/conf.h"
#include "config/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void convert_all(const struct settings_node *kv)
{
	struct settings_err err;
	struct settings_list l;
	struct secret *s;
	uint64_t t;
	int64_t i;
	bool b;

	(void)settings_kv_bool(kv, &b, &err);
	(void)settings_kv_int(kv, INT64_MIN, INT64_MAX, &i, &err);
	(void)settings_kv_time(kv, &t, &err);
	if (settings_kv_secret(kv, &s, &err) == 0)
		secret_free(s);
	if (settings_kv_list(kv, &l, &err) == 0)
		settings_list_clear(&l);
}

static void walk(struct settings_node *sec)
{
	struct settings_node *n;
	char path[256];

	settings_foreach(sec, SETTINGS_KEY, n) {
		convert_all(n);
		if (n->name[0] == 'u')   /* leave some unused for check_used */
			continue;
		(void)settings_find_key(sec, n->name);
	}
	settings_foreach(sec, SETTINGS_SECTION, n) {
		(void)settings_path(n, path, sizeof(path));
		settings_mark_used(n);
		walk(n);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool is_init;
	struct settings_err serr;
	struct settings *st;
	struct conf_err cerr;
	struct conf *c;
	char *text;

	if (!is_init) {
		log_init("fuzz", true, LOG_LVL_ERROR);   /* no warnings on stderr */
		is_init = true;
	}
	if (settings_parse_string((const char *)data, size, "fuzz", NULL, &st,
				  &serr) == 0) {
		walk(settings_root(st));
		(void)settings_check_used(settings_root(st), &serr);
		for (size_t i = 0; i < settings_n_warnings(st); i++)
			(void)strlen(settings_warning(st, i));
		settings_free(st);
	}
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (conf_load_string(text, "fuzz", &c, &cerr) == 0)
		conf_free(c);
	free(text);
	return 0;
}
