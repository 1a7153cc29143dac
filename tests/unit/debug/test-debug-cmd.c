/* SPDX-License-Identifier: MIT */
/*
 * The command parser: every command and gdb abbreviation, arguments,
 * locations, and the error lines (gdb's wording where gdb 13.1 has one,
 * checked with `gdb -batch -ex CMD`).
 */
#include "harness.h"

#include <errno.h>

#include "cmd.h"

static struct dbg_cmd cmd;
static char err[256];

static void parse_ok(const char *line)
{
	int r = dbg_cmd_parse(line, &cmd, err, sizeof(err));

	CHECK_MSG(r == 0, "parse \"%s\" failed: %s", line, err);
}

static const char *parse_err(const char *line)
{
	int r = dbg_cmd_parse(line, &cmd, err, sizeof(err));

	CHECK_MSG(r == -EINVAL, "parse \"%s\" should fail, returned %d", line, r);
	return err;
}

/* The command kind and canonical name a line resolves to. */
static void kind_is(const char *line, enum dbg_cmd_kind kind, const char *name)
{
	parse_ok(line);
	CHECK_MSG(cmd.kind == kind, "\"%s\": kind %d, want %d", line, cmd.kind, kind);
	CHECK_MSG(strcmp(cmd.name, name) == 0, "\"%s\": name %s, want %s", line, cmd.name, name);
	dbg_cmd_free(&cmd);
}

TEST(every_command_and_alias)
{
	static const struct {
		const char *line;
		enum dbg_cmd_kind kind;
		const char *name;
	} c[] = {
	        {"run", DBG_CMD_RUN, "run"},
	        {"r", DBG_CMD_RUN, "run"},
	        {"ru", DBG_CMD_RUN, "run"},
	        {"start", DBG_CMD_START, "start"},
	        {"starti", DBG_CMD_STARTI, "starti"},
	        {"continue", DBG_CMD_CONTINUE, "continue"},
	        {"c", DBG_CMD_CONTINUE, "continue"},
	        {"cont", DBG_CMD_CONTINUE, "continue"}, /* a unique prefix, not an alias */
	        {"fg", DBG_CMD_CONTINUE, "continue"},
	        {"conti", DBG_CMD_CONTINUE, "continue"},
	        {"step", DBG_CMD_STEP, "step"},
	        {"s", DBG_CMD_STEP, "step"},
	        {"next", DBG_CMD_NEXT, "next"},
	        {"n", DBG_CMD_NEXT, "next"},
	        {"stepi", DBG_CMD_STEPI, "stepi"},
	        {"si", DBG_CMD_STEPI, "stepi"},
	        {"nexti", DBG_CMD_NEXTI, "nexti"},
	        {"ni", DBG_CMD_NEXTI, "nexti"},
	        {"file", DBG_CMD_FILE, "file"},
	        {"file prog", DBG_CMD_FILE, "file"},
	        {"source f.gdb", DBG_CMD_SOURCE, "source"},
	        {"so f.gdb", DBG_CMD_SOURCE, "source"},
	        {"finish", DBG_CMD_FINISH, "finish"},
	        {"fin", DBG_CMD_FINISH, "finish"},
	        {"fini", DBG_CMD_FINISH, "finish"},
	        {"until", DBG_CMD_UNTIL, "until"},
	        {"u", DBG_CMD_UNTIL, "until"},
	        {"unt", DBG_CMD_UNTIL, "until"},
	        {"advance 12", DBG_CMD_ADVANCE, "advance"},
	        {"adv foo", DBG_CMD_ADVANCE, "advance"},
	        {"break", DBG_CMD_BREAK, "break"},
	        {"b", DBG_CMD_BREAK, "break"},
	        {"br", DBG_CMD_BREAK, "break"},
	        {"bre", DBG_CMD_BREAK, "break"},
	        {"brea", DBG_CMD_BREAK, "break"},
	        {"tbreak", DBG_CMD_TBREAK, "tbreak"},
	        {"tb", DBG_CMD_TBREAK, "tbreak"},
	        {"tbr main", DBG_CMD_TBREAK, "tbreak"},
	        {"condition 1", DBG_CMD_CONDITION, "condition"},
	        {"cond 1 x", DBG_CMD_CONDITION, "condition"},
	        {"ignore 1 2", DBG_CMD_IGNORE, "ignore"},
	        {"ig 1 2", DBG_CMD_IGNORE, "ignore"},
	        {"delete", DBG_CMD_DELETE, "delete"},
	        {"d", DBG_CMD_DELETE, "delete"},
	        {"del", DBG_CMD_DELETE, "delete"},
	        {"dele", DBG_CMD_DELETE, "delete"},
	        {"disable", DBG_CMD_DISABLE, "disable"},
	        {"dis", DBG_CMD_DISABLE, "disable"},
	        {"disa", DBG_CMD_DISABLE, "disable"},
	        {"enable", DBG_CMD_ENABLE, "enable"},
	        {"en", DBG_CMD_ENABLE, "enable"},
	        {"ena", DBG_CMD_ENABLE, "enable"},
	        {"watch x", DBG_CMD_WATCH, "watch"},
	        {"wa x", DBG_CMD_WATCH, "watch"},
	        {"rwatch x", DBG_CMD_RWATCH, "rwatch"},
	        {"rw x", DBG_CMD_RWATCH, "rwatch"},
	        {"awatch x", DBG_CMD_AWATCH, "awatch"},
	        {"aw x", DBG_CMD_AWATCH, "awatch"},
	        {"catch syscall", DBG_CMD_CATCH_SYSCALL, "catch syscall"},
	        {"catch sys write", DBG_CMD_CATCH_SYSCALL, "catch syscall"},
	        {"catch signal", DBG_CMD_CATCH_SIGNAL, "catch signal"},
	        {"catch sig SIGINT", DBG_CMD_CATCH_SIGNAL, "catch signal"},
	        {"catch fork", DBG_CMD_CATCH_FORK, "catch fork"},
	        {"catch vfork", DBG_CMD_CATCH_VFORK, "catch vfork"},
	        {"catch exec", DBG_CMD_CATCH_EXEC, "catch exec"},
	        {"info breakpoints", DBG_CMD_INFO_BREAKPOINTS, "info breakpoints"},
	        {"info b", DBG_CMD_INFO_BREAKPOINTS, "info breakpoints"},
	        {"i b", DBG_CMD_INFO_BREAKPOINTS, "info breakpoints"},
	        {"inf break", DBG_CMD_INFO_BREAKPOINTS, "info breakpoints"},
	        {"info registers", DBG_CMD_INFO_REGISTERS, "info registers"},
	        {"info r", DBG_CMD_INFO_REGISTERS, "info registers"},
	        {"info reg rip", DBG_CMD_INFO_REGISTERS, "info registers"},
	        {"info all-registers", DBG_CMD_INFO_ALL_REGISTERS, "info all-registers"},
	        {"info frame", DBG_CMD_INFO_FRAME, "info frame"},
	        {"info f", DBG_CMD_INFO_FRAME, "info frame"},
	        {"info locals", DBG_CMD_INFO_LOCALS, "info locals"},
	        {"info lo", DBG_CMD_INFO_LOCALS, "info locals"},
	        {"info args", DBG_CMD_INFO_ARGS, "info args"},
	        {"info threads", DBG_CMD_INFO_THREADS, "info threads"},
	        {"info th", DBG_CMD_INFO_THREADS, "info threads"},
	        {"info proc", DBG_CMD_INFO_PROC, "info proc"},
	        {"info proc mappings", DBG_CMD_INFO_PROC_MAPPINGS, "info proc mappings"},
	        {"info proc map", DBG_CMD_INFO_PROC_MAPPINGS, "info proc mappings"},
	        {"info sharedlibrary", DBG_CMD_INFO_SHAREDLIBRARY, "info sharedlibrary"},
	        {"info sh", DBG_CMD_INFO_SHAREDLIBRARY, "info sharedlibrary"},
	        {"info dll", DBG_CMD_INFO_SHAREDLIBRARY, "info sharedlibrary"},
	        {"info signals", DBG_CMD_INFO_SIGNALS, "info signals"},
	        {"info sig", DBG_CMD_INFO_SIGNALS, "info signals"},
	        {"info handle", DBG_CMD_INFO_SIGNALS, "info signals"},
	        {"info watchpoints", DBG_CMD_INFO_WATCHPOINTS, "info watchpoints"},
	        {"info w", DBG_CMD_INFO_WATCHPOINTS, "info watchpoints"},
	        {"info display", DBG_CMD_INFO_DISPLAY, "info display"},
	        {"info s", DBG_CMD_BACKTRACE, "info stack"},
	        {"info line", DBG_CMD_INFO_LINE, "info line"},
	        {"info symbol 0x401000", DBG_CMD_INFO_SYMBOL, "info symbol"},
	        {"set var x = 1", DBG_CMD_SET_VAR, "set var"},
	        {"set variable x = 1", DBG_CMD_SET_VAR, "set var"},
	        {"set $rax = 1", DBG_CMD_SET_VAR, "set var"},
	        {"set x = 1", DBG_CMD_SET_VAR, "set var"},
	        {"set confirm off", DBG_CMD_SET_OPTION, "set"},
	        {"show version", DBG_CMD_SHOW, "show"},
	        {"x/4xw &x", DBG_CMD_X, "x"},
	        {"x", DBG_CMD_X, "x"},
	        {"print x", DBG_CMD_PRINT, "print"},
	        {"p x", DBG_CMD_PRINT, "print"},
	        {"inspect x", DBG_CMD_PRINT, "print"},
	        {"pr x", DBG_CMD_PRINT, "print"},
	        {"p/x x", DBG_CMD_PRINT, "print"},
	        {"output x", DBG_CMD_OUTPUT, "output"},
	        {"call f()", DBG_CMD_CALL, "call"},
	        {"ptype x", DBG_CMD_PTYPE, "ptype"},
	        {"whatis x", DBG_CMD_WHATIS, "whatis"},
	        {"display x", DBG_CMD_DISPLAY, "display"},
	        {"disp x", DBG_CMD_DISPLAY, "display"},
	        {"display/i $pc", DBG_CMD_DISPLAY, "display"},
	        {"undisplay 1", DBG_CMD_UNDISPLAY, "undisplay"},
	        {"und", DBG_CMD_UNDISPLAY, "undisplay"},
	        {"backtrace", DBG_CMD_BACKTRACE, "backtrace"},
	        {"bt", DBG_CMD_BACKTRACE, "backtrace"},
	        {"where", DBG_CMD_BACKTRACE, "backtrace"},
	        {"ba", DBG_CMD_BACKTRACE, "backtrace"},
	        {"frame", DBG_CMD_FRAME, "frame"},
	        {"f 1", DBG_CMD_FRAME, "frame"},
	        {"fr", DBG_CMD_FRAME, "frame"},
	        {"up", DBG_CMD_UP, "up"},
	        {"down", DBG_CMD_DOWN, "down"},
	        {"do", DBG_CMD_DOWN, "down"},
	        {"dow 2", DBG_CMD_DOWN, "down"},
	        {"list", DBG_CMD_LIST, "list"},
	        {"l", DBG_CMD_LIST, "list"},
	        {"li 10", DBG_CMD_LIST, "list"},
	        {"disassemble", DBG_CMD_DISASSEMBLE, "disassemble"},
	        {"disas", DBG_CMD_DISASSEMBLE, "disassemble"},
	        {"disas /r main", DBG_CMD_DISASSEMBLE, "disassemble"},
	        {"info threads", DBG_CMD_INFO_THREADS, "info threads"},
	        {"thread", DBG_CMD_THREAD, "thread"},
	        {"thread 2", DBG_CMD_THREAD, "thread"},
	        {"t 2", DBG_CMD_THREAD, "thread"},
	        {"thr 2", DBG_CMD_THREAD, "thread"},
	        {"handle SIGUSR1 nostop", DBG_CMD_HANDLE, "handle"},
	        {"ha SIGUSR1 stop", DBG_CMD_HANDLE, "handle"},
	        {"signal SIGINT", DBG_CMD_SIGNAL, "signal"},
	        {"sig 0", DBG_CMD_SIGNAL, "signal"},
	        {"kill", DBG_CMD_KILL, "kill"},
	        {"k", DBG_CMD_KILL, "kill"},
	        {"ki", DBG_CMD_KILL, "kill"},
	        {"detach", DBG_CMD_DETACH, "detach"},
	        {"det", DBG_CMD_DETACH, "detach"},
	        {"quit", DBG_CMD_QUIT, "quit"},
	        {"q", DBG_CMD_QUIT, "quit"},
	        {"help", DBG_CMD_HELP, "help"},
	        {"h", DBG_CMD_HELP, "help"},
	        {"he break", DBG_CMD_HELP, "help"},
	        {"info", DBG_CMD_HELP, "help"},
	        {"i", DBG_CMD_HELP, "help"},
	        {"catch", DBG_CMD_HELP, "help"},
	        {"", DBG_CMD_NONE, ""},
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		if (c[i].kind == DBG_CMD_NONE) {
			parse_ok(c[i].line);
			CHECK_EQ_INT(cmd.kind, DBG_CMD_NONE);
			CHECK(cmd.name == NULL);
			continue;
		}
		kind_is(c[i].line, c[i].kind, c[i].name);
	}
	parse_ok("   # a comment");
	CHECK_EQ_INT(cmd.kind, DBG_CMD_NONE);
}

TEST(undefined_and_did_you_mean)
{
	CHECK_EQ_STR(parse_err("brek main"),
	             "Undefined command: \"brek\".  Did you mean \"break\"?");
	CHECK_EQ_STR(parse_err("foo"), "Undefined command: \"foo\".  Try \"help\".");
	CHECK_EQ_STR(parse_err("contnue"),
	             "Undefined command: \"contnue\".  Did you mean \"continue\"?");
	CHECK_EQ_STR(parse_err("stpe"), "Undefined command: \"stpe\".  Did you mean \"step\"?");
	CHECK_EQ_STR(parse_err("dispaly x"),
	             "Undefined command: \"dispaly\".  Did you mean \"display\"?");
	CHECK_EQ_STR(parse_err("whre"), "Undefined command: \"whre\".  Did you mean \"where\"?");
	CHECK_EQ_STR(parse_err("wathc x"),
	             "Undefined command: \"wathc\".  Did you mean \"watch\"?");
	CHECK_EQ_STR(parse_err("nexy"), "Undefined command: \"nexy\".  Did you mean \"next\"?");
	CHECK_EQ_STR(parse_err("stepu"),
	             "Undefined command: \"stepu\".  Did you mean \"step\" or \"stepi\"?");
	CHECK_EQ_STR(parse_err("xyzzy"), "Undefined command: \"xyzzy\".  Try \"help\".");
	CHECK_EQ_STR(parse_err("info foo"), "Undefined info command: \"foo\".  Try \"help info\".");
	CHECK_EQ_STR(parse_err("info registrs"),
	             "Undefined info command: \"registrs\".  Did you mean \"registers\"?");
	CHECK_EQ_STR(parse_err("info brekpoints"),
	             "Undefined info command: \"brekpoints\".  Did you mean \"breakpoints\"?");
	CHECK_EQ_STR(parse_err("catch foo"),
	             "Undefined catch command: \"foo\".  Try \"help catch\".");
	CHECK_EQ_STR(parse_err("catch sycall"),
	             "Undefined catch command: \"sycall\".  Did you mean \"syscall\"?");
	CHECK_EQ_STR(parse_err("/x"), "Undefined command: \"/x\".  Try \"help\".");
}

TEST(ambiguous)
{
	CHECK_EQ_STR(parse_err("co"), "Ambiguous command \"co\": condition, continue.");
	CHECK_EQ_STR(parse_err("de"), "Ambiguous command \"de\": del, delete, detach.");
	CHECK_EQ_STR(parse_err("di"),
	             "Ambiguous command \"di\": dis, disa, disable, disassemble, display.");
	CHECK_EQ_STR(parse_err("st"), "Ambiguous command \"st\": start, starti, step, stepi.");
	CHECK_EQ_STR(parse_err("ste"), "Ambiguous command \"ste\": step, stepi.");
	CHECK_EQ_STR(parse_err("nex"), "Ambiguous command \"nex\": next, nexti.");
	CHECK_EQ_STR(parse_err("sta"), "Ambiguous command \"sta\": start, starti.");
	CHECK_EQ_STR(parse_err("ca"), "Ambiguous command \"ca\": call, catch.");
	CHECK_EQ_STR(parse_err("se"), "Argument required (expression to compute).");
	CHECK_EQ_STR(parse_err("wh"), "Ambiguous command \"wh\": whatis, where.");
	CHECK_EQ_STR(parse_err("in"), "Ambiguous command \"in\": inf, info, inspect.");
	CHECK_EQ_STR(parse_err("info a"), "Ambiguous info command \"a\": all-registers, args.");
	CHECK_EQ_STR(parse_err("fi"), "Ambiguous command \"fi\": file, fin, finish.");
	CHECK_EQ_STR(parse_err("source"), "source command requires file name of file to source.");
}

TEST(lookup_first_word)
{
	CHECK(dbg_cmd_lookup("b") == DBG_CMD_BREAK);
	CHECK(dbg_cmd_lookup("tbr") == DBG_CMD_TBREAK);
	CHECK(dbg_cmd_lookup("l") == DBG_CMD_LIST);
	CHECK(dbg_cmd_lookup("fil") == DBG_CMD_FILE);
	CHECK(dbg_cmd_lookup("so") == DBG_CMD_SOURCE);
	CHECK(dbg_cmd_lookup("r") == DBG_CMD_RUN);
	CHECK(dbg_cmd_lookup("info") == DBG_CMD_NONE); /* a prefix */
	CHECK(dbg_cmd_lookup("st") == DBG_CMD_NONE);   /* ambiguous */
	CHECK(dbg_cmd_lookup("nosuch") == DBG_CMD_NONE);
	CHECK(dbg_cmd_lookup("") == DBG_CMD_NONE);
}

TEST(counts)
{
	parse_ok("continue 3");
	CHECK(cmd.has_count);
	CHECK_EQ_INT(cmd.count, 3);
	dbg_cmd_free(&cmd);
	parse_ok("c");
	CHECK(!cmd.has_count);
	dbg_cmd_free(&cmd);
	parse_ok("stepi 0x10");
	CHECK_EQ_INT(cmd.count, 16);
	dbg_cmd_free(&cmd);
	parse_ok("ni 2");
	CHECK_EQ_INT(cmd.kind, DBG_CMD_NEXTI);
	CHECK_EQ_INT(cmd.count, 2);
	dbg_cmd_free(&cmd);
	parse_ok("step 5");
	CHECK_EQ_INT(cmd.count, 5);
	dbg_cmd_free(&cmd);
	parse_ok("frame 2");
	CHECK_EQ_INT(cmd.count, 2);
	dbg_cmd_free(&cmd);
	parse_ok("up");
	CHECK(!cmd.has_count);
	dbg_cmd_free(&cmd);
	parse_ok("down 3");
	CHECK_EQ_INT(cmd.count, 3);
	dbg_cmd_free(&cmd);
	parse_ok("thread 4");
	CHECK_EQ_INT(cmd.count, 4);
	dbg_cmd_free(&cmd);
	parse_ok("bt");
	CHECK(!cmd.has_count);
	CHECK(!cmd.full);
	dbg_cmd_free(&cmd);
	parse_ok("bt 5");
	CHECK_EQ_INT(cmd.count, 5);
	dbg_cmd_free(&cmd);
	parse_ok("backtrace full -3");
	CHECK(cmd.full);
	CHECK_EQ_INT(cmd.count, -3);
	dbg_cmd_free(&cmd);
	parse_ok("where -full");
	CHECK(cmd.full);
	dbg_cmd_free(&cmd);
	/* Counts that are not plain numbers are expressions for the caller to evaluate
	 * (gdb: `continue x` -> No symbol "x" in current context.). */
	parse_ok("continue x");
	CHECK(!cmd.has_count);
	CHECK_EQ_STR(cmd.expr, "x");
	dbg_cmd_free(&cmd);
	parse_ok("stepi 1 2");
	CHECK_EQ_STR(cmd.expr, "1 2");
	dbg_cmd_free(&cmd);
	parse_ok("bt full foo");
	CHECK(cmd.full);
	CHECK_EQ_STR(cmd.expr, "foo");
	dbg_cmd_free(&cmd);
	parse_ok("frame n - 1");
	CHECK_EQ_STR(cmd.expr, "n - 1");
	dbg_cmd_free(&cmd);
	CHECK_EQ_STR(parse_err("thread x"), "Invalid thread ID: x");
	CHECK_EQ_STR(parse_err("finish 1"), "The \"finish\" command does not take any arguments.");
	CHECK_EQ_STR(parse_err("kill x"), "Undefined kill command: \"x\".  Try \"help kill\".");
	CHECK_EQ_STR(parse_err("detach x"),
	             "Undefined detach command: \"x\".  Try \"help detach\".");
}

TEST(break_locations)
{
	parse_ok("break main");
	CHECK_EQ_INT(cmd.loc.kind, DBG_LOC_FUNCTION);
	CHECK_EQ_STR(cmd.loc.function, "main");
	CHECK(cmd.cond == NULL);
	dbg_cmd_free(&cmd);
	parse_ok("b t.c:52");
	CHECK_EQ_INT(cmd.loc.kind, DBG_LOC_FILE_LINE);
	CHECK_EQ_STR(cmd.loc.file, "t.c");
	CHECK_EQ_INT(cmd.loc.line, 52);
	dbg_cmd_free(&cmd);
	parse_ok("b src/a-b.c:func_2");
	CHECK_EQ_INT(cmd.loc.kind, DBG_LOC_FILE_FUNCTION);
	CHECK_EQ_STR(cmd.loc.file, "src/a-b.c");
	CHECK_EQ_STR(cmd.loc.function, "func_2");
	dbg_cmd_free(&cmd);
	parse_ok("b 17");
	CHECK_EQ_INT(cmd.loc.kind, DBG_LOC_LINE);
	CHECK_EQ_INT(cmd.loc.line, 17);
	dbg_cmd_free(&cmd);
	parse_ok("b +3");
	CHECK_EQ_INT(cmd.loc.kind, DBG_LOC_OFFSET);
	CHECK_EQ_INT(cmd.loc.offset, 3);
	dbg_cmd_free(&cmd);
	parse_ok("b -2");
	CHECK_EQ_INT(cmd.loc.offset, -2);
	dbg_cmd_free(&cmd);
	parse_ok("b *0x401136");
	CHECK_EQ_INT(cmd.loc.kind, DBG_LOC_ADDRESS);
	CHECK_EQ_STR(cmd.loc.expr, "0x401136");
	dbg_cmd_free(&cmd);
	parse_ok("break *main + 4 if x > 3 && y");
	CHECK_EQ_INT(cmd.loc.kind, DBG_LOC_ADDRESS);
	CHECK_EQ_STR(cmd.loc.expr, "main + 4");
	CHECK_EQ_STR(cmd.cond, "x > 3 && y");
	dbg_cmd_free(&cmd);
	parse_ok("b foo if(i==2)");
	CHECK_EQ_STR(cmd.loc.function, "foo");
	CHECK_EQ_STR(cmd.cond, "(i==2)");
	dbg_cmd_free(&cmd);
	parse_ok("b if_else");
	CHECK_EQ_STR(cmd.loc.function, "if_else");
	CHECK(cmd.cond == NULL);
	dbg_cmd_free(&cmd);
	parse_ok("b if x");
	CHECK_EQ_INT(cmd.loc.kind, DBG_LOC_NONE);
	CHECK_EQ_STR(cmd.cond, "x");
	dbg_cmd_free(&cmd);
	parse_ok("break");
	CHECK_EQ_INT(cmd.loc.kind, DBG_LOC_NONE);
	dbg_cmd_free(&cmd);
	parse_ok("tbreak t.c:10 if n == 0");
	CHECK_EQ_INT(cmd.kind, DBG_CMD_TBREAK);
	CHECK_EQ_INT(cmd.loc.line, 10);
	CHECK_EQ_STR(cmd.cond, "n == 0");
	dbg_cmd_free(&cmd);
	parse_ok("until 30");
	CHECK_EQ_INT(cmd.loc.line, 30);
	dbg_cmd_free(&cmd);
	parse_ok("advance t.c:bar");
	CHECK_EQ_STR(cmd.loc.function, "bar");
	dbg_cmd_free(&cmd);
	CHECK_EQ_STR(parse_err("break 1 2"), "malformed linespec error: unexpected number, \"2\"");
	CHECK_EQ_STR(parse_err("break +1 x"), "malformed linespec error: unexpected string, \"x\"");
	CHECK_EQ_STR(parse_err("break main junk"), "Function \"main junk\" not defined.");
	CHECK_EQ_STR(parse_err("break foo if"), "Function \"foo if\" not defined.");
	CHECK_EQ_STR(parse_err("break *"), "Argument required (expression to compute).");
	CHECK_EQ_STR(parse_err("break a::b"),
	             "Scoped names (\"a::b\") are not supported in locations.");
	CHECK_EQ_STR(parse_err("advance"), "Argument required (a location).");
}

TEST(breakpoint_management)
{
	parse_ok("condition 2 x == 1");
	CHECK_EQ_INT(cmd.bpnum, 2);
	CHECK_EQ_STR(cmd.cond, "x == 1");
	dbg_cmd_free(&cmd);
	parse_ok("condition 2");
	CHECK(cmd.cond == NULL);
	dbg_cmd_free(&cmd);
	parse_ok("ignore 3 10");
	CHECK_EQ_INT(cmd.bpnum, 3);
	CHECK_EQ_INT(cmd.count, 10);
	dbg_cmd_free(&cmd);
	parse_ok("delete 1 3-5 7");
	CHECK_EQ_INT(cmd.nranges, 3);
	CHECK_EQ_INT(cmd.ranges[0].lo, 1);
	CHECK_EQ_INT(cmd.ranges[0].hi, 1);
	CHECK_EQ_INT(cmd.ranges[1].lo, 3);
	CHECK_EQ_INT(cmd.ranges[1].hi, 5);
	CHECK_EQ_INT(cmd.ranges[2].lo, 7);
	dbg_cmd_free(&cmd);
	parse_ok("delete");
	CHECK_EQ_INT(cmd.nranges, 0);
	dbg_cmd_free(&cmd);
	parse_ok("delete display 2");
	CHECK(cmd.display);
	CHECK_EQ_INT(cmd.ranges[0].lo, 2);
	dbg_cmd_free(&cmd);
	parse_ok("delete breakpoints 4");
	CHECK(!cmd.display);
	CHECK_EQ_INT(cmd.ranges[0].lo, 4);
	dbg_cmd_free(&cmd);
	parse_ok("enable once 2");
	CHECK(cmd.once);
	CHECK_EQ_INT(cmd.ranges[0].lo, 2);
	dbg_cmd_free(&cmd);
	parse_ok("enable delete 2");
	CHECK(cmd.del);
	dbg_cmd_free(&cmd);
	parse_ok("disable 1-2");
	CHECK_EQ_INT(cmd.ranges[0].hi, 2);
	dbg_cmd_free(&cmd);
	parse_ok("info breakpoints 2");
	CHECK_EQ_INT(cmd.nranges, 1);
	dbg_cmd_free(&cmd);
	parse_ok("undisplay 1 2");
	CHECK_EQ_INT(cmd.nranges, 2);
	dbg_cmd_free(&cmd);
	CHECK_EQ_STR(parse_err("condition"), "Argument required (breakpoint number).");
	CHECK_EQ_STR(parse_err("condition x"), "Bad breakpoint argument: 'x'");
	CHECK_EQ_STR(parse_err("ignore"), "Argument required (a breakpoint number).");
	CHECK_EQ_STR(parse_err("ignore 1"), "Second argument (specified ignore-count) is missing.");
	CHECK_EQ_STR(parse_err("ignore x 1"), "bad breakpoint number: 'x 1'");
	CHECK_EQ_STR(parse_err("enable foo"), "Bad breakpoint number 'foo'");
	CHECK_EQ_STR(parse_err("delete 3-1"), "inverted range");
	CHECK_EQ_STR(parse_err("delete 0"), "bad breakpoint number at or near '0'");
}

TEST(watch_catch_handle_signal)
{
	parse_ok("watch x->y");
	CHECK_EQ_STR(cmd.expr, "x->y");
	CHECK(!cmd.location);
	dbg_cmd_free(&cmd);
	parse_ok("watch -l *p");
	CHECK(cmd.location);
	CHECK_EQ_STR(cmd.expr, "*p");
	dbg_cmd_free(&cmd);
	parse_ok("rwatch -location buf[2]");
	CHECK(cmd.location);
	dbg_cmd_free(&cmd);
	parse_ok("catch syscall write read 231 group:file");
	CHECK_EQ_INT(cmd.nargs, 4);
	CHECK_EQ_STR(cmd.args[0], "write");
	CHECK_EQ_STR(cmd.args[2], "231");
	dbg_cmd_free(&cmd);
	parse_ok("catch signal SIGUSR1 all");
	CHECK_EQ_INT(cmd.nargs, 2);
	dbg_cmd_free(&cmd);
	parse_ok("handle SIGUSR1 SIGUSR2 nostop noprint pass");
	CHECK_EQ_INT(cmd.nargs, 2);
	CHECK_EQ_STR(cmd.args[1], "SIGUSR2");
	CHECK_EQ_INT(cmd.actions, DBG_HANDLE_NOSTOP | DBG_HANDLE_NOPRINT | DBG_HANDLE_PASS);
	dbg_cmd_free(&cmd);
	parse_ok("handle 14-15 ignore");
	CHECK_EQ_INT(cmd.actions, DBG_HANDLE_NOPASS);
	dbg_cmd_free(&cmd);
	parse_ok("handle SIGINT");
	CHECK_EQ_INT(cmd.actions, 0);
	dbg_cmd_free(&cmd);
	parse_ok("signal SIGINT");
	CHECK_EQ_STR(cmd.expr, "SIGINT");
	dbg_cmd_free(&cmd);
	CHECK_EQ_STR(parse_err("watch"), "Argument required (expression to compute).");
	CHECK_EQ_STR(parse_err("rwatch"), "Argument required (expression to compute).");
	CHECK_EQ_STR(parse_err("awatch"), "Argument required (expression to compute).");
	CHECK_EQ_STR(parse_err("catch fork x"), "Junk at end of arguments.");
	CHECK_EQ_STR(parse_err("catch exec x"), "Junk at end of arguments.");
	CHECK_EQ_STR(parse_err("catch signal FOO"), "Unknown signal name 'FOO'.");
	CHECK_EQ_STR(parse_err("catch syscall foo-bar"), "Unknown syscall name 'foo-bar'.");
	CHECK_EQ_STR(parse_err("handle"), "Argument required (signal to handle).");
	CHECK_EQ_STR(parse_err("handle FOO stop"), "Unrecognized or ambiguous flag word: \"FOO\".");
	CHECK_EQ_STR(parse_err("signal"), "Argument required (signal number).");
}

TEST(data_commands)
{
	parse_ok("p/x $rax + 1");
	CHECK(cmd.has_fmt);
	CHECK_EQ_INT(cmd.fmt.format, 'x');
	CHECK_EQ_STR(cmd.expr, "$rax + 1");
	dbg_cmd_free(&cmd);
	parse_ok("print /x gi");
	CHECK(cmd.has_fmt);
	CHECK_EQ_INT(cmd.fmt.format, 'x');
	CHECK_EQ_STR(cmd.expr, "gi");
	dbg_cmd_free(&cmd);
	parse_ok("print");
	CHECK(cmd.expr == NULL);
	dbg_cmd_free(&cmd);
	parse_ok("print/x");
	CHECK(cmd.has_fmt);
	CHECK(cmd.expr == NULL);
	dbg_cmd_free(&cmd);
	parse_ok("p  sizeof(int)  ");
	CHECK_EQ_STR(cmd.expr, "sizeof(int)");
	dbg_cmd_free(&cmd);
	parse_ok("x/4xw &buf");
	CHECK_EQ_INT(cmd.fmt.count, 4);
	CHECK_EQ_INT(cmd.fmt.format, 'x');
	CHECK_EQ_INT(cmd.fmt.size, 'w');
	CHECK_EQ_STR(cmd.expr, "&buf");
	dbg_cmd_free(&cmd);
	parse_ok("x /2g $sp");
	CHECK_EQ_INT(cmd.fmt.count, 2);
	CHECK_EQ_INT(cmd.fmt.size, 'g');
	CHECK_EQ_STR(cmd.expr, "$sp");
	dbg_cmd_free(&cmd);
	parse_ok("x");
	CHECK(!cmd.has_fmt);
	CHECK(cmd.expr == NULL);
	dbg_cmd_free(&cmd);
	parse_ok("display/i $pc");
	CHECK_EQ_INT(cmd.fmt.format, 'i');
	CHECK_EQ_STR(cmd.expr, "$pc");
	dbg_cmd_free(&cmd);
	parse_ok("display");
	CHECK(cmd.expr == NULL);
	dbg_cmd_free(&cmd);
	parse_ok("set var gs_.a = 3");
	CHECK_EQ_STR(cmd.expr, "gs_.a = 3");
	dbg_cmd_free(&cmd);
	parse_ok("set $rip = $rip + 2");
	CHECK_EQ_STR(cmd.expr, "$rip = $rip + 2");
	dbg_cmd_free(&cmd);
	parse_ok("set print pretty on");
	CHECK_EQ_INT(cmd.kind, DBG_CMD_SET_OPTION);
	CHECK_EQ_INT(cmd.nargs, 3);
	CHECK_EQ_STR(cmd.args[0], "print");
	CHECK_EQ_STR(cmd.expr, "print pretty on");
	dbg_cmd_free(&cmd);
	parse_ok("info registers rip $rax");
	CHECK_EQ_INT(cmd.nargs, 2);
	CHECK_EQ_STR(cmd.args[0], "rip");
	CHECK_EQ_STR(cmd.args[1], "rax");
	dbg_cmd_free(&cmd);
	parse_ok("info proc mappings 1234");
	CHECK_EQ_INT(cmd.kind, DBG_CMD_INFO_PROC_MAPPINGS);
	CHECK_EQ_INT(cmd.count, 1234);
	dbg_cmd_free(&cmd);
	parse_ok("run a 'b c' > out");
	CHECK_EQ_STR(cmd.expr, "a 'b c' > out");
	dbg_cmd_free(&cmd);
	CHECK_EQ_STR(parse_err("p/i 5"),
	             "Format letter \"i\" is meaningless in \"print\" command.");
	CHECK_EQ_STR(parse_err("p/w 5"), "Size letters are meaningless in \"print\" command.");
	CHECK_EQ_STR(parse_err("p/2x 5"),
	             "Item count other than 1 is meaningless in \"print\" command.");
	CHECK_EQ_STR(parse_err("p/q 5"), "Undefined output format \"q\".");
	CHECK_EQ_STR(parse_err("output"), "Argument required (expression to compute).");
	CHECK_EQ_STR(parse_err("set var"), "Argument required (expression to compute).");
	CHECK_EQ_STR(parse_err("set"), "Argument required (expression to compute).");
	CHECK_EQ_STR(parse_err("info proc foo"), "Too many parameters: foo");
	CHECK_EQ_STR(parse_err("info registers $"), "Missing register name");
	/* Any other `set` text is an expression (gdb: set foo -> No symbol "foo" ...). */
	parse_ok("set foo");
	CHECK_EQ_INT(cmd.kind, DBG_CMD_SET_VAR);
	CHECK_EQ_STR(cmd.expr, "foo");
	dbg_cmd_free(&cmd);
	parse_ok("signal 1 2");
	CHECK_EQ_STR(cmd.expr, "1 2");
	dbg_cmd_free(&cmd);
}

TEST(list_and_disassemble)
{
	parse_ok("list");
	CHECK_EQ_INT(cmd.loc.kind, DBG_LOC_NONE);
	dbg_cmd_free(&cmd);
	parse_ok("list 10,20");
	CHECK(cmd.has_comma);
	CHECK_EQ_INT(cmd.loc.line, 10);
	CHECK_EQ_INT(cmd.loc2.line, 20);
	dbg_cmd_free(&cmd);
	parse_ok("list ,20");
	CHECK(cmd.has_comma);
	CHECK_EQ_INT(cmd.loc.kind, DBG_LOC_NONE);
	CHECK_EQ_INT(cmd.loc2.line, 20);
	dbg_cmd_free(&cmd);
	parse_ok("list main");
	CHECK_EQ_STR(cmd.loc.function, "main");
	dbg_cmd_free(&cmd);
	parse_ok("list t.c:5");
	CHECK_EQ_STR(cmd.loc.file, "t.c");
	dbg_cmd_free(&cmd);
	parse_ok("list -");
	CHECK_EQ_INT(cmd.loc.kind, DBG_LOC_OFFSET);
	CHECK_EQ_INT(cmd.loc.offset, -1);
	dbg_cmd_free(&cmd);
	parse_ok("disassemble /rs main");
	CHECK(cmd.raw);
	CHECK(cmd.source);
	CHECK_EQ_STR(cmd.expr, "main");
	dbg_cmd_free(&cmd);
	parse_ok("disassemble/m");
	CHECK(cmd.mixed);
	CHECK(cmd.expr == NULL);
	dbg_cmd_free(&cmd);
	parse_ok("disas 0x401000,0x401020");
	CHECK_EQ_STR(cmd.expr, "0x401000");
	CHECK_EQ_STR(cmd.expr2, "0x401020");
	CHECK(!cmd.plus_len);
	dbg_cmd_free(&cmd);
	parse_ok("disas main,+16");
	CHECK(cmd.plus_len);
	CHECK_EQ_STR(cmd.expr2, "16");
	dbg_cmd_free(&cmd);
	CHECK_EQ_STR(parse_err("disas /q"), "Invalid disassembly modifier.");
	CHECK_EQ_STR(parse_err("disas /ms"), "Cannot specify both /m and /s.");
}

TEST(help)
{
	struct dbg_buf b = {0};

	CHECK_OK(dbg_cmd_help("break", &b, err, sizeof(err)));
	CHECK_EQ_STR(dbg_buf_str(&b), "break, b, br, bre, brea -- Set a breakpoint at FUNCTION, "
	                              "FILE:LINE, LINE or *ADDRESS, with an optional `if COND`.\n");
	dbg_buf_reset(&b);
	CHECK_OK(dbg_cmd_help("info reg", &b, err, sizeof(err)));
	CHECK_EQ_STR(dbg_buf_str(&b), "info registers, r -- List the general registers, or the "
	                              "ones named, in hex and natural form.\n");
	dbg_buf_reset(&b);
	CHECK_OK(dbg_cmd_help("catch", &b, err, sizeof(err)));
	CHECK(strstr(dbg_buf_str(&b), "\nList of catch subcommands:\n\ncatch exec -- ") != NULL);
	dbg_buf_reset(&b);
	CHECK_OK(dbg_cmd_help("", &b, err, sizeof(err)));
	CHECK(strncmp(dbg_buf_str(&b), "List of commands:\n\nadvance -- ", 30) == 0);
	CHECK(strstr(dbg_buf_str(&b), "\nx -- Examine memory") != NULL);
	dbg_buf_reset(&b);
	CHECK_EQ_INT(dbg_cmd_help("brek", &b, err, sizeof(err)), -EINVAL);
	CHECK_EQ_STR(err, "Undefined command: \"brek\".  Did you mean \"break\"?");
	CHECK_EQ_STR(dbg_cmd_kind_name(DBG_CMD_INFO_REGISTERS), "registers");
	CHECK_EQ_STR(dbg_cmd_kind_name(DBG_CMD_BREAK), "break");
	dbg_buf_free(&b);
}
