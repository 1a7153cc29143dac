/* SPDX-License-Identifier: MIT */
/*
 * Hard case: breakpoints a tracer puts in the program (int3 over the first
 * byte of a function), hit by several threads at once and inherited by a
 * fork child (PITFALLS #20, #21).
 *
 *	bp_target			(fork mode)
 *	bp_target threads N ITER
 *
 * Both modes first make a marker syscall, getppid(0x7e10, &target), so a
 * tracer learns the address of target() from the syscall's arguments.
 *
 * fork mode: calls target(1..3) and prints the sum; forks a child that
 * calls target(10) and exits with its result; prints the child's status.
 * Untraced output:
 *	sum=15
 *	child exited 21
 * A fork child carries the parent's int3 bytes: a tracer must remove them
 * from the child, or a child it lets go dies of SIGTRAP.
 *
 * threads mode: N threads each call target ITER times (all released
 * together by a barrier); prints the total.  Untraced: "calls=N*ITER".
 * A tracer stepping one thread over the breakpoint must not let another
 * run through the restored instruction (every call is one hit).
 */
#include "tracee.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>

__attribute__((noinline)) static int target(int x)
{
	__asm__ volatile("" ::: "memory");
	return x * 2 + 1;
}

static pthread_barrier_t bar;
static long iters;

static void *run(void *arg)
{
	long *calls = arg;
	pthread_barrier_wait(&bar);
	for (long i = 0; i < iters; i++)
		*calls += target((int)i) > 0;
	return NULL;
}

int main(int argc, char **argv)
{
	syscall(SYS_getppid, 0x7e10L, (long)(uintptr_t)target);
	if (argc > 1 && strcmp(argv[1], "threads") == 0) {
		int n = argc > 2 ? atoi(argv[2]) : 4;
		iters = argc > 3 ? atol(argv[3]) : 100;
		if (n < 1 || n > 256)
			n = 4;
		pthread_t th[256];
		long calls[256] = {0};
		if ((errno = pthread_barrier_init(&bar, NULL, (unsigned)n)))
			die("pthread_barrier_init");
		for (int i = 0; i < n; i++)
			if ((errno = pthread_create(&th[i], NULL, run, &calls[i])))
				die("pthread_create");
		long total = 0;
		for (int i = 0; i < n; i++) {
			pthread_join(th[i], NULL);
			total += calls[i];
		}
		say("calls=%ld\n", total);
		return 0;
	}
	int sum = 0;
	for (int i = 1; i <= 3; i++)
		sum += target(i);
	say("sum=%d\n", sum);
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		_exit(target(10));
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	if (WIFEXITED(st))
		say("child exited %d\n", WEXITSTATUS(st));
	else
		say("child killed by %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	return 0;
}
