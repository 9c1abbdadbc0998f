/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Proposals as text: strongSwan's keyword syntax ("aes128gcm16-prfsha256-
 * x25519") to struct ike_prop and back, and ifsec's default proposals.
 * The selection of transforms is in proposal.c.
 *
 * The rules are strongSwan's (its proposal keywords and the checks it
 * makes on a configured proposal), stricter in two places: integrity
 * algorithms next to an AEAD are an error rather than silently dropped,
 * and a PRF in an ESP proposal is an error rather than ignored.
 */
#include "ike/proposal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ike/ike_wire.h"

#define PROPOSAL_TEXT_MAX 1024     /* bytes of one proposal string */

enum kw_flags {
	KW_IKE = 1 << 0,           /* allowed in IKE proposals */
	KW_ESP = 1 << 1,           /* allowed in ESP proposals */
	KW_AEAD = 1 << 2,
	KW_ALIAS = 1 << 3,         /* accepted, never written */
	KW_UNSUPPORTED = 1 << 4,   /* strongSwan's, not ifsec's: named only */
};
#define KW_BOTH (KW_IKE | KW_ESP)

struct kw {
	const char *name;
	uint8_t type;
	uint16_t id;
	uint16_t key_bits;
	unsigned flags;
};

/* The first entry for a (type, id, key_bits) is the name written. */
static const struct kw kws[] = {
	{ "aes128", IKE_TT_ENCR, IKE_ENCR_AES_CBC, 128, KW_BOTH },
	{ "aes256", IKE_TT_ENCR, IKE_ENCR_AES_CBC, 256, KW_BOTH },
	{ "aes", IKE_TT_ENCR, IKE_ENCR_AES_CBC, 128, KW_BOTH | KW_ALIAS },
	{ "aes128gcm16", IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 128, KW_BOTH | KW_AEAD },
	{ "aes128gcm128", IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 128,
	  KW_BOTH | KW_AEAD | KW_ALIAS },
	{ "aes256gcm16", IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 256, KW_BOTH | KW_AEAD },
	{ "aes256gcm128", IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, 256,
	  KW_BOTH | KW_AEAD | KW_ALIAS },
	{ "chacha20poly1305", IKE_TT_ENCR, IKE_ENCR_CHACHA20_POLY1305, 0,
	  KW_BOTH | KW_AEAD },
	{ "sha256", IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0, KW_BOTH },
	{ "sha2_256", IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0,
	  KW_BOTH | KW_ALIAS },
	{ "sha384", IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_384_192, 0, KW_BOTH },
	{ "sha2_384", IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_384_192, 0,
	  KW_BOTH | KW_ALIAS },
	{ "sha512", IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_512_256, 0, KW_BOTH },
	{ "sha2_512", IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_512_256, 0,
	  KW_BOTH | KW_ALIAS },
	{ "prfsha256", IKE_TT_PRF, IKE_PRF_HMAC_SHA2_256, 0, KW_IKE },
	{ "prfsha384", IKE_TT_PRF, IKE_PRF_HMAC_SHA2_384, 0, KW_IKE },
	{ "prfsha512", IKE_TT_PRF, IKE_PRF_HMAC_SHA2_512, 0, KW_IKE },
	{ "x25519", IKE_TT_KE, IKE_KE_CURVE25519, 0, KW_BOTH },
	{ "curve25519", IKE_TT_KE, IKE_KE_CURVE25519, 0, KW_BOTH | KW_ALIAS },
	{ "ecp256", IKE_TT_KE, IKE_KE_ECP256, 0, KW_BOTH },
	{ "ecp384", IKE_TT_KE, IKE_KE_ECP384, 0, KW_BOTH },
	{ "modp3072", IKE_TT_KE, IKE_KE_MODP3072, 0, KW_BOTH },
	{ "modp2048", IKE_TT_KE, IKE_KE_MODP2048, 0, KW_BOTH },
	{ "esn", IKE_TT_ESN, IKE_ESN_YES, 0, KW_ESP },
	{ "noesn", IKE_TT_ESN, IKE_ESN_NO, 0, KW_ESP },
	/* strongSwan's names for what ifsec does not do (IANA numbers):
	 * refused by name when configured, written when a peer offers them. */
#define U(n, t, i, b) { n, t, i, b, KW_UNSUPPORTED }
	U("des", IKE_TT_ENCR, 2, 0), U("3des", IKE_TT_ENCR, 3, 0),
	U("cast128", IKE_TT_ENCR, 6, 0), U("blowfish", IKE_TT_ENCR, 7, 0),
	U("null", IKE_TT_ENCR, 11, 0), U("aes192", IKE_TT_ENCR, 12, 192),
	U("aes128ctr", IKE_TT_ENCR, 13, 128), U("aes192ctr", IKE_TT_ENCR, 13, 192),
	U("aes256ctr", IKE_TT_ENCR, 13, 256),
	U("aes128ccm8", IKE_TT_ENCR, 14, 128), U("aes192ccm8", IKE_TT_ENCR, 14, 192),
	U("aes256ccm8", IKE_TT_ENCR, 14, 256),
	U("aes128ccm12", IKE_TT_ENCR, 15, 128), U("aes192ccm12", IKE_TT_ENCR, 15, 192),
	U("aes256ccm12", IKE_TT_ENCR, 15, 256),
	U("aes128ccm16", IKE_TT_ENCR, 16, 128), U("aes192ccm16", IKE_TT_ENCR, 16, 192),
	U("aes256ccm16", IKE_TT_ENCR, 16, 256),
	U("aes128gcm8", IKE_TT_ENCR, 18, 128), U("aes192gcm8", IKE_TT_ENCR, 18, 192),
	U("aes256gcm8", IKE_TT_ENCR, 18, 256),
	U("aes128gcm12", IKE_TT_ENCR, 19, 128), U("aes192gcm12", IKE_TT_ENCR, 19, 192),
	U("aes256gcm12", IKE_TT_ENCR, 19, 256),
	U("aes192gcm16", IKE_TT_ENCR, 20, 192),
	U("aes128gmac", IKE_TT_ENCR, 21, 128), U("aes192gmac", IKE_TT_ENCR, 21, 192),
	U("aes256gmac", IKE_TT_ENCR, 21, 256),
	U("camellia128", IKE_TT_ENCR, 23, 128), U("camellia192", IKE_TT_ENCR, 23, 192),
	U("camellia256", IKE_TT_ENCR, 23, 256), U("camellia", IKE_TT_ENCR, 23, 128),
	U("md5", IKE_TT_INTEG, 1, 0), U("sha1", IKE_TT_INTEG, 2, 0),
	U("sha", IKE_TT_INTEG, 2, 0), U("aesxcbc", IKE_TT_INTEG, 5, 0),
	U("md5_128", IKE_TT_INTEG, 6, 0), U("sha1_160", IKE_TT_INTEG, 7, 0),
	U("aescmac", IKE_TT_INTEG, 8, 0),
	U("prfmd5", IKE_TT_PRF, 1, 0), U("prfsha1", IKE_TT_PRF, 2, 0),
	U("prfaesxcbc", IKE_TT_PRF, 4, 0), U("prfaescmac", IKE_TT_PRF, 8, 0),
	U("modp768", IKE_TT_KE, 1, 0), U("modp1024", IKE_TT_KE, 2, 0),
	U("modp1536", IKE_TT_KE, 5, 0), U("modp4096", IKE_TT_KE, 16, 0),
	U("modp6144", IKE_TT_KE, 17, 0), U("modp8192", IKE_TT_KE, 18, 0),
	U("ecp521", IKE_TT_KE, 21, 0), U("modp1024s160", IKE_TT_KE, 22, 0),
	U("modp2048s224", IKE_TT_KE, 23, 0), U("modp2048s256", IKE_TT_KE, 24, 0),
	U("ecp192", IKE_TT_KE, 25, 0), U("ecp224", IKE_TT_KE, 26, 0),
	U("ecp224bp", IKE_TT_KE, 27, 0), U("ecp256bp", IKE_TT_KE, 28, 0),
	U("ecp384bp", IKE_TT_KE, 29, 0), U("ecp512bp", IKE_TT_KE, 30, 0),
	U("x448", IKE_TT_KE, 32, 0), U("curve448", IKE_TT_KE, 32, 0),
	U("mlkem512", IKE_TT_KE, 35, 0), U("mlkem768", IKE_TT_KE, 36, 0),
	U("mlkem1024", IKE_TT_KE, 37, 0), U("modpnone", IKE_TT_KE, 0, 0),
#undef U
};

/* strongSwan keywords with no single IANA number here: named as not
 * supported, never written. */
static const char *const other_strongswan_names[] = {
	"aes128ccm64", "aes128ccm96", "aes128ccm128", "aes192ccm64",
	"aes192ccm96", "aes192ccm128", "aes256ccm64", "aes256ccm96",
	"aes256ccm128", "aes128gcm64", "aes128gcm96", "aes192gcm64",
	"aes192gcm96", "aes192gcm128", "aes256gcm64", "aes256gcm96",
	"camellia128ctr", "camellia192ctr", "camellia256ctr", "camelliaxcbc",
	"prfcamelliaxcbc", "serpent128", "serpent192", "serpent256",
	"twofish128", "twofish192", "twofish256", "blowfish128",
	"blowfish192", "blowfish256", "sha256_96", "sha2_256_96", "ntru112",
	"ntru128", "ntru192", "ntru256", "newhope128",
};

static const struct kw *kw_by_name(const char *name)
{
	for (size_t i = 0; i < IFS_ARRAY_LEN(kws); i++)
		if (strcasecmp(kws[i].name, name) == 0)
			return &kws[i];
	return NULL;
}

static bool is_strongswan_name(const char *name)
{
	for (size_t i = 0; i < IFS_ARRAY_LEN(other_strongswan_names); i++)
		if (strcasecmp(other_strongswan_names[i], name) == 0)
			return true;
	/* strongSwan 6's additional key exchanges (RFC 9370): ke1_ .. ke7_ */
	return strncasecmp(name, "ke", 2) == 0 && name[2] >= '1' &&
	       name[2] <= '7' && name[3] == '_';
}

static const struct kw *kw_by_xf(uint8_t type, uint16_t id, uint16_t key_bits)
{
	for (size_t i = 0; i < IFS_ARRAY_LEN(kws); i++) {
		const struct kw *k = &kws[i];

		if (k->type == type && k->id == id && k->key_bits == key_bits &&
		    !(k->flags & KW_ALIAS))
			return k;
	}
	return NULL;
}

const char *proposal_xf_name(uint8_t type, uint16_t id, uint16_t key_bits)
{
	const struct kw *k = kw_by_xf(type, id, key_bits);

	return k ? k->name : "?";
}

/* ---- bounded text output ---- */

struct out {
	char *buf;
	size_t len;
	size_t pos;
};

static void out_add(struct out *o, const char *fmt, ...) IFS_PRINTF(2, 3);

static void out_add(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (o->pos >= o->len)
		return;
	va_start(ap, fmt);
	w = vsnprintf(o->buf + o->pos, o->len - o->pos, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= o->len - o->pos) {
		/* Truncated: drop the partial piece, and nothing more fits. */
		o->buf[o->pos] = '\0';
		o->pos = o->len;
	} else {
		o->pos += (size_t)w;
	}
}

/* A piece of configured text, at most max bytes of it, unprintable
 * bytes as '?', so that a message stays one short line. */
static void out_quoted(struct out *o, const char *s, size_t max)
{
	size_t n = strlen(s);

	out_add(o, "'");
	for (size_t i = 0; i < n && i < max; i++) {
		unsigned char ch = (unsigned char)s[i];

		out_add(o, "%c", ch >= 0x20 && ch < 0x7f ? ch : '?');
	}
	out_add(o, "%s'", n > max ? "..." : "");
}

static const char *const type_names[] = {
	[IKE_TT_ENCR] = "ENCR", [IKE_TT_PRF] = "PRF", [IKE_TT_INTEG] = "INTEG",
	[IKE_TT_KE] = "KE", [IKE_TT_ESN] = "ESN",
};

/* A keyword, or for what has none "ENCR_99" (and "_192" with a key
 * length), as a peer may offer anything. */
static void out_xf(struct out *o, uint8_t type, uint16_t id, uint16_t key_bits)
{
	const struct kw *k = kw_by_xf(type, id, key_bits);

	if (k)
		out_add(o, "%s", k->name);
	else if (type >= 1 && type <= IKE_TT_MAX)
		out_add(o, "%s_%u", type_names[type], id);
	else
		out_add(o, "TYPE%u_%u", type, id);
	if (!k && key_bits)
		out_add(o, "_%u", key_bits);
}

const char *proposal_str(const struct ike_prop *p, char *buf, size_t len)
{
	struct out o = { .buf = buf, .len = len, .pos = 0 };

	if (!buf || len == 0)
		return "";
	static const uint8_t order[] = {
		IKE_TT_ENCR, IKE_TT_INTEG, IKE_TT_PRF, IKE_TT_KE, IKE_TT_ESN,
	};
	size_t n = 0;

	buf[0] = '\0';
	/* strongSwan's order of types, whatever the order received; within
	 * a type the order of preference. Unknown types last. */
	for (size_t t = 0; t <= sizeof(order); t++)
		for (size_t i = 0; i < p->n_xf && i < IKE_MAX_TRANSFORMS; i++) {
			const struct ike_xf *x = &p->xf[i];
			bool is_known = x->type >= 1 && x->type <= IKE_TT_MAX;

			if (t < sizeof(order) ? x->type != order[t] : is_known)
				continue;
			if (n++ > 0)
				out_add(&o, "-");
			out_xf(&o, x->type, x->id, x->key_bits);
		}
	return buf;
}

/* Was a transform of this type chosen? The types bits say so when set;
 * without them, a zero id stands for "none" (ESN: always for ESP). */
static bool chosen_has(const struct ike_chosen *c, uint8_t type, uint16_t id)
{
	if (c->types)
		return c->types & (1u << type);
	if (type == IKE_TT_ESN)
		return c->protocol == IKE_PROTO_ESP;
	return id != 0;
}

const char *proposal_chosen_str(const struct ike_chosen *c, char *buf, size_t len)
{
	const struct {
		uint8_t type;
		uint16_t id;
		uint16_t key_bits;
	} xf[] = {
		{ IKE_TT_ENCR, c->encr, c->encr_key_bits },
		{ IKE_TT_INTEG, c->integ, 0 },
		{ IKE_TT_PRF, c->prf, 0 },
		{ IKE_TT_KE, c->ke, 0 },
		{ IKE_TT_ESN, c->esn, 0 },
	};
	struct out o = { .buf = buf, .len = len, .pos = 0 };

	if (!buf || len == 0)
		return "";
	buf[0] = '\0';
	for (size_t i = 0; i < IFS_ARRAY_LEN(xf); i++) {
		if (!chosen_has(c, xf[i].type, xf[i].id))
			continue;
		out_add(&o, "%s", o.pos ? "-" : "");
		out_xf(&o, xf[i].type, xf[i].id, xf[i].key_bits);
	}
	return buf;
}

/* ---- parsing ---- */

struct parse {
	const char *text;          /* the whole proposal, for messages */
	uint8_t protocol;
	struct ike_prop *out;
	char *why;
	size_t why_len;
};

static int fail(struct parse *ps, int rc, const char *kw, const char *fmt, ...)
	IFS_PRINTF(4, 5);

/* why = [kw prefix] fmt [proposal]. kw NULL: no keyword named. */
static int fail(struct parse *ps, int rc, const char *kw, const char *fmt, ...)
{
	struct out o = { .buf = ps->why, .len = ps->why_len, .pos = 0 };
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!ps->why || ps->why_len == 0)
		return rc;
	ps->why[0] = '\0';
	if (kw) {
		out_quoted(&o, kw, 32);
		out_add(&o, " ");
	}
	out_add(&o, "%s", msg);
	return rc;
}

static const char *proto_name(uint8_t protocol)
{
	return protocol == IKE_PROTO_IKE ? "IKE" : "ESP";
}

/* The keywords a protocol takes, for "supported: ..." */
static void supported_list(uint8_t protocol, char *buf, size_t len)
{
	struct out o = { .buf = buf, .len = len, .pos = 0 };
	unsigned want = protocol == IKE_PROTO_IKE ? KW_IKE : KW_ESP;

	buf[0] = '\0';
	for (size_t i = 0; i < IFS_ARRAY_LEN(kws); i++) {
		if (!(kws[i].flags & want) || (kws[i].flags & KW_ALIAS))
			continue;
		out_add(&o, "%s%s", o.pos ? ", " : "", kws[i].name);
	}
}

static void proposal_quote(const struct parse *ps, char *buf, size_t len)
{
	struct out o = { .buf = buf, .len = len, .pos = 0 };

	buf[0] = '\0';
	out_quoted(&o, ps->text, 64);
}

static int bad_keyword(struct parse *ps, const char *word, bool is_known)
{
	char sup[256], p[80];

	supported_list(ps->protocol, sup, sizeof(sup));
	proposal_quote(ps, p, sizeof(p));
	if (is_known)
		return fail(ps, IFS_ERR_UNSUPPORTED, NULL, "algorithm '%.32s' in "
			    "proposal %s is not supported by ifsec; supported: %s",
			    word, p, sup);
	return fail(ps, IFS_ERR_NOT_FOUND, NULL, "unknown algorithm '%.32s' in "
		    "proposal %s; supported: %s", word, p, sup);
}

static bool has_xf(const struct ike_prop *p, uint8_t type, uint16_t id,
		   uint16_t key_bits)
{
	for (size_t i = 0; i < p->n_xf; i++)
		if (p->xf[i].type == type && p->xf[i].id == id &&
		    p->xf[i].key_bits == key_bits)
			return true;
	return false;
}

static int add_xf(struct parse *ps, uint8_t type, uint16_t id,
		  uint16_t key_bits)
{
	struct ike_prop *p = ps->out;
	char q[80];

	if (p->n_xf >= IKE_MAX_TRANSFORMS) {
		proposal_quote(ps, q, sizeof(q));
		return fail(ps, IFS_ERR_RANGE, NULL, "more than %d algorithms in "
			    "proposal %s", IKE_MAX_TRANSFORMS, q);
	}
	p->xf[p->n_xf++] = (struct ike_xf){
		.type = type, .id = id, .key_bits = key_bits,
	};
	return 0;
}

static int keyword(struct parse *ps, const char *word)
{
	const struct kw *k = kw_by_name(word);
	char q[80];

	proposal_quote(ps, q, sizeof(q));
	if (word[0] == '\0')
		return fail(ps, IFS_ERR_SYNTAX, NULL, "empty algorithm name in "
			    "proposal %s (a '-' too many?)", q);
	if (!k || (k->flags & KW_UNSUPPORTED))
		return bad_keyword(ps, word, k || is_strongswan_name(word));
	if (k->type == IKE_TT_PRF && ps->protocol == IKE_PROTO_ESP)
		return fail(ps, IFS_ERR_INVAL, word, "in ESP proposal %s: ESP has "
			    "no PRF (prf* is for IKE proposals)", q);
	if (k->type == IKE_TT_ESN && ps->protocol == IKE_PROTO_IKE)
		return fail(ps, IFS_ERR_INVAL, word, "in IKE proposal %s: esn and "
			    "noesn are for ESP proposals only", q);
	if (has_xf(ps->out, k->type, k->id, k->key_bits))
		return fail(ps, IFS_ERR_INVAL, word, "appears twice in proposal "
			    "%s (perhaps as an alias)", q);
	return add_xf(ps, k->type, k->id, k->key_bits);
}

/* The first transform of a type with (or without) the AEAD property. */
static const char *first_name(const struct ike_prop *p, uint8_t type,
			      int want_aead)
{
	for (size_t i = 0; i < p->n_xf; i++) {
		const struct kw *k = kw_by_xf(p->xf[i].type, p->xf[i].id,
					      p->xf[i].key_bits);

		if (!k || k->type != type)
			continue;
		if (want_aead < 0 || !!(k->flags & KW_AEAD) == want_aead)
			return k->name;
	}
	return NULL;
}

/* strongSwan's rule for an IKE proposal without a PRF: one PRF for each
 * integrity algorithm, on the same hash. */
static int derive_prfs(struct parse *ps)
{
	static const uint16_t prf_of[][2] = {
		{ IKE_INTEG_HMAC_SHA2_256_128, IKE_PRF_HMAC_SHA2_256 },
		{ IKE_INTEG_HMAC_SHA2_384_192, IKE_PRF_HMAC_SHA2_384 },
		{ IKE_INTEG_HMAC_SHA2_512_256, IKE_PRF_HMAC_SHA2_512 },
	};
	size_t n = ps->out->n_xf;
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		if (ps->out->xf[i].type != IKE_TT_INTEG)
			continue;
		for (size_t j = 0; j < IFS_ARRAY_LEN(prf_of) && rc == 0; j++)
			if (prf_of[j][0] == ps->out->xf[i].id &&
			    !has_xf(ps->out, IKE_TT_PRF, prf_of[j][1], 0))
				rc = add_xf(ps, IKE_TT_PRF, prf_of[j][1], 0);
	}
	return rc;
}

static int check_encr(struct parse *ps, const char *q)
{
	const char *aead = first_name(ps->out, IKE_TT_ENCR, 1);
	const char *plain = first_name(ps->out, IKE_TT_ENCR, 0);
	const char *integ = first_name(ps->out, IKE_TT_INTEG, -1);

	if (!aead && !plain)
		return fail(ps, IFS_ERR_INVAL, NULL, "proposal %s has no "
			    "encryption algorithm", q);
	if (aead && plain)
		return fail(ps, IFS_ERR_INVAL, NULL, "proposal %s mixes AEAD (%s) "
			    "and non-AEAD (%s) encryption: write two proposals",
			    q, aead, plain);
	if (aead && integ)
		return fail(ps, IFS_ERR_INVAL, NULL, "proposal %s mixes AEAD (%s) "
			    "and integrity (%s) algorithms: an AEAD has its own "
			    "integrity, write two proposals", q, aead, integ);
	if (plain && !integ)
		return fail(ps, IFS_ERR_INVAL, NULL, "proposal %s has no integrity "
			    "algorithm (%s needs sha256, sha384 or sha512)", q,
			    plain);
	return 0;
}

static int check(struct parse *ps)
{
	struct ike_prop *p = ps->out;
	char q[80];
	int rc;

	proposal_quote(ps, q, sizeof(q));
	rc = check_encr(ps, q);
	if (rc < 0)
		return rc;
	if (p->protocol == IKE_PROTO_ESP) {
		if (!first_name(p, IKE_TT_ESN, -1))
			return add_xf(ps, IKE_TT_ESN, IKE_ESN_NO, 0);
		return 0;
	}
	if (!first_name(p, IKE_TT_KE, -1))
		return fail(ps, IFS_ERR_INVAL, NULL, "IKE proposal %s has no key "
			    "exchange group (x25519, ecp256, ecp384, modp3072 or "
			    "modp2048)", q);
	if (first_name(p, IKE_TT_PRF, -1))
		return 0;
	if (first_name(p, IKE_TT_ENCR, 1))
		return fail(ps, IFS_ERR_INVAL, NULL, "IKE proposal %s has no PRF "
			    "(an AEAD proposal needs prfsha256, prfsha384 or "
			    "prfsha512)", q);
	return derive_prfs(ps);
}

int proposal_parse(const char *s, uint8_t protocol, struct ike_prop *out,
		   char *why, size_t why_len)
{
	struct parse ps = {
		.text = s, .protocol = protocol, .out = out,
		.why = why, .why_len = why_len,
	};
	char copy[PROPOSAL_TEXT_MAX + 1], *word, *save = NULL;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (why && why_len)
		why[0] = '\0';
	if (protocol != IKE_PROTO_IKE && protocol != IKE_PROTO_ESP)
		return fail(&ps, IFS_ERR_INVAL, NULL, "protocol %u has no "
			    "proposals here (IKE or ESP)", protocol);
	if (s[0] == '\0')
		return fail(&ps, IFS_ERR_SYNTAX, NULL, "empty %s proposal",
			    proto_name(protocol));
	if (strlen(s) > PROPOSAL_TEXT_MAX)
		return fail(&ps, IFS_ERR_RANGE, NULL, "proposal longer than %d "
			    "characters", PROPOSAL_TEXT_MAX);
	if (strcasecmp(s, "default") == 0)
		return fail(&ps, IFS_ERR_INVAL, NULL, "'default' stands for "
			    "several proposals (proposal_default) and cannot be "
			    "parsed into one");
	snprintf(copy, sizeof(copy), "%s", s);
	out->protocol = protocol;
	/* strsep, not strtok: "a--b" has an empty word to report. */
	save = copy;
	while (rc == 0 && (word = strsep(&save, "-")) != NULL)
		rc = keyword(&ps, word);
	if (rc == 0)
		rc = check(&ps);
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}

size_t proposal_default(uint8_t protocol, struct ike_prop *out, size_t max)
{
	static const char *const ike[] = {
		"aes128gcm16-aes256gcm16-chacha20poly1305-prfsha256-prfsha384-"
		"prfsha512-x25519-ecp256-ecp384-modp3072-modp2048",
		"aes128-aes256-sha256-sha384-sha512-x25519-ecp256-ecp384-"
		"modp3072-modp2048",
	};
	static const char *const esp[] = {
		"aes128gcm16-aes256gcm16-chacha20poly1305-noesn",
		"aes128-aes256-sha256-sha384-sha512-noesn",
	};
	const char *const *list = protocol == IKE_PROTO_IKE ? ike : esp;
	size_t n = 0;

	if (protocol != IKE_PROTO_IKE && protocol != IKE_PROTO_ESP)
		return 0;
	for (size_t i = 0; i < 2 && n < max; i++)
		if (!IFS_BUG(proposal_parse(list[i], protocol, &out[n], NULL,
					    0) < 0))
			n++;
	return n;
}
