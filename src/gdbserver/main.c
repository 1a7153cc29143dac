/* SPDX-License-Identifier: MIT */
/* ptk gdbserver: entry point. */
#include "../frontends.h"

void gdbserver_usage(FILE *f)
{
	fprintf(f, "usage: ptk gdbserver [--once] [--multi] COMM PROG [ARGS...]\n"
	           "       ptk gdbserver [--once] COMM --attach PID\n"
	           "(ptk gdbserver is being built: see issue 5)\n");
}

int gdbserver_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "ptk gdbserver: not available in this build yet (issue 5)\n");
	return 2;
}
