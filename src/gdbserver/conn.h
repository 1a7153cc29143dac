/* SPDX-License-Identifier: MIT */
/* ptk gdbserver: where the client comes from (COMM), and the event loop of a connection. */
#ifndef PTK_GDBSERVER_CONN_H
#define PTK_GDBSERVER_CONN_H

#include "gs.h"

#include <stdbool.h>
#include <stddef.h>

struct gs_listener {
	bool stdio; /* COMM `-`: the client is our stdin/stdout */
	int fd;     /* listening socket, or -1 */
	bool unix_path;
	char path[108];  /* unix:PATH, to remove at exit */
	char where[160]; /* "127.0.0.1:2345", "unix:/tmp/s", "stdio" */
	bool loopback;
};

/*
 * Parse COMM and listen.  Returns 0, -EINVAL (COMM malformed; *msg says how), or -errno
 * of socket/bind/listen.
 */
int gs_listen(const char *comm, struct gs_listener *l, char *msg, size_t msglen);
/*
 * Accept one client: its descriptor, or -errno.  *peer describes it.  A terminating signal
 * on term_fd while waiting returns -EINTR with the signal in *ret_sig.  Meanwhile g's
 * libptk news is taken (a thread a detach released, stopping at last, is let go).
 */
int gs_accept(struct gs *g, struct gs_listener *l, char *peer, size_t peerlen, int term_fd,
              int *ret_sig);
void gs_listener_close(struct gs_listener *l);

/*
 * Serve one connection until it is over (the client went away, or the session ended):
 * returns 0, or the number of a terminating signal (SIGINT, SIGTERM, SIGHUP) that came.
 */
int gs_serve(struct gs *g, int in_fd, int out_fd, bool socket, int term_fd);

#endif
