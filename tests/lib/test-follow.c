/* SPDX-License-Identifier: MIT */
/*
 * Children: vfork, fork and clone children auto-attached with PTK_FOLLOW,
 * a thousand short-lived forks, CLONE_UNTRACED children never traced,
 * CLONE_PTRACE children let go without PTK_FOLLOW, nested ptrace, and
 * what ptk_session_end() does to spawned and attached tracees.
 */
#include "lt.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* A new process's first event: PTRACE_EVENT_STOP, a new tracee, its parent. */
static void check_new_process(const struct log *l, size_t fork_at, pid_t child, pid_t parent)
{
	long f = log_first(l, child);
	CHECK_MSG(f > (long)fork_at, "child %d: first event %ld, fork event %zu", child, f,
	          fork_at);
	CHECK_EQ_STR(kname(l->v[f].kind), kname(PTK_EV_STOP));
	CHECK(l->v[f].new_tracee);
	CHECK(!l->v[f].new_thread);
	CHECK_EQ_INT(l->v[f].pid, child);
	CHECK_EQ_INT(l->v[f].ppid, parent);
}

/*
 * vfork children (one execs, one _exits): a vfork event with the child's
 * pid, the child's first stop, its exec or its exit, vfork-done in the
 * parent; output and status as untraced.
 */
TEST(vfork_children_followed)
{
	char *argv[] = {(char *)th_tracee("vfork"), NULL};
	const char *want = "hello\nfrom vfork\nexec child exited 7\nexit child exited 5\n";
	lt_untraced_is(argv, want, 0);
	struct log l = {0};
	pid_t pid =
	        lt_trace_expect(argv, PTK_FOLLOW | PTK_TRACE_VFORK_DONE, PTK_RESUME_CONT, &l, want);
	long v1 = log_find(&l, 0, pid, PTK_EV_VFORK, -1);
	CHECK(v1 >= 0);
	pid_t c1 = l.v[v1].new_tid;
	check_new_process(&l, (size_t)v1, c1, pid);
	long x1 = log_find(&l, 0, c1, PTK_EV_EXEC, -1);
	CHECK(x1 > v1);
	CHECK_EQ_INT(l.v[x1].former_tid, c1);
	CHECK_EQ_INT(l.v[x1].pid, c1);
	long d1 = log_find(&l, 0, c1, PTK_EV_EXITED, -1);
	CHECK(d1 > x1);
	CHECK_EQ_INT(l.v[d1].exit_code, 7);
	CHECK(l.v[d1].process_gone);
	long vd1 = log_find(&l, (size_t)v1, pid, PTK_EV_VFORK_DONE, -1);
	CHECK(vd1 > v1);
	CHECK_EQ_INT(l.v[vd1].new_tid, c1);

	long v2 = log_find(&l, (size_t)vd1, pid, PTK_EV_VFORK, -1);
	CHECK(v2 > vd1);
	pid_t c2 = l.v[v2].new_tid;
	CHECK(c2 != c1);
	check_new_process(&l, (size_t)v2, c2, pid);
	long d2 = log_find(&l, 0, c2, PTK_EV_EXITED, -1);
	CHECK(d2 > v2);
	CHECK_EQ_INT(l.v[d2].exit_code, 5);
	long vd2 = log_find(&l, (size_t)v2, pid, PTK_EV_VFORK_DONE, -1);
	CHECK(vd2 > v2);
	CHECK_EQ_INT(l.v[vd2].new_tid, c2);
	CHECK_EQ_INT(log_count(&l, pid, PTK_EV_VFORK), 2);
	CHECK_EQ_INT(log_count(&l, pid, PTK_EV_VFORK_DONE), 2);
	log_ends_with_exit(&l, pid, 0);
	log_free(&l);
}

/* Without PTK_TRACE_VFORK_DONE there is no vfork-done event. */
TEST(vfork_done_only_when_asked)
{
	char *argv[] = {(char *)th_tracee("vfork"), NULL};
	struct log l = {0};
	pid_t pid =
	        lt_trace_expect(argv, PTK_FOLLOW, PTK_RESUME_CONT, &l,
	                        "hello\nfrom vfork\nexec child exited 7\nexit child exited 5\n");
	CHECK_EQ_INT(log_count(&l, pid, PTK_EV_VFORK), 2);
	CHECK_EQ_INT(log_count(&l, 0, PTK_EV_VFORK_DONE), 0);
	log_free(&l);
}

/*
 * A thousand children that exit at once: every one has a fork event, a
 * first stop as a new process (after its fork event), one death with its
 * status; the statuses sum as the parent prints.
 */
TEST(thousand_forks_all_accounted_for)
{
	char *argv[] = {(char *)th_tracee("forks"), "1000", NULL};
	const char *want = "forked=1000 reaped=1000 sum=3500\n";
	struct log l = {0};
	pid_t pid = lt_trace_expect(argv, PTK_FOLLOW, PTK_RESUME_CONT, &l, want);
	/* index events by child: fork event, first stop, death */
	size_t nforks = 0;
	long sum = 0;
	for (size_t i = 0; i < l.n; i++) {
		const struct rec *r = &l.v[i];
		if (r->kind == PTK_EV_FORK) {
			CHECK_EQ_INT(r->tid, pid);
			nforks++;
		} else if (r->kind == PTK_EV_EXITED && r->tid != pid) {
			CHECK(r->process_gone);
			sum += r->exit_code;
		}
	}
	CHECK_EQ_INT(nforks, 1000);
	CHECK_EQ_INT(sum, 3500);
	/* per child, in order: fork event < first stop < death, each once */
	pid_t *kids = calloc(1000, sizeof *kids);
	size_t k = 0;
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].kind == PTK_EV_FORK)
			kids[k++] = l.v[i].new_tid;
	for (size_t i = 0; i < 1000; i++)
		for (size_t j = i + 1; j < 1000; j++)
			CHECK_MSG(kids[i] != kids[j], "child %d forked twice", kids[i]);
	size_t fi = 0;
	for (size_t i = 0; i < l.n; i++) {
		if (l.v[i].kind != PTK_EV_FORK)
			continue;
		pid_t c = l.v[i].new_tid;
		CHECK_EQ_INT(kids[fi++], c);
		long st = -1, d = -1;
		size_t nst = 0, nd = 0;
		for (size_t j = 0; j < l.n; j++) {
			if (l.v[j].tid != c)
				continue;
			if (l.v[j].kind == PTK_EV_STOP) {
				nst++;
				st = (long)j;
			} else if (l.v[j].kind == PTK_EV_EXITED || l.v[j].kind == PTK_EV_KILLED) {
				nd++;
				d = (long)j;
			} else {
				th_fail(__FILE__, __LINE__, "child %d: unexpected %s", c,
				        kname(l.v[j].kind));
			}
		}
		CHECK_MSG(nst == 1 && nd == 1, "child %d: %zu first stops, %zu deaths", c, nst, nd);
		CHECK_MSG((long)i < st && st < d, "child %d: fork %zu, stop %ld, death %ld", c, i,
		          st, d);
		CHECK(l.v[st].new_tracee);
		CHECK_EQ_INT(l.v[st].ppid, pid);
	}
	free(kids);
	log_ends_with_exit(&l, pid, 0);
	log_free(&l);
}

/* pid's clone(2), with flag among its flags, returned a child's pid. */
static void clone_made_a_child(const struct log *l, pid_t pid, unsigned long flag)
{
	long c = log_find(l, 0, pid, PTK_EV_SYSCALL_ENTER, NR_clone);
	CHECK(c >= 0);
	CHECK(l->v[c].args[0] & flag);
	CHECK_EQ_STR(kname(l->v[c + 1].kind), kname(PTK_EV_SYSCALL_EXIT));
	CHECK(l->v[c + 1].rval > 0);
}

/* A CLONE_UNTRACED child is never traced: no event, no stop, TracerPid 0. */
TEST(clone_untraced_child_not_traced)
{
	char *argv[] = {(char *)th_tracee("clone_untraced"), NULL};
	const char *want = "child TracerPid: 0\nchild exited 0\n";
	lt_untraced_is(argv, want, 0);
	struct log l = {0};
	pid_t pid = lt_trace_expect(argv, PTK_FOLLOW, PTK_RESUME_SYSCALL, &l, want);
	CHECK_EQ_INT(log_count(&l, 0, PTK_EV_FORK), 0);
	CHECK_EQ_INT(log_count(&l, 0, PTK_EV_CLONE), 0);
	CHECK_EQ_INT(log_count(&l, 0, PTK_EV_VFORK), 0);
	log_all_of(&l, pid);
	clone_made_a_child(&l, pid, CLONE_UNTRACED);
	log_free(&l);
}

/*
 * CLONE_PTRACE without PTK_FOLLOW: the kernel makes the child a tracee of
 * ours anyway; ptk lets it go at its first stop, reports nothing for it,
 * and it runs normally (its TracerPid is 0 by the time it looks).
 */
TEST(clone_ptrace_child_detached_without_follow)
{
	char *argv[] = {(char *)th_tracee("clone_ptrace"), "show", NULL};
	const char *want = "child ran\nchild TracerPid: 0\nchild exited 0\n";
	lt_untraced_is(argv, want, 0);
	struct log l = {0};
	pid_t pid = lt_trace_expect(argv, 0, PTK_RESUME_SYSCALL, &l, want);
	log_all_of(&l, pid);
	clone_made_a_child(&l, pid, CLONE_PTRACE);
	log_ends_with_exit(&l, 0, 0);
	log_free(&l);
}

/* With PTK_FOLLOW, a CLONE_PTRACE child is followed like any fork child. */
TEST(clone_ptrace_child_followed)
{
	char *argv[] = {(char *)th_tracee("clone_ptrace"), NULL};
	const char *want = "child ran\nchild exited 0\n";
	lt_untraced_is(argv, want, 0);
	struct log l = {0};
	pid_t pid = lt_trace_expect(argv, PTK_FOLLOW, PTK_RESUME_SYSCALL, &l, want);
	long f = log_find(&l, 0, pid, PTK_EV_FORK, -1);
	CHECK(f >= 0);
	pid_t c = l.v[f].new_tid;
	check_new_process(&l, (size_t)f, c, pid);
	long d = log_find(&l, 0, c, PTK_EV_EXITED, -1);
	CHECK(d > f);
	CHECK_EQ_INT(l.v[d].exit_code, 0);
	CHECK_EQ_INT(log_count(&l, c, PTK_EV_STOP), 1);
	log_free(&l);
}

/* A tracee that is itself a tracer works when ptk does not follow its children. */
TEST(nested_ptrace_without_follow)
{
	char *argv[] = {(char *)th_tracee("nested"), NULL};
	const char *want = "child stopped by 19\nsyscall stops=3\nchild exited 0\n";
	lt_untraced_is(argv, want, 0);
	struct log l = {0};
	lt_trace_expect(argv, 0, PTK_RESUME_SYSCALL, &l, want);
	log_free(&l);
}

/*
 * Following its children, ptk is already the child's tracer: the child's
 * PTRACE_TRACEME fails with EPERM (inherent) and nothing hangs.
 */
TEST(nested_ptrace_with_follow_gets_eperm)
{
	char *argv[] = {(char *)th_tracee("nested"), NULL};
	struct log l = {0};
	pid_t pid =
	        lt_trace_expect(argv, PTK_FOLLOW, PTK_RESUME_SYSCALL, &l,
	                        "child: PTRACE_TRACEME: EPERM\nchild exited 3 without stopping\n");
	log_ends_with_exit(&l, pid, -1);
	log_free(&l);
}

/* ---- ending a session ---- */

/* Spawned tracees (running or stopped) are killed and reaped: none is left. */
TEST(session_end_kills_spawned)
{
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	int out1, out2;
	pid_t a = lt_spawn_blocked_in_read(s, &out1);
	/* the second one stays stopped at a syscall stop */
	char *argv[] = {(char *)th_tracee("hello"), NULL};
	pid_t b;
	CHECK_OK(lt_spawn(s, argv, 0, &b, &out2));
	struct ptk_event ev;
	lt_resume_expect(s, b, PTK_RESUME_SYSCALL, PTK_EV_SYSCALL_ENTER, &ev);
	CHECK_EQ_INT(ev.tid, b);
	ptk_session_end(s, false, 2000);
	CHECK_MSG(!lt_exists(a), "spawned tracee %d left (state %c)", a, lt_state(a));
	CHECK_MSG(!lt_exists(b), "spawned tracee %d left (state %c)", b, lt_state(b));
	int st;
	CHECK(waitpid(-1, &st, WNOHANG | __WALL) < 0 && errno == ECHILD);
	free(lt_slurp(out1, 5000));
	lt_output_is(lt_slurp(out2, 5000), "");
}

/* keep_spawned: the spawned tracee is detached and runs on. */
TEST(session_end_keep_spawned_detaches)
{
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	int out;
	pid_t a = lt_spawn_blocked_in_read(s, &out);
	ptk_session_end(s, true, 2000);
	bool sleeping = lt_wait_state(a, "S", 5000);
	char st = lt_state(a);
	long tracer = lt_status_field(a, "TracerPid");
	lt_kill_reap(a);
	free(lt_slurp(out, 5000));
	CHECK_MSG(sleeping, "state %c", st);
	CHECK_EQ_INT(tracer, 0);
}

/* Attached tracees are detached and run on (they still answer). */
TEST(session_end_detaches_attached)
{
	char *argv[] = {(char *)th_tracee("answer"), NULL};
	int in, out;
	pid_t pid = lt_popen_ready(argv, &in, &out, NULL);
	CHECK(lt_wait_syscall(pid, NR_read, 10000));
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	CHECK_OK(ptk_attach(s, pid, 0, NULL));
	struct ptk_event ev;
	lt_next(s, &ev);
	CHECK_EQ_STR(kname(ev.kind), kname(PTK_EV_STOP));
	lt_resume_expect(s, pid, PTK_RESUME_SYSCALL, PTK_EV_SYSCALL_ENTER, &ev);
	/* left stopped at the enter stop of its read */
	ptk_session_end(s, false, 2000);
	CHECK_EQ_INT(lt_status_field(pid, "TracerPid"), 0);
	CHECK(write(in, "still here\n", 11) == 11);
	char line[256];
	CHECK(lt_read_line(out, line, sizeof line, 5000));
	CHECK_EQ_STR(line, "got still here");
	CHECK(lt_wait_state(pid, "S", 5000));
	lt_close_and_reap(pid, in, out, 0);
}
