/* SPDX-License-Identifier: MIT */
/*
 * Hard case: a tracee that is itself a tracer (nested ptrace).
 *
 *	nested
 *
 * Forks a child that calls PTRACE_TRACEME, stops itself with SIGSTOP,
 * then makes one getpid and exit_group(0) (raw syscalls).  The parent
 * waits for the stop and resumes the child with PTRACE_SYSCALL, counting
 * syscall stops until the child exits.  Untraced, or under a tracer that
 * does not follow children:
 *	child stopped by 19
 *	syscall stops=3
 *	child exited 0
 * (getpid enter and exit, exit_group enter).  Under a tracer that follows
 * children the child is already traced, PTRACE_TRACEME fails with EPERM
 * (inherent), and the output is:
 *	child: PTRACE_TRACEME: EPERM
 *	child exited 3 without stopping
 * Either way nothing hangs.
 */
#include "tracee.h"

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>

int main(void)
{
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0) {
			say("child: PTRACE_TRACEME: %s\n", errname(errno));
			_exit(3);
		}
		syscall(SYS_kill, getpid(), SIGSTOP);
		syscall(SYS_getpid);
		syscall(SYS_exit_group, 0);
		_exit(1);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	if (WIFEXITED(st)) {
		say("child exited %d without stopping\n", WEXITSTATUS(st));
		return 0;
	}
	say("child stopped by %d\n", WIFSTOPPED(st) ? WSTOPSIG(st) : -1);
	int stops = 0;
	for (;;) {
		if (ptrace(PTRACE_SYSCALL, pid, NULL, NULL) < 0)
			die("PTRACE_SYSCALL");
		while (waitpid(pid, &st, 0) < 0)
			if (errno != EINTR)
				die("waitpid");
		if (!WIFSTOPPED(st))
			break;
		stops += WSTOPSIG(st) == SIGTRAP;
	}
	say("syscall stops=%d\n", stops);
	if (WIFEXITED(st))
		say("child exited %d\n", WEXITSTATUS(st));
	else
		say("child status %#x\n", st);
	return 0;
}
