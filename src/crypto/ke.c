/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IKEv2 key exchange (RFC 7296 §1.2, §3.4) over OpenSSL 3 EVP_PKEY: MODP
 * groups 14 and 15 (RFC 3526), ECP groups 19 and 20 (RFC 5903) and
 * Curve25519 (RFC 8031). The peer's public value is checked and turned
 * into an EVP_PKEY before anything is derived from it.
 */
#include "crypto/ke.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/dh.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

enum ke_kind {
	KE_MODP,
	KE_ECP,
	KE_X25519,
};

struct ke_group {
	uint16_t id;            /* IANA Transform Type 4 ID */
	enum ke_kind kind;
	const char *name;       /* strongSwan's proposal keyword */
	const char *key_type;   /* OpenSSL key type */
	const char *group_name; /* OSSL_PKEY_PARAM_GROUP_NAME, if any */
	size_t public_len;
	size_t shared_len;
	bool is_slow;           /* crypto_ke_is_slow() */
};

static const struct ke_group groups[] = {
	/* RFC 7296 §3.4: a MODP value is g^x padded with zeros to the
	 * length of p; RFC 3526 §3, §4 give p. */
	{ CRYPTO_GROUP_MODP2048, KE_MODP, "modp2048", "DH", "modp_2048", 256, 256, true },
	{ CRYPTO_GROUP_MODP3072, KE_MODP, "modp3072", "DH", "modp_3072", 384, 384, true },
	/* RFC 5903 §7: x || y, each as long as the field; the shared
	 * secret is x alone (§7, §9: RFC 4753 used x || y). */
	{ CRYPTO_GROUP_ECP256, KE_ECP, "ecp256", "EC", "P-256", 64, 32, false },
	{ CRYPTO_GROUP_ECP384, KE_ECP, "ecp384", "EC", "P-384", 96, 48, true },
	/* RFC 8031 §2: the 32-byte u-coordinate, in and out. */
	{ CRYPTO_GROUP_CURVE25519, KE_X25519, "x25519", "X25519", NULL, 32, 32, false },
};

struct crypto_ke {
	const struct ke_group *g;
	EVP_PKEY *pkey;
};

/* 0x04 || x || y, the uncompressed point OpenSSL reads and writes. */
#define ECP_POINT_MAX (1 + 96)
#define ECP_UNCOMPRESSED 0x04

static const struct ke_group *find_group(uint16_t id)
{
	for (size_t i = 0; i < IFS_ARRAY_LEN(groups); i++) {
		if (groups[i].id == id)
			return &groups[i];
	}
	return NULL;
}

bool crypto_ke_is_supported(uint16_t group)
{
	return find_group(group) != NULL;
}

bool crypto_ke_is_slow(uint16_t group)
{
	const struct ke_group *g = find_group(group);

	return g && g->is_slow;
}

size_t crypto_ke_public_len(uint16_t group)
{
	const struct ke_group *g = find_group(group);

	return g ? g->public_len : 0;
}

size_t crypto_ke_shared_len(uint16_t group)
{
	const struct ke_group *g = find_group(group);

	return g ? g->shared_len : 0;
}

const char *crypto_ke_name(uint16_t group)
{
	const struct ke_group *g = find_group(group);

	return g ? g->name : NULL;
}

uint16_t crypto_ke_group(const struct crypto_ke *ke)
{
	return ke ? ke->g->id : 0;
}

void crypto_ke_free(struct crypto_ke *ke)
{
	if (!ke)
		return;
	EVP_PKEY_free(ke->pkey); /* the providers wipe private keys on free */
	free(ke);
}

/* Takes pkey, also on failure. */
static int ke_wrap(struct crypto_ke **out, const struct ke_group *g, EVP_PKEY *pkey)
{
	struct crypto_ke *ke = calloc(1, sizeof(*ke));

	if (!ke) {
		EVP_PKEY_free(pkey);
		return IFS_ERR_NOMEM;
	}
	ke->g = g;
	ke->pkey = pkey;
	*out = ke;
	return 0;
}

int crypto_ke_new(struct crypto_ke **out, uint16_t group)
{
	const struct ke_group *g = find_group(group);
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	OSSL_PARAM params[2];
	char name[16];
	int err = IFS_ERR_CRYPTO;

	*out = NULL;
	if (!g)
		return IFS_ERR_UNSUPPORTED;
	ctx = EVP_PKEY_CTX_new_from_name(NULL, g->key_type, NULL);
	if (!ctx)
		return IFS_ERR_NOMEM;
	if (EVP_PKEY_keygen_init(ctx) != 1)
		goto out;
	if (g->group_name) {
		/* OSSL_PARAM wants a writable string. */
		snprintf(name, sizeof(name), "%s", g->group_name);
		params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
							     name, 0);
		params[1] = OSSL_PARAM_construct_end();
		if (EVP_PKEY_CTX_set_params(ctx, params) != 1)
			goto out;
	}
	/* For the MODP groups OpenSSL 3 draws short exponents: 225 bits
	 * (group 14) and 275 (group 15), the sizes RFC 7919 uses for primes
	 * of those lengths, within the range RFC 3526 §8 gives (220-320 and
	 * 260-420 bits). */
	if (EVP_PKEY_generate(ctx, &pkey) != 1)
		goto out;
	err = ke_wrap(out, g, pkey);
out:
	EVP_PKEY_CTX_free(ctx);
	return err;
}

/* ---- building keys from values ---- */

/*
 * An EVP_PKEY of the group from the given parts: a public value as a
 * number (MODP) or as octets (ECP: 0x04 || x || y), and a private value.
 * selection says which parts there are (EVP_PKEY_KEY_PARAMETERS for the
 * group alone). Returns 0 or IFS_ERR_CRYPTO; OpenSSL refuses an EC point
 * that is not on the curve here.
 */
static int pkey_from(const struct ke_group *g, int selection, const BIGNUM *pub,
		     const uint8_t *pub_oct, size_t pub_oct_len, const BIGNUM *priv,
		     EVP_PKEY **out)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	int err = IFS_ERR_CRYPTO;

	*out = NULL;
	if (!bld)
		return IFS_ERR_NOMEM;
	if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					    g->group_name, 0) != 1 ||
	    (pub && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, pub) != 1) ||
	    (pub_oct && OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
							  pub_oct, pub_oct_len) != 1) ||
	    (priv && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) != 1))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, g->key_type, NULL);
	if (!params || !ctx) {
		err = IFS_ERR_NOMEM;
		goto out;
	}
	if (EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, out, selection, params) != 1)
		goto out;
	err = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	/* A private value comes from BN_secure_new(), so the builder put it
	 * in the part that OSSL_PARAM_free() clears before freeing. */
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return err;
}

/* A domain parameter of a MODP group (which: p or g), from our own key
 * or, with no key, from the group's name. */
static int modp_param(const struct ke_group *g, EVP_PKEY *pkey, const char *which,
		      BIGNUM **out)
{
	EVP_PKEY *params = NULL;
	int err;

	*out = NULL;
	if (!pkey) {
		err = pkey_from(g, EVP_PKEY_KEY_PARAMETERS, NULL, NULL, 0, NULL, &params);
		if (err)
			return err;
		pkey = params;
	}
	err = EVP_PKEY_get_bn_param(pkey, which, out) == 1 ? 0 : IFS_ERR_CRYPTO;
	EVP_PKEY_free(params);
	return err;
}

/* RFC 6989 §2.2 (for safe primes like these): 1 < y < p-1. y = 1 and
 * y = p-1 would give a secret the attacker knows. */
static bool modp_in_range(const BIGNUM *y, const BIGNUM *p)
{
	BIGNUM *p_minus_1 = BN_dup(p);
	bool is_ok;

	if (!p_minus_1 || BN_sub_word(p_minus_1, 1) != 1) {
		BN_free(p_minus_1);
		return false;
	}
	is_ok = BN_cmp(y, BN_value_one()) > 0 && BN_cmp(y, p_minus_1) < 0;
	BN_free(p_minus_1);
	return is_ok;
}

/* The peer's key from its public value, or IFS_ERR_INVAL if the value
 * is not one we accept. len has been checked. */
static int peer_modp(const struct crypto_ke *ke, const uint8_t *peer, size_t len,
		     EVP_PKEY **out)
{
	BIGNUM *p = NULL, *y = BN_bin2bn(peer, (int)len, NULL);
	int err;

	*out = NULL;
	if (!y)
		return IFS_ERR_NOMEM;
	err = modp_param(ke->g, ke->pkey, OSSL_PKEY_PARAM_FFC_P, &p);
	if (!err && !modp_in_range(y, p))
		err = IFS_ERR_INVAL;
	if (!err)
		err = pkey_from(ke->g, EVP_PKEY_PUBLIC_KEY, y, NULL, 0, NULL, out);
	BN_free(p);
	BN_free(y);
	return err;
}

static int peer_ecp(const struct crypto_ke *ke, const uint8_t *peer, size_t len,
		    EVP_PKEY **out)
{
	uint8_t point[ECP_POINT_MAX];
	EVP_PKEY_CTX *check = NULL;
	int err;

	*out = NULL;
	if (IFS_BUG(len + 1 > sizeof(point)))
		return IFS_ERR_CRYPTO;
	/* RFC 5903 §7 drops the point format byte; OpenSSL wants it. */
	point[0] = ECP_UNCOMPRESSED;
	memcpy(point + 1, peer, len);
	/* Decoding checks that the point is on the curve (it fails for the
	 * all-zero value too, as b is not 0 for either curve). */
	if (pkey_from(ke->g, EVP_PKEY_PUBLIC_KEY, NULL, point, len + 1, NULL, out) != 0)
		return IFS_ERR_INVAL;
	/* And again, independently of how the decoder behaves: on the curve
	 * and not the point at infinity (both curves have cofactor 1). */
	check = EVP_PKEY_CTX_new_from_pkey(NULL, *out, NULL);
	if (!check)
		err = IFS_ERR_NOMEM;
	else
		err = EVP_PKEY_public_check_quick(check) == 1 ? 0 : IFS_ERR_INVAL;
	EVP_PKEY_CTX_free(check);
	if (err) {
		EVP_PKEY_free(*out);
		*out = NULL;
	}
	return err;
}

static int peer_key(const struct crypto_ke *ke, const uint8_t *peer, size_t len,
		    EVP_PKEY **out)
{
	*out = NULL;
	switch (ke->g->kind) {
	case KE_MODP:
		return peer_modp(ke, peer, len, out);
	case KE_ECP:
		return peer_ecp(ke, peer, len, out);
	case KE_X25519:
		/* Every 32-byte string is a u-coordinate (RFC 7748 §5); the
		 * bad ones show in the result. */
		*out = EVP_PKEY_new_raw_public_key_ex(NULL, "X25519", NULL, peer, len);
		return *out ? 0 : IFS_ERR_NOMEM;
	}
	return IFS_ERR_CRYPTO;
}

/* ---- our public value and the shared secret ---- */

int crypto_ke_public(const struct crypto_ke *ke, uint8_t *out, size_t len)
{
	uint8_t point[ECP_POINT_MAX];
	BIGNUM *y = NULL;
	size_t got = 0;
	int err = IFS_ERR_CRYPTO;

	if (!ke || !out || len != ke->g->public_len)
		return IFS_ERR_INVAL;
	memset(out, 0, len);
	switch (ke->g->kind) {
	case KE_MODP:
		/* RFC 7296 §3.4: padded with zeros to the length of p. */
		if (EVP_PKEY_get_bn_param(ke->pkey, OSSL_PKEY_PARAM_PUB_KEY, &y) == 1 &&
		    BN_bn2binpad(y, out, (int)len) == (int)len)
			err = 0;
		BN_free(y);
		break;
	case KE_ECP:
		if (EVP_PKEY_get_octet_string_param(ke->pkey,
						    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
						    point, sizeof(point), &got) == 1 &&
		    got == len + 1 && point[0] == ECP_UNCOMPRESSED) {
			memcpy(out, point + 1, len);
			err = 0;
		}
		break;
	case KE_X25519:
		got = len;
		if (EVP_PKEY_get_raw_public_key(ke->pkey, out, &got) == 1 && got == len)
			err = 0;
		break;
	}
	if (err)
		memset(out, 0, len);
	return err;
}

static bool is_all_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < len; i++)
		acc |= p[i];
	return acc == 0;
}

/* The derivation itself, into s (ke->g->shared_len bytes). */
static int derive_into(struct crypto_ke *ke, EVP_PKEY *peer, struct secret *s)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, ke->pkey, NULL);
	size_t len = s->len;
	int err = IFS_ERR_CRYPTO;

	if (!ctx)
		return IFS_ERR_NOMEM;
	if (EVP_PKEY_derive_init(ctx) != 1)
		goto out;
	/* RFC 7296 §2.14: g^ir keeps its leading zeros, as long as p. */
	if (ke->g->kind == KE_MODP && EVP_PKEY_CTX_set_dh_pad(ctx, 1) != 1)
		goto out;
	/* Validated by peer_key() already. */
	if (EVP_PKEY_derive_set_peer_ex(ctx, peer, 0) != 1)
		goto out;
	if (EVP_PKEY_derive(ctx, s->data, &len) != 1) {
		/* OpenSSL refuses an all-zero X25519 result itself (RFC 7748
		 * §6.1); nothing else about a 32-byte value can fail. */
		if (ke->g->kind == KE_X25519)
			err = IFS_ERR_INVAL;
		goto out;
	}
	if (len != s->len)
		goto out;
	/* RFC 8031 §2.2: MUST check for the all-zero value and abort. */
	if (ke->g->kind == KE_X25519 && is_all_zero(s->data, len)) {
		err = IFS_ERR_INVAL;
		goto out;
	}
	err = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	return err;
}

int crypto_ke_derive(struct crypto_ke *ke, const uint8_t *peer, size_t peer_len,
		     struct secret **shared)
{
	EVP_PKEY *peer_pkey = NULL;
	struct secret *s = NULL;
	int err;

	*shared = NULL;
	if (!ke || !peer || peer_len != ke->g->public_len)
		return IFS_ERR_INVAL;
	err = peer_key(ke, peer, peer_len, &peer_pkey);
	if (err)
		return err;
	err = secret_new(&s, NULL, ke->g->shared_len);
	if (!err)
		err = derive_into(ke, peer_pkey, s);
	EVP_PKEY_free(peer_pkey);
	if (err) {
		secret_free(s);
		return err;
	}
	*shared = s;
	return 0;
}

/* ---- key pairs from given private values (tests) ---- */

/* y = g^x mod p, 1 < x < p-1. */
static int modp_from_private(const struct ke_group *g, const BIGNUM *x, EVP_PKEY **out)
{
	BIGNUM *p = NULL, *gen = NULL, *y = BN_new();
	BN_CTX *bn_ctx = BN_CTX_new();
	int err;

	*out = NULL;
	err = y && bn_ctx ? 0 : IFS_ERR_NOMEM;
	if (!err)
		err = modp_param(g, NULL, OSSL_PKEY_PARAM_FFC_P, &p);
	if (!err)
		err = modp_param(g, NULL, OSSL_PKEY_PARAM_FFC_G, &gen);
	if (!err && !modp_in_range(x, p))
		err = IFS_ERR_INVAL;
	if (!err && BN_mod_exp(y, gen, x, p, bn_ctx) != 1)
		err = IFS_ERR_CRYPTO;
	if (!err)
		err = pkey_from(g, EVP_PKEY_KEYPAIR, y, NULL, 0, x, out);
	BN_CTX_free(bn_ctx);
	BN_free(y);
	BN_free(gen);
	BN_free(p);
	return err;
}

/* Q = d * G, 0 < d < n. */
static int ecp_from_private(const struct ke_group *g, const BIGNUM *d, EVP_PKEY **out)
{
	EC_GROUP *grp = EC_GROUP_new_by_curve_name_ex(NULL, NULL,
						      EC_curve_nist2nid(g->group_name));
	EC_POINT *q = grp ? EC_POINT_new(grp) : NULL;
	BN_CTX *bn_ctx = BN_CTX_new();
	uint8_t point[ECP_POINT_MAX];
	int err;

	*out = NULL;
	err = grp && q && bn_ctx ? 0 : IFS_ERR_NOMEM;
	if (!err && (BN_is_zero(d) || BN_cmp(d, EC_GROUP_get0_order(grp)) >= 0))
		err = IFS_ERR_INVAL;
	if (!err && (EC_POINT_mul(grp, q, d, NULL, NULL, bn_ctx) != 1 ||
		     EC_POINT_point2oct(grp, q, POINT_CONVERSION_UNCOMPRESSED, point,
					g->public_len + 1, bn_ctx) != g->public_len + 1))
		err = IFS_ERR_CRYPTO;
	if (!err)
		err = pkey_from(g, EVP_PKEY_KEYPAIR, NULL, point, g->public_len + 1, d, out);
	BN_CTX_free(bn_ctx);
	EC_POINT_free(q);
	EC_GROUP_free(grp);
	return err;
}

int crypto_ke_new_from_private(struct crypto_ke **out, uint16_t group,
			       const uint8_t *priv, size_t priv_len)
{
	const struct ke_group *g = find_group(group);
	EVP_PKEY *pkey = NULL;
	BIGNUM *v;
	int err;

	*out = NULL;
	if (!g)
		return IFS_ERR_UNSUPPORTED;
	if (!priv || priv_len == 0)
		return IFS_ERR_INVAL;
	if (g->kind == KE_X25519) {
		if (priv_len != g->shared_len)
			return IFS_ERR_INVAL;
		pkey = EVP_PKEY_new_raw_private_key_ex(NULL, "X25519", NULL, priv, priv_len);
		return pkey ? ke_wrap(out, g, pkey) : IFS_ERR_CRYPTO;
	}
	/* MODP exponents below p, ECP scalars below n: no longer than the
	 * field either way. */
	if (priv_len > g->shared_len)
		return IFS_ERR_INVAL;
	v = BN_secure_new();
	if (!v)
		return IFS_ERR_NOMEM;
	BN_set_flags(v, BN_FLG_CONSTTIME);
	if (!BN_bin2bn(priv, (int)priv_len, v))
		err = IFS_ERR_NOMEM;
	else if (g->kind == KE_MODP)
		err = modp_from_private(g, v, &pkey);
	else
		err = ecp_from_private(g, v, &pkey);
	BN_clear_free(v);
	return err ? err : ke_wrap(out, g, pkey);
}
