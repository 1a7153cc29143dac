/* SPDX-License-Identifier: MIT */
/*
 * Unwinding stopped tracees (ptk_unwind): inside libc's read(2) and
 * getppid(), through nested and recursive calls and an inlined call, at
 * -O0 and -O2; through a signal handler's frame; by the frame-pointer chain
 * where a program has no CFI; inside a dlopen()ed library.  Each backtrace
 * is checked against the tracee's known call chain and, where gdb is
 * installed, against gdb's `bt` on the same program at the same stop
 * (function names in order, down to main).  Frame registers and CFAs are
 * checked against the stack itself.
 */
#include "lt.h"

#include <ptk/symbols.h>

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

enum { NR_getppid_ = 110 };

#define SIGFRAME "<signal handler called>"

/* Spawn argv, run it to the first entry of syscall nr (read: of fd 0). */
static pid_t run_to(struct ptk_session *s, char *const argv[], long nr, int *ret_out)
{
	pid_t pid;
	CHECK_OK(lt_spawn(s, argv, 0, &pid, ret_out));
	struct ptk_event ev;
	lt_run_to_syscall(s, pid, nr, nr == NR_read ? 0 : -1, &ev, NULL);
	return pid;
}

struct bt {
	char names[64][128];
	int n;
	struct ptk_frame fr[64];
	int nfr;
};

/*
 * The backtrace of tid as gdb lists it: one entry per frame and per
 * inlined call, the signal trampoline as "<signal handler called>", down
 * to main.
 */
static void our_bt(struct ptk_symtab *st, pid_t tid, struct bt *b)
{
	b->n = 0;
	b->nfr = ptk_unwind(st, tid, PTK_UNWIND_TAILCALLS, b->fr, 64);
	CHECK_MSG(b->nfr > 0, "ptk_unwind: %d", b->nfr);
	for (int i = 0; i < b->nfr && b->n < 64; i++) {
		const struct ptk_frame *f = &b->fr[i];
		char sym[128];
		ptk_sym_format(st, f->pc, sym, sizeof sym);
		th_note("#%d pc %#llx sp %#llx cfa %#llx flags %#x <%s>", i,
		        (unsigned long long)f->pc, (unsigned long long)f->sp,
		        (unsigned long long)f->cfa, f->flags, sym);
		if (f->flags & PTK_FRAME_SIGNAL) {
			snprintf(b->names[b->n++], 128, "%s", SIGFRAME);
			continue;
		}
		struct ptk_location loc[8];
		int nl = ptk_addr_locate(st, f->lookup_pc, loc, 8);
		bool at_main = false;
		for (int k = 0; k < nl && k < 8 && b->n < 64; k++) {
			snprintf(b->names[b->n++], 128, "%s", loc[k].func ? loc[k].func : "??");
			th_note("    %s%s at %s:%d", loc[k].inlined ? "(inlined) " : "",
			        loc[k].func ? loc[k].func : "??", loc[k].file ? loc[k].file : "?",
			        loc[k].line);
			at_main |= loc[k].func && strcmp(loc[k].func, "main") == 0;
		}
		if (at_main)
			break;
	}
}

/* gdb's `bt` after the commands cmds on argv: the names in order. */
static bool gdb_bt(const char *cmds, char *const prog[], struct bt *b)
{
	const char *gdb = lt_tool("gdb");
	if (!gdb)
		return false;
	char script[2048];
	snprintf(script, sizeof script, "%sbt\nkill\n", cmds);
	char *out = lt_gdb_batch(gdb, script, prog, 1 << 20);
	b->n = 0;
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		/* "#3  0x000055555555548d in outer (fd=0) at f.c:66", "#2  <signal handler called>"
		 */
		if (line[0] != '#' || b->n == 64)
			continue;
		th_note("gdb: %s", line);
		char *p = line + 1;
		while (*p >= '0' && *p <= '9')
			p++;
		while (*p == ' ')
			p++;
		if (strncmp(p, SIGFRAME, strlen(SIGFRAME)) == 0) {
			snprintf(b->names[b->n++], 128, "%s", SIGFRAME);
			continue;
		}
		if (strncmp(p, "0x", 2) == 0) {
			char *in = strstr(p, " in ");
			if (!in)
				continue;
			p = in + 4;
		}
		size_t len = strcspn(p, " (");
		snprintf(b->names[b->n++], 128, "%.*s", (int)len, p);
	}
	free(out);
	return true;
}

static void same_bt(const struct bt *ours, const struct bt *gdb, const char *what)
{
	bool same = ours->n == gdb->n;
	for (int i = 0; same && i < ours->n; i++)
		same = strcmp(ours->names[i], gdb->names[i]) == 0;
	if (!same)
		for (int i = 0; i < ours->n || i < gdb->n; i++)
			th_note("%s #%d: ptk %-28s gdb %s", what, i,
			        i < ours->n ? ours->names[i] : "", i < gdb->n ? gdb->names[i] : "");
	CHECK_MSG(same, "%s: the backtrace differs from gdb's", what);
}

/* The names from index from on must be exactly want[] (NULL-terminated). */
static void expect_names(const struct bt *b, int from, const char *const want[])
{
	int i = 0;
	for (; want[i]; i++) {
		CHECK_MSG(from + i < b->n, "backtrace too short: %d frames", b->n);
		CHECK_EQ_STR(b->names[from + i], want[i]);
	}
	CHECK_EQ_INT(b->n, from + i);
}

struct opened {
	struct ptk_session *s;
	struct ptk_symtab *st;
	pid_t pid;
	int out;
};

static void open_at(struct opened *o, char *const argv[], long nr)
{
	CHECK_OK(ptk_session_new(&o->s, 0));
	o->pid = run_to(o->s, argv, nr, &o->out);
	CHECK_OK(ptk_symtab_new(o->s, o->pid, &o->st));
}

static void close_it(struct opened *o)
{
	ptk_symtab_free(o->st);
	ptk_session_end(o->s, false, 1000);
	free(lt_slurp(o->out, 5000));
}

static void bt_read(const char *name)
{
	struct opened o;
	char *argv[] = {(char *)th_tracee(name), "read", NULL};
	open_at(&o, argv, NR_read);
	static struct bt ours, gdb;
	our_bt(o.st, o.pid, &ours);
	/* frame 0 is libc's read, its DWARF name if libc's debug info is installed */
	CHECK(ours.n >= 1 && strstr(ours.names[0], "read"));
	CHECK(ours.fr[0].flags & PTK_FRAME_ACTIVATION);
	static const char *const want[] = {"inner", "step_in", "middle", "outer", "main", NULL};
	expect_names(&ours, 1, want);
	/* beyond main: libc's start code, then _start */
	CHECK(ours.nfr >= 7);
	struct ptk_sym s;
	CHECK_OK(ptk_sym_at(o.st, ours.fr[ours.nfr - 1].pc, &s));
	CHECK_EQ_STR(s.name, "_start");
	if (gdb_bt("break inner\nrun\ncatch syscall read\ncontinue\n", argv, &gdb))
		same_bt(&ours, &gdb, name);
	else
		th_note("gdb is not installed: not compared");
	close_it(&o);
}

TEST(backtrace_in_read_O0)
{
	bt_read("symtest_O0");
}

TEST(backtrace_in_read_O2)
{
	bt_read("symtest_O2");
}

static void bt_deep(const char *name)
{
	struct opened o;
	char *argv[] = {(char *)th_tracee(name), "deep", "5", NULL};
	open_at(&o, argv, NR_getppid_);
	static struct bt ours, gdb;
	our_bt(o.st, o.pid, &ours);
	CHECK(ours.n >= 1 && strstr(ours.names[0], "getppid"));
	static const char *const want[] = {"leaf",    "recurse", "recurse", "recurse", "recurse",
	                                   "recurse", "recurse", "main",    NULL};
	expect_names(&ours, 1, want);
	/* at -O2 recurse(0) jumps to leaf (a tail call): gdb and ptk show the
	   frame it no longer has, found through the DWARF call sites */
	int tail = 0;
	for (int i = 0; i < ours.nfr; i++)
		if (ours.fr[i].flags & PTK_FRAME_TAILCALL) {
			CHECK_EQ_INT(i, 2);
			CHECK_EQ_HEX(ours.fr[i].regs_known, 1u << PTK_DW_RIP);
			CHECK_EQ_HEX(ours.fr[i].ra, ours.fr[i + 1].pc);
			tail++;
		}
	CHECK_EQ_INT(tail, strstr(name, "O2") ? 1 : 0);
	CHECK_EQ_HEX(ours.fr[1].ra, ours.fr[strstr(name, "O2") ? 3 : 2].pc);
	/* without PTK_UNWIND_TAILCALLS: the frames the stack has */
	struct ptk_frame phys[64];
	CHECK_EQ_INT(ptk_unwind(o.st, o.pid, 0, phys, 64), ours.nfr - tail);
	for (int i = 0; i < ours.nfr - tail; i++)
		CHECK(!(phys[i].flags & PTK_FRAME_TAILCALL));
	if (gdb_bt("catch syscall getppid\nrun\n", argv, &gdb))
		same_bt(&ours, &gdb, name);
	close_it(&o);
}

TEST(backtrace_recursion_O0)
{
	bt_deep("symtest_O0");
}

TEST(backtrace_recursion_O2)
{
	bt_deep("symtest_O2");
}

static void bt_signal(const char *name)
{
	struct opened o;
	char *argv[] = {(char *)th_tracee(name), "signal", NULL};
	CHECK_OK(ptk_session_new(&o.s, 0));
	o.pid = run_to(o.s, argv, NR_getppid_, &o.out);
	CHECK_OK(ptk_symtab_new(o.s, o.pid, &o.st));
	static struct bt ours, gdb;
	our_bt(o.st, o.pid, &ours);
	static const char *const want[] = {"on_usr1", SIGFRAME, "victim", "main", NULL};
	expect_names(&ours, 1, want);
	/* the frame under the trampoline is where the signal came: after the
	   syscall instruction in victim, an activation (looked up as is) */
	const struct ptk_frame *tramp = &ours.fr[2], *vic = &ours.fr[3];
	CHECK(tramp->flags & PTK_FRAME_SIGNAL);
	CHECK(vic->flags & PTK_FRAME_ACTIVATION);
	CHECK_EQ_HEX(vic->lookup_pc, vic->pc);
	CHECK_EQ_HEX(tramp->lookup_pc, tramp->pc);
	struct ptk_sym s;
	CHECK_OK(ptk_sym_at(o.st, vic->pc, &s));
	CHECK_EQ_STR(s.name, "victim");
	uint8_t insn[2];
	CHECK_OK(ptk_mem_read(o.s, o.pid, vic->pc - 2, insn, 2, NULL));
	CHECK(insn[0] == 0x0f && insn[1] == 0x05); /* syscall */
	/* all the interrupted registers come back from the signal frame */
	CHECK_EQ_HEX(vic->regs_known, (1u << PTK_DW_NREGS) - 1);
	CHECK_EQ_INT(vic->regs[PTK_DW_RAX], 0); /* tgkill's return value */
	if (gdb_bt("handle SIGUSR1 nostop noprint pass\ncatch syscall getppid\nrun\n", argv, &gdb))
		same_bt(&ours, &gdb, name);
	close_it(&o);
}

TEST(backtrace_through_signal_handler_O0)
{
	bt_signal("symtest_O0");
}

TEST(backtrace_through_signal_handler_O2)
{
	bt_signal("symtest_O2");
}

TEST(backtrace_by_frame_pointers_without_cfi)
{
	struct opened o;
	char *argv[] = {(char *)th_tracee("symfp"), NULL};
	open_at(&o, argv, NR_getppid_);
	static struct bt ours, gdb;
	our_bt(o.st, o.pid, &ours);
	static const char *const want[] = {"fp_three", "fp_two", "fp_one", "main", NULL};
	expect_names(&ours, 1, want);
	/* fp_three is reached by libc's CFI; fp_three has none, so fp_two on
	   are found through the rbp chain */
	CHECK(!(ours.fr[1].flags & PTK_FRAME_FP));
	for (int i = 2; i <= 4; i++)
		CHECK_MSG(ours.fr[i].flags & PTK_FRAME_FP, "frame %d not by frame pointer", i);
	/* each rbp frame: the CFA is rbp + 16 and the return address sits below it */
	for (int i = 1; i <= 4; i++) {
		const struct ptk_frame *f = &ours.fr[i];
		CHECK(f->regs_known & (1u << PTK_DW_RBP));
		CHECK_EQ_HEX(f->cfa, f->regs[PTK_DW_RBP] + 16);
		uint64_t ra;
		CHECK_OK(ptk_mem_read(o.s, o.pid, f->cfa - 8, &ra, 8, NULL));
		CHECK_EQ_HEX(ra, f->ra);
	}
	if (gdb_bt("catch syscall getppid\nrun\n", argv, &gdb))
		same_bt(&ours, &gdb, "symfp");
	close_it(&o);
}

TEST(frame_registers_and_cfa)
{
	for (int opt = 0; opt < 2; opt++) {
		struct opened o;
		char *argv[] = {(char *)th_tracee(opt ? "symtest_O2" : "symtest_O0"), "read", NULL};
		open_at(&o, argv, NR_read);
		struct ptk_frame fr[64];
		int n = ptk_unwind(o.st, o.pid, 0, fr, 64);
		CHECK(n >= 6);
		/* frame 0 is the thread's registers */
		struct ptk_regs r;
		CHECK_OK(ptk_regs_get(o.s, o.pid, &r));
		CHECK_EQ_HEX(fr[0].regs_known, (1u << PTK_DW_NREGS) - 1);
		CHECK_EQ_HEX(fr[0].pc, r.rip);
		CHECK_EQ_HEX(fr[0].sp, r.rsp);
		CHECK_EQ_HEX(fr[0].regs[PTK_DW_RBX], r.rbx);
		CHECK_EQ_HEX(fr[0].regs[PTK_DW_RDI], r.rdi);
		CHECK_EQ_HEX(fr[0].regs[PTK_DW_R12], r.r12);
		CHECK_EQ_HEX(fr[0].lookup_pc, fr[0].pc);
		for (int i = 0; i + 1 < n; i++) {
			const struct ptk_frame *f = &fr[i], *up = &fr[i + 1];
			/* the return address is at CFA - 8, the caller's rsp is the CFA */
			uint64_t ra;
			CHECK(f->cfa != 0);
			CHECK_OK(ptk_mem_read(o.s, o.pid, f->cfa - 8, &ra, 8, NULL));
			CHECK_EQ_HEX(ra, up->pc);
			CHECK_EQ_HEX(f->ra, up->pc);
			CHECK_EQ_HEX(up->sp, f->cfa);
			CHECK_EQ_HEX(up->regs[PTK_DW_RIP], up->pc);
			CHECK_EQ_HEX(up->lookup_pc, up->pc - 1);
			/* callers have what CFI restores: rsp, rip and the callee-saved */
			CHECK(up->regs_known & (1u << PTK_DW_RSP));
			CHECK(!(up->flags & (PTK_FRAME_SIGNAL | PTK_FRAME_FP)));
		}
		CHECK_EQ_HEX(fr[n - 1].ra, 0);
		/* at -O0 every function of the program keeps rbp = CFA - 16 */
		if (opt == 0) {
			for (int i = 1; i < n; i++) {
				struct ptk_sym s;
				if (ptk_sym_at(o.st, fr[i].pc, &s) < 0 ||
				    strcmp(s.module, argv[0]) != 0 || strcmp(s.name, "_start") == 0)
					continue;
				CHECK(fr[i].regs_known & (1u << PTK_DW_RBP));
				CHECK_MSG(fr[i].regs[PTK_DW_RBP] == fr[i].cfa - 16,
				          "%s: rbp %#llx cfa %#llx", s.name,
				          (unsigned long long)fr[i].regs[PTK_DW_RBP],
				          (unsigned long long)fr[i].cfa);
			}
		}
		/* max frames: a prefix */
		struct ptk_frame two[2];
		CHECK_EQ_INT(ptk_unwind(o.st, o.pid, 0, two, 2), 2);
		CHECK_EQ_HEX(two[1].pc, fr[1].pc);
		CHECK_EQ_INT(ptk_unwind(o.st, o.pid, 0, two, 0), -EINVAL);
		close_it(&o);
	}
}

TEST(backtrace_in_dlopened_library)
{
	struct opened o;
	char *argv[] = {(char *)th_tracee("symtest_O2"), "dlopen",
	                (char *)th_tracee("libsymlib.so"), NULL};
	/* a symbol table from before the dlopen, used to unwind there */
	open_at(&o, argv, NR_getppid_);
	struct ptk_frame fr[8];
	CHECK(ptk_unwind(o.st, o.pid, 0, fr, 8) >= 3);
	/* the third getppid() is the library's: refresh, unwind again */
	CHECK_OK(ptk_resume(o.s, o.pid, PTK_RESUME_SYSCALL, 0));
	struct ptk_event ev;
	int seen = 1;
	while (seen < 3) {
		lt_next(o.s, &ev);
		CHECK(ev.kind != PTK_EV_EXITED);
		if (ev.kind == PTK_EV_SYSCALL_ENTER && ev.sc.nr == NR_getppid_ && ++seen == 3)
			break;
		CHECK_OK(lt_resume(o.s, &ev, PTK_RESUME_SYSCALL));
	}
	CHECK_EQ_INT(ptk_symtab_refresh(o.st), 1);
	static struct bt ours, gdb;
	our_bt(o.st, o.pid, &ours);
	static const char *const want[] = {"symlib_inner", "symlib_entry", "main", NULL};
	expect_names(&ours, 1, want);
	if (gdb_bt("set breakpoint pending on\nbreak symlib_inner\nrun\ncatch syscall getppid\n"
	           "continue\n",
	           argv, &gdb))
		same_bt(&ours, &gdb, "dlopen");
	close_it(&o);
}

TEST(backtrace_of_a_second_thread)
{
	char *argv[] = {(char *)th_tracee("threads"), "1", NULL};
	pid_t pid;
	int out;
	struct ptk_session *s = lt_start(PTK_FOLLOW, argv, &pid, &out);
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_SYSCALL, 0));
	struct ptk_event ev;
	for (;;) {
		lt_next(s, &ev);
		CHECK(ev.kind != PTK_EV_EXITED || ev.tid != pid);
		if (ev.kind == PTK_EV_SYSCALL_ENTER && ev.sc.nr == NR_getppid_ && ev.tid != pid)
			break;
		CHECK_OK(lt_resume(s, &ev, PTK_RESUME_SYSCALL));
	}
	struct ptk_symtab *st;
	CHECK_OK(ptk_symtab_new(s, pid, &st));
	static struct bt b;
	our_bt(st, ev.tid, &b);
	/* syscall(2) in libc, the thread's function, libc's thread start, clone */
	CHECK(b.n >= 4);
	CHECK_EQ_STR(b.names[1], "run");
	CHECK_EQ_STR(b.names[2], "start_thread");
	CHECK(strstr(b.names[b.n - 1], "clone"));
	/* the frames are the thread's: its stack is not the main thread's */
	/* (the main thread runs on, so its registers are not readable; its
	 * stack is the [stack] mapping, a thread's is an anonymous one) */
	struct ptk_maps m;
	CHECK_OK(ptk_maps_read(pid, &m));
	const struct ptk_map *mp = ptk_maps_find(&m, b.fr[0].sp);
	CHECK(mp != NULL);
	CHECK_EQ_STR(mp->path, "");
	ptk_maps_free(&m);
	ptk_symtab_free(st);
	ptk_session_end(s, false, 1000);
	free(lt_slurp(out, 5000));
}

TEST(unwind_a_thread_that_is_not_a_tracee)
{
	struct opened o;
	char *argv[] = {(char *)th_tracee("symtest_O0"), "deep", "1", NULL};
	open_at(&o, argv, NR_getppid_);
	struct ptk_frame fr[4];
	CHECK(ptk_unwind(o.st, getpid(), 0, fr, 4) < 0);
	/* and the tracee still unwinds afterwards */
	CHECK(ptk_unwind(o.st, o.pid, 0, fr, 4) == 4);
	close_it(&o);
}
