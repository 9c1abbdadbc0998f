/* SPDX-License-Identifier: BSD-2-Clause */
/* Tunnel mode: what ESP carried must be one whole IP packet of the family
 * the next header names before it goes to the interface. */
#include "esp/sa.h"

#include "common/cur.h"
#include "esp/esp_wire.h"

#define IPV4_MIN_HDR 20
#define IPV6_HDR 40

static enum esp_drop check_ipv4(struct pkt *p)
{
	uint8_t vihl;
	uint16_t total;
	struct cur c;

	cur_init(&c, pkt_data(p), p->len);
	if (!cur_u8(&c, &vihl) || !cur_skip(&c, 1) || !cur_u16(&c, &total))
		return ESP_DROP_MALFORMED;
	if (vihl >> 4 != 4 || (size_t)(vihl & 0x0f) * 4 < IPV4_MIN_HDR ||
	    total < (size_t)(vihl & 0x0f) * 4 || total > p->len)
		return ESP_DROP_MALFORMED;
	/* §2.7: anything after the inner packet is TFC padding. */
	pkt_trim(p, total);
	return ESP_DROP_NONE;
}

static enum esp_drop check_ipv6(struct pkt *p)
{
	uint8_t ver;
	uint16_t payload;
	struct cur c;

	cur_init(&c, pkt_data(p), p->len);
	if (!cur_u8(&c, &ver) || !cur_skip(&c, 3) || !cur_u16(&c, &payload))
		return ESP_DROP_MALFORMED;
	if (ver >> 4 != 6 || p->len < IPV6_HDR ||
	    payload > p->len - IPV6_HDR)
		return ESP_DROP_MALFORMED;
	pkt_trim(p, IPV6_HDR + (size_t)payload);
	return ESP_DROP_NONE;
}

enum esp_drop esp_tunnel_inner_check(struct pkt *p, uint8_t next_header)
{
	switch (next_header) {
	case ESP_NH_IPV4:
		return check_ipv4(p);
	case ESP_NH_IPV6:
		return check_ipv6(p);
	default:
		return ESP_DROP_MALFORMED;
	}
}
