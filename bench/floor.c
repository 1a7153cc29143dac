/* SPDX-License-Identifier: MIT */
/*
 * The floor of a syscall tracer: PTRACE_SYSCALL + waitpid and nothing else
 * (no classification, no registers, no output).  bench/ measures ptk trace
 * against it; it is a yardstick, not part of ptk, so it calls ptrace(2)
 * itself.  Follows forks with -f.  With -i, one PTRACE_GET_SYSCALL_INFO
 * per syscall stop as well: the least a tracer that prints the syscalls
 * must ask (their numbers and arguments, their return values).
 *
 *	floor [-f] [-i] PROG [ARGS...]
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
	int follow = 0, info = 0;
	char **prog = argv + 1;
	for (; *prog && (*prog)[0] == '-'; prog++) {
		if (strcmp(*prog, "-f") == 0)
			follow = 1;
		else if (strcmp(*prog, "-i") == 0)
			info = 1;
		else
			break;
	}
	(void)argc;
	if (!*prog) {
		fprintf(stderr, "usage: floor [-f] [-i] PROG [ARGS...]\n");
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
		if (info && sig == (SIGTRAP | 0x80)) {
			unsigned char buf[88]; /* struct ptrace_syscall_info */
			ptrace(0x420e /* PTRACE_GET_SYSCALL_INFO */, p, sizeof buf, buf);
		}
		int deliver = (sig == (SIGTRAP | 0x80) || (st >> 16) || sig == SIGSTOP) ? 0 : sig;
		ptrace(PTRACE_SYSCALL, p, 0, deliver);
	}
	return code;
}
