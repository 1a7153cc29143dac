/* SPDX-License-Identifier: MIT */
/* The front ends behind `ptk <command>`: each returns the process exit status. */
#ifndef PTK_FRONTENDS_H
#define PTK_FRONTENDS_H

#include <stdio.h>

int trace_main(int argc, char **argv);
void trace_usage(FILE *f);
int debug_main(int argc, char **argv);
void debug_usage(FILE *f);
int gdbserver_main(int argc, char **argv);
void gdbserver_usage(FILE *f);

#endif
