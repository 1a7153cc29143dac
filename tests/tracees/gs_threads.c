/* SPDX-License-Identifier: MIT */
/*
 * gdbserver tests: N threads (default 4) each call worker_hit() ITER times (default
 * 200), released together by a barrier, so a breakpoint there is hit N*ITER times with
 * several threads at it at once.  Built with -g -O0.  Untraced output: "calls=800".
 *
 *	gs_threads [N [ITER]]
 *	gs_threads spin		one thread spins until a debugger sets `release`, another
 *				calls worker_hit(0) once and waits for it too; prints "released"
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_barrier_t bar;
static long iters = 200;
volatile int release;
volatile long spins;

__attribute__((noinline)) static void worker_hit(long i)
{
	__asm__ volatile("" ::: "memory");
	(void)i;
}

static void *run(void *arg)
{
	long *calls = arg;

	pthread_barrier_wait(&bar);
	for (long i = 0; i < iters; i++) {
		worker_hit(i);
		++*calls;
	}
	return NULL;
}

static void *spinner(void *arg)
{
	(void)arg;
	while (!release)
		spins++;
	return NULL;
}

static void *hitter(void *arg)
{
	(void)arg;
	worker_hit(0);
	while (!release)
		usleep(1000);
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 4;
	pthread_t th[64];
	long calls[64] = {0}, total = 0;

	if (argc > 1 && strcmp(argv[1], "spin") == 0) {
		pthread_t a, b;
		if (pthread_create(&a, NULL, spinner, NULL) != 0 ||
		    pthread_create(&b, NULL, hitter, NULL) != 0)
			return 99;
		pthread_join(a, NULL);
		pthread_join(b, NULL);
		printf("released\n");
		return 0;
	}
	if (argc > 2)
		iters = atol(argv[2]);
	if (n < 1 || n > 64)
		n = 4;
	pthread_barrier_init(&bar, NULL, (unsigned)n);
	for (int i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, run, &calls[i]) != 0)
			return 99;
	for (int i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
		total += calls[i];
	}
	printf("calls=%ld\n", total);
	return 0;
}
