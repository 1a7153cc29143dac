/* SPDX-License-Identifier: MIT */
/*
 * The tracee's own seccomp filter: its SECCOMP_RET_TRACE gives ENOSYS and
 * its SECCOMP_RET_ERRNO passes through, with and without
 * PTK_TRACE_SECCOMP, and next to ptk's own filter.  A CLONE_UNTRACED
 * child of it is never traced and gets ENOSYS too.
 */
#include "lt.h"

#include <errno.h>
#include <stdlib.h>

static const char want[] = "getppid: -1 ENOSYS\ngetuid: -1 EPERM\ngetpid: ok\nuname: ok\n"
                           "child getppid: -1 ENOSYS\nchild getuid: -1 EPERM\nchild exited 0\n";

static void untraced_ok(void)
{
	char *argv[] = {(char *)th_tracee("seccomp_own"), NULL};
	lt_untraced_is(argv, want, 0);
}

static char *run(unsigned flags, enum ptk_resume_mode mode, const uint8_t *set, size_t nr,
                 struct log *l, pid_t *ret_pid)
{
	char *argv[] = {(char *)th_tracee("seccomp_own"), NULL};
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, flags));
	struct ptk_spawn_opts o = {
	        .path = argv[0], .argv = argv, .seccomp_set = set, .seccomp_nr = nr};
	int out;
	CHECK_OK(lt_spawn_opts(s, &o, ret_pid, &out));
	return lt_run_to_end(s, *ret_pid, out, mode, l, NULL, NULL);
}

/* The enter stop of nr in the tracee after its exec, and what follows. */
static long after_exec(const struct log *l, pid_t pid, long nr)
{
	long x = log_find(l, 0, pid, PTK_EV_EXEC, -1);
	CHECK(x >= 0);
	return log_find(l, (size_t)x, pid, PTK_EV_SYSCALL_ENTER, nr);
}

/* Without PTRACE_O_TRACESECCOMP: RET_TRACE is ENOSYS, RET_ERRNO is EPERM. */
TEST(own_filter_without_trace_seccomp)
{
	untraced_ok();
	struct log l = {0};
	pid_t pid;
	char *o = run(0, PTK_RESUME_SYSCALL, NULL, 0, &l, &pid);
	lt_output_is(o, want);
	CHECK_EQ_INT(log_count(&l, 0, PTK_EV_SECCOMP), 0);
	long g = after_exec(&l, pid, NR_getppid);
	CHECK(g >= 0);
	CHECK_EQ_STR(kname(l.v[g + 1].kind), kname(PTK_EV_SYSCALL_EXIT));
	CHECK_EQ_INT(l.v[g + 1].rval, -ENOSYS);
	CHECK(l.v[g + 1].is_error);
	long u = after_exec(&l, pid, NR_getuid);
	CHECK(u > g);
	CHECK_EQ_STR(kname(l.v[u + 1].kind), kname(PTK_EV_SYSCALL_EXIT));
	CHECK_EQ_INT(l.v[u + 1].rval, -EPERM);
	log_free(&l);
}

/*
 * With PTRACE_O_TRACESECCOMP: the tracee's RET_TRACE is reported as a
 * seccomp stop that is not ptk's (own_seccomp false, its data 0x42), after
 * the enter stop (Linux >= 4.8); a tracer that takes no interest in it
 * and resumes must still leave the tracee with ENOSYS; RET_ERRNO makes no
 * seccomp stop.
 */
static void with_trace_seccomp(enum ptk_resume_mode mode)
{
	untraced_ok();
	struct log l = {0};
	pid_t pid;
	char *o = run(PTK_TRACE_SECCOMP, mode, NULL, 0, &l, &pid);
	long sc = log_find(&l, 0, pid, PTK_EV_SECCOMP, -1);
	CHECK(sc >= 0);
	CHECK_EQ_INT(l.v[sc].nr, NR_getppid);
	CHECK(!l.v[sc].own_seccomp);
	CHECK_EQ_HEX(l.v[sc].msg, 0x42);
	CHECK_EQ_INT(log_count(&l, pid, PTK_EV_SECCOMP), 1);
	if (mode == PTK_RESUME_SYSCALL) {
		CHECK_EQ_STR(kname(l.v[sc - 1].kind), kname(PTK_EV_SYSCALL_ENTER));
		CHECK_EQ_INT(l.v[sc - 1].nr, NR_getppid);
		CHECK_EQ_STR(kname(l.v[sc + 1].kind), kname(PTK_EV_SYSCALL_EXIT));
		CHECK_EQ_INT(l.v[sc + 1].rval, -ENOSYS);
	}
	lt_output_is(o, want);
	log_free(&l);
}

TEST(own_filter_with_trace_seccomp_syscall)
{
	with_trace_seccomp(PTK_RESUME_SYSCALL);
}

TEST(own_filter_with_trace_seccomp_cont)
{
	with_trace_seccomp(PTK_RESUME_CONT);
}

/*
 * Next to ptk's own filter (which stops uname, getppid and getuid): the
 * uname stop is ptk's (own_seccomp); the getppid stop is the tracee's (its
 * filter, installed last, wins among equal actions) and must still end
 * in ENOSYS; getuid makes no stop (the tracee's RET_ERRNO outranks
 * RET_TRACE).  The output is as untraced.  (ptk's set leaves write alone:
 * the CLONE_UNTRACED child inherits ptk's filter too, and with no tracer
 * every syscall in ptk's set fails there with ENOSYS; PITFALLS #7.)
 */
TEST(own_filter_next_to_ptk_filter)
{
	if (!ptk_seccomp_supported())
		th_skip("seccomp RET_TRACE is not available");
	untraced_ok();
	uint8_t set[64] = {0};
	set[NR_uname / 8] |= 1u << (NR_uname % 8);
	set[NR_getppid / 8] |= 1u << (NR_getppid % 8);
	set[NR_getuid / 8] |= 1u << (NR_getuid % 8);
	struct log l = {0};
	pid_t pid;
	char *o = run(PTK_TRACE_SECCOMP, PTK_RESUME_CONT, set, 512, &l, &pid);
	size_t own_uname = 0, foreign_getppid = 0, other = 0;
	for (size_t i = 0; i < l.n; i++) {
		if (l.v[i].kind != PTK_EV_SECCOMP)
			continue;
		CHECK_EQ_INT(l.v[i].tid, pid);
		if (l.v[i].nr == NR_uname && l.v[i].own_seccomp)
			own_uname++;
		else if (l.v[i].nr == NR_getppid && !l.v[i].own_seccomp && l.v[i].msg == 0x42)
			foreign_getppid++;
		else
			other++;
	}
	CHECK_EQ_INT(own_uname, 1);
	CHECK_EQ_INT(foreign_getppid, 1);
	CHECK_EQ_INT(other, 0);
	lt_output_is(o, want);
	log_free(&l);
}

/*
 * ptk's filter with the syscalls a spawn makes before its execve (kill,
 * execve) and the program's write: the spawn works, the execve and write
 * stops are ptk's, the output is as untraced.  A filter installed before
 * the spawn stop would make kill and execve fail with ENOSYS (no tracer
 * yet for their SECCOMP_RET_TRACE).
 */
TEST(ptk_filter_with_spawn_syscalls)
{
	if (!ptk_seccomp_supported())
		th_skip("seccomp RET_TRACE is not available");
	char *argv[] = {(char *)th_tracee("hello"), "4", NULL};
	uint8_t set[64] = {0};
	set[NR_kill / 8] |= 1u << (NR_kill % 8);
	set[NR_execve / 8] |= 1u << (NR_execve % 8);
	set[NR_write / 8] |= 1u << (NR_write % 8);
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, PTK_TRACE_SECCOMP));
	struct ptk_spawn_opts o = {
	        .path = argv[0], .argv = argv, .seccomp_set = set, .seccomp_nr = 512};
	pid_t pid;
	int out;
	CHECK_OK(lt_spawn_opts(s, &o, &pid, &out));
	struct log l = {0};
	lt_output_is(lt_run_to_end(s, pid, out, PTK_RESUME_CONT, &l, NULL, NULL), "hello\n");
	CHECK_EQ_INT(l.n, 4);
	CHECK_EQ_STR(kname(l.v[0].kind), kname(PTK_EV_SECCOMP));
	CHECK_EQ_INT(l.v[0].nr, NR_execve);
	CHECK(l.v[0].own_seccomp);
	CHECK_EQ_STR(kname(l.v[1].kind), kname(PTK_EV_EXEC));
	CHECK_EQ_STR(kname(l.v[2].kind), kname(PTK_EV_SECCOMP));
	CHECK_EQ_INT(l.v[2].nr, NR_write);
	CHECK(l.v[2].own_seccomp);
	CHECK_EQ_STR(kname(l.v[3].kind), kname(PTK_EV_EXITED));
	CHECK_EQ_INT(l.v[3].exit_code, 4);
	log_free(&l);
}

/* A CLONE_UNTRACED child is not followed: no event from it. */
TEST(own_filter_untraced_child_not_followed)
{
	struct log l = {0};
	pid_t pid;
	char *o = run(PTK_FOLLOW, PTK_RESUME_SYSCALL, NULL, 0, &l, &pid);
	lt_output_is(o, want);
	log_all_of(&l, pid);
	log_free(&l);
}
