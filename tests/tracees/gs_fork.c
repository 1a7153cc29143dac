/* SPDX-License-Identifier: MIT */
/*
 * gdbserver tests: fork, and exec in the child.  Built with -g -O0.
 *
 *	gs_fork		fork; the child calls child_work(), then execs "gs_fork exec", which
 *			prints "exec'd" and exits 4; the parent prints "child exited 4", exits 0
 *	gs_fork vfork	the same with vfork (the child execs at once)
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) static void child_work(void)
{
	printf("in child\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int st = 0;
	pid_t pid;

	if (argc > 1 && strcmp(argv[1], "exec") == 0) {
		printf("exec'd\n");
		return 4;
	}
	fflush(stdout);
	if (argc > 1 && strcmp(argv[1], "vfork") == 0) {
		pid = vfork();
		if (pid == 0) {
			execl(argv[0], argv[0], "exec", (char *)NULL);
			_exit(127);
		}
	} else {
		pid = fork();
		if (pid == 0) {
			child_work();
			execl(argv[0], argv[0], "exec", (char *)NULL);
			_exit(127);
		}
	}
	if (pid < 0)
		return 99;
	waitpid(pid, &st, 0);
	printf("child exited %d\n", WEXITSTATUS(st));
	return 0;
}
