/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Proposal selection (RFC 7296 §2.7, §3.3.6) and the mapping of chosen
 * transforms to the algorithms of the crypto module.
 */
#include "ike/proposal.h"

#include <string.h>

#include "ike/ike_wire.h"

static bool xf_eq(const struct ike_xf *a, const struct ike_xf *b)
{
	return a->type == b->type && a->id == b->id && a->key_bits == b->key_bits;
}

static bool prop_lists(const struct ike_prop *p, const struct ike_xf *x)
{
	for (size_t i = 0; i < p->n_xf; i++)
		if (xf_eq(&p->xf[i], x))
			return true;
	return false;
}

static bool prop_has_type(const struct ike_prop *p, uint8_t type)
{
	for (size_t i = 0; i < p->n_xf; i++)
		if (p->xf[i].type == type)
			return true;
	return false;
}

/* A peer proposal we can consider at all. */
static bool prop_is_well_formed(const struct ike_prop *p, uint8_t protocol)
{
	if (p->protocol != protocol || p->n_xf == 0)
		return false;
	for (size_t i = 0; i < p->n_xf; i++) {
		const struct ike_xf *x = &p->xf[i];

		if (x->type == 0 || x->type > IKE_TT_MAX || x->has_unknown_attr)
			return false;
	}
	return true;
}

static void chosen_set(struct ike_chosen *c, const struct ike_xf *x)
{
	c->types |= (uint8_t)(1u << x->type);
	switch (x->type) {
	case IKE_TT_ENCR:
		c->encr = x->id;
		c->encr_key_bits = x->key_bits;
		break;
	case IKE_TT_PRF:
		c->prf = x->id;
		break;
	case IKE_TT_INTEG:
		c->integ = x->id;
		break;
	case IKE_TT_KE:
		c->ke = x->id;
		break;
	case IKE_TT_ESN:
		c->esn = x->id;
		break;
	}
}

/* For one type: the first transform in ours that theirs lists. A type
 * only the peer has is acceptable if the peer offers NONE (id 0) for it
 * (§3.3.6: how an initiator makes a transform optional). */
static bool pick_type(const struct ike_prop *ours, const struct ike_prop *theirs,
		      uint8_t type, struct ike_chosen *c)
{
	struct ike_xf none = { .type = type };

	if (!prop_has_type(ours, type)) {
		if (!prop_has_type(theirs, type))
			return true;
		if (!prop_lists(theirs, &none))
			return false;
		chosen_set(c, &none);
		return true;
	}
	for (size_t i = 0; i < ours->n_xf; i++)
		if (ours->xf[i].type == type && prop_lists(theirs, &ours->xf[i])) {
			chosen_set(c, &ours->xf[i]);
			return true;
		}
	return false;
}

static bool match_pair(const struct ike_prop *ours, const struct ike_prop *theirs,
		       uint16_t prefer_ke, struct ike_chosen *c)
{
	struct ike_xf ke = { .type = IKE_TT_KE, .id = prefer_ke };

	memset(c, 0, sizeof(*c));
	for (uint8_t t = 1; t <= IKE_TT_MAX; t++)
		if (!pick_type(ours, theirs, t, c))
			return false;
	if (prefer_ke != 0 && prop_lists(ours, &ke) && prop_lists(theirs, &ke))
		c->ke = prefer_ke;
	c->protocol = theirs->protocol;
	c->num = theirs->num;
	c->spi_len = theirs->spi_len;
	memcpy(c->spi, theirs->spi, sizeof(c->spi));
	return true;
}

int proposal_select(const struct ike_prop *ours, size_t n_ours,
		    const struct ike_prop *theirs, size_t n_theirs,
		    uint16_t prefer_ke, struct ike_chosen *out)
{
	for (size_t i = 0; i < n_ours; i++)
		for (size_t j = 0; j < n_theirs; j++) {
			if (!prop_is_well_formed(&theirs[j], ours[i].protocol))
				continue;
			if (match_pair(&ours[i], &theirs[j], prefer_ke, out))
				return 0;
		}
	memset(out, 0, sizeof(*out));
	return IFS_ERR_NOT_FOUND;
}

int proposal_accept_response(const struct ike_prop *ours, size_t n_ours,
			     const struct ike_prop *answer, struct ike_chosen *out)
{
	uint8_t seen = 0;

	memset(out, 0, sizeof(*out));
	if (!prop_is_well_formed(answer, n_ours ? ours[0].protocol : 0))
		return IFS_ERR_NOT_FOUND;
	for (size_t i = 0; i < answer->n_xf; i++) {
		uint8_t bit = (uint8_t)(1u << answer->xf[i].type);

		if (seen & bit)
			return IFS_ERR_NOT_FOUND;   /* more than one of a type */
		seen |= bit;
	}
	for (size_t i = 0; i < n_ours; i++) {
		struct ike_chosen c;

		/* The answer is acceptable when it is its own selection
		 * against one of our proposals, with no type left out. */
		if (!match_pair(&ours[i], answer, 0, &c) || c.types != seen)
			continue;
		*out = c;
		return 0;
	}
	return IFS_ERR_NOT_FOUND;
}

static void add_xf(struct ike_prop *p, uint8_t type, uint16_t id, uint16_t key_bits)
{
	p->xf[p->n_xf++] = (struct ike_xf){ .type = type, .id = id, .key_bits = key_bits };
}

void proposal_from_chosen(const struct ike_chosen *c, const uint8_t *spi,
			  uint8_t spi_len, struct ike_prop *out)
{
	memset(out, 0, sizeof(*out));
	out->num = c->num ? c->num : 1;
	out->protocol = c->protocol;
	out->spi_len = spi_len <= sizeof(out->spi) ? spi_len : 0;
	if (out->spi_len)
		memcpy(out->spi, spi, out->spi_len);
	if (c->types & (1u << IKE_TT_ENCR))
		add_xf(out, IKE_TT_ENCR, c->encr, c->encr_key_bits);
	if (c->types & (1u << IKE_TT_PRF))
		add_xf(out, IKE_TT_PRF, c->prf, 0);
	if (c->types & (1u << IKE_TT_INTEG))
		add_xf(out, IKE_TT_INTEG, c->integ, 0);
	if (c->types & (1u << IKE_TT_KE))
		add_xf(out, IKE_TT_KE, c->ke, 0);
	if (c->types & (1u << IKE_TT_ESN))
		add_xf(out, IKE_TT_ESN, c->esn, 0);
}

bool proposal_has_ke(const struct ike_prop *ours, size_t n, uint16_t group)
{
	struct ike_xf ke = { .type = IKE_TT_KE, .id = group };

	for (size_t i = 0; i < n; i++)
		if (prop_lists(&ours[i], &ke))
			return true;
	return false;
}

uint16_t proposal_first_ke(const struct ike_prop *ours, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < ours[i].n_xf; j++)
			if (ours[i].xf[j].type == IKE_TT_KE && ours[i].xf[j].id != IKE_KE_NONE)
				return ours[i].xf[j].id;
	return IKE_KE_NONE;
}

static int cbc_alg(uint16_t key_bits, uint16_t integ, enum crypto_alg *out)
{
	static const struct {
		uint16_t key_bits;
		uint16_t integ;
		enum crypto_alg alg;
	} map[] = {
		{ 128, IKE_INTEG_HMAC_SHA2_256_128, CRYPTO_AES128_CBC_SHA256_128 },
		{ 256, IKE_INTEG_HMAC_SHA2_256_128, CRYPTO_AES256_CBC_SHA256_128 },
		{ 128, IKE_INTEG_HMAC_SHA2_384_192, CRYPTO_AES128_CBC_SHA384_192 },
		{ 256, IKE_INTEG_HMAC_SHA2_384_192, CRYPTO_AES256_CBC_SHA384_192 },
		{ 128, IKE_INTEG_HMAC_SHA2_512_256, CRYPTO_AES128_CBC_SHA512_256 },
		{ 256, IKE_INTEG_HMAC_SHA2_512_256, CRYPTO_AES256_CBC_SHA512_256 },
	};

	for (size_t i = 0; i < IFS_ARRAY_LEN(map); i++)
		if (map[i].key_bits == key_bits && map[i].integ == integ) {
			*out = map[i].alg;
			return 0;
		}
	return IFS_ERR_UNSUPPORTED;
}

/* ESP and the SK payload share the transforms of the data plane. */
static int chosen_alg(const struct ike_chosen *c, enum crypto_alg *out)
{
	bool has_integ = c->integ != IKE_INTEG_NONE;

	switch (c->encr) {
	case IKE_ENCR_AES_GCM_16:
		if (has_integ)
			return IFS_ERR_UNSUPPORTED;
		if (c->encr_key_bits == 128)
			*out = CRYPTO_AES128_GCM16;
		else if (c->encr_key_bits == 256)
			*out = CRYPTO_AES256_GCM16;
		else
			return IFS_ERR_UNSUPPORTED;
		return 0;
	case IKE_ENCR_CHACHA20_POLY1305:
		if (has_integ || c->encr_key_bits != 0)
			return IFS_ERR_UNSUPPORTED;
		*out = CRYPTO_CHACHA20_POLY1305;
		return 0;
	case IKE_ENCR_AES_CBC:
		return cbc_alg(c->encr_key_bits, c->integ, out);
	default:
		return IFS_ERR_UNSUPPORTED;
	}
}

int proposal_esp_alg(const struct ike_chosen *c, enum crypto_alg *out)
{
	return chosen_alg(c, out);
}

int proposal_sk_alg(const struct ike_chosen *c, enum crypto_alg *out)
{
	return chosen_alg(c, out);
}
