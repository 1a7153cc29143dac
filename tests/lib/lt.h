/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the library tests (tests/lib/test-*.c): spawning a tracee
 * with its stdout captured, waiting for events with a safety timeout,
 * running a tracee to its end while recording every event, and reading
 * process state from /proc.  Everything here fails the case (th_fail) on
 * a setup error, so the tests read as sequences of expectations.
 */
#ifndef PTK_TESTS_LIB_LT_H
#define PTK_TESTS_LIB_LT_H

#include "harness.h"

#include <ptk/ptk.h>

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

/* Syscall numbers (x86_64) the tests name. */
enum {
	NR_read = 0,
	NR_write = 1,
	NR_mkdir = 83,
	NR_uname = 63,
	NR_getuid = 102,
	NR_getppid = 110,
	NR_getpid = 39,
	NR_gettid = 186,
	NR_clone = 56,
	NR_fork = 57,
	NR_vfork = 58,
	NR_execve = 59,
	NR_exit = 60,
	NR_kill = 62,
	NR_nanosleep = 35,
	NR_rt_sigprocmask = 14,
	NR_restart_syscall = 219,
	NR_clock_nanosleep = 230,
	NR_exit_group = 231,
	NR_tgkill = 234,
	NR_clone3 = 435,
};

/* The kernel's ERESTART_RESTARTBLOCK, seen by tracers at syscall-exit stops. */
#define LT_ERESTART_RESTARTBLOCK 516

/* One recorded event: the fields of struct ptk_event the tests compare. */
struct rec {
	enum ptk_event_kind kind;
	pid_t tid, pid;
	int sig;
	unsigned long msg;
	pid_t new_tid, former_tid, ppid;
	int exit_code;
	bool process_gone, new_tracee, new_thread, attach_stop, own_seccomp, core_dumped;
	enum ptk_arch arch;
	long nr;
	uint64_t args[6];
	int64_t rval;
	bool is_error;
	int si_code;
	pid_t sender;
};

struct log {
	struct rec *v;
	size_t n, cap;
};

void log_push(struct log *l, const struct ptk_event *ev);
void log_free(struct log *l);
/* Print the log through th_note (shown when the case fails or with -v). */
void log_dump(const struct log *l, size_t max);
/* Index of the first record at or after from that matches, or -1. */
long log_find(const struct log *l, size_t from, pid_t tid, enum ptk_event_kind kind, long nr);
/* Every record must be of tid. */
void log_all_of(const struct log *l, pid_t tid);
/* Number of records of kind (of tid, if tid > 0). */
size_t log_count(const struct log *l, pid_t tid, enum ptk_event_kind kind);
/* Index of the first record of tid, or -1. */
long log_first(const struct log *l, pid_t tid);
/* Index of the last record of tid before the record at index before, or -1. */
long log_last_before(const struct log *l, pid_t tid, long before);
/*
 * The last record must be a PTK_EV_EXITED, of tid if tid > 0, with exit
 * code code if code >= 0 (the case fails otherwise); returns it.
 */
const struct rec *log_ends_with_exit(const struct log *l, pid_t tid, int code);
/* "syscall-enter-stop" etc. for messages. */
const char *kname(enum ptk_event_kind k);

/*
 * ptk_wait() with a safety timeout (the case fails if nothing comes in
 * timeout_s seconds, 0 meaning the default of 30).  Returns ptk_wait's
 * result: 0 or -ECHILD (anything else fails the case).
 */
int lt_wait(struct ptk_session *s, struct ptk_event *ev, int timeout_s);
/* lt_wait() that must return an event. */
void lt_next(struct ptk_session *s, struct ptk_event *ev);
/* Resume the thread of ev with mode, passing on the signal of a
 * signal-delivery-stop.  Returns ptk_resume's result. */
int lt_resume(struct ptk_session *s, const struct ptk_event *ev, enum ptk_resume_mode mode);

/*
 * Resume tid with mode (no signal) and take the next event (of any
 * thread) into *ev, which must be of kind.
 */
void lt_resume_expect(struct ptk_session *s, pid_t tid, enum ptk_resume_mode mode,
                      enum ptk_event_kind kind, struct ptk_event *ev);

/*
 * Resume pid by syscalls, and every thread that reports on the way (as
 * lt_resume does), until a syscall-enter stop of nr whose first argument
 * is arg0 (any, if arg0 < 0), of any thread: that event goes to *ev and its
 * thread is left at the stop.  The events before it are recorded into l
 * (may be NULL).  The case fails if a thread ends on the way.
 */
void lt_run_to_syscall(struct ptk_session *s, pid_t pid, long nr, long arg0, struct ptk_event *ev,
                       struct log *l);

/*
 * A hook called for every event by lt_run() before the event's thread is
 * resumed; it returns true when it resumed (or detached, killed) the
 * thread itself.
 */
typedef bool (*lt_hook)(struct ptk_session *s, const struct ptk_event *ev, void *arg);

/*
 * Resume, wait, record, until the session has no tracees left (-ECHILD)
 * or stop_after events were recorded (0: no limit).  Every event is
 * recorded into l (may be NULL).  Returns the number of events.
 */
size_t lt_run(struct ptk_session *s, enum ptk_resume_mode mode, struct log *l, lt_hook hook,
              void *arg, size_t stop_after);

/*
 * ptk_spawn() of argv (argv[0] is the path) with the tracee's stdout going
 * to a pipe whose read end is returned in *ret_out (CLOEXEC; NULL: the
 * tracee inherits the test's stdout).  Returns ptk_spawn's result.
 */
int lt_spawn(struct ptk_session *s, char *const argv[], unsigned spawn_flags, pid_t *ret_pid,
             int *ret_out);
/* lt_spawn() with all of ptk_spawn's options. */
int lt_spawn_opts(struct ptk_session *s, const struct ptk_spawn_opts *o, pid_t *ret_pid,
                  int *ret_out);
/*
 * A new session (session_flags) with argv spawned in it by lt_spawn(),
 * at its spawn stop (the case fails if either fails).
 */
struct ptk_session *lt_start(unsigned session_flags, char *const argv[], pid_t *ret_pid,
                             int *ret_out);

/*
 * Spawn block_read in s and let it run (PTK_RESUME_CONT) until it blocks in
 * read(2), taking its exec event on the way.  Returns its pid.
 */
pid_t lt_spawn_blocked_in_read(struct ptk_session *s, int *ret_out);
/*
 * Read the program's stdout from out to its end (which comes when the
 * program is gone), then end the session.  Returns the output (malloc'd).
 */
char *lt_finish(struct ptk_session *s, int out);
/* The program output o (malloc'd) must be want; frees it. */
void lt_output_is(char *o, const char *want);
/*
 * Resume pid with mode and run the session to its end with lt_run() (l,
 * hook and arg as there; l is dumped as notes), then lt_finish().
 */
char *lt_run_to_end(struct ptk_session *s, pid_t pid, int out, enum ptk_resume_mode mode,
                    struct log *l, lt_hook hook, void *arg);

/*
 * Spawn argv in a new session (session_flags), resume it with mode and run
 * it to the end with lt_run (hook and arg as there); the events go to l
 * (dumped as notes).  Returns the program's stdout (malloc'd); *ret_pid
 * (may be NULL) is its pid.
 */
char *lt_trace_all(char *const argv[], unsigned session_flags, enum ptk_resume_mode mode,
                   struct log *l, lt_hook hook, void *arg, pid_t *ret_pid);

/*
 * lt_trace_all() without a hook: the program's stdout must be want.
 * Returns its pid.
 */
pid_t lt_trace_expect(char *const argv[], unsigned session_flags, enum ptk_resume_mode mode,
                      struct log *l, const char *want);

/* The untraced run of argv prints want and exits with code. */
void lt_untraced_is(char *const argv[], const char *want, int code);

/* Read fd to end of file (waiting at most timeout_ms in all) into a
 * malloc'd NUL-terminated string; closes fd. */
char *lt_slurp(int fd, int timeout_ms);
/* Read one line (without the newline) with a timeout; false on EOF or timeout. */
bool lt_read_line(int fd, char *buf, size_t cap, int timeout_ms);
/* Is there data (or EOF) to read on fd right now? */
bool lt_readable(int fd);

/* Untraced run of argv: stdout into out (cap bytes); returns the wait status. */
int lt_untraced(char *const argv[], char *out, size_t cap);

/*
 * Start argv untraced with its stdin and stdout on pipes (ret_in: the
 * write end for its stdin, ret_out: the read end of its stdout; both
 * CLOEXEC).  Returns its pid.
 */
pid_t lt_popen(char *const argv[], int *ret_in, int *ret_out);
/*
 * lt_popen(), then read the first line it prints (within 10 s), which must
 * be first (NULL: any line).
 */
pid_t lt_popen_ready(char *const argv[], int *ret_in, int *ret_out, const char *first);
/*
 * End pid (started by lt_popen) through the end of its input: close in,
 * reap it (it must exit with code), close out.
 */
void lt_close_and_reap(pid_t pid, int in, int out, int code);
/* Kill pid with SIGKILL when the case exits (lt_popen does it for its own). */
void lt_track(pid_t pid);
/* SIGKILL pid and reap it (it must be our child). */
void lt_kill_reap(pid_t pid);

/* The state letter of /proc/PID/stat (R, S, T, t, Z, ...), or 0 when gone. */
char lt_state(pid_t pid);
/* Wait until the state of pid is one of states; false after timeout_ms. */
bool lt_wait_state(pid_t pid, const char *states, int timeout_ms);
/* Wait until /proc/PID/syscall starts with "NR " (pid blocked in syscall NR). */
bool lt_wait_syscall(pid_t pid, long nr, int timeout_ms);
/* A numeric field of /proc/PID/status ("TracerPid"), or -1. */
long lt_status_field(pid_t pid, const char *key);
/* A text field of /proc/PID/status ("Name"), into buf; false if absent. */
bool lt_status_text(pid_t pid, const char *key, char *buf, size_t cap);
/* Does process pid exist (a zombie counts)? */
bool lt_exists(pid_t pid);

/*
 * The path of the program name in /usr/bin, /usr/local/bin or /bin, or
 * NULL if none has it (a static buffer, one of four used in turn).
 */
const char *lt_tool(const char *name);
/*
 * Run gdb (its path) in batch mode (-batch -nx) with the commands script
 * on the program prog (its argv); returns gdb's stdout (malloc'd, at most
 * cap - 1 bytes).
 */
char *lt_gdb_batch(const char *gdb, const char *script, char *const prog[], size_t cap);

/* Sleep ms milliseconds (for polling loops only, never as a sync). */
void lt_msleep(int ms);

#endif
