/* SPDX-License-Identifier: MIT */
/*
 * libptk symbols: ELF symbols, DWARF line tables and stack unwinding of a
 * traced process (elfutils: libelf, libdw, libdwfl).
 *
 * A struct ptk_symtab describes the loaded objects ("modules") of one
 * traced process: the executable (with its PIE load bias) and every shared
 * object of the dynamic loader's link map, plus the vDSO.  Everything is
 * lazy: opening a symbol table reads program headers only; a module's
 * symbol table is read at the first symbol lookup that needs it, its DWARF
 * at the first line or scope lookup, one compilation unit at a time.
 *
 * The symbol table talks to the process only through ptk_mem_read() and
 * ptk_regs_get() of its session (and reads /proc/PID files): it never
 * ptrace()s by itself, so it works on any stopped tracee of the session.
 * It is not thread-safe: use one symbol table from one thread.
 *
 * Addresses in and out are run-time addresses of the process.  Strings
 * returned (names, file names) belong to the symbol table and stay valid
 * until ptk_symtab_free() or a ptk_symtab_refresh() that returns 1 (a
 * module was added or removed).
 */
#ifndef PTK_SYMBOLS_H
#define PTK_SYMBOLS_H

#include <ptk/ptk.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ptk_symtab;

/* ------------------------------------------------------------------ */
/* The symbol table of a process                                       */
/* ------------------------------------------------------------------ */

/*
 * Open the symbol table of process pid, a stopped tracee of session s.
 * Reports the executable (/proc/PID/exe, its load bias from the auxiliary
 * vector), the objects of the loader's link map (ptk_solibs_read()) and,
 * before the loader has filled that in (at the exec stop), the loader
 * itself (AT_BASE) and the vDSO (AT_SYSINFO_EHDR).  Reads no symbols yet.
 * The caller owns *ret (ptk_symtab_free()); s must outlive it.
 * Returns 0, -ESRCH, -ENOENT (the executable file cannot be opened),
 * -ENOEXEC (not an ELF file), -ENOMEM.
 */
int ptk_symtab_new(struct ptk_session *s, pid_t pid, struct ptk_symtab **ret);

/* Free a symbol table and everything it returned.  Safe with NULL. */
void ptk_symtab_free(struct ptk_symtab *st);

/*
 * Bring the module list up to date with the loader's link map: call it
 * at every stop on the loader's r_brk (ptk_solibs's r_brk).  It reads the
 * link map (one ptk_mem_read per object) and returns 0 at once when the
 * list is the same as last time or the loader is in the middle of a change
 * (r_state is not RT_CONSISTENT); 1 when modules were added or removed
 * (then earlier returned strings of removed modules are gone); -errno.
 * After an exec the process is another program: free the symbol table
 * and open a new one.
 */
int ptk_symtab_refresh(struct ptk_symtab *st);

/* The process of a symbol table. */
pid_t ptk_symtab_pid(const struct ptk_symtab *st);

struct ptk_module {
	const char *name;    /* the link map's name ("" for the executable:
	                        then the path), "[vdso]" for the vDSO */
	const char *path;    /* the file that was opened */
	uint64_t start, end; /* run-time address range of its segments */
	uint64_t bias;       /* run-time address - link-time address */
	bool is_exe;
	bool is_vdso;
};

/*
 * The modules, executable first, then in link-map order.  Fills
 * ret[0..max-1] and returns the number of modules (which may be more than
 * max).  Strings as for every result (see the top of this file).
 */
int ptk_symtab_modules(struct ptk_symtab *st, struct ptk_module *ret, size_t max);

/* The module that contains addr: 0, or -ENOENT. */
int ptk_symtab_module_at(struct ptk_symtab *st, uint64_t addr, struct ptk_module *ret);

/* ------------------------------------------------------------------ */
/* ELF symbols                                                         */
/* ------------------------------------------------------------------ */

enum ptk_sym_type {
	PTK_SYM_FUNC,   /* STT_FUNC */
	PTK_SYM_IFUNC,  /* STT_GNU_IFUNC: addr is the resolver */
	PTK_SYM_OBJECT, /* STT_OBJECT, STT_COMMON */
	PTK_SYM_TLS,    /* STT_TLS: addr is the offset in the TLS block */
	PTK_SYM_PLT,    /* a PLT entry, named "puts@plt" (ELF has no symbol for it) */
	PTK_SYM_OTHER,  /* STT_NOTYPE and the rest */
};

struct ptk_sym {
	const char *name; /* as in the symbol table ("malloc@@GLIBC_2.2.5" stays so) */
	uint64_t addr;    /* run-time address of the symbol */
	uint64_t size;    /* st_size (0 if unknown) */
	uint64_t offset;  /* ptk_sym_at(): the queried address - addr */
	enum ptk_sym_type type;
	bool global;        /* STB_GLOBAL or STB_WEAK (else local) */
	const char *module; /* path of its module */
};

/*
 * The symbol that contains addr (or the nearest one before it in the same
 * section, for symbols of size 0), PLT entries included: "main" with
 * offset 17 for main+17.  Returns 0, -ENOENT (no module or no symbol).
 */
int ptk_sym_at(struct ptk_symtab *st, uint64_t addr, struct ptk_sym *ret);

/*
 * Format addr as gdb does in <...>: "main+17", "main", "puts@plt+4";
 * "0x401000" when no symbol covers it.  Writes a NUL-terminated string
 * (truncated to len) and returns its length as snprintf.
 */
int ptk_sym_format(struct ptk_symtab *st, uint64_t addr, char *buf, size_t len);

/*
 * The defined symbols called name, in every module: the executable's
 * first, then in link-map order; several within one module (static
 * functions of different files) by address.  Symbol versions are ignored
 * on both sides ("malloc" finds "malloc@@GLIBC_2.2.5").  "puts@plt" finds
 * the PLT entry; "puts" finds PLT entries only when no module defines
 * puts (as gdb's `break puts` before libc is loaded).  The first time a
 * module is searched, its symbol table is read and indexed by name.
 * Fills ret[0..max-1], returns the number of matches (0 if none; may be
 * more than max) or -errno.
 */
int ptk_sym_lookup(struct ptk_symtab *st, const char *name, struct ptk_sym *ret, size_t max);

/* ------------------------------------------------------------------ */
/* DWARF line tables and functions                                     */
/* ------------------------------------------------------------------ */

struct ptk_line {
	const char *file; /* absolute path: the line table's name joined to the
	                     CU's directory, "." and ".." resolved lexically */
	int line;         /* 1-based */
	int column;       /* 0 when unknown */
	bool is_stmt;     /* a statement boundary (breakpoints go there) */
	uint64_t addr;    /* start of the row's address range */
	uint64_t end;     /* end (exclusive): the next row's address */
};

/*
 * The line-table row for addr, as gdb's `info line *ADDR`: the row with
 * the greatest address <= addr (of the rows at that address, the last
 * statement row, else the last row).  Returns 0, -ENOENT (no module, no
 * DWARF, or addr lies in no row or in a row of line 0).
 */
int ptk_line_at(struct ptk_symtab *st, uint64_t addr, struct ptk_line *ret);

/*
 * The range of the source line around addr for `step` and `next`: the
 * row of addr (ptk_line_at()) extended over the contiguous rows before
 * and after it that have the same file and line: *ret is that row with
 * addr and end widened.  Returns 0 or -ENOENT.
 */
int ptk_line_range(struct ptk_symtab *st, uint64_t addr, struct ptk_line *ret);

struct ptk_line_loc {
	uint64_t addr;    /* where a breakpoint goes */
	int line;         /* the line of that address (may be after the asked one) */
	const char *file; /* full path of the matched file */
	const char *func; /* the function containing it (NULL if unknown) */
};

/*
 * The addresses of FILE:LINE where gdb 13 puts a breakpoint.  file is
 * matched against the line tables' full paths as gdb does: a bare name
 * by basename ("file.c"), a relative path by whole trailing components
 * ("src/file.c"), an absolute path exactly.  Statement rows of that line
 * are taken (one per lexical block: a `for` line gives one address, a line
 * of an inlined function one per inlined copy); a line without code moves
 * to the next line that has some; an address inside a function's
 * prologue moves to its post-prologue address (ptk_func_breakpoint()).
 * Every module with DWARF is searched, executable first; ret[0..max-1]
 * is filled, ordered by module then address.  Returns the number of
 * locations (0: no such file or no code at or after that line; may be
 * more than max) or -errno.
 */
int ptk_line_lookup(struct ptk_symtab *st, const char *file, int line, struct ptk_line_loc *ret,
                    size_t max);

struct ptk_func {
	const char *name;   /* DWARF name (DW_AT_linkage_name, else DW_AT_name), else ELF */
	uint64_t entry;     /* entry address (DWARF's first range, else the symbol) */
	uint64_t low, high; /* the address range [low, high) of the piece containing
	                       the asked address (hot/cold parts are separate pieces) */
	const char *file;   /* declaration file and line (NULL/0 without DWARF) */
	int line;
	bool has_dwarf;
};

/*
 * The function containing addr (an out-of-line function, never an
 * inlined copy: see ptk_addr_locate() for those): from DWARF when the
 * module has it, else the ELF function symbol.  Returns 0 or -ENOENT.
 */
int ptk_func_at(struct ptk_symtab *st, uint64_t addr, struct ptk_func *ret);

/*
 * Where gdb 13 puts `break FUNC` for the function whose entry is at
 * entry (see ptk_sym_lookup() to find it by name): the entry itself for
 * code compiled by GCC with location lists (optimized code) or from
 * assembler; else past a `push %rbp; mov %rsp,%rbp` prologue (and an
 * endbr64 before it), moved on to the next line-table row when that
 * lands in the middle of a row.  *ret_line gets the line of the result
 * (0 without DWARF; may be NULL).  Returns 0 or -ENOENT (no module).
 */
int ptk_func_breakpoint(struct ptk_symtab *st, uint64_t entry, uint64_t *ret, int *ret_line);

enum ptk_func_lookup_flags {
	/* Resolve as gdb does from full symbols: the DWARF functions and
	   inlined copies called name in every module (reading all of each
	   module's DWARF the first time: slow on a large program), plus ELF
	   functions that no DWARF function of that name covers. */
	PTK_FUNC_EXACT = 1u << 0,
};

/*
 * `break NAME`: the addresses where gdb 13 puts it (see
 * ptk_func_breakpoint()).  By default, fast: every ELF function called
 * name (ptk_sym_lookup(); an ifunc at its resolver; PLT entries when no
 * module defines name) at its post-prologue address, reading only the
 * DWARF of the CUs of those functions; only when no module has an ELF
 * function of that name (an always-inline function) is the executable's
 * DWARF searched for inlined copies.  With PTK_FUNC_EXACT, gdb's full
 * answer (it also finds, say, the copies of a static function inlined into
 * other functions, and assembler aliases).  func of each location is the
 * name gdb shows there.  Fills ret[0..max-1] ordered by module, returns
 * the number of locations (may be more than max) or -errno.
 */
int ptk_func_lookup(struct ptk_symtab *st, const char *name, unsigned flags,
                    struct ptk_line_loc *ret, size_t max);

struct ptk_location {
	const char *func;   /* function name, NULL when unknown */
	uint64_t func_addr; /* its entry (0 when unknown) */
	uint64_t func_off;  /* pc - func_addr */
	const char *file;   /* source file, NULL when unknown */
	int line, column;   /* 0 when unknown */
	bool inlined;       /* an inlined copy, called from the next entry */
	const char *module; /* path of the module, NULL if none */
};

/*
 * Describe pc as gdb's backtrace does, inlined calls included: ret[0] is
 * the innermost function at pc (an inlined one if pc is in inlined code)
 * with the line-table line of pc; each following entry is the function
 * the previous one was inlined into, with the line of that inlined call;
 * the last is the out-of-line function.  For a caller frame pass the
 * frame's lookup_pc (the return address - 1), not its pc.  Without DWARF,
 * one entry with the ELF symbol.  Fills ret[0..max-1] and returns the
 * number of entries (>= 1; may be more than max), -ENOENT when no module
 * contains pc.
 */
int ptk_addr_locate(struct ptk_symtab *st, uint64_t pc, struct ptk_location *ret, size_t max);

/* ------------------------------------------------------------------ */
/* Unwinding                                                           */
/* ------------------------------------------------------------------ */

/* x86_64 DWARF register numbers, the index of struct ptk_frame's regs. */
enum ptk_dwarf_reg {
	PTK_DW_RAX,
	PTK_DW_RDX,
	PTK_DW_RCX,
	PTK_DW_RBX,
	PTK_DW_RSI,
	PTK_DW_RDI,
	PTK_DW_RBP,
	PTK_DW_RSP,
	PTK_DW_R8,
	PTK_DW_R9,
	PTK_DW_R10,
	PTK_DW_R11,
	PTK_DW_R12,
	PTK_DW_R13,
	PTK_DW_R14,
	PTK_DW_R15,
	PTK_DW_RIP,
	PTK_DW_NREGS
};

enum ptk_frame_flags {
	/* The signal trampoline (__restore_rt): gdb's "<signal handler
	   called>".  The next frame is the code the signal interrupted. */
	PTK_FRAME_SIGNAL = 1u << 0,
	/* pc is where the thread was stopped or interrupted (frame 0, the
	   frame below a signal frame), not a return address. */
	PTK_FRAME_ACTIVATION = 1u << 1,
	/* This frame was found through the frame-pointer chain: the frame
	   above it had no CFI (.eh_frame or .debug_frame). */
	PTK_FRAME_FP = 1u << 2,
	/* A function that tail-called (jumped to) the frame above and so has
	   no frame of its own any more: pc is the return address of its
	   tail-call site; found as gdb does, from the caller's DWARF call site
	   through call sites marked as tail calls, when exactly one chain of
	   them leads to the frame above.  Only pc (regs[PTK_DW_RIP]) is known. */
	PTK_FRAME_TAILCALL = 1u << 3,
};

struct ptk_frame {
	uint64_t pc;                 /* the frame's pc: the thread's rip, then return addresses */
	uint64_t lookup_pc;          /* pc for symbol and line lookups: pc for frame 0,
	                                signal frames and the frames they interrupted;
	                                pc - 1 for a return address (it may lie past
	                                the call's line, after a noreturn call) */
	uint64_t sp;                 /* rsp in this frame */
	uint64_t cfa;                /* canonical frame address (rsp before the call
	                                that made this frame), 0 when unknown */
	uint64_t ra;                 /* return address (the pc of the next frame that is not
	                                a tail call), 0 for the last */
	unsigned flags;              /* enum ptk_frame_flags */
	uint32_t regs_known;         /* bit n set: regs[n] holds the register's value here */
	uint64_t regs[PTK_DW_NREGS]; /* by enum ptk_dwarf_reg: frame 0 has all;
	                                callers have what CFI recovers (rbx, rbp,
	                                rsp, r12-r15, rip), all after a signal frame */
};

enum ptk_unwind_flags {
	/* Insert the frames of functions that tail-called the frame above
	   them (PTK_FRAME_TAILCALL), as gdb's backtrace shows them.  This
	   reads the DWARF of every module on the stack. */
	PTK_UNWIND_TAILCALLS = 1u << 0,
};

/*
 * Unwind the stack of thread tid (stopped; of the symbol table's process)
 * with libdwfl: CFI from .eh_frame and .debug_frame, the frame-pointer
 * chain where there is none, signal frames.  Memory is read with
 * ptk_mem_read() (a page at a time) and the initial registers with
 * ptk_regs_get().  flags: enum ptk_unwind_flags.  Fills ret[0..max-1]
 * innermost first and returns the number of frames (>= 1), or -errno
 * (-ESRCH: tid is gone or not stopped).  Stops at max frames, at the
 * outermost frame (_start, clone), or where memory ends.  Symbolize a
 * frame with ptk_addr_locate() on its lookup_pc.
 */
int ptk_unwind(struct ptk_symtab *st, pid_t tid, unsigned flags, struct ptk_frame *ret, size_t max);

#ifdef __cplusplus
}
#endif

#endif
