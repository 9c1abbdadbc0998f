/* SPDX-License-Identifier: BSD-2-Clause */
#include "ike/keylog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/secret.h"

struct keylog {
	int esp_fd;
	int ike_fd;
};

/* Wireshark's names for the algorithms, as its ESP SA table expects them
 * (the AEAD key includes the salt, as in RFC 4106). */
static const struct {
	const char *enc, *auth;
} ws_names[CRYPTO_ALG_COUNT] = {
	[CRYPTO_AES128_GCM16] = { "AES-GCM with 16 octet ICV [RFC4106]", "NULL" },
	[CRYPTO_AES256_GCM16] = { "AES-GCM with 16 octet ICV [RFC4106]", "NULL" },
	[CRYPTO_CHACHA20_POLY1305] = { NULL, NULL },   /* not in Wireshark 4.0 */
	[CRYPTO_AES128_CBC_SHA256_128] = { "AES-CBC [RFC3602]", "HMAC-SHA-256-128 [RFC4868]" },
	[CRYPTO_AES256_CBC_SHA256_128] = { "AES-CBC [RFC3602]", "HMAC-SHA-256-128 [RFC4868]" },
	[CRYPTO_AES128_CBC_SHA384_192] = { "AES-CBC [RFC3602]", "HMAC-SHA-384-192 [RFC4868]" },
	[CRYPTO_AES256_CBC_SHA384_192] = { "AES-CBC [RFC3602]", "HMAC-SHA-384-192 [RFC4868]" },
	[CRYPTO_AES128_CBC_SHA512_256] = { "AES-CBC [RFC3602]", "HMAC-SHA-512-256 [RFC4868]" },
	[CRYPTO_AES256_CBC_SHA512_256] = { "AES-CBC [RFC3602]", "HMAC-SHA-512-256 [RFC4868]" },
};

static int open_in(const char *dir, const char *name, int *fd_out)
{
	char path[4096];

	*fd_out = -1;
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return IFS_ERR_RANGE;
	*fd_out = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	return *fd_out < 0 ? IFS_ERR_SYS : 0;
}

int keylog_open(const char *dir, struct keylog **out)
{
	static const char prefs[] = "esp.enable_encryption_decode: TRUE\n";
	struct keylog *kl;
	int err, prefs_fd;

	*out = NULL;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return IFS_ERR_SYS;
	kl = calloc(1, sizeof(*kl));
	if (!kl)
		return IFS_ERR_NOMEM;
	kl->esp_fd = kl->ike_fd = -1;
	err = open_in(dir, "preferences", &prefs_fd);
	if (!err) {
		if (ftruncate(prefs_fd, 0) < 0 ||
		    write(prefs_fd, prefs, sizeof(prefs) - 1) != (ssize_t)(sizeof(prefs) - 1))
			err = IFS_ERR_SYS;
		close(prefs_fd);
	}
	if (!err)
		err = open_in(dir, "esp_sa", &kl->esp_fd);
	if (!err)
		err = open_in(dir, "ikev2_decryption_table", &kl->ike_fd);
	if (err) {
		keylog_close(kl);
		return err;
	}
	*out = kl;
	return 0;
}

void keylog_close(struct keylog *kl)
{
	if (!kl)
		return;
	if (kl->esp_fd >= 0)
		close(kl->esp_fd);
	if (kl->ike_fd >= 0)
		close(kl->ike_fd);
	free(kl);
}

static void hex(char *out, const uint8_t *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

int keylog_esp_sa(struct keylog *kl, const struct ifs_addr *src,
		  const struct ifs_addr *dst, uint32_t spi, enum crypto_alg alg,
		  const uint8_t *key, size_t key_len)
{
	const struct crypto_alg_info *info = crypto_alg_info(alg);
	char s[IFS_ADDR_STRLEN], d[IFS_ADDR_STRLEN], ek[2 * 64 + 1], ak[2 * 64 + 1];
	char line[512];
	size_t enc_len;
	int n, err = 0;

	if (!info || key_len != info->key_len)
		return IFS_ERR_INVAL;
	if (!ws_names[alg].enc)
		return IFS_ERR_UNSUPPORTED;
	enc_len = info->enc_key_len + info->salt_len;
	/* Each part must fit its hex buffer; the longest, aes256-sha512, has
	 * 32 + 64 bytes. */
	if (IFS_BUG(enc_len > 64 || key_len - enc_len > 64))
		return IFS_ERR_INVAL;
	hex(ek, key, enc_len);
	hex(ak, key + enc_len, key_len - enc_len);
	n = snprintf(line, sizeof(line),
		     "\"%s\",\"%s\",\"%s\",\"0x%08x\",\"%s\",\"0x%s\",\"%s\",\"%s%s\"\n",
		     src->family == AF_INET6 ? "IPv6" : "IPv4", addr_str(src, s),
		     addr_str(dst, d), spi, ws_names[alg].enc, ek,
		     ws_names[alg].auth, key_len > enc_len ? "0x" : "", ak);
	if (n < 0 || (size_t)n >= sizeof(line) ||
	    write(kl->esp_fd, line, (size_t)n) != n)
		err = IFS_ERR_SYS;
	secret_wipe(ek, sizeof(ek));
	secret_wipe(ak, sizeof(ak));
	secret_wipe(line, sizeof(line));
	return err;
}

/* Wireshark's names in its IKEv2 decryption table (the AEAD keys carry
 * their salt, RFC 5282 §7.1); NULL where it cannot decrypt. */
static const char *ike_enc_name(enum crypto_alg alg)
{
	switch (alg) {
	case CRYPTO_AES128_GCM16:
		return "AES-GCM-128 with 16 octet ICV [RFC5282]";
	case CRYPTO_AES256_GCM16:
		return "AES-GCM-256 with 16 octet ICV [RFC5282]";
	case CRYPTO_CHACHA20_POLY1305:
		return NULL;
	default:
		return crypto_alg_info(alg)->enc_key_len == 16 ? "AES-CBC-128 [RFC3602]"
							       : "AES-CBC-256 [RFC3602]";
	}
}

static const char *ike_integ_name(size_t integ_key_len)
{
	switch (integ_key_len) {
	case 0:
		return "NONE [RFC4306]";
	case 32:
		return "HMAC_SHA2_256_128 [RFC4868]";
	case 48:
		return "HMAC_SHA2_384_192 [RFC4868]";
	default:
		return "HMAC_SHA2_512_256 [RFC4868]";
	}
}

int keylog_ike_sa(struct keylog *kl, uint64_t spi_i, uint64_t spi_r, enum crypto_alg alg,
		  const struct secret *sk_i, const struct secret *sk_r, size_t enc_len)
{
	size_t integ_len = sk_i->len - enc_len;
	char ei[2 * 64 + 1], er[2 * 64 + 1], ai[2 * 64 + 1], ar[2 * 64 + 1];
	char line[768];
	int n, err = 0;

	if (!ike_enc_name(alg))
		return IFS_ERR_UNSUPPORTED;
	if (sk_i->len != sk_r->len || enc_len > 64 || integ_len > 64)
		return IFS_ERR_INVAL;
	hex(ei, sk_i->data, enc_len);
	hex(er, sk_r->data, enc_len);
	hex(ai, sk_i->data + enc_len, integ_len);
	hex(ar, sk_r->data + enc_len, integ_len);
	/* byte fields are bare hex in a UAT file, strings are quoted */
	n = snprintf(line, sizeof(line), "%016llx,%016llx,%s,%s,\"%s\",%s,%s,\"%s\"\n",
		     (unsigned long long)spi_i, (unsigned long long)spi_r, ei, er,
		     ike_enc_name(alg), ai, ar, ike_integ_name(integ_len));
	if (n < 0 || (size_t)n >= sizeof(line) || write(kl->ike_fd, line, (size_t)n) != n)
		err = IFS_ERR_SYS;
	secret_wipe(ei, sizeof(ei));
	secret_wipe(er, sizeof(er));
	secret_wipe(ai, sizeof(ai));
	secret_wipe(ar, sizeof(ar));
	secret_wipe(line, sizeof(line));
	return err;
}
