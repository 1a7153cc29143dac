/* SPDX-License-Identifier: MIT */
/*
 * ptk_spawn(): options in force before the first instruction, errors
 * without a process left behind, PTRACE_O_EXITKILL (and PTK_NO_EXITKILL).
 */
#include "lt.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* No child of ours is left, not even a zombie. */
static void check_no_children(void)
{
	int st;
	errno = 0;
	pid_t r = waitpid(-1, &st, WNOHANG | __WALL);
	CHECK_MSG(r == -1 && errno == ECHILD, "a child was left behind (waitpid: %d, %s)", r,
	          strerror(errno));
}

/*
 * The first event after resuming the spawned tracee with PTK_RESUME_SYSCALL
 * is the execve syscall-enter-stop, then PTRACE_EVENT_EXEC, then the
 * execve syscall-exit-stop returning 0.
 */
TEST(spawn_first_events_are_execve)
{
	char *argv[] = {(char *)th_tracee("hello"), "3", "word", NULL};
	pid_t pid;
	int out;
	struct ptk_session *s = lt_start(0, argv, &pid, &out);
	CHECK(pid > 0);
	CHECK_EQ_INT(ptk_session_nthreads(s), 1);
	CHECK(ptk_process_spawned(s, pid));
	CHECK_EQ_INT(ptk_thread_pid(s, pid), pid);

	struct ptk_event ev;
	lt_resume_expect(s, pid, PTK_RESUME_SYSCALL, PTK_EV_SYSCALL_ENTER, &ev);
	CHECK_EQ_INT(ev.tid, pid);
	CHECK_EQ_INT(ev.pid, pid);
	CHECK_EQ_INT(ev.sc.nr, NR_execve);
	CHECK_EQ_INT(ev.sc.arch, PTK_ARCH_X86_64);
	CHECK_EQ_INT(ev.sc.op, PTK_SC_ENTRY);
	char path[4096];
	CHECK_EQ_INT(ptk_mem_read_str(s, pid, ev.sc.args[0], path, sizeof path - 1, NULL), 0);
	CHECK_EQ_STR(path, argv[0]);

	lt_resume_expect(s, pid, PTK_RESUME_SYSCALL, PTK_EV_EXEC, &ev);
	CHECK_EQ_INT(ev.tid, pid);
	CHECK_EQ_INT(ev.former_tid, pid);

	lt_resume_expect(s, pid, PTK_RESUME_SYSCALL, PTK_EV_SYSCALL_EXIT, &ev);
	CHECK_EQ_INT(ev.tid, pid);
	CHECK_EQ_INT(ev.sc.op, PTK_SC_EXIT);
	CHECK_EQ_INT(ev.sc.rval, 0);
	CHECK(!ev.sc.is_error);

	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0));
	struct log l = {0};
	lt_run(s, PTK_RESUME_SYSCALL, &l, NULL, NULL, 0);
	log_dump(&l, 400);
	CHECK(l.n >= 2);
	CHECK(log_ends_with_exit(&l, 0, 3)->process_gone);
	CHECK_EQ_STR(kname(l.v[l.n - 2].kind), kname(PTK_EV_SYSCALL_ENTER));
	CHECK_EQ_INT(l.v[l.n - 2].nr, NR_exit_group);
	lt_output_is(lt_slurp(out, 5000), "hello\nword\n");
	CHECK_EQ_INT(ptk_session_nthreads(s), 0);
	struct ptk_event e2;
	CHECK_EQ_INT(lt_wait(s, &e2, 5), -ECHILD);
	ptk_session_end(s, false, 1000);
	check_no_children();
	log_free(&l);
}

/* PTK_RESUME_CONT from the spawn stop runs to PTRACE_EVENT_EXEC. */
TEST(spawn_cont_runs_to_exec)
{
	char *argv[] = {(char *)th_tracee("hello"), NULL};
	pid_t pid;
	int out;
	struct ptk_session *s = lt_start(0, argv, &pid, &out);
	struct ptk_event ev;
	lt_resume_expect(s, pid, PTK_RESUME_CONT, PTK_EV_EXEC, &ev);
	CHECK_EQ_INT(ev.tid, pid);
	CHECK_EQ_INT(ev.former_tid, pid);
	lt_resume_expect(s, pid, PTK_RESUME_CONT, PTK_EV_EXITED, &ev);
	CHECK_EQ_INT(ev.exit_code, 0);
	CHECK(ev.process_gone);
	lt_output_is(lt_finish(s, out), "hello\n");
	check_no_children();
}

/*
 * A caller with SIGCONT blocked (the mask a spawned program inherits): the spawn still
 * stops the child before execve (it used to run the program untraced to its end and
 * fail with ECHILD), and the program starts with SIGCONT blocked as asked.
 */
TEST(spawn_with_sigcont_blocked)
{
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	char *argv[] = {(char *)th_tracee("hello"), NULL};
	pid_t pid;
	int out;
	sigset_t m, old;
	sigemptyset(&m);
	sigaddset(&m, SIGCONT);
	sigprocmask(SIG_BLOCK, &m, &old);
	int r = lt_spawn(s, argv, 0, &pid, &out);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK_OK(r);
	struct ptk_event ev;
	lt_resume_expect(s, pid, PTK_RESUME_CONT, PTK_EV_EXEC, &ev);
	char blk[64];
	CHECK(lt_status_text(pid, "SigBlk", blk, sizeof blk));
	CHECK_EQ_STR(blk, "0000000000020000"); /* bit 17: SIGCONT (18) */
	lt_resume_expect(s, pid, PTK_RESUME_CONT, PTK_EV_EXITED, &ev);
	CHECK_EQ_INT(ev.exit_code, 0);
	lt_output_is(lt_finish(s, out), "hello\n");
	check_no_children();
}

static void noop_handler(int sig)
{
	(void)sig;
}

/*
 * sigignore: the program starts with exactly those signals ignored, whatever
 * the caller ignores or catches now (a front end that catches SIGINT and
 * ignores SIGPIPE for itself, started under nohup: the program ignores
 * SIGHUP only, as it would run alone).
 */
TEST(spawn_sigignore_sets_exactly_the_ignored_signals)
{
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	char *argv[] = {(char *)th_tracee("hello"), NULL};
	struct ptk_spawn_opts o = {.path = argv[0], .argv = argv};
	sigset_t ign;
	sigemptyset(&ign);
	sigaddset(&ign, SIGHUP);
	sigaddset(&ign, SIGUSR1);
	o.sigignore = &ign;
	struct sigaction sa = {0}, old_pipe, old_int, old_usr1;
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &old_pipe);
	sa.sa_handler = noop_handler;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGUSR1, &sa, &old_usr1);
	pid_t pid;
	int out;
	int r = lt_spawn_opts(s, &o, &pid, &out);
	sigaction(SIGPIPE, &old_pipe, NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGUSR1, &old_usr1, NULL);
	CHECK_OK(r);
	struct ptk_event ev;
	lt_resume_expect(s, pid, PTK_RESUME_CONT, PTK_EV_EXEC, &ev);
	char ignored[64], caught[64];
	CHECK(lt_status_text(pid, "SigIgn", ignored, sizeof ignored));
	CHECK(lt_status_text(pid, "SigCgt", caught, sizeof caught));
	CHECK_EQ_STR(ignored, "0000000000000201"); /* SIGHUP (1), SIGUSR1 (10) */
	CHECK_EQ_STR(caught, "0000000000000000");
	lt_resume_expect(s, pid, PTK_RESUME_CONT, PTK_EV_EXITED, &ev);
	CHECK_EQ_INT(ev.exit_code, 0);
	lt_output_is(lt_finish(s, out), "hello\n");
	check_no_children();
}

/* Under ptk the program prints and exits exactly as untraced. */
TEST(spawn_output_and_status_as_untraced)
{
	char *argv[] = {(char *)th_tracee("hello"), "42", "a b", "c", NULL};
	const char *want = "hello\na b\nc\n";
	lt_untraced_is(argv, want, 42);

	struct log l = {0};
	char *o = lt_trace_all(argv, 0, PTK_RESUME_SYSCALL, &l, NULL, NULL, NULL);
	log_ends_with_exit(&l, 0, 42);
	lt_output_is(o, want);
	log_free(&l);
}

static void expect_spawn_error(const char *path, unsigned flags, int err)
{
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	char *argv[] = {(char *)path, NULL};
	struct ptk_spawn_opts o = {.path = path, .argv = argv, .flags = flags};
	pid_t pid = -1;
	int r = ptk_spawn(s, &o, &pid);
	CHECK_MSG(r == err, "ptk_spawn(%s) = %d (%s), want %d (%s)", path, r, strerror(-r), err,
	          strerror(-err));
	CHECK_EQ_INT(ptk_session_nthreads(s), 0);
	struct ptk_event ev;
	CHECK_EQ_INT(ptk_wait(s, &ev, PTK_WAIT_NOHANG), -ECHILD);
	ptk_session_end(s, false, 1000);
	check_no_children();
}

TEST(spawn_missing_program_is_enoent)
{
	expect_spawn_error("/nonexistent/ptk-no-such-program", 0, -ENOENT);
	expect_spawn_error("ptk-no-such-program-in-path", PTK_SPAWN_PATH, -ENOENT);
}

/* A file to spawn, with the given mode and contents; returns its path. */
static const char *make_file(const char *name, mode_t mode, const char *text)
{
	static char path[256];
	snprintf(path, sizeof path, "/tmp/ptk-lt-%d-%s", getpid(), name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	CHECK_MSG(fd >= 0, "create %s: %s", path, strerror(errno));
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	CHECK(chmod(path, mode) == 0);
	return path;
}

TEST(spawn_not_executable_is_eacces)
{
	const char *p = make_file("noexec", 0644, "#!/bin/sh\nexit 0\n");
	expect_spawn_error(p, 0, -EACCES);
	unlink(p);
}

TEST(spawn_unknown_format_is_enoexec)
{
	if (access("/proc/sys/fs/binfmt_misc/status", F_OK) == 0)
		th_skip("binfmt_misc is mounted: any format may be runnable");
	const char *p = make_file("garbage", 0755, "this is not a program\n");
	expect_spawn_error(p, 0, -ENOEXEC);
	unlink(p);
}

TEST(spawn_directory_is_eisdir)
{
	expect_spawn_error("/tmp", 0, -EISDIR);
}

/*
 * A setup step of the child that fails (here chdir to a missing cwd) is
 * reported with its errno, with no process left; with a seccomp filter
 * requested too.
 */
static void expect_setup_error(unsigned session_flags, const uint8_t *set, size_t nr)
{
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, session_flags));
	char *argv[] = {(char *)th_tracee("hello"), NULL};
	struct ptk_spawn_opts o = {.path = argv[0],
	                           .argv = argv,
	                           .cwd = "/nonexistent/ptk-cwd",
	                           .seccomp_set = set,
	                           .seccomp_nr = nr};
	pid_t pid = -1;
	int r = ptk_spawn(s, &o, &pid);
	CHECK_MSG(r == -ENOENT, "ptk_spawn with a missing cwd = %d (%s)", r, strerror(-r));
	CHECK_EQ_INT(ptk_session_nthreads(s), 0);
	ptk_session_end(s, false, 1000);
	check_no_children();
}

TEST(spawn_setup_failure_is_reported)
{
	expect_setup_error(0, NULL, 0);
	if (!ptk_seccomp_supported())
		th_skip("seccomp RET_TRACE is not available");
	uint8_t set[64] = {0};
	set[NR_write / 8] |= 1u << (NR_write % 8);
	expect_setup_error(PTK_TRACE_SECCOMP, set, 512);
}

/* A seccomp set without PTK_TRACE_SECCOMP in the session: -EINVAL. */
TEST(spawn_seccomp_needs_trace_seccomp)
{
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	char *argv[] = {(char *)th_tracee("hello"), NULL};
	uint8_t set[64] = {0};
	set[NR_write / 8] |= 1u << (NR_write % 8);
	struct ptk_spawn_opts o = {
	        .path = argv[0], .argv = argv, .seccomp_set = set, .seccomp_nr = 512};
	pid_t pid = -1;
	CHECK_EQ_INT(ptk_spawn(s, &o, &pid), -EINVAL);
	ptk_session_end(s, false, 1000);
	check_no_children();
}

TEST(spawn_path_lookup)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", th_tracee("hello"));
	*strrchr(dir, '/') = 0;
	char *old = getenv("PATH");
	char *saved = old ? strdup(old) : NULL;
	setenv("PATH", dir, 1);
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	char *argv[] = {"hello", "9", NULL};
	pid_t pid;
	int out;
	int r = lt_spawn(s, argv, PTK_SPAWN_PATH, &pid, &out);
	if (saved)
		setenv("PATH", saved, 1);
	free(saved);
	CHECK_OK(r);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	struct log l = {0};
	lt_run(s, PTK_RESUME_CONT, &l, NULL, NULL, 0);
	CHECK_EQ_INT(l.n, 2);
	CHECK_EQ_STR(kname(l.v[0].kind), kname(PTK_EV_EXEC));
	CHECK_EQ_STR(kname(l.v[1].kind), kname(PTK_EV_EXITED));
	CHECK_EQ_INT(l.v[1].exit_code, 9);
	lt_output_is(lt_finish(s, out), "hello\n");
	log_free(&l);
}

/*
 * A tracer child spawns block_read, lets it block in read, reports its pid
 * and waits; we SIGKILL the tracer.  We are a child subreaper, so the
 * orphaned tracee becomes our child and its fate is exact.
 */
static pid_t tracer_spawns_then_dies(unsigned session_flags)
{
	CHECK(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
	int pp[2];
	CHECK(pipe2(pp, O_CLOEXEC) == 0);
	fflush(stdout);
	pid_t tracer = fork();
	CHECK(tracer >= 0);
	if (tracer == 0) {
		struct ptk_session *s;
		if (ptk_session_new(&s, session_flags) < 0)
			_exit(2);
		char *argv[] = {(char *)th_tracee("block_read"), NULL};
		pid_t pid;
		int out;
		if (lt_spawn(s, argv, 0, &pid, &out) < 0)
			_exit(3);
		if (ptk_resume(s, pid, PTK_RESUME_CONT, 0) < 0)
			_exit(4);
		struct ptk_event ev;
		if (ptk_wait(s, &ev, 0) < 0 || ev.kind != PTK_EV_EXEC)
			_exit(5);
		if (ptk_resume(s, pid, PTK_RESUME_CONT, 0) < 0)
			_exit(6);
		if (!lt_wait_syscall(pid, NR_read, 10000))
			_exit(7);
		if (write(pp[1], &pid, sizeof pid) != sizeof pid)
			_exit(8);
		for (;;)
			pause();
	}
	lt_track(tracer);
	close(pp[1]);
	pid_t tpid = 0;
	ssize_t n = read(pp[0], &tpid, sizeof tpid);
	close(pp[0]);
	if (n != sizeof tpid) {
		int st;
		waitpid(tracer, &st, 0);
		th_fail(__FILE__, __LINE__, "tracer child failed: status %#x", st);
	}
	CHECK(kill(tracer, SIGKILL) == 0);
	int st;
	CHECK(waitpid(tracer, &st, 0) == tracer);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	return tpid;
}

/* Reap pid (our child through the subreaper), waiting at most timeout_ms. */
static bool reap_within(pid_t pid, int *ret_st, int timeout_ms)
{
	for (int i = 0; i < timeout_ms; i++) {
		pid_t r = waitpid(pid, ret_st, WNOHANG | __WALL);
		if (r == pid)
			return true;
		lt_msleep(1);
	}
	return false;
}

TEST(spawn_exitkill_tracee_dies_with_tracer)
{
	pid_t tpid = tracer_spawns_then_dies(0);
	int st = 0;
	bool reaped = reap_within(tpid, &st, 10000);
	if (!reaped)
		lt_kill_reap(tpid);
	CHECK_MSG(reaped, "the spawned tracee %d outlived its tracer (state %c)", tpid,
	          lt_state(tpid));
	CHECK_MSG(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "status %#x", st);
}

TEST(spawn_no_exitkill_tracee_survives_tracer)
{
	pid_t tpid = tracer_spawns_then_dies(PTK_NO_EXITKILL);
	/* The kernel detaches it and it goes on blocking in read. */
	bool sleeping = lt_wait_state(tpid, "S", 10000);
	char state = lt_state(tpid);
	long tracer = lt_status_field(tpid, "TracerPid");
	int st;
	bool dead = waitpid(tpid, &st, WNOHANG) == tpid;
	if (!dead)
		lt_kill_reap(tpid);
	CHECK_MSG(!dead, "the tracee died with its tracer: status %#x", st);
	CHECK_MSG(sleeping, "state %c", state);
	CHECK_EQ_INT(tracer, 0);
}
