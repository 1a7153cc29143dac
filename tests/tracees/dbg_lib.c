/* SPDX-License-Identifier: MIT */
/*
 * The shared library of the `ptk debug` tests, linked by dbg_solib: a
 * function with line information to step into from the program (through
 * its lazily bound PLT entry) and to finish out of, and one that calls
 * back into the program (a backtrace through the library).  Lines tagged
 * "L:name" are found by the tests.
 */
int dbglib_calls;

int dbglib_square(int x);
int dbglib_apply(int (*fn)(int), int v);

int dbglib_square(int x)
{
	int r = x * x; /* L:lib_square */
	dbglib_calls++;
	return r;
}

int dbglib_apply(int (*fn)(int), int v)
{
	int r = fn(v); /* L:lib_apply */
	dbglib_calls++;
	return r + 1;
}
