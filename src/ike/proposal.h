/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IKE_PROPOSAL_H
#define IFS_IKE_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/err.h"
#include "crypto/crypto.h"

/*
 * Proposals (RFC 7296 §3.3): what we offer or accept, as configured
 * (proposal_parse, strongSwan's keyword syntax) and as received in an SA
 * payload (msg.h decodes into the same structure), and the selection of
 * one transform per type (§2.7).
 */

#define IKE_MAX_TRANSFORMS 64      /* per proposal (charon's default has 36) */
#define IKE_MAX_PROPOSALS 16       /* per SA payload */

struct ike_xf {
	uint8_t type;                /* enum ike_transform_type */
	uint16_t id;
	uint16_t key_bits;           /* Key Length attribute, 0 when absent */
	bool has_unknown_attr;       /* §3.3.6: such a transform is unacceptable */
};

struct ike_prop {
	uint8_t num;                 /* proposal number, 1-based */
	uint8_t protocol;            /* enum ike_protocol */
	uint8_t spi_len;             /* 0, 4 or 8 */
	uint8_t spi[8];
	size_t n_xf;
	struct ike_xf xf[IKE_MAX_TRANSFORMS];
};

/* One transform of each type, as chosen; 0 (and key_bits 0) where the
 * type is absent. */
struct ike_chosen {
	uint8_t protocol;
	uint8_t num;                 /* the peer's proposal number */
	uint16_t encr;
	uint16_t encr_key_bits;
	uint16_t prf;
	uint16_t integ;
	uint16_t ke;
	uint16_t esn;                /* IKE_ESN_NO or IKE_ESN_YES (ESP only) */
	uint8_t spi_len;
	uint8_t spi[8];              /* the peer's SPI from its proposal */
	uint8_t types;               /* bit (1 << type) for each type negotiated */
};

/*
 * Parse one proposal in strongSwan's syntax, e.g.
 *   IKE: "aes128gcm16-prfsha256-x25519", "aes256-sha384-ecp384",
 *        "aes128-aes256-sha256-sha512-modp3072-modp2048"
 *   ESP: "aes128gcm16", "aes256-sha256-esn", "aes128gcm16-x25519" (PFS)
 * or the word "default" (see proposal_default). protocol is IKE_PROTO_IKE
 * or IKE_PROTO_ESP. On error why says which keyword is wrong and why.
 */
int proposal_parse(const char *s, uint8_t protocol, struct ike_prop *out,
		   char *why, size_t why_len) IFS_MUST_CHECK;
/* ifsec's default proposals for a protocol: up to max written to out,
 * the count returned. */
size_t proposal_default(uint8_t protocol, struct ike_prop *out, size_t max);
/* strongSwan's keyword for one transform ("aes128gcm16", "prfsha256",
 * "x25519", "esn", ...), for logs and listings; "?" when unknown. */
const char *proposal_xf_name(uint8_t type, uint16_t id, uint16_t key_bits);
/* The whole proposal as strongSwan writes it, e.g.
 * "IKE:AES_GCM_16_128/PRF_HMAC_SHA2_256/CURVE_25519" is charon's log form;
 * we write the keyword form "aes128gcm16-prfsha256-x25519". */
const char *proposal_str(const struct ike_prop *p, char *buf, size_t len);
const char *proposal_chosen_str(const struct ike_chosen *c, char *buf, size_t len);

/*
 * §2.7 selection, preferring our configuration as strongSwan does: for
 * each of our proposals in order, the first of the peer's proposals that
 * offers, for every transform type ours has, a transform ours lists;
 * from it the first transform of each type in our order. When
 * prefer_ke is not 0 and the pair allows that KE group, it is chosen
 * (the group of the initiator's KE payload: no INVALID_KE round trip
 * when it is acceptable). Peer proposals with unknown transform types,
 * unknown attributes, another protocol or no transforms are skipped.
 * IFS_ERR_NOT_FOUND when nothing matches.
 */
int proposal_select(const struct ike_prop *ours, size_t n_ours,
		    const struct ike_prop *theirs, size_t n_theirs,
		    uint16_t prefer_ke, struct ike_chosen *out) IFS_MUST_CHECK;
/* The initiator's check of a response: the one proposal returned must
 * have exactly one transform per type and be a subset of what we
 * offered. */
int proposal_accept_response(const struct ike_prop *ours, size_t n_ours,
			     const struct ike_prop *answer,
			     struct ike_chosen *out) IFS_MUST_CHECK;
/* The chosen transforms as a proposal with one transform per type, to
 * send back (with our SPI). */
void proposal_from_chosen(const struct ike_chosen *c, const uint8_t *spi,
			  uint8_t spi_len, struct ike_prop *out);
/* Is the KE group in any of our proposals? */
bool proposal_has_ke(const struct ike_prop *ours, size_t n, uint16_t group);
/* The first KE group of our first proposal (what an initiator guesses). */
uint16_t proposal_first_ke(const struct ike_prop *ours, size_t n);

/* The data-plane algorithm for chosen ESP transforms, or an error if the
 * combination has none. */
int proposal_esp_alg(const struct ike_chosen *c, enum crypto_alg *out) IFS_MUST_CHECK;
/* The same for the IKE SK payload (encryption + integrity). */
int proposal_sk_alg(const struct ike_chosen *c, enum crypto_alg *out) IFS_MUST_CHECK;

#endif
