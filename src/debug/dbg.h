/* SPDX-License-Identifier: MIT */
/*
 * ptk debug: the state of one debugger session and the interfaces between
 * its parts.  The pure core (cmd.h, expr.h, print.h, format.h) parses and
 * evaluates; the parts declared here drive one inferior through libptk:
 *
 *   main.c      options, batch vs interactive, exit status, signals
 *   repl.c      the libedit prompt: history, completion, Ctrl-C
 *   sig.c       SIGINT/SIGTERM/SIGHUP, and waiting for events without losing them
 *   exec.c      one command line: parse, dispatch, errors, repetition
 *   inferior.c  spawn/attach/kill/detach, threads, resume and stop-all
 *   run.c       the event loop: what each ptk event means to the user
 *   stop.c      reporting a stop as gdb does; displays
 *   target.c    struct dbg_target over libptk (memory, symbols, disassembly)
 *   regs.c      registers by gdb's names and types; info registers
 *   bpt.c       breakpoints, watchpoints and catchpoints
 *   step.c      stepi/nexti/step/next/finish/until/advance
 *   stack.c     frames, backtrace, frame/up/down, info frame
 *   source.c    source files and `list`
 *   dwarf.c     variables and types from DWARF into the core's type model
 */
#ifndef PTK_DEBUG_DBG_H
#define PTK_DEBUG_DBG_H

#include <ptk/ptk.h>
#include <ptk/symbols.h>

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cmd.h"
#include "expr.h"
#include "print.h"

struct dbg;
struct dwarf_info;

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

/* Normal output (stdout) and error lines (stderr, flushed in order). */
__attribute__((format(printf, 2, 3))) void dout(struct dbg *d, const char *fmt, ...);
void dout_flush(struct dbg *d);
/*
 * Report a command error: one line on stderr (newline added), and the
 * command is marked failed (for -batch's exit status and -x files).
 * Returns -1 so handlers can `return derr(d, ...)` (a macro, so that the
 * static analyzer sees the -1 where the error is returned).
 */
__attribute__((format(printf, 2, 3))) void derr_say(struct dbg *d, const char *fmt, ...);
static inline int derr_ret(void)
{
	return -1;
}
#define derr(...) (derr_say(__VA_ARGS__), derr_ret())

/* ------------------------------------------------------------------ */
/* Threads and the inferior                                            */
/* ------------------------------------------------------------------ */

struct dthread {
	pid_t tid;
	int num;               /* gdb's thread number, from 1 */
	bool stopped;          /* in a ptrace-stop we know of */
	bool exited;           /* gone (kept until the next stop report) */
	bool interrupt_sent;   /* ptk_interrupt() was asked; its STOP is still to come */
	bool has_pending;      /* pev must be handled before this thread runs again */
	struct ptk_event pev;  /* ... */
	struct ptk_event last; /* the event of its current stop */
	int pass_sig;          /* the signal to deliver when it next resumes */
	int deliver_unseen;    /* signal command: let this signal through when it reports */
	uint64_t tp;           /* thread pointer (fs_base) seen at its first stop */
	bool announced;        /* "[New Thread ...]" was said */
	bool in_vfork;         /* a vfork parent waiting for its child (D state) */
	long sc_nr;            /* the syscall of its last syscall-enter stop */
	pid_t fork_child;      /* catch fork/vfork: the child still attached */
	bool fork_vfork;
};

enum inf_state {
	INF_NONE,   /* no process */
	INF_LOADED, /* spawned and stopped at its exec stop; the user has not run it */
	INF_LIVE,   /* running or stopped under the user's control */
};

struct inferior {
	enum inf_state state;
	pid_t pid;
	bool attached; /* -p / attach (detached at the end) rather than spawned */
	struct dthread *threads;
	size_t nthreads, capthreads;
	int next_num;
	bool had_threads; /* more than one thread existed: stops name their thread */
	struct ptk_symtab *st;
	uint64_t dl_brk;         /* the loader's _dl_debug_state: an internal breakpoint */
	pid_t cur_tid;           /* the selected thread */
	pid_t prev_tid;          /* the thread of the last reported stop ([Switching to ...]) */
	bool in_syscall_catch;   /* resumed with PTK_RESUME_SYSCALL for catch syscall */
	bool bps_lifted;         /* breakpoints out of memory while a vfork child runs in it */
	struct ptk_event *defer; /* events of other threads taken during a stop-all */
	size_t ndefer, capdefer;
};

/* inferior.c */
int inf_spawn(struct dbg *d, bool loaded_only);
int inf_attach(struct dbg *d, pid_t pid);
/* Kill (spawned) or detach (attached) the process and forget it. */
void inf_discard(struct dbg *d, bool detach);
/* The process as gdb would use it for a symbol lookup: loaded if need be. */
int inf_ensure_loaded(struct dbg *d);
bool inf_live(const struct dbg *d);
struct dthread *thr_find(struct dbg *d, pid_t tid);
struct dthread *thr_by_num(struct dbg *d, int num);
struct dthread *thr_add(struct dbg *d, pid_t tid);
void thr_remove(struct dbg *d, pid_t tid);
struct dthread *thr_cur(struct dbg *d);
/* "Thread 0x7ffff7d8a740 (LWP 123)" or "process 123" into buf. */
void thr_target_id(struct dbg *d, const struct dthread *t, char *buf, size_t len);
/* /proc/PID/task/TID/comm. */
void thr_name(struct dbg *d, pid_t tid, char *buf, size_t len);
/* Stop every running thread (the stop-all of all-stop mode). */
void inf_stop_all(struct dbg *d);
/* Resume stopped threads: the selected one with mode, the others continue (unless only). */
int inf_resume_all(struct dbg *d, enum ptk_resume_mode mode, bool only_current);
/* Resume one thread with its pending signal; -ESRCH is not an error. */
int thr_resume(struct dbg *d, struct dthread *t, enum ptk_resume_mode mode);
/* The selected thread's registers (cached per stop by libptk). */
int cur_regs(struct dbg *d, struct ptk_regs *r);
/* Symbol table of the live or loaded process (NULL if none). */
struct ptk_symtab *inf_symtab(struct dbg *d);
/* The loader's r_brk breakpoint and symbol refreshes. */
void inf_solib_setup(struct dbg *d);
int inf_solib_event(struct dbg *d);
/* Forget frames, variables and cached state of the last stop. */
void inf_invalidate(struct dbg *d);
void inf_invalidate_keep_frame(struct dbg *d);
void inf_defer(struct dbg *d, const struct ptk_event *ev);
bool inf_undefer(struct dbg *d, struct ptk_event *ev);
/* The process is gone: forget it. */
void inf_gone(struct dbg *d);
/* After an exec: a new symbol table, breakpoints set again. */
void inf_new_program(struct dbg *d);
/* run.c: during stop-all, keep what other threads report. */
void run_absorb(struct dbg *d, const struct ptk_event *ev);
void thr_resume_raw(struct dbg *d, pid_t tid);

/* ------------------------------------------------------------------ */
/* Stops                                                               */
/* ------------------------------------------------------------------ */

enum stop_kind {
	STOP_NONE,
	STOP_BREAKPOINT,  /* bpnum */
	STOP_STEP,        /* a stepping command ended */
	STOP_SIGNAL,      /* sig: Program received signal */
	STOP_EXITED,      /* code */
	STOP_KILLED,      /* sig: Program terminated with signal */
	STOP_CATCH,       /* bpnum: a catchpoint */
	STOP_WATCH,       /* bpnum */
	STOP_FINISH,      /* finish: print the returned value */
	STOP_LOCATION,    /* until/advance LOCATION, start's temporary breakpoint */
	STOP_INTERRUPTED, /* Ctrl-C */
	STOP_STARTI,      /* starti: "Program stopped." */
	STOP_DETACHED,    /* the process was detached or vanished */
	STOP_ERROR,       /* the run was cut short by an error already reported */
};

struct stop {
	enum stop_kind kind;
	pid_t tid;
	int bpnum;
	bool temp; /* a temporary breakpoint */
	int sig;
	int code;
	/* catchpoints */
	enum ptk_event_kind ev;
	pid_t child;
	long sysno;
	bool sc_return;
	const char *exec_path;
	/* watchpoints */
	struct ptk_watch_hit watch;
	/* stepping: print the frame line (function changed) or just the source line */
	bool print_frame;
	bool same_line_addr; /* stepi inside a line: print the address */
};

/* run.c: resume as asked and handle events until one must be reported. */
struct run_req {
	enum ptk_resume_mode mode; /* for the selected thread */
	bool only_current;         /* other threads stay stopped (stepi) */
	int deliver;               /* signal command: the signal to deliver (-1: as pending) */
	/* an internal breakpoint that ends the run (nexti/finish/until/advance) */
	uint64_t stop_addr[4];
	int nstop_addr;
	uint64_t frame_sp;    /* when nonzero: stop at stop_addr only if rsp > frame_sp */
	bool any_frame_addr0; /* stop_addr[0] ends the run in any frame (until/advance LOCATION) */
	pid_t only_tid;       /* stop_addr applies to this thread only (0: any) */
};
int inf_run(struct dbg *d, const struct run_req *rq, struct stop *st);
/* Describe and act on a stop (print it, delete temporary breakpoints, displays). */
void stop_report(struct dbg *d, const struct stop *st);
/* Print the displays (display command). */
void display_all(struct dbg *d);

/* ------------------------------------------------------------------ */
/* Signals (sigtab.c)                                                  */
/* ------------------------------------------------------------------ */

struct sigrow {
	const char *name;
	bool stop, print, pass;
	const char *desc;
};
/* gdb's row for a Linux signal number (1..64). */
struct sigrow *dsig_row(struct dbg *d, int sig);
const char *dsig_name(int sig);
const char *dsig_desc(int sig);
/* A signal by gdb name ("SIGINT", "INT"?) or number; 0 if unknown. */
int dsig_parse(const char *s);
void dsig_table_init(struct dbg *d);
int cmd_handle(struct dbg *d, const struct dbg_cmd *c);
int cmd_info_signals(struct dbg *d, const struct dbg_cmd *c);

/* ------------------------------------------------------------------ */
/* Breakpoints (bpt.c)                                                 */
/* ------------------------------------------------------------------ */

enum bp_type {
	BP_BREAK,
	BP_WATCH,
	BP_RWATCH,
	BP_AWATCH,
	BP_CATCH_SYSCALL,
	BP_CATCH_SIGNAL,
	BP_CATCH_FORK,
	BP_CATCH_VFORK,
	BP_CATCH_EXEC,
};

enum bp_disp { DISP_KEEP, DISP_DEL, DISP_DISABLE };

struct bp_loc {
	uint64_t addr;
	bool inserted;
	bool enabled;
	bool failed; /* insertion failed (reported once) */
	char *func;  /* "main" */
	char *file;  /* as the line table names it */
	int line;
};

struct bpt {
	int num;
	enum bp_type type;
	enum bp_disp disp;
	bool enabled;
	char *spec; /* the location as given */
	char *cond;
	long ignore;
	long hits;
	long enable_count; /* enable count N */
	struct bp_loc *locs;
	size_t nlocs;
	/* watchpoints */
	char *expr;
	uint64_t waddr;
	size_t wlen;
	int watch_id;
	bool hardware;
	unsigned char old[64];
	bool old_valid;
	/* catchpoints: syscall numbers / signals (empty: all) */
	bool *syscalls; /* 1024 entries, NULL: any */
	bool sigs[65];
	bool anysig;
	bool catch_all_signals;  /* catch signal all: SIGTRAP and SIGINT too */
	pid_t last_child;        /* catch fork/vfork: the last child */
	char *exec_path;         /* catch exec: the last program */
	bool disabled_after_hit; /* enable once: disable after this stop */
	bool pending_only_addr;
	bool literal; /* break *ADDR: shown as given, even before the program runs */
	struct bpt *next;
};

/* Resolve a location spec into addresses. */
struct resolved {
	uint64_t addr;
	const char *func;
	const char *file;
	int line;
};
struct bpt *bp_find(struct dbg *d, int num);
/* Insert every enabled location into the process (after spawn, exec, solib loads). */
void bp_insert_all(struct dbg *d);
/* Resolve the specs again (exec, new shared objects, restart). */
void bp_reresolve(struct dbg *d);
/*
 * A vfork child runs in its parent's memory until it execs or exits: take
 * every breakpoint out of memory at the vfork event (a detached child that
 * ran into one would die of SIGTRAP), put them back at vfork-done.
 */
void bp_vfork_lift(struct dbg *d);
void bp_vfork_restore(struct dbg *d);
/* The process is gone: every location is out. */
void bp_mark_removed(struct dbg *d);
/* Internal breakpoints, reference-counted by address (shared with user ones). */
int bpaddr_ref(struct dbg *d, uint64_t addr);
void bpaddr_unref(struct dbg *d, uint64_t addr);
bool bpaddr_known(struct dbg *d, uint64_t addr);
/*
 * A thread hit a ptk breakpoint at addr: find the user breakpoints there,
 * evaluate conditions and ignore counts.  Returns the number of the
 * breakpoint to report (0: go on), *ret_temp for tbreak.
 */
int bp_check_hit(struct dbg *d, pid_t tid, uint64_t addr, bool *ret_temp);
/* After a stop was reported: delete a hit temporary breakpoint. */
void bp_after_stop(struct dbg *d, int bpnum);
bool bp_any_syscall_catch(struct dbg *d);
struct bpt *bp_catch_match(struct dbg *d, enum bp_type type, long value);
/* Watchpoint bookkeeping on PTK_EV_WATCHPOINT: the user number, 0 if none. */
int bp_watch_hit(struct dbg *d, const struct ptk_event *ev);
bool bpaddr_user(struct dbg *d, uint64_t addr);
/* Is there a user breakpoint location at addr in function func? */
bool bp_user_func_at(struct dbg *d, uint64_t addr, const char *func);
void bp_sync(struct dbg *d, struct bpt *b);
void bp_delete(struct dbg *d, struct bpt *b);
void bp_free_locs(struct bpt *b);
int bp_set_locs(struct dbg *d, struct bpt *b, const struct resolved *r, int n);
uint64_t addr_shown(struct dbg *d, uint64_t addr);
/* watch.c */
void watch_sync(struct dbg *d, struct bpt *b);
void watch_remove(struct dbg *d, struct bpt *b);
void watch_insert_all(struct dbg *d);
void watch_values(struct dbg *d, struct bpt *b, const struct stop *st, struct dbg_buf *ob,
                  struct dbg_buf *nb);
void watch_info_line(struct dbg *d, struct bpt *b);
const char *watch_kind_name(const struct bpt *b);
int loc_resolve(struct dbg *d, const struct dbg_location *loc, struct resolved *ret, size_t max);
int cmd_break(struct dbg *d, const struct dbg_cmd *c);
int cmd_watch(struct dbg *d, const struct dbg_cmd *c);
int cmd_catch(struct dbg *d, const struct dbg_cmd *c);
int cmd_bp_modify(struct dbg *d, const struct dbg_cmd *c); /* delete enable disable */
int cmd_condition(struct dbg *d, const struct dbg_cmd *c);
int cmd_ignore(struct dbg *d, const struct dbg_cmd *c);
int cmd_info_breakpoints(struct dbg *d, const struct dbg_cmd *c, bool watch_only);
void bp_free_all(struct dbg *d);

/* ------------------------------------------------------------------ */
/* Frames (stack.c)                                                    */
/* ------------------------------------------------------------------ */

struct frame {
	struct ptk_frame pf;     /* the physical frame */
	struct ptk_location loc; /* innermost description at this level */
	bool has_loc;
	int inline_depth; /* 0: the physical frame's outermost function; >0: inlined */
	bool inlined;     /* this level is an inlined copy (called from the next level) */
	int phys;         /* index of the physical frame */
};

/*
 * Inlined calls at pc: *ret_depth inlined levels (0: none), *ret_entry of
 * them begin at pc (innermost first), and the line of the call site just
 * outside those (0 if none).  0, or -1 without a location.
 */
int inline_at(struct dbg *d, uint64_t pc, int *ret_depth, int *ret_entry, int *ret_call_line);
/* The frames of the selected thread, computed at first use after a stop. */
int frames_get(struct dbg *d, struct frame **ret);
int frames_get_few(struct dbg *d, int need, struct frame **ret);
void frame_line(struct dbg *d, int n, int level, int force_addr, struct dbg_buf *b);
void frame_print(struct dbg *d, int n, int level, bool with_source, int force_addr);
struct frame *frame_sel(struct dbg *d);
/* The selected frame's register by DWARF number: 0 or -ENOENT when not known. */
int frame_reg(struct dbg *d, struct frame *f, int dwreg, uint64_t *ret);
/* "main (argc=1, argv=0x...)" : function name and arguments. */
void frame_describe(struct dbg *d, int n, struct dbg_buf *out);
const char *module_name(struct dbg *d, const struct ptk_module *m);
/* The physical caller's pc and this frame's CFA, past main too (for stepping out). */
int phys_caller(struct dbg *d, uint64_t *ret_pc, uint64_t *ret_cfa);
int cmd_backtrace(struct dbg *d, const struct dbg_cmd *c);
int cmd_frame(struct dbg *d, const struct dbg_cmd *c);
int cmd_info_frame(struct dbg *d, const struct dbg_cmd *c);

/* ------------------------------------------------------------------ */
/* Source (source.c)                                                   */
/* ------------------------------------------------------------------ */

/* Print "LINE\tTEXT" (or gdb's "No such file" line).  0, or -1 if not printed. */
int src_print_line(struct dbg *d, const char *file, int line, uint64_t pc, bool with_addr,
                   uint64_t addr);
/* gdb's name for a source file (as the line table wrote it), for pc's compilation unit. */
void file_display(struct dbg *d, uint64_t pc, const char *full, char *buf, size_t len);
/* The file and line `list` would center on, if any. */
bool src_default(struct dbg *d, const char **ret_file, int *ret_line);
int cmd_list(struct dbg *d, const struct dbg_cmd *c);
void src_set_default(struct dbg *d, const char *file, int line);
void src_free(struct dbg *d);

/* ------------------------------------------------------------------ */
/* Target (target.c), registers (regs.c)                               */
/* ------------------------------------------------------------------ */

struct dbg_target target_make(struct dbg *d);
/* Symbol name and offset of addr: "main+4"; false when none. */
bool sym_describe(struct dbg *d, uint64_t addr, char *buf, size_t len);
/* One instruction at addr in AT&T syntax as gdb prints it; length in *ret_len. */
int disas_one(struct dbg *d, uint64_t addr, char *buf, size_t len, size_t *ret_len);
/* Is the instruction at addr a call?  *ret_len: its length. */
bool insn_is_call(struct dbg *d, uint64_t addr, size_t *ret_len);
void disas_free(struct dbg *d);

int dreg_read(struct dbg *d, const char *name, struct dbg_type **ret_type, void *buf, size_t cap);
int dreg_write(struct dbg *d, const char *name, const void *buf, size_t len);
int cmd_info_registers(struct dbg *d, const struct dbg_cmd *c, bool all);
/* Completion: register names. */
const char *reg_name_at(size_t i);
void dregs_free(struct dbg *d);

/* ------------------------------------------------------------------ */
/* DWARF variables (dwarf.c)                                           */
/* ------------------------------------------------------------------ */

int dw_lookup_symbol(struct dbg *d, const char *name, struct dbg_symbol *ret);
struct dbg_type *dw_lookup_type(struct dbg *d, const char *name, enum dbg_tag tag);
/*
 * The arguments (args) or locals of frame n into out: "a=1, b=2" (one_line,
 * aggregates as "...") or "NAME = VALUE\n" lines indented by indent.
 * Returns how many.
 */
int dw_frame_vars(struct dbg *d, int frame, bool args, struct dbg_buf *out, bool one_line,
                  int indent);
/* The function's return type at the frame's pc (NULL when unknown or void). */
struct dbg_type *dw_return_type(struct dbg *d, uint64_t pc);
void dw_reset(struct dbg *d); /* symbol table changed */
void dw_free(struct dbg *d);

/* ------------------------------------------------------------------ */
/* Commands                                                            */
/* ------------------------------------------------------------------ */

/* exec.c */
int exec_line(struct dbg *d, const char *line, bool from_tty);
/* Source a command file (-x); false if an error stopped it. */
int exec_file(struct dbg *d, const char *path);
bool dbg_confirm(struct dbg *d, const char *question);

/* cmds_run.c */
int cmd_run(struct dbg *d, const struct dbg_cmd *c);
int cmd_file(struct dbg *d, const struct dbg_cmd *c);
int cmd_continue(struct dbg *d, const struct dbg_cmd *c);
int cmd_kill(struct dbg *d, const struct dbg_cmd *c);
int cmd_detach(struct dbg *d, const struct dbg_cmd *c);
int cmd_signal(struct dbg *d, const struct dbg_cmd *c);
int cmd_thread(struct dbg *d, const struct dbg_cmd *c);
int cmd_info_threads(struct dbg *d, const struct dbg_cmd *c);
/* Refuse commands that need a live process: "The program is not being run." */
bool need_live(struct dbg *d);
int set_run_args(struct dbg *d, const char *text);
/* A count argument (a number or an expression): 1 if none. */
int cmd_count(struct dbg *d, const struct dbg_cmd *c, long *ret);

/* step.c */
int cmd_stepi(struct dbg *d, const struct dbg_cmd *c);
int cmd_step(struct dbg *d, const struct dbg_cmd *c);
int cmd_finish(struct dbg *d, const struct dbg_cmd *c);
int cmd_until(struct dbg *d, const struct dbg_cmd *c);

/* cmds_data.c */
int cmd_print(struct dbg *d, const struct dbg_cmd *c);
int cmd_x(struct dbg *d, const struct dbg_cmd *c);
int cmd_display(struct dbg *d, const struct dbg_cmd *c);
int cmd_undisplay(struct dbg *d, const struct dbg_cmd *c);
int cmd_set_var(struct dbg *d, const struct dbg_cmd *c);
int cmd_disassemble(struct dbg *d, const struct dbg_cmd *c);
int cmd_info_symbol(struct dbg *d, const struct dbg_cmd *c);
int cmd_info_line(struct dbg *d, const struct dbg_cmd *c);
int cmd_info_locals(struct dbg *d, const struct dbg_cmd *c, bool args);
int cmd_info_display(struct dbg *d);
void display_free(struct dbg *d);
void print_return_value(struct dbg *d, struct dbg_type *rt);

/* cmds_info.c */
int cmd_info_proc(struct dbg *d, const struct dbg_cmd *c);
void elf_interp(const char *file, char *buf, size_t len);
int cmd_info_sharedlibrary(struct dbg *d, const struct dbg_cmd *c);
/* The process is going: keep its dynamic loader's row for info sharedlibrary. */
void solib_remember_loader(struct dbg *d);
int cmd_set_option(struct dbg *d, const struct dbg_cmd *c);
int cmd_show(struct dbg *d, const struct dbg_cmd *c);
int cmd_help(struct dbg *d, const struct dbg_cmd *c);

/* repl.c */
int repl_run(struct dbg *d);
/*
 * One line of input without a line editor (stdin not a terminal, or a
 * confirmation): *ret is the line without its newline, valid until the
 * next call.  1, 0 at the end of input, -EINTR when SIGINT, SIGTERM or
 * SIGHUP came first (the flags say which).
 */
int input_line(struct dbg *d, char **ret);

/* sig.c: SIGINT/SIGTERM/SIGHUP flags, the wake-up pipe, waiting for events */
void dsig_init(struct dbg *d);
int dsig_wake_fd(void);
/* Forget wake-ups already read from the flags. */
void dsig_drain(void);
/* How many times SIGINT, SIGTERM or SIGHUP came so far: read it before looking at the flags. */
unsigned dsig_gen(void);
/* ptk's signal mask with SIGCHLD unblocked (it is blocked but caught). */
const sigset_t *dsig_chld_mask(void);
/*
 * The next event of the session (ptk_wait), or -EINTR as soon as the user
 * sent SIGINT, SIGTERM or SIGHUP after dsig_gen() said seen: the caller
 * checks the flags and waits again.  A signal just before the call is not
 * lost (see sig.c).  With poll, ptk does not block: -EAGAIN after a
 * millisecond without an event, for a caller that must act while libptk
 * runs the program on its own (the steps of a software watchpoint).
 */
int dbg_wait(struct dbg *d, struct ptk_event *ev, unsigned seen, bool poll);

/* ------------------------------------------------------------------ */
/* The debugger                                                        */
/* ------------------------------------------------------------------ */

struct display {
	int num;
	bool enabled;
	struct dbg_fmt fmt;
	bool has_fmt;
	char *expr;
	struct display *next;
};

struct bpaddr {
	uint64_t addr;
	int id;
	int refs;
};

struct dbg {
	struct ptk_session *s;
	struct inferior inf;
	struct dbg_ctx *ctx;
	/* the program */
	char *prog;      /* as given */
	char *prog_path; /* resolved */
	char **args;     /* arguments for run */
	size_t nargs;
	/* modes */
	bool batch, quiet;
	bool from_tty; /* the command being run came from the terminal (or -ex without -batch) */
	bool interactive;
	bool failed; /* the last command failed */
	bool quit;   /* quit was asked */
	int quit_code;
	/* settings */
	bool confirm;
	int listsize;
	bool follow_child;
	bool detach_on_fork;
	bool no_aslr;
	bool print_pretty;
	/* breakpoints */
	struct bpt *bps;
	int next_bpnum;
	struct bpaddr *bpaddrs;
	size_t nbpaddrs, capbpaddrs;
	/* displays */
	struct display *displays;
	int next_display;
	/* signals */
	struct sigrow sigtab[160];
	size_t nsigrows;
	bool sigtrap_user; /* the user ran handle SIGTRAP: obey the table for it */
	/* frames of the selected thread */
	struct frame *frames;
	int nframes;
	bool frames_valid;
	bool frames_complete;
	int sel_frame;
	int frames_need;   /* 0: all frames were unwound; else how many */
	bool frames_light; /* frame 0 only, without names (for a condition) */
	/*
	 * gdb's skipped inline frames: stopped where inlined calls begin,
	 * frame 0 is the caller at the call's line until `step` enters them
	 * (inline_entered of them; reset when the program runs).
	 */
	int inline_entered;
	int inline_hidden;   /* how many frame 0 hides now */
	int inline_at_entry; /* how many inlined calls begin at frame 0's pc */
	bool cond_eval;      /* a breakpoint condition is being evaluated */
	int var_frame;       /* variables are read in this frame (-1: the selected one) */
	uint64_t scope_pc;   /* names are looked up at this pc (a breakpoint's condition) */
	bool scope_pc_set;
	void *regs;
	/* source listing state */
	void *src;
	/* DWARF variables */
	struct dwarf_info *dw;
	/* disassembler */
	void *cs;
	/* output */
	FILE *o;
	/* repeat: the last command that repeats on an empty line */
	char *last_repeat;
	/* -x file being sourced: errors name it */
	const char *src_file;
	int src_line;
	bool src_error_said;
	bool quiet_errors; /* re-resolving breakpoints: no error lines */
	bool show_literal; /* addr_shown() shows addresses as they are */
	bool ran_once;     /* the program was run (addresses are no longer shown unrelocated) */
	int last_exit_code;
	bool has_exit_code;
	/* Ctrl-C and termination */
	volatile sig_atomic_t *interrupted;
	volatile sig_atomic_t *terminate;
	volatile sig_atomic_t *int_from_tty; /* the last SIGINT came from the terminal */
	sigset_t orig_mask;                  /* the signal mask ptk started with: the program's */
	sigset_t orig_ignored; /* the signals ptk started with ignored: the program's */
	/* the program's PT_INTERP, for naming the loader */
	char interp[256];
	bool interp_done;
	/* the loader of the last run, as info sharedlibrary lists it once the process is gone */
	bool loader_known;
	uint64_t loader_lo, loader_hi;
	char loader_name[256];
	/* diagnostics: PTK_DEBUG_EVENTS=1 prints every ptk event on stderr */
	bool trace_events;
};

/* Settings and the process go; used by every exit path. */
void dbg_teardown(struct dbg *d);

#endif
