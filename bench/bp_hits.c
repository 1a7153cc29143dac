/* SPDX-License-Identifier: MIT */
/*
 * Breakpoint hits per second: a function called N times with one
 * breakpoint on its first instruction, for each way ptk gets a thread past
 * the instruction (enum ptk_bp_method), with the stops and ptrace requests
 * each hit costs.
 *
 *	bp_hits [N]		(default 20000)
 *
 * The program runs itself as the tracee ("bp_hits --child N THREADS"): one
 * thread calls hit_me() N times; with THREADS > 1 it is a worker thread and
 * the others wait (then the address space is not the worker's alone, and
 * the out-of-line and hold methods are measured as they cost in a
 * multi-threaded program; alone, a step in place needs no holding).
 * hit_me() starts with `push %rbp`, which ptk emulates.
 */
#include <ptk/ptk.h>

#include "../src/frontends.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

__asm__(".text\n"
        ".globl hit_me\n"
        ".type hit_me,@function\n"
        "hit_me:\n"
        "	push %rbp\n"
        "	mov %rsp, %rbp\n"
        "	lea 1(%rdi), %rax\n"
        "	pop %rbp\n"
        "	ret\n"
        ".size hit_me, .-hit_me\n");
long hit_me(long x);

static long n_calls;
static volatile int done;

static void *worker(void *arg)
{
	long sum = 0;
	for (long i = 0; i < n_calls; i++)
		sum += hit_me(i);
	done = 1;
	return (void *)sum;
}

static void *idle(void *arg)
{
	while (!done) {
		struct timespec d = {0, 20000000};
		nanosleep(&d, NULL);
	}
	return arg;
}

static int child(long n, int threads)
{
	n_calls = n;
	syscall(SYS_getppid, 0x7e15L, (long)(uintptr_t)hit_me);
	if (threads <= 1) {
		worker(NULL); /* alone in its address space */
		return 0;
	}
	pthread_t w, o[8];
	for (int i = 0; i < threads - 1 && i < 8; i++)
		pthread_create(&o[i], NULL, idle, NULL);
	pthread_create(&w, NULL, worker, NULL);
	pthread_join(w, NULL);
	for (int i = 0; i < threads - 1 && i < 8; i++)
		pthread_join(o[i], NULL);
	return 0;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "bp_hits: %s: %s\n", what, strerror(-err));
	exit(1);
}

/* One measurement: N hits with the methods in mask; prints one line. */
static void measure(const char *self, long n, int threads, unsigned mask, const char *label)
{
	struct ptk_session *s;
	int r = ptk_session_new(&s, PTK_FOLLOW);
	if (r < 0)
		die("ptk_session_new", r);
	wait_spin_setup(s); /* polling before sleeping, as the front ends have it */
	ptk_bp_set_methods(s, mask);
	char nbuf[32], tbuf[8];
	snprintf(nbuf, sizeof nbuf, "%ld", n);
	snprintf(tbuf, sizeof tbuf, "%d", threads);
	char *argv[] = {(char *)self, "--child", nbuf, tbuf, NULL};
	struct ptk_spawn_opts o = {.path = self, .argv = argv};
	pid_t pid;
	if ((r = ptk_spawn(s, &o, &pid)) < 0)
		die("ptk_spawn", r);
	struct ptk_event ev;
	ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0);
	for (;;) {
		if ((r = ptk_wait(s, &ev, 0)) < 0)
			die("ptk_wait", r);
		if (ev.kind == PTK_EV_SYSCALL_ENTER && ev.sc.nr == 110 && ev.sc.args[0] == 0x7e15)
			break;
		ptk_resume(s, ev.tid, PTK_RESUME_SYSCALL, ev.kind == PTK_EV_SIGNAL ? ev.sig : 0);
	}
	int id;
	if ((r = ptk_bp_insert(s, pid, ev.sc.args[1], &id)) < 0)
		die("ptk_bp_insert", r);
	struct ptk_bp_info bi;
	ptk_bp_info(s, pid, id, &bi);
	ptk_resume(s, pid, PTK_RESUME_CONT, 0);
	long hits = 0;
	struct ptk_stats st0 = {0}, st1;
	double t0 = 0;
	while (ptk_wait(s, &ev, 0) == 0) {
		if (ev.kind == PTK_EV_BREAKPOINT) {
			if (hits++ == 0) {
				ptk_stats_get(s, &st0);
				t0 = now();
			}
		}
		if (ev.kind == PTK_EV_EXITED || ev.kind == PTK_EV_KILLED)
			continue;
		ptk_resume(s, ev.tid, PTK_RESUME_CONT, ev.kind == PTK_EV_SIGNAL ? ev.sig : 0);
	}
	double dt = now() - t0;
	ptk_stats_get(s, &st1);
	ptk_session_end(s, false, 1000);
	/* per hit, counted from the first hit to the end (the exit's few stops included) */
	double k = hits > 1 ? (double)(hits - 1) : 1;
	const char *how = bi.method == PTK_BP_EMULATE     ? "emulate"
	                  : bi.method == PTK_BP_DISPLACED ? "displaced"
	                                                  : "step";
	printf("%-26s %-9s %7ld hits %9.0f hits/s %6.2f stops/hit %6.2f ptrace/hit "
	       "%5.1f%% waits polled\n",
	       label, how, hits, dt > 0 ? (double)(hits - 1) / dt : 0,
	       (double)(st1.stops - st0.stops) / k,
	       (double)(st1.ptrace_calls - st0.ptrace_calls) / k,
	       st1.waits > st0.waits ? 100.0 * (double)(st1.spin_hits - st0.spin_hits) /
	                                       (double)(st1.waits - st0.waits)
	                             : 0.0);
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "--child") == 0)
		return child(atol(argv[2]), atoi(argv[3]));
	long n = argc > 1 ? atol(argv[1]) : 20000;
	char self[4096];
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	if (len < 0)
		die("readlink /proc/self/exe", -errno);
	self[len] = 0;
	unsigned em = 1u << PTK_BP_EMULATE, dp = 1u << PTK_BP_DISPLACED, st = 1u << PTK_BP_STEP;
	printf("bp_hits: one breakpoint on `push %%rbp`, %ld calls\n", n);
	measure(self, n, 1, em | dp | st, "1 thread, emulated");
	measure(self, n, 1, st, "1 thread, step in place");
	measure(self, n, 2, em | dp | st, "2 threads, emulated");
	measure(self, n, 2, dp | st, "2 threads, out of line");
	measure(self, n, 2, st, "2 threads, hold+step");
	return 0;
}
