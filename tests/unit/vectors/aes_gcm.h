/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_TEST_VECTORS_AES_GCM_H
#define IFS_TEST_VECTORS_AES_GCM_H

#include "kat.h"

/*
 * AES-GCM with a 16-byte tag.
 *
 * Test cases 1-4 and 13-16: D. McGrew and J. Viega, "The Galois/Counter
 * Mode of Operation (GCM)", revised 2005, Appendix B, the cases with a
 * 96-bit IV (the document RFC 4106 cites as [GCM]). Used as RFC 4106 does
 * (§4, §8.1): the spec's 12-byte IV splits into a 4-byte salt, appended
 * to the key, and the 8-byte explicit IV. Cross-checked against the
 * transcriptions in GNU Nettle testsuite/gcm-test.c and strongSwan
 * test_vectors/aes_gcm.c, which agree byte for byte.
 *
 * The ESP case: draft-mcgrew-gcm-test-01 ("Test Cases for the use of GCM
 * and GMAC in IPsec ESP", McGrew, 2009), the AES-128 packet with SPI
 * 0x00004321 and a 64-bit extended sequence number 0x87654321_00000000:
 * the AAD is SPI || ESN high || ESN low (RFC 4106 §5, 12 bytes). The
 * draft's own text was not at hand; the bytes are as transcribed in a
 * public Linux crypto test module, whose 20-byte "assoc" is this AAD
 * followed by the 8-byte IV (the kernel's rfc4106 calling convention).
 */

static const struct aead_kat aes_gcm_kats[] = {
	{
		.name = "GCM spec test case 1",
		.alg = CRYPTO_AES128_GCM16,
		.key = "00000000000000000000000000000000" "00000000",
		.iv = "0000000000000000",
		.aad = "",
		.plain = "",
		.cipher = "",
		.tag = "58e2fccefa7e3061367f1d57a4e7455a",
	},
	{
		.name = "GCM spec test case 2",
		.alg = CRYPTO_AES128_GCM16,
		.key = "00000000000000000000000000000000" "00000000",
		.iv = "0000000000000000",
		.aad = "",
		.plain = "00000000000000000000000000000000",
		.cipher = "0388dace60b6a392f328c2b971b2fe78",
		.tag = "ab6e47d42cec13bdf53a67b21257bddf",
	},
	{
		.name = "GCM spec test case 3",
		.alg = CRYPTO_AES128_GCM16,
		.key = "feffe9928665731c6d6a8f9467308308" "cafebabe",
		.iv = "facedbaddecaf888",
		.aad = "",
		.plain = "d9313225f88406e5a55909c5aff5269a"
			 "86a7a9531534f7da2e4c303d8a318a72"
			 "1c3c0c95956809532fcf0e2449a6b525"
			 "b16aedf5aa0de657ba637b391aafd255",
		.cipher = "42831ec2217774244b7221b784d0d49c"
			  "e3aa212f2c02a4e035c17e2329aca12e"
			  "21d514b25466931c7d8f6a5aac84aa05"
			  "1ba30b396a0aac973d58e091473f5985",
		.tag = "4d5c2af327cd64a62cf35abd2ba6fab4",
	},
	{
		.name = "GCM spec test case 4",
		.alg = CRYPTO_AES128_GCM16,
		.key = "feffe9928665731c6d6a8f9467308308" "cafebabe",
		.iv = "facedbaddecaf888",
		.aad = "feedfacedeadbeeffeedfacedeadbeef"
		       "abaddad2",
		.plain = "d9313225f88406e5a55909c5aff5269a"
			 "86a7a9531534f7da2e4c303d8a318a72"
			 "1c3c0c95956809532fcf0e2449a6b525"
			 "b16aedf5aa0de657ba637b39",
		.cipher = "42831ec2217774244b7221b784d0d49c"
			  "e3aa212f2c02a4e035c17e2329aca12e"
			  "21d514b25466931c7d8f6a5aac84aa05"
			  "1ba30b396a0aac973d58e091",
		.tag = "5bc94fbc3221a5db94fae95ae7121a47",
	},
	{
		.name = "GCM spec test case 13",
		.alg = CRYPTO_AES256_GCM16,
		.key = "00000000000000000000000000000000"
		       "00000000000000000000000000000000" "00000000",
		.iv = "0000000000000000",
		.aad = "",
		.plain = "",
		.cipher = "",
		.tag = "530f8afbc74536b9a963b4f1c4cb738b",
	},
	{
		.name = "GCM spec test case 14",
		.alg = CRYPTO_AES256_GCM16,
		.key = "00000000000000000000000000000000"
		       "00000000000000000000000000000000" "00000000",
		.iv = "0000000000000000",
		.aad = "",
		.plain = "00000000000000000000000000000000",
		.cipher = "cea7403d4d606b6e074ec5d3baf39d18",
		.tag = "d0d1c8a799996bf0265b98b5d48ab919",
	},
	{
		.name = "GCM spec test case 15",
		.alg = CRYPTO_AES256_GCM16,
		.key = "feffe9928665731c6d6a8f9467308308"
		       "feffe9928665731c6d6a8f9467308308" "cafebabe",
		.iv = "facedbaddecaf888",
		.aad = "",
		.plain = "d9313225f88406e5a55909c5aff5269a"
			 "86a7a9531534f7da2e4c303d8a318a72"
			 "1c3c0c95956809532fcf0e2449a6b525"
			 "b16aedf5aa0de657ba637b391aafd255",
		.cipher = "522dc1f099567d07f47f37a32a84427d"
			  "643a8cdcbfe5c0c97598a2bd2555d1aa"
			  "8cb08e48590dbb3da7b08b1056828838"
			  "c5f61e6393ba7a0abcc9f662898015ad",
		.tag = "b094dac5d93471bdec1a502270e3cc6c",
	},
	{
		.name = "GCM spec test case 16",
		.alg = CRYPTO_AES256_GCM16,
		.key = "feffe9928665731c6d6a8f9467308308"
		       "feffe9928665731c6d6a8f9467308308" "cafebabe",
		.iv = "facedbaddecaf888",
		.aad = "feedfacedeadbeeffeedfacedeadbeef"
		       "abaddad2",
		.plain = "d9313225f88406e5a55909c5aff5269a"
			 "86a7a9531534f7da2e4c303d8a318a72"
			 "1c3c0c95956809532fcf0e2449a6b525"
			 "b16aedf5aa0de657ba637b39",
		.cipher = "522dc1f099567d07f47f37a32a84427d"
			  "643a8cdcbfe5c0c97598a2bd2555d1aa"
			  "8cb08e48590dbb3da7b08b1056828838"
			  "c5f61e6393ba7a0abcc9f662",
		.tag = "76fc6ece0f4e1768cddf8853bb2d551b",
	},
	{
		.name = "draft-mcgrew-gcm-test-01 ESP, SPI 0x4321",
		.alg = CRYPTO_AES128_GCM16,
		.key = "4c80cdefbb5d10da906ac73c3613a634" "2e443b68",
		.iv = "4956ed7e3b244cfe",
		.aad = "00004321" "87654321" "00000000",
		.plain = "45000048699a000080114db7c0a80102"
			 "c0a801010a9bf15638d3010000010000"
			 "00000000045f736970045f7564700373"
			 "69700963796265726369747902646b00"
			 "0021000101020201",
		.cipher = "fecf537e729d5b07dc30df528dd22b76"
			  "8d1b98736696a6fd348509fa13ceac34"
			  "cfa2436f14a3f3cf65925bf1f4a13c5d"
			  "15b21e1884f5ff6247aeabb786b93bce"
			  "61bc17d768fd9732",
		.tag = "459018148f6cbe722fd04796562dfdb4",
	},
};

#endif
