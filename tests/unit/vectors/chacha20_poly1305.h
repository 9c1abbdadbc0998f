/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_TEST_VECTORS_CHACHA20_POLY1305_H
#define IFS_TEST_VECTORS_CHACHA20_POLY1305_H

#include "kat.h"

/*
 * ChaCha20-Poly1305 (AEAD_CHACHA20_POLY1305).
 *
 * RFC 8439 (formerly RFC 7539) §2.8.2, "Example and Test Vector for
 * AEAD_CHACHA20_POLY1305": the 12-byte nonce is the 32-bit "constant"
 * 07000000 followed by the 64-bit IV 4041424344454647, which is exactly
 * the ESP layout of RFC 7634 §2 (salt || IV), so the constant is the salt
 * at the end of the key. The plain text is the ASCII sentence "Ladies
 * and Gentlemen of the class of '99: If I could offer you only one tip
 * for the future, sunscreen would be it." (114 bytes).
 *
 * RFC 7634 Appendix A (an ESP packet: SPI 0x01020304, sequence number 5,
 * AAD = SPI || sequence number, plain text = an IPv4 ICMP echo followed by
 * the ESP trailer 01 02 02 04) and Appendix B (an IKEv2 SK payload, whose
 * AAD is the IKE header and the SK payload header, RFC 7634 §3).
 * Values cross-checked against several independent public test suites
 * that carry the same appendices.
 */

static const struct aead_kat chacha20_poly1305_kats[] = {
	{
		.name = "RFC 8439 2.8.2",
		.alg = CRYPTO_CHACHA20_POLY1305,
		.key = "808182838485868788898a8b8c8d8e8f"
		       "909192939495969798999a9b9c9d9e9f" "07000000",
		.iv = "4041424344454647",
		.aad = "50515253c0c1c2c3c4c5c6c7",
		.plain = "4c616469657320616e642047656e746c"
			 "656d656e206f662074686520636c6173"
			 "73206f66202739393a20496620492063"
			 "6f756c64206f6666657220796f75206f"
			 "6e6c79206f6e652074697020666f7220"
			 "746865206675747572652c2073756e73"
			 "637265656e20776f756c642062652069"
			 "742e",
		.cipher = "d31a8d34648e60db7b86afbc53ef7ec2"
			  "a4aded51296e08fea9e2b5a736ee62d6"
			  "3dbea45e8ca9671282fafb69da92728b"
			  "1a71de0a9e060b2905d6a5b67ecd3b36"
			  "92ddbd7f2d778b8c9803aee328091b58"
			  "fab324e4fad675945585808b4831d7bc"
			  "3ff4def08e4b7a9de576d26586cec64b"
			  "6116",
		.tag = "1ae10b594f09e26a7e902ecbd0600691",
	},
	{
		.name = "RFC 7634 Appendix A (ESP)",
		.alg = CRYPTO_CHACHA20_POLY1305,
		.key = "808182838485868788898a8b8c8d8e8f"
		       "909192939495969798999a9b9c9d9e9f" "a0a1a2a3",
		.iv = "1011121314151617",
		.aad = "01020304" "00000005",
		.plain = "45000054a6f200004001e778c6336405"
			 "c000020508005b7a3a080000553bec10"
			 "0007362708090a0b0c0d0e0f10111213"
			 "1415161718191a1b1c1d1e1f20212223"
			 "2425262728292a2b2c2d2e2f30313233"
			 "3435363701020204",
		.cipher = "24039428b97f417e3c13753a4f05087b"
			  "67c352e6a7fab1b982d466ef407ae5c6"
			  "14ee8099d52844eb61aa95dfab4c02f7"
			  "2aa71e7c4c4f64c9befe2facc638e8f3"
			  "cbec163fac469b502773f6fb94e664da"
			  "9165b82829f641e0",
		.tag = "76aaa8266b7fb0f7b11b369907e1ad43",
	},
	{
		.name = "RFC 7634 Appendix B (IKEv2)",
		.alg = CRYPTO_CHACHA20_POLY1305,
		.key = "808182838485868788898a8b8c8d8e8f"
		       "909192939495969798999a9b9c9d9e9f" "a0a1a2a3",
		.iv = "1011121314151617",
		.aad = "c0c1c2c3c4c5c6c7d0d1d2d3d4d5d6d7"
		       "2e202500000000090000004529000029",
		.plain = "0000000c000040010000000a00",
		.cipher = "610394701f8d017f7c12924889",
		.tag = "6b71bfe25236efd7cdc67066906315b2",
	},
};

#endif
