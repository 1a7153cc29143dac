/* SPDX-License-Identifier: MIT */
/*
 * Registers and syscall changes: general registers read and written at
 * syscall stops (the tracee sees the change), x87/SSE and XSAVE state
 * read back exactly, debug registers readable and writable (never relied
 * on to fire: on these VMs they do not), and changing, skipping and
 * redirecting system calls, including i386 ones (int $0x80).
 */
#include "lt.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct regcheck {
	int markers; /* bit N: marker N seen at its enter stop */
	bool exit4;  /* marker 4's exit stop seen */
	pid_t in4;   /* the thread in marker 4 (its next exit is marker 4's) */
	bool avx;
};

static const uint8_t p1[16] = {0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
                               0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f};

static void check_marker1(struct ptk_session *s, pid_t tid, const struct ptk_event *ev)
{
	struct ptk_fpregs fp;
	CHECK_OK(ptk_fpregs_get(s, tid, &fp));
	CHECK(memcmp(fp.xmm[7], p1, 16) == 0);
	/* the XSAVE area: legacy xmm7 at byte 160 + 7 * 16 */
	uint8_t xs[4096] __attribute__((aligned(64)));
	size_t xl = 0;
	CHECK_OK(ptk_xstate_get(s, tid, xs, sizeof xs, &xl));
	CHECK(xl >= 576);
	CHECK(memcmp(xs + 160 + 7 * 16, p1, 16) == 0);
	/* debug registers: readable, writable, read back (never fired) */
	uint64_t v = 1;
	CHECK_OK(ptk_debugreg_get(s, tid, 7, &v));
	CHECK_EQ_HEX(v, 0);
	CHECK_OK(ptk_debugreg_get(s, tid, 6, &v));
	uint64_t where = ev->sc.sp & ~7ull;
	CHECK_OK(ptk_debugreg_set(s, tid, 0, where));
	CHECK_OK(ptk_debugreg_get(s, tid, 0, &v));
	CHECK_EQ_HEX(v, where);
	/* DR7: L0, a 4-byte write watch (RW0 = 01, LEN0 = 11) */
	CHECK_OK(ptk_debugreg_set(s, tid, 7, 0xd0001));
	CHECK_OK(ptk_debugreg_get(s, tid, 7, &v));
	CHECK_EQ_HEX(v, 0xd0001);
	CHECK_OK(ptk_debugreg_set(s, tid, 7, 0));
	CHECK_OK(ptk_debugreg_set(s, tid, 0, 0));
	CHECK_OK(ptk_debugreg_get(s, tid, 7, &v));
	CHECK_EQ_HEX(v, 0);
	CHECK_EQ_INT(ptk_debugreg_set(s, tid, 4, 0), -EINVAL);
	CHECK_EQ_INT(ptk_debugreg_set(s, tid, 5, 0), -EINVAL);
	CHECK_EQ_INT(ptk_debugreg_get(s, tid, 8, &v), -EINVAL);
	CHECK_EQ_INT(ptk_debugreg_get(s, tid, -1, &v), -EINVAL);
}

static void check_marker2(struct ptk_session *s, pid_t tid)
{
	uint8_t hi[16][16];
	CHECK_OK(ptk_ymm_hi_get(s, tid, hi));
	for (int i = 0; i < 16; i++)
		CHECK_EQ_INT(hi[7][i], 0x30 + i);
	struct ptk_fpregs fp;
	CHECK_OK(ptk_fpregs_get(s, tid, &fp));
	for (int i = 0; i < 16; i++)
		CHECK_EQ_INT(fp.xmm[7][i], 0x20 + i);
}

static void set_marker3(struct ptk_session *s, pid_t tid)
{
	struct ptk_fpregs fp;
	CHECK_OK(ptk_fpregs_get(s, tid, &fp));
	for (int i = 0; i < 16; i++)
		CHECK_EQ_INT(fp.xmm[6][i], 0);
	for (int i = 0; i < 16; i++)
		fp.xmm[6][i] = (uint8_t)(0xa0 + i);
	CHECK_OK(ptk_fpregs_set(s, tid, &fp));
	struct ptk_fpregs back;
	CHECK_OK(ptk_fpregs_get(s, tid, &back));
	CHECK(memcmp(back.xmm[6], fp.xmm[6], 16) == 0);
}

static void set_marker4(struct ptk_session *s, pid_t tid)
{
	struct ptk_regs r;
	CHECK_OK(ptk_regs_get(s, tid, &r));
	CHECK_EQ_HEX(r.orig_rax, NR_getppid);
	CHECK_EQ_HEX(r.rax, (uint64_t)-ENOSYS);
	CHECK_EQ_HEX(r.rdi, 0x7e04);
	CHECK_EQ_HEX(r.rbx, 0x1111111111111111ull);
	CHECK_EQ_HEX(r.r12, 0x1212121212121212ull);
	CHECK_EQ_HEX(r.r13, 0x1313131313131313ull);
	CHECK_EQ_HEX(r.r14, 0x1414141414141414ull);
	CHECK_EQ_HEX(r.r15, 0x1515151515151515ull);
	CHECK_EQ_HEX(r.cs, 0x33);
	r.rbx = 0x2222222222222222ull;
	CHECK_OK(ptk_regs_set(s, tid, &r));
	struct ptk_regs back;
	CHECK_OK(ptk_regs_get(s, tid, &back));
	CHECK_EQ_HEX(back.rbx, 0x2222222222222222ull);
	CHECK_EQ_HEX(back.r12, 0x1212121212121212ull);
}

static bool regs_hook(struct ptk_session *s, const struct ptk_event *ev, void *arg)
{
	struct regcheck *c = arg;
	pid_t tid = ev->tid;
	if (ev->kind == PTK_EV_SYSCALL_EXIT && tid == c->in4) {
		c->in4 = 0;
		struct ptk_regs r;
		CHECK_OK(ptk_regs_get(s, tid, &r));
		CHECK_EQ_HEX(r.rax, (uint64_t)getpid());
		r.rax = 16962;
		CHECK_OK(ptk_regs_set(s, tid, &r));
		c->exit4 = true;
		return false;
	}
	if (ev->kind != PTK_EV_SYSCALL_ENTER || ev->sc.nr != NR_getppid)
		return false;
	if (ev->sc.args[0] < 0x7e01 || ev->sc.args[0] > 0x7e04)
		return false;
	int m = (int)(ev->sc.args[0] - 0x7e00);
	CHECK_MSG(!(c->markers & (1 << m)), "marker %d twice", m);
	c->markers |= 1 << m;
	switch (m) {
	case 1:
		check_marker1(s, tid, ev);
		break;
	case 2:
		check_marker2(s, tid);
		break;
	case 3:
		set_marker3(s, tid);
		break;
	case 4:
		set_marker4(s, tid);
		c->in4 = tid;
		break;
	}
	return false;
}

static bool have_avx(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx");
}

TEST(registers_read_and_written)
{
	char *argv[] = {(char *)th_tracee("regs"), NULL};
	bool avx = have_avx();
	char want[512];
	snprintf(want, sizeof want,
	         "avx=%d\nxmm6=00000000000000000000000000000000\ncallee-saved ok\nret=ppid\n", avx);
	lt_untraced_is(argv, want, 0);

	struct regcheck c = {.avx = avx};
	struct log l = {0};
	char *o = lt_trace_all(argv, 0, PTK_RESUME_SYSCALL, &l, regs_hook, &c, NULL);
	CHECK_EQ_INT(c.markers, avx ? 0x1e : 0x1a);
	CHECK(c.exit4);
	snprintf(want, sizeof want,
	         "avx=%d\nxmm6=a0a1a2a3a4a5a6a7a8a9aaabacadaeaf\ncallee-saved changed\n"
	         "ret=16962\n",
	         avx);
	lt_output_is(o, want);
	log_free(&l);
}

/* Registers are refused while the thread runs or for a non-tracee. */
TEST(registers_need_a_stopped_tracee)
{
	char *argv[] = {(char *)th_tracee("block_read"), NULL};
	pid_t pid;
	int out;
	struct ptk_session *s = lt_start(0, argv, &pid, &out);
	struct ptk_regs r;
	CHECK_OK(ptk_regs_get(s, pid, &r)); /* at the spawn stop */
	struct ptk_event ev;
	lt_resume_expect(s, pid, PTK_RESUME_CONT, PTK_EV_EXEC, &ev);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	CHECK(lt_wait_syscall(pid, NR_read, 10000));
	CHECK_EQ_INT(ptk_regs_get(s, pid, &r), -EBUSY);
	struct ptk_fpregs fp;
	CHECK_EQ_INT(ptk_fpregs_get(s, pid, &fp), -EBUSY);
	uint64_t v;
	CHECK_EQ_INT(ptk_debugreg_get(s, pid, 7, &v), -EBUSY);
	CHECK_EQ_INT(ptk_regs_get(s, getpid(), &r), -ESRCH);
	ptk_session_end(s, false, 1000);
	free(lt_slurp(out, 5000));
}

/* ---- changing syscalls (sysmod) ---- */

struct modplan {
	int writes;
	pid_t exit_of_first; /* the thread whose next exit stop is write 1's */
	bool skipped;
	bool skip_default; /* skip without setting a return value */
	int64_t skip_rval;
};

static bool mod_hook(struct ptk_session *s, const struct ptk_event *ev, void *arg)
{
	struct modplan *p = arg;
	pid_t tid = ev->tid;
	if (ev->kind == PTK_EV_SYSCALL_EXIT && tid == p->exit_of_first) {
		p->exit_of_first = 0;
		CHECK_EQ_INT(ev->sc.rval, 5);
		/* not at an exit stop: nr and args cannot change */
		CHECK_EQ_INT(ptk_syscall_set_nr(s, tid, 39), -EINVAL);
		CHECK_OK(ptk_syscall_set_return(s, tid, 2));
		struct ptk_syscall sc;
		CHECK_OK(ptk_syscall_get(s, tid, &sc));
		CHECK_EQ_INT(sc.op, PTK_SC_EXIT);
		return false;
	}
	if (ev->kind == PTK_EV_SYSCALL_EXIT && p->skipped && p->skip_rval == 0) {
		p->skip_rval = ev->sc.rval;
		return false;
	}
	if (ev->kind != PTK_EV_SYSCALL_ENTER)
		return false;
	if (ev->sc.nr == NR_write && ev->sc.args[2] == 5) {
		p->writes++;
		if (p->writes == 1) {
			p->exit_of_first = tid;
		} else if (p->writes == 2) {
			CHECK_OK(ptk_syscall_set_arg(s, tid, 2, 3));
			struct ptk_syscall sc;
			CHECK_OK(ptk_syscall_get(s, tid, &sc));
			CHECK_EQ_INT(sc.args[2], 3);
			CHECK_EQ_INT(ptk_syscall_set_arg(s, tid, 6, 0), -EINVAL);
		}
	} else if (ev->sc.nr == NR_mkdir) {
		CHECK_OK(ptk_syscall_set_nr(s, tid, -1));
		if (!p->skip_default)
			CHECK_OK(ptk_syscall_set_return(s, tid, -EPERM));
		p->skipped = true;
	}
	return false;
}

/*
 * Run sysmod DIR under mod_hook with the plan p: it must print want, and
 * leave no DIR (its mkdir skipped).
 */
static void run_sysmod(const char *dir, struct modplan *p, const char *want)
{
	char *argv[] = {(char *)th_tracee("sysmod"), (char *)dir, NULL};
	struct log l = {0};
	char *o = lt_trace_all(argv, 0, PTK_RESUME_SYSCALL, &l, mod_hook, p, NULL);
	log_free(&l);
	struct stat sb;
	bool made = stat(dir, &sb) == 0;
	if (made)
		rmdir(dir);
	lt_output_is(o, want);
	CHECK(!made);
}

/*
 * The return value set at an exit stop, an argument changed at an enter
 * stop, and a syscall skipped (nr -1) with the return value set at its
 * enter stop: the tracee sees each; the skipped mkdir has no effect.
 */
TEST(syscall_return_arg_and_skip)
{
	char dir[128];
	snprintf(dir, sizeof dir, "/tmp/ptk-lt-sysmod-%d", getpid());
	char *argv[] = {(char *)th_tracee("sysmod"), dir, NULL};
	lt_untraced_is(argv, "write1=5\nwrite2=5\nmkdir=0 0 exists=1\n", 0);
	struct modplan p = {0};
	run_sysmod(dir, &p, "write1=2\nwrite2=3\nmkdir=-1 EPERM exists=0\n");
	CHECK(p.skipped);
	CHECK_EQ_INT(p.skip_rval, -EPERM);
}

/* Skipped without a return value set: the syscall returns -ENOSYS. */
TEST(syscall_skip_default_enosys)
{
	char dir[128];
	snprintf(dir, sizeof dir, "/tmp/ptk-lt-sysmod2-%d", getpid());
	struct modplan p = {.skip_default = true};
	run_sysmod(dir, &p, "write1=2\nwrite2=3\nmkdir=-1 ENOSYS exists=0\n");
	CHECK_EQ_INT(p.skip_rval, -ENOSYS);
}

/* ---- i386 syscalls ---- */

struct i386plan {
	int getpid_seen, write_seen;
};

static bool i386_hook(struct ptk_session *s, const struct ptk_event *ev, void *arg)
{
	struct i386plan *p = arg;
	if (ev->kind != PTK_EV_SYSCALL_ENTER || ev->sc.arch != PTK_ARCH_I386)
		return false;
	if (ev->sc.nr == 20) {
		p->getpid_seen++;
	} else if (ev->sc.nr == 4) {
		p->write_seen++;
		CHECK_EQ_INT(ev->sc.args[0], 1);
		CHECK_EQ_INT(ev->sc.args[2], 12);
		char buf[16] = {0};
		CHECK_EQ_INT(ptk_mem_read(s, ev->tid, ev->sc.args[1], buf, 12, NULL), 0);
		CHECK_EQ_STR(buf, "int80 write\n");
		CHECK_OK(ptk_syscall_set_arg(s, ev->tid, 2, 5));
		struct ptk_regs r;
		CHECK_OK(ptk_regs_get(s, ev->tid, &r));
		CHECK_EQ_HEX(r.rdx & 0xffffffff, 5);
	}
	return false;
}

TEST(i386_syscalls_by_their_arch)
{
	char *argv[] = {(char *)th_tracee("int80"), NULL};
	char base[256];
	int st = lt_untraced(argv, base, sizeof base);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (strcmp(base, "no int80\n") == 0)
		th_skip("this kernel runs no int $0x80 (IA-32 emulation off)");
	CHECK_EQ_STR(base, "int80 getpid ok\nint80 write\n");
	struct i386plan p = {0};
	struct log l = {0};
	char *o = lt_trace_all(argv, 0, PTK_RESUME_SYSCALL, &l, i386_hook, &p, NULL);
	CHECK_EQ_INT(p.getpid_seen, 1);
	CHECK_EQ_INT(p.write_seen, 1);
	lt_output_is(o, "int80 getpid ok\nint80");
	log_free(&l);
}
