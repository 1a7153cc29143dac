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
/* Number of records of kind (of tid, if tid > 0). */
size_t log_count(const struct log *l, pid_t tid, enum ptk_event_kind kind);
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

/*
 * Spawn argv in a new session (session_flags), resume it with mode and run
 * it to the end with lt_run (hook and arg as there); the events go to l
 * (dumped as notes).  Returns the program's stdout (malloc'd); *ret_pid
 * (may be NULL) is its pid.
 */
char *lt_trace_all(char *const argv[], unsigned session_flags, enum ptk_resume_mode mode,
                   struct log *l, lt_hook hook, void *arg, pid_t *ret_pid);

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

/* Sleep ms milliseconds (for polling loops only, never as a sync). */
void lt_msleep(int ms);

#endif
