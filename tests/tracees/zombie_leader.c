/* SPDX-License-Identifier: MIT */
/*
 * Hard case: the thread-group leader exits first (pthread_exit from main,
 * which is SYS_exit of that thread only) while other threads run on; the
 * last of them ends the process with exit_group(5).
 *
 *	zombie_leader
 *	zombie_leader hold
 *
 * Thread 1 makes a few getppid calls and prints "t1 done"; thread 2 waits
 * for thread 1 (pthread_join), prints "t2 done" and calls exit(5).  main
 * prints "leader exits", opens the gate thread 1 waits at, and leaves;
 * thread 1 goes on only once /proc shows the leader as a zombie.
 *
 * Correct behaviour under a tracer: the leader's exit is reported only
 * after every other thread is gone (a tracer that waits for it first
 * hangs); its status is the group's, 5.  Output and status as untraced:
 *	leader exits
 *	t1 done
 *	t2 done
 *
 * hold mode (an attach target whose leader is a zombie): thread 1 prints
 * "ready" once the leader is a zombie, then answers each line of stdin
 * with "got LINE" and calls exit(5) at end of input.  Correct behaviour of
 * a tracer attaching to it: the live thread is attached (the zombie leader
 * cannot be), and runs on after detach.
 */
#include "tracee.h"

#include <pthread.h>
#include <sys/syscall.h>

static int gate[2];
static pthread_t t1;
static bool hold;

static void answer_lines(void)
{
	char buf[256];
	size_t len = 0;
	for (;;) {
		ssize_t r = read(0, buf + len, sizeof buf - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			exit(5);
		len += (size_t)r;
		buf[len] = 0;
		char *nl;
		while ((nl = strchr(buf, '\n'))) {
			*nl = 0;
			say("got %s\n", buf);
			len -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, len + 1);
		}
		if (len == sizeof buf - 1)
			len = 0;
	}
}

static void *run1(void *arg)
{
	(void)arg;
	char c;
	if (read(gate[0], &c, 1) != 1)
		die("read");
	/* Wait until the leader is a zombie, so the rest runs without it. */
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", getpid());
	for (int i = 0; i < 100000; i++) {
		FILE *f = fopen(path, "r");
		if (!f)
			die("fopen");
		size_t n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[n] = 0;
		char *rp = strrchr(buf, ')');
		if (rp && rp[2] == 'Z')
			break;
		usleep(1000);
	}
	if (hold) {
		say("ready\n");
		answer_lines();
	}
	for (int i = 0; i < 3; i++)
		syscall(SYS_getppid);
	say("t1 done\n");
	return NULL;
}

static void *run2(void *arg)
{
	(void)arg;
	pthread_join(t1, NULL);
	say("t2 done\n");
	exit(5);
}

int main(int argc, char **argv)
{
	pthread_t t2;
	hold = argc > 1 && strcmp(argv[1], "hold") == 0;
	if (pipe(gate) < 0)
		die("pipe");
	if ((errno = pthread_create(&t1, NULL, run1, NULL)))
		die("pthread_create");
	if (!hold && (errno = pthread_create(&t2, NULL, run2, NULL)))
		die("pthread_create");
	say("leader exits\n");
	char c = 1;
	if (write(gate[1], &c, 1) != 1)
		die("write");
	pthread_exit(NULL);
}
