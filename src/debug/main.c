/* SPDX-License-Identifier: MIT */
/* ptk debug: entry point. */
#include "../frontends.h"

void debug_usage(FILE *f)
{
	fprintf(f, "usage: ptk debug [options] PROG [ARGS...]\n"
	           "       ptk debug -p PID\n"
	           "(ptk debug is being built: see issue 4)\n");
}

int debug_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "ptk debug: not available in this build yet (issue 4)\n");
	return 2;
}
