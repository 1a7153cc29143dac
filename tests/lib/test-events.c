/* SPDX-License-Identifier: MIT */
/*
 * Stop classification by PTRACE_GET_SYSCALL_INFO: syscall enter and exit
 * never go out of step (exit_group has no exit, a tracer that starts
 * mid-syscall sees an exit first), SIGKILL in a blocked syscall, and
 * restart_syscall after an interrupted clock_nanosleep.
 */
#include "lt.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * Every syscall-enter-stop of a thread is followed by that thread's
 * syscall-exit-stop before its next enter, except exit and exit_group
 * (no exit stop), and the thread's last syscall when it was killed.
 * Returns the number of enter stops checked.
 */
static size_t check_pairs(const struct log *l, pid_t tid)
{
	size_t n = 0;
	bool in = false;
	long nr = -1;
	for (size_t i = 0; i < l->n; i++) {
		const struct rec *r = &l->v[i];
		if (r->tid != tid)
			continue;
		if (r->kind == PTK_EV_SYSCALL_ENTER) {
			CHECK_MSG(!in, "event %zu: tid %d entered %ld while still in %ld", i, tid,
			          r->nr, nr);
			in = r->nr != NR_exit && r->nr != NR_exit_group;
			nr = r->nr;
			n++;
		} else if (r->kind == PTK_EV_SYSCALL_EXIT) {
			CHECK_MSG(in, "event %zu: tid %d: exit stop without an enter", i, tid);
			in = false;
		} else if (r->kind == PTK_EV_EXEC) {
			CHECK_MSG(in && nr == NR_execve, "event %zu: exec outside execve", i);
		}
	}
	return n;
}

/* exit_group: an enter stop, no exit stop, then the death. */
TEST(exit_group_has_enter_and_no_exit)
{
	char *argv[] = {(char *)th_tracee("hello"), "7", NULL};
	struct log l = {0};
	pid_t pid;
	free(lt_trace_all(argv, 0, PTK_RESUME_SYSCALL, &l, NULL, NULL, &pid));
	CHECK(check_pairs(&l, pid) > 5);
	long eg = log_find(&l, 0, pid, PTK_EV_SYSCALL_ENTER, NR_exit_group);
	CHECK(eg >= 0);
	CHECK_EQ_INT((size_t)eg, l.n - 2);
	CHECK_EQ_INT(l.v[eg].args[0], 7);
	CHECK(log_ends_with_exit(&l, 0, 7)->process_gone);
	/* the one write(1, "hello\n", 6) and its result */
	long w = log_find(&l, 0, pid, PTK_EV_SYSCALL_ENTER, NR_write);
	CHECK(w >= 0);
	CHECK_EQ_INT(l.v[w].args[0], 1);
	CHECK_EQ_INT(l.v[w].args[2], 6);
	CHECK_EQ_STR(kname(l.v[w + 1].kind), kname(PTK_EV_SYSCALL_EXIT));
	CHECK_EQ_INT(l.v[w + 1].rval, 6);
	log_free(&l);
}

/*
 * A tracer that starts mid-syscall: attach without stopping (so the first
 * stop is inside fork), then step by syscalls.  The first syscall stop is
 * the fork's exit (returning the child's pid), not an enter; the rest
 * pair up.
 */
TEST(attach_mid_syscall_first_stop_is_exit)
{
	char *argv[] = {(char *)th_tracee("answer"), NULL};
	int in, outfd;
	pid_t pid = lt_popen_ready(argv, &in, &outfd, "ready");
	CHECK(lt_wait_syscall(pid, NR_read, 10000));

	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, PTK_FOLLOW));
	int nth = 0;
	CHECK_OK(ptk_attach(s, pid, PTK_ATTACH_NOSTOP, &nth));
	CHECK_EQ_INT(nth, 1);
	CHECK(write(in, "fork\n", 5) == 5);

	struct ptk_event ev;
	lt_next(s, &ev);
	CHECK_EQ_STR(kname(ev.kind), kname(PTK_EV_FORK));
	CHECK_EQ_INT(ev.tid, pid);
	pid_t child = ev.new_tid;
	CHECK(child > 0 && child != pid);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0));

	struct log l = {0};
	/* Run until the answer is out, then close its input: it exits. */
	char line[256];
	bool closed = false;
	struct ptk_event e;
	while (lt_wait(s, &e, 0) == 0) {
		log_push(&l, &e);
		if (!closed && lt_readable(outfd)) {
			CHECK(lt_read_line(outfd, line, sizeof line, 1000));
			CHECK_EQ_STR(line, "forked 3");
			close(in);
			closed = true;
		}
		if (e.kind != PTK_EV_EXITED && e.kind != PTK_EV_KILLED)
			CHECK_OK(lt_resume(s, &e, PTK_RESUME_SYSCALL));
	}
	log_dump(&l, 300);
	/* The parent's first syscall stop is the exit of the fork (clone). */
	size_t i = 0;
	while (i < l.n && (l.v[i].tid != pid || (l.v[i].kind != PTK_EV_SYSCALL_ENTER &&
	                                         l.v[i].kind != PTK_EV_SYSCALL_EXIT)))
		i++;
	CHECK(i < l.n);
	CHECK_EQ_STR(kname(l.v[i].kind), kname(PTK_EV_SYSCALL_EXIT));
	CHECK_EQ_INT(l.v[i].rval, child);
	/* From the next stop on, enters and exits pair up. */
	struct log rest = {.v = l.v + i + 1, .n = l.n - i - 1};
	CHECK(check_pairs(&rest, pid) >= 3);
	/* The child: a new tracee whose first stop is PTRACE_EVENT_STOP. */
	long c0 = log_first(&l, child);
	CHECK(c0 >= 0);
	CHECK_EQ_STR(kname(l.v[c0].kind), kname(PTK_EV_STOP));
	CHECK(l.v[c0].new_tracee);
	CHECK(!l.v[c0].new_thread);
	CHECK_EQ_INT(l.v[c0].ppid, pid);
	long cd = log_find(&l, 0, child, PTK_EV_EXITED, -1);
	CHECK(cd > c0);
	CHECK_EQ_INT(l.v[cd].exit_code, 3);
	CHECK(log_ends_with_exit(&l, pid, 0)->process_gone);
	/* ptk, its tracer and parent, reaped it: nothing is left to wait for. */
	int st;
	CHECK(waitpid(pid, &st, WNOHANG) < 0 && errno == ECHILD);
	ptk_session_end(s, false, 1000);
	close(outfd);
	log_free(&l);
}

/*
 * Attach (with a stop) to a process blocked in read: resumed by syscalls,
 * the interrupted read is restarted (an enter stop), then returns the line
 * written to it; enters and exits pair up.
 */
TEST(attach_blocked_read_then_syscalls_pair_up)
{
	char *argv[] = {(char *)th_tracee("answer"), NULL};
	int in, outfd;
	pid_t pid = lt_popen_ready(argv, &in, &outfd, NULL);
	CHECK(lt_wait_syscall(pid, NR_read, 10000));

	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	CHECK_OK(ptk_attach(s, pid, 0, NULL));
	struct ptk_event ev;
	lt_next(s, &ev);
	CHECK_EQ_STR(kname(ev.kind), kname(PTK_EV_STOP));
	CHECK(ev.attach_stop);
	CHECK_EQ_INT(ev.tid, pid);
	lt_resume_expect(s, pid, PTK_RESUME_SYSCALL, PTK_EV_SYSCALL_ENTER, &ev);
	CHECK_EQ_INT(ev.sc.nr, NR_read);
	CHECK_EQ_INT(ev.sc.args[0], 0);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0));
	CHECK(write(in, "abc\n", 4) == 4);
	lt_next(s, &ev);
	CHECK_EQ_STR(kname(ev.kind), kname(PTK_EV_SYSCALL_EXIT));
	CHECK_EQ_INT(ev.sc.rval, 4);
	lt_resume_expect(s, pid, PTK_RESUME_SYSCALL, PTK_EV_SYSCALL_ENTER, &ev);
	CHECK_EQ_INT(ev.sc.nr, NR_write);
	CHECK_EQ_INT(ev.sc.args[2], 8);
	lt_resume_expect(s, pid, PTK_RESUME_SYSCALL, PTK_EV_SYSCALL_EXIT, &ev);
	CHECK_EQ_INT(ev.sc.rval, 8);
	lt_resume_expect(s, pid, PTK_RESUME_SYSCALL, PTK_EV_SYSCALL_ENTER, &ev);
	CHECK_EQ_INT(ev.sc.nr, NR_read);
	char line[256];
	CHECK(lt_read_line(outfd, line, sizeof line, 5000));
	CHECK_EQ_STR(line, "got abc");
	CHECK_OK(ptk_detach(s, pid, 1000));
	CHECK(write(in, "def\n", 4) == 4);
	CHECK(lt_read_line(outfd, line, sizeof line, 5000));
	CHECK_EQ_STR(line, "got def");
	ptk_session_end(s, false, 1000);
	lt_close_and_reap(pid, in, outfd, 0);
}

/*
 * A new session with block_read run by syscalls to the enter stop of its
 * blocking read, every event (its own) recorded into l.
 */
static struct ptk_session *at_blocking_read(struct log *l, pid_t *ret_pid, int *ret_out)
{
	char *argv[] = {(char *)th_tracee("block_read"), NULL};
	pid_t pid;
	struct ptk_session *s = lt_start(0, argv, &pid, ret_out);
	*ret_pid = pid;
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0));
	bool wrote = false;
	struct ptk_event ev;
	for (;;) {
		lt_next(s, &ev);
		log_push(l, &ev);
		CHECK_EQ_INT(ev.tid, pid);
		if (ev.kind == PTK_EV_SYSCALL_ENTER && ev.sc.nr == NR_write && ev.sc.args[0] == 1)
			wrote = true;
		if (wrote && ev.kind == PTK_EV_SYSCALL_ENTER && ev.sc.nr == NR_read)
			return s;
		CHECK_OK(lt_resume(s, &ev, PTK_RESUME_SYSCALL));
	}
}

/* ev is pid's death by SIGKILL, and the session's last event. */
static void killed_last(struct ptk_session *s, struct ptk_event *ev, pid_t pid)
{
	CHECK_EQ_STR(kname(ev->kind), kname(PTK_EV_KILLED));
	CHECK_EQ_INT(ev->tid, pid);
	CHECK_EQ_INT(ev->sig, SIGKILL);
	CHECK(ev->process_gone);
	CHECK_EQ_INT(lt_wait(s, ev, 5), -ECHILD);
}

/* SIGKILL while blocked in read: the read's enter, then KILLED, no error. */
TEST(sigkill_in_blocked_read)
{
	struct log l = {0};
	pid_t pid;
	int out;
	struct ptk_session *s = at_blocking_read(&l, &pid, &out);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0));
	CHECK(lt_wait_state(pid, "S", 10000));
	CHECK(lt_wait_syscall(pid, NR_read, 10000));
	CHECK(kill(pid, SIGKILL) == 0);
	struct ptk_event ev;
	lt_next(s, &ev);
	log_push(&l, &ev);
	log_dump(&l, 200);
	killed_last(s, &ev, pid);
	/* The dead tracee is no longer known. */
	CHECK_EQ_INT(ptk_resume(s, pid, PTK_RESUME_CONT, 0), -ESRCH);
	CHECK_EQ_INT(ptk_session_nthreads(s), 0);
	lt_output_is(lt_finish(s, out), "blocking\n");
	log_free(&l);
}

/* ptk_kill at the enter stop of the read: KILLED next, nothing else. */
TEST(ptk_kill_at_syscall_stop)
{
	struct log l = {0};
	pid_t pid;
	int out;
	struct ptk_session *s = at_blocking_read(&l, &pid, &out);
	CHECK_OK(ptk_kill(s, pid));
	struct ptk_event ev;
	lt_next(s, &ev);
	killed_last(s, &ev, pid);
	free(lt_finish(s, out));
	log_free(&l);
}

/* Index of the first enter stop of nr of tid at or after from, failing if none. */
static size_t must_find(const struct log *l, size_t from, pid_t tid, enum ptk_event_kind k, long nr)
{
	long i = log_find(l, from, tid, k, nr);
	CHECK_MSG(i >= 0, "no %s (nr %ld) of %d after event %zu", kname(k), nr, tid, from);
	return (size_t)i;
}

/*
 * restart_sleep (default mode): a SIGCHLD that untraced would be discarded
 * interrupts the traced clock_nanosleep (-ERESTART_RESTARTBLOCK at its
 * exit stop); after the signal-delivery-stop the sleep goes on as
 * restart_syscall (219), its own syscall with its own enter and exit.
 */
TEST(restart_syscall_after_ignored_sigchld)
{
	char *argv[] = {(char *)th_tracee("restart_sleep"), NULL};
	const char *want = "sleeping\nslept 0\nchild exited 0\n";
	lt_untraced_is(argv, want, 0);

	struct log l = {0};
	pid_t pid;
	char *o = lt_trace_all(argv, 0, PTK_RESUME_SYSCALL, &l, NULL, NULL, &pid);
	check_pairs(&l, pid);
	size_t e = must_find(&l, 0, pid, PTK_EV_SYSCALL_ENTER, NR_clock_nanosleep);
	CHECK_EQ_STR(kname(l.v[e + 1].kind), kname(PTK_EV_SYSCALL_EXIT));
	CHECK_EQ_INT(l.v[e + 1].rval, -LT_ERESTART_RESTARTBLOCK);
	CHECK_EQ_STR(kname(l.v[e + 2].kind), kname(PTK_EV_SIGNAL));
	CHECK_EQ_INT(l.v[e + 2].sig, SIGCHLD);
	CHECK_EQ_STR(kname(l.v[e + 3].kind), kname(PTK_EV_SYSCALL_ENTER));
	CHECK_EQ_INT(l.v[e + 3].nr, NR_restart_syscall);
	CHECK_EQ_STR(kname(l.v[e + 4].kind), kname(PTK_EV_SYSCALL_EXIT));
	CHECK_EQ_INT(l.v[e + 4].rval, 0);
	CHECK_EQ_INT(log_find(&l, e + 1, pid, PTK_EV_SYSCALL_ENTER, NR_clock_nanosleep), -1);
	lt_output_is(o, want);
	log_free(&l);
}

/*
 * A new session with restart_sleep plain run to inside its
 * clock_nanosleep, the events on the way recorded into l.
 */
static struct ptk_session *in_sleep(struct log *l, pid_t *ret_pid, int *ret_out)
{
	char *argv[] = {(char *)th_tracee("restart_sleep"), "plain", "2000", NULL};
	pid_t pid;
	struct ptk_session *s = lt_start(0, argv, &pid, ret_out);
	*ret_pid = pid;
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0));
	struct ptk_event ev;
	for (;;) {
		lt_next(s, &ev);
		log_push(l, &ev);
		bool sleep = ev.kind == PTK_EV_SYSCALL_ENTER && ev.sc.nr == NR_clock_nanosleep;
		CHECK_OK(lt_resume(s, &ev, PTK_RESUME_SYSCALL));
		if (sleep)
			break;
	}
	CHECK(lt_wait_state(pid, "S", 10000));
	return s;
}

/*
 * SIGSTOP then SIGCONT during clock_nanosleep: exit stop with
 * -ERESTART_RESTARTBLOCK, signal-delivery-stop, group-stop; the process
 * stays stopped until SIGCONT; then restart_syscall.
 */
TEST(restart_syscall_after_stop_and_continue)
{
	struct log l = {0};
	pid_t pid;
	int out;
	struct ptk_session *s = in_sleep(&l, &pid, &out);
	size_t from = l.n;
	CHECK(kill(pid, SIGSTOP) == 0);
	struct ptk_event ev;
	for (;;) {
		lt_next(s, &ev);
		log_push(&l, &ev);
		if (ev.kind == PTK_EV_GROUP_STOP)
			break;
		CHECK_OK(lt_resume(s, &ev, PTK_RESUME_SYSCALL));
	}
	CHECK_EQ_INT(ev.sig, SIGSTOP);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0));
	/* Stopped (in ptrace-stop while listening: 't'), nothing to report. */
	char st = lt_state(pid);
	CHECK_MSG(st == 't' || st == 'T', "state %c after resuming the group-stop", st);
	CHECK_EQ_INT(ptk_wait(s, &ev, PTK_WAIT_NOHANG), -EAGAIN);
	CHECK(kill(pid, SIGCONT) == 0);
	lt_run(s, PTK_RESUME_SYSCALL, &l, NULL, NULL, 0);
	log_dump(&l, 300);
	CHECK_EQ_STR(kname(l.v[from].kind), kname(PTK_EV_SYSCALL_EXIT));
	CHECK_EQ_INT(l.v[from].rval, -LT_ERESTART_RESTARTBLOCK);
	CHECK_EQ_STR(kname(l.v[from + 1].kind), kname(PTK_EV_SIGNAL));
	CHECK_EQ_INT(l.v[from + 1].sig, SIGSTOP);
	CHECK_EQ_STR(kname(l.v[from + 2].kind), kname(PTK_EV_GROUP_STOP));
	size_t c = must_find(&l, from, pid, PTK_EV_SIGNAL, -1);
	c = must_find(&l, c + 1, pid, PTK_EV_SIGNAL, -1);
	CHECK_EQ_INT(l.v[c].sig, SIGCONT);
	size_t r = must_find(&l, from, pid, PTK_EV_SYSCALL_ENTER, -1);
	CHECK(r > c);
	CHECK_EQ_INT(l.v[r].nr, NR_restart_syscall);
	CHECK_EQ_STR(kname(l.v[r + 1].kind), kname(PTK_EV_SYSCALL_EXIT));
	CHECK_EQ_INT(l.v[r + 1].rval, 0);
	lt_output_is(lt_finish(s, out), "sleeping\nslept 0\n");
	log_free(&l);
}

/*
 * A signal the tracer suppresses during clock_nanosleep: the sleep is
 * resumed through restart_syscall and the program never sees the signal
 * (SIGUSR1 would kill it).
 */
TEST(restart_syscall_after_suppressed_signal)
{
	struct log l = {0};
	pid_t pid;
	int out;
	struct ptk_session *s = in_sleep(&l, &pid, &out);
	size_t from = l.n;
	CHECK(kill(pid, SIGUSR1) == 0);
	struct ptk_event ev;
	lt_next(s, &ev);
	log_push(&l, &ev);
	CHECK_EQ_STR(kname(ev.kind), kname(PTK_EV_SYSCALL_EXIT));
	CHECK_EQ_INT(ev.sc.rval, -LT_ERESTART_RESTARTBLOCK);
	lt_resume_expect(s, pid, PTK_RESUME_SYSCALL, PTK_EV_SIGNAL, &ev);
	log_push(&l, &ev);
	CHECK_EQ_INT(ev.sig, SIGUSR1);
	CHECK_EQ_INT(ev.si.si_signo, SIGUSR1);
	CHECK_EQ_INT(ev.si.si_code, SI_USER);
	CHECK_EQ_INT(ev.si.si_pid, getpid());
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0)); /* suppressed */
	lt_run(s, PTK_RESUME_SYSCALL, &l, NULL, NULL, 0);
	log_dump(&l, 300);
	CHECK_EQ_STR(kname(l.v[from + 2].kind), kname(PTK_EV_SYSCALL_ENTER));
	CHECK_EQ_INT(l.v[from + 2].nr, NR_restart_syscall);
	CHECK_EQ_STR(kname(l.v[from + 3].kind), kname(PTK_EV_SYSCALL_EXIT));
	CHECK_EQ_INT(l.v[from + 3].rval, 0);
	log_ends_with_exit(&l, 0, 0);
	lt_output_is(lt_finish(s, out), "sleeping\nslept 0\n");
	log_free(&l);
}

/*
 * PTK_TRACE_EXIT: a PTRACE_EVENT_EXIT stop before the death, its event
 * message the wait status the process will have (exit 3; then killed by
 * SIGTERM).
 */
TEST(trace_exit_event_before_death)
{
	char *argv[] = {(char *)th_tracee("hello"), "3", NULL};
	pid_t pid;
	int out;
	struct ptk_session *s = lt_start(PTK_TRACE_EXIT, argv, &pid, &out);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	struct log l = {0};
	lt_run(s, PTK_RESUME_CONT, &l, NULL, NULL, 0);
	log_dump(&l, 20);
	CHECK_EQ_INT(l.n, 3);
	CHECK_EQ_STR(kname(l.v[0].kind), kname(PTK_EV_EXEC));
	CHECK_EQ_STR(kname(l.v[1].kind), kname(PTK_EV_EXIT));
	CHECK_EQ_INT(l.v[1].tid, pid);
	CHECK(WIFEXITED((int)l.v[1].msg) && WEXITSTATUS((int)l.v[1].msg) == 3);
	CHECK_EQ_STR(kname(l.v[2].kind), kname(PTK_EV_EXITED));
	CHECK_EQ_INT(l.v[2].exit_code, 3);
	free(lt_slurp(out, 5000));
	log_free(&l);

	/* killed by SIGTERM while blocked in read */
	pid = lt_spawn_blocked_in_read(s, &out);
	CHECK(kill(pid, SIGTERM) == 0);
	struct ptk_event ev;
	lt_next(s, &ev);
	CHECK_EQ_STR(kname(ev.kind), kname(PTK_EV_SIGNAL));
	CHECK_EQ_INT(ev.sig, SIGTERM);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, SIGTERM));
	lt_next(s, &ev);
	CHECK_EQ_STR(kname(ev.kind), kname(PTK_EV_EXIT));
	CHECK(WIFSIGNALED((int)ev.msg) && WTERMSIG((int)ev.msg) == SIGTERM);
	lt_resume_expect(s, pid, PTK_RESUME_CONT, PTK_EV_KILLED, &ev);
	CHECK_EQ_INT(ev.sig, SIGTERM);
	CHECK(!ev.core_dumped);
	CHECK(ev.process_gone);
	free(lt_finish(s, out));
}

struct obs_count {
	size_t requests, waits, syscall_info, unnamed;
	size_t resumes;
};

static void count_obs(void *arg, const struct ptk_obs *o)
{
	struct obs_count *c = arg;
	if (o->kind == PTK_OBS_WAIT) {
		c->waits++;
		return;
	}
	c->requests++;
	if (!ptk_request_name(o->request))
		c->unnamed++;
	const char *n = ptk_request_name(o->request);
	if (n && strcmp(n, "PTRACE_GET_SYSCALL_INFO") == 0)
		c->syscall_info++;
	if (n && (strcmp(n, "PTRACE_SYSCALL") == 0 || strcmp(n, "PTRACE_CONT") == 0))
		c->resumes++;
}

/*
 * The cost contract: one PTRACE_GET_SYSCALL_INFO per syscall stop and one
 * resume per event; the observer sees every request and wait, in step
 * with ptk_stats.
 */
TEST(one_syscall_info_per_syscall_stop)
{
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	struct obs_count c = {0};
	ptk_set_observer(s, count_obs, &c);
	char *argv[] = {(char *)th_tracee("hello"), NULL};
	pid_t pid;
	int out;
	CHECK_OK(lt_spawn(s, argv, 0, &pid, &out));
	struct ptk_stats st0;
	ptk_stats_get(s, &st0);
	struct obs_count c0 = c;
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0));
	struct log l = {0};
	lt_run(s, PTK_RESUME_SYSCALL, &l, NULL, NULL, 0);
	struct ptk_stats st1;
	ptk_stats_get(s, &st1);
	size_t sc = log_count(&l, 0, PTK_EV_SYSCALL_ENTER) + log_count(&l, 0, PTK_EV_SYSCALL_EXIT);
	CHECK(sc > 10);
	CHECK_EQ_INT(c.syscall_info - c0.syscall_info, sc);
	/* every event but the last (the death) was resumed once, plus the first resume */
	CHECK_EQ_INT(c.resumes - c0.resumes, l.n);
	CHECK_EQ_INT(st1.resumes - st0.resumes, l.n);
	CHECK_EQ_INT(st1.stops - st0.stops, l.n - 1);
	CHECK_EQ_INT(c.requests, st1.ptrace_calls);
	CHECK_EQ_INT(c.unnamed, 0);
	CHECK_EQ_INT(c.waits - c0.waits, st1.waits - st0.waits);
	CHECK_EQ_INT(st1.waits - st0.waits, l.n);
	free(lt_finish(s, out));
	log_free(&l);
}

/*
 * One wait4 per stop while one tracee runs and another waits: a shell
 * blocked in wait4 for its child is not asked after every stop of the
 * child whether it has a result too (a WNOHANG wait4 that finds nothing);
 * collect() drains only now and then when drains keep finding nothing.
 * Draining after every result made about one empty wait per stop of the
 * child, most of the run's stops.
 */
TEST(few_empty_waits_while_one_of_two_runs)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "%s; %s", th_tracee("hello"), th_tracee("hello"));
	char *argv[] = {(char *)"/bin/sh", (char *)"-c", cmd, NULL};
	pid_t pid;
	int out;
	struct ptk_session *s = lt_start(PTK_FOLLOW, argv, &pid, &out);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0));
	struct log l = {0};
	lt_run(s, PTK_RESUME_SYSCALL, &l, NULL, NULL, 0);
	struct ptk_stats st;
	ptk_stats_get(s, &st);
	CHECK(st.stops > 100);
	CHECK_MSG(st.empty_waits * 4 <= st.stops, "%llu empty waits for %llu stops",
	          (unsigned long long)st.empty_waits, (unsigned long long)st.stops);
	char *o = lt_finish(s, out);
	CHECK_EQ_STR(o, "hello\nhello\n");
	free(o);
	log_free(&l);
}

/*
 * Waiting polls before it sleeps (ptk_set_wait_spin), and that changes no
 * event: a lone thread traced by syscalls gives the same events, in the
 * same order, with polling on and off (the default); with it on, polling
 * answers waits, with it off there is not one poll.
 */
static void spin_run(unsigned spin_us, bool set, struct log *l, struct ptk_stats *st)
{
	char *argv[] = {(char *)th_tracee("hello"), NULL};
	pid_t pid;
	int out;
	struct ptk_session *s = lt_start(0, argv, &pid, &out);
	if (set)
		ptk_set_wait_spin(s, spin_us);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0));
	lt_run(s, PTK_RESUME_SYSCALL, l, NULL, NULL, 0);
	ptk_stats_get(s, st);
	lt_output_is(lt_finish(s, out), "hello\n");
}

TEST(wait_polling_changes_no_event)
{
	struct log on = {0}, off = {0};
	struct ptk_stats st_on, st_off;
	spin_run(PTK_WAIT_SPIN_DEFAULT_US, true, &on, &st_on);
	spin_run(0, false, &off, &st_off);
	CHECK(on.n > 20);
	CHECK_EQ_INT(on.n, off.n);
	for (size_t i = 0; i < on.n && i < off.n; i++) {
		CHECK_MSG(on.v[i].kind == off.v[i].kind && on.v[i].nr == off.v[i].nr,
		          "event %zu: %s %ld with polling, %s %ld without", i, kname(on.v[i].kind),
		          on.v[i].nr, kname(off.v[i].kind), off.v[i].nr);
	}
	/* the first wait polls (nothing yet says the thread is slow): a hit or a poll */
	CHECK(st_on.spin_hits + st_on.spin_polls > 0);
	CHECK(st_on.spin_hits <= st_on.waits);
	CHECK_EQ_INT(st_off.spin_hits, 0);
	CHECK_EQ_INT(st_off.spin_polls, 0);
	CHECK_EQ_INT(st_on.stops, st_off.stops);
	CHECK_EQ_INT(st_on.ptrace_calls, st_off.ptrace_calls);
	log_free(&on);
	log_free(&off);
}

/* Whether a wait between the two stats snapshots polled (a poll that found nothing, or a hit). */
static bool polled_since(const struct ptk_stats *now, const struct ptk_stats *last)
{
	return now->spin_polls != last->spin_polls || now->spin_hits != last->spin_hits;
}

/*
 * No polling while the session has more than one thread: a CPU that ptk
 * keeps busy is one the scheduler does not wake the other threads on.
 * Every wait made while two or more threads were traced leaves the poll
 * counters as they were.
 */
struct spin_threads {
	int threads; /* traced threads while the wait for this event ran */
	struct ptk_stats last;
	int checked;
};

static bool spin_threads_hook(struct ptk_session *s, const struct ptk_event *ev, void *arg)
{
	struct spin_threads *c = arg;
	struct ptk_stats st;
	ptk_stats_get(s, &st);
	if (c->threads >= 2) {
		CHECK_MSG(!polled_since(&st, &c->last), "a wait with %d threads polled (%s of %d)",
		          c->threads, kname(ev->kind), ev->tid);
		c->checked++;
	}
	c->last = st;
	if (ev->kind == PTK_EV_CLONE)
		c->threads++;
	else if (ev->kind == PTK_EV_EXITED || ev->kind == PTK_EV_KILLED)
		c->threads--;
	return false;
}

TEST(no_wait_polling_with_two_threads)
{
	char *argv[] = {(char *)th_tracee("getppid_threads"), (char *)"2", (char *)"50", NULL};
	pid_t pid;
	int out;
	struct ptk_session *s = lt_start(PTK_FOLLOW, argv, &pid, &out);
	ptk_set_wait_spin(s, PTK_WAIT_SPIN_DEFAULT_US);
	struct spin_threads c = {.threads = 1};
	ptk_stats_get(s, &c.last);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0));
	lt_run(s, PTK_RESUME_SYSCALL, NULL, spin_threads_hook, &c, 0);
	CHECK(c.checked > 200);
	lt_output_is(lt_finish(s, out), "threads=2 calls=100 bad=0\n");
}

/*
 * The polling history is kept per syscall (and per kind of stop): a
 * nanosleep of 20 ms, once seen to outlast the polling, is waited for
 * without polling from then on, while the getppid calls between the naps
 * keep their own history.  One history for all made every wait after a
 * fast stop poll in vain when the next one was slow.
 */
struct spin_naps {
	struct ptk_stats last;
	int naps;        /* nanosleep exit stops seen */
	int naps_polled; /* ... of which the wait polled */
	long entered;    /* the syscall of the last enter stop (exit stops do not say) */
};

static bool spin_naps_hook(struct ptk_session *s, const struct ptk_event *ev, void *arg)
{
	struct spin_naps *c = arg;
	struct ptk_stats st;
	ptk_stats_get(s, &st);
	if (ev->kind == PTK_EV_SYSCALL_ENTER)
		c->entered = ev->sc.nr;
	if (ev->kind == PTK_EV_SYSCALL_EXIT && c->entered == NR_nanosleep) {
		bool polled = polled_since(&st, &c->last);
		CHECK_MSG(!polled || c->naps == 0, "nap %d: %llu polls, %llu hits", c->naps + 1,
		          (unsigned long long)(st.spin_polls - c->last.spin_polls),
		          (unsigned long long)(st.spin_hits - c->last.spin_hits));
		c->naps_polled += polled;
		c->naps++;
	}
	c->last = st;
	return false;
}

TEST(wait_polling_history_per_syscall)
{
	char *argv[] = {(char *)th_tracee("trace_mix"), (char *)"naps", (char *)"5", NULL};
	pid_t pid;
	int out;
	struct ptk_session *s = lt_start(0, argv, &pid, &out);
	ptk_set_wait_spin(s, PTK_WAIT_SPIN_DEFAULT_US);
	struct spin_naps c = {0};
	ptk_stats_get(s, &c.last);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0));
	lt_run(s, PTK_RESUME_SYSCALL, NULL, spin_naps_hook, &c, 0);
	CHECK_EQ_INT(c.naps, 5);
	/* the first nap polled: nothing said nanosleep was slow yet */
	CHECK_EQ_INT(c.naps_polled, 1);
	lt_output_is(lt_finish(s, out), "naps 5\n");
}

/*
 * A signal during the polling ends the wait with -EINTR when its handler
 * calls ptk_wait_wake(): a WNOHANG wait4 is never interrupted, so without
 * the wake the handler's run would go unnoticed until the polling ends.
 * Polling 5 s for a thread blocked in read(2), SIGUSR1 every 100 ms: the
 * first one ends the wait (without the wake, some fifty would come first).
 */
static volatile sig_atomic_t wake_sigs;

static void wake_on_usr1(int sig)
{
	(void)sig;
	wake_sigs++;
	ptk_wait_wake();
}

TEST(wait_wake_ends_the_polling)
{
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	int out;
	pid_t pid = lt_spawn_blocked_in_read(s, &out);
	ptk_set_wait_spin(s, 5000000);
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = wake_on_usr1; /* no SA_RESTART */
	sigaction(SIGUSR1, &sa, &old);
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = SIGUSR1;
	timer_t tm;
	CHECK(timer_create(CLOCK_MONOTONIC, &sev, &tm) == 0);
	struct itimerspec its = {{0, 100000000}, {0, 100000000}};
	CHECK(timer_settime(tm, 0, &its, NULL) == 0);
	struct ptk_event ev;
	int r = ptk_wait(s, &ev, 0);
	timer_delete(tm);
	sigaction(SIGUSR1, &old, NULL);
	CHECK_EQ_INT(r, -EINTR);
	CHECK_EQ_INT(wake_sigs, 1);
	struct ptk_stats st;
	ptk_stats_get(s, &st);
	CHECK(st.spin_polls > 0);
	/* the wake was taken: the next wait is an ordinary one */
	CHECK_EQ_INT(ptk_wait(s, &ev, PTK_WAIT_NOHANG), -EAGAIN);
	/* a wake with no wait in progress ends the next one at once */
	ptk_wait_wake();
	CHECK_EQ_INT(ptk_wait(s, &ev, 0), -EINTR);
	CHECK(kill(pid, SIGKILL) == 0);
	free(lt_finish(s, out));
}

/* Every event kind has its own name. */
TEST(event_names)
{
	for (int k = 0; k < PTK_EV__COUNT; k++)
		for (int j = k + 1; j < PTK_EV__COUNT; j++)
			CHECK_MSG(strcmp(ptk_event_name(k), ptk_event_name(j)) != 0,
			          "kinds %d and %d share the name %s", k, j, ptk_event_name(k));
	CHECK_EQ_STR(ptk_event_name(PTK_EV__COUNT), "unknown");
	CHECK_EQ_STR(ptk_event_name(PTK_EV_SYSCALL_ENTER), "syscall-enter-stop");
}
