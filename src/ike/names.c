/* SPDX-License-Identifier: BSD-2-Clause */
#include "ike/names.h"

#include <stddef.h>

#include "common/err.h"
#include "ike/ike_wire.h"

const char *ike_notify_name(uint16_t type)
{
	static const struct {
		uint16_t type;
		const char *name;
	} names[] = {
		{ IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, "UNSUPPORTED_CRITICAL_PAYLOAD" },
		{ IKE_N_INVALID_IKE_SPI, "INVALID_IKE_SPI" },
		{ IKE_N_INVALID_MAJOR_VERSION, "INVALID_MAJOR_VERSION" },
		{ IKE_N_INVALID_SYNTAX, "INVALID_SYNTAX" },
		{ IKE_N_INVALID_MESSAGE_ID, "INVALID_MESSAGE_ID" },
		{ IKE_N_INVALID_SPI, "INVALID_SPI" },
		{ IKE_N_NO_PROPOSAL_CHOSEN, "NO_PROPOSAL_CHOSEN" },
		{ IKE_N_INVALID_KE_PAYLOAD, "INVALID_KE_PAYLOAD" },
		{ IKE_N_AUTHENTICATION_FAILED, "AUTHENTICATION_FAILED" },
		{ IKE_N_SINGLE_PAIR_REQUIRED, "SINGLE_PAIR_REQUIRED" },
		{ IKE_N_NO_ADDITIONAL_SAS, "NO_ADDITIONAL_SAS" },
		{ IKE_N_INTERNAL_ADDRESS_FAILURE, "INTERNAL_ADDRESS_FAILURE" },
		{ IKE_N_FAILED_CP_REQUIRED, "FAILED_CP_REQUIRED" },
		{ IKE_N_TS_UNACCEPTABLE, "TS_UNACCEPTABLE" },
		{ IKE_N_INVALID_SELECTORS, "INVALID_SELECTORS" },
		{ IKE_N_TEMPORARY_FAILURE, "TEMPORARY_FAILURE" },
		{ IKE_N_CHILD_SA_NOT_FOUND, "CHILD_SA_NOT_FOUND" },
		{ IKE_N_INITIAL_CONTACT, "INITIAL_CONTACT" },
		{ IKE_N_NAT_DETECTION_SOURCE_IP, "NAT_DETECTION_SOURCE_IP" },
		{ IKE_N_NAT_DETECTION_DESTINATION_IP, "NAT_DETECTION_DESTINATION_IP" },
		{ IKE_N_COOKIE, "COOKIE" },
		{ IKE_N_REKEY_SA, "REKEY_SA" },
	};

	for (size_t i = 0; i < IFS_ARRAY_LEN(names); i++)
		if (names[i].type == type)
			return names[i].name;
	return "UNKNOWN";
}

const char *ike_exchange_name(uint8_t exchange)
{
	switch (exchange) {
	case IKE_SA_INIT:
		return "IKE_SA_INIT";
	case IKE_AUTH:
		return "IKE_AUTH";
	case IKE_CREATE_CHILD_SA:
		return "CREATE_CHILD_SA";
	case IKE_INFORMATIONAL:
		return "INFORMATIONAL";
	default:
		return "UNKNOWN";
	}
}

const char *ike_charon_xf_name(uint8_t type, uint16_t id)
{
	static const struct {
		uint8_t type;
		uint16_t id;
		const char *name;
	} names[] = {
		{ IKE_TT_ENCR, IKE_ENCR_AES_CBC, "AES_CBC" },
		{ IKE_TT_ENCR, IKE_ENCR_AES_GCM_16, "AES_GCM_16" },
		{ IKE_TT_ENCR, IKE_ENCR_CHACHA20_POLY1305, "CHACHA20_POLY1305" },
		{ IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_256_128, "HMAC_SHA2_256_128" },
		{ IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_384_192, "HMAC_SHA2_384_192" },
		{ IKE_TT_INTEG, IKE_INTEG_HMAC_SHA2_512_256, "HMAC_SHA2_512_256" },
		{ IKE_TT_PRF, IKE_PRF_HMAC_SHA2_256, "PRF_HMAC_SHA2_256" },
		{ IKE_TT_PRF, IKE_PRF_HMAC_SHA2_384, "PRF_HMAC_SHA2_384" },
		{ IKE_TT_PRF, IKE_PRF_HMAC_SHA2_512, "PRF_HMAC_SHA2_512" },
		{ IKE_TT_KE, IKE_KE_MODP2048, "MODP_2048" },
		{ IKE_TT_KE, IKE_KE_MODP3072, "MODP_3072" },
		{ IKE_TT_KE, IKE_KE_ECP256, "ECP_256" },
		{ IKE_TT_KE, IKE_KE_ECP384, "ECP_384" },
		{ IKE_TT_KE, IKE_KE_CURVE25519, "CURVE_25519" },
	};

	for (size_t i = 0; i < IFS_ARRAY_LEN(names); i++)
		if (names[i].type == type && names[i].id == id)
			return names[i].name;
	return NULL;
}
