/* SPDX-License-Identifier: MIT */
/*
 * Single steps that ptk completes by emulating the instruction
 * (PTK_STEP_EMULATE): every emulated step must leave registers, flags and
 * memory exactly as the CPU leaves them, and cost no stop.
 *
 * The reference is the CPU itself: two copies of emu_target run without
 * ASLR (so their addresses are equal), one in a session that emulates
 * steps and one in a session that does not (every step a real
 * PTRACE_SINGLESTEP).  Both are stepped in lockstep through emu_block for
 * every seed, and after each step their registers, their frames and
 * emu_data must be byte for byte equal.
 */
#include "lt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <ptk/symbols.h>

/* One tracee of the lockstep pair. */
struct side {
	struct ptk_session *s;
	pid_t pid;
	int out;
	uint64_t tab_lo, tab_hi; /* the {address, kind} table of emu_target */
	uint64_t data;           /* &emu_data */
};

/* Spawn argv without ASLR in s and run it to its marker getppid(marker, ...). */
static void to_marker(struct ptk_session *s, char *const argv[], long marker, pid_t *ret_pid,
                      int *ret_out, uint64_t args[6])
{
	CHECK_OK(lt_spawn(s, argv, PTK_SPAWN_NO_ASLR, ret_pid, ret_out));
	struct ptk_event ev;
	lt_run_to_syscall(s, *ret_pid, NR_getppid, marker, &ev, NULL);
	memcpy(args, ev.sc.args, sizeof ev.sc.args);
}

static void side_start(struct side *x, unsigned flags, char *const argv[])
{
	uint64_t a[6];
	CHECK_OK(ptk_session_new(&x->s, flags));
	to_marker(x->s, argv, 0x7e13, &x->pid, &x->out, a);
	x->tab_lo = a[1];
	x->tab_hi = a[2];
	struct ptk_symtab *st;
	struct ptk_sym sym;
	CHECK_OK(ptk_symtab_new(x->s, x->pid, &st));
	CHECK_MSG(ptk_sym_lookup(st, "emu_data", &sym, 1) == 1, "no symbol emu_data");
	x->data = sym.addr;
	ptk_symtab_free(st);
}

/* Resume x's thread with mode and wait for its next event, which must be want. */
static void side_go(struct side *x, enum ptk_resume_mode mode, enum ptk_event_kind want,
                    struct ptk_event *ev)
{
	CHECK_OK(ptk_resume(x->s, x->pid, mode, 0));
	lt_next(x->s, ev);
	CHECK_MSG(ev->kind == want && ev->tid == x->pid, "%s (sig %d) where %s was expected",
	          kname(ev->kind), ev->sig, kname(want));
}

static const char *const reg_names[] = {"r15",     "r14",      "r13", "r12", "rbp",    "rbx", "r11",
                                        "r10",     "r9",       "r8",  "rax", "rcx",    "rdx", "rsi",
                                        "rdi",     "orig_rax", "rip", "cs",  "eflags", "rsp", "ss",
                                        "fs_base", "gs_base",  "ds",  "es",  "fs",     "gs"};

/* The registers and the memory an instruction of emu_block can touch must be equal. */
static void same_state(struct side *e, struct side *c, uint64_t pc, uint64_t ret_slot, size_t step)
{
	struct ptk_regs re, rc;
	CHECK_OK(ptk_regs_get(e->s, e->pid, &re));
	CHECK_OK(ptk_regs_get(c->s, c->pid, &rc));
	_Static_assert(sizeof re == sizeof reg_names / sizeof reg_names[0] * 8, "register names");
	const uint64_t *ve = (const uint64_t *)&re, *vc = (const uint64_t *)&rc;
	for (size_t i = 0; i < sizeof reg_names / sizeof reg_names[0]; i++)
		CHECK_MSG(ve[i] == vc[i],
		          "step %zu from %#llx: %s is %#llx emulated, %#llx by the CPU", step,
		          (unsigned long long)pc, reg_names[i], (unsigned long long)ve[i],
		          (unsigned long long)vc[i]);
	/*
	 * From rsp up to emu_block's return address (below rsp lie leftovers
	 * of code that ran before, which differ with the two processes'
	 * random bytes).
	 */
	uint8_t me[128], mc[128];
	uint64_t top = ret_slot > re.rsp ? ret_slot + 8 : re.rsp + 8;
	size_t len = top - re.rsp < sizeof me ? (size_t)(top - re.rsp) : sizeof me;
	CHECK_OK(ptk_mem_read(e->s, e->pid, re.rsp, me, len, NULL));
	CHECK_OK(ptk_mem_read(c->s, c->pid, rc.rsp, mc, len, NULL));
	for (size_t i = 0; i < len; i++)
		CHECK_MSG(me[i] == mc[i],
		          "step %zu from %#llx: rsp+%zu holds %#x emulated, %#x by the CPU", step,
		          (unsigned long long)pc, i, me[i], mc[i]);
	CHECK_OK(ptk_mem_read(e->s, e->pid, e->data, me, 64, NULL));
	CHECK_OK(ptk_mem_read(c->s, c->pid, c->data, mc, 64, NULL));
	CHECK_MSG(memcmp(me, mc, 64) == 0, "step %zu from %#llx: emu_data differs", step,
	          (unsigned long long)pc);
}

TEST(stepped_block_matches_the_cpu)
{
	char *argv[] = {(char *)th_tracee("emu_target"), NULL};
	char want[8192];
	int st = lt_untraced(argv, want, sizeof want);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	struct side e, c;
	side_start(&e, PTK_STEP_EMULATE, argv);
	side_start(&c, 0, argv);
	CHECK_EQ_HEX(e.tab_lo, c.tab_lo);
	CHECK_EQ_HEX(e.data, c.data);
	size_t n = (e.tab_hi - e.tab_lo) / 16;
	CHECK(n > 100 && n < 1000);
	uint64_t *tab = calloc(n * 2, sizeof *tab);
	CHECK_OK(ptk_mem_read(e.s, e.pid, e.tab_lo, tab, n * 16, NULL));

	/* From the first instruction of the table to the pushfq after the last one. */
	uint64_t first = ~0ull, last = 0;
	for (size_t i = 0; i < n; i++) {
		first = tab[2 * i] < first ? tab[2 * i] : first;
		last = tab[2 * i] > last ? tab[2 * i] : last;
	}
	uint8_t tail[4];
	CHECK_OK(ptk_mem_read(e.s, e.pid, last, tail, 4, NULL));
	CHECK_MSG(tail[0] == 0x48 && tail[1] == 0x29 && tail[2] == 0xe5 && tail[3] == 0x9c,
	          "emu_block does not end with sub %%rsp,%%rbp; pushfq");
	uint64_t end = last + 3;
	int id;
	CHECK_OK(ptk_bp_insert(e.s, e.pid, first, &id));
	CHECK_OK(ptk_bp_insert(c.s, c.pid, first, &id));

	struct ptk_event ev;
	size_t steps = 0, by_kind[4] = {0};
	for (int seed = 0; seed < 12; seed++) {
		side_go(&e, PTK_RESUME_CONT, PTK_EV_BREAKPOINT, &ev);
		CHECK_EQ_HEX(ev.addr, first);
		side_go(&c, PTK_RESUME_CONT, PTK_EV_BREAKPOINT, &ev);
		CHECK_EQ_HEX(ev.addr, first);
		/* emu_block pushed 6 registers and took 72 bytes: its return address is above */
		struct ptk_regs r0;
		CHECK_OK(ptk_regs_get(e.s, e.pid, &r0));
		uint64_t ret_slot = r0.rsp + 72 + 48;
		for (;;) {
			struct ptk_regs r;
			CHECK_OK(ptk_regs_get(e.s, e.pid, &r));
			if (r.rip == end)
				break;
			CHECK_MSG(steps < 12 * 400, "still stepping at %#llx",
			          (unsigned long long)r.rip);
			unsigned kind = 0;
			for (size_t i = 0; i < n; i++)
				if (tab[2 * i] == r.rip)
					kind = (unsigned)tab[2 * i + 1];
			struct ptk_stats s0, s1;
			ptk_stats_get(e.s, &s0);
			side_go(&e, PTK_RESUME_STEP, PTK_EV_STEP, &ev);
			ptk_stats_get(e.s, &s1);
			side_go(&c, PTK_RESUME_STEP, PTK_EV_STEP, &ev);
			same_state(&e, &c, r.rip, ret_slot, steps);
			/*
			 * Kind 1 (emulated anywhere) and 3 (emulated when no
			 * other thread runs, as here): no stop, no request (the
			 * registers reach the kernel when the thread next runs,
			 * which the real steps after it check).  Kind 2: a real
			 * step.
			 */
			if (kind == 1 || kind == 3) {
				CHECK_MSG(s1.stops == s0.stops &&
				                  s1.ptrace_calls == s0.ptrace_calls,
				          "step from %#llx (kind %u): %llu stops, %llu ptrace "
				          "requests",
				          (unsigned long long)r.rip, kind,
				          (unsigned long long)(s1.stops - s0.stops),
				          (unsigned long long)(s1.ptrace_calls - s0.ptrace_calls));
			} else if (kind == 2) {
				CHECK_MSG(s1.stops - s0.stops == 1,
				          "step from %#llx (kind 2): %llu stops",
				          (unsigned long long)r.rip,
				          (unsigned long long)(s1.stops - s0.stops));
			}
			by_kind[kind]++;
			steps++;
		}
	}
	th_note("%zu steps: %zu kind 1, %zu kind 2, %zu kind 3, %zu unlisted", steps, by_kind[1],
	        by_kind[2], by_kind[3], by_kind[0]);
	/* per seed: 9 kind-3 instructions; 9 kind-2 ones, and rep stosb steps 4 iterations */
	CHECK_EQ_INT(by_kind[3], 12 * 9);
	CHECK_EQ_INT(by_kind[2], 12 * (9 + 4));
	CHECK(by_kind[1] > 12 * 100);
	CHECK_EQ_INT(by_kind[0], 0);
	/*
	 * One side at a time, to the end: both sessions wait for any child
	 * (waitpid -1), so one would take the other's exit.
	 */
	side_go(&e, PTK_RESUME_CONT, PTK_EV_EXITED, &ev);
	CHECK_MSG(ev.exit_code == 0, "emulated side: exit %d", ev.exit_code);
	CHECK_OK(ptk_resume(c.s, c.pid, PTK_RESUME_CONT, 0));
	lt_next(c.s, &ev);
	CHECK_MSG(ev.kind == PTK_EV_EXITED && ev.exit_code == 0, "stepped side: %s",
	          kname(ev.kind));
	char *oe = lt_slurp(e.out, 10000), *oc = lt_slurp(c.out, 10000);
	ptk_session_end(e.s, false, 1000);
	ptk_session_end(c.s, false, 1000);
	CHECK_EQ_STR(oe, want);
	CHECK_EQ_STR(oc, want);
	free(oe);
	free(oc);
	free(tab);
}

/*
 * bp_kinds' f_call starts with `call *f_call_ptr(%rip)` (f_call_ptr holds
 * f_emu): a call through memory outside the frame.  A step of it is
 * emulated only while no other thread of the process runs: in "loop"
 * mode (one thread) it costs no resume; in "threads" mode (the main
 * thread waits in pthread_join, a sibling runs) it is a real step.  Either
 * way it lands in f_emu with the return address pushed.
 */
static void call_step_case(const char *mode, unsigned flags, unsigned methods, bool want_emu)
{
	char *threads[] = {(char *)th_tracee("bp_kinds"), "threads", "2", "3", "call", NULL};
	char *loop[] = {(char *)th_tracee("bp_kinds"), "loop", "3", "call", NULL};
	char *const *argv = strcmp(mode, "threads") == 0 ? threads : loop;
	struct ptk_session *s;
	CHECK_OK(ptk_session_new(&s, PTK_FOLLOW | flags));
	if (methods)
		ptk_bp_set_methods(s, methods);
	pid_t pid;
	int out;
	uint64_t a[6];
	to_marker(s, argv, 0x7e12, &pid, &out, a);
	uint64_t f_emu = a[1], call_insn = a[4];
	int id;
	CHECK_OK(ptk_bp_insert(s, pid, call_insn, &id));
	CHECK_OK(ptk_resume(s, pid, PTK_RESUME_CONT, 0));
	struct ptk_event ev;
	pid_t stepper = 0;
	size_t hits = 0;
	bool stepped = false;
	while (lt_wait(s, &ev, 30) == 0) {
		if (ev.kind == PTK_EV_EXITED || ev.kind == PTK_EV_KILLED)
			continue;
		if (ev.kind == PTK_EV_BREAKPOINT) {
			CHECK_EQ_HEX(ev.addr, call_insn);
			hits++;
			if (!stepper) {
				stepper = ev.tid;
				struct ptk_regs r;
				CHECK_OK(ptk_regs_get(s, ev.tid, &r));
				struct ptk_stats s0, s1;
				ptk_stats_get(s, &s0);
				CHECK_OK(ptk_resume(s, ev.tid, PTK_RESUME_STEP, 0));
				ptk_stats_get(s, &s1);
				/* emulated: nothing resumed, no request (the registers
				   are written when the thread next runs) */
				if (want_emu)
					CHECK_MSG(s1.resumes == s0.resumes &&
					                  s1.ptrace_calls == s0.ptrace_calls,
					          "%s: %llu resumes, %llu requests for the step",
					          mode,
					          (unsigned long long)(s1.resumes - s0.resumes),
					          (unsigned long long)(s1.ptrace_calls -
					                               s0.ptrace_calls));
				else
					CHECK_MSG(s1.resumes - s0.resumes >= 1,
					          "%s: the step did not run the thread", mode);
				continue;
			}
		} else if (ev.kind == PTK_EV_STEP) {
			CHECK_EQ_INT(ev.tid, stepper);
			CHECK(!stepped);
			stepped = true;
			struct ptk_regs r;
			CHECK_OK(ptk_regs_get(s, ev.tid, &r));
			CHECK_EQ_HEX(r.rip, f_emu);
			uint64_t ret = 0;
			CHECK_OK(ptk_mem_read(s, ev.tid, r.rsp, &ret, 8, NULL));
			CHECK_EQ_HEX(ret, call_insn + 6); /* ff 15 disp32 */
		}
		CHECK_OK(lt_resume(s, &ev, PTK_RESUME_CONT));
	}
	char *o = lt_finish(s, out);
	CHECK(stepped);
	bool threaded = argv == threads;
	CHECK_EQ_INT(hits, threaded ? 6 : 3);
	lt_output_is(o, threaded ? "calls=6 counter=0\n" : "calls=3 counter=0\n");
}

TEST(step_through_memory_emulated_alone)
{
	call_step_case("loop", PTK_STEP_EMULATE, 0, true);
}

TEST(step_through_memory_real_with_threads_running)
{
	call_step_case("threads", PTK_STEP_EMULATE, 0, false);
}

TEST(step_not_emulated_without_the_flag)
{
	call_step_case("loop", 0, 0, false);
}

TEST(step_not_emulated_when_emulation_is_off)
{
	call_step_case("loop", PTK_STEP_EMULATE, 1u << PTK_BP_DISPLACED, false);
}
