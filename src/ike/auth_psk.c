/* SPDX-License-Identifier: BSD-2-Clause */
#include "ike/auth_psk.h"

#include "common/secret.h"

static const char key_pad[] = "Key Pad for IKEv2";   /* 17 octets, no NUL (§2.15) */

int ike_auth_psk(enum crypto_prf prf, const struct secret *psk,
		 const uint8_t *real_msg, size_t real_msg_len,
		 const uint8_t *nonce, size_t nonce_len,
		 const struct secret *sk_p, const uint8_t *id_body, size_t id_body_len,
		 uint8_t *out)
{
	uint8_t maced_id[CRYPTO_PRF_MAX_LEN];
	uint8_t inner_key[CRYPTO_PRF_MAX_LEN];
	size_t prf_len = crypto_prf_len(prf);
	struct crypto_iov pad = { key_pad, sizeof(key_pad) - 1 };
	struct crypto_iov id = { id_body, id_body_len };
	struct crypto_iov signed_octets[3] = {
		{ real_msg, real_msg_len }, { nonce, nonce_len }, { maced_id, prf_len },
	};
	int err;

	err = crypto_prf(prf, sk_p->data, sk_p->len, &id, 1, maced_id);
	if (!err)
		err = crypto_prf(prf, psk->data, psk->len, &pad, 1, inner_key);
	if (!err)
		err = crypto_prf(prf, inner_key, prf_len, signed_octets, 3, out);
	secret_wipe(inner_key, sizeof(inner_key));
	secret_wipe(maced_id, sizeof(maced_id));
	return err;
}
