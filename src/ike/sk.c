/* SPDX-License-Identifier: BSD-2-Clause */
/* The SK payload: encrypt and authenticate, verify and decrypt. */
#include "ike/sk.h"

#include <string.h>

#include "common/cur.h"
#include "common/wbuf.h"

#define SK_AAD_LEN (IKE_HDR_LEN + IKE_PL_GENERIC_HDR_LEN)

static size_t padded_len(const struct crypto_alg_info *info, size_t chain_len)
{
	size_t with_pad_len = chain_len + 1;
	size_t block = info->is_aead ? 1 : info->block_len;

	return (with_pad_len + block - 1) / block * block;
}

size_t ike_sk_protect(struct crypto_xform *x, uint64_t counter, struct ike_hdr *hdr,
		      const uint8_t *chain, size_t chain_len, uint8_t first_type,
		      uint8_t *buf, size_t cap)
{
	const struct crypto_alg_info *info = crypto_xform_info(x);
	size_t ct_len = padded_len(info, chain_len);
	size_t body_len = info->iv_len + ct_len + info->icv_len;
	size_t total = SK_AAD_LEN + body_len;
	uint8_t *iv, *ct, *icv;
	struct wbuf w;

	if (total > cap || total > IKE_MAX_MSG)
		return 0;
	hdr->next_payload = IKE_PL_SK;
	hdr->length = (uint32_t)total;
	wbuf_init(&w, buf, cap);
	ike_hdr_write(&w, hdr);
	wbuf_u8(&w, first_type);
	wbuf_u8(&w, 0);
	wbuf_u16(&w, (uint16_t)(IKE_PL_GENERIC_HDR_LEN + body_len));
	wbuf_reserve(&w, info->iv_len, &iv);
	wbuf_reserve(&w, ct_len, &ct);
	wbuf_reserve(&w, info->icv_len, &icv);
	if (!wbuf_ok(&w) || wbuf_len(&w) != total)
		return 0;
	memcpy(ct, chain, chain_len);
	/* Padding of any content (§3.14); zeros, and the pad length last. */
	memset(ct + chain_len, 0, ct_len - chain_len);
	ct[ct_len - 1] = (uint8_t)(ct_len - chain_len - 1);
	if (crypto_make_iv(x, counter, iv) != 0 ||
	    crypto_seal(x, buf, SK_AAD_LEN, iv, ct, ct_len, NULL, 0, icv) != 0)
		return 0;
	return total;
}

int ike_sk_unprotect(struct crypto_xform *x, uint8_t *msg, size_t len,
		     const struct ike_chain *c, struct ike_chain *inner,
		     enum ike_chain_err *chain_err, uint8_t *bad_type)
{
	const struct crypto_alg_info *info = crypto_xform_info(x);
	size_t aad_len = c->sk_offset + IKE_PL_GENERIC_HDR_LEN;
	const uint8_t *iv, *icv;
	uint8_t *ct;
	size_t ct_len;
	struct cur cur;
	uint8_t pad_len;

	*chain_err = IKE_CHAIN_OK;
	*bad_type = 0;
	if (c->n == 0 || c->v[c->n - 1].type != IKE_PL_SK || aad_len > len)
		return IFS_ERR_SYNTAX;
	cur_init_mut(&cur, msg + aad_len, len - aad_len);
	if (!cur_bytes(&cur, info->iv_len, &iv) || !cur_tail(&cur, info->icv_len, &icv) ||
	    !cur_rest_mut(&cur, &ct, &ct_len) || ct_len == 0 ||
	    ct_len % (info->is_aead ? 1 : info->block_len) != 0)
		return IFS_ERR_SYNTAX;
	if (crypto_open(x, msg, aad_len, iv, ct, ct_len, NULL, 0, icv) != 0)
		return IFS_ERR_INTEGRITY;
	pad_len = ct[ct_len - 1];
	if ((size_t)pad_len + 1 > ct_len)
		return IFS_ERR_SYNTAX;
	*chain_err = ike_chain_parse(c->sk_first_inner, ct, ct_len - pad_len - 1,
				     inner, bad_type);
	return *chain_err == IKE_CHAIN_OK ? 0 : IFS_ERR_SYNTAX;
}
