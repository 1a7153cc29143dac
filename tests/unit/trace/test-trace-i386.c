/* SPDX-License-Identifier: MIT */
/*
 * The decoder on i386 syscalls (int $0x80, 32-bit tracees), driven by
 * recorded register values: these machines cannot run 32-bit code, so no
 * live tracee makes them.  Each case gives decode_enter/decode_exit what
 * PTRACE_GET_SYSCALL_INFO reports for a 32-bit stop (arch I386, the i386
 * number, 32-bit argument registers) and compares the whole line with
 * the one strace 6.1 prints for it.  The "tracee" whose memory pointers
 * refer to is this process (process_vm_readv on itself), its data placed
 * below 4 GiB (MAP_32BIT) as a 32-bit program's would be.  Covered: the
 * i386 numbers, 32-bit registers (sign extension, truncation), 64-bit
 * values split in two registers in either order (_llseek, pread64),
 * 32-bit structs (timespec, sigset, tms), socketcall printed as the call
 * it stands for, execve's arrays of 32-bit pointers, and the raw fallback
 * for an unknown number.
 */
#include "harness.h"

#include "trace.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* main.c's, which this test does not link. */
int64_t now_ns(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static struct trace tr;
static struct tcb *tc;
static uint8_t *low; /* a page below 4 GiB */

static void setup(void)
{
	if (tc)
		return;
	memset(&tr, 0, sizeof tr);
	tr.o.strsize = 32;
	tr.o.trace_all = true;
	tr.o.status = ST_ALL;
	CHECK_EQ_INT(ptk_session_new(&tr.s, 0), 0);
	tc = tcb_get(&tr, getpid(), getpid());
	CHECK(tc != NULL);
	tc->visible = true;
	low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1,
	           0);
	CHECK(low != MAP_FAILED);
	CHECK((uintptr_t)low < 0xffffffffu);
}

/* Where a 32-bit pointer to offset off of the low page points. */
static uint64_t at(size_t off)
{
	return (uint64_t)(uintptr_t)(low + off);
}

/*
 * One syscall: entry with args, exit with rval (-errno for an error).
 * Returns the line printed, without its newline (freed by the next call).
 */
static const char *line(long nr, const uint64_t args[6], int64_t rval)
{
	static char *text;
	static size_t len;
	free(text);
	text = NULL;
	FILE *f = open_memstream(&text, &len);
	CHECK(f != NULL);
	tr.out = f;
	tc->out = f;
	tc->arch = PTK_ARCH_I386;
	tc->nr = nr;
	memcpy(tc->args, args, sizeof tc->args);
	tc->in_syscall = true;
	decode_enter(&tr, tc);
	if (tc->in_syscall) {
		struct ptk_syscall sc = {.op = PTK_SC_EXIT, .arch = PTK_ARCH_I386, .nr = nr};
		sc.rval = rval;
		sc.is_error = rval < 0 && rval >= -4095;
		decode_exit(&tr, tc, &sc);
	}
	fclose(f);
	tc->out = NULL;
	tr.out = NULL;
	if (len && text[len - 1] == '\n')
		text[--len] = 0;
	return text;
}

#define A(...) ((const uint64_t[6]){__VA_ARGS__})

TEST(i386_numbers_and_registers)
{
	setup();
	/* getpid is 20 on i386 (39 on x86_64). */
	CHECK_EQ_STR(line(20, A(0), 4242), "getpid()                                = 4242");
	/* write(1, ...) is 4; the registers hold 32-bit values. */
	memcpy(low, "int80 write\n", 12);
	CHECK_EQ_STR(line(4, A(1, at(0), 12), 12),
	             "write(1, \"int80 write\\n\", 12)           = 12");
	/* An int argument is the low 32 bits, sign-extended: close(-1). */
	CHECK_EQ_STR(line(6, A(0xffffffffu), -9),
	             "close(-1)                               = -1 EBADF (Bad file descriptor)");
	/* open is 5; i386's O_LARGEFILE is 0100000. */
	strcpy((char *)low + 64, "/etc/passwd");
	CHECK_EQ_STR(line(5, A(at(64), 0100000), 3),
	             "open(\"/etc/passwd\", O_RDONLY|O_LARGEFILE) = 3");
	/* 500 is no i386 syscall: strace's fallback, every argument in hex. */
	CHECK_EQ_STR(line(500, A(1, 0x20, 0xffffffffu, 0, 0, 0), -38),
	             "syscall_0x1f4(0x1, 0x20, 0xffffffff, 0, 0, 0) = -1 ENOSYS (Function not "
	             "implemented)");
}

TEST(i386_halves_and_pages)
{
	setup();
	/* _llseek(fd, offset_high, offset_low, result, whence): one 64-bit offset. */
	uint64_t pos = 0x100000010ull;
	memcpy(low + 128, &pos, sizeof pos);
	CHECK_EQ_STR(line(140, A(3, 1, 0x10, at(128), 0), 0),
	             "_llseek(3, 4294967312, [4294967312], SEEK_SET) = 0");
	/* pread64 (180): the offset's halves after the buffer, lo first. */
	memcpy(low + 160, "abc", 3);
	CHECK_EQ_STR(line(180, A(4, at(160), 16, 0x20, 0x2, 0), 3),
	             "pread64(4, \"abc\", 16, 8589934624)       = 3");
	/* mmap2 (192): fd -1 from 0xffffffff, the result in hex. */
	CHECK_EQ_STR(line(192, A(0, 8192, 3, 0x22, 0xffffffffu, 0), 0xf7f00000),
	             "mmap2(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = "
	             "0xf7f00000");
}

TEST(i386_structs)
{
	setup();
	/* nanosleep (162) with the 32-bit struct timespec {1, 500}. */
	int32_t ts[2] = {1, 500};
	memcpy(low + 256, ts, sizeof ts);
	CHECK_EQ_STR(line(162, A(at(256), 0), 0), "nanosleep({tv_sec=1, tv_nsec=500}, NULL) = 0");
	/* times (43): four 32-bit clock_t, each with its seconds when not 0
	 * (USER_HZ is 100). */
	int32_t tms[4] = {4, 3, 0, 250};
	memcpy(low + 416, tms, sizeof tms);
	CHECK_EQ_STR(line(43, A(at(416)), 1719380471),
	             "times({tms_utime=4 /* 0.04 s */, tms_stime=3 /* 0.03 s */, tms_cutime=0, "
	             "tms_cstime=250 /* 2.50 s */}) = 1719380471");
	/* rt_sigprocmask (175): the kernel's 64-bit sigset, as two 32-bit words
	 * (signal 33, the first bit of the second word, is RT_1). */
	uint32_t set[2] = {1u << (SIGINT - 1), 1u};
	memcpy(low + 272, set, sizeof set);
	memset(low + 280, 0, 8);
	CHECK_EQ_STR(line(175, A(0, at(272), at(280), 8), 0),
	             "rt_sigprocmask(SIG_BLOCK, [INT RT_1], [], 8) = 0");
	/* socketcall (102): SYS_SOCKET (1) with its arguments as 32-bit words in
	 * memory; strace prints the call it stands for. */
	uint32_t sa[3] = {2, 1, 6};
	memcpy(low + 320, sa, sizeof sa);
	CHECK_EQ_STR(line(102, A(1, at(320)), 3), "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 3");
	/* SYS_CONNECT (3): fd, a struct sockaddr_in, its length. */
	uint8_t sin[16] = {2, 0, 0, 80, 127, 0, 0, 1};
	memcpy(low + 336, sin, sizeof sin);
	uint32_t ca[3] = {3, (uint32_t)at(336), 16};
	memcpy(low + 384, ca, sizeof ca);
	CHECK_EQ_STR(line(102, A(3, at(384)), 0),
	             "connect(3, {sa_family=AF_INET, sin_port=htons(80), "
	             "sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0");
	/* waitpid (7), an i386-only call. */
	int32_t status = 0;
	memcpy(low + 352, &status, sizeof status);
	CHECK_EQ_STR(line(7, A(0xffffffffu, at(352), 0), 77),
	             "waitpid(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0) = 77");
}

TEST(i386_execve)
{
	setup();
	/* execve (11): argv and envp are arrays of 32-bit pointers. */
	strcpy((char *)low + 512, "/bin/true");
	strcpy((char *)low + 528, "-x");
	strcpy((char *)low + 536, "A=1");
	uint32_t argv[3] = {(uint32_t)at(512), (uint32_t)at(528), 0};
	uint32_t envp[2] = {(uint32_t)at(536), 0};
	memcpy(low + 544, argv, sizeof argv);
	memcpy(low + 560, envp, sizeof envp);
	char want[160];
	snprintf(want, sizeof want,
	         "execve(\"/bin/true\", [\"/bin/true\", \"-x\"], %#llx /* 1 var */) = 0",
	         (unsigned long long)at(560));
	CHECK_EQ_STR(line(11, A(at(512), at(544), at(560)), 0), want);
}
