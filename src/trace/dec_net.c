/* SPDX-License-Identifier: MIT */
/*
 * The net family: the socket syscalls, struct msghdr and mmsghdr with
 * their control messages, and socket options, in strace 6.1's text.
 * Socket addresses are dec_sock.c's, netlink messages dec_netlink.c's.
 * Layouts are the kernel UAPI's (linux/socket.h, asm-generic/socket.h).
 */
#include "dec_util.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#ifndef AF_NETLINK
#define AF_NETLINK 16
#endif

/* ---- small pieces ---- */

static uint16_t family_of_socket_arg(uint64_t v)
{
	return (uint16_t)v;
}

/* socket(2)'s protocol, named by the family's own list. */
static void p_protocol(struct dctx *d, unsigned family, uint64_t proto)
{
	uint32_t p = (uint32_t)proto;
	switch (family) {
	case 2:  /* AF_INET */
	case 10: /* AF_INET6 */
		p_xlat32(d, &ptk_xlat_ipproto, p, "IPPROTO_???");
		break;
	case AF_NETLINK:
		p_xlat32(d, &ptk_xlat_netlink_proto, p, "NETLINK_???");
		break;
	case 17: { /* AF_PACKET: an ethertype in network order */
		uint16_t e = ntohs((uint16_t)p);
		const char *n = e == 3        ? "ETH_P_ALL"
		                : e == 0x800  ? "ETH_P_IP"
		                : e == 0x806  ? "ETH_P_ARP"
		                : e == 0x86dd ? "ETH_P_IPV6"
		                              : NULL;
		if (n)
			db_printf(d->out, "htons(%s)", n);
		else
			db_printf(d->out, "htons(%#x /* ETH_P_??? */)", e);
		break;
	}
	default:
		db_printf(d->out, "%u", p);
	}
}

/* A socklen_t the tracee passes by reference: [16], or [128 => 16] at exit. */
static void p_socklen(struct dctx *d, uint64_t addr, bool have_in, uint32_t in)
{
	uint32_t out;
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (!d->exiting || d->is_error || !GET(d, addr, out)) {
		if (have_in)
			db_printf(d->out, "[%u]", in);
		else
			p_ptr(d, addr);
		return;
	}
	if (have_in && in != out)
		db_printf(d->out, "[%u => %u]", in, out);
	else
		db_printf(d->out, "[%u]", out);
}

/* At entry: keep the socklen at addr (stash slot k). */
static void keep_len(uint64_t *v, int k, struct dctx *d, uint64_t addr)
{
	uint32_t in;
	v[k] = 0;
	if (addr && GET(d, addr, in))
		v[k] = 1ull << 32 | in;
}

/* Data a socket call sends or receives: netlink messages when the socket
 * is a netlink socket (as strace decodes them), else a buffer. */
static void p_sockdata(struct dctx *d, int64_t fd, uint64_t addr, uint64_t len)
{
	int proto = addr && len ? netlink_proto_of_fd(d, fd) : -1;
	if (proto < 0 || !p_netlink(d, addr, len, proto))
		p_buf(d, addr, len);
}

/* ---- socket, socketpair, bind, connect, listen ---- */

static int dec_socket(struct dctx *d)
{
	uint16_t fam = family_of_socket_arg(arg_u(d, 0));
	arg_next(d);
	p_xlat32(d, &ptk_xlat_af, arg_u(d, 0), "AF_???");
	arg_next(d);
	p_flags(d, &ptk_xlat_socktype, (uint32_t)arg_u(d, 1));
	arg_next(d);
	p_protocol(d, fam, arg_u(d, 2));
	return DEC_DONE;
}

static int dec_socketpair(struct dctx *d)
{
	if (!d->exiting) {
		dec_socket(d);
		return dec_more(d);
	}
	arg_next(d);
	int32_t fds[2];
	uint64_t a = arg_u(d, 3);
	if (d->is_error || !GET(d, a, fds))
		p_ptr(d, a);
	else {
		db_putc(d->out, '[');
		p_fd(d, fds[0]);
		db_puts(d->out, ", ");
		p_fd(d, fds[1]);
		db_putc(d->out, ']');
	}
	return DEC_DONE;
}

/* bind(fd, addr, len), connect(fd, addr, len). */
static int dec_bind(struct dctx *d)
{
	arg_next(d);
	p_fd(d, arg_i(d, 0));
	arg_next(d);
	p_sockaddr(d, arg_u(d, 1), arg_i(d, 2));
	arg_next(d);
	p_int(d, arg_i(d, 2));
	return DEC_DONE;
}

/* ---- accept, accept4, getsockname, getpeername ---- */

/* The address the kernel wrote: at most as many bytes as both lengths allow. */
static void p_sockaddr_out(struct dctx *d, uint64_t addr, uint64_t lenp, bool have_in, uint32_t in)
{
	uint32_t out;
	if (d->is_error || !addr || !lenp || !GET(d, lenp, out)) {
		p_ptr(d, addr);
		return;
	}
	if (have_in && in < out)
		out = in;
	p_sockaddr(d, addr, out);
}

/* accept(fd, addr, lenp), accept4(.., flags), getsockname, getpeername. */
static int dec_accept(struct dctx *d)
{
	uint64_t v[1];
	if (!d->exiting) {
		arg_next(d);
		p_fd(d, arg_i(d, 0));
		keep_len(v, 0, d, arg_u(d, 2));
		stash_put(d, v, 1);
		return dec_more(d);
	}
	if (!stash_get(d, v, 1))
		v[0] = 0;
	bool have = v[0] >> 32;
	uint32_t in = (uint32_t)v[0];
	arg_next(d);
	p_sockaddr_out(d, arg_u(d, 1), arg_u(d, 2), have, in);
	arg_next(d);
	p_socklen(d, arg_u(d, 2), have, in);
	if (strcmp(d->ent->name, "accept4") == 0) {
		arg_next(d);
		p_flags(d, &ptk_xlat_sock_flags, (uint32_t)arg_u(d, 3));
	}
	return DEC_DONE;
}

/* ---- sendto, recvfrom ---- */

static int dec_sendto(struct dctx *d)
{
	arg_next(d);
	p_fd(d, arg_i(d, 0));
	arg_next(d);
	p_sockdata(d, arg_i(d, 0), arg_u(d, 1), arg_u(d, 2));
	arg_next(d);
	p_uint(d, arg_u(d, 2));
	arg_next(d);
	p_flags(d, &ptk_xlat_msg, (uint32_t)arg_u(d, 3));
	arg_next(d);
	p_sockaddr(d, arg_u(d, 4), arg_i(d, 5));
	arg_next(d);
	p_int(d, arg_i(d, 5));
	return DEC_DONE;
}

static int dec_recvfrom(struct dctx *d)
{
	uint64_t v[1];
	if (!d->exiting) {
		arg_next(d);
		p_fd(d, arg_i(d, 0));
		keep_len(v, 0, d, arg_u(d, 5));
		stash_put(d, v, 1);
		return dec_more(d);
	}
	if (!stash_get(d, v, 1))
		v[0] = 0;
	bool have = v[0] >> 32;
	uint32_t in = (uint32_t)v[0];
	arg_next(d);
	if (d->is_error)
		p_ptr(d, arg_u(d, 1));
	else
		p_sockdata(d, arg_i(d, 0), arg_u(d, 1), (uint64_t)d->rval);
	arg_next(d);
	p_uint(d, arg_u(d, 2));
	arg_next(d);
	p_flags(d, &ptk_xlat_msg, (uint32_t)arg_u(d, 3));
	arg_next(d);
	p_sockaddr_out(d, arg_u(d, 4), arg_u(d, 5), have, in);
	arg_next(d);
	p_socklen(d, arg_u(d, 5), have, in);
	return DEC_DONE;
}

/* ---- msghdr, control messages, mmsghdr ---- */

struct kmsghdr {
	uint64_t name;
	uint32_t namelen;
	uint64_t iov, iovlen, control, controllen;
	uint32_t flags;
};

/* Read a struct msghdr of the tracee's ABI (56 bytes, or 28 on i386). */
static bool get_msghdr(struct dctx *d, uint64_t addr, struct kmsghdr *m)
{
	if (d->arch == PTK_ARCH_I386) {
		uint32_t k[7];
		if (!addr || !GET(d, addr, k))
			return false;
		*m = (struct kmsghdr){k[0], k[1], k[2], k[3], k[4], k[5], k[6]};
		return true;
	}
	uint64_t k[7];
	if (!addr || !GET(d, addr, k))
		return false;
	*m = (struct kmsghdr){k[0], (uint32_t)k[1], k[2], k[3], k[4], k[5], (uint32_t)k[6]};
	return true;
}

static size_t msghdr_size(const struct dctx *d)
{
	return d->arch == PTK_ARCH_I386 ? 28 : 56;
}

/*
 * An iovec array of a message: each buffer's bytes (up to -s of each;
 * len bytes in all when len >= 0), netlink messages on a netlink socket.
 */
static void p_msg_iov(struct dctx *d, int64_t fd, uint64_t addr, uint64_t n, int64_t len)
{
	size_t w = d->arch == PTK_ARCH_I386 ? 4 : 8;
	int proto = -2; /* not looked up yet */
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (n > 1024 * 1024) {
		p_ptr(d, addr);
		return;
	}
	uint64_t e[2] = {0, 0};
	if (n && !mem_get(d, addr, e, 2 * w)) {
		p_ptr(d, addr);
		return;
	}
	db_putc(d->out, '[');
	for (uint64_t i = 0; i < n; i++) {
		if (w == 8) {
			if (!GET(d, addr + i * 16, e)) {
				db_puts(d->out, ", ...");
				break;
			}
		} else {
			uint32_t e32[2];
			if (!GET(d, addr + i * 8, e32)) {
				db_puts(d->out, ", ...");
				break;
			}
			e[0] = e32[0], e[1] = e32[1];
		}
		if (i)
			db_puts(d->out, ", ");
		if (i >= d->t->o.strsize && !d->t->o.verbose) {
			db_puts(d->out, "...");
			break;
		}
		uint64_t m = e[1];
		if (len >= 0) {
			m = (uint64_t)len < m ? (uint64_t)len : m;
			len -= (int64_t)m;
		}
		db_puts(d->out, "{iov_base=");
		if (proto == -2)
			proto = e[0] && m ? netlink_proto_of_fd(d, fd) : -1;
		if (proto < 0 || !p_netlink(d, e[0], m, proto))
			p_buf(d, e[0], m);
		db_printf(d->out, ", iov_len=%llu}", (unsigned long long)e[1]);
	}
	db_putc(d->out, ']');
}

/* SOL_SOCKET control message types (asm-generic/socket.h). */
static const char *scm_type(uint32_t t)
{
	switch (t) {
	case 1:
		return "SCM_RIGHTS";
	case 2:
		return "SCM_CREDENTIALS";
	case 3:
		return "SCM_SECURITY";
	case 4:
		return "SCM_PIDFD";
	case 29:
		return "SO_TIMESTAMP_OLD";
	case 35:
		return "SO_TIMESTAMPNS_OLD";
	case 37:
		return "SO_TIMESTAMPING_OLD";
	case 63:
		return "SO_TIMESTAMP_NEW";
	case 64:
		return "SO_TIMESTAMPNS_NEW";
	case 65:
		return "SO_TIMESTAMPING_NEW";
	default:
		return NULL;
	}
}

/* The data of one control message (n bytes at p, already read). */
static void cmsg_data(struct dctx *d, int level, uint32_t type, const uint8_t *p, size_t n)
{
	db_puts(d->out, ", cmsg_data=");
	if (level == 1 && type == 1) { /* SCM_RIGHTS */
		db_putc(d->out, '[');
		for (size_t i = 0; i + 4 <= n; i += 4) {
			int32_t fd;
			memcpy(&fd, p + i, 4);
			if (i)
				db_puts(d->out, ", ");
			p_fd(d, fd);
		}
		db_putc(d->out, ']');
	} else if (level == 1 && type == 2 && n >= 12) { /* SCM_CREDENTIALS */
		int32_t pid;
		uint32_t uid, gid;
		memcpy(&pid, p, 4);
		memcpy(&uid, p + 4, 4);
		memcpy(&gid, p + 8, 4);
		db_printf(d->out, "{pid=%d, uid=%u, gid=%u}", pid, uid, gid);
	} else if (level == 1 && (type == 29 || type == 63) && n >= 16) {
		int64_t tv[2];
		memcpy(tv, p, 16);
		p_timeval_val(d, tv[0], tv[1]);
	} else if (level == 1 && (type == 35 || type == 64) && n >= 16) {
		int64_t ts[2];
		memcpy(ts, p, 16);
		p_timespec_val(d, ts[0], ts[1]);
	} else if (level == 0 && (type == 1 || type == 2) && n >= 1) { /* IP_TOS, IP_TTL */
		if (n >= 4 && type == 2) {
			int32_t v;
			memcpy(&v, p, 4);
			db_printf(d->out, "[%d]", v);
		} else {
			db_printf(d->out, "[%#x]", p[0]);
		}
	} else if (level == 0 && type == 8 && n >= 12) { /* IP_PKTINFO */
		int32_t idx;
		char a[64], b[64];
		memcpy(&idx, p, 4);
		db_puts(d->out, "{ipi_ifindex=");
		p_ifindex(d, (uint32_t)idx);
		db_printf(d->out, ", ipi_spec_dst=inet_addr(\"%s\"), ipi_addr=inet_addr(\"%s\")}",
		          ip_text(2, p + 4, a, sizeof a), ip_text(2, p + 8, b, sizeof b));
	} else {
		p_quoted(d, p, n > d->t->o.strsize ? d->t->o.strsize : n, n > d->t->o.strsize,
		         false);
	}
}

/* msg_control: the control messages in len bytes at addr. */
static void p_cmsgs(struct dctx *d, uint64_t addr, uint64_t len)
{
	size_t hdr = d->arch == PTK_ARCH_I386 ? 12 : 16, align = d->arch == PTK_ARCH_I386 ? 4 : 8;
	if (len > 64 * 1024)
		len = 64 * 1024;
	uint8_t *buf = malloc(len ? (size_t)len : 1);
	if (!buf || !addr || !mem_get(d, addr, buf, (size_t)len)) {
		free(buf);
		p_ptr(d, addr);
		return;
	}
	db_putc(d->out, '[');
	size_t off = 0;
	for (int i = 0; off + hdr <= len; i++) {
		uint64_t clen;
		int32_t level;
		uint32_t type;
		if (hdr == 16) {
			memcpy(&clen, buf + off, 8);
		} else {
			uint32_t c32;
			memcpy(&c32, buf + off, 4);
			clen = c32;
		}
		memcpy(&level, buf + off + hdr - 8, 4);
		memcpy(&type, buf + off + hdr - 4, 4);
		if (i)
			db_puts(d->out, ", ");
		if ((unsigned)i >= d->t->o.strsize && !d->t->o.verbose) {
			db_puts(d->out, "...");
			break;
		}
		db_printf(d->out, "{cmsg_len=%llu, cmsg_level=", (unsigned long long)clen);
		p_xlat32(d, &ptk_xlat_sol, (uint32_t)level, "SOL_???");
		db_puts(d->out, ", cmsg_type=");
		const char *tn = level == 1    ? scm_type(type)
		                 : level == 0  ? ptk_xlat_name(&ptk_xlat_sockopt_ip, type)
		                 : level == 41 ? ptk_xlat_name(&ptk_xlat_sockopt_ipv6, type)
		                               : NULL;
		if (tn)
			db_puts(d->out, tn);
		else
			db_printf(d->out, "%#x", type);
		if (clen > hdr) {
			size_t n = clen - hdr > len - off - hdr ? len - off - hdr : clen - hdr;
			cmsg_data(d, level, type, buf + off + hdr, n);
		}
		db_putc(d->out, '}');
		if (clen < hdr)
			break;
		off += (clen + align - 1) & ~(uint64_t)(align - 1);
	}
	db_putc(d->out, ']');
	free(buf);
}

/*
 * A struct msghdr: for sendmsg as given; for recvmsg (recv) as the kernel
 * left it, with the name length given at entry (namelen_in) and data
 * bounded by the return value (datalen).
 */
static void p_msghdr_val(struct dctx *d, int64_t fd, const struct kmsghdr *m, bool recv,
                         bool have_in, uint32_t namelen_in, int64_t datalen)
{
	db_puts(d->out, "{msg_name=");
	if (recv && m->name && m->namelen == 0)
		p_ptr(d, m->name);
	else
		p_sockaddr(d, m->name,
		           recv && have_in && namelen_in < m->namelen ? namelen_in : m->namelen);
	if (recv && have_in && namelen_in != m->namelen)
		db_printf(d->out, ", msg_namelen=%u => %u", namelen_in, m->namelen);
	else
		db_printf(d->out, ", msg_namelen=%u", m->namelen);
	db_puts(d->out, ", msg_iov=");
	p_msg_iov(d, fd, m->iov, m->iovlen, datalen);
	db_printf(d->out, ", msg_iovlen=%llu", (unsigned long long)m->iovlen);
	if (m->controllen) {
		db_puts(d->out, ", msg_control=");
		p_cmsgs(d, m->control, m->controllen);
	}
	db_printf(d->out, ", msg_controllen=%llu, msg_flags=", (unsigned long long)m->controllen);
	p_flags(d, &ptk_xlat_msg, m->flags);
	db_putc(d->out, '}');
}

static void p_msghdr(struct dctx *d, uint64_t addr, uint64_t size)
{
	struct kmsghdr m;
	(void)size;
	if (!get_msghdr(d, addr, &m))
		p_ptr(d, addr);
	else
		p_msghdr_val(d, -1, &m, false, false, 0, -1);
}

static int dec_sendmsg(struct dctx *d)
{
	struct kmsghdr m;
	arg_next(d);
	p_fd(d, arg_i(d, 0));
	arg_next(d);
	if (!get_msghdr(d, arg_u(d, 1), &m))
		p_ptr(d, arg_u(d, 1));
	else
		p_msghdr_val(d, arg_i(d, 0), &m, false, false, 0, -1);
	arg_next(d);
	p_flags(d, &ptk_xlat_msg, (uint32_t)arg_u(d, 2));
	return DEC_DONE;
}

static int dec_recvmsg(struct dctx *d)
{
	struct kmsghdr m;
	uint64_t v[1] = {0};
	if (!d->exiting) {
		arg_next(d);
		p_fd(d, arg_i(d, 0));
		if (get_msghdr(d, arg_u(d, 1), &m))
			v[0] = 1ull << 32 | m.namelen;
		stash_put(d, v, 1);
		return dec_more(d);
	}
	if (!stash_get(d, v, 1))
		v[0] = 0;
	arg_next(d);
	if (d->is_error && v[0] >> 32)
		db_printf(d->out, "{msg_namelen=%u}", (uint32_t)v[0]);
	else if (d->is_error || !get_msghdr(d, arg_u(d, 1), &m))
		p_ptr(d, arg_u(d, 1));
	else
		p_msghdr_val(d, arg_i(d, 0), &m, true, v[0] >> 32, (uint32_t)v[0], d->rval);
	arg_next(d);
	p_flags(d, &ptk_xlat_msg, (uint32_t)arg_u(d, 2));
	return DEC_DONE;
}

/* count struct mmsghdr at addr: [{msg_hdr={...}, msg_len=5}, ...]. */
static void p_mmsgs(struct dctx *d, int64_t fd, uint64_t addr, uint64_t count, bool recv)
{
	size_t sz = msghdr_size(d) + (d->arch == PTK_ARCH_I386 ? 4 : 8);
	db_putc(d->out, '[');
	for (uint64_t i = 0; i < count; i++) {
		struct kmsghdr m;
		uint32_t len = 0;
		uint64_t a = addr + i * sz;
		if (i)
			db_puts(d->out, ", ");
		if (i >= d->t->o.strsize && !d->t->o.verbose) {
			db_puts(d->out, "...");
			break;
		}
		if (!get_msghdr(d, a, &m) || !mem_get(d, a + msghdr_size(d), &len, 4)) {
			db_puts(d->out, "...");
			break;
		}
		db_puts(d->out, "{msg_hdr=");
		p_msghdr_val(d, fd, &m, recv, false, 0, recv ? (int64_t)len : -1);
		db_printf(d->out, ", msg_len=%u}", len);
	}
	db_putc(d->out, ']');
}

static void p_mmsghdr(struct dctx *d, uint64_t addr, uint64_t size)
{
	(void)size;
	if (!addr)
		db_puts(d->out, "NULL");
	else
		p_mmsgs(d, -1, addr, 1, false);
}

/* sendmmsg(fd, msgvec, vlen, flags) = n: the n messages sent, with msg_len. */
static int dec_sendmmsg(struct dctx *d)
{
	if (!d->exiting) {
		arg_next(d);
		p_fd(d, arg_i(d, 0));
		return dec_more(d);
	}
	arg_next(d);
	if (d->is_error || !arg_u(d, 1))
		p_ptr(d, arg_u(d, 1));
	else
		p_mmsgs(d, arg_i(d, 0), arg_u(d, 1), (uint64_t)d->rval, false);
	arg_next(d);
	p_uint(d, (uint32_t)arg_u(d, 2));
	arg_next(d);
	p_flags(d, &ptk_xlat_msg, (uint32_t)arg_u(d, 3));
	return DEC_DONE;
}

/*
 * recvmmsg(fd, msgvec, vlen, flags, timeout) = n (left {remaining}): the
 * timeout as given (kept from the entry: the kernel overwrites it) and
 * what it left.
 */
static int dec_recvmmsg(struct dctx *d)
{
	uint64_t v[3] = {0, 0, 0};
	bool t64 = strstr(d->ent->name, "time64") != NULL;
	uint64_t to = arg_u(d, 4);
	if (!d->exiting) {
		arg_next(d);
		p_fd(d, arg_i(d, 0));
		int64_t ts[2];
		if (to && (d->arch != PTK_ARCH_I386 || t64) && GET(d, to, ts))
			v[0] = 1, v[1] = (uint64_t)ts[0], v[2] = (uint64_t)ts[1];
		stash_put(d, v, 3);
		return dec_more(d);
	}
	if (!stash_get(d, v, 3))
		v[0] = 0;
	arg_next(d);
	if (d->is_error || !arg_u(d, 1))
		p_ptr(d, arg_u(d, 1));
	else
		p_mmsgs(d, arg_i(d, 0), arg_u(d, 1), (uint64_t)d->rval, true);
	arg_next(d);
	p_uint(d, (uint32_t)arg_u(d, 2));
	arg_next(d);
	p_flags(d, &ptk_xlat_msg, (uint32_t)arg_u(d, 3));
	arg_next(d);
	if (v[0])
		p_timespec_val(d, (int64_t)v[1], (int64_t)v[2]);
	else
		p_ptr(d, to);
	if (v[0] && !d->is_error) {
		struct dbuf *o = d->out;
		d->out = d->aux;
		db_puts(d->out, "(left ");
		p_timespec(d, to, 0);
		db_putc(d->out, ')');
		d->out = o;
	}
	return DEC_DONE;
}

/* ---- socket options ---- */

/*
 * SOL_SOCKET options whose value strace 6.1 prints as an int whenever
 * the length holds one ("[1]", even with a length of 8); any other option
 * prints as an int only when the length is exactly 4, else as bytes.
 */
static bool so_int_option(uint32_t o)
{
	static const uint8_t ints[] = {1,  2,  5,  6,  7,  8,  9,  10, 11, 12, 14, 15, 16, 18, 19,
	                               27, 29, 30, 32, 33, 34, 35, 36, 37, 40, 41, 42, 43, 44, 45,
	                               46, 49, 53, 56, 60, 63, 64, 65, 68, 69, 70, 73, 74, 75};
	for (size_t i = 0; i < sizeof ints; i++)
		if (ints[i] == o)
			return true;
	return false;
}

/* SOL_NETLINK options (linux/netlink.h). */
static const char *netlink_opt(uint32_t o)
{
	static const char *const n[] = {
	        NULL,
	        "NETLINK_ADD_MEMBERSHIP",
	        "NETLINK_DROP_MEMBERSHIP",
	        "NETLINK_PKTINFO",
	        "NETLINK_BROADCAST_ERROR",
	        "NETLINK_NO_ENOBUFS",
	        "NETLINK_RX_RING",
	        "NETLINK_TX_RING",
	        "NETLINK_LISTEN_ALL_NSID",
	        "NETLINK_LIST_MEMBERSHIPS",
	        "NETLINK_CAP_ACK",
	        "NETLINK_EXT_ACK",
	        "NETLINK_GET_STRICT_CHK",
	};
	return o < sizeof n / sizeof *n ? n[o] : NULL;
}

static void p_sockopt_name(struct dctx *d, uint32_t level, uint32_t opt, bool get)
{
	switch (level) {
	case 1: /* SOL_SOCKET */
		if (get && opt == 26)
			db_puts(d->out, "SO_GET_FILTER");
		else
			p_xlat32(d, &ptk_xlat_so, opt, "SO_???");
		break;
	case 0:
		p_xlat32(d, &ptk_xlat_sockopt_ip, opt, "IP_???");
		break;
	case 6:
		p_xlat32(d, &ptk_xlat_sockopt_tcp, opt, "TCP_???");
		break;
	case 41:
		p_xlat32(d, &ptk_xlat_sockopt_ipv6, opt, "IPV6_???");
		break;
	case 270: { /* SOL_NETLINK */
		const char *n = netlink_opt(opt);
		if (n)
			db_puts(d->out, n);
		else
			db_printf(d->out, "%#x /* NETLINK_??? */", opt);
		break;
	}
	default:
		db_printf(d->out, "%u", opt);
	}
}

static void p_sol(struct dctx *d, uint32_t level)
{
	const char *n = ptk_xlat_name(&ptk_xlat_sol, level);
	if (n)
		db_puts(d->out, n);
	else
		db_printf(d->out, "%#x /* SOL_?? */", level); /* sic: strace's spelling */
}

/*
 * An option's value of len bytes at addr.  get: getsockopt's (the length
 * the kernel returned; a SOL_SOCKET int option shorter than an int shows
 * its bytes in hex), else setsockopt's (too short: the address).
 */
static void p_sockopt_val(struct dctx *d, uint32_t level, uint32_t opt, uint64_t addr, int64_t len,
                          bool get)
{
	uint8_t b[16];
	if (!addr) {
		db_puts(d->out, "NULL");
		return;
	}
	if (len <= 0) {
		p_ptr(d, addr);
		return;
	}
	if (level == 1 && opt == 13 && len >= 8 && mem_get(d, addr, b, 8)) {
		int32_t on, linger; /* SO_LINGER */
		memcpy(&on, b, 4);
		memcpy(&linger, b + 4, 4);
		db_printf(d->out, "{l_onoff=%d, l_linger=%d}", on, linger);
		return;
	}
	if (level == 1 && opt == 17 && len >= 12 && mem_get(d, addr, b, 12)) {
		int32_t pid; /* SO_PEERCRED */
		uint32_t uid, gid;
		memcpy(&pid, b, 4);
		memcpy(&uid, b + 4, 4);
		memcpy(&gid, b + 8, 4);
		db_printf(d->out, "{pid=%d, uid=", pid);
		db_printf(d->out, uid == 0xffffffffu ? "-1" : "%u", uid);
		db_puts(d->out, ", gid=");
		db_printf(d->out, gid == 0xffffffffu ? "-1" : "%u", gid);
		db_putc(d->out, '}');
		return;
	}
	bool as_int = level == 1 && so_int_option(opt) ? len >= 4 : len == 4;
	if (as_int) {
		int32_t v;
		if (!GET(d, addr, v)) {
			p_ptr(d, addr);
			return;
		}
		if (level == 1 && opt == 74 && (v == 0 || v == 1 || v == 255)) /* SO_TXREHASH */
			db_printf(d->out, "[%s]",
			          v == 0   ? "SOCK_TXREHASH_DISABLED"
			          : v == 1 ? "SOCK_TXREHASH_ENABLED"
			                   : "SOCK_TXREHASH_DEFAULT");
		else
			db_printf(d->out, "[%d]", v);
		return;
	}
	if (level == 1 && so_int_option(opt)) {
		/* Shorter than an int. */
		if (!get || !mem_get(d, addr, b, (size_t)len))
			p_ptr(d, addr);
		else
			p_hexbytes(d, b, (size_t)len);
		return;
	}
	p_buf(d, addr, (uint64_t)len);
}

static int dec_setsockopt(struct dctx *d)
{
	uint32_t level = (uint32_t)arg_u(d, 1), opt = (uint32_t)arg_u(d, 2);
	arg_next(d);
	p_fd(d, arg_i(d, 0));
	arg_next(d);
	p_sol(d, level);
	arg_next(d);
	p_sockopt_name(d, level, opt, false);
	arg_next(d);
	p_sockopt_val(d, level, opt, arg_u(d, 3), arg_i(d, 4), false);
	arg_next(d);
	p_int(d, arg_i(d, 4));
	return DEC_DONE;
}

static int dec_getsockopt(struct dctx *d)
{
	uint32_t level = (uint32_t)arg_u(d, 1), opt = (uint32_t)arg_u(d, 2);
	uint64_t v[1];
	if (!d->exiting) {
		arg_next(d);
		p_fd(d, arg_i(d, 0));
		arg_next(d);
		p_sol(d, level);
		arg_next(d);
		p_sockopt_name(d, level, opt, true);
		keep_len(v, 0, d, arg_u(d, 4));
		stash_put(d, v, 1);
		return dec_more(d);
	}
	if (!stash_get(d, v, 1))
		v[0] = 0;
	bool have = v[0] >> 32;
	uint32_t in = (uint32_t)v[0], out;
	arg_next(d);
	if (d->is_error || !arg_u(d, 4) || !GET(d, arg_u(d, 4), out))
		p_ptr(d, arg_u(d, 3));
	else
		p_sockopt_val(d, level, opt, arg_u(d, 3), (int32_t)out, true);
	arg_next(d);
	p_socklen(d, arg_u(d, 4), have, in);
	return DEC_DONE;
}

static int dec_shutdown(struct dctx *d)
{
	arg_next(d);
	p_fd(d, arg_i(d, 0));
	arg_next(d);
	p_xlat32(d, &ptk_xlat_shutdown_how, arg_u(d, 1), "SHUT_???");
	return DEC_DONE;
}

/* The sockaddr of a row's struct:sockaddr:N argument (N its length). */
static void p_sockaddr_struct(struct dctx *d, uint64_t addr, uint64_t size)
{
	p_sockaddr(d, addr, (int64_t)size);
}

const struct decoder dec_net_syscalls[] = {
        {"accept", dec_accept},
        {"accept4", dec_accept},
        {"bind", dec_bind},
        {"connect", dec_bind},
        {"getpeername", dec_accept},
        {"getsockname", dec_accept},
        {"getsockopt", dec_getsockopt},
        {"recvfrom", dec_recvfrom},
        {"recvmmsg", dec_recvmmsg},
        {"recvmmsg_time64", dec_recvmmsg},
        {"recvmsg", dec_recvmsg},
        {"sendmmsg", dec_sendmmsg},
        {"sendmsg", dec_sendmsg},
        {"sendto", dec_sendto},
        {"setsockopt", dec_setsockopt},
        {"shutdown", dec_shutdown},
        {"socket", dec_socket},
        {"socketpair", dec_socketpair},
        {NULL, NULL},
};

const struct struct_decoder dec_net_structs[] = {
        {"mmsghdr", p_mmsghdr, 64},
        {"msghdr", p_msghdr, 56},
        {"sockaddr", p_sockaddr_struct, 0},
        {NULL, NULL, 0},
};
