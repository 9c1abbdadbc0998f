/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IKE_KEYLOG_H
#define IFS_IKE_KEYLOG_H

#include <stdint.h>
#include "common/addr.h"
#include "common/err.h"
#include "crypto/crypto.h"

/*
 * The opt-in key log for Wireshark and tshark: the only place where keys
 * are written anywhere. A directory that works as WIRESHARK_CONFIG_DIR:
 *   esp_sa       Wireshark's ESP SA table (UAT), one line per SA
 *   preferences  turns ESP decryption on
 * Files are created with mode 0600 and appended to.
 */
struct keylog;

int keylog_open(const char *dir, struct keylog **out) IFS_MUST_CHECK;
void keylog_close(struct keylog *kl);

/* One ESP SA: packets from src to dst with this SPI. A transform that
 * Wireshark cannot decrypt (ChaCha20-Poly1305 in 4.0) is not written:
 * an entry with NULL algorithms would make it show ciphertext as
 * plaintext. That is IFS_ERR_UNSUPPORTED. */
int keylog_esp_sa(struct keylog *kl, const struct ifs_addr *src,
		  const struct ifs_addr *dst, uint32_t spi, enum crypto_alg alg,
		  const uint8_t *key, size_t key_len) IFS_MUST_CHECK;

#endif
