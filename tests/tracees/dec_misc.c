/* SPDX-License-Identifier: MIT */
/*
 * Golden tracee of the miscellaneous calls (tests/trace/test_decode_misc.py):
 * fixed arguments between write(-1, "BEGIN", 5) and write(-1, "END", 3).
 *
 *	dec_misc SECTION	(rlimit, uname, prctl, caps, futex, misc, unknown,
 *				 unfinished)
 *
 * "unfinished" starts a thread that blocks in read(2) on a pipe and ends
 * the process from main with exit_group while the read is pending: the
 * thread's line ends "<unfinished ...>) = ?".
 * Exits 0, or 99 if the setup failed.
 */
#include "tracee.h"

#include <asm/prctl.h>
#include <linux/capability.h>
#include <linux/futex.h>
#include <linux/io_uring.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>

static void marker(const char *m)
{
	if (write(-1, m, strlen(m)) != -1)
		die("marker");
}

static void sec_rlimit(void)
{
	struct rlimit64 r = {8192 * 1024, RLIM64_INFINITY}, old;
	marker("BEGIN");
	prlimit64(0, RLIMIT_STACK, &r, &old);
	prlimit64(0, RLIMIT_STACK, NULL, &old);
	r.rlim_cur = 1024;
	r.rlim_max = 1536;
	prlimit64(0, RLIMIT_CORE, &r, NULL);
	r.rlim_cur = 2048;
	r.rlim_max = 1 << 20;
	prlimit64(0, RLIMIT_CORE, &r, NULL);
	prlimit64(0, RLIMIT_CORE, NULL, &old);
	prlimit64(0, 99, NULL, &old);
	syscall(SYS_getrlimit, RLIMIT_CORE, &old);
	syscall(SYS_setrlimit, RLIMIT_CORE, &r);
	marker("END");
}

static void sec_uname(void)
{
	struct utsname u;
	cpu_set_t cs;
	CPU_ZERO(&cs);
	CPU_SET(0, &cs);
	char b[16];
	marker("BEGIN");
	uname(&u);
	uname(NULL);
	sched_setaffinity(0, sizeof cs, &cs);
	sched_getaffinity(0, sizeof cs, &cs);
	getrandom(b, 0, 0);
	getrandom(NULL, 0, 0x80);
	getrandom(b, sizeof b, GRND_NONBLOCK);
	marker("END");
}

static void sec_prctl(void)
{
	char nm[16];
	int v;
	marker("BEGIN");
	prctl(PR_SET_NAME, "dec_misc_name");
	prctl(PR_GET_NAME, nm);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_GET_PDEATHSIG, &v);
	prctl(PR_SET_DUMPABLE, 1);
	prctl(PR_GET_DUMPABLE);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	prctl(PR_GET_CHILD_SUBREAPER, &v);
	prctl(PR_SET_TIMERSLACK, 50000);
	prctl(PR_GET_TIMERSLACK);
	prctl(PR_SET_KEEPCAPS, 0);
	prctl(PR_SET_SECUREBITS, 0x2f);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_CHOWN, 0, 0);
	prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0, 4096, "nm");
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY);
	prctl(9999, 1, 2, 3, 4);
	marker("END");
}

static void sec_caps(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct cd[2] = {{0x21, 0x21, 0x1}, {0x1, 0x1, 0}};
	struct __user_cap_header_struct h0 = {0, 0};
	unsigned long fs;
	marker("BEGIN");
	syscall(SYS_capget, &h0, NULL);
	syscall(SYS_capset, &h, cd);
	syscall(SYS_arch_prctl, ARCH_GET_FS, &fs);
	syscall(SYS_arch_prctl, 0x3001, 0);
	syscall(SYS_arch_prctl, ARCH_GET_CPUID, 0);
	marker("END");
}

static void sec_futex(void)
{
	int fw = 0;
	struct timespec to = {0, 1000};
	marker("BEGIN");
	syscall(SYS_futex, &fw, FUTEX_WAIT_PRIVATE, 0, &to, NULL, 0);
	syscall(SYS_futex, &fw, FUTEX_WAKE, 1, NULL, NULL, 0);
	syscall(SYS_futex, &fw, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 1, NULL, NULL,
	        FUTEX_BITSET_MATCH_ANY);
	syscall(SYS_futex, &fw, FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0xff);
	syscall(SYS_futex, &fw, FUTEX_REQUEUE, 1, 2, &fw, 0);
	syscall(SYS_futex, &fw, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, &fw, 0);
	syscall(SYS_futex, &fw, FUTEX_WAKE_OP, 1, 2, &fw,
	        (FUTEX_OP_OPARG_SHIFT << 28) | FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 7));
	syscall(SYS_futex, &fw, FUTEX_WAKE_OP_PRIVATE, 1, 0, &fw, 0xf0000000);
	syscall(SYS_futex, &fw, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0);
	syscall(SYS_futex, &fw, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0);
	syscall(SYS_futex, &fw, 99, 0, NULL, NULL, 0);
	marker("END");
}

static void sec_misc(void)
{
	struct io_uring_params ip;
	memset(&ip, 0, sizeof ip);
	ip.flags = 0x80000000;
	marker("BEGIN");
	syscall(SYS_io_uring_setup, 4, &ip);
	syscall(SYS_set_robust_list, NULL, 24);
	syscall(SYS_rseq, NULL, 32, 0, 0x53053053);
	syscall(SYS_membarrier, 12345, 0, 0);
	marker("END");
}

static void sec_unknown(void)
{
	marker("BEGIN");
	syscall(400, 1, 2, 3, 4, 5, 6);
	syscall(1000, 0, 0, 0, 0, 0, 0);
	marker("END");
}

static int pipe_fds[2];

static void *reader(void *arg)
{
	char c;
	if (read(pipe_fds[0], &c, 1) != 0)
		die("read");
	return arg;
}

static void sec_unfinished(void)
{
	pthread_t th;
	if (pipe(pipe_fds) < 0 || pthread_create(&th, NULL, reader, NULL) != 0)
		die("pipe/pthread_create");
	struct timespec ts = {0, 100 * 1000 * 1000};
	nanosleep(&ts, NULL);
	exit(0);
}

static const struct {
	const char *name;
	void (*fn)(void);
} sections[] = {
        {"rlimit", sec_rlimit},   {"uname", sec_uname},           {"prctl", sec_prctl},
        {"caps", sec_caps},       {"futex", sec_futex},           {"misc", sec_misc},
        {"unknown", sec_unknown}, {"unfinished", sec_unfinished},
};

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	for (size_t i = 0; i < sizeof sections / sizeof *sections; i++)
		if (strcmp(argv[1], sections[i].name) == 0) {
			sections[i].fn();
			return 0;
		}
	return 2;
}
