/* SPDX-License-Identifier: MIT */
/*
 * Hard case: SIGKILL while blocked in a system call.
 *
 *	block_read [pid]
 *
 * Prints "blocking" (and with "pid", its pid to stderr), then blocks in read(2) on
 * a pipe of its own that nobody writes; it never ends by itself.  The
 * test kills it with SIGKILL.  Correct behaviour under a tracer: a
 * syscall-enter-stop for read, no syscall-exit-stop, then the death by
 * SIGKILL; ptrace requests on the dead tracee fail with ESRCH, which is
 * not an error of the tracer.  The exit status is "killed by SIGKILL", as
 * untraced.
 */
#include "tracee.h"

int main(int argc, char **argv)
{
	int p[2];
	if (pipe(p) < 0)
		die("pipe");
	say("blocking\n");
	if (argc > 1 && strcmp(argv[1], "pid") == 0)
		say_fd(2, "pid %d\n", getpid());
	char c;
	ssize_t r = read(p[0], &c, 1);
	say("read returned %zd\n", r);
	return 1;
}
