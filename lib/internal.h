/* SPDX-License-Identifier: MIT */
/*
 * libptk internals: the session's tracee and process tables, the queue of
 * wait results not yet reported, and the helpers every lib/ file shares.
 */
#ifndef PTK_LIB_INTERNAL_H
#define PTK_LIB_INTERNAL_H

#include "ptk/ptk.h"

#include <errno.h>
#include <stdarg.h>

/*
 * PTRACE_GET_SYSCALL_INFO's result (linux/ptrace.h, struct
 * ptrace_syscall_info), declared here so that lib/ includes only
 * <sys/ptrace.h> (the two headers clash on some libc versions).
 */
struct sc_info {
	uint8_t op;
	uint8_t pad[3];
	uint32_t arch;
	uint64_t instruction_pointer;
	uint64_t stack_pointer;
	union {
		struct {
			uint64_t nr;
			uint64_t args[6];
		} entry;
		struct {
			int64_t rval;
			uint8_t is_error;
		} exit;
		struct {
			uint64_t nr;
			uint64_t args[6];
			uint32_t ret_data;
		} seccomp;
	};
};
#define SC_OP_NONE    0
#define SC_OP_ENTRY   1
#define SC_OP_EXIT    2
#define SC_OP_SECCOMP 3

/*
 * The state of one traced thread as ptk knows it.  A thread is RUNNING
 * after a resume request; QUEUED when waitpid reported a stop that
 * ptk_wait() has not returned yet; STOPPED once that stop was returned
 * (the caller owns it until it resumes, detaches or kills); LISTENING
 * after PTRACE_LISTEN from a group-stop; DEAD when it exited (the record
 * lives on only until its death is reported).
 */
enum tstate { T_RUNNING, T_QUEUED, T_STOPPED, T_LISTENING, T_DEAD };

struct proc;

struct tracee {
	pid_t tid;
	struct proc *proc;
	struct tracee *hnext;       /* hash chain */
	struct tracee *next, *prev; /* list of the process's threads */
	enum tstate state;
	enum ptk_event_kind stop_kind; /* of the reported stop */
	int stop_sig;                  /* of the reported stop */
	bool initial;                  /* at the spawn stop: suppress its SIGCONT */
	bool attach_pending;           /* interrupted by ptk_attach: next STOP is it */
	bool interrupt_pending;        /* PTRACE_INTERRUPT sent, stop not yet seen */
	bool interrupt_internal;       /* ... by ptk itself: swallow that stop */
	int last_req;                  /* the last resume request (PTRACE_CONT, ...) */
	bool new_pending;              /* auto-attached, first stop not yet seen */
	bool stepping;                 /* resumed with PTRACE_SINGLESTEP */
	bool user_step;                /* ... because the caller asked for it */
	bool exiting;                  /* PTRACE_EVENT_EXIT seen */
	bool regs_valid;               /* regs caches GETREGS for this stop */
	bool at_bp;                    /* stopped on a ptk breakpoint (pc rewound) */
	bool foreign_seccomp;          /* at a SECCOMP stop of the tracee's own filter */
	bool sc_changed;               /* the caller changed the syscall at this stop */
	struct ptk_regs regs;
	pid_t creator; /* new_pending: the tid that created it */
};

struct bp {
	uint64_t addr;
	int id;
	uint8_t orig;
	bool inserted;
	struct bp *next;
};

/*
 * A traced process (thread group).  Breakpoints belong to its address
 * space; a vfork child or a CLONE_VM child shares its parent's (mm_owner).
 */
struct proc {
	pid_t pid;
	struct proc *next, *prev; /* session list */
	struct tracee *threads;   /* list head */
	int nthreads;
	bool spawned; /* spawned (or a follower of one): kill at end */
	int memfd;    /* /proc/pid/mem, -1 until needed */
	struct bp *bps;
	int next_bp_id;
	struct proc *mm_owner; /* process whose memory this one shares, or NULL */
	bool detaching;        /* inside ptk_detach: its stops are not reported */
	pid_t parent;
};

/* A wait result waiting to be reported, or a stop of a tracee not yet known. */
struct qent {
	pid_t tid;
	int status;
};

struct queue {
	struct qent *v;
	size_t head, len, cap;
};

struct parked {
	pid_t tid;
	int status;
	struct parked *next;
};

#define HASH_MIN 64

struct ptk_session {
	unsigned flags;
	long ptrace_opts; /* PTRACE_O_* for every tracee */
	struct tracee **hash;
	size_t hash_cap, ntracees;
	struct proc *procs;
	struct queue q;
	struct parked *parked; /* stops of unknown tids: new children reporting early */
	ptk_log_fn log_fn;
	void *log_arg;
	ptk_obs_fn obs_fn;
	void *obs_arg;
	struct ptk_stats st;
	pid_t self;
	bool vm_rw_broken; /* process_vm_readv unavailable: use /proc/pid/mem */
};

/* session.c */
long pt(struct ptk_session *s, int req, pid_t pid, unsigned long addr, unsigned long data);
int pt_peek(struct ptk_session *s, int req, pid_t pid, unsigned long addr, uint64_t *ret);
void plog(struct ptk_session *s, enum ptk_log_level lvl, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
struct tracee *tracee_find(const struct ptk_session *s, pid_t tid);
struct tracee *tracee_add(struct ptk_session *s, struct proc *p, pid_t tid);
void tracee_del(struct ptk_session *s, struct tracee *t);
struct proc *proc_find(const struct ptk_session *s, pid_t pid);
struct proc *proc_add(struct ptk_session *s, pid_t pid);
void proc_del(struct ptk_session *s, struct proc *p);
void tracee_rekey(struct ptk_session *s, struct tracee *t, pid_t newtid);
int read_proc_status(struct ptk_session *s, pid_t tid, const char *key, long *ret);

/* event.c */
int queue_push(struct queue *q, pid_t tid, int status);
int enqueue(struct ptk_session *s, pid_t tid, int status);
bool queue_has(const struct queue *q, pid_t tid);
void queue_drop(struct queue *q, pid_t tid);
int wait_tid(struct ptk_session *s, pid_t tid, int *ret_status, int timeout_ms);
int settle(struct ptk_session *s, pid_t tid, int timeout_ms);
void adopt_unknown_threads(struct ptk_session *s, struct proc *p);
int resume_raw(struct ptk_session *s, struct tracee *t, int req, int sig);

/* mem.c */
void mem_close(struct proc *p);
int mem_poke_text(struct ptk_session *s, struct proc *p, uint64_t addr, const void *buf,
                  size_t len);

/* regs.c */
int regs_fetch(struct ptk_session *s, struct tracee *t);
int regs_store(struct ptk_session *s, struct tracee *t);
int regs_poke(struct ptk_session *s, struct tracee *t, size_t off, uint64_t val);

/* restart.c */
int undo_interrupt_eintr(struct ptk_session *s, struct tracee *t);

/* breakpoint.c */
struct proc *mm_of(struct proc *p);
struct bp *bp_at(struct proc *p, uint64_t addr);
int bp_remove_all(struct ptk_session *s, struct proc *p);
void bp_forget_all(struct proc *p);
void bp_hide(struct proc *p, uint64_t addr, uint8_t *buf, size_t n);
void bp_rewrite(struct ptk_session *s, struct proc *p, uint64_t addr, const uint8_t *buf, size_t n);
int bp_strip_child(struct ptk_session *s, struct proc *parent, pid_t child);
int bp_step_over(struct ptk_session *s, struct tracee *t, int req);

/* seccomp.c */
struct sock_fprog;
int seccomp_prog_build(const uint8_t *set, size_t nr, struct sock_fprog *ret);
void seccomp_prog_free(struct sock_fprog *p);
#define PTK_SECCOMP_DATA 0x7074u /* "pt": SECCOMP_RET_DATA of ptk's own filter */

/* arch/x86_64.c */
enum ptk_arch arch_from_audit(uint32_t audit_arch);

#endif
