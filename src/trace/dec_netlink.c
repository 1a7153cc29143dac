/* SPDX-License-Identifier: MIT */
/*
 * Netlink messages in the data of a netlink socket, as strace 6.1 prints
 * them: what glibc's getaddrinfo (AI_ADDRCONFIG) and if_nameindex send
 * and receive over NETLINK_ROUTE (RTM_GETADDR / RTM_NEWADDR, RTM_GETLINK /
 * RTM_NEWLINK, NLMSG_DONE, NLMSG_ERROR).  Layouts are the kernel UAPI's
 * (linux/netlink.h, linux/rtnetlink.h, linux/if_addr.h, linux/if_link.h).
 *
 *	[{nlmsg_len=20, nlmsg_type=RTM_GETADDR, nlmsg_flags=NLM_F_REQUEST|NLM_F_DUMP,
 *	  nlmsg_seq=1, nlmsg_pid=0}, {ifa_family=AF_UNSPEC, ...}]
 *
 * Several messages print as a list of [header, payload] pairs; so do
 * attributes ([{nla_len=8, nla_type=IFA_ADDRESS}, inet_addr("127.0.0.1")]).
 * Link attributes strace decodes in depth (statistics, per-family
 * configuration) print here as their bytes.
 */
#include "dec_util.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

/* ---- which sockets are netlink sockets ---- */

static struct {
	unsigned long ino;
	int proto; /* -1: not netlink */
} cache[64];

/* The protocol of the netlink socket with inode ino, from /proc/PID/net/netlink. */
static int proto_of_inode(pid_t pid, unsigned long ino)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/net/netlink", pid);
	FILE *f = fopen(path, "re");
	int proto = -1;
	if (!f)
		return -1;
	/* sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode */
	while (fgets(line, sizeof line, f)) {
		unsigned long sk, i;
		int eth;
		unsigned u[7];
		if (sscanf(line, "%lx %d %u %x %u %u %u %u %u %lu", &sk, &eth, &u[0], &u[1], &u[2],
		           &u[3], &u[4], &u[5], &u[6], &i) == 10 &&
		    i == ino) {
			proto = eth;
			break;
		}
	}
	fclose(f);
	return proto;
}

int netlink_proto_of_fd(struct dctx *d, int64_t fd)
{
	char path[64], target[64];
	if (fd < 0 || fd > INT_MAX)
		return -1;
	snprintf(path, sizeof path, "/proc/%d/fd/%d", d->c->pid, (int)fd);
	ssize_t n = readlink(path, target, sizeof target - 1);
	if (n <= 0)
		return -1;
	target[n] = 0;
	unsigned long ino;
	if (sscanf(target, "socket:[%lu]", &ino) != 1)
		return -1;
	size_t slot = ino % (sizeof cache / sizeof *cache);
	if (cache[slot].ino == ino)
		return cache[slot].proto;
	char name[32];
	ssize_t k = getxattr(path, "system.sockprotoname", name, sizeof name - 1);
	int proto = -1;
	if (k > 0) {
		name[k] = 0;
		if (strcmp(name, "NETLINK") == 0)
			proto = proto_of_inode(d->c->pid, ino);
	}
	cache[slot].ino = ino;
	cache[slot].proto = proto;
	return proto;
}

/* ---- names ---- */

struct name {
	uint32_t v;
	const char *n;
};

static const char *lookup(const struct name *t, size_t n, uint32_t v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].n;
	return NULL;
}

#define LOOKUP(t, v) lookup(t, sizeof t / sizeof *t, v)

static const struct name nlmsg_types[] = {
        {1, "NLMSG_NOOP"},    {2, "NLMSG_ERROR"},   {3, "NLMSG_DONE"},    {4, "NLMSG_OVERRUN"},
        {16, "RTM_NEWLINK"},  {17, "RTM_DELLINK"},  {18, "RTM_GETLINK"},  {19, "RTM_SETLINK"},
        {20, "RTM_NEWADDR"},  {21, "RTM_DELADDR"},  {22, "RTM_GETADDR"},  {24, "RTM_NEWROUTE"},
        {25, "RTM_DELROUTE"}, {26, "RTM_GETROUTE"}, {28, "RTM_NEWNEIGH"}, {29, "RTM_DELNEIGH"},
        {30, "RTM_GETNEIGH"}, {32, "RTM_NEWRULE"},  {33, "RTM_DELRULE"},  {34, "RTM_GETRULE"},
        {36, "RTM_NEWQDISC"}, {37, "RTM_DELQDISC"}, {38, "RTM_GETQDISC"},
};

static const struct name ifa_flags[] = {
        {0x1, "IFA_F_SECONDARY"},        {0x2, "IFA_F_NODAD"},
        {0x4, "IFA_F_OPTIMISTIC"},       {0x8, "IFA_F_DADFAILED"},
        {0x10, "IFA_F_HOMEADDRESS"},     {0x20, "IFA_F_DEPRECATED"},
        {0x40, "IFA_F_TENTATIVE"},       {0x80, "IFA_F_PERMANENT"},
        {0x100, "IFA_F_MANAGETEMPADDR"}, {0x200, "IFA_F_NOPREFIXROUTE"},
        {0x400, "IFA_F_MCAUTOJOIN"},     {0x800, "IFA_F_STABLE_PRIVACY"},
};

static const struct name iff_flags[] = {
        {0x1, "IFF_UP"},           {0x2, "IFF_BROADCAST"},    {0x4, "IFF_DEBUG"},
        {0x8, "IFF_LOOPBACK"},     {0x10, "IFF_POINTOPOINT"}, {0x20, "IFF_NOTRAILERS"},
        {0x40, "IFF_RUNNING"},     {0x80, "IFF_NOARP"},       {0x100, "IFF_PROMISC"},
        {0x200, "IFF_ALLMULTI"},   {0x400, "IFF_MASTER"},     {0x800, "IFF_SLAVE"},
        {0x1000, "IFF_MULTICAST"}, {0x2000, "IFF_PORTSEL"},   {0x4000, "IFF_AUTOMEDIA"},
        {0x8000, "IFF_DYNAMIC"},   {0x10000, "IFF_LOWER_UP"}, {0x20000, "IFF_DORMANT"},
        {0x40000, "IFF_ECHO"},
};

static const struct name rt_scopes[] = {
        {0, "RT_SCOPE_UNIVERSE"}, {200, "RT_SCOPE_SITE"},    {253, "RT_SCOPE_LINK"},
        {254, "RT_SCOPE_HOST"},   {255, "RT_SCOPE_NOWHERE"},
};

static const struct name ifa_attrs[] = {
        {0, "IFA_UNSPEC"},      {1, "IFA_ADDRESS"},         {2, "IFA_LOCAL"},
        {3, "IFA_LABEL"},       {4, "IFA_BROADCAST"},       {5, "IFA_ANYCAST"},
        {6, "IFA_CACHEINFO"},   {7, "IFA_MULTICAST"},       {8, "IFA_FLAGS"},
        {9, "IFA_RT_PRIORITY"}, {10, "IFA_TARGET_NETNSID"}, {11, "IFA_PROTO"},
};

/* The link attributes strace 6.1 names (linux/if_link.h up to 0x3d). */
static const char *const ifla_names[] = {
        "IFLA_UNSPEC",
        "IFLA_ADDRESS",
        "IFLA_BROADCAST",
        "IFLA_IFNAME",
        "IFLA_MTU",
        "IFLA_LINK",
        "IFLA_QDISC",
        "IFLA_STATS",
        "IFLA_COST",
        "IFLA_PRIORITY",
        "IFLA_MASTER",
        "IFLA_WIRELESS",
        "IFLA_PROTINFO",
        "IFLA_TXQLEN",
        "IFLA_MAP",
        "IFLA_WEIGHT",
        "IFLA_OPERSTATE",
        "IFLA_LINKMODE",
        "IFLA_LINKINFO",
        "IFLA_NET_NS_PID",
        "IFLA_IFALIAS",
        "IFLA_NUM_VF",
        "IFLA_VFINFO_LIST",
        "IFLA_STATS64",
        "IFLA_VF_PORTS",
        "IFLA_PORT_SELF",
        "IFLA_AF_SPEC",
        "IFLA_GROUP",
        "IFLA_NET_NS_FD",
        "IFLA_EXT_MASK",
        "IFLA_PROMISCUITY",
        "IFLA_NUM_TX_QUEUES",
        "IFLA_NUM_RX_QUEUES",
        "IFLA_CARRIER",
        "IFLA_PHYS_PORT_ID",
        "IFLA_CARRIER_CHANGES",
        "IFLA_PHYS_SWITCH_ID",
        "IFLA_LINK_NETNSID",
        "IFLA_PHYS_PORT_NAME",
        "IFLA_PROTO_DOWN",
        "IFLA_GSO_MAX_SEGS",
        "IFLA_GSO_MAX_SIZE",
        "IFLA_PAD",
        "IFLA_XDP",
        "IFLA_EVENT",
        "IFLA_NEW_NETNSID",
        "IFLA_IF_NETNSID",
        "IFLA_CARRIER_UP_COUNT",
        "IFLA_CARRIER_DOWN_COUNT",
        "IFLA_NEW_IFINDEX",
        "IFLA_MIN_MTU",
        "IFLA_MAX_MTU",
        "IFLA_PROP_LIST",
        "IFLA_ALT_IFNAME",
        "IFLA_PERM_ADDRESS",
        "IFLA_PROTO_DOWN_REASON",
        "IFLA_PARENT_DEV_NAME",
        "IFLA_PARENT_DEV_BUS_NAME",
        "IFLA_GRO_MAX_SIZE",
        "IFLA_TSO_MAX_SIZE",
        "IFLA_TSO_MAX_SEGS",
        "IFLA_ALLMULTI",
};

static void p_flagbits(struct dbuf *b, const struct name *t, size_t n, uint32_t v,
                       const char *unknown)
{
	bool first = true;
	uint32_t rest = v;
	for (size_t i = 0; i < n; i++)
		if (v & t[i].v) {
			db_printf(b, "%s%s", first ? "" : "|", t[i].n);
			rest &= ~t[i].v;
			first = false;
		}
	if (rest && first)
		db_printf(b, "%#x /* %s */", rest, unknown);
	else if (rest)
		db_printf(b, "|%#x", rest);
	else if (first)
		db_putc(b, '0');
}

/* ---- messages ---- */

struct nl {
	struct dctx *d;
	const uint8_t *buf;
	size_t len;
};

static uint16_t u16at(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

static uint32_t u32at(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static void p_nlflags(struct dbuf *b, uint16_t type, uint16_t flags)
{
	static const struct name common[] = {
	        {0x1, "NLM_F_REQUEST"}, {0x2, "NLM_F_MULTI"},      {0x4, "NLM_F_ACK"},
	        {0x8, "NLM_F_ECHO"},    {0x10, "NLM_F_DUMP_INTR"}, {0x20, "NLM_F_DUMP_FILTERED"},
	};
	static const struct name get[] = {{0x300, "NLM_F_DUMP"},
	                                  {0x100, "NLM_F_ROOT"},
	                                  {0x200, "NLM_F_MATCH"},
	                                  {0x400, "NLM_F_ATOMIC"}};
	static const struct name new[] = {{0x100, "NLM_F_REPLACE"},
	                                  {0x200, "NLM_F_EXCL"},
	                                  {0x400, "NLM_F_CREATE"},
	                                  {0x800, "NLM_F_APPEND"}};
	bool first = true;
	uint32_t rest = flags;
	for (size_t i = 0; i < sizeof common / sizeof *common; i++)
		if (flags & common[i].v) {
			db_printf(b, "%s%s", first ? "" : "|", common[i].n);
			rest &= ~common[i].v;
			first = false;
		}
	/* The high byte's meaning depends on the request (RTM_GET*: dump). */
	const struct name *t = NULL;
	size_t n = 0;
	if (type >= 16 && type % 4 == 2)
		t = get, n = sizeof get / sizeof *get;
	else if (type >= 16 && type % 4 == 0)
		t = new, n = sizeof new / sizeof *new;
	for (size_t i = 0; t && i < n; i++)
		if ((rest & t[i].v) == t[i].v) {
			db_printf(b, "%s%s", first ? "" : "|", t[i].n);
			rest &= ~t[i].v;
			first = false;
		}
	if (rest)
		db_printf(b, first ? "%#x" : "|%#x", rest);
	else if (first)
		db_putc(b, '0');
}

static void p_nlhdr(struct dctx *d, const uint8_t *p)
{
	uint16_t type = u16at(p + 4), flags = u16at(p + 6);
	const char *tn = LOOKUP(nlmsg_types, type);
	db_printf(d->out, "{nlmsg_len=%u, nlmsg_type=", u32at(p));
	if (tn)
		db_puts(d->out, tn);
	else
		db_printf(d->out, "%#x /* RTM_??? */", type);
	db_puts(d->out, ", nlmsg_flags=");
	p_nlflags(d->out, type, flags);
	db_printf(d->out, ", nlmsg_seq=%u, nlmsg_pid=%u}", u32at(p + 8), u32at(p + 12));
}

/* An address attribute: inet_addr("1.2.3.4") or inet_pton(AF_INET6, "::1"). */
static void p_addr_attr(struct dctx *d, const uint8_t *p, size_t n)
{
	char ip[64];
	if (n == 4)
		db_printf(d->out, "inet_addr(\"%s\")", ip_text(2, p, ip, sizeof ip));
	else if (n == 16)
		db_printf(d->out, "inet_pton(AF_INET6, \"%s\")", ip_text(10, p, ip, sizeof ip));
	else
		p_hexbytes(d, p, n);
}

/* A NUL-terminated string attribute. */
static void p_str_attr(struct dctx *d, const uint8_t *p, size_t n)
{
	size_t k = 0;
	while (k < n && p[k])
		k++;
	p_quoted(d, p, k, false, false);
}

static void p_hw_attr(struct dctx *d, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		db_printf(d->out, i ? ":%02x" : "%02x", p[i]);
}

/* The value of one attribute of an RTM_*ADDR (link: false) or *LINK message. */
static void p_attr_value(struct dctx *d, bool link, uint16_t type, const uint8_t *p, size_t n)
{
	if (!link) {
		switch (type) {
		case 1:
		case 2:
		case 4:
		case 5:
		case 7:
			p_addr_attr(d, p, n);
			return;
		case 3:
			p_str_attr(d, p, n);
			return;
		case 6:
			if (n >= 16) {
				db_printf(d->out,
				          "{ifa_prefered=%u, ifa_valid=%u, cstamp=%u, tstamp=%u}",
				          u32at(p), u32at(p + 4), u32at(p + 8), u32at(p + 12));
				return;
			}
			break;
		case 8:
			if (n >= 4) {
				p_flagbits(d->out, ifa_flags, sizeof ifa_flags / sizeof *ifa_flags,
				           u32at(p), "IFA_F_???");
				return;
			}
			break;
		case 9:
			if (n >= 4) {
				db_printf(d->out, "%u", u32at(p));
				return;
			}
			break;
		default:
			break;
		}
	} else {
		switch (type) {
		case 1:  /* IFLA_ADDRESS */
		case 2:  /* IFLA_BROADCAST */
		case 54: /* IFLA_PERM_ADDRESS */
			p_hw_attr(d, p, n);
			return;
		case 3:  /* IFLA_IFNAME */
		case 6:  /* IFLA_QDISC */
		case 20: /* IFLA_IFALIAS */
		case 38: /* IFLA_PHYS_PORT_NAME */
		case 53: /* IFLA_ALT_IFNAME */
		case 56: /* IFLA_PARENT_DEV_NAME */
		case 57: /* IFLA_PARENT_DEV_BUS_NAME */
			p_str_attr(d, p, n);
			return;
		case 16: /* IFLA_OPERSTATE */
		case 17: /* IFLA_LINKMODE */
		case 33: /* IFLA_CARRIER */
		case 39: /* IFLA_PROTO_DOWN */
			if (n >= 1) {
				db_printf(d->out, "%u", p[0]);
				return;
			}
			break;
		case 4:
		case 5:
		case 10:
		case 13:
		case 27:
		case 30:
		case 31:
		case 32:
		case 35:
		case 40:
		case 41:
		case 47:
		case 48:
		case 50:
		case 51:
		case 58:
		case 59:
		case 60:
		case 61:
			if (n >= 4) {
				db_printf(d->out, "%u", u32at(p));
				return;
			}
			break;
		default:
			break;
		}
	}
	p_hexbytes(d, p, n);
}

/* The attributes in n bytes at p: [[{nla_len=8, nla_type=IFA_ADDRESS}, ...], ...]. */
static void p_attrs(struct dctx *d, bool link, const uint8_t *p, size_t n)
{
	size_t count = 0, off;
	for (off = 0; off + 4 <= n; count++) {
		uint16_t l = u16at(p + off);
		if (l < 4)
			break;
		off += (l + 3u) & ~3u;
	}
	if (count != 1)
		db_putc(d->out, '[');
	off = 0;
	for (size_t i = 0; i < count; i++) {
		uint16_t l = u16at(p + off), type = u16at(p + off + 2);
		size_t dl = l - 4u > n - off - 4 ? n - off - 4 : l - 4u;
		if (i)
			db_puts(d->out, ", ");
		if (i >= d->t->o.strsize && !d->t->o.verbose) {
			db_puts(d->out, "...");
			break;
		}
		if (dl)
			db_putc(d->out, '[');
		db_printf(d->out, "{nla_len=%u, nla_type=", l);
		uint16_t bare = type & 0x3fff;
		if (type & 0x8000)
			db_puts(d->out, "NLA_F_NESTED|");
		if (type & 0x4000)
			db_puts(d->out, "NLA_F_NET_BYTEORDER|");
		const char *tn =
		        link ? (bare < sizeof ifla_names / sizeof *ifla_names ? ifla_names[bare]
		                                                              : NULL)
		             : LOOKUP(ifa_attrs, bare);
		if (tn)
			db_puts(d->out, tn);
		else
			db_printf(d->out, "%#x /* %s */", bare, link ? "IFLA_???" : "IFA_???");
		db_putc(d->out, '}');
		if (dl) {
			db_puts(d->out, ", ");
			p_attr_value(d, link, bare, p + off + 4, dl);
			db_putc(d->out, ']');
		}
		off += (l + 3u) & ~3u;
	}
	if (count != 1)
		db_putc(d->out, ']');
}

/* The payload of one message of type type (n bytes at p). */
static void p_payload(struct dctx *d, uint16_t type, const uint8_t *p, size_t n)
{
	uint8_t fam = n ? p[0] : 0;
	switch (type) {
	case 2: { /* NLMSG_ERROR: the error and the message it answers */
		if (n < 4)
			break;
		int32_t err = (int32_t)u32at(p);
		db_puts(d->out, "{error=");
		const char *en = err < 0 ? ptk_errno_name(-err) : NULL;
		if (en)
			db_printf(d->out, "-%s", en);
		else
			db_printf(d->out, "%d", err);
		if (n >= 20) {
			db_puts(d->out, ", msg=");
			p_nlhdr(d, p + 4);
		}
		db_putc(d->out, '}');
		return;
	}
	case 3: /* NLMSG_DONE */
		if (n >= 4) {
			db_printf(d->out, "%d", (int32_t)u32at(p));
			return;
		}
		break;
	case 20:
	case 21:
	case 22: /* RTM_*ADDR: struct ifaddrmsg */
		db_puts(d->out, "{ifa_family=");
		p_xlat(d, &ptk_xlat_af, fam, "AF_???");
		if (n < 8) {
			db_puts(d->out, ", ...}");
			return;
		}
		db_printf(d->out, ", ifa_prefixlen=%u, ifa_flags=", p[1]);
		p_flagbits(d->out, ifa_flags, sizeof ifa_flags / sizeof *ifa_flags, p[2],
		           "IFA_F_???");
		db_puts(d->out, ", ifa_scope=");
		{
			const char *sn = LOOKUP(rt_scopes, p[3]);
			if (sn)
				db_puts(d->out, sn);
			else
				db_printf(d->out, "%u", p[3]);
		}
		db_puts(d->out, ", ifa_index=");
		p_ifindex(d, u32at(p + 4));
		db_putc(d->out, '}');
		if (n > 8) {
			db_puts(d->out, ", ");
			p_attrs(d, false, p + 8, n - 8);
		}
		return;
	case 16:
	case 17:
	case 18:
	case 19: /* RTM_*LINK: struct ifinfomsg */
		db_puts(d->out, "{ifi_family=");
		p_xlat(d, &ptk_xlat_af, fam, "AF_???");
		if (n < 16) {
			db_puts(d->out, ", ...}");
			return;
		}
		db_puts(d->out, ", ifi_type=");
		{
			uint16_t t = u16at(p + 2);
			db_puts(d->out, t == 1       ? "ARPHRD_ETHER"
			                : t == 772   ? "ARPHRD_LOOPBACK"
			                : t == 65534 ? "ARPHRD_NONE"
			                             : "");
			if (t != 1 && t != 772 && t != 65534)
				db_printf(d->out, "%#x /* ARPHRD_??? */", t);
		}
		db_puts(d->out, ", ifi_index=");
		p_ifindex(d, u32at(p + 4));
		db_puts(d->out, ", ifi_flags=");
		p_flagbits(d->out, iff_flags, sizeof iff_flags / sizeof *iff_flags, u32at(p + 8),
		           "IFF_???");
		db_printf(d->out, ", ifi_change=%#x}", u32at(p + 12));
		if (n > 16) {
			db_puts(d->out, ", ");
			p_attrs(d, true, p + 16, n - 16);
		}
		return;
	default:
		break;
	}
	p_hexbytes(d, p, n);
}

bool p_netlink(struct dctx *d, uint64_t addr, uint64_t len, int proto)
{
	if (len < 16 || proto != 0) /* NETLINK_ROUTE only */
		return false;
	size_t n = len > 64 * 1024 ? 64 * 1024 : (size_t)len;
	uint8_t *buf = malloc(n);
	if (!buf || !mem_get(d, addr, buf, n)) {
		free(buf);
		return false;
	}
	size_t count = 0, off;
	for (off = 0; off + 16 <= n; count++) {
		uint32_t l = u32at(buf + off);
		if (l < 16 || l > n - off)
			break;
		off += (l + 3u) & ~3u;
	}
	if (!count) {
		free(buf);
		return false;
	}
	if (count > 1)
		db_putc(d->out, '[');
	off = 0;
	for (size_t i = 0; i < count; i++) {
		uint32_t l = u32at(buf + off);
		if (i)
			db_puts(d->out, ", ");
		if (i >= d->t->o.strsize && !d->t->o.verbose) {
			db_puts(d->out, "...");
			break;
		}
		db_putc(d->out, '[');
		p_nlhdr(d, buf + off);
		if (l > 16) {
			db_puts(d->out, ", ");
			p_payload(d, u16at(buf + off + 4), buf + off + 16, l - 16);
		}
		db_putc(d->out, ']');
		off += (l + 3u) & ~3u;
	}
	if (count > 1)
		db_putc(d->out, ']');
	free(buf);
	return true;
}
