/* SPDX-License-Identifier: MIT */
/* ptk trace: shared state of the tracer front end. */
#ifndef PTK_TRACE_H
#define PTK_TRACE_H

#include <ptk/ptk.h>

#include <stdbool.h>
#include <stdio.h>

#include "decode.h"

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
	unsigned strsize;  /* -s N: string bytes printed (default 32) */
	int xflag;         /* -x 1, -xx 2: hex escapes */
	int yflag;         /* -y 1, -yy 2: paths (and socket details) of fds */
	bool verbose;      /* -v: unabbreviated structs and environments */
	int tflag;         /* -t 1, -tt 2, -ttt 3: time of day */
	bool relative;     /* -r: time since the previous line */
	bool syscall_time; /* -T: time spent in each syscall */
	bool print_nr;     /* -n: syscall numbers */
	int quiet;         /* -q 1, -qq 2: fewer status messages */
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
	int dec_state;           /* DEC_MORE: the decoder prints more at exit */
	int next_arg;            /* the argument the exit part starts with */
	struct dbuf line;        /* the argument text of the current syscall */
	size_t entry_len;        /* how much of it was printed at entry */
	uint32_t argoff[7];      /* where each argument's text starts in line */
	int ret;                 /* enum RET_* of the decoder */
	struct timespec t_enter; /* when the syscall was entered (-T) */
	FILE *out;               /* -ff: its own file; else the shared one */
	int col;                 /* column of the line being printed */
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
	struct timespec t_last; /* the previous line's time (-r) */
	struct dbuf aux;        /* scratch for decoders' after-return text */
};

/* output.c */
struct tcb *tcb_get(struct trace *t, pid_t tid, pid_t pid);
void tcb_drop(struct trace *t, pid_t tid);
void out_begin(struct trace *t, struct tcb *c);
void out_printf(struct trace *t, struct tcb *c, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
void out_write(struct tcb *c, const char *s, size_t n);
void out_end_line(struct trace *t, struct tcb *c);
void out_unfinished_close(struct trace *t);
int out_open_files(struct trace *t, char *err, size_t errlen);
void out_close_all(struct trace *t);

/* decode.c */
void decode_enter(struct trace *t, struct tcb *c);
void decode_exit(struct trace *t, struct tcb *c, const struct ptk_syscall *sc);
void decode_signal(struct trace *t, struct tcb *c, const siginfo_t *si);
const char *sig_name(int sig, char *buf, size_t len);
const char *syscall_name(int arch, long nr, char *buf, size_t len);

#endif
