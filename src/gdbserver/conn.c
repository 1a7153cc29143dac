/* SPDX-License-Identifier: MIT */
/*
 * Listening, accepting and the event loop of one connection.
 *
 * The loop waits in poll(2) on three things: the client's bytes, a signalfd for SIGCHLD
 * (a tracee stopped or died: libptk has news), and a signalfd for SIGINT/SIGTERM/SIGHUP.
 * Before each wait it takes every event libptk already has (ptk_wait with
 * PTK_WAIT_NOHANG), because a resume can leave one queued inside libptk without a new
 * SIGCHLD (a step over a breakpoint).  A ^C byte from the client arrives like any other
 * byte, so it is seen while the tracee runs.  Replies are written at once with Nagle off
 * (TCP_NODELAY): every round trip of a stepping client waits on them.
 */
#include "conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static bool is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		const uint8_t *a = in6->sin6_addr.s6_addr;
		static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
			return true;
		return memcmp(a, v4mapped, 12) == 0 && a[12] == 127;
	}
	return sa->sa_family == AF_UNIX;
}

static void describe(const struct sockaddr *sa, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
		port = ntohs(in->sin_port);
		snprintf(buf, len, "%s:%u", host, port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
		port = ntohs(in6->sin6_port);
		snprintf(buf, len, "[%s]:%u", host, port);
	} else {
		snprintf(buf, len, "a local socket");
	}
}

static int listen_unix(const char *path, struct gs_listener *l, char *msg, size_t msglen)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	if (!*path || strlen(path) >= sizeof sun.sun_path) {
		snprintf(msg, msglen, "the socket path must be 1 to %zu bytes long",
		         sizeof sun.sun_path - 1);
		return -EINVAL;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) < 0 || listen(fd, 1) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	l->fd = fd;
	l->unix_path = true;
	l->loopback = true;
	snprintf(l->path, sizeof l->path, "%s", path);
	snprintf(l->where, sizeof l->where, "unix:%s", path);
	return 0;
}

int gs_listen(const char *comm, struct gs_listener *l, char *msg, size_t msglen)
{
	char host[256];
	const char *colon, *port;
	struct addrinfo hints = {0}, *res = NULL;
	int r, err = -EADDRNOTAVAIL;
	char *end;

	memset(l, 0, sizeof *l);
	l->fd = -1;
	msg[0] = 0;
	if (strcmp(comm, "-") == 0) {
		l->stdio = true;
		l->loopback = true;
		snprintf(l->where, sizeof l->where, "stdin/stdout");
		return 0;
	}
	if (strncmp(comm, "unix:", 5) == 0)
		return listen_unix(comm + 5, l, msg, msglen);
	colon = strrchr(comm, ':');
	if (!colon) {
		snprintf(msg, msglen, "no port");
		return -EINVAL;
	}
	port = colon + 1;
	long pn = strtol(port, &end, 10);
	if (!*port || *end || pn < 0 || pn > 65535) {
		snprintf(msg, msglen, "'%s' is not a port number (0-65535)", port);
		return -EINVAL;
	}
	size_t hl = (size_t)(colon - comm);
	if (hl >= sizeof host) {
		snprintf(msg, msglen, "the host name is too long");
		return -EINVAL;
	}
	memcpy(host, comm, hl);
	host[hl] = 0;
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = 0;
	}
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
	r = getaddrinfo(*host ? host : "127.0.0.1", port, &hints, &res);
	if (r != 0) {
		snprintf(msg, msglen, "cannot resolve '%s': %s", host, gai_strerror(r));
		return -EINVAL;
	}
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		int one = 1,
		    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
		struct sockaddr_storage ss = {0}; /* getsockname fills it */
		socklen_t sl = sizeof ss;
		if (fd < 0) {
			err = -errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, a->ai_addr, a->ai_addrlen) < 0 || listen(fd, 1) < 0 ||
		    getsockname(fd, (struct sockaddr *)&ss, &sl) < 0) {
			err = -errno;
			close(fd);
			continue;
		}
		l->fd = fd;
		l->loopback = is_loopback((struct sockaddr *)&ss);
		describe((struct sockaddr *)&ss, l->where, sizeof l->where);
		break;
	}
	freeaddrinfo(res);
	return l->fd >= 0 ? 0 : err;
}

static void drain_sigfd(int fd, int *ret_sig);

int gs_accept(struct gs *g, struct gs_listener *l, char *peer, size_t peerlen, int term_fd,
              int *ret_sig)
{
	struct sockaddr_storage ss = {0}; /* accept4 fills it */
	socklen_t sl = sizeof ss;
	int fd, one = 1;

	for (;;) {
		struct pollfd pfd[3] = {{.fd = l->fd, .events = POLLIN},
		                        {.fd = term_fd, .events = POLLIN},
		                        {.fd = g->sigfd, .events = POLLIN}};
		gs_poll(g);
		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pfd[1].revents) {
			*ret_sig = 0;
			drain_sigfd(term_fd, ret_sig);
			if (*ret_sig)
				return -EINTR;
		}
		if (pfd[2].revents)
			drain_sigfd(g->sigfd, NULL);
		if (pfd[0].revents)
			break;
	}
	do
		fd = accept4(l->fd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -errno;
	describe((struct sockaddr *)&ss, peer, peerlen);
	if (ss.ss_family != AF_UNIX)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

void gs_listener_close(struct gs_listener *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	if (l->unix_path)
		unlink(l->path);
	l->unix_path = false;
}

struct out_ctx {
	int fd;
	bool socket;
};

static int write_all(void *arg, const void *p, size_t n)
{
	struct out_ctx *o = arg;
	const char *c = p;

	while (n > 0) {
		ssize_t w = o->socket ? send(o->fd, c, n, MSG_NOSIGNAL) : write(o->fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			struct pollfd pfd = {.fd = o->fd, .events = POLLOUT};
			poll(&pfd, 1, -1);
			continue;
		}
		if (w <= 0)
			return -errno;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

static void drain_sigfd(int fd, int *ret_sig)
{
	struct signalfd_siginfo si;

	while (read(fd, &si, sizeof si) == (ssize_t)sizeof si)
		if (ret_sig)
			*ret_sig = (int)si.ssi_signo;
}

int gs_serve(struct gs *g, int in_fd, int out_fd, bool socket, int term_fd)
{
	static char buf[65536];
	struct out_ctx o = {.fd = out_fd, .socket = socket};
	int fl = fcntl(in_fd, F_GETFL);

	if (fl >= 0)
		fcntl(in_fd, F_SETFL, fl | O_NONBLOCK);
	g->out_fn = write_all;
	g->out_arg = &o;
	g->conn_lost = false;
	for (;;) {
		struct pollfd pfd[3] = {
		        {.fd = in_fd, .events = POLLIN},
		        {.fd = g->sigfd, .events = POLLIN},
		        {.fd = term_fd, .events = POLLIN},
		};
		int sig = 0;

		gs_poll(g);
		if (gs_session_over(g))
			break;
		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[2].revents) {
			drain_sigfd(term_fd, &sig);
			if (sig) {
				g->out_fn = NULL;
				g->conn_lost = true;
				return sig;
			}
		}
		if (pfd[1].revents)
			drain_sigfd(g->sigfd, NULL);
		if (pfd[0].revents) {
			ssize_t n = read(in_fd, buf, sizeof buf);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (n <= 0)
				break; /* the client went away */
			gs_feed(g, buf, (size_t)n);
		}
	}
	g->out_fn = NULL;
	g->conn_lost = true;
	return 0;
}
