/* SPDX-License-Identifier: MIT */
/*
 * Signals: signal-delivery-stop vs group-stop, job control under trace,
 * injection only at signal-delivery-stops, suppression, the tracee's own
 * SIGTRAPs, a SIGTSTP handler, signals blocked then unblocked.
 */
#include "lt.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* The last event is the process's exit (of pid, if pid > 0) with code. */
static void ends_with_exit(const struct log *l, pid_t pid, int code)
{
	CHECK(log_ends_with_exit(l, pid, code)->process_gone);
}

/*
 * raise(SIGSTOP): a signal-delivery-stop first; delivered, a group-stop;
 * resumed, the process stays stopped until SIGCONT, then runs on.
 */
TEST(sigstop_is_signal_then_group_stop_and_stays_stopped)
{
	char *argv[] = {(char *)th_tracee("group_stop"), "self", NULL};
	pid_t pid;
	int out;
	struct ptk_session *s = lt_start(0, argv, &pid, &out);
	struct ptk_event ev;
	lt_resume_expect(s, pid, PTK_RESUME_CONT, PTK_EV_EXEC, &ev);
	lt_resume_expect(s, pid, PTK_RESUME_CONT, PTK_EV_SIGNAL, &ev);
	CHECK_EQ_INT(ev.sig, SIGSTOP);
	CHECK_EQ_INT(ev.si.si_signo, SIGSTOP);
	CHECK_EQ_INT(ev.si.si_code, SI_TKILL);
	CHECK_EQ_INT(ev.si.si_pid, pid);
	char line[256];
	CHECK(lt_read_line(out, line, sizeof line, 5000));
	CHECK_EQ_STR(line, "stopping");
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, SIGSTOP));
	lt_next(s, &ev);
	CHECK_EQ_STR(kname(ev.kind), kname(PTK_EV_GROUP_STOP));
	CHECK_EQ_INT(ev.tid, pid);
	CHECK_EQ_INT(ev.sig, SIGSTOP);
	CHECK(!ev.attach_stop);
	/* A signal cannot be injected from a group-stop. */
	CHECK_EQ_INT(ptk_resume(s, pid, PTK_RESUME_CONT, SIGUSR1), -EINVAL);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	/* Resumed, it is still stopped: not running, nothing printed. */
	char st = lt_state(pid);
	CHECK_MSG(st == 't' || st == 'T', "state %c after resuming the group-stop", st);
	CHECK_EQ_INT(ptk_wait(s, &ev, PTK_WAIT_NOHANG), -EAGAIN);
	CHECK(!lt_readable(out));
	st = lt_state(pid);
	CHECK_MSG(st == 't' || st == 'T', "state %c after resuming the group-stop", st);
	CHECK(kill(pid, SIGCONT) == 0);
	struct log l = {0};
	lt_run(s, PTK_RESUME_CONT, &l, NULL, NULL, 0);
	log_dump(&l, 100);
	/* SIGCONT reaches the tracee as a signal-delivery-stop. */
	long c = log_find(&l, 0, pid, PTK_EV_SIGNAL, -1);
	CHECK(c >= 0);
	CHECK_EQ_INT(l.v[c].sig, SIGCONT);
	CHECK_EQ_INT(log_count(&l, pid, PTK_EV_GROUP_STOP), 0);
	ends_with_exit(&l, pid, 0);
	lt_output_is(lt_finish(s, out), "continued\n");
	log_free(&l);
}

/*
 * Job control under trace: children that stop themselves with SIGSTOP and
 * SIGTSTP are seen stopped and then continued by their (traced) parent,
 * exactly as untraced; each stop is a signal-delivery-stop then a
 * group-stop of the child.
 */
TEST(job_control_under_trace)
{
	char *argv[] = {(char *)th_tracee("group_stop"), NULL};
	const char *want = "child stopped by 19\nchild continued\nchild exited 0\n"
	                   "child stopped by 20\nchild continued\nchild exited 0\n";
	lt_untraced_is(argv, want, 0);
	struct log l = {0};
	pid_t pid = lt_trace_expect(argv, PTK_FOLLOW, PTK_RESUME_CONT, &l, want);
	ends_with_exit(&l, pid, 0);
	size_t forks = 0;
	int sigs[2] = {SIGSTOP, SIGTSTP};
	for (size_t i = 0; i < l.n; i++) {
		if (l.v[i].kind != PTK_EV_FORK)
			continue;
		CHECK(forks < 2);
		pid_t c = l.v[i].new_tid;
		long a = log_find(&l, i, c, PTK_EV_SIGNAL, -1);
		CHECK(a >= 0);
		CHECK_EQ_INT(l.v[a].sig, sigs[forks]);
		long g = log_find(&l, (size_t)a, c, PTK_EV_GROUP_STOP, -1);
		CHECK(g > a);
		CHECK_EQ_INT(l.v[g].sig, sigs[forks]);
		CHECK_EQ_INT(log_count(&l, c, PTK_EV_GROUP_STOP), 1);
		long x = log_find(&l, (size_t)g, c, PTK_EV_EXITED, -1);
		CHECK(x > g);
		CHECK_EQ_INT(l.v[x].exit_code, 0);
		forks++;
	}
	CHECK_EQ_INT(forks, 2);
	log_free(&l);
}

/* A SIGTSTP handler runs under trace; no group-stop happens. */
TEST(sigtstp_handler_runs)
{
	char *argv[] = {(char *)th_tracee("sigtstp"), NULL};
	lt_untraced_is(argv, "tstp handled=2\n", 0);
	struct log l = {0};
	lt_trace_expect(argv, 0, PTK_RESUME_SYSCALL, &l, "tstp handled=2\n");
	CHECK_EQ_INT(log_count(&l, 0, PTK_EV_SIGNAL), 2);
	CHECK_EQ_INT(log_count(&l, 0, PTK_EV_GROUP_STOP), 0);
	long a = log_find(&l, 0, 0, PTK_EV_SIGNAL, -1);
	CHECK_EQ_INT(l.v[a].sig, SIGTSTP);
	ends_with_exit(&l, 0, 0);
	log_free(&l);
}

/* Resuming with a signal from anything but a signal-delivery-stop: -EINVAL. */
TEST(signal_injection_only_at_signal_delivery_stop)
{
	char *argv[] = {(char *)th_tracee("hello"), NULL};
	pid_t pid;
	int out;
	struct ptk_session *s = lt_start(0, argv, &pid, &out);
	/* the spawn stop */
	CHECK_EQ_INT(ptk_resume(s, pid, PTK_RESUME_SYSCALL, SIGUSR1), -EINVAL);
	struct ptk_event ev;
	lt_resume_expect(s, pid, PTK_RESUME_SYSCALL, PTK_EV_SYSCALL_ENTER, &ev);
	CHECK_EQ_INT(ptk_resume(s, pid, PTK_RESUME_SYSCALL, SIGUSR1), -EINVAL);
	lt_resume_expect(s, pid, PTK_RESUME_SYSCALL, PTK_EV_EXEC, &ev);
	CHECK_EQ_INT(ptk_resume(s, pid, PTK_RESUME_SYSCALL, SIGTERM), -EINVAL);
	lt_resume_expect(s, pid, PTK_RESUME_SYSCALL, PTK_EV_SYSCALL_EXIT, &ev);
	CHECK_EQ_INT(ptk_resume(s, pid, PTK_RESUME_CONT, SIGKILL), -EINVAL);
	CHECK_EQ_INT(ptk_resume(s, pid, PTK_RESUME_CONT, 65), -EINVAL);
	CHECK_EQ_INT(ptk_resume(s, pid, PTK_RESUME_CONT, -1), -EINVAL);
	/* The refused resumes left it stopped: it is still ours to resume. */
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	CHECK_EQ_INT(ptk_resume(s, pid, PTK_RESUME_CONT, 0), -EBUSY);
	struct log l = {0};
	lt_run(s, PTK_RESUME_CONT, &l, NULL, NULL, 0);
	CHECK_EQ_INT(l.n, 1);
	ends_with_exit(&l, pid, 0);
	lt_output_is(lt_finish(s, out), "hello\n");
	log_free(&l);
}

struct sigplan {
	int at[4];   /* the signal to resume with at the Nth signal-delivery-stop */
	int seen[4]; /* the signal of the Nth signal-delivery-stop */
	int si_code[4];
	int n;
};

static bool plan_hook(struct ptk_session *s, const struct ptk_event *ev, void *arg)
{
	struct sigplan *p = arg;
	if (ev->kind != PTK_EV_SIGNAL)
		return false;
	CHECK(p->n < 4);
	p->seen[p->n] = ev->sig;
	p->si_code[p->n] = ev->si.si_code;
	CHECK_OK(ptk_resume(s, ev->tid, PTK_RESUME_SYSCALL, p->at[p->n]));
	p->n++;
	return true;
}

/* A signal suppressed at its signal-delivery-stop is never delivered. */
TEST(suppressed_signal_is_not_delivered)
{
	char *argv[] = {(char *)th_tracee("signals"), NULL};
	lt_untraced_is(argv, "got USR1\ngot USR1\ndone\n", 0);
	struct sigplan p = {.at = {0, SIGUSR1}};
	struct log l = {0};
	lt_output_is(lt_trace_all(argv, 0, PTK_RESUME_SYSCALL, &l, plan_hook, &p, NULL),
	             "got USR1\ndone\n");
	CHECK_EQ_INT(p.n, 2);
	CHECK_EQ_INT(p.seen[0], SIGUSR1);
	CHECK_EQ_INT(p.seen[1], SIGUSR1);
	CHECK_EQ_INT(p.si_code[0], SI_TKILL);
	ends_with_exit(&l, 0, 0);
	log_free(&l);
}

/* A different signal injected at a signal-delivery-stop is delivered instead. */
TEST(injected_signal_is_delivered)
{
	char *argv[] = {(char *)th_tracee("signals"), NULL};
	struct sigplan p = {.at = {SIGUSR2, SIGUSR1}};
	struct log l = {0};
	lt_output_is(lt_trace_all(argv, 0, PTK_RESUME_SYSCALL, &l, plan_hook, &p, NULL),
	             "got USR2\ngot USR1\ndone\n");
	/* The injected SIGUSR2 is delivered without a stop of its own. */
	CHECK_EQ_INT(p.n, 2);
	CHECK_EQ_INT(p.seen[1], SIGUSR1);
	ends_with_exit(&l, 0, 0);
	log_free(&l);
}

/*
 * The tracee's own SIGTRAPs (int3, raise, kill) are signal-delivery-stops
 * with their si_codes, are delivered, and the handler runs, as untraced;
 * the syscall stops (SIGTRAP|0x80) are never taken for them.
 */
static void own_sigtraps(enum ptk_resume_mode mode)
{
	char *argv[] = {(char *)th_tracee("sigtrap"), NULL};
	const char *want = "trap 1 code=kernel\ntrap 2 code=tkill\ntrap 3 code=user\nhits=3\n";
	lt_untraced_is(argv, want, 0);
	struct log l = {0};
	lt_trace_expect(argv, 0, mode, &l, want);
	int codes[3] = {SI_KERNEL, SI_TKILL, SI_USER};
	size_t k = 0;
	for (size_t i = 0; i < l.n; i++) {
		if (l.v[i].kind != PTK_EV_SIGNAL)
			continue;
		CHECK(k < 3);
		CHECK_EQ_INT(l.v[i].sig, SIGTRAP);
		CHECK_EQ_INT(l.v[i].si_code, codes[k]);
		k++;
	}
	CHECK_EQ_INT(k, 3);
	CHECK_EQ_INT(log_count(&l, 0, PTK_EV_BREAKPOINT), 0);
	CHECK_EQ_INT(log_count(&l, 0, PTK_EV_STEP), 0);
	ends_with_exit(&l, 0, 0);
	log_free(&l);
}

TEST(own_sigtraps_delivered_cont)
{
	own_sigtraps(PTK_RESUME_CONT);
}

TEST(own_sigtraps_delivered_syscall)
{
	own_sigtraps(PTK_RESUME_SYSCALL);
}

/*
 * A blocked signal makes no signal-delivery-stop; unblocked, it stops the
 * tracee right after the rt_sigprocmask that unblocked it.
 */
TEST(blocked_signal_stops_when_unblocked)
{
	char *argv[] = {(char *)th_tracee("sigblock"), NULL};
	const char *want = "pending=1 handled=0\nhandled=1\n";
	lt_untraced_is(argv, want, 0);
	struct log l = {0};
	pid_t pid = lt_trace_expect(argv, 0, PTK_RESUME_SYSCALL, &l, want);
	CHECK_EQ_INT(log_count(&l, pid, PTK_EV_SIGNAL), 1);
	long sig = log_find(&l, 0, pid, PTK_EV_SIGNAL, -1);
	CHECK_EQ_INT(l.v[sig].sig, SIGUSR1);
	long raise_at = log_find(&l, 0, pid, PTK_EV_SYSCALL_ENTER, NR_tgkill);
	CHECK(raise_at >= 0 && raise_at < sig);
	CHECK_EQ_INT(l.v[raise_at].args[2], SIGUSR1);
	/* The stop right before the signal is the exit of the unblocking call. */
	CHECK_EQ_STR(kname(l.v[sig - 1].kind), kname(PTK_EV_SYSCALL_EXIT));
	CHECK_EQ_STR(kname(l.v[sig - 2].kind), kname(PTK_EV_SYSCALL_ENTER));
	CHECK_EQ_INT(l.v[sig - 2].nr, NR_rt_sigprocmask);
	CHECK_EQ_INT(l.v[sig - 2].args[0], SIG_UNBLOCK);
	/* Between the raise and the unblock, the write of the first line. */
	long w = log_find(&l, (size_t)raise_at, pid, PTK_EV_SYSCALL_ENTER, NR_write);
	CHECK(w > raise_at && w < sig);
	ends_with_exit(&l, pid, 0);
	log_free(&l);
}
