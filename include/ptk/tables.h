/* SPDX-License-Identifier: MIT */
/*
 * libptk's tables: system calls (x86_64 and i386), errno values and
 * signals, generated at build time from the text files under data/ (facts
 * from the kernel's UAPI with fixed numbers, so ptk names syscalls and
 * constants newer than the build host's headers).
 *
 * Included by <ptk/ptk.h>.
 */
#ifndef PTK_TABLES_H
#define PTK_TABLES_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* strace's syscall classes, for -e trace=%CLASS. */
enum ptk_sc_class {
	PTK_SCC_FILE = 1u << 0,         /* %file: takes a file name */
	PTK_SCC_DESC = 1u << 1,         /* %desc: takes or returns a file descriptor */
	PTK_SCC_NETWORK = 1u << 2,      /* %network, %net */
	PTK_SCC_PROCESS = 1u << 3,      /* %process: process life cycle */
	PTK_SCC_SIGNAL = 1u << 4,       /* %signal */
	PTK_SCC_MEMORY = 1u << 5,       /* %memory: memory mapping */
	PTK_SCC_IPC = 1u << 6,          /* %ipc: SysV IPC */
	PTK_SCC_CREDS = 1u << 7,        /* %creds: user and group ids, capabilities */
	PTK_SCC_CLOCK = 1u << 8,        /* %clock: read or change clocks */
	PTK_SCC_PURE = 1u << 9,         /* %pure: no arguments, never fails */
	PTK_SCC_STAT = 1u << 10,        /* %stat: stat variants */
	PTK_SCC_LSTAT = 1u << 11,       /* %lstat */
	PTK_SCC_FSTAT = 1u << 12,       /* %fstat */
	PTK_SCC_STAT_LIKE = 1u << 13,   /* %%stat: all stat-like */
	PTK_SCC_STATFS = 1u << 14,      /* %statfs */
	PTK_SCC_FSTATFS = 1u << 15,     /* %fstatfs */
	PTK_SCC_STATFS_LIKE = 1u << 16, /* %%statfs */
};

/* Flags of a syscall entry. */
enum ptk_sysent_flags {
	PTK_SYF_NORETURN = 1u << 0,    /* exit, exit_group: no exit stop */
	PTK_SYF_HEXRET = 1u << 1,      /* strace prints the return value in hex (mmap, brk) */
	PTK_SYF_NEVER_FAILS = 1u << 2, /* no error return (getpid, umask, sched_yield) */
	PTK_SYF_CUSTOM = 1u << 3,      /* a hand-written decoder refines the row (ioctl, fcntl) */
	PTK_SYF_OCTRET = 1u << 4,      /* strace prints the return value in octal (umask) */
	PTK_SYF_FDRET = 1u << 5,       /* the return value is a new file descriptor (-y shows it) */
};

struct ptk_sysent {
	const char *name; /* NULL for a number the kernel does not define */
	uint8_t nargs;
	uint32_t classes; /* enum ptk_sc_class */
	uint32_t flags;   /* enum ptk_sysent_flags */
	const char *args; /* argument types, see data/README.md ("fd,path,flags:open") */
};

/*
 * The table entry of syscall nr of an ABI (arch is enum ptk_arch), or NULL
 * when nr is out of range or undefined.  An x32 number is looked up in the
 * x86_64 table after clearing __X32_SYSCALL_BIT (x32's own 512..547 are not
 * tabulated).  The entry is static data.
 */
const struct ptk_sysent *ptk_sysent_get(int arch, long nr);

/* The number of syscall name for an ABI, -ENOENT if unknown, -EINVAL for a bad arch. */
long ptk_syscall_lookup(int arch, const char *name);

/* One past the largest syscall number of the ABI's table, or -EINVAL for a bad arch. */
long ptk_syscall_count(int arch);

/* The class mask named by "%file", "file", "%net", "%%stat", ...; 0 if unknown. */
uint32_t ptk_syscall_class_lookup(const char *name);

/* "ENOENT" for 2 (also kernel-internal values such as ERESTARTSYS), or NULL. */
const char *ptk_errno_name(int err);
/* "No such file or directory", or NULL. */
const char *ptk_errno_message(int err);
/* 2 for "ENOENT", or -ENOENT if unknown. */
int ptk_errno_lookup(const char *name);

/* "SIGSEGV" for 11, "SIGRT_2" for SIGRTMIN+2 as strace prints it, or NULL. */
const char *ptk_signal_name(int sig);
/*
 * The number of "SIGSEGV", "SEGV", "segv", "11", "SIGRT_2", "SIGRTMIN+2" (counted
 * from the kernel's SIGRTMIN, 32; glibc's is 34), "SIGRTMAX-1", ...; -EINVAL if
 * unknown.
 */
int ptk_signal_lookup(const char *name);

#ifdef __cplusplus
}
#endif

#endif
