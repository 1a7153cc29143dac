/* SPDX-License-Identifier: MIT */
/*
 * Golden-test tracee of the net decoders (tests/trace/test_decode_net.py):
 * socket calls with specific arguments, each case a fixed sequence.
 *
 *	netcalls DIR PORT CASE...
 *
 * DIR is a directory for a Unix socket path, PORT a free TCP/UDP port on
 * 127.0.0.1 (PORT and PORT+1 are used).  Cases:
 *	addr	 bind/connect with the addresses of each family and length
 *		 (AF_UNIX path and abstract, AF_INET, AF_INET6 with and
 *		 without a scope, AF_NETLINK, AF_PACKET, AF_UNSPEC, an unknown
 *		 family, lengths 0, 1, 2, 8, -1, an unreadable address)
 *	sockopt	 setsockopt/getsockopt of ints, struct linger, timeval,
 *		 strings, short and unknown options and levels
 *	msg	 sendmsg/recvmsg with SCM_RIGHTS and SCM_CREDENTIALS on a
 *		 Unix datagram pair, sendmmsg/recvmmsg, UDP sendto/recvfrom
 *	tcp	 a loopback TCP connection: listen, connect, accept4,
 *		 getsockname, getpeername (with short and long lengths),
 *		 shutdown, a failing accept4
 *	netlink	 getaddrinfo with AI_ADDRCONFIG and if_nameindex (glibc's
 *		 RTM_GETADDR and RTM_GETLINK dumps)
 * Prints "CASE ok" for each case and exits 0.
 */
#include "tracee.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>

static const char *dir;
static int port;

static struct sockaddr_in lo4(int p)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)p)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static void c_addr(void)
{
	int u = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	char path[sizeof un.sun_path];
	snprintf(path, sizeof path, "%s/sock", dir);
	memcpy(un.sun_path, path, sizeof path);
	unlink(path);
	bind(u, (struct sockaddr *)&un, sizeof un);
	socklen_t l = sizeof un;
	getsockname(u, (struct sockaddr *)&un, &l);
	int ud = socket(AF_UNIX, SOCK_DGRAM, 0);
	memset(un.sun_path, 0, sizeof un.sun_path);
	memcpy(un.sun_path, "\0ptk-abstract\001x", 16);
	bind(ud, (struct sockaddr *)&un, offsetof(struct sockaddr_un, sun_path) + 16);
	syscall(SYS_connect, u, &un, 2);
	syscall(SYS_connect, u, &un, 3);

	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in in = lo4(9);
	syscall(SYS_connect, s, &in, 0);
	syscall(SYS_connect, s, &in, 1);
	syscall(SYS_connect, s, &in, 2);
	syscall(SYS_connect, s, &in, 8);
	syscall(SYS_connect, s, &in, -1);
	syscall(SYS_connect, s, (void *)8, 16);
	in = lo4(port);
	connect(s, (struct sockaddr *)&in, sizeof in);

	int s6 = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6,
	                           .sin6_port = htons(53),
	                           .sin6_flowinfo = htonl(7),
	                           .sin6_scope_id = 1};
	inet_pton(AF_INET6, "fe80::1", &in6.sin6_addr);
	connect(s6, (struct sockaddr *)&in6, sizeof in6);
	in6.sin6_scope_id = 0;
	inet_pton(AF_INET6, "::1", &in6.sin6_addr);
	connect(s6, (struct sockaddr *)&in6, sizeof in6);
	syscall(SYS_connect, s6, &in6, 24);
	struct sockaddr sa = {.sa_family = AF_UNSPEC};
	connect(s6, &sa, sizeof sa);

	int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	struct sockaddr_nl snl = {.nl_family = AF_NETLINK, .nl_groups = 5};
	bind(nl, (struct sockaddr *)&snl, sizeof snl);
	int pk = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	struct sockaddr_ll ll = {.sll_family = AF_PACKET,
	                         .sll_protocol = htons(ETH_P_IP),
	                         .sll_ifindex = 1,
	                         .sll_halen = 6,
	                         .sll_addr = {1, 2, 3, 4, 5, 6}};
	syscall(SYS_bind, pk, &ll, sizeof ll);
	struct sockaddr odd = {.sa_family = 46, .sa_data = "abc\001"};
	connect(s, &odd, sizeof odd);
	sa.sa_family = AF_APPLETALK;
	connect(s, &sa, sizeof sa);
	close(u), close(ud), close(s), close(s6), close(nl);
	if (pk >= 0)
		close(pk);
	unlink(path);
	say("addr ok\n");
}

static void c_sockopt(void)
{
	int s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	int one = 1, v;
	long long eight = 0x40000;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &eight, sizeof eight);
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &one, 2);
	struct linger lg = {1, 5};
	setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	struct timeval tv = {2, 500};
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(s, SOL_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(s, SOL_TCP, TCP_NODELAY, &eight, sizeof eight);
	setsockopt(s, SOL_IP, IP_TOS, &one, sizeof one);
	setsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3);
	setsockopt(s, SOL_SOCKET, 999, &eight, sizeof eight);
	setsockopt(s, 77, 1, &one, sizeof one);
	setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, NULL, 4);
	socklen_t l = sizeof v;
	getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &l);
	l = sizeof v;
	getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &l);
	l = 8;
	getsockopt(s, SOL_SOCKET, SO_REUSEADDR, &eight, &l);
	l = 2;
	getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, &l);
	l = sizeof lg;
	getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &l);
	l = sizeof tv;
	getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, &l);
	char name[16];
	l = sizeof name;
	getsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, name, &l);
	l = sizeof v;
	getsockopt(s, SOL_SOCKET, 999, &v, &l);
	getsockopt(s, SOL_SOCKET, SO_ERROR, NULL, NULL);
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	struct ucred cr;
	l = sizeof cr;
	getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &l);
	shutdown(s, SHUT_RDWR);
	close(s), close(sv[0]), close(sv[1]);
	say("sockopt ok\n");
}

static void c_msg(void)
{
	int sv[2];
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	int one = 1;
	setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
	union {
		char buf[CMSG_SPACE(2 * sizeof(int)) + CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} cb;
	memset(&cb, 0, sizeof cb);
	struct iovec iov[2] = {{"hello ", 6}, {"world", 5}};
	struct msghdr m = {.msg_iov = iov,
	                   .msg_iovlen = 2,
	                   .msg_control = cb.buf,
	                   .msg_controllen = sizeof cb};
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(2 * sizeof(int));
	int fds[2] = {0, 1};
	memcpy(CMSG_DATA(c), fds, sizeof fds);
	c = CMSG_NXTHDR(&m, c);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = CMSG_LEN(sizeof(struct ucred));
	struct ucred uc = {getpid(), getuid(), getgid()};
	memcpy(CMSG_DATA(c), &uc, sizeof uc);
	sendmsg(sv[0], &m, 0);
	char rb[4], rb2[100];
	union {
		char buf[256];
		struct cmsghdr align;
	} rc;
	struct iovec riov[2] = {{rb, sizeof rb}, {rb2, sizeof rb2}};
	struct sockaddr_un from;
	struct msghdr r = {.msg_name = &from,
	                   .msg_namelen = sizeof from,
	                   .msg_iov = riov,
	                   .msg_iovlen = 2,
	                   .msg_control = rc.buf,
	                   .msg_controllen = sizeof rc};
	recvmsg(sv[1], &r, MSG_CMSG_CLOEXEC);
	r.msg_namelen = sizeof from;
	recvmsg(sv[1], &r, MSG_DONTWAIT);
	struct mmsghdr mm[2] = {{.msg_hdr = {.msg_iov = iov, .msg_iovlen = 1}},
	                        {.msg_hdr = {.msg_iov = iov + 1, .msg_iovlen = 1}}};
	sendmmsg(sv[0], mm, 2, 0);
	char a1[10], a2[10];
	struct iovec ri1 = {a1, sizeof a1}, ri2 = {a2, sizeof a2};
	struct mmsghdr rm[3] = {{.msg_hdr = {.msg_iov = &ri1, .msg_iovlen = 1}},
	                        {.msg_hdr = {.msg_iov = &ri2, .msg_iovlen = 1}}};
	recvmmsg(sv[1], rm, 3, MSG_DONTWAIT, NULL);
	recvmmsg(sv[1], rm, 3, MSG_DONTWAIT, NULL);

	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = lo4(port + 1), f;
	bind(u, (struct sockaddr *)&a, sizeof a);
	sendto(u, "ping", 4, 0, (struct sockaddr *)&a, sizeof a);
	socklen_t fl = sizeof f;
	char b[16];
	recvfrom(u, b, sizeof b, 0, (struct sockaddr *)&f, &fl);
	recvfrom(u, b, sizeof b, MSG_DONTWAIT, (struct sockaddr *)&f, &fl);
	struct msghdr s = {
	        .msg_name = &a, .msg_namelen = sizeof a, .msg_iov = iov, .msg_iovlen = 1};
	sendmsg(u, &s, 0);
	struct sockaddr_in6 f6;
	r.msg_name = &f6;
	r.msg_namelen = sizeof f6;
	r.msg_control = NULL;
	r.msg_controllen = 0;
	recvmsg(u, &r, 0);
	close(sv[0]), close(sv[1]), close(u);
	say("msg ok\n");
}

static void c_tcp(void)
{
	int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = lo4(port), p;
	bind(ls, (struct sockaddr *)&a, sizeof a);
	listen(ls, 8);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in ca = lo4(port + 1);
	setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	bind(c, (struct sockaddr *)&ca, sizeof ca);
	connect(c, (struct sockaddr *)&a, sizeof a);
	socklen_t l = sizeof p;
	int s = accept4(ls, (struct sockaddr *)&p, &l, SOCK_CLOEXEC);
	struct sockaddr_in6 big;
	l = sizeof big;
	getsockname(s, (struct sockaddr *)&big, &l);
	l = 4;
	getpeername(s, (struct sockaddr *)&big, &l);
	l = sizeof p;
	getpeername(c, (struct sockaddr *)&p, &l);
	shutdown(c, SHUT_WR);
	char b[8];
	recvfrom(s, b, sizeof b, 0, NULL, NULL);
	int fl = fcntl(ls, F_GETFL);
	fcntl(ls, F_SETFL, fl | O_NONBLOCK);
	l = sizeof p;
	accept4(ls, (struct sockaddr *)&p, &l, SOCK_NONBLOCK | SOCK_CLOEXEC);
	accept4(ls, NULL, NULL, 0);
	close(s), close(c), close(ls);
	say("tcp ok\n");
}

static void c_netlink(void)
{
	struct addrinfo h = {.ai_flags = AI_ADDRCONFIG, .ai_socktype = SOCK_STREAM}, *r = NULL;
	if (getaddrinfo("127.0.0.1", "80", &h, &r) == 0)
		freeaddrinfo(r);
	struct if_nameindex *ni = if_nameindex();
	if (ni)
		if_freenameindex(ni);
	say("netlink ok\n");
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	dir = argv[1];
	port = atoi(argv[2]);
	for (int i = 3; i < argc; i++) {
		if (strcmp(argv[i], "addr") == 0)
			c_addr();
		else if (strcmp(argv[i], "sockopt") == 0)
			c_sockopt();
		else if (strcmp(argv[i], "msg") == 0)
			c_msg();
		else if (strcmp(argv[i], "tcp") == 0)
			c_tcp();
		else if (strcmp(argv[i], "netlink") == 0)
			c_netlink();
		else
			return 2;
	}
	return 0;
}
