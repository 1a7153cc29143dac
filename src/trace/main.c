/* SPDX-License-Identifier: MIT */
/*
 * ptk trace: the tracer loop.  Spawn or attach, then for every event print
 * the line strace would print and resume the tracee.  Exits with the
 * spawned program's exit status (re-raising its killing signal, as
 * strace does), and on SIGINT/SIGTERM/SIGHUP detaches what it attached and
 * ends what it spawned.
 */
#include "trace.h"

#include "../frontends.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t got_signal;

static volatile sig_atomic_t grace_over;

static void on_signal(int sig)
{
	got_signal = sig;
}

static void on_alarm(int sig)
{
	(void)sig;
	grace_over = 1;
}

/* Arm a 500 ms timer that interrupts the wait (SIGALRM, no SA_RESTART). */
static bool grace_start(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) < 0)
		return false;
	struct itimerval it = {{0, 0}, {0, 500000}};
	return setitimer(ITIMER_REAL, &it, NULL) == 0;
}

void trace_usage(FILE *f)
{
	fprintf(f, "usage: ptk trace [-f|-ff] [-o FILE] PROG [ARGS...]\n"
	           "       ptk trace [-f] [-o FILE] -p PID [-p PID...]\n"
	           "\n"
	           "Trace the system calls and signals of a program, printing one line per\n"
	           "syscall as strace does.\n"
	           "\n"
	           "  -f          follow forks, vforks and threads\n"
	           "  -ff         with -o FILE: one file FILE.PID per process\n"
	           "  -o FILE     write the trace to FILE instead of stderr\n"
	           "  -p PID      attach to a running process (all its threads); repeatable\n"
	           "  -h, --help  this help\n"
	           "  -V          version\n"
	           "\n"
	           "Exit status: the traced program's (128+N when killed by signal N).\n"
	           "See ptk-trace(1).\n");
}

static void install_handlers(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the blocking wait must return EINTR. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* A tracee's thread ended: finish its open syscall line, print its end. */
static void thread_end(struct trace *t, const struct ptk_event *ev)
{
	struct tcb *c = tcb_get(t, ev->tid, ev->pid);
	if (!c)
		return;
	if (c->in_syscall) {
		struct ptk_syscall none = {.op = PTK_SC_NONE};
		decode_exit(t, c, &none); /* "= ?" */
	}
	out_begin(t, c);
	if (ev->kind == PTK_EV_EXITED) {
		out_printf(t, c, "+++ exited with %d +++", ev->exit_code);
	} else {
		char b[32];
		out_printf(t, c, "+++ killed by %s %s+++", sig_name(ev->sig, b, sizeof b),
		           ev->core_dumped ? "(core dumped) " : "");
	}
	out_end_line(t, c);
	if (ev->tid == t->main_pid) {
		t->exit_known = true;
		t->exit_status = ev->kind == PTK_EV_EXITED ? ev->exit_code : 128 + ev->sig;
		t->term_sig = ev->kind == PTK_EV_KILLED ? ev->sig : 0;
	}
	tcb_drop(t, ev->tid);
}

/* Handle one event; returns the signal to deliver when resuming. */
static int handle(struct trace *t, const struct ptk_event *ev)
{
	struct tcb *c = tcb_get(t, ev->tid, ev->pid);
	if (!c)
		return 0;
	switch (ev->kind) {
	case PTK_EV_SYSCALL_ENTER:
		c->in_syscall = true;
		c->nr = ev->sc.nr;
		c->arch = ev->sc.arch;
		memcpy(c->args, ev->sc.args, sizeof c->args);
		decode_enter(t, c);
		return 0;
	case PTK_EV_SYSCALL_EXIT:
		decode_exit(t, c, &ev->sc);
		return 0;
	case PTK_EV_SIGNAL:
		decode_signal(t, c, &ev->si);
		return ev->sig;
	case PTK_EV_GROUP_STOP: {
		char b[32];
		out_begin(t, c);
		out_printf(t, c, "--- stopped by %s ---", sig_name(ev->sig, b, sizeof b));
		out_end_line(t, c);
		return 0;
	}
	case PTK_EV_EXEC:
		if (ev->former_tid != ev->tid) {
			/*
			 * A non-leader thread exec'd: the old leader is gone
			 * without a death report and the execing thread now
			 * has the leader's tid.
			 */
			struct tcb *old = tcb_get(t, ev->tid, ev->pid);
			if (old && old->in_syscall) {
				out_begin(t, old);
				out_printf(t, old, "+++ superseded by execve in pid %d +++",
				           ev->former_tid);
				out_end_line(t, old);
			}
			struct tcb *ex = tcb_get(t, ev->former_tid, ev->pid);
			tcb_drop(t, ev->tid);
			if (ex) {
				bool in = ex->in_syscall;
				long nr = ex->nr;
				tcb_drop(t, ev->former_tid);
				struct tcb *n = tcb_get(t, ev->tid, ev->pid);
				if (n) {
					n->in_syscall = in;
					n->nr = nr;
				}
			}
		}
		return 0;
	default:
		return 0;
	}
}

static int start(struct trace *t, char *err, size_t errlen)
{
	int r;
	if (t->o.argv) {
		struct ptk_spawn_opts so = {
		        .path = t->o.argv[0], .argv = t->o.argv, .flags = PTK_SPAWN_PATH};
		pid_t pid;
		r = ptk_spawn(t->s, &so, &pid);
		if (r < 0) {
			ptk_explain(PTK_OP_SPAWN, r, t->o.argv[0], err, errlen);
			return -1;
		}
		t->main_pid = pid;
		tcb_get(t, pid, pid);
		r = ptk_resume(t->s, pid, PTK_RESUME_SYSCALL, 0);
		if (r < 0 && r != -ESRCH) {
			snprintf(err, errlen, "cannot start '%s': %s", t->o.argv[0], strerror(-r));
			return -1;
		}
	}
	for (int i = 0; i < t->o.npids; i++) {
		char pidtxt[16];
		snprintf(pidtxt, sizeof pidtxt, "%d", t->o.pids[i]);
		r = ptk_attach(t->s, t->o.pids[i], 0, NULL);
		if (r < 0) {
			ptk_explain(PTK_OP_ATTACH, r, pidtxt, err, errlen);
			return -1;
		}
	}
	return 0;
}

/* Die of the signal that killed the traced program, as strace does. */
static void reraise(int sig)
{
	struct rlimit no_core = {0, 0};
	setrlimit(RLIMIT_CORE, &no_core);
	signal(sig, SIG_DFL);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, sig);
	sigprocmask(SIG_UNBLOCK, &m, NULL);
	raise(sig);
}

int trace_main(int argc, char **argv)
{
	struct trace t;
	char err[512];
	memset(&t, 0, sizeof t);
	if (trace_opts_parse(argc, argv, &t.o, err, sizeof err) < 0) {
		fprintf(stderr, "ptk trace: %s\n", err);
		return 1;
	}
	if (t.o.help) {
		trace_usage(stdout);
		return 0;
	}
	if (t.o.version) {
		printf("ptk trace %s\n", ptk_version());
		return 0;
	}
	if (out_open_files(&t, err, sizeof err) < 0) {
		fprintf(stderr, "ptk trace: %s\n", err);
		return 1;
	}
	int r = ptk_session_new(&t.s, t.o.follow ? PTK_FOLLOW : 0);
	if (r < 0) {
		fprintf(stderr, "ptk trace: %s\n", strerror(-r));
		return 1;
	}
	install_handlers();
	int status = 0;
	if (start(&t, err, sizeof err) < 0) {
		fprintf(stderr, "ptk trace: %s\n", err);
		status = 1;
		goto out;
	}
	struct ptk_event ev;
	bool grace = false;
	for (;;) {
		if (got_signal && !grace) {
			/*
			 * SIGINT and SIGHUP usually come from the terminal to the
			 * whole process group, the spawned program included: give
			 * it half a second to act on its own copy (its handler
			 * runs, its lines are traced), then end it.
			 */
			if (!t.main_pid || got_signal == SIGTERM || !grace_start())
				break;
			grace = true;
		}
		r = ptk_wait(t.s, &ev, 0);
		if (r == -EINTR) {
			if (grace && grace_over)
				break;
			continue;
		}
		if (r < 0)
			break; /* -ECHILD: every tracee is gone */
		if (ev.kind == PTK_EV_EXITED || ev.kind == PTK_EV_KILLED) {
			thread_end(&t, &ev);
			continue;
		}
		int sig = handle(&t, &ev);
		r = ptk_resume(t.s, ev.tid, PTK_RESUME_SYSCALL, sig);
		(void)r; /* -ESRCH: gone; its death is the next event */
	}
	status = t.exit_status;
out:
	/* Detach what we attached, end what we spawned. */
	ptk_session_end(t.s, false, 1000);
	out_unfinished_close(&t);
	out_close_all(&t);
	if (t.term_sig)
		reraise(t.term_sig);
	if (got_signal && !t.exit_known) {
		reraise(got_signal);
		return 128 + got_signal;
	}
	return status;
}
