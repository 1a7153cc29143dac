/* SPDX-License-Identifier: MIT */
/*
 * ptk gdbserver: the server's shared state and the functions its files offer each other.
 *
 *   main.c conn.c   command line, listening, the event loop over the client and SIGCHLD
 *   packet.c        packet dispatch, thread and process packets, resuming, `?`
 *   query.c         q and Q packets: negotiation, queries, settings
 *   data.c          memory, registers and breakpoints (m M X g G p P Z z)
 *   run.c           the thread table's life: libptk events, all-stop and non-stop, vCont
 *   proc.c          processes: spawn, attach, detach, kill, fork/vfork/exec bookkeeping
 *   stop.c          stop replies (T W X w N), signal numbering, notifications
 *   xfer.c          qXfer objects (target.xml, auxv, threads, libraries, exec-file,
 *                   siginfo) and vFile
 *   lldb.c          lldb's extras: qHostInfo, qProcessInfo, qMemoryRegionInfo, jThreadsInfo
 *   regs.c tdesc.c  pure: the register layout, g/p (de)serialization, target.xml
 *   agent.c         pure: agent-expression bytecode (target-side breakpoint conditions)
 *   host.c          files and /proc, behind functions the fuzzer replaces
 *
 * Everything that touches a tracee goes through <ptk/ptk.h>; the files here never call
 * the ptrace or wait system calls themselves.  The packet handlers run against a fake
 * libptk in the fuzzer (fuzz/gdbserver/), which links every file here except main.c,
 * conn.c and host.c.
 */
#ifndef PTK_GDBSERVER_GS_H
#define PTK_GDBSERVER_GS_H

#include "agent.h"
#include "regs.h"
#include "rsp.h"

#include <ptk/ptk.h>

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/* gdb's signal numbers run to 151 (GDB_SIGNAL_LIBRT); the table is indexed by them. */
#define GS_GDB_NSIG 160
/* Open vFile descriptors one client may hold. */
#define GS_MAX_VFD 16

/* What a stop reply reports. */
enum gs_stop_kind {
	GS_STOP_NONE = 0,
	GS_STOP_SIGNAL,      /* T: sig (host number, 0 for "no signal"), reason */
	GS_STOP_EXITED,      /* W: code */
	GS_STOP_KILLED,      /* X: sig */
	GS_STOP_FORK,        /* T05fork: child */
	GS_STOP_VFORK,       /* T05vfork: child */
	GS_STOP_VFORK_DONE,  /* T05vforkdone: */
	GS_STOP_EXEC,        /* T05exec: */
	GS_STOP_CREATE,      /* T05create: (QThreadEvents) */
	GS_STOP_THREAD_EXIT, /* w: code (QThreadEvents) */
	GS_STOP_NO_RESUMED,  /* N */
};

enum gs_reason {
	GS_R_NONE = 0,
	GS_R_SWBREAK, /* an int3 breakpoint (Z0) */
	GS_R_HWBREAK, /* a Z1 breakpoint (also an int3 here: debug registers never fire) */
	GS_R_STEP,    /* a single step or range step ended */
	GS_R_STOP,    /* stopped at the server's request (^C, vCont;t, attach) */
	GS_R_WATCH,   /* a Z2-Z4 watchpoint triggered (addr, wtype) */
};

struct gs_stop {
	enum gs_stop_kind kind;
	int sig;
	int code;
	enum gs_reason reason;
	pid_t pid, tid;
	pid_t child;   /* FORK/VFORK */
	uint64_t addr; /* SWBREAK/HWBREAK: the breakpoint; WATCH: the watched address */
	int wtype;     /* WATCH: 2 (write), 3 (read) or 4 (access), as in Z2-Z4 */
};

struct gs_proc;

struct gs_thread {
	pid_t tid;
	struct gs_proc *proc;
	struct gs_thread *next;
	bool running;     /* resumed; its next stop not seen yet */
	bool want_run;    /* the client wants it running: silent stops resume it */
	bool stop_wanted; /* ptk_interrupt() sent, that stop not seen yet */
	bool report_stop; /* non-stop vCont;t: report the requested stop (T00) */
	bool can_signal;  /* stopped where ptk_resume() may pass a signal */
	bool has_pending; /* an event not reported yet (all-stop) */
	struct gs_stop pending;
	struct gs_stop last; /* the last stop reported, for jThreadsInfo and `?` */
	enum ptk_resume_mode mode;
	uint64_t range_lo, range_hi; /* vCont;r: keep stepping while lo <= pc < hi */
	int deliver_sig;             /* a passed signal to deliver at the next resume */
	int inject_sig;              /* sent with tgkill for a C/S at a non-signal stop */
	bool have_si;
	siginfo_t si; /* of the last signal-delivery stop, for qXfer:siginfo:read */
	int stat_fd;  /* /proc/PID/task/TID/stat, kept open for core: (-1: closed) */
	int act;      /* scratch: the vCont action that applies, -1 for none */
};

/* A breakpoint the client inserted: Z0 (type 0) or Z1 (type 1), with conditions. */
struct gs_bp {
	struct gs_bp *next;
	uint64_t addr;
	int type;
	int ptk_id; /* -1 while lifted (vfork without vfork-events) */
	struct ax_expr *conds;
	int ncond;
};

/* A watchpoint the client inserted: Z2 (write), Z3 (read) or Z4 (access). */
struct gs_wp {
	struct gs_wp *next;
	uint64_t addr, len;
	int type;
	int ptk_id;
	bool removed; /* z2-z4 seen: removed from libptk at the next resume (all-stop) */
};

struct gs_proc {
	pid_t pid;
	struct gs_proc *next;
	struct gs_thread *threads;
	struct gs_proc *mm; /* owner of the address space (a vfork child: its parent) */
	struct gs_bp *bps;  /* the breakpoints of this address space (when mm == self) */
	struct gs_wp *wps;  /* the watchpoints of this process (libptk's are per process) */
	bool attached;      /* attached (detach on disconnect) rather than spawned */
	bool hidden;        /* a fork child whose fork the client has not heard of yet */
	bool bps_lifted;    /* breakpoints out of memory until vfork-done */
	pid_t vfork_child;  /* with bps_lifted: the detached vfork child */
	pid_t parent;
};

/* One queued stop notification of non-stop mode. */
struct gs_notif {
	struct gs_notif *next;
	size_t len;
	char text[];
};

/* An environment variable list for vRun (QEnvironment*). */
struct gs_env {
	char **v;
	size_t n, cap;
};

struct gs {
	struct ptk_session *s;
	struct rsp_conn *conn;
	/* Write n bytes to the client: 0 or -errno (then the connection is lost). */
	int (*out_fn)(void *arg, const void *p, size_t n);
	void *out_arg;
	int sigfd;              /* SIGCHLD signalfd for bounded waits, -1 if none */
	sigset_t spawn_mask;    /* the signal mask programs start with */
	sigset_t spawn_ignored; /* the signals programs start with ignored */
	bool debug;
	bool conn_lost;
	bool terminating; /* ended by a signal: no long waits for threads that cannot stop */

	/* negotiated in qSupported and by Q packets */
	bool multiprocess, swbreak, hwbreak, fork_events, vfork_events, exec_events;
	bool vcont_supported, thread_events_ok, no_resumed;
	bool extended, non_stop, thread_suffix, list_threads, error_strings;
	bool thread_events;
	bool lldb; /* the client is lldb (it asked for QThreadSuffixSupported or qHostInfo) */

	/* the target */
	struct gs_proc *procs;
	bool running;     /* all-stop: the client waits for a stop reply */
	bool have_chosen; /* all-stop: the event to report once all threads stopped */
	struct gs_stop chosen;
	bool interrupting; /* ^C: report SIGINT when the first thread stops */
	bool have_last;
	struct gs_stop last; /* the last stop reported (all-stop `?`) */
	struct gs_stop *pexits;
	size_t npexits, cap_pexits; /* process exits not reported yet */
	pid_t g_pid, g_tid;         /* Hg */
	pid_t c_pid, c_tid;         /* Hc */
	uint8_t pass[GS_GDB_NSIG];  /* QPassSignals, by gdb number */
	struct gs_notif *nq;        /* non-stop: head is the one sent, awaiting vStopped */
	bool notif_sent;

	/* what vRun starts */
	char **argv; /* owned, NULL-terminated; argv[0] is the program */
	bool startup_with_shell;
	bool no_aslr;
	char *cwd;
	struct gs_env env;
	bool multi; /* --multi: the session outlives its processes */

	/* registers */
	struct gs_layout layout;

	/* qXfer: the document being read in chunks */
	char *xdoc;
	size_t xdoc_len;
	char xdoc_key[96];

	/* vFile */
	int vfd[GS_MAX_VFD];
	pid_t fs_pid;
};

/* ---- packet.c ---- */

/* Set up a server over session s (may be NULL until a program runs). */
int gs_init(struct gs *g, struct ptk_session *s);
/* Free what the server owns (not the session, not the connection). */
void gs_fini(struct gs *g);
/* Handle one packet payload (raw, as rsp_conn_feed returned it). */
void gs_packet(struct gs *g, const char *data, size_t len);
/* query.c: the q and Q packets (after the letter), and hex text as a C string. */
void gs_packet_q(struct gs *g, struct rsp_scan *sc);
void gs_packet_Q(struct gs *g, struct rsp_scan *sc);
char *gs_unhex(struct rsp_str s);
/* Handle a ^C (0x03) from the client. */
void gs_interrupt(struct gs *g);
/* Feed bytes read from the client: packets are handled, output is written. */
void gs_feed(struct gs *g, const void *buf, size_t len);
/* Whether the connection is over (lost, or no process left outside extended mode). */
bool gs_session_over(struct gs *g);

/* ---- stop.c ---- */

int gs_sig_to_gdb(int host);
int gs_sig_from_gdb(int gdb);
/* Send a reply payload (framed, escaped already where needed). */
void gs_send(struct gs *g, const void *p, size_t n);
void gs_send_str(struct gs *g, const char *s);
void gs_send_error(struct gs *g, int err);
/* Write out whatever the connection has queued (acks). */
void gs_flush(struct gs *g);
/* Build the stop reply for st into b (registers read now). */
void gs_stop_reply(struct gs *g, const struct gs_stop *st, struct rsp_buf *b);
/* Report a stop: the reply (all-stop) or a queued %Stop notification (non-stop). */
void gs_report(struct gs *g, const struct gs_stop *st);
/* vStopped: the next queued notification or OK. */
void gs_vstopped(struct gs *g);
/* Drop queued notifications. */
void gs_notif_clear(struct gs *g);
/* Append a thread-id in the form the client negotiated. */
void gs_put_tid(struct gs *g, struct rsp_buf *b, pid_t pid, pid_t tid);

/* ---- run.c ---- */

/* Handle one libptk event. */
void gs_event(struct gs *g, const struct ptk_event *ev);
/* Take every event libptk has now (never blocks). */
void gs_poll(struct gs *g);
/*
 * Wait up to timeout_ms for one event, handing it back unhandled.  0, -ETIMEDOUT,
 * -ECHILD (no tracee left).
 */
int gs_wait_event(struct gs *g, struct ptk_event *ev, int timeout_ms);

struct gs_action {
	char op; /* 'c', 's', 't', 'r' */
	int sig; /* host number */
	uint64_t lo, hi;
	bool any; /* no thread-id: applies to every thread without another action */
	struct rsp_tid who;
};
/* Resume per vCont actions (all-stop: stops are then reported; non-stop: OK is sent). */
void gs_resume(struct gs *g, const struct gs_action *a, int n);
/* Stop every running thread (all-stop after an event, ^C, detach). */
void gs_stop_all(struct gs *g);

/* ---- proc.c ---- */

struct gs_proc *gs_proc_find(struct gs *g, pid_t pid);
struct gs_proc *gs_proc_add(struct gs *g, pid_t pid);
void gs_proc_del(struct gs *g, struct gs_proc *p);
struct gs_thread *gs_thread_find(struct gs *g, pid_t tid);
struct gs_thread *gs_thread_add(struct gs *g, struct gs_proc *p, pid_t tid);
void gs_thread_del(struct gs *g, struct gs_thread *t);
/* The breakpoints' owner (address space) of p. */
struct gs_proc *gs_mm(struct gs_proc *p);
/* The thread Hg names (or a sensible fallback), or NULL. */
struct gs_thread *gs_cur_thread(struct gs *g);
/* The process of the current thread (or the only one), or NULL. */
struct gs_proc *gs_cur_proc(struct gs *g);
/* The number of processes. */
int gs_nprocs(struct gs *g);
/*
 * Start argv (argv[0] the program) and run it to its first instruction.  Returns the pid
 * or -errno; *ret_exit receives a W/X stop if it died during startup.
 */
int gs_spawn(struct gs *g, char *const *argv, struct gs_stop *ret_exit);
/* Attach to pid and collect the stops of all its threads. */
int gs_attach(struct gs *g, pid_t pid);
/* Detach one process, or all (pid 0). */
int gs_detach(struct gs *g, pid_t pid);
/* Kill one process, or all (pid 0), and wait for their deaths. */
int gs_kill(struct gs *g, pid_t pid);
void gs_env_init(struct gs_env *e);
void gs_env_free(struct gs_env *e);
int gs_env_set(struct gs_env *e, const char *name_eq_value);
void gs_env_unset(struct gs_env *e, const char *name);
/* Forget every breakpoint of p's address space (after exec). */
void gs_bps_forget(struct gs_proc *p);
/* Forget p's watchpoints (libptk dropped them: exec, detach, death). */
void gs_wps_forget(struct gs_proc *p);
void gs_bp_free(struct gs_bp *b);
/* Take breakpoints out of memory / put them back (vfork without vfork-events). */
void gs_bps_lift(struct gs *g, struct gs_proc *p);
void gs_bps_restore(struct gs *g, struct gs_proc *p);
/* The breakpoint at addr in p's address space, or NULL. */
struct gs_bp *gs_bp_at(struct gs_proc *p, uint64_t addr);

/* ---- data.c ---- */

void gs_pkt_mem_read(struct gs *g, struct rsp_scan *sc);
void gs_pkt_mem_write(struct gs *g, struct rsp_scan *sc, bool binary);
void gs_pkt_regs_read(struct gs *g, struct gs_thread *t);
void gs_pkt_regs_write(struct gs *g, struct gs_thread *t, struct rsp_scan *sc);
void gs_pkt_reg_read(struct gs *g, struct gs_thread *t, struct rsp_scan *sc);
void gs_pkt_reg_write(struct gs *g, struct gs_thread *t, struct rsp_scan *sc);
void gs_pkt_bp(struct gs *g, struct rsp_scan *sc, bool insert);
/* The watchpoint of p that libptk's watchpoint id stands for, or NULL. */
struct gs_wp *gs_wp_by_id(struct gs_proc *p, int ptk_id);
/* Remove from libptk the watchpoints the client removed (before resuming). */
void gs_wps_purge(struct gs *g);
/* Read the register file of a stopped thread (GPRs and the XSAVE area). */
int gs_regfile_read(struct gs *g, pid_t tid, struct gs_regfile *rf);
/* Evaluate the conditions of b for thread t: true when the client must hear of it. */
bool gs_bp_cond_true(struct gs *g, struct gs_thread *t, const struct gs_bp *b);

/* ---- xfer.c ---- */

void gs_pkt_qxfer(struct gs *g, struct rsp_scan *sc);
void gs_pkt_vfile(struct gs *g, struct rsp_scan *sc);
void gs_vfile_close_all(struct gs *g);

/* ---- lldb.c ---- */

void gs_pkt_host_info(struct gs *g);
void gs_pkt_process_info(struct gs *g);
void gs_pkt_mem_region(struct gs *g, struct rsp_scan *sc);
void gs_pkt_jthreads(struct gs *g);
/* The short name of a thread (/proc/PID/task/TID/comm) into buf. */
void gs_thread_name(pid_t pid, pid_t tid, char *buf, size_t len);
/* The CPU a thread last ran on, or -1. */
int gs_thread_core(struct gs_thread *t);
/* A thread's kept stat descriptor was closed. */
void gs_stat_fd_closed(void);

/* ---- host.c: files, so that the fuzzer can stand in ---- */

/* Read a whole (small, /proc) file into a malloc'd NUL-terminated buffer. */
int gs_host_read_file(const char *path, char **ret, size_t *ret_len);
/* readlink into buf (NUL-terminated); returns the length or -errno. */
int gs_host_readlink(const char *path, char *buf, size_t len);
int gs_host_open(const char *path, int flags, int mode);
int gs_host_close(int fd);
long gs_host_pread(int fd, void *buf, size_t n, uint64_t off);
long gs_host_pwrite(int fd, const void *buf, size_t n, uint64_t off);
int gs_host_fstat(int fd, struct stat *st);
int gs_host_unlink(const char *path);
/* Pread the stat file fd (for core:), into buf. */
long gs_host_pread_stat(int fd, char *buf, size_t n);
int gs_host_open_stat(pid_t pid, pid_t tid);
/* The XSAVE layout of this CPU: XCR0 and component offsets (from CPUID). */
void gs_host_xsave_info(struct gs_xsave_info *ret);

#endif
