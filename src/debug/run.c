/* SPDX-License-Identifier: MIT */
/*
 * The event loop: resume the inferior as a command asks, then take
 * libptk's events one by one and decide what each means to the user.
 * Most events are handled without a word (a breakpoint whose condition is
 * false, a signal set to nostop, a new thread, the loader's solib event)
 * and the thread goes on at once; the first event that must be reported
 * ends the run, every other thread is stopped, and the caller prints it.
 */
#include "dbg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void new_thread_line(struct dbg *d, struct dthread *t)
{
	char id[96];

	thr_target_id(d, t, id, sizeof(id));
	dout(d, "[New %s]\n", id);
}

/* A new thread or process reports its first stop. */
static bool new_tracee(struct dbg *d, const struct ptk_event *ev)
{
	struct dthread *t;
	struct ptk_regs r;

	if (ev->pid == d->inf.pid) {
		t = thr_add(d, ev->tid);
		if (!t)
			return false;
		t->stopped = true;
		t->last = *ev;
		if (ptk_regs_get(d->s, ev->tid, &r) == 0)
			t->tp = r.fs_base;
		if (!t->announced) {
			t->announced = true;
			new_thread_line(d, t);
		}
		return true;
	}
	/* A fork or vfork child: gdb's default detach-on-fork lets it go. */
	ptk_detach(d->s, ev->pid, 1000);
	return false;
}

/* Thread or process death. */
static int death(struct dbg *d, const struct ptk_event *ev, struct stop *st)
{
	struct dthread *t = thr_find(d, ev->tid);
	char id[96];

	if (ev->pid != d->inf.pid)
		return 0;
	if (ev->process_gone) {
		st->kind = ev->kind == PTK_EV_EXITED ? STOP_EXITED : STOP_KILLED;
		st->code = ev->exit_code;
		st->sig = ev->sig;
		st->tid = ev->tid;
		return 1;
	}
	if (t) {
		if (t->announced) {
			thr_target_id(d, t, id, sizeof(id));
			dout(d, "[%s exited]\n", id);
		}
		thr_remove(d, ev->tid);
	}
	return 0;
}

/* What the step logic and Ctrl-C care about for this run. */
struct runstate {
	const struct run_req *rq;
	pid_t stepper;     /* the thread that steps, 0 for none */
	uint64_t step_pc;  /* its pc when resumed */
	bool interrupting; /* Ctrl-C: this run ends at the next stop */
	pid_t forced;      /* the thread ptk interrupted itself (PTRACE_INTERRUPT) */
	pid_t halted;      /* that thread stopped: the run ends there */
	bool got_sigint;   /* the program's SIGINT stop was seen */
	/* a passed signal's handler runs to completion before stepping resumes */
	uint64_t sig_resume_addr;
	uint64_t sig_resume_sp;
	uint64_t sig_bp_addr; /* signal delivered at a breakpoint: its first re-hit is not new */
};

static bool is_stop_addr(const struct run_req *rq, uint64_t addr)
{
	for (int i = 0; i < rq->nstop_addr; i++)
		if (rq->stop_addr[i] == addr)
			return true;
	return false;
}

/* Resume the thread of ev after an event that is not reported. */
static void go_on(struct dbg *d, struct runstate *rs, struct dthread *t)
{
	enum ptk_resume_mode mode = PTK_RESUME_CONT;

	if (!t || t->exited)
		return;
	t->stopped = true;
	if (t->tid == rs->forced && t->interrupt_sent) {
		/*
		 * Whatever this stop was, the user's interrupt ends the run
		 * here: its own stop may never come (an interrupt that finds
		 * the thread between two steps ptk emulates sends none).
		 */
		rs->halted = t->tid;
		return;
	}
	if (t->tid == rs->stepper && !rs->sig_resume_addr)
		mode = rs->rq->mode;
	thr_resume(d, t, mode);
}

static int on_signal(struct dbg *d, struct runstate *rs, struct dthread *t,
                     const struct ptk_event *ev, struct stop *st)
{
	struct sigrow *row = dsig_row(d, ev->sig);
	struct bpt *cp;
	bool stop = row ? row->stop : true;
	bool print = row ? row->print : true;
	bool pass = row ? row->pass : true;

	if (ev->sig == SIGTRAP && !d->sigtrap_user) {
		/*
		 * Not a breakpoint of ours nor a step: the program's own int3,
		 * raise(SIGTRAP) or kill.  It reaches the program as untraced
		 * (gdb 13 swallows it; PITFALLS #12).
		 */
		stop = print = false;
		pass = true;
	}
	if (ev->sig == SIGINT && rs->interrupting) {
		/* The terminal's Ctrl-C reached the program too: one report. */
		stop = print = true;
		pass = false;
		rs->got_sigint = true;
	}
	cp = bp_catch_match(d, BP_CATCH_SIGNAL, ev->sig);
	if (cp) {
		cp->hits++;
		st->kind = STOP_CATCH;
		st->bpnum = cp->num;
		st->sig = ev->sig;
		st->tid = ev->tid;
		t->pass_sig = pass ? ev->sig : 0;
		return 1;
	}
	t->pass_sig = pass ? ev->sig : 0;
	if (stop) {
		st->kind = STOP_SIGNAL;
		st->sig = ev->sig;
		st->tid = ev->tid;
		return 1;
	}
	if (print) {
		char name[32];

		if (d->inf.had_threads) {
			thr_name(d, ev->tid, name, sizeof(name));
			dout(d, "\nThread %d \"%s\" received signal %s, %s.\n", t->num, name,
			     dsig_name(ev->sig), dsig_desc(ev->sig));
		} else {
			dout(d, "\nProgram received signal %s, %s.\n", dsig_name(ev->sig),
			     dsig_desc(ev->sig));
		}
	}
	if (t->tid == rs->stepper && pass && rs->rq->mode == PTK_RESUME_STEP &&
	    !rs->sig_resume_addr) {
		/*
		 * Stepping, and the signal goes to the program: let its handler
		 * run whole, then step on from here (gdb does the same).
		 */
		struct ptk_regs r;

		if (ptk_regs_get(d->s, t->tid, &r) == 0 && bpaddr_ref(d, r.rip) == 0) {
			rs->sig_resume_addr = r.rip;
			rs->sig_resume_sp = r.rsp;
		}
	}
	go_on(d, rs, t);
	return 0;
}

static int on_breakpoint(struct dbg *d, struct runstate *rs, struct dthread *t,
                         const struct ptk_event *ev, struct stop *st)
{
	struct ptk_regs r;
	bool temp = false;
	int n;

	if (ev->addr == d->inf.dl_brk && d->inf.dl_brk) {
		inf_solib_event(d);
		if (!bpaddr_user(d, ev->addr) && !is_stop_addr(rs->rq, ev->addr)) {
			go_on(d, rs, t);
			return 0;
		}
	}
	if (rs->sig_resume_addr && ev->tid == rs->stepper && ev->addr == rs->sig_resume_addr &&
	    ptk_regs_get(d->s, ev->tid, &r) == 0 && r.rsp >= rs->sig_resume_sp) {
		/* Back from the signal handler: the step goes on from here. */
		bpaddr_unref(d, rs->sig_resume_addr);
		rs->sig_resume_addr = 0;
		if (ev->addr == rs->step_pc || !bpaddr_user(d, ev->addr)) {
			go_on(d, rs, t);
			return 0;
		}
	}
	if (rs->sig_bp_addr && ev->tid == d->inf.cur_tid && ev->addr == rs->sig_bp_addr) {
		rs->sig_bp_addr = 0;
		go_on(d, rs, t);
		return 0;
	}
	if (ev->tid == rs->stepper && rs->rq->mode == PTK_RESUME_STEP && ev->addr == rs->step_pc) {
		/* The int3 under the pc the step started from: not a new arrival. */
		go_on(d, rs, t);
		return 0;
	}
	n = bp_check_hit(d, ev->tid, ev->addr, &temp);
	if (n > 0) {
		st->kind = STOP_BREAKPOINT;
		st->bpnum = n;
		st->temp = temp;
		st->tid = ev->tid;
		return 1;
	}
	if (n < 0) {
		/* A condition could not be evaluated: gdb stops there. */
		st->kind = STOP_BREAKPOINT;
		st->bpnum = -n;
		st->tid = ev->tid;
		return 1;
	}
	if (is_stop_addr(rs->rq, ev->addr) && (!rs->rq->only_tid || ev->tid == rs->rq->only_tid)) {
		bool frame_ok = true;

		if (rs->rq->frame_sp &&
		    !(rs->rq->any_frame_addr0 && ev->addr == rs->rq->stop_addr[0]))
			frame_ok = ptk_regs_get(d->s, ev->tid, &r) == 0 && r.rsp > rs->rq->frame_sp;
		if (frame_ok) {
			st->kind = STOP_LOCATION;
			st->tid = ev->tid;
			return 1;
		}
	}
	go_on(d, rs, t);
	return 0;
}

static int on_step(struct dbg *d, struct runstate *rs, struct dthread *t,
                   const struct ptk_event *ev, struct stop *st)
{
	struct ptk_regs r;
	bool temp = false;
	int n;

	if (ev->tid != rs->stepper) {
		go_on(d, rs, t);
		return 0;
	}
	/* Landing on an enabled breakpoint counts as hitting it, as in gdb. */
	if (ptk_regs_get(d->s, ev->tid, &r) == 0 && bpaddr_user(d, r.rip)) {
		n = bp_check_hit(d, ev->tid, r.rip, &temp);
		if (n != 0) {
			st->kind = STOP_BREAKPOINT;
			st->bpnum = n > 0 ? n : -n;
			st->temp = temp;
			st->tid = ev->tid;
			return 1;
		}
	}
	st->kind = STOP_STEP;
	st->tid = ev->tid;
	return 1;
}

static int on_fork(struct dbg *d, struct runstate *rs, struct dthread *t,
                   const struct ptk_event *ev, struct stop *st)
{
	bool vfork = ev->kind == PTK_EV_VFORK;
	struct bpt *cp = bp_catch_match(d, vfork ? BP_CATCH_VFORK : BP_CATCH_FORK, 0);

	if (ev->pid != d->inf.pid) {
		thr_resume_raw(d, ev->tid);
		return 0;
	}
	if (vfork)
		bp_vfork_lift(d);
	if (cp) {
		cp->hits++;
		cp->last_child = ev->new_tid;
		st->kind = STOP_CATCH;
		st->bpnum = cp->num;
		st->child = ev->new_tid;
		st->ev = ev->kind;
		st->tid = ev->tid;
		t->fork_child = ev->new_tid;
		t->fork_vfork = vfork;
		return 1;
	}
	dout(d, "[Detaching after %s from child process %d]\n", vfork ? "vfork" : "fork",
	     (int)ev->new_tid);
	if (vfork)
		t->in_vfork = true;
	go_on(d, rs, t);
	return 0;
}

static int on_exec(struct dbg *d, struct runstate *rs, const struct ptk_event *ev, struct stop *st)
{
	char path[64], exe[4096];
	ssize_t k;
	struct bpt *cp;
	struct dthread *t;

	if (ev->pid != d->inf.pid) {
		thr_resume_raw(d, ev->tid);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)ev->pid);
	k = readlink(path, exe, sizeof(exe) - 1);
	exe[k > 0 ? k : 0] = '\0';
	dout(d, "process %d is executing new program: %s\n", (int)ev->pid, exe);
	/* Every other thread is gone; the symbols are another program's. */
	for (size_t i = d->inf.nthreads; i-- > 0;)
		if (d->inf.threads[i].tid != ev->tid)
			thr_remove(d, d->inf.threads[i].tid);
	t = thr_add(d, ev->tid);
	if (!t)
		return 0;
	t->stopped = true;
	t->last = *ev;
	t->tp = 0;
	d->inf.cur_tid = ev->tid;
	free(d->prog_path);
	d->prog_path = strdup(exe);
	inf_new_program(d);
	cp = bp_catch_match(d, BP_CATCH_EXEC, 0);
	if (cp) {
		cp->hits++;
		free(cp->exec_path);
		cp->exec_path = strdup(exe);
		st->kind = STOP_CATCH;
		st->bpnum = cp->num;
		st->ev = PTK_EV_EXEC;
		st->tid = ev->tid;
		return 1;
	}
	go_on(d, rs, t);
	return 0;
}

static int on_syscall(struct dbg *d, struct runstate *rs, struct dthread *t,
                      const struct ptk_event *ev, struct stop *st)
{
	long nr = ev->sc.nr;
	struct bpt *cp;

	/* An exit stop does not always say which syscall: the entry did. */
	if (ev->kind == PTK_EV_SYSCALL_ENTER)
		t->sc_nr = nr;
	else if (nr < 0)
		nr = t->sc_nr;
	cp = bp_catch_match(d, BP_CATCH_SYSCALL, nr);
	if (cp && ev->sc.arch == PTK_ARCH_X86_64) {
		cp->hits++;
		st->kind = STOP_CATCH;
		st->bpnum = cp->num;
		st->sysno = nr;
		st->sc_return = ev->kind == PTK_EV_SYSCALL_EXIT;
		st->ev = ev->kind;
		st->tid = ev->tid;
		return 1;
	}
	go_on(d, rs, t);
	return 0;
}

/*
 * Handle one event.  Returns 1 when it must be reported (st filled), 0 when
 * the thread was sent on its way.
 */
static int handle(struct dbg *d, struct runstate *rs, const struct ptk_event *ev, struct stop *st)
{
	struct dthread *t = thr_find(d, ev->tid);
	int n;

	if (d->trace_events)
		fprintf(stderr, "[ptk event %s tid %d sig %d addr 0x%llx nr %ld arch %d]\n",
		        ptk_event_name(ev->kind), (int)ev->tid, ev->sig,
		        (unsigned long long)ev->addr, ev->sc.nr, (int)ev->sc.arch);

	if (ev->kind == PTK_EV_EXITED || ev->kind == PTK_EV_KILLED)
		return death(d, ev, st);
	if (ev->kind == PTK_EV_STOP && ev->new_tracee) {
		if (new_tracee(d, ev)) {
			t = thr_find(d, ev->tid);
			go_on(d, rs, t);
		}
		return 0;
	}
	if (ev->kind == PTK_EV_EXEC)
		return on_exec(d, rs, ev, st);
	if (!t) {
		/* A thread of a process we let go, or not yet announced. */
		if (ev->pid == d->inf.pid) {
			t = thr_add(d, ev->tid);
			if (!t)
				return 0;
		} else {
			thr_resume_raw(d, ev->tid);
			return 0;
		}
	}
	t->stopped = true;
	t->last = *ev;
	switch (ev->kind) {
	case PTK_EV_STOP:
		if (t->interrupt_sent) {
			t->interrupt_sent = false;
			if (rs->interrupting) {
				st->kind = STOP_INTERRUPTED;
				st->tid = ev->tid;
				return 1;
			}
		}
		go_on(d, rs, t);
		return 0;
	case PTK_EV_GROUP_STOP:
	case PTK_EV_VFORK_DONE:
		if (ev->kind == PTK_EV_VFORK_DONE && ev->pid == d->inf.pid)
			bp_vfork_restore(d);
		t->in_vfork = false;
		go_on(d, rs, t);
		return 0;
	case PTK_EV_CLONE:
		if (!thr_find(d, ev->new_tid)) {
			struct dthread *nt = thr_add(d, ev->new_tid);

			if (nt)
				nt->stopped = false;
		}
		go_on(d, rs, thr_find(d, ev->tid));
		return 0;
	case PTK_EV_FORK:
	case PTK_EV_VFORK:
		return on_fork(d, rs, t, ev, st);
	case PTK_EV_SIGNAL:
		return on_signal(d, rs, t, ev, st);
	case PTK_EV_BREAKPOINT:
		return on_breakpoint(d, rs, t, ev, st);
	case PTK_EV_STEP:
		return on_step(d, rs, t, ev, st);
	case PTK_EV_SYSCALL_ENTER:
	case PTK_EV_SYSCALL_EXIT:
		return on_syscall(d, rs, t, ev, st);
	case PTK_EV_WATCHPOINT:
		n = bp_watch_hit(d, ev);
		if (n > 0) {
			st->kind = STOP_WATCH;
			st->bpnum = n;
			st->watch = ev->watch;
			st->tid = ev->tid;
			return 1;
		}
		go_on(d, rs, t);
		return 0;
	default:
		go_on(d, rs, t);
		return 0;
	}
}

/* During stop-all: record what other threads report. */
void run_absorb(struct dbg *d, const struct ptk_event *ev)
{
	struct dthread *t = thr_find(d, ev->tid);
	struct stop st;

	if (ev->kind == PTK_EV_EXITED || ev->kind == PTK_EV_KILLED) {
		if (ev->pid != d->inf.pid)
			return;
		if (ev->process_gone) {
			inf_defer(d, ev);
			for (size_t i = 0; i < d->inf.nthreads; i++)
				d->inf.threads[i].stopped = true;
			return;
		}
		memset(&st, 0, sizeof(st));
		death(d, ev, &st);
		return;
	}
	if (ev->kind == PTK_EV_STOP && ev->new_tracee) {
		new_tracee(d, ev);
		return;
	}
	if (!t) {
		if (ev->pid != d->inf.pid) {
			thr_resume_raw(d, ev->tid);
			return;
		}
		t = thr_add(d, ev->tid);
		if (!t)
			return;
	}
	t->stopped = true;
	if (ev->kind == PTK_EV_STOP && t->interrupt_sent) {
		t->interrupt_sent = false;
		t->last = *ev;
		return;
	}
	if (ev->kind == PTK_EV_CLONE) {
		if (!thr_find(d, ev->new_tid)) {
			struct dthread *nt = thr_add(d, ev->new_tid);

			if (nt)
				nt->stopped = false;
		}
		return;
	}
	t->last = *ev;
	inf_defer(d, ev);
}

/* Does libptk single-step the program for a software watchpoint? */
static bool soft_watching(struct dbg *d)
{
	for (struct bpt *b = d->bps; b; b = b->next)
		if ((b->type == BP_WATCH || b->type == BP_RWATCH || b->type == BP_AWATCH) &&
		    b->enabled && b->watch_id && !b->hardware)
			return true;
	return false;
}

/*
 * Is signal sig pending for thread tid (its own or its process's) and not
 * blocked by it: will it take sig as soon as it runs?
 */
static bool sig_pending(pid_t pid, pid_t tid, int sig)
{
	char path[96], line[128];
	unsigned long long m, pend = 0, blk = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid, (int)tid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "SigPnd: %llx", &m) == 1 || sscanf(line, "ShdPnd: %llx", &m) == 1)
			pend |= m;
		else if (sscanf(line, "SigBlk: %llx", &m) == 1)
			blk = m;
	fclose(f);
	return ((pend & ~blk) >> (sig - 1)) & 1;
}

/*
 * Let thread tid (stopped, every other thread stopped too) take the SIGINT
 * it has pending and drop it: resumed, a thread takes a pending signal
 * before it runs an instruction (its signal-delivery-stop), and a tracer
 * that resumes it with no signal suppresses it.
 */
static void take_sigint(struct dbg *d, pid_t tid)
{
	struct dthread *t = thr_find(d, tid);
	struct ptk_event ev;

	if (!t || !t->stopped || ptk_resume(d->s, tid, PTK_RESUME_CONT, 0) < 0)
		return;
	t->stopped = false;
	for (;;) {
		int r = dbg_wait(d, &ev, dsig_gen(), false);

		if (r == -EINTR)
			continue;
		if (r < 0)
			return;
		if (ev.tid == tid && ev.kind == PTK_EV_SIGNAL && ev.sig == SIGINT) {
			t->stopped = true;
			t->last = ev;
			t->pass_sig = 0;
			return;
		}
		/* something else first: kept for the next run, as during a stop-all */
		run_absorb(d, &ev);
		if (!thr_find(d, tid) || thr_find(d, tid)->stopped || !inf_live(d))
			return;
	}
}

/*
 * A Ctrl-C came during this run.  A run that ended by itself at an
 * intermediate stop (one instruction of stepi N, next N, a software
 * watchpoint's steps: steps that ptk emulates never let the program take
 * its signal) ends the whole command: it is reported as gdb reports the
 * Ctrl-C, "Program received signal SIGINT".  Returns true when the
 * terminal's copy of that SIGINT still waits in the program: it is not
 * for the program (gdb's default for SIGINT is nopass), and left there it
 * would stop the next run; the caller makes the thread take it now.
 */
static bool ctrl_c_ends(struct dbg *d, const struct runstate *rs, struct stop *st)
{
	pid_t tid = st->tid ? st->tid : d->inf.cur_tid;
	struct dthread *it = thr_find(d, tid);

	if (st->kind == STOP_STEP || st->kind == STOP_LOCATION) {
		st->kind = STOP_INTERRUPTED;
		st->tid = tid;
	}
	bool take = *d->int_from_tty && !rs->got_sigint && inf_live(d) &&
	            st->kind == STOP_INTERRUPTED && sig_pending(d->inf.pid, tid, SIGINT);

	/*
	 * An interrupt whose stop was not seen: either it found the thread
	 * stopped (a step ptk emulated) and sends none, or its stop comes after
	 * the next resume and is then nothing to report (handle() goes on).
	 */
	if (it && it->stopped && it->interrupt_sent)
		it->interrupt_sent = false;
	return take;
}

void thr_resume_raw(struct dbg *d, pid_t tid)
{
	ptk_resume(d->s, tid, PTK_RESUME_CONT, 0);
}

int inf_run(struct dbg *d, const struct run_req *rq, struct stop *st)
{
	struct runstate rs;
	struct ptk_event ev;
	struct dthread *cur = thr_cur(d);
	struct ptk_regs r;
	bool take = false;
	int res = 0;

	memset(st, 0, sizeof(*st));
	memset(&rs, 0, sizeof(rs));
	rs.rq = rq;
	if (!cur)
		return -ESRCH;
	if (rq->mode == PTK_RESUME_STEP) {
		rs.stepper = cur->tid;
		if (ptk_regs_get(d->s, cur->tid, &r) == 0)
			rs.step_pc = r.rip;
	}
	if (rq->deliver >= 0)
		cur->pass_sig = rq->deliver;
	if (rq->deliver > 0 && cur->last.kind == PTK_EV_BREAKPOINT &&
	    ptk_regs_get(d->s, cur->tid, &r) == 0)
		rs.sig_bp_addr = r.rip; /* the handler returns to this breakpoint: not a new hit */
	for (size_t i = 0; i < d->inf.nthreads; i++) {
		struct dthread *t = &d->inf.threads[i];

		/* A catch fork/vfork stop kept the child; gdb lets it go now. */
		if (t->fork_child) {
			dout(d, "[Detaching after %s from child process %d]\n",
			     t->fork_vfork ? "vfork" : "fork", (int)t->fork_child);
			if (t->fork_vfork)
				t->in_vfork = true;
			t->fork_child = 0;
		}
	}
	/* Events that arrived while the program was stopped come first. */
	if (!rq->only_current) {
		while (inf_undefer(d, &ev)) {
			if (handle(d, &rs, &ev, st) > 0)
				goto stopped;
		}
	}
	res = inf_resume_all(d, rq->mode, rq->only_current);
	if (res < 0)
		return res;
	for (;;) {
		unsigned seen = dsig_gen();

		if (*d->terminate) {
			st->kind = STOP_ERROR;
			return -EINTR;
		}
		if (*d->interrupted) {
			rs.interrupting = true;
			/*
			 * The terminal sent SIGINT to the program's process group
			 * too: its signal stop ends the run.  From elsewhere (kill
			 * -INT), or a second Ctrl-C: ptk interrupts the thread.
			 */
			if ((!*d->int_from_tty || *d->interrupted >= 2) && !rs.forced) {
				struct dthread *it = thr_cur(d);

				rs.forced = -1;
				if (it && !it->stopped && ptk_interrupt(d->s, it->tid) == 0) {
					it->interrupt_sent = true;
					rs.forced = it->tid;
				}
			}
		}
		res = dbg_wait(d, &ev, seen, rs.forced > 0 && soft_watching(d));
		if (res == -EAGAIN) {
			/*
			 * The interrupt may have found the thread between two
			 * instructions libptk emulated (a software watchpoint): then
			 * it was a no-op.  Ask again until the thread stops.
			 */
			struct dthread *it = thr_find(d, rs.forced);

			if (it && !it->stopped)
				ptk_interrupt(d->s, it->tid);
			continue;
		}
		if (res == -EINTR)
			continue;
		if (res == -ECHILD) {
			st->kind = STOP_DETACHED;
			inf_gone(d);
			return 0;
		}
		if (res < 0)
			return res;
		if (handle(d, &rs, &ev, st) > 0)
			break;
		if (rs.halted) {
			st->kind = STOP_INTERRUPTED;
			st->tid = rs.halted;
			break;
		}
	}
stopped:
	if (*d->interrupted)
		rs.interrupting = true;
	/* This Ctrl-C was for the program; the prompt must not see it again. */
	*d->interrupted = 0;
	if (rs.interrupting)
		take = ctrl_c_ends(d, &rs, st);
	if (rs.sig_resume_addr)
		bpaddr_unref(d, rs.sig_resume_addr);
	if (st->kind == STOP_EXITED || st->kind == STOP_KILLED) {
		inf_stop_all(d);
		return 0;
	}
	if (!rq->only_current || st->tid != rs.stepper)
		inf_stop_all(d);
	if (take)
		take_sigint(d, st->tid);
	if (st->tid && thr_find(d, st->tid))
		d->inf.cur_tid = st->tid;
	inf_invalidate(d);
	return 0;
}
