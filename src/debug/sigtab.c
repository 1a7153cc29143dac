/* SPDX-License-Identifier: MIT */
/*
 * gdb's signal table: the names, descriptions and default stop/print/pass
 * actions that gdb 13 shows in `info signals` (facts observed by running it),
 * the mapping from Linux signal numbers to those rows, and the `handle` and
 * `info signals` commands.
 */
#include "dbg.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* gdb's rows, in gdb's order. */
static const struct sigrow gdb_rows[] = {
        {"SIGHUP", 1, 1, 1, "Hangup"},
        {"SIGINT", 1, 1, 0, "Interrupt"},
        {"SIGQUIT", 1, 1, 1, "Quit"},
        {"SIGILL", 1, 1, 1, "Illegal instruction"},
        {"SIGTRAP", 1, 1, 0, "Trace/breakpoint trap"},
        {"SIGABRT", 1, 1, 1, "Aborted"},
        {"SIGEMT", 1, 1, 1, "Emulation trap"},
        {"SIGFPE", 1, 1, 1, "Arithmetic exception"},
        {"SIGKILL", 1, 1, 1, "Killed"},
        {"SIGBUS", 1, 1, 1, "Bus error"},
        {"SIGSEGV", 1, 1, 1, "Segmentation fault"},
        {"SIGSYS", 1, 1, 1, "Bad system call"},
        {"SIGPIPE", 1, 1, 1, "Broken pipe"},
        {"SIGALRM", 0, 0, 1, "Alarm clock"},
        {"SIGTERM", 1, 1, 1, "Terminated"},
        {"SIGURG", 0, 0, 1, "Urgent I/O condition"},
        {"SIGSTOP", 1, 1, 1, "Stopped (signal)"},
        {"SIGTSTP", 1, 1, 1, "Stopped (user)"},
        {"SIGCONT", 1, 1, 1, "Continued"},
        {"SIGCHLD", 0, 0, 1, "Child status changed"},
        {"SIGTTIN", 1, 1, 1, "Stopped (tty input)"},
        {"SIGTTOU", 1, 1, 1, "Stopped (tty output)"},
        {"SIGIO", 0, 0, 1, "I/O possible"},
        {"SIGXCPU", 1, 1, 1, "CPU time limit exceeded"},
        {"SIGXFSZ", 1, 1, 1, "File size limit exceeded"},
        {"SIGVTALRM", 0, 0, 1, "Virtual timer expired"},
        {"SIGPROF", 0, 0, 1, "Profiling timer expired"},
        {"SIGWINCH", 0, 0, 1, "Window size changed"},
        {"SIGLOST", 1, 1, 1, "Resource lost"},
        {"SIGUSR1", 1, 1, 1, "User defined signal 1"},
        {"SIGUSR2", 1, 1, 1, "User defined signal 2"},
        {"SIGPWR", 1, 1, 1, "Power fail/restart"},
        {"SIGPOLL", 0, 0, 1, "Pollable event occurred"},
        {"SIGWIND", 1, 1, 1, "SIGWIND"},
        {"SIGPHONE", 1, 1, 1, "SIGPHONE"},
        {"SIGWAITING", 0, 0, 1, "Process's LWPs are blocked"},
        {"SIGLWP", 0, 0, 1, "Signal LWP"},
        {"SIGDANGER", 1, 1, 1, "Swap space dangerously low"},
        {"SIGGRANT", 1, 1, 1, "Monitor mode granted"},
        {"SIGRETRACT", 1, 1, 1, "Need to relinquish monitor mode"},
        {"SIGMSG", 1, 1, 1, "Monitor mode data available"},
        {"SIGSOUND", 1, 1, 1, "Sound completed"},
        {"SIGSAK", 1, 1, 1, "Secure attention"},
        {"SIGPRIO", 0, 0, 1, "SIGPRIO"},
        {"SIG33", 1, 1, 1, "Real-time event 33"},
        {"SIG34", 1, 1, 1, "Real-time event 34"},
        {"SIG35", 1, 1, 1, "Real-time event 35"},
        {"SIG36", 1, 1, 1, "Real-time event 36"},
        {"SIG37", 1, 1, 1, "Real-time event 37"},
        {"SIG38", 1, 1, 1, "Real-time event 38"},
        {"SIG39", 1, 1, 1, "Real-time event 39"},
        {"SIG40", 1, 1, 1, "Real-time event 40"},
        {"SIG41", 1, 1, 1, "Real-time event 41"},
        {"SIG42", 1, 1, 1, "Real-time event 42"},
        {"SIG43", 1, 1, 1, "Real-time event 43"},
        {"SIG44", 1, 1, 1, "Real-time event 44"},
        {"SIG45", 1, 1, 1, "Real-time event 45"},
        {"SIG46", 1, 1, 1, "Real-time event 46"},
        {"SIG47", 1, 1, 1, "Real-time event 47"},
        {"SIG48", 1, 1, 1, "Real-time event 48"},
        {"SIG49", 1, 1, 1, "Real-time event 49"},
        {"SIG50", 1, 1, 1, "Real-time event 50"},
        {"SIG51", 1, 1, 1, "Real-time event 51"},
        {"SIG52", 1, 1, 1, "Real-time event 52"},
        {"SIG53", 1, 1, 1, "Real-time event 53"},
        {"SIG54", 1, 1, 1, "Real-time event 54"},
        {"SIG55", 1, 1, 1, "Real-time event 55"},
        {"SIG56", 1, 1, 1, "Real-time event 56"},
        {"SIG57", 1, 1, 1, "Real-time event 57"},
        {"SIG58", 1, 1, 1, "Real-time event 58"},
        {"SIG59", 1, 1, 1, "Real-time event 59"},
        {"SIG60", 1, 1, 1, "Real-time event 60"},
        {"SIG61", 1, 1, 1, "Real-time event 61"},
        {"SIG62", 1, 1, 1, "Real-time event 62"},
        {"SIG63", 1, 1, 1, "Real-time event 63"},
        {"SIGCANCEL", 0, 0, 1, "LWP internal signal"},
        {"SIG32", 1, 1, 1, "Real-time event 32"},
        {"SIG64", 1, 1, 1, "Real-time event 64"},
        {"SIG65", 1, 1, 1, "Real-time event 65"},
        {"SIG66", 1, 1, 1, "Real-time event 66"},
        {"SIG67", 1, 1, 1, "Real-time event 67"},
        {"SIG68", 1, 1, 1, "Real-time event 68"},
        {"SIG69", 1, 1, 1, "Real-time event 69"},
        {"SIG70", 1, 1, 1, "Real-time event 70"},
        {"SIG71", 1, 1, 1, "Real-time event 71"},
        {"SIG72", 1, 1, 1, "Real-time event 72"},
        {"SIG73", 1, 1, 1, "Real-time event 73"},
        {"SIG74", 1, 1, 1, "Real-time event 74"},
        {"SIG75", 1, 1, 1, "Real-time event 75"},
        {"SIG76", 1, 1, 1, "Real-time event 76"},
        {"SIG77", 1, 1, 1, "Real-time event 77"},
        {"SIG78", 1, 1, 1, "Real-time event 78"},
        {"SIG79", 1, 1, 1, "Real-time event 79"},
        {"SIG80", 1, 1, 1, "Real-time event 80"},
        {"SIG81", 1, 1, 1, "Real-time event 81"},
        {"SIG82", 1, 1, 1, "Real-time event 82"},
        {"SIG83", 1, 1, 1, "Real-time event 83"},
        {"SIG84", 1, 1, 1, "Real-time event 84"},
        {"SIG85", 1, 1, 1, "Real-time event 85"},
        {"SIG86", 1, 1, 1, "Real-time event 86"},
        {"SIG87", 1, 1, 1, "Real-time event 87"},
        {"SIG88", 1, 1, 1, "Real-time event 88"},
        {"SIG89", 1, 1, 1, "Real-time event 89"},
        {"SIG90", 1, 1, 1, "Real-time event 90"},
        {"SIG91", 1, 1, 1, "Real-time event 91"},
        {"SIG92", 1, 1, 1, "Real-time event 92"},
        {"SIG93", 1, 1, 1, "Real-time event 93"},
        {"SIG94", 1, 1, 1, "Real-time event 94"},
        {"SIG95", 1, 1, 1, "Real-time event 95"},
        {"SIG96", 1, 1, 1, "Real-time event 96"},
        {"SIG97", 1, 1, 1, "Real-time event 97"},
        {"SIG98", 1, 1, 1, "Real-time event 98"},
        {"SIG99", 1, 1, 1, "Real-time event 99"},
        {"SIG100", 1, 1, 1, "Real-time event 100"},
        {"SIG101", 1, 1, 1, "Real-time event 101"},
        {"SIG102", 1, 1, 1, "Real-time event 102"},
        {"SIG103", 1, 1, 1, "Real-time event 103"},
        {"SIG104", 1, 1, 1, "Real-time event 104"},
        {"SIG105", 1, 1, 1, "Real-time event 105"},
        {"SIG106", 1, 1, 1, "Real-time event 106"},
        {"SIG107", 1, 1, 1, "Real-time event 107"},
        {"SIG108", 1, 1, 1, "Real-time event 108"},
        {"SIG109", 1, 1, 1, "Real-time event 109"},
        {"SIG110", 1, 1, 1, "Real-time event 110"},
        {"SIG111", 1, 1, 1, "Real-time event 111"},
        {"SIG112", 1, 1, 1, "Real-time event 112"},
        {"SIG113", 1, 1, 1, "Real-time event 113"},
        {"SIG114", 1, 1, 1, "Real-time event 114"},
        {"SIG115", 1, 1, 1, "Real-time event 115"},
        {"SIG116", 1, 1, 1, "Real-time event 116"},
        {"SIG117", 1, 1, 1, "Real-time event 117"},
        {"SIG118", 1, 1, 1, "Real-time event 118"},
        {"SIG119", 1, 1, 1, "Real-time event 119"},
        {"SIG120", 1, 1, 1, "Real-time event 120"},
        {"SIG121", 1, 1, 1, "Real-time event 121"},
        {"SIG122", 1, 1, 1, "Real-time event 122"},
        {"SIG123", 1, 1, 1, "Real-time event 123"},
        {"SIG124", 1, 1, 1, "Real-time event 124"},
        {"SIG125", 1, 1, 1, "Real-time event 125"},
        {"SIG126", 1, 1, 1, "Real-time event 126"},
        {"SIG127", 1, 1, 1, "Real-time event 127"},
        {"SIGINFO", 1, 1, 1, "Information request"},
        {"EXC_BAD_ACCESS", 1, 1, 1, "Could not access memory"},
        {"EXC_BAD_INSTRUCTION", 1, 1, 1, "Illegal instruction/operand"},
        {"EXC_ARITHMETIC", 1, 1, 1, "Arithmetic exception"},
        {"EXC_EMULATION", 1, 1, 1, "Emulation instruction"},
        {"EXC_SOFTWARE", 1, 1, 1, "Software generated exception"},
        {"EXC_BREAKPOINT", 1, 1, 1, "Breakpoint"},
        {"SIGLIBRT", 0, 0, 1, "librt internal signal"},
};

#define NROWS (sizeof(gdb_rows) / sizeof(gdb_rows[0]))

/* gdb's names of the Linux x86_64 signals 1..31 (32..64 are SIG32..SIG64). */
static const char *const linux_names[32] = {
        NULL,      "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",   "SIGTRAP", "SIGABRT", "SIGBUS",
        "SIGFPE",  "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",  "SIGPIPE", "SIGALRM", "SIGTERM",
        NULL,      "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP",  "SIGTTIN", "SIGTTOU", "SIGURG",
        "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",   "SIGPWR",  "SIGSYS",
};

static int row_by_name(const char *name)
{
	for (size_t i = 0; i < NROWS; i++)
		if (strcmp(gdb_rows[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int row_of_linux(int sig)
{
	char buf[16];

	if (sig <= 0 || sig > 64)
		return -1;
	if (sig < 32) {
		if (!linux_names[sig])
			return -1;
		return row_by_name(linux_names[sig]);
	}
	snprintf(buf, sizeof(buf), "SIG%d", sig);
	return row_by_name(buf);
}

void dsig_table_init(struct dbg *d)
{
	memcpy(d->sigtab, gdb_rows, sizeof(gdb_rows));
	d->nsigrows = NROWS;
}

struct sigrow *dsig_row(struct dbg *d, int sig)
{
	int r = row_of_linux(sig);

	return r < 0 ? NULL : &d->sigtab[r];
}

const char *dsig_name(int sig)
{
	int r = row_of_linux(sig);

	return r < 0 ? "?" : gdb_rows[r].name;
}

const char *dsig_desc(int sig)
{
	int r = row_of_linux(sig);

	return r < 0 ? "Unknown signal" : gdb_rows[r].desc;
}

/* The Linux number of a gdb signal name. */
static int linux_of_name(const char *name)
{
	for (int s = 1; s <= 64; s++) {
		int r = row_of_linux(s);

		if (r >= 0 && strcmp(gdb_rows[r].name, name) == 0)
			return s;
	}
	return 0;
}

int dsig_parse(const char *s)
{
	char *end;
	long v;

	if (isdigit((unsigned char)*s)) {
		v = strtol(s, &end, 0);
		if (*end || v < 1 || v > 64)
			return 0;
		return (int)v;
	}
	return linux_of_name(s);
}

static void header(struct dbg *d)
{
	dout(d, "Signal        Stop\tPrint\tPass to program\tDescription\n");
}

static void row(struct dbg *d, const struct sigrow *r)
{
	dout(d, "%-13s %s\t%s\t%s\t\t%s\n", r->name, r->stop ? "Yes" : "No",
	     r->print ? "Yes" : "No", r->pass ? "Yes" : "No", r->desc);
}

int cmd_info_signals(struct dbg *d, const struct dbg_cmd *c)
{
	if (c->expr) {
		int r = row_by_name(c->expr);
		long v;
		char *end;

		if (r < 0) {
			v = strtol(c->expr, &end, 0);
			if (*end || v < 1 || v > 15)
				return derr(d,
				            "Only signals 1-15 are valid as numeric signals.\n"
				            "Use \"info signals\" for a list of symbolic signals.");
			r = row_of_linux((int)v);
		}
		header(d);
		row(d, &d->sigtab[r]);
		return 0;
	}
	header(d);
	dout(d, "\n");
	for (size_t i = 0; i < d->nsigrows; i++)
		row(d, &d->sigtab[i]);
	dout(d, "\nUse the \"handle\" command to change these tables.\n");
	return 0;
}

/* Rows named by one argument of handle: a name, a number 1-15, a range, or all. */
static int handle_word(struct dbg *d, const char *w, bool *sel)
{
	char *end;
	long lo, hi;
	int r;

	if (strcmp(w, "all") == 0) {
		for (size_t i = 0; i < d->nsigrows; i++) {
			/* all: every signal but those the debugger uses */
			if (strcmp(d->sigtab[i].name, "SIGTRAP") != 0 &&
			    strcmp(d->sigtab[i].name, "SIGINT") != 0)
				sel[i] = true;
		}
		return 0;
	}
	if (isdigit((unsigned char)*w)) {
		lo = strtol(w, &end, 10);
		hi = lo;
		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		if (*end || lo < 1 || hi > 15 || lo > hi)
			return derr(d, "Only signals 1-15 are valid as numeric signals.\n"
			               "Use \"info signals\" for a list of symbolic signals.");
		for (long s = lo; s <= hi; s++) {
			r = row_of_linux((int)s);
			if (r >= 0)
				sel[r] = true;
		}
		return 0;
	}
	r = row_by_name(w);
	if (r < 0)
		return derr(d, "Unrecognized or ambiguous flag word: \"%s\".", w);
	sel[r] = true;
	return 0;
}

int cmd_handle(struct dbg *d, const struct dbg_cmd *c)
{
	bool sel[sizeof(gdb_rows) / sizeof(gdb_rows[0])] = {0};
	unsigned a = c->actions;

	for (size_t i = 0; i < c->nargs; i++)
		if (handle_word(d, c->args[i], sel) < 0)
			return -1;
	for (size_t i = 0; i < d->nsigrows; i++) {
		struct sigrow *r = &d->sigtab[i];

		if (!sel[i])
			continue;
		/* stop implies print; noprint implies nostop (gdb's rules). */
		if (a & DBG_HANDLE_STOP)
			r->stop = r->print = true;
		if (a & DBG_HANDLE_NOSTOP)
			r->stop = false;
		if (a & DBG_HANDLE_PRINT)
			r->print = true;
		if (a & DBG_HANDLE_NOPRINT)
			r->print = r->stop = false;
		if (a & DBG_HANDLE_PASS)
			r->pass = true;
		if (a & DBG_HANDLE_NOPASS)
			r->pass = false;
	}
	if (d->from_tty) {
		header(d);
		for (size_t i = 0; i < d->nsigrows; i++)
			if (sel[i])
				row(d, &d->sigtab[i]);
	}
	return 0;
}
