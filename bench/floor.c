/* SPDX-License-Identifier: MIT */
/*
 * The floor of a syscall tracer: PTRACE_SYSCALL + waitpid and nothing else
 * (no classification, no registers, no output).  bench/ measures ptk trace
 * against it; it is a yardstick, not part of ptk, so it calls ptrace(2)
 * itself.  Follows forks with -f.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int follow = argc > 1 && strcmp(argv[1], "-f") == 0;
	char **prog = argv + 1 + follow;
	if (!*prog) {
		fprintf(stderr, "usage: floor [-f] PROG [ARGS...]\n");
		return 2;
	}
	pid_t pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		execvp(prog[0], prog);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	/* TRACEEXEC: no legacy SIGTRAP after execve (it would be delivered and kill it). */
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACEEXEC;
	if (follow)
		opts |= PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE;
	ptrace(PTRACE_SETOPTIONS, pid, 0, opts);
	ptrace(PTRACE_SYSCALL, pid, 0, 0);
	int code = 0;
	for (;;) {
		pid_t p = waitpid(-1, &st, __WALL);
		if (p < 0)
			break;
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (p == pid)
				code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			continue;
		}
		int sig = WSTOPSIG(st);
		int deliver = (sig == (SIGTRAP | 0x80) || (st >> 16) || sig == SIGSTOP) ? 0 : sig;
		ptrace(PTRACE_SYSCALL, p, 0, deliver);
	}
	return code;
}
