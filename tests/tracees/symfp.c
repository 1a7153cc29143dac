/* SPDX-License-Identifier: MIT */
/*
 * Unwinding without CFI: built with -fno-asynchronous-unwind-tables
 * -fno-unwind-tables, without -g, and with frame pointers, so the only way
 * from fp_three back to main is the rbp chain.
 *
 *	symfp      main > fp_one > fp_two > fp_three > getppid()
 */
#include <stdio.h>
#include <unistd.h>

volatile int fp_sink;
int fp_one(int x);
int fp_two(int x);
int fp_three(int x);

__attribute__((noinline)) int fp_three(int x)
{
	fp_sink = (int)getppid();
	return fp_sink + x;
}

__attribute__((noinline)) int fp_two(int x)
{
	int r = fp_three(x + 1);
	return r + 1;
}

__attribute__((noinline)) int fp_one(int x)
{
	int r = fp_two(x + 1);
	return r + 1;
}

int main(void)
{
	int r = fp_one(1);
	printf("done %d\n", r & 1);
	return 0;
}
