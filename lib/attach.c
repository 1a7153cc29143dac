/* SPDX-License-Identifier: MIT */
/*
 * Attaching to running processes (PTRACE_SEIZE of every thread, then
 * PTRACE_INTERRUPT), detaching (from stopped and running tracees, passing
 * pending signals on), killing, and ending a session.
 *
 * PTRACE_SEIZE rather than PTRACE_ATTACH: no SIGSTOP is sent, so there is
 * no attach stop to tell from a real SIGSTOP racing with it (ptrace(2),
 * "Attaching and detaching"), and group-stops can be resumed with
 * PTRACE_LISTEN.
 */
#include "internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The state letter of /proc/TGID/task/TID/stat (R, S, D, t, Z, ...), 0 if unreadable. */
static char thread_state(pid_t tgid, pid_t tid)
{
	char path[96], buf[512];
	snprintf(path, sizeof path, "/proc/%d/task/%d/stat", tgid, tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' ? rp[2] : 0;
}

static bool thread_zombie(pid_t tgid, pid_t tid)
{
	char st = thread_state(tgid, tid);
	return st == 0 || st == 'Z' || st == 'X';
}

pid_t ptk_thread_unstopped(const struct ptk_session *s, pid_t pid, char *ret_state)
{
	struct proc *p = proc_find(s, pid);
	struct tracee *t = p ? p->threads : NULL;
	*ret_state = 0;
	if (!t)
		return 0;
	do {
		if (t->state == T_RUNNING) {
			*ret_state = thread_state(p->pid, t->tid);
			return t->tid;
		}
		t = t->next;
	} while (t != p->threads);
	return 0;
}

/*
 * A thread that ptk_detach() could not stop is let go later: it keeps its
 * pending PTRACE_INTERRUPT, so its next return to user mode is a stop,
 * which ptk_wait() collects and released_result() detaches.
 */
static void release(struct ptk_session *s, struct tracee *t)
{
	struct released *r = malloc(sizeof *r);
	if (!r)
		return; /* the kernel releases it when the tracer exits */
	r->tid = t->tid;
	r->step_due = t->stepping || t->step_due;
	r->next = s->released;
	s->released = r;
}

/* Take tid off the released list; false if it is not there. */
static bool unrelease(struct ptk_session *s, pid_t tid, bool *ret_step_due)
{
	for (struct released **pp = &s->released; *pp; pp = &(*pp)->next)
		if ((*pp)->tid == tid) {
			struct released *r = *pp;
			*pp = r->next;
			if (ret_step_due)
				*ret_step_due = r->step_due;
			free(r);
			return true;
		}
	return false;
}

bool released_result(struct ptk_session *s, pid_t tid, int status)
{
	bool step_due = false;
	if (!unrelease(s, tid, &step_due))
		return false;
	if (WIFSTOPPED(status)) {
		/*
		 * Seized: a group-stop is a PTRACE_EVENT_STOP, a syscall stop
		 * has SIGTRAP | 0x80 (PTRACE_O_TRACESYSGOOD), other events
		 * their number in the high bits.  What is left is a
		 * signal-delivery-stop: its signal goes on, unless it is the
		 * trap of ptk's own single-step.
		 */
		int sig = WSTOPSIG(status);
		if ((unsigned)status >> 16 || sig == (SIGTRAP | 0x80) ||
		    (sig == SIGTRAP && step_due))
			sig = 0;
		pt(s, PTRACE_DETACH, tid, 0, (unsigned long)sig);
	}
	return true;
}

/*
 * Seize every thread listed in /proc/PID/task not yet attached; repeat
 * until a pass finds no new thread (threads may be created meanwhile).
 * Returns the number of threads attached, or -errno.
 */
static int seize_all(struct ptk_session *s, struct proc *p, long opts)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", p->pid);
	bool changed = true;
	int passes = 0;
	while (changed) {
		changed = false;
		DIR *d = opendir(path);
		if (!d)
			return p->nthreads ? p->nthreads : (errno == ENOENT ? -ESRCH : -errno);
		s->st.proc_reads++;
		struct dirent *de;
		while ((de = readdir(d))) {
			char *end;
			long tid = strtol(de->d_name, &end, 10);
			if (*end || tid <= 0 || tracee_find(s, (pid_t)tid))
				continue;
			/* Released by a detach but not stopped since: still ours. */
			bool ours = unrelease(s, (pid_t)tid, NULL);
			long r = ours ? 0 : pt(s, PTRACE_SEIZE, (pid_t)tid, 0, (unsigned long)opts);
			if (r == -ESRCH)
				continue; /* exited meanwhile */
			/*
			 * A zombie cannot be seized (EPERM): an exited leader
			 * whose threads still run, or a thread on its way out.
			 */
			if (r == -EPERM && thread_zombie(p->pid, (pid_t)tid))
				continue;
			if (r == -EPERM && p->nthreads) {
				long tracer = 0;
				/* Auto-attached by us as the clone child of a seized thread. */
				if (read_proc_status(s, (pid_t)tid, "TracerPid", &tracer) == 0 &&
				    tracer == s->self)
					continue;
			}
			if (r < 0) {
				closedir(d);
				return (int)r;
			}
			struct tracee *t = tracee_add(s, p, (pid_t)tid);
			if (!t) {
				closedir(d);
				return -ENOMEM;
			}
			t->interrupt_pending = ours; /* the detach's interrupt */
			changed = true;
		}
		closedir(d);
		if (++passes > 1000)
			break; /* a process creating threads faster than we read */
	}
	return p->nthreads;
}

/*
 * Interrupt every seized thread and wait for each to stop (its stop is
 * queued for ptk_wait(), marked as the attach stop), then look for threads
 * created meanwhile: a running seized thread may clone after the last
 * /proc pass, and without PTRACE_O_TRACECLONE its child would escape.
 * Once every thread is stopped none can be created, so the loop ends.
 */
static int stop_all(struct ptk_session *s, struct proc *p)
{
	for (int pass = 0; pass < 1000; pass++) {
		struct tracee *t = p->threads;
		do {
			if (t->state == T_RUNNING && !t->attach_pending &&
			    pt(s, PTRACE_INTERRUPT, t->tid, 0, 0) == 0) {
				t->attach_pending = true;
				t->interrupt_pending = true;
			}
			t = t->next;
		} while (t != p->threads);
		t = p->threads;
		do {
			struct tracee *next = t->next;
			int st;
			/* A thread that cannot stop (vfork parent in D state) is left. */
			if (t->state == T_RUNNING && wait_tid(s, t->tid, &st, 1000) == 0)
				enqueue(s, t->tid, st);
			t = next;
		} while (t != p->threads);
		int before = p->nthreads;
		int r = seize_all(s, p, s->ptrace_opts);
		if (r < 0)
			return r;
		if (p->nthreads == before)
			return 0;
	}
	return 0;
}

int ptk_attach(struct ptk_session *s, pid_t pid, unsigned flags, int *ret_nthreads)
{
	if (pid <= 0)
		return -ESRCH;
	if (pid == s->self)
		return -EINVAL;
	long tracer = 0, tgid = 0;
	if (read_proc_status(s, s->self, "TracerPid", &tracer) == 0 && tracer == pid)
		return -EINVAL; /* our own tracer: it would deadlock with us */
	if (proc_find(s, pid))
		return -EALREADY;
	int r = read_proc_status(s, pid, "Tgid", &tgid);
	if (r < 0)
		return r;
	if (tgid != pid)
		return -ESRCH; /* a thread id, not a process */
	struct proc *p = proc_add(s, pid);
	if (!p)
		return -ENOMEM;
	/* Attached tracees must outlive us: no PTRACE_O_EXITKILL. */
	r = seize_all(s, p, s->ptrace_opts);
	if (r == 0)
		r = -ESRCH; /* every thread is a zombie: the process has exited */
	if (r <= 0) {
		/*
		 * Undo: the threads seized before the failure run, and a
		 * running tracee cannot be detached: interrupt and release
		 * them, detached at their stop.
		 */
		while (p->threads) {
			if (pt(s, PTRACE_INTERRUPT, p->threads->tid, 0, 0) == 0)
				release(s, p->threads);
			tracee_del(s, p->threads);
		}
		proc_del(s, p);
		return r < 0 ? r : -ESRCH;
	}
	if (!(flags & PTK_ATTACH_NOSTOP)) {
		r = stop_all(s, p);
		if (r < 0) {
			ptk_detach(s, pid, 1000);
			return r;
		}
	}
	if (ret_nthreads)
		*ret_nthreads = p->nthreads;
	return 0;
}

int ptk_interrupt(struct ptk_session *s, pid_t tid)
{
	struct tracee *t = tracee_find(s, tid);
	if (!t)
		return -ESRCH;
	if (t->state == T_STOPPED || t->state == T_QUEUED)
		return 0;
	long r = pt(s, PTRACE_INTERRUPT, tid, 0, 0);
	if (r == 0)
		t->interrupt_pending = true;
	return (int)r;
}

int ptk_thread_signal(struct ptk_session *s, pid_t tid, int sig)
{
	struct tracee *t = tracee_find(s, tid);
	pid_t tgid = t ? t->proc->pid : tid;
	if (syscall(SYS_tgkill, tgid, tid, sig) < 0)
		return -errno;
	return 0;
}

int ptk_process_signal(struct ptk_session *s, pid_t pid, int sig, bool cont)
{
	(void)s;
	if (cont && kill(pid, SIGCONT) < 0)
		return -errno;
	if (kill(pid, sig) < 0)
		return -errno;
	return 0;
}

int ptk_kill(struct ptk_session *s, pid_t pid)
{
	struct proc *p = proc_find(s, pid);
	if (!p)
		return -ESRCH;
	if (kill(pid, SIGKILL) < 0)
		return errno == ESRCH ? 0 : -errno;
	/* Stopped threads wake up to die; none may be resumed any more. */
	struct tracee *t = p->threads;
	if (t)
		do {
			if (t->state == T_STOPPED || t->state == T_LISTENING)
				t->state = T_RUNNING;
			t = t->next;
		} while (t != p->threads);
	return 0;
}

static bool thread_exists(pid_t tgid, pid_t tid)
{
	char path[96];
	snprintf(path, sizeof path, "/proc/%d/task/%d", tgid, tid);
	return access(path, F_OK) == 0;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

int ptk_detach(struct ptk_session *s, pid_t pid, int timeout_ms)
{
	struct proc *p = proc_find(s, pid);
	if (!p)
		return -ESRCH;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	p->detaching = true;
	int r = 0;
	pid_t *tids = NULL;

	/*
	 * 1. Every thread must be in a ptrace-stop that ptk has classified:
	 *    a breakpoint trap is rewound and never passed on, an EINTR our
	 *    interrupt caused is undone, a clone event adopts its thread
	 *    (which then needs detaching too: hence the passes).
	 */
	for (int pass = 0; pass < 100; pass++) {
		adopt_unknown_threads(s, p);
		int n = p->nthreads;
		pid_t *nt = realloc(tids, (size_t)n * sizeof *nt);
		if (!nt) {
			r = -ENOMEM;
			goto out;
		}
		tids = nt;
		struct tracee *t = p->threads;
		for (int i = 0; i < n; i++, t = t->next) {
			tids[i] = t->tid;
			if ((t->state == T_RUNNING || t->state == T_LISTENING) &&
			    pt(s, PTRACE_INTERRUPT, t->tid, 0, 0) == 0)
				t->interrupt_pending = true;
		}
		for (int i = 0; i < n; i++) {
			struct tracee *u = tracee_find(s, tids[i]);
			/* A zombie (an exited leader waiting for its threads) never stops. */
			if (!u || (u->state == T_RUNNING && thread_zombie(pid, tids[i])))
				continue;
			long left = timeout_ms - ms_since(&t0);
			int w = settle(s, tids[i], left > 0 ? (int)left : 0);
			if (w == -ETIMEDOUT)
				r = -ETIMEDOUT;
		}
		p = proc_find(s, pid);
		if (!p)
			goto out; /* it died meanwhile: nothing left to detach */
		if (p->nthreads <= n)
			break;
	}

	/*
	 * 2. With every thread stopped, lift the breakpoints, unless another
	 *    traced process still shares this memory (a vfork parent).
	 */
	bool shared = false;
	for (struct proc *q = s->procs; q; q = q->next)
		if (q != p && mm_of(q) == mm_of(p))
			shared = true;
	if (!shared)
		bp_remove_all(s, mm_of(p));

	/*
	 * 3. Detach, passing on the signal of a signal-delivery-stop (the one
	 *    the thread was about to get); other stops have none to pass.  A
	 *    thread that did not stop in time stays traced until it does (its
	 *    interrupt is pending): released, it is detached at that stop.
	 */
	struct tracee *t = p->threads;
	if (t)
		do {
			if (t->state == T_STOPPED) {
				int sig = t->stop_kind == PTK_EV_SIGNAL && !t->initial ? t->stop_sig
				                                                       : 0;
				pt(s, PTRACE_DETACH, t->tid, 0, (unsigned long)sig);
			} else if (t->state != T_DEAD) {
				release(s, t);
			}
			queue_drop(&s->q, t->tid);
			t = t->next;
		} while (t != p->threads);
	/* Processes that shared our memory now own their breakpoints' fate. */
	for (struct proc *q = s->procs; q; q = q->next)
		if (q->mm_owner == p)
			q->mm_owner = NULL;
	proc_del(s, p);
out:
	free(tids);
	return r;
}

/*
 * Reap the deaths of a killed process's threads, in whatever order the
 * kernel reports them (a leader's death comes after all its threads'), so
 * that no zombie is left behind for our parent.
 */
static void reap_all(struct ptk_session *s, struct proc *p, const struct timespec *t0,
                     int timeout_ms)
{
	while (p->threads) {
		bool progress = false;
		struct tracee *t = p->threads, *next;
		int n = p->nthreads;
		for (int i = 0; i < n && p->threads; i++, t = next) {
			next = t->next;
			int st;
			int w = wait_tid(s, t->tid, &st, 0);
			if (w < 0) {
				if (w == -ECHILD || !thread_exists(p->pid, t->tid)) {
					tracee_del(s, t);
					progress = true;
				}
				continue;
			}
			progress = true;
			if (WIFEXITED(st) || WIFSIGNALED(st))
				tracee_del(s, t);
			else
				pt(s, PTRACE_CONT, t->tid, 0, 0); /* a stop before death */
		}
		if (!progress) {
			if (ms_since(t0) >= timeout_ms)
				return;
			struct timespec d = {0, 1000000};
			nanosleep(&d, NULL);
		}
	}
}

void ptk_session_end(struct ptk_session *s, bool keep_spawned, int timeout_ms)
{
	if (!s)
		return;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* Kill what we spawned first: its children then need no detaching. */
	if (!keep_spawned)
		for (struct proc *p = s->procs; p; p = p->next)
			if (p->spawned) {
				/* Its unannounced threads die too and must be reaped. */
				adopt_unknown_threads(s, p);
				ptk_kill(s, p->pid);
			}
	while (s->procs) {
		struct proc *p = s->procs;
		if (p->spawned && !keep_spawned) {
			reap_all(s, p, &t0, timeout_ms);
			proc_del(s, p);
			continue;
		}
		long left = timeout_ms - ms_since(&t0);
		ptk_detach(s, p->pid, left > 0 ? (int)left : 0);
	}
	while (s->parked) {
		struct parked *pk = s->parked;
		s->parked = pk->next;
		pt(s, PTRACE_DETACH, pk->tid, 0, 0);
		free(pk);
	}
	/* Released threads stopped meanwhile are let go; the others when we exit. */
	while (s->released) {
		pid_t tid = s->released->tid;
		int st;
		if (waitpid(tid, &st, __WALL | WNOHANG) != tid || !released_result(s, tid, st))
			unrelease(s, tid, NULL);
	}
	free(s->q.v);
	free(s->hash);
	free(s);
}
