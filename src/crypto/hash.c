/* SPDX-License-Identifier: BSD-2-Clause */
#include "crypto/hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

static int digest(const char *name, const struct crypto_iov *data, size_t n_data,
		  uint8_t *out, unsigned int out_len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int len = 0;
	int ok;

	if (!ctx)
		return IFS_ERR_NOMEM;
	ok = EVP_DigestInit_ex2(ctx, EVP_get_digestbyname(name), NULL);
	for (size_t i = 0; ok && i < n_data; i++)
		ok = EVP_DigestUpdate(ctx, data[i].p, data[i].len);
	ok = ok && EVP_DigestFinal_ex(ctx, out, &len) && len == out_len;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : IFS_ERR_CRYPTO;
}

int crypto_sha1(const struct crypto_iov *data, size_t n_data, uint8_t out[CRYPTO_SHA1_LEN])
{
	return digest("SHA1", data, n_data, out, CRYPTO_SHA1_LEN);
}

int crypto_sha256(const struct crypto_iov *data, size_t n_data,
		  uint8_t out[CRYPTO_SHA256_LEN])
{
	return digest("SHA256", data, n_data, out, CRYPTO_SHA256_LEN);
}

bool crypto_mem_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}
