/* SPDX-License-Identifier: MIT */
/*
 * ptk trace: the tracer loop.  Spawn or attach, then for every event print
 * the line strace would print and resume the tracee.  Exits with the
 * spawned program's exit status (re-raising its killing signal, as strace
 * does); on SIGINT/SIGTERM/SIGHUP it detaches what it attached and, as
 * strace does, passes the signal on to what it spawned.
 *
 * When ptk spawns the program and the trace set leaves syscalls out, a
 * seccomp filter (ptk_spawn's seccomp_set) makes only the syscalls ptk
 * wants stop the tracee: a thread runs with PTK_RESUME_CONT and is resumed
 * with PTK_RESUME_SYSCALL only to see the exit of a syscall it prints.
 * Every descendant inherits the filter, so ptk follows them all (printing
 * only what -f asks for), none is left to get ENOSYS from it.
 */
#include "trace.h"

#include "../frontends.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#define CLONE_UNTRACED_FLAG 0x00800000ull
#define GRACE_NS            2000000000LL /* spawned tracees' time to act on a signal */
#define KILLED_NS           300000000LL  /* then SIGKILL's time to end them */

int64_t now_ns(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* sig.c */
extern volatile sig_atomic_t got_signal, signals_got, alarm_hit;
void install_handlers(struct trace *t);
void arm_timer(int64_t deadline);
void reraise(int sig);

/* ---- lines ---- */

static void set_sink(struct trace *t, struct tcb *c)
{
	if (!c->visible || t->o.summary == 1)
		c->sink = SINK_DROP;
	else if (t->o.json)
		c->sink = SINK_CAPTURE;
	else if (t->status_filter || t->o.stops)
		c->sink = SINK_HOLD;
	else
		c->sink = SINK_STREAM;
}

/* A whole line for c that is not its syscall's ("+++ exited ...", "--- SIG ..."). */
static void tmp_tcb(struct trace *t, struct tcb *c, struct tcb *tmp)
{
	memset(tmp, 0, sizeof *tmp);
	tmp->tid = c->tid;
	tmp->pid = c->pid;
	tmp->out = out_file(t, c);
	tmp->last_nr = c->last_nr;
	tmp->ip = c->ip;
	tmp->ip_valid = c->ip_valid;
	tmp->visible = true;
	tmp->sink = t->o.json ? SINK_CAPTURE : SINK_STREAM;
}

static void status_line(struct trace *t, struct tcb *c, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void status_line(struct trace *t, struct tcb *c, const char *fmt, ...)
{
	if (!c->visible || t->o.summary == 1 || t->o.json)
		return;
	struct tcb tmp;
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	tmp_tcb(t, c, &tmp);
	out_begin(t, &tmp);
	out_write(&tmp, buf, strlen(buf));
	out_end_line(t, &tmp);
	db_free(&tmp.obuf);
}

/* The end of a printed syscall: its return (sc NULL: it never returned). */
static void finish_line(struct trace *t, struct tcb *c, const struct ptk_syscall *sc, bool entered)
{
	struct ptk_syscall none = {.op = PTK_SC_NONE};
	if (!sc)
		sc = &none;
	bool done = sc->op == PTK_SC_EXIT;
	unsigned st = !done ? ST_UNFINISHED : sc->is_error ? ST_FAILED : ST_SUCCESSFUL;
	c->keep = (t->o.status & st) != 0;
	size_t n = 0;
	c->suffix[0] = 0;
	if (done && (c->tamper & TAMPER_INJECTED))
		n += (size_t)snprintf(c->suffix + n, sizeof c->suffix - n, " (INJECTED)");
	if (done && (c->tamper & TAMPER_DELAYED))
		n += (size_t)snprintf(c->suffix + n, sizeof c->suffix - n, " (DELAYED)");
	if (done && t->o.stimes && n < sizeof c->suffix) {
		char b[48];
		fmt_secs(b, sizeof b, now_ns(CLOCK_MONOTONIC) - c->mono_enter, t->o.Tprec);
		snprintf(c->suffix + n, sizeof c->suffix - n, " <%s>", b);
	}
	/* A held line is still whole in obuf (col > 0): decode_exit continues it. */
	(void)entered;
	decode_exit(t, c, sc);
	if (c->sink == SINK_CAPTURE) {
		if (c->keep)
			json_syscall(t, c, sc);
		db_reset(&c->obuf);
	}
	if (t->tl)
		timeline_syscall(t, c, done ? sc : NULL);
	c->printing = false;
	c->in_syscall = false;
}

/* exit, exit_group: decode_enter ended the line ("= ?"); there is no exit stop. */
static void ended_at_entry(struct trace *t, struct tcb *c)
{
	if (c->sink == SINK_CAPTURE) {
		if (c->keep)
			json_syscall(t, c, NULL);
		db_reset(&c->obuf);
	}
	if (t->tl)
		timeline_syscall(t, c, NULL);
	c->printing = false;
}

/* ---- detaching ---- */

static void detach_process(struct trace *t, pid_t pid, bool verbose)
{
	pid_t tids[64];
	int n = 0;
	for (size_t i = 0; i < t->tcb_cap; i++)
		for (struct tcb *c = t->tcbs[i]; c; c = c->hnext)
			if (c->pid == pid) {
				if (c->visible && c->in_syscall && c->printing)
					out_detached(t, c);
				if (n < 64)
					tids[n++] = c->tid;
			}
	ptk_detach(t->s, pid, 100);
	for (int i = 0; i < n; i++) {
		struct tcb *c = tcb_find(t, tids[i]);
		if (c && c->visible && verbose && !(t->o.quiet_set & Q_ATTACH))
			trace_msg(t, "Process %d detached", tids[i]);
		tcb_drop(t, tids[i]);
	}
}

/* The processes of the session (one pid per process) into pids; returns how many. */
static int list_processes(struct trace *t, pid_t *pids, int max)
{
	int n = 0;
	for (size_t i = 0; i < t->tcb_cap; i++)
		for (struct tcb *c = t->tcbs[i]; c; c = c->hnext) {
			bool seen = false;
			for (int k = 0; k < n && !seen; k++)
				seen = pids[k] == c->pid;
			if (!seen && n < max)
				pids[n++] = c->pid;
		}
	return n;
}

/*
 * A signal asked ptk to stop.  Attached processes are detached and run
 * on.  Spawned ones get the signal, as from strace: they are detached too,
 * unless they run under ptk's seccomp filter (they cannot run on without
 * ptk): then ptk traces them while they act on the signal, for GRACE_NS
 * or until a second signal, and kills what is left.
 */
static void begin_shutdown(struct trace *t)
{
	int sig = got_signal;
	t->shutting_down = true;
	t->grace_end = now_ns(CLOCK_MONOTONIC) + GRACE_NS;
	pid_t pids[1024];
	int n = list_processes(t, pids, 1024);
	for (int i = 0; i < n; i++) {
		bool spawned = ptk_process_spawned(t->s, pids[i]);
		if (spawned)
			ptk_process_signal(t->s, pids[i], sig, true);
		if (!spawned || !t->seccomp)
			detach_process(t, pids[i], true);
	}
}

/* ---- events ---- */

static bool is_named(const struct tcb *c, const char *name)
{
	const struct ptk_sysent *e = ptk_sysent_get(c->arch, c->nr);
	return e && e->name && strcmp(e->name, name) == 0;
}

static bool is_execve(const struct tcb *c)
{
	return is_named(c, "execve") || is_named(c, "execveat");
}

/* ptk follows a CLONE_UNTRACED child too: under ptk's filter it would get ENOSYS. */
static void clone_untraced(struct trace *t, struct tcb *c)
{
	bool c3 = is_named(c, "clone3");
	if (!c3 && !is_named(c, "clone"))
		return;
	uint64_t fl = 0;
	if (c3 && ptk_mem_read(t->s, c->tid, c->args[0], &fl, sizeof fl, NULL) < 0)
		return;
	if (!c3)
		fl = c->args[0];
	if (!(fl & CLONE_UNTRACED_FLAG))
		return;
	uint64_t nf = fl & ~CLONE_UNTRACED_FLAG;
	int r = c3 ? ptk_mem_write(t->s, c->tid, c->args[0], &nf, sizeof nf, NULL)
	           : ptk_syscall_set_arg(t->s, c->tid, 0, nf);
	if (r == 0) {
		c->untraced_clone = true;
		c->restore_clone = true;
		c->clone_flags = fl;
	}
}

/*
 * -k: the stack at the syscall-enter stop.  The spawned program's first
 * execve is still ptk's code (its fork child): that one shows the new
 * program's stack, taken at the exit stop.
 */
static void take_stack(struct trace *t, struct tcb *c)
{
	c->stack_at_exit = false;
	if (t->stack_skip_exec && c->pid == t->main_pid && is_execve(c)) {
		t->stack_skip_exec = false;
		c->stack_at_exit = true;
		db_reset(&c->stack);
		return;
	}
	stack_capture(t, c);
}

/* Returns false when the tracee was detached (-b execve). */
static bool on_enter(struct trace *t, struct tcb *c, const struct ptk_event *ev)
{
	const struct ptk_syscall *sc = &ev->sc;
	c->nr = sc->nr;
	c->arch = sc->arch;
	memcpy(c->args, sc->args, sizeof c->args);
	c->ip = sc->ip;
	c->ip_valid = true;
	c->last_nr = (int)sc->nr;
	c->tamper = 0;
	c->delay_ns = 0;
	c->printing = c->counting = c->want_exit = c->sticky_check = false;
	if (c->hide_until_exec) {
		if (!is_execve(c)) {
			c->in_syscall = true;
			return true;
		}
		c->hide_until_exec = false;
	}
	bool sel = c->visible && filter_traced(t, c->arch, c->nr);
	int path_ok = -1;
	if (sel && t->o.npaths)
		sel = (path_ok = filter_path_match(t, c)) != 0;
	if (c->visible && t->o.ninj && sc_set_has(&t->o.inj_set, abi_of_arch(c->arch), c->nr)) {
		if (path_ok < 0)
			path_ok = !t->o.npaths || filter_path_match(t, c);
		if (path_ok)
			inject_enter(t, c);
	}
	if (c->under_filter) {
		clone_untraced(t, c);
		if (!c->visible && !t->nested_hint && is_named(c, "ptrace") && c->args[0] == 0) {
			t->nested_hint = true;
			trace_msg(
			        t,
			        "process %d calls ptrace(PTRACE_TRACEME), which fails while ptk "
			        "follows it for its seccomp filter; use --no-seccomp-bpf to trace "
			        "a program that traces its children",
			        c->pid);
		}
	}
	if (c->filtered)
		c->sticky_check = c->visible && filter_is_seccomp_install(c->arch, c->nr, c->args);
	c->printing = sel && t->o.summary != 1;
	c->counting = sel && t->o.summary;
	c->want_exit = sel || inject_needs_exit(c) || c->restore_clone || c->sticky_check;
	c->in_syscall = c->filtered ? c->want_exit : true;
	if (sel) {
		t->nsyscalls++;
		c->mono_enter = now_ns(CLOCK_MONOTONIC);
		if (t->o.json)
			c->wall_enter = now_ns(CLOCK_REALTIME);
		if (c->counting)
			summary_enter(t, c);
		if (c->printing) {
			set_sink(t, c);
			c->keep = (t->o.status & ST_UNFINISHED) != 0;
			c->suffix[0] = 0;
			if (t->o.stack_traces && c->sink != SINK_DROP) {
				take_stack(t, c);
				c->mono_enter = now_ns(CLOCK_MONOTONIC); /* -T: not the unwinding */
			}
			decode_enter(t, c);
			if (!c->in_syscall)
				ended_at_entry(t, c);
		}
	}
	if (t->o.detach_on_execve && is_execve(c)) {
		if (c->pid == t->main_pid && t->skip_first_exec) {
			t->skip_first_exec = false;
		} else {
			detach_process(t, c->pid, true);
			return false;
		}
	}
	return true;
}

static void make_unfiltered(struct trace *t, struct tcb *c, bool tsync)
{
	c->filtered = false;
	if (!tsync)
		return;
	for (size_t i = 0; i < t->tcb_cap; i++)
		for (struct tcb *o = t->tcbs[i]; o; o = o->hnext)
			if (o->pid == c->pid && o->filtered && o->visible) {
				o->filtered = false;
				ptk_interrupt(t->s, o->tid); /* to be resumed with syscall stops */
			}
}

static void on_exit_stop(struct trace *t, struct tcb *c, const struct ptk_event *ev)
{
	struct ptk_syscall sc = ev->sc;
	if (!c->in_syscall) {
		/* The first stop after attach can be an exit: print it resumed. */
		struct ptk_regs r;
		if (!c->visible || c->filtered || c->hide_until_exec || t->o.npaths ||
		    ptk_regs_get(t->s, c->tid, &r) < 0 ||
		    !filter_traced(t, PTK_ARCH_X86_64, (long)r.orig_rax) || t->o.summary == 1)
			return;
		c->tamper = 0;
		c->last_nr = (int)r.orig_rax;
		c->mono_enter = now_ns(CLOCK_MONOTONIC);
		c->wall_enter = now_ns(CLOCK_REALTIME);
		set_sink(t, c);
		c->col = 0;
		finish_line(t, c, &sc, false);
		return;
	}
	inject_exit(t, c, &sc);
	if (c->restore_clone) {
		struct ptk_regs r;
		if (is_named(c, "clone3"))
			ptk_mem_write(t->s, c->tid, c->args[0], &c->clone_flags, 8, NULL);
		else if (ptk_regs_get(t->s, c->tid, &r) == 0) {
			r.rdi = c->clone_flags;
			ptk_regs_set(t->s, c->tid, &r);
		}
		c->restore_clone = false;
		c->untraced_clone = false;
	}
	if (c->sticky_check && !sc.is_error)
		make_unfiltered(t, c, is_named(c, "seccomp") && (c->args[1] & 1));
	if (c->counting)
		summary_count(t, c, &sc);
	if (c->stack_at_exit) {
		c->stack_at_exit = false;
		stack_capture(t, c);
	}
	if (c->printing)
		finish_line(t, c, &sc, true);
	if (t->o.stack_traces)
		stack_after_syscall(t, c);
	c->in_syscall = false;
	c->printing = c->counting = c->want_exit = c->sticky_check = false;
}

static void on_signal_stop(struct trace *t, struct tcb *c, const struct ptk_event *ev)
{
	if (!c->visible || t->o.summary == 1 || !filter_signal(t, ev->sig))
		return;
	struct tcb tmp;
	char b[32];
	c->ip_valid = false;
	if (t->o.iflag) {
		struct ptk_regs r;
		if (ptk_regs_get(t->s, c->tid, &r) == 0) {
			c->ip = r.rip;
			c->ip_valid = true;
		}
	}
	tmp_tcb(t, c, &tmp);
	if (ev->kind == PTK_EV_GROUP_STOP) {
		out_begin(t, &tmp);
		out_printf(t, &tmp, "--- stopped by %s ---", sig_name(ev->sig, b, sizeof b));
		out_end_line(t, &tmp);
	} else {
		decode_signal(t, &tmp, &ev->si);
	}
	if (t->o.json)
		json_signal(t, &tmp, ev);
	if (t->tl)
		timeline_instant(t, c, sig_name(ev->sig, b, sizeof b),
		                 ev->kind == PTK_EV_GROUP_STOP ? "group-stop" : "signal");
	db_free(&tmp.obuf);
}

/* A tcb for a thread ptk did not see being created. */
static struct tcb *adopt(struct trace *t, pid_t tid, pid_t pid)
{
	struct tcb *c = tcb_get(t, tid, pid);
	if (!c)
		return NULL;
	struct tcb *sib = NULL;
	for (size_t i = 0; i < t->tcb_cap && !sib; i++)
		for (struct tcb *o = t->tcbs[i]; o && !sib; o = o->hnext)
			if (o != c && o->pid == pid)
				sib = o;
	tcb_set_visible(t, c, sib ? sib->visible && t->o.follow : t->o.follow);
	c->filtered = sib ? sib->filtered : t->seccomp && ptk_process_spawned(t->s, pid);
	c->under_filter = t->seccomp && ptk_process_spawned(t->s, pid);
	return c;
}

static void on_child(struct trace *t, struct tcb *c, const struct ptk_event *ev)
{
	int p = ptk_thread_pid(t->s, ev->new_tid);
	struct tcb *n = tcb_get(t, ev->new_tid, p > 0 ? p : ev->new_tid);
	if (!n)
		return;
	tcb_set_visible(t, n, t->o.follow && !c->untraced_clone);
	n->filtered = c->filtered;
	n->under_filter = c->under_filter;
}

/* execve in a thread: the thread takes the leader's tid, the leader vanishes. */
static struct tcb *on_exec(struct trace *t, const struct ptk_event *ev)
{
	struct tcb *c = tcb_find(t, ev->tid);
	if (ev->former_tid != ev->tid) {
		struct tcb *ex = tcb_find(t, ev->former_tid);
		if (c && c != ex && c->in_syscall && c->printing)
			finish_line(t, c, NULL, true);
		if (ex)
			out_pid_changed(t, ex, c != ex ? c : NULL, ev->tid);
		if (c && c != ex)
			tcb_drop(t, c->tid);
		c = ex;
		if (c) {
			tcb_rekey(t, c, ev->tid);
			if (!(t->o.quiet_set & Q_SUPERSEDED))
				status_line(t, c, "+++ superseded by execve in pid %d +++",
				            ev->former_tid);
		}
	}
	if (t->tl && c)
		timeline_thread(t, ev->pid, ev->tid);
	if (t->o.stack_traces)
		stack_forget(t, ev->pid); /* another program */
	return c;
}

static void thread_end(struct trace *t, const struct ptk_event *ev)
{
	struct tcb *c = tcb_find(t, ev->tid);
	char b[32];
	if (t->o.stack_traces && ev->tid == ev->pid)
		stack_forget(t, ev->pid);
	if (ev->tid == t->main_pid) {
		t->exit_known = true;
		t->exit_status = ev->kind == PTK_EV_EXITED ? ev->exit_code : 128 + ev->sig;
		t->term_sig = ev->kind == PTK_EV_KILLED ? ev->sig : 0;
	}
	if (!c)
		return;
	if (c->in_syscall && c->printing)
		finish_line(t, c, NULL, true);
	c->ip_valid = false;
	if (ev->kind == PTK_EV_EXITED) {
		if (!(t->o.quiet_set & Q_EXIT))
			status_line(t, c, "+++ exited with %d +++", ev->exit_code);
	} else {
		status_line(t, c, "+++ killed by %s %s+++", sig_name(ev->sig, b, sizeof b),
		            ev->core_dumped ? "(core dumped) " : "");
	}
	if (c->visible && t->o.json)
		json_exit(t, c, ev);
	if (c->visible && t->tl) {
		char what[64];
		if (ev->kind == PTK_EV_EXITED)
			snprintf(what, sizeof what, "exited with %d", ev->exit_code);
		else
			snprintf(what, sizeof what, "killed by %s", sig_name(ev->sig, b, sizeof b));
		timeline_instant(t, c, what, NULL);
	}
	tcb_drop(t, ev->tid);
}

static void resume(struct trace *t, struct tcb *c, pid_t tid, int sig)
{
	int mode = PTK_RESUME_SYSCALL;
	if (c && !c->want_exit && !c->hide_until_exec &&
	    (c->filtered || !c->visible || !t->want_syscalls))
		mode = PTK_RESUME_CONT;
	if (c && c->delay_ns > 0) {
		delay_add(t, tid, now_ns(CLOCK_MONOTONIC) + c->delay_ns, mode);
		c->delay_ns = 0;
		t->timer_dirty = true;
		return;
	}
	ptk_resume(t->s, tid, mode, sig); /* -ESRCH: gone; its death is the next event */
}

static void handle(struct trace *t, struct ptk_event *ev)
{
	if (ev->kind == PTK_EV_EXITED || ev->kind == PTK_EV_KILLED) {
		thread_end(t, ev);
		return;
	}
	struct tcb *c = ev->kind == PTK_EV_EXEC ? on_exec(t, ev) : tcb_find(t, ev->tid);
	if (!c)
		c = adopt(t, ev->tid, ev->pid);
	if (!c) {
		ptk_resume(t->s, ev->tid, PTK_RESUME_CONT, ev->kind == PTK_EV_SIGNAL ? ev->sig : 0);
		return;
	}
	int sig = 0;
	switch (ev->kind) {
	case PTK_EV_SECCOMP:
		if (!c->filtered)
			break; /* already seen at its syscall-enter-stop */
		               /* fallthrough */
	case PTK_EV_SYSCALL_ENTER:
		if (!on_enter(t, c, ev))
			return;
		break;
	case PTK_EV_SYSCALL_EXIT:
		on_exit_stop(t, c, ev);
		break;
	case PTK_EV_SIGNAL:
		sig = ev->sig;
		/* fallthrough */
	case PTK_EV_GROUP_STOP:
		on_signal_stop(t, c, ev);
		break;
	case PTK_EV_FORK:
	case PTK_EV_VFORK:
	case PTK_EV_CLONE:
		on_child(t, c, ev);
		break;
	case PTK_EV_STOP:
		if (ev->new_tracee) {
			if (c->visible && !(t->o.quiet_set & Q_ATTACH))
				trace_msg(t, "Process %d attached", c->tid);
			if (t->tl && c->visible)
				timeline_thread(t, c->pid, c->tid);
		}
		break;
	default:
		break;
	}
	resume(t, c, ev->tid, sig);
}

static void on_log(void *arg, enum ptk_log_level level, const char *msg)
{
	static const char *const names[] = {"debug", "info", "warning"};
	trace_msg(arg, "%s: %s", names[level <= PTK_LOG_WARN ? level : 0], msg);
}

/* The loop: returns when every tracee is gone (or ptk was told to stop). */
static void run(struct trace *t)
{
	struct ptk_event ev;
	bool killed = false;
	sig_atomic_t shutdown_sigs = 0;
	for (;;) {
		if (got_signal && !t->shutting_down) {
			shutdown_sigs = signals_got;
			begin_shutdown(t);
			t->timer_dirty = true;
		} else if (t->shutting_down && signals_got != shutdown_sigs && !killed) {
			/* A second signal: the grace is over. */
			shutdown_sigs = signals_got;
			t->grace_end = now_ns(CLOCK_MONOTONIC);
			t->timer_dirty = true;
		}
		if (alarm_hit || t->timer_dirty) {
			alarm_hit = 0;
			t->timer_dirty = false;
			int64_t now = now_ns(CLOCK_MONOTONIC);
			int64_t next = delay_run(t, now);
			if (t->shutting_down) {
				if (now >= t->grace_end) {
					if (killed)
						break;
					/* What the signal did not end, SIGKILL does. */
					pid_t pids[1024];
					int n = list_processes(t, pids, 1024);
					for (int i = 0; i < n; i++)
						ptk_kill(t->s, pids[i]);
					killed = true;
					t->grace_end = now + KILLED_NS;
				}
				if (!next || t->grace_end < next)
					next = t->grace_end;
			}
			arm_timer(next);
		}
		if (t->live)
			out_flush_partial(t);
		int r = ptk_wait(t->s, &ev, 0);
		if (r == -EINTR)
			continue;
		if (r < 0)
			break; /* -ECHILD: every tracee is gone */
		if (t->o.stops)
			stops_event(t, &ev);
		handle(t, &ev);
	}
	arm_timer(0);
}

static bool set_empty(const struct sc_set *s)
{
	if (s->rest)
		return false;
	for (int a = 0; a < ABI_N; a++)
		for (int i = 0; i < SC_BITS / 64; i++)
			if (s->w[a][i])
				return false;
	return true;
}

static void print_warnings(const char *w)
{
	while (*w) {
		size_t n = strcspn(w, "\n");
		fprintf(stderr, "ptk trace: %.*s\n", (int)n, w);
		w += n + (w[n] == '\n');
	}
}

int trace_main(int argc, char **argv)
{
	static struct trace t; /* large (the option sets); one per process */
	char err[1024];
	memset(&t, 0, sizeof t);
	t.daemon_fd = -1;
	if (trace_opts_parse(argc, argv, &t.o, err, sizeof err) < 0) {
		fprintf(stderr, "ptk trace: %s\n", err);
		return 1;
	}
	print_warnings(err);
	if (t.o.help) {
		trace_usage(stdout);
		return 0;
	}
	if (t.o.version) {
		printf("ptk trace %s\n", ptk_version());
		return 0;
	}
	t.status_filter = t.o.status != ST_ALL;
	t.want_syscalls = !set_empty(&t.o.trace) || t.o.ninj || t.o.detach_on_execve;
	t.t0 = now_ns(CLOCK_MONOTONIC);
	sigprocmask(SIG_SETMASK, NULL, &t.orig_mask);
	startup_ignored(&t.orig_ignored);
	install_handlers(&t);
	if (out_open_files(&t, err, sizeof err) < 0) {
		fprintf(stderr, "ptk trace: %s\n", err);
		return 1;
	}
	if (t.o.daemonize && start_daemonized(&t, err, sizeof err) < 0) {
		fprintf(stderr, "ptk trace: %s\n", err);
		return 1;
	}
	if (t.o.argv && !t.o.daemonize && !t.o.no_seccomp && !t.o.detach_on_execve &&
	    ptk_seccomp_supported()) {
		uint8_t set[(SC_BITS + 7) / 8];
		t.seccomp = filter_seccomp_set(&t, set, (size_t)ptk_syscall_count(PTK_ARCH_X86_64));
	}
	unsigned flags =
	        (t.o.follow || t.seccomp ? PTK_FOLLOW : 0) | (t.seccomp ? PTK_TRACE_SECCOMP : 0);
	int r = ptk_session_new(&t.s, flags);
	if (r < 0) {
		fprintf(stderr, "ptk trace: %s\n", strerror(-r));
		return 1;
	}
	wait_spin_setup(t.s);
	if (t.o.debug)
		ptk_set_log_fn(t.s, on_log, &t);
	if (t.o.stops)
		stops_install(&t);
	int status = 0;
	if ((t.o.timeline && timeline_open(&t, err, sizeof err) < 0) ||
	    (t.o.summary && summary_new(&t) < 0)) {
		fprintf(stderr, "ptk trace: %s\n", t.o.timeline ? err : "out of memory");
		status = 1;
		goto out;
	}
	filter_resolve_paths(&t);
	if (t.o.daemonize)
		t.main_pid = t.daemon_target;
	if (start_tracees(&t, err, sizeof err) < 0) {
		start_daemon_go(&t, false);
		fprintf(stderr, "ptk trace: %s\n", err);
		status = 1;
		goto out;
	}
	if (t.o.daemonize) {
		t.skip_first_exec = true;
		start_daemon_go(&t, true);
	}
	t.stack_skip_exec = t.o.argv != NULL;
	t.pid_prefix_file = t.o.outfile && !t.o.follow_files && (t.o.follow || t.nvisible > 1);
	run(&t);
	status = t.o.argv && !t.o.daemonize ? t.exit_status : 0;
out:
	/* Detach what we attached, end what we spawned. */
	ptk_stats_get(t.s, &t.stats);
	ptk_session_end(t.s, !t.seccomp && got_signal, 200);
	if (t.o.summary)
		summary_print(&t, t.out && t.out != stderr ? t.out : stderr);
	if (t.o.stops && t.out)
		cost_footer(&t, t.out, "| ");
	out_close_all(&t);
	timeline_close(&t);
	summary_free(&t);
	delay_free(&t);
	filter_free(&t);
	stack_free(&t);
	if (got_signal)
		reraise(got_signal);
	if (t.term_sig && !t.o.daemonize)
		reraise(t.term_sig);
	return status;
}
