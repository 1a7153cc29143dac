/* SPDX-License-Identifier: MIT */
/*
 * The "threaded program" of the strace compatibility test
 * (tests/trace/test_compat.py): a fixed sequence of system calls in three
 * threads, made deterministic so that strace and ptk trace see the same one.
 *
 *	compat_threads
 *
 * Each worker writes "worker N\n" to stdout and a byte to a pipe, then
 * exits.  main reads the byte of worker N before it starts worker N+1, so
 * the threads are created, run and reported in a fixed order; it sleeps
 * 100 ms before each pthread_join so that the worker has finished exiting
 * (no FUTEX_WAIT that would depend on timing).  Prints "joined 2\n" last
 * and exits 0.
 */
#include "tracee.h"

#include <pthread.h>
#include <time.h>

static int pfd[2];

static void *worker(void *arg)
{
	long n = (long)arg;
	say("worker %ld\n", n);
	if (write(pfd[1], "x", 1) != 1)
		die("write");
	return NULL;
}

int main(void)
{
	if (pipe(pfd) < 0)
		die("pipe");
	long n;
	for (n = 0; n < 2; n++) {
		pthread_t th;
		char c;
		if (pthread_create(&th, NULL, worker, (void *)n) != 0)
			die("pthread_create");
		if (read(pfd[0], &c, 1) != 1)
			die("read");
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
		pthread_join(th, NULL);
	}
	say("joined %ld\n", n);
	return 0;
}
