/* SPDX-License-Identifier: MIT */
/*
 * Processes and threads as the server knows them, and the operations on whole processes:
 * spawn (run to the first instruction of the program), attach, detach, kill.
 *
 * The tables mirror libptk's tracees with the client's view added: whether the client
 * wants a thread running, the stop it has not heard of yet, which fork children it has
 * not been told about.  A vfork child shares its parent's address space, so breakpoints
 * belong to an address space (gs_mm()), as in libptk.
 */
#include "gs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* ------------------------------------------------------------------------------------- */
/* Tables                                                                                */

struct gs_proc *gs_proc_find(struct gs *g, pid_t pid)
{
	for (struct gs_proc *p = g->procs; p; p = p->next)
		if (p->pid == pid)
			return p;
	return NULL;
}

struct gs_proc *gs_proc_add(struct gs *g, pid_t pid)
{
	struct gs_proc *p = calloc(1, sizeof *p), **pp = &g->procs;

	if (!p)
		return NULL;
	p->pid = pid;
	p->mm = p;
	/* Keep creation order: thread lists and `?` follow it. */
	while (*pp)
		pp = &(*pp)->next;
	*pp = p;
	return p;
}

void gs_bp_free(struct gs_bp *b)
{
	for (int i = 0; i < b->ncond; i++)
		free(b->conds[i].code);
	free(b->conds);
	free(b);
}

void gs_bps_forget(struct gs_proc *p)
{
	while (p->bps) {
		struct gs_bp *b = p->bps;
		p->bps = b->next;
		gs_bp_free(b);
	}
	p->bps_lifted = false;
}

void gs_wps_forget(struct gs_proc *p)
{
	while (p->wps) {
		struct gs_wp *w = p->wps;
		p->wps = w->next;
		free(w);
	}
}

void gs_proc_del(struct gs *g, struct gs_proc *p)
{
	while (p->threads) {
		/* Its t->proc is p, so p->threads moves on: the analyzer cannot see it. */
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc) */
		gs_thread_del(g, p->threads);
	}
	/* Whoever shared this address space now has it to itself. */
	for (struct gs_proc *q = g->procs; q; q = q->next)
		if (q->mm == p)
			q->mm = q;
	gs_bps_forget(p);
	gs_wps_forget(p);
	for (struct gs_proc **pp = &g->procs; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	if (g->g_pid == p->pid)
		g->g_pid = g->g_tid = 0;
	if (g->c_pid == p->pid)
		g->c_pid = g->c_tid = 0;
	free(p);
}

struct gs_thread *gs_thread_find(struct gs *g, pid_t tid)
{
	for (struct gs_proc *p = g->procs; p; p = p->next)
		for (struct gs_thread *t = p->threads; t; t = t->next)
			if (t->tid == tid)
				return t;
	return NULL;
}

struct gs_thread *gs_thread_add(struct gs *g, struct gs_proc *p, pid_t tid)
{
	struct gs_thread *t = gs_thread_find(g, tid), **pp;

	if (t)
		return t;
	t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->tid = tid;
	t->proc = p;
	t->stat_fd = -1;
	t->act = -1;
	t->mode = PTK_RESUME_CONT;
	for (pp = &p->threads; *pp; pp = &(*pp)->next)
		;
	*pp = t;
	return t;
}

void gs_thread_del(struct gs *g, struct gs_thread *t)
{
	struct gs_proc *p = t->proc;

	for (struct gs_thread **pp = &p->threads; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	if (t->stat_fd >= 0) {
		gs_host_close(t->stat_fd);
		gs_stat_fd_closed();
	}
	if (g->g_tid == t->tid)
		g->g_tid = 0;
	if (g->c_tid == t->tid)
		g->c_tid = 0;
	free(t);
}

struct gs_proc *gs_mm(struct gs_proc *p)
{
	return p->mm ? p->mm : p;
}

int gs_nprocs(struct gs *g)
{
	int n = 0;

	for (struct gs_proc *p = g->procs; p; p = p->next)
		n++;
	return n;
}

struct gs_thread *gs_cur_thread(struct gs *g)
{
	struct gs_thread *t = g->g_tid > 0 ? gs_thread_find(g, g->g_tid) : NULL;
	struct gs_proc *p;

	if (t)
		return t;
	p = g->g_pid > 0 ? gs_proc_find(g, g->g_pid) : NULL;
	if (p && p->threads)
		return p->threads;
	for (p = g->procs; p; p = p->next)
		if (!p->hidden && p->threads)
			return p->threads;
	return NULL;
}

struct gs_proc *gs_cur_proc(struct gs *g)
{
	struct gs_thread *t = gs_cur_thread(g);

	if (t)
		return t->proc;
	return g->g_pid > 0 ? gs_proc_find(g, g->g_pid) : g->procs;
}

struct gs_bp *gs_bp_at(struct gs_proc *p, uint64_t addr)
{
	for (struct gs_bp *b = gs_mm(p)->bps; b; b = b->next)
		if (b->addr == addr)
			return b;
	return NULL;
}

void gs_bps_lift(struct gs *g, struct gs_proc *p)
{
	struct gs_proc *mm = gs_mm(p);

	for (struct gs_bp *b = mm->bps; b; b = b->next)
		if (b->ptk_id >= 0) {
			/* Z0 and Z1 at one address share one int3. */
			ptk_bp_remove(g->s, mm->pid, b->ptk_id);
			for (struct gs_bp *c = b->next; c; c = c->next)
				if (c->addr == b->addr)
					c->ptk_id = -1;
			b->ptk_id = -1;
		}
	mm->bps_lifted = true;
}

void gs_bps_restore(struct gs *g, struct gs_proc *p)
{
	struct gs_proc *mm = gs_mm(p);

	for (struct gs_bp *b = mm->bps; b; b = b->next)
		if (b->ptk_id < 0 && ptk_bp_insert(g->s, mm->pid, b->addr, &b->ptk_id) < 0)
			b->ptk_id = -1;
	mm->bps_lifted = false;
	mm->vfork_child = 0;
}

/* ------------------------------------------------------------------------------------- */
/* Environment for vRun                                                                  */

void gs_env_init(struct gs_env *e)
{
	memset(e, 0, sizeof *e);
	for (char **v = environ; v && *v; v++)
		gs_env_set(e, *v);
}

void gs_env_free(struct gs_env *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i]);
	free(e->v);
	memset(e, 0, sizeof *e);
}

static size_t name_len(const char *s)
{
	const char *eq = strchr(s, '=');

	return eq ? (size_t)(eq - s) : strlen(s);
}

void gs_env_unset(struct gs_env *e, const char *name)
{
	size_t nl = strlen(name);

	for (size_t i = 0; i < e->n; i++)
		if (name_len(e->v[i]) == nl && strncmp(e->v[i], name, nl) == 0) {
			free(e->v[i]);
			memmove(e->v + i, e->v + i + 1, (e->n - i) * sizeof *e->v);
			e->n--;
			return;
		}
}

int gs_env_set(struct gs_env *e, const char *nv)
{
	char *copy = strdup(nv), *name;

	if (!copy)
		return -ENOMEM;
	name = strndup(nv, name_len(nv));
	if (!name) {
		free(copy);
		return -ENOMEM;
	}
	gs_env_unset(e, name);
	free(name);
	if (e->n + 2 > e->cap) {
		size_t ncap = e->cap ? e->cap * 2 : 64;
		char **nv2 = realloc(e->v, ncap * sizeof *nv2);
		if (!nv2) {
			free(copy);
			return -ENOMEM;
		}
		e->v = nv2;
		e->cap = ncap;
	}
	e->v[e->n++] = copy;
	e->v[e->n] = NULL;
	return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Spawn, attach, detach, kill                                                           */

#define STARTUP_TIMEOUT_MS 30000
#define SETTLE_TIMEOUT_MS  5000

/*
 * The command line a shell runs for startup-with-shell: "exec ARG..." with every argument
 * single-quoted (a ' inside becomes '\''), so that each reaches the program as the one
 * argument vRun sent, as with gdbserver, which backslash-escapes the shell's special
 * characters instead.
 */
static char *shell_command(char *const *argv)
{
	size_t len = 6;
	char *cmd, *o;

	for (char *const *a = argv; *a; a++) {
		len += 3;
		for (const char *c = *a; *c; c++)
			len += *c == '\'' ? 4 : 1;
	}
	cmd = malloc(len);
	if (!cmd)
		return NULL;
	o = cmd + sprintf(cmd, "exec");
	for (char *const *a = argv; *a; a++) {
		*o++ = ' ';
		*o++ = '\'';
		for (const char *c = *a; *c; c++) {
			if (*c == '\'') {
				memcpy(o, "'\\''", 4);
				o += 4;
			} else {
				*o++ = *c;
			}
		}
		*o++ = '\'';
	}
	*o = 0;
	return cmd;
}

int gs_spawn(struct gs *g, char *const *argv, struct gs_stop *ret_exit)
{
	struct ptk_spawn_opts o = {0};
	char *cmd = NULL, *shell_argv[4];
	const char *shell = getenv("SHELL");
	int execs = 1, r;
	pid_t pid;

	ret_exit->kind = GS_STOP_NONE;
	o.path = argv[0];
	o.argv = argv;
	if (g->startup_with_shell) {
		cmd = shell_command(argv);
		if (!cmd)
			return -ENOMEM;
		shell_argv[0] = (char *)(shell && *shell ? shell : "/bin/sh");
		shell_argv[1] = "-c";
		shell_argv[2] = cmd;
		shell_argv[3] = NULL;
		o.path = shell_argv[0];
		o.argv = shell_argv;
		execs = 2; /* the shell's, then the program's */
	}
	o.envp = g->env.v;
	o.flags = PTK_SPAWN_PATH | (g->no_aslr ? PTK_SPAWN_NO_ASLR : 0);
	o.cwd = g->cwd && *g->cwd ? g->cwd : NULL;
	o.sigmask = &g->spawn_mask;
	o.sigignore = &g->spawn_ignored;
	r = ptk_spawn(g->s, &o, &pid);
	free(cmd);
	if (r < 0)
		return r;
	struct gs_proc *p = gs_proc_add(g, pid);
	struct gs_thread *t = p ? gs_thread_add(g, p, pid) : NULL;
	if (!t) {
		ptk_kill(g->s, pid);
		return -ENOMEM;
	}
	r = ptk_resume(g->s, pid, PTK_RESUME_CONT, 0);
	t->running = r == 0;
	while (r == 0) {
		struct ptk_event ev;
		r = gs_wait_event(g, &ev, STARTUP_TIMEOUT_MS);
		if (r < 0)
			break;
		if (ev.pid != pid) {
			gs_event(g, &ev);
			continue;
		}
		if (ev.kind == PTK_EV_EXITED || ev.kind == PTK_EV_KILLED) {
			struct gs_thread *u = gs_thread_find(g, ev.tid);
			if (u)
				gs_thread_del(g, u);
			if (!ev.process_gone)
				continue;
			ret_exit->kind = ev.kind == PTK_EV_EXITED ? GS_STOP_EXITED : GS_STOP_KILLED;
			ret_exit->code = ev.exit_code;
			ret_exit->sig = ev.sig;
			ret_exit->pid = pid;
			gs_proc_del(g, p);
			return -ECHILD;
		}
		int sig = 0;
		if (ev.kind == PTK_EV_EXEC && --execs == 0) {
			t = gs_thread_find(g, ev.tid);
			if (!t)
				t = gs_thread_add(g, p, ev.tid);
			if (t) {
				t->running = false;
				t->last = (struct gs_stop){.kind = GS_STOP_SIGNAL,
				                           .sig = SIGTRAP,
				                           .pid = pid,
				                           .tid = ev.tid};
			}
			return pid;
		}
		if (ev.kind == PTK_EV_SIGNAL)
			sig = ev.sig; /* the shell's own business */
		r = ptk_resume(g->s, ev.tid, PTK_RESUME_CONT, sig);
	}
	/* Startup failed: leave nothing behind. */
	gs_kill(g, pid);
	return r < 0 ? r : -EIO;
}

/*
 * gs_wait_event for an attach stop, but give up at once when SIGINT, SIGTERM or
 * SIGHUP is pending (blocked, for the signalfd): a thread that cannot stop (a
 * vfork parent in D state) must not keep the server from ending.
 */
static int wait_unless_ended(struct gs *g, struct ptk_event *ev)
{
	for (int waited = 0; waited < SETTLE_TIMEOUT_MS; waited += 100) {
		sigset_t pend;
		if (sigpending(&pend) == 0 &&
		    (sigismember(&pend, SIGINT) || sigismember(&pend, SIGTERM) ||
		     sigismember(&pend, SIGHUP)))
			return -EINTR;
		int r = gs_wait_event(g, ev, 100);
		if (r != -ETIMEDOUT)
			return r;
	}
	return -ETIMEDOUT;
}

int gs_attach(struct gs *g, pid_t pid)
{
	pid_t tids[1024];
	int n = 0, r, left;
	struct gs_proc *p;

	r = ptk_attach(g->s, pid, 0, &n);
	if (r < 0)
		return r;
	p = gs_proc_add(g, pid);
	if (!p) {
		ptk_detach(g->s, pid, SETTLE_TIMEOUT_MS);
		return -ENOMEM;
	}
	p->attached = true;
	n = ptk_process_threads(g->s, pid, tids, (int)(sizeof tids / sizeof tids[0]));
	if (n > (int)(sizeof tids / sizeof tids[0]))
		n = (int)(sizeof tids / sizeof tids[0]);
	for (int i = 0; i < n; i++) {
		struct gs_thread *t = gs_thread_add(g, p, tids[i]);
		if (t)
			t->running = true; /* until its attach stop is taken */
	}
	/* Every thread reports one stop for the attach (a group-stop if it was stopped). */
	for (left = n; left > 0;) {
		struct ptk_event ev;
		struct gs_thread *t;
		if (wait_unless_ended(g, &ev) < 0)
			break;
		t = gs_thread_find(g, ev.tid);
		if (ev.pid != pid || !t) {
			gs_event(g, &ev);
			continue;
		}
		if (ev.kind == PTK_EV_EXITED || ev.kind == PTK_EV_KILLED) {
			left -= t->running;
			gs_thread_del(g, t);
			if (ev.process_gone) {
				gs_proc_del(g, p);
				return -ESRCH;
			}
			continue;
		}
		if (t->running)
			left--;
		t->running = false;
		t->can_signal = ev.kind == PTK_EV_SIGNAL;
		t->last = (struct gs_stop){.kind = GS_STOP_SIGNAL, .pid = pid, .tid = ev.tid};
		if (ev.kind == PTK_EV_SIGNAL)
			t->deliver_sig = ev.sig; /* a signal that arrived meanwhile goes on */
	}
	return 0;
}

/* Drop a process from the tables without touching it (libptk already let it go). */
static void forget(struct gs *g, struct gs_proc *p)
{
	gs_proc_del(g, p);
}

int gs_detach(struct gs *g, pid_t pid)
{
	int err = 0;

	for (struct gs_proc *p = g->procs, *next; p; p = next) {
		next = p->next;
		if (pid && p->pid != pid)
			continue;
		/* A breakpoint lifted for a vfork child goes back before the parent leaves. */
		if (p->bps_lifted && p->mm == p)
			gs_bps_restore(g, p);
		int r = ptk_detach(g->s, p->pid, g->terminating ? 200 : SETTLE_TIMEOUT_MS);
		if (r < 0 && r != -ESRCH)
			err = r;
		forget(g, p);
	}
	return err;
}

int gs_kill(struct gs *g, pid_t pid)
{
	int left = 0;

	for (struct gs_proc *p = g->procs, *next; p; p = next) {
		next = p->next;
		/* Children the client never heard of go with their parent. */
		bool hidden_child = p->hidden && pid && p->parent == pid;
		if (pid && p->pid != pid && !hidden_child)
			continue;
		if (ptk_kill(g->s, p->pid) < 0) {
			forget(g, p);
			continue;
		}
		p->hidden = true; /* its death is not news to the client */
		left++;
	}
	/* Collect the deaths (the tables forget each process as its last thread goes). */
	while (left > 0) {
		struct ptk_event ev;
		struct gs_proc *p;
		if (gs_wait_event(g, &ev, SETTLE_TIMEOUT_MS) < 0)
			break;
		p = gs_proc_find(g, ev.pid);
		if (!p || !p->hidden || (pid && p->pid != pid && p->parent != pid)) {
			gs_event(g, &ev);
			continue;
		}
		if (ev.kind == PTK_EV_EXITED || ev.kind == PTK_EV_KILLED) {
			struct gs_thread *t = gs_thread_find(g, ev.tid);
			if (t)
				gs_thread_del(g, t);
			if (ev.process_gone) {
				forget(g, p);
				left--;
			}
		}
	}
	/* Whatever did not report its death in time is forgotten all the same. */
	for (struct gs_proc *p = g->procs, *next; p; p = next) {
		next = p->next;
		if (p->hidden && (!pid || p->pid == pid || p->parent == pid))
			forget(g, p);
	}
	return 0;
}
