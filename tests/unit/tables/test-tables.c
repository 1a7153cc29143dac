/* SPDX-License-Identifier: MIT */
/*
 * The generated tables: syscalls both ways for both ABIs, errno, signals,
 * flag sets against the host headers and strace-style formatting, and the
 * differential test of syscall classes against strace's measured selection.
 */
#include "harness.h"
#include "ptk/ptk.h"
#include "ptk_flagsets.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct ptk_sysent *get(int arch, long nr)
{
	const struct ptk_sysent *e = ptk_sysent_get(arch, nr);

	CHECK_MSG(e, "syscall %ld of arch %d is undefined", nr, arch);
	return e;
}

/* name <-> nr both ways. */
static void both_ways(int arch, const char *name, long nr)
{
	CHECK_EQ_INT(ptk_syscall_lookup(arch, name), nr);
	CHECK_EQ_STR(get(arch, nr)->name, name);
}

TEST(x86_64_known)
{
	const int a = PTK_ARCH_X86_64;

	both_ways(a, "read", 0);
	both_ways(a, "write", 1);
	both_ways(a, "open", 2);
	both_ways(a, "mmap", 9);
	both_ways(a, "rt_sigreturn", 15);
	both_ways(a, "clone", 56);
	both_ways(a, "execve", 59);
	both_ways(a, "exit", 60);
	both_ways(a, "ptrace", 101);
	both_ways(a, "arch_prctl", 158);
	both_ways(a, "exit_group", 231);
	both_ways(a, "openat", 257);
	both_ways(a, "newfstatat", 262);
	both_ways(a, "statx", 332);
	both_ways(a, "rseq", 334);
	both_ways(a, "uretprobe", 335);
	both_ways(a, "uprobe", 336);
	both_ways(a, "pidfd_send_signal", 424);
	both_ways(a, "clone3", 435);
	both_ways(a, "cachestat", 451);
	both_ways(a, "fchmodat2", 452);
	both_ways(a, "map_shadow_stack", 453);
	both_ways(a, "futex_wake", 454);
	both_ways(a, "futex_wait", 455);
	both_ways(a, "futex_requeue", 456);
	both_ways(a, "statmount", 457);
	both_ways(a, "listmount", 458);
	both_ways(a, "lsm_list_modules", 461);
	both_ways(a, "mseal", 462);
	both_ways(a, "setxattrat", 463);
	both_ways(a, "removexattrat", 466);
	both_ways(a, "open_tree_attr", 467);
	both_ways(a, "file_getattr", 468);
	both_ways(a, "file_setattr", 469);
	CHECK_EQ_INT(ptk_syscall_count(a), 470);

	const struct ptk_sysent *e = get(a, 0);
	CHECK_EQ_INT(e->nargs, 3);
	CHECK_EQ_STR(e->args, "fd,out:buf:2,size");
	CHECK_EQ_HEX(e->classes, PTK_SCC_DESC);
	CHECK_EQ_HEX(e->flags, 0);
	e = get(a, 257);
	CHECK_EQ_STR(e->args, "dirfd,path,flags:open,mode");
	CHECK_EQ_HEX(e->classes, PTK_SCC_FILE | PTK_SCC_DESC);
	CHECK_EQ_HEX(get(a, 5)->classes, PTK_SCC_DESC | PTK_SCC_FSTAT | PTK_SCC_STAT_LIKE);
	CHECK_EQ_HEX(get(a, 6)->classes, PTK_SCC_FILE | PTK_SCC_LSTAT | PTK_SCC_STAT_LIKE);
	CHECK_EQ_HEX(get(a, 137)->classes, PTK_SCC_FILE | PTK_SCC_STATFS | PTK_SCC_STATFS_LIKE);
	CHECK_EQ_HEX(get(a, 59)->classes, PTK_SCC_FILE | PTK_SCC_PROCESS);
	CHECK_EQ_HEX(get(a, 62)->classes, PTK_SCC_PROCESS | PTK_SCC_SIGNAL);
	CHECK_EQ_HEX(get(a, 41)->classes, PTK_SCC_NETWORK);
	CHECK_EQ_HEX(get(a, 30)->classes, PTK_SCC_MEMORY | PTK_SCC_IPC);
	CHECK_EQ_HEX(get(a, 102)->classes, PTK_SCC_CREDS | PTK_SCC_PURE);
	CHECK_EQ_HEX(get(a, 228)->classes, PTK_SCC_CLOCK);
	CHECK_EQ_HEX(get(a, 39)->classes, PTK_SCC_PURE);
	CHECK_EQ_HEX(get(a, 39)->flags, PTK_SYF_NEVER_FAILS);
	CHECK_EQ_HEX(get(a, 60)->flags, PTK_SYF_NORETURN);
	CHECK_EQ_HEX(get(a, 231)->flags, PTK_SYF_NORETURN);
	CHECK_EQ_HEX(get(a, 9)->flags, PTK_SYF_HEXRET | PTK_SYF_CUSTOM);
	CHECK_EQ_HEX(get(a, 12)->flags, PTK_SYF_HEXRET);
	CHECK_EQ_HEX(get(a, 95)->flags, PTK_SYF_OCTRET | PTK_SYF_NEVER_FAILS);
	CHECK_EQ_INT(get(a, 9)->nargs, 6);
	CHECK_EQ_STR(get(a, 9)->args, "ptr,size,flags:prot,flags:mmap,fd,hex");
	CHECK_EQ_INT(get(a, 469)->nargs, 5);
	CHECK_EQ_HEX(get(a, 469)->classes, PTK_SCC_FILE | PTK_SCC_DESC);
}

TEST(i386_known)
{
	const int a = PTK_ARCH_I386;

	both_ways(a, "restart_syscall", 0);
	both_ways(a, "exit", 1);
	both_ways(a, "fork", 2);
	both_ways(a, "read", 3);
	both_ways(a, "execve", 11);
	both_ways(a, "oldstat", 18);
	both_ways(a, "socketcall", 102);
	both_ways(a, "ipc", 117);
	both_ways(a, "_llseek", 140);
	both_ways(a, "mmap2", 192);
	both_ways(a, "fcntl64", 221);
	both_ways(a, "exit_group", 252);
	both_ways(a, "fstatat64", 300);
	both_ways(a, "arch_prctl", 384);
	both_ways(a, "rseq", 386);
	both_ways(a, "semget", 393);
	both_ways(a, "clock_gettime64", 403);
	both_ways(a, "sched_rr_get_interval_time64", 423);
	both_ways(a, "clone3", 435);
	both_ways(a, "map_shadow_stack", 453);
	both_ways(a, "file_setattr", 469);
	CHECK_EQ_INT(ptk_syscall_count(a), 470);
	/* Holes of the i386 table. */
	static const long holes[] = {222, 223, 251, 285, 387, 388, 389, 390, 391, 392, 415, 470};
	for (size_t i = 0; i < sizeof(holes) / sizeof(holes[0]); i++)
		CHECK_MSG(!ptk_sysent_get(a, holes[i]), "i386 %ld should be undefined", holes[i]);
	CHECK_EQ_INT(ptk_syscall_lookup(a, "uretprobe"), -ENOENT);
	CHECK_EQ_INT(ptk_syscall_lookup(a, "newfstatat"), -ENOENT);
	CHECK_EQ_INT(get(a, 180)->nargs, 5); /* pread64: lo and hi halves of the offset */
	CHECK_EQ_STR(get(a, 180)->args, "fd,out:buf:2,size,lo:off,hi:off");
	CHECK_EQ_STR(get(a, 140)->args, "fd,hi:off,lo:off,out:struct:loff,xlat:whence");
	CHECK_EQ_HEX(get(a, 195)->classes, PTK_SCC_FILE | PTK_SCC_STAT | PTK_SCC_STAT_LIKE);
	CHECK_EQ_HEX(get(a, 192)->flags, PTK_SYF_HEXRET | PTK_SYF_CUSTOM);
	CHECK_EQ_HEX(get(a, 199)->classes, PTK_SCC_CREDS | PTK_SCC_PURE); /* getuid32 */
	CHECK_EQ_STR(get(a, 403)->args, "xlat:clock,out:struct:timespec64");
	CHECK_EQ_STR(get(a, 265)->args, "xlat:clock,out:struct:timespec");
}

TEST(undefined_and_bad)
{
	for (long nr = 337; nr < 424; nr++)
		CHECK_MSG(!ptk_sysent_get(PTK_ARCH_X86_64, nr), "x86_64 %ld should be undefined",
		          nr);
	CHECK(!ptk_sysent_get(PTK_ARCH_X86_64, 470));
	CHECK(!ptk_sysent_get(PTK_ARCH_X86_64, 512));
	CHECK(!ptk_sysent_get(PTK_ARCH_X86_64, -1));
	CHECK(!ptk_sysent_get(PTK_ARCH_UNKNOWN, 0));
	CHECK_EQ_INT(ptk_syscall_lookup(PTK_ARCH_X86_64, "no_such_call"), -ENOENT);
	CHECK_EQ_INT(ptk_syscall_lookup(PTK_ARCH_X86_64, ""), -ENOENT);
	CHECK_EQ_INT(ptk_syscall_lookup(PTK_ARCH_UNKNOWN, "read"), -EINVAL);
	CHECK_EQ_INT(ptk_syscall_count(PTK_ARCH_UNKNOWN), -EINVAL);
	/* x32 numbers carry __X32_SYSCALL_BIT and use the x86_64 table. */
	CHECK_EQ_STR(get(PTK_ARCH_X32, 0x40000000 | 1)->name, "write");
	CHECK_EQ_INT(ptk_syscall_lookup(PTK_ARCH_X32, "openat"), 257);
}

/* Every row: name -> number -> the same row; nargs agrees with the type list. */
static int roundtrip(int arch)
{
	int n = 0;

	for (long nr = 0; nr < ptk_syscall_count(arch); nr++) {
		const struct ptk_sysent *e = ptk_sysent_get(arch, nr);
		int commas = 0;

		if (!e)
			continue;
		n++;
		CHECK_MSG(ptk_syscall_lookup(arch, e->name) == nr, "%s: lookup gives %ld, not %ld",
		          e->name, ptk_syscall_lookup(arch, e->name), nr);
		CHECK(e->nargs <= 6);
		for (const char *p = e->args; *p; p++)
			commas += *p == ',';
		CHECK_MSG(e->nargs == (*e->args ? commas + 1 : 0), "%s: nargs %d, args \"%s\"",
		          e->name, e->nargs, e->args);
		CHECK_MSG(!(e->flags & PTK_SYF_NORETURN) || strncmp(e->name, "exit", 4) == 0,
		          "%s is noreturn", e->name);
	}
	return n;
}

TEST(roundtrip_all_rows)
{
	CHECK_EQ_INT(roundtrip(PTK_ARCH_X86_64), 383);
	CHECK_EQ_INT(roundtrip(PTK_ARCH_I386), 459);
}

TEST(class_lookup)
{
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%file"), PTK_SCC_FILE);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("file"), PTK_SCC_FILE);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%desc"), PTK_SCC_DESC);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%network"), PTK_SCC_NETWORK);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%net"), PTK_SCC_NETWORK);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("net"), PTK_SCC_NETWORK);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%process"), PTK_SCC_PROCESS);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%signal"), PTK_SCC_SIGNAL);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%memory"), PTK_SCC_MEMORY);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%ipc"), PTK_SCC_IPC);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%creds"), PTK_SCC_CREDS);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%clock"), PTK_SCC_CLOCK);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%pure"), PTK_SCC_PURE);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%stat"), PTK_SCC_STAT);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("stat"), PTK_SCC_STAT);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%lstat"), PTK_SCC_LSTAT);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%fstat"), PTK_SCC_FSTAT);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%%stat"), PTK_SCC_STAT_LIKE);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%statfs"), PTK_SCC_STATFS);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%fstatfs"), PTK_SCC_FSTATFS);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%%statfs"), PTK_SCC_STATFS_LIKE);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%bogus"), 0);
	CHECK_EQ_HEX(ptk_syscall_class_lookup("%"), 0);
	CHECK_EQ_HEX(ptk_syscall_class_lookup(""), 0);
	CHECK_EQ_HEX(ptk_syscall_class_lookup(NULL), 0);
}

TEST(errno_names)
{
	CHECK_EQ_STR(ptk_errno_name(1), "EPERM");
	CHECK_EQ_STR(ptk_errno_name(2), "ENOENT");
	CHECK_EQ_STR(ptk_errno_message(2), "No such file or directory");
	CHECK_EQ_INT(ptk_errno_lookup("ENOENT"), 2);
	CHECK_EQ_STR(ptk_errno_name(11), "EAGAIN");
	CHECK_EQ_INT(ptk_errno_lookup("EWOULDBLOCK"), 11);
	CHECK_EQ_STR(ptk_errno_name(35), "EDEADLK");
	CHECK_EQ_INT(ptk_errno_lookup("EDEADLOCK"), 35);
	CHECK_EQ_STR(ptk_errno_name(95), "EOPNOTSUPP");
	CHECK_EQ_INT(ptk_errno_lookup("ENOTSUP"), 95);
	CHECK_EQ_STR(ptk_errno_name(133), "EHWPOISON");
	CHECK_EQ_STR(ptk_errno_name(512), "ERESTARTSYS");
	CHECK_EQ_STR(ptk_errno_message(512), "To be restarted if SA_RESTART is set");
	CHECK_EQ_INT(ptk_errno_lookup("ERESTARTSYS"), 512);
	CHECK_EQ_STR(ptk_errno_name(513), "ERESTARTNOINTR");
	CHECK_EQ_STR(ptk_errno_message(513), "To be restarted");
	CHECK_EQ_STR(ptk_errno_message(514), "To be restarted if no handler");
	CHECK_EQ_STR(ptk_errno_name(515), "ENOIOCTLCMD");
	CHECK_EQ_STR(ptk_errno_message(515), "Unknown error 515");
	CHECK_EQ_STR(ptk_errno_name(516), "ERESTART_RESTARTBLOCK");
	CHECK_EQ_STR(ptk_errno_message(516), "Interrupted by signal");
	CHECK_EQ_STR(ptk_errno_name(517), "EPROBE_DEFER");
	CHECK_EQ_STR(ptk_errno_name(518), "EOPENSTALE");
	CHECK_EQ_STR(ptk_errno_name(519), "ENOPARAM");
	CHECK(!ptk_errno_name(520));
	CHECK_EQ_STR(ptk_errno_name(521), "EBADHANDLE");
	CHECK_EQ_STR(ptk_errno_name(524), "ENOTSUPP");
	CHECK_EQ_STR(ptk_errno_name(528), "EJUKEBOX");
	CHECK_EQ_STR(ptk_errno_name(529), "EIOCBQUEUED");
	CHECK_EQ_STR(ptk_errno_name(530), "ERECALLCONFLICT");
	CHECK_EQ_STR(ptk_errno_name(531), "ENOGRACE");
	CHECK_EQ_STR(ptk_errno_message(531), "Unknown error 531");
	CHECK(!ptk_errno_name(532));
	CHECK(!ptk_errno_name(134));
	CHECK(!ptk_errno_name(0));
	CHECK(!ptk_errno_name(-2));
	CHECK(!ptk_errno_message(0));
	CHECK_EQ_INT(ptk_errno_lookup("EBOGUS"), -ENOENT);
	CHECK_EQ_INT(ptk_errno_lookup("enoent"), -ENOENT);
}

/* The classic values: every one named, with this machine's strerror() text. */
TEST(errno_messages_match_strerror)
{
	for (int e = 1; e <= 133; e++) {
		if (e == 41 || e == 58) { /* the two holes of errno.h */
			CHECK(!ptk_errno_name(e));
			continue;
		}
		CHECK_MSG(ptk_errno_name(e), "errno %d has no name", e);
		CHECK_EQ_STR(ptk_errno_message(e), strerror(e));
		CHECK_EQ_INT(ptk_errno_lookup(ptk_errno_name(e)), e);
	}
}

TEST(signals)
{
	CHECK_EQ_STR(ptk_signal_name(1), "SIGHUP");
	CHECK_EQ_STR(ptk_signal_name(6), "SIGABRT");
	CHECK_EQ_STR(ptk_signal_name(11), "SIGSEGV");
	CHECK_EQ_STR(ptk_signal_name(17), "SIGCHLD");
	CHECK_EQ_STR(ptk_signal_name(29), "SIGIO");
	CHECK_EQ_STR(ptk_signal_name(31), "SIGSYS");
	CHECK_EQ_STR(ptk_signal_name(32), "SIGRTMIN");
	CHECK_EQ_STR(ptk_signal_name(33), "SIGRT_1");
	CHECK_EQ_STR(ptk_signal_name(34), "SIGRT_2");
	CHECK_EQ_STR(ptk_signal_name(64), "SIGRT_32");
	CHECK(!ptk_signal_name(65));
	CHECK(!ptk_signal_name(0));
	CHECK_EQ_INT(ptk_signal_lookup("SIGSEGV"), 11);
	CHECK_EQ_INT(ptk_signal_lookup("SEGV"), 11);
	CHECK_EQ_INT(ptk_signal_lookup("segv"), 11);
	CHECK_EQ_INT(ptk_signal_lookup("sigkill"), 9);
	CHECK_EQ_INT(ptk_signal_lookup("11"), 11);
	CHECK_EQ_INT(ptk_signal_lookup("64"), 64);
	CHECK_EQ_INT(ptk_signal_lookup("SIGIOT"), 6);
	CHECK_EQ_INT(ptk_signal_lookup("SIGPOLL"), 29);
	CHECK_EQ_INT(ptk_signal_lookup("SIGCLD"), 17);
	CHECK_EQ_INT(ptk_signal_lookup("SIGRTMIN"), 32);
	CHECK_EQ_INT(ptk_signal_lookup("SIGRT_2"), 34);
	CHECK_EQ_INT(ptk_signal_lookup("SIGRTMIN+2"), 34);
	CHECK_EQ_INT(ptk_signal_lookup("rtmin+2"), 34);
	CHECK_EQ_INT(ptk_signal_lookup("SIGRTMAX"), 64);
	CHECK_EQ_INT(ptk_signal_lookup("SIGRTMAX-1"), 63);
	CHECK_EQ_INT(ptk_signal_lookup("SIGRTMIN+32"), 64);
	CHECK_EQ_INT(ptk_signal_lookup("SIGRTMIN+33"), -EINVAL);
	CHECK_EQ_INT(ptk_signal_lookup("SIGRTMAX-33"), -EINVAL);
	CHECK_EQ_INT(ptk_signal_lookup("0"), -EINVAL);
	CHECK_EQ_INT(ptk_signal_lookup("65"), -EINVAL);
	CHECK_EQ_INT(ptk_signal_lookup("SIGFOO"), -EINVAL);
	CHECK_EQ_INT(ptk_signal_lookup(""), -EINVAL);
	/* 1..31 agree with glibc's abbreviations (glibc says POLL where strace says IO). */
	for (int s = 1; s < 32; s++) {
		char want[32];

		snprintf(want, sizeof(want), "SIG%s", sigabbrev_np(s));
		CHECK_EQ_INT(ptk_signal_lookup(want), s);
		if (s != SIGIO)
			CHECK_EQ_STR(ptk_signal_name(s), want);
	}
}

/* ------------------------------------------------------------ flag sets */

struct host_value {
	const char *set;
	const char *name;
	long long value;
};
extern const struct host_value host_values[];

/* Every constant the host headers define has the host's value (a few known exceptions). */
TEST(flagsets_match_host_headers)
{
	static const char *const differ[] = {
	        "O_LARGEFILE", /* glibc's is 0 on x86_64; the kernel's is 0100000 */
	        "F_GETLK64",   /* i386's 12..14; glibc on x86_64 aliases F_GETLK.. */
	        "F_SETLK64",   "F_SETLKW64", NULL,
	};
	int n = 0, bad = 0;

	for (const struct host_value *h = host_values; h->set; h++) {
		const struct ptk_xlat *x = ptk_flagset_find(h->set);
		uint64_t v = 0;
		int skip = 0;

		CHECK_MSG(x, "set %s missing", h->set);
		CHECK_OK(ptk_xlat_value(x, h->name, &v));
		for (const char *const *d = differ; *d; d++)
			skip |= strcmp(*d, h->name) == 0;
		if (skip)
			continue;
		n++;
		/* An int constant with bit 31 set reads back sign-extended. */
		if (v != (uint64_t)h->value && !(h->value < 0 && v == (uint32_t)h->value)) {
			th_note("%s %s: table %#llx, host %#llx", h->set, h->name,
			        (unsigned long long)v, (unsigned long long)h->value);
			bad++;
		}
	}
	th_note("%d constants compared with the host headers", n);
	CHECK_EQ_INT(bad, 0);
	CHECK(n > 900);
}

static const char *fmt(const char *set, uint64_t v)
{
	static char buf[4][256];
	static int k;
	const struct ptk_xlat *x = ptk_flagset_find(set);
	char *b = buf[k++ % 4];

	CHECK_MSG(x, "no set %s", set);
	CHECK(ptk_xlat_format(x, v, b, sizeof(buf[0])) == (int)strlen(b));
	return b;
}

TEST(flagsets_format)
{
	CHECK(ptk_flagset_count > 100);
	for (size_t i = 1; i < ptk_flagset_count; i++)
		CHECK(strcmp(ptk_flagsets[i - 1]->name, ptk_flagsets[i]->name) < 0);
	for (size_t i = 0; i < ptk_flagset_count; i++)
		CHECK(ptk_flagset_find(ptk_flagsets[i]->name) == ptk_flagsets[i]);
	CHECK(!ptk_flagset_find("nosuchset"));
	CHECK(ptk_flagset_find("open") == &ptk_xlat_open);
	CHECK_EQ_INT(ptk_xlat_open.kind, PTK_XLAT_FLAGS);
	CHECK_EQ_HEX(ptk_xlat_open.field, 3);
	CHECK_EQ_INT(ptk_xlat_whence.kind, PTK_XLAT_ENUM);

	CHECK_EQ_STR(fmt("open", 0), "O_RDONLY");
	CHECK_EQ_STR(fmt("open", 02000000), "O_RDONLY|O_CLOEXEC");
	CHECK_EQ_STR(fmt("open", 01 | 0100 | 01000), "O_WRONLY|O_CREAT|O_TRUNC");
	CHECK_EQ_STR(fmt("open", 02 | 04010000), "O_RDWR|O_SYNC");
	CHECK_EQ_STR(fmt("open", 020200000), "O_RDONLY|O_TMPFILE");
	CHECK_EQ_STR(fmt("open", 0200000 | 0100000), "O_RDONLY|O_LARGEFILE|O_DIRECTORY");
	CHECK_EQ_STR(fmt("open", 3 | 0x40000000), "O_ACCMODE|0x40000000");
	CHECK_EQ_STR(fmt("open_flags", 02000000 | 04000), "O_NONBLOCK|O_CLOEXEC");
	CHECK_EQ_STR(fmt("prot", 0), "PROT_NONE");
	CHECK_EQ_STR(fmt("prot", 3), "PROT_READ|PROT_WRITE");
	CHECK_EQ_STR(fmt("prot", 0x10), "0x10");
	CHECK_EQ_STR(fmt("prot", 0x11), "PROT_READ|0x10");
	CHECK_EQ_STR(fmt("mmap", 0x22), "MAP_PRIVATE|MAP_ANONYMOUS");
	CHECK_EQ_STR(fmt("mmap", 0x812), "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE");
	CHECK_EQ_STR(fmt("access_mode", 0), "F_OK");
	CHECK_EQ_STR(fmt("access_mode", 6), "R_OK|W_OK");
	CHECK_EQ_STR(fmt("whence", 2), "SEEK_END");
	CHECK_EQ_STR(fmt("whence", 9), "9");
	CHECK_EQ_STR(fmt("wait", 0), "0");
	CHECK_EQ_STR(fmt("wait", 0x40000001), "WNOHANG|__WALL");
	CHECK_EQ_STR(fmt("clone", 0x1200000 | SIGCHLD),
	             "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");
	CHECK_EQ_STR(fmt("clone3", 0x200000000ULL | 0x100), "CLONE_VM|CLONE_INTO_CGROUP");
	CHECK_EQ_STR(fmt("futex_op", 128), "FUTEX_WAIT_PRIVATE");
	CHECK_EQ_STR(fmt("futex_op", 137 | 256), "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME");
	CHECK_EQ_STR(fmt("ipc_get", 01000 | 0600), "IPC_CREAT|0600");
	CHECK_EQ_STR(fmt("ipc_get", 0), "000");
	CHECK_EQ_STR(fmt("rusage_who", (uint64_t)-1), "RUSAGE_CHILDREN");
	CHECK_EQ_STR(fmt("rusage_who", (uint64_t)-9), "-9");
	CHECK_EQ_STR(fmt("dirfd", (uint64_t)-100), "AT_FDCWD");
	CHECK_EQ_STR(fmt("socktype", 1 | 02000000), "SOCK_STREAM|SOCK_CLOEXEC");
	CHECK_EQ_STR(fmt("af", 10), "AF_INET6");
	CHECK_EQ_STR(fmt("af", 1), "AF_UNIX");
	CHECK_EQ_STR(fmt("ioctl", 0x5413), "TIOCGWINSZ");
	CHECK_EQ_STR(fmt("ioctl", 0x5401), "TCGETS");
	CHECK_EQ_STR(fmt("statx_flags", 0), "AT_STATX_SYNC_AS_STAT");
	CHECK_EQ_STR(fmt("statx_flags", 0x100), "AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW");
	CHECK_EQ_STR(fmt("statx_mask", 0xfff), "STATX_ALL");
	CHECK_EQ_STR(fmt("statx_mask", 0x7ff), "STATX_BASIC_STATS");
	CHECK_EQ_STR(fmt("prctl", 15), "PR_SET_NAME");
	CHECK_EQ_STR(fmt("arch_prctl", 0x1002), "ARCH_SET_FS");
	CHECK_EQ_STR(fmt("ptrace", 0x4206), "PTRACE_SEIZE");
	CHECK_EQ_STR(fmt("sigprocmask_how", 2), "SIG_SETMASK");
	CHECK_EQ_STR(fmt("personality", 0x8 | 0x40000), "PER_LINUX32|ADDR_NO_RANDOMIZE");
	CHECK_EQ_STR(fmt("msg", 0x4040), "MSG_DONTWAIT|MSG_NOSIGNAL");
	CHECK_EQ_STR(fmt("epoll_events", 0x80000001), "EPOLLIN|EPOLLET");
	CHECK_EQ_STR(fmt("rlimit", 7), "RLIMIT_NOFILE");
	CHECK_EQ_STR(fmt("clock", 1), "CLOCK_MONOTONIC");

	uint64_t v = 0;
	CHECK_OK(ptk_xlat_value(&ptk_xlat_mmap, "MAP_STACK", &v));
	CHECK_EQ_HEX(v, 0x20000);
	CHECK_EQ_INT(ptk_xlat_value(&ptk_xlat_mmap, "MAP_NOPE", &v), -ENOENT);
	CHECK_EQ_STR(ptk_xlat_name(&ptk_xlat_seccomp_op, 1), "SECCOMP_SET_MODE_FILTER");
	CHECK(!ptk_xlat_name(&ptk_xlat_seccomp_op, 99));

	/* A short buffer: truncated, NUL-terminated, full length returned. */
	char small[8];
	CHECK_EQ_INT(ptk_xlat_format(&ptk_xlat_open, 02000000, small, sizeof(small)), 18);
	CHECK_EQ_STR(small, "O_RDONL");
	CHECK_EQ_INT(ptk_xlat_format(&ptk_xlat_open, 02000000, NULL, 0), 18);
}

/* Every flags:/xlat: reference of every row names an existing set of the right kind. */
TEST(arg_set_references)
{
	static const int arches[] = {PTK_ARCH_X86_64, PTK_ARCH_I386};
	int refs = 0;

	for (int i = 0; i < 2; i++) {
		for (long nr = 0; nr < ptk_syscall_count(arches[i]); nr++) {
			const struct ptk_sysent *e = ptk_sysent_get(arches[i], nr);
			const char *p;

			for (p = e ? e->args : ""; (p = strpbrk(p, "fx")); p++) {
				int fl = strncmp(p, "flags:", 6) == 0;
				char name[64];
				size_t n;

				if (!fl && strncmp(p, "xlat:", 5) != 0)
					continue;
				p += fl ? 6 : 5;
				n = strcspn(p, ",");
				CHECK(n < sizeof(name));
				memcpy(name, p, n);
				name[n] = 0;
				const struct ptk_xlat *x = ptk_flagset_find(name);
				CHECK_MSG(x, "%s: no set %s", e->name, name);
				CHECK_EQ_INT(x->kind, fl ? PTK_XLAT_FLAGS : PTK_XLAT_ENUM);
				refs++;
			}
		}
	}
	CHECK_EQ_INT(refs, 389);
}

/* ------------------------------------------------ strace differential */

#ifdef STRACE
static const struct {
	const char *name;
	uint32_t mask;
} classes[] = {
        {"%file", PTK_SCC_FILE},
        {"%desc", PTK_SCC_DESC},
        {"%network", PTK_SCC_NETWORK},
        {"%process", PTK_SCC_PROCESS},
        {"%signal", PTK_SCC_SIGNAL},
        {"%memory", PTK_SCC_MEMORY},
        {"%ipc", PTK_SCC_IPC},
        {"%creds", PTK_SCC_CREDS},
        {"%clock", PTK_SCC_CLOCK},
        {"%pure", PTK_SCC_PURE},
        {"%stat", PTK_SCC_STAT},
        {"%lstat", PTK_SCC_LSTAT},
        {"%fstat", PTK_SCC_FSTAT},
        {"%%stat", PTK_SCC_STAT_LIKE},
        {"%statfs", PTK_SCC_STATFS},
        {"%fstatfs", PTK_SCC_FSTATFS},
        {"%%statfs", PTK_SCC_STATFS_LIKE},
};
#define NCLASSES (sizeof(classes) / sizeof(classes[0]))
#define MAXNR    512
#define NAMELEN  40

/*
 * What strace printed for each probed number of one run: the names of the
 * syscall lines of its segment, space-separated ("" when there were none).
 * A sanitizer runtime adds calls of its own around the marker (sigaltstack
 * from siglongjmp's interceptor), so the call is found by name, not position.
 */
struct run {
	char *seg[MAXNR];
	long first; /* the first number the main process probed */
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f)
		return NULL;
	do {
		if (cap - n < 65536) {
			cap = cap * 2 + 65536;
			buf = realloc(buf, cap + 1);
			CHECK(buf);
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = 0;
	return buf;
}

static void append(char **seg, const char *name, size_t len)
{
	size_t old = *seg ? strlen(*seg) : 0;

	*seg = realloc(*seg, old + len + 2);
	CHECK(*seg);
	if (old)
		(*seg)[old++] = ' ';
	memcpy(*seg + old, name, len);
	(*seg)[old + len] = 0;
}

/*
 * The segments of one process's strace output: segment k (after the k-th
 * "--- SIGTRAP" line) belongs to the k-th number the process probed.
 */
static void parse_process(struct run *r, const char *dir, int pid, const long *nrs, int n)
{
	char path[512];
	char *text, *line, *save = NULL;
	int seg = 0;

	snprintf(path, sizeof(path), "%s/t.%d", dir, pid);
	text = slurp(path);
	CHECK_MSG(text, "no strace output %s", path);
	for (int i = 0; i < n; i++)
		if (!r->seg[nrs[i]])
			append(&r->seg[nrs[i]], "", 0);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t len = strspn(line, "abcdefghijklmnopqrstuvwxyz0123456789_");

		if (strncmp(line, "--- SIGTRAP", 11) == 0) {
			seg++;
			continue;
		}
		if (seg >= 1 && seg <= n && len > 0 && len < NAMELEN && line[len] == '(')
			append(&r->seg[nrs[seg - 1]], line, len);
	}
	free(text);
}

/* Is word w one of the space-separated words of s? */
static bool has_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = s; p && (p = strstr(p, w)); p += n)
		if ((p == s || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0))
			return true;
	return false;
}

static void run_free(struct run *r)
{
	for (int i = 0; i < MAXNR; i++)
		free(r->seg[i]);
}

/* Run sysprobe under strace -e trace=expr; fill r. */
static void strace_run(const char *abi, const char *expr, struct run *r)
{
	char dir[] = "/tmp/ptk-strace-XXXXXX", out[512], trace[64];
	static char manifest[65536];
	char *line, *save = NULL;
	DIR *d;
	struct dirent *de;

	memset(r, 0, sizeof(*r));
	r->first = -1;
	CHECK(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/t", dir);
	snprintf(trace, sizeof(trace), "trace=%s", expr);
	char *argv[] = {STRACE, "-f", "-ff", "-o", out, "-e", trace, SYSPROBE, (char *)abi, NULL};
	int st = th_run_untraced(argv, manifest, sizeof(manifest));
	CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "strace -e %s: status %#x", trace, st);
	for (line = strtok_r(manifest, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		long nrs[MAXNR];
		int n = 0, pid;
		char *p, *end;

		CHECK_MSG(strncmp(line, "main ", 5) == 0 || strncmp(line, "iso ", 4) == 0,
		          "bad manifest line: %s", line);
		p = strchr(line, ' ') + 1;
		pid = (int)strtol(p, &end, 10);
		for (p = end; *p; p = end) {
			nrs[n] = strtol(p, &end, 10);
			CHECK(end != p && nrs[n] >= 0 && nrs[n] < MAXNR && n < MAXNR - 1);
			n++;
		}
		if (strncmp(line, "main ", 5) == 0 && n > 0)
			r->first = nrs[0];
		parse_process(r, dir, pid, nrs, n);
	}
	d = opendir(dir);
	CHECK(d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(out, sizeof(out), "%s/%s", dir, de->d_name);
		unlink(out);
	}
	closedir(d);
	rmdir(dir);
}

static void differential(int arch, const char *abi)
{
	static struct run all, cls;
	static char name[MAXNR][NAMELEN];
	char ver[256];
	char *argv[] = {STRACE, "-V", NULL};
	int known = 0, unknown = 0, pairs = 0, agree = 0, names = 0, noise = 0;

	if (access(STRACE, X_OK) != 0)
		th_skip("strace is not installed (%s)", STRACE);
	th_run_untraced(argv, ver, sizeof(ver));
	/* The table holds strace 6.1's classes; other versions classify some calls anew. */
	if (!strstr(ver, "version 6.1\n"))
		th_skip("the classes are strace 6.1's; this strace is: %.*s",
		        (int)strcspn(ver, "\n"), ver);
	if (arch == PTK_ARCH_I386) {
		char *probe[] = {SYSPROBE, "i386", NULL};
		char sink[65536];
		int st = th_run_untraced(probe, sink, sizeof(sink));

		if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
			th_skip("int $0x80 faults on this kernel (no ia32 emulation): "
			        "i386 cannot be probed here");
	}

	/* trace=all names every call: the one after the runtime's own leading calls. */
	strace_run(abi, "all", &all);
	CHECK(all.first >= 0 && all.seg[all.first]);
	for (const char *p = all.seg[all.first]; strncmp(p, "sigaltstack ", 12) == 0; p += 12)
		noise++;
	for (long nr = 0; nr < ptk_syscall_count(arch); nr++) {
		const struct ptk_sysent *e = ptk_sysent_get(arch, nr);
		const char *p = all.seg[nr];

		if (!e)
			continue;
		CHECK_MSG(p, "%s (%ld) was not probed", e->name, nr);
		for (int i = 0; i < noise && p; i++)
			p = strchr(p, ' ') ? strchr(p, ' ') + 1 : NULL;
		CHECK_MSG(p && *p, "%s (%ld): strace printed nothing", e->name, nr);
		snprintf(name[nr], NAMELEN, "%.*s", (int)strcspn(p, " "), p);
		if (strncmp(name[nr], "syscall_", 8) == 0) {
			unknown++;
			continue;
		}
		known++;
		names += strcmp(name[nr], e->name) == 0;
		if (strcmp(name[nr], e->name) != 0)
			th_note("%ld: strace names it %s, the table %s", nr, name[nr], e->name);
	}
	for (size_t c = 0; c < NCLASSES; c++) {
		strace_run(abi, classes[c].name, &cls);
		for (long nr = 0; nr < ptk_syscall_count(arch); nr++) {
			const struct ptk_sysent *e = ptk_sysent_get(arch, nr);
			bool theirs, ours;

			if (!e || strncmp(name[nr], "syscall_", 8) == 0)
				continue;
			theirs = cls.seg[nr] && has_word(cls.seg[nr], name[nr]);
			ours = (e->classes & classes[c].mask) != 0;
			pairs++;
			agree += theirs == ours;
			if (theirs != ours)
				th_note("%s %s: strace %s, table %s", e->name, classes[c].name,
				        theirs ? "yes" : "no", ours ? "yes" : "no");
		}
		run_free(&cls);
	}
	run_free(&all);
	th_note("%s: %d syscalls known to strace 6.1 (+%d newer, classified by definition); "
	        "names agree %d/%d; class membership agrees %d/%d (%zu classes)",
	        abi, known, unknown, names, known, agree, pairs, NCLASSES);
	CHECK_EQ_INT(names, known);
	CHECK_EQ_INT(agree, pairs);
}
#endif

TEST(strace_classes_x86_64)
{
#ifdef STRACE
	differential(PTK_ARCH_X86_64, "x86_64");
#else
	th_skip("strace was not found when ptk was configured");
#endif
}

TEST(strace_classes_i386)
{
#ifdef STRACE
	differential(PTK_ARCH_I386, "i386");
#else
	th_skip("strace was not found when ptk was configured");
#endif
}
