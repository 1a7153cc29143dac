/* SPDX-License-Identifier: MIT */
/*
 * The subject of the `ptk debug` shared-library tests, built with -g at
 * -O0 (dbg_solib_O0) and -O2 (dbg_solib_O2), linked with libdbg_lib.so
 * (dbg_lib.c, -g -O0): calls into the library (the first one through the
 * loader's lazy binding), and a callback from the library into the
 * program.  Prints "a=49 b=2401 c=11 calls=3" and exits 0.  Lines tagged
 * "L:name" are found by the tests.
 */
#include <stdio.h>

int dbglib_square(int x);
int dbglib_apply(int (*fn)(int), int v);
extern int dbglib_calls;

__attribute__((noipa)) static int twice(int v)
{
	return v * 2; /* L:twice */
}

int main(void)
{
	int a = dbglib_square(7);       /* L:call_square */
	int b = dbglib_square(a);       /* L:call_square2 */
	int c = dbglib_apply(twice, 5); /* L:call_apply */

	printf("a=%d b=%d c=%d calls=%d\n", a, b, c, dbglib_calls); /* L:print */
	return 0;
}
