/* SPDX-License-Identifier: MIT */
/*
 * Soak and scale workloads (tests/soak/): long or large runs whose output
 * and status are the same traced and untraced.
 *
 *	soak phases N K...	fork N children in batches of 50 (child i exits
 *				with i % 8; a batch is reaped before the next one
 *				starts); after K dead children (each K in order)
 *				print "dead K" and wait for a line on stdin; last
 *				"forked=N reaped=N sum=S"
 *	soak rtsig		print "ready PID"; count SIGRTMIN deliveries (a
 *				second thread loops on getppid meanwhile); each
 *				line on stdin prints "count C"; EOF ends it
 *	soak mix rounds N	N rounds of the multi-process workload below;
 *	soak mix secs S		rounds until S seconds have passed; either way
 *				one line per round, then "rounds=N", status 3
 *	soak exec R		(internal) the exec'd child of a round
 *
 * A round of the mix: a pipe; child A runs 3 threads that each write 5
 * numbered lines into the pipe; child B gets SIGUSR1 (its handler counts)
 * from the parent, then execs this program as "soak exec R", which exits
 * with R % 5; a vfork child _exits with R % 3.  The parent reads the
 * pipe, sums what it read, reaps the three children and prints
 *	round R: bytes=B sum=S a=0 b=R%5 v=R%3
 * which depends only on R.
 */
#include "tracee.h"

#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static int reap(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}

static int phases(int argc, char **argv)
{
	int n = atoi(argv[2]), next = 3, reaped = 0;
	long sum = 0;
	pid_t kids[50];
	for (int i = 0; i < n;) {
		int k = 0;
		/* a batch of up to 50 alive at once, none across a checkpoint */
		int upto = next < argc ? atoi(argv[next]) : n;
		for (; k < 50 && i < n && i < upto; k++, i++) {
			kids[k] = fork();
			if (kids[k] < 0)
				die("fork");
			if (kids[k] == 0)
				_exit(i % 8);
		}
		for (int j = 0; j < k; j++, reaped++)
			sum += reap(kids[j]);
		if (next < argc && reaped == atoi(argv[next])) {
			char c;
			say("dead %d\n", reaped);
			while (read(0, &c, 1) == 1 && c != '\n')
				;
			next++;
		}
	}
	say("forked=%d reaped=%d sum=%ld\n", n, reaped, sum);
	return 0;
}

static long rt_count;

static void on_rt(int sig)
{
	(void)sig;
	__atomic_fetch_add(&rt_count, 1, __ATOMIC_RELAXED);
}

static void *spin_getppid(void *arg)
{
	(void)arg;
	for (;;) {
		struct timespec ts = {0, 200000};
		syscall(SYS_getppid);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static int rtsig(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_rt;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGRTMIN, &sa, NULL) < 0)
		die("sigaction");
	pthread_t th;
	if (pthread_create(&th, NULL, spin_getppid, NULL) != 0)
		die("pthread_create");
	say("ready %d\n", (int)getpid());
	for (;;) {
		char c;
		ssize_t r = read(0, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (c == '\n')
			say("count %ld\n", __atomic_load_n(&rt_count, __ATOMIC_RELAXED));
	}
	_exit(0);
}

static int wfd = -1;
static volatile sig_atomic_t usr1;

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

static void *writer(void *arg)
{
	long t = (long)arg;
	for (int i = 0; i < 5; i++) {
		char line[32];
		int n = snprintf(line, sizeof line, "%ld\n", t * 100 + i);
		if (write(wfd, line, (size_t)n) != n)
			die("write");
		syscall(SYS_getppid);
	}
	return NULL;
}

static void round_once(const char *self, int r)
{
	int p[2], ready[2];
	if (pipe(p) < 0 || pipe(ready) < 0)
		die("pipe");
	pid_t a = fork();
	if (a < 0)
		die("fork");
	if (a == 0) {
		close(p[0]);
		wfd = p[1];
		pthread_t th[3];
		for (long t = 0; t < 3; t++)
			if (pthread_create(&th[t], NULL, writer, (void *)t) != 0)
				die("pthread_create");
		for (int t = 0; t < 3; t++)
			pthread_join(th[t], NULL);
		_exit(0);
	}
	close(p[1]);
	pid_t b = fork();
	if (b < 0)
		die("fork");
	if (b == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_usr1;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGUSR1, &sa, NULL);
		sigset_t usr, old;
		sigemptyset(&usr);
		sigaddset(&usr, SIGUSR1);
		sigprocmask(SIG_BLOCK, &usr, &old);
		close(ready[0]);
		if (write(ready[1], "r", 1) != 1)
			die("write");
		while (!usr1)
			sigsuspend(&old);
		char arg[16];
		snprintf(arg, sizeof arg, "%d", r);
		execl(self, self, "exec", arg, (char *)NULL);
		die("execl");
	}
	close(ready[1]);
	char c;
	if (read(ready[0], &c, 1) != 1)
		die("read");
	close(ready[0]);
	kill(b, SIGUSR1);
	pid_t v = vfork();
	if (v < 0)
		die("vfork");
	if (v == 0)
		_exit(r % 3);
	char buf[4096];
	long bytes = 0, sum = 0, num = 0;
	ssize_t n;
	while ((n = read(p[0], buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("read");
		}
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				sum += num;
				num = 0;
			} else {
				num = num * 10 + (buf[i] - '0');
			}
		}
		bytes += n;
	}
	close(p[0]);
	int sa = reap(a), sb = reap(b), sv = reap(v);
	say("round %d: bytes=%ld sum=%ld a=%d b=%d v=%d\n", r, bytes, sum, sa, sb, sv);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int mix(const char *self, const char *how, int n)
{
	int r = 0;
	if (strcmp(how, "rounds") == 0) {
		for (; r < n; r++)
			round_once(self, r);
	} else {
		double end = now() + n;
		for (; now() < end; r++)
			round_once(self, r);
	}
	say("rounds=%d\n", r);
	return 3;
}

int main(int argc, char **argv)
{
	char self[4096];
	ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
	if (k < 0)
		die("readlink");
	self[k] = 0;
	const char *cmd = argc > 1 ? argv[1] : "";
	if (strcmp(cmd, "phases") == 0 && argc > 2)
		return phases(argc, argv);
	if (strcmp(cmd, "rtsig") == 0)
		return rtsig();
	if (strcmp(cmd, "mix") == 0 && argc > 3)
		return mix(self, argv[2], atoi(argv[3]));
	if (strcmp(cmd, "exec") == 0 && argc > 2)
		return atoi(argv[2]) % 5;
	say_fd(2, "usage: soak phases N K...|rtsig|mix rounds N|mix secs S\n");
	return 2;
}
