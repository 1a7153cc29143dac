/* SPDX-License-Identifier: MIT */
/*
 * Hard case: execve(2) from a thread that is not the thread-group leader.
 *
 *	exec_thread
 *
 * main starts thread B, which blocks in read(2) on a pipe nobody writes,
 * and thread A, which calls execve("/proc/self/exe", {"exec_thread",
 * "after"}) while main waits in pthread_join(A) and B in read.  The kernel
 * kills main and B, gives A the pid as its tid, and runs the new image,
 * which prints the "after" lines and exits 0.
 *
 * Correct behaviour under a tracer: PTRACE_EVENT_EXEC is reported with
 * tid == pid and the former tid of A as its message; B's death is
 * reported; the old leader vanishes without a death report; the session
 * does not hang.  Output and status as untraced:
 *	before exec
 *	after exec
 *	tid==pid: yes
 *	threads: 1
 */
#include "tracee.h"

#include <dirent.h>
#include <pthread.h>
#include <sys/syscall.h>

static int ready[2], never[2];

static void *blocker(void *arg)
{
	(void)arg;
	char c = 1;
	if (write(ready[1], &c, 1) != 1)
		die("write");
	for (;;)
		if (read(never[0], &c, 1) >= 0)
			break;
	return NULL;
}

static void *execer(void *arg)
{
	(void)arg;
	char c;
	if (read(ready[0], &c, 1) != 1)
		die("read");
	char *const av[] = {"exec_thread", "after", NULL};
	execv("/proc/self/exe", av);
	die("execv");
}

static int count_tasks(void)
{
	DIR *d = opendir("/proc/self/task");
	if (!d)
		die("opendir");
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "after") == 0) {
		say("after exec\n");
		say("tid==pid: %s\n", syscall(SYS_gettid) == getpid() ? "yes" : "no");
		say("threads: %d\n", count_tasks());
		return 0;
	}
	if (pipe(ready) < 0 || pipe(never) < 0)
		die("pipe");
	say("before exec\n");
	pthread_t a, b;
	if ((errno = pthread_create(&b, NULL, blocker, NULL)))
		die("pthread_create");
	if ((errno = pthread_create(&a, NULL, execer, NULL)))
		die("pthread_create");
	pthread_join(a, NULL);
	say("not reached\n");
	return 1;
}
