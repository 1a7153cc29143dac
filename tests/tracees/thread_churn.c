/* SPDX-License-Identifier: MIT */
/*
 * Hard case: attaching while threads are being created (PITFALLS #23).
 *
 *	thread_churn [N]
 *
 * N (default 8) worker threads each create a short-lived thread, join
 * it, and start again, forever; prints "ready" once all workers run.
 * Correct behaviour: when an attach with stop completes, every thread of
 * the process is traced (a thread cloned by a seized thread after the
 * last read of /proc/PID/task must not escape), whether or not the tracer
 * follows clones.
 */
#include "tracee.h"

#include <pthread.h>
#include <sys/syscall.h>

static void *leaf(void *arg)
{
	(void)arg;
	syscall(SYS_getppid);
	return NULL;
}

static void *worker(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_t t;
		if (pthread_create(&t, NULL, leaf, NULL) == 0)
			pthread_join(t, NULL);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 8;
	for (int i = 0; i < n; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, worker, NULL) != 0)
			die("pthread_create");
	}
	say("ready\n");
	for (;;)
		pause();
}
