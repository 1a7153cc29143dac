/* SPDX-License-Identifier: MIT */
/*
 * The command language of `ptk debug`: gdb's command names, abbreviations
 * and prefix rules, parsed into a struct dbg_cmd without evaluating
 * anything (expressions stay text, to be evaluated against a live target
 * later).  Pure: no process, no global mutable state.
 */
#ifndef PTK_DEBUG_CMD_H
#define PTK_DEBUG_CMD_H

#include "format.h"

enum dbg_cmd_kind {
	DBG_CMD_NONE, /* an empty line (gdb repeats the last command) */
	DBG_CMD_RUN,
	DBG_CMD_START,
	DBG_CMD_STARTI,
	DBG_CMD_CONTINUE,
	DBG_CMD_STEP,
	DBG_CMD_NEXT,
	DBG_CMD_STEPI,
	DBG_CMD_NEXTI,
	DBG_CMD_FINISH,
	DBG_CMD_UNTIL,
	DBG_CMD_ADVANCE,
	DBG_CMD_BREAK,
	DBG_CMD_TBREAK,
	DBG_CMD_CONDITION,
	DBG_CMD_IGNORE,
	DBG_CMD_DELETE,
	DBG_CMD_DISABLE,
	DBG_CMD_ENABLE,
	DBG_CMD_WATCH,
	DBG_CMD_RWATCH,
	DBG_CMD_AWATCH,
	DBG_CMD_CATCH_SYSCALL,
	DBG_CMD_CATCH_SIGNAL,
	DBG_CMD_CATCH_FORK,
	DBG_CMD_CATCH_VFORK,
	DBG_CMD_CATCH_EXEC,
	DBG_CMD_INFO_BREAKPOINTS,
	DBG_CMD_INFO_WATCHPOINTS,
	DBG_CMD_INFO_REGISTERS,
	DBG_CMD_INFO_ALL_REGISTERS,
	DBG_CMD_INFO_FRAME,
	DBG_CMD_INFO_LOCALS,
	DBG_CMD_INFO_ARGS,
	DBG_CMD_INFO_THREADS,
	DBG_CMD_INFO_PROC,
	DBG_CMD_INFO_PROC_MAPPINGS,
	DBG_CMD_INFO_SHAREDLIBRARY,
	DBG_CMD_INFO_SIGNALS,
	DBG_CMD_INFO_DISPLAY,
	DBG_CMD_INFO_LINE,
	DBG_CMD_INFO_SYMBOL,
	DBG_CMD_SET_VAR,    /* expr: the assignment ("x = 3", "$rax = 1") */
	DBG_CMD_SET_OPTION, /* args[0]: setting words, expr: the value text */
	DBG_CMD_SHOW,       /* expr: what to show */
	DBG_CMD_PRINT,
	DBG_CMD_OUTPUT,
	DBG_CMD_CALL,
	DBG_CMD_PTYPE,
	DBG_CMD_WHATIS,
	DBG_CMD_X,
	DBG_CMD_DISPLAY,
	DBG_CMD_UNDISPLAY,
	DBG_CMD_BACKTRACE,
	DBG_CMD_FRAME,
	DBG_CMD_UP,
	DBG_CMD_DOWN,
	DBG_CMD_LIST,
	DBG_CMD_DISASSEMBLE,
	DBG_CMD_THREAD,
	DBG_CMD_HANDLE,
	DBG_CMD_SIGNAL,
	DBG_CMD_KILL,
	DBG_CMD_DETACH,
	DBG_CMD_QUIT,
	DBG_CMD_HELP,
	DBG_CMD_FILE,   /* expr: the program (NULL: none) */
	DBG_CMD_SOURCE, /* expr: the command file */
	DBG_CMD_COUNT
};

enum dbg_loc_kind {
	DBG_LOC_NONE,          /* no location: the current one */
	DBG_LOC_LINE,          /* line */
	DBG_LOC_FILE_LINE,     /* file:line */
	DBG_LOC_FUNCTION,      /* function */
	DBG_LOC_FILE_FUNCTION, /* file:function */
	DBG_LOC_ADDRESS,       /* *expr (text in expr) */
	DBG_LOC_OFFSET,        /* +N or -N lines from the current one (offset) */
};

struct dbg_location {
	enum dbg_loc_kind kind;
	const char *file;
	const char *function;
	long line;
	long offset;
	const char *expr;
};

/* handle's actions. */
#define DBG_HANDLE_STOP    0x01u
#define DBG_HANDLE_NOSTOP  0x02u
#define DBG_HANDLE_PRINT   0x04u
#define DBG_HANDLE_NOPRINT 0x08u
#define DBG_HANDLE_PASS    0x10u
#define DBG_HANDLE_NOPASS  0x20u

struct dbg_range {
	long lo, hi;
};

struct dbg_cmd {
	enum dbg_cmd_kind kind;
	const char *name; /* the command's full name: "break", "info registers" */
	bool has_count;
	long count; /* continue/step/next/stepi/nexti/backtrace/up/down N; frame/thread N;
	               ignore's COUNT */
	bool has_fmt;
	struct dbg_fmt fmt;       /* print/x/display/output/call /FMT */
	struct dbg_location loc;  /* break, tbreak, until, advance, list (first) */
	struct dbg_location loc2; /* list first,last: the last */
	bool has_comma;           /* list: a range was given */
	/*
	 * The argument text, trimmed (NULL if none): the expression of print, x,
	 * display, watch, set var, signal...; run's arguments; for the count
	 * commands a count that is not a plain number (gdb evaluates it: `stepi n*2`).
	 */
	const char *expr;
	const char *cond;         /* break ... if COND; condition N COND */
	long bpnum;               /* condition, ignore: the breakpoint number */
	struct dbg_range *ranges; /* delete/disable/enable/undisplay/info breakpoints N... */
	size_t nranges;
	const char **args; /* info registers NAMES, catch syscall/signal NAMES, handle SIGNALS,
	                      help words, set option words */
	size_t nargs;
	unsigned actions;        /* handle: DBG_HANDLE_* */
	bool full;               /* backtrace full */
	bool once;               /* enable once */
	bool del;                /* enable delete */
	bool display;            /* delete/disable/enable display */
	bool location;           /* watch -l / -location */
	bool raw, mixed, source; /* disassemble /r /m /s */
	bool plus_len;           /* disassemble START,+LENGTH (expr2 is the length) */
	const char *expr2;       /* disassemble ...,END */
	struct dbg_arena arena;  /* owns everything above */
};

/*
 * Parse one command line (text after a line break is ignored).  0 and *out
 * (release with dbg_cmd_free; it may hold allocations even for an empty
 * line), or
 * -EINVAL with a one-line message in err: gdb's wording
 * ("Undefined command: \"brek\".  Did you mean \"break\"?",
 * "Ambiguous command \"s\": ...", "Argument required (...).").
 */
int dbg_cmd_parse(const char *line, struct dbg_cmd *out, char *err, size_t errlen);
void dbg_cmd_free(struct dbg_cmd *cmd);

/* Parse a location spec (break's argument without its condition). */
int dbg_location_parse(const char *text, struct dbg_arena *a, struct dbg_location *out, char *err,
                       size_t errlen);

/*
 * help: with no topic the list of commands; with a command (abbreviations
 * allowed) its one-paragraph description.  -EINVAL with err for unknown.
 */
int dbg_cmd_help(const char *topic, struct dbg_buf *out, char *err, size_t errlen);
/* The canonical name of kind (as the command table spells it). */
const char *dbg_cmd_kind_name(enum dbg_cmd_kind kind);
/*
 * The command a first word names, with gdb's abbreviations ("b", "tbr"):
 * DBG_CMD_NONE when it names none, several, or a prefix command (info).
 */
enum dbg_cmd_kind dbg_cmd_lookup(const char *word);

#endif
