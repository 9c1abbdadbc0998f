/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_TEST_VECTORS_PRF_PLUS_H
#define IFS_TEST_VECTORS_PRF_PLUS_H

#include "kat.h"

/*
 * prf+ (RFC 7296 §2.13).
 *
 * RFC 5869 §2.3 HKDF-Expand(PRK, info, L) computes
 *   T(0) = empty, T(n) = HMAC(PRK, T(n-1) | info | n), OKM = first L bytes
 * which is prf+(K = PRK, S = info) for PRF_HMAC_SHA2_256, byte for byte.
 * So RFC 5869 Appendix A test cases 1-3 (the SHA-256 ones) are prf+
 * answers: key = PRK, seed = info, out = OKM (42, 82 and 42 bytes: 2, 3
 * and 2 blocks, the last one cut). Case 3 has an empty info, so its seed
 * is empty.
 *
 * Values as printed in RFC 5869 Appendix A.1-A.3, re-derived with
 * python3's hmac module (Extract and Expand) to check the transcription.
 */

static const struct prf_plus_kat prf_plus_kats[] = {
	{
		.name = "RFC 5869 test case 1 (42 bytes)",
		.prf = CRYPTO_PRF_HMAC_SHA256,
		.key =
			"077709362c2e32df0ddc3f0dc47bba63"
			"90b6c73bb50f9c3122ec844ad7c2b3e5",
		.seed =
			"f0f1f2f3f4f5f6f7f8f9",
		.out =
			"3cb25f25faacd57a90434f64d0362f2a"
			"2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
			"34007208d5b887185865",
	},
	{
		.name = "RFC 5869 test case 2 (82 bytes)",
		.prf = CRYPTO_PRF_HMAC_SHA256,
		.key =
			"06a6b88c5853361a06104c9ceb35b45c"
			"ef760014904671014a193f40c15fc244",
		.seed =
			"b0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
			"c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
			"d0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
			"e0e1e2e3e4e5e6e7e8e9eaebecedeeef"
			"f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
		.out =
			"b11e398dc80327a1c8e7f78c596a4934"
			"4f012eda2d4efad8a050cc4c19afa97c"
			"59045a99cac7827271cb41c65e590e09"
			"da3275600c2f09b8367793a9aca3db71"
			"cc30c58179ec3e87c14c01d5c1f3434f"
			"1d87",
	},
	{
		.name = "RFC 5869 test case 3 (42 bytes)",
		.prf = CRYPTO_PRF_HMAC_SHA256,
		.key =
			"19ef24a32c717b167f33a91d6f648bdf"
			"96596776afdb6377ac434c1c293ccb04",
		.seed =
			"",
		.out =
			"8da4e775a563c18f715f802a063c5a31"
			"b8a11f5c5ee1879ec3454e5f3c738d2d"
			"9d201395faa4b61a96c8",
	},
};

#endif
