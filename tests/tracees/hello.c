/* SPDX-License-Identifier: MIT */
/*
 * Hard case: the simplest program, and the target of the exec cases.
 *
 *	hello [CODE [WORDS...]]
 *
 * Prints "hello" and each word on its own line, then exits with CODE
 * (default 0) through exit_group.  Correct behaviour under a tracer: the
 * same lines and the same status; exit_group has a syscall-enter-stop and
 * no syscall-exit-stop.
 */
#include "tracee.h"

int main(int argc, char **argv)
{
	say("hello\n");
	for (int i = 2; i < argc; i++)
		say("%s\n", argv[i]);
	return argc > 1 ? atoi(argv[1]) : 0;
}
