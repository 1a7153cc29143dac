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

/*
 * What the instruction a thread is about to execute (or has just executed,
 * when emulated) does to memory, for software watchpoints (watch.c): up to
 * INSN_MAXREF explicit and implicit (stack) accesses.  syscall: the kernel
 * may write anything; unknown: the footprint could not be decoded (xsave,
 * gather/scatter, ...), so any write may be this instruction's.
 */
#define INSN_MAXREF 4
#define REF_R       1
#define REF_W       2
struct memref {
	uint64_t addr;
	uint32_t len;
	uint8_t acc; /* REF_R | REF_W */
};
struct inflight {
	bool valid;
	bool syscall;
	bool unknown;
	uint8_t n;
	struct memref ref[INSN_MAXREF];
};

/* Syscall numbers with a wait-polling history of their own (wait.c wait_spin). */
#define SPIN_NR 512

struct tracee {
	pid_t tid;
	struct proc *proc;
	struct tracee *hnext;       /* hash chain */
	struct tracee *next, *prev; /* list of the process's threads */
	enum tstate state;
	enum ptk_event_kind stop_kind; /* of the reported stop */
	long stop_nr;                  /* its syscall, at a syscall-enter or seccomp stop */
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
	bool regs_dirty;               /* regs changed, not yet written (regs_store_lazy) */
	bool at_bp;                    /* stopped on a ptk breakpoint (pc rewound) */
	bool foreign_seccomp;          /* at a SECCOMP stop of the tracee's own filter */
	bool sc_changed;               /* the caller changed the syscall at this stop */
	struct ptk_regs regs;
	pid_t creator; /* new_pending: the tid that created it */
	/* step.c */
	int user_req;       /* the request of the caller's last ptk_resume() */
	uint8_t so_kind;    /* a step-over in flight (SO_*), ended by the next stop */
	uint8_t so_len;     /* length of the instruction stepped over */
	uint8_t so_fix;     /* what to fix up after an out-of-line step (FIX_*) */
	bool step_due;      /* a PTRACE_SINGLESTEP trap may still come (see classify) */
	bool so_rep;        /* stepping a rep string instruction */
	bool so_again;      /* ... and the step ran one iteration, not the last */
	uint8_t synth;      /* a synthetic stop to report instead of resuming (SYNTH_*) */
	uint64_t so_addr;   /* the breakpoint address */
	uint64_t so_at;     /* where the instruction runs (so_addr, or a copy) */
	struct inflight wi; /* the instruction being stepped (software watchpoints) */
	uint32_t wseq;      /* counts the instructions wi described */
	uint8_t hw_pending; /* debug-register slots that fired, not reported yet */
	uint16_t emu_burst; /* instructions emulated in a row (software watchpoints) */
	/* wait.c: results of this thread collected in drain epoch drain_epoch */
	uint32_t drain_epoch;
	uint8_t undrained;
};

/* The decoded instruction under a breakpoint (insn.c). */
#define INSN_MAXOPS 3
struct iop {
	uint8_t type; /* IOP_REG, IOP_IMM, IOP_MEM */
	uint8_t size; /* bytes */
	int8_t reg; /* REG: 0-15 (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8-r15); MEM: base, -1, or
	               IREG_RIP */
	bool hi8;   /* REG: ah, ch, dh or bh */
	int8_t index; /* MEM: index register or -1 */
	uint8_t scale;
	uint8_t acc; /* REF_R | REF_W as the instruction uses the operand */
	uint8_t seg; /* MEM: SEG_FS, SEG_GS or 0 (the others have base 0 in 64-bit mode) */
	int64_t imm; /* IMM: the value (sign-extended); MEM: the displacement */
};
struct insn {
	uint8_t len;
	uint8_t bytes[16];
	uint16_t op;       /* EOP_*: how to emulate it, EOP_NONE when it is not */
	uint16_t op_alone; /* the same when no other thread can run (insn.c): memory anywhere */
	uint16_t sub;      /* ALU operation, or condition code */
	uint8_t nops;
	uint8_t flags;    /* INSN_* */
	uint8_t disp_off; /* INSN_RIPREL: offset of the 32-bit displacement */
	uint8_t stack;    /* implicit stack access: STK_PUSH, STK_POP, STK_LEAVE */
	struct iop ops[INSN_MAXOPS];
};

struct bp {
	uint64_t addr;
	int id;
	uint8_t orig;
	bool inserted;
	bool decoded;     /* insn is valid */
	struct insn insn; /* the instruction under it, decoded at insert time */
	struct bp *next;
};

/* A watchpoint (watch.c). */
struct watch {
	int id;
	uint64_t addr;
	uint32_t len;
	unsigned kind; /* PTK_WATCH_WRITE, _READ, _ACCESS */
	bool hw;
	int slot; /* hw: DR0-DR3 */
	uint8_t old[PTK_WATCH_MAX_LEN];
	uint32_t deferred; /* checks that left a change to another thread */
	pid_t rd_tid;      /* the read reported last: by this thread ... */
	uint32_t rd_seq;   /* ... at this instruction of it (wseq) */
	struct watch *next;
};

/* A page of out-of-line instruction copies mapped into a tracee (step.c). */
struct scratch {
	uint64_t base;
	uint32_t used;
	struct scratch *next;
};
/* The copy of the instruction at addr, for displaced steps. */
struct dslot {
	uint64_t addr;
	uint64_t at;
	uint8_t len;
	uint8_t bytes[16];
	struct dslot *next;
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
	/*
	 * Addresses of breakpoints removed lately: a thread may have executed
	 * the int3 before the removal and report the trap only after it
	 * (breakpoint.c bp_retired_hit).  A ring; 0 marks an empty slot.
	 */
	uint64_t retired[16];
	unsigned nretired;
	struct proc *mm_owner; /* process whose memory this one shares, or NULL */
	bool detaching;        /* inside ptk_detach: its stops are not reported */
	pid_t parent;
	pid_t vfork_caller; /* a vfork child: the thread blocked in vfork(2) for it */
	/* step.c: out-of-line execution, kept by the mm owner */
	struct scratch *scratch;
	struct dslot *dslots;
	uint64_t sc_insn; /* a `syscall` instruction (0f 05) in executable memory, or 0 */
	bool scratch_failed;
	/* watch.c */
	struct watch *watches;
	int next_watch_id;
	int nsw;          /* software watchpoints */
	uint8_t hw_slots; /* debug registers in use (bit i: DRi) */
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

/*
 * A thread ptk_detach() let go of while it could not stop (a vfork parent
 * in D state): still traced by us until its next stop, where it is
 * detached (attach.c released_result).
 */
struct released {
	pid_t tid;
	bool step_due; /* its next SIGTRAP may be ptk's own single-step trap */
	struct released *next;
};

#define HASH_MIN 64

struct ptk_session {
	unsigned flags;
	long ptrace_opts; /* PTRACE_O_* for every tracee */
	struct tracee **hash;
	size_t hash_cap, ntracees;
	size_t ndirty; /* tracees with regs_dirty: pt() looks them up while non-zero */
	struct proc *procs;
	struct queue q;
	struct parked *parked;     /* stops of unknown tids: new children reporting early */
	struct released *released; /* detached threads that have not stopped yet */
	ptk_log_fn log_fn;
	void *log_arg;
	ptk_obs_fn obs_fn;
	void *obs_arg;
	struct ptk_stats st;
	pid_t self;
	bool vm_rw_broken; /* process_vm_readv unavailable: use /proc/pid/mem */
	int hw_probe;      /* watch.c: 0 not probed, 1 debug-register traps fire, -1 they do not */
	unsigned bp_methods;  /* step.c: the step-over methods allowed (bit PTK_BP_*) */
	uint32_t drain_epoch; /* wait.c: counts the drains of pending wait results */
	unsigned drain_k;     /* wait.c: results of one thread between drains (drain_due) */
	int64_t spin_ns;      /* wait.c: a blocking wait polls this long first (wait_spin) */
	/*
	 * wait.c wait_spin: bit k set when the last blocking wait for a thread
	 * resumed from slot k (a syscall-enter stop of syscall k < SPIN_NR, or
	 * SPIN_NR + the kind of the stop) took longer than spin_ns.
	 */
	uint64_t spin_slow[(SPIN_NR + PTK_EV__COUNT + 63) / 64];
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

/* attach.c */
/*
 * tid's wait result, if tid is a released thread: detach it at its stop,
 * or forget it at its death.  Returns false when tid is not one.
 */
bool released_result(struct ptk_session *s, pid_t tid, int status);

/* wait.c */
/* Count a wait result in the stats and show it to the observer. */
void observe_wait(struct ptk_session *s, pid_t tid, int status);
int queue_push(struct queue *q, pid_t tid, int status);
bool queue_pop(struct queue *q, struct qent *ret);
bool queue_take(struct queue *q, pid_t tid, int *ret_status);
int enqueue(struct ptk_session *s, pid_t tid, int status);
bool queue_has(const struct queue *q, pid_t tid);
void queue_drop(struct queue *q, pid_t tid);
/*
 * Collect wait results into the FIFO: one (blocking unless nohang), and
 * the others pending when a drain is due.  -EAGAIN (nohang, none ready),
 * -ECHILD, -EINTR, or 0.
 */
int collect(struct ptk_session *s, bool nohang);
int wait_tid(struct ptk_session *s, pid_t tid, int *ret_status, int timeout_ms);

/* event.c */
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
/*
 * Registers changed in t->regs (valid) that need not reach the kernel until
 * the thread runs or ptrace looks at them: pt() writes them first for any
 * request on the thread but those that cannot see or change its general
 * registers (memory, siginfo, FP state).  An emulated instruction or a
 * breakpoint's rewound pc followed by an emulated step costs no SETREGS
 * until the thread runs.
 */
void regs_store_lazy(struct ptk_session *s, struct tracee *t);
void regs_clean(struct ptk_session *s, struct tracee *t);
int regs_poke(struct ptk_session *s, struct tracee *t, size_t off, uint64_t val);

/* restart.c */
int undo_interrupt_eintr(struct ptk_session *s, struct tracee *t);

/* breakpoint.c */
struct proc *mm_of(struct proc *p);
struct bp *bp_at(struct proc *p, uint64_t addr);
/* t trapped on the int3 of a breakpoint at addr that was removed before the trap was seen. */
bool bp_retired_hit(struct ptk_session *s, struct tracee *t, uint64_t addr);
int bp_remove_all(struct ptk_session *s, struct proc *p);
void bp_forget_all(struct proc *p);
void bp_hide(struct proc *p, uint64_t addr, uint8_t *buf, size_t n);
void bp_rewrite(struct ptk_session *s, struct proc *p, uint64_t addr, const uint8_t *buf, size_t n);
int bp_strip_child(struct ptk_session *s, struct proc *parent, pid_t child);
int bp_lift(struct ptk_session *s, struct proc *mm, struct bp *b);
int bp_put_back(struct ptk_session *s, struct proc *mm, uint64_t addr);
/* Threads of the address space held stopped (hold_threads), to be released. */
struct held {
	pid_t tid;
	int req; /* how to resume it: its last request, or PTRACE_LISTEN */
};
int hold_threads(struct ptk_session *s, struct proc *mm, struct proc *only, struct tracee *except,
                 bool listening, struct held **ret);
void release_threads(struct ptk_session *s, struct held *h, int n);

/* insn.c */
#define IOP_REG      1
#define IOP_IMM      2
#define IOP_MEM      3
#define IREG_RIP     16
#define SEG_FS       1
#define SEG_GS       2
#define INSN_SYSCALL 0x01 /* syscall: runs in the kernel, may block */
#define INSN_RIPREL  0x02 /* a rip-relative operand at disp_off */
#define INSN_RELBR   0x04 /* a relative branch: cannot run out of line */
#define INSN_CALL    0x08 /* pushes its return address */
#define INSN_NOCOPY  0x10 /* cannot run out of line for another reason */
#define INSN_UNKNOWN 0x20 /* memory footprint not known */
#define INSN_INT80   0x40 /* int 0x80 or sysenter */
#define INSN_REP     0x80 /* a rep string instruction: a step runs one iteration */
#define STK_PUSH     1
#define STK_POP      2
#define STK_LEAVE    3
/* Emulated operations (struct insn's op), and their sub-operations. */
enum {
	EOP_NONE = 0,
	EOP_NOP,
	EOP_MOV,
	EOP_MOVZX,
	EOP_MOVSX,
	EOP_LEA,
	EOP_PUSH,
	EOP_POP,
	EOP_ALU2,  /* sub: ALU_ADD .. ALU_TEST */
	EOP_ALU1,  /* sub: ALU_INC .. ALU_NOT */
	EOP_SHIFT, /* sub: ALU_SHL .. ALU_ROR */
	EOP_IMUL,
	EOP_JMP,
	EOP_JCC, /* sub: condition code (the low nibble of the opcode) */
	EOP_CALL,
	EOP_RET,
	EOP_LEAVE,
	EOP_CMOV,
	EOP_SETCC,
	EOP_SEXT_A,  /* cbw, cwde, cdqe */
	EOP_SEXT_AD, /* cwd, cdq, cqo */
	EOP_XCHG,
	EOP_LOOP, /* sub: 0 loop, 1 loope, 2 loopne, 3 jrcxz, 4 jecxz */
};
enum {
	ALU_ADD = 1,
	ALU_OR,
	ALU_ADC,
	ALU_SBB,
	ALU_AND,
	ALU_SUB,
	ALU_XOR,
	ALU_CMP,
	ALU_TEST,
	ALU_INC,
	ALU_DEC,
	ALU_NEG,
	ALU_NOT,
	ALU_SHL,
	ALU_SHR,
	ALU_SAR,
	ALU_ROL,
	ALU_ROR,
	ALU_IMUL,
};
int insn_decode(const uint8_t *buf, size_t n, uint64_t addr, struct insn *ret);
void insn_refs(const struct insn *in, uint64_t addr, const struct ptk_regs *r,
               struct inflight *ret);
uint64_t *insn_gpr(struct ptk_regs *r, int i);

/* emu.c */
int emu_run(struct ptk_session *s, struct tracee *t, const struct insn *in, bool alone,
            struct inflight *ret_refs);

/* step.c */
#define SO_NONE       0
#define SO_INPLACE    1 /* the byte is lifted, the thread steps in place */
#define SO_DISPLACED  2 /* the thread runs a copy at so_at */
#define FIX_SYSCALL   1 /* rcx holds the return address */
#define FIX_CALL      2 /* [rsp] holds the return address */
#define SYNTH_CHECK   1 /* an instruction was emulated: compare watchpoints, then as a step */
#define SYNTH_STEP    2 /* a step that completed without running the tracee */
#define SYNTH_RECHECK 3 /* compare watchpoints again, then resume for real */
#define SYNTH_STATUS  ((int)0x7f00057f) /* queue marker: no wait status looks like it */
int step_resume(struct ptk_session *s, struct tracee *t, int req, int sig);
int step_after_stop(struct ptk_session *s, struct tracee *t, struct ptk_event *ev);
int step_synth(struct ptk_session *s, struct tracee *t, struct ptk_event *ev);
int resume_next(struct ptk_session *s, struct tracee *t, int req, int sig);
void step_forget_mm(struct proc *p);
void step_settle(struct ptk_session *s, struct tracee *t);

/* watch.c */
bool watch_sw_active(const struct proc *p);
int watch_check(struct ptk_session *s, struct tracee *t, struct ptk_event *ev);
int watch_hw_trap(struct ptk_session *s, struct tracee *t, struct ptk_event *ev);
void watch_new_tracee(struct ptk_session *s, struct tracee *t, bool thread);
void watch_release(struct ptk_session *s, struct tracee *t);
void watch_forget_all(struct proc *p);
bool watch_hw_overlap(const struct proc *p, const struct inflight *refs);

/* seccomp.c */
struct sock_fprog;
int seccomp_prog_build(const uint8_t *set, size_t nr, struct sock_fprog *ret);
void seccomp_prog_free(struct sock_fprog *p);
#define PTK_SECCOMP_DATA 0x7074u /* "pt": SECCOMP_RET_DATA of ptk's own filter */

/* arch/x86_64.c */
enum ptk_arch arch_from_audit(uint32_t audit_arch);

#endif
