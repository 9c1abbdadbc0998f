/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_TEST_VECTORS_X25519_H
#define IFS_TEST_VECTORS_X25519_H

#include "kat.h"

/*
 * Curve25519 (RFC 8031, group 31), which is X25519 of RFC 7748.
 *
 * RFC 7748 §5.2: the two single scalar multiplications (the scalars are
 * given unclamped; X25519 clamps them).
 * RFC 7748 §6.1: the Diffie-Hellman example between Alice (i) and Bob
 * (r): private scalars, public values and the shared secret K.
 *
 * Checked after transcription with python3's cryptography package.
 */

static const struct x25519_kat x25519_kats[] = {
	{
		.name = "RFC 7748 §5.2 vector 1",
		.scalar =
			"a546e36bf0527c9d3b16154b82465edd"
			"62144c0ac1fc5a18506a2244ba449ac4",
		.u =
			"e6db6867583030db3594c1a424b15f7c"
			"726624ec26b3353b10a903a6d0ab1c4c",
		.out =
			"c3da55379de9c6908e94ea4df28d084f"
			"32eccf03491c71f754b4075577a28552",
	},
	{
		.name = "RFC 7748 §5.2 vector 2",
		.scalar =
			"4b66e9d4d1b4673c5ad22691957d6af5"
			"c11b6421e0ea01d42ca4169e7918ba0d",
		.u =
			"e5210f12786811d3f4b7959d0538ae2c"
			"31dbe7106fc03c3efc4cd549c715a493",
		.out =
			"95cbde9476e8907d7aade45cb4b873f8"
			"8b595a68799fa152e6f8f7647aac7957",
	},
};

static const struct ke_kat x25519_ke_kats[] = {
	{
		.name = "RFC 7748 §6.1",
		.group = CRYPTO_GROUP_CURVE25519,
		.priv_i =
			"77076d0a7318a57d3c16c17251b26645"
			"df4c2f87ebc0992ab177fba51db92c2a",
		.pub_i =
			"8520f0098930a754748b7ddcb43ef75a"
			"0dbf3a0d26381af4eba4a98eaa9b4e6a",
		.priv_r =
			"5dab087e624a8a4b79e17f8b83800ee6"
			"6f3bb1292618b6fd1c2f8b27ff88e0eb",
		.pub_r =
			"de9edb7d7b7dc1b4d35b61c2ece43537"
			"3f8343c85b78674dadfc7e146f882b4f",
		.shared =
			"4a5d9d5ba4ce2de1728e3bf480350f25"
			"e07e21c947d19e3376f09b3c1e161742",
	},
};

/*
 * Public values whose X25519 result is all zeros for every scalar: the
 * small-order u-coordinates 0, 1, p - 1 (= -1) and one of order 8,
 * and p, a non-canonical encoding of 0 (the list of D. J. Bernstein's
 * "validate" notes). RFC 8031 §2.2 makes the receiver refuse them.
 */
static const char *const x25519_low_order[] = {
	"0000000000000000000000000000000000000000000000000000000000000000",
	"0100000000000000000000000000000000000000000000000000000000000000",
	"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
};

#endif
