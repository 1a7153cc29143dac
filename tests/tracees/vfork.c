/* SPDX-License-Identifier: MIT */
/*
 * Hard case: vfork(2), whose parent sleeps (uninterruptibly but for fatal
 * signals) until the child execs or exits, sharing its memory meanwhile.
 *
 *	vfork
 *
 * First a vfork child execs ./hello (next to this program) with "7 from
 * vfork", then a vfork child _exits with 5.  The parent reaps each and
 * prints its status.  Correct behaviour under a tracer that follows
 * children: a vfork event with the child's pid, the child's first stop
 * as a new tracee, its exec, vfork-done in the parent; never blocking on
 * the parent while the child runs.  Output and status as untraced:
 *	hello
 *	from vfork
 *	exec child exited 7
 *	exit child exited 5
 */
#include "tracee.h"

#include <libgen.h>
#include <sys/wait.h>

static void reap(pid_t pid, const char *what)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	if (WIFEXITED(st))
		say("%s child exited %d\n", what, WEXITSTATUS(st));
	else
		say("%s child status %#x\n", what, st);
}

int main(void)
{
	static char self[4096], hello[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n < 0)
		die("readlink");
	self[n] = 0;
	snprintf(hello, sizeof hello, "%s/hello", dirname(self));
	char *const av[] = {hello, "7", "from vfork", NULL};

	pid_t pid = vfork();
	if (pid < 0)
		die("vfork");
	if (pid == 0) {
		execv(hello, av);
		_exit(127);
	}
	reap(pid, "exec");

	pid = vfork();
	if (pid < 0)
		die("vfork");
	if (pid == 0)
		_exit(5);
	reap(pid, "exit");
	return 0;
}
