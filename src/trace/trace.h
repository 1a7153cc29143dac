/* SPDX-License-Identifier: MIT */
/* ptk trace: shared state of the tracer front end. */
#ifndef PTK_TRACE_H
#define PTK_TRACE_H

#include <ptk/ptk.h>

#include <stdbool.h>
#include <stdio.h>

#define TRACE_MAX_PIDS 256

/* What the command line asked for (opts.c; pure, no process involved). */
struct trace_opts {
	bool follow;                /* -f */
	bool follow_files;          /* -ff: one output file per process (with -o) */
	const char *outfile;        /* -o FILE */
	pid_t pids[TRACE_MAX_PIDS]; /* -p PID... */
	int npids;
	char **argv; /* the program and its arguments, or NULL */
	bool help, version;
};

/*
 * Parse argv (after "trace").  Returns 0, or -1 with a one-line message in
 * err (without the "ptk trace: " prefix).
 */
int trace_opts_parse(int argc, char **argv, struct trace_opts *o, char *err, size_t errlen);

/* Per-thread state (a "tracee control block"). */
struct tcb {
	pid_t tid;
	pid_t pid;       /* its process */
	bool in_syscall; /* between enter and exit stops */
	long nr;         /* the syscall being executed */
	int arch;
	uint64_t args[6];
	FILE *out; /* -ff: its own file; else the shared one */
	int col;   /* column of the line being printed */
	struct tcb *hnext;
};

struct trace {
	struct trace_opts o;
	struct ptk_session *s;
	FILE *out;         /* shared output */
	struct tcb **tcbs; /* hash of tcbs by tid */
	size_t tcb_cap, ntcbs;
	struct tcb *line_owner; /* tcb whose line is left open ("name(args") */
	pid_t main_pid;         /* the spawned program: its status is ours */
	int exit_status;        /* 0..255, or 128+sig */
	int term_sig;           /* the main process was killed by this signal */
	bool exit_known;        /* the main process's end was seen */
	bool multi;             /* print [pid N] prefixes */
};

/* output.c */
struct tcb *tcb_get(struct trace *t, pid_t tid, pid_t pid);
void tcb_drop(struct trace *t, pid_t tid);
void out_begin(struct trace *t, struct tcb *c);
void out_printf(struct trace *t, struct tcb *c, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
void out_end_line(struct trace *t, struct tcb *c);
void out_unfinished_close(struct trace *t);
int out_open_files(struct trace *t, char *err, size_t errlen);
void out_close_all(struct trace *t);

/* decode.c */
void decode_enter(struct trace *t, struct tcb *c);
void decode_exit(struct trace *t, struct tcb *c, const struct ptk_syscall *sc);
void decode_signal(struct trace *t, struct tcb *c, const siginfo_t *si);
const char *sig_name(int sig, char *buf, size_t len);

#endif
