/* SPDX-License-Identifier: MIT */
/*
 * Running threads: libptk events in, stop replies out.
 *
 * All-stop mode.  After a resume the client waits for one stop reply.  The first event
 * the client must hear of becomes the chosen one; every other running thread is then
 * interrupted (ptk_interrupt), and the reply goes out when no thread runs any more, so
 * the client always sees a fully stopped process.  Events that arrive meanwhile from
 * other threads are kept as pending on their threads and reported, one per resume,
 * before anything runs again (a pending breakpoint hit whose breakpoint the client has
 * removed meanwhile is dropped: the thread is rewound to the breakpoint and will run into
 * it again if it is put back).  ^C interrupts every thread and reports SIGINT on the
 * first that stops.
 *
 * Non-stop mode.  Each event is reported at once as a %Stop notification for its thread
 * alone; the others keep running.  vCont;t stops one thread, reported with signal 0.
 *
 * Silent stops.  Some events never reach the client: a breakpoint whose condition is
 * false (evaluated here, so it costs no round trip), a signal the client passes
 * (QPassSignals), a new thread's first stop, the stop a ptk_interrupt() left pending
 * after the thread had stopped for another reason, clone events.  A thread the client
 * wants running is resumed as it was; one it does not (all-stop, stopping) stays stopped
 * and a passed signal waits for its next resume.
 *
 * Signals.  The kernel delivers a signal given to a restart request only from a
 * signal-delivery-stop (the ptrace man page); libptk refuses (-EINVAL) otherwise.  When the
 * client resumes a thread with a signal (C/S) from any other stop (a step, an interrupt,
 * an exec), the signal is sent with tgkill instead; when it arrives, its
 * signal-delivery-stop is passed on silently, so the program gets it once and the client
 * is not told twice.
 */
#include "gs.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

static bool any_running(struct gs *g)
{
	for (struct gs_proc *p = g->procs; p; p = p->next)
		for (struct gs_thread *t = p->threads; t; t = t->next)
			if (t->running)
				return true;
	return false;
}

/* Resume t as it was last resumed, with sig (host number) to pass. */
static int do_resume(struct gs *g, struct gs_thread *t, int sig)
{
	int r;

	if (sig == 0)
		sig = t->deliver_sig;
	t->deliver_sig = 0;
	if (sig && !t->can_signal) {
		if (ptk_thread_signal(g->s, t->tid, sig) == 0)
			t->inject_sig = sig;
		sig = 0;
	}
	r = ptk_resume(g->s, t->tid, t->mode, sig);
	if (r == -EINVAL && sig) {
		if (ptk_thread_signal(g->s, t->tid, sig) == 0)
			t->inject_sig = sig;
		r = ptk_resume(g->s, t->tid, t->mode, 0);
	}
	/* -ESRCH: dying, its death is on the way; -EBUSY: not stopped. */
	if (r < 0 && r != -ESRCH && r != -EBUSY)
		return r;
	t->running = true;
	t->can_signal = false;
	t->have_si = false;
	return 0;
}

static int resume_thread(struct gs *g, struct gs_thread *t, const struct gs_action *a)
{
	t->mode = (a->op == 's' || a->op == 'r') ? PTK_RESUME_STEP : PTK_RESUME_CONT;
	t->range_lo = a->op == 'r' ? a->lo : 0;
	t->range_hi = a->op == 'r' ? a->hi : 0;
	t->want_run = true;
	return do_resume(g, t, a->sig);
}

/* all-stop: once nothing runs, send the chosen stop. */
static void check_done(struct gs *g)
{
	if (g->non_stop || !g->running || !g->have_chosen || any_running(g))
		return;
	g->running = false;
	g->have_chosen = false;
	g->interrupting = false;
	gs_report(g, &g->chosen);
}

void gs_stop_all(struct gs *g)
{
	for (struct gs_proc *p = g->procs; p; p = p->next)
		for (struct gs_thread *t = p->threads; t; t = t->next) {
			t->want_run = false;
			if (t->running && !t->stop_wanted && ptk_interrupt(g->s, t->tid) == 0)
				t->stop_wanted = true;
		}
}

/* A stop the client need not hear about. */
static void silent(struct gs *g, struct gs_thread *t, int sig)
{
	if (t->want_run && !t->proc->hidden) {
		if (do_resume(g, t, sig) == 0)
			return;
	} else if (sig) {
		t->deliver_sig = sig;
	}
	check_done(g);
}

static void push_exit(struct gs *g, const struct gs_stop *st)
{
	if (g->npexits == g->cap_pexits) {
		size_t ncap = g->cap_pexits ? g->cap_pexits * 2 : 8;
		struct gs_stop *nv = realloc(g->pexits, ncap * sizeof *nv);
		if (!nv)
			return;
		g->pexits = nv;
		g->cap_pexits = ncap;
	}
	g->pexits[g->npexits++] = *st;
}

/* An event the client must hear of (t is NULL for a process exit). */
static void reportable(struct gs *g, struct gs_thread *t, const struct gs_stop *st)
{
	if (t) {
		t->range_lo = t->range_hi = 0;
		t->want_run = false;
	}
	if (g->non_stop) {
		gs_report(g, st);
		return;
	}
	if (g->running && !g->have_chosen) {
		g->have_chosen = true;
		g->chosen = *st;
		gs_stop_all(g);
		check_done(g);
		return;
	}
	if (t) {
		t->has_pending = true;
		t->pending = *st;
	} else {
		push_exit(g, st);
	}
	check_done(g);
}

/* Should a thread that appears now run?  As its process's others do. */
static bool new_thread_runs(struct gs *g, struct gs_proc *p)
{
	if (p->hidden)
		return false;
	if (g->non_stop)
		return true;
	return g->running && !g->have_chosen;
}

static void first_stop(struct gs *g, struct gs_thread *t)
{
	struct gs_stop st = {.kind = GS_STOP_CREATE, .pid = t->proc->pid, .tid = t->tid};

	t->running = false;
	if (g->thread_events && !t->proc->hidden && t->tid != t->proc->pid) {
		reportable(g, t, &st);
		return;
	}
	silent(g, t, 0);
}

static void new_tracee(struct gs *g, const struct ptk_event *ev)
{
	struct gs_proc *p = gs_proc_find(g, ev->pid);
	struct gs_thread *t;

	if (!p) {
		/* A child reporting before its parent's fork event: hidden until then. */
		p = gs_proc_add(g, ev->pid);
		if (!p)
			return;
		p->hidden = true;
		p->parent = ev->ppid;
	}
	t = gs_thread_add(g, p, ev->tid);
	if (!t)
		return;
	t->want_run = new_thread_runs(g, p);
	first_stop(g, t);
}

static void on_death(struct gs *g, struct gs_thread *t, const struct ptk_event *ev)
{
	struct gs_stop st = {.pid = ev->pid, .tid = ev->tid};
	struct gs_proc *p;
	bool known = t && !t->proc->hidden;

	if (t)
		gs_thread_del(g, t);
	if (!ev->process_gone) {
		if (g->thread_events && known) {
			st.kind = GS_STOP_THREAD_EXIT;
			st.code = ev->exit_code;
			reportable(g, NULL, &st);
			return;
		}
		check_done(g);
		return;
	}
	p = gs_proc_find(g, ev->pid);
	known = p && !p->hidden;
	if (p)
		gs_proc_del(g, p);
	if (!known) {
		check_done(g);
		return;
	}
	st.kind = ev->kind == PTK_EV_EXITED ? GS_STOP_EXITED : GS_STOP_KILLED;
	st.code = ev->exit_code;
	st.sig = ev->sig;
	st.tid = 0;
	reportable(g, NULL, &st);
}

static void fork_event(struct gs *g, struct gs_thread *t, const struct ptk_event *ev)
{
	bool vfork = ev->kind == PTK_EV_VFORK;
	struct gs_stop st = {.kind = vfork ? GS_STOP_VFORK : GS_STOP_FORK,
	                     .pid = t->proc->pid,
	                     .tid = t->tid,
	                     .child = ev->new_tid};
	struct gs_proc *c = gs_proc_find(g, ev->new_tid);

	if (!c) {
		c = gs_proc_add(g, ev->new_tid);
		if (!c) {
			silent(g, t, 0);
			return;
		}
		struct gs_thread *ct = gs_thread_add(g, c, ev->new_tid);
		if (ct)
			ct->running = true; /* until its first stop */
	}
	c->hidden = true;
	c->parent = t->proc->pid;
	c->attached = t->proc->attached;
	if (vfork)
		c->mm = gs_mm(t->proc);
	if (vfork ? g->vfork_events : g->fork_events) {
		reportable(g, t, &st);
		return;
	}
	/* The client does not follow forks: let the child go (without our int3s). */
	if (vfork) {
		gs_bps_lift(g, t->proc);
		gs_mm(t->proc)->vfork_child = c->pid;
	}
	gs_detach(g, c->pid);
	silent(g, t, 0);
}

static void exec_event(struct gs *g, struct gs_proc *p, const struct ptk_event *ev)
{
	struct gs_stop st = {.kind = GS_STOP_EXEC, .pid = p->pid, .tid = ev->tid};
	struct gs_thread *t = gs_thread_find(g, ev->former_tid);
	bool want;

	if (!t)
		t = gs_thread_find(g, ev->tid);
	want = t ? t->want_run : false;
	/* Every other thread is gone, and the exec'ing one now has the leader's tid. */
	while (p->threads)
		gs_thread_del(g, p->threads);
	t = gs_thread_add(g, p, ev->tid);
	if (!t)
		return;
	t->want_run = want;
	/* A new address space: the old breakpoints went with the old one. */
	if (p->mm != p)
		p->mm = p;
	else
		gs_bps_forget(p);
	gs_wps_forget(p); /* libptk drops watchpoints at execve */
	reportable(g, t, &st);
}

/* A finished single step of a range step: keep going while inside the range. */
static bool step_on(struct gs *g, struct gs_thread *t)
{
	struct ptk_regs r;

	if (t->range_lo >= t->range_hi || !t->want_run)
		return false;
	if (ptk_regs_get(g->s, t->tid, &r) < 0)
		return false;
	if (r.rip < t->range_lo || r.rip >= t->range_hi || gs_bp_at(t->proc, r.rip))
		return false;
	return do_resume(g, t, 0) == 0;
}

void gs_event(struct gs *g, const struct ptk_event *ev)
{
	struct gs_thread *t = gs_thread_find(g, ev->tid);
	struct gs_stop st = {.kind = GS_STOP_SIGNAL, .pid = ev->pid, .tid = ev->tid};
	int gsig;

	if (ev->kind == PTK_EV_EXITED || ev->kind == PTK_EV_KILLED) {
		on_death(g, t, ev);
		return;
	}
	if (ev->kind == PTK_EV_EXEC && gs_proc_find(g, ev->pid)) {
		exec_event(g, gs_proc_find(g, ev->pid), ev);
		return;
	}
	if (!t) {
		if (ev->kind == PTK_EV_STOP && ev->new_tracee)
			new_tracee(g, ev);
		else
			ptk_resume(g->s, ev->tid, PTK_RESUME_CONT, 0); /* not ours to keep */
		return;
	}
	t->running = false;
	t->can_signal = ev->kind == PTK_EV_SIGNAL || ev->kind == PTK_EV_STEP ||
	                ev->kind == PTK_EV_BREAKPOINT || ev->kind == PTK_EV_WATCHPOINT;
	t->have_si = t->can_signal;
	if (t->have_si)
		t->si = ev->si;
	switch (ev->kind) {
	case PTK_EV_STOP:
	case PTK_EV_GROUP_STOP:
		if (ev->new_tracee) {
			first_stop(g, t);
			return;
		}
		if (t->stop_wanted || ev->attach_stop) {
			t->stop_wanted = false;
			st.reason = GS_R_STOP;
			st.sig = 0;
			if (t->report_stop) {
				t->report_stop = false;
				reportable(g, t, &st);
				return;
			}
			if (g->interrupting && g->running && !g->have_chosen) {
				st.sig = SIGINT;
				reportable(g, t, &st);
				return;
			}
		}
		/* Job control or a late interrupt: a group-stop is resumed with LISTEN. */
		silent(g, t, 0);
		return;
	case PTK_EV_SIGNAL:
		if (t->inject_sig && t->inject_sig == ev->sig) {
			t->inject_sig = 0;
			silent(g, t, ev->sig);
			return;
		}
		gsig = gs_sig_to_gdb(ev->sig);
		if (gsig > 0 && gsig < GS_GDB_NSIG && g->pass[gsig]) {
			silent(g, t, ev->sig);
			return;
		}
		st.sig = ev->sig;
		reportable(g, t, &st);
		return;
	case PTK_EV_STEP:
		if (step_on(g, t))
			return;
		st.sig = SIGTRAP;
		st.reason = GS_R_STEP;
		reportable(g, t, &st);
		return;
	case PTK_EV_BREAKPOINT: {
		struct gs_bp *b = gs_bp_at(t->proc, ev->addr);
		if (!b || !gs_bp_cond_true(g, t, b)) {
			silent(g, t, 0);
			return;
		}
		st.sig = SIGTRAP;
		st.reason = b->type == 1 ? GS_R_HWBREAK : GS_R_SWBREAK;
		st.addr = ev->addr;
		reportable(g, t, &st);
		return;
	}
	case PTK_EV_WATCHPOINT: {
		/* After the instruction that changed (or read) the watched bytes. */
		struct gs_wp *w = gs_wp_by_id(t->proc, ev->watch.id);
		if (!w || w->removed) {
			silent(g, t, 0);
			return;
		}
		st.sig = SIGTRAP;
		st.reason = GS_R_WATCH;
		st.addr = w->addr;
		st.wtype = w->type;
		reportable(g, t, &st);
		return;
	}
	case PTK_EV_FORK:
	case PTK_EV_VFORK:
		fork_event(g, t, ev);
		return;
	case PTK_EV_VFORK_DONE:
		if (gs_mm(t->proc)->bps_lifted && gs_mm(t->proc) == t->proc) {
			gs_bps_restore(g, t->proc);
			silent(g, t, 0);
			return;
		}
		if (g->vfork_events) {
			st.kind = GS_STOP_VFORK_DONE;
			reportable(g, t, &st);
			return;
		}
		silent(g, t, 0);
		return;
	case PTK_EV_CLONE: {
		int pid = ptk_thread_pid(g->s, ev->new_tid);
		struct gs_proc *np = pid > 0 ? gs_proc_find(g, pid) : NULL;
		if (pid == t->proc->pid) {
			/* Known now, so an all-stop waits for its first stop too. */
			struct gs_thread *nt = gs_thread_find(g, ev->new_tid);
			if (!nt && (nt = gs_thread_add(g, t->proc, ev->new_tid)))
				nt->running = true;
			if (nt)
				nt->want_run = new_thread_runs(g, t->proc);
		} else if (pid > 0 && !np) {
			/* clone() without CLONE_THREAD: a new process, reported as a fork */
			struct ptk_event fe = *ev;
			fe.kind = PTK_EV_FORK;
			fork_event(g, t, &fe);
			return;
		}
		silent(g, t, 0);
		return;
	}
	default:
		silent(g, t, 0);
		return;
	}
}

void gs_poll(struct gs *g)
{
	struct ptk_event ev;

	if (!g->s)
		return;
	while (ptk_wait(g->s, &ev, PTK_WAIT_NOHANG) == 0)
		gs_event(g, &ev);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int gs_wait_event(struct gs *g, struct ptk_event *ev, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;

	if (!g->s)
		return -ECHILD;
	for (;;) {
		int r = ptk_wait(g->s, ev, PTK_WAIT_NOHANG);
		if (r != -EAGAIN)
			return r;
		long left = deadline - now_ms();
		if (left <= 0 || g->sigfd < 0)
			return -ETIMEDOUT;
		struct pollfd pfd = {.fd = g->sigfd, .events = POLLIN};
		if (poll(&pfd, 1, (int)(left > 100 ? 100 : left)) > 0) {
			struct signalfd_siginfo si;
			while (read(g->sigfd, &si, sizeof si) == (ssize_t)sizeof si)
				;
		}
	}
}

/* Does action a apply to thread t? */
static bool matches(const struct gs_action *a, const struct gs_thread *t)
{
	if (a->any)
		return true;
	if (a->who.has_pid && a->who.pid != RSP_ID_ALL && a->who.pid != RSP_ID_ANY &&
	    a->who.pid != t->proc->pid)
		return false;
	return a->who.tid == RSP_ID_ALL || a->who.tid == RSP_ID_ANY || a->who.tid == t->tid;
}

static bool wp_exists(const struct gs_proc *p, const struct gs_stop *st)
{
	for (const struct gs_wp *w = p->wps; w; w = w->next)
		if (w->type == st->wtype && w->addr == st->addr)
			return true;
	return false;
}

/* all-stop: the pending event to report instead of resuming, if any. */
static struct gs_thread *pending_to_report(struct gs *g, const struct gs_action *acts)
{
	for (struct gs_proc *p = g->procs; p; p = p->next)
		for (struct gs_thread *t = p->threads; t; t = t->next) {
			struct ptk_regs r;
			if (t->act < 0 || acts[t->act].op == 't' || !t->has_pending)
				continue;
			if ((t->pending.reason == GS_R_SWBREAK ||
			     t->pending.reason == GS_R_HWBREAK) &&
			    (!gs_bp_at(p, t->pending.addr) || ptk_regs_get(g->s, t->tid, &r) < 0 ||
			     r.rip != t->pending.addr)) {
				t->has_pending = false; /* its breakpoint is gone */
				continue;
			}
			if (t->pending.reason == GS_R_WATCH && !wp_exists(p, &t->pending)) {
				t->has_pending = false; /* its watchpoint is gone */
				continue;
			}
			return t;
		}
	return NULL;
}

void gs_resume(struct gs *g, const struct gs_action *acts, int n)
{
	struct gs_thread *pend;
	int resumed = 0;

	gs_wps_purge(g);
	for (struct gs_proc *p = g->procs; p; p = p->next)
		for (struct gs_thread *t = p->threads; t; t = t->next) {
			t->act = -1;
			if (p->hidden)
				continue;
			for (int i = 0; i < n && t->act < 0; i++)
				if (matches(&acts[i], t))
					t->act = i;
		}
	if (g->non_stop) {
		for (struct gs_proc *p = g->procs; p; p = p->next)
			for (struct gs_thread *t = p->threads; t; t = t->next) {
				if (t->act < 0)
					continue;
				if (acts[t->act].op != 't') {
					if (!t->running)
						resume_thread(g, t, &acts[t->act]);
				} else if (t->running) {
					t->want_run = false;
					t->report_stop = true;
					if (!t->stop_wanted && ptk_interrupt(g->s, t->tid) == 0)
						t->stop_wanted = true;
				}
			}
		gs_send_str(g, "OK");
		return;
	}
	if (g->npexits > 0) {
		struct gs_stop st = g->pexits[0];
		memmove(g->pexits, g->pexits + 1, --g->npexits * sizeof *g->pexits);
		gs_report(g, &st);
		return;
	}
	pend = pending_to_report(g, acts);
	if (pend) {
		pend->has_pending = false;
		gs_report(g, &pend->pending);
		return;
	}
	g->running = true;
	g->have_chosen = false;
	g->interrupting = false;
	for (struct gs_proc *p = g->procs; p; p = p->next)
		for (struct gs_thread *t = p->threads; t; t = t->next)
			if (t->act >= 0 && acts[t->act].op != 't' && !t->running &&
			    resume_thread(g, t, &acts[t->act]) == 0)
				resumed++;
	if (resumed == 0 && !any_running(g)) {
		/* Nothing runs, so nothing will stop: say so rather than hang the client. */
		g->running = false;
		if (g->no_resumed)
			gs_send_str(g, "N");
		else
			gs_send_error(g, ESRCH);
	}
}

void gs_interrupt(struct gs *g)
{
	struct gs_thread *t;

	if (g->non_stop || !g->running || g->have_chosen)
		return;
	g->interrupting = true;
	gs_stop_all(g);
	if (!any_running(g) && (t = gs_cur_thread(g)) != NULL) {
		struct gs_stop st = {.kind = GS_STOP_SIGNAL,
		                     .sig = SIGINT,
		                     .reason = GS_R_STOP,
		                     .pid = t->proc->pid,
		                     .tid = t->tid};
		reportable(g, t, &st);
	}
}
