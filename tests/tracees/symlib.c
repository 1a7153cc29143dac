/* SPDX-License-Identifier: MIT */
/*
 * A shared library that symtest dlopen()s: its symbols must appear in a
 * symbol table after a refresh at the loader's r_brk.
 */
#include <unistd.h>

volatile int symlib_sink;
int symlib_inner(int x);
int symlib_entry(int x);

__attribute__((noinline)) int symlib_inner(int x)
{
	symlib_sink = (int)getppid(); /* L:symlib_getppid */
	return symlib_sink + x;
}

int symlib_entry(int x)
{
	int r = symlib_inner(x);
	return r + 1;
}
