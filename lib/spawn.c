/* SPDX-License-Identifier: MIT */
/*
 * fork + exec under trace, with PTRACE_SEIZE (so group-stops can be
 * resumed with PTRACE_LISTEN, which PTRACE_TRACEME does not allow):
 *
 *	child:  [setup] kill(getpid(), SIGSTOP); execve(...)
 *	parent: waitpid(WSTOPPED); PTRACE_SEIZE(options); kill(SIGCONT)
 *
 * Seizing a stopped task re-traps it into a PTRACE_EVENT_STOP; SIGCONT
 * ends the group-stop (so a later detach does not leave it stopped) and
 * arrives as a signal-delivery-stop, which ptk suppresses when the caller
 * first resumes.  The options are in force before execve runs, so the
 * caller sees the execve syscall-enter-stop and PTRACE_EVENT_EXEC.
 *
 * What can be checked before fork is checked (missing program, not
 * executable, not a format the kernel runs), so a failed spawn is an error
 * with errno, not a tracee that exits 127.
 */
#include "internal.h"

#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

extern char **environ;

/* Can the kernel execute this file?  0 or -errno, as execve would fail. */
static int check_exec(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	if (access(path, X_OK) < 0)
		return -errno;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == EACCES ? 0 : -errno; /* execute-only files exist */
	unsigned char h[4] = {0};
	ssize_t n = read(fd, h, sizeof h);
	close(fd);
	if (n >= 4 && h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F')
		return 0;
	if (n >= 2 && h[0] == '#' && h[1] == '!')
		return 0;
	/* Other formats may be registered with binfmt_misc. */
	if (access("/proc/sys/fs/binfmt_misc/status", F_OK) == 0)
		return 0;
	return -ENOEXEC;
}

/* execvp's search: the first match in $PATH that is executable. */
static int resolve(const char *prog, bool use_path, char *out, size_t len)
{
	if (!*prog)
		return -ENOENT;
	if (!use_path || strchr(prog, '/')) {
		size_t n = strlen(prog);
		if (n >= len)
			return -ENAMETOOLONG;
		memcpy(out, prog, n + 1);
		return check_exec(out);
	}
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	int first_err = -ENOENT;
	for (const char *p = path;; p++) {
		const char *e = strchr(p, ':');
		size_t dl = e ? (size_t)(e - p) : strlen(p);
		int k = dl ? snprintf(out, len, "%.*s/%s", (int)dl, p, prog)
		           : snprintf(out, len, "%s", prog);
		if (k > 0 && (size_t)k < len) {
			int r = check_exec(out);
			if (r == 0)
				return 0;
			/* Like execvp: report EACCES over ENOENT if seen. */
			if (r != -ENOENT && r != -ENOTDIR && first_err == -ENOENT)
				first_err = r;
		}
		if (!e)
			break;
		p = e;
	}
	return first_err;
}

static void child_fail(int fd, int err)
{
	ssize_t w = write(fd, &err, sizeof err);
	(void)w;
	_exit(127);
}

/*
 * The child stopped at its SIGCONT before installing the seccomp filter:
 * run it through that prctl(2) (suppressing the SIGCONT), to its
 * syscall-exit-stop, so the caller's first resume goes straight to execve
 * with the filter in force.
 */
static int install_filter_stop(struct ptk_session *s, pid_t pid)
{
	int st, sig = 0;
	bool entered = false;
	for (;;) {
		long r = pt(s, PTRACE_SYSCALL, pid, 0, (unsigned long)sig);
		if (r < 0)
			return (int)r;
		if (waitpid(pid, &st, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		observe_wait(s, pid, st);
		if (!WIFSTOPPED(st))
			return -ECHILD;
		sig = 0;
		if (WSTOPSIG(st) != (SIGTRAP | 0x80)) {
			/* A signal meanwhile: pass it on (event stops have none). */
			if (((unsigned)st >> 16) == 0)
				sig = WSTOPSIG(st);
			continue;
		}
		if (!entered) {
			entered = true;
			continue;
		}
		struct sc_info i;
		memset(&i, 0, sizeof i);
		r = pt(s, PTRACE_GET_SYSCALL_INFO, pid, sizeof i, (unsigned long)&i);
		if (r < 0)
			return (int)r;
		if (i.op == SC_OP_EXIT && i.exit.is_error)
			return (int)i.exit.rval;
		return 0;
	}
}

/*
 * In the child: exactly the signals in ign ignored, the rest at their
 * default (execve resets caught ones).  SIGSTOP and SIGCONT are left alone:
 * the stop below needs them, and ignoring SIGCONT changes nothing but
 * /proc's SigIgn (it continues a stopped process whatever its disposition).
 */
static void set_ignored(const sigset_t *ign)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP || sig == SIGCONT)
			continue;
		struct sigaction cur;
		if (sigaction(sig, NULL, &cur) < 0)
			continue; /* not a signal the kernel lets us set (glibc's own) */
		bool want_ign = sigismember(ign, sig) == 1;
		bool is_ign = cur.sa_handler == SIG_IGN && !(cur.sa_flags & SA_SIGINFO);
		if (want_ign == is_ign)
			continue; /* as wanted (a caught one: execve resets it) */
		sa.sa_handler = want_ign ? SIG_IGN : SIG_DFL;
		sigaction(sig, &sa, NULL);
	}
}

int ptk_spawn(struct ptk_session *s, const struct ptk_spawn_opts *o, pid_t *ret_pid)
{
	char path[PATH_MAX];
	int r = resolve(o->path, o->flags & PTK_SPAWN_PATH, path, sizeof path);
	if (r < 0)
		return r;
	struct sock_fprog prog = {0};
	if (o->seccomp_set) {
		if (!(s->flags & PTK_TRACE_SECCOMP))
			return -EINVAL;
		r = seccomp_prog_build(o->seccomp_set, o->seccomp_nr, &prog);
		if (r < 0)
			return r;
	}
	int errpipe[2];
	if (pipe2(errpipe, O_CLOEXEC) < 0) {
		r = -errno;
		goto out;
	}
	char *const *envp = o->envp ? o->envp : environ;
	pid_t pid = fork();
	if (pid < 0) {
		r = -errno;
		close(errpipe[0]);
		close(errpipe[1]);
		goto out;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls from here on. */
		close(errpipe[0]);
		/*
		 * The parent waits for the SIGCONT signal-delivery-stop below: with
		 * SIGCONT blocked (the requested or the inherited mask) it never comes
		 * before execve, so keep SIGCONT open until the stop and block it only
		 * after (that one rt_sigprocmask call is then traced, before execve).
		 */
		sigset_t want;
		sigprocmask(SIG_SETMASK, o->sigmask, &want);
		if (o->sigmask)
			want = *o->sigmask;
		bool cont_blocked = sigismember(&want, SIGCONT) == 1;
		if (cont_blocked) {
			sigset_t m = want;
			sigdelset(&m, SIGCONT);
			sigprocmask(SIG_SETMASK, &m, NULL);
		}
		if ((o->flags & PTK_SPAWN_SETPGID) && setpgid(0, 0) < 0)
			child_fail(errpipe[1], errno);
		if (o->cwd && chdir(o->cwd) < 0)
			child_fail(errpipe[1], errno);
		if (o->flags & PTK_SPAWN_NO_ASLR) {
			int pers = personality(0xffffffff);
			if (pers != -1)
				personality((unsigned long)pers | ADDR_NO_RANDOMIZE);
		}
		if (o->flags & PTK_SPAWN_SETUID) {
			if (setgroups(1, &o->gid) < 0 || setgid(o->gid) < 0 || setuid(o->uid) < 0)
				child_fail(errpipe[1], errno);
		}
		if (prog.filter && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			child_fail(errpipe[1], errno);
		if (o->sigignore)
			set_ignored(o->sigignore);
		kill(getpid(), SIGSTOP);
		if (cont_blocked)
			sigprocmask(SIG_SETMASK, &want, NULL);
		/*
		 * The filter goes in only now, with the tracer attached: its
		 * SECCOMP_RET_TRACE would make any syscall fail with ENOSYS
		 * before that (the kill above, for one).
		 */
		if (prog.filter && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
			child_fail(errpipe[1], errno);
		execve(path, o->argv, envp);
		child_fail(errpipe[1], errno);
	}
	close(errpipe[1]);

	int st;
	while (waitpid(pid, &st, WSTOPPED) < 0) {
		if (errno != EINTR) {
			r = -errno;
			goto fail_kill;
		}
	}
	observe_wait(s, pid, st);
	if (!WIFSTOPPED(st)) {
		/* The child failed its setup and exited: its errno says why. */
		int err = 0;
		r = read(errpipe[0], &err, sizeof err) == (ssize_t)sizeof err ? -err : -ECHILD;
		close(errpipe[0]);
		goto out;
	}
	long opts = s->ptrace_opts;
	if (!(s->flags & PTK_NO_EXITKILL))
		opts |= PTRACE_O_EXITKILL;
	r = (int)pt(s, PTRACE_SEIZE, pid, 0, (unsigned long)opts);
	if (r < 0)
		goto fail_kill;
	struct proc *p = proc_add(s, pid);
	struct tracee *t = p ? tracee_add(s, p, pid) : NULL;
	if (!t) {
		r = -ENOMEM;
		goto fail_kill;
	}
	p->spawned = true;
	kill(pid, SIGCONT);
	/* Run to the SIGCONT signal-delivery-stop, past the seize re-trap. */
	for (;;) {
		if (waitpid(pid, &st, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			goto fail_del;
		}
		observe_wait(s, pid, st);
		if (!WIFSTOPPED(st)) {
			r = -ECHILD;
			goto fail_del;
		}
		int sig = WSTOPSIG(st), ev = (unsigned)st >> 16;
		if (ev == 0 && sig == SIGCONT)
			break;
		/* A re-trap (PTRACE_EVENT_STOP) is resumed; a real signal is delivered. */
		pt(s, PTRACE_CONT, pid, 0, ev ? 0 : (unsigned long)sig);
	}
	if (prog.filter) {
		r = install_filter_stop(s, pid);
		if (r < 0)
			goto fail_del;
	}
	close(errpipe[0]);
	t->state = T_STOPPED;
	t->stop_kind = PTK_EV_STOP;
	t->initial = true;
	*ret_pid = pid;
	r = 0;
	goto out;

fail_del:
	proc_del(s, p);
fail_kill:
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, __WALL) < 0 && errno == EINTR)
		;
	close(errpipe[0]);
out:
	seccomp_prog_free(&prog);
	return r;
}
