/* SPDX-License-Identifier: MIT */
/*
 * Hard case: a child created with CLONE_UNTRACED, which no tracer may
 * auto-attach (PTRACE_O_TRACEFORK and friends do not apply to it).
 *
 *	clone_untraced
 *
 * Creates a fork-like child with the raw clone(2) syscall and flags
 * CLONE_UNTRACED | SIGCHLD; the child prints the TracerPid line of its
 * /proc/self/status, makes a few getppid calls and exits 0; the parent
 * reaps it.  Correct behaviour under a tracer that follows children: no
 * fork/clone event and no stop for this child, which is never traced.
 * Output and status as untraced:
 *	child TracerPid: 0
 *	child exited 0
 */
#include "tracee.h"

#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* The "TracerPid:" value of /proc/self/status, or -1. */
static long tracer_pid(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	char line[256];
	long v = -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "TracerPid:", 10) == 0)
			v = strtol(line + 10, NULL, 10);
	fclose(f);
	return v;
}

int main(void)
{
	long pid = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
	if (pid < 0)
		die("clone");
	if (pid == 0) {
		say("child TracerPid: %ld\n", tracer_pid());
		for (int i = 0; i < 3; i++)
			syscall(SYS_getppid);
		_exit(0);
	}
	int st;
	while (waitpid((pid_t)pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	say("child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
