/* SPDX-License-Identifier: MIT */
/*
 * Socket addresses as strace 6.1 prints them, for every family real
 * programs use: {sa_family=AF_INET, sin_port=htons(8080),
 * sin_addr=inet_addr("127.0.0.1")} and the like.  Layouts are the
 * kernel UAPI's (linux/un.h, linux/in.h, linux/in6.h, linux/netlink.h,
 * linux/if_packet.h).
 */
#include "dec_util.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <string.h>

const char *ip_text(int family, const void *a, char *buf, size_t len)
{
	if (!inet_ntop(family, a, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

void p_ifindex(struct dctx *d, uint32_t idx)
{
	char name[IF_NAMESIZE + 1];
	if (idx && if_indextoname(idx, name))
		db_printf(d->out, "if_nametoindex(\"%s\")", name);
	else
		db_printf(d->out, "%u", idx);
}

/* Bytes of an address quoted like a buffer (-x and -xx apply). */
static void quoted(struct dctx *d, const uint8_t *s, size_t n)
{
	p_quoted(d, s, n, false, false);
}

/* The ethertypes strace names in htons(...). */
static const char *eth_p(uint16_t p)
{
	switch (p) {
	case 0x0003:
		return "ETH_P_ALL";
	case 0x0004:
		return "ETH_P_802_2";
	case 0x0060:
		return "ETH_P_LOOP";
	case 0x0800:
		return "ETH_P_IP";
	case 0x0806:
		return "ETH_P_ARP";
	case 0x8035:
		return "ETH_P_RARP";
	case 0x8100:
		return "ETH_P_8021Q";
	case 0x86dd:
		return "ETH_P_IPV6";
	case 0x8847:
		return "ETH_P_MPLS_UC";
	case 0x88a8:
		return "ETH_P_8021AD";
	case 0x88cc:
		return "ETH_P_LLDP";
	default:
		return NULL;
	}
}

static void p_ethertype(struct dbuf *b, uint16_t p)
{
	const char *n = eth_p(p);
	if (n)
		db_printf(b, "htons(%s)", n);
	else
		db_printf(b, "htons(%#x /* ETH_P_??? */)", p);
}

/* struct sockaddr_ll's hardware type (linux/if_arp.h, the common ones). */
static void p_arphrd(struct dbuf *b, uint16_t t)
{
	static const struct {
		uint16_t v;
		const char *n;
	} h[] = {
	        {0, "ARPHRD_NETROM"},      {1, "ARPHRD_ETHER"},    {24, "ARPHRD_IEEE1394"},
	        {512, "ARPHRD_PPP"},       {768, "ARPHRD_TUNNEL"}, {769, "ARPHRD_TUNNEL6"},
	        {772, "ARPHRD_LOOPBACK"},  {776, "ARPHRD_SIT"},    {778, "ARPHRD_IPGRE"},
	        {801, "ARPHRD_IEEE80211"}, {65534, "ARPHRD_NONE"}, {65535, "ARPHRD_VOID"},
	};
	for (size_t i = 0; i < sizeof h / sizeof *h; i++)
		if (h[i].v == t) {
			db_puts(b, h[i].n);
			return;
		}
	db_printf(b, "%#x /* ARPHRD_??? */", t);
}

static void p_pkttype(struct dbuf *b, uint8_t t)
{
	static const char *const n[] = {"PACKET_HOST",      "PACKET_BROADCAST", "PACKET_MULTICAST",
	                                "PACKET_OTHERHOST", "PACKET_OUTGOING",  "PACKET_LOOPBACK",
	                                "PACKET_USER",      "PACKET_KERNEL"};
	if (t < sizeof n / sizeof *n)
		db_puts(b, n[t]);
	else
		db_printf(b, "%#x /* PACKET_??? */", t);
}

/* sa_data: the bytes after the family, as a quoted buffer. */
static void sa_data(struct dctx *d, const uint8_t *sa, size_t len)
{
	db_puts(d->out, ", sa_data=");
	quoted(d, sa + 2, len - 2);
}

static void sun_path(struct dctx *d, const uint8_t *sa, size_t len)
{
	size_t n = len - 2;
	if (n > 108)
		n = 108;
	db_puts(d->out, ", sun_path=");
	if (n && sa[2] == 0) {
		/* An abstract name: every byte after the leading NUL. */
		db_putc(d->out, '@');
		quoted(d, sa + 3, n - 1);
		return;
	}
	size_t k = 0;
	while (k < n && sa[2 + k])
		k++;
	quoted(d, sa + 2, k);
}

static void in4(struct dctx *d, const uint8_t *sa)
{
	uint16_t port;
	char ip[64];
	memcpy(&port, sa + 2, 2);
	db_printf(d->out, ", sin_port=htons(%u), sin_addr=inet_addr(\"%s\")", ntohs(port),
	          ip_text(AF_INET, sa + 4, ip, sizeof ip));
}

static void in6(struct dctx *d, const uint8_t *sa, size_t len)
{
	uint16_t port;
	uint32_t flow, scope;
	char ip[64];
	memcpy(&port, sa + 2, 2);
	memcpy(&flow, sa + 4, 4);
	db_printf(d->out,
	          ", sin6_port=htons(%u), sin6_flowinfo=htonl(%u), inet_pton(AF_INET6, \"%s\", "
	          "&sin6_addr)",
	          ntohs(port), ntohl(flow), ip_text(AF_INET6, sa + 8, ip, sizeof ip));
	if (len >= 28) {
		memcpy(&scope, sa + 24, 4);
		db_puts(d->out, ", sin6_scope_id=");
		p_ifindex(d, scope);
	}
}

static void snl(struct dctx *d, const uint8_t *sa)
{
	uint32_t pid, groups;
	memcpy(&pid, sa + 4, 4);
	memcpy(&groups, sa + 8, 4);
	/* strace's "%#08x": 00000000 for 0, 0x000005 otherwise. */
	db_printf(d->out, ", nl_pid=%u, nl_groups=%#08x", pid, groups);
}

static void sll(struct dctx *d, const uint8_t *sa)
{
	uint16_t proto, hatype;
	int32_t ifindex;
	memcpy(&proto, sa + 2, 2);
	memcpy(&ifindex, sa + 4, 4);
	memcpy(&hatype, sa + 8, 2);
	uint8_t pkttype = sa[10], halen = sa[11];
	db_puts(d->out, ", sll_protocol=");
	p_ethertype(d->out, ntohs(proto));
	db_puts(d->out, ", sll_ifindex=");
	if (ifindex > 0)
		p_ifindex(d, (uint32_t)ifindex);
	else
		db_printf(d->out, "%d", ifindex);
	db_puts(d->out, ", sll_hatype=");
	p_arphrd(d->out, hatype);
	db_puts(d->out, ", sll_pkttype=");
	p_pkttype(d->out, pkttype);
	db_printf(d->out, ", sll_halen=%u, sll_addr=[", halen);
	for (unsigned i = 0; i < halen && i < 8; i++)
		db_printf(d->out, i ? ", %#x" : "%#x", sa[12 + i]);
	db_putc(d->out, ']');
}

void p_sockaddr_buf(struct dctx *d, const uint8_t *sa, size_t len)
{
	uint16_t family;
	memcpy(&family, sa, 2);
	db_puts(d->out, "{sa_family=");
	p_xlat(d, &ptk_xlat_af, family, "AF_???");
	if (len > 2) {
		switch (family) {
		case AF_UNIX:
			sun_path(d, sa, len);
			break;
		case AF_INET:
			if (len >= 16)
				in4(d, sa);
			else
				sa_data(d, sa, len);
			break;
		case AF_INET6:
			if (len >= 24)
				in6(d, sa, len);
			else
				sa_data(d, sa, len);
			break;
		case AF_NETLINK:
			if (len >= 12)
				snl(d, sa);
			else
				sa_data(d, sa, len);
			break;
		case AF_PACKET:
			if (len >= 20)
				sll(d, sa);
			else
				sa_data(d, sa, len);
			break;
		default:
			sa_data(d, sa, len);
		}
	}
	db_putc(d->out, '}');
}

void p_sockaddr(struct dctx *d, uint64_t addr, int64_t len)
{
	uint8_t sa[128]; /* struct sockaddr_storage */
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (len < 2) {
		p_ptr(d, addr);
		return;
	}
	size_t n = len > (int64_t)sizeof sa ? sizeof sa : (size_t)len;
	if (!mem_get(d, addr, sa, n)) {
		p_ptr(d, addr);
		return;
	}
	p_sockaddr_buf(d, sa, n);
}
