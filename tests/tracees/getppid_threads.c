/* SPDX-License-Identifier: MIT */
/*
 * Hard case: many threads looping on a cheap syscall (tracer fairness).
 *
 *	getppid_threads [THREADS [CALLS]]	(default 1000 and 20)
 *
 * Starts THREADS threads (small stacks) that all wait at a barrier, then
 * each calls getppid CALLS times (raw syscall) and checks every result.
 * main joins them and prints the totals.  Correct behaviour under a
 * tracer that stops every syscall: every thread makes progress while the
 * others loop (no thread is starved because another one is always ready
 * again first); all calls complete.  Output and status as untraced:
 *	threads=1000 calls=20000 bad=0
 */
#include "tracee.h"

#include <pthread.h>
#include <sys/syscall.h>

static pthread_barrier_t bar;
static long calls, ppid;
static long bad;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void *run(void *arg)
{
	(void)arg;
	long mine = 0;
	pthread_barrier_wait(&bar);
	for (long i = 0; i < calls; i++)
		mine += syscall(SYS_getppid) != ppid;
	pthread_mutex_lock(&mu);
	bad += mine;
	pthread_mutex_unlock(&mu);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	calls = argc > 2 ? atol(argv[2]) : 20;
	if (n < 1 || n > 10000)
		n = 1000;
	ppid = syscall(SYS_getppid);
	pthread_t *th = calloc((size_t)n, sizeof *th);
	if (!th)
		die("calloc");
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 64 * 1024);
	if ((errno = pthread_barrier_init(&bar, NULL, (unsigned)n + 1)))
		die("pthread_barrier_init");
	for (int i = 0; i < n; i++)
		if ((errno = pthread_create(&th[i], &at, run, NULL)))
			die("pthread_create");
	pthread_barrier_wait(&bar);
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	say("threads=%d calls=%ld bad=%ld\n", n, (long)n * calls, bad);
	return bad ? 1 : 0;
}
