/* SPDX-License-Identifier: MIT */
/*
 * Hard case: exit_group(2) while other threads are blocked in read(2).
 *
 *	exit_group_threads [N]	(default 3)
 *	exit_group_threads N hold
 *
 * Starts N threads that each block in read(2) on a pipe nobody writes,
 * waits until /proc shows every one of them asleep inside read (syscall 0,
 * state S: past a tracer's enter stop), then
 * prints "exiting" and calls exit_group(4).  Correct behaviour under a
 * tracer: each thread has a syscall-enter-stop for read and no exit stop,
 * then reports its death; the leader's exit_group has an enter stop and
 * no exit stop.  Output and status as untraced:
 *	threads blocked: 3
 *	exiting
 *
 * hold mode (an attach target with several threads): once the threads are
 * blocked, prints "threads blocked: N", then reads stdin to its end before
 * "exiting".
 */
#include "tracee.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>

static int never[2];
static volatile pid_t tids[256];

static void *run(void *arg)
{
	int i = (int)(long)arg;
	tids[i] = (pid_t)syscall(SYS_gettid);
	char c;
	while (read(never[0], &c, 1) < 0)
		;
	return NULL;
}

/* /proc/self/task/TID/NAME into buf (at most cap - 1 bytes, NUL-ended): its length or -1. */
static ssize_t task_file(pid_t tid, const char *name, char *buf, size_t cap)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/self/task/%d/%s", tid, name);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

/*
 * Is thread tid asleep inside read(2)?  /proc/self/task/TID/syscall starts
 * "0 " and its state is S.  The syscall alone is not enough: a thread held
 * at a tracer's syscall-enter-stop for read shows "0 " too (state t), and
 * if the tracer has not collected that stop when exit_group kills the
 * thread, the stop is lost and the tracer never sees the read.
 */
static bool in_read(pid_t tid)
{
	char buf[512];
	if (task_file(tid, "syscall", buf, sizeof buf) < 2 || buf[0] != '0' || buf[1] != ' ')
		return false;
	if (task_file(tid, "stat", buf, sizeof buf) < 0)
		return false;
	const char *rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' && rp[2] == 'S';
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3;
	if (n < 1 || n > 256)
		n = 3;
	if (pipe(never) < 0)
		die("pipe");
	for (int i = 0; i < n; i++) {
		pthread_t th;
		if ((errno = pthread_create(&th, NULL, run, (void *)(long)i)))
			die("pthread_create");
	}
	int blocked = 0;
	for (int tries = 0; tries < 100000 && blocked < n; tries++) {
		blocked = 0;
		for (int i = 0; i < n; i++)
			blocked += tids[i] && in_read(tids[i]);
		if (blocked < n)
			usleep(1000);
	}
	say("threads blocked: %d\n", blocked);
	if (argc > 2 && strcmp(argv[2], "hold") == 0) {
		char buf[64];
		while (read(0, buf, sizeof buf) > 0 || errno == EINTR)
			errno = 0;
	}
	say("exiting\n");
	syscall(SYS_exit_group, 4);
	return 1;
}
