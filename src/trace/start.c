/* SPDX-License-Identifier: MIT */
/*
 * Starting the tracees: spawn the program (with -E's environment, -u's
 * user and, when the trace set leaves syscalls out, ptk's seccomp filter),
 * attach to -p's processes, or with -D run the tracer as a detached
 * grandchild that attaches to the program, so that the program is the
 * direct child of whoever started ptk.
 */
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

extern char **environ;

/* environ with -E's changes applied in order; NULL when there are none. */
static char **build_env(const struct trace_opts *o)
{
	if (!o->nenv)
		return NULL;
	size_t n = 0;
	while (environ && environ[n])
		n++;
	char **env = calloc(n + (size_t)o->nenv + 1, sizeof *env);
	if (!env)
		return NULL;
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		env[m++] = environ[i];
	for (int k = 0; k < o->nenv; k++) {
		const char *e = o->env[k];
		const char *eq = strchr(e, '=');
		size_t nl = eq ? (size_t)(eq - e) : strlen(e);
		size_t w = 0;
		for (size_t i = 0; i < m; i++)
			if (!(strncmp(env[i], e, nl) == 0 && env[i][nl] == '='))
				env[w++] = env[i];
		m = w;
		if (eq)
			env[m++] = (char *)e;
	}
	env[m] = NULL;
	return env;
}

static int lookup_user(const char *name, uid_t *uid, gid_t *gid, char *err, size_t errlen)
{
	struct passwd *pw = getpwnam(name);
	if (!pw) {
		char *end;
		long v = strtol(name, &end, 10);
		if (*name && !*end && v >= 0)
			pw = getpwuid((uid_t)v);
	}
	if (!pw) {
		snprintf(err, errlen, "cannot find user '%s'", name);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

/* A tcb for a thread ptk starts to trace itself. */
static struct tcb *first_tcb(struct trace *t, pid_t tid, pid_t pid, bool visible, bool filtered)
{
	struct tcb *c = tcb_get(t, tid, pid);
	if (c) {
		tcb_set_visible(t, c, visible);
		c->filtered = c->under_filter = filtered;
	}
	return c;
}

static int spawn(struct trace *t, char *err, size_t errlen)
{
	struct ptk_spawn_opts so = {
	        .path = t->o.argv[0],
	        .argv = t->o.argv,
	        .flags = PTK_SPAWN_PATH,
	        .sigmask = &t->orig_mask,
	        .sigignore = &t->orig_ignored,
	};
	uint8_t set[(SC_BITS + 7) / 8];
	char **env = build_env(&t->o);
	so.envp = env;
	if (t->o.user) {
		if (lookup_user(t->o.user, &so.uid, &so.gid, err, errlen) < 0) {
			free(env);
			return -1;
		}
		so.flags |= PTK_SPAWN_SETUID;
	}
	if (t->seccomp) {
		size_t nbits = (size_t)ptk_syscall_count(PTK_ARCH_X86_64);
		filter_seccomp_set(t, set, nbits);
		so.seccomp_set = set;
		so.seccomp_nr = nbits;
	}
	pid_t pid;
	int r = ptk_spawn(t->s, &so, &pid);
	free(env);
	if (r < 0) {
		ptk_explain(PTK_OP_SPAWN, r, t->o.argv[0], err, errlen);
		return -1;
	}
	t->main_pid = pid;
	t->skip_first_exec = true;
	/* Its timeline track is named at its execve (it is still "ptk" now). */
	struct tcb *c = first_tcb(t, pid, pid, true, t->seccomp);
	r = ptk_resume(t->s, pid, c && c->filtered ? PTK_RESUME_CONT : PTK_RESUME_SYSCALL, 0);
	if (r < 0 && r != -ESRCH) {
		snprintf(err, errlen, "cannot start '%s': %s", t->o.argv[0], strerror(-r));
		return -1;
	}
	return 0;
}

static int attach(struct trace *t, pid_t pid, bool hidden, char *err, size_t errlen)
{
	char pidtxt[16];
	int nthreads = 0;
	snprintf(pidtxt, sizeof pidtxt, "%d", pid);
	int r = ptk_attach(t->s, pid, 0, &nthreads);
	if (r < 0) {
		ptk_explain(PTK_OP_ATTACH, r, pidtxt, err, errlen);
		return -1;
	}
	pid_t tids[512];
	int n = ptk_process_threads(t->s, pid, tids, 512);
	for (int i = 0; i < n && i < 512; i++) {
		/* Without -f strace traces only the thread it was given. */
		struct tcb *c = first_tcb(t, tids[i], pid, t->o.follow || tids[i] == pid, false);
		if (c)
			c->hide_until_exec = hidden;
		if (t->tl)
			timeline_thread(t, pid, tids[i]);
	}
	if (!(t->o.quiet_set & Q_ATTACH)) {
		if (t->o.follow && nthreads > 1)
			trace_msg(t, "Process %d attached with %d threads", pid, nthreads);
		else
			trace_msg(t, "Process %d attached", pid);
	}
	return 0;
}

int start_tracees(struct trace *t, char *err, size_t errlen)
{
	if (t->daemon_target)
		return attach(t, t->daemon_target, true, err, errlen);
	if (t->o.argv && spawn(t, err, errlen) < 0)
		return -1;
	for (int i = 0; i < t->o.npids; i++)
		if (attach(t, t->o.pids[i], false, err, errlen) < 0)
			return -1;
	return 0;
}

/* -D: tell the program the tracer is there (1) or that it failed (0). */
void start_daemon_go(struct trace *t, bool ok)
{
	if (t->daemon_fd < 0)
		return;
	if (ok) {
		char c = 1;
		while (write(t->daemon_fd, &c, 1) < 0 && errno == EINTR)
			;
	}
	close(t->daemon_fd);
	t->daemon_fd = -1;
}

/*
 * -D: this process becomes the program; a grandchild becomes the tracer
 * and attaches to it.  Returns 0 in the tracer (t->daemon_target set);
 * in the program it does not return (it execs, or exits 1 when the
 * tracer could not attach).
 */
int start_daemonized(struct trace *t, char *err, size_t errlen)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	uid_t uid = 0;
	gid_t gid = 0;
	if (t->o.user && lookup_user(t->o.user, &uid, &gid, err, errlen) < 0)
		return -1;
	/* Allowed to be traced by the grandchild under Yama's ptrace_scope 1. */
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	/* The intermediate child is reaped by the kernel, not left a zombie. */
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	sigaction(SIGCHLD, &ign, &old);
	pid_t target = getpid();
	pid_t c = fork();
	if (c < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (c == 0) {
		pid_t g = fork();
		if (g != 0)
			_exit(g < 0);
		sigaction(SIGCHLD, &old, NULL);
		close(fds[0]);
		if (t->o.daemonize == 2)
			setpgid(0, 0);
		else if (t->o.daemonize >= 3)
			setsid();
		t->daemon_target = target;
		t->daemon_fd = fds[1];
		return 0;
	}
	close(fds[1]);
	char ok = 0;
	ssize_t n;
	while ((n = read(fds[0], &ok, 1)) < 0 && errno == EINTR)
		;
	close(fds[0]);
	sigaction(SIGCHLD, &old, NULL);
	prctl(PR_SET_PTRACER, 0, 0, 0, 0);
	if (n != 1)
		_exit(1); /* the tracer said why */
	if (t->o.user) {
		if (initgroups(t->o.user, gid) < 0 || setgid(gid) < 0 || setuid(uid) < 0) {
			fprintf(stderr, "ptk trace: cannot run as '%s': %s\n", t->o.user,
			        strerror(errno));
			_exit(1);
		}
	}
	char **env = build_env(&t->o);
	sigprocmask(SIG_SETMASK, &t->orig_mask, NULL);
	execvpe(t->o.argv[0], t->o.argv, env ? env : environ);
	fprintf(stderr, "ptk trace: cannot run '%s': %s\n", t->o.argv[0], strerror(errno));
	_exit(127);
}
