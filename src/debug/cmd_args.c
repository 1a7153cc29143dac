/* SPDX-License-Identifier: MIT */
/* Argument parsers of each command, and the command tables with their help. */
#include "cmd_table.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

static const char *skip_ws(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

static size_t word_len(const char *s)
{
	size_t n = 0;

	while (s[n] && !isspace((unsigned char)s[n]))
		n++;
	return n;
}

static int set_expr(struct cmd_parser *p, const char *args)
{
	if (*args) {
		p->cmd->expr = cmdp_strndup(p, args, strlen(args));
		if (!p->cmd->expr)
			return -ENOMEM;
	}
	return 0;
}

static int need_expr(struct cmd_parser *p, const char *args, const char *what)
{
	if (!*args)
		return cmdp_error(p, "Argument required (%s).", what);
	return set_expr(p, args);
}

static int no_args(struct cmd_parser *p, const char *args)
{
	if (*args)
		return cmdp_error(p, "The \"%s\" command does not take any arguments.",
		                  p->cmd->name);
	return 0;
}

/* kill and detach: gdb treats a word after them as an unknown subcommand. */
static int no_subcommand(struct cmd_parser *p, const char *args)
{
	if (*args)
		return cmdp_error(p, "Undefined %s command: \"%.*s\".  Try \"help %s\".",
		                  p->cmd->name, (int)word_len(args), args, p->cmd->name);
	return 0;
}

static int junk_check(struct cmd_parser *p, const char *args)
{
	if (*args)
		return cmdp_error(p, "Junk at end of arguments.");
	return 0;
}

static int raw_args(struct cmd_parser *p, const char *args)
{
	return set_expr(p, args);
}

static int words(struct cmd_parser *p, const char *args)
{
	return cmdp_words(p, args);
}

/*
 * An optional count.  A plain number is parsed here; anything else is kept
 * in expr for the caller to evaluate, as gdb evaluates counts ("stepi n*2").
 */
static int optional_count(struct cmd_parser *p, const char *args)
{
	long v;

	if (!*args)
		return 0;
	if (cmdp_number(args, strlen(args), &v)) {
		p->cmd->has_count = true;
		p->cmd->count = v;
		return 0;
	}
	return set_expr(p, args);
}

static int parse_source(struct cmd_parser *p, const char *args)
{
	if (!*args)
		return cmdp_error(p, "source command requires file name of file to source.");
	return set_expr(p, args);
}

static int parse_thread(struct cmd_parser *p, const char *args)
{
	size_t n = word_len(args);
	long v;

	if (!*args)
		return 0;
	if (!cmdp_number(args, n, &v) || v < 0 || *skip_ws(args + n))
		return cmdp_error(p, "Invalid thread ID: %s", args);
	p->cmd->has_count = true;
	p->cmd->count = v;
	return 0;
}

static int parse_backtrace(struct cmd_parser *p, const char *args)
{
	/* Leading "full" / "-full", then a count (a number, or an expression kept in expr). */
	for (;;) {
		size_t n = word_len(args);

		if ((n == 4 && strncmp(args, "full", 4) == 0) ||
		    (n == 5 && strncmp(args, "-full", 5) == 0)) {
			p->cmd->full = true;
			args = skip_ws(args + n);
			continue;
		}
		break;
	}
	return optional_count(p, args);
}

/* Find a whitespace-delimited word `w` in s; NULL if absent. */
static const char *find_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (const char *q = s; *q; q++) {
		if ((q == s || isspace((unsigned char)q[-1])) && strncmp(q, w, n) == 0 &&
		    (q[n] == '\0' || isspace((unsigned char)q[n]) || q[n] == '('))
			return q;
	}
	return NULL;
}

static int location_with_cond(struct cmd_parser *p, const char *args, bool allow_cond)
{
	const char *cond = allow_cond ? find_word(args, "if") : NULL;
	const char *loc;
	size_t n;

	/* A bare trailing "if" is part of the location, as gdb reads it. */
	if (cond && !*skip_ws(cond + 2))
		cond = NULL;
	n = cond ? (size_t)(cond - args) : strlen(args);
	while (n > 0 && isspace((unsigned char)args[n - 1]))
		n--;
	loc = cmdp_strndup(p, args, n);
	if (!loc)
		return -ENOMEM;
	if (cond) {
		const char *c = skip_ws(cond + 2);

		p->cmd->cond = cmdp_strndup(p, c, strlen(c));
		if (!p->cmd->cond)
			return -ENOMEM;
	}
	return dbg_location_parse(loc, &p->cmd->arena, &p->cmd->loc, p->err, p->errlen);
}

static int parse_break(struct cmd_parser *p, const char *args)
{
	return location_with_cond(p, args, true);
}

static int parse_until(struct cmd_parser *p, const char *args)
{
	return location_with_cond(p, args, false);
}

static int parse_advance(struct cmd_parser *p, const char *args)
{
	if (!*args)
		return cmdp_error(p, "Argument required (a location).");
	return location_with_cond(p, args, false);
}

static int bp_number(struct cmd_parser *p, const char *args, size_t n)
{
	long v;

	if (!cmdp_number(args, n, &v) || v <= 0)
		return cmdp_error(p, "Bad breakpoint argument: '%.*s'", (int)n, args);
	p->cmd->bpnum = v;
	return 0;
}

static int parse_condition(struct cmd_parser *p, const char *args)
{
	size_t n = word_len(args);
	const char *c;
	int r;

	if (!*args)
		return cmdp_error(p, "Argument required (breakpoint number).");
	r = bp_number(p, args, n);
	if (r < 0)
		return r;
	c = skip_ws(args + n);
	if (*c) {
		p->cmd->cond = cmdp_strndup(p, c, strlen(c));
		if (!p->cmd->cond)
			return -ENOMEM;
	}
	return 0;
}

static int parse_ignore(struct cmd_parser *p, const char *args)
{
	size_t n = word_len(args);
	const char *c;
	long v;

	if (!*args)
		return cmdp_error(p, "Argument required (a breakpoint number).");
	if (!cmdp_number(args, n, &v) || v <= 0)
		return cmdp_error(p, "bad breakpoint number: '%s'", args);
	p->cmd->bpnum = v;
	c = skip_ws(args + n);
	if (!*c)
		return cmdp_error(p, "Second argument (specified ignore-count) is missing.");
	n = word_len(c);
	if (!cmdp_number(c, n, &v) || *skip_ws(c + n))
		return cmdp_error(p, "Invalid number \"%s\".", c);
	p->cmd->has_count = true;
	p->cmd->count = v < 0 ? 0 : v;
	return 0;
}

/* delete/disable/enable/undisplay: optional leading keyword, then ranges. */
static int parse_bp_list(struct cmd_parser *p, const char *args)
{
	struct dbg_cmd *c = p->cmd;
	size_t n = word_len(args);

	if (n && strncmp(args, "display", n) == 0 && n >= 2) {
		c->display = true;
		args = skip_ws(args + n);
	} else if (n && strncmp(args, "breakpoints", n) == 0 && c->kind != DBG_CMD_UNDISPLAY) {
		args = skip_ws(args + n);
	} else if (c->kind == DBG_CMD_ENABLE && n == 4 && strncmp(args, "once", 4) == 0) {
		c->once = true;
		args = skip_ws(args + n);
	} else if (c->kind == DBG_CMD_ENABLE && n == 6 && strncmp(args, "delete", 6) == 0) {
		c->del = true;
		args = skip_ws(args + n);
	}
	return cmdp_ranges(p, args);
}

static int parse_watch(struct cmd_parser *p, const char *args)
{
	size_t n = word_len(args);

	if ((n == 2 && strncmp(args, "-l", 2) == 0) ||
	    (n == 9 && strncmp(args, "-location", 9) == 0)) {
		p->cmd->location = true;
		args = skip_ws(args + n);
	}
	return need_expr(p, args, "expression to compute");
}

static int parse_print(struct cmd_parser *p, const char *args)
{
	if (p->cmd->has_fmt &&
	    dbg_fmt_check_print(&p->cmd->fmt, p->cmd->name, p->err, p->errlen) < 0)
		return -EINVAL;
	return set_expr(p, args);
}

static int parse_output(struct cmd_parser *p, const char *args)
{
	if (p->cmd->has_fmt &&
	    dbg_fmt_check_print(&p->cmd->fmt, p->cmd->name, p->err, p->errlen) < 0)
		return -EINVAL;
	return need_expr(p, args, "expression to compute");
}

static int parse_display(struct cmd_parser *p, const char *args)
{
	return set_expr(p, args);
}

static int parse_signal_cmd(struct cmd_parser *p, const char *args)
{
	/* A signal name or a number (an expression gdb evaluates). */
	if (!*args)
		return cmdp_error(p, "Argument required (signal number).");
	return set_expr(p, args);
}

static bool signal_word(const char *w, size_t n)
{
	long v;

	if (n == 3 && strncmp(w, "all", 3) == 0)
		return true;
	if (n > 3 && strncmp(w, "SIG", 3) == 0) {
		for (size_t i = 3; i < n; i++)
			if (!isupper((unsigned char)w[i]) && !isdigit((unsigned char)w[i]) &&
			    w[i] != '+' && w[i] != '-')
				return false;
		return true;
	}
	if (cmdp_number(w, n, &v))
		return v > 0;
	/* A range of signal numbers "14-15". */
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)w[i]) && w[i] != '-')
			return false;
	return n > 0 && w[0] != '-';
}

static int parse_handle(struct cmd_parser *p, const char *args)
{
	static const struct {
		const char *w;
		unsigned bit;
	} acts[] = {
	        {"stop", DBG_HANDLE_STOP},     {"nostop", DBG_HANDLE_NOSTOP},
	        {"print", DBG_HANDLE_PRINT},   {"noprint", DBG_HANDLE_NOPRINT},
	        {"pass", DBG_HANDLE_PASS},     {"nopass", DBG_HANDLE_NOPASS},
	        {"noignore", DBG_HANDLE_PASS}, {"ignore", DBG_HANDLE_NOPASS},
	};
	struct dbg_cmd *c = p->cmd;
	size_t nsig = 0;
	int r;

	if (!*args)
		return cmdp_error(p, "Argument required (signal to handle).");
	r = cmdp_words(p, args);
	if (r < 0)
		return r;
	for (size_t i = 0; i < c->nargs; i++) {
		const char *w = c->args[i];
		size_t n = strlen(w);
		bool found = false;

		for (size_t k = 0; k < sizeof(acts) / sizeof(acts[0]); k++) {
			if (strcmp(w, acts[k].w) == 0) {
				c->actions |= acts[k].bit;
				found = true;
			}
		}
		if (found)
			continue;
		if (!signal_word(w, n))
			return cmdp_error(p, "Unrecognized or ambiguous flag word: \"%s\".", w);
		c->args[nsig++] = w; /* keep only the signals in args */
	}
	c->nargs = nsig;
	if (nsig == 0)
		return cmdp_error(p, "Argument required (signal to handle).");
	return 0;
}

static int parse_catch_signal(struct cmd_parser *p, const char *args)
{
	int r = cmdp_words(p, args);

	if (r < 0)
		return r;
	for (size_t i = 0; i < p->cmd->nargs; i++)
		if (!signal_word(p->cmd->args[i], strlen(p->cmd->args[i])))
			return cmdp_error(p, "Unknown signal name '%s'.", p->cmd->args[i]);
	return 0;
}

static int parse_catch_syscall(struct cmd_parser *p, const char *args)
{
	int r = cmdp_words(p, args);

	if (r < 0)
		return r;
	for (size_t i = 0; i < p->cmd->nargs; i++) {
		const char *w = p->cmd->args[i];

		for (const char *q = w; *q; q++)
			if (!isalnum((unsigned char)*q) && *q != '_' && *q != ':')
				return cmdp_error(p, "Unknown syscall name '%s'.", w);
	}
	return 0;
}

static int parse_info_registers(struct cmd_parser *p, const char *args)
{
	int r = cmdp_words(p, args);

	if (r < 0)
		return r;
	/* "info registers $rip" names the register "rip". */
	for (size_t i = 0; i < p->cmd->nargs; i++) {
		if (p->cmd->args[i][0] == '$')
			p->cmd->args[i]++;
		if (!p->cmd->args[i][0])
			return cmdp_error(p, "Missing register name");
	}
	return 0;
}

static int parse_info_proc(struct cmd_parser *p, const char *args)
{
	size_t n = word_len(args);

	if (!*args)
		return 0;
	if (strncmp(args, "mappings", n) == 0) {
		p->cmd->kind = DBG_CMD_INFO_PROC_MAPPINGS;
		p->cmd->name = "info proc mappings";
		args = skip_ws(args + n);
	}
	if (*args) {
		long pid;

		n = word_len(args);
		if (!cmdp_number(args, n, &pid) || *skip_ws(args + n))
			return cmdp_error(p, "Too many parameters: %s", args);
		p->cmd->has_count = true;
		p->cmd->count = pid;
	}
	return 0;
}

static int parse_info_symbol(struct cmd_parser *p, const char *args)
{
	return need_expr(p, args, "address");
}

/* set: `set var EXPR`, `set $x = EXPR`, known settings, else an assignment expression. */
static int parse_set(struct cmd_parser *p, const char *args)
{
	static const char *const settings[] = {
	        "args",
	        "confirm",
	        "pagination",
	        "listsize",
	        "print",
	        "disassembly-flavor",
	        "follow-fork-mode",
	        "detach-on-fork",
	        "environment",
	        "width",
	        "height",
	        "logging",
	        "startup-with-shell",
	        "step-mode",
	        "scheduler-locking",
	        "can-use-hw-watchpoints",
	        "history",
	        "verbose",
	        "language",
	        "cwd",
	        "disable-randomization",
	        "non-stop",
	        "auto-solib-add",
	        "stop-on-solib-events",
	        "var",
	        "variable",
	};
	struct dbg_cmd *c = p->cmd;
	size_t n = word_len(args);

	if (!*args)
		return cmdp_error(p, "Argument required (expression to compute).");
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		if (strlen(settings[i]) != n || strncmp(args, settings[i], n) != 0)
			continue;
		if (strcmp(settings[i], "var") == 0 || strcmp(settings[i], "variable") == 0) {
			c->kind = DBG_CMD_SET_VAR;
			c->name = "set var";
			return need_expr(p, skip_ws(args + n), "expression to compute");
		}
		c->kind = DBG_CMD_SET_OPTION;
		c->name = "set";
		/* args: the setting's words ("print", "pretty"); expr: the whole text. */
		if (cmdp_words(p, args) < 0)
			return -ENOMEM;
		return set_expr(p, args);
	}
	/* Anything else is an expression, evaluated for its side effects as gdb does. */
	c->kind = DBG_CMD_SET_VAR;
	c->name = "set var";
	return set_expr(p, args);
}

static int parse_list(struct cmd_parser *p, const char *args)
{
	struct dbg_cmd *c = p->cmd;
	const char *comma = strchr(args, ',');
	int r;

	if (!*args)
		return 0;
	if (strcmp(args, "-") == 0 || strcmp(args, "+") == 0) {
		c->loc.kind = DBG_LOC_OFFSET;
		c->loc.offset = args[0] == '-' ? -1 : 1;
		c->expr = args[0] == '-' ? "-" : "+";
		return 0;
	}
	if (comma) {
		const char *first = cmdp_strndup(p, args, (size_t)(comma - args));
		const char *last = skip_ws(comma + 1);

		if (!first)
			return -ENOMEM;
		c->has_comma = true;
		r = dbg_location_parse(first, &c->arena, &c->loc, p->err, p->errlen);
		if (r < 0)
			return r;
		return dbg_location_parse(last, &c->arena, &c->loc2, p->err, p->errlen);
	}
	return dbg_location_parse(args, &c->arena, &c->loc, p->err, p->errlen);
}

static int parse_disassemble(struct cmd_parser *p, const char *args)
{
	struct dbg_cmd *c = p->cmd;
	const char *comma;

	while (*args == '/') {
		size_t n = word_len(args);

		for (size_t i = 1; i < n; i++) {
			if (args[i] == 'r')
				c->raw = true;
			else if (args[i] == 'm')
				c->mixed = true;
			else if (args[i] == 's')
				c->source = true;
			else
				return cmdp_error(p, "Invalid disassembly modifier.");
		}
		args = skip_ws(args + n);
	}
	if (c->mixed && c->source)
		return cmdp_error(p, "Cannot specify both /m and /s.");
	comma = strchr(args, ',');
	if (!comma)
		return set_expr(p, args);
	c->expr = cmdp_strndup(p, args, (size_t)(comma - args));
	if (!c->expr)
		return -ENOMEM;
	comma = skip_ws(comma + 1);
	if (*comma == '+') {
		c->plus_len = true;
		comma = skip_ws(comma + 1);
	}
	if (!*comma)
		return cmdp_error(p, "Missing end address.");
	c->expr2 = cmdp_strndup(p, comma, strlen(comma));
	return c->expr2 ? 0 : -ENOMEM;
}

/* ---- tables ---- */

static const struct cmd_entry info_entries[] = {
        {"all-registers", NULL, DBG_CMD_INFO_ALL_REGISTERS, parse_info_registers, NULL,
         "List all registers, vector and floating-point ones included.", false},
        {"args", NULL, DBG_CMD_INFO_ARGS, raw_args, NULL,
         "Show the arguments of the selected frame.", false},
        {"breakpoints", "b br break", DBG_CMD_INFO_BREAKPOINTS, cmdp_ranges, NULL,
         "List breakpoints, watchpoints and catchpoints (or those numbered).", false},
        {"display", NULL, DBG_CMD_INFO_DISPLAY, no_args, NULL,
         "List the expressions shown at every stop.", false},
        {"frame", "f", DBG_CMD_INFO_FRAME, raw_args, NULL,
         "Describe the selected frame: its addresses, caller and saved registers.", false},
        {"line", NULL, DBG_CMD_INFO_LINE, raw_args, NULL, "Show the addresses of a source line.",
         false},
        {"locals", NULL, DBG_CMD_INFO_LOCALS, raw_args, NULL,
         "Show the local variables of the selected frame.", false},
        {"proc", NULL, DBG_CMD_INFO_PROC, parse_info_proc, NULL,
         "Describe the process; `info proc mappings` lists its memory mappings.", false},
        {"registers", "r", DBG_CMD_INFO_REGISTERS, parse_info_registers, NULL,
         "List the general registers, or the ones named, in hex and natural form.", false},
        {"sharedlibrary", "dll", DBG_CMD_INFO_SHAREDLIBRARY, raw_args, NULL,
         "List the shared libraries loaded in the process.", false},
        {"signals", "handle", DBG_CMD_INFO_SIGNALS, raw_args, NULL,
         "Show what the debugger does with each signal (or the one named).", false},
        {"stack", "s", DBG_CMD_BACKTRACE, parse_backtrace, NULL, "Same as backtrace.", false},
        {"symbol", NULL, DBG_CMD_INFO_SYMBOL, parse_info_symbol, NULL,
         "Name the symbol at an address.", false},
        {"threads", NULL, DBG_CMD_INFO_THREADS, raw_args, NULL,
         "List the threads of the process; the current one is marked with *.", false},
        {"watchpoints", NULL, DBG_CMD_INFO_WATCHPOINTS, cmdp_ranges, NULL, "List watchpoints only.",
         false},
};

static const struct cmd_entry catch_entries[] = {
        {"exec", NULL, DBG_CMD_CATCH_EXEC, junk_check, NULL, "Stop when the process calls exec.",
         false},
        {"fork", NULL, DBG_CMD_CATCH_FORK, junk_check, NULL, "Stop when the process forks.", false},
        {"signal", NULL, DBG_CMD_CATCH_SIGNAL, parse_catch_signal, NULL,
         "Stop when a signal (any, or those named, or `all`) is delivered.", false},
        {"syscall", NULL, DBG_CMD_CATCH_SYSCALL, parse_catch_syscall, NULL,
         "Stop at entry to and return from system calls (any, or those named or numbered).", false},
        {"vfork", NULL, DBG_CMD_CATCH_VFORK, junk_check, NULL, "Stop when the process calls vfork.",
         false},
};

const struct cmd_table dbg_cmd_info = {"info ", info_entries,
                                       sizeof(info_entries) / sizeof(info_entries[0])};
const struct cmd_table dbg_cmd_catch = {"catch ", catch_entries,
                                        sizeof(catch_entries) / sizeof(catch_entries[0])};

static const struct cmd_entry top_entries[] = {
        {"advance", NULL, DBG_CMD_ADVANCE, parse_advance, NULL,
         "Run until LOCATION is reached or the current frame returns.", false},
        {"awatch", NULL, DBG_CMD_AWATCH, parse_watch, NULL, "Stop when EXPR is read or written.",
         false},
        {"backtrace", "bt where", DBG_CMD_BACKTRACE, parse_backtrace, NULL,
         "Show the call stack: `backtrace [full] [N]` (N innermost, -N outermost frames).", false},
        {"break", "b br bre brea", DBG_CMD_BREAK, parse_break, NULL,
         "Set a breakpoint at FUNCTION, FILE:LINE, LINE or *ADDRESS, with an optional `if COND`.",
         false},
        {"call", NULL, DBG_CMD_CALL, parse_output, NULL,
         "Call a function in the program (not supported yet).", true},
        {"catch", NULL, DBG_CMD_NONE, NULL, &dbg_cmd_catch,
         "Set a catchpoint: `catch syscall|signal|fork|vfork|exec`.", false},
        {"condition", NULL, DBG_CMD_CONDITION, parse_condition, NULL,
         "`condition N COND` makes breakpoint N conditional; without COND, unconditional.", false},
        {"continue", "c fg", DBG_CMD_CONTINUE, optional_count, NULL,
         "Resume the program; `continue N` also ignores this breakpoint N-1 more times.", false},
        {"delete", "d del", DBG_CMD_DELETE, parse_bp_list, NULL,
         "Delete breakpoints (all, or those numbered); `delete display N` removes displays.",
         false},
        {"detach", NULL, DBG_CMD_DETACH, no_subcommand, NULL,
         "Let the process run on without the debugger.", false},
        {"disable", "dis disa", DBG_CMD_DISABLE, parse_bp_list, NULL,
         "Disable breakpoints (all, or those numbered) or displays.", false},
        {"disassemble", NULL, DBG_CMD_DISASSEMBLE, parse_disassemble, NULL,
         "Disassemble the function around the pc or ADDR, or START,END or START,+LENGTH; /r /m /s.",
         false},
        {"display", NULL, DBG_CMD_DISPLAY, parse_display, NULL,
         "Show EXPR (with an optional /FMT) every time the program stops.", true},
        {"down", NULL, DBG_CMD_DOWN, optional_count, NULL,
         "Select the frame N (default 1) levels below, towards the innermost.", false},
        {"enable", "en", DBG_CMD_ENABLE, parse_bp_list, NULL,
         "Enable breakpoints (all, or those numbered); `enable once|delete N...`.", false},
        {"file", NULL, DBG_CMD_FILE, raw_args, NULL,
         "Use FILE as the program to debug (its symbols are read when it is loaded).", false},
        {"finish", "fin", DBG_CMD_FINISH, no_args, NULL,
         "Run until the selected frame returns and print the returned value.", false},
        {"frame", "f", DBG_CMD_FRAME, optional_count, NULL,
         "Describe the selected frame, or select frame N.", false},
        {"handle", NULL, DBG_CMD_HANDLE, parse_handle, NULL,
         "`handle SIGNAL... [no]stop|[no]print|[no]pass` sets what a signal does.", false},
        {"help", "h", DBG_CMD_HELP, words, NULL, "List the commands, or describe one.", false},
        {"ignore", NULL, DBG_CMD_IGNORE, parse_ignore, NULL,
         "`ignore N COUNT`: pass over breakpoint N the next COUNT times.", false},
        {"info", "i inf", DBG_CMD_NONE, NULL, &dbg_cmd_info,
         "Describe the program's state: `info breakpoints|registers|frame|locals|...`.", false},
        {"kill", "k", DBG_CMD_KILL, no_subcommand, NULL, "Kill the program being debugged.", false},
        {"list", "l", DBG_CMD_LIST, parse_list, NULL,
         "List source lines around a LINE, FUNCTION or FILE:LINE, or FIRST,LAST.", false},
        {"next", "n", DBG_CMD_NEXT, optional_count, NULL,
         "Step one source line (N times), stepping over calls.", false},
        {"nexti", "ni", DBG_CMD_NEXTI, optional_count, NULL,
         "Step one instruction (N times), stepping over calls.", false},
        {"output", NULL, DBG_CMD_OUTPUT, parse_output, NULL,
         "Print EXPR like print, without $N = and without a newline.", true},
        {"print", "p inspect", DBG_CMD_PRINT, parse_print, NULL,
         "Print EXPR (or the last value) with an optional /FMT and record it as $N.", true},
        {"ptype", NULL, DBG_CMD_PTYPE, raw_args, NULL,
         "Print the definition of the type of EXPR, or of a type name.", false},
        {"quit", "q", DBG_CMD_QUIT, raw_args, NULL,
         "Leave the debugger (the program is killed or detached).", false},
        {"run", "r", DBG_CMD_RUN, raw_args, NULL, "Start the program with ARGS.", false},
        {"rwatch", NULL, DBG_CMD_RWATCH, parse_watch, NULL, "Stop when EXPR is read.", false},
        {"set", NULL, DBG_CMD_SET_VAR, parse_set, NULL,
         "`set var EXPR` or `set $REG = EXPR` assigns; `set SETTING VALUE` changes a setting.",
         false},
        {"show", NULL, DBG_CMD_SHOW, raw_args, NULL, "Show a setting.", false},
        {"signal", NULL, DBG_CMD_SIGNAL, parse_signal_cmd, NULL,
         "Resume the program with SIGNAL (0: none).", false},
        {"source", NULL, DBG_CMD_SOURCE, parse_source, NULL,
         "Run the commands in FILE (as -x FILE does).", false},
        {"start", NULL, DBG_CMD_START, raw_args, NULL,
         "Start the program with ARGS and stop at the beginning of main.", false},
        {"starti", NULL, DBG_CMD_STARTI, raw_args, NULL,
         "Start the program with ARGS and stop at its first instruction.", false},
        {"step", "s", DBG_CMD_STEP, optional_count, NULL,
         "Step one source line (N times), entering calls.", false},
        {"stepi", "si", DBG_CMD_STEPI, optional_count, NULL,
         "Step one instruction (N times), entering calls.", false},
        {"tbreak", NULL, DBG_CMD_TBREAK, parse_break, NULL,
         "Set a breakpoint that is deleted when first hit.", false},
        {"thread", "t", DBG_CMD_THREAD, parse_thread, NULL,
         "Show the current thread, or switch to thread N.", false},
        {"undisplay", NULL, DBG_CMD_UNDISPLAY, parse_bp_list, NULL,
         "Stop showing displays (all, or those numbered).", false},
        {"until", "u", DBG_CMD_UNTIL, parse_until, NULL,
         "Run until a line past the current one (or LOCATION) in the current frame.", false},
        {"up", NULL, DBG_CMD_UP, optional_count, NULL,
         "Select the frame N (default 1) levels above, towards the outermost.", false},
        {"watch", NULL, DBG_CMD_WATCH, parse_watch, NULL,
         "Stop when the value of EXPR changes (-l: watch the memory it names).", false},
        {"whatis", NULL, DBG_CMD_WHATIS, raw_args, NULL,
         "Print the type of EXPR, or expand one level of a type name.", false},
        {"x", NULL, DBG_CMD_X, raw_args, NULL,
         "Examine memory: x/NFU ADDR (count, format xduotacfsiz, unit b h w g).", true},
};

const struct cmd_table dbg_cmd_top = {"", top_entries,
                                      sizeof(top_entries) / sizeof(top_entries[0])};
