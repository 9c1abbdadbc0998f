/* SPDX-License-Identifier: BSD-2-Clause */
/* The table of ESP transforms: sizes from their RFCs, names as strongSwan
 * spells them in proposals. */
#include "crypto/crypto.h"

#include <string.h>

static const struct crypto_alg_info alg_table[CRYPTO_ALG_COUNT] = {
	/* RFC 4106 §8.1: 16/32-byte AES key followed by a 4-byte salt;
	 * §3.1: 8-byte explicit IV; 16-byte ICV for the "16" variant. */
	[CRYPTO_AES128_GCM16] = {
		.name = "aes128gcm16", .key_len = 20, .enc_key_len = 16,
		.salt_len = 4, .iv_len = 8, .icv_len = 16, .block_len = 1,
		.pad_align = 4, .is_aead = true,
	},
	[CRYPTO_AES256_GCM16] = {
		.name = "aes256gcm16", .key_len = 36, .enc_key_len = 32,
		.salt_len = 4, .iv_len = 8, .icv_len = 16, .block_len = 1,
		.pad_align = 4, .is_aead = true,
	},
	/* RFC 7634 §2, §4: 32-byte key, 4-byte salt, 8-byte IV, 16-byte tag. */
	[CRYPTO_CHACHA20_POLY1305] = {
		.name = "chacha20poly1305", .key_len = 36, .enc_key_len = 32,
		.salt_len = 4, .iv_len = 8, .icv_len = 16, .block_len = 1,
		.pad_align = 4, .is_aead = true,
	},
	/* RFC 3602: 16-byte IV and block; RFC 4868 §2.1: 32-byte HMAC key,
	 * ICV truncated to 16 bytes. */
	[CRYPTO_AES128_CBC_SHA256_128] = {
		.name = "aes128-sha256", .key_len = 48, .enc_key_len = 16,
		.integ_key_len = 32, .iv_len = 16, .icv_len = 16,
		.block_len = 16, .pad_align = 16,
	},
	[CRYPTO_AES256_CBC_SHA256_128] = {
		.name = "aes256-sha256", .key_len = 64, .enc_key_len = 32,
		.integ_key_len = 32, .iv_len = 16, .icv_len = 16,
		.block_len = 16, .pad_align = 16,
	},
	/* RFC 4868 §2.1.1, §2.3: HMAC-SHA-384-192 takes a 48-byte key and
	 * sends 24 bytes; HMAC-SHA-512-256 a 64-byte key and 32 bytes. The
	 * key is always as long as the full HMAC output, which cbc_hmac.c
	 * relies on to pick the hash. */
	[CRYPTO_AES128_CBC_SHA384_192] = {
		.name = "aes128-sha384", .key_len = 64, .enc_key_len = 16,
		.integ_key_len = 48, .iv_len = 16, .icv_len = 24,
		.block_len = 16, .pad_align = 16,
	},
	[CRYPTO_AES256_CBC_SHA384_192] = {
		.name = "aes256-sha384", .key_len = 80, .enc_key_len = 32,
		.integ_key_len = 48, .iv_len = 16, .icv_len = 24,
		.block_len = 16, .pad_align = 16,
	},
	[CRYPTO_AES128_CBC_SHA512_256] = {
		.name = "aes128-sha512", .key_len = 80, .enc_key_len = 16,
		.integ_key_len = 64, .iv_len = 16, .icv_len = 32,
		.block_len = 16, .pad_align = 16,
	},
	[CRYPTO_AES256_CBC_SHA512_256] = {
		.name = "aes256-sha512", .key_len = 96, .enc_key_len = 32,
		.integ_key_len = 64, .iv_len = 16, .icv_len = 32,
		.block_len = 16, .pad_align = 16,
	},
};

static const struct {
	const char *name;
	enum crypto_alg alg;
} alg_aliases[] = {
	{ "aes128gcm128", CRYPTO_AES128_GCM16 },
	{ "aes256gcm128", CRYPTO_AES256_GCM16 },
	{ "aes128-sha2_256", CRYPTO_AES128_CBC_SHA256_128 },
	{ "aes256-sha2_256", CRYPTO_AES256_CBC_SHA256_128 },
	{ "aes128-sha2_384", CRYPTO_AES128_CBC_SHA384_192 },
	{ "aes256-sha2_384", CRYPTO_AES256_CBC_SHA384_192 },
	{ "aes128-sha2_512", CRYPTO_AES128_CBC_SHA512_256 },
	{ "aes256-sha2_512", CRYPTO_AES256_CBC_SHA512_256 },
};

const struct crypto_alg_info *crypto_alg_info(enum crypto_alg alg)
{
	if ((unsigned)alg >= CRYPTO_ALG_COUNT)
		return NULL;
	return &alg_table[alg];
}

int crypto_alg_by_name(const char *name, enum crypto_alg *out)
{
	*out = CRYPTO_ALG_COUNT;
	for (size_t i = 0; i < CRYPTO_ALG_COUNT; i++) {
		if (strcmp(name, alg_table[i].name) == 0) {
			*out = (enum crypto_alg)i;
			return 0;
		}
	}
	for (size_t i = 0; i < IFS_ARRAY_LEN(alg_aliases); i++) {
		if (strcmp(name, alg_aliases[i].name) == 0) {
			*out = alg_aliases[i].alg;
			return 0;
		}
	}
	return IFS_ERR_NOT_FOUND;
}
