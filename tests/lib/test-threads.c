/* SPDX-License-Identifier: MIT */
/*
 * Threads: new threads reported in order, execve from a non-leader thread,
 * a zombie leader, exit_group with threads blocked in read, and fairness
 * among a thousand looping threads.
 */
#include "lt.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Enter/exit pairing per thread (exit and exit_group have no exit stop). */
static void check_pairs(const struct log *l, pid_t tid)
{
	bool in = false;
	for (size_t i = 0; i < l->n; i++) {
		const struct rec *r = &l->v[i];
		if (r->tid != tid)
			continue;
		if (r->kind == PTK_EV_SYSCALL_ENTER) {
			CHECK_MSG(!in, "event %zu: tid %d: enter while in a syscall", i, tid);
			in = r->nr != NR_exit && r->nr != NR_exit_group;
		} else if (r->kind == PTK_EV_SYSCALL_EXIT) {
			CHECK_MSG(in, "event %zu: tid %d: exit stop without an enter", i, tid);
			in = false;
		}
	}
}

/* The death events of tid (EXITED or KILLED). */
static size_t deaths(const struct log *l, pid_t tid)
{
	return log_count(l, tid, PTK_EV_EXITED) + log_count(l, tid, PTK_EV_KILLED);
}

/* The new threads of the clone events, in their order: exactly n of them, into t. */
static void clone_tids(const struct log *l, pid_t *t, int n)
{
	int k = 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].kind == PTK_EV_CLONE) {
			CHECK(k < n);
			t[k++] = l->v[i].new_tid;
		}
	CHECK_EQ_INT(k, n);
}

/*
 * Each new thread: a clone event from its creator, then its first stop (a
 * new tracee, a thread of the process), its three getppid and its gettid
 * in order, its exit, its death; the leader's death comes last.
 */
TEST(threads_reported_in_order)
{
	char *argv[] = {(char *)th_tracee("threads"), "4", NULL};
	const char *want = "thread 0 ok\nthread 1 ok\nthread 2 ok\nthread 3 ok\nthreads=4\n";
	lt_untraced_is(argv, want, 0);
	struct log l = {0};
	pid_t pid = lt_trace_expect(argv, PTK_FOLLOW, PTK_RESUME_SYSCALL, &l, want);
	size_t nthreads = 0;
	for (size_t i = 0; i < l.n; i++) {
		if (l.v[i].kind != PTK_EV_CLONE)
			continue;
		CHECK_EQ_INT(l.v[i].tid, pid);
		pid_t t = l.v[i].new_tid;
		CHECK(t > 0 && t != pid);
		nthreads++;
		/* its first event, after the clone event */
		long first = log_first(&l, t);
		CHECK((size_t)first > i);
		CHECK_EQ_STR(kname(l.v[first].kind), kname(PTK_EV_STOP));
		CHECK(l.v[first].new_tracee);
		CHECK(l.v[first].new_thread);
		CHECK_EQ_INT(l.v[first].pid, pid);
		CHECK_EQ_INT(l.v[first].ppid, pid);
		size_t at = (size_t)first;
		for (int k = 0; k < 3; k++) {
			long e = log_find(&l, at, t, PTK_EV_SYSCALL_ENTER, NR_getppid);
			CHECK(e > (long)at);
			CHECK_EQ_STR(kname(l.v[e + 0].kind), kname(PTK_EV_SYSCALL_ENTER));
			long x = log_find(&l, (size_t)e + 1, t, PTK_EV_SYSCALL_EXIT, -1);
			CHECK(x > e);
			CHECK_EQ_INT(l.v[x].rval, getpid());
			at = (size_t)x;
		}
		long g = log_find(&l, at, t, PTK_EV_SYSCALL_ENTER, -1);
		CHECK(g > 0);
		CHECK_EQ_INT(l.v[g].nr, NR_gettid);
		long gx = log_find(&l, (size_t)g, t, PTK_EV_SYSCALL_EXIT, -1);
		CHECK_EQ_INT(l.v[gx].rval, t);
		long d = log_find(&l, (size_t)gx, t, PTK_EV_EXITED, -1);
		CHECK(d > gx);
		CHECK_EQ_INT(l.v[d].exit_code, 0);
		CHECK(!l.v[d].process_gone);
		CHECK_EQ_INT(l.v[d].pid, pid);
		/* the thread's last syscall is exit (60): an enter, no exit */
		long ex = log_last_before(&l, t, d);
		CHECK_EQ_STR(kname(l.v[ex].kind), kname(PTK_EV_SYSCALL_ENTER));
		CHECK_EQ_INT(l.v[ex].nr, NR_exit);
		CHECK_EQ_INT(deaths(&l, t), 1);
		check_pairs(&l, t);
	}
	CHECK_EQ_INT(nthreads, 4);
	check_pairs(&l, pid);
	CHECK(log_ends_with_exit(&l, pid, -1)->process_gone);
	CHECK_EQ_INT(deaths(&l, pid), 1);
	log_free(&l);
}

/* Threads of a traced process as ptk lists them, while they run. */
struct tlist {
	int max_seen;
	pid_t pid;
};

static bool tlist_hook(struct ptk_session *s, const struct ptk_event *ev, void *arg)
{
	struct tlist *t = arg;
	if (ev->kind == PTK_EV_EXITED || ev->kind == PTK_EV_KILLED)
		return false;
	pid_t tids[64];
	int n = ptk_process_threads(s, ev->pid, tids, 64);
	CHECK(n >= 1);
	CHECK_EQ_INT(tids[0], ev->pid); /* the leader was attached first */
	CHECK_EQ_INT(ptk_thread_pid(s, ev->tid), ev->pid);
	bool found = false;
	for (int i = 0; i < n && i < 64; i++)
		found |= tids[i] == ev->tid;
	CHECK(found);
	CHECK_EQ_INT(ptk_session_nthreads(s), n);
	if (n > t->max_seen)
		t->max_seen = n;
	return false;
}

TEST(process_threads_listed)
{
	char *argv[] = {(char *)th_tracee("threads"), "4", NULL};
	struct log l = {0};
	struct tlist t = {0};
	char *o = lt_trace_all(argv, PTK_FOLLOW, PTK_RESUME_SYSCALL, &l, tlist_hook, &t, NULL);
	free(o);
	CHECK(t.max_seen >= 2 && t.max_seen <= 5);
	log_free(&l);
}

/*
 * execve from a non-leader thread: PTRACE_EVENT_EXEC with tid == pid and
 * former_tid == the thread's old tid; the blocked thread's death is
 * reported; the old leader vanishes without a report; no hang.
 */
TEST(exec_from_non_leader_thread)
{
	char *argv[] = {(char *)th_tracee("exec_thread"), NULL};
	const char *want = "before exec\nafter exec\ntid==pid: yes\nthreads: 1\n";
	lt_untraced_is(argv, want, 0);
	struct log l = {0};
	pid_t pid = lt_trace_expect(argv, PTK_FOLLOW, PTK_RESUME_SYSCALL, &l, want);
	/* the two threads: B (created first, blocks in read) and A (execs) */
	pid_t thr[2];
	clone_tids(&l, thr, 2);
	pid_t b = thr[0], a = thr[1];
	/* A's execve, then the exec event under the leader's tid */
	long ex = -1;
	for (size_t i = 0; i < l.n && ex < 0; i++)
		if (l.v[i].kind == PTK_EV_SYSCALL_ENTER && l.v[i].nr == NR_execve &&
		    l.v[i].tid != pid)
			ex = (long)i;
	CHECK(ex >= 0);
	CHECK_EQ_INT(l.v[ex].tid, a);
	long ev = log_find(&l, (size_t)ex, 0, PTK_EV_EXEC, -1);
	CHECK(ev > ex);
	CHECK_EQ_INT(log_count(&l, 0, PTK_EV_EXEC), 2); /* the spawn's and A's */
	CHECK_EQ_INT(l.v[ev].tid, pid);
	CHECK_EQ_INT(l.v[ev].pid, pid);
	CHECK_EQ_INT(l.v[ev].former_tid, a);
	/* the execve's exit stop comes under the new tid, returning 0 */
	long x = log_find(&l, (size_t)ev, pid, PTK_EV_SYSCALL_EXIT, -1);
	CHECK_EQ_INT(x, ev + 1);
	CHECK_EQ_INT(l.v[x].rval, 0);
	/* nothing more from A's old tid */
	for (size_t i = (size_t)ev; i < l.n; i++)
		CHECK_MSG(l.v[i].tid != a, "event %zu from the exec'd thread's old tid %d", i, a);
	/* B's death is reported (once); A's and the old leader's are not */
	CHECK_EQ_INT(deaths(&l, b), 1);
	CHECK_EQ_INT(deaths(&l, a), 0);
	long bd = log_find(&l, 0, b, PTK_EV_EXITED, -1);
	if (bd < 0)
		bd = log_find(&l, 0, b, PTK_EV_KILLED, -1);
	CHECK(bd > ex);
	CHECK(!l.v[bd].process_gone);
	/* the process ends once, with the new image's status */
	CHECK_EQ_INT(deaths(&l, pid), 1);
	CHECK(log_ends_with_exit(&l, pid, 0)->process_gone);
	log_free(&l);
}

/*
 * The leader exits first (SYS_exit of that thread only): the tracer does
 * not hang on it; its death is reported after the other threads', with
 * the process's status (5, from the last thread's exit_group).
 */
TEST(zombie_leader)
{
	char *argv[] = {(char *)th_tracee("zombie_leader"), NULL};
	const char *want = "leader exits\nt1 done\nt2 done\n";
	lt_untraced_is(argv, want, 5);
	struct log l = {0};
	pid_t pid = lt_trace_expect(argv, PTK_FOLLOW, PTK_RESUME_SYSCALL, &l, want);
	long lx = log_find(&l, 0, pid, PTK_EV_SYSCALL_ENTER, NR_exit);
	CHECK(lx >= 0);
	pid_t t[2];
	clone_tids(&l, t, 2);
	/* the threads run on after the leader's exit */
	long t1g = log_find(&l, (size_t)lx, t[0], PTK_EV_SYSCALL_ENTER, NR_getppid);
	CHECK(t1g > lx);
	long t1d = log_find(&l, 0, t[0], PTK_EV_EXITED, -1);
	long t2d = log_find(&l, 0, t[1], PTK_EV_EXITED, -1);
	CHECK(t1d > lx && t2d > t1d);
	CHECK_EQ_INT(l.v[t2d].exit_code, 5);
	long eg = log_find(&l, 0, t[1], PTK_EV_SYSCALL_ENTER, NR_exit_group);
	CHECK(eg > t1d && eg < t2d);
	/* the leader's death, last, with the group's status */
	CHECK_EQ_INT(deaths(&l, pid), 1);
	CHECK(log_ends_with_exit(&l, pid, 5)->process_gone);
	CHECK(!l.v[t1d].process_gone && !l.v[t2d].process_gone);
	/* after its exit enter, nothing else from the leader but its death */
	for (size_t i = (size_t)lx + 1; i + 1 < l.n; i++)
		CHECK_MSG(l.v[i].tid != pid, "event %zu from the exited leader", i);
	log_free(&l);
}

/*
 * exit_group while three threads are blocked in read: each thread's last
 * syscall stop is the read's enter (no exit stop), then its death; the
 * leader's exit_group has no exit stop; every thread's death is reported.
 */
TEST(exit_group_with_threads_blocked_in_read)
{
	char *argv[] = {(char *)th_tracee("exit_group_threads"), "3", NULL};
	const char *want = "threads blocked: 3\nexiting\n";
	lt_untraced_is(argv, want, 4);
	struct log l = {0};
	pid_t pid = lt_trace_expect(argv, PTK_FOLLOW, PTK_RESUME_SYSCALL, &l, want);
	int n = 0;
	long eg = log_find(&l, 0, pid, PTK_EV_SYSCALL_ENTER, NR_exit_group);
	CHECK(eg >= 0);
	for (size_t i = 0; i < l.n; i++) {
		if (l.v[i].kind != PTK_EV_CLONE)
			continue;
		pid_t t = l.v[i].new_tid;
		n++;
		CHECK_EQ_INT(deaths(&l, t), 1);
		long d = log_find(&l, 0, t, PTK_EV_EXITED, -1);
		CHECK_MSG(d >= 0, "thread %d: no exit report", t);
		CHECK_EQ_INT(l.v[d].exit_code, 4);
		CHECK(!l.v[d].process_gone);
		long last = log_last_before(&l, t, d);
		CHECK_EQ_STR(kname(l.v[last].kind), kname(PTK_EV_SYSCALL_ENTER));
		CHECK_EQ_INT(l.v[last].nr, NR_read);
		CHECK(last < eg);
		check_pairs(&l, t);
	}
	CHECK_EQ_INT(n, 3);
	CHECK_EQ_INT(deaths(&l, pid), 1);
	CHECK(log_ends_with_exit(&l, pid, 4)->process_gone);
	for (size_t i = (size_t)eg + 1; i + 1 < l.n; i++)
		CHECK_MSG(l.v[i].tid != pid, "event %zu from the leader after exit_group", i);
	log_free(&l);
}

/* ---- fairness ---- */

#define FAIR_THREADS 1000
#define FAIR_CALLS   20

struct fair {
	pid_t pid;
	pid_t tids[FAIR_THREADS + 8];
	int ntids;
	int calls[FAIR_THREADS + 8];
	bool first_done;
	int started_at_first_done; /* threads with >= 1 getppid when the first finished */
	int min_at_first_done;     /* fewest getppid among them */
	int half_at_first_done;    /* threads with >= FAIR_CALLS / 2 */
	long events;
};

static int tid_index(struct fair *f, pid_t tid)
{
	for (int i = 0; i < f->ntids; i++)
		if (f->tids[i] == tid)
			return i;
	return -1;
}

static bool fair_hook(struct ptk_session *s, const struct ptk_event *ev, void *arg)
{
	struct fair *f = arg;
	(void)s;
	f->events++;
	if (ev->kind == PTK_EV_STOP && ev->new_tracee) {
		CHECK(f->ntids < FAIR_THREADS + 8);
		f->tids[f->ntids++] = ev->tid;
	}
	if (ev->kind != PTK_EV_SYSCALL_EXIT || ev->tid == f->pid)
		return false;
	int i = tid_index(f, ev->tid);
	CHECK(i >= 0);
	/* getppid returns our pid; the other syscalls of a thread do not */
	if (ev->sc.rval != getpid())
		return false;
	f->calls[i]++;
	if (f->calls[i] == FAIR_CALLS && !f->first_done) {
		f->first_done = true;
		int started = 0, half = 0, min = FAIR_CALLS;
		for (int k = 0; k < f->ntids; k++) {
			if (f->calls[k] < min)
				min = f->calls[k];
			started += f->calls[k] > 0;
			half += f->calls[k] >= FAIR_CALLS / 2;
		}
		f->started_at_first_done = started;
		f->min_at_first_done = min;
		f->half_at_first_done = half;
	}
	return false;
}

/*
 * A thousand threads released together from a barrier, each making 20
 * getppid calls, every syscall stopping.  Every thread completes all its
 * calls; and when the first thread has made its last call, every thread
 * has made at least half of its calls (a tracer that always serves the
 * same ready thread first lets one thread finish while the others have
 * made none).  The observable is a count of stops, not a time.
 */
TEST(fairness_thousand_threads)
{
	char nt[16], nc[16];
	snprintf(nt, sizeof nt, "%d", FAIR_THREADS);
	snprintf(nc, sizeof nc, "%d", FAIR_CALLS);
	char *argv[] = {(char *)th_tracee("getppid_threads"), nt, nc, NULL};
	char want[128];
	snprintf(want, sizeof want, "threads=%d calls=%d bad=0\n", FAIR_THREADS,
	         FAIR_THREADS * FAIR_CALLS);
	struct fair *f = calloc(1, sizeof *f);
	pid_t pid;
	int out;
	struct ptk_session *s = lt_start(PTK_FOLLOW, argv, &pid, &out);
	f->pid = pid;
	char *o = lt_run_to_end(s, pid, out, PTK_RESUME_SYSCALL, NULL, fair_hook, f);
	th_note("events %ld; at the first thread's last call: %d threads started, %d past half, "
	        "min %d",
	        f->events, f->started_at_first_done, f->half_at_first_done, f->min_at_first_done);
	lt_output_is(o, want);
	CHECK_EQ_INT(f->ntids, FAIR_THREADS);
	for (int i = 0; i < f->ntids; i++)
		CHECK_MSG(f->calls[i] == FAIR_CALLS, "thread %d made %d getppid calls", f->tids[i],
		          f->calls[i]);
	CHECK(f->first_done);
	CHECK_EQ_INT(f->started_at_first_done, FAIR_THREADS);
	/*
	 * Served in turn, the threads advance nearly in step (measured: every
	 * thread at 18 or 19 of 20, also with the machine loaded); half way is
	 * a wide margin that a starving tracer still cannot meet.
	 */
	CHECK_EQ_INT(f->half_at_first_done, FAIR_THREADS);
	free(f);
}
