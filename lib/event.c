/* SPDX-License-Identifier: MIT */
/*
 * waitpid(__WALL) -> struct ptk_event: the stop taxonomy of ptrace(2),
 * "Stopped states", and the resume rules that go with it.
 *
 * Results come from wait.c's FIFO, drained from the kernel in batches
 * (every pending result before any is handled), so that a thread that
 * stops again as soon as it is resumed cannot starve the others: each
 * thread has at most one result in the FIFO, and a thread resumed after
 * its report goes to the back of the line.
 */
#include "internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_THREAD
#define CLONE_THREAD 0x00010000
#endif
#ifndef CLONE_VM
#define CLONE_VM 0x00000100
#endif
#ifndef TRAP_BRKPT
#define TRAP_BRKPT 1
#endif
#ifndef TRAP_TRACE
#define TRAP_TRACE 2
#endif
#ifndef TRAP_HWBKPT
#define TRAP_HWBKPT 4
#endif
/* The si_code of the trap when a step enters a signal handler (TRAP_UNK). */
#define TRAP_STEP_HANDLER 5

static const char *const event_names[PTK_EV__COUNT] = {
        [PTK_EV_NONE] = "none",
        [PTK_EV_SYSCALL_ENTER] = "syscall-enter-stop",
        [PTK_EV_SYSCALL_EXIT] = "syscall-exit-stop",
        [PTK_EV_SIGNAL] = "signal-delivery-stop",
        [PTK_EV_GROUP_STOP] = "group-stop",
        [PTK_EV_FORK] = "PTRACE_EVENT_FORK stop",
        [PTK_EV_VFORK] = "PTRACE_EVENT_VFORK stop",
        [PTK_EV_CLONE] = "PTRACE_EVENT_CLONE stop",
        [PTK_EV_VFORK_DONE] = "PTRACE_EVENT_VFORK_DONE stop",
        [PTK_EV_EXEC] = "PTRACE_EVENT_EXEC stop",
        [PTK_EV_EXIT] = "PTRACE_EVENT_EXIT stop",
        [PTK_EV_SECCOMP] = "PTRACE_EVENT_SECCOMP stop",
        [PTK_EV_STOP] = "PTRACE_EVENT_STOP stop",
        [PTK_EV_STEP] = "single-step stop",
        [PTK_EV_BREAKPOINT] = "breakpoint stop",
        [PTK_EV_EXITED] = "exited",
        [PTK_EV_KILLED] = "killed by signal",
        [PTK_EV_WATCHPOINT] = "watchpoint stop",
};

const char *ptk_event_name(enum ptk_event_kind k)
{
	return (unsigned)k < PTK_EV__COUNT && event_names[k] ? event_names[k] : "unknown";
}

int resume_raw(struct ptk_session *s, struct tracee *t, int req, int sig)
{
	long r = pt(s, req, t->tid, 0, (unsigned long)sig);
	t->regs_valid = false;
	t->at_bp = false;
	t->stepping = req == PTRACE_SINGLESTEP;
	if (req == PTRACE_SINGLESTEP)
		t->step_due = true;
	t->initial = false;
	if (req != PTRACE_LISTEN && req != PTRACE_DETACH)
		t->last_req = req;
	if (r < 0) {
		/* ESRCH: killed while stopped; its death is still to come. */
		t->state = T_RUNNING;
		return (int)r;
	}
	t->state = req == PTRACE_LISTEN ? T_LISTENING : T_RUNNING;
	return 0;
}

/* ---- classification ---- */

static void fill_sc(struct ptk_syscall *sc, const struct sc_info *i)
{
	sc->arch = arch_from_audit(i->arch);
	sc->ip = i->instruction_pointer;
	sc->sp = i->stack_pointer;
	switch (i->op) {
	case SC_OP_ENTRY:
	case SC_OP_SECCOMP:
		sc->op = i->op == SC_OP_ENTRY ? PTK_SC_ENTRY : PTK_SC_SECCOMP;
		sc->nr = (long)i->entry.nr;
		memcpy(sc->args, i->entry.args, sizeof sc->args);
		break;
	case SC_OP_EXIT:
		sc->op = PTK_SC_EXIT;
		sc->rval = i->exit.rval;
		sc->is_error = i->exit.is_error;
		sc->nr = -1;
		break;
	default:
		sc->op = PTK_SC_NONE;
		sc->nr = -1;
	}
	if (sc->arch == PTK_ARCH_X86_64 && sc->nr >= 0 && (sc->nr & 0x40000000)) {
		sc->arch = PTK_ARCH_X32;
		sc->nr &= ~0x40000000L;
	}
}

static int get_sc(struct ptk_session *s, pid_t tid, struct ptk_syscall *sc, uint32_t *ret_data)
{
	struct sc_info i;
	memset(&i, 0, sizeof i);
	long r = pt(s, PTRACE_GET_SYSCALL_INFO, tid, sizeof i, (unsigned long)&i);
	if (r < 0)
		return (int)r;
	fill_sc(sc, &i);
	if (ret_data)
		*ret_data = i.op == SC_OP_SECCOMP ? i.seccomp.ret_data : 0;
	return 0;
}

int ptk_syscall_get(struct ptk_session *s, pid_t tid, struct ptk_syscall *ret)
{
	struct tracee *t = tracee_find(s, tid);
	if (!t)
		return -ESRCH;
	if (t->state != T_STOPPED)
		return -EBUSY;
	memset(ret, 0, sizeof *ret);
	return get_sc(s, tid, ret, NULL);
}

static void park(struct ptk_session *s, pid_t tid, int status)
{
	struct parked *p = malloc(sizeof *p);
	if (!p) {
		/* Cannot track it: let it go rather than leave it stopped. */
		pt(s, PTRACE_DETACH, tid, 0, 0);
		return;
	}
	p->tid = tid;
	p->status = status;
	p->next = s->parked;
	s->parked = p;
}

static bool unpark(struct ptk_session *s, pid_t tid, int *ret_status)
{
	for (struct parked **pp = &s->parked; *pp; pp = &(*pp)->next)
		if ((*pp)->tid == tid) {
			struct parked *p = *pp;
			*pp = p->next;
			if (ret_status)
				*ret_status = p->status;
			free(p);
			return true;
		}
	return false;
}

/*
 * The flags of the clone that created a child, read from its creator at
 * the PTRACE_EVENT_CLONE stop: clone(2) has them in rdi, clone3(2) in the
 * first field of the struct clone_args that rdi points to.
 */
static uint64_t clone_flags(struct ptk_session *s, struct tracee *t)
{
	if (regs_fetch(s, t) < 0)
		return 0;
	if (t->regs.orig_rax == 435 /* clone3 */) {
		uint64_t f = 0;
		if (ptk_mem_read(s, t->tid, t->regs.rdi, &f, sizeof f, NULL) == 0)
			return f;
		return 0;
	}
	return t->regs.rdi;
}

/*
 * The parent t reported that it created child: make the child a tracee
 * (a thread of t's process, or a new process), and release its first stop
 * if it was parked because it came before this event.
 */
static int adopt_child(struct ptk_session *s, struct tracee *t, int event, pid_t child,
                       struct ptk_event *ev)
{
	uint64_t flags = 0;
	if (event == PTRACE_EVENT_CLONE)
		flags = clone_flags(s, t);
	bool thread = event == PTRACE_EVENT_CLONE && (flags & CLONE_THREAD);
	bool shared_mm = event == PTRACE_EVENT_VFORK || (flags & CLONE_VM);
	struct tracee *ct = tracee_find(s, child);
	if (ct)
		return 0; /* already known (attached from /proc/PID/task) */
	struct proc *cp = t->proc;
	if (!thread) {
		cp = proc_add(s, child);
		if (!cp)
			return -ENOMEM;
		cp->spawned = t->proc->spawned;
		cp->parent = t->proc->pid;
		if (event == PTRACE_EVENT_VFORK)
			cp->vfork_caller = t->tid;
		if (shared_mm)
			cp->mm_owner = mm_of(t->proc);
		else
			bp_strip_child(s, t->proc, child);
	}
	ct = tracee_add(s, cp, child);
	if (!ct)
		return -ENOMEM;
	ct->new_pending = true;
	ct->creator = t->tid;
	int status;
	if (unpark(s, child, &status)) {
		ct->state = T_QUEUED;
		queue_push(&s->q, child, status);
	}
	(void)ev;
	return 0;
}

/*
 * A process died with children that reported their first stop before the
 * fork event it never got to report (it was killed in fork): adopt them
 * as new processes so they are not left stopped.
 */
static void adopt_orphans(struct ptk_session *s, struct proc *dead)
{
	for (struct parked *p = s->parked, *n; p; p = n) {
		n = p->next;
		long ppid = 0, tgid = 0;
		if (read_proc_status(s, p->tid, "PPid", &ppid) < 0 ||
		    read_proc_status(s, p->tid, "Tgid", &tgid) < 0)
			continue; /* gone: its death report removes it */
		if (tgid != p->tid || (ppid != dead->pid && ppid != 1))
			continue;
		struct proc *cp = proc_add(s, p->tid);
		if (!cp)
			continue;
		cp->spawned = dead->spawned;
		cp->parent = dead->pid;
		struct tracee *ct = tracee_add(s, cp, p->tid);
		if (!ct)
			continue;
		ct->new_pending = true;
		ct->state = T_QUEUED;
		queue_push(&s->q, p->tid, p->status);
		unpark(s, p->tid, NULL);
	}
}

/*
 * execve by a non-leader thread: the kernel gave the execing thread the
 * leader's tid and the old leader vanished without a death report
 * (ptrace(2), "execve(2) under ptrace").  Move the execing thread's record
 * to the leader's tid and forget the old leader.
 */
static struct tracee *exec_rekey(struct ptk_session *s, struct tracee *leader, pid_t former)
{
	struct tracee *ex = tracee_find(s, former);
	if (!ex || ex == leader)
		return leader;
	pid_t tid = leader->tid;
	tracee_del(s, leader);
	queue_drop(&s->q, former);
	tracee_rekey(s, ex, tid);
	return ex;
}

/* A thread waitpid no longer knows (reaped elsewhere): forget it. */
static void tracee_del_checked(struct ptk_session *s, struct tracee *t)
{
	struct proc *p = t->proc;
	tracee_del(s, t);
	if (p->nthreads == 0)
		proc_del(s, p);
}

static void thread_gone(struct ptk_session *s, struct tracee *t, struct ptk_event *ev)
{
	struct proc *p = t->proc;
	tracee_del(s, t);
	if (p->nthreads == 0) {
		ev->process_gone = true;
		if (s->parked)
			adopt_orphans(s, p);
		proc_del(s, p);
	}
}

static bool is_stop_sig(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* Thread t stopped on ptk's breakpoint b (its pc after the int3): report the hit. */
static void report_hit(struct ptk_session *s, struct tracee *t, struct ptk_event *ev,
                       const struct bp *b)
{
	/* written when it runs: an emulated step past the breakpoint then sets rip once */
	t->regs.rip--;
	regs_store_lazy(s, t);
	ev->kind = PTK_EV_BREAKPOINT;
	ev->addr = b->addr;
	ev->bp_id = b->id;
	t->at_bp = true;
}

/*
 * A SIGTRAP stop of a thread just past one of ptk's int3s: when the
 * instruction under it is longer than one byte, nothing but that int3 can
 * have left the thread there (bp + 1 is inside the instruction; every
 * other trap or signal stops a thread at an instruction boundary), so the
 * siginfo need not be asked for.  After a 1-byte instruction (push %rbp)
 * the thread is at bp + 1 once it ran, where a SIGTRAP from kill(2) would
 * look the same: NULL, and the caller asks.
 */
static struct bp *int3_hit_by_pc(struct ptk_session *s, struct tracee *t)
{
	if (!mm_of(t->proc)->bps || regs_fetch(s, t) < 0)
		return NULL;
	struct bp *b = bp_at(t->proc, t->regs.rip - 1);
	return b && b->inserted && b->decoded && b->insn.len > 1 ? b : NULL;
}

/*
 * Classify one wait result.  Returns 1 when *ev is an event for the
 * caller, 0 when the result was handled inside (a stale or internal stop),
 * or -errno.
 */
static int classify(struct ptk_session *s, pid_t tid, int status, struct ptk_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->tid = tid;
	ev->status = status;
	struct tracee *t = tracee_find(s, tid);

	if (status == SYNTH_STATUS) {
		/* A stop ptk made up for a thread still stopped in the kernel (step.c). */
		if (!t || !t->synth)
			return 0;
		t->state = T_STOPPED;
		ev->pid = t->proc->pid;
		int r = step_synth(s, t, ev);
		if (r > 0) {
			t->stop_kind = ev->kind;
			t->stop_sig = ev->kind == PTK_EV_STEP ? SIGTRAP : 0;
		}
		return r;
	}

	if (!t) {
		if (s->released && released_result(s, tid, status))
			return 0; /* detached already: its stop is not news */
		if (!WIFSTOPPED(status)) {
			unpark(s, tid, NULL);
			return 0;
		}
		if (!(s->flags & PTK_FOLLOW)) {
			/*
			 * An unexpected tracee (CLONE_PTRACE, or a child of a
			 * tracee attached by someone's PTRACE_O_TRACE* we did
			 * not ask for): let it go.
			 */
			pt(s, PTRACE_DETACH, tid, 0, 0);
			return 0;
		}
		/* A new child reporting before its parent's fork event. */
		park(s, tid, status);
		return 0;
	}

	ev->pid = t->proc->pid;
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (WIFEXITED(status)) {
			ev->kind = PTK_EV_EXITED;
			ev->exit_code = WEXITSTATUS(status);
		} else {
			ev->kind = PTK_EV_KILLED;
			ev->sig = WTERMSIG(status);
			ev->core_dumped = WCOREDUMP(status);
		}
		thread_gone(s, t, ev);
		return 1;
	}
	if (!WIFSTOPPED(status))
		return 0; /* WIFCONTINUED is not asked for */

	t->state = T_STOPPED;
	t->regs_valid = false;
	t->at_bp = false;
	t->foreign_seccomp = false;
	t->sc_changed = false;
	bool was_new = t->new_pending;
	t->new_pending = false;
	int sig = WSTOPSIG(status);
	int event = (unsigned)status >> 16;
	/*
	 * A step's trap may still be due after an interrupt's
	 * PTRACE_EVENT_STOP: the kernel reports the interrupt first when the
	 * instruction ran and its SIGTRAP is pending (get_signal() handles
	 * job-control traps before dequeuing signals).
	 */
	bool was_stepping = t->step_due;
	if (event != PTRACE_EVENT_STOP) {
		t->stepping = false;
		t->step_due = false;
	}
	long r;
	unsigned long msg = 0;

	if (sig == (SIGTRAP | 0x80)) {
		r = get_sc(s, tid, &ev->sc, NULL);
		if (r < 0)
			goto gone;
		ev->kind = ev->sc.op == PTK_SC_EXIT ? PTK_EV_SYSCALL_EXIT : PTK_EV_SYSCALL_ENTER;
		if (ev->kind == PTK_EV_SYSCALL_EXIT && ev->sc.rval == -EINTR &&
		    t->interrupt_pending && undo_interrupt_eintr(s, t) == 1) {
			/*
			 * Our interrupt broke a never-restarted syscall: it is
			 * restarted instead, which a trace shows as the kernel's
			 * own restart code.
			 */
			ev->sc.rval = -514; /* ERESTARTNOHAND */
		}
		goto out;
	}

	if (event) {
		/*
		 * A seccomp stop's message (SECCOMP_RET_DATA) also comes with
		 * PTRACE_GET_SYSCALL_INFO (its seccomp.ret_data): one request
		 * instead of two.
		 */
		if (event != PTRACE_EVENT_STOP && event != PTRACE_EVENT_SECCOMP) {
			r = pt(s, PTRACE_GETEVENTMSG, tid, 0, (unsigned long)&msg);
			if (r < 0)
				goto gone;
			ev->msg = msg;
		}
		switch (event) {
		case PTRACE_EVENT_FORK:
		case PTRACE_EVENT_VFORK:
		case PTRACE_EVENT_CLONE:
			ev->kind = event == PTRACE_EVENT_FORK    ? PTK_EV_FORK
			           : event == PTRACE_EVENT_VFORK ? PTK_EV_VFORK
			                                         : PTK_EV_CLONE;
			ev->new_tid = (pid_t)msg;
			r = adopt_child(s, t, event, (pid_t)msg, ev);
			if (r < 0)
				return (int)r;
			break;
		case PTRACE_EVENT_VFORK_DONE:
			ev->kind = PTK_EV_VFORK_DONE;
			ev->new_tid = (pid_t)msg;
			break;
		case PTRACE_EVENT_EXEC:
			ev->kind = PTK_EV_EXEC;
			ev->former_tid = (pid_t)msg;
			if ((pid_t)msg != tid)
				t = exec_rekey(s, t, (pid_t)msg);
			t->state = T_STOPPED;
			/* A new address space: the old breakpoints and mem fd are gone. */
			mem_close(t->proc);
			bp_forget_all(t->proc);
			t->proc->mm_owner = NULL;
			break;
		case PTRACE_EVENT_EXIT:
			ev->kind = PTK_EV_EXIT;
			t->exiting = true;
			break;
		case PTRACE_EVENT_SECCOMP:
			ev->kind = PTK_EV_SECCOMP;
			uint32_t data = 0;
			r = get_sc(s, tid, &ev->sc, &data);
			if (r < 0)
				goto gone;
			msg = data;
			ev->msg = msg;
			ev->own_seccomp = (msg & 0xffff) == PTK_SECCOMP_DATA;
			t->foreign_seccomp = !ev->own_seccomp;
			break;
		case PTRACE_EVENT_STOP:
			if (sig == SIGTRAP && (t->interrupt_pending || t->attach_pending)) {
				r = undo_interrupt_eintr(s, t);
				if (r == -ESRCH)
					goto gone;
			}
			if (t->interrupt_internal && sig == SIGTRAP && !t->proc->detaching) {
				/*
				 * The late stop of an interrupt ptk made for itself:
				 * resume as before (a step in flight goes on), or as
				 * the caller asked (software watchpoints may have
				 * appeared: then it steps).
				 */
				t->interrupt_internal = false;
				t->interrupt_pending = false;
				if (t->stepping || t->so_kind || !t->user_req)
					r = resume_raw(s, t,
					               t->last_req ? t->last_req : PTRACE_CONT, 0);
				else
					r = resume_next(s, t, t->user_req, 0);
				return r == -ESRCH ? 0 : (int)r;
			}
			/*
			 * Seized tracees report group-stops as PTRACE_EVENT_STOP
			 * with the stopping signal; interrupts, the first stop
			 * of a new tracee and SIGCONT notifications carry
			 * SIGTRAP (ptrace(2), "Group-stop", PTRACE_LISTEN).
			 */
			ev->sig = sig;
			ev->kind = is_stop_sig(sig) ? PTK_EV_GROUP_STOP : PTK_EV_STOP;
			ev->attach_stop = t->attach_pending;
			t->attach_pending = false;
			t->interrupt_pending = false;
			if (was_new) {
				/* A new process has a record keyed by its own pid. */
				ev->new_tracee = true;
				ev->new_thread = t->proc->pid != tid;
				ev->ppid = ev->new_thread ? t->proc->pid : t->proc->parent;
				/* Debug registers before it runs a single instruction. */
				watch_new_tracee(s, t, ev->new_thread);
			}
			break;
		default:
			ev->kind = PTK_EV_STOP;
			ev->sig = sig;
		}
		goto out;
	}

	/* A stop with a signal and no event: a signal-delivery-stop. */
	if (sig == SIGTRAP && !was_stepping) {
		struct bp *b = int3_hit_by_pc(s, t);
		if (b) {
			/* the siginfo the kernel's int3 trap sends: no GETSIGINFO */
			memset(&ev->si, 0, sizeof ev->si);
			ev->si.si_signo = SIGTRAP;
			ev->si.si_code = SI_KERNEL;
			ev->sig = sig;
			report_hit(s, t, ev, b);
			goto out;
		}
	}
	r = pt(s, PTRACE_GETSIGINFO, tid, 0, (unsigned long)&ev->si);
	if (r == -EINVAL) {
		/* Group-stop of a tracee attached without PTRACE_SEIZE. */
		ev->kind = PTK_EV_GROUP_STOP;
		ev->sig = sig;
		goto out;
	}
	if (r < 0)
		goto gone;
	ev->sig = sig;
	ev->kind = PTK_EV_SIGNAL;
	if (sig == SIGTRAP) {
		int code = ev->si.si_code;
		if (was_stepping &&
		    (code == TRAP_TRACE || code == TRAP_BRKPT || code == TRAP_STEP_HANDLER)) {
			/*
			 * ptk's step: TRAP_TRACE after an instruction,
			 * TRAP_BRKPT after a `syscall`, TRAP_UNK when a handler
			 * was entered.  The tracee's own TF traps arrive when
			 * ptk did not ask for a step, and stay signals.
			 */
			ev->kind = PTK_EV_STEP;
		} else if (code == TRAP_HWBKPT && t->proc->hw_slots) {
			r = watch_hw_trap(s, t, ev);
			if (r < 0)
				goto gone;
			if (r == 0) {
				/* a trap with nothing to report (the same value written) */
				t->stop_kind = PTK_EV_STEP;
				r = resume_next(s, t, t->user_req ? t->user_req : PTRACE_CONT, 0);
				return r == -ESRCH ? 0 : (int)r;
			}
		} else if (code == SI_KERNEL && (mm_of(t->proc)->bps || mm_of(t->proc)->nretired)) {
			/* int3 leaves the pc after itself: is it one of ours? */
			if (regs_fetch(s, t) < 0)
				goto gone;
			struct bp *b = bp_at(t->proc, t->regs.rip - 1);
			if (!b && bp_retired_hit(s, t, t->regs.rip - 1)) {
				/*
				 * It ran into a breakpoint that was removed before its
				 * trap was collected: no hit and no SIGTRAP; it runs
				 * the original instruction as if never stopped.
				 */
				t->regs.rip--;
				if (regs_store(s, t) < 0)
					goto gone;
				t->stop_kind = PTK_EV_STEP;
				r = resume_next(s, t, t->user_req ? t->user_req : PTRACE_CONT, 0);
				return r == -ESRCH ? 0 : (int)r;
			}
			if (b && b->inserted)
				report_hit(s, t, ev, b);
		}
	}
out:
	t->stop_kind = ev->kind;
	if (ev->kind == PTK_EV_SYSCALL_ENTER || ev->kind == PTK_EV_SECCOMP)
		t->stop_nr = ev->sc.nr;
	t->stop_sig = ev->kind == PTK_EV_SIGNAL || ev->kind == PTK_EV_STEP ||
	                              ev->kind == PTK_EV_BREAKPOINT
	                      ? sig
	                      : 0;
	ev->tid = t->tid;
	/* A step-over or a watchpoint's step may end here, or go on without a report. */
	r = step_after_stop(s, t, ev);
	if (r <= 0)
		return r == -ESRCH ? 0 : (int)r;
	t->stop_kind = ev->kind;
	return 1;
gone:
	/*
	 * The tracee was killed while stopped (r == -ESRCH): its stop can no
	 * longer be inspected and its death report follows.
	 */
	t->state = T_RUNNING;
	return r == -ESRCH ? 0 : (int)r;
}

/*
 * Bring thread tid to a stop ptk has classified (state T_STOPPED), taking
 * its queued result or waiting up to timeout_ms for one; the event is not
 * reported (its process is being detached or killed).  Returns 0 when it
 * is stopped, 1 when it is gone, -ETIMEDOUT or -errno.
 */
int settle(struct ptk_session *s, pid_t tid, int timeout_ms)
{
	for (;;) {
		struct tracee *t = tracee_find(s, tid);
		if (!t)
			return 1;
		if (t->state == T_STOPPED) {
			if (t->proc->detaching)
				step_settle(s, t);
			return 0;
		}
		int st;
		if (t->state != T_QUEUED || !queue_take(&s->q, tid, &st)) {
			int r = wait_tid(s, tid, &st, timeout_ms);
			if (r == -ECHILD) {
				tracee_del_checked(s, t);
				return 1;
			}
			if (r < 0)
				return r;
		}
		struct ptk_event ev;
		int r = classify(s, tid, st, &ev);
		if (r < 0)
			return r;
	}
}

/*
 * Threads of p traced by us but not known yet: auto-attached clones whose
 * creator's PTRACE_EVENT_CLONE has not been handled.  Take them in (their
 * first stop, if already collected, is queued) so a detach or a kill does
 * not leave them behind.
 */
void adopt_unknown_threads(struct ptk_session *s, struct proc *p)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", p->pid);
	DIR *d = opendir(path);
	if (!d)
		return;
	s->st.proc_reads++;
	struct dirent *de;
	while ((de = readdir(d))) {
		char *end;
		long tid = strtol(de->d_name, &end, 10);
		long tracer = 0;
		if (*end || tid <= 0 || tracee_find(s, (pid_t)tid) ||
		    read_proc_status(s, (pid_t)tid, "TracerPid", &tracer) < 0 || tracer != s->self)
			continue;
		struct tracee *t = tracee_add(s, p, (pid_t)tid);
		if (!t)
			break;
		t->new_pending = true;
		int st;
		if (unpark(s, (pid_t)tid, &st)) {
			t->state = T_QUEUED;
			queue_push(&s->q, (pid_t)tid, st);
		} else if (queue_has(&s->q, (pid_t)tid)) {
			t->state = T_QUEUED;
		}
	}
	closedir(d);
}

int ptk_wait(struct ptk_session *s, struct ptk_event *ev, unsigned flags)
{
	for (;;) {
		struct qent e;
		if (!queue_pop(&s->q, &e)) {
			int r = collect(s, flags & PTK_WAIT_NOHANG);
			if (r < 0)
				return r;
			continue;
		}
		int r = classify(s, e.tid, e.status, ev);
		if (r < 0)
			return r;
		if (r > 0)
			return 0;
	}
}

int ptk_resume(struct ptk_session *s, pid_t tid, enum ptk_resume_mode mode, int sig)
{
	struct tracee *t = tracee_find(s, tid);
	if (!t)
		return -ESRCH;
	if (t->state != T_STOPPED)
		return t->state == T_DEAD ? -ESRCH : -EBUSY;
	if (sig < 0 || sig >= 65)
		return -EINVAL;
	int req;
	switch (mode) {
	case PTK_RESUME_CONT:
		req = PTRACE_CONT;
		break;
	case PTK_RESUME_SYSCALL:
		req = PTRACE_SYSCALL;
		break;
	case PTK_RESUME_STEP:
		req = PTRACE_SINGLESTEP;
		break;
	default:
		return -EINVAL;
	}
	/*
	 * A signal passed to a restart request is delivered only from a
	 * signal-delivery-stop; from any other stop the kernel silently
	 * drops it (ptrace(2), "Signal injection and suppression").
	 */
	bool sigstop_kind = t->stop_kind == PTK_EV_SIGNAL || t->stop_kind == PTK_EV_STEP ||
	                    t->stop_kind == PTK_EV_BREAKPOINT;
	if (sig && (!sigstop_kind || t->initial))
		return -EINVAL;
	if (t->stop_kind == PTK_EV_GROUP_STOP) {
		/*
		 * PTRACE_CONT would make the process run through its stop;
		 * PTRACE_LISTEN keeps it stopped until SIGCONT while we still
		 * get its next event ("PTRACE_LISTEN" in ptrace(2)).
		 */
		return resume_raw(s, t, PTRACE_LISTEN, 0);
	}
	t->user_step = req == PTRACE_SINGLESTEP;
	if (t->foreign_seccomp && !t->sc_changed) {
		/*
		 * The tracee's own filter returned SECCOMP_RET_TRACE.  Without
		 * a tracer that syscall fails with ENOSYS (seccomp(2)); a
		 * tracer that just resumes would let it run instead (strace's
		 * bug, PITFALLS #5).  Behave as if no tracer were there.
		 */
		int r = regs_poke(s, t, offsetof(struct ptk_regs, orig_rax), (uint64_t)-1);
		if (r == 0)
			r = regs_poke(s, t, offsetof(struct ptk_regs, rax), (uint64_t)-ENOSYS);
		if (r < 0)
			return r;
	}
	/* Past a breakpoint, one instruction at a time for watchpoints: step.c. */
	return step_resume(s, t, req, sig);
}
