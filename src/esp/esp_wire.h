/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef IFS_ESP_WIRE_H
#define IFS_ESP_WIRE_H

/*
 * RFC 4303 §2: the ESP packet.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               Security Parameters Index (SPI)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Sequence Number                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    IV (per transform)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Payload Data (variable)                    |
 * +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               |     Padding (0-255 bytes)                     |
 * +-+-+-+-+-+-+-+-+               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |  Pad Length   | Next Header   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Integrity Check Value (ICV, per transform)            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

#define ESP_HDR_LEN 8          /* SPI + sequence number */
#define ESP_TRAILER_LEN 2      /* pad length + next header */
#define ESP_MAX_IV_LEN 16
#define ESP_MAX_ICV_LEN 32     /* HMAC-SHA-512-256 (RFC 4868 §2.3) */
#define ESP_MAX_PAD_ALIGN 16
/* Room an encapsulation needs around the inner packet. */
#define ESP_MAX_HEADROOM (ESP_HDR_LEN + ESP_MAX_IV_LEN)
#define ESP_MAX_TAILROOM (ESP_MAX_PAD_ALIGN - 1 + ESP_TRAILER_LEN + ESP_MAX_ICV_LEN)

/* RFC 4303 §2.2: SPI values 1..255 are reserved by IANA; 0 is local use
 * (and, in UDP, RFC 3948's non-ESP marker). */
#define ESP_SPI_MIN 256u

/* Next Header values (IANA protocol numbers). */
#define ESP_NH_IPV4 4
#define ESP_NH_IPV6 41
#define ESP_NH_GRE 47
#define ESP_NH_NONE 59         /* RFC 4303 §2.6: dummy packet, discarded */

/* RFC 3948 §2.2: a UDP 4500 payload that starts with four zero bytes is
 * IKE (the non-ESP marker); §2.3: a single 0xFF byte is a NAT keepalive. */
#define ESP_UDP_NON_ESP_MARKER_LEN 4
#define ESP_UDP_KEEPALIVE_BYTE 0xff
#define ESP_UDP_PORT 4500

#endif
