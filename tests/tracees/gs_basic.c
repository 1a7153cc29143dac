/* SPDX-License-Identifier: MIT */
/*
 * The gdbserver tests' main subject (tests/gdbserver/), built with -g -O0 so that gdb
 * and lldb see its lines, locals and types.
 *
 *	gs_basic		sum the squares of 1..4, print a line, exit 3
 *	gs_basic spin		print "spinning PID", spin until a debugger sets `release`,
 *				print "released", exit 0
 *	gs_basic loop N		call step_target(i) N times, print "loops=N", exit 0
 *
 * Untraced output of the first form: "hello, gdb: sum=30 p=3,4".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct point {
	int x, y;
};

static const char greeting[] = "hello, gdb";
volatile int release;
volatile long spins;

static int square(int v)
{
	int r = v * v;
	return r;
}

static int sum_squares(int n)
{
	int total = 0;
	for (int i = 1; i <= n; i++)
		total += square(i);
	return total;
}

__attribute__((noinline)) static int step_target(long i)
{
	return (int)(i & 1);
}

int main(int argc, char **argv)
{
	struct point p = {3, 4};
	const char *msg = greeting;
	int n = 4;

	if (argc > 1 && strcmp(argv[1], "spin") == 0) {
		printf("spinning %d\n", (int)getpid());
		fflush(stdout);
		while (!release)
			spins++;
		printf("released\n");
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "loop") == 0) {
		long loops = atol(argv[2]), odd = 0;
		for (long i = 0; i < loops; i++)
			odd += step_target(i);
		printf("loops=%ld odd=%ld\n", loops, odd);
		return 0;
	}
	int s = sum_squares(n);
	printf("%s: sum=%d p=%d,%d\n", msg, s, p.x, p.y);
	return 3;
}
