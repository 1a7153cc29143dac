/* SPDX-License-Identifier: MIT */
/*
 * Hard case: a child created with CLONE_PTRACE by a traced process: the
 * kernel makes it a tracee of the same tracer, whether or not the tracer
 * asked to follow children.
 *
 *	clone_ptrace [show]
 *
 * Creates a fork-like child with the raw clone(2) syscall and flags
 * CLONE_PTRACE | SIGCHLD; the child prints "child ran" (with "show",
 * also its TracerPid, which is 0 once a non-following tracer has let it
 * go), makes a few getppid calls and exits 0; the parent reaps it.
 * Correct behaviour under a tracer that does not follow children: the
 * unexpected tracee is detached at its first stop and runs normally;
 * nothing is reported for it.  Output and status as untraced:
 *	child ran
 *	child exited 0
 */
#include "tracee.h"

#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

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

int main(int argc, char **argv)
{
	bool show = argc > 1 && strcmp(argv[1], "show") == 0;
	long pid = syscall(SYS_clone, CLONE_PTRACE | SIGCHLD, 0, 0, 0, 0);
	if (pid < 0)
		die("clone");
	if (pid == 0) {
		say("child ran\n");
		if (show)
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
