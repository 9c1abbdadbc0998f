/* SPDX-License-Identifier: BSD-2-Clause */
/* The CSPRNG: OpenSSL's DRBG, seeded from the operating system. */
#include "crypto/crypto.h"

#include <limits.h>

#include <openssl/rand.h>

int crypto_random(void *buf, size_t len)
{
	unsigned char *p = buf;

	if (len > 0 && !buf)
		return IFS_ERR_INVAL;
	/* RAND_bytes() takes an int: draw in pieces so any size works. */
	while (len > 0) {
		int n = len > INT_MAX ? INT_MAX : (int)len;

		if (RAND_bytes(p, n) != 1)
			return IFS_ERR_CRYPTO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
