/* SPDX-License-Identifier: MIT */
/*
 * Hard case: several threads, each making a few system calls, joined.
 *
 *	threads [N]	(default 4)
 *
 * Each thread calls getppid three times and gettid once (raw syscalls, so
 * the sequence is exact) and exits; main joins them in order and prints
 * "thread I ok" for each whose getppid results were the process's parent
 * and whose tid was not the pid, then "threads=N", and exits 0.
 *
 * Correct behaviour under a tracer: each thread is reported as a new
 * thread, its getppid/gettid stops come in order and its death is
 * reported; output and status as untraced:
 *	thread 0 ok
 *	...
 *	thread 3 ok
 *	threads=4
 */
#include "tracee.h"

#include <pthread.h>
#include <sys/syscall.h>

struct slot {
	pthread_t th;
	long ppid[3];
	long tid;
};

static void *run(void *arg)
{
	struct slot *sl = arg;
	for (int i = 0; i < 3; i++)
		sl->ppid[i] = syscall(SYS_getppid);
	sl->tid = syscall(SYS_gettid);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 4;
	if (n < 1 || n > 4096)
		n = 4;
	struct slot *sl = calloc((size_t)n, sizeof *sl);
	if (!sl)
		die("calloc");
	long ppid = syscall(SYS_getppid);
	for (int i = 0; i < n; i++) {
		errno = pthread_create(&sl[i].th, NULL, run, &sl[i]);
		if (errno)
			die("pthread_create");
	}
	int ok = 0;
	for (int i = 0; i < n; i++) {
		pthread_join(sl[i].th, NULL);
		bool good = sl[i].tid > 0 && sl[i].tid != getpid();
		for (int k = 0; k < 3; k++)
			good = good && sl[i].ppid[k] == ppid;
		say("thread %d %s\n", i, good ? "ok" : "BAD");
		ok += good;
	}
	say("threads=%d\n", ok);
	free(sl);
	return ok == n ? 0 : 1;
}
