/* SPDX-License-Identifier: MIT */
/*
 * Hard case: a tracee with its own seccomp filter.
 *
 *	seccomp_own
 *
 * Installs (no_new_privs, then a raw BPF program) a filter that returns
 * SECCOMP_RET_TRACE | 0x42 for getppid (110), SECCOMP_RET_ERRNO | EPERM
 * for getuid (102), and allows everything else.  Then calls getppid and
 * getuid and prints their results (then getpid and uname, which the
 * filter allows), and does the same in a child created
 * with CLONE_UNTRACED (which inherits the filter but can never have a
 * tracer).  RET_TRACE with no tracer, or a tracer without
 * PTRACE_O_TRACESECCOMP, makes the syscall fail with ENOSYS.
 *
 * Correct behaviour under a tracer, with or without PTRACE_O_TRACESECCOMP
 * (when the tracer takes no interest in the tracee's RET_TRACE, the
 * result must still be ENOSYS; strace 6.1 --seccomp-bpf -f gets this
 * wrong); RET_ERRNO passes through.  Output and status as untraced:
 *	getppid: -1 ENOSYS
 *	getuid: -1 EPERM
 *	getpid: ok
 *	uname: ok
 *	child getppid: -1 ENOSYS
 *	child getuid: -1 EPERM
 *	child exited 0
 */
#include "tracee.h"

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

static void install(void)
{
	struct sock_filter f[] = {
	        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
	        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
	        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | 0x42),
	        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getuid, 0, 1),
	        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof f / sizeof f[0], .filter = f};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("PR_SET_NO_NEW_PRIVS");
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		die("PR_SET_SECCOMP");
}

static void calls(const char *who)
{
	long r = syscall(SYS_getppid);
	say("%sgetppid: %ld %s\n", who, r, r < 0 ? errname(errno) : "");
	r = syscall(SYS_getuid);
	say("%sgetuid: %ld %s\n", who, r, r < 0 ? errname(errno) : "");
}

int main(void)
{
	install();
	calls("");
	say("getpid: %s\n", syscall(SYS_getpid) == getpid() ? "ok" : "bad");
	struct utsname u;
	say("uname: %s\n", uname(&u) == 0 ? "ok" : "bad");
	long pid = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
	if (pid < 0)
		die("clone");
	if (pid == 0) {
		calls("child ");
		_exit(0);
	}
	int st;
	while (waitpid((pid_t)pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	say("child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
