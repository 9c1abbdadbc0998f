/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_TEST_VECTORS_ECP_H
#define IFS_TEST_VECTORS_ECP_H

#include "kat.h"

/*
 * ECP groups 19 and 20 (RFC 5903).
 *
 * RFC 5903 §8.1 and §8.2: the initiator's and responder's private values
 * i and r, their public values gix || giy and grx || gry (the KE payload
 * data, §7), and the shared secret girx (the x coordinate alone, §9).
 *
 * Checked after transcription: with python3's cryptography package,
 * i*G and r*G give the public values and ECDH gives girx.
 */

static const struct ke_kat ecp_kats[] = {
	{
		.name = "RFC 5903 §8.1 (256-bit random ECP group)",
		.group = CRYPTO_GROUP_ECP256,
		.priv_i =
			"c88f01f510d9ac3f70a292daa2316de5"
			"44e9aab8afe84049c62a9c57862d1433",
		.pub_i =
			"dad0b65394221cf9b051e1feca5787d0"
			"98dfe637fc90b9ef945d0c3772581180"
			"5271a0461cdb8252d61f1c456fa3e59a"
			"b1f45b33accf5f58389e0577b8990bb3",
		.priv_r =
			"c6ef9c5d78ae012a011164acb397ce20"
			"88685d8f06bf9be0b283ab46476bee53",
		.pub_r =
			"d12dfb5289c8d4f81208b70270398c34"
			"2296970a0bccb74c736fc7554494bf63"
			"56fbf3ca366cc23e8157854c13c58d6a"
			"ac23f046ada30f8353e74f33039872ab",
		.shared =
			"d6840f6b42f6edafd13116e0e1256520"
			"2fef8e9ece7dce03812464d04b9442de",
	},
	{
		.name = "RFC 5903 §8.2 (384-bit random ECP group)",
		.group = CRYPTO_GROUP_ECP384,
		.priv_i =
			"099f3c7034d4a2c699884d73a375a67f"
			"7624ef7c6b3c0f160647b67414dce655"
			"e35b538041e649ee3faef896783ab194",
		.pub_i =
			"667842d7d180ac2cde6f74f37551f557"
			"55c7645c20ef73e31634fe72b4c55ee6"
			"de3ac808acb4bdb4c88732aee95f41aa"
			"9482ed1fc0eeb9cafc4984625ccfc23f"
			"65032149e0e144ada024181535a0f38e"
			"eb9fcff3c2c947dae69b4c634573a81c",
		.priv_r =
			"41cb0779b4bdb85d47846725fbec3c94"
			"30fab46cc8dc5060855cc9bda0aa2942"
			"e0308312916b8ed2960e4bd55a7448fc",
		.pub_r =
			"e558dbef53eecde3d3fccfc1aea08a89"
			"a987475d12fd950d83cfa41732bc509d"
			"0d1ac43a0336def96fda41d0774a3571"
			"dcfbec7aacf3196472169e838430367f"
			"66eebe3c6e70c416dd5f0c68759dd1ff"
			"f83fa40142209dff5eaad96db9e6386c",
		.shared =
			"11187331c279962d93d604243fd592cb"
			"9d0a926f422e47187521287e7156c5c4"
			"d603135569b9e9d09cf5d4a270f59746",
	},
	/*
	 * Leading zeros: the RFC 5903 §8.1 i with r + 138211, the first
	 * increment of r for which both grx and the shared x coordinate start
	 * with a zero byte, which must be kept (RFC 5903 §7). Computed with
	 * python3's cryptography package.
	 */
	{
		.name = "ECP-256, leading zero bytes (generated)",
		.group = CRYPTO_GROUP_ECP256,
		.priv_i =
			"c88f01f510d9ac3f70a292daa2316de5"
			"44e9aab8afe84049c62a9c57862d1433",
		.pub_i =
			"dad0b65394221cf9b051e1feca5787d0"
			"98dfe637fc90b9ef945d0c3772581180"
			"5271a0461cdb8252d61f1c456fa3e59a"
			"b1f45b33accf5f58389e0577b8990bb3",
		.priv_r =
			"c6ef9c5d78ae012a011164acb397ce20"
			"88685d8f06bf9be0b283ab46476e0a36",
		.pub_r =
			"0050b3f422c9ef71643644d2da9ab0ae"
			"92c01e67ba3317902f3fcbcec4c47866"
			"d5bfe669149e11c9b0d0de56490fb542"
			"b355e8e74adbd67bd5a2ac0b3a10f332",
		.shared =
			"00b9b7b52a597b6b3216eab7a6d1223f"
			"5dcf06b2943e6812ec4de69e9667de65",
	},
};

#endif
