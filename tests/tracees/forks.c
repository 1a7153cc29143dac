/* SPDX-License-Identifier: MIT */
/*
 * Hard case: many short-lived children (fork-then-exit races: a child's
 * first stop may reach the tracer before its parent's fork event, and a
 * child may be dead before the tracer hears of it).
 *
 *	forks [N]	(default 1000)
 *
 * Forks N children; child i exits at once with status i % 8.  The parent
 * forks them all first, then reaps every one and prints the count and the
 * sum of the statuses.  Correct behaviour under a tracer that follows
 * children: every child is accounted for (a fork event, a first stop, an
 * exit with its status); nothing hangs.  Output and status as untraced:
 *	forked=1000 reaped=1000 sum=3500
 */
#include "tracee.h"

#include <sys/wait.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	int forked = 0, reaped = 0;
	long sum = 0;
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(i % 8);
		forked++;
	}
	for (;;) {
		int st;
		pid_t pid = wait(&st);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			die("wait");
		}
		reaped++;
		sum += WIFEXITED(st) ? WEXITSTATUS(st) : 1000;
	}
	say("forked=%d reaped=%d sum=%ld\n", forked, reaped, sum);
	return 0;
}
