/* SPDX-License-Identifier: BSD-2-Clause */
/* Conversions of settings values: booleans, integers, times, byte
 * volumes, lists and secrets. Secrets are decoded here rather than in
 * crypto/ because only text input needs hex and base64. */
#include "config/settings.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/cur.h"

int settings_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "enabled", "1" };
	static const char *const no[] = { "no", "false", "disabled", "0" };

	*out = false;
	for (size_t i = 0; i < IFS_ARRAY_LEN(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return IFS_ERR_SYNTAX;
}

static int hex_digit(uint8_t ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Digits in base 10 or 16 into a magnitude; fails on overflow, on an
 * empty digit string and on anything after the digits. */
static int parse_magnitude(struct cur *c, unsigned base, uint64_t *out)
{
	bool has_digit = false;
	uint64_t v = 0;
	uint8_t ch;

	*out = 0;
	while (cur_left(c) > 0 && cur_u8(c, &ch)) {
		int d = base == 16 ? hex_digit(ch) :
			(ch >= '0' && ch <= '9' ? ch - '0' : -1);

		if (d < 0)
			return IFS_ERR_SYNTAX;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return IFS_ERR_RANGE;
		v = v * base + (uint64_t)d;
		has_digit = true;
	}
	if (!has_digit)
		return IFS_ERR_SYNTAX;
	*out = v;
	return 0;
}

int settings_parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
	bool is_negative = false;
	unsigned base = 10;
	uint64_t mag;
	int64_t v;
	struct cur c;
	int rc;

	*out = 0;
	if (s[0] == '-') {
		is_negative = true;
		s++;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	cur_init(&c, s, strlen(s));
	rc = parse_magnitude(&c, base, &mag);
	if (rc < 0)
		return rc;
	if (is_negative) {
		if (mag > (uint64_t)INT64_MAX + 1)
			return IFS_ERR_RANGE;
		v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	} else {
		if (mag > (uint64_t)INT64_MAX)
			return IFS_ERR_RANGE;
		v = (int64_t)mag;
	}
	if (v < min || v > max)
		return IFS_ERR_RANGE;
	*out = v;
	return 0;
}

/* strongSwan's suffixes: s (or none), m, h, d. */
int settings_parse_time(const char *s, uint64_t *out_s)
{
	size_t len = strlen(s);
	uint64_t mult = 1, v;
	struct cur c;
	int rc;

	*out_s = 0;
	if (len == 0)
		return IFS_ERR_SYNTAX;
	switch (s[len - 1]) {
	case 's': len--; break;
	case 'm': mult = 60; len--; break;
	case 'h': mult = 3600; len--; break;
	case 'd': mult = 86400; len--; break;
	default: break;
	}
	cur_init(&c, s, len);
	rc = parse_magnitude(&c, 10, &v);
	if (rc < 0)
		return rc;
	if (v > UINT64_MAX / mult)
		return IFS_ERR_RANGE;
	*out_s = v * mult;
	return 0;
}

/* strongSwan's byte volumes (its vici parse_bytes): a number, optionally
 * blanks, then k, m or g in either case for 1024, 1024^2 or 1024^3. */
int settings_parse_bytes(const char *s, uint64_t *out)
{
	size_t len = strlen(s), end;
	uint64_t mult = 1, v;
	unsigned base = 10;
	struct cur c;
	int rc;

	*out = 0;
	if (len == 0)
		return IFS_ERR_SYNTAX;
	switch (s[len - 1]) {
	case 'k': case 'K': mult = UINT64_C(1) << 10; len--; break;
	case 'm': case 'M': mult = UINT64_C(1) << 20; len--; break;
	case 'g': case 'G': mult = UINT64_C(1) << 30; len--; break;
	default: break;
	}
	end = len;
	while (mult > 1 && end > 0 && s[end - 1] == ' ')
		end--;
	if (end > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		end -= 2;
	}
	cur_init(&c, s, end);
	rc = parse_magnitude(&c, base, &v);
	if (rc < 0)
		return rc;
	if (v > UINT64_MAX / mult)
		return IFS_ERR_RANGE;
	*out = v * mult;
	return 0;
}

/* ---- lists ---- */

void settings_list_clear(struct settings_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* Narrows [*start, *end) to its trimmed part; false when nothing is left. */
static bool trim(const char *s, size_t *start, size_t *end)
{
	while (*start < *end && is_space(s[*start]))
		(*start)++;
	while (*end > *start && is_space(s[*end - 1]))
		(*end)--;
	return *start < *end;
}

int settings_list_split(const char *s, struct settings_list *out)
{
	size_t len = strlen(s), start = 0, end = len, n_max = 1;

	memset(out, 0, sizeof(*out));
	if (!trim(s, &start, &end))
		return 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == ',')
			n_max++;
	if (n_max > SETTINGS_LIST_MAX)
		return IFS_ERR_RANGE;
	out->items = calloc(n_max, sizeof(*out->items));
	if (!out->items)
		return IFS_ERR_NOMEM;
	start = 0;
	for (size_t i = 0; i <= len; i++) {
		size_t a = start, b = i;

		if (i < len && s[i] != ',')
			continue;
		start = i + 1;
		if (!trim(s, &a, &b)) {
			settings_list_clear(out);
			return IFS_ERR_SYNTAX;
		}
		out->items[out->n] = strndup(s + a, b - a);
		if (!out->items[out->n]) {
			settings_list_clear(out);
			return IFS_ERR_NOMEM;
		}
		out->n++;
	}
	return 0;
}

/* ---- secrets ---- */

static int hex_decode(const char *s, uint8_t *out, size_t *out_len)
{
	size_t n = 0, i = 0;

	*out_len = 0;
	while (s[i]) {
		int hi, lo;

		/* ':' may separate bytes (as in "0x01:02"), nothing else. */
		if (s[i] == ':' && n > 0 && s[i + 1] != '\0')
			i++;
		hi = hex_digit((uint8_t)s[i]);
		lo = hi < 0 ? -1 : hex_digit((uint8_t)s[i + 1]);
		if (lo < 0)
			return IFS_ERR_SYNTAX;
		out[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	*out_len = n;
	return 0;
}

static int b64_value(uint8_t ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

/* One quantum of four characters; n_pad of them may be '=' at the end.
 * Returns the number of bytes written or a negative error. */
static int b64_quantum(const uint8_t q[4], bool is_last, uint8_t *out)
{
	int v[4], n_pad = 0;

	for (int i = 0; i < 4; i++) {
		v[i] = b64_value(q[i]);
		if (q[i] == '=' && is_last && i >= 2) {
			v[i] = 0;
			n_pad++;
		} else if (v[i] < 0 || n_pad > 0) {
			return IFS_ERR_SYNTAX;   /* bad character, or data after '=' */
		}
	}
	uint32_t bits = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
			(uint32_t)v[2] << 6 | (uint32_t)v[3];
	/* RFC 4648 §3.5: the bits padding leaves unused must be zero. */
	if ((n_pad == 1 && (bits & 0xff)) || (n_pad == 2 && (bits & 0xffff)))
		return IFS_ERR_SYNTAX;
	out[0] = (uint8_t)(bits >> 16);
	out[1] = (uint8_t)(bits >> 8);
	out[2] = (uint8_t)bits;
	return 3 - n_pad;
}

int settings_base64_decode(const char *s, size_t len, uint8_t *out,
			   size_t *out_len)
{
	const uint8_t *q;
	size_t n = 0;
	struct cur c;

	*out_len = 0;
	if (len % 4 != 0)
		return IFS_ERR_SYNTAX;
	cur_init(&c, s, len);
	while (cur_left(&c) > 0) {
		if (!cur_bytes(&c, 4, &q))
			return IFS_ERR_SYNTAX;
		int w = b64_quantum(q, cur_left(&c) == 0, out + n);
		if (w < 0) {
			secret_wipe(out, n);
			return w;
		}
		n += (size_t)w;
	}
	*out_len = n;
	return 0;
}

int settings_parse_secret(const char *s, struct secret **out)
{
	size_t len = strlen(s), n = 0;
	uint8_t *buf;
	int rc;

	*out = NULL;
	if (strncmp(s, "0x", 2) != 0 && strncmp(s, "0s", 2) != 0)
		return len == 0 ? IFS_ERR_INVAL : secret_new(out, s, len);
	/* Either decoding is shorter than its text. */
	buf = malloc(len);
	if (!buf)
		return IFS_ERR_NOMEM;
	if (s[1] == 'x')
		rc = hex_decode(s + 2, buf, &n);
	else
		rc = settings_base64_decode(s + 2, len - 2, buf, &n);
	if (rc == 0 && n == 0)
		rc = IFS_ERR_INVAL;
	if (rc == 0)
		rc = secret_new(out, buf, n);
	secret_wipe(buf, len);
	free(buf);
	return rc;
}

/* ---- the same on a key, with a message ---- */

int settings_kv_bool(const struct settings_node *kv, bool *out,
		     struct settings_err *err)
{
	char q[80];
	int rc = settings_parse_bool(kv->value, out);

	if (rc < 0)
		settings_err_key(err, kv, "%s is not yes or no",
				 settings_value_quote(kv->value, q, sizeof(q)));
	return rc;
}

int settings_kv_int(const struct settings_node *kv, int64_t min, int64_t max,
		    int64_t *out, struct settings_err *err)
{
	char q[80];
	int rc = settings_parse_int(kv->value, min, max, out);

	if (rc == IFS_ERR_RANGE)
		settings_err_key(err, kv, "%s is out of range (%lld..%lld)",
				 settings_value_quote(kv->value, q, sizeof(q)),
				 (long long)min, (long long)max);
	else if (rc < 0)
		settings_err_key(err, kv, "%s is not a number",
				 settings_value_quote(kv->value, q, sizeof(q)));
	return rc;
}

int settings_kv_time(const struct settings_node *kv, uint64_t *out_s,
		     struct settings_err *err)
{
	char q[80];
	int rc = settings_parse_time(kv->value, out_s);

	if (rc < 0)
		settings_err_key(err, kv, "%s is not a time (a number of "
				 "seconds, or with the suffix s, m, h or d)",
				 settings_value_quote(kv->value, q, sizeof(q)));
	return rc;
}

int settings_kv_bytes(const struct settings_node *kv, uint64_t *out,
		      struct settings_err *err)
{
	char q[80];
	int rc = settings_parse_bytes(kv->value, out);

	if (rc == IFS_ERR_RANGE)
		settings_err_key(err, kv, "%s is more than 2^64 bytes",
				 settings_value_quote(kv->value, q, sizeof(q)));
	else if (rc < 0)
		settings_err_key(err, kv, "%s is not a number of bytes (a number, "
				 "or with the suffix k, m or g for 1024, 1024^2 or "
				 "1024^3)", settings_value_quote(kv->value, q, sizeof(q)));
	return rc;
}

/* Never quotes the value: it is a secret, right or wrong. */
int settings_kv_secret(const struct settings_node *kv, struct secret **out,
		       struct settings_err *err)
{
	int rc = settings_parse_secret(kv->value, out);

	if (rc == IFS_ERR_NOMEM)
		settings_err_key(err, kv, "out of memory");
	else if (rc < 0 && kv->value[0] == '\0')
		settings_err_key(err, kv, "the secret is empty");
	else if (rc < 0 && kv->value[1] == 'x')
		settings_err_key(err, kv, "not valid hexadecimal after 0x (pairs "
				 "of digits 0-9a-f, optionally separated by ':')");
	else if (rc < 0)
		settings_err_key(err, kv, "not valid base64 after 0s (RFC 4648, "
				 "padded to a multiple of 4 characters)");
	return rc;
}

int settings_kv_list(const struct settings_node *kv, struct settings_list *out,
		     struct settings_err *err)
{
	int rc = settings_list_split(kv->value, out);

	if (rc == IFS_ERR_RANGE)
		settings_err_key(err, kv, "more than %d elements in the list",
				 SETTINGS_LIST_MAX);
	else if (rc == IFS_ERR_SYNTAX)
		settings_err_key(err, kv, "empty element in the list (a comma "
				 "too many?)");
	else if (rc < 0)
		settings_err_key(err, kv, "out of memory");
	return rc;
}
