/* SPDX-License-Identifier: MIT */
/*
 * Hard case: the target of attach and detach (a process someone else
 * started, which must run on as before once the tracer lets go).
 *
 *	answer [block|spin|epoll]
 *
 * Prints "ready", then answers each line read from stdin with "got
 * LINE"; the line "fork" makes it fork a child that exits 3 at once, reap
 * it and answer "forked 3"; end of input exits 0.  SIGUSR1 makes it print
 * "usr1" (handler with SA_RESTART).  "block" (default) sleeps in read(2)
 * (state S); "spin" polls a non-blocking stdin between busy loops (state
 * R); "epoll" waits in epoll_wait(2) with no timeout before each read, and
 * prints "EINTR" and exits 9 if that wait ever fails with EINTR (epoll_wait
 * is never restarted: a tracer's PTRACE_INTERRUPT would make it fail
 * unless the tracer restarts it).  Correct behaviour: after attach and detach the process state in
 * /proc is what it was, it still answers, a signal pending at detach is
 * delivered; with the tracer SIGKILLed it runs on.
 */
#include "tracee.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/wait.h>

static void on_usr1(int sig)
{
	(void)sig;
	ssize_t w = write(1, "usr1\n", 5);
	(void)w;
}

static volatile unsigned long spin_sink;

static void line(const char *l)
{
	if (strcmp(l, "fork") == 0) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(3);
		int st;
		while (waitpid(pid, &st, 0) < 0)
			if (errno != EINTR)
				die("waitpid");
		say("forked %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		return;
	}
	say("got %s\n", l);
}

int main(int argc, char **argv)
{
	bool spin = argc > 1 && strcmp(argv[1], "spin") == 0;
	bool use_epoll = argc > 1 && strcmp(argv[1], "epoll") == 0;
	int ep = -1;
	if (use_epoll) {
		struct epoll_event e = {.events = EPOLLIN};
		ep = epoll_create1(EPOLL_CLOEXEC);
		if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, 0, &e) < 0)
			die("epoll");
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGUSR1, &sa, NULL) < 0)
		die("sigaction");
	if (spin && fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK) < 0)
		die("fcntl");
	say("ready\n");
	char buf[256];
	size_t len = 0;
	for (;;) {
		if (use_epoll) {
			struct epoll_event e;
			int n = epoll_wait(ep, &e, 1, -1);
			if (n < 0 && errno == EINTR) {
				say("EINTR\n");
				return 9;
			}
			if (n < 0)
				die("epoll_wait");
		}
		ssize_t r = read(0, buf + len, sizeof buf - 1 - len);
		if (r < 0 && errno == EAGAIN) {
			for (unsigned long i = 0; i < 1000000; i++)
				spin_sink += i;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("read");
		if (r == 0)
			return 0;
		len += (size_t)r;
		buf[len] = 0;
		char *nl;
		while ((nl = strchr(buf, '\n'))) {
			*nl = 0;
			line(buf);
			len -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, len + 1);
		}
		if (len == sizeof buf - 1)
			len = 0;
	}
}
