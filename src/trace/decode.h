/* SPDX-License-Identifier: MIT */
/*
 * The syscall decoder's interface: what a decoder of one syscall (or of
 * one struct) sees and the primitives it prints with.
 *
 * A syscall line is built in the tracee's tcb as text, argument by
 * argument.  At the syscall-enter-stop the decoder prints the arguments
 * the kernel reads; it returns DEC_MORE when some remain to print at the
 * syscall-exit-stop (the ones the kernel writes, and every argument after
 * them, in order), where it is called again with d->exiting set.  Most
 * syscalls need no decoder of their own: the generic one prints them from
 * the argument types of data/syscalls_*.tbl (see data/README.md).  A
 * hand-written decoder exists only where a row cannot say it (ioctl,
 * fcntl, prctl, futex, clone, socketcall, ...); it is listed in a family
 * table (dec_*.c) by syscall name.
 *
 * Everything here prints strace's exact text: that is the contract the
 * differential tests hold.
 */
#ifndef PTK_TRACE_DECODE_H
#define PTK_TRACE_DECODE_H

#include <ptk/ptk.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fmt.h"
#include "ptk_flagsets.h"

struct trace;
struct tcb;

/* What a decoder returns. */
enum { DEC_DONE = 0, DEC_MORE = 1 };

/*
 * The decoder's view of one syscall stop.  Arguments are printed into
 * d->out; d->arg is the index of the next argument (arg_next() prints the
 * ", " between them and records where each starts, for --json).
 */
struct dctx {
	struct trace *t;
	struct tcb *c;
	const struct ptk_sysent *ent; /* NULL for an unknown number */
	int arch;                     /* enum ptk_arch */
	long nr;
	uint64_t args[6];
	bool exiting;     /* at the syscall-exit-stop */
	int64_t rval;     /* exiting: the return value (-errno on error) */
	bool is_error;    /* exiting: the syscall failed */
	struct dbuf *out; /* the argument text */
	int arg;          /* next argument index */
	/*
	 * Set by a decoder at exit: text printed after the return value,
	 * as strace's "= 1 ([{fd=0, revents=POLLIN}])" or "= 0 (Timeout)".
	 */
	struct dbuf *aux;
	/* Set by a decoder: how to print a successful return value. */
	enum { RET_DEC, RET_HEX, RET_OCT, RET_FD, RET_NONE } ret;
	/*
	 * Set by a decoder that returns DEC_MORE: what the exit stop prints
	 * first.  NEXT_ARG: a new argument (the entry's text then ends with
	 * ", ", as strace's does); NEXT_NONE: only the rest of the current
	 * argument or nothing (the return value's meaning); NEXT_AUTO (0): a
	 * new argument if fewer than the syscall's arguments were printed.
	 */
	enum { NEXT_AUTO, NEXT_ARG, NEXT_NONE } next;
	bool sep_done; /* exiting: the ", " before the next argument is printed */
};

/* Begin argument number d->arg: ", " unless it is the first. */
void arg_next(struct dctx *d);

/* The value of argument i as the ABI passes it (32-bit for i386). */
uint64_t arg_u(const struct dctx *d, int i);
int64_t arg_i(const struct dctx *d, int i); /* sign-extended int */

/* Is this tracee's memory readable at addr for len bytes? Reads into buf. */
bool mem_get(struct dctx *d, uint64_t addr, void *buf, size_t len);

/* ---- primitives: each prints one value into d->out ---- */

void p_int(struct dctx *d, int64_t v);
void p_uint(struct dctx *d, uint64_t v);
void p_hex(struct dctx *d, uint64_t v);      /* 0x1f, 0 as "0" */
void p_oct(struct dctx *d, uint64_t v);      /* 0644, 0 as "0" */
void p_ptr(struct dctx *d, uint64_t addr);   /* NULL or 0x7ffc... */
void p_fd(struct dctx *d, int64_t fd);       /* 3, with -y 3</path> */
void p_dirfd(struct dctx *d, int64_t fd);    /* AT_FDCWD or p_fd */
void p_signal(struct dctx *d, int64_t sig);  /* SIGINT, or the number */
void p_mode(struct dctx *d, uint64_t mode);  /* 0644 */
void p_fmode(struct dctx *d, uint64_t mode); /* S_IFREG|0644 */
void p_dev(struct dctx *d, uint64_t dev);    /* makedev(0x1, 0x3) */
/* Flags: "O_RDONLY|O_CLOEXEC", unknown bits in hex, "0x100 / * LOCK_??? * /"
 * when no bit is known (without the spaces inside the comment markers). */
void p_flags(struct dctx *d, const struct ptk_xlat *x, uint64_t v);

/* An enum value: its name, or the number followed by a comment naming
 * the unknown value the way strace does ("0x5 / * SEEK_??? * /", without
 * the spaces). */
void p_xlat(struct dctx *d, const struct ptk_xlat *x, uint64_t v, const char *unknown);
/* A quoted, escaped string of the tracee: at most max bytes (-s), "..."
 * after the quote when longer; the address when unreadable. */
void p_str(struct dctx *d, uint64_t addr, size_t max);
void p_path(struct dctx *d, uint64_t addr); /* a path: PATH_MAX, not -s */
/* A byte buffer of len bytes (read/write data): -s bytes at most. */
void p_buf(struct dctx *d, uint64_t addr, uint64_t len);
/* ... with fmt_quote flags added to -x/-xx's (QF_HEX: getrandom's bytes). */
void p_buf_ex(struct dctx *d, uint64_t addr, uint64_t len, unsigned qflags);
/* Escape and quote bytes already read (pure; also used by --json). */
void p_quoted(struct dctx *d, const uint8_t *s, size_t n, bool truncated, bool is_str);
/* A kernel sigset of size bytes at addr: [INT TERM], ~[RTMIN RT_1], []. */
void p_sigset_addr(struct dctx *d, uint64_t addr, uint64_t size);
void p_sigset(struct dctx *d, const uint64_t *words, size_t nbits);
/* A struct timespec / timeval of the tracee: {tv_sec=1, tv_nsec=0}, NULL,
 * or the address when unreadable (ABI layout). */
void p_timespec_addr(struct dctx *d, uint64_t addr);
void p_timeval_addr(struct dctx *d, uint64_t addr);
/* A struct the registry knows by name (struct:NAME in the tables). */
void p_struct(struct dctx *d, const char *name, uint64_t addr, uint64_t size);
/* count elements of a registered struct type: [{...}, {...}]. */
void p_array(struct dctx *d, const char *name, uint64_t addr, uint64_t count);
/* A siginfo in our memory: {si_signo=SIGCHLD, si_code=CLD_EXITED, ...} (dec_signal.c). */
void p_siginfo(struct dctx *d, const siginfo_t *si);
/* NULL-terminated string arrays of execve: argv in full, envp as a comment. */
void p_argv(struct dctx *d, uint64_t addr);
void p_envp(struct dctx *d, uint64_t addr);

/*
 * A decoder of one syscall, by name; also the generic one.  Called at
 * the enter stop (d->exiting false), and again at the exit stop if it
 * returned DEC_MORE.
 */
typedef int (*syscall_decoder)(struct dctx *d);

struct decoder {
	const char *name;
	syscall_decoder fn;
};

/* A printer of one struct type: the pointed-to value at addr (size: the
 * size argument where the table gives one, else 0). */
typedef void (*struct_printer)(struct dctx *d, uint64_t addr, uint64_t size);

struct struct_decoder {
	const char *name;
	struct_printer fn;
	size_t size; /* bytes of one element, for arrays (x86_64 layout) */
};

/*
 * The family tables: dec_<family>.c defines dec_<family>_syscalls[] and
 * dec_<family>_structs[], each ended by a {NULL, NULL} entry, and decode.c
 * lists the families.
 */
#define DECODER_FAMILIES(X) \
	X(file)             \
	X(desc)             \
	X(ioctl)            \
	X(mem)              \
	X(proc)             \
	X(signal)           \
	X(net)              \
	X(time)             \
	X(misc)

#define DECLARE_FAMILY(f)                                 \
	extern const struct decoder dec_##f##_syscalls[]; \
	extern const struct struct_decoder dec_##f##_structs[];
DECODER_FAMILIES(DECLARE_FAMILY)
#undef DECLARE_FAMILY

/* The generic decoder: the syscall's row of argument types. */
int decode_generic(struct dctx *d);
/* Decode one argument of the row by its type string (for custom decoders
 * that want the row's treatment for some arguments). */
void decode_arg(struct dctx *d, int i);

/* The printer of a struct type, or NULL. */
struct_printer struct_printer_find(const char *name);

#endif
