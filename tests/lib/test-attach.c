/* SPDX-License-Identifier: MIT */
/*
 * Attaching and detaching: running, sleeping and group-stopped processes
 * keep their state and run on; a signal pending at detach is delivered; a
 * SIGKILLed tracer leaves its tracees running; errors and ptk_explain().
 */
#include "lt.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct target {
	pid_t pid;
	int in, out;
};

/* Start answer (block or spin) untraced and wait for its "ready". */
static struct target start_answer(const char *mode)
{
	char *argv[] = {(char *)th_tracee("answer"), (char *)mode, NULL};
	struct target t;
	t.pid = lt_popen(argv, &t.in, &t.out);
	char line[256];
	CHECK(lt_read_line(t.out, line, sizeof line, 10000));
	CHECK_EQ_STR(line, "ready");
	return t;
}

/* It answers a line: it runs, untraced or not. */
static void answers(const struct target *t, const char *word)
{
	char msg[128], want[160], line[256];
	int n = snprintf(msg, sizeof msg, "%s\n", word);
	CHECK(write(t->in, msg, (size_t)n) == n);
	snprintf(want, sizeof want, "got %s", word);
	CHECK_MSG(lt_read_line(t->out, line, sizeof line, 5000), "no answer to %s (state %c)", word,
	          lt_state(t->pid));
	CHECK_EQ_STR(line, want);
}

/* End it through end of input and reap it: it exits 0. */
static void finish(struct target *t)
{
	close(t->in);
	int st;
	CHECK(waitpid(t->pid, &st, 0) == t->pid);
	CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	close(t->out);
}

/* Attach and take the attach stop, which must be of kind k. */
static void attach_stop(struct ptk_session *s, pid_t pid, enum ptk_event_kind k)
{
	int n = 0;
	CHECK_OK(ptk_attach(s, pid, 0, &n));
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_INT(ptk_session_nthreads(s), 1);
	CHECK(!ptk_process_spawned(s, pid));
	struct ptk_event ev;
	lt_next(s, &ev);
	CHECK_EQ_STR(kname(ev.kind), kname(k));
	CHECK_EQ_INT(ev.tid, pid);
	CHECK_EQ_INT(ev.pid, pid);
	CHECK(ev.attach_stop);
	CHECK_EQ_INT(ptk_attach(s, pid, 0, NULL), -EALREADY);
}

TEST(attach_detach_sleeping)
{
	struct target t = start_answer("block");
	CHECK(lt_wait_syscall(t.pid, NR_read, 10000));
	CHECK_EQ_INT(lt_state(t.pid), 'S');
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	attach_stop(s, t.pid, PTK_EV_STOP);
	CHECK_EQ_INT(lt_status_field(t.pid, "TracerPid"), getpid());
	CHECK_EQ_INT(lt_state(t.pid), 't');
	CHECK_OK(ptk_detach(s, t.pid, 1000));
	CHECK_EQ_INT(ptk_session_nthreads(s), 0);
	CHECK_EQ_INT(ptk_detach(s, t.pid, 1000), -ESRCH);
	CHECK_EQ_INT(lt_status_field(t.pid, "TracerPid"), 0);
	CHECK_MSG(lt_wait_state(t.pid, "S", 5000), "state %c after detach", lt_state(t.pid));
	answers(&t, "one");
	ptk_session_end(s, false, 1000);
	finish(&t);
}

TEST(attach_detach_running)
{
	struct target t = start_answer("spin");
	CHECK_MSG(lt_wait_state(t.pid, "R", 5000), "state %c", lt_state(t.pid));
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	attach_stop(s, t.pid, PTK_EV_STOP);
	CHECK_OK(ptk_detach(s, t.pid, 1000));
	CHECK_EQ_INT(lt_status_field(t.pid, "TracerPid"), 0);
	CHECK_MSG(lt_wait_state(t.pid, "R", 5000), "state %c after detach", lt_state(t.pid));
	answers(&t, "two");
	ptk_session_end(s, false, 1000);
	finish(&t);
}

/* Detach while the tracee runs (resumed): ptk interrupts, waits, detaches. */
TEST(detach_from_running_tracee)
{
	struct target t = start_answer("spin");
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	attach_stop(s, t.pid, PTK_EV_STOP);
	CHECK_OK(ptk_resume(s, t.pid, PTK_RESUME_CONT, 0));
	answers(&t, "traced");
	CHECK_OK(ptk_detach(s, t.pid, 2000));
	CHECK_EQ_INT(lt_status_field(t.pid, "TracerPid"), 0);
	CHECK_MSG(lt_wait_state(t.pid, "R", 5000), "state %c after detach", lt_state(t.pid));
	answers(&t, "untraced");
	struct ptk_event ev;
	CHECK_EQ_INT(ptk_wait(s, &ev, PTK_WAIT_NOHANG), -ECHILD);
	ptk_session_end(s, false, 1000);
	finish(&t);
}

/*
 * A group-stopped process: the attach stop is a group-stop; resumed it
 * stays stopped; detached it is in state T (stopped, not traced); SIGCONT
 * lets it run on.
 */
TEST(attach_detach_stopped)
{
	struct target t = start_answer("block");
	CHECK(kill(t.pid, SIGSTOP) == 0);
	CHECK(lt_wait_state(t.pid, "T", 5000));
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	attach_stop(s, t.pid, PTK_EV_GROUP_STOP);
	CHECK_OK(ptk_resume(s, t.pid, PTK_RESUME_CONT, 0));
	char st = lt_state(t.pid);
	CHECK_MSG(st == 't' || st == 'T', "state %c", st);
	struct ptk_event ev;
	CHECK_EQ_INT(ptk_wait(s, &ev, PTK_WAIT_NOHANG), -EAGAIN);
	CHECK_OK(ptk_detach(s, t.pid, 1000));
	CHECK_EQ_INT(lt_status_field(t.pid, "TracerPid"), 0);
	/*
	 * The kernel wakes a detached tracee, which goes straight back into
	 * its group-stop (state R for a moment).  Had the detach resumed it,
	 * it would sleep in read (S), never T.
	 */
	CHECK_MSG(lt_wait_state(t.pid, "T", 5000), "state %c after detach", lt_state(t.pid));
	/* stopped: its input waits */
	CHECK(write(t.in, "three\n", 6) == 6);
	CHECK(!lt_readable(t.out));
	CHECK_EQ_INT(lt_state(t.pid), 'T');
	CHECK(kill(t.pid, SIGCONT) == 0);
	char line[256];
	CHECK(lt_read_line(t.out, line, sizeof line, 5000));
	CHECK_EQ_STR(line, "got three");
	ptk_session_end(s, false, 1000);
	finish(&t);
}

/* Detaching at a signal-delivery-stop passes the signal on. */
TEST(detach_delivers_pending_signal)
{
	struct target t = start_answer("block");
	CHECK(lt_wait_syscall(t.pid, NR_read, 10000));
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	attach_stop(s, t.pid, PTK_EV_STOP);
	CHECK_OK(ptk_resume(s, t.pid, PTK_RESUME_CONT, 0));
	CHECK(kill(t.pid, SIGUSR1) == 0);
	struct ptk_event ev;
	lt_next(s, &ev);
	CHECK_EQ_STR(kname(ev.kind), kname(PTK_EV_SIGNAL));
	CHECK_EQ_INT(ev.sig, SIGUSR1);
	CHECK(!lt_readable(t.out));
	CHECK_OK(ptk_detach(s, t.pid, 1000));
	char line[256];
	CHECK_MSG(lt_read_line(t.out, line, sizeof line, 5000), "SIGUSR1 not delivered");
	CHECK_EQ_STR(line, "usr1");
	answers(&t, "four");
	ptk_session_end(s, false, 1000);
	finish(&t);
}

/*
 * A tracer (a child of ours using ptk) attaches and holds the tracee in
 * its attach stop; SIGKILLed, it leaves the tracee running (attached
 * tracees are not PTRACE_O_EXITKILL'd), not stuck in 't'.
 */
TEST(tracer_killed_attached_tracee_runs_on)
{
	struct target t = start_answer("block");
	CHECK(lt_wait_syscall(t.pid, NR_read, 10000));
	int pp[2];
	CHECK(pipe2(pp, O_CLOEXEC) == 0);
	fflush(stdout);
	pid_t tracer = fork();
	CHECK(tracer >= 0);
	if (tracer == 0) {
		struct ptk_session *s;
		struct ptk_event ev;
		if (ptk_session_new(&s, 0) < 0 || ptk_attach(s, t.pid, 0, NULL) < 0 ||
		    ptk_wait(s, &ev, 0) < 0 || ev.kind != PTK_EV_STOP)
			_exit(2);
		if (write(pp[1], "k", 1) != 1)
			_exit(3);
		for (;;)
			pause();
	}
	lt_track(tracer);
	close(pp[1]);
	char c;
	bool ok = read(pp[0], &c, 1) == 1;
	close(pp[0]);
	char held = lt_state(t.pid);
	long tp = lt_status_field(t.pid, "TracerPid");
	kill(tracer, SIGKILL);
	int st;
	CHECK(waitpid(tracer, &st, 0) == tracer);
	CHECK_MSG(ok, "tracer child failed: %#x", st);
	CHECK_EQ_INT(held, 't');
	CHECK_EQ_INT(tp, tracer);
	CHECK_MSG(lt_wait_state(t.pid, "S", 5000), "state %c after the tracer died",
	          lt_state(t.pid));
	CHECK_EQ_INT(lt_status_field(t.pid, "TracerPid"), 0);
	answers(&t, "five");
	finish(&t);
}

/*
 * A process with four threads (three blocked in read, the leader in read
 * of stdin): every thread is attached and reports one attach stop; they
 * are the threads /proc lists; detached, all sleep again and the process
 * ends normally.
 */
TEST(attach_multithreaded)
{
	char *argv[] = {(char *)th_tracee("exit_group_threads"), "3", "hold", NULL};
	struct target t;
	t.pid = lt_popen(argv, &t.in, &t.out);
	char line[256];
	CHECK(lt_read_line(t.out, line, sizeof line, 10000));
	CHECK_EQ_STR(line, "threads blocked: 3");
	CHECK(lt_wait_syscall(t.pid, NR_read, 10000));
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	int n = 0;
	CHECK_OK(ptk_attach(s, t.pid, 0, &n));
	CHECK_EQ_INT(n, 4);
	pid_t tids[8];
	CHECK_EQ_INT(ptk_process_threads(s, t.pid, tids, 8), 4);
	CHECK_EQ_INT(tids[0], t.pid);
	int stops = 0;
	bool seen[4] = {false};
	while (stops < 4) {
		struct ptk_event ev;
		lt_next(s, &ev);
		CHECK_EQ_STR(kname(ev.kind), kname(PTK_EV_STOP));
		CHECK(ev.attach_stop);
		CHECK_EQ_INT(ev.pid, t.pid);
		int k = 0;
		while (k < 4 && tids[k] != ev.tid)
			k++;
		CHECK(k < 4 && !seen[k]);
		seen[k] = true;
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/task/%d", t.pid, ev.tid);
		CHECK(access(path, F_OK) == 0);
		stops++;
	}
	struct ptk_event ev;
	CHECK_EQ_INT(ptk_wait(s, &ev, PTK_WAIT_NOHANG), -EAGAIN);
	CHECK_OK(ptk_detach(s, t.pid, 1000));
	for (int k = 0; k < 4; k++) {
		char path[96], buf[256];
		snprintf(path, sizeof path, "/proc/%d/task/%d/stat", t.pid, tids[k]);
		bool sleeping = false;
		for (int i = 0; i < 5000 && !sleeping; i++) {
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			ssize_t r = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
			if (fd >= 0)
				close(fd);
			buf[r > 0 ? r : 0] = 0;
			char *rp = strrchr(buf, ')');
			sleeping = rp && rp[2] == 'S';
			if (!sleeping)
				lt_msleep(1);
		}
		CHECK_MSG(sleeping, "thread %d not sleeping after detach: %s", tids[k], buf);
	}
	ptk_session_end(s, false, 1000);
	close(t.in);
	CHECK(lt_read_line(t.out, line, sizeof line, 5000));
	CHECK_EQ_STR(line, "exiting");
	int st;
	CHECK(waitpid(t.pid, &st, 0) == t.pid);
	CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 4, "status %#x", st);
	close(t.out);
}

/*
 * Attached without a stop, a tracee runs on; ptk_interrupt() stops it
 * (a PTK_EV_STOP that is not the attach stop); interrupting a stopped
 * tracee is a no-op.
 */
TEST(attach_nostop_then_interrupt)
{
	struct target t = start_answer("spin");
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	CHECK_OK(ptk_attach(s, t.pid, PTK_ATTACH_NOSTOP, NULL));
	struct ptk_event ev;
	CHECK_EQ_INT(ptk_wait(s, &ev, PTK_WAIT_NOHANG), -EAGAIN);
	answers(&t, "running");
	CHECK_EQ_INT(lt_status_field(t.pid, "TracerPid"), getpid());
	CHECK_OK(ptk_interrupt(s, t.pid));
	lt_next(s, &ev);
	CHECK_EQ_STR(kname(ev.kind), kname(PTK_EV_STOP));
	CHECK_EQ_INT(ev.tid, t.pid);
	CHECK(!ev.attach_stop);
	CHECK(!ev.new_tracee);
	CHECK_EQ_INT(ev.sig, SIGTRAP);
	CHECK_EQ_INT(lt_state(t.pid), 't');
	CHECK_OK(ptk_interrupt(s, t.pid));
	CHECK_EQ_INT(ptk_wait(s, &ev, PTK_WAIT_NOHANG), -EAGAIN);
	CHECK_OK(ptk_resume(s, t.pid, PTK_RESUME_CONT, 0));
	answers(&t, "resumed");
	CHECK_OK(ptk_detach(s, t.pid, 1000));
	answers(&t, "detached");
	ptk_session_end(s, false, 1000);
	finish(&t);
}

/* ---- errors ---- */

static void explain_is(int err, const char *target, const char *want)
{
	char buf[512];
	int n = ptk_explain(PTK_OP_ATTACH, err, target, buf, sizeof buf);
	CHECK_EQ_INT(n, strlen(want));
	CHECK_EQ_STR(buf, want);
}

/* A pid that no process has. */
static pid_t unused_pid(void)
{
	for (pid_t p = 4194000; p > 300; p -= 7)
		if (kill(p, 0) < 0 && errno == ESRCH)
			return p;
	th_fail(__FILE__, __LINE__, "no free pid");
}

TEST(attach_nonexistent_is_esrch)
{
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	pid_t p = unused_pid();
	CHECK_EQ_INT(ptk_attach(s, p, 0, NULL), -ESRCH);
	CHECK_EQ_INT(ptk_attach(s, 0, 0, NULL), -ESRCH);
	CHECK_EQ_INT(ptk_attach(s, -5, 0, NULL), -ESRCH);
	CHECK_EQ_INT(ptk_session_nthreads(s), 0);
	char ps[32], want[256];
	snprintf(ps, sizeof ps, "%d", p);
	snprintf(want, sizeof want,
	         "cannot attach to %d: no such process (check the pid with `ps`)", p);
	explain_is(-ESRCH, ps, want);
	explain_is(-ESRCH, "abc", "cannot attach to 'abc': not a process id; give a number");
	ptk_session_end(s, false, 1000);
}

TEST(attach_self_is_einval)
{
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	CHECK_EQ_INT(ptk_attach(s, getpid(), 0, NULL), -EINVAL);
	char ps[32], want[256];
	snprintf(ps, sizeof ps, "%d", getpid());
	snprintf(want, sizeof want, "cannot attach to %d: that is ptk itself", getpid());
	explain_is(-EINVAL, ps, want);
	ptk_session_end(s, false, 1000);
}

static void *idle_thread(void *arg)
{
	pid_t *tid = arg;
	*tid = (pid_t)syscall(SYS_gettid);
	for (;;)
		pause();
	return NULL;
}

TEST(attach_thread_id_is_esrch)
{
	/* a thread of this process */
	volatile pid_t tid = 0;
	pthread_t th;
	CHECK(pthread_create(&th, NULL, idle_thread, (void *)&tid) == 0);
	while (!tid)
		lt_msleep(1);
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	CHECK_EQ_INT(ptk_attach(s, tid, 0, NULL), -ESRCH);
	char ts[32], want[256];
	snprintf(ts, sizeof ts, "%d", tid);
	snprintf(want, sizeof want,
	         "cannot attach to %d: it is a thread of process %d; attach to %d", tid, getpid(),
	         getpid());
	explain_is(-ESRCH, ts, want);
	ptk_session_end(s, false, 1000);
}

/* Already traced by another tracer: -EPERM, and the explanation names it. */
TEST(attach_already_traced_is_eperm)
{
	struct target t = start_answer("block");
	int pp[2];
	CHECK(pipe2(pp, O_CLOEXEC) == 0);
	fflush(stdout);
	pid_t tracer = fork();
	CHECK(tracer >= 0);
	if (tracer == 0) {
		if (ptrace(PTRACE_SEIZE, t.pid, NULL, NULL) < 0)
			_exit(2);
		if (write(pp[1], "k", 1) != 1)
			_exit(3);
		for (;;)
			pause();
	}
	lt_track(tracer);
	close(pp[1]);
	char c;
	bool ok = read(pp[0], &c, 1) == 1;
	close(pp[0]);
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	int r = ok ? ptk_attach(s, t.pid, 0, NULL) : 0;
	int nth = ptk_session_nthreads(s);
	char tname[64] = "", pname[64] = "";
	lt_status_text(tracer, "Name", tname, sizeof tname);
	lt_status_text(t.pid, "Name", pname, sizeof pname);
	char ps[32], want[512], got[512];
	snprintf(ps, sizeof ps, "%d", t.pid);
	snprintf(want, sizeof want,
	         "cannot attach to %d (%s): it is already traced by %d (%s); detach that tracer "
	         "first",
	         t.pid, pname, tracer, tname);
	ptk_explain(PTK_OP_ATTACH, r, ps, got, sizeof got);
	kill(tracer, SIGKILL);
	int st;
	waitpid(tracer, &st, 0);
	CHECK_MSG(ok, "tracer child failed: %#x", st);
	CHECK_EQ_INT(r, -EPERM);
	CHECK_EQ_INT(nth, 0);
	CHECK_EQ_STR(got, want);
	/* the other tracer gone, it is ours to attach */
	attach_stop(s, t.pid, PTK_EV_STOP);
	CHECK_OK(ptk_detach(s, t.pid, 1000));
	answers(&t, "six");
	ptk_session_end(s, false, 1000);
	finish(&t);
}

/*
 * EPERM under Yama: the scope value is named, with the fix.  This kernel has
 * no Yama, so the sysctl is a file of the test's (explain_yama_path); the
 * explanations for scopes 1 and 2 apply only without CAP_SYS_PTRACE, which a
 * child drops from its effective set (capset) before asking.
 */
extern const char *explain_yama_path;

static void yama_explained(const char *scope, bool drop_cap, const char *want_fmt)
{
	char path[] = "/tmp/ptk-yama-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK_EQ_INT(write(fd, scope, strlen(scope)), (int)strlen(scope));
	close(fd);
	int p[2];
	CHECK_OK(pipe(p));
	pid_t kid = fork();
	if (kid == 0) {
		char buf[512] = "";
		if (drop_cap) {
			struct {
				uint32_t version;
				int pid;
			} hdr = {0x20080522, 0}; /* _LINUX_CAPABILITY_VERSION_3 */
			struct {
				uint32_t eff, perm, inh;
			} data[2];
			if (syscall(SYS_capget, &hdr, data) != 0)
				_exit(2);
			data[0].eff &= ~(1u << 19); /* CAP_SYS_PTRACE */
			if (syscall(SYS_capset, &hdr, data) != 0)
				_exit(3);
		}
		explain_yama_path = path;
		char ps[32];
		snprintf(ps, sizeof ps, "%d", (int)getppid());
		ptk_explain(PTK_OP_ATTACH, -EPERM, ps, buf, sizeof buf);
		if (write(p[1], buf, strlen(buf)) < 0)
			_exit(4);
		_exit(0);
	}
	close(p[1]);
	char got[512] = "";
	ssize_t n = read(p[0], got, sizeof got - 1);
	close(p[0]);
	int st;
	waitpid(kid, &st, 0);
	unlink(path);
	CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %#x", st);
	got[n > 0 ? n : 0] = '\0';
	/* want_fmt names the target "PID" */
	char want[512];
	const char *at = strstr(want_fmt, "PID");
	CHECK(at != NULL);
	snprintf(want, sizeof want, "%.*s%d%s", (int)(at - want_fmt), want_fmt, (int)getpid(),
	         at + 3);
	CHECK_EQ_STR(got, want);
}

TEST(eperm_names_the_yama_scope)
{
	yama_explained(
	        "3\n", false,
	        "cannot attach to PID: kernel.yama.ptrace_scope is 3, which forbids attaching "
	        "until reboot; spawn the program under ptk instead");
	yama_explained(
	        "2\n", true,
	        "cannot attach to PID: kernel.yama.ptrace_scope is 2 (admin only); run ptk as "
	        "root or give it CAP_SYS_PTRACE");
	yama_explained(
	        "1\n", true,
	        "cannot attach to PID: kernel.yama.ptrace_scope is 1, so only descendants can "
	        "be traced; run ptk as root, give it CAP_SYS_PTRACE, or set `sysctl "
	        "kernel.yama.ptrace_scope=0`");
	/* with CAP_SYS_PTRACE, scope 1 is no obstacle: the cause lies elsewhere */
	char name[64] = "?";
	lt_status_text(getpid(), "Name", name, sizeof name);
	char fmt[512];
	snprintf(
	        fmt, sizeof fmt,
	        "cannot attach to PID (%s): permission denied even with CAP_SYS_PTRACE; a security "
	        "module (or a container's seccomp policy) forbids ptrace here",
	        name);
	yama_explained("1\n", false, fmt);
}

/* Our own tracer: attaching to it would deadlock both: -EINVAL. */
TEST(attach_own_tracer_is_einval)
{
	int pp[2], done[2];
	CHECK(pipe2(pp, O_CLOEXEC) == 0 && pipe2(done, O_CLOEXEC) == 0);
	pid_t me = getpid();
	fflush(stdout);
	pid_t tracer = fork();
	CHECK(tracer >= 0);
	if (tracer == 0) {
		close(done[1]);
		if (ptrace(PTRACE_SEIZE, me, NULL, NULL) < 0)
			_exit(2);
		if (write(pp[1], "k", 1) != 1)
			_exit(3);
		char c;
		ssize_t r = read(done[0], &c, 1);
		(void)r;
		ptrace(PTRACE_DETACH, me, NULL, NULL);
		_exit(0);
	}
	lt_track(tracer);
	close(pp[1]);
	close(done[0]);
	char c;
	bool ok = read(pp[0], &c, 1) == 1;
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	int r = ptk_attach(s, tracer, 0, NULL);
	close(done[1]);
	int st;
	waitpid(tracer, &st, 0);
	CHECK_MSG(ok, "tracer child failed: %#x", st);
	CHECK_EQ_INT(r, -EINVAL);
	char ps[32], want[256];
	snprintf(ps, sizeof ps, "%d", tracer);
	snprintf(want, sizeof want,
	         "cannot attach to %d: it is ptk's own tracer; tracing it would deadlock both",
	         tracer);
	explain_is(-EINVAL, ps, want);
	ptk_session_end(s, false, 1000);
}

/* A zombie cannot be attached: -ESRCH, explained as a zombie. */
TEST(attach_zombie_is_esrch)
{
	pid_t z = fork();
	CHECK(z >= 0);
	if (z == 0)
		_exit(0);
	CHECK(lt_wait_state(z, "Z", 5000));
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	int r = ptk_attach(s, z, 0, NULL);
	char zs[32], want[256], got[256];
	snprintf(zs, sizeof zs, "%d", z);
	snprintf(want, sizeof want,
	         "cannot attach to %d: it is a zombie, already exited and waiting for its parent "
	         "to reap it",
	         z);
	ptk_explain(PTK_OP_ATTACH, -ESRCH, zs, got, sizeof got);
	int nth = ptk_session_nthreads(s);
	ptk_session_end(s, false, 1000);
	int st;
	CHECK(waitpid(z, &st, 0) == z);
	CHECK_EQ_STR(got, want);
	CHECK_EQ_INT(nth, 0);
	CHECK_MSG(r == -ESRCH, "ptk_attach(zombie) = %d (%s), want -ESRCH", r, strerror(-r));
}

/*
 * A process whose leader is a zombie (it called pthread_exit) and whose
 * other thread runs: the live thread is attached and detached, the
 * zombie leader (which cannot be) is no obstacle; it answers before and
 * after.
 */
TEST(attach_process_with_zombie_leader)
{
	char *argv[] = {(char *)th_tracee("zombie_leader"), "hold", NULL};
	struct target t;
	t.pid = lt_popen(argv, &t.in, &t.out);
	char line[256];
	CHECK(lt_read_line(t.out, line, sizeof line, 10000));
	CHECK_EQ_STR(line, "leader exits");
	CHECK(lt_read_line(t.out, line, sizeof line, 10000));
	CHECK_EQ_STR(line, "ready");
	CHECK_EQ_INT(lt_state(t.pid), 'Z');
	answers(&t, "before");
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	int n = 0;
	int r = ptk_attach(s, t.pid, 0, &n);
	if (r < 0) {
		ptk_session_end(s, false, 1000);
		lt_kill_reap(t.pid);
		th_fail(__FILE__, __LINE__, "ptk_attach(process with a zombie leader) = %d (%s)", r,
		        strerror(-r));
	}
	struct ptk_event ev;
	lt_next(s, &ev);
	CHECK_EQ_STR(kname(ev.kind), kname(PTK_EV_STOP));
	CHECK(ev.attach_stop);
	CHECK(ev.tid != t.pid);
	CHECK_EQ_INT(ev.pid, t.pid);
	CHECK_OK(ptk_resume(s, ev.tid, PTK_RESUME_SYSCALL, 0));
	CHECK(write(t.in, "traced\n", 7) == 7);
	lt_next(s, &ev);
	CHECK_EQ_STR(kname(ev.kind), kname(PTK_EV_SYSCALL_ENTER));
	CHECK_EQ_INT(ev.sc.nr, NR_read);
	CHECK_OK(ptk_detach(s, t.pid, 1000));
	CHECK(lt_read_line(t.out, line, sizeof line, 5000));
	CHECK_EQ_STR(line, "got traced");
	answers(&t, "after");
	ptk_session_end(s, false, 1000);
	close(t.in);
	int st;
	CHECK(waitpid(t.pid, &st, 0) == t.pid);
	CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 5, "status %#x", st);
	close(t.out);
}

/* pid 1: the explanation for EPERM names init. */
TEST(explain_pid1)
{
	char name[64];
	CHECK(lt_status_text(1, "Name", name, sizeof name));
	char want[256];
	snprintf(want, sizeof want,
	         "cannot attach to 1 (%s): it is the system's init process and the kernel refuses "
	         "to let it be traced here; trace a program you start instead",
	         name);
	explain_is(-EPERM, "1", want);
	explain_is(-EALREADY, "1", "cannot attach to 1: already attached (given twice?)");
}

/* The truncation contract: the result is the full length, as snprintf. */
TEST(explain_truncates_like_snprintf)
{
	char buf[8];
	const char *full = "cannot attach to 'x': not a process id; give a number";
	int n = ptk_explain(PTK_OP_ATTACH, -ESRCH, "x", buf, sizeof buf);
	CHECK_EQ_INT(n, strlen(full));
	CHECK_EQ_STR(buf, "cannot ");
}

TEST(explain_spawn_errors)
{
	char buf[256];
	ptk_explain(PTK_OP_SPAWN, -ENOENT, "/no/such", buf, sizeof buf);
	CHECK_EQ_STR(buf, "cannot run '/no/such': no such file");
	ptk_explain(PTK_OP_SPAWN, -ENOENT, "nosuch", buf, sizeof buf);
	CHECK_EQ_STR(buf,
	             "cannot run 'nosuch': no such file in $PATH (check the name or give a path)");
	ptk_explain(PTK_OP_SPAWN, -EACCES, "/tmp/x", buf, sizeof buf);
	CHECK_EQ_STR(buf, "cannot run '/tmp/x': permission denied (not executable: `chmod +x`, "
	                  "or on a noexec mount)");
}

/*
 * epoll_wait is never restarted by the kernel (signal(7)): the
 * PTRACE_INTERRUPT behind an attach stop, and the one behind a detach from
 * a running tracee, wake it as a signal would.  ptk restarts it at its
 * own interrupt stop, so the tracee never sees an EINTR it would not see
 * untraced (answer exits 9 on EINTR).
 */
TEST(attach_detach_epoll_wait_no_eintr)
{
	struct target t = start_answer("epoll");
	CHECK(lt_wait_syscall(t.pid, 232 /* epoll_wait */, 10000));
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, 0));
	attach_stop(s, t.pid, PTK_EV_STOP);
	CHECK_OK(ptk_detach(s, t.pid, 1000));
	answers(&t, "after-attach");

	CHECK(lt_wait_syscall(t.pid, 232, 10000));
	attach_stop(s, t.pid, PTK_EV_STOP);
	CHECK_OK(ptk_resume(s, t.pid, PTK_RESUME_SYSCALL, 0));
	/* The first syscall stop is epoll_wait entered again, not its EINTR exit. */
	struct ptk_event ev;
	lt_next(s, &ev);
	CHECK_EQ_STR(kname(ev.kind), kname(PTK_EV_SYSCALL_ENTER));
	CHECK_EQ_INT(ev.sc.nr, 232);
	CHECK_OK(ptk_resume(s, t.pid, PTK_RESUME_SYSCALL, 0));
	CHECK(lt_wait_syscall(t.pid, 232, 10000));
	CHECK_OK(ptk_detach(s, t.pid, 1000));
	answers(&t, "after-detach");
	ptk_session_end(s, false, 1000);
	finish(&t);
}

/* Every thread listed in /proc/PID/task is traced by us. */
static void all_threads_traced(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", pid);
	DIR *d = opendir(path);
	CHECK(d);
	struct dirent *de;
	int n = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		pid_t tid = atoi(de->d_name);
		long tracer = lt_status_field(tid, "TracerPid");
		/* A thread that exited meanwhile has no status (-1). */
		CHECK_MSG(tracer == getpid() || tracer == -1, "thread %d of %d has TracerPid %ld",
		          tid, pid, tracer);
		n++;
	}
	closedir(d);
	CHECK(n > 8);
}

/*
 * Attaching while threads are being created (PITFALLS #23): when the attach
 * returns, no thread of the process is left untraced, with and without
 * following clones (a seized thread may clone after the last read of
 * /proc/PID/task).  Repeated to give the race its chances.
 */
TEST(attach_while_threads_are_created)
{
	char *argv[] = {(char *)th_tracee("thread_churn"), "8", NULL};
	int in, out;
	pid_t pid = lt_popen(argv, &in, &out);
	char line[64];
	CHECK(lt_read_line(out, line, sizeof line, 10000));
	CHECK_EQ_STR(line, "ready");
	for (int i = 0; i < 40; i++) {
		struct ptk_session *s;
		CHECK_OK(ptk_session_new(&s, i % 2 ? PTK_FOLLOW : 0));
		int n = 0;
		CHECK_OK(ptk_attach(s, pid, 0, &n));
		CHECK(n >= 9);
		all_threads_traced(pid);
		ptk_session_end(s, false, 2000);
		CHECK_EQ_INT(lt_status_field(pid, "TracerPid"), 0);
	}
	kill(pid, SIGKILL);
	int st;
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK_MSG(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "status %#x", st);
	close(in);
	close(out);
}

/* The children of pid (its first thread's), into kids; their number. */
static int children_of(pid_t pid, pid_t *kids, int cap)
{
	char path[96], buf[256];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", pid, pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	int k = 0;
	for (char *p = buf, *end; k < cap; p = end) {
		long v = strtol(p, &end, 10);
		if (end == p)
			break;
		kids[k++] = (pid_t)v;
	}
	return k;
}

/*
 * A vfork parent sleeps in D state until its child is done: it cannot
 * stop, so a detach times out and leaves it traced.  The detach releases
 * it: the session has no tracee left (ptk_wait returns -ECHILD at once,
 * even without PTK_WAIT_NOHANG), attaching again takes it back, and once
 * the child is gone and the parent stops, ptk_wait detaches it without
 * reporting anything.  It runs on untraced to its end.
 */
TEST(detach_releases_vfork_parent_in_d_state)
{
	char *argv[] = {(char *)th_tracee("trace_mix"), "vfork_sleep", NULL};
	int in, out;
	pid_t pid = lt_popen(argv, &in, &out);
	char line[256];
	CHECK(lt_read_line(out, line, sizeof line, 10000));
	pid_t kid = 0;
	for (int i = 0; i < 1000 && !(lt_state(pid) == 'D' && children_of(pid, &kid, 1)); i++)
		lt_msleep(10);
	CHECK_MSG(lt_state(pid) == 'D' && kid > 0, "state %c, child %d", lt_state(pid), kid);

	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, PTK_FOLLOW | PTK_TRACE_VFORK_DONE));
	struct ptk_event ev;
	for (int round = 0; round < 2; round++) {
		/* The second round attaches to the released thread again. */
		int n = 0;
		CHECK_OK(ptk_attach(s, pid, PTK_ATTACH_NOSTOP, &n));
		CHECK_EQ_INT(n, 1);
		CHECK_EQ_INT(ptk_detach(s, pid, 100), -ETIMEDOUT);
		CHECK_EQ_INT(ptk_session_nthreads(s), 0);
		CHECK_EQ_INT(lt_status_field(pid, "TracerPid"), getpid());
		CHECK_EQ_INT(lt_state(pid), 'D');
		CHECK_EQ_INT(ptk_wait(s, &ev, PTK_WAIT_NOHANG), -ECHILD);
		CHECK_EQ_INT(ptk_wait(s, &ev, 0), -ECHILD);
	}

	CHECK(kill(kid, SIGKILL) == 0);
	bool untraced = false;
	for (int i = 0; i < 1000 && !untraced; i++) {
		CHECK_EQ_INT(ptk_wait(s, &ev, PTK_WAIT_NOHANG), -ECHILD); /* nothing reported */
		untraced = lt_status_field(pid, "TracerPid") == 0;
		if (!untraced)
			lt_msleep(10);
	}
	CHECK_MSG(untraced, "still traced by %ld, state %c", lt_status_field(pid, "TracerPid"),
	          lt_state(pid));
	CHECK(lt_read_line(out, line, sizeof line, 10000));
	CHECK_EQ_STR(line, "child done");
	int st;
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %#x", st);
	ptk_session_end(s, false, 1000);
	close(in);
	close(out);
}
