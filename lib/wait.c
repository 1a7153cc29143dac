/* SPDX-License-Identifier: MIT */
/*
 * Getting wait results from the kernel: the FIFO they are queued in, the
 * blocking wait that polls before it sleeps (wait_spin), the drains that
 * keep one busy thread from starving the others (collect), and the waits
 * for one thread the library makes itself (wait_tid).  What a result
 * means is event.c's.
 */
#include "internal.h"

#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

/* ---- the FIFO of wait results ---- */

int queue_push(struct queue *q, pid_t tid, int status)
{
	if (q->len == q->cap) {
		size_t ncap = q->cap ? q->cap * 2 : 64;
		struct qent *nv = malloc(ncap * sizeof *nv);
		if (!nv)
			return -ENOMEM;
		for (size_t i = 0; i < q->len; i++)
			nv[i] = q->v[(q->head + i) % q->cap];
		free(q->v);
		q->v = nv;
		q->cap = ncap;
		q->head = 0;
	}
	q->v[(q->head + q->len) % q->cap] = (struct qent){tid, status};
	q->len++;
	return 0;
}

bool queue_pop(struct queue *q, struct qent *ret)
{
	if (!q->len)
		return false;
	*ret = q->v[q->head];
	q->head = (q->head + 1) % q->cap;
	q->len--;
	return true;
}

bool queue_has(const struct queue *q, pid_t tid)
{
	for (size_t i = 0; i < q->len; i++)
		if (q->v[(q->head + i) % q->cap].tid == tid)
			return true;
	return false;
}

/* Remove every entry of tid, keeping the order of the others. */
void queue_drop(struct queue *q, pid_t tid)
{
	size_t w = 0;
	for (size_t i = 0; i < q->len; i++) {
		struct qent e = q->v[(q->head + i) % q->cap];
		if (e.tid != tid)
			q->v[(q->head + w++) % q->cap] = e;
	}
	q->len = w;
}

/* Take tid's entry out of the queue, if it has one. */
bool queue_take(struct queue *q, pid_t tid, int *ret_status)
{
	for (size_t i = 0; i < q->len; i++)
		if (q->v[(q->head + i) % q->cap].tid == tid) {
			*ret_status = q->v[(q->head + i) % q->cap].status;
			queue_drop(q, tid);
			return true;
		}
	return false;
}

void observe_wait(struct ptk_session *s, pid_t tid, int status)
{
	s->st.waits++;
	if (WIFSTOPPED(status))
		s->st.stops++;
	if (s->obs_fn) {
		struct ptk_obs o = {.kind = PTK_OBS_WAIT, .pid = tid, .status = status};
		s->obs_fn(s->obs_arg, &o);
	}
}

/*
 * Queue one wait result.  A tracee in ptrace-stop produces no further
 * result until it is resumed, unless it is killed (SIGKILL, exit_group or
 * execve by another thread): then an older queued stop is stale and only
 * the newer result counts.
 */
int enqueue(struct ptk_session *s, pid_t tid, int status)
{
	observe_wait(s, tid, status);
	struct tracee *t = tracee_find(s, tid);
	if (t) {
		if (t->state == T_QUEUED)
			queue_drop(&s->q, tid);
		t->state = T_QUEUED;
	} else if (queue_has(&s->q, tid)) {
		queue_drop(&s->q, tid);
	}
	return queue_push(&s->q, tid, status);
}

/*
 * A blocking wait4(which, __WALL) that polls first.  A thread resumed at a
 * syscall or breakpoint usually stops again within microseconds, and
 * sleeping in wait4 for that costs more than the stop itself: the tracer
 * is put to sleep, the stopping thread wakes it with an inter-processor
 * interrupt when the two run on different CPUs, and the idle CPU has to
 * come out of its halt (on this project's VMs that was two thirds of the
 * time of a `find` trace).  So when the previous blocking wait was answered
 * within s->spin_ns, poll with WNOHANG for up to s->spin_ns first,
 * yielding the CPU between polls: a thread that shares ptk's CPU (one CPU,
 * or a loaded machine) runs at once, as it would while ptk slept.  When
 * the previous wait took longer (a tracee blocked in read(2), a program
 * computing between breakpoints), sleep at once, so a slow tracee costs no
 * polls beyond one failed round now and then.
 *
 * "Previous" is that of the same kind of stop the thread was resumed
 * from: the syscall, for a syscall-enter stop (a getppid returns at once,
 * a read may block), or the kind of stop (after a syscall-exit stop, the
 * program computes until its next syscall, however long that is).  One
 * history for all of them made a program that computes 60 us between fast
 * syscalls poll in vain after every exit stop.
 *
 * Only with a single tracee thread: a CPU that ptk keeps busy is one the
 * scheduler no longer wakes other tracees on, and with a shell and its
 * children (300 /bin/true under sh -f) polling made the whole run 10-15%
 * slower, where one thread's trace ran 30% faster (bench/trace_bench.py).
 */
static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The history slot of what the lone tracee was resumed from (see above), or -1. */
static int spin_slot(const struct ptk_session *s)
{
	if (s->ntracees != 1 || s->parked || s->released)
		return -1;
	const struct tracee *t = NULL;
	for (const struct proc *p = s->procs; p && !t; p = p->next)
		t = p->threads;
	if (!t || t->state != T_RUNNING)
		return -1;
	bool sc = t->stop_kind == PTK_EV_SYSCALL_ENTER || t->stop_kind == PTK_EV_SECCOMP;
	if (sc && t->stop_nr >= 0 && t->stop_nr < SPIN_NR)
		return (int)t->stop_nr;
	return SPIN_NR + (int)t->stop_kind;
}

/*
 * ptk_wait_wake() ran and no wait has answered it yet.  Process-wide, as
 * signals are: a handler does not need to know which session waits.
 */
static volatile sig_atomic_t wake_pending;

void ptk_wait_wake(void)
{
	wake_pending = 1;
}

/* A ptk_wait_wake() not yet answered: take it, and fail with EINTR. */
static bool woken(void)
{
	if (!wake_pending)
		return false;
	wake_pending = 0;
	errno = EINTR;
	return true;
}

/*
 * wakeable: a ptk_wait_wake() ends the wait with EINTR (ptk_wait); the
 * library's own waits for one thread leave it to the next ptk_wait.
 */
static pid_t wait_spin(struct ptk_session *s, pid_t which, int *status, bool wakeable)
{
	if (!s->spin_ns)
		return wait4(which, status, __WALL, NULL);
	int slot = spin_slot(s);
	uint64_t bit = slot < 0 ? 0 : 1ull << (slot % 64);
	uint64_t *slow = slot < 0 ? NULL : &s->spin_slow[slot / 64];
	int64_t t0 = mono_ns();
	while (slow && !(*slow & bit)) {
		if (wakeable && woken())
			return -1;
		pid_t pid = wait4(which, status, __WALL | WNOHANG, NULL);
		if (pid > 0)
			s->st.spin_hits++;
		if (pid != 0)
			return pid;
		s->st.spin_polls++;
		if (mono_ns() - t0 >= s->spin_ns)
			break;
		sched_yield();
	}
	/*
	 * A signal from here on interrupts the wait4 itself, but for one
	 * that comes just before it: callers' handlers re-arm a timer.
	 */
	if (wakeable && woken())
		return -1;
	pid_t pid = wait4(which, status, __WALL, NULL);
	if (pid > 0 && slow) {
		if (mono_ns() - t0 < s->spin_ns)
			*slow &= ~bit;
		else
			*slow |= bit;
	}
	return pid;
}

void ptk_set_wait_spin(struct ptk_session *s, unsigned max_us)
{
	s->spin_ns = (int64_t)max_us * 1000;
	memset(s->spin_slow, 0, sizeof s->spin_slow);
}

/* The most results of one thread collect() takes without a drain (see there). */
#define DRAIN_MAX 16

/*
 * Whether the result of tid that a blocking wait4 just returned should be
 * followed by a drain of every other pending result.  Draining after every
 * result costs one more wait4 per stop (a WNOHANG one), which finds nothing
 * whenever one tracee runs and the others wait (a shell waiting for the
 * child that runs).  The drain is there for fairness: wait4(-1) returns the
 * first ready tracee in the kernel's list order, so one that stops again as
 * soon as it is resumed would be returned again and again while others
 * wait.  So: after a drain that found results, drain after every result,
 * as if always; after one that found nothing, drain only when a thread
 * comes back for the drain_k-th time since the last drain (counting the
 * drain's own results), drain_k doubling with each empty drain up to
 * DRAIN_MAX with two tracees, up to 2 with more.  A ready thread then waits
 * at most drain_k - 1 results of each other thread, and only until the
 * next drain finds it.
 */
static bool drain_due(struct ptk_session *s, pid_t tid)
{
	struct tracee *t = tracee_find(s, tid);
	if (!t)
		return true; /* a new child reporting early: take in what else is there */
	if (t->drain_epoch != s->drain_epoch) {
		t->drain_epoch = s->drain_epoch;
		t->undrained = 0;
	}
	unsigned limit = s->drain_k ? s->drain_k : 1;
	if (s->ntracees > 2 && limit > 2)
		limit = 2;
	return ++t->undrained >= limit;
}

/*
 * Collect wait results: one (blocking unless nohang), then every other
 * one that is already pending when a drain is due (see drain_due()).
 */
int collect(struct ptk_session *s, bool nohang)
{
	int status;
	/*
	 * Threads a detach released (attach.c) are no tracees: their stops are
	 * taken when they are there, never waited for.
	 */
	bool none = s->ntracees == 0 && !s->parked;
	if (none && !s->released)
		return -ECHILD;
	pid_t pid = nohang || none ? wait4(-1, &status, __WALL | WNOHANG, NULL)
	                           : wait_spin(s, -1, &status, true);
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		s->st.empty_waits++;
		return none ? -ECHILD : -EAGAIN;
	}
	int r = enqueue(s, pid, status);
	if (r < 0)
		return r;
	/* A lone tracee cannot have another result pending. */
	if (s->ntracees <= 1 && !s->parked && !s->released)
		return 0;
	if (!nohang && !none && !s->parked && !s->released && !drain_due(s, pid))
		return 0;
	s->drain_epoch++;
	unsigned found = 0;
	while ((pid = wait4(-1, &status, __WALL | WNOHANG, NULL)) > 0) {
		r = enqueue(s, pid, status);
		if (r < 0)
			return r;
		struct tracee *t = tracee_find(s, pid);
		if (t) {
			t->drain_epoch = s->drain_epoch;
			t->undrained = 1;
		}
		found++;
	}
	if (pid == 0)
		s->st.empty_waits++;
	if (found)
		s->drain_k = 1;
	else if (s->drain_k < DRAIN_MAX)
		s->drain_k = s->drain_k ? s->drain_k * 2 : 2;
	return 0;
}

/*
 * Wait for a result of one tracee (internal: attach, detach, step-over).
 * A result already queued is taken first.  timeout_ms < 0 blocks.
 */
int wait_tid(struct ptk_session *s, pid_t tid, int *ret_status, int timeout_ms)
{
	if (queue_take(&s->q, tid, ret_status))
		return 0;
	int64_t t0 = mono_ns();
	/*
	 * waitpid has no timeout: poll, first every 20 us (an interrupted
	 * thread usually stops within microseconds), backing off to 1 ms.
	 */
	long nap = 20000;
	for (;;) {
		pid_t r = timeout_ms < 0 ? wait_spin(s, tid, ret_status, false)
		                         : waitpid(tid, ret_status, __WALL | WNOHANG);
		if (r == tid) {
			observe_wait(s, tid, *ret_status);
			return 0;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if ((mono_ns() - t0) / 1000000 >= timeout_ms)
			return -ETIMEDOUT;
		struct timespec d = {0, nap};
		nanosleep(&d, NULL);
		if (nap < 1000000)
			nap *= 2;
	}
}
