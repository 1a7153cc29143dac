/* SPDX-License-Identifier: MIT */
/* ptk trace: entry point (being written). */
#include "../frontends.h"

void trace_usage(FILE *f)
{
	fprintf(f, "usage: ptk trace [-f] [-o FILE] PROG [ARGS...]\n");
}

int trace_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 2;
}
