/* SPDX-License-Identifier: MIT */
/*
 * The one inferior of a ptk debug session: spawning it (stopped at its
 * exec stop, as a "loaded" program until the user runs it), attaching,
 * killing and detaching; its threads with gdb's numbering and names; and
 * the all-stop discipline: when one thread stops for the user, every other
 * thread is interrupted, and events they report meanwhile are deferred to
 * the next resume rather than lost.
 */
#include "dbg.h"
#include "../frontends.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool inf_live(const struct dbg *d)
{
	return d->inf.state == INF_LIVE;
}

struct dthread *thr_find(struct dbg *d, pid_t tid)
{
	for (size_t i = 0; i < d->inf.nthreads; i++)
		if (d->inf.threads[i].tid == tid)
			return &d->inf.threads[i];
	return NULL;
}

struct dthread *thr_by_num(struct dbg *d, int num)
{
	for (size_t i = 0; i < d->inf.nthreads; i++)
		if (d->inf.threads[i].num == num)
			return &d->inf.threads[i];
	return NULL;
}

struct dthread *thr_add(struct dbg *d, pid_t tid)
{
	struct inferior *in = &d->inf;
	struct dthread *t = thr_find(d, tid);

	if (t)
		return t;
	if (in->nthreads == in->capthreads) {
		size_t cap = in->capthreads ? in->capthreads * 2 : 8;
		struct dthread *n = realloc(in->threads, cap * sizeof(*n));

		if (!n)
			return NULL;
		in->threads = n;
		in->capthreads = cap;
	}
	t = &in->threads[in->nthreads++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->num = ++in->next_num;
	if (t->num > 1)
		in->had_threads = true;
	return t;
}

void thr_remove(struct dbg *d, pid_t tid)
{
	struct inferior *in = &d->inf;

	for (size_t i = 0; i < in->nthreads; i++) {
		if (in->threads[i].tid != tid)
			continue;
		memmove(&in->threads[i], &in->threads[i + 1],
		        (in->nthreads - i - 1) * sizeof(in->threads[0]));
		in->nthreads--;
		break;
	}
	/* Drop its deferred events. */
	for (size_t i = 0; i < in->ndefer;) {
		if (in->defer[i].tid == tid && !in->defer[i].process_gone) {
			memmove(&in->defer[i], &in->defer[i + 1],
			        (in->ndefer - i - 1) * sizeof(in->defer[0]));
			in->ndefer--;
		} else {
			i++;
		}
	}
	if (in->cur_tid == tid)
		in->cur_tid = in->nthreads ? in->threads[0].tid : 0;
}

struct dthread *thr_cur(struct dbg *d)
{
	struct dthread *t = thr_find(d, d->inf.cur_tid);

	if (!t && d->inf.nthreads) {
		t = &d->inf.threads[0];
		d->inf.cur_tid = t->tid;
	}
	return t;
}

void thr_name(struct dbg *d, pid_t tid, char *buf, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)d->inf.pid, (int)tid);
	buf[0] = '\0';
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

void thr_target_id(struct dbg *d, const struct dthread *t, char *buf, size_t len)
{
	struct ptk_regs r;
	uint64_t tp = 0;

	/* glibc's pthread_t is the thread pointer: fs_base on x86_64. */
	if (t->stopped && ptk_regs_get(d->s, t->tid, &r) == 0)
		tp = r.fs_base;
	else
		tp = t->tp;
	if (tp)
		snprintf(buf, len, "Thread 0x%llx (LWP %d)", (unsigned long long)tp, (int)t->tid);
	else if (t->tid == d->inf.pid)
		snprintf(buf, len, "process %d", (int)t->tid);
	else
		snprintf(buf, len, "LWP %d", (int)t->tid);
}

int cur_regs(struct dbg *d, struct ptk_regs *r)
{
	struct dthread *t;

	if (!inf_live(d))
		return -ESRCH;
	t = thr_cur(d);
	if (!t)
		return -ESRCH;
	return ptk_regs_get(d->s, t->tid, r);
}

struct ptk_symtab *inf_symtab(struct dbg *d)
{
	if (d->inf.state == INF_NONE)
		return NULL;
	if (!d->inf.st && ptk_symtab_new(d->s, d->inf.pid, &d->inf.st) < 0)
		d->inf.st = NULL;
	return d->inf.st;
}

void inf_invalidate(struct dbg *d)
{
	d->inline_entered = 0;
	d->frames_valid = false;
	d->nframes = 0;
	d->sel_frame = 0;
	d->ctx->has_pc = false;
}

/* ---- deferred events ---- */

void inf_defer(struct dbg *d, const struct ptk_event *ev)
{
	struct inferior *in = &d->inf;
	struct dthread *t = thr_find(d, ev->tid);

	if (in->ndefer == in->capdefer) {
		size_t cap = in->capdefer ? in->capdefer * 2 : 8;
		struct ptk_event *n = realloc(in->defer, cap * sizeof(*n));

		if (!n)
			return;
		in->defer = n;
		in->capdefer = cap;
	}
	in->defer[in->ndefer++] = *ev;
	if (t)
		t->has_pending = true;
}

bool inf_undefer(struct dbg *d, struct ptk_event *ev)
{
	struct inferior *in = &d->inf;
	struct dthread *t;

	if (!in->ndefer)
		return false;
	*ev = in->defer[0];
	memmove(&in->defer[0], &in->defer[1], (in->ndefer - 1) * sizeof(in->defer[0]));
	in->ndefer--;
	t = thr_find(d, ev->tid);
	if (t) {
		t->has_pending = false;
		for (size_t i = 0; i < in->ndefer; i++)
			if (in->defer[i].tid == t->tid)
				t->has_pending = true;
	}
	return true;
}

/* ---- resuming ---- */

int thr_resume(struct dbg *d, struct dthread *t, enum ptk_resume_mode mode)
{
	int sig = t->pass_sig;
	int r;

	if (!t->stopped || t->exited)
		return 0;
	dout_flush(d);
	if (mode == PTK_RESUME_CONT && d->inf.in_syscall_catch)
		mode = PTK_RESUME_SYSCALL;
	r = ptk_resume(d->s, t->tid, mode, sig);
	if (r == -EINVAL && sig) {
		/* Not a signal-delivery-stop after all: the signal cannot be injected here. */
		r = ptk_resume(d->s, t->tid, mode, 0);
	}
	t->pass_sig = 0;
	if (r == 0 || r == -ESRCH) {
		t->stopped = false;
		return 0;
	}
	return r;
}

int inf_resume_all(struct dbg *d, enum ptk_resume_mode mode, bool only_current)
{
	struct dthread *cur = thr_cur(d);
	int r = 0;

	d->inf.in_syscall_catch = bp_any_syscall_catch(d);
	inf_invalidate(d);
	dout_flush(d);
	if (cur && !cur->has_pending) {
		r = thr_resume(d, cur, mode);
		if (r < 0)
			return r;
	}
	if (only_current)
		return 0;
	for (size_t i = 0; i < d->inf.nthreads; i++) {
		struct dthread *t = &d->inf.threads[i];

		if (t != cur && !t->has_pending)
			thr_resume(d, t, PTK_RESUME_CONT);
	}
	return 0;
}

/*
 * Stop every running thread.  Events other than the interrupts' own stops
 * are deferred (a breakpoint hit, a signal) and handled at the next resume.
 */
void inf_stop_all(struct dbg *d)
{
	struct inferior *in = &d->inf;
	struct ptk_event ev;
	bool waiting;

	for (size_t i = 0; i < in->nthreads; i++) {
		struct dthread *t = &in->threads[i];

		if (!t->stopped && !t->in_vfork && !t->interrupt_sent &&
		    ptk_interrupt(d->s, t->tid) == 0)
			t->interrupt_sent = true;
	}
	for (;;) {
		waiting = false;
		for (size_t i = 0; i < in->nthreads; i++)
			if (!in->threads[i].stopped && !in->threads[i].in_vfork)
				waiting = true;
		if (!waiting || in->state != INF_LIVE)
			break;
		int r = dbg_wait(d, &ev, dsig_gen(), false);
		if (r == -EINTR)
			continue;
		if (r < 0)
			break;
		run_absorb(d, &ev);
	}
}

/* ---- spawning, attaching, ending ---- */

static void inf_reset(struct dbg *d)
{
	struct inferior *in = &d->inf;

	solib_remember_loader(d);
	dw_reset(d);
	ptk_symtab_free(in->st);
	in->st = NULL;
	in->nthreads = 0;
	in->next_num = 0;
	in->had_threads = false;
	in->ndefer = 0;
	in->cur_tid = in->prev_tid = 0;
	in->pid = 0;
	in->dl_brk = 0;
	in->attached = false;
	in->state = INF_NONE;
	d->interp_done = false;
	bp_mark_removed(d);
	inf_invalidate(d);
}

/* Wait for the exec stop of a freshly spawned tracee. */
static int wait_exec(struct dbg *d, pid_t pid)
{
	struct ptk_event ev;
	int r = ptk_resume(d->s, pid, PTK_RESUME_CONT, 0);

	while (r == 0) {
		r = dbg_wait(d, &ev, dsig_gen(), false);
		if (r == -EINTR) {
			r = 0;
			continue;
		}
		if (r < 0)
			break;
		if (ev.pid != pid)
			continue;
		if (ev.kind == PTK_EV_EXEC)
			return 0;
		if (ev.kind == PTK_EV_EXITED || ev.kind == PTK_EV_KILLED)
			return -ECHILD;
		r = ptk_resume(d->s, ev.tid, PTK_RESUME_CONT,
		               ev.kind == PTK_EV_SIGNAL ? ev.sig : 0);
	}
	return r;
}

static int ensure_session(struct dbg *d)
{
	int r;

	if (d->s)
		return 0;
	/*
	 * Steps of instructions ptk can emulate cost no stop.  PTK_DEBUG_NOEMU
	 * (a benchmark knob) turns off every emulation: each step and each
	 * breakpoint hit then runs the instruction for real.
	 */
	r = ptk_session_new(&d->s, PTK_FOLLOW | PTK_TRACE_VFORK_DONE | PTK_STEP_EMULATE);
	if (r == 0 && getenv("PTK_DEBUG_NOEMU"))
		ptk_bp_set_methods(d->s, 1u << PTK_BP_DISPLACED);
	if (r == 0)
		wait_spin_setup(d->s);
	return r;
}

int inf_spawn(struct dbg *d, bool loaded_only)
{
	struct inferior *in = &d->inf;
	struct ptk_spawn_opts o;
	char **argv;
	pid_t pid;
	char msg[512];
	int r;

	if (!d->prog)
		return derr(d, "No executable file specified.\n"
		               "Use the \"file\" or \"exec-file\" command.");
	r = ensure_session(d);
	if (r < 0)
		return derr(d, "cannot create a ptrace session: %s", strerror(-r));
	argv = calloc(d->nargs + 2, sizeof(*argv));
	if (!argv)
		return derr(d, "out of memory");
	argv[0] = d->prog_path ? d->prog_path : d->prog;
	for (size_t i = 0; i < d->nargs; i++)
		argv[i + 1] = d->args[i];
	memset(&o, 0, sizeof(o));
	o.path = argv[0];
	o.argv = argv;
	o.flags = PTK_SPAWN_PATH | (d->no_aslr ? PTK_SPAWN_NO_ASLR : 0);
	o.sigmask = &d->orig_mask; /* not ptk's: SIGCHLD is blocked in ptk (sig.c) */
	o.sigignore = &d->orig_ignored;
	r = ptk_spawn(d->s, &o, &pid);
	free(argv);
	if (r < 0) {
		ptk_explain(PTK_OP_SPAWN, r, d->prog, msg, sizeof(msg));
		return derr(d, "%s", msg);
	}
	r = wait_exec(d, pid);
	if (r < 0) {
		ptk_kill(d->s, pid);
		return derr(d, "During startup program exited.");
	}
	in->pid = pid;
	in->attached = false;
	in->state = loaded_only ? INF_LOADED : INF_LIVE;
	in->next_num = 0;
	in->nthreads = 0;
	struct dthread *t = thr_add(d, pid);
	if (!t)
		return derr(d, "out of memory");
	t->stopped = true;
	t->last.kind = PTK_EV_EXEC;
	t->last.tid = t->last.pid = pid;
	in->cur_tid = in->prev_tid = pid;
	inf_symtab(d);
	inf_solib_setup(d);
	bp_reresolve(d);
	bp_insert_all(d);
	return 0;
}

int inf_ensure_loaded(struct dbg *d)
{
	if (d->inf.state != INF_NONE)
		return 0;
	if (!d->prog)
		return -ENOENT;
	return inf_spawn(d, true) < 0 ? -EIO : 0;
}

int inf_attach(struct dbg *d, pid_t pid)
{
	struct inferior *in = &d->inf;
	struct ptk_event ev;
	char msg[512], pidtxt[32], path[64], exe[4096];
	int n = 0, seen = 0, r;
	ssize_t k;

	r = ensure_session(d);
	if (r < 0)
		return derr(d, "cannot create a ptrace session: %s", strerror(-r));
	snprintf(pidtxt, sizeof(pidtxt), "%d", (int)pid);
	r = ptk_attach(d->s, pid, 0, &n);
	if (r < 0) {
		/* target and buffer must not overlap: snprintf would read what it writes */
		ptk_explain(PTK_OP_ATTACH, r, pidtxt, msg, sizeof(msg));
		return derr(d, "%s", msg);
	}
	if (d->from_tty)
		dout(d, "Attaching to process %d\n", (int)pid);
	in->pid = pid;
	in->attached = true;
	in->state = INF_LIVE;
	in->next_num = 0;
	in->nthreads = 0;
	/*
	 * Every thread reports its attach stop.  One in uninterruptible sleep
	 * (a vfork parent waiting for its child) stops only when it wakes: say
	 * so after a second, and let Ctrl-C give up (gdb waits silently).
	 */
	int waited_ms = 0;
	while (seen < n) {
		unsigned g = dsig_gen();

		/* SIGTERM/SIGHUP: a thread that cannot stop (a vfork parent) must not hold us */
		if (*d->terminate)
			break;
		if (*d->interrupted) {
			char state;
			pid_t tid = ptk_thread_unstopped(d->s, pid, &state);

			*d->interrupted = 0;
			/* the thread that could not stop is let go when it stops */
			inf_discard(d, true);
			return derr(d,
			            "Quit: not attached to process %d (its thread %d did not stop, "
			            "state %c)",
			            (int)pid, (int)tid, state ? state : '?');
		}
		r = dbg_wait(d, &ev, g, true);
		if (r == -EAGAIN) {
			if (++waited_ms == 100) { /* and a second in ptk_attach */
				char state;
				pid_t tid = ptk_thread_unstopped(d->s, pid, &state);

				if (tid) {
					/* a notice, not an error: the attach may still succeed */
					dout_flush(d);
					fprintf(stderr,
					        "warning: thread %d of process %d has not stopped "
					        "in 1 s "
					        "(state %c%s); still waiting: Ctrl-C gives up\n",
					        (int)tid, (int)pid, state ? state : '?',
					        state == 'D' ? ": uninterruptible sleep, such as a "
					                       "vfork "
					                       "parent waiting for its child"
					                     : "");
					fflush(stderr);
				}
			}
			continue;
		}
		if (r == -EINTR)
			continue;
		if (r < 0)
			break;
		struct dthread *t = thr_add(d, ev.tid);
		if (!t)
			break;
		t->stopped = true;
		t->last = ev;
		if (ev.attach_stop) {
			seen++;
			continue;
		}
		/* Something else first (a signal): keep it for later. */
		inf_defer(d, &ev);
	}
	/* Number threads in /proc order: the leader first. */
	for (size_t i = 0; i < in->nthreads; i++)
		if (in->threads[i].tid == pid && i != 0) {
			struct dthread tmp = in->threads[0];

			in->threads[0] = in->threads[i];
			in->threads[i] = tmp;
		}
	for (size_t i = 0; i < in->nthreads; i++)
		in->threads[i].num = (int)i + 1;
	in->next_num = (int)in->nthreads;
	in->had_threads = in->nthreads > 1;
	in->cur_tid = in->prev_tid = pid;
	if (!d->prog) {
		snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
		k = readlink(path, exe, sizeof(exe) - 1);
		if (k > 0) {
			exe[k] = '\0';
			d->prog = strdup(exe);
			d->prog_path = strdup(exe);
		}
	}
	inf_symtab(d);
	inf_solib_setup(d);
	bp_reresolve(d);
	bp_insert_all(d);
	return 0;
}

void inf_discard(struct dbg *d, bool detach)
{
	struct inferior *in = &d->inf;
	struct ptk_event ev;
	pid_t pid = in->pid;
	int r;

	if (in->state == INF_NONE)
		return;
	if (detach || in->attached) {
		ptk_detach(d->s, pid, 1000);
	} else {
		ptk_kill(d->s, pid);
		/* Collect its death so that nothing of it stays behind. */
		for (;;) {
			r = dbg_wait(d, &ev, dsig_gen(), false);
			if (r == -EINTR)
				continue;
			if (r < 0)
				break;
			if (ev.pid == pid && ev.process_gone &&
			    (ev.kind == PTK_EV_EXITED || ev.kind == PTK_EV_KILLED))
				break;
			if (ev.pid != pid)
				ptk_detach(d->s, ev.pid, 100);
		}
	}
	inf_reset(d);
}

/* The process is gone (reported exit): forget it. */
void inf_gone(struct dbg *d)
{
	inf_reset(d);
}

/* ---- the dynamic loader's breakpoint and new programs ---- */

void inf_solib_setup(struct dbg *d)
{
	struct ptk_symtab *st = inf_symtab(d);
	struct ptk_sym s[2];

	d->inf.dl_brk = 0;
	if (!st || ptk_sym_lookup(st, "_dl_debug_state", s, 2) <= 0)
		return;
	if (bpaddr_ref(d, s[0].addr) == 0)
		d->inf.dl_brk = s[0].addr;
}

int inf_solib_event(struct dbg *d)
{
	struct ptk_symtab *st = inf_symtab(d);
	int r;

	if (!st)
		return 0;
	r = ptk_symtab_refresh(st);
	if (r == 1) {
		dw_reset(d);
		bp_reresolve(d);
		bp_insert_all(d);
	}
	return r;
}

void inf_new_program(struct dbg *d)
{
	d->interp_done = false;
	dw_reset(d);
	ptk_symtab_free(d->inf.st);
	d->inf.st = NULL;
	/* execve dropped every breakpoint of the old address space. */
	bp_mark_removed(d);
	inf_invalidate(d);
	inf_symtab(d);
	inf_solib_setup(d);
	bp_reresolve(d);
	bp_insert_all(d);
}

void inf_invalidate_keep_frame(struct dbg *d)
{
	d->frames_valid = false;
	d->nframes = 0;
}
