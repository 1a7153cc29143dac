/* SPDX-License-Identifier: MIT */
/*
 * The second source file of symtest: a static function with the same
 * name as one in symtest.c (a name that resolves to two addresses) and a
 * line in another file.
 */
extern volatile int symtest_sink;
int other_entry(int x);

static __attribute__((noinline)) int helper(int x)
{
	symtest_sink = x + 1; /* L:other_helper */
	return symtest_sink * 2;
}

int other_entry(int x)
{
	return helper(x) + 1;
}
