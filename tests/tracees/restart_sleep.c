/* SPDX-License-Identifier: MIT */
/*
 * Hard case: restart_syscall(2).  A clock_nanosleep interrupted by a
 * signal that runs no handler is resumed by the kernel through
 * restart_syscall (nr 219), not by re-issuing clock_nanosleep.
 *
 *	restart_sleep [MS]		(default 1000)
 *	restart_sleep plain [MS]	(default 1000)
 *
 * Default mode: fork a child that waits until /proc shows its parent in
 * clock_nanosleep (syscall 230) and exits; the parent sleeps MS ms with
 * the raw clock_nanosleep syscall, then reaps the child.  Untraced,
 * SIGCHLD is ignored by default and discarded when sent, so the sleep is
 * not interrupted; under a tracer every signal is reported, the sleep
 * returns ERESTART_RESTARTBLOCK (-516), and after the tracer resumes the
 * signal-delivery-stop the sleep goes on as restart_syscall.
 *
 * plain mode: only the sleep; the test interrupts it (SIGSTOP then
 * SIGCONT, or a signal it suppresses).
 *
 * Correct behaviour under a tracer: restart_syscall appears as its own
 * syscall after the interruption; output and status as untraced:
 *	sleeping
 *	slept 0
 *	child exited 0		(default mode only)
 */
#include "tracee.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

/* Is process pid inside clock_nanosleep?  /proc/PID/syscall starts "230 ". */
static bool in_sleep(pid_t pid)
{
	char path[64], buf[128];
	snprintf(path, sizeof path, "/proc/%d/syscall", pid);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	return n >= 4 && memcmp(buf, "230 ", 4) == 0;
}

int main(int argc, char **argv)
{
	bool plain = argc > 1 && strcmp(argv[1], "plain") == 0;
	const char *ms_arg = argc > (plain ? 2 : 1) ? argv[plain ? 2 : 1] : NULL;
	long ms = ms_arg ? atol(ms_arg) : 1000;
	pid_t child = -1;
	if (!plain) {
		pid_t parent = getpid();
		child = fork();
		if (child < 0)
			die("fork");
		if (child == 0) {
			for (int i = 0; i < 100000 && !in_sleep(parent); i++)
				usleep(500);
			_exit(0);
		}
	}
	say("sleeping\n");
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	long r = syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL);
	say("slept %ld\n", r);
	if (!plain) {
		int st;
		while (waitpid(child, &st, 0) < 0)
			if (errno != EINTR)
				die("waitpid");
		say("child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
	return 0;
}
