/* SPDX-License-Identifier: MIT */
/*
 * The "loopback TCP server and client" of the strace compatibility test
 * (tests/trace/test_compat.py).
 *
 *	compat_tcp PORT
 *
 * The server (parent) listens on 127.0.0.1:PORT (SO_REUSEADDR, so that two
 * runs in a row can use the same port and print the same addresses), forks
 * the client, accepts its connection, reads "ping" and answers "pong",
 * then reaps the client.  The client connects, sends "ping", reads "pong"
 * and exits 0.  Every read blocks until its data is there, and SIGCHLD is
 * blocked (wait4 reaps the client whether it has exited yet or not, with
 * no signal whose stop could come before or after it), so the system calls
 * are the same in every run.  Prints "server got ping\nclient got
 * pong\n" (the client's line after the server's, ordered by the reply)
 * and exits 0.
 */
#include "tracee.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	int port = atoi(argv[1]);
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, NULL) < 0)
		die("sigprocmask");
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0)
		die("socket");
	int one = 1;
	if (setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
		die("setsockopt");
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(ls, (struct sockaddr *)&sa, sizeof sa) < 0)
		die("bind");
	if (listen(ls, 4) < 0)
		die("listen");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(ls);
		int s = socket(AF_INET, SOCK_STREAM, 0);
		if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof sa) < 0)
			die("connect");
		char buf[16];
		if (send(s, "ping", 4, 0) != 4)
			die("send");
		ssize_t n = recv(s, buf, sizeof buf, 0);
		if (n != 4)
			die("recv");
		say("client got %.4s\n", buf);
		close(s);
		_exit(0);
	}
	struct sockaddr_in peer;
	socklen_t plen = sizeof peer;
	int c = accept(ls, (struct sockaddr *)&peer, &plen);
	if (c < 0)
		die("accept");
	char buf[16];
	ssize_t n = read(c, buf, sizeof buf);
	if (n != 4)
		die("read");
	say("server got %.4s\n", buf);
	if (write(c, "pong", 4) != 4)
		die("write");
	int st;
	if (waitpid(pid, &st, 0) != pid)
		die("waitpid");
	close(c);
	close(ls);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
