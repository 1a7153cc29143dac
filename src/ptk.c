/* SPDX-License-Identifier: MIT */
/*
 * `ptk <command> [args]`: dispatch to a front end; --help, --version,
 * `ptk help COMMAND`.
 */
#include "frontends.h"

#include <ptk/ptk.h>

#include <stdio.h>
#include <string.h>

static const struct cmd {
	const char *name;
	int (*main)(int, char **);
	void (*usage)(FILE *);
	const char *summary;
} cmds[] = {
        {"trace", trace_main, trace_usage, "trace system calls and signals (like strace)"},
        {"debug", debug_main, debug_usage, "debug a program (gdb's commands)"},
        {"gdbserver", gdbserver_main, gdbserver_usage,
         "serve gdb and lldb over the remote protocol"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: ptk <command> [options] [args]\n"
	           "       ptk help <command>\n"
	           "       ptk --version\n\n"
	           "commands:\n");
	for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\nSee ptk(1) and ptk-<command>(1).\n");
}

static const struct cmd *find(const char *name)
{
	for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
		if (strcmp(cmds[i].name, name) == 0)
			return &cmds[i];
	return NULL;
}

static int unknown(const char *name)
{
	fprintf(stderr,
	        "ptk: unknown command '%s'; the commands are trace, debug and gdbserver (see `ptk "
	        "--help`)\n",
	        name);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *a = argv[1];
	if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
		printf("ptk %s (libptk %s)\n", PTK_VERSION_STRING, ptk_version());
		return 0;
	}
	if (strcmp(a, "help") == 0) {
		if (argc < 3) {
			usage(stdout);
			return 0;
		}
		const struct cmd *c = find(argv[2]);
		if (!c)
			return unknown(argv[2]);
		c->usage(stdout);
		return 0;
	}
	const struct cmd *c = find(a);
	if (!c)
		return unknown(a);
	return c->main(argc - 1, argv + 1);
}
