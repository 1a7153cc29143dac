/* SPDX-License-Identifier: MIT */
/*
 * The subject of the `ptk debug` tests, built with -g at -O0 (dbg_prog_O0)
 * and -O2 (dbg_prog_O2).  Lines tagged "L:name" are found by the tests in
 * this file, so the code can move without breaking them.
 *
 *	dbg_prog                 add, fact(5), a local to poke, puts, exit 3
 *	dbg_prog loop N          calls work(i) for i < N (breakpoint hits, bench)
 *	dbg_prog signal          raise(SIGUSR1) with a handler, then SIGALRM; exit 0
 *	dbg_prog segv            writes through a null pointer
 *	dbg_prog spin            loops until `spinning` is cleared (Ctrl-C tests)
 *	dbg_prog fork            fork, vfork, then exec of itself with "exec"
 *	dbg_prog exec            prints "exec'd" and exits 7
 *	dbg_prog watch           changes `gcounter` three times
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOINLINE __attribute__((noipa))

struct point {
	int x, y;
	char name[8];
};

enum color { RED, GREEN = 2, BLUE = 4 };

int gint = 42;
long glong = -1234567890123L;
unsigned char gbytes[8] = {1, 2, 3, 4, 0xfe, 0xff, 0x41, 0};
double gdouble = 2.5;
char gstr[16] = "hello";
const char *gptr = "world";
struct point gpoint = {3, -4, "pt"};
enum color gcolor = GREEN;
int garr[5] = {10, 20, 30, 40, 50};
volatile int gcounter;
volatile int spinning = 1;
volatile long sink;
static volatile int handled;

int add(int a, int b);
int fact(int n);
void work(int i);
int poke(void);

NOINLINE int add(int a, int b)
{
	int s = a + b; /* L:add_body */
	sink += s;
	return s; /* L:add_ret */
}

NOINLINE int fact(int n)
{
	if (n <= 1) /* L:fact_body */
		return 1;
	return n * fact(n - 1); /* L:fact_rec */
}

NOINLINE void work(int i)
{
	sink += i; /* L:work_body */
}

NOINLINE int poke(void)
{
	volatile int local = 0x1234; /* L:poke_decl */
	sink += local;               /* L:poke_use */
	return local;
}

static void on_signal(int sig)
{
	handled += sig; /* L:handler */
}

static int mode_default(void)
{
	int x = 1;     /* L:main_x */
	x = add(x, 2); /* L:main_add */
	printf("add=%d fact=%d\n", x, fact(5));
	printf("poke=%#x\n", poke()); /* L:main_poke */
	puts("done");                 /* L:main_puts */
	fflush(stdout);
	return 3;
}

static int mode_loop(int n)
{
	for (int i = 0; i < n; i++)
		work(i); /* L:loop_call */
	printf("sink=%ld\n", (long)sink);
	return 0;
}

static int mode_signal(void)
{
	signal(SIGUSR1, on_signal);
	signal(SIGALRM, on_signal);
	raise(SIGUSR1); /* L:raise_usr1 */
	raise(SIGALRM);
	printf("handled=%d\n", handled);
	return 0;
}

static int mode_spin(void)
{
	long n = 0;

	printf("spinning\n");
	fflush(stdout);
	while (spinning) /* L:spin */
		n++;
	printf("stopped spinning\n");
	return 0;
}

static int mode_fork(char *self)
{
	int st;
	pid_t p = fork();

	if (p == 0)
		_exit(4);
	waitpid(p, &st, 0);
	printf("fork child %d\n", WEXITSTATUS(st)); /* L:fork_print */
	p = vfork();
	if (p == 0)
		_exit(5);
	waitpid(p, &st, 0);
	printf("vfork child %d\n", WEXITSTATUS(st)); /* L:vfork_print */
	fflush(stdout);
	execl(self, "dbg_prog", "exec", (char *)NULL);
	return 1;
}

static int mode_watch(void)
{
	for (int i = 1; i <= 3; i++)
		gcounter = i * 10; /* L:watch_set */
	printf("gcounter=%d\n", gcounter);
	return 0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	if (strcmp(m, "loop") == 0)
		return mode_loop(argc > 2 ? atoi(argv[2]) : 20000);
	if (strcmp(m, "signal") == 0)
		return mode_signal();
	if (strcmp(m, "segv") == 0) {
		int *volatile p = NULL;

		*p = 1; /* L:segv */
		return 0;
	}
	if (strcmp(m, "spin") == 0)
		return mode_spin();
	if (strcmp(m, "fork") == 0)
		return mode_fork(argv[0]);
	if (strcmp(m, "exec") == 0) {
		printf("exec'd\n");
		return 7;
	}
	if (strcmp(m, "watch") == 0)
		return mode_watch();
	return mode_default();
}
