/* SPDX-License-Identifier: MIT */
/*
 * Golden-test tracee of the process decoders (tests/trace/test_decode_proc.py):
 * process syscalls with specific arguments, each case a fixed sequence.
 *
 *	proccalls CASE...
 *
 * Cases:
 *	wait	children that exit 3, are killed by SIGTERM, stop and
 *		continue, reaped by wait4 and waitid in their forms (WNOHANG
 *		with nobody ready, WNOWAIT, rusage, ECHILD)
 *	clone	clone as fork with CLONE_PARENT_SETTID|CLONE_CHILD_SETTID,
 *		clone with CLONE_VM and a stack, clone with CLONE_PIDFD,
 *		invalid clone flags, clone3 with CLONE_PIDFD, invalid and
 *		unreadable clone3 arguments, vfork
 *	exec	execve of a missing file with 40 arguments and with a NULL
 *		environment, execveat of a missing file
 *	sched	sched_* calls, personality, process groups, set_tid_address,
 *		kill/tkill/tgkill with signal 0, pidfd_open/pidfd_send_signal,
 *		unshare, setns, process_vm_readv/writev on itself
 *	ptrace	a child that asks to be traced (PTRACE_TRACEME) and stops;
 *		the tracee, as its tracer, peeks, reads its event message,
 *		siginfo and registers, sets options, and lets it go (run it
 *		without following children: a tracer of the children makes
 *		PTRACE_TRACEME fail)
 * Prints "CASE ok" for each case and exits 0.
 */
#include "tracee.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <stdint.h>
#include <sys/wait.h>

static int child_fn(void *arg)
{
	(void)arg;
	return 3;
}

static void c_wait(void)
{
	int st;
	struct rusage ru;
	siginfo_t si;
	pid_t p = fork();
	if (p == 0)
		_exit(3);
	wait4(p, &st, 0, &ru);
	p = fork();
	if (p == 0) {
		pause();
		_exit(0);
	}
	memset(&si, 0, sizeof si);
	waitid(P_PID, (id_t)p, &si, WEXITED | WNOHANG);
	wait4(p, &st, WNOHANG, NULL);
	kill(p, SIGTERM);
	waitid(P_PID, (id_t)p, &si, WEXITED | WNOWAIT);
	wait4(p, &st, 0, NULL);
	/*
	 * The continued child waits for a byte before it exits: were it to
	 * exit first, wait4(WCONTINUED) could reap the exit instead and the
	 * next wait4 get ECHILD, depending on scheduling.
	 */
	int go[2];
	if (pipe(go) != 0)
		die("pipe");
	p = fork();
	if (p == 0) {
		char c;
		raise(SIGSTOP);
		_exit(read(go[0], &c, 1) == 1 ? 0 : 1);
	}
	wait4(p, &st, WUNTRACED, NULL);
	kill(p, SIGCONT);
	wait4(p, &st, WCONTINUED, NULL);
	if (write(go[1], "x", 1) != 1)
		die("write");
	wait4(p, &st, 0, NULL);
	close(go[0]);
	close(go[1]);
	wait4(-1, &st, WNOHANG, NULL);
	waitid(P_ALL, 0, &si, WEXITED);
	say("wait ok\n");
}

static void c_clone(void)
{
	int st, ptid = 0, ctid = 0, pfd = -1;
	long r = syscall(SYS_clone, CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | SIGCHLD, 0, &ptid,
	                 &ctid, 0);
	if (r == 0)
		_exit(0);
	wait4((pid_t)r, &st, 0, NULL);
	static char stack[65536] __attribute__((aligned(16)));
	pid_t p = clone(child_fn, stack + sizeof stack, CLONE_VM | SIGCHLD, NULL);
	wait4(p, &st, __WALL, NULL);
	r = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &pfd, 0, 0);
	if (r == 0)
		_exit(0);
	wait4((pid_t)r, &st, 0, NULL);
	close(pfd);
	syscall(SYS_clone, CLONE_THREAD | 0x91, 0, 0, 0, 0);
	struct clone_args ca = {.flags = CLONE_PIDFD, .exit_signal = SIGCHLD};
	ca.pidfd = (uint64_t)(uintptr_t)&pfd;
	r = syscall(SYS_clone3, &ca, sizeof ca);
	if (r == 0)
		_exit(0);
	wait4((pid_t)r, &st, 0, NULL);
	close(pfd);
	pid_t tids[1] = {999999};
	struct clone_args bad = {.flags = CLONE_VM | CLONE_VFORK | CLONE_SETTLS,
	                         .exit_signal = 77,
	                         .stack = 0x1000,
	                         .stack_size = 0x4000,
	                         .tls = 0x55,
	                         .set_tid = (uint64_t)(uintptr_t)tids,
	                         .set_tid_size = 1};
	syscall(SYS_clone3, &bad, sizeof bad);
	syscall(SYS_clone3, &bad, 64);
	syscall(SYS_clone3, (void *)8, sizeof bad);
	p = vfork();
	if (p == 0)
		_exit(4);
	wait4(p, NULL, 0, NULL);
	say("clone ok\n");
}

static void c_exec(void)
{
	char *av[42];
	char nums[40][4];
	av[0] = "/nonexistent/prog";
	for (int i = 0; i < 40; i++) {
		snprintf(nums[i], sizeof nums[i], "%d", i + 1);
		av[i + 1] = nums[i];
	}
	av[41] = NULL;
	char *env[] = {"A=1", "B=2", NULL};
	execve(av[0], av, env);
	char *one[] = {"x", NULL};
	syscall(SYS_execve, "/nonexistent/x", one, NULL);
	syscall(SYS_execveat, AT_FDCWD, "/nonexistent/y", one, env, AT_SYMLINK_NOFOLLOW);
	say("exec ok\n");
}

static void c_sched(void)
{
	cpu_set_t cs;
	CPU_ZERO(&cs);
	CPU_SET(0, &cs);
	sched_getaffinity(0, sizeof cs, &cs);
	CPU_ZERO(&cs);
	CPU_SET(0, &cs);
	sched_setaffinity(0, 8, &cs);
	syscall(SYS_sched_getaffinity, 0, 3, &cs);
	struct sched_param sp = {0};
	sched_setscheduler(0, SCHED_OTHER, &sp);
	sched_getscheduler(0);
	sched_getparam(0, &sp);
	sched_get_priority_max(SCHED_FIFO);
	struct timespec ts;
	sched_rr_get_interval(0, &ts);
	personality(0xffffffff);
	int old = personality(PER_LINUX32);
	personality((unsigned long)old);
	setpgid(0, 0);
	getpgid(0);
	int st;
	syscall(SYS_set_tid_address, &st);
	kill(getpid(), 0);
	syscall(SYS_tkill, syscall(SYS_gettid), 0);
	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), 0);
	int pfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0);
	close(pfd);
	unshare(0);
	setns(-1, CLONE_NEWNET);
	char src[8] = "abcdefg", dst[8] = {0};
	struct iovec l = {dst, sizeof dst}, r = {src, sizeof src};
	process_vm_readv(getpid(), &l, 1, &r, 1, 0);
	process_vm_writev(getpid(), &r, 1, &l, 1, 0);
	say("sched ok\n");
}

static void c_ptrace(void)
{
	int st;
	pid_t p = fork();
	if (p == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
			_exit(3);
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(p, &st, 0);
	static long word = 0x1234;
	ptrace(PTRACE_PEEKDATA, p, &word, 0);
	ptrace(PTRACE_POKEDATA, p, &word, 0x42);
	unsigned long msg;
	ptrace(PTRACE_GETEVENTMSG, p, 0, &msg);
	siginfo_t si;
	ptrace(PTRACE_GETSIGINFO, p, 0, &si);
	ptrace(PTRACE_SETOPTIONS, p, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXIT);
	ptrace(0x5555, p, 2, 3);
	ptrace(PTRACE_DETACH, p, 0, SIGCONT);
	waitpid(p, &st, 0);
	say("ptrace ok\n");
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "wait") == 0)
			c_wait();
		else if (strcmp(argv[i], "clone") == 0)
			c_clone();
		else if (strcmp(argv[i], "exec") == 0)
			c_exec();
		else if (strcmp(argv[i], "sched") == 0)
			c_sched();
		else if (strcmp(argv[i], "ptrace") == 0)
			c_ptrace();
		else
			return 2;
	}
	return 0;
}
