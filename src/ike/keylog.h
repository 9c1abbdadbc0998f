/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IKE_KEYLOG_H
#define IFS_IKE_KEYLOG_H

#include <stdint.h>
#include "common/addr.h"
#include "common/err.h"
#include "common/secret.h"
#include "crypto/crypto.h"

/*
 * The opt-in key log for Wireshark and tshark: the only place where keys
 * are written anywhere. A directory that works as WIRESHARK_CONFIG_DIR:
 *   esp_sa       Wireshark's ESP SA table (UAT), one line per SA
 *   ikev2_decryption_table   its IKEv2 table, one line per IKE SA
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

/* One IKE SA: sk_i and sk_r are SK_e || SK_a of each direction with
 * SK_e enc_len bytes (keys.h). IFS_ERR_UNSUPPORTED for ChaCha20. */
int keylog_ike_sa(struct keylog *kl, uint64_t spi_i, uint64_t spi_r, enum crypto_alg alg,
		  const struct secret *sk_i, const struct secret *sk_r,
		  size_t enc_len) IFS_MUST_CHECK;

#endif
