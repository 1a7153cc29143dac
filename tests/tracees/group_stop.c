/* SPDX-License-Identifier: MIT */
/*
 * Hard case: group-stop and job control (SIGSTOP, SIGTSTP, SIGCONT).
 *
 *	group_stop		(the "child" mode)
 *	group_stop self
 *
 * child mode: for SIGSTOP then SIGTSTP, fork a child that moves to its
 * own process group (so SIGTSTP is not discarded as sent to an orphaned
 * group) and stops itself with that signal; the parent, like a shell,
 * sees it stopped (waitpid WUNTRACED), sends SIGCONT, sees it continued
 * (WCONTINUED), lets it go on through a pipe and reaps it.  Output and
 * status as untraced:
 *	child stopped by 19
 *	child continued
 *	child exited 0
 *	child stopped by 20
 *	child continued
 *	child exited 0
 *
 * self mode: print "stopping", write the pid to stderr, raise(SIGSTOP),
 * then print "continued" and exit 0.  Someone else must send SIGCONT.
 *
 * Correct behaviour under a tracer: the stopping signal is first a
 * signal-delivery-stop, then (delivered) a group-stop; the process stays
 * stopped until SIGCONT (PTRACE_LISTEN, not PTRACE_CONT); the real parent
 * sees the stop and the continuation as without a tracer.
 */
#include "tracee.h"

#include <signal.h>
#include <sys/wait.h>

static void one(int sig)
{
	int go[2];
	if (pipe(go) < 0)
		die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(go[1]);
		if (setpgid(0, 0) < 0)
			die("setpgid");
		raise(sig);
		char c;
		_exit(read(go[0], &c, 1) == 1 ? 0 : 3);
	}
	close(go[0]);
	int st;
	while (waitpid(pid, &st, WUNTRACED) < 0)
		if (errno != EINTR)
			die("waitpid");
	if (WIFSTOPPED(st))
		say("child stopped by %d\n", WSTOPSIG(st));
	else
		say("child not stopped: %#x\n", st);
	kill(pid, SIGCONT);
	while (waitpid(pid, &st, WCONTINUED) < 0)
		if (errno != EINTR)
			die("waitpid");
	if (WIFCONTINUED(st))
		say("child continued\n");
	else
		say("child not continued: %#x\n", st);
	if (write(go[1], "g", 1) != 1)
		die("write");
	close(go[1]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	if (WIFEXITED(st))
		say("child exited %d\n", WEXITSTATUS(st));
	else
		say("child status %#x\n", st);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "self") == 0) {
		say("stopping\n");
		say_fd(2, "pid %d\n", getpid());
		raise(SIGSTOP);
		say("continued\n");
		return 0;
	}
	one(SIGSTOP);
	one(SIGTSTP);
	return 0;
}
