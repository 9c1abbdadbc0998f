/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_TEST_VECTORS_AES_CBC_H
#define IFS_TEST_VECTORS_AES_CBC_H

#include "kat.h"

/*
 * AES-CBC without padding.
 *
 * RFC 3602 §4, test cases 1-4 (AES-128): case 1's plain text is the ASCII
 * "Single block msg", case 3's is "This is a 48-byte message (exactly 3
 * AES blocks)".
 *
 * NIST SP 800-38A (2001), Appendix F.2.1 CBC-AES128.Encrypt and F.2.5
 * CBC-AES256.Encrypt: IV 000102...0f and the four-block plain text the
 * appendix uses throughout.
 *
 * Cross-checked against Libreswan's cbc_test_vectors.c (RFC 3602) and
 * other public transcriptions of both documents.
 */

#define SP800_38A_PLAIN \
	"6bc1bee22e409f96e93d7e117393172a" \
	"ae2d8a571e03ac9c9eb76fac45af8e51" \
	"30c81c46a35ce411e5fbc1191a0a52ef" \
	"f69f2445df4f9b17ad2b417be66c3710"

static const struct cbc_kat aes_cbc_kats[] = {
	{
		.name = "RFC 3602 case 1",
		.alg = CRYPTO_AES128_CBC_SHA256_128,
		.enc_key = "06a9214036b8a15b512e03d534120006",
		.iv = "3dafba429d9eb430b422da802c9fac41",
		.plain = "53696e676c6520626c6f636b206d7367",
		.cipher = "e353779c1079aeb82708942dbe77181a",
	},
	{
		.name = "RFC 3602 case 2",
		.alg = CRYPTO_AES128_CBC_SHA256_128,
		.enc_key = "c286696d887c9aa0611bbb3e2025a45a",
		.iv = "562e17996d093d28ddb3ba695a2e6f58",
		.plain = "000102030405060708090a0b0c0d0e0f"
			 "101112131415161718191a1b1c1d1e1f",
		.cipher = "d296cd94c2cccf8a3a863028b5e1dc0a"
			  "7586602d253cfff91b8266bea6d61ab1",
	},
	{
		.name = "RFC 3602 case 3",
		.alg = CRYPTO_AES128_CBC_SHA256_128,
		.enc_key = "6c3ea0477630ce21a2ce334aa746c2cd",
		.iv = "c782dc4c098c66cbd9cd27d825682c81",
		.plain = "5468697320697320612034382d627974"
			 "65206d65737361676520286578616374"
			 "6c7920332041455320626c6f636b7329",
		.cipher = "d0a02b3836451753d493665d33f0e886"
			  "2dea54cdb293abc7506939276772f8d5"
			  "021c19216bad525c8579695d83ba2684",
	},
	{
		.name = "RFC 3602 case 4",
		.alg = CRYPTO_AES128_CBC_SHA256_128,
		.enc_key = "56e47a38c5598974bc46903dba290349",
		.iv = "8ce82eefbea0da3c44699ed7db51b7d9",
		.plain = "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
			 "b0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
			 "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
			 "d0d1d2d3d4d5d6d7d8d9dadbdcdddedf",
		.cipher = "c30e32ffedc0774e6aff6af0869f71aa"
			  "0f3af07a9a31a9c684db207eb0ef8e4e"
			  "35907aa632c3ffdf868bb7b29d3d46ad"
			  "83ce9f9a102ee99d49a53e87f4c3da55",
	},
	{
		.name = "SP 800-38A F.2.1 CBC-AES128.Encrypt",
		.alg = CRYPTO_AES128_CBC_SHA256_128,
		.enc_key = "2b7e151628aed2a6abf7158809cf4f3c",
		.iv = "000102030405060708090a0b0c0d0e0f",
		.plain = SP800_38A_PLAIN,
		.cipher = "7649abac8119b246cee98e9b12e9197d"
			  "5086cb9b507219ee95db113a917678b2"
			  "73bed6b8e3c1743b7116e69e22229516"
			  "3ff1caa1681fac09120eca307586e1a7",
	},
	{
		.name = "SP 800-38A F.2.5 CBC-AES256.Encrypt",
		.alg = CRYPTO_AES256_CBC_SHA256_128,
		.enc_key = "603deb1015ca71be2b73aef0857d7781"
			   "1f352c073b6108d72d9810a30914dff4",
		.iv = "000102030405060708090a0b0c0d0e0f",
		.plain = SP800_38A_PLAIN,
		.cipher = "f58c4c04d6e5f1ba779eabfb5f7bfbd6"
			  "9cfc4e967edb808d679f777bc6702c7d"
			  "39f23369a9d9bacfa530e26304231461"
			  "b2eb05e2c39be9fcda6c19078c6a9d1b",
	},
};

#endif
