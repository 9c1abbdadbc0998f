/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_IKE_IKE_WIRE_H
#define IFS_IKE_IKE_WIRE_H

/*
 * IKEv2 numbers (RFC 7296 and the IANA "IKEv2 Parameters" registry),
 * each with where it is defined. Only what ifsec speaks or must
 * recognise is listed.
 */

/* §3.1 The IKE header */
#define IKE_HDR_LEN 28
#define IKE_VERSION_2 0x20         /* major 2, minor 0 */
#define IKE_MAJOR(v) ((uint8_t)((v) >> 4))
#define IKE_FLAG_INITIATOR 0x08
#define IKE_FLAG_VERSION 0x10
#define IKE_FLAG_RESPONSE 0x20
/* The largest IKE message we accept or send (strongSwan's max_packet). */
#define IKE_MAX_MSG 10000

/* §3.1 Exchange types */
enum ike_exchange {
	IKE_SA_INIT = 34,
	IKE_AUTH = 35,
	IKE_CREATE_CHILD_SA = 36,
	IKE_INFORMATIONAL = 37,
};

/* §3.2 Payload types */
enum ike_payload_type {
	IKE_PL_NONE = 0,
	IKE_PL_SA = 33,
	IKE_PL_KE = 34,
	IKE_PL_IDI = 35,
	IKE_PL_IDR = 36,
	IKE_PL_CERT = 37,
	IKE_PL_CERTREQ = 38,
	IKE_PL_AUTH = 39,
	IKE_PL_NONCE = 40,
	IKE_PL_NOTIFY = 41,
	IKE_PL_DELETE = 42,
	IKE_PL_VENDOR = 43,
	IKE_PL_TSI = 44,
	IKE_PL_TSR = 45,
	IKE_PL_SK = 46,
	IKE_PL_CP = 47,
	IKE_PL_EAP = 48,
	IKE_PL_SKF = 53,             /* RFC 7383 */
};
#define IKE_PL_GENERIC_HDR_LEN 4
#define IKE_PL_CRITICAL 0x80       /* §3.2 C bit */

/* §3.3.1 Protocol IDs */
enum ike_protocol {
	IKE_PROTO_IKE = 1,
	IKE_PROTO_AH = 2,
	IKE_PROTO_ESP = 3,
};

/* §3.3.2 Transform types */
enum ike_transform_type {
	IKE_TT_ENCR = 1,
	IKE_TT_PRF = 2,
	IKE_TT_INTEG = 3,
	IKE_TT_KE = 4,               /* "Diffie-Hellman group" */
	IKE_TT_ESN = 5,
};
#define IKE_TT_MAX IKE_TT_ESN

/* Transform IDs of type ENCR (IANA) */
enum ike_encr {
	IKE_ENCR_AES_CBC = 12,       /* RFC 3602, key length attribute required */
	IKE_ENCR_AES_GCM_16 = 20,    /* RFC 4106 / RFC 5282 */
	IKE_ENCR_CHACHA20_POLY1305 = 28, /* RFC 7634 */
};

/* Transform IDs of type PRF */
enum ike_prf {
	IKE_PRF_HMAC_SHA2_256 = 5,   /* RFC 4868 */
	IKE_PRF_HMAC_SHA2_384 = 6,
	IKE_PRF_HMAC_SHA2_512 = 7,
};

/* Transform IDs of type INTEG */
enum ike_integ {
	IKE_INTEG_NONE = 0,
	IKE_INTEG_HMAC_SHA2_256_128 = 12,
	IKE_INTEG_HMAC_SHA2_384_192 = 13,
	IKE_INTEG_HMAC_SHA2_512_256 = 14,
};

/* Transform IDs of type KE (Diffie-Hellman groups) */
enum ike_ke_group {
	IKE_KE_NONE = 0,
	IKE_KE_MODP2048 = 14,        /* RFC 3526 */
	IKE_KE_MODP3072 = 15,
	IKE_KE_ECP256 = 19,          /* RFC 5903 */
	IKE_KE_ECP384 = 20,
	IKE_KE_CURVE25519 = 31,      /* RFC 8031 */
};

/* Transform IDs of type ESN */
enum ike_esn {
	IKE_ESN_NO = 0,
	IKE_ESN_YES = 1,
};

/* §3.3.5 Transform attributes */
#define IKE_ATTR_FORMAT_TV 0x8000
#define IKE_ATTR_KEY_LENGTH 14

/* §3.3 Substructure markers */
#define IKE_LAST_PROPOSAL 0
#define IKE_MORE_PROPOSALS 2
#define IKE_LAST_TRANSFORM 0
#define IKE_MORE_TRANSFORMS 3

/* §3.5 Identification types */
enum ike_id_type {
	IKE_ID_IPV4_ADDR = 1,
	IKE_ID_FQDN = 2,
	IKE_ID_RFC822_ADDR = 3,
	IKE_ID_IPV6_ADDR = 5,
	IKE_ID_DER_ASN1_DN = 9,
	IKE_ID_DER_ASN1_GN = 10,
	IKE_ID_KEY_ID = 11,
};

/* §3.8 Authentication methods */
enum ike_auth_method {
	IKE_AUTH_RSA_SIG = 1,
	IKE_AUTH_PSK = 2,            /* Shared Key Message Integrity Code */
	IKE_AUTH_DSS = 3,
	IKE_AUTH_DIGITAL_SIGNATURE = 14, /* RFC 7427 */
};

/* §3.9 Nonce lengths */
#define IKE_NONCE_MIN 16
#define IKE_NONCE_MAX 256

/* §3.10.1 Notify message types: errors (< 16384) */
enum ike_notify_type {
	IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD = 1,
	IKE_N_INVALID_IKE_SPI = 4,
	IKE_N_INVALID_MAJOR_VERSION = 5,
	IKE_N_INVALID_SYNTAX = 7,
	IKE_N_INVALID_MESSAGE_ID = 9,
	IKE_N_INVALID_SPI = 11,
	IKE_N_NO_PROPOSAL_CHOSEN = 14,
	IKE_N_INVALID_KE_PAYLOAD = 17,
	IKE_N_AUTHENTICATION_FAILED = 24,
	IKE_N_SINGLE_PAIR_REQUIRED = 34,
	IKE_N_NO_ADDITIONAL_SAS = 35,
	IKE_N_INTERNAL_ADDRESS_FAILURE = 36,
	IKE_N_FAILED_CP_REQUIRED = 37,
	IKE_N_TS_UNACCEPTABLE = 38,
	IKE_N_INVALID_SELECTORS = 39,
	IKE_N_TEMPORARY_FAILURE = 43,
	IKE_N_CHILD_SA_NOT_FOUND = 44,
	/* status types (>= 16384) */
	IKE_N_INITIAL_CONTACT = 16384,
	IKE_N_SET_WINDOW_SIZE = 16385,
	IKE_N_ADDITIONAL_TS_POSSIBLE = 16386,
	IKE_N_IPCOMP_SUPPORTED = 16387,
	IKE_N_NAT_DETECTION_SOURCE_IP = 16388,
	IKE_N_NAT_DETECTION_DESTINATION_IP = 16389,
	IKE_N_COOKIE = 16390,
	IKE_N_USE_TRANSPORT_MODE = 16391,
	IKE_N_HTTP_CERT_LOOKUP_SUPPORTED = 16392,
	IKE_N_REKEY_SA = 16393,
	IKE_N_ESP_TFC_PADDING_NOT_SUPPORTED = 16394,
	IKE_N_NON_FIRST_FRAGMENTS_ALSO = 16395,
	IKE_N_MOBIKE_SUPPORTED = 16396,
	IKE_N_IKEV2_FRAGMENTATION_SUPPORTED = 16430, /* RFC 7383 */
	IKE_N_SIGNATURE_HASH_ALGORITHMS = 16431,     /* RFC 7427 */
};
#define IKE_N_ERROR_MAX 16383
#define IKE_COOKIE_MIN 1           /* §3.10.1: 1 to 64 octets */
#define IKE_COOKIE_MAX 64

/* §3.13.1 Traffic selector types */
enum ike_ts_type {
	IKE_TS_IPV4_ADDR_RANGE = 7,
	IKE_TS_IPV6_ADDR_RANGE = 8,
};

/* RFC 3948 §2.2: the non-ESP marker before IKE on port 4500 */
#define IKE_NON_ESP_MARKER_LEN 4
#define IKE_PORT 500
#define IKE_NATT_PORT 4500

#endif
