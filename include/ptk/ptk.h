/* SPDX-License-Identifier: MIT */
/*
 * libptk: a ptrace toolkit for Linux x86_64.
 *
 * libptk owns every ptrace(2), waitpid(2) and process_vm_readv(2) call a
 * tracer makes.  A caller creates a session, spawns or attaches tracees,
 * then loops: ptk_wait() returns one classified stop, the caller looks at
 * it (registers, memory, syscall arguments) and resumes the thread with
 * ptk_resume().  The session keeps the state that makes classification
 * right (syscall entry vs exit, group-stop vs signal-delivery-stop, new
 * tracees that report before their parent's fork event, thread-id changes
 * on execve from a non-leader thread), so callers never re-derive it.
 *
 * Conventions: functions that can fail return int, >= 0 on success and
 * -errno on failure; results go through ret_ out parameters.  -ESRCH means
 * "the tracee is gone" and is an ordinary outcome.  The library never
 * prints and never exits; see ptk_set_log_fn().
 */
#ifndef PTK_PTK_H
#define PTK_PTK_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PTK_VERSION_MAJOR 0
#define PTK_VERSION_MINOR 1
#define PTK_VERSION_PATCH 0

/* The version string of the library the program runs with ("0.1.0"). */
const char *ptk_version(void);

struct ptk_session;

/* ------------------------------------------------------------------ */
/* Sessions                                                            */
/* ------------------------------------------------------------------ */

enum ptk_session_flags {
	/* Auto-attach fork, vfork and clone children (and threads). */
	PTK_FOLLOW = 1u << 0,
	/* Report PTRACE_EVENT_EXIT stops (one extra stop per exiting thread). */
	PTK_TRACE_EXIT = 1u << 1,
	/* Spawned tracees survive the tracer's death (no PTRACE_O_EXITKILL). */
	PTK_NO_EXITKILL = 1u << 2,
	/* Report PTRACE_EVENT_SECCOMP stops (PTRACE_O_TRACESECCOMP). */
	PTK_TRACE_SECCOMP = 1u << 3,
	/* Report vfork-done events (PTRACE_O_TRACEVFORKDONE). */
	PTK_TRACE_VFORK_DONE = 1u << 4,
	/*
	 * Memory access without process_vm_readv/writev: through /proc/PID/mem
	 * (PTK_MEM_VIA_PROC) or PTRACE_PEEKDATA/POKEDATA only
	 * (PTK_MEM_VIA_PEEK).  ptk falls back to these by itself where the
	 * kernel refuses process_vm_readv; the flags force them (for tests).
	 * Both force access as a debugger does: a PROT_NONE page reads as its
	 * contents, where process_vm_readv stops at it as the tracee would.
	 */
	PTK_MEM_VIA_PROC = 1u << 5,
	PTK_MEM_VIA_PEEK = 1u << 6,
	/*
	 * A PTK_RESUME_STEP (no signal) of a thread whose next instruction ptk
	 * can emulate, while no other thread of its address space runs,
	 * completes without running the thread: ptk applies the instruction's
	 * effect (registers, flags, memory) itself and the next ptk_wait()
	 * reports PTK_EV_STEP; no ptrace-stop.  For debuggers that step many
	 * instructions (stepi N).  Off with ptk_bp_set_methods() without
	 * PTK_BP_EMULATE.  Other instructions step for real.
	 */
	PTK_STEP_EMULATE = 1u << 7,
};

/*
 * Create a session.  flags are enum ptk_session_flags; they apply to every
 * tracee of the session.  Returns 0 and the session in *ret_s, or -ENOMEM.
 */
int ptk_session_new(struct ptk_session **ret_s, unsigned flags);

/*
 * End a session: breakpoints are removed, attached tracees are detached and
 * run on (a group-stopped one stays stopped), spawned tracees are killed
 * unless keep_spawned is true (then they are detached too).  Waits up to
 * timeout_ms for tracees to stop so they can be detached; a tracee that
 * cannot be stopped in time (a vfork parent in D state), or one that
 * ptk_detach() let go of and that has not stopped since, is released by the
 * kernel when the tracer exits.  Frees the session.  Safe with NULL.
 */
void ptk_session_end(struct ptk_session *s, bool keep_spawned, int timeout_ms);

/*
 * Polling before sleeping: a blocking ptk_wait() (and the library's own
 * waits for one thread) first polls for a result for up to max_us
 * microseconds, yielding the CPU between polls, then sleeps.  It polls only
 * with a single traced thread, and only while the previous wait after the
 * same kind of stop (for a syscall-enter stop, of the same syscall) was
 * answered within that time.  A thread resumed at a syscall or a breakpoint
 * stops again within microseconds, and polling saves the tracer's sleep and
 * wake-up, which on a VM cost more than the stop.  Off (0) by default;
 * PTK_WAIT_SPIN_DEFAULT_US is a good value.
 *
 * A poll is not interrupted by a signal: a caller that turns polling on and
 * relies on ptk_wait() returning -EINTR after its signal handlers ran must
 * call ptk_wait_wake() from those handlers (async-signal-safe; it concerns
 * whichever session waits, as a signal does).  The wait in progress, or
 * else the next one, then returns -EINTR.
 */
#define PTK_WAIT_SPIN_DEFAULT_US 50
void ptk_set_wait_spin(struct ptk_session *s, unsigned max_us);
void ptk_wait_wake(void);

/* Log sink for diagnostics the library would otherwise drop. */
enum ptk_log_level { PTK_LOG_DEBUG, PTK_LOG_INFO, PTK_LOG_WARN };
typedef void (*ptk_log_fn)(void *arg, enum ptk_log_level level, const char *msg);
void ptk_set_log_fn(struct ptk_session *s, ptk_log_fn fn, void *arg);

/*
 * Observer of the ptrace conversation: called for every ptrace request and
 * every wait result the library makes, in order (for `ptk trace --stops`).
 */
enum ptk_obs_kind { PTK_OBS_REQUEST, PTK_OBS_WAIT };
struct ptk_obs {
	enum ptk_obs_kind kind;
	long request;       /* PTK_OBS_REQUEST: PTRACE_* */
	pid_t pid;          /* target (request) or reporting tid (wait) */
	unsigned long addr; /* request arguments */
	unsigned long data;
	long result; /* request result, or -errno */
	int status;  /* PTK_OBS_WAIT: the raw wait status */
};
typedef void (*ptk_obs_fn)(void *arg, const struct ptk_obs *o);
void ptk_set_observer(struct ptk_session *s, ptk_obs_fn fn, void *arg);

/* Name of a ptrace request ("PTRACE_SYSCALL"), or NULL if unknown. */
const char *ptk_request_name(long request);

/* Counters of what the session cost, for benchmarks and `-c`. */
struct ptk_stats {
	uint64_t stops;        /* ptrace-stops reported by waitpid */
	uint64_t ptrace_calls; /* all ptrace(2) requests */
	uint64_t resumes;      /* of which resume requests (CONT, SYSCALL, ...) */
	uint64_t waits;        /* wait4 calls that returned a result */
	uint64_t empty_waits;  /* WNOHANG wait4 calls that found nothing */
	uint64_t vm_reads;     /* process_vm_readv calls */
	uint64_t vm_writes;    /* process_vm_writev and /proc/pid/mem writes */
	uint64_t proc_reads;   /* reads of /proc files */
	uint64_t spin_polls;   /* polls (WNOHANG wait4) of blocking waits that found nothing */
	uint64_t spin_hits;    /* blocking waits that polling answered without sleeping */
};
void ptk_stats_get(const struct ptk_session *s, struct ptk_stats *ret);

/* ------------------------------------------------------------------ */
/* Spawning and attaching                                              */
/* ------------------------------------------------------------------ */

enum ptk_spawn_flags {
	/* Look the program up in $PATH when it has no '/' (as execvp). */
	PTK_SPAWN_PATH = 1u << 0,
	/* Disable address-space randomization (personality ADDR_NO_RANDOMIZE). */
	PTK_SPAWN_NO_ASLR = 1u << 1,
	/* Run as uid/gid (and their supplementary groups) of the opts. */
	PTK_SPAWN_SETUID = 1u << 2,
	/* Put the child in its own process group (job control from a shell). */
	PTK_SPAWN_SETPGID = 1u << 3,
};

struct ptk_spawn_opts {
	const char *path;  /* program; searched in $PATH with PTK_SPAWN_PATH */
	char *const *argv; /* NULL-terminated; argv[0] conventionally path */
	char *const *envp; /* NULL: the caller's environ */
	unsigned flags;    /* enum ptk_spawn_flags */
	const char *cwd;   /* NULL: inherit */
	uid_t uid;         /* with PTK_SPAWN_SETUID */
	gid_t gid;
	const sigset_t *sigmask; /* NULL: inherit the caller's mask */
	/*
	 * NULL: the program inherits the caller's ignored signals.  Otherwise
	 * the program starts with exactly these signals ignored (SIG_IGN) and
	 * every other one at its default: pass the set the caller itself was
	 * started with, so handlers and SIG_IGN it installed since do not show.
	 */
	const sigset_t *sigignore;
	/*
	 * seccomp: when non-NULL, a filter is installed in the child before
	 * execve so that only the syscalls whose numbers are set in this
	 * bitmap (x86_64 numbers, 1 bit each, seccomp_nr bits) stop the
	 * tracee, as PTK_EV_SECCOMP events.  The session needs
	 * PTK_TRACE_SECCOMP.  See ptk_seccomp_supported().
	 *
	 * The filter is inherited by every descendant and cannot be removed:
	 * a descendant that is not traced (a CLONE_UNTRACED child, a child of
	 * a detached process) gets ENOSYS from every syscall in the set, as
	 * seccomp(2) says of SECCOMP_RET_TRACE without a tracer.  Follow
	 * children (PTK_FOLLOW) and do not detach while the program runs.
	 * The filter also sets no_new_privs: set-user-ID programs run without
	 * their privileges.
	 */
	const uint8_t *seccomp_set;
	size_t seccomp_nr;
};

/*
 * Start a program under trace.  Tracing options are in force before the
 * program's first instruction.  On success the new tracee is stopped just
 * before its execve(2) (no signal pending) and *ret_pid is its pid: resume
 * it with PTK_RESUME_SYSCALL to see the execve syscall-enter-stop, or with
 * PTK_RESUME_CONT to run to the PTK_EV_EXEC stop.
 * Errors: -ENOENT (no such program), -EACCES (not executable),
 * -ENOEXEC (not a format the kernel runs), -EISDIR, -EAGAIN, -ENOMEM.
 * A failed spawn leaves no process behind.
 */
int ptk_spawn(struct ptk_session *s, const struct ptk_spawn_opts *o, pid_t *ret_pid);

enum ptk_attach_flags {
	/* Seize without stopping: no PTK_EV_STOP is reported after attach. */
	PTK_ATTACH_NOSTOP = 1u << 0,
};

/*
 * Attach to every thread of process pid (PTRACE_SEIZE, re-reading
 * /proc/pid/task until no new thread appears).  Unless PTK_ATTACH_NOSTOP,
 * every thread is interrupted and reports one PTK_EV_STOP (or
 * PTK_EV_GROUP_STOP when the process was stopped: it stays stopped when
 * resumed).  *ret_nthreads (may be NULL) receives the number of threads.
 * Errors: -ESRCH (no such process, or a zombie), -EPERM (see
 * ptk_explain()), -EINVAL (pid is the caller itself or its tracer),
 * -EALREADY (already attached in this session).
 */
int ptk_attach(struct ptk_session *s, pid_t pid, unsigned flags, int *ret_nthreads);

/*
 * Detach from every thread of process pid.  Breakpoints are removed from
 * its memory first.  A running thread is interrupted and detached at its
 * next stop; a pending signal is passed on; a group-stopped process stays
 * stopped.  Waits up to timeout_ms for running threads to stop.
 * Returns 0, -ESRCH (not a tracee of this session) or -ETIMEDOUT (some
 * thread could not be stopped in time, such as a vfork parent in D state:
 * it is no longer a tracee of the session but stays traced until it stops;
 * the ptk_wait() that collects that stop detaches it and reports nothing,
 * and if none does, the kernel releases it when the tracer exits).
 */
int ptk_detach(struct ptk_session *s, pid_t pid, int timeout_ms);

/*
 * Are threads that ptk_detach() could not stop still traced, waiting for
 * their next stop?  A caller that does not call ptk_wait() for a while (a
 * debugger at its prompt) calls it with PTK_WAIT_NOHANG when SIGCHLD comes
 * while this is true, so they run untraced as soon as they can.
 */
bool ptk_detach_pending(const struct ptk_session *s);

/*
 * A thread of tracee process pid that has not stopped since it was last
 * resumed or attached (its stop not yet collected), or 0 if every one has;
 * *ret_state receives its state letter from /proc (D: uninterruptible
 * sleep, such as a vfork parent waiting for its child; 0 if unknown).  For
 * a caller waiting for stops that do not come.
 */
pid_t ptk_thread_unstopped(const struct ptk_session *s, pid_t pid, char *ret_state);

/* Kill process pid with SIGKILL; its deaths are reported by ptk_wait(). */
int ptk_kill(struct ptk_session *s, pid_t pid);

/* Send signal sig to one thread (tgkill), a tracee or not. */
int ptk_thread_signal(struct ptk_session *s, pid_t tid, int sig);

/*
 * Send signal sig to process pid (kill(2): any thread that does not block it
 * takes it), a tracee or not.  A stopped process is continued first when
 * cont is true, so the signal is acted on as without a tracer.
 */
int ptk_process_signal(struct ptk_session *s, pid_t pid, int sig, bool cont);

/*
 * Interrupt a running tracee (PTRACE_INTERRUPT): it reports a PTK_EV_STOP.
 * No-op (returns 0) when it is already stopped.
 */
int ptk_interrupt(struct ptk_session *s, pid_t tid);

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

enum ptk_event_kind {
	PTK_EV_NONE = 0,
	PTK_EV_SYSCALL_ENTER, /* syscall-enter-stop; ev->sc */
	PTK_EV_SYSCALL_EXIT,  /* syscall-exit-stop; ev->sc (rval, is_error) */
	PTK_EV_SIGNAL,        /* signal-delivery-stop; ev->sig, ev->si */
	PTK_EV_GROUP_STOP,    /* group-stop; ev->sig is the stopping signal */
	PTK_EV_FORK,          /* PTRACE_EVENT_FORK; ev->new_tid */
	PTK_EV_VFORK,         /* PTRACE_EVENT_VFORK; ev->new_tid */
	PTK_EV_CLONE,         /* PTRACE_EVENT_CLONE; ev->new_tid */
	PTK_EV_VFORK_DONE,    /* PTRACE_EVENT_VFORK_DONE; ev->new_tid */
	PTK_EV_EXEC,          /* PTRACE_EVENT_EXEC; ev->former_tid */
	PTK_EV_EXIT,          /* PTRACE_EVENT_EXIT; ev->msg: the wait status to come */
	PTK_EV_SECCOMP,       /* PTRACE_EVENT_SECCOMP; ev->sc, ev->msg, ev->own_seccomp */
	PTK_EV_STOP,          /* PTRACE_EVENT_STOP: interrupt, attach, new tracee */
	PTK_EV_STEP,          /* single-step completed */
	PTK_EV_BREAKPOINT,    /* a ptk breakpoint; ev->addr (pc already rewound), ev->bp_id */
	PTK_EV_EXITED,        /* thread exited; ev->exit_code */
	PTK_EV_KILLED,        /* thread killed; ev->sig, ev->core_dumped */
	PTK_EV_WATCHPOINT,    /* a ptk watchpoint triggered; ev->addr, ev->watch */
	PTK_EV__COUNT
};

/* Name of an event kind ("syscall-enter"), for logs and --stops. */
const char *ptk_event_name(enum ptk_event_kind k);

enum ptk_arch { PTK_ARCH_UNKNOWN = 0, PTK_ARCH_X86_64, PTK_ARCH_I386, PTK_ARCH_X32 };

enum ptk_syscall_op { PTK_SC_NONE = 0, PTK_SC_ENTRY, PTK_SC_EXIT, PTK_SC_SECCOMP };

/* Largest range one watchpoint covers (hardware: 1, 2, 4 or 8 aligned bytes). */
#define PTK_WATCH_MAX_LEN 64

/* What a PTK_EV_WATCHPOINT reports. */
struct ptk_watch_hit {
	int id;          /* the watchpoint */
	unsigned kind;   /* its kind: PTK_WATCH_WRITE, PTK_WATCH_READ or PTK_WATCH_ACCESS */
	unsigned access; /* what happened: PTK_WATCH_WRITE (the value changed) or PTK_WATCH_READ */
	bool hardware;   /* caught by a debug register (else by single-stepping) */
	uint64_t addr;   /* the watched range */
	uint32_t len;
	uint64_t pc;                   /* the pc after the instruction that accessed it */
	uint64_t old_value, new_value; /* the first min(len, 8) bytes, little-endian */
	uint8_t old_bytes[PTK_WATCH_MAX_LEN], new_bytes[PTK_WATCH_MAX_LEN];
};

struct ptk_syscall {
	enum ptk_syscall_op op;
	enum ptk_arch arch;
	long nr;          /* for x32, without the __X32_SYSCALL_BIT */
	uint64_t args[6]; /* entry and seccomp stops */
	int64_t rval;     /* exit stops: return value (-errno on error) */
	bool is_error;    /* exit stops */
	uint64_t ip, sp;  /* instruction and stack pointer at the stop */
};

struct ptk_event {
	enum ptk_event_kind kind;
	pid_t tid;         /* the thread that stopped or died */
	pid_t pid;         /* its process (thread group) id */
	int status;        /* the raw wait status */
	int sig;           /* SIGNAL, GROUP_STOP, STOP: the signal; KILLED: the killing signal */
	unsigned long msg; /* PTRACE_GETEVENTMSG, for event stops */
	pid_t new_tid;     /* FORK/VFORK/CLONE/VFORK_DONE: the child */
	pid_t former_tid;  /* EXEC: the thread that called execve (== tid unless a
	                      non-leader thread exec'd: then every other thread,
	                      including the old leader, is gone) */
	int exit_code;     /* EXITED */
	bool core_dumped;  /* KILLED */
	bool process_gone; /* EXITED/KILLED: this was the last thread of pid */
	bool new_tracee;   /* STOP: first stop of an auto-attached tracee */
	bool new_thread;   /* new_tracee: a thread of an already-traced process
	                      (else a new process, its parent is ev->ppid) */
	pid_t ppid;        /* new_tracee, new process: the tracee that created it */
	bool attach_stop;  /* STOP/GROUP_STOP: the stop requested by ptk_attach() */
	bool own_seccomp;  /* SECCOMP: ptk's filter asked for this stop (else the
	                      tracee's own filter returned SECCOMP_RET_TRACE) */
	struct ptk_syscall sc; /* SYSCALL_ENTER/EXIT, SECCOMP */
	siginfo_t si;          /* SIGNAL: the siginfo the tracee would get */
	uint64_t addr;         /* BREAKPOINT: the breakpoint address; WATCHPOINT: the watched one */
	int bp_id;             /* BREAKPOINT */
	struct ptk_watch_hit watch; /* WATCHPOINT */
};

enum ptk_wait_flags {
	PTK_WAIT_NOHANG = 1u << 0, /* return -EAGAIN rather than block */
};

/*
 * Wait for the next event of any tracee of the session.  Events of all
 * threads are queued in the order the kernel reported them and returned one
 * at a time, so one busy thread cannot starve the others.  The stopped
 * thread stays stopped until ptk_resume(), ptk_detach() or ptk_kill().
 * Returns 0 with *ev filled in; -ECHILD when the session has no tracees
 * left; -EAGAIN with PTK_WAIT_NOHANG when nothing is pending; -EINTR when
 * a signal handler of the caller ran (so front ends can react to SIGINT).
 */
int ptk_wait(struct ptk_session *s, struct ptk_event *ev, unsigned flags);

enum ptk_resume_mode {
	PTK_RESUME_CONT,    /* PTRACE_CONT */
	PTK_RESUME_SYSCALL, /* PTRACE_SYSCALL: stop at the next syscall enter/exit */
	PTK_RESUME_STEP,    /* PTRACE_SINGLESTEP: one instruction, PTK_EV_STEP */
};

/*
 * Resume a stopped thread.  sig is the signal to deliver: it may be
 * non-zero only at a signal-delivery-stop (anywhere else the kernel would
 * drop it silently; -EINVAL is returned instead).  A group-stop of the
 * tracee is resumed with PTRACE_LISTEN whatever the mode, so the process
 * stays stopped until SIGCONT, as without a tracer.  When the thread is
 * stopped on one of ptk's breakpoints the original instruction is executed
 * first without other threads running through the breakpoint (see
 * ptk_bp_info()); a PTK_RESUME_STEP from a breakpoint executes the original
 * instruction once and reports PTK_EV_STEP.  A step over a `syscall`
 * instruction reports PTK_EV_STEP when the syscall has returned.  While the
 * process has software watchpoints, its threads run one instruction at a
 * time (see ptk_watch_insert()).
 * Returns 0, -ESRCH (gone: its death is reported by ptk_wait()), -EBUSY
 * (not stopped), -EINVAL.
 */
int ptk_resume(struct ptk_session *s, pid_t tid, enum ptk_resume_mode mode, int sig);

/* ------------------------------------------------------------------ */
/* Tracees                                                             */
/* ------------------------------------------------------------------ */

/* Process of a traced thread (its thread group id), or -ESRCH. */
int ptk_thread_pid(const struct ptk_session *s, pid_t tid);

/*
 * Threads of a traced process, in the order they were attached.  Writes at
 * most max tids to ret_tids and returns the number of threads (which may
 * be more than max), or -ESRCH.
 */
int ptk_process_threads(const struct ptk_session *s, pid_t pid, pid_t *ret_tids, int max);

/* Number of live tracee threads in the session. */
int ptk_session_nthreads(const struct ptk_session *s);

/* Whether a process was spawned by ptk_spawn() (or is a follower of one). */
bool ptk_process_spawned(const struct ptk_session *s, pid_t pid);

/* ------------------------------------------------------------------ */
/* Memory                                                              */
/* ------------------------------------------------------------------ */

/*
 * Read len bytes at addr of the address space of tid.  One
 * process_vm_readv where the kernel allows, else /proc/pid/mem, else
 * PTRACE_PEEKDATA.  Returns 0 when all bytes were read; -EFAULT when only
 * a prefix was readable (*ret_n, may be NULL, says how much: a read that
 * runs into an unmapped or PROT_NONE page returns what came before it);
 * -ESRCH, -EIO otherwise.
 */
int ptk_mem_read(struct ptk_session *s, pid_t tid, uint64_t addr, void *buf, size_t len,
                 size_t *ret_n);

/*
 * Read a NUL-terminated string of at most max bytes (not counting the NUL)
 * into buf, which must hold max + 1 bytes; buf is always NUL-terminated.
 * Returns 0 when the NUL was found, 1 when max bytes were read without a
 * NUL (truncated), -EFAULT when memory ended first (buf holds what was
 * readable), or another -errno.  *ret_len (may be NULL): bytes in buf.
 */
int ptk_mem_read_str(struct ptk_session *s, pid_t tid, uint64_t addr, char *buf, size_t max,
                     size_t *ret_len);

/*
 * Write len bytes at addr, including read-only (text) pages: through
 * process_vm_writev, then /proc/pid/mem, then PTRACE_POKEDATA.  Returns 0,
 * -EFAULT (nothing or only part written: *ret_n), or another -errno.
 */
int ptk_mem_write(struct ptk_session *s, pid_t tid, uint64_t addr, const void *buf, size_t len,
                  size_t *ret_n);

/* ------------------------------------------------------------------ */
/* Registers                                                           */
/* ------------------------------------------------------------------ */

/* General registers, in the layout of the kernel's user_regs_struct. */
struct ptk_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi, orig_rax, rip, cs, eflags, rsp, ss;
	uint64_t fs_base, gs_base, ds, es, fs, gs;
};

/* The x87/SSE state (FXSAVE layout, 512 bytes). */
struct ptk_fpregs {
	uint16_t cwd, swd, ftw, fop;
	uint64_t rip, rdp;
	uint32_t mxcsr, mxcsr_mask;
	uint8_t st[8][16]; /* 80-bit x87 registers, 16 bytes apart */
	uint8_t xmm[16][16];
	uint8_t padding[96];
};

/* Read / write the general registers of a stopped thread.  Cached per stop. */
int ptk_regs_get(struct ptk_session *s, pid_t tid, struct ptk_regs *ret);
int ptk_regs_set(struct ptk_session *s, pid_t tid, const struct ptk_regs *r);

/* Read / write the x87/SSE registers (NT_PRFPREG). */
int ptk_fpregs_get(struct ptk_session *s, pid_t tid, struct ptk_fpregs *ret);
int ptk_fpregs_set(struct ptk_session *s, pid_t tid, const struct ptk_fpregs *r);

/*
 * The XSAVE area (NT_X86_XSTATE), as the kernel lays it out: legacy area,
 * header, then the components (AVX upper halves of ymm0-15 at byte 576).
 * *ret_len receives the size the kernel returned.
 */
int ptk_xstate_get(struct ptk_session *s, pid_t tid, void *buf, size_t len, size_t *ret_len);
int ptk_xstate_set(struct ptk_session *s, pid_t tid, const void *buf, size_t len);

/* The upper 128 bits of ymm0..15 (zeros when AVX state is in its init state). */
int ptk_ymm_hi_get(struct ptk_session *s, pid_t tid, uint8_t ret[16][16]);

/* Debug registers DR0-DR7 (idx 0..7; 4 and 5 are reserved). */
int ptk_debugreg_get(struct ptk_session *s, pid_t tid, int idx, uint64_t *ret);
int ptk_debugreg_set(struct ptk_session *s, pid_t tid, int idx, uint64_t val);

/* ------------------------------------------------------------------ */
/* System calls at syscall stops                                       */
/* ------------------------------------------------------------------ */

/* The syscall state of a thread at a syscall or seccomp stop. */
int ptk_syscall_get(struct ptk_session *s, pid_t tid, struct ptk_syscall *ret);

/*
 * Change the syscall at a syscall-enter or seccomp stop: its number (-1
 * skips it: then its return value is what ptk_syscall_set_return() sets,
 * -ENOSYS by default) and arguments.
 */
int ptk_syscall_set_nr(struct ptk_session *s, pid_t tid, long nr);
int ptk_syscall_set_arg(struct ptk_session *s, pid_t tid, int idx, uint64_t val);

/* Set the return value (-errno for an error) at a syscall-exit stop, or of
 * a skipped syscall at its enter stop. */
int ptk_syscall_set_return(struct ptk_session *s, pid_t tid, int64_t rval);

/* Whether this kernel can filter syscall stops with seccomp-bpf. */
bool ptk_seccomp_supported(void);

/* ------------------------------------------------------------------ */
/* Breakpoints                                                         */
/* ------------------------------------------------------------------ */

/*
 * Insert an int3 breakpoint at addr in the address space of process pid.
 * Threads that execute it report PTK_EV_BREAKPOINT with the pc rewound to
 * addr.  Inserting at an address that already has one returns its id.
 * Returns 0 with *ret_id, -EFAULT (unmapped), -ESRCH.
 */
int ptk_bp_insert(struct ptk_session *s, pid_t pid, uint64_t addr, int *ret_id);

/* Remove a breakpoint (restores the original byte).  -ENOENT if no such id. */
int ptk_bp_remove(struct ptk_session *s, pid_t pid, int id);

/* The original byte under a breakpoint at addr, so memory views hide int3s. */
int ptk_bp_shadow(const struct ptk_session *s, pid_t pid, uint64_t addr, uint8_t *ret_byte);

/*
 * How a thread stopped on a breakpoint gets past the instruction under it
 * when it is resumed, cheapest first:
 *  - PTK_BP_EMULATE: ptk applies the instruction's effect to the registers
 *    (and stack memory) itself and the thread continues after it: one stop
 *    per hit, no other thread disturbed.  Decided once, when the breakpoint
 *    is inserted, for common instructions whose effect ptk computes exactly
 *    (flags included: they are computed by the same instruction on the
 *    tracer's CPU).
 *  - PTK_BP_DISPLACED: the thread executes a copy of the instruction in a
 *    page ptk maps into the tracee (rip-relative operands adjusted), then
 *    continues at the next instruction: two stops, no other thread held.
 *    A `syscall` runs from another `syscall` instruction of the process.
 *  - PTK_BP_STEP: the int3 is lifted, the thread steps the original
 *    instruction and the int3 is put back; other threads of the address
 *    space are held stopped meanwhile (unless there are none).
 * A method that cannot be used for one hit (an emulated store to an
 * unmapped stack page, no room for a copy) falls back to the next.
 */
enum ptk_bp_method { PTK_BP_EMULATE = 1, PTK_BP_DISPLACED = 2, PTK_BP_STEP = 3 };

struct ptk_bp_info {
	uint64_t addr;
	int id;
	uint8_t orig;              /* the original byte */
	uint8_t len;               /* length of the instruction under it (0: not decoded) */
	enum ptk_bp_method method; /* the cheapest method allowed for it */
};

/* Describe breakpoint id of process pid.  Returns 0, -ENOENT or -ESRCH. */
int ptk_bp_info(const struct ptk_session *s, pid_t pid, int id, struct ptk_bp_info *ret);

/*
 * Restrict the methods a session may use: mask is a set of (1u << method);
 * PTK_BP_STEP is always allowed.  For measurements and tests; the default
 * allows all.  Returns the previous mask.
 */
unsigned ptk_bp_set_methods(struct ptk_session *s, unsigned mask);

/* ------------------------------------------------------------------ */
/* Watchpoints                                                         */
/* ------------------------------------------------------------------ */

enum ptk_watch_kind {
	PTK_WATCH_WRITE = 1,  /* report when the value changes */
	PTK_WATCH_READ = 2,   /* report reads by an instruction */
	PTK_WATCH_ACCESS = 3, /* both */
	/* flags or'ed into kind */
	PTK_WATCH_HW = 1u << 8, /* hardware only: fail rather than fall back */
	PTK_WATCH_SW = 1u << 9, /* software only, even where debug registers work */
};

/*
 * Watch len bytes at addr in process pid (every thread, present and
 * future).  Threads that change the value (or, for READ and ACCESS, read
 * it) report PTK_EV_WATCHPOINT after the instruction, with the old and new
 * value.  A write of the value already there is not reported.
 *
 * Hardware (debug registers DR0-DR3, set in every thread and in each new
 * thread before it runs) is used when ptk_hw_watch_works() and the range
 * fits one register (len 1, 2, 4 or 8, aligned) and one is free; else
 * software: every thread of the process then runs one instruction at a
 * time and the watched bytes are compared after each (and after each
 * syscall, so a read(2) into the range is caught); reads are seen by
 * decoding each instruction's memory operands (a syscall that reads the
 * range is not seen).  Software watchpoints never miss a change but make
 * the process run about 10^4 times slower.  len is 1..PTK_WATCH_MAX_LEN.
 * Watchpoints belong to the process (not to a vfork child sharing its
 * memory) and are dropped at execve.
 * Returns 0 with *ret_id; -EINVAL (len, kind), -EOPNOTSUPP (PTK_WATCH_HW
 * and no debug register can do it), -EFAULT (not readable), -ESRCH.
 */
int ptk_watch_insert(struct ptk_session *s, pid_t pid, uint64_t addr, size_t len, unsigned kind,
                     int *ret_id);

/* Remove a watchpoint: -ENOENT if no such id.  Detaching removes them all. */
int ptk_watch_remove(struct ptk_session *s, pid_t pid, int id);

struct ptk_watch_info {
	int id;
	uint64_t addr;
	uint32_t len;
	unsigned kind; /* PTK_WATCH_WRITE, _READ or _ACCESS */
	bool hardware; /* debug register slot (else software) */
	int slot;      /* hardware: DR0-DR3 */
};

/* Describe watchpoint id of process pid (for `info watchpoints`). */
int ptk_watch_info(const struct ptk_session *s, pid_t pid, int id, struct ptk_watch_info *ret);

/*
 * Whether debug-register traps really fire on this machine.  Probed once
 * per session: a short-lived child process of the caller writes a word
 * watched through DR0 and ptk checks that the trap arrives (some virtual
 * machines accept DR7 but never deliver the trap).
 */
bool ptk_hw_watch_works(struct ptk_session *s);

/* ------------------------------------------------------------------ */
/* Memory maps                                                         */
/* ------------------------------------------------------------------ */

enum { PTK_PROT_R = 1, PTK_PROT_W = 2, PTK_PROT_X = 4, PTK_MAP_SHARED = 8 };

struct ptk_map {
	uint64_t start, end, offset;
	unsigned prot; /* PTK_PROT_* | PTK_MAP_SHARED */
	unsigned dev_major, dev_minor;
	uint64_t inode;
	const char *path; /* "" when anonymous; "[stack]", "[heap]", ... */
};

struct ptk_maps {
	struct ptk_map *v;
	size_t n;
	char *strings; /* owns the path strings */
};

/*
 * Parse the text of /proc/PID/maps (pure, no process involved).  Lines that
 * do not parse are skipped and counted in *ret_bad (may be NULL).  Returns
 * 0 or -ENOMEM.  Free with ptk_maps_free().
 */
int ptk_maps_parse(const char *text, size_t len, struct ptk_maps *ret, size_t *ret_bad);

/* Read and parse /proc/PID/maps.  -ESRCH, -EACCES, -ENOMEM. */
int ptk_maps_read(pid_t pid, struct ptk_maps *ret);
void ptk_maps_free(struct ptk_maps *m);

/* The map that contains addr, or NULL. */
const struct ptk_map *ptk_maps_find(const struct ptk_maps *m, uint64_t addr);

/* ------------------------------------------------------------------ */
/* Auxiliary vector and loaded objects                                 */
/* ------------------------------------------------------------------ */

/*
 * The value of an auxiliary vector entry (AT_PHDR, AT_ENTRY, AT_BASE, ...)
 * of process pid, from /proc/PID/auxv.  -ENOENT if absent, -ESRCH.
 */
int ptk_auxv_get(pid_t pid, uint64_t type, uint64_t *ret);

/*
 * The load bias of the main executable (0 unless it is PIE): the
 * difference between the run-time and link-time addresses, from AT_PHDR
 * and the program headers.  Also its PT_DYNAMIC run-time address
 * (*ret_dynamic, may be NULL; 0 for a static executable).
 */
int ptk_exe_load_bias(struct ptk_session *s, pid_t pid, uint64_t *ret_bias, uint64_t *ret_dynamic);

struct ptk_solib {
	uint64_t lm;      /* address of its struct link_map in the tracee */
	uint64_t l_addr;  /* load bias */
	uint64_t l_ld;    /* run-time address of its dynamic section */
	const char *name; /* l_name as the dynamic loader has it ("" for the executable) */
};

struct ptk_solibs {
	struct ptk_solib *v;
	size_t n;
	uint64_t r_debug; /* address of the loader's struct r_debug, 0 if not yet set */
	uint64_t r_brk;   /* the address the loader calls on every change (_dl_debug_state) */
	int r_state;      /* RT_CONSISTENT 0, RT_ADD 1, RT_DELETE 2 */
	char *strings;
};

/*
 * The dynamic loader's list of loaded objects (the link_map chain of
 * struct r_debug, found through DT_DEBUG of the executable's dynamic
 * section), in load order.  Before the loader has run (at the exec stop)
 * or in a static executable, the list is empty and r_debug is 0.  A
 * breakpoint on r_brk stops at every change.  Free with ptk_solibs_free().
 */
int ptk_solibs_read(struct ptk_session *s, pid_t pid, struct ptk_solibs *ret);
void ptk_solibs_free(struct ptk_solibs *l);

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

enum ptk_op { PTK_OP_ATTACH, PTK_OP_SPAWN };

/*
 * Explain a failed ptk_attach() (target = the pid as text) or ptk_spawn()
 * (target = the program) in one line that names the cause and the fix, for
 * example "cannot attach to 1234: it is already traced by 999 (gdb);
 * detach that tracer first".  err is the negative errno returned.  Looks
 * at /proc (TracerPid, state, kernel threads), the ptrace_scope sysctl and
 * the caller's capabilities to find the cause.  Writes a NUL-terminated
 * line without a newline; returns its length, as snprintf.
 */
int ptk_explain(enum ptk_op op, int err, const char *target, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#include <ptk/tables.h>

#endif
