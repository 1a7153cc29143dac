/* SPDX-License-Identifier: MIT */
/*
 * What -yy adds to an fd's path: the endpoints of a socket and the
 * numbers of a device, in strace 6.1's notation:
 *
 *	3<TCP:[127.0.0.1:8080->127.0.0.1:51234]>   4<TCPv6:[[::1]:8080]>
 *	5<UNIX-STREAM:[1234->1235]>  6<UNIX:[1236,"/run/x.sock"]>  @"abstract"
 *	7<NETLINK:[ROUTE:4242]>      8</dev/null<char 1:3>>
 *
 * The socket's protocol comes from the "system.sockprotoname" attribute of
 * /proc/PID/fd/N (the kernel's struct proto name: TCP, UDPv6, UNIX-STREAM,
 * NETLINK, ...); its endpoints from the kernel's sock_diag netlink
 * interface (linux/inet_diag.h, unix_diag.h, netlink_diag.h), asked anew
 * on every print since they change as the program binds and connects.  A
 * socket sock_diag does not list (not yet bound, or of another protocol)
 * prints as "PROTO:[inode]", as strace does.  None of this touches the
 * tracee: these are the tracer's own sockets and /proc reads.
 */
#include "trace.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fdinfo.h"

/* One sock_diag request; each answer goes to fn until fn returns true (it
 * found the socket and printed it) or the answers end (NLMSG_DONE, an
 * error, or the single answer of an exact request). */
static bool diag_query(void *req, size_t len, bool (*fn)(const struct nlmsghdr *, void *),
                       void *arg)
{
	bool found = false;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return false;
	struct sockaddr_nl nl = {.nl_family = AF_NETLINK};
	if (sendto(fd, req, len, 0, (struct sockaddr *)&nl, sizeof nl) != (ssize_t)len)
		goto out;
	/* Answers are aligned to 4 bytes; a long buffer keeps recv calls few. */
	static uint32_t buf[8192];
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto out;
		for (const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
		     NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
				goto out;
			/* Found: the rest of a dump is dropped with the socket. */
			if (fn(h, arg)) {
				found = true;
				goto out;
			}
		}
		/* An exact (not dump) request has one answer and no NLMSG_DONE. */
		if (!(((struct nlmsghdr *)req)->nlmsg_flags & NLM_F_DUMP))
			goto out;
	}
out:
	close(fd);
	return found;
}

struct inet_find {
	uint32_t ino;
	int family;
	struct dbuf *out;
};

static void put_inet(struct dbuf *out, int family, const uint32_t *a, uint16_t port_be)
{
	char s[INET6_ADDRSTRLEN];
	if (!inet_ntop(family, a, s, sizeof s))
		s[0] = 0;
	if (family == AF_INET6)
		db_printf(out, "[%s]:%u", s, ntohs(port_be));
	else
		db_printf(out, "%s:%u", s, ntohs(port_be));
}

static bool inet_answer(const struct nlmsghdr *h, void *arg)
{
	struct inet_find *f = arg;
	const struct inet_diag_msg *m = NLMSG_DATA(h);
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof *m) || m->idiag_inode != f->ino)
		return false;
	put_inet(f->out, f->family, m->id.idiag_src, m->id.idiag_sport);
	static const uint32_t zero[4];
	size_t alen = f->family == AF_INET6 ? 16 : 4;
	if (m->id.idiag_dport || memcmp(m->id.idiag_dst, zero, alen) != 0) {
		db_puts(f->out, "->");
		put_inet(f->out, f->family, m->id.idiag_dst, m->id.idiag_dport);
	}
	return true;
}

static bool inet_info(struct dbuf *out, uint32_t ino, int family, int proto)
{
	struct {
		struct nlmsghdr h;
		struct inet_diag_req_v2 r;
	} req = {
	        .h = {.nlmsg_len = sizeof req,
	              .nlmsg_type = SOCK_DIAG_BY_FAMILY,
	              .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP},
	        .r = {.sdiag_family = (uint8_t)family,
	              .sdiag_protocol = (uint8_t)proto,
	              .idiag_states = ~0u},
	};
	struct inet_find f = {ino, family, out};
	return diag_query(&req, sizeof req, inet_answer, &f);
}

struct unix_find {
	uint32_t ino;
	struct dbuf *out;
	unsigned qflags;
};

static bool unix_answer(const struct nlmsghdr *h, void *arg)
{
	struct unix_find *f = arg;
	const struct unix_diag_msg *m = NLMSG_DATA(h);
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof *m) || m->udiag_ino != f->ino)
		return false;
	uint32_t peer = 0;
	const uint8_t *name = NULL;
	size_t namelen = 0;
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof *m);
	for (const struct rtattr *a = (const struct rtattr *)(m + 1); RTA_OK(a, len);
	     a = RTA_NEXT(a, len)) {
		if (a->rta_type == UNIX_DIAG_PEER && RTA_PAYLOAD(a) >= 4)
			memcpy(&peer, RTA_DATA(a), 4);
		else if (a->rta_type == UNIX_DIAG_NAME) {
			name = RTA_DATA(a);
			namelen = RTA_PAYLOAD(a);
		}
	}
	if (!peer && !namelen)
		return false; /* nothing more than the inode: not remembered */
	db_printf(f->out, "%u", f->ino);
	if (peer)
		db_printf(f->out, "->%u", peer);
	if (namelen) {
		db_putc(f->out, ',');
		if (name[0] == 0) { /* an abstract name */
			db_putc(f->out, '@');
			fmt_quote(f->out, name + 1, namelen - 1, f->qflags);
		} else
			fmt_quote(f->out, name, namelen, f->qflags | QF_STR);
	}
	return true;
}

static bool unix_info(struct dbuf *out, uint32_t ino, unsigned qflags)
{
	struct {
		struct nlmsghdr h;
		struct unix_diag_req r;
	} req = {
	        .h = {.nlmsg_len = sizeof req,
	              .nlmsg_type = SOCK_DIAG_BY_FAMILY,
	              .nlmsg_flags = NLM_F_REQUEST},
	        .r = {.sdiag_family = AF_UNIX,
	              .udiag_states = ~0u,
	              .udiag_ino = ino,
	              .udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER,
	              .udiag_cookie = {~0u, ~0u}},
	};
	struct unix_find f = {ino, out, qflags};
	return diag_query(&req, sizeof req, unix_answer, &f);
}

static bool netlink_answer(const struct nlmsghdr *h, void *arg)
{
	struct unix_find *f = arg;
	const struct netlink_diag_msg *m = NLMSG_DATA(h);
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof *m) || m->ndiag_ino != f->ino)
		return false;
	const char *name = ptk_xlat_name(&ptk_xlat_netlink_proto, m->ndiag_protocol);
	if (name && strncmp(name, "NETLINK_", 8) == 0)
		db_printf(f->out, "%s:%u", name + 8, m->ndiag_portid);
	else
		db_printf(f->out, "%u:%u", m->ndiag_protocol, m->ndiag_portid);
	return true;
}

static bool netlink_info(struct dbuf *out, uint32_t ino)
{
	struct {
		struct nlmsghdr h;
		struct netlink_diag_req r;
	} req = {
	        .h = {.nlmsg_len = sizeof req,
	              .nlmsg_type = SOCK_DIAG_BY_FAMILY,
	              .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP},
	        .r = {.sdiag_family = AF_NETLINK,
	              .sdiag_protocol = NDIAG_PROTO_ALL,
	              .ndiag_show = 0,
	              .ndiag_cookie = {~0u, ~0u}},
	};
	struct unix_find f = {ino, out, 0};
	return diag_query(&req, sizeof req, netlink_answer, &f);
}

/*
 * strace remembers a socket's details from the first answer that had
 * some (endpoints, a peer or a name) and prints them from then on, even
 * after a UDP socket connects or a stream's peer is closed: the same here,
 * in a table indexed by inode (a newer socket on the same slot replaces
 * an older one).  The strings live until ptk exits.
 */
#define CACHE_SLOTS 1024
static struct {
	unsigned long ino;
	char *text;
} cache[CACHE_SLOTS];

bool fdinfo_socket(struct dbuf *out, const char *fdpath, const char *target, unsigned qflags)
{
	unsigned long ino;
	char end;
	if (sscanf(target, "socket:[%lu%c", &ino, &end) != 2 || end != ']')
		return false;
	unsigned slot = (unsigned)(ino % CACHE_SLOTS);
	if (cache[slot].text && cache[slot].ino == ino) {
		db_puts(out, cache[slot].text);
		return true;
	}
	char proto[64];
	ssize_t n = getxattr(fdpath, "system.sockprotoname", proto, sizeof proto - 1);
	if (n <= 0)
		return false;
	proto[n] = 0;
	size_t start = out->len;
	db_puts(out, proto);
	db_puts(out, ":[");
	size_t mark = out->len;
	bool ok = false;
	uint32_t i = (uint32_t)ino;
	if (strcmp(proto, "TCP") == 0)
		ok = inet_info(out, i, AF_INET, IPPROTO_TCP);
	else if (strcmp(proto, "TCPv6") == 0)
		ok = inet_info(out, i, AF_INET6, IPPROTO_TCP);
	else if (strcmp(proto, "UDP") == 0)
		ok = inet_info(out, i, AF_INET, IPPROTO_UDP);
	else if (strcmp(proto, "UDPv6") == 0)
		ok = inet_info(out, i, AF_INET6, IPPROTO_UDP);
	else if (strcmp(proto, "UNIX") == 0 || strcmp(proto, "UNIX-STREAM") == 0)
		ok = unix_info(out, i, qflags);
	else if (strcmp(proto, "NETLINK") == 0)
		ok = netlink_info(out, i);
	if (!ok) {
		out->len = mark;
		if (out->s)
			out->s[mark] = 0;
		db_printf(out, "%lu", ino);
	}
	db_putc(out, ']');
	if (ok && out->s) {
		char *text = strdup(out->s + start);
		if (text) {
			free(cache[slot].text);
			cache[slot].ino = ino;
			cache[slot].text = text;
		}
	}
	return true;
}

bool fdinfo_device(struct dbuf *out, const char *fdpath)
{
	struct stat st;
	if (stat(fdpath, &st) < 0 || !(S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)))
		return false;
	db_printf(out, "<%s %u:%u>", S_ISCHR(st.st_mode) ? "char" : "block", major(st.st_rdev),
	          minor(st.st_rdev));
	return true;
}
