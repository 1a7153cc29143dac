/* SPDX-License-Identifier: MIT */
/* ptk trace: shared state of the tracer front end. */
#ifndef PTK_TRACE_H
#define PTK_TRACE_H

#include <ptk/ptk.h>

#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "decode.h"

#define TRACE_MAX_PIDS   256
#define TRACE_MAX_PATHS  64
#define TRACE_MAX_ENV    256
#define TRACE_MAX_INJECT 32

/* ---- syscall sets (expr.c) ---- */

/* The ABIs a set distinguishes (strace's personalities): @64, @32, @x32. */
enum { ABI_64, ABI_32, ABI_X32, ABI_N };
#define SC_BITS 1024 /* syscall numbers per ABI a set holds */

struct sc_set {
	uint64_t w[ABI_N][SC_BITS / 64];
	bool rest; /* numbers beyond the tables (printed as syscall_0x...) */
};

/* The set index of an enum ptk_arch. */
static inline int abi_of_arch(int arch)
{
	return arch == PTK_ARCH_I386 ? ABI_32 : arch == PTK_ARCH_X32 ? ABI_X32 : ABI_64;
}

static inline bool sc_set_has(const struct sc_set *s, int abi, long nr)
{
	if (nr < 0 || nr >= SC_BITS)
		return s->rest;
	return (s->w[abi][nr / 64] >> (nr % 64)) & 1;
}

static inline void sc_set_add(struct sc_set *s, int abi, long nr)
{
	if (nr >= 0 && nr < SC_BITS)
		s->w[abi][nr / 64] |= 1ull << (nr % 64);
}

/* -e status=: what happened to a syscall. */
enum {
	ST_SUCCESSFUL = 1,
	ST_FAILED = 2,
	ST_UNFINISHED = 4,
	ST_UNAVAILABLE = 8,
	ST_DETACHED = 16,
	ST_ALL = 31
};

/* -e quiet=: the informational messages that can be silenced. */
enum { Q_ATTACH = 1, Q_EXIT = 2, Q_PATH = 4, Q_PERSONALITY = 8, Q_SUPERSEDED = 16, Q_ALL = 31 };

/* -e inject= / -e fault=: one tampering specification. */
enum {
	INJ_ERROR = 1,
	INJ_RETVAL = 2,
	INJ_SIGNAL = 4,
	INJ_SYSCALL = 8,
	INJ_DELAY_ENTER = 16,
	INJ_DELAY_EXIT = 32,
};
struct inject_spec {
	unsigned what;  /* INJ_* */
	int error;      /* 1..4095 */
	int64_t retval; /* INJ_RETVAL */
	int signo;      /* INJ_SIGNAL */
	long syscall;   /* INJ_SYSCALL: x86_64 number of a %pure syscall run instead */
	uint64_t delay_enter_ns, delay_exit_ns;
	uint32_t first, last, step; /* when=FIRST..LAST+STEP (1-based invocations) */
};

/* -S: the summary's sort order. */
enum { SORT_TIME, SORT_MIN, SORT_MAX, SORT_AVG, SORT_CALLS, SORT_ERRORS, SORT_NAME, SORT_NONE };
/* -U: the summary's columns. */
enum { COL_PERCENT, COL_TOTAL, COL_MIN, COL_MAX, COL_AVG, COL_CALLS, COL_ERRORS, COL_NAME };
#define MAX_COLUMNS 8

/* What the command line asked for (opts.c, expr.c; pure, no process involved). */
struct trace_opts {
	bool follow;                /* -f */
	bool follow_files;          /* -ff: one output file per process (with -o) */
	const char *outfile;        /* -o FILE ("|cmd" or "!cmd": a pipe) */
	bool append;                /* -A */
	pid_t pids[TRACE_MAX_PIDS]; /* -p PID... */
	int npids;
	char **argv; /* the program and its arguments, or NULL */
	bool help, version;
	unsigned strsize;   /* -s N: string bytes printed (default 32) */
	int xflag;          /* -x 1, -xx 2: hex escapes */
	int yflag;          /* -y 1, -yy 2: paths (and socket details) of fds */
	bool verbose;       /* -v: unabbreviated structs and environments */
	int tflag;          /* -t: 0 none, 1 time of day, 2 seconds since the epoch */
	int tprec;          /* digits after the second of -t (0, 3, 6, 9) */
	bool relative;      /* -r: time since the previous line */
	int rprec;          /* its digits (6) */
	bool syscall_time;  /* read by decode.c: always false, -T is stimes below */
	bool stimes;        /* -T: time spent in each syscall */
	int Tprec;          /* its digits (6) */
	bool print_nr;      /* read by decode.c: always false, -n is nflag below */
	bool nflag;         /* -n: syscall numbers */
	bool iflag;         /* -i: instruction pointer */
	int quiet;          /* -q 1, -qq 2, -qqq 3 */
	unsigned quiet_set; /* Q_* after defaults */
	bool quiet_given;   /* -q or -e quiet= seen */

	struct sc_set trace;                /* -e trace= */
	bool trace_all;                     /* trace is every syscall */
	uint64_t signals[2];                /* -e signal=: bit n for signal n (0..127) */
	unsigned status;                    /* -e status=, -z, -Z: ST_* */
	const char *paths[TRACE_MAX_PATHS]; /* -P */
	int npaths;

	int summary;              /* -c 1, -C 2 */
	int sortby;               /* -S */
	int columns[MAX_COLUMNS]; /* -U */
	int ncolumns;
	bool wall;            /* -w */
	uint64_t overhead_ns; /* -O */

	const char *env[TRACE_MAX_ENV]; /* -E VAR=VAL or VAR, in order */
	int nenv;
	const char *user;      /* -u */
	bool detach_on_execve; /* -b execve */
	int daemonize;         /* -D 1, -DD 2, -DDD 3 */
	int interruptible;     /* -I 1..4; 0: default */
	bool debug;            /* -d */
	bool seccomp_bpf;      /* --seccomp-bpf (the default anyway) */
	bool no_seccomp;       /* --no-seccomp-bpf */
	bool json;             /* --json */
	const char *timeline;  /* --timeline FILE */
	bool stops;            /* --stops */
	bool stack_traces;     /* -k */

	struct inject_spec inj[TRACE_MAX_INJECT]; /* -e inject=, -e fault= */
	int ninj;
	uint8_t inj_of[ABI_N][SC_BITS]; /* 1 + index into inj, 0: none */
	struct sc_set inj_set;          /* every syscall some spec tampers with */
};

/*
 * Parse argv (after "trace").  Returns 0, or -1 with a one-line message in
 * err (without the "ptk trace: " prefix).
 */
int trace_opts_parse(int argc, char **argv, struct trace_opts *o, char *err, size_t errlen);

/* opts_values.c */
int opts_sort_key(const char *v);
int opts_parse_columns(struct trace_opts *o, const char *val, char *err, size_t errlen);
int opts_parse_tstamp(struct trace_opts *o, const char *val, char *err, size_t errlen);

/* expr.c: the -e qualifiers and the values of the options that share them. */
int expr_parse(struct trace_opts *o, const char *expr, char *err, size_t errlen);
int expr_qualifier(struct trace_opts *o, const char *qual, const char *val, char *err,
                   size_t errlen);
int expr_syscall_set(const char *spec, struct sc_set *set, char *err, size_t errlen);
int expr_signal_set(const char *spec, uint64_t set[2], char *err, size_t errlen);
int expr_status_set(const char *spec, unsigned *ret, char *err, size_t errlen);
int expr_quiet_set(const char *spec, unsigned *ret, char *err, size_t errlen);
/* expr_inject.c: -e inject=VAL (fault false) or -e fault=VAL. */
int expr_inject(struct trace_opts *o, const char *val, bool fault, char *err, size_t errlen);
/* A time: "100" (microseconds), "1.5ms", "2s", "10ns".  -1 if malformed. */
int64_t expr_time_ns(const char *s);
/* Digits of a precision name: "s" 0, "ms" 3, "us" 6, "ns" 9; -1 otherwise. */
int expr_precision(const char *s);
/* Up to three known syscall names closest to name (edit distance), as
 * "getppid, getpid"; "" when none is close. */
void expr_suggest(const char *name, char *buf, size_t len);

/* ---- the tracer's state ---- */

/* Where the text of a tcb's current line goes (output.c). */
enum {
	SINK_STREAM, /* written as it comes; other lines make it <unfinished ...> */
	SINK_HOLD,   /* kept until the line ends, then written or dropped (-e status) */
	SINK_DROP,   /* not printed (-c, an unprinted tracee) */
	SINK_CAPTURE /* kept in obuf for --json */
};

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
	struct timespec t_enter; /* when the syscall was entered (monotonic) */
	FILE *out;               /* -ff: its own file; else the shared one */
	int col;                 /* column of the line being printed */
	struct tcb *hnext;

	/* The tracer's own (output.c, main.c). */
	struct dbuf obuf;     /* text of the current line not yet written */
	uint8_t sink;         /* SINK_* of the current line */
	bool keep;            /* SINK_HOLD: write the line when it ends */
	bool visible;         /* printed (else followed only to keep it traced) */
	bool filtered;        /* ptk's seccomp filter decides its stops */
	bool under_filter;    /* it runs under ptk's filter (even if no longer filtered) */
	bool want_exit;       /* resume with PTK_RESUME_SYSCALL to see the exit */
	bool printing;        /* the current syscall is printed */
	bool counting;        /* the current syscall is counted by -c */
	bool hide_until_exec; /* -D: the tracee runs ptk's code until execve */
	bool untraced_clone;  /* clone with CLONE_UNTRACED: ptk follows it */
	bool restore_clone;   /* clone flags to restore at the exit stop */
	uint64_t clone_flags; /* their original value */
	uint8_t tamper;       /* TAMPER_* (the suffix of the line) */
	bool inj_ret_pending; /* a return value to set at the exit stop */
	int64_t inj_ret;
	int64_t delay_ns;      /* hold the tracee this long before resuming it */
	int64_t delay_exit_ns; /* ... and this long at the exit stop */
	uint32_t *inj_count;   /* invocations per tampered syscall */
	uint64_t ip;           /* -i */
	bool ip_valid;
	int64_t wall_enter; /* realtime ns at entry (--json, --timeline) */
	int64_t mono_enter; /* monotonic ns at entry */
	uint64_t cpu_enter; /* -c: the thread's CPU time at entry */
	int schedstat_fd;   /* -c: 1 + its /proc/TID/schedstat descriptor, 0: none */
	char suffix[64];    /* printed before the newline: (INJECTED) <0.000012> */
	int last_nr;        /* -n on lines that are not syscalls */
	bool sticky_check;  /* the syscall may install the tracee's own seccomp filter */
	struct dbuf stack;  /* -k: the frames of the current syscall, printed after its line */
	bool stack_at_exit; /* -k: take them at the exit stop (the program's first execve) */
};

struct delay; /* inject.c */
enum { TAMPER_INJECTED = 1, TAMPER_DELAYED = 2 };

struct trace {
	struct trace_opts o;
	struct ptk_session *s;
	FILE *out;         /* shared output */
	bool out_pipe;     /* -o |cmd */
	bool live;         /* flush partial lines after every event (stderr) */
	struct tcb **tcbs; /* hash of tcbs by tid */
	size_t tcb_cap, ntcbs;
	size_t nvisible;          /* printed tcbs (the [pid N] prefix rule) */
	struct tcb *line_owner;   /* what decode_exit sees as the open line */
	struct tcb *stream_owner; /* tcb whose line is left open in the stream ("name(args") */
	bool pid_prefix_file;     /* -o FILE with -f or several tracees: "PID  " prefixes */
	pid_t main_pid;           /* the spawned program: its status is ours */
	int exit_status;          /* 0..255, or 128+sig */
	int term_sig;             /* the main process was killed by this signal */
	bool exit_known;          /* the main process's end was seen */
	struct timespec t_last;   /* the previous line's time (-r) */
	struct dbuf aux;          /* scratch for decoders' after-return text */

	bool seccomp;           /* the spawned program runs under ptk's filter */
	bool skip_first_exec;   /* -b execve: the program's own execve is not a detach */
	bool status_filter;     /* -e status is not all: lines are held */
	bool shutting_down;     /* a signal asked ptk to stop */
	int64_t grace_end;      /* monotonic ns when spawned tracees are killed */
	struct delay *delays;   /* tracees held back by delay_enter/delay_exit */
	int64_t t0;             /* monotonic ns at start (--timeline) */
	struct summary *sum;    /* -c */
	struct timeline *tl;    /* --timeline */
	uint64_t nsyscalls;     /* traced syscalls seen (the cost footer) */
	bool want_syscalls;     /* some syscall is traced, tampered or watched */
	bool nested_hint;       /* the PTRACE_TRACEME hint was given */
	bool timer_dirty;       /* delays or the grace period changed: re-arm the timer */
	struct ptk_stats stats; /* the session's cost, taken before it ends */
	sigset_t orig_mask;     /* the signal mask ptk started with (the program's) */
	sigset_t orig_ignored;  /* the signals ptk started with ignored (the program's) */
	pid_t daemon_target;    /* -D: the program, attached by this tracer */
	int daemon_fd;          /* -D: the pipe that lets it run */
	char *paths_resolved[TRACE_MAX_PATHS]; /* -P targets of symlinks */
	int npaths_resolved;
	uint16_t *inj_slot; /* (abi, nr) -> index of its invocation counter */
	unsigned ninj_slots;
	struct stack_proc *stack_procs; /* -k: symbol tables and maps per process */
	bool stack_skip_exec;           /* -k: the program's first execve runs ptk's code */
};

/* output.c */
struct tcb *tcb_get(struct trace *t, pid_t tid, pid_t pid);
struct tcb *tcb_find(struct trace *t, pid_t tid);
void tcb_drop(struct trace *t, pid_t tid);
void tcb_rekey(struct trace *t, struct tcb *c, pid_t tid);
void tcb_set_visible(struct trace *t, struct tcb *c, bool v);
void out_begin(struct trace *t, struct tcb *c);
void out_printf(struct trace *t, struct tcb *c, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
void out_write(struct tcb *c, const char *s, size_t n);
void out_end_line(struct trace *t, struct tcb *c);
void out_unfinished_close(struct trace *t);
void out_detached(struct trace *t, struct tcb *c);
void out_pid_changed(struct trace *t, struct tcb *c, struct tcb *leader, pid_t tid);
void out_flush_partial(struct trace *t);
void out_raw_line(struct trace *t, FILE *f, const char *s, size_t n);
FILE *out_file(struct trace *t, struct tcb *c);
void fmt_secs(char *buf, size_t len, int64_t ns, int prec);
int out_open_files(struct trace *t, char *err, size_t errlen);
void out_close_all(struct trace *t);
/* A status message on stderr ("ptk trace: Process N attached"). */
void trace_msg(struct trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* decode.c (the decoder engineers') */
void decode_enter(struct trace *t, struct tcb *c);
void decode_exit(struct trace *t, struct tcb *c, const struct ptk_syscall *sc);
void decode_signal(struct trace *t, struct tcb *c, const siginfo_t *si);
const char *sig_name(int sig, char *buf, size_t len);
const char *syscall_name(int arch, long nr, char *buf, size_t len);

/* filter.c */
bool filter_traced(const struct trace *t, int arch, long nr);
bool filter_path_match(struct trace *t, struct tcb *c);
bool filter_signal(const struct trace *t, int sig);
int filter_seccomp_set(const struct trace *t, uint8_t *set, size_t nbits);
bool filter_is_seccomp_install(int arch, long nr, const uint64_t *args);
void filter_resolve_paths(struct trace *t);
void filter_free(struct trace *t);
/* Bitmasks of a syscall's path arguments and fd arguments (from the table row). */
void filter_arg_kinds(int arch, long nr, unsigned *ret_path, unsigned *ret_fd);

/* inject.c */
void inject_enter(struct trace *t, struct tcb *c);
bool inject_needs_exit(const struct tcb *c);
void inject_exit(struct trace *t, struct tcb *c, struct ptk_syscall *sc);
/* Hold tid back until ns (monotonic), then resume it with mode. */
void delay_add(struct trace *t, pid_t tid, int64_t until_ns, int mode);
/* Resume the tracees whose delay is over; returns the next deadline or 0. */
int64_t delay_run(struct trace *t, int64_t now);
void delay_forget(struct trace *t, pid_t tid);
void delay_free(struct trace *t);

/* start.c */
int start_tracees(struct trace *t, char *err, size_t errlen);
int start_daemonized(struct trace *t, char *err, size_t errlen);
void start_daemon_go(struct trace *t, bool ok);

/* summary.c */
int summary_new(struct trace *t);
void summary_count(struct trace *t, struct tcb *c, const struct ptk_syscall *sc);
void summary_enter(struct trace *t, struct tcb *c);
void summary_forget(struct tcb *c); /* a tcb goes: close what it keeps open */
void summary_print(struct trace *t, FILE *f);
void summary_free(struct trace *t);
void cost_footer(const struct trace *t, FILE *f, const char *prefix);

/* json.c */
void json_syscall(struct trace *t, struct tcb *c, const struct ptk_syscall *sc);
void json_signal(struct trace *t, struct tcb *c, const struct ptk_event *ev);
void json_exit(struct trace *t, struct tcb *c, const struct ptk_event *ev);
void json_escape(struct dbuf *b, const char *s, size_t n);

/* timeline.c */
int timeline_open(struct trace *t, char *err, size_t errlen);
void timeline_thread(struct trace *t, pid_t pid, pid_t tid);
void timeline_syscall(struct trace *t, struct tcb *c, const struct ptk_syscall *sc);
void timeline_instant(struct trace *t, struct tcb *c, const char *name, const char *detail);
void timeline_close(struct trace *t);

/* stops.c */
void stops_install(struct trace *t);
void stops_event(struct trace *t, const struct ptk_event *ev);

/* stack.c: -k */
void stack_capture(struct trace *t, struct tcb *c);
void stack_after_syscall(struct trace *t, struct tcb *c);
void stack_forget(struct trace *t, pid_t pid);
void stack_free(struct trace *t);

/* main.c */
int64_t now_ns(clockid_t clk);

#endif
