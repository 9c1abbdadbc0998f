/* SPDX-License-Identifier: BSD-2-Clause */
/* SKEYSEED, the IKE SA keys and Child SA KEYMAT (RFC 7296 §2.13-§2.17). */
#include "ike/keys.h"

#include <string.h>

#include "ike/ike_wire.h"

/* SK_d, SK_ai, SK_ar, SK_ei, SK_er, SK_pi, SK_pr at most */
#define KEYS_MAX_BYTES (7 * CRYPTO_PRF_MAX_LEN)

int ike_prf_from_id(uint16_t id, enum crypto_prf *out)
{
	switch (id) {
	case IKE_PRF_HMAC_SHA2_256:
		*out = CRYPTO_PRF_HMAC_SHA256;
		return 0;
	case IKE_PRF_HMAC_SHA2_384:
		*out = CRYPTO_PRF_HMAC_SHA384;
		return 0;
	case IKE_PRF_HMAC_SHA2_512:
		*out = CRYPTO_PRF_HMAC_SHA512;
		return 0;
	default:
		return IFS_ERR_UNSUPPORTED;
	}
}

void ike_keys_clear(struct ike_keys *k)
{
	secret_free(k->sk_d);
	secret_free(k->sk_i);
	secret_free(k->sk_r);
	secret_free(k->sk_pi);
	secret_free(k->sk_pr);
	memset(k, 0, sizeof(*k));
}

/* SK_e || SK_a of one direction, out of the two places they sit in the
 * prf+ stream. */
static int join_keys(struct secret **out, const uint8_t *e, size_t e_len,
		     const uint8_t *a, size_t a_len)
{
	int err = secret_new(out, NULL, e_len + a_len);

	if (err)
		return err;
	memcpy((*out)->data, e, e_len);
	if (a_len)
		memcpy((*out)->data + e_len, a, a_len);
	return 0;
}

static int split_keys(struct ike_keys *k, const uint8_t *km, size_t prf_len)
{
	size_t a = k->integ_len, e = k->enc_len;
	const uint8_t *p = km;
	const uint8_t *ai, *ar, *ei, *er;
	int err;

	err = secret_new(&k->sk_d, p, prf_len);
	p += prf_len;
	ai = p;
	ar = ai + a;
	ei = ar + a;
	er = ei + e;
	p = er + e;
	if (!err)
		err = join_keys(&k->sk_i, ei, e, ai, a);
	if (!err)
		err = join_keys(&k->sk_r, er, e, ar, a);
	if (!err)
		err = secret_new(&k->sk_pi, p, prf_len);
	if (!err)
		err = secret_new(&k->sk_pr, p + prf_len, prf_len);
	return err;
}

/* SKEYSEED = prf(Ni | Nr, g^ir), or for a rekeyed IKE SA (§2.18)
 * prf_old(SK_d_old, g^ir | Ni | Nr); then the keys from it. */
static int derive(struct ike_keys *k, const struct ike_chosen *c, const struct secret *shared,
		  const struct ike_keys *old, const uint8_t *ni, size_t ni_len,
		  const uint8_t *nr, size_t nr_len, uint64_t spi_i, uint64_t spi_r)
{
	uint8_t nonces[2 * IKE_NONCE_MAX];
	uint8_t skeyseed[CRYPTO_PRF_MAX_LEN];
	uint8_t km[KEYS_MAX_BYTES];
	uint8_t spis[16];
	const struct crypto_alg_info *info;
	size_t prf_len, seed_len;
	int err;

	memset(k, 0, sizeof(*k));
	if (ni_len > IKE_NONCE_MAX || nr_len > IKE_NONCE_MAX)
		return IFS_ERR_INVAL;
	err = ike_prf_from_id(c->prf, &k->prf);
	if (!err)
		err = proposal_sk_alg(c, &k->sk_alg);
	if (err)
		return err;
	info = crypto_alg_info(k->sk_alg);
	k->integ_len = info->integ_key_len;
	k->enc_len = info->key_len - info->integ_key_len;
	prf_len = crypto_prf_len(k->prf);

	memcpy(nonces, ni, ni_len);
	memcpy(nonces + ni_len, nr, nr_len);
	for (int i = 0; i < 8; i++) {
		spis[i] = (uint8_t)(spi_i >> (56 - 8 * i));
		spis[8 + i] = (uint8_t)(spi_r >> (56 - 8 * i));
	}
	if (old) {
		struct crypto_iov in[2] = {
			{ shared->data, shared->len }, { nonces, ni_len + nr_len },
		};

		seed_len = crypto_prf_len(old->prf);
		err = crypto_prf(old->prf, old->sk_d->data, old->sk_d->len, in, 2, skeyseed);
	} else {
		struct crypto_iov in = { shared->data, shared->len };

		seed_len = prf_len;
		err = crypto_prf(k->prf, nonces, ni_len + nr_len, &in, 1, skeyseed);
	}
	if (!err) {
		struct crypto_iov seed[2] = {
			{ nonces, ni_len + nr_len }, { spis, sizeof(spis) },
		};

		err = crypto_prf_plus(k->prf, skeyseed, seed_len, seed, 2, km,
				      3 * prf_len + 2 * (k->integ_len + k->enc_len));
	}
	if (!err)
		err = split_keys(k, km, prf_len);
	secret_wipe(skeyseed, sizeof(skeyseed));
	secret_wipe(km, sizeof(km));
	secret_wipe(nonces, sizeof(nonces));
	if (err)
		ike_keys_clear(k);
	return err;
}

int ike_keys_derive(struct ike_keys *k, const struct ike_chosen *c,
		    const struct secret *shared,
		    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
		    uint64_t spi_i, uint64_t spi_r)
{
	return derive(k, c, shared, NULL, ni, ni_len, nr, nr_len, spi_i, spi_r);
}

int ike_keys_derive_rekey(struct ike_keys *k, const struct ike_keys *old,
			  const struct ike_chosen *c, const struct secret *shared,
			  const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
			  uint64_t spi_i, uint64_t spi_r)
{
	return derive(k, c, shared, old, ni, ni_len, nr, nr_len, spi_i, spi_r);
}

void child_keys_clear(struct child_keys *ck)
{
	secret_free(ck->i_to_r);
	secret_free(ck->r_to_i);
	memset(ck, 0, sizeof(*ck));
}

int child_keys_derive(struct child_keys *ck, enum crypto_prf prf,
		      const struct secret *sk_d, enum crypto_alg alg,
		      const struct secret *pfs_shared,
		      const uint8_t *ni, size_t ni_len,
		      const uint8_t *nr, size_t nr_len)
{
	size_t key_len = crypto_alg_info(alg)->key_len;
	uint8_t km[2 * 128];
	struct crypto_iov seed[3];
	size_t n = 0;
	int err;

	memset(ck, 0, sizeof(*ck));
	if (IFS_BUG(2 * key_len > sizeof(km)))
		return IFS_ERR_INVAL;
	ck->alg = alg;
	if (pfs_shared)
		seed[n++] = (struct crypto_iov){ pfs_shared->data, pfs_shared->len };
	seed[n++] = (struct crypto_iov){ ni, ni_len };
	seed[n++] = (struct crypto_iov){ nr, nr_len };
	err = crypto_prf_plus(prf, sk_d->data, sk_d->len, seed, n, km, 2 * key_len);
	if (!err)
		err = secret_new(&ck->i_to_r, km, key_len);
	if (!err)
		err = secret_new(&ck->r_to_i, km + key_len, key_len);
	secret_wipe(km, sizeof(km));
	if (err)
		child_keys_clear(ck);
	return err;
}
