/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_TEST_VECTORS_HMAC_SHA256_H
#define IFS_TEST_VECTORS_HMAC_SHA256_H

#include "kat.h"

/*
 * HMAC-SHA-256.
 *
 * RFC 4231 §4.2-§4.8, test cases 1-7 (full 256-bit output; case 5 gives
 * only the leftmost 128 bits). Their keys are 4 to 131 bytes, so they go
 * through crypto_hmac_sha256_for_test(), not through an ESP transform.
 *
 * RFC 4868 §2.7.2.1, AUTH256-1 to AUTH256-4: HMAC-SHA-256-128 with the
 * 32-byte key ESP uses, output truncated to the 128 bits ESP sends.
 *
 * Values cross-checked against several independent public test suites
 * that carry both RFCs.
 */

static const struct hmac_kat hmac_sha256_kats[] = {
	{
		.name = "RFC 4231 test case 1",
		.key =
			"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
			"0b0b0b0b",
		.data =
			"4869205468657265",
		.mac = "b0344c61d8db38535ca8afceaf0bf12b"
		       "881dc200c9833da726e9376c2e32cff7",
	},
	{
		.name = "RFC 4231 test case 2",
		.key =
			"4a656665",
		.data =
			"7768617420646f2079612077616e7420"
			"666f72206e6f7468696e673f",
		.mac = "5bdcc146bf60754e6a042426089575c7"
		       "5a003f089d2739839dec58b964ec3843",
	},
	{
		.name = "RFC 4231 test case 3",
		.key =
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaaaa",
		.data =
			"dddddddddddddddddddddddddddddddd"
			"dddddddddddddddddddddddddddddddd"
			"dddddddddddddddddddddddddddddddd"
			"dddd",
		.mac = "773ea91e36800e46854db8ebd09181a7"
		       "2959098b3ef8c122d9635514ced565fe",
	},
	{
		.name = "RFC 4231 test case 4",
		.key =
			"0102030405060708090a0b0c0d0e0f10"
			"111213141516171819",
		.data =
			"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
			"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
			"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
			"cdcd",
		.mac = "82558a389a443c0ea4cc819899f2083a"
		       "85f0faa3e578f8077a2e3ff46729665b",
	},
	{
		.name = "RFC 4231 test case 5 (128 bits)",
		.key =
			"0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c"
			"0c0c0c0c",
		.data =
			"546573742057697468205472756e6361"
			"74696f6e",
		.mac = "a3b6167473100ee06e0c796c2955552b",
	},
	{
		.name = "RFC 4231 test case 6",
		.key =
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaa",
		.data =
			"54657374205573696e67204c61726765"
			"72205468616e20426c6f636b2d53697a"
			"65204b6579202d2048617368204b6579"
			"204669727374",
		.mac = "60e431591ee0b67f0d8a26aacbf5b77f"
		       "8e0bc6213728c5140546040f0ee37f54",
	},
	{
		.name = "RFC 4231 test case 7",
		.key =
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaa",
		.data =
			"54686973206973206120746573742075"
			"73696e672061206c6172676572207468"
			"616e20626c6f636b2d73697a65206b65"
			"7920616e642061206c61726765722074"
			"68616e20626c6f636b2d73697a652064"
			"6174612e20546865206b6579206e6565"
			"647320746f2062652068617368656420"
			"6265666f7265206265696e6720757365"
			"642062792074686520484d414320616c"
			"676f726974686d2e",
		.mac = "9b09ffa71b942fcb27635fbcd5b0e944"
		       "bfdc63644f0713938a7f51535c3a35e2",
	},
};

/* RFC 4868 §2.7.2.1: the 128-bit ICV of HMAC-SHA-256-128. */
static const struct hmac_kat hmac_sha256_128_kats[] = {
	{
		.name = "RFC 4868 AUTH256-1",
		.key =
			"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
			"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
		.data =
			"4869205468657265",
		.mac = "198a607eb44bfbc69903a0f1cf2bbdc5",
	},
	{
		.name = "RFC 4868 AUTH256-2",
		.key =
			"4a6566654a6566654a6566654a656665"
			"4a6566654a6566654a6566654a656665",
		.data =
			"7768617420646f2079612077616e7420"
			"666f72206e6f7468696e673f",
		.mac = "167f928588c5cc2eef8e3093caa0e87c",
	},
	{
		.name = "RFC 4868 AUTH256-3",
		.key =
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		.data =
			"dddddddddddddddddddddddddddddddd"
			"dddddddddddddddddddddddddddddddd"
			"dddddddddddddddddddddddddddddddd"
			"dddd",
		.mac = "cdcb1220d1ecccea91e53aba3092f962",
	},
	{
		.name = "RFC 4868 AUTH256-4",
		.key =
			"0102030405060708090a0b0c0d0e0f10"
			"1112131415161718191a1b1c1d1e1f20",
		.data =
			"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
			"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
			"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
			"cdcd",
		.mac = "372efcf9b40b35c2115b1346903d2ef4",
	},
};

#endif
